/*
 * timefmt.c — RFC 3339 in UTC; see timefmt.h.
 *
 * RFC 3339's year is exactly four digits: strftime's %Y writes "224" for
 * the year 224 and "35680317" far in the future, so the date is written
 * with snprintf, and a year outside 0000–9999 cannot be represented (a
 * VC-JWT's exp far in the future came back as such a validUntil; found
 * by tests/fuzz/fuzz_jwt).
 */
#include <stdio.h>

#include "mcred/timefmt.h"

#include "mcred/banned.h"

/* "YYYY-MM-DDTHH:MM:SS" of t, or false outside years 0000 to 9999. */
static bool date_time(time_t t, char *out, size_t size)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return false;
    long long year = (long long)tm.tm_year + 1900;
    if (year < 0 || year > 9999)
        return false;
    int n = snprintf(out, size, "%04lld-%02d-%02dT%02d:%02d:%02d", year, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
    return n > 0 && (size_t)n < size;
}

bool mc_time_rfc3339(time_t t, char out[MC_RFC3339_LEN])
{
    char base[24];
    if (!date_time(t, base, sizeof base))
        return false;
    int n = snprintf(out, MC_RFC3339_LEN, "%sZ", base);
    return n > 0 && n < MC_RFC3339_LEN;
}

bool mc_time_rfc3339_ms(const struct timespec *ts, char out[MC_RFC3339_LEN])
{
    char base[24];
    if (!date_time(ts->tv_sec, base, sizeof base))
        return false;
    int n = snprintf(out, MC_RFC3339_LEN, "%s.%03ldZ", base, ts->tv_nsec / 1000000L);
    return n > 0 && n < MC_RFC3339_LEN;
}
