/*
 * test_cli_member.c — what `mcred member` builds and says without a
 * server: verbs that take a list of arguments (PERSON...), the body that
 * enrols people by e-mail or id, and the cohort roster import's summary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"
#include "cli.h"
#include "cohort_input.h"
#include "roster_report.h"

#include "mcred/banned.h"

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))

/* The options and arguments of a made-up `member add`, reset for every parse. */
struct add_opts {
    const char *role;
    const char *args[1];
    const char *people[3];
    struct cli_rest rest;
};

static int parse_add(struct add_opts *o, size_t min, int argc, char **argv, char **out_err)
{
    static const char *const names[] = {"COHORT", NULL};
    const struct cli_option options[] = {
        {.name = "role", .value = &o->role},
        {.name = NULL},
    };
    struct cli_ctx ctx = {.url = "http://127.0.0.1:1", .out = stdout};
    size_t len = 0;
    int code;

    memset(o, 0, sizeof(*o));
    o->rest = (struct cli_rest){.name = "PERSON", .min = min, .max = 3, .v = o->people};
    ctx.err = open_memstream(out_err, &len);
    assert_non_null(ctx.err);
    code = cli_args_parse_rest(&ctx, "member add", argc, argv, options, names, o->args, &o->rest);
    assert_int_equal(fclose(ctx.err), 0);
    return code;
}

#define PARSE(o, min, err, ...) parse_add((o), (min), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (err))

static void test_rest(void **state)
{
    struct add_opts o;
    char *err;

    (void)state;
    /* Named arguments first, then the list; options anywhere. */
    assert_int_equal(PARSE(&o, 1, &err, "add", "c1", "a@x", "--role", "coach", "b@x"), CLI_EXIT_OK);
    assert_string_equal(err, "");
    free(err);
    assert_string_equal(o.args[0], "c1");
    assert_int_equal(o.rest.n, 2);
    assert_string_equal(o.people[0], "a@x");
    assert_string_equal(o.people[1], "b@x");
    assert_string_equal(o.role, "coach");
    /* After "--", words that look like options are arguments. */
    assert_int_equal(PARSE(&o, 1, &err, "add", "--", "c1", "-x", "--role"), CLI_EXIT_OK);
    free(err);
    assert_int_equal(o.rest.n, 2);
    assert_string_equal(o.people[1], "--role");
    assert_null(o.role);
    /* min 0: the list may be empty. */
    assert_int_equal(PARSE(&o, 0, &err, "add", "c1"), CLI_EXIT_OK);
    free(err);
    assert_int_equal(o.rest.n, 0);

    const struct {
        int argc;
        char **argv;
        const char *message;
    } cases[] = {
        {ARGC("add"), ARGV("add"),
         "mcred: missing argument COHORT; see 'mcred member add --help'\n"},
        {ARGC("add", "c1"), ARGV("add", "c1"),
         "mcred: missing argument PERSON; see 'mcred member add --help'\n"},
        {ARGC("add", "c1", "a", "b", "c", "d"), ARGV("add", "c1", "a", "b", "c", "d"),
         "mcred: at most 3 PERSON arguments; see 'mcred member add --help'\n"},
        {ARGC("add", "c1", "a", "--coach", "x"), ARGV("add", "c1", "a", "--coach", "x"),
         "mcred: unknown option '--coach' for 'mcred member add'; see 'mcred member add "
         "--help'\n"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        o.args[0] = "untouched";
        assert_int_equal(parse_add(&o, 1, cases[i].argc, cases[i].argv, &err), CLI_EXIT_USAGE);
        assert_string_equal(err, cases[i].message);
        free(err);
    }
}

static void test_rest_of_one(void **state)
{
    static const char *const names[] = {"COHORT", "LEARNER", NULL};
    const char *args[2];
    const char *coach[1] = {NULL};
    struct cli_rest rest = {.name = "COACH", .min = 0, .max = 1, .v = coach};
    struct cli_ctx ctx = {.url = "http://127.0.0.1:1", .out = stdout};
    char *err = NULL;
    size_t len = 0;

    (void)state;
    ctx.err = open_memstream(&err, &len);
    assert_non_null(ctx.err);
    /* With room for one, a second is "unexpected", as for a verb without a list. */
    assert_int_equal(cli_args_parse_rest(&ctx, "member coach", ARGC("coach", "c", "l", "x", "y"),
                                         ARGV("coach", "c", "l", "x", "y"), NULL, names, args,
                                         &rest),
                     CLI_EXIT_USAGE);
    assert_int_equal(fclose(ctx.err), 0);
    assert_string_equal(err, "mcred: unexpected argument 'y'; see 'mcred member coach --help'\n");
    free(err);
}

static void assert_json(const cJSON *value, const char *expected)
{
    char *text = cJSON_PrintUnformatted(value);

    assert_non_null(text);
    assert_string_equal(text, expected);
    free(text);
}

static void test_members_body(void **state)
{
    static const char *const people[] = {"ana@x.example", "6f1c2a8e-1d2b-4c3d-8e9f-0a1b2c3d4e5f"};
    cJSON *body;

    (void)state;
    body = cli_members_body(people, 2, NULL, NULL);
    assert_json(body, "{\"members\":[{\"email\":\"ana@x.example\"},"
                      "{\"person\":\"6f1c2a8e-1d2b-4c3d-8e9f-0a1b2c3d4e5f\"}]}");
    cJSON_Delete(body);
    body = cli_members_body(people, 1, "learner", "coach@x.example");
    assert_json(body, "{\"members\":[{\"email\":\"ana@x.example\",\"role\":\"learner\","
                      "\"coach\":\"coach@x.example\"}]}");
    cJSON_Delete(body);
}

static void assert_summary(const char *answer, const char *expected)
{
    cJSON *a = cJSON_Parse(answer);
    struct mc_buf b;

    assert_non_null(a);
    mc_buf_init(&b, 512);
    assert_int_equal(cli_roster_member_summary(a, &b), MC_OK);
    assert_string_equal(b.data, expected);
    mc_buf_release(&b);
    cJSON_Delete(a);
}

static void test_import_summary(void **state)
{
    (void)state;
    assert_summary("{\"dry_run\": false, \"rows\": 17, \"people_created\": 16, "
                   "\"people_updated\": 1, \"enrolled\": 17, \"waitlisted\": 0, "
                   "\"unchanged\": 0, \"errors\": []}",
                   "imported 17 rows: 16 people created, 1 updated; 17 enrolled, 0 waitlisted, "
                   "0 already in the cohort");
    assert_summary("{\"dry_run\": true, \"rows\": 1, \"people_created\": 1, "
                   "\"people_updated\": 0, \"enrolled\": 0, \"waitlisted\": 1, \"unchanged\": 0}",
                   "dry run: would import 1 row: 1 person created, 0 updated; 0 enrolled, "
                   "1 waitlisted, 0 already in the cohort");
    assert_summary("{\"rows\": 2, \"unchanged\": 2, \"people_created\": -1}",
                   "imported 2 rows: 0 people created, 0 updated; 0 enrolled, 0 waitlisted, "
                   "2 already in the cohort");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rest),
        cmocka_unit_test(test_rest_of_one),
        cmocka_unit_test(test_members_body),
        cmocka_unit_test(test_import_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
