/*
 * status.c — see status.h.
 *
 * Everything here is derived from the inputs alone: whether an indicator
 * is met is its current level against the rule's min_level, a standard is
 * met when all of its indicators are, and eligibility adds attendance and
 * (where required) an approved problem of practice.  status_decide() and
 * status_json() use the same small predicates, so the status and the
 * "missing" list can never disagree: the list is empty exactly when every
 * requirement is met.
 *
 * All of status_json()'s memory, the scratch space for the messages
 * included, comes from cJSON's allocator, so a test can make any one
 * allocation fail through cJSON_InitHooks and check that nothing leaks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "status.h"

#include "mcred/banned.h"

const char *status_name(enum status_overall s)
{
    switch (s) {
    case STATUS_NOT_STARTED:
        return "not_started";
    case STATUS_IN_PROGRESS:
        return "in_progress";
    case STATUS_ELIGIBLE:
        return "eligible";
    case STATUS_AWARDED:
        return "awarded";
    case STATUS_REVOKED:
        return "revoked";
    }
    /* Only a value outside the enum gets here; -Wswitch catches new names. */
    return "in_progress";
}

static int json_int(const cJSON *obj, const char *key, int fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? (int)v->valuedouble : fallback;
}

void status_rule_from_json(const cJSON *rubric, const cJSON *award_rule, struct status_rule *out)
{
    *out = (struct status_rule){0};
    int n = cJSON_GetArraySize(rubric);
    out->nlevels = n > STATUS_MAX_LEVELS ? STATUS_MAX_LEVELS : n;
    const cJSON *level;
    cJSON_ArrayForEach(level, rubric)
    {
        int l = json_int(level, "level", 0);
        if (l >= 1 && l <= out->nlevels)
            out->labels[l - 1] = cJSON_GetStringValue(cJSON_GetObjectItem(level, "label"));
    }
    out->min_level = json_int(award_rule, "min_level", 3);
    out->min_weekly_attendance = json_int(award_rule, "min_weekly_attendance", 5);
    out->weekly_sessions = json_int(award_rule, "weekly_sessions", 6);
    out->problem_required =
        !cJSON_IsFalse(cJSON_GetObjectItem(award_rule, "problem_of_practice_required"));
}

/* The database layer has no problem row for a learner who never wrote
 * one; treat a NULL the same as "none". */
static const char *problem_state(const struct status_input *in)
{
    return in->problem ? in->problem : "none";
}

static bool indicator_met(const struct status_rule *rule, const struct status_indicator *ind)
{
    return ind->level >= rule->min_level;
}

static bool standard_met(const struct status_input *in, const struct status_standard *std)
{
    for (size_t i = 0; i < in->nindicators; i++) {
        const struct status_indicator *ind = &in->indicators[i];
        if (ind->standard && std->code && strcmp(ind->standard, std->code) == 0 &&
            !indicator_met(in->rule, ind))
            return false;
    }
    return true;
}

/* Excused sessions are left out on purpose: the rule counts presence. */
static bool attendance_met(const struct status_input *in)
{
    return in->attended >= in->rule->min_weekly_attendance;
}

static bool problem_approved(const struct status_input *in)
{
    return strcmp(problem_state(in), "approved") == 0;
}

/* A problem of practice the rule does not ask for is never what is missing. */
static bool problem_met(const struct status_input *in)
{
    return !in->rule->problem_required || problem_approved(in);
}

static bool all_indicators_met(const struct status_input *in)
{
    for (size_t i = 0; i < in->nindicators; i++) {
        if (!indicator_met(in->rule, &in->indicators[i]))
            return false;
    }
    return true;
}

static bool nothing_done(const struct status_input *in)
{
    for (size_t i = 0; i < in->nindicators; i++) {
        if (in->indicators[i].level > 0)
            return false;
    }
    return in->attended == 0 && in->excused == 0 && strcmp(problem_state(in), "none") == 0;
}

enum status_overall status_decide(const struct status_input *in)
{
    if (in->revoked)
        return STATUS_REVOKED;
    if (in->awarded)
        return STATUS_AWARDED;
    if (all_indicators_met(in) && attendance_met(in) && problem_met(in))
        return STATUS_ELIGIBLE;
    if (nothing_done(in))
        return STATUS_NOT_STARTED;
    return STATUS_IN_PROGRESS;
}

/* The rubric's word for a level, or NULL when it has none (the messages
 * then show only the number). */
static const char *level_label(const struct status_rule *rule, int level)
{
    if (level < 1 || level > rule->nlevels || level > STATUS_MAX_LEVELS)
        return NULL;
    const char *label = rule->labels[level - 1];
    return label && *label ? label : NULL;
}

static const char *str_or_empty(const char *s)
{
    return s ? s : "";
}

/* Append one formatted message to the "missing" array.  Measured first so
 * that a long title is never cut short. */
__attribute__((format(printf, 2, 3))) static bool add_missing(cJSON *missing, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return false;
    char *text = cJSON_malloc((size_t)n + 1);
    if (!text)
        return false;
    va_start(ap, fmt);
    (void)vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    cJSON *item = cJSON_CreateString(text);
    cJSON_free(text);
    if (!item)
        return false;
    if (!cJSON_AddItemToArray(missing, item)) {
        cJSON_Delete(item);
        return false;
    }
    return true;
}

/* "3 (Proficient)", or "3" without a label: four arguments for "%d%s%s%s". */
#define LEVEL_FMT "%d%s%s%s"
#define LEVEL_ARGS(rule, level)                                                                    \
    (level), level_label(rule, level) ? " (" : "", str_or_empty(level_label(rule, level)),         \
        level_label(rule, level) ? ")" : ""

static bool add_missing_indicator(cJSON *missing, const struct status_rule *rule,
                                  const struct status_indicator *ind)
{
    const char *code = str_or_empty(ind->code);
    if (ind->level <= 0)
        return add_missing(missing, "indicator %s is not scored yet; it needs " LEVEL_FMT, code,
                           LEVEL_ARGS(rule, rule->min_level));
    return add_missing(missing, "indicator %s is at level " LEVEL_FMT "; it needs " LEVEL_FMT, code,
                       LEVEL_ARGS(rule, ind->level), LEVEL_ARGS(rule, rule->min_level));
}

static bool add_missing_standard(cJSON *missing, const struct status_standard *std)
{
    if (std->title && *std->title)
        return add_missing(missing, "standard %s (%s) is not met", str_or_empty(std->code),
                           std->title);
    return add_missing(missing, "standard %s is not met", str_or_empty(std->code));
}

static bool add_missing_attendance(cJSON *missing, const struct status_input *in)
{
    int required = in->rule->min_weekly_attendance;
    /* "0 of the 1 weekly sessions" would read wrongly. */
    return add_missing(missing, "attendance: %d of the %d weekly session%s required", in->attended,
                       required, required == 1 ? "" : "s");
}

static bool add_missing_problem(cJSON *missing, const struct status_input *in)
{
    const char *state = problem_state(in);
    const char *what;
    if (strcmp(state, "none") == 0)
        what = "not written yet";
    else if (strcmp(state, "draft") == 0)
        what = "draft, not yet submitted";
    else if (strcmp(state, "submitted") == 0)
        what = "submitted, not yet approved";
    else if (strcmp(state, "needs_revision") == 0)
        what = "needs revision";
    else
        /* A state this file does not know yet still must not look approved. */
        what = "not yet approved";
    return add_missing(missing, "problem of practice: %s", what);
}

/* Append a new empty object to `array`; NULL when out of memory. */
static cJSON *add_object_to_array(cJSON *array)
{
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return NULL;
    if (!cJSON_AddItemToArray(array, obj)) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

static bool add_indicators(cJSON *root, const struct status_input *in)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "indicators");
    if (!arr)
        return false;
    for (size_t i = 0; i < in->nindicators; i++) {
        const struct status_indicator *ind = &in->indicators[i];
        cJSON *o = add_object_to_array(arr);
        if (!o || !cJSON_AddStringToObject(o, "code", str_or_empty(ind->code)) ||
            !cJSON_AddStringToObject(o, "standard", str_or_empty(ind->standard)) ||
            !cJSON_AddNumberToObject(o, "level", ind->level) ||
            !cJSON_AddBoolToObject(o, "met", indicator_met(in->rule, ind)))
            return false;
    }
    return true;
}

static bool add_standards(cJSON *root, const struct status_input *in)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "standards");
    if (!arr)
        return false;
    for (size_t i = 0; i < in->nstandards; i++) {
        const struct status_standard *std = &in->standards[i];
        cJSON *o = add_object_to_array(arr);
        if (!o || !cJSON_AddStringToObject(o, "code", str_or_empty(std->code)) ||
            !cJSON_AddStringToObject(o, "title", str_or_empty(std->title)) ||
            !cJSON_AddBoolToObject(o, "met", standard_met(in, std)))
            return false;
    }
    return true;
}

static bool add_attendance(cJSON *root, const struct status_input *in)
{
    cJSON *o = cJSON_AddObjectToObject(root, "attendance");
    return o && cJSON_AddNumberToObject(o, "attended", in->attended) &&
           cJSON_AddNumberToObject(o, "excused", in->excused) &&
           cJSON_AddNumberToObject(o, "held", in->held) &&
           cJSON_AddNumberToObject(o, "required", in->rule->min_weekly_attendance) &&
           cJSON_AddBoolToObject(o, "met", attendance_met(in));
}

static bool add_problem(cJSON *root, const struct status_input *in)
{
    cJSON *o = cJSON_AddObjectToObject(root, "problem");
    return o && cJSON_AddStringToObject(o, "status", problem_state(in)) &&
           cJSON_AddBoolToObject(o, "required", in->rule->problem_required) &&
           cJSON_AddBoolToObject(o, "met", problem_met(in));
}

/* What is missing, in the order a coordinator works through it:
 * indicators, then standards, then attendance, then the problem. */
static bool add_missing_list(cJSON *root, const struct status_input *in)
{
    cJSON *missing = cJSON_AddArrayToObject(root, "missing");
    if (!missing)
        return false;
    for (size_t i = 0; i < in->nindicators; i++) {
        const struct status_indicator *ind = &in->indicators[i];
        if (!indicator_met(in->rule, ind) && !add_missing_indicator(missing, in->rule, ind))
            return false;
    }
    for (size_t i = 0; i < in->nstandards; i++) {
        const struct status_standard *std = &in->standards[i];
        if (!standard_met(in, std) && !add_missing_standard(missing, std))
            return false;
    }
    if (!attendance_met(in) && !add_missing_attendance(missing, in))
        return false;
    if (!problem_met(in) && !add_missing_problem(missing, in))
        return false;
    return true;
}

cJSON *status_json(const struct status_input *in)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    /* Each helper attaches what it builds to root before filling it, so
     * deleting root is the one cleanup on every failure. */
    if (!cJSON_AddStringToObject(root, "status", status_name(status_decide(in))) ||
        !add_indicators(root, in) || !add_standards(root, in) || !add_attendance(root, in) ||
        !add_problem(root, in) || !add_missing_list(root, in)) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}
