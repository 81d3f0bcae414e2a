/*
 * metrics.c — see metrics.h.
 *
 * Statuses are counted in a fixed array indexed by the statuses mcred
 * answers with; anything else is counted under "other".  Durations go
 * into cumulative buckets at render time (stored per bucket, summed on
 * output), in seconds as Prometheus expects.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

#include "mcred/banned.h"

static const unsigned known_statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
                                          409, 413, 414, 415, 422, 429, 500, 503};
#define N_STATUS (sizeof known_statuses / sizeof known_statuses[0] + 1) /* + other */

static const double bucket_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                       0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
#define N_BUCKET (sizeof bucket_bounds / sizeof bucket_bounds[0] + 1) /* + Inf */

struct route_metrics {
    atomic_ulong by_status[N_STATUS];
    atomic_ulong buckets[N_BUCKET];
    atomic_ulong count;
    atomic_ullong sum_us; /* microseconds, to stay integral */
};

struct metrics {
    atomic_ulong deliveries[METRICS_DELIVERY_OUTCOMES];
    const struct route *routes;
    size_t nroutes;
    struct route_metrics *per_route; /* nroutes + 1, the last for unmatched */
};

struct metrics *metrics_create(const struct route *routes)
{
    struct metrics *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->routes = routes;
    m->nroutes = router_count(routes);
    m->per_route = calloc(m->nroutes + 1, sizeof *m->per_route);
    if (!m->per_route) {
        free(m);
        return NULL;
    }
    return m;
}

void metrics_free(struct metrics *m)
{
    if (!m)
        return;
    free(m->per_route);
    free(m);
}

static size_t status_index(unsigned status)
{
    for (size_t i = 0; i < N_STATUS - 1; i++)
        if (known_statuses[i] == status)
            return i;
    return N_STATUS - 1;
}

void metrics_observe(struct metrics *m, const struct route *route, unsigned status, double seconds)
{
    size_t idx = route ? (size_t)(route - m->routes) : m->nroutes;
    if (idx > m->nroutes)
        idx = m->nroutes;
    struct route_metrics *rm = &m->per_route[idx];
    atomic_fetch_add_explicit(&rm->by_status[status_index(status)], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < N_BUCKET - 1 && seconds > bucket_bounds[b])
        b++;
    atomic_fetch_add_explicit(&rm->buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&rm->count, 1, memory_order_relaxed);
    unsigned long long us = seconds > 0 ? (unsigned long long)(seconds * 1e6) : 0;
    atomic_fetch_add_explicit(&rm->sum_us, us, memory_order_relaxed);
}

void metrics_delivery(struct metrics *m, enum metrics_delivery outcome)
{
    if (outcome < METRICS_DELIVERY_OUTCOMES)
        atomic_fetch_add_explicit(&m->deliveries[outcome], 1, memory_order_relaxed);
}

static enum mc_err render_deliveries(struct metrics *m, struct mc_buf *out)
{
    static const char *const names[METRICS_DELIVERY_OUTCOMES] = {"succeeded", "failed", "dead"};
    enum mc_err rc = mc_buf_appends(
        out, "# HELP mcred_webhook_deliveries_total Webhook delivery attempts by outcome.\n"
             "# TYPE mcred_webhook_deliveries_total counter\n");
    for (size_t i = 0; rc == MC_OK && i < METRICS_DELIVERY_OUTCOMES; i++)
        rc = mc_buf_appendf(out, "mcred_webhook_deliveries_total{outcome=\"%s\"} %lu\n", names[i],
                            atomic_load_explicit(&m->deliveries[i], memory_order_relaxed));
    return rc;
}

static void route_labels(const struct metrics *m, size_t idx, const char **method,
                         const char **path)
{
    if (idx < m->nroutes) {
        *method = m->routes[idx].method;
        *path = m->routes[idx].path;
    } else {
        *method = "";
        *path = "unmatched";
    }
}

static enum mc_err render_requests(const struct metrics *m, struct mc_buf *out)
{
    enum mc_err rc =
        mc_buf_appends(out, "# HELP mcred_http_requests_total HTTP requests answered.\n"
                            "# TYPE mcred_http_requests_total counter\n");
    for (size_t i = 0; rc == MC_OK && i <= m->nroutes; i++) {
        const char *method, *path;
        route_labels(m, i, &method, &path);
        for (size_t s = 0; rc == MC_OK && s < N_STATUS; s++) {
            unsigned long n =
                atomic_load_explicit(&m->per_route[i].by_status[s], memory_order_relaxed);
            if (n == 0)
                continue;
            char status[8] = "other";
            if (s < N_STATUS - 1)
                (void)snprintf(status, sizeof status, "%u", known_statuses[s]);
            rc = mc_buf_appendf(out,
                                "mcred_http_requests_total{route=\"%s\",method=\"%s\","
                                "status=\"%s\"} %lu\n",
                                path, method, status, n);
        }
    }
    return rc;
}

static enum mc_err render_latency(const struct metrics *m, struct mc_buf *out)
{
    enum mc_err rc = mc_buf_appends(
        out, "# HELP mcred_http_request_duration_seconds Time from request to answer.\n"
             "# TYPE mcred_http_request_duration_seconds histogram\n");
    for (size_t i = 0; rc == MC_OK && i <= m->nroutes; i++) {
        const struct route_metrics *rm = &m->per_route[i];
        unsigned long count = atomic_load_explicit(&rm->count, memory_order_relaxed);
        if (count == 0)
            continue;
        const char *method, *path;
        route_labels(m, i, &method, &path);
        unsigned long cumulative = 0;
        for (size_t b = 0; rc == MC_OK && b < N_BUCKET; b++) {
            cumulative += atomic_load_explicit(&rm->buckets[b], memory_order_relaxed);
            char le[16] = "+Inf";
            if (b < N_BUCKET - 1)
                (void)snprintf(le, sizeof le, "%g", bucket_bounds[b]);
            rc = mc_buf_appendf(out,
                                "mcred_http_request_duration_seconds_bucket{route=\"%s\","
                                "method=\"%s\",le=\"%s\"} %lu\n",
                                path, method, le, cumulative);
        }
        double sum = (double)atomic_load_explicit(&rm->sum_us, memory_order_relaxed) / 1e6;
        if (rc == MC_OK)
            rc = mc_buf_appendf(out,
                                "mcred_http_request_duration_seconds_sum{route=\"%s\","
                                "method=\"%s\"} %.6f\n"
                                "mcred_http_request_duration_seconds_count{route=\"%s\","
                                "method=\"%s\"} %lu\n",
                                path, method, sum, path, method, cumulative);
    }
    return rc;
}

static enum mc_err render_gauge(struct mc_buf *out, const char *name, const char *help, long v)
{
    if (v < 0)
        return MC_OK;
    return mc_buf_appendf(out, "# HELP %s %s\n# TYPE %s gauge\n%s %ld\n", name, help, name, name,
                          v);
}

enum mc_err metrics_render(struct metrics *m, const struct metrics_gauges *g, struct mc_buf *out)
{
    enum mc_err rc = render_requests(m, out);
    if (rc == MC_OK)
        rc = render_latency(m, out);
    if (rc == MC_OK)
        rc = render_gauge(out, "mcred_db_pool_size", "Database connections in the pool.",
                          g->pool_size);
    if (rc == MC_OK)
        rc = render_gauge(out, "mcred_db_pool_in_use", "Database connections taken by requests.",
                          g->pool_in_use);
    if (rc == MC_OK)
        rc = render_gauge(out, "mcred_db_up", "1 if the database answered this scrape.",
                          g->database_up);
    if (rc == MC_OK)
        rc = render_gauge(out, "mcred_outbox_backlog", "Events not yet handed to the dispatcher.",
                          g->outbox_backlog);
    if (rc == MC_OK)
        rc = render_deliveries(m, out);
    if (rc == MC_OK)
        rc = render_gauge(out, "mcred_webhook_backlog",
                          "Webhook deliveries due and not yet attempted.", g->delivery_backlog);
    if (rc == MC_OK)
        rc = render_gauge(out, "mcred_webhook_oldest_due_seconds",
                          "Seconds the oldest due webhook delivery has waited.",
                          g->delivery_oldest_due);
    if (rc == MC_OK)
        rc = render_gauge(out, "mcred_http_requests_in_flight", "Requests being answered.",
                          g->in_flight);
    return rc;
}
