/*
 * cmd_report.c — `mcred report COHORT|--org [--by ATTR] [--csv]`: a
 * cohort's report (GET /v1/reports/cohorts/{id}) or the organisation's
 * (GET /v1/reports/orgs/current), docs/api.md "Reports".
 *
 * The server computes every figure and suppresses small groups; this file
 * only shows the tables: one after another with a title each, or (--csv)
 * the server's own CSV as it came, or (--json) the server's JSON.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mcred/limits.h"

#include "args.h"
#include "cohort_input.h"
#include "commands.h"
#include "http.h"
#include "output.h"
#include "query.h"
#include "report_input.h"

#include "mcred/banned.h"

const char cmd_report_usage[] =
    "usage: mcred report COHORT [--by ATTRIBUTE] [--csv]\n"
    "       mcred report --org [--by ATTRIBUTE] [--csv]\n"
    "\n"
    "Show a cohort's report (GET /v1/reports/cohorts/COHORT; coordinators,\n"
    "admins and leaders): learners by status, each standard and indicator met\n"
    "and the spread of levels, weekly attendance by session and mode, problems\n"
    "of practice by state, and days from enrolment to eligibility.\n"
    "\n"
    "--org shows the organisation's report instead (GET /v1/reports/orgs/current):\n"
    "every cohort with its learners by status, then the same tables over all\n"
    "cohorts, attendance by week of the cohort and mode.\n"
    "\n"
    "--by ATTRIBUTE disaggregates every table by a person attribute (school,\n"
    "position, region ...): each row names its GROUP. Groups smaller than the\n"
    "server's MCRED_MIN_GROUP (and one more where needed to protect them) are\n"
    "suppressed: their figures are left out and SUPPRESSED says true.\n"
    "\n"
    "--csv prints the server's CSV: the tables one after another, each a\n"
    "record naming it, a header and its rows, then a blank line. --json\n"
    "prints the server's answer as it came.\n";

static const struct cli_column cohorts_columns[] = {
    {.key = "name", .header = "COHORT"},
    {.key = "status", .header = "STATUS"},
    {.key = "starts_on", .header = "STARTS_ON"},
    {.key = "group", .header = "GROUP"},
    {.key = "total", .header = "TOTAL"},
    {.key = "not_started", .header = "NOT_STARTED"},
    {.key = "in_progress", .header = "IN_PROGRESS"},
    {.key = "eligible", .header = "ELIGIBLE"},
    {.key = "awarded", .header = "AWARDED"},
    {.key = "revoked", .header = "REVOKED"},
    {.key = "suppressed", .header = "SUPPRESSED"},
    {.key = NULL},
};
static const struct cli_column learners_columns[] = {
    {.key = "group", .header = "GROUP"},
    {.key = "total", .header = "TOTAL"},
    {.key = "not_started", .header = "NOT_STARTED"},
    {.key = "in_progress", .header = "IN_PROGRESS"},
    {.key = "eligible", .header = "ELIGIBLE"},
    {.key = "awarded", .header = "AWARDED"},
    {.key = "revoked", .header = "REVOKED"},
    {.key = "suppressed", .header = "SUPPRESSED"},
    {.key = NULL},
};
static const struct cli_column standards_columns[] = {
    {.key = "standard", .header = "STANDARD"},     {.key = "group", .header = "GROUP"},
    {.key = "learners", .header = "LEARNERS"},     {.key = "at_or_above", .header = "AT_OR_ABOVE"},
    {.key = "suppressed", .header = "SUPPRESSED"}, {.key = NULL},
};
static const struct cli_column indicators_columns[] = {
    {.key = "indicator", .header = "INDICATOR"},   {.key = "group", .header = "GROUP"},
    {.key = "learners", .header = "LEARNERS"},     {.key = "at_or_above", .header = "AT_OR_ABOVE"},
    {.key = "not_scored", .header = "NOT_SCORED"}, {.key = "levels", .header = "LEVELS"},
    {.key = "suppressed", .header = "SUPPRESSED"}, {.key = NULL},
};
static const struct cli_column attendance_columns[] = {
    {.key = "week", .header = "WEEK"},
    {.key = "group", .header = "GROUP"},
    {.key = "in_person", .header = "IN_PERSON"},
    {.key = "online", .header = "ONLINE"},
    {.key = "asynchronous", .header = "ASYNCHRONOUS"},
    {.key = "excused", .header = "EXCUSED"},
    {.key = "absent", .header = "ABSENT"},
    {.key = "suppressed", .header = "SUPPRESSED"},
    {.key = NULL},
};
/* The organisation's: standards named with their credential, attendance per week. */
static const struct cli_column org_standards_columns[] = {
    {.key = "credential", .header = "CREDENTIAL"},
    {.key = "standard", .header = "STANDARD"},
    {.key = "group", .header = "GROUP"},
    {.key = "learners", .header = "LEARNERS"},
    {.key = "at_or_above", .header = "AT_OR_ABOVE"},
    {.key = "suppressed", .header = "SUPPRESSED"},
    {.key = NULL},
};
static const struct cli_column org_indicators_columns[] = {
    {.key = "credential", .header = "CREDENTIAL"},
    {.key = "indicator", .header = "INDICATOR"},
    {.key = "group", .header = "GROUP"},
    {.key = "learners", .header = "LEARNERS"},
    {.key = "at_or_above", .header = "AT_OR_ABOVE"},
    {.key = "not_scored", .header = "NOT_SCORED"},
    {.key = "levels", .header = "LEVELS"},
    {.key = "suppressed", .header = "SUPPRESSED"},
    {.key = NULL},
};
static const struct cli_column org_attendance_columns[] = {
    {.key = "week", .header = "WEEK"},
    {.key = "group", .header = "GROUP"},
    {.key = "sessions", .header = "SESSIONS"},
    {.key = "learners", .header = "EXPECTED"},
    {.key = "in_person", .header = "IN_PERSON"},
    {.key = "online", .header = "ONLINE"},
    {.key = "asynchronous", .header = "ASYNCHRONOUS"},
    {.key = "excused", .header = "EXCUSED"},
    {.key = "absent", .header = "ABSENT"},
    {.key = "suppressed", .header = "SUPPRESSED"},
    {.key = NULL},
};
static const struct cli_column problems_columns[] = {
    {.key = "group", .header = "GROUP"},
    {.key = "none", .header = "NONE"},
    {.key = "draft", .header = "DRAFT"},
    {.key = "submitted", .header = "SUBMITTED"},
    {.key = "needs_revision", .header = "NEEDS_REVISION"},
    {.key = "approved", .header = "APPROVED"},
    {.key = "suppressed", .header = "SUPPRESSED"},
    {.key = NULL},
};
static const struct cli_column time_columns[] = {
    {.key = "group", .header = "GROUP"},
    {.key = "learners", .header = "LEARNERS"},
    {.key = "median_days", .header = "MEDIAN_DAYS"},
    {.key = "max_days", .header = "MAX_DAYS"},
    {.key = "suppressed", .header = "SUPPRESSED"},
    {.key = NULL},
};

struct report_view {
    const char *table, *title;
    const struct cli_column *columns;
};

static const struct report_view cohort_views[] = {
    {"learners", "Learners by status", learners_columns},
    {"standards", "Standards: learners at or above the rule's level", standards_columns},
    {"indicators", "Indicators: at or above, levels (LEVEL:COUNT)", indicators_columns},
    {"attendance", "Weekly attendance by mode", attendance_columns},
    {"problems", "Problems of practice by state", problems_columns},
    {"time_to_eligibility", "Days from enrolment to eligibility", time_columns},
};

static const struct report_view org_views[] = {
    {"cohorts", "Cohorts: learners by status", cohorts_columns},
    {"learners", "Learners by status, all cohorts", learners_columns},
    {"standards", "Standards: learners at or above the rule's level", org_standards_columns},
    {"indicators", "Indicators: at or above, levels (LEVEL:COUNT)", org_indicators_columns},
    {"attendance", "Attendance by week of the cohort and mode", org_attendance_columns},
    {"problems", "Problems of practice by state", problems_columns},
    {"time_to_eligibility", "Days from enrolment to eligibility", time_columns},
};

/* An indicator row's levels as "1:2 2:0 …" rather than JSON; false when out of memory. */
static bool levels_flatten(cJSON *row)
{
    cJSON *levels = cJSON_GetObjectItemCaseSensitive(row, "levels");
    if (!cJSON_IsArray(levels))
        return true;
    char text[512] = "";
    size_t used = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, levels)
    {
        const cJSON *lv = cJSON_GetObjectItemCaseSensitive(l, "level");
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(l, "count");
        int w =
            snprintf(text + used, sizeof text - used, "%s%d:%d", used ? " " : "",
                     cJSON_IsNumber(lv) ? lv->valueint : 0, cJSON_IsNumber(n) ? n->valueint : 0);
        if (w < 0 || (size_t)w >= sizeof text - used)
            break;
        used += (size_t)w;
    }
    cJSON *s = cJSON_CreateString(text);
    if (!s || !cJSON_ReplaceItemInObjectCaseSensitive(row, "levels", s)) {
        cJSON_Delete(s);
        return false;
    }
    return true;
}

/* The tables one after another, each with its title; the organisation's has "cohorts". */
static int report_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    cJSON *report = NULL;
    int code = cli_response_json(ctx, resp, &report);
    bool org = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(report, "cohorts"));
    const struct report_view *views = org ? org_views : cohort_views;
    size_t nviews =
        org ? sizeof org_views / sizeof org_views[0] : sizeof cohort_views / sizeof cohort_views[0];
    for (size_t t = 0; code == CLI_EXIT_OK && t < nviews; t++) {
        cJSON *items = cJSON_GetObjectItemCaseSensitive(report, views[t].table);
        cJSON *row;
        cJSON_ArrayForEach(row, items)
        {
            if (!levels_flatten(row)) {
                cli_error(ctx, "out of memory");
                code = CLI_EXIT_ERROR;
                break;
            }
        }
        if (code != CLI_EXIT_OK)
            break;
        fprintf(ctx->out, "%s%s\n", t ? "\n" : "", views[t].title);
        code = cli_print_items(ctx, items, views[t].columns);
    }
    cJSON_Delete(report);
    return code;
}

int cmd_report(const struct cli_ctx *ctx, int argc, char **argv)
{
    const char *by = NULL;
    bool csv = false, org = false;
    const struct cli_option options[] = {
        {.name = "by", .value = &by},
        {.name = "csv", .flag = &csv},
        {.name = "org", .flag = &org},
        {.name = NULL},
    };
    /* COHORT is optional: --org stands for it */
    const char *cohort[1] = {NULL};
    struct cli_rest rest = {.name = "COHORT", .min = 0, .max = 1, .v = cohort};
    int code = cli_args_parse_rest(ctx, "report", argc, argv, options, NULL, NULL, &rest);
    if (code != CLI_EXIT_OK)
        return code;
    const char *target = report_target_error(rest.n ? cohort[0] : NULL, org);
    if (target)
        return cli_usage_error(ctx, "report", "%s", target);
    if (by && !by[0])
        return cli_usage_error(ctx, "report", "--by needs an attribute's name");
    csv = csv || ctx->format == CLI_FORMAT_CSV;

    struct mc_buf path;
    struct cli_response resp;
    struct mc_error err = {0};
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    /* cli_resource_path says itself when a cohort's name is too long */
    bool too_long = false;
    if (org)
        too_long = report_org_path(&path, by) != MC_OK;
    else if ((code = cli_resource_path(ctx, "/v1/reports/cohorts", cohort[0], "", &path)) ==
             CLI_EXIT_OK)
        too_long = by && cli_query_add(&path, "by", by) != MC_OK;
    if (too_long) {
        cli_error(ctx, "the attribute %.64s… is too long", by ? by : "");
        code = CLI_EXIT_USAGE;
    }
    if (code == CLI_EXIT_OK) {
        const struct cli_request req = {
            .method = "GET", .path = path.data, .accept = csv ? "text/csv" : NULL};
        if (cli_http_send(ctx, &req, &resp, &err) != MC_OK) {
            cli_error(ctx, "%s", mc_error_message(&err));
            code = CLI_EXIT_ERROR;
        } else {
            code = cli_response_check(ctx, &resp);
        }
    }
    if (code == CLI_EXIT_OK) {
        if (csv)
            code = fwrite(resp.body.data, 1, resp.body.len, ctx->out) == resp.body.len
                       ? CLI_EXIT_OK
                       : CLI_EXIT_ERROR;
        else if (ctx->format == CLI_FORMAT_JSON)
            code = cli_response_print_json(ctx, &resp);
        else
            code = report_print(ctx, &resp);
    }
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}
