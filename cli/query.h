/*
 * query.h — request paths with query strings, for lists and filters.
 *
 * Every key and value is percent-encoded here (all but RFC 3986's
 * unreserved characters: A-Z a-z 0-9 - . _ ~), so what a user types in a
 * filter can never end the value, start another parameter or break the
 * request line: "Lincoln Elementary & Co" becomes
 * "Lincoln%20Elementary%20%26%20Co".
 */
#ifndef MCRED_CLI_QUERY_H
#define MCRED_CLI_QUERY_H

#include <stddef.h>

#include "mcred/buf.h"

/* Append the n bytes of s percent-encoded. */
enum mc_err cli_url_encode(struct mc_buf *out, const char *s, size_t n)
    __attribute__((warn_unused_result));

/*
 * Append "key=value" to the request path in `url`, after '?' when it has
 * no query yet and after '&' when it has.  An empty key is MC_ERR_INVALID.
 * On any error the buffer is left as buf.h says (emptied on TOO_LARGE and
 * NOMEM): callers give up on the request.
 */
enum mc_err cli_query_add(struct mc_buf *url, const char *key, const char *value)
    __attribute__((warn_unused_result));

/* As cli_query_add(), with the key made of `prefix` and key_len bytes of key:
 * ("attr.", "school=Lincoln", 6, "Lincoln") appends "attr.school=Lincoln". */
enum mc_err cli_query_add_prefixed(struct mc_buf *url, const char *prefix, const char *key,
                                   size_t key_len, const char *value)
    __attribute__((warn_unused_result));

#endif
