/*
 * cmd_people.c — `mcred people`: add, list, show, update and import the
 * people of the organisation (/v1/people, docs/api.md "People").
 *
 * Each verb parses its options from a table (args.h), builds one request
 * and prints the answer through person.c, which spreads attributes into
 * columns.  A person may be named by id or by e-mail wherever one is
 * taken.  `import` uploads a roster as it is (the server parses and
 * checks the CSV, and writes all of it or nothing) through upload.c,
 * which shows progress on a terminal and turns a 422 into one line per
 * bad row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/json.h"
#include "mcred/limits.h"

#include "args.h"
#include "commands.h"
#include "http.h"
#include "output.h"
#include "pages.h"
#include "person.h"
#include "upload.h"
#include "query.h"
#include "roster_report.h"

#include "mcred/banned.h"

/* A roster is read whole before it is sent; no server takes more than this. */
#define ROSTER_MAX_BYTES MC_MAX_BODY_CEILING
/* Bytes read from a roster at a time. */
/* A request body of ours: a person's fields and at most 64 attributes. */
#define PEOPLE_MAX_JSON (256 * 1024)

/* ---- shared by the verbs ---------------------------------------------- */

static int out_of_memory(const struct cli_ctx *ctx)
{
    cli_error(ctx, "out of memory");
    return CLI_EXIT_ERROR;
}

/*
 * Put each --attr KEY=VALUE of `set` into `obj` as "KEY": "VALUE" and each
 * --unset-attr KEY of `unset` as "KEY": null.  A pair without '=', an
 * over-long name or a name given twice is a usage error; whether a name
 * is allowed is the server's to say.
 */
static int attrs_build(const struct cli_ctx *ctx, const char *what, const struct cli_values *set,
                       const struct cli_values *unset, cJSON *obj)
{
    char key[MC_MAX_ATTR_KEY + 1];

    for (size_t i = 0; i < set->n + (unset ? unset->n : 0); i++) {
        bool is_set = i < set->n;
        /* unset is not NULL here: without it the loop stops at set->n */
        /* cppcheck-suppress nullPointer */
        const char *arg = is_set ? set->v[i] : unset->v[i - set->n];
        const char *value = NULL;
        size_t len = strlen(arg);
        cJSON *item;

        if (is_set && !cli_pair_split(arg, &len, &value))
            return cli_usage_error(ctx, what, "--attr needs KEY=VALUE, not '%.64s'", arg);
        if (len == 0 || len > MC_MAX_ATTR_KEY)
            return cli_usage_error(ctx, what, "an attribute name has 1 to %d characters",
                                   MC_MAX_ATTR_KEY);
        memcpy(key, arg, len);
        key[len] = '\0';
        if (cJSON_GetObjectItemCaseSensitive(obj, key))
            return cli_usage_error(ctx, what, "attribute '%s' given twice", key);
        item = is_set ? cJSON_CreateString(value) : cJSON_CreateNull();
        if (!item || !cJSON_AddItemToObject(obj, key, item)) {
            cJSON_Delete(item);
            return out_of_memory(ctx);
        }
    }
    return CLI_EXIT_OK;
}

/* Add "key": value to obj when value is given. */
static bool string_add(cJSON *obj, const char *key, const char *value)
{
    return !value || cJSON_AddStringToObject(obj, key, value);
}

/* Send `body` (JSON) and print the person that comes back. */
static int person_send(const struct cli_ctx *ctx, const char *method, const char *path,
                       const cJSON *body)
{
    struct cli_response resp;
    cJSON *person = NULL;
    char *text = cJSON_PrintUnformatted(body);
    int code;

    if (!text)
        return out_of_memory(ctx);
    cli_response_init(&resp);
    code = cli_http_request(ctx, method, path, text, NULL, &resp);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_JSON)
        code = cli_response_print_json(ctx, &resp);
    else if (code == CLI_EXIT_OK)
        code = cli_response_json(ctx, &resp, &person);
    if (code == CLI_EXIT_OK && person)
        code = cli_person_print(ctx, person);
    cJSON_Delete(person);
    cli_response_release(&resp);
    free(text);
    return code;
}

/* "/v1/people/<id>" with the id percent-encoded. */
static int person_path(const struct cli_ctx *ctx, const char *id, struct mc_buf *out)
{
    if (mc_buf_appends(out, "/v1/people") != MC_OK || cli_path_append(out, id) != MC_OK) {
        cli_error(ctx, "the id %.64s… is too long", id);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* ---- add ------------------------------------------------------------------ */

static int people_add(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"EMAIL", "NAME", NULL};
    const char *role = NULL;
    struct cli_values attrs = {.n = 0};
    const struct cli_option options[] = {
        {.name = "role", .value = &role},
        {.name = "attr", .values = &attrs},
        {.name = NULL},
    };
    const char *args[2];
    cJSON *body = NULL;
    cJSON *attributes = NULL;
    int code = cli_args_parse(ctx, "people add", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    body = cJSON_CreateObject();
    if (!body || !cJSON_AddStringToObject(body, "email", args[0]) ||
        !cJSON_AddStringToObject(body, "name", args[1]) || !string_add(body, "org_role", role)) {
        code = out_of_memory(ctx);
        goto out;
    }
    if (attrs.n) {
        attributes = cJSON_AddObjectToObject(body, "attributes");
        code = attributes ? attrs_build(ctx, "people add", &attrs, NULL, attributes)
                          : out_of_memory(ctx);
        if (code != CLI_EXIT_OK)
            goto out;
    }
    code = person_send(ctx, "POST", "/v1/people", body);
out:
    cJSON_Delete(body);
    return code;
}

/* ---- list ----------------------------------------------------------------- */

static int people_list(const struct cli_ctx *ctx, int argc, char **argv)
{
    const char *q = NULL, *email = NULL, *role = NULL, *limit = NULL;
    struct cli_values attrs = {.n = 0};
    bool all = false;
    const struct cli_option options[] = {
        {.name = "q", .value = &q},
        {.name = "email", .value = &email},
        {.name = "role", .value = &role},
        {.name = "attr", .values = &attrs},
        {.name = "limit", .value = &limit},
        {.name = "all", .flag = &all},
        {.name = NULL},
    };
    struct mc_buf path;
    enum mc_err rc;
    int code = cli_args_parse(ctx, "people list", argc, argv, options, NULL, NULL);

    if (code != CLI_EXIT_OK)
        return code;
    code = cli_pages_limit_check(ctx, "people list", limit);
    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&path, MC_MAX_URL);
    rc = mc_buf_appends(&path, "/v1/people");
    if (rc == MC_OK && q)
        rc = cli_query_add(&path, "q", q);
    if (rc == MC_OK && email)
        rc = cli_query_add(&path, "email", email);
    if (rc == MC_OK && role)
        rc = cli_query_add(&path, "role", role);
    for (size_t i = 0; rc == MC_OK && i < attrs.n; i++) {
        const char *value;
        size_t len;

        if (!cli_pair_split(attrs.v[i], &len, &value)) {
            code = cli_usage_error(ctx, "people list", "--attr needs KEY=VALUE, not '%.64s'",
                                   attrs.v[i]);
            goto out;
        }
        rc = cli_query_add_prefixed(&path, "attr.", attrs.v[i], len, value);
    }
    if (rc == MC_OK && limit)
        rc = cli_query_add(&path, "limit", limit);
    if (rc != MC_OK) {
        code = cli_usage_error(ctx, "people list",
                               "the filters make a request longer than %d bytes", MC_MAX_URL);
        goto out;
    }
    code = cli_pages_list(ctx, path.data, all, cli_people_print, "people");
out:
    mc_buf_release(&path);
    return code;
}

/* ---- show ----------------------------------------------------------------- */

static int people_show(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"PERSON", NULL};
    const char *args[1];
    struct cli_response resp;
    struct mc_buf path;
    cJSON *person = NULL;
    int code = cli_args_parse(ctx, "people show", argc, argv, NULL, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (strchr(args[0], '@')) {
        code = cli_person_by_email(ctx, args[0], &person);
        if (code == CLI_EXIT_OK)
            code = cli_person_print(ctx, person);
        cJSON_Delete(person);
        return code;
    }
    mc_buf_init(&path, MC_MAX_URL);
    cli_response_init(&resp);
    code = person_path(ctx, args[0], &path);
    if (code == CLI_EXIT_OK)
        code = cli_http_request(ctx, "GET", path.data, NULL, NULL, &resp);
    if (code == CLI_EXIT_OK && ctx->format == CLI_FORMAT_JSON)
        code = cli_response_print_json(ctx, &resp);
    else if (code == CLI_EXIT_OK)
        code = cli_response_json(ctx, &resp, &person);
    if (code == CLI_EXIT_OK && person)
        code = cli_person_print(ctx, person);
    cJSON_Delete(person);
    cli_response_release(&resp);
    mc_buf_release(&path);
    return code;
}

/* ---- update --------------------------------------------------------------- */

static int people_update(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"PERSON", NULL};
    const char *email = NULL, *name = NULL, *role = NULL;
    struct cli_values attrs = {.n = 0}, unset = {.n = 0};
    const struct cli_option options[] = {
        {.name = "email", .value = &email},       {.name = "name", .value = &name},
        {.name = "role", .value = &role},         {.name = "attr", .values = &attrs},
        {.name = "unset-attr", .values = &unset}, {.name = NULL},
    };
    const char *args[1];
    struct mc_buf id, path;
    cJSON *body = NULL;
    cJSON *attributes;
    int code = cli_args_parse(ctx, "people update", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    if (!email && !name && !role && attrs.n == 0 && unset.n == 0)
        return cli_usage_error(ctx, "people update",
                               "nothing to change; give --email, --name, --role, --attr or "
                               "--unset-attr");
    mc_buf_init(&id, MC_MAX_URL);
    mc_buf_init(&path, MC_MAX_URL);
    body = cJSON_CreateObject();
    if (!body || !string_add(body, "email", email) || !string_add(body, "name", name) ||
        !string_add(body, "org_role", role)) {
        code = out_of_memory(ctx);
        goto out;
    }
    if (attrs.n || unset.n) {
        attributes = cJSON_AddObjectToObject(body, "attributes");
        code = attributes ? attrs_build(ctx, "people update", &attrs, &unset, attributes)
                          : out_of_memory(ctx);
        if (code != CLI_EXIT_OK)
            goto out;
    }
    /* Mistakes in the arguments are found before the look-up by e-mail. */
    code = cli_person_id(ctx, args[0], &id);
    if (code == CLI_EXIT_OK)
        code = person_path(ctx, id.data, &path);
    if (code == CLI_EXIT_OK)
        code = person_send(ctx, "PATCH", path.data, body);
out:
    cJSON_Delete(body);
    mc_buf_release(&path);
    mc_buf_release(&id);
    return code;
}

/* ---- import --------------------------------------------------------------- */

static const struct cli_column import_fields[] = {
    {.key = "dry_run", .header = "Dry run"},     {.key = "rows", .header = "Rows"},
    {.key = "created", .header = "Created"},     {.key = "updated", .header = "Updated"},
    {.key = "unchanged", .header = "Unchanged"}, {.key = NULL},
};

static int import_print_result(const struct cli_ctx *ctx, const struct cli_response *resp)
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
        mc_buf_init(&line, 256);
        if (cli_roster_summary(result, &line) == MC_OK)
            (void)fprintf(ctx->out, "%s\n", line.data);
        else
            code = out_of_memory(ctx);
        mc_buf_release(&line);
    }
    cJSON_Delete(result);
    return code;
}

static int people_import(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"ROSTER", NULL};
    bool dry_run = false;
    const struct cli_option options[] = {
        {.name = "dry-run", .flag = &dry_run},
        {.name = NULL},
    };
    const char *args[1];
    struct mc_buf roster;
    struct cli_response resp;
    int code = cli_args_parse(ctx, "people import", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    mc_buf_init(&roster, ROSTER_MAX_BYTES);
    cli_response_init(&resp);
    code = cli_csv_file_read(ctx, args[0], &roster);
    if (code == CLI_EXIT_OK)
        code = cli_upload(ctx, "POST",
                          dry_run ? "/v1/people/import?dry_run=true" : "/v1/people/import",
                          "text/csv", roster.data, roster.len, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_import_check(ctx, &resp);
    if (code == CLI_EXIT_OK)
        code = import_print_result(ctx, &resp);
    cli_response_release(&resp);
    mc_buf_release(&roster);
    return code;
}

/* ---- the verbs ------------------------------------------------------------ */

const struct cli_verb people_verbs[] = {
    {
        .name = "add",
        .fn = people_add,
        .summary = "add a person",
        .usage = "usage: mcred people add EMAIL NAME [--role ROLE] [--attr KEY=VALUE]...\n"
                 "\n"
                 "Add a person to the organisation (POST /v1/people) and show them.\n"
                 "\n"
                 "  --role ROLE        admin, coordinator, leader or none (the default);\n"
                 "                     only an admin may make admins and coordinators\n"
                 "  --attr KEY=VALUE   an attribute, e.g. --attr school=\"Lincoln Elementary\";\n"
                 "                     KEY is a-z, 0-9 and _; repeat for more\n",
    },
    {
        .name = "list",
        .fn = people_list,
        .summary = "list people, with filters",
        .usage = "usage: mcred people list [--q TEXT] [--email EMAIL] [--role ROLE]\n"
                 "                         [--attr KEY=VALUE]... [--limit N] [--all]\n"
                 "\n"
                 "List the organisation's people, ordered by e-mail (GET /v1/people).\n"
                 "Filters combine with AND.\n"
                 "\n"
                 "  --q TEXT           part of the name or e-mail, in any case\n"
                 "  --email EMAIL      this e-mail exactly, in any case\n"
                 "  --role ROLE        people with this role (admin, coordinator, leader, none)\n"
                 "  --attr KEY=VALUE   people whose attribute KEY is VALUE; repeat for more\n"
                 "  --limit N          people per page, 1 to 500 (default 50)\n"
                 "  --all              every page, not only the first\n"
                 "\n"
                 "A table shows EMAIL, NAME, ROLE and a column per attribute (one ATTRIBUTES\n"
                 "column when there are more than 6).  --csv writes email,name,role and a\n"
                 "column per attribute: a roster that 'mcred people import' reads back.\n"
                 "--json prints {\"items\": [...], \"next\": ...} (with --all, every item and\n"
                 "\"next\": null).\n",
    },
    {
        .name = "show",
        .fn = people_show,
        .summary = "show one person",
        .usage = "usage: mcred people show PERSON\n"
                 "\n"
                 "Show a person, named by id (GET /v1/people/ID) or by e-mail\n"
                 "(GET /v1/people?email=EMAIL).  Exits 3 when there is no such person.\n",
    },
    {
        .name = "update",
        .fn = people_update,
        .summary = "change a person's e-mail, name, role or attributes",
        .usage = "usage: mcred people update PERSON [--email EMAIL] [--name NAME] [--role ROLE]\n"
                 "                           [--attr KEY=VALUE]... [--unset-attr KEY]...\n"
                 "\n"
                 "Change what the options give of a person named by id or e-mail\n"
                 "(PATCH /v1/people/ID) and show the result.  Attributes not named stay.\n"
                 "\n"
                 "  --email EMAIL      a new e-mail address\n"
                 "  --name NAME        a new name\n"
                 "  --role ROLE        admin, coordinator, leader or none; only an admin\n"
                 "                     may give or take admin and coordinator\n"
                 "  --attr KEY=VALUE   set an attribute; repeat for more\n"
                 "  --unset-attr KEY   remove an attribute; repeat for more\n",
    },
    {
        .name = "import",
        .fn = people_import,
        .summary = "add and update people from a CSV roster",
        .usage = "usage: mcred people import ROSTER.csv [--dry-run]\n"
                 "\n"
                 "Send a roster (RFC 4180 CSV; '-' reads standard input) to\n"
                 "POST /v1/people/import.  Its header names the columns: email and name\n"
                 "are required, role is optional, and every other column is an attribute.\n"
                 "People are created, or updated when their e-mail exists.  Every row is\n"
                 "checked first: with any error nothing is written, each bad row is\n"
                 "listed on stderr as 'row 4, email: ...' and the exit status is 1.\n"
                 "\n"
                 "  --dry-run          check the roster and count what would change, but\n"
                 "                     write nothing\n"
                 "\n"
                 "Prints 'imported 3 rows: 2 created, 1 updated, 0 unchanged'.  On a\n"
                 "terminal, shows the upload's progress on stderr.  --json prints the\n"
                 "server's answer (also for a roster with errors).\n",
    },
    {.name = NULL},
};
