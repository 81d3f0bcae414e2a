/*
 * test_jose.c — include/mcred/jose.h: base64url, P-256 keys and JWKs,
 * ES256 JWS, Open Badges 3.0 VC-JWT.
 *
 * Vectors from outside this code base:
 *   - RFC 4648 §10 (base64, here without padding);
 *   - RFC 7515 Appendix A.3 (an ES256 JWS and its key, verified byte for
 *     byte; its d must derive its x and y);
 *   - an RFC 7638 thumbprint of the A.3 key.  RFC 7638 §3.1 only has an
 *     RSA example, so the value was computed independently twice:
 *       printf '%s' '{"crv":"P-256","kty":"EC","x":"f83O…","y":"x_FE…"}' |
 *         openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
 *     and node's `jose` calculateJwkThumbprint(); both give the value below;
 *   - tests/fixtures/jose/node-jose-vcjwt.jwt: a VC-JWT signed by node's
 *     `jose` (CompactSign) with the A.3 key (tests/fixtures/jose/
 *     make-vectors.mjs, run once; the test never needs node).
 * Then round trips, every one-character change of a token refused, the
 * algorithms and shapes that must be refused, a deterministic garbage
 * loop, and the VC-JWT claim rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/jose.h"

#include "mcred/banned.h"

/* ---- vectors ---- */

/* RFC 7515 A.3 */
#define A3_X "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
#define A3_Y "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
#define A3_D "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
#define A3_JWS                                                                                     \
    "eyJhbGciOiJFUzI1NiJ9"                                                                         \
    "."                                                                                            \
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl" \
    "fQ"                                                                                           \
    "."                                                                                            \
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
#define A3_PAYLOAD                                                                                 \
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
/* A3_Y with its last bit flipped: within the field, not on the curve. */
#define A3_Y_OFF_CURVE "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5aw"
#define A3_THUMBPRINT  "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U"

/* The credential inside node-jose-vcjwt.jwt. */
#define NODE_CREDENTIAL                                                                            \
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","                                     \
    "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"                             \
    "\"id\":\"urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002\","                                    \
    "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"                                 \
    "\"issuer\":{\"id\":\"https://example.edu/issuers/565049\",\"type\":[\"Profile\"],"            \
    "\"name\":\"Example University\"},"                                                            \
    "\"validFrom\":\"2010-01-01T00:00:00Z\",\"validUntil\":\"2030-01-01T00:00:00Z\","              \
    "\"name\":\"Teamwork Badge\","                                                                 \
    "\"credentialSubject\":{\"id\":\"did:example:ebfeb1f712ebc6f1c276e12ec21\","                   \
    "\"type\":[\"AchievementSubject\"],\"achievement\":{"                                          \
    "\"id\":\"https://example.com/achievements/21st-century-skills/teamwork\","                    \
    "\"type\":[\"Achievement\"],\"name\":\"Teamwork\",\"description\":\"x\","                      \
    "\"criteria\":{\"narrative\":\"Team members are nominated.\"}}}}"

#define T_2010 1262304000 /* 2010-01-01T00:00:00Z */
#define T_2030 1893456000 /* 2030-01-01T00:00:00Z */
#define T_2020 1577836800 /* 2020-01-01T00:00:00Z */

/* ---- helpers ---- */

static struct mc_error err;

static void decode_exact(const char *b64, unsigned char *out, size_t want)
{
    struct mc_buf b;
    mc_buf_init(&b, 1024);
    assert_int_equal(mc_b64url_decode(b64, strlen(b64), &b, &err), MC_OK);
    assert_int_equal(b.len, want);
    memcpy(out, b.data, want);
    mc_buf_release(&b);
}

static struct mc_jose_key *a3_public(void)
{
    unsigned char x[32], y[32];
    decode_exact(A3_X, x, 32);
    decode_exact(A3_Y, y, 32);
    struct mc_jose_key *key = NULL;
    assert_int_equal(mc_jose_key_from_public_xy(x, y, &key, &err), MC_OK);
    return key;
}

static struct mc_jose_key *a3_private(void)
{
    unsigned char d[32];
    decode_exact(A3_D, d, 32);
    struct mc_jose_key *key = NULL;
    assert_int_equal(mc_jose_key_import_private(d, &key, &err), MC_OK);
    return key;
}

static struct mc_jose_key *fresh_key(void)
{
    struct mc_jose_key *key = NULL;
    assert_int_equal(mc_jose_key_generate(&key, &err), MC_OK);
    return key;
}

static cJSON *parse(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    return j;
}

static char *b64(const char *text)
{
    struct mc_buf b;
    mc_buf_init(&b, 1 << 20);
    assert_int_equal(mc_b64url_encode(text, strlen(text), &b), MC_OK);
    return mc_buf_detach(&b, NULL);
}

/* "B64(header).B64(payload).sig" from texts, for hand-made tokens. */
static char *compact3(const char *header, const char *payload, const char *sig)
{
    char *h = b64(header), *p = b64(payload);
    struct mc_buf b;
    mc_buf_init(&b, 1 << 20);
    assert_int_equal(mc_buf_appendf(&b, "%s.%s.%s", h, p, sig), MC_OK);
    free(h);
    free(p);
    return mc_buf_detach(&b, NULL);
}

static enum mc_err verify(const char *compact, const struct mc_jose_key *key)
{
    char *payload = NULL;
    size_t len = 0;
    mc_error_clear(&err);
    enum mc_err rc = mc_jws_verify_es256(compact, strlen(compact), key, NULL, &payload, &len, &err);
    if (rc == MC_OK)
        free(payload);
    else
        assert_null(payload);
    return rc;
}

/* ---- base64url ---- */

static void check_b64(const char *plain, const char *encoded)
{
    struct mc_buf b;
    mc_buf_init(&b, 64);
    assert_int_equal(mc_b64url_encode(plain, strlen(plain), &b), MC_OK);
    assert_string_equal(b.data, encoded);
    assert_int_equal(mc_b64url_encoded_len(strlen(plain)), strlen(encoded));
    mc_buf_reset(&b);
    assert_int_equal(mc_b64url_decode(encoded, strlen(encoded), &b, &err), MC_OK);
    assert_int_equal(b.len, strlen(plain));
    assert_memory_equal(b.data, plain, b.len);
    mc_buf_release(&b);
}

static void test_b64url_rfc4648(void **state)
{
    (void)state;
    /* RFC 4648 §10, padding removed (RFC 7515 §2) */
    check_b64("", "");
    check_b64("f", "Zg");
    check_b64("fo", "Zm8");
    check_b64("foo", "Zm9v");
    check_b64("foob", "Zm9vYg");
    check_b64("fooba", "Zm9vYmE");
    check_b64("foobar", "Zm9vYmFy");
    /* the two characters that differ from base64: 62 '-' and 63 '_' */
    check_b64("\xfb\xff\xbf", "-_-_");
}

static void b64_refused(const char *text, size_t len)
{
    struct mc_buf b;
    mc_buf_init(&b, 64);
    mc_error_clear(&err);
    assert_int_equal(mc_b64url_decode(text, len, &b, &err), MC_ERR_MALFORMED);
    assert_true(err.message[0] != '\0');
    mc_buf_release(&b);
}

static void test_b64url_strict(void **state)
{
    (void)state;
    b64_refused("Zg==", 4);    /* padding */
    b64_refused("Zm8=", 4);    /* padding */
    b64_refused("Zm9v+A", 6);  /* base64's 62 */
    b64_refused("Zm9v/A", 6);  /* base64's 63 */
    b64_refused("Zm9v Yg", 7); /* whitespace */
    b64_refused("Zm\0v", 4);   /* NUL */
    b64_refused("Z", 1);       /* 1 mod 4: six bits are no byte */
    b64_refused("Zm9vY", 5);
    b64_refused("Zh", 2);  /* "f" with trailing bits set: non-canonical */
    b64_refused("Zm9", 3); /* "fo" non-canonical */
    b64_refused("\xc3\xa9", 2);
    /* the ceiling of the output buffer holds */
    struct mc_buf b;
    mc_buf_init(&b, 2);
    assert_int_equal(mc_b64url_decode("Zm9v", 4, &b, &err), MC_ERR_TOO_LARGE);
    mc_buf_release(&b);
}

static void test_b64url_all_bytes(void **state)
{
    (void)state;
    unsigned char bytes[256 * 3];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 7 + i / 256);
    for (size_t n = 0; n < 20; n++) {
        struct mc_buf e, d;
        mc_buf_init(&e, 4096);
        mc_buf_init(&d, 4096);
        size_t len = n * 37 % sizeof bytes + n % 3;
        assert_int_equal(mc_b64url_encode(bytes, len, &e), MC_OK);
        assert_int_equal(e.len, mc_b64url_encoded_len(len));
        assert_int_equal(mc_b64url_decode(e.data, e.len, &d, &err), MC_OK);
        assert_int_equal(d.len, len);
        assert_memory_equal(d.data, bytes, len);
        mc_buf_release(&e);
        mc_buf_release(&d);
    }
}

/* ---- keys ---- */

static void test_key_a3_private_derives_public(void **state)
{
    (void)state;
    struct mc_jose_key *key = a3_private();
    unsigned char x[32], y[32], wx[32], wy[32], d[32], wd[32];
    assert_int_equal(mc_jose_key_public_xy(key, x, y, &err), MC_OK);
    decode_exact(A3_X, wx, 32);
    decode_exact(A3_Y, wy, 32);
    decode_exact(A3_D, wd, 32);
    assert_memory_equal(x, wx, 32);
    assert_memory_equal(y, wy, 32);
    assert_int_equal(mc_jose_key_export_private(key, d, &err), MC_OK);
    assert_memory_equal(d, wd, 32);
    assert_true(mc_jose_key_has_private(key));
    mc_jose_key_free(key);
}

static void test_key_generate_export_import(void **state)
{
    (void)state;
    struct mc_jose_key *key = fresh_key(), *again = NULL;
    unsigned char d[32], x1[32], y1[32], x2[32], y2[32];
    assert_int_equal(mc_jose_key_export_private(key, d, &err), MC_OK);
    assert_int_equal(mc_jose_key_import_private(d, &again, &err), MC_OK);
    assert_int_equal(mc_jose_key_public_xy(key, x1, y1, &err), MC_OK);
    assert_int_equal(mc_jose_key_public_xy(again, x2, y2, &err), MC_OK);
    assert_memory_equal(x1, x2, 32);
    assert_memory_equal(y1, y2, 32);
    /* what one signs, the other verifies */
    cJSON *header = parse("{\"alg\":\"ES256\"}");
    char *jws = NULL;
    assert_int_equal(mc_jws_sign_es256(header, "hi", 2, again, &jws, &err), MC_OK);
    assert_int_equal(verify(jws, key), MC_OK);
    free(jws);
    cJSON_Delete(header);
    mc_jose_key_free(again);
    mc_jose_key_free(key);
    mc_jose_key_free(NULL);
}

static void test_key_private_out_of_range(void **state)
{
    (void)state;
    struct mc_jose_key *key = NULL;
    unsigned char d[32] = {0};
    assert_int_equal(mc_jose_key_import_private(d, &key, &err), MC_ERR_INVALID);
    /* n, the group order, and anything above it */
    static const unsigned char n[32] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
                                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
                                        0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
    assert_int_equal(mc_jose_key_import_private(n, &key, &err), MC_ERR_INVALID);
    memset(d, 0xff, sizeof d);
    assert_int_equal(mc_jose_key_import_private(d, &key, &err), MC_ERR_INVALID);
    assert_null(key);
    /* n - 1 is the largest scalar */
    memcpy(d, n, 32);
    d[31]--;
    assert_int_equal(mc_jose_key_import_private(d, &key, &err), MC_OK);
    mc_jose_key_free(key);
}

static void test_key_public_must_be_on_curve(void **state)
{
    (void)state;
    struct mc_jose_key *key = NULL;
    unsigned char x[32], y[32];
    decode_exact(A3_X, x, 32);
    decode_exact(A3_Y_OFF_CURVE, y, 32);
    assert_int_equal(mc_jose_key_from_public_xy(x, y, &key, &err), MC_ERR_INVALID);
    /* (0, 0) is not on P-256 either */
    memset(x, 0, 32);
    memset(y, 0, 32);
    assert_int_equal(mc_jose_key_from_public_xy(x, y, &key, &err), MC_ERR_INVALID);
    /* coordinates ≥ p */
    memset(x, 0xff, 32);
    decode_exact(A3_Y, y, 32);
    assert_int_equal(mc_jose_key_from_public_xy(x, y, &key, &err), MC_ERR_INVALID);
    assert_null(key);
    /* a public-only key cannot sign or export d */
    key = a3_public();
    assert_false(mc_jose_key_has_private(key));
    unsigned char d[32];
    assert_int_equal(mc_jose_key_export_private(key, d, &err), MC_ERR_INVALID);
    cJSON *header = parse("{\"alg\":\"ES256\"}");
    char *jws = NULL;
    assert_int_equal(mc_jws_sign_es256(header, "x", 1, key, &jws, &err), MC_ERR_INVALID);
    assert_null(jws);
    cJSON_Delete(header);
    mc_jose_key_free(key);
}

static void test_jwk_public_round_trip(void **state)
{
    (void)state;
    struct mc_jose_key *key = a3_private(), *back = NULL;
    cJSON *jwk = NULL;
    assert_int_equal(mc_jose_jwk_public(key, "https://example.edu/keys/1", &jwk, &err), MC_OK);
    char *text = cJSON_PrintUnformatted(jwk);
    assert_string_equal(text, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y
                              "\",\"kid\":\"https://example.edu/keys/1\",\"alg\":\"ES256\","
                              "\"use\":\"sig\"}");
    free(text);
    assert_int_equal(mc_jose_jwk_parse_public(jwk, &back, &err), MC_OK);
    assert_false(mc_jose_key_has_private(back));
    assert_int_equal(verify(A3_JWS, back), MC_OK);
    assert_int_equal(mc_jose_jwk_public(key, "", &jwk, &err), MC_ERR_INVALID);
    cJSON_Delete(jwk);
    mc_jose_key_free(back);
    mc_jose_key_free(key);
}

static void jwk_refused(const char *text, const char *field)
{
    cJSON *jwk = parse(text);
    struct mc_jose_key *key = NULL;
    mc_error_clear(&err);
    assert_int_equal(mc_jose_jwk_parse_public(jwk, &key, &err), MC_ERR_INVALID);
    assert_null(key);
    assert_string_equal(err.field, field);
    cJSON_Delete(jwk);
}

static void test_jwk_parse_refusals(void **state)
{
    (void)state;
    jwk_refused("{\"kty\":\"RSA\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\"}", "kty");
    jwk_refused("{\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\"}", "kty");
    jwk_refused("{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\"}", "crv");
    jwk_refused("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y
                "\",\"alg\":\"RS256\"}",
                "alg");
    jwk_refused("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y
                "\",\"use\":\"enc\"}",
                "use");
    jwk_refused("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y
                "\",\"d\":\"" A3_D "\"}",
                "d");
    jwk_refused("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"Zm9v\",\"y\":\"" A3_Y "\"}", "x");
    jwk_refused("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\"}", "y");
    jwk_refused("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":7}", "y");
    jwk_refused(
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\",\"y\":\"" A3_Y_OFF_CURVE "\"}", "");
    jwk_refused("[]", "");
}

static void test_jwk_thumbprint(void **state)
{
    (void)state;
    char tp[MC_JOSE_THUMBPRINT_LEN + 1];
    struct mc_jose_key *pub = a3_public(), *priv = a3_private();
    assert_int_equal(mc_jose_jwk_thumbprint(pub, tp, &err), MC_OK);
    assert_string_equal(tp, A3_THUMBPRINT);
    assert_int_equal(mc_jose_jwk_thumbprint(priv, tp, &err), MC_OK);
    assert_string_equal(tp, A3_THUMBPRINT);
    mc_jose_key_free(priv);
    mc_jose_key_free(pub);
}

/* ---- JWS ---- */

static void test_jws_rfc7515_a3(void **state)
{
    (void)state;
    struct mc_jose_key *key = a3_public();
    cJSON *header = NULL;
    char *payload = NULL;
    size_t len = 0;
    assert_int_equal(
        mc_jws_verify_es256(A3_JWS, strlen(A3_JWS), key, &header, &payload, &len, &err), MC_OK);
    assert_int_equal(len, strlen(A3_PAYLOAD));
    assert_memory_equal(payload, A3_PAYLOAD, len);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(header, "alg")->valuestring, "ES256");
    free(payload);
    cJSON_Delete(header);
    /* another key does not verify it */
    struct mc_jose_key *other = fresh_key();
    assert_int_equal(verify(A3_JWS, other), MC_ERR_INVALID);
    assert_string_equal(err.field, "signature");
    mc_jose_key_free(other);
    mc_jose_key_free(key);
}

static void test_jws_round_trip(void **state)
{
    (void)state;
    struct mc_jose_key *key = fresh_key();
    cJSON *header = parse("{\"alg\":\"ES256\",\"kid\":\"k1\"}");
    static const char bin[] = "\x00\x01\xff payload with a NUL";
    char *jws = NULL;
    assert_int_equal(mc_jws_sign_es256(header, bin, sizeof bin, key, &jws, &err), MC_OK);
    const char *last = strrchr(jws, '.');
    assert_int_equal(strlen(last + 1), 86); /* 64 bytes of R‖S */
    assert_memory_equal(jws, "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.", 36);
    cJSON *h = NULL;
    char *payload = NULL;
    size_t len = 0;
    assert_int_equal(mc_jws_verify_es256(jws, strlen(jws), key, &h, &payload, &len, &err), MC_OK);
    assert_int_equal(len, sizeof bin);
    assert_memory_equal(payload, bin, len);
    assert_true(cJSON_Compare(h, header, true));
    free(payload);
    cJSON_Delete(h);
    /* peek gives the header without a key */
    assert_int_equal(mc_jws_peek_header(jws, strlen(jws), &h, &err), MC_OK);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(h, "kid")->valuestring, "k1");
    cJSON_Delete(h);
    free(jws);
    /* signing wants alg ES256 in the header */
    cJSON *bad = parse("{\"alg\":\"ES384\"}");
    assert_int_equal(mc_jws_sign_es256(bad, "x", 1, key, &jws, &err), MC_ERR_INVALID);
    cJSON_Delete(bad);
    bad = parse("{}");
    assert_int_equal(mc_jws_sign_es256(bad, "x", 1, key, &jws, &err), MC_ERR_INVALID);
    cJSON_Delete(bad);
    cJSON_Delete(header);
    mc_jose_key_free(key);
}

/* Another base64url character than c. */
static char other_char(char c)
{
    return c == 'A' ? 'B' : 'A';
}

static void test_jws_every_change_refused(void **state)
{
    (void)state;
    struct mc_jose_key *key = a3_public();
    char *copy = strdup(A3_JWS);
    assert_non_null(copy);
    size_t len = strlen(copy);
    for (size_t i = 0; i < len; i++) {
        if (copy[i] == '.')
            continue;
        char saved = copy[i];
        copy[i] = other_char(saved);
        if (verify(copy, key) == MC_OK)
            fail_msg("a change at offset %zu verified", i);
        copy[i] = saved;
    }
    assert_int_equal(verify(copy, key), MC_OK);
    free(copy);
    mc_jose_key_free(key);
}

static void refused(const char *compact, enum mc_err code, const char *field)
{
    struct mc_jose_key *key = a3_public();
    assert_int_equal(verify(compact, key), code);
    if (field)
        assert_string_equal(err.field, field);
    assert_true(err.message[0] != '\0');
    mc_jose_key_free(key);
}

#define A3_SIG                                                                                     \
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"

static void refused_header(const char *header, const char *sig, enum mc_err code, const char *field)
{
    char *jws = compact3(header, "{\"iss\":\"joe\"}", sig);
    refused(jws, code, field);
    free(jws);
}

static void test_jws_algorithms_refused(void **state)
{
    (void)state;
    refused_header("{\"alg\":\"none\"}", "", MC_ERR_INVALID, "alg");
    refused_header("{\"alg\":\"none\"}", A3_SIG, MC_ERR_INVALID, "alg");
    refused_header("{\"alg\":\"HS256\"}", "c2lnbmF0dXJl", MC_ERR_INVALID, "alg");
    refused_header("{\"alg\":\"RS256\"}", A3_SIG, MC_ERR_INVALID, "alg");
    refused_header("{\"alg\":\"es256\"}", A3_SIG, MC_ERR_INVALID, "alg");
    refused_header("{\"alg\":\"ES256 \"}", A3_SIG, MC_ERR_INVALID, "alg");
    refused_header("{\"alg\":[\"ES256\"]}", A3_SIG, MC_ERR_INVALID, "alg");
    refused_header("{\"typ\":\"JWT\"}", A3_SIG, MC_ERR_INVALID, "alg");
    refused_header("{\"alg\":\"ES256\",\"crit\":[\"b64\"],\"b64\":false}", A3_SIG, MC_ERR_INVALID,
                   "crit");
    /* a repeated member: which alg would count? */
    refused_header("{\"alg\":\"ES256\",\"alg\":\"none\"}", A3_SIG, MC_ERR_MALFORMED, "header");
    refused_header("{\"alg\":\"none\",\"alg\":\"ES256\"}", A3_SIG, MC_ERR_MALFORMED, "header");
    /* well-formed ES256 headers with a wrong signature */
    refused_header("{\"alg\":\"ES256\"}", A3_SIG, MC_ERR_INVALID, "signature");
    refused_header("{\"alg\":\"ES256\"}", "", MC_ERR_INVALID, "signature");
    refused_header("{\"alg\":\"ES256\"}", "AAAA", MC_ERR_INVALID, "signature");
    /* R = S = 0 and R = S = 2^256 - 1: out of range, never a valid signature */
    char zeros[87], ones[87];
    memset(zeros, 'A', 86);
    zeros[86] = '\0';
    memset(ones, '_', 85);
    ones[85] = 'w'; /* the last character carries 2 bits */
    ones[86] = '\0';
    refused_header("{\"alg\":\"ES256\"}", zeros, MC_ERR_INVALID, "signature");
    refused_header("{\"alg\":\"ES256\"}", ones, MC_ERR_INVALID, "signature");
}

static void test_jws_shapes_refused(void **state)
{
    (void)state;
    refused("", MC_ERR_MALFORMED, NULL);
    refused("eyJhbGciOiJFUzI1NiJ9", MC_ERR_MALFORMED, NULL);
    refused("eyJhbGciOiJFUzI1NiJ9.e30", MC_ERR_MALFORMED, NULL);
    refused("eyJhbGciOiJFUzI1NiJ9.e30." A3_SIG ".x", MC_ERR_MALFORMED, NULL);
    refused("eyJhbGciOiJFUzI1NiJ9.e30." A3_SIG ".", MC_ERR_MALFORMED, NULL);
    refused("..", MC_ERR_MALFORMED, "header");
    refused(".e30." A3_SIG, MC_ERR_MALFORMED, "header");
    refused("eyJhbGciOiJFUzI1NiJ9=.e30." A3_SIG, MC_ERR_MALFORMED, "header");
    refused("eyJhbGciOiJFUzI1NiJ9 .e30." A3_SIG, MC_ERR_MALFORMED, "header");
    refused("eyJhbGciOiJFUzI1NiJ9.e30." A3_SIG "=", MC_ERR_INVALID, "signature");
    refused_header("not json", A3_SIG, MC_ERR_MALFORMED, "header");
    refused_header("[\"alg\",\"ES256\"]", A3_SIG, MC_ERR_MALFORMED, "header");
    refused_header("\"ES256\"", A3_SIG, MC_ERR_MALFORMED, "header");
    refused_header("{\"alg\":\"ES256\"} x", A3_SIG, MC_ERR_MALFORMED, "header");
    refused_header("{\"alg\":\"ES256\\u0000\"}", A3_SIG, MC_ERR_MALFORMED, "header");
    refused_header("{\"alg\":\"ES256\",\"x\":\"\xff\"}", A3_SIG, MC_ERR_MALFORMED, "header");
    /* too large before anything is decoded */
    size_t big = MC_JOSE_MAX_COMPACT + 10;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    memset(huge, 'A', big);
    huge[100] = '.';
    huge[200] = '.';
    huge[big] = '\0';
    refused(huge, MC_ERR_TOO_LARGE, NULL);
    /* an over-long header */
    huge[MC_JOSE_MAX_COMPACT - 200] = '\0';
    huge[100] = 'A';
    huge[200] = 'A';
    huge[MC_JOSE_MAX_COMPACT - 300] = '.';
    huge[MC_JOSE_MAX_COMPACT - 250] = '.';
    refused(huge, MC_ERR_TOO_LARGE, "header");
    free(huge);
}

/* Deterministic (xorshift) so that a failure can be replayed. */
static uint32_t next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_jws_garbage_never_verifies(void **state)
{
    (void)state;
    static const char chars[] = "AZaz09-_.=+/ {}\"\x01\xff";
    struct mc_jose_key *key = a3_public();
    uint32_t seed = 0x2545f491;
    char text[300];
    for (int round = 0; round < 3000; round++) {
        size_t len = next_random(&seed) % (sizeof text - 1);
        for (size_t i = 0; i < len; i++)
            text[i] = chars[next_random(&seed) % (sizeof chars - 1)];
        text[len] = '\0';
        assert_int_not_equal(verify(text, key), MC_OK);
    }
    /* and mutations of a real token: flips, cuts, splices */
    size_t a3_len = strlen(A3_JWS);
    for (int round = 0; round < 3000; round++) {
        char buf[sizeof A3_JWS];
        memcpy(buf, A3_JWS, sizeof A3_JWS);
        size_t at = next_random(&seed) % a3_len;
        switch (next_random(&seed) % 3) {
        case 0:
            buf[at] = (char)(buf[at] ^ (1u << (next_random(&seed) % 8)));
            break;
        case 1:
            buf[at] = '\0';
            break;
        default:
            buf[at] = chars[next_random(&seed) % (sizeof chars - 1)];
            if (buf[at] == A3_JWS[at])
                buf[at] = '.';
            break;
        }
        assert_int_not_equal(verify(buf, key), MC_OK);
    }
    mc_jose_key_free(key);
}

/* ---- dates ---- */

static void test_datetime(void **state)
{
    (void)state;
    int64_t t = 1;
    assert_int_equal(mc_jose_datetime_parse("1970-01-01T00:00:00Z", &t, &err), MC_OK);
    assert_int_equal(t, 0);
    assert_int_equal(mc_jose_datetime_parse("2010-01-01T00:00:00Z", &t, &err), MC_OK);
    assert_int_equal(t, T_2010);
    /* `date -u -d 2024-02-29T11:00:00Z +%s` */
    assert_int_equal(mc_jose_datetime_parse("2024-02-29T12:00:00.999+01:00", &t, &err), MC_OK);
    assert_int_equal(t, 1709204400);
    assert_int_equal(mc_jose_datetime_parse("1969-12-31T23:59:59.5Z", &t, &err), MC_OK);
    assert_int_equal(t, -1);
    assert_int_equal(mc_jose_datetime_parse("2000-01-01t00:00:00-00:30", &t, &err), MC_OK);
    assert_int_equal(t, 946684800 + 1800);
    static const char *const bad[] = {
        "2023-02-29T00:00:00Z",
        "2024-01-01",
        "2024-01-01T00:00:00",
        "2024-13-01T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T00:00:60Z",
        "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00Zx",
        "2024-01-01T00:00:00+1:00",
        "0000-01-01T00:00:00Z",
        "",
        " 2024-01-01T00:00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (mc_jose_datetime_parse(bad[i], &t, &err) != MC_ERR_INVALID)
            fail_msg("\"%s\" was accepted", bad[i]);
}

/* ---- VC-JWT ---- */

#define CREDENTIAL                                                                                 \
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"                                    \
    "\"id\":\"urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58\","                                    \
    "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"                                 \
    "\"issuer\":{\"id\":\"https://mcred.example/issuers/1\",\"type\":[\"Profile\"]},"              \
    "\"validFrom\":\"2010-01-01T00:00:00Z\","                                                      \
    "\"credentialSubject\":{\"id\":\"did:example:learner\",\"type\":[\"AchievementSubject\"]}}"

#define KID "https://mcred.example/issuers/1/keys/" A3_THUMBPRINT

/* The payload of a compact JWS, parsed, without verifying. */
static cJSON *payload_of(const char *jwt)
{
    const char *p = strchr(jwt, '.') + 1;
    const char *end = strchr(p, '.');
    struct mc_buf b;
    mc_buf_init(&b, 1 << 20);
    assert_int_equal(mc_b64url_decode(p, (size_t)(end - p), &b, &err), MC_OK);
    cJSON *j = parse(b.data);
    mc_buf_release(&b);
    return j;
}

static void test_vcjwt_sign_claims(void **state)
{
    (void)state;
    struct mc_jose_key *key = a3_private();
    cJSON *cred = parse(CREDENTIAL);
    char *jwt = NULL;
    assert_int_equal(mc_vcjwt_sign(cred, key, KID, &jwt, &err), MC_OK);
    cJSON *header = NULL;
    assert_int_equal(mc_jws_peek_header(jwt, strlen(jwt), &header, &err), MC_OK);
    cJSON *want = parse("{\"alg\":\"ES256\",\"kid\":\"" KID "\",\"typ\":\"JWT\"}");
    assert_true(cJSON_Compare(header, want, true));
    cJSON *p = payload_of(jwt);
    assert_string_equal(cJSON_GetObjectItem(p, "iss")->valuestring,
                        "https://mcred.example/issuers/1");
    assert_string_equal(cJSON_GetObjectItem(p, "jti")->valuestring,
                        "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58");
    assert_string_equal(cJSON_GetObjectItem(p, "sub")->valuestring, "did:example:learner");
    assert_true(cJSON_GetObjectItem(p, "nbf")->valuedouble == T_2010);
    assert_null(cJSON_GetObjectItem(p, "exp"));
    /* verify gives back exactly the credential */
    cJSON *back = NULL;
    assert_int_equal(mc_vcjwt_verify(jwt, key, &back, &err), MC_OK);
    assert_true(cJSON_Compare(back, cred, true));
    cJSON_Delete(back);
    cJSON_Delete(p);
    cJSON_Delete(want);
    cJSON_Delete(header);
    free(jwt);
    cJSON_Delete(cred);
    mc_jose_key_free(key);
}

static void test_vcjwt_issuer_string_no_subject_id_with_exp(void **state)
{
    (void)state;
    struct mc_jose_key *key = fresh_key();
    cJSON *cred = parse("{\"id\":\"urn:uuid:1\",\"issuer\":\"did:example:issuer\","
                        "\"validFrom\":\"2010-01-01T01:00:00+01:00\","
                        "\"validUntil\":\"2030-01-01T00:00:00.250Z\","
                        "\"credentialSubject\":{\"identifier\":[{\"identityHash\":\"x\"}]}}");
    char *jwt = NULL;
    assert_int_equal(mc_vcjwt_sign(cred, key, "did:example:issuer#key-1", &jwt, &err), MC_OK);
    cJSON *p = payload_of(jwt);
    assert_string_equal(cJSON_GetObjectItem(p, "iss")->valuestring, "did:example:issuer");
    assert_null(cJSON_GetObjectItem(p, "sub")); /* the subject has no id: no sub */
    assert_true(cJSON_GetObjectItem(p, "nbf")->valuedouble == T_2010);
    assert_true(cJSON_GetObjectItem(p, "exp")->valuedouble == T_2030);
    cJSON *back = NULL;
    assert_int_equal(mc_vcjwt_verify_at(jwt, key, T_2020, &back, &err), MC_OK);
    assert_true(cJSON_Compare(back, cred, true));
    cJSON_Delete(back);
    /* the window is [nbf, exp) */
    assert_int_equal(mc_vcjwt_verify_at(jwt, key, T_2010 - 1, &back, &err), MC_ERR_INVALID);
    assert_string_equal(err.field, "nbf");
    assert_int_equal(mc_vcjwt_verify_at(jwt, key, T_2010, &back, &err), MC_OK);
    cJSON_Delete(back);
    assert_int_equal(mc_vcjwt_verify_at(jwt, key, T_2030, &back, &err), MC_ERR_INVALID);
    assert_string_equal(err.field, "exp");
    cJSON_Delete(p);
    free(jwt);
    cJSON_Delete(cred);
    mc_jose_key_free(key);
}

static void test_vcjwt_node_jose_vector(void **state)
{
    (void)state;
    static char jwt[4096];
    FILE *f = fopen(MCRED_JOSE_FIXTURES "/node-jose-vcjwt.jwt", "rb");
    assert_non_null(f);
    size_t len = fread(jwt, 1, sizeof jwt - 1, f);
    fclose(f);
    jwt[len] = '\0';
    while (len && (jwt[len - 1] == '\n' || jwt[len - 1] == '\r'))
        jwt[--len] = '\0';
    struct mc_jose_key *key = a3_public();
    cJSON *back = NULL, *want = parse(NODE_CREDENTIAL);
    assert_int_equal(mc_vcjwt_verify_at(jwt, key, T_2020, &back, &err), MC_OK);
    assert_true(cJSON_Compare(back, want, true));
    cJSON_Delete(back);
    jwt[len / 2] = jwt[len / 2] == 'A' ? 'B' : 'A';
    assert_int_not_equal(mc_vcjwt_verify_at(jwt, key, T_2020, &back, &err), MC_OK);
    cJSON_Delete(want);
    mc_jose_key_free(key);
}

/* Sign `payload` as a JWT with header {alg, typ} and expect verify to refuse it on `field`. */
static void claims_refused(const char *payload, const char *typ, const char *field)
{
    struct mc_jose_key *key = a3_private();
    cJSON *header = cJSON_CreateObject();
    assert_non_null(cJSON_AddStringToObject(header, "alg", "ES256"));
    if (typ)
        assert_non_null(cJSON_AddStringToObject(header, "typ", typ));
    char *jwt = NULL;
    assert_int_equal(mc_jws_sign_es256(header, payload, strlen(payload), key, &jwt, &err), MC_OK);
    cJSON *back = NULL;
    mc_error_clear(&err);
    assert_int_not_equal(mc_vcjwt_verify_at(jwt, key, T_2020, &back, &err), MC_OK);
    assert_null(back);
    if (strcmp(err.field, field) != 0)
        fail_msg("refused on \"%s\" (%s), not \"%s\"", err.field, err.message, field);
    free(jwt);
    cJSON_Delete(header);
    mc_jose_key_free(key);
}

#define BODY                                                                                       \
    "\"id\":\"urn:x:1\",\"issuer\":{\"id\":\"https://i.example\"},"                                \
    "\"validFrom\":\"2010-01-01T00:00:00Z\",\"credentialSubject\":{\"id\":\"did:x:s\"}"

static void test_vcjwt_claims_must_match(void **state)
{
    (void)state;
    /* the good one, to be sure the refusals below are about their one change */
    struct mc_jose_key *key = a3_private();
    cJSON *back = NULL;
    cJSON *header = parse("{\"alg\":\"ES256\",\"typ\":\"JWT\"}");
    const char *good = "{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                       "\"sub\":\"did:x:s\",\"nbf\":1262304000}";
    char *jwt = NULL;
    assert_int_equal(mc_jws_sign_es256(header, good, strlen(good), key, &jwt, &err), MC_OK);
    assert_int_equal(mc_vcjwt_verify_at(jwt, key, T_2020, &back, &err), MC_OK);
    cJSON_Delete(back);
    free(jwt);
    cJSON_Delete(header);
    mc_jose_key_free(key);

    claims_refused("{" BODY ",\"iss\":\"https://other\",\"jti\":\"urn:x:1\",\"sub\":\"did:x:s\","
                   "\"nbf\":1262304000}",
                   "JWT", "iss");
    claims_refused("{" BODY ",\"jti\":\"urn:x:1\",\"sub\":\"did:x:s\",\"nbf\":1262304000}", "JWT",
                   "iss");
    claims_refused("{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:2\","
                   "\"sub\":\"did:x:s\",\"nbf\":1262304000}",
                   "JWT", "jti");
    claims_refused("{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"sub\":\"did:x:other\",\"nbf\":1262304000}",
                   "JWT", "sub");
    claims_refused("{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"nbf\":1262304000}",
                   "JWT", "sub");
    claims_refused("{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"sub\":\"did:x:s\",\"nbf\":1262304001}",
                   "JWT", "nbf");
    claims_refused("{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"sub\":\"did:x:s\",\"nbf\":\"1262304000\"}",
                   "JWT", "nbf");
    claims_refused("{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"sub\":\"did:x:s\"}",
                   "JWT", "nbf");
    claims_refused("{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"sub\":\"did:x:s\",\"nbf\":1262304000,\"exp\":1e300}",
                   "JWT", "exp");
    /* exp in the year 31690708 would set a validUntil RFC 3339 cannot write (fuzz_jwt) */
    claims_refused("{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"sub\":\"did:x:s\",\"nbf\":1262304000,\"exp\":1e15}",
                   "JWT", "exp");
    claims_refused("{" BODY ",\"validUntil\":\"2030-01-01T00:00:00Z\","
                   "\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"sub\":\"did:x:s\",\"nbf\":1262304000}",
                   "JWT", "exp");
    claims_refused("{" BODY ",\"validUntil\":\"2030-01-01T00:00:00Z\","
                   "\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"sub\":\"did:x:s\",\"nbf\":1262304000,\"exp\":1893456001}",
                   "JWT", "exp");
    claims_refused("{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"sub\":\"did:x:s\",\"nbf\":1262304000}",
                   "JOSE", "typ");
    claims_refused("{\"id\":\"urn:x:1\",\"issuer\":{\"id\":\"https://i.example\"},"
                   "\"validFrom\":\"2010-01-01T00:00:00Z\",\"credentialSubject\":{},"
                   "\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\",\"sub\":\"did:x:s\","
                   "\"nbf\":1262304000}",
                   "JWT", "sub");
    claims_refused("{" BODY ",\"iss\":\"https://i.example\",\"iss\":\"https://i.example\","
                   "\"jti\":\"urn:x:1\",\"sub\":\"did:x:s\",\"nbf\":1262304000}",
                   "JWT", "payload");
    claims_refused("{\"id\":\"urn:x:1\",\"issuer\":{\"id\":\"https://i.example\","
                   "\"id\":\"https://evil.example\"},\"validFrom\":\"2010-01-01T00:00:00Z\","
                   "\"credentialSubject\":{},\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                   "\"nbf\":1262304000}",
                   "JWT", "payload");
    claims_refused("[1,2]", "JWT", "payload");
    claims_refused("not json", "JWT", "payload");
    claims_refused("{\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\",\"nbf\":1262304000}", "JWT",
                   "issuer");
}

static void test_vcjwt_exp_sets_valid_until(void **state)
{
    (void)state;
    /* OB 3.0 §8.2.4.1: exp "MUST be used to set the value of validUntil" */
    struct mc_jose_key *key = a3_private();
    cJSON *header = parse("{\"alg\":\"ES256\"}");
    const char *payload = "{" BODY ",\"iss\":\"https://i.example\",\"jti\":\"urn:x:1\","
                          "\"sub\":\"did:x:s\",\"nbf\":1262304000,\"exp\":1893456000,"
                          "\"iat\":1262304000}";
    char *jwt = NULL;
    assert_int_equal(mc_jws_sign_es256(header, payload, strlen(payload), key, &jwt, &err), MC_OK);
    cJSON *back = NULL;
    assert_int_equal(mc_vcjwt_verify_at(jwt, key, T_2020, &back, &err), MC_OK);
    cJSON *want = parse("{" BODY ",\"validUntil\":\"2030-01-01T00:00:00Z\"}");
    assert_true(cJSON_Compare(back, want, true));
    cJSON_Delete(want);
    cJSON_Delete(back);
    free(jwt);
    cJSON_Delete(header);
    mc_jose_key_free(key);
}

static void sign_refused(const char *credential, const char *kid, const char *field)
{
    struct mc_jose_key *key = a3_private();
    cJSON *cred = parse(credential);
    char *jwt = NULL;
    mc_error_clear(&err);
    assert_int_equal(mc_vcjwt_sign(cred, key, kid, &jwt, &err), MC_ERR_INVALID);
    assert_null(jwt);
    if (strcmp(err.field, field) != 0)
        fail_msg("refused on \"%s\" (%s), not \"%s\"", err.field, err.message, field);
    cJSON_Delete(cred);
    mc_jose_key_free(key);
}

static void test_vcjwt_sign_refusals(void **state)
{
    (void)state;
    sign_refused("{" BODY "}", "", "kid");
    sign_refused("{" BODY ",\"iss\":\"x\"}", KID, "iss");
    sign_refused("{" BODY ",\"exp\":1}", KID, "exp");
    sign_refused("{\"issuer\":\"https://i.example\",\"validFrom\":\"2010-01-01T00:00:00Z\","
                 "\"credentialSubject\":{}}",
                 KID, "id");
    sign_refused("{\"id\":\"urn:x\",\"issuer\":{\"name\":\"no id\"},"
                 "\"validFrom\":\"2010-01-01T00:00:00Z\",\"credentialSubject\":{}}",
                 KID, "issuer.id");
    sign_refused("{\"id\":\"urn:x\",\"issuer\":7,"
                 "\"validFrom\":\"2010-01-01T00:00:00Z\",\"credentialSubject\":{}}",
                 KID, "issuer");
    sign_refused("{\"id\":\"urn:x\",\"issuer\":\"https://i.example\",\"credentialSubject\":{}}",
                 KID, "validFrom");
    sign_refused("{\"id\":\"urn:x\",\"issuer\":\"https://i.example\","
                 "\"validFrom\":\"2010-01-01\",\"credentialSubject\":{}}",
                 KID, "validFrom");
    sign_refused("{\"id\":\"urn:x\",\"issuer\":\"https://i.example\","
                 "\"validFrom\":\"2010-01-01T00:00:00Z\",\"validUntil\":\"soon\","
                 "\"credentialSubject\":{}}",
                 KID, "validUntil");
    sign_refused("{\"id\":\"urn:x\",\"issuer\":\"https://i.example\","
                 "\"validFrom\":\"2010-01-01T00:00:00Z\",\"credentialSubject\":[]}",
                 KID, "credentialSubject");
    sign_refused("{\"id\":\"urn:x\",\"issuer\":\"https://i.example\","
                 "\"validFrom\":\"2010-01-01T00:00:00Z\",\"credentialSubject\":{\"id\":5}}",
                 KID, "credentialSubject.id");
    sign_refused("[]", KID, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_b64url_rfc4648),
        cmocka_unit_test(test_b64url_strict),
        cmocka_unit_test(test_b64url_all_bytes),
        cmocka_unit_test(test_key_a3_private_derives_public),
        cmocka_unit_test(test_key_generate_export_import),
        cmocka_unit_test(test_key_private_out_of_range),
        cmocka_unit_test(test_key_public_must_be_on_curve),
        cmocka_unit_test(test_jwk_public_round_trip),
        cmocka_unit_test(test_jwk_parse_refusals),
        cmocka_unit_test(test_jwk_thumbprint),
        cmocka_unit_test(test_jws_rfc7515_a3),
        cmocka_unit_test(test_jws_round_trip),
        cmocka_unit_test(test_jws_every_change_refused),
        cmocka_unit_test(test_jws_algorithms_refused),
        cmocka_unit_test(test_jws_shapes_refused),
        cmocka_unit_test(test_jws_garbage_never_verifies),
        cmocka_unit_test(test_datetime),
        cmocka_unit_test(test_vcjwt_sign_claims),
        cmocka_unit_test(test_vcjwt_issuer_string_no_subject_id_with_exp),
        cmocka_unit_test(test_vcjwt_node_jose_vector),
        cmocka_unit_test(test_vcjwt_claims_must_match),
        cmocka_unit_test(test_vcjwt_exp_sets_valid_until),
        cmocka_unit_test(test_vcjwt_sign_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
