/*
 * test_cli_score.c — `mcred score` without a server: which form the
 * arguments ask for (a score, import or list), the usage errors and help
 * of each form through cli_main() with the real command, the request
 * item, the server's item fields mapped back to rows, and the score file
 * reader (columns in any order, optional feedback, quoting, blank rows,
 * every row error with its row number, duplicates, the bounds).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "commands.h"
#include "roster_report.h"
#include "score_input.h"

#include "mcred/banned.h"

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))

static void assert_json(const cJSON *value, const char *expected)
{
    char *text = cJSON_PrintUnformatted(value);

    assert_non_null(text);
    assert_string_equal(text, expected);
    free(text);
}

/* ---- the forms ---- */

static void test_form(void **state)
{
    (void)state;
    assert_int_equal(cli_score_form(ARGC("score", "c1", "ana@x.example", "1.2", "3"),
                                    ARGV("score", "c1", "ana@x.example", "1.2", "3")),
                     CLI_SCORE_RECORD);
    assert_int_equal(cli_score_form(ARGC("score", "import", "c1", "f.csv"),
                                    ARGV("score", "import", "c1", "f.csv")),
                     CLI_SCORE_IMPORT);
    assert_int_equal(cli_score_form(ARGC("score", "list", "c1"), ARGV("score", "list", "c1")),
                     CLI_SCORE_LIST);
    /* Only the first argument decides; an option first means a score. */
    assert_int_equal(cli_score_form(ARGC("score", "c1", "list"), ARGV("score", "c1", "list")),
                     CLI_SCORE_RECORD);
    assert_int_equal(cli_score_form(ARGC("score", "--feedback", "import", "c1", "p", "1.1", "2"),
                                    ARGV("score", "--feedback", "import", "c1", "p", "1.1", "2")),
                     CLI_SCORE_RECORD);
    assert_int_equal(cli_score_form(ARGC("score", "Import"), ARGV("score", "Import")),
                     CLI_SCORE_RECORD);
    assert_int_equal(cli_score_form(1, ARGV("score")), CLI_SCORE_RECORD);
}

/* ---- through cli_main, with the real command ---- */

static const struct cli_command commands[] = {
    {.name = "score",
     .fn = cmd_score,
     .flags = CLI_NEED_SERVER,
     .summary = "score",
     .usage = cmd_score_usage},
    {.name = NULL},
};

struct result {
    int code;
    char *out;
    char *err;
};

static struct result run(int argc, char **argv)
{
    struct result r = {0};
    size_t out_len = 0, err_len = 0;
    FILE *out = open_memstream(&r.out, &out_len);
    FILE *err = open_memstream(&r.err, &err_len);

    assert_non_null(out);
    assert_non_null(err);
    r.code = cli_main(argc, argv, commands, out, err);
    (void)fclose(out);
    (void)fclose(err);
    return r;
}

#define RUN(...) run(ARGC("mcred", __VA_ARGS__), ARGV("mcred", __VA_ARGS__))

static void result_free(struct result *r)
{
    free(r->out);
    free(r->err);
}

/* Nothing below reaches the network: every one is refused first. */
static int env_setup(void **state)
{
    (void)state;
    setenv("MCRED_URL", "http://127.0.0.1:9", 1);
    unsetenv("MCRED_TOKEN");
    setenv("XDG_CONFIG_HOME", "/nonexistent-mcred-test", 1);
    return 0;
}

static void expect_usage(struct result r, const char *message)
{
    if (r.code != CLI_EXIT_USAGE || !strstr(r.err, message))
        fail_msg("exit %d, want 2 with '%s'; stderr: %s", r.code, message, r.err);
    assert_string_equal(r.out, "");
    result_free(&r);
}

static void test_help(void **state)
{
    static const char *const forms[] = {
        "usage: mcred score COHORT PERSON INDICATOR LEVEL",
        "mcred score import COHORT FILE.csv",
        "mcred score list COHORT [--learner PERSON] [--history]",
        "email,indicator,level,feedback",
        NULL,
    };
    struct result r;

    (void)state;
    /* --help after any form, and `help score`, show every form. */
    char **cases[] = {ARGV("mcred", "score", "--help"), ARGV("mcred", "score", "import", "-h"),
                      ARGV("mcred", "score", "list", "c1", "--help"),
                      ARGV("mcred", "help", "score")};
    int counts[] = {3, 4, 5, 3};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        r = run(counts[i], cases[i]);
        assert_int_equal(r.code, CLI_EXIT_OK);
        for (const char *const *f = forms; *f; f++)
            if (!strstr(r.out, *f))
                fail_msg("help %zu lacks '%s':\n%s", i, *f, r.out);
        assert_string_equal(r.err, "");
        result_free(&r);
    }
    /* No arguments: the usage on stderr, exit 2. */
    r = RUN("score");
    assert_int_equal(r.code, CLI_EXIT_USAGE);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "usage: mcred score COHORT PERSON INDICATOR LEVEL"));
    result_free(&r);
}

static void test_usage_errors(void **state)
{
    (void)state;
    /* A score */
    expect_usage(RUN("score", "c1", "ana@x.example", "1.2"), "missing argument LEVEL");
    expect_usage(RUN("score", "c1", "ana@x.example"), "missing argument INDICATOR");
    expect_usage(RUN("score", "c1", "ana@x.example", "1.2", "3", "4"), "unexpected argument '4'");
    expect_usage(RUN("score", "c1", "ana@x.example", "1 2", "3"),
                 "'1 2' is not an indicator code like 1.2");
    /* numbers and labels go to the server, which knows the rubric; only what
       cannot be a level is refused here */
    expect_usage(RUN("score", "c1", "ana@x.example", "1.2", ""), "'' is not a level");
    expect_usage(RUN("score", "c1", "ana@x.example", "1.2", " 3"), "' 3' is not a level");
    expect_usage(RUN("score", "c1", "ana@x.example", "1.2", "Pro\tficient"),
                 "is not a level: give the rubric level's number or label");
    expect_usage(RUN("score", "c1", "ana@x.example", "1.2", "3", "--evidence", ""),
                 "--evidence needs an evidence id");
    expect_usage(RUN("score", "c1", "ana@x.example", "1.2", "3", "--history"),
                 "unknown option '--history' for 'mcred score'");
    expect_usage(RUN("score", "c1", "ana@x.example", "1.2", "3", "--json"),
                 "global option '--json' must come before the command");
    /* import */
    expect_usage(RUN("score", "import"),
                 "missing argument COHORT; see 'mcred score import --help'");
    expect_usage(RUN("score", "import", "c1"), "missing argument FILE");
    expect_usage(RUN("score", "import", "c1", "f.csv", "g.csv"), "unexpected argument 'g.csv'");
    expect_usage(RUN("score", "import", "c1", "f.csv", "--feedback", "x"),
                 "unknown option '--feedback' for 'mcred score import'");
    /* list */
    expect_usage(RUN("score", "list"), "missing argument COHORT; see 'mcred score list --help'");
    expect_usage(RUN("score", "list", "c1", "c2"), "unexpected argument 'c2'");
    expect_usage(RUN("score", "list", "c1", "--level", "3"),
                 "unknown option '--level' for 'mcred score list'");
}

/* A file that cannot be read fails before any request: exit 1, nothing on stdout. */
static void test_import_unreadable(void **state)
{
    struct result r;

    (void)state;
    r = RUN("score", "import", "c1", "/nonexistent-mcred-test/scores.csv");
    assert_int_equal(r.code, CLI_EXIT_ERROR);
    assert_non_null(strstr(r.err, "could not open /nonexistent-mcred-test/scores.csv"));
    assert_string_equal(r.out, "");
    result_free(&r);
}

/* A broken file is reported row by row, and nothing is sent (the URL is a closed port). */
static void test_import_bad_file(void **state)
{
    char path[] = "/tmp/mcred-test-scores.XXXXXX";
    static const char text[] = "email,indicator,level\n"
                               "ana@x.example,1.1,3\n"
                               "bo@x.example,1.1,\"Pro\tficient\"\n";
    int fd = mkstemp(path);
    struct result r;

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
    (void)close(fd);
    r = RUN("score", "import", "c1", path);
    (void)unlink(path);
    assert_int_equal(r.code, CLI_EXIT_ERROR);
    if (!strstr(r.err, "row 3, level: \"Pro ficient\" is not a level: give the rubric level's "
                       "number or label, like 3 or Proficient\n") ||
        !strstr(r.err, "has 1 error; nothing was sent\n") || strstr(r.err, "could not reach"))
        fail_msg("stderr: %s", r.err);
    assert_string_equal(r.out, "");
    result_free(&r);
}

/* ---- items ---- */

static void test_item(void **state)
{
    cJSON *item;

    (void)state;
    item = cli_score_item("ana@x.example", "1.2", "3", NULL, NULL);
    assert_json(item, "{\"learner\":\"ana@x.example\",\"indicator\":\"1.2\",\"level\":3}");
    cJSON_Delete(item);
    /* a label goes as it was typed: the server matches it against the rubric */
    item = cli_score_item("ana@x.example", "1.2", "proficient", NULL, NULL);
    assert_json(item,
                "{\"learner\":\"ana@x.example\",\"indicator\":\"1.2\",\"level\":\"proficient\"}");
    cJSON_Delete(item);
    item = cli_score_item("p-1", "4.1", "2", "Needs data", "e-9");
    assert_json(item, "{\"learner\":\"p-1\",\"indicator\":\"4.1\",\"level\":2,"
                      "\"feedback\":\"Needs data\",\"evidence\":\"e-9\"}");
    cJSON_Delete(item);
}

static void test_item_index(void **state)
{
    size_t i = 77;

    (void)state;
    assert_true(cli_score_item_index("scores[0]", &i));
    assert_int_equal(i, 0);
    assert_true(cli_score_item_index("scores[41].level", &i));
    assert_int_equal(i, 41);
    static const char *const bad[] = {"scores",   "scores[]",   "scores[x]",
                                      "scores[1", "scores[1]x", "attendance[1]",
                                      "score[1]", "scores[-1]", "scores[99999999999999999999]",
                                      "learner",  "xscores[1]", NULL};
    for (const char *const *b = bad; *b; b++) {
        i = 77;
        if (cli_score_item_index(*b, &i))
            fail_msg("'%s' was taken for an item", *b);
        assert_int_equal(i, 77);
    }
    assert_false(cli_score_item_index(NULL, &i));
}

/* ---- the file reader ---- */

/* Parse `text`; the errors as report lines joined by '\n' (empty when none). */
static char *parse_csv(const char *text, size_t len, struct cli_score_csv *csv)
{
    struct mc_buf lines;
    const cJSON *e;

    assert_int_equal(cli_score_csv_parse(text, len, csv), MC_OK);
    mc_buf_init(&lines, 1024 * 1024);
    cJSON_ArrayForEach(e, csv->errors)
    {
        if (lines.len)
            assert_int_equal(mc_buf_appendc(&lines, '\n'), MC_OK);
        assert_int_equal(cli_roster_error_line(e, &lines), MC_OK);
    }
    return mc_buf_detach(&lines, NULL);
}

#define PARSE(text, csv) parse_csv((text), strlen(text), (csv))

static void test_csv_good(void **state)
{
    struct cli_score_csv csv;
    char *errors;

    (void)state;
    /* Columns in any order and case, a BOM, CRLF, quoting, an ignored column, blank rows. */
    errors = PARSE("\xEF\xBB\xBFName, Level ,INDICATOR,Email,feedback\r\n"
                   "Ana,3,1.1,ana@x.example,\"Led two walk-throughs, with data\"\r\n"
                   ",,,,\r\n"
                   "Ana,2,1.2, ana@x.example ,\r\n"
                   "\r\n"
                   "Bo,4,1.1,bo@x.example,\"Line one\nline two \"\"quoted\"\"\"\r\n",
                   &csv);
    assert_string_equal(errors, "");
    assert_int_equal(csv.nscores, 3);
    assert_int_equal(csv.nlearners, 2);
    assert_int_equal(csv.error_total, 0);
    assert_json(csv.scores, "[{\"learner\":\"ana@x.example\",\"indicator\":\"1.1\",\"level\":3,"
                            "\"feedback\":\"Led two walk-throughs, with data\"},"
                            "{\"learner\":\"ana@x.example\",\"indicator\":\"1.2\",\"level\":2},"
                            "{\"learner\":\"bo@x.example\",\"indicator\":\"1.1\",\"level\":4,"
                            "\"feedback\":\"Line one\\nline two \\\"quoted\\\"\"}]");
    assert_int_equal(csv.rows[0], 2);
    assert_int_equal(csv.rows[1], 4);
    /* Rows as libcsv counts records (as attendance files): an empty line is none. */
    assert_int_equal(csv.rows[2], 5);
    free(errors);
    cli_score_csv_release(&csv);

    /* No feedback column at all; no newline at the end. */
    errors = PARSE("email,indicator,level\nana@x.example,4.3,1", &csv);
    assert_string_equal(errors, "");
    assert_json(csv.scores, "[{\"learner\":\"ana@x.example\",\"indicator\":\"4.3\",\"level\":1}]");
    free(errors);
    cli_score_csv_release(&csv);
}

static void test_csv_fixture(void **state)
{
    FILE *f = fopen(MCRED_SCORES_FIXTURE, "rb");
    char *data = calloc(1, CLI_SCORE_MAX_BYTES);
    struct cli_score_csv csv;
    char *errors;
    size_t len;

    (void)state;
    assert_non_null(f);
    assert_non_null(data);
    len = fread(data, 1, CLI_SCORE_MAX_BYTES - 1, f);
    (void)fclose(f);
    errors = parse_csv(data, len, &csv);
    assert_string_equal(errors, "");
    assert_true(csv.nscores > 50);
    assert_true(csv.nlearners >= 5);
    free(errors);
    free(data);
    cli_score_csv_release(&csv);
}

static void test_csv_errors(void **state)
{
    struct cli_score_csv csv;
    char *errors;
    char long_feedback[CLI_FEEDBACK_MAX + 2];
    struct mc_buf text;

    (void)state;
    errors = PARSE("email,indicator,level,feedback\n"
                   "ana@x.example,1.1,3,ok\n"
                   "ana@,1.2,3,\n"
                   "bo@x.example,1 2,3,\n"
                   "bo@x.example,1.2,0,\n"
                   "bo@x.example,1.3,,\n"
                   ",,3,\n"
                   "bo@x.example,1.3\n"
                   "ANA@x.example,1.1,4,again\n"
                   "cy@x.example,1.1,3.0,\n",
                   &csv);
    assert_string_equal(errors, "row 3, email: \"ana@\" is not an e-mail address\n"
                                "row 4, indicator: \"1 2\" is not an indicator code like 1.2\n"
                                "row 6, level: level is empty\n"
                                "row 7, email: email is empty\n"
                                "row 7, indicator: indicator is empty\n"
                                "row 8: row has 2 fields; the header has 4\n"
                                "row 9, indicator: ANA@x.example is scored on 1.1 again (first "
                                "in row 2)");
    /* "0" and "3.0" go to the server, which judges them against the rubric */
    assert_int_equal(csv.error_total, 7);
    free(errors);
    cli_score_csv_release(&csv);

    /* The header */
    errors = PARSE("mail,indicator,grade\nana@x.example,1.1,3\n", &csv);
    assert_string_equal(errors, "row 1, email: the header has no email column\n"
                                "row 1, level: the header has no level column");
    free(errors);
    cli_score_csv_release(&csv);
    errors = PARSE("email,indicator,level,Email\nana@x.example,1.1,3,x\n", &csv);
    assert_string_equal(errors, "row 1, email: column email appears twice");
    free(errors);
    cli_score_csv_release(&csv);

    /* Empty files, and quoting */
    errors = PARSE("", &csv);
    assert_string_equal(errors,
                        "the file is empty: it needs a header row with email, indicator and level");
    free(errors);
    cli_score_csv_release(&csv);
    errors = PARSE("email,indicator,level\n\n,,\n", &csv);
    assert_string_equal(errors, "the file has no rows after its header");
    free(errors);
    cli_score_csv_release(&csv);
    errors = PARSE("email,indicator,level\nana@x.example,1.1,\"3\n", &csv);
    assert_string_equal(errors, "row 2: could not read this row as CSV: a quote is not closed, or "
                                "stray text follows a closing quote");
    free(errors);
    cli_score_csv_release(&csv);

    /* Feedback of CLI_FEEDBACK_MAX bytes, and one more */
    memset(long_feedback, 'f', sizeof(long_feedback) - 1);
    long_feedback[sizeof(long_feedback) - 1] = '\0';
    mc_buf_init(&text, 64 * 1024);
    assert_int_equal(mc_buf_appendf(&text,
                                    "email,indicator,level,feedback\nana@x.example,1.1,3,%s\n"
                                    "ana@x.example,1.2,3,%.*s\n",
                                    long_feedback, CLI_FEEDBACK_MAX, long_feedback),
                     MC_OK);
    errors = parse_csv(text.data, text.len, &csv);
    assert_string_equal(errors, "row 2, feedback: feedback is longer than 4000 bytes");
    assert_int_equal(csv.nscores, 1);
    assert_int_equal(strlen(cJSON_GetStringValue(
                         cJSON_GetObjectItem(cJSON_GetArrayItem(csv.scores, 0), "feedback"))),
                     CLI_FEEDBACK_MAX);
    free(errors);
    mc_buf_release(&text);
    cli_score_csv_release(&csv);
}

static void test_csv_bounds(void **state)
{
    struct mc_buf text;
    struct cli_score_csv csv;
    char *errors;

    (void)state;
    /* CLI_SCORE_MAX rows are fine; one more is refused, and reading stops. */
    mc_buf_init(&text, CLI_SCORE_MAX_BYTES);
    assert_int_equal(mc_buf_appends(&text, "email,indicator,level\n"), MC_OK);
    for (int i = 0; i < CLI_SCORE_MAX; i++)
        assert_int_equal(mc_buf_appendf(&text, "l%d@x.example,1.1,3\n", i), MC_OK);
    errors = parse_csv(text.data, text.len, &csv);
    assert_string_equal(errors, "");
    assert_int_equal(csv.nscores, CLI_SCORE_MAX);
    assert_int_equal(csv.nlearners, CLI_SCORE_MAX);
    free(errors);
    cli_score_csv_release(&csv);
    for (int i = 0; i < 3; i++)
        assert_int_equal(mc_buf_appendf(&text, "m%d@x.example,1.1,3\n", i), MC_OK);
    errors = parse_csv(text.data, text.len, &csv);
    assert_string_equal(errors, "row 502: a file has at most 500 rows; split it");
    assert_int_equal(csv.error_total, 1);
    free(errors);
    cli_score_csv_release(&csv);

    /* At most CLI_SCORE_MAX_ERRORS errors are kept; all are counted. */
    mc_buf_reset(&text);
    assert_int_equal(mc_buf_appends(&text, "email,indicator,level\n"), MC_OK);
    for (int i = 0; i < 150; i++)
        assert_int_equal(mc_buf_appendf(&text, "l%d@x.example,1.%d,\n", i, i), MC_OK);
    errors = parse_csv(text.data, text.len, &csv);
    assert_int_equal(csv.error_total, 150);
    assert_int_equal(cJSON_GetArraySize(csv.errors), CLI_SCORE_MAX_ERRORS);
    free(errors);
    cli_score_csv_release(&csv);
    mc_buf_release(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form),
        cmocka_unit_test_setup(test_help, env_setup),
        cmocka_unit_test_setup(test_usage_errors, env_setup),
        cmocka_unit_test_setup(test_import_unreadable, env_setup),
        cmocka_unit_test_setup(test_import_bad_file, env_setup),
        cmocka_unit_test(test_item),
        cmocka_unit_test(test_item_index),
        cmocka_unit_test(test_csv_good),
        cmocka_unit_test(test_csv_fixture),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_csv_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
