/*
 * test_fast_writes.c — the score write's one-round-trip path and the
 * shared cohort lock keep every rule of the ordinary path (docs/api.md
 * "Scores", docs/performance.md):
 *
 *   - closing a cohort while coaches write scores from several
 *     connections: every score answered 201 is in the database exactly
 *     once with its event, every request sent after the close was
 *     answered is refused 409 "is closed", and nothing else is answered;
 *   - two coaches scoring the last two indicators of the same learners at
 *     once: each learner becomes eligible exactly once (one
 *     credential.eligible), and the status read agrees with the flag the
 *     writes keep;
 *   - whole sheets and single scores of the same learners written at
 *     once: nobody deadlocks, each current level is the pair's last
 *     score, and the eligibility kept is the one decided afresh;
 *   - the one-shot path answers as the ordinary one: a cohort named by its
 *     slug, a token that is not one (401, nothing written), an
 *     Idempotency-Key replayed (the ordinary path, the same answer), a
 *     bulk request with malformed items and items the database refuses
 *     (every problem listed, item by item, nothing written).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "fast";
static struct h_cohort_world world; /* harness.h: the organisation and its credential */

#define LEARNERS 8
#define COACHES  2
#define ROUNDS   8 /* of the eligibility race */

static cJSON *call(const char *method, const char *path, const char *tok, const char *body,
                   long want)
{
    struct h_response r;
    h_call(&server, method, path, tok, body, want, &r);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

/* A count the superuser makes; frees the SQL. */
static long count_of(char *sql)
{
    long n = h_db_long_super(&db, sql);
    free(sql);
    return n;
}

/* db_count("… '%s' …", id): ids here are UUIDs the server made. */
#define db_count(fmt, arg) count_of(h_strf(fmt, arg))

/* The world's credential (harness.h): two indicators, an award rule that asks only for levels
 * (2 or more).  Each test makes cohorts of COACHES coaches and LEARNERS learners, learner i
 * coached by coach i % COACHES. */
static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    h_cohort_world_make(&server, org_slug, &world);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    h_cohort_world_free(&world);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- closing while scores are written ---- */

#define WRITES_PER_COACH 150

struct writer {
    const struct h_cohort *c;
    int coach;
    _Atomic double *closed_at; /* when the close was answered; 0 before */
    atomic_long *created;
    long created_n, closed_n, late_created, other;
    char other_answer[256];
};

static void *write_scores(void *arg)
{
    struct writer *w = arg;
    for (int n = 0; n < WRITES_PER_COACH; n++) {
        int learner = (n * COACHES + w->coach) % LEARNERS;
        char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"A.%d\", \"level\": %d}",
                            w->c->learner_email[learner], 1 + n % 2, 1 + n % 3);
        double sent = now_s();
        double closed = atomic_load(w->closed_at);
        bool after_close = closed > 0 && sent > closed;
        struct h_response r;
        h_http(&server, "POST", w->c->scores_path, w->c->coach_token[w->coach], "application/json",
               body, strlen(body), &r);
        if (r.status == 201) {
            w->created_n++;
            atomic_fetch_add(w->created, 1);
            w->late_created += after_close;
        } else if (r.status == 409 && strstr(r.body, "is closed")) {
            w->closed_n++;
        } else if (w->other++ == 0) {
            snprintf(w->other_answer, sizeof w->other_answer, "%ld %.200s", r.status, r.body);
        }
        h_response_free(&r);
        free(body);
    }
    return NULL;
}

static void test_close_while_writing(void **state)
{
    (void)state;
    struct h_cohort c;
    h_cohort_make(&world, "Closing Race", COACHES, LEARNERS, &c);
    _Atomic double closed_at = 0;
    atomic_long created = 0;
    struct writer w[COACHES * 2];
    pthread_t t[COACHES * 2];
    for (int k = 0; k < COACHES * 2; k++) {
        w[k] = (struct writer){
            .c = &c, .coach = k % COACHES, .closed_at = &closed_at, .created = &created};
        if (pthread_create(&t[k], NULL, write_scores, &w[k]) != 0)
            fail_msg("pthread_create");
    }
    /* close once the writers are well under way */
    double deadline = now_s() + 60;
    while (atomic_load(&created) < 40 && now_s() < deadline)
        nanosleep(&(struct timespec){.tv_nsec = 2000000}, NULL);
    char *path = h_strf("/v1/cohorts/%s", c.id);
    cJSON_Delete(call("PATCH", path, world.coordinator, "{\"status\": \"closed\"}", 200));
    atomic_store(&closed_at, now_s());
    free(path);
    long created_n = 0, closed_n = 0;
    for (int k = 0; k < COACHES * 2; k++) {
        pthread_join(t[k], NULL);
        if (w[k].other)
            fail_msg("writer %d: %ld answers neither 201 nor 409 closed, first: %s", k, w[k].other,
                     w[k].other_answer);
        if (w[k].late_created)
            fail_msg("writer %d: %ld scores written after the close was answered", k,
                     w[k].late_created);
        created_n += w[k].created_n;
        closed_n += w[k].closed_n;
    }
    assert_true(created_n >= 40);
    assert_true(closed_n > 0);
    assert_int_equal(created_n + closed_n, COACHES * 2 * WRITES_PER_COACH);
    long rows = db_count("SELECT count(*) FROM mcred.scores WHERE cohort_id = '%s'", c.id);
    long events = db_count("SELECT count(*) FROM mcred.events WHERE type = 'score.recorded'"
                           " AND payload->>'cohort' = '%s'",
                           c.id);
    long audits = db_count("SELECT count(*) FROM mcred.audit a JOIN mcred.scores s"
                           " ON s.id::text = a.entity_id WHERE s.cohort_id = '%s'",
                           c.id);
    assert_int_equal(rows, created_n);
    assert_int_equal(events, created_n);
    assert_int_equal(audits, created_n);
    h_cohort_free(&c);
}

/* ---- eligibility decided once, under concurrent writes ---- */

struct finisher {
    const struct h_cohort *c;
    int coach;
    const char *indicator;
    long failures;
};

/* Score one indicator at 3 for every learner of this coach's: all at the same time as the other. */
static void *finish_indicator(void *arg)
{
    struct finisher *f = arg;
    for (int i = f->coach; i < LEARNERS; i += COACHES) {
        char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"%s\", \"level\": 3}",
                            f->c->learner_email[i], f->indicator);
        struct h_response r;
        h_http(&server, "POST", f->c->scores_path, f->c->coach_token[f->coach], "application/json",
               body, strlen(body), &r);
        f->failures += r.status != 201;
        h_response_free(&r);
        free(body);
    }
    return NULL;
}

static void test_eligible_once(void **state)
{
    (void)state;
    struct h_cohort c;
    h_cohort_make(&world, "Eligible Once", COACHES, LEARNERS, &c);
    /* Each round every learner is made ineligible, then both indicators are raised at once by
     * two writers of their coach: each round must move every learner to eligible once. */
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < LEARNERS; i++) {
            char *body = h_strf("{\"scores\": [{\"learner\": \"%s\", \"indicator\": \"A.1\","
                                " \"level\": 1}, {\"learner\": \"%s\", \"indicator\": \"A.2\","
                                " \"level\": 1}]}",
                                c.learner_email[i], c.learner_email[i]);
            cJSON_Delete(call("POST", c.scores_path, c.coach_token[i % COACHES], body, 201));
            free(body);
        }
        struct finisher f[4] = {
            {&c, 0, "A.1", 0},
            {&c, 0, "A.2", 0},
            {&c, 1, "A.1", 0},
            {&c, 1, "A.2", 0},
        };
        pthread_t t[4];
        for (int k = 0; k < 4; k++)
            if (pthread_create(&t[k], NULL, finish_indicator, &f[k]) != 0)
                fail_msg("pthread_create");
        for (int k = 0; k < 4; k++) {
            pthread_join(t[k], NULL);
            assert_int_equal(f[k].failures, 0);
        }
    }
    long eligible_events =
        db_count("SELECT count(*) FROM mcred.events WHERE type = 'credential.eligible'"
                 " AND payload->>'cohort' = '%s'",
                 c.id);
    assert_int_equal(eligible_events, LEARNERS * ROUNDS);
    char *path = h_strf("/v1/cohorts/%s/status", c.id);
    cJSON *j = call("GET", path, world.coordinator, NULL, 200);
    const cJSON *learners = cJSON_GetObjectItem(j, "learners"), *l;
    assert_int_equal(cJSON_GetArraySize(learners), LEARNERS);
    cJSON_ArrayForEach(l, learners)
    {
        const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(l, "status"));
        assert_non_null(status);
        assert_string_equal(status, "eligible");
    }
    cJSON_Delete(j);
    free(path);
    long flagged = db_count("SELECT count(*) FROM mcred.members WHERE cohort_id = '%s'"
                            " AND role = 'learner' AND eligible",
                            c.id);
    assert_int_equal(flagged, LEARNERS);

    /* a lower level takes eligibility away; raising it again is a second move, a second event */
    char *body =
        h_strf("{\"learner\": \"%s\", \"indicator\": \"A.1\", \"level\": 1}", c.learner_email[0]);
    cJSON_Delete(call("POST", c.scores_path, c.coach_token[0], body, 201));
    free(body);
    char *sql = h_strf("SELECT count(*) FROM mcred.members WHERE cohort_id = '%s'"
                       " AND person_id = '%s' AND eligible",
                       c.id, c.learner_id[0]);
    assert_int_equal(h_db_long_super(&db, sql), 0);
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"A.1\", \"level\": \"Accomplished\"}",
                  c.learner_email[0]);
    cJSON_Delete(call("POST", c.scores_path, c.coach_token[0], body, 201));
    free(body);
    assert_int_equal(h_db_long_super(&db, sql), 1);
    free(sql);
    eligible_events = db_count("SELECT count(*) FROM mcred.events WHERE type = "
                               "'credential.eligible' AND payload->>'cohort' = '%s'",
                               c.id);
    assert_int_equal(eligible_events, LEARNERS * ROUNDS + 1);
    h_cohort_free(&c);
}

/* ---- the one-shot path answers as the ordinary one ---- */

static char *snapshot(void)
{
    return h_org_snapshot_all(&db, org_slug);
}

static void test_oneshot_answers(void **state)
{
    (void)state;
    struct h_cohort c;
    h_cohort_make(&world, "Same Answers", COACHES, LEARNERS, &c);

    /* by slug */
    char *path = h_strf("/v1/cohorts/%s/scores", c.slug);
    char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"A.1\", \"level\": \"developing\"}",
                        c.learner_email[0]);
    cJSON *j = call("POST", path, c.coach_token[0], body, 201);
    assert_int_equal(h_json_long(j, "scores[0].level"), 2);
    assert_string_equal(h_json_string(j, "scores[0].label"), "Developing");
    cJSON_Delete(j);

    /* a token that is none: 401, nothing written */
    char *before = snapshot();
    struct h_response r;
    h_http(&server, "POST", path, "mcred_notatoken_0000000000000000000000000000000000000000",
           "application/json", body, strlen(body), &r);
    assert_int_equal(r.status, 401);
    h_response_free(&r);
    char *after = snapshot();
    assert_string_equal(before, after);
    free(after);

    /* another coach's learner: 403 in words, nothing written */
    char *other =
        h_strf("{\"learner\": \"%s\", \"indicator\": \"A.1\", \"level\": 2}", c.learner_email[1]);
    h_http(&server, "POST", path, c.coach_token[0], "application/json", other, strlen(other), &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "you do not coach"));
    h_response_free(&r);
    free(other);
    after = snapshot();
    assert_string_equal(before, after);
    free(after);
    free(before);

    /* replayed with an Idempotency-Key: one score, the same answer */
    const char *const key[] = {"Idempotency-Key: fast-writes-1", NULL};
    struct h_response first, second;
    h_http_headers(&server, "POST", c.scores_path, c.coach_token[0], "application/json", body,
                   strlen(body), key, &first);
    h_http_headers(&server, "POST", c.scores_path, c.coach_token[0], "application/json", body,
                   strlen(body), key, &second);
    assert_int_equal(first.status, 201);
    assert_int_equal(second.status, 201);
    assert_string_equal(h_json_string(first.json, "scores[0].id"),
                        h_json_string(second.json, "scores[0].id"));
    h_response_free(&first);
    h_response_free(&second);
    assert_int_equal(db_count("SELECT count(*) FROM mcred.scores WHERE cohort_id = '%s'", c.id), 2);

    /* malformed items and items the database refuses: every problem, in item order */
    before = snapshot();
    char *bulk =
        h_strf("{\"scores\": [{\"learner\": \"%s\", \"indicator\": \"A.9\", \"level\": 2},"
               " {\"learner\": \"%s\", \"indicator\": \"A.1\", \"level\": 2, \"feedback\": 7},"
               " {\"learner\": \"nobody@fast.example\", \"indicator\": \"A.2\", \"level\": 9}]}",
               c.learner_email[0], c.learner_email[2]);
    h_http(&server, "POST", path, c.coach_token[0], "application/json", bulk, strlen(bulk), &r);
    assert_int_equal(r.status, 422);
    const cJSON *errors = h_json_at(r.json, "error.errors");
    if (!errors)
        errors = h_json_at(r.json, "errors");
    assert_non_null(errors);
    assert_int_equal(cJSON_GetArraySize(errors), 4);
    assert_string_equal(h_json_string(r.json, "error.field"), "scores");
    const char *fields[] = {"scores[0].indicator", "scores[1].feedback", "scores[2].level",
                            "scores[2].learner"};
    for (int i = 0; i < 4; i++)
        assert_string_equal(
            cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(errors, i), "field")),
            fields[i]);
    assert_non_null(strstr(r.body, "A.9 is not an indicator of this credential"));
    assert_non_null(strstr(r.body, "level must be 1 (Beginning) to 3 (Accomplished)"));
    assert_non_null(strstr(r.body, "no person nobody@fast.example in this organisation"));
    h_response_free(&r);
    after = snapshot();
    assert_string_equal(before, after);
    free(after);
    free(before);
    free(bulk);
    free(body);
    free(path);
    h_cohort_free(&c);
}

/* ---- whole sheets and single scores of the same learners at once ---- */

#define MIXED_ROUNDS 12

struct mixer {
    const struct h_cohort *c;
    const char *token;
    bool sheets; /* every learner's every indicator in one request (more than 8 pairs) */
    int coach;   /* of single scores: whose learners */
    int seed;
    long failures;
};

static void *mix_scores(void *arg)
{
    struct mixer *m = arg;
    for (int round = 0; round < MIXED_ROUNDS; round++) {
        char *body;
        if (m->sheets) {
            char items[4096] = "";
            size_t used = 0;
            for (int i = 0; i < LEARNERS; i++)
                for (int k = 1; k <= 2; k++)
                    used += (size_t)snprintf(items + used, sizeof items - used,
                                             "%s{\"learner\": \"%s\", \"indicator\": \"A.%d\","
                                             " \"level\": %d}",
                                             used ? ", " : "", m->c->learner_email[i], k,
                                             (round + i + k + m->seed) % 3 + 1);
            body = h_strf("{\"scores\": [%s]}", items);
        } else {
            int i = (round * 3 + m->seed) % (LEARNERS / COACHES) * COACHES + m->coach;
            body = h_strf("{\"learner\": \"%s\", \"indicator\": \"A.%d\", \"level\": %d}",
                          m->c->learner_email[i], round % 2 + 1, (round + m->seed) % 3 + 1);
        }
        struct h_response r;
        h_http(&server, "POST", m->c->scores_path, m->token, "application/json", body, strlen(body),
               &r);
        m->failures += r.status != 201;
        h_response_free(&r);
        free(body);
    }
    return NULL;
}

static void test_sheets_and_singles(void **state)
{
    (void)state;
    struct h_cohort c;
    h_cohort_make(&world, "Sheets And Singles", COACHES, LEARNERS, &c);
    /* two writers of whole sheets (learner locks) and four of single scores (pair locks), levels
     * crossing min_level both ways: nobody deadlocks or waits out a timeout */
    struct mixer m[6] = {
        {&c, world.coordinator, true, 0, 0, 0}, {&c, world.coordinator, true, 0, 1, 0},
        {&c, c.coach_token[0], false, 0, 0, 0}, {&c, c.coach_token[0], false, 0, 2, 0},
        {&c, c.coach_token[1], false, 1, 1, 0}, {&c, c.coach_token[1], false, 1, 3, 0},
    };
    pthread_t t[6];
    for (int k = 0; k < 6; k++)
        if (pthread_create(&t[k], NULL, mix_scores, &m[k]) != 0)
            fail_msg("pthread_create");
    for (int k = 0; k < 6; k++) {
        pthread_join(t[k], NULL);
        assert_int_equal(m[k].failures, 0);
    }
    /* each current level is that of the pair's last score, as the writes were ordered */
    assert_int_equal(
        db_count("SELECT count(*) FROM mcred.score_current sc WHERE sc.cohort_id = '%s'"
                 " AND sc.score_id <> (SELECT s.id FROM mcred.scores s"
                 "  WHERE s.org_id = sc.org_id AND s.cohort_id = sc.cohort_id"
                 "    AND s.learner_id = sc.learner_id AND s.indicator = sc.indicator"
                 "  ORDER BY s.seq DESC LIMIT 1)",
                 c.id),
        0);
    /* and the eligibility the writes kept is the one decided afresh */
    assert_int_equal(
        db_count("SELECT count(*) FROM mcred.members m JOIN mcred.learners_eligibility("
                 "m.org_id, m.cohort_id, ARRAY[m.person_id]) e ON true"
                 " WHERE m.cohort_id = '%s' AND m.role = 'learner'"
                 "   AND m.eligible IS DISTINCT FROM e.eligible",
                 c.id),
        0);
    h_cohort_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oneshot_answers),
        cmocka_unit_test(test_eligible_once),
        cmocka_unit_test(test_close_while_writing),
        cmocka_unit_test(test_sheets_and_singles),
    };
    return h_run("test_fast_writes", tests, sizeof tests / sizeof tests[0], setup, teardown);
}
