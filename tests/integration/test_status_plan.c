/*
 * test_status_plan.c — credential status stays cheap in a large district
 * (docs/status.md): a database of 100,000 scores over 200 cohorts and
 * 3,000 learners (written with superuser SQL into the real tables, the
 * current levels in mcred.score_current as the server keeps them), and
 * one cohort of 15 learners run through the API inside it.
 *
 *   - every status query of server/status_db.c (the text between its
 *     `status-query:NAME:begin` / `:end` markers, read from the source
 *     at run time) is EXPLAINed as the application role under
 *     row-level security (mcred.org_id set, empty search_path), for a
 *     whole cohort and for one learner, with the plan the server gets
 *     (a custom plan for DB_STMT_REPLAN statements; a custom and a
 *     generic one for prepared statements; the organisation is
 *     mcred.current_org(), $1 the cohort, $2 a learner or NULL): no `Seq Scan` on a score
 *     table (scores, score_current), and an index on the score tables
 *     for each query that reads them;
 *   - GET /v1/cohorts/{id}/status and the member route answer the
 *     15-learner cohort correctly: the newest score wins over an older
 *     higher one written before the API's, attendance, problems;
 *   - the number of statements a status request sends is fixed: the
 *     cluster's statement log (log_statement = all on the test database)
 *     counts the same for a cohort of 15 learners as for one of 3, for a
 *     coordinator and for a coach, and for one learner's status.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"

#define ROSTER      MCRED_FIXTURES_DIR "/first-cohort-roster.csv"
#define SEED        MCRED_FIXTURES_DIR "/equity-excellence.json"
#define STATUS_DB_C MCRED_SOURCE_DIR "/server/status_db.c"

#define N_LEARNERS    15
#define BULK_COHORTS  200
#define BULK_PER      15
#define BULK_LEARNERS (BULK_COHORTS * BULK_PER)
#define BULK_SCORES   100000
#define N_INDICATORS  12
#define MAX_QUERIES   32

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "plan";
static char *admin, *coordinator, *grace_token, *grace_id;
static char *org_id, *credential, *coordinator_id;
static char *target, *small; /* cohorts of 15 and of 3 learners, made by the API */
static char *learner_id[N_LEARNERS];
static char *learner_email[N_LEARNERS];

static const char *const indicators[N_INDICATORS] = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3",
                                                     "3.1", "3.2", "3.3", "4.1", "4.2", "4.3"};

static int setup(void **state)
{
    /* a cluster of our own, so that its statement log can be read */
    h_cluster_create(&cluster);
    h_db_create(&cluster, &db);
    char *sql = h_strf("ALTER DATABASE %s SET log_statement = 'all'", db.name);
    h_db_exec_super(&db, sql);
    free(sql);
    /* no dispatcher: its own statements would land in the log between the marks */
    const char *env[] = {"MCRED_DISPATCHER=0", NULL};
    h_server_start(&db, env, &server);
    admin = h_bootstrap(&server, org_slug, "admin@plan.example");
    coordinator_id =
        h_person(&server, admin, "coordinator@plan.example", "Coordinator", "coordinator");
    coordinator = h_token_for(&server, admin, coordinator_id);
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    free(admin);
    free(coordinator);
    free(grace_token);
    free(grace_id);
    free(org_id);
    free(credential);
    free(coordinator_id);
    free(target);
    free(small);
    for (int i = 0; i < N_LEARNERS; i++) {
        free(learner_id[i]);
        free(learner_email[i]);
    }
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

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

static char *make_cohort(const char *name)
{
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"%s\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-13\", \"timezone\": "
                        "\"America/New_York\"}",
                        credential, name);
    cJSON *j = call("POST", "/v1/cohorts", coordinator, body, 201);
    char *id = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    char *path = h_strf("/v1/cohorts/%s/sessions", id);
    cJSON_Delete(call("POST", path, coordinator,
                      "{\"weekly\": {\"first\": \"2026-09-08T17:00\", \"count\": 6}}", 201));
    free(path);
    return id;
}

/* ---- the plan of each learner of the target cohort ---- */

/* Weeks attended (of 6), problem state, and the level the API gives indicator k (0: none, the
 * older SQL levels stay current). */
static int attended_of(int i)
{
    return i == 8 || i == 9 ? 4 : 6;
}
static const char *problem_of(int i)
{
    return i == 10 || i == 11 ? "submitted" : "approved";
}
static int api_level(int i, int k)
{
    if (i >= 12)
        return 0;
    if (i >= 5 && i <= 7 && k == i)
        return 2;
    return 3 + (i + k) % 2;
}
/* The newest of the SQL history written for target learners: older 4, then 1 or 2. */
static int sql_level(int i, int k)
{
    return 1 + (i + k) % 2;
}
static int current_level(int i, int k)
{
    return api_level(i, k) ? api_level(i, k) : sql_level(i, k);
}
static const char *status_of(int i)
{
    return i <= 4 ? "eligible" : "in_progress";
}

static void make_target(void)
{
    target = make_cohort("Target");
    small = make_cohort("Small");
    char *csv = h_file_read(ROSTER, NULL);
    char *path = h_strf("/v1/cohorts/%s/members/import", target);
    struct h_response r;
    h_http(&server, "POST", path, coordinator, "text/csv", csv, strlen(csv), &r);
    if (r.status != 200)
        fail_msg("POST %s: %ld %s", path, r.status, r.body);
    h_response_free(&r);
    free(path);
    free(csv);
    path = h_strf("/v1/cohorts/%s/members?role=learner", target);
    cJSON *j = call("GET", path, coordinator, NULL, 200);
    free(path);
    if (cJSON_GetArraySize(h_json_at(j, "items")) != N_LEARNERS)
        fail_msg("the target cohort has %d learners", cJSON_GetArraySize(h_json_at(j, "items")));
    /* in e-mail order, as status lists them */
    for (int i = 0; i < N_LEARNERS; i++) {
        const cJSON *item = cJSON_GetArrayItem(h_json_at(j, "items"), i);
        learner_id[i] = strdup(h_json_string(item, "person.id"));
        learner_email[i] = strdup(h_json_string(item, "person.email"));
    }
    cJSON_Delete(j);
    for (int i = 0; i < N_LEARNERS; i++)
        for (int k = i + 1; k < N_LEARNERS; k++)
            if (strcasecmp(learner_email[k], learner_email[i]) < 0) {
                char *t = learner_email[i];
                learner_email[i] = learner_email[k];
                learner_email[k] = t;
                t = learner_id[i];
                learner_id[i] = learner_id[k];
                learner_id[k] = t;
            }
    /* the small cohort: three of Grace's learners, Grace their coach */
    path = h_strf("/v1/cohorts/%s/members", small);
    char *body = h_strf("{\"members\": [{\"email\": \"grace.okafor@district.example\", \"role\": "
                        "\"coach\"}, {\"email\": \"aisha.bello@district.example\", \"coach\": "
                        "\"grace.okafor@district.example\"}, {\"email\": "
                        "\"tom.nguyen@district.example\", \"coach\": "
                        "\"grace.okafor@district.example\"}, {\"email\": "
                        "\"rosa.martinez@district.example\", \"coach\": "
                        "\"grace.okafor@district.example\"}]}");
    cJSON_Delete(call("POST", path, coordinator, body, 201));
    free(body);
    free(path);
    char *sql = h_strf("SELECT id FROM mcred.people WHERE email = 'grace.okafor@district.example'"
                       " AND org_id = '%s'",
                       org_id);
    grace_id = h_db_query_super(&db, sql);
    grace_token = h_token_for(&server, admin, grace_id);
    free(sql);
}

/* ---- 100,000 scores, by superuser SQL into the real tables ---- */

static void bulk_load(void)
{
    char *sql = h_strf(
        "CREATE TEMP TABLE bc AS SELECT c, gen_random_uuid() AS id FROM generate_series(1, %d) c;"
        "CREATE TEMP TABLE bp AS SELECT k, (k - 1) / %d + 1 AS c, gen_random_uuid() AS id"
        "  FROM generate_series(1, %d) k;"
        "CREATE TEMP TABLE ind AS SELECT row_number() OVER (ORDER BY s.position, i.position) - 1"
        "  AS n, i.code FROM mcred.indicators i JOIN mcred.standards s ON s.org_id = i.org_id"
        "  AND s.credential_id = i.credential_id AND s.code = i.standard_code"
        "  WHERE i.org_id = '%s' AND i.credential_id = '%s';"
        "INSERT INTO mcred.cohorts (org_id, id, credential_id, name, starts_on, ends_on, timezone,"
        "  status) SELECT '%s', bc.id, '%s', 'Bulk ' || bc.c, date '2025-01-06' + bc.c,"
        "  date '2025-02-17' + bc.c, 'UTC', 'active' FROM bc;"
        "INSERT INTO mcred.people (org_id, id, email, name, attributes)"
        "  SELECT '%s', bp.id, 'bulk' || bp.k || '@plan.example', 'Bulk ' || bp.k,"
        "  jsonb_build_object('school', 'School ' || bp.k %% 40) FROM bp;"
        "INSERT INTO mcred.members (org_id, cohort_id, person_id, role, status)"
        "  SELECT '%s', bc.id, bp.id, 'learner', 'enrolled' FROM bp JOIN bc ON bc.c = bp.c;"
        "CREATE TEMP TABLE bs AS SELECT bc.c, w, gen_random_uuid() AS id FROM bc,"
        "  generate_series(1, 6) w;"
        "INSERT INTO mcred.sessions (org_id, id, cohort_id, week, kind, starts_at, title)"
        "  SELECT '%s', bs.id, bc.id, bs.w, 'weekly', timestamptz '2025-01-06 17:00+00'"
        "  + make_interval(days => bc.c + 7 * (bs.w - 1)), 'Week ' || bs.w"
        "  FROM bs JOIN bc ON bc.c = bs.c;"
        "INSERT INTO mcred.attendance (org_id, session_id, person_id, mode, recorded_by)"
        "  SELECT '%s', bs.id, bp.id, (ARRAY['in_person', 'online', 'asynchronous', 'absent',"
        "  'excused'])[1 + (bp.k + bs.w) %% 5], '%s' FROM bp JOIN bs ON bs.c = bp.c;"
        "INSERT INTO mcred.problems (org_id, cohort_id, learner_id, title, statement, status)"
        "  SELECT '%s', bc.id, bp.id, 'Problem ' || bp.k, 'Statement',"
        "  (ARRAY['draft', 'submitted', 'approved', 'needs_revision'])[1 + bp.k %% 4]"
        "  FROM bp JOIN bc ON bc.c = bp.c;"
        "INSERT INTO mcred.problem_versions (org_id, problem_id, version, status, content)"
        "  SELECT org_id, id, 1, status, jsonb_build_object('title', title) FROM mcred.problems"
        "  WHERE org_id = '%s';"
        /* 100,000 scores: every learner and indicator two or three times, levels 1-4 */
        "INSERT INTO mcred.scores (org_id, cohort_id, learner_id, indicator, level, feedback,"
        "  coach_id, scored_at)"
        "  SELECT '%s', bc.id, bp.id, ind.code, 1 + (g * 7 + g / %d) %% 4, 'bulk',"
        "  '%s', timestamptz '2025-03-01 00:00+00' + make_interval(secs => g)"
        "  FROM generate_series(0, %d) g JOIN bp ON bp.k = (g %% %d) / %d + 1"
        "  JOIN bc ON bc.c = bp.c JOIN ind ON ind.n = g %% %d ORDER BY g;",
        BULK_COHORTS, BULK_PER, BULK_LEARNERS, org_id, credential, org_id, credential, org_id,
        org_id, org_id, org_id, coordinator_id, org_id, org_id, org_id, BULK_LEARNERS * 12,
        coordinator_id, BULK_SCORES - 1, BULK_LEARNERS * 12, N_INDICATORS, N_INDICATORS);
    h_db_exec_super(&db, sql);
    free(sql);

    /* the target cohort's own history before the API: 4 for every indicator, then 1 or 2 */
    size_t cap = 64 + (size_t)N_LEARNERS * N_INDICATORS * 2 * 200, len = 0;
    char *values = malloc(cap);
    if (!values)
        h_fail("out of memory");
    values[0] = '\0';
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < N_LEARNERS; i++)
            for (int k = 0; k < N_INDICATORS; k++)
                len += (size_t)snprintf(
                    values + len, cap - len,
                    "%s('%s'::uuid, '%s'::uuid, '%s', %d, timestamptz '2026-09-%02d 12:00+00')",
                    len ? ", " : "", learner_id[i], target, indicators[k],
                    round == 0 ? 4 : sql_level(i, k), 10 + round);
    sql = h_strf("INSERT INTO mcred.scores (org_id, cohort_id, learner_id, indicator, level,"
                 " feedback, coach_id, scored_at)"
                 " SELECT '%s', v.cohort, v.learner, v.indicator, v.level, 'before', '%s', v.at"
                 " FROM (VALUES %s) AS v (learner, cohort, indicator, level, at)"
                 " ORDER BY v.at;"
                 "INSERT INTO mcred.score_current (org_id, cohort_id, learner_id, indicator,"
                 " score_id, level)"
                 " SELECT DISTINCT ON (org_id, cohort_id, learner_id, indicator) org_id,"
                 " cohort_id, learner_id, indicator, id, level FROM mcred.scores"
                 " WHERE org_id = '%s'"
                 " ORDER BY org_id, cohort_id, learner_id, indicator, seq DESC"
                 " ON CONFLICT (org_id, cohort_id, learner_id, indicator)"
                 " DO UPDATE SET score_id = EXCLUDED.score_id, level = EXCLUDED.level",
                 org_id, coordinator_id, values, org_id);
    h_db_exec_super(&db, sql);
    free(sql);
    free(values);
    long n = h_db_long_super(&db, "SELECT count(*) FROM mcred.scores");
    if (n < BULK_SCORES)
        fail_msg("only %ld scores were written", n);
}

/* ---- the target cohort through the API ---- */

static void run_target(void)
{
    char *path = h_strf("/v1/cohorts/%s/sessions", target);
    cJSON *sessions = call("GET", path, coordinator, NULL, 200);
    free(path);
    for (int w = 0; w < 6; w++) {
        const char *sid = h_json_string(cJSON_GetArrayItem(h_json_at(sessions, "items"), w), "id");
        cJSON *body = cJSON_CreateObject();
        cJSON *list = cJSON_AddArrayToObject(body, "attendance");
        for (int i = 0; i < N_LEARNERS; i++) {
            cJSON *item = cJSON_CreateObject();
            cJSON_AddStringToObject(item, "person", learner_id[i]);
            cJSON_AddStringToObject(
                item, "mode", w < attended_of(i) ? (w % 2 ? "online" : "in_person") : "absent");
            cJSON_AddItemToArray(list, item);
        }
        char *text = cJSON_PrintUnformatted(body);
        cJSON_Delete(body);
        path = h_strf("/v1/sessions/%s/attendance", sid);
        cJSON_Delete(call("PUT", path, coordinator, text, 200));
        free(path);
        free(text);
    }
    cJSON_Delete(sessions);

    char *problems = h_strf("/v1/cohorts/%s/problems", target);
    for (int i = 0; i < N_LEARNERS; i++) {
        char *body = h_strf("{\"learner\": \"%s\", \"title\": \"Problem %d\", \"statement\": "
                            "\"S\", \"submit\": true}",
                            learner_id[i], i);
        cJSON *j = call("POST", problems, coordinator, body, 201);
        if (strcmp(problem_of(i), "approved") == 0) {
            char *review = h_strf("/v1/problems/%s/review", h_json_string(j, "id"));
            cJSON_Delete(call("POST", review, coordinator, "{\"decision\": \"approved\"}", 200));
            free(review);
        }
        cJSON_Delete(j);
        free(body);
    }
    free(problems);

    /* one bulk request with every API score */
    cJSON *body = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(body, "scores");
    for (int i = 0; i < N_LEARNERS; i++)
        for (int k = 0; k < N_INDICATORS; k++) {
            if (!api_level(i, k))
                continue;
            cJSON *item = cJSON_CreateObject();
            cJSON_AddStringToObject(item, "learner", learner_id[i]);
            cJSON_AddStringToObject(item, "indicator", indicators[k]);
            cJSON_AddNumberToObject(item, "level", api_level(i, k));
            cJSON_AddItemToArray(list, item);
        }
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    path = h_strf("/v1/cohorts/%s/scores", target);
    cJSON_Delete(call("POST", path, coordinator, text, 201));
    free(path);
    free(text);
}

/* One learner's status must be what the plan says. */
static void expect_learner(const cJSON *st, int i, const char *what)
{
    char *text = cJSON_PrintUnformatted(st);
    const char *id = h_json_string(st, "learner.id");
    if (!id || strcmp(id, learner_id[i]) != 0)
        fail_msg("%s: learner %d is not %s: %.2000s", what, i, learner_email[i], text);
    const char *status = h_json_string(st, "status");
    if (!status || strcmp(status, status_of(i)) != 0)
        fail_msg("%s: %s is %s, want %s: %.3000s", what, learner_email[i], status ? status : "?",
                 status_of(i), text);
    const cJSON *inds = h_json_at(st, "indicators");
    if (cJSON_GetArraySize(inds) != N_INDICATORS)
        fail_msg("%s: %s: want 12 indicators: %.3000s", what, learner_email[i], text);
    for (int k = 0; k < N_INDICATORS; k++) {
        const cJSON *ind = cJSON_GetArrayItem(inds, k);
        const char *code = h_json_string(ind, "code");
        if (!code || strcmp(code, indicators[k]) != 0 ||
            h_json_long(ind, "level") != current_level(i, k))
            fail_msg("%s: %s: indicator %s at %ld, want %s at %d (the newest score): %.3000s", what,
                     learner_email[i], code ? code : "?", h_json_long(ind, "level"), indicators[k],
                     current_level(i, k), text);
    }
    if (h_json_long(st, "attendance.attended") != attended_of(i) ||
        h_json_long(st, "attendance.held") != 6)
        fail_msg("%s: %s: want attendance %d of 6 held: %.3000s", what, learner_email[i],
                 attended_of(i), text);
    const char *problem = h_json_string(st, "problem.status");
    if (!problem || strcmp(problem, problem_of(i)) != 0)
        fail_msg("%s: %s: want problem %s: %.3000s", what, learner_email[i], problem_of(i), text);
    free(text);
}

static void test_status_answers(void **state)
{
    char *seed = h_file_read(SEED, NULL);
    cJSON *j = call("POST", "/v1/credentials", coordinator, seed, 201);
    credential = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(seed);
    char *path = h_strf("/v1/credentials/%s/publish", credential);
    cJSON_Delete(call("POST", path, coordinator, NULL, 200));
    free(path);
    org_id = h_db_query_super(&db, "SELECT id FROM mcred.orgs WHERE slug = 'plan'");

    make_target();
    bulk_load();
    run_target();
    h_db_exec_super(&db, "ANALYZE");
    fprintf(stderr, "status plan: %ld scores, %ld current levels, %ld learners in %ld cohorts\n",
            h_db_long_super(&db, "SELECT count(*) FROM mcred.scores"),
            h_db_long_super(&db, "SELECT count(*) FROM mcred.score_current"),
            h_db_long_super(&db, "SELECT count(*) FROM mcred.members WHERE role = 'learner'"),
            h_db_long_super(&db, "SELECT count(*) FROM mcred.cohorts"));

    path = h_strf("/v1/cohorts/%s/status", target);
    j = call("GET", path, coordinator, NULL, 200);
    const cJSON *learners = h_json_at(j, "learners");
    if (cJSON_GetArraySize(learners) != N_LEARNERS)
        fail_msg("GET %s: want %d learners", path, N_LEARNERS);
    for (int i = 0; i < N_LEARNERS; i++)
        expect_learner(cJSON_GetArrayItem(learners, i), i, "cohort status");
    cJSON_Delete(j);
    free(path);
    for (int i = 0; i < N_LEARNERS; i++) {
        path = h_strf("/v1/cohorts/%s/members/%s/status", target, learner_id[i]);
        j = call("GET", path, coordinator, NULL, 200);
        expect_learner(j, i, "member status");
        cJSON_Delete(j);
        free(path);
    }
}

/* ---- the plans ---- */

struct query {
    char name[64];
    char *sql;
    bool replan; /* DB_STMT_REPLAN: planned with its values on every call */
    int nparams;
};

/* The C string literals of a piece of source, concatenated and unescaped (malloc'd). */
static char *literals(const char *p, const char *end)
{
    char *out = malloc((size_t)(end - p) + 1);
    size_t n = 0;
    if (!out)
        h_fail("out of memory");
    while (p < end) {
        if (*p == '/' && p + 1 < end && p[1] == '*') {
            const char *close = strstr(p + 2, "*/");
            p = close ? close + 2 : end;
            continue;
        }
        if (*p != '"') {
            p++;
            continue;
        }
        for (p++; p < end && *p != '"'; p++) {
            if (*p == '\\' && p + 1 < end) {
                p++;
                out[n++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
            } else {
                out[n++] = *p;
            }
        }
        p++;
    }
    out[n] = '\0';
    return out;
}

/* Every marked status query of server/status_db.c; returns how many. */
static int read_queries(struct query *q, int max)
{
    char *src = h_file_read(STATUS_DB_C, NULL);
    if (!*src)
        fail_msg("cannot read %s", STATUS_DB_C);
    int n = 0;
    const char *p = src;
    while ((p = strstr(p, "/* status-query:")) != NULL) {
        p += strlen("/* status-query:");
        const char *colon = strchr(p, ':');
        if (!colon || strncmp(colon, ":begin */", 9) != 0)
            continue;
        if (n == max)
            fail_msg("more than %d status queries", max);
        snprintf(q[n].name, sizeof q[n].name, "%.*s", (int)(colon - p), p);
        char *end_marker = h_strf("/* status-query:%s:end */", q[n].name);
        const char *body = colon + 9, *end = strstr(body, end_marker);
        if (!end)
            fail_msg("%s: status-query:%s has no end marker", STATUS_DB_C, q[n].name);
        free(end_marker);
        char *text = strndup(body, (size_t)(end - body));
        q[n].replan = strstr(text, "DB_STMT_REPLAN") != NULL;
        free(text);
        q[n].sql = literals(body, end);
        for (const char *d = q[n].sql; (d = strchr(d, '$')) != NULL; d++)
            if (isdigit((unsigned char)d[1]) && atoi(d + 1) > q[n].nparams)
                q[n].nparams = atoi(d + 1);
        if (!*q[n].sql)
            fail_msg("status-query:%s holds no SQL", q[n].name);
        n++;
        p = end;
    }
    free(src);
    return n;
}

struct plan_facts {
    bool seq_scan_on_scores;
    bool reads_scores;
    bool index_on_scores;
    char scans[1024]; /* "Node Type on relation" of every scan, for the message */
};

static void walk_plan(const cJSON *node, struct plan_facts *f)
{
    const char *type = h_json_string(node, "Node Type");
    const char *rel = h_json_string(node, "Relation Name");
    if (type && rel) {
        size_t len = strlen(f->scans);
        snprintf(f->scans + len, sizeof f->scans - len, "%s%s on %s", len ? "; " : "", type, rel);
        if (strncmp(rel, "score", 5) == 0) {
            f->reads_scores = true;
            if (strcmp(type, "Seq Scan") == 0)
                f->seq_scan_on_scores = true;
            if (strcmp(type, "Index Scan") == 0 || strcmp(type, "Index Only Scan") == 0 ||
                strcmp(type, "Bitmap Heap Scan") == 0)
                f->index_on_scores = true;
        }
    }
    const cJSON *child;
    cJSON_ArrayForEach(child, h_json_at(node, "Plans")) walk_plan(child, f);
}

static void exec_ok(PGconn *pg, const char *sql)
{
    PGresult *res = PQexec(pg, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
}

/* EXPLAIN one query as the application role; returns the plan's facts. */
static struct plan_facts explain(PGconn *pg, const struct query *q, const char *learner,
                                 bool generic, char **out_plan)
{
    exec_ok(pg, "BEGIN");
    char *sql = h_strf("SELECT set_config('mcred.org_id', '%s', true)", org_id);
    exec_ok(pg, sql);
    free(sql);
    exec_ok(pg, generic ? "SET LOCAL plan_cache_mode = force_generic_plan"
                        : "SET LOCAL plan_cache_mode = force_custom_plan");
    PGresult *res = PQprepare(pg, "status_plan_q", q->sql, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        fail_msg("status-query:%s does not prepare: %s\n%s", q->name, PQresultErrorMessage(res),
                 q->sql);
    PQclear(res);
    if (q->nparams < 1 || q->nparams > 2)
        fail_msg("status-query:%s has %d parameters; this test knows $1 cohort and $2 learner "
                 "(the organisation is mcred.current_org())",
                 q->name, q->nparams);
    char *learner_lit = learner ? h_strf("'%s'", learner) : strdup("NULL");
    sql = q->nparams == 2
              ? h_strf("EXPLAIN (FORMAT JSON) EXECUTE status_plan_q('%s', %s)", target, learner_lit)
              : h_strf("EXPLAIN (FORMAT JSON) EXECUTE status_plan_q('%s')", target);
    free(learner_lit);
    res = PQexec(pg, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(res));
    cJSON *plan = cJSON_Parse(PQgetvalue(res, 0, 0));
    PQclear(res);
    free(sql);
    exec_ok(pg, "ROLLBACK");
    exec_ok(pg, "DEALLOCATE status_plan_q");
    struct plan_facts f = {0};
    walk_plan(h_json_at(plan, "[0].Plan"), &f);
    *out_plan = cJSON_Print(plan);
    cJSON_Delete(plan);
    return f;
}

static void test_status_plans(void **state)
{
    struct query q[MAX_QUERIES] = {0};
    int n = read_queries(q, MAX_QUERIES);
    if (n == 0)
        fail_msg("%s has no status-query markers", STATUS_DB_C);
    PGconn *pg = PQconnectdb(db.conninfo);
    if (PQstatus(pg) != CONNECTION_OK)
        fail_msg("connect as the application role: %s", PQerrorMessage(pg));
    /* as the server's connections: an empty search_path (STYLE.md) */
    exec_ok(pg, "SELECT set_config('search_path', '', false)");
    int failures = 0, reading_scores = 0;
    for (int i = 0; i < n; i++) {
        bool reads = false;
        for (int variant = 0; variant < 4; variant++) {
            bool generic = variant >= 2;
            const char *learner = variant % 2 ? learner_id[0] : NULL;
            if (generic && q[i].replan)
                continue; /* never prepared: always planned with its values */
            if (learner && q[i].nparams < 2)
                continue;
            char *plan = NULL;
            struct plan_facts f = explain(pg, &q[i], learner, generic, &plan);
            fprintf(stderr, "status-query:%s (%s, %s plan): %s\n", q[i].name,
                    learner ? "one learner" : "whole cohort", generic ? "generic" : "custom",
                    f.scans);
            reads |= f.reads_scores;
            if (f.seq_scan_on_scores || (f.reads_scores && !f.index_on_scores)) {
                fprintf(stderr,
                        "status-query:%s (%s, %s plan) scans a score table without an index:\n"
                        "%s\n%s\n",
                        q[i].name, learner ? "one learner" : "whole cohort",
                        generic ? "generic" : "custom", q[i].sql, plan);
                failures++;
            }
            free(plan);
        }
        reading_scores += reads;
    }
    PQfinish(pg);
    fprintf(stderr, "status plan: %d queries, %d read the score tables\n", n, reading_scores);
    if (reading_scores == 0)
        fail_msg("no status query reads the score tables: the levels must come from somewhere");
    for (int i = 0; i < n; i++)
        free(q[i].sql);
    assert_int_equal(failures, 0);
}

/* ---- a fixed number of statements per status request ---- */

static unsigned marks;

/* The statements the database logged for one request (log_statement = all). */
static int statements_of(const char *path, const char *tok)
{
    char *begin = h_strf("SELECT 'status-count-%u'", ++marks);
    char *end = h_strf("SELECT 'status-count-%u'", ++marks);
    h_db_exec_super(&db, begin);
    struct h_response r;
    h_call(&server, "GET", path, tok, NULL, 200, &r);
    h_response_free(&r);
    h_db_exec_super(&db, end);
    char *log_path = h_strf("%s/log", cluster.dir);
    char *log = h_file_read(log_path, NULL);
    char *from = strstr(log, begin), *to = from ? strstr(from, end) : NULL;
    if (!from || !to)
        fail_msg("the statement log %s does not show the marks %s and %s", log_path, begin, end);
    int n = 0;
    for (const char *p = strchr(from, '\n'); p && p < to; p = strchr(p + 1, '\n')) {
        const char *eol = strchr(p + 1, '\n');
        if (!eol || eol > to)
            break;
        char *line = strndup(p + 1, (size_t)(eol - p - 1));
        if (strstr(line, "LOG:  statement: ") || strstr(line, "LOG:  execute "))
            n++;
        free(line);
    }
    free(log);
    free(log_path);
    free(begin);
    free(end);
    return n;
}

static void test_statement_count(void **state)
{
    int failures = 0;
    char *big = h_strf("/v1/cohorts/%s/status", target);
    char *little = h_strf("/v1/cohorts/%s/status", small);
    /* twice each: the first request of a connection may prepare statements */
    (void)statements_of(big, coordinator);
    (void)statements_of(little, coordinator);
    int coord_big = statements_of(big, coordinator);
    int coord_little = statements_of(little, coordinator);
    fprintf(stderr, "status statements as coordinator: %d for 15 learners, %d for 3\n", coord_big,
            coord_little);
    if (coord_big != coord_little || coord_big == 0) {
        fprintf(stderr, "GET …/status as coordinator: %d statements for 15 learners, %d for 3\n",
                coord_big, coord_little);
        failures++;
    }
    (void)statements_of(big, grace_token);
    (void)statements_of(little, grace_token);
    int coach_big = statements_of(big, grace_token);
    int coach_little = statements_of(little, grace_token);
    fprintf(stderr, "status statements as coach: %d for 15 learners (8 hers), %d for 3\n",
            coach_big, coach_little);
    if (coach_big != coach_little || coach_big == 0) {
        fprintf(stderr,
                "GET …/status as a coach: %d statements for 15 learners (8 hers), %d for 3 (3 "
                "hers): not a fixed number of queries\n",
                coach_big, coach_little);
        failures++;
    }
    char *one = h_strf("/v1/cohorts/%s/members/%s/status", target, learner_id[0]);
    char *other = h_strf("/v1/cohorts/%s/members/%s/status", target, learner_id[14]);
    (void)statements_of(one, coordinator);
    int member_a = statements_of(one, coordinator), member_b = statements_of(other, coordinator);
    if (member_a != member_b) {
        fprintf(stderr, "member status: %d statements for one learner, %d for another\n", member_a,
                member_b);
        failures++;
    }
    free(big);
    free(little);
    free(one);
    free(other);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_answers),
        cmocka_unit_test(test_status_plans),
        cmocka_unit_test(test_statement_count),
    };
    return h_run_tests(tests, setup, teardown);
}
