/*
 * test_form.c — HTML form answers (include/mcred/form.h).
 *
 * Covers: pairs split on '&', names and values percent-decoded with '+'
 * as a space; a name without '=' has an empty value; empty pairs skipped;
 * a repeated name gives its first value; a stray '%' kept as it is; CRLF
 * from a textarea kept; invalid UTF-8, NUL and other control characters
 * refused; more than MC_FORM_MAX_FIELDS fields refused; an empty body is
 * an empty form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mcred/form.h"

#include "mcred/banned.h"

static void parse_ok(const char *body, struct mc_form *form)
{
    struct mc_error err;
    mc_error_clear(&err);
    enum mc_err rc = mc_form_parse(body, strlen(body), form, &err);
    if (rc != MC_OK)
        fail_msg("[%s] refused: %s", body, mc_error_message(&err));
}

static void parse_refused(const char *body, size_t len)
{
    struct mc_form form;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_form_parse(body, len, &form, &err), MC_ERR_INVALID);
    mc_form_release(&form);
}

static void test_fields_are_decoded(void **state)
{
    (void)state;
    struct mc_form f;
    parse_ok("csrf=abc&level.1.1=3&feedback.1.1=Clear+plan%2C+well%20done%21&x=%E2%9C%93", &f);
    assert_int_equal(f.count, 4);
    assert_string_equal(mc_form_get(&f, "csrf"), "abc");
    assert_string_equal(mc_form_get(&f, "level.1.1"), "3");
    assert_string_equal(mc_form_get(&f, "feedback.1.1"), "Clear plan, well done!");
    assert_string_equal(mc_form_get(&f, "x"), "✓");
    assert_null(mc_form_get(&f, "missing"));
    mc_form_release(&f);
}

static void test_odd_shapes(void **state)
{
    (void)state;
    struct mc_form f;
    parse_ok("&&flag&a=1&a=2&=v&pct=100%&bad=%zz&k%3Dx=y", &f);
    assert_string_equal(mc_form_get(&f, "flag"), "");
    assert_string_equal(mc_form_get(&f, "a"), "1");
    assert_string_equal(mc_form_get(&f, ""), "v");
    assert_string_equal(mc_form_get(&f, "pct"), "100%");
    assert_string_equal(mc_form_get(&f, "bad"), "%zz");
    assert_string_equal(mc_form_get(&f, "k=x"), "y");
    mc_form_release(&f);
    parse_ok("", &f);
    assert_int_equal(f.count, 0);
    mc_form_release(&f);
}

static void test_textarea_lines_kept(void **state)
{
    (void)state;
    struct mc_form f;
    parse_ok("statement=line+one%0D%0Aline%09two", &f);
    assert_string_equal(mc_form_get(&f, "statement"), "line one\r\nline\ttwo");
    mc_form_release(&f);
}

static void test_bad_text_refused(void **state)
{
    (void)state;
    parse_refused("name=%FF%FE", strlen("name=%FF%FE"));
    parse_refused("name=a%00b", strlen("name=a%00b"));
    parse_refused("name=a%1Bb", strlen("name=a%1Bb"));
    parse_refused("na%C0me=x", strlen("na%C0me=x"));
    parse_refused("name=a\0b", 8);
}

static void test_too_many_fields_refused(void **state)
{
    (void)state;
    size_t n = MC_FORM_MAX_FIELDS + 1;
    char *body = malloc(n * 2);
    assert_non_null(body);
    for (size_t i = 0; i < n; i++) {
        body[2 * i] = 'a';
        body[2 * i + 1] = '&';
    }
    parse_refused(body, n * 2 - 1);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_are_decoded),      cmocka_unit_test(test_odd_shapes),
        cmocka_unit_test(test_textarea_lines_kept),     cmocka_unit_test(test_bad_text_refused),
        cmocka_unit_test(test_too_many_fields_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
