/*
 * json.c — see json.h.  cJSON does the parsing; this file adds the checks
 * that every request body needs, with errors that name the field.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "mcred/json.h"
#include "mcred/textfile.h"

#include "mcred/banned.h"

/*
 * True when a JSON string in text holds the escape \u0000: cJSON would
 * decode it to a NUL byte and every C string function would then see a
 * shorter value than the client sent.
 */
static bool has_escaped_nul(const char *text, size_t len)
{
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"') {
            in_string = !in_string;
        } else if (in_string && text[i] == '\\') {
            if (i + 5 < len && text[i + 1] == 'u' && memcmp(text + i + 2, "0000", 4) == 0)
                return true;
            i++; /* skip the escaped character */
        }
    }
    return false;
}

enum mc_err mc_json_parse(const char *text, size_t len, cJSON **out, struct mc_error *err)
{
    if (len == 0)
        return mc_error_set(err, MC_ERR_MALFORMED, NULL, "request body is empty");
    if (!mc_utf8_valid_text(text, len))
        return mc_error_set(err, MC_ERR_MALFORMED, NULL, "request body is not valid UTF-8 text");
    if (has_escaped_nul(text, len))
        return mc_error_set(err, MC_ERR_MALFORMED, NULL, "JSON strings must not contain \\u0000");
    const char *end = NULL;
    /* malloc sets ENOMEM when it fails; nothing else cJSON calls here does */
    errno = 0;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root && errno == ENOMEM)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, "out of memory while parsing the body");
    if (!root) {
        size_t at = end && end >= text ? (size_t)(end - text) : 0;
        return mc_error_set(err, MC_ERR_MALFORMED, NULL, "could not parse JSON body near byte %zu",
                            at);
    }
    size_t pos = (size_t)(end - text);
    while (pos < len && strchr(" \t\r\n", text[pos]) && text[pos] != '\0')
        pos++;
    if (pos != len) {
        cJSON_Delete(root);
        return mc_error_set(err, MC_ERR_MALFORMED, NULL,
                            "could not parse JSON body: unexpected data at byte %zu", pos);
    }
    *out = root;
    return MC_OK;
}

char *mc_json_print(const cJSON *item)
{
    return cJSON_PrintUnformatted(item);
}

/* A sanitised copy of s (cJSON_malloc'd), or NULL when out of memory. */
static char *sanitized_copy(const char *s, size_t max)
{
    size_t cap = max + 1 < 4 ? 4 : max + 1;
    char *copy = cJSON_malloc(cap);
    if (copy)
        (void)mc_utf8_sanitize(s, strlen(s), copy, cap);
    return copy;
}

bool mc_json_sanitize(cJSON *item, size_t max)
{
    for (; item; item = item->next) {
        if (item->string && !(item->type & cJSON_StringIsConst) &&
            (strlen(item->string) > max ||
             !mc_utf8_well_formed(item->string, strlen(item->string)))) {
            char *key = sanitized_copy(item->string, max);
            if (!key)
                return false;
            cJSON_free(item->string);
            item->string = key;
        }
        if (cJSON_IsString(item) && item->valuestring &&
            (strlen(item->valuestring) > max ||
             !mc_utf8_well_formed(item->valuestring, strlen(item->valuestring)))) {
            char *value = sanitized_copy(item->valuestring, max);
            if (!value)
                return false;
            cJSON_free(item->valuestring);
            item->valuestring = value;
        }
        if (item->child && !mc_json_sanitize(item->child, max))
            return false;
    }
    return true;
}

char *mc_json_error_body(enum mc_err code, const char *message, const char *field)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *e = cJSON_AddObjectToObject(root, "error");
    char *text = NULL;
    if (!e || !cJSON_AddStringToObject(e, "code", mc_err_name(code)) ||
        !cJSON_AddStringToObject(e, "message", message && *message ? message : mc_strerror(code)))
        goto out;
    if (field && *field && !cJSON_AddStringToObject(e, "field", field))
        goto out;
    /* messages and fields echo what clients sent: whatever it held, the body is UTF-8 JSON */
    if (!mc_json_sanitize(root, MC_MAX_ERR_MESSAGE))
        goto out;
    text = cJSON_PrintUnformatted(root);
out:
    cJSON_Delete(root);
    return text;
}

/* Length of the UTF-8 sequence that starts with byte c, 0 if c cannot start one. */
static size_t utf8_seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

bool mc_utf8_valid_text(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t n = utf8_seq_len(c);
        if (n == 0 || i + n > len)
            return false;
        if (n == 1) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return false;
            if (c == 0x7F)
                return false;
        }
        for (size_t k = 1; k < n; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        /* overlong 3- and 4-byte forms, surrogates, and code points past U+10FFFF */
        if (n == 3 && c == 0xE0 && p[i + 1] < 0xA0)
            return false;
        if (n == 3 && c == 0xED && p[i + 1] >= 0xA0)
            return false;
        if (n == 4 && c == 0xF0 && p[i + 1] < 0x90)
            return false;
        if (n == 4 && c == 0xF4 && p[i + 1] >= 0x90)
            return false;
        i += n;
    }
    return true;
}

enum mc_err mc_json_get_string(const cJSON *obj, const char *key, bool required, size_t max_len,
                               const char **out, struct mc_error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item || cJSON_IsNull(item)) {
        if (required)
            return mc_error_set(err, MC_ERR_INVALID, key, "%s is required", key);
        *out = NULL;
        return MC_OK;
    }
    if (!cJSON_IsString(item) || !item->valuestring)
        return mc_error_set(err, MC_ERR_INVALID, key, "%s must be a string", key);
    size_t len = strlen(item->valuestring);
    if (required && len == 0)
        return mc_error_set(err, MC_ERR_INVALID, key, "%s must not be empty", key);
    if (len > max_len)
        return mc_error_set(err, MC_ERR_INVALID, key, "%s is longer than %zu bytes", key, max_len);
    if (!mc_utf8_valid_text(item->valuestring, len))
        return mc_error_set(err, MC_ERR_INVALID, key, "%s contains control characters", key);
    *out = item->valuestring;
    return MC_OK;
}

enum mc_err mc_json_get_int(const cJSON *obj, const char *key, bool required, long long min,
                            long long max, long long *out, struct mc_error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item || cJSON_IsNull(item)) {
        if (required)
            return mc_error_set(err, MC_ERR_INVALID, key, "%s is required", key);
        return MC_OK;
    }
    double v = cJSON_GetNumberValue(item);
    if (!cJSON_IsNumber(item) || !isfinite(v) || v != floor(v))
        return mc_error_set(err, MC_ERR_INVALID, key, "%s must be an integer", key);
    /* 2^63 is the first double past long long; (double)LLONG_MAX rounds up to it */
    if (v >= 9223372036854775808.0 || v < -9223372036854775808.0 || v < (double)min ||
        v > (double)max || (long long)v < min || (long long)v > max)
        return mc_error_set(err, MC_ERR_INVALID, key, "%s must be between %lld and %lld", key, min,
                            max);
    *out = (long long)v;
    return MC_OK;
}

enum mc_err mc_json_only_keys(const cJSON *obj, const char *const *allowed, struct mc_error *err)
{
    if (!cJSON_IsObject(obj))
        return mc_error_set(err, MC_ERR_INVALID, NULL, "request body must be a JSON object");
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
    {
        bool known = false;
        for (const char *const *k = allowed; *k && !known; k++)
            known = item->string && strcmp(item->string, *k) == 0;
        if (!known)
            return mc_error_set(err, MC_ERR_INVALID, item->string, "unknown field \"%s\"",
                                item->string ? item->string : "");
    }
    return MC_OK;
}

bool mc_json_add_string_or_null(cJSON *obj, const char *key, const char *s)
{
    return s ? cJSON_AddStringToObject(obj, key, s) != NULL
             : cJSON_AddNullToObject(obj, key) != NULL;
}
