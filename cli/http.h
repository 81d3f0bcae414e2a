/*
 * http.h — talking to mcred-server over libcurl, and turning its answers
 * into exit codes and one-line messages.
 *
 * Two levels: cli_http_send() performs a request and prints nothing (for
 * commands that judge the answer themselves, like ping), and
 * cli_http_request() sends and then judges: a 2xx answer is CLI_EXIT_OK,
 * anything else prints ONE line on ctx->err and returns the exit code of
 * DESIGN.md §7.  The judging parts are pure functions and unit-tested.
 *
 * Every request carries `Accept`, `User-Agent: mcred/<version>` and, when a
 * token is configured, `Authorization: Bearer <token>`.  Connecting may
 * take CLI_HTTP_CONNECT_TIMEOUT seconds and the whole exchange
 * CLI_HTTP_TIMEOUT; redirects are not followed (a token must not travel
 * to another host); answers are capped at MC_CLI_MAX_RESPONSE bytes.
 * curl_global_init() must have been called (cli_main() does).
 */
#ifndef MCRED_CLI_HTTP_H
#define MCRED_CLI_HTTP_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"
#include "mcred/error.h"

#include "cli.h"

#define CLI_HTTP_CONNECT_TIMEOUT 10L  /* seconds */
#define CLI_HTTP_TIMEOUT         120L /* seconds, whole request */

/* The longest error line: a message and a field of at most MC_MAX_ERR_MESSAGE
 * and MC_MAX_ERR_FIELD characters (up to 4 bytes each) and the words around them. */
#define CLI_HTTP_MAX_ERROR_LINE (4 * (MC_MAX_ERR_MESSAGE + MC_MAX_ERR_FIELD) + 64)

struct cli_response {
    long status;        /* HTTP status; 0 until an answer arrived */
    struct mc_buf body; /* at most MC_CLI_MAX_RESPONSE bytes */
};

void cli_response_init(struct cli_response *r);
void cli_response_release(struct cli_response *r);

/*
 * Told how an upload goes, while a request is under way (libcurl's
 * CURLOPT_XFERINFOFUNCTION: often while bytes move, and about once a second
 * while waiting for the answer): `sent` of `total` bytes of the body are
 * out; total is 0 until known.  It cannot stop the request.
 */
typedef void cli_progress_fn(void *arg, unsigned long long sent, unsigned long long total);

/* A request; fields that are NULL (or 0) are left out. */
struct cli_request {
    const char *method; /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *path;   /* starts with '/', e.g. "/v1/me"; see cli_path_append() */
    const char *body;
    size_t body_len;
    const char *content_type;  /* of the body; "application/json" when NULL */
    const char *accept;        /* "application/json" when NULL */
    cli_progress_fn *progress; /* NULL: no progress is reported */
    void *progress_arg;
};

/*
 * Perform `req` against ctx->url and put the answer, whatever its status,
 * in *out.  Prints nothing.  When no answer arrives: MC_ERR_UNAVAILABLE
 * with "could not reach URL: <curl's message>", MC_ERR_TOO_LARGE when the
 * answer passed MC_CLI_MAX_RESPONSE, MC_ERR_INVALID for a bad method or
 * path, MC_ERR_URI_TOO_LONG, MC_ERR_NOMEM or MC_ERR_INTERNAL; *out is then
 * untouched.
 */
enum mc_err cli_http_send(const struct cli_ctx *ctx, const struct cli_request *req,
                          struct cli_response *out, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * Send a request (body: NUL-terminated text or NULL) and judge it.
 * CLI_EXIT_OK for a 2xx answer; otherwise the error line is printed and
 * the exit code returned.  *out holds the answer whenever one arrived, so
 * a caller may still look at it after an error.
 */
int cli_http_request(const struct cli_ctx *ctx, const char *method, const char *path,
                     const char *body, const char *content_type, struct cli_response *out);

/* Judge an answer that cli_http_send() got: as cli_http_request(). */
int cli_response_check(const struct cli_ctx *ctx, const struct cli_response *resp);

/*
 * Parse the body of a (2xx) answer as JSON.  On failure prints "mcred:
 * server answered <status> with a body that is not JSON" and returns
 * CLI_EXIT_ERROR.  Free *out with cJSON_Delete().
 */
int cli_response_json(const struct cli_ctx *ctx, const struct cli_response *resp, cJSON **out);

/*
 * The exit code for an HTTP status: 2xx → 0, 401 and 403 → 4, 404 → 3,
 * anything else (including 1xx and the 3xx that are not followed) → 1.
 */
int cli_exit_for_status(long status);

/*
 * Turn a non-2xx answer into its line (without "mcred: " and newline) and
 * exit code.  A body of the error shape {"error": {"code", "message",
 * "field"}} gives "<message> (field: <field>)" (no parenthesis without a
 * field; the code when there is no message) and cli_exit_for_status().
 * Any other body gives "server answered <status>" and CLI_EXIT_ERROR: that
 * is not mcred-server talking (a proxy, a wrong URL); what could be read of
 * the body follows on the same line ("server answered 502: Bad Gateway",
 * HTML tags dropped, at most 160 columns).  A body of the error shape that
 * is not valid JSON (an older server echoing raw bytes) still gives its
 * message: "server answered 422: <message> (the answer was not valid
 * JSON)", with cli_exit_for_status().  Text is cleaned for the terminal.  A 2xx status returns
 * CLI_EXIT_OK and appends nothing. `out` should allow CLI_HTTP_MAX_ERROR_LINE bytes; when an append
 * fails the line is left empty.
 */
int cli_http_error_line(long status, const char *body, size_t len, struct mc_buf *out);

/*
 * Append "/" and `segment` percent-encoded (everything but RFC 3986
 * unreserved characters), for putting ids and names into paths:
 * "/v1/cohorts" + "a b/c" → "/v1/cohorts/a%20b%2Fc".
 */
enum mc_err cli_path_append(struct mc_buf *path, const char *segment)
    __attribute__((warn_unused_result));

#endif
