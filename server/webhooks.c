/*
 * webhooks.c — /v1/webhooks: subscriptions, their secrets and rotation.
 *
 * A secret is 32 random bytes, shown once as "whsec_<base64>", and kept
 * only as crypto_secretbox(nonce || ciphertext) under a key derived from
 * MCRED_MASTER_KEY, so that a copy of the database alone cannot sign.
 * Rotation keeps the previous secret for 24 hours: the dispatcher signs
 * with both meanwhile, as the Standard Webhooks specification allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "mcred/events.h"
#include "mcred/json.h"
#include "paging.h"
#include "request.h"
#include "server.h"
#include "webhook_sign.h"
#include "webhook_url.h"
#include "webhooks.h"

#include "mcred/banned.h"

#define WEBHOOK_KDF_CONTEXT   "mcredwhk" /* crypto_kdf_CONTEXTBYTES = 8 */
#define WEBHOOK_KDF_SUBKEY    2
#define MC_MAX_WEBHOOK_EVENTS 32
#define BOX_BYTES             (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + WEBHOOK_SECRET_BYTES)

enum mc_err webhook_key_derive(const unsigned char *master_key,
                               unsigned char key[WEBHOOK_BOX_KEY_BYTES])
{
    if (crypto_kdf_derive_from_key(key, WEBHOOK_BOX_KEY_BYTES, WEBHOOK_KDF_SUBKEY,
                                   WEBHOOK_KDF_CONTEXT, master_key) != 0)
        return MC_ERR_INTERNAL;
    return MC_OK;
}

enum mc_err webhook_secret_open(const unsigned char box_key[WEBHOOK_BOX_KEY_BYTES],
                                const char *box_text, unsigned char key[WEBHOOK_SECRET_BYTES])
{
    unsigned char box[BOX_BYTES];
    size_t len = 0;
    const char *end = NULL;
    if (strncmp(box_text, "\\x", 2) != 0 ||
        sodium_hex2bin(box, sizeof box, box_text + 2, strlen(box_text + 2), NULL, &len, &end) !=
            0 ||
        len != BOX_BYTES || *end != '\0')
        return MC_ERR_INTERNAL;
    if (crypto_secretbox_open_easy(key, box + crypto_secretbox_NONCEBYTES,
                                   BOX_BYTES - crypto_secretbox_NONCEBYTES, box, box_key) != 0) {
        sodium_memzero(key, WEBHOOK_SECRET_BYTES);
        return MC_ERR_INTERNAL;
    }
    return MC_OK;
}

/* A new secret: its text for the client, and its box for the database as bytea input. */
static void secret_new(const unsigned char box_key[WEBHOOK_BOX_KEY_BYTES],
                       char text[WEBHOOK_SECRET_TEXT], char hex[2 + 2 * BOX_BYTES + 1])
{
    unsigned char secret[WEBHOOK_SECRET_BYTES], box[BOX_BYTES];
    randombytes_buf(secret, sizeof secret);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, secret, sizeof secret, box, box_key);
    webhook_secret_text(secret, sizeof secret, text);
    memcpy(hex, "\\x", 2); /* NOLINT(bugprone-not-null-terminated-result): bin2hex ends it */
    sodium_bin2hex(hex + 2, 2 * BOX_BYTES + 1, box, sizeof box);
    sodium_memzero(secret, sizeof secret);
}

bool webhook_event_known(const char *t)
{
    return mc_event_type_known(t);
}

/* `events`: ["*"] or known types like "score.recorded"; as a Postgres array literal. */
static enum mc_err read_events(struct request *r, char **out)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r->json, "events");
    *out = NULL;
    if (!list || cJSON_IsNull(list))
        return MC_OK;
    int n = cJSON_GetArraySize(list);
    if (!cJSON_IsArray(list) || n < 1 || n > MC_MAX_WEBHOOK_EVENTS)
        return request_fail(r, MC_ERR_INVALID, "events", "events must list 1 to %d event types",
                            MC_MAX_WEBHOOK_EVENTS);
    struct mc_buf buf;
    mc_buf_init(&buf, 4096);
    enum mc_err rc = mc_buf_appendc(&buf, '{');
    for (int i = 0; rc == MC_OK && i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(list, i);
        const char *t = cJSON_GetStringValue(e);
        bool ok = t && (strcmp(t, "*") == 0 || webhook_event_known(t));
        if (!ok) {
            char field[32];
            snprintf(field, sizeof field, "events[%d]", i);
            mc_buf_release(&buf);
            return request_fail(r, MC_ERR_INVALID, field,
                                "%s is not an event type (see docs/api.md, Events) nor \"*\"",
                                t ? t : "this");
        }
        rc = mc_buf_appendf(&buf, "%s\"%s\"", i ? "," : "", t);
    }
    if (rc == MC_OK)
        rc = mc_buf_appendc(&buf, '}');
    if (rc != MC_OK)
        return request_fail(r, rc, NULL, NULL);
    *out = mc_buf_detach(&buf, NULL);
    return *out ? MC_OK : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

static enum mc_err read_url(struct request *r, bool required, const char **out)
{
    enum mc_err rc = mc_json_get_string(r->json, "url", required, 2000, out, &r->err);
    if (rc == MC_OK && *out)
        rc = webhook_url_check(*out, r->server->cfg.webhook_allow_http,
                               r->server->cfg.webhook_allow_private, &r->err);
    return rc;
}

DB_STMT(db_webhook_item, "SELECT item::text AS item FROM mcred.webhook_items"
                         " WHERE org_id = $1::uuid AND id = $2::uuid");

static enum mc_err webhook_item(struct request *r, const char *id, cJSON **out)
{
    const char *params[] = {r->auth.org_id, id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_webhook_item, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool found = PQntuples(res) == 1;
    *out = found ? page_item(res, 0) : NULL;
    PQclear(res);
    if (!found)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "webhook %s not found", id);
    return *out ? MC_OK : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

/* Journal the change (never the secret) and answer with the subscription, plus a secret once. */
static enum mc_err reply_webhook(struct request *r, unsigned status, const char *id,
                                 const char *action, const char *secret)
{
    cJSON *item = NULL;
    enum mc_err rc = webhook_item(r, id, &item);
    if (rc == MC_OK) {
        struct actor actor = journal_actor(r);
        rc = journal_write(r->db, r->auth.org_id, &actor, action, "webhook", id, NULL, item, NULL,
                           NULL, NULL, &r->err);
    }
    if (rc == MC_OK && secret && !cJSON_AddStringToObject(item, "secret", secret))
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    if (rc != MC_OK) {
        cJSON_Delete(item);
        return rc;
    }
    return request_reply(r, status, item);
}

DB_STMT(db_webhook_insert,
        "INSERT INTO mcred.webhooks (org_id, url, events, secret_box)"
        " VALUES ($1::uuid, $2, coalesce($3::text[], '{*}'), $4::bytea) RETURNING id");

enum mc_err webhooks_create(struct request *r)
{
    static const char *const keys[] = {"url", "events", NULL};
    const char *url = NULL;
    char *events = NULL;
    char secret[WEBHOOK_SECRET_TEXT], box[2 + 2 * BOX_BYTES + 1];
    enum mc_err rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc == MC_OK)
        rc = read_url(r, true, &url);
    if (rc == MC_OK)
        rc = read_events(r, &events);
    if (rc != MC_OK)
        return rc;
    secret_new(r->server->webhook_key, secret, box);
    const char *params[] = {r->auth.org_id, url, events, box};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_webhook_insert, 4, params, PGRES_TUPLES_OK, &res, &r->err);
    free(events);
    if (rc == MC_OK) {
        char id[40];
        snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        rc = reply_webhook(r, 201, id, "webhook.create", secret);
    }
    sodium_memzero(secret, sizeof secret);
    return rc;
}

enum mc_err webhooks_show(struct request *r)
{
    cJSON *item = NULL;
    enum mc_err rc = webhook_item(r, request_param(r, "id"), &item);
    return rc == MC_OK ? request_reply(r, 200, item) : rc;
}

DB_STMT_REPLAN(db_webhooks_list,
               "SELECT item::text AS item, sort_key FROM mcred.webhook_items"
               " WHERE org_id = $1::uuid AND ($2::text IS NULL OR sort_key > $2 COLLATE \"C\")"
               " ORDER BY sort_key LIMIT $3::integer");

enum mc_err webhooks_list(struct request *r)
{
    struct page page;
    enum mc_err rc = page_parse(r, &page);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id, page_after_param(&page), page.limit_plus_one};
    return page_reply_query(r, &page, &db_webhooks_list, 3, params);
}

DB_STMT(db_webhook_update,
        "UPDATE mcred.webhooks SET url = coalesce($3, url), events = coalesce($4::text[], events),"
        " active = coalesce($5::boolean, active), updated_at = now()"
        " WHERE org_id = $1::uuid AND id = $2::uuid RETURNING id");

enum mc_err webhooks_update(struct request *r)
{
    static const char *const keys[] = {"url", "events", "active", NULL};
    const char *id = request_param(r, "id");
    const char *url = NULL;
    char *events = NULL;
    const cJSON *active = cJSON_GetObjectItemCaseSensitive(r->json, "active");
    enum mc_err rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc == MC_OK && active && !cJSON_IsBool(active))
        rc = request_fail(r, MC_ERR_INVALID, "active", "active must be true or false");
    if (rc == MC_OK)
        rc = read_url(r, false, &url);
    if (rc == MC_OK)
        rc = read_events(r, &events);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id, id, url, events,
                            active ? (cJSON_IsTrue(active) ? "true" : "false") : NULL};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_webhook_update, 5, params, PGRES_TUPLES_OK, &res, &r->err);
    free(events);
    if (rc != MC_OK)
        return rc;
    bool found = PQntuples(res) == 1;
    PQclear(res);
    if (!found)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "webhook %s not found", id);
    return reply_webhook(r, 200, id, "webhook.update", NULL);
}

DB_STMT(db_webhook_rotate,
        "UPDATE mcred.webhooks SET previous_box = secret_box,"
        " previous_until = now() + interval '24 hours', secret_box = $3::bytea, updated_at = now()"
        " WHERE org_id = $1::uuid AND id = $2::uuid RETURNING id");

enum mc_err webhooks_rotate(struct request *r)
{
    const char *id = request_param(r, "id");
    char secret[WEBHOOK_SECRET_TEXT], box[2 + 2 * BOX_BYTES + 1];
    secret_new(r->server->webhook_key, secret, box);
    const char *params[] = {r->auth.org_id, id, box};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_webhook_rotate, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc == MC_OK) {
        bool found = PQntuples(res) == 1;
        PQclear(res);
        rc = found ? reply_webhook(r, 200, id, "webhook.rotate", secret)
                   : request_fail(r, MC_ERR_NOT_FOUND, NULL, "webhook %s not found", id);
    }
    sodium_memzero(secret, sizeof secret);
    return rc;
}

DB_STMT(db_webhook_delete,
        "DELETE FROM mcred.webhooks WHERE org_id = $1::uuid AND id = $2::uuid RETURNING id");

enum mc_err webhooks_remove(struct request *r)
{
    const char *id = request_param(r, "id");
    cJSON *before = NULL;
    enum mc_err rc = webhook_item(r, id, &before);
    const char *params[] = {r->auth.org_id, id};
    if (rc == MC_OK)
        rc = db_exec(r->db, &db_webhook_delete, 2, params, PGRES_TUPLES_OK, NULL, &r->err);
    if (rc == MC_OK) {
        struct actor actor = journal_actor(r);
        rc = journal_write(r->db, r->auth.org_id, &actor, "webhook.remove", "webhook", id, before,
                           NULL, NULL, NULL, NULL, &r->err);
    }
    cJSON_Delete(before);
    return rc == MC_OK ? request_reply(r, 204, NULL) : rc;
}
