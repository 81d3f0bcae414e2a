/*
 * cmd_problem.c — `mcred problem`: a learner's problem of practice, from
 * the first draft through review (/v1/cohorts/{id}/problems and
 * /v1/problems/{id}, docs/api.md "Problems of practice").
 *
 * A learner has one problem per cohort, so `submit` is both "create" and
 * "edit": it looks for the learner's problem first and then POSTs a new
 * one or PATCHes the one there.  The learner is --learner (for a
 * coordinator or coach), or the caller (GET /v1/me) when a learner runs
 * it with their own token.  Lists are filtered by learner here, not by
 * the server: a cohort has a few dozen problems at most.
 *
 * A problem is mostly prose, so `show` prints its short fields as a
 * table and then each text as a wrapped paragraph; cutting a statement
 * to the terminal's width, as tables do, would hide what it says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/limits.h"

#include "args.h"
#include "cohort_input.h"
#include "cohort_person.h"
#include "commands.h"
#include "coursework_input.h"
#include "http.h"
#include "output.h"
#include "pages.h"
#include "query.h"
#include "text.h"

#include "mcred/banned.h"

/* Paragraphs are wrapped to the terminal, but no wider than this: long lines read badly. */
#define PARAGRAPH_WIDTH 100
/* The largest problem shown: its texts, at most 4000 bytes each, and some. */
#define PROBLEM_TEXT_MAX (256 * 1024)

/* The short fields, as a field/value table. */
static const struct cli_column problem_fields[] = {
    {.key = "id", .header = "Id", .keep = true},
    {.key = "learner.email", .header = "Learner", .keep = true},
    {.key = "status", .header = "Status"},
    {.key = "version", .header = "Version"},
    {.key = "standards", .header = "Standards"},
    {.key = "reviewed_by.email", .header = "Reviewed by", .keep = true},
    {.key = "reviewed_at", .header = "Reviewed at"},
    {.key = "updated_at", .header = "Updated at"},
    {.key = NULL},
};

/* The texts, as paragraphs under their titles, in this order. */
static const struct cli_column problem_texts[] = {
    {.key = "title", .header = "Title"},
    {.key = "statement", .header = "Statement"},
    {.key = "student_focus", .header = "Student focus"},
    {.key = "data_sources", .header = "Data sources"},
    {.key = "root_cause", .header = "Root cause"},
    {.key = "strategy", .header = "Strategy (theory of action)"},
    {.key = "feedback", .header = "Reviewer's feedback"},
    {.key = NULL},
};

/* --csv: one record with every field, whole. */
static const struct cli_column problem_csv_fields[] = {
    {.key = "id"},
    {.key = "learner.email"},
    {.key = "status"},
    {.key = "version"},
    {.key = "standards"},
    {.key = "title"},
    {.key = "statement"},
    {.key = "student_focus"},
    {.key = "data_sources"},
    {.key = "root_cause"},
    {.key = "strategy"},
    {.key = "feedback"},
    {.key = "reviewed_by.email"},
    {.key = "reviewed_at"},
    {.key = "created_at"},
    {.key = "updated_at"},
    {.key = NULL},
};

static const struct cli_column problem_columns[] = {
    {.key = "learner.email", .header = "LEARNER", .keep = true},
    {.key = "title", .header = "TITLE"},
    {.key = "status", .header = "STATUS"},
    {.key = "version", .header = "VERSION"},
    {.key = "updated_at", .header = "UPDATED AT"},
    {.key = "id", .header = "ID", .keep = true},
    {.key = NULL},
};

static const struct cli_column history_columns[] = {
    {.key = "version", .header = "VERSION"},     {.key = "status", .header = "STATUS"},
    {.key = "by", .header = "BY", .keep = true}, {.key = "at", .header = "AT"},
    {.key = "feedback", .header = "FEEDBACK"},   {.key = NULL},
};

/* The texts that `submit` takes, as options and body members. */
struct problem_text {
    const char *option; /* "student-focus" */
    const char *key;    /* "student_focus" */
    size_t max;         /* bytes */
};

static const struct problem_text submit_texts[] = {
    {"title", "title", CLI_TITLE_MAX},
    {"statement", "statement", CLI_PROBLEM_TEXT_MAX},
    {"student-focus", "student_focus", CLI_PROBLEM_TEXT_MAX},
    {"data-sources", "data_sources", CLI_PROBLEM_TEXT_MAX},
    {"root-cause", "root_cause", CLI_PROBLEM_TEXT_MAX},
    {"strategy", "strategy", CLI_PROBLEM_TEXT_MAX},
};
#define NTEXTS (sizeof(submit_texts) / sizeof(submit_texts[0]))

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/* Columns for the paragraphs: the terminal's, at most PARAGRAPH_WIDTH; 0 into a pipe. */
static size_t paragraph_width(const struct cli_ctx *ctx)
{
    if (ctx->width == 0 || ctx->width >= CLI_WIDTH_UNLIMITED)
        return 0;
    return ctx->width - 1 > PARAGRAPH_WIDTH ? PARAGRAPH_WIDTH : ctx->width - 1;
}

/* Print one problem: a table of its short fields and its texts as paragraphs. */
static int problem_print(const struct cli_ctx *ctx, const cJSON *problem)
{
    struct mc_buf text;
    int code;

    if (ctx->format == CLI_FORMAT_CSV)
        return cli_print_object(ctx, problem, problem_csv_fields);
    code = cli_print_object(ctx, problem, problem_fields);
    if (code != CLI_EXIT_OK || ctx->format == CLI_FORMAT_JSON)
        return code;
    mc_buf_init(&text, PROBLEM_TEXT_MAX);
    for (const struct cli_column *t = problem_texts; t->key && code == CLI_EXIT_OK; t++) {
        const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(problem, t->key));

        if (!s || !*s)
            continue;
        mc_buf_reset(&text);
        if (mc_buf_appendf(&text, "\n%s\n", t->header) != MC_OK ||
            cli_text_wrap(&text, s, paragraph_width(ctx), 2) != MC_OK) {
            code = out_of_memory(ctx);
            break;
        }
        if (fwrite(text.data, 1, text.len, ctx->out) != text.len) {
            cli_error(ctx, "could not write output");
            code = CLI_EXIT_ERROR;
        }
    }
    mc_buf_release(&text);
    return code;
}

/* Print a problem that an answer holds; --json prints the answer as it came. */
static int problem_response_print(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    cJSON *problem = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &problem);
    if (code == CLI_EXIT_OK)
        code = problem_print(ctx, problem);
    cJSON_Delete(problem);
    return code;
}

/* "/v1/problems/<id><tail>" into out. */
static int problem_path(const struct cli_ctx *ctx, const char *id, const char *tail,
                        struct mc_buf *out)
{
    return cli_resource_path(ctx, "/v1/problems", id, tail, out);
}

/*
 * GET the cohort's problems (every page), filtered by `status` and
 * `learner` (an e-mail or id, which the server resolves) when given.
 */
static int problems_get(const struct cli_ctx *ctx, const char *cohort, const char *status,
                        const char *learner, cJSON **out_list)
{
    struct mc_buf path;
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/cohorts", cohort, "/problems", &path);
    if (code == CLI_EXIT_OK && ((status && cli_query_add(&path, "status", status) != MC_OK) ||
                                (learner && cli_query_add(&path, "learner", learner) != MC_OK) ||
                                cli_query_add(&path, "limit", "500") != MC_OK))
        code = out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cli_pages_get(ctx, path.data, true, out_list);
    mc_buf_release(&path);
    return code;
}

/*
 * Find the problem in `cohort` of the learner `who` (an e-mail or id), or
 * of the caller when who is NULL.  *out_problem (free it) is the problem,
 * or NULL when the learner has none; failures are printed.  The server
 * filters by learner (and refuses one who is not a learner of the
 * cohort); the list is matched here all the same.
 */
static int problem_find(const struct cli_ctx *ctx, const char *cohort, const char *who,
                        cJSON **out_problem)
{
    cJSON *me = NULL, *list = NULL, *items;
    cJSON *item;
    const char *my_id = NULL, *filter = who;
    int code = CLI_EXIT_OK;
    int i = 0;

    *out_problem = NULL;
    if (!who) {
        code = cli_me(ctx, &me);
        my_id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(me, "id"));
        if (code == CLI_EXIT_OK && !my_id) {
            cli_error(ctx, "the server's answer to GET /v1/me has no person id");
            code = CLI_EXIT_ERROR;
        }
        who = my_id;
    }
    if (code == CLI_EXIT_OK)
        code = problems_get(ctx, cohort, NULL, filter, &list);
    if (code != CLI_EXIT_OK)
        goto out;
    items = cJSON_GetObjectItemCaseSensitive(list, "items");
    cJSON_ArrayForEach(item, items)
    {
        if (cli_person_matches(cJSON_GetObjectItemCaseSensitive(item, "learner"), who)) {
            *out_problem = cJSON_DetachItemFromArray(items, i);
            break;
        }
        i++;
    }
out:
    cJSON_Delete(list);
    cJSON_Delete(me);
    return code;
}

/* ---- submit --------------------------------------------------------------- */

/* Add each text given to body, checking its length; a usage error otherwise. */
static int texts_add(const struct cli_ctx *ctx, const char *const *values, cJSON *body)
{
    for (size_t i = 0; i < NTEXTS; i++) {
        const struct problem_text *t = &submit_texts[i];

        if (!values[i])
            continue;
        if (strlen(values[i]) > t->max)
            return cli_usage_error(ctx, "problem submit", "--%s has at most %zu bytes", t->option,
                                   t->max);
        if (i == 0 && !*values[i])
            return cli_usage_error(ctx, "problem submit", "--title cannot be empty");
        if (!cJSON_AddStringToObject(body, t->key, values[i]))
            return out_of_memory(ctx);
    }
    return CLI_EXIT_OK;
}

static int problem_submit(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *values[NTEXTS] = {NULL};
    const char *learner = NULL, *standards = NULL;
    bool draft = false;
    const struct cli_option options[] = {
        {.name = "learner", .value = &learner},
        {.name = "title", .value = &values[0]},
        {.name = "statement", .value = &values[1]},
        {.name = "student-focus", .value = &values[2]},
        {.name = "data-sources", .value = &values[3]},
        {.name = "root-cause", .value = &values[4]},
        {.name = "strategy", .value = &values[5]},
        {.name = "standards", .value = &standards},
        {.name = "draft", .flag = &draft},
        {.name = NULL},
    };
    const char *args[1];
    char why[160];
    struct mc_buf path;
    struct cli_response resp;
    cJSON *body = NULL, *existing = NULL, *codes;
    char *text = NULL;
    const char *id;
    int code = cli_args_parse(ctx, "problem submit", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    body = cJSON_CreateObject();
    if (!body) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = texts_add(ctx, values, body);
    if (code != CLI_EXIT_OK)
        goto out;
    if (standards) {
        codes = cli_standards_parse(standards, why, sizeof(why));
        if (!codes) {
            code = why[0] ? cli_usage_error(ctx, "problem submit", "--standards: %s", why)
                          : out_of_memory(ctx);
            goto out;
        }
        if (!cJSON_AddItemToObject(body, "standards", codes)) {
            cJSON_Delete(codes);
            code = out_of_memory(ctx);
            goto out;
        }
    }
    code = problem_find(ctx, args[0], learner, &existing);
    if (code != CLI_EXIT_OK)
        goto out;
    if (existing) {
        /* Edit the learner's problem, and submit it unless --draft. */
        id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(existing, "id"));
        if (!id) {
            cli_error(ctx, "the server's answer has a problem without an id");
            code = CLI_EXIT_ERROR;
            goto out;
        }
        if (draft && cJSON_GetArraySize(body) == 0) {
            code = cli_usage_error(ctx, "problem submit",
                                   "nothing to change: give the fields to update, or leave out "
                                   "--draft to submit the problem");
            goto out;
        }
        if (!draft && !cJSON_AddStringToObject(body, "status", "submitted")) {
            code = out_of_memory(ctx);
            goto out;
        }
        code = problem_path(ctx, id, NULL, &path);
    } else {
        if (!values[0] || !values[1]) {
            code = cli_usage_error(ctx, "problem submit",
                                   "%s no problem of practice in this cohort yet; a new one "
                                   "needs --title and --statement",
                                   learner ? "the learner has" : "you have");
            goto out;
        }
        if ((learner && !cJSON_AddStringToObject(body, "learner", learner)) ||
            (!draft && !cJSON_AddTrueToObject(body, "submit"))) {
            code = out_of_memory(ctx);
            goto out;
        }
        code = cli_resource_path(ctx, "/v1/cohorts", args[0], "/problems", &path);
    }
    if (code != CLI_EXIT_OK)
        goto out;
    text = cJSON_PrintUnformatted(body);
    if (!text) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = cli_http_request(ctx, existing ? "PATCH" : "POST", path.data, text, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = problem_response_print(ctx, &resp);
out:
    free(text);
    cJSON_Delete(existing);
    cJSON_Delete(body);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- show ----------------------------------------------------------------- */

static int problem_show(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"PROBLEM", NULL};
    const char *person[1] = {NULL};
    struct cli_rest rest = {.name = "PERSON", .min = 0, .max = 1, .v = person};
    const char *args[1];
    struct mc_buf path;
    struct cli_response resp;
    cJSON *problem = NULL;
    int code = cli_args_parse_rest(ctx, "problem show", argc, argv, NULL, names, args, &rest);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    if (rest.n == 0) {
        code = problem_path(ctx, args[0], NULL, &path);
        if (code == CLI_EXIT_OK)
            code = cli_http_request(ctx, "GET", path.data, NULL, NULL, &resp);
        if (code == CLI_EXIT_OK)
            code = problem_response_print(ctx, &resp);
        goto out;
    }
    /* COHORT PERSON */
    code = problem_find(ctx, args[0], person[0], &problem);
    if (code == CLI_EXIT_OK && !problem) {
        cli_error(ctx, "%s has no problem of practice in this cohort", person[0]);
        code = CLI_EXIT_NOT_FOUND;
    }
    if (code == CLI_EXIT_OK)
        code = problem_print(ctx, problem);
out:
    cJSON_Delete(problem);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- history -------------------------------------------------------------- */

/*
 * Show each version's author by e-mail when the answer nests them as a
 * person {"id", "email", …}; a bare id stays as it is.
 */
static void history_authors_flatten(cJSON *history)
{
    cJSON *version;

    cJSON_ArrayForEach(version, history)
    {
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(version, "by");
        const char *email = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(by, "email"));
        cJSON *flat = email ? cJSON_CreateString(email) : NULL;

        if (flat && !cJSON_ReplaceItemInObjectCaseSensitive(version, "by", flat))
            cJSON_Delete(flat);
    }
}

static int problem_history(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"PROBLEM", NULL};
    const char *args[1];
    struct mc_buf path;
    struct cli_response resp;
    cJSON *problem = NULL;
    int code = cli_args_parse(ctx, "problem history", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = problem_path(ctx, args[0], NULL, &path);
    if (code == CLI_EXIT_OK && cli_query_add(&path, "history", "true") != MC_OK)
        code = out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "GET", path.data, NULL, NULL, &resp);
    if (code != CLI_EXIT_OK)
        goto out;
    if (ctx->format == CLI_FORMAT_JSON) {
        code = cli_response_print_json(ctx, &resp);
        goto out;
    }
    code = cli_response_json(ctx, &resp, &problem);
    if (code == CLI_EXIT_OK) {
        cJSON *history = cJSON_GetObjectItemCaseSensitive(problem, "history");

        history_authors_flatten(history);
        code = cli_print_items(ctx, history, history_columns);
    }
out:
    cJSON_Delete(problem);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- review --------------------------------------------------------------- */

static int problem_review(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"PROBLEM", NULL};
    bool approve = false, revise = false;
    const char *feedback = NULL;
    const struct cli_option options[] = {
        {.name = "approve", .flag = &approve},
        {.name = "revise", .flag = &revise},
        {.name = "feedback", .value = &feedback},
        {.name = NULL},
    };
    const char *args[1];
    struct mc_buf path;
    struct cli_response resp;
    cJSON *body = NULL;
    char *text = NULL;
    int code = cli_args_parse(ctx, "problem review", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (approve == revise)
        return cli_usage_error(ctx, "problem review", "give one of --approve and --revise");
    if (feedback && strlen(feedback) > CLI_PROBLEM_TEXT_MAX)
        return cli_usage_error(ctx, "problem review", "--feedback has at most %d bytes",
                               CLI_PROBLEM_TEXT_MAX);
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    body = cJSON_CreateObject();
    if (!body ||
        !cJSON_AddStringToObject(body, "decision", approve ? "approved" : "needs_revision") ||
        (feedback && !cJSON_AddStringToObject(body, "feedback", feedback)) ||
        !(text = cJSON_PrintUnformatted(body))) {
        code = out_of_memory(ctx);
        goto out;
    }
    code = problem_path(ctx, args[0], "/review", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "POST", path.data, text, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = problem_response_print(ctx, &resp);
out:
    free(text);
    cJSON_Delete(body);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- list ----------------------------------------------------------------- */

static int problem_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *status = NULL;
    const struct cli_option options[] = {
        {.name = "status", .value = &status},
        {.name = NULL},
    };
    const char *args[1];
    cJSON *list = NULL;
    int code = cli_args_parse(ctx, "problem list", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (status && !cli_word_in(status, cli_problem_statuses))
        return cli_usage_error(ctx, "problem list", "--status must be %s", CLI_PROBLEM_STATUSES);
    code = problems_get(ctx, args[0], status, NULL, &list);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_JSON)
        code = cli_print_object(ctx, list, problem_columns);
    else if (code == CLI_EXIT_OK)
        code =
            cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(list, "items"), problem_columns);
    cJSON_Delete(list);
    return code;
}

/* ---- the verbs ------------------------------------------------------------ */

const struct cli_verb problem_verbs[] = {
    {
        .name = "submit",
        .fn = problem_submit,
        .summary = "write, edit and submit a learner's problem of practice",
        .usage = "usage: mcred problem submit COHORT [--learner PERSON] [--title TEXT]\n"
                 "                            [--statement TEXT] [--student-focus TEXT]\n"
                 "                            [--data-sources TEXT] [--root-cause TEXT]\n"
                 "                            [--strategy TEXT] [--standards 1,4] [--draft]\n"
                 "\n"
                 "Write the learner's problem of practice for the cohort and submit it for\n"
                 "review.  A learner has one per cohort: when they have none yet, it is\n"
                 "created (POST /v1/cohorts/ID/problems; --title and --statement are then\n"
                 "required); when they have one, the fields given replace its own (PATCH\n"
                 "/v1/problems/ID) and the rest stay.  Every change is a new version.\n"
                 "A learner edits only while the problem is a draft or needs revision.\n"
                 "\n"
                 "  --learner PERSON      the learner, by e-mail or id (coordinators and\n"
                 "                        coaches); a learner leaves it out\n"
                 "  --title TEXT          a title, 1 to 200 bytes\n"
                 "  --statement TEXT      the problem, up to 4000 bytes, as are the others\n"
                 "  --student-focus TEXT  the student group whose outcomes it targets\n"
                 "  --data-sources TEXT   the data that show the problem\n"
                 "  --root-cause TEXT     what causes it\n"
                 "  --strategy TEXT       the strategy: the theory of action\n"
                 "  --standards LIST      the credential's standards it addresses, by code,\n"
                 "                        separated by commas ('' for none)\n"
                 "  --draft               save without submitting (status draft, or as it is)\n"
                 "\n"
                 "Shows the problem afterwards, as 'mcred problem show' does.\n",
    },
    {
        .name = "show",
        .fn = problem_show,
        .summary = "show a problem of practice",
        .usage = "usage: mcred problem show PROBLEM\n"
                 "       mcred problem show COHORT PERSON\n"
                 "\n"
                 "Show a problem of practice, by its id (GET /v1/problems/ID) or as the\n"
                 "problem of a learner (e-mail or id) in a cohort: a table of Id,\n"
                 "Learner, Status, Version, Standards, Reviewed by, Reviewed at and\n"
                 "Updated at, then each text as a paragraph under its title: Title,\n"
                 "Statement, Student focus, Data sources, Root cause, Strategy (theory of\n"
                 "action) and Reviewer's feedback.  --csv prints one record of every\n"
                 "field; --json the problem as the server sent it.  Exit 3 when the\n"
                 "learner has none.\n",
    },
    {
        .name = "history",
        .fn = problem_history,
        .summary = "list every version of a problem of practice",
        .usage = "usage: mcred problem history PROBLEM\n"
                 "\n"
                 "List every version of the problem, oldest first (GET\n"
                 "/v1/problems/ID?history=true): VERSION, STATUS, BY (who made the\n"
                 "change), AT and FEEDBACK.  --json prints the problem with its\n"
                 "\"history\", whose entries hold each version's texts too.\n",
    },
    {
        .name = "review",
        .fn = problem_review,
        .summary = "approve a submitted problem of practice or ask for revision",
        .usage = "usage: mcred problem review PROBLEM --approve [--feedback TEXT]\n"
                 "       mcred problem review PROBLEM --revise [--feedback TEXT]\n"
                 "\n"
                 "Review a submitted problem of practice (POST /v1/problems/ID/review):\n"
                 "approve it, or send it back to the learner to revise.  Exit 1 when it\n"
                 "is not submitted.  Shows the problem afterwards.\n"
                 "\n"
                 "  --approve          the decision: approved\n"
                 "  --revise           the decision: needs_revision\n"
                 "  --feedback TEXT    what the learner should read, up to 4000 bytes\n",
    },
    {
        .name = "list",
        .fn = problem_list,
        .summary = "list a cohort's problems of practice",
        .usage = "usage: mcred problem list COHORT [--status STATUS]\n"
                 "\n"
                 "List the cohort's problems of practice that you may see (GET\n"
                 "/v1/cohorts/ID/problems): LEARNER, TITLE, STATUS, VERSION, UPDATED AT\n"
                 "and ID.\n"
                 "\n"
                 "  --status STATUS    draft, submitted, approved or needs_revision\n",
    },
    {.name = NULL},
};
