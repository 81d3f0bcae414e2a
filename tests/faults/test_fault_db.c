/*
 * test_fault_db.c — the database goes away under load and comes back,
 * and the same server process carries on (no restart):
 *
 *   - PostgreSQL stopped with a fast shutdown (pg_ctl stop -m fast) while
 *     three clients write scores and read /v1/me, and started again;
 *   - PostgreSQL refusing the server's new connections until slots are
 *     free again: its role's CONNECTION LIMIT at 0, and max_connections
 *     really reached (every slot but the superusers' taken by other
 *     clients), each time with the server's sessions ended, as a
 *     restarting or overloaded database drops them.
 *
 * Meanwhile every request is answered within 10 s, every answer is 2xx
 * or 503 in the JSON error shape, /healthz stays 200; and every request
 * sent 5 s or more after the database is back succeeds.  The test prints
 * how long recovery really took (the first request from which on all
 * succeeded, counted from the moment the database was back).
 *
 * The cluster is the test's own (stopping the shared one would disturb
 * other tests).
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"

#define CLIENTS       3
#define MAX_REQUESTS  20000 /* per client: a bound on the load, never reached in practice */
#define ANSWER_BOUND  10.0  /* seconds: no request waits longer for an answer */
#define RECOVER_BOUND 5.0   /* seconds after the database is back: all succeed */
#define DOWN_SECONDS  2
#define AFTER_SECONDS 8    /* of load after the database is back */
#define FILL_MAX      1000 /* connections the test opens at most to fill the cluster */

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;
static struct f_world world;

struct sample {
    double sent, took;
    long status;
    bool shaped; /* a non-2xx answer in the JSON error shape */
};

struct client {
    struct h_server view;
    int index;
    atomic_bool *stop;
    struct sample *samples;
    size_t n;
};

static bool error_shaped(const struct h_response *r)
{
    const char *code = h_json_string(r->json, "error.code");
    const char *message = h_json_string(r->json, "error.message");
    return code && *code && message && *message;
}

static void *client_run(void *arg)
{
    struct client *c = arg;
    int coach = c->index % F_COACHES;
    for (size_t n = 0; n < MAX_REQUESTS && !atomic_load(c->stop); n++) {
        struct h_response r;
        struct sample *s = &c->samples[c->n];
        s->sent = f_now();
        if (n % 2 == 0) {
            int learner = coach + F_COACHES * (int)(n / 2 % (F_LEARNERS / F_COACHES));
            char *body = f_score_body(&world, learner, (int)n, "under fault");
            h_http(&c->view, "POST", world.cohort.scores_path, world.cohort.coach_token[coach],
                   "application/json", body, strlen(body), &r);
            free(body);
        } else {
            h_http(&c->view, "GET", "/v1/me", world.cohort.coach_token[coach], NULL, NULL, 0, &r);
        }
        s->took = f_now() - s->sent;
        s->status = r.status;
        s->shaped = error_shaped(&r);
        h_response_free(&r);
        c->n++;
        f_sleep_ms(10);
    }
    return NULL;
}

struct load {
    atomic_bool stop;
    struct client c[CLIENTS];
    pthread_t t[CLIENTS];
};

static void load_start(struct load *l)
{
    atomic_store(&l->stop, false);
    for (int k = 0; k < CLIENTS; k++) {
        l->c[k] = (struct client){.view = server, .index = k, .stop = &l->stop};
        l->c[k].samples = calloc(MAX_REQUESTS, sizeof *l->c[k].samples);
        assert_non_null(l->c[k].samples);
        if (pthread_create(&l->t[k], NULL, client_run, &l->c[k]) != 0)
            fail_msg("pthread_create");
    }
}

static void load_stop(struct load *l)
{
    atomic_store(&l->stop, true);
    for (int k = 0; k < CLIENTS; k++)
        pthread_join(l->t[k], NULL);
}

static void load_free(struct load *l)
{
    for (int k = 0; k < CLIENTS; k++)
        free(l->c[k].samples);
}

/*
 * The checks of both faults.  down: when the fault was in place (the stop or the refusal
 * done); up: when the database was back.  Returns the measured recovery in seconds.
 */
static double load_check(const struct load *l, const char *what, double down, double up)
{
    size_t total = 0, during = 0, refused = 0, ok = 0;
    double slowest = 0, last_failure_sent = 0, first_after = 0;
    for (int k = 0; k < CLIENTS; k++)
        for (size_t i = 0; i < l->c[k].n; i++) {
            const struct sample *s = &l->c[k].samples[i];
            total++;
            if (s->took > slowest)
                slowest = s->took;
            if (s->took > ANSWER_BOUND)
                fail_msg("%s: a request waited %.1f s for its answer", what, s->took);
            bool good = s->status >= 200 && s->status <= 299;
            if (!good && (s->status != 503 || !s->shaped))
                fail_msg("%s: an answer neither 2xx nor 503 in the error shape: %ld", what,
                         s->status);
            ok += good;
            if (s->sent >= down && s->sent + s->took <= up) {
                during++;
                refused += !good;
                if (good)
                    fail_msg("%s: a request succeeded while the database was away", what);
            }
            if (!good && s->sent >= up && s->sent > last_failure_sent)
                last_failure_sent = s->sent;
            if (s->sent >= up + RECOVER_BOUND && !good)
                fail_msg("%s: a request sent %.1f s after the database was back failed (%ld)", what,
                         s->sent - up, s->status);
            if (s->sent >= up && (first_after == 0 || s->sent < first_after))
                first_after = s->sent;
        }
    /* recovery: from the database's return to the first request of the all-successful rest */
    double recovery = last_failure_sent > 0 ? last_failure_sent - up : 0;
    fprintf(stderr,
            "%s: %zu requests (%zu succeeded); %zu while the database was away, all answered "
            "503; slowest answer %.2f s; all succeed again %.2f s after it was back\n",
            what, total, ok, during, slowest, recovery);
    assert_true(during > 0 && refused == during);
    assert_true(first_after > 0);
    return recovery;
}

static long health(void)
{
    struct h_response r;
    h_http(&server, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
    long st = r.status;
    h_response_free(&r);
    return st;
}

static void run_for(double seconds)
{
    double until = f_now() + seconds;
    while (f_now() < until)
        f_sleep_ms(50);
}

static void test_database_stopped(void **state)
{
    (void)state;
    struct load l;
    load_start(&l);
    run_for(1.5);
    h_cluster_stop(&cluster); /* pg_ctl stop -m fast -w: returns once it is down */
    double down = f_now();
    run_for(DOWN_SECONDS);
    assert_int_equal(health(), 200);
    h_cluster_start(&cluster); /* pg_ctl start -w: returns once it accepts connections */
    double up = f_now();
    run_for(AFTER_SECONDS);
    load_stop(&l);
    (void)load_check(&l, "database stopped", down, up);
    load_free(&l);
}

/* End the server's sessions (as the superuser); the count ended. */
static long end_server_sessions(void)
{
    return f_count(&db,
                   "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                   " WHERE usename = $1 AND application_name = 'mcred-server') t",
                   H_APP_ROLE);
}

static void test_connections_refused(void **state)
{
    (void)state;
    struct load l;
    load_start(&l);
    run_for(1.5);
    h_db_exec_super(&db, "ALTER ROLE " H_APP_ROLE " CONNECTION LIMIT 0");
    long ended = end_server_sessions();
    double down = f_now();
    run_for(DOWN_SECONDS);
    assert_int_equal(health(), 200);
    assert_int_equal(end_server_sessions(), 0); /* none got back in */
    h_db_exec_super(&db, "ALTER ROLE " H_APP_ROLE " CONNECTION LIMIT -1");
    double up = f_now();
    run_for(AFTER_SECONDS);
    load_stop(&l);
    fprintf(stderr, "connections refused: %ld server sessions ended\n", ended);
    assert_true(ended > 0);
    (void)load_check(&l, "connections refused", down, up);
    load_free(&l);
}

/* Every connection slot a non-superuser may take, taken by the test: how many that was. */
struct filler {
    PGconn *conns[FILL_MAX];
    int n;
};

/* Connect as the owner until the cluster refuses ("too many clients", or only superusers' left). */
static void fill_slots(struct filler *f)
{
    while (f->n < FILL_MAX) {
        PGconn *pg = PQconnectdb(db.owner_conninfo);
        if (PQstatus(pg) == CONNECTION_OK) {
            f->conns[f->n++] = pg;
            continue;
        }
        const char *why = PQerrorMessage(pg);
        if (!strstr(why, "too many clients") && !strstr(why, "reserved"))
            fail_msg("filling the cluster: %s", why);
        PQfinish(pg);
        return;
    }
    fail_msg("the cluster took %d connections and still had room", FILL_MAX);
}

/*
 * Fill the cluster, then end the server's sessions and take their slots before the server
 * gets them back (pg_terminate_backend frees a slot a moment later, so fill again until the
 * server has held none for a while).
 */
static void fill_cluster(struct filler *f)
{
    int quiet = 0;
    fill_slots(f);
    for (int round = 0; round < 200 && quiet < 5; round++) {
        long ended = end_server_sessions();
        f_sleep_ms(50);
        fill_slots(f);
        quiet = ended == 0 ? quiet + 1 : 0;
    }
    if (quiet < 5)
        fail_msg("the server kept its connections while the cluster was full");
}

static void release_cluster(struct filler *f)
{
    for (int i = 0; i < f->n; i++)
        PQfinish(f->conns[i]);
    f->n = 0;
}

static void test_database_full(void **state)
{
    (void)state;
    static struct filler f; /* 8 KiB of pointers: off the stack */
    struct load l;
    load_start(&l);
    run_for(1.5);
    fill_cluster(&f);
    double down = f_now();
    run_for(DOWN_SECONDS);
    assert_int_equal(health(), 200);
    assert_int_equal(end_server_sessions(), 0); /* none got back in */
    int taken = f.n;
    release_cluster(&f);
    double up = f_now();
    run_for(AFTER_SECONDS);
    load_stop(&l);
    char *max = h_db_query_super(&db, "SHOW max_connections");
    fprintf(stderr, "database full: max_connections %s, %d taken by the test\n", max, taken);
    assert_true(taken > 0);
    free(max);
    (void)load_check(&l, "database full", down, up);
    load_free(&l);
}

static int setup(void **state)
{
    (void)state;
    h_cluster_create(&cluster);
    h_db_create(&cluster, &db);
    const char *env[] = {"MCRED_THREADS=8", "MCRED_DB_POOL=6", NULL};
    h_server_start(&db, env, &server);
    f_world_make(&server, "dbfault", &world);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    f_world_free(&world);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_database_stopped),
        cmocka_unit_test(test_connections_refused),
        cmocka_unit_test(test_database_full),
    };
    return h_run_tests(tests, setup, teardown);
}
