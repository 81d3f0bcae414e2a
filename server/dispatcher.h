/*
 * dispatcher.h — the webhook dispatcher: one thread per mcred-server
 * process (unless MCRED_DISPATCHER=0) that turns outbox events into
 * signed deliveries (DESIGN.md §4, docs/webhooks.md).
 *
 * Each pass it
 *   1. fans new events out to the matching active subscriptions, one
 *      delivery row each, and marks the events dispatched (one statement,
 *      events taken with FOR UPDATE SKIP LOCKED, so no event is skipped
 *      or fanned out twice however many processes run);
 *   2. claims due deliveries with FOR UPDATE SKIP LOCKED, at most as many
 *      as it has free slots and never more than MCRED_WEBHOOK_CONCURRENCY
 *      in flight to one subscription, so that a slow receiver holds up
 *      only its own queue;
 *   3. sends them with the libcurl multi interface — connect and total
 *      timeouts, no redirects, no proxies, the response read up to a
 *      small cap, and the address checked again as the socket opens
 *      (against DNS rebinding);
 *   4. records each attempt under the claim it was sent with: 2xx
 *      succeeds, 410 switches the subscription off, anything else is
 *      retried on the schedule (delivery_policy.h) and then dead.
 * It sleeps in curl_multi_poll() on its transfers and on its database
 * connection, which LISTENs on DISPATCHER_CHANNEL: every event and every
 * delivery made due by hand notifies that channel when it commits, so an
 * idle system delivers within milliseconds; MCRED_DISPATCHER_POLL_MS
 * bounds the sleep otherwise (retries falling due, a lost notification).
 *
 * A claim lasts the attempt's timeout plus a margin; a process killed
 * mid-delivery leaves its claims to expire, and the deliveries fall due
 * again for any process: at least once, duplicates only with the same
 * webhook-id.
 */
#ifndef MCRED_SERVER_DISPATCHER_H
#define MCRED_SERVER_DISPATCHER_H

#include "mcred/error.h"

#define DISPATCHER_CHANNEL "mcred_outbox"

struct server;
struct dispatcher;

/* Start the thread; it opens its own database connection (not one of the pool's). */
enum mc_err dispatcher_start(struct server *s, struct dispatcher **out, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * Stop claiming, let the attempts in flight finish for up to
 * grace_seconds (their results are recorded), abandon the rest to their
 * claims' expiry, and join the thread.  NULL is a no-op.
 */
void dispatcher_stop(struct dispatcher *d, unsigned grace_seconds);

#endif
