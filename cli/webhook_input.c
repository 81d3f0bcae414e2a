/*
 * webhook_input.c — the event types of --events, subscriptions as table
 * rows, and deliveries and their attempt logs as table rows; see
 * webhook_input.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mcred/buf.h"
#include "mcred/limits.h"

#include "text.h"
#include "webhook_input.h"

#include "mcred/banned.h"

/* Columns of a bad item quoted in a message. */
#define QUOTE_WIDTH 64
/* Milliseconds shown as "<n> ms"; a larger or odd number is shown as it came. */
#define LATENCY_MAX_MS 1e12

/* The n bytes at s are [a-z][a-z0-9_]*. */
static bool word_valid(const char *s, size_t n)
{
    if (n == 0 || s[0] < 'a' || s[0] > 'z')
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

bool cli_webhook_event_valid(const char *s, size_t len)
{
    const char *dot;

    if (len == 1 && s[0] == '*')
        return true;
    if (len > CLI_WEBHOOK_MAX_EVENT)
        return false;
    dot = memchr(s, '.', len);
    if (!dot)
        return false;
    return word_valid(s, (size_t)(dot - s)) && word_valid(dot + 1, len - (size_t)(dot - s) - 1);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* True when `events` already holds the string s. */
static bool events_have(const cJSON *events, const char *s)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, events)
    {
        if (strcmp(e->valuestring, s) == 0)
            return true;
    }
    return false;
}

/* MC_ERR_INVALID: "--events: '<item>' is not an event type …", the item cleaned and cut. */
static enum mc_err bad_item(struct mc_error *err, const char *s, size_t n)
{
    struct mc_buf raw, shown;
    enum mc_err rc;

    mc_buf_init(&raw, QUOTE_WIDTH * 4 + 1);
    mc_buf_init(&shown, QUOTE_WIDTH * 4 + 4);
    rc = mc_buf_append(&raw, s, n < QUOTE_WIDTH * 4 ? n : QUOTE_WIDTH * 4);
    if (rc == MC_OK)
        rc = cli_text_append_clean(&shown, raw.data, QUOTE_WIDTH);
    if (rc == MC_OK && cli_text_width(raw.data) > QUOTE_WIDTH)
        rc = mc_buf_appends(&shown, "…");
    if (rc == MC_OK)
        rc = mc_error_set(err, MC_ERR_INVALID, "events",
                          "--events: '%s' is not an event type (TYPE.ACTION in lowercase, "
                          "e.g. score.recorded, or *; 'mcred webhook add --help' lists them)",
                          shown.data);
    else
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    mc_buf_release(&shown);
    mc_buf_release(&raw);
    return rc;
}

enum mc_err cli_webhook_events_parse(const char *s, cJSON **out_events, struct mc_error *err)
{
    cJSON *events = cJSON_CreateArray();
    const char *p = s;
    bool star = false;
    int n = 0;
    enum mc_err rc = MC_OK;

    if (!events)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char type[CLI_WEBHOOK_MAX_EVENT + 1];
        cJSON *item;

        while (len > 0 && is_space(*p)) {
            p++;
            len--;
        }
        while (len > 0 && is_space(p[len - 1]))
            len--;
        if (len == 0) {
            rc = mc_error_set(err, MC_ERR_INVALID, "events",
                              n == 0 && !end ? "--events needs at least one event type"
                                             : "--events has an empty item; separate event "
                                               "types with single commas");
            goto out;
        }
        if (!cli_webhook_event_valid(p, len)) {
            rc = bad_item(err, p, len);
            goto out;
        }
        memcpy(type, p, len); /* valid, so len <= CLI_WEBHOOK_MAX_EVENT */
        type[len] = '\0';
        if (!events_have(events, type)) {
            if (++n > CLI_WEBHOOK_MAX_EVENTS) {
                rc =
                    mc_error_set(err, MC_ERR_INVALID, "events",
                                 "--events lists more than %d event types", CLI_WEBHOOK_MAX_EVENTS);
                goto out;
            }
            star = star || strcmp(type, "*") == 0;
            item = cJSON_CreateString(type);
            if (!item || !cJSON_AddItemToArray(events, item)) {
                cJSON_Delete(item);
                rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
                goto out;
            }
        }
        if (!end)
            break;
        p = end + 1;
    }
    if (star && n > 1) {
        rc = mc_error_set(err, MC_ERR_INVALID, "events",
                          "--events: * means every event; give it alone or list the types");
        goto out;
    }
    *out_events = events;
    events = NULL;
out:
    cJSON_Delete(events);
    return rc;
}

cJSON *cli_webhook_view(const cJSON *webhook)
{
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(webhook, "events");
    const cJSON *e;
    struct mc_buf joined;
    cJSON *view = cJSON_Duplicate(webhook, true);
    cJSON *text;

    if (!view || !cJSON_IsArray(events))
        return view;
    cJSON_ArrayForEach(e, events)
    {
        if (!cJSON_IsString(e))
            return view; /* not the shape we know: shown as the output layer does */
    }
    mc_buf_init(&joined, MC_CLI_MAX_RESPONSE); /* no longer than the answer it came in */
    cJSON_ArrayForEach(e, events)
    {
        if ((e != events->child && mc_buf_appendc(&joined, ',') != MC_OK) ||
            mc_buf_appends(&joined, e->valuestring) != MC_OK) {
            mc_buf_release(&joined);
            cJSON_Delete(view);
            return NULL;
        }
    }
    text = cJSON_CreateString(joined.data);
    mc_buf_release(&joined);
    if (!text || !cJSON_ReplaceItemInObjectCaseSensitive(view, "events", text)) {
        cJSON_Delete(text);
        cJSON_Delete(view);
        return NULL;
    }
    return view;
}

/* Each item of `items` made a row by `row_of`, into a new array; NULL when out of memory. */
static cJSON *rows_make(const cJSON *items, cJSON *(*row_of)(const cJSON *))
{
    cJSON *rows = cJSON_CreateArray();
    const cJSON *item;

    if (!rows)
        return NULL;
    cJSON_ArrayForEach(item, items)
    {
        cJSON *row = row_of(item);

        if (!row || !cJSON_AddItemToArray(rows, row)) {
            cJSON_Delete(row);
            cJSON_Delete(rows);
            return NULL;
        }
    }
    return rows;
}

cJSON *cli_webhook_rows(const cJSON *items)
{
    return rows_make(items, cli_webhook_view);
}

/* ---- deliveries ----------------------------------------------------------- */

const char *const cli_delivery_statuses[] = {"pending", "succeeded", "failed", "dead", NULL};

bool cli_delivery_status_valid(const char *s)
{
    for (size_t i = 0; cli_delivery_statuses[i]; i++) {
        if (strcmp(s, cli_delivery_statuses[i]) == 0)
            return true;
    }
    return false;
}

bool cli_delivery_event_valid(const char *s)
{
    return strcmp(s, "*") != 0 && cli_webhook_event_valid(s, strlen(s));
}

/* Set obj's member `key` to the string s, adding it when missing.  False when out of memory. */
static bool string_set(cJSON *obj, const char *key, const char *s)
{
    cJSON *text = cJSON_CreateString(s);

    if (!text)
        return false;
    if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
        if (cJSON_ReplaceItemInObjectCaseSensitive(obj, key, text))
            return true;
    } else if (cJSON_AddItemToObject(obj, key, text)) {
        return true;
    }
    cJSON_Delete(text);
    return false;
}

/* A "latency_ms" number of obj becomes "<n> ms".  False when out of memory. */
static bool latency_show(cJSON *obj)
{
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(obj, "latency_ms");
    char text[32];

    if (!cJSON_IsNumber(ms) || !(ms->valuedouble >= 0 && ms->valuedouble <= LATENCY_MAX_MS))
        return true;
    (void)snprintf(text, sizeof(text), "%.0f ms", ms->valuedouble);
    return string_set(obj, "latency_ms", text);
}

cJSON *cli_delivery_view(const cJSON *delivery)
{
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(delivery, "next_attempt_at");
    cJSON *view;

    if (!cJSON_IsObject(delivery))
        return cJSON_Duplicate(delivery, true); /* not the shape we know: shown as it came */
    view = cJSON_Duplicate(delivery, true);
    if (!view)
        return NULL;
    cJSON_DeleteItemFromObjectCaseSensitive(view, "log"); /* a table of its own */
    if ((!next || cJSON_IsNull(next)) && !string_set(view, "next_attempt_at", "-")) {
        cJSON_Delete(view);
        return NULL;
    }
    if (!latency_show(view)) {
        cJSON_Delete(view);
        return NULL;
    }
    return view;
}

cJSON *cli_delivery_rows(const cJSON *items)
{
    return rows_make(items, cli_delivery_view);
}

/* One attempt of the log as a row. */
static cJSON *attempt_row(const cJSON *attempt)
{
    cJSON *row = cJSON_Duplicate(attempt, true);

    if (row && cJSON_IsObject(row) && !latency_show(row)) {
        cJSON_Delete(row);
        return NULL;
    }
    return row;
}

cJSON *cli_delivery_log_rows(const cJSON *delivery)
{
    const cJSON *log = cJSON_GetObjectItemCaseSensitive(delivery, "log");

    return rows_make(cJSON_IsArray(log) ? log : NULL, attempt_row);
}

enum mc_err cli_delivery_note(const cJSON *delivery, enum cli_delivery_done done,
                              struct mc_buf *out)
{
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(delivery, "id"));
    const char *before = "", *after = "";
    enum mc_err rc;

    switch (done) {
    case CLI_DELIVERY_QUEUED:
        before = id ? "test event queued as delivery " : "test event queued";
        break;
    case CLI_DELIVERY_RETRIED:
        before = id ? "delivery " : "the delivery will be retried now";
        after = " will be retried now";
        break;
    }
    rc = mc_buf_appends(out, before);
    if (rc == MC_OK && id)
        rc = cli_text_append_clean(out, id, SIZE_MAX); /* an id is never cut */
    if (rc == MC_OK && id)
        rc = mc_buf_appends(out, after);
    return rc;
}
