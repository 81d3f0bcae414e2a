/*
 * test_invitations.c — access without an admin, through the real CLI:
 *
 *   1. a coordinator runs `mcred invite COHORT coach learner`, which
 *      prints each code with the command to give them; the coach runs
 *      `mcred login --url URL --invite CODE` with HOME at a temporary
 *      directory, the learner with XDG_CONFIG_HOME at another: each config
 *      file is written (mode 0600, url and token) and `mcred whoami`
 *      answers as them; the list shows both invitations used;
 *   2. a config that holds a token is not replaced without --force (and
 *      the code is not spent), and is with it;
 *   3. a code used again, expired (its row moved into the past), revoked
 *      by `mcred invite revoke`, replaced by a newer invitation, or of
 *      someone made a leader since: refused in words that say which,
 *      exit 4, nothing written;
 *   4. revoking a used invitation revokes the token it led to (401);
 *   5. inviting a coordinator, a leader enrolled as a learner, a
 *      non-member, someone withdrawn and an unknown e-mail: every problem
 *      reported at once in plain words, nothing written;
 *   6. two accepts racing with one code: exactly one token;
 *   7. bad codes count against the address's limit, as bad tokens do;
 *   8. no code and no token in a dump of the database, the audit trail or
 *      the server's log (as test_secrets.c checks for tokens).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "invite";
static char *admin, *coordinator; /* tokens */
static char *cohort;              /* id */

#define MAX_SECRETS 32
static char *secrets[MAX_SECRETS]; /* every code and token seen, to look for later */
static size_t n_secrets;

static void keep_secret(const char *s)
{
    assert_true(n_secrets < MAX_SECRETS);
    secrets[n_secrets++] = strdup(s);
}

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

static void enrol(const char *email, const char *role)
{
    char *body = h_strf("{\"members\": [{\"email\": \"%s\", \"role\": \"%s\"}]}", email, role);
    char *path = h_strf("/v1/cohorts/%s/members", cohort);
    cJSON_Delete(call("POST", path, coordinator, body, 201));
    free(path);
    free(body);
}

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org_slug, "admin@invite.example");
    char *id = h_person(&server, admin, "cora@invite.example", "Cora Reyes", "coordinator");
    coordinator = h_token_for(&server, admin, id);
    free(id);
    cJSON *j =
        call("POST", "/v1/credentials", coordinator,
             "{\"slug\": \"lead\", \"version\": 1, \"title\": \"Leading\","
             " \"achievement_type\": \"MicroCredential\", \"standards\": [{\"code\": \"1\","
             " \"title\": \"One\", \"indicators\": [{\"code\": \"1.1\", \"text\": \"First\"}]}]}",
             201);
    char *credential = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    char *path = h_strf("/v1/credentials/%s/publish", credential);
    cJSON_Delete(call("POST", path, coordinator, NULL, 200));
    free(path);
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Fall Leaders\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-20\", \"timezone\": "
                        "\"America/Chicago\", \"min_learners\": 1}",
                        credential);
    j = call("POST", "/v1/cohorts", coordinator, body, 201);
    cohort = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    free(credential);

    static const char *const people[][3] = {
        {"coach@invite.example", "Carla Coach", "coach"},
        {"lena@invite.example", "Lena Learner", "learner"},
        {"luis@invite.example", "Luis Learner", "learner"},
        {"lia@invite.example", "Lia Learner", "learner"},
        {"leo@invite.example", "Leo Learner", "learner"},
        {"wes@invite.example", "Wes Withdrawn", "learner"},
        {"ivy@invite.example", "Ivy Promoted", "learner"},
    };
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
        free(h_person(&server, admin, people[i][0], people[i][1], NULL));
        enrol(people[i][0], people[i][2]);
    }
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    free(admin);
    free(coordinator);
    free(cohort);
    for (size_t i = 0; i < n_secrets; i++)
        free(secrets[i]);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* ---- helpers ---- */

struct run {
    int status;
    char *out, *err;
};

static struct run cli(const char *token, const char *const *argv)
{
    struct run r;
    r.status = h_cli(server.url, token, argv, &r.out, &r.err);
    return r;
}

/* The CLI with no URL and no token in the environment: only what login wrote. */
static struct run cli_bare(const char *const *argv)
{
    struct run r;
    r.status = h_cli(NULL, NULL, argv, &r.out, &r.err);
    return r;
}

static void run_free(struct run *r)
{
    free(r->out);
    free(r->err);
}

static void expect_in(const char *text, const char *want, const char *what)
{
    if (!strstr(text, want))
        fail_msg("%s: expected \"%s\" in:\n%s", what, want, text);
}

/* The code `mcred invite` printed for the person with this e-mail (malloc'd). */
static char *code_for(const char *out, const char *email)
{
    const char *at = strstr(out, email);
    if (!at)
        fail_msg("mcred invite printed nothing for %s:\n%s", email, out);
    char *want = h_strf("mcred login --url %s --invite mci_", server.url);
    const char *cmd = strstr(at, want);
    if (!cmd)
        fail_msg("mcred invite printed no login command for %s:\n%s", email, out);
    cmd += strlen(want) - 4;
    free(want);
    char *code = strndup(cmd, 47);
    assert_int_equal(strspn(code + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789-_"),
                     43);
    keep_secret(code);
    return code;
}

/* Invite people through the CLI, as the coordinator; returns stdout (malloc'd). */
static char *invite(const char *const *people, size_t n)
{
    const char *argv[16] = {"invite", cohort};
    size_t k = 2;
    for (size_t i = 0; i < n; i++)
        argv[k++] = people[i];
    argv[k] = NULL;
    struct run r = cli(coordinator, argv);
    if (r.status != 0)
        fail_msg("mcred invite: exit %d\n%s", r.status, r.err);
    free(r.err);
    return r.out;
}

static char *invite_one(const char *email)
{
    const char *people[] = {email};
    char *out = invite(people, 1);
    char *code = code_for(out, email);
    free(out);
    return code;
}

/* The invitation of a person in the cohort's list: its id (malloc'd) and *state. */
static char *invitation_of(const char *email, const char *state)
{
    char *path = h_strf("/v1/cohorts/%s/invitations?limit=500", cohort);
    cJSON *list = call("GET", path, coordinator, NULL, 200);
    free(path);
    const cJSON *item;
    char *id = NULL;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(list, "items"))
    {
        if (strcmp(h_json_string(item, "email"), email) == 0 &&
            strcmp(h_json_string(item, "state"), state) == 0) {
            assert_null(cJSON_GetObjectItem(item, "code"));
            id = strdup(h_json_string(item, "id"));
            break;
        }
    }
    cJSON_Delete(list);
    if (!id)
        fail_msg("no %s invitation of %s in the list", state, email);
    return id;
}

/* The token line of a config file (malloc'd). */
static char *config_token(const char *path)
{
    char *text = h_file_read(path, NULL);
    const char *t = strstr(text, "token = mcr_");
    if (!t)
        fail_msg("%s holds no token:\n%s", path, text);
    char *token = strndup(t + 8, 47);
    free(text);
    return token;
}

/* The path that `mcred login` said it wrote (malloc'd). */
static char *config_path_from(const char *out)
{
    const char *p = strstr(out, "Your token is in ");
    if (!p)
        fail_msg("mcred login did not say where the token went:\n%s", out);
    p += strlen("Your token is in ");
    return strndup(p, strcspn(p, ";"));
}

static long me_status(const char *token)
{
    struct h_response r;
    h_http(&server, "GET", "/v1/me", token, NULL, NULL, 0, &r);
    long st = r.status;
    h_response_free(&r);
    return st;
}

/* Log in with a code into $XDG_CONFIG_HOME=dir (a new temporary one when dir is NULL). */
static struct run login_xdg(const char *code, char *dir_out)
{
    char dir[] = "/tmp/mcred-invite-xdg.XXXXXX";
    assert_non_null(mkdtemp(dir));
    if (dir_out)
        snprintf(dir_out, 64, "%s", dir);
    setenv("XDG_CONFIG_HOME", dir, 1);
    const char *argv[] = {"login", "--url", server.url, "--invite", code, NULL};
    struct run r = cli_bare(argv);
    unsetenv("XDG_CONFIG_HOME");
    return r;
}

/* ---- 1, 2: invite, log in, whoami ---- */

static char coach_config[4096];
static char learner_dir[64];

static void test_invite_login_whoami(void **state)
{
    const char *people[] = {"coach@invite.example", "lena@invite.example"};
    const char *argv_exp[] = {"invite", cohort, people[0], people[1], "--expires-in", "3", NULL};
    struct run r = cli(coordinator, argv_exp);
    if (r.status != 0)
        fail_msg("mcred invite: exit %d\n%s", r.status, r.err);
    expect_in(r.out, "Invited Carla Coach <coach@invite.example> to Fall Leaders", "mcred invite");
    expect_in(r.out, "Invited Lena Learner <lena@invite.example> to Fall Leaders", "mcred invite");
    char *coach_code = code_for(r.out, people[0]);
    char *lena_code = code_for(r.out, people[1]);
    run_free(&r);
    /* three days, as asked */
    long days = h_db_long_super(&db, "SELECT round(extract(epoch FROM expires_at - created_at)"
                                     " / 86400) FROM mcred.invitations"
                                     " ORDER BY created_at DESC LIMIT 1");
    assert_int_equal(days, 3);

    /* the coach: HOME (the harness's temporary one) */
    const char *login_argv[] = {"login",    "--url",  server.url,     "--invite",
                                coach_code, "--name", "coach laptop", NULL};
    r = cli_bare(login_argv);
    if (r.status != 0)
        fail_msg("mcred login: exit %d\n%s", r.status, r.err);
    expect_in(r.out, "Signed in as Carla Coach <coach@invite.example>", "mcred login");
    assert_null(strstr(r.out, "mcr_")); /* the token went to the file, not the screen */
    char *path = config_path_from(r.out);
    snprintf(coach_config, sizeof coach_config, "%s", path);
    expect_in(path, "/.config/mcred/config", "the config path under HOME");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *text = h_file_read(path, NULL);
    char *want_url = h_strf("url = %s\n", server.url);
    expect_in(text, want_url, "the config file");
    free(want_url);
    free(text);
    char *coach_token = config_token(path);
    keep_secret(coach_token);
    run_free(&r);
    free(path);

    const char *whoami[] = {"whoami", NULL};
    r = cli_bare(whoami);
    if (r.status != 0)
        fail_msg("mcred whoami after login: exit %d\n%s", r.status, r.err);
    expect_in(r.out, "coach@invite.example", "mcred whoami");
    run_free(&r);
    /* the coach can act as themselves in their cohort */
    const char *members[] = {"member", "list", cohort, NULL};
    r = cli_bare(members);
    assert_int_equal(r.status, 0);
    expect_in(r.out, "lena@invite.example", "mcred member list as the coach");
    run_free(&r);

    /* the learner: XDG_CONFIG_HOME */
    r = login_xdg(lena_code, learner_dir);
    if (r.status != 0)
        fail_msg("mcred login (learner): exit %d\n%s", r.status, r.err);
    expect_in(r.out, "Signed in as Lena Learner", "mcred login");
    char *lpath = h_strf("%s/mcred/config", learner_dir);
    expect_in(r.out, lpath, "mcred login names the XDG config");
    assert_int_equal(stat(lpath, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *lena_token = config_token(lpath);
    keep_secret(lena_token);
    assert_int_equal(me_status(lena_token), 200);
    run_free(&r);
    setenv("XDG_CONFIG_HOME", learner_dir, 1);
    r = cli_bare(whoami);
    unsetenv("XDG_CONFIG_HOME");
    assert_int_equal(r.status, 0);
    expect_in(r.out, "lena@invite.example", "mcred whoami as the learner");
    run_free(&r);
    free(lpath);

    /* the list shows both used, with the tokens they led to */
    const char *list_argv[] = {"--json", "invite", "list", cohort, NULL};
    r = cli(coordinator, list_argv);
    assert_int_equal(r.status, 0);
    cJSON *list = cJSON_Parse(r.out);
    assert_non_null(list);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(list, "items")), 2);
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(list, "items"))
    {
        assert_string_equal(h_json_string(item, "state"), "used");
        assert_non_null(h_json_string(item, "token"));
        assert_true(cJSON_IsFalse(cJSON_GetObjectItem(item, "token_revoked")));
        assert_null(cJSON_GetObjectItem(item, "code"));
    }
    cJSON_Delete(list);
    assert_null(strstr(r.out, "mci_"));
    run_free(&r);
    const char *table_argv[] = {"invite", "list", cohort, NULL};
    r = cli(coordinator, table_argv);
    assert_int_equal(r.status, 0);
    expect_in(r.out, "Carla Coach", "mcred invite list");
    expect_in(r.out, "used", "mcred invite list");
    run_free(&r);

    /* 2: HOME's config holds the coach's token: not replaced without --force, code not spent */
    char *luis_code = invite_one("luis@invite.example");
    const char *again[] = {"login", "--url", server.url, "--invite", luis_code, NULL};
    r = cli_bare(again);
    assert_int_equal(r.status, 2);
    expect_in(r.err, "holds a token already; use --force", "mcred login over a config");
    run_free(&r);
    char *luis = invitation_of("luis@invite.example", "pending");
    free(luis);
    text = h_file_read(coach_config, NULL);
    expect_in(text, coach_token, "the coach's config, untouched");
    free(text);
    const char *forced[] = {"login", "--url", server.url, "--invite", luis_code, "--force", NULL};
    r = cli_bare(forced);
    if (r.status != 0)
        fail_msg("mcred login --force: exit %d\n%s", r.status, r.err);
    run_free(&r);
    r = cli_bare(whoami);
    assert_int_equal(r.status, 0);
    expect_in(r.out, "luis@invite.example", "mcred whoami after login --force");
    run_free(&r);
    char *luis_token = config_token(coach_config);
    keep_secret(luis_token);
    free(luis_token);
    /* the coach's token still works: replacing a file revokes nothing */
    assert_int_equal(me_status(coach_token), 200);

    free(coach_code);
    free(lena_code);
    free(luis_code);
    free(coach_token);
    free(lena_token);
}

/* ---- 3, 4: used, expired, revoked, replaced; revoking a used one ---- */

static void expect_refused(const char *code, const char *words, const char *what)
{
    char *before = h_org_snapshot_all(&db, org_slug);
    char dir[64];
    struct run r = login_xdg(code, dir);
    if (r.status != 4)
        fail_msg("%s: mcred login exit %d, want 4\n%s%s", what, r.status, r.out, r.err);
    expect_in(r.err, words, what);
    char *cfg = h_strf("%s/mcred/config", dir);
    struct stat st;
    assert_int_not_equal(stat(cfg, &st), 0); /* no config written */
    free(cfg);
    run_free(&r);
    char *after = h_org_snapshot_all(&db, org_slug);
    if (strcmp(before, after) != 0)
        fail_msg("%s: refused, but something was written", what);
    free(before);
    free(after);
}

static void test_refused_codes(void **state)
{
    /* used: the coach's code again, and again over HTTP */
    char *lia_code = invite_one("lia@invite.example");
    char dir[64];
    struct run r = login_xdg(lia_code, dir);
    assert_int_equal(r.status, 0);
    char *cfg = h_strf("%s/mcred/config", dir);
    char *lia_token = config_token(cfg);
    keep_secret(lia_token);
    free(cfg);
    run_free(&r);
    expect_refused(lia_code, "this invitation has already been used", "a used code");

    /* expired: its row moved into the past */
    char *leo_code = invite_one("leo@invite.example");
    h_db_exec_super(&db, "UPDATE mcred.invitations i SET created_at = now() - interval '9 days',"
                         " expires_at = now() - interval '2 days' FROM mcred.people p"
                         " WHERE p.org_id = i.org_id AND p.id = i.person_id"
                         " AND p.email = 'leo@invite.example'");
    expect_refused(leo_code, "this invitation to Fall Leaders expired at", "an expired code");
    char *leo = invitation_of("leo@invite.example", "expired");
    free(leo);

    /* replaced: inviting Leo again revokes the expired one, and a newer one replaces that */
    char *leo_code2 = invite_one("leo@invite.example");
    char *leo_code3 = invite_one("leo@invite.example");
    expect_refused(leo_code2, "was withdrawn or replaced by a newer one", "a replaced code");
    expect_refused(leo_code, "was withdrawn or replaced", "an expired, then replaced code");

    /* revoked by the coordinator */
    char *pending = invitation_of("leo@invite.example", "pending");
    const char *revoke[] = {"invite", "revoke", pending, NULL};
    r = cli(coordinator, revoke);
    if (r.status != 0)
        fail_msg("mcred invite revoke: exit %d\n%s", r.status, r.err);
    expect_in(r.out, "Revoked the invitation of Leo Learner <leo@invite.example> to Fall Leaders",
              "mcred invite revoke");
    run_free(&r);
    expect_refused(leo_code3, "was withdrawn or replaced", "a revoked code");
    free(pending);

    /* made a leader after the invitation: it must not hand out a leader's access */
    char *ivy_code = invite_one("ivy@invite.example");
    char *ivy = h_db_query_super(&db, "SELECT id FROM mcred.people"
                                      " WHERE email = 'ivy@invite.example'");
    char *ivy_path = h_strf("/v1/people/%s", ivy);
    cJSON_Delete(call("PATCH", ivy_path, admin, "{\"org_role\": \"leader\"}", 200));
    expect_refused(ivy_code, "can no longer be used", "a code of someone made a leader since");
    free(ivy_path);
    free(ivy);
    free(ivy_code);

    /* unknown and malformed: one message */
    expect_refused("mci_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                   "this invitation code is not valid", "an unknown code");
    expect_refused("hello", "this invitation code is not valid", "a malformed code");

    /* 4: revoking a used invitation revokes its token */
    assert_int_equal(me_status(lia_token), 200);
    char *lia = invitation_of("lia@invite.example", "used");
    const char *revoke_used[] = {"invite", "revoke", lia, NULL};
    long audit_before = h_db_long_super(&db, "SELECT count(*) FROM mcred.audit");
    r = cli(coordinator, revoke_used);
    assert_int_equal(r.status, 0);
    expect_in(r.out, "the token it gave them is revoked, so they are signed out",
              "mcred invite revoke of a used invitation");
    run_free(&r);
    assert_int_equal(me_status(lia_token), 401);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.audit"), audit_before + 1);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.audit"
                                          " WHERE action = 'invitation.token_revoke'"),
                     1);
    /* again: nothing left to revoke, nothing written */
    r = cli(coordinator, revoke_used);
    assert_int_equal(r.status, 0);
    expect_in(r.out, "Nothing to revoke", "mcred invite revoke twice");
    run_free(&r);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.audit"), audit_before + 1);
    char *path = h_strf("/v1/cohorts/%s/invitations?state=used", cohort);
    cJSON *list = call("GET", path, coordinator, NULL, 200);
    const cJSON *item;
    bool seen = false;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(list, "items"))
    {
        if (strcmp(h_json_string(item, "id"), lia) == 0) {
            assert_true(cJSON_IsTrue(cJSON_GetObjectItem(item, "token_revoked")));
            seen = true;
        }
    }
    assert_true(seen);
    cJSON_Delete(list);
    free(path);

    /* an unknown invitation id: 404, exit 3 */
    const char *unknown[] = {"invite", "revoke", "00000000-0000-4000-8000-000000000000", NULL};
    r = cli(coordinator, unknown);
    assert_int_equal(r.status, 3);
    run_free(&r);

    free(lia);
    free(lia_token);
    free(lia_code);
    free(leo_code);
    free(leo_code2);
    free(leo_code3);
}

/* ---- 5: who cannot be invited ---- */

static void test_refused_people(void **state)
{
    free(h_person(&server, admin, "rita@invite.example", "Rita Leader", "leader"));
    enrol("rita@invite.example", "learner"); /* a leader who takes the course */
    free(h_person(&server, admin, "otto@invite.example", "Otto Outside", NULL));
    char *path = h_strf("/v1/cohorts/%s/members/%s", cohort, "wes@invite.example");
    /* withdraw Wes (by id: the path takes ids) */
    char *wes = h_db_query_super(&db, "SELECT id FROM mcred.people"
                                      " WHERE email = 'wes@invite.example'");
    free(path);
    path = h_strf("/v1/cohorts/%s/members/%s", cohort, wes);
    cJSON_Delete(call("DELETE", path, coordinator, NULL, 200));
    free(path);
    free(wes);

    char *before = h_org_snapshot_all(&db, org_slug);
    const char *argv[] = {"invite",
                          cohort,
                          "cora@invite.example",
                          "rita@invite.example",
                          "otto@invite.example",
                          "wes@invite.example",
                          "nobody@invite.example",
                          "lena@invite.example",
                          "LENA@invite.example",
                          NULL};
    struct run r = cli(coordinator, argv);
    assert_int_equal(r.status, 1);
    expect_in(r.err, "6 of the people cannot be invited; nobody was invited", "mcred invite");
    expect_in(r.err,
              "Cora Reyes (cora@invite.example) is a coordinator of your organisation: "
              "invitations are only for coaches and learners, so an admin must give them their "
              "access",
              "a coordinator");
    expect_in(r.err, "Rita Leader (rita@invite.example) is a leader of your organisation",
              "a leader enrolled as a learner");
    expect_in(r.err, "Otto Outside (otto@invite.example) is not a coach or learner of Fall Leaders",
              "a non-member");
    expect_in(r.err, "Wes Withdrawn (wes@invite.example) has withdrawn from Fall Leaders",
              "a withdrawn member");
    expect_in(r.err, "no one in your organisation has the e-mail nobody@invite.example",
              "an unknown e-mail");
    expect_in(r.err, "Lena Learner (lena@invite.example) is named twice", "a duplicate");
    assert_null(strstr(r.err, "mci_"));
    assert_null(strstr(r.out, "mci_"));
    run_free(&r);
    char *after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(after);

    /* the same over HTTP: 422, every problem beside the error */
    path = h_strf("/v1/cohorts/%s/invitations", cohort);
    cJSON *j = call("POST", path, coordinator,
                    "{\"people\": [\"lena@invite.example\", \"cora@invite.example\", 7]}", 422);
    assert_string_equal(h_json_string(j, "error.code"), "invalid");
    const cJSON *errors = cJSON_GetObjectItem(j, "errors");
    assert_int_equal(cJSON_GetArraySize(errors), 2);
    assert_string_equal(h_json_string(j, "errors[0].field"), "people[1]");
    assert_string_equal(h_json_string(j, "errors[1].field"), "people[2]");
    expect_in(h_json_string(j, "errors[1].message"), "must be an e-mail or an id", "a number");
    cJSON_Delete(j);
    /* one problem: it is the message */
    j = call("POST", path, coordinator, "{\"people\": [\"admin@invite.example\"]}", 422);
    expect_in(h_json_string(j, "error.message"), "is an admin of your organisation",
              "inviting the admin");
    assert_string_equal(h_json_string(j, "error.field"), "people[0]");
    cJSON_Delete(j);
    cJSON_Delete(call("POST", path, coordinator, "{\"people\": []}", 422));
    cJSON_Delete(call("POST", path, coordinator,
                      "{\"people\": [\"lena@invite.example\"], \"expires_in_days\": 31}", 422));
    cJSON_Delete(call("POST", path, coordinator,
                      "{\"people\": [\"lena@invite.example\"], \"colour\": 1}", 422));
    after = h_org_snapshot_all(&db, org_slug);
    assert_string_equal(before, after);
    free(after);
    free(before);
    free(path);

    /* usage: exit 2, nothing sent */
    const char *bad_days[] = {"invite", cohort, "lena@invite.example", "--expires-in", "0", NULL};
    r = cli(coordinator, bad_days);
    assert_int_equal(r.status, 2);
    expect_in(r.err, "--expires-in must be a number of days from 1 to 30", "--expires-in 0");
    run_free(&r);
    const char *no_people[] = {"invite", cohort, NULL};
    r = cli(coordinator, no_people);
    assert_int_equal(r.status, 2);
    run_free(&r);
    const char *no_code[] = {"login", "--url", server.url, NULL};
    r = cli_bare(no_code);
    assert_int_equal(r.status, 2);
    expect_in(r.err, "--invite CODE is required", "mcred login without a code");
    run_free(&r);

    /* a cohort that does not exist: 404, exit 3 */
    const char *missing[] = {"invite", "00000000-0000-4000-8000-000000000000",
                             "lena@invite.example", NULL};
    r = cli(coordinator, missing);
    assert_int_equal(r.status, 3);
    run_free(&r);
    /* a learner may not invite */
    char *coach_token = config_token(coach_config); /* HOME's config holds Luis's token now */
    const char *as_learner[] = {"invite", cohort, "lena@invite.example", NULL};
    r = cli(coach_token, as_learner);
    assert_int_equal(r.status, 4);
    run_free(&r);
    free(coach_token);
}

/* ---- 6: racing accepts ---- */

static void test_race(void **state)
{
    char *code = invite_one("leo@invite.example");
    char *body = h_strf("{\"code\": \"%s\"}", code);
    enum { RACERS = 4 };
    pid_t pids[RACERS];
    for (int i = 0; i < RACERS; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            struct h_response r;
            h_post_json(&server, "/v1/invitations/accept", NULL, body, &r);
            if (r.status == 201 && h_json_string(r.json, "token"))
                _exit(0);
            _exit(r.status == 401 && strstr(r.body, "already been used") ? 1 : 2);
        }
    }
    int won = 0, lost = 0;
    for (int i = 0; i < RACERS; i++) {
        int st = 0;
        assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
        assert_true(WIFEXITED(st));
        won += WEXITSTATUS(st) == 0;
        lost += WEXITSTATUS(st) == 1;
    }
    assert_int_equal(won, 1);
    assert_int_equal(lost, RACERS - 1);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.tokens t"
                                          " JOIN mcred.people p ON p.id = t.person_id"
                                          " WHERE p.email = 'leo@invite.example'"),
                     1);
    free(body);
    free(code);
}

/* ---- 7: bad codes count against the address ---- */

static void test_rate_limit(void **state)
{
    struct h_server limited;
    const char *env[] = {"MCRED_AUTH_FAIL_LIMIT=3", "MCRED_AUTH_FAIL_WINDOW=600", NULL};
    h_server_start_like(&server, env, &limited);
    char *good = invite_one("luis@invite.example");
    char *good_body = h_strf("{\"code\": \"%s\"}", good);
    struct h_response r;
    /* a bad token and two bad codes: three failures */
    h_http(&limited, "GET", "/v1/me", "mcr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, NULL,
           0, &r);
    assert_int_equal(r.status, 401);
    h_response_free(&r);
    for (int i = 0; i < 2; i++) {
        h_post_json(&limited, "/v1/invitations/accept", NULL, "{\"code\": \"mci_nope\"}", &r);
        assert_int_equal(r.status, 401);
        h_response_free(&r);
    }
    /* now even a good code waits, and is not spent */
    h_post_json(&limited, "/v1/invitations/accept", NULL, good_body, &r);
    assert_int_equal(r.status, 429);
    char *retry = h_response_header(&r, "Retry-After");
    assert_non_null(retry);
    free(retry);
    h_response_free(&r);
    assert_int_equal(h_server_stop(&limited), 0);
    char *pending = invitation_of("luis@invite.example", "pending");
    free(pending);
    /* the other server keeps its own count: there the code works */
    h_post_json(&server, "/v1/invitations/accept", NULL, good_body, &r);
    assert_int_equal(r.status, 201);
    keep_secret(h_json_string(r.json, "token"));
    h_response_free(&r);
    free(good_body);
    free(good);
}

/* ---- 8: no secret anywhere ---- */

static int look_for_secrets(const char *where, const char *text)
{
    int found = 0;
    for (size_t i = 0; i < n_secrets; i++)
        if (strstr(text, secrets[i]) || strstr(text, secrets[i] + 4)) {
            fprintf(stderr, "%s contains %s\n", where, secrets[i]);
            found++;
        }
    return found;
}

static void test_no_secret_kept(void **state)
{
    assert_true(n_secrets >= 10);
    int found = 0;
    char *dump = h_db_dump(&db);
    assert_non_null(strstr(dump, "lena@invite.example"));
    assert_non_null(strstr(dump, "mcred.invitations"));
    found += look_for_secrets("pg_dump", dump);
    free(dump);
    char *audit = h_db_query_super(
        &db, "SELECT string_agg(action || coalesce(before::text, '') || coalesce(after::text, ''),"
             " '') FROM mcred.audit");
    assert_non_null(strstr(audit, "invitation.create"));
    assert_non_null(strstr(audit, "invitation.accept"));
    assert_non_null(strstr(audit, "invitation.revoke"));
    assert_non_null(strstr(audit, "invitation.replace"));
    assert_non_null(strstr(audit, "invitation.token_revoke"));
    found += look_for_secrets("mcred.audit", audit);
    free(audit);
    char *log = h_file_read(server.log_path, NULL);
    assert_non_null(strstr(log, "/v1/invitations/accept"));
    found += look_for_secrets("the server log", log);
    free(log);
    assert_int_equal(found, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invite_login_whoami), cmocka_unit_test(test_refused_codes),
        cmocka_unit_test(test_refused_people),      cmocka_unit_test(test_race),
        cmocka_unit_test(test_rate_limit),          cmocka_unit_test(test_no_secret_kept),
    };
    return h_run_tests(tests, setup, teardown);
}
