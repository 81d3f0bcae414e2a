/*
 * cmd_evidence.c — `mcred evidence`: what learners put forward for the
 * indicators — a link or a text — and the list of it
 * (/v1/cohorts/{id}/evidence, docs/api.md "Evidence").
 *
 * `update` and `remove` take the evidence's id (what `list` shows): an
 * update sends only what was given, and --no-url, --no-text and
 * --no-indicator send a null that removes the value.
 *
 * A link is checked here first (http or https, with a host, as libcurl
 * reads it), so that a pasted path or a "www.…" without a scheme is a
 * usage error rather than a 422.  Evidence ids are what `mcred score
 * --evidence` takes, so every view shows them whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/limits.h"

#include "args.h"
#include "cohort_input.h"
#include "commands.h"
#include "coursework_input.h"
#include "http.h"
#include "output.h"
#include "pages.h"
#include "query.h"

#include "mcred/banned.h"

static const struct cli_column evidence_fields[] = {
    {.key = "id", .header = "Id", .keep = true},
    {.key = "learner.email", .header = "Learner", .keep = true},
    {.key = "indicator", .header = "Indicator"},
    {.key = "title", .header = "Title"},
    {.key = "url", .header = "URL", .keep = true},
    {.key = "text", .header = "Text"},
    {.key = "submitted_at", .header = "Submitted at"},
    {.key = "updated_at", .header = "Updated at"},
    {.key = NULL},
};

/* A table has one column for the link or, without one, the text. */
#define SHOWN_KEY "link_or_text"

static const struct cli_column evidence_columns[] = {
    {.key = "submitted_at", .header = "SUBMITTED AT"},
    {.key = "learner.email", .header = "LEARNER", .keep = true},
    {.key = "indicator", .header = "INDICATOR"},
    {.key = "title", .header = "TITLE"},
    {.key = SHOWN_KEY, .header = "LINK OR TEXT"},
    {.key = "id", .header = "ID", .keep = true},
    {.key = NULL},
};

/* --csv: every field, whole. */
static const struct cli_column evidence_csv_columns[] = {
    {.key = "id"},  {.key = "learner.email"}, {.key = "indicator"},    {.key = "title"},
    {.key = "url"}, {.key = "text"},          {.key = "submitted_at"}, {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/* Give every item of a list its SHOWN_KEY: the url, else the text.  False when out of memory. */
static bool shown_add(cJSON *items)
{
    cJSON *item;

    cJSON_ArrayForEach(item, items)
    {
        const char *url = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "url"));
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "text"));

        if (!cJSON_AddStringToObject(item, SHOWN_KEY, url ? url : text ? text : ""))
            return false;
    }
    return true;
}

/* ---- add ------------------------------------------------------------------ */

static int evidence_add(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *learner = NULL, *title = NULL, *url = NULL, *text = NULL, *indicator = NULL;
    const struct cli_option options[] = {
        {.name = "learner", .value = &learner},
        {.name = "title", .value = &title},
        {.name = "url", .value = &url},
        {.name = "text", .value = &text},
        {.name = "indicator", .value = &indicator},
        {.name = NULL},
    };
    const char *args[1];
    struct mc_buf path;
    struct cli_response resp;
    cJSON *body = NULL;
    char *json = NULL;
    int code = cli_args_parse(ctx, "evidence add", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (!title || !*title)
        return cli_usage_error(ctx, "evidence add", "--title is required");
    if (strlen(title) > CLI_TITLE_MAX)
        return cli_usage_error(ctx, "evidence add", "--title has at most %d bytes", CLI_TITLE_MAX);
    if (!url && !text)
        return cli_usage_error(ctx, "evidence add", "give --url or --text");
    if (url && !cli_http_url_valid(url))
        return cli_usage_error(ctx, "evidence add",
                               "--url must be an http or https link of at most %d bytes, "
                               "like https://example.org/plan.pdf",
                               CLI_EVIDENCE_URL_MAX);
    if (text && (!*text || strlen(text) > CLI_EVIDENCE_TEXT_MAX))
        return cli_usage_error(ctx, "evidence add", "--text has 1 to %d bytes",
                               CLI_EVIDENCE_TEXT_MAX);
    if (indicator && !cli_code_valid(indicator))
        return cli_usage_error(ctx, "evidence add", "'%.32s' is not an indicator code like 1.2",
                               indicator);
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    body = cJSON_CreateObject();
    if (!body || (learner && !cJSON_AddStringToObject(body, "learner", learner)) ||
        !cJSON_AddStringToObject(body, "title", title) ||
        (url && !cJSON_AddStringToObject(body, "url", url)) ||
        (text && !cJSON_AddStringToObject(body, "text", text)) ||
        (indicator && !cJSON_AddStringToObject(body, "indicator", indicator)) ||
        !(json = cJSON_PrintUnformatted(body))) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/evidence", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "POST", path.data, json, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_print_object(ctx, &resp, evidence_fields);
out:
    free(json);
    cJSON_Delete(body);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- list ----------------------------------------------------------------- */

static int evidence_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *learner = NULL, *indicator = NULL;
    const struct cli_option options[] = {
        {.name = "learner", .value = &learner},
        {.name = "indicator", .value = &indicator},
        {.name = NULL},
    };
    const char *args[1];
    struct mc_buf path;
    cJSON *list = NULL, *items;
    enum mc_err rc = MC_OK;
    int code = cli_args_parse(ctx, "evidence list", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (indicator && !cli_code_valid(indicator))
        return cli_usage_error(ctx, "evidence list", "'%.32s' is not an indicator code like 1.2",
                               indicator);
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/evidence", &path);
    if (code != CLI_EXIT_OK)
        goto out;
    if (learner)
        rc = cli_query_add(&path, "learner", learner); /* the server takes an e-mail or id */
    if (rc == MC_OK && indicator)
        rc = cli_query_add(&path, "indicator", indicator);
    if (rc == MC_OK)
        rc = cli_query_add(&path, "limit", "500");
    if (rc != MC_OK) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_pages_get(ctx, path.data, true, &list);
    if (code != CLI_EXIT_OK)
        goto out;
    items = cJSON_GetObjectItemCaseSensitive(list, "items");
    if (ctx->format == CLI_FORMAT_JSON)
        code = cli_print_object(ctx, list, evidence_columns);
    else if (ctx->format == CLI_FORMAT_CSV)
        code = cli_print_items(ctx, items, evidence_csv_columns);
    else if (!shown_add(items))
        code = out_of_memory(ctx);
    else
        code = cli_print_items(ctx, items, evidence_columns);
out:
    cJSON_Delete(list);
    mc_buf_release(&path);
    return code;
}

/* ---- update and remove ---------------------------------------------------- */

/* /v1/evidence/ID */
static int evidence_path(const struct cli_ctx *ctx, const char *id, struct mc_buf *path)
{
    return cli_resource_path(ctx, "/v1/evidence", id, "", path);
}

static int evidence_update(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"EVIDENCE", NULL};
    const char *title = NULL, *url = NULL, *text = NULL, *indicator = NULL;
    bool no_url = false, no_text = false, no_indicator = false;
    const struct cli_option options[] = {
        {.name = "title", .value = &title},
        {.name = "url", .value = &url},
        {.name = "text", .value = &text},
        {.name = "indicator", .value = &indicator},
        {.name = "no-url", .flag = &no_url},
        {.name = "no-text", .flag = &no_text},
        {.name = "no-indicator", .flag = &no_indicator},
        {.name = NULL},
    };
    const char *args[1];
    struct mc_buf path;
    struct cli_response resp;
    cJSON *body = NULL;
    char *json = NULL;
    int code = cli_args_parse(ctx, "evidence update", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (!title && !url && !text && !indicator && !no_url && !no_text && !no_indicator)
        return cli_usage_error(ctx, "evidence update",
                               "nothing to change: give --title, --url, --text or --indicator");
    if ((url && no_url) || (text && no_text) || (indicator && no_indicator))
        return cli_usage_error(ctx, "evidence update",
                               "give a value or its --no- option, not both");
    if (title && (!*title || strlen(title) > CLI_TITLE_MAX))
        return cli_usage_error(ctx, "evidence update", "--title has 1 to %d bytes", CLI_TITLE_MAX);
    if (url && !cli_http_url_valid(url))
        return cli_usage_error(ctx, "evidence update",
                               "--url must be an http or https link of at most %d bytes, "
                               "like https://example.org/plan.pdf",
                               CLI_EVIDENCE_URL_MAX);
    if (text && (!*text || strlen(text) > CLI_EVIDENCE_TEXT_MAX))
        return cli_usage_error(ctx, "evidence update", "--text has 1 to %d bytes",
                               CLI_EVIDENCE_TEXT_MAX);
    if (indicator && !cli_code_valid(indicator))
        return cli_usage_error(ctx, "evidence update", "'%.32s' is not an indicator code like 1.2",
                               indicator);
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    body = cJSON_CreateObject();
    if (!body || (title && !cJSON_AddStringToObject(body, "title", title)) ||
        (url && !cJSON_AddStringToObject(body, "url", url)) ||
        (no_url && !cJSON_AddNullToObject(body, "url")) ||
        (text && !cJSON_AddStringToObject(body, "text", text)) ||
        (no_text && !cJSON_AddNullToObject(body, "text")) ||
        (indicator && !cJSON_AddStringToObject(body, "indicator", indicator)) ||
        (no_indicator && !cJSON_AddNullToObject(body, "indicator")) ||
        !(json = cJSON_PrintUnformatted(body))) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = evidence_path(ctx, args[0], &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "PATCH", path.data, json, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_print_object(ctx, &resp, evidence_fields);
out:
    free(json);
    cJSON_Delete(body);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

static int evidence_remove(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"EVIDENCE", NULL};
    const char *args[1];
    struct mc_buf path;
    struct cli_response resp;
    int code = cli_args_parse(ctx, "evidence remove", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = evidence_path(ctx, args[0], &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "DELETE", path.data, NULL, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_print_object(ctx, &resp, evidence_fields);
    if (code == CLI_EXIT_OK && ctx->format != CLI_FORMAT_JSON)
        (void)fprintf(ctx->out, "removed\n");
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- the verbs ------------------------------------------------------------ */

const struct cli_verb evidence_verbs[] = {
    {
        .name = "add",
        .fn = evidence_add,
        .summary = "put forward a link or a text as evidence",
        .usage = "usage: mcred evidence add COHORT --title TEXT (--url URL | --text TEXT)\n"
                 "                          [--indicator CODE] [--learner PERSON]\n"
                 "\n"
                 "Add a piece of the learner's evidence (POST /v1/cohorts/ID/evidence):\n"
                 "a link to a document, a text, or both, optionally for one indicator of\n"
                 "the credential.  Shows it afterwards, with the id that 'mcred score\n"
                 "--evidence' takes.\n"
                 "\n"
                 "  --title TEXT        what it is, 1 to 200 bytes (required)\n"
                 "  --url URL           an http or https link, up to 2000 bytes\n"
                 "  --text TEXT         the evidence itself, up to 10,000 bytes\n"
                 "  --indicator CODE    the indicator it is for, like 1.2\n"
                 "  --learner PERSON    the learner, by e-mail or id (coordinators and\n"
                 "                      coaches); a learner leaves it out\n",
    },
    {
        .name = "list",
        .fn = evidence_list,
        .summary = "list a cohort's evidence",
        .usage = "usage: mcred evidence list COHORT [--learner PERSON] [--indicator CODE]\n"
                 "\n"
                 "List the evidence you may see in the cohort, newest first (GET\n"
                 "/v1/cohorts/ID/evidence): SUBMITTED AT, LEARNER, INDICATOR, TITLE, LINK\n"
                 "OR TEXT (the link, or the text when there is none) and ID.  --csv has the\n"
                 "columns id, learner.email, indicator, title, url, text and submitted_at.\n"
                 "\n"
                 "  --learner PERSON    one learner's, by e-mail or id\n"
                 "  --indicator CODE    for one indicator, like 1.2\n",
    },
    {
        .name = "update",
        .fn = evidence_update,
        .summary = "correct a piece of evidence",
        .usage = "usage: mcred evidence update EVIDENCE [--title TEXT] [--url URL | --no-url]\n"
                 "                             [--text TEXT | --no-text]\n"
                 "                             [--indicator CODE | --no-indicator]\n"
                 "\n"
                 "Correct the evidence whose id is EVIDENCE ('mcred evidence list' shows\n"
                 "ids) with PATCH /v1/evidence/ID, and show it.  Only what you give\n"
                 "changes; the version before stays in the audit trail.  The learner whose\n"
                 "evidence it is, their coach and coordinators may correct it.  It keeps a\n"
                 "link or a text: removing the only one is refused (exit 1).\n"
                 "\n"
                 "  --title TEXT        what it is, 1 to 200 bytes\n"
                 "  --url URL           an http or https link, up to 2000 bytes\n"
                 "  --no-url            remove the link\n"
                 "  --text TEXT         the evidence itself, up to 10,000 bytes\n"
                 "  --no-text           remove the text\n"
                 "  --indicator CODE    the indicator it is for, like 1.2\n"
                 "  --no-indicator      for no indicator in particular\n",
    },
    {
        .name = "remove",
        .fn = evidence_remove,
        .summary = "remove a piece of evidence that no score cites",
        .usage = "usage: mcred evidence remove EVIDENCE\n"
                 "\n"
                 "Remove the evidence whose id is EVIDENCE (DELETE /v1/evidence/ID), show\n"
                 "it as it was and say 'removed'; the audit trail keeps it.  The learner\n"
                 "whose evidence it is, their coach and coordinators may remove it.\n"
                 "Evidence that a score cites is kept (exit 1): scores are never changed,\n"
                 "and their history shows what they rested on; correct it with 'mcred\n"
                 "evidence update' instead.  Exit 3 when there is no such evidence.\n",
    },
    {.name = NULL},
};
