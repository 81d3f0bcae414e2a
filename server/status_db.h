/*
 * status_db.h — credential status from the database: gathering a cohort's
 * rule, indicators, current levels, weekly attendance and problems of
 * practice in a fixed number of indexed queries (docs/status.md), and
 * deciding each learner's status with status.c.
 */
#ifndef MCRED_SERVER_STATUS_DB_H
#define MCRED_SERVER_STATUS_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "mcred/buf.h"
#include "mcred/error.h"

struct oneshot;
struct request;

/*
 * The learners a write touched, for status_refresh: add each (repeats
 * are fine), refresh once, release.
 */
struct status_learners {
    struct mc_buf ids; /* a PostgreSQL array of uuids, as text */
    size_t count;
    bool nomem;
};

void status_learners_init(struct status_learners *set);
void status_learners_add(struct status_learners *set, const char *learner_id);
void status_learners_release(struct status_learners *set);

/*
 * Bring the learners' eligibility up to date after a write that may
 * change it, in one statement whatever their number (mcred.learners_refresh,
 * migration 0015): a learner who becomes eligible gets credential.eligible,
 * once per move to eligible.
 */
enum mc_err status_refresh(struct request *r, const char *cohort_id, struct status_learners *set)
    __attribute__((warn_unused_result));

/* status_refresh of one learner. */
enum mc_err status_refresh_one(struct request *r, const char *cohort_id, const char *learner_id)
    __attribute__((warn_unused_result));

/* GET /v1/cohorts/{id}/status and GET /v1/cohorts/{id}/members/{person}/status */
enum mc_err status_cohort(struct request *r);
enum mc_err status_member(struct request *r);

/*
 * GET /v1/cohorts/{id}/status in one round trip: the caller's role in the
 * cohort, the eight status queries and a coach's learners, sent with the
 * authentication; authorised and answered from their results.
 */
bool status_oneshot_prepare(struct request *r, struct oneshot *call);
enum mc_err status_oneshot_answer(struct request *r, const struct oneshot *call);

#endif
