/*
 * webhook_load.c — a benchmark of mcred's webhook dispatcher.
 *
 *   mcred-bench-webhooks API_URL TOKEN DATABASE_URL EVENTS [SECONDS]
 *
 * Runs a receiver on 127.0.0.1 (libmicrohttpd, port 0) that answers 204
 * to every POST and notes when each arrived and its webhook-id, and
 * subscribes it to every event through the API (the server must allow
 * http:// and loopback receivers: MCRED_WEBHOOK_ALLOW_HTTP=1,
 * MCRED_WEBHOOK_ALLOW_PRIVATE=1).  Then:
 *
 *   idle latency  50 test events one after another, from just before
 *                 POST /v1/webhooks/{id}/test to the delivery's arrival
 *                 (request, commit, the dispatcher's wake-up, claim and
 *                 delivery);
 *   burst         EVENTS events written in one transaction as the app
 *                 role (DATABASE_URL, under row-level security), from
 *                 just before COMMIT to the EVENTS-th arrival, or to the
 *                 last arrival when SECONDS (default 120) pass first: the
 *                 rate is then of what arrived, and D < EVENTS says so.
 *                 No request of the server's wrote them, so its
 *                 dispatcher finds them by its poll
 *                 (MCRED_DISPATCHER_POLL_MS), which the time includes.
 *
 * and prints one line:
 *   idle_p50_ms=A idle_p99_ms=B burst_events=N burst_seconds=S deliveries_per_s=R distinct=D
 *   bad_signatures=K
 * (D: distinct webhook-ids among the burst's arrivals; EVENTS when none
 * was delivered twice).  The receiver verifies every delivery's Standard
 * Webhooks signature (HMAC-SHA256 of "id.timestamp.body" under the
 * subscription's whsec_ secret, libsodium alone) before it answers 204; a
 * delivery that fails is answered 400, is not counted as arrived, and
 * counts in K, which must be 0.  An arrival is the moment its body is in
 * and verified.  Any failure or timeout: one line on stderr and a
 * non-zero exit.
 * Only loopback API URLs are accepted: benchmarks never send traffic elsewhere.
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <microhttpd.h>
#include <sodium.h>

#include "mcred/banned.h"

#define PROG             "mcred-bench-webhooks"
#define IDLE_ROUNDS      50
#define IDLE_TIMEOUT_S   5.0
#define BURST_TIMEOUT_S  120.0
#define MAX_EVENTS       1000000L
#define MAX_URL          2048
#define MAX_TOKEN        1024
#define MAX_ID           95 /* event ids are msg_ + at most 64 characters */
#define MAX_RESPONSE     (1024 * 1024)
#define RECEIVER_THREADS 4
#define HTTP_TIMEOUT_S   30L
#define RECEIVER_TIMEOUT 60U
#define MAX_BODY         65536
#define MAX_KEY          64
#define SECRET_PREFIX    "whsec_"
#define SIG_PREFIX       "v1,"

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static double now_seconds(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        die("could not read the monotonic clock");
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* http://127.0.0.1 or http://[::1], then a port, a path or nothing. */
static bool loopback_url(const char *url)
{
    static const char *const prefixes[] = {"http://127.0.0.1", "http://[::1]"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(url, prefixes[i], n) == 0 && (url[n] == '\0' || url[n] == ':' || url[n] == '/'))
            return true;
    }
    return false;
}

/* ---- the receiver ---- */

struct arrival {
    double at;
    char id[MAX_ID + 1];
};

struct receiver {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct arrival *items;
    size_t n, cap;
    bool failed; /* out of memory: the benchmark is void */
    long bad_signatures;
    unsigned char key[MAX_KEY];
    size_t key_len;
    struct MHD_Daemon *daemon;
    uint16_t port;
};

/* A delivery being received: its body so far. */
struct upload {
    size_t len;
    bool too_large;
    char buf[MAX_BODY];
};

/* Note the arrival of a request; false when it could not be noted. */
static bool receiver_note(struct receiver *rx, const char *id)
{
    if (pthread_mutex_lock(&rx->lock) != 0)
        return false;
    bool ok = !rx->failed;
    if (ok && rx->n == rx->cap) {
        size_t cap = rx->cap ? rx->cap * 2 : 4096;
        struct arrival *items = realloc(rx->items, cap * sizeof *items);
        if (items) {
            rx->items = items;
            rx->cap = cap;
        } else {
            rx->failed = true;
            ok = false;
        }
    }
    if (ok) {
        struct arrival *a = &rx->items[rx->n++];
        a->at = now_seconds(); /* under the lock, so arrivals are in order of time */
        snprintf(a->id, sizeof a->id, "%s", id ? id : "");
    }
    (void)pthread_cond_broadcast(&rx->changed);
    (void)pthread_mutex_unlock(&rx->lock);
    return ok;
}

static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* Whether HEADER ("v1,<base64> v1,<base64>…") holds the MAC of the message. */
static bool signature_ok(const struct receiver *rx, const char *id, const char *timestamp,
                         const char *header, const struct upload *body)
{
    if (!id || !timestamp || !header || rx->key_len == 0)
        return false;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    (void)crypto_auth_hmacsha256_init(&st, rx->key, rx->key_len);
    (void)crypto_auth_hmacsha256_update(&st, (const unsigned char *)id, strlen(id));
    (void)crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    (void)crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp, strlen(timestamp));
    (void)crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    (void)crypto_auth_hmacsha256_update(&st, (const unsigned char *)body->buf, body->len);
    (void)crypto_auth_hmacsha256_final(&st, mac);
    bool ok = false;
    const char *p = header;
    while (*p && !ok) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, " ");
        size_t plen = strlen(SIG_PREFIX);
        unsigned char given[crypto_auth_hmacsha256_BYTES];
        size_t given_len = 0;
        if (len > plen && strncmp(p, SIG_PREFIX, plen) == 0 &&
            sodium_base642bin(given, sizeof given, p + plen, len - plen, NULL, &given_len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) == 0 &&
            given_len == sizeof given && sodium_memcmp(given, mac, sizeof mac) == 0)
            ok = true;
        p += len;
    }
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    free(*req_cls);
    *req_cls = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    struct receiver *rx = cls;
    (void)url;
    (void)version;
    if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
        return answer(conn, MHD_HTTP_METHOD_NOT_ALLOWED);
    struct upload *up = *req_cls;
    if (!up) {
        if (!(up = malloc(sizeof *up)))
            return MHD_NO;
        up->len = 0;
        up->too_large = false;
        *req_cls = up;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (*upload_data_size > sizeof up->buf - up->len)
            up->too_large = true;
        else {
            memcpy(up->buf + up->len, upload_data, *upload_data_size);
            up->len += *upload_data_size;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    const char *id = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "webhook-id");
    if (up->too_large ||
        !signature_ok(
            rx, id, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "webhook-timestamp"),
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "webhook-signature"), up)) {
        if (pthread_mutex_lock(&rx->lock) == 0) {
            rx->bad_signatures++;
            (void)pthread_mutex_unlock(&rx->lock);
        }
        return answer(conn, MHD_HTTP_BAD_REQUEST);
    }
    if (!receiver_note(rx, id))
        return MHD_NO;
    return answer(conn, MHD_HTTP_NO_CONTENT);
}

/* The subscription's secret, "whsec_<base64>", as key bytes. */
static void receiver_set_secret(struct receiver *rx, const char *secret)
{
    size_t plen = strlen(SECRET_PREFIX);
    if (strncmp(secret, SECRET_PREFIX, plen) != 0 ||
        sodium_base642bin(rx->key, sizeof rx->key, secret + plen, strlen(secret + plen), NULL,
                          &rx->key_len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        rx->key_len == 0)
        die("the webhook's secret is not whsec_<base64>");
}

static void receiver_start(struct receiver *rx)
{
    memset(rx, 0, sizeof *rx);
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0 ||
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&rx->changed, &attr) != 0 || pthread_mutex_init(&rx->lock, NULL) != 0)
        die("could not set up the receiver's lock");
    (void)pthread_condattr_destroy(&attr);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rx->daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD, 0, NULL, NULL, on_request, rx,
                                  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                  MHD_OPTION_THREAD_POOL_SIZE, (unsigned)RECEIVER_THREADS,
                                  MHD_OPTION_CONNECTION_TIMEOUT, RECEIVER_TIMEOUT,
                                  MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!rx->daemon)
        die("could not start the receiver on 127.0.0.1");
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(rx->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (!info || info->port == 0)
        die("could not learn the receiver's port");
    rx->port = info->port;
}

static void receiver_stop(struct receiver *rx)
{
    MHD_stop_daemon(rx->daemon);
    free(rx->items);
    (void)pthread_cond_destroy(&rx->changed);
    (void)pthread_mutex_destroy(&rx->lock);
}

static void receiver_lock(struct receiver *rx)
{
    if (pthread_mutex_lock(&rx->lock) != 0)
        die("could not lock the receiver");
}

static void receiver_unlock(struct receiver *rx)
{
    if (pthread_mutex_unlock(&rx->lock) != 0)
        die("could not unlock the receiver");
}

static size_t receiver_count(struct receiver *rx)
{
    receiver_lock(rx);
    size_t n = rx->n;
    receiver_unlock(rx);
    return n;
}

/* With the lock held: wait for a change until DEADLINE; false once it has passed. */
static bool receiver_wait_locked(struct receiver *rx, double deadline)
{
    if (rx->failed) {
        receiver_unlock(rx);
        die("the receiver ran out of memory");
    }
    if (now_seconds() >= deadline)
        return false;
    struct timespec ts;
    ts.tv_sec = (time_t)deadline;
    ts.tv_nsec = (long)((deadline - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L)
        ts.tv_nsec = 999999999L;
    int rc = pthread_cond_timedwait(&rx->changed, &rx->lock, &ts);
    if (rc != 0 && rc != ETIMEDOUT) {
        receiver_unlock(rx);
        die("could not wait for the receiver: %s", strerror(rc));
    }
    return true;
}

/* The arrival time of the first request since index FROM with webhook-id ID; false on timeout. */
static bool receiver_wait_id(struct receiver *rx, size_t from, const char *id, double deadline,
                             double *at)
{
    receiver_lock(rx);
    for (;;) {
        for (size_t i = from; i < rx->n; i++) {
            if (strcmp(rx->items[i].id, id) == 0) {
                *at = rx->items[i].at;
                receiver_unlock(rx);
                return true;
            }
        }
        from = rx->n;
        if (!receiver_wait_locked(rx, deadline))
            break;
    }
    receiver_unlock(rx);
    return false;
}

/* Wait until COUNT requests have arrived; false on timeout. */
static bool receiver_wait_count(struct receiver *rx, size_t count, double deadline)
{
    receiver_lock(rx);
    bool ok = true;
    while (rx->n < count && ok)
        ok = receiver_wait_locked(rx, deadline) || rx->n >= count;
    receiver_unlock(rx);
    return ok;
}

/* ---- the API ---- */

struct response {
    char *buf;
    size_t len, cap;
};

static size_t response_append(char *p, size_t size, size_t n, void *arg)
{
    struct response *r = arg;
    size_t len = size * n;
    if (len > MAX_RESPONSE - r->len)
        return 0; /* too large: the transfer fails */
    if (r->len + len + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (r->len + len + 1 > cap)
            cap *= 2;
        char *buf = realloc(r->buf, cap);
        if (!buf)
            return 0;
        r->buf = buf;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, p, len);
    r->len += len;
    r->buf[r->len] = '\0';
    return len;
}

struct api {
    CURL *curl;
    struct curl_slist *headers;
    char base[MAX_URL];
};

static void api_init(struct api *api, const char *base, const char *token)
{
    memset(api, 0, sizeof *api);
    int n = snprintf(api->base, sizeof api->base, "%s", base);
    if (n < 0 || (size_t)n >= sizeof api->base)
        die("API_URL is too long");
    while (n > 0 && api->base[n - 1] == '/')
        api->base[--n] = '\0';
    char auth[MAX_TOKEN + 32];
    n = snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    if (n < 0 || (size_t)n >= sizeof auth)
        die("TOKEN is too long");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        die("could not initialise libcurl");
    api->curl = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    api->headers = h;
    if (h) {
        h = curl_slist_append(h, auth);
        if (h)
            api->headers = h;
    }
    if (!api->curl || !h)
        die("out of memory");
}

static void api_cleanup(struct api *api)
{
    curl_easy_cleanup(api->curl);
    curl_slist_free_all(api->headers);
    curl_global_cleanup();
}

/*
 * METHOD API_URL+PATH with BODY (NULL: none), on the one kept-alive
 * connection; dies unless the answer is EXPECT with a JSON object, which it
 * returns.
 */
static cJSON *api_call(struct api *api, const char *method, const char *path, const char *body,
                       long expect)
{
    char url[MAX_URL + 256];
    int n = snprintf(url, sizeof url, "%s%s", api->base, path);
    if (n < 0 || (size_t)n >= sizeof url)
        die("URL too long for %s", path);
    struct response resp = {0};
    CURL *c = api->curl;
    curl_easy_reset(c);
    CURLcode rc = curl_easy_setopt(c, CURLOPT_URL, url);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_HTTPHEADER, api->headers);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, response_append);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_TIMEOUT, HTTP_TIMEOUT_S);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (rc == CURLE_OK && strcmp(method, "GET") == 0)
        rc = curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    else if (rc == CURLE_OK) {
        rc = curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
        if (rc == CURLE_OK)
            rc = curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
    }
    if (rc != CURLE_OK)
        die("could not set up %s %s: %s", method, path, curl_easy_strerror(rc));
    rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        die("%s %s: %s", method, path, curl_easy_strerror(rc));
    long status = 0;
    rc = curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK)
        die("%s %s: %s", method, path, curl_easy_strerror(rc));
    if (status != expect)
        die("%s %s answered %ld, not %ld: %.200s", method, path, status, expect,
            resp.buf ? resp.buf : "");
    cJSON *json = resp.buf ? cJSON_ParseWithLength(resp.buf, resp.len) : NULL;
    free(resp.buf);
    if (!cJSON_IsObject(json))
        die("%s %s: the answer is not a JSON object", method, path);
    return json;
}

/* OBJ's string member at PATH (names separated by '.'), copied into OUT; dies if absent. */
static void json_string(const cJSON *obj, const char *what, const char *const *path, char *out,
                        size_t size)
{
    const cJSON *item = obj;
    for (; *path; path++)
        item = cJSON_GetObjectItemCaseSensitive(item, *path);
    const char *s = cJSON_GetStringValue(item);
    if (!s || !*s || strlen(s) >= size)
        die("the answer has no %s", what);
    snprintf(out, size, "%s", s);
}

/* A UUID's characters only, so that it goes into a path unescaped. */
static bool uuid_shaped(const char *s)
{
    size_t n = strlen(s);
    return n == 36 && strspn(s, "0123456789abcdefABCDEF-") == n;
}

/* ---- the benchmark ---- */

static void idle_latency(struct api *api, struct receiver *rx, const char *webhook, double *p50,
                         double *p99)
{
    double latency[IDLE_ROUNDS];
    char path[128];
    snprintf(path, sizeof path, "/v1/webhooks/%s/test", webhook);
    for (int i = 0; i < IDLE_ROUNDS; i++) {
        size_t from = receiver_count(rx);
        double t0 = now_seconds();
        cJSON *delivery = api_call(api, "POST", path, NULL, 202);
        char event[MAX_ID + 1];
        json_string(delivery, "event_id", (const char *const[]){"event_id", NULL}, event,
                    sizeof event);
        cJSON_Delete(delivery);
        double at;
        if (!receiver_wait_id(rx, from, event, t0 + IDLE_TIMEOUT_S, &at))
            die("test event %s was not delivered within %.0f s", event, IDLE_TIMEOUT_S);
        latency[i] = at - t0;
    }
    qsort(latency, IDLE_ROUNDS, sizeof *latency, cmp_double);
    *p50 = latency[IDLE_ROUNDS / 2] * 1000.0;
    *p99 = latency[(IDLE_ROUNDS * 99) / 100] * 1000.0;
}

static void sql(PGconn *pg, const char *what, const char *query, int nparams,
                const char *const *params, ExecStatusType expect, const char *rows)
{
    PGresult *res = PQexecParams(pg, query, nparams, NULL, params, NULL, NULL, 0);
    if (!res)
        die("%s: %s", what, PQerrorMessage(pg));
    if (PQresultStatus(res) != expect) {
        const char *msg = PQresultErrorMessage(res);
        die("%s: %.*s", what, (int)strcspn(msg, "\n"), msg);
    }
    if (rows && strcmp(PQcmdTuples(res), rows) != 0)
        die("%s: %s rows, not %s", what, PQcmdTuples(res), rows);
    PQclear(res);
}

/* Write EVENTS events for ORG in one transaction; the time just before COMMIT. */
static double burst_write(const char *conninfo, const char *org, long events)
{
    char count[32];
    snprintf(count, sizeof count, "%ld", events);
    PGconn *pg = PQconnectdb(conninfo);
    if (!pg)
        die("out of memory");
    if (PQstatus(pg) != CONNECTION_OK) {
        const char *msg = PQerrorMessage(pg);
        die("could not connect to the database: %.*s", (int)strcspn(msg, "\n"), msg);
    }
    sql(pg, "BEGIN", "BEGIN", 0, NULL, PGRES_COMMAND_OK, NULL);
    sql(pg, "setting the organisation", "SELECT set_config('mcred.org_id', $1, true)", 1,
        (const char *const[]){org}, PGRES_TUPLES_OK, NULL);
    sql(pg, "writing the events",
        "INSERT INTO mcred.events (org_id, type, payload)"
        " SELECT $1::uuid, 'score.recorded', jsonb_build_object('n', g)"
        " FROM generate_series(1, $2::integer) g",
        2, (const char *const[]){org, count}, PGRES_COMMAND_OK, count);
    double t0 = now_seconds();
    sql(pg, "COMMIT", "COMMIT", 0, NULL, PGRES_COMMAND_OK, NULL);
    PQfinish(pg);
    return t0;
}

/* Distinct non-empty webhook-ids among arrivals [FROM, FROM + N). */
static size_t distinct_ids(struct receiver *rx, size_t from, size_t n)
{
    const char **ids = calloc(n, sizeof *ids);
    if (!ids)
        die("out of memory");
    /* held throughout: a late arrival may move the items */
    receiver_lock(rx);
    for (size_t i = 0; i < n; i++)
        ids[i] = rx->items[from + i].id;
    qsort(ids, n, sizeof *ids, cmp_string);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (*ids[i] && (i == 0 || strcmp(ids[i], ids[i - 1]) != 0))
            distinct++;
    receiver_unlock(rx);
    free(ids);
    return distinct;
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: " PROG " API_URL TOKEN DATABASE_URL EVENTS [SECONDS]\n");
        return 2;
    }
    const char *api_url = argv[1], *token = argv[2], *conninfo = argv[3];
    char *end = NULL;
    errno = 0;
    long events = strtol(argv[4], &end, 10);
    double timeout = argc == 6 ? strtod(argv[5], NULL) : BURST_TIMEOUT_S;
    if (!loopback_url(api_url) || !*token || strlen(token) > MAX_TOKEN || strpbrk(token, "\r\n") ||
        errno != 0 || end == argv[4] || *end || events < 1 || events > MAX_EVENTS ||
        !(timeout >= 1) || timeout > 3600) {
        fprintf(stderr,
                PROG ": need an http://127.0.0.1 or http://[::1] API URL, a token and "
                     "1..%ld events\n",
                MAX_EVENTS);
        return 2;
    }

    if (sodium_init() < 0)
        die("could not initialise libsodium");
    struct receiver rx;
    receiver_start(&rx);
    struct api api;
    api_init(&api, api_url, token);

    cJSON *me = api_call(&api, "GET", "/v1/me", NULL, 200);
    char org[64];
    json_string(me, "org.id", (const char *const[]){"org", "id", NULL}, org, sizeof org);
    cJSON_Delete(me);
    if (!uuid_shaped(org))
        die("GET /v1/me: org.id is not a UUID");

    char body[128];
    snprintf(body, sizeof body, "{\"url\": \"http://127.0.0.1:%u/bench\", \"events\": [\"*\"]}",
             (unsigned)rx.port);
    cJSON *hook = api_call(&api, "POST", "/v1/webhooks", body, 201);
    char webhook[64];
    json_string(hook, "id", (const char *const[]){"id", NULL}, webhook, sizeof webhook);
    char secret[128];
    json_string(hook, "secret", (const char *const[]){"secret", NULL}, secret, sizeof secret);
    receiver_lock(&rx);
    receiver_set_secret(&rx, secret);
    receiver_unlock(&rx);
    sodium_memzero(secret, sizeof secret);
    cJSON_Delete(hook);
    if (!uuid_shaped(webhook))
        die("POST /v1/webhooks: id is not a UUID");

    double p50, p99;
    idle_latency(&api, &rx, webhook, &p50, &p99);

    size_t from = receiver_count(&rx);
    double t0 = burst_write(conninfo, org, events);
    (void)receiver_wait_count(&rx, from + (size_t)events, t0 + timeout);
    receiver_lock(&rx);
    size_t arrived = rx.n - from;
    if (arrived > (size_t)events)
        arrived = (size_t)events;
    double last = arrived ? rx.items[from + arrived - 1].at : now_seconds();
    receiver_unlock(&rx);
    if (arrived < (size_t)events)
        fprintf(stderr, PROG ": %zu of %ld deliveries arrived within %.0f s\n", arrived, events,
                timeout);
    size_t distinct = arrived ? distinct_ids(&rx, from, arrived) : 0;
    double seconds = last - t0;
    if (seconds <= 0)
        die("the burst took no time: the clock is unusable");

    receiver_lock(&rx);
    long bad = rx.bad_signatures;
    receiver_unlock(&rx);
    printf("idle_p50_ms=%.3f idle_p99_ms=%.3f burst_events=%ld burst_seconds=%.3f "
           "deliveries_per_s=%.1f distinct=%zu bad_signatures=%ld\n",
           p50, p99, events, seconds, (double)arrived / seconds, distinct, bad);
    api_cleanup(&api);
    receiver_stop(&rx);
    if (fflush(stdout) != 0)
        die("could not write the result");
    return 0;
}
