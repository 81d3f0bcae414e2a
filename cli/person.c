/*
 * person.c — finding people by e-mail and showing them; see person.h.
 *
 * Attributes differ from person to person, so the columns are made from
 * the data: the names of all attributes in the answer, sorted, become
 * columns (or, past CLI_PEOPLE_ATTR_COLUMNS in a table, one summary
 * column).  A list is flattened into rows {email, name, role, <attribute
 * names>…} first — attribute names can never be email, name or role, the
 * server refuses them — so that CSV headers come out as a roster's.  One
 * person is shown from the answer as it is, with "attributes.<name>"
 * paths, since its id and times sit beside names an attribute may have.
 */
#include <stdlib.h>
#include <string.h>

#include "mcred/limits.h"
#include "mcred/validate.h"

#include "http.h"
#include "output.h"
#include "pages.h"
#include "person.h"
#include "query.h"

#include "mcred/banned.h"

/* The attribute names seen, sorted and distinct; they point into the answer. */
struct keyset {
    size_t n;
    const char *k[CLI_PEOPLE_MAX_ATTR_KEYS];
};

/* Add `key`, keeping the set sorted; false when the set is full. */
static bool keyset_add(struct keyset *ks, const char *key)
{
    size_t lo = 0, hi = ks->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ks->k[mid], key);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (ks->n >= CLI_PEOPLE_MAX_ATTR_KEYS)
        return false;
    memmove(&ks->k[lo + 1], &ks->k[lo], (ks->n - lo) * sizeof(ks->k[0]));
    ks->k[lo] = key;
    ks->n++;
    return true;
}

/* Add the person's attribute names; names the server would not make are
 * skipped (they could not be told apart from the other columns). */
static bool keyset_add_person(struct keyset *ks, const cJSON *person)
{
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(person, "attributes");
    const cJSON *a;

    if (!cJSON_IsObject(attrs))
        return true;
    cJSON_ArrayForEach(a, attrs)
    {
        if (a->string && mc_attr_key_valid(a->string) && !keyset_add(ks, a->string))
            return false;
    }
    return true;
}

static int too_many_keys(const struct cli_ctx *ctx)
{
    cli_error(ctx, "the people have more than %d different attributes; use --json",
              CLI_PEOPLE_MAX_ATTR_KEYS);
    return CLI_EXIT_ERROR;
}

/* Columns made at run time: the array and the strings it points at. */
struct colset {
    struct cli_column *cols; /* n + 1 entries, the last with .key NULL */
    char **owned;            /* strings to free */
    size_t n, nowned;
};

static bool colset_alloc(struct colset *cs, size_t n)
{
    cs->n = 0;
    cs->nowned = 0;
    cs->cols = calloc(n + 1, sizeof(*cs->cols));
    cs->owned = calloc(2 * n + 1, sizeof(*cs->owned));
    return cs->cols && cs->owned;
}

static void colset_release(struct colset *cs)
{
    for (size_t i = 0; cs->owned && i < cs->nowned; i++)
        free(cs->owned[i]);
    free(cs->owned);
    free(cs->cols);
    cs->cols = NULL;
    cs->owned = NULL;
}

/* `keep`: a table cuts the values last (output.h), for ids and e-mail addresses. */
static void colset_add(struct colset *cs, const char *key, const char *header, bool keep)
{
    cs->cols[cs->n].key = key;
    cs->cols[cs->n].header = header;
    cs->cols[cs->n].keep = keep;
    cs->n++;
}

/* A copy of `prefix` + `s` that the set frees; NULL when out of memory. */
static char *colset_string(struct colset *cs, const char *prefix, const char *s, bool upper)
{
    struct mc_buf b;
    char *out;

    mc_buf_init(&b, MC_MAX_ATTR_KEY + 64);
    if (mc_buf_appends(&b, prefix) != MC_OK || mc_buf_appends(&b, s) != MC_OK) {
        mc_buf_release(&b);
        return NULL;
    }
    if (upper)
        for (size_t i = 0; i < b.len; i++)
            if (b.data[i] >= 'a' && b.data[i] <= 'z')
                b.data[i] = (char)(b.data[i] - 'a' + 'A');
    out = mc_buf_detach(&b, NULL);
    if (out)
        cs->owned[cs->nowned++] = out;
    return out;
}

/* "k=v, k=v" of the person's attributes, in the set's order. */
static enum mc_err attributes_summary(const cJSON *attrs, const struct keyset *ks,
                                      struct mc_buf *out)
{
    enum mc_err rc = MC_OK;

    for (size_t i = 0; rc == MC_OK && i < ks->n; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, ks->k[i]);
        if (!v)
            continue;
        if (out->len)
            rc = mc_buf_appends(out, ", ");
        if (rc == MC_OK)
            rc = mc_buf_appendf(out, "%s=", ks->k[i]);
        if (rc == MC_OK)
            rc = cli_json_cell(v, out);
    }
    return rc;
}

/* Copy member `from` of src to member `to` of dst, when there is one. */
static bool member_copy(cJSON *dst, const char *to, const cJSON *src, const char *from)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, from);
    cJSON *copy;

    if (!v)
        return true;
    copy = cJSON_Duplicate(v, true);
    return copy && cJSON_AddItemToObject(dst, to, copy);
}

/* A person as a row: {email, name, role, <attributes>…} or, with `summary`,
 * {email, name, role, attributes: "k=v, …"}. */
static cJSON *person_row(const cJSON *person, const struct keyset *ks, bool summary)
{
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(person, "attributes");
    cJSON *row = cJSON_CreateObject();
    bool ok = row && member_copy(row, "email", person, "email") &&
              member_copy(row, "name", person, "name") &&
              member_copy(row, "role", person, "org_role");

    if (ok && summary) {
        struct mc_buf b;
        mc_buf_init(&b, MC_CLI_MAX_RESPONSE);
        ok = attributes_summary(attrs, ks, &b) == MC_OK &&
             cJSON_AddStringToObject(row, "attributes", b.data);
        mc_buf_release(&b);
    }
    for (size_t i = 0; ok && !summary && i < ks->n; i++)
        ok = member_copy(row, ks->k[i], attrs, ks->k[i]);
    if (!ok) {
        cJSON_Delete(row);
        return NULL;
    }
    return row;
}

int cli_people_print(const struct cli_ctx *ctx, const cJSON *list)
{
    static const struct cli_column no_columns[] = {{.key = NULL}};
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
    const cJSON *person;
    struct keyset ks = {.n = 0};
    struct colset cs = {0};
    cJSON *rows = NULL;
    bool summary;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_print_object(ctx, list, no_columns);
    if (!cJSON_IsArray(items)) {
        cli_error(ctx, "the server's answer has no list of items");
        return CLI_EXIT_ERROR;
    }
    cJSON_ArrayForEach(person, items)
    {
        if (!keyset_add_person(&ks, person))
            return too_many_keys(ctx);
    }
    summary = ctx->format == CLI_FORMAT_TABLE && ks.n > CLI_PEOPLE_ATTR_COLUMNS;
    rows = cJSON_CreateArray();
    if (!rows || !colset_alloc(&cs, 3 + ks.n))
        goto nomem;
    cJSON_ArrayForEach(person, items)
    {
        cJSON *row = person_row(person, &ks, summary);
        if (!row || !cJSON_AddItemToArray(rows, row)) {
            cJSON_Delete(row);
            goto nomem;
        }
    }
    colset_add(&cs, "email", "EMAIL", true);
    colset_add(&cs, "name", "NAME", false);
    colset_add(&cs, "role", "ROLE", false);
    if (summary)
        colset_add(&cs, "attributes", "ATTRIBUTES", false);
    for (size_t i = 0; !summary && i < ks.n; i++) {
        const char *header = colset_string(&cs, "", ks.k[i], true);
        if (!header)
            goto nomem;
        colset_add(&cs, ks.k[i], header, false);
    }
    code = cli_print_items(ctx, rows, cs.cols);
    goto out;
nomem:
    cli_error(ctx, "out of memory");
    code = CLI_EXIT_ERROR;
out:
    cJSON_Delete(rows);
    colset_release(&cs);
    return code;
}

int cli_person_print(const struct cli_ctx *ctx, const cJSON *person)
{
    struct keyset ks = {.n = 0};
    struct colset cs = {0};
    int code;

    if (!keyset_add_person(&ks, person))
        return too_many_keys(ctx);
    if (!colset_alloc(&cs, 6 + ks.n))
        goto nomem;
    colset_add(&cs, "id", "Id", true);
    colset_add(&cs, "email", "Email", true);
    colset_add(&cs, "name", "Name", false);
    colset_add(&cs, "org_role", "Role", false);
    for (size_t i = 0; i < ks.n; i++) {
        const char *key = colset_string(&cs, "attributes.", ks.k[i], false);
        if (!key)
            goto nomem;
        colset_add(&cs, key, ks.k[i], false);
    }
    colset_add(&cs, "created_at", "Created", false);
    colset_add(&cs, "updated_at", "Updated", false);
    code = cli_print_object(ctx, person, cs.cols);
    goto out;
nomem:
    cli_error(ctx, "out of memory");
    code = CLI_EXIT_ERROR;
out:
    colset_release(&cs);
    return code;
}

int cli_person_by_email(const struct cli_ctx *ctx, const char *email, cJSON **out_person)
{
    struct mc_buf path;
    cJSON *list = NULL;
    cJSON *items;
    int code;

    mc_buf_init(&path, MC_MAX_URL);
    if (mc_buf_appends(&path, "/v1/people") != MC_OK ||
        cli_query_add(&path, "email", email) != MC_OK) {
        mc_buf_release(&path);
        cli_error(ctx, "the e-mail address %.64s… is too long", email);
        return CLI_EXIT_USAGE;
    }
    code = cli_pages_get(ctx, path.data, false, &list);
    if (code != CLI_EXIT_OK)
        goto out;
    items = cJSON_GetObjectItemCaseSensitive(list, "items");
    if (cJSON_GetArraySize(items) == 0) {
        cli_error(ctx, "no person with e-mail %s", email);
        code = CLI_EXIT_NOT_FOUND;
        goto out;
    }
    if (!cJSON_IsObject(cJSON_GetArrayItem(items, 0))) {
        cli_error(ctx, "the server's answer is not a list of people");
        code = CLI_EXIT_ERROR;
        goto out;
    }
    *out_person = cJSON_DetachItemFromArray(items, 0);
out:
    cJSON_Delete(list);
    mc_buf_release(&path);
    return code;
}

int cli_person_id(const struct cli_ctx *ctx, const char *arg, struct mc_buf *out_id)
{
    cJSON *person = NULL;
    const cJSON *id;
    int code;

    if (!strchr(arg, '@')) {
        if (mc_buf_appends(out_id, arg) == MC_OK)
            return CLI_EXIT_OK;
        cli_error(ctx, "the id %.64s… is too long", arg);
        return CLI_EXIT_USAGE;
    }
    code = cli_person_by_email(ctx, arg, &person);
    if (code != CLI_EXIT_OK)
        return code;
    id = cJSON_GetObjectItemCaseSensitive(person, "id");
    if (!cJSON_IsString(id) || !id->valuestring[0]) {
        cli_error(ctx, "the server's answer has no id for %s", arg);
        code = CLI_EXIT_ERROR;
    } else if (mc_buf_appends(out_id, id->valuestring) != MC_OK) {
        cli_error(ctx, "the server's id for %s is too long", arg);
        code = CLI_EXIT_ERROR;
    }
    cJSON_Delete(person);
    return code;
}
