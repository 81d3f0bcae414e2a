/*
 * ratelimit.h — slowing down guessing: an address that sends too many
 * requests with a bad token is answered 429 for a while.
 *
 * A sliding window per client address: the times of its last `limit`
 * failures are kept; while the oldest of them is younger than `window`
 * seconds, the address is refused before its token is looked at (no
 * database work).  Memory is bounded: at most MC_AUTH_FAIL_ADDRESSES
 * addresses are remembered, the stalest forgotten first.  The state is
 * per process and lost on restart, which is acceptable for a brake.
 */
#ifndef MCRED_SERVER_RATELIMIT_H
#define MCRED_SERVER_RATELIMIT_H

#include <stdbool.h>
#include <sys/socket.h>

struct ratelimit;

struct ratelimit *ratelimit_create(unsigned limit, unsigned window_seconds);
void ratelimit_free(struct ratelimit *rl);

/* Seconds until addr may try again; 0 when it may now.  `now` is monotonic seconds. */
unsigned ratelimit_wait(struct ratelimit *rl, const struct sockaddr *addr, double now);

/* Count a failed authentication from addr. */
void ratelimit_fail(struct ratelimit *rl, const struct sockaddr *addr, double now);

#endif
