/*
 * dataintegrity.c — the eddsa-rdfc-2022 cryptosuite (see dataintegrity.h).
 *
 * Both sides build the same proof configuration: the proof object without
 * proofValue, given the document's @context.  The document is hashed
 * without its proof.  Signing works on copies, so a failure leaves the
 * caller's credential as it was.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "mcred/dataintegrity.h"
#include "mcred/multibase.h"
#include "mcred/rdfc.h"
#include "mcred/timefmt.h"

#include "mcred/banned.h"

#define DI_TYPE    "DataIntegrityProof"
#define DI_PURPOSE "assertionMethod"

static enum mc_err canon_sha256(const cJSON *doc, unsigned char out[crypto_hash_sha256_BYTES],
                                struct mc_error *err)
{
    char *canon = NULL;
    enum mc_err rc = mc_rdfc_canonize(doc, &canon, err);
    if (rc != MC_OK)
        return rc;
    crypto_hash_sha256(out, (const unsigned char *)canon, strlen(canon));
    free(canon);
    return MC_OK;
}

enum mc_err mc_di_hash_data(const cJSON *document, const cJSON *proof_config,
                            unsigned char out[MC_DI_HASHBYTES], struct mc_error *err)
{
    if (sodium_init() < 0)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not initialise libsodium");
    enum mc_err rc = canon_sha256(proof_config, out, err);
    if (rc == MC_OK)
        rc = canon_sha256(document, out + crypto_hash_sha256_BYTES, err);
    return rc;
}

/* An xsd:dateTime as Data Integrity wants it: date, 'T', time, zone. */
static bool datetime_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 20 || n > 40 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789-:T.Z+", s[i]))
            return false;
    return s[n - 1] == 'Z' || s[n - 3] == ':';
}

static bool add_str(cJSON *o, const char *k, const char *v)
{
    return cJSON_AddStringToObject(o, k, v) != NULL;
}

/* The proof configuration of §3.3.5, with the document's @context. */
static cJSON *proof_config_new(const cJSON *context, const char *vm, const char *created)
{
    cJSON *pc = cJSON_CreateObject();
    cJSON *ctx = cJSON_Duplicate(context, true);
    if (!pc || !ctx || !cJSON_AddItemToObject(pc, "@context", ctx)) {
        cJSON_Delete(ctx);
        cJSON_Delete(pc);
        return NULL;
    }
    if (!add_str(pc, "type", DI_TYPE) || !add_str(pc, "created", created) ||
        !add_str(pc, "verificationMethod", vm) || !add_str(pc, "cryptosuite", MC_DI_CRYPTOSUITE) ||
        !add_str(pc, "proofPurpose", DI_PURPOSE)) {
        cJSON_Delete(pc);
        return NULL;
    }
    return pc;
}

/* The proof as attached: the configuration without @context, plus proofValue. */
static cJSON *proof_object_new(const cJSON *config, const char *proof_value)
{
    cJSON *p = cJSON_Duplicate(config, true);
    if (!p)
        return NULL;
    cJSON_DeleteItemFromObjectCaseSensitive(p, "@context");
    if (!add_str(p, "proofValue", proof_value)) {
        cJSON_Delete(p);
        return NULL;
    }
    return p;
}

enum mc_err mc_di_sign(cJSON *credential, const unsigned char sk[MC_ED25519_SECRETKEYBYTES],
                       const char *verification_method, const char *created_iso,
                       struct mc_error *err)
{
    if (!cJSON_IsObject(credential))
        return mc_error_set(err, MC_ERR_INVALID, NULL, "a credential must be a JSON object");
    const cJSON *context = cJSON_GetObjectItemCaseSensitive(credential, "@context");
    if (!context)
        return mc_error_set(err, MC_ERR_INVALID, "@context", "the credential has no @context");
    if (cJSON_GetObjectItemCaseSensitive(credential, "proof"))
        return mc_error_set(err, MC_ERR_CONFLICT, "proof", "the credential already has a proof");
    if (!verification_method || !verification_method[0])
        return mc_error_set(err, MC_ERR_INVALID, "verificationMethod",
                            "a verification method is required");
    char now[MC_RFC3339_LEN];
    if (!created_iso) {
        if (!mc_time_rfc3339(time(NULL), now))
            return mc_error_set(err, MC_ERR_INTERNAL, "created", "could not format the time");
        created_iso = now;
    }
    if (!datetime_ok(created_iso))
        return mc_error_set(err, MC_ERR_INVALID, "created", "\"created\" is not an xsd:dateTime");

    cJSON *config = proof_config_new(context, verification_method, created_iso);
    if (!config)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    unsigned char hash[MC_DI_HASHBYTES];
    enum mc_err rc = mc_di_hash_data(credential, config, hash, err);
    if (rc != MC_OK) {
        cJSON_Delete(config);
        return rc;
    }
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, hash, sizeof hash, sk);
    char *proof_value = NULL;
    rc = mc_multibase_encode(sig, sizeof sig, &proof_value, err);
    cJSON *proof = rc == MC_OK ? proof_object_new(config, proof_value) : NULL;
    cJSON *proofs = proof ? cJSON_CreateArray() : NULL;
    free(proof_value);
    cJSON_Delete(config);
    if (rc != MC_OK)
        return rc;
    if (!proofs || !cJSON_AddItemToArray(proofs, proof)) {
        cJSON_Delete(proofs);
        cJSON_Delete(proof);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    if (!cJSON_AddItemToObject(credential, "proof", proofs)) {
        cJSON_Delete(proofs);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    return MC_OK;
}

/* The one proof of the credential: an object, or an array of one. */
static enum mc_err the_proof(const cJSON *credential, const cJSON **out, struct mc_error *err)
{
    if (!cJSON_IsObject(credential))
        return mc_error_set(err, MC_ERR_INVALID, NULL, "a credential must be a JSON object");
    const cJSON *proof = cJSON_GetObjectItemCaseSensitive(credential, "proof");
    if (!proof)
        return mc_error_set(err, MC_ERR_INVALID, "proof", "the credential has no proof");
    if (cJSON_IsArray(proof)) {
        if (cJSON_GetArraySize(proof) != 1)
            return mc_error_set(err, MC_ERR_INVALID, "proof",
                                "cannot verify a proof set: exactly one proof is supported");
        proof = proof->child;
    }
    if (!cJSON_IsObject(proof))
        return mc_error_set(err, MC_ERR_INVALID, "proof", "the proof is not an object");
    *out = proof;
    return MC_OK;
}

static bool member_is(const cJSON *o, const char *k, const char *v)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(m) && strcmp(m->valuestring, v) == 0;
}

enum mc_err mc_di_verification_method(const cJSON *credential, const char **out,
                                      struct mc_error *err)
{
    const cJSON *proof = NULL;
    enum mc_err rc = the_proof(credential, &proof, err);
    if (rc != MC_OK)
        return rc;
    const cJSON *vm = cJSON_GetObjectItemCaseSensitive(proof, "verificationMethod");
    if (!cJSON_IsString(vm) || !vm->valuestring[0])
        return mc_error_set(err, MC_ERR_INVALID, "proof.verificationMethod",
                            "the proof has no verificationMethod");
    *out = vm->valuestring;
    return MC_OK;
}

/* The proof's checks that need no cryptography; the signature in out_sig. */
static enum mc_err proof_checks(const cJSON *credential, const cJSON *proof,
                                unsigned char out_sig[crypto_sign_BYTES], struct mc_error *err)
{
    if (!member_is(proof, "type", DI_TYPE))
        return mc_error_set(err, MC_ERR_INVALID, "proof.type",
                            "the proof is not a DataIntegrityProof");
    if (!member_is(proof, "cryptosuite", MC_DI_CRYPTOSUITE))
        return mc_error_set(err, MC_ERR_INVALID, "proof.cryptosuite",
                            "unsupported cryptosuite: only eddsa-rdfc-2022 is accepted");
    if (!member_is(proof, "proofPurpose", DI_PURPOSE))
        return mc_error_set(err, MC_ERR_INVALID, "proof.proofPurpose",
                            "the proof's purpose is not assertionMethod");
    const cJSON *pctx = cJSON_GetObjectItemCaseSensitive(proof, "@context");
    if (pctx &&
        !cJSON_Compare(pctx, cJSON_GetObjectItemCaseSensitive(credential, "@context"), true))
        return mc_error_set(err, MC_ERR_INVALID, "proof.@context",
                            "the proof's @context differs from the credential's");
    const cJSON *pv = cJSON_GetObjectItemCaseSensitive(proof, "proofValue");
    if (!cJSON_IsString(pv))
        return mc_error_set(err, MC_ERR_INVALID, "proof.proofValue", "the proof has no proofValue");
    unsigned char *sig = NULL;
    size_t len = 0;
    if (mc_multibase_decode(pv->valuestring, &sig, &len, err) != MC_OK ||
        len != crypto_sign_BYTES) {
        free(sig);
        return mc_error_set(err, MC_ERR_INVALID, "proof.proofValue",
                            "proofValue is not a base58btc Ed25519 signature");
    }
    memcpy(out_sig, sig, crypto_sign_BYTES);
    free(sig);
    return MC_OK;
}

enum mc_err mc_di_verify(const cJSON *credential, const unsigned char pk[MC_ED25519_PUBLICKEYBYTES],
                         struct mc_error *err)
{
    const cJSON *proof = NULL;
    unsigned char sig[crypto_sign_BYTES];
    enum mc_err rc = the_proof(credential, &proof, err);
    if (rc == MC_OK)
        rc = proof_checks(credential, proof, sig, err);
    if (rc != MC_OK)
        return rc;
    cJSON *document = cJSON_Duplicate(credential, true);
    cJSON *config = cJSON_Duplicate(proof, true);
    cJSON *ctx = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(credential, "@context"), true);
    if (!document || !config || !ctx) {
        cJSON_Delete(document);
        cJSON_Delete(config);
        cJSON_Delete(ctx);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(document, "proof");
    cJSON_DeleteItemFromObjectCaseSensitive(config, "proofValue");
    cJSON_DeleteItemFromObjectCaseSensitive(config, "@context");
    if (!cJSON_AddItemToObject(config, "@context", ctx)) {
        cJSON_Delete(ctx);
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    unsigned char hash[MC_DI_HASHBYTES];
    if (rc == MC_OK)
        rc = mc_di_hash_data(document, config, hash, err);
    cJSON_Delete(document);
    cJSON_Delete(config);
    if (rc != MC_OK)
        return rc;
    if (crypto_sign_verify_detached(sig, hash, sizeof hash, pk) != 0)
        return mc_error_set(err, MC_ERR_UNAUTHENTICATED, "proof",
                            "the proof's signature does not verify");
    return MC_OK;
}
