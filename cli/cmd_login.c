/*
 * cmd_login.c — `mcred login --invite CODE`: exchange an invitation for
 * one's own token (POST /v1/invitations/accept, which needs no token) and
 * keep it in the config file, so that every later command just works.
 *
 * The config file is the one config.h names (XDG_CONFIG_HOME, else
 * HOME).  It is checked before the code is spent: one that already holds
 * a token is replaced only with --force.  It is written atomically with
 * mode 0600 (cli_config_write); should that fail after the exchange, the
 * token is printed instead, since the server shows it only once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/limits.h"

#include "args.h"
#include "commands.h"
#include "config.h"
#include "http.h"
#include "output.h"

#include "mcred/banned.h"

const char cmd_login_usage[] =
    "usage: mcred login --invite CODE [--url URL] [--name NAME] [--force]\n"
    "\n"
    "Sign in with the invitation code your coordinator gave you: the code is\n"
    "exchanged for your own API token (POST /v1/invitations/accept), which is\n"
    "written with the server's URL to the config file\n"
    "($XDG_CONFIG_HOME/mcred/config, or ~/.config/mcred/config), readable by\n"
    "you alone.  Then every mcred command acts as you; 'mcred whoami' shows\n"
    "who that is.  A code works once, and only until it expires.\n"
    "\n"
    "  --invite CODE   the code (mci_…)\n"
    "  --url URL       the server, as your coordinator gave it (default: as\n"
    "                  for every command, MCRED_URL or the config file)\n"
    "  --name NAME     a name for the token, to tell it apart later\n"
    "                  (default: invitation)\n"
    "  --force         replace a config file that holds a token already\n"
    "\n"
    "Exit status: 0 signed in, 1 the server or the config file failed,\n"
    "2 usage (or a config file with a token, without --force), 4 the code\n"
    "is not valid, used, expired or withdrawn.\n";

/* The config file's path, and whether it holds a token (any token: ours comes later). */
static int config_check(const struct cli_ctx *ctx, bool force, struct mc_buf *path)
{
    struct cli_config cfg;
    struct mc_error err;
    bool exposed = false;
    mc_error_clear(&err);
    if (cli_config_path(getenv("XDG_CONFIG_HOME"), getenv("HOME"), path) != MC_OK) {
        cli_error(ctx, "cannot tell where the config file goes: set HOME or XDG_CONFIG_HOME");
        return CLI_EXIT_USAGE;
    }
    cli_config_init(&cfg);
    enum mc_err rc = cli_config_load(path->data, &cfg, &exposed, &err);
    bool has_token = rc == MC_OK && cfg.token;
    cli_config_release(&cfg);
    if (force)
        return CLI_EXIT_OK;
    if (rc != MC_OK) {
        cli_error(ctx, "%s; use --force to replace the file", mc_error_message(&err));
        return CLI_EXIT_USAGE;
    }
    if (has_token) {
        cli_error(ctx,
                  "%s holds a token already; use --force to replace it (or set XDG_CONFIG_HOME "
                  "to keep this sign-in apart)",
                  path->data);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int login_print(const struct cli_ctx *ctx, cJSON *body, const char *path)
{
    /* the token is in the file now: it need not be on the screen */
    cJSON *token = cJSON_GetObjectItemCaseSensitive(body, "token");
    if (cJSON_IsString(token))
        explicit_bzero(token->valuestring, strlen(token->valuestring));
    cJSON_DeleteItemFromObjectCaseSensitive(body, "token");
    if (ctx->format == CLI_FORMAT_JSON) {
        char *text = cJSON_PrintUnformatted(body);
        if (!text) {
            cli_error(ctx, "out of memory");
            return CLI_EXIT_ERROR;
        }
        (void)fprintf(ctx->out, "%s\n", text);
        cJSON_free(text);
        return CLI_EXIT_OK;
    }
    const cJSON *person = cJSON_GetObjectItem(body, "person");
    const cJSON *org = cJSON_GetObjectItem(body, "org");
    const cJSON *cohort = cJSON_GetObjectItem(body, "cohort");
    (void)fprintf(ctx->out,
                  "Signed in as %s <%s> of %s, invited to %s.\n"
                  "Your token is in %s; 'mcred whoami' shows who you are.\n",
                  cJSON_GetStringValue(cJSON_GetObjectItem(person, "name")),
                  cJSON_GetStringValue(cJSON_GetObjectItem(person, "email")),
                  cJSON_GetStringValue(cJSON_GetObjectItem(org, "name")),
                  cJSON_GetStringValue(cJSON_GetObjectItem(cohort, "name")), path);
    return CLI_EXIT_OK;
}

/* Keep the token: in the config file, or, failing that, on the screen. */
static int login_save(const struct cli_ctx *ctx, const char *url, cJSON *body, const char *path)
{
    const char *token = cJSON_GetStringValue(cJSON_GetObjectItem(body, "token"));
    const cJSON *person = cJSON_GetObjectItem(body, "person");
    const char *email = cJSON_GetStringValue(cJSON_GetObjectItem(person, "email"));
    if (!token || !email) {
        cli_error(ctx, "the server's answer holds no token");
        return CLI_EXIT_ERROR;
    }
    char comment[MC_MAX_EMAIL + 64];
    struct mc_buf text;
    struct mc_error err;
    mc_error_clear(&err);
    snprintf(comment, sizeof comment, "written by mcred login for %s", email);
    mc_buf_init(&text, CLI_CONFIG_MAX_BYTES);
    enum mc_err rc = cli_config_format(url, token, comment, &text);
    if (rc == MC_OK)
        rc = cli_config_write(path, text.data, text.len, &err);
    else
        mc_error_set(&err, rc, NULL, "could not write the config file: the URL cannot be kept");
    if (text.data)
        explicit_bzero(text.data, text.len);
    mc_buf_release(&text);
    if (rc != MC_OK) {
        cli_error(ctx, "%s", mc_error_message(&err));
        cli_error(ctx, "your token, shown only now (keep it, e.g. in MCRED_TOKEN): %s", token);
        return CLI_EXIT_ERROR;
    }
    return login_print(ctx, body, path);
}

int cmd_login(const struct cli_ctx *ctx, int argc, char **argv)
{
    const char *invite = NULL, *url = NULL, *name = NULL;
    bool force = false;
    const struct cli_option options[] = {
        {.name = "invite", .value = &invite},
        {.name = "url", .value = &url},
        {.name = "name", .value = &name},
        {.name = "force", .flag = &force},
        {.name = NULL},
    };
    int code = cli_args_parse(ctx, "login", argc, argv, options, NULL, NULL);
    if (code != CLI_EXIT_OK)
        return code;
    if (!invite || !*invite)
        return cli_usage_error(ctx, "login", "--invite CODE is required");
    if (name && (!*name || strlen(name) > MC_MAX_TOKEN_NAME))
        return cli_usage_error(ctx, "login", "--name must be 1 to %d bytes", MC_MAX_TOKEN_NAME);

    struct cli_settings settings;
    struct mc_error err;
    mc_error_clear(&err);
    if (url && cli_settings_resolve(url, NULL, NULL, NULL, NULL, &settings, &err) != MC_OK)
        return cli_usage_error(ctx, "login", "%s", mc_error_message(&err));
    /* this request goes out without any token configured before */
    struct cli_ctx own = *ctx;
    own.url = url ? settings.url : ctx->url;
    own.token = NULL;

    struct mc_buf path;
    mc_buf_init(&path, MC_MAX_URL + 1024);
    code = config_check(ctx, force, &path);
    if (code != CLI_EXIT_OK) {
        mc_buf_release(&path);
        return code;
    }

    struct cli_response resp;
    cJSON *body = cJSON_CreateObject();
    char *text = NULL;
    if (body && cJSON_AddStringToObject(body, "code", invite) &&
        (!name || cJSON_AddStringToObject(body, "token_name", name)))
        text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    body = NULL;
    if (!text) {
        cli_error(ctx, "out of memory");
        mc_buf_release(&path);
        return CLI_EXIT_ERROR;
    }
    cli_response_init(&resp);
    code = cli_http_request(&own, "POST", "/v1/invitations/accept", text, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_json(ctx, &resp, &body);
    if (code == CLI_EXIT_OK)
        code = login_save(ctx, own.url, body, path.data);
    if (body) {
        cJSON *token = cJSON_GetObjectItem(body, "token");
        if (cJSON_IsString(token))
            explicit_bzero(token->valuestring, strlen(token->valuestring));
    }
    cJSON_Delete(body);
    if (resp.body.data)
        explicit_bzero(resp.body.data, resp.body.len);
    explicit_bzero(text, strlen(text));
    cJSON_free(text);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}
