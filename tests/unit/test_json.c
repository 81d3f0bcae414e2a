/*
 * test_json.c — the cJSON helpers of include/mcred/json.h.
 *
 * Covers: mc_json_parse (exact length, surrounding whitespace, trailing
 * garbage, empty and whitespace-only bodies, invalid UTF-8 and control
 * bytes, syntax errors, the output left alone on failure);
 * mc_json_error_body (the {"error":{"code","message","field"}} shape, the
 * field left out when NULL or empty, the default message);
 * mc_json_get_string, mc_json_get_int and mc_json_only_keys (each error is
 * MC_ERR_INVALID naming the field); mc_utf8_valid_text over overlong
 * forms, surrogates, code points past U+10FFFF, truncated sequences, bad
 * continuation bytes and control characters; mc_json_add_string_or_null.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <limits.h>
#include <string.h>

#include "mcred/json.h"

#include "mcred/banned.h"

/* ---- helpers ---- */

static cJSON *parse_ok(const char *text)
{
    cJSON *root = NULL;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_json_parse(text, strlen(text), &root, &err), MC_OK);
    assert_non_null(root);
    return root;
}

/* Parse must fail with MC_ERR_MALFORMED, no field, a message containing `needle`. */
static void parse_fails(const char *text, size_t len, const char *needle)
{
    static cJSON sentinel;
    cJSON *root = &sentinel;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_json_parse(text, len, &root, &err), MC_ERR_MALFORMED);
    assert_ptr_equal(root, &sentinel);
    assert_int_equal(err.code, MC_ERR_MALFORMED);
    assert_string_equal(err.field, "");
    if (needle && !strstr(err.message, needle))
        fail_msg("message \"%s\" does not contain \"%s\"", err.message, needle);
}

/* The length of a string literal, which may hold NUL bytes. */
#define PARSE_FAILS(literal, needle) parse_fails(literal, sizeof literal - 1, needle)

/* ---- mc_json_parse ---- */

static void test_parse_object(void **state)
{
    (void)state;
    cJSON *root = parse_ok("{\"name\":\"Ada\",\"n\":3}");
    assert_true(cJSON_IsObject(root));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(root, "name")->valuestring, "Ada");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(root, "n")->valueint, 3);
    cJSON_Delete(root);
}

static void test_parse_scalars_and_whitespace(void **state)
{
    (void)state;
    cJSON *root = parse_ok(" \t\r\n[1, 2] \n\t\r ");
    assert_true(cJSON_IsArray(root));
    assert_int_equal(cJSON_GetArraySize(root), 2);
    cJSON_Delete(root);
    root = parse_ok("42");
    assert_true(cJSON_IsNumber(root));
    cJSON_Delete(root);
    root = parse_ok("null");
    assert_true(cJSON_IsNull(root));
    cJSON_Delete(root);
}

/* Only `len` bytes are read: what follows them does not count. */
static void test_parse_uses_length(void **state)
{
    (void)state;
    static const char text[] = "{\"a\":1}garbage";
    cJSON *root = NULL;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_json_parse(text, 7, &root, &err), MC_OK);
    assert_non_null(root);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(root, "a")->valueint, 1);
    cJSON_Delete(root);
    /* and a body that is not NUL-terminated at all */
    char raw[2] = {'[', ']'};
    root = NULL;
    assert_int_equal(mc_json_parse(raw, sizeof raw, &root, &err), MC_OK);
    assert_true(cJSON_IsArray(root));
    cJSON_Delete(root);
}

static void test_parse_trailing_garbage(void **state)
{
    (void)state;
    PARSE_FAILS("{\"a\":1}x", "unexpected data at byte 7");
    PARSE_FAILS("{\"a\":1}  x", "unexpected data at byte 9");
    PARSE_FAILS("{} {}", "unexpected data at byte 3");
    PARSE_FAILS("1 2", "unexpected data");
    PARSE_FAILS("{\"a\":1},", "unexpected data");
}

static void test_parse_empty_body(void **state)
{
    (void)state;
    PARSE_FAILS("", "empty");
    parse_fails("{}", 0, "empty");
    /* U+0000 would cut the C string short: refused, inside keys and values alike */
    PARSE_FAILS("{\"name\":\"a\\u0000b\"}", "u0000");
    PARSE_FAILS("{\"a\\u0000\":1}", "u0000");
    PARSE_FAILS("   \r\n", NULL);
}

static void test_parse_invalid_utf8(void **state)
{
    (void)state;
    PARSE_FAILS("\"\xff\"", "UTF-8");
    PARSE_FAILS("{\"a\":\"\xc3\"}", "UTF-8");
    PARSE_FAILS("{\"a\":\"\xed\xa0\x80\"}", "UTF-8");
    /* a NUL or another control byte inside the body */
    PARSE_FAILS("{}\0", "UTF-8");
    PARSE_FAILS("{\"a\":\"x\x01y\"}", "UTF-8");
}

static void test_parse_syntax_error(void **state)
{
    (void)state;
    PARSE_FAILS("{\"a\":}", "could not parse JSON body");
    PARSE_FAILS("{\"a\" 1}", "could not parse JSON body");
    PARSE_FAILS("[1,2", "could not parse JSON body");
    PARSE_FAILS("nul", "could not parse JSON body");
}

/* err may be NULL; the code still comes back. */
static void test_parse_without_error_record(void **state)
{
    (void)state;
    cJSON *root = NULL;
    assert_int_equal(mc_json_parse("{", 1, &root, NULL), MC_ERR_MALFORMED);
    assert_null(root);
}

static void test_print_is_compact(void **state)
{
    (void)state;
    cJSON *root = parse_ok("{ \"a\" : [ 1 , true ] , \"b\" : null }");
    char *text = mc_json_print(root);
    assert_non_null(text);
    assert_string_equal(text, "{\"a\":[1,true],\"b\":null}");
    free(text);
    cJSON_Delete(root);
}

/* ---- mc_json_error_body ---- */

static void test_error_body_with_field(void **state)
{
    (void)state;
    char *body = mc_json_error_body(MC_ERR_INVALID, "email is not an e-mail address", "email");
    assert_non_null(body);
    assert_string_equal(body, "{\"error\":{\"code\":\"invalid\","
                              "\"message\":\"email is not an e-mail address\","
                              "\"field\":\"email\"}}");
    free(body);
}

static void test_error_body_without_field(void **state)
{
    (void)state;
    char *body = mc_json_error_body(MC_ERR_CONFLICT, "slug is taken", NULL);
    assert_non_null(body);
    assert_string_equal(body, "{\"error\":{\"code\":\"conflict\",\"message\":\"slug is taken\"}}");
    free(body);
    body = mc_json_error_body(MC_ERR_CONFLICT, "slug is taken", "");
    assert_non_null(body);
    assert_string_equal(body, "{\"error\":{\"code\":\"conflict\",\"message\":\"slug is taken\"}}");
    free(body);
}

static void test_error_body_default_message(void **state)
{
    (void)state;
    char *body = mc_json_error_body(MC_ERR_NOT_FOUND, NULL, NULL);
    assert_non_null(body);
    assert_string_equal(body, "{\"error\":{\"code\":\"not_found\",\"message\":\"not found\"}}");
    free(body);
    body = mc_json_error_body(MC_ERR_METHOD, "", NULL);
    assert_non_null(body);
    assert_string_equal(body, "{\"error\":{\"code\":\"method_not_allowed\","
                              "\"message\":\"method not allowed\"}}");
    free(body);
}

/* Quotes, backslashes and newlines in a message stay valid JSON. */
static void test_error_body_escapes(void **state)
{
    (void)state;
    const char *message = "unknown field \"x\\y\"\nsee docs";
    char *body = mc_json_error_body(MC_ERR_INVALID, message, "a\"b");
    assert_non_null(body);
    cJSON *root = parse_ok(body);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    assert_true(cJSON_IsObject(e));
    assert_int_equal(cJSON_GetArraySize(e), 3);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e, "code")->valuestring, "invalid");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e, "message")->valuestring, message);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e, "field")->valuestring, "a\"b");
    cJSON_Delete(root);
    free(body);
}

/* ---- mc_json_get_string ---- */

/* Expect MC_ERR_INVALID naming `key`, with `needle` in the message, and *out untouched. */
static void get_string_fails(const char *json, const char *key, bool required, size_t max_len,
                             const char *needle)
{
    cJSON *root = parse_ok(json);
    const char *sentinel = "untouched";
    const char *out = sentinel;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_json_get_string(root, key, required, max_len, &out, &err), MC_ERR_INVALID);
    assert_int_equal(err.code, MC_ERR_INVALID);
    assert_string_equal(err.field, key);
    assert_ptr_equal(out, sentinel);
    if (!strstr(err.message, needle))
        fail_msg("message \"%s\" does not contain \"%s\"", err.message, needle);
    cJSON_Delete(root);
}

static void test_get_string_present(void **state)
{
    (void)state;
    cJSON *root = parse_ok("{\"name\":\"Ada Lovelace\",\"tab\":\"a\\tb\",\"u\":\"caf\\u00e9\"}");
    const char *out = NULL;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_json_get_string(root, "name", true, 100, &out, &err), MC_OK);
    assert_string_equal(out, "Ada Lovelace");
    assert_int_equal(mc_json_get_string(root, "tab", true, 100, &out, &err), MC_OK);
    assert_string_equal(out, "a\tb");
    assert_int_equal(mc_json_get_string(root, "u", true, 5, &out, &err), MC_OK);
    assert_string_equal(out, "caf\xc3\xa9");
    cJSON_Delete(root);
}

static void test_get_string_absent_optional(void **state)
{
    (void)state;
    cJSON *root = parse_ok("{\"other\":\"x\",\"gone\":null,\"blank\":\"\"}");
    const char *out = "untouched";
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_json_get_string(root, "name", false, 10, &out, &err), MC_OK);
    assert_null(out);
    out = "untouched";
    assert_int_equal(mc_json_get_string(root, "gone", false, 10, &out, &err), MC_OK);
    assert_null(out);
    assert_int_equal(mc_json_get_string(root, "blank", false, 10, &out, &err), MC_OK);
    assert_string_equal(out, "");
    assert_int_equal(err.code, MC_OK);
    cJSON_Delete(root);
}

static void test_get_string_errors_name_the_field(void **state)
{
    (void)state;
    get_string_fails("{}", "name", true, 10, "name is required");
    get_string_fails("{\"name\":null}", "name", true, 10, "name is required");
    get_string_fails("{\"name\":12}", "name", false, 10, "name must be a string");
    get_string_fails("{\"name\":[\"a\"]}", "name", true, 10, "name must be a string");
    get_string_fails("{\"name\":true}", "name", true, 10, "name must be a string");
    get_string_fails("{\"name\":\"\"}", "name", true, 10, "name must not be empty");
    get_string_fails("{\"email\":\"a\\u0001b\"}", "email", true, 10, "email");
    get_string_fails("{\"email\":\"a\\u001fb\"}", "email", false, 10, "email");
    /* keys are case-sensitive */
    get_string_fails("{\"Name\":\"x\"}", "name", true, 10, "name is required");
}

/* max_len counts bytes, and is inclusive. */
static void test_get_string_max_len(void **state)
{
    (void)state;
    cJSON *root = parse_ok("{\"s\":\"abc\"}");
    const char *out = NULL;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_json_get_string(root, "s", true, 3, &out, &err), MC_OK);
    assert_string_equal(out, "abc");
    cJSON_Delete(root);
    get_string_fails("{\"s\":\"abcd\"}", "s", true, 3, "longer than 3 bytes");
    get_string_fails("{\"s\":\"\\u00e9\\u00e9\"}", "s", true, 3, "longer than 3 bytes");
}

/* ---- mc_json_get_int ---- */

static void get_int_fails(const char *json, const char *key, bool required, long long min,
                          long long max, const char *needle)
{
    cJSON *root = parse_ok(json);
    long long out = 777;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_json_get_int(root, key, required, min, max, &out, &err), MC_ERR_INVALID);
    assert_int_equal(err.code, MC_ERR_INVALID);
    assert_string_equal(err.field, key);
    assert_int_equal(out, 777);
    if (!strstr(err.message, needle))
        fail_msg("message \"%s\" does not contain \"%s\"", err.message, needle);
    cJSON_Delete(root);
}

static void test_get_int_in_range(void **state)
{
    (void)state;
    cJSON *root = parse_ok("{\"lo\":1,\"hi\":500,\"neg\":-20,\"zero\":0,\"exp\":1e2}");
    long long out = 0;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_json_get_int(root, "lo", true, 1, 500, &out, &err), MC_OK);
    assert_int_equal(out, 1);
    assert_int_equal(mc_json_get_int(root, "hi", true, 1, 500, &out, &err), MC_OK);
    assert_int_equal(out, 500);
    assert_int_equal(mc_json_get_int(root, "neg", true, -100, -10, &out, &err), MC_OK);
    assert_true(out == -20);
    assert_int_equal(mc_json_get_int(root, "zero", true, 0, 0, &out, &err), MC_OK);
    assert_int_equal(out, 0);
    assert_int_equal(mc_json_get_int(root, "exp", true, 0, 1000, &out, &err), MC_OK);
    assert_int_equal(out, 100);
    assert_int_equal(err.code, MC_OK);
    cJSON_Delete(root);
}

static void test_get_int_absent_optional_leaves_out(void **state)
{
    (void)state;
    cJSON *root = parse_ok("{\"n\":null}");
    long long out = 50;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_json_get_int(root, "limit", false, 1, 500, &out, &err), MC_OK);
    assert_int_equal(out, 50);
    assert_int_equal(mc_json_get_int(root, "n", false, 1, 500, &out, &err), MC_OK);
    assert_int_equal(out, 50);
    cJSON_Delete(root);
}

static void test_get_int_errors_name_the_field(void **state)
{
    (void)state;
    get_int_fails("{}", "limit", true, 1, 500, "limit is required");
    get_int_fails("{\"limit\":null}", "limit", true, 1, 500, "limit is required");
    get_int_fails("{\"limit\":\"5\"}", "limit", true, 1, 500, "limit must be an integer");
    get_int_fails("{\"limit\":true}", "limit", false, 1, 500, "limit must be an integer");
    get_int_fails("{\"limit\":1.5}", "limit", true, 1, 500, "limit must be an integer");
    get_int_fails("{\"limit\":0}", "limit", true, 1, 500, "limit must be between 1 and 500");
    get_int_fails("{\"limit\":501}", "limit", true, 1, 500, "limit must be between 1 and 500");
    get_int_fails("{\"limit\":-1}", "limit", false, 0, 10, "between 0 and 10");
    get_int_fails("{\"limit\":1e300}", "limit", true, 1, 500, "between");
    get_int_fails("{\"limit\":-1e300}", "limit", true, 1, 500, "between");
    /* 2^63 as a double is past long long: refused, never converted out of range */
    get_int_fails("{\"n\":9223372036854775807}", "n", true, LLONG_MIN, LLONG_MAX, "between");
    get_int_fails("{\"n\":9223372036854775808}", "n", true, LLONG_MIN, LLONG_MAX, "between");
    get_int_fails("{\"n\":-1e19}", "n", true, LLONG_MIN, LLONG_MAX, "between");
}

/* ---- mc_json_only_keys ---- */

static void test_only_keys(void **state)
{
    (void)state;
    static const char *const allowed[] = {"name", "email", NULL};
    static const char *const none[] = {NULL};
    struct mc_error err;
    mc_error_clear(&err);

    cJSON *root = parse_ok("{\"name\":\"a\",\"email\":\"b\"}");
    assert_int_equal(mc_json_only_keys(root, allowed, &err), MC_OK);
    cJSON_Delete(root);

    root = parse_ok("{}");
    assert_int_equal(mc_json_only_keys(root, allowed, &err), MC_OK);
    assert_int_equal(mc_json_only_keys(root, none, &err), MC_OK);
    cJSON_Delete(root);

    root = parse_ok("{\"name\":\"a\",\"role\":\"admin\"}");
    assert_int_equal(mc_json_only_keys(root, allowed, &err), MC_ERR_INVALID);
    assert_string_equal(err.field, "role");
    assert_string_equal(err.message, "unknown field \"role\"");
    cJSON_Delete(root);

    /* a prefix of an allowed name is not that name */
    root = parse_ok("{\"nam\":\"a\"}");
    assert_int_equal(mc_json_only_keys(root, allowed, &err), MC_ERR_INVALID);
    assert_string_equal(err.field, "nam");
    cJSON_Delete(root);

    root = parse_ok("{\"name\":\"a\"}");
    assert_int_equal(mc_json_only_keys(root, none, &err), MC_ERR_INVALID);
    assert_string_equal(err.field, "name");
    cJSON_Delete(root);
}

static void test_only_keys_needs_an_object(void **state)
{
    (void)state;
    static const char *const allowed[] = {"name", NULL};
    struct mc_error err;
    mc_error_clear(&err);
    cJSON *root = parse_ok("[\"name\"]");
    assert_int_equal(mc_json_only_keys(root, allowed, &err), MC_ERR_INVALID);
    assert_string_equal(err.field, "");
    assert_string_equal(err.message, "request body must be a JSON object");
    cJSON_Delete(root);
    root = parse_ok("\"name\"");
    assert_int_equal(mc_json_only_keys(root, allowed, &err), MC_ERR_INVALID);
    cJSON_Delete(root);
}

/* ---- mc_utf8_valid_text ---- */

struct utf8_case {
    const char *bytes;
    size_t len;
    const char *what;
};
#define U8(s, what)                                                                                \
    {                                                                                              \
        s, sizeof s - 1, what                                                                      \
    }

static void test_utf8_valid(void **state)
{
    (void)state;
    static const struct utf8_case cases[] = {
        U8("", "empty"),
        U8("plain ASCII ~!", "ascii"),
        U8("tab\tnewline\ncr\r", "allowed C0 controls"),
        U8("\xc2\x80", "U+0080, smallest 2-byte"),
        U8("caf\xc3\xa9", "2-byte"),
        U8("\xdf\xbf", "U+07FF"),
        U8("\xe0\xa0\x80", "U+0800, smallest 3-byte"),
        U8("\xe2\x82\xac", "euro sign"),
        U8("\xed\x9f\xbf", "U+D7FF, just below the surrogates"),
        U8("\xee\x80\x80", "U+E000, just above the surrogates"),
        U8("\xef\xbf\xbf", "U+FFFF"),
        U8("\xf0\x90\x80\x80", "U+10000, smallest 4-byte"),
        U8("\xf0\x9f\x98\x80", "emoji"),
        U8("\xf4\x8f\xbf\xbf", "U+10FFFF, the largest"),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (!mc_utf8_valid_text(cases[i].bytes, cases[i].len))
            fail_msg("refused valid text: %s", cases[i].what);
}

static void test_utf8_invalid(void **state)
{
    (void)state;
    static const struct utf8_case cases[] = {
        U8("\0", "NUL"),
        U8("a\x01z", "SOH"),
        U8("\x1b[0m", "ESC"),
        U8("\x1f", "US"),
        U8("\x80", "lone continuation byte"),
        U8("\xbf", "lone continuation byte BF"),
        U8("\xc0\x80", "overlong NUL"),
        U8("\xc0\xaf", "overlong slash, 2 bytes"),
        U8("\xc1\xbf", "overlong 2-byte C1"),
        U8("\xe0\x80\xaf", "overlong slash, 3 bytes"),
        U8("\xe0\x9f\xbf", "overlong U+07FF, 3 bytes"),
        U8("\xf0\x80\x80\xaf", "overlong slash, 4 bytes"),
        U8("\xf0\x8f\xbf\xbf", "overlong U+FFFF, 4 bytes"),
        U8("\xed\xa0\x80", "U+D800, high surrogate"),
        U8("\xed\xbf\xbf", "U+DFFF, low surrogate"),
        U8("\xed\xa0\xbd\xed\xb8\x80", "CESU-8 surrogate pair"),
        U8("\xf4\x90\x80\x80", "U+110000"),
        U8("\xf5\x80\x80\x80", "lead byte F5"),
        U8("\xf7\xbf\xbf\xbf", "U+1FFFFF"),
        U8("\xf8\x88\x80\x80\x80", "5-byte form"),
        U8("\xfc\x84\x80\x80\x80\x80", "6-byte form"),
        U8("\xfe", "FE"),
        U8("\xff", "FF"),
        U8("\xc3", "truncated 2-byte"),
        U8("\xe2\x82", "truncated 3-byte"),
        U8("\xf0\x9f\x98", "truncated 4-byte"),
        U8("ok\xf0\x9f", "truncated at the end"),
        U8("\xc3\x28", "bad continuation, 2-byte"),
        U8("\xe2\x28\xa1", "bad 2nd byte, 3-byte"),
        U8("\xe2\x82\x28", "bad 3rd byte, 3-byte"),
        U8("\xf0\x9f\x98\x28", "bad 4th byte, 4-byte"),
        U8("\xc3\xa9\xa9", "extra continuation byte"),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (mc_utf8_valid_text(cases[i].bytes, cases[i].len))
            fail_msg("accepted invalid text: %s", cases[i].what);
}

/* The length bounds the check: bytes past it are not looked at, bytes before it are. */
static void test_utf8_respects_length(void **state)
{
    (void)state;
    assert_true(mc_utf8_valid_text("ab\xff", 2));
    assert_false(mc_utf8_valid_text("ab\xff", 3));
    /* a valid sequence cut short by the length */
    assert_false(mc_utf8_valid_text("\xc3\xa9", 1));
    assert_false(mc_utf8_valid_text("\xe2\x82\xac", 2));
    assert_true(mc_utf8_valid_text("\xe2\x82\xac", 3));
}

/* ---- mc_json_add_string_or_null ---- */

static void test_add_string_or_null(void **state)
{
    (void)state;
    cJSON *o = cJSON_CreateObject();
    assert_non_null(o);
    assert_true(mc_json_add_string_or_null(o, "a", "x"));
    assert_true(mc_json_add_string_or_null(o, "b", NULL));
    char *text = mc_json_print(o);
    assert_non_null(text);
    assert_string_equal(text, "{\"a\":\"x\",\"b\":null}");
    free(text);
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_object),
        cmocka_unit_test(test_parse_scalars_and_whitespace),
        cmocka_unit_test(test_parse_uses_length),
        cmocka_unit_test(test_parse_trailing_garbage),
        cmocka_unit_test(test_parse_empty_body),
        cmocka_unit_test(test_parse_invalid_utf8),
        cmocka_unit_test(test_parse_syntax_error),
        cmocka_unit_test(test_parse_without_error_record),
        cmocka_unit_test(test_print_is_compact),
        cmocka_unit_test(test_error_body_with_field),
        cmocka_unit_test(test_error_body_without_field),
        cmocka_unit_test(test_error_body_default_message),
        cmocka_unit_test(test_error_body_escapes),
        cmocka_unit_test(test_get_string_present),
        cmocka_unit_test(test_get_string_absent_optional),
        cmocka_unit_test(test_get_string_errors_name_the_field),
        cmocka_unit_test(test_get_string_max_len),
        cmocka_unit_test(test_get_int_in_range),
        cmocka_unit_test(test_get_int_absent_optional_leaves_out),
        cmocka_unit_test(test_get_int_errors_name_the_field),
        cmocka_unit_test(test_only_keys),
        cmocka_unit_test(test_only_keys_needs_an_object),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_invalid),
        cmocka_unit_test(test_utf8_respects_length),
        cmocka_unit_test(test_add_string_or_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
