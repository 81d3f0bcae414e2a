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

/*
 * The organisation's report, disaggregated: which groups to hide in its
 * organisation-wide tables, and which cells (one cohort, one group) to
 * hide in its "cohorts" table.
 *
 * What else is published decides what must be hidden: each cohort's own
 * report (the same cells, suppressed within the cohort by
 * report_suppress), each cohort's total and the organisation's total
 * (the reports without ?by), and here the total of every group shown.
 * So:
 *   - a cell is hidden exactly when its cohort's own report hides it:
 *     showing more would undo that report's suppression, hiding more
 *     would hide nothing the cohort report does not show;
 *   - a group smaller than the minimum is hidden (its cells are all
 *     hidden too: each is smaller still);
 *   - a group with exactly one hidden cell is hidden: its total less its
 *     shown cells would give that cell, and with it the small group that
 *     the cohort hid (the cohort's total less its shown cells);
 *   - where exactly one hidden group has a hidden cell, another is hidden
 *     (the organisation's total less the groups shown would give it),
 *     the smallest that has a hidden cell itself: a group all of whose
 *     cells are shown has a total anyone can add up, so hiding it
 *     protects nothing.
 * Repeated until nothing changes.  This is the usual rule of thumb for
 * a table with published margins (no row or column with a lone hidden
 * cell), not an exhaustive audit of every linear combination.  It
 * inherits one limit of the cohort report: a cohort whose learners all
 * fall in one small group has nothing to hide it with, and the cohort's
 * own total gives it away.
 *
 * group_sizes[g] is group g's learners over all cohorts; cell c is
 * cell_cohort[c] (cells of one cohort next to each other, groups in the
 * cohort report's order), cell_group[c] (an index into the groups) and
 * cell_sizes[c].  Sets group_hidden[g] and cell_hidden[c]; returns how
 * many groups are hidden.  Pure: no I/O, no allocation.
 */
size_t report_suppress_org(const long *group_sizes, size_t ngroups, const size_t *cell_cohort,
                           const size_t *cell_group, const long *cell_sizes, size_t ncells,
                           long min_group, bool *group_hidden, bool *cell_hidden);

#endif
