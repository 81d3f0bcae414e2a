/*
 * faults.c — see faults.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "faults.h"

void f_world_make(const struct h_server *server, const char *slug, struct f_world *out)
{
    h_cohort_world_make(server, slug, &out->org);
    h_cohort_make(&out->org, "Faults", F_COACHES, F_LEARNERS, &out->cohort);
}

void f_world_free(struct f_world *w)
{
    h_cohort_free(&w->cohort);
    h_cohort_world_free(&w->org);
}

char *f_score_body(const struct f_world *w, int learner, int n, const char *feedback)
{
    return h_strf("{\"learner\": \"%s\", \"indicator\": \"A.%d\", \"level\": %d,"
                  " \"feedback\": \"%s\"}",
                  w->cohort.learner_email[learner % F_LEARNERS], 1 + n % 2, 1 + n % 3, feedback);
}

char *f_subscribe(const struct f_world *w, const struct h_receiver *rx, const char *events,
                  char **out_secret)
{
    char *body = h_strf("{\"url\": \"%s\", \"events\": %s}", rx->url, events);
    struct h_response r;
    h_post_json(w->org.server, "/v1/webhooks", w->org.admin, body, &r);
    if (r.status != 201)
        fail_msg("POST /v1/webhooks: %ld %s", r.status, r.body);
    h_receiver_add_secret(rx, h_json_string(r.json, "secret"));
    if (out_secret)
        *out_secret = strdup(h_json_string(r.json, "secret"));
    char *id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    free(body);
    return id;
}

double f_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void f_sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

long f_count(const struct h_db *db, const char *sql, const char *param)
{
    const char *params[] = {param};
    char *v = h_db_query_super_params(db, sql, param ? 1 : 0, param ? params : NULL);
    char *end = NULL;
    long n = v ? strtol(v, &end, 10) : -1;
    if (!v || end == v || *end)
        fail_msg("%s: not a number: %s", sql, v ? v : "NULL");
    free(v);
    return n;
}
