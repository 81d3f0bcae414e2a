/*
 * trusted_proxies.h — which address a request comes from, when a proxy
 * may stand in between.
 *
 * The failed-sign-in brake (ratelimit.h) counts per client address.
 * Behind a reverse proxy every request arrives from the proxy, so the
 * brake would count everyone together; the proxy says whom it serves in
 * X-Forwarded-For, but anybody can send that header.  So the header is
 * believed only when the socket's peer is listed in MCRED_TRUSTED_PROXIES,
 * and then read from the right: each trusted proxy appends the address it
 * was connected from, so the right-most address that is not itself a
 * trusted proxy is the client (what lies left of it the client wrote).
 *
 * Addresses are kept as 16 bytes, IPv4 mapped into ::ffff:0:0/96, so that
 * an IPv4 entry matches an IPv4 peer seen on a dual-stack socket.  Pure
 * functions, no allocation.
 */
#ifndef MCRED_SERVER_TRUSTED_PROXIES_H
#define MCRED_SERVER_TRUSTED_PROXIES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "mcred/error.h"
#include "mcred/limits.h"

struct net_addr {
    unsigned char b[16];
};

/* An address and the number of leading bits that must match (0–128). */
struct net_block {
    struct net_addr addr;
    unsigned bits;
};

struct trusted_proxies {
    size_t count;
    struct net_block blocks[MC_TRUSTED_PROXIES_MAX];
};

/*
 * Parse one address, IPv4 dotted quad or IPv6 text, exactly `len` bytes
 * of s (no spaces, no brackets, no port, no zone).
 */
bool net_addr_parse(const char *s, size_t len, struct net_addr *out)
    __attribute__((warn_unused_result));

/* The address of an AF_INET or AF_INET6 socket address; false for other families. */
bool net_addr_from_sockaddr(const struct sockaddr *sa, struct net_addr *out)
    __attribute__((warn_unused_result));

/* The socket address (port 0) of a: AF_INET for a mapped IPv4 address, else AF_INET6. */
void net_addr_to_sockaddr(const struct net_addr *a, struct sockaddr_storage *out);

/*
 * Parse MCRED_TRUSTED_PROXIES: comma-separated addresses or CIDR blocks
 * ("10.0.0.0/8", "2001:db8::/32"), spaces around entries allowed, at most
 * MC_TRUSTED_PROXIES_MAX.  An empty or NULL list trusts nobody.  A block
 * with bits set beyond its prefix is refused (it is most likely a typo).
 * On failure MC_ERR_INVALID, and what was refused in bad[bad_len], as
 * words that follow "not" in a message: the offending entry in double
 * quotes (cut to fit), or "an empty entry (a stray comma)" where there is
 * nothing between two commas or beside the first or last; *out is then
 * untouched.
 */
enum mc_err trusted_proxies_parse(const char *list, struct trusted_proxies *out, char *bad,
                                  size_t bad_len) __attribute__((warn_unused_result));

/* Whether a lies in one of the trusted blocks. */
bool trusted_proxies_contains(const struct trusted_proxies *tp, const struct net_addr *a);

/*
 * The client's address: the peer's, unless the peer is a trusted proxy
 * and forwarded_for (the X-Forwarded-For value, NULL when absent) names
 * one; then the right-most entry that is not a trusted proxy (the
 * left-most when all are).  An entry that must be read and is not a bare
 * address makes it the peer's.
 */
void trusted_proxies_client(const struct trusted_proxies *tp, const struct net_addr *peer,
                            const char *forwarded_for, struct net_addr *out);

#endif
