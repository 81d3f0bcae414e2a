/*
 * test_migrate.c — migrations against a real database: several
 * `mcred-server migrate` at once apply each file exactly once; a second
 * run applies nothing; /readyz tells when the schema is behind; a file
 * skipped while a later one ran is refused by name.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "harness.h"

#define CONCURRENT 4

static void test_concurrent_migrate(void **state)
{
    struct h_cluster cluster;
    struct h_db db;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    /* a server object only to carry the environment; it is not started */
    struct h_server env = {.db = &db};
    snprintf(env.master_key, sizeof env.master_key, "%064d", 0);

    pid_t pids[CONCURRENT];
    for (int i = 0; i < CONCURRENT; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            const char *argv[] = {"migrate", NULL};
            _exit(h_server_command(&env, argv, NULL));
        }
    }
    for (int i = 0; i < CONCURRENT; i++) {
        int st = 0;
        assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
    char *rows = h_db_query_super(&db, "SELECT count(*) FROM mcred.schema_migrations");
    char *distinct =
        h_db_query_super(&db, "SELECT count(DISTINCT version) FROM mcred.schema_migrations");
    assert_string_equal(rows, distinct);
    assert_true(strtol(rows, NULL, 10) >= 1);

    char *out = NULL;
    const char *argv[] = {"migrate", NULL};
    assert_int_equal(h_server_command(&env, argv, &out), 0);
    assert_non_null(strstr(out, "0 applied"));
    free(out);
    free(rows);
    free(distinct);
    h_cluster_release(&cluster);
}

static void test_ready_reports_pending_migrations(void **state)
{
    struct h_cluster cluster;
    struct h_db db;
    struct h_server server;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);

    struct h_response r;
    h_http(&server, "GET", "/readyz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    h_response_free(&r);

    /* pretend the newest migration was never applied */
    free(h_db_query_super(&db, "DELETE FROM mcred.schema_migrations WHERE version ="
                               " (SELECT max(version) FROM mcred.schema_migrations)"
                               " RETURNING version"));
    h_http(&server, "GET", "/readyz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(h_json_string(r.json, "error.message"), "migration"));
    h_response_free(&r);

    assert_int_equal(h_server_stop(&server), 0);
    h_cluster_release(&cluster);
}

/* A file older than the newest applied one, never applied, is named, not skipped for good. */
static void test_skipped_migration_refused(void **state)
{
    (void)state;
    struct h_cluster cluster;
    struct h_db db;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    struct h_server env = {.db = &db};
    snprintf(env.master_key, sizeof env.master_key, "%064d", 0);
    const char *argv[] = {"migrate", NULL};
    char *out = NULL, *err = NULL;
    assert_int_equal(h_server_command(&env, argv, NULL), 0);
    /* as if two branches' migrations had met: the one before the newest never ran */
    char *skipped = h_db_query_super(&db, "DELETE FROM mcred.schema_migrations WHERE version ="
                                          " (SELECT max(version) - 1 FROM mcred.schema_migrations)"
                                          " RETURNING version");
    char *before = h_db_query_super(&db, "SELECT count(*) FROM mcred.schema_migrations");
    assert_int_equal(h_server_command_env(&env, argv, NULL, &out, &err), 1);
    char want[64];
    snprintf(want, sizeof want, "later ones were: %s;", skipped);
    if (!strstr(err, want))
        fail_msg("wanted \"%s\" in: %s", want, err);
    char *after = h_db_query_super(&db, "SELECT count(*) FROM mcred.schema_migrations");
    assert_string_equal(before, after);
    free(skipped);
    free(before);
    free(after);
    free(out);
    free(err);
    h_cluster_release(&cluster);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_migrate),
        cmocka_unit_test(test_ready_reports_pending_migrations),
        cmocka_unit_test(test_skipped_migration_refused),
    };
    return h_run_tests(tests, NULL, NULL);
}
