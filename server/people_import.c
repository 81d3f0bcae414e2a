/*
 * people_import.c — POST /v1/people/import: a roster in, people created
 * or updated, all or nothing.
 *
 * Three steps: read and check the whole file (roster.c, no database);
 * look up, in one query, the people whose e-mails it names, decide for
 * each row create / update / unchanged, and check what only an admin may
 * change; then, unless it is a dry run, write every change and its audit
 * row in one statement.  Any problem found on the way is reported with
 * its row, and nothing is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/json.h"
#include "people.h"
#include "request.h"
#include "roster.h"
#include "router.h"

#include "mcred/banned.h"

enum mc_err request_dry_run(struct request *r, bool *out)
{
    const char *v = request_query(r, "dry_run");
    *out = false;
    if (!v || strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        return MC_OK;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || *v == '\0') {
        *out = true;
        return MC_OK;
    }
    return request_fail(r, MC_ERR_INVALID, "dry_run", "dry_run must be true or false");
}

enum mc_err people_import_fail(struct request *r, struct roster *roster)
{
    roster_sort_errors(roster);
    cJSON *errors = roster_errors_json(roster);
    if (!errors)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    cJSON_Delete(r->error_details);
    r->error_details = errors;
    if (roster->file_problem[0])
        return request_fail(r, MC_ERR_INVALID, NULL, "%s (nothing was written)",
                            roster->file_problem);
    return request_fail(r, MC_ERR_INVALID, NULL, "roster has %zu error%s; nothing was written",
                        roster->error_total, roster->error_total == 1 ? "" : "s");
}

static cJSON *email_list(const struct roster *roster)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < roster->nrows; i++)
        if (!cJSON_AddItemToArray(list, cJSON_CreateString(roster->rows[i].email_key))) {
            cJSON_Delete(list);
            list = NULL;
        }
    return list;
}

/* email_key, not lower(email): under row-level security only the stored column's index serves */
DB_STMT(db_import_existing, "SELECT " PERSON_COLUMNS ", email_key"
                            " FROM mcred.people WHERE org_id = $1::uuid AND email_key IN"
                            " (SELECT e FROM jsonb_array_elements_text($2::jsonb) AS e)"
                            " FOR UPDATE");

static enum mc_err fetch_existing(struct request *r, const struct roster *roster, PGresult **out)
{
    cJSON *emails = email_list(roster);
    char *text = emails ? cJSON_PrintUnformatted(emails) : NULL;
    cJSON_Delete(emails);
    if (!text)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {r->auth.org_id, text};
    enum mc_err rc = db_exec(r->db, &db_import_existing, 2, params, PGRES_TUPLES_OK, out, &r->err);
    free(text);
    return rc;
}

/* The change to write for one row: {email, name, org_role, attributes, before}. */
static cJSON *change_json(const struct roster_row *row, const char *org_role, cJSON *attributes,
                          cJSON *before)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "email", row->email) ||
        !cJSON_AddStringToObject(o, "name", row->name) ||
        !cJSON_AddStringToObject(o, "org_role", org_role) ||
        !cJSON_AddItemToObject(o, "attributes", attributes)) {
        cJSON_Delete(o);
        cJSON_Delete(attributes);
        cJSON_Delete(before);
        return NULL;
    }
    if (before ? !cJSON_AddItemToObject(o, "before", before)
               : !cJSON_AddNullToObject(o, "before")) {
        cJSON_Delete(o);
        cJSON_Delete(before);
        return NULL;
    }
    return o;
}

/* An existing person's row: the merged result, or NULL when nothing changes. */
static enum mc_err plan_update(struct request *r, struct roster *roster,
                               const struct roster_row *row, bool org_roles, const PGresult *res,
                               int i, cJSON *changes, struct people_import_counts *counts)
{
    cJSON *before = person_json(res, i);
    cJSON *attrs = before ? cJSON_Duplicate(cJSON_GetObjectItem(before, "attributes"), true) : NULL;
    if (!attrs) {
        cJSON_Delete(before);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    const cJSON *cell;
    cJSON_ArrayForEach(cell, row->attributes)
    {
        cJSON *copy = cJSON_CreateString(cell->valuestring);
        if (!copy || !(cJSON_HasObjectItem(attrs, cell->string)
                           ? cJSON_ReplaceItemInObjectCaseSensitive(attrs, cell->string, copy)
                           : cJSON_AddItemToObject(attrs, cell->string, copy))) {
            cJSON_Delete(copy);
            cJSON_Delete(attrs);
            cJSON_Delete(before);
            return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        }
    }
    const char *role_now = db_get(res, i, "org_role");
    const char *role = org_roles && row->role ? row->role : role_now;
    bool same = strcmp(role, role_now) == 0 && strcmp(row->name, db_get(res, i, "name")) == 0 &&
                cJSON_Compare(attrs, cJSON_GetObjectItem(before, "attributes"), true);
    if (cJSON_GetArraySize(attrs) > MC_MAX_ATTRIBUTES)
        roster_error(roster, row->row, NULL, "%s would have more than %d attributes", row->email,
                     MC_MAX_ATTRIBUTES);
    if (!same && !(r->auth.roles & ROLE_ADMIN) &&
        (people_role_needs_admin(role_now) || people_role_needs_admin(role)))
        roster_error(roster, row->row, "role", "only an admin may change %s, who is %s %s",
                     row->email, strcmp(role_now, "admin") == 0 ? "an" : "a", role_now);
    if (same) {
        counts->unchanged++;
        cJSON_Delete(attrs);
        cJSON_Delete(before);
        return MC_OK;
    }
    counts->updated++;
    if (!cJSON_AddItemToArray(changes, change_json(row, role, attrs, before)))
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    return MC_OK;
}

/* Decide every row; problems go into the roster's errors. */
static enum mc_err plan(struct request *r, struct roster *roster, bool org_roles,
                        const PGresult *existing, cJSON *changes,
                        struct people_import_counts *counts)
{
    /* rows are sorted by e-mail; mark those that exist */
    bool *exists = calloc(roster->nrows + 1, sizeof *exists);
    if (!exists)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    enum mc_err rc = MC_OK;
    for (int i = 0; rc == MC_OK && i < PQntuples(existing); i++) {
        const struct roster_row *row = roster_find(roster, db_get(existing, i, "email_key"));
        if (!row)
            continue;
        exists[row - roster->rows] = true;
        rc = plan_update(r, roster, row, org_roles, existing, i, changes, counts);
    }
    for (size_t i = 0; rc == MC_OK && i < roster->nrows; i++) {
        const struct roster_row *row = &roster->rows[i];
        if (exists[i])
            continue;
        const char *role = org_roles && row->role ? row->role : "none";
        if (people_role_needs_admin(role) && !(r->auth.roles & ROLE_ADMIN))
            roster_error(roster, row->row, "role", "only an admin may give the role %s", role);
        cJSON *attrs = cJSON_Duplicate(row->attributes, true);
        counts->created++;
        if (!attrs || !cJSON_AddItemToArray(changes, change_json(row, role, attrs, NULL)))
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    free(exists);
    return rc;
}

/*
 * Every change and its audit row in one statement.  (The bulk path writes
 * its audit rows here, in the same shape journal_write() gives single writes.)
 */
DB_STMT(
    db_import_write,
    "WITH input AS ("
    "  SELECT * FROM jsonb_to_recordset($2::jsonb)"
    "    AS t(email text, name text, org_role text, attributes jsonb, before jsonb)),"
    " up AS ("
    "  INSERT INTO mcred.people (org_id, email, name, org_role, attributes)"
    "  SELECT $1::uuid, email, name, org_role, attributes FROM input"
    "  ON CONFLICT (org_id, lower(email)) DO UPDATE"
    "  SET name = EXCLUDED.name, org_role = EXCLUDED.org_role,"
    "      attributes = EXCLUDED.attributes, updated_at = now()"
    "  RETURNING id, email, name, org_role, attributes,"
    "            mcred.rfc3339(created_at) AS created_at, mcred.rfc3339(updated_at) AS updated_at),"
    " audited AS ("
    "  INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, before,"
    "                           after, request_id)"
    "  SELECT $1::uuid, $3::uuid, $4, CASE WHEN i.before IS NULL THEN 'person.create'"
    "         ELSE 'person.update' END, 'person', up.id::text, i.before, to_jsonb(up), $5"
    "  FROM up JOIN input i ON lower(i.email) = lower(up.email)"
    "  RETURNING 1)"
    " SELECT (SELECT count(*) FROM up) AS written, (SELECT count(*) FROM audited) AS audited");

static enum mc_err write_changes(struct request *r, const cJSON *changes)
{
    char *text = cJSON_PrintUnformatted(changes);
    if (!text)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {r->auth.org_id, text, r->auth.person_id, r->auth.email, r->request_id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_import_write, 5, params, PGRES_TUPLES_OK, &res, &r->err);
    free(text);
    if (rc == MC_ERR_CONFLICT)
        return request_fail(r, rc, NULL, "someone else changed these people meanwhile; try again");
    if (rc != MC_OK)
        return rc;
    long written = strtol(db_get(res, 0, "written"), NULL, 10);
    long audited = strtol(db_get(res, 0, "audited"), NULL, 10);
    PQclear(res);
    if (written != cJSON_GetArraySize(changes) || audited != written)
        return request_fail(r, MC_ERR_INTERNAL, NULL, "import wrote %ld of %d people", written,
                            cJSON_GetArraySize(changes));
    return MC_OK;
}

/*
 * A large import can change the people table more than its statistics
 * know until autovacuum comes by (up to a minute later): meanwhile the
 * planner misjudges lists and filters (bench/run measured a people list
 * 15 times slower).  Refresh them with the import.
 */
#define IMPORT_ANALYZE_ROWS 1000

static enum mc_err refresh_statistics(struct request *r)
{
    return db_exec_simple(r->db, "ANALYZE mcred.people", &r->err);
}

static enum mc_err reply_counts(struct request *r, bool dry_run, size_t rows,
                                const struct people_import_counts *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddBoolToObject(o, "dry_run", dry_run) ||
        !cJSON_AddNumberToObject(o, "rows", (double)rows) ||
        !cJSON_AddNumberToObject(o, "created", (double)c->created) ||
        !cJSON_AddNumberToObject(o, "updated", (double)c->updated) ||
        !cJSON_AddNumberToObject(o, "unchanged", (double)c->unchanged) ||
        !cJSON_AddArrayToObject(o, "errors")) {
        cJSON_Delete(o);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return request_reply(r, 200, o);
}

enum mc_err people_import_roster(struct request *r, struct roster *roster, bool org_roles,
                                 bool dry_run, struct people_import_counts *counts)
{
    PGresult *existing = NULL;
    cJSON *changes = cJSON_CreateArray();
    if (!changes)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    enum mc_err rc = fetch_existing(r, roster, &existing);
    if (rc == MC_OK)
        rc = plan(r, roster, org_roles, existing, changes, counts);
    if (rc == MC_OK && !roster->error_total && !dry_run && cJSON_GetArraySize(changes) > 0)
        rc = write_changes(r, changes);
    if (rc == MC_OK && !roster->error_total && !dry_run &&
        cJSON_GetArraySize(changes) >= IMPORT_ANALYZE_ROWS)
        rc = refresh_statistics(r);
    PQclear(existing);
    cJSON_Delete(changes);
    return rc;
}

enum mc_err people_import(struct request *r)
{
    struct roster roster;
    struct people_import_counts counts = {0};
    bool dry_run = false;
    enum mc_err rc = request_dry_run(r, &dry_run);
    if (rc != MC_OK)
        return rc;
    rc = roster_parse(r->body.data, r->body.len, &roster_people, &roster);
    if (rc != MC_OK) {
        roster_release(&roster);
        return request_fail(r, rc, NULL, NULL);
    }
    if (!roster.error_total)
        rc = people_import_roster(r, &roster, true, dry_run, &counts);
    if (rc == MC_OK && roster.error_total)
        rc = people_import_fail(r, &roster);
    if (rc == MC_OK)
        rc = reply_counts(r, dry_run, roster.nrows, &counts);
    roster_release(&roster);
    return rc;
}
