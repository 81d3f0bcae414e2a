/*
 * bootstrap.h — a new organisation with its first admin and their token.
 */
#ifndef MCRED_SERVER_BOOTSTRAP_H
#define MCRED_SERVER_BOOTSTRAP_H

#include "db.h"
#include "tokens.h"

struct bootstrap_request {
    const char *slug;
    const char *name;
    const char *admin_email;
    const char *admin_name; /* NULL: the part of the e-mail before '@' */
};

/*
 * Validate, then in one transaction create the organisation, its admin
 * and a token for them, each with its audit row.  MC_ERR_CONFLICT when the
 * slug is taken (nothing is written).  The token goes to out_token.
 */
enum mc_err bootstrap_org(struct db_conn *c, const unsigned char token_key[MC_TOKEN_KEY_BYTES],
                          const struct bootstrap_request *req,
                          char out_token[MC_TOKEN_TEXT_LEN + 1], struct mc_error *err)
    __attribute__((warn_unused_result));

#endif
