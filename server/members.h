/*
 * members.h — who is in a cohort: enrolment (one, many, or a roster),
 * the waitlist, coaches assigned to learners, withdrawal.
 */
#ifndef MCRED_SERVER_MEMBERS_H
#define MCRED_SERVER_MEMBERS_H

#include <stdbool.h>
#include <stddef.h>

#include "mcred/error.h"
#include "mcred/limits.h"

struct request;
struct roster_spec;

/* A cohort roster's `role` column is learner or coach; its `coach` column names e-mails
 * (POST /v1/cohorts/{id}/members/import; tests/fuzz reads files with it too). */
extern const struct roster_spec roster_members;

/*
 * Move waitlisted learners up, in enrolment order, while the cohort has
 * room; each move is a member.enrolled event.  The cohort must be locked.
 */
enum mc_err members_promote(struct request *r, const char *cohort_id)
    __attribute__((warn_unused_result));

/*
 * The learner a request acts on, as an id: the caller, when they came in
 * as a learner (naming anyone else is 403); otherwise `who` (e-mail or
 * id; required), which must be a learner of the cohort — enrolled, when
 * `enrolled` — and, for a caller in as a coach, one they coach (or any,
 * where no learner of the cohort has a coach).  Errors name `field`.
 */
enum mc_err members_learner_for(struct request *r, const char *cohort, const char *who,
                                const char *field, bool enrolled, char out_id[40])
    __attribute__((warn_unused_result));

/* Whether the caller, a coach of the cohort, acts on this learner (see above). */
enum mc_err members_coaches(struct request *r, const char *cohort, const char *learner, bool *out)
    __attribute__((warn_unused_result));

/*
 * Refuse (403) a coach acting on a learner they do not coach, in names
 * and e-mails: "you do not coach Ben Ortiz (ben@…); their coach is …".
 * One query, on the refusal path only.
 */
enum mc_err members_not_your_learner(struct request *r, const char *cohort, const char *learner,
                                     const char *field) __attribute__((warn_unused_result));

/*
 * A person of the organisation named by `who` (an e-mail or an id) as
 * messages name them, "Name (e-mail)"; `who` itself when nobody has it.
 * For refusals only: one or two queries.  MEMBERS_WORDS_MAX holds any.
 */
#define MEMBERS_WORDS_MAX (4 * MC_MAX_NAME + MC_MAX_EMAIL + 8)
void members_person_words(struct request *r, const char *who, char *out, size_t size);

enum mc_err members_add(struct request *r);
enum mc_err members_import(struct request *r);
enum mc_err members_list(struct request *r);
enum mc_err members_update(struct request *r);
enum mc_err members_withdraw(struct request *r);

#endif
