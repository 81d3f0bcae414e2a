/*
 * test_cli_credential.c — how `mcred credential` and `cohort create
 * --credential` name credentials (id, SLUG, SLUG@VERSION) and pick one
 * from a slug's versions, and how a framework is flattened for display:
 * its summary, its view, its standards and its indicators — without a
 * server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "credential.h"

#include "mcred/banned.h"

static cJSON *parse(const char *text)
{
    cJSON *v = cJSON_Parse(text);
    assert_non_null(v);
    return v;
}

static void test_ref_parse(void **state)
{
    struct cli_credential_ref ref;
    static const char uuid[] = "6f1c2a8e-1d2b-4c3d-8e9f-0a1b2c3d4e5f";

    (void)state;
    assert_true(cli_credential_ref_parse("equity-excellence@2", &ref));
    assert_int_equal(ref.kind, CLI_CREDENTIAL_SLUG_VERSION);
    assert_string_equal(ref.slug, "equity-excellence");
    assert_int_equal(ref.version, 2);
    assert_null(ref.id);

    assert_true(cli_credential_ref_parse("equity-excellence", &ref));
    assert_int_equal(ref.kind, CLI_CREDENTIAL_SLUG);
    assert_string_equal(ref.slug, "equity-excellence");

    /* A UUID is an id even though it would pass as a slug. */
    assert_true(cli_credential_ref_parse(uuid, &ref));
    assert_int_equal(ref.kind, CLI_CREDENTIAL_ID);
    assert_ptr_equal(ref.id, uuid);
    /* Anything else that is not a slug is an opaque id for the server to judge. */
    assert_true(cli_credential_ref_parse("Not_A_Slug", &ref));
    assert_int_equal(ref.kind, CLI_CREDENTIAL_ID);

    assert_true(cli_credential_ref_parse("x@1000", &ref));
    assert_int_equal(ref.version, 1000);

    /* Malformed SLUG@VERSION: untouched output. */
    static const char *const bad[] = {"",      "equity@", "@2",   "equity@0", "equity@1001",
                                      "eq@-1", "eq@1.5",  "eq@x", "Equity@1", "eq@1@2",
                                      "eq @1", "eq@ 1",   NULL};
    for (const char *const *b = bad; *b; b++) {
        ref.kind = CLI_CREDENTIAL_ID;
        ref.version = -7;
        if (cli_credential_ref_parse(*b, &ref))
            fail_msg("'%s' parsed as a credential", *b);
        assert_int_equal(ref.version, -7);
    }
}

static const char versions[] =
    "[{\"id\": \"c1\", \"slug\": \"ee\", \"version\": 1, \"status\": \"retired\"},"
    " {\"id\": \"c2\", \"slug\": \"ee\", \"version\": 2, \"status\": \"published\"},"
    " {\"id\": \"c3\", \"slug\": \"ee\", \"version\": 3, \"status\": \"draft\"},"
    " {\"id\": \"x9\", \"slug\": \"other\", \"version\": 9, \"status\": \"published\"},"
    " {\"id\": \"bad\", \"slug\": \"ee\", \"version\": \"4\", \"status\": \"draft\"}]";

static const char *picked(const cJSON *items, const char *arg, bool published_only)
{
    struct cli_credential_ref ref;
    const cJSON *item;

    assert_true(cli_credential_ref_parse(arg, &ref));
    item = cli_credential_pick(items, &ref, published_only);
    return item ? cJSON_GetStringValue(cJSON_GetObjectItem(item, "id")) : NULL;
}

static void test_pick(void **state)
{
    cJSON *items = parse(versions);

    (void)state;
    /* A bare slug: the newest version, or the newest published one. */
    assert_string_equal(picked(items, "ee", false), "c3");
    assert_string_equal(picked(items, "ee", true), "c2");
    /* A version: that one, whatever its status. */
    assert_string_equal(picked(items, "ee@1", false), "c1");
    assert_string_equal(picked(items, "ee@1", true), "c1");
    assert_null(picked(items, "ee@4", false)); /* a version that is not a number is skipped */
    assert_null(picked(items, "ee@5", false));
    assert_null(picked(items, "nope", false));
    assert_string_equal(picked(items, "other", true), "x9");
    cJSON_Delete(items);

    items = parse("[{\"id\": \"d\", \"slug\": \"ee\", \"version\": 1, \"status\": \"draft\"}]");
    assert_null(picked(items, "ee", true));
    assert_string_equal(picked(items, "ee", false), "d");
    cJSON_Delete(items);
}

static const char framework[] =
    "{\"id\": \"c1\", \"slug\": \"ee\", \"version\": 1, \"title\": \"Equity\","
    " \"description\": \"Why it matters.\", \"achievement_type\": \"MicroCredential\","
    " \"status\": \"published\","
    " \"rubric\": [{\"level\": 1, \"label\": \"Not Evident\"}, {\"level\": 2, \"label\": "
    "\"Emerging\"}, {\"level\": 3, \"label\": \"Proficient\"}, {\"level\": 4, \"label\": "
    "\"Exemplary\"}],"
    " \"award_rule\": {\"min_level\": 3, \"min_weekly_attendance\": 5, \"weekly_sessions\": 6,"
    "                 \"problem_of_practice_required\": true},"
    " \"standards\": [{\"code\": \"1\", \"title\": \"Inequities\", \"description\": \"d\","
    "   \"indicators\": [{\"code\": \"1.1\", \"text\": \"Engages, all\"}, {\"code\": \"1.2\","
    "   \"text\": \"Examines\"}]},"
    "  {\"code\": \"2\", \"title\": \"Access\", \"indicators\": [{\"code\": \"2.1\", \"text\": "
    "\"Reviews\"}]}],"
    " \"created_at\": \"2026-09-01T12:00:00Z\", \"updated_at\": \"2026-09-02T12:00:00Z\","
    " \"published_at\": \"2026-09-03T12:00:00Z\"}";

static void assert_json(const cJSON *value, const char *expected)
{
    char *text = cJSON_PrintUnformatted(value);

    assert_non_null(text);
    assert_string_equal(text, expected);
    free(text);
}

static void test_summary_and_view(void **state)
{
    cJSON *c = parse(framework);
    cJSON *out;

    (void)state;
    out = cli_credential_summary(c, "created");
    assert_json(out, "{\"id\":\"c1\",\"slug\":\"ee\",\"version\":1,\"title\":\"Equity\","
                     "\"status\":\"published\",\"standards\":2,\"indicators\":3,"
                     "\"published_at\":\"2026-09-03T12:00:00Z\",\"result\":\"created\"}");
    cJSON_Delete(out);
    out = cli_credential_summary(c, NULL);
    assert_null(cJSON_GetObjectItem(out, "result"));
    cJSON_Delete(out);

    out = cli_credential_view(c);
    assert_json(out, "{\"id\":\"c1\",\"slug\":\"ee\",\"version\":1,\"title\":\"Equity\","
                     "\"status\":\"published\",\"standards\":2,\"indicators\":3,"
                     "\"achievement_type\":\"MicroCredential\","
                     "\"rubric\":\"1 Not Evident, 2 Emerging, 3 Proficient, 4 Exemplary\","
                     "\"award_rule\":\"every indicator at 3 (Proficient) or above; 5 of 6 "
                     "weekly sessions; problem of practice approved\","
                     "\"created_at\":\"2026-09-01T12:00:00Z\","
                     "\"updated_at\":\"2026-09-02T12:00:00Z\","
                     "\"published_at\":\"2026-09-03T12:00:00Z\","
                     "\"description\":\"Why it matters.\"}");
    cJSON_Delete(out);
    cJSON_Delete(c);

    /* A rule without a problem of practice, a level without a label, nothing missing breaks. */
    c = parse("{\"rubric\": [{\"level\": 1, \"label\": \"Low\"}, {\"level\": 2}],"
              " \"award_rule\": {\"min_level\": 2, \"min_weekly_attendance\": 0,"
              " \"problem_of_practice_required\": false}}");
    out = cli_credential_view(c);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(out, "rubric")), "1 Low, 2");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(out, "award_rule")),
                        "every indicator at 2 or above; 0 weekly sessions; no problem of "
                        "practice needed");
    assert_int_equal(cJSON_GetObjectItem(out, "standards")->valueint, 0);
    cJSON_Delete(out);
    cJSON_Delete(c);

    c = parse("{}");
    out = cli_credential_view(c);
    assert_json(out, "{\"standards\":0,\"indicators\":0,\"rubric\":\"\",\"award_rule\":\"\"}");
    cJSON_Delete(out);
    cJSON_Delete(c);
}

static void test_standards_and_indicators(void **state)
{
    cJSON *c = parse(framework);
    cJSON *rows;

    (void)state;
    rows = cli_credential_standards(c);
    assert_json(rows, "[{\"code\":\"1\",\"title\":\"Inequities\",\"indicators\":\"1.1, 1.2\"},"
                      "{\"code\":\"2\",\"title\":\"Access\",\"indicators\":\"2.1\"}]");
    cJSON_Delete(rows);
    rows = cli_credential_indicators(c);
    assert_json(rows, "[{\"standard\":\"1\",\"indicator\":\"1.1\",\"text\":\"Engages, all\"},"
                      "{\"standard\":\"1\",\"indicator\":\"1.2\",\"text\":\"Examines\"},"
                      "{\"standard\":\"2\",\"indicator\":\"2.1\",\"text\":\"Reviews\"}]");
    cJSON_Delete(rows);
    cJSON_Delete(c);

    c = parse("{\"standards\": \"not a list\"}");
    rows = cli_credential_indicators(c);
    assert_json(rows, "[]");
    cJSON_Delete(rows);
    cJSON_Delete(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ref_parse),
        cmocka_unit_test(test_pick),
        cmocka_unit_test(test_summary_and_view),
        cmocka_unit_test(test_standards_and_indicators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
