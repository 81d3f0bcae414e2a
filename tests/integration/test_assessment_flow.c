/*
 * test_assessment_flow.c — the seed's first cohort from nothing to a
 * credential earned by some learners and not yet by others, the way a
 * district runs it: through the mcred CLI (coordinator, coaches and
 * learners each with their own token), checked at every step against
 * GET /v1/cohorts/{id}/status, `mcred status` and the outbox.
 *
 *   1. `mcred credential import` + `publish` the seed; `mcred cohort
 *      create`; `mcred member import` the 15 learners and 2 coaches;
 *      `mcred session schedule` six weekly sessions, all before now:
 *      every learner `not_started`, 6 sessions held;
 *   2. `mcred attendance record` the six weeks;
 *   3. `mcred problem submit` (a learner their own; the coordinator for
 *      a learner; a learner's draft submitted later over HTTP), `mcred
 *      problem review --revise` then `--approve`, `mcred problem history`;
 *   4. `mcred evidence add` (a learner's URL, a coach's text; an ftp URL
 *      refused);
 *   5. `mcred score import` tests/fixtures/first-cohort-scores.csv (one
 *      bad row first: refused whole), `mcred score` one at a time.
 *
 * The learners whose story is told (the roster's order):
 *   A aisha   — 12 indicators at 3+, 5 of 6 attended, problem approved
 *               (after one revision): eligible when the scores arrive,
 *               one credential.eligible; rescored 2.3 at 2 → in_progress
 *               naming 2.3; back to 3 → eligible, a second event;
 *   B tom     — 1.2 at 2: in_progress, indicator 1.2 and standard 1 missing;
 *   C rosa    — attended 4, excused 1, absent 1: short on attendance;
 *   D daniel  — problem submitted, never reviewed: short on the problem;
 *   E fatima  — nothing at all: not_started to the end;
 *   F marcus  — eligible the moment the coach approves the problem;
 *   G jamal   — eligible the moment the fifth attendance is recorded;
 *   the other eight attend and do nothing else: in_progress.
 * Events checked: problem.submitted, problem.reviewed,
 * evidence.submitted, score.recorded, credential.eligible (exactly once
 * per move to eligible: A twice, F and G once).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "harness.h"

#define ROSTER     MCRED_FIXTURES_DIR "/first-cohort-roster.csv"
#define SEED       MCRED_FIXTURES_DIR "/equity-excellence.json"
#define SCORES     MCRED_FIXTURES_DIR "/first-cohort-scores.csv"
#define N_LEARNERS 15
#define N_SESSIONS 6
#define N_SCORES   72 /* rows of SCORES: six learners, twelve indicators */

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "assess";
static char *admin, *coordinator;

/* The roster's learners, in its order; the coaches. */
static const char *const learner_email[N_LEARNERS] = {
    "aisha.bello@district.example",   "tom.nguyen@district.example",
    "rosa.martinez@district.example", "daniel.kim@district.example",
    "fatima.hassan@district.example", "marcus.johnson@district.example",
    "li.wei@district.example",        "sarah.oconnor@district.example",
    "jamal.wright@district.example",  "elena.popescu@district.example",
    "kwame.mensah@district.example",  "priya.patel@district.example",
    "carlos.reyes@district.example",  "hannah.cohen@district.example",
    "yuki.tanaka@district.example"};
enum { A = 0, B = 1, C = 2, D = 3, E = 4, F = 5, G = 8 };
static const char *const grace = "grace.okafor@district.example";    /* learners 0-7 */
static const char *const peter = "peter.lindqvist@district.example"; /* learners 8-14 */
static char *learner_id[N_LEARNERS];
static char *grace_token, *peter_token, *a_token, *f_token;

static char *cohort, *credential;
static char *status_path;
static char session_ids[N_SESSIONS][64];

static const char *const indicators[12] = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3",
                                           "3.1", "3.2", "3.3", "4.1", "4.2", "4.3"};

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org_slug, "admin@assess.example");
    char *id =
        h_person(&server, admin, "maria.lopez@district.example", "María López", "coordinator");
    coordinator = h_token_for(&server, admin, id);
    free(id);
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    free(admin);
    free(coordinator);
    free(grace_token);
    free(peter_token);
    free(a_token);
    free(f_token);
    for (int i = 0; i < N_LEARNERS; i++)
        free(learner_id[i]);
    free(cohort);
    free(credential);
    free(status_path);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* ---- the CLI ---- */

static char *command_line(const char *const *argv)
{
    char cmd[2048] = "mcred";
    size_t len = strlen(cmd);
    for (const char *const *a = argv; *a && len < sizeof cmd - 1; a++)
        len += (size_t)snprintf(cmd + len, sizeof cmd - len, " %s", *a);
    return strdup(cmd);
}

/* Run the CLI with a token; it must exit `want`.  Returns stdout (malloc'd). */
static char *cli_as(const char *tok, const char *const *argv, int want)
{
    char *out = NULL, *err = NULL;
    int st = h_cli(server.url, tok, argv, &out, &err);
    if (st != want) {
        char *cmd = command_line(argv);
        fail_msg("%s: exit %d, want %d\nstdout: %s\nstderr: %s", cmd, st, want, out, err);
    }
    free(err);
    return out;
}

static char *cli_ok(const char *tok, const char *const *argv)
{
    return cli_as(tok, argv, 0);
}

/* strstr without regard to case (ASCII). */
static const char *find_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

static void expect_in(const char *out, const char *want, const char *what)
{
    if (!strstr(out, want))
        fail_msg("%s does not show %s:\n%s", what, want, out);
}

static void expect_in_nocase(const char *out, const char *want, const char *what)
{
    if (!find_nocase(out, want))
        fail_msg("%s does not show %s:\n%s", what, want, out);
}

/* ---- the API ---- */

static cJSON *get_json(const char *path, const char *tok)
{
    struct h_response r;
    h_call(&server, "GET", path, tok, NULL, 200, &r);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

static cJSON *events(const char *type)
{
    return h_org_events(&db, org_slug, type);
}

static int count_events(const char *type, const char *learner)
{
    cJSON *list = events(type);
    int n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        const char *l = h_json_string(e, "learner");
        n += !learner || (l && strcmp(l, learner) == 0);
    }
    cJSON_Delete(list);
    return n;
}

/* The cohort's status (the caller deletes it), with the shape of docs/api.md checked. */
static cJSON *cohort_status(void)
{
    cJSON *j = get_json(status_path, coordinator);
    const cJSON *learners = h_json_at(j, "learners");
    char *text = cJSON_PrintUnformatted(j);
    const char *c = h_json_string(j, "cohort");
    if (!c || strcmp(c, cohort) != 0 || !cJSON_IsArray(learners) ||
        cJSON_GetArraySize(learners) != N_LEARNERS)
        fail_msg("GET %s: want cohort %s and %d learners: %.3000s", status_path, cohort, N_LEARNERS,
                 text);
    /* every enrolled learner, in e-mail order */
    for (int i = 1; i < N_LEARNERS; i++) {
        const char *prev = h_json_string(cJSON_GetArrayItem(learners, i - 1), "learner.email");
        const char *cur = h_json_string(cJSON_GetArrayItem(learners, i), "learner.email");
        if (!prev || !cur || strcasecmp(prev, cur) >= 0)
            fail_msg("GET %s: learners not in e-mail order (%s before %s)", status_path,
                     prev ? prev : "?", cur ? cur : "?");
    }
    free(text);
    return j;
}

/* One learner's entry in a cohort status. */
static const cJSON *entry_of(const cJSON *status, int learner)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, h_json_at(status, "learners"))
    {
        const char *email = h_json_string(item, "learner.email");
        if (email && strcmp(email, learner_email[learner]) == 0)
            return item;
    }
    fail_msg("no status for %s", learner_email[learner]);
    return NULL;
}

/* One learner's status from the member route (the caller deletes it). */
static cJSON *member_status(int learner, const char *tok)
{
    char *path = h_strf("/v1/cohorts/%s/members/%s/status", cohort, learner_id[learner]);
    cJSON *j = get_json(path, tok);
    free(path);
    return j;
}

static const cJSON *indicator_of(const cJSON *st, const char *code)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, h_json_at(st, "indicators"))
    {
        const char *c = h_json_string(item, "code");
        if (c && strcmp(c, code) == 0)
            return item;
    }
    return NULL;
}

static const cJSON *standard_of(const cJSON *st, const char *code)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, h_json_at(st, "standards"))
    {
        const char *c = h_json_string(item, "code");
        if (c && strcmp(c, code) == 0)
            return item;
    }
    return NULL;
}

static bool is_true(const cJSON *j, const char *path)
{
    return cJSON_IsTrue(h_json_at(j, path));
}

/* Is there a "missing" entry containing every one of the words (case-insensitive)? */
static bool missing_has(const cJSON *st, const char *word, const char *also)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, h_json_at(st, "missing"))
    {
        if (cJSON_IsString(m) && find_nocase(m->valuestring, word) &&
            (!also || find_nocase(m->valuestring, also)))
            return true;
    }
    return false;
}

/*
 * What a learner's status must say: the overall status, the number of indicators met, the
 * attendance (attended, excused; -1 to skip) and whether met, and the problem's state (NULL to
 * skip) and whether met.
 */
struct want {
    const char *status;
    int indicators_met;
    int attended, excused;
    bool attendance_met;
    const char *problem;
    bool problem_met;
};

static void expect_status(const cJSON *st, int learner, const struct want *w, const char *step)
{
    char *text = cJSON_PrintUnformatted(st);
    const char *got = h_json_string(st, "status");
    const char *who = learner_email[learner];
    if (!got || strcmp(got, w->status) != 0)
        fail_msg("%s: %s is %s, want %s: %s", step, who, got ? got : "(none)", w->status, text);
    const char *email = h_json_string(st, "learner.email");
    const char *id = h_json_string(st, "learner.id");
    if (!email || strcmp(email, who) != 0 || !id || strcmp(id, learner_id[learner]) != 0)
        fail_msg("%s: the status of %s names another learner: %s", step, who, text);
    const cJSON *inds = h_json_at(st, "indicators");
    if (cJSON_GetArraySize(inds) != 12)
        fail_msg("%s: %s: want the 12 indicators: %s", step, who, text);
    int met = 0;
    for (int i = 0; i < 12; i++) {
        const cJSON *ind = cJSON_GetArrayItem(inds, i);
        const char *code = h_json_string(ind, "code");
        if (!code || strcmp(code, indicators[i]) != 0)
            fail_msg("%s: %s: indicator %d is %s, want %s (in the credential's order)", step, who,
                     i, code ? code : "?", indicators[i]);
        char standard[2] = {indicators[i][0], '\0'};
        const char *s = h_json_string(ind, "standard");
        if (!s || strcmp(s, standard) != 0)
            fail_msg("%s: %s: indicator %s has standard %s", step, who, code, s ? s : "?");
        long level = h_json_long(ind, "level");
        bool ind_met = is_true(ind, "met");
        if (ind_met != (level >= 3))
            fail_msg("%s: %s: indicator %s at level %ld is %s met: %s", step, who, code, level,
                     ind_met ? "" : "not", text);
        if (!ind_met && !missing_has(st, code, NULL))
            fail_msg("%s: %s: indicator %s is not met, and missing does not say so: %s", step, who,
                     code, text);
        met += ind_met;
    }
    if (met != w->indicators_met)
        fail_msg("%s: %s: %d indicators met, want %d: %s", step, who, met, w->indicators_met, text);
    if (cJSON_GetArraySize(h_json_at(st, "standards")) != 4)
        fail_msg("%s: %s: want the 4 standards: %s", step, who, text);
    if (w->attended >= 0) {
        if (h_json_long(st, "attendance.attended") != w->attended ||
            h_json_long(st, "attendance.excused") != w->excused ||
            h_json_long(st, "attendance.held") != N_SESSIONS ||
            h_json_long(st, "attendance.required") != 5 ||
            is_true(st, "attendance.met") != w->attendance_met)
            fail_msg("%s: %s: want attendance {attended %d, excused %d, held 6, required 5, met "
                     "%s}: %s",
                     step, who, w->attended, w->excused, w->attendance_met ? "true" : "false",
                     text);
        if (!w->attendance_met && !missing_has(st, "attendance", NULL))
            fail_msg("%s: %s: short on attendance, and missing does not say so: %s", step, who,
                     text);
    }
    if (w->problem) {
        const char *p = h_json_string(st, "problem.status");
        if (!p || strcmp(p, w->problem) != 0 || is_true(st, "problem.met") != w->problem_met ||
            !is_true(st, "problem.required"))
            fail_msg("%s: %s: want problem {status %s, required true, met %s}: %s", step, who,
                     w->problem, w->problem_met ? "true" : "false", text);
        if (!w->problem_met && !missing_has(st, "problem", NULL))
            fail_msg("%s: %s: the problem of practice is not approved, and missing does not say "
                     "so: %s",
                     step, who, text);
    }
    bool eligible = strcmp(w->status, "eligible") == 0;
    if (!cJSON_IsArray(h_json_at(st, "missing")) ||
        eligible != (cJSON_GetArraySize(h_json_at(st, "missing")) == 0))
        fail_msg("%s: %s is %s: missing must be %s: %s", step, who, w->status,
                 eligible ? "empty" : "what is still missing", text);
    free(text);
}

/* The same status from the cohort route and the member route. */
static void expect_learner(const cJSON *cohort_st, int learner, const struct want *w,
                           const char *step)
{
    expect_status(entry_of(cohort_st, learner), learner, w, step);
    cJSON *one = member_status(learner, coordinator);
    char *step2 = h_strf("%s (member route)", step);
    expect_status(one, learner, w, step2);
    free(step2);
    cJSON_Delete(one);
}

/* Everyone not in the story: attended all six, nothing else. */
static bool in_story(int i)
{
    return i == A || i == B || i == C || i == D || i == E || i == F || i == G;
}

/* ---- the attendance plan ---- */

/* The mode of learner i in week w (0-based) as first recorded; NULL: not recorded. */
static const char *mode_for(int i, int w)
{
    static const char *const present[] = {"in_person", "online", "asynchronous"};
    if (i == E)
        return NULL;
    if (i == A)
        return w == 5 ? "absent" : present[w % 3];
    if (i == C)
        return w == 4 ? "excused" : w == 5 ? "absent" : present[(w + 1) % 3];
    if (i == G)
        return w >= 4 ? "absent" : present[(w + 2) % 3];
    return present[(i + w) % 3];
}

static void test_assessment(void **state)
{
    struct h_response r;
    char *out;

    /* ---- 1. the credential, the cohort, the roster, the sessions ---- */
    const char *import_argv[] = {"--json", "credential", "import", SEED, NULL};
    out = cli_ok(coordinator, import_argv);
    cJSON *printed = cJSON_Parse(out);
    credential = strdup(h_json_string(printed, "id") ? h_json_string(printed, "id") : "");
    cJSON_Delete(printed);
    free(out);
    if (!*credential)
        fail_msg("mcred --json credential import printed no id");
    const char *publish_argv[] = {"credential", "publish", credential, NULL};
    free(cli_ok(coordinator, publish_argv));
    const char *create_argv[] = {"--json",           "cohort", "create",          "--credential",
                                 credential,         "--name", "Assessed cohort", "--starts",
                                 "2026-09-08",       "--ends", "2026-10-13",      "--timezone",
                                 "America/New_York", NULL};
    out = cli_ok(coordinator, create_argv);
    printed = cJSON_Parse(out);
    cohort = strdup(h_json_string(printed, "id") ? h_json_string(printed, "id") : "");
    cJSON_Delete(printed);
    free(out);
    if (!*cohort)
        fail_msg("mcred --json cohort create printed no id");
    status_path = h_strf("/v1/cohorts/%s/status", cohort);
    const char *member_argv[] = {"member", "import", cohort, ROSTER, NULL};
    free(cli_ok(coordinator, member_argv));
    char *members_path = h_strf("/v1/cohorts/%s/members?role=learner", cohort);
    cJSON *members = get_json(members_path, coordinator);
    for (int i = 0; i < N_LEARNERS; i++) {
        const cJSON *item;
        cJSON_ArrayForEach(item, h_json_at(members, "items"))
        {
            const char *email = h_json_string(item, "person.email");
            if (email && strcmp(email, learner_email[i]) == 0)
                learner_id[i] = strdup(h_json_string(item, "person.id"));
        }
        if (!learner_id[i])
            fail_msg("%s is not a learner of the cohort", learner_email[i]);
    }
    cJSON_Delete(members);
    free(members_path);
    /* the coaches' and two learners' tokens */
    char *sql = h_strf("SELECT p.id FROM mcred.people p JOIN mcred.orgs o ON o.id = p.org_id"
                       " WHERE o.slug = '%s' AND p.email = '%s'",
                       org_slug, grace);
    char *gid = h_db_query_super(&db, sql);
    free(sql);
    sql = h_strf("SELECT p.id FROM mcred.people p JOIN mcred.orgs o ON o.id = p.org_id"
                 " WHERE o.slug = '%s' AND p.email = '%s'",
                 org_slug, peter);
    char *pid = h_db_query_super(&db, sql);
    free(sql);
    grace_token = h_token_for(&server, admin, gid);
    peter_token = h_token_for(&server, admin, pid);
    a_token = h_token_for(&server, admin, learner_id[A]);
    f_token = h_token_for(&server, admin, learner_id[F]);
    free(gid);
    free(pid);

    /* six weekly sessions, every one before now */
    const char *schedule_argv[] = {"session",          "schedule", cohort, "--first",
                                   "2026-09-08T17:00", "--count",  "6",    NULL};
    free(cli_ok(coordinator, schedule_argv));
    char *sessions_path = h_strf("/v1/cohorts/%s/sessions", cohort);
    cJSON *sessions = get_json(sessions_path, coordinator);
    if (cJSON_GetArraySize(h_json_at(sessions, "items")) != N_SESSIONS)
        fail_msg("want six sessions");
    for (int w = 0; w < N_SESSIONS; w++) {
        const char *sid = h_json_string(cJSON_GetArrayItem(h_json_at(sessions, "items"), w), "id");
        if (!sid)
            fail_msg("session %d has no id", w + 1);
        else
            snprintf(session_ids[w], sizeof session_ids[w], "%s", sid);
    }
    cJSON_Delete(sessions);
    free(sessions_path);

    cJSON *st = cohort_status();
    const struct want nothing = {"not_started", 0, 0, 0, false, NULL, false};
    for (int i = 0; i < N_LEARNERS; i++)
        expect_status(entry_of(st, i), i, &nothing, "before anything");
    if (h_json_string(st, "credential.id") &&
        strcmp(h_json_string(st, "credential.id"), credential) != 0)
        fail_msg("GET %s: the credential is not the cohort's", status_path);
    cJSON_Delete(st);
    {
        /* `mcred status` on an empty cohort */
        const char *argv[] = {"status", cohort, NULL};
        out = cli_ok(coordinator, argv);
        for (int i = 0; i < N_LEARNERS; i++)
            expect_in(out, learner_email[i], "mcred status (nothing yet)");
        expect_in(out, "not_started", "mcred status (nothing yet)");
        free(out);
    }

    /* ---- 2. attendance, week by week, by the CLI ---- */
    for (int w = 0; w < N_SESSIONS; w++) {
        const char *argv[4 + N_LEARNERS] = {"attendance", "record", session_ids[w]};
        char *pairs[N_LEARNERS];
        int n = 3;
        for (int i = 0; i < N_LEARNERS; i++) {
            const char *mode = mode_for(i, w);
            pairs[i] = mode ? h_strf("%s=%s", learner_email[i], mode) : NULL;
            if (pairs[i])
                argv[n++] = pairs[i];
        }
        argv[n] = NULL;
        free(cli_ok(coordinator, argv));
        for (int i = 0; i < N_LEARNERS; i++)
            free(pairs[i]);
    }
    st = cohort_status();
    {
        struct want wa = {"in_progress", 0, 5, 0, true, NULL, false};
        expect_learner(st, A, &wa, "after attendance");
        struct want wc = {"in_progress", 0, 4, 1, false, NULL, false};
        expect_learner(st, C, &wc, "after attendance");
        struct want wg = {"in_progress", 0, 4, 0, false, NULL, false};
        expect_learner(st, G, &wg, "after attendance");
        expect_learner(st, E, &nothing, "after attendance");
        struct want full = {"in_progress", 0, 6, 0, true, NULL, false};
        for (int i = 0; i < N_LEARNERS; i++)
            if (!in_story(i) || i == B || i == D || i == F)
                expect_status(entry_of(st, i), i, &full, "after attendance");
    }
    cJSON_Delete(st);

    /* ---- 3. problems of practice ---- */
    char *problems_path = h_strf("/v1/cohorts/%s/problems", cohort);
    char *problem[N_LEARNERS] = {0};
    /* A, her own, by the CLI with her token */
    {
        const char *argv[] = {"--json",
                              "problem",
                              "submit",
                              cohort,
                              "--title",
                              "Who is missing from advanced math",
                              "--statement",
                              "Few multilingual learners take Algebra I.",
                              "--student-focus",
                              "Multilingual learners in grades 6-8",
                              "--standards",
                              "1,4",
                              NULL};
        out = cli_ok(a_token, argv);
        cJSON *j = cJSON_Parse(out);
        if (!h_json_string(j, "id"))
            fail_msg("mcred --json problem submit printed no id: %s", out);
        problem[A] = strdup(h_json_string(j, "id"));
        cJSON_Delete(j);
        free(out);
        char *path = h_strf("/v1/problems/%s", problem[A]);
        cJSON *p = get_json(path, coordinator);
        if (strcmp(h_json_string(p, "status"), "submitted") != 0 ||
            strcmp(h_json_string(p, "learner.id"), learner_id[A]) != 0 ||
            strcmp(h_json_string(p, "student_focus"), "Multilingual learners in grades 6-8") != 0 ||
            cJSON_GetArraySize(h_json_at(p, "standards")) != 2)
            fail_msg("GET %s after mcred problem submit: %s", path, cJSON_PrintUnformatted(p));
        cJSON_Delete(p);
        free(path);
    }
    /* B, C, D and G by the coordinator, naming the learner */
    static const int by_coordinator[] = {B, C, D, G};
    for (size_t k = 0; k < 4; k++) {
        int i = by_coordinator[k];
        const char *argv[] = {"--json",      "problem",
                              "submit",      cohort,
                              "--learner",   learner_email[i],
                              "--title",     "Chronic absence",
                              "--statement", "Attendance of grade 6 fell by a tenth.",
                              NULL};
        out = cli_ok(coordinator, argv);
        cJSON *j = cJSON_Parse(out);
        if (!h_json_string(j, "id"))
            fail_msg("mcred --json problem submit --learner printed no id: %s", out);
        problem[i] = strdup(h_json_string(j, "id"));
        cJSON_Delete(j);
        free(out);
    }
    /* F, a draft by the CLI, submitted over HTTP */
    {
        const char *argv[] = {"--json",      "problem",
                              "submit",      cohort,
                              "--title",     "Discipline gaps",
                              "--statement", "Referrals fall unevenly.",
                              "--draft",     NULL};
        out = cli_ok(f_token, argv);
        cJSON *j = cJSON_Parse(out);
        if (!h_json_string(j, "id"))
            fail_msg("mcred --json problem submit --draft printed no id: %s", out);
        problem[F] = strdup(h_json_string(j, "id"));
        cJSON_Delete(j);
        free(out);
        if (count_events("problem.submitted", learner_id[F]) != 0)
            fail_msg("a draft made a problem.submitted event");
        char *path = h_strf("/v1/problems/%s", problem[F]);
        h_call(&server, "PATCH", path, f_token, "{\"status\": \"submitted\"}", 200, &r);
        h_response_free(&r);
        free(path);
    }
    /* A's is sent back once, revised, and approved; B's, C's, G's approved; D's never reviewed;
     * F's waits */
    {
        const char *argv[] = {"problem",  "review",     problem[A],
                              "--revise", "--feedback", "Name the data you will collect.",
                              NULL};
        free(cli_ok(grace_token, argv));
        /* Peter is not A's coach */
        const char *approve_argv[] = {"problem", "review", problem[A], "--approve", NULL};
        free(cli_as(peter_token, approve_argv, 4));
        char *path = h_strf("/v1/problems/%s", problem[A]);
        h_call(&server, "PATCH", path, a_token,
               "{\"data_sources\": \"Course enrolment by subgroup\", \"status\": \"submitted\"}",
               200, &r);
        h_response_free(&r);
        free(path);
        const char *ok_argv[] = {"problem",   "review",     problem[A],
                                 "--approve", "--feedback", "Clear and measurable.",
                                 NULL};
        free(cli_ok(grace_token, ok_argv));
    }
    for (size_t k = 0; k < 4; k++) {
        int i = by_coordinator[k];
        if (i == D)
            continue;
        const char *argv[] = {"problem", "review", problem[i], "--approve", NULL};
        free(cli_ok(i < 8 ? grace_token : peter_token, argv));
    }
    {
        const char *argv[] = {"problem", "history", problem[A], NULL};
        out = cli_ok(coordinator, argv);
        expect_in(out, "needs_revision", "mcred problem history");
        expect_in(out, "approved", "mcred problem history");
        expect_in(out, "submitted", "mcred problem history");
        expect_in(out, "Name the data you will collect.", "mcred problem history");
        free(out);
    }
    st = cohort_status();
    {
        struct want wa = {"in_progress", 0, 5, 0, true, "approved", true};
        expect_learner(st, A, &wa, "after the problems");
        struct want wd = {"in_progress", 0, 6, 0, true, "submitted", false};
        expect_learner(st, D, &wd, "after the problems");
        struct want wf = {"in_progress", 0, 6, 0, true, "submitted", false};
        expect_learner(st, F, &wf, "after the problems");
        expect_learner(st, E, &nothing, "after the problems");
    }
    cJSON_Delete(st);

    /* ---- 4. evidence ---- */
    {
        const char *argv[] = {"evidence",
                              "add",
                              cohort,
                              "--title",
                              "Equity audit",
                              "--url",
                              "https://drive.example/audit.pdf",
                              "--indicator",
                              "1.3",
                              NULL};
        free(cli_ok(a_token, argv));
        const char *text_argv[] = {"evidence",
                                   "add",
                                   cohort,
                                   "--learner",
                                   learner_email[B],
                                   "--title",
                                   "Observation notes",
                                   "--text",
                                   "The staff meeting examined discipline data by subgroup.",
                                   NULL};
        free(cli_ok(grace_token, text_argv));
        /* an ftp URL: refused, nothing written */
        char *before = h_org_snapshot_all(&db, org_slug);
        const char *ftp_argv[] = {
            "evidence", "add", cohort, "--title", "Old files", "--url", "ftp://files.example/a.pdf",
            NULL};
        char *err = NULL;
        int rc = h_cli(server.url, a_token, ftp_argv, &out, &err);
        if (rc != 1 && rc != 2)
            fail_msg("mcred evidence add --url ftp://…: exit %d, want 1 (the server's 422) or 2"
                     "\nstdout: %s\nstderr: %s",
                     rc, out, err);
        free(out);
        free(err);
        char *after = h_org_snapshot_all(&db, org_slug);
        if (strcmp(before, after) != 0)
            fail_msg("mcred evidence add with an ftp URL wrote something");
        free(before);
        free(after);
        char *path = h_strf("/v1/cohorts/%s/evidence", cohort);
        cJSON *j = get_json(path, coordinator);
        assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 2);
        cJSON_Delete(j);
        free(path);
    }

    /* ---- 5. scores ---- */
    {
        /* one bad row: the whole file is refused */
        char bad_path[] = "/tmp/mcred-scores.XXXXXX";
        int fd = mkstemp(bad_path);
        if (fd < 0)
            fail_msg("mkstemp");
        char *csv = h_file_read(SCORES, NULL);
        /* the fourth data row gets level 9 */
        char *bad = strdup(csv);
        char *line = bad;
        for (int n = 0; n < 4; n++)
            line = strchr(line, '\n') + 1;
        char *comma = strchr(strchr(line, ',') + 1, ',') + 1; /* the level */
        *comma = '9';
        if (write(fd, bad, strlen(bad)) != (ssize_t)strlen(bad))
            fail_msg("write %s", bad_path);
        close(fd);
        char *before = h_org_snapshot_all(&db, org_slug);
        const char *bad_argv[] = {"score", "import", cohort, bad_path, NULL};
        char *err = NULL;
        int rc = h_cli(server.url, coordinator, bad_argv, &out, &err);
        if (rc != 1)
            fail_msg("mcred score import with a level 9: exit %d, want 1\nstdout: %s\n"
                     "stderr: %s",
                     rc, out, err);
        expect_in_nocase(err, "level", "mcred score import's error for a level 9");
        free(out);
        free(err);
        char *after = h_org_snapshot_all(&db, org_slug);
        if (strcmp(before, after) != 0)
            fail_msg("mcred score import with a bad row wrote something");
        free(before);
        free(after);
        unlink(bad_path);
        free(bad);
        free(csv);
    }
    {
        const char *argv[] = {"score", "import", cohort, SCORES, NULL};
        free(cli_ok(coordinator, argv));
    }
    assert_int_equal(count_events("score.recorded", NULL), N_SCORES);
    assert_int_equal(count_events("credential.eligible", NULL), 1);
    assert_int_equal(count_events("credential.eligible", learner_id[A]), 1);
    st = cohort_status();
    {
        struct want wa = {"eligible", 12, 5, 0, true, "approved", true};
        expect_learner(st, A, &wa, "after the scores");
        const cJSON *ea = entry_of(st, A);
        for (int s = 0; s < 4; s++)
            if (!is_true(cJSON_GetArrayItem(h_json_at(ea, "standards"), s), "met"))
                fail_msg("A is eligible, but standard %d is not met", s + 1);

        struct want wb = {"in_progress", 11, 6, 0, true, "approved", true};
        expect_learner(st, B, &wb, "after the scores");
        const cJSON *eb = entry_of(st, B);
        const cJSON *i12 = indicator_of(eb, "1.2");
        char *text = cJSON_PrintUnformatted(eb);
        if (!i12 || h_json_long(i12, "level") != 2 || is_true(i12, "met"))
            fail_msg("B: indicator 1.2 must be at level 2, not met: %s", text);
        const cJSON *s1 = standard_of(eb, "1");
        if (!s1 || is_true(s1, "met"))
            fail_msg("B: standard 1 must not be met: %s", text);
        for (int s = 2; s <= 4; s++) {
            char code[2] = {(char)('0' + s), '\0'};
            if (!is_true(standard_of(eb, code), "met"))
                fail_msg("B: standard %d must be met: %s", s, text);
        }
        if (!missing_has(eb, "1.2", NULL))
            fail_msg("B: missing does not name indicator 1.2: %s", text);
        if (!missing_has(eb, "standard 1", NULL) &&
            !missing_has(eb, "Identifying and Mitigating Inequities", NULL))
            fail_msg("B: missing does not name standard 1: %s", text);
        if (missing_has(eb, "attendance", NULL) || missing_has(eb, "problem", NULL))
            fail_msg("B: only 1.2 and its standard are missing: %s", text);
        free(text);

        struct want wc = {"in_progress", 12, 4, 1, false, "approved", true};
        expect_learner(st, C, &wc, "after the scores");
        struct want wd = {"in_progress", 12, 6, 0, true, "submitted", false};
        expect_learner(st, D, &wd, "after the scores");
        expect_learner(st, E, &nothing, "after the scores");
        struct want wf = {"in_progress", 12, 6, 0, true, "submitted", false};
        expect_learner(st, F, &wf, "after the scores");
        struct want wg = {"in_progress", 12, 4, 0, false, "approved", true};
        expect_learner(st, G, &wg, "after the scores");
        struct want rest = {"in_progress", 0, 6, 0, true, NULL, false};
        for (int i = 0; i < N_LEARNERS; i++)
            if (!in_story(i))
                expect_status(entry_of(st, i), i, &rest, "after the scores");
    }
    cJSON_Delete(st);

    /* F: eligible when the coach approves */
    {
        const char *argv[] = {"problem",    "review", problem[F], "--approve",
                              "--feedback", "Go.",    NULL};
        free(cli_ok(grace_token, argv));
        cJSON *one = member_status(F, coordinator);
        struct want wf = {"eligible", 12, 6, 0, true, "approved", true};
        expect_status(one, F, &wf, "after F's approval");
        cJSON_Delete(one);
        if (count_events("credential.eligible", learner_id[F]) != 1)
            fail_msg("F became eligible by the approval of the problem: want one "
                     "credential.eligible, got %d",
                     count_events("credential.eligible", learner_id[F]));
    }
    /* G: eligible when the fifth session is recorded */
    {
        char *pair = h_strf("%s=online", learner_email[G]);
        const char *argv[] = {"attendance", "record", session_ids[4], pair, NULL};
        free(cli_ok(peter_token, argv));
        free(pair);
        cJSON *one = member_status(G, coordinator);
        struct want wg = {"eligible", 12, 5, 0, true, "approved", true};
        expect_status(one, G, &wg, "after G's fifth session");
        cJSON_Delete(one);
        if (count_events("credential.eligible", learner_id[G]) != 1)
            fail_msg("G became eligible by attendance: want one credential.eligible, got %d",
                     count_events("credential.eligible", learner_id[G]));
    }

    /* A: 2.3 rescored at 2, then at 3 */
    {
        /* not by Peter, not by A */
        const char *other_argv[] = {"score", cohort, learner_email[A], "2.3", "4", NULL};
        free(cli_as(peter_token, other_argv, 4));
        free(cli_as(a_token, other_argv, 4));

        const char *down_argv[] = {"score",
                                   cohort,
                                   learner_email[A],
                                   "2.3",
                                   "2",
                                   "--feedback",
                                   "The plan stalled in October.",
                                   NULL};
        free(cli_ok(grace_token, down_argv));
        cJSON *one = member_status(A, coordinator);
        struct want wa = {"in_progress", 11, 5, 0, true, "approved", true};
        expect_status(one, A, &wa, "after 2.3 at 2");
        char *text = cJSON_PrintUnformatted(one);
        if (!missing_has(one, "2.3", NULL))
            fail_msg("A: missing does not name 2.3: %s", text);
        if (is_true(standard_of(one, "2"), "met"))
            fail_msg("A: standard 2 is met with 2.3 at 2: %s", text);
        free(text);
        cJSON_Delete(one);
        /* the learner reads her own */
        one = member_status(A, a_token);
        expect_status(one, A, &wa, "after 2.3 at 2, as A");
        cJSON_Delete(one);
        assert_int_equal(count_events("credential.eligible", learner_id[A]), 1);

        const char *up_argv[] = {"score", cohort, learner_email[A], "2.3", "3", NULL};
        free(cli_ok(grace_token, up_argv));
        one = member_status(A, coordinator);
        struct want back = {"eligible", 12, 5, 0, true, "approved", true};
        expect_status(one, A, &back, "after 2.3 back at 3");
        cJSON_Delete(one);
        if (count_events("credential.eligible", learner_id[A]) != 2)
            fail_msg("A moved to eligible twice: want two credential.eligible, got %d",
                     count_events("credential.eligible", learner_id[A]));
        /* the history of 2.3 keeps all three */
        char *path = h_strf("/v1/cohorts/%s/scores?learner=%s&history=true", cohort, learner_id[A]);
        cJSON *j = get_json(path, coordinator);
        int n = 0;
        const cJSON *s;
        cJSON_ArrayForEach(s, h_json_at(j, "items"))
        {
            const char *code = h_json_string(s, "indicator");
            n += code && strcmp(code, "2.3") == 0;
        }
        assert_int_equal(n, 3);
        assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 14);
        cJSON_Delete(j);
        free(path);
    }

    /* ---- the end: the whole cohort, by the API and the CLI ---- */
    st = cohort_status();
    {
        static const struct {
            int learner;
            const char *status;
        } final[] = {{A, "eligible"},    {B, "in_progress"}, {C, "in_progress"}, {D, "in_progress"},
                     {E, "not_started"}, {F, "eligible"},    {G, "eligible"}};
        for (size_t k = 0; k < sizeof final / sizeof final[0]; k++) {
            const char *got = h_json_string(entry_of(st, final[k].learner), "status");
            if (!got || strcmp(got, final[k].status) != 0)
                fail_msg("at the end %s is %s, want %s", learner_email[final[k].learner],
                         got ? got : "?", final[k].status);
        }
    }
    {
        const char *argv[] = {"status", cohort, NULL};
        out = cli_ok(coordinator, argv);
        for (int i = 0; i < N_LEARNERS; i++)
            expect_in(out, learner_email[i], "mcred status");
        expect_in(out, "eligible", "mcred status");
        expect_in(out, "in_progress", "mcred status");
        expect_in(out, "not_started", "mcred status");
        /* each learner's line carries their status */
        for (int i = 0; i < N_LEARNERS; i++) {
            const char *want = h_json_string(entry_of(st, i), "status");
            const char *at = strstr(out, learner_email[i]);
            const char *eol = strchr(at, '\n');
            char *line = strndup(at, eol ? (size_t)(eol - at) : strlen(at));
            /* "in_progress" must not be read in "not_started" or the other way round */
            if (!strstr(line, want))
                fail_msg("mcred status: %s's line does not show %s: %s", learner_email[i], want,
                         line);
            /* and the problem's state, and C's attendance short of the minimum */
            const char *pstate = i == A || i == B || i == C || i == F || i == G ? "approved"
                                 : i == D                                       ? "submitted"
                                                                                : NULL;
            if (pstate && !strstr(line, pstate))
                fail_msg("mcred status: %s's line does not show the problem %s: %s",
                         learner_email[i], pstate, line);
            if (i == C && !strstr(line, "4"))
                fail_msg("mcred status: %s's line does not show 4 sessions attended: %s",
                         learner_email[i], line);
            free(line);
        }
        free(out);

        const char *json_argv[] = {"--json", "status", cohort, NULL};
        out = cli_ok(coordinator, json_argv);
        cJSON *j = cJSON_Parse(out);
        if (!j)
            fail_msg("mcred --json status printed no JSON: %s", out);
        /* the same as the API says */
        const cJSON *learners = h_json_at(j, "learners");
        if (!learners)
            learners = h_json_at(j, "items");
        if (cJSON_GetArraySize(learners) != N_LEARNERS)
            fail_msg("mcred --json status: want %d learners: %s", N_LEARNERS, out);
        for (int i = 0; i < N_LEARNERS; i++) {
            const cJSON *mine = cJSON_GetArrayItem(learners, i);
            const cJSON *api = cJSON_GetArrayItem(h_json_at(st, "learners"), i);
            char where[256];
            if (!h_json_contains(mine, api, where, sizeof where))
                fail_msg("mcred --json status differs from GET %s at learners[%d].%s", status_path,
                         i, where);
        }
        cJSON_Delete(j);
        free(out);

        const char *b_argv[] = {"status", cohort, learner_email[B], NULL};
        out = cli_ok(coordinator, b_argv);
        expect_in(out, "in_progress", "mcred status COHORT tom");
        expect_in(out, "1.2", "mcred status COHORT tom");
        expect_in_nocase(out, "Emerging", "mcred status COHORT tom");
        expect_in(out, "Identifying and Mitigating Inequities", "mcred status COHORT tom");
        free(out);
        const char *c_argv[] = {"status", cohort, learner_email[C], NULL};
        out = cli_ok(coordinator, c_argv);
        expect_in(out, "in_progress", "mcred status COHORT rosa");
        expect_in_nocase(out, "attendance", "mcred status COHORT rosa");
        free(out);
        const char *d_argv[] = {"status", cohort, learner_email[D], NULL};
        out = cli_ok(coordinator, d_argv);
        expect_in_nocase(out, "problem", "mcred status COHORT daniel");
        expect_in(out, "submitted", "mcred status COHORT daniel");
        free(out);
        const char *a_argv[] = {"status", cohort, learner_email[A], NULL};
        out = cli_ok(coordinator, a_argv);
        expect_in(out, "eligible", "mcred status COHORT aisha");
        free(out);
        const char *e_argv[] = {"status", cohort, learner_email[E], NULL};
        out = cli_ok(coordinator, e_argv);
        expect_in(out, "not_started", "mcred status COHORT fatima");
        free(out);
        /* a learner: her own (by id), not the cohort's */
        const char *own_argv[] = {"status", cohort, learner_id[A], NULL};
        out = cli_ok(a_token, own_argv);
        expect_in(out, "eligible", "mcred status COHORT <own id> as the learner");
        free(out);
        /* without PERSON a learner gets their own status, not a refusal of the cohort's */
        const char *grid_argv[] = {"status", cohort, NULL};
        out = cli_ok(a_token, grid_argv);
        expect_in(out, learner_email[A], "mcred status COHORT as the learner");
        if (strstr(out, learner_email[B]))
            fail_msg("mcred status COHORT as a learner shows another learner:\n%s", out);
        free(out);
        /* a coach sees the cohort */
        out = cli_ok(grace_token, grid_argv);
        expect_in(out, learner_email[A], "mcred status as a coach");
        free(out);
    }
    cJSON_Delete(st);

    /* ---- the events ---- */
    {
        /* problem.submitted: A twice, B, C, D, G, F */
        cJSON *list = events("problem.submitted");
        assert_int_equal(cJSON_GetArraySize(list), 7);
        const cJSON *e;
        cJSON_ArrayForEach(e, list)
        {
            const char *c = h_json_string(e, "cohort");
            const char *s = h_json_string(e, "status");
            if (!c || strcmp(c, cohort) != 0 || !s || strcmp(s, "submitted") != 0 ||
                !h_json_string(e, "problem") || !h_json_string(e, "learner") ||
                !cJSON_IsNumber(h_json_at(e, "version")))
                fail_msg("problem.submitted: %s", cJSON_PrintUnformatted(e));
        }
        cJSON_Delete(list);
        assert_int_equal(count_events("problem.submitted", learner_id[A]), 2);
        assert_int_equal(count_events("problem.submitted", learner_id[D]), 1);
        /* problem.reviewed: A twice, B, C, G, F */
        list = events("problem.reviewed");
        assert_int_equal(cJSON_GetArraySize(list), 6);
        const char *first = h_json_string(list, "[0].status");
        if (!first || strcmp(first, "needs_revision") != 0 ||
            strcmp(h_json_string(list, "[0].feedback"), "Name the data you will collect.") != 0 ||
            strcmp(h_json_string(list, "[0].problem"), problem[A]) != 0)
            fail_msg("the first problem.reviewed: %s", cJSON_PrintUnformatted(list));
        cJSON_Delete(list);
        assert_int_equal(count_events("problem.reviewed", learner_id[D]), 0);

        list = events("evidence.submitted");
        assert_int_equal(cJSON_GetArraySize(list), 2);
        if (strcmp(h_json_string(list, "[0].learner"), learner_id[A]) != 0 ||
            strcmp(h_json_string(list, "[0].indicator"), "1.3") != 0 ||
            strcmp(h_json_string(list, "[0].title"), "Equity audit") != 0 ||
            strcmp(h_json_string(list, "[1].learner"), learner_id[B]) != 0 ||
            !cJSON_IsNull(h_json_at(list, "[1].indicator")))
            fail_msg("evidence.submitted: %s", cJSON_PrintUnformatted(list));
        cJSON_Delete(list);

        list = events("score.recorded");
        assert_int_equal(cJSON_GetArraySize(list), N_SCORES + 2);
        cJSON_ArrayForEach(e, list)
        {
            const char *c = h_json_string(e, "cohort");
            if (!c || strcmp(c, cohort) != 0 || !h_json_string(e, "score") ||
                !h_json_string(e, "learner") || !h_json_string(e, "indicator") ||
                !cJSON_IsNumber(h_json_at(e, "level")) || !h_json_string(e, "coach"))
                fail_msg("score.recorded: %s", cJSON_PrintUnformatted(e));
        }
        cJSON_Delete(list);
        assert_int_equal(count_events("score.recorded", learner_id[E]), 0);

        /* credential.eligible: A, F, G, A — once per move */
        list = events("credential.eligible");
        static const int order[4] = {A, F, G, A};
        if (cJSON_GetArraySize(list) != 4)
            fail_msg("want 4 credential.eligible events (A, F, G, A): %s",
                     cJSON_PrintUnformatted(list));
        for (int k = 0; k < 4; k++) {
            e = cJSON_GetArrayItem(list, k);
            const char *c = h_json_string(e, "cohort"), *l = h_json_string(e, "learner");
            const char *m = h_json_string(e, "email"), *cr = h_json_string(e, "credential");
            if (!c || strcmp(c, cohort) != 0 || !l || strcmp(l, learner_id[order[k]]) != 0 || !m ||
                strcmp(m, learner_email[order[k]]) != 0 || !cr || strcmp(cr, credential) != 0)
                fail_msg("credential.eligible %d: %s; want learner %s", k,
                         cJSON_PrintUnformatted(e), learner_email[order[k]]);
        }
        cJSON_Delete(list);
    }
    for (int i = 0; i < N_LEARNERS; i++)
        free(problem[i]);
    free(problems_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assessment),
    };
    return h_run_tests(tests, setup, teardown);
}
