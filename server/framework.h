/*
 * framework.h — a credential framework (the seed's JSON format) read and
 * checked, without the database.
 *
 * Every rule of the format is checked here and every mistake is reported
 * with the path of the field at fault, e.g. `standards[2].indicators[0].code`.
 * The parsed framework points into the cJSON tree it came from: keep the
 * tree alive as long as the framework.
 */
#ifndef MCRED_SERVER_FRAMEWORK_H
#define MCRED_SERVER_FRAMEWORK_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"

#define FW_MAX_LEVELS          10
#define FW_MAX_STANDARDS       50
#define FW_MAX_INDICATORS      50 /* per standard */
#define FW_MAX_CODE            16
#define FW_MAX_TITLE           200
#define FW_MAX_DESCRIPTION     4000
#define FW_MAX_TEXT            2000
#define FW_MAX_LABEL           64
#define FW_MAX_TYPE            64
#define FW_MAX_VERSION         1000
#define FW_MAX_WEEKLY_SESSIONS 52

struct fw_level {
    long level;
    const char *label;
};

struct fw_indicator {
    const char *code;
    const char *text;
};

struct fw_standard {
    const char *code;
    const char *title;
    const char *description;
    struct fw_indicator *indicators;
    size_t nindicators;
};

struct framework {
    const char *slug;
    long version;
    const char *title;
    const char *description;
    const char *achievement_type;
    struct fw_level levels[FW_MAX_LEVELS]; /* in level order, 1..nlevels */
    size_t nlevels;
    long min_level;
    long min_weekly_attendance;
    long weekly_sessions;
    bool problem_of_practice_required;
    struct fw_standard *standards;
    size_t nstandards;
};

/* Read and check; on failure *out is released and err names the field of the first problem. */
enum mc_err framework_parse(const cJSON *json, struct framework *out, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * framework_parse() that checks the whole document: on MC_ERR_INVALID,
 * *out_errors (the caller's to delete) lists every problem found, in the
 * document's order, as [{"field": JSON path or null, "message"}] (at most
 * MC_MAX_IMPORT_ERRORS), and err holds the first.  A check that depends on
 * a value found wrong (a code's uniqueness, a level's range) is skipped.
 */
enum mc_err framework_check(const cJSON *json, struct framework *out, struct mc_error *err,
                            cJSON **out_errors) __attribute__((warn_unused_result));

void framework_release(struct framework *fw);

/* The rubric and award rule as stored (jsonb columns); NULL when out of memory. */
cJSON *framework_rubric_json(const struct framework *fw);
cJSON *framework_award_rule_json(const struct framework *fw);

/* Standards and indicators as the rows to store:
 * [{"code", "position", "title", "description"}] and [{"code", "standard_code", "position",
 * "text"}]. */
cJSON *framework_standards_json(const struct framework *fw);
cJSON *framework_indicators_json(const struct framework *fw);

#endif
