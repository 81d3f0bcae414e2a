/*
 * cmd_cohort.c — `mcred cohort`: create, list, show, update and close
 * cohorts (/v1/cohorts, docs/api.md "Cohorts").
 *
 * A cohort runs one published version of a credential; `create` takes it
 * by id, SLUG@VERSION or SLUG (its newest published version, looked up
 * through credential.h).  Dates, numbers and statuses are checked here so
 * that a typo is a usage error; time zones and the rules between fields
 * (ends after starts, capacity above the learners enrolled) are the
 * server's.  Every verb that changes a cohort prints it back.
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

#include "mcred/validate.h"

#include "mcred/banned.h"

static const char *const statuses[] = {"planned", "active", "closed", NULL};
/* what update --status takes: a status set by hand, or auto (back to the dates) */
static const char *const set_statuses[] = {"planned", "active", "closed", "auto", NULL};

static const struct cli_column cohort_fields[] = {
    {.key = "id", .header = "Id", .keep = true},
    {.key = "name", .header = "Name"},
    {.key = "slug", .header = "Slug", .keep = true},
    {.key = "status", .header = "Status"},
    {.key = "status_source", .header = "Status from"},
    {.key = "closes_on", .header = "Closes"},
    {.key = "credential.slug", .header = "Credential", .keep = true},
    {.key = "credential.version", .header = "Version"},
    {.key = "credential.title", .header = "Title"},
    {.key = "starts_on", .header = "Starts"},
    {.key = "ends_on", .header = "Ends"},
    {.key = "timezone", .header = "Timezone"},
    {.key = "capacity", .header = "Capacity"},
    {.key = "min_learners", .header = "Min learners"},
    {.key = "learners", .header = "Learners"},
    {.key = "waitlisted", .header = "Waitlisted"},
    {.key = "coaches", .header = "Coaches"},
    {.key = "credential.id", .header = "Credential id", .keep = true},
    {.key = "created_at", .header = "Created"},
    {.key = "updated_at", .header = "Updated"},
    {.key = NULL},
};

/* A table's columns: rows made by cli_cohort_rows() to fit a terminal. */
static const struct cli_column cohort_columns[] = {
    {.key = "name", .header = "NAME"},           {.key = "slug", .header = "SLUG", .keep = true},
    {.key = "status", .header = "STATUS"},       {.key = "starts_on", .header = "STARTS"},
    {.key = "ends_on", .header = "ENDS"},        {.key = "credential", .header = "CREDENTIAL"},
    {.key = "learners", .header = "LEARNERS"},   {.key = "waitlisted", .header = "WAITLIST"},
    {.key = "id", .header = "ID", .keep = true}, {.key = NULL},
};

/* CSV's columns: the answer's fields, whole. */
static const struct cli_column cohort_csv_columns[] = {
    {.key = "id", .header = "ID"},
    {.key = "name", .header = "NAME"},
    {.key = "slug", .header = "SLUG"},
    {.key = "status", .header = "STATUS"},
    {.key = "starts_on", .header = "STARTS"},
    {.key = "ends_on", .header = "ENDS"},
    {.key = "timezone", .header = "TIMEZONE"},
    {.key = "credential.id", .header = "CREDENTIAL ID"},
    {.key = "credential.slug", .header = "CREDENTIAL"},
    {.key = "credential.version", .header = "VERSION"},
    {.key = "capacity", .header = "CAPACITY"},
    {.key = "min_learners", .header = "MIN LEARNERS"},
    {.key = "learners", .header = "LEARNERS"},
    {.key = "waitlisted", .header = "WAITLISTED"},
    {.key = "coaches", .header = "COACHES"},
    {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/*
 * After a refusal, say which option resolves it when one does: a time
 * zone change on a cohort with sessions, or dates that leave sessions out.
 */
static void cohort_hint(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    if (resp->status != 409)
        return;
    cJSON *j = cJSON_ParseWithLength(resp->body.data, resp->body.len);
    const char *field =
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "error"), "field"));
    if (field && strcmp(field, "sessions") == 0)
        cli_error(ctx, "add --keep-local-times (the sessions keep their local times) or "
                       "--keep-instants (they keep their instants)");
    else if (field && (strcmp(field, "starts_on") == 0 || strcmp(field, "ends_on") == 0))
        cli_error(ctx, "add --force to change the dates anyway");
    cJSON_Delete(j);
}

/* Send `body` and print the cohort that comes back. */
static int cohort_send(const struct cli_ctx *ctx, const char *method, const char *path,
                       const cJSON *body)
{
    struct cli_response resp;
    char *text = cJSON_PrintUnformatted(body);
    int code;

    if (!text)
        return out_of_memory(ctx);
    cli_response_init(&resp);
    code = cli_http_request(ctx, method, path, text, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_print_object(ctx, &resp, cohort_fields);
    else
        cohort_hint(ctx, &resp);
    cli_response_release(&resp);
    free(text);
    return code;
}

/* The options that create and update share. */
struct cohort_opts {
    const char *name, *slug, *starts, *ends, *timezone, *capacity, *min_learners, *status;
    /* update only */
    const char *closes_on; /* a date, or "none" */
    bool keep_local_times, keep_instants, force;
};

/*
 * Check the options and put those given into `body`.  A date that is not
 * YYYY-MM-DD, a number out of range or an unknown status is a usage error.
 */
static int cohort_body(const struct cli_ctx *ctx, const char *what, const struct cohort_opts *o,
                       cJSON *body)
{
    const struct {
        const char *opt, *key, *value;
    } dates[] = {{"--starts", "starts_on", o->starts}, {"--ends", "ends_on", o->ends}};
    const struct {
        const char *opt, *key, *value;
    } numbers[] = {{"--capacity", "capacity", o->capacity},
                   {"--min-learners", "min_learners", o->min_learners}};

    for (size_t i = 0; i < 2; i++) {
        if (dates[i].value && !cli_date_valid(dates[i].value))
            return cli_usage_error(ctx, what, "%s must be a date, YYYY-MM-DD, not '%.32s'",
                                   dates[i].opt, dates[i].value);
    }
    if (o->starts && o->ends && strcmp(o->ends, o->starts) < 0)
        return cli_usage_error(ctx, what, "--ends %s is before --starts %s", o->ends, o->starts);
    if (o->slug && (!mc_slug_valid(o->slug) || mc_uuid_valid(o->slug)))
        return cli_usage_error(ctx, what,
                               "--slug must be lower-case letters, digits and '-' (e.g. "
                               "spring-2027), not '%.64s'",
                               o->slug);
    if (o->status && !cli_word_in(o->status, set_statuses))
        return cli_usage_error(ctx, what, "--status must be planned, active, closed or auto");
    if (o->closes_on && strcmp(o->closes_on, "none") != 0 && !cli_date_valid(o->closes_on))
        return cli_usage_error(ctx, what, "--closes-on must be a date, YYYY-MM-DD, or none");
    if (o->keep_local_times && o->keep_instants)
        return cli_usage_error(ctx, what, "give --keep-local-times or --keep-instants, not both");
    if ((o->keep_local_times || o->keep_instants) && !o->timezone)
        return cli_usage_error(ctx, what,
                               "--keep-local-times and --keep-instants go with --timezone");
    if ((o->closes_on && strcmp(o->closes_on, "none") == 0 &&
         !cJSON_AddNullToObject(body, "closes_on")) ||
        (o->closes_on && strcmp(o->closes_on, "none") != 0 &&
         !cJSON_AddStringToObject(body, "closes_on", o->closes_on)) ||
        (o->keep_local_times && !cJSON_AddStringToObject(body, "sessions", "keep_local_time")) ||
        (o->keep_instants && !cJSON_AddStringToObject(body, "sessions", "keep_instant")) ||
        (o->force && !cJSON_AddTrueToObject(body, "force")))
        return out_of_memory(ctx);
    if ((o->name && !cJSON_AddStringToObject(body, "name", o->name)) ||
        (o->slug && !cJSON_AddStringToObject(body, "slug", o->slug)) ||
        (o->timezone && !cJSON_AddStringToObject(body, "timezone", o->timezone)) ||
        (o->status && !cJSON_AddStringToObject(body, "status", o->status)))
        return out_of_memory(ctx);
    for (size_t i = 0; i < 2; i++) {
        if (dates[i].value && !cJSON_AddStringToObject(body, dates[i].key, dates[i].value))
            return out_of_memory(ctx);
    }
    for (size_t i = 0; i < 2; i++) {
        long n = 0;

        if (!numbers[i].value)
            continue;
        if (!cli_number_parse(numbers[i].value, 1, CLI_COHORT_MAX_CAPACITY, &n))
            return cli_usage_error(ctx, what, "%s must be a number from 1 to %d", numbers[i].opt,
                                   CLI_COHORT_MAX_CAPACITY);
        if (!cJSON_AddNumberToObject(body, numbers[i].key, (double)n))
            return out_of_memory(ctx);
    }
    return CLI_EXIT_OK;
}

/* ---- create --------------------------------------------------------------- */

static int cohort_create(const struct cli_ctx *ctx, int argc, char **argv)
{
    const char *credential = NULL;
    struct cohort_opts o = {0};
    const struct cli_option options[] = {
        {.name = "credential", .value = &credential},
        {.name = "name", .value = &o.name},
        {.name = "slug", .value = &o.slug},
        {.name = "starts", .value = &o.starts},
        {.name = "ends", .value = &o.ends},
        {.name = "timezone", .value = &o.timezone},
        {.name = "capacity", .value = &o.capacity},
        {.name = "min-learners", .value = &o.min_learners},
        {.name = NULL},
    };
    const struct {
        const char *opt;
        const char *const *value;
    } required[] = {{"--credential", &credential},
                    {"--name", &o.name},
                    {"--starts", &o.starts},
                    {"--ends", &o.ends},
                    {"--timezone", &o.timezone}};
    struct mc_buf id;
    cJSON *body = NULL;
    int code = cli_args_parse(ctx, "cohort create", argc, argv, options, NULL, NULL);

    if (code != CLI_EXIT_OK)
        return code;
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        if (!*required[i].value)
            return cli_usage_error(ctx, "cohort create", "%s is required", required[i].opt);
    }
    mc_buf_init(&id, MC_MAX_URL);
    body = cJSON_CreateObject();
    if (!body) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cohort_body(ctx, "cohort create", &o, body);
    if (code == CLI_EXIT_OK)
        code = cli_credential_id(ctx, "cohort create", credential, CLI_CREDENTIAL_PUBLISHED, &id);
    if (code != CLI_EXIT_OK)
        goto out;
    if (!cJSON_AddStringToObject(body, "credential", id.data)) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cohort_send(ctx, "POST", "/v1/cohorts", body);
out:
    cJSON_Delete(body);
    mc_buf_release(&id);
    return code;
}

/* ---- list ----------------------------------------------------------------- */

/* A list {"items", "next"}: --json as it is, CSV whole, a table made to fit. */
static int cohorts_print(const struct cli_ctx *ctx, const cJSON *list)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
    cJSON *rows;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_print_object(ctx, list, cohort_columns);
    if (ctx->format == CLI_FORMAT_CSV)
        return cli_print_items(ctx, items, cohort_csv_columns);
    rows = cli_cohort_rows(items);
    code = rows ? cli_print_items(ctx, rows, cohort_columns) : out_of_memory(ctx);
    cJSON_Delete(rows);
    return code;
}

static int cohort_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    const char *status = NULL, *limit = NULL;
    bool all = false;
    const struct cli_option options[] = {
        {.name = "status", .value = &status},
        {.name = "limit", .value = &limit},
        {.name = "all", .flag = &all},
        {.name = NULL},
    };
    struct mc_buf path;
    enum mc_err rc;
    int code = cli_args_parse(ctx, "cohort list", argc, argv, options, NULL, NULL);

    if (code != CLI_EXIT_OK)
        return code;
    if (status && !cli_word_in(status, statuses))
        return cli_usage_error(ctx, "cohort list", "--status must be planned, active or closed");
    code = cli_pages_limit_check(ctx, "cohort list", limit);
    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    rc = mc_buf_appends(&path, "/v1/cohorts");
    if (rc == MC_OK && status)
        rc = cli_query_add(&path, "status", status);
    if (rc == MC_OK && limit)
        rc = cli_query_add(&path, "limit", limit);
    if (rc != MC_OK) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_pages_list(ctx, path.data, all, cohorts_print, "cohorts");
out:
    mc_buf_release(&path);
    return code;
}

/* ---- show ----------------------------------------------------------------- */

static int cohort_show(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *args[1];
    struct mc_buf path;
    struct cli_response resp;
    int code = cli_args_parse(ctx, "cohort show", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], NULL, &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "GET", path.data, NULL, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_print_object(ctx, &resp, cohort_fields);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- update and close ------------------------------------------------------ */

/* PATCH the cohort `id` with `body` and print it. */
static int cohort_patch(const struct cli_ctx *ctx, const char *id, const cJSON *body)
{
    struct mc_buf path;
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/cohorts", id, NULL, &path);
    if (code == CLI_EXIT_OK)
        code = cohort_send(ctx, "PATCH", path.data, body);
    mc_buf_release(&path);
    return code;
}

static int cohort_update(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    struct cohort_opts o = {0};
    const struct cli_option options[] = {
        {.name = "name", .value = &o.name},
        {.name = "slug", .value = &o.slug},
        {.name = "starts", .value = &o.starts},
        {.name = "ends", .value = &o.ends},
        {.name = "timezone", .value = &o.timezone},
        {.name = "capacity", .value = &o.capacity},
        {.name = "min-learners", .value = &o.min_learners},
        {.name = "status", .value = &o.status},
        {.name = "closes-on", .value = &o.closes_on},
        {.name = "keep-local-times", .flag = &o.keep_local_times},
        {.name = "keep-instants", .flag = &o.keep_instants},
        {.name = "force", .flag = &o.force},
        {.name = NULL},
    };
    const char *args[1];
    cJSON *body = NULL;
    int code = cli_args_parse(ctx, "cohort update", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (!o.name && !o.slug && !o.starts && !o.ends && !o.timezone && !o.capacity &&
        !o.min_learners && !o.status && !o.closes_on)
        return cli_usage_error(ctx, "cohort update",
                               "nothing to change; give --name, --slug, --starts, --ends, "
                               "--timezone, --capacity, --min-learners, --status or --closes-on");
    body = cJSON_CreateObject();
    code = body ? cohort_body(ctx, "cohort update", &o, body) : out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cohort_patch(ctx, args[0], body);
    cJSON_Delete(body);
    return code;
}

static int cohort_close(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *args[1];
    cJSON *body = NULL;
    int code = cli_args_parse(ctx, "cohort close", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    body = cJSON_CreateObject();
    if (!body || !cJSON_AddStringToObject(body, "status", "closed"))
        code = out_of_memory(ctx);
    else
        code = cohort_patch(ctx, args[0], body);
    cJSON_Delete(body);
    return code;
}

/* ---- the verbs ------------------------------------------------------------ */

const struct cli_verb cohort_verbs[] = {
    {
        .name = "create",
        .fn = cohort_create,
        .summary = "create a cohort on a published credential",
        .usage = "usage: mcred cohort create --credential CREDENTIAL --name NAME [--slug SLUG]\n"
                 "                           --starts YYYY-MM-DD --ends YYYY-MM-DD --timezone TZ\n"
                 "                           [--capacity N] [--min-learners N]\n"
                 "\n"
                 "Create a cohort (POST /v1/cohorts) and show it; it starts 'planned'.\n"
                 "\n"
                 "  --credential CREDENTIAL  its id, SLUG@VERSION, or a SLUG alone for the\n"
                 "                           newest published version\n"
                 "  --name NAME              e.g. \"Fall 2026\"; unique names can stand for\n"
                 "                           the cohort wherever COHORT is asked for\n"
                 "  --slug SLUG              a short name for commands, e.g. fall-2026:\n"
                 "                           lower-case letters, digits and '-', unique in\n"
                 "                           the organisation (default: made from the name)\n"
                 "  --starts, --ends DATE    the first and last day, YYYY-MM-DD\n"
                 "  --timezone TZ            an IANA time zone, e.g. America/Chicago; sessions\n"
                 "                           are scheduled on this clock\n"
                 "  --capacity N             learners enrolled at most, 1 to 500 (default 18);\n"
                 "                           more are waitlisted\n"
                 "  --min-learners N         the size it is planned for (default 12)\n",
    },
    {
        .name = "list",
        .fn = cohort_list,
        .summary = "list cohorts, newest start first",
        .usage = "usage: mcred cohort list [--status STATUS] [--limit N] [--all]\n"
                 "\n"
                 "List cohorts, newest start first (GET /v1/cohorts): NAME, SLUG, STATUS,\n"
                 "STARTS, ENDS, CREDENTIAL (slug@version), LEARNERS (enrolled/capacity),\n"
                 "WAITLIST and ID.  --csv has every field in a column of its own.\n"
                 "Other commands take the SLUG or NAME wherever they ask for a cohort.\n"
                 "Coaches and learners see the cohorts they are enrolled in.\n"
                 "\n"
                 "  --status STATUS    planned, active or closed\n"
                 "  --limit N          cohorts per page, 1 to 500 (default 50)\n"
                 "  --all              every page, not only the first\n",
    },
    {
        .name = "show",
        .fn = cohort_show,
        .summary = "show a cohort",
        .usage = "usage: mcred cohort show COHORT\n"
                 "\n"
                 "Show the cohort (GET /v1/cohorts/COHORT): its slug, credential, dates,\n"
                 "time zone, status, capacity and how many learners, waitlisted learners\n"
                 "and coaches it has.  Exits 3 when no cohort is named so.\n",
    },
    {
        .name = "update",
        .fn = cohort_update,
        .summary = "change a cohort's name, dates, time zone, size or status",
        .usage = "usage: mcred cohort update COHORT [--name NAME] [--slug SLUG]\n"
                 "                           [--starts YYYY-MM-DD] [--ends YYYY-MM-DD]\n"
                 "                           [--timezone TZ] [--capacity N]\n"
                 "                           [--min-learners N] [--status STATUS]\n"
                 "                           [--closes-on YYYY-MM-DD|none]\n"
                 "                           [--keep-local-times | --keep-instants] [--force]\n"
                 "\n"
                 "Change what the options give (PATCH /v1/cohorts/COHORT) and show the\n"
                 "cohort.  A new --slug must be free in the organisation; renaming keeps\n"
                 "the slug.\n"
                 "Raising --capacity enrols waitlisted learners; lowering it below the\n"
                 "learners enrolled is refused.\n"
                 "\n"
                 "A cohort's status follows its dates: planned before --starts, active from\n"
                 "it (or from its first session), closed from --closes-on if one is set\n"
                 "(never at --ends: coaches score after the last session).  --status sets\n"
                 "it by hand, forward only (planned -> active -> closed; a closed cohort\n"
                 "may be reopened as active); --status auto gives it back to the dates.\n"
                 "A closed cohort refuses every other change.\n"
                 "\n"
                 "  --timezone TZ       for a cohort with sessions, say what happens to them:\n"
                 "  --keep-local-times  17:00 stays 17:00 on the new clock (the instants move)\n"
                 "  --keep-instants     the instants stay (the local times change)\n"
                 "  --starts, --ends    refused when sessions would fall outside, unless\n"
                 "  --force             is given\n"
                 "  --closes-on DATE    close the cohort on that date; none clears it\n",
    },
    {
        .name = "close",
        .fn = cohort_close,
        .summary = "close a cohort",
        .usage = "usage: mcred cohort close COHORT\n"
                 "\n"
                 "Close the cohort by hand (PATCH /v1/cohorts/COHORT, status closed) and show\n"
                 "it.  A closed cohort refuses every change: enrolment, sessions,\n"
                 "attendance, scores.  'mcred cohort update COHORT --status active' reopens\n"
                 "it.\n",
    },
    {.name = NULL},
};
