/*
 * http_load.c — a bounded HTTP load generator for mcred's benchmarks.
 *
 *   mcred-bench-http URL REQUESTS CONCURRENCY [TOKEN [METHOD [BODY]]]
 *
 * Keeps CONCURRENCY keep-alive connections busy (libcurl multi) until
 * REQUESTS answers have arrived, then prints one line:
 *   requests=N seconds=S rps=R p50_ms=A p99_ms=B errors=E
 * Only loopback URLs are accepted: benchmarks never send traffic elsewhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#define MAX_REQUESTS    1000000
#define MAX_CONCURRENCY 256

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
    (void)p;
    (void)arg;
    return size * n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int loopback_url(const char *url)
{
    return strncmp(url, "http://127.0.0.1:", 17) == 0 || strncmp(url, "http://[::1]:", 13) == 0 ||
           strncmp(url, "http://localhost:", 17) == 0;
}

struct slot {
    CURL *easy;
    double started;
};

static void slot_start(CURLM *multi, struct slot *s)
{
    s->started = now_seconds();
    curl_multi_add_handle(multi, s->easy);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr,
                "usage: mcred-bench-http URL REQUESTS CONCURRENCY [TOKEN [METHOD [BODY]]]\n");
        return 2;
    }
    const char *url = argv[1];
    long total = strtol(argv[2], NULL, 10), conc = strtol(argv[3], NULL, 10);
    const char *token = argc > 4 && *argv[4] ? argv[4] : NULL;
    const char *method = argc > 5 ? argv[5] : "GET";
    const char *body = argc > 6 ? argv[6] : NULL;
    if (!loopback_url(url) || total < 1 || total > MAX_REQUESTS || conc < 1 ||
        conc > MAX_CONCURRENCY) {
        fprintf(stderr,
                "mcred-bench-http: need a loopback URL, 1..%d requests, 1..%d connections\n",
                MAX_REQUESTS, MAX_CONCURRENCY);
        return 2;
    }
    if (conc > total)
        conc = total;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *multi = curl_multi_init();
    double *latency = calloc((size_t)total, sizeof *latency);
    struct slot *slots = calloc((size_t)conc, sizeof *slots);
    char auth[256];
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        headers = curl_slist_append(headers, auth);
    }
    if (!multi || !latency || !slots || !headers) {
        fprintf(stderr, "mcred-bench-http: out of memory\n");
        return 1;
    }
    for (long i = 0; i < conc; i++) {
        CURL *e = curl_easy_init();
        if (!e)
            return 1;
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(e, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(e, CURLOPT_PRIVATE, &slots[i]);
        if (body)
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
        slots[i].easy = e;
    }
    long started = 0, done = 0, errors = 0;
    double t0 = now_seconds();
    for (; started < conc; started++)
        slot_start(multi, &slots[started]);
    while (done < total) {
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
            if (msg->data.result != CURLE_OK || status >= 400)
                errors++;
            latency[done++] = now_seconds() - s->started;
            curl_multi_remove_handle(multi, s->easy);
            if (started < total) {
                started++;
                slot_start(multi, s);
            }
        }
        if (done < total)
            curl_multi_poll(multi, NULL, 0, 100, &numfds);
    }
    double seconds = now_seconds() - t0;
    qsort(latency, (size_t)total, sizeof *latency, cmp_double);
    printf("requests=%ld seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%ld\n", total,
           seconds, (double)total / seconds, latency[total / 2] * 1000.0,
           latency[(total * 99) / 100] * 1000.0, errors);
    for (long i = 0; i < conc; i++)
        curl_easy_cleanup(slots[i].easy);
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    free(latency);
    free(slots);
    return errors ? 1 : 0;
}
