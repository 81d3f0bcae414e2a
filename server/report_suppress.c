/*
 * report_suppress.c — see report_suppress.h.
 */
#include "report_suppress.h"

#include "mcred/banned.h"

size_t report_suppress(const long *sizes, size_t n, long min_group, bool *suppressed)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        suppressed[i] = sizes[i] < min_group;
        count += suppressed[i];
    }
    /* one hidden group alone is the total less the others: hide the next smallest too */
    if (count == 1 && n > 1) {
        size_t smallest = n;
        for (size_t i = 0; i < n; i++)
            if (!suppressed[i] && (smallest == n || sizes[i] < sizes[smallest]))
                smallest = i;
        suppressed[smallest] = true;
        count++;
    }
    return count;
}

/* Each cohort's cells as its own report hides them; a cohort without learners hides nothing. */
static void suppress_cells(const size_t *cell_cohort, const long *cell_sizes, size_t ncells,
                           long min_group, bool *cell_hidden)
{
    for (size_t start = 0, end; start < ncells; start = end) {
        long total = 0;
        for (end = start; end < ncells && cell_cohort[end] == cell_cohort[start]; end++)
            total += cell_sizes[end];
        if (total > 0)
            (void)report_suppress(cell_sizes + start, end - start, min_group, cell_hidden + start);
        else
            for (size_t c = start; c < end; c++)
                cell_hidden[c] = false;
    }
}

static size_t hidden_cells_of(size_t g, const size_t *cell_group, size_t ncells,
                              const bool *cell_hidden)
{
    size_t n = 0;
    for (size_t c = 0; c < ncells; c++)
        n += cell_group[c] == g && cell_hidden[c];
    return n;
}

/* Hide every shown group whose one hidden cell its total would give away; whether any was. */
static bool hide_lone_cells(size_t ngroups, const size_t *cell_group, size_t ncells,
                            const bool *cell_hidden, bool *group_hidden)
{
    bool changed = false;
    for (size_t g = 0; g < ngroups; g++)
        if (!group_hidden[g] && hidden_cells_of(g, cell_group, ncells, cell_hidden) == 1) {
            group_hidden[g] = true;
            changed = true;
        }
    return changed;
}

/*
 * Where one hidden group alone has hidden cells, hide the smallest shown
 * group with a hidden cell (else the smallest shown group); whether one was.
 */
static bool hide_complement(const long *group_sizes, size_t ngroups, const size_t *cell_group,
                            size_t ncells, const bool *cell_hidden, bool *group_hidden)
{
    size_t uncertain = 0, pick = ngroups, fallback = ngroups;
    for (size_t g = 0; g < ngroups; g++) {
        bool has_hidden = hidden_cells_of(g, cell_group, ncells, cell_hidden) > 0;
        if (group_hidden[g]) {
            uncertain += has_hidden;
            continue;
        }
        if (fallback == ngroups || group_sizes[g] < group_sizes[fallback])
            fallback = g;
        if (has_hidden && (pick == ngroups || group_sizes[g] < group_sizes[pick]))
            pick = g;
    }
    if (uncertain != 1 || fallback == ngroups)
        return false;
    group_hidden[pick < ngroups ? pick : fallback] = true;
    return true;
}

size_t report_suppress_org(const long *group_sizes, size_t ngroups, const size_t *cell_cohort,
                           const size_t *cell_group, const long *cell_sizes, size_t ncells,
                           long min_group, bool *group_hidden, bool *cell_hidden)
{
    suppress_cells(cell_cohort, cell_sizes, ncells, min_group, cell_hidden);
    for (size_t g = 0; g < ngroups; g++)
        group_hidden[g] = group_sizes[g] < min_group;
    /* each step only hides more, so this ends after at most ngroups rounds */
    while (hide_lone_cells(ngroups, cell_group, ncells, cell_hidden, group_hidden) ||
           hide_complement(group_sizes, ngroups, cell_group, ncells, cell_hidden, group_hidden))
        ;
    size_t count = 0;
    for (size_t g = 0; g < ngroups; g++)
        count += group_hidden[g];
    return count;
}
