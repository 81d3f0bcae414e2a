/*
 * timefmt.c — RFC 3339 in UTC; see timefmt.h.
 */
#include <stdio.h>

#include "mcred/timefmt.h"

#include "mcred/banned.h"

bool mc_time_rfc3339(time_t t, char out[MC_RFC3339_LEN])
{
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return false;
    return strftime(out, MC_RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

bool mc_time_rfc3339_ms(const struct timespec *ts, char out[MC_RFC3339_LEN])
{
    struct tm tm;
    if (!gmtime_r(&ts->tv_sec, &tm))
        return false;
    char base[24];
    if (strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        return false;
    int n = snprintf(out, MC_RFC3339_LEN, "%s.%03ldZ", base, ts->tv_nsec / 1000000L);
    return n > 0 && n < MC_RFC3339_LEN;
}
