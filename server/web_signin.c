/*
 * web_signin.c — signing in and out of the pages.
 *
 * GET /signin shows one field: an API token (mcr_…) or a coordinator's
 * invitation code.  POST /signin exchanges it for a browser session
 * (sql/migrations/0022_web_sessions.sql) in one statement and sets the
 * session cookie; an invitation is accepted as POST /v1/invitations/accept
 * accepts it, and the page then shows the person's new API token once, to
 * sign in with again.  A bad secret counts against the address like a bad
 * bearer token.  POST /signout revokes the session and clears the cookie.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "dispatch.h"
#include "invitations.h"
#include "request.h"
#include "server.h"
#include "tokens.h"
#include "web.h"
#include "web_pages.h"

#include "mcred/banned.h"

#define SIGNIN_FIELD "secret"

/* The sign-in form, with a message above it when there is one (error: true for a refusal). */
static enum mc_err signin_page(struct request *r, unsigned status, const char *message, bool error)
{
    struct html h;
    html_init(&h, WEB_PAGE_MAX);
    web_page_begin(r, &h, "Sign in");
    html_raw(&h, "<h1>Sign in to mcred</h1>");
    if (message) {
        html_raw(&h, error ? "<p class=\"error\" role=\"alert\">" : "<p class=\"notice\">");
        html_text(&h, message);
        html_raw(&h, "</p>");
    }
    html_raw(&h, "<form method=\"post\" action=\"/signin\"><div class=\"field\">"
                 "<label for=\"secret\">Sign-in key or invitation code</label>"
                 "<input id=\"secret\" name=\"" SIGNIN_FIELD "\" type=\"password\" required "
                 "autocomplete=\"current-password\" size=\"50\" aria-describedby=\"secret-help\">"
                 "<p id=\"secret-help\" class=\"muted\">Paste the sign-in key (it begins "
                 "<code>mcr_</code>) or the invitation code your coordinator sent you.</p>"
                 "</div><button type=\"submit\">Sign in</button></form>");
    web_page_end(r, &h);
    return web_reply(r, &h, status);
}

enum mc_err web_signin_show(struct request *r)
{
    const char *ended = request_query(r, "signed_out");
    return signin_page(r, 200, ended ? "You have signed out." : NULL, false);
}

/* Browsers say where a form came from: refuse one posted from another site (login CSRF). */
static bool same_origin(const struct request *r)
{
    const char *origin = request_header(r, "Origin");
    const char *host = request_header(r, "Host");
    if (!origin || strcmp(origin, "null") == 0)
        return origin == NULL;
    const char *authority = strstr(origin, "://");
    return host && authority && strcmp(authority + 3, host) == 0;
}

DB_STMT(db_web_session_open,
        "SELECT org_id, person_id, email, name, org_role, session_id, session_expires_at"
        " FROM mcred.web_session_open($1::bytea, $2::bytea, $3::integer, $4)");
DB_STMT(db_web_session_open_invite,
        "SELECT outcome, cohort_name, invitation_expires_at, email, name, session_id,"
        " session_expires_at"
        " FROM mcred.web_session_open_invite($1::bytea, $2::bytea, $3::bytea, $4::integer, $5)");

struct signin_tx {
    struct request *r;
    struct db_tx_start start;
    bool invite;
};

static enum mc_err signin_in_transaction(struct db_conn *c, void *arg, struct mc_error *err)
{
    (void)c;
    (void)err; /* request_fail records into r->err, which is err */
    struct signin_tx *tx = arg;
    struct request *r = tx->r;
    request_reset_answer(r);
    const PGresult *res = tx->start.result;
    if (!res || PQntuples(res) != 1)
        return request_fail(r, MC_ERR_UNAUTHENTICATED, SIGNIN_FIELD,
                            "this sign-in key is not valid, has expired or was withdrawn: check "
                            "that it was copied whole, or ask your coordinator for a new one");
    if (tx->invite) {
        const char *outcome = db_get(res, 0, "outcome");
        if (!outcome || strcmp(outcome, "ok") != 0)
            return invitation_refusal(r, outcome ? outcome : "unknown",
                                      db_get(res, 0, "cohort_name"),
                                      db_get(res, 0, "invitation_expires_at"));
    }
    r->status = 200;
    return MC_OK;
}

/* After an invitation: the person's own sign-in key, shown this once. */
static enum mc_err welcome_page(struct request *r, const char *token)
{
    struct html h;
    html_init(&h, WEB_PAGE_MAX);
    web_page_begin(r, &h, "Welcome");
    html_raw(&h, "<h1>Welcome</h1><p class=\"notice\">You are signed in. This is your own "
                 "sign-in key: keep it somewhere safe, such as a password manager. You will "
                 "need it to sign in again, and it is shown only this once.</p>"
                 "<p><span class=\"secret\" id=\"sign-in-key\">");
    html_text(&h, token);
    html_raw(&h, "</span></p><p><a class=\"button\" href=\"/app\">Continue</a></p>");
    web_page_end(r, &h);
    return web_reply(r, &h, 200);
}

/*
 * Open the session in one statement.  secret_hash and session_hash are
 * the keyed hashes (token_hash_param) of what was typed and of the new
 * session's cookie.
 */
static enum mc_err open_session(struct request *r, const char *secret_hash, bool invite,
                                const char *new_token, const char *session_hash)
{
    char token_hash[MC_TOKEN_HASH_PARAM_LEN], hours[16];
    snprintf(hours, sizeof hours, "%u", r->server->cfg.session_hours);
    struct signin_tx tx = {.r = r, .invite = invite};
    enum mc_err rc = MC_OK;
    if (token_hash_param(r->server->token_key, new_token, false, token_hash) != MC_OK) {
        rc = request_fail(r, MC_ERR_INTERNAL, NULL, "could not hash the sign-in key");
        goto out;
    }
    const char *token_params[] = {secret_hash, session_hash, hours, r->request_id};
    const char *invite_params[] = {secret_hash, token_hash, session_hash, hours, r->request_id};
    tx.start = invite ? (struct db_tx_start){.stmt = &db_web_session_open_invite,
                                             .nparams = 5,
                                             .params = invite_params}
                      : (struct db_tx_start){
                            .stmt = &db_web_session_open, .nparams = 4, .params = token_params};
    rc = db_pool_acquire(r->server->pool, &r->db, &r->err);
    if (rc == MC_OK) {
        rc = db_transaction_start(r->db, &tx.start, signin_in_transaction, &tx, &r->err);
        db_pool_release(r->server->pool, r->db);
        r->db = NULL;
    }
out:
    sodium_memzero(token_hash, sizeof token_hash);
    return rc;
}

/* The sign-in page again, saying how long an address slowed for wrong keys must wait. */
static enum mc_err slowed_page(struct request *r)
{
    char message[160];
    snprintf(message, sizeof message,
             "Too many sign-in attempts with a wrong key from your address: try again in "
             "%u seconds.",
             r->retry_after);
    return signin_page(r, 429, message, true);
}

/* A refused sign-in: its reason, begun with a capital, on the sign-in page. */
static enum mc_err refused_page(struct request *r)
{
    char message[MC_MAX_ERR_MESSAGE];
    snprintf(message, sizeof message, "%s", mc_error_message(&r->err));
    mc_error_clear(&r->err);
    if (message[0] >= 'a' && message[0] <= 'z')
        message[0] = (char)(message[0] - 'a' + 'A');
    return signin_page(r, 401, message, true);
}

/*
 * Sign in with a well-formed key or invitation code.  An address slowed
 * for wrong keys still signs in with an API token that authenticated
 * lately (known_tokens.h); the new session is remembered the same way, so
 * its pages are served too.
 */
static enum mc_err signin_with(struct request *r, const char *typed, bool invite)
{
    char secret_hash[MC_TOKEN_HASH_PARAM_LEN], session_hash[MC_TOKEN_HASH_PARAM_LEN];
    char session[MC_TOKEN_TEXT_LEN + 1], new_token[MC_TOKEN_TEXT_LEN + 1];
    secret_generate(WEB_SESSION_PREFIX, session);
    token_generate(new_token);
    enum mc_err rc;
    if (token_hash_param(r->server->token_key, typed, false, secret_hash) != MC_OK ||
        token_hash_param(r->server->token_key, session, false, session_hash) != MC_OK) {
        rc = request_fail(r, MC_ERR_INTERNAL, NULL, "could not hash the sign-in key");
        goto out;
    }
    r->retry_after = dispatch_secret_wait(r, invite ? NULL : secret_hash);
    if (r->retry_after) {
        rc = slowed_page(r);
        goto out;
    }
    rc = open_session(r, secret_hash, invite, new_token, session_hash);
    if (rc == MC_OK) {
        if (!invite)
            dispatch_secret_good(r, secret_hash);
        dispatch_secret_good(r, session_hash);
        web_set_cookie(r, session, r->server->cfg.session_hours * 3600u);
        rc = invite ? welcome_page(r, new_token) : web_redirect(r, "/app");
    } else if (rc == MC_ERR_UNAUTHENTICATED) {
        dispatch_secret_refused(r, invite ? NULL : secret_hash);
        rc = refused_page(r);
    }
out:
    sodium_memzero(secret_hash, sizeof secret_hash);
    sodium_memzero(session_hash, sizeof session_hash);
    sodium_memzero(session, sizeof session);
    sodium_memzero(new_token, sizeof new_token);
    return rc;
}

enum mc_err web_signin(struct request *r)
{
    if (!same_origin(r))
        return request_fail(r, MC_ERR_FORBIDDEN, NULL,
                            "this sign-in form was sent from another site; open the sign-in "
                            "page here and sign in from it");
    const char *secret = web_form(r, SIGNIN_FIELD);
    secret = secret ? secret + strspn(secret, " \t\r\n") : "";
    char typed[MC_TOKEN_TEXT_LEN + 1];
    snprintf(typed, sizeof typed, "%.*s", (int)strcspn(secret, " \t\r\n"), secret);
    bool invite = invitation_code_well_formed(typed);
    enum mc_err rc;
    if (invite || token_well_formed(typed))
        rc = signin_with(r, typed, invite);
    else if ((r->retry_after = dispatch_bad_secret_wait(r)) != 0)
        rc = slowed_page(r);
    else {
        if (*secret)
            dispatch_bad_secret(r);
        rc = signin_page(r, 401,
                         *secret ? "That is not a sign-in key or an invitation code: check that "
                                   "it was copied whole (a key begins mcr_)."
                                 : "Paste your sign-in key or invitation code first.",
                         true);
    }
    sodium_memzero(typed, sizeof typed);
    return rc;
}

DB_STMT(db_web_session_close, "SELECT mcred.web_session_close($1::uuid, $2)");

enum mc_err web_signout(struct request *r)
{
    const char *params[] = {r->auth.token_id, r->request_id};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_web_session_close, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    PQclear(res);
    web_set_cookie(r, NULL, 0);
    return web_redirect(r, "/signin?signed_out=1");
}

enum mc_err web_root(struct request *r)
{
    return web_redirect(r, "/app");
}
