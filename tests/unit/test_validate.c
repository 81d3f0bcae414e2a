/*
 * test_validate.c — the value checks of include/mcred/validate.h.
 *
 * Covers: e-mail addresses (one '@', local part without spaces, control
 * or special characters and without leading, trailing or doubled dots, a
 * domain of at least two labels of letters, digits and inner '-', the
 * MC_MAX_EMAIL and 63-byte label bounds); slugs ([a-z0-9][a-z0-9-]*, at
 * most MC_MAX_SLUG); UUIDs in their 36-character form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mcred/limits.h"
#include "mcred/validate.h"

#include "mcred/banned.h"

static void check_all(bool (*check)(const char *), const char *const *values, bool expected,
                      const char *what)
{
    for (size_t i = 0; values[i]; i++)
        if (check(values[i]) != expected)
            fail_msg("%s \"%s\" was %s", what, values[i], expected ? "refused" : "accepted");
}

/* A string of n copies of c followed by suffix, in buf. */
static const char *repeat(char *buf, size_t size, char c, size_t n, const char *suffix)
{
    size_t slen = strlen(suffix);
    assert_true(n + slen < size);
    memset(buf, c, n);
    memcpy(buf + n, suffix, slen + 1);
    return buf;
}

static void test_email_valid(void **state)
{
    (void)state;
    static const char *const good[] = {
        "a@b.co",
        "ada@example.org",
        "first.last+tag@example.org",
        "o'brien@example.ie",
        "x_y-z@sub.domain.example",
        "user@xn--bcher-kva.example",
        "user@ex-ample.com",
        "user@b\xc3\xbc"
        "cher.de",
        "UPPER@EXAMPLE.COM",
        "1@2.3",
        NULL,
    };
    check_all(mc_email_valid, good, true, "e-mail");
}

static void test_email_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "a",
        "a@",
        "@example.com",
        "user@",
        "user@example",
        "user@@example.com",
        "a@b@example.com",
        "a b@example.com",
        "a\tb@example.com",
        "a\x01"
        "b@example.com",
        "a\x7f"
        "b@example.com",
        " a@example.com",
        ".a@example.com",
        "a.@example.com",
        "a..b@example.com",
        "a\"b@example.com",
        "a(b)@example.com",
        "a,b@example.com",
        "a:b@example.com",
        "a;b@example.com",
        "<a>@example.com",
        "a[b]@example.com",
        "a\\b@example.com",
        "a@.example.com",
        "a@example..com",
        "a@example.com.",
        "a@-example.com",
        "a@example-.com",
        "a@example.-com",
        "a@exa_mple.com",
        "a@exa mple.com",
        "a@example.com ",
        "a@[127.0.0.1]",
        NULL,
    };
    check_all(mc_email_valid, bad, false, "e-mail");
}

static void test_email_length_bounds(void **state)
{
    (void)state;
    char buf[512];
    /* local part of 64 + "@" + domain; pad the domain with 63-byte labels */
    char domain[300];
    char label[64];
    repeat(label, sizeof label, 'd', 63, "");
    /* 63 + 1 + 63 + 1 + 57 + ".com" = 189 bytes of domain */
    (void)snprintf(domain, sizeof domain, "%s.%s.%.57s.com", label, label, label);
    size_t dlen = strlen(domain);
    assert_int_equal(dlen, 189);

    /* total = local + 1 + dlen; 254 is allowed, 255 is not */
    size_t local = MC_MAX_EMAIL - 1 - dlen;
    char suffix[310];
    (void)snprintf(suffix, sizeof suffix, "@%s", domain);
    repeat(buf, sizeof buf, 'a', local, suffix);
    assert_int_equal(strlen(buf), MC_MAX_EMAIL);
    assert_true(mc_email_valid(buf));
    repeat(buf, sizeof buf, 'a', local + 1, suffix);
    assert_int_equal(strlen(buf), MC_MAX_EMAIL + 1);
    assert_false(mc_email_valid(buf));

    /* a domain label may be 63 bytes, not 64 */
    char label64[80];
    repeat(label64, sizeof label64, 'd', 64, "");
    (void)snprintf(buf, sizeof buf, "a@%s.com", label);
    assert_true(mc_email_valid(buf));
    (void)snprintf(buf, sizeof buf, "a@%s.com", label64);
    assert_false(mc_email_valid(buf));
}

static void test_slug(void **state)
{
    (void)state;
    static const char *const good[] = {
        "a", "0", "acme", "acme-2024", "equity-excellence", "a-", "9lives", "a--b", NULL,
    };
    static const char *const bad[] = {
        "",      "-acme",       "Acme",  "acmE",  "ac_me",  "ac me", "ac.me",
        "acme/", "caf\xc3\xa9", " acme", "acme ", "ac\nme", NULL,
    };
    check_all(mc_slug_valid, good, true, "slug");
    check_all(mc_slug_valid, bad, false, "slug");

    char buf[MC_MAX_SLUG + 8];
    assert_true(mc_slug_valid(repeat(buf, sizeof buf, 'a', MC_MAX_SLUG, "")));
    assert_false(mc_slug_valid(repeat(buf, sizeof buf, 'a', MC_MAX_SLUG + 1, "")));
}

static void test_uuid(void **state)
{
    (void)state;
    static const char *const good[] = {
        "123e4567-e89b-12d3-a456-426614174000",
        "123E4567-E89B-12D3-A456-426614174000",
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        NULL,
    };
    static const char *const bad[] = {
        "",
        "123e4567-e89b-12d3-a456-42661417400",   /* 35 characters */
        "123e4567-e89b-12d3-a456-4266141740000", /* 37 characters */
        "123e4567e89b12d3a456426614174000",      /* no dashes */
        "123e4567-e89b-12d3-a456-42661417400g",  /* not hex */
        "123e4567-e89b-12d3-a456_426614174000",  /* wrong separator */
        "123e456-7e89b-12d3-a456-426614174000",  /* dash misplaced */
        "{23e4567-e89b-12d3-a456-42661417400}",
        " 23e4567-e89b-12d3-a456-426614174000",
        "123e4567-e89b-12d3-a456-42661417400 ",
        "------------------------------------",
        NULL,
    };
    check_all(mc_uuid_valid, good, true, "uuid");
    check_all(mc_uuid_valid, bad, false, "uuid");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email_valid),
        cmocka_unit_test(test_email_invalid),
        cmocka_unit_test(test_email_length_bounds),
        cmocka_unit_test(test_slug),
        cmocka_unit_test(test_uuid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
