/*
 * test_cli_dispatch.c — the command and verb tables: dispatch, --help and
 * `help` at every level, unknown commands, verbs and options.  Runs
 * cli_main() and cli_dispatch_verbs() on test tables.
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

#include "mcred/banned.h"

/* What the last verb or command function saw. */
static struct {
    const char *name;
    int argc;
    char argv1[64];
    enum cli_format format;
    int calls;
} seen;

static int record(const struct cli_ctx *ctx, int argc, char **argv)
{
    seen.name = argv[0];
    seen.argc = argc;
    (void)snprintf(seen.argv1, sizeof(seen.argv1), "%s", argc > 1 ? argv[1] : "");
    seen.format = ctx->format;
    seen.calls++;
    return CLI_EXIT_OK;
}

static int fails_not_found(const struct cli_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error(ctx, "no cohort c_9");
    return CLI_EXIT_NOT_FOUND;
}

static int takes_nothing(const struct cli_ctx *ctx, int argc, char **argv)
{
    int code = cli_args_none(ctx, "cohort close", argc, argv);
    if (code == CLI_EXIT_OK)
        seen.calls++;
    return code;
}

static const struct cli_verb cohort_verbs[] = {
    {.name = "list",
     .fn = record,
     .summary = "list the cohorts",
     .usage = "usage: mcred cohort list [--status STATUS]\n"},
    {.name = "show",
     .fn = fails_not_found,
     .summary = "show one cohort",
     .usage = "usage: mcred cohort show COHORT\n"},
    {.name = "close",
     .fn = takes_nothing,
     .summary = "close a cohort",
     .usage = "usage: mcred cohort close\n"},
    {.name = NULL},
};

/* A usage that names a COHORT gets the note on how cohorts may be named. */
#define SHOW_HELP                                                                                  \
    "usage: mcred cohort show COHORT\n"                                                            \
    "\n"                                                                                           \
    "COHORT is the cohort's id, its slug (spring-2027) or its name (\"Spring 2027\",\n"            \
    "any case; quote names with spaces); `mcred cohort list` shows them.\n"

static const struct cli_command commands[] = {
    {.name = "cohort",
     .verbs = cohort_verbs,
     .flags = CLI_NEED_SERVER,
     .summary = "create, list and close cohorts"},
    {.name = "hello", .fn = record, .summary = "say hello", .usage = "usage: mcred hello [NAME]\n"},
    {.name = "version",
     .fn = record,
     .summary = "print the version",
     .usage = "usage: mcred version\n"},
    {.name = NULL},
};

struct result {
    int code;
    char *out;
    char *err;
};

static struct result run_main(int argc, char **argv)
{
    struct result r = {0};
    size_t out_len = 0, err_len = 0;
    FILE *out = open_memstream(&r.out, &out_len);
    FILE *err = open_memstream(&r.err, &err_len);

    assert_non_null(out);
    assert_non_null(err);
    memset(&seen, 0, sizeof(seen));
    r.code = cli_main(argc, argv, commands, out, err);
    (void)fclose(out);
    (void)fclose(err);
    return r;
}

static struct result run_verbs(int argc, char **argv)
{
    struct result r = {0};
    size_t out_len = 0, err_len = 0;
    struct cli_ctx ctx = {.url = "http://127.0.0.1:9", .format = CLI_FORMAT_TABLE};

    ctx.out = open_memstream(&r.out, &out_len);
    ctx.err = open_memstream(&r.err, &err_len);
    assert_non_null(ctx.out);
    assert_non_null(ctx.err);
    memset(&seen, 0, sizeof(seen));
    r.code = cli_dispatch_verbs(&ctx, "cohort", cohort_verbs, argc, argv);
    (void)fclose(ctx.out);
    (void)fclose(ctx.err);
    return r;
}

static void result_free(struct result *r)
{
    free(r->out);
    free(r->err);
}

static const char noun_help[] = "usage: mcred cohort <verb> [args]\n"
                                "\n"
                                "Verbs:\n"
                                "  list   list the cohorts\n"
                                "  show   show one cohort\n"
                                "  close  close a cohort\n"
                                "\n"
                                "Run 'mcred cohort <verb> --help' for a verb's arguments.\n";

static void test_verbs_run(void **state)
{
    (void)state;
    char *argv[] = {"cohort", "list", "--status", "active", NULL};
    struct result r = run_verbs(4, argv);
    assert_int_equal(r.code, CLI_EXIT_OK);
    assert_int_equal(seen.calls, 1);
    assert_string_equal(seen.name, "list");
    assert_int_equal(seen.argc, 3);
    assert_string_equal(seen.argv1, "--status");
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "");
    result_free(&r);

    char *argv2[] = {"cohort", "show", "c_9", NULL};
    r = run_verbs(3, argv2);
    assert_int_equal(r.code, CLI_EXIT_NOT_FOUND);
    assert_string_equal(r.err, "mcred: no cohort c_9\n");
    result_free(&r);
}

static void test_verbs_help(void **state)
{
    static const struct {
        int argc;
        char *argv[4];
        const char *out;
    } cases[] = {
        {2, {"cohort", "--help"}, noun_help},
        {2, {"cohort", "-h"}, noun_help},
        {2, {"cohort", "help"}, noun_help},
        {3, {"cohort", "help", "show"}, SHOW_HELP},
        {3, {"cohort", "list", "--help"}, "usage: mcred cohort list [--status STATUS]\n"},
        {4, {"cohort", "list", "--status", "-h"}, "usage: mcred cohort list [--status STATUS]\n"},
        {3, {"cohort", "show", "help"}, SHOW_HELP},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct result r = run_verbs(cases[i].argc, (char **)cases[i].argv);
        assert_int_equal(r.code, CLI_EXIT_OK);
        assert_string_equal(r.out, cases[i].out);
        assert_string_equal(r.err, "");
        assert_int_equal(seen.calls, 0); /* help never runs the verb */
        result_free(&r);
    }
}

static void test_verbs_usage_errors(void **state)
{
    static const struct {
        int argc;
        char *argv[4];
        const char *err;
    } cases[] = {
        {2,
         {"cohort", "frob"},
         "mcred: 'frob' is not a verb of 'mcred cohort'; see 'mcred cohort --help'\n"},
        {3,
         {"cohort", "help", "frob"},
         "mcred: 'frob' is not a verb of 'mcred cohort'; see 'mcred cohort --help'\n"},
        {2,
         {"cohort", "--all"},
         "mcred: unknown option '--all' for 'mcred cohort'; see 'mcred cohort --help'\n"},
        {2,
         {"cohort", "--json"},
         "mcred: global option '--json' must come before the command; see 'mcred --help'\n"},
        {3,
         {"cohort", "close", "c_1"},
         "mcred: 'mcred cohort close' takes no arguments; see 'mcred cohort close --help'\n"},
        {3,
         {"cohort", "close", "--force"},
         "mcred: unknown option '--force' for 'mcred cohort close'; see 'mcred cohort close "
         "--help'\n"},
        {3,
         {"cohort", "close", "--url=http://x"},
         "mcred: global option '--url' must come before the command; see 'mcred --help'\n"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct result r = run_verbs(cases[i].argc, (char **)cases[i].argv);
        assert_int_equal(r.code, CLI_EXIT_USAGE);
        assert_string_equal(r.err, cases[i].err);
        assert_string_equal(r.out, "");
        assert_int_equal(seen.calls, 0);
        result_free(&r);
    }

    /* No verb: the noun's help, on stderr, and a usage error. */
    char *argv[] = {"cohort", NULL};
    struct result r = run_verbs(1, argv);
    assert_int_equal(r.code, CLI_EXIT_USAGE);
    assert_string_equal(r.err, noun_help);
    assert_string_equal(r.out, "");
    result_free(&r);
}

static void test_main_dispatch(void **state)
{
    (void)state;
    unsetenv("MCRED_URL");
    unsetenv("MCRED_TOKEN");
    setenv("XDG_CONFIG_HOME", "/nonexistent-mcred-test", 1);

    char *a1[] = {"mcred", "--json", "hello", "world", NULL};
    struct result r = run_main(4, a1);
    assert_int_equal(r.code, CLI_EXIT_OK);
    assert_string_equal(seen.name, "hello");
    assert_string_equal(seen.argv1, "world");
    assert_int_equal(seen.format, CLI_FORMAT_JSON);
    result_free(&r);

    char *a2[] = {"mcred", "--csv", "cohort", "list", NULL};
    r = run_main(4, a2);
    assert_int_equal(r.code, CLI_EXIT_OK);
    assert_string_equal(seen.name, "list");
    assert_int_equal(seen.format, CLI_FORMAT_CSV);
    result_free(&r);

    /* --version runs the version command. */
    char *a3[] = {"mcred", "--version", NULL};
    r = run_main(2, a3);
    assert_int_equal(r.code, CLI_EXIT_OK);
    assert_string_equal(seen.name, "version");
    result_free(&r);
}

static void test_main_help(void **state)
{
    (void)state;
    char *a1[] = {"mcred", "--help", NULL};
    struct result r = run_main(2, a1);
    assert_int_equal(r.code, CLI_EXIT_OK);
    assert_non_null(strstr(r.out, "usage: mcred [--url URL] [--token TOKEN] [--json | --csv]"));
    assert_non_null(strstr(r.out, "  cohort   create, list and close cohorts\n"));
    assert_non_null(strstr(r.out, "  hello    say hello\n"));
    assert_non_null(strstr(r.out, "MCRED_URL, MCRED_TOKEN"));
    assert_non_null(strstr(r.out, "~/.config/mcred/config"));
    assert_non_null(strstr(r.out, "--json"));
    assert_string_equal(r.err, "");
    char *general = r.out;
    free(r.err);

    char *a2[] = {"mcred", "help", NULL};
    r = run_main(2, a2);
    assert_int_equal(r.code, CLI_EXIT_OK);
    assert_string_equal(r.out, general);
    result_free(&r);

    /* No command: the same help, on stderr, exit 2. */
    char *a3[] = {"mcred", "--json", NULL};
    r = run_main(2, a3);
    assert_int_equal(r.code, CLI_EXIT_USAGE);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, general);
    result_free(&r);
    free(general);

    static const struct {
        int argc;
        char *argv[4];
        const char *out;
    } cases[] = {
        {3, {"mcred", "hello", "--help"}, "usage: mcred hello [NAME]\n"},
        {3, {"mcred", "hello", "-h"}, "usage: mcred hello [NAME]\n"},
        {3, {"mcred", "help", "hello"}, "usage: mcred hello [NAME]\n"},
        {3, {"mcred", "cohort", "--help"}, noun_help},
        {3, {"mcred", "help", "cohort"}, noun_help},
        {4, {"mcred", "help", "cohort", "show"}, SHOW_HELP},
        {4, {"mcred", "cohort", "show", "--help"}, SHOW_HELP},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        r = run_main(cases[i].argc, (char **)cases[i].argv);
        assert_int_equal(r.code, CLI_EXIT_OK);
        assert_string_equal(r.out, cases[i].out);
        assert_string_equal(r.err, "");
        assert_int_equal(seen.calls, 0);
        result_free(&r);
    }
}

static void test_main_usage_errors(void **state)
{
    static const struct {
        int argc;
        char *argv[4];
        const char *err;
    } cases[] = {
        {2, {"mcred", "frob"}, "mcred: 'frob' is not a mcred command; see 'mcred --help'\n"},
        {3,
         {"mcred", "help", "frob"},
         "mcred: 'frob' is not a mcred command; see 'mcred --help'\n"},
        {3, {"mcred", "--frob", "hello"}, "mcred: unknown option '--frob'; see 'mcred --help'\n"},
        {4,
         {"mcred", "--json", "--csv", "hello"},
         "mcred: --json and --csv cannot be used together; see 'mcred --help'\n"},
        {2, {"mcred", "--token"}, "mcred: --token needs a value; see 'mcred --help'\n"},
        {3,
         {"mcred", "cohort", "frob"},
         "mcred: 'frob' is not a verb of 'mcred cohort'; see 'mcred cohort --help'\n"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct result r = run_main(cases[i].argc, (char **)cases[i].argv);
        assert_int_equal(r.code, CLI_EXIT_USAGE);
        assert_string_equal(r.err, cases[i].err);
        assert_string_equal(r.out, "");
        assert_int_equal(seen.calls, 0);
        result_free(&r);
    }
}

static void test_args_want_help(void **state)
{
    (void)state;
    char *a[] = {"x", "help", NULL};
    assert_true(cli_args_want_help(2, a));
    char *b[] = {"x", "a", "--help", NULL};
    assert_true(cli_args_want_help(3, b));
    char *c[] = {"x", "a", "help", NULL}; /* "help" only first */
    assert_false(cli_args_want_help(3, c));
    char *d[] = {"x", "--", "-h", NULL}; /* after "--" it is an argument */
    assert_false(cli_args_want_help(3, d));
    char *e[] = {"x", NULL};
    assert_false(cli_args_want_help(1, e));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verbs_run),          cmocka_unit_test(test_verbs_help),
        cmocka_unit_test(test_verbs_usage_errors), cmocka_unit_test(test_main_dispatch),
        cmocka_unit_test(test_main_help),          cmocka_unit_test(test_main_usage_errors),
        cmocka_unit_test(test_args_want_help),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
