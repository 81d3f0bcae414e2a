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
 * Inside the request's transaction: look the token up by its hash, refuse
 * it when unknown, revoked or expired (MC_ERR_UNAUTHENTICATED), set the
 * organisation for the transaction and fill *out.
 */
enum mc_err auth_authenticate(struct db_conn *c, const unsigned char key[MC_TOKEN_KEY_BYTES],
                              const char *token, struct auth_info *out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* The route_role bit of an org_role name, 0 if unknown. */
unsigned auth_role_bit(const char *org_role);

#endif
