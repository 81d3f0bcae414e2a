/*
 * web_status.h — a learner's credential status on a page, decided by
 * status.c from the document mcred.web_status_inputs builds (migration
 * 0024): the same inputs, the same decision and the same "missing" list as
 * GET /v1/cohorts/{id}/status, from one statement.
 *
 * The document: {"cohort", "rubric", "award_rule", "standards": [{"code",
 * "title"}], "indicators": [{"code", "standard", "text"}], "held",
 * "learners": [{"id", "name", "email", "award", "levels": {code: level},
 * "attended", "excused", "problem"}]}.
 */
#ifndef MCRED_SERVER_WEB_STATUS_H
#define MCRED_SERVER_WEB_STATUS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"
#include "status.h"

struct web_status {
    struct status_rule rule; /* its labels point into the document */
    struct status_standard *standards;
    size_t nstandards;
    struct status_indicator *indicators; /* levels 0: the template for each learner */
    size_t nindicators;
    int held;
};

/* The rule and framework of the document `doc` (which must outlive ws); MC_ERR_NOMEM. */
enum mc_err web_status_init(struct web_status *ws, const cJSON *doc)
    __attribute__((warn_unused_result));
void web_status_release(struct web_status *ws);

/* One learner of the document's status as status_json() gives it, or NULL (out of memory). */
cJSON *web_status_of(const struct web_status *ws, const cJSON *learner);

/* A status as people read it: "in progress" for "in_progress". */
const char *web_status_words(const char *status);

/* A problem of practice's state as people read it: "needs revision" for "needs_revision". */
const char *web_problem_words(const char *state);

#endif
