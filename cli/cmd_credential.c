/*
 * cmd_credential.c — `mcred credential`: import, list, show and publish
 * credential frameworks (/v1/credentials, docs/api.md "Credentials").
 *
 * A framework is a JSON file in the format of the seed
 * (tests/fixtures/equity-excellence.json).  `import` sends it as it is —
 * the server checks it whole — after making sure it is JSON at all, so
 * that a wrong file is named with the line where it stops being JSON.
 * Wherever a credential is taken it may be named by id, SLUG (the newest
 * version) or SLUG@VERSION (credential.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/limits.h"

#include "args.h"
#include "cohort_input.h"
#include "commands.h"
#include "credential.h"
#include "http.h"
#include "output.h"
#include "pages.h"
#include "query.h"
#include "upload.h"

#include "mcred/banned.h"

/* A framework file is read whole; the server takes far less (MCRED_MAX_BODY). */
#define FRAMEWORK_MAX_BYTES MC_MAX_BODY_CEILING

static const struct cli_column summary_fields[] = {
    {.key = "id", .header = "Id", .keep = true},   {.key = "slug", .header = "Slug", .keep = true},
    {.key = "version", .header = "Version"},       {.key = "title", .header = "Title"},
    {.key = "status", .header = "Status"},         {.key = "standards", .header = "Standards"},
    {.key = "indicators", .header = "Indicators"}, {.key = "published_at", .header = "Published"},
    {.key = "result", .header = "Result"},         {.key = NULL},
};

static const struct cli_column view_fields[] = {
    {.key = "id", .header = "Id", .keep = true},
    {.key = "slug", .header = "Slug", .keep = true},
    {.key = "version", .header = "Version"},
    {.key = "title", .header = "Title"},
    {.key = "status", .header = "Status"},
    {.key = "achievement_type", .header = "Type"},
    {.key = "standards", .header = "Standards"},
    {.key = "indicators", .header = "Indicators"},
    {.key = "rubric", .header = "Rubric"},
    {.key = "award_rule", .header = "Award rule"},
    {.key = "created_at", .header = "Created"},
    {.key = "updated_at", .header = "Updated"},
    {.key = "published_at", .header = "Published"},
    {.key = "description", .header = "Description"},
    {.key = NULL},
};

static const struct cli_column list_columns[] = {
    {.key = "slug", .header = "SLUG", .keep = true},
    {.key = "version", .header = "VERSION"},
    {.key = "title", .header = "TITLE"},
    {.key = "status", .header = "STATUS"},
    {.key = "standards", .header = "STANDARDS"},
    {.key = "indicators", .header = "INDICATORS"},
    {.key = "id", .header = "ID", .keep = true},
    {.key = NULL},
};

static const struct cli_column standard_columns[] = {
    {.key = "code", .header = "STANDARD", .keep = true},
    {.key = "title", .header = "TITLE"},
    {.key = "indicators", .header = "INDICATORS", .keep = true},
    {.key = NULL},
};

static const struct cli_column indicator_columns[] = {
    {.key = "standard", .header = "STANDARD", .keep = true},
    {.key = "indicator", .header = "INDICATOR", .keep = true},
    {.key = "text", .header = "TEXT"},
    {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/* Print a credential answer as its summary (with `result`), or as it came with --json. */
static int summary_print(const struct cli_ctx *ctx, const struct cli_response *resp,
                         const char *result)
{
    cJSON *credential = NULL, *summary;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &credential);
    if (code != CLI_EXIT_OK)
        return code;
    summary = cli_credential_summary(credential, result);
    code = summary ? cli_print_object(ctx, summary, summary_fields) : out_of_memory(ctx);
    cJSON_Delete(summary);
    cJSON_Delete(credential);
    return code;
}

/* ---- import --------------------------------------------------------------- */

/* Say where `data` stops being JSON ("line 12, column 5"); false when it is JSON. */
static bool json_invalid(const struct cli_ctx *ctx, const char *name, const char *data, size_t len)
{
    const char *end = NULL;
    cJSON *root = len ? cJSON_ParseWithLengthOpts(data, len, &end, false) : NULL;
    size_t line = 1, column = 1;

    if (root) {
        cJSON_Delete(root);
        return false;
    }
    if (!end || end < data || end > data + len)
        end = data;
    for (const char *p = data; p < end; p++) {
        if (*p == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
    }
    if (len == 0)
        cli_error(ctx, "%s is empty; a framework is a JSON object", name);
    else
        cli_error(ctx, "%s is not JSON: it stops being JSON at line %zu, column %zu", name, line,
                  column);
    return true;
}

static int credential_import(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"FILE", NULL};
    const char *args[1];
    struct mc_buf file;
    struct cli_response resp;
    int code = cli_args_parse(ctx, "credential import", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&file, FRAMEWORK_MAX_BYTES);
    cli_response_init(&resp);
    code = cli_file_read(ctx, args[0], &file);
    if (code != CLI_EXIT_OK)
        goto out;
    if (json_invalid(ctx, strcmp(args[0], "-") == 0 ? "standard input" : args[0], file.data,
                     file.len)) {
        code = CLI_EXIT_ERROR;
        goto out;
    }
    code =
        cli_upload(ctx, "POST", "/v1/credentials", "application/json", file.data, file.len, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_import_check(ctx, &resp);
    if (code == CLI_EXIT_OK)
        code = summary_print(ctx, &resp, resp.status == 201 ? "created" : "replaced draft");
out:
    cli_response_release(&resp);
    mc_buf_release(&file);
    return code;
}

/* ---- list ----------------------------------------------------------------- */

/* A page of credentials: --json as it is, otherwise its items. */
static int credentials_print(const struct cli_ctx *ctx, const cJSON *list)
{
    if (ctx->format == CLI_FORMAT_JSON)
        return cli_print_object(ctx, list, list_columns);
    return cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(list, "items"), list_columns);
}

static int credential_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    const char *slug = NULL, *status = NULL, *limit = NULL;
    bool all = false;
    const struct cli_option options[] = {
        {.name = "slug", .value = &slug},
        {.name = "status", .value = &status},
        {.name = "limit", .value = &limit},
        {.name = "all", .flag = &all},
        {.name = NULL},
    };
    static const char *const statuses[] = {"draft", "published", "retired", NULL};
    struct mc_buf path;
    enum mc_err rc;
    int code = cli_args_parse(ctx, "credential list", argc, argv, options, NULL, NULL);

    if (code != CLI_EXIT_OK)
        return code;
    if (status && !cli_word_in(status, statuses))
        return cli_usage_error(ctx, "credential list",
                               "--status must be draft, published or retired");
    code = cli_pages_limit_check(ctx, "credential list", limit);
    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    rc = mc_buf_appends(&path, "/v1/credentials");
    if (rc == MC_OK && slug)
        rc = cli_query_add(&path, "slug", slug);
    if (rc == MC_OK && status)
        rc = cli_query_add(&path, "status", status);
    if (rc == MC_OK && limit)
        rc = cli_query_add(&path, "limit", limit);
    if (rc != MC_OK) {
        code = cli_usage_error(ctx, "credential list",
                               "the filters make a request longer than %d bytes", MC_MAX_URL);
        goto out;
    }
    code = cli_pages_list(ctx, path.data, all, credentials_print, "credentials");
out:
    mc_buf_release(&path);
    return code;
}

/* ---- show ----------------------------------------------------------------- */

/* The object view and, in a table, the standards under it. */
static int view_print(const struct cli_ctx *ctx, const cJSON *credential)
{
    cJSON *view = cli_credential_view(credential);
    cJSON *standards = NULL;
    int code;

    if (!view)
        return out_of_memory(ctx);
    code = cli_print_object(ctx, view, view_fields);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_TABLE) {
        standards = cli_credential_standards(credential);
        (void)fputc('\n', ctx->out);
        code = standards ? cli_print_items(ctx, standards, standard_columns) : out_of_memory(ctx);
    }
    cJSON_Delete(standards);
    cJSON_Delete(view);
    return code;
}

static int credential_show(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"CREDENTIAL", NULL};
    bool indicators = false;
    const struct cli_option options[] = {
        {.name = "indicators", .flag = &indicators},
        {.name = NULL},
    };
    const char *args[1];
    struct mc_buf id, path;
    struct cli_response resp;
    cJSON *credential = NULL, *rows = NULL;
    int code = cli_args_parse(ctx, "credential show", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&id, MC_MAX_URL);
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_credential_id(ctx, "credential show", args[0], 0, &id);
    if (code == CLI_EXIT_OK)
        code = cli_resource_path(ctx, "/v1/credentials", id.data, NULL, &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "GET", path.data, NULL, NULL, &resp);
    if (code != CLI_EXIT_OK)
        goto out;
    if (ctx->format == CLI_FORMAT_JSON) {
        code = cli_response_print_json(ctx, &resp);
        goto out;
    }
    code = cli_response_json(ctx, &resp, &credential);
    if (code != CLI_EXIT_OK)
        goto out;
    if (!indicators) {
        code = view_print(ctx, credential);
        goto out;
    }
    rows = cli_credential_indicators(credential);
    code = rows ? cli_print_items(ctx, rows, indicator_columns) : out_of_memory(ctx);
out:
    cJSON_Delete(rows);
    cJSON_Delete(credential);
    cli_response_release(&resp);
    mc_buf_release(&path);
    mc_buf_release(&id);
    return code;
}

/* ---- publish -------------------------------------------------------------- */

static int credential_publish(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"CREDENTIAL", NULL};
    const char *args[1];
    struct mc_buf id, path;
    struct cli_response resp;
    int code = cli_args_parse(ctx, "credential publish", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&id, MC_MAX_URL);
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_credential_id(ctx, "credential publish", args[0], CLI_CREDENTIAL_NEED_VERSION, &id);
    if (code == CLI_EXIT_OK)
        code = cli_resource_path(ctx, "/v1/credentials", id.data, "/publish", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "POST", path.data, NULL, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = summary_print(ctx, &resp, "published");
    cli_response_release(&resp);
    mc_buf_release(&path);
    mc_buf_release(&id);
    return code;
}

/* ---- retire --------------------------------------------------------------- */

static int credential_retire(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"CREDENTIAL", NULL};
    const char *args[1];
    struct mc_buf id, path;
    struct cli_response resp;
    int code = cli_args_parse(ctx, "credential retire", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&id, MC_MAX_URL);
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_credential_id(ctx, "credential retire", args[0], CLI_CREDENTIAL_PUBLISHED, &id);
    if (code == CLI_EXIT_OK)
        code = cli_resource_path(ctx, "/v1/credentials", id.data, "/retire", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "POST", path.data, NULL, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = summary_print(ctx, &resp, "retired");
    cli_response_release(&resp);
    mc_buf_release(&path);
    mc_buf_release(&id);
    return code;
}

/* ---- the verbs ------------------------------------------------------------ */

const struct cli_verb credential_verbs[] = {
    {
        .name = "import",
        .fn = credential_import,
        .summary = "import a credential framework from a JSON file",
        .usage = "usage: mcred credential import FILE.json\n"
                 "\n"
                 "Send a credential framework (the format of the seed equity-excellence.json;\n"
                 "'-' reads standard input) to POST /v1/credentials.  A new slug and version\n"
                 "is created as a draft; the same slug and version as an existing draft\n"
                 "replaces that draft; a published version cannot change (exit 1: import\n"
                 "it as a new version).  The server checks the whole framework and names\n"
                 "the field at fault.\n"
                 "\n"
                 "Prints the credential's id, slug, version, title, status, numbers of\n"
                 "standards and indicators, and the result: 'created' or 'replaced draft'.\n"
                 "--json prints the whole credential as the server answered.\n",
    },
    {
        .name = "list",
        .fn = credential_list,
        .summary = "list credential frameworks and their versions",
        .usage = "usage: mcred credential list [--slug SLUG] [--status STATUS] [--limit N]\n"
                 "                             [--all]\n"
                 "\n"
                 "List credentials by slug, then version (GET /v1/credentials): SLUG,\n"
                 "VERSION, TITLE, STATUS, STANDARDS, INDICATORS and ID.\n"
                 "\n"
                 "  --slug SLUG        only this framework's versions\n"
                 "  --status STATUS    draft, published or retired\n"
                 "  --limit N          credentials per page, 1 to 500 (default 50)\n"
                 "  --all              every page, not only the first\n",
    },
    {
        .name = "show",
        .fn = credential_show,
        .summary = "show a credential, its standards and indicators",
        .usage = "usage: mcred credential show CREDENTIAL [--indicators]\n"
                 "\n"
                 "Show a credential (GET /v1/credentials/ID).  CREDENTIAL is its id,\n"
                 "SLUG@VERSION, or a SLUG alone for its newest version.  A table shows\n"
                 "the credential's fields (rubric and award rule in words), then its\n"
                 "standards with their indicator codes; --csv prints the fields as one\n"
                 "record; --json the whole framework as the server answered.\n"
                 "\n"
                 "  --indicators       instead, list every indicator: STANDARD,\n"
                 "                     INDICATOR and TEXT (the text is cut to fit a\n"
                 "                     terminal; --csv gives it whole)\n",
    },
    {
        .name = "publish",
        .fn = credential_publish,
        .summary = "publish a draft, freezing it for cohorts",
        .usage = "usage: mcred credential publish CREDENTIAL\n"
                 "\n"
                 "Publish a draft credential (POST /v1/credentials/ID/publish): from now\n"
                 "on it cannot change, and cohorts can be created on it.  CREDENTIAL is\n"
                 "its id or SLUG@VERSION.  Exit 1 when it is not a draft.  Prints the\n"
                 "credential's summary as 'import' does, with the result 'published'.\n",
    },
    {
        .name = "retire",
        .fn = credential_retire,
        .summary = "retire a published credential: no new cohorts on it",
        .usage = "usage: mcred credential retire SLUG[@VERSION]\n"
                 "\n"
                 "Retire a published credential (POST /v1/credentials/ID/retire).  Cohorts\n"
                 "already on it carry on (members, scores and awards are unchanged); new\n"
                 "cohorts on it are refused, naming the published version to use instead.\n"
                 "A bare SLUG is its newest published version; an id works too.  A\n"
                 "draft is not retired (exit 1):\n"
                 "nothing rests on it, and importing it again changes it.  Exit 1 too when\n"
                 "it is already retired.  Prints the credential's summary as 'import'\n"
                 "does, with the result 'retired'.\n",
    },
    {.name = NULL},
};
