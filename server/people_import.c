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
#include <stdint.h>
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

/*
 * Append `item` as compact JSON.  The import writes its parameters as
 * text straight into one buffer, value by value, rather than as a cJSON
 * tree printed at the end: for a roster of 10,000 people the tree was
 * most of the server's peak memory (bench/run).
 */
static enum mc_err append_json(struct mc_buf *b, const cJSON *item)
{
    char *text = cJSON_PrintUnformatted(item);
    if (!text)
        return MC_ERR_NOMEM;
    enum mc_err rc = mc_buf_appends(b, text);
    free(text);
    return rc;
}

static enum mc_err append_json_string(struct mc_buf *b, const char *s)
{
    cJSON *ref = cJSON_CreateStringReference(s);
    enum mc_err rc = ref ? append_json(b, ref) : MC_ERR_NOMEM;
    cJSON_Delete(ref);
    return rc;
}

/* The roster's e-mail keys as a JSON array. */
static enum mc_err email_list(const struct roster *roster, struct mc_buf *out)
{
    enum mc_err rc = mc_buf_appendc(out, '[');
    for (size_t i = 0; rc == MC_OK && i < roster->nrows; i++) {
        if (i)
            rc = mc_buf_appendc(out, ',');
        if (rc == MC_OK)
            rc = append_json_string(out, roster->rows[i].email_key);
    }
    return rc == MC_OK ? mc_buf_appendc(out, ']') : rc;
}

/* email_key, not lower(email): under row-level security only the stored column's index serves */
DB_STMT(db_import_existing, "SELECT " PERSON_COLUMNS ", email_key"
                            " FROM mcred.people WHERE org_id = $1::uuid AND email_key IN"
                            " (SELECT e FROM jsonb_array_elements_text($2::jsonb) AS e)"
                            " FOR UPDATE");

static enum mc_err fetch_existing(struct request *r, const struct roster *roster, PGresult **out)
{
    struct mc_buf emails;
    mc_buf_init(&emails, SIZE_MAX);
    enum mc_err rc = email_list(roster, &emails);
    if (rc != MC_OK) {
        mc_buf_release(&emails);
        return request_fail(r, rc, NULL, NULL);
    }
    const char *params[] = {r->auth.org_id, emails.data};
    rc = db_exec(r->db, &db_import_existing, 2, params, PGRES_TUPLES_OK, out, &r->err);
    mc_buf_release(&emails);
    return rc;
}

/* The changes to write, as the JSON array db_import_write reads, and how many. */
struct changes {
    struct mc_buf text;
    int n;
};

/* Append one row's change: {email, name, org_role, attributes, before}. */
static enum mc_err change_add(struct changes *c, const struct roster_row *row, const char *org_role,
                              const cJSON *attributes, const cJSON *before)
{
    enum mc_err rc = mc_buf_appends(&c->text, c->n ? ",{\"email\":" : "[{\"email\":");
    if (rc == MC_OK)
        rc = append_json_string(&c->text, row->email);
    if (rc == MC_OK)
        rc = mc_buf_appends(&c->text, ",\"name\":");
    if (rc == MC_OK)
        rc = append_json_string(&c->text, row->name);
    if (rc == MC_OK)
        rc = mc_buf_appends(&c->text, ",\"org_role\":");
    if (rc == MC_OK)
        rc = append_json_string(&c->text, org_role);
    if (rc == MC_OK)
        rc = mc_buf_appends(&c->text, ",\"attributes\":");
    if (rc == MC_OK)
        rc = append_json(&c->text, attributes);
    if (rc == MC_OK)
        rc = mc_buf_appends(&c->text, ",\"before\":");
    if (rc == MC_OK)
        rc = before ? append_json(&c->text, before) : mc_buf_appends(&c->text, "null");
    if (rc == MC_OK)
        rc = mc_buf_appendc(&c->text, '}');
    c->n += rc == MC_OK;
    return rc;
}

/* An existing person's row: the merged result, or NULL when nothing changes. */
static enum mc_err plan_update(struct request *r, struct roster *roster,
                               const struct roster_row *row, bool org_roles, const PGresult *res,
                               int i, struct changes *changes, struct people_import_counts *counts)
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
    enum mc_err rc = change_add(changes, row, role, attrs, before);
    cJSON_Delete(attrs);
    cJSON_Delete(before);
    return rc == MC_OK ? MC_OK : request_fail(r, rc, NULL, NULL);
}

/* Decide every row; problems go into the roster's errors. */
static enum mc_err plan(struct request *r, struct roster *roster, bool org_roles,
                        const PGresult *existing, struct changes *changes,
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
        counts->created++;
        if (change_add(changes, row, role, row->attributes, NULL) != MC_OK)
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

static enum mc_err write_changes(struct request *r, struct changes *changes)
{
    if (mc_buf_appendc(&changes->text, ']') != MC_OK)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {r->auth.org_id, changes->text.data, r->auth.person_id, r->auth.email,
                            r->request_id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_import_write, 5, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc == MC_ERR_CONFLICT)
        return request_fail(r, rc, NULL, "someone else changed these people meanwhile; try again");
    if (rc != MC_OK)
        return rc;
    long written = strtol(db_get(res, 0, "written"), NULL, 10);
    long audited = strtol(db_get(res, 0, "audited"), NULL, 10);
    PQclear(res);
    if (written != changes->n || audited != written)
        return request_fail(r, MC_ERR_INTERNAL, NULL, "import wrote %ld of %d people", written,
                            changes->n);
    return MC_OK;
}

/*
 * A large import can change the people table more than its statistics
 * know until autovacuum comes by (up to a minute later): meanwhile the
 * planner misjudges lists and filters (bench/run measured a people list
 * 15 times slower).  Refresh them with the import.
 */
#define IMPORT_ANALYZE_ROWS 1000

/* ANALYZE is for the table's owner: a function the owner made does it (migration 0027). */
static enum mc_err refresh_statistics(struct request *r)
{
    return db_exec_simple(r->db, "SELECT mcred.analyze_people()", &r->err);
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
    struct changes changes = {.n = 0};
    mc_buf_init(&changes.text, SIZE_MAX);
    enum mc_err rc = fetch_existing(r, roster, &existing);
    if (rc == MC_OK)
        rc = plan(r, roster, org_roles, existing, &changes, counts);
    /* the e-mail list's answer is not needed past the plan */
    PQclear(existing);
    if (rc == MC_OK && !roster->error_total && !dry_run && changes.n > 0)
        rc = write_changes(r, &changes);
    if (rc == MC_OK && !roster->error_total && !dry_run && changes.n >= IMPORT_ANALYZE_ROWS)
        rc = refresh_statistics(r);
    mc_buf_release(&changes.text);
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
