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

/* Refuse members not named; `path` prefixes the field in the error. */
static enum mc_err only_keys(const cJSON *obj, const char *path, const char *const *keys,
                             struct mc_error *err)
{
    if (!cJSON_IsObject(obj))
        return mc_error_set(err, MC_ERR_INVALID, *path ? path : NULL, "%s must be an object",
                            *path ? path : "the credential");
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
    {
        bool known = false;
        for (const char *const *k = keys; *k && !known; k++)
            known = strcmp(item->string, *k) == 0;
        if (!known) {
            char field[MC_MAX_ERR_FIELD];
            pathf(field, sizeof field, "%s%s%s", path, *path ? "." : "", item->string);
            return mc_error_set(err, MC_ERR_INVALID, field, "unknown field %s", field);
        }
    }
    return MC_OK;
}

static bool code_valid(const char *s)
{
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

static enum mc_err parse_rubric(const cJSON *json, struct framework *fw, struct mc_error *err)
{
    const cJSON *rubric = cJSON_GetObjectItemCaseSensitive(json, "rubric");
    if (!rubric || cJSON_IsNull(rubric)) {
        fw->nlevels = 4;
        for (size_t i = 0; i < 4; i++)
            fw->levels[i] = (struct fw_level){.level = (long)i + 1, .label = default_labels[i]};
        return MC_OK;
    }
    int n = cJSON_GetArraySize(rubric);
    if (!cJSON_IsArray(rubric) || n < 2 || n > FW_MAX_LEVELS)
        return mc_error_set(err, MC_ERR_INVALID, "rubric",
                            "rubric must be a list of 2 to %d levels", FW_MAX_LEVELS);
    static const char *const keys[] = {"level", "label", NULL};
    bool seen[FW_MAX_LEVELS + 1] = {false};
    for (int i = 0; i < n; i++) {
        const cJSON *item = cJSON_GetArrayItem(rubric, i);
        char path[64];
        pathf(path, sizeof path, "rubric[%d]", i);
        long level = 0;
        const char *label = NULL;
        enum mc_err rc = only_keys(item, path, keys, err);
        if (rc == MC_OK)
            rc = int_at(item, path, "level", true, 1, 1000, &level, err);
        if (rc == MC_OK)
            rc = text_at(item, path, "label", true, 1, FW_MAX_LABEL, &label, err);
        if (rc != MC_OK)
            return rc;
        if (level > n || seen[level]) {
            char field[MC_MAX_ERR_FIELD];
            pathf(field, sizeof field, "%s.level", path);
            return mc_error_set(err, MC_ERR_INVALID, field,
                                "rubric levels must be numbered 1 to %d, each once", n);
        }
        seen[level] = true;
        fw->levels[level - 1] = (struct fw_level){.level = level, .label = label};
    }
    fw->nlevels = (size_t)n;
    return MC_OK;
}

static enum mc_err parse_award_rule(const cJSON *json, struct framework *fw, struct mc_error *err)
{
    fw->min_level = fw->nlevels >= 3 ? 3 : (long)fw->nlevels;
    fw->min_weekly_attendance = 5;
    fw->weekly_sessions = 6;
    fw->problem_of_practice_required = true;
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(json, "award_rule");
    if (!rule || cJSON_IsNull(rule))
        return MC_OK;
    static const char *const keys[] = {"min_level", "min_weekly_attendance",
                                       "problem_of_practice_required", "weekly_sessions", NULL};
    enum mc_err rc = only_keys(rule, "award_rule", keys, err);
    if (rc == MC_OK)
        rc = int_at(rule, "award_rule", "weekly_sessions", false, 1, FW_MAX_WEEKLY_SESSIONS,
                    &fw->weekly_sessions, err);
    if (rc == MC_OK)
        rc = int_at(rule, "award_rule", "min_level", false, 1, (long)fw->nlevels, &fw->min_level,
                    err);
    if (rc == MC_OK)
        rc = int_at(rule, "award_rule", "min_weekly_attendance", false, 0, fw->weekly_sessions,
                    &fw->min_weekly_attendance, err);
    if (rc != MC_OK)
        return rc;
    const cJSON *pop = cJSON_GetObjectItemCaseSensitive(rule, "problem_of_practice_required");
    if (pop && !cJSON_IsBool(pop))
        return mc_error_set(err, MC_ERR_INVALID, "award_rule.problem_of_practice_required",
                            "award_rule.problem_of_practice_required must be true or false");
    if (pop)
        fw->problem_of_practice_required = cJSON_IsTrue(pop);
    return MC_OK;
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
    snprintf(c->where[c->n], sizeof c->where[c->n], "%s", path);
    c->n++;
    return MC_OK;
}

static enum mc_err parse_indicators(const cJSON *list, const char *spath, struct fw_standard *st,
                                    struct codes *codes, struct mc_error *err)
{
    char field[MC_MAX_ERR_FIELD];
    pathf(field, sizeof field, "%s.indicators", spath);
    int n = cJSON_GetArraySize(list);
    if (!cJSON_IsArray(list) || n < 1 || n > FW_MAX_INDICATORS)
        return mc_error_set(err, MC_ERR_INVALID, field, "%s must list 1 to %d indicators", field,
                            FW_MAX_INDICATORS);
    st->indicators = calloc((size_t)n, sizeof *st->indicators);
    if (!st->indicators)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    static const char *const keys[] = {"code", "text", NULL};
    for (int i = 0; i < n; i++) {
        const cJSON *item = cJSON_GetArrayItem(list, i);
        char path[64];
        pathf(path, sizeof path, "%s.indicators[%d]", spath, i);
        struct fw_indicator *ind = &st->indicators[i];
        enum mc_err rc = only_keys(item, path, keys, err);
        if (rc == MC_OK)
            rc = code_at(item, path, &ind->code, err);
        if (rc == MC_OK)
            rc = text_at(item, path, "text", true, 1, FW_MAX_TEXT, &ind->text, err);
        if (rc == MC_OK)
            rc = codes_add(codes, ind->code, path, err);
        if (rc != MC_OK)
            return rc;
        st->nindicators++;
    }
    return MC_OK;
}

static enum mc_err parse_standards(const cJSON *json, struct framework *fw, struct mc_error *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(json, "standards");
    int n = cJSON_GetArraySize(list);
    if (!cJSON_IsArray(list) || n < 1 || n > FW_MAX_STANDARDS)
        return mc_error_set(err, MC_ERR_INVALID, "standards",
                            "standards must list 1 to %d standards", FW_MAX_STANDARDS);
    fw->standards = calloc((size_t)n, sizeof *fw->standards);
    struct codes *codes = calloc(1, sizeof *codes);
    if (!fw->standards || !codes) {
        free(codes);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    static const char *const keys[] = {"code", "title", "description", "indicators", NULL};
    enum mc_err rc = MC_OK;
    for (int i = 0; rc == MC_OK && i < n; i++) {
        const cJSON *item = cJSON_GetArrayItem(list, i);
        char path[64];
        pathf(path, sizeof path, "standards[%d]", i);
        struct fw_standard *st = &fw->standards[i];
        fw->nstandards++;
        rc = only_keys(item, path, keys, err);
        if (rc == MC_OK)
            rc = code_at(item, path, &st->code, err);
        if (rc == MC_OK)
            rc = codes_add(codes, st->code, path, err);
        if (rc == MC_OK)
            rc = text_at(item, path, "title", true, 1, FW_MAX_TITLE, &st->title, err);
        if (rc == MC_OK)
            rc = text_at(item, path, "description", false, 0, FW_MAX_DESCRIPTION, &st->description,
                         err);
        if (rc == MC_OK)
            rc = parse_indicators(cJSON_GetObjectItemCaseSensitive(item, "indicators"), path, st,
                                  codes, err);
    }
    free(codes);
    return rc;
}

static enum mc_err parse_head(const cJSON *json, struct framework *fw, struct mc_error *err)
{
    static const char *const keys[] = {"slug",        "version",          "title",
                                       "description", "achievement_type", "rubric",
                                       "award_rule",  "standards",        NULL};
    enum mc_err rc = only_keys(json, "", keys, err);
    if (rc == MC_OK)
        rc = text_at(json, "", "slug", true, 1, MC_MAX_SLUG, &fw->slug, err);
    if (rc == MC_OK && !mc_slug_valid(fw->slug))
        rc = mc_error_set(err, MC_ERR_INVALID, "slug",
                          "slug must be lowercase letters, digits and '-', starting with a "
                          "letter or digit");
    fw->version = 1;
    if (rc == MC_OK)
        rc = int_at(json, "", "version", true, 1, FW_MAX_VERSION, &fw->version, err);
    if (rc == MC_OK)
        rc = text_at(json, "", "title", true, 1, FW_MAX_TITLE, &fw->title, err);
    if (rc == MC_OK)
        rc = text_at(json, "", "description", false, 0, FW_MAX_DESCRIPTION, &fw->description, err);
    if (rc == MC_OK)
        rc =
            text_at(json, "", "achievement_type", true, 1, FW_MAX_TYPE, &fw->achievement_type, err);
    if (rc == MC_OK && strspn(fw->achievement_type,
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") !=
                           strlen(fw->achievement_type))
        rc = mc_error_set(err, MC_ERR_INVALID, "achievement_type",
                          "achievement_type must be letters and digits, e.g. MicroCredential");
    return rc;
}

enum mc_err framework_parse(const cJSON *json, struct framework *out, struct mc_error *err)
{
    memset(out, 0, sizeof *out);
    enum mc_err rc = parse_head(json, out, err);
    if (rc == MC_OK)
        rc = parse_rubric(json, out, err);
    if (rc == MC_OK)
        rc = parse_award_rule(json, out, err);
    if (rc == MC_OK)
        rc = parse_standards(json, out, err);
    if (rc != MC_OK)
        framework_release(out);
    return rc;
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
