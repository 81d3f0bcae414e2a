/*
 * test_metrics.c — request counters, latency histograms and gauges in
 * Prometheus text (server/metrics.h).
 *
 * Covers: counters labelled by route pattern, method and status, zero
 * counters left out, unknown statuses counted as "other" and unmatched
 * requests under route="unmatched"; histogram buckets that are cumulative,
 * with `le` an inclusive upper bound, ending in le="+Inf" equal to _count,
 * and _sum; gauges present when zero or more and left out (with their HELP
 * and TYPE lines) when negative; a render into a too-small buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

#include "mcred/banned.h"

static enum mc_err h(struct request *r)
{
    (void)r;
    return MC_OK;
}

static const struct route routes[] = {
    {.method = "GET", .path = "/a", .handler = h},
    {.method = "POST", .path = "/a", .handler = h},
    {.method = "GET", .path = "/b/{id}", .handler = h},
    {.method = NULL},
};

static const struct metrics_gauges no_gauges = {-1, -1, -1, -1, -1, -1, -1};

/* The line that starts with `prefix` followed by a space; NULL if none. */
static const char *find_line(const char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    for (const char *line = text; *line;) {
        if (strncmp(line, prefix, n) == 0 && line[n] == ' ')
            return line;
        const char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
    return NULL;
}

/* The value on the line for `prefix` (as text, up to the newline) must be `value`. */
static void assert_sample(const char *text, const char *prefix, const char *value)
{
    const char *line = find_line(text, prefix);
    if (!line)
        fail_msg("no sample %s in:\n%s", prefix, text);
    const char *v = line + strlen(prefix) + 1;
    size_t len = strcspn(v, "\n");
    if (len != strlen(value) || strncmp(v, value, len) != 0)
        fail_msg("%s is %.*s, expected %s", prefix, (int)len, v, value);
}

static void assert_no_sample(const char *text, const char *prefix)
{
    if (find_line(text, prefix))
        fail_msg("unexpected sample %s in:\n%s", prefix, text);
}

static char *render(struct metrics *m, const struct metrics_gauges *g)
{
    struct mc_buf out;
    mc_buf_init(&out, 1 << 20);
    assert_int_equal(metrics_render(m, g, &out), MC_OK);
    assert_true(out.len > 0);
    assert_int_equal(out.data[out.len - 1], '\n');
    return mc_buf_detach(&out, NULL);
}

#define REQ(route, method, status)                                                                 \
    "mcred_http_requests_total{route=\"" route "\",method=\"" method "\",status=\"" status "\"}"
#define BUCKET(route, method, le)                                                                  \
    "mcred_http_request_duration_seconds_bucket{route=\"" route "\",method=\"" method              \
    "\",le=\"" le "\"}"

static void test_counters(void **state)
{
    (void)state;
    struct metrics *m = metrics_create(routes);
    assert_non_null(m);
    metrics_observe(m, &routes[0], 200, 0.002);
    metrics_observe(m, &routes[0], 200, 0.020);
    metrics_observe(m, &routes[0], 404, 0.5);
    metrics_observe(m, &routes[1], 201, 0.0005);
    metrics_observe(m, &routes[2], 418, 0.01);
    metrics_observe(m, NULL, 404, 0.001);
    metrics_observe(m, NULL, 404, 0.001);
    metrics_observe(m, NULL, 405, 0.001);
    char *text = render(m, &no_gauges);

    assert_non_null(strstr(text, "# TYPE mcred_http_requests_total counter\n"));
    assert_sample(text, REQ("/a", "GET", "200"), "2");
    assert_sample(text, REQ("/a", "GET", "404"), "1");
    assert_sample(text, REQ("/a", "POST", "201"), "1");
    assert_sample(text, REQ("/b/{id}", "GET", "other"), "1");
    assert_sample(text, REQ("unmatched", "", "404"), "2");
    assert_sample(text, REQ("unmatched", "", "405"), "1");
    /* counters still at zero are not written */
    assert_no_sample(text, REQ("/a", "GET", "201"));
    assert_no_sample(text, REQ("/a", "POST", "200"));
    assert_no_sample(text, REQ("/b/{id}", "GET", "418"));
    free(text);
    metrics_free(m);
}

static void test_histogram(void **state)
{
    (void)state;
    struct metrics *m = metrics_create(routes);
    assert_non_null(m);
    metrics_observe(m, &routes[0], 200, 0.002);
    metrics_observe(m, &routes[0], 200, 0.020);
    metrics_observe(m, &routes[0], 404, 0.5); /* on a bound: counted in le="0.5" */
    metrics_observe(m, &routes[0], 200, 30.0);
    char *text = render(m, &no_gauges);

    assert_non_null(strstr(text, "# TYPE mcred_http_request_duration_seconds histogram\n"));
    assert_sample(text, BUCKET("/a", "GET", "0.001"), "0");
    assert_sample(text, BUCKET("/a", "GET", "0.0025"), "1");
    assert_sample(text, BUCKET("/a", "GET", "0.01"), "1");
    assert_sample(text, BUCKET("/a", "GET", "0.025"), "2");
    assert_sample(text, BUCKET("/a", "GET", "0.25"), "2");
    assert_sample(text, BUCKET("/a", "GET", "0.5"), "3");
    assert_sample(text, BUCKET("/a", "GET", "1"), "3");
    assert_sample(text, BUCKET("/a", "GET", "10"), "3");
    assert_sample(text, BUCKET("/a", "GET", "+Inf"), "4");
    assert_sample(text, "mcred_http_request_duration_seconds_count{route=\"/a\",method=\"GET\"}",
                  "4");
    const char *sum =
        find_line(text, "mcred_http_request_duration_seconds_sum{route=\"/a\",method=\"GET\"}");
    assert_non_null(sum);
    double s = strtod(strchr(sum, ' ') + 1, NULL);
    assert_true(s > 30.521 && s < 30.523);

    /* routes without requests have no histogram */
    assert_null(strstr(text, "_bucket{route=\"/a\",method=\"POST\""));
    assert_null(strstr(text, "route=\"unmatched\""));
    free(text);
    metrics_free(m);
}

/* Walk every bucket line of one route: non-decreasing, +Inf last and equal to _count. */
static void test_buckets_cumulative(void **state)
{
    (void)state;
    static const double samples[] = {0.0001, 0.001, 0.0011, 0.003, 0.004, 0.007, 0.02, 0.03,
                                     0.07,   0.2,   0.3,    0.7,   2.0,   3.0,   7.0,  11.0};
    struct metrics *m = metrics_create(routes);
    assert_non_null(m);
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        metrics_observe(m, &routes[2], 200, samples[i]);
    char *text = render(m, &no_gauges);

    const char *prefix = "mcred_http_request_duration_seconds_bucket{route=\"/b/{id}\"";
    unsigned long previous = 0, last = 0;
    size_t lines = 0;
    bool saw_inf = false;
    for (const char *p = strstr(text, prefix); p; p = strstr(p + 1, prefix)) {
        assert_false(saw_inf); /* nothing after +Inf */
        const char *space = strchr(p, ' ');
        assert_non_null(space);
        last = strtoul(space + 1, NULL, 10);
        assert_true(last >= previous);
        previous = last;
        saw_inf = space - p >= 10 && strncmp(space - 10, "le=\"+Inf\"}", 10) == 0;
        lines++;
    }
    assert_true(saw_inf);
    assert_int_equal(lines, 14); /* 13 bounds and +Inf */
    assert_int_equal(last, sizeof samples / sizeof samples[0]);
    assert_sample(text, BUCKET("/b/{id}", "GET", "0.001"), "2");
    assert_sample(
        text, "mcred_http_request_duration_seconds_count{route=\"/b/{id}\",method=\"GET\"}", "16");
    free(text);
    metrics_free(m);
}

static void test_gauges(void **state)
{
    (void)state;
    struct metrics *m = metrics_create(routes);
    assert_non_null(m);
    const struct metrics_gauges g = {
        .pool_size = 8,
        .pool_in_use = 0,
        .outbox_backlog = -1,
        .database_up = 1,
        .in_flight = 3,
    };
    char *text = render(m, &g);
    assert_sample(text, "mcred_db_pool_size", "8");
    assert_sample(text, "mcred_db_pool_in_use", "0");
    assert_sample(text, "mcred_db_up", "1");
    assert_sample(text, "mcred_http_requests_in_flight", "3");
    assert_non_null(strstr(text, "# TYPE mcred_db_pool_size gauge\n"));
    assert_null(strstr(text, "mcred_outbox_backlog"));
    free(text);

    text = render(m, &no_gauges);
    assert_null(strstr(text, "gauge"));
    assert_null(strstr(text, "mcred_db_"));
    assert_null(strstr(text, "in_flight"));
    free(text);

    const struct metrics_gauges down = {
        .pool_size = 8, .pool_in_use = -1, .outbox_backlog = 12, .database_up = 0, .in_flight = -5};
    text = render(m, &down);
    assert_sample(text, "mcred_db_up", "0");
    assert_sample(text, "mcred_outbox_backlog", "12");
    assert_null(strstr(text, "mcred_db_pool_in_use"));
    assert_null(strstr(text, "in_flight"));
    free(text);
    metrics_free(m);
}

/* Without requests, only HELP and TYPE lines, and the delivery counters at zero. */
static void test_empty(void **state)
{
    (void)state;
    struct metrics *m = metrics_create(routes);
    assert_non_null(m);
    char *text = render(m, &no_gauges);
    for (const char *line = text; *line; line = strchr(line, '\n') + 1)
        if (line[0] != '#' && strncmp(line, "mcred_webhook_deliveries_total{", 31) != 0)
            fail_msg("unexpected sample line in an empty scrape: %.*s", (int)strcspn(line, "\n"),
                     line);
    assert_non_null(strstr(text, "# HELP mcred_http_requests_total "));
    assert_non_null(strstr(text, "# HELP mcred_http_request_duration_seconds "));
    free(text);
    metrics_free(m);
}

static void test_deliveries(void **state)
{
    (void)state;
    struct metrics *m = metrics_create(routes);
    assert_non_null(m);
    char *text = render(m, &no_gauges);
    assert_sample(text, "mcred_webhook_deliveries_total{outcome=\"succeeded\"}", "0");
    assert_sample(text, "mcred_webhook_deliveries_total{outcome=\"dead\"}", "0");
    free(text);
    metrics_delivery(m, METRICS_DELIVERY_SUCCEEDED);
    metrics_delivery(m, METRICS_DELIVERY_SUCCEEDED);
    metrics_delivery(m, METRICS_DELIVERY_FAILED);
    metrics_delivery(m, METRICS_DELIVERY_OUTCOMES); /* out of range: ignored */
    const struct metrics_gauges g = {.pool_size = -1,
                                     .pool_in_use = -1,
                                     .outbox_backlog = -1,
                                     .delivery_backlog = 7,
                                     .delivery_oldest_due = 42,
                                     .database_up = -1,
                                     .in_flight = -1};
    text = render(m, &g);
    assert_sample(text, "mcred_webhook_deliveries_total{outcome=\"succeeded\"}", "2");
    assert_sample(text, "mcred_webhook_deliveries_total{outcome=\"failed\"}", "1");
    assert_sample(text, "mcred_webhook_deliveries_total{outcome=\"dead\"}", "0");
    assert_sample(text, "mcred_webhook_backlog", "7");
    assert_sample(text, "mcred_webhook_oldest_due_seconds", "42");
    free(text);
    metrics_free(m);
}

static void test_render_too_large(void **state)
{
    (void)state;
    struct metrics *m = metrics_create(routes);
    assert_non_null(m);
    metrics_observe(m, &routes[0], 200, 0.1);
    struct mc_buf out;
    mc_buf_init(&out, 64);
    assert_int_equal(metrics_render(m, &no_gauges, &out), MC_ERR_TOO_LARGE);
    assert_int_equal(out.len, 0);
    mc_buf_release(&out);
    metrics_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_histogram),
        cmocka_unit_test(test_buckets_cumulative),
        cmocka_unit_test(test_gauges),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_deliveries),
        cmocka_unit_test(test_render_too_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
