/*
 * fuzz_json_validate.c — a request body as the server reads it, up to the
 * first database call.
 *
 * The input is the body of a ROUTE_JSON_BODY request.  It goes through
 * mc_json_parse() exactly as dispatch parses every such body, and a body
 * that parses then goes through every check the server makes without the
 * database:
 *   - scores (POST /v1/cohorts/{id}/scores): scores_oneshot_prepare(), the
 *     whole shape check of one score or a list of them, which builds the
 *     rows handed to mcred.scores_post;
 *   - credentials (POST /v1/credentials): framework_check(), every rule
 *     of the framework document;
 *   - people (POST and PATCH /v1/people, and the attributes of a member):
 *     people_check_attributes() on "attributes" (and on the body itself);
 *   - every resource's field readers — mc_json_only_keys(),
 *     mc_json_get_string(), mc_json_get_int(), the helpers each handler's
 *     input reader is made of — and the value checks those readers apply
 *     (e-mail, slug, UUID, attribute name, organisation role, cohort date,
 *     session local time, webhook event type, token and invitation code,
 *     RFC 3339 date-time) on every member of the body and of its
 *     nested objects;
 *   - the error answer: whatever a check refused, mc_json_error_body()
 *     echoes the field and message back, and that must be JSON again.
 * The handlers' remaining checks sit beside database calls (a cohort's
 * time zone, an indicator code, who a learner is) and are reached only by
 * the integration tests.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "assessment.h"
#include "cohorts.h"
#include "framework.h"
#include "fuzz.h"
#include "invitations.h"
#include "mcred/jose.h"
#include "mcred/json.h"
#include "mcred/textfile.h"
#include "mcred/validate.h"
#include "people.h"
#include "request.h"
#include "sessions.h"
#include "tokens.h"
#include "webhooks.h"

#include "mcred/banned.h"

/* The error answer the API would send for err must itself be JSON. */
static void check_error_body(const struct mc_error *err)
{
    if (err->code == MC_OK)
        return;
    char *body = mc_json_error_body(err->code, mc_error_message(err), err->field);
    if (!body)
        return; /* out of memory */
    cJSON *back = NULL;
    struct mc_error again = {0};
    FUZZ_CHECK(mc_json_parse(body, strlen(body), &back, &again) == MC_OK);
    cJSON_Delete(back);
    cJSON_free(body);
}

/* Each value check on one string, with what an accepted value must be. */
static void check_values(const char *s)
{
    size_t len = strlen(s);
    if (mc_uuid_valid(s))
        FUZZ_CHECK(len == 36);
    if (mc_slug_valid(s))
        FUZZ_CHECK(len >= 1 && len <= MC_MAX_SLUG && s[0] != '-');
    if (mc_email_valid(s)) {
        const char *at = strchr(s, '@');
        FUZZ_CHECK(len <= MC_MAX_EMAIL && at && at != s && !strchr(at + 1, '@'));
    }
    if (mc_attr_key_valid(s))
        FUZZ_CHECK(len >= 1 && len <= MC_MAX_ATTR_KEY);
    (void)mc_org_role_valid(s);
    if (cohort_date_valid(s))
        FUZZ_CHECK(len == 10);
    if (session_local_time_valid(s)) {
        char date[11];
        memcpy(date, s, 10);
        date[10] = '\0';
        FUZZ_CHECK(cohort_date_valid(date));
    }
    (void)webhook_event_known(s);
    if (token_well_formed(s) || invitation_code_well_formed(s))
        FUZZ_CHECK(len == MC_TOKEN_TEXT_LEN);
    /* years 0001 to 9999, a day either side for the offset */
    int64_t seconds;
    struct mc_error err = {0};
    if (mc_jose_datetime_parse(s, &seconds, &err) == MC_OK)
        FUZZ_CHECK(seconds >= -62135596800LL - 86400 && seconds <= 253402300799LL + 86400);
}

/* The field readers on one member, as a handler's input reader calls them. */
static void check_member(const cJSON *obj, const cJSON *item)
{
    static const size_t max_lens[] = {0, 10, 16, MC_MAX_SLUG, MC_MAX_NAME, MC_MAX_EMAIL, 4000};
    const char *key = item->string;
    struct mc_error err = {0};
    for (size_t i = 0; i < sizeof max_lens / sizeof max_lens[0]; i++) {
        const char *v = NULL;
        if (mc_json_get_string(obj, key, i % 2 == 0, max_lens[i], &v, &err) == MC_OK && v)
            FUZZ_CHECK(strlen(v) <= max_lens[i] && mc_utf8_valid_text(v, strlen(v)));
        check_error_body(&err);
        mc_error_clear(&err);
    }
    long long n = 0;
    if (mc_json_get_int(obj, key, true, 1, 500, &n, &err) == MC_OK)
        FUZZ_CHECK(n >= 1 && n <= 500);
    check_error_body(&err);
    mc_error_clear(&err);
    if (mc_json_get_int(obj, key, false, -9223372036854775807LL - 1, 9223372036854775807LL, &n,
                        &err) != MC_OK)
        check_error_body(&err);
    mc_error_clear(&err);
    if (cJSON_IsString(item) && item->valuestring)
        check_values(item->valuestring);
    check_values(key);
}

/* Every member of every object in the tree, to a bounded depth. */
static void check_tree(const cJSON *obj, int depth)
{
    if (depth > 8)
        return;
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
    {
        if (cJSON_IsObject(obj) && item->string)
            check_member(obj, item);
        if (cJSON_IsObject(item) || cJSON_IsArray(item))
            check_tree(item, depth + 1);
    }
}

/* Keys allowed: those of a cohort's update; then only the body's first key (a body that
 * passes has that key alone, perhaps repeated). */
static void check_only_keys(const cJSON *json)
{
    static const char *const cohort_update[] = {"name",      "slug",     "starts_on",    "ends_on",
                                                "timezone",  "capacity", "min_learners", "status",
                                                "closes_on", "sessions", "force",        NULL};
    struct mc_error err = {0};
    if (mc_json_only_keys(json, cohort_update, &err) != MC_OK)
        check_error_body(&err);
    mc_error_clear(&err);
    const char *first[] = {json->child && json->child->string ? json->child->string : "", NULL};
    if (mc_json_only_keys(json, first, &err) == MC_OK) {
        const cJSON *item;
        cJSON_ArrayForEach(item, json) FUZZ_CHECK(strcmp(item->string, first[0]) == 0);
    }
    check_error_body(&err);
}

/*
 * POST /v1/cohorts/{id}/scores, as far as the one-round-trip path goes
 * without the database: when it takes the body, the rows it hands to SQL
 * are a JSON array with one row per score sent.
 */
static void check_scores(cJSON *json)
{
    struct request r = {0};
    mc_buf_init(&r.body, 0);
    mc_buf_init(&r.text, 0);
    r.json = json;
    r.params.count = 1;
    memcpy(r.params.items[0].name, "id", 3);
    memcpy(r.params.items[0].value, "6f1c2a9e-0c1d-4f7a-9a51-1f0e2d3c4b5a", 37);
    memcpy(r.request_id, "fuzz", 5);
    struct oneshot call = {0};
    if (scores_oneshot_prepare(&r, &call)) {
        FUZZ_CHECK(call.n == 1 && call.owned);
        cJSON *rows = cJSON_Parse(call.owned);
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(json, "scores");
        FUZZ_CHECK(cJSON_IsArray(rows));
        FUZZ_CHECK(cJSON_GetArraySize(rows) == (list ? cJSON_GetArraySize(list) : 1));
        cJSON_Delete(rows);
    }
    free(call.owned);
    r.json = NULL;
    request_reset_answer(&r);
    mc_buf_release(&r.body);
    mc_buf_release(&r.text);
}

/* POST /v1/credentials: the framework document, every problem listed. */
static void check_framework(const cJSON *json)
{
    struct framework fw;
    struct mc_error err = {0};
    cJSON *errors = NULL;
    enum mc_err rc = framework_check(json, &fw, &err, &errors);
    if (rc == MC_OK) {
        FUZZ_CHECK(fw.nlevels <= FW_MAX_LEVELS && fw.nstandards <= FW_MAX_STANDARDS);
        framework_release(&fw);
    } else {
        check_error_body(&err);
    }
    if (rc == MC_ERR_INVALID && errors)
        FUZZ_CHECK(cJSON_IsArray(errors) && cJSON_GetArraySize(errors) >= 1);
    cJSON_Delete(errors);
}

static void check_attributes(const cJSON *json)
{
    struct mc_error err = {0};
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(json, "attributes");
    for (int allow_null = 0; allow_null < 2; allow_null++) {
        if (people_check_attributes(attrs ? attrs : json, allow_null, &err) == MC_OK)
            FUZZ_CHECK(cJSON_GetArraySize(attrs ? attrs : json) <= MC_MAX_ATTRIBUTES);
        check_error_body(&err);
        mc_error_clear(&err);
    }
}

/* What is stored or echoed is cut to well-formed UTF-8 and printable again. */
static void check_sanitize(cJSON *json)
{
    if (!mc_json_sanitize(json, 64))
        return;
    char *text = mc_json_print(json);
    if (!text)
        return;
    FUZZ_CHECK(mc_utf8_well_formed(text, strlen(text)));
    cJSON_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *json = NULL;
    struct mc_error err = {0};
    if (mc_json_parse((const char *)data, size, &json, &err) != MC_OK) {
        FUZZ_CHECK(err.code == MC_ERR_MALFORMED);
        check_error_body(&err);
        return 0;
    }
    check_only_keys(json);
    check_tree(json, 0);
    check_scores(json);
    check_framework(json);
    check_attributes(json);
    check_sanitize(json);
    cJSON_Delete(json);
    return 0;
}
