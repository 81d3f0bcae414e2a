/*
 * webhook_sign.h — Standard Webhooks signing (https://www.standardwebhooks.com):
 * secrets are "whsec_" + base64 of the key bytes; a signature is
 * "v1," + base64(HMAC-SHA256(key, "<msg id>.<unix seconds>.<body>")).
 */
#ifndef MCRED_SERVER_WEBHOOK_SIGN_H
#define MCRED_SERVER_WEBHOOK_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "mcred/error.h"

#define WEBHOOK_SECRET_BYTES   32 /* what we generate */
#define WEBHOOK_KEY_MAX        64 /* what we accept when decoding */
#define WEBHOOK_SECRET_TEXT    64 /* "whsec_" + base64 of 32 bytes, with room */
#define WEBHOOK_SIGNATURE_TEXT 48 /* "v1," + 44 base64 characters */

/* "whsec_…" for these key bytes. */
void webhook_secret_text(const unsigned char *key, size_t len, char out[WEBHOOK_SECRET_TEXT]);

/* The key bytes of a "whsec_…" secret; false when it is not one. */
bool webhook_secret_parse(const char *text, unsigned char key[WEBHOOK_KEY_MAX], size_t *out_len)
    __attribute__((warn_unused_result));

/* "v1,<base64 signature>" of a delivery. */
enum mc_err webhook_sign(const unsigned char *key, size_t key_len, const char *msg_id,
                         long long timestamp, const char *body, size_t body_len,
                         char out[WEBHOOK_SIGNATURE_TEXT]) __attribute__((warn_unused_result));

#endif
