/*
 * multibase.h — base58btc, multibase and Ed25519 Multikey.
 *
 * base58btc is Bitcoin's alphabet; a multibase string is "z" followed by
 * base58btc.  An Ed25519 public key as a Multikey (W3C Controlled
 * Identifiers, §2.2.2) is multibase(0xed 0x01 ‖ the 32 key bytes), which
 * always starts "z6Mk".  Inputs longer than MC_MULTIBASE_MAX_BYTES are
 * refused.
 */
#ifndef MCRED_MULTIBASE_H
#define MCRED_MULTIBASE_H

#include <stddef.h>

#include "mcred/error.h"

#define MC_ED25519_PUBLICKEYBYTES 32
/* "z" + base58btc of 34 bytes (at most 47 characters) + NUL */
#define MC_MULTIKEY_ED25519_MAX 49

/* base58btc of `len` bytes into *out (free() it). */
enum mc_err mc_base58btc_encode(const unsigned char *data, size_t len, char **out,
                                struct mc_error *err) __attribute__((warn_unused_result));

/* Decode base58btc text into *out (free() it), *out_len bytes. */
enum mc_err mc_base58btc_decode(const char *text, unsigned char **out, size_t *out_len,
                                struct mc_error *err) __attribute__((warn_unused_result));

/* "z" + base58btc; decoding refuses any other multibase prefix. */
enum mc_err mc_multibase_encode(const unsigned char *data, size_t len, char **out,
                                struct mc_error *err) __attribute__((warn_unused_result));
enum mc_err mc_multibase_decode(const char *text, unsigned char **out, size_t *out_len,
                                struct mc_error *err) __attribute__((warn_unused_result));

/* The Multikey of an Ed25519 public key ("z6Mk…"). */
enum mc_err mc_multikey_encode_ed25519(const unsigned char pk[MC_ED25519_PUBLICKEYBYTES],
                                       char out[MC_MULTIKEY_ED25519_MAX], struct mc_error *err)
    __attribute__((warn_unused_result));

/* The key of an Ed25519 Multikey: the prefix, header and length are checked. */
enum mc_err mc_multikey_decode_ed25519(const char *multikey,
                                       unsigned char out_pk[MC_ED25519_PUBLICKEYBYTES],
                                       struct mc_error *err) __attribute__((warn_unused_result));

#endif
