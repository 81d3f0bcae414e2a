/*
 * migrate.h — applying sql/migrations/NNNN_name.sql in order, each once.
 *
 * Applied versions are recorded in mcred.schema_migrations.  The whole run
 * holds a PostgreSQL advisory lock, so several `mcred-server migrate` or
 * starting servers can run at once: one applies, the others wait and
 * then find nothing left to do.  Each file runs in its own transaction
 * with its schema_migrations row.
 */
#ifndef MCRED_SERVER_MIGRATE_H
#define MCRED_SERVER_MIGRATE_H

#include <limits.h>

#include "config.h"
#include "db.h"
#include "mcred/error.h"

/* The migrations directory: MCRED_MIGRATIONS, else <exe dir>/../share/mcred/migrations. */
enum mc_err migrate_dir(const struct server_config *cfg, char out[PATH_MAX], struct mc_error *err)
    __attribute__((warn_unused_result));

/* The highest version among the files in dir (0 if none). */
enum mc_err migrate_latest(const char *dir, long *out_version, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * Apply every pending migration; *out_applied counts those applied now.
 * grant_to, unless NULL, names the server's role (another than c's):
 * it is then granted what it needs (mcred.grant_server_role), every time.
 */
enum mc_err migrate_apply(struct db_conn *c, const char *dir, const char *grant_to,
                          unsigned *out_applied, long *out_version, struct mc_error *err)
    __attribute__((warn_unused_result));

/* The highest applied version (0 if none or the table does not exist yet). */
enum mc_err migrate_current(struct db_conn *c, long *out_version, struct mc_error *err)
    __attribute__((warn_unused_result));

#endif
