/*
 * rawhttp.h — HTTP/1.1 over a plain loopback socket, byte for byte.
 *
 * libcurl (harness.h) cleans up what it sends: it collapses "/../" in a
 * path, refuses a NUL in a header and frames every body.  The bad-input
 * and abuse tests must send exactly the bytes an attacker would, so they
 * write the request themselves and read the answer until the server
 * closes the connection (every request says "Connection: close").
 * Every failure aborts the test (h_fail), like the rest of the harness.
 * The answer is the harness's struct h_response, freed with
 * h_response_free and read with h_response_header: status 0 when the
 * server closed without a status line; headers, the status line and
 * headers; body, the rest, NUL-terminated (string functions stop at a NUL
 * the server sent, json is parsed from all of it); json, the body parsed,
 * or NULL.
 */
#ifndef MCRED_TEST_RAWHTTP_H
#define MCRED_TEST_RAWHTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "harness.h"

/* A connected TCP socket to 127.0.0.1:port (blocking, with receive and send timeouts of
 * timeout_s seconds); -1 when connect() fails (errno set), e.g. when out of descriptors. */
int raw_connect(unsigned port, unsigned timeout_s);

/* Send all of buf; false when the peer closed or the send timed out. */
bool raw_send_all(int fd, const void *buf, size_t len);

/* Read until EOF (or the timeout), then parse the status line and split head and body. */
void raw_read_response(int fd, struct h_response *out);

/*
 * One request: `head` is everything before the blank line except the
 * Connection header (request line and headers, each line ending in
 * "\r\n"); Content-Length is added for body when add_length is true.
 */
void raw_exchange(unsigned port, const char *head, const char *body, size_t body_len,
                  bool add_length, struct h_response *out);

#endif
