/*
 * json.h — cJSON helpers shared by the server and the CLI.
 *
 * Parsing with a length and a clear error, typed field access that
 * validates as it reads (the field name goes into the error, as DESIGN.md
 * §3 asks), and the one function that renders the error shape
 * {"error": {"code", "message", "field"}}.
 */
#ifndef MCRED_JSON_H
#define MCRED_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"

/* Parse exactly `len` bytes as one JSON value; trailing garbage, invalid
 * UTF-8 and the escape \u0000 (which C strings cannot carry) fail, as
 * MC_ERR_MALFORMED; an allocation failing on the way (malloc's ENOMEM) as
 * MC_ERR_NOMEM, not as the client's fault. */
enum mc_err mc_json_parse(const char *text, size_t len, cJSON **out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Compact text of `item` (free() it), or NULL when out of memory. */
char *mc_json_print(const cJSON *item);

/* The error shape as text (free() it); NULL when out of memory. */
char *mc_json_error_body(enum mc_err code, const char *message, const char *field);

/*
 * Read a string member.  Absent or null: *out = NULL, and an error only if
 * `required`.  Present but not a string, empty when required, longer than
 * `max_len` bytes, or not valid UTF-8 without control characters: an
 * MC_ERR_INVALID naming the field.
 */
enum mc_err mc_json_get_string(const cJSON *obj, const char *key, bool required, size_t max_len,
                               const char **out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Read an integer member within [min, max]; absent and not required → *out untouched. */
enum mc_err mc_json_get_int(const cJSON *obj, const char *key, bool required, long long min,
                            long long max, long long *out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Refuse members not named in `allowed` (a NULL-terminated list). */
enum mc_err mc_json_only_keys(const cJSON *obj, const char *const *allowed, struct mc_error *err)
    __attribute__((warn_unused_result));

/* True when `s` (len bytes) is valid UTF-8 with no C0 control characters
 * other than tab, newline and carriage return, and no DEL (0x7F). */
bool mc_utf8_valid_text(const char *s, size_t len);

/*
 * Make every string of `item` (values and member names, recursively) valid
 * UTF-8 of at most `max` bytes (mc_utf8_sanitize: invalid bytes become
 * U+FFFD, a longer string ends with "…"), so that echoing what a client
 * sent can never make an answer that is not JSON.  False when out of memory.
 */
bool mc_json_sanitize(cJSON *item, size_t max);

/* Add a string member, or JSON null when s is NULL.  False when out of memory. */
bool mc_json_add_string_or_null(cJSON *obj, const char *key, const char *s);

#endif
