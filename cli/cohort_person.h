/*
 * cohort_person.h — a person named within a cohort, by whoever asks.
 *
 * Routes under /v1/cohorts/{id}/members/{person} take a person's id, and
 * the learners' lists filter by one.  cli_person_id() (person.h) looks
 * e-mails up in GET /v1/people, which only coordinators and admins may
 * read; a coach, a leader or a learner asking about a cohort needs
 * another way.  So an e-mail is matched against the caller (GET /v1/me:
 * anyone may ask who they are) and then against the cohort's members
 * (GET /v1/cohorts/{id}/members: coordinators, leaders and coaches).
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
 * status).  When nobody matches: "mcred: no member of the cohort has the
 * e-mail …" and CLI_EXIT_NOT_FOUND.  Other failures are printed and their
 * exit code returned.
 */
int cli_cohort_person_id(const struct cli_ctx *ctx, const char *cohort, const char *who,
                         struct mc_buf *out_id);

#endif
