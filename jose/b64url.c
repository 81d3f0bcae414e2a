/*
 * b64url.c — base64url without padding (RFC 4648 §5, as JOSE uses it,
 * RFC 7515 §2).
 *
 * Decoding is strict so that a signed value has exactly one textual form:
 * padding, whitespace and the '+' '/' of plain base64 are refused, and so
 * are bits left over in the last character (RFC 4648 §3.5 lets a decoder
 * reject them; we do, or "QQ" and "QR" would both mean "A").  Both
 * directions work through a small block on the stack and append it to the
 * caller's mc_buf, so the buffer's own ceiling bounds the output.
 */
#include <string.h>

#include "mcred/jose.h"

#include "mcred/banned.h"

static const char alphabet[65] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

enum { BLOCK = 768 }; /* a multiple of 3 and of 4 */

size_t mc_b64url_encoded_len(size_t len)
{
    return len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0);
}

enum mc_err mc_b64url_encode(const void *data, size_t len, struct mc_buf *out)
{
    const unsigned char *in = data;
    char block[BLOCK];
    size_t n = 0;
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        unsigned long v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 | in[i + 2];
        block[n++] = alphabet[v >> 18 & 63];
        block[n++] = alphabet[v >> 12 & 63];
        block[n++] = alphabet[v >> 6 & 63];
        block[n++] = alphabet[v & 63];
        if (n == BLOCK) {
            enum mc_err rc = mc_buf_append(out, block, n);
            if (rc != MC_OK)
                return rc;
            n = 0;
        }
    }
    if (len - i == 1) {
        unsigned long v = (unsigned long)in[i] << 16;
        block[n++] = alphabet[v >> 18 & 63];
        block[n++] = alphabet[v >> 12 & 63];
    } else if (len - i == 2) {
        unsigned long v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8;
        block[n++] = alphabet[v >> 18 & 63];
        block[n++] = alphabet[v >> 12 & 63];
        block[n++] = alphabet[v >> 6 & 63];
    }
    return n ? mc_buf_append(out, block, n) : MC_OK;
}

/* The 6-bit value of a base64url character, or -1. */
static int sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

static enum mc_err bad_char(struct mc_error *err, const char *text, size_t at)
{
    unsigned char c = (unsigned char)text[at];
    if (c == '=')
        return mc_error_set(err, MC_ERR_MALFORMED, NULL,
                            "base64url must not be padded (\"=\" at offset %zu)", at);
    return mc_error_set(err, MC_ERR_MALFORMED, NULL,
                        "invalid base64url character 0x%02x at offset %zu", c, at);
}

enum mc_err mc_b64url_decode(const char *text, size_t len, struct mc_buf *out, struct mc_error *err)
{
    if (len % 4 == 1)
        return mc_error_set(err, MC_ERR_MALFORMED, NULL,
                            "base64url of %zu characters cannot be complete", len);
    unsigned char block[BLOCK];
    size_t n = 0;
    unsigned long acc = 0;
    unsigned bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = sextet((unsigned char)text[i]);
        if (v < 0)
            return bad_char(err, text, i);
        acc = (acc << 6 | (unsigned long)v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            block[n++] = (unsigned char)(acc >> bits);
            if (n == BLOCK) {
                enum mc_err rc = mc_buf_append(out, block, n);
                if (rc != MC_OK)
                    return mc_error_set(err, rc, NULL, "decoded base64url is too large");
                n = 0;
            }
        }
    }
    /* 2 or 4 bits may remain after the last byte; they must be zero. */
    if (acc & ((1ul << bits) - 1))
        return mc_error_set(err, MC_ERR_MALFORMED, NULL,
                            "base64url has non-zero trailing bits (not canonical)");
    if (n) {
        enum mc_err rc = mc_buf_append(out, block, n);
        if (rc != MC_OK)
            return mc_error_set(err, rc, NULL, "decoded base64url is too large");
    }
    return MC_OK;
}
