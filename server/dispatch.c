/*
 * dispatch.c — see dispatch.h.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "auth.h"
#include "db.h"
#include "idempotency.h"
#include "dispatch.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "request.h"
#include "server.h"

#include "mcred/banned.h"

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
    for (size_t i = 0; i < r->params.count; i++)
        /* ids in paths are UUIDs; anything else cannot name a row */
        if (!mc_uuid_valid(r->params.items[i].value) &&
            !((r->route->flags & ROUTE_PERSON_EMAIL) &&
              strcmp(r->params.items[i].name, "person") == 0 &&
              mc_email_valid(r->params.items[i].value)))
            return request_fail(r, MC_ERR_NOT_FOUND, NULL, "%s %s not found",
                                r->params.items[i].name, r->params.items[i].value);
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

static enum mc_err dispatch_body(struct request *r)
{
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

/* May the caller call this route: by their organisation role, or their role in its cohort? */
static enum mc_err authorise(struct request *r, struct mc_error *err)
{
    r->cohort_role = 0;
    if (r->route->roles & r->auth.roles)
        return MC_OK;
    unsigned cohort_roles = r->route->roles & (ROLE_LEARNER | ROLE_COACH);
    if (cohort_roles && r->route->scope != SCOPE_NONE) {
        unsigned role = 0;
        enum mc_err rc = cohort_role_of(r, &role, err);
        if (rc != MC_OK)
            return rc;
        if (role & cohort_roles) {
            r->cohort_role = role;
            return MC_OK;
        }
    }
    return mc_error_set(err, MC_ERR_FORBIDDEN, NULL, "your role (%s) may not %s %s",
                        r->auth.org_role, r->method, r->route->path);
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

static const struct sockaddr *client_address(const struct request *r)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(r->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info ? info->client_addr : NULL;
}

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Count a presented token that did not authenticate against its address. */
static void note_failure(struct request *r, enum mc_err rc)
{
    const char *header = request_header(r, "Authorization");
    if (rc == MC_ERR_UNAUTHENTICATED && header && *header)
        ratelimit_fail(r->server->auth_failures, client_address(r), monotonic_seconds());
}

static enum mc_err dispatch_authenticated(struct request *r)
{
    const char *token = NULL;
    struct auth_start as;
    struct dispatch_tx tx = {.r = r};
    r->retry_after =
        ratelimit_wait(r->server->auth_failures, client_address(r), monotonic_seconds());
    if (r->retry_after)
        return request_fail(r, MC_ERR_RATE_LIMITED, NULL,
                            "too many requests with a bad token from your address; "
                            "try again in %u seconds",
                            r->retry_after);
    enum mc_err rc = auth_parse_bearer(request_header(r, "Authorization"), &token, &r->err);
    if (rc == MC_OK)
        rc = auth_start_init(&as, r->server->token_key, token, &tx.start, &r->err);
    if (rc != MC_OK) {
        note_failure(r, rc);
        return rc;
    }
    rc = db_pool_acquire(r->server->pool, &r->db, &r->err);
    if (rc == MC_OK) {
        rc = db_transaction_start(r->db, &tx.start, dispatch_in_transaction, &tx, &r->err);
        db_pool_release(r->server->pool, r->db);
        r->db = NULL;
    }
    auth_start_release(&as);
    note_failure(r, rc);
    return rc;
}

void dispatch_request(struct request *r)
{
    enum mc_err rc = dispatch_route(r);
    if (rc == MC_OK)
        rc = dispatch_body(r);
    if (rc == MC_OK) {
        if (r->route->flags & ROUTE_PUBLIC)
            rc = r->route->handler(r);
        else
            rc = dispatch_authenticated(r);
    }
    if (rc != MC_OK) {
        if (r->err.code == MC_OK)
            (void)request_fail(r, rc, NULL, NULL);
        request_reply(r, mc_http_status(rc), NULL);
        r->err.code = rc;
    }
}
