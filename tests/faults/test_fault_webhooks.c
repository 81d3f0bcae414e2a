/*
 * test_fault_webhooks.c — four receivers subscribed in one organisation:
 * one healthy, one down for a while (nothing listens on its port), one
 * that answers slowly (longer than the delivery timeout) and one that
 * resets every connection, the last two for their first seconds only.
 *
 * A burst of events goes out to all four.  The healthy receiver must get
 * its share at about the pace it had alone (a baseline burst measured
 * first; the bound is generous, ten times that plus 10 s, as the box is
 * shared); the other three get every event once they recover, none dead.
 * The retry schedule and timeouts are shortened to seconds
 * (MCRED_WEBHOOK_RETRY_SCHEDULE, MCRED_WEBHOOK_TIMEOUT), as in
 * tests/integration/test_webhook_delivery.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faults.h"

#define EVENTS   300
#define TROUBLE  "6" /* seconds the slow and resetting receivers misbehave */
#define DOWN_FOR 6   /* seconds the down receiver is away */

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

/* n events in the organisation's outbox, committed at once (as every write does in its
 * transaction); the dispatcher's poll finds them. */
static void burst(const char *slug, int n)
{
    char count[16];
    snprintf(count, sizeof count, "%d", n);
    const char *params[] = {slug, count};
    char *made = h_db_query_super_params(
        &db,
        "WITH made AS (INSERT INTO mcred.events (org_id, type, payload)"
        "  SELECT o.id, 'score.recorded', jsonb_build_object('n', g, 'burst', true)"
        "    FROM mcred.orgs o, generate_series(1, $2::integer) g WHERE o.slug = $1 RETURNING 1)"
        " SELECT count(*) FROM made",
        2, params);
    assert_string_equal(made, count);
    free(made);
}

/* Wait (at most `seconds`) until `n` deliveries of the webhook have succeeded; when. */
static double wait_succeeded(const char *hook, long n, int seconds)
{
    double deadline = f_now() + seconds;
    long got = 0;
    while (f_now() < deadline) {
        got = f_count(&db,
                      "SELECT count(*) FROM mcred.deliveries WHERE webhook_id = $1::uuid"
                      " AND status = 'succeeded'",
                      hook);
        if (got >= n)
            return f_now();
        f_sleep_ms(200);
    }
    fail_msg("webhook %s: %ld of %ld deliveries succeeded within %d s", hook, got, n, seconds);
    return 0;
}

static void test_receivers_in_trouble(void **state)
{
    (void)state;
    const char *env[] = {F_WEBHOOK_ENV, NULL};
    h_server_start(&db, env, &server);
    struct f_world w;
    f_world_make(&server, "hooks", &w);

    /* the baseline: the healthy receiver alone */
    struct h_receiver healthy;
    h_receiver_start(NULL, &healthy);
    char *hooks[4];
    hooks[0] = f_subscribe(&w, &healthy, "[\"score.recorded\"]", NULL);
    double t0 = f_now();
    burst(w.org.slug, EVENTS);
    (void)h_receiver_wait_delivered(&healthy, EVENTS, 60);
    double baseline = f_now() - t0;

    /* the troubled three */
    struct h_receiver down, slow, resetting;
    h_receiver_start(NULL, &down);
    char *down_secret = NULL;
    hooks[1] = f_subscribe(&w, &down, "[\"score.recorded\"]", &down_secret);
    unsigned down_port = down.port;
    h_receiver_stop(&down); /* its port now refuses connections */
    const char *slow_opts[] = {"--hang-seconds", "4", "--trouble-seconds", TROUBLE, NULL};
    h_receiver_start(slow_opts, &slow);
    hooks[2] = f_subscribe(&w, &slow, "[\"score.recorded\"]", NULL);
    const char *reset_opts[] = {"--reset", "--trouble-seconds", TROUBLE, NULL};
    h_receiver_start(reset_opts, &resetting);
    hooks[3] = f_subscribe(&w, &resetting, "[\"score.recorded\"]", NULL);

    t0 = f_now();
    burst(w.org.slug, EVENTS);
    struct h_tally t = h_receiver_wait_delivered(&healthy, 2 * EVENTS, 60);
    double pace = f_now() - t0;
    fprintf(stderr, "healthy receiver: %d events in %.2f s alone, %.2f s beside the others\n",
            EVENTS, baseline, pace);
    assert_true(pace <= 10 * baseline + 10);
    assert_int_equal(t.unverified, 0);

    /* the down receiver comes back on its port */
    while (f_now() < t0 + DOWN_FOR)
        f_sleep_ms(100);
    char port[16], secrets[] = "/tmp/mcred-fault-secrets.XXXXXX";
    snprintf(port, sizeof port, "%u", down_port);
    /* its secret in place before it listens (a later --secrets wins over the harness's) */
    int fd = mkstemp(secrets);
    assert_true(fd >= 0);
    assert_true(write(fd, down_secret, strlen(down_secret)) == (ssize_t)strlen(down_secret));
    assert_true(write(fd, "\n", 1) == 1);
    close(fd);
    const char *back_opts[] = {"--port", port, "--secrets", secrets, NULL};
    h_receiver_start(back_opts, &down);

    struct h_receiver *troubled[] = {&down, &slow, &resetting};
    const char *names[] = {"down", "slow", "resetting"};
    for (int i = 0; i < 3; i++) {
        double waited = wait_succeeded(hooks[i + 1], EVENTS, 90);
        struct h_tally got = h_receiver_tally(troubled[i]);
        long failed = f_count(&db,
                              "SELECT count(*) FROM mcred.delivery_attempts a JOIN"
                              " mcred.deliveries d ON d.org_id = a.org_id AND d.id = a.delivery_id"
                              " WHERE d.webhook_id = $1::uuid AND a.response_status IS NULL",
                              hooks[i + 1]);
        fprintf(stderr,
                "%s receiver: all %d delivered %.1f s after the burst; %ld attempts failed"
                " without an answer; it logged %zu requests, %zu duplicates\n",
                names[i], EVENTS, waited - t0, failed, got.lines, got.duplicates);
        assert_true(got.delivered >= EVENTS);
        assert_int_equal(got.unverified, 0);
        assert_true(failed > 0); /* it really was in trouble */
    }
    assert_int_equal(
        f_count(&db, "SELECT count(*) FROM mcred.deliveries WHERE status = $1", "dead"), 0);
    t = h_receiver_tally(&healthy);
    assert_int_equal(t.delivered, 2 * EVENTS);

    for (int i = 0; i < 4; i++)
        free(hooks[i]);
    free(down_secret);
    h_receiver_stop(&down);
    unlink(secrets);
    h_receiver_stop(&slow);
    h_receiver_stop(&resetting);
    h_receiver_stop(&healthy);
    assert_int_equal(h_server_stop(&server), 0);
    f_world_free(&w);
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
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
        cmocka_unit_test(test_receivers_in_trouble),
    };
    return h_run_tests(tests, setup, teardown);
}
