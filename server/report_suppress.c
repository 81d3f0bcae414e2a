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
