/*
 * test_trusted_proxies.c — MCRED_TRUSTED_PROXIES parsed strictly, and the
 * client address read from X-Forwarded-For only behind a trusted peer,
 * right to left.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "trusted_proxies.h"

static struct net_addr addr(const char *s)
{
    struct net_addr a;
    assert_true(net_addr_parse(s, strlen(s), &a));
    return a;
}

static struct trusted_proxies proxies(const char *list)
{
    struct trusted_proxies tp;
    char bad[64];
    assert_int_equal(trusted_proxies_parse(list, &tp, bad, sizeof bad), MC_OK);
    return tp;
}

static void refused(const char *list, const char *offender)
{
    struct trusted_proxies tp = {.count = 5};
    char bad[64] = "";
    assert_int_equal(trusted_proxies_parse(list, &tp, bad, sizeof bad), MC_ERR_INVALID);
    assert_string_equal(bad, offender);
    assert_int_equal(tp.count, 5); /* untouched */
}

static void test_addresses(void **state)
{
    (void)state;
    struct net_addr a;
    assert_true(net_addr_parse("192.0.2.1", 9, &a));
    struct net_addr mapped = addr("::ffff:192.0.2.1");
    assert_memory_equal(a.b, mapped.b, 16); /* IPv4 kept mapped into IPv6 */
    assert_true(net_addr_parse("2001:db8::1", 11, &a));
    assert_false(net_addr_parse("192.0.2.1 ", 10, &a));
    assert_false(net_addr_parse("[::1]", 5, &a));
    assert_false(net_addr_parse("192.0.2.1:80", 12, &a));
    assert_false(net_addr_parse("fe80::1%eth0", 12, &a));
    assert_false(net_addr_parse("unknown", 7, &a));
    assert_false(net_addr_parse("", 0, &a));
    assert_false(net_addr_parse("1.2.3", 5, &a));

    struct sockaddr_in sin = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, "198.51.100.4", &sin.sin_addr), 1);
    assert_true(net_addr_from_sockaddr((const struct sockaddr *)&sin, &a));
    struct net_addr want = addr("198.51.100.4");
    assert_memory_equal(a.b, want.b, 16);
    struct sockaddr_storage back;
    net_addr_to_sockaddr(&a, &back);
    assert_int_equal(back.ss_family, AF_INET);
    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
    assert_int_equal(inet_pton(AF_INET6, "2001:db8::7", &sin6.sin6_addr), 1);
    assert_true(net_addr_from_sockaddr((const struct sockaddr *)&sin6, &a));
    net_addr_to_sockaddr(&a, &back);
    assert_int_equal(back.ss_family, AF_INET6);
    struct sockaddr unix_like = {.sa_family = AF_UNIX};
    assert_false(net_addr_from_sockaddr(&unix_like, &a));
}

static void test_parse_lists(void **state)
{
    (void)state;
    assert_int_equal(proxies(NULL).count, 0);
    assert_int_equal(proxies("").count, 0);
    assert_int_equal(proxies("10.0.0.0/8").count, 1);
    assert_int_equal(proxies(" 10.0.0.0/8 , 192.168.1.7,2001:db8::/32 ,::1 ").count, 4);
    assert_int_equal(proxies("0.0.0.0/0").count, 1);

    /* what was refused, in the words config.c puts after "not" */
    refused("proxy.example", "\"proxy.example\"");
    refused("10.0.0.0/8, proxy.example", "\"proxy.example\"");
    refused("10.0.0.1/8", "\"10.0.0.1/8\""); /* host bits set: most likely a typo */
    refused("10.0.0.0/33", "\"10.0.0.0/33\"");
    refused("2001:db8::/129", "\"2001:db8::/129\"");
    refused("10.0.0.0/", "\"10.0.0.0/\"");
    refused("10.0.0.0/-1", "\"10.0.0.0/-1\"");
    refused("10.0.0.0/08x", "\"10.0.0.0/08x\"");
    refused("10.0.0.0 8", "\"10.0.0.0 8\"");
    /* a stray comma: said in words, never as "" */
    refused("10.0.0.0/8,", "an empty entry (a stray comma)");
    refused(",10.0.0.0/8", "an empty entry (a stray comma)");
    refused("10.0.0.0/8,,::1", "an empty entry (a stray comma)");
    refused("10.0.0.0/8, \t ,::1", "an empty entry (a stray comma)");
    refused(",", "an empty entry (a stray comma)");
    /* a long entry is cut to fit refused()'s 64 bytes and keeps both quotes: 61 of its bytes */
    char name[100];
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    char cut[64];
    snprintf(cut, sizeof cut, "\"%.*s\"", 61, name);
    assert_int_equal(strlen(cut), 63);
    refused(name, cut);

    char many[65 * 12] = "";
    for (int i = 0; i <= MC_TRUSTED_PROXIES_MAX; i++)
        strcat(many, i ? ",10.0.0.1" : "10.0.0.1");
    refused(many, "\"10.0.0.1\""); /* one more than MC_TRUSTED_PROXIES_MAX */
}

static void test_contains(void **state)
{
    (void)state;
    struct trusted_proxies tp = proxies("10.0.0.0/8, 192.168.1.7, 2001:db8::/32, 172.16.0.0/12");
    struct net_addr a;
    a = addr("10.255.255.255");
    assert_true(trusted_proxies_contains(&tp, &a));
    a = addr("11.0.0.0");
    assert_false(trusted_proxies_contains(&tp, &a));
    a = addr("192.168.1.7");
    assert_true(trusted_proxies_contains(&tp, &a));
    a = addr("192.168.1.8");
    assert_false(trusted_proxies_contains(&tp, &a));
    a = addr("172.31.0.1");
    assert_true(trusted_proxies_contains(&tp, &a));
    a = addr("172.32.0.1");
    assert_false(trusted_proxies_contains(&tp, &a));
    a = addr("2001:db8:ffff::1");
    assert_true(trusted_proxies_contains(&tp, &a));
    a = addr("2001:db9::1");
    assert_false(trusted_proxies_contains(&tp, &a));
    /* an IPv4 block is not an IPv6 block that happens to share bits */
    a = addr("::a00:1");
    assert_false(trusted_proxies_contains(&tp, &a));
}

static void client_is(const struct trusted_proxies *tp, const char *peer, const char *xff,
                      const char *want)
{
    struct net_addr p = addr(peer), got, w = addr(want);
    trusted_proxies_client(tp, &p, xff, &got);
    assert_memory_equal(got.b, w.b, 16);
}

static void test_client(void **state)
{
    (void)state;
    struct trusted_proxies none = proxies(NULL);
    struct trusted_proxies tp = proxies("10.0.0.0/8");
    /* nobody trusted: the header is ignored */
    client_is(&none, "10.0.0.1", "203.0.113.5", "10.0.0.1");
    /* an untrusted peer's header is ignored */
    client_is(&tp, "198.51.100.1", "203.0.113.5", "198.51.100.1");
    /* a trusted peer without the header is the client */
    client_is(&tp, "10.0.0.1", NULL, "10.0.0.1");
    client_is(&tp, "10.0.0.1", "203.0.113.5", "203.0.113.5");
    /* the right-most untrusted entry: what is left of it the client wrote */
    client_is(&tp, "10.0.0.1", "192.0.2.66, 203.0.113.5", "203.0.113.5");
    client_is(&tp, "10.0.0.1", "192.0.2.66, 203.0.113.5, 10.1.1.1", "203.0.113.5");
    client_is(&tp, "10.0.0.1", "203.0.113.5,10.1.1.1,10.2.2.2", "203.0.113.5");
    /* every entry a proxy of ours: the left-most */
    client_is(&tp, "10.0.0.1", "10.9.9.9, 10.1.1.1", "10.9.9.9");
    /* garbage the client wrote, left of the real client, is never read */
    client_is(&tp, "10.0.0.1", "not-an-address, 203.0.113.5", "203.0.113.5");
    /* what must be read and cannot be: the peer */
    client_is(&tp, "10.0.0.1", "203.0.113.5, unknown", "10.0.0.1");
    client_is(&tp, "10.0.0.1", "", "10.0.0.1");
    client_is(&tp, "10.0.0.1", "203.0.113.5:4711", "10.0.0.1");
    /* IPv6 clients and spaces */
    client_is(&tp, "10.0.0.1", "  2001:db8::5  ", "2001:db8::5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_parse_lists),
        cmocka_unit_test(test_contains),
        cmocka_unit_test(test_client),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
