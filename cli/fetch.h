/*
 * fetch.h — reading public documents by absolute URL for `mcred verify`:
 * an issuer's controller document, a JWT's key, a revocation list.
 *
 * The URLs come from the credential being checked, which anyone may have
 * written, so what may be fetched is narrow: https:// anywhere, plain
 * http:// only to this machine (127.0.0.0/8, ::1, localhost: a server
 * under test), never a proxy for those; no credentials are ever sent, a
 * redirect may only lead to https://, and an answer is at most
 * CLI_FETCH_MAX bytes within CLI_FETCH_TIMEOUT seconds.
 *
 * curl_global_init() must have been called (cli_main() does for commands
 * flagged CLI_NEED_NETWORK).
 */
#ifndef MCRED_CLI_FETCH_H
#define MCRED_CLI_FETCH_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"
#include "mcred/error.h"

#define CLI_FETCH_MAX       (1024 * 1024)
#define CLI_FETCH_TIMEOUT   10L /* seconds, whole request */
#define CLI_FETCH_MAX_URL   2048
#define CLI_FETCH_REDIRECTS 3L

/*
 * May `url` be fetched?  MC_OK for https:// with a host, or http:// to a
 * loopback host; otherwise MC_ERR_INVALID with a message saying why
 * ("refusing plain http:// to example.com: only https:// …").  Pure.
 */
enum mc_err cli_fetch_allowed(const char *url, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Is `host` (as in a URL: "[::1]" with brackets) this machine? Pure. */
bool cli_fetch_host_loopback(const char *host);

/*
 * GET `url` (after cli_fetch_allowed()) with Accept: application/json and
 * parse the answer, which must be a 200 holding a JSON object.  Free
 * *out with cJSON_Delete().  Errors name the URL.
 */
enum mc_err cli_fetch_json(const char *url, cJSON **out, struct mc_error *err)
    __attribute__((warn_unused_result));

#endif
