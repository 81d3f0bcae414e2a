/*
 * test_rdfc.c — RDFC-1.0 against a subset of the W3C rdf-canon test suite
 * (tests/fixtures/rdfc10), and JSON-LD → RDF → canonical N-Quads against
 * the Open Badges 3.0 eddsa-rdfc-2022 vector (tests/fixtures/vc).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/jsonld.h"
#include "mcred/rdfc.h"

#include "vc_testutil.h"

/* ---- the W3C suite ----------------------------------------------------- */

static const char *const suite[] = {
    "001", "002", "003", "005", "016", "017", "018", "019", "020", "021", "022", "023",
    "024", "029", "030", "033", "035", "038", "043", "044", "053", "054", "058", "059",
    "060", "061", "062", "064", "070", "071", "072", "073", "076", "077",
};

static void run_case(const char *id)
{
    char in_name[64], out_name[64];
    snprintf(in_name, sizeof in_name, "test%s-in.nq", id);
    snprintf(out_name, sizeof out_name, "test%s-rdfc10.nq", id);
    size_t len = 0;
    char *in = vc_read_fixture(MCRED_RDFC10_FIXTURES, in_name, &len);
    char *expected = vc_read_fixture(MCRED_RDFC10_FIXTURES, out_name, NULL);
    assert_non_null(in);
    assert_non_null(expected);
    struct mc_error err;
    mc_error_clear(&err);
    struct mc_rdf_dataset *ds = NULL;
    if (mc_nquads_parse(in, len, &ds, &err) != MC_OK)
        fail_msg("test%s: %s", id, err.message);
    char *canon = NULL;
    if (mc_rdfc_canonize_dataset(ds, &canon, &err) != MC_OK)
        fail_msg("test%s: %s", id, err.message);
    if (strcmp(canon, expected) != 0)
        fail_msg("test%s differs:\n--- got\n%s--- expected\n%s", id, canon, expected);
    free(canon);
    mc_rdf_dataset_free(ds);
    free(in);
    free(expected);
}

static void test_suite_subset(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof suite / sizeof suite[0]; i++)
        run_case(suite[i]);
}

/* test074: a 10-node clique; the suite expects the work limit to stop it. */
static void test_poison_clique_is_refused(void **state)
{
    (void)state;
    size_t len = 0;
    char *in = vc_read_fixture(MCRED_RDFC10_FIXTURES, "test074-in.nq", &len);
    assert_non_null(in);
    struct mc_error err;
    mc_error_clear(&err);
    struct mc_rdf_dataset *ds = NULL;
    assert_int_equal(mc_nquads_parse(in, len, &ds, &err), MC_OK);
    char *canon = NULL;
    assert_int_equal(mc_rdfc_canonize_dataset(ds, &canon, &err), MC_ERR_TOO_LARGE);
    assert_null(canon);
    assert_non_null(strstr(err.message, "blank node hashing"));
    mc_rdf_dataset_free(ds);
    free(in);
}

static void test_nquads_parse_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "<urn:a> <urn:b> <urn:c>\n",        /* no '.' */
        "\"lit\" <urn:b> <urn:c> .\n",      /* literal subject */
        "<urn:a> _:b <urn:c> .\n",          /* blank node predicate */
        "<urn:a> <urn:b> \"open .\n",       /* unterminated literal */
        "<urn:a> <urn:b> <urn:c> . junk\n", /* text after '.' */
        "<urn:a> <urn:b> \"\\q\" .\n",      /* unknown escape */
        "<urn a> <urn:b> <urn:c> .\n",      /* space in IRI */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct mc_error err;
        mc_error_clear(&err);
        struct mc_rdf_dataset *ds = NULL;
        assert_int_equal(mc_nquads_parse(bad[i], strlen(bad[i]), &ds, &err), MC_ERR_MALFORMED);
        assert_null(ds);
    }
}

/* ---- JSON-LD against the Open Badges vector ------------------------------ */

static char *canon_of(const cJSON *doc)
{
    struct mc_error err;
    mc_error_clear(&err);
    char *out = NULL;
    if (mc_rdfc_canonize(doc, &out, &err) != MC_OK)
        fail_msg("canonize: %s", err.message);
    return out;
}

static void test_vector_document_canon(void **state)
{
    (void)state;
    cJSON *cred = vc_read_json(MCRED_VC_FIXTURES, "signed-credential.json");
    char *expected = vc_read_fixture(MCRED_VC_FIXTURES, "document-canon.txt", NULL);
    assert_non_null(cred);
    assert_non_null(expected);
    cJSON_DeleteItemFromObjectCaseSensitive(cred, "proof");
    char *canon = canon_of(cred);
    assert_string_equal(canon, expected);
    free(canon);
    free(expected);
    cJSON_Delete(cred);
}

static void test_vector_proof_canon(void **state)
{
    (void)state;
    cJSON *cred = vc_read_json(MCRED_VC_FIXTURES, "signed-credential.json");
    char *expected = vc_read_fixture(MCRED_VC_FIXTURES, "proof-canon.txt", NULL);
    assert_non_null(cred);
    assert_non_null(expected);
    cJSON *config = cJSON_DetachItemFromObjectCaseSensitive(cred, "proof");
    cJSON_DeleteItemFromObjectCaseSensitive(config, "proofValue");
    cJSON_AddItemToObject(config, "@context",
                          cJSON_Duplicate(cJSON_GetObjectItem(cred, "@context"), true));
    char *canon = canon_of(config);
    assert_string_equal(canon, expected);
    free(canon);
    free(expected);
    cJSON_Delete(config);
    cJSON_Delete(cred);
}

/* The proof, kept in the document, lands in its own named graph. */
static void test_proof_is_a_named_graph(void **state)
{
    (void)state;
    cJSON *cred = vc_read_json(MCRED_VC_FIXTURES, "signed-credential.json");
    char *canon = canon_of(cred);
    assert_non_null(strstr(canon, "<http://example.com/credentials/3527> "
                                  "<https://w3id.org/security#proof> _:c14n"));
    assert_non_null(strstr(canon, "<https://w3id.org/security#proofValue> "
                                  "\"z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvq"
                                  "ZtkMtSbz35HcbgXVEDYHxCzgkCr\"^^<https://w3id.org/security#"
                                  "multibase> _:c14n"));
    free(canon);
    cJSON_Delete(cred);
}

static enum mc_err canon_text(const char *json, char **out, struct mc_error *err)
{
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    enum mc_err rc = mc_rdfc_canonize(doc, out, err);
    cJSON_Delete(doc);
    return rc;
}

static void test_unknown_context_is_refused(void **state)
{
    (void)state;
    struct mc_error err;
    mc_error_clear(&err);
    char *out = NULL;
    assert_int_equal(canon_text("{\"@context\": [\"https://www.w3.org/ns/credentials/v2\", "
                                "\"https://evil.example/ctx.jsonld\"], \"name\": \"x\"}",
                                &out, &err),
                     MC_ERR_NOT_FOUND);
    assert_null(out);
    assert_non_null(strstr(err.message, "https://evil.example/ctx.jsonld"));
    const char *text = NULL;
    size_t len = 0;
    assert_int_equal(
        mc_jsonld_document("https://www.w3.org/2018/credentials/v1", &text, &len, &err),
        MC_ERR_NOT_FOUND);
    assert_int_equal(mc_jsonld_document(MC_JSONLD_MULTIKEY_V1, &text, &len, &err), MC_OK);
    assert_true(len > 100 && text[0] == '{');
}

static void test_invalid_documents(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "{\"@context\": 5}",
        "{\"@context\": {\"@version\": 1.0}}",
        "{\"@context\": {\"a\": {\"@id\": 5}}, \"a\": 1}",
        "{\"@context\": {\"a\": {\"@container\": \"@bogus\", \"@id\": \"urn:a\"}}}",
        "{\"@context\": {\"a\": \"b\", \"b\": \"a\"}, \"a\": 1}",
        /* redefining a protected term of the credentials context */
        "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\", {\"name\": \"urn:other\"}]}",
        "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\", null]}",
        "{\"@id\": 5}",
        "{\"@context\": {\"@vocab\": \"urn:v:\"}, \"p\": {\"@value\": {\"x\": 1}}}",
        "{\"@context\": {\"@base\": \"https://example.org/\"}}",
        "{\"@context\": {\"@import\": \"https://w3id.org/security/multikey/v1\"}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct mc_error err;
        mc_error_clear(&err);
        char *out = NULL;
        enum mc_err rc = canon_text(bad[i], &out, &err);
        if (rc == MC_OK)
            fail_msg("accepted: %s\n%s", bad[i], out);
        assert_null(out);
        assert_true(err.message[0] != '\0');
    }
}

static void test_deep_nesting_is_refused(void **state)
{
    (void)state;
    char doc[4096] = "{\"@context\": {\"@vocab\": \"urn:v:\"}, \"p\": ";
    size_t n = strlen(doc);
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "{\"p\": ");
    n += (size_t)snprintf(doc + n, sizeof doc - n, "1");
    for (int i = 0; i < 201; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "}");
    struct mc_error err;
    mc_error_clear(&err);
    char *out = NULL;
    assert_int_equal(canon_text(doc, &out, &err), MC_ERR_TOO_LARGE);
}

/* Literal forms, lists, language maps, @json and dropped terms. */
static void test_literals_and_containers(void **state)
{
    (void)state;
    const char *doc =
        "{\"@context\": {\"@vocab\": \"urn:v:\", \"l\": {\"@container\": \"@list\"},"
        " \"m\": {\"@container\": \"@language\"}, \"j\": {\"@type\": \"@json\"},"
        " \"d\": {\"@type\": \"http://www.w3.org/2001/XMLSchema#double\"}, \"gone\": null},"
        " \"@id\": \"urn:s\", \"i\": 5, \"f\": 1.5, \"big\": 1e21, \"d\": 2, \"b\": true,"
        " \"l\": [1, \"two\"], \"m\": {\"EN\": \"hi\", \"fr\": [\"salut\", null]},"
        " \"j\": {\"b\": [1, 2.5, \"\\u00e9\"], \"a\": null}, \"gone\": \"x\","
        " \"s\": \"line\\nbreak \\\"q\\\"\", \"tiny\": 1e-7}";
    const char *expected =
        "<urn:s> <urn:v:b> \"true\"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n"
        "<urn:s> <urn:v:big> \"1.0E21\"^^<http://www.w3.org/2001/XMLSchema#double> .\n"
        "<urn:s> <urn:v:d> \"2.0E0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n"
        "<urn:s> <urn:v:f> \"1.5E0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n"
        "<urn:s> <urn:v:i> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
        "<urn:s> <urn:v:j> \"{\\\"a\\\":null,\\\"b\\\":[1,2.5,\\\"\xc3\xa9\\\"]}\""
        "^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n"
        "<urn:s> <urn:v:l> _:c14n1 .\n"
        "<urn:s> <urn:v:m> \"hi\"@en .\n"
        "<urn:s> <urn:v:m> \"salut\"@fr .\n"
        "<urn:s> <urn:v:s> \"line\\nbreak \\\"q\\\"\" .\n"
        /* jsonld.js's rule: no '.' in its ECMAScript text, so an integer */
        "<urn:s> <urn:v:tiny> \"0\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
        "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"two\" .\n"
        "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n"
        "_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "
        "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
        "_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n0 .\n";
    struct mc_error err;
    mc_error_clear(&err);
    char *out = NULL;
    if (canon_text(doc, &out, &err) != MC_OK)
        fail_msg("%s", err.message);
    assert_string_equal(out, expected);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_subset),
        cmocka_unit_test(test_poison_clique_is_refused),
        cmocka_unit_test(test_nquads_parse_errors),
        cmocka_unit_test(test_vector_document_canon),
        cmocka_unit_test(test_vector_proof_canon),
        cmocka_unit_test(test_proof_is_a_named_graph),
        cmocka_unit_test(test_unknown_context_is_refused),
        cmocka_unit_test(test_invalid_documents),
        cmocka_unit_test(test_deep_nesting_is_refused),
        cmocka_unit_test(test_literals_and_containers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
