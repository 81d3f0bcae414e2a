/*
 * harness_tally.c — what a webhook receiver got, counted by webhook-id
 * (harness.h, h_receiver_tally).  The delivery tests and the fault tests
 * judge "every event arrived, none twice" from the same receiver log
 * (h_receiver_log), so the count is made here, once: the log is sorted by
 * id, and an id's first 2xx answer is its delivery, any later one a
 * duplicate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct h_received *)a)->id, ((const struct h_received *)b)->id);
}

static bool ok_status(int status)
{
    return status >= 200 && status <= 299;
}

size_t h_receiver_log_sorted(const struct h_receiver *rx, struct h_received **out)
{
    size_t n = h_receiver_log(rx, out);
    qsort(*out, n, sizeof **out, by_id);
    return n;
}

struct h_tally h_receiver_tally(const struct h_receiver *rx)
{
    struct h_received *rows = NULL;
    struct h_tally t = {.lines = h_receiver_log_sorted(rx, &rows)};
    for (size_t i = 0; i < t.lines; i++) {
        if (!rows[i].verified)
            t.unverified++;
        if (!ok_status(rows[i].status)) {
            t.failed++;
            continue;
        }
        /* rows are sorted: an earlier 2xx line of this id, if any, is just above */
        bool seen = false;
        for (size_t j = i; j-- > 0 && strcmp(rows[j].id, rows[i].id) == 0;)
            seen = seen || ok_status(rows[j].status);
        if (seen)
            t.duplicates++;
        else
            t.delivered++;
    }
    free(rows);
    return t;
}

static double monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct h_tally h_receiver_wait_delivered(const struct h_receiver *rx, size_t n, int seconds)
{
    double deadline = monotonic_s() + seconds;
    struct h_tally t = h_receiver_tally(rx);
    while (t.delivered < n && monotonic_s() <= deadline) {
        nanosleep(&(struct timespec){.tv_nsec = 100 * 1000000L}, NULL);
        t = h_receiver_tally(rx);
    }
    if (t.delivered < n) /* a test failure, not the end of the process: the next test runs */
        fail_msg("the receiver got %zu of %zu deliveries within %d s (%zu requests)", t.delivered,
                 n, seconds, t.lines);
    return t;
}

bool h_received_delivered(const struct h_received *rows, size_t n, const char *id)
{
    struct h_received key;
    snprintf(key.id, sizeof key.id, "%s", id);
    const struct h_received *at = bsearch(&key, rows, n, sizeof *rows, by_id);
    if (!at)
        return false;
    /* bsearch finds one of the lines with this id; look at all of them */
    while (at > rows && strcmp(at[-1].id, id) == 0)
        at--;
    for (; at < rows + n && strcmp(at->id, id) == 0; at++)
        if (ok_status(at->status))
            return true;
    return false;
}
