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

/* ---- the organisation's report: groups and cohort × group cells together ---- */

#define MAXG 8
#define MAXC 16

struct org_case {
    size_t ngroups, ncells;
    long groups[MAXG];
    size_t cohort[MAXC], group[MAXC];
    long cells[MAXC];
};

static void expect_org(const struct org_case *c, const bool *want_groups, const bool *want_cells)
{
    bool groups[MAXG], cells[MAXC];
    size_t want = 0;
    for (size_t g = 0; g < c->ngroups; g++)
        want += want_groups[g];
    assert_int_equal(report_suppress_org(c->groups, c->ngroups, c->cohort, c->group, c->cells,
                                         c->ncells, 5, groups, cells),
                     want);
    for (size_t g = 0; g < c->ngroups; g++)
        if (groups[g] != want_groups[g])
            fail_msg("group %zu: suppressed %d, want %d", g, groups[g], want_groups[g]);
    for (size_t k = 0; k < c->ncells; k++)
        if (cells[k] != want_cells[k])
            fail_msg("cell %zu: suppressed %d, want %d", k, cells[k], want_cells[k]);
}

/*
 * The integration fixture (test_reports.c): groups East 1, North 11,
 * South 8, West 6; cohort 0: East 1, North 6, South 5; cohort 1: North 5,
 * South 3, West 6.  Each cohort hides its small group and the next
 * smallest.  Report_suppress alone on the groups would hide East and
 * West and show North: 11 less cohort 0's 6 gives cohort 1's hidden 5,
 * and cohort 1's total less 5 and 6 gives its South, 3.  North has one
 * hidden cell, so it is hidden; East and North then hide each other.
 */
static void test_org_lone_cell(void **state)
{
    (void)state;
    const struct org_case c = {
        .ngroups = 4,
        .groups = {1, 11, 8, 6},
        .ncells = 6,
        .cohort = {0, 0, 0, 1, 1, 1},
        .group = {0, 1, 2, 1, 2, 3},
        .cells = {1, 6, 5, 5, 3, 6},
    };
    const bool groups[] = {true, true, false, false};
    const bool cells[] = {true, false, true, true, true, false};
    expect_org(&c, groups, cells);
}

/*
 * One small group whose cells are hidden with another group's: the
 * complement is that group, not the smallest (whose total anyone can add
 * up from the cohorts' own reports).
 */
static void test_org_complement_has_hidden_cell(void **state)
{
    (void)state;
    const struct org_case c = {
        .ngroups = 3,
        .groups = {2, 6, 20},
        .ncells = 4,
        .cohort = {0, 0, 1, 1},
        .group = {0, 2, 1, 2},
        .cells = {2, 10, 6, 10},
    };
    /* cohort 0 hides A (2) and C (10); C's one hidden cell already hides C; B stays */
    const bool groups[] = {true, false, true};
    const bool cells[] = {true, true, false, false};
    expect_org(&c, groups, cells);
}

/*
 * Small only within a cohort: both groups have one hidden cell, so both
 * totals are hidden; nothing small at all: nothing hidden.  A cohort
 * without learners (its one row of no group, size 0) hides nothing.
 */
static void test_org_small_in_a_cohort_only(void **state)
{
    (void)state;
    const struct org_case c = {
        .ngroups = 2,
        .groups = {12, 9},
        .ncells = 5,
        .cohort = {0, 0, 1, 1, 2},
        .group = {0, 1, 0, 1, 2},
        .cells = {6, 5, 6, 4, 0},
    };
    /* cohort 1 hides B (4) and A (6): A and B each have one hidden cell: both hidden */
    const bool groups[] = {true, true};
    const bool cells[] = {false, false, true, true, false};
    expect_org(&c, groups, cells);
    const struct org_case big = {
        .ngroups = 2,
        .groups = {12, 10},
        .ncells = 5,
        .cohort = {0, 0, 1, 1, 2},
        .group = {0, 1, 0, 1, 2},
        .cells = {6, 5, 6, 5, 0},
    };
    const bool none[] = {false, false, false, false, false};
    expect_org(&big, none, none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_none_small),
        cmocka_unit_test(test_one_small_and_complement),
        cmocka_unit_test(test_two_small),
        cmocka_unit_test(test_tie_takes_first),
        cmocka_unit_test(test_few_groups),
        cmocka_unit_test(test_minimum_is_shown),
        cmocka_unit_test(test_org_lone_cell),
        cmocka_unit_test(test_org_complement_has_hidden_cell),
        cmocka_unit_test(test_org_small_in_a_cohort_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
