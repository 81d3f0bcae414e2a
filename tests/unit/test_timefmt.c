/*
 * test_timefmt.c — RFC 3339 timestamps: four-digit years, padded, and
 * nothing written for a year RFC 3339 cannot hold (tests/fuzz/fuzz_jwt
 * found "224-…" and "31690708-…" written before).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "mcred/timefmt.h"

#include "mcred/banned.h"

static void written(time_t t, const char *want)
{
    char out[MC_RFC3339_LEN];
    assert_true(mc_time_rfc3339(t, out));
    assert_string_equal(out, want);
}

static void test_rfc3339(void **state)
{
    (void)state;
    written(0, "1970-01-01T00:00:00Z");
    written(1893456000, "2030-01-01T00:00:00Z");
    written(-55000000000LL, "0227-02-13T22:13:20Z");
    written(253402300799LL, "9999-12-31T23:59:59Z");
    written(-62167219200LL, "0000-01-01T00:00:00Z");
}

static void test_rfc3339_out_of_range(void **state)
{
    (void)state;
    char out[MC_RFC3339_LEN];
    assert_false(mc_time_rfc3339(253402300800LL, out));     /* 10000-01-01 */
    assert_false(mc_time_rfc3339(1000000000000000LL, out)); /* the year 31690708 */
    assert_false(mc_time_rfc3339(-62167219201LL, out));     /* the year -1 */
    struct timespec ts = {.tv_sec = 253402300800LL, .tv_nsec = 0};
    assert_false(mc_time_rfc3339_ms(&ts, out));
}

static void test_rfc3339_ms(void **state)
{
    (void)state;
    char out[MC_RFC3339_LEN];
    struct timespec ts = {.tv_sec = 1893456000, .tv_nsec = 123999999};
    assert_true(mc_time_rfc3339_ms(&ts, out));
    assert_string_equal(out, "2030-01-01T00:00:00.123Z");
    ts = (struct timespec){.tv_sec = -55000000000LL, .tv_nsec = 5000000};
    assert_true(mc_time_rfc3339_ms(&ts, out));
    assert_string_equal(out, "0227-02-13T22:13:20.005Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3339),
        cmocka_unit_test(test_rfc3339_out_of_range),
        cmocka_unit_test(test_rfc3339_ms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
