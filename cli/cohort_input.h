/*
 * cohort_input.h — what the cohort nouns (cohort, member, session,
 * attendance) check and build before they send anything.
 *
 * Dates and local times are checked here so that a typo is a usage error
 * (exit 2) naming the option, not a round trip.  Request bodies are built
 * by pure functions, unit-tested without a server.  A person is named by
 * e-mail or id wherever one is taken; in a body that becomes "email" or
 * "person", which the server resolves (docs/api.md, "Members").
 */
#ifndef MCRED_CLI_COHORT_INPUT_H
#define MCRED_CLI_COHORT_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"

#include "cli.h"

/* People enrolled by one request, and sessions in one weekly series (the server's bounds). */
#define CLI_MAX_ENROL 500
#define CLI_MAX_WEEKS 52
/* Minutes a session may last. */
#define CLI_SESSION_MIN_MINUTES 5
#define CLI_SESSION_MAX_MINUTES 600
/* Learners a cohort may hold (capacity and min_learners). */
#define CLI_COHORT_MAX_CAPACITY 500

/* A calendar date, YYYY-MM-DD (year 1900 or later). */
bool cli_date_valid(const char *s);

/* A local date and time, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS, no zone. */
bool cli_local_time_valid(const char *s);

/* One of the words in the NULL-terminated list. */
bool cli_word_in(const char *s, const char *const *words);

/*
 * Add `who` to obj as "email" when it has an '@', else as "person" (an
 * id).  False when out of memory.
 */
bool cli_person_ref_add(cJSON *obj, const char *who);

/*
 * The body of POST /v1/cohorts/{id}/members for the n people given (each
 * an e-mail or id): {"members": [{"email"|"person", "role"?, "coach"?}]},
 * role and coach (an e-mail or id) given to everyone when not NULL.
 * NULL when out of memory.
 */
cJSON *cli_members_body(const char *const *people, size_t n, const char *role, const char *coach);

/* What a session or a weekly series asks for; NULL or 0 fields are left out. */
struct cli_session_spec {
    const char *start;    /* local date-time on the cohort's clock */
    long count;           /* 0: one session; else a weekly series of count */
    const char *kind;     /* weekly or coaching (one session only) */
    const char *learner;  /* e-mail or id (a coaching session only) */
    const char *modality; /* hyflex, in_person or online */
    long duration;        /* minutes */
    const char *title;    /* one session only */
    bool force;           /* "force": true — may fall outside the cohort's dates */
};

/*
 * The body of POST /v1/cohorts/{id}/sessions: {"weekly": {"first",
 * "count", "modality"?, "duration_minutes"?}} for a series, or {"kind"?,
 * "local_start", "learner"?, "modality"?, "duration_minutes"?, "title"?}
 * for one session; "force": true beside either when spec->force.  NULL
 * when out of memory.
 */
cJSON *cli_session_body(const struct cli_session_spec *spec);

/*
 * Cohorts (GET /v1/cohorts' items) as rows for a table that fits a
 * terminal: {name, status, starts_on, ends_on, credential:
 * "equity-excellence@1", learners: "15/18" (enrolled of capacity),
 * waitlisted, id}.  NULL when out of memory.
 */
cJSON *cli_cohort_rows(const cJSON *items);

/*
 * Put "/v1/<collection>/<id><tail>" into `out`, the id percent-encoded
 * ("/v1/cohorts", id, "/members").  A usage error (exit 2) when it would
 * be too long.
 */
int cli_resource_path(const struct cli_ctx *ctx, const char *collection, const char *id,
                      const char *tail, struct mc_buf *out);

#endif
