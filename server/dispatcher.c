/*
 * dispatcher.c — see dispatcher.h.
 *
 * One thread owns everything here: its database connection, the curl
 * multi handle and the slots of the transfers in flight, so nothing
 * but `stopping` (and the multi handle's wakeup) is shared with other
 * threads.  Database work happens in short transactions between
 * transfers, never while one waits on a receiver.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "db.h"
#include "delivery_policy.h"
#include "dispatcher.h"
#include "journal.h"
#include "log.h"
#include "mcred/buf.h"
#include "mcred/version.h"
#include "metrics.h"
#include "server.h"
#include "webhook_sign.h"
#include "webhook_url.h"
#include "webhooks.h"

#include "mcred/banned.h"

#define UUID_TEXT       37
#define FANOUT_BATCH    "200"
#define FANOUT_BATCH_N  200
#define RESPONSE_CAP    4096 /* bytes of an answer read before we hang up */
#define EXCERPT_MAX     200  /* of those, kept for the attempt's error text */
#define ERROR_TEXT_MAX  500  /* deliveries.error is at most 512 characters */
#define RETRY_DB_MS     1000 /* after the database failed us */
#define SIGNATURES_TEXT (2 * WEBHOOK_SIGNATURE_TEXT + 2)
#define USER_AGENT      "mcred-webhooks/" MC_VERSION
#define CLAIM_MARGIN_S  5
#define STOP_POLL_MS    100

struct dispatcher;

/* One attempt in flight: what it was claimed as, and what came back. */
struct transfer {
    struct dispatcher *d;
    CURL *easy;
    struct curl_slist *headers;
    char *body;
    char org_id[UUID_TEXT];
    char id[UUID_TEXT];
    char claim[UUID_TEXT];
    char webhook_id[UUID_TEXT];
    unsigned failures;   /* before this attempt */
    long long started;   /* monotonic ms */
    double started_unix; /* for the attempt log */
    size_t received;
    bool capped;  /* the answer was longer than RESPONSE_CAP */
    bool refused; /* the address was refused as the socket opened */
    char excerpt[EXCERPT_MAX + 1];
    char curl_error[CURL_ERROR_SIZE];
};

struct dispatcher {
    struct server *s;
    pthread_t thread;
    atomic_bool stopping;
    atomic_uint grace_ms;
    CURLM *multi;
    struct db_conn *db;
    int listening_pid; /* backend whose session LISTENs; 0 when none */
    struct transfer **slots;
    unsigned nslots;
    unsigned in_flight;
    bool notified;   /* an event or a retry by hand committed: fan out and claim */
    bool slot_freed; /* a transfer finished: claim */
    bool db_failing; /* to log a failing database once, not every pass */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double now_unix(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void db_trouble(struct dispatcher *d, const char *what, const struct mc_error *err)
{
    if (d->db_failing)
        return;
    d->db_failing = true;
    log_message("warn", "dispatcher: database error; retrying", "during", what, "error",
                err->detail[0] ? err->detail : mc_error_message(err), NULL);
}

static void db_recovered(struct dispatcher *d)
{
    if (!d->db_failing)
        return;
    d->db_failing = false;
    log_message("info", "dispatcher: database work succeeds again", NULL);
}

/* ---- the database connection and its LISTEN ---- */

static enum mc_err listen_ensure(struct dispatcher *d, struct mc_error *err)
{
    struct db_conn *c = d->db;
    if (c->pg && !c->broken && PQstatus(c->pg) == CONNECTION_OK &&
        PQbackendPID(c->pg) == d->listening_pid)
        return MC_OK;
    d->listening_pid = 0;
    enum mc_err rc = MC_OK;
    if (!c->pg || c->broken || PQstatus(c->pg) != CONNECTION_OK)
        rc = db_conn_reopen(c, err);
    if (rc == MC_OK)
        rc = db_exec_simple(c, "LISTEN " DISPATCHER_CHANNEL, err);
    if (rc != MC_OK)
        return rc;
    d->listening_pid = PQbackendPID(c->pg);
    d->notified = true; /* notifications may have been missed meanwhile */
    return MC_OK;
}

static void notifications_drain(struct dispatcher *d)
{
    PGconn *pg = d->db->pg;
    if (!pg || d->db->broken)
        return;
    if (!PQconsumeInput(pg)) {
        d->db->broken = true;
        return;
    }
    PGnotify *n;
    while ((n = PQnotifies(pg)) != NULL) {
        d->notified = true;
        PQfreemem(n);
    }
}

/* ---- fan-out: outbox events to delivery rows ---- */

DB_STMT(db_dispatch_fanout,
        "WITH ev AS ("
        "  SELECT org_id, id, type FROM mcred.events WHERE dispatched_at IS NULL"
        "  ORDER BY seq LIMIT $1::integer FOR UPDATE SKIP LOCKED),"
        " fan AS ("
        "  INSERT INTO mcred.deliveries (org_id, webhook_id, event_id, event_type)"
        "  SELECT ev.org_id, w.id, ev.id, ev.type"
        "    FROM ev JOIN mcred.webhooks w ON w.org_id = ev.org_id"
        "   WHERE w.active AND ev.type <> 'webhook.test'"
        "     AND (ev.type = ANY (w.events) OR '*' = ANY (w.events))"
        "  ON CONFLICT DO NOTHING RETURNING 1),"
        " done AS ("
        "  UPDATE mcred.events e SET dispatched_at = now() FROM ev"
        "   WHERE e.org_id = ev.org_id AND e.id = ev.id RETURNING 1)"
        " SELECT (SELECT count(*) FROM done) AS events, (SELECT count(*) FROM fan) AS deliveries");

static enum mc_err fanout_tx(struct db_conn *c, void *ctx, struct mc_error *err)
{
    long *events = ctx;
    const char *params[] = {FANOUT_BATCH};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(c, &db_dispatch_fanout, 1, params, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    *events = strtol(db_get(res, 0, "events"), NULL, 10);
    PQclear(res);
    return MC_OK;
}

static enum mc_err fanout(struct dispatcher *d, struct mc_error *err)
{
    long events;
    do {
        events = 0;
        enum mc_err rc = db_transaction(d->db, NULL, true, fanout_tx, &events, err);
        if (rc != MC_OK)
            return rc;
    } while (events == FANOUT_BATCH_N && !atomic_load(&d->stopping));
    return MC_OK;
}

/* ---- claims ---- */

/*
 * Due deliveries, oldest first, at most $1 in all and never more than $4
 * in flight to one subscription in this process ($2/$3: subscriptions
 * with attempts in flight here, and how many).  Each active subscription
 * is asked for its own oldest few through deliveries_due_by_webhook, so a
 * pass costs one index probe per subscription however long a queue has
 * grown (one global scan took 5 ms at 5,000 due deliveries — measured
 * with EXPLAIN ANALYZE).  Each claimed row is due again only when its
 * claim ($5 seconds) runs out.
 */
DB_STMT(
    db_dispatch_claim,
    "WITH busy AS ("
    "  SELECT * FROM unnest($2::uuid[], $3::integer[]) AS b (webhook_id, n)),"
    " pick AS ("
    "  SELECT q.org_id, q.id FROM mcred.webhooks w"
    "    LEFT JOIN busy b ON b.webhook_id = w.id"
    "    CROSS JOIN LATERAL ("
    "      SELECT d.org_id, d.id, d.next_attempt_at FROM mcred.deliveries d"
    "       WHERE d.org_id = w.org_id AND d.webhook_id = w.id"
    "         AND d.status IN ('pending', 'failed') AND d.next_attempt_at <= now()"
    "       ORDER BY d.next_attempt_at"
    "       LIMIT greatest($4::integer - coalesce(b.n, 0), 0)"
    "       FOR UPDATE SKIP LOCKED) q"
    "   WHERE w.active"
    "   ORDER BY q.next_attempt_at LIMIT $1::integer)"
    " UPDATE mcred.deliveries d"
    "    SET next_attempt_at = now() + make_interval(secs => $5::integer),"
    "        claim = gen_random_uuid(), updated_at = now()"
    "   FROM pick, mcred.webhooks w, mcred.events e"
    "  WHERE d.org_id = pick.org_id AND d.id = pick.id"
    "    AND w.org_id = d.org_id AND w.id = d.webhook_id"
    "    AND e.org_id = d.org_id AND e.id = d.event_id"
    " RETURNING d.org_id, d.id, d.claim, d.webhook_id, d.event_id, d.failures, w.url,"
    "   w.secret_box, CASE WHEN w.previous_until > now() THEN w.previous_box END AS previous_box,"
    "   json_build_object('type', e.type, 'timestamp', mcred.rfc3339(e.created_at),"
    "                     'data', e.payload)::text AS body");

/* Milliseconds until the next delivery falls due (none: no row). */
DB_STMT(db_dispatch_next_due,
        "SELECT greatest(0, ceil(extract(epoch FROM d.next_attempt_at - now()) * 1000))::bigint"
        "       AS ms"
        "  FROM mcred.deliveries d"
        "  JOIN mcred.webhooks w ON w.org_id = d.org_id AND w.id = d.webhook_id"
        " WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at > now() AND w.active"
        " ORDER BY d.next_attempt_at LIMIT 1");

struct claim_ctx {
    const char *const *params;
    PGresult *claimed;
    PGresult *next_due;
};

static enum mc_err claim_tx(struct db_conn *c, void *ctx, struct mc_error *err)
{
    struct claim_ctx *cc = ctx;
    PQclear(cc->claimed);
    PQclear(cc->next_due);
    cc->claimed = cc->next_due = NULL;
    struct db_batch batch[] = {
        {.stmt = &db_dispatch_claim,
         .nparams = 5,
         .params = cc->params,
         .expect = PGRES_TUPLES_OK,
         .out = &cc->claimed},
        {.stmt = &db_dispatch_next_due, .expect = PGRES_TUPLES_OK, .out = &cc->next_due},
    };
    return db_exec_batch(c, batch, 2, err);
}

/* "{id,id}" and "{n,n}": the subscriptions with attempts in flight here, and how many. */
static enum mc_err busy_arrays(const struct dispatcher *d, struct mc_buf *ids,
                               struct mc_buf *counts)
{
    enum mc_err rc = mc_buf_appendc(ids, '{');
    if (rc == MC_OK)
        rc = mc_buf_appendc(counts, '{');
    bool first = true;
    for (unsigned i = 0; rc == MC_OK && i < d->nslots; i++) {
        const struct transfer *t = d->slots[i];
        if (!t)
            continue;
        bool seen = false;
        for (unsigned j = 0; j < i && !seen; j++)
            seen = d->slots[j] && strcmp(d->slots[j]->webhook_id, t->webhook_id) == 0;
        if (seen)
            continue;
        unsigned n = 0;
        for (unsigned j = i; j < d->nslots; j++)
            n += d->slots[j] && strcmp(d->slots[j]->webhook_id, t->webhook_id) == 0;
        rc = mc_buf_appendf(ids, "%s%s", first ? "" : ",", t->webhook_id);
        if (rc == MC_OK)
            rc = mc_buf_appendf(counts, "%s%u", first ? "" : ",", n);
        first = false;
    }
    if (rc == MC_OK)
        rc = mc_buf_appendc(ids, '}');
    if (rc == MC_OK)
        rc = mc_buf_appendc(counts, '}');
    return rc;
}

/* ---- recording an attempt ---- */

struct attempt {
    const struct transfer *t;
    const char *status; /* succeeded, failed or dead */
    unsigned failures;  /* after this attempt */
    long long delay_ms; /* until the next one; -1: none */
    long http_status;   /* 0: no answer */
    long latency_ms;
    bool gone;
    char error[ERROR_TEXT_MAX + 1];
};

DB_STMT(db_dispatch_record,
        "WITH d AS ("
        "  UPDATE mcred.deliveries SET status = $4, attempts = attempts + 1,"
        "         failures = $5::integer,"
        "         next_attempt_at = CASE WHEN $6::bigint IS NULL THEN NULL"
        "                           ELSE now() + make_interval(secs => $6::bigint / 1000.0) END,"
        "         claim = NULL, last_attempt_at = to_timestamp($7::double precision),"
        "         response_status = $8::integer, latency_ms = $9::integer, error = $10,"
        "         updated_at = now()"
        "   WHERE org_id = $1::uuid AND id = $2::uuid AND claim = $3::uuid"
        "  RETURNING org_id, id, attempts)"
        " INSERT INTO mcred.delivery_attempts"
        "   (org_id, delivery_id, attempt, at, response_status, latency_ms, error)"
        " SELECT org_id, id, attempts, to_timestamp($7::double precision), $8::integer,"
        "        $9::integer, $10 FROM d"
        " RETURNING attempt");

DB_STMT(db_dispatch_disable, "UPDATE mcred.webhooks SET active = false, updated_at = now()"
                             " WHERE org_id = $1::uuid AND id = $2::uuid AND active RETURNING url");

/* 410 Gone: the receiver asks us to stop; switch the subscription off, on the record. */
static enum mc_err disable_webhook(struct db_conn *c, const struct transfer *t,
                                   struct mc_error *err)
{
    const char *params[] = {t->org_id, t->webhook_id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(c, &db_dispatch_disable, 2, params, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    bool changed = PQntuples(res) == 1;
    PQclear(res);
    if (!changed)
        return MC_OK;
    cJSON *after = cJSON_CreateObject();
    if (!after || !cJSON_AddBoolToObject(after, "active", false) ||
        !cJSON_AddStringToObject(after, "reason", "the receiver answered 410 Gone") ||
        !cJSON_AddStringToObject(after, "delivery", t->id)) {
        cJSON_Delete(after);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    const struct actor server = {.label = "dispatcher"};
    rc = journal_write(c, t->org_id, &server, "webhook.disable", "webhook", t->webhook_id, NULL,
                       after, NULL, NULL, NULL, err);
    cJSON_Delete(after);
    if (rc == MC_OK)
        log_message("warn", "webhook switched off: the receiver answered 410 Gone", "webhook",
                    t->webhook_id, "org", t->org_id, NULL);
    return rc;
}

static enum mc_err record_tx(struct db_conn *c, void *ctx, struct mc_error *err)
{
    struct attempt *a = ctx;
    const struct transfer *t = a->t;
    char failures[16], delay[24], started[32], http[16], latency[16];
    snprintf(failures, sizeof failures, "%u", a->failures);
    snprintf(delay, sizeof delay, "%lld", a->delay_ms);
    snprintf(started, sizeof started, "%.6f", t->started_unix);
    snprintf(http, sizeof http, "%ld", a->http_status);
    snprintf(latency, sizeof latency, "%ld", a->latency_ms);
    const char *params[] = {t->org_id, t->id,
                            t->claim,  a->status,
                            failures,  a->delay_ms >= 0 ? delay : NULL,
                            started,   a->http_status > 0 ? http : NULL,
                            latency,   a->error[0] ? a->error : NULL};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(c, &db_dispatch_record, 10, params, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    bool ours = PQntuples(res) == 1; /* else the claim ran out and another process took it */
    PQclear(res);
    if (ours && a->gone)
        rc = disable_webhook(c, t, err);
    return rc;
}

/* Printable ASCII only: an answer's bytes may be anything, and the log is text. */
static void excerpt_clean(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            *s = ' ';
}

static void attempt_judge(struct dispatcher *d, const struct transfer *t, CURLcode result,
                          struct attempt *a)
{
    long http = 0;
    if (curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &http) != CURLE_OK)
        http = 0;
    *a = (struct attempt){.t = t, .http_status = http, .delay_ms = -1};
    long long latency = now_ms() - t->started;
    a->latency_ms = latency < 0 ? 0 : (long)latency;
    enum delivery_outcome outcome = delivery_classify(http, result == CURLE_OK, t->capped);
    if (outcome == DELIVERY_SUCCEEDED) {
        a->status = "succeeded";
        a->failures = t->failures;
        return;
    }
    char excerpt[EXCERPT_MAX + 1];
    snprintf(excerpt, sizeof excerpt, "%s", t->excerpt);
    excerpt_clean(excerpt);
    if (t->refused)
        snprintf(a->error, sizeof a->error,
                 "refused: the receiver's address is loopback, private or reserved "
                 "(MCRED_WEBHOOK_ALLOW_PRIVATE=0)");
    else if (http > 0 && (result == CURLE_OK || t->capped))
        snprintf(a->error, sizeof a->error, "HTTP %ld%s%s", http, excerpt[0] ? ": " : "", excerpt);
    else
        snprintf(a->error, sizeof a->error, "%s",
                 t->curl_error[0] ? t->curl_error : curl_easy_strerror(result));
    excerpt_clean(a->error);
    a->failures = t->failures + 1;
    if (outcome == DELIVERY_GONE) {
        a->gone = true;
        a->status = "dead";
        return;
    }
    a->delay_ms = retry_delay_ms(&d->s->cfg.retry_schedule, a->failures, randombytes_random());
    a->status = a->delay_ms < 0 ? "dead" : "failed";
}

static void attempt_record(struct dispatcher *d, struct attempt *a)
{
    struct mc_error err;
    mc_error_clear(&err);
    const struct transfer *t = a->t;
    enum metrics_delivery outcome = strcmp(a->status, "succeeded") == 0 ? METRICS_DELIVERY_SUCCEEDED
                                    : strcmp(a->status, "dead") == 0    ? METRICS_DELIVERY_DEAD
                                                                        : METRICS_DELIVERY_FAILED;
    metrics_delivery(d->s->metrics, outcome);
    if (outcome != METRICS_DELIVERY_SUCCEEDED) {
        char http[16];
        snprintf(http, sizeof http, "%ld", a->http_status);
        log_message(outcome == METRICS_DELIVERY_DEAD ? "warn" : "info",
                    outcome == METRICS_DELIVERY_DEAD ? "webhook delivery dead"
                                                     : "webhook delivery failed; will retry",
                    "delivery", t->id, "webhook", t->webhook_id, "org", t->org_id, "status", http,
                    "error", a->error, NULL);
    }
    /* a lost result is not lost work: the claim runs out and the delivery is attempted again */
    if (db_transaction(d->db, t->org_id, false, record_tx, a, &err) != MC_OK)
        db_trouble(d, "recording an attempt", &err);
}

/* ---- transfers ---- */

static size_t transfer_write(char *data, size_t size, size_t nmemb, void *user)
{
    struct transfer *t = user;
    size_t n = size * nmemb;
    size_t kept = strlen(t->excerpt);
    if (kept < EXCERPT_MAX) {
        size_t take = n < EXCERPT_MAX - kept ? n : EXCERPT_MAX - kept;
        memcpy(t->excerpt + kept, data, take);
        t->excerpt[kept + take] = '\0';
    }
    if (n > RESPONSE_CAP - t->received) {
        t->capped = true;
        return 0; /* enough: curl ends the transfer */
    }
    t->received += n;
    return n;
}

/* Where the socket is about to connect: refuse addresses inside the operator's network. */
static curl_socket_t transfer_open_socket(void *user, curlsocktype purpose,
                                          struct curl_sockaddr *address)
{
    struct transfer *t = user;
    (void)purpose;
    if (!t->d->s->cfg.webhook_allow_private && webhook_address_private(&address->addr)) {
        t->refused = true;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

static void transfer_free(struct transfer *t)
{
    if (!t)
        return;
    if (t->easy) {
        if (t->d && t->d->multi)
            (void)curl_multi_remove_handle(t->d->multi, t->easy);
        curl_easy_cleanup(t->easy);
    }
    curl_slist_free_all(t->headers);
    free(t->body);
    free(t);
}

/* "v1,… v1,…": the current secret's signature, and the previous one's during a rotation. */
static enum mc_err transfer_sign(struct dispatcher *d, const PGresult *res, int row,
                                 const char *event_id, long long timestamp, const char *body,
                                 char out[SIGNATURES_TEXT])
{
    const char *boxes[] = {db_get(res, row, "secret_box"), db_get(res, row, "previous_box")};
    unsigned char key[WEBHOOK_SECRET_BYTES];
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < 2; i++) {
        if (!boxes[i])
            continue;
        char sig[WEBHOOK_SIGNATURE_TEXT];
        enum mc_err rc = webhook_secret_open(d->s->webhook_key, boxes[i], key);
        if (rc == MC_OK)
            rc = webhook_sign(key, sizeof key, event_id, timestamp, body, strlen(body), sig);
        sodium_memzero(key, sizeof key);
        if (rc != MC_OK && i == 0)
            return rc;
        if (rc != MC_OK) /* a previous secret from before a master key change: the new one signs */
            continue;
        used += (size_t)snprintf(out + used, SIGNATURES_TEXT - used, "%s%s", used ? " " : "", sig);
    }
    return out[0] ? MC_OK : MC_ERR_INTERNAL;
}

static enum mc_err transfer_headers(struct transfer *t, const char *event_id, long long timestamp,
                                    const char *signatures)
{
    char line[WEBHOOK_SIGNATURE_TEXT * 2 + 128];
    const char *fixed[] = {"content-type: application/json", "user-agent: " USER_AGENT,
                           "Expect:" /* no 100-continue round trip */};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        struct curl_slist *l = curl_slist_append(t->headers, fixed[i]);
        if (!l)
            return MC_ERR_NOMEM;
        t->headers = l;
    }
    const char *names[] = {"webhook-id", "webhook-timestamp", "webhook-signature"};
    char ts[24];
    snprintf(ts, sizeof ts, "%lld", timestamp);
    const char *values[] = {event_id, ts, signatures};
    for (size_t i = 0; i < 3; i++) {
        snprintf(line, sizeof line, "%s: %s", names[i], values[i]);
        struct curl_slist *l = curl_slist_append(t->headers, line);
        if (!l)
            return MC_ERR_NOMEM;
        t->headers = l;
    }
    return MC_OK;
}

static enum mc_err transfer_options(struct transfer *t, const char *url)
{
    const struct server_config *cfg = &t->d->s->cfg;
    CURL *e = t->easy;
    CURLcode rc = curl_easy_setopt(e, CURLOPT_URL, url);
#define SET(opt, value)                                                                            \
    if (rc == CURLE_OK)                                                                            \
    rc = curl_easy_setopt(e, opt, value)
    SET(CURLOPT_PRIVATE, t);
    SET(CURLOPT_POST, 1L);
    SET(CURLOPT_POSTFIELDS, t->body);
    SET(CURLOPT_POSTFIELDSIZE, (long)strlen(t->body));
    SET(CURLOPT_HTTPHEADER, t->headers);
    SET(CURLOPT_PROTOCOLS_STR, cfg->webhook_allow_http ? "http,https" : "https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_PROXY, ""); /* never through a proxy: the address check would not hold */
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_CONNECTTIMEOUT, (long)cfg->webhook_connect_timeout);
    SET(CURLOPT_TIMEOUT, (long)cfg->webhook_timeout);
    SET(CURLOPT_WRITEFUNCTION, transfer_write);
    SET(CURLOPT_WRITEDATA, t);
    SET(CURLOPT_OPENSOCKETFUNCTION, transfer_open_socket);
    SET(CURLOPT_OPENSOCKETDATA, t);
    SET(CURLOPT_ERRORBUFFER, t->curl_error);
#undef SET
    return rc == CURLE_OK ? MC_OK : MC_ERR_INTERNAL;
}

/*
 * A claimed delivery, ready to send; NULL only when out of memory.  When
 * it cannot be sent (no memory for its parts, a secret that will not
 * open), *problem says why and the caller records a failed attempt.
 */
static struct transfer *transfer_new(struct dispatcher *d, const PGresult *res, int row,
                                     const char **problem)
{
    struct transfer *t = calloc(1, sizeof *t);
    if (!t) {
        *problem = "out of memory";
        return NULL;
    }
    t->d = d;
    snprintf(t->org_id, sizeof t->org_id, "%s", db_get(res, row, "org_id"));
    snprintf(t->id, sizeof t->id, "%s", db_get(res, row, "id"));
    snprintf(t->claim, sizeof t->claim, "%s", db_get(res, row, "claim"));
    snprintf(t->webhook_id, sizeof t->webhook_id, "%s", db_get(res, row, "webhook_id"));
    t->failures = (unsigned)strtoul(db_get(res, row, "failures"), NULL, 10);
    const char *event_id = db_get(res, row, "event_id");
    t->body = strdup(db_get(res, row, "body"));
    t->easy = curl_easy_init();
    t->started = now_ms();
    t->started_unix = now_unix();
    long long timestamp = (long long)t->started_unix;
    char signatures[SIGNATURES_TEXT]; /* sent in the clear: nothing to wipe */
    if (!t->body || !t->easy)
        *problem = "out of memory";
    else if (transfer_sign(d, res, row, event_id, timestamp, t->body, signatures) != MC_OK)
        *problem = "the subscription's secret does not open under this MCRED_MASTER_KEY";
    else if (transfer_headers(t, event_id, timestamp, signatures) != MC_OK ||
             transfer_options(t, db_get(res, row, "url")) != MC_OK)
        *problem = "could not prepare the request";
    return t;
}

/* Record a claimed delivery that could not even be sent as a failed attempt. */
static void transfer_fail_locally(struct dispatcher *d, struct transfer *t, const char *problem)
{
    struct attempt a = {.t = t, .delay_ms = -1, .failures = t->failures + 1};
    snprintf(a.error, sizeof a.error, "not sent: %s", problem);
    a.delay_ms = retry_delay_ms(&d->s->cfg.retry_schedule, a.failures, randombytes_random());
    a.status = a.delay_ms < 0 ? "dead" : "failed";
    attempt_record(d, &a);
}

static void transfers_start(struct dispatcher *d, const PGresult *res)
{
    for (int row = 0; row < PQntuples(res); row++) {
        const char *problem = NULL;
        struct transfer *t = transfer_new(d, res, row, &problem);
        if (!t) {
            log_message("error", "dispatcher: out of memory; the claim will run out and retry",
                        NULL);
            continue;
        }
        unsigned slot = 0;
        while (slot < d->nslots && d->slots[slot])
            slot++;
        if (!problem && (slot == d->nslots || curl_multi_add_handle(d->multi, t->easy) != CURLM_OK))
            problem = "no transfer slot";
        if (problem) {
            transfer_fail_locally(d, t, problem);
            transfer_free(t);
            continue;
        }
        d->slots[slot] = t;
        d->in_flight++;
    }
}

/* Record every finished transfer and free its slot. */
static void transfers_harvest(struct dispatcher *d)
{
    CURLMsg *msg;
    int queued;
    while ((msg = curl_multi_info_read(d->multi, &queued)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct transfer *t = NULL;
        if (curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t) != CURLE_OK || !t)
            continue;
        CURLcode result = msg->data.result;
        struct attempt a;
        attempt_judge(d, t, result, &a);
        attempt_record(d, &a);
        for (unsigned i = 0; i < d->nslots; i++)
            if (d->slots[i] == t)
                d->slots[i] = NULL;
        d->in_flight--;
        transfer_free(t);
        d->slot_freed = true;
    }
}

/* ---- the passes ---- */

/* Claim as many due deliveries as there are free slots and start them; the next pass in *next_ms.
 */
static enum mc_err claim_and_start(struct dispatcher *d, long long *next_ms, struct mc_error *err)
{
    const struct server_config *cfg = &d->s->cfg;
    unsigned free_slots = d->nslots - d->in_flight;
    *next_ms = cfg->dispatcher_poll_ms;
    if (free_slots == 0)
        return MC_OK;
    struct mc_buf ids, counts;
    mc_buf_init(&ids, 64 * 1024);
    mc_buf_init(&counts, 16 * 1024);
    char limit[16], per_webhook[16], ttl[16];
    snprintf(limit, sizeof limit, "%u", free_slots);
    snprintf(per_webhook, sizeof per_webhook, "%u", cfg->webhook_concurrency);
    snprintf(ttl, sizeof ttl, "%u",
             cfg->webhook_timeout +
                 (cfg->webhook_timeout > CLAIM_MARGIN_S ? cfg->webhook_timeout : CLAIM_MARGIN_S));
    enum mc_err rc = busy_arrays(d, &ids, &counts);
    struct claim_ctx cc = {0};
    if (rc == MC_OK) {
        const char *params[] = {limit, ids.data, counts.data, per_webhook, ttl};
        cc.params = params;
        rc = db_transaction(d->db, NULL, true, claim_tx, &cc, err);
    } else {
        rc = mc_error_set(err, rc, NULL, "could not list the subscriptions in flight");
    }
    mc_buf_release(&ids);
    mc_buf_release(&counts);
    if (rc == MC_OK) {
        transfers_start(d, cc.claimed);
        if ((unsigned)PQntuples(cc.claimed) == free_slots)
            *next_ms = 0; /* there may be more */
        else if (PQntuples(cc.next_due) == 1) {
            long long due = strtoll(PQgetvalue(cc.next_due, 0, 0), NULL, 10);
            if (due < *next_ms)
                *next_ms = due;
        }
    }
    PQclear(cc.claimed);
    PQclear(cc.next_due);
    return rc;
}

/*
 * Fan out (when events may have come) and claim; returns when the next
 * pass is due (monotonic ms).  A finished transfer only frees a slot, so
 * it asks for a claim alone: a burst costs one transaction per delivery
 * fewer.
 */
static long long dispatch_pass(struct dispatcher *d, bool fan_out)
{
    struct mc_error err;
    mc_error_clear(&err);
    long long next_ms = d->s->cfg.dispatcher_poll_ms;
    enum mc_err rc = listen_ensure(d, &err);
    if (rc == MC_OK && (fan_out || d->notified))
        rc = fanout(d, &err);
    if (rc == MC_OK)
        rc = claim_and_start(d, &next_ms, &err);
    if (rc == MC_OK) {
        db_recovered(d);
    } else {
        db_trouble(d, "a dispatch pass", &err);
        next_ms = RETRY_DB_MS;
    }
    return now_ms() + next_ms;
}

/* Wait for transfers, a notification, a wakeup or the deadline. */
static void dispatch_wait(struct dispatcher *d, long long deadline)
{
    long long wait = deadline - now_ms();
    if (wait < 0)
        wait = 0;
    if (wait > d->s->cfg.dispatcher_poll_ms)
        wait = d->s->cfg.dispatcher_poll_ms;
    struct curl_waitfd pgfd = {.fd = -1, .events = CURL_WAIT_POLLIN};
    if (d->db->pg && !d->db->broken && d->listening_pid)
        pgfd.fd = PQsocket(d->db->pg);
    if (curl_multi_poll(d->multi, &pgfd, pgfd.fd >= 0 ? 1 : 0, (int)wait, NULL) != CURLM_OK) {
        struct timespec pause = {.tv_nsec = 10 * 1000000};
        nanosleep(&pause, NULL);
    }
}

static void transfers_perform(struct dispatcher *d)
{
    int running = 0;
    if (curl_multi_perform(d->multi, &running) != CURLM_OK)
        log_message("error", "dispatcher: curl_multi_perform failed", NULL);
    transfers_harvest(d);
}

/* Let the attempts in flight finish within the grace period; abandon the rest to their claims. */
static void dispatch_drain(struct dispatcher *d)
{
    long long until = now_ms() + atomic_load(&d->grace_ms);
    while (d->in_flight > 0 && now_ms() < until) {
        transfers_perform(d);
        if (d->in_flight > 0 && curl_multi_poll(d->multi, NULL, 0, STOP_POLL_MS, NULL) != CURLM_OK)
            break;
    }
    if (d->in_flight > 0) {
        char n[16];
        snprintf(n, sizeof n, "%u", d->in_flight);
        log_message("warn", "dispatcher: stopping with deliveries in flight; they will be retried",
                    "in_flight", n, NULL);
    }
    for (unsigned i = 0; i < d->nslots; i++) {
        transfer_free(d->slots[i]);
        d->slots[i] = NULL;
    }
    d->in_flight = 0;
}

static void *dispatcher_main(void *arg)
{
    struct dispatcher *d = arg;
    long long next_pass = 0;
    d->notified = true;
    while (!atomic_load(&d->stopping)) {
        bool due = now_ms() >= next_pass;
        if (d->notified || d->slot_freed || due) {
            bool fan_out = d->notified || due;
            d->notified = d->slot_freed = false;
            next_pass = dispatch_pass(d, fan_out);
        }
        transfers_perform(d);
        /* a notification read along with a pass's results leaves nothing on the socket to wake
         * the wait: look for one first */
        notifications_drain(d);
        if (d->notified || d->slot_freed || atomic_load(&d->stopping))
            continue;
        dispatch_wait(d, next_pass);
    }
    dispatch_drain(d);
    return NULL;
}

static void dispatcher_free(struct dispatcher *d)
{
    if (!d)
        return;
    if (d->multi)
        curl_multi_cleanup(d->multi);
    db_conn_free(d->db);
    free(d->slots);
    free(d);
}

enum mc_err dispatcher_start(struct server *s, struct dispatcher **out, struct mc_error *err)
{
    struct dispatcher *d = calloc(1, sizeof *d);
    if (!d)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    d->s = s;
    d->nslots = s->cfg.dispatcher_slots;
    d->slots = calloc(d->nslots, sizeof *d->slots);
    d->multi = curl_multi_init();
    atomic_init(&d->stopping, false);
    atomic_init(&d->grace_ms, 0);
    if (!d->slots || !d->multi) {
        dispatcher_free(d);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    enum mc_err rc = db_connect(s->cfg.database_url, &d->db, err);
    if (rc != MC_OK) {
        dispatcher_free(d);
        return rc;
    }
    if (pthread_create(&d->thread, NULL, dispatcher_main, d) != 0) {
        dispatcher_free(d);
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not start the dispatcher thread");
    }
    *out = d;
    return MC_OK;
}

void dispatcher_stop(struct dispatcher *d, unsigned grace_seconds)
{
    if (!d)
        return;
    atomic_store(&d->grace_ms, grace_seconds * 1000u);
    atomic_store(&d->stopping, true);
    (void)curl_multi_wakeup(d->multi);
    pthread_join(d->thread, NULL);
    dispatcher_free(d);
}
