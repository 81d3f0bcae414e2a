/*
 * test_pages_mine.c — a learner's own page (GET /app/cohorts/{id}/me) and
 * its forms, against the real server and PostgreSQL.
 *
 * Covers: the page shows the status the API gives, what is met and
 * missing, the scores with their feedback (current and earlier); a form
 * posted without its CSRF token changes nothing; a refused form (an empty
 * title, a field too long, a bad link) is shown again with the reason in
 * words and the values as typed (422) and writes nothing; submitting the
 * problem of practice through the form makes it "submitted" with a
 * problem.submitted event, as the API shows; revising it after a review
 * asked for changes submits it again; the evidence form adds evidence
 * (evidence.submitted); a coordinator revising for a learner goes to the
 * learner's page; another learner, a coach, an admin and a learner
 * of another organisation never see the page; a learner whose name is
 * <script>alert(1)</script> sees it as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "mine";
static char *admin, *cohort, *coach_token, *lena_token, *omar_token, *xss_token, *stranger_token;
static char *problem_id, *lena_id;

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

/* A person of the organisation with a token (malloc'd); their id in *out_id unless NULL. */
static char *person_token(const char *token, const char *email, const char *name, char **out_id)
{
    char *id = h_person(&server, token, email, name, NULL);
    char *secret = h_token_for(&server, token, id);
    if (out_id)
        *out_id = id;
    else
        free(id);
    return secret;
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org_slug, "admin@mine.example");
    cJSON *j = call("POST", "/v1/credentials", admin,
                    "{\"slug\": \"lead\", \"version\": 1, \"title\": \"Leading\","
                    " \"achievement_type\": \"MicroCredential\", \"standards\": [{\"code\": \"1\","
                    " \"title\": \"Equity\", \"indicators\": [{\"code\": \"1.1\", \"text\": "
                    "\"Names inequities\"}, {\"code\": \"1.2\", \"text\": \"Acts on them\"}]}]}",
                    201);
    char *credential = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    char *path = h_strf("/v1/credentials/%s/publish", credential);
    cJSON_Delete(call("POST", path, admin, NULL, 200));
    free(path);
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Spring Leaders\", "
                        "\"starts_on\": \"2026-09-08\", \"ends_on\": \"2026-10-20\", "
                        "\"timezone\": \"UTC\", \"min_learners\": 1}",
                        credential);
    j = call("POST", "/v1/cohorts", admin, body, 201);
    cohort = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    free(credential);

    coach_token = person_token(admin, "coach@mine.example", "Cora Coach", NULL);
    lena_token = person_token(admin, "lena@mine.example", "Lena Learner", &lena_id);
    omar_token = person_token(admin, "omar@mine.example", "Omar Other", NULL);
    xss_token = person_token(admin, "xss@mine.example", "<script>alert(1)</script>", NULL);
    path = h_strf("/v1/cohorts/%s/members", cohort);
    cJSON_Delete(call("POST", path, admin,
                      "{\"members\": [{\"email\": \"coach@mine.example\", \"role\": \"coach\"},"
                      " {\"email\": \"lena@mine.example\", \"coach\": \"coach@mine.example\"},"
                      " {\"email\": \"omar@mine.example\", \"coach\": \"coach@mine.example\"},"
                      " {\"email\": \"xss@mine.example\", \"coach\": \"coach@mine.example\"}]}",
                      201));
    free(path);

    /* Lena's 1.1: first 2, then 3; 1.2 never scored */
    path = h_strf("/v1/cohorts/%s/scores", cohort);
    cJSON_Delete(call("POST", path, coach_token,
                      "{\"learner\": \"lena@mine.example\", \"indicator\": \"1.1\", \"level\": 2,"
                      " \"feedback\": \"Needs more data\"}",
                      201));
    cJSON_Delete(call("POST", path, coach_token,
                      "{\"learner\": \"lena@mine.example\", \"indicator\": \"1.1\", \"level\": 3,"
                      " \"feedback\": \"Strong root-cause analysis & plan\"}",
                      201));
    free(path);

    /* a learner of another organisation */
    char *other_admin = h_bootstrap(&server, "elsewhere", "admin@elsewhere.example");
    stranger_token = person_token(other_admin, "sam@elsewhere.example", "Sam Stranger", NULL);
    free(other_admin);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    h_cluster_release(&cluster);
    char *all[] = {admin,     cohort,         coach_token, lena_token, omar_token,
                   xss_token, stranger_token, problem_id,  lena_id};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    return st == 0 ? 0 : -1;
}

/* application/x-www-form-urlencoded of one value (malloc'd). */
static char *form_encode(const char *value)
{
    char *out = malloc(strlen(value) * 3 + 1);
    assert_non_null(out);
    char *o = out;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.')
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = '\0';
    return out;
}

/* A page as the session sees it (the caller frees it with h_response_free). */
static void get_page(const char *session, const char *path, long want, struct h_response *r)
{
    h_page(&server, "GET", path, session, NULL, r);
    if (r->status != want)
        fail_msg("GET %s answered %ld, want %ld: %.400s", path, r->status, want, r->body);
}

/* The text of the element with this id up to the end of the page (or NULL). */
static const char *at_id(const struct h_response *r, const char *id)
{
    char *marker = h_strf("id=\"%s\"", id);
    const char *at = strstr(r->body, marker);
    free(marker);
    return at;
}

/* Does the element with id `id` (its text up to `end_id`, or the end) contain `text`? */
static bool section_has(const struct h_response *r, const char *id, const char *end_id,
                        const char *text)
{
    const char *from = at_id(r, id);
    const char *to = end_id ? at_id(r, end_id) : NULL;
    const char *found = from ? strstr(from, text) : NULL;
    return found && (!to || found < to);
}

/* Every id on the page is used once (labels, aria-describedby and the tests rely on it). */
static void ids_unique(const struct h_response *r)
{
    for (const char *p = strstr(r->body, " id=\""); p; p = strstr(p + 1, " id=\"")) {
        size_t len = strcspn(p + 5, "\"");
        char *marker = h_strf(" id=\"%.*s\"", (int)len, p + 5);
        const char *again = strstr(p + 1, marker);
        if (again)
            fail_msg("the id %s appears twice", marker);
        free(marker);
    }
}

static char *mine_path(void)
{
    return h_strf("/app/cohorts/%s/me", cohort);
}

/* Post a form with the session's csrf (csrf first, then `fields`); the answer in *r. */
static void post_form(const char *session, const char *path, const char *fields,
                      struct h_response *r)
{
    struct h_response page;
    char *mine = mine_path();
    get_page(session, mine, 200, &page);
    free(mine);
    char *csrf = h_page_csrf(&page);
    h_response_free(&page);
    assert_non_null(csrf);
    char *form = h_strf("csrf=%s&%s", csrf, fields);
    h_page(&server, "POST", path, session, form, r);
    free(form);
    free(csrf);
}

static void test_page_shows_status_and_scores(void **state)
{
    (void)state;
    char *session = h_signin(&server, lena_token);
    char *path = mine_path();
    struct h_response r;
    get_page(session, path, 200, &r);
    assert_non_null(strstr(r.body, "<h1>Your progress in Spring Leaders</h1>"));
    /* the status as the API decides it */
    char *api = h_strf("/v1/cohorts/%s/members/%s/status", cohort, lena_id);
    cJSON *status = call("GET", api, lena_token, NULL, 200);
    free(api);
    assert_string_equal(h_json_string(status, "status"), "in_progress");
    assert_true(section_has(&r, "status", "met", "in_progress"));
    assert_true(section_has(&r, "status", "met", "in progress"));
    assert_true(section_has(&r, "met", "missing", "Indicator 1.1 at level 3 (Proficient)"));
    /* every item the API says is missing, in the missing section */
    const cJSON *m;
    int missing = 0;
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(status, "missing"))
    {
        char *escaped = strdup(m->valuestring);
        escaped[0] = (char)(escaped[0] - 'a' + 'A');
        if (!section_has(&r, "missing", "scores", escaped))
            fail_msg("the missing section lacks \"%s\"", escaped);
        free(escaped);
        missing++;
    }
    assert_true(missing >= 3); /* 1.2, standard 1, attendance, the problem */
    assert_true(section_has(&r, "missing", "scores", "Indicator 1.2 is not scored yet"));
    cJSON_Delete(status);
    /* the scores: the current one with its feedback, the earlier one beside it */
    assert_true(
        section_has(&r, "scores", "problem-of-practice", "Strong root-cause analysis &amp; plan"));
    assert_true(section_has(&r, "scores", "problem-of-practice", "Needs more data"));
    assert_true(section_has(&r, "scores", "problem-of-practice", "Cora Coach"));
    assert_true(section_has(&r, "scores", "problem-of-practice", "Not scored yet"));
    /* the forms, each control labelled */
    char *action = h_strf(
        "<form id=\"problem\" method=\"post\" action=\"/app/cohorts/%s/me/problem\"", cohort);
    assert_non_null(strstr(r.body, action));
    free(action);
    static const char *const labels[] = {
        "<label for=\"problem-title\">Title</label>",
        "<label for=\"problem-statement\">Statement</label>",
        "<label for=\"problem-student_focus\">Student focus</label>",
        "<label for=\"problem-data_sources\">Data sources</label>",
        "<label for=\"problem-root_cause\">Root cause</label>",
        "<label for=\"problem-strategy\">Strategy</label>",
        "<label for=\"evidence-title\">Title</label>",
        "<label for=\"evidence-url\">Link</label>",
        "<label for=\"evidence-text\">Notes</label>",
        "<label for=\"evidence-indicator\">Indicator</label>",
        ">Submit problem of practice</button>",
        ">Add evidence</button>",
        "<option value=\"1.2\">1.2 Acts on them</option>",
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strstr(r.body, labels[i]))
            fail_msg("the page lacks %s", labels[i]);
    assert_true(section_has(&r, "problem-state", NULL, "not written yet"));
    ids_unique(&r);
    h_response_free(&r);
    free(path);
    free(session);
}

static void test_forms_without_csrf_change_nothing(void **state)
{
    (void)state;
    char *session = h_signin(&server, lena_token);
    char *other = h_signin(&server, omar_token);
    char *before = h_org_snapshot_all(&db, org_slug);
    const char *paths[] = {"problem", "evidence"};
    for (size_t i = 0; i < 2; i++) {
        char *path = h_strf("/app/cohorts/%s/me/%s", cohort, paths[i]);
        struct h_response r;
        h_page(&server, "POST", path, session,
               "title=Sneaky&statement=x&url=https%3A%2F%2Fdocs.example%2Fa", &r);
        assert_int_equal(r.status, 403);
        assert_non_null(strstr(r.body, "role=\"alert\""));
        h_response_free(&r);
        /* another session's token is no better */
        struct h_response page;
        char *omar_page = mine_path();
        get_page(other, omar_page, 200, &page);
        char *csrf = h_page_csrf(&page);
        char *form = h_strf("csrf=%s&title=Sneaky&url=https%%3A%%2F%%2Fdocs.example%%2Fa", csrf);
        h_page(&server, "POST", path, session, form, &r);
        assert_int_equal(r.status, 403);
        h_response_free(&r);
        h_response_free(&page);
        free(form);
        free(csrf);
        free(omar_page);
        free(path);
    }
    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(other);
    free(session);
}

static void test_refused_form_keeps_values_and_writes_nothing(void **state)
{
    (void)state;
    char *session = h_signin(&server, lena_token);
    char *path = h_strf("/app/cohorts/%s/me/problem", cohort);
    char *before = h_org_snapshot_all(&db, org_slug);
    struct h_response r;
    post_form(session, path, "title=&statement=Keep+what+I+typed+%3Cplease%3E&strategy=Coach", &r);
    assert_int_equal(r.status, 422);
    assert_true(section_has(&r, "problem-error", NULL, "Title must not be empty"));
    assert_non_null(strstr(r.body, "Keep what I typed &lt;please&gt;</textarea>"));
    assert_non_null(strstr(r.body, "aria-invalid=\"true\" aria-describedby=\"problem-error\""));
    h_response_free(&r);

    /* a field too long */
    char *longtext = malloc(4002);
    memset(longtext, 'a', 4001);
    longtext[4001] = '\0';
    char *fields = h_strf("title=Attendance&student_focus=%s", longtext);
    post_form(session, path, fields, &r);
    assert_int_equal(r.status, 422);
    assert_true(section_has(&r, "problem-error", NULL, "Student focus is longer than"));
    assert_non_null(strstr(r.body, "value=\"Attendance\""));
    h_response_free(&r);
    free(fields);
    free(longtext);

    /* evidence with a link that is not one */
    char *epath = h_strf("/app/cohorts/%s/me/evidence", cohort);
    post_form(session, epath, "title=My+chart&url=javascript%3Aalert(1)&indicator=1.2", &r);
    assert_int_equal(r.status, 422);
    assert_true(section_has(&r, "evidence-error", NULL, "Link must be an http"));
    assert_non_null(strstr(r.body, "value=\"My chart\""));
    assert_non_null(strstr(r.body, "<option value=\"1.2\" selected>"));
    assert_non_null(strstr(r.body, "aria-describedby=\"evidence-error evidence-url-hint\""));
    ids_unique(&r);
    h_response_free(&r);
    free(epath);

    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(path);
    free(session);
}

static void test_submit_problem(void **state)
{
    (void)state;
    char *session = h_signin(&server, lena_token);
    char *path = h_strf("/app/cohorts/%s/me/problem", cohort);
    char *title = form_encode("Chronic absence & belonging");
    char *fields = h_strf("title=%s&statement=Grade+6+absence&student_focus=Grade+6"
                          "&data_sources=Attendance&root_cause=Belonging&strategy=Mentors",
                          title);
    struct h_response r;
    post_form(session, path, fields, &r);
    assert_int_equal(r.status, 303);
    char *location = h_response_header(&r, "Location");
    char *want = h_strf("/app/cohorts/%s/me?done=problem", cohort);
    assert_string_equal(location, want);
    h_response_free(&r);

    get_page(session, want, 200, &r);
    assert_non_null(strstr(r.body, "class=\"notice\""));
    assert_non_null(strstr(r.body, "submitted for review"));
    assert_true(section_has(&r, "problem-state", NULL, "<strong>submitted</strong>"));
    assert_non_null(strstr(r.body, "Chronic absence &amp; belonging"));
    assert_null(strstr(r.body, "<form id=\"problem\"")); /* with the reviewer: no form */
    h_response_free(&r);

    /* as the API shows it, with its event */
    char *list = h_strf("/v1/cohorts/%s/problems", cohort);
    cJSON *j = call("GET", list, lena_token, NULL, 200);
    assert_string_equal(h_json_string(j, "items[0].status"), "submitted");
    assert_string_equal(h_json_string(j, "items[0].title"), "Chronic absence & belonging");
    assert_string_equal(h_json_string(j, "items[0].strategy"), "Mentors");
    problem_id = strdup(h_json_string(j, "items[0].id"));
    cJSON_Delete(j);
    j = h_org_events(&db, org_slug, "problem.submitted");
    assert_int_equal(cJSON_GetArraySize(j), 1);
    assert_string_equal(h_json_string(j, "[0].problem"), problem_id);
    assert_string_equal(h_json_string(j, "[0].status"), "submitted");
    cJSON_Delete(j);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.audit"
                                          " WHERE action = 'problem.create'"),
                     1);

    /* a second first draft is refused in words (409), and nothing changes */
    char *before = h_org_snapshot_all(&db, org_slug);
    post_form(session, path, "title=Another", &r);
    assert_int_equal(r.status, 409);
    assert_true(section_has(&r, "problem-error", NULL, "has a problem of practice"));
    h_response_free(&r);
    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(list);
    free(location);
    free(want);
    free(fields);
    free(title);
    free(path);
    free(session);
}

static void test_revise_after_review(void **state)
{
    (void)state;
    assert_non_null(problem_id);
    char *review = h_strf("/v1/problems/%s/review", problem_id);
    cJSON_Delete(call("POST", review, coach_token,
                      "{\"decision\": \"needs_revision\", \"feedback\": \"Name the group <b>"
                      "exactly</b>.\"}",
                      200));
    free(review);
    char *session = h_signin(&server, lena_token);
    char *mine = mine_path();
    struct h_response r;
    get_page(session, mine, 200, &r);
    assert_true(section_has(&r, "problem-state", NULL, "needs revision"));
    assert_true(section_has(&r, "problem-feedback", NULL, "Name the group &lt;b&gt;exactly"));
    char *action =
        h_strf("<form id=\"problem\" method=\"post\" action=\"/app/problems/%s\"", problem_id);
    assert_non_null(strstr(r.body, action));
    /* the form holds what was submitted */
    assert_non_null(strstr(r.body, "value=\"Chronic absence &amp; belonging\""));
    h_response_free(&r);

    char *path = h_strf("/app/problems/%s", problem_id);
    post_form(session, path,
              "title=Chronic+absence+of+grade+6+newcomers&statement=Grade+6+absence"
              "&student_focus=Newcomers+in+grade+6&data_sources=Attendance"
              "&root_cause=Belonging&strategy=Mentors",
              &r);
    assert_int_equal(r.status, 303);
    h_response_free(&r);
    char *api = h_strf("/v1/problems/%s", problem_id);
    cJSON *j = call("GET", api, lena_token, NULL, 200);
    assert_string_equal(h_json_string(j, "status"), "submitted");
    assert_string_equal(h_json_string(j, "student_focus"), "Newcomers in grade 6");
    assert_int_equal(h_json_long(j, "version"), 3);
    cJSON_Delete(j);
    j = h_org_events(&db, org_slug, "problem.submitted");
    assert_int_equal(cJSON_GetArraySize(j), 2);
    cJSON_Delete(j);

    /* submitted again, it cannot be revised until reviewed: refused, nothing written */
    char *before = h_org_snapshot_all(&db, org_slug);
    post_form(session, path, "title=Too+soon", &r);
    assert_int_equal(r.status, 409);
    assert_true(section_has(&r, "problem-error", NULL, "only as a draft"));
    h_response_free(&r);
    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(api);
    free(path);
    free(action);
    free(mine);
    free(session);
}

/* A coordinator (here the admin) revises for a learner and goes to the learner's page. */
static void test_admin_revises_for_learner(void **state)
{
    (void)state;
    char *review = h_strf("/v1/problems/%s/review", problem_id);
    cJSON_Delete(call("POST", review, coach_token,
                      "{\"decision\": \"needs_revision\", \"feedback\": \"One more pass.\"}", 200));
    free(review);
    char *session = h_signin(&server, admin);
    struct h_response r;
    get_page(session, "/app", 200, &r);
    char *csrf = h_page_csrf(&r);
    h_response_free(&r);
    char *path = h_strf("/app/problems/%s", problem_id);
    char *form = h_strf("csrf=%s&title=Revised+by+the+coordinator", csrf);
    h_page(&server, "POST", path, session, form, &r);
    assert_int_equal(r.status, 303);
    char *location = h_response_header(&r, "Location");
    char *want = h_strf("/app/cohorts/%s/learners/%s", cohort, lena_id);
    assert_string_equal(location, want);
    h_response_free(&r);
    char *api = h_strf("/v1/problems/%s", problem_id);
    cJSON *j = call("GET", api, admin, NULL, 200);
    assert_string_equal(h_json_string(j, "status"), "submitted");
    assert_string_equal(h_json_string(j, "title"), "Revised by the coordinator");
    cJSON_Delete(j);
    /* refused now it is submitted: the refusal as a page, nothing written */
    char *before = h_org_snapshot_all(&db, org_slug);
    h_page(&server, "POST", path, session, form, &r);
    assert_int_equal(r.status, 409);
    assert_non_null(strstr(r.body, "role=\"alert\""));
    h_response_free(&r);
    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(api);
    free(want);
    free(location);
    free(form);
    free(path);
    free(csrf);
    free(session);
}

static void test_add_evidence(void **state)
{
    (void)state;
    char *session = h_signin(&server, lena_token);
    char *path = h_strf("/app/cohorts/%s/me/evidence", cohort);
    struct h_response r;
    post_form(session, path,
              "title=Attendance+chart&url=https%3A%2F%2Fdocs.example%2Fchart%3Fa%3D1%26b%3D2"
              "&text=Weeks+1-4&indicator=1.1",
              &r);
    assert_int_equal(r.status, 303);
    char *location = h_response_header(&r, "Location");
    char *want = h_strf("/app/cohorts/%s/me?done=evidence", cohort);
    assert_string_equal(location, want);
    h_response_free(&r);
    get_page(session, want, 200, &r);
    assert_non_null(strstr(r.body, "Your evidence was added."));
    assert_non_null(
        strstr(r.body, "href=\"https://docs.example/chart?a=1&amp;b=2\">Attendance chart</a>"));
    h_response_free(&r);
    /* notes alone, without a link, are evidence too */
    post_form(session, path, "title=Observation&url=&text=Walked+the+halls&indicator=", &r);
    assert_int_equal(r.status, 303);
    h_response_free(&r);

    char *list = h_strf("/v1/cohorts/%s/evidence", cohort);
    cJSON *j = call("GET", list, lena_token, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")), 2);
    assert_string_equal(h_json_string(j, "items[1].title"), "Attendance chart");
    assert_string_equal(h_json_string(j, "items[1].indicator"), "1.1");
    assert_string_equal(h_json_string(j, "items[1].text"), "Weeks 1-4");
    assert_string_equal(h_json_string(j, "items[0].text"), "Walked the halls");
    assert_true(cJSON_IsNull(h_json_at(j, "items[0].url")));
    cJSON_Delete(j);
    j = h_org_events(&db, org_slug, "evidence.submitted");
    assert_int_equal(cJSON_GetArraySize(j), 2);
    cJSON_Delete(j);
    free(list);
    free(location);
    free(want);
    free(path);
    free(session);
}

static void test_others_never_see_it(void **state)
{
    (void)state;
    char *path = mine_path();
    struct h_response r;
    /* another learner of the cohort sees their own page, nothing of Lena's */
    char *omar = h_signin(&server, omar_token);
    get_page(omar, path, 200, &r);
    assert_null(strstr(r.body, "Strong root-cause"));
    assert_null(strstr(r.body, "Chronic absence"));
    assert_null(strstr(r.body, "Attendance chart"));
    assert_true(section_has(&r, "problem-state", NULL, "not written yet"));
    h_response_free(&r);
    /* nor can they revise hers */
    char *before = h_org_snapshot_all(&db, org_slug);
    char *revise = h_strf("/app/problems/%s", problem_id);
    post_form(omar, revise, "title=Taken+over", &r);
    assert_int_equal(r.status, 403);
    h_response_free(&r);
    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(revise);
    free(omar);

    /* the coach, the admin and a learner of another organisation are refused as the API
     * refuses them */
    const char *tokens[] = {coach_token, admin, stranger_token};
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
        char *session = h_signin(&server, tokens[i]);
        h_page(&server, "GET", path, session, NULL, &r);
        assert_int_equal(r.status, 403);
        assert_non_null(strstr(r.body, "role=\"alert\""));
        assert_null(strstr(r.body, "Strong root-cause"));
        assert_null(strstr(r.body, "Lena"));
        h_response_free(&r);
        free(session);
    }
    /* signed out: sent to sign in */
    h_page(&server, "GET", path, NULL, NULL, &r);
    assert_int_equal(r.status, 303);
    h_response_free(&r);
    free(path);
}

static void test_name_shown_as_text(void **state)
{
    (void)state;
    char *session = h_signin(&server, xss_token);
    char *path = mine_path();
    struct h_response r;
    get_page(session, path, 200, &r);
    assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(r.body, "<script"));
    h_response_free(&r);
    free(path);
    free(session);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_shows_status_and_scores),
        cmocka_unit_test(test_forms_without_csrf_change_nothing),
        cmocka_unit_test(test_refused_form_keeps_values_and_writes_nothing),
        cmocka_unit_test(test_submit_problem),
        cmocka_unit_test(test_revise_after_review),
        cmocka_unit_test(test_admin_revises_for_learner),
        cmocka_unit_test(test_add_evidence),
        cmocka_unit_test(test_others_never_see_it),
        cmocka_unit_test(test_name_shown_as_text),
    };
    return h_run_tests(tests, setup, teardown);
}
