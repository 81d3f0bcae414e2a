/*
 * cmd_attendance.c — `mcred attendance`: record who attended a session,
 * from the command line or a CSV file, list it, remove records
 * (/v1/sessions/{id}/attendance), and show a learner's attendance across
 * a cohort (/v1/cohorts/{id}/members/{person}/attendance; docs/api.md
 * "Attendance").
 *
 * Both `record` and `import` check everything locally first
 * (attendance_input.h) and then send ONE request, which the server
 * applies all or nothing: people not listed keep what was recorded for
 * them.  The server lists every item it refuses ("errors"); `import`
 * names the row of the file each came from.  Both print the session's
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
#include "cohort_person.h"
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

/* Print one problem's message, cleaned for the terminal, after `prefix`. */
static void problem_print(const struct cli_ctx *ctx, const char *prefix, const char *message)
{
    struct mc_buf line;

    mc_buf_init(&line, 4 * MC_MAX_ERR_MESSAGE);
    if (cli_text_append_clean(&line, message, MC_MAX_ERR_MESSAGE) == MC_OK)
        cli_error(ctx, "%s%s", prefix, line.data);
    mc_buf_release(&line);
}

/*
 * A refusal that lists its problems item by item ("errors": [{"item",
 * "field", "message"}], or one problem naming "attendance[3]"): print a
 * line per problem — "mcred: row 5: <message>" for an imported file
 * (rows[i] is the file's row of item i), "mcred: <message>" otherwise —
 * then, for several, the server's summary; return the exit code.  -1
 * when the answer is not of that kind.
 */
static int item_error_print(const struct cli_ctx *ctx, const struct cli_response *resp,
                            const unsigned *rows, size_t nrows)
{
    struct mc_error perr;
    cJSON *root = NULL;
    const cJSON *error, *errors, *entry;
    const char *field, *message;
    char prefix[32];
    size_t index;
    int code = -1;

    mc_error_clear(&perr);
    if (mc_json_parse(resp->body.data, resp->body.len, &root, &perr) != MC_OK)
        return -1;
    error = cJSON_GetObjectItemCaseSensitive(root, "error");
    errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
    field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(error, "field"));
    message = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(error, "message"));
    if (ctx->format != CLI_FORMAT_JSON && message && cJSON_GetArraySize(errors) > 0) {
        cJSON_ArrayForEach(entry, errors)
        {
            const char *m =
                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "message"));
            const cJSON *item = cJSON_GetObjectItemCaseSensitive(entry, "item");
            prefix[0] = '\0';
            if (rows && cJSON_IsNumber(item) && item->valuedouble >= 0 &&
                (size_t)item->valuedouble < nrows)
                (void)snprintf(prefix, sizeof(prefix), "row %u: ", rows[(size_t)item->valuedouble]);
            if (m)
                problem_print(ctx, prefix, m);
        }
        if (cJSON_GetArraySize(errors) > 1)
            problem_print(ctx, "", message);
        code = cli_exit_for_status(resp->status);
    } else if (rows && message && cli_attendance_item_index(field, &index) && index < nrows) {
        (void)snprintf(prefix, sizeof(prefix), "row %u: ", rows[index]);
        problem_print(ctx, prefix, message);
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

/* ---- remove --------------------------------------------------------------- */

static const struct cli_column removed_columns[] = {
    {.key = "email", .header = "EMAIL", .keep = true},
    {.key = "mode", .header = "REMOVED MODE"},
    {.key = NULL},
};

/* The item of `items` whose person has the id or e-mail `who`, or NULL. */
static const cJSON *record_of(const cJSON *items, const char *who)
{
    const cJSON *item;

    cJSON_ArrayForEach(item, items)
    {
        const char *id = cJSON_GetStringValue(cli_json_path(item, "person.id"));
        const char *email = cJSON_GetStringValue(cli_json_path(item, "person.email"));
        if ((id && strcasecmp(id, who) == 0) || (email && strcasecmp(email, who) == 0))
            return item;
    }
    return NULL;
}

/* DELETE one person's record of the session; add the removed record to `removed`. */
static int remove_one(const struct cli_ctx *ctx, const char *session, const char *who,
                      cJSON *removed)
{
    struct mc_buf path;
    struct cli_response resp;
    cJSON *record = NULL;
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/sessions", session, "/attendance", &path);
    if (code == CLI_EXIT_OK && cli_path_append(&path, who) != MC_OK)
        code = out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "DELETE", path.data, NULL, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_json(ctx, &resp, &record);
    if (code == CLI_EXIT_OK && !cJSON_AddItemToArray(removed, record)) {
        cJSON_Delete(record);
        code = out_of_memory(ctx);
    }
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

static int attendance_remove(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"SESSION", NULL};
    const char *people[CLI_ATTENDANCE_MAX];
    struct cli_rest rest = {.name = "PERSON", .min = 1, .max = CLI_ATTENDANCE_MAX, .v = people};
    const char *args[1];
    struct mc_buf path;
    cJSON *list = NULL, *removed = NULL;
    const cJSON *items;
    size_t missing = 0;
    int code = cli_args_parse_rest(ctx, "attendance remove", argc, argv, NULL, names, args, &rest);

    if (code != CLI_EXIT_OK)
        return code;
    for (size_t i = 0; i < rest.n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(people[i], people[j]) == 0)
                return cli_usage_error(ctx, "attendance remove", "%.64s is given twice", people[i]);
    /* everyone named must have a record: otherwise nothing is removed */
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/sessions", args[0], "/attendance", &path);
    if (code == CLI_EXIT_OK && cli_query_add(&path, "limit", "500") != MC_OK)
        code = out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cli_pages_get(ctx, path.data, true, &list);
    if (code != CLI_EXIT_OK)
        goto out;
    items = cJSON_GetObjectItemCaseSensitive(list, "items");
    for (size_t i = 0; i < rest.n; i++) {
        if (!record_of(items, people[i])) {
            cli_error(ctx, "%.254s has no attendance recorded for this session", people[i]);
            missing++;
        }
    }
    if (missing) {
        cli_error(ctx, "nothing was removed");
        code = CLI_EXIT_NOT_FOUND;
        goto out;
    }
    removed = cJSON_CreateArray();
    if (!removed) {
        code = out_of_memory(ctx);
        goto out;
    }
    for (size_t i = 0; code == CLI_EXIT_OK && i < rest.n; i++)
        code = remove_one(ctx, args[0], people[i], removed);
    if (code != CLI_EXIT_OK && cJSON_GetArraySize(removed) > 0)
        cli_error(ctx, "%d record%s before it were removed", cJSON_GetArraySize(removed),
                  cJSON_GetArraySize(removed) == 1 ? "" : "s");
    else if (code == CLI_EXIT_OK)
        code = cli_print_items(ctx, removed, removed_columns);
out:
    cJSON_Delete(list);
    cJSON_Delete(removed);
    mc_buf_release(&path);
    return code;
}

/* ---- show ----------------------------------------------------------------- */

static const struct cli_column show_columns[] = {
    {.key = "local_start", .header = "WHEN"},
    {.key = "title", .header = "SESSION"},
    {.key = "kind", .header = "KIND"},
    {.key = "state", .header = "STATE"},
    {.key = "mode", .header = "MODE"},
    {.key = "id", .header = "ID", .keep = true},
    {.key = NULL},
};

/* The table's last line: how many weekly sessions count, against the minimum. */
static void show_summary(const struct cli_ctx *ctx, const cJSON *report)
{
    const char *name = cJSON_GetStringValue(cli_json_path(report, "learner.name"));
    const char *email = cJSON_GetStringValue(cli_json_path(report, "learner.email"));
    const cJSON *attended = cJSON_GetObjectItemCaseSensitive(report, "attended");
    const cJSON *required = cJSON_GetObjectItemCaseSensitive(report, "required");
    const cJSON *weekly = cJSON_GetObjectItemCaseSensitive(report, "weekly_sessions");
    const cJSON *excused = cJSON_GetObjectItemCaseSensitive(report, "excused");

    if (!name || !email || !cJSON_IsNumber(attended) || !cJSON_IsNumber(required) ||
        !cJSON_IsNumber(weekly))
        return;
    (void)fprintf(ctx->out, "\n%s (%s) attended %d of %d weekly session%s; %d required (%s)", name,
                  email, attended->valueint, weekly->valueint, weekly->valueint == 1 ? "" : "s",
                  required->valueint,
                  attended->valueint >= required->valueint ? "met" : "not yet met");
    if (cJSON_IsNumber(excused) && excused->valueint > 0)
        (void)fprintf(ctx->out, "; %d excused", excused->valueint);
    (void)fputc('\n', ctx->out);
}

static int attendance_show(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *person[1] = {NULL};
    struct cli_rest rest = {.name = "PERSON", .min = 0, .max = 1, .v = person};
    const char *args[1];
    struct mc_buf path, me;
    struct cli_response resp;
    cJSON *report = NULL;
    const char *who;
    int code = cli_args_parse_rest(ctx, "attendance show", argc, argv, NULL, names, args, &rest);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    mc_buf_init(&me, MC_MAX_URL);
    cli_response_init(&resp);
    if (rest.n == 1) {
        who = person[0];
    } else {
        /* one's own: who one is comes from GET /v1/me, which anyone may ask */
        code = cli_my_id(ctx, &me);
        if (code != CLI_EXIT_OK)
            goto out;
        who = me.data;
    }
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/members", &path);
    if (code == CLI_EXIT_OK &&
        (cli_path_append(&path, who) != MC_OK || mc_buf_appends(&path, "/attendance") != MC_OK))
        code = out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "GET", path.data, NULL, NULL, &resp);
    if (code != CLI_EXIT_OK)
        goto out;
    if (ctx->format == CLI_FORMAT_JSON) {
        code = cli_response_print_json(ctx, &resp);
        goto out;
    }
    code = cli_response_json(ctx, &resp, &report);
    if (code == CLI_EXIT_OK)
        code = cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(report, "sessions"),
                               show_columns);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_TABLE)
        show_summary(ctx, report);
out:
    mc_buf_release(&me);
    cJSON_Delete(report);
    cli_response_release(&resp);
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
                 "matter).  Recording someone again corrects their mode (the audit trail\n"
                 "keeps the mode it replaced); 'mcred attendance remove' takes a record\n"
                 "away.  Only a session that has started (or was marked held) and was not\n"
                 "cancelled takes attendance.  Every person is checked first and every\n"
                 "problem is listed at once; all or nothing, people not named keep what\n"
                 "they had.  Session ids are in 'mcred session list'.\n"
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
                 "session's whole attendance is shown.  The server checks every row too\n"
                 "(is the person enrolled, do you coach them) and lists every row it\n"
                 "refuses, as 'row 4: ...'; then nothing is written.  Only a session that\n"
                 "has started (or was marked held) and was not cancelled takes attendance.\n",
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
    {
        .name = "remove",
        .fn = attendance_remove,
        .summary = "remove people's attendance records from a session",
        .usage = "usage: mcred attendance remove SESSION PERSON...\n"
                 "\n"
                 "Remove what was recorded for each PERSON (an e-mail or id) at the session\n"
                 "(DELETE /v1/sessions/ID/attendance/PERSON, one request per person), as if\n"
                 "it had never been recorded, and list the records removed with the mode\n"
                 "each had.  Each removal is kept in the audit trail and sent as the event\n"
                 "attendance.removed.  Everyone named must have a record first: if anyone\n"
                 "has none, they are listed, nothing is removed and the exit status is 3.\n"
                 "A coach removes only their own learners' records; a refusal stops at\n"
                 "that person (the ones before it stay removed, and are counted).\n"
                 "To correct a mode instead, record it again with 'mcred attendance record'.\n"
                 "\n"
                 "  e.g. mcred attendance remove SESSION bo@x.example\n",
    },
    {
        .name = "show",
        .fn = attendance_show,
        .summary = "show a learner's attendance across a cohort's sessions",
        .usage = "usage: mcred attendance show COHORT [PERSON]\n"
                 "\n"
                 "Show a learner's attendance in the cohort\n"
                 "(GET /v1/cohorts/ID/members/PERSON/attendance): every weekly session and\n"
                 "every coaching session open to them, with WHEN (on the cohort's clock),\n"
                 "SESSION, KIND, STATE (scheduled, held or cancelled) and their MODE (empty\n"
                 "when nothing was recorded), then the weekly sessions they attended against\n"
                 "the credential's minimum (cancelled sessions do not count).  Without\n"
                 "PERSON, your own attendance.  A learner sees only their own; a coach their\n"
                 "learners'; coordinators, leaders and admins anyone's.\n"
                 "\n"
                 "  e.g. mcred attendance show COHORT\n"
                 "       mcred attendance show COHORT ana@x.example\n",
    },
    {.name = NULL},
};
