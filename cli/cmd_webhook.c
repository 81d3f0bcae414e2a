/*
 * cmd_webhook.c — `mcred webhook`: subscribe URLs to the organisation's
 * events, list, show, pause, resume, change and remove the subscriptions,
 * and rotate their signing secrets (/v1/webhooks, docs/api.md "Webhooks";
 * coordinators and admins).
 *
 * A subscription's secret is in the answers to `add` and `rotate` and
 * nowhere else: they print it in full whatever the terminal's width (as
 * `mcred token create` does) and say on stderr what the user must do with
 * it.  --events is checked here (webhook_input.h); everything about the
 * URL (https, addresses the operator allows) is the server's to judge.
 * Tables show the events joined with ',', as --events takes them.
 *
 * A delivery's --status and --event are checked here too; tables show it
 * through cli_delivery_view() (NEXT is "-" when nothing more will be
 * tried), while --csv has its fields as they came.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/events.h"
#include "mcred/limits.h"

#include "args.h"
#include "cohort_input.h"
#include "commands.h"
#include "http.h"
#include "output.h"
#include "pages.h"
#include "query.h"
#include "webhook_input.h"

#include "mcred/banned.h"

static const struct cli_column webhook_fields[] = {
    {.key = "id", .header = "Id", .keep = true}, {.key = "url", .header = "URL", .keep = true},
    {.key = "events", .header = "Events"},       {.key = "active", .header = "Active"},
    {.key = "rotating", .header = "Rotating"},   {.key = "created_at", .header = "Created"},
    {.key = "updated_at", .header = "Updated"},  {.key = NULL},
};

/* The answers to add and rotate: the subscription and, this once, its secret. */
static const struct cli_column secret_fields[] = {
    {.key = "id", .header = "Id", .keep = true},
    {.key = "url", .header = "URL", .keep = true},
    {.key = "events", .header = "Events"},
    {.key = "active", .header = "Active"},
    {.key = "rotating", .header = "Rotating"},
    {.key = "created_at", .header = "Created"},
    {.key = "updated_at", .header = "Updated"},
    {.key = "secret", .header = "Secret", .keep = true},
    {.key = NULL},
};

static const struct cli_column webhook_columns[] = {
    {.key = "url", .header = "URL"},
    {.key = "events", .header = "EVENTS"},
    {.key = "active", .header = "ACTIVE"},
    {.key = "rotating", .header = "ROTATING"},
    {.key = "id", .header = "ID", .keep = true},
    {.key = NULL},
};

/* One delivery: the field/value rows of a table, and (by key) the fields of --csv. */
static const struct cli_column delivery_fields[] = {
    {.key = "id", .header = "Id", .keep = true},
    {.key = "webhook_id", .header = "Webhook", .keep = true},
    {.key = "event_type", .header = "Event"},
    {.key = "event_id", .header = "Event id", .keep = true},
    {.key = "status", .header = "Status"},
    {.key = "attempts", .header = "Attempts"},
    {.key = "response_status", .header = "Code"},
    {.key = "latency_ms", .header = "Latency"},
    {.key = "error", .header = "Error"},
    {.key = "next_attempt_at", .header = "Next attempt"},
    {.key = "last_attempt_at", .header = "Last attempt"},
    {.key = "created_at", .header = "Created"},
    {.key = "updated_at", .header = "Updated"},
    {.key = NULL},
};

/* A table of deliveries: rows made by cli_delivery_rows().  ERROR gives way first. */
static const struct cli_column delivery_columns[] = {
    {.key = "id", .header = "ID", .keep = true},  {.key = "event_type", .header = "EVENT"},
    {.key = "status", .header = "STATUS"},        {.key = "attempts", .header = "ATTEMPTS"},
    {.key = "response_status", .header = "CODE"}, {.key = "next_attempt_at", .header = "NEXT"},
    {.key = "error", .header = "ERROR"},          {.key = NULL},
};

/* A delivery's attempt log: rows made by cli_delivery_log_rows(). */
static const struct cli_column log_columns[] = {
    {.key = "at", .header = "AT"},
    {.key = "response_status", .header = "CODE"},
    {.key = "latency_ms", .header = "LATENCY"},
    {.key = "error", .header = "ERROR"},
    {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/* Print one subscription (an answer's object): --json as it came, else with its events joined. */
static int webhook_print(const struct cli_ctx *ctx, const struct cli_response *resp,
                         const struct cli_column *fields)
{
    cJSON *webhook = NULL, *view = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &webhook);
    if (code != CLI_EXIT_OK)
        return code;
    view = cli_webhook_view(webhook);
    code = view ? cli_print_object(ctx, view, fields) : out_of_memory(ctx);
    cJSON_Delete(view);
    cJSON_Delete(webhook);
    return code;
}

/* Overwrite the "secret" of a parsed answer, so that it does not stay in freed memory. */
static void secret_wipe(cJSON *obj)
{
    char *secret = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "secret"));

    if (secret)
        memset(secret, 0, strlen(secret));
}

/*
 * Print an answer that holds a secret, never cut short, and then `note` on
 * stderr (tables only: scripts asked for --json or --csv).  Wipes the
 * secret from memory.
 */
static int secret_print(const struct cli_ctx *ctx, struct cli_response *resp, const char *note)
{
    struct cli_ctx wide = *ctx;
    cJSON *webhook = NULL, *view = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_JSON) {
        code = cli_response_print_json(ctx, resp);
        goto out;
    }
    code = cli_response_json(ctx, resp, &webhook);
    if (code != CLI_EXIT_OK)
        goto out;
    view = cli_webhook_view(webhook);
    if (!view) {
        code = out_of_memory(ctx);
        goto out;
    }
    wide.width = 0; /* never cut the secret short */
    code = cli_print_object(&wide, view, secret_fields);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_TABLE)
        (void)fprintf(ctx->err, "mcred: %s\n", note);
out:
    secret_wipe(view);
    secret_wipe(webhook);
    cJSON_Delete(view);
    cJSON_Delete(webhook);
    if (resp->body.cap)
        memset(resp->body.data, 0, resp->body.cap);
    return code;
}

/* Send `body` (NULL for none) to <collection>/<id><tail> and answer `resp`. */
static int resource_request(const struct cli_ctx *ctx, const char *method, const char *collection,
                            const char *id, const char *tail, const cJSON *body,
                            struct cli_response *resp)
{
    struct mc_buf path;
    char *text = NULL;
    int code;

    if (body && !(text = cJSON_PrintUnformatted(body)))
        return out_of_memory(ctx);
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, collection, id, tail, &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, method, path.data, text, NULL, resp);
    mc_buf_release(&path);
    free(text);
    return code;
}

/* Send `body` (NULL for none) to /v1/webhooks/<id><tail> and answer `resp`. */
static int webhook_request(const struct cli_ctx *ctx, const char *method, const char *id,
                           const char *tail, const cJSON *body, struct cli_response *resp)
{
    return resource_request(ctx, method, "/v1/webhooks", id, tail, body, resp);
}

/* Put --events into body as "events"; a usage error when it is not a list of event types. */
static int events_add(const struct cli_ctx *ctx, const char *what, const char *events, cJSON *body)
{
    struct mc_error err;
    cJSON *list = NULL;
    enum mc_err rc;

    mc_error_clear(&err);
    rc = cli_webhook_events_parse(events, &list, &err);
    if (rc == MC_ERR_INVALID)
        return cli_usage_error(ctx, what, "%s", mc_error_message(&err));
    if (rc != MC_OK)
        return out_of_memory(ctx);
    if (!cJSON_AddItemToObject(body, "events", list)) {
        cJSON_Delete(list);
        return out_of_memory(ctx);
    }
    return CLI_EXIT_OK;
}

/* ---- add ------------------------------------------------------------------ */

static int webhook_add(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"URL", NULL};
    const char *events = NULL;
    const struct cli_option options[] = {
        {.name = "events", .value = &events},
        {.name = NULL},
    };
    const char *args[1];
    struct cli_response resp;
    cJSON *body = NULL;
    char *text = NULL;
    int code = cli_args_parse(ctx, "webhook add", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    cli_response_init(&resp);
    body = cJSON_CreateObject();
    if (!body || !cJSON_AddStringToObject(body, "url", args[0])) {
        code = out_of_memory(ctx);
        goto out;
    }
    if (events)
        code = events_add(ctx, "webhook add", events, body);
    if (code != CLI_EXIT_OK)
        goto out;
    text = cJSON_PrintUnformatted(body);
    if (!text) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_http_request(ctx, "POST", "/v1/webhooks", text, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = secret_print(ctx, &resp,
                            "the secret is shown only this once; set it in the receiver now");
out:
    free(text);
    cJSON_Delete(body);
    cli_response_release(&resp);
    return code;
}

/* ---- list ----------------------------------------------------------------- */

/* A page of subscriptions: --json as it is, otherwise rows made to fit. */
static int webhooks_print(const struct cli_ctx *ctx, const cJSON *list)
{
    if (ctx->format == CLI_FORMAT_JSON)
        return cli_print_object(ctx, list, webhook_columns);
    cJSON *rows = cli_webhook_rows(cJSON_GetObjectItemCaseSensitive(list, "items"));
    int code = rows ? cli_print_items(ctx, rows, webhook_columns) : out_of_memory(ctx);
    cJSON_Delete(rows);
    return code;
}

static int webhook_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    const char *limit = NULL;
    bool all = false;
    const struct cli_option options[] = {
        {.name = "limit", .value = &limit},
        {.name = "all", .flag = &all},
        {.name = NULL},
    };
    struct mc_buf path;
    enum mc_err rc;
    int code = cli_args_parse(ctx, "webhook list", argc, argv, options, NULL, NULL);

    if (code != CLI_EXIT_OK)
        return code;
    code = cli_pages_limit_check(ctx, "webhook list", limit);
    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    rc = mc_buf_appends(&path, "/v1/webhooks");
    if (rc == MC_OK && limit)
        rc = cli_query_add(&path, "limit", limit);
    if (rc != MC_OK) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_pages_list(ctx, path.data, all, webhooks_print, "webhooks");
out:
    mc_buf_release(&path);
    return code;
}

/* ---- show ----------------------------------------------------------------- */

static int webhook_show(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"ID", NULL};
    const char *args[1];
    struct cli_response resp;
    int code = cli_args_parse(ctx, "webhook show", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    cli_response_init(&resp);
    code = webhook_request(ctx, "GET", args[0], NULL, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = webhook_print(ctx, &resp, webhook_fields);
    cli_response_release(&resp);
    return code;
}

/* ---- pause, resume and update --------------------------------------------- */

/* PATCH the subscription `id` with `body` and print it. */
static int webhook_patch(const struct cli_ctx *ctx, const char *id, const cJSON *body)
{
    struct cli_response resp;
    int code;

    cli_response_init(&resp);
    code = webhook_request(ctx, "PATCH", id, NULL, body, &resp);
    if (code == CLI_EXIT_OK)
        code = webhook_print(ctx, &resp, webhook_fields);
    cli_response_release(&resp);
    return code;
}

/* `webhook pause` and `webhook resume`: PATCH {"active": active}. */
static int webhook_set_active(const struct cli_ctx *ctx, const char *what, bool active, int argc,
                              char **argv)
{
    static const char *const names[] = {"ID", NULL};
    const char *args[1];
    cJSON *body = NULL;
    int code = cli_args_parse(ctx, what, argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    body = cJSON_CreateObject();
    if (!body || !cJSON_AddBoolToObject(body, "active", active))
        code = out_of_memory(ctx);
    else
        code = webhook_patch(ctx, args[0], body);
    cJSON_Delete(body);
    return code;
}

static int webhook_pause(const struct cli_ctx *ctx, int argc, char **argv)
{
    return webhook_set_active(ctx, "webhook pause", false, argc, argv);
}

static int webhook_resume(const struct cli_ctx *ctx, int argc, char **argv)
{
    return webhook_set_active(ctx, "webhook resume", true, argc, argv);
}

static int webhook_update(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"ID", NULL};
    const char *url = NULL, *events = NULL;
    const struct cli_option options[] = {
        {.name = "url", .value = &url},
        {.name = "events", .value = &events},
        {.name = NULL},
    };
    const char *args[1];
    cJSON *body = NULL;
    int code = cli_args_parse(ctx, "webhook update", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (!url && !events)
        return cli_usage_error(ctx, "webhook update", "nothing to change; give --url or --events");
    body = cJSON_CreateObject();
    if (!body || (url && !cJSON_AddStringToObject(body, "url", url)))
        code = out_of_memory(ctx);
    if (code == CLI_EXIT_OK && events)
        code = events_add(ctx, "webhook update", events, body);
    if (code == CLI_EXIT_OK)
        code = webhook_patch(ctx, args[0], body);
    cJSON_Delete(body);
    return code;
}

/* ---- rotate --------------------------------------------------------------- */

static int webhook_rotate(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"ID", NULL};
    const char *args[1];
    struct cli_response resp;
    int code = cli_args_parse(ctx, "webhook rotate", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    cli_response_init(&resp);
    code = webhook_request(ctx, "POST", args[0], "/rotate", NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = secret_print(ctx, &resp,
                            "the new secret is shown only this once; both it and the previous "
                            "secret sign deliveries for 24 hours, then only the new one");
    cli_response_release(&resp);
    return code;
}

/* ---- remove --------------------------------------------------------------- */

static int webhook_remove(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"ID", NULL};
    static const struct cli_column removed_fields[] = {
        {.key = "id", .header = "Id"},
        {.key = "removed", .header = "Removed"},
        {.key = NULL},
    };
    const char *args[1];
    struct cli_response resp;
    cJSON *record = NULL;
    int code = cli_args_parse(ctx, "webhook remove", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    cli_response_init(&resp);
    code = webhook_request(ctx, "DELETE", args[0], NULL, NULL, &resp);
    if (code != CLI_EXIT_OK)
        goto out;
    if (ctx->format == CLI_FORMAT_TABLE) {
        (void)fprintf(ctx->out, "removed webhook %s\n", args[0]);
        goto out;
    }
    /* 204 has no body: scripts get a record of what was done. */
    record = cJSON_CreateObject();
    if (!record || !cJSON_AddStringToObject(record, "id", args[0]) ||
        !cJSON_AddBoolToObject(record, "removed", true)) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_print_object(ctx, record, removed_fields);
out:
    cJSON_Delete(record);
    cli_response_release(&resp);
    return code;
}

/* ---- deliveries: test, deliveries, delivery and retry --------------------- */

/*
 * Show one delivery (not --json): with --csv its fields as they came, one
 * record; in a table its fields made to fit and, with `with_log`, its
 * attempt log under them.
 */
static int delivery_show(const struct cli_ctx *ctx, const cJSON *delivery, bool with_log)
{
    cJSON *view = NULL, *log = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_CSV)
        return cli_print_object(ctx, delivery, delivery_fields);
    view = cli_delivery_view(delivery);
    code = view ? cli_print_object(ctx, view, delivery_fields) : out_of_memory(ctx);
    if (code == CLI_EXIT_OK && with_log) {
        log = cli_delivery_log_rows(delivery);
        (void)fputc('\n', ctx->out);
        if (!log)
            code = out_of_memory(ctx);
        else if (cJSON_GetArraySize(log) == 0)
            (void)fputs("no attempts yet\n", ctx->out);
        else
            code = cli_print_items(ctx, log, log_columns);
    }
    cJSON_Delete(log);
    cJSON_Delete(view);
    return code;
}

/*
 * Print the delivery that `test` or `retry` answered: --json as it came,
 * else as delivery_show() and, in a table, the line of cli_delivery_note().
 */
static int delivery_done_print(const struct cli_ctx *ctx, const struct cli_response *resp,
                               enum cli_delivery_done done)
{
    struct mc_buf line;
    cJSON *delivery = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &delivery);
    if (code != CLI_EXIT_OK)
        return code;
    code = delivery_show(ctx, delivery, false);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_TABLE) {
        mc_buf_init(&line, MC_CLI_MAX_RESPONSE);
        if (cli_delivery_note(delivery, done, &line) == MC_OK)
            (void)fprintf(ctx->out, "\n%s\n", line.data);
        else
            code = out_of_memory(ctx);
        mc_buf_release(&line);
    }
    cJSON_Delete(delivery);
    return code;
}

static int webhook_test(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"ID", NULL};
    const char *args[1];
    struct cli_response resp;
    int code = cli_args_parse(ctx, "webhook test", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    cli_response_init(&resp);
    code = webhook_request(ctx, "POST", args[0], "/test", NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = delivery_done_print(ctx, &resp, CLI_DELIVERY_QUEUED);
    cli_response_release(&resp);
    return code;
}

/* A list of deliveries {"items", "next"}: --json as it is, CSV whole, a table made to fit. */
static int deliveries_print(const struct cli_ctx *ctx, const cJSON *list)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
    cJSON *rows;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_print_object(ctx, list, delivery_columns);
    if (ctx->format == CLI_FORMAT_CSV)
        return cli_print_items(ctx, items, delivery_fields);
    rows = cli_delivery_rows(items);
    code = rows ? cli_print_items(ctx, rows, delivery_columns) : out_of_memory(ctx);
    cJSON_Delete(rows);
    return code;
}

static int webhook_deliveries(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"ID", NULL};
    const char *status = NULL, *event = NULL, *limit = NULL;
    bool all = false;
    const struct cli_option options[] = {
        {.name = "status", .value = &status},
        {.name = "event", .value = &event},
        {.name = "limit", .value = &limit},
        {.name = "all", .flag = &all},
        {.name = NULL},
    };
    const char *args[1];
    struct mc_buf path;
    enum mc_err rc = MC_OK;
    int code = cli_args_parse(ctx, "webhook deliveries", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (status && !cli_delivery_status_valid(status))
        return cli_usage_error(ctx, "webhook deliveries", "--status must be %s",
                               CLI_DELIVERY_STATUSES);
    if (event && !cli_delivery_event_valid(event))
        return cli_usage_error(ctx, "webhook deliveries",
                               "--event must be one event type (TYPE.ACTION in lowercase, "
                               "e.g. score.recorded)");
    code = cli_pages_limit_check(ctx, "webhook deliveries", limit);
    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/webhooks", args[0], "/deliveries", &path);
    if (code != CLI_EXIT_OK)
        goto out;
    if (status)
        rc = cli_query_add(&path, "status", status);
    if (rc == MC_OK && event)
        rc = cli_query_add(&path, "event", event);
    if (rc == MC_OK && limit)
        rc = cli_query_add(&path, "limit", limit);
    if (rc != MC_OK) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_pages_list(ctx, path.data, all, deliveries_print, "deliveries");
out:
    mc_buf_release(&path);
    return code;
}

static int webhook_delivery(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"DELIVERY_ID", NULL};
    const char *args[1];
    struct cli_response resp;
    cJSON *delivery = NULL;
    int code = cli_args_parse(ctx, "webhook delivery", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    cli_response_init(&resp);
    code = resource_request(ctx, "GET", "/v1/deliveries", args[0], NULL, NULL, &resp);
    if (code != CLI_EXIT_OK)
        goto out;
    if (ctx->format == CLI_FORMAT_JSON) {
        code = cli_response_print_json(ctx, &resp);
        goto out;
    }
    code = cli_response_json(ctx, &resp, &delivery);
    if (code == CLI_EXIT_OK)
        code = delivery_show(ctx, delivery, true);
out:
    cJSON_Delete(delivery);
    cli_response_release(&resp);
    return code;
}

static int webhook_retry(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"DELIVERY_ID", NULL};
    const char *args[1];
    struct cli_response resp;
    int code = cli_args_parse(ctx, "webhook retry", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    cli_response_init(&resp);
    code = resource_request(ctx, "POST", "/v1/deliveries", args[0], "/retry", NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = delivery_done_print(ctx, &resp, CLI_DELIVERY_RETRIED);
    cli_response_release(&resp);
    return code;
}

/* ---- the verbs ------------------------------------------------------------ */

const struct cli_verb webhook_verbs[] = {
    {
        .name = "add",
        .fn = webhook_add,
        .summary = "subscribe a URL to events (prints its secret, once)",
        .usage = "usage: mcred webhook add URL [--events TYPE,...]\n"
                 "\n"
                 "Subscribe URL to the organisation's events (POST /v1/webhooks).  Each\n"
                 "event is POSTed to it, signed as Standard Webhooks says with the\n"
                 "subscription's secret (whsec_...), which is printed here this once only.\n"
                 "The URL must be https:// and a public address unless the server's\n"
                 "operator allows otherwise.\n"
                 "\n"
                 "  --events TYPE,...  the event types to send, comma-separated, e.g.\n"
                 "                     score.recorded,member.enrolled; * for every event\n"
                 "                     (the default)\n"
                 "\n"
                 "Event types:\n" MC_EVENT_HELP "\n"
                 "Prints the subscription and its secret.  With --json, prints {\"id\",\n"
                 "\"url\", \"events\", \"active\", \"rotating\", \"created_at\", \"updated_at\",\n"
                 "\"secret\"}.\n",
    },
    {
        .name = "list",
        .fn = webhook_list,
        .summary = "list the subscriptions (never their secrets)",
        .usage = "usage: mcred webhook list [--limit N] [--all]\n"
                 "\n"
                 "List the organisation's subscriptions (GET /v1/webhooks): URL, EVENTS,\n"
                 "ACTIVE, ROTATING (a previous secret still signs) and ID.  On a narrow\n"
                 "terminal the other columns are cut before the ID.\n"
                 "\n"
                 "  --limit N          subscriptions per page, 1 to 500 (default 50)\n"
                 "  --all              every page, not only the first\n",
    },
    {
        .name = "show",
        .fn = webhook_show,
        .summary = "show a subscription",
        .usage = "usage: mcred webhook show ID\n"
                 "\n"
                 "Show the subscription with this id (GET /v1/webhooks/ID), without its\n"
                 "secret.\n",
    },
    {
        .name = "pause",
        .fn = webhook_pause,
        .summary = "stop sending events to a subscription",
        .usage = "usage: mcred webhook pause ID\n"
                 "\n"
                 "Pause the subscription (PATCH /v1/webhooks/ID {\"active\": false}): no\n"
                 "events are sent to it until 'mcred webhook resume ID'.  Shows it.\n",
    },
    {
        .name = "resume",
        .fn = webhook_resume,
        .summary = "send events to a paused subscription again",
        .usage = "usage: mcred webhook resume ID\n"
                 "\n"
                 "Resume a paused subscription (PATCH /v1/webhooks/ID {\"active\": true})\n"
                 "and show it.\n",
    },
    {
        .name = "update",
        .fn = webhook_update,
        .summary = "change a subscription's URL or events",
        .usage = "usage: mcred webhook update ID [--url URL] [--events TYPE,...]\n"
                 "\n"
                 "Change what the options give (PATCH /v1/webhooks/ID) and show the\n"
                 "subscription.  The secret stays.\n"
                 "\n"
                 "  --url URL          where to send events from now on\n"
                 "  --events TYPE,...  the event types to send instead, comma-separated,\n"
                 "                     e.g. score.recorded,member.enrolled; * for every\n"
                 "                     event\n"
                 "\n"
                 "Event types:\n" MC_EVENT_HELP,
    },
    {
        .name = "rotate",
        .fn = webhook_rotate,
        .summary = "give a subscription a new secret (prints it, once)",
        .usage = "usage: mcred webhook rotate ID\n"
                 "\n"
                 "Make a new secret for the subscription (POST /v1/webhooks/ID/rotate)\n"
                 "and print it this once only.  For 24 hours deliveries carry signatures\n"
                 "of both the new and the previous secret, so the receiver can switch\n"
                 "without missing any; then only the new one signs.\n",
    },
    {
        .name = "remove",
        .fn = webhook_remove,
        .summary = "delete a subscription",
        .usage = "usage: mcred webhook remove ID\n"
                 "\n"
                 "Delete the subscription and its secrets (DELETE /v1/webhooks/ID): no\n"
                 "more events are sent to it.  Prints 'removed webhook ID'; with --json\n"
                 "or --csv, the record {id, removed}.\n",
    },
    {
        .name = "test",
        .fn = webhook_test,
        .summary = "send a test event to a subscription",
        .usage = "usage: mcred webhook test ID\n"
                 "\n"
                 "Queue a webhook.test event for this subscription alone (POST\n"
                 "/v1/webhooks/ID/test) and show its delivery, then 'test event queued as\n"
                 "delivery DELIVERY_ID'; follow it with 'mcred webhook delivery\n"
                 "DELIVERY_ID'.  A paused subscription is refused (409).  With --json,\n"
                 "prints the delivery as the server sent it; with --csv, its fields as one\n"
                 "record.\n",
    },
    {
        .name = "deliveries",
        .fn = webhook_deliveries,
        .summary = "list the events sent to a subscription and how they went",
        .usage = "usage: mcred webhook deliveries ID [--status STATUS] [--event TYPE]\n"
                 "                                [--limit N] [--all]\n"
                 "\n"
                 "List the deliveries of events to the subscription (GET\n"
                 "/v1/webhooks/ID/deliveries): ID, EVENT (its type), STATUS, ATTEMPTS,\n"
                 "CODE (the receiver's last HTTP status), NEXT (when it is tried next; -\n"
                 "when it will not be) and ERROR.  On a narrow terminal the other columns\n"
                 "are cut before the ID.  --csv has every field of a delivery.\n"
                 "\n"
                 "  --status STATUS    pending, succeeded, failed or dead\n"
                 "  --event TYPE       only events of this type, e.g. score.recorded\n"
                 "  --limit N          deliveries per page, 1 to 500 (default 50)\n"
                 "  --all              every page, not only the first\n"
                 "\n"
                 "Event types:\n" MC_EVENT_HELP,
    },
    {
        .name = "delivery",
        .fn = webhook_delivery,
        .summary = "show a delivery and its attempts",
        .usage = "usage: mcred webhook delivery DELIVERY_ID\n"
                 "\n"
                 "Show the delivery with this id (GET /v1/deliveries/DELIVERY_ID) and,\n"
                 "under it, each attempt to send it, oldest first: AT, CODE (the\n"
                 "receiver's HTTP status), LATENCY and ERROR.  With --json, prints the\n"
                 "delivery as the server sent it, \"log\" included; with --csv, its fields\n"
                 "as one record, without the log.\n",
    },
    {
        .name = "retry",
        .fn = webhook_retry,
        .summary = "send a failed or dead delivery again now",
        .usage = "usage: mcred webhook retry DELIVERY_ID\n"
                 "\n"
                 "Make a failed or dead delivery pending and due at once (POST\n"
                 "/v1/deliveries/DELIVERY_ID/retry), show it and say 'delivery\n"
                 "DELIVERY_ID will be retried now'.  A delivery that is pending or has\n"
                 "succeeded is refused (409).  With --json, prints the delivery as the\n"
                 "server sent it; with --csv, its fields as one record.\n",
    },
    {.name = NULL},
};
