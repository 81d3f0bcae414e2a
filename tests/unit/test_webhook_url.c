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

/*
 * Every entry of IANA's IPv4 and IPv6 Special-Purpose Address Registries
 * (as of 2026), by its first and last address, and the IPv6 forms that
 * carry an IPv4 address.  `refused` is true where the registry says "not
 * globally reachable" (or N/A for a deprecated block); multicast is
 * refused as well.
 */
static const struct {
    const char *address;
    bool refused;
    const char *why;
} registry[] = {
    /* IPv4 */
    {"0.0.0.0", true, "this network 0/8"},
    {"0.255.255.255", true, "this network 0/8"},
    {"10.0.0.0", true, "private 10/8"},
    {"10.255.255.255", true, "private 10/8"},
    {"100.64.0.0", true, "shared 100.64/10"},
    {"100.127.255.255", true, "shared 100.64/10"},
    {"127.0.0.1", true, "loopback 127/8"},
    {"127.255.255.255", true, "loopback 127/8"},
    {"169.254.0.0", true, "link-local 169.254/16"},
    {"169.254.169.254", true, "link-local 169.254/16 (cloud metadata)"},
    {"172.16.0.0", true, "private 172.16/12"},
    {"172.31.255.255", true, "private 172.16/12"},
    {"192.0.0.0", true, "IETF protocol assignments 192.0.0/24"},
    {"192.0.0.7", true, "DS-Lite 192.0.0/29"},
    {"192.0.0.8", true, "IPv4 dummy address"},
    {"192.0.0.9", false, "port control protocol anycast (global)"},
    {"192.0.0.10", false, "TURN anycast (global)"},
    {"192.0.0.170", true, "NAT64/DNS64 discovery"},
    {"192.0.0.171", true, "NAT64/DNS64 discovery"},
    {"192.0.0.255", true, "IETF protocol assignments 192.0.0/24"},
    {"192.0.2.0", true, "documentation TEST-NET-1"},
    {"192.0.2.255", true, "documentation TEST-NET-1"},
    {"192.31.196.1", false, "AS112-v4 (global)"},
    {"192.52.193.1", false, "AMT (global)"},
    {"192.88.99.0", true, "6to4 relay anycast (deprecated)"},
    {"192.88.99.255", true, "6to4 relay anycast (deprecated)"},
    {"192.168.0.0", true, "private 192.168/16"},
    {"192.168.255.255", true, "private 192.168/16"},
    {"192.175.48.1", false, "direct delegation AS112 (global)"},
    {"198.18.0.0", true, "benchmarking 198.18/15"},
    {"198.19.255.255", true, "benchmarking 198.18/15"},
    {"198.51.100.0", true, "documentation TEST-NET-2"},
    {"198.51.100.255", true, "documentation TEST-NET-2"},
    {"203.0.113.0", true, "documentation TEST-NET-3"},
    {"203.0.113.255", true, "documentation TEST-NET-3"},
    {"224.0.0.1", true, "multicast 224/4"},
    {"239.255.255.255", true, "multicast 224/4"},
    {"240.0.0.0", true, "reserved 240/4"},
    {"255.255.255.255", true, "limited broadcast"},
    /* just outside the blocks, and public */
    {"1.1.1.1", false, "public"},
    {"8.8.8.8", false, "public"},
    {"11.0.0.0", false, "public, after 10/8"},
    {"100.63.255.255", false, "public, before 100.64/10"},
    {"100.128.0.0", false, "public, after 100.64/10"},
    {"172.15.255.255", false, "public, before 172.16/12"},
    {"172.32.0.0", false, "public, after 172.16/12"},
    {"192.0.1.255", false, "public, between 192.0.0/24 and 192.0.2/24"},
    {"192.0.3.0", false, "public, after 192.0.2/24"},
    {"192.169.0.0", false, "public, after 192.168/16"},
    {"198.17.255.255", false, "public, before 198.18/15"},
    {"198.20.0.0", false, "public, after 198.18/15"},
    {"223.255.255.255", false, "public, before 224/4"},
    /* IPv6 */
    {"::", true, "unspecified"},
    {"::1", true, "loopback"},
    {"::ffff:0:0", true, "IPv4-mapped ::ffff:0:0/96"},
    {"::ffff:8.8.8.8", true, "IPv4-mapped ::ffff:0:0/96"},
    {"::ffff:127.0.0.1", true, "IPv4-mapped ::ffff:0:0/96"},
    {"::8.8.8.8", true, "IPv4-compatible (deprecated)"},
    {"64:ff9b::8.8.8.8", false, "NAT64 64:ff9b::/96 carrying a public address"},
    {"64:ff9b::10.0.0.1", true, "NAT64 64:ff9b::/96 carrying a private address"},
    {"64:ff9b::127.0.0.1", true, "NAT64 64:ff9b::/96 carrying loopback"},
    {"64:ff9b::192.0.2.1", true, "NAT64 64:ff9b::/96 carrying documentation"},
    {"64:ff9b:1::", true, "local-use IPv4/IPv6 translation 64:ff9b:1::/48"},
    {"64:ff9b:1:ffff:ffff:ffff:ffff:ffff", true, "local-use translation 64:ff9b:1::/48"},
    {"100::", true, "discard-only 100::/64"},
    {"100::ffff:ffff:ffff:ffff", true, "discard-only 100::/64"},
    {"100:0:0:1::", true, "dummy IPv6 prefix 100:0:0:1::/64"},
    {"2001::", true, "Teredo carrying 0.0.0.0"},
    {"2001:0:4136:e378:8000:63bf:f7f7:f7f7", false, "Teredo, public server, client 8.8.8.8"},
    {"2001:0:4136:e378:8000:63bf:3fff:fdd2", true, "Teredo (RFC 4380's), client 192.0.2.45"},
    {"2001:0:4136:e378:8000:63bf:f5ff:fffe", true, "Teredo, client 10.0.0.1 (inverted)"},
    {"2001:0:a00:1:8000:63bf:3fff:fdd2", true, "Teredo, server 10.0.0.1"},
    {"2001:1::1", false, "port control protocol anycast (global)"},
    {"2001:1::2", false, "TURN anycast (global)"},
    {"2001:1::3", false, "DNS-SD service registration protocol anycast (global)"},
    {"2001:1::4", true, "IETF protocol assignments 2001::/23"},
    {"2001:2::", true, "benchmarking 2001:2::/48"},
    {"2001:2:0:ffff:ffff:ffff:ffff:ffff", true, "benchmarking 2001:2::/48"},
    {"2001:3::1", false, "AMT 2001:3::/32 (global)"},
    {"2001:4:112::1", false, "AS112-v6 2001:4:112::/48 (global)"},
    {"2001:4:113::1", true, "IETF protocol assignments 2001::/23"},
    {"2001:10::1", true, "ORCHID (deprecated) 2001:10::/28"},
    {"2001:20::1", false, "ORCHIDv2 2001:20::/28 (global)"},
    {"2001:30::1", false, "drone remote ID 2001:30::/28 (global)"},
    {"2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", true, "IETF protocol assignments 2001::/23"},
    {"2001:200::1", false, "public, after 2001::/23"},
    {"2001:db8::", true, "documentation 2001:db8::/32"},
    {"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true, "documentation 2001:db8::/32"},
    {"2002::", true, "6to4 carrying 0.0.0.0"},
    {"2002:0808:0808::1", false, "6to4 carrying 8.8.8.8"},
    {"2002:0a00:0001::1", true, "6to4 carrying 10.0.0.1"},
    {"2002:7f00:0001::1", true, "6to4 carrying 127.0.0.1"},
    {"2002:a9fe:a9fe::1", true, "6to4 carrying 169.254.169.254"},
    {"2620:4f:8000::", false, "public (direct delegation AS112 service)"},
    {"3fff::", true, "documentation 3fff::/20"},
    {"3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", true, "documentation 3fff::/20"},
    {"3fff:1000::", false, "public, after 3fff::/20"},
    {"5f00::1", true, "segment routing SIDs 5f00::/16"},
    {"fc00::1", true, "unique local fc00::/7"},
    {"fd12:3456::1", true, "unique local fc00::/7"},
    {"fe80::1", true, "link-local fe80::/10"},
    {"fec0::1", true, "site-local fec0::/10 (deprecated)"},
    {"ff02::1", true, "multicast ff00::/8"},
    {"2001:4860:4860::8888", false, "public"},
    {"2606:4700:4700::1111", false, "public"},
    {"1fff:ffff::1", true, "outside global unicast 2000::/3"},
    {"4000::1", true, "outside global unicast 2000::/3"},
};

static bool refused(const char *ip)
{
    struct sockaddr_in a4 = {.sin_family = AF_INET};
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6};
    if (inet_pton(AF_INET, ip, &a4.sin_addr) == 1)
        return webhook_address_private((struct sockaddr *)&a4);
    if (inet_pton(AF_INET6, ip, &a6.sin6_addr) != 1)
        fail_msg("%s is not an address", ip);
    return webhook_address_private((struct sockaddr *)&a6);
}

static void test_registry(void **state)
{
    (void)state;
    int wrong = 0;
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
        if (refused(registry[i].address) != registry[i].refused) {
            print_error("%s (%s) should be %s\n", registry[i].address, registry[i].why,
                        registry[i].refused ? "refused" : "allowed");
            wrong++;
        }
    assert_int_equal(wrong, 0);
}

static void test_other_families(void **state)
{
    (void)state;
    struct sockaddr unix_addr = {.sa_family = AF_UNIX};
    assert_true(webhook_address_private(&unix_addr));
}

static void test_urls(void **state)
{
    (void)state;
    struct mc_error err;
    /* refused before any connection: literal addresses and localhost only */
    const char *refused[] = {"https://127.0.0.1/hook",
                             "https://[::1]:8443/hook",
                             "https://10.0.0.5/x",
                             "https://169.254.169.254/latest",
                             "https://localhost/hook",
                             "https://[64:ff9b::a00:1]/x",
                             "https://[2002:7f00:1::1]/x",
                             "https://[2001:db8::1]/x",
                             "https://192.0.2.10/x",
                             "https://198.51.100.7/x",
                             "https://[fec0::1]/x",
                             "https://[100::1]/x",
                             NULL};
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
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_other_families),
        cmocka_unit_test(test_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
