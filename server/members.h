/*
 * members.h — who is in a cohort: enrolment (one, many, or a roster),
 * the waitlist, coaches assigned to learners, withdrawal.
 */
#ifndef MCRED_SERVER_MEMBERS_H
#define MCRED_SERVER_MEMBERS_H

#include "mcred/error.h"

struct request;

/*
 * Move waitlisted learners up, in enrolment order, while the cohort has
 * room; each move is a member.enrolled event.  The cohort must be locked.
 */
enum mc_err members_promote(struct request *r, const char *cohort_id)
    __attribute__((warn_unused_result));

enum mc_err members_add(struct request *r);
enum mc_err members_import(struct request *r);
enum mc_err members_list(struct request *r);
enum mc_err members_update(struct request *r);
enum mc_err members_withdraw(struct request *r);

#endif
