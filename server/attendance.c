/*
 * attendance.c — /v1/sessions/{id}/attendance: record (or re-record) many
 * people at once, list a session's attendance, remove one person's
 * record; and /v1/cohorts/{id}/members/{person}/attendance, one learner's
 * attendance across the cohort's sessions.
 *
 * Attendance is recorded only for a session that has started (or was
 * marked held by hand) and was not cancelled.  Only enrolled members of
 * the session's cohort can be recorded.  A coach who records (through
 * their cohort role) may record their own learners, or every learner of
 * a cohort where no learner has a coach assigned.  Every record of a
 * request is checked before anything is written, and every problem is
 * reported at once ("errors" beside "error", each naming its item and
 * person).  The records, each with its audit row keeping the mode it
 * replaced, are written by one statement (mcred.attendance_put); the
 * request emits one attendance.recorded event with every record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohorts.h"
#include "journal.h"
#include "mcred/buf.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "paging.h"
#include "request.h"
#include "router.h"
#include "sessions.h"
#include "status_db.h"

#include "mcred/banned.h"

#define MC_MAX_ATTENDANCE 1000 /* records in one request */
#define MC_MAX_WHO        254  /* an e-mail, or an id */

/* ---- the session ---- */

struct session_info {
    char id[40];
    char label[256];      /* "Week 3", or its title */
    char local_start[64]; /* "Tue 2027-02-16 17:00" on the cohort's clock */
    char timezone[MC_MAX_TIMEZONE + 1];
    char cancel_reason[256];
    bool started; /* started, or marked held */
    bool cancelled;
    struct cohort_info cohort;
};

DB_STMT(db_attendance_session,
        "SELECT s.id, s.cohort_id, mcred.session_name(s.title, s.kind, s.week) AS label,"
        " to_char(s.starts_at AT TIME ZONE c.timezone, 'Dy YYYY-MM-DD HH24:MI') AS local_start,"
        " c.timezone, (s.starts_at <= now() OR s.held_at IS NOT NULL) AS started,"
        " s.cancelled_at IS NOT NULL AS cancelled, coalesce(s.cancel_reason, '') AS cancel_reason"
        " FROM mcred.sessions s JOIN mcred.cohorts c ON c.org_id = s.org_id AND c.id = s.cohort_id"
        " WHERE s.org_id = $1::uuid AND s.id = $2::uuid");

/* The session the path names and its cohort, locked (for_write) or found. */
static enum mc_err session_find(struct request *r, bool for_write, struct session_info *out)
{
    const char *session = request_param(r, "id");
    const char *params[] = {r->auth.org_id, session};
    PGresult *res = NULL;
    memset(out, 0, sizeof *out);
    enum mc_err rc =
        db_exec(r->db, &db_attendance_session, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    char cohort[40] = "";
    if (PQntuples(res) == 1) {
        snprintf(out->id, sizeof out->id, "%s", db_get(res, 0, "id"));
        snprintf(cohort, sizeof cohort, "%s", db_get(res, 0, "cohort_id"));
        snprintf(out->label, sizeof out->label, "%s", db_get(res, 0, "label"));
        snprintf(out->local_start, sizeof out->local_start, "%s", db_get(res, 0, "local_start"));
        snprintf(out->timezone, sizeof out->timezone, "%s", db_get(res, 0, "timezone"));
        snprintf(out->cancel_reason, sizeof out->cancel_reason, "%s",
                 db_get(res, 0, "cancel_reason"));
        out->started = strcmp(db_get(res, 0, "started"), "t") == 0;
        out->cancelled = strcmp(db_get(res, 0, "cancelled"), "t") == 0;
    }
    PQclear(res);
    if (!*cohort)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "session %s not found", session);
    return cohort_lock(r, cohort, for_write ? COHORT_WRITE : COHORT_READ, &out->cohort);
}

/* Attendance is for sessions that happened: refuse the others, saying which and when. */
static enum mc_err session_recordable(struct request *r, const struct session_info *s)
{
    if (s->cancelled)
        return request_fail(r, MC_ERR_CONFLICT, NULL,
                            "%s (%s, %s) was cancelled%s%s%s: attendance is not recorded for a "
                            "cancelled session",
                            s->label, s->local_start, s->timezone, *s->cancel_reason ? " (" : "",
                            s->cancel_reason, *s->cancel_reason ? ")" : "");
    if (!s->started)
        return request_fail(r, MC_ERR_CONFLICT, NULL,
                            "%s has not started yet: it starts %s (%s); attendance can be "
                            "recorded once it has started or been marked held",
                            s->label, s->local_start, s->timezone);
    return MC_OK;
}

/* ---- the people a request names ---- */

DB_STMT(db_attendance_people,
        "SELECT idx, person_id, email, name, role, status, mine, coach_name, coach_email"
        " FROM mcred.attendance_people($1::uuid, $2::uuid, $3::uuid,"
        "  (SELECT array_agg(v ORDER BY o) FROM jsonb_array_elements_text($4::jsonb)"
        "   WITH ORDINALITY AS t(v, o)))");

/* Who row i of an attendance_people result is, in the user's words: "Ben Ortiz (ben@x.org)". */
static void person_words(const PGresult *res, int i, char *out, size_t n)
{
    snprintf(out, n, "%s (%s)", db_get(res, i, "name"), db_get(res, i, "email"));
}

/* Does the caller, in as a coach, not coach row i's person?  Then `message` says so. */
static bool coach_refuses(const struct request *r, const PGresult *res, int i, char *message,
                          size_t n)
{
    if (r->cohort_role != ROLE_COACH || strcmp(db_get(res, i, "mine"), "t") == 0)
        return false;
    char who[MC_MAX_EMAIL + 256];
    person_words(res, i, who, sizeof who);
    const char *role = db_get(res, i, "role"), *coach_name = db_get(res, i, "coach_name");
    if (role && strcmp(role, "coach") == 0)
        mc_format_cut(message, n,
                      "%s is a coach of this cohort: a coach acts only on their learners", who);
    else if (coach_name)
        mc_format_cut(message, n, "you do not coach %s; their coach is %s (%s)", who, coach_name,
                      db_get(res, i, "coach_email"));
    else if (role)
        mc_format_cut(message, n, "you do not coach %s; they have no coach assigned", who);
    else
        mc_format_cut(message, n, "you do not coach %s: they are not a learner of this cohort",
                      who);
    return true;
}

/*
 * Row i of attendance_people: may the caller record this person?  On
 * refusal, `message` says why and *code is 403 (a coach's) or 422.
 */
static bool person_allowed(const struct request *r, const PGresult *res, int i, enum mc_err *code,
                           char *message, size_t n)
{
    char who[MC_MAX_EMAIL + 256];
    person_words(res, i, who, sizeof who);
    const char *status = db_get(res, i, "status");
    *code = MC_ERR_INVALID;
    if (!status) {
        mc_format_cut(message, n, "%s is not a member of this cohort", who);
        return false;
    }
    if (strcmp(status, "enrolled") != 0) {
        mc_format_cut(message, n, "%s is %s, not enrolled in this cohort", who, status);
        return false;
    }
    *code = MC_ERR_FORBIDDEN;
    return !coach_refuses(r, res, i, message, n);
}

/* ---- the records of a PUT ---- */

struct record {
    const char *who; /* as the request named them */
    const char *mode;
    bool bad;        /* already refused */
    char person[40]; /* once found */
};

/* The problems found so far, as {"item", "field", "person", "message"}. */
struct problems {
    cJSON *list;
    size_t n;
    size_t forbidden; /* of them, refusals of a coach */
};

static bool problem_add(struct problems *p, int item, const char *field, const char *who,
                        enum mc_err code, const char *message)
{
    char path[64];
    snprintf(path, sizeof path, "attendance[%d]%s%s", item, *field ? "." : "", field);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "item", item) ||
        !cJSON_AddStringToObject(o, "field", path) ||
        (who && !cJSON_AddStringToObject(o, "person", who)) ||
        !cJSON_AddStringToObject(o, "message", message) || !cJSON_AddItemToArray(p->list, o)) {
        cJSON_Delete(o);
        return false;
    }
    p->n++;
    if (code == MC_ERR_FORBIDDEN)
        p->forbidden++;
    return true;
}

/* Order the problems by item: the body's shape is checked before the people. */
static void problems_sort(struct problems *p, int nitems)
{
    cJSON *sorted = cJSON_CreateArray();
    if (!sorted)
        return; /* left in the order found */
    for (int i = 0; i < nitems; i++) {
        cJSON *e = p->list->child;
        while (e) {
            cJSON *next = e->next;
            if (cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "item")) == i)
                cJSON_AddItemToArray(sorted, cJSON_DetachItemViaPointer(p->list, e));
            e = next;
        }
    }
    cJSON_Delete(p->list);
    p->list = sorted;
}

static const char *const modes[] = {"in_person", "online",  "asynchronous",
                                    "absent",    "excused", NULL};

static bool mode_valid(const char *m)
{
    for (const char *const *p = modes; *p; p++)
        if (strcmp(m, *p) == 0)
            return true;
    return false;
}

/* Read item i of the body's list without the database; problems go to p. */
static bool read_item(const cJSON *item, int i, struct record *rec, struct problems *p)
{
    static const char *const keys[] = {"email", "person", "mode", NULL};
    struct mc_error err;
    const char *email = NULL, *person = NULL, *mode = NULL;
    mc_error_clear(&err);
    rec->bad = true;
    if (!cJSON_IsObject(item))
        return problem_add(p, i, "", NULL, MC_ERR_INVALID,
                           "each record must be an object with email (or person) and mode");
    if (mc_json_only_keys(item, keys, &err) != MC_OK ||
        mc_json_get_string(item, "email", false, MC_MAX_EMAIL, &email, &err) != MC_OK ||
        mc_json_get_string(item, "person", false, MC_MAX_WHO, &person, &err) != MC_OK ||
        mc_json_get_string(item, "mode", true, 16, &mode, &err) != MC_OK)
        return problem_add(p, i, err.field, email ? email : person, MC_ERR_INVALID,
                           mc_error_message(&err));
    const char *who = person ? person : email;
    if ((email == NULL) == (person == NULL))
        return problem_add(p, i, person ? "person" : "email", who, MC_ERR_INVALID,
                           "give either email or person");
    if (!mode_valid(mode)) {
        char message[160];
        snprintf(message, sizeof message,
                 "\"%.32s\" is not a mode: use in_person, online, asynchronous, absent or excused",
                 mode);
        return problem_add(p, i, "mode", who, MC_ERR_INVALID, message);
    }
    rec->who = who;
    rec->mode = mode;
    rec->bad = false;
    return true;
}

/*
 * Check every record: the body's shape, then (one statement) each person
 * — found, enrolled, and for a coach one they coach — and no one twice.
 * `out` receives [{"person", "email", "mode"}] for the write.
 */
static enum mc_err check_records(struct request *r, const struct session_info *s, const cJSON *list,
                                 struct record *recs, int n, struct problems *p, cJSON *out)
{
    cJSON *names = cJSON_CreateArray();
    if (!names)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    for (int i = 0; i < n; i++)
        if (!read_item(cJSON_GetArrayItem(list, i), i, &recs[i], p) ||
            !cJSON_AddItemToArray(names, cJSON_CreateString(recs[i].bad ? "" : recs[i].who))) {
            cJSON_Delete(names);
            return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        }
    char *text = cJSON_PrintUnformatted(names);
    cJSON_Delete(names);
    if (!text)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *coach = r->cohort_role == ROLE_COACH ? r->auth.person_id : NULL;
    const char *params[] = {r->auth.org_id, s->cohort.id, coach, text};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_attendance_people, 4, params, PGRES_TUPLES_OK, &res, &r->err);
    free(text);
    if (rc != MC_OK)
        return rc;
    bool ok = PQntuples(res) == n;
    for (int i = 0; ok && i < n; i++) {
        if (recs[i].bad)
            continue;
        const char *field = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(list, i), "person")
                                ? "person"
                                : "email";
        char message[MC_MAX_ERR_MESSAGE];
        enum mc_err code = MC_ERR_INVALID;
        if (!db_get(res, i, "person_id")) {
            snprintf(message, sizeof message, "no one with the %s %.254s in this organisation",
                     strchr(recs[i].who, '@') ? "e-mail" : "id", recs[i].who);
            ok = problem_add(p, i, field, recs[i].who, code, message);
            continue;
        }
        snprintf(recs[i].person, sizeof recs[i].person, "%s", db_get(res, i, "person_id"));
        if (!person_allowed(r, res, i, &code, message, sizeof message)) {
            ok = problem_add(p, i, field, recs[i].who, code, message);
            continue;
        }
        int twice = -1;
        for (int j = 0; twice < 0 && j < i; j++)
            if (!recs[j].bad && strcmp(recs[j].person, recs[i].person) == 0)
                twice = j;
        if (twice >= 0) {
            char who[MC_MAX_EMAIL + 256];
            person_words(res, i, who, sizeof who);
            snprintf(message, sizeof message, "%.400s is listed twice (also record %d)", who,
                     twice + 1);
            ok = problem_add(p, i, field, recs[i].who, code, message);
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        ok = o && cJSON_AddStringToObject(o, "person", recs[i].person) &&
             cJSON_AddStringToObject(o, "email", db_get(res, i, "email")) &&
             cJSON_AddStringToObject(o, "mode", recs[i].mode) && cJSON_AddItemToArray(out, o);
        if (!ok)
            cJSON_Delete(o);
    }
    if (PQntuples(res) != n) {
        PQclear(res);
        return request_fail(r, MC_ERR_INTERNAL, NULL, NULL);
    }
    PQclear(res);
    return ok ? MC_OK : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

/* Refuse the request with every problem found: nothing was written. */
static enum mc_err problems_fail(struct request *r, struct problems *p, int nitems)
{
    enum mc_err code = p->forbidden == p->n ? MC_ERR_FORBIDDEN : MC_ERR_INVALID;
    problems_sort(p, nitems);
    const cJSON *first = cJSON_GetArrayItem(p->list, 0);
    const char *f = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "field"));
    const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "message"));
    char field[64], message[MC_MAX_ERR_MESSAGE];
    snprintf(field, sizeof field, "%s", f ? f : "attendance");
    snprintf(message, sizeof message, "%s", m ? m : "an attendance record cannot be recorded");
    cJSON_Delete(r->error_details);
    r->error_details = p->list;
    p->list = NULL;
    if (p->n == 1)
        return request_fail(r, code, field, "%s", message);
    return request_fail(r, code, field,
                        "%zu of the attendance records cannot be recorded; nothing was written",
                        p->n);
}

DB_STMT(db_attendance_put,
        "SELECT mcred.attendance_put($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::jsonb)::text");

/* Write the checked records with their audit rows; *out receives the records written. */
static enum mc_err write_records(struct request *r, const struct session_info *s,
                                 const cJSON *records, cJSON **out)
{
    char *text = cJSON_PrintUnformatted(records);
    if (!text)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    struct actor actor = journal_actor(r);
    const char *params[] = {r->auth.org_id,   s->id, actor.person_id, actor.label,
                            actor.request_id, text};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_attendance_put, 6, params, PGRES_TUPLES_OK, &res, &r->err);
    free(text);
    if (rc != MC_OK)
        return rc;
    struct mc_error err;
    mc_error_clear(&err);
    const char *written = PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "";
    rc = mc_json_parse(written, strlen(written), out, &err);
    PQclear(res);
    return rc == MC_OK ? MC_OK : request_fail(r, MC_ERR_INTERNAL, NULL, NULL);
}

DB_STMT_REPLAN(db_attendance_list, "SELECT item::text AS item, sort_key FROM mcred.attendance_items"
                                   " WHERE org_id = $1::uuid AND session_id = $2::uuid"
                                   " AND ($3::text IS NULL OR sort_key > $3 COLLATE \"C\")"
                                   " ORDER BY sort_key LIMIT $4::integer");

static enum mc_err reply_attendance(struct request *r, const char *session, struct page *page)
{
    const char *params[] = {r->auth.org_id, session, page_after_param(page), page->limit_plus_one};
    return page_reply_query(r, page, &db_attendance_list, 4, params);
}

enum mc_err attendance_record(struct request *r)
{
    static const char *const keys[] = {"attendance", NULL};
    struct session_info s;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r->json, "attendance");
    int n = cJSON_GetArraySize(list);
    enum mc_err rc = session_find(r, true, &s);
    if (rc == MC_OK)
        rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc == MC_OK)
        rc = session_recordable(r, &s);
    if (rc != MC_OK)
        return rc;
    if (!cJSON_IsArray(list) || n < 1 || n > MC_MAX_ATTENDANCE)
        return request_fail(r, MC_ERR_INVALID, "attendance",
                            "attendance must be a list of 1 to %d records", MC_MAX_ATTENDANCE);
    struct record *recs = calloc((size_t)n, sizeof *recs);
    struct problems p = {.list = cJSON_CreateArray()};
    cJSON *records = cJSON_CreateArray(), *written = NULL;
    cJSON *event = cJSON_CreateObject();
    if (!recs || !p.list || !records || !event) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    rc = check_records(r, &s, list, recs, n, &p, records);
    if (rc == MC_OK && p.n)
        rc = problems_fail(r, &p, n);
    if (rc == MC_OK)
        rc = write_records(r, &s, records, &written);
    /* attendance can make a learner eligible, or no longer */
    if (rc == MC_OK) {
        struct status_learners touched;
        status_learners_init(&touched);
        for (int i = 0; i < n; i++)
            status_learners_add(&touched, recs[i].person);
        rc = status_refresh(r, s.cohort.id, &touched);
        status_learners_release(&touched);
    }
    if (rc != MC_OK)
        goto out;
    if (!cJSON_AddStringToObject(event, "cohort", s.cohort.id) ||
        !cJSON_AddStringToObject(event, "session", s.id) ||
        !cJSON_AddItemToObject(event, "records", written)) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    written = NULL;
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor, "attendance.record", "session", s.id, NULL,
                       NULL, "attendance.recorded", event, NULL, &r->err);
    /* the whole attendance of a session: at most the cohort's members */
    struct page page = {.limit = MC_PAGE_MAX};
    snprintf(page.limit_plus_one, sizeof page.limit_plus_one, "%d", MC_PAGE_MAX + 1);
    if (rc == MC_OK)
        rc = reply_attendance(r, s.id, &page);
out:
    free(recs);
    cJSON_Delete(p.list);
    cJSON_Delete(records);
    cJSON_Delete(written);
    cJSON_Delete(event);
    return rc;
}

enum mc_err attendance_list(struct request *r)
{
    struct page page;
    struct session_info s;
    enum mc_err rc = page_parse(r, &page);
    if (rc == MC_OK)
        rc = session_find(r, false, &s);
    return rc == MC_OK ? reply_attendance(r, s.id, &page) : rc;
}

/* ---- one person: remove their record, or show their attendance ---- */

/*
 * The person the path's {person} names (id or e-mail), found like a
 * record: row 0 of *out (PQclear it); 404 when there is no such person.
 */
static enum mc_err person_of_path(struct request *r, const char *cohort, PGresult **out)
{
    const char *who = request_param(r, "person");
    cJSON *names = cJSON_CreateArray();
    char *text = NULL;
    if (!names || !cJSON_AddItemToArray(names, cJSON_CreateString(who)) ||
        !(text = cJSON_PrintUnformatted(names))) {
        cJSON_Delete(names);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    cJSON_Delete(names);
    const char *coach = r->cohort_role == ROLE_COACH ? r->auth.person_id : NULL;
    const char *params[] = {r->auth.org_id, cohort, coach, text};
    enum mc_err rc =
        db_exec(r->db, &db_attendance_people, 4, params, PGRES_TUPLES_OK, out, &r->err);
    free(text);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(*out) != 1 || !db_get(*out, 0, "person_id")) {
        PQclear(*out);
        *out = NULL;
        return request_fail(r, MC_ERR_NOT_FOUND, "person",
                            "no one with the %s %.254s in this organisation",
                            strchr(who, '@') ? "e-mail" : "id", who);
    }
    return MC_OK;
}

DB_STMT(db_attendance_remove,
        "DELETE FROM mcred.attendance WHERE org_id = $1::uuid AND session_id = $2::uuid"
        " AND person_id = $3::uuid RETURNING mode");

enum mc_err attendance_remove(struct request *r)
{
    struct session_info s;
    PGresult *person = NULL, *res = NULL;
    cJSON *before = NULL;
    enum mc_err rc = session_find(r, true, &s);
    if (rc == MC_OK)
        rc = person_of_path(r, s.cohort.id, &person);
    if (rc != MC_OK)
        return rc;
    char who[MC_MAX_EMAIL + 256], message[MC_MAX_ERR_MESSAGE], id[40];
    person_words(person, 0, who, sizeof who);
    snprintf(id, sizeof id, "%s", db_get(person, 0, "person_id"));
    /* a record may be removed from any session; a coach only their learners' */
    if (coach_refuses(r, person, 0, message, sizeof message)) {
        PQclear(person);
        return request_fail(r, MC_ERR_FORBIDDEN, "person", "%s", message);
    }
    const char *params[] = {r->auth.org_id, s.id, id};
    rc = db_exec(r->db, &db_attendance_remove, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc == MC_OK && PQntuples(res) != 1)
        rc = request_fail(r, MC_ERR_NOT_FOUND, "person",
                          "%s has no attendance recorded for %s (%s)", who, s.label, s.local_start);
    cJSON *data = NULL;
    if (rc == MC_OK) {
        before = cJSON_CreateObject();
        data = cJSON_CreateObject();
        if (!before || !data || !cJSON_AddStringToObject(before, "session", s.id) ||
            !cJSON_AddStringToObject(before, "person", id) ||
            !cJSON_AddStringToObject(before, "email", db_get(person, 0, "email")) ||
            !cJSON_AddStringToObject(before, "mode", PQgetvalue(res, 0, 0)) ||
            !cJSON_AddStringToObject(data, "cohort", s.cohort.id) ||
            !cJSON_AddStringToObject(data, "session", s.id) ||
            !cJSON_AddStringToObject(data, "person", id) ||
            !cJSON_AddStringToObject(data, "email", db_get(person, 0, "email")) ||
            !cJSON_AddStringToObject(data, "mode", PQgetvalue(res, 0, 0)))
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    char entity[96];
    snprintf(entity, sizeof entity, "%s/%s", s.id, id);
    struct actor actor = journal_actor(r);
    if (rc == MC_OK)
        rc = journal_write(r->db, r->auth.org_id, &actor, "attendance.remove", "attendance", entity,
                           before, NULL, "attendance.removed", data, NULL, &r->err);
    if (rc == MC_OK && db_get(person, 0, "status"))
        rc = status_refresh_one(r, s.cohort.id, id);
    PQclear(person);
    PQclear(res);
    cJSON_Delete(data);
    if (rc != MC_OK) {
        cJSON_Delete(before);
        return rc;
    }
    /* the record as it was: what was removed */
    return request_reply(r, 200, before);
}

DB_STMT(db_member_attendance, "SELECT mcred.member_attendance($1::uuid, $2::uuid, $3::uuid)::text");

enum mc_err attendance_member(struct request *r)
{
    struct cohort_info cohort;
    PGresult *person = NULL, *res = NULL;
    enum mc_err rc = cohort_lock(r, request_param(r, "id"), COHORT_READ, &cohort);
    if (rc == MC_OK)
        rc = person_of_path(r, cohort.id, &person);
    if (rc != MC_OK)
        return rc;
    char who[MC_MAX_EMAIL + 256], message[MC_MAX_ERR_MESSAGE], id[40];
    person_words(person, 0, who, sizeof who);
    snprintf(id, sizeof id, "%s", db_get(person, 0, "person_id"));
    const char *role = db_get(person, 0, "role");
    if (r->cohort_role == ROLE_LEARNER && strcmp(id, r->auth.person_id) != 0)
        rc = request_fail(r, MC_ERR_FORBIDDEN, "person",
                          "you may see only your own attendance, not that of %s", who);
    else if (coach_refuses(r, person, 0, message, sizeof message))
        rc = request_fail(r, MC_ERR_FORBIDDEN, "person", "%s", message);
    else if (!role || strcmp(role, "learner") != 0)
        rc = request_fail(r, MC_ERR_NOT_FOUND, "person", "%s is not a learner of cohort %s", who,
                          cohort.name);
    PQclear(person);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id, cohort.id, id};
    rc = db_exec(r->db, &db_member_attendance, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    struct mc_error err;
    mc_error_clear(&err);
    cJSON *out = NULL;
    const char *text = PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "";
    rc = mc_json_parse(text, strlen(text), &out, &err);
    PQclear(res);
    return rc == MC_OK ? request_reply(r, 200, out) : request_fail(r, MC_ERR_INTERNAL, NULL, NULL);
}
