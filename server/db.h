/*
 * db.h — the database layer: a bounded pool of libpq connections,
 * prepared statements, and transactions.
 *
 * SQL lives in the server only as `struct db_stmt` constants, each next to
 * the one function that runs it (db_<thing>_<verb>).  A statement is
 * prepared on a connection the first time that connection runs it and
 * reused after; a reconnection forgets what was prepared.
 *
 * Errors: a lost connection becomes MC_ERR_UNAVAILABLE (503) and the
 * connection is reset the next time it is taken from the pool; a unique
 * violation becomes MC_ERR_CONFLICT; invalid input caught by a constraint
 * MC_ERR_INVALID; everything else MC_ERR_INTERNAL, with PostgreSQL's
 * message kept in the error for the request log (never shown to clients).
 */
#ifndef MCRED_SERVER_DB_H
#define MCRED_SERVER_DB_H

#include <stdatomic.h>
#include <stdbool.h>

#include <libpq-fe.h>

#include "mcred/error.h"
#include "mcred/limits.h"

struct db_stmt {
    const char *name; /* unique; used as the prepared statement's name */
    const char *sql;
    bool replan;     /* never prepared: planned anew with each call's values */
    atomic_int slot; /* 0 until first use, then 1 + its index among prepared statements */
};

#define DB_STMT(ident, text) static struct db_stmt ident = {.name = #ident, .sql = (text)}

/*
 * A statement whose best plan depends on its values — optional filters
 * written as `($n IS NULL OR …)` — for which PostgreSQL's generic plan of
 * a prepared statement can be orders of magnitude slower (measured with
 * bench/run: a people list at 0.1 ms custom, 12 ms generic).  It is sent
 * with its values each time and planned for them; the round trips are
 * the same.
 */
#define DB_STMT_REPLAN(ident, text)                                                                \
    static struct db_stmt ident = {.name = #ident, .sql = (text), .replan = true}

struct db_conn {
    PGconn *pg;
    const char *conninfo; /* to reconnect with; owned by the pool, or by the conn itself */
    char *conninfo_owned;
    bool broken; /* reset before the next use */
    bool prepared[MC_MAX_STATEMENTS];
    char sqlstate[6]; /* of the last failed statement, "" if none */
};

struct db_pool;

/* Connect settings for every connection: the empty search_path of STYLE.md. */
struct db_pool *db_pool_create(const char *conninfo, unsigned size, unsigned acquire_timeout_ms);
void db_pool_free(struct db_pool *pool);

/*
 * Take a connection, waiting up to the acquire timeout (then
 * MC_ERR_TIMEOUT).  A broken or never-opened connection is (re)opened here;
 * if that fails, MC_ERR_UNAVAILABLE and the slot goes back to the pool.
 */
enum mc_err db_pool_acquire(struct db_pool *pool, struct db_conn **out, struct mc_error *err)
    __attribute__((warn_unused_result));
void db_pool_release(struct db_pool *pool, struct db_conn *conn);

unsigned db_pool_size(const struct db_pool *pool);
unsigned db_pool_in_use(struct db_pool *pool);

/* Open a single connection outside any pool (CLI subcommands, tests). */
enum mc_err db_connect(const char *conninfo, struct db_conn **out, struct mc_error *err)
    __attribute__((warn_unused_result));
void db_conn_free(struct db_conn *conn);
/* Close and open again a connection of db_connect's (it broke); on failure c->pg is NULL. */
enum mc_err db_conn_reopen(struct db_conn *c, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * Run a statement with text parameters (NULL = SQL NULL).  `expect` is
 * PGRES_TUPLES_OK or PGRES_COMMAND_OK.  On success *out holds the result
 * (PQclear it) — or is left untouched when out is NULL and the result is
 * cleared here.  On failure nothing is returned and err says why.
 */
enum mc_err db_exec(struct db_conn *c, struct db_stmt *stmt, int nparams, const char *const *params,
                    ExecStatusType expect, PGresult **out, struct mc_error *err)
    __attribute__((warn_unused_result));

struct db_batch {
    struct db_stmt *stmt;
    int nparams;
    const char *const *params;
    ExecStatusType expect;
    PGresult **out; /* the result (PQclear it); untouched on failure */
};

/*
 * Run several independent statements in one round trip (libpq pipeline
 * mode), inside the current transaction.  All succeed, each result in its
 * *out, or none: on failure every result is cleared and err says why (the
 * first statement that failed).
 */
enum mc_err db_exec_batch(struct db_conn *c, struct db_batch *items, size_t n, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Run fixed SQL without parameters (BEGIN, COMMIT, migration files). */
enum mc_err db_exec_simple(struct db_conn *c, const char *sql, struct mc_error *err)
    __attribute__((warn_unused_result));

typedef enum mc_err (*db_tx_fn)(struct db_conn *c, void *ctx, struct mc_error *err);

/*
 * The statement a transaction opens with, sent together with BEGIN in
 * one round trip (libpq pipeline mode): setting the organisation, or
 * authenticating a request.  Its result stays in `result` for the
 * transaction's function to read; db_transaction_start clears it.
 */
struct db_tx_start {
    struct db_stmt *stmt; /* NULL: BEGIN alone */
    int nparams;
    const char *const *params;
    PGresult *result;
};

/*
 * Run fn inside BEGIN … COMMIT, opening with `start` (may be NULL).  If
 * fn fails, ROLLBACK and return its error.  A serialization failure or
 * deadlock is retried up to MC_DB_TX_RETRIES times, so fn must be safe to
 * run again.  A connection found dead at BEGIN (the database restarted)
 * is reopened once.
 */
enum mc_err db_transaction_start(struct db_conn *c, struct db_tx_start *start, db_tx_fn fn,
                                 void *ctx, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * db_transaction_start opening with the organisation: `org_id` (may be
 * NULL) is set as mcred.org_id for the transaction, or, with `system`,
 * mcred.system for the server's own cross-tenant work.
 */
enum mc_err db_transaction(struct db_conn *c, const char *org_id, bool system, db_tx_fn fn,
                           void *ctx, struct mc_error *err) __attribute__((warn_unused_result));

/* The most statements of one db_oneshot. */
#define DB_ONESHOT_MAX 16

/*
 * One round trip for a request whose work is a few statements that need
 * nothing from each other's results: the opening statement `start`
 * (authentication) and the n `work` statements, sent at once and run as
 * one transaction, committed when all succeed.  The work must write only
 * what it means to keep, whatever it answers, and must be harmless when
 * nobody authenticated (it then sees no organisation).  On success
 * start->result and every *work[i].out hold results (PQclear them all).
 * A failing statement rolls it all back; a serialization failure or
 * deadlock is retried as by db_transaction_start, and a connection found
 * dead before anything ran (the database restarted) is reopened once.
 */
enum mc_err db_oneshot(struct db_conn *c, struct db_tx_start *start, struct db_batch *work,
                       size_t n, struct mc_error *err) __attribute__((warn_unused_result));

/* ROLLBACK an open transaction; a failure marks the connection broken. */
void db_rollback(struct db_conn *c);

/* Set the organisation for the rest of the current transaction. */
enum mc_err db_set_org(struct db_conn *c, const char *org_id, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Column value or NULL for SQL NULL; column looked up by name. */
const char *db_get(const PGresult *res, int row, const char *column);

#endif
