/*
 * delivery_policy.h — what a webhook attempt's outcome means and when the
 * next one is due: pure functions, so that the dispatcher's decisions can
 * be tested without a network.
 *
 * The retry schedule (DESIGN.md §4) is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h after the 1st … 7th failure, each stretched or shrunk by up to 20 %
 * at random so that a receiver coming back up is not hit by every retry at
 * once; after the 8th failure the delivery is dead.  Operators (and tests)
 * may set another schedule with MCRED_WEBHOOK_RETRY_SCHEDULE.
 */
#ifndef MCRED_SERVER_DELIVERY_POLICY_H
#define MCRED_SERVER_DELIVERY_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "mcred/error.h"

#define RETRY_SCHEDULE_MAX     16
#define RETRY_SCHEDULE_DEFAULT "5,300,1800,7200,18000,36000,36000"
#define RETRY_DELAY_MAX_S      (7 * 86400)

struct retry_schedule {
    unsigned n;                           /* retries before a delivery is dead */
    unsigned seconds[RETRY_SCHEDULE_MAX]; /* delay after the 1st, 2nd … failure */
};

/* "5,300,1800": 1 to RETRY_SCHEDULE_MAX delays in whole seconds, each 1 … RETRY_DELAY_MAX_S. */
enum mc_err retry_schedule_parse(const char *text, struct retry_schedule *out)
    __attribute__((warn_unused_result));

/*
 * Milliseconds from now to the next attempt after `failures` failed ones
 * (1 after the first), jittered by ±20 % with `random` (uniform over
 * uint32_t); -1 when the schedule is spent and the delivery is dead.
 */
long long retry_delay_ms(const struct retry_schedule *s, unsigned failures, uint32_t random);

enum delivery_outcome {
    DELIVERY_SUCCEEDED, /* 2xx */
    DELIVERY_FAILED,    /* anything else: retried on the schedule */
    DELIVERY_GONE,      /* 410: the subscription is switched off */
};

/*
 * The outcome of an attempt from its HTTP status (0 when none arrived)
 * and whether the transfer completed.  A 2xx whose body we stopped
 * reading at our cap still counts as delivered.
 */
enum delivery_outcome delivery_classify(long http_status, bool transfer_ok, bool body_capped);

#endif
