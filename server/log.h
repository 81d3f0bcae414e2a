/*
 * log.h — the server's one voice: JSON lines on stderr.
 *
 * One line per request (time, request id, method, route, status,
 * duration, organisation, and for failures the error), and a few lines
 * about the process (listening, shutting down).  Lines are written whole
 * under a lock, so lines from different threads never interleave.
 */
#ifndef MCRED_SERVER_LOG_H
#define MCRED_SERVER_LOG_H

struct request;

void log_request(const struct request *r, double seconds);

/*
 * A process message at level "info", "warn" or "error", with extra
 * string fields as key, value pairs ending in NULL:
 * log_message("info", "listening", "url", url, NULL);
 */
void log_message(const char *level, const char *msg, ...) __attribute__((sentinel));

#endif
