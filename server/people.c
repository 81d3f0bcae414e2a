/*
 * people.c — /v1/people: create, list (search, attribute filters, pages),
 * show and update people of the caller's organisation.
 *
 * Every write leaves an audit row with the person before and after.  A
 * coordinator manages people but cannot make, unmake or edit admins and
 * coordinators: only an admin can, so that nobody raises their own power.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "journal.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "paging.h"
#include "people.h"
#include "request.h"
#include "router.h"

#include "mcred/banned.h"

cJSON *person_json(const PGresult *res, int row)
{
    cJSON *o = cJSON_CreateObject();
    const char *attrs = db_get(res, row, "attributes");
    cJSON *parsed = cJSON_Parse(attrs ? attrs : "{}");
    if (!o || !parsed || !mc_json_add_string_or_null(o, "id", db_get(res, row, "id")) ||
        !mc_json_add_string_or_null(o, "email", db_get(res, row, "email")) ||
        !mc_json_add_string_or_null(o, "name", db_get(res, row, "name")) ||
        !mc_json_add_string_or_null(o, "org_role", db_get(res, row, "org_role")) ||
        !cJSON_AddItemToObject(o, "attributes", parsed)) {
        cJSON_Delete(o);
        cJSON_Delete(parsed);
        return NULL;
    }
    if (!mc_json_add_string_or_null(o, "created_at", db_get(res, row, "created_at")) ||
        !mc_json_add_string_or_null(o, "updated_at", db_get(res, row, "updated_at"))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

enum mc_err people_check_attributes(const cJSON *attrs, bool allow_null, struct mc_error *err)
{
    if (!cJSON_IsObject(attrs))
        return mc_error_set(err, MC_ERR_INVALID, "attributes", "attributes must be an object");
    int n = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, attrs)
    {
        char field[MC_MAX_ERR_FIELD];
        snprintf(field, sizeof field, "attributes.%s", item->string);
        if (++n > MC_MAX_ATTRIBUTES)
            return mc_error_set(err, MC_ERR_INVALID, "attributes",
                                "a person has at most %d attributes", MC_MAX_ATTRIBUTES);
        if (!mc_attr_key_valid(item->string))
            return mc_error_set(err, MC_ERR_INVALID, field,
                                "attribute names are 1 to %d of a-z, 0-9 and _, and not email, "
                                "name or role",
                                MC_MAX_ATTR_KEY);
        if (allow_null && cJSON_IsNull(item))
            continue;
        if (!cJSON_IsString(item))
            return mc_error_set(err, MC_ERR_INVALID, field, "attribute values must be strings");
        size_t len = strlen(item->valuestring);
        if (len > MC_MAX_ATTR_VALUE || !mc_utf8_valid_text(item->valuestring, len))
            return mc_error_set(err, MC_ERR_INVALID, field,
                                "attribute values are at most %d bytes of text", MC_MAX_ATTR_VALUE);
    }
    return MC_OK;
}

bool people_role_needs_admin(const char *org_role)
{
    return org_role && (strcmp(org_role, "admin") == 0 || strcmp(org_role, "coordinator") == 0);
}

/* 403 unless the caller is an admin or the role is an ordinary one. */
static enum mc_err check_role_grant(struct request *r, const char *org_role)
{
    if (!people_role_needs_admin(org_role) || (r->auth.roles & ROLE_ADMIN))
        return MC_OK;
    return request_fail(r, MC_ERR_FORBIDDEN, "org_role",
                        "only an admin may give or take the role %s", org_role);
}

/* The fields of a create or update body, validated. */
struct person_input {
    const char *email;
    const char *name;
    const char *org_role;
    const cJSON *attributes;
};

static enum mc_err person_input_read(struct request *r, bool create, struct person_input *in)
{
    static const char *const keys[] = {"email", "name", "org_role", "attributes", NULL};
    enum mc_err rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "email", create, MC_MAX_EMAIL, &in->email, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "name", create, MC_MAX_NAME, &in->name, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "org_role", false, 16, &in->org_role, &r->err);
    if (rc != MC_OK)
        return rc;
    if (in->email && !mc_email_valid(in->email))
        return request_fail(r, MC_ERR_INVALID, "email", "\"%s\" is not an e-mail address",
                            in->email);
    if (in->name && !*in->name)
        return request_fail(r, MC_ERR_INVALID, "name", "name must not be empty");
    if (in->org_role && !mc_org_role_valid(in->org_role))
        return request_fail(r, MC_ERR_INVALID, "org_role",
                            "org_role must be admin, coordinator, leader or none");
    in->attributes = cJSON_GetObjectItemCaseSensitive(r->json, "attributes");
    if (cJSON_IsNull(in->attributes))
        in->attributes = NULL;
    if (in->attributes)
        return people_check_attributes(in->attributes, !create, &r->err);
    return MC_OK;
}

/* Answer with one person row, and journal the write if `action` is set. */
static enum mc_err reply_person(struct request *r, unsigned status, const PGresult *res,
                                const char *action, const cJSON *before)
{
    cJSON *person = person_json(res, 0);
    if (!person)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    if (action) {
        struct actor actor = journal_actor(r);
        enum mc_err rc =
            journal_write(r->db, r->auth.org_id, &actor, action, "person", db_get(res, 0, "id"),
                          before, person, NULL, NULL, NULL, &r->err);
        if (rc != MC_OK) {
            cJSON_Delete(person);
            return rc;
        }
    }
    return request_reply(r, status, person);
}

DB_STMT(db_person_insert, "INSERT INTO mcred.people (org_id, email, name, org_role, attributes)"
                          " VALUES ($1::uuid, $2, $3, coalesce($4, 'none'),"
                          " coalesce($5::jsonb, '{}')) RETURNING " PERSON_COLUMNS);

enum mc_err people_create(struct request *r)
{
    struct person_input in = {0};
    enum mc_err rc = person_input_read(r, true, &in);
    if (rc == MC_OK)
        rc = check_role_grant(r, in.org_role);
    if (rc != MC_OK)
        return rc;
    char *attrs = in.attributes ? cJSON_PrintUnformatted(in.attributes) : NULL;
    if (in.attributes && !attrs)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {r->auth.org_id, in.email, in.name, in.org_role, attrs};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_person_insert, 5, params, PGRES_TUPLES_OK, &res, &r->err);
    free(attrs);
    if (rc == MC_ERR_CONFLICT)
        return request_fail(r, rc, "email", "a person with e-mail %s exists", in.email);
    if (rc != MC_OK)
        return rc;
    rc = reply_person(r, 201, res, "person.create", NULL);
    PQclear(res);
    return rc;
}

DB_STMT(db_person_get,
        "SELECT " PERSON_COLUMNS " FROM mcred.people WHERE org_id = $1::uuid AND id = $2::uuid");
DB_STMT(db_person_lock, "SELECT " PERSON_COLUMNS
                        " FROM mcred.people WHERE org_id = $1::uuid AND id = $2::uuid FOR UPDATE");

enum mc_err people_show(struct request *r)
{
    const char *params[] = {r->auth.org_id, request_param(r, "id")};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_person_get, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != 1)
        rc = request_fail(r, MC_ERR_NOT_FOUND, NULL, "person %s not found", params[1]);
    else
        rc = reply_person(r, 200, res, NULL, NULL);
    PQclear(res);
    return rc;
}

/* The merge patch of attributes (RFC 7396) is `||` then dropping the nulls. */
DB_STMT(db_person_update,
        "UPDATE mcred.people SET email = coalesce($3, email), name = coalesce($4, name),"
        " org_role = coalesce($5, org_role),"
        " attributes = jsonb_strip_nulls(attributes || coalesce($6::jsonb, '{}')),"
        " updated_at = now()"
        " WHERE org_id = $1::uuid AND id = $2::uuid RETURNING " PERSON_COLUMNS);

static enum mc_err update_checks(struct request *r, const struct person_input *in,
                                 const PGresult *current, PGresult *updated)
{
    const char *role_now = db_get(current, 0, "org_role");
    enum mc_err rc = check_role_grant(r, role_now);
    if (rc == MC_OK && in->org_role)
        rc = check_role_grant(r, in->org_role);
    if (rc != MC_OK || !updated)
        return rc;
    cJSON *attrs = cJSON_Parse(db_get(updated, 0, "attributes"));
    int n = cJSON_GetArraySize(attrs);
    cJSON_Delete(attrs);
    if (n > MC_MAX_ATTRIBUTES)
        return request_fail(r, MC_ERR_INVALID, "attributes", "a person has at most %d attributes",
                            MC_MAX_ATTRIBUTES);
    return MC_OK;
}

enum mc_err people_update(struct request *r)
{
    struct person_input in = {0};
    const char *id = request_param(r, "id");
    const char *key_params[] = {r->auth.org_id, id};
    PGresult *current = NULL, *updated = NULL;
    cJSON *before = NULL;
    char *attrs = NULL;
    enum mc_err rc = person_input_read(r, false, &in);
    if (rc == MC_OK && !in.email && !in.name && !in.org_role && !in.attributes)
        rc = request_fail(r, MC_ERR_INVALID, NULL,
                          "nothing to change: give email, name, org_role or attributes");
    if (rc == MC_OK)
        rc = db_exec(r->db, &db_person_lock, 2, key_params, PGRES_TUPLES_OK, &current, &r->err);
    if (rc != MC_OK)
        goto out;
    if (PQntuples(current) != 1) {
        rc = request_fail(r, MC_ERR_NOT_FOUND, NULL, "person %s not found", id);
        goto out;
    }
    rc = update_checks(r, &in, current, NULL);
    if (rc != MC_OK)
        goto out;
    attrs = in.attributes ? cJSON_PrintUnformatted(in.attributes) : NULL;
    before = person_json(current, 0);
    if ((in.attributes && !attrs) || !before) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    const char *params[] = {r->auth.org_id, id, in.email, in.name, in.org_role, attrs};
    rc = db_exec(r->db, &db_person_update, 6, params, PGRES_TUPLES_OK, &updated, &r->err);
    if (rc == MC_ERR_CONFLICT)
        rc = request_fail(r, rc, "email", "a person with e-mail %s exists", in.email);
    if (rc == MC_OK)
        rc = update_checks(r, &in, current, updated);
    if (rc == MC_OK)
        rc = reply_person(r, 200, updated, "person.update", before);
out:
    PQclear(current);
    PQclear(updated);
    cJSON_Delete(before);
    free(attrs);
    return rc;
}

/* Collects ?attr.<key>=<value> into a JSON object for containment. */
struct attr_filter {
    cJSON *object;
    struct mc_error *err;
    enum mc_err rc;
};

static enum MHD_Result collect_attr_filter(void *cls, enum MHD_ValueKind kind, const char *key,
                                           const char *value)
{
    struct attr_filter *f = cls;
    if (strncmp(key, "attr.", 5) != 0)
        return MHD_YES;
    if (!mc_attr_key_valid(key + 5) || !value || strlen(value) > MC_MAX_ATTR_VALUE) {
        f->rc = mc_error_set(f->err, MC_ERR_INVALID, key, "%s is not an attribute filter", key);
        return MHD_NO;
    }
    if (!cJSON_AddStringToObject(f->object, key + 5, value)) {
        f->rc = mc_error_set(f->err, MC_ERR_NOMEM, NULL, NULL);
        return MHD_NO;
    }
    return MHD_YES;
}

DB_STMT_REPLAN(db_people_list,
               "SELECT " PERSON_COLUMNS ", lower(email) AS sort_key FROM mcred.people"
               " WHERE org_id = $1::uuid AND ($2::text IS NULL OR lower(email) > $2::text)"
               " AND ($3::text IS NULL OR strpos(lower(name), lower($3::text)) > 0"
               "      OR strpos(lower(email), lower($3::text)) > 0)"
               " AND ($4::text IS NULL OR lower(email) = lower($4::text))"
               " AND ($5::text IS NULL OR org_role = $5::text)"
               " AND ($6::jsonb IS NULL OR attributes @> $6::jsonb)"
               " ORDER BY lower(email) LIMIT $7::integer");

enum mc_err people_list(struct request *r)
{
    struct page page;
    struct attr_filter filter = {.object = cJSON_CreateObject(), .err = &r->err, .rc = MC_OK};
    const char *role = request_query(r, "role");
    PGresult *res = NULL;
    char *attrs = NULL;
    cJSON *items = NULL;
    enum mc_err rc = page_parse(r, &page);
    if (rc != MC_OK)
        goto out;
    if (!filter.object) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    if (role && !mc_org_role_valid(role)) {
        rc = request_fail(r, MC_ERR_INVALID, "role",
                          "role must be admin, coordinator, leader or none");
        goto out;
    }
    MHD_get_connection_values(r->connection, MHD_GET_ARGUMENT_KIND, collect_attr_filter, &filter);
    rc = filter.rc;
    if (rc != MC_OK)
        goto out;
    /* no filter is NULL, not {}: "@> {}" would make the planner expect few rows */
    attrs = cJSON_GetArraySize(filter.object) ? cJSON_PrintUnformatted(filter.object) : NULL;
    if (cJSON_GetArraySize(filter.object) && !attrs) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    const char *params[] = {r->auth.org_id,
                            page_after_param(&page),
                            request_query(r, "q"),
                            request_query(r, "email"),
                            role,
                            attrs,
                            page.limit_plus_one};
    rc = db_exec(r->db, &db_people_list, 7, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        goto out;
    items = cJSON_CreateArray();
    for (int i = 0; items && i < PQntuples(res); i++)
        if (!cJSON_AddItemToArray(items, person_json(res, i))) {
            cJSON_Delete(items);
            items = NULL;
        }
    if (!items) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    const char *last =
        PQntuples(res) > page.limit ? db_get(res, (int)page.limit - 1, "sort_key") : NULL;
    rc = page_reply(r, &page, items, last);
out:
    cJSON_Delete(filter.object);
    PQclear(res);
    free(attrs);
    return rc;
}
