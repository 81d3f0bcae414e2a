/*
 * metrics.h — counters and histograms for GET /metrics (Prometheus text).
 *
 * Requests are counted by route (the route's pattern, so ids do not
 * explode the label space), method and status, and their latency goes
 * into one histogram per route.  Updates are lock-free atomics, cheap
 * enough for every request.
 */
#ifndef MCRED_SERVER_METRICS_H
#define MCRED_SERVER_METRICS_H

#include <stddef.h>

#include "mcred/buf.h"
#include "router.h"

struct metrics;

/* One slot per route of `routes`, plus one for requests no route matched. */
struct metrics *metrics_create(const struct route *routes);
void metrics_free(struct metrics *m);

/* route may be NULL (unmatched). */
void metrics_observe(struct metrics *m, const struct route *route, unsigned status, double seconds);

/* What became of a webhook delivery attempt (dispatcher.c). */
enum metrics_delivery {
    METRICS_DELIVERY_SUCCEEDED,
    METRICS_DELIVERY_FAILED, /* to be retried */
    METRICS_DELIVERY_DEAD,   /* schedule spent, or 410 Gone */
    METRICS_DELIVERY_OUTCOMES,
};

void metrics_delivery(struct metrics *m, enum metrics_delivery outcome);

/* Gauges read at scrape time; a negative value is left out. */
struct metrics_gauges {
    long pool_size;
    long pool_in_use;
    long outbox_backlog;
    long delivery_backlog;    /* deliveries due and not yet attempted */
    long delivery_oldest_due; /* seconds the oldest of them has waited */
    long database_up;         /* 1 or 0 */
    long in_flight;
};

enum mc_err metrics_render(struct metrics *m, const struct metrics_gauges *g, struct mc_buf *out)
    __attribute__((warn_unused_result));

#endif
