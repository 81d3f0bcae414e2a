/*
 * delivery_policy.c — see delivery_policy.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "delivery_policy.h"

#include "mcred/banned.h"

enum mc_err retry_schedule_parse(const char *text, struct retry_schedule *out)
{
    struct retry_schedule s = {0};
    const char *p = text;
    if (!p || !*p)
        return MC_ERR_INVALID;
    for (;;) {
        size_t digits = strspn(p, "0123456789");
        if (digits == 0 || digits > 9 || s.n == RETRY_SCHEDULE_MAX)
            return MC_ERR_INVALID;
        errno = 0;
        unsigned long v = strtoul(p, NULL, 10);
        if (errno || v < 1 || v > RETRY_DELAY_MAX_S)
            return MC_ERR_INVALID;
        s.seconds[s.n++] = (unsigned)v;
        p += digits;
        if (*p == '\0')
            break;
        if (*p != ',')
            return MC_ERR_INVALID;
        p++;
    }
    *out = s;
    return MC_OK;
}

long long retry_delay_ms(const struct retry_schedule *s, unsigned failures, uint32_t random)
{
    if (failures == 0)
        return 0;
    if (failures > s->n)
        return -1;
    long long base = (long long)s->seconds[failures - 1] * 1000;
    /* factor in [0.8, 1.2]: base * (800 + 400 * random / 2^32) / 1000 */
    long long permille = 800 + (long long)(((uint64_t)random * 401) >> 32);
    return base * permille / 1000;
}

enum delivery_outcome delivery_classify(long http_status, bool transfer_ok, bool body_capped)
{
    bool answered = transfer_ok || (body_capped && http_status > 0);
    if (answered && http_status >= 200 && http_status < 300)
        return DELIVERY_SUCCEEDED;
    if (answered && http_status == 410)
        return DELIVERY_GONE;
    return DELIVERY_FAILED;
}
