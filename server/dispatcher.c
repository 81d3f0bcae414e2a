/*
 * dispatcher.c — see dispatcher.h.
 *
 * One thread owns everything here: its database connection, the curl
 * multi handle, the slots of the transfers in flight and the results
 * waiting to be recorded, so nothing but `stopping`, `nudged` (and the
 * multi handle's wakeup) is shared with other threads.  Database work
 * happens between transfers, never while one waits on a receiver: a
 * pass is one round trip (the system setting and mcred.dispatch_pass in
 * one pipeline, one transaction committed at its Sync; migration 0016),
 * and it records every
 * attempt that finished since the last one, so a burst costs one
 * transaction per batch of deliveries, not one per delivery.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cjson/cJSON.h>
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

#define UUID_TEXT        37
#define FANOUT_BATCH     "1000" /* events fanned out in one pass */
#define FANOUT_BATCH_N   1000
#define RESPONSE_CAP     4096 /* bytes of an answer read before we hang up */
#define EXCERPT_MAX      200  /* of those, kept for the attempt's error text */
#define ERROR_TEXT_MAX   500  /* deliveries.error is at most 512 characters */
#define RETRY_DB_MS      1000 /* after the database failed us */
#define SIGNATURES_TEXT  (2 * WEBHOOK_SIGNATURE_TEXT + 2)
#define USER_AGENT       "mcred-webhooks/" MC_VERSION
#define CLAIM_MARGIN_S   5
#define STOP_POLL_MS     100
#define PASS_GAP_MS      25 /* at most, the least time between two passes that are owed */
#define PASS_GAP_ITEM_MS 2  /* of that gap, per event fanned out */
#define PASS_GAP_RESULTS 8  /* results recorded per millisecond of it */

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

/* A finished attempt, kept until a pass records it under its claim. */
struct result {
    char org_id[UUID_TEXT];
    char id[UUID_TEXT];
    char claim[UUID_TEXT];
    char webhook_id[UUID_TEXT];
    const char *status; /* succeeded, failed or dead */
    unsigned failures;  /* after this attempt */
    long long delay_ms; /* until the next one; -1: none */
    double at;          /* Unix seconds, when it was sent */
    long http_status;   /* 0: no answer */
    long latency_ms;
    bool gone; /* 410: switch the subscription off */
    char error[ERROR_TEXT_MAX + 1];
};

struct dispatcher {
    struct server *s;
    pthread_t thread;
    atomic_bool stopping;
    atomic_bool nudged; /* a request committed: fan out and claim */
    atomic_uint grace_ms;
    CURLM *multi;
    struct db_conn *db;
    struct transfer **slots;
    unsigned nslots;
    unsigned in_flight;
    /* in_flight + nresults <= nslots: a result comes from a slot, or from a claim that could
     * not be sent, and a pass claims only what the slots left free */
    struct result *results;
    unsigned nresults;
    bool wanted;           /* a pass is owed (nudged, or more events to fan out) */
    long long next_pass;   /* monotonic ms: the poll, or the next retry falling due */
    long long last_pass;   /* monotonic ms: when the last pass began */
    long long pass_gap;    /* ms: the least time after it before another that is owed */
    long long db_retry_at; /* after a failed pass, no other before this */
    bool db_failing;       /* to log a failing database once, not every pass */
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

/* ---- results: what became of an attempt ---- */

/* Printable ASCII only: an answer's bytes may be anything, and the log is text. */
static void excerpt_clean(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            *s = ' ';
}

/* A result slot for transfer t's attempt, its identity filled in; the caller judges it. */
static struct result *result_add(struct dispatcher *d, const struct transfer *t)
{
    struct result *r = &d->results[d->nresults++];
    *r = (struct result){.delay_ms = -1, .at = t->started_unix, .failures = t->failures};
    memcpy(r->org_id, t->org_id, sizeof r->org_id);
    memcpy(r->id, t->id, sizeof r->id);
    memcpy(r->claim, t->claim, sizeof r->claim);
    memcpy(r->webhook_id, t->webhook_id, sizeof r->webhook_id);
    return r;
}

/* Counted and, unless it succeeded, logged now; recorded by the next pass. */
static void result_note(struct dispatcher *d, const struct result *r)
{
    enum metrics_delivery outcome = strcmp(r->status, "succeeded") == 0 ? METRICS_DELIVERY_SUCCEEDED
                                    : strcmp(r->status, "dead") == 0    ? METRICS_DELIVERY_DEAD
                                                                        : METRICS_DELIVERY_FAILED;
    metrics_delivery(d->s->metrics, outcome);
    if (outcome == METRICS_DELIVERY_SUCCEEDED)
        return;
    char http[16];
    snprintf(http, sizeof http, "%ld", r->http_status);
    log_message(outcome == METRICS_DELIVERY_DEAD ? "warn" : "info",
                outcome == METRICS_DELIVERY_DEAD ? "webhook delivery dead"
                                                 : "webhook delivery failed; will retry",
                "delivery", r->id, "webhook", r->webhook_id, "org", r->org_id, "status", http,
                "error", r->error, NULL);
}

/* A failure: retried on the schedule, or dead once it is spent. */
static void result_failed(struct dispatcher *d, struct result *r)
{
    r->failures++;
    r->delay_ms = retry_delay_ms(&d->s->cfg.retry_schedule, r->failures, randombytes_random());
    r->status = r->delay_ms < 0 ? "dead" : "failed";
}

static void result_judge(struct dispatcher *d, const struct transfer *t, CURLcode result)
{
    struct result *r = result_add(d, t);
    long http = 0;
    if (curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &http) != CURLE_OK)
        http = 0;
    r->http_status = http;
    long long latency = now_ms() - t->started;
    r->latency_ms = latency < 0 ? 0 : (long)latency;
    enum delivery_outcome outcome = delivery_classify(http, result == CURLE_OK, t->capped);
    if (outcome == DELIVERY_SUCCEEDED) {
        r->status = "succeeded";
        result_note(d, r);
        return;
    }
    char excerpt[EXCERPT_MAX + 1];
    snprintf(excerpt, sizeof excerpt, "%s", t->excerpt);
    excerpt_clean(excerpt);
    if (t->refused)
        snprintf(r->error, sizeof r->error,
                 "refused: the receiver's address is loopback, private or reserved "
                 "(MCRED_WEBHOOK_ALLOW_PRIVATE=0)");
    else if (http > 0 && (result == CURLE_OK || t->capped))
        snprintf(r->error, sizeof r->error, "HTTP %ld%s%s", http, excerpt[0] ? ": " : "", excerpt);
    else
        snprintf(r->error, sizeof r->error, "%s",
                 t->curl_error[0] ? t->curl_error : curl_easy_strerror(result));
    excerpt_clean(r->error);
    if (outcome == DELIVERY_GONE) {
        r->failures++;
        r->gone = true;
        r->status = "dead";
    } else {
        result_failed(d, r);
    }
    result_note(d, r);
}

/* A claimed delivery that could not even be sent: a failed attempt all the same. */
static void result_not_sent(struct dispatcher *d, const struct transfer *t, const char *problem)
{
    struct result *r = result_add(d, t);
    snprintf(r->error, sizeof r->error, "not sent: %s", problem);
    result_failed(d, r);
    result_note(d, r);
}

/* One result as mcred.dispatch_pass reads it; false when out of memory. */
static bool result_json(const struct result *r, cJSON *array)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return false;
    if (!cJSON_AddItemToArray(array, o)) {
        cJSON_Delete(o);
        return false;
    }
    bool ok = cJSON_AddStringToObject(o, "org", r->org_id) &&
              cJSON_AddStringToObject(o, "id", r->id) &&
              cJSON_AddStringToObject(o, "claim", r->claim) &&
              cJSON_AddStringToObject(o, "status", r->status) &&
              cJSON_AddNumberToObject(o, "failures", r->failures) &&
              cJSON_AddNumberToObject(o, "at", r->at) &&
              cJSON_AddNumberToObject(o, "latency", (double)r->latency_ms) &&
              cJSON_AddBoolToObject(o, "gone", r->gone);
    if (ok)
        ok = r->delay_ms >= 0 ? cJSON_AddNumberToObject(o, "delay_ms", (double)r->delay_ms) != NULL
                              : cJSON_AddNullToObject(o, "delay_ms") != NULL;
    if (ok)
        ok = r->http_status > 0 ? cJSON_AddNumberToObject(o, "http", (double)r->http_status) != NULL
                                : cJSON_AddNullToObject(o, "http") != NULL;
    if (ok)
        ok = r->error[0] ? cJSON_AddStringToObject(o, "error", r->error) != NULL
                         : cJSON_AddNullToObject(o, "error") != NULL;
    return ok;
}

/* The results waiting to be recorded, as a JSON array (free it); NULL when out of memory. */
static char *results_json(const struct dispatcher *d)
{
    cJSON *array = cJSON_CreateArray();
    bool ok = array != NULL;
    for (unsigned i = 0; ok && i < d->nresults; i++)
        ok = result_json(&d->results[i], array);
    char *text = ok ? cJSON_PrintUnformatted(array) : NULL;
    cJSON_Delete(array);
    return text;
}

/* ---- 410 Gone: the receiver asks us to stop ---- */

DB_STMT(db_dispatch_disable, "UPDATE mcred.webhooks SET active = false, updated_at = now()"
                             " WHERE org_id = $1::uuid AND id = $2::uuid AND active RETURNING url");

struct gone {
    const char *org_id, *webhook_id, *delivery_id;
};

/* Switch the subscription off, on the record (in its organisation's name). */
static enum mc_err disable_tx(struct db_conn *c, void *ctx, struct mc_error *err)
{
    const struct gone *g = ctx;
    const char *params[] = {g->org_id, g->webhook_id};
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
        !cJSON_AddStringToObject(after, "delivery", g->delivery_id)) {
        cJSON_Delete(after);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    const struct actor server = {.label = "dispatcher"};
    rc = journal_write(c, g->org_id, &server, "webhook.disable", "webhook", g->webhook_id, NULL,
                       after, NULL, NULL, NULL, err);
    cJSON_Delete(after);
    if (rc == MC_OK)
        log_message("warn", "webhook switched off: the receiver answered 410 Gone", "webhook",
                    g->webhook_id, "org", g->org_id, NULL);
    return rc;
}

/*
 * A 410 that the pass recorded as ours.  Rare, so a transaction of its
 * own; if it fails, the delivery is dead all the same and the next 410
 * from that receiver tries again.
 */
static void disable_webhook(struct dispatcher *d, const PGresult *res, int row)
{
    struct gone g = {db_get(res, row, "org_id"), db_get(res, row, "webhook_id"),
                     db_get(res, row, "id")};
    struct mc_error err;
    mc_error_clear(&err);
    if (g.org_id && g.webhook_id && g.delivery_id &&
        db_transaction(d->db, g.org_id, false, disable_tx, &g, &err) != MC_OK)
        db_trouble(d, "switching a webhook off", &err);
}

/* ---- the pass: record, fan out, claim, in one round trip ---- */

/*
 * The system setting, and a commit that does not wait for the WAL to
 * reach the disk: a pass lost with the database's last moments is lost
 * bookkeeping, not lost work (its results are attempted again under at
 * least once, its events fanned out again, its claims made again), and
 * with a disk that flushes in milliseconds the wait would bound a burst.
 */
DB_STMT(db_dispatch_system, "SELECT pg_catalog.set_config('mcred.system', 'on', true),"
                            " pg_catalog.set_config('synchronous_commit', 'off', true)");

DB_STMT(db_dispatch_pass,
        "SELECT kind, org_id, id, claim, webhook_id, event_id, failures, url, secret_box,"
        "       previous_box, body, n, next_ms"
        "  FROM mcred.dispatch_pass($1::jsonb, $2::integer, $3::integer, $4::uuid[],"
        "                           $5::integer[], $6::integer, $7::integer)");

/*
 * "{id,id}" and "{n,n}": the subscriptions with attempts in flight here,
 * and how many; *out_busy: how many subscriptions that is.
 */
static enum mc_err busy_arrays(const struct dispatcher *d, struct mc_buf *ids,
                               struct mc_buf *counts, unsigned *out_busy)
{
    unsigned busy = 0;
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
        busy++;
    }
    if (rc == MC_OK)
        rc = mc_buf_appendc(ids, '}');
    if (rc == MC_OK)
        rc = mc_buf_appendc(counts, '}');
    if (rc == MC_OK)
        *out_busy = busy;
    return rc;
}

/*
 * How many attempts one subscription may have in flight here: the
 * configured limit, but never more than a fair share of the slots among
 * the subscriptions in flight and one more.  Receivers that hang would
 * otherwise fill every slot once MCRED_DISPATCHER_SLOTS /
 * MCRED_WEBHOOK_CONCURRENCY of them did; with the share, each attempt of
 * theirs that times out leaves its slot to the others.
 */
static unsigned per_webhook_limit(const struct dispatcher *d, unsigned busy)
{
    unsigned share = d->nslots / (busy + 1);
    unsigned limit = d->s->cfg.webhook_concurrency;
    if (share < limit)
        limit = share;
    return limit > 0 ? limit : 1;
}

/* The database connection, opened again if it broke since the last pass. */
static enum mc_err conn_ensure(struct dispatcher *d, struct mc_error *err)
{
    struct db_conn *c = d->db;
    if (c->pg && !c->broken && PQstatus(c->pg) == CONNECTION_OK)
        return MC_OK;
    return db_conn_reopen(c, err);
}

/*
 * Send the pass: the results so far, fan-out when `claim` (never while
 * stopping), and a claim of `free_slots`.  On success *out holds the
 * rows of mcred.dispatch_pass (PQclear it).
 */
static enum mc_err pass_send(struct dispatcher *d, unsigned free_slots, bool claim, PGresult **out,
                             struct mc_error *err)
{
    const struct server_config *cfg = &d->s->cfg;
    struct mc_buf ids, counts;
    mc_buf_init(&ids, 64 * 1024);
    mc_buf_init(&counts, 16 * 1024);
    char *results = results_json(d);
    char limit[16], per_webhook[16], ttl[16];
    snprintf(limit, sizeof limit, "%u", free_slots);
    snprintf(ttl, sizeof ttl, "%u",
             cfg->webhook_timeout +
                 (cfg->webhook_timeout > CLAIM_MARGIN_S ? cfg->webhook_timeout : CLAIM_MARGIN_S));
    unsigned busy = 0;
    enum mc_err rc = results ? busy_arrays(d, &ids, &counts, &busy) : MC_ERR_NOMEM;
    snprintf(per_webhook, sizeof per_webhook, "%u", per_webhook_limit(d, busy));
    if (rc != MC_OK)
        rc = mc_error_set(err, rc, NULL, "could not list the results and the subscriptions");
    if (rc == MC_OK)
        rc = conn_ensure(d, err);
    if (rc == MC_OK) {
        const char *params[] = {
            results, claim ? FANOUT_BATCH : "0", limit, ids.data, counts.data, per_webhook, ttl};
        struct db_tx_start system = {.stmt = &db_dispatch_system};
        struct db_batch work = {&db_dispatch_pass, 7, params, PGRES_TUPLES_OK, out};
        rc = db_oneshot(d->db, &system, &work, 1, err);
        PQclear(system.result);
    }
    free(results);
    mc_buf_release(&ids);
    mc_buf_release(&counts);
    return rc;
}

static void transfers_start(struct dispatcher *d, const PGresult *res, int row);

/*
 * What a pass answered: 410s to switch off, claims to send, and when to
 * look again.  The results it was sent with are recorded.
 */
static void pass_apply(struct dispatcher *d, const PGresult *res)
{
    long long next_ms = d->s->cfg.dispatcher_poll_ms;
    long long work = d->nresults / PASS_GAP_RESULTS;
    d->nresults = 0;
    for (int row = 0; row < PQntuples(res); row++) {
        const char *kind = db_get(res, row, "kind");
        if (!kind)
            continue;
        if (strcmp(kind, "gone") == 0) {
            disable_webhook(d, res, row);
        } else if (strcmp(kind, "claimed") == 0) {
            transfers_start(d, res, row);
        } else if (strcmp(kind, "pass") == 0) {
            const char *events = db_get(res, row, "n");
            const char *due = db_get(res, row, "next_ms");
            long fanned = events ? strtol(events, NULL, 10) : 0;
            if (fanned >= FANOUT_BATCH_N)
                d->wanted = true; /* more events than one pass fans out */
            work += fanned * PASS_GAP_ITEM_MS;
            if (due && strtoll(due, NULL, 10) < next_ms)
                next_ms = strtoll(due, NULL, 10);
        }
    }
    /* a claim that filled every free slot needs no early pass: each result brings one */
    d->next_pass = now_ms() + next_ms;
    d->pass_gap = work < PASS_GAP_MS ? work : PASS_GAP_MS;
}

/* One pass; `claim` false records results only (stopping). */
static void dispatch_pass(struct dispatcher *d, bool claim)
{
    struct mc_error err;
    mc_error_clear(&err);
    /* the results recorded now free their places: claim for every slot not in flight */
    unsigned free_slots = claim ? d->nslots - d->in_flight : 0;
    PGresult *res = NULL;
    d->wanted = false;
    d->last_pass = now_ms();
    enum mc_err rc = pass_send(d, free_slots, claim, &res, &err);
    if (rc == MC_OK) {
        db_recovered(d);
        d->db_retry_at = 0;
        pass_apply(d, res);
    } else {
        /* the results stay for the next pass; claims that run out meanwhile are retried */
        db_trouble(d, "a dispatch pass", &err);
        d->wanted = true;
        d->db_retry_at = now_ms() + RETRY_DB_MS;
    }
    PQclear(res);
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

/*
 * Start claimed delivery `row`.  One that cannot be sent (no memory for
 * its parts, a secret that will not open) becomes a failed attempt.
 */
static void transfers_start(struct dispatcher *d, const PGresult *res, int row)
{
    const char *problem = NULL;
    struct transfer *t = transfer_new(d, res, row, &problem);
    if (!t) {
        log_message("error", "dispatcher: out of memory; the claim will run out and retry", NULL);
        return;
    }
    unsigned slot = 0;
    while (slot < d->nslots && d->slots[slot])
        slot++;
    if (!problem && (slot == d->nslots || curl_multi_add_handle(d->multi, t->easy) != CURLM_OK))
        problem = "no transfer slot";
    if (problem) {
        result_not_sent(d, t, problem);
        transfer_free(t);
        return;
    }
    d->slots[slot] = t;
    d->in_flight++;
}

/* Judge every finished transfer, keep its result for the next pass and free its slot. */
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
        result_judge(d, t, msg->data.result);
        for (unsigned i = 0; i < d->nslots; i++)
            if (d->slots[i] == t)
                d->slots[i] = NULL;
        d->in_flight--;
        transfer_free(t);
    }
}

static void transfers_perform(struct dispatcher *d)
{
    int running = 0;
    if (curl_multi_perform(d->multi, &running) != CURLM_OK)
        log_message("error", "dispatcher: curl_multi_perform failed", NULL);
    transfers_harvest(d);
}

/* ---- the loop ---- */

/*
 * When the next pass may run (monotonic ms): soon if one is owed, never
 * before a retry's time.  "Soon" is pass_gap after the last pass, which
 * grows with what that pass did (PASS_GAP_ITEM_MS an event fanned out, a
 * millisecond per PASS_GAP_RESULTS results, at most PASS_GAP_MS): an idle server's events go at
 * once, while under a stream of writes, each of which nudges, one pass takes the events of many (a
 * pass per score write cost the database half as much as the write itself).
 */
static long long pass_due(const struct dispatcher *d)
{
    long long due = d->wanted || d->nresults > 0 ? d->last_pass + d->pass_gap : d->next_pass;
    return due > d->db_retry_at ? due : d->db_retry_at;
}

/* Wait for transfers, a nudge, a stop or the next pass, at most the poll interval. */
static void dispatch_wait(struct dispatcher *d)
{
    long long wait = pass_due(d) - now_ms();
    if (wait <= 0)
        return;
    if (wait > d->s->cfg.dispatcher_poll_ms)
        wait = d->s->cfg.dispatcher_poll_ms;
    if (curl_multi_poll(d->multi, NULL, 0, (int)wait, NULL) != CURLM_OK) {
        struct timespec pause = {.tv_nsec = 10 * 1000000};
        nanosleep(&pause, NULL);
    }
}

/*
 * Let the attempts in flight finish within the grace period and record
 * their results; abandon the rest to their claims.
 */
static void dispatch_drain(struct dispatcher *d)
{
    long long until = now_ms() + atomic_load(&d->grace_ms);
    while (d->in_flight > 0 && now_ms() < until) {
        transfers_perform(d);
        if (d->in_flight > 0 && curl_multi_poll(d->multi, NULL, 0, STOP_POLL_MS, NULL) != CURLM_OK)
            break;
    }
    if (d->nresults > 0)
        dispatch_pass(d, false);
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
    d->wanted = true;
    while (!atomic_load(&d->stopping)) {
        if (atomic_exchange(&d->nudged, false))
            d->wanted = true;
        if (now_ms() >= pass_due(d))
            dispatch_pass(d, true);
        transfers_perform(d);
        /* a nudge that came during the pass has woken the multi handle already; one that came
         * after the exchange above is still in the flag */
        if (!atomic_load(&d->nudged) && !atomic_load(&d->stopping))
            dispatch_wait(d);
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
    free(d->results);
    free(d);
}

/*
 * Connections are kept alive between deliveries to the same receiver, up
 * to one per slot.  No per-host limit: the per-subscription limit is the
 * claim's (MCRED_WEBHOOK_CONCURRENCY), and a transfer that curl queued
 * behind a host's limit would spend its timeout waiting, not sending.
 */
static enum mc_err multi_setup(struct dispatcher *d)
{
    CURLMcode rc = curl_multi_setopt(d->multi, CURLMOPT_MAXCONNECTS, (long)d->nslots);
    if (rc == CURLM_OK)
        rc = curl_multi_setopt(d->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    return rc == CURLM_OK ? MC_OK : MC_ERR_INTERNAL;
}

enum mc_err dispatcher_start(struct server *s, struct dispatcher **out, struct mc_error *err)
{
    struct dispatcher *d = calloc(1, sizeof *d);
    if (!d)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    d->s = s;
    d->nslots = s->cfg.dispatcher_slots;
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    d->slots = calloc(d->nslots, sizeof *d->slots);
    d->results = calloc(d->nslots, sizeof *d->results);
    d->multi = curl_multi_init();
    atomic_init(&d->stopping, false);
    atomic_init(&d->nudged, false);
    atomic_init(&d->grace_ms, 0);
    if (!d->slots || !d->results || !d->multi) {
        dispatcher_free(d);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    if (multi_setup(d) != MC_OK) {
        dispatcher_free(d);
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not set up the webhook transfers");
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

void dispatcher_nudge(struct dispatcher *d)
{
    if (!d)
        return;
    /* one wakeup per pass is enough: a flag already set has one on its way */
    if (!atomic_exchange(&d->nudged, true))
        (void)curl_multi_wakeup(d->multi);
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
