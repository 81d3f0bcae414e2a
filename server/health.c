/*
 * health.c — the public probes: /healthz (the process answers), /readyz
 * (the database answers and its schema is current) and /metrics.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "db_role.h"
#include "handlers.h"
#include "migrate.h"
#include "request.h"
#include "server.h"
#include "mcred/version.h"

#include "mcred/banned.h"

enum mc_err health_live(struct request *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "status", "ok") ||
        !cJSON_AddStringToObject(o, "version", MC_VERSION)) {
        cJSON_Delete(o);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return request_reply(r, 200, o);
}

enum mc_err health_ready(struct request *r)
{
    struct db_conn *c = NULL;
    struct db_role role;
    long version = 0;
    enum mc_err rc = db_pool_acquire(r->server->pool, &c, &r->err);
    if (rc != MC_OK)
        return rc;
    rc = migrate_current(c, &version, &r->err);
    if (rc == MC_OK)
        rc = db_role_describe(c, &role, &r->err);
    db_pool_release(r->server->pool, c);
    if (rc != MC_OK)
        return rc;
    if (version < r->server->migrations_expected)
        return request_fail(r, MC_ERR_UNAVAILABLE, NULL,
                            "database schema is at migration %ld of %ld", version,
                            r->server->migrations_expected);
    /* the role may have been given SUPERUSER or BYPASSRLS since start-up */
    if (role.privileged && !r->server->cfg.allow_privileged_db)
        return request_fail(r, MC_ERR_UNAVAILABLE, NULL,
                            "the database connects as %s: row-level security keeps no "
                            "organisation apart",
                            role.privileged_why);
    /* unsafe (RLS binds nothing) outranks owner (could turn RLS off): one warning, the worse */
    const char *kind = role.privileged ? "unsafe" : role.owns ? "owner" : NULL;
    const char *why = role.privileged ? role.privileged_why : role.owns_why;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "status", "ready") ||
        !cJSON_AddNumberToObject(o, "migrations", (double)version) ||
        (kind && (!cJSON_AddStringToObject(o, "database_role", kind) ||
                  !cJSON_AddStringToObject(o, "warning", why)))) {
        cJSON_Delete(o);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return request_reply(r, 200, o);
}

DB_STMT(db_health_backlogs,
        "SELECT (SELECT count(*) FROM mcred.events WHERE dispatched_at IS NULL) AS outbox,"
        " count(*) AS deliveries,"
        " coalesce(floor(extract(epoch FROM now() - min(d.next_attempt_at))), 0)::bigint AS oldest"
        " FROM mcred.deliveries d"
        " WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= now()");

static enum mc_err read_backlogs(struct db_conn *c, void *ctx, struct mc_error *err)
{
    struct metrics_gauges *g = ctx;
    PGresult *res = NULL;
    enum mc_err rc = db_exec(c, &db_health_backlogs, 0, NULL, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    g->outbox_backlog = strtol(db_get(res, 0, "outbox"), NULL, 10);
    g->delivery_backlog = strtol(db_get(res, 0, "deliveries"), NULL, 10);
    g->delivery_oldest_due = strtol(db_get(res, 0, "oldest"), NULL, 10);
    PQclear(res);
    return MC_OK;
}

enum mc_err health_metrics(struct request *r)
{
    struct server *s = r->server;
    struct metrics_gauges g = {
        .pool_size = db_pool_size(s->pool),
        .pool_in_use = db_pool_in_use(s->pool),
        .outbox_backlog = -1,
        .delivery_backlog = -1,
        .delivery_oldest_due = -1,
        .database_up = 0,
        .in_flight = (long)atomic_load(&s->in_flight),
    };
    struct db_conn *c = NULL;
    struct mc_error ignored;
    if (db_pool_acquire(s->pool, &c, &ignored) == MC_OK) {
        /* the outbox and deliveries span organisations: read them as the server itself */
        if (db_transaction(c, NULL, true, read_backlogs, &g, &ignored) == MC_OK)
            g.database_up = 1;
        db_pool_release(s->pool, c);
    }
    enum mc_err rc = metrics_render(s->metrics, &g, &r->text);
    if (rc != MC_OK)
        return request_fail(r, rc, NULL, "could not render metrics");
    r->content_type = "text/plain; version=0.0.4; charset=utf-8";
    r->status = 200;
    return MC_OK;
}
