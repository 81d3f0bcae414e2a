/*
 * test_pages_sheet.c — the coaches' pages (web_sheet.c, web_problem.c)
 * against the real server and PostgreSQL.
 *
 * Covers: the scoring sheet shows every indicator with the rubric's
 * descriptors, the current level and its history, and the evidence (a
 * javascript: address shown as text, never a link); posting the whole
 * sheet records every chosen level through the API's write (the API then
 * shows them, score.recorded events and audit rows as for the API) and
 * says "Saved 2 scores."; one level says "Saved 1 score."; a level outside
 * the rubric shows the sheet again (422) with the problem and writes
 * nothing; a form without its CSRF token is refused (403) and writes
 * nothing; a learner, another coach and another organisation's coach can
 * neither see nor write a learner's sheet; a leader reads it without a
 * form; the problem review through the page changes the problem's state
 * and emits problem.reviewed, and a review without a decision writes
 * nothing.
 *
 * Who may see a learner is one rule (mcred.learner_access, migration
 * 0028) on the three pages about one learner — the learner's page, the
 * sheet and the problem page — and on the API's member status:
 * test_who_sees_whom asks each of them as an
 * admin, a coordinator, a leader, a coach and a learner about their own
 * learner, another learner of the cohort, a person who is no learner of
 * it, a learner of another cohort and a learner of another organisation,
 * and checks the status and the refusal's words (the API's); another
 * organisation's cohort is answered exactly as a cohort that does not
 * exist, and no refusal names the learner it hides.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "sheet";
static char *admin, *cohort, *coach_token, *other_coach_token, *learner_token, *leader_token;
static char *learner_id, *stranger_admin, *stranger_coach_token;
/* for test_who_sees_whom: a coordinator, a second cohort, another organisation's learner */
static char *coordinator_token, *peer_id, *other_coach_id, *cohort_b, *learner_b;
static char *stranger_cohort, *stranger_learner;

static cJSON *call(const char *method, const char *path, const char *token, const char *body,
                   long want)
{
    struct h_response r;
    h_call(&server, method, path, token, body, want, &r);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

/* A published credential of two indicators, rubric of four levels; its id (malloc'd). */
static char *make_credential(const char *token)
{
    cJSON *j = call("POST", "/v1/credentials", token,
                    "{\"slug\": \"lead\", \"version\": 1, \"title\": \"Leading\","
                    " \"achievement_type\": \"MicroCredential\", \"standards\": [{\"code\": \"1\","
                    " \"title\": \"Equity\", \"indicators\": [{\"code\": \"1.1\", \"text\": "
                    "\"Leads courageous conversations\"}, {\"code\": \"1.2\", \"text\": "
                    "\"Examines disparities\"}]}]}",
                    201);
    char *id = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    char *path = h_strf("/v1/credentials/%s/publish", id);
    cJSON_Delete(call("POST", path, token, NULL, 200));
    free(path);
    return id;
}

static char *make_cohort(const char *token, const char *credential, const char *name,
                         const char *members)
{
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"%s\", "
                        "\"starts_on\": \"2026-09-08\", \"ends_on\": \"2026-10-20\", "
                        "\"timezone\": \"UTC\", \"min_learners\": 1}",
                        credential, name);
    cJSON *j = call("POST", "/v1/cohorts", token, body, 201);
    char *id = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    char *path = h_strf("/v1/cohorts/%s/members", id);
    cJSON_Delete(call("POST", path, token, members, 201));
    free(path);
    return id;
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org_slug, "admin@sheet.example");
    char *coach = h_person(&server, admin, "coach@sheet.example", "Cora Coach", NULL);
    char *other = h_person(&server, admin, "other@sheet.example", "Otto Coach", NULL);
    char *leader = h_person(&server, admin, "leader@sheet.example", "Lea Leader", "leader");
    learner_id = h_person(&server, admin, "learner@sheet.example", "Lou <script>x</script>", NULL);
    free(h_person(&server, admin, "peer@sheet.example", "Pat Peer", NULL));
    coach_token = h_token_for(&server, admin, coach);
    other_coach_token = h_token_for(&server, admin, other);
    learner_token = h_token_for(&server, admin, learner_id);
    leader_token = h_token_for(&server, admin, leader);
    char *credential = make_credential(admin);
    cohort = make_cohort(admin, credential, "Fall Leaders",
                         "{\"members\": [{\"email\": \"coach@sheet.example\", \"role\": \"coach\"},"
                         " {\"email\": \"other@sheet.example\", \"role\": \"coach\"},"
                         " {\"email\": \"learner@sheet.example\", \"coach\": "
                         "\"coach@sheet.example\"},"
                         " {\"email\": \"peer@sheet.example\", \"coach\": \"other@sheet.example\"}"
                         "]}");
    /* evidence for 1.1: one real link, one address that must never become a link */
    char *path = h_strf("/v1/cohorts/%s/evidence", cohort);
    cJSON_Delete(call("POST", path, learner_token,
                      "{\"title\": \"Staff meeting notes\", \"indicator\": \"1.1\","
                      " \"url\": \"https://docs.example/notes\"}",
                      201));
    cJSON_Delete(call("POST", path, learner_token,
                      "{\"title\": \"Odd link\", \"indicator\": \"1.1\","
                      " \"text\": \"javascript:alert(1)\"}",
                      201));
    free(path);
    /* another organisation with its own coach */
    stranger_admin = h_bootstrap(&server, "elsewhere", "admin@elsewhere.example");
    char *stranger = h_person(&server, stranger_admin, "coach@elsewhere.example", "Sam", NULL);
    stranger_coach_token = h_token_for(&server, stranger_admin, stranger);
    char *cred2 = make_credential(stranger_admin);
    stranger_learner = h_person(&server, stranger_admin, "far@elsewhere.example", "Xena Far", NULL);
    stranger_cohort = make_cohort(stranger_admin, cred2, "Far Leaders",
                                  "{\"members\": [{\"email\": \"coach@elsewhere.example\", "
                                  "\"role\": \"coach\"}, {\"email\": \"far@elsewhere.example\","
                                  " \"coach\": \"coach@elsewhere.example\"}]}");
    free(cred2);
    free(stranger);
    /* a coordinator, and a second cohort of this organisation with its own coach and learner */
    char *coordinator =
        h_person(&server, admin, "coord@sheet.example", "Cody Coord", "coordinator");
    coordinator_token = h_token_for(&server, admin, coordinator);
    free(coordinator);
    free(h_person(&server, admin, "coachb@sheet.example", "Bo Coach", NULL));
    learner_b = h_person(&server, admin, "bea@sheet.example", "Bea Bee", NULL);
    cohort_b = make_cohort(admin, credential, "Spring Leaders",
                           "{\"members\": [{\"email\": \"coachb@sheet.example\", \"role\": "
                           "\"coach\"}, {\"email\": \"bea@sheet.example\", \"coach\": "
                           "\"coachb@sheet.example\"}]}");
    peer_id =
        h_db_query_super(&db, "SELECT id FROM mcred.people WHERE email = 'peer@sheet.example'");
    other_coach_id = strdup(other);
    free(credential);
    free(coach);
    free(other);
    free(leader);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    h_cluster_release(&cluster);
    free(admin);
    free(cohort);
    free(coach_token);
    free(other_coach_token);
    free(learner_token);
    free(leader_token);
    free(learner_id);
    free(stranger_admin);
    free(stranger_coach_token);
    free(coordinator_token);
    free(peer_id);
    free(other_coach_id);
    free(cohort_b);
    free(learner_b);
    free(stranger_cohort);
    free(stranger_learner);
    return st == 0 ? 0 : -1;
}

static char *sheet_path(void)
{
    return h_strf("/app/cohorts/%s/learners/%s/sheet", cohort, learner_id);
}

static void expect_in(const char *body, const char *part)
{
    if (!body || !strstr(body, part))
        fail_msg("page does not contain [%s]:\n%.3000s", part, body ? body : "(none)");
}

/* GET the sheet as a token's person; the session and the page's csrf come back. */
static void get_sheet(const char *token, char **session, struct h_response *out)
{
    *session = h_signin(&server, token);
    char *path = sheet_path();
    h_page(&server, "GET", path, *session, NULL, out);
    free(path);
}

static void test_sheet_shows_descriptors(void **state)
{
    (void)state;
    char *path = h_strf("/v1/cohorts/%s/scores", cohort);
    char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.2\", \"level\": 2,"
                        " \"feedback\": \"Early <days>\"}",
                        learner_id);
    cJSON_Delete(call("POST", path, coach_token, body, 201));
    free(body);
    free(path);

    char *session;
    struct h_response r;
    get_sheet(coach_token, &session, &r);
    assert_int_equal(r.status, 200);
    expect_in(r.body, "<form id=\"sheet\" method=\"post\"");
    expect_in(r.body, "Lou &lt;script&gt;x&lt;/script&gt;");
    assert_null(strstr(r.body, "<script>"));
    expect_in(r.body, "name=\"level.1.1\" value=\"3\"");
    expect_in(r.body, ">3 Proficient</label>");
    expect_in(r.body, ">4 Exemplary</label>");
    expect_in(r.body, "Leads courageous conversations");
    expect_in(r.body, "Current level: <strong>2 Emerging</strong>");
    expect_in(r.body, "Early &lt;days&gt;");
    expect_in(r.body, "Cora Coach");
    expect_in(r.body, "<a href=\"https://docs.example/notes\">Staff meeting notes</a>");
    expect_in(r.body, "javascript:alert(1)");
    assert_null(strstr(r.body, "href=\"javascript:"));
    expect_in(r.body, "<label for=\"f-0\">Feedback</label>");
    expect_in(r.body, "<button type=\"submit\">Save scores</button>");
    h_response_free(&r);
    free(session);
}

static void test_sheet_records_like_the_api(void **state)
{
    (void)state;
    char *session;
    struct h_response page;
    get_sheet(coach_token, &session, &page);
    char *csrf = h_page_csrf(&page);
    h_response_free(&page);
    long events = h_db_long_super(&db, "SELECT count(*) FROM mcred.events"
                                       " WHERE type = 'score.recorded'");
    long audits =
        h_db_long_super(&db, "SELECT count(*) FROM mcred.audit WHERE action = 'score.record'");
    char *form = h_strf("csrf=%s&level.1.1=4&feedback.1.1=Strong+dialogue%%0D%%0Aweek+3"
                        "&level.1.2=3&feedback.1.2=",
                        csrf);
    char *path = sheet_path();
    struct h_response r;
    h_page(&server, "POST", path, session, form, &r);
    assert_int_equal(r.status, 303);
    char *to = h_response_header(&r, "Location");
    assert_non_null(strstr(to, "/sheet?saved=2"));
    h_response_free(&r);
    h_page(&server, "GET", to, session, NULL, &r);
    expect_in(r.body, "Saved 2 scores.");
    expect_in(r.body, "Current level: <strong>4 Exemplary</strong>");
    expect_in(r.body, "Strong dialogue<br>week 3");
    h_response_free(&r);
    free(to);

    /* the API sees them, with the events and audit rows of its own writes */
    char *api = h_strf("/v1/cohorts/%s/scores?learner=%s", cohort, learner_id);
    cJSON *j = call("GET", api, admin, NULL, 200);
    const cJSON *it;
    int seen = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "items"))
    {
        const char *code = h_json_string(it, "indicator");
        long level = h_json_long(it, "level");
        seen +=
            (strcmp(code, "1.1") == 0 && level == 4) || (strcmp(code, "1.2") == 0 && level == 3);
    }
    assert_int_equal(seen, 2);
    cJSON_Delete(j);
    free(api);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.events"
                                          " WHERE type = 'score.recorded'"),
                     events + 2);
    assert_int_equal(
        h_db_long_super(&db, "SELECT count(*) FROM mcred.audit WHERE action = 'score.record'"),
        audits + 2);

    /* one indicator alone */
    free(form);
    form = h_strf("csrf=%s&level.1.2=Exemplary", csrf);
    h_page(&server, "POST", path, session, form, &r);
    assert_int_equal(r.status, 303);
    to = h_response_header(&r, "Location");
    h_response_free(&r);
    h_page(&server, "GET", to, session, NULL, &r);
    expect_in(r.body, "Saved 1 score.");
    h_response_free(&r);
    free(to);
    free(form);
    free(path);
    free(csrf);
    free(session);
}

static void test_bad_level_writes_nothing(void **state)
{
    (void)state;
    char *session;
    struct h_response page;
    get_sheet(coach_token, &session, &page);
    char *csrf = h_page_csrf(&page);
    h_response_free(&page);
    char *path = sheet_path();
    const char *bad[] = {"level.1.1=9&level.1.2=2&feedback.1.2=kept+text",
                         "level.1.1=", "feedback.1.1=no+level", "level.9.9=3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *before = h_org_snapshot_all(&db, org_slug);
        char *form = h_strf("csrf=%s&%s", csrf, bad[i]);
        struct h_response r;
        h_page(&server, "POST", path, session, form, &r);
        if (r.status != 422)
            fail_msg("%s: %ld\n%.2000s", bad[i], r.status, r.body);
        expect_in(r.body, "Nothing was saved.");
        expect_in(r.body, "role=\"alert\"");
        expect_in(r.body, "<form id=\"sheet\"");
        if (i == 0) {
            expect_in(r.body, "Indicator 1.1: level must be");
            /* what was chosen stays chosen */
            expect_in(r.body, "name=\"level.1.2\" value=\"2\" checked");
            expect_in(r.body, ">kept text</textarea>");
        }
        h_response_free(&r);
        char *after = h_org_snapshot_all(&db, org_slug);
        assert_string_equal(before, after);
        free(before);
        free(after);
        free(form);
    }
    free(path);
    free(csrf);
    free(session);
}

static void test_no_csrf_changes_nothing(void **state)
{
    (void)state;
    char *session = h_signin(&server, coach_token);
    char *path = sheet_path();
    const char *forms[] = {"level.1.1=3", "csrf=&level.1.1=3",
                           "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&level.1.1=3"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char *before = h_org_snapshot_all(&db, org_slug);
        struct h_response r;
        h_page(&server, "POST", path, session, forms[i], &r);
        assert_int_equal(r.status, 403);
        expect_in(r.body, "nothing was saved");
        h_response_free(&r);
        char *after = h_org_snapshot_all(&db, org_slug);
        assert_string_equal(before, after);
        free(before);
        free(after);
    }
    free(path);
    free(session);
}

/* GET and POST the learner's sheet as a token's person: both must answer `want`. */
static void expect_refused(const char *token, long want)
{
    char *session = h_signin(&server, token);
    struct h_response home;
    h_page(&server, "GET", "/app", session, NULL, &home);
    char *csrf = h_page_csrf(&home);
    h_response_free(&home);
    char *path = sheet_path();
    struct h_response r;
    h_page(&server, "GET", path, session, NULL, &r);
    if (r.status != want)
        fail_msg("GET %s: %ld, want %ld", path, r.status, want);
    expect_in(r.body, "role=\"alert\"");
    assert_null(strstr(r.body, "Leads courageous conversations"));
    h_response_free(&r);
    char *before = h_org_snapshot_all(&db, org_slug);
    char *form = h_strf("csrf=%s&level.1.1=1", csrf);
    h_page(&server, "POST", path, session, form, &r);
    if (r.status != want)
        fail_msg("POST %s: %ld, want %ld", path, r.status, want);
    h_response_free(&r);
    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(form);
    free(path);
    free(csrf);
    free(session);
}

static void test_others_cannot(void **state)
{
    (void)state;
    /* the peer learner and the other coach are members, not this learner's */
    char *peer_token = h_token_for(&server, admin, peer_id);
    expect_refused(peer_token, 403);
    expect_refused(other_coach_token, 403);
    expect_refused(stranger_coach_token, 403);
    free(peer_token);

    /* the learner reads their own sheet, with no form; posting is refused */
    char *session;
    struct h_response r;
    get_sheet(learner_token, &session, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "<form id=\"sheet\""));
    h_response_free(&r);
    free(session);
    /* a leader reads it too, without a form */
    get_sheet(leader_token, &session, &r);
    assert_int_equal(r.status, 200);
    expect_in(r.body, "Leads courageous conversations");
    assert_null(strstr(r.body, "<form id=\"sheet\""));
    h_response_free(&r);
    free(session);
}

static void test_problem_review(void **state)
{
    (void)state;
    char *path = h_strf("/v1/cohorts/%s/problems", cohort);
    cJSON *j = call("POST", path, learner_token,
                    "{\"title\": \"Chronic absence\", \"statement\": \"Grade 6 <absence>\","
                    " \"student_focus\": \"Grade 6\", \"submit\": true}",
                    201);
    char *problem = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(path);

    char *session = h_signin(&server, coach_token);
    char *page = h_strf("/app/cohorts/%s/learners/%s/problem", cohort, learner_id);
    struct h_response r;
    h_page(&server, "GET", page, session, NULL, &r);
    assert_int_equal(r.status, 200);
    expect_in(r.body, "Grade 6 &lt;absence&gt;");
    expect_in(r.body, "(submitted, version 1");
    expect_in(r.body, "<form id=\"review\"");
    expect_in(r.body, "<label for=\"decision\">Decision</label>");
    expect_in(r.body, "<button type=\"submit\">Record review</button>");
    char *csrf = h_page_csrf(&r);
    h_response_free(&r);

    /* no decision: the page again, nothing written */
    char *action = h_strf("/app/problems/%s/review", problem);
    char *before = h_org_snapshot_all(&db, org_slug);
    char *form = h_strf("csrf=%s&decision=&feedback=Tighten+the+focus", csrf);
    h_page(&server, "POST", action, session, form, &r);
    assert_int_equal(r.status, 422);
    expect_in(r.body, "choose a decision");
    expect_in(r.body, ">Tighten the focus</textarea>");
    h_response_free(&r);
    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(form);

    /* the leader may read the problem but not review it */
    char *leader_session = h_signin(&server, leader_token);
    h_page(&server, "GET", page, leader_session, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "<form id=\"review\""));
    h_response_free(&r);
    free(leader_session);

    long reviewed = h_db_long_super(&db, "SELECT count(*) FROM mcred.events"
                                         " WHERE type = 'problem.reviewed'");
    form = h_strf("csrf=%s&decision=needs_revision&feedback=Tighten+the+focus", csrf);
    h_page(&server, "POST", action, session, form, &r);
    assert_int_equal(r.status, 303);
    char *to = h_response_header(&r, "Location");
    assert_non_null(strstr(to, "/problem?reviewed=needs_revision"));
    h_response_free(&r);
    h_page(&server, "GET", to, session, NULL, &r);
    expect_in(r.body, "Review recorded: needs revision.");
    expect_in(r.body, "(needs_revision, version 2");
    expect_in(r.body, "Tighten the focus");
    assert_null(strstr(r.body, "<form id=\"review\""));
    h_response_free(&r);
    free(to);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.events"
                                          " WHERE type = 'problem.reviewed'"),
                     reviewed + 1);
    char *api = h_strf("/v1/problems/%s", problem);
    j = call("GET", api, admin, NULL, 200);
    assert_string_equal(h_json_string(j, "status"), "needs_revision");
    assert_string_equal(h_json_string(j, "feedback"), "Tighten the focus");
    cJSON_Delete(j);

    /* reviewed already: refused with the API's conflict, nothing written */
    before = h_org_snapshot_all(&db, org_slug);
    h_page(&server, "POST", action, session, form, &r);
    assert_int_equal(r.status, 409);
    expect_in(r.body, "only a submitted one is reviewed");
    h_response_free(&r);
    after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(api);
    free(form);
    free(action);
    free(csrf);
    free(page);
    free(session);
    free(problem);
}

/* ---- who sees whom: mcred.learner_access on every page about one learner ---- */

/*
 * The routes about one learner: /<base>/cohorts/{id}/<middle>/{person}<tail>,
 * and the route's summary.  The pages and the API's member status.
 */
static const struct {
    const char *base, *middle, *tail, *summary;
} learner_routes[] = {
    {"app", "learners", "", "see a learner's page"},
    {"app", "learners", "/sheet", "see a learner's scoring sheet"},
    {"app", "learners", "/problem", "see a learner's problem of practice"},
    {"v1", "members", "/status", "see a member's status"},
};

enum target { OWN, OTHER_LEARNER, NO_LEARNER, OTHER_COHORT, OTHER_ORG, TARGETS };
static const char *const target_words[TARGETS] = {
    "own learner", "another learner of the cohort", "no learner of the cohort",
    "a learner of another cohort", "a learner of another organisation"};

/* `text` as the pages escape it (lib/html.c): a refusal's words inside the page (malloc'd). */
static char *html_escaped(const char *text)
{
    size_t len = 1;
    for (const char *c = text; *c; c++)
        len += *c == '\'' || *c == '"' ? 6 : *c == '&' || *c == '<' || *c == '>' ? 5 : 1;
    char *out = malloc(len), *o = out;
    assert_non_null(out);
    for (const char *c = text; *c; c++) {
        const char *e = *c == '&'    ? "&amp;"
                        : *c == '<'  ? "&lt;"
                        : *c == '>'  ? "&gt;"
                        : *c == '"'  ? "&quot;"
                        : *c == '\'' ? "&#39;"
                                     : NULL;
        if (e) {
            memcpy(o, e, strlen(e));
            o += strlen(e);
        } else
            *o++ = *c;
    }
    *o = '\0';
    return out;
}

/* The path of route `k` about target `t`, for a caller whose own learner is `self`. */
static char *target_path(size_t k, enum target t, const char *self)
{
    const char *const cohorts[TARGETS] = {cohort, cohort, cohort, cohort_b, stranger_cohort};
    const char *const people[TARGETS] = {self, peer_id, other_coach_id, learner_b,
                                         stranger_learner};
    return h_strf("/%s/cohorts/%s/%s/%s%s", learner_routes[k].base, cohorts[t],
                  learner_routes[k].middle, people[t], learner_routes[k].tail);
}

/* The page's main part (past the style sheet), for a failure's message. */
static const char *page_main(const char *body)
{
    const char *m = body ? strstr(body, "<main") : NULL;
    return m ? m : body ? body : "";
}

/*
 * GET `path` as a page in `session` (NULL: as the API with `token`): the
 * status must be `want`, a refusal must say `words` (a page as a sentence,
 * escaped; the API exactly, in the error shape), and nothing may name
 * `hidden`.
 */
static void expect_answer(const char *session, const char *token, const char *who, const char *path,
                          long want, const char *words, const char *hidden)
{
    struct h_response r;
    if (!session) {
        h_call(&server, "GET", path, token, NULL, want, &r);
        const char *said = h_json_string(r.json, "error.message");
        if (words && (!said || strcmp(said, words) != 0))
            fail_msg("%s GET %s said [%s], not [%s]", who, path, said ? said : "(nothing)", words);
        if (hidden && r.body && strstr(r.body, hidden))
            fail_msg("%s GET %s: the answer names %s", who, path, hidden);
        h_response_free(&r);
        return;
    }
    h_page(&server, "GET", path, session, NULL, &r);
    if (r.status != want)
        fail_msg("%s GET %s: %ld, want %ld:\n%.2000s", who, path, r.status, want,
                 page_main(r.body));
    if (words) {
        char *escaped = html_escaped(words);
        escaped[0] = (char)toupper((unsigned char)escaped[0]); /* a page says it as a sentence */
        expect_in(r.body, "role=\"alert\"");
        if (!strstr(r.body, escaped))
            fail_msg("%s GET %s: the refusal does not say [%s]:\n%.2000s", who, path, escaped,
                     page_main(r.body));
        free(escaped);
    }
    if (hidden && strstr(r.body, hidden))
        fail_msg("%s GET %s: the answer names %s", who, path, hidden);
    h_response_free(&r);
}

/* The answer a role gets about a target on a page: status and words (NULL: the page). */
static long expected(int role, enum target t, const char *summary, char **out_words)
{
    enum { ADMIN, COORDINATOR, LEADER, COACH, LEARNER };
    const char *who_may = "only coordinators, leaders and the cohort's coaches and learners may";
    *out_words = NULL;
    if (t == OWN || (role < COACH && (t == OTHER_LEARNER || t == OTHER_COHORT)))
        return 200;
    if (t == OTHER_ORG) { /* invisible under row-level security: as if it did not exist */
        if (role < COACH) {
            *out_words = h_strf("cohort %s not found", stranger_cohort);
            return 404;
        }
        *out_words = h_strf("you may not %s: %s", summary, who_may);
        return 403;
    }
    if (t == OTHER_COHORT) { /* a coach or learner of one cohort is nobody in another */
        *out_words = h_strf("you may not %s in Spring Leaders: %s", summary, who_may);
        return 403;
    }
    if (role == LEARNER) { /* before anything about another person is read */
        *out_words = strdup("a learner acts only on their own records");
        return 403;
    }
    if (t == NO_LEARNER) {
        *out_words = strdup("Otto Coach (other@sheet.example) is not a learner of cohort Fall "
                            "Leaders");
        return 404;
    }
    *out_words = strdup("you do not coach Pat Peer (peer@sheet.example); their coach is Otto "
                        "Coach (other@sheet.example)");
    return 403;
}

static void test_who_sees_whom(void **state)
{
    (void)state;
    const struct {
        const char *name, *token, *own;
    } roles[] = {
        {"admin", admin, learner_id},           {"coordinator", coordinator_token, learner_id},
        {"leader", leader_token, learner_id},   {"coach", coach_token, learner_id},
        {"learner", learner_token, learner_id},
    };
    char *nowhere = strdup("00000000-0000-4000-8000-00000000dead");
    for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++) {
        char *signed_in = h_signin(&server, roles[k].token);
        for (size_t p = 0; p < sizeof learner_routes / sizeof learner_routes[0]; p++)
            for (int t = 0; t < TARGETS; t++) {
                /* a page in the browser's session, the API with the token */
                const char *session = strcmp(learner_routes[p].base, "app") == 0 ? signed_in : NULL;
                char *words, *who = h_strf("%s about %s", roles[k].name, target_words[t]);
                char *path = target_path(p, (enum target)t, roles[k].own);
                long want = expected((int)k, (enum target)t, learner_routes[p].summary, &words);
                expect_answer(session, roles[k].token, who, path, want, words,
                              t == OTHER_ORG                     ? "Xena"
                              : t == OTHER_COHORT && want != 200 ? "Bea"
                                                                 : NULL);
                if (t == OTHER_ORG) {
                    /* another organisation's cohort is not told apart from no cohort at all */
                    char *saved = stranger_cohort, *none_words;
                    stranger_cohort = nowhere;
                    char *none = target_path(p, OTHER_ORG, roles[k].own);
                    (void)expected((int)k, OTHER_ORG, learner_routes[p].summary, &none_words);
                    stranger_cohort = saved;
                    expect_answer(session, roles[k].token, who, none, want, none_words, NULL);
                    free(none_words);
                    free(none);
                }
                free(words);
                free(path);
                free(who);
            }
        free(signed_in);
    }
    free(nowhere);
}

/*
 * A problem of practice by its id (GET /v1/problems/{id}, its review) asks
 * the same rule, read with the problem: the peer's problem as each role.
 */
static void test_problem_by_id_who(void **state)
{
    (void)state;
    char *peer_token = h_token_for(&server, admin, peer_id);
    char *path = h_strf("/v1/cohorts/%s/problems", cohort);
    cJSON *j = call("POST", path, peer_token,
                    "{\"title\": \"Who reads\", \"statement\": \"Grade 4 reading\","
                    " \"student_focus\": \"Grade 4\", \"submit\": true}",
                    201);
    char *problem = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(path);
    path = h_strf("/v1/problems/%s", problem);
    const char *not_coach = "you do not coach Pat Peer (peer@sheet.example); their coach is Otto "
                            "Coach (other@sheet.example)";
    char *not_found = h_strf("problem of practice %s not found", problem);
    const struct {
        const char *name, *token;
        long want;
        const char *words;
    } cases[] = {
        {"admin", admin, 200, NULL},
        {"coordinator", coordinator_token, 200, NULL},
        {"leader", leader_token, 200, NULL},
        {"the peer's coach", other_coach_token, 200, NULL},
        {"the peer", peer_token, 200, NULL},
        {"another coach", coach_token, 403, not_coach},
        {"another learner", learner_token, 403,
         "a learner sees only their own problem of practice"},
        {"another organisation's admin", stranger_admin, 404, not_found},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_answer(NULL, cases[i].token, cases[i].name, path, cases[i].want, cases[i].words,
                      cases[i].want == 200 ? NULL : "Grade 4 reading");
    /* reviewing it is refused in the same words, and writes nothing */
    char *review = h_strf("/v1/problems/%s/review", problem);
    char *before = h_org_snapshot_all(&db, org_slug);
    struct h_response r;
    h_call(&server, "POST", review, coach_token, "{\"decision\": \"approved\"}", 403, &r);
    assert_string_equal(h_json_string(r.json, "error.message"), not_coach);
    h_response_free(&r);
    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(review);
    free(not_found);
    free(path);
    free(problem);
    free(peer_token);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sheet_shows_descriptors),
        cmocka_unit_test(test_sheet_records_like_the_api),
        cmocka_unit_test(test_bad_level_writes_nothing),
        cmocka_unit_test(test_no_csrf_changes_nothing),
        cmocka_unit_test(test_others_cannot),
        cmocka_unit_test(test_who_sees_whom),
        cmocka_unit_test(test_problem_by_id_who),
        cmocka_unit_test(test_problem_review),
    };
    return h_run_tests(tests, setup, teardown);
}
