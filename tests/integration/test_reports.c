/*
 * test_reports.c — GET /v1/reports/cohorts/{id} on a fixture with known
 * answers, against the real server and the real PostgreSQL.
 *
 * One credential (rubric 1–4; rule: every indicator at 3 or above, two
 * weekly sessions attended, the problem of practice approved; standards
 * S-A with A.1 and A.2, S-B with B.1), one cohort with three past weekly
 * sessions and twelve learners, l01 … l12, whose records are written
 * straight into the database so that every figure is known:
 *
 *   learner  A.1 A.2 B.1  week 1     week 2        problem         status
 *   l01       3   4   3   in_person  online        approved        eligible (10 days)
 *   l02       4   4   4   online     asynchronous  approved        awarded  (20 days)
 *   l03       3   3   3   in_person  in_person     approved        revoked  (5 days)
 *   l04       2   3   -   in_person  -             submitted       in_progress
 *   l05       1   -   -   -          -             draft           in_progress
 *   l06       -   -   -   excused    -             none            in_progress
 *   l07       -   -   -   absent     -             none            not_started
 *   l08       -   -   -   -          -             needs_revision  in_progress
 *   l09–l12   nothing at all                                       not_started
 *
 * Nobody attends week 3.  Their school (people.attributes): l01–l06 North
 * (6), l07–l11 South (5), l12 East (1).  With ?by=school and the default
 * MCRED_MIN_GROUP of 5, East is suppressed, and South with it (else East
 * would be the total less North and South); North is shown.  Their
 * position: l01–l06 `Assistant principal, "acting"` (quoted in CSV),
 * l07–l12 Principal; their network, all of them, `=HYPERLINK("x")` (text
 * in CSV, never a formula).
 *
 * GET /v1/reports/orgs/current adds a second cohort of the same
 * credential, `Leaders 2026, "spring"` (quoted in CSV), with two past
 * weekly sessions and fourteen learners m01 … m14:
 *
 *   learner  A.1 A.2 B.1  week 1        week 2   problem    status
 *   m01       3   3   3   in_person     online   approved   eligible (30 days)
 *   m06       -   -   -   asynchronous  -        submitted  in_progress
 *   others    nothing at all                                not_started
 *
 * Their school: m01–m05 North, m06–m08 South, m09–m14 West.  By school
 * the organisation has East 1, North 11, South 8, West 6; cohort 1 hides
 * East and South, cohort 2 hides South (3) and North (5).  Suppressing
 * the organisation's groups alone (East, and West as the next smallest)
 * would show North's 11: less cohort 1's 6 that gives cohort 2's hidden
 * North, 5, and cohort 2's 14 less 5 and West's 6 gives its South, 3.
 * So North, with one hidden cell, is hidden too; South and West are shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org = "reports";
static char *admin, *coordinator, *leader, *coach, *learner_token, *other_admin;
static char *credential, *cohort, *cohort2;
/* the cohort the fixture's helpers write to */
static const char *at_cohort;

#define NLEARNERS 12

static const char framework[] =
    "{\"slug\": \"equity-leadership\", \"version\": 1, \"title\": \"Equity Leadership\","
    " \"achievement_type\": \"Badge\","
    " \"rubric\": [{\"level\": 1, \"label\": \"Beginning\"}, {\"level\": 2, \"label\": "
    "\"Developing\"}, {\"level\": 3, \"label\": \"Proficient\"}, {\"level\": 4, \"label\": "
    "\"Exemplary\"}],"
    " \"award_rule\": {\"min_level\": 3, \"min_weekly_attendance\": 2,"
    "  \"problem_of_practice_required\": true, \"weekly_sessions\": 3},"
    " \"standards\": ["
    "  {\"code\": \"S-A\", \"title\": \"Looking at data\","
    "   \"indicators\": [{\"code\": \"A.1\", \"text\": \"Disaggregates\"},"
    "                    {\"code\": \"A.2\", \"text\": \"Asks why\"}]},"
    "  {\"code\": \"S-B\", \"title\": \"Acting\","
    "   \"indicators\": [{\"code\": \"B.1\", \"text\": \"Plans\"}]}]}";

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

static void sql(char *text)
{
    h_db_exec_super(&db, text);
    free(text);
}

static char *email_of(int i)
{
    return h_strf("l%02d@reports.example", i);
}

/* The id of learner i (l01 = 1 …; the second cohort's m01 = 101 …), as SQL. */
static char *learner_sql(int i)
{
    return h_strf("(SELECT id FROM mcred.people WHERE email = '%c%02d@reports.example')",
                  i > 100 ? 'm' : 'l', i % 100);
}

static void score(int i, const char *indicator, int level)
{
    char *who = learner_sql(i);
    sql(h_strf(
        "WITH s AS (INSERT INTO mcred.scores (org_id, cohort_id, learner_id, indicator,"
        " level, coach_id) SELECT c.org_id, c.id, %s, '%s', %d,"
        " (SELECT id FROM mcred.people WHERE email = 'coach@reports.example')"
        " FROM mcred.cohorts c WHERE c.id = '%s' RETURNING *)"
        " INSERT INTO mcred.score_current (org_id, cohort_id, learner_id, indicator,"
        " score_id, level) SELECT org_id, cohort_id, learner_id, indicator, id, level FROM s",
        who, indicator, level, at_cohort));
    free(who);
}

static void attend(int i, int week, const char *mode)
{
    char *who = learner_sql(i);
    sql(h_strf("INSERT INTO mcred.attendance (org_id, session_id, person_id, mode, recorded_by)"
               " SELECT s.org_id, s.id, %s, '%s', %s FROM mcred.sessions s"
               " WHERE s.cohort_id = '%s' AND s.kind = 'weekly' AND s.week = %d",
               who, mode, who, at_cohort, week));
    free(who);
}

static void problem(int i, const char *status)
{
    char *who = learner_sql(i);
    sql(h_strf("INSERT INTO mcred.problems (org_id, cohort_id, learner_id, title, status)"
               " SELECT c.org_id, c.id, %s, 'Chronic absence', '%s' FROM mcred.cohorts c"
               " WHERE c.id = '%s'",
               who, status, at_cohort));
    free(who);
}

/* The audit row of learner i's move to eligible, `days` after their enrolment. */
static void became_eligible(int i, int days)
{
    char *who = learner_sql(i);
    sql(h_strf("INSERT INTO mcred.audit (org_id, at, actor, action, entity, entity_id)"
               " SELECT m.org_id, m.enrolled_at + interval '%d days', 'test', 'status.eligible',"
               " 'member', m.cohort_id::text || '/' || m.person_id::text FROM mcred.members m"
               " WHERE m.cohort_id = '%s' AND m.person_id = %s",
               days, at_cohort, who));
    free(who);
}

static void award(int i, bool revoked)
{
    char *who = learner_sql(i);
    sql(h_strf("INSERT INTO mcred.awards (org_id, id, cohort_id, learner_id, credential_id, status,"
               " awarded_at, document, jwt, revoked_at, revocation_reason)"
               " SELECT c.org_id, gen_random_uuid(), c.id, %s, c.credential_id, '%s', now(), '{}',"
               " 'x', %s FROM mcred.cohorts c WHERE c.id = '%s'",
               who, revoked ? "revoked" : "awarded", revoked ? "now(), 'a mistake'" : "NULL, NULL",
               at_cohort));
    free(who);
}

#define NLEARNERS2 14

/* The organisation's second cohort, as the comment at the top says. */
static void setup_second_cohort(void)
{
    for (int i = 1; i <= NLEARNERS2; i++) {
        char *email = h_strf("m%02d@reports.example", i), *name = h_strf("Member %d", i);
        free(h_person(&server, coordinator, email, name, NULL));
        free(name);
        free(email);
    }
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Leaders 2026, \\\"spring\\\"\","
                        " \"starts_on\": \"2026-01-05\", \"ends_on\": \"2030-06-30\","
                        " \"timezone\": \"UTC\", \"capacity\": 20}",
                        credential);
    cJSON *j = call("POST", "/v1/cohorts", coordinator, body, 201);
    cohort2 = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    char members[4096] =
        "{\"members\": [{\"email\": \"coach@reports.example\", \"role\": \"coach\"}";
    for (int i = 1; i <= NLEARNERS2; i++) {
        size_t n = strlen(members);
        snprintf(members + n, sizeof members - n,
                 ", {\"email\": \"m%02d@reports.example\", \"coach\": \"coach@reports.example\"}",
                 i);
    }
    strcat(members, "]}");
    char *path = h_strf("/v1/cohorts/%s/members", cohort2);
    cJSON_Delete(call("POST", path, coordinator, members, 201));
    free(path);
    path = h_strf("/v1/cohorts/%s/sessions", cohort2);
    cJSON_Delete(call("POST", path, coordinator,
                      "{\"weekly\": {\"first\": \"2026-01-06T17:00\", \"count\": 2}}", 201));
    free(path);
    sql(h_strf("UPDATE mcred.members SET enrolled_at = '2026-01-01T00:00Z' WHERE cohort_id = '%s'",
               cohort2));
    at_cohort = cohort2;
    score(101, "A.1", 3);
    score(101, "A.2", 3);
    score(101, "B.1", 3);
    attend(101, 1, "in_person");
    attend(101, 2, "online");
    attend(106, 1, "asynchronous");
    problem(101, "approved");
    problem(106, "submitted");
    became_eligible(101, 30);
    sql(h_strf("UPDATE mcred.people SET attributes = jsonb_build_object('school',"
               " CASE WHEN email < 'm06' THEN 'North' WHEN email < 'm09' THEN 'South'"
               " ELSE 'West' END) WHERE email LIKE 'm__@reports.example'"));
    at_cohort = cohort;
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org, "admin@reports.example");
    other_admin = h_bootstrap(&server, "elsewhere", "admin@elsewhere.example");
    char *id = h_person(&server, admin, "coord@reports.example", "Coordinator", "coordinator");
    coordinator = h_token_for(&server, admin, id);
    free(id);
    id = h_person(&server, admin, "leader@reports.example", "Leader", "leader");
    leader = h_token_for(&server, admin, id);
    free(id);
    id = h_person(&server, coordinator, "coach@reports.example", "Coach", NULL);
    coach = h_token_for(&server, admin, id);
    free(id);
    for (int i = 1; i <= NLEARNERS; i++) {
        char *email = email_of(i), *name = h_strf("Learner %d", i);
        id = h_person(&server, coordinator, email, name, NULL);
        if (i == 1)
            learner_token = h_token_for(&server, admin, id);
        free(id);
        free(name);
        free(email);
    }

    cJSON *j = call("POST", "/v1/credentials", coordinator, framework, 201);
    credential = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    char *path = h_strf("/v1/credentials/%s/publish", credential);
    cJSON_Delete(call("POST", path, coordinator, NULL, 200));
    free(path);
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Equity Leaders 2025\","
                        " \"starts_on\": \"2025-01-06\", \"ends_on\": \"2030-06-30\","
                        " \"timezone\": \"UTC\", \"capacity\": 20}",
                        credential);
    j = call("POST", "/v1/cohorts", coordinator, body, 201);
    cohort = strdup(h_json_string(j, "id"));
    at_cohort = cohort;
    cJSON_Delete(j);
    free(body);

    char members[4096] =
        "{\"members\": [{\"email\": \"coach@reports.example\", \"role\": \"coach\"}";
    for (int i = 1; i <= NLEARNERS; i++) {
        size_t n = strlen(members);
        snprintf(members + n, sizeof members - n,
                 ", {\"email\": \"l%02d@reports.example\", \"coach\": \"coach@reports.example\"}",
                 i);
    }
    strcat(members, "]}");
    path = h_strf("/v1/cohorts/%s/members", cohort);
    cJSON_Delete(call("POST", path, coordinator, members, 201));
    free(path);
    path = h_strf("/v1/cohorts/%s/sessions", cohort);
    cJSON_Delete(call("POST", path, coordinator,
                      "{\"weekly\": {\"first\": \"2025-01-07T17:00\", \"count\": 3}}", 201));
    free(path);
    sql(h_strf("UPDATE mcred.members SET enrolled_at = '2025-01-01T00:00Z' WHERE cohort_id = '%s'",
               cohort));

    static const int levels[8][3] = {{3, 4, 3}, {4, 4, 4}, {3, 3, 3}, {2, 3, 0},
                                     {1, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    static const char *const codes[3] = {"A.1", "A.2", "B.1"};
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 3; k++)
            if (levels[i][k])
                score(i + 1, codes[k], levels[i][k]);
    attend(1, 1, "in_person");
    attend(1, 2, "online");
    attend(2, 1, "online");
    attend(2, 2, "asynchronous");
    attend(3, 1, "in_person");
    attend(3, 2, "in_person");
    attend(4, 1, "in_person");
    attend(6, 1, "excused");
    attend(7, 1, "absent");
    problem(1, "approved");
    problem(2, "approved");
    problem(3, "approved");
    problem(4, "submitted");
    problem(5, "draft");
    problem(8, "needs_revision");
    sql(h_strf("UPDATE mcred.people SET attributes = jsonb_build_object('school',"
               " CASE WHEN email < 'l07' THEN 'North' WHEN email < 'l12' THEN 'South'"
               " ELSE 'East' END, 'position', CASE WHEN email < 'l07'"
               " THEN 'Assistant principal, \"acting\"' ELSE 'Principal' END,"
               " 'network', '=HYPERLINK(\"x\")')"
               " WHERE email LIKE 'l__@reports.example'"));
    became_eligible(1, 10);
    became_eligible(2, 20);
    became_eligible(3, 5);
    award(2, false);
    award(3, true);
    setup_second_cohort();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    char *owned[] = {admin,       coordinator, leader, coach,  learner_token,
                     other_admin, credential,  cohort, cohort2};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        free(owned[i]);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

static cJSON *report(const char *query, const char *tok, long want)
{
    char *path = h_strf("/v1/reports/cohorts/%s%s", cohort, query);
    cJSON *j = call("GET", path, tok, NULL, want);
    free(path);
    return j;
}

static cJSON *org_report(const char *query, const char *tok, long want)
{
    char *path = h_strf("/v1/reports/orgs/current%s", query);
    cJSON *j = call("GET", path, tok, NULL, want);
    free(path);
    return j;
}

/* The row of `table` whose `key` is `value`. */
static const cJSON *row(const cJSON *rep, const char *table, const char *key, const char *value)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(rep, table))
    {
        const char *v = key ? h_json_string(r, key) : NULL;
        if (!key || (v && strcmp(v, value) == 0))
            return r;
    }
    fail_msg("no row %s = %s in %s", key ? key : "-", value ? value : "-", table);
    return NULL;
}

static void expect(const cJSON *r, const char *path, long want)
{
    const cJSON *v = h_json_at(r, path);
    if (!cJSON_IsNumber(v))
        fail_msg("%s is not a number", path);
    if ((long)v->valuedouble != want || v->valuedouble != (double)want)
        fail_msg("%s is %g, want %ld", path, v->valuedouble, want);
}

/* Every figure of the whole cohort, without ?by. */
static void test_whole_cohort(void **state)
{
    (void)state;
    cJSON *rep = report("", leader, 200);
    assert_string_equal(h_json_string(rep, "cohort.id"), cohort);
    assert_true(cJSON_IsNull(h_json_at(rep, "by")));
    expect(rep, "min_level", 3);

    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "learners")), 1);
    const cJSON *l = row(rep, "learners", NULL, NULL);
    assert_true(cJSON_IsNull(h_json_at(l, "group")));
    expect(l, "total", 12);
    expect(l, "not_started", 5);
    expect(l, "in_progress", 4);
    expect(l, "eligible", 1);
    expect(l, "awarded", 1);
    expect(l, "revoked", 1);

    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "standards")), 2);
    const cJSON *s = row(rep, "standards", "standard", "S-A");
    expect(s, "learners", 12);
    expect(s, "at_or_above", 3);
    s = row(rep, "standards", "standard", "S-B");
    expect(s, "at_or_above", 3);

    static const struct {
        const char *code;
        long at_or_above, not_scored, levels[4];
    } inds[] = {
        {"A.1", 3, 7, {1, 1, 2, 1}},
        {"A.2", 4, 8, {0, 0, 2, 2}},
        {"B.1", 3, 9, {0, 0, 2, 1}},
    };
    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "indicators")), 3);
    for (size_t k = 0; k < 3; k++) {
        const cJSON *ind = row(rep, "indicators", "indicator", inds[k].code);
        expect(ind, "learners", 12);
        expect(ind, "at_or_above", inds[k].at_or_above);
        expect(ind, "not_scored", inds[k].not_scored);
        assert_int_equal(cJSON_GetArraySize(h_json_at(ind, "levels")), 4);
        for (int lv = 0; lv < 4; lv++) {
            char p[32];
            snprintf(p, sizeof p, "levels[%d].level", lv);
            expect(ind, p, lv + 1);
            snprintf(p, sizeof p, "levels[%d].count", lv);
            expect(ind, p, inds[k].levels[lv]);
        }
    }

    static const long weeks[3][5] = {{3, 1, 0, 1, 7}, {1, 1, 1, 0, 9}, {0, 0, 0, 0, 12}};
    static const char *const modes[5] = {"in_person", "online", "asynchronous", "excused",
                                         "absent"};
    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "attendance")), 3);
    for (int w = 0; w < 3; w++) {
        char p[48];
        snprintf(p, sizeof p, "attendance[%d].week", w);
        expect(rep, p, w + 1);
        for (int m = 0; m < 5; m++) {
            snprintf(p, sizeof p, "attendance[%d].%s", w, modes[m]);
            expect(rep, p, weeks[w][m]);
        }
    }

    const cJSON *p = row(rep, "problems", NULL, NULL);
    expect(p, "none", 6);
    expect(p, "draft", 1);
    expect(p, "submitted", 1);
    expect(p, "needs_revision", 1);
    expect(p, "approved", 3);

    const cJSON *t = row(rep, "time_to_eligibility", NULL, NULL);
    expect(t, "learners", 2);
    expect(t, "median_days", 15);
    expect(t, "max_days", 20);
    cJSON_Delete(rep);
}

/* The row of `table` for `group` (and, when key is given, key = value). */
static const cJSON *group_row(const cJSON *rep, const char *table, const char *group,
                              const char *key, const char *value)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(rep, table))
    {
        const char *g = h_json_string(r, "group"), *v = key ? h_json_string(r, key) : NULL;
        if (g && strcmp(g, group) == 0 && (!key || (v && strcmp(v, value) == 0)))
            return r;
    }
    fail_msg("no row for %s in %s", group, table);
    return NULL;
}

/* A suppressed row names itself and says so; it has no figure, not even 0. */
static void expect_suppressed(const cJSON *r)
{
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "suppressed")));
    static const char *const figures[] = {"total",  "learners",    "at_or_above", "not_scored",
                                          "levels", "in_person",   "absent",      "approved",
                                          "none",   "median_days", "max_days",    "eligible"};
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++)
        if (cJSON_GetObjectItemCaseSensitive(r, figures[i]))
            fail_msg("a suppressed row shows %s", figures[i]);
}

/* ?by=school: North shown exactly; East small, South suppressed with it. */
static void test_by_school(void **state)
{
    (void)state;
    cJSON *rep = report("?by=school", leader, 200);
    assert_string_equal(h_json_string(rep, "by"), "school");
    static const char *const tables[] = {"learners",   "standards", "indicators",
                                         "attendance", "problems",  "time_to_eligibility"};
    static const int rows_per_group[] = {1, 2, 3, 3, 1, 1};
    for (size_t t = 0; t < 6; t++) {
        assert_int_equal(cJSON_GetArraySize(h_json_at(rep, tables[t])), 3 * rows_per_group[t]);
        const cJSON *r;
        cJSON_ArrayForEach(r, h_json_at(rep, tables[t]))
        {
            const char *g = h_json_string(r, "group");
            assert_non_null(g);
            if (strcmp(g, "North") == 0)
                assert_null(cJSON_GetObjectItemCaseSensitive(r, "suppressed"));
            else
                expect_suppressed(r);
        }
    }
    const cJSON *l = group_row(rep, "learners", "North", NULL, NULL);
    expect(l, "total", 6);
    expect(l, "not_started", 0);
    expect(l, "in_progress", 3);
    expect(l, "eligible", 1);
    expect(l, "awarded", 1);
    expect(l, "revoked", 1);
    expect(group_row(rep, "standards", "North", "standard", "S-A"), "at_or_above", 3);
    const cJSON *ind = group_row(rep, "indicators", "North", "indicator", "A.1");
    expect(ind, "learners", 6);
    expect(ind, "at_or_above", 3);
    expect(ind, "not_scored", 1);
    expect(ind, "levels[0].count", 1);
    expect(ind, "levels[1].count", 1);
    expect(ind, "levels[2].count", 2);
    expect(ind, "levels[3].count", 1);
    /* the suppressed rows still say which indicator they are */
    assert_non_null(group_row(rep, "indicators", "South", "indicator", "A.1"));
    const cJSON *a = NULL, *r;
    cJSON_ArrayForEach(r, h_json_at(rep, "attendance"))
    {
        const char *g = h_json_string(r, "group");
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(r, "week");
        if (strcmp(g, "North") == 0 && cJSON_IsNumber(w) && w->valuedouble == 1)
            a = r;
    }
    assert_non_null(a);
    expect(a, "in_person", 3);
    expect(a, "online", 1);
    expect(a, "asynchronous", 0);
    expect(a, "excused", 1);
    expect(a, "absent", 1);
    const cJSON *p = group_row(rep, "problems", "North", NULL, NULL);
    expect(p, "approved", 3);
    expect(p, "submitted", 1);
    expect(p, "draft", 1);
    expect(p, "none", 1);
    expect(p, "needs_revision", 0);
    const cJSON *t = group_row(rep, "time_to_eligibility", "North", NULL, NULL);
    expect(t, "learners", 2);
    expect(t, "median_days", 15);
    expect(t, "max_days", 20);
    cJSON_Delete(rep);

    /* an attribute no learner has: 422, not an empty report */
    cJSON_Delete(report("?by=shoe_size", leader, 422));
}

/* ---- CSV ---- */

struct csv {
    char ***rows; /* rows[i][j]: field j of record i */
    size_t *widths;
    size_t n;
};

static void csv_free(struct csv *c)
{
    for (size_t i = 0; i < c->n; i++) {
        for (size_t j = 0; j < c->widths[i]; j++)
            free(c->rows[i][j]);
        free(c->rows[i]);
    }
    free(c->rows);
    free(c->widths);
}

/* Parse RFC 4180 strictly: every record ends in CRLF, no bare CR or LF outside quotes. */
static void csv_parse(const char *text, struct csv *out)
{
    memset(out, 0, sizeof *out);
    const char *p = text;
    while (*p) {
        char **fields = NULL;
        size_t nf = 0;
        for (;;) {
            char *f = malloc(strlen(p) + 1);
            assert_non_null(f);
            size_t k = 0;
            if (*p == '"') {
                p++;
                for (;;) {
                    if (!*p)
                        fail_msg("an unterminated quoted field");
                    if (p[0] == '"' && p[1] == '"') {
                        f[k++] = '"';
                        p += 2;
                    } else if (p[0] == '"') {
                        p++;
                        break;
                    } else
                        f[k++] = *p++;
                }
            } else {
                while (*p && *p != ',' && *p != '\r' && *p != '\n') {
                    if (*p == '"')
                        fail_msg("a quote inside an unquoted field");
                    f[k++] = *p++;
                }
            }
            f[k] = '\0';
            fields = realloc(fields, (nf + 1) * sizeof *fields);
            assert_non_null(fields);
            fields[nf++] = f;
            if (*p == ',') {
                p++;
                continue;
            }
            if (p[0] == '\r' && p[1] == '\n') {
                p += 2;
                break;
            }
            fail_msg("a record does not end in CRLF at: %.40s", p);
        }
        out->rows = realloc(out->rows, (out->n + 1) * sizeof *out->rows);
        out->widths = realloc(out->widths, (out->n + 1) * sizeof *out->widths);
        assert_non_null(out->rows);
        assert_non_null(out->widths);
        out->rows[out->n] = fields;
        out->widths[out->n++] = nf;
    }
}

/* The index of the record naming `table`: one field, the table's name. */
static size_t csv_table_at(const struct csv *c, const char *table)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->widths[i] == 1 && strcmp(c->rows[i][0], table) == 0)
            return i;
    fail_msg("the CSV has no table %s", table);
    return 0;
}

/* Field `column` of row `row` (0-based, after the header) of `table`. */
static const char *csv_cell(const struct csv *c, const char *table, size_t row, const char *column)
{
    size_t at = csv_table_at(c, table);
    const size_t header = at + 1;
    assert_true(header + 1 + row < c->n);
    for (size_t j = 0; j < c->widths[header]; j++)
        if (strcmp(c->rows[header][j], column) == 0) {
            assert_int_equal(c->widths[header + 1 + row], c->widths[header]);
            return c->rows[header + 1 + row][j];
        }
    fail_msg("table %s has no column %s", table, column);
    return NULL;
}

static char *csv_report(const char *query)
{
    char *path = h_strf("/v1/reports/cohorts/%s%s", cohort, query);
    const char *headers[] = {"Accept: text/csv", NULL};
    struct h_response r;
    h_http_headers(&server, "GET", path, leader, NULL, NULL, 0, headers, &r);
    free(path);
    assert_int_equal(r.status, 200);
    char *type = h_response_header(&r, "Content-Type");
    assert_non_null(type);
    assert_true(strncmp(type, "text/csv", 8) == 0);
    free(type);
    char *body = r.body;
    r.body = NULL;
    h_response_free(&r);
    return body;
}

/* Accept: text/csv: the same tables, one after another, RFC 4180. */
static void test_csv(void **state)
{
    (void)state;
    char *body = csv_report("");
    struct csv c;
    csv_parse(body, &c);
    static const char *const tables[] = {"learners",   "standards", "indicators",
                                         "attendance", "problems",  "time_to_eligibility"};
    static const size_t rows[] = {1, 2, 3, 3, 1, 1};
    size_t prev = 0;
    for (size_t t = 0; t < 6; t++) {
        size_t at = csv_table_at(&c, tables[t]);
        assert_true(t == 0 ? at == 0 : at > prev);
        /* the name, the header, the rows, then a blank line (one empty field) */
        size_t blank = at + 2 + rows[t];
        assert_true(blank < c.n);
        assert_int_equal(c.widths[blank], 1);
        assert_string_equal(c.rows[blank][0], "");
        prev = at;
    }
    assert_string_equal(csv_cell(&c, "learners", 0, "total"), "12");
    assert_string_equal(csv_cell(&c, "learners", 0, "not_started"), "5");
    assert_string_equal(csv_cell(&c, "learners", 0, "group"), "");
    assert_string_equal(csv_cell(&c, "indicators", 0, "indicator"), "A.1");
    assert_string_equal(csv_cell(&c, "indicators", 0, "level_3"), "2");
    assert_string_equal(csv_cell(&c, "indicators", 0, "not_scored"), "7");
    assert_string_equal(csv_cell(&c, "attendance", 2, "absent"), "12");
    assert_string_equal(csv_cell(&c, "problems", 0, "approved"), "3");
    assert_string_equal(csv_cell(&c, "time_to_eligibility", 0, "median_days"), "15");
    csv_free(&c);
    free(body);

    /* a group's name with a comma and quotes comes back whole; suppressed cells are empty */
    body = csv_report("?by=position");
    csv_parse(body, &c);
    assert_non_null(strstr(body, "\"Assistant principal, \"\"acting\"\"\""));
    assert_string_equal(csv_cell(&c, "learners", 0, "group"), "Assistant principal, \"acting\"");
    assert_string_equal(csv_cell(&c, "learners", 0, "total"), "6");
    assert_string_equal(csv_cell(&c, "learners", 0, "suppressed"), "");
    csv_free(&c);
    free(body);
    /* a value a spreadsheet would run as a formula goes out as text */
    body = csv_report("?by=network");
    csv_parse(body, &c);
    assert_string_equal(csv_cell(&c, "learners", 0, "group"), "'=HYPERLINK(\"x\")");
    assert_string_equal(csv_cell(&c, "learners", 0, "total"), "12");
    csv_free(&c);
    free(body);
    body = csv_report("?by=school");
    csv_parse(body, &c);
    /* groups in order: East, North, South */
    assert_string_equal(csv_cell(&c, "learners", 0, "group"), "East");
    assert_string_equal(csv_cell(&c, "learners", 0, "suppressed"), "true");
    assert_string_equal(csv_cell(&c, "learners", 0, "total"), "");
    assert_string_equal(csv_cell(&c, "learners", 1, "total"), "6");
    assert_string_equal(csv_cell(&c, "learners", 2, "suppressed"), "true");
    csv_free(&c);
    free(body);
}

static char *csv_org_report(const char *query)
{
    char *path = h_strf("/v1/reports/orgs/current%s", query);
    const char *headers[] = {"Accept: text/csv", NULL};
    struct h_response r;
    h_http_headers(&server, "GET", path, leader, NULL, NULL, 0, headers, &r);
    free(path);
    assert_int_equal(r.status, 200);
    char *type = h_response_header(&r, "Content-Type");
    assert_non_null(type);
    assert_true(strncmp(type, "text/csv", 8) == 0);
    free(type);
    char *body = r.body;
    r.body = NULL;
    h_response_free(&r);
    return body;
}

/* The organisation's report as CSV: the cohorts table first, then the rest; RFC 4180. */
static void test_org_csv(void **state)
{
    (void)state;
    char *body = csv_org_report("");
    struct csv c;
    csv_parse(body, &c);
    static const char *const tables[] = {
        "cohorts",    "learners", "standards",          "indicators",
        "attendance", "problems", "time_to_eligibility"};
    static const size_t rows[] = {2, 1, 2, 3, 3, 1, 1};
    size_t prev = 0;
    for (size_t t = 0; t < 7; t++) {
        size_t at = csv_table_at(&c, tables[t]);
        assert_true(t == 0 ? at == 0 : at > prev);
        size_t blank = at + 2 + rows[t];
        assert_true(blank < c.n);
        assert_int_equal(c.widths[blank], 1);
        assert_string_equal(c.rows[blank][0], "");
        prev = at;
    }
    /* a cohort's name with a comma and quotes, quoted, and back whole */
    assert_non_null(strstr(body, "\"Leaders 2026, \"\"spring\"\"\""));
    assert_string_equal(csv_cell(&c, "cohorts", 1, "name"), "Leaders 2026, \"spring\"");
    assert_string_equal(csv_cell(&c, "cohorts", 1, "id"), cohort2);
    assert_string_equal(csv_cell(&c, "cohorts", 1, "starts_on"), "2026-01-05");
    assert_string_equal(csv_cell(&c, "cohorts", 1, "total"), "14");
    assert_string_equal(csv_cell(&c, "cohorts", 1, "eligible"), "1");
    assert_string_equal(csv_cell(&c, "learners", 0, "total"), "26");
    assert_string_equal(csv_cell(&c, "standards", 0, "credential"), "equity-leadership");
    assert_string_equal(csv_cell(&c, "indicators", 0, "level_3"), "3");
    assert_string_equal(csv_cell(&c, "indicators", 1, "not_scored"), "21");
    assert_string_equal(csv_cell(&c, "attendance", 0, "sessions"), "2");
    assert_string_equal(csv_cell(&c, "attendance", 0, "absent"), "19");
    assert_string_equal(csv_cell(&c, "attendance", 2, "learners"), "12");
    assert_string_equal(csv_cell(&c, "problems", 0, "approved"), "4");
    assert_string_equal(csv_cell(&c, "time_to_eligibility", 0, "max_days"), "30");
    csv_free(&c);
    free(body);

    /* suppressed cells are empty and say so, per cohort and per group */
    body = csv_org_report("?by=school");
    csv_parse(body, &c);
    /* cohorts: (1, East) (1, North) (1, South) (2, North) (2, South) (2, West) */
    assert_string_equal(csv_cell(&c, "cohorts", 0, "group"), "East");
    assert_string_equal(csv_cell(&c, "cohorts", 0, "suppressed"), "true");
    assert_string_equal(csv_cell(&c, "cohorts", 0, "total"), "");
    assert_string_equal(csv_cell(&c, "cohorts", 0, "name"), "Equity Leaders 2025");
    assert_string_equal(csv_cell(&c, "cohorts", 1, "total"), "6");
    assert_string_equal(csv_cell(&c, "cohorts", 3, "suppressed"), "true");
    assert_string_equal(csv_cell(&c, "cohorts", 5, "total"), "6");
    /* learners: East, North, South, West */
    assert_string_equal(csv_cell(&c, "learners", 1, "group"), "North");
    assert_string_equal(csv_cell(&c, "learners", 1, "suppressed"), "true");
    assert_string_equal(csv_cell(&c, "learners", 1, "total"), "");
    assert_string_equal(csv_cell(&c, "learners", 2, "total"), "8");
    assert_string_equal(csv_cell(&c, "learners", 2, "suppressed"), "");
    csv_free(&c);
    free(body);
}

/* mcred report --org: the tables, --csv as the server sends it, one of COHORT and --org. */
static void test_org_cli(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    const char *plain[] = {"report", "--org", NULL};
    int st = h_cli(server.url, leader, plain, &out, &err);
    if (st != 0)
        fail_msg("mcred report --org exited %d: %s", st, err);
    assert_non_null(strstr(out, "Cohorts: learners by status"));
    assert_non_null(strstr(out, "Equity Leaders 2025"));
    assert_non_null(strstr(out, "Attendance by week of the cohort and mode"));
    assert_non_null(strstr(out, "1:1 2:1 3:3 4:1"));
    free(out);
    free(err);

    const char *csv[] = {"report", "--org", "--by", "school", "--csv", NULL};
    st = h_cli(server.url, leader, csv, &out, &err);
    if (st != 0)
        fail_msg("mcred report --org --csv exited %d: %s", st, err);
    char *direct = csv_org_report("?by=school");
    assert_string_equal(out, direct);
    free(direct);
    free(out);
    free(err);

    const char *both[] = {"report", cohort, "--org", NULL};
    assert_int_equal(h_cli(server.url, leader, both, &out, &err), 2);
    assert_non_null(strstr(err, "give a cohort or --org, not both"));
    free(out);
    free(err);
    const char *neither[] = {"report", "--by", "school", NULL};
    assert_int_equal(h_cli(server.url, leader, neither, &out, &err), 2);
    assert_non_null(strstr(err, "give a cohort, or --org"));
    free(out);
    free(err);
    const char *denied[] = {"report", "--org", NULL};
    assert_int_equal(h_cli(server.url, coach, denied, &out, &err), 4);
    free(out);
    free(err);
}

/* Leaders, coordinators and admins; another organisation sees only its own (nothing). */
static void test_org_who_may(void **state)
{
    (void)state;
    cJSON_Delete(org_report("", admin, 200));
    cJSON_Delete(org_report("", coordinator, 200));
    cJSON_Delete(org_report("", learner_token, 403));
    cJSON_Delete(org_report("", coach, 403));
    cJSON *rep = org_report("", other_admin, 200);
    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "cohorts")), 0);
    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "learners")), 0);
    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "standards")), 0);
    cJSON_Delete(rep);
}

/* mcred report: the tables, --csv as the server sends it, exit codes. */
static void test_cli(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    const char *plain[] = {"report", "Equity Leaders 2025", NULL};
    int st = h_cli(server.url, leader, plain, &out, &err);
    if (st != 0)
        fail_msg("mcred report exited %d: %s", st, err);
    assert_non_null(strstr(out, "Learners by status"));
    assert_non_null(strstr(out, "Problems of practice by state"));
    assert_non_null(strstr(out, "1:1 2:1 3:2 4:1"));
    free(out);
    free(err);

    const char *csv[] = {"report", cohort, "--by", "school", "--csv", NULL};
    st = h_cli(server.url, leader, csv, &out, &err);
    if (st != 0)
        fail_msg("mcred report --csv exited %d: %s", st, err);
    char *direct = csv_report("?by=school");
    assert_string_equal(out, direct);
    free(direct);
    free(out);
    free(err);

    const char *unknown[] = {"report", cohort, "--by", "shoe size", NULL};
    assert_int_equal(h_cli(server.url, leader, unknown, &out, &err), 1);
    free(out);
    free(err);
    const char *denied[] = {"report", cohort, NULL};
    assert_int_equal(h_cli(server.url, coach, denied, &out, &err), 4);
    free(out);
    free(err);
    const char *missing[] = {"report", "no-such-cohort", NULL};
    assert_int_equal(h_cli(server.url, leader, missing, &out, &err), 3);
    free(out);
    free(err);
    const char *usage[] = {"report", NULL};
    assert_int_equal(h_cli(server.url, leader, usage, &out, &err), 2);
    free(out);
    free(err);
}

/* The cohort by its name, as every /v1/cohorts/{id} route takes it. */
static void test_by_name(void **state)
{
    (void)state;
    cJSON *rep = call("GET", "/v1/reports/cohorts/Equity%20Leaders%202025", coordinator, NULL, 200);
    assert_string_equal(h_json_string(rep, "cohort.id"), cohort);
    cJSON_Delete(rep);
    cJSON_Delete(call("GET", "/v1/reports/cohorts/no-such-cohort", admin, NULL, 404));
}

/* Learners and coaches may not read it; another organisation cannot see the cohort. */
static void test_who_may(void **state)
{
    (void)state;
    cJSON_Delete(report("", admin, 200));
    cJSON_Delete(report("", coordinator, 200));
    cJSON_Delete(report("", learner_token, 403));
    cJSON_Delete(report("", coach, 403));
    cJSON_Delete(report("", other_admin, 404));
}

/* ---- the organisation's report ---- */

/* The learners-by-status figures of a row, in the order of the columns. */
static void expect_statuses(const cJSON *r, long total, long not_started, long in_progress,
                            long eligible, long awarded, long revoked)
{
    expect(r, "total", total);
    expect(r, "not_started", not_started);
    expect(r, "in_progress", in_progress);
    expect(r, "eligible", eligible);
    expect(r, "awarded", awarded);
    expect(r, "revoked", revoked);
}

/* Every figure over both cohorts, without ?by. */
static void test_org_whole(void **state)
{
    (void)state;
    cJSON *rep = org_report("", leader, 200);
    assert_true(cJSON_IsNull(h_json_at(rep, "by")));
    assert_non_null(h_json_string(rep, "org.name"));

    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "cohorts")), 2);
    const cJSON *c1 = cJSON_GetArrayItem(h_json_at(rep, "cohorts"), 0);
    const cJSON *c2 = cJSON_GetArrayItem(h_json_at(rep, "cohorts"), 1);
    assert_string_equal(h_json_string(c1, "id"), cohort);
    assert_string_equal(h_json_string(c1, "name"), "Equity Leaders 2025");
    assert_string_equal(h_json_string(c1, "starts_on"), "2025-01-06");
    assert_non_null(h_json_string(c1, "status"));
    expect_statuses(c1, 12, 5, 4, 1, 1, 1);
    assert_string_equal(h_json_string(c2, "id"), cohort2);
    assert_string_equal(h_json_string(c2, "name"), "Leaders 2026, \"spring\"");
    expect_statuses(c2, 14, 12, 1, 1, 0, 0);

    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "learners")), 1);
    expect_statuses(row(rep, "learners", NULL, NULL), 26, 17, 5, 2, 1, 1);

    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "standards")), 2);
    const cJSON *s = row(rep, "standards", "standard", "S-A");
    assert_string_equal(h_json_string(s, "credential"), "equity-leadership");
    expect(s, "version", 1);
    expect(s, "learners", 26);
    expect(s, "at_or_above", 4);
    expect(row(rep, "standards", "standard", "S-B"), "at_or_above", 4);

    static const struct {
        const char *code;
        long at_or_above, not_scored, levels[4];
    } inds[] = {
        {"A.1", 4, 20, {1, 1, 3, 1}},
        {"A.2", 5, 21, {0, 0, 3, 2}},
        {"B.1", 4, 22, {0, 0, 3, 1}},
    };
    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "indicators")), 3);
    for (size_t k = 0; k < 3; k++) {
        const cJSON *ind = row(rep, "indicators", "indicator", inds[k].code);
        expect(ind, "learners", 26);
        expect(ind, "at_or_above", inds[k].at_or_above);
        expect(ind, "not_scored", inds[k].not_scored);
        for (int lv = 0; lv < 4; lv++) {
            char p[32];
            snprintf(p, sizeof p, "levels[%d].count", lv);
            expect(ind, p, inds[k].levels[lv]);
        }
    }

    /* week, sessions, expected, in person, online, asynchronous, excused, absent */
    static const long weeks[3][8] = {
        {1, 2, 26, 4, 1, 1, 1, 19}, {2, 2, 26, 1, 2, 1, 0, 22}, {3, 1, 12, 0, 0, 0, 0, 12}};
    static const char *const cols[8] = {"week",   "sessions",     "learners", "in_person",
                                        "online", "asynchronous", "excused",  "absent"};
    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "attendance")), 3);
    for (int w = 0; w < 3; w++)
        for (int k = 0; k < 8; k++) {
            char p[48];
            snprintf(p, sizeof p, "attendance[%d].%s", w, cols[k]);
            expect(rep, p, weeks[w][k]);
        }

    const cJSON *p = row(rep, "problems", NULL, NULL);
    expect(p, "none", 18);
    expect(p, "draft", 1);
    expect(p, "submitted", 2);
    expect(p, "needs_revision", 1);
    expect(p, "approved", 4);

    const cJSON *t = row(rep, "time_to_eligibility", NULL, NULL);
    expect(t, "learners", 3);
    expect(t, "median_days", 20);
    expect(t, "max_days", 30);
    cJSON_Delete(rep);
}

/* The "cohorts" row of cohort `id` and group `group`. */
static const cJSON *cohort_row(const cJSON *rep, const char *id, const char *group)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, h_json_at(rep, "cohorts"))
    {
        const char *i = h_json_string(r, "id"), *g = h_json_string(r, "group");
        if (i && g && strcmp(i, id) == 0 && strcmp(g, group) == 0)
            return r;
    }
    fail_msg("no cohorts row for %s in %s", group, id);
    return NULL;
}

/*
 * ?by=school: East small, North hidden although 11 (its one hidden cell
 * in cohort 2 would follow from its total), South and West shown; each
 * cohort's cells hidden as its own report hides them.
 */
static void test_org_by_school(void **state)
{
    (void)state;
    cJSON *rep = org_report("?by=school", leader, 200);
    assert_string_equal(h_json_string(rep, "by"), "school");
    static const char *const tables[] = {"learners",   "standards", "indicators",
                                         "attendance", "problems",  "time_to_eligibility"};
    static const int rows_per_group[] = {1, 2, 3, 3, 1, 1};
    for (size_t t = 0; t < 6; t++) {
        assert_int_equal(cJSON_GetArraySize(h_json_at(rep, tables[t])), 4 * rows_per_group[t]);
        const cJSON *r;
        cJSON_ArrayForEach(r, h_json_at(rep, tables[t]))
        {
            const char *g = h_json_string(r, "group");
            assert_non_null(g);
            if (strcmp(g, "East") == 0 || strcmp(g, "North") == 0)
                expect_suppressed(r);
            else
                assert_null(cJSON_GetObjectItemCaseSensitive(r, "suppressed"));
        }
    }
    expect_statuses(group_row(rep, "learners", "South", NULL, NULL), 8, 6, 2, 0, 0, 0);
    expect_statuses(group_row(rep, "learners", "West", NULL, NULL), 6, 6, 0, 0, 0, 0);
    const cJSON *p = group_row(rep, "problems", "South", NULL, NULL);
    expect(p, "none", 6);
    expect(p, "submitted", 1);
    expect(p, "needs_revision", 1);
    expect(p, "approved", 0);
    const cJSON *s = group_row(rep, "standards", "South", "standard", "S-A");
    expect(s, "learners", 8);
    expect(s, "at_or_above", 0);
    const cJSON *a = cJSON_GetArrayItem(h_json_at(rep, "attendance"), 2); /* week 1, South */
    assert_string_equal(h_json_string(a, "group"), "South");
    expect(a, "week", 1);
    expect(a, "learners", 8);
    expect(a, "asynchronous", 1);
    expect(a, "absent", 7);

    /* per cohort and group: cohort 1 East 1, North 6, South 5; cohort 2 North 5, South 3, West 6 */
    assert_int_equal(cJSON_GetArraySize(h_json_at(rep, "cohorts")), 6);
    expect_suppressed(cohort_row(rep, cohort, "East"));
    expect_statuses(cohort_row(rep, cohort, "North"), 6, 0, 3, 1, 1, 1);
    expect_suppressed(cohort_row(rep, cohort, "South"));
    expect_suppressed(cohort_row(rep, cohort2, "North"));
    expect_suppressed(cohort_row(rep, cohort2, "South"));
    expect_statuses(cohort_row(rep, cohort2, "West"), 6, 6, 0, 0, 0, 0);
    /* a suppressed row still says which cohort it is */
    assert_string_equal(h_json_string(cohort_row(rep, cohort2, "South"), "name"),
                        "Leaders 2026, \"spring\"");
    cJSON_Delete(rep);

    /* the cohort's own report hides the same cells */
    char *path = h_strf("/v1/reports/cohorts/%s?by=school", cohort2);
    rep = call("GET", path, leader, NULL, 200);
    free(path);
    expect_suppressed(group_row(rep, "learners", "North", NULL, NULL));
    expect_suppressed(group_row(rep, "learners", "South", NULL, NULL));
    expect(group_row(rep, "learners", "West", NULL, NULL), "total", 6);
    cJSON_Delete(rep);

    cJSON_Delete(org_report("?by=shoe_size", leader, 422));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_cohort), cmocka_unit_test(test_by_school),
        cmocka_unit_test(test_csv),          cmocka_unit_test(test_cli),
        cmocka_unit_test(test_by_name),      cmocka_unit_test(test_who_may),
        cmocka_unit_test(test_org_whole),    cmocka_unit_test(test_org_by_school),
        cmocka_unit_test(test_org_csv),      cmocka_unit_test(test_org_cli),
        cmocka_unit_test(test_org_who_may),
    };
    return h_run("test_reports", tests, sizeof tests / sizeof tests[0], setup, teardown);
}
