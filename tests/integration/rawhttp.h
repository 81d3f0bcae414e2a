/*
 * rawhttp.h — HTTP/1.1 over a plain loopback socket, byte for byte.
 *
 * libcurl (harness.h) cleans up what it sends: it collapses "/../" in a
 * path, refuses a NUL in a header and frames every body.  The bad-input
 * and abuse tests must send exactly the bytes an attacker would, so they
 * write the request themselves and read the answer until the server
 * closes the connection (every request says "Connection: close").
 * Every failure aborts the test (h_fail), like the rest of the harness.
 */
#ifndef MCRED_TEST_RAWHTTP_H
#define MCRED_TEST_RAWHTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct raw_response {
    long status; /* 0 when the server closed without a status line */
    char *head;  /* status line and headers (malloc'd, NUL-terminated) */
    char *body;  /* the rest (malloc'd, NUL-terminated; may hold NULs) */
    size_t body_len;
    cJSON *json; /* the body parsed, or NULL */
};

/* A connected TCP socket to 127.0.0.1:port (blocking, with receive and send timeouts of
 * timeout_s seconds); -1 when connect() fails (errno set), e.g. when out of descriptors. */
int raw_connect(unsigned port, unsigned timeout_s);

/* Send all of buf; false when the peer closed or the send timed out. */
bool raw_send_all(int fd, const void *buf, size_t len);

/* Read until EOF (or the timeout), then parse the status line and split head and body. */
void raw_read_response(int fd, struct raw_response *out);

/*
 * One request: `head` is everything before the blank line except the
 * Connection header (request line and headers, each line ending in
 * "\r\n"); Content-Length is added for body when add_length is true.
 */
void raw_exchange(unsigned port, const char *head, const char *body, size_t body_len,
                  bool add_length, struct raw_response *out);

void raw_response_free(struct raw_response *r);

/* A response header's value (malloc'd) or NULL. */
char *raw_header(const struct raw_response *r, const char *name);

#endif
