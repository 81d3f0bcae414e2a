/*
 * test_auth_limit.c — repeated failed authentication from one address is
 * answered 429 with Retry-After, before any token is looked at; requests
 * without a token, and public routes, are not slowed.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static long status_of(const struct h_server *s, const char *path, const char *token,
                      char **retry_after)
{
    struct h_response r;
    h_http(s, "GET", path, token, NULL, NULL, 0, &r);
    long st = r.status;
    if (retry_after)
        *retry_after = h_response_header(&r, "Retry-After");
    if (st == 429)
        assert_string_equal(h_json_string(r.json, "error.code"), "rate_limited");
    h_response_free(&r);
    return st;
}

static void test_failed_tokens_are_slowed(void **state)
{
    struct h_cluster cluster;
    struct h_db db;
    struct h_server server;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    const char *env[] = {"MCRED_AUTH_FAIL_LIMIT=3", "MCRED_AUTH_FAIL_WINDOW=600", NULL};
    h_server_start(&db, env, &server);
    char *token = h_bootstrap(&server, "zeta", "admin@zeta.example");
    const char *bad = "mcr_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

    /* no token at all is not a guess */
    for (int i = 0; i < 5; i++)
        assert_int_equal(status_of(&server, "/v1/me", NULL, NULL), 401);
    assert_int_equal(status_of(&server, "/v1/me", token, NULL), 200);

    for (int i = 0; i < 3; i++)
        assert_int_equal(status_of(&server, "/v1/me", bad, NULL), 401);
    char *retry = NULL;
    assert_int_equal(status_of(&server, "/v1/me", bad, &retry), 429);
    assert_non_null(retry);
    long seconds = strtol(retry, NULL, 10);
    assert_true(seconds > 500 && seconds <= 600);
    free(retry);
    /* the address is slowed for every authenticated route, good token or not */
    assert_int_equal(status_of(&server, "/v1/me", token, NULL), 429);
    /* public routes are not */
    assert_int_equal(status_of(&server, "/healthz", NULL, NULL), 200);

    assert_int_equal(h_server_stop(&server), 0);
    free(token);
    h_cluster_release(&cluster);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failed_tokens_are_slowed),
    };
    return h_run_tests(tests, NULL, NULL);
}
