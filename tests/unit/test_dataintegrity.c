/*
 * test_dataintegrity.c — eddsa-rdfc-2022 against the Open Badges 3.0
 * vector (tests/fixtures/vc) byte for byte, sign → verify round trips on a
 * credential full of blank nodes, tampering, and multibase / Multikey.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mcred/dataintegrity.h"
#include "mcred/multibase.h"
#include "mcred/rdfc.h"

#include "vc_testutil.h"

struct vector {
    unsigned char pk[32];
    unsigned char sk[64];
    cJSON *json;
};

static const char *vstr(const struct vector *v, const char *key)
{
    const cJSON *s = cJSON_GetObjectItem(v->json, key);
    assert_true(cJSON_IsString(s));
    return s->valuestring;
}

static void vector_load(struct vector *v)
{
    v->json = vc_read_json(MCRED_VC_FIXTURES, "eddsa-rdfc-2022-vector.json");
    assert_non_null(v->json);
    size_t len = 0;
    assert_int_equal(
        sodium_hex2bin(v->pk, sizeof v->pk, vstr(v, "public_key_hex"), 64, NULL, &len, NULL), 0);
    assert_int_equal(len, 32);
    assert_int_equal(sodium_hex2bin(v->sk, sizeof v->sk,
                                    vstr(v, "secret_key_hex_libsodium_64B_seed_plus_pub"), 128,
                                    NULL, &len, NULL),
                     0);
    assert_int_equal(len, 64);
}

static void hex_equal(const unsigned char *bin, size_t n, const char *hex)
{
    char buf[260];
    assert_true(n * 2 < sizeof buf);
    sodium_bin2hex(buf, sizeof buf, bin, n);
    assert_string_equal(buf, hex);
}

/* Hashes, signature and proofValue of the published vector, byte for byte. */
static void test_vector_bytes(void **state)
{
    (void)state;
    struct vector v;
    vector_load(&v);
    cJSON *cred = vc_read_json(MCRED_VC_FIXTURES, "signed-credential.json");
    assert_non_null(cred);
    cJSON *config = cJSON_DetachItemFromObjectCaseSensitive(cred, "proof");
    cJSON_DeleteItemFromObjectCaseSensitive(config, "proofValue");
    cJSON_AddItemToObject(config, "@context",
                          cJSON_Duplicate(cJSON_GetObjectItem(cred, "@context"), true));
    struct mc_error err;
    mc_error_clear(&err);
    unsigned char hash[MC_DI_HASHBYTES];
    assert_int_equal(mc_di_hash_data(cred, config, hash, &err), MC_OK);
    hex_equal(hash, 32, vstr(&v, "sha256_proof_canon_hex"));
    hex_equal(hash + 32, 32, vstr(&v, "sha256_document_canon_hex"));
    hex_equal(hash, 64, vstr(&v, "data_to_sign_hex"));
    unsigned char sig[64];
    crypto_sign_detached(sig, NULL, hash, sizeof hash, v.sk);
    hex_equal(sig, 64, vstr(&v, "signature_hex"));
    char *pv = NULL;
    assert_int_equal(mc_multibase_encode(sig, sizeof sig, &pv, &err), MC_OK);
    assert_string_equal(pv, vstr(&v, "proofValue"));
    free(pv);
    cJSON_Delete(config);
    cJSON_Delete(cred);
    cJSON_Delete(v.json);
}

/* mc_di_sign() makes the vector's proof (Ed25519 is deterministic). */
static void test_vector_sign(void **state)
{
    (void)state;
    struct vector v;
    vector_load(&v);
    cJSON *cred = vc_read_json(MCRED_VC_FIXTURES, "signed-credential.json");
    cJSON *published = cJSON_DetachItemFromObjectCaseSensitive(cred, "proof");
    struct mc_error err;
    mc_error_clear(&err);
    const char *vm = cJSON_GetObjectItem(published, "verificationMethod")->valuestring;
    assert_int_equal(mc_di_sign(cred, v.sk, vm, "2010-01-01T19:23:24Z", &err), MC_OK);
    const cJSON *proofs = cJSON_GetObjectItem(cred, "proof");
    assert_true(cJSON_IsArray(proofs));
    assert_int_equal(cJSON_GetArraySize(proofs), 1);
    assert_true(cJSON_Compare(cJSON_GetArrayItem(proofs, 0), published, true));
    assert_int_equal(mc_di_verify(cred, v.pk, &err), MC_OK);
    /* a second proof is refused, and the credential is left alone */
    assert_int_equal(mc_di_sign(cred, v.sk, vm, NULL, &err), MC_ERR_CONFLICT);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cred, "proof")), 1);
    cJSON_Delete(published);
    cJSON_Delete(cred);
    cJSON_Delete(v.json);
}

/* The vector as published: `proof` is one object, not an array. */
static void test_vector_verify(void **state)
{
    (void)state;
    struct vector v;
    vector_load(&v);
    cJSON *cred = vc_read_json(MCRED_VC_FIXTURES, "signed-credential.json");
    struct mc_error err;
    mc_error_clear(&err);
    const char *vm = NULL;
    assert_int_equal(mc_di_verification_method(cred, &vm, &err), MC_OK);
    assert_string_equal(vm, "https://example.edu/issuers/565049#"
                            "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi");
    assert_int_equal(mc_di_verify(cred, v.pk, &err), MC_OK);
    /* another key does not verify it */
    unsigned char other[32];
    memcpy(other, v.pk, 32);
    other[0] ^= 1;
    assert_int_not_equal(mc_di_verify(cred, other, &err), MC_OK);
    /* nor does a changed proof option */
    cJSON *proof = cJSON_GetObjectItem(cred, "proof");
    cJSON_ReplaceItemInObject(proof, "created", cJSON_CreateString("2010-01-01T19:23:25Z"));
    assert_int_equal(mc_di_verify(cred, v.pk, &err), MC_ERR_UNAUTHENTICATED);
    cJSON_Delete(cred);
    cJSON_Delete(v.json);
}

static void test_multikey(void **state)
{
    (void)state;
    struct vector v;
    vector_load(&v);
    struct mc_error err;
    mc_error_clear(&err);
    char mk[MC_MULTIKEY_ED25519_MAX];
    assert_int_equal(mc_multikey_encode_ed25519(v.pk, mk, &err), MC_OK);
    assert_string_equal(mk, vstr(&v, "publicKeyMultibase"));
    unsigned char back[32];
    assert_int_equal(mc_multikey_decode_ed25519(mk, back, &err), MC_OK);
    assert_memory_equal(back, v.pk, 32);
    /* wrong base, wrong alphabet, wrong codec, wrong length */
    assert_int_equal(mc_multikey_decode_ed25519(mk + 1, back, &err), MC_ERR_INVALID);
    assert_int_equal(mc_multikey_decode_ed25519("z6Mk0OIl", back, &err), MC_ERR_INVALID);
    assert_int_equal(mc_multikey_decode_ed25519(vstr(&v, "secretKeyMultibase"), back, &err),
                     MC_ERR_INVALID);
    assert_int_equal(mc_multikey_decode_ed25519("z6Mk", back, &err), MC_ERR_INVALID);
    /* leading zero bytes survive base58btc */
    const unsigned char zeros[5] = {0, 0, 1, 2, 0};
    char *text = NULL;
    assert_int_equal(mc_base58btc_encode(zeros, sizeof zeros, &text, &err), MC_OK);
    assert_memory_equal(text, "11", 2);
    unsigned char *dec = NULL;
    size_t len = 0;
    assert_int_equal(mc_base58btc_decode(text, &dec, &len, &err), MC_OK);
    assert_int_equal(len, sizeof zeros);
    assert_memory_equal(dec, zeros, sizeof zeros);
    free(dec);
    free(text);
    assert_int_equal(mc_base58btc_encode(zeros, 0, &text, &err), MC_OK);
    assert_string_equal(text, "");
    free(text);
    cJSON_Delete(v.json);
}

/* ---- our own credential: blank nodes everywhere ---------------------------- */

#define VM "https://mcred.example.org/issuers/1#key-1"

static cJSON *signed_fixture(unsigned char pk[32], unsigned char sk[64])
{
    crypto_sign_keypair(pk, sk);
    cJSON *cred = vc_read_json(MCRED_VC_FIXTURES, "ob-credential-blank-nodes.json");
    assert_non_null(cred);
    struct mc_error err;
    mc_error_clear(&err);
    if (mc_di_sign(cred, sk, VM, "2026-06-30T17:00:05Z", &err) != MC_OK)
        fail_msg("sign: %s", err.message);
    return cred;
}

static void test_round_trip(void **state)
{
    (void)state;
    unsigned char pk[32], sk[64];
    cJSON *cred = signed_fixture(pk, sk);
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_di_verify(cred, pk, &err), MC_OK);
    /* the same proof as a single object verifies too */
    cJSON *arr = cJSON_DetachItemFromObjectCaseSensitive(cred, "proof");
    cJSON_AddItemToObject(cred, "proof", cJSON_DetachItemFromArray(arr, 0));
    cJSON_Delete(arr);
    assert_int_equal(mc_di_verify(cred, pk, &err), MC_OK);
    /* member order and whitespace do not matter: re-parse a printed copy */
    char *text = cJSON_Print(cred);
    cJSON *again = cJSON_Parse(text);
    assert_int_equal(mc_di_verify(again, pk, &err), MC_OK);
    /* the canonical form has the blank nodes relabelled */
    cJSON_DeleteItemFromObjectCaseSensitive(again, "proof");
    char *canon = NULL;
    assert_int_equal(mc_rdfc_canonize(again, &canon, &err), MC_OK);
    assert_non_null(strstr(canon, "_:c14n0 "));
    assert_non_null(strstr(canon, "\"s4lt-\\\"quoted\\\"\\n\""));
    assert_non_null(strstr(canon, "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#hashed> "
                                  "\"true\"^^<https://www.w3.org/2001/XMLSchema#boolean>"));
    assert_non_null(strstr(canon, "\"3.5E0\"^^<https://www.w3.org/2001/XMLSchema#float>"));
    assert_non_null(
        strstr(canon, "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#allowedValue> _:c14n"));
    free(canon);
    free(text);
    cJSON_Delete(again);
    cJSON_Delete(cred);
}

/* Every scalar of the signed credential, depth first. */
static void collect_scalars(cJSON *item, cJSON **out, size_t *n, size_t max)
{
    for (cJSON *c = item->child; c; c = c->next) {
        if (cJSON_IsObject(c) || cJSON_IsArray(c))
            collect_scalars(c, out, n, max);
        else if (*n < max)
            out[(*n)++] = c;
    }
}

static void tamper(cJSON *v)
{
    if (cJSON_IsString(v)) {
        size_t len = strlen(v->valuestring);
        assert_true(len > 0);
        v->valuestring[len - 1] ^= 1; /* one bit of one byte */
    } else if (cJSON_IsNumber(v)) {
        cJSON_SetNumberValue(v, v->valuedouble + 1);
    } else if (cJSON_IsBool(v)) {
        v->type = cJSON_IsTrue(v) ? cJSON_False : cJSON_True;
    }
}

static void test_tampering_fails(void **state)
{
    (void)state;
    unsigned char pk[32], sk[64];
    cJSON *cred = signed_fixture(pk, sk);
    cJSON *all[512];
    size_t n = 0;
    collect_scalars(cred, all, &n, 512);
    assert_true(n > 60);
    for (size_t i = 0; i < n; i++) {
        cJSON *copy = cJSON_Duplicate(cred, true);
        cJSON *vals[512];
        size_t m = 0;
        collect_scalars(copy, vals, &m, 512);
        assert_int_equal(m, n);
        tamper(vals[i]);
        struct mc_error err;
        mc_error_clear(&err);
        if (mc_di_verify(copy, pk, &err) == MC_OK) {
            char *t = cJSON_PrintUnformatted(vals[i]);
            fail_msg("tampered value %zu (\"%s\": %s) still verifies", i,
                     all[i]->string ? all[i]->string : "[]", t);
        }
        cJSON_Delete(copy);
    }
    cJSON_Delete(cred);
}

static void test_refusals(void **state)
{
    (void)state;
    unsigned char pk[32], sk[64];
    crypto_sign_keypair(pk, sk);
    struct mc_error err;
    mc_error_clear(&err);
    /* a context that is not bundled: a clean error, nothing attached */
    cJSON *cred = vc_read_json(MCRED_VC_FIXTURES, "ob-credential-blank-nodes.json");
    cJSON_AddItemToArray(cJSON_GetObjectItem(cred, "@context"),
                         cJSON_CreateString("https://example.org/unknown-context.jsonld"));
    assert_int_equal(mc_di_sign(cred, sk, VM, NULL, &err), MC_ERR_NOT_FOUND);
    assert_null(cJSON_GetObjectItem(cred, "proof"));
    assert_non_null(strstr(err.message, "https://example.org/unknown-context.jsonld"));
    cJSON_Delete(cred);
    /* no @context, bad created, no verification method */
    cred = cJSON_Parse("{\"type\": \"VerifiableCredential\"}");
    assert_int_equal(mc_di_sign(cred, sk, VM, NULL, &err), MC_ERR_INVALID);
    cJSON_Delete(cred);
    cred = vc_read_json(MCRED_VC_FIXTURES, "ob-credential-blank-nodes.json");
    assert_int_equal(mc_di_sign(cred, sk, VM, "yesterday", &err), MC_ERR_INVALID);
    assert_int_equal(mc_di_sign(cred, sk, "", NULL, &err), MC_ERR_INVALID);
    /* verify: no proof, a proof set, another cryptosuite, a bad proofValue */
    assert_int_equal(mc_di_verify(cred, pk, &err), MC_ERR_INVALID);
    assert_int_equal(mc_di_sign(cred, sk, VM, NULL, &err), MC_OK);
    cJSON *proofs = cJSON_GetObjectItem(cred, "proof");
    cJSON *proof = cJSON_GetArrayItem(proofs, 0);
    cJSON_AddItemToArray(proofs, cJSON_Duplicate(proof, true));
    assert_int_equal(mc_di_verify(cred, pk, &err), MC_ERR_INVALID);
    cJSON_DeleteItemFromArray(proofs, 1);
    assert_int_equal(mc_di_verify(cred, pk, &err), MC_OK);
    cJSON_ReplaceItemInObject(proof, "cryptosuite", cJSON_CreateString("ecdsa-rdfc-2019"));
    assert_int_equal(mc_di_verify(cred, pk, &err), MC_ERR_INVALID);
    cJSON_ReplaceItemInObject(proof, "cryptosuite", cJSON_CreateString(MC_DI_CRYPTOSUITE));
    cJSON_ReplaceItemInObject(proof, "proofValue", cJSON_CreateString("uAAAA"));
    assert_int_equal(mc_di_verify(cred, pk, &err), MC_ERR_INVALID);
    cJSON_ReplaceItemInObject(proof, "proofValue", cJSON_CreateString("z2"));
    assert_int_equal(mc_di_verify(cred, pk, &err), MC_ERR_INVALID);
    cJSON_Delete(cred);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_bytes),  cmocka_unit_test(test_vector_sign),
        cmocka_unit_test(test_vector_verify), cmocka_unit_test(test_multikey),
        cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_tampering_fails),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
