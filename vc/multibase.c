/*
 * multibase.c — base58btc (Bitcoin alphabet), "z" multibase and Ed25519
 * Multikey (multicodec ed25519-pub, varint 0xed 0x01).
 *
 * base58 is a change of radix on a big number, done here the schoolbook
 * way, quadratic in the length: inputs are capped at MC_MULTIBASE_MAX_BYTES.
 * Leading zero bytes are written as leading '1's and back.
 */
#include <stdlib.h>
#include <string.h>

#include "mcred/multibase.h"

#include "mcred/banned.h"

static const char b58_alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static const unsigned char multicodec_ed25519_pub[2] = {0xed, 0x01};

enum mc_err mc_base58btc_encode(const unsigned char *data, size_t len, char **out,
                                struct mc_error *err)
{
    if (len > MC_MULTIBASE_MAX_BYTES)
        return mc_error_set(err, MC_ERR_TOO_LARGE, NULL, "cannot encode more than %d bytes",
                            MC_MULTIBASE_MAX_BYTES);
    size_t zeros = 0;
    while (zeros < len && data[zeros] == 0)
        zeros++;
    /* log(256)/log(58) < 1.37: digits needed for the rest */
    size_t cap = (len - zeros) * 137 / 100 + 1;
    unsigned char *digits = calloc(cap, 1);
    if (!digits)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    size_t ndigits = 0;
    for (size_t i = zeros; i < len; i++) {
        unsigned int carry = data[i];
        for (size_t j = 0; j < ndigits; j++) {
            carry += (unsigned int)digits[j] << 8;
            digits[j] = (unsigned char)(carry % 58);
            carry /= 58;
        }
        while (carry) {
            digits[ndigits++] = (unsigned char)(carry % 58);
            carry /= 58;
        }
    }
    char *s = malloc(zeros + ndigits + 1);
    if (!s) {
        free(digits);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    memset(s, '1', zeros);
    for (size_t j = 0; j < ndigits; j++)
        s[zeros + j] = b58_alphabet[digits[ndigits - 1 - j]];
    s[zeros + ndigits] = '\0';
    free(digits);
    *out = s;
    return MC_OK;
}

static int b58_value(char c)
{
    const char *p = c ? strchr(b58_alphabet, c) : NULL;
    return p ? (int)(p - b58_alphabet) : -1;
}

enum mc_err mc_base58btc_decode(const char *text, unsigned char **out, size_t *out_len,
                                struct mc_error *err)
{
    size_t len = strlen(text);
    if (len > MC_MULTIBASE_MAX_BYTES * 2)
        return mc_error_set(err, MC_ERR_TOO_LARGE, NULL, "cannot decode more than %d characters",
                            MC_MULTIBASE_MAX_BYTES * 2);
    size_t zeros = 0;
    while (zeros < len && text[zeros] == '1')
        zeros++;
    /* log(58)/log(256) < 0.74: bytes needed for the rest */
    size_t cap = (len - zeros) * 74 / 100 + 1;
    unsigned char *bytes = calloc(cap, 1);
    if (!bytes)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    size_t nbytes = 0;
    for (size_t i = zeros; i < len; i++) {
        int v = b58_value(text[i]);
        if (v < 0) {
            free(bytes);
            return mc_error_set(err, MC_ERR_INVALID, NULL,
                                "invalid base58btc character at position %zu", i);
        }
        unsigned int carry = (unsigned int)v;
        for (size_t j = 0; j < nbytes; j++) {
            carry += (unsigned int)bytes[j] * 58;
            bytes[j] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
        while (carry) {
            bytes[nbytes++] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
    }
    if (zeros + nbytes > MC_MULTIBASE_MAX_BYTES) {
        free(bytes);
        return mc_error_set(err, MC_ERR_TOO_LARGE, NULL, "cannot decode more than %d bytes",
                            MC_MULTIBASE_MAX_BYTES);
    }
    unsigned char *res = malloc(zeros + nbytes + 1);
    if (!res) {
        free(bytes);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    memset(res, 0, zeros);
    for (size_t j = 0; j < nbytes; j++)
        res[zeros + j] = bytes[nbytes - 1 - j];
    free(bytes);
    *out = res;
    *out_len = zeros + nbytes;
    return MC_OK;
}

enum mc_err mc_multibase_encode(const unsigned char *data, size_t len, char **out,
                                struct mc_error *err)
{
    char *b58 = NULL;
    enum mc_err rc = mc_base58btc_encode(data, len, &b58, err);
    if (rc != MC_OK)
        return rc;
    if (!b58)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    size_t n = strlen(b58);
    char *s = malloc(n + 2);
    if (!s) {
        free(b58);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    s[0] = 'z';
    memcpy(s + 1, b58, n + 1);
    free(b58);
    *out = s;
    return MC_OK;
}

enum mc_err mc_multibase_decode(const char *text, unsigned char **out, size_t *out_len,
                                struct mc_error *err)
{
    if (text[0] != 'z')
        return mc_error_set(err, MC_ERR_INVALID, NULL,
                            "unsupported multibase encoding: only base58btc (\"z\") is accepted");
    return mc_base58btc_decode(text + 1, out, out_len, err);
}

enum mc_err mc_multikey_encode_ed25519(const unsigned char pk[MC_ED25519_PUBLICKEYBYTES],
                                       char out[MC_MULTIKEY_ED25519_MAX], struct mc_error *err)
{
    unsigned char raw[sizeof multicodec_ed25519_pub + MC_ED25519_PUBLICKEYBYTES];
    memcpy(raw, multicodec_ed25519_pub, sizeof multicodec_ed25519_pub);
    memcpy(raw + sizeof multicodec_ed25519_pub, pk, MC_ED25519_PUBLICKEYBYTES);
    char *s = NULL;
    enum mc_err rc = mc_multibase_encode(raw, sizeof raw, &s, err);
    if (rc != MC_OK)
        return rc;
    if (!s)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    size_t n = strlen(s);
    if (n >= MC_MULTIKEY_ED25519_MAX) {
        free(s);
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "multikey longer than expected");
    }
    memcpy(out, s, n + 1);
    free(s);
    return MC_OK;
}

enum mc_err mc_multikey_decode_ed25519(const char *multikey,
                                       unsigned char out_pk[MC_ED25519_PUBLICKEYBYTES],
                                       struct mc_error *err)
{
    unsigned char *raw = NULL;
    size_t len = 0;
    enum mc_err rc = mc_multibase_decode(multikey, &raw, &len, err);
    if (rc != MC_OK)
        return rc;
    if (len != sizeof multicodec_ed25519_pub + MC_ED25519_PUBLICKEYBYTES ||
        memcmp(raw, multicodec_ed25519_pub, sizeof multicodec_ed25519_pub) != 0) {
        free(raw);
        return mc_error_set(err, MC_ERR_INVALID, NULL, "not an Ed25519 multikey");
    }
    memcpy(out_pk, raw + sizeof multicodec_ed25519_pub, MC_ED25519_PUBLICKEYBYTES);
    free(raw);
    return MC_OK;
}
