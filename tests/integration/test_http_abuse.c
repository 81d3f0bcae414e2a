/*
 * test_http_abuse.c — abuse at the HTTP level: the server stays up.
 *
 * Each case attacks the real server over loopback while a prober asks
 * GET /healthz; every probe must be answered 200 within HEALTH_BOUND
 * seconds (the "keeps answering health checks"; generous, for a
 * loaded 2-core box under ASan), and afterwards an authenticated request
 * must work as usual:
 *   - slow loris: SLOW_CONNS connections sending their headers one byte
 *     a second;
 *   - a 64 KiB header line, 200 headers of 1 KiB, a 60 KiB request
 *     target: refused (431, 414, or the connection closed), never a crash;
 *   - bodies over MCRED_MAX_BODY: declared (413 before the body is read),
 *     chunked (413), a Content-Length that is no number, and two
 *     Content-Lengths (400: the framing a proxy and we may disagree on);
 *   - MANY_CONNS concurrent connections (1,000), each sending a request,
 *     the test's RLIMIT_NOFILE raised to fit them.
 * The server's settings that make this hold (libmicrohttpd's connection
 * limit, per-connection memory, idle timeout, the descriptor limit it
 * raises at start) are in docs/operations.md ("Connections").
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "rawhttp.h"

#define HEALTH_BOUND 5.0 /* seconds for a probe's answer */
#define SLOW_CONNS   200
#define SLOW_SECONDS 8
#define MANY_CONNS   1000

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;
static char *admin_token;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pause_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- the prober: GET /healthz every 250 ms until stopped ---- */

struct prober {
    pthread_t thread;
    atomic_bool stop;
    int probes, failures;
    double slowest;
};

static void *probe_loop(void *arg)
{
    struct prober *p = arg;
    while (!atomic_load(&p->stop)) {
        double start = now_s();
        struct h_response r;
        int fd = raw_connect(server.port, (unsigned)HEALTH_BOUND + 1);
        long status = 0;
        if (fd >= 0) {
            static const char req[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Connection: close\r\n\r\n";
            if (raw_send_all(fd, req, sizeof req - 1)) {
                raw_read_response(fd, &r);
                status = r.status;
                h_response_free(&r);
            }
            close(fd);
        }
        double took = now_s() - start;
        p->probes++;
        if (took > p->slowest)
            p->slowest = took;
        if (status != 200 || took > HEALTH_BOUND) {
            p->failures++;
            fprintf(stderr, "probe %d: status %ld after %.2f s\n", p->probes, status, took);
        }
        pause_ms(250);
    }
    return NULL;
}

static void prober_start(struct prober *p)
{
    memset(p, 0, sizeof *p);
    atomic_init(&p->stop, false);
    assert_int_equal(pthread_create(&p->thread, NULL, probe_loop, p), 0);
}

/* Stop it; the probes must all have passed. */
static void prober_finish(struct prober *p, const char *during)
{
    atomic_store(&p->stop, true);
    pthread_join(p->thread, NULL);
    fprintf(stderr, "%s: %d health probes, %d failed, slowest %.2f s\n", during, p->probes,
            p->failures, p->slowest);
    assert_true(p->probes > 0);
    assert_int_equal(p->failures, 0);
}

/* Afterwards the server serves as usual. */
static void expect_normal_service(void)
{
    struct h_response r;
    h_http(&server, "GET", "/v1/me", admin_token, NULL, NULL, 0, &r);
    if (r.status != 200)
        fail_msg("GET /v1/me after the attack: %ld %s", r.status, r.body);
    h_response_free(&r);
    h_http(&server, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    h_response_free(&r);
    static unsigned n;
    char *body = h_strf("{\"email\": \"after%u@abuse.example\", \"name\": \"After\"}", ++n);
    h_post_json(&server, "/v1/people", admin_token, body, &r);
    if (r.status != 201)
        fail_msg("POST /v1/people after the attack: %ld %s", r.status, r.body);
    h_response_free(&r);
    free(body);
}

/* Room for n more descriptors in this process (the test's own limit, not the server's). */
static void raise_fd_limit(rlim_t n)
{
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur >= n)
        return;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < n)
        fail_msg("RLIMIT_NOFILE hard limit %llu is below the %llu this test needs",
                 (unsigned long long)rl.rlim_max, (unsigned long long)n);
    rl.rlim_cur = n;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

/* ---- slow loris ---- */

static void test_slow_loris(void **state)
{
    (void)state;
    raise_fd_limit(SLOW_CONNS + 256);
    static const char head[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaa";
    int fds[SLOW_CONNS];
    int open_ = 0;
    for (int i = 0; i < SLOW_CONNS; i++) {
        fds[i] = raw_connect(server.port, 2);
        if (fds[i] >= 0)
            open_++;
    }
    assert_int_equal(open_, SLOW_CONNS);
    struct prober p;
    prober_start(&p);
    size_t at = 0;
    int still_open = 0;
    for (int sec = 0; sec < SLOW_SECONDS; sec++) {
        still_open = 0;
        for (int i = 0; i < SLOW_CONNS; i++)
            if (fds[i] >= 0) {
                if (!raw_send_all(fds[i], head + (at % (sizeof head - 1)), 1)) {
                    close(fds[i]);
                    fds[i] = -1;
                } else {
                    still_open++;
                }
            }
        at++;
        pause_ms(1000);
    }
    prober_finish(&p, "slow loris");
    fprintf(stderr, "slow loris: %d of %d connections still open after %d s\n", still_open,
            SLOW_CONNS, SLOW_SECONDS);
    for (int i = 0; i < SLOW_CONNS; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    expect_normal_service();
}

/* ---- oversized headers ---- */

/* The server refused: an HTTP 4xx, or it closed the connection without answering. */
static void expect_refused(const char *what, const struct h_response *r)
{
    if (r->status != 0 && (r->status < 400 || r->status >= 500))
        fail_msg("%s: answered %ld", what, r->status);
    fprintf(stderr, "%s: %ld\n", what, r->status);
}

static void test_oversized_headers(void **state)
{
    (void)state;
    struct prober p;
    prober_start(&p);
    char *value = malloc(64 * 1024 + 1);
    assert_non_null(value);
    memset(value, 'h', 64 * 1024);
    value[64 * 1024] = '\0';
    char *head = h_strf("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: %s\r\n", value);
    struct h_response r;
    raw_exchange(server.port, head, NULL, 0, false, &r);
    expect_refused("a 64 KiB header line", &r);
    h_response_free(&r);
    free(head);
    /* many headers, each well under the limit */
    value[1024] = '\0';
    head = h_strf("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i < 200; i++) {
        char *next = h_strf("%sX-H%d: %s\r\n", head, i, value);
        free(head);
        head = next;
    }
    raw_exchange(server.port, head, NULL, 0, false, &r);
    expect_refused("200 headers of 1 KiB", &r);
    h_response_free(&r);
    free(head);
    /* a 64 KiB request target: 414 from the router, or refused earlier */
    value[1024] = 'h';
    value[60 * 1024] = '\0';
    head = h_strf("GET /v1/people/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n", value);
    raw_exchange(server.port, head, NULL, 0, false, &r);
    expect_refused("a 60 KiB request target", &r);
    h_response_free(&r);
    free(head);
    free(value);
    prober_finish(&p, "oversized headers");
    expect_normal_service();
}

/* ---- bodies over the limit ---- */

#define OVER (2 * 1024 * 1024) /* twice the default MCRED_MAX_BODY */

static void expect_413(const char *what, const struct h_response *r)
{
    if (r->status != 413)
        fail_msg("%s: answered %ld %.200s", what, r->status, r->body);
    const char *code = h_json_string(r->json, "error.code");
    if (!code || strcmp(code, "too_large") != 0)
        fail_msg("%s: 413 without the error shape: %.200s", what, r->body);
}

static void test_large_bodies(void **state)
{
    (void)state;
    long people = h_db_long_super(&db, "SELECT count(*) FROM mcred.people");
    struct prober p;
    prober_start(&p);
    char *big = malloc(OVER);
    assert_non_null(big);
    memset(big, ' ', OVER);
    big[0] = '{';
    big[OVER - 1] = '}';
    char *auth = h_strf("POST /v1/people HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Authorization: Bearer %s\r\nContent-Type: application/json\r\n",
                        admin_token);
    struct h_response r;
    /* declared, and sent */
    raw_exchange(server.port, auth, big, OVER, true, &r);
    expect_413("2 MiB with Content-Length", &r);
    h_response_free(&r);
    /* declared, never sent: refused before the body is read */
    char *head = h_strf("%sContent-Length: %d\r\n", auth, 1024 * 1024 * 1024);
    raw_exchange(server.port, head, NULL, 0, false, &r);
    expect_413("Content-Length 1 GiB with no body", &r);
    h_response_free(&r);
    free(head);
    /* chunked, in 64 KiB chunks */
    {
        int fd = raw_connect(server.port, 30);
        assert_true(fd >= 0);
        char *h = h_strf("%sTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", auth);
        bool ok = raw_send_all(fd, h, strlen(h));
        free(h);
        for (size_t sent = 0; ok && sent < OVER; sent += 65536) {
            char size[32];
            snprintf(size, sizeof size, "%x\r\n", 65536);
            ok = raw_send_all(fd, size, strlen(size)) && raw_send_all(fd, big + sent, 65536) &&
                 raw_send_all(fd, "\r\n", 2);
        }
        if (ok)
            (void)raw_send_all(fd, "0\r\n\r\n", 5);
        raw_read_response(fd, &r);
        close(fd);
        expect_413("2 MiB chunked", &r);
        h_response_free(&r);
    }
    /* a Content-Length that is not a number, or two that disagree */
    head = h_strf("%sContent-Length: 12abc\r\n", auth);
    raw_exchange(server.port, head, "{}", 2, false, &r);
    expect_refused("Content-Length 12abc", &r);
    h_response_free(&r);
    free(head);
    head = h_strf("%sContent-Length: 2\r\nContent-Length: 5000000\r\n", auth);
    raw_exchange(server.port, head, "{}", 2, false, &r);
    if (r.status != 400)
        fail_msg("two Content-Lengths: answered %ld %.200s", r.status, r.body);
    h_response_free(&r);
    free(head);
    free(auth);
    free(big);
    prober_finish(&p, "large bodies");
    /* nothing was written by any of them */
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.people"), people);
    expect_normal_service();
}

/* ---- many connections ---- */

static void test_many_connections(void **state)
{
    (void)state;
    raise_fd_limit(MANY_CONNS + 256);
    static int fds[MANY_CONNS];
    int opened = 0, failed_connect = 0;
    struct prober p;
    prober_start(&p);
    for (int i = 0; i < MANY_CONNS; i++) {
        fds[i] = raw_connect(server.port, 30);
        if (fds[i] < 0)
            failed_connect++;
        else
            opened++;
    }
    fprintf(stderr, "many connections: %d open, %d failed to connect\n", opened, failed_connect);
    /* every one asks for /healthz at once */
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Connection: close\r\n\r\n";
    for (int i = 0; i < MANY_CONNS; i++)
        if (fds[i] >= 0 && !raw_send_all(fds[i], req, sizeof req - 1)) {
            close(fds[i]);
            fds[i] = -1;
        }
    /* and every one that stayed open gets its answer */
    int answered = 0, other = 0;
    for (int i = 0; i < MANY_CONNS; i++) {
        if (fds[i] < 0)
            continue;
        struct h_response r;
        raw_read_response(fds[i], &r);
        if (r.status == 200)
            answered++;
        else
            other++;
        h_response_free(&r);
        close(fds[i]);
    }
    prober_finish(&p, "many connections");
    fprintf(stderr, "many connections: %d answered 200, %d otherwise\n", answered, other);
    assert_int_equal(failed_connect, 0);
    assert_int_equal(answered, MANY_CONNS);
    expect_normal_service();
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    /* the limits under test are the defaults */
    const char *env[] = {"MCRED_DISPATCHER=0", NULL};
    /* the server starts with the usual soft limit of 1024 descriptors, which 1,000 connections
     * and its own need exceed: it must raise its own (the test raises its own later) */
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur > 1024) {
        rl.rlim_cur = 1024;
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
    }
    h_server_start(&db, env, &server);
    admin_token = h_bootstrap(&server, "abuse", "admin@abuse.example");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    free(admin_token);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oversized_headers),
        cmocka_unit_test(test_large_bodies),
        cmocka_unit_test(test_slow_loris),
        cmocka_unit_test(test_many_connections),
    };
    return h_run_tests(tests, setup, teardown);
}
