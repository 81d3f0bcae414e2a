/*
 * credential.c — naming credentials by id or slug, and flattening them
 * for display; see credential.h.
 *
 * Everything here but cli_credential_id() is pure.  The flattening
 * functions copy what they show into new objects (rows), so that
 * output.c's column paths stay simple and CSV headers are plain names.
 */
#include <stdlib.h>
#include <string.h>

#include "mcred/validate.h"

#include "args.h"
#include "credential.h"
#include "output.h"
#include "pages.h"
#include "query.h"

#include "mcred/banned.h"

/* The longest text of a rubric or an award rule we build. */
#define CREDENTIAL_MAX_TEXT (64 * 1024)

bool cli_credential_ref_parse(const char *arg, struct cli_credential_ref *out)
{
    const char *at = strchr(arg, '@');
    size_t slug_len = at ? (size_t)(at - arg) : strlen(arg);
    struct cli_credential_ref ref = {.kind = CLI_CREDENTIAL_ID, .id = arg};
    long version = 0;

    if (!*arg)
        return false;
    if (at) {
        if (slug_len == 0 || slug_len > MC_MAX_SLUG ||
            !cli_number_parse(at + 1, 1, CLI_CREDENTIAL_MAX_VERSION, &version))
            return false;
        memcpy(ref.slug, arg, slug_len);
        ref.slug[slug_len] = '\0';
        if (!mc_slug_valid(ref.slug))
            return false;
        ref.kind = CLI_CREDENTIAL_SLUG_VERSION;
        ref.version = version;
        ref.id = NULL;
    } else if (!mc_uuid_valid(arg) && slug_len <= MC_MAX_SLUG && mc_slug_valid(arg)) {
        memcpy(ref.slug, arg, slug_len + 1);
        ref.kind = CLI_CREDENTIAL_SLUG;
        ref.id = NULL;
    }
    *out = ref;
    return true;
}

/* A member that is a whole number, else -1. */
static long long number_of(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || v->valuedouble > 1e15)
        return -1;
    return (long long)v->valuedouble;
}

const cJSON *cli_credential_pick(const cJSON *items, const struct cli_credential_ref *ref,
                                 bool published_only)
{
    const cJSON *best = NULL, *item;
    long long best_version = -1;

    cJSON_ArrayForEach(item, items)
    {
        const char *slug = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "slug"));
        const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "status"));
        long long version = number_of(item, "version");

        if (!slug || strcmp(slug, ref->slug) != 0 || version < 0)
            continue;
        if (ref->kind == CLI_CREDENTIAL_SLUG_VERSION) {
            if (version == ref->version)
                return item;
            continue;
        }
        if (published_only && (!status || strcmp(status, "published") != 0))
            continue;
        if (version > best_version) {
            best = item;
            best_version = version;
        }
    }
    return best;
}

int cli_credential_id(const struct cli_ctx *ctx, const char *what, const char *arg,
                      unsigned int flags, struct mc_buf *out_id)
{
    struct cli_credential_ref ref;
    struct mc_buf path;
    cJSON *list = NULL;
    const cJSON *found;
    const char *id;
    bool published = flags & CLI_CREDENTIAL_PUBLISHED;
    int code;

    if (!cli_credential_ref_parse(arg, &ref))
        return cli_usage_error(ctx, what,
                               "'%.64s' is not a credential: give its id, SLUG or SLUG@VERSION "
                               "(version 1 to %d)",
                               arg, CLI_CREDENTIAL_MAX_VERSION);
    if (ref.kind == CLI_CREDENTIAL_ID) {
        if (mc_buf_appends(out_id, arg) == MC_OK)
            return CLI_EXIT_OK;
        cli_error(ctx, "the id %.64s… is too long", arg);
        return CLI_EXIT_USAGE;
    }
    if (ref.kind == CLI_CREDENTIAL_SLUG && (flags & CLI_CREDENTIAL_NEED_VERSION))
        return cli_usage_error(ctx, what, "give the version too: %s@VERSION, or the id", ref.slug);
    mc_buf_init(&path, MC_MAX_URL);
    if (mc_buf_appends(&path, "/v1/credentials") != MC_OK ||
        cli_query_add(&path, "slug", ref.slug) != MC_OK ||
        cli_query_add(&path, "limit", "500") != MC_OK) {
        mc_buf_release(&path);
        cli_error(ctx, "out of memory");
        return CLI_EXIT_ERROR;
    }
    code = cli_pages_get(ctx, path.data, true, &list);
    if (code != CLI_EXIT_OK)
        goto out;
    found = cli_credential_pick(cJSON_GetObjectItemCaseSensitive(list, "items"), &ref,
                                published && ref.kind == CLI_CREDENTIAL_SLUG);
    if (!found) {
        if (ref.kind == CLI_CREDENTIAL_SLUG_VERSION)
            cli_error(ctx, "no credential %s@%ld", ref.slug, ref.version);
        else if (published)
            cli_error(ctx, "credential %s has no published version", ref.slug);
        else
            cli_error(ctx, "no credential with slug %s", ref.slug);
        code = CLI_EXIT_NOT_FOUND;
        goto out;
    }
    id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(found, "id"));
    if (!id || !*id) {
        cli_error(ctx, "the server's answer has no id for %s", arg);
        code = CLI_EXIT_ERROR;
    } else if (mc_buf_appends(out_id, id) != MC_OK) {
        cli_error(ctx, "the server's id for %s is too long", arg);
        code = CLI_EXIT_ERROR;
    }
out:
    cJSON_Delete(list);
    mc_buf_release(&path);
    return code;
}

/* ---- flattening ------------------------------------------------------- */

/* Copy member `from` of src into dst as `to` (a missing one stays missing). */
static bool copy_as(cJSON *dst, const char *to, const cJSON *src, const char *from)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, from);
    cJSON *dup;

    if (!v)
        return true;
    dup = cJSON_Duplicate(v, true);
    if (!dup || !cJSON_AddItemToObject(dst, to, dup)) {
        cJSON_Delete(dup);
        return false;
    }
    return true;
}

static bool copy(cJSON *dst, const cJSON *src, const char *key)
{
    return copy_as(dst, key, src, key);
}

/* A new object at the end of `rows`; NULL when out of memory. */
static cJSON *row_new(cJSON *rows)
{
    cJSON *row = cJSON_CreateObject();

    if (!row || !cJSON_AddItemToArray(rows, row)) {
        cJSON_Delete(row);
        return NULL;
    }
    return row;
}

static int indicators_count(const cJSON *credential)
{
    const cJSON *standard;
    int n = 0;

    cJSON_ArrayForEach(standard, cJSON_GetObjectItemCaseSensitive(credential, "standards"))
    {
        n += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(standard, "indicators"));
    }
    return n;
}

/* The fields that the summary and the view share, in display order. */
static bool summary_fields(cJSON *out, const cJSON *credential)
{
    const cJSON *standards = cJSON_GetObjectItemCaseSensitive(credential, "standards");

    return copy(out, credential, "id") && copy(out, credential, "slug") &&
           copy(out, credential, "version") && copy(out, credential, "title") &&
           copy(out, credential, "status") &&
           cJSON_AddNumberToObject(out, "standards", cJSON_GetArraySize(standards)) &&
           cJSON_AddNumberToObject(out, "indicators", indicators_count(credential));
}

cJSON *cli_credential_summary(const cJSON *credential, const char *result)
{
    cJSON *out = cJSON_CreateObject();

    if (!out || !summary_fields(out, credential) || !copy(out, credential, "published_at") ||
        (result && !cJSON_AddStringToObject(out, "result", result))) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

/* The label of rubric level `level`, or NULL. */
static const char *rubric_label(const cJSON *rubric, long long level)
{
    const cJSON *entry;

    cJSON_ArrayForEach(entry, rubric)
    {
        if (number_of(entry, "level") == level)
            return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "label"));
    }
    return NULL;
}

/* "1 Not Evident, 2 Emerging, 3 Proficient, 4 Exemplary" */
static enum mc_err rubric_text(const cJSON *rubric, struct mc_buf *out)
{
    const cJSON *entry;
    enum mc_err rc = MC_OK;

    cJSON_ArrayForEach(entry, rubric)
    {
        const char *label = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "label"));

        if (rc == MC_OK && out->len)
            rc = mc_buf_appends(out, ", ");
        if (rc == MC_OK)
            rc = mc_buf_appendf(out, "%lld%s%s", number_of(entry, "level"), label ? " " : "",
                                label ? label : "");
    }
    return rc;
}

/* "every indicator at 3 (Proficient) or above; 5 of 6 weekly sessions; problem of practice
 * approved" */
static enum mc_err award_rule_text(const cJSON *credential, struct mc_buf *out)
{
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(credential, "award_rule");
    const cJSON *pop = cJSON_GetObjectItemCaseSensitive(rule, "problem_of_practice_required");
    long long min_level = number_of(rule, "min_level");
    long long attendance = number_of(rule, "min_weekly_attendance");
    long long weekly = number_of(rule, "weekly_sessions");
    const char *label =
        rubric_label(cJSON_GetObjectItemCaseSensitive(credential, "rubric"), min_level);
    enum mc_err rc = MC_OK;

    if (!cJSON_IsObject(rule))
        return MC_OK;
    if (min_level >= 0)
        rc = mc_buf_appendf(out, "every indicator at %lld%s%s%s or above", min_level,
                            label ? " (" : "", label ? label : "", label ? ")" : "");
    if (rc == MC_OK && attendance >= 0)
        rc = mc_buf_appendf(out, "%s%lld", out->len ? "; " : "", attendance);
    if (rc == MC_OK && attendance >= 0 && weekly >= 0)
        rc = mc_buf_appendf(out, " of %lld", weekly);
    if (rc == MC_OK && attendance >= 0)
        rc = mc_buf_appends(out, " weekly sessions");
    if (rc == MC_OK && cJSON_IsBool(pop))
        rc = mc_buf_appendf(out, "%s%s", out->len ? "; " : "",
                            cJSON_IsTrue(pop) ? "problem of practice approved"
                                              : "no problem of practice needed");
    return rc;
}

/* Add `key`: the text that `build` makes of the credential. */
static bool text_add(cJSON *out, const char *key, const cJSON *credential,
                     enum mc_err (*build)(const cJSON *, struct mc_buf *))
{
    struct mc_buf b;
    bool ok;

    mc_buf_init(&b, CREDENTIAL_MAX_TEXT);
    ok = build(credential, &b) == MC_OK && cJSON_AddStringToObject(out, key, b.data);
    mc_buf_release(&b);
    return ok;
}

static enum mc_err rubric_of(const cJSON *credential, struct mc_buf *out)
{
    return rubric_text(cJSON_GetObjectItemCaseSensitive(credential, "rubric"), out);
}

cJSON *cli_credential_view(const cJSON *credential)
{
    cJSON *out = cJSON_CreateObject();

    if (!out || !summary_fields(out, credential) || !copy(out, credential, "achievement_type") ||
        !text_add(out, "rubric", credential, rubric_of) ||
        !text_add(out, "award_rule", credential, award_rule_text) ||
        !copy(out, credential, "created_at") || !copy(out, credential, "updated_at") ||
        !copy(out, credential, "published_at") || !copy(out, credential, "description")) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

/* "1.1, 1.2, 1.3" of a standard. */
static enum mc_err indicator_codes(const cJSON *standard, struct mc_buf *out)
{
    const cJSON *indicator;
    enum mc_err rc = MC_OK;

    cJSON_ArrayForEach(indicator, cJSON_GetObjectItemCaseSensitive(standard, "indicators"))
    {
        const char *code =
            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(indicator, "code"));

        if (rc == MC_OK && out->len)
            rc = mc_buf_appends(out, ", ");
        if (rc == MC_OK)
            rc = mc_buf_appends(out, code ? code : "?");
    }
    return rc;
}

cJSON *cli_credential_standards(const cJSON *credential)
{
    cJSON *rows = cJSON_CreateArray();
    const cJSON *standard;

    if (!rows)
        return NULL;
    cJSON_ArrayForEach(standard, cJSON_GetObjectItemCaseSensitive(credential, "standards"))
    {
        cJSON *row = row_new(rows);

        if (!row || !copy(row, standard, "code") || !copy(row, standard, "title") ||
            !text_add(row, "indicators", standard, indicator_codes)) {
            cJSON_Delete(rows);
            return NULL;
        }
    }
    return rows;
}

cJSON *cli_credential_indicators(const cJSON *credential)
{
    cJSON *rows = cJSON_CreateArray();
    const cJSON *standard, *indicator;

    if (!rows)
        return NULL;
    cJSON_ArrayForEach(standard, cJSON_GetObjectItemCaseSensitive(credential, "standards"))
    {
        cJSON_ArrayForEach(indicator, cJSON_GetObjectItemCaseSensitive(standard, "indicators"))
        {
            cJSON *row = row_new(rows);

            if (!row || !copy_as(row, "standard", standard, "code") ||
                !copy_as(row, "indicator", indicator, "code") || !copy(row, indicator, "text")) {
                cJSON_Delete(rows);
                return NULL;
            }
        }
    }
    return rows;
}
