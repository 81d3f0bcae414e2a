/*
 * awards.c — awarding the credential as a signed Open Badges 3.0
 * credential, revoking it, and reading awards:
 *   POST /v1/cohorts/{id}/members/{person}/award   one learner
 *   POST /v1/cohorts/{id}/awards                   every eligible learner
 *   GET  /v1/cohorts/{id}/awards                   the cohort's awards
 *   GET  /v1/awards/{id}[?format=jwt]              one award, as issued
 *   POST /v1/awards/{id}/revoke                    revoke, with a reason
 *   GET  /v1/me/awards                             the caller's own
 *
 * An award is one read (mcred.award_material: everything the document
 * needs, in one statement), the document built and signed here, and one
 * write (mcred.award_record: the award, its audit row and its
 * credential.awarded event) — whatever the number of learners.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "award_doc.h"
#include "awards.h"
#include "paging.h"
#include "request.h"
#include "server.h"
#include "signing_keys.h"
#include "mcred/json.h"
#include "mcred/timefmt.h"
#include "mcred/validate.h"

#include "uuid.h"

#include "mcred/banned.h"

#define MC_MAX_REASON 1000

static const char *str_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* ---- reading what an award needs ---- */

DB_STMT(db_award_material, "SELECT mcred.award_material($1::uuid, $2)::text AS m");

/* The material mcred.award_material answered; 404 for a cohort that is not there. */
static enum mc_err material_parse(struct request *r, const PGresult *res, cJSON **out)
{
    const char *text = PQntuples(res) == 1 ? db_get(res, 0, "m") : NULL;
    *out = text ? cJSON_Parse(text) : NULL;
    if (!text)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found",
                            request_cohort_words(r));
    return *out ? MC_OK : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

/* mcred.award_material of the cohort (and person, or all learners when NULL). */
static enum mc_err material_read(struct request *r, const char *person, cJSON **out)
{
    const char *cohort = request_param(r, "id");
    const char *params[] = {cohort, person};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_award_material, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc == MC_OK)
        rc = material_parse(r, res, out);
    PQclear(res);
    return rc;
}

/*
 * The organisation's keys in force, opened; made first if it has none:
 * stored at once inside the request's transaction (`fresh` NULL), or, on
 * the one-shot path, handed back in *fresh to be stored with the award.
 */
static enum mc_err keys_ready(struct request *r, cJSON *material, struct org_keys *keys,
                              cJSON **fresh)
{
    const struct server_config *cfg = &r->server->cfg;
    if (!cfg->has_master_key)
        return request_fail(r, MC_ERR_UNAVAILABLE, NULL,
                            "awards cannot be signed: the server has no MCRED_MASTER_KEY");
    cJSON *list = cJSON_GetObjectItemCaseSensitive(material, "keys");
    if (cJSON_GetArraySize(list) < 2) {
        cJSON *made = NULL, *copy = NULL;
        enum mc_err rc =
            fresh ? signing_keys_generate(cfg->master_key, &made, &r->err)
                  : signing_keys_rotate(r->db, cfg->master_key, r->auth.email, &made, &r->err);
        if (rc != MC_OK)
            return rc;
        if (fresh && !(copy = cJSON_Duplicate(made, 1))) {
            cJSON_Delete(made);
            return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        }
        if (fresh)
            *fresh = copy;
        if (!cJSON_ReplaceItemInObjectCaseSensitive(material, "keys", made)) {
            cJSON_Delete(made);
            return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        }
        list = made;
    }
    return signing_keys_open(cfg->master_key, list, keys, &r->err);
}

/* ---- signing ---- */

struct signed_award {
    char id[MC_UUID_LEN + 1];
    char *document; /* the signed credential's text */
    char *jwt;
};

static void signed_award_free(struct signed_award *a)
{
    free(a->document);
    free(a->jwt);
    a->document = a->jwt = NULL;
}

/*
 * Build and sign one learner's award: the VC-JWT over the credential,
 * then the embedded proof.  Both carry the same awarded_at.
 */
static enum mc_err award_sign(struct request *r, const cJSON *material, const cJSON *learner,
                              const struct org_keys *keys, const char *awarded_at,
                              struct signed_award *out)
{
    const char *base = r->server->cfg.public_url;
    const cJSON *org = cJSON_GetObjectItemCaseSensitive(material, "org");
    unsigned char salt_bytes[AWARD_SALT_HEX / 2];
    char salt[AWARD_SALT_HEX + 1], vm[1024], kid[1024];
    randombytes_buf(salt_bytes, sizeof salt_bytes);
    sodium_bin2hex(salt, sizeof salt, salt_bytes, sizeof salt_bytes);
    uuid_v4(out->id);
    struct award_doc_input in = {
        .base_url = base,
        .award_id = out->id,
        .awarded_at = awarded_at,
        .salt = salt,
        .org = org,
        .credential = cJSON_GetObjectItemCaseSensitive(material, "credential"),
        .learner = learner,
    };
    cJSON *doc = NULL;
    enum mc_err rc = award_document_build(&in, &doc, &r->err);
    snprintf(kid, sizeof kid, "%s/issuers/%s/keys/%s", base, str_of(org, "slug"), keys->es_kid);
    snprintf(vm, sizeof vm, "%s/issuers/%s#%s", base, str_of(org, "slug"), keys->ed_multikey);
    if (rc == MC_OK)
        rc = mc_vcjwt_sign(doc, keys->es, kid, &out->jwt, &r->err);
    if (rc == MC_OK)
        rc = mc_di_sign(doc, keys->ed_sk, vm, awarded_at, &r->err);
    if (rc == MC_OK) {
        out->document = cJSON_PrintUnformatted(doc);
        if (!out->document)
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    cJSON_Delete(doc);
    if (rc != MC_OK && rc != MC_ERR_NOMEM) {
        /* nothing the client sent: what went wrong is for the operator's log */
        char why[MC_MAX_ERR_MESSAGE];
        snprintf(why, sizeof why, "%s", mc_error_message(&r->err));
        rc = request_fail(r, MC_ERR_INTERNAL, NULL, "the award could not be signed");
        /* the reason, in the request log */
        snprintf(r->err.detail, sizeof r->err.detail, "%s", why);
    }
    if (rc != MC_OK)
        signed_award_free(out);
    return rc;
}

/* ---- recording ---- */

DB_STMT(
    db_award_record,
    "SELECT r.created, r.award_id, r.document, r.item::text AS item, x.n"
    "  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x (v, n),"
    "       LATERAL mcred.award_record((x.v ->> 'id')::uuid, $2::uuid,"
    "                                  (x.v ->> 'learner')::uuid, $3::uuid,"
    "                                  $4::timestamptz, x.v ->> 'document', x.v ->> 'jwt', $5) r"
    " ORDER BY x.n");

/* Add one signed award to the batch mcred.award_record takes. */
static bool batch_add(cJSON *batch, const struct signed_award *a, const char *learner_id)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(batch, o))
        return cJSON_Delete(o), false;
    return cJSON_AddStringToObject(o, "id", a->id) &&
           cJSON_AddStringToObject(o, "learner", learner_id) &&
           cJSON_AddStringToObject(o, "document", a->document) &&
           cJSON_AddStringToObject(o, "jwt", a->jwt);
}

/* Record the batch in one statement; *out holds a row per award, in order (PQclear it). */
static enum mc_err batch_record(struct request *r, const cJSON *material, const cJSON *batch,
                                const char *awarded_at, PGresult **out)
{
    char *text = cJSON_PrintUnformatted(batch);
    if (!text)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {
        text,
        str_of(cJSON_GetObjectItemCaseSensitive(material, "cohort"), "id"),
        str_of(cJSON_GetObjectItemCaseSensitive(material, "credential"), "id"),
        awarded_at,
        r->request_id,
    };
    enum mc_err rc = db_exec(r->db, &db_award_record, 5, params, PGRES_TUPLES_OK, out, &r->err);
    free(text);
    return rc;
}

/* ---- one learner ---- */

/* Why this person cannot be awarded in this cohort, or MC_OK. */
static enum mc_err learner_check(struct request *r, const cJSON *learner, const char *person)
{
    if (!learner)
        return request_fail(r, MC_ERR_NOT_FOUND, "person", "no person %s in this organisation",
                            person);
    const char *email = str_of(learner, "email"), *name = str_of(learner, "name");
    const char *role = str_of(learner, "role"), *status = str_of(learner, "status");
    char who[2 * MC_MAX_NAME + MC_MAX_EMAIL + 8];
    if (name && *name)
        snprintf(who, sizeof who, "%s (%s)", name, email ? email : "");
    else
        snprintf(who, sizeof who, "%s", email ? email : person);
    if (!role || strcmp(role, "learner") != 0)
        return request_fail(r, MC_ERR_NOT_FOUND, "person", "%s is not a learner of cohort %s", who,
                            request_cohort_words(r));
    if (strcmp(status, "enrolled") != 0 && strcmp(status, "completed") != 0)
        return request_fail(r, MC_ERR_CONFLICT, "person", "%s is %s, not enrolled", who, status);
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(learner, "eligible"))) {
        const cJSON *missing = cJSON_GetObjectItemCaseSensitive(learner, "missing"), *m;
        struct mc_buf b;
        mc_buf_init(&b, 512);
        enum mc_err brc = MC_OK;
        cJSON_ArrayForEach(m, missing)
        {
            if (brc == MC_OK && b.len + 3 < 400)
                brc = mc_buf_appendf(&b, "%s%s", b.len ? "; " : "", cJSON_GetStringValue(m));
        }
        request_fail(r, MC_ERR_CONFLICT, "person", "%s is not eligible yet: %s", who,
                     brc == MC_OK && b.len ? b.data : "the award rule is not met");
        mc_buf_release(&b);
        cJSON *details = cJSON_CreateArray();
        cJSON_ArrayForEach(m, missing)
        {
            cJSON *o = cJSON_CreateObject();
            if (details && o && cJSON_AddItemToArray(details, o)) {
                cJSON_AddStringToObject(o, "field", "person");
                cJSON_AddStringToObject(o, "code", "missing");
                cJSON_AddStringToObject(o, "message", cJSON_GetStringValue(m));
            } else {
                cJSON_Delete(o);
            }
        }
        cJSON_Delete(r->error_details);
        r->error_details = details;
        return MC_ERR_CONFLICT;
    }
    return MC_OK;
}

/* Answer with a stored credential's text, as JSON. */
static enum mc_err reply_document(struct request *r, unsigned status, const char *text)
{
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    if (!doc)
        return request_fail(r, MC_ERR_INTERNAL, NULL, "a stored award is not JSON");
    return request_reply(r, status, doc);
}

static bool now_rfc3339(char out[MC_RFC3339_LEN])
{
    return mc_time_rfc3339(time(NULL), out);
}

/* The answer to one award's record: 201 new, 200 in force already, 409 no longer eligible. */
static enum mc_err record_answer(struct request *r, const PGresult *res)
{
    const char *created = PQntuples(res) == 1 ? db_get(res, 0, "created") : NULL;
    if (!created)
        return request_fail(r, MC_ERR_UNAUTHENTICATED, NULL, NULL);
    if (!db_get(res, 0, "award_id"))
        return request_fail(r, MC_ERR_CONFLICT, "person",
                            "the learner no longer meets the award rule (a record changed while "
                            "the award was signed); see their status");
    return reply_document(r, strcmp(created, "t") == 0 ? 201 : 200, db_get(res, 0, "document"));
}

/*
 * One learner's award from the material: the award in force when there is
 * one (answered here, *done set), else the checks, the keys (*fresh: made
 * here, to store) and the signed award, in *batch as award_record takes it.
 */
static enum mc_err award_prepare(struct request *r, cJSON *material, cJSON **fresh,
                                 const char *awarded_at, cJSON **batch, bool *done)
{
    const char *person = request_param(r, "person");
    const cJSON *learner =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(material, "learners"), 0);
    const cJSON *existing = cJSON_GetObjectItemCaseSensitive(learner, "award");
    *done = cJSON_IsObject(existing);
    if (*done) /* awarding twice answers the award in force */
        return reply_document(r, 200, str_of(existing, "document"));
    struct org_keys keys = {0};
    struct signed_award award = {0};
    enum mc_err rc = learner_check(r, learner, person);
    if (rc == MC_OK)
        rc = keys_ready(r, material, &keys, fresh);
    if (rc == MC_OK)
        rc = award_sign(r, material, learner, &keys, awarded_at, &award);
    org_keys_wipe(&keys);
    if (rc == MC_OK) {
        *batch = cJSON_CreateArray();
        if (!*batch || !batch_add(*batch, &award, str_of(learner, "id")))
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    signed_award_free(&award);
    return rc;
}

enum mc_err awards_create(struct request *r)
{
    cJSON *material = NULL, *batch = NULL;
    char awarded_at[MC_RFC3339_LEN];
    PGresult *res = NULL;
    bool done = false;
    enum mc_err rc =
        now_rfc3339(awarded_at) ? MC_OK : request_fail(r, MC_ERR_INTERNAL, NULL, "no clock");
    if (rc == MC_OK)
        rc = material_read(r, request_param(r, "person"), &material);
    if (rc == MC_OK)
        rc = award_prepare(r, material, NULL, awarded_at, &batch, &done);
    if (rc == MC_OK && !done)
        rc = batch_record(r, material, batch, awarded_at, &res);
    if (rc == MC_OK && !done)
        rc = record_answer(r, res);
    PQclear(res);
    cJSON_Delete(batch);
    cJSON_Delete(material);
    return rc;
}

/*
 * The one-shot path (a cohort named by id, no Idempotency-Key): the read
 * pipelined with authentication; then, signed, the write pipelined with
 * authentication again — two round trips, where the ordinary path takes
 * four.
 */
bool awards_oneshot_prepare(struct request *r, struct oneshot *call)
{
    if (!mc_uuid_valid(request_param(r, "id")))
        return false;
    call->params[0] = request_param(r, "id");
    call->params[1] = request_param(r, "person");
    return oneshot_add(call, &db_award_material, 2, call->params);
}

/* The write: the keys made for this award first, when there were none, then the award. */
static enum mc_err award_write_again(struct request *r, const struct oneshot *call,
                                     const cJSON *material, const cJSON *fresh, const cJSON *batch,
                                     const char *awarded_at, PGresult **out)
{
    char *keys = fresh ? cJSON_PrintUnformatted(fresh) : NULL;
    char *text = cJSON_PrintUnformatted(batch);
    const char *key_params[] = {keys, r->auth.email};
    const char *params[] = {
        text,
        str_of(cJSON_GetObjectItemCaseSensitive(material, "cohort"), "id"),
        str_of(cJSON_GetObjectItemCaseSensitive(material, "credential"), "id"),
        awarded_at,
        r->request_id,
    };
    PGresult *stored = NULL;
    struct db_batch work[2] = {
        signing_keys_store(key_params, &stored),
        {&db_award_record, 5, params, PGRES_TUPLES_OK, out},
    };
    enum mc_err rc = (fresh && !keys) || !text
                         ? request_fail(r, MC_ERR_NOMEM, NULL, NULL)
                         : oneshot_again(r, call, fresh ? work : work + 1, fresh ? 2 : 1);
    PQclear(stored);
    if (keys) {
        sodium_memzero(keys, strlen(keys));
        free(keys);
    }
    free(text);
    return rc;
}

enum mc_err awards_oneshot_answer(struct request *r, const struct oneshot *call)
{
    /* what the route table says of the ordinary path, decided here from the authentication */
    if (!(r->auth.roles & (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_LEADER)))
        return request_fail(r, MC_ERR_FORBIDDEN, NULL,
                            "only coordinators, admins and leaders may award the credential");
    cJSON *material = NULL, *batch = NULL, *fresh = NULL;
    char awarded_at[MC_RFC3339_LEN];
    PGresult *res = NULL;
    bool done = false;
    enum mc_err rc =
        now_rfc3339(awarded_at) ? MC_OK : request_fail(r, MC_ERR_INTERNAL, NULL, "no clock");
    if (rc == MC_OK)
        rc = material_parse(r, call->res[0], &material);
    if (rc == MC_OK)
        rc = award_prepare(r, material, &fresh, awarded_at, &batch, &done);
    if (rc == MC_OK && !done)
        rc = award_write_again(r, call, material, fresh, batch, awarded_at, &res);
    if (rc == MC_OK && !done)
        rc = record_answer(r, res);
    PQclear(res);
    cJSON_Delete(fresh);
    cJSON_Delete(batch);
    cJSON_Delete(material);
    return rc;
}

/* ---- every eligible learner ---- */

/* One learner's line of the answer. */
static bool result_add(cJSON *results, const cJSON *learner, const char *outcome,
                       const char *award_id, const cJSON *missing)
{
    cJSON *o = cJSON_CreateObject(), *who = o ? cJSON_AddObjectToObject(o, "learner") : NULL;
    if (!o || !cJSON_AddItemToArray(results, o))
        return cJSON_Delete(o), false;
    bool ok = who && cJSON_AddStringToObject(who, "id", str_of(learner, "id")) &&
              cJSON_AddStringToObject(who, "email", str_of(learner, "email")) &&
              cJSON_AddStringToObject(who, "name", str_of(learner, "name")) &&
              cJSON_AddStringToObject(o, "outcome", outcome) &&
              mc_json_add_string_or_null(o, "award", award_id);
    if (ok && missing) {
        cJSON *copy = cJSON_Duplicate(missing, 1);
        ok = copy && cJSON_AddItemToObject(o, "missing", copy);
    }
    return ok;
}

static cJSON *find_result(cJSON *results, const char *learner_id)
{
    cJSON *o;
    cJSON_ArrayForEach(o, results)
    {
        const char *id = str_of(cJSON_GetObjectItemCaseSensitive(o, "learner"), "id");
        if (id && strcmp(id, learner_id) == 0)
            return o;
    }
    return NULL;
}

/* The answer's counts, from its lines. */
static bool add_counts(cJSON *answer, const cJSON *results)
{
    double awarded = 0, already = 0, not_eligible = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, results)
    {
        const char *outcome = str_of(o, "outcome");
        awarded += strcmp(outcome, "awarded") == 0;
        already += strcmp(outcome, "already_awarded") == 0;
        not_eligible += strcmp(outcome, "not_eligible") == 0;
    }
    return cJSON_AddNumberToObject(answer, "awarded", awarded) &&
           cJSON_AddNumberToObject(answer, "already_awarded", already) &&
           cJSON_AddNumberToObject(answer, "not_eligible", not_eligible);
}

/* Sign an award for every eligible learner without one; list every learner's outcome. */
static enum mc_err sign_all(struct request *r, cJSON *material, const char *awarded_at,
                            cJSON *results, cJSON *batch)
{
    const cJSON *learner;
    struct org_keys keys = {0};
    bool keys_open = false;
    enum mc_err rc = MC_OK;
    cJSON_ArrayForEach(learner, cJSON_GetObjectItemCaseSensitive(material, "learners"))
    {
        const cJSON *existing = cJSON_GetObjectItemCaseSensitive(learner, "award");
        bool ok;
        if (cJSON_IsObject(existing)) {
            ok = result_add(results, learner, "already_awarded", str_of(existing, "id"), NULL);
        } else if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(learner, "eligible"))) {
            ok = result_add(results, learner, "not_eligible", NULL,
                            cJSON_GetObjectItemCaseSensitive(learner, "missing"));
        } else {
            if (!keys_open) {
                rc = keys_ready(r, material, &keys, NULL);
                keys_open = rc == MC_OK;
            }
            struct signed_award award = {0};
            if (rc == MC_OK)
                rc = award_sign(r, material, learner, &keys, awarded_at, &award);
            ok = rc != MC_OK || (batch_add(batch, &award, str_of(learner, "id")) &&
                                 result_add(results, learner, "awarded", award.id, NULL));
            signed_award_free(&award);
        }
        if (rc == MC_OK && !ok)
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        if (rc != MC_OK)
            break;
    }
    org_keys_wipe(&keys);
    return rc;
}

/* What the database made of the batch: an award that lost a race is "already_awarded". */
static enum mc_err results_settle(struct request *r, cJSON *results, const PGresult *res,
                                  const cJSON *batch)
{
    for (int i = 0; i < PQntuples(res); i++) {
        const cJSON *sent = cJSON_GetArrayItem(batch, i);
        cJSON *line = sent ? find_result(results, str_of(sent, "learner")) : NULL;
        const char *created = db_get(res, i, "created"), *id = db_get(res, i, "award_id");
        if (!line || !created)
            return request_fail(r, MC_ERR_INTERNAL, NULL, "an award was not recorded");
        if (strcmp(created, "t") != 0) {
            /* lost a race: awarded meanwhile, or no longer eligible */
            cJSON *outcome = cJSON_CreateString(id ? "already_awarded" : "not_eligible");
            cJSON *aid = id ? cJSON_CreateString(id) : cJSON_CreateNull();
            if (!outcome || !aid ||
                !cJSON_ReplaceItemInObjectCaseSensitive(line, "outcome", outcome)) {
                cJSON_Delete(outcome);
                cJSON_Delete(aid);
                return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
            }
            if (!cJSON_ReplaceItemInObjectCaseSensitive(line, "award", aid)) {
                cJSON_Delete(aid);
                return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
            }
        }
    }
    return MC_OK;
}

enum mc_err awards_create_all(struct request *r)
{
    static const char *const allowed[] = {"all_eligible", NULL};
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(r->json, "all_eligible");
    enum mc_err rc = mc_json_only_keys(r->json, allowed, &r->err);
    if (rc != MC_OK)
        return rc;
    if (!cJSON_IsTrue(all))
        return request_fail(r, MC_ERR_INVALID, "all_eligible",
                            "all_eligible must be true (to award one learner, POST to "
                            "/v1/cohorts/{id}/members/{person}/award)");
    cJSON *material = NULL, *answer = cJSON_CreateObject(), *results = NULL;
    cJSON *batch = cJSON_CreateArray();
    char awarded_at[MC_RFC3339_LEN];
    PGresult *res = NULL;
    if (!answer || !batch || !(results = cJSON_CreateArray()))
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    if (rc == MC_OK && !now_rfc3339(awarded_at))
        rc = request_fail(r, MC_ERR_INTERNAL, NULL, "no clock");
    if (rc == MC_OK)
        rc = material_read(r, NULL, &material);
    if (rc == MC_OK)
        rc = sign_all(r, material, awarded_at, results, batch);
    if (rc == MC_OK && cJSON_GetArraySize(batch) > 0) {
        rc = batch_record(r, material, batch, awarded_at, &res);
        if (rc == MC_OK)
            rc = results_settle(r, results, res, batch);
    }
    PQclear(res);
    if (rc == MC_OK &&
        !(add_counts(answer, results) && cJSON_AddItemToObject(answer, "results", results)))
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    else if (rc == MC_OK)
        results = NULL;
    cJSON_Delete(results);
    cJSON_Delete(batch);
    cJSON_Delete(material);
    if (rc != MC_OK) {
        cJSON_Delete(answer);
        return rc;
    }
    return request_reply(r, 200, answer);
}

/* ---- reading and revoking ---- */

DB_STMT(db_award_get, "SELECT a.learner_id, a.document, a.jwt, mcred.award_item(a)::text AS item"
                      "  FROM mcred.awards a WHERE a.org_id = $1::uuid AND a.id = $2::uuid");

static bool may_read_all(const struct request *r)
{
    return (r->auth.roles & (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_LEADER)) != 0;
}

enum mc_err awards_show(struct request *r)
{
    const char *id = request_param(r, "id");
    const char *format = request_query(r, "format");
    if (format && strcmp(format, "json") != 0 && strcmp(format, "jwt") != 0)
        return request_fail(r, MC_ERR_INVALID, "format", "format must be json or jwt");
    const char *params[] = {r->auth.org_id, id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_award_get, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *learner = PQntuples(res) == 1 ? db_get(res, 0, "learner_id") : NULL;
    /* those who may read only their own are refused any other, found or not */
    if (!may_read_all(r) && (!learner || strcmp(learner, r->auth.person_id) != 0))
        rc = request_fail(r, MC_ERR_FORBIDDEN, NULL, "you may see only your own awards");
    else if (!learner)
        rc = request_fail(r, MC_ERR_NOT_FOUND, NULL, "award %s not found", id);
    else if (format && strcmp(format, "jwt") == 0) {
        const char *jwt = db_get(res, 0, "jwt");
        rc = mc_buf_appends(&r->text, jwt ? jwt : "");
        if (rc == MC_OK) {
            r->content_type = "application/jwt";
            r->status = 200;
        } else {
            rc = request_fail(r, rc, NULL, NULL);
        }
    } else {
        rc = reply_document(r, 200, db_get(res, 0, "document"));
    }
    PQclear(res);
    return rc;
}

DB_STMT(db_award_revoke, "SELECT mcred.award_revoke($1::uuid, $2, $3)::text AS r");

enum mc_err awards_revoke(struct request *r)
{
    static const char *const allowed[] = {"reason", NULL};
    const char *id = request_param(r, "id"), *reason = NULL;
    enum mc_err rc = mc_json_only_keys(r->json, allowed, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "reason", true, MC_MAX_REASON, &reason, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {id, reason, r->request_id};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_award_revoke, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *text = db_get(res, 0, "r");
    cJSON *answer = text ? cJSON_Parse(text) : NULL;
    PQclear(res);
    if (!text)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "award %s not found", id);
    if (!answer)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(answer, "revoked"))) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(answer, "award");
        rc = request_fail(r, MC_ERR_CONFLICT, NULL, "award %s was revoked already, on %s: %s", id,
                          str_of(item, "revoked_at") ? str_of(item, "revoked_at") : "?",
                          str_of(item, "revocation_reason") ? str_of(item, "revocation_reason")
                                                            : "");
        cJSON_Delete(answer);
        return rc;
    }
    cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(answer, "award");
    cJSON_Delete(answer);
    return item ? request_reply(r, 200, item) : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

/* ---- lists ---- */

DB_STMT(db_awards_of_cohort,
        "SELECT (SELECT coalesce(jsonb_agg(mcred.award_item(a) ORDER BY a.awarded_at, a.id),"
        "                        '[]')"
        "          FROM mcred.awards a WHERE a.org_id = c.org_id AND a.cohort_id = c.id)::text"
        "       AS items"
        "  FROM mcred.cohorts c WHERE c.org_id = $1::uuid AND c.id = $2::uuid");

DB_STMT(db_awards_mine,
        "SELECT coalesce(jsonb_agg(mcred.award_item(a)"
        "                          || jsonb_build_object('credential', a.document::jsonb,"
        "                                                'jwt', a.jwt)"
        "                          ORDER BY a.awarded_at, a.id), '[]')::text AS items"
        "  FROM mcred.awards a WHERE a.org_id = $1::uuid AND a.learner_id = $2::uuid");

static enum mc_err reply_items(struct request *r, struct db_stmt *stmt, const char *second)
{
    const char *params[] = {r->auth.org_id, second};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, stmt, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *text = PQntuples(res) == 1 ? db_get(res, 0, "items") : NULL;
    cJSON *items = text ? cJSON_Parse(text) : NULL;
    PQclear(res);
    if (!text)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found",
                            request_cohort_words(r));
    cJSON *answer = cJSON_CreateObject();
    if (!items || !answer || !cJSON_AddItemToObject(answer, "items", items)) {
        cJSON_Delete(items);
        cJSON_Delete(answer);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return request_reply(r, 200, answer);
}

enum mc_err awards_list(struct request *r)
{
    return reply_items(r, &db_awards_of_cohort, request_param(r, "id"));
}

enum mc_err awards_mine(struct request *r)
{
    return reply_items(r, &db_awards_mine, r->auth.person_id);
}
