/*
 * http_load.c — a bounded HTTP load generator for mcred's benchmarks.
 *
 *   mcred-bench-http [-X METHOD] [-t TOKEN] [-H HEADER]... [-d LINES | -D FILE]
 *                    [-n REQUESTS | -T SECONDS] [-c CONNECTIONS] [-w WARMUP] URL
 *
 * Keeps CONNECTIONS keep-alive connections busy (libcurl multi) until
 * WARMUP answers (not counted) and then REQUESTS more have arrived (or,
 * with -T, until SECONDS have passed after the warm-up: no request starts
 * after that, those in flight are waited for), and prints one line:
 *   requests=N seconds=S rps=R mean_ms=M p50_ms=A p99_ms=B errors=E
 *
 *   -d LINES  request i sends line i of the file LINES (round and round):
 *             a body, or a token, a tab and a body, for writes that must
 *             not collide and callers that must differ (each learner's coach)
 *   -D FILE   every request sends the whole of FILE (a CSV roster, a bulk)
 *   -H        an extra header, e.g. "Content-Type: text/csv" (default JSON)
 *
 * Requests answered 400 or above count as errors; the first one's status
 * and body go to stderr, and the exit status is 1.  Only loopback URLs
 * are accepted: benchmarks never send traffic elsewhere.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#define PROG            "mcred-bench-http"
#define MAX_REQUESTS    1000000L
#define MAX_CONCURRENCY 256L
#define MAX_LINES       100000L
#define MAX_BODY        (16L * 1024 * 1024)
#define MAX_HEADERS     8
#define MAX_TOKEN       512
#define ERROR_SNIPPET   300

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static bool loopback_url(const char *url)
{
    return strncmp(url, "http://127.0.0.1:", 17) == 0 || strncmp(url, "http://[::1]:", 13) == 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: " PROG " [-X METHOD] [-t TOKEN] [-H HEADER]... [-d LINES | -D FILE]\n"
                    "       [-n REQUESTS | -T SECONDS] [-c CONNECTIONS] [-w WARMUP] URL\n");
}

/* The whole of PATH, NUL-terminated; *len its length.  NULL on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            if (cap >= (size_t)MAX_BODY) {
                free(buf);
                buf = NULL;
                break;
            }
            char *more = realloc(buf, cap * 2);
            if (!more) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = more;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* One kind of request: its body and headers (its token's among them). */
struct variant {
    const char *body;
    size_t len;
    struct curl_slist *headers;
};

struct options {
    const char *method, *token, *lines, *file, *url;
    const char *headers[MAX_HEADERS];
    int nheaders;
    long total, conc, warmup, duration;
};

static struct curl_slist *headers_for(const struct options *o, const char *token)
{
    struct curl_slist *h = NULL, *next;
    bool typed = false;
    for (int i = 0; i < o->nheaders; i++) {
        if (strncasecmp(o->headers[i], "Content-Type:", 13) == 0)
            typed = true;
        if (!(next = curl_slist_append(h, o->headers[i])))
            goto fail;
        h = next;
    }
    if (!typed) {
        if (!(next = curl_slist_append(h, "Content-Type: application/json")))
            goto fail;
        h = next;
    }
    if (token && *token) {
        char auth[MAX_TOKEN + 32];
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        if (!(next = curl_slist_append(h, auth)))
            goto fail;
        h = next;
    }
    return h;
fail:
    curl_slist_free_all(h);
    return NULL;
}

/* The request variants: one (no body, or -D's), or one per line of -d's file. */
static struct variant *variants_load(const struct options *o, char **store, long *count)
{
    size_t len = 0;
    *store = NULL;
    const char *path = o->lines ? o->lines : o->file;
    if (path && !(*store = slurp(path, &len))) {
        fprintf(stderr, PROG ": could not read %s (at most %ld bytes)\n", path, MAX_BODY);
        return NULL;
    }
    long n = 1;
    if (o->lines) {
        n = 0;
        for (size_t i = 0; i < len; i++)
            n += (*store)[i] == '\n' || (i + 1 == len);
        if (n < 1 || n > MAX_LINES) {
            fprintf(stderr, PROG ": %s must hold 1..%ld lines\n", path, MAX_LINES);
            return NULL;
        }
    }
    struct variant *v = calloc((size_t)n, sizeof *v);
    if (!v)
        return NULL;
    if (!o->lines) {
        v[0] = (struct variant){.body = *store, .len = len, .headers = headers_for(o, o->token)};
        *count = v[0].headers ? 1 : 0;
        return v;
    }
    char *line = *store;
    for (long k = 0; k < n; k++) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        const char *token = o->token, *body = line;
        char *tab = strchr(line, '\t');
        if (tab) {
            *tab = '\0';
            token = line;
            body = tab + 1;
            if (strlen(token) > MAX_TOKEN) {
                fprintf(stderr, PROG ": line %ld: token too long\n", k + 1);
                return NULL;
            }
        }
        v[k] =
            (struct variant){.body = body, .len = strlen(body), .headers = headers_for(o, token)};
        if (!v[k].headers)
            return NULL;
        line = end ? end + 1 : line + strlen(line);
    }
    *count = n;
    return v;
}

struct slot {
    CURL *easy;
    double started;
    char *answer; /* the first ERROR_SNIPPET bytes of the answer */
    size_t answer_len;
};

static size_t keep_head(char *p, size_t size, size_t n, void *arg)
{
    struct slot *s = arg;
    size_t len = size * n, room = ERROR_SNIPPET - s->answer_len;
    size_t take = len < room ? len : room;
    memcpy(s->answer + s->answer_len, p, take);
    s->answer_len += take;
    s->answer[s->answer_len] = '\0';
    return len;
}

static void slot_start(CURLM *multi, struct slot *s, const struct variant *v)
{
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, v->headers);
    if (v->body) {
        curl_easy_setopt(s->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)v->len);
        curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, v->body);
    }
    s->answer_len = 0;
    s->answer[0] = '\0';
    s->started = now_seconds();
    curl_multi_add_handle(multi, s->easy);
}

static bool parse_long(const char *s, long min, long max, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static bool options_read(int argc, char **argv, struct options *o)
{
    *o = (struct options){.method = "GET", .total = 1000, .conc = 1, .warmup = 0};
    int c;
    while ((c = getopt(argc, argv, "X:t:H:d:D:n:T:c:w:")) != -1) {
        switch (c) {
        case 'X':
            o->method = optarg;
            break;
        case 't':
            o->token = optarg;
            break;
        case 'H':
            if (o->nheaders == MAX_HEADERS)
                return false;
            o->headers[o->nheaders++] = optarg;
            break;
        case 'd':
            o->lines = optarg;
            break;
        case 'D':
            o->file = optarg;
            break;
        case 'n':
            if (!parse_long(optarg, 1, MAX_REQUESTS, &o->total))
                return false;
            break;
        case 'T':
            if (!parse_long(optarg, 1, 3600, &o->duration))
                return false;
            o->total = MAX_REQUESTS;
            break;
        case 'c':
            if (!parse_long(optarg, 1, MAX_CONCURRENCY, &o->conc))
                return false;
            break;
        case 'w':
            if (!parse_long(optarg, 0, MAX_REQUESTS, &o->warmup))
                return false;
            break;
        default:
            return false;
        }
    }
    if (optind != argc - 1 || (o->lines && o->file) || (o->token && strlen(o->token) > MAX_TOKEN))
        return false;
    o->url = argv[optind];
    if (!loopback_url(o->url)) {
        fprintf(stderr, PROG ": only http://127.0.0.1:PORT or http://[::1]:PORT URLs\n");
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    struct options o;
    if (!options_read(argc, argv, &o)) {
        usage();
        return 2;
    }
    long all = o.total + o.warmup, conc = o.conc > all ? all : o.conc, nvariants = 0;
    char *store = NULL;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct variant *variants = variants_load(&o, &store, &nvariants);
    CURLM *multi = curl_multi_init();
    double *latency = calloc((size_t)o.total, sizeof *latency);
    struct slot *slots = calloc((size_t)conc, sizeof *slots);
    if (!variants || nvariants < 1 || !multi || !latency || !slots) {
        fprintf(stderr, PROG ": could not set up the requests\n");
        return 1;
    }
    for (long i = 0; i < conc; i++) {
        CURL *e = curl_easy_init();
        slots[i].answer = malloc(ERROR_SNIPPET + 1);
        if (!e || !slots[i].answer)
            return 1;
        curl_easy_setopt(e, CURLOPT_URL, o.url);
        if (strcmp(o.method, "GET") != 0)
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, o.method);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep_head);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &slots[i]);
        curl_easy_setopt(e, CURLOPT_TIMEOUT, 60L);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_PRIVATE, &slots[i]);
        slots[i].easy = e;
    }
    long started = 0, done = 0, errors = 0;
    double t0 = now_seconds();
    bool stopped = false; /* -T: the time is up, no more requests start */
    for (; started < conc; started++)
        slot_start(multi, &slots[started], &variants[started % nvariants]);
    while (done < started || (started < all && !stopped)) {
        int running = 0, numfds = 0, queued = 0;
        curl_multi_perform(multi, &running);
        CURLMsg *msg;
        for (msg = curl_multi_info_read(multi, &queued); msg;
             msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct slot *s = NULL;
            long status = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            if (msg->data.result != CURLE_OK || status >= 400) {
                if (errors++ == 0)
                    fprintf(stderr, PROG ": %s %s: %s %ld %s\n", o.method, o.url,
                            curl_easy_strerror(msg->data.result), status, s->answer);
            }
            double t = now_seconds();
            if (done >= o.warmup)
                latency[done - o.warmup] = t - s->started;
            if (++done == o.warmup)
                t0 = t; /* the measured part starts when the warm-up ends */
            curl_multi_remove_handle(multi, s->easy);
            if (o.duration && done > o.warmup && t - t0 >= (double)o.duration)
                stopped = true;
            if (started < all && !stopped) {
                slot_start(multi, s, &variants[started % nvariants]);
                started++;
            }
        }
        if (done < started)
            curl_multi_poll(multi, NULL, 0, 100, &numfds);
    }
    double seconds = now_seconds() - t0, sum = 0;
    o.total = done - o.warmup;
    if (o.total < 1) {
        fprintf(stderr, PROG ": no request was measured\n");
        return 1;
    }
    for (long i = 0; i < o.total; i++)
        sum += latency[i];
    qsort(latency, (size_t)o.total, sizeof *latency, cmp_double);
    printf("requests=%ld seconds=%.3f rps=%.1f mean_ms=%.3f p50_ms=%.3f p99_ms=%.3f errors=%ld\n",
           o.total, seconds, (double)o.total / seconds, sum / (double)o.total * 1000.0,
           latency[o.total / 2] * 1000.0, latency[(o.total * 99) / 100] * 1000.0, errors);
    for (long i = 0; i < conc; i++) {
        curl_easy_cleanup(slots[i].easy);
        free(slots[i].answer);
    }
    for (long i = 0; i < nvariants; i++)
        curl_slist_free_all(variants[i].headers);
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    free(variants);
    free(store);
    free(latency);
    free(slots);
    return errors ? 1 : 0;
}
