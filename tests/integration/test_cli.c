/*
 * test_cli.c — the real mcred binary against the real server: ping,
 * whoami (table, --json, --csv), configuration precedence (flags over
 * environment over the config file), and the exit codes of DESIGN.md §7.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;
static char *token;

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    token = h_bootstrap(&server, "epsilon", "admin@epsilon.example");
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    free(token);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

static void test_ping(void **state)
{
    char *out = NULL, *err = NULL;
    const char *argv[] = {"ping", NULL};
    assert_int_equal(h_cli(server.url, NULL, argv, &out, &err), 0);
    assert_non_null(strstr(out, "healthy"));
    assert_non_null(strstr(out, server.url));
    free(out);
    free(err);

    const char *flag_argv[] = {"--url", server.url, "--json", "ping", NULL};
    assert_int_equal(h_cli("http://127.0.0.1:1", NULL, flag_argv, &out, &err), 0);
    cJSON *j = cJSON_Parse(out);
    assert_non_null(j);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "healthy")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "ready")));
    cJSON_Delete(j);
    free(out);
    free(err);
}

static void test_ping_unreachable(void **state)
{
    char *out = NULL, *err = NULL;
    const char *argv[] = {"ping", NULL};
    /* port 1 on loopback: nothing listens there */
    assert_int_equal(h_cli("http://127.0.0.1:1", NULL, argv, &out, &err), 1);
    assert_non_null(strstr(err, "mcred: "));
    assert_null(strchr(strchr(err, '\n') + 1, '\n')); /* one line */
    free(out);
    free(err);
}

static void test_whoami(void **state)
{
    char *out = NULL, *err = NULL;
    const char *argv[] = {"whoami", NULL};
    assert_int_equal(h_cli(server.url, token, argv, &out, &err), 0);
    assert_non_null(strstr(out, "admin@epsilon.example"));
    assert_non_null(strstr(out, "epsilon"));
    free(out);
    free(err);

    const char *json_argv[] = {"--json", "whoami", NULL};
    assert_int_equal(h_cli(server.url, token, json_argv, &out, &err), 0);
    cJSON *j = cJSON_Parse(out);
    assert_non_null(j);
    assert_string_equal(h_json_string(j, "person.email"), "admin@epsilon.example");
    cJSON_Delete(j);
    free(out);
    free(err);

    const char *csv_argv[] = {"--csv", "whoami", NULL};
    assert_int_equal(h_cli(server.url, token, csv_argv, &out, &err), 0);
    assert_non_null(strstr(out, "admin@epsilon.example"));
    assert_non_null(strstr(out, ","));
    free(out);
    free(err);
}

static void test_exit_codes(void **state)
{
    char *out = NULL, *err = NULL;
    const char *whoami[] = {"whoami", NULL};
    /* no token: 401 → exit 4, with the server's message on one line */
    assert_int_equal(h_cli(server.url, NULL, whoami, &out, &err), 4);
    assert_non_null(strstr(err, "mcred: "));
    free(out);
    free(err);
    assert_int_equal(
        h_cli(server.url, "mcr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", whoami, &out, &err),
        4);
    free(out);
    free(err);

    const char *unknown[] = {"frobnicate", NULL};
    assert_int_equal(h_cli(server.url, token, unknown, &out, &err), 2);
    free(out);
    free(err);

    const char *both[] = {"--json", "--csv", "whoami", NULL};
    assert_int_equal(h_cli(server.url, token, both, &out, &err), 2);
    free(out);
    free(err);

    const char *help[] = {"--help", NULL};
    assert_int_equal(h_cli(server.url, token, help, &out, &err), 0);
    assert_non_null(strstr(out, "whoami"));
    assert_non_null(strstr(out, "ping"));
    free(out);
    free(err);

    const char *version[] = {"version", NULL};
    assert_int_equal(h_cli(NULL, NULL, version, &out, &err), 0);
    assert_non_null(strstr(out, "mcred "));
    free(out);
    free(err);
}

/* flags beat the environment, which beats the config file */
static void test_config_file(void **state)
{
    char home[] = "/tmp/mcred-cfg.XXXXXX";
    assert_non_null(mkdtemp(home));
    char path[256];
    snprintf(path, sizeof path, "%s/mcred", home);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/mcred/config", home);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "# written by test_cli\nurl = %s\ntoken = %s\n", server.url, token);
    fclose(f);

    char xdg[300];
    snprintf(xdg, sizeof xdg, "XDG_CONFIG_HOME=%s", home);
    putenv(xdg); /* inherited by the CLI; h_cli sets MCRED_URL/TOKEN empty */
    char *out = NULL, *err = NULL;
    const char *whoami[] = {"whoami", NULL};
    /* the file alone: its url and token are used */
    assert_int_equal(h_cli(NULL, NULL, whoami, &out, &err), 0);
    assert_non_null(strstr(out, "admin@epsilon.example"));
    free(out);
    free(err);
    /* the environment beats the file: nothing listens on port 1 */
    assert_int_equal(h_cli("http://127.0.0.1:1", NULL, whoami, &out, &err), 1);
    free(out);
    free(err);
    /* a flag beats the environment */
    const char *flagged[] = {"--url", server.url, "whoami", NULL};
    assert_int_equal(h_cli("http://127.0.0.1:1", NULL, flagged, &out, &err), 0);
    free(out);
    free(err);
    /* and a bad token given as a flag beats the file's good one */
    const char *bad[] = {"--token", "mcr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "whoami",
                         NULL};
    assert_int_equal(h_cli(NULL, NULL, bad, &out, &err), 4);
    free(out);
    free(err);
    unsetenv("XDG_CONFIG_HOME");
    unlink(path);
    snprintf(path, sizeof path, "%s/mcred", home);
    rmdir(path);
    rmdir(home);
}

/*
 * CSV injection: `mcred --csv` writes a value a spreadsheet would run as a
 * formula as text (a leading apostrophe), and the file imports back
 * unchanged — the apostrophe is not stored.
 */
static void test_csv_formulas_round_trip(void **state)
{
    (void)state;
    const char *name = "=HYPERLINK(\"http://evil.example\",\"click\")";
    const char *add[] = {"people",          "add", "formula@epsilon.example", name, "--attr",
                         "school=@Lincoln", NULL};
    char *out = NULL, *err = NULL;
    assert_int_equal(h_cli(server.url, token, add, &out, &err), 0);
    free(out);
    free(err);
    const char *list[] = {"--csv", "people", "list", NULL};
    assert_int_equal(h_cli(server.url, token, list, &out, &err), 0);
    assert_non_null(strstr(out, "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""));
    assert_non_null(strstr(out, "'@Lincoln"));
    assert_null(strstr(out, ",=HYPERLINK"));
    char path[] = "/tmp/mcred-csv-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, out, strlen(out)), (ssize_t)strlen(out));
    close(fd);
    free(out);
    free(err);
    const char *import[] = {"people", "import", path, NULL};
    assert_int_equal(h_cli(server.url, token, import, &out, &err), 0);
    unlink(path);
    free(out);
    free(err);
    char *stored =
        h_db_query_super(&db, "SELECT name || '|' || (attributes->>'school') FROM mcred.people"
                              " WHERE email = 'formula@epsilon.example'");
    assert_string_equal(stored, "=HYPERLINK(\"http://evil.example\",\"click\")|@Lincoln");
    free(stored);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ping),        cmocka_unit_test(test_ping_unreachable),
        cmocka_unit_test(test_whoami),      cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_config_file), cmocka_unit_test(test_csv_formulas_round_trip),
    };
    return h_run_tests(tests, setup, teardown);
}
