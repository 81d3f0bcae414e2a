/*
 * web.c — see web.h.
 */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>
#include <sodium.h>

#include "request.h"
#include "server.h"
#include "web.h"

#include "mcred/banned.h"

#define CSRF_KDF_CONTEXT "mcredcsr" /* crypto_kdf_CONTEXTBYTES = 8 */
#define CSRF_KDF_SUBKEY  4

enum mc_err web_csrf_key_derive(const unsigned char *master_key,
                                unsigned char key[WEB_CSRF_KEY_BYTES])
{
    if (crypto_kdf_derive_from_key(key, WEB_CSRF_KEY_BYTES, CSRF_KDF_SUBKEY, CSRF_KDF_CONTEXT,
                                   master_key) != 0)
        return MC_ERR_INTERNAL;
    return MC_OK;
}

const char *web_session_cookie(const struct request *r)
{
    const char *v = MHD_lookup_connection_value(r->connection, MHD_COOKIE_KIND, WEB_COOKIE);
    return v && secret_well_formed(v, WEB_SESSION_PREFIX) ? v : NULL;
}

void web_csrf_of(const unsigned char key[WEB_CSRF_KEY_BYTES], const char *session,
                 char out[WEB_CSRF_LEN + 1])
{
    unsigned char mac[32];
    crypto_generichash(mac, sizeof mac, (const unsigned char *)session, strlen(session), key,
                       WEB_CSRF_KEY_BYTES);
    sodium_bin2base64(out, WEB_CSRF_LEN + 1, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(mac, sizeof mac);
}

bool web_csrf_ok(const struct request *r)
{
    const char *session = web_session_cookie(r);
    const char *given = web_form(r, WEB_CSRF_FIELD);
    if (!session || !given || strlen(given) != WEB_CSRF_LEN)
        return false;
    char want[WEB_CSRF_LEN + 1];
    web_csrf_of(r->server->csrf_key, session, want);
    bool ok = sodium_memcmp(want, given, WEB_CSRF_LEN) == 0;
    sodium_memzero(want, sizeof want);
    return ok;
}

void web_set_cookie(struct request *r, const char *session, unsigned max_age)
{
    /* Secure whenever the site is reached over TLS (MCRED_PUBLIC_URL says how) */
    bool secure = strncmp(r->server->cfg.public_url, "https://", 8) == 0;
    snprintf(r->set_cookie, sizeof r->set_cookie,
             "%s=%s; Path=/; Max-Age=%u; HttpOnly; SameSite=Strict%s", WEB_COOKIE,
             session ? session : "", session ? max_age : 0, secure ? "; Secure" : "");
}

const char *web_form(const struct request *r, const char *name)
{
    return mc_form_get(&r->form, name);
}

/*
 * One stylesheet for every page, inline (the CSP allows nothing else):
 * readable from a phone to a projector, colours with at least 4.5:1
 * contrast, focus always visible.
 */
static const char page_style[] =
    "*{box-sizing:border-box}"
    "body{margin:0;font:1.05rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1b1b1b;background:#fff}"
    "header.site{background:#1d3557;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;"
    "gap:.5rem 1.5rem;align-items:center;justify-content:space-between}"
    "header.site a{color:#fff}"
    "header.site nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}"
    "header.site form{display:inline;margin:0}"
    "header.site button{background:#fff;color:#1d3557;border:0}"
    ".brand{font-weight:700;font-size:1.15rem;text-decoration:none}"
    "main{max-width:72rem;margin:0 auto;padding:1rem}"
    "h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.3rem;margin:1.5rem 0 .5rem}"
    "h3{font-size:1.1rem;margin:1rem 0 .25rem}"
    "a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus,textarea:focus"
    "{outline:3px solid #f4a261;outline-offset:2px}"
    ".table-wrap{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem;min-width:50%}"
    "th,td{border:1px solid #8a8a8a;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "thead th{background:#e9eef5}td.n,th.n{text-align:right}"
    "button,.button{font:inherit;background:#1d3557;color:#fff;border:0;border-radius:4px;"
    "padding:.4rem 1rem;cursor:pointer;text-decoration:none;display:inline-block}"
    "input,select,textarea{font:inherit;padding:.3rem;border:1px solid #5c5c5c;border-radius:3px;"
    "max-width:100%}"
    "textarea{width:100%;min-height:4rem}"
    "label{font-weight:600}.field{margin:.5rem 0}.field label{display:block}"
    "fieldset{border:1px solid #8a8a8a;margin:1rem 0;padding:.5rem 1rem}"
    "legend{font-weight:700;padding:0 .25rem}"
    ".notice{border-left:6px solid #2a9d8f;background:#eef8f6;padding:.5rem 1rem;margin:1rem 0}"
    ".error{border-left:6px solid #b00020;background:#fdecee;padding:.5rem 1rem;margin:1rem 0}"
    ".muted{color:#4d4d4d}.met{color:#1e6b32;font-weight:600}"
    ".missing{color:#9b1c1c;font-weight:600}"
    ".secret{font-family:ui-monospace,monospace;word-break:break-all;background:#f3f3f3;"
    "padding:.25rem .5rem}"
    "svg text{font:14px system-ui,sans-serif;fill:#1b1b1b}"
    ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}"
    "@media print{header.site{display:none}}";

void web_page_begin(struct request *r, struct html *h, const char *title)
{
    html_raw(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>");
    html_text(h, title);
    html_raw(h, " · mcred</title><style>");
    html_raw(h, page_style);
    html_raw(h, "</style></head><body><header class=\"site\">");
    if (r->authenticated) {
        html_raw(h, "<a class=\"brand\" href=\"/app\">mcred · ");
        html_text(h, r->auth.org_name);
        html_raw(h, "</a><nav aria-label=\"Main\"><ul><li><a href=\"/app\">Home</a></li>"
                    "</ul></nav><div>Signed in as ");
        html_text(h, r->auth.name);
        html_raw(h, " <form method=\"post\" action=\"/signout\">");
        web_csrf_field(r, h);
        html_raw(h, "<button type=\"submit\">Sign out</button></form></div>");
    } else {
        html_raw(h, "<a class=\"brand\" href=\"/signin\">mcred</a>");
    }
    html_raw(h, "</header><main id=\"main\">");
}

void web_page_end(struct request *r, struct html *h)
{
    (void)r;
    html_raw(h, "</main></body></html>\n");
}

void web_csrf_field(struct request *r, struct html *h)
{
    const char *session = web_session_cookie(r);
    if (!session)
        return;
    char csrf[WEB_CSRF_LEN + 1];
    web_csrf_of(r->server->csrf_key, session, csrf);
    html_rawf(h, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", WEB_CSRF_FIELD, csrf);
    sodium_memzero(csrf, sizeof csrf);
}

enum mc_err web_reply(struct request *r, struct html *h, unsigned status)
{
    if (h->rc != MC_OK) {
        enum mc_err rc = h->rc;
        html_release(h);
        return request_fail(r, rc, NULL, rc == MC_ERR_TOO_LARGE ? "the page is too large" : NULL);
    }
    mc_buf_release(&r->text);
    r->text = h->buf;
    mc_buf_init(&h->buf, 0);
    r->content_type = "text/html; charset=utf-8";
    r->status = status;
    return MC_OK;
}

enum mc_err web_redirect(struct request *r, const char *path)
{
    snprintf(r->location, sizeof r->location, "%s", path);
    r->status = 303;
    return MC_OK;
}

/* Where the failure leaves the person, in words, and what they can do. */
static const char *fail_title(unsigned status)
{
    switch (status) {
    case 403:
        return "Not for you";
    case 404:
        return "Not found";
    case 409:
        return "That clashes with something";
    case 413:
        return "Too much at once";
    case 429:
        return "Too many tries";
    case 503:
        return "Not available just now";
    default:
        return status >= 500 ? "Something went wrong on our side" : "That did not work";
    }
}

void web_fail_page(struct request *r)
{
    unsigned status = mc_http_status(r->err.code);
    if (status == 401) {
        /* the session ended (or never was): sign in again, and drop a dead cookie */
        if (web_session_cookie(r))
            web_set_cookie(r, NULL, 0);
        mc_error_clear(&r->err);
        (void)web_redirect(r, "/signin");
        return;
    }
    bool hide = r->err.code == MC_ERR_INTERNAL || r->err.code == MC_ERR_NOMEM;
    struct html h;
    html_init(&h, 64 * 1024);
    web_page_begin(r, &h, fail_title(status));
    html_tag(&h, "h1", fail_title(status));
    html_raw(&h, "<p class=\"error\" role=\"alert\">");
    const char *message = hide ? "The server could not finish this. Nothing was changed; try "
                                 "again in a moment, and if it keeps happening tell your "
                                 "coordinator the reference below."
                               : mc_error_message(&r->err);
    /* messages are written to follow "…:"; on their own they start a sentence */
    if (message[0] >= 'a' && message[0] <= 'z')
        html_rawf(&h, "%c", message[0] - 'a' + 'A');
    html_text(&h, message[0] >= 'a' && message[0] <= 'z' ? message + 1 : message);
    html_raw(&h, "</p><p>");
    if (strcmp(r->method, "POST") == 0)
        html_raw(&h, "Go back, correct it and send it again, or ");
    html_raw(&h, "<a href=\"/app\">go to your home page</a>.</p><p class=\"muted\">Reference: ");
    html_text(&h, r->request_id);
    html_raw(&h, "</p>");
    web_page_end(r, &h);
    if (h.rc == MC_OK) {
        mc_buf_release(&r->text);
        r->text = h.buf;
        mc_buf_init(&h.buf, 0);
        r->content_type = "text/html; charset=utf-8";
        /* the page says it; the JSON error body must not replace it */
        r->page_error = true;
    }
    html_release(&h);
    r->status = status;
}
