/*
 * deliveries.c — a subscription's delivery log, retrying a delivery by
 * hand, and test events: GET /v1/webhooks/{id}/deliveries,
 * GET /v1/deliveries/{id}, POST /v1/deliveries/{id}/retry and
 * POST /v1/webhooks/{id}/test.  The dispatcher (dispatcher.c) makes the
 * attempts; this is how people watch and nudge it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deliveries.h"
#include "journal.h"
#include "paging.h"
#include "request.h"
#include "server.h"
#include "webhooks.h"

#include "mcred/banned.h"

DB_STMT(db_delivery_item, "SELECT item::text AS item FROM mcred.delivery_items"
                          " WHERE org_id = $1::uuid AND id = $2::uuid");

DB_STMT(db_delivery_log, "SELECT item::text AS item FROM mcred.delivery_logs"
                         " WHERE org_id = $1::uuid AND id = $2::uuid");

static enum mc_err delivery_read(struct request *r, struct db_stmt *stmt, const char *id,
                                 cJSON **out)
{
    const char *params[] = {r->auth.org_id, id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, stmt, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool found = PQntuples(res) == 1;
    *out = found ? page_item(res, 0) : NULL;
    PQclear(res);
    if (!found)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "delivery %s not found", id);
    return *out ? MC_OK : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

DB_STMT(db_delivery_webhook_active, "SELECT active FROM mcred.webhooks"
                                    " WHERE org_id = $1::uuid AND id = $2::uuid");

/* The subscription exists (else 404); *active says whether it is switched on. */
static enum mc_err webhook_active(struct request *r, const char *id, bool *active)
{
    const char *params[] = {r->auth.org_id, id};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_delivery_webhook_active, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool found = PQntuples(res) == 1;
    *active = found && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return found ? MC_OK : request_fail(r, MC_ERR_NOT_FOUND, NULL, "webhook %s not found", id);
}

static bool delivery_status_known(const char *s)
{
    return strcmp(s, "pending") == 0 || strcmp(s, "succeeded") == 0 || strcmp(s, "failed") == 0 ||
           strcmp(s, "dead") == 0;
}

DB_STMT_REPLAN(db_deliveries_list,
               "SELECT item::text AS item, sort_key FROM mcred.delivery_items"
               " WHERE org_id = $1::uuid AND webhook_id = $2::uuid"
               "   AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR event_type = $4)"
               "   AND ($5::text IS NULL OR sort_key > $5 COLLATE \"C\")"
               " ORDER BY sort_key LIMIT $6::integer");

enum mc_err deliveries_list(struct request *r)
{
    const char *id = request_param(r, "id");
    const char *status = request_query(r, "status");
    const char *event = request_query(r, "event");
    struct page page;
    bool active;
    if (status && !delivery_status_known(status))
        return request_fail(r, MC_ERR_INVALID, "status",
                            "status must be pending, succeeded, failed or dead");
    if (event && !webhook_event_known(event))
        return request_fail(r, MC_ERR_INVALID, "event",
                            "%s is not an event type (see docs/api.md, Events)", event);
    enum mc_err rc = page_parse(r, &page);
    if (rc == MC_OK)
        rc = webhook_active(r, id, &active);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id,     id, status, event, page_after_param(&page),
                            page.limit_plus_one};
    return page_reply_query(r, &page, &db_deliveries_list, 6, params);
}

enum mc_err deliveries_show(struct request *r)
{
    cJSON *item = NULL;
    enum mc_err rc = delivery_read(r, &db_delivery_log, request_param(r, "id"), &item);
    return rc == MC_OK ? request_reply(r, 200, item) : rc;
}

/*
 * A failed delivery keeps its place on the schedule; a dead one gets one
 * more attempt (failures at the schedule's end), and dies again if that
 * fails.  One whose attempt is under way (claimed, claim not run out) is
 * left alone: sending it again now would send it twice.
 */
DB_STMT(db_delivery_retry,
        "WITH d AS ("
        "  UPDATE mcred.deliveries SET status = 'pending', next_attempt_at = now(), claim = NULL,"
        "         failures = least(failures, $3::integer), updated_at = now()"
        "   WHERE org_id = $1::uuid AND id = $2::uuid AND status IN ('failed', 'dead')"
        "     AND (claim IS NULL OR next_attempt_at <= now())"
        "  RETURNING id)"
        " SELECT id FROM d");

enum mc_err deliveries_retry(struct request *r)
{
    const char *id = request_param(r, "id");
    cJSON *before = NULL, *after = NULL;
    enum mc_err rc = delivery_read(r, &db_delivery_item, id, &before);
    if (rc != MC_OK)
        return rc;
    char last[16];
    snprintf(last, sizeof last, "%u", r->server->cfg.retry_schedule.n);
    const char *params[] = {r->auth.org_id, id, last};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_delivery_retry, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc == MC_OK) {
        bool retried = PQntuples(res) == 1;
        PQclear(res);
        if (!retried) {
            const char *status =
                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(before, "status"));
            rc = request_fail(r, MC_ERR_CONFLICT, NULL,
                              strcmp(status ? status : "", "succeeded") == 0
                                  ? "delivery %s has succeeded; there is nothing to retry"
                                  : "delivery %s is already pending or being attempted",
                              id);
        }
    }
    if (rc == MC_OK)
        rc = delivery_read(r, &db_delivery_item, id, &after);
    if (rc == MC_OK) {
        struct actor actor = journal_actor(r);
        rc = journal_write(r->db, r->auth.org_id, &actor, "delivery.retry", "delivery", id, before,
                           after, NULL, NULL, NULL, &r->err);
    }
    cJSON_Delete(before);
    if (rc != MC_OK) {
        cJSON_Delete(after);
        return rc;
    }
    return request_reply(r, 200, after);
}

/* webhook.test goes to this subscription alone: its delivery is made here, not by the fan-out. */
DB_STMT(db_delivery_test_insert,
        "INSERT INTO mcred.deliveries (org_id, webhook_id, event_id, event_type)"
        " VALUES ($1::uuid, $2::uuid, $3, 'webhook.test') RETURNING id");

static cJSON *test_event_data(const char *webhook_id)
{
    cJSON *data = cJSON_CreateObject();
    if (!data || !cJSON_AddStringToObject(data, "webhook_id", webhook_id) ||
        !cJSON_AddStringToObject(data, "message",
                                 "A test event from mcred: this subscription receives and "
                                 "verifies deliveries.")) {
        cJSON_Delete(data);
        return NULL;
    }
    return data;
}

enum mc_err webhooks_test(struct request *r)
{
    const char *id = request_param(r, "id");
    bool active;
    enum mc_err rc = webhook_active(r, id, &active);
    if (rc != MC_OK)
        return rc;
    if (!active)
        return request_fail(r, MC_ERR_CONFLICT, NULL,
                            "webhook %s is paused; resume it before testing", id);
    cJSON *data = test_event_data(id);
    if (!data)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    char event_id[MC_EVENT_ID_MAX];
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor, "webhook.test", "webhook", id, NULL, NULL,
                       "webhook.test", data, event_id, &r->err);
    cJSON_Delete(data);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id, id, event_id};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_delivery_test_insert, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    char delivery_id[40];
    snprintf(delivery_id, sizeof delivery_id, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    cJSON *item = NULL;
    rc = delivery_read(r, &db_delivery_item, delivery_id, &item);
    return rc == MC_OK ? request_reply(r, 202, item) : rc;
}
