/*
 * assessment.h — the performance assessment: problems of practice,
 * evidence and scores.
 */
#ifndef MCRED_SERVER_ASSESSMENT_H
#define MCRED_SERVER_ASSESSMENT_H

#include <stdbool.h>

#include "mcred/error.h"

struct request;
struct oneshot;

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

/* evidence.c */
enum mc_err evidence_create(struct request *r);
enum mc_err evidence_list(struct request *r);
enum mc_err evidence_update(struct request *r);
enum mc_err evidence_remove(struct request *r);

#endif
