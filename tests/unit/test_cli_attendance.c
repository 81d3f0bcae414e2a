/*
 * test_cli_attendance.c — attendance as `mcred attendance` reads it:
 * modes in any spelling, PERSON=MODE arguments, the records they become,
 * the CSV reader (columns in any order, quoting, blank rows, every row
 * error with its row number, the bounds) and the server's item fields
 * mapped back to rows — without a server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attendance_input.h"
#include "roster_report.h"

#include "mcred/banned.h"

static void assert_json(const cJSON *value, const char *expected)
{
    char *text = cJSON_PrintUnformatted(value);

    assert_non_null(text);
    assert_string_equal(text, expected);
    free(text);
}

static void test_modes(void **state)
{
    char mode[CLI_ATTENDANCE_MODE_SIZE];
    const struct {
        const char *in, *out;
    } good[] = {
        {"in_person", "in_person"}, {"In Person", "in_person"},       {"in-person", "in_person"},
        {"  ONLINE ", "online"},    {"Asynchronous", "asynchronous"}, {"absent", "absent"},
        {"excused", "excused"},
    };
    static const char *const bad[] = {"",        " ",          "present",        "inperson",
                                      "online!", "in__person", "absent excused", NULL};

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        memset(mode, 'x', sizeof(mode));
        assert_true(cli_attendance_mode(good[i].in, strlen(good[i].in), mode));
        assert_string_equal(mode, good[i].out);
    }
    for (const char *const *b = bad; *b; b++) {
        mode[0] = '?';
        mode[1] = '\0';
        if (cli_attendance_mode(*b, strlen(*b), mode))
            fail_msg("'%s' was taken for a mode", *b);
        assert_string_equal(mode, "?");
    }
    /* Only `len` bytes count. */
    assert_true(cli_attendance_mode("online=extra", 6, mode));
    assert_string_equal(mode, "online");
}

static void test_pairs(void **state)
{
    char mode[CLI_ATTENDANCE_MODE_SIZE];
    size_t len = 99;

    (void)state;
    assert_true(cli_attendance_pair("ana@x.example=in_person", &len, mode));
    assert_int_equal(len, strlen("ana@x.example"));
    assert_string_equal(mode, "in_person");
    /* The last '=' splits: an e-mail may hold one. */
    assert_true(cli_attendance_pair("a=b@x.example=Online", &len, mode));
    assert_int_equal(len, strlen("a=b@x.example"));
    assert_string_equal(mode, "online");
    assert_true(cli_attendance_pair("6f1c2a8e-1d2b-4c3d-8e9f-0a1b2c3d4e5f=absent", &len, mode));
    assert_int_equal(len, 36);

    static const char *const bad[] = {"ana@x.example",         "=online",
                                      "ana@x.example=",        "ana@x.example=here",
                                      "ana@x.example=online=", NULL};
    for (const char *const *b = bad; *b; b++) {
        len = 99;
        if (cli_attendance_pair(*b, &len, mode))
            fail_msg("'%s' was taken for PERSON=MODE", *b);
        assert_int_equal(len, 99);
    }
}

static void test_records(void **state)
{
    cJSON *records = cJSON_CreateArray();
    const char *arg = "ana@x.example=online";

    (void)state;
    assert_true(cli_attendance_record_add(records, arg, 13, "online"));
    assert_true(cli_attendance_record_add(records, "p-1", 3, "excused"));
    assert_json(records, "[{\"email\":\"ana@x.example\",\"mode\":\"online\"},"
                         "{\"person\":\"p-1\",\"mode\":\"excused\"}]");
    cJSON_Delete(records);
}

static void test_item_index(void **state)
{
    size_t i = 77;

    (void)state;
    assert_true(cli_attendance_item_index("attendance[0]", &i));
    assert_int_equal(i, 0);
    assert_true(cli_attendance_item_index("attendance[12].mode", &i));
    assert_int_equal(i, 12);
    static const char *const bad[] = {"attendance",
                                      "attendance[]",
                                      "attendance[x]",
                                      "attendance[1",
                                      "attendance[1]x",
                                      "members[1]",
                                      "attendance[-1]",
                                      "attendance[99999999999999999999]",
                                      NULL};
    for (const char *const *b = bad; *b; b++) {
        i = 77;
        if (cli_attendance_item_index(*b, &i))
            fail_msg("'%s' was taken for an item", *b);
        assert_int_equal(i, 77);
    }
    assert_false(cli_attendance_item_index(NULL, &i));
}

/* Parse `text`; the errors as report lines joined by '\n' (empty when none). */
static char *parse_csv(const char *text, struct cli_attendance_csv *csv)
{
    struct mc_buf lines;
    const cJSON *e;

    assert_int_equal(cli_attendance_csv_parse(text, strlen(text), csv), MC_OK);
    mc_buf_init(&lines, 1024 * 1024);
    cJSON_ArrayForEach(e, csv->errors)
    {
        if (lines.len)
            assert_int_equal(mc_buf_appendc(&lines, '\n'), MC_OK);
        assert_int_equal(cli_roster_error_line(e, &lines), MC_OK);
    }
    return mc_buf_detach(&lines, NULL);
}

static void test_csv_good(void **state)
{
    struct cli_attendance_csv csv;
    char *errors;

    (void)state;
    /* BOM, CRLF, columns in another order and case, an extra column, quoting, a blank row. */
    errors = parse_csv("\xEF\xBB\xBF"
                       "Name, MODE ,Email\r\n"
                       "\"Ruiz, Ana\",In person,ana@x.example\r\n"
                       ",,\r\n"
                       "\r\n"
                       "Bo,online,\" bo@x.example \"\r\n"
                       "Cy,\"excused\",cy@x.example",
                       &csv);
    assert_string_equal(errors, "");
    free(errors);
    assert_int_equal(csv.error_total, 0);
    assert_int_equal(csv.nrecords, 3);
    assert_json(csv.records, "[{\"email\":\"ana@x.example\",\"mode\":\"in_person\"},"
                             "{\"email\":\"bo@x.example\",\"mode\":\"online\"},"
                             "{\"email\":\"cy@x.example\",\"mode\":\"excused\"}]");
    /* Rows as libcsv counts records: the blank line is none, the row of empty cells is row 3. */
    assert_int_equal(csv.rows[0], 2);
    assert_int_equal(csv.rows[1], 4);
    assert_int_equal(csv.rows[2], 5);
    cli_attendance_csv_release(&csv);
}

static void test_csv_errors(void **state)
{
    struct cli_attendance_csv csv;
    char *errors;

    (void)state;
    errors = parse_csv("email,mode\n"
                       "bad-email,online\n"
                       "ana@x.example,present\n"
                       "bo@x.example,\n"
                       ",online\n"
                       "cy@x.example,online\n"
                       "CY@x.example,absent\n"
                       "dee@x.example\n"
                       "eve@x.example,online,extra\n",
                       &csv);
    assert_string_equal(
        errors, "row 2, email: \"bad-email\" is not an e-mail address\n"
                "row 3, mode: \"present\" is not a mode: use in_person, online, asynchronous, "
                "absent or excused\n"
                "row 4, mode: mode is empty\n"
                "row 5, email: email is empty\n"
                "row 7, email: CY@x.example appears again (first in row 6)\n"
                "row 8: row has 1 field; the header has 2\n"
                "row 9: row has 3 fields; the header has 2");
    free(errors);
    assert_int_equal(csv.error_total, 7);
    cli_attendance_csv_release(&csv);

    const struct {
        const char *text, *errors;
    } cases[] = {
        {"", "the file is empty: it needs a header row with email and mode"},
        {"email,mode\n", "the file has no rows after its header"},
        {"email,mode\n,\n", "the file has no rows after its header"},
        {"mail,Mode\na@x.example,online\n", "row 1, email: the header has no email column"},
        {"email\na@x.example\n", "row 1, mode: the header has no mode column"},
        {"email,mode,Email\n", "row 1, email: column email appears twice"},
        {"email,mode\na@x.example,online\n\"b@x.example,online\n",
         "row 3: could not read this row as CSV: a quote is not closed, or stray text follows a "
         "closing quote"},
        {"email,mode\n\"a\"x@x.example,online\n",
         "row 2: could not read this row as CSV: a quote is not closed, or stray text follows a "
         "closing quote"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        errors = parse_csv(cases[i].text, &csv);
        if (strcmp(errors, cases[i].errors) != 0)
            fail_msg("case %zu: errors\n%s\nwant\n%s", i, errors, cases[i].errors);
        assert_true(csv.error_total > 0);
        free(errors);
        cli_attendance_csv_release(&csv);
    }
}

static void test_csv_bounds(void **state)
{
    struct cli_attendance_csv csv;
    struct mc_buf text;
    char *errors;

    (void)state;
    /* CLI_ATTENDANCE_MAX rows are fine; one more is refused once. */
    mc_buf_init(&text, 1024 * 1024);
    assert_int_equal(mc_buf_appends(&text, "email,mode\n"), MC_OK);
    for (int i = 0; i < CLI_ATTENDANCE_MAX; i++)
        assert_int_equal(mc_buf_appendf(&text, "p%d@x.example,online\n", i), MC_OK);
    assert_int_equal(cli_attendance_csv_parse(text.data, text.len, &csv), MC_OK);
    assert_int_equal(csv.error_total, 0);
    assert_int_equal(csv.nrecords, CLI_ATTENDANCE_MAX);
    assert_int_equal(csv.rows[CLI_ATTENDANCE_MAX - 1], CLI_ATTENDANCE_MAX + 1);
    cli_attendance_csv_release(&csv);
    assert_int_equal(mc_buf_appends(&text, "one@x.example,online\ntwo@x.example,online\n"), MC_OK);
    errors = parse_csv(text.data, &csv);
    assert_string_equal(errors, "row 1002: a file has at most 1000 rows; split it");
    free(errors);
    cli_attendance_csv_release(&csv);

    /* Errors past CLI_ATTENDANCE_MAX_ERRORS are counted, not kept. */
    mc_buf_reset(&text);
    assert_int_equal(mc_buf_appends(&text, "email,mode\n"), MC_OK);
    for (int i = 0; i < CLI_ATTENDANCE_MAX_ERRORS + 5; i++)
        assert_int_equal(mc_buf_appendf(&text, "p%d@x.example,here\n", i), MC_OK);
    assert_int_equal(cli_attendance_csv_parse(text.data, text.len, &csv), MC_OK);
    assert_int_equal(csv.error_total, CLI_ATTENDANCE_MAX_ERRORS + 5);
    assert_int_equal(cJSON_GetArraySize(csv.errors), CLI_ATTENDANCE_MAX_ERRORS);
    cli_attendance_csv_release(&csv);

    /* A cell longer than an e-mail may be is an error of its row, not a crash. */
    mc_buf_reset(&text);
    assert_int_equal(mc_buf_appends(&text, "email,mode\n"), MC_OK);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(mc_buf_appendc(&text, 'a'), MC_OK);
    assert_int_equal(mc_buf_appends(&text, "@x.example,online\n"), MC_OK);
    errors = parse_csv(text.data, &csv);
    assert_string_equal(errors, "row 2, email: email is longer than 254 bytes");
    free(errors);
    cli_attendance_csv_release(&csv);
    mc_buf_release(&text);
}

/* A file that is not CSV UTF-8: one problem with the cause and the fix, no records. */
static void test_csv_not_utf8(void **state)
{
    static const char semicolons[] = "email;mode\nana@x.example;online\n";
    static const char utf16[] = "\xFE\xFF\0e\0m\0a\0i\0l\0,\0m\0o\0d\0e\0\n";
    struct cli_attendance_csv csv = {0};

    (void)state;
    assert_int_equal(cli_attendance_csv_parse(semicolons, sizeof(semicolons) - 1, &csv), MC_OK);
    assert_int_equal(csv.error_total, 1);
    assert_int_equal(csv.nrecords, 0);
    assert_non_null(
        strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(csv.errors, 0), "message")->valuestring,
               "separated by semicolons"));
    cli_attendance_csv_release(&csv);
    memset(&csv, 0, sizeof(csv));
    assert_int_equal(cli_attendance_csv_parse(utf16, sizeof(utf16) - 1, &csv), MC_OK);
    assert_int_equal(csv.error_total, 1);
    assert_non_null(
        strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(csv.errors, 0), "message")->valuestring,
               "UTF-16 text; save it as CSV UTF-8"));
    cli_attendance_csv_release(&csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_not_utf8), cmocka_unit_test(test_modes),
        cmocka_unit_test(test_pairs),        cmocka_unit_test(test_records),
        cmocka_unit_test(test_item_index),   cmocka_unit_test(test_csv_good),
        cmocka_unit_test(test_csv_errors),   cmocka_unit_test(test_csv_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
