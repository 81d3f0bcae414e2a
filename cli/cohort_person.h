/*
 * cohort_person.h — a person named within a cohort, by whoever asks.
 *
 * Routes under /v1/cohorts/{id}/members/{person} take a person's id, and
 * the learners' lists filter by one.  cli_person_id() (person.h) looks
 * e-mails up in GET /v1/people, which only coordinators and admins may
 * read; a coach, a leader or a learner asking about a cohort needs
 * another way.  So an e-mail is matched against the caller (GET /v1/me:
 * anyone may ask who they are) and then against the cohort's members
 * (GET /v1/cohorts/{id}/members: coordinators, leaders and coaches).  A
 * refusal of that lookup is reported as a refusal of what the user asked
 * for: the lookup is the CLI's doing, not theirs.
 */
#ifndef MCRED_CLI_COHORT_PERSON_H
#define MCRED_CLI_COHORT_PERSON_H

#include <cjson/cJSON.h>

#include "mcred/buf.h"

#include "cli.h"

/*
 * GET /v1/me; on success *out_person (free it with cJSON_Delete) is its
 * "person" object {"id", "email", "name", …}.  Failures are printed and
 * their exit code returned.
 */
int cli_me(const struct cli_ctx *ctx, cJSON **out_person);

/*
 * Append the id of the person `who` names to out_id: anything without an
 * '@' is taken to be an id, unchecked (the request that uses it says
 * 404); an e-mail is the caller's own or a member's of `cohort` (of any
 * status).  When nobody matches: "mcred: no member of COHORT has the
 * e-mail …" and CLI_EXIT_NOT_FOUND.  Other failures are printed and their
 * exit code returned.
 */
int cli_cohort_person_id(const struct cli_ctx *ctx, const char *cohort, const char *who,
                         struct mc_buf *out_id);

/*
 * The same for a command that will `what` the person ("see the status
 * of"): when the caller may not look other members up (a learner naming
 * someone else), the refusal names what they asked for, not the lookup:
 * "mcred: you may not see the status of bob@… in spring-2027: …", and
 * CLI_EXIT_DENIED.  cli_cohort_person_id() says "name".
 */
int cli_cohort_person_id_for(const struct cli_ctx *ctx, const char *cohort, const char *who,
                             const char *what, struct mc_buf *out_id);

/*
 * The caller's own id (GET /v1/me) into out_id; failures are printed and
 * their exit code returned.
 */
int cli_my_id(const struct cli_ctx *ctx, struct mc_buf *out_id);

#endif
