/*
 * test_awards.c — awards as signed Open Badges 3.0 credentials, end to end
 * against the real server and the real PostgreSQL, checked by verifiers
 * that are not ours (tests/verifiers: Ajv, Digital Bazaar's vc and
 * eddsa-rdfc-2022, jose).
 *
 * One organisation, one custom credential unlike the seed ("Badge"; five
 * rubric levels Novice … Master; three standards, five indicators; the
 * rule: every indicator at level 4 (Expert), two weekly sessions attended,
 * the problem of practice approved), one cohort with three past weekly
 * sessions, a coach and three learners:
 *   ana  — scored, attended twice, problem approved: eligible;
 *   ben  — short on everything: two scores, one session, no problem;
 *   cara — eligible but one indicator, scored later for the bulk award.
 *
 * The tests run in order on that one world:
 *   1. not eligible: 409 naming what is missing, nothing written;
 *   2. award: 201, the document against the OB 3.0 schema and the
 *      credential's own rubric, standards and rule, no plain e-mail; again
 *      200 with the same id, one event and one audit row;
 *   3. the proof and the VC-JWT verify independently; one byte changed
 *      makes each fail;
 *   4. all_eligible awards cara and reports ana and ben;
 *   5. a learner's view: their own awards only, no awarding;
 *   6. the issuer profile, the JWKS and the kid URL;
 *   7. revocation: 200, then 409; the list, the event, the public page;
 *   8. pg_dump holds no private key in clear;
 *   9. the CLI (skipped until `mcred verify` exists).
 *
 * The verifiers need `npm ci` in tests/verifiers (scripts/test does it):
 * without node_modules the test fails saying so.  Every request and every
 * verifier goes to the test server on 127.0.0.1 only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"

#define VERIFIERS   MCRED_SOURCE_DIR "/tests/verifiers"
#define VC_FIXTURES MCRED_SOURCE_DIR "/tests/fixtures/vc"
#define OB_SCHEMA   VC_FIXTURES "/ob_v3p0_achievementcredential_schema.json"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;
static char workdir[PATH_MAX];

static const char *const org = "awards";
static char *admin, *coordinator, *leader, *coach;
static char *credential, *cohort;
static char *ana_id, *ben_id, *cara_id;
static char *ana_token;
static char *ana_award, *cara_award; /* award ids, once awarded */
static char *ana_doc_text, *ana_jwt; /* as the server answered */

#define ANA  "Ana.Lima@awards.example"
#define BEN  "ben.okafor@awards.example"
#define CARA "cara.nguyen@awards.example"

/* The custom credential: nothing like the seed's four levels and twelve indicators. */
static const char *const labels[5] = {"Novice", "Apprentice", "Practitioner", "Expert", "Master"};
static const char *const standard_codes[3] = {"DL-A", "DL-B", "DL-C"};
static const char *const standard_titles[3] = {"Collecting evidence", "Acting on evidence",
                                               "Equity & access"};
static const char *const indicator_codes[5] = {"DL-A.1", "DL-A.2", "DL-B.1", "DL-C.1", "DL-C.2"};
static const int ana_levels[5] = {5, 4, 4, 5, 4};

static const char framework[] =
    "{\"slug\": \"data-leadership\", \"version\": 1, \"title\": \"School Data Leadership\","
    " \"description\": \"Leads a school's use of evidence for equitable decisions.\","
    " \"achievement_type\": \"Badge\","
    " \"rubric\": [{\"level\": 1, \"label\": \"Novice\"}, {\"level\": 2, \"label\": "
    "\"Apprentice\"},"
    "  {\"level\": 3, \"label\": \"Practitioner\"}, {\"level\": 4, \"label\": \"Expert\"},"
    "  {\"level\": 5, \"label\": \"Master\"}],"
    " \"award_rule\": {\"min_level\": 4, \"min_weekly_attendance\": 2,"
    "  \"problem_of_practice_required\": true, \"weekly_sessions\": 3},"
    " \"standards\": ["
    "  {\"code\": \"DL-A\", \"title\": \"Collecting evidence\", \"description\": \"Gathers it.\","
    "   \"indicators\": [{\"code\": \"DL-A.1\", \"text\": \"Chooses measures that matter\"},"
    "                    {\"code\": \"DL-A.2\", \"text\": \"Checks the data's quality\"}]},"
    "  {\"code\": \"DL-B\", \"title\": \"Acting on evidence\","
    "   \"indicators\": [{\"code\": \"DL-B.1\", \"text\": \"Turns findings into plans\"}]},"
    "  {\"code\": \"DL-C\", \"title\": \"Equity & access\","
    "   \"indicators\": [{\"code\": \"DL-C.1\", \"text\": \"Disaggregates results\"},"
    "                    {\"code\": \"DL-C.2\", \"text\": \"Closes gaps it finds\"}]}]}";

/* ---- small helpers ---- */

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

static long count_of(char *sql)
{
    long n = h_db_long_super(&db, sql);
    free(sql);
    return n;
}

static char *query_of(char *sql)
{
    char *v = h_db_query_super(&db, sql);
    free(sql);
    return v;
}

static char *path_in(const char *dir, const char *name)
{
    return h_strf("%s/%s", dir, name);
}

static void file_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f || fputs(text, f) == EOF || fclose(f) != 0)
        fail_msg("could not write %s: %s", path, strerror(errno));
}

/* Run argv (argv[0] looked up in PATH) with stdout and stderr into *out; the exit status. */
static int run(const char *const *argv, char **out)
{
    char *log = path_in(workdir, "run.log");
    pid_t pid = fork();
    if (pid < 0)
        fail_msg("fork: %s", strerror(errno));
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int devnull = open("/dev/null", O_RDONLY);
        if (fd < 0 || devnull < 0)
            _exit(126);
        dup2(devnull, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            fail_msg("waitpid: %s", strerror(errno));
    char *text = h_file_read(log, NULL);
    unlink(log);
    free(log);
    if (out)
        *out = text;
    else
        free(text);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A verifier script's run must end with `want`; else fail with what it printed. */
static void node_expect(const char *const *argv, int want, const char *what)
{
    char *out = NULL;
    int st = run(argv, &out);
    if (st != want)
        fail_msg("%s: node %s exited %d, want %d; it printed:\n%.4000s", what, argv[1], st, want,
                 out);
    free(out);
}

static void validate_schema(const char *file, int want, const char *what)
{
    const char *argv[] = {"node", VERIFIERS "/validate-schema.mjs", OB_SCHEMA, file, NULL};
    node_expect(argv, want, what);
}

static void verify_di(const char *file, int want, const char *what)
{
    const char *argv[] = {"node",      VERIFIERS "/verify-di.mjs",
                          file,        "--contexts",
                          VC_FIXTURES, "--fetch-base",
                          server.url,  NULL};
    node_expect(argv, want, what);
}

static void verify_jwt(const char *file, const char *jwks, int want, const char *what)
{
    const char *argv[] = {"node", VERIFIERS "/verify-jwt.mjs", file, "--jwks", jwks, NULL};
    node_expect(argv, want, what);
}

/* The verifiers are part of this test: without them it fails, it does not skip. */
static void verifiers_present(void)
{
    struct stat st;
    if (stat(VERIFIERS "/node_modules/@digitalbazaar/vc", &st) != 0 ||
        stat(VERIFIERS "/node_modules/jose", &st) != 0 ||
        stat(VERIFIERS "/node_modules/ajv", &st) != 0)
        h_fail("the independent verifiers are not installed: run `npm ci --no-audit --no-fund` in "
               "%s (scripts/test installs them: mcred_install_verifiers in scripts/lib.sh)",
               VERIFIERS);
    const char *argv[] = {"node", "--version", NULL};
    if (run(argv, NULL) != 0)
        h_fail("node is not on PATH: the verifiers in %s need it (scripts/test installs it)",
               VERIFIERS);
}

/* strcasestr, which C17 and POSIX do not have */
static const char *find_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; p && *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return p;
    return NULL;
}

static bool contains_nocase(const char *hay, const char *needle)
{
    return find_nocase(hay, needle) != NULL;
}

/* A JWT segment decoded (malloc'd, NUL-terminated). */
static char *b64url_decode(const char *seg, size_t len)
{
    char *bin = malloc(len + 1);
    size_t n = 0;
    if (!bin || sodium_base642bin((unsigned char *)bin, len, seg, len, NULL, &n, NULL,
                                  sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        fail_msg("not base64url: %.*s", (int)len, seg);
    bin[n] = '\0';
    return bin;
}

/* Segment i (0 header, 1 payload) of a compact JWT, decoded and parsed. */
static cJSON *jwt_part(const char *jwt, int i)
{
    const char *dot1 = strchr(jwt, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot1 || !dot2 || strchr(dot2 + 1, '.'))
        fail_msg("not a compact JWS of three parts: %.200s", jwt);
    const char *start = i == 0 ? jwt : dot1 + 1;
    size_t len = (size_t)((i == 0 ? dot1 : dot2) - start);
    char *text = b64url_decode(start, len);
    cJSON *j = cJSON_Parse(text);
    if (!j)
        fail_msg("JWT part %d is not JSON: %s", i, text);
    free(text);
    return j;
}

static const char *after_last_slash(const char *s)
{
    const char *p = strrchr(s, '/');
    return p ? p + 1 : s;
}

/* The award id a credential's id names ({base}/credentials/{award}). */
static char *award_of(const cJSON *doc)
{
    const char *id = h_json_string(doc, "id");
    assert_non_null(id);
    return strdup(after_last_slash(id));
}

static long events_of(const char *type, const char *award)
{
    cJSON *list = h_org_events(&db, org, type);
    long n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        const char *a = h_json_string(e, "award");
        n += !award || (a && strcmp(a, award) == 0);
    }
    cJSON_Delete(list);
    return n;
}

static const char *member_status(const char *person)
{
    static char status[32];
    char *path = h_strf("/v1/cohorts/%s/members/%s/status", cohort, person);
    cJSON *j = call("GET", path, coordinator, NULL, 200);
    snprintf(status, sizeof status, "%s",
             h_json_string(j, "status") ? h_json_string(j, "status") : "(none)");
    cJSON_Delete(j);
    free(path);
    return status;
}

static void score(const char *learner, const char *indicator, int level)
{
    char *path = h_strf("/v1/cohorts/%s/scores", cohort);
    char *body = h_strf("{\"learner\": \"%s\", \"indicator\": \"%s\", \"level\": %d}", learner,
                        indicator, level);
    cJSON_Delete(call("POST", path, coach, body, 201));
    free(body);
    free(path);
}

static void attend(const char *session, const char *records)
{
    char *path = h_strf("/v1/sessions/%s/attendance", session);
    char *body = h_strf("{\"attendance\": [%s]}", records);
    cJSON_Delete(call("PUT", path, coach, body, 200));
    free(body);
    free(path);
}

static void problem_approved(const char *learner)
{
    char *path = h_strf("/v1/cohorts/%s/problems", cohort);
    char *body = h_strf("{\"learner\": \"%s\", \"title\": \"Chronic absence in grade 9\","
                        " \"statement\": \"Attendance drops after October.\", \"submit\": true}",
                        learner);
    cJSON *j = call("POST", path, coordinator, body, 201);
    char *review = h_strf("/v1/problems/%s/review", h_json_string(j, "id"));
    cJSON_Delete(call("POST", review, coach, "{\"decision\": \"approved\"}", 200));
    cJSON_Delete(j);
    free(review);
    free(body);
    free(path);
}

/* ---- the world ---- */

static int setup(void **state)
{
    (void)state;
    verifiers_present();
    snprintf(workdir, sizeof workdir, "/tmp/mcred-awards.XXXXXX");
    if (!mkdtemp(workdir))
        h_fail("mkdtemp: %s", strerror(errno));
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org, "admin@awards.example");
    char *id = h_person(&server, admin, "coord@awards.example", "Coordinator", "coordinator");
    coordinator = h_token_for(&server, admin, id);
    free(id);
    id = h_person(&server, admin, "leader@awards.example", "Leader", "leader");
    leader = h_token_for(&server, admin, id);
    free(id);
    id = h_person(&server, coordinator, "coach@awards.example", "Coach Diaz", NULL);
    coach = h_token_for(&server, admin, id);
    free(id);
    ana_id = h_person(&server, coordinator, ANA, "Ana Lima", NULL);
    ben_id = h_person(&server, coordinator, BEN, "Ben Okafor", NULL);
    cara_id = h_person(&server, coordinator, CARA, "Cara Nguyen", NULL);
    ana_token = h_token_for(&server, admin, ana_id);

    cJSON *j = call("POST", "/v1/credentials", coordinator, framework, 201);
    credential = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    char *path = h_strf("/v1/credentials/%s/publish", credential);
    cJSON_Delete(call("POST", path, coordinator, NULL, 200));
    free(path);

    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Data Leaders 2025\","
                        " \"starts_on\": \"2025-01-06\", \"ends_on\": \"2030-06-30\","
                        " \"timezone\": \"UTC\", \"capacity\": 20}",
                        credential);
    j = call("POST", "/v1/cohorts", coordinator, body, 201);
    cohort = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    path = h_strf("/v1/cohorts/%s/members", cohort);
    cJSON_Delete(call("POST", path, coordinator,
                      "{\"members\": [{\"email\": \"coach@awards.example\", \"role\": \"coach\"},"
                      " {\"email\": \"" ANA "\", \"coach\": \"coach@awards.example\"},"
                      " {\"email\": \"" BEN "\", \"coach\": \"coach@awards.example\"},"
                      " {\"email\": \"" CARA "\", \"coach\": \"coach@awards.example\"}]}",
                      201));
    free(path);

    /* three weekly sessions, all in the past: they take attendance */
    path = h_strf("/v1/cohorts/%s/sessions", cohort);
    j = call("POST", path, coordinator,
             "{\"weekly\": {\"first\": \"2025-01-07T17:00\", \"count\": 3}}", 201);
    free(path);
    if (cJSON_GetArraySize(h_json_at(j, "items")) != 3)
        fail_msg("want three sessions");
    char *s1 = strdup(h_json_string(j, "items[0].id")),
         *s2 = strdup(h_json_string(j, "items[1].id"));
    char *s3 = strdup(h_json_string(j, "items[2].id"));
    cJSON_Delete(j);
    attend(s1, "{\"email\": \"" ANA "\", \"mode\": \"online\"}, {\"email\": \"" BEN
               "\", \"mode\": \"in_person\"}, {\"email\": \"" CARA "\", \"mode\": \"online\"}");
    attend(s2, "{\"email\": \"" ANA "\", \"mode\": \"in_person\"}, {\"email\": \"" BEN
               "\", \"mode\": \"absent\"}, {\"email\": \"" CARA "\", \"mode\": \"asynchronous\"}");
    attend(s3, "{\"email\": \"" BEN "\", \"mode\": \"excused\"}");
    free(s1);
    free(s2);
    free(s3);

    problem_approved(ANA);
    problem_approved(CARA);

    for (int i = 0; i < 5; i++)
        score(ANA, indicator_codes[i], ana_levels[i]);
    score(BEN, "DL-A.1", 4);
    score(BEN, "DL-A.2", 2);
    for (int i = 0; i < 4; i++) /* all but DL-C.2 */
        score(CARA, indicator_codes[i], 4);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    char *files[] = {admin,  coordinator, leader,    coach,     credential, cohort,       ana_id,
                     ben_id, cara_id,     ana_token, ana_award, cara_award, ana_doc_text, ana_jwt};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        free(files[i]);
    char *cmd = h_strf("rm -rf '%s'", workdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", workdir);
    free(cmd);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* ---- 1. not eligible ---- */

static void test_not_eligible_writes_nothing(void **state)
{
    (void)state;
    assert_string_equal(member_status(ana_id), "eligible");
    assert_string_equal(member_status(ben_id), "in_progress");
    char *before = h_org_snapshot_all(&db, org);
    char *path = h_strf("/v1/cohorts/%s/members/%s/award", cohort, BEN);
    cJSON *j = call("POST", path, coordinator, NULL, 409);
    const char *message = h_json_string(j, "error.message");
    /* what is missing, in the credential's own terms */
    const char *const want[] = {"not eligible",
                                "indicator DL-A.2 is at level 2, needs 4",
                                "indicator DL-B.1 has no score",
                                "indicator DL-C.2 has no score",
                                "weekly attendance 1 of the 2 needed",
                                "problem of practice is not approved",
                                NULL};
    for (const char *const *w = want; *w; w++)
        if (!message || !strstr(message, *w))
            fail_msg("409 for ben: the message does not say \"%s\": %s", *w,
                     cJSON_PrintUnformatted(j));
    cJSON_Delete(j);
    /* by id too; and a person who is no learner of the cohort is 404 */
    free(path);
    path = h_strf("/v1/cohorts/%s/members/%s/award", cohort, ben_id);
    cJSON_Delete(call("POST", path, coordinator, NULL, 409));
    free(path);
    path = h_strf("/v1/cohorts/%s/members/%s/award", cohort, "coach@awards.example");
    cJSON_Delete(call("POST", path, coordinator, NULL, 404));
    free(path);

    char *after = h_org_snapshot_all(&db, org);
    if (strcmp(before, after) != 0)
        fail_msg("refused awards wrote something:\nbefore %s\nafter  %s", before, after);
    assert_int_equal(count_of(strdup("SELECT count(*) FROM mcred.awards")), 0);
    assert_int_equal(events_of("credential.awarded", NULL), 0);
    /* nothing to sign with was made for a refusal either */
    assert_int_equal(count_of(strdup("SELECT count(*) FROM mcred.signing_keys")), 0);
    free(before);
    free(after);
}

/* ---- 2. the award and its document ---- */

static const cJSON *array_at(const cJSON *root, const char *path, int n)
{
    const cJSON *a = h_json_at(root, path);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        fail_msg("%s: want an array of %d, got %s", path, n,
                 a ? cJSON_PrintUnformatted(a) : "nothing");
    return a;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = s ? strlen(s) : 0, t = strlen(tail);
    return s && n >= t && strcmp(s + n - t, tail) == 0;
}

/* The achievement is the custom credential's: its type, standards, indicators, rubric, rule. */
static void expect_achievement(const cJSON *doc)
{
    const cJSON *a = h_json_at(doc, "credentialSubject.achievement");
    char *url = h_strf("%s/achievements/%s", server.url, credential);
    assert_string_equal(h_json_string(a, "id"), url);
    assert_string_equal(h_json_string(a, "type[0]"), "Achievement");
    assert_string_equal(h_json_string(a, "achievementType"), "Badge");
    assert_string_equal(h_json_string(a, "name"), "School Data Leadership");
    const char *narrative = h_json_string(a, "criteria.narrative");
    if (!narrative || !strstr(narrative, "level 4 (Expert)") ||
        !strstr(narrative, "at least 2 weekly sessions") ||
        !strstr(narrative, "problem of practice"))
        fail_msg("criteria.narrative does not state the credential's rule: %s",
                 narrative ? narrative : "(none)");
    /* one alignment per standard, in order */
    const cJSON *al = array_at(a, "alignment", 3);
    for (int i = 0; i < 3; i++) {
        const cJSON *x = cJSON_GetArrayItem(al, i);
        assert_string_equal(h_json_string(x, "type[0]"), "Alignment");
        assert_string_equal(h_json_string(x, "targetCode"), standard_codes[i]);
        assert_string_equal(h_json_string(x, "targetName"), standard_titles[i]);
        char *target = h_strf("%s#standard-%s", url, standard_codes[i]);
        assert_string_equal(h_json_string(x, "targetUrl"), target);
        free(target);
    }
    /* one RubricCriterion per indicator, the five custom levels each */
    const cJSON *rd = array_at(a, "resultDescription", 5);
    for (int i = 0; i < 5; i++) {
        const cJSON *x = cJSON_GetArrayItem(rd, i);
        char *id = h_strf("%s#indicator-%s", url, indicator_codes[i]);
        assert_string_equal(h_json_string(x, "id"), id);
        assert_string_equal(h_json_string(x, "type[0]"), "ResultDescription");
        assert_string_equal(h_json_string(x, "resultType"), "RubricCriterion");
        assert_true(
            strncmp(h_json_string(x, "name"), indicator_codes[i], strlen(indicator_codes[i])) == 0);
        assert_true(ends_with(h_json_string(x, "requiredLevel"), "-level-4"));
        const cJSON *levels = array_at(x, "rubricCriterionLevel", 5);
        for (int l = 0; l < 5; l++) {
            const cJSON *lv = cJSON_GetArrayItem(levels, l);
            char number[4];
            snprintf(number, sizeof number, "%d", l + 1);
            assert_string_equal(h_json_string(lv, "type[0]"), "RubricCriterionLevel");
            assert_string_equal(h_json_string(lv, "name"), labels[l]);
            assert_string_equal(h_json_string(lv, "level"), number);
        }
        char *required = h_strf("%s-level-4", id);
        assert_string_equal(h_json_string(x, "requiredLevel"), required);
        free(required);
        free(id);
    }
    free(url);
}

/* The results give ana's levels, indicator by indicator. */
static void expect_results(const cJSON *doc, const int *levels)
{
    const cJSON *results = array_at(doc, "credentialSubject.result", 5);
    for (int i = 0; i < 5; i++) {
        const cJSON *x = cJSON_GetArrayItem(results, i);
        char *rd =
            h_strf("%s/achievements/%s#indicator-%s", server.url, credential, indicator_codes[i]);
        char *achieved = h_strf("%s-level-%d", rd, levels[i]);
        assert_string_equal(h_json_string(x, "type[0]"), "Result");
        assert_string_equal(h_json_string(x, "resultDescription"), rd);
        assert_string_equal(h_json_string(x, "achievedLevel"), achieved);
        assert_string_equal(h_json_string(x, "value"), labels[levels[i] - 1]);
        free(rd);
        free(achieved);
    }
}

/* The subject is a salted SHA-256 of the lower-cased address; the address itself nowhere. */
static void expect_identity(const cJSON *doc, const char *text, const char *email)
{
    const cJSON *idn = array_at(doc, "credentialSubject.identifier", 1);
    const cJSON *x = cJSON_GetArrayItem(idn, 0);
    assert_string_equal(h_json_string(x, "type"), "IdentityObject");
    assert_string_equal(h_json_string(x, "identityType"), "emailAddress");
    assert_true(cJSON_IsTrue(h_json_at(x, "hashed")));
    const char *salt = h_json_string(x, "salt"), *hash = h_json_string(x, "identityHash");
    assert_non_null(salt);
    assert_non_null(hash);
    char lower[128];
    size_t n = strlen(email);
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)(email[i] >= 'A' && email[i] <= 'Z' ? email[i] + 32 : email[i]);
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)lower, n);
    crypto_hash_sha256_update(&st, (const unsigned char *)salt, strlen(salt));
    crypto_hash_sha256_final(&st, digest);
    char want[7 + 2 * sizeof digest + 1] = "sha256$";
    sodium_bin2hex(want + 7, sizeof want - 7, digest, sizeof digest);
    assert_string_equal(hash, want);
    if (contains_nocase(text, email))
        fail_msg("the credential holds the plain e-mail %s", email);
    char local[64];
    snprintf(local, sizeof local, "%.*s", (int)(strchr(email, '@') - email), email);
    if (contains_nocase(text, local))
        fail_msg("the credential holds the e-mail's local part %s", local);
}

static void test_award_document(void **state)
{
    (void)state;
    char *path = h_strf("/v1/cohorts/%s/members/%s/award", cohort, ANA);
    struct h_response r;
    h_call(&server, "POST", path, coordinator, NULL, 201, &r);
    cJSON *doc = r.json;
    r.json = NULL;
    ana_doc_text = strdup(r.body);
    h_response_free(&r);

    /* the award recorded, once, with its id in the document's */
    ana_award = award_of(doc);
    char *sql = h_strf("SELECT count(*) FROM mcred.awards WHERE id = '%s' AND learner_id = '%s'"
                       " AND status = 'awarded'",
                       ana_award, ana_id);
    assert_int_equal(count_of(sql), 1);
    char *url = h_strf("%s/credentials/%s", server.url, ana_award);
    assert_string_equal(h_json_string(doc, "id"), url);
    free(url);

    /* valid against the OB 3.0 AchievementCredential schema, by Ajv */
    char *file = path_in(workdir, "ana.json");
    file_write(file, ana_doc_text);
    validate_schema(file, 0, "the award against the OB 3.0 schema");
    free(file);

    /* the shape the issue asks for */
    assert_string_equal(h_json_string(doc, "@context[0]"), "https://www.w3.org/ns/credentials/v2");
    assert_string_equal(h_json_string(doc, "@context[1]"),
                        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
    assert_string_equal(h_json_string(doc, "type[0]"), "VerifiableCredential");
    assert_string_equal(h_json_string(doc, "type[1]"), "OpenBadgeCredential");
    char *issuer = h_strf("%s/issuers/%s", server.url, org);
    assert_string_equal(h_json_string(doc, "issuer.id"), issuer);
    assert_string_equal(h_json_string(doc, "issuer.type[0]"), "Profile");
    assert_non_null(h_json_string(doc, "issuer.name"));
    const char *valid_from = h_json_string(doc, "validFrom");
    /* RFC 3339 with a zone: YYYY-MM-DDThh:mm:ss then Z or ±hh:mm */
    assert_true(valid_from && strlen(valid_from) > 19 && valid_from[10] == 'T' &&
                (ends_with(valid_from, "Z") || strchr(valid_from + 19, '+') ||
                 strchr(valid_from + 19, '-')));
    assert_string_equal(h_json_string(doc, "awardedDate"), valid_from);
    assert_non_null(h_json_string(doc, "awardedDate"));
    assert_string_equal(h_json_string(doc, "credentialSubject.type[0]"), "AchievementSubject");
    expect_achievement(doc);
    expect_results(doc, ana_levels);
    expect_identity(doc, ana_doc_text, ANA);
    char *status = h_strf("%s/revocations", issuer);
    assert_string_equal(h_json_string(doc, "credentialStatus.type"), "1EdTechRevocationList");
    assert_string_equal(h_json_string(doc, "credentialStatus.id"), status);
    free(status);
    /* the proof: an array of one eddsa-rdfc-2022 DataIntegrityProof by the issuer's key */
    array_at(doc, "proof", 1);
    assert_string_equal(h_json_string(doc, "proof[0].type"), "DataIntegrityProof");
    assert_string_equal(h_json_string(doc, "proof[0].cryptosuite"), "eddsa-rdfc-2022");
    assert_string_equal(h_json_string(doc, "proof[0].proofPurpose"), "assertionMethod");
    const char *vm = h_json_string(doc, "proof[0].verificationMethod");
    assert_true(vm && strncmp(vm, issuer, strlen(issuer)) == 0 && vm[strlen(issuer)] == '#');
    assert_true(h_json_string(doc, "proof[0].proofValue")[0] == 'z');
    free(issuer);

    /* read back as issued: the API and the public URL answer the same document */
    char *one = h_strf("/v1/awards/%s", ana_award);
    cJSON *again = call("GET", one, coordinator, NULL, 200);
    assert_true(cJSON_Compare(again, doc, 1));
    cJSON_Delete(again);
    free(one);
    one = h_strf("/credentials/%s", ana_award);
    again = call("GET", one, NULL, NULL, 200);
    assert_true(cJSON_Compare(again, doc, 1));
    cJSON_Delete(again);
    free(one);

    /* the learner's status */
    assert_string_equal(member_status(ana_id), "awarded");

    /* awarding again: 200, the same credential, nothing more written */
    char *before = h_org_snapshot_all(&db, org);
    again = call("POST", path, coordinator, NULL, 200);
    assert_string_equal(h_json_string(again, "id"), h_json_string(doc, "id"));
    assert_true(cJSON_Compare(again, doc, 1));
    cJSON_Delete(again);
    free(path);
    path = h_strf("/v1/cohorts/%s/members/%s/award", cohort, ana_id); /* by id: the same */
    again = call("POST", path, leader, NULL, 200);
    assert_string_equal(h_json_string(again, "id"), h_json_string(doc, "id"));
    cJSON_Delete(again);
    char *after = h_org_snapshot_all(&db, org);
    if (strcmp(before, after) != 0)
        fail_msg("awarding again wrote something:\nbefore %s\nafter  %s", before, after);
    free(before);
    free(after);
    assert_int_equal(events_of("credential.awarded", ana_award), 1);
    assert_int_equal(events_of("credential.awarded", NULL), 1);
    sql = h_strf("SELECT count(*) FROM mcred.audit WHERE action = 'award.create'"
                 " AND entity_id = '%s'",
                 ana_award);
    assert_int_equal(count_of(sql), 1);
    assert_int_equal(count_of(strdup("SELECT count(*) FROM mcred.audit WHERE action ="
                                     " 'award.create'")),
                     1);
    cJSON *events = h_org_events(&db, org, "credential.awarded");
    assert_string_equal(h_json_string(events, "[0].learner"), ana_id);
    assert_string_equal(h_json_string(events, "[0].cohort"), cohort);
    cJSON_Delete(events);
    cJSON_Delete(doc);
    free(path);
}

/* ---- 3. independent verification ---- */

static void test_independent_verifiers(void **state)
{
    (void)state;
    assert_non_null(ana_award);
    char *file = path_in(workdir, "ana.json");
    verify_di(file, 0, "the award's eddsa-rdfc-2022 proof");

    /* one byte of the achievement's name changed: the proof no longer holds */
    cJSON *doc = cJSON_Parse(ana_doc_text);
    cJSON *name =
        (cJSON *)h_json_at(doc, "credentialSubject.achievement.name"); /* "School Data …" */
    assert_true(cJSON_IsString(name) && name->valuestring[0] == 'S');
    name->valuestring[0] = 'T';
    char *tampered_text = cJSON_PrintUnformatted(doc);
    char *tampered = path_in(workdir, "ana-tampered.json");
    file_write(tampered, tampered_text);
    verify_di(tampered, 1, "the award with one byte of the achievement name changed");
    cJSON_Delete(doc);
    free(tampered_text);
    free(tampered);
    free(file);

    /* the VC-JWT */
    char *path = h_strf("/v1/awards/%s?format=jwt", ana_award);
    struct h_response r;
    h_call(&server, "GET", path, coordinator, NULL, 200, &r);
    free(path);
    char *ctype = h_response_header(&r, "Content-Type");
    assert_true(ctype && strncmp(ctype, "application/jwt", 15) == 0);
    free(ctype);
    ana_jwt = strdup(r.body);
    h_response_free(&r);
    cJSON *header = jwt_part(ana_jwt, 0), *payload = jwt_part(ana_jwt, 1);
    assert_string_equal(h_json_string(header, "alg"), "ES256");
    assert_string_equal(h_json_string(header, "typ"), "JWT");
    const char *kid = h_json_string(header, "kid");
    char *kid_base = h_strf("%s/issuers/%s/keys/", server.url, org);
    assert_true(kid && strncmp(kid, kid_base, strlen(kid_base)) == 0);
    free(kid_base);
    cJSON *doc_json = cJSON_Parse(ana_doc_text);
    assert_string_equal(h_json_string(payload, "iss"), h_json_string(doc_json, "issuer.id"));
    assert_string_equal(h_json_string(payload, "jti"), h_json_string(doc_json, "id"));
    assert_string_equal(h_json_string(payload, "sub"),
                        h_json_string(doc_json, "credentialSubject.id"));
    assert_true(cJSON_IsNumber(h_json_at(payload, "nbf")));
    assert_string_equal(h_json_string(payload, "credentialSubject.achievement.name"),
                        "School Data Leadership");
    char *payload_text = cJSON_PrintUnformatted(payload);
    if (contains_nocase(payload_text, ANA))
        fail_msg("the JWT holds the plain e-mail");
    free(payload_text);
    cJSON_Delete(doc_json);

    char *jwt_file = path_in(workdir, "ana.jwt");
    file_write(jwt_file, ana_jwt);
    char *jwks = h_strf("%s/.well-known/jwks.json", server.url);
    verify_jwt(jwt_file, jwks, 0, "the VC-JWT against the JWKS");
    verify_jwt(jwt_file, kid, 0, "the VC-JWT against its kid URL");

    /* one byte of the payload changed (a character of the base64url text, mid-payload) */
    char *bad = strdup(ana_jwt);
    char *p = strchr(bad, '.') + 1;
    size_t plen = (size_t)(strchr(p, '.') - p);
    char *c = p + plen / 2;
    *c = *c == 'A' ? 'B' : 'A';
    char *bad_file = path_in(workdir, "ana-tampered.jwt");
    file_write(bad_file, bad);
    verify_jwt(bad_file, jwks, 1, "the VC-JWT with one byte of its payload changed");
    free(bad);
    free(bad_file);
    free(jwks);
    free(jwt_file);
    cJSON_Delete(header);
    cJSON_Delete(payload);
}

/* ---- 4. every eligible learner at once ---- */

static const cJSON *result_for(const cJSON *answer, const char *learner)
{
    const cJSON *x;
    cJSON_ArrayForEach(x, h_json_at(answer, "results"))
    {
        if (h_json_string(x, "learner.id") && strcmp(h_json_string(x, "learner.id"), learner) == 0)
            return x;
    }
    fail_msg("no result for learner %s: %s", learner, cJSON_PrintUnformatted(answer));
    return NULL;
}

static void test_all_eligible(void **state)
{
    (void)state;
    assert_non_null(ana_award);
    char *path = h_strf("/v1/cohorts/%s/awards", cohort);
    cJSON_Delete(call("POST", path, coordinator, "{\"all_eligible\": false}", 422));

    score(CARA, "DL-C.2", 4); /* cara's last indicator */
    assert_string_equal(member_status(cara_id), "eligible");
    cJSON *answer = call("POST", path, coordinator, "{\"all_eligible\": true}", 200);
    assert_int_equal(h_json_long(answer, "awarded"), 1);
    assert_int_equal(h_json_long(answer, "already_awarded"), 1);
    assert_int_equal(h_json_long(answer, "not_eligible"), 1);
    assert_int_equal(cJSON_GetArraySize(h_json_at(answer, "results")), 3);
    const cJSON *cara = result_for(answer, cara_id), *ana = result_for(answer, ana_id);
    const cJSON *ben = result_for(answer, ben_id);
    assert_string_equal(h_json_string(cara, "outcome"), "awarded");
    assert_string_equal(h_json_string(ana, "outcome"), "already_awarded");
    assert_string_equal(h_json_string(ana, "award"), ana_award);
    assert_string_equal(h_json_string(ben, "outcome"), "not_eligible");
    assert_true(cJSON_IsNull(h_json_at(ben, "award")));
    char *missing = cJSON_PrintUnformatted(h_json_at(ben, "missing"));
    if (!strstr(missing, "indicator DL-B.1 has no score") || !strstr(missing, "attendance") ||
        !strstr(missing, "problem of practice"))
        fail_msg("ben's line does not list what he lacks: %s", missing);
    free(missing);
    cara_award = strdup(h_json_string(cara, "award"));
    cJSON_Delete(answer);

    /* cara's award: recorded, its event, her status, and it verifies like any other */
    char *sql = h_strf("SELECT count(*) FROM mcred.awards WHERE id = '%s' AND learner_id = '%s'",
                       cara_award, cara_id);
    assert_int_equal(count_of(sql), 1);
    assert_int_equal(events_of("credential.awarded", cara_award), 1);
    assert_int_equal(events_of("credential.awarded", NULL), 2);
    assert_string_equal(member_status(cara_id), "awarded");
    char *one = h_strf("/v1/awards/%s", cara_award);
    struct h_response r;
    h_call(&server, "GET", one, coordinator, NULL, 200, &r);
    char *file = path_in(workdir, "cara.json");
    file_write(file, r.body);
    validate_schema(file, 0, "cara's bulk award against the OB 3.0 schema");
    verify_di(file, 0, "cara's bulk award's proof");
    const int cara_levels[5] = {4, 4, 4, 4, 4};
    expect_results(r.json, cara_levels);
    expect_identity(r.json, r.body, CARA);
    h_response_free(&r);
    free(file);
    free(one);

    /* the cohort's list holds both */
    char *list = h_strf("/v1/cohorts/%s/awards", cohort);
    answer = call("GET", list, coordinator, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(h_json_at(answer, "items")), 2);
    cJSON_Delete(answer);
    free(list);

    /* again: nothing new */
    char *before = h_org_snapshot_all(&db, org);
    answer = call("POST", path, coordinator, "{\"all_eligible\": true}", 200);
    assert_int_equal(h_json_long(answer, "awarded"), 0);
    assert_int_equal(h_json_long(answer, "already_awarded"), 2);
    assert_int_equal(h_json_long(answer, "not_eligible"), 1);
    cJSON_Delete(answer);
    char *after = h_org_snapshot_all(&db, org);
    if (strcmp(before, after) != 0)
        fail_msg("a bulk award with nobody new wrote something:\nbefore %s\nafter  %s", before,
                 after);
    free(before);
    free(after);
    free(path);
}

/* ---- 5. a learner's view ---- */

static void test_learner_view(void **state)
{
    (void)state;
    assert_non_null(ana_award);
    assert_non_null(cara_award);
    assert_non_null(ana_jwt);
    cJSON *mine = call("GET", "/v1/me/awards", ana_token, NULL, 200);
    assert_int_equal(cJSON_GetArraySize(h_json_at(mine, "items")), 1);
    assert_string_equal(h_json_string(mine, "items[0].id"), ana_award);
    assert_string_equal(h_json_string(mine, "items[0].status"), "awarded");
    cJSON *doc = cJSON_Parse(ana_doc_text);
    assert_true(cJSON_Compare(h_json_at(mine, "items[0].credential"), doc, 1));
    assert_string_equal(h_json_string(mine, "items[0].jwt"), ana_jwt);
    cJSON_Delete(doc);
    cJSON_Delete(mine);

    /* her own, as JSON and as a JWT; not cara's: 403, as to anyone who may read only their own */
    char *path = h_strf("/v1/awards/%s", ana_award);
    cJSON_Delete(call("GET", path, ana_token, NULL, 200));
    free(path);
    path = h_strf("/v1/awards/%s?format=jwt", ana_award);
    struct h_response r;
    h_call(&server, "GET", path, ana_token, NULL, 200, &r);
    assert_string_equal(r.body, ana_jwt);
    h_response_free(&r);
    free(path);
    path = h_strf("/v1/awards/%s", cara_award);
    cJSON_Delete(call("GET", path, ana_token, NULL, 403));
    free(path);
    path = h_strf("/v1/awards/%s?format=jwt", cara_award);
    cJSON_Delete(call("GET", path, ana_token, NULL, 403));
    free(path);

    /* a learner awards nothing and revokes nothing */
    char *before = h_org_snapshot_all(&db, org);
    path = h_strf("/v1/cohorts/%s/members/%s/award", cohort, ana_id);
    cJSON_Delete(call("POST", path, ana_token, NULL, 403));
    free(path);
    path = h_strf("/v1/cohorts/%s/members/%s/award", cohort, BEN);
    cJSON_Delete(call("POST", path, ana_token, NULL, 403));
    free(path);
    path = h_strf("/v1/cohorts/%s/awards", cohort);
    cJSON_Delete(call("POST", path, ana_token, "{\"all_eligible\": true}", 403));
    free(path);
    path = h_strf("/v1/awards/%s/revoke", ana_award);
    cJSON_Delete(call("POST", path, ana_token, "{\"reason\": \"mine\"}", 403));
    free(path);
    char *after = h_org_snapshot_all(&db, org);
    if (strcmp(before, after) != 0)
        fail_msg("a learner's refused requests wrote something");
    free(before);
    free(after);
}

/* ---- 6. the issuer's keys, public ---- */

static void test_issuer_keys(void **state)
{
    (void)state;
    assert_non_null(ana_jwt);
    char *issuer_path = h_strf("/issuers/%s", org);
    cJSON *profile = call("GET", issuer_path, NULL, NULL, 200);
    char *issuer = h_strf("%s%s", server.url, issuer_path);
    assert_string_equal(h_json_string(profile, "id"), issuer);
    assert_string_equal(h_json_string(profile, "type[0]"), "Profile");
    /* one Ed25519 key so far: a Multikey, id = issuer id # publicKeyMultibase */
    const cJSON *vms = array_at(profile, "verificationMethod", 1);
    const cJSON *vm = cJSON_GetArrayItem(vms, 0);
    const char *multibase = h_json_string(vm, "publicKeyMultibase");
    assert_true(multibase && strncmp(multibase, "z6Mk", 4) == 0);
    char *vm_id = h_strf("%s#%s", issuer, multibase);
    assert_string_equal(h_json_string(vm, "id"), vm_id);
    assert_string_equal(h_json_string(vm, "type"), "Multikey");
    assert_string_equal(h_json_string(vm, "controller"), issuer);
    const cJSON *am = array_at(profile, "assertionMethod", 1);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(am, 0)), vm_id);
    cJSON *doc = cJSON_Parse(ana_doc_text);
    assert_string_equal(h_json_string(doc, "proof[0].verificationMethod"), vm_id);
    cJSON_Delete(doc);
    char *sql = h_strf("SELECT key_id FROM mcred.signing_keys WHERE algorithm = 'Ed25519'"
                       " AND retired_at IS NULL");
    char *key_id = query_of(sql);
    assert_string_equal(key_id, multibase);
    free(key_id);
    char *profile_text = cJSON_PrintUnformatted(profile);
    assert_null(strstr(profile_text, "secret"));
    free(profile_text);
    free(vm_id);
    cJSON_Delete(profile);

    /* the JWKS holds the ES256 key; its kid URL answers that one JWK and nothing private */
    cJSON *header = jwt_part(ana_jwt, 0);
    const char *kid = h_json_string(header, "kid");
    cJSON *jwks = call("GET", "/.well-known/jwks.json", NULL, NULL, 200);
    const cJSON *keys = array_at(jwks, "keys", 1), *k = cJSON_GetArrayItem(keys, 0);
    assert_string_equal(h_json_string(k, "kty"), "EC");
    assert_string_equal(h_json_string(k, "crv"), "P-256");
    assert_string_equal(h_json_string(k, "kid"), kid);
    assert_non_null(h_json_string(k, "x"));
    assert_non_null(h_json_string(k, "y"));
    assert_null(h_json_at(k, "d"));
    assert_true(strncmp(kid, server.url, strlen(server.url)) == 0);
    cJSON *one = call("GET", kid + strlen(server.url), NULL, NULL, 200);
    assert_true(cJSON_Compare(one, k, 1));
    assert_null(h_json_at(one, "d"));
    cJSON_Delete(one);
    /* an unknown kid, an unknown issuer: 404 */
    char *nokey = h_strf("/issuers/%s/keys/nokey", org);
    cJSON_Delete(call("GET", nokey, NULL, NULL, 404));
    free(nokey);
    cJSON_Delete(call("GET", "/issuers/nobody-here", NULL, NULL, 404));
    cJSON_Delete(jwks);
    cJSON_Delete(header);

    /* the achievement, public */
    char *ach = h_strf("/achievements/%s", credential);
    cJSON *a = call("GET", ach, NULL, NULL, 200);
    assert_string_equal(h_json_string(a, "achievementType"), "Badge");
    assert_int_equal(cJSON_GetArraySize(h_json_at(a, "resultDescription")), 5);
    cJSON_Delete(a);
    free(ach);
    free(issuer);
    free(issuer_path);
}

/* ---- 7. revocation ---- */

#define REASON         "Issued <b>in error</b> & withdrawn"
#define REASON_ESCAPED "Issued &lt;b&gt;in error&lt;/b&gt; &amp; withdrawn"

static void public_page(const char *award, struct h_response *r)
{
    char *path = h_strf("/credentials/%s", award);
    const char *headers[] = {"Accept: text/html", NULL};
    h_http_headers(&server, "GET", path, NULL, NULL, NULL, 0, headers, r);
    if (r->status != 200)
        fail_msg("GET %s as HTML: %ld %s", path, r->status, r->body);
    free(path);
    char *ctype = h_response_header(r, "Content-Type");
    assert_true(ctype && strncmp(ctype, "text/html", 9) == 0);
    free(ctype);
    char *csp = h_response_header(r, "Content-Security-Policy");
    if (!csp || !strstr(csp, "frame-ancestors 'none'"))
        fail_msg("the page's Content-Security-Policy: %s", csp ? csp : "(none)");
    free(csp);
    char *nosniff = h_response_header(r, "X-Content-Type-Options");
    assert_true(nosniff && strcasecmp(nosniff, "nosniff") == 0);
    free(nosniff);
}

static void test_revoke(void **state)
{
    (void)state;
    assert_non_null(ana_award);
    struct h_response r;
    public_page(ana_award, &r);
    if (!strstr(r.body, "Valid:") || strstr(r.body, "Revoked"))
        fail_msg("the page of a standing award does not say Valid: %.3000s", r.body);
    assert_non_null(strstr(r.body, "School Data Leadership"));
    /* the results by indicator, in the custom rubric's words */
    assert_non_null(strstr(r.body, "DL-A.1 Chooses measures that matter"));
    assert_non_null(strstr(r.body, "Master"));
    assert_non_null(strstr(r.body, "Expert"));
    h_response_free(&r);

    char *path = h_strf("/v1/awards/%s/revoke", ana_award);
    cJSON_Delete(call("POST", path, leader, "{}", 422)); /* a reason is required */
    cJSON *item = call("POST", path, leader, "{\"reason\": \"" REASON "\"}", 200);
    assert_string_equal(h_json_string(item, "id"), ana_award);
    assert_string_equal(h_json_string(item, "status"), "revoked");
    assert_string_equal(h_json_string(item, "revocation_reason"), REASON);
    assert_non_null(h_json_string(item, "revoked_at"));
    cJSON_Delete(item);
    char *before = h_org_snapshot_all(&db, org);
    cJSON *j = call("POST", path, coordinator, "{\"reason\": \"again\"}", 409);
    assert_non_null(strstr(h_json_string(j, "error.message"), "revoked already"));
    cJSON_Delete(j);
    char *after = h_org_snapshot_all(&db, org);
    if (strcmp(before, after) != 0)
        fail_msg("revoking again wrote something");
    free(before);
    free(after);
    free(path);
    path = h_strf("/v1/awards/%s/revoke", "00000000-0000-4000-8000-000000000000");
    cJSON_Delete(call("POST", path, coordinator, "{\"reason\": \"x\"}", 404));
    free(path);

    assert_int_equal(events_of("credential.revoked", ana_award), 1);
    assert_int_equal(events_of("credential.revoked", NULL), 1);
    cJSON *events = h_org_events(&db, org, "credential.revoked");
    assert_string_equal(h_json_string(events, "[0].reason"), REASON);
    cJSON_Delete(events);
    char *sql = h_strf("SELECT count(*) FROM mcred.audit WHERE action = 'award.revoke'"
                       " AND entity_id = '%s'",
                       ana_award);
    assert_int_equal(count_of(sql), 1);
    assert_string_equal(member_status(ana_id), "revoked");
    cJSON *mine = call("GET", "/v1/me/awards", ana_token, NULL, 200);
    assert_string_equal(h_json_string(mine, "items[0].status"), "revoked");
    cJSON_Delete(mine);

    /* the revocation list names it, with the reason as given */
    char *list_path = h_strf("/issuers/%s/revocations", org);
    cJSON *list = call("GET", list_path, NULL, NULL, 200);
    char *list_id = h_strf("%s%s", server.url, list_path);
    assert_string_equal(h_json_string(list, "id"), list_id);
    assert_string_equal(h_json_string(list, "type[0]"), "1EdTechRevocationList");
    array_at(list, "revokedCredentials", 1);
    char *cred_id = h_strf("%s/credentials/%s", server.url, ana_award);
    assert_string_equal(h_json_string(list, "revokedCredentials[0].id"), cred_id);
    assert_string_equal(h_json_string(list, "revokedCredentials[0].revocationReason"), REASON);
    assert_non_null(h_json_string(list, "revokedCredentials[0].revokedAt"));
    cJSON_Delete(list);
    free(cred_id);
    free(list_id);
    free(list_path);

    /* the public page says so, the reason escaped */
    public_page(ana_award, &r);
    if (!strstr(r.body, "Revoked by the issuer on") || strstr(r.body, "Valid:"))
        fail_msg("the page of a revoked award does not say revoked: %.3000s", r.body);
    if (!strstr(r.body, REASON_ESCAPED) || strstr(r.body, "<b>in error"))
        fail_msg("the page does not show the reason escaped: %.3000s", r.body);
    h_response_free(&r);
    /* the JSON at the same address is still the credential as issued */
    path = h_strf("/credentials/%s", ana_award);
    h_call(&server, "GET", path, NULL, NULL, 200, &r);
    assert_string_equal(r.body, ana_doc_text);
    h_response_free(&r);
    free(path);
}

/* ---- 8. no private key in clear ---- */

static void test_dump_holds_no_secret(void **state)
{
    (void)state;
    char *dump = h_db_dump(&db);
    assert_non_null(strstr(dump, "signing_key_secrets"));
    assert_null(strstr(dump, "-----BEGIN"));
    assert_null(strstr(dump, "\"d\":"));
    assert_null(strstr(dump, "\"d\" :"));
    assert_null(find_nocase(dump, server.master_key));
    /* two keys, each sealed: nonce (24) + MAC (16) + the key; what the dump holds is the box */
    assert_int_equal(count_of(strdup("SELECT count(*) FROM mcred.signing_key_secrets")), 2);
    long ed =
        count_of(strdup("SELECT octet_length(s.secret_box) FROM mcred.signing_key_secrets s"
                        " JOIN mcred.signing_keys k ON k.org_id = s.org_id AND k.id = s.key_id"
                        " WHERE k.algorithm = 'Ed25519'"));
    long es =
        count_of(strdup("SELECT octet_length(s.secret_box) FROM mcred.signing_key_secrets s"
                        " JOIN mcred.signing_keys k ON k.org_id = s.org_id AND k.id = s.key_id"
                        " WHERE k.algorithm = 'ES256'"));
    /* an Ed25519 key is 32 (seed) or 64 bytes, a P-256 one 32 (scalar) or more (DER) */
    if (ed != 40 + 32 && ed != 40 + 64)
        fail_msg("the Ed25519 secret box is %ld bytes, not nonce+MAC+key", ed);
    if (es < 40 + 32)
        fail_msg("the ES256 secret box is %ld bytes, not nonce+MAC+key", es);
    for (int i = 0; i < 2; i++) {
        char *box =
            query_of(h_strf("SELECT encode(secret_box, 'hex') FROM mcred.signing_key_secrets"
                            " ORDER BY key_id OFFSET %d LIMIT 1",
                            i));
        char *as_dumped = h_strf("\\x%s", box);
        if (!strstr(dump, as_dumped))
            fail_msg("the dump does not hold secret box %d as stored", i);
        free(as_dumped);
        free(box);
    }
    /* libsodium's Ed25519 secret key is seed || public key: every place the public key's hex
     * appears must be the public key column itself (\x + 64 hex), never the tail of 128 */
    char *pub = query_of(strdup(
        "SELECT encode(public_key, 'hex') FROM mcred.signing_keys WHERE algorithm = 'Ed25519'"));
    assert_int_equal(strlen(pub), 64);
    int seen = 0;
    for (const char *p = strstr(dump, pub); p; p = strstr(p + 1, pub)) {
        seen++;
        if (p - dump < 2 || p[-2] != '\\' || p[-1] != 'x')
            fail_msg("the Ed25519 public key's hex appears in the dump other than as the public "
                     "key: …%.140s…",
                     p - dump >= 70 ? p - 70 : dump);
    }
    assert_int_equal(seen, 1);
    free(pub);
    free(dump);

    /* nor in the server's log */
    char *log = h_file_read(server.log_path, NULL);
    assert_null(strstr(log, "-----BEGIN"));
    assert_null(strstr(log, "\"d\":"));
    assert_null(find_nocase(log, server.master_key));
    free(log);
}

/* ---- 9. the CLI ---- */

static int cli(const char *token, const char *const *argv, char **out)
{
    char *o = NULL, *e = NULL;
    int st = h_cli(server.url, token, argv, &o, &e);
    *out = h_strf("%s%s", o, e);
    free(o);
    free(e);
    return st;
}

static void test_cli(void **state)
{
    (void)state;
    {
        const char *argv[] = {"verify", "--help", NULL};
        char *out = NULL;
        int st = cli(NULL, argv, &out);
        free(out);
        if (st != 0) {
            print_message("mcred verify is not there yet: the CLI checks are skipped\n");
            skip();
        }
    }
    assert_non_null(cara_award);
    char *file = path_in(workdir, "cli-cara.json");
    char *jwt_file = path_in(workdir, "cli-cara.jwt");
    char *out = NULL;
    /* cara was awarded in bulk: `mcred award` answers hers */
    const char *award_argv[] = {"award", cohort, CARA, "--out", file, NULL};
    if (cli(coordinator, award_argv, &out) != 0)
        fail_msg("mcred award COHORT PERSON --out FILE: %s", out);
    free(out);
    char *text = h_file_read(file, NULL);
    cJSON *doc = cJSON_Parse(text);
    if (!doc)
        fail_msg("mcred award --out wrote no JSON: %.500s", text);
    char *id = award_of(doc);
    assert_string_equal(id, cara_award);
    free(id);
    cJSON_Delete(doc);
    const char *jwt_argv[] = {"award", cohort, CARA, "--out", jwt_file, "--format", "jwt", NULL};
    if (cli(coordinator, jwt_argv, &out) != 0)
        fail_msg("mcred award … --format jwt: %s", out);
    free(out);

    /* verified without a token */
    const char *verify_argv[] = {"verify", file, NULL};
    if (cli(NULL, verify_argv, &out) != 0)
        fail_msg("mcred verify of a standing award failed:\n%s", out);
    free(out);
    const char *verify_jwt_argv[] = {"verify", jwt_file, NULL};
    if (cli(NULL, verify_jwt_argv, &out) != 0)
        fail_msg("mcred verify of a standing award's JWT failed:\n%s", out);
    free(out);

    /* one byte changed: exit 1 */
    char *tampered = path_in(workdir, "cli-cara-tampered.json");
    char *changed = strdup(text);
    char *at = strstr(changed, "School Data Leadership");
    assert_non_null(at);
    at[0] = 'T';
    file_write(tampered, changed);
    const char *tampered_argv[] = {"verify", tampered, NULL};
    int st = cli(NULL, tampered_argv, &out);
    if (st != 1)
        fail_msg("mcred verify of a tampered credential exited %d, want 1:\n%s", st, out);
    free(out);
    free(changed);
    free(tampered);

    /* revoked by the CLI, then verify says so and exits 1 */
    const char *revoke_argv[] = {"revoke", cara_award, "--reason", "Withdrawn by the district",
                                 NULL};
    if (cli(coordinator, revoke_argv, &out) != 0)
        fail_msg("mcred revoke: %s", out);
    free(out);
    char *sql = h_strf("SELECT status FROM mcred.awards WHERE id = '%s'", cara_award);
    char *status = query_of(sql);
    assert_string_equal(status, "revoked");
    free(status);
    st = cli(NULL, verify_argv, &out);
    if (st != 1 || !contains_nocase(out, "revoked"))
        fail_msg("mcred verify of a revoked award exited %d (want 1, saying revoked):\n%s", st,
                 out);
    free(out);
    st = cli(NULL, verify_jwt_argv, &out);
    if (st != 1 || !contains_nocase(out, "revoked"))
        fail_msg("mcred verify of a revoked award's JWT exited %d (want 1, saying revoked):\n%s",
                 st, out);
    free(out);
    free(text);
    free(file);
    free(jwt_file);
}

/* ---- 10. rotating the keys ---- */

/*
 * mcred-server keygen --org: new keys sign from then on; the retired ones
 * stay published, so that what they signed still verifies.
 */
static void test_key_rotation(void **state)
{
    (void)state;
    assert_non_null(ana_doc_text);
    const char *argv[] = {"keygen", "--org", org, NULL};
    char *out = NULL;
    if (h_server_command(&server, argv, &out) != 0)
        fail_msg("mcred-server keygen --org %s: %s", org, out ? out : "");
    assert_non_null(strstr(out, "new signing keys"));
    free(out);
    assert_int_equal(count_of(h_strf("SELECT count(*) FROM mcred.signing_keys")), 4);
    assert_int_equal(count_of(h_strf("SELECT count(*) FROM mcred.signing_keys"
                                     " WHERE retired_at IS NULL")),
                     2);

    /* both Ed25519 keys in the profile; both ES256 keys in the key set */
    char *issuer_path = h_strf("/issuers/%s", org);
    cJSON *profile = call("GET", issuer_path, NULL, NULL, 200);
    array_at(profile, "verificationMethod", 2);
    array_at(profile, "assertionMethod", 2);
    cJSON_Delete(profile);
    cJSON *jwks = call("GET", "/.well-known/jwks.json", NULL, NULL, 200);
    array_at(jwks, "keys", 2);
    cJSON_Delete(jwks);

    /* what the old keys signed still verifies */
    char *old_doc = path_in(workdir, "rotated-ana.json");
    file_write(old_doc, ana_doc_text);
    verify_di(old_doc, 0, "an award signed before the rotation");
    char *old_jwt = path_in(workdir, "rotated-ana.jwt");
    file_write(old_jwt, ana_jwt);
    char *jwks_url = h_strf("%s/.well-known/jwks.json", server.url);
    verify_jwt(old_jwt, jwks_url, 0, "a VC-JWT signed before the rotation");

    /* a new award is signed with the new key: cara's, issued again after a revocation */
    char *list_path = h_strf("/v1/cohorts/%s/awards", cohort);
    cJSON *list = call("GET", list_path, coordinator, NULL, 200);
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(list, "items"))
    {
        const char *learner = h_json_string(item, "learner.id");
        const char *status = h_json_string(item, "status");
        if (learner && strcmp(learner, cara_id) == 0 && status && strcmp(status, "awarded") == 0) {
            char *revoke = h_strf("/v1/awards/%s/revoke", h_json_string(item, "id"));
            cJSON_Delete(
                call("POST", revoke, coordinator, "{\"reason\": \"to be reissued\"}", 200));
            free(revoke);
        }
    }
    cJSON_Delete(list);
    char *award_path = h_strf("/v1/cohorts/%s/members/%s/award", cohort, cara_id);
    cJSON *fresh = call("POST", award_path, coordinator, NULL, 201);
    char *sql = h_strf("SELECT key_id FROM mcred.signing_keys WHERE algorithm = 'Ed25519'"
                       " AND retired_at IS NULL");
    char *key_id = query_of(sql);
    const char *vm = h_json_string(fresh, "proof[0].verificationMethod");
    assert_non_null(vm);
    assert_true(ends_with(vm, key_id));
    char *fresh_text = cJSON_PrintUnformatted(fresh);
    char *fresh_doc = path_in(workdir, "rotated-cara.json");
    file_write(fresh_doc, fresh_text);
    verify_di(fresh_doc, 0, "an award signed after the rotation");
    free(fresh_text);
    free(fresh_doc);
    free(key_id);
    cJSON_Delete(fresh);
    free(award_path);
    free(list_path);
    free(jwks_url);
    free(old_jwt);
    free(old_doc);
    free(issuer_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_eligible_writes_nothing),
        cmocka_unit_test(test_award_document),
        cmocka_unit_test(test_independent_verifiers),
        cmocka_unit_test(test_all_eligible),
        cmocka_unit_test(test_learner_view),
        cmocka_unit_test(test_issuer_keys),
        cmocka_unit_test(test_revoke),
        cmocka_unit_test(test_dump_holds_no_secret),
        cmocka_unit_test(test_cli),
        cmocka_unit_test(test_key_rotation),
    };
    return h_run_tests(tests, setup, teardown);
}
