/*
 * key.c — P-256 keys for ES256: generation, the 32-byte storage form of
 * the private scalar, the public point as (x, y), the public JWK
 * (RFC 7518 §6.2.1) and its RFC 7638 thumbprint.
 *
 * Keys are built with OpenSSL 3's provider API (EVP_PKEY_fromdata with
 * OSSL_PARAMs); the deprecated EC_KEY is never used.  EC_GROUP and
 * EC_POINT (not deprecated) serve for the two pieces of curve arithmetic
 * the EVP layer does not offer: deriving the public point from d, and
 * checking that a received (x, y) is on the curve before trusting it.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "jose_internal.h"

#include "mcred/banned.h"

#define P256_GROUP_NAME "prime256v1"
#define POINT_BYTES     (1 + 2 * MC_JOSE_P256_COORD_BYTES) /* 0x04 ‖ x ‖ y */

enum mc_err mc_jose_crypto_error(struct mc_error *err, const char *what)
{
    enum mc_err rc = mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not %s", what);
    unsigned long e = ERR_get_error();
    if (e) {
        char text[256];
        ERR_error_string_n(e, text, sizeof text);
        mc_error_detail(err, "libcrypto: %s", text);
    }
    ERR_clear_error();
    return rc;
}

static enum mc_err key_wrap(EVP_PKEY *pkey, bool has_private, struct mc_jose_key **out_key,
                            struct mc_error *err)
{
    struct mc_jose_key *key = OPENSSL_zalloc(sizeof *key);
    if (!key) {
        EVP_PKEY_free(pkey);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    key->pkey = pkey;
    key->has_private = has_private;
    *out_key = key;
    return MC_OK;
}

void mc_jose_key_free(struct mc_jose_key *key)
{
    if (!key)
        return;
    EVP_PKEY_free(key->pkey); /* OpenSSL clears the scalar as it frees it */
    OPENSSL_free(key);
}

bool mc_jose_key_has_private(const struct mc_jose_key *key)
{
    return key && key->has_private;
}

enum mc_err mc_jose_key_generate(struct mc_jose_key **out_key, struct mc_error *err)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", P256_GROUP_NAME);
    if (!pkey)
        return mc_jose_crypto_error(err, "generate a P-256 key");
    return key_wrap(pkey, true, out_key, err);
}

/* A BIGNUM parameter of the key as exactly 32 big-endian bytes. */
static enum mc_err get_bn_bytes(const EVP_PKEY *pkey, const char *name, unsigned char out[32],
                                struct mc_error *err)
{
    BIGNUM *bn = NULL;
    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1)
        return mc_jose_crypto_error(err, "read a key parameter");
    int n = BN_bn2binpad(bn, out, 32);
    BN_clear_free(bn);
    if (n != 32)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "key parameter %s is too long", name);
    return MC_OK;
}

enum mc_err mc_jose_key_export_private(const struct mc_jose_key *key,
                                       unsigned char out_d[MC_JOSE_P256_SCALAR_BYTES],
                                       struct mc_error *err)
{
    if (!mc_jose_key_has_private(key))
        return mc_error_set(err, MC_ERR_INVALID, NULL, "the key has no private part");
    unsigned char d[MC_JOSE_P256_SCALAR_BYTES];
    enum mc_err rc = get_bn_bytes(key->pkey, OSSL_PKEY_PARAM_PRIV_KEY, d, err);
    if (rc == MC_OK)
        memcpy(out_d, d, sizeof d);
    OPENSSL_cleanse(d, sizeof d);
    return rc;
}

enum mc_err mc_jose_key_public_xy(const struct mc_jose_key *key,
                                  unsigned char out_x[MC_JOSE_P256_COORD_BYTES],
                                  unsigned char out_y[MC_JOSE_P256_COORD_BYTES],
                                  struct mc_error *err)
{
    unsigned char x[MC_JOSE_P256_COORD_BYTES], y[MC_JOSE_P256_COORD_BYTES];
    enum mc_err rc = get_bn_bytes(key->pkey, OSSL_PKEY_PARAM_EC_PUB_X, x, err);
    if (rc == MC_OK)
        rc = get_bn_bytes(key->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, y, err);
    if (rc != MC_OK)
        return rc;
    memcpy(out_x, x, sizeof x);
    memcpy(out_y, y, sizeof y);
    return MC_OK;
}

/*
 * An EVP_PKEY from the uncompressed point and, for a key pair, the scalar.
 * The OSSL_PARAM_BLD copies `priv` into memory it clears when freed,
 * because `priv` is a secure BIGNUM.
 */
static enum mc_err pkey_from_data(const unsigned char point[POINT_BYTES], const BIGNUM *priv,
                                  EVP_PKEY **out_pkey, struct mc_error *err)
{
    enum mc_err rc = MC_OK;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    if (!bld ||
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, P256_GROUP_NAME, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, POINT_BYTES) != 1 ||
        (priv && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) != 1)) {
        rc = mc_jose_crypto_error(err, "build key parameters");
        goto out;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1) {
        rc = mc_jose_crypto_error(err, "load a P-256 key");
        goto out;
    }
    *out_pkey = pkey;
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return rc;
}

/* d·G as an uncompressed point; d must already be known to be in [1, n-1]. */
static enum mc_err derive_point(const EC_GROUP *group, const BIGNUM *d,
                                unsigned char out[POINT_BYTES], struct mc_error *err)
{
    enum mc_err rc = MC_OK;
    BN_CTX *bnctx = BN_CTX_secure_new();
    EC_POINT *pub = EC_POINT_new(group);
    if (!bnctx || !pub || EC_POINT_mul(group, pub, d, NULL, NULL, bnctx) != 1 ||
        EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, out, POINT_BYTES, bnctx) !=
            POINT_BYTES)
        rc = mc_jose_crypto_error(err, "derive the public key");
    EC_POINT_free(pub);
    BN_CTX_free(bnctx);
    return rc;
}

enum mc_err mc_jose_key_import_private(const unsigned char d[MC_JOSE_P256_SCALAR_BYTES],
                                       struct mc_jose_key **out_key, struct mc_error *err)
{
    enum mc_err rc = MC_OK;
    EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BIGNUM *priv = BN_secure_new();
    EVP_PKEY *pkey = NULL;
    unsigned char point[POINT_BYTES];
    if (!group || !priv || !BN_bin2bn(d, MC_JOSE_P256_SCALAR_BYTES, priv)) {
        rc = mc_jose_crypto_error(err, "read a private key");
        goto out;
    }
    if (BN_is_zero(priv) || BN_cmp(priv, EC_GROUP_get0_order(group)) >= 0) {
        rc = mc_error_set(err, MC_ERR_INVALID, NULL, "private key is out of range for P-256");
        goto out;
    }
    rc = derive_point(group, priv, point, err);
    if (rc == MC_OK)
        rc = pkey_from_data(point, priv, &pkey, err);
    if (rc == MC_OK)
        rc = key_wrap(pkey, true, out_key, err);
out:
    BN_clear_free(priv);
    EC_GROUP_free(group);
    return rc;
}

/*
 * Is (x, y) a point of P-256?  Each coordinate must be below the field
 * prime p — otherwise x and x + p would name the same point and a key
 * would have two encodings — and the point must satisfy the curve
 * equation (an off-curve point invites invalid-curve attacks).
 */
static enum mc_err check_point(const unsigned char x[MC_JOSE_P256_COORD_BYTES],
                               const unsigned char y[MC_JOSE_P256_COORD_BYTES],
                               struct mc_error *err)
{
    enum mc_err rc = MC_OK;
    EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BN_CTX *bnctx = BN_CTX_new();
    EC_POINT *pt = group ? EC_POINT_new(group) : NULL;
    BIGNUM *p = BN_new(), *bx = BN_bin2bn(x, MC_JOSE_P256_COORD_BYTES, NULL),
           *by = BN_bin2bn(y, MC_JOSE_P256_COORD_BYTES, NULL);
    if (!group || !bnctx || !pt || !p || !bx || !by ||
        EC_GROUP_get_curve(group, p, NULL, NULL, bnctx) != 1) {
        rc = mc_jose_crypto_error(err, "check a public key");
        goto out;
    }
    if (BN_cmp(bx, p) >= 0 || BN_cmp(by, p) >= 0 ||
        EC_POINT_set_affine_coordinates(group, pt, bx, by, bnctx) != 1 ||
        EC_POINT_is_on_curve(group, pt, bnctx) != 1) {
        ERR_clear_error();
        rc = mc_error_set(err, MC_ERR_INVALID, NULL, "public key is not a point on P-256");
    }
out:
    BN_free(by);
    BN_free(bx);
    BN_free(p);
    EC_POINT_free(pt);
    BN_CTX_free(bnctx);
    EC_GROUP_free(group);
    return rc;
}

enum mc_err mc_jose_key_from_public_xy(const unsigned char x[MC_JOSE_P256_COORD_BYTES],
                                       const unsigned char y[MC_JOSE_P256_COORD_BYTES],
                                       struct mc_jose_key **out_key, struct mc_error *err)
{
    enum mc_err rc = check_point(x, y, err);
    if (rc != MC_OK)
        return rc;
    unsigned char point[POINT_BYTES];
    point[0] = POINT_CONVERSION_UNCOMPRESSED;
    memcpy(point + 1, x, MC_JOSE_P256_COORD_BYTES);
    memcpy(point + 1 + MC_JOSE_P256_COORD_BYTES, y, MC_JOSE_P256_COORD_BYTES);
    EVP_PKEY *pkey = NULL;
    rc = pkey_from_data(point, NULL, &pkey, err);
    if (rc != MC_OK)
        return rc;
    return key_wrap(pkey, false, out_key, err);
}

/* x and y as base64url, each in its own buffer (43 characters). */
static enum mc_err public_xy_b64(const struct mc_jose_key *key, struct mc_buf *bx,
                                 struct mc_buf *by, struct mc_error *err)
{
    unsigned char x[MC_JOSE_P256_COORD_BYTES], y[MC_JOSE_P256_COORD_BYTES];
    enum mc_err rc = mc_jose_key_public_xy(key, x, y, err);
    if (rc != MC_OK)
        return rc;
    if (mc_b64url_encode(x, sizeof x, bx) != MC_OK || mc_b64url_encode(y, sizeof y, by) != MC_OK)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    return MC_OK;
}

enum mc_err mc_jose_jwk_public(const struct mc_jose_key *key, const char *kid, cJSON **out_jwk,
                               struct mc_error *err)
{
    if (!kid || !*kid || strlen(kid) > MC_JOSE_MAX_KID)
        return mc_error_set(err, MC_ERR_INVALID, "kid", "kid must be 1 to %d bytes",
                            MC_JOSE_MAX_KID);
    struct mc_buf bx, by;
    mc_buf_init(&bx, 64);
    mc_buf_init(&by, 64);
    enum mc_err rc = public_xy_b64(key, &bx, &by, err);
    cJSON *jwk = NULL;
    if (rc != MC_OK)
        goto out;
    jwk = cJSON_CreateObject();
    if (!jwk || !cJSON_AddStringToObject(jwk, "kty", "EC") ||
        !cJSON_AddStringToObject(jwk, "crv", "P-256") ||
        !cJSON_AddStringToObject(jwk, "x", bx.data) ||
        !cJSON_AddStringToObject(jwk, "y", by.data) || !cJSON_AddStringToObject(jwk, "kid", kid) ||
        !cJSON_AddStringToObject(jwk, "alg", "ES256") ||
        !cJSON_AddStringToObject(jwk, "use", "sig")) {
        cJSON_Delete(jwk);
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    *out_jwk = jwk;
out:
    mc_buf_release(&bx);
    mc_buf_release(&by);
    return rc;
}

/* A JWK string member that must equal `want` when present (or always, when required). */
static enum mc_err jwk_expect(const cJSON *jwk, const char *name, const char *want, bool required,
                              struct mc_error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(jwk, name);
    if (!item && !required)
        return MC_OK;
    if (!item || !cJSON_IsString(item) || strcmp(item->valuestring, want) != 0)
        return mc_error_set(err, MC_ERR_INVALID, name, "JWK \"%s\" must be \"%s\"", name, want);
    return MC_OK;
}

/* A JWK coordinate: base64url of exactly 32 bytes. */
static enum mc_err jwk_coord(const cJSON *jwk, const char *name,
                             unsigned char out[MC_JOSE_P256_COORD_BYTES], struct mc_error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(jwk, name);
    if (!cJSON_IsString(item))
        return mc_error_set(err, MC_ERR_INVALID, name, "JWK \"%s\" must be a string", name);
    size_t len = strlen(item->valuestring);
    if (len != mc_b64url_encoded_len(MC_JOSE_P256_COORD_BYTES))
        return mc_error_set(err, MC_ERR_INVALID, name,
                            "JWK \"%s\" must be the base64url of 32 bytes", name);
    struct mc_buf b;
    mc_buf_init(&b, MC_JOSE_P256_COORD_BYTES);
    enum mc_err rc = mc_b64url_decode(item->valuestring, len, &b, err);
    if (rc == MC_OK && b.len == MC_JOSE_P256_COORD_BYTES)
        memcpy(out, b.data, MC_JOSE_P256_COORD_BYTES);
    else
        rc = mc_error_set(err, MC_ERR_INVALID, name, "JWK \"%s\" must be the base64url of 32 bytes",
                          name);
    mc_buf_release(&b);
    return rc;
}

enum mc_err mc_jose_jwk_parse_public(const cJSON *jwk, struct mc_jose_key **out_key,
                                     struct mc_error *err)
{
    if (!cJSON_IsObject(jwk))
        return mc_error_set(err, MC_ERR_INVALID, NULL, "a JWK must be a JSON object");
    if (cJSON_GetObjectItemCaseSensitive(jwk, "d"))
        return mc_error_set(err, MC_ERR_INVALID, "d", "a public JWK must not contain \"d\"");
    unsigned char x[MC_JOSE_P256_COORD_BYTES], y[MC_JOSE_P256_COORD_BYTES];
    enum mc_err rc = jwk_expect(jwk, "kty", "EC", true, err);
    if (rc == MC_OK)
        rc = jwk_expect(jwk, "crv", "P-256", true, err);
    if (rc == MC_OK)
        rc = jwk_expect(jwk, "alg", "ES256", false, err);
    if (rc == MC_OK)
        rc = jwk_expect(jwk, "use", "sig", false, err);
    if (rc == MC_OK)
        rc = jwk_coord(jwk, "x", x, err);
    if (rc == MC_OK)
        rc = jwk_coord(jwk, "y", y, err);
    if (rc != MC_OK)
        return rc;
    return mc_jose_key_from_public_xy(x, y, out_key, err);
}

enum mc_err mc_jose_jwk_thumbprint(const struct mc_jose_key *key,
                                   char out[MC_JOSE_THUMBPRINT_LEN + 1], struct mc_error *err)
{
    struct mc_buf bx, by, json, b64;
    mc_buf_init(&bx, 64);
    mc_buf_init(&by, 64);
    mc_buf_init(&json, 256);
    mc_buf_init(&b64, 64);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    /* RFC 7638 §3.2: the required members only, sorted, no whitespace. */
    enum mc_err rc = public_xy_b64(key, &bx, &by, err);
    if (rc != MC_OK)
        goto out;
    if (mc_buf_appendf(&json, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
                       bx.data, by.data) != MC_OK) {
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    if (EVP_Digest(json.data, json.len, md, &mdlen, EVP_sha256(), NULL) != 1) {
        rc = mc_jose_crypto_error(err, "hash a JWK");
        goto out;
    }
    if (mc_b64url_encode(md, mdlen, &b64) != MC_OK || b64.len != MC_JOSE_THUMBPRINT_LEN) {
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    memcpy(out, b64.data, MC_JOSE_THUMBPRINT_LEN + 1);
out:
    mc_buf_release(&bx);
    mc_buf_release(&by);
    mc_buf_release(&json);
    mc_buf_release(&b64);
    return rc;
}
