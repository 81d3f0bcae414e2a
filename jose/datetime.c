/*
 * datetime.c — credential dates (validFrom, validUntil) to JWT NumericDate.
 *
 * OB 3.0 dates are xsd:dateTime values that in practice follow RFC 3339:
 * "2024-01-01T00:00:00Z", perhaps with a fraction and a numeric offset.  A
 * date without a time zone names no instant, so it is refused.  The
 * arithmetic is done here rather than with timegm() so that it neither
 * depends on the process's time zone nor on time_t's range.
 */
#include <stdbool.h>
#include <string.h>

#include "mcred/jose.h"

#include "mcred/banned.h"

/* Read exactly `n` digits at *p into *out and move past them. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool expect(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "Z" or "±hh:mm" → seconds east of UTC; the whole rest of the text. */
static bool zone(const char *p, int *out_offset)
{
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        *out_offset = 0;
        return true;
    }
    if (*p != '+' && *p != '-')
        return false;
    int sign = *p == '-' ? -1 : 1;
    p++;
    int hh, mm;
    if (!digits(&p, 2, &hh) || !expect(&p, ':') || !digits(&p, 2, &mm) || *p != '\0' || hh > 23 ||
        mm > 59)
        return false;
    *out_offset = sign * (hh * 3600 + mm * 60);
    return true;
}

enum mc_err mc_jose_datetime_parse(const char *text, int64_t *out_seconds, struct mc_error *err)
{
    const char *p = text;
    int y, mo, d, h, mi, s, offset;
    bool ok = p && digits(&p, 4, &y) && expect(&p, '-') && digits(&p, 2, &mo) && expect(&p, '-') &&
              digits(&p, 2, &d) && (expect(&p, 'T') || expect(&p, 't')) && digits(&p, 2, &h) &&
              expect(&p, ':') && digits(&p, 2, &mi) && expect(&p, ':') && digits(&p, 2, &s);
    if (ok && *p == '.') {
        p++;
        size_t n = strspn(p, "0123456789");
        ok = n > 0;
        p += n; /* the fraction only ever rounds down to the second */
    }
    ok = ok && zone(p, &offset);
    ok = ok && y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= days_in_month(y, mo) && h <= 23 &&
         mi <= 59 && s <= 59;
    if (!ok)
        return mc_error_set(err, MC_ERR_INVALID, NULL,
                            "not a date-time with a time zone (e.g. 2024-01-31T09:00:00Z)");
    *out_seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
    return MC_OK;
}
