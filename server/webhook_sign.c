/*
 * webhook_sign.c — see webhook_sign.h.  HMAC-SHA256 from libsodium, whose
 * streaming API takes a key of any length, as the specification's secrets
 * may be.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "webhook_sign.h"

#include "mcred/banned.h"

#define SECRET_PREFIX "whsec_"

void webhook_secret_text(const unsigned char *key, size_t len, char out[WEBHOOK_SECRET_TEXT])
{
    memcpy(out, SECRET_PREFIX, sizeof SECRET_PREFIX - 1);
    sodium_bin2base64(out + sizeof SECRET_PREFIX - 1,
                      WEBHOOK_SECRET_TEXT - sizeof SECRET_PREFIX + 1, key, len,
                      sodium_base64_VARIANT_ORIGINAL);
}

bool webhook_secret_parse(const char *text, unsigned char key[WEBHOOK_KEY_MAX], size_t *out_len)
{
    if (strncmp(text, SECRET_PREFIX, sizeof SECRET_PREFIX - 1) != 0)
        return false;
    const char *b64 = text + sizeof SECRET_PREFIX - 1;
    size_t len = 0;
    const char *end = NULL;
    if (sodium_base642bin(key, WEBHOOK_KEY_MAX, b64, strlen(b64), NULL, &len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        *end != '\0' || len == 0)
        return false;
    *out_len = len;
    return true;
}

enum mc_err webhook_sign(const unsigned char *key, size_t key_len, const char *msg_id,
                         long long timestamp, const char *body, size_t body_len,
                         char out[WEBHOOK_SIGNATURE_TEXT])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char ts[24];
    int n = snprintf(ts, sizeof ts, "%lld", timestamp);
    if (n <= 0 || crypto_auth_hmacsha256_init(&st, key, key_len) != 0 ||
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg_id, strlen(msg_id)) != 0 ||
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1) != 0 ||
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (size_t)n) != 0 ||
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1) != 0 ||
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, body_len) != 0 ||
        crypto_auth_hmacsha256_final(&st, mac) != 0) {
        sodium_memzero(&st, sizeof st);
        return MC_ERR_INTERNAL;
    }
    memcpy(out, "v1,", 3); /* NOLINT(bugprone-not-null-terminated-result): base64 ends it */
    sodium_bin2base64(out + 3, WEBHOOK_SIGNATURE_TEXT - 3, mac, sizeof mac,
                      sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(&st, sizeof st);
    sodium_memzero(mac, sizeof mac);
    return MC_OK;
}
