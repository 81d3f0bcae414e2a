/*
 * cmd_member.c — `mcred member`: enrol people in a cohort one by one or
 * from a roster, list the members, withdraw them and assign coaches
 * (/v1/cohorts/{id}/members, docs/api.md "Members").
 *
 * People are named by e-mail or id.  In request bodies the server
 * resolves either; in paths (withdraw, coach) it takes an id, so e-mails
 * are looked up first (person.h).  Every verb shows members the same way:
 * EMAIL, NAME, ROLE, STATUS, COACH and WAITLIST, e-mails kept whole.
 * `import` is `mcred people import` for a cohort: the roster creates or
 * updates the people and enrols them, all or nothing (upload.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/json.h"
#include "mcred/limits.h"

#include "args.h"
#include "cohort_input.h"
#include "cohort_person.h"
#include "commands.h"
#include "http.h"
#include "output.h"
#include "pages.h"
#include "person.h"
#include "query.h"
#include "roster_report.h"
#include "upload.h"

#include "mcred/banned.h"

/* A roster is read whole before it is sent; no server takes more than this. */
#define ROSTER_MAX_BYTES MC_MAX_BODY_CEILING

static const char *const roles[] = {"learner", "coach", NULL};

static const struct cli_column member_columns[] = {
    {.key = "person.email", .header = "EMAIL", .keep = true},
    {.key = "person.name", .header = "NAME"},
    {.key = "role", .header = "ROLE"},
    {.key = "status", .header = "STATUS"},
    {.key = "coach.email", .header = "COACH", .keep = true},
    {.key = "waitlist_position", .header = "WAITLIST"},
    {.key = NULL},
};

static const struct cli_column import_fields[] = {
    {.key = "dry_run", .header = "Dry run"},
    {.key = "rows", .header = "Rows"},
    {.key = "people_created", .header = "People created"},
    {.key = "people_updated", .header = "People updated"},
    {.key = "enrolled", .header = "Enrolled"},
    {.key = "waitlisted", .header = "Waitlisted"},
    {.key = "unchanged", .header = "Already in the cohort"},
    {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/* Print one member (an answer's object) as a one-row table; --json as it came. */
static int member_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    cJSON *member = NULL, *rows = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &member);
    if (code != CLI_EXIT_OK)
        return code;
    rows = cJSON_CreateArray();
    if (!rows || !cJSON_AddItemReferenceToArray(rows, member))
        code = out_of_memory(ctx);
    else
        code = cli_print_items(ctx, rows, member_columns);
    cJSON_Delete(rows);
    cJSON_Delete(member);
    return code;
}

/*
 * "/v1/cohorts/<cohort>/members/<person id>", the person named by e-mail or id among the
 * cohort's members (cohort_person.h): a refused lookup is reported as a refusal to `what`.
 */
static int member_path(const struct cli_ctx *ctx, const char *cohort, const char *person,
                       const char *what, struct mc_buf *out)
{
    struct mc_buf id;
    int code;

    mc_buf_init(&id, MC_MAX_URL);
    code = cli_cohort_person_id_for(ctx, cohort, person, what, &id);
    if (code == CLI_EXIT_OK)
        code = cli_resource_path(ctx, "/v1/cohorts", cohort, "/members", out);
    if (code == CLI_EXIT_OK && cli_path_append(out, id.data) != MC_OK) {
        cli_error(ctx, "the id %.64s… is too long", id.data);
        code = CLI_EXIT_USAGE;
    }
    mc_buf_release(&id);
    return code;
}

/* ---- add ------------------------------------------------------------------ */

static int member_add(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *role = NULL, *coach = NULL;
    const struct cli_option options[] = {
        {.name = "role", .value = &role},
        {.name = "coach", .value = &coach},
        {.name = NULL},
    };
    const char *people[CLI_MAX_ENROL];
    struct cli_rest rest = {.name = "PERSON", .min = 1, .max = CLI_MAX_ENROL, .v = people};
    const char *args[1];
    struct mc_buf path;
    struct cli_response resp;
    cJSON *body = NULL, *answer = NULL;
    char *text = NULL;
    int code = cli_args_parse_rest(ctx, "member add", argc, argv, options, names, args, &rest);

    if (code != CLI_EXIT_OK)
        return code;
    if (role && !cli_word_in(role, roles))
        return cli_usage_error(ctx, "member add", "--role must be learner or coach");
    if (coach && role && strcmp(role, "coach") == 0)
        return cli_usage_error(ctx, "member add", "a coach has no coach; leave out --coach");
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    body = cli_members_body(people, rest.n, role, coach);
    text = body ? cJSON_PrintUnformatted(body) : NULL;
    if (!text) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/members", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "POST", path.data, text, NULL, &resp);
    if (code != CLI_EXIT_OK)
        goto out;
    if (ctx->format == CLI_FORMAT_JSON) {
        code = cli_response_print_json(ctx, &resp);
        goto out;
    }
    code = cli_response_json(ctx, &resp, &answer);
    if (code == CLI_EXIT_OK)
        code = cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(answer, "members"),
                               member_columns);
out:
    cJSON_Delete(answer);
    cJSON_Delete(body);
    free(text);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- import --------------------------------------------------------------- */

static int import_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    struct mc_buf line;
    cJSON *result = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &result);
    if (code != CLI_EXIT_OK)
        return code;
    if (ctx->format == CLI_FORMAT_CSV) {
        code = cli_print_object(ctx, result, import_fields);
    } else {
        mc_buf_init(&line, 512);
        if (cli_roster_member_summary(result, &line) == MC_OK)
            (void)fprintf(ctx->out, "%s\n", line.data);
        else
            code = out_of_memory(ctx);
        mc_buf_release(&line);
    }
    cJSON_Delete(result);
    return code;
}

static int member_import(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", "ROSTER", NULL};
    bool dry_run = false;
    const struct cli_option options[] = {
        {.name = "dry-run", .flag = &dry_run},
        {.name = NULL},
    };
    const char *args[2];
    struct mc_buf roster, path;
    struct cli_response resp;
    int code = cli_args_parse(ctx, "member import", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&roster, ROSTER_MAX_BYTES);
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/members/import", &path);
    if (code == CLI_EXIT_OK && dry_run && cli_query_add(&path, "dry_run", "true") != MC_OK)
        code = out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cli_csv_file_read(ctx, args[1], &roster);
    if (code == CLI_EXIT_OK)
        code = cli_upload(ctx, "POST", path.data, "text/csv", roster.data, roster.len, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_import_check(ctx, &resp);
    if (code == CLI_EXIT_OK)
        code = import_print(ctx, &resp);
    cli_response_release(&resp);
    mc_buf_release(&path);
    mc_buf_release(&roster);
    return code;
}

/* ---- list ----------------------------------------------------------------- */

static int member_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    static const char *const statuses[] = {"enrolled", "waitlisted", "withdrawn", "completed",
                                           NULL};
    const char *status = NULL, *role = NULL;
    const struct cli_option options[] = {
        {.name = "status", .value = &status},
        {.name = "role", .value = &role},
        {.name = NULL},
    };
    const char *args[1];
    struct mc_buf path;
    cJSON *list = NULL;
    enum mc_err rc = MC_OK;
    int code = cli_args_parse(ctx, "member list", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (status && !cli_word_in(status, statuses))
        return cli_usage_error(ctx, "member list",
                               "--status must be enrolled, waitlisted, withdrawn or completed");
    if (role && !cli_word_in(role, roles))
        return cli_usage_error(ctx, "member list", "--role must be learner or coach");
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/members", &path);
    if (code != CLI_EXIT_OK)
        goto out;
    if (status)
        rc = cli_query_add(&path, "status", status);
    if (rc == MC_OK && role)
        rc = cli_query_add(&path, "role", role);
    if (rc == MC_OK)
        rc = cli_query_add(&path, "limit", "500");
    if (rc != MC_OK) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_pages_get(ctx, path.data, true, &list);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_JSON)
        code = cli_print_object(ctx, list, member_columns);
    else if (code == CLI_EXIT_OK)
        code =
            cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(list, "items"), member_columns);
out:
    cJSON_Delete(list);
    mc_buf_release(&path);
    return code;
}

/* ---- withdraw ------------------------------------------------------------- */

/* The "field" of an error answer, copied into out ("" when none). */
static void error_field(const struct cli_response *resp, char *out, size_t size)
{
    struct mc_error perr;
    cJSON *root = NULL;
    const char *field = NULL;

    out[0] = '\0';
    mc_error_clear(&perr);
    if (mc_json_parse(resp->body.data, resp->body.len, &root, &perr) != MC_OK)
        return;
    field = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "error"), "field"));
    if (field)
        (void)snprintf(out, size, "%s", field);
    cJSON_Delete(root);
}

/* "moved 2 learners to carla@x.example: ana@x.example, bo@x.example" after a coach's withdrawal. */
static void moved_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    struct mc_error perr;
    cJSON *root = NULL;
    const cJSON *moved, *learner;
    const char *to;
    int n;

    mc_error_clear(&perr);
    if (ctx->format == CLI_FORMAT_JSON ||
        mc_json_parse(resp->body.data, resp->body.len, &root, &perr) != MC_OK)
        return;
    moved = cJSON_GetObjectItemCaseSensitive(root, "learners_moved");
    to = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "learners_coach"));
    n = cJSON_GetArraySize(moved);
    if (n > 0) {
        if (to)
            (void)fprintf(ctx->out, "moved %d learner%s to %s:", n, n == 1 ? "" : "s", to);
        else
            (void)fprintf(ctx->out, "released %d learner%s, now without a coach:", n,
                          n == 1 ? "" : "s");
        cJSON_ArrayForEach(learner, moved)
        {
            const char *email =
                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(learner, "email"));
            (void)fprintf(ctx->out, " %s%s", email ? email : "?", learner->next ? "," : "");
        }
        (void)fputc('\n', ctx->out);
    }
    cJSON_Delete(root);
}

static int member_withdraw(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", "PERSON", NULL};
    const char *reassign_to = NULL;
    bool release = false;
    const struct cli_option options[] = {
        {.name = "reassign-to", .value = &reassign_to},
        {.name = "release-learners", .flag = &release},
        {.name = NULL},
    };
    const char *args[2];
    struct mc_buf path;
    struct cli_response resp;
    char field[64];
    enum mc_err rc = MC_OK;
    int code = cli_args_parse(ctx, "member withdraw", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (reassign_to && release)
        return cli_usage_error(ctx, "member withdraw",
                               "give --reassign-to COACH or --release-learners, not both");
    if (reassign_to && !*reassign_to)
        return cli_usage_error(ctx, "member withdraw", "--reassign-to needs a coach");
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = member_path(ctx, args[0], args[1], "withdraw", &path);
    if (code == CLI_EXIT_OK && reassign_to)
        rc = cli_query_add(&path, "reassign_to", reassign_to); /* the server takes an e-mail */
    if (code == CLI_EXIT_OK && release)
        rc = cli_query_add(&path, "release", "true");
    if (rc != MC_OK)
        code = out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "DELETE", path.data, NULL, NULL, &resp);
    if (code == CLI_EXIT_OK) {
        code = member_print(ctx, &resp);
        moved_print(ctx, &resp);
    } else if (resp.status == 409) {
        error_field(&resp, field, sizeof field);
        if (strcmp(field, "reassign_to") == 0)
            cli_error(ctx, "hint: add --reassign-to COACH (another coach of the cohort) or "
                           "--release-learners");
    }
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- coach ---------------------------------------------------------------- */

static int member_coach(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", "LEARNER", NULL};
    bool none = false;
    const struct cli_option options[] = {
        {.name = "none", .flag = &none},
        {.name = NULL},
    };
    const char *coach[1] = {NULL};
    struct cli_rest rest = {.name = "COACH", .min = 0, .max = 1, .v = coach};
    const char *args[2];
    struct mc_buf path;
    struct cli_response resp;
    cJSON *body = NULL;
    char *text = NULL;
    int code = cli_args_parse_rest(ctx, "member coach", argc, argv, options, names, args, &rest);

    if (code != CLI_EXIT_OK)
        return code;
    if (rest.n == 0 && !none)
        return cli_usage_error(ctx, "member coach", "missing argument COACH (or --none)");
    if (rest.n == 1 && none)
        return cli_usage_error(ctx, "member coach", "give COACH or --none, not both");
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    body = cJSON_CreateObject();
    if (!body ||
        !(none ? cJSON_AddNullToObject(body, "coach")
               : cJSON_AddStringToObject(body, "coach", coach[0])) ||
        !(text = cJSON_PrintUnformatted(body))) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = member_path(ctx, args[0], args[1], "assign a coach to", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "PATCH", path.data, text, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = member_print(ctx, &resp);
out:
    free(text);
    cJSON_Delete(body);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- the verbs ------------------------------------------------------------ */

const struct cli_verb member_verbs[] = {
    {
        .name = "add",
        .fn = member_add,
        .summary = "enrol people in a cohort",
        .usage = "usage: mcred member add COHORT PERSON... [--role learner|coach]\n"
                 "                        [--coach PERSON]\n"
                 "\n"
                 "Enrol people of the organisation, named by e-mail or id, in the cohort\n"
                 "(POST /v1/cohorts/ID/members), all in one request: all or none are\n"
                 "enrolled.  Learners past the cohort's capacity are waitlisted.  Someone\n"
                 "already enrolled or waitlisted is refused (exit 1).  Add new people\n"
                 "with 'mcred people add' first, or use 'mcred member import'.\n"
                 "\n"
                 "  --role ROLE        learner (the default) or coach, for everyone given\n"
                 "  --coach PERSON     the learners' coach, by e-mail or id: a coach of the\n"
                 "                     cohort\n"
                 "\n"
                 "Prints the members enrolled: EMAIL, NAME, ROLE, STATUS, COACH and\n"
                 "WAITLIST (the place on the waitlist).\n",
    },
    {
        .name = "import",
        .fn = member_import,
        .summary = "create, update and enrol people from a CSV roster",
        .usage = "usage: mcred member import COHORT ROSTER.csv [--dry-run]\n"
                 "\n"
                 "Send a roster (RFC 4180 CSV; '-' reads standard input) to\n"
                 "POST /v1/cohorts/ID/members/import.  Columns: email and name (required),\n"
                 "role (learner, the default, or coach), coach (a learner's coach's e-mail:\n"
                 "a coach in the file or of the cohort) and any other column as a person\n"
                 "attribute.  Missing people are created, existing ones updated, and\n"
                 "everyone is enrolled; members already in the cohort keep their place\n"
                 "and only get their coach updated.  Every row is checked first: with any\n"
                 "error nothing is written, each bad row is listed on stderr as\n"
                 "'row 4, email: ...' and the exit status is 1.\n"
                 "\n"
                 "  --dry-run          check the roster and count what would change, but\n"
                 "                     write nothing\n"
                 "\n"
                 "Prints 'imported 17 rows: 16 people created, 1 updated; 17 enrolled,\n"
                 "0 waitlisted, 0 already in the cohort'.  On a terminal, shows the\n"
                 "upload's progress on stderr.  --json prints the server's answer (also\n"
                 "for a roster with errors).\n",
    },
    {
        .name = "list",
        .fn = member_list,
        .summary = "list a cohort's members",
        .usage = "usage: mcred member list COHORT [--status STATUS] [--role ROLE]\n"
                 "\n"
                 "List every member of the cohort (GET /v1/cohorts/ID/members): learners\n"
                 "first (enrolled, then the waitlist in order, then withdrawn), then\n"
                 "coaches.  Columns: EMAIL, NAME, ROLE, STATUS, COACH and WAITLIST.\n"
                 "\n"
                 "  --status STATUS    enrolled, waitlisted, withdrawn or completed\n"
                 "  --role ROLE        learner or coach\n",
    },
    {
        .name = "withdraw",
        .fn = member_withdraw,
        .summary = "withdraw a member from a cohort",
        .usage = "usage: mcred member withdraw COHORT PERSON\n"
                 "                             [--reassign-to COACH | --release-learners]\n"
                 "\n"
                 "Withdraw a member, named by e-mail or id (DELETE\n"
                 "/v1/cohorts/ID/members/PERSON), and show them, now withdrawn.  Their\n"
                 "records stay.  The first waitlisted learner moves up.  Exit 3 when\n"
                 "they are not a member, 1 when already withdrawn.\n"
                 "\n"
                 "A coach who still has learners is withdrawn only when you say where\n"
                 "their learners go; without an option the coach is refused (exit 1),\n"
                 "naming the learners, and nothing changes.\n"
                 "\n"
                 "  --reassign-to COACH  move the coach's learners to COACH, another\n"
                 "                       enrolled coach of the cohort (e-mail or id)\n"
                 "  --release-learners   leave the coach's learners without a coach\n"
                 "                       ('mcred member coach' assigns one later)\n"
                 "\n"
                 "Each learner moved is recorded in the audit trail, and listed after\n"
                 "the coach as 'moved 2 learners to COACH: ...'.\n",
    },
    {
        .name = "coach",
        .fn = member_coach,
        .summary = "assign or remove a learner's coach",
        .usage = "usage: mcred member coach COHORT LEARNER COACH\n"
                 "       mcred member coach COHORT LEARNER --none\n"
                 "\n"
                 "Make COACH (a coach of the cohort) the coach of LEARNER, or with --none\n"
                 "remove the learner's coach (PATCH /v1/cohorts/ID/members/LEARNER), and\n"
                 "show the learner.  Both are named by e-mail or id.\n",
    },
    {.name = NULL},
};
