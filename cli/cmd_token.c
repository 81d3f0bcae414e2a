/*
 * cmd_token.c — `mcred token`: make, list and revoke API tokens
 * (/v1/tokens, docs/api.md "Tokens"; admins only).
 *
 * A token's secret is in the answer to its creation and nowhere else, ever:
 * `create` prints it in full whatever the terminal's width (a table would
 * cut a long cell with "…") and says on stderr that it will not be shown
 * again.  A person may be named by id or e-mail (person.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/limits.h"

#include "args.h"
#include "commands.h"
#include "http.h"
#include "output.h"
#include "pages.h"
#include "person.h"
#include "query.h"

#include "mcred/banned.h"

static const struct cli_column token_fields[] = {
    {.key = "id", .header = "Id", .keep = true},
    {.key = "name", .header = "Name"},
    {.key = "person", .header = "Person", .keep = true},
    {.key = "created_at", .header = "Created"},
    {.key = "expires_at", .header = "Expires"},
    {.key = "token", .header = "Token"},
    {.key = NULL},
};

static const struct cli_column token_columns[] = {
    {.key = "name", .header = "NAME"},          {.key = "id", .header = "ID", .keep = true},
    {.key = "person", .header = "PERSON"},      {.key = "created_at", .header = "CREATED"},
    {.key = "expires_at", .header = "EXPIRES"}, {.key = "last_used_at", .header = "LAST USED"},
    {.key = "revoked_at", .header = "REVOKED"}, {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/* ---- create --------------------------------------------------------------- */

static int token_create(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"NAME", NULL};
    const char *person = NULL, *expires = NULL;
    const struct cli_option options[] = {
        {.name = "person", .value = &person},
        {.name = "expires", .value = &expires},
        {.name = NULL},
    };
    const char *args[1];
    struct mc_buf person_id;
    struct cli_response resp;
    struct cli_ctx wide = *ctx;
    cJSON *body = NULL;
    cJSON *token = NULL;
    char *text = NULL;
    int code = cli_args_parse(ctx, "token create", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&person_id, MC_MAX_URL);
    cli_response_init(&resp);
    if (person) {
        code = cli_person_id(ctx, person, &person_id);
        if (code != CLI_EXIT_OK)
            goto out;
    }
    body = cJSON_CreateObject();
    if (!body || !cJSON_AddStringToObject(body, "name", args[0]) ||
        (person && !cJSON_AddStringToObject(body, "person", person_id.data)) ||
        (expires && !cJSON_AddStringToObject(body, "expires_at", expires))) {
        code = out_of_memory(ctx);
        goto out;
    }
    text = cJSON_PrintUnformatted(body);
    if (!text) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_http_request(ctx, "POST", "/v1/tokens", text, NULL, &resp);
    if (code != CLI_EXIT_OK)
        goto out;
    if (ctx->format == CLI_FORMAT_JSON) {
        code = cli_response_print_json(ctx, &resp);
        goto out;
    }
    code = cli_response_json(ctx, &resp, &token);
    if (code != CLI_EXIT_OK)
        goto out;
    wide.width = 0; /* never cut the secret short */
    code = cli_print_object(&wide, token, token_fields);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_TABLE)
        (void)fputs("mcred: the token is shown only this once; store it somewhere safe now\n",
                    ctx->err);
out:
    /* The answer held the secret: do not leave it in freed memory. */
    if (resp.body.cap)
        memset(resp.body.data, 0, resp.body.cap);
    cJSON_Delete(token);
    cJSON_Delete(body);
    free(text);
    cli_response_release(&resp);
    mc_buf_release(&person_id);
    return code;
}

/* ---- list ----------------------------------------------------------------- */

/* A page of tokens: --json as it is, otherwise its items. */
static int tokens_print(const struct cli_ctx *ctx, const cJSON *list)
{
    if (ctx->format == CLI_FORMAT_JSON)
        return cli_print_object(ctx, list, token_columns);
    return cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(list, "items"), token_columns);
}

static int token_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    const char *person = NULL, *limit = NULL;
    bool all = false;
    const struct cli_option options[] = {
        {.name = "person", .value = &person},
        {.name = "limit", .value = &limit},
        {.name = "all", .flag = &all},
        {.name = NULL},
    };
    struct mc_buf person_id, path;
    enum mc_err rc;
    int code = cli_args_parse(ctx, "token list", argc, argv, options, NULL, NULL);

    if (code != CLI_EXIT_OK)
        return code;
    code = cli_pages_limit_check(ctx, "token list", limit);
    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&person_id, MC_MAX_URL);
    mc_buf_init(&path, MC_MAX_URL);
    if (person) {
        code = cli_person_id(ctx, person, &person_id);
        if (code != CLI_EXIT_OK)
            goto out;
    }
    rc = mc_buf_appends(&path, "/v1/tokens");
    if (rc == MC_OK && person)
        rc = cli_query_add(&path, "person", person_id.data);
    if (rc == MC_OK && limit)
        rc = cli_query_add(&path, "limit", limit);
    if (rc != MC_OK) {
        code = cli_usage_error(ctx, "token list", "the request would be longer than %d bytes",
                               MC_MAX_URL);
        goto out;
    }
    code = cli_pages_list(ctx, path.data, all, tokens_print, "tokens");
out:
    mc_buf_release(&path);
    mc_buf_release(&person_id);
    return code;
}

/* ---- revoke --------------------------------------------------------------- */

static int token_revoke(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"ID", NULL};
    static const struct cli_column revoked_fields[] = {
        {.key = "id", .header = "Id"},
        {.key = "revoked", .header = "Revoked"},
        {.key = NULL},
    };
    const char *args[1];
    struct mc_buf path;
    struct cli_response resp;
    cJSON *record = NULL;
    int code = cli_args_parse(ctx, "token revoke", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    if (mc_buf_appends(&path, "/v1/tokens") != MC_OK || cli_path_append(&path, args[0]) != MC_OK) {
        cli_error(ctx, "the id %.64s… is too long", args[0]);
        code = CLI_EXIT_USAGE;
        goto out;
    }
    code = cli_http_request(ctx, "DELETE", path.data, NULL, NULL, &resp);
    if (code != CLI_EXIT_OK)
        goto out;
    if (ctx->format == CLI_FORMAT_TABLE) {
        (void)fprintf(ctx->out, "revoked token %s\n", args[0]);
        goto out;
    }
    /* 204 has no body: scripts get a record of what was done. */
    record = cJSON_CreateObject();
    if (!record || !cJSON_AddStringToObject(record, "id", args[0]) ||
        !cJSON_AddBoolToObject(record, "revoked", true)) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_print_object(ctx, record, revoked_fields);
out:
    cJSON_Delete(record);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- the verbs ------------------------------------------------------------ */

const struct cli_verb token_verbs[] = {
    {
        .name = "create",
        .fn = token_create,
        .summary = "make an API token (shown once)",
        .usage =
            "usage: mcred token create NAME [--person PERSON] [--expires TIME]\n"
            "\n"
            "Make an API token called NAME (POST /v1/tokens) and print it with its\n"
            "id.  The token is shown this once only: the server keeps just a hash.\n"
            "\n"
            "  --person PERSON    whose token it is, by id or e-mail (default: yours)\n"
            "  --expires TIME     when it stops working, RFC 3339, e.g.\n"
            "                     2027-06-30T00:00:00Z (default: never)\n"
            "\n"
            "With --json, prints {\"id\", \"person\", \"name\", \"created_at\", \"expires_at\",\n"
            "\"token\"}.\n",
    },
    {
        .name = "list",
        .fn = token_list,
        .summary = "list the organisation's tokens (never their secrets)",
        .usage = "usage: mcred token list [--person PERSON] [--limit N] [--all]\n"
                 "\n"
                 "List tokens, newest first (GET /v1/tokens): NAME, ID, PERSON, CREATED,\n"
                 "EXPIRES, LAST USED and REVOKED.  On a narrow terminal the other\n"
                 "columns are cut before the ID, which is for `mcred token revoke`.\n"
                 "\n"
                 "  --person PERSON    only this person's, by id or e-mail\n"
                 "  --limit N          tokens per page, 1 to 500 (default 50)\n"
                 "  --all              every page, not only the first\n",
    },
    {
        .name = "revoke",
        .fn = token_revoke,
        .summary = "revoke a token",
        .usage = "usage: mcred token revoke ID\n"
                 "\n"
                 "Revoke the token with this id (DELETE /v1/tokens/ID): from now on it\n"
                 "gets 401.  Revoking a revoked token changes nothing.  Prints\n"
                 "'revoked token ID'; with --json or --csv, the record {id, revoked}.\n",
    },
    {.name = NULL},
};
