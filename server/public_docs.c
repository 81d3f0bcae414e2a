/*
 * public_docs.c — what anyone may read without a token, so that an award
 * verifies anywhere without calling us with credentials:
 *   GET /issuers/{org}                 the issuer Profile, which is also the
 *                                      controller document of its keys
 *   GET /issuers/{org}/keys/{kid}      one ES256 key as a JWK (a VC-JWT's kid)
 *   GET /.well-known/jwks.json         every organisation's ES256 keys
 *   GET /issuers/{org}/revocations     the 1EdTechRevocationList
 *   GET /achievements/{id}             a published credential's Achievement
 *   GET /credentials/{id}              an award: the credential as issued
 *                                      (JSON), or a page saying what it says
 *                                      and whether it stands (HTML)
 *
 * Each is one round trip: mcred.public switched on and one SQL function
 * (migration 0020), under policies that let such a transaction read
 * those tables and nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "award_doc.h"
#include "awards.h"
#include "request.h"
#include "server.h"
#include "signing_keys.h"

#include "mcred/banned.h"

#define CONTEXT_MULTIKEY "https://w3id.org/security/multikey/v1"
#define SECURITY_VOCAB   "https://w3id.org/security#"

DB_STMT(db_public_on, "SELECT pg_catalog.set_config('mcred.public', 'on', true)");

/* Run one public function with one argument; *out its JSON, NULL when it found nothing. */
static enum mc_err public_read(struct request *r, struct db_stmt *stmt, const char *arg,
                               cJSON **out)
{
    struct db_conn *c = NULL;
    *out = NULL;
    enum mc_err rc = db_pool_acquire(r->server->pool, &c, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {arg};
    PGresult *res = NULL;
    struct db_tx_start start = {.stmt = &db_public_on};
    struct db_batch work = {stmt, arg ? 1 : 0, params, PGRES_TUPLES_OK, &res};
    rc = db_oneshot(c, &start, &work, 1, &r->err);
    PQclear(start.result);
    db_pool_release(r->server->pool, c);
    if (rc != MC_OK)
        return rc;
    const char *text =
        PQntuples(res) == 1 ? PQgetisnull(res, 0, 0) ? NULL : PQgetvalue(res, 0, 0) : NULL;
    if (text && !(*out = cJSON_Parse(text)))
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    PQclear(res);
    return rc;
}

static const char *str_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static bool add_strings(cJSON *array, const char *const *values)
{
    for (; *values; values++) {
        cJSON *s = cJSON_CreateString(*values);
        if (!s || !cJSON_AddItemToArray(array, s))
            return cJSON_Delete(s), false;
    }
    return true;
}

/* ---- the issuer ---- */

DB_STMT(db_public_issuer, "SELECT mcred.public_issuer($1)::text");

/*
 * The Profile's @context: the credential's two, Multikey for the keys,
 * and the two terms of a controller document that neither defines.
 */
static bool add_profile_context(cJSON *doc)
{
    static const char *const urls[] = {AWARD_CONTEXT_VC2, AWARD_CONTEXT_OB3, CONTEXT_MULTIKEY,
                                       NULL};
    cJSON *ctx = cJSON_AddArrayToObject(doc, "@context"), *local = cJSON_CreateObject();
    if (!ctx || !local || !add_strings(ctx, urls) || !cJSON_AddItemToArray(ctx, local))
        return cJSON_Delete(local), false;
    cJSON *am = cJSON_AddObjectToObject(local, "assertionMethod");
    cJSON *vm = cJSON_AddObjectToObject(local, "verificationMethod");
    return am && vm && cJSON_AddStringToObject(am, "@id", SECURITY_VOCAB "assertionMethod") &&
           cJSON_AddStringToObject(am, "@type", "@id") &&
           cJSON_AddStringToObject(am, "@container", "@set") &&
           cJSON_AddStringToObject(vm, "@id", SECURITY_VOCAB "verificationMethod") &&
           cJSON_AddStringToObject(vm, "@type", "@id") &&
           cJSON_AddStringToObject(vm, "@container", "@set");
}

/* Every Ed25519 key, retired ones too (what they signed still verifies), as Multikeys. */
static bool add_verification_methods(cJSON *doc, const char *issuer_id, const cJSON *keys)
{
    cJSON *methods = cJSON_AddArrayToObject(doc, "verificationMethod");
    cJSON *assertion = cJSON_AddArrayToObject(doc, "assertionMethod");
    const cJSON *k;
    if (!methods || !assertion)
        return false;
    cJSON_ArrayForEach(k, keys)
    {
        const char *algorithm = str_of(k, "algorithm"), *multikey = str_of(k, "key_id");
        if (!algorithm || strcmp(algorithm, "Ed25519") != 0 || !multikey)
            continue;
        char id[1024];
        if (snprintf(id, sizeof id, "%s#%s", issuer_id, multikey) >= (int)sizeof id)
            return false;
        cJSON *m = cJSON_CreateObject(), *ref = cJSON_CreateString(id);
        if (!m || !ref || !cJSON_AddItemToArray(methods, m) ||
            !cJSON_AddItemToArray(assertion, ref)) {
            cJSON_Delete(m);
            cJSON_Delete(ref);
            return false;
        }
        if (!cJSON_AddStringToObject(m, "id", id) ||
            !cJSON_AddStringToObject(m, "type", "Multikey") ||
            !cJSON_AddStringToObject(m, "controller", issuer_id) ||
            !cJSON_AddStringToObject(m, "publicKeyMultibase", multikey))
            return false;
    }
    return true;
}

enum mc_err public_issuer(struct request *r)
{
    const char *slug = request_param(r, "org");
    cJSON *issuer = NULL;
    enum mc_err rc = public_read(r, &db_public_issuer, slug, &issuer);
    if (rc != MC_OK)
        return rc;
    if (!issuer)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "no issuer %s", slug);
    char id[1024];
    snprintf(id, sizeof id, "%s/issuers/%s", r->server->cfg.public_url, slug);
    cJSON *doc = cJSON_CreateObject(), *type = NULL;
    bool ok = doc && add_profile_context(doc) && cJSON_AddStringToObject(doc, "id", id) &&
              (type = cJSON_AddArrayToObject(doc, "type")) != NULL &&
              add_strings(type, (const char *const[]){"Profile", NULL}) &&
              cJSON_AddStringToObject(doc, "name", str_of(issuer, "name")) &&
              cJSON_AddStringToObject(doc, "url", r->server->cfg.public_url) &&
              add_verification_methods(doc, id, cJSON_GetObjectItemCaseSensitive(issuer, "keys"));
    cJSON_Delete(issuer);
    if (!ok) {
        cJSON_Delete(doc);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return request_reply(r, 200, doc);
}

/* ---- JWKs ---- */

static enum mc_err jwk_of(struct request *r, const char *slug, const cJSON *key, cJSON **out)
{
    char kid[1024];
    snprintf(kid, sizeof kid, "%s/issuers/%s/keys/%s", r->server->cfg.public_url, slug,
             str_of(key, "key_id"));
    return signing_keys_jwk(str_of(key, "public_key"), kid, out, &r->err);
}

enum mc_err public_issuer_key(struct request *r)
{
    const char *slug = request_param(r, "org"), *kid = request_param(r, "kid");
    cJSON *issuer = NULL, *jwk = NULL;
    enum mc_err rc = public_read(r, &db_public_issuer, slug, &issuer);
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(issuer, "keys"), *k;
    cJSON_ArrayForEach(k, keys)
    {
        const char *algorithm = str_of(k, "algorithm"), *key_id = str_of(k, "key_id");
        if (rc == MC_OK && !jwk && algorithm && strcmp(algorithm, "ES256") == 0 && key_id &&
            strcmp(key_id, kid) == 0)
            rc = jwk_of(r, slug, k, &jwk);
    }
    cJSON_Delete(issuer);
    if (rc != MC_OK)
        return rc;
    if (!jwk)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "no key %s of issuer %s", kid, slug);
    return request_reply(r, 200, jwk);
}

DB_STMT(db_public_jwks, "SELECT mcred.public_jwks()::text");

enum mc_err public_jwks(struct request *r)
{
    cJSON *keys = NULL, *doc = cJSON_CreateObject();
    cJSON *list = doc ? cJSON_AddArrayToObject(doc, "keys") : NULL;
    enum mc_err rc = list ? public_read(r, &db_public_jwks, NULL, &keys)
                          : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const cJSON *k;
    cJSON_ArrayForEach(k, keys)
    {
        cJSON *jwk = NULL;
        if (rc == MC_OK)
            rc = jwk_of(r, str_of(k, "org"), k, &jwk);
        if (rc == MC_OK && !cJSON_AddItemToArray(list, jwk)) {
            cJSON_Delete(jwk);
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        }
    }
    cJSON_Delete(keys);
    if (rc != MC_OK) {
        cJSON_Delete(doc);
        return rc;
    }
    return request_reply(r, 200, doc);
}

/* ---- revocations ---- */

DB_STMT(db_public_revocations, "SELECT mcred.public_revocations($1)::text");

enum mc_err public_revocations(struct request *r)
{
    const char *slug = request_param(r, "org"), *base = r->server->cfg.public_url;
    cJSON *list = NULL;
    enum mc_err rc = public_read(r, &db_public_revocations, slug, &list);
    if (rc != MC_OK)
        return rc;
    if (!list)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "no issuer %s", slug);
    char id[1024], issuer[1024];
    snprintf(id, sizeof id, "%s/issuers/%s/revocations", base, slug);
    snprintf(issuer, sizeof issuer, "%s/issuers/%s", base, slug);
    cJSON *doc = cJSON_CreateObject(), *type = NULL, *revoked = NULL;
    bool ok = doc && cJSON_AddStringToObject(doc, "id", id) &&
              (type = cJSON_AddArrayToObject(doc, "type")) != NULL &&
              add_strings(type, (const char *const[]){AWARD_STATUS_TYPE, NULL}) &&
              cJSON_AddStringToObject(doc, "issuer", issuer) &&
              (revoked = cJSON_AddArrayToObject(doc, "revokedCredentials")) != NULL;
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(list, "revoked"))
    {
        char cid[1024];
        snprintf(cid, sizeof cid, "%s/credentials/%s", base, str_of(a, "id"));
        cJSON *o = ok ? cJSON_CreateObject() : NULL;
        ok = o && cJSON_AddItemToArray(revoked, o) && cJSON_AddStringToObject(o, "id", cid) &&
             cJSON_AddStringToObject(o, "revocationReason", str_of(a, "reason")) &&
             cJSON_AddStringToObject(o, "revokedAt", str_of(a, "revoked_at"));
    }
    cJSON_Delete(list);
    if (!ok) {
        cJSON_Delete(doc);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return request_reply(r, 200, doc);
}

/* ---- achievements ---- */

DB_STMT(db_public_achievement, "SELECT mcred.public_achievement($1::uuid)::text");

enum mc_err public_achievement(struct request *r)
{
    const char *id = request_param(r, "id");
    cJSON *found = NULL, *doc = NULL;
    enum mc_err rc = public_read(r, &db_public_achievement, id, &found);
    const cJSON *credential = cJSON_GetObjectItemCaseSensitive(found, "credential");
    if (rc == MC_OK && !cJSON_IsObject(credential))
        rc = request_fail(r, MC_ERR_NOT_FOUND, NULL, "no achievement %s", id);
    if (rc == MC_OK)
        rc = award_achievement_build(r->server->cfg.public_url, credential, &doc, &r->err);
    cJSON_Delete(found);
    if (rc != MC_OK)
        return rc;
    /* @context first, as JSON-LD readers expect */
    cJSON *out = cJSON_CreateObject(), *ctx = out ? cJSON_AddArrayToObject(out, "@context") : NULL;
    bool ok =
        ctx && add_strings(ctx, (const char *const[]){AWARD_CONTEXT_VC2, AWARD_CONTEXT_OB3, NULL});
    while (ok && doc->child) {
        cJSON *item = cJSON_DetachItemViaPointer(doc, doc->child);
        ok = cJSON_AddItemToObject(out, item->string, item);
    }
    cJSON_Delete(doc);
    if (!ok) {
        cJSON_Delete(out);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    doc = out;
    return request_reply(r, 200, doc);
}

/* ---- an award ---- */

DB_STMT(db_public_award, "SELECT mcred.public_award($1::uuid)::text");

/* Does the request prefer HTML (a browser) to JSON?  ?format= (html or json) decides; else
 * Accept.  An unknown format is 422. */
static enum mc_err wants_html(struct request *r, bool *out)
{
    static const char *const formats[] = {"html", "json", NULL};
    const char *accept = request_header(r, "Accept");
    const char *format = NULL;
    *out = false;
    enum mc_err rc = request_query_word(r, "format", formats, &format);
    if (rc != MC_OK || format) {
        *out = format && strcmp(format, "html") == 0;
        return rc;
    }
    const char *html = accept ? strstr(accept, "text/html") : NULL;
    const char *json = accept ? strstr(accept, "json") : NULL;
    *out = html && (!json || html < json);
    return MC_OK;
}

enum mc_err credential_page(struct request *r, const cJSON *award);

enum mc_err public_credential(struct request *r)
{
    const char *id = request_param(r, "id");
    cJSON *award = NULL;
    bool html = false;
    enum mc_err rc = wants_html(r, &html);
    if (rc == MC_OK)
        rc = public_read(r, &db_public_award, id, &award);
    if (rc == MC_OK && !award)
        rc = request_fail(r, MC_ERR_NOT_FOUND, NULL, "no credential %s", id);
    if (rc == MC_OK && html) {
        rc = credential_page(r, award);
    } else if (rc == MC_OK) {
        cJSON *doc = cJSON_Parse(str_of(award, "document") ? str_of(award, "document") : "");
        rc = doc ? request_reply(r, 200, doc)
                 : request_fail(r, MC_ERR_INTERNAL, NULL, "a stored award is not JSON");
    }
    cJSON_Delete(award);
    return rc;
}
