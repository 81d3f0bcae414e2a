/*
 * html.h — building an HTML page in a buffer, with every piece of data
 * escaped on its way in.
 *
 * The builder keeps the first error and ignores what comes after it, so a
 * page is written as a straight run of calls and checked once at the end
 * (after Go's bufio.Writer and git's strbuf): a page is either whole or an
 * error, never half a page.
 *
 * html_raw/html_rawf take markup the program wrote: literals, and numbers
 * formatted into them.  Anything that came from a person or the database
 * goes through html_text (element content and attribute values alike:
 * it escapes & < > " ') or html_url_part (a path segment or query value:
 * percent-encoded, then escaped).
 */
#ifndef MCRED_HTML_H
#define MCRED_HTML_H

#include <stddef.h>

#include "mcred/buf.h"
#include "mcred/error.h"

struct html {
    struct mc_buf buf;
    enum mc_err rc; /* the first failure; MC_OK while the page is whole */
};

void html_init(struct html *h, size_t max);
void html_release(struct html *h);

/* Markup the program wrote. */
void html_raw(struct html *h, const char *markup);
void html_rawf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Text from anywhere, escaped; NULL appends nothing. */
void html_text(struct html *h, const char *text);
void html_textn(struct html *h, const char *text, size_t len);

/* "<tag>text</tag>" with the text escaped; `tag` may carry attributes ("td class=n"). */
void html_tag(struct html *h, const char *tag, const char *text);

/* A URL path segment or query value: RFC 3986 unreserved bytes kept, the rest %XX. */
void html_url_part(struct html *h, const char *text);

/* Escape into a caller's buffer (for tests and small labels); false when it does not fit. */
int html_escape_into(const char *text, char *out, size_t len);

#endif
