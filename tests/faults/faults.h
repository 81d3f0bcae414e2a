/*
 * faults.h — what the fault tests (tests/faults, CTest label "faults")
 * share on top of the integration harness (tests/integration/harness.h):
 * an organisation with a published two-indicator credential and a cohort
 * of coaches and learners to write scores into (the harness's cohort
 * world), webhook subscriptions, and clocks.  What a receiver got is the
 * harness's h_receiver_tally.
 *
 * Every wait here is bounded; nothing measures speed except where the
 * issue names a bound (docs/testing.md, "Fault tests").
 */
#ifndef MCRED_TEST_FAULTS_H
#define MCRED_TEST_FAULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "harness.h"

#define F_COACHES  4
#define F_LEARNERS 16

/* The retry schedule and timeouts that make webhook tests take seconds, not hours. */
#define F_WEBHOOK_ENV                                                                              \
    "MCRED_WEBHOOK_ALLOW_PRIVATE=1", "MCRED_WEBHOOK_ALLOW_HTTP=1",                                 \
        "MCRED_WEBHOOK_RETRY_SCHEDULE=1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "MCRED_WEBHOOK_TIMEOUT=2", \
        "MCRED_WEBHOOK_CONNECT_TIMEOUT=1", "MCRED_DISPATCHER_POLL_MS=200"

/* An organisation, its coordinator, a published credential (indicators A.1 and A.2, levels
 * 1-3) and one cohort in which learner i is coached by coach i % F_COACHES (harness.h, "A cohort
 * world"). */
struct f_world {
    struct h_cohort_world org;
    struct h_cohort cohort;
};
_Static_assert(F_COACHES <= H_COHORT_MAX_COACHES && F_LEARNERS <= H_COHORT_MAX_LEARNERS,
               "the fault tests' cohort fits the harness's");

/* Bootstrap the organisation `slug` on the server and make the rest. */
void f_world_make(const struct h_server *server, const char *slug, struct f_world *out);
void f_world_free(struct f_world *w);

/* A score for learner `learner` (0 …): indicator and level vary with n; feedback as given (it
 * names the write, so that the database shows which request wrote a row). */
char *f_score_body(const struct f_world *w, int learner, int n, const char *feedback);

/* Subscribe a receiver to `events` (a JSON array) with the admin's token and tell it the secret;
 * the webhook's id.  out_secret (may be NULL) gets the secret (malloc'd), for a receiver started
 * again later. */
char *f_subscribe(const struct f_world *w, const struct h_receiver *rx, const char *events,
                  char **out_secret);

/* Seconds on a monotonic clock. */
double f_now(void);
void f_sleep_ms(long ms);

/* A count the superuser makes of SQL with one text parameter. */
long f_count(const struct h_db *db, const char *sql, const char *param);

#endif
