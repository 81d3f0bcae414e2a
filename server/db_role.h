/*
 * db_role.h — what the server's database role may do, asked of the
 * database itself.
 *
 * Two things make a role unfit to serve.  A superuser, or a role with
 * BYPASSRLS, sees every organisation's rows whatever mcred.org_id says,
 * so mcred-server refuses to serve through one (unless
 * MCRED_ALLOW_PRIVILEGED_DB=1, for a throwaway development database) and
 * /readyz reports it.  A role that owns the database, schema mcred or
 * anything in it may ALTER, DROP or TRUNCATE what it owns, and turn
 * row-level security off: migrations belong to a separate owner role
 * (MCRED_MIGRATE_DATABASE_URL), which grants the server's role only what
 * it needs (mcred.grant_server_role).  An owning role still serves — older
 * single-role installations do — but the log and /readyz warn.
 */
#ifndef MCRED_SERVER_DB_ROLE_H
#define MCRED_SERVER_DB_ROLE_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "mcred/error.h"

#define MC_DB_ROLE_NAME 64
#define MC_DB_ROLE_WHY  160

struct db_role {
    char name[MC_DB_ROLE_NAME]; /* current_user */
    bool privileged;            /* SUPERUSER or BYPASSRLS */
    bool owns;                  /* owns the database, schema mcred or an object in it */
    bool schema_exists;         /* schema mcred exists */
    bool schema_granted;        /* USAGE on schema mcred (owned or granted) */
    bool can_create_schema;     /* CREATE on the database: it could make schema mcred */
    /* in words, when privileged: `role "postgres" is a superuser` */
    char privileged_why[MC_DB_ROLE_WHY];
    /* in words, when owns: `role "mcred" owns schema mcred` */
    char owns_why[MC_DB_ROLE_WHY];
};

/* Ask the database about the connection's role. */
enum mc_err db_role_describe(struct db_conn *c, struct db_role *out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Give `role` what the server needs in schema mcred, and nothing more; run as its owner. */
enum mc_err db_role_grant_server(struct db_conn *c, const char *role, struct mc_error *err)
    __attribute__((warn_unused_result));

#endif
