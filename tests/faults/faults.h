/*
 * faults.h — what the fault tests (tests/faults, CTest label "faults")
 * share on top of the integration harness (tests/integration/harness.h):
 * an organisation with a published two-indicator credential and a cohort
 * of coaches and learners to write scores into, a tally of what a webhook
 * receiver got, and clocks.
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
 * 1-3) and a cohort in which learner i is coached by coach i % F_COACHES. */
struct f_world {
    const struct h_server *server;
    const char *slug;
    char *admin, *coordinator;
    char *credential, *cohort, *scores_path;
    char *coach_email[F_COACHES], *coach_token[F_COACHES];
    char *learner_email[F_LEARNERS], *learner_id[F_LEARNERS];
};

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

/* What a receiver got: distinct webhook-ids answered 2xx, and checks over every line. */
struct f_tally {
    size_t lines;
    size_t delivered;  /* distinct ids answered 2xx */
    size_t duplicates; /* 2xx answers beyond the first per id */
    size_t unverified;
    size_t failed; /* lines answered otherwise (or reset: status 0) */
};
struct f_tally f_tally(const struct h_receiver *rx);
/* Wait at most `seconds` for `n` distinct deliveries; the tally then (fails the test if short). */
struct f_tally f_wait_delivered(const struct h_receiver *rx, size_t n, int seconds);
/* The receiver's log sorted by webhook-id (malloc'd; returns the count). */
size_t f_log_sorted(const struct h_receiver *rx, struct h_received **out);
/* Did the receiver answer 2xx to webhook-id `id`?  rows: f_log_sorted's. */
bool f_delivered(const struct h_received *rows, size_t n, const char *id);

/* Seconds on a monotonic clock. */
double f_now(void);
void f_sleep_ms(long ms);

/* A count the superuser makes of SQL with one text parameter. */
long f_count(const struct h_db *db, const char *sql, const char *param);

#endif
