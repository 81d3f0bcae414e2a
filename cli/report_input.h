/*
 * report_input.h — what `mcred report` asks for, from its arguments: a
 * cohort's report (COHORT) or the organisation's (--org), and the
 * organisation's request path.  Pure: no I/O.
 */
#ifndef MCRED_CLI_REPORT_INPUT_H
#define MCRED_CLI_REPORT_INPUT_H

#include <stdbool.h>

#include "mcred/buf.h"

/* The organisation's report: every cohort of the caller's organisation. */
#define REPORT_ORG_PATH "/v1/reports/orgs/current"

/*
 * NULL when exactly one of a cohort (non-NULL) and --org is given, else
 * the usage error's words.
 */
const char *report_target_error(const char *cohort, bool org);

/*
 * Append the organisation's report path to `out`, with ?by=ATTRIBUTE
 * (percent-encoded) when by is not NULL.
 */
enum mc_err report_org_path(struct mc_buf *out, const char *by) __attribute__((warn_unused_result));

#endif
