/*
 * test_pages_cohort.c — the leaders' pages (GET /app/cohorts/{id} and GET
 * /app/cohorts/{id}/learners/{person}) on a fixture with known answers,
 * against the real server and the real PostgreSQL.
 *
 * One credential (rubric 1–4; rule: every indicator at 3 or above, two
 * weekly sessions attended, the problem of practice approved; standards
 * S-A with A.1 and A.2, S-B with B.1), one cohort "Equity <Leaders> 2025"
 * with three past weekly sessions and twelve learners, whose records are
 * written straight into the database so that every figure is known:
 *
 *   learner  A.1 A.2 B.1  week 1     week 2        problem         status
 *   l01       3   4   3   in_person  online        approved        eligible
 *   l02       4   4   4   online     asynchronous  approved        awarded
 *   l03       3   3   3   in_person  in_person     approved        revoked
 *   l04       3*  3   -   in_person  -             submitted       in_progress
 *   l05       1   -   -   -          -             draft           in_progress
 *   l06       -   -   -   excused    -             none            in_progress
 *   l07       -   -   -   absent     -             none            not_started
 *   l08       -   -   -   -          -             needs_revision  in_progress
 *   l09–l12   nothing at all                                       not_started
 *
 * (*) l04's A.1 was 2 ("first try") a day before it became 3 ("much
 * better"): the history shows both, newest first.  So S-A is met by 4 of
 * 12 (33%) and S-B by 3 of 12 (25%).  Week 1: 3 in person, 1 online, 0
 * asynchronous; week 2: 1, 1, 1; week 3: nobody.
 *
 * Schools: l01–l06 North (6), l07–l11 South (5), l12 East (1); with
 * ?by=school and MCRED_MIN_GROUP 5, East is suppressed and South with it.
 * l12 is named <script>alert(1)</script>.  Coach One coaches l01–l10,
 * Coach Two l11 and l12.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org = "pagescohort";
static char *admin, *coordinator, *leader, *coach1, *coach2, *learner1, *other_admin;
static char *cohort, *learner_id[13];
/* a session for each caller, signed in once */
static char *s_coordinator, *s_leader, *s_admin, *s_coach1, *s_coach2, *s_learner1, *s_other;

#define NLEARNERS   12
#define SCRIPT_NAME "<script>alert(1)</script>"
#define SCRIPT_TEXT "&lt;script&gt;alert(1)&lt;/script&gt;"

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

static char *learner_sql(int i)
{
    return h_strf("(SELECT id FROM mcred.people WHERE email = 'l%02d@pages.example')", i);
}

/* A score of learner i, current unless `superseded` (then a day old and not current). */
static void score(int i, const char *indicator, int level, const char *feedback, bool superseded)
{
    char *who = learner_sql(i);
    char *insert = h_strf("INSERT INTO mcred.scores (org_id, cohort_id, learner_id, indicator,"
                          " level, feedback, coach_id, scored_at)"
                          " SELECT c.org_id, c.id, %s, '%s', %d, '%s',"
                          " (SELECT id FROM mcred.people WHERE email = 'coach1@pages.example'),"
                          " now() - interval '%d hours'"
                          " FROM mcred.cohorts c WHERE c.id = '%s'",
                          who, indicator, level, feedback, superseded ? 24 : 0, cohort);
    if (superseded)
        h_db_exec_super(&db, insert);
    else
        sql(h_strf("WITH s AS (%s RETURNING *) INSERT INTO mcred.score_current (org_id,"
                   " cohort_id, learner_id, indicator, score_id, level) SELECT org_id,"
                   " cohort_id, learner_id, indicator, id, level FROM s",
                   insert));
    free(insert);
    free(who);
}

static void attend(int i, int week, const char *mode)
{
    char *who = learner_sql(i);
    sql(h_strf("INSERT INTO mcred.attendance (org_id, session_id, person_id, mode, recorded_by)"
               " SELECT s.org_id, s.id, %s, '%s', %s FROM mcred.sessions s"
               " WHERE s.cohort_id = '%s' AND s.kind = 'weekly' AND s.week = %d",
               who, mode, who, cohort, week));
    free(who);
}

static void problem(int i, const char *status)
{
    char *who = learner_sql(i);
    sql(h_strf("INSERT INTO mcred.problems (org_id, cohort_id, learner_id, title, status)"
               " SELECT c.org_id, c.id, %s, 'Chronic absence', '%s' FROM mcred.cohorts c"
               " WHERE c.id = '%s'",
               who, status, cohort));
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
               cohort));
    free(who);
}

static char *person_token(const char *email, const char *name, const char *role, char **id_out)
{
    char *id = h_person(&server, admin, email, name, role);
    char *tok = h_token_for(&server, admin, id);
    if (id_out)
        *id_out = id;
    else
        free(id);
    return tok;
}

static void make_cohort(void)
{
    cJSON *j = call("POST", "/v1/credentials", coordinator, framework, 201);
    char *credential = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    char *path = h_strf("/v1/credentials/%s/publish", credential);
    cJSON_Delete(call("POST", path, coordinator, NULL, 200));
    free(path);
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Equity <Leaders> 2025\","
                        " \"starts_on\": \"2025-01-06\", \"ends_on\": \"2030-06-30\","
                        " \"timezone\": \"UTC\", \"capacity\": 20}",
                        credential);
    j = call("POST", "/v1/cohorts", coordinator, body, 201);
    cohort = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    free(credential);

    char members[4096] = "{\"members\": [{\"email\": \"coach1@pages.example\", \"role\": "
                         "\"coach\"}, {\"email\": \"coach2@pages.example\", \"role\": \"coach\"}";
    for (int i = 1; i <= NLEARNERS; i++) {
        size_t n = strlen(members);
        snprintf(members + n, sizeof members - n,
                 ", {\"email\": \"l%02d@pages.example\", \"coach\": \"coach%d@pages.example\"}", i,
                 i <= 10 ? 1 : 2);
    }
    strcat(members, "]}");
    path = h_strf("/v1/cohorts/%s/members", cohort);
    cJSON_Delete(call("POST", path, coordinator, members, 201));
    free(path);
    path = h_strf("/v1/cohorts/%s/sessions", cohort);
    cJSON_Delete(call("POST", path, coordinator,
                      "{\"weekly\": {\"first\": \"2025-01-07T17:00\", \"count\": 3}}", 201));
    free(path);
}

static void make_records(void)
{
    static const int levels[8][3] = {{3, 4, 3}, {4, 4, 4}, {3, 3, 3}, {3, 3, 0},
                                     {1, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    static const char *const codes[3] = {"A.1", "A.2", "B.1"};
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 3; k++)
            if (levels[i][k])
                score(i + 1, codes[k], levels[i][k], i == 3 && k == 0 ? "much better" : "", false);
    score(4, "A.1", 2, "first try", true);
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
               " ELSE 'East' END) WHERE email LIKE 'l__@pages.example'"));
    award(2, false);
    award(3, true);
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org, "admin@pages.example");
    other_admin = h_bootstrap(&server, "elsewhere", "admin@elsewhere.example");
    coordinator = person_token("coord@pages.example", "Coordinator", "coordinator", NULL);
    leader = person_token("leader@pages.example", "Leader", "leader", NULL);
    coach1 = person_token("coach1@pages.example", "Coach One", NULL, NULL);
    coach2 = person_token("coach2@pages.example", "Coach Two", NULL, NULL);
    for (int i = 1; i <= NLEARNERS; i++) {
        char *email = h_strf("l%02d@pages.example", i);
        char *name = i == 12 ? strdup(SCRIPT_NAME) : h_strf("Learner %d", i);
        char *tok = person_token(email, name, NULL, &learner_id[i]);
        if (i == 1)
            learner1 = tok;
        else
            free(tok);
        free(name);
        free(email);
    }
    make_cohort();
    make_records();
    s_coordinator = h_signin(&server, coordinator);
    s_leader = h_signin(&server, leader);
    s_admin = h_signin(&server, admin);
    s_coach1 = h_signin(&server, coach1);
    s_coach2 = h_signin(&server, coach2);
    s_learner1 = h_signin(&server, learner1);
    s_other = h_signin(&server, other_admin);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    char *owned[] = {admin,    coordinator, leader,   coach1,        coach2,
                     learner1, other_admin, cohort,   s_coordinator, s_leader,
                     s_admin,  s_coach1,    s_coach2, s_learner1,    s_other};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        free(owned[i]);
    for (int i = 1; i <= NLEARNERS; i++)
        free(learner_id[i]);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* GET a page with a session; it must answer `want`.  The body is the caller's (malloc'd). */
static char *page(const char *path, const char *session, long want)
{
    struct h_response r;
    h_page(&server, "GET", path, session, NULL, &r);
    if (r.status != want)
        fail_msg("GET %s answered %ld, want %ld: %.600s", path, r.status, want, r.body);
    char *body = r.body ? strdup(r.body) : strdup("");
    h_response_free(&r);
    return body;
}

static char *cohort_page(const char *query, const char *session, long want)
{
    char *path = h_strf("/app/cohorts/%s%s", cohort, query);
    char *body = page(path, session, want);
    free(path);
    return body;
}

static char *learner_page(int i, const char *session, long want)
{
    char *path = h_strf("/app/cohorts/%s/learners/%s", cohort, learner_id[i]);
    char *body = page(path, session, want);
    free(path);
    return body;
}

/* The text from `start` to the first `end` after it (malloc'd); fails when either is absent. */
static char *between(const char *body, const char *start, const char *end)
{
    const char *a = strstr(body, start);
    if (!a)
        fail_msg("the page has no [%s]", start);
    const char *b = strstr(a, end);
    if (!b)
        fail_msg("the page has no [%s] after [%s]", end, start);
    return strndup(a, (size_t)(b - a) + strlen(end));
}

static void expect_in(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("want [%s] in: %.2000s", part, text);
}

static void expect_not_in(const char *text, const char *part)
{
    if (strstr(text, part))
        fail_msg("do not want [%s] in: %.2000s", part, text);
}

/* The grid's row of a learner by the name its link shows (escaped already). */
static char *grid_row(const char *grid, const char *shown_name)
{
    char *start = h_strf(">%s</a>", shown_name);
    char *row = between(grid, start, "</tr>");
    free(start);
    return row;
}

static const char *status_words(const char *status)
{
    if (strcmp(status, "in_progress") == 0)
        return "<td>in progress</td>";
    if (strcmp(status, "not_started") == 0)
        return "<td>not started</td>";
    if (strcmp(status, "eligible") == 0)
        return "<td>eligible</td>";
    if (strcmp(status, "awarded") == 0)
        return "<td>awarded</td>";
    if (strcmp(status, "revoked") == 0)
        return "<td>revoked</td>";
    fail_msg("unknown status %s", status);
    return "";
}

/* Every learner is in the grid with the status the status API gives them. */
static void test_grid_matches_status_api(void **state)
{
    (void)state;
    char *body = cohort_page("", s_leader, 200);
    expect_in(body, "<h1>Equity &lt;Leaders&gt; 2025</h1>");
    char *grid = between(body, "<table id=\"grid\">", "</table>");
    expect_in(grid, "<caption>Learners and standards");
    char *path = h_strf("/v1/cohorts/%s/status", cohort);
    cJSON *status = call("GET", path, leader, NULL, 200);
    free(path);
    const cJSON *learners = h_json_at(status, "learners");
    assert_int_equal(cJSON_GetArraySize(learners), NLEARNERS);
    const cJSON *l;
    cJSON_ArrayForEach(l, learners)
    {
        const char *name = h_json_string(l, "learner.name");
        char *row = grid_row(grid, strcmp(name, SCRIPT_NAME) == 0 ? SCRIPT_TEXT : name);
        expect_in(row, status_words(h_json_string(l, "status")));
        free(row);
    }
    cJSON_Delete(status);
    /* the known answers, row by row */
    char *row = grid_row(grid, "Learner 1");
    expect_in(row, "<td>eligible</td>");
    expect_in(row, "<td><span class=\"met\">Met</span> (2 of 2)</td>");
    expect_in(row, "<td>2 of 2</td><td>approved</td>");
    free(row);
    row = grid_row(grid, "Learner 4");
    expect_in(row, "<td>in progress</td><td><span class=\"met\">Met</span> (2 of 2)</td>"
                   "<td>0 of 1</td><td>1 of 2</td><td>submitted</td>");
    char *link =
        h_strf("<a href=\"/app/cohorts/%s/learners/%s\">Learner 4</a>", cohort, learner_id[4]);
    expect_in(grid, link);
    free(link);
    free(row);
    row = grid_row(grid, "Learner 6");
    expect_in(row, "<td>0 of 2 (1 excused)</td><td>not written yet</td>");
    free(row);
    row = grid_row(grid, "Learner 7");
    expect_in(row, "<td>not started</td>");
    free(row);
    expect_in(body, "<p id=\"progress\">12 learners: 5 not started, 4 in progress, 1 eligible, "
                    "1 awarded, 1 revoked.</p>");
    free(grid);
    free(body);
}

/* The charts carry their figures as text: title, description, caption and a table. */
static void test_charts(void **state)
{
    (void)state;
    char *body = cohort_page("", s_coordinator, 200);
    char *chart = between(body, "<figure id=\"chart-standards\">", "</figure>");
    expect_in(chart, "<svg role=\"img\"");
    expect_in(chart, "viewBox=");
    expect_in(chart, "<title id=\"chart-standards-title\">Share of learners meeting each "
                     "standard</title>");
    expect_in(chart, "Standard S-A: 33% (4 of 12 learners). Standard S-B: 25% (3 of 12 "
                     "learners).</desc>");
    expect_in(chart, "<figcaption>");
    expect_in(chart, ">33%</text>");
    expect_in(chart, ">25%</text>");
    expect_in(chart, "<th scope=\"row\">S-A Looking at data</th><td class=\"n\">4</td>"
                     "<td class=\"n\">12</td><td class=\"n\">33%</td>");
    expect_in(chart, "<th scope=\"row\">S-B Acting</th><td class=\"n\">3</td>"
                     "<td class=\"n\">12</td><td class=\"n\">25%</td>");
    free(chart);
    chart = between(body, "<figure id=\"chart-attendance\">", "</figure>");
    expect_in(chart, "<svg role=\"img\"");
    expect_in(chart, "<title id=\"chart-attendance-title\">");
    expect_in(chart, "Week 1: 3 in person, 1 online, 0 asynchronous, of 12 learners. "
                     "Week 2: 1 in person, 1 online, 1 asynchronous, of 12 learners. "
                     "Week 3: 0 in person, 0 online, 0 asynchronous, of 12 learners.</desc>");
    expect_in(chart, "<figcaption>");
    expect_in(chart, "<th scope=\"row\">Week 1</th><td>2025-01-07</td><td class=\"n\">3</td>"
                     "<td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">1</td>"
                     "<td class=\"n\">7</td><td class=\"n\">12</td>");
    free(chart);
    expect_not_in(body, "<script");
    free(body);
}

/* ?by=school: groups as rows; the small ones say "suppressed", never a 0. */
static void test_disaggregation(void **state)
{
    (void)state;
    char *body = cohort_page("", s_leader, 200);
    char *form = between(body, "<form id=\"disaggregate\" method=\"get\"", "</form>");
    expect_in(form, "<label for=\"by\">Disaggregate by</label><select id=\"by\" name=\"by\">"
                    "<option value=\"\">Everyone</option><option value=\"school\">school"
                    "</option></select>");
    expect_in(form, "<button type=\"submit\">Show</button>");
    free(form);
    expect_not_in(body, "id=\"by-group\"");
    free(body);

    body = cohort_page("?by=school", s_leader, 200);
    expect_in(body, "<option value=\"school\" selected>school</option>");
    char *table = between(body, "<table id=\"by-group\">", "</table>");
    expect_in(table, "<caption>Learners by status, by school</caption>");
    char *north = between(table, "<th scope=\"row\">North</th>", "</tr>");
    expect_in(north, "<td class=\"n\">6</td><td class=\"n\">0</td><td class=\"n\">3</td>"
                     "<td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">1</td>");
    free(north);
    static const char *const small[] = {"<th scope=\"row\">East</th>",
                                        "<th scope=\"row\">South</th>"};
    for (size_t i = 0; i < 2; i++) {
        char *row = between(table, small[i], "</tr>");
        expect_in(row, "<td class=\"n\">suppressed</td>");
        expect_not_in(row, "<td class=\"n\">0</td>");
        expect_not_in(row, "<td class=\"n\">1</td>");
        free(row);
    }
    free(table);
    table = between(body, "<table id=\"by-group-standards\">", "</table>");
    expect_in(table, "<th scope=\"row\">North</th><td class=\"n\">4 of 6 (67%)</td>"
                     "<td class=\"n\">3 of 6 (50%)</td>");
    char *east = between(table, "<th scope=\"row\">East</th>", "</tr>");
    expect_in(east, "suppressed");
    expect_not_in(east, "of");
    free(east);
    free(table);
    free(body);

    /* an attribute no learner has: said next to the form, the rest of the page still there */
    body = cohort_page("?by=region", s_leader, 422);
    expect_in(body, "id=\"by-error\" role=\"alert\"");
    expect_in(body, "has the attribute region");
    expect_in(body, "<table id=\"grid\">");
    expect_not_in(body, "id=\"by-group\"");
    free(body);
}

/* A name with <script> is text, on the grid and on the learner's own page. */
static void test_script_name_escaped(void **state)
{
    (void)state;
    char *body = cohort_page("", s_leader, 200);
    expect_in(body, SCRIPT_TEXT);
    expect_not_in(body, "<script");
    free(body);
    body = learner_page(12, s_leader, 200);
    expect_in(body, "<h1>" SCRIPT_TEXT "</h1>");
    expect_not_in(body, "<script");
    free(body);
}

/* A learner's page: status, what is missing (the status API's list), the history newest first. */
static void test_learner_page(void **state)
{
    (void)state;
    char *body = learner_page(4, s_coordinator, 200);
    expect_in(body, "<h1>Learner 4</h1>");
    char *status = between(body, "<p id=\"status\">", "</p>");
    expect_in(status, "in_progress");
    free(status);
    char *path = h_strf("/v1/cohorts/%s/members/%s/status", cohort, learner_id[4]);
    cJSON *api = call("GET", path, coordinator, NULL, 200);
    free(path);
    char *missing = between(body, "<section id=\"missing\"", "</section>");
    const cJSON *item;
    int n = 0;
    cJSON_ArrayForEach(item, h_json_at(api, "missing"))
    {
        char *li = h_strf("<li>%s</li>", item->valuestring);
        expect_in(missing, li);
        free(li);
        n++;
    }
    assert_int_equal(n, 4); /* B.1, standard S-B, attendance, the problem */
    expect_in(missing, "<li>attendance: 1 of the 2 weekly sessions required</li>");
    free(missing);
    cJSON_Delete(api);
    char *history = between(body, "<section id=\"history\"", "</section>");
    const char *newer = strstr(history, "much better"), *older = strstr(history, "first try");
    assert_non_null(newer);
    assert_non_null(older);
    assert_true(newer < older);
    expect_in(history, "<td>2 Developing</td><td>Coach One</td><td>first try</td>");
    free(history);
    char *sheet = h_strf("<a href=\"/app/cohorts/%s/learners/%s/sheet\">Scoring sheet</a>", cohort,
                         learner_id[4]);
    expect_in(body, sheet);
    free(body);
    /* a leader reads it, but does not score */
    body = learner_page(4, s_leader, 200);
    expect_not_in(body, "Scoring sheet");
    free(body);
    /* a coach of the learner does */
    body = learner_page(4, s_coach1, 200);
    expect_in(body, sheet);
    free(sheet);
    free(body);
    body = learner_page(1, s_leader, 200);
    expect_in(body, "<p>Nothing: every requirement of the credential is met.</p>");
    free(body);
}

/* Who sees what, as the API lets them. */
static void test_roles(void **state)
{
    (void)state;
    free(cohort_page("", s_admin, 200));
    /* a learner gets the status API's refusal, on the cohort and on another learner */
    char *body = cohort_page("", s_learner1, 403);
    expect_in(body, "role=\"alert\"");
    free(body);
    free(learner_page(2, s_learner1, 403));
    body = learner_page(1, s_learner1, 200);
    expect_not_in(body, "Scoring sheet");
    free(body);
    /* another organisation's admin: not found */
    free(cohort_page("", s_other, 404));
    free(learner_page(1, s_other, 404));
    /* a coach sees the learners they coach, and no report */
    body = cohort_page("", s_coach2, 200);
    char *grid = between(body, "<table id=\"grid\">", "</table>");
    expect_in(grid, ">Learner 11</a>");
    expect_in(grid, SCRIPT_TEXT);
    expect_not_in(grid, ">Learner 1</a>");
    expect_not_in(body, "chart-standards");
    expect_not_in(body, "by-group");
    free(grid);
    free(body);
    free(learner_page(11, s_coach2, 200));
    body = learner_page(1, s_coach2, 403);
    expect_in(body, "do not coach Learner 1");
    free(body);
    /* a person who is no learner of the cohort: 404 */
    char *admin_id = h_db_query_super(&db, "SELECT id FROM mcred.people WHERE email = "
                                           "'admin@pages.example'");
    char *path = h_strf("/app/cohorts/%s/learners/%s", cohort, admin_id);
    free(page(path, s_leader, 404));
    free(path);
    free(admin_id);
    /* a cohort that is not there */
    free(page("/app/cohorts/00000000-0000-4000-8000-000000000000", s_leader, 404));
}

/* Home links each cohort to its page. */
static void test_home_links(void **state)
{
    (void)state;
    char *body = page("/app", s_leader, 200);
    char *link = h_strf("<a href=\"/app/cohorts/%s\">Equity &lt;Leaders&gt; 2025</a>", cohort);
    expect_in(body, link);
    free(link);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_matches_status_api),
        cmocka_unit_test(test_charts),
        cmocka_unit_test(test_disaggregation),
        cmocka_unit_test(test_script_name_escaped),
        cmocka_unit_test(test_learner_page),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_home_links),
    };
    return h_run_tests(tests, setup, teardown);
}
