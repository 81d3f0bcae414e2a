/*
 * cmd_attendance.c — `mcred attendance`: record who attended a session,
 * from the command line or a CSV file, and list it
 * (/v1/sessions/{id}/attendance, docs/api.md "Attendance").
 *
 * Both `record` and `import` check everything locally first
 * (attendance_input.h) and then send ONE request, which the server
 * applies all or nothing: people not listed keep what was recorded for
 * them.  When the server refuses an item ("attendance[3]"), `import`
 * names the row of the file it came from.  Both print the session's
 * whole attendance afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mcred/json.h"
#include "mcred/limits.h"

#include "args.h"
#include "attendance_input.h"
#include "cohort_input.h"
#include "commands.h"
#include "http.h"
#include "output.h"
#include "pages.h"
#include "query.h"
#include "text.h"
#include "upload.h"

#include "mcred/banned.h"

static const struct cli_column attendance_columns[] = {
    {.key = "person.email", .header = "EMAIL", .keep = true},
    {.key = "person.name", .header = "NAME"},
    {.key = "mode", .header = "MODE"},
    {.key = "recorded_by.email", .header = "RECORDED BY", .keep = true},
    {.key = "recorded_at", .header = "RECORDED AT"},
    {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/*
 * A refusal that names an item ("attendance[3]") of an imported file:
 * print "mcred: row 5: <message>" and return the exit code; -1 when the
 * answer is not of that kind.
 */
static int item_error_print(const struct cli_ctx *ctx, const struct cli_response *resp,
                            const unsigned *rows, size_t nrows)
{
    struct mc_error perr;
    struct mc_buf line;
    cJSON *root = NULL;
    const cJSON *error;
    const char *field, *message;
    size_t index;
    int code = -1;

    mc_error_clear(&perr);
    if (!rows || mc_json_parse(resp->body.data, resp->body.len, &root, &perr) != MC_OK)
        return -1;
    error = cJSON_GetObjectItemCaseSensitive(root, "error");
    field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(error, "field"));
    message = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(error, "message"));
    if (message && cli_attendance_item_index(field, &index) && index < nrows) {
        mc_buf_init(&line, 4 * MC_MAX_ERR_MESSAGE);
        if (cli_text_append_clean(&line, message, MC_MAX_ERR_MESSAGE) == MC_OK)
            cli_error(ctx, "row %u: %s", rows[index], line.data);
        mc_buf_release(&line);
        code = cli_exit_for_status(resp->status);
    }
    cJSON_Delete(root);
    return code;
}

/*
 * PUT `records` to the session and print its attendance.  rows[i] is the
 * file's row of records' item i (NULL for arguments).
 */
static int attendance_put(const struct cli_ctx *ctx, const char *session, cJSON *records,
                          const unsigned *rows, size_t nrows)
{
    struct mc_buf path;
    struct cli_response resp;
    struct cli_request req = {.method = "PUT"};
    struct mc_error err;
    cJSON *body = cJSON_CreateObject();
    char *text = NULL;
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    mc_error_clear(&err);
    if (!body || !cJSON_AddItemReferenceToObject(body, "attendance", records) ||
        !(text = cJSON_PrintUnformatted(body))) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_resource_path(ctx, "/v1/sessions", session, "/attendance", &path);
    if (code != CLI_EXIT_OK)
        goto out;
    req.path = path.data;
    req.body = text;
    req.body_len = strlen(text);
    if (cli_http_send(ctx, &req, &resp, &err) != MC_OK) {
        cli_error(ctx, "%s", mc_error_message(&err));
        code = CLI_EXIT_ERROR;
        goto out;
    }
    if (resp.status < 200 || resp.status > 299) {
        code = item_error_print(ctx, &resp, rows, nrows);
        if (code < 0)
            code = cli_response_check(ctx, &resp);
        goto out;
    }
    code = cli_response_print_items(ctx, &resp, attendance_columns);
out:
    free(text);
    cJSON_Delete(body);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- record --------------------------------------------------------------- */

static int attendance_record(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"SESSION", NULL};
    const char *pairs[CLI_ATTENDANCE_MAX];
    struct cli_rest rest = {.name = "PERSON=MODE", .min = 1, .max = CLI_ATTENDANCE_MAX, .v = pairs};
    size_t lens[CLI_ATTENDANCE_MAX];
    const char *args[1];
    cJSON *records = NULL;
    int code = cli_args_parse_rest(ctx, "attendance record", argc, argv, NULL, names, args, &rest);

    if (code != CLI_EXIT_OK)
        return code;
    records = cJSON_CreateArray();
    if (!records)
        return out_of_memory(ctx);
    for (size_t i = 0; i < rest.n; i++) {
        char mode[CLI_ATTENDANCE_MODE_SIZE];

        if (!strchr(pairs[i], '=') || pairs[i][0] == '=') {
            code = cli_usage_error(ctx, "attendance record",
                                   "'%.64s' is not PERSON=MODE (an e-mail or id, '=', a mode)",
                                   pairs[i]);
            goto out;
        }
        if (!cli_attendance_pair(pairs[i], &lens[i], mode)) {
            code = cli_usage_error(ctx, "attendance record", "'%.64s': the mode must be %s",
                                   pairs[i], CLI_ATTENDANCE_MODES);
            goto out;
        }
        for (size_t j = 0; j < i; j++) {
            if (lens[j] == lens[i] && strncasecmp(pairs[j], pairs[i], lens[i]) == 0) {
                code = cli_usage_error(ctx, "attendance record", "%.*s is given twice",
                                       (int)(lens[i] > 64 ? 64 : lens[i]), pairs[i]);
                goto out;
            }
        }
        if (!cli_attendance_record_add(records, pairs[i], lens[i], mode)) {
            code = out_of_memory(ctx);
            goto out;
        }
    }
    code = attendance_put(ctx, args[0], records, NULL, 0);
out:
    cJSON_Delete(records);
    return code;
}

/* ---- import --------------------------------------------------------------- */

static int attendance_import(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"SESSION", "FILE", NULL};
    const char *args[2];
    struct mc_buf file;
    struct cli_attendance_csv csv = {0};
    const char *shown;
    int code = cli_args_parse(ctx, "attendance import", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    shown = strcmp(args[1], "-") == 0 ? "standard input" : args[1];
    mc_buf_init(&file, CLI_ATTENDANCE_MAX_BYTES);
    code = cli_csv_file_read(ctx, args[1], &file);
    if (code != CLI_EXIT_OK)
        goto out;
    if (cli_attendance_csv_parse(file.data, file.len, &csv) != MC_OK) {
        code = out_of_memory(ctx);
        goto out;
    }
    if (csv.error_total) {
        code = cli_file_errors_print(ctx, shown, csv.errors, csv.error_total);
        goto out;
    }
    code = attendance_put(ctx, args[0], csv.records, csv.rows, csv.nrecords);
out:
    cli_attendance_csv_release(&csv);
    mc_buf_release(&file);
    return code;
}

/* ---- list ----------------------------------------------------------------- */

static int attendance_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"SESSION", NULL};
    const char *args[1];
    struct mc_buf path;
    cJSON *list = NULL;
    int code = cli_args_parse(ctx, "attendance list", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/sessions", args[0], "/attendance", &path);
    if (code == CLI_EXIT_OK && cli_query_add(&path, "limit", "500") != MC_OK)
        code = out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cli_pages_get(ctx, path.data, true, &list);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_JSON)
        code = cli_print_object(ctx, list, attendance_columns);
    else if (code == CLI_EXIT_OK)
        code = cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(list, "items"),
                               attendance_columns);
    cJSON_Delete(list);
    mc_buf_release(&path);
    return code;
}

/* ---- the verbs ------------------------------------------------------------ */

const struct cli_verb attendance_verbs[] = {
    {
        .name = "record",
        .fn = attendance_record,
        .summary = "record attendance of a session",
        .usage = "usage: mcred attendance record SESSION PERSON=MODE...\n"
                 "\n"
                 "Record (or re-record) how each person attended the session, in one\n"
                 "request (PUT /v1/sessions/ID/attendance), and show the session's whole\n"
                 "attendance.  PERSON is an enrolled member's e-mail or id; MODE is\n"
                 "in_person, online, asynchronous, absent or excused (case and '-' do not\n"
                 "matter).  All or nothing; people not named keep what they had.  Session\n"
                 "ids are in 'mcred session list'.\n"
                 "\n"
                 "  e.g. mcred attendance record SESSION ana@x.example=in_person \\\n"
                 "           bo@x.example=online cy@x.example=excused\n",
    },
    {
        .name = "import",
        .fn = attendance_import,
        .summary = "record attendance of a session from a CSV file",
        .usage = "usage: mcred attendance import SESSION FILE.csv\n"
                 "\n"
                 "Record attendance from a CSV file ('-' reads standard input) whose header\n"
                 "has the columns email and mode (other columns are ignored):\n"
                 "\n"
                 "  email,mode\n"
                 "  ana@x.example,in_person\n"
                 "  bo@x.example,online\n"
                 "\n"
                 "Every row is checked first; with any error nothing is sent, each bad\n"
                 "row is listed on stderr as 'row 3, mode: ...' (the header is row 1) and\n"
                 "the exit status is 1.  Otherwise the rows go in one request\n"
                 "(PUT /v1/sessions/ID/attendance, at most 1000), all or nothing, and the\n"
                 "session's whole attendance is shown.\n",
    },
    {
        .name = "list",
        .fn = attendance_list,
        .summary = "list a session's attendance",
        .usage = "usage: mcred attendance list SESSION\n"
                 "\n"
                 "List the session's attendance (GET /v1/sessions/ID/attendance): EMAIL,\n"
                 "NAME, MODE, RECORDED BY and RECORDED AT.\n",
    },
    {.name = NULL},
};
