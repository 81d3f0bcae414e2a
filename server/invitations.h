/*
 * invitations.h — access without an admin: a coordinator invites the
 * coaches and learners of a cohort, each of whom exchanges their
 * single-use, expiring code for their own API token.
 *
 * A code is "mci_" + 32 random bytes in URL-safe base64 without padding
 * (47 characters).  Like a token it is shown once, when made; the
 * database keeps only its keyed hash (token_hash(), with the token
 * pepper: the prefix keeps codes and tokens apart).
 */
#ifndef MCRED_SERVER_INVITATIONS_H
#define MCRED_SERVER_INVITATIONS_H

#include <stdbool.h>

#include "mcred/error.h"
#include "tokens.h"

#define MC_INVITE_PREFIX       "mci_"
#define MC_INVITE_TEXT_LEN     MC_TOKEN_TEXT_LEN /* a secret of tokens.h's form */
#define MC_MAX_INVITE_PEOPLE   100               /* people in one request */
#define MC_INVITE_DAYS_MAX     30
#define MC_INVITE_DAYS_DEFAULT 7

struct request;

/* A new random code, NUL-terminated.  sodium_memzero() it when done. */
void invitation_code_generate(char out[MC_INVITE_TEXT_LEN + 1]);

/* True when s has the form of a code (prefix, length, alphabet). */
bool invitation_code_well_formed(const char *s);

/*
 * Record why an invitation could not be accepted (mcred.invitation_accept's
 * outcome other than "ok": unknown, used, expired, revoked, ineligible) in
 * the invitee's words, and return the error (MC_ERR_UNAUTHENTICATED).
 */
enum mc_err invitation_refusal(struct request *r, const char *outcome, const char *cohort,
                               const char *expires_at);

/*
 * POST /v1/cohorts/{id}/invitations, GET /v1/cohorts/{id}/invitations,
 * DELETE /v1/invitations/{id} (coordinators and admins), and the public
 * POST /v1/invitations/accept.
 */
enum mc_err invitations_create(struct request *r);
enum mc_err invitations_list(struct request *r);
enum mc_err invitations_revoke(struct request *r);
enum mc_err invitations_accept(struct request *r);

#endif
