/*
 * cohorts.c — /v1/cohorts: create on a published credential, list, show,
 * update (including the planned → active → closed status).  A cohort has
 * a slug, unique in its organisation, given or made from its name;
 * dispatch.c resolves a slug or name in a cohort path to its id.
 *
 * Raising a cohort's capacity moves waitlisted learners up (members.c);
 * every other resource of a cohort takes cohort_lock() first, so that a
 * closed cohort refuses their writes in one place: the cohort's records
 * (attendance, evidence, problems; scores in mcred.scores_post) share an
 * advisory lock on it, and changes to the cohort itself or its roster and
 * sessions take that lock alone — a close waits for the records in
 * flight and every record after it sees the close, while records never
 * wait for each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohorts.h"
#include "credentials.h"
#include "journal.h"
#include "members.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "paging.h"
#include "request.h"
#include "router.h"

#include "mcred/banned.h"

bool cohort_date_valid(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789") != 4 ||
        strspn(s + 5, "0123456789") != 2 || strspn(s + 8, "0123456789") != 2)
        return false;
    int y = (int)strtol(s, NULL, 10), m = (int)strtol(s + 5, NULL, 10),
        d = (int)strtol(s + 8, NULL, 10);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= days[m - 1] + (m == 2 && leap);
}

#define COHORT_ROW                                                                                 \
    "SELECT id, name, timezone, capacity,"                                                         \
    " mcred.cohort_status(org_id, id, status, status_source, starts_on, closes_on, timezone)"      \
    " AS status FROM mcred.cohorts WHERE org_id = $1::uuid AND id = $2::uuid"
DB_STMT(db_cohort_lock, COHORT_ROW " FOR UPDATE");
DB_STMT(db_cohort_read, COHORT_ROW);
DB_STMT(
    db_cohort_share,
    "SELECT pg_catalog.pg_advisory_xact_lock_shared(mcred.cohort_lock_key(mcred.try_uuid($1)))");
DB_STMT(db_cohort_exclude,
        "SELECT pg_catalog.pg_advisory_xact_lock(mcred.cohort_lock_key(mcred.try_uuid($1)))");

/*
 * Find the cohort, whatever its status, holding it as `access` says.  The
 * advisory lock is a statement of its own before the read, so that the
 * read's snapshot is taken once the lock is held and sees a close that
 * committed meanwhile; both go in one round trip.
 */
static enum mc_err cohort_find(struct request *r, const char *cohort_id, enum cohort_access access,
                               struct cohort_info *out)
{
    const char *params[] = {r->auth.org_id, cohort_id};
    PGresult *lock = NULL, *res = NULL;
    struct db_batch batch[] = {
        {access == COHORT_WRITE ? &db_cohort_share : &db_cohort_exclude, 1, &params[1],
         PGRES_TUPLES_OK, &lock},
        {access == COHORT_CHANGE ? &db_cohort_lock : &db_cohort_read, 2, params, PGRES_TUPLES_OK,
         &res},
    };
    enum mc_err rc = access == COHORT_READ ? db_exec(r->db, &db_cohort_read, 2, params,
                                                     PGRES_TUPLES_OK, &res, &r->err)
                                           : db_exec_batch(r->db, batch, 2, &r->err);
    PQclear(lock);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found", cohort_id);
    }
    snprintf(out->id, sizeof out->id, "%s", db_get(res, 0, "id"));
    snprintf(out->name, sizeof out->name, "%s", db_get(res, 0, "name"));
    snprintf(out->status, sizeof out->status, "%s", db_get(res, 0, "status"));
    snprintf(out->timezone, sizeof out->timezone, "%s", db_get(res, 0, "timezone"));
    out->capacity = strtol(db_get(res, 0, "capacity"), NULL, 10);
    PQclear(res);
    return MC_OK;
}

enum mc_err cohort_lock(struct request *r, const char *cohort_id, enum cohort_access access,
                        struct cohort_info *out)
{
    enum mc_err rc = cohort_find(r, cohort_id, access, out);
    if (rc == MC_OK && access != COHORT_READ && strcmp(out->status, "closed") == 0)
        return request_fail(r, MC_ERR_CONFLICT, NULL, "cohort %s is closed", out->name);
    return rc;
}

DB_STMT(db_cohort_name, "SELECT name FROM mcred.cohorts WHERE org_id = $1::uuid AND id = $2::uuid");

void cohort_words(struct request *r, const char *cohort_id, char *out, size_t size)
{
    const char *path_id = request_param(r, "id");
    if (r->cohort_resolved && r->cohort_name[0] && path_id && strcmp(cohort_id, path_id) == 0) {
        mc_format_cut(out, size, "%s", r->cohort_name);
        return;
    }
    mc_format_cut(out, size, "%s", cohort_id);
    if (!mc_uuid_valid(cohort_id))
        return;
    const char *params[] = {r->auth.org_id, cohort_id};
    PGresult *res = NULL;
    if (db_exec(r->db, &db_cohort_name, 2, params, PGRES_TUPLES_OK, &res, &r->err) == MC_OK &&
        PQntuples(res) == 1)
        mc_format_cut(out, size, "%s", PQgetvalue(res, 0, 0));
    else
        mc_error_clear(&r->err);
    PQclear(res);
}

DB_STMT(
    db_cohort_item,
    "SELECT item::text AS item FROM mcred.cohort_items WHERE org_id = $1::uuid AND id = $2::uuid");

enum mc_err cohort_item(struct request *r, const char *cohort_id, cJSON **out)
{
    const char *params[] = {r->auth.org_id, cohort_id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_cohort_item, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    *out = PQntuples(res) == 1 ? page_item(res, 0) : NULL;
    bool found = PQntuples(res) == 1;
    PQclear(res);
    if (!found)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found", cohort_id);
    return *out ? MC_OK : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

DB_STMT(db_timezone_known,
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = $1)");

static enum mc_err check_timezone(struct request *r, const char *tz)
{
    const char *params[] = {tz};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_timezone_known, 1, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool known = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!known)
        return request_fail(r, MC_ERR_INVALID, "timezone",
                            "timezone %s is not an IANA time zone name (e.g. America/Chicago)", tz);
    return MC_OK;
}

/* The fields of a create or update body. */
struct cohort_input {
    const char *credential, *name, *slug, *starts_on, *ends_on, *timezone, *status;
    long long capacity, min_learners; /* -1: not given */
    /* update only */
    const char *closes_on; /* a date; NULL with clear_closes_on: null given */
    bool clear_closes_on;
    const char *sessions; /* keep_local_time or keep_instant, for a time zone change */
    bool force;           /* dates may leave sessions outside */
};

static enum mc_err cohort_input_read(struct request *r, bool create, struct cohort_input *in)
{
    static const char *const create_keys[] = {"credential", "name",         "slug",
                                              "starts_on",  "ends_on",      "timezone",
                                              "capacity",   "min_learners", NULL};
    static const char *const update_keys[] = {"name",      "slug",     "starts_on",    "ends_on",
                                              "timezone",  "capacity", "min_learners", "status",
                                              "closes_on", "sessions", "force",        NULL};
    in->capacity = in->min_learners = -1;
    enum mc_err rc = mc_json_only_keys(r->json, create ? create_keys : update_keys, &r->err);
    if (rc == MC_OK && create)
        rc = mc_json_get_string(r->json, "credential", true, 64, &in->credential, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "name", create, MC_MAX_NAME, &in->name, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "slug", false, MC_MAX_SLUG, &in->slug, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "starts_on", create, 10, &in->starts_on, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "ends_on", create, 10, &in->ends_on, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "timezone", create, MC_MAX_TIMEZONE, &in->timezone,
                                &r->err);
    if (rc == MC_OK && !create)
        rc = mc_json_get_string(r->json, "status", false, 16, &in->status, &r->err);
    if (rc == MC_OK && !create)
        rc = mc_json_get_string(r->json, "closes_on", false, 10, &in->closes_on, &r->err);
    if (rc == MC_OK && !create)
        rc = mc_json_get_string(r->json, "sessions", false, 16, &in->sessions, &r->err);
    if (rc == MC_OK && !create) {
        const cJSON *force = cJSON_GetObjectItemCaseSensitive(r->json, "force");
        in->clear_closes_on = cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r->json, "closes_on"));
        if (force && !cJSON_IsBool(force))
            return request_fail(r, MC_ERR_INVALID, "force", "force must be true or false");
        in->force = cJSON_IsTrue(force);
    }
    if (rc == MC_OK)
        rc = mc_json_get_int(r->json, "capacity", false, 1, 500, &in->capacity, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_int(r->json, "min_learners", false, 1, 500, &in->min_learners, &r->err);
    if (rc != MC_OK)
        return rc;
    if (in->slug && (!mc_slug_valid(in->slug) || mc_uuid_valid(in->slug)))
        return request_fail(r, MC_ERR_INVALID, "slug",
                            "slug must be lower-case letters, digits and '-', starting with a "
                            "letter or digit, at most %d characters (e.g. spring-2027)",
                            MC_MAX_SLUG);
    if (in->starts_on && !cohort_date_valid(in->starts_on))
        return request_fail(r, MC_ERR_INVALID, "starts_on", "starts_on must be a date, YYYY-MM-DD");
    if (in->ends_on && !cohort_date_valid(in->ends_on))
        return request_fail(r, MC_ERR_INVALID, "ends_on", "ends_on must be a date, YYYY-MM-DD");
    if (in->closes_on && !cohort_date_valid(in->closes_on))
        return request_fail(r, MC_ERR_INVALID, "closes_on", "closes_on must be a date, YYYY-MM-DD");
    if (in->status && strcmp(in->status, "planned") != 0 && strcmp(in->status, "active") != 0 &&
        strcmp(in->status, "closed") != 0 && strcmp(in->status, "auto") != 0)
        return request_fail(r, MC_ERR_INVALID, "status",
                            "status must be planned, active, closed or auto (follow the dates)");
    if (in->sessions && strcmp(in->sessions, "keep_local_time") != 0 &&
        strcmp(in->sessions, "keep_instant") != 0)
        return request_fail(r, MC_ERR_INVALID, "sessions",
                            "sessions must be keep_local_time or keep_instant");
    if (in->timezone)
        return check_timezone(r, in->timezone);
    return MC_OK;
}

/* Answer with the cohort, journalled as `action` (before may be NULL). */
static enum mc_err reply_cohort(struct request *r, unsigned status, const char *id,
                                const char *action, cJSON *before)
{
    cJSON *after = NULL;
    enum mc_err rc = cohort_item(r, id, &after);
    if (rc == MC_OK && action) {
        struct actor actor = journal_actor(r);
        rc = journal_write(r->db, r->auth.org_id, &actor, action, "cohort", id, before, after, NULL,
                           NULL, NULL, &r->err);
    }
    if (rc != MC_OK) {
        cJSON_Delete(after);
        return rc;
    }
    return request_reply(r, status, after);
}

static void text_of(char *buf, size_t size, long long v)
{
    if (v >= 0)
        snprintf(buf, size, "%lld", v);
    else
        buf[0] = '\0';
}

/*
 * Insert the cohort, with the slug given or (NULL: the trigger of 0013)
 * one made from its name, the first of "spring-2027", "spring-2027-2" …
 * that is free.  One row:
 * the new id (NULL when the credential is not a published one of the
 * organisation, or the slug given is taken) and the name of the cohort
 * that holds the slug given, if any.
 */
DB_STMT(db_cohort_insert,
        "WITH taken AS (SELECT name FROM mcred.cohorts WHERE org_id = $1::uuid AND slug = $9),"
        " ins AS (INSERT INTO mcred.cohorts (org_id, credential_id, name, slug, starts_on, ends_on,"
        " timezone, capacity, min_learners)"
        " SELECT $1::uuid, cr.id, $3,"
        " $9,"
        " $4::date, $5::date, $6,"
        " coalesce(nullif($7, '')::integer, 18), coalesce(nullif($8, '')::integer, 12)"
        " FROM mcred.credentials cr"
        " WHERE cr.org_id = $1::uuid AND cr.id = $2::uuid AND cr.status = 'published'"
        " AND NOT EXISTS (SELECT 1 FROM taken)"
        " RETURNING id)"
        " SELECT (SELECT id FROM ins) AS id, (SELECT name FROM taken LIMIT 1) AS taken_by,"
        " (SELECT cr.slug || '@' || cr.version || ' is ' || cr.status FROM mcred.credentials cr"
        "  WHERE cr.org_id = $1::uuid AND cr.id = $2::uuid) AS credential");

enum mc_err cohorts_create(struct request *r)
{
    struct cohort_input in = {0};
    enum mc_err rc = cohort_input_read(r, true, &in);
    if (rc != MC_OK)
        return rc;
    if (!mc_uuid_valid(in.credential))
        return request_fail(r, MC_ERR_INVALID, "credential",
                            "credential must be a credential's id");
    if (strcmp(in.ends_on, in.starts_on) < 0)
        return request_fail(r, MC_ERR_INVALID, "ends_on", "ends_on is before starts_on");
    long long cap = in.capacity >= 0 ? in.capacity : 18;
    long long min = in.min_learners >= 0 ? in.min_learners : (cap < 12 ? cap : 12);
    if (min > cap)
        return request_fail(r, MC_ERR_INVALID, "min_learners",
                            "min_learners (%lld) is above capacity (%lld)", min, cap);
    char capacity[24], min_learners[24];
    text_of(capacity, sizeof capacity, cap);
    text_of(min_learners, sizeof min_learners, min);
    const char *params[] = {r->auth.org_id, in.credential, in.name,      in.starts_on, in.ends_on,
                            in.timezone,    capacity,      min_learners, in.slug};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_cohort_insert, 9, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (!PQgetisnull(res, 0, 1)) {
        rc = request_fail(r, MC_ERR_CONFLICT, "slug", "the slug %s is taken by cohort %.120s",
                          in.slug, PQgetvalue(res, 0, 1));
        PQclear(res);
        return rc;
    }
    if (PQgetisnull(res, 0, 0)) {
        /* unknown, draft or retired: named as people know it ("equity-excellence@2 is draft") */
        PQclear(res);
        return credentials_cohort_refusal(r, in.credential, "credential");
    }
    char id[40];
    snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return reply_cohort(r, 201, id, "cohort.create", NULL);
}

enum mc_err cohorts_show(struct request *r)
{
    cJSON *c = NULL;
    enum mc_err rc = cohort_item(r, request_param(r, "id"), &c);
    return rc == MC_OK ? request_reply(r, 200, c) : rc;
}

DB_STMT_REPLAN(db_cohorts_list,
               "SELECT c.item::text AS item, c.sort_key FROM mcred.cohort_items c"
               " WHERE c.org_id = $1::uuid AND ($2::text IS NULL OR c.sort_key < $2)"
               " AND ($3::text IS NULL OR c.status = $3)"
               " AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM mcred.members m"
               "      WHERE m.org_id = c.org_id AND m.cohort_id = c.id AND m.person_id = $4::uuid"
               "      AND m.status = 'enrolled'))"
               " ORDER BY c.sort_key DESC LIMIT $5::integer");

enum mc_err cohorts_list(struct request *r)
{
    struct page page;
    enum mc_err rc = page_parse(r, &page);
    if (rc != MC_OK)
        return rc;
    /* people without a role that sees every cohort see their own */
    bool all = r->auth.roles & (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_LEADER);
    static const char *const statuses[] = {"planned", "active", "closed", NULL};
    const char *status = NULL;
    rc = request_query_word(r, "status", statuses, &status);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id, page_after_param(&page), status,
                            all ? NULL : r->auth.person_id, page.limit_plus_one};
    return page_reply_query(r, &page, &db_cohorts_list, 5, params);
}

/*
 * One statement: the cohort's fields, its status (a hand-set one, or back
 * to the dates with "auto"), and, when the time zone changes with
 * keep_local_time, its sessions moved so their local times stay.
 */
DB_STMT(
    db_cohort_update,
    "WITH old AS (SELECT timezone FROM mcred.cohorts WHERE org_id = $1::uuid AND id = $2::uuid),"
    " moved AS (UPDATE mcred.sessions s"
    "  SET starts_at = (s.starts_at AT TIME ZONE old.timezone) AT TIME ZONE $6 FROM old"
    "  WHERE $10::text = 'keep_local_time' AND $6::text IS NOT NULL AND $6 <> old.timezone"
    "  AND s.org_id = $1::uuid AND s.cohort_id = $2::uuid RETURNING 1)"
    " UPDATE mcred.cohorts SET name = coalesce($3, name),"
    " starts_on = coalesce($4::date, starts_on), ends_on = coalesce($5::date, ends_on),"
    " timezone = coalesce($6, timezone),"
    " capacity = coalesce(nullif($7, '')::integer, capacity),"
    " min_learners = coalesce(nullif($8, '')::integer, min_learners),"
    " status = CASE WHEN $9::text IS NULL OR $9 = 'auto' THEN status ELSE $9 END,"
    " status_source = CASE WHEN $9 IS NULL THEN status_source"
    "                      WHEN $9 = 'auto' THEN 'dates' ELSE 'hand' END,"
    " closes_on = CASE WHEN $11::boolean THEN NULL ELSE coalesce($12::date, closes_on) END,"
    " slug = coalesce($13, slug),"
    " updated_at = now()"
    " WHERE org_id = $1::uuid AND id = $2::uuid");

DB_STMT(db_cohort_slug_taken, "SELECT name FROM mcred.cohorts"
                              " WHERE org_id = $1::uuid AND slug = $2 AND id <> $3::uuid");

/* A new slug must be free in the organisation (409 naming the cohort that has it). */
static enum mc_err check_slug_free(struct request *r, const char *id, const char *slug)
{
    const char *params[] = {r->auth.org_id, slug, id};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_cohort_slug_taken, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) > 0)
        rc = request_fail(r, MC_ERR_CONFLICT, "slug", "the slug %s is taken by cohort %.120s", slug,
                          PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

/*
 * By hand a status moves forward (planned → active → closed, or planned →
 * closed), a closed cohort may be reopened as active, and "auto" gives it
 * back to the dates; staying put is fine.
 */
static bool status_move_allowed(const char *from, const char *to)
{
    if (strcmp(from, to) == 0 || strcmp(to, "auto") == 0)
        return true;
    if (strcmp(from, "planned") == 0)
        return strcmp(to, "active") == 0 || strcmp(to, "closed") == 0;
    if (strcmp(from, "closed") == 0)
        return strcmp(to, "active") == 0;
    return strcmp(from, "active") == 0 && strcmp(to, "closed") == 0;
}

/* The cohort as it would be after the update must still hold together. */
static enum mc_err check_update(struct request *r, const struct cohort_input *in, const cJSON *now)
{
    const char *starts =
        in->starts_on ? in->starts_on : cJSON_GetStringValue(cJSON_GetObjectItem(now, "starts_on"));
    const char *ends =
        in->ends_on ? in->ends_on : cJSON_GetStringValue(cJSON_GetObjectItem(now, "ends_on"));
    long long capacity =
        in->capacity >= 0 ? in->capacity
                          : (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(now, "capacity"));
    long long min = in->min_learners >= 0
                        ? in->min_learners
                        : (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(now, "min_learners"));
    long long learners = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(now, "learners"));
    if (starts && ends && strcmp(ends, starts) < 0)
        return request_fail(r, MC_ERR_INVALID, in->ends_on ? "ends_on" : "starts_on",
                            "ends_on (%s) is before starts_on (%s)", ends, starts);
    if (in->closes_on && starts && strcmp(in->closes_on, starts) < 0)
        return request_fail(r, MC_ERR_INVALID, "closes_on",
                            "closes_on (%s) is before starts_on (%s)", in->closes_on, starts);
    if (min > capacity)
        return request_fail(r, MC_ERR_INVALID, in->min_learners >= 0 ? "min_learners" : "capacity",
                            "min_learners (%lld) is above capacity (%lld)", min, capacity);
    if (capacity < learners)
        return request_fail(r, MC_ERR_CONFLICT, "capacity",
                            "%lld learners are enrolled; withdraw some before lowering the "
                            "capacity to %lld",
                            learners, capacity);
    return MC_OK;
}

DB_STMT(db_cohort_change_check,
        "SELECT problem, message FROM mcred.cohort_change_check($1::uuid, $2::uuid, $3,"
        " $4::date, $5::date, $6, $7::boolean)");

/* A new time zone or new dates must say what they do to the sessions. */
static enum mc_err check_sessions(struct request *r, const char *id,
                                  const struct cohort_info *cohort, const struct cohort_input *in)
{
    bool tz_changes = in->timezone && strcmp(in->timezone, cohort->timezone) != 0;
    if (!tz_changes && !in->starts_on && !in->ends_on)
        return MC_OK;
    const char *params[] = {r->auth.org_id,
                            id,
                            in->timezone,
                            in->starts_on,
                            in->ends_on,
                            in->sessions,
                            in->force ? "true" : "false"};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_cohort_change_check, 7, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) > 0) {
        bool tz = strcmp(PQgetvalue(res, 0, 0), "timezone") == 0;
        rc = request_fail(r, MC_ERR_CONFLICT,
                          tz ? "sessions" : (in->starts_on ? "starts_on" : "ends_on"),
                          "cohort %s: %s", cohort->name, PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return rc;
}

DB_STMT(db_cohort_session_items, "SELECT item::text AS item FROM mcred.session_items"
                                 " WHERE org_id = $1::uuid AND cohort_id = $2::uuid ORDER BY id");

static enum mc_err session_items_of(struct request *r, const char *id, PGresult **out)
{
    const char *params[] = {r->auth.org_id, id};
    return db_exec(r->db, &db_cohort_session_items, 2, params, PGRES_TUPLES_OK, out, &r->err);
}

/*
 * A new time zone changes every session as the API shows it (its
 * local_start, or with keep_local_time its instant): each is journalled
 * as session.update with its session.updated event, so that subscribers'
 * calendars follow.  `before` holds the items before, in id order.
 */
static enum mc_err journal_sessions_moved(struct request *r, const char *id, const PGresult *before)
{
    PGresult *after = NULL;
    enum mc_err rc = session_items_of(r, id, &after);
    if (rc != MC_OK)
        return rc;
    struct actor actor = journal_actor(r);
    for (int i = 0; rc == MC_OK && i < PQntuples(after) && i < PQntuples(before); i++) {
        cJSON *b = page_item(before, i), *a = page_item(after, i);
        if (!b || !a)
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        else
            rc = journal_write(r->db, r->auth.org_id, &actor, "session.update", "session",
                               cJSON_GetStringValue(cJSON_GetObjectItem(a, "id")), b, a,
                               "session.updated", a, NULL, &r->err);
        cJSON_Delete(b);
        cJSON_Delete(a);
    }
    PQclear(after);
    return rc;
}

enum mc_err cohorts_update(struct request *r)
{
    const char *id = request_param(r, "id");
    struct cohort_info cohort;
    struct cohort_input in = {0};
    cJSON *before = NULL;
    enum mc_err rc = cohort_find(r, id, COHORT_CHANGE, &cohort);
    if (rc == MC_OK)
        rc = cohort_input_read(r, false, &in);
    if (rc != MC_OK)
        return rc;
    /* a closed cohort may only be reopened, or given a later closes_on */
    if (strcmp(cohort.status, "closed") == 0 &&
        (in.name || in.starts_on || in.ends_on || in.timezone || in.capacity >= 0 ||
         in.min_learners >= 0 || (!in.status && !in.closes_on && !in.clear_closes_on)))
        return request_fail(r, MC_ERR_CONFLICT, NULL,
                            "cohort %s is closed; reopen it (status active or auto) first",
                            cohort.name);
    if (in.status && !status_move_allowed(cohort.status, in.status))
        return request_fail(r, MC_ERR_CONFLICT, "status", "%.120s is %s and cannot become %s",
                            cohort.name, cohort.status, in.status);
    rc = in.slug ? check_slug_free(r, id, in.slug) : MC_OK;
    if (rc == MC_OK)
        rc = cohort_item(r, id, &before);
    if (rc == MC_OK)
        rc = check_update(r, &in, before);
    if (rc == MC_OK)
        rc = check_sessions(r, id, &cohort, &in);
    if (rc != MC_OK) {
        cJSON_Delete(before);
        return rc;
    }
    PGresult *sessions_before = NULL;
    bool tz_changes = in.timezone && strcmp(in.timezone, cohort.timezone) != 0;
    if (tz_changes) {
        rc = session_items_of(r, id, &sessions_before);
        if (rc != MC_OK) {
            cJSON_Delete(before);
            return rc;
        }
    }
    char capacity[24], min_learners[24];
    text_of(capacity, sizeof capacity, in.capacity);
    text_of(min_learners, sizeof min_learners, in.min_learners);
    const char *params[] = {r->auth.org_id,
                            id,
                            in.name,
                            in.starts_on,
                            in.ends_on,
                            in.timezone,
                            capacity,
                            min_learners,
                            in.status,
                            in.sessions,
                            in.clear_closes_on ? "true" : "false",
                            in.closes_on,
                            in.slug};
    rc = db_exec(r->db, &db_cohort_update, 13, params, PGRES_COMMAND_OK, NULL, &r->err);
    if (rc == MC_OK && sessions_before && PQntuples(sessions_before) > 0)
        rc = journal_sessions_moved(r, id, sessions_before);
    PQclear(sessions_before);
    if (rc == MC_OK && in.capacity > cohort.capacity)
        rc = members_promote(r, id);
    if (rc == MC_OK)
        rc = reply_cohort(r, 200, id, "cohort.update", before);
    cJSON_Delete(before);
    return rc;
}
