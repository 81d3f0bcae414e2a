/*
 * test_dispatcher_wakeup.c — the dispatcher is woken by the write that
 * commits an event, not by its poll, and receivers that hang leave slots
 * to the others.
 *
 * The poll is set to a minute (MCRED_DISPATCHER_POLL_MS=60000), so an
 * event delivered within seconds of its request was delivered because the
 * request woke the dispatcher: through the ordinary path (enrolling
 * members) and through the one-round-trip path (a score).  Receivers are
 * mcred-test-receiver on 127.0.0.1, which verifies every signature.
 * Every wait is bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define SEED MCRED_FIXTURES_DIR "/equity-excellence.json"

/* Far longer than any wait below: only a nudge can explain a prompt delivery. */
#define ENV_NO_POLL                                                                                \
    "MCRED_WEBHOOK_ALLOW_PRIVATE=1", "MCRED_WEBHOOK_ALLOW_HTTP=1", "MCRED_DISPATCHER_POLL_MS=60000"
#define PROMPT_MS 3000 /* a generous bound for one delivery on a loaded test machine */

static struct h_cluster cluster;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* Requests the receiver answered 2xx with a verified signature, of one event type. */
static size_t delivered(const struct h_receiver *rx, const char *type)
{
    struct h_received *rows = NULL;
    size_t n = h_receiver_log(rx, &rows), got = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].verified && rows[i].status >= 200 && rows[i].status <= 299 &&
            strcmp(rows[i].type, type) == 0)
            got++;
    free(rows);
    return got;
}

/* Wait at most `ms` for `want` deliveries of `type`; how long it took. */
static long long wait_for(const struct h_receiver *rx, const char *type, size_t want, long ms)
{
    long long start = now_ms();
    while (delivered(rx, type) < want) {
        if (now_ms() - start > ms)
            fail_msg("%zu of %zu %s deliveries within %ld ms", delivered(rx, type), want, type, ms);
        sleep_ms(20);
    }
    return now_ms() - start;
}

/* Subscribe the receiver to `events` (a JSON array) and tell it the secret. */
static void subscribe(const struct h_server *s, const char *admin, const struct h_receiver *rx,
                      const char *events)
{
    char *body = h_strf("{\"url\": \"%s\", \"events\": %s}", rx->url, events);
    struct h_response r;
    h_call(s, "POST", "/v1/webhooks", admin, body, 201, &r);
    h_receiver_add_secret(rx, h_json_string(r.json, "secret"));
    h_response_free(&r);
    free(body);
}

/* POST that must answer `want`; the id in its answer (malloc'd) when `id` is set. */
static char *post(const struct h_server *s, const char *path, const char *token, const char *body,
                  long want, const char *id)
{
    struct h_response r;
    h_call(s, "POST", path, token, body, want, &r);
    char *out = id ? strdup(h_json_string(r.json, id)) : NULL;
    h_response_free(&r);
    return out;
}

/* ---- a request's event arrives without waiting for the poll ---- */

static void test_write_wakes_dispatcher(void **state)
{
    (void)state;
    struct h_db db;
    struct h_server s;
    struct h_receiver rx;
    const char *env[] = {ENV_NO_POLL, NULL};
    h_db_create(&cluster, &db);
    h_server_start(&db, env, &s);
    char *admin = h_bootstrap(&s, "wake", "admin@wake.example");
    h_receiver_start(NULL, &rx);
    subscribe(&s, admin, &rx, "[\"member.enrolled\", \"score.recorded\"]");

    char *seed = h_file_read(SEED, NULL);
    char *credential = post(&s, "/v1/credentials", admin, seed, 201, "id");
    free(seed);
    char *path = h_strf("/v1/credentials/%s/publish", credential);
    free(post(&s, path, admin, NULL, 200, NULL));
    free(path);
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Woken\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-13\", \"timezone\": "
                        "\"America/New_York\", \"capacity\": 4, \"min_learners\": 1}",
                        credential);
    char *cohort = post(&s, "/v1/cohorts", admin, body, 201, "id");
    free(body);
    char *coach_id = h_person(&s, admin, "coach@wake.example", "Coach", NULL);
    char *coach = h_token_for(&s, admin, coach_id);
    char *learner = h_person(&s, admin, "learner@wake.example", "Learner", NULL);

    /* the ordinary path: a transaction of several statements, then COMMIT */
    char *members = h_strf("/v1/cohorts/%s/members", cohort);
    body = h_strf("{\"members\": [{\"email\": \"coach@wake.example\", \"role\": \"coach\"},"
                  " {\"email\": \"learner@wake.example\", \"coach\": \"coach@wake.example\"}]}");
    free(post(&s, members, admin, body, 201, NULL));
    long long took = wait_for(&rx, "member.enrolled", 2, PROMPT_MS);
    print_message("member.enrolled x2 delivered %lld ms after the request answered\n", took);
    free(body);

    /* the one-round-trip path (a score without Idempotency-Key) */
    char *scores = h_strf("/v1/cohorts/%s/scores", cohort);
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 2}", learner);
    free(post(&s, scores, coach, body, 201, NULL));
    took = wait_for(&rx, "score.recorded", 1, PROMPT_MS);
    print_message("score.recorded delivered %lld ms after the request answered\n", took);
    free(body);

    sleep_ms(200); /* a second copy would arrive meanwhile */
    assert_int_equal(delivered(&rx, "member.enrolled"), 2);
    assert_int_equal(delivered(&rx, "score.recorded"), 1);

    free(scores);
    free(members);
    free(learner);
    free(coach);
    free(coach_id);
    free(cohort);
    free(credential);
    h_receiver_stop(&rx);
    assert_int_equal(h_server_stop(&s), 0);
    free(admin);
}

/* ---- receivers that hang leave slots to a healthy one ---- */

static void test_hanging_receivers_leave_slots(void **state)
{
    (void)state;
    /* eight slots, and any one subscription may have them all: without a fair share the two
     * that hang would hold every slot for the whole timeout, again and again */
    const char *env[] = {"MCRED_WEBHOOK_ALLOW_PRIVATE=1",
                         "MCRED_WEBHOOK_ALLOW_HTTP=1",
                         "MCRED_DISPATCHER_POLL_MS=200",
                         "MCRED_DISPATCHER_SLOTS=8",
                         "MCRED_WEBHOOK_CONCURRENCY=8",
                         "MCRED_WEBHOOK_TIMEOUT=5",
                         "MCRED_WEBHOOK_RETRY_SCHEDULE=60",
                         "MCRED_SHUTDOWN_GRACE=1",
                         NULL};
    struct h_db db;
    struct h_server s;
    struct h_receiver stuck[2], good;
    h_db_create(&cluster, &db);
    h_server_start(&db, env, &s);
    char *admin = h_bootstrap(&s, "share", "admin@share.example");
    const char *hang[] = {"--hang-seconds", "30", NULL};
    for (int i = 0; i < 2; i++) {
        h_receiver_start(hang, &stuck[i]);
        subscribe(&s, admin, &stuck[i], "[\"*\"]");
    }
    h_receiver_start(NULL, &good);
    subscribe(&s, admin, &good, "[\"*\"]");
    const char *params[] = {"share"};
    char *made = h_db_query_super_params(
        &db,
        "WITH made AS (INSERT INTO mcred.events (org_id, type, payload)"
        "  SELECT o.id, 'evidence.submitted', jsonb_build_object('n', g)"
        "    FROM mcred.orgs o, generate_series(1, 100) g WHERE o.slug = $1 RETURNING 1)"
        " SELECT count(*) FROM made",
        1, params);
    assert_string_equal(made, "100");
    free(made);
    /* 100 deliveries at a few slots: well under a second when they are not held up (found by
     * the 200 ms poll, written straight into the outbox); held up behind the hanging ones, they
     * would wait 5 s for slots that time out */
    long long took = wait_for(&good, "evidence.submitted", 100, 4000);
    print_message("100 deliveries to the healthy receiver in %lld ms\n", took);
    h_receiver_stop(&good);
    assert_int_equal(h_server_stop(&s), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(delivered(&stuck[i], "evidence.submitted"), 0);
        h_receiver_stop(&stuck[i]);
    }
    free(admin);
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
        cmocka_unit_test(test_write_wakes_dispatcher),
        cmocka_unit_test(test_hanging_receivers_leave_slots),
    };
    return h_run("dispatcher wakeup", tests, sizeof tests / sizeof tests[0], setup, teardown);
}
