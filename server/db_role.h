/*
 * db_role.h — is the server's database role one that row-level security
 * does not bind?  A superuser, or a role with BYPASSRLS, sees every
 * organisation's rows whatever mcred.org_id says, so mcred-server refuses
 * to serve through one (unless MCRED_ALLOW_PRIVILEGED_DB=1, for a
 * throwaway development database) and /readyz reports it.
 */
#ifndef MCRED_SERVER_DB_ROLE_H
#define MCRED_SERVER_DB_ROLE_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "mcred/error.h"

/*
 * Ask the database about the connection's role.  *privileged is true when
 * it is a superuser or has BYPASSRLS; `why` then says so in words
 * ("role \"postgres\" is a superuser"), else it is empty.
 */
enum mc_err db_role_check(struct db_conn *c, bool *privileged, char *why, size_t why_len,
                          struct mc_error *err) __attribute__((warn_unused_result));

#endif
