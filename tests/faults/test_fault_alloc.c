/*
 * test_fault_alloc.c — what can be simulated of running out of memory or
 * of a write the database refuses halfway:
 *
 *   - a failing allocation (server/fault_inject.h, built with the CMake
 *     option MCRED_TEST_HOOKS and switched on by MCRED_TEST_FAULTS=1): a
 *     write asks, with X-Mcred-Fault-Alloc: N, that the Nth allocation of
 *     its request fail — one of our own code's malloc, calloc, realloc or
 *     strdup, or one of cJSON's — for N = 1, 2, … until the request no
 *     longer reaches the Nth.  Six writes: a score (both paths: the
 *     one-shot one and the ordinary one an Idempotency-Key takes), a
 *     problem of practice, evidence, a people import (CSV; with and without
 *     a key), a new cohort and an award (its ~4,800 allocations sampled
 *     past the first 400; MCRED_TEST_ALLOC_FULL=1 tries every one).
 *     Each request that failed must answer 500 or 503 in the JSON error
 *     shape with nothing written (the organisation's rows, as the
 *     superuser sees them, unchanged) — or, when the allocation failed
 *     after the commit (building the answer), have written the write
 *     whole: the rows of every table changed as a clean write of the same
 *     route changes them (measured first), and with a key its retry gets
 *     the kept answer and writes nothing.  A success must carry its JSON,
 *     and the next request is answered as usual.  Leaks and crashes on
 *     those paths show under ASan (h_server_stop reads the server's log);
 *   - a statement failing with a constraint error mid-transaction: a
 *     test-only trigger, made as the superuser, refuses the score's audit
 *     row, then its outbox event; the request fails in the error shape and
 *     neither the score, nor its event, nor its audit row (nor its
 *     idempotency record) is there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"

#define MAX_N 100000 /* allocations a write may make before the test calls it runaway */
/* Every allocation up to EVERY_N is failed; past it, a write with a `stride` only every
 * stride-th (an award signs its credential: thousands of allocations, most of them alike in
 * the canonicalisation), unless MCRED_TEST_ALLOC_FULL=1 asks for all of them (by hand:
 * docs/testing.md). */
#define EVERY_N 400
/*
 * Learners of a second cohort, pl0 …: the problem sweep takes one per problem write kept (one
 * problem per learner), from the first; the award sweep one per award kept, from
 * award_learner0 on.  A few dozen do; the full sweep keeps a few hundred awards (an award's
 * answer is built after its commit), and every learner makes every snapshot dearer.
 */
static long learners = 40, award_learner0 = 15;
#define AWARD_LEARNERS  (learners - award_learner0)
#define SCORES_PER_POST 100 /* learners scored per request: two scores each, under its cap */

/* MCRED_TEST_ALLOC_FULL=1: every allocation of every write, and learners enough for it. */
static bool full_sweep(void)
{
    const char *full = getenv("MCRED_TEST_ALLOC_FULL");
    return full && strcmp(full, "1") == 0;
}

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;
static struct f_world world;
static char *cohort2; /* the learners' cohort (pl0 …), made by learners_cohort_make */

static void learners_cohort_make(void)
{
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Learners\", \"starts_on\": "
                        "\"2026-09-01\", \"ends_on\": \"2026-12-01\", \"timezone\": \"UTC\","
                        " \"capacity\": 500}",
                        world.org.credential);
    struct h_response r;
    h_call(&server, "POST", "/v1/cohorts", world.org.coordinator, body, 201, &r);
    char *cohort = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    free(body);
    /* one roster request creates and enrols them all */
    if (full_sweep()) {
        learners = 500;
        award_learner0 = 150;
    }
    size_t cap = 64 + (size_t)learners * 64, len = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    len += (size_t)snprintf(csv + len, cap - len, "email,name\r\n");
    for (long i = 0; i < learners; i++)
        len += (size_t)snprintf(csv + len, cap - len, "pl%ld@alloc.example,Learner %ld\r\n", i, i);
    char *path = h_strf("/v1/cohorts/%s/members/import", cohort);
    h_http(&server, "POST", path, world.org.coordinator, "text/csv", csv, len, &r);
    if (r.status != 200 || h_json_long(r.json, "enrolled") != learners)
        fail_msg("POST %s: %ld %s", path, r.status, r.body);
    h_response_free(&r);
    free(path);
    free(csv);
    cohort2 = cohort;
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    const char *env[] = {"MCRED_TEST_FAULTS=1", NULL};
    h_server_start(&db, env, &server);
    f_world_make(&server, "alloc", &world);
    learners_cohort_make();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    /* under ASan a leak on any path the faults took fails here (h_server_stop reads the log) */
    int st = h_server_stop(&server);
    f_world_free(&world);
    free(cohort2);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

static bool error_shaped(const struct h_response *r)
{
    const char *code = h_json_string(r->json, "error.code");
    const char *message = h_json_string(r->json, "error.message");
    return code && *code && message && *message;
}

static void expect_me_ok(void)
{
    struct h_response r;
    h_http(&server, "GET", "/v1/me", world.cohort.coach_token[0], NULL, NULL, 0, &r);
    if (r.status != 200)
        fail_msg("GET /v1/me after a fault: %ld %s", r.status, r.body);
    h_response_free(&r);
}

static long scores_with(const char *feedback)
{
    return f_count(&db, "SELECT count(*) FROM mcred.scores WHERE feedback = $1", feedback);
}

/* 1 when the score of `feedback` has its one event and its one audit row. */
static long whole(const char *feedback)
{
    return f_count(&db,
                   "SELECT count(*) FROM mcred.scores s WHERE s.feedback = $1"
                   " AND (SELECT count(*) FROM mcred.events e WHERE e.org_id = s.org_id"
                   "      AND e.type = 'score.recorded' AND e.payload->>'score' = s.id::text) = 1"
                   " AND (SELECT count(*) FROM mcred.audit a WHERE a.org_id = s.org_id"
                   "      AND a.entity_id = s.id::text) = 1",
                   feedback);
}

/* ---- the writes ---- */

/* One kind of write: its request for the nth try; `kept` counts the writes it kept so far. */
struct write {
    const char *name;
    char *const *token;
    const char *content_type;
    long success;
    bool keyed; /* with an Idempotency-Key */
    char *(*path)(void);
    char *(*body)(long n, long kept, const char *mark);
    const char *(*kept_check)(const char *mark); /* NULL, or an extra check of a kept write */
    long stride; /* 0: every allocation; else past `every` every stride-th */
    long every;  /* with a stride: how many are failed one by one first (0: EVERY_N) */
};

static long next_n(const struct write *w, long n)
{
    if (n < (w->every ? w->every : EVERY_N) || w->stride <= 1 || full_sweep())
        return n + 1;
    return n + w->stride;
}

static char *scores_path(void)
{
    return strdup(world.cohort.scores_path);
}

static char *score_body(long n, long kept, const char *mark)
{
    (void)kept;
    /* one learner and indicator: each write supersedes the last (a level varies) */
    return f_score_body(&world, 0, 2 * (int)labs(n), mark);
}

static const char *score_whole(const char *mark)
{
    if (scores_with(mark) != 1)
        return "its score is not there once";
    return whole(mark) == 1 ? NULL : "its score lacks its one event or its one audit row";
}

static char *problem_path(void)
{
    return h_strf("/v1/cohorts/%s/problems", cohort2);
}

/* Each kept problem takes a learner: the next write names the next one. */
static char *problem_body(long n, long kept, const char *mark)
{
    (void)n;
    if (kept >= award_learner0)
        fail_msg("more problem writes kept than the %ld learners", award_learner0);
    return h_strf("{\"learner\": \"pl%ld@alloc.example\", \"title\": \"%s\","
                  " \"statement\": \"Chronic absence in grade 6.\","
                  " \"student_focus\": \"grade 6\", \"data_sources\": \"attendance\","
                  " \"root_cause\": \"transport\", \"strategy\": \"a bus\","
                  " \"standards\": [\"A\"], \"submit\": true}",
                  kept, mark);
}

static char *evidence_path(void)
{
    return h_strf("/v1/cohorts/%s/evidence", world.cohort.id);
}

static char *evidence_body(long n, long kept, const char *mark)
{
    (void)kept;
    return h_strf("{\"learner\": \"%s\", \"indicator\": \"A.1\", \"title\": \"%s\","
                  " \"url\": \"https://docs.example/evidence/%ld\", \"text\": \"notes\"}",
                  world.cohort.learner_email[0], mark, n);
}

static char *import_path(void)
{
    return strdup("/v1/people/import");
}

static char *import_body(long n, long kept, const char *mark)
{
    (void)kept;
    (void)n;
    /* new people each time (the mark names the sweep and the try), one with a quoted comma */
    return h_strf("email,name,role,school,position\r\n"
                  "%s-a@import.example,%s,none,Lincoln,principal\r\n"
                  "%s-b@import.example,\"%s, B\",,\"Lincoln, East\",\r\n",
                  mark, mark, mark, mark);
}

static char *cohorts_path(void)
{
    return strdup("/v1/cohorts");
}

static char *cohort_body(long n, long kept, const char *mark)
{
    (void)kept;
    (void)n;
    return h_strf("{\"credential\": \"%s\", \"name\": \"%s\", \"starts_on\": \"2026-09-08\","
                  " \"ends_on\": \"2026-10-20\", \"timezone\": \"America/Chicago\","
                  " \"capacity\": 16, \"min_learners\": 4}",
                  world.org.credential, mark);
}

/* The path names the learner: the next one once an award is kept (award_base: those an earlier
 * sweep awarded). */
static long award_base, award_kept;

static char *award_path(void)
{
    if (award_base + award_kept >= AWARD_LEARNERS)
        fail_msg("more awards kept than the %ld learners", AWARD_LEARNERS);
    return h_strf("/v1/cohorts/%s/members/pl%ld@alloc.example/award", cohort2,
                  award_learner0 + award_base + award_kept);
}

static char *award_body(long n, long kept, const char *mark)
{
    (void)n;
    (void)mark;
    award_kept = kept;
    return strdup("");
}

/* The award sweep's learners eligible: both indicators at the rule's level. */
static void learners_eligible(void)
{
    char *path = h_strf("/v1/cohorts/%s/scores", cohort2);
    for (long first = 0; first < AWARD_LEARNERS; first += SCORES_PER_POST) {
        size_t cap = 128 * 2 * SCORES_PER_POST, len = 0;
        char *body = malloc(cap);
        assert_non_null(body);
        len += (size_t)snprintf(body + len, cap - len, "{\"scores\": [");
        for (long i = first; i < first + SCORES_PER_POST && i < AWARD_LEARNERS; i++)
            for (int k = 1; k <= 2; k++)
                len += (size_t)snprintf(body + len, cap - len,
                                        "%s{\"learner\": \"pl%ld@alloc.example\","
                                        " \"indicator\": \"A.%d\", \"level\": 2}",
                                        i == first && k == 1 ? "" : ", ", award_learner0 + i, k);
        snprintf(body + len, cap - len, "]}");
        struct h_response r;
        h_call(&server, "POST", path, world.org.coordinator, body, 201, &r);
        h_response_free(&r);
        free(body);
    }
    free(path);
}

/* ---- what a write changed ---- */

/*
 * The change from one snapshot (h_org_snapshot_all: "table count [hash] | …") to another, as
 * "table+n" for a count that moved and "table~" for rows changed in place (malloc'd; "" when
 * nothing changed).
 */
static char *change(const char *before, const char *after)
{
    size_t cap = strlen(before) + strlen(after) + 1, len = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    const char *b = before, *a = after;
    while (*b && *a) {
        size_t bn = strcspn(b, "|"), an = strcspn(a, "|");
        char bt[64], at[64], bh[64] = "", ah[64] = "";
        long bc = 0, ac = 0;
        if (sscanf(b, " %63s %ld %63s", bt, &bc, bh) < 2 ||
            sscanf(a, " %63s %ld %63s", at, &ac, ah) < 2 || strcmp(bt, at) != 0)
            fail_msg("snapshots that do not match:\n%s\n%s", before, after);
        /* the hash field of the last table ends the string: sscanf read no further than it */
        if (ac != bc)
            len += (size_t)snprintf(out + len, cap - len, "%s%s%+ld", len ? " " : "", bt, ac - bc);
        else if (strncmp(b, a, bn) != 0 || bn != an)
            len += (size_t)snprintf(out + len, cap - len, "%s%s~", len ? " " : "", bt);
        b += bn + (b[bn] == '|');
        a += an + (a[an] == '|');
    }
    return out;
}

static void send_write(const struct write *w, long n, long fault, long kept, struct h_response *out)
{
    char mark[64], fault_h[64], key[96];
    snprintf(mark, sizeof mark, "alloc-%s%s-%ld", w->name, w->keyed ? "-keyed" : "", n);
    snprintf(fault_h, sizeof fault_h, "X-Mcred-Fault-Alloc: %ld", fault);
    snprintf(key, sizeof key, "Idempotency-Key: %s", mark);
    const char *headers[3] = {NULL, NULL, NULL};
    int h = 0;
    if (fault)
        headers[h++] = fault_h;
    if (w->keyed)
        headers[h++] = key;
    char *body = w->body(n, kept, mark);
    char *path = w->path();
    h_http_headers(&server, "POST", path, *w->token, w->content_type, body, strlen(body), headers,
                   out);
    free(body);
    free(path);
}

/*
 * A keyed write answered 500 after its commit: the client's retry (same key, same body, no
 * fault) gets the kept answer and writes nothing more — what docs/testing.md tells clients.
 */
static void retry_replays(const struct write *w, long n, long kept, const char *snapshot)
{
    struct h_response r;
    send_write(w, n, 0, kept, &r);
    if (r.status != w->success || !r.json)
        fail_msg("%s %ld: its retry got %ld %s", w->name, n, r.status, r.body);
    h_response_free(&r);
    char *now = h_org_snapshot_all(&db, world.org.slug);
    char *changed = change(snapshot, now);
    if (*changed)
        fail_msg("%s %ld: its retry wrote again: %s", w->name, n, changed);
    free(changed);
    free(now);
}

/*
 * Fail the Nth allocation, N = 1, 2 …, of one kind of write, after one clean write that shows
 * what the write changes; how many allocations failed.
 */
static long alloc_failures(const struct write *w)
{
    long fired = 0, kept = 0, late = 0, n;
    double started = f_now();
    /* the organisation's rows before each write: those after the last one (GET /v1/me between
     * changes only a token's last use, which the snapshot leaves out) */
    char *before = h_org_snapshot_all(&db, world.org.slug);
    /* two clean writes: the second shows what every later one changes (the first may make
     * rows that later writes update, as a learner's first score on an indicator does) */
    char *clean = NULL, *after = NULL;
    for (int i = 0; i < 2; i++) {
        struct h_response r;
        send_write(w, -i, 0, kept++, &r);
        if (r.status != w->success)
            fail_msg("%s: a clean write answered %ld %s", w->name, r.status, r.body);
        h_response_free(&r);
        after = h_org_snapshot_all(&db, world.org.slug);
        free(clean);
        clean = change(before, after);
        free(before);
        before = after;
    }
    if (!*clean)
        fail_msg("%s: a clean write changed nothing", w->name);
    struct h_response r;
    for (n = 1; n <= MAX_N; n = next_n(w, n)) {
        send_write(w, n, n, kept, &r);
        char *hit = h_response_header(&r, "X-Mcred-Fault-Fired");
        after = h_org_snapshot_all(&db, world.org.slug);
        char *changed = change(before, after);
        /* a success is the route's status with its JSON answer, never an empty one */
        bool ok_status = r.status == w->success && r.json;
        bool failed = (r.status == 500 || r.status == 503) && error_shaped(&r);
        if (!hit) { /* the request made fewer than n allocations: it ran as usual */
            if (!ok_status || strcmp(changed, clean) != 0)
                fail_msg("%s %ld without a fault: %ld (%s, want %s) %s", w->name, n, r.status,
                         changed, clean, r.body);
            free(changed);
            free(after);
            free(hit);
            h_response_free(&r);
            break;
        }
        fired++;
        if (!ok_status && !failed)
            fail_msg("%s %ld with allocation %ld failing: %ld %s", w->name, n, n, r.status, r.body);
        if (!*changed) {
            if (ok_status)
                fail_msg("%s %ld answered %ld but wrote nothing", w->name, n, r.status);
        } else {
            /* written: the allocation failed after the commit, and the write must be whole */
            if (strcmp(changed, clean) != 0)
                fail_msg("%s %ld (%ld) wrote part of a write: %s, a clean one %s\n%s", w->name, n,
                         r.status, changed, clean, r.body);
            char mark[64];
            snprintf(mark, sizeof mark, "alloc-%s%s-%ld", w->name, w->keyed ? "-keyed" : "", n);
            const char *why = w->kept_check ? w->kept_check(mark) : NULL;
            if (why)
                fail_msg("%s %ld: %s", w->name, n, why);
            if (!ok_status && w->keyed)
                retry_replays(w, n, kept, after);
            kept++;
            late += !ok_status;
        }
        free(changed);
        free(before);
        before = after;
        free(hit);
        h_response_free(&r);
        expect_me_ok();
    }
    free(before);
    fprintf(stderr,
            "%s%s: %ld allocations failed one by one (%ld answered 500 after the commit, the "
            "write whole; %ld written in all, the rest answered as usual); the write makes %ld; "
            "a write changes %s (%.1f s)\n",
            w->name, w->keyed ? " (Idempotency-Key)" : "", fired, late, kept - 2, n - 1, clean,
            f_now() - started);
    free(clean);
    assert_true(n <= MAX_N);
    return fired;
}

static const struct write scores_oneshot = {.name = "score",
                                            .token = &world.cohort.coach_token[0],
                                            .content_type = "application/json",
                                            .success = 201,
                                            .path = scores_path,
                                            .body = score_body,
                                            .kept_check = score_whole};
static const struct write scores_keyed = {.name = "score",
                                          .token = &world.cohort.coach_token[0],
                                          .content_type = "application/json",
                                          .success = 201,
                                          .keyed = true,
                                          .path = scores_path,
                                          .body = score_body,
                                          .kept_check = score_whole};

static void test_alloc_score(void **state)
{
    (void)state;
    assert_true(alloc_failures(&scores_oneshot) > 0);
    assert_true(alloc_failures(&scores_keyed) > 0);
}

static void test_alloc_problem(void **state)
{
    (void)state;
    const struct write w = {.name = "problem",
                            .token = &world.org.coordinator,
                            .content_type = "application/json",
                            .success = 201,
                            .path = problem_path,
                            .body = problem_body};
    assert_true(alloc_failures(&w) > 0);
}

static void test_alloc_evidence(void **state)
{
    (void)state;
    const struct write w = {.name = "evidence",
                            .token = &world.cohort.coach_token[0],
                            .content_type = "application/json",
                            .success = 201,
                            .path = evidence_path,
                            .body = evidence_body};
    assert_true(alloc_failures(&w) > 0);
}

static void test_alloc_people_import(void **state)
{
    (void)state;
    struct write w = {.name = "import",
                      .token = &world.org.coordinator,
                      .content_type = "text/csv",
                      .success = 200,
                      .path = import_path,
                      .body = import_body};
    assert_true(alloc_failures(&w) > 0);
    /* and with a key: the answer kept with the write is a CSV request's */
    w.keyed = true;
    assert_true(alloc_failures(&w) > 0);
}

static void test_alloc_cohort(void **state)
{
    (void)state;
    const struct write w = {.name = "cohort",
                            .token = &world.org.coordinator,
                            .content_type = "application/json",
                            .success = 201,
                            .path = cohorts_path,
                            .body = cohort_body};
    assert_true(alloc_failures(&w) > 0);
}

/* An award: the credential signed (vc/, jose/), so thousands of allocations; sampled past
 * EVERY_N. */
static void test_alloc_award(void **state)
{
    (void)state;
    learners_eligible();
    const struct write w = {.name = "award",
                            .token = &world.org.coordinator,
                            .success = 201,
                            .path = award_path,
                            .body = award_body,
                            .stride = 37};
    assert_true(alloc_failures(&w) > 0);
    /* with a key the ordinary path (awards_create), whose answer is kept with the award; its
     * start is the one-shot path's, so fewer of it one by one */
    struct write keyed = w;
    keyed.keyed = true;
    keyed.every = 100;
    keyed.stride = 97;
    award_base = f_count(&db, "SELECT count(*) FROM mcred.awards WHERE revoked_at IS NULL", NULL);
    assert_true(alloc_failures(&keyed) > 0);
}

/* A score write that the trigger on `table` refuses: an error, and nothing of it kept. */
static void refused_write(const char *table, bool keyed)
{
    char feedback[64], key[96];
    snprintf(feedback, sizeof feedback, "refused-%s-%s", table, keyed ? "keyed" : "oneshot");
    snprintf(key, sizeof key, "Idempotency-Key: %s", feedback);
    const char *headers[] = {keyed ? key : NULL, NULL};
    char *body = f_score_body(&world, 0, 1, feedback);
    char *before = h_org_snapshot_all(&db, world.org.slug);
    struct h_response r;
    h_http_headers(&server, "POST", world.cohort.scores_path, world.cohort.coach_token[0],
                   "application/json", body, strlen(body), headers, &r);
    /* the trigger's check violation, mapped as every constraint error is: 422 */
    if (r.status != 422 || !error_shaped(&r))
        fail_msg("a write whose %s row is refused: %ld %s", table, r.status, r.body);
    fprintf(stderr, "%s row refused (%s path): %ld %s\n", table, keyed ? "ordinary" : "one-shot",
            r.status, r.body);
    h_response_free(&r);
    char *after = h_org_snapshot_all(&db, world.org.slug);
    assert_string_equal(before, after);
    assert_int_equal(scores_with(feedback), 0);
    assert_int_equal(
        f_count(&db, "SELECT count(*) FROM mcred.idempotency WHERE key = $1", feedback), 0);
    free(after);
    free(before);
    free(body);
    expect_me_ok();
}

static void test_constraint_mid_transaction(void **state)
{
    (void)state;
    /* test-only: raise a check violation on the insert of a score's audit row, or of a
     * score.recorded event — the statements after the score's own insert */
    h_db_exec_super(
        &db, "CREATE FUNCTION mcred.fault_refuse() RETURNS trigger LANGUAGE plpgsql AS $$"
             " BEGIN"
             /* nested: PL/pgSQL does not promise to skip NEW.type on an audit row */
             "  IF TG_TABLE_NAME = 'audit' THEN"
             "   IF NEW.entity = 'score' THEN"
             "    RAISE EXCEPTION 'refused by a fault test' USING ERRCODE = 'check_violation';"
             "   END IF;"
             "  ELSIF NEW.type = 'score.recorded' THEN"
             "   RAISE EXCEPTION 'refused by a fault test' USING ERRCODE = 'check_violation';"
             "  END IF;"
             "  RETURN NEW;"
             " END $$");
    const char *tables[] = {"audit", "events"};
    for (int i = 0; i < 2; i++) {
        char *sql = h_strf("CREATE TRIGGER fault_refuse BEFORE INSERT ON mcred.%s"
                           " FOR EACH ROW EXECUTE FUNCTION mcred.fault_refuse()",
                           tables[i]);
        h_db_exec_super(&db, sql);
        free(sql);
        refused_write(tables[i], false);
        refused_write(tables[i], true);
        sql = h_strf("DROP TRIGGER fault_refuse ON mcred.%s", tables[i]);
        h_db_exec_super(&db, sql);
        free(sql);
    }
    h_db_exec_super(&db, "DROP FUNCTION mcred.fault_refuse()");
    /* and with the trigger gone, the same write goes through whole */
    char *body = f_score_body(&world, 0, 1, "after the faults");
    struct h_response r;
    h_call(&server, "POST", world.cohort.scores_path, world.cohort.coach_token[0], body, 201, &r);
    h_response_free(&r);
    free(body);
    assert_int_equal(scores_with("after the faults"), 1);
    assert_int_equal(f_count(&db,
                             "SELECT count(*) FROM mcred.events e JOIN mcred.scores s"
                             " ON e.payload->>'score' = s.id::text WHERE s.feedback = $1",
                             "after the faults"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_score),
        cmocka_unit_test(test_alloc_problem),
        cmocka_unit_test(test_alloc_evidence),
        cmocka_unit_test(test_alloc_people_import),
        cmocka_unit_test(test_alloc_cohort),
        cmocka_unit_test(test_alloc_award),
        cmocka_unit_test(test_constraint_mid_transaction),
    };
    return h_run_tests(tests, setup, teardown);
}
