/*
 * cmd_score.c — `mcred score`: a coach's levels on the credential's
 * indicators, one at a time or a file at once, and the list of them
 * (/v1/cohorts/{id}/scores, docs/api.md "Scores").
 *
 * Scoring one indicator is the common case, so it needs no verb:
 * `mcred score COHORT PERSON INDICATOR LEVEL`.  `import` and `list` are
 * verbs all the same; cli_score_form() (score_input.h) tells the forms
 * apart, and one usage text documents all three, since `--help` after
 * any of them is answered by the command table before this file runs.
 *
 * `import` checks the whole file here first (score_input.h) and then
 * sends ONE request, which the server applies all or nothing; when the
 * server refuses an item ("scores[3].level"), the row of the file it
 * came from is named.  It is one small request, so a terminal gets a
 * line saying what is under way, erased when the answer is in, rather
 * than a bar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/json.h"
#include "mcred/limits.h"

#include "args.h"
#include "cohort_input.h"
#include "commands.h"
#include "coursework_input.h"
#include "http.h"
#include "output.h"
#include "pages.h"
#include "progress.h"
#include "query.h"
#include "roster_report.h"
#include "score_input.h"
#include "text.h"
#include "upload.h"

#include "mcred/banned.h"

const char cmd_score_usage[] =
    "usage: mcred score COHORT PERSON INDICATOR LEVEL [--feedback TEXT] [--evidence ID]\n"
    "       mcred score import COHORT FILE.csv\n"
    "       mcred score list COHORT [--learner PERSON] [--history]\n"
    "\n"
    "Record a learner's level on one indicator of the credential (POST\n"
    "/v1/cohorts/ID/scores) and show the score.  PERSON is the learner's\n"
    "e-mail or id, INDICATOR a code like 1.2, LEVEL a level of the credential's\n"
    "rubric by number or by label, in any case (by default 1 Not Evident,\n"
    "2 Emerging, 3 Proficient, 4 Exemplary: '3' and 'proficient' are the same).\n"
    "A level outside the rubric is refused, naming the rubric's range.\n"
    "A score is never changed: a new one becomes the indicator's current level\n"
    "and the earlier ones stay in the history.  Coaches score their own\n"
    "learners.\n"
    "\n"
    "  --feedback TEXT    what the coach saw, up to 4000 bytes\n"
    "  --evidence ID      the evidence the score rests on ('mcred evidence list')\n"
    "\n"
    "mcred score import COHORT FILE.csv\n"
    "  Record many scores at once from a CSV file ('-' reads standard input)\n"
    "  whose header has the columns email, indicator and level, and optionally\n"
    "  feedback (other columns are ignored):\n"
    "\n"
    "    email,indicator,level,feedback\n"
    "    ana@x.example,1.1,3,Led two equity walk-throughs\n"
    "    ana@x.example,1.2,2,\n"
    "\n"
    "  Every row is checked first; with any error nothing is sent, each bad row\n"
    "  is listed on stderr as 'row 3, level: ...' (the header is row 1) and the\n"
    "  exit status is 1 (with --json, {\"error\", \"errors\": [...]} on stdout).\n"
    "  Otherwise the rows go in one request (at most 500), all or nothing, and\n"
    "  the scores recorded are shown.  The server checks every row too (levels\n"
    "  against the rubric, learners, your own learners) and refuses them all\n"
    "  when any is wrong: each problem is listed by its row, in one run.  On a\n"
    "  terminal, stderr says what is under way meanwhile.\n"
    "\n"
    "mcred score list COHORT [--learner PERSON] [--history]\n"
    "  List the current score of every scored indicator that you may see,\n"
    "  newest first (GET /v1/cohorts/ID/scores).\n"
    "\n"
    "  --learner PERSON   one learner's, by e-mail or id\n"
    "  --history          every score, newest first, not only the current ones\n"
    "\n"
    "Scores are shown as LEARNER, INDICATOR, LEVEL, LABEL, COACH, SCORED AT and\n"
    "FEEDBACK.\n";

static const struct cli_column score_columns[] = {
    {.key = "learner.email", .header = "LEARNER", .keep = true},
    {.key = "indicator", .header = "INDICATOR"},
    {.key = "level", .header = "LEVEL"},
    {.key = "label", .header = "LABEL"},
    {.key = "coach.email", .header = "COACH", .keep = true},
    {.key = "scored_at", .header = "SCORED AT"},
    {.key = "feedback", .header = "FEEDBACK"},
    {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/* Print the scores of a POST's answer {"scores": [...]}; --json as it came. */
static int scores_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    cJSON *answer = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &answer);
    if (code == CLI_EXIT_OK)
        code =
            cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(answer, "scores"), score_columns);
    cJSON_Delete(answer);
    return code;
}

/*
 * A refusal that names an item ("scores[3].level") of an imported file:
 * print "mcred: row 5, level: <message>" and return the exit
 * code; -1 when the answer is not of that kind.
 */
static int item_error_print(const struct cli_ctx *ctx, const struct cli_response *resp,
                            const unsigned *rows, size_t nrows)
{
    struct mc_error perr;
    struct mc_buf line;
    cJSON *root = NULL;
    const cJSON *error;
    const char *field, *message, *dot, *column;
    size_t index;
    int code = -1;

    mc_error_clear(&perr);
    if (mc_json_parse(resp->body.data, resp->body.len, &root, &perr) != MC_OK)
        return -1;
    error = cJSON_GetObjectItemCaseSensitive(root, "error");
    field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(error, "field"));
    message = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(error, "message"));
    if (message && cli_score_item_index(field, &index) && index < nrows) {
        dot = strchr(field, '.');
        /* The file's column for the request's "learner" is email. */
        column = dot && strcmp(dot + 1, "learner") == 0 ? "email" : dot ? dot + 1 : NULL;
        mc_buf_init(&line, 4 * (MC_MAX_ERR_MESSAGE + MC_MAX_ERR_FIELD) + 64);
        if (mc_buf_appendf(&line, "row %u", rows[index]) == MC_OK &&
            (!column || (mc_buf_appends(&line, ", ") == MC_OK &&
                         cli_text_append_clean(&line, column, MC_MAX_ERR_FIELD) == MC_OK)) &&
            mc_buf_appends(&line, ": ") == MC_OK &&
            cli_text_append_clean(&line, message, MC_MAX_ERR_MESSAGE) == MC_OK)
            cli_error(ctx, "%s", line.data);
        mc_buf_release(&line);
        code = cli_exit_for_status(resp->status);
    }
    cJSON_Delete(root);
    return code;
}

/*
 * A refusal with an "errors" list (the server checks every item and names
 * each problem's item, "scores[3].level"): print "mcred: row 5, level:
 * <message>" for each, with the rows of the file, then the server's own
 * message, and return the exit code; -1 when the answer has no such list.
 * With --json, the answer as it came.
 */
static int item_errors_print(const struct cli_ctx *ctx, const struct cli_response *resp,
                             const unsigned *rows, size_t nrows)
{
    struct mc_error perr;
    struct mc_buf line;
    cJSON *root = NULL, *entry_row = NULL;
    const cJSON *errors, *entry;
    const char *message;
    int code = -1;

    mc_error_clear(&perr);
    if (mc_json_parse(resp->body.data, resp->body.len, &root, &perr) != MC_OK)
        return -1;
    errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
    message = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "error"), "message"));
    if (!cJSON_IsArray(errors) || cJSON_GetArraySize(errors) < 1 || !message) {
        cJSON_Delete(root);
        return -1;
    }
    code = cli_exit_for_status(resp->status);
    if (ctx->format == CLI_FORMAT_JSON) {
        (void)cli_response_print_json(ctx, resp);
        cJSON_Delete(root);
        return code;
    }
    mc_buf_init(&line, CLI_ROSTER_MAX_LINE);
    cJSON_ArrayForEach(entry, errors)
    {
        const char *field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "field"));
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "message"));
        const char *dot = field ? strchr(field, '.') : NULL;
        size_t index = 0;
        bool item = field && cli_score_item_index(field, &index) && index < nrows;

        /* The file's column for the request's "learner" is email. */
        entry_row = cJSON_CreateObject();
        mc_buf_reset(&line);
        if (entry_row && (!item || cJSON_AddNumberToObject(entry_row, "row", rows[index])) &&
            mc_json_add_string_or_null(entry_row, "column",
                                       dot ? strcmp(dot + 1, "learner") == 0 ? "email" : dot + 1
                                           : NULL) &&
            (!text || cJSON_AddStringToObject(entry_row, "message", text)) &&
            cli_roster_error_line(entry_row, &line) == MC_OK)
            (void)fprintf(ctx->err, "%s\n", line.data);
        cJSON_Delete(entry_row);
    }
    mc_buf_release(&line);
    cli_error(ctx, "%s", message);
    cJSON_Delete(root);
    return code;
}

/* ---- one score ------------------------------------------------------------ */

static int score_record(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", "PERSON", "INDICATOR", "LEVEL", NULL};
    const char *feedback = NULL, *evidence = NULL;
    const struct cli_option options[] = {
        {.name = "feedback", .value = &feedback},
        {.name = "evidence", .value = &evidence},
        {.name = NULL},
    };
    const char *args[4];
    struct mc_buf path;
    struct cli_response resp;
    cJSON *body = NULL;
    char *text = NULL;
    int code = cli_args_parse(ctx, "score", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (!cli_code_valid(args[2]))
        return cli_usage_error(ctx, "score", "'%.32s' is not an indicator code like 1.2", args[2]);
    if (!cli_score_level_valid(args[3]))
        return cli_usage_error(ctx, "score", "'%.32s' is not a level: %s", args[3], CLI_LEVEL_HINT);
    if (feedback && strlen(feedback) > CLI_FEEDBACK_MAX)
        return cli_usage_error(ctx, "score", "--feedback has at most %d bytes", CLI_FEEDBACK_MAX);
    if (evidence && !*evidence)
        return cli_usage_error(ctx, "score", "--evidence needs an evidence id");
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    body = cli_score_item(args[1], args[2], args[3], feedback, evidence);
    text = body ? cJSON_PrintUnformatted(body) : NULL;
    if (!text) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/scores", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "POST", path.data, text, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = scores_print(ctx, &resp);
out:
    free(text);
    cJSON_Delete(body);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- import --------------------------------------------------------------- */

/* POST the file's scores in one request, saying so on a terminal while it runs. */
static int scores_send(const struct cli_ctx *ctx, const char *cohort,
                       const struct cli_score_csv *csv)
{
    struct mc_buf path;
    struct cli_response resp;
    struct cli_request req = {.method = "POST"};
    struct cli_progress progress;
    struct mc_error err;
    char note[128];
    cJSON *body = cJSON_CreateObject();
    char *text = NULL;
    enum mc_err rc;
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    mc_error_clear(&err);
    if (!body || !cJSON_AddItemReferenceToObject(body, "scores", csv->scores) ||
        !(text = cJSON_PrintUnformatted(body))) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_resource_path(ctx, "/v1/cohorts", cohort, "/scores", &path);
    if (code != CLI_EXIT_OK)
        goto out;
    req.path = path.data;
    req.body = text;
    req.body_len = strlen(text);
    (void)snprintf(note, sizeof(note), "scoring %zu indicator%s of %zu learner%s\xE2\x80\xA6",
                   csv->nscores, csv->nscores == 1 ? "" : "s", csv->nlearners,
                   csv->nlearners == 1 ? "" : "s");
    cli_progress_start(&progress, ctx->err);
    cli_progress_note(&progress, note);
    rc = cli_http_send(ctx, &req, &resp, &err);
    cli_progress_clear(&progress);
    if (rc != MC_OK) {
        cli_error(ctx, "%s", mc_error_message(&err));
        code = CLI_EXIT_ERROR;
        goto out;
    }
    if (resp.status < 200 || resp.status > 299) {
        code = item_errors_print(ctx, &resp, csv->rows, csv->nscores);
        if (code < 0)
            code = item_error_print(ctx, &resp, csv->rows, csv->nscores);
        if (code < 0)
            code = cli_response_check(ctx, &resp);
        goto out;
    }
    code = scores_print(ctx, &resp);
out:
    free(text);
    cJSON_Delete(body);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

static int score_import(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", "FILE", NULL};
    const char *args[2];
    struct mc_buf file;
    struct cli_score_csv csv = {0};
    const char *shown;
    int code = cli_args_parse(ctx, "score import", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    shown = strcmp(args[1], "-") == 0 ? "standard input" : args[1];
    mc_buf_init(&file, CLI_SCORE_MAX_BYTES);
    code = cli_csv_file_read(ctx, args[1], &file);
    if (code != CLI_EXIT_OK)
        goto out;
    if (cli_score_csv_parse(file.data, file.len, &csv) != MC_OK) {
        code = out_of_memory(ctx);
        goto out;
    }
    if (csv.error_total)
        code = cli_file_errors_print(ctx, shown, csv.errors, csv.error_total);
    else
        code = scores_send(ctx, args[0], &csv);
out:
    cli_score_csv_release(&csv);
    mc_buf_release(&file);
    return code;
}

/* ---- list ----------------------------------------------------------------- */

static int score_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *learner = NULL;
    bool history = false;
    const struct cli_option options[] = {
        {.name = "learner", .value = &learner},
        {.name = "history", .flag = &history},
        {.name = NULL},
    };
    const char *args[1];
    struct mc_buf path;
    cJSON *list = NULL;
    enum mc_err rc = MC_OK;
    int code = cli_args_parse(ctx, "score list", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/scores", &path);
    if (code != CLI_EXIT_OK)
        goto out;
    if (learner)
        rc = cli_query_add(&path, "learner", learner); /* the server takes an e-mail or id */
    if (rc == MC_OK && history)
        rc = cli_query_add(&path, "history", "true");
    if (rc == MC_OK)
        rc = cli_query_add(&path, "limit", "500");
    if (rc != MC_OK) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_pages_get(ctx, path.data, true, &list);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_JSON)
        code = cli_print_object(ctx, list, score_columns);
    else if (code == CLI_EXIT_OK)
        code = cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(list, "items"), score_columns);
out:
    cJSON_Delete(list);
    mc_buf_release(&path);
    return code;
}

/* ---- the command ---------------------------------------------------------- */

int cmd_score(const struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) {
        (void)fputs(cmd_score_usage, ctx->err);
        return CLI_EXIT_USAGE;
    }
    switch (cli_score_form(argc, argv)) {
    case CLI_SCORE_IMPORT:
        return score_import(ctx, argc - 1, argv + 1);
    case CLI_SCORE_LIST:
        return score_list(ctx, argc - 1, argv + 1);
    case CLI_SCORE_RECORD:
        return score_record(ctx, argc, argv);
    }
    return CLI_EXIT_USAGE;
}
