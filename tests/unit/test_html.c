/*
 * test_html.c — the page builder of include/mcred/html.h.
 *
 * Covers: the five HTML specials escaped in text (a <script> name comes
 * out inert), bytes passed through otherwise (UTF-8 untouched); URL parts
 * percent-encoded; a tag around escaped text closed by its name alone;
 * the first error kept and everything after it ignored, so that a page
 * past its ceiling is an error, never half a page.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mcred/html.h"

#include "mcred/banned.h"

static void text_is(const char *text, const char *expected)
{
    struct html h;
    html_init(&h, 4096);
    html_text(&h, text);
    assert_int_equal(h.rc, MC_OK);
    assert_string_equal(h.buf.data, expected);
    html_release(&h);
}

static void test_specials_are_escaped(void **state)
{
    (void)state;
    text_is("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
    text_is("Tom & \"Jerry\" 'x'", "Tom &amp; &quot;Jerry&quot; &#39;x&#39;");
    text_is("\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
    text_is("plain text", "plain text");
    text_is("", "");
    text_is("María Ñúñez — 学校", "María Ñúñez — 学校");
    text_is("&amp;", "&amp;amp;");
}

static void test_null_text_appends_nothing(void **state)
{
    (void)state;
    struct html h;
    html_init(&h, 64);
    html_raw(&h, "<p>");
    html_text(&h, NULL);
    html_raw(&h, "</p>");
    assert_string_equal(h.buf.data, "<p></p>");
    html_release(&h);
}

static void test_tag_closes_by_name(void **state)
{
    (void)state;
    struct html h;
    html_init(&h, 256);
    html_tag(&h, "td class=\"n\"", "a<b");
    html_tag(&h, "h1", "Hi");
    assert_string_equal(h.buf.data, "<td class=\"n\">a&lt;b</td><h1>Hi</h1>");
    html_release(&h);
}

static void test_url_parts_are_encoded(void **state)
{
    (void)state;
    struct html h;
    html_init(&h, 256);
    html_url_part(&h, "a b/c?d=e&f\"<é~._-");
    assert_string_equal(h.buf.data, "a%20b%2Fc%3Fd%3De%26f%22%3C%C3%A9~._-");
    html_release(&h);
}

static void test_rawf_formats_long_markup(void **state)
{
    (void)state;
    struct html h;
    html_init(&h, 8192);
    char long_class[1000];
    memset(long_class, 'x', sizeof long_class - 1);
    long_class[sizeof long_class - 1] = '\0';
    html_rawf(&h, "<p class=\"%s\">%d</p>", long_class, 42);
    assert_int_equal(h.rc, MC_OK);
    assert_int_equal(h.buf.len, strlen(long_class) + strlen("<p class=\"\">42</p>"));
    html_release(&h);
}

static void test_first_error_is_kept(void **state)
{
    (void)state;
    struct html h;
    html_init(&h, 16);
    html_raw(&h, "0123456789");
    html_text(&h, "<<<<<<<<"); /* past the ceiling */
    assert_int_equal(h.rc, MC_ERR_TOO_LARGE);
    html_raw(&h, "x"); /* ignored */
    assert_int_equal(h.rc, MC_ERR_TOO_LARGE);
    assert_int_equal(h.buf.len, 0);
    html_release(&h);
}

static void test_escape_into(void **state)
{
    (void)state;
    char out[16];
    assert_true(html_escape_into("a<b", out, sizeof out));
    assert_string_equal(out, "a&lt;b");
    assert_false(html_escape_into("<<<<<<<<", out, sizeof out));
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_specials_are_escaped),
        cmocka_unit_test(test_null_text_appends_nothing),
        cmocka_unit_test(test_tag_closes_by_name),
        cmocka_unit_test(test_url_parts_are_encoded),
        cmocka_unit_test(test_rawf_formats_long_markup),
        cmocka_unit_test(test_first_error_is_kept),
        cmocka_unit_test(test_escape_into),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
