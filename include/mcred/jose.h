/*
 * jose.h — ES256 JSON Web Signatures, P-256 JSON Web Keys and Open Badges
 * 3.0 VC-JWTs, over OpenSSL's libcrypto (library mcred_jose, jose/).
 *
 * Four layers, each built on the one before:
 *
 *   base64url   RFC 4648 §5 without padding; decoding is strict (no '=',
 *               no characters outside the alphabet, no stray bits), so
 *               every value has exactly one encoding.
 *   keys        P-256 key pairs (struct mc_jose_key), their public JWK
 *               (RFC 7517/7518 §6.2) and RFC 7638 thumbprint.
 *   JWS         compact ES256 (RFC 7515, RFC 7518 §3.4): the signature is
 *               the 64-byte R‖S, never DER; "alg" must be exactly "ES256".
 *   VC-JWT      Open Badges 3.0 §8.2 "JSON Web Token Proof Format": the
 *               credential is the JWT payload, with iss, jti, sub, nbf and
 *               exp added from it.
 *
 * Private keys are stored as the raw 32-byte big-endian scalar d (the same
 * bytes as a JWK's "d"): fixed-size, so a stored key never needs parsing.
 * Callers keep those bytes secret and wipe them (sodium_memzero or
 * OPENSSL_cleanse) once imported.
 *
 * Nothing here keeps global state; a key may be shared between threads for
 * signing and verifying (OpenSSL 3 EVP_PKEYs are safe for concurrent use
 * when not being changed).  Nothing here prints.
 *
 * Errors: MC_ERR_MALFORMED for input that does not parse (base64url, JSON,
 * the shape of a JWS); MC_ERR_TOO_LARGE past the limits in limits.h;
 * MC_ERR_INVALID for input that parses but is refused (a wrong alg, a bad
 * signature, a point not on the curve, claims that disagree with the
 * credential); MC_ERR_NOMEM and MC_ERR_INTERNAL (libcrypto failed).  The
 * error's field names the part at fault ("alg", "signature", "iss" …).
 */
#ifndef MCRED_JOSE_H
#define MCRED_JOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"
#include "mcred/error.h"

#define MC_JOSE_P256_SCALAR_BYTES 32 /* a private key d */
#define MC_JOSE_P256_COORD_BYTES  32 /* each of x and y */
#define MC_JOSE_ES256_SIG_BYTES   64 /* R‖S */
#define MC_JOSE_THUMBPRINT_LEN    43 /* base64url of a SHA-256 digest */

/* ---- base64url (RFC 4648 §5, no padding) ---- */

/* Characters that encoding `len` bytes produces. */
size_t mc_b64url_encoded_len(size_t len);

/* Append the encoding of `len` bytes to `out`; an error only if the buffer
 * would pass its maximum (MC_ERR_TOO_LARGE) or memory runs out. */
enum mc_err mc_b64url_encode(const void *data, size_t len, struct mc_buf *out)
    __attribute__((warn_unused_result));

/*
 * Append the bytes that `text` (len characters, no padding) encodes to
 * `out` (binary safe; out->len counts them).  Refused with
 * MC_ERR_MALFORMED: '=' or any character outside A-Z a-z 0-9 - _, a length
 * of 1 mod 4, and non-zero bits left over in the last character (a
 * non-canonical encoding).  On failure `out` may hold part of the bytes.
 */
enum mc_err mc_b64url_decode(const char *text, size_t len, struct mc_buf *out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* ---- P-256 keys ---- */

/* A P-256 public key, or key pair when it holds the private scalar. */
struct mc_jose_key;

/* A fresh key pair from OpenSSL's default random generator. */
enum mc_err mc_jose_key_generate(struct mc_jose_key **out_key, struct mc_error *err)
    __attribute__((warn_unused_result));

/* NULL is fine. */
void mc_jose_key_free(struct mc_jose_key *key);

/* Does the key hold the private scalar (can it sign)? */
bool mc_jose_key_has_private(const struct mc_jose_key *key);

/*
 * The private scalar d, big-endian, zero-padded to 32 bytes: the storage
 * form of a private key.  MC_ERR_INVALID for a public-only key.  The
 * caller wipes `out_d` when done with it.
 */
enum mc_err mc_jose_key_export_private(const struct mc_jose_key *key,
                                       unsigned char out_d[MC_JOSE_P256_SCALAR_BYTES],
                                       struct mc_error *err) __attribute__((warn_unused_result));

/* The key pair whose scalar is `d` (the public point is derived); d must be
 * in [1, n-1].  `d` is not wiped: it is the caller's. */
enum mc_err mc_jose_key_import_private(const unsigned char d[MC_JOSE_P256_SCALAR_BYTES],
                                       struct mc_jose_key **out_key, struct mc_error *err)
    __attribute__((warn_unused_result));

/* The public point's affine coordinates, big-endian, 32 bytes each. */
enum mc_err mc_jose_key_public_xy(const struct mc_jose_key *key,
                                  unsigned char out_x[MC_JOSE_P256_COORD_BYTES],
                                  unsigned char out_y[MC_JOSE_P256_COORD_BYTES],
                                  struct mc_error *err) __attribute__((warn_unused_result));

/* A public key from coordinates; MC_ERR_INVALID unless (x, y) is a point
 * on P-256 (the point at infinity cannot be written this way). */
enum mc_err mc_jose_key_from_public_xy(const unsigned char x[MC_JOSE_P256_COORD_BYTES],
                                       const unsigned char y[MC_JOSE_P256_COORD_BYTES],
                                       struct mc_jose_key **out_key, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * The public JWK {"kty":"EC","crv":"P-256","x","y","kid","alg":"ES256",
 * "use":"sig"}; never "d", even for a key pair.  kid is required (at most
 * MC_JOSE_MAX_KID bytes).  cJSON_Delete() the result.
 */
enum mc_err mc_jose_jwk_public(const struct mc_jose_key *key, const char *kid, cJSON **out_jwk,
                               struct mc_error *err) __attribute__((warn_unused_result));

/*
 * A public key from a JWK object: kty "EC", crv "P-256", x and y each the
 * base64url of exactly 32 bytes, the point on the curve; "alg", when
 * present, "ES256"; "use", when present, "sig".  A JWK with "d" is refused
 * (a private key where a public one belongs is a leak waiting to happen).
 * Other members (kid, key_ops …) are ignored.
 */
enum mc_err mc_jose_jwk_parse_public(const cJSON *jwk, struct mc_jose_key **out_key,
                                     struct mc_error *err) __attribute__((warn_unused_result));

/*
 * The RFC 7638 JWK thumbprint: base64url(SHA-256('{"crv":"P-256",
 * "kty":"EC","x":"…","y":"…"}')), 43 characters and a NUL.  Stable for a
 * key whatever its kid, so usable to name the key in a kid URL.
 */
enum mc_err mc_jose_jwk_thumbprint(const struct mc_jose_key *key,
                                   char out[MC_JOSE_THUMBPRINT_LEN + 1], struct mc_error *err)
    __attribute__((warn_unused_result));

/* ---- JWS compact serialisation, ES256 only ---- */

/*
 * Sign `payload` with a key pair: *out_compact = "B64(header).B64(payload).
 * B64(R‖S)" (free() it).  The header must be a JSON object whose "alg" is
 * "ES256"; it is serialised as cJSON prints it, unformatted.
 */
enum mc_err mc_jws_sign_es256(const cJSON *header, const void *payload, size_t payload_len,
                              const struct mc_jose_key *key, char **out_compact,
                              struct mc_error *err) __attribute__((warn_unused_result));

/*
 * Verify a compact JWS (len bytes, at most MC_JOSE_MAX_COMPACT) against a
 * public key.  Exactly three parts; the header a JSON object of at most
 * MC_JOSE_MAX_HEADER bytes with no repeated member, "alg" exactly "ES256"
 * ("none", "HS256", "es256" … are all refused), and no "crit" (no
 * extension is understood here); the signature exactly 64 bytes.
 *
 * On success *out_header is the parsed header (cJSON_Delete() it; pass
 * NULL if unwanted) and *out_payload the payload bytes with a NUL after
 * them (free() it), *out_payload_len their count.  Nothing is returned
 * unless the signature verifies.
 */
enum mc_err mc_jws_verify_es256(const char *compact, size_t len, const struct mc_jose_key *key,
                                cJSON **out_header, char **out_payload, size_t *out_payload_len,
                                struct mc_error *err) __attribute__((warn_unused_result));

/*
 * The header of a compact JWS, parsed but NOT verified — to pick the key
 * by its "kid" before calling mc_jws_verify_es256().  Trust nothing in it.
 */
enum mc_err mc_jws_peek_header(const char *compact, size_t len, cJSON **out_header,
                               struct mc_error *err) __attribute__((warn_unused_result));

/* ---- dates ---- */

/*
 * An XML Schema / RFC 3339 dateTime with a time zone, "2024-01-01T00:00:00Z"
 * or "…T01:00:00.5+01:00", as seconds since the epoch (any fraction is
 * dropped, rounding towards the past).  Years 0001–9999.
 */
enum mc_err mc_jose_datetime_parse(const char *text, int64_t *out_seconds, struct mc_error *err)
    __attribute__((warn_unused_result));

/* ---- Open Badges 3.0 VC-JWT ---- */

/*
 * Sign an OpenBadgeCredential as a VC-JWT (OB 3.0 §8.2).  Header:
 * {"alg":"ES256","kid":kid,"typ":"JWT"}.  Payload: the credential's members
 * followed by
 *   iss  issuer, or issuer.id when issuer is an object (required)
 *   jti  id (required)
 *   sub  credentialSubject.id — left out when the subject has no id
 *   nbf  validFrom as NumericDate seconds (required)
 *   exp  validUntil as NumericDate seconds, when present
 * OB 3.0 lists sub as required but also lets a subject go without an id
 * (it is identified by "identifier" instead) and says nothing for that
 * case; RFC 7519 makes sub optional and the VC data model's practice is to
 * omit it, so it is omitted rather than invented.  A credential that
 * already has a member named like a registered JWT claim (iss, sub, aud,
 * exp, nbf, iat, jti) is refused: it could not be told apart on the way
 * back.  *out_jwt: free() it.
 */
enum mc_err mc_vcjwt_sign(const cJSON *credential, const struct mc_jose_key *key, const char *kid,
                          char **out_jwt, struct mc_error *err) __attribute__((warn_unused_result));

/*
 * Verify a VC-JWT with the issuer's public key at time `now` and return the
 * credential (cJSON_Delete() it): the payload without its registered claims
 * (iss, sub, aud, exp, nbf, iat, jti).  After the JWS checks of
 * mc_jws_verify_es256, OB 3.0 §8.2.4.1: typ, when present, is "JWT";
 * iss equals the issuer id, jti the credential id, sub the subject's id
 * (present exactly when the subject has one), nbf the validFrom second;
 * validFrom has occurred (nbf <= now); exp, when present, equals the
 * validUntil second — or becomes validUntil when the credential has none,
 * as the spec asks — and has not passed (now < exp); a validUntil without
 * exp is refused.  No clock leeway: pass a `now` adjusted for it.
 */
enum mc_err mc_vcjwt_verify_at(const char *jwt, const struct mc_jose_key *key, time_t now,
                               cJSON **out_credential, struct mc_error *err)
    __attribute__((warn_unused_result));

/* mc_vcjwt_verify_at() at the current time; jwt is a C string. */
enum mc_err mc_vcjwt_verify(const char *jwt, const struct mc_jose_key *key, cJSON **out_credential,
                            struct mc_error *err) __attribute__((warn_unused_result));

#endif
