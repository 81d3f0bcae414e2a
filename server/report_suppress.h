/*
 * report_suppress.h — which groups of a disaggregated report to hide.
 *
 * A group smaller than the minimum is suppressed (primary suppression).
 * Where exactly one group is suppressed, its figures could be worked out
 * from the cohort's total and the other groups, so the smallest group
 * left is suppressed too (complementary suppression).  Pure: no I/O, no
 * allocation.
 */
#ifndef MCRED_SERVER_REPORT_SUPPRESS_H
#define MCRED_SERVER_REPORT_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * sizes[i] is group i's number of learners; suppressed[i] is set true for
 * each group to hide, false for the others.  Ties among the smallest
 * groups go to the first.  Returns how many groups are suppressed.
 */
size_t report_suppress(const long *sizes, size_t n, long min_group, bool *suppressed);

#endif
