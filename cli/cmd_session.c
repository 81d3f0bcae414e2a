/*
 * cmd_session.c — `mcred session`: schedule a cohort's weekly series or
 * one session, and list them (/v1/cohorts/{id}/sessions, docs/api.md
 * "Sessions").
 *
 * Times are typed as the cohort's local clock reads them
 * (2026-09-08T17:00, no zone): the server places them in the cohort's
 * time zone, so a weekly 17:00 stays 17:00 across daylight-saving
 * changes.  Tables show both the local start and the UTC instant.
 */
#include <stdio.h>
#include <stdlib.h>
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

static const char *const modalities[] = {"hyflex", "in_person", "online", NULL};
static const char *const kinds[] = {"weekly", "coaching", NULL};

static const struct cli_column session_columns[] = {
    {.key = "week", .header = "WEEK"},
    {.key = "kind", .header = "KIND"},
    {.key = "local_start", .header = "LOCAL START", .keep = true},
    {.key = "timezone", .header = "TIMEZONE"},
    {.key = "starts_at", .header = "STARTS AT (UTC)"},
    {.key = "modality", .header = "MODALITY"},
    {.key = "duration_minutes", .header = "MINUTES"},
    {.key = "id", .header = "ID", .keep = true},
    {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/*
 * Check what spec holds of the options (the start as given by `start_opt`,
 * modality, duration) and parse the duration; usage errors name `what`.
 */
static int spec_check(const struct cli_ctx *ctx, const char *what, const char *start_opt,
                      const char *duration, struct cli_session_spec *spec)
{
    if (!spec->start)
        return cli_usage_error(ctx, what, "%s is required", start_opt);
    if (!cli_local_time_valid(spec->start))
        return cli_usage_error(ctx, what,
                               "%s must be a local date and time, YYYY-MM-DDTHH:MM, not '%.32s'",
                               start_opt, spec->start);
    if (spec->modality && !cli_word_in(spec->modality, modalities))
        return cli_usage_error(ctx, what, "--modality must be hyflex, in_person or online");
    if (duration && !cli_number_parse(duration, CLI_SESSION_MIN_MINUTES, CLI_SESSION_MAX_MINUTES,
                                      &spec->duration))
        return cli_usage_error(ctx, what, "--duration must be minutes, %d to %d",
                               CLI_SESSION_MIN_MINUTES, CLI_SESSION_MAX_MINUTES);
    return CLI_EXIT_OK;
}

/* POST the sessions of `spec` to the cohort and print those made. */
static int sessions_create(const struct cli_ctx *ctx, const char *cohort,
                           const struct cli_session_spec *spec)
{
    struct mc_buf path;
    struct cli_response resp;
    cJSON *body = cli_session_body(spec);
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    int code;

    cJSON_Delete(body);
    if (!text)
        return out_of_memory(ctx);
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/cohorts", cohort, "/sessions", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "POST", path.data, text, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_print_items(ctx, &resp, session_columns);
    cli_response_release(&resp);
    mc_buf_release(&path);
    free(text);
    return code;
}

/* ---- schedule ------------------------------------------------------------- */

static int session_schedule(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    struct cli_session_spec spec = {0};
    const char *count = NULL, *duration = NULL;
    const struct cli_option options[] = {
        {.name = "first", .value = &spec.start},
        {.name = "count", .value = &count},
        {.name = "modality", .value = &spec.modality},
        {.name = "duration", .value = &duration},
        {.name = NULL},
    };
    const char *args[1];
    int code = cli_args_parse(ctx, "session schedule", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    code = spec_check(ctx, "session schedule", "--first", duration, &spec);
    if (code != CLI_EXIT_OK)
        return code;
    if (!count)
        return cli_usage_error(ctx, "session schedule", "--count is required");
    if (!cli_number_parse(count, 1, CLI_MAX_WEEKS, &spec.count))
        return cli_usage_error(ctx, "session schedule", "--count must be a number from 1 to %d",
                               CLI_MAX_WEEKS);
    return sessions_create(ctx, args[0], &spec);
}

/* ---- add ------------------------------------------------------------------ */

static int session_add(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    struct cli_session_spec spec = {0};
    const char *duration = NULL;
    const struct cli_option options[] = {
        {.name = "at", .value = &spec.start},
        {.name = "kind", .value = &spec.kind},
        {.name = "learner", .value = &spec.learner},
        {.name = "modality", .value = &spec.modality},
        {.name = "duration", .value = &duration},
        {.name = "title", .value = &spec.title},
        {.name = NULL},
    };
    const char *args[1];
    int code = cli_args_parse(ctx, "session add", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    code = spec_check(ctx, "session add", "--at", duration, &spec);
    if (code != CLI_EXIT_OK)
        return code;
    if (spec.kind && !cli_word_in(spec.kind, kinds))
        return cli_usage_error(ctx, "session add", "--kind must be weekly or coaching");
    if (spec.learner && spec.kind && strcmp(spec.kind, "coaching") != 0)
        return cli_usage_error(ctx, "session add", "only a coaching session has a --learner");
    if (spec.learner && !spec.kind)
        spec.kind = "coaching";
    return sessions_create(ctx, args[0], &spec);
}

/* ---- list ----------------------------------------------------------------- */

static int session_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *args[1];
    struct mc_buf path;
    cJSON *list = NULL;
    int code = cli_args_parse(ctx, "session list", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/sessions", &path);
    if (code == CLI_EXIT_OK && cli_query_add(&path, "limit", "500") != MC_OK)
        code = out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cli_pages_get(ctx, path.data, true, &list);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_JSON)
        code = cli_print_object(ctx, list, session_columns);
    else if (code == CLI_EXIT_OK)
        code =
            cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(list, "items"), session_columns);
    cJSON_Delete(list);
    mc_buf_release(&path);
    return code;
}

/* ---- the verbs ------------------------------------------------------------ */

const struct cli_verb session_verbs[] = {
    {
        .name = "schedule",
        .fn = session_schedule,
        .summary = "schedule a weekly series of sessions",
        .usage = "usage: mcred session schedule COHORT --first YYYY-MM-DDTHH:MM --count N\n"
                 "                              [--modality MODALITY] [--duration MINUTES]\n"
                 "\n"
                 "Schedule N weekly sessions, one week apart (POST /v1/cohorts/ID/sessions),\n"
                 "and list them.  Weeks are numbered on from the cohort's weekly sessions.\n"
                 "\n"
                 "  --first TIME         the first session's start on the cohort's clock,\n"
                 "                       e.g. 2026-09-08T17:00; later ones keep the local\n"
                 "                       time across daylight-saving changes\n"
                 "  --count N            sessions, 1 to 52\n"
                 "  --modality MODALITY  hyflex (the default), in_person or online\n"
                 "  --duration MINUTES   5 to 600 (default 90)\n",
    },
    {
        .name = "add",
        .fn = session_add,
        .summary = "add one session",
        .usage = "usage: mcred session add COHORT --at YYYY-MM-DDTHH:MM [--kind weekly|coaching]\n"
                 "                         [--learner PERSON] [--modality MODALITY]\n"
                 "                         [--duration MINUTES] [--title TITLE]\n"
                 "\n"
                 "Add one session (POST /v1/cohorts/ID/sessions) and show it.\n"
                 "\n"
                 "  --at TIME            its start on the cohort's clock, e.g. 2026-09-15T17:00\n"
                 "  --kind KIND          weekly (the default; numbered as the next week) or\n"
                 "                       coaching\n"
                 "  --learner PERSON     a coaching session's learner, by e-mail or id;\n"
                 "                       implies --kind coaching\n"
                 "  --modality MODALITY  hyflex (the default), in_person or online\n"
                 "  --duration MINUTES   5 to 600 (default 90)\n"
                 "  --title TITLE        default \"Week N\" or \"Coaching\"\n",
    },
    {
        .name = "list",
        .fn = session_list,
        .summary = "list a cohort's sessions",
        .usage = "usage: mcred session list COHORT\n"
                 "\n"
                 "List the cohort's sessions by start (GET /v1/cohorts/ID/sessions): WEEK,\n"
                 "KIND, LOCAL START (the cohort's clock), TIMEZONE, STARTS AT (UTC),\n"
                 "MODALITY, MINUTES and ID (for 'mcred attendance'); --json has titles\n"
                 "and coaching sessions' learners too.  A learner sees the weekly\n"
                 "sessions and their own coaching sessions.\n",
    },
    {.name = NULL},
};
