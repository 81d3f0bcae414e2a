/*
 * status.h — a learner's credential status, from the credential's own
 * rule.  A pure function: the database layer gathers the inputs (the
 * rule, the indicators in order, the learner's current levels, their
 * weekly attendance, their problem of practice) and this decides.
 */
#ifndef MCRED_SERVER_STATUS_H
#define MCRED_SERVER_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#define STATUS_MAX_LEVELS 10

struct status_rule {
    int nlevels;                           /* rubric levels 1..nlevels */
    const char *labels[STATUS_MAX_LEVELS]; /* labels[level - 1] */
    int min_level;                         /* every indicator's current level must reach it */
    int min_weekly_attendance; /* weekly sessions attended (in person, online, asynchronous) */
    int weekly_sessions;       /* the series' length, for messages */
    bool problem_required;     /* the problem of practice must be approved */
};

struct status_indicator {
    const char *code;
    const char *standard; /* its standard's code */
    int level;            /* current (latest) level; 0 when not scored */
};

struct status_standard {
    const char *code;
    const char *title;
};

struct status_input {
    const struct status_rule *rule;
    const struct status_standard *standards; /* in order */
    size_t nstandards;
    const struct status_indicator *indicators; /* in order, grouped by standard */
    size_t nindicators;
    int attended;          /* weekly sessions attended so far */
    int excused;           /* weekly sessions excused so far (do not count) */
    int held;              /* weekly sessions that have started so far */
    const char *problem;   /* "none", "draft", "submitted", "needs_revision", "approved" */
    bool awarded, revoked; /* from awards, when they exist */
};

enum status_overall {
    STATUS_NOT_STARTED,
    STATUS_IN_PROGRESS,
    STATUS_ELIGIBLE,
    STATUS_AWARDED,
    STATUS_REVOKED,
};

const char *status_name(enum status_overall s);

/*
 * The rule of a credential from its rubric (an array of {"level", "label"})
 * and its award rule (an object; absent keys take the defaults of
 * DESIGN.md: min_level 3, 5 of 6 weekly sessions, problem required).  The
 * labels point into `rubric`, which must outlive the rule.
 */
void status_rule_from_json(const cJSON *rubric, const cJSON *award_rule, struct status_rule *out);

/*
 * Decide the overall status: revoked, awarded, eligible (every indicator
 * at min_level or above, attended ≥ min_weekly_attendance, problem
 * approved if required), not_started (no level above 0, nothing attended,
 * no problem), else in_progress.
 */
enum status_overall status_decide(const struct status_input *in);

/*
 * The status as the API shows it (docs/api.md, "Status"): indicators with
 * their level and whether met, standards met or not (all their indicators
 * met), attendance, problem, and the list of what is missing, in
 * words a coordinator reads.  NULL when out of memory.
 */
cJSON *status_json(const struct status_input *in);

#endif
