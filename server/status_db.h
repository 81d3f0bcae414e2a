/*
 * status_db.h — credential status from the database: gathering a cohort's
 * rule, indicators, current levels, weekly attendance and problems of
 * practice in a fixed number of indexed queries (docs/status.md), and
 * deciding each learner's status with status.c.
 */
#ifndef MCRED_SERVER_STATUS_DB_H
#define MCRED_SERVER_STATUS_DB_H

#include "mcred/error.h"

struct request;

/*
 * Recompute a learner's status after a write that may change it; when it
 * becomes eligible, emit credential.eligible (once per move to eligible).
 */
enum mc_err status_refresh(struct request *r, const char *cohort_id, const char *learner_id)
    __attribute__((warn_unused_result));

/* GET /v1/cohorts/{id}/status and GET /v1/cohorts/{id}/members/{person}/status */
enum mc_err status_cohort(struct request *r);
enum mc_err status_member(struct request *r);

#endif
