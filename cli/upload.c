/*
 * upload.c — reading, sending and judging imported files; see upload.h.
 *
 * The same steps as `mcred people import` (cmd_people.c), shared by the
 * nouns that came after it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mcred/json.h"
#include "mcred/textfile.h"

#include "output.h"
#include "progress.h"
#include "roster_report.h"
#include "upload.h"

#include "mcred/banned.h"

int cli_file_read(const struct cli_ctx *ctx, const char *name, struct mc_buf *out)
{
    bool is_stdin = strcmp(name, "-") == 0;
    const char *shown = is_stdin ? "standard input" : name;
    FILE *f = is_stdin ? stdin : fopen(name, "rb");
    char chunk[CLI_UPLOAD_CHUNK];
    enum mc_err rc = MC_OK;
    int code = CLI_EXIT_OK;

    if (!f) {
        cli_error(ctx, "could not open %s: %s", shown, strerror(errno));
        return CLI_EXIT_ERROR;
    }
    while (rc == MC_OK) {
        size_t n = fread(chunk, 1, sizeof(chunk), f);
        if (n == 0)
            break;
        rc = mc_buf_append(out, chunk, n);
    }
    if (rc == MC_ERR_TOO_LARGE) {
        cli_error(ctx, "%s is larger than %zu MiB", shown, out->max / (1024 * 1024));
        code = CLI_EXIT_ERROR;
    } else if (rc != MC_OK) {
        cli_error(ctx, "out of memory");
        code = CLI_EXIT_ERROR;
    } else if (ferror(f)) {
        cli_error(ctx, "could not read %s: %s", shown, strerror(errno));
        code = CLI_EXIT_ERROR;
    }
    if (!is_stdin)
        (void)fclose(f);
    return code;
}

int cli_csv_file_read(const struct cli_ctx *ctx, const char *name, struct mc_buf *out)
{
    const char *shown = strcmp(name, "-") == 0 ? "standard input" : name;
    struct mc_csv_check check;
    int code = cli_file_read(ctx, name, out);

    if (code != CLI_EXIT_OK || mc_csv_check(out->data, out->len, shown, &check))
        return code;
    if (ctx->format == CLI_FORMAT_JSON) {
        cJSON *errors = cJSON_CreateArray();
        cJSON *entry = cJSON_CreateObject();

        if (!errors || !entry || !cJSON_AddItemToArray(errors, entry)) {
            cJSON_Delete(entry);
            entry = NULL;
        }
        if (!entry ||
            !(check.row ? cJSON_AddNumberToObject(entry, "row", check.row)
                        : cJSON_AddNullToObject(entry, "row")) ||
            !cJSON_AddNullToObject(entry, "column") ||
            !cJSON_AddStringToObject(entry, "message", check.message))
            cli_error(ctx, "out of memory");
        else
            (void)cli_file_errors_print(ctx, shown, errors, 1);
        cJSON_Delete(errors);
        return CLI_EXIT_ERROR;
    }
    cli_error(ctx, "%s (nothing was sent)", check.message);
    return CLI_EXIT_ERROR;
}

int cli_upload(const struct cli_ctx *ctx, const char *method, const char *path,
               const char *content_type, const char *body, size_t len, struct cli_response *out)
{
    struct cli_progress progress;
    const struct cli_request req = {
        .method = method,
        .path = path,
        .body = body,
        .body_len = len,
        .content_type = content_type,
        .progress = cli_progress_update,
        .progress_arg = &progress,
    };
    struct mc_error err;
    enum mc_err rc;

    mc_error_clear(&err);
    cli_progress_start(&progress, ctx->err);
    rc = cli_http_send(ctx, &req, out, &err);
    cli_progress_clear(&progress);
    if (rc != MC_OK) {
        cli_error(ctx, "%s", mc_error_message(&err));
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

/* The rows of a 422 import answer; -1 when the answer is not of that kind. */
static int row_errors_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    struct mc_error perr;
    struct mc_buf line;
    cJSON *root = NULL;
    const cJSON *errors, *entry;
    int code = -1;

    mc_error_clear(&perr);
    if (resp->status != 422 ||
        mc_json_parse(resp->body.data, resp->body.len, &root, &perr) != MC_OK)
        return -1;
    errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
    if (!cJSON_IsArray(errors) || cJSON_GetArraySize(errors) == 0)
        goto out;
    if (ctx->format == CLI_FORMAT_JSON) {
        code = cli_response_print_json(ctx, resp);
    } else {
        mc_buf_init(&line, CLI_ROSTER_MAX_LINE);
        cJSON_ArrayForEach(entry, errors)
        {
            mc_buf_reset(&line);
            if (cli_roster_error_line(entry, &line) == MC_OK)
                (void)fprintf(ctx->err, "%s\n", line.data);
        }
        mc_buf_release(&line);
    }
    /* "mcred: roster has 2 errors; nothing was written" */
    code = code > 0 ? code : cli_response_check(ctx, resp);
out:
    cJSON_Delete(root);
    return code;
}

int cli_import_check(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    int code;

    if (resp->status >= 200 && resp->status <= 299)
        return CLI_EXIT_OK;
    code = row_errors_print(ctx, resp);
    if (code >= 0)
        return code;
    code = cli_response_check(ctx, resp);
    if (resp->status == 413)
        (void)fprintf(ctx->err, "mcred: hint: The server's MCRED_MAX_BODY setting (1 MiB unless "
                                "raised) limits the size of a request.\n");
    return code;
}

int cli_file_errors_print(const struct cli_ctx *ctx, const char *name, const cJSON *errors,
                          size_t total)
{
    struct mc_buf line;
    const cJSON *entry;
    char message[256];
    int shown = cJSON_GetArraySize(errors);

    (void)snprintf(message, sizeof(message), "%s has %zu error%s; nothing was sent", name, total,
                   total == 1 ? "" : "s");
    if (ctx->format == CLI_FORMAT_JSON) {
        static const struct cli_column no_columns[] = {{.key = NULL}};
        cJSON *answer = cJSON_CreateObject();
        cJSON *error = answer ? cJSON_AddObjectToObject(answer, "error") : NULL;

        if (!error || !cJSON_AddStringToObject(error, "code", "invalid") ||
            !cJSON_AddStringToObject(error, "message", message) ||
            !cJSON_AddItemReferenceToObject(answer, "errors", (cJSON *)errors))
            cli_error(ctx, "out of memory");
        else
            (void)cli_print_object(ctx, answer, no_columns);
        cJSON_Delete(answer);
    } else {
        mc_buf_init(&line, CLI_ROSTER_MAX_LINE);
        cJSON_ArrayForEach(entry, errors)
        {
            mc_buf_reset(&line);
            if (cli_roster_error_line(entry, &line) == MC_OK)
                (void)fprintf(ctx->err, "%s\n", line.data);
        }
        mc_buf_release(&line);
    }
    if (total > (size_t)shown)
        cli_error(ctx, "%s (the first %d are shown)", message, shown);
    else
        cli_error(ctx, "%s", message);
    return CLI_EXIT_ERROR;
}
