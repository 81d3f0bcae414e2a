/*
 * db_role.c — see db_role.h.
 */
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "db_role.h"

#include "mcred/banned.h"

/*
 * Ownership through membership counts: a member of the owner role may
 * act as it (SET ROLE), so pg_has_role(..., 'MEMBER').  Types are
 * included because ALTER TYPE on an enum changes what tables accept.
 */
DB_STMT(db_role_attributes,
        "SELECT current_user AS name, r.rolsuper::text AS super, r.rolbypassrls::text AS bypass,"
        " (n.oid IS NOT NULL)::text AS schema,"
        " coalesce(pg_catalog.has_schema_privilege(n.oid, 'USAGE'), false)::text AS granted,"
        " pg_catalog.has_database_privilege(d.oid, 'CREATE')::text AS can_create,"
        " CASE WHEN pg_catalog.pg_has_role(d.datdba, 'MEMBER')"
        "        THEN 'the database ' || pg_catalog.quote_ident(d.datname)"
        "      WHEN n.oid IS NULL THEN ''"
        "      WHEN pg_catalog.pg_has_role(n.nspowner, 'MEMBER') THEN 'schema mcred'"
        "      WHEN EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid"
        "                    AND pg_catalog.pg_has_role(c.relowner, 'MEMBER'))"
        "        THEN 'tables in schema mcred'"
        "      WHEN EXISTS (SELECT FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid"
        "                    AND pg_catalog.pg_has_role(p.proowner, 'MEMBER'))"
        "        THEN 'functions in schema mcred'"
        "      WHEN EXISTS (SELECT FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid"
        "                    AND pg_catalog.pg_has_role(t.typowner, 'MEMBER'))"
        "        THEN 'types in schema mcred'"
        "      ELSE '' END AS owns"
        " FROM pg_catalog.pg_roles r"
        " CROSS JOIN pg_catalog.pg_database d"
        " LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = 'mcred'"
        " WHERE r.rolname = current_user AND d.datname = pg_catalog.current_database()");

DB_STMT(db_role_grant, "SELECT mcred.grant_server_role($1)");

static bool is_true(const char *text)
{
    return text && strcmp(text, "true") == 0;
}

enum mc_err db_role_describe(struct db_conn *c, struct db_role *out, struct mc_error *err)
{
    PGresult *res = NULL;
    memset(out, 0, sizeof *out);
    enum mc_err rc = db_exec(c, &db_role_attributes, 0, NULL, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "the database did not describe its role");
    }
    const char *name = db_get(res, 0, "name"), *owns = db_get(res, 0, "owns");
    bool super = is_true(db_get(res, 0, "super")), bypass = is_true(db_get(res, 0, "bypass"));
    snprintf(out->name, sizeof out->name, "%s", name ? name : "?");
    out->schema_exists = is_true(db_get(res, 0, "schema"));
    out->schema_granted = is_true(db_get(res, 0, "granted"));
    out->can_create_schema = is_true(db_get(res, 0, "can_create"));
    out->privileged = super || bypass;
    if (out->privileged)
        snprintf(out->privileged_why, sizeof out->privileged_why, "role \"%s\" %s", out->name,
                 super ? (bypass ? "is a superuser with BYPASSRLS" : "is a superuser")
                       : "has BYPASSRLS");
    /* a superuser "is a member" of every role: its ownership is the lesser news */
    out->owns = !out->privileged && owns && *owns;
    if (out->owns)
        snprintf(out->owns_why, sizeof out->owns_why, "role \"%s\" owns %s", out->name, owns);
    PQclear(res);
    return MC_OK;
}

enum mc_err db_role_grant_server(struct db_conn *c, const char *role, struct mc_error *err)
{
    const char *params[] = {role};
    return db_exec(c, &db_role_grant, 1, params, PGRES_TUPLES_OK, NULL, err);
}
