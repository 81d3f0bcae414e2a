/*
 * fuzz_jwt.c — JWS and VC-JWT parsing and verification (jose/).
 *
 * The key is RFC 7515 A.3's P-256 key, whose private half is published,
 * so that a run can sign what it likes and reach the code behind the
 * signature check.  The first byte chooses what the rest is:
 *   0  a compact JWS / VC-JWT as received: mc_jws_peek_header(),
 *      mc_jws_verify_es256() and mc_vcjwt_verify_at() (the node-jose
 *      fixture verifies, so mutations of it start from a good token);
 *   1  a payload: signed, it must verify and come back byte for byte;
 *      then read as a VC-JWT's claims by mc_vcjwt_verify_at(), whose
 *      credential must have date-times for dates;
 *   2  a credential (JSON): mc_vcjwt_sign(); a credential that signs, has
 *      no member twice and is valid for a while verifies at its validFrom
 *      and comes back as it was;
 *   3  a public JWK (JSON) for mc_jose_jwk_parse_public(), a base64url
 *      text that must decode and encode back to itself, and a date-time
 *      for mc_jose_datetime_parse() that, written in UTC, reads back as
 *      the same instant.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "mcred/buf.h"
#include "mcred/jose.h"
#include "mcred/json.h"
#include "mcred/timefmt.h"

#include "mcred/banned.h"

/* RFC 7515 A.3's private key d */
#define A3_D "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
#define KID  "https://example.edu/issuers/565049/keys/1"
/* 2020-01-01T00:00:00Z: the node-jose fixture is valid then */
#define T_2020 1577836800

/* The A.3 key, made once; it lives as long as the process. */
static const struct mc_jose_key *a3_key(void)
{
    static struct mc_jose_key *key;
    if (key)
        return key;
    struct mc_buf d;
    struct mc_error err = {0};
    mc_buf_init(&d, MC_JOSE_P256_SCALAR_BYTES);
    if (mc_b64url_decode(A3_D, strlen(A3_D), &d, &err) != MC_OK ||
        d.len != MC_JOSE_P256_SCALAR_BYTES ||
        mc_jose_key_import_private((const unsigned char *)d.data, &key, &err) != MC_OK) {
        fprintf(stderr, "cannot make the RFC 7515 A.3 key: %s\n", mc_error_message(&err));
        abort();
    }
    mc_buf_release(&d);
    return key;
}

static void verify_received(const char *text, size_t len)
{
    struct mc_error err = {0};
    cJSON *header = NULL, *credential = NULL;
    char *payload = NULL;
    size_t payload_len = 0;
    bool peeked = mc_jws_peek_header(text, len, &header, &err) == MC_OK;
    cJSON_Delete(header);
    header = NULL;
    if (mc_jws_verify_es256(text, len, a3_key(), &header, &payload, &payload_len, &err) == MC_OK) {
        const cJSON *alg = cJSON_GetObjectItemCaseSensitive(header, "alg");
        FUZZ_CHECK(peeked && cJSON_IsString(alg) && strcmp(alg->valuestring, "ES256") == 0);
    }
    cJSON_Delete(header);
    free(payload);
    char *jwt = fuzz_cstring((const uint8_t *)text, len);
    if (jwt && mc_vcjwt_verify_at(jwt, a3_key(), T_2020, &credential, &err) == MC_OK)
        FUZZ_CHECK(cJSON_IsObject(credential) &&
                   !cJSON_GetObjectItemCaseSensitive(credential, "nbf"));
    cJSON_Delete(credential);
    free(jwt);
}

/* The credential's date-time member, or false. */
static bool credential_time(const cJSON *credential, const char *key, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(credential, key);
    struct mc_error err = {0};
    return cJSON_IsString(v) && mc_jose_datetime_parse(v->valuestring, out, &err) == MC_OK;
}

static void sign_payload(const char *payload, size_t len)
{
    struct mc_error err = {0};
    cJSON *header = cJSON_CreateObject();
    char *compact = NULL, *back = NULL;
    size_t back_len = 0;
    if (!header || !cJSON_AddStringToObject(header, "alg", "ES256") ||
        !cJSON_AddStringToObject(header, "typ", "JWT") ||
        mc_jws_sign_es256(header, payload, len, a3_key(), &compact, &err) != MC_OK) {
        cJSON_Delete(header);
        return; /* out of memory, or too large */
    }
    cJSON_Delete(header);
    FUZZ_CHECK(mc_jws_verify_es256(compact, strlen(compact), a3_key(), NULL, &back, &back_len,
                                   &err) == MC_OK);
    FUZZ_CHECK(back_len == len && (len == 0 || memcmp(back, payload, len) == 0));
    free(back);
    /* a credential handed back has its dates as date-times, validUntil from exp too */
    cJSON *credential = NULL;
    int64_t seconds = 0;
    if (mc_vcjwt_verify_at(compact, a3_key(), T_2020, &credential, &err) == MC_OK) {
        FUZZ_CHECK(cJSON_IsObject(credential));
        FUZZ_CHECK(credential_time(credential, "validFrom", &seconds));
        FUZZ_CHECK(!cJSON_GetObjectItemCaseSensitive(credential, "validUntil") ||
                   credential_time(credential, "validUntil", &seconds));
    }
    cJSON_Delete(credential);
    free(compact);
}

/* Does any object in the tree have two members of one name? */
static bool has_duplicates(const cJSON *item)
{
    for (const cJSON *a = item->child; a; a = a->next) {
        if (cJSON_IsObject(item))
            for (const cJSON *b = a->next; b; b = b->next)
                if (strcmp(a->string, b->string) == 0)
                    return true;
        if (has_duplicates(a))
            return true;
    }
    return false;
}

static void sign_credential(const char *text, size_t len)
{
    cJSON *credential = NULL, *back = NULL;
    char *jwt = NULL;
    struct mc_error err = {0};
    if (mc_json_parse(text, len, &credential, &err) != MC_OK)
        return;
    if (mc_vcjwt_sign(credential, a3_key(), KID, &jwt, &err) == MC_OK) {
        int64_t from = 0, until = 0;
        FUZZ_CHECK(credential_time(credential, "validFrom", &from));
        bool expires = credential_time(credential, "validUntil", &until);
        if (!has_duplicates(credential) && (!expires || until > from)) {
            FUZZ_CHECK(mc_vcjwt_verify_at(jwt, a3_key(), (time_t)from, &back, &err) == MC_OK);
            FUZZ_CHECK(cJSON_Compare(back, credential, true));
        }
    }
    cJSON_Delete(back);
    free(jwt);
    cJSON_Delete(credential);
}

static void parse_pieces(const char *text, size_t len)
{
    struct mc_error err = {0};
    cJSON *jwk = NULL;
    struct mc_jose_key *key = NULL;
    if (mc_json_parse(text, len, &jwk, &err) == MC_OK &&
        mc_jose_jwk_parse_public(jwk, &key, &err) == MC_OK) {
        char thumbprint[MC_JOSE_THUMBPRINT_LEN + 1];
        FUZZ_CHECK(mc_jose_jwk_thumbprint(key, thumbprint, &err) == MC_OK);
    }
    mc_jose_key_free(key);
    cJSON_Delete(jwk);

    struct mc_buf raw, again;
    mc_buf_init(&raw, MC_JOSE_MAX_COMPACT);
    mc_buf_init(&again, MC_JOSE_MAX_COMPACT * 2);
    if (mc_b64url_decode(text, len, &raw, &err) == MC_OK &&
        mc_b64url_encode(raw.data, raw.len, &again) == MC_OK)
        FUZZ_CHECK(again.len == len && memcmp(again.data, text, len) == 0);
    mc_buf_release(&raw);
    mc_buf_release(&again);

    /* a date-time read, written in UTC and read again, is the same instant */
    char *date = fuzz_cstring((const uint8_t *)text, len);
    int64_t seconds = 0, again_seconds = 0;
    char utc[MC_RFC3339_LEN];
    /* (but the year 0000, which an offset can reach from 0001 and the parser refuses) */
    if (date && mc_jose_datetime_parse(date, &seconds, &err) == MC_OK &&
        mc_time_rfc3339((time_t)seconds, utc) && strncmp(utc, "0000-", 5) != 0)
        FUZZ_CHECK(mc_jose_datetime_parse(utc, &again_seconds, &err) == MC_OK &&
                   again_seconds == seconds);
    free(date);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    switch (data[0] % 4) {
    case 0:
        verify_received(text, len);
        break;
    case 1:
        sign_payload(text, len);
        break;
    case 2:
        sign_credential(text, len);
        break;
    default:
        parse_pieces(text, len);
        break;
    }
    return 0;
}
