/*
 * test_roster.c — reading and checking roster CSV without a database:
 * RFC 4180 quoting, BOM, CRLF, header rules, and every row-level problem
 * with its row and column.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster.h"

#define PARSE(r, text)                                                                             \
    assert_int_equal(roster_parse(text, sizeof text - 1, &roster_people, r), MC_OK)

static const struct roster_row *row_by_email(const struct roster *r, const char *key)
{
    const struct roster_row *row = roster_find(r, key);
    if (!row)
        fail_msg("no row for %s", key);
    return row;
}

/* The error at index i has this row, column and a message containing needle. */
static void expect_error(const struct roster *r, size_t i, unsigned row, const char *column,
                         const char *needle)
{
    if (i >= r->nerrors)
        fail_msg("only %zu errors, wanted #%zu (row %u)", r->nerrors, i, row);
    const struct roster_error *e = &r->errors[i];
    if (e->row != row || strcmp(e->column, column) != 0 || !strstr(e->message, needle))
        fail_msg("error #%zu is row %u column \"%s\": %s; wanted row %u column \"%s\" with \"%s\"",
                 i, e->row, e->column, e->message, row, column, needle);
}

static void test_clean_roster(void **state)
{
    (void)state;
    struct roster r;
    PARSE(&r, "\xEF\xBB\xBF"
              "Email,Name,Role,School Name,position\r\n"
              "ana@x.org,\"Ruiz, Ana\",Leader,\"Oak \"\"North\"\"\",principal\r\n"
              "BOB@x.org,\"Bob\nSmith\",,,\r\n"
              "zoë@x.org,Zoë Ñúñez 王,none,Lincoln,  ap  \r\n");
    assert_int_equal(r.error_total, 0);
    assert_int_equal(r.nrows, 3);
    const struct roster_row *ana = row_by_email(&r, "ana@x.org");
    assert_int_equal(ana->row, 2);
    assert_string_equal(ana->name, "Ruiz, Ana");
    assert_string_equal(ana->role, "leader");
    assert_string_equal(cJSON_GetObjectItem(ana->attributes, "school_name")->valuestring,
                        "Oak \"North\"");
    const struct roster_row *bob = row_by_email(&r, "bob@x.org");
    assert_string_equal(bob->email, "BOB@x.org");
    assert_string_equal(bob->name, "Bob\nSmith");
    assert_null(bob->role);
    assert_int_equal(cJSON_GetArraySize(bob->attributes), 0); /* empty cells are not values */
    const struct roster_row *zoe = row_by_email(&r, "zoë@x.org");
    assert_int_equal(zoe->row, 4);
    assert_string_equal(cJSON_GetObjectItem(zoe->attributes, "position")->valuestring, "ap");
    roster_release(&r);
}

static void test_lf_and_no_trailing_newline(void **state)
{
    (void)state;
    struct roster r;
    PARSE(&r, "email,name\na@x.org,A\nb@x.org,B");
    assert_int_equal(r.error_total, 0);
    assert_int_equal(r.nrows, 2);
    roster_release(&r);
}

static void test_row_errors(void **state)
{
    (void)state;
    struct roster r;
    PARSE(&r, "email,name,role\n"
              "not-an-email,A,\n"    /* row 2 */
              "b@x.org,,\n"          /* row 3: empty name */
              "c@x.org,C,boss\n"     /* row 4: bad role */
              "d@x.org,D\n"          /* row 5: ragged, too few */
              "e@x.org,E,,extra\n"   /* row 6: ragged, too many */
              "C@X.org,C again,\n"); /* row 7: duplicate of row 4 */
    assert_int_equal(r.error_total, 6);
    expect_error(&r, 0, 2, "email", "not an e-mail");
    expect_error(&r, 1, 3, "name", "empty");
    expect_error(&r, 2, 4, "role", "boss");
    expect_error(&r, 3, 5, "", "2 fields; the header has 3");
    expect_error(&r, 4, 6, "", "4 fields");
    expect_error(&r, 5, 7, "email", "first in row 4");
    cJSON *json = roster_errors_json(&r);
    assert_int_equal(cJSON_GetArraySize(json), 6);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(json, 0), "row")->valueint, 2);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(json, 3), "column")));
    cJSON_Delete(json);
    roster_release(&r);
}

static void test_header_errors(void **state)
{
    (void)state;
    struct roster r;
    PARSE(&r, "email,school\na@x.org,Oak\n");
    assert_int_equal(r.error_total, 1);
    expect_error(&r, 0, 1, "name", "no name column");
    roster_release(&r);

    PARSE(&r, "email,name,School,school\n");
    expect_error(&r, 0, 1, "school", "appears twice");
    roster_release(&r);

    PARSE(&r, "email,name,café\n");
    expect_error(&r, 0, 1, "café", "cannot be an attribute");
    roster_release(&r);

    PARSE(&r, "");
    expect_error(&r, 0, 1, "", "empty");
    roster_release(&r);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    struct roster r;
    PARSE(&r, "email,name\na@x.org,A\nb@x.org,\"Bob\nc@x.org,C\n");
    assert_int_equal(r.error_total, 1);
    expect_error(&r, 0, 3, "", "quote");
    roster_release(&r);

    PARSE(&r, "email,name\na@x.org,\"A\"x\n"); /* text after a closing quote */
    expect_error(&r, 0, 2, "", "quote");
    roster_release(&r);
}

/* A file that is not CSV UTF-8 is one problem with its cause and fix, and is not read. */
static void test_not_csv_utf8(void **state)
{
    (void)state;
    struct roster r;
    PARSE(&r, "\xFF\xFE"
              "e\0m\0a\0i\0l\0,\0n\0a\0m\0e\0\n\0");
    assert_int_equal(r.error_total, 1);
    assert_int_equal(r.nrows, 0);
    expect_error(&r, 0, 1, "", "the file is UTF-16 text; save it as CSV UTF-8");
    assert_string_equal(r.file_problem, "the file is UTF-16 text; save it as CSV UTF-8");
    roster_release(&r);

    PARSE(&r, "email;name;role\na@x.org;A;none\n");
    assert_int_equal(r.error_total, 1);
    expect_error(&r, 0, 1, "", "separated by semicolons");
    roster_release(&r);

    PARSE(&r, "email,name\na@x.org,A\nb@x.org,Jos\xE9\n");
    assert_int_equal(r.error_total, 1);
    expect_error(&r, 0, 3, "", "row 3 looks like Latin-1/Windows text");
    roster_release(&r);

    /* a UTF-8 byte-order mark is no problem */
    PARSE(&r, "\xEF\xBB\xBF"
              "email,name\na@x.org,A\n");
    assert_int_equal(r.error_total, 0);
    assert_int_equal(r.nrows, 1);
    assert_string_equal(r.file_problem, "");
    roster_release(&r);
}

static void test_limits(void **state)
{
    (void)state;
    struct roster r;
    size_t cap = 64 + (size_t)(MC_MAX_CSV_ROWS + 1) * 16;
    char *big = malloc(cap);
    assert_non_null(big);
    size_t n = (size_t)snprintf(big, cap, "email,name\n");
    for (int i = 0; i <= MC_MAX_CSV_ROWS; i++)
        n += (size_t)snprintf(big + n, cap - n, "p%d@x.org,P\n", i);
    assert_int_equal(roster_parse(big, n, &roster_people, &r), MC_OK);
    expect_error(&r, 0, MC_MAX_CSV_ROWS + 2, "", "at most");
    roster_release(&r);

    /* exactly the maximum is fine */
    n = (size_t)snprintf(big, cap, "email,name\n");
    for (int i = 0; i < MC_MAX_CSV_ROWS; i++)
        n += (size_t)snprintf(big + n, cap - n, "p%d@x.org,P\n", i);
    assert_int_equal(roster_parse(big, n, &roster_people, &r), MC_OK);
    assert_int_equal(r.error_total, 0);
    assert_int_equal(r.nrows, MC_MAX_CSV_ROWS);
    roster_release(&r);
    free(big);
}

static void test_errors_are_capped(void **state)
{
    (void)state;
    size_t cap = 64 + (MC_MAX_IMPORT_ERRORS + 10) * 8;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = (size_t)snprintf(text, cap, "email,name\n");
    for (int i = 0; i < MC_MAX_IMPORT_ERRORS + 10; i++)
        n += (size_t)snprintf(text + n, cap - n, "bad,B\n");
    struct roster r;
    assert_int_equal(roster_parse(text, n, &roster_people, &r), MC_OK);
    /* every row is a bad e-mail, and all but the first are also duplicates */
    assert_int_equal(r.nerrors, MC_MAX_IMPORT_ERRORS);
    assert_true(r.error_total > MC_MAX_IMPORT_ERRORS);
    roster_release(&r);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_roster),  cmocka_unit_test(test_lf_and_no_trailing_newline),
        cmocka_unit_test(test_row_errors),    cmocka_unit_test(test_not_csv_utf8),
        cmocka_unit_test(test_header_errors), cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_limits),        cmocka_unit_test(test_errors_are_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
