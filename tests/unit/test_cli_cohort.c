/*
 * test_cli_cohort.c — what the cohort and session verbs check and build
 * without a server: dates and local times, session bodies (a weekly
 * series or one session), cohort table rows and resource paths; and that
 * every verb of the new nouns documents itself in the house style.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "cohort_input.h"
#include "commands.h"

#include "mcred/banned.h"

static void test_dates(void **state)
{
    static const char *const good[] = {"2026-09-08", "2028-02-29", "2000-02-29",
                                       "1900-01-01", "2026-12-31", NULL};
    static const char *const bad[] = {"",
                                      "2026-9-8",
                                      "2026-09-8",
                                      "2026/09/08",
                                      "2026-13-01",
                                      "2026-00-10",
                                      "2026-02-29",
                                      "1900-02-29",
                                      "2026-04-31",
                                      "1899-12-31",
                                      "2026-09-08T17:00",
                                      "+026-09-08",
                                      "2026-09-08 ",
                                      NULL};

    (void)state;
    for (const char *const *d = good; *d; d++)
        if (!cli_date_valid(*d))
            fail_msg("'%s' was refused as a date", *d);
    for (const char *const *d = bad; *d; d++)
        if (cli_date_valid(*d))
            fail_msg("'%s' was taken for a date", *d);
}

static void test_local_times(void **state)
{
    static const char *const good[] = {"2026-09-08T17:00", "2026-09-08T00:00:00",
                                       "2026-12-31T23:59:59", NULL};
    static const char *const bad[] = {"2026-09-08",
                                      "2026-09-08T24:00",
                                      "2026-09-08T17:60",
                                      "2026-09-08 17:00",
                                      "2026-09-08T17:00Z",
                                      "2026-09-08T17:00:60",
                                      "2026-09-08T17:00:0",
                                      "2026-02-30T17:00",
                                      "2026-09-08T7:00",
                                      "2026-09-08T17:00+02:00",
                                      NULL};

    (void)state;
    for (const char *const *t = good; *t; t++)
        if (!cli_local_time_valid(*t))
            fail_msg("'%s' was refused as a local time", *t);
    for (const char *const *t = bad; *t; t++)
        if (cli_local_time_valid(*t))
            fail_msg("'%s' was taken for a local time", *t);
}

static void assert_json(const cJSON *value, const char *expected)
{
    char *text = cJSON_PrintUnformatted(value);

    assert_non_null(text);
    assert_string_equal(text, expected);
    free(text);
}

static void test_session_bodies(void **state)
{
    struct cli_session_spec weekly = {.start = "2026-09-08T17:00", .count = 6};
    struct cli_session_spec one = {.start = "2026-09-15T18:30"};
    cJSON *body;

    (void)state;
    body = cli_session_body(&weekly);
    assert_json(body, "{\"weekly\":{\"first\":\"2026-09-08T17:00\",\"count\":6}}");
    cJSON_Delete(body);
    weekly.modality = "online";
    weekly.duration = 60;
    weekly.title = "ignored for a series";
    weekly.kind = "coaching";
    body = cli_session_body(&weekly);
    assert_json(body, "{\"weekly\":{\"first\":\"2026-09-08T17:00\",\"count\":6,"
                      "\"modality\":\"online\",\"duration_minutes\":60}}");
    cJSON_Delete(body);

    body = cli_session_body(&one);
    assert_json(body, "{\"local_start\":\"2026-09-15T18:30\"}");
    cJSON_Delete(body);
    one.kind = "coaching";
    one.learner = "ana@x.example";
    one.modality = "in_person";
    one.duration = 30;
    one.title = "Check-in";
    body = cli_session_body(&one);
    assert_json(body, "{\"kind\":\"coaching\",\"local_start\":\"2026-09-15T18:30\","
                      "\"learner\":\"ana@x.example\",\"modality\":\"in_person\","
                      "\"duration_minutes\":30,\"title\":\"Check-in\"}");
    cJSON_Delete(body);
    /* --force stands beside either form */
    one.force = true;
    body = cli_session_body(&one);
    assert_json(body, "{\"kind\":\"coaching\",\"local_start\":\"2026-09-15T18:30\","
                      "\"learner\":\"ana@x.example\",\"modality\":\"in_person\","
                      "\"duration_minutes\":30,\"title\":\"Check-in\",\"force\":true}");
    cJSON_Delete(body);
    weekly.force = true;
    body = cli_session_body(&weekly);
    assert_json(body, "{\"weekly\":{\"first\":\"2026-09-08T17:00\",\"count\":6,"
                      "\"modality\":\"online\",\"duration_minutes\":60},\"force\":true}");
    cJSON_Delete(body);
}

static void test_cohort_rows(void **state)
{
    cJSON *items = cJSON_Parse(
        "[{\"id\": \"c1\", \"name\": \"Fall 2026\", \"slug\": \"fall-2026\", \"credential\": "
        "{\"id\": \"x\", \"slug\": "
        "\"equity-excellence\", \"version\": 2, \"title\": \"E\"}, \"starts_on\": \"2026-09-08\","
        " \"ends_on\": \"2026-10-20\", \"timezone\": \"UTC\", \"capacity\": 18, \"status\": "
        "\"planned\", \"learners\": 15, \"waitlisted\": 1, \"coaches\": 2},"
        " {\"id\": \"c2\", \"learners\": 3}]");
    cJSON *rows;

    (void)state;
    assert_non_null(items);
    rows = cli_cohort_rows(items);
    assert_json(
        rows,
        "[{\"name\":\"Fall 2026\",\"slug\":\"fall-2026\",\"status\":\"planned\",\"starts_on\":"
        "\"2026-09-08\",\"ends_on\":\"2026-10-20\",\"credential\":"
        "\"equity-excellence@2\",\"learners\":\"15/18\",\"waitlisted\":1,"
        "\"id\":\"c1\"},"
        "{\"learners\":\"3\",\"id\":\"c2\"}]");
    cJSON_Delete(rows);
    cJSON_Delete(items);
}

static void test_paths(void **state)
{
    struct cli_ctx ctx = {.url = "http://127.0.0.1:1", .out = stdout, .err = stderr};
    struct mc_buf path;

    (void)state;
    mc_buf_init(&path, 2048);
    assert_int_equal(cli_resource_path(&ctx, "/v1/cohorts", "a b/c", "/members", &path),
                     CLI_EXIT_OK);
    assert_string_equal(path.data, "/v1/cohorts/a%20b%2Fc/members");
    mc_buf_reset(&path);
    assert_int_equal(cli_resource_path(&ctx, "/v1/sessions", "s1", NULL, &path), CLI_EXIT_OK);
    assert_string_equal(path.data, "/v1/sessions/s1");
    mc_buf_release(&path);
}

/* Every verb: a summary, and a usage that starts "usage: mcred NOUN VERB", ends in a
 * newline and fits 79 columns. */
static void check_verbs(const char *noun, const struct cli_verb *verbs)
{
    for (const struct cli_verb *v = verbs; v->name; v++) {
        char start[128];
        const char *line;

        (void)snprintf(start, sizeof(start), "usage: mcred %s %s", noun, v->name);
        assert_non_null(v->fn);
        assert_non_null(v->summary);
        assert_non_null(v->usage);
        if (strncmp(v->usage, start, strlen(start)) != 0)
            fail_msg("mcred %s %s: usage starts \"%.40s\"", noun, v->name, v->usage);
        assert_int_equal(v->usage[strlen(v->usage) - 1], '\n');
        for (line = v->usage; *line;) {
            const char *end = strchr(line, '\n');
            size_t columns = 0;

            for (const char *p = line; p < end; p++)
                columns += ((unsigned char)*p & 0xC0) != 0x80; /* code points */
            if (columns > 79)
                fail_msg("mcred %s %s: a usage line is %zu columns: %.*s", noun, v->name, columns,
                         (int)(end - line), line);
            line = end + 1;
        }
    }
}

static void test_verb_tables(void **state)
{
    (void)state;
    check_verbs("credential", credential_verbs);
    check_verbs("cohort", cohort_verbs);
    check_verbs("member", member_verbs);
    check_verbs("session", session_verbs);
    check_verbs("attendance", attendance_verbs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),          cmocka_unit_test(test_local_times),
        cmocka_unit_test(test_session_bodies), cmocka_unit_test(test_cohort_rows),
        cmocka_unit_test(test_paths),          cmocka_unit_test(test_verb_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
