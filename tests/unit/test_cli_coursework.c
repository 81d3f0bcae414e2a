/*
 * test_cli_coursework.c — what `mcred problem`, `mcred evidence` and
 * `mcred score` check before sending: codes, levels, evidence links,
 * lists of standards, a learner named by e-mail or id; and the helpers
 * they show things with: paragraphs wrapped for a terminal, a fixed
 * progress note, and the local file errors in the import report's words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "coursework_input.h"
#include "progress.h"
#include "text.h"
#include "upload.h"

#include "mcred/banned.h"

static void test_codes(void **state)
{
    static const char *const good[] = {"1", "1.2", "A", "std-4_b.10", "1234567890123456", NULL};
    static const char *const bad[] = {"", "1 2", "1,2", "12345678901234567", "1/2", "é", NULL};

    (void)state;
    for (const char *const *g = good; *g; g++)
        if (!cli_code_valid(*g))
            fail_msg("'%s' was refused", *g);
    for (const char *const *b = bad; *b; b++)
        if (cli_code_valid(*b))
            fail_msg("'%s' was taken for a code", *b);
}

static void test_levels(void **state)
{
    static const char *const bad[] = {"", "0", "11", "-1", "+3", "3.0", " 3", "3 ", "three", NULL};
    long level = 77;

    (void)state;
    assert_true(cli_level_parse("1", &level));
    assert_int_equal(level, 1);
    assert_true(cli_level_parse("10", &level));
    assert_int_equal(level, 10);
    for (const char *const *b = bad; *b; b++) {
        level = 77;
        if (cli_level_parse(*b, &level))
            fail_msg("'%s' was taken for a level", *b);
        assert_int_equal(level, 77);
    }
}

static void test_urls(void **state)
{
    static const char *const good[] = {
        "https://drive.example/audit.pdf",
        "http://intranet.lincoln.example:8080/plans?id=4#part-2",
        "HTTPS://Example.org",
        "https://[2001:db8::1]/x",
        NULL,
    };
    static const char *const bad[] = {
        "",
        "ftp://files.example/a.pdf",
        "drive.example/audit.pdf",
        "www.example.org",
        "https://",
        "https:///path",
        "https:example.org",
        "https:/example.org",
        "https://exa mple.org",
        "file:///etc/passwd",
        "javascript:alert(1)",
        " https://example.org",
        "mailto:ana@x.example",
        NULL,
    };
    char *longest = malloc(CLI_EVIDENCE_URL_MAX + 2);

    (void)state;
    for (const char *const *g = good; *g; g++)
        if (!cli_http_url_valid(*g))
            fail_msg("'%s' was refused", *g);
    for (const char *const *b = bad; *b; b++)
        if (cli_http_url_valid(*b))
            fail_msg("'%s' was taken for a link", *b);
    /* At most CLI_EVIDENCE_URL_MAX bytes */
    assert_non_null(longest);
    memcpy(longest, "https://example.org/", 20);
    memset(longest + 20, 'a', CLI_EVIDENCE_URL_MAX - 20);
    longest[CLI_EVIDENCE_URL_MAX] = '\0';
    assert_true(cli_http_url_valid(longest));
    longest[CLI_EVIDENCE_URL_MAX] = 'a';
    longest[CLI_EVIDENCE_URL_MAX + 1] = '\0';
    assert_false(cli_http_url_valid(longest));
    free(longest);
}

static void expect_standards(const char *list, const char *json, const char *why)
{
    char reason[160] = "x";
    cJSON *codes = cli_standards_parse(list, reason, sizeof(reason));

    if (json) {
        char *text = cJSON_PrintUnformatted(codes);
        assert_non_null(text);
        assert_string_equal(text, json);
        assert_string_equal(reason, "");
        free(text);
    } else {
        if (codes)
            fail_msg("'%s' was taken for a list of standards", list);
        assert_string_equal(reason, why);
    }
    cJSON_Delete(codes);
}

static void test_standards(void **state)
{
    (void)state;
    expect_standards("1,4", "[\"1\",\"4\"]", NULL);
    expect_standards(" 1 , 2,3 ", "[\"1\",\"2\",\"3\"]", NULL);
    expect_standards("A", "[\"A\"]", NULL);
    expect_standards("", "[]", NULL);
    expect_standards("  ", "[]", NULL);
    expect_standards("1,,4", NULL, "'1,,4' is not a list of standard codes like 1,4");
    expect_standards("1,", NULL, "'1,' is not a list of standard codes like 1,4");
    expect_standards(",1", NULL, "',1' is not a list of standard codes like 1,4");
    expect_standards("1 4", NULL, "'1 4' is not a standard code");
    expect_standards("1,4,1", NULL, "standard 1 is given twice");
    expect_standards("12345678901234567", NULL,
                     "'12345678901234567' is not a list of standard codes like 1,4");
}

static void test_person_matches(void **state)
{
    cJSON *person = cJSON_Parse("{\"id\": \"6f1c2a8e\", \"email\": \"Ana@X.example\"}");

    (void)state;
    assert_non_null(person);
    assert_true(cli_person_matches(person, "6f1c2a8e"));
    assert_true(cli_person_matches(person, "ana@x.example"));
    assert_true(cli_person_matches(person, "ANA@X.EXAMPLE"));
    assert_false(cli_person_matches(person, "6F1C2A8E"));
    assert_false(cli_person_matches(person, "bo@x.example"));
    assert_false(cli_person_matches(person, ""));
    assert_false(cli_person_matches(person, NULL));
    assert_false(cli_person_matches(NULL, "ana@x.example"));
    cJSON_Delete(person);
}

static void expect_wrap(const char *s, size_t width, size_t indent, const char *want)
{
    struct mc_buf b;

    mc_buf_init(&b, 64 * 1024);
    assert_int_equal(cli_text_wrap(&b, s, width, indent), MC_OK);
    assert_string_equal(b.data, want);
    mc_buf_release(&b);
}

static void test_wrap(void **state)
{
    (void)state;
    expect_wrap("one two three four", 0, 2, "  one two three four\n");
    expect_wrap("one two three four", 11, 2, "  one two\n  three\n  four\n");
    expect_wrap("one two three four", 13, 0, "one two three\nfour\n");
    /* Spaces collapse; lines are paragraphs; an empty line stays empty; a last LF adds none. */
    expect_wrap("a   b\r\n\nc\td\n", 20, 2, "  a b\n\n  c d\n");
    /* A word wider than the room is kept whole, on its own line. */
    expect_wrap("see https://example.org/a/very/long/path now", 12, 2,
                "  see\n  https://example.org/a/very/long/path\n  now\n");
    /* Widths count characters, not bytes; control characters are replaced. */
    expect_wrap("Zoë Zoë Zoë", 7, 0, "Zoë Zoë\nZoë\n");
    expect_wrap("x\x1b[2Jy", 0, 0, "x?[2Jy\n");
    expect_wrap("", 10, 2, "\n");
}

static void test_progress_note(void **state)
{
    struct cli_progress p = {0};
    char *text = NULL;
    size_t len = 0;

    (void)state;
    p.f = open_memstream(&text, &len);
    assert_non_null(p.f);
    p.width = 20;
    cli_progress_note(&p, "scoring 45 indicators of 15 learners\xE2\x80\xA6");
    cli_progress_note(&p, "scoring 45 indicators of 15 learners\xE2\x80\xA6"); /* unchanged */
    cli_progress_clear(&p);
    assert_int_equal(fclose(p.f), 0);
    /* Cut to width - 1 columns, drawn once, then erased. */
    assert_string_equal(text, "\rscoring 45 indicato\r                   \r");
    free(text);

    /* Not a terminal: nothing at all. */
    struct cli_progress off;
    cli_progress_start(&off, stderr);
    off.f = NULL;
    cli_progress_note(&off, "x");
    cli_progress_clear(&off);
}

static void test_file_errors(void **state)
{
    cJSON *errors = cJSON_Parse("[{\"row\": 3, \"column\": \"level\", \"message\": \"bad\"},"
                                " {\"row\": 5, \"column\": null, \"message\": \"short\"}]");
    struct cli_ctx ctx = {.format = CLI_FORMAT_TABLE};
    char *out = NULL, *err = NULL;
    size_t out_len = 0, err_len = 0;

    (void)state;
    assert_non_null(errors);
    ctx.out = open_memstream(&out, &out_len);
    ctx.err = open_memstream(&err, &err_len);
    assert_int_equal(cli_file_errors_print(&ctx, "s.csv", errors, 2), CLI_EXIT_ERROR);
    assert_int_equal(fclose(ctx.out), 0);
    assert_int_equal(fclose(ctx.err), 0);
    assert_string_equal(out, "");
    assert_string_equal(err, "row 3, level: bad\nrow 5: short\n"
                             "mcred: s.csv has 2 errors; nothing was sent\n");
    free(out);
    free(err);

    /* --json: the answer on stdout, in the shape of the server's; more errors than shown */
    ctx.format = CLI_FORMAT_JSON;
    ctx.out = open_memstream(&out, &out_len);
    ctx.err = open_memstream(&err, &err_len);
    assert_int_equal(cli_file_errors_print(&ctx, "s.csv", errors, 120), CLI_EXIT_ERROR);
    assert_int_equal(fclose(ctx.out), 0);
    assert_int_equal(fclose(ctx.err), 0);
    assert_string_equal(out, "{\"error\":{\"code\":\"invalid\",\"message\":\"s.csv has 120 errors; "
                             "nothing was sent\"},\"errors\":[{\"row\":3,\"column\":\"level\","
                             "\"message\":\"bad\"},{\"row\":5,\"column\":null,\"message\":"
                             "\"short\"}]}\n");
    assert_string_equal(err,
                        "mcred: s.csv has 120 errors; nothing was sent (the first 2 are shown)\n");
    free(out);
    free(err);
    cJSON_Delete(errors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),          cmocka_unit_test(test_levels),
        cmocka_unit_test(test_urls),           cmocka_unit_test(test_standards),
        cmocka_unit_test(test_person_matches), cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_progress_note),  cmocka_unit_test(test_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
