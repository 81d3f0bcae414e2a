/*
 * text.c — UTF-8 widths and cleaning for terminal output; see text.h.
 *
 * The decoder accepts exactly what RFC 3629 allows (no overlong forms, no
 * surrogates, nothing past U+10FFFF), the same rules as
 * mc_utf8_valid_text() in lib/json.c, because it must agree with the
 * server about what is one character.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#include "mcred/banned.h"

/*
 * Length of the valid UTF-8 sequence at s, with its code point in
 * *out_cp; 0 when s does not start one.  s is NUL-terminated, and NUL is
 * never a continuation byte, so this never reads past the end.
 */
static size_t utf8_decode(const unsigned char *s, unsigned long *out_cp)
{
    unsigned char c = s[0];
    size_t n;
    unsigned long cp;

    if (c < 0x80) {
        *out_cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *out_cp = cp;
    return n;
}

size_t cli_text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t width = 0;

    while (*p) {
        unsigned long cp;
        size_t n = utf8_decode(p, &cp);
        p += n ? n : 1;
        width++;
    }
    return width;
}

static int is_control(unsigned long cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

enum mc_err cli_text_append_clean(struct mc_buf *out, const char *s, size_t max_width)
{
    const unsigned char *p = (const unsigned char *)s;
    enum mc_err rc = MC_OK;

    for (size_t width = 0; rc == MC_OK && *p && width < max_width; width++) {
        unsigned long cp = 0;
        size_t n = utf8_decode(p, &cp);
        if (n == 0) {
            rc = mc_buf_appendc(out, '?');
            p++;
        } else if (is_control(cp)) {
            rc = mc_buf_appendc(out, cp == '\t' || cp == '\n' || cp == '\r' ? ' ' : '?');
            p += n;
        } else {
            rc = mc_buf_append(out, p, n);
            p += n;
        }
    }
    return rc;
}

/* Append `n` spaces. */
static enum mc_err spaces_append(struct mc_buf *out, size_t n)
{
    enum mc_err rc = MC_OK;

    for (size_t i = 0; rc == MC_OK && i < n; i++)
        rc = mc_buf_appendc(out, ' ');
    return rc;
}

/* Columns of the n bytes at s, which hold no NUL. */
static size_t span_width(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + n;
    size_t width = 0;

    while (p < end) {
        unsigned long cp;
        size_t k = utf8_decode(p, &cp);
        p += k && k <= (size_t)(end - p) ? k : 1;
        width++;
    }
    return width;
}

/* Wrap one cleaned line (no control characters left, tabs now spaces). */
static enum mc_err line_wrap(struct mc_buf *out, const char *line, size_t width, size_t indent)
{
    size_t room = width > indent ? width - indent : 1;
    size_t used = 0; /* columns on the output line so far, indent not counted */
    const char *p = line;
    enum mc_err rc = MC_OK;

    while (rc == MC_OK) {
        size_t n, w;
        const char *start;

        while (*p == ' ')
            p++;
        if (!*p)
            break;
        start = p;
        while (*p && *p != ' ')
            p++;
        n = (size_t)(p - start);
        w = span_width(start, n);
        if (used > 0 && width && used + 1 + w > room) {
            rc = mc_buf_appendc(out, '\n');
            used = 0;
        }
        if (rc == MC_OK && used == 0)
            rc = spaces_append(out, indent);
        else if (rc == MC_OK)
            rc = mc_buf_appendc(out, ' ');
        if (rc == MC_OK)
            rc = mc_buf_append(out, start, n);
        used += (used ? 1 : 0) + w;
    }
    if (rc == MC_OK)
        rc = mc_buf_appendc(out, '\n');
    return rc;
}

enum mc_err cli_text_wrap(struct mc_buf *out, const char *s, size_t width, size_t indent)
{
    struct mc_buf line;
    enum mc_err rc = MC_OK;
    const char *p = s;

    mc_buf_init(&line, out->max);
    while (rc == MC_OK) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *piece;

        if (n > 0 && p[n - 1] == '\r')
            n--;
        piece = strndup(p, n);
        mc_buf_reset(&line);
        rc = piece ? cli_text_append_clean(&line, piece, SIZE_MAX) : MC_ERR_NOMEM;
        free(piece);
        if (rc == MC_OK)
            rc = line_wrap(out, line.data, width, indent);
        if (!nl || nl[1] == '\0')
            break; /* a last LF ends the last line; it does not start another */
        p = nl + 1;
    }
    mc_buf_release(&line);
    return rc;
}
