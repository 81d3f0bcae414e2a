/*
 * sessions.c — /v1/cohorts/{id}/sessions: schedule one session or a
 * weekly series, and list them.
 *
 * Times are stored as UTC instants.  A weekly series is built on the
 * cohort's own clock: the first local date-time plus 7 days per week,
 * each turned into an instant with the cohort's time zone by PostgreSQL
 * (tz database), so a 17:00 session stays at 17:00 local across
 * daylight-saving changes while its UTC time moves.  A local time that a
 * clock change skips does not exist, and is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohorts.h"
#include "journal.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "paging.h"
#include "request.h"
#include "router.h"
#include "sessions.h"

#include "mcred/banned.h"

#define MC_MAX_WEEKS 52

bool session_local_time_valid(const char *s)
{
    size_t n = strlen(s);
    if ((n != 16 && n != 19) || s[10] != 'T' || s[13] != ':' || (n == 19 && s[16] != ':'))
        return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!cohort_date_valid(date) || strspn(s + 11, "0123456789") != 2 ||
        strspn(s + 14, "0123456789") != 2 || (n == 19 && strspn(s + 17, "0123456789") != 2))
        return false;
    long h = strtol(s + 11, NULL, 10), m = strtol(s + 14, NULL, 10);
    long sec = n == 19 ? strtol(s + 17, NULL, 10) : 0;
    return h <= 23 && m <= 59 && sec <= 59;
}

/* What a series or a single session asks for. */
struct schedule {
    const char *first; /* local date-time */
    long long count;   /* sessions, 1 week apart */
    const char *kind;
    const char *modality;
    long long duration;
    const char *title;   /* NULL: "Week N" for weekly sessions */
    const char *learner; /* coaching for one learner: their id */
    const char *field;   /* where `first` came from, for errors */
};

static enum mc_err read_common(struct request *r, const cJSON *obj, const char *prefix,
                               struct schedule *s)
{
    char field[64];
    enum mc_err rc = mc_json_get_string(obj, "modality", false, 16, &s->modality, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_int(obj, "duration_minutes", false, 5, 600, &s->duration, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(obj, "title", false, MC_MAX_NAME, &s->title, &r->err);
    if (rc != MC_OK) {
        request_field_prefix(r, prefix);
        return rc;
    }
    if (!s->modality)
        s->modality = "hyflex";
    snprintf(field, sizeof field, "%s%smodality", prefix, *prefix ? "." : "");
    if (strcmp(s->modality, "hyflex") != 0 && strcmp(s->modality, "in_person") != 0 &&
        strcmp(s->modality, "online") != 0)
        return request_fail(r, MC_ERR_INVALID, field,
                            "modality must be hyflex, in_person or online");
    return MC_OK;
}

static enum mc_err read_weekly(struct request *r, const cJSON *weekly, struct schedule *s)
{
    static const char *const keys[] = {"first", "count", "modality", "duration_minutes",
                                       "title", NULL};
    enum mc_err rc = mc_json_only_keys(weekly, keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(weekly, "first", true, 19, &s->first, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_int(weekly, "count", true, 1, MC_MAX_WEEKS, &s->count, &r->err);
    if (rc != MC_OK) {
        request_field_prefix(r, "weekly");
        return rc;
    }
    s->kind = "weekly";
    s->field = "weekly.first";
    return read_common(r, weekly, "weekly", s);
}

DB_STMT(db_session_learner,
        "SELECT p.id FROM mcred.people p JOIN mcred.members m ON m.org_id = p.org_id"
        " AND m.person_id = p.id AND m.cohort_id = $2::uuid"
        " WHERE p.org_id = $1::uuid AND (p.id::text = $3 OR lower(p.email) = lower($3))"
        " AND m.role = 'learner' AND m.status = 'enrolled'");

static enum mc_err read_single(struct request *r, const char *cohort, struct schedule *s,
                               char learner_id[40])
{
    static const char *const keys[] = {"kind",  "local_start", "modality", "duration_minutes",
                                       "title", "learner",     NULL};
    const char *learner = NULL;
    enum mc_err rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "kind", false, 16, &s->kind, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "local_start", true, 19, &s->first, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "learner", false, MC_MAX_EMAIL, &learner, &r->err);
    if (rc == MC_OK)
        rc = read_common(r, r->json, "", s);
    if (rc != MC_OK)
        return rc;
    s->count = 1;
    s->field = "local_start";
    if (!s->kind)
        s->kind = "weekly";
    if (strcmp(s->kind, "weekly") != 0 && strcmp(s->kind, "coaching") != 0)
        return request_fail(r, MC_ERR_INVALID, "kind", "kind must be weekly or coaching");
    if (!learner)
        return MC_OK;
    if (strcmp(s->kind, "coaching") != 0)
        return request_fail(r, MC_ERR_INVALID, "learner", "only coaching sessions have a learner");
    const char *params[] = {r->auth.org_id, cohort, learner};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_session_learner, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool found = PQntuples(res) == 1;
    if (found)
        snprintf(learner_id, 40, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (!found)
        return request_fail(r, MC_ERR_INVALID, "learner", "%s is not a learner of this cohort",
                            learner);
    s->learner = learner_id;
    return MC_OK;
}

DB_STMT(db_session_skipped_time, "SELECT to_char(l, 'YYYY-MM-DD\"T\"HH24:MI') FROM"
                                 " (SELECT $1::timestamp + g.n * interval '7 days' AS l"
                                 "  FROM generate_series(0, $2::integer - 1) AS g(n)) x"
                                 " WHERE (l AT TIME ZONE $3) AT TIME ZONE $3 <> l LIMIT 1");

/* Every local time of the series must exist on the cohort's clock. */
static enum mc_err check_local_times(struct request *r, const struct schedule *s,
                                     const struct cohort_info *cohort, const char *count)
{
    const char *params[] = {s->first, count, cohort->timezone};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_session_skipped_time, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) == 1)
        rc = request_fail(r, MC_ERR_INVALID, s->field,
                          "%s does not exist in %s: the clocks change then", PQgetvalue(res, 0, 0),
                          cohort->timezone);
    PQclear(res);
    return rc;
}

DB_STMT(db_sessions_insert,
        "WITH base AS (SELECT coalesce(max(week), 0) AS w FROM mcred.sessions"
        "              WHERE org_id = $1::uuid AND cohort_id = $2::uuid AND kind = 'weekly')"
        " INSERT INTO mcred.sessions (org_id, cohort_id, week, kind, starts_at, duration_minutes,"
        "                             modality, title, learner_id)"
        " SELECT $1::uuid, $2::uuid, CASE WHEN $5 = 'weekly' THEN base.w + g.n + 1 END, $5,"
        "        ($3::timestamp + g.n * interval '7 days') AT TIME ZONE $6,"
        "        coalesce(nullif($7, '')::integer, 90), $8,"
        "        coalesce($9, CASE WHEN $5 = 'weekly' THEN 'Week ' || (base.w + g.n + 1)"
        "                     ELSE 'Coaching' END),"
        "        $10::uuid"
        " FROM base, generate_series(0, $4::integer - 1) AS g(n)"
        " RETURNING id");
DB_STMT(db_sessions_items,
        "SELECT item::text AS item FROM mcred.session_items WHERE org_id = $1::uuid"
        " AND id IN (SELECT value::uuid FROM jsonb_array_elements_text($2::jsonb))"
        " ORDER BY starts_at");

/* The new sessions as items, each journalled with its session.scheduled event. */
static enum mc_err scheduled_items(struct request *r, const PGresult *ids, cJSON *items)
{
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; list && i < PQntuples(ids); i++)
        if (!cJSON_AddItemToArray(list, cJSON_CreateString(PQgetvalue(ids, i, 0)))) {
            cJSON_Delete(list);
            list = NULL;
        }
    char *text = list ? cJSON_PrintUnformatted(list) : NULL;
    cJSON_Delete(list);
    if (!text)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {r->auth.org_id, text};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_sessions_items, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    free(text);
    struct actor actor = journal_actor(r);
    for (int i = 0; rc == MC_OK && i < PQntuples(res); i++) {
        cJSON *item = page_item(res, i);
        if (!item || !cJSON_AddItemToArray(items, item)) {
            cJSON_Delete(item);
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
            break;
        }
        rc = journal_write(r->db, r->auth.org_id, &actor, "session.schedule", "session",
                           cJSON_GetStringValue(cJSON_GetObjectItem(item, "id")), NULL, item,
                           "session.scheduled", item, NULL, &r->err);
    }
    PQclear(res);
    return rc;
}

enum mc_err sessions_create(struct request *r)
{
    const char *cohort_id = request_param(r, "id");
    struct cohort_info cohort;
    struct schedule s = {.duration = -1};
    char learner_id[40] = "";
    PGresult *ids = NULL;
    enum mc_err rc = cohort_lock(r, cohort_id, true, &cohort);
    if (rc != MC_OK)
        return rc;
    const cJSON *weekly = cJSON_GetObjectItemCaseSensitive(r->json, "weekly");
    if (weekly && cJSON_GetArraySize(r->json) != 1)
        return request_fail(r, MC_ERR_INVALID, "weekly", "weekly must be alone in the body");
    rc = weekly ? read_weekly(r, weekly, &s) : read_single(r, cohort_id, &s, learner_id);
    if (rc != MC_OK)
        return rc;
    if (!session_local_time_valid(s.first))
        return request_fail(r, MC_ERR_INVALID, s.field,
                            "%s must be a local date and time, YYYY-MM-DDTHH:MM", s.field);
    char count[24], duration[24] = "";
    snprintf(count, sizeof count, "%lld", s.count);
    if (s.duration > 0)
        snprintf(duration, sizeof duration, "%lld", s.duration);
    rc = check_local_times(r, &s, &cohort, count);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id,  cohort_id, s.first,    count,   s.kind,
                            cohort.timezone, duration,  s.modality, s.title, s.learner};
    rc = db_exec(r->db, &db_sessions_insert, 10, params, PGRES_TUPLES_OK, &ids, &r->err);
    if (rc != MC_OK)
        return rc;
    cJSON *root = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(root, "items");
    rc = items ? scheduled_items(r, ids, items) : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    PQclear(ids);
    if (rc != MC_OK) {
        cJSON_Delete(root);
        return rc;
    }
    return request_reply(r, 201, root);
}

DB_STMT_REPLAN(db_sessions_list,
               "SELECT item::text AS item, sort_key FROM mcred.session_items"
               " WHERE org_id = $1::uuid AND cohort_id = $2::uuid"
               " AND ($3::text IS NULL OR sort_key > $3)"
               " AND ($4::uuid IS NULL OR kind = 'weekly' OR learner_id = $4::uuid)"
               " ORDER BY sort_key LIMIT $5::integer");

enum mc_err sessions_list(struct request *r)
{
    struct page page;
    struct cohort_info cohort;
    const char *cohort_id = request_param(r, "id");
    enum mc_err rc = page_parse(r, &page);
    if (rc == MC_OK)
        rc = cohort_lock(r, cohort_id, false, &cohort);
    if (rc != MC_OK)
        return rc;
    /* a learner sees the weekly sessions and their own coaching */
    const char *only_for = r->cohort_role == ROLE_LEARNER ? r->auth.person_id : NULL;
    const char *params[] = {r->auth.org_id, cohort_id, page_after_param(&page), only_for,
                            page.limit_plus_one};
    return page_reply_query(r, &page, &db_sessions_list, 5, params);
}
