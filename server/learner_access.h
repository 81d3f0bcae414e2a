/*
 * learner_access.h — may the caller see this learner of this cohort?
 *
 * The rule has one home, the SQL function mcred.learner_access (migration
 * 0028); the server only turns its answer into the request's outcome.
 */
#ifndef MCRED_SERVER_LEARNER_ACCESS_H
#define MCRED_SERVER_LEARNER_ACCESS_H

#include "mcred/error.h"

struct request;

/*
 * The request's error for a refusal of mcred.learner_access: its
 * `outcome` ("unauthenticated", "forbidden", "not_found") with its
 * `message`; a forbidden one names `field` (NULL: none).  An outcome it
 * does not know is an internal error.  For the pages, which read the
 * answer inside their own statement.
 */
enum mc_err learner_access_refused(struct request *r, const char *outcome, const char *message,
                                   const char *field) __attribute__((warn_unused_result));

/*
 * Ask mcred.learner_access about `who` (an id or an e-mail) in `cohort`
 * (an id): one statement.  On MC_OK the learner's id is in out_id;
 * otherwise the request holds the refusal (see above).
 */
enum mc_err learner_access_check(struct request *r, const char *cohort, const char *who,
                                 const char *field, char out_id[40])
    __attribute__((warn_unused_result));

#endif
