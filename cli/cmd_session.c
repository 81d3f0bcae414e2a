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
    {.key = "status", .header = "STATUS", .keep = true},
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

/* After a refusal for falling outside the cohort's dates, name the option that forces it. */
static void force_hint(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    if (resp->status != 422)
        return;
    cJSON *j = cJSON_ParseWithLength(resp->body.data, resp->body.len);
    const char *message =
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "error"), "message"));
    if (message && strstr(message, "outside the cohort's dates"))
        cli_error(ctx, "add --force if that is meant (e.g. a make-up session)");
    cJSON_Delete(j);
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
    else
        force_hint(ctx, &resp);
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
        {.name = "first", .value = &spec.start},       {.name = "count", .value = &count},
        {.name = "modality", .value = &spec.modality}, {.name = "duration", .value = &duration},
        {.name = "force", .flag = &spec.force},        {.name = NULL},
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
        {.name = "at", .value = &spec.start},        {.name = "kind", .value = &spec.kind},
        {.name = "learner", .value = &spec.learner}, {.name = "modality", .value = &spec.modality},
        {.name = "duration", .value = &duration},    {.name = "title", .value = &spec.title},
        {.name = "force", .flag = &spec.force},      {.name = NULL},
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

/* ---- move, cancel, restore, held, delete ----------------------------------- */

static const struct cli_column session_fields[] = {
    {.key = "title", .header = "Title"},
    {.key = "week", .header = "Week"},
    {.key = "kind", .header = "Kind"},
    {.key = "status", .header = "Status"},
    {.key = "local_start", .header = "Local start"},
    {.key = "timezone", .header = "Timezone"},
    {.key = "starts_at", .header = "Starts at (UTC)"},
    {.key = "duration_minutes", .header = "Minutes"},
    {.key = "modality", .header = "Modality"},
    {.key = "cancel_reason", .header = "Cancelled because"},
    {.key = "id", .header = "ID"},
    {.key = NULL},
};

/* Send `method` to /v1/sessions/SESSION[suffix] with body (may be NULL) and print the session. */
static int session_send(const struct cli_ctx *ctx, const char *method, const char *session,
                        const char *suffix, const cJSON *body)
{
    struct mc_buf path;
    struct cli_response resp;
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    int code;

    if (body && !text)
        return out_of_memory(ctx);
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/sessions", session, suffix, &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, method, path.data, text, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_print_object(ctx, &resp, session_fields);
    else
        force_hint(ctx, &resp);
    cli_response_release(&resp);
    mc_buf_release(&path);
    free(text);
    return code;
}

static int session_move(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"SESSION", NULL};
    struct cli_session_spec spec = {0};
    const char *duration = NULL;
    bool held = false;
    const struct cli_option options[] = {
        {.name = "at", .value = &spec.start},
        {.name = "duration", .value = &duration},
        {.name = "modality", .value = &spec.modality},
        {.name = "title", .value = &spec.title},
        {.name = "held", .flag = &held},
        {.name = "force", .flag = &spec.force},
        {.name = NULL},
    };
    const char *args[1];
    int code = cli_args_parse(ctx, "session move", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (!spec.start && !duration && !spec.modality && !spec.title && !held)
        return cli_usage_error(ctx, "session move",
                               "nothing to change; give --at, --duration, --modality, --title "
                               "or --held");
    if (spec.start && !cli_local_time_valid(spec.start))
        return cli_usage_error(ctx, "session move",
                               "--at must be a local date and time, YYYY-MM-DDTHH:MM, not '%.32s'",
                               spec.start);
    if (spec.modality && !cli_word_in(spec.modality, modalities))
        return cli_usage_error(ctx, "session move",
                               "--modality must be hyflex, in_person or online");
    if (duration && !cli_number_parse(duration, CLI_SESSION_MIN_MINUTES, CLI_SESSION_MAX_MINUTES,
                                      &spec.duration))
        return cli_usage_error(ctx, "session move", "--duration must be minutes, %d to %d",
                               CLI_SESSION_MIN_MINUTES, CLI_SESSION_MAX_MINUTES);
    cJSON *body = cJSON_CreateObject();
    bool ok =
        body && (!spec.start || cJSON_AddStringToObject(body, "local_start", spec.start)) &&
        (!duration || cJSON_AddNumberToObject(body, "duration_minutes", (double)spec.duration)) &&
        (!spec.modality || cJSON_AddStringToObject(body, "modality", spec.modality)) &&
        (!spec.title || cJSON_AddStringToObject(body, "title", spec.title)) &&
        (!held || cJSON_AddTrueToObject(body, "held")) &&
        (!spec.force || cJSON_AddTrueToObject(body, "force"));
    code = ok ? session_send(ctx, "PATCH", args[0], NULL, body) : out_of_memory(ctx);
    cJSON_Delete(body);
    return code;
}

static int session_cancel(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"SESSION", NULL};
    const char *reason = NULL;
    const struct cli_option options[] = {
        {.name = "reason", .value = &reason},
        {.name = NULL},
    };
    const char *args[1];
    int code = cli_args_parse(ctx, "session cancel", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    cJSON *body = cJSON_CreateObject();
    if (!body || (reason && !cJSON_AddStringToObject(body, "reason", reason)))
        code = out_of_memory(ctx);
    else
        code = session_send(ctx, "POST", args[0], "/cancel", body);
    cJSON_Delete(body);
    return code;
}

/* restore and held: a POST without a body. */
static int session_post(const struct cli_ctx *ctx, const char *what, const char *suffix, int argc,
                        char **argv)
{
    static const char *const names[] = {"SESSION", NULL};
    const char *args[1];
    int code = cli_args_parse(ctx, what, argc, argv, NULL, names, args);

    return code == CLI_EXIT_OK ? session_send(ctx, "POST", args[0], suffix, NULL) : code;
}

static int session_restore(const struct cli_ctx *ctx, int argc, char **argv)
{
    return session_post(ctx, "session restore", "/restore", argc, argv);
}

static int session_held(const struct cli_ctx *ctx, int argc, char **argv)
{
    return session_post(ctx, "session held", "/held", argc, argv);
}

static int session_delete(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"SESSION", NULL};
    static const struct cli_column deleted_fields[] = {
        {.key = "id", .header = "Id"},
        {.key = "deleted", .header = "Deleted"},
        {.key = NULL},
    };
    const char *args[1];
    struct mc_buf path;
    struct cli_response resp;
    int code = cli_args_parse(ctx, "session delete", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/sessions", args[0], NULL, &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "DELETE", path.data, NULL, NULL, &resp);
    if (code == CLI_EXIT_OK) {
        if (ctx->format == CLI_FORMAT_TABLE) {
            (void)fprintf(ctx->out, "deleted session %s\n", args[0]);
        } else {
            /* 204 has no body: scripts get a record of what was done. */
            cJSON *record = cJSON_CreateObject();
            if (!record || !cJSON_AddStringToObject(record, "id", args[0]) ||
                !cJSON_AddBoolToObject(record, "deleted", true))
                code = out_of_memory(ctx);
            else
                code = cli_print_object(ctx, record, deleted_fields);
            cJSON_Delete(record);
        }
    }
    cli_response_release(&resp);
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
                 "  --duration MINUTES   5 to 600 (default 90)\n"
                 "  --force              schedule even sessions outside the cohort's dates\n"
                 "\n"
                 "Nothing is scheduled when a session would fall on one already scheduled\n"
                 "(same kind, same start; e.g. the same series run twice), nor when one\n"
                 "falls outside the cohort's starts..ends dates, unless --force.\n",
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
                 "  --title TITLE        default \"Week N\" or \"Coaching\"\n"
                 "  --force              add it even outside the cohort's dates\n"
                 "\n"
                 "A session at the start of one already scheduled (same kind and, for\n"
                 "coaching, learner) is refused; so is one outside the cohort's dates,\n"
                 "unless --force.\n",
    },
    {
        .name = "list",
        .fn = session_list,
        .summary = "list a cohort's sessions",
        .usage = "usage: mcred session list COHORT\n"
                 "\n"
                 "List the cohort's sessions by start (GET /v1/cohorts/ID/sessions): WEEK,\n"
                 "KIND, LOCAL START (the cohort's clock), STATUS (scheduled, held -- started\n"
                 "or marked held -- or cancelled), TIMEZONE, STARTS AT (UTC),\n"
                 "MODALITY, MINUTES and ID (for 'mcred attendance'); --json has titles\n"
                 "and coaching sessions' learners too.  A learner sees the weekly\n"
                 "sessions and their own coaching sessions.\n",
    },
    {
        .name = "move",
        .fn = session_move,
        .summary = "move or change one session",
        .usage = "usage: mcred session move SESSION [--at YYYY-MM-DDTHH:MM] [--duration MINUTES]\n"
                 "                          [--modality MODALITY] [--title TITLE] [--held]\n"
                 "                          [--force]\n"
                 "\n"
                 "Change a session (PATCH /v1/sessions/ID) and show it.  SESSION is its id\n"
                 "(from 'mcred session list').\n"
                 "\n"
                 "  --at TIME            its new start on the cohort's clock\n"
                 "  --duration MINUTES   5 to 600\n"
                 "  --modality MODALITY  hyflex, in_person or online\n"
                 "  --title TITLE        its new title\n"
                 "  --held               mark it held: attendance may be recorded before its\n"
                 "                       start time\n"
                 "  --force              move it even outside the cohort's dates\n"
                 "\n"
                 "Refused when another session of the same kind starts then, or (without\n"
                 "--force) when the new start is outside the cohort's dates.  A cancelled\n"
                 "session must be restored first.\n",
    },
    {
        .name = "cancel",
        .fn = session_cancel,
        .summary = "cancel one session, keeping it",
        .usage = "usage: mcred session cancel SESSION [--reason TEXT]\n"
                 "\n"
                 "Cancel a session (POST /v1/sessions/ID/cancel): it stays in the list as\n"
                 "cancelled, is not counted as held in credential status, and takes no\n"
                 "attendance.  'mcred session restore' undoes it.\n"
                 "\n"
                 "  --reason TEXT  why, shown with the session\n",
    },
    {
        .name = "restore",
        .fn = session_restore,
        .summary = "undo a session's cancellation",
        .usage = "usage: mcred session restore SESSION\n"
                 "\n"
                 "Restore a cancelled session (POST /v1/sessions/ID/restore); refused if\n"
                 "another session of the same kind has been scheduled at its time since.\n",
    },
    {
        .name = "held",
        .fn = session_held,
        .summary = "mark a session held",
        .usage = "usage: mcred session held SESSION\n"
                 "\n"
                 "Mark a session held (POST /v1/sessions/ID/held), so that attendance can\n"
                 "be recorded before its start time (e.g. a session run early).\n",
    },
    {
        .name = "delete",
        .fn = session_delete,
        .summary = "delete a session nothing hangs on",
        .usage = "usage: mcred session delete SESSION\n"
                 "\n"
                 "Delete a session scheduled by mistake (DELETE /v1/sessions/ID).  Refused\n"
                 "once attendance is recorded for it: cancel it instead.  Later weekly\n"
                 "sessions move up a week (delete week 6 of 6, schedule one more: week 6).\n"
                 "Prints 'deleted session ID'; with --json, the record {id, deleted}.\n",
    },
    {.name = NULL},
};
