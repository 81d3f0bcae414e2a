/*
 * test_browser.c — the pages in a real browser: headless Chromium
 * (Debian's chromium, driven by playwright-core) runs the flows of
 * tests/browser/flows.mjs against the real mcred-server and PostgreSQL,
 * with an axe-core scan and a screenshot of every page visited
 * (build/browser-artifacts/<flow>-<n>-<page>.png).
 *
 * The fixture is made through the API, as a district would make it: the
 * seed credential (tests/fixtures/equity-excellence.json: twelve
 * indicators, five of six weekly sessions, the problem of practice
 * approved), one cohort with six past weekly sessions, a coach and twelve
 * learners, each with a school: seven at North Ridge, four at South
 * Valley and one at East Park, so that ?by=school shows North and
 * suppresses the others (MCRED_MIN_GROUP 5).  Learner 1 has attended
 * five sessions and has an approved problem but no score: in_progress,
 * until the coach's "coach" flow scores the whole sheet at the top level
 * and makes them eligible.  Learner 2 has no problem yet: the "learner"
 * flow submits one.  Learners 3–6 have some scores; learner 12's name
 * holds <script>, which the pages must show as text.  After the flows,
 * the API confirms what the pages wrote.
 *
 * MCRED_BROWSER_FLOWS chooses the flows (default below); MCRED_BROWSER_SKIP=1
 * skips the test (exit 77).  Missing node packages or Chromium fail it:
 * scripts/test installs both.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define SEED         MCRED_FIXTURES_DIR "/equity-excellence.json"
#define FLOWS_SCRIPT MCRED_SOURCE_DIR "/tests/browser/flows.mjs"
#define PLAYWRIGHT   MCRED_SOURCE_DIR "/tests/browser/node_modules/playwright-core/package.json"
#define AXE          MCRED_SOURCE_DIR "/tests/browser/node_modules/axe-core/axe.min.js"
#define ARTEFACTS    MCRED_BINARY_DIR "/browser-artifacts"
#define NLEARNERS    12
#define NINDICATORS  12 /* in the seed */
#define NSESSIONS    6
#define NODE_LIMIT_S                                                                               \
    280 /* under CTest's 300 s; each flow stops itself after 90 s; this only catches a hang */

/* The flows run unless MCRED_BROWSER_FLOWS says otherwise: all of them. */
#define DEFAULT_FLOWS "signin,home,leader,coach,learner"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "browser";
static char *admin, *coordinator, *leader, *coach;
static char *cohort, *cohort_name;
static char *learner_id[NLEARNERS + 1], *learner_name[NLEARNERS + 1];
static char *learner_token[3]; /* learners 1 and 2 */

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

/* The school of learner i: seven, four and one (the last two groups too small to show). */
static const char *school_of(int i)
{
    return i <= 7 ? "North Ridge High" : i <= 11 ? "South Valley Middle" : "East Park Elementary";
}

static void make_people(void)
{
    admin = h_bootstrap(&server, org_slug, "admin@browser.example");
    char *id = h_person(&server, admin, "coord@browser.example", "Cora Ordway", "coordinator");
    coordinator = h_token_for(&server, admin, id);
    free(id);
    id = h_person(&server, admin, "leader@browser.example", "Lee Adams", "leader");
    leader = h_token_for(&server, admin, id);
    free(id);
    id = h_person(&server, coordinator, "coach@browser.example", "Cam Oakes", NULL);
    coach = h_token_for(&server, admin, id);
    free(id);
    static const char *const names[NLEARNERS + 1] = {NULL,
                                                     "Avery Brooks",
                                                     "Blake Chen",
                                                     "Casey Diaz",
                                                     "Devon Ellis",
                                                     "Emery Flores",
                                                     "Finley Garcia",
                                                     "Gray Hughes",
                                                     "Harper Ito",
                                                     "Indigo Jones",
                                                     "Jordan Kim",
                                                     "Kai Lopez",
                                                     "Lena <script>alert(1)</script> Moss"};
    for (int i = 1; i <= NLEARNERS; i++) {
        cJSON *body = cJSON_CreateObject();
        char *email = h_strf("l%02d@browser.example", i);
        cJSON_AddStringToObject(body, "email", email);
        cJSON_AddStringToObject(body, "name", names[i]);
        cJSON *attributes = cJSON_AddObjectToObject(body, "attributes");
        cJSON_AddStringToObject(attributes, "school", school_of(i));
        char *text = cJSON_PrintUnformatted(body);
        cJSON *j = call("POST", "/v1/people", coordinator, text, 201);
        learner_id[i] = strdup(h_json_string(j, "id"));
        learner_name[i] = strdup(names[i]);
        cJSON_Delete(j);
        free(text);
        free(email);
        cJSON_Delete(body);
    }
    for (int i = 1; i <= 2; i++)
        learner_token[i] = h_token_for(&server, admin, learner_id[i]);
}

static void make_cohort(void)
{
    char *seed = h_file_read(SEED, NULL);
    cJSON *j = call("POST", "/v1/credentials", coordinator, seed, 201);
    free(seed);
    char *path = h_strf("/v1/credentials/%s/publish", h_json_string(j, "id"));
    cJSON_Delete(call("POST", path, coordinator, NULL, 200));
    free(path);
    cohort_name = strdup("Equity Leaders 2025");
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"%s\", \"starts_on\": \"2025-01-06\","
                        " \"ends_on\": \"2030-06-30\", \"timezone\": \"UTC\", \"capacity\": 30}",
                        h_json_string(j, "id"), cohort_name);
    cJSON_Delete(j);
    j = call("POST", "/v1/cohorts", coordinator, body, 201);
    cohort = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);

    cJSON *members = cJSON_CreateArray();
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "email", "coach@browser.example");
    cJSON_AddStringToObject(m, "role", "coach");
    cJSON_AddItemToArray(members, m);
    for (int i = 1; i <= NLEARNERS; i++) {
        m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "person", learner_id[i]);
        cJSON_AddStringToObject(m, "coach", "coach@browser.example");
        cJSON_AddItemToArray(members, m);
    }
    cJSON *wrap = cJSON_CreateObject();
    cJSON_AddItemToObject(wrap, "members", members);
    char *text = cJSON_PrintUnformatted(wrap);
    cJSON_Delete(wrap);
    path = h_strf("/v1/cohorts/%s/members", cohort);
    cJSON_Delete(call("POST", path, coordinator, text, 201));
    free(path);
    free(text);
}

/* Six past weekly sessions; learners 1–8 attend weeks 1–5 in a mix of modes. */
static void make_attendance(void)
{
    char *path = h_strf("/v1/cohorts/%s/sessions", cohort);
    cJSON *sessions = call("POST", path, coordinator,
                           "{\"weekly\": {\"first\": \"2025-01-07T17:00\", \"count\": 6}}", 201);
    free(path);
    static const char *const modes[] = {"in_person", "online", "asynchronous", "in_person",
                                        "online"};
    for (int week = 0; week < NSESSIONS - 1; week++) {
        char key[32];
        snprintf(key, sizeof key, "items[%d].id", week);
        const char *session = h_json_string(sessions, key);
        assert_non_null(session);
        cJSON *records = cJSON_CreateArray();
        for (int i = 1; i <= 8; i++) {
            cJSON *rec = cJSON_CreateObject();
            cJSON_AddStringToObject(rec, "person", learner_id[i]);
            cJSON_AddStringToObject(rec, "mode",
                                    i == 8 && week > 1 ? "absent" : modes[(week + i) % 5]);
            cJSON_AddItemToArray(records, rec);
        }
        cJSON *wrap = cJSON_CreateObject();
        cJSON_AddItemToObject(wrap, "attendance", records);
        char *text = cJSON_PrintUnformatted(wrap);
        cJSON_Delete(wrap);
        path = h_strf("/v1/sessions/%s/attendance", session);
        cJSON_Delete(call("PUT", path, coach, text, 200));
        free(path);
        free(text);
    }
    cJSON_Delete(sessions);
}

/* Learner 1's problem, submitted by them and approved by the coach; some scores for 3–6. */
static void make_work(void)
{
    char *path = h_strf("/v1/cohorts/%s/problems", cohort);
    cJSON *p = call("POST", path, learner_token[1],
                    "{\"title\": \"Ninth-grade attendance\", \"statement\": \"Too many miss "
                    "school.\", \"strategy\": \"Call home.\", \"submit\": true}",
                    201);
    free(path);
    path = h_strf("/v1/problems/%s/review", h_json_string(p, "id"));
    cJSON_Delete(call("POST", path, coach,
                      "{\"decision\": \"approved\", \"feedback\": \"A clear focus.\"}", 200));
    free(path);
    cJSON_Delete(p);

    static const char *const indicators[] = {"1.1", "1.2", "2.1", "3.1", "4.2"};
    cJSON *scores = cJSON_CreateArray();
    for (int i = 3; i <= 6; i++)
        for (int k = 0; k < 5; k++) {
            cJSON *s = cJSON_CreateObject();
            cJSON_AddStringToObject(s, "learner", learner_id[i]);
            cJSON_AddStringToObject(s, "indicator", indicators[k]);
            cJSON_AddNumberToObject(s, "level", 1 + (i + k) % 4);
            cJSON_AddItemToArray(scores, s);
        }
    cJSON *wrap = cJSON_CreateObject();
    cJSON_AddItemToObject(wrap, "scores", scores);
    char *text = cJSON_PrintUnformatted(wrap);
    cJSON_Delete(wrap);
    path = h_strf("/v1/cohorts/%s/scores", cohort);
    cJSON_Delete(call("POST", path, coach, text, 201));
    free(path);
    free(text);
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    make_people();
    make_cohort();
    make_attendance();
    make_work();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    h_cluster_release(&cluster);
    char *owned[] = {admin, coordinator, leader, coach, cohort, cohort_name};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        free(owned[i]);
    for (int i = 1; i <= NLEARNERS; i++) {
        free(learner_id[i]);
        free(learner_name[i]);
    }
    free(learner_token[1]);
    free(learner_token[2]);
    return st == 0 ? 0 : -1;
}

/* A learner's status as the API gives it (malloc'd). */
static char *status_of(int i)
{
    char *path = h_strf("/v1/cohorts/%s/members/%s/status", cohort, learner_id[i]);
    cJSON *j = call("GET", path, coordinator, NULL, 200);
    free(path);
    const char *s = h_json_string(j, "status");
    assert_non_null(s);
    char *out = strdup(s);
    cJSON_Delete(j);
    return out;
}

static cJSON *person_json(int i)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "id", learner_id[i]);
    cJSON_AddStringToObject(p, "name", learner_name[i]);
    return p;
}

/* What the flows need to know, as JSON in a file of its own (mode 600: it holds tokens). */
static void write_fixture(const char *path)
{
    cJSON *fx = cJSON_CreateObject();
    cJSON *c = cJSON_AddObjectToObject(fx, "cohort");
    cJSON_AddStringToObject(c, "id", cohort);
    cJSON_AddStringToObject(c, "name", cohort_name);
    cJSON_AddStringToObject(fx, "attribute", "school");
    cJSON_AddNumberToObject(fx, "learners", NLEARNERS);
    cJSON_AddNumberToObject(fx, "indicators", NINDICATORS);
    cJSON *t = cJSON_AddObjectToObject(fx, "tokens");
    cJSON_AddStringToObject(t, "leader", leader);
    cJSON_AddStringToObject(t, "coach", coach);
    cJSON_AddStringToObject(t, "learner", learner_token[2]);
    cJSON_AddItemToObject(fx, "coach_learner", person_json(1));
    cJSON_AddItemToObject(fx, "learner", person_json(2));
    cJSON_AddItemToObject(fx, "script_learner", person_json(NLEARNERS));
    char *text = cJSON_Print(fx);
    cJSON_Delete(fx);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        fail_msg("could not write the fixture %s: %s", path, strerror(errno));
    free(text);
}

/* node flows.mjs BASE FIXTURE FLOWS ARTEFACTS, in its own process group, killed past the limit. */
static int run_flows(const char *fixture, const char *flows)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        fail_msg("could not fork: %s", strerror(errno));
    if (pid == 0) {
        (void)setpgid(0, 0);
        execlp("node", "node", FLOWS_SCRIPT, server.url, fixture, flows, ARTEFACTS, (char *)NULL);
        fprintf(stderr, "could not run node: %s\n", strerror(errno));
        _exit(127);
    }
    (void)setpgid(pid, pid);
    struct timespec tick = {.tv_sec = 0, .tv_nsec = 100 * 1000000L};
    for (long waited = 0; waited < NODE_LIMIT_S * 10L; waited++) {
        int st;
        pid_t done = waitpid(pid, &st, WNOHANG);
        if (done == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (done < 0)
            fail_msg("waitpid: %s", strerror(errno));
        nanosleep(&tick, NULL);
    }
    (void)kill(-pid, SIGKILL);
    (void)waitpid(pid, NULL, 0);
    fail_msg("the browser flows did not finish within %d s; killed", NODE_LIMIT_S);
    return -1;
}

static bool has_flow(const char *flows, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = flows; (p = strstr(p, name)); p += n)
        if ((p == flows || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

/* What the pages wrote, read back through the API. */
static void confirm_writes(const char *flows)
{
    if (has_flow(flows, "coach")) {
        char *s = status_of(1);
        assert_string_equal(s, "eligible");
        free(s);
        char *path = h_strf("/v1/cohorts/%s/scores?learner=%s", cohort, learner_id[1]);
        cJSON *j = call("GET", path, coordinator, NULL, 200);
        free(path);
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
        assert_int_equal(cJSON_GetArraySize(items), NINDICATORS);
        const cJSON *item;
        cJSON_ArrayForEach(item, items) assert_int_equal(h_json_long(item, "level"), 4);
        cJSON_Delete(j);
    }
    if (has_flow(flows, "learner")) {
        char *path = h_strf("/v1/cohorts/%s/problems?learner=%s", cohort, learner_id[2]);
        cJSON *j = call("GET", path, coordinator, NULL, 200);
        free(path);
        const char *status = h_json_string(j, "items[0].status");
        const char *title = h_json_string(j, "items[0].title");
        assert_non_null(status);
        assert_non_null(title);
        assert_string_equal(status, "submitted");
        assert_string_equal(title, "Chronic absence in grade 9");
        cJSON_Delete(j);
    }
}

static void test_flows(void **state)
{
    (void)state;
    const char *flows = getenv("MCRED_BROWSER_FLOWS");
    if (!flows || !*flows)
        flows = DEFAULT_FLOWS;
    /* the fixture is as the flows expect it: learner 1 not yet eligible */
    char *before = status_of(1);
    assert_string_equal(before, "in_progress");
    free(before);

    char fixture[] = "/tmp/mcred-browser-fixture.XXXXXX";
    int fd = mkstemp(fixture);
    if (fd < 0)
        fail_msg("mkstemp: %s", strerror(errno));
    close(fd);
    write_fixture(fixture);
    (void)mkdir(ARTEFACTS, 0755);
    printf("browser flows %s against %s; screenshots in %s\n", flows, server.url, ARTEFACTS);
    int rc = run_flows(fixture, flows);
    unlink(fixture);
    if (rc != 0)
        fail_msg("the browser flows failed (exit %d); see their output above and the "
                 "screenshots in %s",
                 rc, ARTEFACTS);
    confirm_writes(flows);
}

/* Absent packages are a failure, not a skip: scripts/test installs them. */
static int preflight(void)
{
    const char *chromium = getenv("MCRED_CHROMIUM");
    if (!chromium || !*chromium)
        chromium = "/usr/bin/chromium";
    if (access(PLAYWRIGHT, R_OK) != 0 || access(AXE, R_OK) != 0) {
        fprintf(stderr, "test_browser: tests/browser/node_modules lacks playwright-core or "
                        "axe-core: run scripts/test, or `npm ci` in tests/browser\n");
        return 1;
    }
    if (access(chromium, X_OK) != 0) {
        fprintf(stderr,
                "test_browser: no Chromium at %s: install Debian's chromium package "
                "(scripts/test does), or set MCRED_CHROMIUM\n",
                chromium);
        return 1;
    }
    return 0;
}

int main(void)
{
    const char *skip = getenv("MCRED_BROWSER_SKIP");
    if (skip && strcmp(skip, "1") == 0) {
        printf("test_browser: skipped (MCRED_BROWSER_SKIP=1)\n");
        return 77;
    }
    if (preflight() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flows),
    };
    return h_run_tests(tests, setup, teardown);
}
