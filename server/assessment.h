/*
 * assessment.h — the performance assessment: problems of practice,
 * evidence and scores.
 */
#ifndef MCRED_SERVER_ASSESSMENT_H
#define MCRED_SERVER_ASSESSMENT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"

struct request;
struct oneshot;

/* The longest feedback a score carries (bytes). */
#define MC_MAX_FEEDBACK 4000

/* scores.c */
enum mc_err scores_create(struct request *r);
enum mc_err scores_list(struct request *r);
bool scores_oneshot_prepare(struct request *r, struct oneshot *call);
enum mc_err scores_oneshot_answer(struct request *r, const struct oneshot *call);

/* problems.c */
enum mc_err problems_create(struct request *r);
enum mc_err problems_list(struct request *r);
enum mc_err problems_show(struct request *r);
enum mc_err problems_update(struct request *r);
enum mc_err problems_review(struct request *r);

/* A problem of practice a review is about. */
struct problem_ref {
    char cohort_id[40];
    char learner_id[40];
    char status[16];
};

/*
 * The review of problem `id` as POST /v1/problems/{id}/review makes it, in
 * two steps for the pages.  problems_review_check writes nothing: it finds
 * the problem (into *out: also when a rule refuses the review, then
 * MC_ERR_INVALID or MC_ERR_CONFLICT), checks that the caller may review it
 * and that the cohort is open, then the review's rules.  problems_review_write
 * records it (new version, audit row, problem.reviewed); *out_item is the
 * problem as the API shows it (cJSON_Delete it).
 */
enum mc_err problems_review_check(struct request *r, const char *id, const char *decision,
                                  const char *feedback, struct problem_ref *out)
    __attribute__((warn_unused_result));
enum mc_err problems_review_write(struct request *r, const char *id, const char *decision,
                                  const char *feedback, cJSON **out_item)
    __attribute__((warn_unused_result));

/* evidence.c */
enum mc_err evidence_create(struct request *r);
enum mc_err evidence_list(struct request *r);
enum mc_err evidence_update(struct request *r);
enum mc_err evidence_remove(struct request *r);

#endif
