/*
 * status_view.h — credential status as `mcred status` shows it.
 *
 * GET /v1/cohorts/{id}/status answers each learner's status at length
 * (docs/api.md, "Status"); a leader wants the cohort on one screen.  So
 * the cohort becomes a grid, one row per learner:
 *
 *   EMAIL                     STATUS       S1  S2   S3   S4   ATTENDANCE  PROBLEM
 *   aisha.bello@demo.example  in_progress  ✓   2/3  0/3  1/3  3/5         submitted
 *
 *   Standards: S1 Identifying and Mitigating Inequities; S2 Engagement and
 *   Access; S3 Culturally-Relevant Practices; S4 Monitoring for Equity.
 *
 * a standard's column is "S" and its code, its cell ✓ when it is met,
 * else "met/total" of its indicators; ATTENDANCE is weekly sessions
 * attended of those required.  E-mail and status are kept whole when the
 * terminal is narrow (table.h); the legend names the standards.
 * As CSV (headers email, status, standard_<code>…, attendance, problem)
 * a standard's cell is yes or no, which a spreadsheet cannot take for a
 * date as it would "2/3".  One learner (GET …/members/{person}/status)
 * is a line, what is missing, and the indicators:
 *
 *   aisha.bello@demo.example (Aisha Bello): in_progress
 *   Missing:
 *     • indicator 1.2 is at level 2 (Emerging); it needs 3 (Proficient)
 *
 * Pure functions from the answer to cells and lines, unit-tested.
 */
#ifndef MCRED_CLI_STATUS_VIEW_H
#define MCRED_CLI_STATUS_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"

/* Standards a credential has at most (the server's bound), so columns of the grid. */
#define CLI_STATUS_MAX_STANDARDS 50

/*
 * Append a standard's cell for one learner's status: "✓" (CSV: "yes")
 * when the status's "standards" entry of that code is met, else the
 * number of its indicators met of those it has, "1/3" (CSV: "no").  A
 * standard the status does not list is "?".
 */
enum mc_err cli_status_standard_cell(const cJSON *status, const char *code, bool csv,
                                     struct mc_buf *out) __attribute__((warn_unused_result));

/* Append "attended/required" from the status's "attendance" ("?" for a missing number). */
enum mc_err cli_status_attendance_cell(const cJSON *status, struct mc_buf *out)
    __attribute__((warn_unused_result));

/* A cohort's status as a grid of cells; every string is owned by the grid. */
struct cli_status_grid {
    size_t ncols, nrows;
    char **headers; /* ncols */
    bool *keep;     /* ncols: EMAIL and STATUS are kept whole */
    char **cells;   /* nrows * ncols, row after row */
};

/*
 * Build the grid of a cohort's status answer {"learners": [...]} (as
 * above; `csv` picks CSV's headers and cells).  EMAIL and STATUS are
 * kept.  The standards' columns
 * are the codes in the learners' "standards", in order of first
 * appearance.  MC_ERR_NOMEM, or MC_ERR_INVALID when "learners" is not an
 * array or names more than CLI_STATUS_MAX_STANDARDS standards; release
 * *out with cli_status_grid_release() in every case.
 */
enum mc_err cli_status_grid_build(const cJSON *answer, bool csv, struct cli_status_grid *out)
    __attribute__((warn_unused_result));

void cli_status_grid_release(struct cli_status_grid *g);

/*
 * Append the legend of the grid's standard columns, "Standards: S1
 * <title>; S2 <title>.", wrapped to `width` columns (0: one line), with
 * the titles of the learners' "standards".  Nothing when there are no
 * standards.
 */
enum mc_err cli_status_legend(const cJSON *answer, size_t width, struct mc_buf *out)
    __attribute__((warn_unused_result));

/*
 * Append one learner's summary: "EMAIL (NAME): STATUS", then "Missing:"
 * and a line "  • ITEM" per entry of "missing" — or "Nothing is missing:
 * eligible." (or "…: awarded.") when it is empty — each line ending in
 * '\n'.  Text from the server is cleaned for the terminal.
 */
enum mc_err cli_status_person_lines(const cJSON *status, struct mc_buf *out)
    __attribute__((warn_unused_result));

/*
 * The learner's indicators as rows for a table: [{"code", "level", "met"}]
 * with level "3 Proficient" when the item has a "label" (else "3"; "-"
 * for level 0, not scored) and met "yes" or "no".  NULL when out of
 * memory.
 */
cJSON *cli_status_indicator_rows(const cJSON *status);

#endif
