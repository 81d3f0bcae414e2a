/*
 * bootstrap.c — see bootstrap.h.
 *
 * Row-level security allows writing only rows of the organisation set for
 * the transaction, so the organisation's id is made here first, set, and
 * then used for the insert.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "bootstrap.h"
#include "journal.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "request.h"

#include "uuid.h"

#include "mcred/banned.h"

struct bootstrap_ctx {
    const unsigned char *token_key;
    const struct bootstrap_request *req;
    char admin_name[MC_MAX_NAME + 1];
    char org_id[MC_UUID_LEN + 1];
    char token[MC_TOKEN_TEXT_LEN + 1];
};

static enum mc_err bootstrap_validate(const struct bootstrap_request *req, struct mc_error *err)
{
    if (!req->slug || !mc_slug_valid(req->slug))
        return mc_error_set(err, MC_ERR_INVALID, "org",
                            "organisation slug must be lowercase letters, digits and '-', "
                            "starting with a letter or digit, at most %d characters",
                            MC_MAX_SLUG);
    if (!req->name || !*req->name || strlen(req->name) > MC_MAX_NAME ||
        !mc_utf8_valid_text(req->name, strlen(req->name)))
        return mc_error_set(err, MC_ERR_INVALID, "name",
                            "organisation name must be 1 to %d bytes of text", MC_MAX_NAME);
    if (!req->admin_email || !mc_email_valid(req->admin_email))
        return mc_error_set(err, MC_ERR_INVALID, "admin-email", "\"%s\" is not an e-mail address",
                            req->admin_email ? req->admin_email : "");
    return MC_OK;
}

DB_STMT(db_bootstrap_org, "INSERT INTO mcred.orgs (id, slug, name) VALUES ($1::uuid, $2, $3)");
DB_STMT(db_bootstrap_admin, "INSERT INTO mcred.people (org_id, email, name, org_role)"
                            " VALUES ($1::uuid, $2, $3, 'admin') RETURNING id");

static cJSON *pairs_json(const char *k1, const char *v1, const char *k2, const char *v2)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, k1, v1) || (k2 && !cJSON_AddStringToObject(o, k2, v2))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Write the organisation, person, token and their audit rows. */
static enum mc_err bootstrap_in_transaction(struct db_conn *c, void *arg, struct mc_error *err)
{
    struct bootstrap_ctx *ctx = arg;
    const struct bootstrap_request *req = ctx->req;
    const struct actor actor = {.person_id = NULL, .label = "bootstrap", .request_id = NULL};
    const char *org_params[] = {ctx->org_id, req->slug, req->name};
    const char *person_params[] = {ctx->org_id, req->admin_email, ctx->admin_name};
    PGresult *person = NULL, *token = NULL;
    cJSON *org_after = pairs_json("slug", req->slug, "name", req->name);
    cJSON *person_after = pairs_json("email", req->admin_email, "org_role", "admin");
    cJSON *token_after = pairs_json("name", "bootstrap", NULL, NULL);
    unsigned char hash[MC_TOKEN_HASH_BYTES];
    enum mc_err rc = MC_OK;
    if (!org_after || !person_after || !token_after) {
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    rc = db_exec(c, &db_bootstrap_org, 3, org_params, PGRES_COMMAND_OK, NULL, err);
    if (rc == MC_ERR_CONFLICT)
        rc = mc_error_set(err, rc, "org", "organisation \"%s\" already exists", req->slug);
    if (rc == MC_OK)
        rc = journal_write(c, ctx->org_id, &actor, "org.create", "org", ctx->org_id, NULL,
                           org_after, NULL, NULL, NULL, err);
    if (rc == MC_OK)
        rc = db_exec(c, &db_bootstrap_admin, 3, person_params, PGRES_TUPLES_OK, &person, err);
    if (rc != MC_OK)
        goto out;
    const char *person_id = PQgetvalue(person, 0, 0);
    rc = journal_write(c, ctx->org_id, &actor, "person.create", "person", person_id, NULL,
                       person_after, NULL, NULL, NULL, err);
    if (rc != MC_OK)
        goto out;
    token_generate(ctx->token);
    rc = token_hash(ctx->token_key, ctx->token, hash);
    if (rc == MC_OK)
        rc = db_token_insert(c, ctx->org_id, person_id, "bootstrap", NULL, hash, &token, err);
    if (rc == MC_OK)
        rc = journal_write(c, ctx->org_id, &actor, "token.create", "token", db_get(token, 0, "id"),
                           NULL, token_after, NULL, NULL, NULL, err);
out:
    sodium_memzero(hash, sizeof hash);
    PQclear(person);
    PQclear(token);
    cJSON_Delete(org_after);
    cJSON_Delete(person_after);
    cJSON_Delete(token_after);
    return rc;
}

enum mc_err bootstrap_org(struct db_conn *c, const unsigned char token_key[MC_TOKEN_KEY_BYTES],
                          const struct bootstrap_request *req,
                          char out_token[MC_TOKEN_TEXT_LEN + 1], struct mc_error *err)
{
    enum mc_err rc = bootstrap_validate(req, err);
    if (rc != MC_OK)
        return rc;
    struct bootstrap_ctx ctx = {.token_key = token_key, .req = req};
    if (req->admin_name && *req->admin_name)
        snprintf(ctx.admin_name, sizeof ctx.admin_name, "%s", req->admin_name);
    else
        snprintf(ctx.admin_name, sizeof ctx.admin_name, "%.*s", (int)strcspn(req->admin_email, "@"),
                 req->admin_email);
    uuid_v4(ctx.org_id);
    rc = db_transaction(c, ctx.org_id, false, bootstrap_in_transaction, &ctx, err);
    if (rc == MC_OK)
        memcpy(out_token, ctx.token, sizeof ctx.token);
    sodium_memzero(ctx.token, sizeof ctx.token);
    return rc;
}
