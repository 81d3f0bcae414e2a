/*
 * cmd_ping.c — `mcred ping`: is the server up, and is its database ready?
 *
 * Two unauthenticated requests: /healthz answers as long as the process
 * runs (and says its version), /readyz only when the database can be used
 * (503 with the reason otherwise).  Unlike other commands, ping judges the
 * answers itself: a 503 from /readyz is the answer to the question asked,
 * printed as a result line, not as an error.  Failing to reach the server
 * at all is an error like anywhere else.
 */
#include <stdbool.h>
#include <string.h>

#include "mcred/json.h"

#include "commands.h"
#include "http.h"
#include "output.h"
#include "text.h"

#include "mcred/banned.h"

/* A version string from the server is shown only this far. */
#define PING_MAX_VERSION 64

const char cmd_ping_usage[] =
    "usage: mcred ping\n"
    "\n"
    "Ask the server whether it is up (GET /healthz) and whether its database\n"
    "is ready (GET /readyz).  Exits 0 when both are, 1 otherwise.  No token\n"
    "is needed.  With --json, prints {\"url\", \"healthy\", \"ready\", \"version\"},\n"
    "and \"error\" when something is wrong; --csv prints the same as a record.\n";

static const struct cli_column ping_fields[] = {
    {.key = "url", .header = "URL"},     {.key = "healthy", .header = "Healthy"},
    {.key = "ready", .header = "Ready"}, {.key = "version", .header = "Version"},
    {.key = "error", .header = "Error"}, {.key = NULL},
};

struct ping {
    bool healthy;
    bool ready;
    struct mc_buf version; /* cleaned; empty when the server did not say */
    struct mc_buf problem; /* why it is not healthy or not ready */
};

static enum mc_err problem_from(struct ping *p, const struct cli_response *resp)
{
    (void)cli_http_error_line(resp->status, resp->body.data, resp->body.len, &p->problem);
    if (p->problem.len == 0)
        return mc_buf_appendf(&p->problem, "server answered %ld", resp->status);
    return MC_OK;
}

/* The "version" of a /healthz body, if it has one. */
static enum mc_err version_from(struct ping *p, const struct cli_response *resp)
{
    cJSON *root = NULL;
    const char *version = NULL;
    struct mc_error err;
    enum mc_err rc = MC_OK;

    mc_error_clear(&err);
    if (mc_json_parse(resp->body.data, resp->body.len, &root, &err) != MC_OK)
        return MC_OK; /* healthy all the same; there is just no version to show */
    if (mc_json_get_string(root, "version", false, 256, &version, &err) == MC_OK && version)
        rc = cli_text_append_clean(&p->version, version, PING_MAX_VERSION);
    cJSON_Delete(root);
    return rc;
}

/* Ask both endpoints; prints the errors that mean no answer came. */
static int ping_ask(const struct cli_ctx *ctx, struct ping *p)
{
    struct cli_request health = {.method = "GET", .path = "/healthz"};
    struct cli_request ready = {.method = "GET", .path = "/readyz"};
    struct cli_response resp;
    struct mc_error err;
    enum mc_err rc;
    int code = CLI_EXIT_ERROR;

    cli_response_init(&resp);
    mc_error_clear(&err);
    rc = cli_http_send(ctx, &health, &resp, &err);
    if (rc != MC_OK) {
        cli_error(ctx, "%s", mc_error_message(&err));
        rc = mc_buf_appends(&p->problem, mc_error_message(&err));
        goto out;
    }
    if (resp.status != 200) {
        rc = problem_from(p, &resp);
        cli_error(ctx, "%s is not healthy: %s", ctx->url, p->problem.data);
        goto out;
    }
    p->healthy = true;
    rc = version_from(p, &resp);
    if (rc != MC_OK)
        goto out;

    rc = cli_http_send(ctx, &ready, &resp, &err);
    if (rc != MC_OK) {
        cli_error(ctx, "%s", mc_error_message(&err));
        rc = mc_buf_appends(&p->problem, mc_error_message(&err));
        goto out;
    }
    if (resp.status != 200) {
        rc = problem_from(p, &resp);
        goto out;
    }
    p->ready = true;
    code = CLI_EXIT_OK;
out:
    if (rc != MC_OK) {
        cli_error(ctx, "out of memory");
        code = CLI_EXIT_ERROR;
    }
    cli_response_release(&resp);
    return code;
}

static int ping_print_record(const struct cli_ctx *ctx, const struct ping *p)
{
    cJSON *obj = cJSON_CreateObject();
    int code;

    if (!obj || !cJSON_AddStringToObject(obj, "url", ctx->url) ||
        !cJSON_AddBoolToObject(obj, "healthy", p->healthy) ||
        !cJSON_AddBoolToObject(obj, "ready", p->ready) ||
        !mc_json_add_string_or_null(obj, "version", p->version.len ? p->version.data : NULL) ||
        (p->problem.len && !cJSON_AddStringToObject(obj, "error", p->problem.data))) {
        cli_error(ctx, "out of memory");
        code = CLI_EXIT_ERROR;
        goto out;
    }
    code = cli_print_object(ctx, obj, ping_fields);
out:
    cJSON_Delete(obj);
    return code;
}

int cmd_ping(const struct cli_ctx *ctx, int argc, char **argv)
{
    struct ping p = {.healthy = false, .ready = false};
    int code = cli_args_none(ctx, "ping", argc, argv);
    int printed;

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&p.version, PING_MAX_VERSION * 4);
    mc_buf_init(&p.problem, CLI_HTTP_MAX_ERROR_LINE);
    code = ping_ask(ctx, &p);

    if (ctx->format != CLI_FORMAT_TABLE) {
        printed = ping_print_record(ctx, &p);
        code = code != CLI_EXIT_OK ? code : printed;
    } else if (p.ready) {
        (void)fprintf(ctx->out, "%s is healthy (%s%s%sdatabase ready)\n", ctx->url,
                      p.version.len ? "mcred " : "", p.version.data, p.version.len ? ", " : "");
    } else if (p.healthy) {
        (void)fprintf(ctx->out, "%s is up but not ready: %s\n", ctx->url, p.problem.data);
    }
    mc_buf_release(&p.version);
    mc_buf_release(&p.problem);
    return code;
}
