/*
 * reports.h — reports as documents, for the pages that draw them
 * (the JSON and CSV answers are handlers: handlers.h).
 */
#ifndef MCRED_SERVER_REPORTS_H
#define MCRED_SERVER_REPORTS_H

#include <cjson/cJSON.h>

#include "mcred/error.h"

struct request;

/*
 * The report of cohort `id`, disaggregated by `by` (NULL: not) with small
 * groups suppressed; *out is the caller's to cJSON_Delete.  A missing
 * cohort, or an attribute no learner has, is a refusal recorded on r.
 */
enum mc_err reports_cohort_doc(struct request *r, const char *id, const char *by, cJSON **out)
    __attribute__((warn_unused_result));

/*
 * The report of the caller's organisation, all its cohorts, disaggregated
 * by `by` (NULL: not) with small groups suppressed; *out is the caller's
 * to cJSON_Delete.  An attribute no learner has is a refusal recorded on r.
 */
enum mc_err reports_org_doc(struct request *r, const char *by, cJSON **out)
    __attribute__((warn_unused_result));

#endif
