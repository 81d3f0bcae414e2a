/*
 * timefmt.h — RFC 3339 timestamps in UTC, as the API writes them.
 */
#ifndef MCRED_TIMEFMT_H
#define MCRED_TIMEFMT_H

#include <stdbool.h>
#include <time.h>

#define MC_RFC3339_LEN 32

/* "2026-09-08T17:00:00Z"; false if the time cannot be represented (years 0000 to 9999). */
bool mc_time_rfc3339(time_t t, char out[MC_RFC3339_LEN]);

/* Same with milliseconds: "2026-09-08T17:00:00.123Z". */
bool mc_time_rfc3339_ms(const struct timespec *ts, char out[MC_RFC3339_LEN]);

#endif
