/*
 * test_fault_alloc.c — what can be simulated of running out of memory or
 * of a write the database refuses halfway:
 *
 *   - a failing allocation (server/fault_inject.h, built with the CMake
 *     option MCRED_TEST_HOOKS and switched on by MCRED_TEST_FAULTS=1): a
 *     score write asks, with X-Mcred-Fault-Alloc: N, that the Nth JSON
 *     allocation of its request fail, for N = 1, 2, … until the request
 *     no longer reaches the Nth.  Each that failed must answer 500 or
 *     503 in the JSON error shape with nothing written (the organisation's
 *     rows, as the superuser sees them, unchanged) — or, when the
 *     allocation failed after the commit (building the answer), the write
 *     whole: its score once, with its one event and one audit row; and the
 *     next request is answered as usual.  Both write paths: the one-shot
 *     path and the ordinary one (an Idempotency-Key takes that);
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

#define MAX_N 2000 /* allocations tried per path: far more than a score write makes */

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;
static struct f_world world;

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    const char *env[] = {"MCRED_TEST_FAULTS=1", NULL};
    h_server_start(&db, env, &server);
    f_world_make(&server, "alloc", &world);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    f_world_free(&world);
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

/* Fail the Nth allocation, N = 1, 2 …, of one kind of score write; how many failed. */
static long alloc_failures(bool keyed)
{
    long fired = 0, late = 0, n;
    /* the organisation's rows before each write: those after the last one (GET /v1/me between
     * changes only a token's last use, which the snapshot leaves out) */
    char *before = h_org_snapshot_all(&db, world.org.slug);
    for (n = 1; n <= MAX_N; n++) {
        char feedback[64], fault[64], key[96];
        snprintf(feedback, sizeof feedback, "alloc-%s-%ld", keyed ? "keyed" : "oneshot", n);
        snprintf(fault, sizeof fault, "X-Mcred-Fault-Alloc: %ld", n);
        snprintf(key, sizeof key, "Idempotency-Key: %s", feedback);
        const char *headers[] = {fault, keyed ? key : NULL, NULL};
        char *body = f_score_body(&world, 0, (int)n, feedback);
        struct h_response r;
        h_http_headers(&server, "POST", world.cohort.scores_path, world.cohort.coach_token[0],
                       "application/json", body, strlen(body), headers, &r);
        char *hit = h_response_header(&r, "X-Mcred-Fault-Fired");
        if (!hit) { /* the request made fewer than n allocations: it ran as usual */
            if (r.status != 201)
                fail_msg("write %ld without a fault: %ld %s", n, r.status, r.body);
            h_response_free(&r);
            free(body);
            break;
        }
        fired++;
        long kept = scores_with(feedback);
        if (r.status != 201 && ((r.status != 500 && r.status != 503) || !error_shaped(&r)))
            fail_msg("write %ld with allocation %ld failing: %ld %s", n, n, r.status, r.body);
        char *after = h_org_snapshot_all(&db, world.org.slug);
        if (kept == 0) {
            if (strcmp(before, after) != 0)
                fail_msg("write %ld failed (%ld) but changed the database:\n%s\n%s", n, r.status,
                         before, after);
            if (r.status == 201)
                fail_msg("write %ld answered 201 but wrote nothing", n);
        } else {
            /* the allocation failed after the commit: the write must be whole */
            late++;
            assert_int_equal(kept, 1);
            assert_int_equal(whole(feedback), 1);
        }
        free(before);
        before = after;
        free(hit);
        h_response_free(&r);
        free(body);
        expect_me_ok();
    }
    free(before);
    fprintf(stderr,
            "%s path: %ld allocations failed one by one (%ld after the commit, the write whole); "
            "the write makes %ld\n",
            keyed ? "ordinary (Idempotency-Key)" : "one-shot", fired, late, n - 1);
    assert_true(n <= MAX_N);
    return fired;
}

static void test_failing_allocation(void **state)
{
    (void)state;
    assert_true(alloc_failures(false) > 0);
    assert_true(alloc_failures(true) > 0);
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
        cmocka_unit_test(test_failing_allocation),
        cmocka_unit_test(test_constraint_mid_transaction),
    };
    return h_run_tests(tests, setup, teardown);
}
