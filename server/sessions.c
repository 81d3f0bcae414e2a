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
#include "members.h"
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

static enum mc_err read_single(struct request *r, const struct cohort_info *cohort,
                               struct schedule *s, char learner_id[40])
{
    static const char *const keys[] = {"kind",  "local_start", "modality", "duration_minutes",
                                       "title", "learner",     "force",    NULL};
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
    const char *params[] = {r->auth.org_id, cohort->id, learner};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_session_learner, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool found = PQntuples(res) == 1;
    if (found)
        snprintf(learner_id, 40, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (!found) {
        char who[MEMBERS_WORDS_MAX];
        members_person_words(r, learner, who, sizeof who);
        return request_fail(r, MC_ERR_INVALID, "learner",
                            "%s is not an enrolled learner of cohort %s", who, cohort->name);
    }
    s->learner = learner_id;
    return MC_OK;
}

DB_STMT(db_sessions_schedule,
        "SELECT session_id, problem, message FROM mcred.sessions_schedule($1::uuid, $2::uuid,"
        " $3::timestamp, $4::integer, $5, nullif($6, '')::integer, $7, $8, $9::uuid,"
        " $10::boolean)");
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

/* `force`: absent (false) or a boolean. */
static enum mc_err read_flag(struct request *r, const char *key, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);
    *out = -1;
    if (!v || cJSON_IsNull(v))
        return MC_OK;
    if (!cJSON_IsBool(v))
        return request_fail(r, MC_ERR_INVALID, key, "%s must be true or false", key);
    *out = cJSON_IsTrue(v) ? 1 : 0;
    return MC_OK;
}

/*
 * A refusal that a session function answered: problem and message.  Only
 * an outside-the-dates refusal can be forced (422); a clash with another
 * session (409) never can.
 */
static enum mc_err session_refusal(struct request *r, const char *problem, const char *message,
                                   const char *field)
{
    enum mc_err code = MC_ERR_CONFLICT;
    if (strcmp(problem, "outside") == 0 || strcmp(problem, "skipped") == 0)
        code = MC_ERR_INVALID;
    else if (strcmp(problem, "not_found") == 0)
        code = MC_ERR_NOT_FOUND;
    else
        field = NULL;
    if (strcmp(problem, "not_found") == 0)
        return request_fail(r, code, NULL, "session %s not found", request_param(r, "id"));
    return request_fail(r, code, field, "%s", message);
}

enum mc_err sessions_create(struct request *r)
{
    const char *cohort_id = request_param(r, "id");
    struct cohort_info cohort;
    struct schedule s = {.duration = -1};
    char learner_id[40] = "";
    PGresult *ids = NULL;
    int force = -1;
    enum mc_err rc = cohort_lock(r, cohort_id, COHORT_CHANGE, &cohort);
    if (rc == MC_OK)
        rc = read_flag(r, "force", &force);
    if (rc != MC_OK)
        return rc;
    const cJSON *weekly = cJSON_GetObjectItemCaseSensitive(r->json, "weekly");
    if (weekly && cJSON_GetArraySize(r->json) != (force >= 0 ? 2 : 1))
        return request_fail(r, MC_ERR_INVALID, "weekly",
                            "weekly must be alone in the body (with force, if given)");
    rc = weekly ? read_weekly(r, weekly, &s) : read_single(r, &cohort, &s, learner_id);
    if (rc != MC_OK)
        return rc;
    if (!session_local_time_valid(s.first))
        return request_fail(r, MC_ERR_INVALID, s.field,
                            "%s must be a local date and time, YYYY-MM-DDTHH:MM", s.field);
    char count[24], duration[24] = "";
    snprintf(count, sizeof count, "%lld", s.count);
    if (s.duration > 0)
        snprintf(duration, sizeof duration, "%lld", s.duration);
    const char *params[] = {
        r->auth.org_id, cohort_id,  s.first, count,     s.kind,
        duration,       s.modality, s.title, s.learner, force > 0 ? "true" : "false"};
    rc = db_exec(r->db, &db_sessions_schedule, 10, params, PGRES_TUPLES_OK, &ids, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(ids) > 0 && !PQgetisnull(ids, 0, 1)) {
        rc = session_refusal(r, PQgetvalue(ids, 0, 1), PQgetvalue(ids, 0, 2), s.field);
        PQclear(ids);
        return rc;
    }
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
        rc = cohort_lock(r, cohort_id, COHORT_READ, &cohort);
    if (rc != MC_OK)
        return rc;
    /* a learner sees the weekly sessions and their own coaching */
    const char *only_for = r->cohort_role == ROLE_LEARNER ? r->auth.person_id : NULL;
    const char *params[] = {r->auth.org_id, cohort_id, page_after_param(&page), only_for,
                            page.limit_plus_one};
    return page_reply_query(r, &page, &db_sessions_list, 5, params);
}

/* ---- corrections: move, cancel, restore, held, delete --------------------- */

DB_STMT(db_session_correct,
        "SELECT problem, message, cohort_id, before::text AS before, after::text AS after"
        " FROM mcred.session_correct($1::uuid, $2::uuid, $3, $4::timestamp,"
        " nullif($5, '')::integer, $6, $7, $8::boolean, $9::boolean, $10)");

/* What a correction asks for; NULL fields are left as they are. */
struct correction {
    const char *action;   /* move, cancel, restore, held, delete */
    const char *audit;    /* the audit action, e.g. "session.move" */
    const char *event;    /* the event type, e.g. "session.updated" */
    const char *local;    /* move: the new start on the cohort's clock */
    char duration[24];    /* move: minutes, or "" */
    const char *modality; /* move */
    const char *title;    /* move */
    const char *held;     /* move: "true" / "false" / NULL */
    bool force;           /* move: may leave the cohort's dates */
    const char *reason;   /* cancel */
};

static cJSON *parse_item(const PGresult *res, const char *column)
{
    int col = PQfnumber(res, column);
    if (col < 0 || PQgetisnull(res, 0, col))
        return NULL;
    return cJSON_Parse(PQgetvalue(res, 0, col));
}

/* Run one correction through mcred.session_correct, journal it and answer it. */
static enum mc_err session_correct(struct request *r, const struct correction *c)
{
    const char *id = request_param(r, "id");
    if (!mc_uuid_valid(id))
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "session %s not found", id);
    const char *params[] = {r->auth.org_id, id,          c->action,
                            c->local,       c->duration, c->modality,
                            c->title,       c->held,     c->force ? "true" : "false",
                            c->reason};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_session_correct, 10, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return request_fail(r, MC_ERR_INTERNAL, NULL, "session correction answered nothing");
    }
    if (!PQgetisnull(res, 0, 0)) {
        rc = session_refusal(r, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), "local_start");
        PQclear(res);
        return rc;
    }
    cJSON *before = parse_item(res, "before");
    cJSON *after = parse_item(res, "after");
    bool deleted = PQgetisnull(res, 0, PQfnumber(res, "after"));
    PQclear(res);
    if (!before || (!after && !deleted)) {
        cJSON_Delete(before);
        cJSON_Delete(after);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor, c->audit, "session", id, before, after,
                       c->event, deleted ? before : after, NULL, &r->err);
    cJSON_Delete(before);
    if (rc != MC_OK) {
        cJSON_Delete(after);
        return rc;
    }
    return deleted ? request_reply(r, 204, NULL) : request_reply(r, 200, after);
}

enum mc_err sessions_update(struct request *r)
{
    static const char *const keys[] = {
        "local_start", "duration_minutes", "modality", "title", "held", "force", NULL};
    struct correction c = {.action = "move", .audit = "session.update", .event = "session.updated"};
    long long duration = -1;
    int held = -1, force = -1;
    enum mc_err rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "local_start", false, 19, &c.local, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_int(r->json, "duration_minutes", false, 5, 600, &duration, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "modality", false, 16, &c.modality, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "title", false, MC_MAX_NAME, &c.title, &r->err);
    if (rc == MC_OK)
        rc = read_flag(r, "held", &held);
    if (rc == MC_OK)
        rc = read_flag(r, "force", &force);
    if (rc != MC_OK)
        return rc;
    if (!c.local && duration < 0 && !c.modality && !c.title && held < 0)
        return request_fail(r, MC_ERR_INVALID, NULL,
                            "nothing to change: give local_start, duration_minutes, modality, "
                            "title or held");
    if (c.local && !session_local_time_valid(c.local))
        return request_fail(r, MC_ERR_INVALID, "local_start",
                            "local_start must be a local date and time, YYYY-MM-DDTHH:MM");
    if (c.modality && strcmp(c.modality, "hyflex") != 0 && strcmp(c.modality, "in_person") != 0 &&
        strcmp(c.modality, "online") != 0)
        return request_fail(r, MC_ERR_INVALID, "modality",
                            "modality must be hyflex, in_person or online");
    if (c.title && !*c.title)
        return request_fail(r, MC_ERR_INVALID, "title", "title must not be empty");
    if (duration > 0)
        snprintf(c.duration, sizeof c.duration, "%lld", duration);
    c.held = held < 0 ? NULL : held ? "true" : "false";
    c.force = force > 0;
    return session_correct(r, &c);
}

enum mc_err sessions_cancel(struct request *r)
{
    static const char *const keys[] = {"reason", NULL};
    struct correction c = {
        .action = "cancel", .audit = "session.cancel", .event = "session.cancelled"};
    if (r->json) {
        enum mc_err rc = mc_json_only_keys(r->json, keys, &r->err);
        if (rc == MC_OK)
            rc = mc_json_get_string(r->json, "reason", false, 500, &c.reason, &r->err);
        if (rc != MC_OK)
            return rc;
    }
    return session_correct(r, &c);
}

enum mc_err sessions_restore(struct request *r)
{
    struct correction c = {
        .action = "restore", .audit = "session.restore", .event = "session.updated"};
    return session_correct(r, &c);
}

enum mc_err sessions_held(struct request *r)
{
    struct correction c = {.action = "held", .audit = "session.held", .event = "session.updated"};
    return session_correct(r, &c);
}

enum mc_err sessions_delete(struct request *r)
{
    struct correction c = {
        .action = "delete", .audit = "session.delete", .event = "session.deleted"};
    return session_correct(r, &c);
}
