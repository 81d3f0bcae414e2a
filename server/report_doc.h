/*
 * report_doc.h — what every report (reports.c: a cohort's, the
 * organisation's) does with the document its SQL function built: the
 * ?by parameter, suppression of small groups, JSON or CSV.
 *
 * A report is a JSON object with the tables "learners", "standards",
 * "indicators", "attendance", "problems" and "time_to_eligibility" (arrays
 * of rows; with ?by every row has a "group") and "rubric_levels"; the
 * organisation's has a "cohorts" table first (a row per cohort, per
 * cohort and group with ?by), and names standards and indicators with
 * their credential and attendance by week rather than by session.
 */
#ifndef MCRED_SERVER_REPORT_DOC_H
#define MCRED_SERVER_REPORT_DOC_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"

struct request;

/* The request's ?by (NULL when absent or empty); refuses one that names no attribute. */
enum mc_err report_doc_by(struct request *r, const char **by) __attribute__((warn_unused_result));

/*
 * Suppress the small groups of a report disaggregated by `by`, in every
 * table; the groups and their sizes are those of the "learners" table.
 * `scope` names what the report covers, for the refusal when no learner
 * has the attribute ("cohort Spring 2027", "the organisation").
 */
enum mc_err report_doc_suppress(struct request *r, cJSON *report, const char *by, const char *scope)
    __attribute__((warn_unused_result));

/* Whether the caller asked for CSV (Accept: text/csv). */
bool report_doc_wants_csv(const struct request *r);

/* Answer with the report, as CSV when asked for, else JSON; takes the report. */
enum mc_err report_doc_reply(struct request *r, cJSON *report);

#endif
