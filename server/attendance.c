/*
 * attendance.c — /v1/sessions/{id}/attendance: record (or re-record) many
 * people at once, and list a session's attendance.
 *
 * Only enrolled members of the session's cohort can be recorded.  A coach
 * who records (through their cohort role) may record their own learners,
 * or every learner of a cohort where no learner has a coach assigned.
 * Each record's change is audited; the request emits one
 * attendance.recorded event with every record it wrote.
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
#include "status_db.h"

#include "mcred/banned.h"

#define MC_MAX_ATTENDANCE 1000 /* records in one request */

DB_STMT(db_attendance_session,
        "SELECT cohort_id FROM mcred.sessions WHERE org_id = $1::uuid AND id = $2::uuid");

/* The session's cohort, locked (for_write) or found. */
static enum mc_err session_cohort(struct request *r, bool for_write, struct cohort_info *out)
{
    const char *session = request_param(r, "id");
    const char *params[] = {r->auth.org_id, session};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_attendance_session, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    char cohort[40] = "";
    if (PQntuples(res) == 1)
        snprintf(cohort, sizeof cohort, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (!*cohort)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "session %s not found", session);
    return cohort_lock(r, cohort, for_write, out);
}

static bool mode_valid(const char *m)
{
    static const char *const modes[] = {"in_person", "online",  "asynchronous",
                                        "absent",    "excused", NULL};
    for (const char *const *p = modes; *p; p++)
        if (strcmp(m, *p) == 0)
            return true;
    return false;
}

DB_STMT(db_attendance_member,
        "SELECT p.id, p.email, m.status FROM mcred.people p"
        " LEFT JOIN mcred.members m ON m.org_id = p.org_id AND m.person_id = p.id"
        "  AND m.cohort_id = $2::uuid"
        " WHERE p.org_id = $1::uuid AND (p.id::text = $3 OR lower(p.email) = lower($3))");
DB_STMT(db_attendance_coached,
        "SELECT mcred.coached_by($1::uuid, $2::uuid, $3::uuid) AS person_id");

struct record {
    char field[32];
    char person[40];
    char email[MC_MAX_EMAIL + 1];
    const char *mode;
};

/* May this caller record this member? (Coordinators: anyone enrolled.) */
static enum mc_err check_member(struct request *r, const PGresult *res, const struct record *rec,
                                const PGresult *coached, const char *who)
{
    const char *status = db_get(res, 0, "status");
    if (!status || strcmp(status, "enrolled") != 0)
        return request_fail(r, MC_ERR_INVALID, rec->field,
                            "%s is not an enrolled member of this session's cohort", who);
    if (r->cohort_role != ROLE_COACH)
        return MC_OK;
    bool mine = false;
    for (int i = 0; !mine && i < PQntuples(coached); i++)
        mine = strcmp(PQgetvalue(coached, i, 0), rec->person) == 0;
    if (!mine)
        return request_fail(r, MC_ERR_FORBIDDEN, rec->field,
                            "you coach %s: you may record only your own learners", who);
    return MC_OK;
}

/* Read and check one record of the body. */
static enum mc_err read_record(struct request *r, const struct cohort_info *cohort,
                               const cJSON *item, const PGresult *coached, struct record *rec)
{
    static const char *const keys[] = {"email", "person", "mode", NULL};
    const char *email = NULL, *person = NULL;
    enum mc_err rc = mc_json_only_keys(item, keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(item, "email", false, MC_MAX_EMAIL, &email, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(item, "person", false, 64, &person, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(item, "mode", true, 16, &rec->mode, &r->err);
    if (rc != MC_OK) {
        request_field_prefix(r, rec->field);
        return rc;
    }
    char field[64];
    snprintf(field, sizeof field, "%s.mode", rec->field);
    if (!mode_valid(rec->mode))
        return request_fail(r, MC_ERR_INVALID, field,
                            "mode must be in_person, online, asynchronous, absent or excused");
    snprintf(field, sizeof field, "%s.%s", rec->field, person ? "person" : "email");
    if ((email == NULL) == (person == NULL))
        return request_fail(r, MC_ERR_INVALID, field, "give either email or person");
    const char *who = person ? person : email;
    const char *params[] = {r->auth.org_id, cohort->id, who};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_attendance_member, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return request_fail(r, MC_ERR_INVALID, rec->field, "no person %s in this organisation",
                            who);
    }
    snprintf(rec->person, sizeof rec->person, "%s", db_get(res, 0, "id"));
    snprintf(rec->email, sizeof rec->email, "%s", db_get(res, 0, "email"));
    rc = check_member(r, res, rec, coached, who);
    PQclear(res);
    return rc;
}

static enum mc_err read_records(struct request *r, const struct cohort_info *cohort,
                                struct record *recs, int n, const cJSON *list)
{
    /* a coach records only the learners they coach: ask once who those are */
    PGresult *coached = NULL;
    enum mc_err rc = MC_OK;
    if (r->cohort_role == ROLE_COACH) {
        const char *params[] = {r->auth.org_id, cohort->id, r->auth.person_id};
        rc = db_exec(r->db, &db_attendance_coached, 3, params, PGRES_TUPLES_OK, &coached, &r->err);
    }
    for (int i = 0; rc == MC_OK && i < n; i++) {
        snprintf(recs[i].field, sizeof recs[i].field, "attendance[%d]", i);
        rc = read_record(r, cohort, cJSON_GetArrayItem(list, i), coached, &recs[i]);
        for (int j = 0; rc == MC_OK && j < i; j++)
            if (strcmp(recs[j].person, recs[i].person) == 0)
                rc = request_fail(r, MC_ERR_INVALID, recs[i].field, "%s is named twice (also %s)",
                                  recs[i].email, recs[j].field);
    }
    PQclear(coached);
    return rc;
}

DB_STMT(db_attendance_before, "SELECT mode FROM mcred.attendance WHERE org_id = $1::uuid"
                              " AND session_id = $2::uuid AND person_id = $3::uuid FOR UPDATE");
DB_STMT(db_attendance_upsert,
        "INSERT INTO mcred.attendance (org_id, session_id, person_id, mode, recorded_by)"
        " VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid)"
        " ON CONFLICT (org_id, session_id, person_id) DO UPDATE"
        " SET mode = EXCLUDED.mode, recorded_by = EXCLUDED.recorded_by, recorded_at = now()");

static cJSON *record_json(const char *session, const struct record *rec, const char *mode)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "session", session) ||
        !cJSON_AddStringToObject(o, "person", rec->person) ||
        !cJSON_AddStringToObject(o, "email", rec->email) ||
        !cJSON_AddStringToObject(o, "mode", mode)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Write one record with its audit row; add it to `written`. */
static enum mc_err write_record(struct request *r, const char *session, const struct record *rec,
                                cJSON *written)
{
    const char *key[] = {r->auth.org_id, session, rec->person};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_attendance_before, 3, key, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    cJSON *before = PQntuples(res) == 1 ? record_json(session, rec, PQgetvalue(res, 0, 0)) : NULL;
    bool existed = PQntuples(res) == 1;
    PQclear(res);
    cJSON *after = record_json(session, rec, rec->mode);
    if ((existed && !before) || !after) {
        cJSON_Delete(before);
        cJSON_Delete(after);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    const char *params[] = {r->auth.org_id, session, rec->person, rec->mode, r->auth.person_id};
    rc = db_exec(r->db, &db_attendance_upsert, 5, params, PGRES_COMMAND_OK, NULL, &r->err);
    char entity[96];
    snprintf(entity, sizeof entity, "%s/%s", session, rec->person);
    struct actor actor = journal_actor(r);
    if (rc == MC_OK)
        rc = journal_write(r->db, r->auth.org_id, &actor, "attendance.record", "attendance", entity,
                           before, after, NULL, NULL, NULL, &r->err);
    cJSON_Delete(before);
    if (rc == MC_OK && !cJSON_AddItemToArray(written, after))
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    else if (rc != MC_OK)
        cJSON_Delete(after);
    return rc;
}

DB_STMT_REPLAN(db_attendance_list, "SELECT item::text AS item, sort_key FROM mcred.attendance_items"
                                   " WHERE org_id = $1::uuid AND session_id = $2::uuid"
                                   " AND ($3::text IS NULL OR sort_key > $3 COLLATE \"C\")"
                                   " ORDER BY sort_key LIMIT $4::integer");

static enum mc_err reply_attendance(struct request *r, struct page *page)
{
    const char *params[] = {r->auth.org_id, request_param(r, "id"), page_after_param(page),
                            page->limit_plus_one};
    return page_reply_query(r, page, &db_attendance_list, 4, params);
}

enum mc_err attendance_record(struct request *r)
{
    static const char *const keys[] = {"attendance", NULL};
    const char *session = request_param(r, "id");
    struct cohort_info cohort;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r->json, "attendance");
    int n = cJSON_GetArraySize(list);
    enum mc_err rc = session_cohort(r, true, &cohort);
    if (rc == MC_OK)
        rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc != MC_OK)
        return rc;
    if (!cJSON_IsArray(list) || n < 1 || n > MC_MAX_ATTENDANCE)
        return request_fail(r, MC_ERR_INVALID, "attendance",
                            "attendance must be a list of 1 to %d records", MC_MAX_ATTENDANCE);
    struct record *recs = calloc((size_t)n, sizeof *recs);
    cJSON *written = cJSON_CreateArray();
    cJSON *event = cJSON_CreateObject();
    if (!recs || !written || !event) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    rc = read_records(r, &cohort, recs, n, list);
    for (int i = 0; rc == MC_OK && i < n; i++)
        rc = write_record(r, session, &recs[i], written);
    /* attendance can make a learner eligible, or no longer */
    for (int i = 0; rc == MC_OK && i < n; i++)
        rc = status_refresh(r, cohort.id, recs[i].person);
    if (rc != MC_OK)
        goto out;
    if (!cJSON_AddStringToObject(event, "cohort", cohort.id) ||
        !cJSON_AddStringToObject(event, "session", session) ||
        !cJSON_AddItemToObject(event, "records", written)) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    written = NULL;
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor, "attendance.record", "session", session, NULL,
                       NULL, "attendance.recorded", event, NULL, &r->err);
    /* the whole attendance of a session: at most the cohort's members */
    struct page page = {.limit = MC_PAGE_MAX};
    snprintf(page.limit_plus_one, sizeof page.limit_plus_one, "%d", MC_PAGE_MAX + 1);
    if (rc == MC_OK)
        rc = reply_attendance(r, &page);
out:
    free(recs);
    cJSON_Delete(written);
    cJSON_Delete(event);
    return rc;
}

enum mc_err attendance_list(struct request *r)
{
    struct page page;
    struct cohort_info cohort;
    enum mc_err rc = page_parse(r, &page);
    if (rc == MC_OK)
        rc = session_cohort(r, false, &cohort);
    return rc == MC_OK ? reply_attendance(r, &page) : rc;
}
