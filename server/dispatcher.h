/*
 * dispatcher.h — the webhook dispatcher: one thread per mcred-server
 * process (unless MCRED_DISPATCHER=0) that turns outbox events into
 * signed deliveries (DESIGN.md §4, docs/webhooks.md).
 *
 * Each pass is one round trip to the database (mcred.dispatch_pass,
 * migration 0016) that
 *   1. records the results of every attempt that finished since the
 *      last pass, each under the claim it was sent with: 2xx succeeds,
 *      410 switches the subscription off, anything else is retried on
 *      the schedule (delivery_policy.h) and then dead;
 *   2. fans up to 1,000 new events out to the matching active
 *      subscriptions, one delivery row each, and marks the events
 *      dispatched (events taken with FOR UPDATE SKIP LOCKED, so no event
 *      is skipped or fanned out twice however many processes run);
 *   3. claims due deliveries with FOR UPDATE SKIP LOCKED, at most as many
 *      as it has free slots (MCRED_DISPATCHER_SLOTS) and never more than
 *      MCRED_WEBHOOK_CONCURRENCY in flight to one subscription, so that a
 *      slow receiver holds up only its own queue.
 * It sends the claims with the libcurl multi interface — connections kept
 * alive to each receiver, connect and total timeouts, no redirects, no
 * proxies, the response read up to a small cap, and the address checked
 * again as each socket opens (against DNS rebinding).
 *
 * It sleeps in curl_multi_poll() on its transfers.  A request that
 * commits a write calls dispatcher_nudge(), which wakes it at once, so an
 * idle system delivers within milliseconds; MCRED_DISPATCHER_POLL_MS
 * bounds the sleep otherwise (retries falling due, events written by
 * another process or straight into the database).
 *
 * A claim lasts the attempt's timeout plus a margin; a process killed
 * mid-delivery leaves its claims to expire, and the deliveries fall due
 * again for any process: at least once, duplicates only with the same
 * webhook-id.
 */
#ifndef MCRED_SERVER_DISPATCHER_H
#define MCRED_SERVER_DISPATCHER_H

#include "mcred/error.h"

struct server;
struct dispatcher;

/* Start the thread; it opens its own database connection (not one of the pool's). */
enum mc_err dispatcher_start(struct server *s, struct dispatcher **out, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * Something may be due now: an event or a retry by hand has committed.
 * Wakes the dispatcher's thread within a millisecond; cheap enough to call
 * after every write, from any thread.  NULL (no dispatcher in this
 * process) is a no-op.
 */
void dispatcher_nudge(struct dispatcher *d);

/*
 * Stop claiming, let the attempts in flight finish for up to
 * grace_seconds (their results are recorded), abandon the rest to their
 * claims' expiry, and join the thread.  NULL is a no-op.
 */
void dispatcher_stop(struct dispatcher *d, unsigned grace_seconds);

#endif
