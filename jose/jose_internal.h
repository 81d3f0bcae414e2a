/*
 * jose_internal.h — what the files of jose/ share and nobody else needs.
 */
#ifndef MCRED_JOSE_INTERNAL_H
#define MCRED_JOSE_INTERNAL_H

#include <stdbool.h>

#include <openssl/evp.h>

#include "mcred/jose.h"

/* A P-256 key: an EVP_PKEY that holds the public point and, for a key
 * pair, the private scalar. */
struct mc_jose_key {
    EVP_PKEY *pkey;
    bool has_private;
};

/* Record a libcrypto failure: the message for people, OpenSSL's error
 * queue (drained, so that it cannot leak into another caller's report on
 * this thread) in the operator-only detail. */
enum mc_err mc_jose_crypto_error(struct mc_error *err, const char *what);

/* Set *out_duplicate (which the caller sets false first) when two members
 * of an object within `item` share a name: RFC 7515 §5.2 and RFC 7519 §7.2
 * let us refuse those rather than guess which one counts.  False only when
 * out of memory. */
bool mc_jose_scan_duplicates(const cJSON *item, bool *out_duplicate);

/* Parse `len` bytes as a JSON object without repeated members; `what`
 * names it in messages ("JWS header"), `field` in err->field. */
enum mc_err mc_jose_parse_object(const char *text, size_t len, const char *what, const char *field,
                                 cJSON **out, struct mc_error *err);

#endif
