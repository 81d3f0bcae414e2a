/*
 * test_cli_args.c — the verbs' option parser (options in any order, both
 * spellings of a value, repeats, "--", every usage error and its words),
 * KEY=VALUE and number parsing, and query strings with percent-encoding.
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
#include "query.h"

#include "mcred/banned.h"

struct capture {
    char *err_text;
    size_t err_len;
    struct cli_ctx ctx;
};

static void capture_open(struct capture *c)
{
    memset(c, 0, sizeof(*c));
    c->ctx.url = "http://127.0.0.1:1";
    c->ctx.out = stdout;
    c->ctx.err = open_memstream(&c->err_text, &c->err_len);
    assert_non_null(c->ctx.err);
}

/* Close the stream; the caller frees c->err_text. */
static void capture_close(struct capture *c)
{
    assert_int_equal(fclose(c->ctx.err), 0);
}

/* The options of a made-up `people add`, reset for every parse. */
struct add_opts {
    const char *role;
    struct cli_values attrs;
    bool dry_run;
    const char *args[2];
};

static int parse_add(struct add_opts *o, int argc, char **argv, char **out_err)
{
    static const char *const names[] = {"EMAIL", "NAME", NULL};
    const struct cli_option options[] = {
        {.name = "role", .value = &o->role},
        {.name = "attr", .values = &o->attrs},
        {.name = "dry-run", .flag = &o->dry_run},
        {.name = NULL},
    };
    struct capture c;
    int code;

    memset(o, 0, sizeof(*o));
    capture_open(&c);
    code = cli_args_parse(&c.ctx, "people add", argc, argv, options, names, o->args);
    capture_close(&c);
    *out_err = c.err_text;
    return code;
}

#define ARGV(...)          ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...)          ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))
#define PARSE(o, err, ...) parse_add((o), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (err))

static void test_options_anywhere(void **state)
{
    struct add_opts o;
    char *err;

    (void)state;
    assert_int_equal(PARSE(&o, &err, "add", "ana@x.example", "Ana", "--role", "leader"),
                     CLI_EXIT_OK);
    assert_string_equal(err, "");
    free(err);
    assert_string_equal(o.args[0], "ana@x.example");
    assert_string_equal(o.args[1], "Ana");
    assert_string_equal(o.role, "leader");
    assert_false(o.dry_run);
    assert_int_equal(o.attrs.n, 0);

    assert_int_equal(PARSE(&o, &err, "add", "--attr=school=Lincoln", "ana@x.example", "--dry-run",
                           "--role=none", "--attr", "position=principal", "Ana"),
                     CLI_EXIT_OK);
    free(err);
    assert_string_equal(o.args[0], "ana@x.example");
    assert_string_equal(o.args[1], "Ana");
    assert_string_equal(o.role, "none");
    assert_true(o.dry_run);
    assert_int_equal(o.attrs.n, 2);
    assert_string_equal(o.attrs.v[0], "school=Lincoln");
    assert_string_equal(o.attrs.v[1], "position=principal");
}

static void test_values_and_dashes(void **state)
{
    struct add_opts o;
    char *err;

    (void)state;
    /* The word after an option is its value, even when it looks like one. */
    assert_int_equal(PARSE(&o, &err, "add", "--role", "--dry-run", "a@x", "A"), CLI_EXIT_OK);
    free(err);
    assert_string_equal(o.role, "--dry-run");
    assert_false(o.dry_run);
    /* An empty value is a value. */
    assert_int_equal(PARSE(&o, &err, "add", "--role=", "a@x", "A"), CLI_EXIT_OK);
    free(err);
    assert_string_equal(o.role, "");
    /* After "--" everything is positional; a lone "-" always is. */
    assert_int_equal(PARSE(&o, &err, "add", "-", "--", "--role"), CLI_EXIT_OK);
    free(err);
    assert_string_equal(o.args[0], "-");
    assert_string_equal(o.args[1], "--role");
    assert_null(o.role);
    assert_int_equal(PARSE(&o, &err, "add", "--", "-x", "--"), CLI_EXIT_OK);
    free(err);
    assert_string_equal(o.args[0], "-x");
    assert_string_equal(o.args[1], "--");
}

static void test_usage_errors(void **state)
{
    const struct {
        int argc;
        char **argv;
        const char *message;
    } cases[] = {
        {ARGC("add", "a@x"), ARGV("add", "a@x"),
         "mcred: missing argument NAME; see 'mcred people add --help'\n"},
        {ARGC("add"), ARGV("add"),
         "mcred: missing argument EMAIL; see 'mcred people add --help'\n"},
        {ARGC("add", "a", "b", "c"), ARGV("add", "a", "b", "c"),
         "mcred: unexpected argument 'c'; see 'mcred people add --help'\n"},
        {ARGC("add", "a", "b", "--rol", "x"), ARGV("add", "a", "b", "--rol", "x"),
         "mcred: unknown option '--rol' for 'mcred people add'; see 'mcred people add --help'\n"},
        {ARGC("add", "a", "b", "-r"), ARGV("add", "a", "b", "-r"),
         "mcred: unknown option '-r' for 'mcred people add'; see 'mcred people add --help'\n"},
        {ARGC("add", "a", "b", "--role"), ARGV("add", "a", "b", "--role"),
         "mcred: option '--role' needs a value; see 'mcred people add --help'\n"},
        {ARGC("add", "a", "b", "--dry-run=yes"), ARGV("add", "a", "b", "--dry-run=yes"),
         "mcred: option '--dry-run' takes no value; see 'mcred people add --help'\n"},
        {ARGC("add", "a", "b", "--role", "x", "--role=y"),
         ARGV("add", "a", "b", "--role", "x", "--role=y"),
         "mcred: option '--role' given twice; see 'mcred people add --help'\n"},
        /* A global flag after the command says where it belongs. */
        {ARGC("add", "a", "b", "--json"), ARGV("add", "a", "b", "--json"),
         "mcred: global option '--json' must come before the command; see 'mcred --help'\n"},
        {ARGC("add", "a", "b", "--token=secret"), ARGV("add", "a", "b", "--token=secret"),
         "mcred: global option '--token' must come before the command; see 'mcred --help'\n"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct add_opts o;
        char *err;

        o.args[0] = "untouched";
        assert_int_equal(parse_add(&o, cases[i].argc, cases[i].argv, &err), CLI_EXIT_USAGE);
        assert_string_equal(err, cases[i].message);
        free(err);
    }
}

static void test_outputs_untouched_on_error(void **state)
{
    static const char *const names[] = {"ID", NULL};
    const char *args[1] = {"keep"};
    struct capture c;
    char *argv[] = {"show", "x", "y", NULL};

    (void)state;
    capture_open(&c);
    assert_int_equal(cli_args_parse(&c.ctx, "people show", 3, argv, NULL, names, args),
                     CLI_EXIT_USAGE);
    capture_close(&c);
    assert_string_equal(args[0], "keep");
    free(c.err_text);
}

static void test_repeat_limit(void **state)
{
    static char word[] = "--attr=k=v";
    char *argv[CLI_ARGS_MAX_REPEAT + 3];
    struct cli_values attrs = {.n = 0};
    const struct cli_option options[] = {{.name = "attr", .values = &attrs}, {.name = NULL}};
    struct capture c;
    int argc = 1;

    (void)state;
    argv[0] = "list";
    for (int i = 0; i < CLI_ARGS_MAX_REPEAT; i++)
        argv[argc++] = word;
    argv[argc] = NULL;
    capture_open(&c);
    assert_int_equal(cli_args_parse(&c.ctx, "people list", argc, argv, options, NULL, NULL),
                     CLI_EXIT_OK);
    assert_int_equal(attrs.n, CLI_ARGS_MAX_REPEAT);

    attrs.n = 0;
    argv[argc++] = word;
    argv[argc] = NULL;
    assert_int_equal(cli_args_parse(&c.ctx, "people list", argc, argv, options, NULL, NULL),
                     CLI_EXIT_USAGE);
    capture_close(&c);
    assert_non_null(strstr(c.err_text, "option '--attr' given more than 64 times"));
    free(c.err_text);
}

static void test_no_options_no_args(void **state)
{
    struct capture c;
    char *argv[] = {"list", NULL};
    char *argv2[] = {"list", "--all", NULL};

    (void)state;
    capture_open(&c);
    assert_int_equal(cli_args_parse(&c.ctx, "token list", 1, argv, NULL, NULL, NULL), CLI_EXIT_OK);
    assert_int_equal(cli_args_parse(&c.ctx, "token list", 2, argv2, NULL, NULL, NULL),
                     CLI_EXIT_USAGE);
    capture_close(&c);
    assert_string_equal(c.err_text,
                        "mcred: unknown option '--all' for 'mcred token list'; see 'mcred token "
                        "list --help'\n");
    free(c.err_text);
}

static void test_pair_split(void **state)
{
    size_t len = 99;
    const char *value = "untouched";

    (void)state;
    assert_true(cli_pair_split("school=Lincoln Elementary", &len, &value));
    assert_int_equal(len, 6);
    assert_string_equal(value, "Lincoln Elementary");
    assert_true(cli_pair_split("a=b=c", &len, &value));
    assert_int_equal(len, 1);
    assert_string_equal(value, "b=c");
    assert_true(cli_pair_split("empty=", &len, &value));
    assert_int_equal(len, 5);
    assert_string_equal(value, "");

    len = 99;
    value = "untouched";
    assert_false(cli_pair_split("school", &len, &value));
    assert_false(cli_pair_split("=value", &len, &value));
    assert_false(cli_pair_split("", &len, &value));
    assert_int_equal(len, 99);
    assert_string_equal(value, "untouched");
}

static void test_number_parse(void **state)
{
    long n = 7;

    (void)state;
    assert_true(cli_number_parse("1", 1, 500, &n));
    assert_int_equal(n, 1);
    assert_true(cli_number_parse("500", 1, 500, &n));
    assert_int_equal(n, 500);
    assert_true(cli_number_parse("-3", -5, 5, &n));
    assert_int_equal(n, -3);

    n = 7;
    assert_false(cli_number_parse("0", 1, 500, &n));
    assert_false(cli_number_parse("501", 1, 500, &n));
    assert_false(cli_number_parse("", 1, 500, &n));
    assert_false(cli_number_parse(" 5", 1, 500, &n));
    assert_false(cli_number_parse("+5", 1, 500, &n));
    assert_false(cli_number_parse("5x", 1, 500, &n));
    assert_false(cli_number_parse("5 ", 1, 500, &n));
    assert_false(cli_number_parse("-", -5, 5, &n));
    assert_false(cli_number_parse("99999999999999999999999", 1, 500, &n));
    assert_false(cli_number_parse(NULL, 1, 500, &n));
    assert_int_equal(n, 7);
}

static void test_query(void **state)
{
    struct mc_buf url;

    (void)state;
    mc_buf_init(&url, 2048);
    assert_int_equal(mc_buf_appends(&url, "/v1/people"), MC_OK);
    assert_int_equal(cli_query_add(&url, "q", "Ana Ruiz"), MC_OK);
    assert_string_equal(url.data, "/v1/people?q=Ana%20Ruiz");
    assert_int_equal(cli_query_add(&url, "email", "a+b@x.example"), MC_OK);
    assert_string_equal(url.data, "/v1/people?q=Ana%20Ruiz&email=a%2Bb%40x.example");
    assert_int_equal(
        cli_query_add_prefixed(&url, "attr.", "school=Lincoln & Co", 6, "Lincoln & Co/#1?"), MC_OK);
    assert_string_equal(url.data, "/v1/people?q=Ana%20Ruiz&email=a%2Bb%40x.example"
                                  "&attr.school=Lincoln%20%26%20Co%2F%231%3F");

    /* Everything outside A-Z a-z 0-9 - . _ ~ is encoded, UTF-8 byte by byte. */
    mc_buf_reset(&url);
    assert_int_equal(mc_buf_appends(&url, "/v1/tokens"), MC_OK);
    assert_int_equal(cli_query_add(&url, "after", "Zo\xC3\xAB=;,+ ~._-\r\n"), MC_OK);
    assert_string_equal(url.data, "/v1/tokens?after=Zo%C3%AB%3D%3B%2C%2B%20~._-%0D%0A");
    assert_int_equal(cli_query_add(&url, "limit", ""), MC_OK);
    assert_string_equal(url.data + strlen(url.data) - 7, "&limit=");

    assert_int_equal(cli_query_add(&url, "", "x"), MC_ERR_INVALID);
    mc_buf_release(&url);

    /* Past the ceiling: TOO_LARGE, as for any mc_buf. */
    mc_buf_init(&url, 16);
    assert_int_equal(mc_buf_appends(&url, "/v1/people"), MC_OK);
    assert_int_equal(cli_query_add(&url, "q", "far too long"), MC_ERR_TOO_LARGE);
    mc_buf_release(&url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_anywhere),
        cmocka_unit_test(test_values_and_dashes),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_outputs_untouched_on_error),
        cmocka_unit_test(test_repeat_limit),
        cmocka_unit_test(test_no_options_no_args),
        cmocka_unit_test(test_pair_split),
        cmocka_unit_test(test_number_parse),
        cmocka_unit_test(test_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
