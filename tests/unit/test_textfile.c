/*
 * test_textfile.c — include/mcred/textfile.h: the check of files that
 * should be CSV UTF-8, and UTF-8 made safe to echo.
 *
 * Covers: plain CSV, CSV with a UTF-8 byte-order mark (accepted, bom = 3),
 * an empty file; UTF-16 LE and BE with a byte-order mark and without one;
 * Latin-1 / Windows-1252 text, naming the first row that is not UTF-8
 * (counted as records: a quoted line break does not start a row);
 * semicolon- and tab-separated headers, and a semicolon file in Latin-1
 * (one message with both causes and their one fix); a comma header with
 * semicolons in its cells (accepted); an .xlsx (zip with xl/), an .xls, a
 * PDF, a zip, random binary with NUL bytes — one message each, never a
 * UTF-16 or Latin-1 one; the subject named in the message, sanitised.
 * The sanitiser: valid text copied unchanged; stray continuation bytes,
 * overlong forms, encoded surrogates, code points past U+10FFFF, NUL and
 * truncated sequences replaced by U+FFFD; bounding on whole characters
 * with "…"; an exact fit not cut.  mc_json_sanitize: values and member
 * names of nested objects fixed, the result printable and re-parsable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mcred/json.h"
#include "mcred/textfile.h"

#include "mcred/banned.h"

#define CHECK(lit, out) mc_csv_check((lit), sizeof(lit) - 1, "roster.csv", (out))

static void contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("[%s] does not contain [%s]", haystack, needle);
}

static void lacks(const char *haystack, const char *needle)
{
    if (strstr(haystack, needle))
        fail_msg("[%s] contains [%s]", haystack, needle);
}

static void test_csv_utf8_is_accepted(void **state)
{
    struct mc_csv_check c;
    (void)state;
    assert_true(CHECK("email,name\nana@example.org,Ana Núñez\n", &c));
    assert_int_equal(c.problem, MC_FILE_OK);
    assert_int_equal(c.bom, 0);
    assert_string_equal(c.message, "");
    assert_true(CHECK("\xEF\xBB\xBF"
                      "email,name\r\nana@example.org,Ana\r\n",
                      &c));
    assert_int_equal(c.bom, 3);
    assert_true(CHECK("", &c));
    assert_true(CHECK("\xEF\xBB\xBF", &c));
    /* one column: neither separator can be told, and none is needed */
    assert_true(CHECK("email\nana@example.org\n", &c));
    /* semicolons inside cells of a comma-separated file */
    assert_true(CHECK("email,name,note\na@b.org,Ana,\"x;y;z\"\n", &c));
    /* a quoted header cell holding a semicolon */
    assert_true(CHECK("\"email;work\",name\n", &c));
}

/* "email,name\n" in UTF-16 */
static const char le_bom[] = "\xFF\xFE"
                             "e\0m\0a\0i\0l\0,\0n\0a\0m\0e\0\n\0";
static const char be_bom[] = "\xFE\xFF"
                             "\0e\0m\0a\0i\0l\0,\0n\0a\0m\0e\0\n";
static const char le[] = "e\0m\0a\0i\0l\0,\0n\0a\0m\0e\0\n\0a\0@\0b\0.\0o\0r\0g\0,\0A\0\n\0";
static const char be[] = "\0e\0m\0a\0i\0l\0,\0n\0a\0m\0e\0\n\0a\0@\0b\0.\0o\0r\0g\0,\0A\0\n";

static void test_utf16(void **state)
{
    const char *files[] = {le_bom, be_bom, le, be};
    size_t lens[] = {sizeof le_bom - 1, sizeof be_bom - 1, sizeof le - 1, sizeof be - 1};
    (void)state;
    for (size_t i = 0; i < 4; i++) {
        struct mc_csv_check c;
        assert_false(mc_csv_check(files[i], lens[i], "roster.csv", &c));
        assert_int_equal(c.problem, MC_FILE_UTF16);
        assert_string_equal(c.message, "roster.csv is UTF-16 text; save it as CSV UTF-8");
    }
}

static void test_latin1_names_the_row(void **state)
{
    struct mc_csv_check c;
    (void)state;
    assert_false(CHECK("email,name\na@b.org,Ana\nb@b.org,Jos\xE9\n", &c));
    assert_int_equal(c.problem, MC_FILE_NOT_UTF8);
    assert_int_equal(c.row, 3);
    assert_string_equal(c.message, "roster.csv is not UTF-8 (row 3 looks like Latin-1/Windows "
                                   "text); save it as CSV UTF-8");
    /* Windows-1252 curly quotes in the header; CR line ends */
    assert_false(CHECK("email,\x93name\x94\r", &c));
    assert_int_equal(c.row, 1);
    /* a quoted line break does not start a new row */
    assert_false(CHECK("email,name\na@b.org,\"two\nlines\"\nc@b.org,Ren\xE9\n", &c));
    assert_int_equal(c.row, 3);
    /* overlong "/", an encoded surrogate, past U+10FFFF, a truncated sequence */
    assert_false(CHECK("email,name\na@b.org,\xC0\xAF\n", &c));
    assert_int_equal(c.row, 2);
    assert_false(CHECK("email,name\na@b.org,\xED\xA0\x80\n", &c));
    assert_false(CHECK("email,name\na@b.org,\xF4\x90\x80\x80\n", &c));
    assert_false(CHECK("email,name\na@b.org,\xE2\x82", &c));
    assert_int_equal(c.problem, MC_FILE_NOT_UTF8);
}

static void test_separators(void **state)
{
    struct mc_csv_check c;
    (void)state;
    assert_false(CHECK("email;name;role;coach;school\na@b.org;Ana;learner;;X\n", &c));
    assert_int_equal(c.problem, MC_FILE_SEPARATOR);
    assert_int_equal(c.row, 1);
    assert_string_equal(c.message, "roster.csv is separated by semicolons, not commas; save it "
                                   "as CSV (comma-separated) UTF-8");
    assert_false(CHECK("email\tname\na@b.org\tAna\n", &c));
    assert_string_equal(c.message, "roster.csv is separated by tabs, not commas; save it as CSV "
                                   "(comma-separated) UTF-8");
    /* the European Excel export: semicolons and Windows-1252, one message */
    assert_false(CHECK("email;name\na@b.org;Jos\xE9\n", &c));
    assert_int_equal(c.problem, MC_FILE_NOT_UTF8);
    assert_int_equal(c.row, 2);
    assert_string_equal(c.message, "roster.csv is separated by semicolons and is not UTF-8 (row 2 "
                                   "looks like Latin-1/Windows text); save it as CSV "
                                   "(comma-separated) UTF-8");
}

static void binary_is(const char *data, size_t len, const char *what)
{
    struct mc_csv_check c;
    assert_false(mc_csv_check(data, len, "roster.csv", &c));
    assert_int_equal(c.problem, MC_FILE_BINARY);
    contains(c.message, what);
    contains(c.message, "not CSV");
    contains(c.message, "save it as CSV UTF-8");
    lacks(c.message, "UTF-16 text");
    lacks(c.message, "Latin-1");
    lacks(c.message, "semicolons");
}

static void test_binary_files(void **state)
{
    static const char xlsx[] = "PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0\xAA\xBB[Content_Types].xml"
                               "\xFF\xFE\x80PK\x03\x04\x14\0xl/workbook.xml\0\0";
    static const char zip[] = "PK\x03\x04\x14\0\0\0\x08\0notes.txt\0\x91\x92";
    static const char xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\x3E\0\x03\0\xFE\xFF";
    static const char pdf[] = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n";
    static const char ods[] = "PK\x03\x04\x14\0\0\0\0\0mimetypeapplication/"
                              "vnd.oasis.opendocument.spreadsheet";
    unsigned char noise[600];
    (void)state;
    binary_is(xlsx, sizeof xlsx - 1, "is an Excel workbook (.xlsx), not CSV");
    binary_is(zip, sizeof zip - 1, "a zip archive");
    binary_is(xls, sizeof xls - 1, "an Excel 97-2003 workbook (.xls)");
    binary_is(pdf, sizeof pdf - 1, "a PDF document");
    binary_is(ods, sizeof ods - 1, "OpenDocument spreadsheet");
    /* bytes of every value, NUL among them, in no pattern of UTF-16 */
    for (size_t i = 0; i < sizeof noise; i++)
        noise[i] = (unsigned char)((i * 7919u + 13u) % 251u);
    binary_is((const char *)noise, sizeof noise, "binary data");
    /* text with a NUL in it */
    binary_is("email,name\na@b.org,A\0na\n", 22, "binary data");
    /* control bytes throughout */
    binary_is("\x01\x02\x03\x04\x05\x06\x07\x08\x0E\x0F\x10\x11", 12, "binary data");
}

static void test_subject_is_sanitised(void **state)
{
    struct mc_csv_check c;
    (void)state;
    assert_false(mc_csv_check("a;b\n", 4, "r\xFF.csv", &c));
    assert_true(mc_utf8_well_formed(c.message, strlen(c.message)));
    contains(c.message, "r\xEF\xBF\xBD.csv is separated by semicolons");
    assert_false(mc_csv_check("a;b\n", 4, NULL, &c));
    contains(c.message, "the file is separated by semicolons");
}

static void sanitized_is(const char *in, size_t len, size_t cap, const char *expected)
{
    char out[256];
    assert_true(cap <= sizeof out);
    size_t n = mc_utf8_sanitize(in, len, out, cap);
    assert_int_equal(n, strlen(out));
    assert_true(n < cap);
    if (strcmp(out, expected) != 0)
        fail_msg("sanitised as [%s], expected [%s]", out, expected);
    assert_true(mc_utf8_well_formed(out, n));
}

#define FFFD "\xEF\xBF\xBD"

static void test_sanitize(void **state)
{
    (void)state;
    sanitized_is("Ana Núñez ✓ 𝄞", strlen("Ana Núñez ✓ 𝄞"), 256, "Ana Núñez ✓ 𝄞");
    sanitized_is("a\x80z", 3, 256, "a" FFFD "z");
    sanitized_is("\xC0\xAF", 2, 256, FFFD FFFD);                   /* overlong "/" */
    sanitized_is("\xE0\x80\xAF", 3, 256, FFFD FFFD FFFD);          /* overlong, 3 bytes */
    sanitized_is("\xED\xA0\x80", 3, 256, FFFD FFFD FFFD);          /* U+D800 encoded */
    sanitized_is("\xED\xBF\xBF", 3, 256, FFFD FFFD FFFD);          /* U+DFFF encoded */
    sanitized_is("\xF4\x90\x80\x80", 4, 256, FFFD FFFD FFFD FFFD); /* past U+10FFFF */
    sanitized_is("\xF5\xFE\xFF", 3, 256, FFFD FFFD FFFD);
    sanitized_is("ab\xE2\x82", 4, 256, "ab" FFFD FFFD); /* truncated */
    sanitized_is("a\0b", 3, 256, "a" FFFD "b");
    sanitized_is("\xFF\xFE"
                 "e\0",
                 4, 256, FFFD FFFD "e" FFFD);
    /* bounded on whole characters */
    sanitized_is("abcdefghij", 10, 11, "abcdefghij");
    sanitized_is("abcdefghijk", 11, 11, "abcdefg\xE2\x80\xA6");
    sanitized_is("ñññññ", 10, 10, "ñññ\xE2\x80\xA6");
    sanitized_is("ñññññ", 10, 9, "ññ\xE2\x80\xA6");
    sanitized_is("\xFF\xFF\xFF\xFF", 4, 10, FFFD FFFD "\xE2\x80\xA6");
    sanitized_is("abc", 3, 4, "abc");
    sanitized_is("abcd", 4, 4, "\xE2\x80\xA6");
}

static void test_well_formed(void **state)
{
    (void)state;
    assert_true(mc_utf8_well_formed("", 0));
    assert_true(mc_utf8_well_formed("tab\there\r\n", 10));
    assert_true(mc_utf8_well_formed("\xF0\x9D\x84\x9E", 4));
    assert_false(mc_utf8_well_formed("a\0", 2));
    assert_false(mc_utf8_well_formed("\xC1\xBF", 2));
    assert_false(mc_utf8_well_formed("\xED\xB0\x80", 3));
}

static void test_json_sanitize(void **state)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *inner = cJSON_AddObjectToObject(root, "error");
    (void)state;
    assert_non_null(inner);
    assert_non_null(cJSON_AddStringToObject(inner, "message", "unknown field \"\xFF\xFE\""));
    assert_non_null(cJSON_AddStringToObject(inner, "k\xC0\xAF", "ok"));
    cJSON *list = cJSON_AddArrayToObject(root, "errors");
    assert_non_null(list);
    assert_true(cJSON_AddItemToArray(list, cJSON_CreateString("row \xED\xA0\x80")));
    char longer[700];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_true(cJSON_AddItemToArray(list, cJSON_CreateString(longer)));
    assert_true(mc_json_sanitize(root, 512));
    char *text = cJSON_PrintUnformatted(root);
    assert_non_null(text);
    assert_true(mc_utf8_well_formed(text, strlen(text)));
    cJSON *again = cJSON_Parse(text);
    assert_non_null(again);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(again, "error");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e, "message")->valuestring,
                        "unknown field \"" FFFD FFFD "\"");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(e, "k" FFFD FFFD));
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(again, "errors");
    assert_string_equal(cJSON_GetArrayItem(l, 0)->valuestring, "row " FFFD FFFD FFFD);
    assert_true(strlen(cJSON_GetArrayItem(l, 1)->valuestring) <= 512);
    cJSON_Delete(again);
    free(text);
    cJSON_Delete(root);
}

static void test_error_body_is_utf8(void **state)
{
    (void)state;
    char *text = mc_json_error_body(MC_ERR_INVALID,
                                    "\"\xFF\xFE"
                                    "e\" is not an e-mail address",
                                    "x\xC0");
    assert_non_null(text);
    assert_true(mc_utf8_well_formed(text, strlen(text)));
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    cJSON_Delete(root);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_utf8_is_accepted),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_latin1_names_the_row),
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_binary_files),
        cmocka_unit_test(test_subject_is_sanitised),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_json_sanitize),
        cmocka_unit_test(test_error_body_is_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
