/*
 * test_readiness.c — the database goes away and comes back: /healthz
 * stays 200, /readyz and every database route answer 503 in the error
 * shape (never a crash), and once PostgreSQL is up again the same server
 * process answers 200 without a restart.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "harness.h"

static long status_of(const struct h_server *s, const char *path, const char *token, char *code,
                      size_t code_len)
{
    struct h_response r;
    h_http(s, "GET", path, token, NULL, NULL, 0, &r);
    long st = r.status;
    if (code) {
        const char *c = r.json ? h_json_string(r.json, "error.code") : NULL;
        snprintf(code, code_len, "%s", c ? c : "");
    }
    h_response_free(&r);
    return st;
}

static void test_database_restart(void **state)
{
    struct h_cluster cluster;
    struct h_db db;
    struct h_server server;
    char code[64];
    /* our own cluster: stopping the shared one would disturb other tests */
    h_cluster_create(&cluster);
    h_db_create(&cluster, &db);
    const char *env[] = {"MCRED_DB_ACQUIRE_TIMEOUT_MS=2000", NULL};
    h_server_start(&db, env, &server);
    char *token = h_bootstrap(&server, "gamma", "admin@gamma.example");

    assert_int_equal(status_of(&server, "/readyz", NULL, NULL, 0), 200);
    assert_int_equal(status_of(&server, "/v1/me", token, NULL, 0), 200);

    h_cluster_stop(&cluster);
    assert_int_equal(status_of(&server, "/healthz", NULL, NULL, 0), 200);
    assert_int_equal(status_of(&server, "/readyz", NULL, code, sizeof code), 503);
    assert_string_equal(code, "unavailable");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(status_of(&server, "/v1/me", token, code, sizeof code), 503);
        assert_string_equal(code, "unavailable");
    }
    /* metrics still answer, and say the database is down */
    struct h_response r;
    h_http(&server, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "mcred_db_up 0"));
    h_response_free(&r);

    h_cluster_start(&cluster);
    long ready = 0;
    for (int i = 0; i < 100 && ready != 200; i++) {
        ready = status_of(&server, "/readyz", NULL, NULL, 0);
        if (ready != 200) {
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    assert_int_equal(ready, 200);
    /* every pooled connection recovers, not just the one /readyz used */
    for (int i = 0; i < 8; i++)
        assert_int_equal(status_of(&server, "/v1/me", token, NULL, 0), 200);

    assert_int_equal(h_server_stop(&server), 0);
    free(token);
    h_cluster_release(&cluster);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_database_restart),
    };
    return h_run_tests(tests, NULL, NULL);
}
