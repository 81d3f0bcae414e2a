/*
 * http.h — the libmicrohttpd daemon: accepting requests, collecting their
 * bodies within the limit, answering, and logging each one once.
 */
#ifndef MCRED_SERVER_HTTP_H
#define MCRED_SERVER_HTTP_H

#include "mcred/error.h"

struct server;
struct http_daemon;

/* Start listening with cfg's address, threads and limits. */
enum mc_err http_start(struct server *s, struct http_daemon **out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* The port actually bound (useful with MCRED_LISTEN port 0). */
unsigned short http_port(const struct http_daemon *d);

/*
 * Stop accepting connections, wait up to grace_seconds for requests in
 * flight to finish, then close everything and free d.
 */
void http_stop(struct http_daemon *d, unsigned grace_seconds);

#endif
