/*
 * framework.c — see framework.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework.h"
#include "mcred/json.h"
#include "mcred/limits.h"
#include "mcred/validate.h"

#include "mcred/banned.h"

/*
 * Field paths are short by construction (a few indexes and names), so a
 * cut can only shorten a message; vsnprintf keeps that quiet.
 */
static void pathf(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void pathf(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

static const char *const default_labels[] = {"Not Evident", "Emerging", "Proficient", "Exemplary"};

/* A string member at `path`.`key`, checked for length and text. */
static enum mc_err text_at(const cJSON *obj, const char *path, const char *key, bool required,
                           size_t min, size_t max, const char **out, struct mc_error *err)
{
    char field[MC_MAX_ERR_FIELD];
    pathf(field, sizeof field, "%s%s%s", path, *path ? "." : "", key);
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item || cJSON_IsNull(item)) {
        *out = NULL;
        if (required)
            return mc_error_set(err, MC_ERR_INVALID, field, "%s is required", field);
        return MC_OK;
    }
    if (!cJSON_IsString(item))
        return mc_error_set(err, MC_ERR_INVALID, field, "%s must be a string", field);
    size_t len = strlen(item->valuestring);
    if (len < min || len > max)
        return mc_error_set(err, MC_ERR_INVALID, field, "%s must be %zu to %zu bytes", field, min,
                            max);
    if (!mc_utf8_valid_text(item->valuestring, len))
        return mc_error_set(err, MC_ERR_INVALID, field, "%s contains control characters", field);
    *out = item->valuestring;
    return MC_OK;
}

static enum mc_err int_at(const cJSON *obj, const char *path, const char *key, bool required,
                          long min, long max, long *out, struct mc_error *err)
{
    char field[MC_MAX_ERR_FIELD];
    pathf(field, sizeof field, "%s%s%s", path, *path ? "." : "", key);
    long long v = *out;
    enum mc_err rc = mc_json_get_int(obj, key, required, min, max, &v, err);
    if (rc != MC_OK)
        return mc_error_set(err, rc, field, "%s must be a whole number from %ld to %ld", field, min,
                            max);
    *out = (long)v;
    return MC_OK;
}

/*
 * The problems found so far.  Every check goes on after a problem so that
 * a document is reported whole; a check that depends on another's value
 * (a code's uniqueness on the code) is skipped when that one failed.
 */
struct fw_check {
    struct mc_error *err; /* the first problem */
    cJSON *errors;        /* [{"field", "message"}], or NULL when only the first is wanted */
    size_t total;
    bool nomem;
};

/* Note the outcome of a check whose problem is in *e; true when it passed. */
static bool note(struct fw_check *c, enum mc_err rc, const struct mc_error *e)
{
    if (rc == MC_OK)
        return true;
    if (rc == MC_ERR_NOMEM) {
        c->nomem = true;
        return false;
    }
    if (c->total++ == 0)
        *c->err = *e;
    if (!c->errors || (size_t)cJSON_GetArraySize(c->errors) >= MC_MAX_IMPORT_ERRORS)
        return false;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(c->errors, o)) {
        cJSON_Delete(o);
        c->nomem = true;
        return false;
    }
    if (!mc_json_add_string_or_null(o, "field", e->field[0] ? e->field : NULL) ||
        !cJSON_AddStringToObject(o, "message", mc_error_message(e)))
        c->nomem = true;
    return false;
}

/* Note every member not named; false when obj is not an object (noted too). */
static bool check_keys(struct fw_check *c, const cJSON *obj, const char *path,
                       const char *const *keys)
{
    struct mc_error e;
    mc_error_clear(&e);
    if (!cJSON_IsObject(obj))
        return note(c,
                    mc_error_set(&e, MC_ERR_INVALID, *path ? path : NULL, "%s must be an object",
                                 *path ? path : "the credential"),
                    &e);
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
    {
        bool known = false;
        for (const char *const *k = keys; *k && !known; k++)
            known = strcmp(item->string, *k) == 0;
        if (!known) {
            char field[MC_MAX_ERR_FIELD];
            pathf(field, sizeof field, "%s%s%s", path, *path ? "." : "", item->string);
            (void)note(c, mc_error_set(&e, MC_ERR_INVALID, field, "unknown field %s", field), &e);
        }
    }
    return true;
}

static bool code_valid(const char *s)
{
    if (!s)
        return false;
    size_t n = strlen(s);
    return n >= 1 && n <= FW_MAX_CODE &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_") == n;
}

static enum mc_err code_at(const cJSON *obj, const char *path, const char **out,
                           struct mc_error *err)
{
    enum mc_err rc = text_at(obj, path, "code", true, 1, FW_MAX_CODE, out, err);
    if (rc == MC_OK && !code_valid(*out)) {
        char field[MC_MAX_ERR_FIELD];
        pathf(field, sizeof field, "%s.code", path);
        return mc_error_set(err, MC_ERR_INVALID, field,
                            "%s must be 1 to %d letters, digits, '.', '-' or '_'", field,
                            FW_MAX_CODE);
    }
    return rc;
}

static void parse_rubric(struct fw_check *c, const cJSON *json, struct framework *fw)
{
    struct mc_error e;
    mc_error_clear(&e);
    const cJSON *rubric = cJSON_GetObjectItemCaseSensitive(json, "rubric");
    if (!rubric || cJSON_IsNull(rubric)) {
        fw->nlevels = 4;
        for (size_t i = 0; i < 4; i++)
            fw->levels[i] = (struct fw_level){.level = (long)i + 1, .label = default_labels[i]};
        return;
    }
    int n = cJSON_GetArraySize(rubric);
    if (!cJSON_IsArray(rubric) || n < 2 || n > FW_MAX_LEVELS) {
        (void)note(c,
                   mc_error_set(&e, MC_ERR_INVALID, "rubric",
                                "rubric must be a list of 2 to %d levels", FW_MAX_LEVELS),
                   &e);
        return;
    }
    static const char *const keys[] = {"level", "label", NULL};
    bool seen[FW_MAX_LEVELS + 1] = {false};
    for (int i = 0; i < n; i++) {
        const cJSON *item = cJSON_GetArrayItem(rubric, i);
        char path[64];
        pathf(path, sizeof path, "rubric[%d]", i);
        long level = 0;
        const char *label = NULL;
        if (!check_keys(c, item, path, keys))
            continue;
        bool level_ok = note(c, int_at(item, path, "level", true, 1, 1000, &level, &e), &e);
        (void)note(c, text_at(item, path, "label", true, 1, FW_MAX_LABEL, &label, &e), &e);
        if (level_ok && (level > n || seen[level])) {
            char field[MC_MAX_ERR_FIELD];
            pathf(field, sizeof field, "%s.level", path);
            (void)note(c,
                       mc_error_set(&e, MC_ERR_INVALID, field,
                                    "rubric levels must be numbered 1 to %d, each once", n),
                       &e);
        } else if (level_ok) {
            seen[level] = true;
            fw->levels[level - 1] = (struct fw_level){.level = level, .label = label};
        }
    }
    fw->nlevels = (size_t)n;
}

static void parse_award_rule(struct fw_check *c, const cJSON *json, struct framework *fw)
{
    struct mc_error e;
    mc_error_clear(&e);
    fw->min_level = fw->nlevels >= 3 ? 3 : (long)fw->nlevels;
    fw->min_weekly_attendance = 5;
    fw->weekly_sessions = 6;
    fw->problem_of_practice_required = true;
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(json, "award_rule");
    if (!rule || cJSON_IsNull(rule))
        return;
    static const char *const keys[] = {"min_level", "min_weekly_attendance",
                                       "problem_of_practice_required", "weekly_sessions", NULL};
    if (!check_keys(c, rule, "award_rule", keys))
        return;
    (void)note(c,
               int_at(rule, "award_rule", "weekly_sessions", false, 1, FW_MAX_WEEKLY_SESSIONS,
                      &fw->weekly_sessions, &e),
               &e);
    if (fw->nlevels > 0) /* else the rubric's problem is reported */
        (void)note(c,
                   int_at(rule, "award_rule", "min_level", false, 1, (long)fw->nlevels,
                          &fw->min_level, &e),
                   &e);
    (void)note(c,
               int_at(rule, "award_rule", "min_weekly_attendance", false, 0, fw->weekly_sessions,
                      &fw->min_weekly_attendance, &e),
               &e);
    const cJSON *pop = cJSON_GetObjectItemCaseSensitive(rule, "problem_of_practice_required");
    if (pop && !cJSON_IsBool(pop))
        (void)note(c,
                   mc_error_set(&e, MC_ERR_INVALID, "award_rule.problem_of_practice_required",
                                "award_rule.problem_of_practice_required must be true or false"),
                   &e);
    else if (pop)
        fw->problem_of_practice_required = cJSON_IsTrue(pop);
}

/* Codes already used in this framework (standards and indicators share one space). */
struct codes {
    const char *code[FW_MAX_STANDARDS * (FW_MAX_INDICATORS + 1)];
    char where[FW_MAX_STANDARDS * (FW_MAX_INDICATORS + 1)][48];
    size_t n;
};

static const char *codes_find(const struct codes *c, const char *code)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->code[i], code) == 0)
            return c->where[i];
    return NULL;
}

static enum mc_err codes_add(struct codes *c, const char *code, const char *path,
                             struct mc_error *err)
{
    const char *before = codes_find(c, code);
    if (before) {
        char field[MC_MAX_ERR_FIELD];
        pathf(field, sizeof field, "%s.code", path);
        return mc_error_set(err, MC_ERR_INVALID, field, "code %s is used twice (first at %s)", code,
                            before);
    }
    c->code[c->n] = code;
    pathf(c->where[c->n], sizeof c->where[c->n], "%s", path);
    c->n++;
    return MC_OK;
}

static void parse_indicators(struct fw_check *c, const cJSON *list, const char *spath,
                             struct fw_standard *st, struct codes *codes)
{
    struct mc_error e;
    mc_error_clear(&e);
    char field[MC_MAX_ERR_FIELD];
    pathf(field, sizeof field, "%s.indicators", spath);
    int n = cJSON_GetArraySize(list);
    if (!cJSON_IsArray(list) || n < 1 || n > FW_MAX_INDICATORS) {
        (void)note(c,
                   mc_error_set(&e, MC_ERR_INVALID, field, "%s must list 1 to %d indicators", field,
                                FW_MAX_INDICATORS),
                   &e);
        return;
    }
    st->indicators = calloc((size_t)n, sizeof *st->indicators);
    if (!st->indicators) {
        c->nomem = true;
        return;
    }
    static const char *const keys[] = {"code", "text", NULL};
    for (int i = 0; i < n; i++) {
        const cJSON *item = cJSON_GetArrayItem(list, i);
        char path[64];
        pathf(path, sizeof path, "%s.indicators[%d]", spath, i);
        struct fw_indicator *ind = &st->indicators[i];
        st->nindicators++;
        if (!check_keys(c, item, path, keys))
            continue;
        if (note(c, code_at(item, path, &ind->code, &e), &e))
            (void)note(c, codes_add(codes, ind->code, path, &e), &e);
        (void)note(c, text_at(item, path, "text", true, 1, FW_MAX_TEXT, &ind->text, &e), &e);
    }
}

static void parse_standards(struct fw_check *c, const cJSON *json, struct framework *fw)
{
    struct mc_error e;
    mc_error_clear(&e);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(json, "standards");
    int n = cJSON_GetArraySize(list);
    if (!cJSON_IsArray(list) || n < 1 || n > FW_MAX_STANDARDS) {
        (void)note(c,
                   mc_error_set(&e, MC_ERR_INVALID, "standards",
                                "standards must list 1 to %d standards", FW_MAX_STANDARDS),
                   &e);
        return;
    }
    fw->standards = calloc((size_t)n, sizeof *fw->standards);
    struct codes *codes = calloc(1, sizeof *codes);
    if (!fw->standards || !codes) {
        free(codes);
        c->nomem = true;
        return;
    }
    static const char *const keys[] = {"code", "title", "description", "indicators", NULL};
    for (int i = 0; i < n && !c->nomem; i++) {
        const cJSON *item = cJSON_GetArrayItem(list, i);
        char path[64];
        pathf(path, sizeof path, "standards[%d]", i);
        struct fw_standard *st = &fw->standards[i];
        fw->nstandards++;
        if (!check_keys(c, item, path, keys))
            continue;
        if (note(c, code_at(item, path, &st->code, &e), &e))
            (void)note(c, codes_add(codes, st->code, path, &e), &e);
        (void)note(c, text_at(item, path, "title", true, 1, FW_MAX_TITLE, &st->title, &e), &e);
        (void)note(
            c,
            text_at(item, path, "description", false, 0, FW_MAX_DESCRIPTION, &st->description, &e),
            &e);
        parse_indicators(c, cJSON_GetObjectItemCaseSensitive(item, "indicators"), path, st, codes);
    }
    free(codes);
}

/* False when the document is not an object at all (nothing else can be checked). */
static bool parse_head(struct fw_check *c, const cJSON *json, struct framework *fw)
{
    static const char *const keys[] = {"slug",        "version",          "title",
                                       "description", "achievement_type", "rubric",
                                       "award_rule",  "standards",        NULL};
    struct mc_error e;
    mc_error_clear(&e);
    if (!check_keys(c, json, "", keys))
        return false;
    if (note(c, text_at(json, "", "slug", true, 1, MC_MAX_SLUG, &fw->slug, &e), &e) &&
        !mc_slug_valid(fw->slug))
        (void)note(c,
                   mc_error_set(&e, MC_ERR_INVALID, "slug",
                                "slug must be lowercase letters, digits and '-', starting with a "
                                "letter or digit"),
                   &e);
    fw->version = 1;
    (void)note(c, int_at(json, "", "version", true, 1, FW_MAX_VERSION, &fw->version, &e), &e);
    (void)note(c, text_at(json, "", "title", true, 1, FW_MAX_TITLE, &fw->title, &e), &e);
    (void)note(c,
               text_at(json, "", "description", false, 0, FW_MAX_DESCRIPTION, &fw->description, &e),
               &e);
    if (note(c,
             text_at(json, "", "achievement_type", true, 1, FW_MAX_TYPE, &fw->achievement_type, &e),
             &e) &&
        fw->achievement_type &&
        strspn(fw->achievement_type,
               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") !=
            strlen(fw->achievement_type))
        (void)note(c,
                   mc_error_set(&e, MC_ERR_INVALID, "achievement_type",
                                "achievement_type must be letters and digits, e.g. "
                                "MicroCredential"),
                   &e);
    return true;
}

enum mc_err framework_check(const cJSON *json, struct framework *out, struct mc_error *err,
                            cJSON **out_errors)
{
    struct fw_check c = {.err = err};
    memset(out, 0, sizeof *out);
    if (out_errors) {
        *out_errors = NULL;
        c.errors = cJSON_CreateArray();
        if (!c.errors)
            return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    if (parse_head(&c, json, out)) {
        parse_rubric(&c, json, out);
        parse_award_rule(&c, json, out);
        parse_standards(&c, json, out);
    }
    enum mc_err rc = MC_OK;
    if (c.nomem)
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    else if (c.total)
        rc = MC_ERR_INVALID;
    if (rc == MC_ERR_INVALID && out_errors) {
        *out_errors = c.errors;
        c.errors = NULL;
    }
    cJSON_Delete(c.errors);
    if (rc != MC_OK)
        framework_release(out);
    return rc;
}

enum mc_err framework_parse(const cJSON *json, struct framework *out, struct mc_error *err)
{
    return framework_check(json, out, err, NULL);
}

void framework_release(struct framework *fw)
{
    for (size_t i = 0; i < fw->nstandards; i++)
        free(fw->standards[i].indicators);
    free(fw->standards);
    memset(fw, 0, sizeof *fw);
}

cJSON *framework_rubric_json(const struct framework *fw)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < fw->nlevels; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!cJSON_AddItemToArray(list, o) ||
            !cJSON_AddNumberToObject(o, "level", (double)fw->levels[i].level) ||
            !cJSON_AddStringToObject(o, "label", fw->levels[i].label)) {
            cJSON_Delete(list);
            list = NULL;
        }
    }
    return list;
}

cJSON *framework_award_rule_json(const struct framework *fw)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "min_level", (double)fw->min_level) ||
        !cJSON_AddNumberToObject(o, "min_weekly_attendance", (double)fw->min_weekly_attendance) ||
        !cJSON_AddNumberToObject(o, "weekly_sessions", (double)fw->weekly_sessions) ||
        !cJSON_AddBoolToObject(o, "problem_of_practice_required",
                               fw->problem_of_practice_required)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *framework_standards_json(const struct framework *fw)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < fw->nstandards; i++) {
        const struct fw_standard *st = &fw->standards[i];
        cJSON *o = cJSON_CreateObject();
        if (!cJSON_AddItemToArray(list, o) || !cJSON_AddStringToObject(o, "code", st->code) ||
            !cJSON_AddNumberToObject(o, "position", (double)i + 1) ||
            !cJSON_AddStringToObject(o, "title", st->title) ||
            !cJSON_AddStringToObject(o, "description", st->description ? st->description : "")) {
            cJSON_Delete(list);
            list = NULL;
        }
    }
    return list;
}

cJSON *framework_indicators_json(const struct framework *fw)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < fw->nstandards; i++) {
        const struct fw_standard *st = &fw->standards[i];
        for (size_t j = 0; list && j < st->nindicators; j++) {
            cJSON *o = cJSON_CreateObject();
            if (!cJSON_AddItemToArray(list, o) ||
                !cJSON_AddStringToObject(o, "code", st->indicators[j].code) ||
                !cJSON_AddStringToObject(o, "standard_code", st->code) ||
                !cJSON_AddNumberToObject(o, "position", (double)j + 1) ||
                !cJSON_AddStringToObject(o, "text", st->indicators[j].text)) {
                cJSON_Delete(list);
                list = NULL;
            }
        }
    }
    return list;
}
