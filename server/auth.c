/*
 * auth.c — bearer token to person and organisation, in the request's
 * transaction (see mcred.authenticate in sql/migrations/0001_core.sql,
 * which also sets the organisation for row-level security).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "auth.h"
#include "router.h"

#include "mcred/banned.h"

enum mc_err auth_parse_bearer(const char *header, const char **out_token, struct mc_error *err)
{
    if (!header || !*header)
        return mc_error_set(err, MC_ERR_UNAUTHENTICATED, NULL,
                            "authentication required: send Authorization: Bearer <token>");
    if (strncasecmp(header, "Bearer ", 7) != 0)
        return mc_error_set(err, MC_ERR_UNAUTHENTICATED, NULL,
                            "authorization scheme must be Bearer");
    const char *token = header + 7;
    token += strspn(token, " ");
    if (!token_well_formed(token))
        return mc_error_set(err, MC_ERR_UNAUTHENTICATED, NULL, "invalid token");
    *out_token = token;
    return MC_OK;
}

unsigned auth_role_bit(const char *org_role)
{
    if (strcmp(org_role, "admin") == 0)
        return ROLE_ADMIN;
    if (strcmp(org_role, "coordinator") == 0)
        return ROLE_COORDINATOR;
    if (strcmp(org_role, "leader") == 0)
        return ROLE_LEADER;
    if (strcmp(org_role, "none") == 0)
        return ROLE_NONE;
    return 0;
}

DB_STMT(db_auth_authenticate,
        "SELECT org_id, org_slug, org_name, person_id, email, name, org_role, token_id"
        " FROM mcred.authenticate($1::bytea)");

static void copy_column(char *dst, size_t size, const PGresult *res, const char *column)
{
    const char *v = db_get(res, 0, column);
    snprintf(dst, size, "%s", v ? v : "");
}

enum mc_err auth_start_init(struct auth_start *as, const unsigned char key[MC_TOKEN_KEY_BYTES],
                            const char *token, struct db_tx_start *out, struct mc_error *err)
{
    if (token_hash_param(key, token, false, as->hash_param) != MC_OK)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not hash the token");
    as->params[0] = as->hash_param;
    *out = (struct db_tx_start){.stmt = &db_auth_authenticate, .nparams = 1, .params = as->params};
    return MC_OK;
}

void auth_start_release(struct auth_start *as)
{
    sodium_memzero(as->hash_param, sizeof as->hash_param);
}

enum mc_err auth_from_result(const PGresult *res, struct auth_info *out, struct mc_error *err)
{
    if (!res || PQntuples(res) != 1)
        return mc_error_set(err, MC_ERR_UNAUTHENTICATED, NULL, "invalid, expired or revoked token");
    copy_column(out->org_id, sizeof out->org_id, res, "org_id");
    copy_column(out->org_slug, sizeof out->org_slug, res, "org_slug");
    copy_column(out->org_name, sizeof out->org_name, res, "org_name");
    copy_column(out->person_id, sizeof out->person_id, res, "person_id");
    copy_column(out->email, sizeof out->email, res, "email");
    copy_column(out->name, sizeof out->name, res, "name");
    copy_column(out->org_role, sizeof out->org_role, res, "org_role");
    copy_column(out->token_id, sizeof out->token_id, res, "token_id");
    out->roles = auth_role_bit(out->org_role);
    return MC_OK;
}
