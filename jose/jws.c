/*
 * jws.c — JWS compact serialisation with ES256 only (RFC 7515 §7.1,
 * RFC 7518 §3.4).
 *
 * The verifier is written for hostile input (it will be fuzzed): the
 * length is capped before anything is decoded, the text must split into
 * exactly three parts, each part is decoded strictly and with its own
 * ceiling, and the algorithm is fixed by us, not chosen by the token —
 * "alg" must be exactly "ES256", so "none" and HMAC-with-the-public-key
 * confusions cannot arise.  The signature is checked before the payload is
 * even decoded, and nothing is handed back unless it verifies.
 *
 * ES256 signatures travel as R‖S, 32 bytes each (RFC 7518 §3.4), while
 * OpenSSL speaks DER (ECDSA-Sig-Value); the two converters below sit at
 * that border.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "mcred/json.h"

#include "jose_internal.h"

#include "mcred/banned.h"

#define COORD MC_JOSE_P256_COORD_BYTES

struct jws_parts {
    const char *header, *payload, *sig;
    size_t header_len, payload_len, sig_len;
    size_t signing_input_len; /* "header.payload" */
};

/* ---- R‖S and DER ---- */

/* OpenSSL's DER ECDSA-Sig-Value → R‖S, each left-padded to 32 bytes. */
static enum mc_err der_to_rs(const unsigned char *der, size_t der_len,
                             unsigned char out[MC_JOSE_ES256_SIG_BYTES], struct mc_error *err)
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (!sig)
        return mc_jose_crypto_error(err, "decode an ECDSA signature");
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG_get0(sig, &r, &s);
    enum mc_err rc = MC_OK;
    if (BN_bn2binpad(r, out, COORD) != COORD || BN_bn2binpad(s, out + COORD, COORD) != COORD)
        rc = mc_error_set(err, MC_ERR_INTERNAL, NULL, "ECDSA signature does not fit ES256");
    ECDSA_SIG_free(sig);
    return rc;
}

/* R‖S → DER (OPENSSL_free() *out_der). */
static enum mc_err rs_to_der(const unsigned char rs[MC_JOSE_ES256_SIG_BYTES],
                             unsigned char **out_der, size_t *out_len, struct mc_error *err)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(rs, COORD, NULL);
    BIGNUM *s = BN_bin2bn(rs + COORD, COORD, NULL);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return mc_jose_crypto_error(err, "encode an ECDSA signature");
    }
    unsigned char *der = NULL;
    int n = i2d_ECDSA_SIG(sig, &der); /* sig now owns r and s */
    ECDSA_SIG_free(sig);
    if (n <= 0)
        return mc_jose_crypto_error(err, "encode an ECDSA signature");
    *out_der = der;
    *out_len = (size_t)n;
    return MC_OK;
}

/* ---- signing ---- */

static enum mc_err sign_input(const struct mc_jose_key *key, const char *input, size_t len,
                              unsigned char out[MC_JOSE_ES256_SIG_BYTES], struct mc_error *err)
{
    enum mc_err rc = MC_OK;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *der = NULL;
    size_t der_len = 0;
    if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key->pkey) != 1 ||
        EVP_DigestSign(md, NULL, &der_len, (const unsigned char *)input, len) != 1) {
        rc = mc_jose_crypto_error(err, "sign");
        goto out;
    }
    der = OPENSSL_malloc(der_len);
    if (!der) {
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    /* ECDSA is randomised: the second call is a fresh signature, and the
     * first only reported the largest size. */
    if (EVP_DigestSign(md, der, &der_len, (const unsigned char *)input, len) != 1) {
        rc = mc_jose_crypto_error(err, "sign");
        goto out;
    }
    rc = der_to_rs(der, der_len, out, err);
out:
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    return rc;
}

/* Is `item` a JSON object whose "alg" is exactly "ES256"? */
static bool alg_is_es256(const cJSON *header)
{
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(header, "alg");
    return cJSON_IsString(alg) && strcmp(alg->valuestring, "ES256") == 0;
}

/* Append B64(header) "." B64(payload) to `out`. */
static enum mc_err signing_input(const cJSON *header, const void *payload, size_t payload_len,
                                 struct mc_buf *out, struct mc_error *err)
{
    char *text = cJSON_PrintUnformatted(header);
    if (!text)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    size_t text_len = strlen(text);
    enum mc_err rc =
        text_len > MC_JOSE_MAX_HEADER ? MC_ERR_TOO_LARGE : mc_b64url_encode(text, text_len, out);
    free(text);
    if (rc == MC_OK)
        rc = mc_buf_appendc(out, '.');
    if (rc == MC_OK)
        rc = mc_b64url_encode(payload, payload_len, out);
    if (rc == MC_ERR_TOO_LARGE)
        return mc_error_set(err, rc, NULL, "JWS would be larger than %d bytes",
                            MC_JOSE_MAX_COMPACT);
    if (rc != MC_OK)
        return mc_error_set(err, rc, NULL, NULL);
    return MC_OK;
}

enum mc_err mc_jws_sign_es256(const cJSON *header, const void *payload, size_t payload_len,
                              const struct mc_jose_key *key, char **out_compact,
                              struct mc_error *err)
{
    if (!cJSON_IsObject(header) || !alg_is_es256(header))
        return mc_error_set(err, MC_ERR_INVALID, "alg",
                            "JWS header must be an object with \"alg\": \"ES256\"");
    if (!mc_jose_key_has_private(key))
        return mc_error_set(err, MC_ERR_INVALID, NULL, "signing needs a private key");
    struct mc_buf out;
    mc_buf_init(&out, MC_JOSE_MAX_COMPACT);
    unsigned char rs[MC_JOSE_ES256_SIG_BYTES];
    enum mc_err rc = signing_input(header, payload, payload_len, &out, err);
    if (rc == MC_OK)
        rc = sign_input(key, out.data, out.len, rs, err);
    if (rc == MC_OK &&
        (mc_buf_appendc(&out, '.') != MC_OK || mc_b64url_encode(rs, sizeof rs, &out) != MC_OK))
        rc = mc_error_set(err, MC_ERR_TOO_LARGE, NULL, "JWS would be larger than %d bytes",
                          MC_JOSE_MAX_COMPACT);
    if (rc == MC_OK) {
        char *compact = mc_buf_detach(&out, NULL);
        if (compact)
            *out_compact = compact;
        else
            rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    mc_buf_release(&out);
    return rc;
}

/* ---- verifying ---- */

/* Split into exactly three parts at the two dots; the header may not be empty. */
static enum mc_err split(const char *compact, size_t len, struct jws_parts *out,
                         struct mc_error *err)
{
    if (!compact || len == 0)
        return mc_error_set(err, MC_ERR_MALFORMED, NULL, "JWS is empty");
    if (len > MC_JOSE_MAX_COMPACT)
        return mc_error_set(err, MC_ERR_TOO_LARGE, NULL, "JWS is larger than %d bytes",
                            MC_JOSE_MAX_COMPACT);
    const char *dot1 = memchr(compact, '.', len);
    const char *dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - compact)) : NULL;
    if (!dot2)
        return mc_error_set(err, MC_ERR_MALFORMED, NULL,
                            "JWS must have three parts separated by \".\"");
    const char *end = compact + len;
    if (memchr(dot2 + 1, '.', (size_t)(end - dot2 - 1)))
        return mc_error_set(err, MC_ERR_MALFORMED, NULL,
                            "JWS must have exactly three parts (is it a JWE?)");
    if (dot1 == compact)
        return mc_error_set(err, MC_ERR_MALFORMED, "header", "JWS header is empty");
    out->header = compact;
    out->header_len = (size_t)(dot1 - compact);
    out->payload = dot1 + 1;
    out->payload_len = (size_t)(dot2 - dot1 - 1);
    out->sig = dot2 + 1;
    out->sig_len = (size_t)(end - dot2 - 1);
    out->signing_input_len = (size_t)(dot2 - compact);
    return MC_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Do two members of this one object share a name?  False only when out of memory. */
static bool members_repeat(const cJSON *object, bool *out_duplicate)
{
    int n = cJSON_GetArraySize(object);
    if (n < 2)
        return true;
    /* Sorting keeps this O(n log n): a payload may have many members. */
    const char **names = calloc((size_t)n, sizeof *names);
    if (!names)
        return false;
    int i = 0;
    for (const cJSON *m = object->child; m && i < n; m = m->next)
        names[i++] = m->string ? m->string : "";
    qsort(names, (size_t)i, sizeof *names, compare_names);
    for (int k = 1; k < i; k++)
        if (strcmp(names[k - 1], names[k]) == 0)
            *out_duplicate = true;
    free(names);
    return true;
}

/* Nested objects too: with {"issuer":{"id":"a","id":"b"}} another verifier
 * might read "b" where we compared "a".  The depth is bounded by cJSON's
 * nesting limit, so the recursion is too. */
bool mc_jose_scan_duplicates(const cJSON *item, bool *out_duplicate)
{
    if (cJSON_IsObject(item) && !members_repeat(item, out_duplicate))
        return false;
    if (cJSON_IsObject(item) || cJSON_IsArray(item))
        for (const cJSON *c = item->child; c && !*out_duplicate; c = c->next)
            if (!mc_jose_scan_duplicates(c, out_duplicate))
                return false;
    return true;
}

enum mc_err mc_jose_parse_object(const char *text, size_t len, const char *what, const char *field,
                                 cJSON **out, struct mc_error *err)
{
    cJSON *root = NULL;
    if (mc_json_parse(text, len, &root, NULL) != MC_OK)
        return mc_error_set(err, MC_ERR_MALFORMED, field, "%s is not valid JSON", what);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return mc_error_set(err, MC_ERR_MALFORMED, field, "%s is not a JSON object", what);
    }
    bool dup = false;
    if (!mc_jose_scan_duplicates(root, &dup)) {
        cJSON_Delete(root);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    if (dup) {
        cJSON_Delete(root);
        return mc_error_set(err, MC_ERR_MALFORMED, field, "%s has a member twice", what);
    }
    *out = root;
    return MC_OK;
}

/* Decode and parse the header; no check of its members. */
static enum mc_err decode_header(const struct jws_parts *parts, cJSON **out, struct mc_error *err)
{
    if (parts->header_len > mc_b64url_encoded_len(MC_JOSE_MAX_HEADER))
        return mc_error_set(err, MC_ERR_TOO_LARGE, "header", "JWS header is larger than %d bytes",
                            MC_JOSE_MAX_HEADER);
    struct mc_buf b;
    mc_buf_init(&b, MC_JOSE_MAX_HEADER);
    enum mc_err rc = mc_b64url_decode(parts->header, parts->header_len, &b, err);
    if (rc != MC_OK)
        rc = mc_error_set(err, MC_ERR_MALFORMED, "header", "JWS header is not valid base64url");
    else
        rc = mc_jose_parse_object(b.data, b.len, "JWS header", "header", out, err);
    mc_buf_release(&b);
    return rc;
}

/* The header rules of mc_jws_verify_es256(): alg exactly ES256, no crit. */
static enum mc_err check_header(const cJSON *header, struct mc_error *err)
{
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(header, "alg");
    if (!alg)
        return mc_error_set(err, MC_ERR_INVALID, "alg", "JWS header has no \"alg\"");
    if (!alg_is_es256(header))
        return mc_error_set(err, MC_ERR_INVALID, "alg",
                            "JWS algorithm is not accepted: only \"ES256\" is");
    /* RFC 7515 §4.1.11: extensions we do not understand must be refused. */
    if (cJSON_GetObjectItemCaseSensitive(header, "crit"))
        return mc_error_set(err, MC_ERR_INVALID, "crit",
                            "JWS header has \"crit\" extensions, which are not supported");
    return MC_OK;
}

static enum mc_err decode_signature(const struct jws_parts *parts,
                                    unsigned char out[MC_JOSE_ES256_SIG_BYTES],
                                    struct mc_error *err)
{
    if (parts->sig_len != mc_b64url_encoded_len(MC_JOSE_ES256_SIG_BYTES))
        return mc_error_set(err, MC_ERR_INVALID, "signature", "ES256 signature must be 64 bytes");
    struct mc_buf b;
    mc_buf_init(&b, MC_JOSE_ES256_SIG_BYTES);
    enum mc_err rc = mc_b64url_decode(parts->sig, parts->sig_len, &b, err);
    if (rc == MC_OK && b.len == MC_JOSE_ES256_SIG_BYTES)
        memcpy(out, b.data, MC_JOSE_ES256_SIG_BYTES);
    else
        rc = mc_error_set(err, MC_ERR_MALFORMED, "signature",
                          "JWS signature is not valid base64url");
    mc_buf_release(&b);
    return rc;
}

static enum mc_err verify_signature(const struct mc_jose_key *key, const char *input, size_t len,
                                    const unsigned char rs[MC_JOSE_ES256_SIG_BYTES],
                                    struct mc_error *err)
{
    unsigned char *der = NULL;
    size_t der_len = 0;
    enum mc_err rc = rs_to_der(rs, &der, &der_len, err);
    if (rc != MC_OK)
        return rc;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key->pkey) != 1) {
        rc = mc_jose_crypto_error(err, "start verifying a signature");
    } else if (EVP_DigestVerify(md, der, der_len, (const unsigned char *)input, len) != 1) {
        /* 0 is a wrong signature, < 0 one that cannot be (r or s out of range). */
        ERR_clear_error();
        rc = mc_error_set(err, MC_ERR_INVALID, "signature", "JWS signature does not verify");
    }
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    return rc;
}

static enum mc_err decode_payload(const struct jws_parts *parts, char **out, size_t *out_len,
                                  struct mc_error *err)
{
    struct mc_buf b;
    mc_buf_init(&b, MC_JOSE_MAX_COMPACT);
    enum mc_err rc = mc_b64url_decode(parts->payload, parts->payload_len, &b, err);
    if (rc != MC_OK) {
        mc_buf_release(&b);
        return mc_error_set(err, MC_ERR_MALFORMED, "payload", "JWS payload is not valid base64url");
    }
    size_t len = 0;
    char *data = mc_buf_detach(&b, &len);
    if (!data)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    *out = data;
    *out_len = len;
    return MC_OK;
}

enum mc_err mc_jws_peek_header(const char *compact, size_t len, cJSON **out_header,
                               struct mc_error *err)
{
    struct jws_parts parts = {0};
    enum mc_err rc = split(compact, len, &parts, err);
    if (rc != MC_OK)
        return rc;
    return decode_header(&parts, out_header, err);
}

enum mc_err mc_jws_verify_es256(const char *compact, size_t len, const struct mc_jose_key *key,
                                cJSON **out_header, char **out_payload, size_t *out_payload_len,
                                struct mc_error *err)
{
    if (!key)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "no key to verify with");
    struct jws_parts parts = {0};
    cJSON *header = NULL;
    unsigned char rs[MC_JOSE_ES256_SIG_BYTES];
    char *payload = NULL;
    size_t payload_len = 0;
    enum mc_err rc = split(compact, len, &parts, err);
    if (rc == MC_OK)
        rc = decode_header(&parts, &header, err);
    if (rc == MC_OK)
        rc = check_header(header, err);
    if (rc == MC_OK)
        rc = decode_signature(&parts, rs, err);
    if (rc == MC_OK)
        rc = verify_signature(key, compact, parts.signing_input_len, rs, err);
    if (rc == MC_OK)
        rc = decode_payload(&parts, &payload, &payload_len, err);
    if (rc != MC_OK) {
        cJSON_Delete(header);
        return rc;
    }
    if (out_header)
        *out_header = header;
    else
        cJSON_Delete(header);
    *out_payload = payload;
    if (out_payload_len)
        *out_payload_len = payload_len;
    return MC_OK;
}
