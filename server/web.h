/*
 * web.h — what every page shares: the browser session (its cookie and
 * the CSRF token derived from it), the page's frame (head, styles,
 * navigation, sign-out), and answering with a page, a redirect or an
 * error page.
 *
 * Pages are routes of the one route table with ROUTE_PAGE: dispatch
 * authenticates them by the session cookie instead of the Authorization
 * header, refuses a form (ROUTE_FORM_BODY) whose csrf field is not the
 * session's before any handler runs, and shows failures as a page (an
 * unauthenticated visit is sent to /signin).  A page handler runs inside
 * the request's transaction like any other and acts through the same SQL
 * functions as the API, so a role sees on a page exactly what the API
 * lets it see.
 */
#ifndef MCRED_SERVER_WEB_H
#define MCRED_SERVER_WEB_H

#include <stdbool.h>

#include "mcred/error.h"
#include "mcred/html.h"
#include "tokens.h"

struct request;
struct server;

#define WEB_COOKIE         "mcred_session"
#define WEB_SESSION_PREFIX "mcs_"
#define WEB_CSRF_FIELD     "csrf"
#define WEB_CSRF_LEN       43 /* 32 bytes, base64url without padding */
#define WEB_CSRF_KEY_BYTES 32
#define WEB_PAGE_MAX       (4u << 20) /* the largest page we build */

/* The CSRF key, derived from the master key (libsodium KDF, subkey 4). */
enum mc_err web_csrf_key_derive(const unsigned char *master_key,
                                unsigned char key[WEB_CSRF_KEY_BYTES])
    __attribute__((warn_unused_result));

/* The session secret the request's cookie carries when it has that form, else NULL. */
const char *web_session_cookie(const struct request *r);

/* The CSRF token of a session secret: a keyed hash of it, so nothing is stored. */
void web_csrf_of(const unsigned char key[WEB_CSRF_KEY_BYTES], const char *session,
                 char out[WEB_CSRF_LEN + 1]);

/* Does the form's csrf field belong to the request's session?  (constant time) */
bool web_csrf_ok(const struct request *r);

/* Set the session cookie (secret, lifetime) or, with NULL, clear it. */
void web_set_cookie(struct request *r, const char *session, unsigned max_age);

/*
 * The page frame.  web_page_begin writes the document up to the start of
 * <main>, with the title, the styles and, for a signed-in person, the
 * navigation and a sign-out form; web_page_end closes it.  `title` is text.
 */
void web_page_begin(struct request *r, struct html *h, const char *title);
void web_page_end(struct request *r, struct html *h);

/* A hidden field with the request's CSRF token (inside every POST form). */
void web_csrf_field(struct request *r, struct html *h);

/* Answer with the page built in h (which is emptied); the page's error when it broke. */
enum mc_err web_reply(struct request *r, struct html *h, unsigned status);

/* Answer 303 See Other to a path of this site. */
enum mc_err web_redirect(struct request *r, const char *path);

/*
 * Turn the request's recorded failure into a page: an unauthenticated
 * visit goes to /signin, anything else is shown in words with a way on.
 */
void web_fail_page(struct request *r);

/* A form field's value (NULL when absent). */
const char *web_form(const struct request *r, const char *name);

#endif
