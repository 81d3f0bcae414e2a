/*
 * test_term_records.c — records a coordinator can correct, through the
 * real mcred CLI as a coordinator, two coaches and a learner, against a
 * credential of the test's own (two standards of two indicators, a
 * 4-level rubric), not the seed:
 *
 *   1. scores speak the rubric: a level by label in any case
 *      ("proficient", "EXEMPLARY"); a level outside it refused as "level
 *      must be 1 (Not Evident) to 4 (Exemplary)", never "1 to 10"; a coach
 *      refused for another coach's learner told "you do not coach Ben
 *      Ortiz (ben.ortiz@…); their coach is Carla Diaz (carla.diaz@…)",
 *      with no id; `mcred score import` with four bad rows reports the
 *      four, each by its row, in one run, and the server's bulk answer
 *      lists four errors; nothing written;
 *   2. evidence corrected (`mcred evidence update`, its audit row before
 *      and after, event evidence.updated), refused to another coach,
 *      refused to be emptied, kept while a score cites it (409, nothing
 *      written), removed by its learner otherwise (`mcred evidence
 *      remove`, audit row and evidence.removed);
 *   3. a coach with learners: `mcred member withdraw` refused naming them
 *      (nothing written), then with --reassign-to (each learner moved
 *      audited, the new coach scores them), a non-coach refused as
 *      target, --release-learners, a coach without learners withdrawn
 *      plainly, the options refused on a learner;
 *   4. `mcred credential retire`: retired and audited; a new cohort on it
 *      refused by slug and version, naming the published version once
 *      there is one; the existing cohort carries on; retiring again and
 *      retiring a draft refused;
 *   5. `--help` of each new verb and option.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "term";
static char *admin, *coordinator;
static char *carla_token, *dev_token, *ben_token;
static char *ben_id;
static char *cohort, *credential;

#define CARLA "carla.diaz@term.example"
#define DEV   "dev.patel@term.example"
#define ERIN  "erin.lee@term.example"
#define BEN   "ben.ortiz@term.example"
#define ANA   "ana.silva@term.example"
#define CY    "cy.young@term.example"

/* ---- the CLI ---- */

static char *command_line(const char *const *argv)
{
    char cmd[2048] = "mcred";
    size_t len = strlen(cmd);
    for (const char *const *a = argv; *a && len < sizeof cmd - 1; a++)
        len += (size_t)snprintf(cmd + len, sizeof cmd - len, " %s", *a);
    return strdup(cmd);
}

/* Run the CLI with a token; it must exit `want`.  stdout returned, stderr in *err (malloc'd). */
static char *cli_as(const char *tok, const char *const *argv, int want, char **err)
{
    char *out = NULL, *e = NULL;
    int st = h_cli(server.url, tok, argv, &out, &e);
    if (st != want) {
        char *cmd = command_line(argv);
        fail_msg("%s: exit %d, want %d\nstdout: %s\nstderr: %s", cmd, st, want, out, e);
    }
    if (err)
        *err = e;
    else
        free(e);
    return out;
}

static void expect_in(const char *text, const char *want, const char *what)
{
    if (!text || !strstr(text, want))
        fail_msg("%s does not say \"%s\":\n%s", what, want, text ? text : "(nothing)");
}

static void expect_not_in(const char *text, const char *unwanted, const char *what)
{
    if (text && strstr(text, unwanted))
        fail_msg("%s says \"%s\", which it must not:\n%s", what, unwanted, text);
}

/* No UUID anywhere in a message the user reads. */
static void expect_no_uuid(const char *text, const char *what)
{
    for (const char *p = text; p && *p; p++) {
        int hex = 0;
        while (isxdigit((unsigned char)p[hex]) || p[hex] == '-')
            hex++;
        if (hex >= 36)
            fail_msg("%s shows an id the user did not type:\n%s", what, text);
        if (hex)
            p += hex - 1;
    }
}

/* The id in a --json answer. */
static char *json_id(const char *out, const char *what)
{
    cJSON *j = cJSON_Parse(out);
    const char *id = h_json_string(j, "id");
    if (!id)
        fail_msg("%s printed no id:\n%s", what, out);
    char *copy = strdup(id);
    cJSON_Delete(j);
    return copy;
}

static char *write_temp(const char *text, const char *suffix)
{
    char *path = h_strf("/tmp/mcred-term-records-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        fail_msg("cannot write %s", path);
    close(fd);
    return path;
}

static char *snapshot(void)
{
    return h_org_snapshot_all(&db, org_slug);
}

static void expect_unchanged(char *before, const char *what)
{
    char *after = snapshot();
    if (strcmp(before, after) != 0)
        fail_msg("%s wrote something", what);
    free(after);
    free(before);
}

static long count_sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A count by SQL (the superuser's), its text made with printf. */
static long count_sql(const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return h_db_long_super(&db, sql);
}

static long count_events(const char *type)
{
    cJSON *list = h_org_events(&db, org_slug, type);
    long n = cJSON_GetArraySize(list);
    cJSON_Delete(list);
    return n;
}

/* ---- set-up: the credential, the cohort, its members ---- */

static const char framework[] =
    "{\"slug\": \"term-records\", \"version\": %d, \"title\": \"Term Records %d\","
    " \"achievement_type\": \"MicroCredential\","
    " \"rubric\": [{\"level\": 1, \"label\": \"Not Evident\"}, {\"level\": 2, \"label\":"
    " \"Emerging\"}, {\"level\": 3, \"label\": \"Proficient\"}, {\"level\": 4, \"label\":"
    " \"Exemplary\"}],"
    " \"award_rule\": {\"min_level\": 3, \"min_weekly_attendance\": 5,"
    " \"problem_of_practice_required\": true, \"weekly_sessions\": 6},"
    " \"standards\": [{\"code\": \"1\", \"title\": \"Inequities\", \"indicators\":"
    " [{\"code\": \"1.1\", \"text\": \"Names gaps\"}, {\"code\": \"1.2\", \"text\": \"Acts\"}]},"
    " {\"code\": \"2\", \"title\": \"Access\", \"indicators\": [{\"code\": \"2.1\", \"text\":"
    " \"Opens doors\"}, {\"code\": \"2.2\", \"text\": \"Keeps them open\"}]}]}";

static char *import_version(int version)
{
    char *text = h_strf(framework, version, version);
    char *path = write_temp(text, ".json");
    const char *argv[] = {"--json", "credential", "import", path, NULL};
    char *out = cli_as(coordinator, argv, 0, NULL);
    char *id = json_id(out, "mcred credential import");
    unlink(path);
    free(path);
    free(text);
    free(out);
    return id;
}

static char *token_of(const char *email)
{
    char *sql = h_strf("SELECT id FROM mcred.people WHERE email = '%s'", email);
    char *id = h_db_query_super(&db, sql);
    free(sql);
    char *token = h_token_for(&server, admin, id);
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
    char *id = h_person(&server, admin, "maria.lopez@term.example", "María López", "coordinator");
    coordinator = h_token_for(&server, admin, id);
    free(id);

    credential = import_version(1);
    const char *publish_argv[] = {"credential", "publish", "term-records@1", NULL};
    free(cli_as(coordinator, publish_argv, 0, NULL));
    const char *create_argv[] = {"--json",          "cohort", "create",     "--credential",
                                 credential,        "--name", "Spring",     "--starts",
                                 "2027-02-01",      "--ends", "2027-03-15", "--timezone",
                                 "America/Chicago", NULL};
    char *out = cli_as(coordinator, create_argv, 0, NULL);
    cohort = json_id(out, "mcred cohort create");
    free(out);
    char *roster =
        write_temp("email,name,role,coach\n" CARLA ",Carla Diaz,coach,\n" DEV
                   ",Dev Patel,coach,\n" ERIN ",Erin Lee,coach,\n" BEN ",Ben Ortiz,learner," CARLA
                   "\n" ANA ",Ana Silva,learner," CARLA "\n" CY ",Cy Young,learner," DEV "\n",
                   ".csv");
    const char *import_argv[] = {"member", "import", cohort, roster, NULL};
    free(cli_as(coordinator, import_argv, 0, NULL));
    unlink(roster);
    free(roster);
    carla_token = token_of(CARLA);
    dev_token = token_of(DEV);
    ben_token = token_of(BEN);
    ben_id = h_db_query_super(&db, "SELECT id FROM mcred.people WHERE email = '" BEN "'");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    free(admin);
    free(coordinator);
    free(carla_token);
    free(dev_token);
    free(ben_token);
    free(ben_id);
    free(cohort);
    free(credential);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* ---- 1. scores ---- */

static void test_levels_by_label(void **state)
{
    (void)state;
    const char *proficient[] = {"score", cohort, BEN, "1.1", "proficient", NULL};
    char *out = cli_as(carla_token, proficient, 0, NULL);
    expect_in(out, "Proficient", "mcred score ... proficient");
    free(out);
    const char *exemplary[] = {"--json", "score", cohort, BEN, "1.2", "EXEMPLARY", NULL};
    out = cli_as(carla_token, exemplary, 0, NULL);
    cJSON *j = cJSON_Parse(out);
    assert_int_equal(h_json_long(j, "scores[0].level"), 4);
    assert_string_equal(h_json_string(j, "scores[0].label"), "Exemplary");
    cJSON_Delete(j);
    free(out);

    /* outside the rubric, by number or by label: the rubric's own range */
    static const char *const bad[] = {"7", "0", "Superb", "3.0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *before = snapshot(), *err = NULL;
        const char *argv[] = {"score", cohort, BEN, "2.1", bad[i], NULL};
        free(cli_as(carla_token, argv, 1, &err));
        expect_in(err, "level must be 1 (Not Evident) to 4 (Exemplary)", "a level off the rubric");
        expect_not_in(err, "1 to 10", "a level off the rubric");
        free(err);
        expect_unchanged(before, "a level off the rubric");
    }
}

static void test_coach_names(void **state)
{
    (void)state;
    char *before = snapshot(), *err = NULL;
    const char *argv[] = {"score", cohort, BEN, "1.1", "3", NULL};
    free(cli_as(dev_token, argv, 4, &err));
    expect_in(err, "you do not coach Ben Ortiz (" BEN "); their coach is Carla Diaz (" CARLA ")",
              "another coach's learner");
    expect_no_uuid(err, "another coach's learner");
    free(err);
    expect_unchanged(before, "scoring another coach's learner");
    /* by id: the message still names the person */
    const char *by_id[] = {"score", cohort, ben_id, "1.1", "3", NULL};
    free(cli_as(dev_token, by_id, 4, &err));
    expect_in(err, "you do not coach Ben Ortiz (" BEN ")", "another coach's learner, by id");
    free(err);
}

static void test_score_import_reports_every_row(void **state)
{
    (void)state;
    char *file = write_temp(
        "email,indicator,level,feedback\n" BEN ",2.2,3,fine\n" BEN ",2.1,great,\n" BEN ",9.9,3,\n"
        "nobody@term.example,1.1,3,\n" ERIN ",1.1,Emerging,\n" ANA ",2.1,emerging,fine\n",
        ".csv");
    char *before = snapshot(), *err = NULL;
    const char *argv[] = {"score", "import", cohort, file, NULL};
    free(cli_as(coordinator, argv, 1, &err));
    expect_in(err, "row 3, level: level must be 1 (Not Evident) to 4 (Exemplary)", "import");
    expect_in(err, "row 4, indicator: 9.9 is not an indicator", "import");
    expect_in(err, "row 5, email: no person nobody@term.example", "import");
    expect_in(err, "row 6, email: Erin Lee (" ERIN ") is not a learner of this cohort", "import");
    expect_in(err, "4 problems with these scores; nothing was written", "import");
    expect_no_uuid(err, "import");
    free(err);
    expect_unchanged(before, "a score import with four bad rows");

    /* the server checks every item of a bulk request and lists each */
    char *body = h_strf("{\"scores\": [{\"learner\": \"%s\", \"indicator\": \"2.2\", \"level\": 3},"
                        " {\"learner\": \"%s\", \"indicator\": \"2.1\", \"level\": \"great\"},"
                        " {\"learner\": \"%s\", \"indicator\": \"9.9\", \"level\": 3},"
                        " {\"learner\": \"nobody@term.example\", \"indicator\": \"1.1\","
                        " \"level\": 3},"
                        " {\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 2}]}",
                        BEN, BEN, BEN, ERIN);
    char *path = h_strf("/v1/cohorts/%s/scores", cohort);
    before = snapshot();
    struct h_response r;
    h_call(&server, "POST", path, coordinator, body, 422, &r);
    assert_int_equal(cJSON_GetArraySize(h_json_at(r.json, "errors")), 4);
    assert_string_equal(h_json_string(r.json, "error.field"), "scores");
    assert_string_equal(h_json_string(r.json, "errors[0].field"), "scores[1].level");
    assert_string_equal(h_json_string(r.json, "errors[3].field"), "scores[4].learner");
    h_response_free(&r);
    expect_unchanged(before, "a bulk request with four bad items");
    free(body);
    free(path);

    /* fixed, the same file goes in whole */
    char *good = write_temp("email,indicator,level,feedback\n" BEN ",2.2,3,fine\n" BEN
                            ",2.1,Emerging,\n" ANA ",2.1,emerging,fine\n",
                            ".csv");
    const char *good_argv[] = {"score", "import", cohort, good, NULL};
    long recorded = count_events("score.recorded");
    free(cli_as(coordinator, good_argv, 0, NULL));
    assert_int_equal(count_events("score.recorded"), recorded + 3);
    assert_int_equal(count_sql("SELECT count(*) FROM mcred.audit WHERE action = 'score.record'"
                               " AND after->'learner'->>'email' = '%s'",
                               ANA),
                     1);
    unlink(good);
    free(good);
    unlink(file);
    free(file);
}

/* ---- 2. evidence ---- */

static void test_evidence_corrected(void **state)
{
    (void)state;
    const char *add[] = {
        "--json",  "evidence",           "add",   cohort,
        "--title", "Walk-through notes", "--url", "https://files.term.example/walk.pdf",
        NULL};
    char *out = cli_as(ben_token, add, 0, NULL);
    char *id = json_id(out, "mcred evidence add");
    free(out);

    const char *update[] = {"evidence",    "update", id,  "--title", "Walk-through notes, week 2",
                            "--indicator", "1.2",    NULL};
    out = cli_as(ben_token, update, 0, NULL);
    expect_in(out, "Walk-through notes, week 2", "mcred evidence update");
    free(out);
    char *sql = h_strf("SELECT before->>'title' || ' -> ' || (after->>'title') || ' / ' ||"
                       " (after->>'indicator') FROM mcred.audit WHERE action = 'evidence.update'"
                       " AND entity_id = '%s'",
                       id);
    char *history = h_db_query_super(&db, sql);
    assert_string_equal(history, "Walk-through notes -> Walk-through notes, week 2 / 1.2");
    free(history);
    free(sql);
    assert_int_equal(count_events("evidence.updated"), 1);

    /* another coach: refused in names; emptying it: refused; nothing written */
    char *before = snapshot(), *err = NULL;
    const char *other[] = {"evidence", "update", id, "--title", "Mine now", NULL};
    free(cli_as(dev_token, other, 4, &err));
    expect_in(err, "you do not coach Ben Ortiz (" BEN "); their coach is Carla Diaz", "update");
    free(err);
    const char *empty[] = {"evidence", "update", id, "--no-url", NULL};
    free(cli_as(ben_token, empty, 1, &err));
    expect_in(err, "needs a link (url) or a written text (text)", "emptying evidence");
    free(err);
    expect_unchanged(before, "refused evidence updates");

    /* cited by a score: kept */
    const char *cite[] = {"score", cohort, BEN, "1.2", "3", "--evidence", id, NULL};
    free(cli_as(carla_token, cite, 0, NULL));
    before = snapshot();
    const char *remove_cited[] = {"evidence", "remove", id, NULL};
    free(cli_as(coordinator, remove_cited, 1, &err));
    expect_in(err, "evidence \"Walk-through notes, week 2\" cannot be removed: 1 score on 1.2",
              "removing cited evidence");
    expect_no_uuid(err, "removing cited evidence");
    free(err);
    expect_unchanged(before, "removing cited evidence");

    /* not cited: its learner removes it, the audit trail keeps it */
    const char *add2[] = {"--json",  "evidence",     "add",    cohort,          "--learner", BEN,
                          "--title", "Draft agenda", "--text", "Week 3 agenda", NULL};
    out = cli_as(carla_token, add2, 0, NULL);
    char *id2 = json_id(out, "mcred evidence add --learner");
    free(out);
    const char *remove[] = {"evidence", "remove", id2, NULL};
    out = cli_as(ben_token, remove, 0, NULL);
    expect_in(out, "removed", "mcred evidence remove");
    free(out);
    assert_int_equal(count_sql("SELECT count(*) FROM mcred.evidence WHERE id = '%s'", id2), 0);
    sql = h_strf("SELECT (before->>'title') || ' ' || coalesce(after::text, 'none')"
                 " FROM mcred.audit WHERE action = 'evidence.remove' AND entity_id = '%s'",
                 id2);
    history = h_db_query_super(&db, sql);
    assert_string_equal(history, "Draft agenda none");
    free(history);
    free(sql);
    assert_int_equal(count_events("evidence.removed"), 1);
    free(cli_as(coordinator, remove, 3, NULL)); /* gone */
    free(id2);
    free(id);
}

/* ---- 3. a coach's withdrawal ---- */

static void test_coach_withdrawal(void **state)
{
    (void)state;
    char *before = snapshot(), *err = NULL;
    const char *plain[] = {"member", "withdraw", cohort, CARLA, NULL};
    free(cli_as(coordinator, plain, 1, &err));
    expect_in(err, "Carla Diaz (" CARLA ") still coaches 2 learners", "withdrawing a coach");
    expect_in(err, "Ana Silva (" ANA ")", "withdrawing a coach");
    expect_in(err, "Ben Ortiz (" BEN ")", "withdrawing a coach");
    expect_in(err, "--reassign-to", "withdrawing a coach");
    expect_no_uuid(err, "withdrawing a coach");
    free(err);
    const char *both[] = {"member", "withdraw",           cohort, CARLA, "--reassign-to",
                          DEV,      "--release-learners", NULL};
    free(cli_as(coordinator, both, 2, NULL));
    const char *to_learner[] = {"member", "withdraw", cohort, CARLA, "--reassign-to", CY, NULL};
    free(cli_as(coordinator, to_learner, 1, &err));
    expect_in(err, CY " is not a coach of this cohort", "reassigning to a learner");
    free(err);
    expect_unchanged(before, "refused withdrawals");

    long moves = count_sql("SELECT count(*) FROM mcred.audit WHERE action = '%s'", "member.coach");
    const char *reassign[] = {"member", "withdraw", cohort, CARLA, "--reassign-to", DEV, NULL};
    char *out = cli_as(coordinator, reassign, 0, NULL);
    expect_in(out, "withdrawn", "mcred member withdraw --reassign-to");
    expect_in(out, "moved 2 learners to " DEV ": " ANA ", " BEN, "--reassign-to");
    free(out);
    assert_int_equal(
        count_sql("SELECT count(*) FROM mcred.audit WHERE action = '%s'", "member.coach"),
        moves + 2);
    assert_int_equal(count_sql("SELECT count(*) FROM mcred.members m JOIN mcred.people p"
                               " ON p.id = m.coach_id WHERE p.email = '%s'",
                               DEV),
                     3);
    /* the new coach scores them now */
    const char *score[] = {"score", cohort, BEN, "2.2", "proficient", NULL};
    free(cli_as(dev_token, score, 0, NULL));

    const char *release[] = {"member", "withdraw", cohort, DEV, "--release-learners", NULL};
    out = cli_as(coordinator, release, 0, NULL);
    expect_in(out, "released 3 learners, now without a coach", "--release-learners");
    free(out);
    assert_int_equal(count_sql("SELECT count(*) FROM mcred.members WHERE role = '%s'"
                               " AND coach_id IS NOT NULL",
                               "learner"),
                     0);
    const char *erin[] = {"member", "withdraw", cohort, ERIN, NULL};
    free(cli_as(coordinator, erin, 0, NULL));
    const char *learner[] = {"member", "withdraw", cohort, ANA, "--release-learners", NULL};
    free(cli_as(coordinator, learner, 1, &err));
    expect_in(err, "Ana Silva (" ANA ") is a learner", "--release-learners on a learner");
    free(err);
}

/* ---- 4. retiring a credential ---- */

static void test_retire(void **state)
{
    (void)state;
    const char *retire[] = {"credential", "retire", "term-records@1", NULL};
    char *out = cli_as(coordinator, retire, 0, NULL);
    expect_in(out, "retired", "mcred credential retire");
    free(out);
    assert_int_equal(
        count_sql("SELECT count(*) FROM mcred.audit WHERE action = '%s'", "credential.retire"), 1);
    char *err = NULL;
    free(cli_as(coordinator, retire, 1, &err));
    expect_in(err, "term-records version 1 is already retired", "retiring twice");
    free(err);

    char *before = snapshot();
    const char *create[] = {
        "cohort",     "create", "--credential", credential,   "--name",          "Fall", "--starts",
        "2027-09-01", "--ends", "2027-10-15",   "--timezone", "America/Chicago", NULL};
    free(cli_as(coordinator, create, 1, &err));
    expect_in(err, "term-records version 1 is retired", "a cohort on a retired credential");
    expect_no_uuid(err, "a cohort on a retired credential");
    free(err);
    expect_unchanged(before, "a cohort on a retired credential");

    /* the cohort already on it carries on */
    const char *score[] = {"score", cohort, ANA, "1.1", "Emerging", NULL};
    free(cli_as(coordinator, score, 0, NULL));

    /* a draft is not retired; once published, it is the version to use */
    char *v2 = import_version(2);
    const char *draft[] = {"credential", "retire", v2, NULL};
    free(cli_as(coordinator, draft, 1, &err));
    expect_in(err, "term-records version 2 is a draft", "retiring a draft");
    free(err);
    const char *publish[] = {"credential", "publish", "term-records@2", NULL};
    free(cli_as(coordinator, publish, 0, NULL));
    free(cli_as(coordinator, create, 1, &err));
    expect_in(err, "new cohorts use a published version (version 2 is)", "the version to use");
    free(err);
    free(v2);
}

/* ---- 5. --help ---- */

static void test_help(void **state)
{
    (void)state;
    static const struct {
        const char *noun, *verb, *want;
    } helps[] = {
        {"member", "withdraw", "--reassign-to COACH"},
        {"member", "withdraw", "--release-learners"},
        {"evidence", "update", "PATCH /v1/evidence/ID"},
        {"evidence", "remove", "a score cites"},
        {"credential", "retire", "SLUG[@VERSION]"},
    };
    for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++) {
        const char *argv[] = {helps[i].noun, helps[i].verb, "--help", NULL};
        char *out = cli_as(NULL, argv, 0, NULL);
        expect_in(out, helps[i].want, "--help");
        free(out);
    }
    const char *score_help[] = {"score", "--help", NULL};
    char *out = cli_as(NULL, score_help, 0, NULL);
    expect_in(out, "by number or by label", "mcred score --help");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels_by_label),
        cmocka_unit_test(test_coach_names),
        cmocka_unit_test(test_score_import_reports_every_row),
        cmocka_unit_test(test_evidence_corrected),
        cmocka_unit_test(test_coach_withdrawal),
        cmocka_unit_test(test_retire),
        cmocka_unit_test(test_help),
    };
    return h_run_tests(tests, setup, teardown);
}
