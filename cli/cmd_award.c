/*
 * cmd_award.c — `mcred award` and `mcred revoke`: awarding the credential
 * as a signed Open Badges 3.0 credential, reading awards and revoking them
 * (docs/api.md "Awards").
 *
 * Awarding one learner is the common case, so it needs no verb:
 * `mcred award COHORT PERSON`; `mcred award COHORT --all-eligible` awards
 * every eligible learner in ONE request.  `list` and `show` are verbs all
 * the same, told apart by cli_award_form() (award_input.h), and one usage
 * text documents them all, as for `mcred score`.
 *
 * The server's answer to an award is the signed credential itself, which
 * --out writes byte for byte: a signature covers the document, so the file
 * is what the server signed.  A VC-JWT is fetched by the award's id, the
 * last path segment of the credential's id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/json.h"
#include "mcred/limits.h"

#include "args.h"
#include "award_input.h"
#include "cohort_input.h"
#include "commands.h"
#include "http.h"
#include "output.h"
#include "text.h"

#include "mcred/banned.h"

const char cmd_award_usage[] =
    "usage: mcred award COHORT PERSON [--out FILE] [--format json|jwt]\n"
    "       mcred award COHORT --all-eligible\n"
    "       mcred award list COHORT\n"
    "       mcred award list --mine [--out DIR]\n"
    "       mcred award show AWARD [--format json|jwt] [--out FILE]\n"
    "\n"
    "Award the cohort's credential to a learner who has earned it (POST\n"
    "/v1/cohorts/COHORT/members/PERSON/award): the server signs an Open Badges\n"
    "3.0 credential and keeps it.  PERSON is the learner's e-mail or id.  Prints\n"
    "one line, 'awarded TITLE to NAME (EMAIL): URL' ('already awarded: …' when\n"
    "the learner has one in force: awarding twice changes nothing).  A learner\n"
    "who is not eligible yet is refused, naming what is missing (exit 1).\n"
    "--json prints the signed credential.\n"
    "\n"
    "  --out FILE          write the credential to FILE, as the server sent it\n"
    "  --format json|jwt   what --out writes: the credential with its embedded\n"
    "                      proof (json, the default) or the VC-JWT (jwt)\n"
    "\n"
    "mcred award COHORT --all-eligible\n"
    "  Award every eligible learner of the cohort without an award, in one\n"
    "  request (POST /v1/cohorts/COHORT/awards).  Prints LEARNER, NAME, OUTCOME\n"
    "  (awarded, already_awarded or not_eligible), AWARD and MISSING (what a\n"
    "  learner still lacks), then the counts.  --json prints the answer.\n"
    "\n"
    "mcred award list COHORT\n"
    "  The cohort's awards, revoked ones too (GET /v1/cohorts/COHORT/awards):\n"
    "  ID, STATUS, LEARNER, NAME, CREDENTIAL, AWARDED AT, REVOKED AT, REASON.\n"
    "\n"
    "mcred award list --mine [--out DIR]\n"
    "  Your own awards (GET /v1/me/awards).  --out DIR writes each credential\n"
    "  to DIR/ID.json and its VC-JWT to DIR/ID.jwt; DIR must exist.\n"
    "\n"
    "mcred award show AWARD [--format json|jwt] [--out FILE]\n"
    "  One award as issued (GET /v1/awards/AWARD): the signed credential, or\n"
    "  with --format jwt the VC-JWT; printed, or written to FILE with --out.\n"
    "  AWARD is the award's id or its credential's URL\n"
    "  (http://…/credentials/ID).  Learners see their own.\n"
    "\n"
    "Anyone can check a credential with 'mcred verify FILE'; revoke one with\n"
    "'mcred revoke AWARD --reason TEXT'.\n";

const char cmd_revoke_usage[] =
    "usage: mcred revoke AWARD --reason TEXT\n"
    "\n"
    "Revoke an award (POST /v1/awards/AWARD/revoke): its credential is listed\n"
    "on the issuer's public revocation list from then on, with the reason, and\n"
    "'mcred verify' and other verifiers report it revoked.  AWARD is the\n"
    "award's id or its credential's URL (http://…/credentials/ID).  Revoking\n"
    "cannot be undone; an award revoked already is refused (exit 1).  Shows\n"
    "the award.\n"
    "\n"
    "  --reason TEXT   why, up to 1000 bytes (required); anyone who checks the\n"
    "                  credential can read it\n";

static const struct cli_column award_columns[] = {
    {.key = "id", .header = "ID", .keep = true},
    {.key = "status", .header = "STATUS"},
    {.key = "learner.email", .header = "LEARNER", .keep = true},
    {.key = "learner.name", .header = "NAME"},
    {.key = "credential.title", .header = "CREDENTIAL"},
    {.key = "awarded_at", .header = "AWARDED AT"},
    {.key = "revoked_at", .header = "REVOKED AT"},
    {.key = "revocation_reason", .header = "REASON"},
    {.key = NULL},
};

/* GET /v1/me/awards: "credential" is the signed document itself. */
static const struct cli_column my_award_columns[] = {
    {.key = "id", .header = "ID", .keep = true},
    {.key = "status", .header = "STATUS"},
    {.key = "credential.name", .header = "CREDENTIAL"},
    {.key = "cohort.name", .header = "COHORT"},
    {.key = "awarded_at", .header = "AWARDED AT"},
    {.key = "revoked_at", .header = "REVOKED AT"},
    {.key = "revocation_reason", .header = "REASON"},
    {.key = NULL},
};

static const struct cli_column result_columns[] = {
    {.key = "learner.email", .header = "LEARNER", .keep = true},
    {.key = "learner.name", .header = "NAME"},
    {.key = "outcome", .header = "OUTCOME"},
    {.key = "award", .header = "AWARD", .keep = true},
    {.key = "missing", .header = "MISSING"},
    {.key = NULL},
};

static const struct cli_column summary_columns[] = {
    {.key = "outcome", .header = "OUTCOME"},
    {.key = "award", .header = "AWARD", .keep = true},
    {.key = "credential", .header = "CREDENTIAL"},
    {.key = "url", .header = "URL", .keep = true},
    {.key = "learner_email", .header = "LEARNER", .keep = true},
    {.key = "learner_name", .header = "NAME"},
    {.key = NULL},
};

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

static const char *str_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* Write len bytes to the file `name` (replacing it). */
static int file_write(const struct cli_ctx *ctx, const char *name, const char *data, size_t len)
{
    FILE *f = fopen(name, "wb");
    bool ok;

    if (!f) {
        cli_error(ctx, "could not write %s", name);
        return CLI_EXIT_ERROR;
    }
    ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        cli_error(ctx, "could not write %s", name);
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

/* "/v1/awards/<id><tail>", with the query `format=jwt` for jwt. */
static int award_path(const struct cli_ctx *ctx, const char *id, const char *tail,
                      enum cli_award_format format, struct mc_buf *path)
{
    int code = cli_resource_path(ctx, "/v1/awards", id, tail, path);

    if (code == CLI_EXIT_OK && format == CLI_AWARD_JWT &&
        mc_buf_appends(path, "?format=jwt") != MC_OK)
        code = out_of_memory(ctx);
    return code;
}

/* GET one award as JSON or JWT into *resp. */
static int award_fetch(const struct cli_ctx *ctx, const char *id, enum cli_award_format format,
                       struct cli_response *resp)
{
    struct mc_buf path;
    struct mc_error err;
    struct cli_request req = {.method = "GET"};
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    mc_error_clear(&err);
    code = award_path(ctx, id, "", format, &path);
    if (code == CLI_EXIT_OK) {
        req.path = path.data;
        req.accept = format == CLI_AWARD_JWT ? "application/jwt" : "application/json";
        if (cli_http_send(ctx, &req, resp, &err) != MC_OK) {
            cli_error(ctx, "%s", mc_error_message(&err));
            code = CLI_EXIT_ERROR;
        } else {
            code = cli_response_check(ctx, resp);
        }
    }
    mc_buf_release(&path);
    return code;
}

/* ---- one learner ---- */

/* The learner of award `id`, from the cohort's list; NULL when it cannot be read. */
static cJSON *learner_find(const struct cli_ctx *ctx, const char *cohort, const char *id)
{
    struct mc_buf path;
    struct mc_error err;
    struct cli_response resp;
    cJSON *list = NULL, *learner = NULL;
    const cJSON *item;

    mc_buf_init(&path, MC_MAX_URL);
    mc_error_clear(&err);
    cli_response_init(&resp);
    /* Only for the summary line: a failure here must not fail the award. */
    if (cli_resource_path(ctx, "/v1/cohorts", cohort, "/awards", &path) == CLI_EXIT_OK) {
        const struct cli_request req = {.method = "GET", .path = path.data};
        if (cli_http_send(ctx, &req, &resp, &err) == MC_OK && resp.status == 200)
            list = cJSON_ParseWithLength(resp.body.data, resp.body.len);
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(list, "items"))
    {
        if (str_of(item, "id") && strcmp(str_of(item, "id"), id) == 0) {
            learner = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(item, "learner"), 1);
            break;
        }
    }
    cJSON_Delete(list);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return learner;
}

/* {"outcome", "award", "credential", "url", "learner_email", "learner_name"} */
static cJSON *summary_build(bool created, const char *id, const cJSON *cred, const cJSON *learner,
                            const char *person)
{
    cJSON *s = cJSON_CreateObject();
    const char *email = str_of(learner, "email");

    if (!s || !cJSON_AddStringToObject(s, "outcome", created ? "awarded" : "already_awarded") ||
        !cJSON_AddStringToObject(s, "award", id) ||
        !mc_json_add_string_or_null(s, "credential", str_of(cred, "name")) ||
        !mc_json_add_string_or_null(s, "url", str_of(cred, "id")) ||
        !cJSON_AddStringToObject(s, "learner_email", email ? email : person) ||
        !mc_json_add_string_or_null(s, "learner_name", str_of(learner, "name"))) {
        cJSON_Delete(s);
        return NULL;
    }
    return s;
}

/* "awarded TITLE to NAME (EMAIL): URL", cleaned for the terminal. */
static enum mc_err summary_line(const cJSON *s, struct mc_buf *out)
{
    const char *name = str_of(s, "learner_name"), *email = str_of(s, "learner_email");
    const char *title = str_of(s, "credential"), *url = str_of(s, "url");
    bool created = strcmp(str_of(s, "outcome"), "awarded") == 0;
    enum mc_err rc = mc_buf_appends(out, created ? "awarded " : "already awarded: ");

    if (rc == MC_OK)
        rc = cli_text_append_clean(out, title ? title : "the credential", 200);
    if (rc == MC_OK)
        rc = mc_buf_appends(out, " to ");
    if (rc == MC_OK && name && *name) {
        rc = cli_text_append_clean(out, name, 200);
        if (rc == MC_OK)
            rc = mc_buf_appends(out, " (");
        if (rc == MC_OK)
            rc = cli_text_append_clean(out, email, 200);
        if (rc == MC_OK)
            rc = mc_buf_appends(out, ")");
    } else if (rc == MC_OK) {
        rc = cli_text_append_clean(out, email, 200);
    }
    if (rc == MC_OK)
        rc = mc_buf_appends(out, ": ");
    if (rc == MC_OK)
        rc = cli_text_append_clean(out, url ? url : "", 1000);
    if (rc == MC_OK)
        rc = mc_buf_appendc(out, '\n');
    return rc;
}

static int summary_print(const struct cli_ctx *ctx, const char *cohort, const char *person,
                         bool created, const char *id, const cJSON *cred)
{
    cJSON *learner = learner_find(ctx, cohort, id);
    cJSON *s = summary_build(created, id, cred, learner, person);
    struct mc_buf line;
    int code = CLI_EXIT_OK;

    mc_buf_init(&line, 4096);
    if (!s)
        code = out_of_memory(ctx);
    else if (ctx->format == CLI_FORMAT_CSV)
        code = cli_print_object(ctx, s, summary_columns);
    else if (summary_line(s, &line) != MC_OK)
        code = out_of_memory(ctx);
    else
        (void)fputs(line.data, ctx->out);
    mc_buf_release(&line);
    cJSON_Delete(s);
    cJSON_Delete(learner);
    return code;
}

/* --out: the credential as it came, or its VC-JWT fetched by id. */
static int award_write(const struct cli_ctx *ctx, const struct cli_response *resp, const char *id,
                       enum cli_award_format format, const char *out)
{
    struct cli_response jwt;
    int code;

    if (format == CLI_AWARD_JSON)
        return file_write(ctx, out, resp->body.data, resp->body.len);
    cli_response_init(&jwt);
    code = award_fetch(ctx, id, CLI_AWARD_JWT, &jwt);
    if (code == CLI_EXIT_OK)
        code = file_write(ctx, out, jwt.body.data, jwt.body.len);
    cli_response_release(&jwt);
    return code;
}

static int award_one(const struct cli_ctx *ctx, const char *cohort, const char *person,
                     const char *out, enum cli_award_format format)
{
    struct mc_buf path;
    struct cli_response resp;
    cJSON *cred = NULL;
    char id[CLI_AWARD_ID_LEN + 1];
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/cohorts", cohort, "/members", &path);
    if (code == CLI_EXIT_OK &&
        (cli_path_append(&path, person) != MC_OK || mc_buf_appends(&path, "/award") != MC_OK)) {
        cli_error(ctx, "the person %.64s… is too long", person);
        code = CLI_EXIT_USAGE;
    }
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "POST", path.data, "{}", NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_json(ctx, &resp, &cred);
    if (code == CLI_EXIT_OK && !cli_award_id(str_of(cred, "id"), id)) {
        cli_error(ctx, "the server's answer is not an award's credential");
        code = CLI_EXIT_ERROR;
    }
    if (code == CLI_EXIT_OK && out)
        code = award_write(ctx, &resp, id, format, out);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_JSON)
        code = cli_response_print_json(ctx, &resp);
    else if (code == CLI_EXIT_OK)
        code = summary_print(ctx, cohort, person, resp.status == 201, id, cred);
    cJSON_Delete(cred);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- every eligible learner ---- */

static int counts_print(const struct cli_ctx *ctx, const cJSON *answer)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(answer, "awarded");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(answer, "already_awarded");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(answer, "not_eligible");

    (void)fprintf(ctx->out, "\n%d awarded, %d already awarded, %d not eligible\n",
                  cJSON_IsNumber(a) ? a->valueint : 0, cJSON_IsNumber(b) ? b->valueint : 0,
                  cJSON_IsNumber(c) ? c->valueint : 0);
    return CLI_EXIT_OK;
}

static int award_all(const struct cli_ctx *ctx, const char *cohort)
{
    struct mc_buf path;
    struct cli_response resp;
    cJSON *answer = NULL;
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = cli_resource_path(ctx, "/v1/cohorts", cohort, "/awards", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "POST", path.data, "{\"all_eligible\":true}", NULL, &resp);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_JSON) {
        code = cli_response_print_json(ctx, &resp);
        goto out;
    }
    if (code == CLI_EXIT_OK)
        code = cli_response_json(ctx, &resp, &answer);
    if (code == CLI_EXIT_OK)
        code = cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(answer, "results"),
                               result_columns);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_TABLE)
        code = counts_print(ctx, answer);
out:
    cJSON_Delete(answer);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

static int award_give(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"COHORT", NULL};
    const char *out = NULL, *format_text = NULL;
    bool all = false;
    const struct cli_option options[] = {
        {.name = "out", .value = &out},
        {.name = "format", .value = &format_text},
        {.name = "all-eligible", .flag = &all},
        {.name = NULL},
    };
    const char *person[1] = {NULL};
    struct cli_rest rest = {.name = "PERSON", .min = 0, .max = 1, .v = person};
    const char *args[1];
    enum cli_award_format format;
    int code = cli_args_parse_rest(ctx, "award", argc, argv, options, names, args, &rest);

    if (code != CLI_EXIT_OK)
        return code;
    if (all && rest.n)
        return cli_usage_error(ctx, "award", "give PERSON or --all-eligible, not both");
    if (!all && !rest.n)
        return cli_usage_error(ctx, "award", "missing argument PERSON (or --all-eligible)");
    if (all && (out || format_text))
        return cli_usage_error(ctx, "award", "--out and --format are for one learner");
    if (!cli_award_format_parse(format_text, &format))
        return cli_usage_error(ctx, "award", "--format is json or jwt");
    if (format_text && !out)
        return cli_usage_error(ctx, "award", "--format says what --out writes; give --out FILE");
    if (out && !*out)
        return cli_usage_error(ctx, "award", "--out needs a file name");
    return all ? award_all(ctx, args[0]) : award_one(ctx, args[0], person[0], out, format);
}

/* ---- list ---- */

/* DIR/<id>.<ext> */
static int mine_write_one(const struct cli_ctx *ctx, const char *dir, const char *id,
                          const char *ext, const char *data, size_t len)
{
    struct mc_buf name;
    int code;

    mc_buf_init(&name, 4096 + CLI_AWARD_ID_LEN + 8);
    if (mc_buf_appendf(&name, "%s/%s.%s", dir, id, ext) != MC_OK) {
        mc_buf_release(&name);
        return cli_usage_error(ctx, "award list", "the directory's name is too long");
    }
    code = file_write(ctx, name.data, data, len);
    mc_buf_release(&name);
    return code;
}

/* --mine --out DIR: each award's credential and JWT. */
static int mine_write(const struct cli_ctx *ctx, const cJSON *list, const char *dir)
{
    const cJSON *item;
    size_t n = 0;
    int code = CLI_EXIT_OK;

    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(list, "items"))
    {
        const char *jwt = str_of(item, "jwt");
        char *doc = NULL;
        char id[CLI_AWARD_ID_LEN + 1];

        /* The id names a file: it must be a UUID, never a path. */
        if (!cli_award_id(str_of(item, "id"), id) || strcmp(id, str_of(item, "id")) != 0) {
            cli_error(ctx, "the server's answer holds an award without a proper id");
            return CLI_EXIT_ERROR;
        }
        doc = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(item, "credential"));
        if (!doc)
            return out_of_memory(ctx);
        code = mine_write_one(ctx, dir, id, "json", doc, strlen(doc));
        free(doc);
        if (code == CLI_EXIT_OK && jwt)
            code = mine_write_one(ctx, dir, id, "jwt", jwt, strlen(jwt));
        if (code != CLI_EXIT_OK)
            return code;
        n++;
    }
    (void)fprintf(ctx->err, "wrote %zu award%s to %s\n", n, n == 1 ? "" : "s", dir);
    return CLI_EXIT_OK;
}

static int award_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    const char *out = NULL;
    bool mine = false;
    const struct cli_option options[] = {
        {.name = "mine", .flag = &mine},
        {.name = "out", .value = &out},
        {.name = NULL},
    };
    const char *cohort[1] = {NULL};
    struct cli_rest rest = {.name = "COHORT", .min = 0, .max = 1, .v = cohort};
    struct mc_buf path;
    struct cli_response resp;
    cJSON *list = NULL;
    int code = cli_args_parse_rest(ctx, "award list", argc, argv, options, NULL, NULL, &rest);

    if (code != CLI_EXIT_OK)
        return code;
    if (mine == (rest.n == 1))
        return cli_usage_error(ctx, "award list", "give COHORT or --mine");
    if (out && !mine)
        return cli_usage_error(ctx, "award list", "--out DIR is for --mine");
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    if (mine)
        code = mc_buf_appends(&path, "/v1/me/awards") == MC_OK ? CLI_EXIT_OK : out_of_memory(ctx);
    else
        code = cli_resource_path(ctx, "/v1/cohorts", cohort[0], "/awards", &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "GET", path.data, NULL, NULL, &resp);
    if (code == CLI_EXIT_OK && out) {
        code = cli_response_json(ctx, &resp, &list);
        if (code == CLI_EXIT_OK)
            code = mine_write(ctx, list, out);
    }
    if (code == CLI_EXIT_OK)
        code = cli_response_print_items(ctx, &resp, mine ? my_award_columns : award_columns);
    cJSON_Delete(list);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- show ---- */

/* Print a credential or JWT: as it came, but a JSON credential indented for a person. */
static int document_print(const struct cli_ctx *ctx, const struct cli_response *resp,
                          enum cli_award_format format)
{
    cJSON *doc = NULL;
    char *text;
    int code;

    if (format == CLI_AWARD_JWT || ctx->format != CLI_FORMAT_TABLE)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &doc);
    if (code != CLI_EXIT_OK)
        return code;
    text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return out_of_memory(ctx);
    (void)fprintf(ctx->out, "%s\n", text);
    free(text);
    return CLI_EXIT_OK;
}

static int award_show(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"AWARD", NULL};
    const char *out = NULL, *format_text = NULL;
    const struct cli_option options[] = {
        {.name = "out", .value = &out},
        {.name = "format", .value = &format_text},
        {.name = NULL},
    };
    const char *args[1];
    char id[CLI_AWARD_ID_LEN + 1];
    enum cli_award_format format;
    struct cli_response resp;
    int code = cli_args_parse(ctx, "award show", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (!cli_award_format_parse(format_text, &format))
        return cli_usage_error(ctx, "award show", "--format is json or jwt");
    if (!cli_award_id(args[0], id))
        return cli_usage_error(ctx, "award show", "'%.64s' is not an award id or credential URL",
                               args[0]);
    if (out && !*out)
        return cli_usage_error(ctx, "award show", "--out needs a file name");
    cli_response_init(&resp);
    code = award_fetch(ctx, id, format, &resp);
    if (code == CLI_EXIT_OK && out)
        code = file_write(ctx, out, resp.body.data, resp.body.len);
    else if (code == CLI_EXIT_OK)
        code = document_print(ctx, &resp, format);
    cli_response_release(&resp);
    return code;
}

/* ---- the commands ---- */

int cmd_award(const struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) {
        (void)fputs(cmd_award_usage, ctx->err);
        return CLI_EXIT_USAGE;
    }
    switch (cli_award_form(argc, argv)) {
    case CLI_AWARD_LIST:
        return award_list(ctx, argc - 1, argv + 1);
    case CLI_AWARD_SHOW:
        return award_show(ctx, argc - 1, argv + 1);
    case CLI_AWARD_GIVE:
        return award_give(ctx, argc, argv);
    }
    return CLI_EXIT_USAGE;
}

/* {"reason": reason} as text; NULL when out of memory. */
static char *revoke_body(const char *reason)
{
    cJSON *body = cJSON_CreateObject();
    char *text = NULL;

    if (body && cJSON_AddStringToObject(body, "reason", reason))
        text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    return text;
}

int cmd_revoke(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"AWARD", NULL};
    const char *reason = NULL;
    const struct cli_option options[] = {
        {.name = "reason", .value = &reason},
        {.name = NULL},
    };
    const char *args[1];
    char id[CLI_AWARD_ID_LEN + 1];
    struct mc_buf path;
    struct cli_response resp;
    char *body = NULL;
    int code = cli_args_parse(ctx, "revoke", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (!reason || !*reason)
        return cli_usage_error(ctx, "revoke", "--reason TEXT is required");
    if (strlen(reason) > CLI_AWARD_REASON_MAX)
        return cli_usage_error(ctx, "revoke", "--reason has at most %d bytes",
                               CLI_AWARD_REASON_MAX);
    if (!cli_award_id(args[0], id))
        return cli_usage_error(ctx, "revoke", "'%.64s' is not an award id or credential URL",
                               args[0]);
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    body = revoke_body(reason);
    code = body ? award_path(ctx, id, "/revoke", CLI_AWARD_JSON, &path) : out_of_memory(ctx);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "POST", path.data, body, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_print_object(ctx, &resp, award_columns);
    free(body);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}
