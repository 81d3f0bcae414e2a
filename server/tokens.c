/*
 * tokens.c — making, hashing and revoking bearer tokens (see tokens.h),
 * and the routes POST /v1/tokens and DELETE /v1/tokens/{id}.
 *
 * A token's secret exists in memory only while it is made and sent back
 * once; it is wiped after, and never reaches the audit trail or the logs.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "journal.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "paging.h"
#include "request.h"
#include "server.h"
#include "tokens.h"

#include "mcred/banned.h"

#define TOKEN_KDF_CONTEXT "mcredtok" /* crypto_kdf_CONTEXTBYTES = 8 */
#define TOKEN_KDF_SUBKEY  1

enum mc_err token_key_derive(const unsigned char *master_key, unsigned char key[MC_TOKEN_KEY_BYTES])
{
    if (crypto_kdf_derive_from_key(key, MC_TOKEN_KEY_BYTES, TOKEN_KDF_SUBKEY, TOKEN_KDF_CONTEXT,
                                   master_key) != 0)
        return MC_ERR_INTERNAL;
    return MC_OK;
}

void secret_generate(const char *prefix, char out[MC_TOKEN_TEXT_LEN + 1])
{
    unsigned char raw[MC_TOKEN_RAW_BYTES];
    randombytes_buf(raw, sizeof raw);
    memcpy(out, prefix, 4);
    sodium_bin2base64(out + 4, MC_TOKEN_TEXT_LEN + 1 - 4, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

bool secret_well_formed(const char *s, const char *prefix)
{
    if (strncmp(s, prefix, 4) != 0 || strlen(s) != MC_TOKEN_TEXT_LEN)
        return false;
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    return strspn(s + 4, alphabet) == MC_TOKEN_TEXT_LEN - 4;
}

void token_generate(char out[MC_TOKEN_TEXT_LEN + 1])
{
    secret_generate(MC_TOKEN_PREFIX, out);
}

bool token_well_formed(const char *s)
{
    return secret_well_formed(s, MC_TOKEN_PREFIX);
}

enum mc_err token_hash(const unsigned char key[MC_TOKEN_KEY_BYTES], const char *token,
                       unsigned char out[MC_TOKEN_HASH_BYTES])
{
    if (crypto_generichash(out, MC_TOKEN_HASH_BYTES, (const unsigned char *)token, strlen(token),
                           key, MC_TOKEN_KEY_BYTES) != 0)
        return MC_ERR_INTERNAL;
    return MC_OK;
}

enum mc_err token_hash_param(const unsigned char key[MC_TOKEN_KEY_BYTES], const char *secret,
                             bool bare, char out[MC_TOKEN_HASH_PARAM_LEN])
{
    unsigned char hash[MC_TOKEN_HASH_BYTES];
    if (token_hash(key, secret, hash) != MC_OK)
        return MC_ERR_INTERNAL;
    size_t at = bare ? 0 : 2;
    memcpy(out, "\\x", 2); /* NOLINT(bugprone-not-null-terminated-result): bin2hex ends it */
    sodium_bin2hex(out + at, MC_TOKEN_HASH_PARAM_LEN - at, hash, sizeof hash);
    sodium_memzero(hash, sizeof hash);
    return MC_OK;
}

DB_STMT(db_token_insert_stmt,
        "INSERT INTO mcred.tokens (org_id, person_id, name, hash, expires_at)"
        " SELECT $1::uuid, $2::uuid, $3, $4::bytea, $5::timestamptz"
        " WHERE $5::timestamptz IS NULL OR $5::timestamptz > now()"
        " RETURNING id, person_id, name, mcred.rfc3339(created_at) AS created_at,"
        " mcred.rfc3339(expires_at) AS expires_at");

enum mc_err db_token_insert(struct db_conn *c, const char *org_id, const char *person_id,
                            const char *name, const char *expires_at,
                            const unsigned char hash[MC_TOKEN_HASH_BYTES], PGresult **out,
                            struct mc_error *err)
{
    char hex[2 + 2 * MC_TOKEN_HASH_BYTES + 1] = "\\x";
    sodium_bin2hex(hex + 2, sizeof hex - 2, hash, MC_TOKEN_HASH_BYTES);
    const char *params[] = {org_id, person_id, name, hex, expires_at};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(c, &db_token_insert_stmt, 5, params, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return mc_error_set(err, MC_ERR_INVALID, "expires_at", "expires_at must be in the future");
    }
    *out = res;
    return MC_OK;
}

/* The token row as the API shows it (never with its secret or hash). */
static cJSON *token_json(const PGresult *res)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !mc_json_add_string_or_null(o, "id", db_get(res, 0, "id")) ||
        !mc_json_add_string_or_null(o, "person", db_get(res, 0, "person_id")) ||
        !mc_json_add_string_or_null(o, "name", db_get(res, 0, "name")) ||
        !mc_json_add_string_or_null(o, "created_at", db_get(res, 0, "created_at")) ||
        !mc_json_add_string_or_null(o, "expires_at", db_get(res, 0, "expires_at"))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static const char *const token_create_keys[] = {"name", "expires_at", "person", NULL};

enum mc_err tokens_create(struct request *r)
{
    const char *name = NULL, *expires_at = NULL, *person = NULL;
    enum mc_err rc = mc_json_only_keys(r->json, token_create_keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "name", true, MC_MAX_TOKEN_NAME, &name, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "expires_at", false, 64, &expires_at, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "person", false, MC_UUID_LEN, &person, &r->err);
    if (rc != MC_OK)
        return rc;
    if (!person)
        person = r->auth.person_id;
    else if (!mc_uuid_valid(person))
        return request_fail(r, MC_ERR_INVALID, "person", "person must be a person's id");

    char token[MC_TOKEN_TEXT_LEN + 1];
    unsigned char hash[MC_TOKEN_HASH_BYTES];
    PGresult *res = NULL;
    cJSON *after = NULL, *reply = NULL;
    token_generate(token);
    rc = token_hash(r->server->token_key, token, hash);
    if (rc != MC_OK) {
        rc = request_fail(r, rc, NULL, "could not hash the token");
        goto out;
    }
    rc = db_token_insert(r->db, r->auth.org_id, person, name, expires_at, hash, &res, &r->err);
    if (rc == MC_ERR_INVALID && strcmp(r->db->sqlstate, "23503") == 0)
        rc =
            request_fail(r, rc, "person", "person %s is not a person of this organisation", person);
    else if (rc == MC_ERR_INVALID && !r->err.field[0])
        rc = request_fail(r, rc, "expires_at",
                          "expires_at must be an RFC 3339 time, e.g. 2027-06-30T23:59:59Z");
    if (rc != MC_OK)
        goto out;
    after = token_json(res);
    reply = token_json(res);
    if (!after || !reply || !cJSON_AddStringToObject(reply, "token", token)) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor, "token.create", "token", db_get(res, 0, "id"),
                       NULL, after, NULL, NULL, NULL, &r->err);
    if (rc != MC_OK)
        goto out;
    rc = request_reply(r, 201, reply);
    reply = NULL;
out:
    sodium_memzero(token, sizeof token);
    sodium_memzero(hash, sizeof hash);
    PQclear(res);
    cJSON_Delete(after);
    cJSON_Delete(reply);
    return rc;
}

DB_STMT(db_token_lock, "SELECT id, person_id, name, mcred.rfc3339(created_at) AS created_at,"
                       " mcred.rfc3339(expires_at) AS expires_at, revoked_at FROM mcred.tokens"
                       " WHERE org_id = $1::uuid AND id = $2::uuid FOR UPDATE");
DB_STMT(db_token_revoke,
        "UPDATE mcred.tokens SET revoked_at = now() WHERE org_id = $1::uuid AND id = $2::uuid");

enum mc_err tokens_revoke(struct request *r)
{
    const char *id = request_param(r, "id");
    const char *params[] = {r->auth.org_id, id};
    PGresult *res = NULL;
    cJSON *before = NULL;
    enum mc_err rc = db_exec(r->db, &db_token_lock, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        goto out;
    if (PQntuples(res) != 1) {
        rc = request_fail(r, MC_ERR_NOT_FOUND, NULL, "token %s not found", id);
        goto out;
    }
    if (db_get(res, 0, "revoked_at")) {
        rc = request_reply(r, 204, NULL); /* revoking twice changes nothing */
        goto out;
    }
    before = token_json(res);
    if (!before) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    rc = db_exec(r->db, &db_token_revoke, 2, params, PGRES_COMMAND_OK, NULL, &r->err);
    if (rc != MC_OK)
        goto out;
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor, "token.revoke", "token", id, before, NULL,
                       NULL, NULL, NULL, &r->err);
    if (rc == MC_OK)
        rc = request_reply(r, 204, NULL);
out:
    PQclear(res);
    cJSON_Delete(before);
    return rc;
}

/* Newest first; the cursor is the last row's (created_at, id), to the microsecond. */
DB_STMT_REPLAN(
    db_tokens_list,
    "SELECT id, person_id, name, mcred.rfc3339(created_at) AS created_at,"
    " mcred.rfc3339(expires_at) AS expires_at, mcred.rfc3339(last_used_at) AS last_used_at,"
    " mcred.rfc3339(revoked_at) AS revoked_at,"
    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    "   || ' ' || id::text AS sort_key"
    " FROM mcred.tokens WHERE org_id = $1::uuid"
    " AND ($2::text IS NULL OR (created_at, id) < (split_part($2::text, ' ', 1)::timestamptz,"
    "                                              split_part($2::text, ' ', 2)::uuid))"
    " AND ($3::uuid IS NULL OR person_id = $3::uuid)"
    " ORDER BY created_at DESC, id DESC LIMIT $4::integer");

static cJSON *token_list_item(const PGresult *res, int row)
{
    static const char *const columns[][2] = {
        {"id", "id"},
        {"person", "person_id"},
        {"name", "name"},
        {"created_at", "created_at"},
        {"expires_at", "expires_at"},
        {"last_used_at", "last_used_at"},
        {"revoked_at", "revoked_at"},
    };
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < sizeof columns / sizeof columns[0]; i++)
        if (!mc_json_add_string_or_null(o, columns[i][0], db_get(res, row, columns[i][1]))) {
            cJSON_Delete(o);
            o = NULL;
        }
    return o;
}

enum mc_err tokens_list(struct request *r)
{
    struct page page;
    const char *person = request_query(r, "person");
    enum mc_err rc = page_parse(r, &page);
    if (rc != MC_OK)
        return rc;
    if (person && !mc_uuid_valid(person))
        return request_fail(r, MC_ERR_INVALID, "person", "person must be a person's id");
    /* a cursor we did not make must not reach the casts in the query */
    const char *after = page_after_param(&page);
    if (after && (strlen(after) != 27 + 1 + MC_UUID_LEN || !mc_uuid_valid(after + 28)))
        return request_fail(r, MC_ERR_INVALID, "after", "after is not a cursor this list gave out");
    const char *params[] = {r->auth.org_id, after, person, page.limit_plus_one};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_tokens_list, 4, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc == MC_ERR_INVALID)
        rc = request_fail(r, rc, "after", "after is not a cursor this list gave out");
    if (rc != MC_OK)
        return rc;
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; items && i < PQntuples(res); i++)
        if (!cJSON_AddItemToArray(items, token_list_item(res, i))) {
            cJSON_Delete(items);
            items = NULL;
        }
    if (!items) {
        PQclear(res);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    const char *last =
        PQntuples(res) > page.limit ? db_get(res, (int)page.limit - 1, "sort_key") : NULL;
    rc = page_reply(r, &page, items, last);
    PQclear(res);
    return rc;
}
