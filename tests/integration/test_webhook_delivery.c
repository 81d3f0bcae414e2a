/*
 * test_webhook_delivery.c — the dispatcher end to end: the real
 * mcred-server delivering to real receivers (mcred-test-receiver, which
 * verifies each Standard Webhooks signature with its own code) on
 * loopback, over a real PostgreSQL.
 *
 * Bursts are written straight into the outbox (as every write does, in
 * its transaction) so that a thousand events take milliseconds, not a
 * thousand requests.  The retry schedule is shortened to seconds with
 * MCRED_WEBHOOK_RETRY_SCHEDULE, the documented setting for tests.
 * Every wait below is bounded; none measures speed.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define ENV_COMMON                                                                                 \
    "MCRED_WEBHOOK_ALLOW_PRIVATE=1", "MCRED_WEBHOOK_ALLOW_HTTP=1",                                 \
        "MCRED_WEBHOOK_RETRY_SCHEDULE=1,1", "MCRED_WEBHOOK_TIMEOUT=2",                             \
        "MCRED_WEBHOOK_CONNECT_TIMEOUT=1", "MCRED_DISPATCHER_POLL_MS=200"

static struct h_cluster cluster;

struct world {
    struct h_db db;
    struct h_server server;
    char *admin;
};

static void world_start(struct world *w, const char *slug, const char *const *env)
{
    h_db_create(&cluster, &w->db);
    h_server_start(&w->db, env, &w->server);
    char *email = h_strf("admin@%s.example", slug);
    w->admin = h_bootstrap(&w->server, slug, email);
    free(email);
}

static void world_stop(struct world *w)
{
    if (w->server.pid > 0)
        assert_int_equal(h_server_stop(&w->server), 0);
    free(w->admin);
}

/* Subscribe the receiver to `events` (a JSON array) and tell it the secret; the webhook's id. */
static char *subscribe(struct world *w, const struct h_receiver *rx, const char *events)
{
    char *body = h_strf("{\"url\": \"%s\", \"events\": %s}", rx->url, events);
    struct h_response r;
    h_post_json(&w->server, "/v1/webhooks", w->admin, body, &r);
    if (r.status != 201)
        fail_msg("POST /v1/webhooks: %ld %s", r.status, r.body);
    h_receiver_add_secret(rx, h_json_string(r.json, "secret"));
    char *id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    free(body);
    return id;
}

/* n events of `type` in the organisation's outbox, committed at once; the dispatchers' poll (200
 * ms) finds them, as no request of theirs wrote them. */
static void burst(struct world *w, const char *slug, const char *type, int n)
{
    char count[16];
    snprintf(count, sizeof count, "%d", n);
    const char *params[] = {slug, type, count};
    char *made = h_db_query_super_params(
        &w->db,
        "WITH made AS (INSERT INTO mcred.events (org_id, type, payload)"
        "  SELECT o.id, $2, jsonb_build_object('n', g, 'burst', true)"
        "    FROM mcred.orgs o, generate_series(1, $3::integer) g WHERE o.slug = $1 RETURNING 1)"
        " SELECT count(*) FROM made",
        3, params);
    assert_string_equal(made, count);
    free(made);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static long count_super(struct world *w, const char *sql, const char *param)
{
    const char *params[] = {param};
    char *v = h_db_query_super_params(&w->db, sql, param ? 1 : 0, param ? params : NULL);
    long n = strtol(v, NULL, 10);
    free(v);
    return n;
}

/* ---- a burst, all verified, none twice; the delivery log over the API ---- */

static void test_burst_once_each(void **state)
{
    (void)state;
    const char *env[] = {ENV_COMMON, NULL};
    struct world w;
    struct h_receiver rx;
    world_start(&w, "burst", env);
    h_receiver_start(NULL, &rx);
    char *hook = subscribe(&w, &rx, "[\"score.recorded\"]");
    burst(&w, "burst", "score.recorded", 1000);
    burst(&w, "burst", "member.enrolled", 10); /* not subscribed: never sent */
    struct h_tally t = h_receiver_wait_delivered(&rx, 1000, 120);
    sleep_ms(500); /* anything sent twice would arrive meanwhile */
    t = h_receiver_tally(&rx);
    assert_int_equal(t.delivered, 1000);
    assert_int_equal(t.duplicates, 0);
    assert_int_equal(t.unverified, 0);
    assert_int_equal(t.lines, 1000);
    assert_int_equal(count_super(&w,
                                 "SELECT count(*) FROM mcred.deliveries WHERE status = "
                                 "'succeeded' AND attempts = 1",
                                 NULL),
                     1000);
    assert_int_equal(
        count_super(&w, "SELECT count(*) FROM mcred.events WHERE dispatched_at IS NULL", NULL), 0);

    /* the log over the API: filters and paging */
    char *path = h_strf("/v1/webhooks/%s/deliveries?status=succeeded&limit=2", hook);
    struct h_response r;
    h_http(&w.server, "GET", path, w.admin, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(h_json_string(r.json, "items[0].status"), "succeeded");
    assert_string_equal(h_json_string(r.json, "items[0].event_type"), "score.recorded");
    assert_int_equal(h_json_long(r.json, "items[0].response_status"), 200);
    assert_non_null(h_json_string(r.json, "next"));
    char *one = h_strf("/v1/deliveries/%s", h_json_string(r.json, "items[0].id"));
    h_response_free(&r);
    h_http(&w.server, "GET", one, w.admin, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(h_json_long(r.json, "log[0].attempt"), 1);
    assert_int_equal(h_json_long(r.json, "log[0].response_status"), 200);
    h_response_free(&r);
    free(one);
    free(path);
    path = h_strf("/v1/webhooks/%s/deliveries?status=dead", hook);
    h_http(&w.server, "GET", path, w.admin, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")), 0);
    h_response_free(&r);
    free(path);
    path = h_strf("/v1/webhooks/%s/deliveries?status=lost", hook);
    h_http(&w.server, "GET", path, w.admin, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 422);
    assert_string_equal(h_json_string(r.json, "error.field"), "status");
    h_response_free(&r);
    free(path);

    /* the metrics saw them */
    h_http(&w.server, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
    assert_non_null(strstr(r.body, "mcred_webhook_deliveries_total{outcome=\"succeeded\"} 1000\n"));
    assert_non_null(strstr(r.body, "mcred_webhook_backlog 0\n"));
    h_response_free(&r);

    free(hook);
    h_receiver_stop(&rx);
    world_stop(&w);
}

/* ---- a receiver that fails, then recovers; 410; a test event ---- */

static void test_retries_then_recovers(void **state)
{
    (void)state;
    const char *env[] = {ENV_COMMON, NULL};
    struct world w;
    struct h_receiver rx;
    world_start(&w, "flaky", env);
    const char *opts[] = {"--fail-first", "2", NULL};
    h_receiver_start(opts, &rx);
    char *hook = subscribe(&w, &rx, "[\"*\"]");
    burst(&w, "flaky", "attendance.recorded", 20);
    struct h_tally t = h_receiver_wait_delivered(&rx, 20, 60);
    assert_int_equal(t.unverified, 0);
    assert_int_equal(t.duplicates, 0);
    assert_int_equal(t.lines, 60); /* 500, 500, then 200 for each */
    assert_int_equal(count_super(&w,
                                 "SELECT count(*) FROM mcred.deliveries WHERE status = "
                                 "'succeeded' AND attempts = 3",
                                 NULL),
                     20);
    assert_int_equal(count_super(&w,
                                 "SELECT count(*) FROM mcred.delivery_attempts"
                                 " WHERE response_status = 500 AND error LIKE 'HTTP 500%'",
                                 NULL),
                     40);
    free(hook);
    h_receiver_stop(&rx);
    world_stop(&w);
}

static void test_gone_disables(void **state)
{
    (void)state;
    const char *env[] = {ENV_COMMON, NULL};
    struct world w;
    struct h_receiver rx;
    world_start(&w, "gone", env);
    const char *opts[] = {"--status", "410", NULL};
    h_receiver_start(opts, &rx);
    char *hook = subscribe(&w, &rx, "[\"*\"]");
    char *path = h_strf("/v1/webhooks/%s/test", hook);
    struct h_response r;
    h_http(&w.server, "POST", path, w.admin, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 202);
    assert_string_equal(h_json_string(r.json, "event_type"), "webhook.test");
    h_response_free(&r);
    for (int i = 0; i < 100 && count_super(&w,
                                           "SELECT count(*) FROM mcred.webhooks WHERE NOT active"
                                           " AND id = $1::uuid",
                                           hook) == 0;
         i++)
        sleep_ms(100);
    struct h_received *rows = NULL;
    size_t n = h_receiver_log(&rx, &rows);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].verified, 1);
    assert_string_equal(rows[0].type, "webhook.test");
    free(rows);
    assert_int_equal(count_super(&w,
                                 "SELECT count(*) FROM mcred.audit WHERE action ="
                                 " 'webhook.disable' AND actor = 'dispatcher'"
                                 " AND entity_id = $1",
                                 hook),
                     1);
    assert_int_equal(count_super(&w,
                                 "SELECT count(*) FROM mcred.deliveries WHERE status = 'dead'"
                                 " AND response_status = 410",
                                 NULL),
                     1);
    /* paused now: no more tests, no more deliveries */
    h_http(&w.server, "POST", path, w.admin, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 409);
    h_response_free(&r);
    free(path);
    free(hook);
    h_receiver_stop(&rx);
    world_stop(&w);
}

/* ---- a hanging receiver holds up only its own deliveries ---- */

static void test_hanging_receiver_isolated(void **state)
{
    (void)state;
    const char *env[] = {ENV_COMMON, NULL};
    struct world w;
    struct h_receiver good, stuck;
    world_start(&w, "hang", env);
    const char *hang[] = {"--hang-seconds", "30", NULL};
    h_receiver_start(hang, &stuck);
    h_receiver_start(NULL, &good);
    char *a = subscribe(&w, &stuck, "[\"*\"]");
    char *b = subscribe(&w, &good, "[\"*\"]");
    burst(&w, "hang", "evidence.submitted", 200);
    /* every attempt to the stuck one takes the whole 2 s timeout, many at a time; the good one
     * must not wait behind them */
    struct h_tally t = h_receiver_wait_delivered(&good, 200, 30);
    assert_int_equal(t.unverified, 0);
    assert_int_equal(t.duplicates, 0);
    assert_int_equal(h_receiver_tally(&stuck).delivered, 0);
    free(a);
    free(b);
    h_receiver_stop(&good);
    world_stop(&w); /* stops while attempts to the stuck one are in flight */
    h_receiver_stop(&stuck);
}

/* ---- dead, then retried by hand through the CLI ---- */

static void test_dead_retried_by_hand(void **state)
{
    (void)state;
    const char *env[] = {ENV_COMMON, NULL};
    struct world w;
    struct h_receiver rx;
    world_start(&w, "dead", env);
    const char *opts[] = {"--fail-first", "3", NULL};
    h_receiver_start(opts, &rx);
    char *hook = subscribe(&w, &rx, "[\"*\"]");
    burst(&w, "dead", "problem.submitted", 1);
    /* three attempts (the first and two retries) answered 500: dead */
    for (int i = 0; i < 100 && count_super(&w,
                                           "SELECT count(*) FROM mcred.deliveries"
                                           " WHERE status = 'dead'",
                                           NULL) == 0;
         i++)
        sleep_ms(100);
    char *out = NULL, *err = NULL;
    const char *list[] = {"--json", "webhook", "deliveries", hook, "--status", "dead", NULL};
    assert_int_equal(h_cli(w.server.url, w.admin, list, &out, &err), 0);
    cJSON *page = cJSON_Parse(out);
    assert_non_null(page);
    assert_int_equal(h_json_long(page, "items[0].attempts"), 3);
    char *delivery = strdup(h_json_string(page, "items[0].id"));
    cJSON_Delete(page);
    free(out);
    free(err);
    assert_int_equal(h_receiver_tally(&rx).delivered, 0);

    const char *retry[] = {"webhook", "retry", delivery, NULL};
    assert_int_equal(h_cli(w.server.url, w.admin, retry, &out, &err), 0);
    assert_non_null(strstr(out, "will be retried now"));
    free(out);
    free(err);
    struct h_tally t = h_receiver_wait_delivered(&rx, 1, 30);
    assert_int_equal(t.lines, 4);
    /* the attempt log has all four, and the retry is on the audit trail */
    const char *show[] = {"--json", "webhook", "delivery", delivery, NULL};
    for (int i = 0; i < 50; i++) {
        assert_int_equal(h_cli(w.server.url, w.admin, show, &out, &err), 0);
        cJSON *d = cJSON_Parse(out);
        bool done = d && strcmp(h_json_string(d, "status"), "succeeded") == 0;
        if (done) {
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "log")), 4);
            assert_int_equal(h_json_long(d, "log[3].response_status"), 200);
        }
        cJSON_Delete(d);
        free(out);
        free(err);
        if (done)
            break;
        assert_true(i < 49);
        sleep_ms(100);
    }
    /* retrying what succeeded is refused, with a message */
    assert_int_equal(h_cli(w.server.url, w.admin, retry, &out, &err), 1);
    assert_non_null(strstr(err, "succeeded"));
    free(out);
    free(err);
    assert_int_equal(count_super(&w,
                                 "SELECT count(*) FROM mcred.audit WHERE action ="
                                 " 'delivery.retry' AND entity_id = $1",
                                 delivery),
                     1);
    free(delivery);
    free(hook);
    h_receiver_stop(&rx);
    world_stop(&w);
}

/* ---- the address is checked again when the socket opens ---- */

static void test_connect_time_refusal(void **state)
{
    (void)state;
    const char *permissive[] = {ENV_COMMON, NULL};
    struct world w;
    struct h_receiver rx;
    world_start(&w, "rebind", permissive);
    h_receiver_start(NULL, &rx);
    char *hook = subscribe(&w, &rx, "[\"*\"]");
    /* The operator withdraws leave for private addresses: the subscription stays, as one whose
     * name now resolves to loopback would, and the dispatcher must refuse at connect time. */
    struct h_server strict;
    const char *env[] = {"MCRED_WEBHOOK_ALLOW_PRIVATE=0", "MCRED_WEBHOOK_ALLOW_HTTP=1",
                         "MCRED_WEBHOOK_RETRY_SCHEDULE=1", NULL};
    assert_int_equal(h_server_stop(&w.server), 0);
    h_server_start_like(&w.server, env, &strict);
    w.server = strict;
    char *path = h_strf("/v1/webhooks/%s/test", hook);
    struct h_response r;
    h_http(&w.server, "POST", path, w.admin, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 202);
    char *one = h_strf("/v1/deliveries/%s", h_json_string(r.json, "id"));
    h_response_free(&r);
    for (int i = 0; i < 100; i++) {
        h_http(&w.server, "GET", one, w.admin, NULL, NULL, 0, &r);
        bool dead = strcmp(h_json_string(r.json, "status"), "dead") == 0;
        if (dead) {
            assert_int_equal(h_json_long(r.json, "attempts"), 2);
            assert_non_null(strstr(h_json_string(r.json, "log[0].error"), "refused"));
            const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "log"), 0);
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(first, "response_status")));
        }
        h_response_free(&r);
        if (dead)
            break;
        assert_true(i < 99);
        sleep_ms(100);
    }
    struct h_received *rows = NULL;
    assert_int_equal(h_receiver_log(&rx, &rows), 0); /* not a packet reached it */
    free(rows);
    free(one);
    free(path);
    free(hook);
    h_receiver_stop(&rx);
    world_stop(&w);
}

/* ---- SIGKILL mid-burst, restart: everything arrives ---- */

static void test_sigkill_mid_burst(void **state)
{
    (void)state;
    const char *env[] = {ENV_COMMON, NULL};
    struct world w;
    struct h_receiver rx;
    world_start(&w, "killed", env);
    const char *slow[] = {"--delay-ms", "10", NULL};
    h_receiver_start(slow, &rx);
    char *hook = subscribe(&w, &rx, "[\"*\"]");
    burst(&w, "killed", "score.recorded", 1000);
    h_receiver_wait_delivered(&rx, 100, 60);
    h_server_kill(&w.server);
    size_t before = h_receiver_tally(&rx).delivered;
    struct h_server again;
    h_server_start_like(&w.server, env, &again);
    w.server = again;
    struct h_tally t = h_receiver_wait_delivered(&rx, 1000, 120);
    assert_int_equal(t.unverified, 0);
    assert_true(before < 1000); /* it did die mid-burst */
    /* duplicates there may be, but only of ids the receiver knows: 1,000 distinct in all */
    assert_int_equal(t.delivered, 1000);
    /* what was in flight when it died is attempted again once its claim runs out (2 s + 5 s) */
    const char *done = "SELECT count(*) FROM mcred.deliveries WHERE status = 'succeeded'";
    for (int i = 0; i < 300 && count_super(&w, done, NULL) < 1000; i++)
        sleep_ms(100);
    assert_int_equal(count_super(&w, done, NULL), 1000);
    t = h_receiver_tally(&rx);
    assert_int_equal(t.delivered, 1000);
    assert_int_equal(t.unverified, 0);
    free(hook);
    h_receiver_stop(&rx);
    world_stop(&w);
}

/* ---- two processes share the work: each event exactly once ---- */

static void test_two_processes_exactly_once(void **state)
{
    (void)state;
    const char *env[] = {ENV_COMMON, NULL};
    struct world w;
    struct h_receiver rx;
    world_start(&w, "pair", env);
    struct h_server second;
    h_server_start_like(&w.server, env, &second);
    h_receiver_start(NULL, &rx);
    char *hook = subscribe(&w, &rx, "[\"*\"]");
    burst(&w, "pair", "member.enrolled", 1000);
    h_receiver_wait_delivered(&rx, 1000, 120);
    sleep_ms(500);
    struct h_tally t = h_receiver_tally(&rx);
    assert_int_equal(t.delivered, 1000);
    assert_int_equal(t.duplicates, 0);
    assert_int_equal(t.lines, 1000);
    assert_int_equal(t.unverified, 0);
    free(hook);
    h_receiver_stop(&rx);
    assert_int_equal(h_server_stop(&second), 0);
    world_stop(&w);
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    h_cluster_release(&cluster);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_once_each),
        cmocka_unit_test(test_retries_then_recovers),
        cmocka_unit_test(test_gone_disables),
        cmocka_unit_test(test_hanging_receiver_isolated),
        cmocka_unit_test(test_dead_retried_by_hand),
        cmocka_unit_test(test_connect_time_refusal),
        cmocka_unit_test(test_sigkill_mid_burst),
        cmocka_unit_test(test_two_processes_exactly_once),
    };
    return h_run("webhook delivery", tests, sizeof tests / sizeof tests[0], setup, teardown);
}
