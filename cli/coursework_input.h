/*
 * coursework_input.h — what learners and coaches type on the command line
 * (`mcred problem`, `mcred evidence`, `mcred score`), checked before
 * anything is sent.
 *
 * The server checks all of it again; checking here turns a typo into a
 * usage error (exit 2) that names the option, instead of a round trip.
 * The rules are the server's (docs/api.md, "Problems of practice",
 * "Evidence", "Scores"): indicator and standard codes as a credential
 * spells them (1 to 16 of A-Z a-z 0-9 . - _), rubric levels 1 to 10,
 * evidence links that are http or https, texts within their lengths.
 * Everything here is a pure function, unit-tested without a server.
 */
#ifndef MCRED_CLI_COURSEWORK_INPUT_H
#define MCRED_CLI_COURSEWORK_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* A standard's or indicator's code: at most this many bytes. */
#define CLI_CODE_MAX 16
/* Rubric levels go from 1 to at most this (a credential's own rubric may stop earlier). */
#define CLI_LEVEL_MAX 10
/* Standards one problem of practice may name (a credential has at most 50). */
#define CLI_STANDARDS_MAX 50

/* Bytes of the texts (docs/api.md). */
#define CLI_TITLE_MAX         200   /* a problem's or an evidence's title */
#define CLI_PROBLEM_TEXT_MAX  4000  /* statement, student focus, …, feedback */
#define CLI_EVIDENCE_URL_MAX  2000  /* an evidence link */
#define CLI_EVIDENCE_TEXT_MAX 10000 /* an evidence text */

/* The problem statuses, for messages and checks. */
#define CLI_PROBLEM_STATUSES "draft, submitted, approved or needs_revision"
extern const char *const cli_problem_statuses[];

/* A standard's or an indicator's code: 1 to CLI_CODE_MAX of A-Z a-z 0-9 . - _. */
bool cli_code_valid(const char *s);

/* A rubric level: a whole number from 1 to CLI_LEVEL_MAX, nothing else around it. */
bool cli_level_parse(const char *s, long *out);

/*
 * An absolute http or https URL with a host, of at most
 * CLI_EVIDENCE_URL_MAX bytes, as libcurl's URL parser reads it.
 */
bool cli_http_url_valid(const char *s);

/*
 * Turn "1,4" (codes separated by commas, spaces around them allowed) into
 * a JSON array ["1", "4"].  An empty or all-space list gives [].  NULL
 * when the list is wrong, with a short reason in `why` ("'x y' is not a
 * standard code", "1 is given twice", …), or when memory ran out, with
 * `why` empty.
 */
cJSON *cli_standards_parse(const char *list, char *why, size_t why_size);

/*
 * Does `person` ({"id", "email", …}, as the server nests a learner) name
 * the person `who` — an id, equal, or an e-mail, equal in any case?
 */
bool cli_person_matches(const cJSON *person, const char *who);

#endif
