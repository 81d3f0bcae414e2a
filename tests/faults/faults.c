/*
 * faults.c — see faults.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "faults.h"

static cJSON *call(const struct h_server *s, const char *method, const char *path,
                   const char *token, const char *body, long want)
{
    struct h_response r;
    h_call(s, method, path, token, body, want, &r);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

static char *credential_make(const struct f_world *w)
{
    const char *framework =
        "{\"slug\": \"faults\", \"version\": 1, \"title\": \"Faults\", \"achievement_type\": "
        "\"Badge\", \"rubric\": [{\"level\": 1, \"label\": \"Beginning\"}, {\"level\": 2, "
        "\"label\": \"Developing\"}, {\"level\": 3, \"label\": \"Accomplished\"}],"
        " \"award_rule\": {\"min_level\": 2, \"min_weekly_attendance\": 0,"
        " \"problem_of_practice_required\": false},"
        " \"standards\": [{\"code\": \"A\", \"title\": \"Reading data\", \"indicators\":"
        " [{\"code\": \"A.1\", \"text\": \"Reads a chart\"}, {\"code\": \"A.2\", \"text\":"
        " \"Asks of the data\"}]}]}";
    cJSON *j = call(w->server, "POST", "/v1/credentials", w->coordinator, framework, 201);
    char *id = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    char *path = h_strf("/v1/credentials/%s/publish", id);
    cJSON_Delete(call(w->server, "POST", path, w->coordinator, NULL, 200));
    free(path);
    return id;
}

static void cohort_make(struct f_world *w)
{
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Faults\", \"starts_on\": "
                        "\"2026-09-01\", \"ends_on\": \"2026-12-01\", \"timezone\": \"UTC\","
                        " \"capacity\": %d}",
                        w->credential, F_LEARNERS);
    cJSON *j = call(w->server, "POST", "/v1/cohorts", w->coordinator, body, 201);
    w->cohort = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    w->scores_path = h_strf("/v1/cohorts/%s/scores", w->cohort);
    char members[8192] = "{\"members\": [";
    size_t used = strlen(members);
    for (int k = 0; k < F_COACHES; k++) {
        w->coach_email[k] = h_strf("coach%d@%s.example", k, w->slug);
        char *id = h_person(w->server, w->coordinator, w->coach_email[k], "Coach", NULL);
        w->coach_token[k] = h_token_for(w->server, w->admin, id);
        free(id);
        used += (size_t)snprintf(members + used, sizeof members - used,
                                 "%s{\"email\": \"%s\", \"role\": \"coach\"}", k ? ", " : "",
                                 w->coach_email[k]);
    }
    for (int i = 0; i < F_LEARNERS; i++) {
        w->learner_email[i] = h_strf("learner%d@%s.example", i, w->slug);
        w->learner_id[i] =
            h_person(w->server, w->coordinator, w->learner_email[i], "Learner", NULL);
        used += (size_t)snprintf(members + used, sizeof members - used,
                                 ", {\"email\": \"%s\", \"coach\": \"%s\"}", w->learner_email[i],
                                 w->coach_email[i % F_COACHES]);
    }
    snprintf(members + used, sizeof members - used, "]}");
    char *path = h_strf("/v1/cohorts/%s/members", w->cohort);
    cJSON_Delete(call(w->server, "POST", path, w->coordinator, members, 201));
    free(path);
}

void f_world_make(const struct h_server *server, const char *slug, struct f_world *out)
{
    memset(out, 0, sizeof *out);
    out->server = server;
    out->slug = slug;
    char *email = h_strf("admin@%s.example", slug);
    out->admin = h_bootstrap(server, slug, email);
    free(email);
    email = h_strf("coordinator@%s.example", slug);
    char *id = h_person(server, out->admin, email, "Coordinator", "coordinator");
    out->coordinator = h_token_for(server, out->admin, id);
    free(id);
    free(email);
    out->credential = credential_make(out);
    cohort_make(out);
}

void f_world_free(struct f_world *w)
{
    free(w->admin);
    free(w->coordinator);
    free(w->credential);
    free(w->cohort);
    free(w->scores_path);
    for (int k = 0; k < F_COACHES; k++) {
        free(w->coach_email[k]);
        free(w->coach_token[k]);
    }
    for (int i = 0; i < F_LEARNERS; i++) {
        free(w->learner_email[i]);
        free(w->learner_id[i]);
    }
    memset(w, 0, sizeof *w);
}

char *f_score_body(const struct f_world *w, int learner, int n, const char *feedback)
{
    return h_strf("{\"learner\": \"%s\", \"indicator\": \"A.%d\", \"level\": %d,"
                  " \"feedback\": \"%s\"}",
                  w->learner_email[learner % F_LEARNERS], 1 + n % 2, 1 + n % 3, feedback);
}

char *f_subscribe(const struct f_world *w, const struct h_receiver *rx, const char *events,
                  char **out_secret)
{
    char *body = h_strf("{\"url\": \"%s\", \"events\": %s}", rx->url, events);
    struct h_response r;
    h_post_json(w->server, "/v1/webhooks", w->admin, body, &r);
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

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct h_received *)a)->id, ((const struct h_received *)b)->id);
}

static bool ok_status(int status)
{
    return status >= 200 && status <= 299;
}

struct f_tally f_tally(const struct h_receiver *rx)
{
    struct h_received *rows = NULL;
    struct f_tally t = {.lines = h_receiver_log(rx, &rows)};
    qsort(rows, t.lines, sizeof *rows, by_id);
    for (size_t i = 0; i < t.lines; i++) {
        if (!rows[i].verified)
            t.unverified++;
        if (!ok_status(rows[i].status)) {
            t.failed++;
            continue;
        }
        bool seen = false;
        for (size_t j = i; j-- > 0 && strcmp(rows[j].id, rows[i].id) == 0;)
            seen = seen || ok_status(rows[j].status);
        if (seen)
            t.duplicates++;
        else
            t.delivered++;
    }
    free(rows);
    return t;
}

struct f_tally f_wait_delivered(const struct h_receiver *rx, size_t n, int seconds)
{
    struct f_tally t = {0};
    double deadline = f_now() + seconds;
    for (;;) {
        t = f_tally(rx);
        if (t.delivered >= n)
            return t;
        if (f_now() > deadline)
            break;
        f_sleep_ms(100);
    }
    fail_msg("the receiver got %zu of %zu deliveries within %d s (%zu requests)", t.delivered, n,
             seconds, t.lines);
    return t;
}

size_t f_log_sorted(const struct h_receiver *rx, struct h_received **out)
{
    size_t n = h_receiver_log(rx, out);
    qsort(*out, n, sizeof **out, by_id);
    return n;
}

bool f_delivered(const struct h_received *rows, size_t n, const char *id)
{
    struct h_received key;
    snprintf(key.id, sizeof key.id, "%s", id);
    const struct h_received *at = bsearch(&key, rows, n, sizeof *rows, by_id);
    if (!at)
        return false;
    /* bsearch finds one of the lines with this id; look at all of them */
    while (at > rows && strcmp(at[-1].id, id) == 0)
        at--;
    for (; at < rows + n && strcmp(at->id, id) == 0; at++)
        if (ok_status(at->status))
            return true;
    return false;
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
