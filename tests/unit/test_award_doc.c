#define _GNU_SOURCE
/*
 * test_award_doc.c — an award as an Open Badges 3.0 credential
 * (server/award_doc.c), from a credential unlike the seed: five rubric
 * levels, three standards of uneven size, codes that need escaping in a
 * URL, an achievement type outside the OB 3.0 vocabulary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "award_doc.h"

static const char credential_json[] =
    "{\"id\": \"7d1f0e6a-1111-4222-8333-944455556666\", \"slug\": \"data-inquiry\","
    " \"version\": 2, \"title\": \"Data Inquiry\", \"description\": \"Leads inquiry with data.\","
    " \"achievement_type\": \"Inquiry Cycle\","
    " \"rubric\": [{\"level\": 1, \"label\": \"Absent\"}, {\"level\": 2, \"label\": \"Novice\"},"
    "   {\"level\": 3, \"label\": \"Apprentice\"}, {\"level\": 4, \"label\": \"Practitioner\"},"
    "   {\"level\": 5, \"label\": \"Expert\", \"description\": \"Teaches others\"}],"
    " \"min_level\": 4, \"min_weekly_attendance\": 3, \"problem_of_practice_required\": false,"
    " \"standards\": ["
    "   {\"code\": \"A\", \"title\": \"Asking\", \"description\": \"Frames questions\","
    "    \"indicators\": [{\"code\": \"A 1\", \"text\": \"Names a question\"}]},"
    "   {\"code\": \"B\", \"title\": \"Looking\", \"description\": \"\","
    "    \"indicators\": [{\"code\": \"B.1\", \"text\": \"Reads a chart\"},"
    "                     {\"code\": \"B.2\", \"text\": \"Disaggregates\"}]},"
    "   {\"code\": \"C\", \"title\": \"Acting\", \"description\": \"\","
    "    \"indicators\": [{\"code\": \"C.1\", \"text\": \"Plans\"}, {\"code\": \"C.2\","
    "     \"text\": \"Acts\"}, {\"code\": \"C.3\", \"text\": \"Reflects\"}]}]}";

static cJSON *build(const char *levels)
{
    cJSON *credential = cJSON_Parse(credential_json);
    cJSON *org = cJSON_Parse("{\"slug\": \"north\", \"name\": \"North District\"}");
    char learner_json[256];
    snprintf(learner_json, sizeof learner_json,
             "{\"id\": \"0f0e0d0c-0b0a-4909-8807-060504030201\", \"email\": "
             "\"Ana.Ruiz@example.org\", \"levels\": %s}",
             levels);
    cJSON *learner = cJSON_Parse(learner_json);
    assert_non_null(credential);
    assert_non_null(org);
    assert_non_null(learner);
    struct award_doc_input in = {
        .base_url = "https://mcred.example",
        .award_id = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
        .awarded_at = "2026-12-05T10:00:00Z",
        .salt = "00112233445566778899aabbccddeeff",
        .org = org,
        .credential = credential,
        .learner = learner,
    };
    cJSON *doc = NULL;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(award_document_build(&in, &doc, &err), MC_OK);
    cJSON_Delete(credential);
    cJSON_Delete(org);
    cJSON_Delete(learner);
    return doc;
}

static const cJSON *at(const cJSON *obj, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = obj;
    for (char *save = NULL, *part = strtok_r(buf, ".", &save); part && cur;
         part = strtok_r(NULL, ".", &save)) {
        char *end = NULL;
        long i = strtol(part, &end, 10);
        cur = *end == '\0' ? cJSON_GetArrayItem(cur, (int)i)
                           : cJSON_GetObjectItemCaseSensitive(cur, part);
    }
    return cur;
}

static const char *text(const cJSON *obj, const char *path)
{
    return cJSON_GetStringValue(at(obj, path));
}

static void test_envelope(void **state)
{
    (void)state;
    cJSON *doc = build("{}");
    assert_string_equal(text(doc, "@context.0"), "https://www.w3.org/ns/credentials/v2");
    assert_string_equal(text(doc, "@context.1"),
                        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
    assert_string_equal(text(doc, "@context.2.1EdTechRevocationList"), AWARD_STATUS_IRI);
    assert_string_equal(text(doc, "id"),
                        "https://mcred.example/credentials/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
    assert_string_equal(text(doc, "type.0"), "VerifiableCredential");
    assert_string_equal(text(doc, "type.1"), "OpenBadgeCredential");
    assert_string_equal(text(doc, "issuer.id"), "https://mcred.example/issuers/north");
    assert_string_equal(text(doc, "issuer.type.0"), "Profile");
    assert_string_equal(text(doc, "issuer.name"), "North District");
    assert_string_equal(text(doc, "validFrom"), "2026-12-05T10:00:00Z");
    assert_string_equal(text(doc, "awardedDate"), "2026-12-05T10:00:00Z");
    assert_string_equal(text(doc, "credentialStatus.type"), "1EdTechRevocationList");
    assert_string_equal(text(doc, "credentialStatus.id"),
                        "https://mcred.example/issuers/north/revocations");
    assert_null(at(doc, "proof"));
    cJSON_Delete(doc);
}

static void test_identity_is_hashed(void **state)
{
    (void)state;
    cJSON *doc = build("{}");
    /* printf 'ana.ruiz@example.org00112233445566778899aabbccddeeff' | sha256sum */
    assert_string_equal(text(doc, "credentialSubject.identifier.0.identityHash"),
                        "sha256$6f02c2e3a16920b274ca13d09a1cd9b59d874750349ba1783387d2e4cfa5adfb");
    assert_string_equal(text(doc, "credentialSubject.identifier.0.type"), "IdentityObject");
    assert_string_equal(text(doc, "credentialSubject.identifier.0.identityType"), "emailAddress");
    assert_true(cJSON_IsTrue(at(doc, "credentialSubject.identifier.0.hashed")));
    assert_string_equal(text(doc, "credentialSubject.id"),
                        "urn:uuid:0f0e0d0c-0b0a-4909-8807-060504030201");
    char *printed = cJSON_PrintUnformatted(doc);
    assert_null(strcasestr(printed, "ana.ruiz"));
    free(printed);
    cJSON_Delete(doc);
}

static void test_achievement(void **state)
{
    (void)state;
    cJSON *doc = build("{}");
    const cJSON *a = at(doc, "credentialSubject.achievement");
    assert_string_equal(text(a, "id"),
                        "https://mcred.example/achievements/7d1f0e6a-1111-4222-8333-944455556666");
    assert_string_equal(text(a, "type.0"), "Achievement");
    assert_string_equal(text(a, "achievementType"), "ext:InquiryCycle");
    assert_string_equal(text(a, "name"), "Data Inquiry");
    assert_string_equal(text(a, "criteria.narrative"),
                        "Awarded when a coach has scored every indicator of every performance "
                        "standard at level 4 (Practitioner) or above on the credential's rubric "
                        "and the learner has attended at least 3 weekly sessions.");
    /* one alignment per standard, one result description per indicator */
    assert_int_equal(cJSON_GetArraySize(at(a, "alignment")), 3);
    assert_string_equal(text(a, "alignment.0.targetUrl"),
                        "https://mcred.example/achievements/7d1f0e6a-1111-4222-8333-944455556666"
                        "#standard-A");
    assert_string_equal(text(a, "alignment.0.targetDescription"), "Frames questions");
    assert_null(at(a, "alignment.1.targetDescription"));
    assert_int_equal(cJSON_GetArraySize(at(a, "resultDescription")), 6);
    const cJSON *rd = at(a, "resultDescription.0");
    assert_string_equal(text(rd, "id"),
                        "https://mcred.example/achievements/7d1f0e6a-1111-4222-8333-944455556666"
                        "#indicator-A%201");
    assert_string_equal(text(rd, "resultType"), "RubricCriterion");
    assert_string_equal(text(rd, "name"), "A 1 Names a question");
    assert_int_equal(cJSON_GetArraySize(at(rd, "rubricCriterionLevel")), 5);
    assert_string_equal(text(rd, "rubricCriterionLevel.4.name"), "Expert");
    assert_string_equal(text(rd, "rubricCriterionLevel.4.description"), "Teaches others");
    assert_string_equal(text(rd, "rubricCriterionLevel.4.level"), "5");
    const char *required = text(rd, "requiredLevel");
    assert_non_null(strstr(required, "#indicator-A%201-level-4"));
    cJSON_Delete(doc);
}

static void test_results_only_for_scored_indicators(void **state)
{
    (void)state;
    cJSON *doc = build("{\"B.2\": 5, \"A 1\": 4, \"Z.9\": 2}");
    const cJSON *results = at(doc, "credentialSubject.result");
    /* in the credential's order; an indicator it does not have is left out */
    assert_int_equal(cJSON_GetArraySize(results), 2);
    assert_string_equal(text(results, "0.value"), "Practitioner");
    assert_non_null(strstr(text(results, "0.achievedLevel"), "#indicator-A%201-level-4"));
    assert_string_equal(text(results, "1.value"), "Expert");
    assert_non_null(strstr(text(results, "1.resultDescription"), "#indicator-B.2"));
    assert_string_equal(text(results, "1.type.0"), "Result");
    cJSON_Delete(doc);
}

static void test_known_type_kept(void **state)
{
    (void)state;
    cJSON *credential = cJSON_Parse(credential_json);
    cJSON_ReplaceItemInObject(credential, "achievement_type",
                              cJSON_CreateString("MicroCredential"));
    cJSON *out = NULL;
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(award_achievement_build("https://x.example", credential, &out, &err), MC_OK);
    assert_string_equal(text(out, "achievementType"), "MicroCredential");
    cJSON_Delete(out);
    cJSON_Delete(credential);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envelope),
        cmocka_unit_test(test_identity_is_hashed),
        cmocka_unit_test(test_achievement),
        cmocka_unit_test(test_results_only_for_scored_indicators),
        cmocka_unit_test(test_known_type_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
