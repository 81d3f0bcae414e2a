/*
 * db_role.c — see db_role.h.
 */
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "db_role.h"

#include "mcred/banned.h"

DB_STMT(db_role_attributes, "SELECT current_user AS name, rolsuper::text AS super,"
                            " rolbypassrls::text AS bypass FROM pg_roles"
                            " WHERE rolname = current_user");

enum mc_err db_role_check(struct db_conn *c, bool *privileged, char *why, size_t why_len,
                          struct mc_error *err)
{
    PGresult *res = NULL;
    *privileged = false;
    why[0] = '\0';
    enum mc_err rc = db_exec(c, &db_role_attributes, 0, NULL, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "the database did not describe its role");
    }
    const char *name = db_get(res, 0, "name"), *super_text = db_get(res, 0, "super"),
               *bypass_text = db_get(res, 0, "bypass");
    bool super = super_text && strcmp(super_text, "true") == 0;
    bool bypass = bypass_text && strcmp(bypass_text, "true") == 0;
    if (super || bypass) {
        *privileged = true;
        snprintf(why, why_len, "role \"%s\" %s", name ? name : "?",
                 super ? (bypass ? "is a superuser with BYPASSRLS" : "is a superuser")
                       : "has BYPASSRLS");
    }
    PQclear(res);
    return MC_OK;
}
