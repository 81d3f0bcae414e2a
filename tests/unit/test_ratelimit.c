/*
 * test_ratelimit.c — the sliding window of failed authentications: the
 * limit, the window sliding, addresses kept apart, IPv4 and IPv6.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "ratelimit.h"

static struct sockaddr_in v4(const char *ip)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(1234)};
    assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
    return a;
}

static void test_limit_and_window(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_create(3, 60);
    assert_non_null(rl);
    struct sockaddr_in a = v4("127.0.0.1");
    const struct sockaddr *sa = (const struct sockaddr *)&a;
    ratelimit_fail(rl, sa, 100.0);
    ratelimit_fail(rl, sa, 110.0);
    assert_int_equal(ratelimit_wait(rl, sa, 111.0), 0); /* two of three */
    ratelimit_fail(rl, sa, 120.0);
    assert_int_equal(ratelimit_wait(rl, sa, 121.0), 39); /* until 100 + 60 */
    assert_int_equal(ratelimit_wait(rl, sa, 159.5), 1);
    assert_int_equal(ratelimit_wait(rl, sa, 160.0), 0); /* the oldest has left the window */
    ratelimit_fail(rl, sa, 161.0);                      /* 110, 120, 161 */
    assert_int_equal(ratelimit_wait(rl, sa, 162.0), 8); /* until 110 + 60 */
    ratelimit_free(rl);
}

static void test_addresses_apart(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_create(2, 60);
    struct sockaddr_in a = v4("10.0.0.1"), b = v4("10.0.0.2");
    struct sockaddr_in6 c = {.sin6_family = AF_INET6};
    assert_int_equal(inet_pton(AF_INET6, "::1", &c.sin6_addr), 1);
    for (int i = 0; i < 2; i++)
        ratelimit_fail(rl, (struct sockaddr *)&a, 1.0 + i);
    assert_true(ratelimit_wait(rl, (struct sockaddr *)&a, 5.0) > 0);
    assert_int_equal(ratelimit_wait(rl, (struct sockaddr *)&b, 5.0), 0);
    assert_int_equal(ratelimit_wait(rl, (struct sockaddr *)&c, 5.0), 0);
    for (int i = 0; i < 2; i++)
        ratelimit_fail(rl, (struct sockaddr *)&c, 1.0 + i);
    assert_true(ratelimit_wait(rl, (struct sockaddr *)&c, 5.0) > 0);
    /* the port does not matter */
    a.sin_port = htons(999);
    assert_true(ratelimit_wait(rl, (struct sockaddr *)&a, 5.0) > 0);
    ratelimit_free(rl);
}

static void test_many_addresses_stay_bounded(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_create(1, 60);
    struct sockaddr_in a = {.sin_family = AF_INET};
    /* far more addresses than the table holds: the stalest are forgotten, nothing breaks */
    for (uint32_t i = 0; i < 100000; i++) {
        a.sin_addr.s_addr = htonl(0x0A000000u + i);
        ratelimit_fail(rl, (struct sockaddr *)&a, (double)i);
    }
    /* the newest is still remembered */
    assert_true(ratelimit_wait(rl, (struct sockaddr *)&a, 100000.0) > 0);
    ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_and_window),
        cmocka_unit_test(test_addresses_apart),
        cmocka_unit_test(test_many_addresses_stay_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
