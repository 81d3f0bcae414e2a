/*
 * test_delivery_policy.c — the retry schedule (parsing, jitter bounds,
 * when a delivery dies) and what an attempt's answer means.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "delivery_policy.h"

static void test_default_schedule(void **state)
{
    (void)state;
    struct retry_schedule s;
    assert_int_equal(retry_schedule_parse(RETRY_SCHEDULE_DEFAULT, &s), MC_OK);
    assert_int_equal(s.n, 7);
    const unsigned expected[] = {5, 300, 1800, 7200, 18000, 36000, 36000};
    for (unsigned i = 0; i < 7; i++)
        assert_int_equal(s.seconds[i], expected[i]);
}

static void test_schedule_refusals(void **state)
{
    (void)state;
    struct retry_schedule s = {.n = 99};
    const char *bad[] = {
        "",    ",",      "1,",   ",1",         "1,,2",
        "0",   "-1",     "1.5",  " 1",         "1 ",
        "abc", "604801", "1,2x", "9999999999", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(retry_schedule_parse(bad[i], &s), MC_ERR_INVALID);
        assert_int_equal(s.n, 99); /* untouched */
    }
    assert_int_equal(retry_schedule_parse(NULL, &s), MC_ERR_INVALID);
    assert_int_equal(retry_schedule_parse("1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", &s), MC_OK);
    assert_int_equal(s.n, 16);
    assert_int_equal(retry_schedule_parse("604800", &s), MC_OK);
}

static void test_jitter_bounds(void **state)
{
    (void)state;
    struct retry_schedule s;
    assert_int_equal(retry_schedule_parse(RETRY_SCHEDULE_DEFAULT, &s), MC_OK);
    assert_int_equal(retry_delay_ms(&s, 1, 0), 4000);
    assert_int_equal(retry_delay_ms(&s, 1, UINT32_MAX), 6000);
    assert_int_equal(retry_delay_ms(&s, 1, UINT32_MAX / 2), 5000);
    assert_int_equal(retry_delay_ms(&s, 2, 0), 240000);
    assert_int_equal(retry_delay_ms(&s, 7, UINT32_MAX), 43200000);
    /* every draw stays within ±20 % */
    uint32_t r = 12345;
    for (int i = 0; i < 10000; i++) {
        r = r * 1664525u + 1013904223u;
        long long d = retry_delay_ms(&s, 3, r);
        assert_true(d >= 1440000 && d <= 2160000);
    }
}

static void test_dead_after_schedule(void **state)
{
    (void)state;
    struct retry_schedule s;
    assert_int_equal(retry_schedule_parse("1,2", &s), MC_OK);
    assert_int_equal(retry_delay_ms(&s, 0, 0), 0);
    assert_true(retry_delay_ms(&s, 1, 0) > 0);
    assert_true(retry_delay_ms(&s, 2, 0) > 0);
    assert_int_equal(retry_delay_ms(&s, 3, 0), -1);
    assert_int_equal(retry_delay_ms(&s, 1000, 0), -1);
}

static void test_classify(void **state)
{
    (void)state;
    assert_int_equal(delivery_classify(200, true, false), DELIVERY_SUCCEEDED);
    assert_int_equal(delivery_classify(204, true, false), DELIVERY_SUCCEEDED);
    assert_int_equal(delivery_classify(299, true, false), DELIVERY_SUCCEEDED);
    /* a long 2xx body we stopped reading is still delivered */
    assert_int_equal(delivery_classify(200, false, true), DELIVERY_SUCCEEDED);
    assert_int_equal(delivery_classify(410, true, false), DELIVERY_GONE);
    assert_int_equal(delivery_classify(410, false, true), DELIVERY_GONE);
    const long failures[] = {0, 100, 199, 300, 301, 302, 400, 404, 429, 500, 503};
    for (size_t i = 0; i < sizeof failures / sizeof failures[0]; i++)
        assert_int_equal(delivery_classify(failures[i], true, false), DELIVERY_FAILED);
    /* a transfer that broke off (timeout, reset) fails whatever it had seen */
    assert_int_equal(delivery_classify(200, false, false), DELIVERY_FAILED);
    assert_int_equal(delivery_classify(0, false, true), DELIVERY_FAILED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_schedule), cmocka_unit_test(test_schedule_refusals),
        cmocka_unit_test(test_jitter_bounds),    cmocka_unit_test(test_dead_after_schedule),
        cmocka_unit_test(test_classify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
