/*
 * idempotency.c — see idempotency.h.  Runs inside the request's
 * transaction, so the kept answer commits with the write it answers.
 * Two requests racing with one key both miss; the second to commit hits
 * the primary key and is answered 409, having written nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <sodium.h>

#include "idempotency.h"
#include "request.h"
#include "router.h"

#include "mcred/banned.h"

#define HASH_BYTES 32
/* Kept instead of an answer that held a secret (a token): a retry learns it was done. */
#define SECRET_KEPT_BACK 0

static const char *key_of(const struct request *r)
{
    if (strcmp(r->method, "POST") != 0)
        return NULL;
    return request_header(r, "Idempotency-Key");
}

/* Feed one query argument, name and value each with its terminator (a missing value apart). */
static enum MHD_Result hash_argument(void *cls, enum MHD_ValueKind kind, const char *name,
                                     const char *value)
{
    (void)kind;
    crypto_generichash_state *st = cls;
    crypto_generichash_update(st, (const unsigned char *)name, strlen(name) + 1);
    if (value)
        crypto_generichash_update(st, (const unsigned char *)value, strlen(value) + 1);
    else
        crypto_generichash_update(st, (const unsigned char *)"\xff", 1);
    return MHD_YES;
}

/*
 * BLAKE2b of the whole request — method, path, query arguments in order,
 * Content-Type and body — as bytea input text: a key reused with any of
 * them changed (POST /v1/people/import?dry_run=true, then without) is
 * another request, refused, never answered from the first.
 */
static void request_hash(const struct request *r, char out[2 + 2 * HASH_BYTES + 1])
{
    crypto_generichash_state st;
    unsigned char hash[HASH_BYTES];
    const char *type = request_header(r, "Content-Type");
    crypto_generichash_init(&st, NULL, 0, sizeof hash);
    crypto_generichash_update(&st, (const unsigned char *)r->method, strlen(r->method) + 1);
    crypto_generichash_update(&st, (const unsigned char *)r->path, strlen(r->path) + 1);
    crypto_generichash_update(&st, (const unsigned char *)"?", 1);
    if (r->connection)
        (void)MHD_get_connection_values(r->connection, MHD_GET_ARGUMENT_KIND, hash_argument, &st);
    crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
    if (type)
        crypto_generichash_update(&st, (const unsigned char *)type, strlen(type));
    crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
    crypto_generichash_update(&st, (const unsigned char *)r->body.data, r->body.len);
    crypto_generichash_final(&st, hash, sizeof hash);
    memcpy(out, "\\x", 2); /* NOLINT(bugprone-not-null-terminated-result): bin2hex ends it */
    sodium_bin2hex(out + 2, 2 * HASH_BYTES + 1, hash, sizeof hash);
}

static bool key_valid(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > MC_MAX_IDEMPOTENCY_KEY)
        return false;
    for (const unsigned char *p = (const unsigned char *)k; *p; p++)
        if (*p < 0x21 || *p > 0x7E)
            return false;
    return true;
}

DB_STMT(db_idempotency_get,
        "SELECT status, body, request_hash = $4::bytea AS same FROM mcred.idempotency"
        " WHERE org_id = $1::uuid AND person_id = $2::uuid AND key = $3"
        " AND created_at > now() - interval '24 hours'");

enum mc_err idempotency_check(struct request *r, bool *out_replayed)
{
    *out_replayed = false;
    const char *key = key_of(r);
    if (!key)
        return MC_OK;
    if (!key_valid(key))
        return request_fail(r, MC_ERR_INVALID, "Idempotency-Key",
                            "Idempotency-Key must be 1 to %d printable ASCII characters",
                            MC_MAX_IDEMPOTENCY_KEY);
    char hash[2 + 2 * HASH_BYTES + 1];
    request_hash(r, hash);
    const char *params[] = {r->auth.org_id, r->auth.person_id, key, hash};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_idempotency_get, 4, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK || PQntuples(res) == 0) {
        PQclear(res);
        return rc;
    }
    if (strcmp(db_get(res, 0, "same"), "t") != 0) {
        PQclear(res);
        return request_fail(r, MC_ERR_INVALID, "Idempotency-Key",
                            "this Idempotency-Key was used for a different request");
    }
    cJSON *body = cJSON_Parse(db_get(res, 0, "body"));
    unsigned status = (unsigned)strtoul(db_get(res, 0, "status"), NULL, 10);
    PQclear(res);
    if (status == SECRET_KEPT_BACK) {
        cJSON_Delete(body);
        return request_fail(r, MC_ERR_CONFLICT, "Idempotency-Key",
                            "this request was made already; its secret was shown only then");
    }
    if (!body)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    *out_replayed = true;
    return request_reply(r, status, body);
}

DB_STMT(db_idempotency_put,
        "WITH old AS (DELETE FROM mcred.idempotency WHERE org_id = $1::uuid"
        "  AND person_id = $2::uuid AND key = $3 AND created_at <= now() - interval '24 hours')"
        " INSERT INTO mcred.idempotency (org_id, person_id, key, request_hash, status, body)"
        " VALUES ($1::uuid, $2::uuid, $3, $4::bytea, $5::integer, $6)");

enum mc_err idempotency_store(struct request *r)
{
    const char *key = key_of(r);
    if (!key || !r->reply || r->status < 200 || r->status > 299)
        return MC_OK;
    char hash[2 + 2 * HASH_BYTES + 1], status[16];
    request_hash(r, hash);
    bool secret = r->route->flags & ROUTE_SECRET_REPLY;
    snprintf(status, sizeof status, "%u", secret ? SECRET_KEPT_BACK : r->status);
    char *body = secret ? strdup("{}") : cJSON_PrintUnformatted(r->reply);
    if (!body)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {r->auth.org_id, r->auth.person_id, key, hash, status, body};
    enum mc_err rc =
        db_exec(r->db, &db_idempotency_put, 6, params, PGRES_COMMAND_OK, NULL, &r->err);
    free(body);
    if (rc == MC_ERR_CONFLICT)
        return request_fail(r, rc, "Idempotency-Key",
                            "another request with this Idempotency-Key ran at the same time");
    return rc;
}
