/*
 * cmd_invite.c — `mcred invite`: a coordinator gives the coaches and
 * learners of a cohort a way in, without the admin
 * (/v1/cohorts/{id}/invitations, docs/api.md "Invitations").
 *
 * Inviting is the common case, so it needs no verb:
 * `mcred invite COHORT PERSON...`.  `list` and `revoke` are verbs all the
 * same; one usage text documents the three forms, since `--help` after
 * any of them is answered by the command table before this file runs.
 *
 * Each person's code is shown once, with the exact command to give them
 * (`mcred login --url URL --invite CODE`, cmd_login.c).
 */
#include <stdio.h>
#include <string.h>

#include "mcred/limits.h"

#include "args.h"
#include "cohort_input.h"
#include "commands.h"
#include "http.h"
#include "output.h"
#include "pages.h"
#include "query.h"

#include "mcred/banned.h"

#define INVITE_MAX_PEOPLE 100 /* as the server takes in one request */

const char cmd_invite_usage[] =
    "usage: mcred invite COHORT PERSON... [--expires-in DAYS]\n"
    "       mcred invite list COHORT [--state STATE] [--limit N] [--all]\n"
    "       mcred invite revoke INVITATION\n"
    "\n"
    "Invite coaches and learners of a cohort, named by e-mail or id, so that\n"
    "each can sign in without waiting for an admin (POST\n"
    "/v1/cohorts/ID/invitations).  Each gets a single-use code that expires;\n"
    "it is shown here once, with the command to give them:\n"
    "\n"
    "    mcred login --url URL --invite CODE\n"
    "\n"
    "Only enrolled or waitlisted members of the cohort without an organisation\n"
    "role can be invited (coordinators, leaders and admins get their access\n"
    "from an admin).  Every problem in the list is reported at once, and then\n"
    "nobody is invited.  Inviting someone again replaces their earlier code.\n"
    "\n"
    "  --expires-in DAYS  how long the codes stay good: 1 to 30 days (default 7)\n"
    "\n"
    "mcred invite list COHORT [--state STATE] [--limit N] [--all]\n"
    "  The cohort's invitations, newest first: EMAIL, NAME, STATE (pending,\n"
    "  used, expired, revoked), when made, when they expire or were used,\n"
    "  whether the token they led to is revoked, and the invitation's ID.\n"
    "  --state STATE shows only those in one state; --limit N (1 to 500) and\n"
    "  --all page as other lists do.\n"
    "\n"
    "mcred invite revoke INVITATION\n"
    "  Revoke an invitation (its ID, from 'mcred invite list'): a pending code\n"
    "  stops working; when it was used already, the token it led to is\n"
    "  revoked instead, so the person is signed out.\n"
    "\n"
    "Exit status: 0 done, 1 refused by the server (e.g. someone cannot be\n"
    "invited), 2 usage, 3 cohort or invitation not found, 4 not allowed.\n";

/* ---- invite COHORT PERSON... ------------------------------------------------ */

/* After a refusal: each problem of the "errors" beside the error, one line each. */
static void print_problems(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    cJSON *body = cJSON_ParseWithLength(resp->body.data, resp->body.len);
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(body, "errors");
    const cJSON *e;
    if (cJSON_GetArraySize(errors) > 1)
        cJSON_ArrayForEach(e, errors)
        {
            const char *message = cJSON_GetStringValue(cJSON_GetObjectItem(e, "message"));
            if (message)
                cli_error(ctx, "  %s", message);
        }
    cJSON_Delete(body);
}

static const struct cli_column invite_columns[] = {
    {.key = "email", .header = "Email", .keep = true},
    {.key = "name", .header = "Name"},
    {.key = "expires_at", .header = "Expires"},
    {.key = "code", .header = "Code", .keep = true},
    {.key = "id", .header = "Invitation", .keep = true},
    {.key = NULL},
};

static int invite_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    if (ctx->format != CLI_FORMAT_TABLE)
        return cli_response_print_items(ctx, resp, invite_columns);
    cJSON *body = NULL;
    int code = cli_response_json(ctx, resp, &body);
    if (code != CLI_EXIT_OK)
        return code;
    const char *cohort = cJSON_GetStringValue(cJSON_GetObjectItem(body, "cohort_name"));
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(body, "items"))
    {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(item, "name"));
        const char *email = cJSON_GetStringValue(cJSON_GetObjectItem(item, "email"));
        const char *expires = cJSON_GetStringValue(cJSON_GetObjectItem(item, "expires_at"));
        const char *secret = cJSON_GetStringValue(cJSON_GetObjectItem(item, "code"));
        if (!name || !email || !expires || !secret) {
            cli_error(ctx, "the server's answer lacks a person or a code");
            cJSON_Delete(body);
            return CLI_EXIT_ERROR;
        }
        (void)fprintf(ctx->out,
                      "Invited %s <%s> to %s; the code works once, until %s.\n"
                      "Give them this command:\n"
                      "    mcred login --url %s --invite %s\n\n",
                      name, email, cohort ? cohort : "the cohort", expires, ctx->url, secret);
    }
    (void)fputs("Each code is shown only now. 'mcred invite list' shows who has signed in.\n",
                ctx->out);
    cJSON_Delete(body);
    return CLI_EXIT_OK;
}

static int invite_create(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *expires = NULL;
    const struct cli_option options[] = {
        {.name = "expires-in", .value = &expires},
        {.name = NULL},
    };
    const char *people[INVITE_MAX_PEOPLE];
    struct cli_rest rest = {.name = "PERSON", .min = 1, .max = INVITE_MAX_PEOPLE, .v = people};
    const char *args[1];
    long days = 7;
    int code = cli_args_parse_rest(ctx, "invite", argc, argv, options, names, args, &rest);
    if (code != CLI_EXIT_OK)
        return code;
    if (expires && !cli_number_parse(expires, 1, 30, &days))
        return cli_usage_error(ctx, "invite", "--expires-in must be a number of days from 1 to 30");

    struct mc_buf path;
    struct cli_response resp;
    char *text = NULL;
    cJSON *body = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(body, "people");
    bool ok = list && cJSON_AddNumberToObject(body, "expires_in_days", (double)days);
    for (size_t i = 0; ok && i < rest.n; i++)
        ok = cJSON_AddItemToArray(list, cJSON_CreateString(people[i]));
    text = ok ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    if (!text) {
        cli_error(ctx, "out of memory");
        return CLI_EXIT_ERROR;
    }
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/invitations", &path);
    if (code == CLI_EXIT_OK) {
        code = cli_http_request(ctx, "POST", path.data, text, NULL, &resp);
        if (code == CLI_EXIT_OK)
            code = invite_print(ctx, &resp);
        else if (resp.status == 422)
            print_problems(ctx, &resp);
    }
    cJSON_free(text);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- invite list COHORT ----------------------------------------------------- */

static const struct cli_column list_columns[] = {
    {.key = "email", .header = "Email", .keep = true},
    {.key = "name", .header = "Name"},
    {.key = "state", .header = "State"},
    {.key = "created_at", .header = "Created"},
    {.key = "expires_at", .header = "Expires"},
    {.key = "used_at", .header = "Used"},
    {.key = "token_revoked", .header = "Token revoked"},
    {.key = "id", .header = "Invitation", .keep = true},
    {.key = NULL},
};

static int list_print(const struct cli_ctx *ctx, const cJSON *list)
{
    if (ctx->format == CLI_FORMAT_JSON)
        return cli_print_object(ctx, list, list_columns);
    return cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(list, "items"), list_columns);
}

static int invite_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    static const char *const states[] = {"pending", "used", "expired", "revoked", NULL};
    const char *state = NULL, *limit = NULL;
    bool all = false;
    const struct cli_option options[] = {
        {.name = "state", .value = &state},
        {.name = "limit", .value = &limit},
        {.name = "all", .flag = &all},
        {.name = NULL},
    };
    const char *args[1];
    int code = cli_args_parse(ctx, "invite list", argc, argv, options, names, args);
    if (code != CLI_EXIT_OK)
        return code;
    if (state && !cli_word_in(state, states))
        return cli_usage_error(ctx, "invite list",
                               "--state must be pending, used, expired or revoked");
    code = cli_pages_limit_check(ctx, "invite list", limit);
    if (code != CLI_EXIT_OK)
        return code;
    struct mc_buf path;
    enum mc_err rc = MC_OK;
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/invitations", &path);
    if (code == CLI_EXIT_OK) {
        if (state)
            rc = cli_query_add(&path, "state", state);
        if (rc == MC_OK && limit)
            rc = cli_query_add(&path, "limit", limit);
        if (rc != MC_OK) {
            cli_error(ctx, "out of memory");
            code = CLI_EXIT_ERROR;
        } else {
            code = cli_pages_list(ctx, path.data, all, list_print, "invitations");
        }
    }
    mc_buf_release(&path);
    return code;
}

/* ---- invite revoke INVITATION ----------------------------------------------- */

static int revoke_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    if (ctx->format != CLI_FORMAT_TABLE)
        return cli_response_print_object(ctx, resp, list_columns);
    cJSON *body = NULL;
    int code = cli_response_json(ctx, resp, &body);
    if (code != CLI_EXIT_OK)
        return code;
    const char *outcome = cJSON_GetStringValue(cJSON_GetObjectItem(body, "outcome"));
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(body, "name"));
    const char *email = cJSON_GetStringValue(cJSON_GetObjectItem(body, "email"));
    const char *cohort = cJSON_GetStringValue(cJSON_GetObjectItem(body, "cohort_name"));
    const char *state = cJSON_GetStringValue(cJSON_GetObjectItem(body, "state"));
    if (!outcome || !name || !email || !cohort || !state) {
        cli_error(ctx, "the server's answer lacks the invitation");
        cJSON_Delete(body);
        return CLI_EXIT_ERROR;
    }
    if (strcmp(outcome, "revoked") == 0)
        (void)fprintf(ctx->out,
                      "Revoked the invitation of %s <%s> to %s: its code no longer works.\n", name,
                      email, cohort);
    else if (strcmp(outcome, "token_revoked") == 0)
        (void)fprintf(ctx->out,
                      "%s <%s> had used their invitation to %s: the token it gave them is "
                      "revoked, so they are signed out.\n",
                      name, email, cohort);
    else
        (void)fprintf(ctx->out, "Nothing to revoke: the invitation of %s <%s> to %s is %s%s.\n",
                      name, email, cohort, state,
                      strcmp(state, "used") == 0 ? " and its token revoked already" : "");
    cJSON_Delete(body);
    return CLI_EXIT_OK;
}

static int invite_revoke(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"INVITATION", NULL};
    const char *args[1];
    int code = cli_args_parse(ctx, "invite revoke", argc, argv, NULL, names, args);
    if (code != CLI_EXIT_OK)
        return code;
    struct mc_buf path;
    struct cli_response resp;
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/invitations", args[0], "", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "DELETE", path.data, NULL, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = revoke_print(ctx, &resp);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

int cmd_invite(const struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) {
        (void)fputs(cmd_invite_usage, ctx->err);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "list") == 0)
        return invite_list(ctx, argc - 1, argv + 1);
    if (strcmp(argv[1], "revoke") == 0)
        return invite_revoke(ctx, argc - 1, argv + 1);
    return invite_create(ctx, argc, argv);
}
