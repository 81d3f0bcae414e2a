/*
 * test_auth_limit.c — the brake on failed authentication (docs/api.md,
 * "Failed sign-ins are slowed"; docs/operations.md, "Failed sign-ins").
 *
 * An address that sent too many bad tokens is answered 429 with
 * Retry-After for every token it has not seen authenticate lately, before
 * the database is asked; a token or browser session that authenticated
 * lately is still served (the database still decides: revoked, it fails
 * and is forgotten).  Requests without a token, and public routes, are
 * not slowed.  X-Forwarded-For names the client only when the peer is in
 * MCRED_TRUSTED_PROXIES.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define BAD_TOKEN "mcr_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

/* GET path with token (NULL: none) and, when forwarded_for is not NULL, that X-Forwarded-For. */
static long status_from(const struct h_server *s, const char *path, const char *token,
                        const char *forwarded_for, char **retry_after)
{
    struct h_response r;
    char *header = forwarded_for ? h_strf("X-Forwarded-For: %s", forwarded_for) : NULL;
    const char *headers[] = {header, NULL};
    h_http_headers(s, "GET", path, token, NULL, NULL, 0, headers, &r);
    free(header);
    long st = r.status;
    if (retry_after)
        *retry_after = h_response_header(&r, "Retry-After");
    if (st == 429)
        assert_string_equal(h_json_string(r.json, "error.code"), "rate_limited");
    h_response_free(&r);
    return st;
}

static long status_of(const struct h_server *s, const char *path, const char *token,
                      char **retry_after)
{
    return status_from(s, path, token, NULL, retry_after);
}

/* A new token of the admin's own person: *id gets its id (malloc'd); returns the secret. */
static char *new_token(const struct h_server *s, const char *admin, char **id)
{
    struct h_response r;
    h_call(s, "POST", "/v1/tokens", admin, "{\"name\": \"second laptop\"}", 201, &r);
    char *secret = strdup(h_json_string(r.json, "token"));
    *id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    assert_non_null(secret);
    assert_non_null(*id);
    return secret;
}

struct fixture {
    struct h_cluster cluster;
    struct h_db db;
    struct h_server server;
    char *admin;
};

static void fixture_start(struct fixture *f, const char *const *env)
{
    h_cluster_get(&f->cluster);
    h_db_create(&f->cluster, &f->db);
    h_server_start(&f->db, env, &f->server);
    f->admin = h_bootstrap(&f->server, "zeta", "admin@zeta.example");
}

static void fixture_stop(struct fixture *f)
{
    assert_int_equal(h_server_stop(&f->server), 0);
    free(f->admin);
    h_cluster_release(&f->cluster);
}

static void test_failed_tokens_are_slowed(void **state)
{
    (void)state;
    struct fixture f;
    const char *env[] = {"MCRED_AUTH_FAIL_LIMIT=3", "MCRED_AUTH_FAIL_WINDOW=600", NULL};
    fixture_start(&f, env);
    char *unused_id, *unused = new_token(&f.server, f.admin, &unused_id);

    /* no token at all is not a guess */
    for (int i = 0; i < 5; i++)
        assert_int_equal(status_of(&f.server, "/v1/me", NULL, NULL), 401);
    assert_int_equal(status_of(&f.server, "/v1/me", f.admin, NULL), 200);

    for (int i = 0; i < 3; i++)
        assert_int_equal(status_of(&f.server, "/v1/me", BAD_TOKEN, NULL), 401);
    char *retry = NULL;
    assert_int_equal(status_of(&f.server, "/v1/me", BAD_TOKEN, &retry), 429);
    assert_non_null(retry);
    long seconds = strtol(retry, NULL, 10);
    assert_true(seconds > 500 && seconds <= 600);
    free(retry);
    /* a valid token this server has never seen authenticate waits like a guess … */
    assert_int_equal(status_of(&f.server, "/v1/me", unused, NULL), 429);
    /* … one that authenticated lately is served: the failures are braked, not the address */
    assert_int_equal(status_of(&f.server, "/v1/me", f.admin, NULL), 200);
    /* public routes are not slowed */
    assert_int_equal(status_of(&f.server, "/healthz", NULL, NULL), 200);

    free(unused);
    free(unused_id);
    fixture_stop(&f);
}

/* A known token still goes to the database: revoked, it fails, is forgotten and then waits. */
static void test_revoked_known_token_is_forgotten(void **state)
{
    (void)state;
    struct fixture f;
    const char *env[] = {"MCRED_AUTH_FAIL_LIMIT=3", "MCRED_AUTH_FAIL_WINDOW=600", NULL};
    fixture_start(&f, env);
    char *id, *second = new_token(&f.server, f.admin, &id);
    assert_int_equal(status_of(&f.server, "/v1/me", second, NULL), 200);
    for (int i = 0; i < 3; i++)
        assert_int_equal(status_of(&f.server, "/v1/me", BAD_TOKEN, NULL), 401);
    assert_int_equal(status_of(&f.server, "/v1/me", second, NULL), 200);

    char *path = h_strf("/v1/tokens/%s", id);
    struct h_response r;
    h_call(&f.server, "DELETE", path, f.admin, NULL, 204, &r);
    h_response_free(&r);
    free(path);
    assert_int_equal(status_of(&f.server, "/v1/me", second, NULL), 401);
    assert_int_equal(status_of(&f.server, "/v1/me", second, NULL), 429);
    assert_int_equal(status_of(&f.server, "/v1/me", f.admin, NULL), 200);

    free(second);
    free(id);
    fixture_stop(&f);
}

/* Signing in with a known token from a slowed address works, and the new session is known too. */
static void test_signin_from_a_slowed_address(void **state)
{
    (void)state;
    struct fixture f;
    const char *env[] = {"MCRED_AUTH_FAIL_LIMIT=3", "MCRED_AUTH_FAIL_WINDOW=600", NULL};
    fixture_start(&f, env);
    char *id, *unused = new_token(&f.server, f.admin, &id);
    assert_int_equal(status_of(&f.server, "/v1/me", f.admin, NULL), 200);
    for (int i = 0; i < 3; i++)
        assert_int_equal(status_of(&f.server, "/v1/me", BAD_TOKEN, NULL), 401);

    struct h_response r;
    char *form = h_strf("secret=%s", unused);
    h_page(&f.server, "POST", "/signin", NULL, form, &r);
    assert_int_equal(r.status, 429);
    assert_non_null(strstr(r.body, "try again in"));
    assert_null(h_response_header(&r, "Set-Cookie"));
    h_response_free(&r);
    free(form);

    char *session = h_signin(&f.server, f.admin);
    h_page(&f.server, "GET", "/app", session, NULL, &r);
    assert_int_equal(r.status, 200);
    h_response_free(&r);

    free(session);
    free(unused);
    free(id);
    fixture_stop(&f);
}

/* X-Forwarded-For is believed from a trusted proxy only, and read from the right. */
static void test_forwarded_addresses(void **state)
{
    (void)state;
    struct fixture f;
    const char *env[] = {"MCRED_AUTH_FAIL_LIMIT=3", "MCRED_AUTH_FAIL_WINDOW=600",
                         "MCRED_TRUSTED_PROXIES=127.0.0.0/8, ::1", NULL};
    fixture_start(&f, env);
    char *id, *unused = new_token(&f.server, f.admin, &id);

    /* the client wrote the left part; the proxy appended who connected to it */
    for (int i = 0; i < 3; i++)
        assert_int_equal(
            status_from(&f.server, "/v1/me", BAD_TOKEN, "198.51.100.7, 203.0.113.5", NULL), 401);
    assert_int_equal(status_from(&f.server, "/v1/me", unused, "203.0.113.5", NULL), 429);
    assert_int_equal(status_from(&f.server, "/v1/me", unused, "198.51.100.7, 203.0.113.6", NULL),
                     200);
    /* the proxy itself, for requests it makes without the header, is another client */
    assert_int_equal(status_of(&f.server, "/v1/me", f.admin, NULL), 200);
    fixture_stop(&f);

    /* without MCRED_TRUSTED_PROXIES the header changes nothing: the peer is the client */
    const char *untrusting[] = {"MCRED_AUTH_FAIL_LIMIT=3", "MCRED_AUTH_FAIL_WINDOW=600", NULL};
    fixture_start(&f, untrusting);
    char *id2, *unused2 = new_token(&f.server, f.admin, &id2);
    for (int i = 0; i < 3; i++)
        assert_int_equal(status_from(&f.server, "/v1/me", BAD_TOKEN, "203.0.113.5", NULL), 401);
    assert_int_equal(status_from(&f.server, "/v1/me", unused2, "203.0.113.9", NULL), 429);
    fixture_stop(&f);

    free(unused);
    free(id);
    free(unused2);
    free(id2);
}

/* A list the server cannot read stops it with a one-line reason. */
static void test_bad_proxy_list_is_refused(void **state)
{
    (void)state;
    struct fixture f;
    fixture_start(&f, NULL);
    const char *argv[] = {"migrate", NULL};
    const char *env[] = {"MCRED_TRUSTED_PROXIES=10.0.0.0/8, proxy.example", NULL};
    char *out = NULL, *err = NULL;
    int rc = h_server_command_env(&f.server, argv, env, &out, &err);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(err, "MCRED_TRUSTED_PROXIES"));
    assert_non_null(strstr(err, "proxy.example"));
    free(out);
    free(err);
    fixture_stop(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failed_tokens_are_slowed),
        cmocka_unit_test(test_revoked_known_token_is_forgotten),
        cmocka_unit_test(test_signin_from_a_slowed_address),
        cmocka_unit_test(test_forwarded_addresses),
        cmocka_unit_test(test_bad_proxy_list_is_refused),
    };
    return h_run_tests(tests, NULL, NULL);
}
