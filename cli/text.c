/*
 * text.c — UTF-8 widths and cleaning for terminal output; see text.h.
 *
 * The decoder accepts exactly what RFC 3629 allows (no overlong forms, no
 * surrogates, nothing past U+10FFFF), the same rules as
 * mc_utf8_valid_text() in lib/json.c, because it must agree with the
 * server about what is one character.
 */

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
