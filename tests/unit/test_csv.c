/*
 * test_csv.c — RFC 4180 output of include/mcred/csv.h.
 *
 * Covers: which fields are quoted (comma, quote, CR, LF, a leading or
 * trailing space) and which are not; quotes doubled inside; NULL and empty
 * fields; records joined by commas and ended by CRLF, appended after what
 * the buffer already holds; the buffer's ceiling reported as
 * MC_ERR_TOO_LARGE.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "mcred/csv.h"

#include "mcred/banned.h"

/* The text mc_csv_field writes for `field`, checked against `expected`. */
static void field_is(const char *field, const char *expected)
{
    struct mc_buf b;
    mc_buf_init(&b, 4096);
    assert_int_equal(mc_csv_field(&b, field), MC_OK);
    if (strcmp(b.data, expected) != 0)
        fail_msg("field [%s] written as [%s], expected [%s]", field ? field : "(null)", b.data,
                 expected);
    assert_int_equal(b.len, strlen(expected));
    mc_buf_release(&b);
}

static void test_plain_fields_are_not_quoted(void **state)
{
    (void)state;
    field_is("abc", "abc");
    field_is("Ada Lovelace", "Ada Lovelace");
    field_is("a;b|c\td", "a;b|c\td");
    field_is("caf\xc3\xa9", "caf\xc3\xa9");
    field_is("it's", "it's");
    field_is("", "");
    field_is(NULL, "");
}

static void test_fields_that_need_quotes(void **state)
{
    (void)state;
    field_is("a,b", "\"a,b\"");
    field_is(",", "\",\"");
    field_is("line1\nline2", "\"line1\nline2\"");
    field_is("line1\r\nline2", "\"line1\r\nline2\"");
    field_is("cr\r", "\"cr\r\"");
    field_is(" lead", "\" lead\"");
    field_is("trail ", "\"trail \"");
    field_is(" ", "\" \"");
}

/* OWASP's CSV injection: what a spreadsheet would run as a formula goes out as text. */
static void test_formulas_are_text(void **state)
{
    (void)state;
    field_is("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
    field_is("=1+2", "'=1+2");
    field_is("+1 555 0100", "'+1 555 0100");
    field_is("-cmd", "'-cmd");
    field_is("@SUM(A1)", "'@SUM(A1)");
    field_is("\tindent", "'\tindent");
    /* a trailing tab is quoted, so that readers' trimming keeps it and the guard
     * (tests/fuzz/regressions/csv/lone-tab-cell) */
    field_is("\t", "\"'\t\"");
    field_is("x\t", "\"x\t\"");
    field_is("\rx", "\"'\rx\"");
    field_is("'=x", "''=x");
    field_is("''", "'''");
    /* numbers stay numbers; an apostrophe before anything else stays as it is */
    field_is("-5", "-5");
    field_is("-2.5", "-2.5");
    field_is("-5e3", "'-5e3");
    field_is("-", "'-");
    field_is("'quoted'", "'quoted'");
    field_is("'", "'");
    field_is("a=b", "a=b");
}

/* Reading drops exactly the apostrophe writing added: every value comes back unchanged. */
static void test_guard_round_trip(void **state)
{
    (void)state;
    const char *values[] = {"=x", "+x", "-x", "@x", "\tx", "\rx", "'=x", "''=x",   "''",
                            "'",  "'a", "-5", "a",  "",    "=",   "'''", "O'Brien"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        const char *v = values[i];
        char written[64];
        snprintf(written, sizeof written, "%s%s", mc_csv_guarded(v) ? "'" : "", v);
        size_t skip = mc_csv_guard_prefix(written, strlen(written));
        if (strcmp(written + skip, v) != 0)
            fail_msg("[%s] written [%s] read back as [%s]", v, written, written + skip);
    }
}

static void test_quotes_are_doubled(void **state)
{
    (void)state;
    field_is("say \"hi\"", "\"say \"\"hi\"\"\"");
    field_is("\"", "\"\"\"\"");
    field_is("\"\"", "\"\"\"\"\"\"");
    field_is("a\"b,c", "\"a\"\"b,c\"");
}

static void test_record(void **state)
{
    (void)state;
    const char *const fields[] = {"a", "b,c", NULL, "d\"e", "", " x"};
    struct mc_buf b;
    mc_buf_init(&b, 4096);
    assert_int_equal(mc_csv_record(&b, fields, 6), MC_OK);
    assert_string_equal(b.data, "a,\"b,c\",,\"d\"\"e\",,\" x\"\r\n");
    mc_buf_release(&b);
}

static void test_records_append(void **state)
{
    (void)state;
    const char *const header[] = {"email", "name"};
    const char *const row[] = {"ada@example.org", "Lovelace, Ada"};
    struct mc_buf b;
    mc_buf_init(&b, 4096);
    assert_int_equal(mc_csv_record(&b, header, 2), MC_OK);
    assert_int_equal(mc_csv_record(&b, row, 2), MC_OK);
    assert_string_equal(b.data, "email,name\r\nada@example.org,\"Lovelace, Ada\"\r\n");
    mc_buf_release(&b);
}

static void test_record_edge_sizes(void **state)
{
    (void)state;
    const char *const one[] = {"only"};
    const char *const empties[] = {NULL, NULL, NULL};
    struct mc_buf b;
    mc_buf_init(&b, 4096);
    assert_int_equal(mc_csv_record(&b, one, 1), MC_OK);
    assert_string_equal(b.data, "only\r\n");
    mc_buf_reset(&b);
    assert_int_equal(mc_csv_record(&b, empties, 3), MC_OK);
    assert_string_equal(b.data, ",,\r\n");
    mc_buf_reset(&b);
    assert_int_equal(mc_csv_record(&b, NULL, 0), MC_OK);
    assert_string_equal(b.data, "\r\n");
    mc_buf_release(&b);
}

static void test_ceiling(void **state)
{
    (void)state;
    const char *const fields[] = {"12345", "6789"};
    struct mc_buf b;
    /* "12345,6789\r\n" is 12 bytes: it fits in 12, not in 11 */
    mc_buf_init(&b, 12);
    assert_int_equal(mc_csv_record(&b, fields, 2), MC_OK);
    assert_int_equal(b.len, 12);
    mc_buf_release(&b);
    mc_buf_init(&b, 11);
    assert_int_equal(mc_csv_record(&b, fields, 2), MC_ERR_TOO_LARGE);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    mc_buf_release(&b);
    /* quoting counts towards the ceiling: "a,b" takes 5 bytes */
    mc_buf_init(&b, 4);
    assert_int_equal(mc_csv_field(&b, "a,b"), MC_ERR_TOO_LARGE);
    assert_int_equal(b.len, 0);
    mc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_fields_are_not_quoted),
        cmocka_unit_test(test_fields_that_need_quotes),
        cmocka_unit_test(test_formulas_are_text),
        cmocka_unit_test(test_guard_round_trip),
        cmocka_unit_test(test_quotes_are_doubled),
        cmocka_unit_test(test_record),
        cmocka_unit_test(test_records_append),
        cmocka_unit_test(test_record_edge_sizes),
        cmocka_unit_test(test_ceiling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
