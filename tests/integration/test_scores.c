/*
 * test_scores.c — the rules of scores, evidence and problems of
 * practice over HTTP, against docs/api.md ("Scores", "Evidence",
 * "Problems of practice", "Events"):
 *
 *   - scores are append-only: three scores of one indicator are three
 *     rows; the current list shows the newest, `?history=true` all of
 *     them newest first (and pages); each is a `score.recorded` event;
 *   - bulk scoring is one transaction: one bad item (a level outside the
 *     rubric, an unknown indicator, an unknown learner) is 422 naming
 *     `scores[i].level` / `.indicator` / `.learner`, and nothing is
 *     written; more than 500 items or none is 422;
 *   - levels outside the rubric (0, 5, -1, 3.5, "3", null), unknown
 *     indicator codes (a standard's code, "9.9", ""), and a credential
 *     with its own three-level rubric where 4 is refused and 3 is its
 *     top label; its own award rule (no attendance, no problem of
 *     practice) decides the status;
 *   - who can be scored: a withdrawn, a waitlisted learner, a coach, a
 *     person outside the cohort are 422; a coach scoring a learner who
 *     is not theirs and a learner's own token are 403;
 *   - evidence: http/https URLs only (ftp:, javascript:, data:, no host,
 *     not a URL, too long are 422 naming `url`), a title, a URL or a text,
 *     the limits of docs/api.md, an indicator of the credential; listed
 *     newest first, filtered by indicator and learner; a score can cite
 *     it; `evidence.submitted` events;
 *   - problems of practice: one per learner and cohort (409), every
 *     change a new version; the learner edits only a draft or one that
 *     needs revision (409 once submitted or approved); only a submitted
 *     problem can be reviewed (409 otherwise); the history keeps every
 *     version, oldest first; `problem.submitted` / `problem.reviewed`
 *     events;
 *   - a closed cohort refuses scores, evidence and problems (409) and
 *     still answers reads.
 *
 * "Nothing written" is h_org_snapshot_all before and after: every row of
 * the organisation, audit and events included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SEED MCRED_FIXTURES_DIR "/equity-excellence.json"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "scores";
static char *admin, *coordinator;
static char *credential; /* the seed, published */
static char *cohort;     /* capacity 4: l1, l2, l3, l4 enrolled, l5 waitlisted, l6 withdrawn */
static char *scores_path, *evidence_path, *problems_path, *members_path;

/* The cohort's people: c1 coaches l1, l2, l4 and l6; c2 coaches l3. */
enum who { C1, C2, L1, L2, L3, L4, L5, L6, OUTSIDER, N_WHO };
static const char *const names[N_WHO] = {"c1", "c2", "l1", "l2",      "l3",
                                         "l4", "l5", "l6", "outsider"};
static char *email[N_WHO], *id[N_WHO], *token[N_WHO];

static const char *const indicators[12] = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3",
                                           "3.1", "3.2", "3.3", "4.1", "4.2", "4.3"};

/* ---- helpers ---- */

/* A request that must answer want; returns the answer's JSON (the caller deletes it). */
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

static char *snapshot(void)
{
    return h_org_snapshot_all(&db, org_slug);
}

/*
 * A request that must be refused with `want` (and, when field is not NULL, error.field equal to
 * it) and must write nothing.  Mismatches are printed and counted.
 */
static void refused(const char *method, const char *path, const char *tok, const char *body,
                    long want, const char *field, int *failures)
{
    char *before = snapshot();
    struct h_response r;
    if (body)
        h_send_json(&server, method, path, tok, body, &r);
    else
        h_http(&server, method, path, tok, NULL, NULL, 0, &r);
    const char *got_field = h_json_string(r.json, "error.field");
    if (r.status != want || (field && (!got_field || strcmp(got_field, field) != 0))) {
        fprintf(stderr, "%s %s with %.300s: got %ld %.600s; want %ld%s%s\n", method, path,
                body ? body : "(no body)", r.status, r.body, want, field ? " with field " : "",
                field ? field : "");
        (*failures)++;
    }
    h_response_free(&r);
    char *after = snapshot();
    if (strcmp(before, after) != 0) {
        fprintf(stderr, "%s %s with %.300s: refused, but something was written\n", method, path,
                body ? body : "(no body)");
        (*failures)++;
    }
    free(before);
    free(after);
}

static long events(const char *type)
{
    cJSON *list = h_org_events(&db, org_slug, type);
    long n = cJSON_GetArraySize(list);
    cJSON_Delete(list);
    return n;
}

/* The last event of a type (the caller deletes it). */
static cJSON *last_event(const char *type)
{
    cJSON *list = h_org_events(&db, org_slug, type);
    int n = cJSON_GetArraySize(list);
    if (n == 0)
        fail_msg("no %s event", type);
    cJSON *e = cJSON_DetachItemFromArray(list, n - 1);
    cJSON_Delete(list);
    return e;
}

/* Audit rows that name an entity id ("every write" is audited, DESIGN.md §2). */
static long audited(const char *entity_id)
{
    char *sql = h_strf("SELECT count(*) FROM mcred.audit WHERE entity_id LIKE '%%%s%%'", entity_id);
    long n = h_db_long_super(&db, sql);
    free(sql);
    return n;
}

static void want_string(const cJSON *j, const char *path, const char *want, const char *what)
{
    const char *got = h_json_string(j, path);
    if (!got || strcmp(got, want) != 0) {
        char *text = cJSON_PrintUnformatted(j);
        fail_msg("%s: %s is %s, want %s, in %.3000s", what, path, got ? got : "(none)", want, text);
    }
}

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org_slug, "admin@scores.example");
    char *coord_id =
        h_person(&server, admin, "coordinator@scores.example", "Coordinator", "coordinator");
    coordinator = h_token_for(&server, admin, coord_id);
    free(coord_id);

    char *seed = h_file_read(SEED, NULL);
    cJSON *j = call("POST", "/v1/credentials", coordinator, seed, 201);
    credential = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(seed);
    char *path = h_strf("/v1/credentials/%s/publish", credential);
    cJSON_Delete(call("POST", path, coordinator, NULL, 200));
    free(path);

    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Scored\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-13\", \"timezone\": "
                        "\"America/New_York\", \"capacity\": 4, \"min_learners\": 1}",
                        credential);
    j = call("POST", "/v1/cohorts", coordinator, body, 201);
    cohort = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    scores_path = h_strf("/v1/cohorts/%s/scores", cohort);
    evidence_path = h_strf("/v1/cohorts/%s/evidence", cohort);
    problems_path = h_strf("/v1/cohorts/%s/problems", cohort);
    members_path = h_strf("/v1/cohorts/%s/members", cohort);

    for (int w = 0; w < N_WHO; w++) {
        email[w] = h_strf("%s@scores.example", names[w]);
        id[w] = h_person(&server, coordinator, email[w], names[w], NULL);
        token[w] = h_token_for(&server, admin, id[w]);
    }
    /* l6 enrolled and withdrawn, then l4 fills the fourth place and l5 waits */
    body = h_strf("{\"members\": [{\"email\": \"%s\", \"role\": \"coach\"}, {\"email\": \"%s\", "
                  "\"role\": \"coach\"}, {\"email\": \"%s\", \"coach\": \"%s\"}, {\"email\": "
                  "\"%s\", \"coach\": \"%s\"}, {\"email\": \"%s\", \"coach\": \"%s\"}, "
                  "{\"email\": \"%s\", \"coach\": \"%s\"}]}",
                  email[C1], email[C2], email[L1], email[C1], email[L2], email[C1], email[L3],
                  email[C2], email[L6], email[C1]);
    cJSON_Delete(call("POST", members_path, coordinator, body, 201));
    free(body);
    path = h_strf("%s/%s", members_path, id[L6]);
    cJSON_Delete(call("DELETE", path, coordinator, NULL, 200));
    free(path);
    body = h_strf("{\"members\": [{\"email\": \"%s\", \"coach\": \"%s\"}, {\"email\": \"%s\"}]}",
                  email[L4], email[C1], email[L5]);
    j = call("POST", members_path, coordinator, body, 201);
    want_string(j, "members[0].status", "enrolled", "l4");
    want_string(j, "members[1].status", "waitlisted", "l5");
    cJSON_Delete(j);
    free(body);
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    for (int w = 0; w < N_WHO; w++) {
        free(email[w]);
        free(id[w]);
        free(token[w]);
    }
    free(admin);
    free(coordinator);
    free(credential);
    free(cohort);
    free(scores_path);
    free(evidence_path);
    free(problems_path);
    free(members_path);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* A score answer's items must be the scores asked for (learner, indicator, level, coach). */
static void expect_score(const cJSON *s, enum who learner, const char *indicator, long level,
                         const char *label, const char *coach_email, const char *what)
{
    want_string(s, "learner.id", id[learner], what);
    want_string(s, "learner.email", email[learner], what);
    want_string(s, "indicator", indicator, what);
    if (h_json_long(s, "level") != level)
        fail_msg("%s: level %ld, want %ld", what, h_json_long(s, "level"), level);
    if (label)
        want_string(s, "label", label, what);
    if (coach_email)
        want_string(s, "coach.email", coach_email, what);
    if (!h_json_string(s, "id") || !h_json_string(s, "scored_at"))
        fail_msg("%s: a score without id or scored_at", what);
}

/* ---- append-only history ---- */

static void test_history(void **state)
{
    static const long levels[3] = {2, 3, 4};
    static const char *const labels[3] = {"Emerging", "Proficient", "Exemplary"};
    char *ids[3];
    long before = events("score.recorded");
    for (int i = 0; i < 3; i++) {
        char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": %ld, "
                            "\"feedback\": \"look %d\"}",
                            i == 1 ? id[L1] : email[L1], levels[i], i + 1);
        cJSON *j = call("POST", scores_path, token[C1], body, 201);
        if (cJSON_GetArraySize(h_json_at(j, "scores")) != 1)
            fail_msg("POST %s %s: want {\"scores\": [one]}", scores_path, body);
        expect_score(h_json_at(j, "scores[0]"), L1, "1.1", levels[i], labels[i], email[C1],
                     "POST scores");
        char *fb = h_strf("look %d", i + 1);
        want_string(j, "scores[0].feedback", fb, "POST scores");
        free(fb);
        ids[i] = strdup(h_json_string(j, "scores[0].id"));
        cJSON_Delete(j);
        free(body);
        /* its event */
        cJSON *e = last_event("score.recorded");
        want_string(e, "cohort", cohort, "score.recorded");
        want_string(e, "score", ids[i], "score.recorded");
        want_string(e, "learner", id[L1], "score.recorded");
        want_string(e, "indicator", "1.1", "score.recorded");
        want_string(e, "coach", id[C1], "score.recorded");
        if (h_json_long(e, "level") != levels[i])
            fail_msg("score.recorded: level %ld, want %ld", h_json_long(e, "level"), levels[i]);
        cJSON_Delete(e);
    }
    for (int i = 0; i < 3; i++)
        if (audited(ids[i]) != 1)
            fail_msg("score %s: %ld audit rows, want 1", ids[i], audited(ids[i]));
    assert_string_not_equal(ids[0], ids[1]);
    assert_string_not_equal(ids[1], ids[2]);
    assert_int_equal(events("score.recorded"), before + 3);

    /* the current score: the newest */
    char *path = h_strf("%s?learner=%s", scores_path, id[L1]);
    cJSON *j = call("GET", path, coordinator, NULL, 200);
    const cJSON *items = h_json_at(j, "items");
    if (cJSON_GetArraySize(items) != 1) {
        char *text = cJSON_PrintUnformatted(j);
        fail_msg("GET %s: want one current score, got %s", path, text);
    }
    expect_score(h_json_at(j, "items[0]"), L1, "1.1", 4, "Exemplary", email[C1], "current score");
    want_string(j, "items[0].id", ids[2], "current score");
    cJSON_Delete(j);
    free(path);

    /* the history: all three, newest first, the first one unchanged */
    path = h_strf("%s?learner=%s&history=true", scores_path, id[L1]);
    j = call("GET", path, coordinator, NULL, 200);
    items = h_json_at(j, "items");
    if (cJSON_GetArraySize(items) != 3) {
        char *text = cJSON_PrintUnformatted(j);
        fail_msg("GET %s: want three scores, got %s", path, text);
    }
    for (int i = 0; i < 3; i++) {
        const cJSON *s = cJSON_GetArrayItem(items, i);
        expect_score(s, L1, "1.1", levels[2 - i], labels[2 - i], email[C1], "history");
        want_string(s, "id", ids[2 - i], "history (newest first)");
        char *fb = h_strf("look %d", 3 - i);
        want_string(s, "feedback", fb, "history");
        free(fb);
    }
    cJSON_Delete(j);
    free(path);

    /* the history pages like every list */
    path = h_strf("%s?learner=%s&history=true&limit=2", scores_path, id[L1]);
    j = call("GET", path, coordinator, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 2);
    want_string(j, "items[0].id", ids[2], "history page 1");
    want_string(j, "items[1].id", ids[1], "history page 1");
    const char *next = h_json_string(j, "next");
    if (!next)
        fail_msg("GET %s: no next cursor", path);
    char *path2 = h_strf("%s?learner=%s&history=true&limit=2&after=%s", scores_path, id[L1], next);
    cJSON *j2 = call("GET", path2, coordinator, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j2, "items")), 1);
    want_string(j2, "items[0].id", ids[0], "history page 2");
    assert_true(cJSON_IsNull(h_json_at(j2, "next")));
    cJSON_Delete(j2);
    free(path2);
    cJSON_Delete(j);
    free(path);

    /* a new score by someone else supersedes; the older stay */
    char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 1}", email[L1]);
    cJSON_Delete(call("POST", scores_path, coordinator, body, 201));
    free(body);
    path = h_strf("%s?learner=%s", scores_path, id[L1]);
    j = call("GET", path, token[L1], NULL, 200); /* the learner reads their own */
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 1);
    expect_score(h_json_at(j, "items[0]"), L1, "1.1", 1, "Not Evident",
                 "coordinator@scores.example", "current score after a coordinator's");
    cJSON_Delete(j);
    free(path);
    path = h_strf("%s?learner=%s&history=true", scores_path, id[L1]);
    j = call("GET", path, coordinator, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 4);
    cJSON_Delete(j);
    free(path);
    for (int i = 0; i < 3; i++)
        free(ids[i]);
}

/* ---- bulk: one transaction ---- */

/* {"scores": [...]} of n items for a learner over the indicators, with item `bad` replaced. */
static char *bulk_body(const char *learner, int n, int bad, const char *bad_item)
{
    size_t cap = 256 + (size_t)n * 160, len = 0;
    char *out = malloc(cap);
    if (!out)
        h_fail("out of memory");
    len += (size_t)snprintf(out + len, cap - len, "{\"scores\": [");
    for (int i = 0; i < n; i++) {
        if (i == bad)
            len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", bad_item);
        else
            len += (size_t)snprintf(out + len, cap - len,
                                    "%s{\"learner\": \"%s\", \"indicator\": \"%s\", \"level\": %d, "
                                    "\"feedback\": \"bulk %d\"}",
                                    i ? ", " : "", learner, indicators[i % 12], 3 + i % 2, i);
    }
    snprintf(out + len, cap - len, "]}");
    return out;
}

static void test_bulk(void **state)
{
    int failures = 0;
    char *bad_level =
        h_strf("{\"learner\": \"%s\", \"indicator\": \"2.1\", \"level\": 7}", email[L2]);
    char *bad_indicator =
        h_strf("{\"learner\": \"%s\", \"indicator\": \"9.9\", \"level\": 3}", email[L2]);
    const char *bad_learner = "{\"learner\": \"nobody@scores.example\", \"indicator\": \"1.1\", "
                              "\"level\": 3}";
    long recorded = events("score.recorded");

    char *body = bulk_body(email[L2], 12, 2, bad_level);
    refused("POST", scores_path, coordinator, body, 422, "scores[2].level", &failures);
    free(body);
    body = bulk_body(email[L2], 12, 11, bad_level);
    refused("POST", scores_path, coordinator, body, 422, "scores[11].level", &failures);
    free(body);
    body = bulk_body(email[L2], 12, 1, bad_indicator);
    refused("POST", scores_path, coordinator, body, 422, "scores[1].indicator", &failures);
    free(body);
    body = bulk_body(email[L2], 12, 0, bad_learner);
    refused("POST", scores_path, coordinator, body, 422, "scores[0].learner", &failures);
    free(body);
    /* a coach's bulk with one learner who is not theirs: 403, nothing written */
    char *not_theirs =
        h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 3}", email[L3]);
    body = bulk_body(email[L2], 12, 5, not_theirs);
    refused("POST", scores_path, token[C1], body, 403, NULL, &failures);
    free(body);
    /* none, and more than 500 */
    refused("POST", scores_path, coordinator, "{\"scores\": []}", 422, NULL, &failures);
    body = bulk_body(email[L2], 501, -1, NULL);
    refused("POST", scores_path, coordinator, body, 422, NULL, &failures);
    free(body);
    assert_int_equal(events("score.recorded"), recorded);

    /* all twelve at once: 201 with twelve scores, twelve events */
    body = bulk_body(email[L2], 12, -1, NULL);
    cJSON *j = call("POST", scores_path, token[C1], body, 201);
    const cJSON *items = h_json_at(j, "scores");
    if (cJSON_GetArraySize(items) != 12) {
        char *text = cJSON_PrintUnformatted(j);
        fail_msg("bulk of 12: %s", text);
    }
    for (int i = 0; i < 12; i++)
        expect_score(cJSON_GetArrayItem(items, i), L2, indicators[i], 3 + i % 2, NULL, email[C1],
                     "bulk answer (in the order sent)");
    cJSON_Delete(j);
    free(body);
    assert_int_equal(events("score.recorded"), recorded + 12);
    char *path = h_strf("%s?learner=%s", scores_path, id[L2]);
    j = call("GET", path, coordinator, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 12);
    /* by learner and indicator */
    for (int i = 0; i < 12; i++)
        want_string(cJSON_GetArrayItem(h_json_at(j, "items"), i), "indicator", indicators[i],
                    "current scores, by indicator");
    cJSON_Delete(j);
    free(path);
    /* the maximum, 500, is one request */
    body = bulk_body(email[L2], 500, -1, NULL);
    j = call("POST", scores_path, coordinator, body, 201);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "scores")), 500);
    cJSON_Delete(j);
    free(body);
    assert_int_equal(events("score.recorded"), recorded + 512);

    free(bad_level);
    free(bad_indicator);
    free(not_theirs);
    assert_int_equal(failures, 0);
}

/* ---- levels and indicators ---- */

static void test_levels_and_indicators(void **state)
{
    int failures = 0;
    /* ("3" as text is level 3, and a label is its level: see test_term_records) */
    static const char *const bad_levels[] = {"0",    "5",    "-1",         "3.5",
                                             "null", "true", "\"Superb\"", "\"3.0\""};
    for (size_t i = 0; i < sizeof bad_levels / sizeof bad_levels[0]; i++) {
        char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.2\", \"level\": %s}",
                            email[L4], bad_levels[i]);
        refused("POST", scores_path, coordinator, body, 422, "level", &failures);
        free(body);
    }
    char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.2\"}", email[L4]);
    refused("POST", scores_path, coordinator, body, 422, "level", &failures);
    free(body);
    static const char *const bad_codes[] = {"\"1\"", "\"9.9\"", "\"1.4\"", "\"\"", "1.1", "null"};
    for (size_t i = 0; i < sizeof bad_codes / sizeof bad_codes[0]; i++) {
        body = h_strf("{\"learner\": \"%s\", \"indicator\": %s, \"level\": 3}", email[L4],
                      bad_codes[i]);
        refused("POST", scores_path, coordinator, body, 422, "indicator", &failures);
        free(body);
    }
    /* unknown fields are refused like everywhere */
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.2\", \"level\": 3, \"weight\": 2}",
                  email[L4]);
    refused("POST", scores_path, coordinator, body, 422, NULL, &failures);
    free(body);
    /* the rubric's ends are levels */
    body = h_strf("{\"scores\": [{\"learner\": \"%s\", \"indicator\": \"4.3\", \"level\": 1}, "
                  "{\"learner\": \"%s\", \"indicator\": \"4.2\", \"level\": 4}]}",
                  email[L4], email[L4]);
    cJSON *j = call("POST", scores_path, coordinator, body, 201);
    want_string(j, "scores[0].label", "Not Evident", "level 1");
    want_string(j, "scores[1].label", "Exemplary", "level 4");
    cJSON_Delete(j);
    free(body);
    assert_int_equal(failures, 0);
}

/* A credential of its own: three levels, min_level 2, no attendance, no problem of practice. */
static void test_custom_rubric(void **state)
{
    int failures = 0;
    /* the cohort world's credential (harness.h) */
    char *cred = h_credential_two_indicators(&server, coordinator, "data-literacy");
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Data\", \"starts_on\": "
                        "\"2026-09-01\", \"ends_on\": \"2026-12-01\", \"timezone\": \"UTC\"}",
                        cred);
    cJSON *j = call("POST", "/v1/cohorts", coordinator, body, 201);
    char *c2 = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    char *path = h_strf("/v1/cohorts/%s/members", c2);
    body = h_strf("{\"members\": [{\"email\": \"%s\"}]}", email[L1]);
    cJSON_Delete(call("POST", path, coordinator, body, 201));
    free(body);
    free(path);
    char *scores = h_strf("/v1/cohorts/%s/scores", c2);
    char *status = h_strf("/v1/cohorts/%s/members/%s/status", c2, id[L1]);

    j = call("GET", status, coordinator, NULL, 200);
    want_string(j, "status", "not_started", "custom credential, nothing yet");
    cJSON_Delete(j);
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"A.1\", \"level\": 4}", email[L1]);
    refused("POST", scores, coordinator, body, 422, "level", &failures);
    free(body);
    /* the seed's codes are not this credential's */
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 2}", email[L1]);
    refused("POST", scores, coordinator, body, 422, "indicator", &failures);
    free(body);
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"A.1\", \"level\": 3}", email[L1]);
    j = call("POST", scores, coordinator, body, 201);
    want_string(j, "scores[0].label", "Accomplished", "custom rubric's top level");
    cJSON_Delete(j);
    free(body);
    j = call("GET", status, coordinator, NULL, 200);
    want_string(j, "status", "in_progress", "custom credential, A.2 unscored");
    cJSON_Delete(j);
    long eligible = events("credential.eligible");
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"A.2\", \"level\": 2}", email[L1]);
    cJSON_Delete(call("POST", scores, coordinator, body, 201));
    free(body);
    /* min_level 2, nothing else required */
    j = call("GET", status, coordinator, NULL, 200);
    want_string(j, "status", "eligible", "custom credential, both indicators at 2 or more");
    if (cJSON_GetArraySize(h_json_at(j, "missing")) != 0) {
        char *text = cJSON_PrintUnformatted(j);
        fail_msg("eligible, yet missing: %s", text);
    }
    cJSON_Delete(j);
    assert_int_equal(events("credential.eligible"), eligible + 1);
    cJSON *e = last_event("credential.eligible");
    want_string(e, "cohort", c2, "credential.eligible");
    want_string(e, "learner", id[L1], "credential.eligible");
    want_string(e, "email", email[L1], "credential.eligible");
    want_string(e, "credential", cred, "credential.eligible");
    cJSON_Delete(e);
    free(scores);
    free(status);
    free(c2);
    free(cred);
    assert_int_equal(failures, 0);
}

/* ---- who can be scored, and by whom ---- */

static void test_who(void **state)
{
    int failures = 0;
    static const enum who not_learners[] = {L6, L5, C2, OUTSIDER};
    for (size_t i = 0; i < sizeof not_learners / sizeof not_learners[0]; i++) {
        char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 3}",
                            email[not_learners[i]]);
        refused("POST", scores_path, coordinator, body, 422, "learner", &failures);
        free(body);
        body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 3}",
                      id[not_learners[i]]);
        refused("POST", scores_path, coordinator, body, 422, "learner", &failures);
        free(body);
    }
    refused("POST", scores_path, coordinator,
            "{\"learner\": \"nobody@scores.example\", \"indicator\": \"1.1\", \"level\": 3}", 422,
            "learner", &failures);
    refused("POST", scores_path, coordinator, "{\"indicator\": \"1.1\", \"level\": 3}", 422,
            "learner", &failures);
    /* a coach scoring a learner who is not theirs; a learner's own token */
    char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 3}", email[L3]);
    refused("POST", scores_path, token[C1], body, 403, NULL, &failures);
    refused("POST", scores_path, token[L3], body, 403, NULL, &failures);
    refused("POST", scores_path, token[L1], body, 403, NULL, &failures);
    free(body);
    body = h_strf("{\"indicator\": \"1.1\", \"level\": 4}");
    refused("POST", scores_path, token[L1], body, 403, NULL, &failures);
    free(body);
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 4}", id[L1]);
    refused("POST", scores_path, token[L1], body, 403, NULL, &failures);
    free(body);
    /* a withdrawn learner's coach cannot score them either (the learner, not the coach, is
     * refused: 422), nor the learner read */
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 3}", email[L6]);
    refused("POST", scores_path, token[C1], body, 422, "learner", &failures);
    free(body);
    refused("GET", scores_path, token[L6], NULL, 403, NULL, &failures);
    refused("GET", scores_path, token[L5], NULL, 403, NULL, &failures);
    assert_int_equal(failures, 0);
}

/* ---- evidence ---- */

static void test_evidence(void **state)
{
    int failures = 0;
    long submitted = events("evidence.submitted");
    static const char *const bad_urls[] = {
        "ftp://files.example/lesson.pdf",
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<b>hi</b>",
        "file:///etc/passwd",
        "https://",
        "http:///no-host",
        "not a url",
        "//files.example/lesson.pdf",
        " https://files.example/leading-space",
    };
    for (size_t i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "learner", email[L1]);
        cJSON_AddStringToObject(b, "title", "Bad link");
        cJSON_AddStringToObject(b, "url", bad_urls[i]);
        char *body = cJSON_PrintUnformatted(b);
        cJSON_Delete(b);
        refused("POST", evidence_path, token[C1], body, 422, "url", &failures);
        free(body);
    }
    /* a URL of 2001 bytes; a title of 201; a text of 10,001 */
    char long_url[2002], long_title[202], long_text[10002];
    memset(long_url, 'a', sizeof long_url - 1);
    memcpy(long_url, "https://files.example/", 22);
    long_url[sizeof long_url - 1] = '\0';
    memset(long_title, 't', sizeof long_title - 1);
    long_title[sizeof long_title - 1] = '\0';
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    char *body =
        h_strf("{\"learner\": \"%s\", \"title\": \"Long\", \"url\": \"%s\"}", email[L1], long_url);
    refused("POST", evidence_path, token[C1], body, 422, "url", &failures);
    free(body);
    body =
        h_strf("{\"learner\": \"%s\", \"title\": \"%s\", \"text\": \"x\"}", email[L1], long_title);
    refused("POST", evidence_path, token[C1], body, 422, "title", &failures);
    free(body);
    body = h_strf("{\"learner\": \"%s\", \"title\": \"\", \"text\": \"x\"}", email[L1]);
    refused("POST", evidence_path, token[C1], body, 422, "title", &failures);
    free(body);
    body = h_strf("{\"learner\": \"%s\", \"title\": \"Long\", \"text\": \"%s\"}", email[L1],
                  long_text);
    refused("POST", evidence_path, token[C1], body, 422, "text", &failures);
    free(body);
    /* neither a URL nor a text */
    body = h_strf("{\"learner\": \"%s\", \"title\": \"Nothing\"}", email[L1]);
    refused("POST", evidence_path, token[C1], body, 422, NULL, &failures);
    free(body);
    body = h_strf("{\"learner\": \"%s\", \"title\": \"Where\", \"text\": \"x\", \"indicator\": "
                  "\"9.9\"}",
                  email[L1]);
    refused("POST", evidence_path, token[C1], body, 422, "indicator", &failures);
    free(body);
    /* a withdrawn learner's, and the learner's own of another */
    body = h_strf("{\"learner\": \"%s\", \"title\": \"Gone\", \"text\": \"x\"}", email[L6]);
    refused("POST", evidence_path, coordinator, body, 422, "learner", &failures);
    free(body);
    body = h_strf("{\"learner\": \"%s\", \"title\": \"Not mine\", \"text\": \"x\"}", email[L2]);
    refused("POST", evidence_path, token[L1], body, 403, NULL, &failures);
    free(body);
    assert_int_equal(events("evidence.submitted"), submitted);

    /* the good ones: https and http URLs (the longest allowed), a text, both; with and without
     * an indicator; the learner's own without naming themselves */
    memset(long_url, 'a', sizeof long_url - 1);
    memcpy(long_url, "https://files.example/", 22);
    long_url[2000] = '\0';
    struct {
        const char *tok;
        char *body;
        const char *indicator; /* NULL: none */
    } good[] = {
        {token[C1],
         h_strf("{\"learner\": \"%s\", \"title\": \"Lesson plan\", \"url\": "
                "\"https://files.example/lesson.pdf\", \"indicator\": \"1.1\"}",
                email[L1]),
         "1.1"},
        {token[L1], h_strf("{\"title\": \"Reflection\", \"text\": \"We looked at the data.\"}"),
         NULL},
        {token[L1],
         h_strf("{\"title\": \"Both\", \"url\": \"http://files.example/agenda\", \"text\": "
                "\"Agenda and notes.\", \"indicator\": \"4.2\"}"),
         "4.2"},
        {coordinator,
         h_strf("{\"learner\": \"%s\", \"title\": \"Longest\", \"url\": \"%s\", \"indicator\": "
                "\"1.1\"}",
                id[L1], long_url),
         "1.1"},
        {coordinator,
         h_strf("{\"learner\": \"%s\", \"title\": \"Other learner\", \"text\": \"x\"}", email[L2]),
         NULL},
    };
    size_t n_good = sizeof good / sizeof good[0];
    char *ids[8];
    for (size_t i = 0; i < n_good; i++) {
        cJSON *j = call("POST", evidence_path, good[i].tok, good[i].body, 201);
        const char *eid = h_json_string(j, "id");
        if (!eid)
            fail_msg("POST %s %s: no id", evidence_path, good[i].body);
        ids[i] = strdup(eid);
        cJSON_Delete(j);
        if (audited(ids[i]) != 1)
            fail_msg("evidence %s: %ld audit rows, want 1", ids[i], audited(ids[i]));
        cJSON *e = last_event("evidence.submitted");
        want_string(e, "cohort", cohort, "evidence.submitted");
        want_string(e, "evidence", ids[i], "evidence.submitted");
        want_string(e, "learner", id[i == 4 ? L2 : L1], "evidence.submitted");
        if (good[i].indicator)
            want_string(e, "indicator", good[i].indicator, "evidence.submitted");
        else if (!cJSON_IsNull(h_json_at(e, "indicator")))
            fail_msg("evidence.submitted without an indicator: indicator is not null");
        if (!h_json_string(e, "title"))
            fail_msg("evidence.submitted without a title");
        cJSON_Delete(e);
    }
    assert_int_equal(events("evidence.submitted"), submitted + (long)n_good);

    /* newest first; by indicator; by learner */
    char *path = h_strf("%s?learner=%s", evidence_path, id[L1]);
    cJSON *j = call("GET", path, coordinator, NULL, 200);
    const cJSON *items = h_json_at(j, "items");
    if (cJSON_GetArraySize(items) != 4) {
        char *text = cJSON_PrintUnformatted(j);
        fail_msg("GET %s: want l1's four, got %s", path, text);
    }
    for (int i = 0; i < 4; i++)
        want_string(cJSON_GetArrayItem(items, i), "id", ids[3 - i], "evidence, newest first");
    cJSON_Delete(j);
    free(path);
    path = h_strf("%s?indicator=1.1", evidence_path);
    j = call("GET", path, coordinator, NULL, 200);
    items = h_json_at(j, "items");
    if (cJSON_GetArraySize(items) != 2) {
        char *text = cJSON_PrintUnformatted(j);
        fail_msg("GET %s: want the two of 1.1, got %s", path, text);
    }
    want_string(items, "[0].id", ids[3], "evidence of 1.1");
    want_string(items, "[1].id", ids[0], "evidence of 1.1");
    cJSON_Delete(j);
    free(path);
    j = call("GET", evidence_path, token[L2], NULL, 200);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 1);
    want_string(j, "items[0].id", ids[4], "l2's own evidence");
    cJSON_Delete(j);

    /* a score citing evidence shows it */
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.3\", \"level\": 3, \"evidence\": "
                  "\"%s\", \"feedback\": \"See the lesson plan.\"}",
                  email[L1], ids[0]);
    j = call("POST", scores_path, token[C1], body, 201);
    want_string(j, "scores[0].evidence", ids[0], "a score citing evidence");
    cJSON_Delete(j);
    free(body);
    path = h_strf("%s?learner=%s", scores_path, id[L1]);
    j = call("GET", path, coordinator, NULL, 200);
    bool cited = false;
    const cJSON *s;
    cJSON_ArrayForEach(s, h_json_at(j, "items"))
    {
        const char *code = h_json_string(s, "indicator");
        const char *ev = h_json_string(s, "evidence");
        cited |= code && strcmp(code, "1.3") == 0 && ev && strcmp(ev, ids[0]) == 0;
    }
    if (!cited)
        fail_msg("GET %s: the score of 1.3 does not show its evidence %s", path, ids[0]);
    cJSON_Delete(j);
    free(path);
    /* evidence that is not there */
    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.3\", \"level\": 3, \"evidence\": "
                  "\"00000000-0000-4000-8000-000000000000\"}",
                  email[L1]);
    refused("POST", scores_path, token[C1], body, 422, "evidence", &failures);
    free(body);

    for (size_t i = 0; i < n_good; i++) {
        free(good[i].body);
        free(ids[i]);
    }
    assert_int_equal(failures, 0);
}

/* ---- problems of practice ---- */

/* The problem now, with checks on status and version. */
static long expect_problem(const char *path, const char *tok, const char *status, long min_version)
{
    cJSON *j = call("GET", path, tok, NULL, 200);
    want_string(j, "status", status, path);
    long version = h_json_long(j, "version");
    if (version < min_version)
        fail_msg("GET %s: version %ld, want at least %ld", path, version, min_version);
    cJSON_Delete(j);
    return version;
}

static void test_problem_lifecycle(void **state)
{
    int failures = 0;
    long submitted = events("problem.submitted"), reviewed = events("problem.reviewed");

    /* validation first */
    static const char *const bad[][2] = {
        {"{\"title\": \"\", \"statement\": \"S\"}", "title"},
        {"{\"statement\": \"S\"}", "title"},
        {"{\"title\": \"T\", \"statement\": \"S\", \"standards\": [\"9\"]}", "standards"},
        {"{\"title\": \"T\", \"statement\": \"S\", \"standards\": [\"1.1\"]}", "standards"},
        {"{\"title\": \"T\", \"statement\": \"S\", \"status\": \"approved\"}", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *before = snapshot();
        struct h_response r;
        h_post_json(&server, problems_path, token[L2], bad[i][0], &r);
        const char *field = h_json_string(r.json, "error.field");
        if (r.status != 422 ||
            (bad[i][1] && (!field || strncmp(field, bad[i][1], strlen(bad[i][1])) != 0))) {
            fprintf(stderr, "POST %s %s: got %ld %s, want 422 naming %s\n", problems_path,
                    bad[i][0], r.status, r.body, bad[i][1] ? bad[i][1] : "a field");
            failures++;
        }
        h_response_free(&r);
        char *after = snapshot();
        if (strcmp(before, after) != 0) {
            fprintf(stderr, "POST %s %s: refused, but something was written\n", problems_path,
                    bad[i][0]);
            failures++;
        }
        free(before);
        free(after);
    }
    char title[202];
    memset(title, 'p', sizeof title - 1);
    title[sizeof title - 1] = '\0';
    char *body = h_strf("{\"title\": \"%s\", \"statement\": \"S\"}", title);
    refused("POST", problems_path, token[L2], body, 422, "title", &failures);
    free(body);
    /* the coordinator must name the learner; a learner not enrolled is no learner */
    refused("POST", problems_path, coordinator, "{\"title\": \"T\", \"statement\": \"S\"}", 422,
            "learner", &failures);
    body = h_strf("{\"learner\": \"%s\", \"title\": \"T\", \"statement\": \"S\"}", email[L6]);
    refused("POST", problems_path, coordinator, body, 422, "learner", &failures);
    free(body);

    /* a draft, by the learner */
    cJSON *j = call("POST", problems_path, token[L2],
                    "{\"title\": \"Who is missing from advanced math\", \"statement\": \"Few "
                    "multilingual learners take Algebra I in grade 8.\", \"student_focus\": "
                    "\"Multilingual learners in grades 6-8\", \"data_sources\": \"Course "
                    "enrolment by subgroup\", \"root_cause\": \"Placement by teacher "
                    "recommendation\", \"strategy\": \"Universal screening\", \"standards\": "
                    "[\"1\", \"4\"]}",
                    201);
    want_string(j, "status", "draft", "a new problem");
    want_string(j, "learner.id", id[L2], "a new problem");
    want_string(j, "learner.email", email[L2], "a new problem");
    want_string(j, "cohort", cohort, "a new problem");
    want_string(j, "student_focus", "Multilingual learners in grades 6-8", "a new problem");
    want_string(j, "standards[0]", "1", "a new problem");
    want_string(j, "standards[1]", "4", "a new problem");
    long version = h_json_long(j, "version");
    char *pid = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    assert_int_equal(events("problem.submitted"), submitted); /* a draft is not submitted */
    char *path = h_strf("/v1/problems/%s", pid);
    char *review = h_strf("/v1/problems/%s/review", pid);

    /* one per learner and cohort */
    refused("POST", problems_path, token[L2], "{\"title\": \"Another\", \"statement\": \"S\"}", 409,
            NULL, &failures);
    body = h_strf("{\"learner\": \"%s\", \"title\": \"Another\", \"statement\": \"S\"}", id[L2]);
    refused("POST", problems_path, coordinator, body, 409, NULL, &failures);
    free(body);
    /* a draft cannot be reviewed */
    refused("POST", review, token[C1], "{\"decision\": \"approved\"}", 409, NULL, &failures);

    /* edited as a draft: a new version */
    cJSON_Delete(call("PATCH", path, token[L2],
                      "{\"title\": \"Who takes Algebra I in grade 8\", \"standards\": [\"1\"]}",
                      200));
    long v2 = expect_problem(path, token[L2], "draft", version + 1);
    refused("PATCH", path, token[L2], "{\"standards\": [\"7\"]}", 422, NULL, &failures);
    refused("PATCH", path, token[L2], "{\"title\": \"\"}", 422, "title", &failures);

    /* submitted: a new version, an event, and no more edits by the learner */
    j = call("PATCH", path, token[L2], "{\"status\": \"submitted\"}", 200);
    want_string(j, "status", "submitted", "PATCH status submitted");
    cJSON_Delete(j);
    long v3 = expect_problem(path, token[L2], "submitted", v2 + 1);
    assert_int_equal(events("problem.submitted"), submitted + 1);
    cJSON *e = last_event("problem.submitted");
    want_string(e, "cohort", cohort, "problem.submitted");
    want_string(e, "problem", pid, "problem.submitted");
    want_string(e, "learner", id[L2], "problem.submitted");
    want_string(e, "status", "submitted", "problem.submitted");
    if (h_json_long(e, "version") != v3)
        fail_msg("problem.submitted: version %ld, want %ld", h_json_long(e, "version"), v3);
    cJSON_Delete(e);
    refused("PATCH", path, token[L2], "{\"title\": \"Changed after submitting\"}", 409, NULL,
            &failures);
    refused("PATCH", path, token[L2], "{\"status\": \"submitted\"}", 409, NULL, &failures);

    /* reviewed: needs revision */
    refused("POST", review, token[C1], "{\"decision\": \"maybe\"}", 422, "decision", &failures);
    refused("POST", review, token[C1], "{\"feedback\": \"No decision\"}", 422, "decision",
            &failures);
    refused("POST", review, token[C2], "{\"decision\": \"approved\"}", 403, NULL, &failures);
    refused("POST", review, token[L2], "{\"decision\": \"approved\"}", 403, NULL, &failures);
    j = call("POST", review, token[C1],
             "{\"decision\": \"needs_revision\", \"feedback\": \"Name the data you will "
             "collect.\"}",
             200);
    want_string(j, "status", "needs_revision", "reviewed");
    want_string(j, "feedback", "Name the data you will collect.", "reviewed");
    want_string(j, "reviewed_by.email", email[C1], "reviewed");
    cJSON_Delete(j);
    long v4 = expect_problem(path, coordinator, "needs_revision", v3 + 1);
    assert_int_equal(events("problem.reviewed"), reviewed + 1);
    e = last_event("problem.reviewed");
    want_string(e, "problem", pid, "problem.reviewed");
    want_string(e, "learner", id[L2], "problem.reviewed");
    want_string(e, "status", "needs_revision", "problem.reviewed");
    want_string(e, "feedback", "Name the data you will collect.", "problem.reviewed");
    cJSON_Delete(e);
    /* only a submitted problem is reviewed */
    refused("POST", review, token[C1], "{\"decision\": \"approved\"}", 409, NULL, &failures);

    /* revised and submitted again, then approved */
    cJSON_Delete(call("PATCH", path, token[L2],
                      "{\"data_sources\": \"Course enrolment and screening scores by subgroup\"}",
                      200));
    long v5 = expect_problem(path, token[L2], "needs_revision", v4 + 1);
    cJSON_Delete(call("PATCH", path, token[L2], "{\"status\": \"submitted\"}", 200));
    long v6 = expect_problem(path, token[L2], "submitted", v5 + 1);
    assert_int_equal(events("problem.submitted"), submitted + 2);
    j = call("POST", review, token[C1], "{\"decision\": \"approved\", \"feedback\": \"Go.\"}", 200);
    want_string(j, "status", "approved", "approved");
    cJSON_Delete(j);
    long v7 = expect_problem(path, token[L2], "approved", v6 + 1);
    assert_int_equal(events("problem.reviewed"), reviewed + 2);
    refused("PATCH", path, token[L2], "{\"title\": \"After approval\"}", 409, NULL, &failures);
    refused("POST", review, token[C1], "{\"decision\": \"needs_revision\"}", 409, NULL, &failures);

    /* every version is kept, oldest first */
    char *hpath = h_strf("%s?history=true", path);
    j = call("GET", hpath, coordinator, NULL, 200);
    const cJSON *history = h_json_at(j, "history");
    char *text = cJSON_PrintUnformatted(j);
    if (!cJSON_IsArray(history) || cJSON_GetArraySize(history) != 7)
        fail_msg("GET %s: want 7 versions (draft, edit, submit, review, edit, submit, review): %s",
                 hpath, text);
    static const char *const statuses[7] = {
        "draft", "draft", "submitted", "needs_revision", "needs_revision", "submitted", "approved"};
    long versions[7] = {version, v2, v3, v4, v5, v6, v7};
    for (int i = 0; i < 7; i++) {
        const cJSON *h = cJSON_GetArrayItem(history, i);
        if (h_json_long(h, "version") != versions[i])
            fail_msg("history[%d]: version %ld, want %ld: %s", i, h_json_long(h, "version"),
                     versions[i], text);
        want_string(h, "status", statuses[i], "history");
        if (!h_json_string(h, "at") || !h_json_at(h, "by") || !h_json_at(h, "content"))
            fail_msg("history[%d] lacks at, by or content: %s", i, text);
    }
    want_string(history, "[0].content.title", "Who is missing from advanced math",
                "the first version's content");
    want_string(history, "[1].content.title", "Who takes Algebra I in grade 8",
                "the second version's content");
    want_string(history, "[3].feedback", "Name the data you will collect.", "the review");
    want_string(j, "title", "Who takes Algebra I in grade 8", "the problem now");
    want_string(j, "data_sources", "Course enrolment and screening scores by subgroup",
                "the problem now");
    free(text);
    cJSON_Delete(j);
    free(hpath);
    /* and every change audited */
    if (audited(pid) < 7)
        fail_msg("problem %s: %ld audit rows for 7 changes", pid, audited(pid));

    /* submitted at once by a coach for their learner */
    body = h_strf("{\"learner\": \"%s\", \"title\": \"Discipline referrals\", \"statement\": "
                  "\"S\", \"submit\": true}",
                  email[L4]);
    j = call("POST", problems_path, token[C1], body, 201);
    want_string(j, "status", "submitted", "submitted at once");
    cJSON_Delete(j);
    free(body);
    assert_int_equal(events("problem.submitted"), submitted + 3);
    /* listed, filtered by status */
    char *lpath = h_strf("%s?status=approved", problems_path);
    j = call("GET", lpath, coordinator, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 1);
    want_string(j, "items[0].id", pid, "approved problems");
    cJSON_Delete(j);
    free(lpath);

    free(pid);
    free(path);
    free(review);
    assert_int_equal(failures, 0);
}

/* ---- a closed cohort ---- */

static void test_closed_cohort(void **state)
{
    int failures = 0;
    /* l3's problem, submitted before the cohort closes */
    char *body = h_strf("{\"learner\": \"%s\", \"title\": \"Late\", \"statement\": \"S\", "
                        "\"submit\": true}",
                        email[L3]);
    cJSON *j = call("POST", problems_path, coordinator, body, 201);
    char *review = h_strf("/v1/problems/%s/review", h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    char *cohort_path = h_strf("/v1/cohorts/%s", cohort);
    cJSON_Delete(call("PATCH", cohort_path, coordinator, "{\"status\": \"closed\"}", 200));

    body = h_strf("{\"learner\": \"%s\", \"indicator\": \"2.2\", \"level\": 3}", email[L3]);
    refused("POST", scores_path, coordinator, body, 409, NULL, &failures);
    refused("POST", scores_path, token[C2], body, 409, NULL, &failures);
    free(body);
    body = h_strf("{\"scores\": [{\"learner\": \"%s\", \"indicator\": \"2.2\", \"level\": 3}]}",
                  email[L3]);
    refused("POST", scores_path, coordinator, body, 409, NULL, &failures);
    free(body);
    refused("POST", evidence_path, token[L3], "{\"title\": \"Late\", \"text\": \"x\"}", 409, NULL,
            &failures);
    body = h_strf("{\"learner\": \"%s\", \"title\": \"Late\", \"statement\": \"S\"}", email[L4]);
    refused("POST", problems_path, coordinator, body, 409, NULL, &failures);
    free(body);
    refused("POST", review, token[C2], "{\"decision\": \"approved\"}", 409, NULL, &failures);
    /* reads still answer */
    cJSON_Delete(call("GET", scores_path, coordinator, NULL, 200));
    cJSON_Delete(call("GET", evidence_path, coordinator, NULL, 200));
    cJSON_Delete(call("GET", problems_path, coordinator, NULL, 200));
    char *status = h_strf("/v1/cohorts/%s/status", cohort);
    cJSON_Delete(call("GET", status, coordinator, NULL, 200));
    free(status);
    free(review);
    free(cohort_path);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_bulk),
        cmocka_unit_test(test_levels_and_indicators),
        cmocka_unit_test(test_custom_rubric),
        cmocka_unit_test(test_who),
        cmocka_unit_test(test_evidence),
        cmocka_unit_test(test_problem_lifecycle),
        cmocka_unit_test(test_closed_cohort),
    };
    return h_run_tests(tests, setup, teardown);
}
