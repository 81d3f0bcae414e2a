/*
 * invitations.c — invitations to a cohort and their exchange for a token
 * (see invitations.h, and sql/migrations/0012_invitations.sql for the
 * functions that do the writing).
 *
 * Each write is one call of a SQL function that checks, writes and
 * audits in one round trip: mcred.invitations_create() checks every
 * person of the request and writes nothing unless all may be invited;
 * mcred.invitation_accept() finds the code by its keyed hash before the
 * organisation is known (as authentication does), locks the invitation
 * and makes the token; mcred.invitation_revoke() revokes an invitation,
 * or the token a used one led to.
 *
 * Codes and the tokens they become exist in memory only while they are
 * made and sent back once (the routes are ROUTE_SECRET_REPLY); they are
 * wiped after, and never reach the audit trail or the logs.
 *
 * Accepting needs no token.  A refused code counts against the caller's
 * address as a bad token does (server/ratelimit.c).  Unknown and
 * malformed codes get one message; used, expired and withdrawn
 * invitations each get their own, which is safe to say: a code is 256
 * random bits, so only someone who holds a real one ever learns its
 * state, and guessing is slowed by the same limit as tokens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "cohorts.h"
#include "dispatch.h"
#include "invitations.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "paging.h"
#include "request.h"
#include "server.h"
#include "tokens.h"

#include "mcred/banned.h"

void invitation_code_generate(char out[MC_INVITE_TEXT_LEN + 1])
{
    secret_generate(MC_INVITE_PREFIX, out);
}

bool invitation_code_well_formed(const char *s)
{
    return secret_well_formed(s, MC_INVITE_PREFIX);
}

/* ---- POST /v1/cohorts/{id}/invitations ---- */

DB_STMT(db_invitations_create,
        "SELECT ord, who, person_id, email, name, org_role, member_role, member_status, problem,"
        " cohort_name, invitation::text AS invitation"
        " FROM mcred.invitations_create($1::uuid, $2::uuid, $3::jsonb, $4::integer, $5::uuid, $6,"
        " $7)");

/* "Ana Diaz (ana@example.org)" for a row that found its person, else what was typed. */
static void person_label(const PGresult *res, int row, char *out, size_t size)
{
    const char *email = db_get(res, row, "email");
    const char *name = db_get(res, row, "name");
    const char *who = db_get(res, row, "who");
    if (email && name)
        snprintf(out, size, "%s (%s)", name, email);
    else
        snprintf(out, size, "%s", who ? who : "");
}

static const char *org_role_words(const char *role)
{
    if (strcmp(role, "admin") == 0)
        return "an admin";
    if (strcmp(role, "coordinator") == 0)
        return "a coordinator";
    if (strcmp(role, "leader") == 0)
        return "a leader";
    return role;
}

/* Why row `row` cannot be invited, in the words of the person who asked. */
static void problem_message(const PGresult *res, int row, char *out, size_t size)
{
    char who[MC_MAX_NAME + MC_MAX_EMAIL + 8];
    const char *problem = db_get(res, row, "problem");
    const char *cohort = db_get(res, row, "cohort_name");
    const char *typed = db_get(res, row, "who");
    person_label(res, row, who, sizeof who);
    if (strcmp(problem, "not_found") == 0) {
        if (typed && mc_uuid_valid(typed))
            snprintf(out, size, "no one in your organisation has the id %s", typed);
        else
            snprintf(out, size, "no one in your organisation has the e-mail %s",
                     typed ? typed : "");
    } else if (strcmp(problem, "org_role") == 0) {
        snprintf(out, size,
                 "%s is %s of your organisation: invitations are only for coaches and learners, "
                 "so an admin must give them their access",
                 who, org_role_words(db_get(res, row, "org_role")));
    } else if (strcmp(problem, "not_member") == 0) {
        snprintf(out, size, "%s is not a coach or learner of %s; enrol them first", who, cohort);
    } else if (strcmp(problem, "withdrawn") == 0) {
        const char *status = db_get(res, row, "member_status");
        snprintf(out, size, "%s has %s %s, so cannot be invited to it", who,
                 strcmp(status, "completed") == 0 ? "completed" : "withdrawn from", cohort);
    } else if (strcmp(problem, "duplicate") == 0) {
        snprintf(out, size, "%s is named twice", who);
    } else {
        snprintf(out, size, "%s cannot be invited", who);
    }
}

static cJSON *problem_json(const char *field, const char *person, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "field", field) ||
        !mc_json_add_string_or_null(o, "person", person) ||
        !cJSON_AddStringToObject(o, "message", message)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Refuse the request with every problem listed beside the error. */
static enum mc_err create_refuse(struct request *r, cJSON *problems)
{
    int n = cJSON_GetArraySize(problems);
    cJSON *first = cJSON_GetArrayItem(problems, 0);
    const char *field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "field"));
    const char *message = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "message"));
    cJSON_Delete(r->error_details);
    r->error_details = problems;
    /* one problem is the message, unless the names in it are too long for one (a cut could
     * split a character): then it is in the errors alone */
    if (n == 1 && message && strlen(message) + 32 < MC_MAX_ERR_MESSAGE)
        return request_fail(r, MC_ERR_INVALID, field, "%s; nobody was invited", message);
    if (n == 1)
        return request_fail(r, MC_ERR_INVALID, field,
                            "1 of the people cannot be invited; nobody was invited");
    return request_fail(r, MC_ERR_INVALID, "people",
                        "%d of the people cannot be invited; nobody was invited", n);
}

static const char *const create_keys[] = {"people", "expires_in_days", NULL};

struct create_state {
    size_t n;
    char (*codes)[MC_INVITE_TEXT_LEN + 1];
    bool *shape_bad; /* entries refused before the database saw them */
    cJSON *input;    /* [{"who", "hash"}] for mcred.invitations_create */
    cJSON *problems;
    PGresult *res;
    cJSON *reply;
};

static void create_state_release(struct create_state *s)
{
    if (s->codes)
        sodium_memzero(s->codes, s->n * sizeof *s->codes);
    free(s->codes);
    free(s->shape_bad);
    cJSON_Delete(s->input);
    cJSON_Delete(s->problems);
    PQclear(s->res);
    cJSON_Delete(s->reply);
}

/* Read the people of the request; entries of a bad form are marked in s->shape_bad. */
static enum mc_err create_input(struct request *r, const cJSON *people, struct create_state *s)
{
    s->codes = calloc(s->n, sizeof *s->codes);
    s->shape_bad = calloc(s->n, sizeof *s->shape_bad);
    s->input = cJSON_CreateArray();
    s->problems = cJSON_CreateArray();
    if (!s->codes || !s->shape_bad || !s->input || !s->problems)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    for (size_t i = 0; i < s->n; i++) {
        const cJSON *item = cJSON_GetArrayItem(people, (int)i);
        const char *who = cJSON_GetStringValue(item);
        char hash[MC_TOKEN_HASH_PARAM_LEN];
        if (!who || !*who || strlen(who) > MC_MAX_EMAIL || !mc_utf8_valid_text(who, strlen(who))) {
            s->shape_bad[i] = true; /* reported with the others, in order */
            who = "";
        }
        invitation_code_generate(s->codes[i]);
        if (token_hash_param(r->server->token_key, s->codes[i], true, hash) != MC_OK)
            return request_fail(r, MC_ERR_INTERNAL, NULL, "could not hash the invitation code");
        cJSON *o = cJSON_CreateObject();
        if (!cJSON_AddItemToArray(s->input, o) || !cJSON_AddStringToObject(o, "who", who) ||
            !cJSON_AddStringToObject(o, "hash", hash))
            return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return MC_OK;
}

/* The reply: each invitation with its code, shown this once. */
static enum mc_err create_reply(struct request *r, struct create_state *s)
{
    s->reply = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(s->reply, "items");
    if (!items || !cJSON_AddStringToObject(s->reply, "cohort", request_param(r, "id")) ||
        !mc_json_add_string_or_null(s->reply, "cohort_name", db_get(s->res, 0, "cohort_name")))
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    for (size_t i = 0; i < s->n; i++) {
        const char *text = db_get(s->res, (int)i, "invitation");
        cJSON *item = text ? cJSON_Parse(text) : NULL;
        if (!cJSON_AddItemToArray(items, item) ||
            !cJSON_AddStringToObject(item, "code", s->codes[i]))
            return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    enum mc_err rc = request_reply(r, 201, s->reply);
    s->reply = NULL;
    return rc;
}

enum mc_err invitations_create(struct request *r)
{
    const char *cohort = request_param(r, "id");
    long long days = MC_INVITE_DAYS_DEFAULT;
    enum mc_err rc = mc_json_only_keys(r->json, create_keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_int(r->json, "expires_in_days", false, 1, MC_INVITE_DAYS_MAX, &days,
                             &r->err);
    if (rc != MC_OK)
        return rc;
    const cJSON *people = cJSON_GetObjectItemCaseSensitive(r->json, "people");
    int n = cJSON_IsArray(people) ? cJSON_GetArraySize(people) : 0;
    if (n < 1 || n > MC_MAX_INVITE_PEOPLE)
        return request_fail(r, MC_ERR_INVALID, "people",
                            "people must be a list of 1 to %d e-mails or ids",
                            MC_MAX_INVITE_PEOPLE);

    struct create_state s = {.n = (size_t)n};
    char *input_text = NULL;
    rc = create_input(r, people, &s);
    if (rc != MC_OK)
        goto out;
    input_text = cJSON_PrintUnformatted(s.input);
    if (!input_text) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    char days_text[24];
    snprintf(days_text, sizeof days_text, "%lld", days);
    const char *params[] = {r->auth.org_id,    cohort,        input_text,   days_text,
                            r->auth.person_id, r->auth.email, r->request_id};
    rc = db_exec(r->db, &db_invitations_create, 7, params, PGRES_TUPLES_OK, &s.res, &r->err);
    if (rc != MC_OK)
        goto out;
    if (PQntuples(s.res) == 0) {
        rc = request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found", cohort);
        goto out;
    }
    if ((size_t)PQntuples(s.res) != s.n) {
        rc = request_fail(r, MC_ERR_INTERNAL, NULL, "invitations_create answered %d rows of %zu",
                          PQntuples(s.res), s.n);
        goto out;
    }
    /* every problem, in the order of the list: of form, or the database's */
    for (size_t i = 0; i < s.n; i++) {
        char field[32], message[4 * MC_MAX_NAME]; /* two names and an e-mail fit whole */
        snprintf(field, sizeof field, "people[%zu]", i);
        if (s.shape_bad[i])
            snprintf(message, sizeof message, "each person must be an e-mail or an id");
        else if (db_get(s.res, (int)i, "problem"))
            problem_message(s.res, (int)i, message, sizeof message);
        else
            continue;
        const char *who = s.shape_bad[i] ? NULL : db_get(s.res, (int)i, "who");
        if (!cJSON_AddItemToArray(s.problems, problem_json(field, who, message))) {
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
            goto out;
        }
    }
    if (cJSON_GetArraySize(s.problems) > 0) {
        /* the database wrote nothing: it writes only when every entry is good, and a bad
         * form made an entry no one */
        rc = create_refuse(r, s.problems);
        s.problems = NULL;
        goto out;
    }
    rc = create_reply(r, &s);
out:
    if (input_text) {
        /* holds only hashes, but they are a secret's keyed hash all the same */
        sodium_memzero(input_text, strlen(input_text));
        free(input_text);
    }
    create_state_release(&s);
    return rc;
}

/* ---- GET /v1/cohorts/{id}/invitations ---- */

DB_STMT_REPLAN(
    db_invitations_list,
    "SELECT item::text AS item,"
    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    "   || ' ' || id::text AS sort_key"
    " FROM mcred.invitation_items WHERE org_id = $1::uuid AND cohort_id = $2::uuid"
    " AND ($3::text IS NULL OR (created_at, id) < (split_part($3::text, ' ', 1)::timestamptz,"
    "                                              split_part($3::text, ' ', 2)::uuid))"
    " AND ($4::text IS NULL OR item->>'state' = $4::text)"
    " ORDER BY created_at DESC, id DESC LIMIT $5::integer");

enum mc_err invitations_list(struct request *r)
{
    struct page page;
    struct cohort_info cohort;
    const char *cohort_id = request_param(r, "id");
    const char *state = request_query(r, "state");
    enum mc_err rc = page_parse(r, &page);
    if (rc != MC_OK)
        return rc;
    if (state && strcmp(state, "pending") != 0 && strcmp(state, "used") != 0 &&
        strcmp(state, "expired") != 0 && strcmp(state, "revoked") != 0)
        return request_fail(r, MC_ERR_INVALID, "state",
                            "state must be pending, used, expired or revoked");
    /* a cursor we did not make must not reach the casts in the query */
    const char *after = page_after_param(&page);
    if (after && (strlen(after) != 27 + 1 + MC_UUID_LEN || !mc_uuid_valid(after + 28)))
        return request_fail(r, MC_ERR_INVALID, "after", "after is not a cursor this list gave out");
    rc = cohort_lock(r, cohort_id, COHORT_READ, &cohort);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id, cohort_id, after, state, page.limit_plus_one};
    return page_reply_query(r, &page, &db_invitations_list, 5, params);
}

/* ---- DELETE /v1/invitations/{id} ---- */

DB_STMT(db_invitation_revoke,
        "SELECT outcome, item::text AS item"
        " FROM mcred.invitation_revoke($1::uuid, $2::uuid, $3::uuid, $4, $5)");

enum mc_err invitations_revoke(struct request *r)
{
    const char *id = request_param(r, "id");
    const char *params[] = {r->auth.org_id, id, r->auth.person_id, r->auth.email, r->request_id};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_invitation_revoke, 5, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *outcome = PQntuples(res) == 1 ? db_get(res, 0, "outcome") : NULL;
    if (!outcome || strcmp(outcome, "not_found") == 0) {
        PQclear(res);
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "invitation %s not found", id);
    }
    const char *text = db_get(res, 0, "item");
    cJSON *item = text ? cJSON_Parse(text) : NULL;
    if (!item || !cJSON_AddStringToObject(item, "outcome", outcome)) {
        cJSON_Delete(item);
        PQclear(res);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    PQclear(res);
    return request_reply(r, 200, item);
}

/* ---- POST /v1/invitations/accept (public) ---- */

DB_STMT(db_invitation_accept,
        "SELECT outcome, org_id, org_slug, org_name, person_id, email, name, cohort_id,"
        " cohort_name, expires_at, token_id, token_name, token_created_at"
        " FROM mcred.invitation_accept($1::bytea, $2::bytea, $3, $4)");

struct accept_tx {
    struct request *r;
    const char *token; /* the new token, shown once */
    struct db_tx_start start;
};

static cJSON *accept_json(const PGresult *res, const char *token)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *person = cJSON_AddObjectToObject(o, "person");
    cJSON *org = cJSON_AddObjectToObject(o, "org");
    cJSON *cohort = cJSON_AddObjectToObject(o, "cohort");
    if (!person || !org || !cohort || !cJSON_AddStringToObject(o, "token", token) ||
        !mc_json_add_string_or_null(o, "token_id", db_get(res, 0, "token_id")) ||
        !mc_json_add_string_or_null(o, "token_name", db_get(res, 0, "token_name")) ||
        !mc_json_add_string_or_null(o, "created_at", db_get(res, 0, "token_created_at")) ||
        !mc_json_add_string_or_null(person, "id", db_get(res, 0, "person_id")) ||
        !mc_json_add_string_or_null(person, "email", db_get(res, 0, "email")) ||
        !mc_json_add_string_or_null(person, "name", db_get(res, 0, "name")) ||
        !mc_json_add_string_or_null(org, "id", db_get(res, 0, "org_id")) ||
        !mc_json_add_string_or_null(org, "slug", db_get(res, 0, "org_slug")) ||
        !mc_json_add_string_or_null(org, "name", db_get(res, 0, "org_name")) ||
        !mc_json_add_string_or_null(cohort, "id", db_get(res, 0, "cohort_id")) ||
        !mc_json_add_string_or_null(cohort, "name", db_get(res, 0, "cohort_name"))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

enum mc_err invitation_refusal(struct request *r, const char *outcome, const char *cohort,
                               const char *expires_at)
{
    if (strcmp(outcome, "unknown") == 0)
        return request_fail(r, MC_ERR_UNAUTHENTICATED, "code",
                            "this invitation code is not valid: check that it was copied whole, "
                            "or ask your coordinator for a new one");
    if (strcmp(outcome, "used") == 0)
        return request_fail(r, MC_ERR_UNAUTHENTICATED, "code",
                            "this invitation has already been used; if it was not you who used "
                            "it, tell your coordinator");
    if (strcmp(outcome, "expired") == 0)
        return request_fail(r, MC_ERR_UNAUTHENTICATED, "code",
                            "this invitation to %s expired at %s; ask your coordinator for a new "
                            "one",
                            cohort, expires_at);
    if (strcmp(outcome, "revoked") == 0)
        return request_fail(r, MC_ERR_UNAUTHENTICATED, "code",
                            "this invitation to %s was withdrawn or replaced by a newer one; ask "
                            "your coordinator for a new one",
                            cohort);
    if (strcmp(outcome, "ineligible") == 0)
        return request_fail(r, MC_ERR_UNAUTHENTICATED, "code",
                            "this invitation to %s can no longer be used: your place in it or "
                            "your access has changed since; ask your coordinator",
                            cohort);
    return request_fail(r, MC_ERR_INTERNAL, NULL, "invitation_accept answered %s", outcome);
}

static enum mc_err accept_in_transaction(struct db_conn *c, void *arg, struct mc_error *err)
{
    (void)c;
    (void)err; /* request_fail records into r->err, which is err */
    struct accept_tx *tx = arg;
    struct request *r = tx->r;
    request_reset_answer(r);
    const PGresult *res = tx->start.result;
    const char *outcome = res && PQntuples(res) == 1 ? db_get(res, 0, "outcome") : NULL;
    if (!outcome)
        return request_fail(r, MC_ERR_INTERNAL, NULL, "invitation_accept gave no answer");
    if (strcmp(outcome, "ok") != 0)
        return invitation_refusal(r, outcome, db_get(res, 0, "cohort_name"),
                                  db_get(res, 0, "expires_at"));
    cJSON *reply = accept_json(res, tx->token);
    if (!reply)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    return request_reply(r, 201, reply);
}

static const char *const accept_keys[] = {"code", "token_name", NULL};

enum mc_err invitations_accept(struct request *r)
{
    const char *code = NULL, *token_name = NULL;
    r->retry_after = dispatch_bad_secret_wait(r);
    if (r->retry_after)
        return request_fail(r, MC_ERR_RATE_LIMITED, NULL,
                            "too many requests with a bad token or invitation code from your "
                            "address; try again in %u seconds",
                            r->retry_after);
    enum mc_err rc = mc_json_only_keys(r->json, accept_keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "code", true, 64, &code, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "token_name", false, MC_MAX_TOKEN_NAME, &token_name,
                                &r->err);
    if (rc != MC_OK)
        return rc;
    if (!invitation_code_well_formed(code)) {
        dispatch_bad_secret(r);
        return request_fail(r, MC_ERR_UNAUTHENTICATED, "code",
                            "this invitation code is not valid: check that it was copied whole, "
                            "or ask your coordinator for a new one");
    }

    char token[MC_TOKEN_TEXT_LEN + 1];
    char code_hash[MC_TOKEN_HASH_PARAM_LEN], token_hash_text[MC_TOKEN_HASH_PARAM_LEN];
    token_generate(token);
    struct accept_tx tx = {.r = r, .token = token};
    if (token_hash_param(r->server->token_key, code, false, code_hash) != MC_OK ||
        token_hash_param(r->server->token_key, token, false, token_hash_text) != MC_OK) {
        rc = request_fail(r, MC_ERR_INTERNAL, NULL, "could not hash the invitation code");
        goto out;
    }
    const char *params[] = {code_hash, token_hash_text, token_name ? token_name : "invitation",
                            r->request_id};
    tx.start = (struct db_tx_start){.stmt = &db_invitation_accept, .nparams = 4, .params = params};
    rc = db_pool_acquire(r->server->pool, &r->db, &r->err);
    if (rc == MC_OK) {
        rc = db_transaction_start(r->db, &tx.start, accept_in_transaction, &tx, &r->err);
        db_pool_release(r->server->pool, r->db);
        r->db = NULL;
    }
    if (rc == MC_ERR_UNAUTHENTICATED)
        dispatch_bad_secret(r);
out:
    sodium_memzero(token, sizeof token);
    sodium_memzero(code_hash, sizeof code_hash);
    sodium_memzero(token_hash_text, sizeof token_hash_text);
    return rc;
}
