/*
 * test_report_suppress.c — small groups hidden, and one more where a
 * single hidden group could be worked out from the total: known answers.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "report_suppress.h"

static void expect(const long *sizes, size_t n, long min, const bool *want, size_t want_count)
{
    bool got[16];
    assert_true(n <= 16);
    assert_int_equal(report_suppress(sizes, n, min, got), want_count);
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("group %zu (size %ld): suppressed %d, want %d", i, sizes[i], got[i], want[i]);
}

/* No group below the minimum: nothing hidden. */
static void test_none_small(void **state)
{
    (void)state;
    const long sizes[] = {5, 7, 12};
    const bool want[] = {false, false, false};
    expect(sizes, 3, 5, want, 0);
}

/* One small group: it and the next smallest (complementary). */
static void test_one_small_and_complement(void **state)
{
    (void)state;
    const long sizes[] = {7, 4, 6, 9};
    const bool want[] = {false, true, true, false};
    expect(sizes, 4, 5, want, 2);
}

/* Two small groups already hide each other: no complement needed. */
static void test_two_small(void **state)
{
    (void)state;
    const long sizes[] = {3, 8, 1, 10};
    const bool want[] = {true, false, true, false};
    expect(sizes, 4, 5, want, 2);
}

/* Ties among the smallest left: the first is taken. */
static void test_tie_takes_first(void **state)
{
    (void)state;
    const long sizes[] = {6, 2, 6};
    const bool want[] = {true, true, false};
    expect(sizes, 3, 5, want, 2);
}

/* Two groups, one small: both hidden; one group alone, small: hidden. */
static void test_few_groups(void **state)
{
    (void)state;
    const long two[] = {10, 1};
    const bool want_two[] = {true, true};
    expect(two, 2, 5, want_two, 2);
    const long one[] = {3};
    const bool want_one[] = {true};
    expect(one, 1, 5, want_one, 1);
    const long big[] = {30};
    const bool want_big[] = {false};
    expect(big, 1, 5, want_big, 0);
}

/* The minimum is the bound: a group of exactly MCRED_MIN_GROUP is shown. */
static void test_minimum_is_shown(void **state)
{
    (void)state;
    const long sizes[] = {5, 4, 5, 20};
    const bool want[] = {true, true, false, false};
    expect(sizes, 4, 5, want, 2);
    const long ones[] = {1, 1, 1};
    const bool want_ones[] = {false, false, false};
    expect(ones, 3, 1, want_ones, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_none_small), cmocka_unit_test(test_one_small_and_complement),
        cmocka_unit_test(test_two_small),  cmocka_unit_test(test_tie_takes_first),
        cmocka_unit_test(test_few_groups), cmocka_unit_test(test_minimum_is_shown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
