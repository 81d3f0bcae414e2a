/*
 * test_webhook_url.c — which addresses webhooks may not reach, and the
 * URL checks.  Only literal addresses and "localhost" are resolved: no
 * test looks up a name on the network.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "webhook_url.h"

static bool private4(const char *ip)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
    return webhook_address_private((struct sockaddr *)&a);
}

static bool private6(const char *ip)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6};
    assert_int_equal(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
    return webhook_address_private((struct sockaddr *)&a);
}

static void test_addresses(void **state)
{
    (void)state;
    const char *refused4[] = {
        "127.0.0.1",       "127.8.9.10",      "10.1.2.3",   "172.16.0.1", "172.31.255.255",
        "192.168.1.1",     "169.254.169.254", "100.64.0.1", "0.0.0.0",    "224.0.0.1",
        "255.255.255.255", "198.18.0.1",      NULL};
    for (const char **ip = refused4; *ip; ip++)
        if (!private4(*ip))
            fail_msg("%s should be refused", *ip);
    const char *allowed4[] = {"8.8.8.8",     "172.32.0.1", "192.169.0.1",
                              "100.128.0.1", "1.1.1.1",    NULL};
    for (const char **ip = allowed4; *ip; ip++)
        if (private4(*ip))
            fail_msg("%s should be allowed", *ip);
    assert_true(private6("::1"));
    assert_true(private6("::"));
    assert_true(private6("fe80::1"));
    assert_true(private6("fd12:3456::1"));
    assert_true(private6("ff02::1"));
    assert_true(private6("::ffff:127.0.0.1"));
    assert_true(private6("::ffff:10.0.0.1"));
    assert_false(private6("2001:4860:4860::8888"));
    assert_false(private6("::ffff:8.8.8.8"));
}

static void test_urls(void **state)
{
    (void)state;
    struct mc_error err;
    /* refused before any connection: literal addresses and localhost only */
    const char *refused[] = {"https://127.0.0.1/hook", "https://[::1]:8443/hook",
                             "https://10.0.0.5/x",     "https://169.254.169.254/latest",
                             "https://localhost/hook", NULL};
    for (const char **u = refused; *u; u++) {
        mc_error_clear(&err);
        if (webhook_url_check(*u, false, false, &err) != MC_ERR_INVALID)
            fail_msg("%s should be refused", *u);
        assert_string_equal(err.field, "url");
    }
    assert_int_equal(webhook_url_check("http://127.0.0.1:9/x", false, true, &err), MC_ERR_INVALID);
    assert_int_equal(webhook_url_check("http://127.0.0.1:9/x", true, true, &err), MC_OK);
    assert_int_equal(webhook_url_check("https://127.0.0.1/x", false, true, &err), MC_OK);
    assert_int_equal(webhook_url_check("ftp://127.0.0.1/x", true, true, &err), MC_ERR_INVALID);
    assert_int_equal(webhook_url_check("not a url", true, true, &err), MC_ERR_INVALID);
    assert_int_equal(webhook_url_check("https://", true, true, &err), MC_ERR_INVALID);
    /* a public literal address passes without any lookup on the network */
    assert_int_equal(webhook_url_check("https://8.8.8.8/hook", false, false, &err), MC_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
