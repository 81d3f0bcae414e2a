/*
 * test_term_messages.c — a term's refusals read in the user's words, and
 * cohorts are named the way people name them: by slug or by name.  The
 * real mcred CLI against the real server, as a coordinator, two coaches,
 * two learners, a leader and a person of the organisation without a role.
 *
 *   1. cohorts get slugs: made from the name ("Spring 2027" →
 *      spring-2027, "spring-2027-2" for a second cohort of that name),
 *      given with --slug, changed with `cohort update --slug`, shown by
 *      `cohort list` and `cohort show`; a taken slug is a 409 naming the
 *      cohort that has it and a malformed one a usage error;
 *   2. every cohort verb takes the cohort's slug or its name (spaces, any
 *      case): member add/coach/list, session schedule/list, cohort
 *      show/update, status; an unknown name is 404 "no cohort is named …"
 *      (exit 3), a name two cohorts share 409 listing their slugs, and the
 *      HTTP API resolves them the same (GET /v1/cohorts/Spring%202027);
 *   3. the refusals the issue quotes now say what the person tried, where,
 *      and who may — "you may not record a score in Spring 2027: only
 *      coordinators and the cohort's coaches (for their own learners)
 *      may" — with no route, no placeholder, no UUID and no role name in
 *      parentheses; a refused write changes nothing;
 *   4. a learner's own status through the CLI: `mcred status COHORT` and
 *      `mcred status COHORT me@…` (the CLI used to look the e-mail up in
 *      the members' list, which learners may not read); naming another
 *      learner is refused as "you may not see the status of …", not as
 *      the lookup the CLI made;
 *   4b. people and cohorts that reach the server as ids (the CLI's look-up,
 *      a path, a body) come back in words: "Dana Coach (dana…) is not a
 *      learner of cohort Spring 2027", the member, coaching-session learner
 *      and attendance refusals alike, and a coach refused another coach's
 *      learner's problem of practice is told whose learner it is;
 *   5. ids in other paths that cannot be ids: "no webhook has the id …";
 *      /openapi.json carries each route's summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SEED MCRED_FIXTURES_DIR "/equity-excellence.json"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "term";
static char *admin, *coordinator, *leader, *outsider;
static char *coach_a, *coach_b, *learner_a, *learner_b; /* tokens */

#define COACH_A   "dana.coach@term.example"
#define COACH_B   "ben.ortiz@term.example"
#define LEARNER_A "ana.ruiz@term.example"
#define LEARNER_B "li.chen@term.example"

static char *outsider_id; /* a person of the organisation in no cohort */

/* A token for a new person; their id into *id_out when not NULL. */
static char *token_of(const char *email, const char *name, const char *role, char **id_out)
{
    char *id = h_person(&server, admin, email, name, role);
    char *token = h_token_for(&server, admin, id);
    if (id_out)
        *id_out = id;
    else
        free(id);
    return token;
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org_slug, "admin@term.example");
    coordinator = token_of("maria.lopez@term.example", "María López", "coordinator", NULL);
    leader = token_of("lee.leader@term.example", "Lee Leader", "leader", NULL);
    outsider = token_of("olga.outside@term.example", "Olga Outside", NULL, &outsider_id);
    coach_a = token_of(COACH_A, "Dana Coach", NULL, NULL);
    coach_b = token_of(COACH_B, "Ben Ortiz", NULL, NULL);
    learner_a = token_of(LEARNER_A, "Ana Ruiz", NULL, NULL);
    learner_b = token_of(LEARNER_B, "Li Chen", NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    char *tokens[] = {admin, coordinator, leader, outsider, coach_a, coach_b, learner_a, learner_b};
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
        free(tokens[i]);
    free(outsider_id);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* ---- helpers ---- */

static char *command_line(const char *const *argv)
{
    char cmd[1024] = "mcred";
    size_t len = strlen(cmd);
    for (const char *const *a = argv; *a && len < sizeof cmd; a++)
        len += (size_t)snprintf(cmd + len, sizeof cmd - len, " '%s'", *a);
    return strdup(cmd);
}

/* Run the CLI as `token`; it must exit `want`.  Returns stdout (malloc'd); *err_out gets stderr
 * when not NULL (else it is freed). */
static char *run(const char *token, int want, const char *const *argv, char **err_out)
{
    char *out = NULL, *err = NULL;
    int st = h_cli(server.url, token, argv, &out, &err);
    if (st != want) {
        char *cmd = command_line(argv);
        fail_msg("%s: exit %d, not %d\nstdout: %s\nstderr: %s", cmd, st, want, out, err);
    }
    if (err_out)
        *err_out = err;
    else
        free(err);
    return out;
}

static void expect_has(const char *text, const char *want, const char *what)
{
    if (!strstr(text, want))
        fail_msg("%s does not say \"%s\":\n%s", what, want, text);
}

/* Does text hold a UUID (8-4-4-4-12 hex digits)? */
static bool has_uuid(const char *text)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    for (const char *p = text; *p; p++) {
        const char *q = p;
        bool ok = true;
        for (int g = 0; ok && g < 5; g++) {
            for (int i = 0; ok && i < groups[g]; i++, q++)
                ok = (*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') ||
                     (*q >= 'A' && *q <= 'F');
            if (ok && g < 4)
                ok = *q++ == '-';
        }
        if (ok)
            return true;
    }
    return false;
}

/* A message in the user's words: no route, no placeholder, no UUID, no "role (none)". */
static void expect_words(const char *text, const char *what)
{
    if (strstr(text, "/v1/") || strstr(text, "{id}") || strstr(text, "{person}") ||
        strstr(text, "role (") || has_uuid(text))
        fail_msg("%s is not in the user's words:\n%s", what, text);
}

/* Run as `token`, expecting a refusal with exit `want` whose one line holds `phrase`. */
static void refused(const char *token, int want, const char *const *argv, const char *phrase)
{
    char *err = NULL;
    char *before = h_org_snapshot_all(&db, org_slug);
    free(run(token, want, argv, &err));
    char *after = h_org_snapshot_all(&db, org_slug);
    char *cmd = command_line(argv);
    expect_has(err, phrase, cmd);
    expect_words(err, cmd);
    if (strcmp(before, after) != 0)
        fail_msg("%s was refused but changed something", cmd);
    if (strchr(err, '\n') != strrchr(err, '\n'))
        fail_msg("%s: the refusal is more than one line:\n%s", cmd, err);
    free(cmd);
    free(before);
    free(after);
    free(err);
}

static cJSON *run_json(const char *token, const char *const *argv)
{
    char *out = run(token, 0, argv, NULL);
    cJSON *j = cJSON_Parse(out);
    if (!j)
        fail_msg("not JSON: %s", out);
    free(out);
    return j;
}

static char cohort_id[64], session_id[64];

/* ---- 1 and 2: slugs and names ---- */

static void test_slugs_and_names(void **state)
{
    (void)state;
    const char *import[] = {"credential", "import", SEED, NULL};
    free(run(coordinator, 0, import, NULL));
    const char *publish[] = {"credential", "publish", "equity-excellence@1", NULL};
    free(run(coordinator, 0, publish, NULL));

    /* a slug made from the name */
    const char *create[] = {"--json",
                            "cohort",
                            "create",
                            "--credential",
                            "equity-excellence",
                            "--name",
                            "Spring 2027",
                            "--starts",
                            "2027-01-11",
                            "--ends",
                            "2027-05-28",
                            "--timezone",
                            "America/Chicago",
                            NULL};
    cJSON *c = run_json(coordinator, create);
    assert_string_equal(h_json_string(c, "slug"), "spring-2027");
    snprintf(cohort_id, sizeof cohort_id, "%s", h_json_string(c, "id"));
    cJSON_Delete(c);

    /* one given; a malformed one is a usage error; a taken one names its cohort */
    const char *given[] = {
        "--json",     "cohort",    "create",     "--credential", "equity-excellence",
        "--name",     "Fall Term", "--slug",     "fall-a",       "--starts",
        "2027-08-20", "--ends",    "2027-12-10", "--timezone",   "America/Chicago",
        NULL};
    c = run_json(coordinator, given);
    assert_string_equal(h_json_string(c, "slug"), "fall-a");
    cJSON_Delete(c);
    const char *bad[] = {"cohort", "update", "fall-a", "--slug", "Fall_A", NULL};
    refused(coordinator, 2, bad, "--slug must be lower-case letters");
    const char *taken[] = {"cohort", "update", "fall-a", "--slug", "spring-2027", NULL};
    refused(coordinator, 1, taken, "the slug spring-2027 is taken by cohort Spring 2027");

    /* the second cohort of a name gets the next free slug; the name is then ambiguous */
    const char *again[] = {"--json",
                           "cohort",
                           "create",
                           "--credential",
                           "equity-excellence",
                           "--name",
                           "Fall Term",
                           "--starts",
                           "2027-08-20",
                           "--ends",
                           "2027-12-10",
                           "--timezone",
                           "America/Chicago",
                           NULL};
    c = run_json(coordinator, again);
    assert_string_equal(h_json_string(c, "slug"), "fall-term");
    cJSON_Delete(c);
    const char *accented[] = {"--json",
                              "cohort",
                              "create",
                              "--credential",
                              "equity-excellence",
                              "--name",
                              "Été 2027 — Zürich",
                              "--starts",
                              "2027-06-01",
                              "--ends",
                              "2027-07-10",
                              "--timezone",
                              "Europe/Zurich",
                              NULL};
    c = run_json(coordinator, accented);
    assert_string_equal(h_json_string(c, "slug"), "ete-2027-zurich");
    cJSON_Delete(c);
    const char *by_accented[] = {"cohort", "show", "été 2027 — zürich", NULL};
    char *out = run(coordinator, 0, by_accented, NULL);
    expect_has(out, "ete-2027-zurich", "cohort show by an accented name in another case");
    free(out);
    const char *ambiguous[] = {"cohort", "show", "fall term", NULL};
    refused(coordinator, 1, ambiguous,
            "2 cohorts are named fall term; name one by its slug: fall-a, fall-term");
    const char *unknown[] = {"cohort", "show", "Winter 2031", NULL};
    refused(coordinator, 3, unknown, "no cohort is named Winter 2031");

    /* the list and show have the slug */
    const char *list[] = {"cohort", "list", NULL};
    out = run(coordinator, 0, list, NULL);
    expect_has(out, "SLUG", "cohort list");
    expect_has(out, "spring-2027", "cohort list");
    expect_has(out, "fall-term", "cohort list");
    free(out);

    /* every cohort verb by slug or name */
    const char *coaches[] = {"member", "add",    "Spring 2027", COACH_A,
                             COACH_B,  "--role", "coach",       NULL};
    free(run(coordinator, 0, coaches, NULL));
    const char *learners[] = {"member", "add", "spring-2027", LEARNER_A, LEARNER_B, NULL};
    free(run(coordinator, 0, learners, NULL));
    const char *assign_a[] = {"member", "coach", "SPRING 2027", LEARNER_A, COACH_A, NULL};
    free(run(coordinator, 0, assign_a, NULL));
    const char *assign_b[] = {"member", "coach", "spring-2027", LEARNER_B, COACH_B, NULL};
    free(run(coordinator, 0, assign_b, NULL));
    const char *members[] = {"member", "list", "Spring 2027", NULL};
    out = run(coordinator, 0, members, NULL);
    expect_has(out, LEARNER_A, "member list by name");
    expect_has(out, COACH_B, "member list by name");
    free(out);
    const char *schedule[] = {"session",          "schedule", "spring 2027", "--first",
                              "2027-01-12T17:00", "--count",  "2",           NULL};
    free(run(coordinator, 0, schedule, NULL));
    const char *sessions[] = {"--json", "session", "list", "spring-2027", NULL};
    c = run_json(coordinator, sessions);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(c, "items")), 2);
    snprintf(session_id, sizeof session_id, "%s", h_json_string(c, "items[0].id"));
    cJSON_Delete(c);

    /* a new slug takes over; the old one names nothing */
    const char *reslug[] = {"--json", "cohort",    "update", "Spring 2027",
                            "--slug", "spring-27", NULL};
    c = run_json(coordinator, reslug);
    assert_string_equal(h_json_string(c, "slug"), "spring-27");
    assert_string_equal(h_json_string(c, "id"), cohort_id);
    cJSON_Delete(c);
    const char *show[] = {"cohort", "show", "spring-27", NULL};
    out = run(coordinator, 0, show, NULL);
    expect_has(out, "spring-27", "cohort show");
    expect_has(out, "Spring 2027", "cohort show");
    free(out);
    const char *old[] = {"cohort", "show", "spring-2027", NULL};
    refused(coordinator, 3, old, "no cohort is named spring-2027");
    const char *back[] = {"cohort", "update", "spring-27", "--slug", "spring-2027", NULL};
    free(run(coordinator, 0, back, NULL));

    /* the API resolves the same, by id, slug or name */
    struct h_response r;
    h_call(&server, "GET", "/v1/cohorts/Spring%202027", coordinator, NULL, 200, &r);
    assert_string_equal(h_json_string(r.json, "id"), cohort_id);
    h_response_free(&r);
    char *path = h_strf("/v1/cohorts/%s/members", cohort_id);
    h_call(&server, "GET", path, coordinator, NULL, 200, &r);
    h_response_free(&r);
    free(path);
    h_call(&server, "GET", "/v1/cohorts/spring-2027/status", coordinator, NULL, 200, &r);
    h_response_free(&r);
    h_call(&server, "GET", "/v1/cohorts/nothing-here/sessions", coordinator, NULL, 404, &r);
    assert_string_equal(
        h_json_string(r.json, "error.message"),
        "no cohort is named nothing-here (give its id, its slug or its exact name)");
    h_response_free(&r);
    /* a cohort on a credential that is not published names the credential as people do */
    char *seed = h_file_read(SEED, NULL);
    cJSON *v2 = cJSON_Parse(seed);
    free(seed);
    cJSON_ReplaceItemInObject(v2, "version", cJSON_CreateNumber(2));
    char *v2_text = cJSON_PrintUnformatted(v2);
    cJSON_Delete(v2);
    h_call(&server, "POST", "/v1/credentials", coordinator, v2_text, 201, &r);
    free(v2_text);
    char *draft =
        h_strf("{\"credential\": \"%s\", \"name\": \"Draft run\", \"starts_on\": \"2027-01-11\","
               " \"ends_on\": \"2027-02-11\", \"timezone\": \"UTC\"}",
               h_json_string(r.json, "id"));
    h_response_free(&r);
    h_call(&server, "POST", "/v1/cohorts", coordinator, draft, 422, &r);
    assert_string_equal(h_json_string(r.json, "error.message"),
                        "equity-excellence version 2 is a draft: publish it before creating a "
                        "cohort on it");
    h_response_free(&r);
    free(draft);
    /* another organisation's cohorts are not found by name */
    char *other_admin = h_bootstrap(&server, "elsewhere", "admin@elsewhere.example");
    h_call(&server, "GET", "/v1/cohorts/spring-2027", other_admin, NULL, 404, &r);
    h_response_free(&r);
    free(other_admin);
}

/* ---- 3: refusals in the user's words ---- */

static void test_refusals_in_words(void **state)
{
    (void)state;
    /* a learner's token never scores: the dispatch refusal, no longer a route and a role */
    const char *learner_scores[] = {"score", "spring-2027", LEARNER_A, "1.1", "3", NULL};
    refused(learner_a, 4, learner_scores,
            "you may not record a score in Spring 2027: only coordinators and the cohort's "
            "coaches (for their own learners) may");
    /* a leader reads, never writes */
    const char *leader_scores[] = {"score", "Spring 2027", LEARNER_B, "1.1", "3", NULL};
    refused(leader, 4, leader_scores, "you may not record a score in Spring 2027");
    /* a learner may not list the members */
    const char *members[] = {"member", "list", "spring-2027", NULL};
    refused(learner_a, 4, members,
            "you may not see a cohort's members in Spring 2027: only coordinators, leaders and "
            "the cohort's coaches may");
    /* a coach does not change the cohort or schedule sessions */
    const char *update[] = {"cohort", "update", "spring-2027", "--capacity", "20", NULL};
    refused(coach_a, 4, update, "you may not change a cohort (Spring 2027): only coordinators may");
    const char *schedule[] = {"session",          "schedule", "spring-2027", "--first",
                              "2027-03-02T17:00", "--count",  "1",           NULL};
    refused(coach_b, 4, schedule, "you may not schedule sessions in Spring 2027");
    /* a coach withdrawing a member: refused as that, not as the CLI's look-up of the e-mail */
    const char *withdraw[] = {"member", "withdraw", "spring-2027", LEARNER_B, NULL};
    refused(coach_a, 4, withdraw,
            "you may not withdraw a member in Spring 2027: only coordinators may");
    const char *assign[] = {"member", "coach", "spring-2027", LEARNER_B, COACH_A, NULL};
    refused(learner_a, 4, assign,
            "you may not assign a coach to " LEARNER_B " in spring-2027: you are " LEARNER_A);
    /* a cohort named by id: the refusal names it by its name, not the id the CLI sent */
    const char *by_id[] = {"status", cohort_id, NULL};
    refused(outsider, 4, by_id, "you may not see a cohort's status in Spring 2027");
    /* a session's cohort is named too */
    const char *attendance[] = {"attendance", "list", session_id, NULL};
    refused(learner_b, 4, attendance,
            "you may not see a session's attendance in Spring 2027: only coordinators, leaders "
            "and the cohort's coaches may");
    /* organisation routes */
    const char *tokens[] = {"token", "list", NULL};
    refused(coordinator, 4, tokens, "you may not list access tokens: only administrators may");
    const char *people[] = {"people", "list", NULL};
    refused(leader, 4, people, "you may not list people: only coordinators may");
    /* not a member of the cohort at all */
    const char *evidence[] = {"evidence", "list", "Spring 2027", NULL};
    refused(outsider, 4, evidence, "you may not see a cohort's evidence in Spring 2027");
}

/* ---- 4: a learner's own status ---- */

static void test_learner_status(void **state)
{
    (void)state;
    const char *mine[] = {"status", "spring-2027", NULL};
    char *out = run(learner_a, 0, mine, NULL);
    expect_has(out, "not_started", "a learner's own status");
    free(out);
    const char *by_email[] = {"--json", "status", "Spring 2027", LEARNER_A, NULL};
    cJSON *j = run_json(learner_a, by_email);
    assert_string_equal(h_json_string(j, "learner.email"), LEARNER_A);
    cJSON_Delete(j);
    /* another learner's: refused as what was asked, not as the members' list */
    const char *other[] = {"status", "spring-2027", LEARNER_B, NULL};
    refused(learner_a, 4, other,
            "you may not see the status of " LEARNER_B " in spring-2027: you are " LEARNER_A);
    /* a coach and the coordinator see the cohort's; a coach names a learner by e-mail */
    const char *cohort[] = {"status", "spring-2027", NULL};
    out = run(coach_a, 0, cohort, NULL);
    expect_has(out, LEARNER_A, "a coach's cohort status");
    free(out);
    const char *coach_named[] = {"--json", "status", "spring-2027", LEARNER_A, NULL};
    j = run_json(coach_a, coach_named);
    assert_string_equal(h_json_string(j, "learner.email"), LEARNER_A);
    cJSON_Delete(j);
}

/* ---- 4b: people and cohorts the path or body names by id, named back in words ---- */

/* Call the API; the answer must be `status` with exactly `message`, in the user's words. */
static void api_refused(const char *method, const char *path, const char *token, const char *body,
                        unsigned status, const char *message)
{
    struct h_response r;
    h_call(&server, method, path, token, body, status, &r);
    const char *said = h_json_string(r.json, "error.message");
    if (!said || strcmp(said, message) != 0)
        fail_msg("%s %s said \"%s\", not \"%s\"", method, path, said ? said : "(nothing)", message);
    expect_words(said, path);
    h_response_free(&r);
}

static void test_ids_in_words(void **state)
{
    (void)state;
    /* the status of a coach: the CLI sends their id; the answer names them and the cohort */
    const char *coach_status[] = {"status", "spring-2027", COACH_A, NULL};
    refused(coordinator, 3, coach_status,
            "Dana Coach (" COACH_A ") is not a learner of cohort Spring 2027");
    const char *by_id[] = {"status", cohort_id, COACH_A, NULL};
    refused(coordinator, 3, by_id,
            "Dana Coach (" COACH_A ") is not a learner of cohort Spring 2027");

    /* a person of the organisation who is no member, by id in the path */
    char *path = h_strf("/v1/cohorts/%s/members/%s", cohort_id, outsider_id);
    char *before = h_org_snapshot_all(&db, org_slug);
    api_refused("PATCH", path, coordinator, "{\"coach\": \"" COACH_A "\"}", 404,
                "Olga Outside (olga.outside@term.example) is not a member of cohort Spring 2027");
    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(path);

    /* a coaching session for a coach */
    path = h_strf("/v1/cohorts/%s/sessions", cohort_id);
    api_refused("POST", path, coordinator,
                "{\"kind\": \"coaching\", \"local_start\": \"2027-02-03T16:00\","
                " \"learner\": \"" COACH_B "\"}",
                422, "Ben Ortiz (" COACH_B ") is not an enrolled learner of cohort Spring 2027");
    free(path);

    /* a coach's attendance is no learner's */
    path = h_strf("/v1/cohorts/%s/members/%s/attendance", cohort_id, COACH_A);
    api_refused("GET", path, coordinator, NULL, 404,
                "Dana Coach (" COACH_A ") is not a learner of cohort Spring 2027");
    free(path);

    /* another coach's learner's problem of practice: who the learner is, and who coaches them */
    const char *submit[] = {"--json",      "problem",
                            "submit",      "spring-2027",
                            "--title",     "Who is missing from advanced math",
                            "--statement", "Few multilingual learners take Algebra I.",
                            NULL};
    cJSON *j = run_json(learner_a, submit);
    char problem[64];
    snprintf(problem, sizeof problem, "%s", h_json_string(j, "id"));
    cJSON_Delete(j);
    const char *show[] = {"problem", "show", problem, NULL};
    refused(coach_b, 4, show,
            "you do not coach Ana Ruiz (" LEARNER_A "); their coach is Dana Coach (" COACH_A ")");
    char *out = run(coach_a, 0, show, NULL);
    expect_has(out, "Who is missing from advanced math", "the learner's own coach");
    free(out);
}

/* ---- 5: other paths, and the API's description ---- */

static void test_other_paths(void **state)
{
    (void)state;
    const char *webhook[] = {"webhook", "show", "nope", NULL};
    refused(coordinator, 3, webhook, "no webhook has the id nope");
    const char *problem[] = {"problem", "show", "first-draft", NULL};
    refused(learner_a, 3, problem, "no problem of practice has the id first-draft");

    /* every verb that takes a COHORT says how it may be named */
    const char *const helps[][4] = {{"member", "add", "--help", NULL},
                                    {"score", "--help", NULL, NULL},
                                    {"session", "schedule", "--help", NULL},
                                    {"status", "--help", NULL, NULL}};
    for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++) {
        char *help = run(NULL, 0, helps[i], NULL);
        expect_has(help, "COHORT is the cohort's id, its slug (spring-2027) or its name",
                   helps[i][0]);
        free(help);
    }

    struct h_response r;
    h_call(&server, "GET", "/openapi.json", NULL, NULL, 200, &r);
    const cJSON *op = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "paths"), "/v1/cohorts/{id}/scores"),
        "post");
    assert_non_null(op);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(op, "summary")), "record a score");
    assert_string_equal(h_json_string(op, "parameters[0].description"),
                        "the cohort's id, its slug or its exact name (any case)");
    h_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slugs_and_names), cmocka_unit_test(test_refusals_in_words),
        cmocka_unit_test(test_learner_status),  cmocka_unit_test(test_ids_in_words),
        cmocka_unit_test(test_other_paths),
    };
    return h_run_tests(tests, setup, teardown);
}
