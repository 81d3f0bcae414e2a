/*
 * test_db_role.c — mcred-server refuses to serve through a database role
 * that row-level security does not bind (a superuser, or a role with
 * BYPASSRLS), saying why in one line and changing nothing; with the
 * development override it serves, logs loudly, and /readyz says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = calloc(1, 1 << 20);
    assert_non_null(text);
    size_t n = fread(text, 1, (1 << 20) - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* DATABASE_URL for the test database as `user`. */
static void url_as(const struct h_db *d, const char *user, char *out, size_t len)
{
    snprintf(out, len, "DATABASE_URL=host=%s port=%u dbname=%s user=%s", d->cluster->sockdir,
             d->cluster->port, d->name, user);
}

/* serve as `user`: refused at once, one line naming the problem and the way out. */
static void expect_refused(const char *user, const char *why)
{
    char url[PATH_MAX + 256];
    url_as(&db, user, url, sizeof url);
    const char *env[] = {url, "MCRED_LISTEN=127.0.0.1:0", "MCRED_ALLOW_PRIVILEGED_DB=", NULL};
    const char *argv[] = {"serve", NULL};
    char *out = NULL, *err = NULL;
    char *before = h_db_query_super(&db, "SELECT count(*) FROM mcred.schema_migrations");
    assert_int_equal(h_server_command_env(&server, argv, env, &out, &err), 1);
    assert_non_null(strstr(err, "mcred-server: DATABASE_URL connects as role"));
    assert_non_null(strstr(err, why));
    assert_non_null(strstr(err, "MCRED_ALLOW_PRIVILEGED_DB=1"));
    assert_non_null(strchr(err, '\n'));
    assert_string_equal(strchr(err, '\n') + 1, ""); /* one line */
    char *after = h_db_query_super(&db, "SELECT count(*) FROM mcred.schema_migrations");
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(out);
    free(err);
}

static void test_superuser_refused(void **state)
{
    (void)state;
    expect_refused(cluster.superuser, "is a superuser");
}

static void test_bypassrls_refused(void **state)
{
    (void)state;
    unsigned char raw[4];
    char hex[9], sql[256], role[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(role, sizeof role, "bypass_%s", hex);
    snprintf(sql, sizeof sql, "CREATE ROLE %s LOGIN NOSUPERUSER BYPASSRLS", role);
    h_db_exec_super(&db, sql);
    expect_refused(role, "has BYPASSRLS");
    snprintf(sql, sizeof sql, "DROP ROLE %s", role);
    h_db_exec_super(&db, sql);
}

/* The override serves, warns in the log, and /readyz reports the unsafe role. */
static void test_override_reported(void **state)
{
    (void)state;
    struct h_db other;
    struct h_server unsafe;
    char url[PATH_MAX + 256];
    h_db_create(&cluster, &other);
    url_as(&other, cluster.superuser, url, sizeof url);
    const char *env[] = {url, "MCRED_ALLOW_PRIVILEGED_DB=1", NULL};
    h_server_start(&other, env, &unsafe);
    struct h_response r;
    h_http(&unsafe, "GET", "/readyz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(h_json_string(r.json, "database_role"), "unsafe");
    assert_non_null(strstr(h_json_string(r.json, "warning"), "is a superuser"));
    h_response_free(&r);
    char *log = slurp(unsafe.log_path);
    assert_non_null(strstr(log, "DATABASE UNSAFE"));
    free(log);
    h_server_stop(&unsafe);
    /* the ordinary server's role is safe: /readyz says nothing of it */
    h_http(&server, "GET", "/readyz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_null(h_json_at(r.json, "database_role"));
    h_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_superuser_refused),
        cmocka_unit_test(test_bypassrls_refused),
        cmocka_unit_test(test_override_reported),
    };
    return h_run_tests(tests, setup, teardown);
}
