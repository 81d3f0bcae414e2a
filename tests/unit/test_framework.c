/*
 * test_framework.c — reading credential frameworks: the seed reads as it
 * should, defaults fill what is left out, and every kind of mistake is
 * refused naming its field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework.h"

static cJSON *seed(void)
{
    FILE *f = fopen(MCRED_SEED, "rb");
    assert_non_null(f);
    static char text[64 * 1024];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    cJSON *json = cJSON_Parse(text);
    assert_non_null(json);
    return json;
}

static void test_seed(void **state)
{
    (void)state;
    cJSON *json = seed();
    struct framework fw;
    struct mc_error err;
    assert_int_equal(framework_parse(json, &fw, &err), MC_OK);
    assert_string_equal(fw.slug, "equity-excellence");
    assert_int_equal(fw.version, 1);
    assert_string_equal(fw.achievement_type, "MicroCredential");
    assert_int_equal(fw.nlevels, 4);
    assert_string_equal(fw.levels[2].label, "Proficient");
    assert_int_equal(fw.min_level, 3);
    assert_int_equal(fw.min_weekly_attendance, 5);
    assert_int_equal(fw.weekly_sessions, 6);
    assert_true(fw.problem_of_practice_required);
    assert_int_equal(fw.nstandards, 4);
    assert_string_equal(fw.standards[3].indicators[2].code, "4.3");
    cJSON *ind = framework_indicators_json(&fw);
    assert_int_equal(cJSON_GetArraySize(ind), 12);
    cJSON_Delete(ind);
    framework_release(&fw);
    cJSON_Delete(json);
}

/* Change the seed with `edit`, and expect a refusal naming `field`. */
static void refused(void (*edit)(cJSON *), const char *field)
{
    cJSON *json = seed();
    edit(json);
    struct framework fw;
    struct mc_error err;
    mc_error_clear(&err);
    enum mc_err rc = framework_parse(json, &fw, &err);
    if (rc != MC_ERR_INVALID || strcmp(err.field, field) != 0)
        fail_msg("wanted a refusal of %s, got %s on \"%s\": %s", field, mc_err_name(rc), err.field,
                 err.message);
    cJSON_Delete(json);
}

static cJSON *standard(cJSON *json, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(json, "standards"), i);
}

static cJSON *indicator(cJSON *json, int s, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(standard(json, s), "indicators"), i);
}

static void dup_indicator(cJSON *j)
{
    cJSON_ReplaceItemInObject(indicator(j, 2, 1), "code", cJSON_CreateString("1.2"));
}
static void dup_standard(cJSON *j)
{
    cJSON_ReplaceItemInObject(standard(j, 3), "code", cJSON_CreateString("2"));
}
static void no_standards(cJSON *j)
{
    cJSON_ReplaceItemInObject(j, "standards", cJSON_CreateArray());
}
static void no_indicators(cJSON *j)
{
    cJSON_ReplaceItemInObject(standard(j, 1), "indicators", cJSON_CreateArray());
}
static void gap_in_levels(cJSON *j)
{
    cJSON *level = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "rubric"), 2);
    cJSON_ReplaceItemInObject(level, "level", cJSON_CreateNumber(5));
}
static void threshold_outside(cJSON *j)
{
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(j, "award_rule"), "min_level",
                              cJSON_CreateNumber(5));
}
static void attendance_above_sessions(cJSON *j)
{
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(j, "award_rule"), "min_weekly_attendance",
                              cJSON_CreateNumber(7));
}
static void no_title(cJSON *j)
{
    cJSON_DeleteItemFromObject(j, "title");
}
static void unknown_field(cJSON *j)
{
    cJSON_AddStringToObject(indicator(j, 0, 0), "weight", "2");
}
static void bad_code(cJSON *j)
{
    cJSON_ReplaceItemInObject(indicator(j, 1, 0), "code", cJSON_CreateString("2 1"));
}
static void bad_slug(cJSON *j)
{
    cJSON_ReplaceItemInObject(j, "slug", cJSON_CreateString("Equity Excellence"));
}

static void test_mistakes_name_their_field(void **state)
{
    (void)state;
    refused(dup_indicator, "standards[2].indicators[1].code");
    refused(dup_standard, "standards[3].code");
    refused(no_standards, "standards");
    refused(no_indicators, "standards[1].indicators");
    refused(gap_in_levels, "rubric[2].level");
    refused(threshold_outside, "award_rule.min_level");
    refused(attendance_above_sessions, "award_rule.min_weekly_attendance");
    refused(no_title, "title");
    refused(unknown_field, "standards[0].indicators[0].weight");
    refused(bad_code, "standards[1].indicators[0].code");
    refused(bad_slug, "slug");
}

static void test_defaults_and_custom_rubric(void **state)
{
    (void)state;
    const char *text =
        "{\"slug\": \"mini\", \"version\": 2, \"title\": \"Mini\","
        " \"achievement_type\": \"Badge\","
        " \"rubric\": [{\"level\": 2, \"label\": \"Yes\"}, {\"level\": 1, \"label\": \"No\"}],"
        " \"award_rule\": {\"min_level\": 2, \"min_weekly_attendance\": 3,"
        "                  \"weekly_sessions\": 4, \"problem_of_practice_required\": false},"
        " \"standards\": [{\"code\": \"A\", \"title\": \"T\","
        "   \"indicators\": [{\"code\": \"A1\", \"text\": \"x\"}]}]}";
    cJSON *json = cJSON_Parse(text);
    struct framework fw;
    struct mc_error err;
    assert_int_equal(framework_parse(json, &fw, &err), MC_OK);
    assert_int_equal(fw.nlevels, 2);
    assert_string_equal(fw.levels[0].label, "No"); /* stored in level order */
    assert_int_equal(fw.min_level, 2);
    assert_int_equal(fw.weekly_sessions, 4);
    assert_false(fw.problem_of_practice_required);
    framework_release(&fw);
    cJSON_Delete(json);

    json = cJSON_Parse("{\"slug\": \"d\", \"version\": 1, \"title\": \"D\", \"achievement_type\":"
                       " \"Badge\", \"standards\": [{\"code\": \"1\", \"title\": \"S\","
                       " \"indicators\": [{\"code\": \"1.1\", \"text\": \"t\"}]}]}");
    assert_int_equal(framework_parse(json, &fw, &err), MC_OK);
    assert_int_equal(fw.nlevels, 4); /* the default rubric */
    assert_int_equal(fw.min_level, 3);
    assert_int_equal(fw.min_weekly_attendance, 5);
    framework_release(&fw);
    cJSON_Delete(json);
}

/* Every problem of a document at once, in its order, each with its JSON path. */
static void test_every_problem_reported(void **state)
{
    (void)state;
    cJSON *json = seed();
    cJSON_ReplaceItemInObject(json, "slug", cJSON_CreateString("Bad Slug"));
    cJSON_AddStringToObject(json, "colour", "blue");
    dup_indicator(json);
    cJSON_ReplaceItemInObject(standard(json, 0), "title", cJSON_CreateNumber(3));
    threshold_outside(json);
    struct framework fw;
    struct mc_error err;
    cJSON *errors = NULL;
    mc_error_clear(&err);
    assert_int_equal(framework_check(json, &fw, &err, &errors), MC_ERR_INVALID);
    assert_non_null(errors);
    static const char *const fields[] = {"colour", "slug", "award_rule.min_level",
                                         "standards[0].title", "standards[2].indicators[1].code"};
    assert_int_equal(cJSON_GetArraySize(errors), 5);
    for (int i = 0; i < 5; i++) {
        const cJSON *e = cJSON_GetArrayItem(errors, i);
        const cJSON *field = cJSON_GetObjectItem(e, "field");
        const cJSON *message = cJSON_GetObjectItem(e, "message");
        assert_true(cJSON_IsString(field) && cJSON_IsString(message));
        if (strcmp(field->valuestring, fields[i]) != 0)
            fail_msg("problem %d is on %s, wanted %s", i, field->valuestring, fields[i]);
        assert_true(strlen(message->valuestring) > 0);
    }
    assert_string_equal(err.field, "colour"); /* the first */
    assert_non_null(
        strstr(cJSON_GetArrayItem(errors, 4)->child->next->valuestring, "code 1.2 is used twice"));
    cJSON_Delete(errors);

    /* a document without problems has no list; one that is not an object has one entry */
    errors = (cJSON *)1;
    cJSON_Delete(json);
    json = seed();
    assert_int_equal(framework_check(json, &fw, &err, &errors), MC_OK);
    assert_null(errors);
    framework_release(&fw);
    cJSON_Delete(json);
    json = cJSON_CreateArray();
    assert_int_equal(framework_check(json, &fw, &err, &errors), MC_ERR_INVALID);
    assert_int_equal(cJSON_GetArraySize(errors), 1);
    assert_string_equal(cJSON_GetArrayItem(errors, 0)->child->next->valuestring,
                        "the credential must be an object");
    cJSON_Delete(errors);
    cJSON_Delete(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_mistakes_name_their_field),
        cmocka_unit_test(test_defaults_and_custom_rubric),
        cmocka_unit_test(test_every_problem_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
