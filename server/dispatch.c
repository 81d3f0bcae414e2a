/*
 * dispatch.c — see dispatch.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>
#include <sodium.h>

#include "auth.h"
#include "db.h"
#include "dispatcher.h"
#include "idempotency.h"
#include "known_tokens.h"
#include "dispatch.h"
#include "mcred/json.h"
#include "mcred/limits.h"
#include "mcred/validate.h"
#include "request.h"
#include "server.h"
#include "trusted_proxies.h"
#include "web.h"

#include "mcred/banned.h"

/* What the placeholder `name` of a route's path names, in words: the segment before it. */
/* An RFC 7638 thumbprint: 43 base64url characters. */
static bool key_id_valid(const char *s)
{
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    return n == 43 && s[n] == '\0';
}

static const char *param_noun(const char *path, const char *name)
{
    static const struct {
        const char *collection, *noun;
    } nouns[] = {
        {"people", "person"},
        {"tokens", "token"},
        {"credentials", "credential"},
        {"cohorts", "cohort"},
        {"members", "member"},
        {"sessions", "session"},
        {"problems", "problem of practice"},
        {"webhooks", "webhook"},
        {"deliveries", "delivery"},
        {"awards", "award"},
        {"achievements", "achievement"},
    };
    char placeholder[MC_MAX_PARAM_NAME + 3];
    snprintf(placeholder, sizeof placeholder, "/{%s}", name);
    const char *at = strstr(path, placeholder);
    if (at) {
        const char *start = at;
        while (start > path && start[-1] != '/')
            start--;
        for (size_t i = 0; i < sizeof nouns / sizeof nouns[0]; i++)
            if (strlen(nouns[i].collection) == (size_t)(at - start) &&
                strncmp(start, nouns[i].collection, (size_t)(at - start)) == 0)
                return nouns[i].noun;
    }
    return "thing";
}

/*
 * What someone typed, fit to be echoed in a message: at most about 100
 * bytes, cut between characters ("…" marks the cut).  The caller has
 * checked that it is UTF-8 text.
 */
static void echo_of(const char *typed, char *out, size_t len)
{
    size_t n = strlen(typed);
    if (n <= 100) {
        snprintf(out, len, "%s", typed);
        return;
    }
    n = 100;
    while (n > 0 && ((unsigned char)typed[n] & 0xC0) == 0x80)
        n--;
    snprintf(out, len, "%.*s…", (int)n, typed);
}

static enum mc_err dispatch_route(struct request *r)
{
    enum mc_err rc = router_match(r->server->routes, r->method, r->path, &r->route, &r->params,
                                  r->allow, sizeof r->allow);
    switch (rc) {
    case MC_OK:
        break;
    case MC_ERR_NOT_FOUND:
        return request_fail(r, rc, NULL, "no such resource: %s", r->path);
    case MC_ERR_METHOD:
        return request_fail(r, rc, NULL, "method %s is not allowed on %s", r->method, r->path);
    default:
        return request_fail(r, rc, NULL, NULL);
    }
    r->cohort_typed[0] = '\0';
    for (size_t i = 0; i < r->params.count; i++) {
        const char *name = r->params.items[i].name, *value = r->params.items[i].value;
        if (mc_uuid_valid(value))
            continue;
        const char *noun = param_noun(r->route->path, name);
        if (!mc_utf8_valid_text(value, strlen(value)))
            return request_fail(r, MC_ERR_NOT_FOUND, NULL,
                                "the %s named in the path is not UTF-8 text", noun);
        /* a cohort may be named by its slug or name: resolved in the transaction */
        if (route_names_cohort(r->route) && strcmp(name, "id") == 0) {
            snprintf(r->cohort_typed, sizeof r->cohort_typed, "%s", value);
            continue;
        }
        /* some routes take a person by e-mail; the handler looks them up */
        if ((r->route->flags & ROUTE_PERSON_EMAIL) && strcmp(name, "person") == 0 &&
            mc_email_valid(value))
            continue;
        /* public documents name an issuer by its slug, a key by its thumbprint */
        if (strcmp(name, "org") == 0 && mc_slug_valid(value))
            continue;
        if (strcmp(name, "kid") == 0 && key_id_valid(value))
            continue;
        /* other ids in paths are UUIDs; anything else cannot name a row */
        char echo[128];
        echo_of(value, echo, sizeof echo);
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "no %s has the id %s", noun, echo);
    }
    return MC_OK;
}

static bool content_type_is_json(const char *ct)
{
    if (!ct)
        return false;
    size_t n = strlen("application/json");
    return strncasecmp(ct, "application/json", n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static bool content_type_is_csv(const char *ct)
{
    size_t n = strlen("text/csv");
    return ct && strncasecmp(ct, "text/csv", n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static bool content_type_is_form(const char *ct)
{
    size_t n = strlen("application/x-www-form-urlencoded");
    return ct && strncasecmp(ct, "application/x-www-form-urlencoded", n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static enum mc_err dispatch_body(struct request *r)
{
    if (r->route->flags & ROUTE_FORM_BODY) {
        if (!content_type_is_form(request_header(r, "Content-Type")))
            return request_fail(r, MC_ERR_MEDIA_TYPE, NULL,
                                "send this form from its page (Content-Type: "
                                "application/x-www-form-urlencoded)");
        return mc_form_parse(r->body.data, r->body.len, &r->form, &r->err);
    }
    if ((r->route->flags & ROUTE_CSV_BODY) &&
        !content_type_is_csv(request_header(r, "Content-Type")))
        return request_fail(r, MC_ERR_MEDIA_TYPE, NULL,
                            "request body must be CSV (Content-Type: text/csv)");
    if (!(r->route->flags & ROUTE_JSON_BODY))
        return MC_OK;
    if (!content_type_is_json(request_header(r, "Content-Type")))
        return request_fail(r, MC_ERR_MEDIA_TYPE, NULL,
                            "request body must be JSON (Content-Type: application/json)");
    return mc_json_parse(r->body.data, r->body.len, &r->json, &r->err);
}

struct dispatch_tx {
    struct request *r;
    struct db_tx_start start; /* authentication, sent with BEGIN */
};

DB_STMT(db_dispatch_cohort_role,
        "SELECT role FROM mcred.members WHERE org_id = $1::uuid AND cohort_id = $2::uuid"
        " AND person_id = $3::uuid AND status = 'enrolled'");
DB_STMT(db_dispatch_session_role,
        "SELECT m.role FROM mcred.sessions s JOIN mcred.members m"
        " ON m.org_id = s.org_id AND m.cohort_id = s.cohort_id"
        " WHERE s.org_id = $1::uuid AND s.id = $2::uuid AND m.person_id = $3::uuid"
        " AND m.status = 'enrolled'");

DB_STMT(db_dispatch_problem_role,
        "SELECT m.role FROM mcred.problems p JOIN mcred.members m"
        " ON m.org_id = p.org_id AND m.cohort_id = p.cohort_id"
        " WHERE p.org_id = $1::uuid AND p.id = $2::uuid AND m.person_id = $3::uuid"
        " AND m.status = 'enrolled'");

DB_STMT(db_dispatch_evidence_role,
        "SELECT m.role FROM mcred.evidence e JOIN mcred.members m"
        " ON m.org_id = e.org_id AND m.cohort_id = e.cohort_id"
        " WHERE e.org_id = $1::uuid AND e.id = $2::uuid AND m.person_id = $3::uuid"
        " AND m.status = 'enrolled'");

/*
 * The caller's cohort role in the cohort the path names (directly or
 * through a session), as a route_role bit; 0 when they are not an
 * enrolled member of it.
 */
static enum mc_err cohort_role_of(struct request *r, unsigned *out, struct mc_error *err)
{
    *out = 0;
    struct db_stmt *stmt = r->route->scope == SCOPE_SESSION    ? &db_dispatch_session_role
                           : r->route->scope == SCOPE_PROBLEM  ? &db_dispatch_problem_role
                           : r->route->scope == SCOPE_EVIDENCE ? &db_dispatch_evidence_role
                                                               : &db_dispatch_cohort_role;
    const char *params[] = {r->auth.org_id, request_param(r, "id"), r->auth.person_id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, stmt, 3, params, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) == 1)
        *out = strcmp(PQgetvalue(res, 0, 0), "coach") == 0 ? ROLE_COACH : ROLE_LEARNER;
    PQclear(res);
    return MC_OK;
}

DB_STMT(db_dispatch_cohort_named,
        "SELECT id, slug, name, role FROM mcred.cohort_named($1::uuid, $2, $3::uuid)");

/*
 * A cohort path named by slug or name: put the cohort's id in the path's
 * {id}, and keep its name and the caller's role in it.  Unknown: 404;
 * a name several cohorts share: 409 with their slugs.  One statement.
 */
static enum mc_err resolve_cohort(struct request *r, struct mc_error *err)
{
    r->cohort_resolved = false;
    r->cohort_member_role = 0;
    r->cohort_name[0] = '\0';
    if (!r->cohort_typed[0])
        return MC_OK;
    const char *params[] = {r->auth.org_id, r->cohort_typed, r->auth.person_id};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_dispatch_cohort_named, 3, params, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    int rows = PQntuples(res);
    char echo[128];
    echo_of(r->cohort_typed, echo, sizeof echo);
    if (rows == 0) {
        PQclear(res);
        return mc_error_set(err, MC_ERR_NOT_FOUND, NULL,
                            "no cohort is named %s (give its id, its slug or its exact name)",
                            echo);
    }
    if (rows > 1) {
        char slugs[256] = "";
        for (int i = 0; i < rows; i++) {
            size_t used = strlen(slugs);
            snprintf(slugs + used, sizeof slugs - used, "%s%s", i ? ", " : "",
                     PQgetvalue(res, i, 1));
        }
        PQclear(res);
        return mc_error_set(err, MC_ERR_CONFLICT, NULL,
                            "%d cohorts are named %s; name one by its slug: %s", rows, echo, slugs);
    }
    for (size_t i = 0; i < r->params.count; i++)
        if (strcmp(r->params.items[i].name, "id") == 0)
            snprintf(r->params.items[i].value, sizeof r->params.items[i].value, "%s",
                     PQgetvalue(res, 0, 0));
    snprintf(r->cohort_name, sizeof r->cohort_name, "%s", PQgetvalue(res, 0, 2));
    const char *role = PQgetisnull(res, 0, 3) ? "" : PQgetvalue(res, 0, 3);
    r->cohort_member_role = strcmp(role, "coach") == 0     ? ROLE_COACH
                            : strcmp(role, "learner") == 0 ? ROLE_LEARNER
                                                           : 0;
    r->cohort_resolved = true;
    PQclear(res);
    return MC_OK;
}

DB_STMT(db_dispatch_cohort_name,
        "SELECT name FROM mcred.cohorts WHERE org_id = $1::uuid AND id = $2::uuid");
DB_STMT(
    db_dispatch_session_cohort_name,
    "SELECT c.name FROM mcred.sessions s JOIN mcred.cohorts c"
    " ON c.org_id = s.org_id AND c.id = s.cohort_id WHERE s.org_id = $1::uuid AND s.id = $2::uuid");
DB_STMT(
    db_dispatch_problem_cohort_name,
    "SELECT c.name FROM mcred.problems p JOIN mcred.cohorts c"
    " ON c.org_id = p.org_id AND c.id = p.cohort_id WHERE p.org_id = $1::uuid AND p.id = $2::uuid");
DB_STMT(
    db_dispatch_evidence_cohort_name,
    "SELECT c.name FROM mcred.evidence e JOIN mcred.cohorts c"
    " ON c.org_id = e.org_id AND c.id = e.cohort_id WHERE e.org_id = $1::uuid AND e.id = $2::uuid");

/*
 * The name of the cohort a refused request is about, into r->cohort_name
 * ("" when the path names none, or none of the caller's organisation).
 */
static enum mc_err refused_cohort_name(struct request *r, struct mc_error *err)
{
    if (r->cohort_resolved)
        return MC_OK;
    r->cohort_name[0] = '\0';
    struct db_stmt *stmt = route_names_cohort(r->route)        ? &db_dispatch_cohort_name
                           : r->route->scope == SCOPE_SESSION  ? &db_dispatch_session_cohort_name
                           : r->route->scope == SCOPE_PROBLEM  ? &db_dispatch_problem_cohort_name
                           : r->route->scope == SCOPE_EVIDENCE ? &db_dispatch_evidence_cohort_name
                                                               : NULL;
    if (!stmt)
        return MC_OK;
    const char *params[] = {r->auth.org_id, request_param(r, "id")};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, stmt, 2, params, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) == 1)
        snprintf(r->cohort_name, sizeof r->cohort_name, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return MC_OK;
}

/* May the caller call this route: by their organisation role, or their role in its cohort? */
static enum mc_err authorise(struct request *r, struct mc_error *err)
{
    r->cohort_role = 0;
    if (r->route->roles & r->auth.roles)
        return MC_OK;
    unsigned cohort_roles = r->route->roles & (ROLE_LEARNER | ROLE_COACH);
    if (cohort_roles && r->route->scope != SCOPE_NONE) {
        unsigned role = r->cohort_member_role;
        enum mc_err rc = r->cohort_resolved ? MC_OK : cohort_role_of(r, &role, err);
        if (rc != MC_OK)
            return rc;
        if (role & cohort_roles) {
            r->cohort_role = role;
            return MC_OK;
        }
    }
    enum mc_err rc = refused_cohort_name(r, err);
    if (rc != MC_OK)
        return rc;
    char name[128], refusal[MC_MAX_ERR_MESSAGE];
    echo_of(r->cohort_name, name, sizeof name);
    (void)route_refusal(r->route, name, refusal, sizeof refusal);
    return mc_error_set(err, MC_ERR_FORBIDDEN, NULL, "%s", refusal);
}

/* Inside the transaction that authentication opened: who is it, may they, then the handler. */
static enum mc_err dispatch_in_transaction(struct db_conn *c, void *arg, struct mc_error *err)
{
    struct dispatch_tx *tx = arg;
    struct request *r = tx->r;
    request_reset_answer(r);
    r->authenticated = false;
    enum mc_err rc = auth_from_result(tx->start.result, &r->auth, err);
    if (rc != MC_OK)
        return rc;
    r->authenticated = true;
    rc = resolve_cohort(r, err);
    if (rc == MC_OK)
        rc = authorise(r, err);
    bool replayed = false;
    if (rc == MC_OK)
        rc = idempotency_check(r, &replayed);
    if (rc != MC_OK || replayed)
        return rc;
    rc = r->route->handler(r);
    if (rc == MC_OK && r->status == 0)
        rc = request_fail(r, MC_ERR_INTERNAL, NULL, "the handler gave no answer");
    if (rc == MC_OK)
        rc = idempotency_store(r);
    return rc;
}

/*
 * Every X-Forwarded-For line of the request as one list (a proxy may add
 * its own line rather than extend the client's).  At most
 * MC_MAX_FORWARDED_FOR - 1 bytes are kept, the right-most: that is the end
 * trusted proxies write and trusted_proxies_client() reads.
 */
struct forwarded {
    bool seen;
    size_t len;
    char text[MC_MAX_FORWARDED_FOR];
};

static void forwarded_append(struct forwarded *f, const char *s, size_t n)
{
    size_t cap = sizeof f->text - 1;
    if (n >= cap) {
        memcpy(f->text, s + n - cap, cap);
        f->len = cap;
    } else {
        if (f->len + n > cap) {
            size_t drop = f->len + n - cap;
            memmove(f->text, f->text + drop, f->len - drop);
            f->len -= drop;
        }
        memcpy(f->text + f->len, s, n);
        f->len += n;
    }
    f->text[f->len] = '\0';
}

static enum MHD_Result collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *name,
                                         const char *value)
{
    (void)kind;
    struct forwarded *f = cls;
    if (strcasecmp(name, "X-Forwarded-For") != 0 || !value)
        return MHD_YES;
    if (f->seen)
        forwarded_append(f, ",", 1);
    forwarded_append(f, value, strlen(value));
    f->seen = true;
    return MHD_YES;
}

/*
 * The address the brake on bad secrets counts against: the socket's peer,
 * or, when that is a trusted proxy, the client it names (trusted_proxies.h).
 * False when the connection has no IP address.
 */
static bool client_address(const struct request *r, struct sockaddr_storage *out)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(r->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    struct net_addr peer, client;
    if (!info || !net_addr_from_sockaddr(info->client_addr, &peer))
        return false;
    const struct trusted_proxies *proxies = &r->server->cfg.trusted_proxies;
    struct forwarded fwd = {.seen = false};
    if (trusted_proxies_contains(proxies, &peer))
        (void)MHD_get_connection_values(r->connection, MHD_HEADER_KIND, collect_forwarded, &fwd);
    trusted_proxies_client(proxies, &peer, fwd.seen ? fwd.text : NULL, &client);
    net_addr_to_sockaddr(&client, out);
    return true;
}

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned dispatch_bad_secret_wait(struct request *r)
{
    struct sockaddr_storage addr;
    if (!client_address(r, &addr))
        return 0;
    return ratelimit_wait(r->server->auth_failures, (const struct sockaddr *)&addr,
                          monotonic_seconds());
}

void dispatch_bad_secret(struct request *r)
{
    struct sockaddr_storage addr;
    if (client_address(r, &addr))
        ratelimit_fail(r->server->auth_failures, (const struct sockaddr *)&addr,
                       monotonic_seconds());
}

unsigned dispatch_secret_wait(struct request *r, const char *hash_param)
{
    unsigned wait = dispatch_bad_secret_wait(r);
    unsigned char key[KNOWN_TOKEN_KEY_BYTES];
    if (wait && hash_param && known_token_key(hash_param, key) &&
        known_tokens_has(r->server->known_tokens, key, monotonic_seconds()))
        wait = 0;
    sodium_memzero(key, sizeof key);
    return wait;
}

void dispatch_secret_good(struct request *r, const char *hash_param)
{
    unsigned char key[KNOWN_TOKEN_KEY_BYTES];
    if (known_token_key(hash_param, key))
        known_tokens_add(r->server->known_tokens, key, monotonic_seconds());
    sodium_memzero(key, sizeof key);
}

void dispatch_secret_refused(struct request *r, const char *hash_param)
{
    unsigned char key[KNOWN_TOKEN_KEY_BYTES];
    if (hash_param && known_token_key(hash_param, key))
        known_tokens_forget(r->server->known_tokens, key);
    sodium_memzero(key, sizeof key);
    dispatch_bad_secret(r);
}

/*
 * After authentication was tried: remember a secret that authenticated;
 * one presented and refused (bad, expired, revoked) is forgotten and
 * counted against the address.  hash_param is NULL when the secret was
 * not even well formed.
 */
static void note_outcome(struct request *r, enum mc_err rc, const char *hash_param)
{
    if (r->authenticated) {
        dispatch_secret_good(r, hash_param);
        return;
    }
    const char *header = request_header(r, "Authorization");
    bool presented =
        (r->route->flags & ROUTE_PAGE) ? web_session_cookie(r) != NULL : header && *header;
    if (rc == MC_ERR_UNAUTHENTICATED && presented)
        dispatch_secret_refused(r, hash_param);
}

/*
 * The secret a request authenticates with: a page's session cookie, an
 * API request's bearer token.  A page's form must also carry the CSRF
 * token of that session, checked here before anything else happens.
 */
static enum mc_err request_secret(struct request *r, const char **out)
{
    if (!(r->route->flags & ROUTE_PAGE))
        return auth_parse_bearer(request_header(r, "Authorization"), out, &r->err);
    *out = web_session_cookie(r);
    if (!*out)
        return request_fail(r, MC_ERR_UNAUTHENTICATED, NULL, "sign in first");
    if ((r->route->flags & ROUTE_FORM_BODY) && !web_csrf_ok(r))
        return request_fail(r, MC_ERR_FORBIDDEN, NULL,
                            "this form is out of date or was not sent from its page here, so "
                            "nothing was saved: reload the page and send it again");
    return MC_OK;
}

/*
 * A write has committed: its events (or a retry by hand) may be due now.
 * Reads emit none, so they do not wake the dispatcher.
 */
static void nudge_after_commit(const struct request *r)
{
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
        dispatcher_nudge(r->server->dispatcher);
}

/*
 * A route's one-round-trip path (route_oneshot_prepare): authentication
 * and the route's statements in one pipeline, one transaction committed at
 * its Sync.  The statements act as whoever authenticated and answer
 * "unauthenticated" (or nothing) when nobody did.
 */
static enum mc_err dispatch_oneshot(struct request *r, struct oneshot *call,
                                    struct db_tx_start *auth)
{
    enum mc_err rc = db_pool_acquire(r->server->pool, &r->db, &r->err);
    if (rc != MC_OK)
        return rc;
    rc = db_oneshot(r->db, auth, call->work, call->n, &r->err);
    db_pool_release(r->server->pool, r->db);
    r->db = NULL;
    if (rc == MC_OK)
        nudge_after_commit(r);
    if (rc == MC_OK)
        rc = auth_from_result(auth->result, &r->auth, &r->err);
    if (rc == MC_OK) {
        r->authenticated = true;
        call->auth = auth;
        rc = r->route->oneshot_answer(r, call);
    }
    PQclear(auth->result);
    auth->result = NULL;
    for (size_t i = 0; i < call->n; i++)
        PQclear(call->res[i]);
    return rc;
}

enum mc_err oneshot_again(struct request *r, const struct oneshot *call, struct db_batch *work,
                          size_t n)
{
    struct db_tx_start *auth = call->auth;
    PQclear(auth->result);
    auth->result = NULL;
    enum mc_err rc = db_pool_acquire(r->server->pool, &r->db, &r->err);
    if (rc != MC_OK)
        return rc;
    rc = db_oneshot(r->db, auth, work, n, &r->err);
    db_pool_release(r->server->pool, r->db);
    r->db = NULL;
    if (rc == MC_OK)
        nudge_after_commit(r);
    struct auth_info again;
    if (rc == MC_OK)
        rc = auth_from_result(auth->result, &again, &r->err);
    return rc;
}

/* Whether the request may take its route's one-round-trip path; *call is then ready. */
static bool oneshot_taken(struct request *r, struct oneshot *call)
{
    /* a replayed or stored answer needs the ordinary path's idempotency steps */
    if (!r->route->oneshot_prepare || request_header(r, "Idempotency-Key"))
        return false;
    return r->route->oneshot_prepare(r, call);
}

/*
 * A request from an address slowed for bad secrets is refused before any
 * database work unless its own secret authenticated lately
 * (known_tokens.h): the failures are braked, not the good requests that
 * share their address.
 */
static enum mc_err dispatch_authenticated(struct request *r)
{
    const char *token = NULL;
    struct auth_start as = {.hash_param = ""};
    struct dispatch_tx tx = {.r = r};
    enum mc_err rc = request_secret(r, &token);
    if (rc == MC_OK)
        rc = auth_start_init(&as, r->server->token_key, token, &tx.start, &r->err);
    const char *hash_param = rc == MC_OK ? as.hash_param : NULL;
    r->retry_after = dispatch_secret_wait(r, hash_param);
    if (r->retry_after) {
        auth_start_release(&as);
        return request_fail(r, MC_ERR_RATE_LIMITED, NULL,
                            "too many requests with a bad token from your address; "
                            "try again in %u seconds",
                            r->retry_after);
    }
    if (rc != MC_OK) {
        note_outcome(r, rc, NULL);
        return rc;
    }
    struct oneshot call = {0};
    if (oneshot_taken(r, &call)) {
        rc = dispatch_oneshot(r, &call, &tx.start);
    } else {
        rc = db_pool_acquire(r->server->pool, &r->db, &r->err);
        if (rc == MC_OK) {
            rc = db_transaction_start(r->db, &tx.start, dispatch_in_transaction, &tx, &r->err);
            db_pool_release(r->server->pool, r->db);
            r->db = NULL;
            if (rc == MC_OK)
                nudge_after_commit(r);
        }
    }
    free(call.owned);
    note_outcome(r, rc, hash_param);
    auth_start_release(&as);
    return rc;
}

void dispatch_request(struct request *r)
{
    enum mc_err rc = dispatch_route(r);
    if (rc == MC_OK)
        rc = dispatch_body(r);
    if (rc == MC_OK) {
        if (r->route->flags & ROUTE_PUBLIC) {
            rc = r->route->handler(r); /* accepting an invitation writes in its own transaction */
            if (rc == MC_OK)
                nudge_after_commit(r);
        } else
            rc = dispatch_authenticated(r);
    }
    if (rc != MC_OK) {
        if (r->err.code == MC_OK)
            (void)request_fail(r, rc, NULL, NULL);
        request_reply(r, mc_http_status(rc), NULL);
        r->err.code = rc;
        if (r->route && (r->route->flags & ROUTE_PAGE))
            web_fail_page(r);
    }
}
