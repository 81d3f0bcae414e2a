/*
 * buf.c — see buf.h.  An empty buffer points at a shared, read-only "" so
 * that init cannot fail; the first append allocates.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/buf.h"

#include "mcred/banned.h"

static char empty_string[1];

void mc_buf_init(struct mc_buf *b, size_t max)
{
    b->data = empty_string;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void mc_buf_release(struct mc_buf *b)
{
    if (b->cap)
        free(b->data);
    mc_buf_init(b, b->max);
}

void mc_buf_reset(struct mc_buf *b)
{
    b->len = 0;
    b->data[0] = '\0';
    if (!b->cap)
        b->data = empty_string;
}

/* Make room for `extra` more bytes plus the terminator. */
static enum mc_err buf_grow(struct mc_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra) {
        mc_buf_release(b);
        return MC_ERR_TOO_LARGE;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return MC_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->cap ? b->data : NULL, cap);
    if (!p) {
        mc_buf_release(b);
        return MC_ERR_NOMEM;
    }
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return MC_OK;
}

enum mc_err mc_buf_append(struct mc_buf *b, const void *data, size_t len)
{
    enum mc_err rc = buf_grow(b, len);
    if (rc != MC_OK)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return MC_OK;
}

enum mc_err mc_buf_appends(struct mc_buf *b, const char *s)
{
    return mc_buf_append(b, s, strlen(s));
}

enum mc_err mc_buf_appendc(struct mc_buf *b, char c)
{
    return mc_buf_append(b, &c, 1);
}

enum mc_err mc_buf_appendf(struct mc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return MC_ERR_INTERNAL;
    enum mc_err rc = buf_grow(b, (size_t)n);
    if (rc != MC_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return MC_OK;
}

void mc_format_cut(char *out, size_t size, const char *fmt, ...)
{
    if (size == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    if (n < 0) {
        out[0] = '\0';
        return;
    }
    size_t len = (size_t)n < size ? (size_t)n : size - 1;
    if ((size_t)n < size)
        return;
    /* step back over a character the cut left incomplete */
    size_t start = len;
    while (start > 0 && ((unsigned char)out[start - 1] & 0xC0) == 0x80)
        start--;
    if (start > 0) {
        unsigned char lead = (unsigned char)out[start - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (need > 1 && len - (start - 1) < need)
            len = start - 1;
    }
    out[len] = '\0';
}

char *mc_buf_detach(struct mc_buf *b, size_t *out_len)
{
    char *p;
    size_t len = b->len;
    if (b->cap) {
        p = b->data;
    } else {
        p = malloc(1);
        if (!p)
            return NULL;
        p[0] = '\0';
    }
    mc_buf_init(b, b->max);
    if (out_len)
        *out_len = len;
    return p;
}
