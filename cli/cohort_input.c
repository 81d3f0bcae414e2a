/*
 * cohort_input.c — checks and request bodies of the cohort nouns; see
 * cohort_input.h.
 */
#include <string.h>

#include "mcred/limits.h"

#include "cohort_input.h"
#include "http.h"

#include "mcred/banned.h"

/* n decimal digits at s; their value in *out. */
static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* The first 10 characters of s are a date. */
static bool date_prefix_valid(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    bool leap;

    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return false;
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return false;
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

bool cli_date_valid(const char *s)
{
    return strlen(s) == 10 && date_prefix_valid(s);
}

bool cli_local_time_valid(const char *s)
{
    size_t n = strlen(s);
    int h, m, sec = 0;

    if ((n != 16 && n != 19) || !date_prefix_valid(s) || s[10] != 'T' || s[13] != ':')
        return false;
    if (!digits(s + 11, 2, &h) || !digits(s + 14, 2, &m))
        return false;
    if (n == 19 && (s[16] != ':' || !digits(s + 17, 2, &sec)))
        return false;
    return h <= 23 && m <= 59 && sec <= 59;
}

bool cli_word_in(const char *s, const char *const *words)
{
    for (const char *const *w = words; *w; w++)
        if (strcmp(s, *w) == 0)
            return true;
    return false;
}

bool cli_person_ref_add(cJSON *obj, const char *who)
{
    return cJSON_AddStringToObject(obj, strchr(who, '@') ? "email" : "person", who) != NULL;
}

cJSON *cli_members_body(const char *const *people, size_t n, const char *role, const char *coach)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *list = body ? cJSON_AddArrayToObject(body, "members") : NULL;

    if (!list) {
        cJSON_Delete(body);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        cJSON *item = cJSON_CreateObject();

        if (!item || !cJSON_AddItemToArray(list, item)) {
            cJSON_Delete(item);
            cJSON_Delete(body);
            return NULL;
        }
        if (!cli_person_ref_add(item, people[i]) ||
            (role && !cJSON_AddStringToObject(item, "role", role)) ||
            (coach && !cJSON_AddStringToObject(item, "coach", coach))) {
            cJSON_Delete(body);
            return NULL;
        }
    }
    return body;
}

/* Add the fields a series and a single session share. */
static bool session_common(cJSON *obj, const struct cli_session_spec *spec)
{
    return (!spec->modality || cJSON_AddStringToObject(obj, "modality", spec->modality)) &&
           (!spec->duration ||
            cJSON_AddNumberToObject(obj, "duration_minutes", (double)spec->duration));
}

cJSON *cli_session_body(const struct cli_session_spec *spec)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *weekly;
    bool ok;

    if (!body)
        return NULL;
    if (spec->count > 0) {
        weekly = cJSON_AddObjectToObject(body, "weekly");
        ok = weekly && cJSON_AddStringToObject(weekly, "first", spec->start) &&
             cJSON_AddNumberToObject(weekly, "count", (double)spec->count) &&
             session_common(weekly, spec);
    } else {
        ok = (!spec->kind || cJSON_AddStringToObject(body, "kind", spec->kind)) &&
             cJSON_AddStringToObject(body, "local_start", spec->start) &&
             (!spec->learner || cJSON_AddStringToObject(body, "learner", spec->learner)) &&
             session_common(body, spec) &&
             (!spec->title || cJSON_AddStringToObject(body, "title", spec->title));
    }
    if (ok && spec->force)
        ok = cJSON_AddTrueToObject(body, "force") != NULL;
    if (!ok) {
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

/* Copy member `key` of src to dst (a missing one stays missing). */
static bool copy(cJSON *dst, const cJSON *src, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, key);
    cJSON *dup;

    if (!v)
        return true;
    dup = cJSON_Duplicate(v, true);
    if (!dup || !cJSON_AddItemToObject(dst, key, dup)) {
        cJSON_Delete(dup);
        return false;
    }
    return true;
}

/* Append the text of a number or string member; false when it is neither. */
static bool member_text(const cJSON *obj, const char *key, struct mc_buf *out, enum mc_err *rc)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (cJSON_IsNumber(v))
        *rc = mc_buf_appendf(out, "%.0f", v->valuedouble);
    else if (cJSON_IsString(v))
        *rc = mc_buf_appends(out, v->valuestring);
    else
        return false;
    return true;
}

/*
 * Add `key`: "<a><sep><b>" of members of src_a and src_b; just "<a>" when
 * b is missing, nothing when a is.
 */
static bool pair_add(cJSON *dst, const char *key, const cJSON *src_a, const char *a,
                     const char *sep, const cJSON *src_b, const char *b)
{
    const cJSON *vb = cJSON_GetObjectItemCaseSensitive(src_b, b);
    struct mc_buf text;
    enum mc_err rc = MC_OK;
    bool ok = true;

    mc_buf_init(&text, 4 * MC_MAX_NAME);
    if (member_text(src_a, a, &text, &rc)) {
        if (rc == MC_OK && (cJSON_IsNumber(vb) || cJSON_IsString(vb))) {
            rc = mc_buf_appends(&text, sep);
            if (rc == MC_OK)
                (void)member_text(src_b, b, &text, &rc);
        }
        ok = rc == MC_OK && cJSON_AddStringToObject(dst, key, text.data) != NULL;
    }
    mc_buf_release(&text);
    return ok;
}

cJSON *cli_cohort_rows(const cJSON *items)
{
    cJSON *rows = cJSON_CreateArray();
    const cJSON *cohort;

    if (!rows)
        return NULL;
    cJSON_ArrayForEach(cohort, items)
    {
        const cJSON *credential = cJSON_GetObjectItemCaseSensitive(cohort, "credential");
        cJSON *row = cJSON_CreateObject();

        if (!row || !cJSON_AddItemToArray(rows, row)) {
            cJSON_Delete(row);
            cJSON_Delete(rows);
            return NULL;
        }
        if (!copy(row, cohort, "name") || !copy(row, cohort, "slug") ||
            !copy(row, cohort, "status") || !copy(row, cohort, "starts_on") ||
            !copy(row, cohort, "ends_on") ||
            !pair_add(row, "credential", credential, "slug", "@", credential, "version") ||
            !pair_add(row, "learners", cohort, "learners", "/", cohort, "capacity") ||
            !copy(row, cohort, "waitlisted") || !copy(row, cohort, "id")) {
            cJSON_Delete(rows);
            return NULL;
        }
    }
    return rows;
}

int cli_resource_path(const struct cli_ctx *ctx, const char *collection, const char *id,
                      const char *tail, struct mc_buf *out)
{
    if (mc_buf_appends(out, collection) != MC_OK || cli_path_append(out, id) != MC_OK ||
        (tail && mc_buf_appends(out, tail) != MC_OK)) {
        cli_error(ctx, "the id %.64s… is too long", id);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}
