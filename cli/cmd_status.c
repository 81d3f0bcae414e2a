/*
 * cmd_status.c — `mcred status`: who has earned the credential, and what
 * each learner still lacks (/v1/cohorts/{id}/status and
 * /v1/cohorts/{id}/members/{person}/status, docs/api.md "Status").
 *
 * The server decides status from the credential's own rule; this file
 * only shows it (status_view.h): the cohort as a grid of learners by
 * standard, or one learner as a line, what is missing and the
 * indicators.  --json passes the server's answer through untouched.
 */
#include <stdio.h>
#include <stdlib.h>

#include "mcred/limits.h"

#include "args.h"
#include "cohort_input.h"
#include "cohort_person.h"
#include "commands.h"
#include "http.h"
#include "output.h"
#include "status_view.h"
#include "table.h"

#include "mcred/banned.h"

/* A rendered grid may be as large as the answer it came from. */
#define STATUS_OUTPUT_MAX MC_CLI_MAX_RESPONSE

const char cmd_status_usage[] =
    "usage: mcred status COHORT [PERSON]\n"
    "\n"
    "Show who has earned the credential and what is still missing, as the\n"
    "credential's rule decides it.\n"
    "\n"
    "For the cohort (GET /v1/cohorts/COHORT/status), one row per enrolled learner:\n"
    "EMAIL, STATUS (not_started, in_progress, eligible, awarded or revoked), a\n"
    "column per standard (S1 for standard 1 ...) holding \xE2\x9C\x93 when the standard is\n"
    "met, else the number of its indicators met of its total (2/3), ATTENDANCE\n"
    "(weekly sessions attended/required) and PROBLEM (the problem of\n"
    "practice's status: none, draft, submitted, needs_revision or approved);\n"
    "then a line naming the standards.  --csv has the same columns (email,\n"
    "status, standard_1 ..., attendance, problem) with yes or no for a\n"
    "standard, and no legend.\n"
    "\n"
    "A learner sees their own status, with or without PERSON (their e-mail).\n"
    "\n"
    "For one learner, by e-mail or id (GET\n"
    "/v1/cohorts/COHORT/members/PERSON/status): a line with their status, then\n"
    "'Missing:' and an item per line (or 'Nothing is missing: eligible.'), then\n"
    "their indicators: CODE, LEVEL and MET.  --csv prints the indicators.\n"
    "\n"
    "--json prints the server's answer as it came.\n";

static const struct cli_column indicator_columns[] = {
    {.key = "code", .header = "CODE"},
    {.key = "level", .header = "LEVEL"},
    {.key = "met", .header = "MET"},
    {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

static int output_write(const struct cli_ctx *ctx, const struct mc_buf *b)
{
    if (b->len > 0 && fwrite(b->data, 1, b->len, ctx->out) != b->len) {
        cli_error(ctx, "could not write output");
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

/* The cohort's grid. */
static int cohort_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    struct cli_status_grid grid;
    struct mc_buf out;
    cJSON *answer = NULL;
    enum mc_err rc;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &answer);
    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&out, STATUS_OUTPUT_MAX);
    rc = cli_status_grid_build(answer, ctx->format == CLI_FORMAT_CSV, &grid);
    if (rc == MC_OK) {
        const struct cli_table t = {
            .ncols = grid.ncols,
            .headers = (const char *const *)grid.headers,
            .keep = grid.keep,
            .nrows = grid.nrows,
            .cells = (const char *const *)grid.cells,
        };
        rc = ctx->format == CLI_FORMAT_CSV ? cli_table_csv(&t, &out)
                                           : cli_table_layout(&t, ctx->width, &out);
    }
    if (rc == MC_OK && ctx->format == CLI_FORMAT_TABLE && grid.nrows > 0) {
        size_t width = ctx->width && ctx->width < CLI_WIDTH_UNLIMITED ? ctx->width - 1 : 0;

        rc = mc_buf_appendc(&out, '\n');
        if (rc == MC_OK)
            rc = cli_status_legend(answer, width, &out);
    }
    if (rc == MC_ERR_INVALID) {
        cli_error(ctx, "the server's answer is not a cohort's status");
        code = CLI_EXIT_ERROR;
    } else if (rc != MC_OK) {
        code = out_of_memory(ctx);
    } else {
        code = output_write(ctx, &out);
    }
    cli_status_grid_release(&grid);
    mc_buf_release(&out);
    cJSON_Delete(answer);
    return code;
}

/* One learner: the summary lines and the indicator table. */
static int person_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    struct mc_buf lines;
    cJSON *status = NULL, *rows = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &status);
    if (code != CLI_EXIT_OK)
        return code;
    if (!cJSON_IsObject(status)) {
        cli_error(ctx, "the server's answer is not a learner's status");
        cJSON_Delete(status);
        return CLI_EXIT_ERROR;
    }
    mc_buf_init(&lines, STATUS_OUTPUT_MAX);
    rows = cli_status_indicator_rows(status);
    if (!rows) {
        code = out_of_memory(ctx);
        goto out;
    }
    if (ctx->format == CLI_FORMAT_TABLE) {
        if (cli_status_person_lines(status, &lines) != MC_OK ||
            mc_buf_appendc(&lines, '\n') != MC_OK) {
            code = out_of_memory(ctx);
            goto out;
        }
        code = output_write(ctx, &lines);
    }
    if (code == CLI_EXIT_OK)
        code = cli_print_items(ctx, rows, indicator_columns);
out:
    cJSON_Delete(rows);
    cJSON_Delete(status);
    mc_buf_release(&lines);
    return code;
}

/*
 * GET the status of `person_id` in `cohort` and print it.  With
 * `instead`, a failed answer is reported as that earlier answer is.
 */
static int member_status(const struct cli_ctx *ctx, const char *cohort, const char *person_id,
                         const struct cli_response *instead)
{
    struct mc_buf path;
    struct cli_response resp;
    struct mc_error err = {0};
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/cohorts", cohort, "/members", &path);
    if (code == CLI_EXIT_OK &&
        (cli_path_append(&path, person_id) != MC_OK || mc_buf_appends(&path, "/status") != MC_OK)) {
        cli_error(ctx, "the id %.64s… is too long", person_id);
        code = CLI_EXIT_USAGE;
    }
    if (code == CLI_EXIT_OK) {
        const struct cli_request req = {.method = "GET", .path = path.data};
        if (cli_http_send(ctx, &req, &resp, &err) != MC_OK) {
            cli_error(ctx, "%s", mc_error_message(&err));
            code = CLI_EXIT_ERROR;
        } else if (resp.status / 100 != 2 && instead) {
            code = cli_response_check(ctx, instead);
        } else {
            code = cli_response_check(ctx, &resp);
        }
    }
    if (code == CLI_EXIT_OK)
        code = person_print(ctx, &resp);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/*
 * The cohort's status; a caller refused it who is a learner of the cohort
 * gets their own (a learner's `mcred status COHORT` means "mine").  When
 * that is refused as well, the refusal of the cohort's status is shown.
 */
static int cohort_status(const struct cli_ctx *ctx, const char *cohort)
{
    struct mc_buf path, id;
    struct cli_response resp;
    struct mc_error err = {0};
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    mc_buf_init(&id, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/cohorts", cohort, "/status", &path);
    if (code == CLI_EXIT_OK) {
        const struct cli_request req = {.method = "GET", .path = path.data};
        if (cli_http_send(ctx, &req, &resp, &err) != MC_OK) {
            cli_error(ctx, "%s", mc_error_message(&err));
            code = CLI_EXIT_ERROR;
        }
    }
    if (code == CLI_EXIT_OK && resp.status == 403) {
        code = cli_my_id(ctx, &id);
        if (code == CLI_EXIT_OK)
            code = member_status(ctx, cohort, id.data, &resp);
    } else if (code == CLI_EXIT_OK) {
        code = cli_response_check(ctx, &resp);
        if (code == CLI_EXIT_OK)
            code = cohort_print(ctx, &resp);
    }
    cli_response_release(&resp);
    mc_buf_release(&id);
    mc_buf_release(&path);
    return code;
}

int cmd_status(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *person[1] = {NULL};
    struct cli_rest rest = {.name = "PERSON", .min = 0, .max = 1, .v = person};
    const char *args[1];
    struct mc_buf id;
    int code = cli_args_parse_rest(ctx, "status", argc, argv, NULL, names, args, &rest);

    if (code != CLI_EXIT_OK)
        return code;
    if (rest.n == 0)
        return cohort_status(ctx, args[0]);
    mc_buf_init(&id, MC_MAX_URL);
    code = cli_cohort_person_id_for(ctx, args[0], person[0], "see the status of", &id);
    if (code == CLI_EXIT_OK)
        code = member_status(ctx, args[0], id.data, NULL);
    mc_buf_release(&id);
    return code;
}
