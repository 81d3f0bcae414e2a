/*
 * auth.h — who is calling: the bearer token to a person and organisation.
 */
#ifndef MCRED_SERVER_AUTH_H
#define MCRED_SERVER_AUTH_H

#include "db.h"
#include "request.h"
#include "tokens.h"

/*
 * Take the token out of an Authorization header value ("Bearer <token>",
 * scheme case-insensitive).  MC_ERR_UNAUTHENTICATED when absent or not a
 * well-formed token.
 */
enum mc_err auth_parse_bearer(const char *header, const char **out_token, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * Authentication opens the request's transaction, in the same round trip
 * as BEGIN: mcred.authenticate() looks the token up by its keyed hash,
 * refuses it when unknown, revoked or expired (no row), and sets the
 * organisation for the rest of the transaction.
 */
struct auth_start {
    char hash_param[MC_TOKEN_HASH_PARAM_LEN]; /* "\x" + hex, bytea input */
    const char *params[1];
};

/* Prepare *out (which points into *as) to authenticate `token`. */
enum mc_err auth_start_init(struct auth_start *as, const unsigned char key[MC_TOKEN_KEY_BYTES],
                            const char *token, struct db_tx_start *out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Wipe the hash from *as. */
void auth_start_release(struct auth_start *as);

/* Who the token belongs to, from the opening statement's result; MC_ERR_UNAUTHENTICATED if no one.
 */
enum mc_err auth_from_result(const PGresult *res, struct auth_info *out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* The route_role bit of an org_role name, 0 if unknown. */
unsigned auth_role_bit(const char *org_role);

#endif
