/*
 * html.c — see html.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mcred/html.h"

#include "mcred/banned.h"

void html_init(struct html *h, size_t max)
{
    mc_buf_init(&h->buf, max);
    h->rc = MC_OK;
}

void html_release(struct html *h)
{
    mc_buf_release(&h->buf);
}

static void keep(struct html *h, enum mc_err rc)
{
    if (h->rc == MC_OK)
        h->rc = rc;
}

void html_raw(struct html *h, const char *markup)
{
    if (h->rc == MC_OK && markup)
        keep(h, mc_buf_appends(&h->buf, markup));
}

void html_rawf(struct html *h, const char *fmt, ...)
{
    if (h->rc != MC_OK)
        return;
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        keep(h, MC_ERR_INTERNAL);
        return;
    }
    if ((size_t)n < sizeof small) {
        keep(h, mc_buf_append(&h->buf, small, (size_t)n));
        return;
    }
    /* longer markup: format again straight into the buffer */
    char big[4096];
    va_start(ap, fmt);
    n = vsnprintf(big, sizeof big, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof big)
        keep(h, MC_ERR_TOO_LARGE);
    else
        keep(h, mc_buf_append(&h->buf, big, (size_t)n));
}

static const char *entity_of(char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

void html_textn(struct html *h, const char *text, size_t len)
{
    if (!text)
        return;
    size_t start = 0;
    for (size_t i = 0; i < len && h->rc == MC_OK; i++) {
        const char *entity = entity_of(text[i]);
        if (!entity)
            continue;
        keep(h, mc_buf_append(&h->buf, text + start, i - start));
        html_raw(h, entity);
        start = i + 1;
    }
    if (h->rc == MC_OK && start < len)
        keep(h, mc_buf_append(&h->buf, text + start, len - start));
}

void html_text(struct html *h, const char *text)
{
    if (text)
        html_textn(h, text, strlen(text));
}

void html_tag(struct html *h, const char *tag, const char *text)
{
    size_t name = strcspn(tag, " ");
    html_rawf(h, "<%s>", tag);
    html_text(h, text);
    html_rawf(h, "</%.*s>", (int)name, tag);
}

void html_url_part(struct html *h, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)text; p && *p && h->rc == MC_OK; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            keep(h, mc_buf_appendc(&h->buf, (char)*p));
        } else {
            char esc[4] = {'%', hex[*p >> 4], hex[*p & 15], '\0'};
            html_raw(h, esc);
        }
    }
}

int html_escape_into(const char *text, char *out, size_t len)
{
    struct html h;
    html_init(&h, len ? len - 1 : 0);
    html_text(&h, text);
    int ok = h.rc == MC_OK && h.buf.len < len;
    if (ok)
        memcpy(out, h.buf.data, h.buf.len + 1);
    else if (len)
        out[0] = '\0';
    html_release(&h);
    return ok;
}
