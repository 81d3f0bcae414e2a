/*
 * roster_report.h — what a roster import answered, in words.
 *
 * POST /v1/people/import (and POST /v1/cohorts/{id}/members/import)
 * answers either with counts (201/200) or, when any
 * row is wrong, 422 with an "errors" array of {"row", "column", "message"}
 * (docs/api.md).  These pure functions turn each into the lines that
 * `mcred people import` prints, so the wording is tested without a server:
 *
 *   imported 3 rows: 2 created, 1 updated, 0 unchanged
 *   dry run: would import 3 rows: 2 created, 1 updated, 0 unchanged
 *   row 4, email: "ana@" is not an e-mail address
 */
#ifndef MCRED_CLI_ROSTER_REPORT_H
#define MCRED_CLI_ROSTER_REPORT_H

#include <cjson/cJSON.h>

#include "mcred/buf.h"

/* The longest line cli_roster_error_line() makes, in bytes. */
#define CLI_ROSTER_MAX_LINE (4 * (MC_MAX_ERR_MESSAGE + MC_MAX_ERR_FIELD) + 64)

/*
 * Append the line for one entry of "errors": "row N, COLUMN: MESSAGE",
 * leaving out the row when it is missing or not positive and the column
 * when it is missing, null or empty ("row 7: …", "email: …").  An entry
 * without "column" names its "field" instead (a credential's problems:
 * "standards[0].code: …").  Text from
 * the server is cleaned for the terminal (text.h).  An entry that is not
 * an object, or has no message, gives "(an error the server did not
 * describe)" after the row and column.
 */
enum mc_err cli_roster_error_line(const cJSON *entry, struct mc_buf *out)
    __attribute__((warn_unused_result));

/*
 * Append the summary of a successful import answer (its "dry_run", "rows",
 * "created", "updated" and "unchanged"; missing numbers count as 0).
 */
enum mc_err cli_roster_summary(const cJSON *result, struct mc_buf *out)
    __attribute__((warn_unused_result));

/*
 * Append the summary of a cohort roster import's answer (POST
 * /v1/cohorts/{id}/members/import: "dry_run", "rows", "people_created",
 * "people_updated", "enrolled", "waitlisted", "unchanged"):
 *
 *   imported 17 rows: 16 people created, 1 updated; 17 enrolled, 0 waitlisted,
 *   0 already in the cohort
 *
 * (one line; "dry run: would import …" for a dry run).  "Already in the
 * cohort" counts the rows of people enrolled or waitlisted before (the
 * answer's "unchanged"; their coach may have been updated).
 */
enum mc_err cli_roster_member_summary(const cJSON *result, struct mc_buf *out)
    __attribute__((warn_unused_result));

#endif
