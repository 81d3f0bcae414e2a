/*
 * coursework_input.c — codes, levels, links and lists as learners and
 * coaches type them; see coursework_input.h.
 *
 * Links are read by libcurl's URL API (the library the tool already talks
 * through) rather than by a parser of our own: what it accepts is what it
 * could fetch.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "args.h"
#include "coursework_input.h"

#include "mcred/banned.h"

const char *const cli_problem_statuses[] = {"draft", "submitted", "approved", "needs_revision",
                                            NULL};

static const char code_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_";

bool cli_code_valid(const char *s)
{
    size_t n = strlen(s);

    return n >= 1 && n <= CLI_CODE_MAX && strspn(s, code_chars) == n;
}

bool cli_level_parse(const char *s, long *out)
{
    return cli_number_parse(s, 1, CLI_LEVEL_MAX, out);
}

bool cli_http_url_valid(const char *s)
{
    CURLU *u;
    char *scheme = NULL, *host = NULL;
    bool ok;

    const char *authority = strstr(s, "://");

    /* libcurl forgives "https:///x" (host "x"); a link must name its host plainly. */
    if (strlen(s) > CLI_EVIDENCE_URL_MAX || strspn(s, " \t\r\n") > 0 || !authority ||
        authority[3] == '/' || authority[3] == '\0')
        return false;
    u = curl_url();
    if (!u)
        return false;
    /* No default scheme: "example.org/x" is not a link to a browser either. */
    ok = curl_url_set(u, CURLUPART_URL, s, 0) == CURLUE_OK &&
         curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
         curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host[0] != '\0' &&
         (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0);
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return ok;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

cJSON *cli_standards_parse(const char *list, char *why, size_t why_size)
{
    cJSON *codes = cJSON_CreateArray();
    const char *p = list;

    why[0] = '\0';
    if (!codes)
        return NULL;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char code[CLI_CODE_MAX + 1];
        const cJSON *seen;

        while (len > 0 && is_space(*p)) {
            p++;
            len--;
        }
        while (len > 0 && is_space(p[len - 1]))
            len--;
        if (len == 0 && !comma && cJSON_GetArraySize(codes) == 0)
            break; /* "" or "  ": no standards */
        if (len == 0 || len > CLI_CODE_MAX) {
            (void)snprintf(why, why_size, "'%.*s' is not a list of standard codes like 1,4",
                           (int)(strlen(list) > 64 ? 64 : strlen(list)), list);
            goto fail;
        }
        memcpy(code, p, len);
        code[len] = '\0';
        if (!cli_code_valid(code)) {
            (void)snprintf(why, why_size, "'%s' is not a standard code", code);
            goto fail;
        }
        cJSON_ArrayForEach(seen, codes)
        {
            if (strcmp(seen->valuestring, code) == 0) {
                (void)snprintf(why, why_size, "standard %s is given twice", code);
                goto fail;
            }
        }
        if (cJSON_GetArraySize(codes) >= CLI_STANDARDS_MAX) {
            (void)snprintf(why, why_size, "a problem names at most %d standards",
                           CLI_STANDARDS_MAX);
            goto fail;
        }
        if (!cJSON_AddItemToArray(codes, cJSON_CreateString(code)))
            goto fail;
        if (!comma)
            break;
        p = comma + 1;
    }
    return codes;
fail:
    cJSON_Delete(codes);
    return NULL;
}

bool cli_person_matches(const cJSON *person, const char *who)
{
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(person, "id"));
    const char *email = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(person, "email"));

    if (!who || !*who)
        return false;
    if (strchr(who, '@'))
        return email && strcasecmp(email, who) == 0;
    return id && strcmp(id, who) == 0;
}
