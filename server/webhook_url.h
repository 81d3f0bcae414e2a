/*
 * webhook_url.h — where webhooks may be sent.  A subscription's URL is
 * https (http only where the operator allows it), and its host must not
 * be or resolve to an address that is not globally reachable unicast —
 * loopback, private, shared, link-local, multicast, reserved, documentation,
 * benchmarking, unspecified, IPv4-mapped, or anything else IANA's IPv4 and
 * IPv6 Special-Purpose Address Registries mark not globally reachable, nor
 * an IPv6 form (NAT64, 6to4, Teredo) carrying such an IPv4 address — unless
 * the operator allows private addresses (MCRED_WEBHOOK_ALLOW_PRIVATE=1).
 * The dispatcher checks the address again when it connects, against DNS
 * rebinding.
 */
#ifndef MCRED_SERVER_WEBHOOK_URL_H
#define MCRED_SERVER_WEBHOOK_URL_H

#include <stdbool.h>
#include <sys/socket.h>

#include "mcred/error.h"

/* True for an address a webhook must not reach without the operator's leave. */
bool webhook_address_private(const struct sockaddr *addr);

/*
 * Check a subscription URL: its form and scheme, then (unless
 * allow_private) every address its host resolves to.  MC_ERR_INVALID
 * naming "url" otherwise.
 */
enum mc_err webhook_url_check(const char *url, bool allow_http, bool allow_private,
                              struct mc_error *err) __attribute__((warn_unused_result));

#endif
