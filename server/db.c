/*
 * db.c — connections, the pool, prepared statements and transactions.
 *
 * The pool is a fixed array of connection slots guarded by one mutex and
 * condition variable.  Connections are opened lazily, on the first
 * acquire of their slot, and reopened there after they break, so the
 * server starts (and keeps answering /healthz) while the database is
 * down, and recovers without a restart when it comes back.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"

#include "mcred/banned.h"

struct db_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    char *conninfo;
    unsigned size;
    unsigned in_use;
    unsigned acquire_timeout_ms;
    struct db_conn *conns;
    bool *taken;
};

static atomic_int next_stmt_slot;

/* An empty search_path (every name in our SQL is schema-qualified), and no NOTICEs on stderr. */
#define DB_SESSION_SETUP                                                                           \
    "SELECT pg_catalog.set_config('search_path', '', false),"                                      \
    " pg_catalog.set_config('client_min_messages', 'warning', false)"

/* Map a failed result (or a failed connection) to an mcred error. */
static enum mc_err db_error(struct db_conn *c, const PGresult *res, struct mc_error *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    if (!msg || !*msg)
        msg = PQerrorMessage(c->pg);
    snprintf(c->sqlstate, sizeof c->sqlstate, "%s", state ? state : "");
    /* PostgreSQL's messages end in a newline; keep the log line whole */
    char clean[MC_MAX_ERR_MESSAGE];
    snprintf(clean, sizeof clean, "%s", msg);
    clean[strcspn(clean, "\n")] = '\0';

    enum mc_err code;
    const char *message;
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (PQstatus(c->pg) == CONNECTION_OK &&
        (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) {
        /* the statement worked but answered otherwise than its caller expects: our bug */
        (void)mc_error_set(err, MC_ERR_INTERNAL, NULL, "database error");
        mc_error_detail(err, "unexpected result %s", PQresStatus(status));
        return MC_ERR_INTERNAL;
    }
    if (PQstatus(c->pg) != CONNECTION_OK || !state || strncmp(state, "08", 2) == 0 ||
        strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0) {
        c->broken = true;
        code = MC_ERR_UNAVAILABLE;
        message = "database unavailable";
    } else if (strcmp(state, "23505") == 0) {
        code = MC_ERR_CONFLICT;
        message = "conflicts with existing data";
    } else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
        code = MC_ERR_CONFLICT;
        message = "conflicts with a concurrent change; try again";
    } else if (strcmp(state, "57014") == 0) {
        code = MC_ERR_TIMEOUT;
        message = "the database took too long";
    } else if (strncmp(state, "22", 2) == 0 || strcmp(state, "23502") == 0 ||
               strcmp(state, "23503") == 0 || strcmp(state, "23514") == 0) {
        code = MC_ERR_INVALID;
        message = "value rejected by the database";
    } else {
        code = MC_ERR_INTERNAL;
        message = "database error";
    }
    (void)mc_error_set(err, code, NULL, "%s", message);
    mc_error_detail(err, "%s%s%s", state ? state : "", state ? ": " : "", clean);
    return code;
}

static bool db_retryable(const struct db_conn *c)
{
    return strcmp(c->sqlstate, "40001") == 0 || strcmp(c->sqlstate, "40P01") == 0;
}

/* Open c->pg and set up the session; on failure c->pg is NULL. */
static enum mc_err db_open(struct db_conn *c, struct mc_error *err)
{
    /* Defaults first: values in conninfo (expanded from "dbname") override them. */
    const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *const values[] = {"5", "mcred-server", c->conninfo, NULL};
    c->pg = PQconnectdbParams(keys, values, 1);
    memset(c->prepared, 0, sizeof c->prepared);
    c->broken = false;
    c->sqlstate[0] = '\0';
    if (!c->pg)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, "could not allocate a database connection");
    if (PQstatus(c->pg) != CONNECTION_OK) {
        char msg[MC_MAX_ERR_MESSAGE];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(c->pg));
        msg[strcspn(msg, "\n")] = '\0';
        PQfinish(c->pg);
        c->pg = NULL;
        (void)mc_error_set(err, MC_ERR_UNAVAILABLE, NULL, "database unavailable");
        mc_error_detail(err, "could not connect: %s", msg);
        return MC_ERR_UNAVAILABLE;
    }
    enum mc_err rc = db_exec_simple(c, DB_SESSION_SETUP, err);
    if (rc != MC_OK) {
        PQfinish(c->pg);
        c->pg = NULL;
    }
    return rc;
}

static void db_close(struct db_conn *c)
{
    if (c->pg)
        PQfinish(c->pg);
    c->pg = NULL;
}

enum mc_err db_connect(const char *conninfo, struct db_conn **out, struct mc_error *err)
{
    struct db_conn *c = calloc(1, sizeof *c);
    if (!c || !(c->conninfo_owned = strdup(conninfo))) {
        free(c);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    c->conninfo = c->conninfo_owned;
    enum mc_err rc = db_open(c, err);
    if (rc != MC_OK) {
        free(c->conninfo_owned);
        free(c);
        return rc;
    }
    *out = c;
    return MC_OK;
}

enum mc_err db_conn_reopen(struct db_conn *c, struct mc_error *err)
{
    db_close(c);
    return db_open(c, err);
}

void db_conn_free(struct db_conn *conn)
{
    if (!conn)
        return;
    db_close(conn);
    free(conn->conninfo_owned);
    free(conn);
}

struct db_pool *db_pool_create(const char *conninfo, unsigned size, unsigned acquire_timeout_ms)
{
    struct db_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    pool->conninfo = strdup(conninfo);
    pool->conns = calloc(size, sizeof *pool->conns);
    pool->taken = calloc(size, sizeof *pool->taken);
    if (!pool->conninfo || !pool->conns || !pool->taken ||
        pthread_mutex_init(&pool->lock, NULL) != 0) {
        free(pool->conninfo);
        free(pool->conns);
        free(pool->taken);
        free(pool);
        return NULL;
    }
    if (pthread_cond_init(&pool->freed, NULL) != 0) {
        pthread_mutex_destroy(&pool->lock);
        free(pool->conninfo);
        free(pool->conns);
        free(pool->taken);
        free(pool);
        return NULL;
    }
    pool->size = size;
    pool->acquire_timeout_ms = acquire_timeout_ms;
    for (unsigned i = 0; i < size; i++)
        pool->conns[i].conninfo = pool->conninfo;
    return pool;
}

void db_pool_free(struct db_pool *pool)
{
    if (!pool)
        return;
    for (unsigned i = 0; i < pool->size; i++)
        db_close(&pool->conns[i]);
    pthread_cond_destroy(&pool->freed);
    pthread_mutex_destroy(&pool->lock);
    free(pool->conninfo);
    free(pool->conns);
    free(pool->taken);
    free(pool);
}

static struct timespec deadline_after_ms(unsigned ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* Claim a free slot, waiting until the deadline; -1 on timeout. */
static int pool_claim(struct db_pool *pool)
{
    struct timespec deadline = deadline_after_ms(pool->acquire_timeout_ms);
    int slot = -1;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        for (unsigned i = 0; i < pool->size; i++) {
            if (!pool->taken[i]) {
                pool->taken[i] = true;
                pool->in_use++;
                slot = (int)i;
                break;
            }
        }
        if (slot >= 0)
            break;
        if (pthread_cond_timedwait(&pool->freed, &pool->lock, &deadline) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&pool->lock);
    return slot;
}

static void pool_unclaim(struct db_pool *pool, unsigned slot)
{
    pthread_mutex_lock(&pool->lock);
    pool->taken[slot] = false;
    pool->in_use--;
    pthread_cond_signal(&pool->freed);
    pthread_mutex_unlock(&pool->lock);
}

enum mc_err db_pool_acquire(struct db_pool *pool, struct db_conn **out, struct mc_error *err)
{
    int slot = pool_claim(pool);
    if (slot < 0)
        return mc_error_set(err, MC_ERR_TIMEOUT, NULL,
                            "no database connection became free within %u ms",
                            pool->acquire_timeout_ms);
    struct db_conn *c = &pool->conns[slot];
    if (c->pg && (c->broken || PQstatus(c->pg) != CONNECTION_OK))
        db_close(c);
    if (!c->pg) {
        enum mc_err rc = db_open(c, err);
        if (rc != MC_OK) {
            pool_unclaim(pool, (unsigned)slot);
            return rc;
        }
    }
    *out = c;
    return MC_OK;
}

void db_pool_release(struct db_pool *pool, struct db_conn *conn)
{
    unsigned slot = (unsigned)(conn - pool->conns);
    /* A connection left inside a transaction (a bug elsewhere) is not reused as is. */
    if (conn->pg && PQtransactionStatus(conn->pg) != PQTRANS_IDLE)
        conn->broken = true;
    pool_unclaim(pool, slot);
}

unsigned db_pool_size(const struct db_pool *pool)
{
    return pool->size;
}

unsigned db_pool_in_use(struct db_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    unsigned n = pool->in_use;
    pthread_mutex_unlock(&pool->lock);
    return n;
}

/* The statement's slot, assigned on first use; 0 if there are too many statements. */
static int stmt_slot(struct db_stmt *stmt)
{
    if (stmt->replan)
        return 0;
    int slot = atomic_load(&stmt->slot);
    if (slot)
        return slot;
    int mine = atomic_fetch_add(&next_stmt_slot, 1) + 1;
    int expected = 0;
    if (!atomic_compare_exchange_strong(&stmt->slot, &expected, mine))
        return expected;
    return mine;
}

enum mc_err db_exec(struct db_conn *c, struct db_stmt *stmt, int nparams, const char *const *params,
                    ExecStatusType expect, PGresult **out, struct mc_error *err)
{
    int slot = stmt_slot(stmt);
    PGresult *res;
    if (slot <= 0 || slot > MC_MAX_STATEMENTS) {
        res = PQexecParams(c->pg, stmt->sql, nparams, NULL, params, NULL, NULL, 0);
    } else {
        if (!c->prepared[slot - 1]) {
            PGresult *prep = PQprepare(c->pg, stmt->name, stmt->sql, 0, NULL);
            if (!prep || PQresultStatus(prep) != PGRES_COMMAND_OK) {
                enum mc_err rc = db_error(c, prep, err);
                PQclear(prep);
                return rc;
            }
            PQclear(prep);
            c->prepared[slot - 1] = true;
        }
        res = PQexecPrepared(c->pg, stmt->name, nparams, params, NULL, NULL, 0);
    }
    if (!res || PQresultStatus(res) != expect) {
        enum mc_err rc = db_error(c, res, err);
        PQclear(res);
        return rc;
    }
    c->sqlstate[0] = '\0';
    if (out)
        *out = res;
    else
        PQclear(res);
    return MC_OK;
}

enum mc_err db_exec_simple(struct db_conn *c, const char *sql, struct mc_error *err)
{
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        enum mc_err rc = db_error(c, res, err);
        PQclear(res);
        return rc;
    }
    PQclear(res);
    return MC_OK;
}

DB_STMT(db_tx_set_org, "SELECT pg_catalog.set_config('mcred.org_id', $1, true)");
DB_STMT(db_tx_set_system, "SELECT pg_catalog.set_config('mcred.system', 'on', true)");

enum mc_err db_set_org(struct db_conn *c, const char *org_id, struct mc_error *err)
{
    const char *params[] = {org_id};
    return db_exec(c, &db_tx_set_org, 1, params, PGRES_TUPLES_OK, NULL, err);
}

/* COMMIT, and make sure it did commit: in an aborted transaction it rolls back. */
static enum mc_err db_commit(struct db_conn *c, struct mc_error *err)
{
    PGresult *res = PQexec(c->pg, "COMMIT");
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        enum mc_err rc = db_error(c, res, err);
        PQclear(res);
        return rc;
    }
    bool committed = strcmp(PQcmdStatus(res), "COMMIT") == 0;
    PQclear(res);
    if (!committed)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "transaction was rolled back at commit");
    return MC_OK;
}

void db_rollback(struct db_conn *c)
{
    if (c->broken || PQtransactionStatus(c->pg) == PQTRANS_IDLE)
        return;
    PGresult *res = PQexec(c->pg, "ROLLBACK");
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
        c->broken = true;
    PQclear(res);
}

/* Read one command's result in a pipeline, and the NULL that ends it. */
static PGresult *pipeline_result(struct db_conn *c)
{
    PGresult *res = PQgetResult(c->pg);
    if (!res)
        return NULL;
    PGresult *end = PQgetResult(c->pg);
    if (end) { /* more than one result for one command: not ours to read */
        PQclear(end);
        c->broken = true;
    }
    return res;
}

/* Queue a statement in a pipeline, preparing it first on this connection if it needs to be. */
static bool pipeline_send(struct db_conn *c, struct db_stmt *stmt, int nparams,
                          const char *const *params, bool *out_prepared)
{
    int slot = stmt_slot(stmt);
    bool use_prepared = slot > 0 && slot <= MC_MAX_STATEMENTS;
    *out_prepared = use_prepared && !c->prepared[slot - 1];
    if (*out_prepared && PQsendPrepare(c->pg, stmt->name, stmt->sql, 0, NULL) != 1)
        return false;
    if (use_prepared)
        return PQsendQueryPrepared(c->pg, stmt->name, nparams, params, NULL, NULL, 0) == 1;
    return PQsendQueryParams(c->pg, stmt->sql, nparams, NULL, params, NULL, NULL, 0) == 1;
}

/* batch_run's *failed_at when the batch could not be sent: nothing ran. */
#define BATCH_UNSENT ((size_t)-1)

/*
 * db_exec_batch, telling also which statement failed first (*failed_at:
 * n when none did, BATCH_UNSENT when the batch was not sent).
 */
static enum mc_err batch_run(struct db_conn *c, struct db_batch *items, size_t n, size_t *failed_at,
                             struct mc_error *err)
{
    *failed_at = n;
    bool prepared[64] = {false};
    if (n > sizeof prepared / sizeof prepared[0])
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "too many statements in one batch");
    if (PQenterPipelineMode(c->pg) != 1)
        return db_error(c, NULL, err);
    bool sent = true;
    for (size_t i = 0; sent && i < n; i++)
        sent = pipeline_send(c, items[i].stmt, items[i].nparams, items[i].params, &prepared[i]);
    if (sent)
        sent = PQpipelineSync(c->pg) == 1;
    if (!sent) {
        enum mc_err rc = db_error(c, NULL, err);
        c->broken = true;
        *failed_at = BATCH_UNSENT;
        return rc;
    }
    enum mc_err rc = MC_OK;
    PGresult *results[64] = {NULL};
    for (size_t i = 0; i < n && !c->broken; i++) {
        if (prepared[i]) {
            PGresult *prep = pipeline_result(c);
            if (!prep || PQresultStatus(prep) != PGRES_COMMAND_OK) {
                if (rc == MC_OK)
                    rc = db_error(c, prep, err);
            } else {
                c->prepared[stmt_slot(items[i].stmt) - 1] = true;
            }
            PQclear(prep);
        }
        PGresult *res = pipeline_result(c);
        if (!res || PQresultStatus(res) != items[i].expect) {
            if (rc == MC_OK) {
                rc = db_error(c, res, err); /* the rest of the pipeline was aborted */
                *failed_at = i;
            }
            PQclear(res);
        } else {
            results[i] = res;
        }
        if (!res)
            c->broken = true;
    }
    PGresult *sync = c->broken ? NULL : PQgetResult(c->pg);
    if (!sync || PQresultStatus(sync) != PGRES_PIPELINE_SYNC || PQexitPipelineMode(c->pg) != 1)
        c->broken = true;
    PQclear(sync);
    if (c->broken && rc == MC_OK)
        rc = mc_error_set(err, MC_ERR_UNAVAILABLE, NULL, "database unavailable");
    for (size_t i = 0; i < n; i++) {
        if (rc == MC_OK)
            *items[i].out = results[i];
        else
            PQclear(results[i]);
    }
    return rc;
}

enum mc_err db_exec_batch(struct db_conn *c, struct db_batch *items, size_t n, struct mc_error *err)
{
    size_t failed_at;
    return batch_run(c, items, n, &failed_at, err);
}

/*
 * BEGIN, [PREPARE,] the opening statement, and a sync, sent at once; the
 * results are read in order and the first failure is the answer.
 */
static enum mc_err db_begin_pipelined(struct db_conn *c, struct db_tx_start *start,
                                      struct mc_error *err)
{
    struct db_stmt *stmt = start->stmt;
    int slot = stmt_slot(stmt);
    bool prepare = false;
    if (PQenterPipelineMode(c->pg) != 1)
        return db_error(c, NULL, err);
    bool sent = PQsendQueryParams(c->pg, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) == 1;
    if (sent)
        sent = pipeline_send(c, stmt, start->nparams, start->params, &prepare);
    if (sent)
        sent = PQpipelineSync(c->pg) == 1;
    if (!sent) {
        enum mc_err rc = db_error(c, NULL, err);
        c->broken = true;
        return rc;
    }
    enum mc_err rc = MC_OK;
    int commands = prepare ? 3 : 2;
    for (int i = 0; i < commands; i++) {
        PGresult *res = pipeline_result(c);
        ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        bool last = i == commands - 1;
        bool ok = last ? st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK : st == PGRES_COMMAND_OK;
        if (!ok && rc == MC_OK)
            rc = db_error(c, res, err); /* later commands of the pipeline were aborted */
        if (ok && last && rc == MC_OK)
            start->result = res;
        else
            PQclear(res);
        if (!res)
            break;
    }
    PGresult *sync = c->broken ? NULL : PQgetResult(c->pg);
    if (!sync || PQresultStatus(sync) != PGRES_PIPELINE_SYNC || PQexitPipelineMode(c->pg) != 1)
        c->broken = true;
    PQclear(sync);
    if (c->broken && rc == MC_OK)
        rc = mc_error_set(err, MC_ERR_UNAVAILABLE, NULL, "database unavailable");
    if (rc == MC_OK && prepare)
        c->prepared[slot - 1] = true;
    if (rc != MC_OK) {
        PQclear(start->result);
        start->result = NULL;
    }
    return rc;
}

static enum mc_err db_begin_once(struct db_conn *c, struct db_tx_start *start, struct mc_error *err)
{
    if (!start || !start->stmt)
        return db_exec_simple(c, "BEGIN", err);
    return db_begin_pipelined(c, start, err);
}

/* BEGIN; a connection found dead here (the database restarted) is reopened once. */
static enum mc_err db_begin(struct db_conn *c, struct db_tx_start *start, struct mc_error *err)
{
    enum mc_err rc = db_begin_once(c, start, err);
    if (rc != MC_ERR_UNAVAILABLE)
        return rc;
    db_close(c);
    rc = db_open(c, err);
    if (rc != MC_OK)
        return rc;
    return db_begin_once(c, start, err);
}

enum mc_err db_transaction_start(struct db_conn *c, struct db_tx_start *start, db_tx_fn fn,
                                 void *ctx, struct mc_error *err)
{
    enum mc_err rc = MC_OK;
    for (int attempt = 0; attempt <= MC_DB_TX_RETRIES; attempt++) {
        rc = db_begin(c, start, err);
        if (rc == MC_OK)
            rc = fn(c, ctx, err);
        if (start) {
            PQclear(start->result);
            start->result = NULL;
        }
        if (rc == MC_OK)
            rc = db_commit(c, err);
        else if (c->pg)
            db_rollback(c);
        if (rc == MC_OK || !c->pg || !db_retryable(c))
            return rc;
        c->sqlstate[0] = '\0';
    }
    return rc;
}

enum mc_err db_transaction(struct db_conn *c, const char *org_id, bool system, db_tx_fn fn,
                           void *ctx, struct mc_error *err)
{
    const char *params[] = {org_id};
    struct db_tx_start start = {0};
    if (org_id)
        start = (struct db_tx_start){.stmt = &db_tx_set_org, .nparams = 1, .params = params};
    else if (system)
        start = (struct db_tx_start){.stmt = &db_tx_set_system};
    return db_transaction_start(c, &start, fn, ctx, err);
}

const char *db_get(const PGresult *res, int row, const char *column)
{
    int col = PQfnumber(res, column);
    if (col < 0 || row >= PQntuples(res) || PQgetisnull(res, row, col))
        return NULL;
    return PQgetvalue(res, row, col);
}

/*
 * One try of db_oneshot.  No BEGIN or COMMIT: statements sent together up
 * to one Sync run as one implicit transaction, committed at the Sync when
 * all succeed and rolled back when one fails.  *unsent when nothing ran.
 */
static enum mc_err oneshot_once(struct db_conn *c, struct db_tx_start *start, struct db_batch *work,
                                size_t n, bool *unsent, struct mc_error *err)
{
    struct db_batch items[DB_ONESHOT_MAX + 1];
    PGresult *authenticated = NULL;
    items[0] = (struct db_batch){start->stmt, start->nparams, start->params, PGRES_TUPLES_OK,
                                 &authenticated};
    memcpy(&items[1], work, n * sizeof *work);
    size_t failed_at;
    enum mc_err rc = batch_run(c, items, n + 1, &failed_at, err);
    /* Nothing ran when the batch was not sent, or when the server ended the session before the
     * first statement (a restart or an administrator did).  A bare loss of the connection later
     * proves nothing: the Sync may have committed, so that is never tried again. */
    *unsent = rc != MC_OK && (failed_at == BATCH_UNSENT ||
                              (failed_at == 0 && strncmp(c->sqlstate, "57P0", 4) == 0));
    if (rc != MC_OK)
        return rc;
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
        c->broken = true;
        for (size_t i = 0; i < n; i++) {
            PQclear(*work[i].out);
            *work[i].out = NULL;
        }
        PQclear(authenticated);
        return mc_error_set(err, MC_ERR_INTERNAL, NULL,
                            "a one-shot request left a transaction open");
    }
    start->result = authenticated;
    return MC_OK;
}

enum mc_err db_oneshot(struct db_conn *c, struct db_tx_start *start, struct db_batch *work,
                       size_t n, struct mc_error *err)
{
    if (n < 1 || n > DB_ONESHOT_MAX)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "a one-shot request of %zu statements", n);
    enum mc_err rc = MC_OK;
    bool reopened = false;
    for (int attempt = 0; attempt <= MC_DB_TX_RETRIES; attempt++) {
        bool unsent = false;
        rc = oneshot_once(c, start, work, n, &unsent, err);
        if (rc == MC_ERR_UNAVAILABLE && unsent && !reopened) {
            /* the database restarted since this connection's last use: nothing ran */
            reopened = true;
            db_close(c);
            rc = db_open(c, err);
            if (rc != MC_OK)
                return rc;
            attempt--;
            continue;
        }
        if (rc == MC_OK || !c->pg || !db_retryable(c))
            return rc;
        c->sqlstate[0] = '\0';
    }
    return rc;
}
