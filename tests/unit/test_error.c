/*
 * test_error.c — the error codes of include/mcred/error.h and lib/error.c.
 *
 * Covers: the codes keep their numbers; every code from MC_OK to
 * MC_ERR_TIMEOUT has a unique machine name in snake_case, a message in the
 * house style (lowercase, no trailing period) and the HTTP status its
 * header comment promises; struct mc_error recording with mc_error_set /
 * mc_error_setv (formatting, NULL field and format, NULL err, truncation
 * to the fixed sizes) and mc_error_message falling back to the default.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mcred/error.h"

#include "mcred/banned.h"

#define FIRST_CODE MC_OK
#define LAST_CODE  MC_ERR_TIMEOUT

/* Codes are never renumbered (they travel between server and CLI). */
static void test_codes_are_stable(void **state)
{
    (void)state;
    static const struct {
        enum mc_err code;
        int number;
    } numbers[] = {
        {MC_OK, 0},
        {MC_ERR_MALFORMED, 1},
        {MC_ERR_UNAUTHENTICATED, 2},
        {MC_ERR_FORBIDDEN, 3},
        {MC_ERR_NOT_FOUND, 4},
        {MC_ERR_METHOD, 5},
        {MC_ERR_CONFLICT, 6},
        {MC_ERR_TOO_LARGE, 7},
        {MC_ERR_URI_TOO_LONG, 8},
        {MC_ERR_MEDIA_TYPE, 9},
        {MC_ERR_INVALID, 10},
        {MC_ERR_RATE_LIMITED, 11},
        {MC_ERR_INTERNAL, 12},
        {MC_ERR_NOMEM, 13},
        {MC_ERR_UNAVAILABLE, 14},
        {MC_ERR_TIMEOUT, 15},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        assert_int_equal((int)numbers[i].code, numbers[i].number);
}

/* The statuses written in error.h's comments, indexed by code. */
static const unsigned expected_status[] = {
    [MC_OK] = 200,
    [MC_ERR_MALFORMED] = 400,
    [MC_ERR_UNAUTHENTICATED] = 401,
    [MC_ERR_FORBIDDEN] = 403,
    [MC_ERR_NOT_FOUND] = 404,
    [MC_ERR_METHOD] = 405,
    [MC_ERR_CONFLICT] = 409,
    [MC_ERR_TOO_LARGE] = 413,
    [MC_ERR_URI_TOO_LONG] = 414,
    [MC_ERR_MEDIA_TYPE] = 415,
    [MC_ERR_INVALID] = 422,
    [MC_ERR_RATE_LIMITED] = 429,
    [MC_ERR_INTERNAL] = 500,
    [MC_ERR_NOMEM] = 500,
    [MC_ERR_UNAVAILABLE] = 503,
    [MC_ERR_TIMEOUT] = 503,
};

static void test_http_status(void **state)
{
    (void)state;
    assert_int_equal(sizeof expected_status / sizeof expected_status[0], LAST_CODE + 1);
    for (int c = FIRST_CODE; c <= LAST_CODE; c++)
        if (mc_http_status((enum mc_err)c) != expected_status[c])
            fail_msg("code %d (%s): status %u, expected %u", c, mc_err_name((enum mc_err)c),
                     mc_http_status((enum mc_err)c), expected_status[c]);
}

static void test_names_unique_and_snake_case(void **state)
{
    (void)state;
    for (int c = FIRST_CODE; c <= LAST_CODE; c++) {
        const char *name = mc_err_name((enum mc_err)c);
        assert_non_null(name);
        if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyz_") != strlen(name) ||
            name[0] == '_' || name[strlen(name) - 1] == '_')
            fail_msg("code %d has name \"%s\", not snake_case", c, name);
        for (int d = FIRST_CODE; d < c; d++)
            if (strcmp(name, mc_err_name((enum mc_err)d)) == 0)
                fail_msg("codes %d and %d share the name \"%s\"", d, c, name);
    }
    /* the names the API documents */
    assert_string_equal(mc_err_name(MC_OK), "ok");
    assert_string_equal(mc_err_name(MC_ERR_NOT_FOUND), "not_found");
    assert_string_equal(mc_err_name(MC_ERR_INVALID), "invalid");
    assert_string_equal(mc_err_name(MC_ERR_METHOD), "method_not_allowed");
}

static void test_messages_house_style(void **state)
{
    (void)state;
    for (int c = FIRST_CODE; c <= LAST_CODE; c++) {
        const char *msg = mc_strerror((enum mc_err)c);
        assert_non_null(msg);
        size_t n = strlen(msg);
        if (n == 0 || msg[0] < 'a' || msg[0] > 'z' || msg[n - 1] == '.' || msg[n - 1] == ' ')
            fail_msg("code %d has message \"%s\": not lowercase, or ends badly", c, msg);
    }
    assert_string_equal(mc_strerror(MC_ERR_NOT_FOUND), "not found");
    /* two codes sharing a status still say different things */
    assert_string_not_equal(mc_strerror(MC_ERR_INTERNAL), mc_strerror(MC_ERR_NOMEM));
    assert_string_not_equal(mc_strerror(MC_ERR_UNAVAILABLE), mc_strerror(MC_ERR_TIMEOUT));
}

static void test_error_set_records(void **state)
{
    (void)state;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(err.code, MC_OK);
    assert_string_equal(err.field, "");
    assert_string_equal(err.message, "");

    enum mc_err rc =
        mc_error_set(&err, MC_ERR_INVALID, "email", "%s is not an e-mail address", "\"x\"");
    assert_int_equal(rc, MC_ERR_INVALID);
    assert_int_equal(err.code, MC_ERR_INVALID);
    assert_string_equal(err.field, "email");
    assert_string_equal(err.message, "\"x\" is not an e-mail address");
    assert_string_equal(mc_error_message(&err), "\"x\" is not an e-mail address");

    mc_error_clear(&err);
    assert_int_equal(err.code, MC_OK);
    assert_string_equal(err.field, "");
    assert_string_equal(err.message, "");
}

static void test_error_set_without_field_or_message(void **state)
{
    (void)state;
    struct mc_error err;
    mc_error_clear(&err);
    (void)mc_error_set(&err, MC_ERR_INVALID, "stale", "old");
    assert_int_equal(mc_error_set(&err, MC_ERR_FORBIDDEN, NULL, NULL), MC_ERR_FORBIDDEN);
    assert_int_equal(err.code, MC_ERR_FORBIDDEN);
    assert_string_equal(err.field, "");
    assert_string_equal(err.message, "");
    assert_string_equal(mc_error_message(&err), "permission denied");
}

static void test_error_set_null_err(void **state)
{
    (void)state;
    assert_int_equal(mc_error_set(NULL, MC_ERR_CONFLICT, "slug", "slug %s is taken", "acme"),
                     MC_ERR_CONFLICT);
}

static void test_error_set_truncates(void **state)
{
    (void)state;
    char long_field[MC_MAX_ERR_FIELD * 2];
    memset(long_field, 'f', sizeof long_field - 1);
    long_field[sizeof long_field - 1] = '\0';
    char long_text[MC_MAX_ERR_MESSAGE * 2];
    memset(long_text, 'm', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';

    struct mc_error err;
    mc_error_clear(&err);
    (void)mc_error_set(&err, MC_ERR_INVALID, long_field, "%s", long_text);
    assert_int_equal(strlen(err.field), MC_MAX_ERR_FIELD - 1);
    assert_int_equal(strlen(err.message), MC_MAX_ERR_MESSAGE - 1);
    assert_int_equal(err.field[0], 'f');
    assert_int_equal(err.message[MC_MAX_ERR_MESSAGE - 2], 'm');
}

/* A variadic wrapper, as request_fail() is, passes its arguments through setv. */
static enum mc_err __attribute__((format(printf, 3, 4)))
wrapper(struct mc_error *err, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum mc_err rc = mc_error_setv(err, MC_ERR_NOT_FOUND, field, fmt, ap);
    va_end(ap);
    return rc;
}

static void test_error_setv(void **state)
{
    (void)state;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(wrapper(&err, "id", "cohort %s (%d) not found", "c1", 7), MC_ERR_NOT_FOUND);
    assert_int_equal(err.code, MC_ERR_NOT_FOUND);
    assert_string_equal(err.field, "id");
    assert_string_equal(err.message, "cohort c1 (7) not found");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_are_stable),
        cmocka_unit_test(test_http_status),
        cmocka_unit_test(test_names_unique_and_snake_case),
        cmocka_unit_test(test_messages_house_style),
        cmocka_unit_test(test_error_set_records),
        cmocka_unit_test(test_error_set_without_field_or_message),
        cmocka_unit_test(test_error_set_null_err),
        cmocka_unit_test(test_error_set_truncates),
        cmocka_unit_test(test_error_setv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
