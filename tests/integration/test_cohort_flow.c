/*
 * test_cohort_flow.c — the seed's first cohort, end to end, the way a
 * coordinator runs it: mostly through the mcred CLI, checked through the
 * HTTP API, the CLI's own output and the outbox (mcred.events, read as
 * the superuser).
 *
 *   1. `mcred credential import` the seed, `mcred credential publish` it;
 *   2. `mcred cohort create` a cohort in America/New_York;
 *   3. `mcred member import` a roster of 15 learners and 2 coaches
 *      (tests/fixtures/first-cohort-roster.csv; learners assigned to
 *      coaches by the `coach` column, the coaches listed after their
 *      learners), after a dry run over HTTP; importing it again changes
 *      nothing;
 *   4. `mcred session schedule --first 2026-10-20T17:00 --count 6`: six
 *      weekly sessions across the end of US daylight-saving time on
 *      2026-11-01, every one at 17:00 local, 21:00Z before and 22:00Z
 *      after;
 *   5. attendance for every session and learner, with every mode: by
 *      `mcred attendance record` and by HTTP PUT (the coordinator, and each
 *      coach for their own learners), partly in two PUTs; one record
 *      re-recorded (replaced, audited twice);
 *   6. what the API shows (cohort counts, members, sessions, attendance),
 *      what the CLI shows (--json and tables) and the events:
 *      17 member.enrolled, 6 session.scheduled, one attendance.recorded
 *      per PUT, with the data of docs/api.md §Events;
 *   7. `mcred member add --role coach` and `mcred member withdraw`, and
 *      the exit codes of DESIGN.md §7 (1 for the server's 409, 3 for a
 *      cohort that does not exist, 4 for a learner listing members).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define ROSTER      MCRED_FIXTURES_DIR "/first-cohort-roster.csv"
#define SEED        MCRED_FIXTURES_DIR "/equity-excellence.json"
#define N_LEARNERS  15
#define N_COACHES   2
#define N_SESSIONS  6
#define MAX_RECORDS (N_LEARNERS * N_SESSIONS)

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "first";
static char *admin;       /* token */
static char *coordinator; /* token: the coordinator does the work */

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org_slug, "admin@first.example");
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
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* ---- the roster, as the fixture has it ---- */

struct roster_person {
    char email[128];
    char coach[128]; /* the learner's coach's e-mail; "" for coaches */
    bool is_coach;
    char id[64]; /* from the API, once enrolled */
};
static struct roster_person learners[N_LEARNERS], coaches[N_COACHES];

/* The fixture's e-mail, role and coach columns (quoted cells hold no quotes). */
static void read_roster(void)
{
    char *csv = h_file_read(ROSTER, NULL);
    int nl = 0, nc = 0;
    char *save = NULL;
    strtok_r(csv, "\n", &save); /* the header: email,name,role,coach,school,position */
    for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char email[128] = "", role[32] = "", coach[128] = "";
        char *cells[4] = {email, NULL, role, coach};
        size_t sizes[4] = {sizeof email, 0, sizeof role, sizeof coach};
        char *p = line;
        for (int col = 0; col < 4; col++) {
            bool quoted = *p == '"';
            if (quoted)
                p++;
            char *end = quoted ? strchr(p, '"') : p + strcspn(p, ",");
            if (cells[col])
                snprintf(cells[col], sizes[col], "%.*s", (int)(end - p), p);
            p = quoted ? end + 1 : end;
            if (*p == ',')
                p++;
        }
        struct roster_person *rp;
        if (strcmp(role, "coach") == 0) {
            assert_true(nc < N_COACHES);
            rp = &coaches[nc++];
            rp->is_coach = true;
        } else {
            assert_true(nl < N_LEARNERS);
            rp = &learners[nl++];
        }
        snprintf(rp->email, sizeof rp->email, "%s", email);
        snprintf(rp->coach, sizeof rp->coach, "%s", coach);
    }
    assert_int_equal(nl, N_LEARNERS);
    assert_int_equal(nc, N_COACHES);
    free(csv);
}

static const struct roster_person *coach_by_email(const char *email)
{
    for (int i = 0; i < N_COACHES; i++)
        if (strcmp(coaches[i].email, email) == 0)
            return &coaches[i];
    return NULL;
}

/* ---- helpers ---- */

/* Run the CLI as the coordinator; it must exit 0.  Returns stdout (malloc'd). */
static char *cli_ok(const char *const *argv)
{
    char *out = NULL, *err = NULL;
    int st = h_cli(server.url, coordinator, argv, &out, &err);
    if (st != 0) {
        char cmd[1024] = "mcred";
        size_t len = strlen(cmd);
        for (const char *const *a = argv; *a; a++)
            len += (size_t)snprintf(cmd + len, sizeof cmd - len, " %s", *a);
        fail_msg("%s: exit %d\nstdout: %s\nstderr: %s", cmd, st, out, err);
    }
    free(err);
    return out;
}

static cJSON *get_json(const char *path)
{
    struct h_response r;
    h_call(&server, "GET", path, coordinator, NULL, 200, &r);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

static void expect_in_output(const char *out, const char *want, const char *what)
{
    if (!strstr(out, want))
        fail_msg("%s does not show %s:\n%s", what, want, out);
}

/* The modes of the six weeks, each learner a little differently: every mode appears. */
static const char *mode_for(int learner, int week)
{
    static const char *const modes[] = {"in_person", "online",  "in_person",
                                        "online",    "absent",  "asynchronous",
                                        "in_person", "excused", "online"};
    return modes[(learner * 4 + week * 7) % 9];
}

/* One PUT as written: who was recorded, how. */
struct put {
    int week;             /* 0-based session */
    int first, count;     /* learners [first, first + count) */
    const char *override; /* a mode for all of them, or NULL for mode_for */
};

static char session_ids[N_SESSIONS][64];
static char *cohort_id;

static char *attendance_body(const struct put *p)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(body, "attendance");
    for (int i = p->first; i < p->first + p->count; i++) {
        cJSON *item = cJSON_CreateObject();
        /* by e-mail and by id, alternately */
        if (i % 2)
            cJSON_AddStringToObject(item, "person", learners[i].id);
        else
            cJSON_AddStringToObject(item, "email", learners[i].email);
        cJSON_AddStringToObject(item, "mode", p->override ? p->override : mode_for(i, p->week));
        cJSON_AddItemToArray(list, item);
    }
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    return text;
}

/* An attendance.recorded event holds exactly the records of put p. */
static void expect_attendance_event(const cJSON *data, const struct put *p)
{
    char *text = cJSON_PrintUnformatted(data);
    const char *cohort = h_json_string(data, "cohort"), *session = h_json_string(data, "session");
    const cJSON *records = h_json_at(data, "records");
    if (!cohort || strcmp(cohort, cohort_id) != 0 || !session ||
        strcmp(session, session_ids[p->week]) != 0 || !cJSON_IsArray(records) ||
        cJSON_GetArraySize(records) != p->count)
        fail_msg("attendance.recorded %s: want cohort %s, session %s and %d records", text,
                 cohort_id, session_ids[p->week], p->count);
    for (int i = p->first; i < p->first + p->count; i++) {
        const char *mode = p->override ? p->override : mode_for(i, p->week);
        bool found = false;
        const cJSON *rec;
        cJSON_ArrayForEach(rec, records)
        {
            const char *person = h_json_string(rec, "person");
            const char *email = h_json_string(rec, "email");
            const char *m = h_json_string(rec, "mode");
            found |= person && strcmp(person, learners[i].id) == 0 && email &&
                     strcasecmp(email, learners[i].email) == 0 && m && strcmp(m, mode) == 0;
        }
        if (!found)
            fail_msg("attendance.recorded %s: no record {person %s, email %s, mode %s}", text,
                     learners[i].id, learners[i].email, mode);
    }
    free(text);
}

/* GET a session's attendance: every learner with their mode (overrides for learner 0 of week 0
 * when `rerecorded`), recorded by whom we expect. */
static void expect_attendance(int week, const char *rerecorded_mode)
{
    char *path = h_strf("/v1/sessions/%s/attendance", session_ids[week]);
    cJSON *j = get_json(path);
    const cJSON *items = h_json_at(j, "items");
    if (cJSON_GetArraySize(items) != N_LEARNERS) {
        char *text = cJSON_PrintUnformatted(j);
        fail_msg("GET %s (week %d): %d records, want %d: %.3000s", path, week + 1,
                 cJSON_GetArraySize(items), N_LEARNERS, text);
    }
    assert_true(cJSON_IsNull(h_json_at(j, "next")));
    for (int i = 0; i < N_LEARNERS; i++) {
        const char *want = (i == 0 && rerecorded_mode) ? rerecorded_mode : mode_for(i, week);
        const cJSON *found = NULL, *item;
        cJSON_ArrayForEach(item, items)
        {
            const char *id = h_json_string(item, "person.id");
            if (id && strcmp(id, learners[i].id) == 0)
                found = item;
        }
        if (!found)
            fail_msg("GET %s: no record for %s", path, learners[i].email);
        assert_string_equal(h_json_string(found, "person.email"), learners[i].email);
        assert_non_null(h_json_string(found, "person.name"));
        if (strcmp(h_json_string(found, "mode"), want) != 0)
            fail_msg("GET %s: %s is %s, want %s", path, learners[i].email,
                     h_json_string(found, "mode"), want);
        assert_non_null(h_json_string(found, "recorded_at"));
        const char *by = h_json_string(found, "recorded_by.email");
        assert_non_null(by);
        /* week 5 (index 4) was recorded by each learner's coach */
        const char *want_by = week == 4 && !(i == 0 && rerecorded_mode)
                                  ? learners[i].coach
                                  : "maria.lopez@district.example";
        if (strcmp(by, want_by) != 0)
            fail_msg("GET %s: %s recorded by %s, want %s", path, learners[i].email, by, want_by);
    }
    cJSON_Delete(j);
    free(path);
}

static void test_first_cohort(void **state)
{
    read_roster();
    struct h_response r;

    /* ---- 1. the credential, through the CLI ---- */
    const char *import_argv[] = {"--json", "credential", "import", SEED, NULL};
    char *out = cli_ok(import_argv);
    cJSON *list = get_json("/v1/credentials?slug=equity-excellence");
    assert_int_equal(cJSON_GetArraySize(h_json_at(list, "items")), 1);
    char *credential = strdup(h_json_string(list, "items[0].id"));
    assert_string_equal(h_json_string(list, "items[0].status"), "draft");
    cJSON_Delete(list);
    cJSON *printed = cJSON_Parse(out);
    if (!printed)
        fail_msg("mcred --json credential import printed no JSON: %s", out);
    expect_in_output(out, credential, "mcred --json credential import");
    cJSON_Delete(printed);
    free(out);

    const char *publish_argv[] = {"credential", "publish", credential, NULL};
    free(cli_ok(publish_argv));
    char *path = h_strf("/v1/credentials/%s", credential);
    cJSON *cred = get_json(path);
    assert_string_equal(h_json_string(cred, "status"), "published");
    assert_int_equal(cJSON_GetArraySize(h_json_at(cred, "standards")), 4);
    cJSON_Delete(cred);
    free(path);

    const char *cred_list_argv[] = {"credential", "list", NULL};
    out = cli_ok(cred_list_argv);
    expect_in_output(out, "equity-excellence", "mcred credential list");
    expect_in_output(out, "published", "mcred credential list");
    free(out);
    const char *cred_show_argv[] = {"credential", "show", credential, NULL};
    out = cli_ok(cred_show_argv);
    expect_in_output(out, "Identifying and Mitigating Inequities", "mcred credential show");
    expect_in_output(out, "4.3", "mcred credential show");
    free(out);

    /* ---- 2. the cohort, through the CLI ---- */
    const char *create_argv[] = {"--json",           "cohort", "create",       "--credential",
                                 credential,         "--name", "First cohort", "--starts",
                                 "2026-10-20",       "--ends", "2026-11-24",   "--timezone",
                                 "America/New_York", NULL};
    out = cli_ok(create_argv);
    list = get_json("/v1/cohorts");
    assert_int_equal(cJSON_GetArraySize(h_json_at(list, "items")), 1);
    cohort_id = strdup(h_json_string(list, "items[0].id"));
    cJSON_Delete(list);
    expect_in_output(out, cohort_id, "mcred --json cohort create");
    free(out);
    char *cohort_path = h_strf("/v1/cohorts/%s", cohort_id);
    cJSON *c = get_json(cohort_path);
    assert_string_equal(h_json_string(c, "name"), "First cohort");
    assert_string_equal(h_json_string(c, "timezone"), "America/New_York");
    assert_string_equal(h_json_string(c, "starts_on"), "2026-10-20");
    assert_string_equal(h_json_string(c, "ends_on"), "2026-11-24");
    /* its starts_on has passed: active by its dates */
    assert_string_equal(h_json_string(c, "status"), "active");
    assert_string_equal(h_json_string(c, "credential.id"), credential);
    assert_int_equal(h_json_long(c, "learners"), 0);
    cJSON_Delete(c);

    /* ---- 3. the roster ---- */
    /* one learner is already a person of the organisation, without attributes */
    free(h_person(&server, coordinator, learners[0].email, "Aisha Bello", NULL));
    char *csv = h_file_read(ROSTER, NULL);
    char *import_path = h_strf("/v1/cohorts/%s/members/import", cohort_id);
    char *dry_path = h_strf("%s?dry_run=true", import_path);
    char *before = h_org_snapshot(&db, org_slug);
    h_http(&server, "POST", dry_path, coordinator, "text/csv", csv, strlen(csv), &r);
    if (r.status != 200)
        fail_msg("POST %s: %ld %s", dry_path, r.status, r.body);
    cJSON *want_counts = cJSON_Parse("{\"dry_run\": true, \"rows\": 17, \"people_created\": 16, "
                                     "\"people_updated\": 1, \"enrolled\": 17, \"waitlisted\": "
                                     "0, \"unchanged\": 0, \"errors\": []}");
    char where[256];
    if (!h_json_contains(r.json, want_counts, where, sizeof where))
        fail_msg("POST %s: %s; want %s (differs at %s)", dry_path, r.body,
                 cJSON_PrintUnformatted(want_counts), where);
    h_response_free(&r);
    char *after = h_org_snapshot(&db, org_slug);
    if (strcmp(before, after) != 0)
        fail_msg("the dry run wrote something:\n before %s\n after  %s", before, after);
    free(before);
    free(after);

    const char *member_import_argv[] = {"member", "import", cohort_id, ROSTER, NULL};
    free(cli_ok(member_import_argv));

    /* the members as the API shows them: learners first, then coaches */
    char *members_path = h_strf("/v1/cohorts/%s/members", cohort_id);
    cJSON *members = get_json(members_path);
    const cJSON *items = h_json_at(members, "items");
    assert_int_equal(cJSON_GetArraySize(items), N_LEARNERS + N_COACHES);
    assert_true(cJSON_IsNull(h_json_at(members, "next")));
    for (int i = 0; i < N_LEARNERS + N_COACHES; i++) {
        struct roster_person *rp = i < N_LEARNERS ? &learners[i] : &coaches[i - N_LEARNERS];
        const cJSON *m = NULL, *item;
        int at = 0, index = -1;
        cJSON_ArrayForEach(item, items)
        {
            const char *email = h_json_string(item, "person.email");
            if (email && strcmp(email, rp->email) == 0) {
                m = item;
                index = at;
            }
            at++;
        }
        if (!m)
            fail_msg("GET %s: %s is not a member", members_path, rp->email);
        if ((index < N_LEARNERS) != !rp->is_coach)
            fail_msg("GET %s: %s (%s) is item %d: learners come first, then coaches", members_path,
                     rp->email, rp->is_coach ? "coach" : "learner", index);
        snprintf(rp->id, sizeof rp->id, "%s", h_json_string(m, "person.id"));
        assert_non_null(h_json_string(m, "person.name"));
        assert_string_equal(h_json_string(m, "role"), rp->is_coach ? "coach" : "learner");
        assert_string_equal(h_json_string(m, "status"), "enrolled");
        assert_true(cJSON_IsNull(h_json_at(m, "waitlist_position")));
        if (rp->is_coach) {
            assert_true(cJSON_IsNull(h_json_at(m, "coach")));
        } else {
            const char *coach = h_json_string(m, "coach.email");
            if (!coach || strcmp(coach, rp->coach) != 0)
                fail_msg("%s's coach is %s, want %s", rp->email, coach ? coach : "none", rp->coach);
        }
    }
    cJSON_Delete(members);
    /* the attributes came with the people */
    char *sql =
        h_strf("SELECT attributes->>'position' FROM mcred.people WHERE id = '%s'", learners[0].id);
    char *position = h_db_query_super(&db, sql);
    assert_non_null(position);
    assert_string_equal(position, "principal");
    free(position);
    free(sql);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.people p JOIN mcred.orgs o"
                                          " ON o.id = p.org_id WHERE o.slug = 'first'"),
                     2 + N_LEARNERS + N_COACHES);
    c = get_json(cohort_path);
    assert_int_equal(h_json_long(c, "learners"), N_LEARNERS);
    assert_int_equal(h_json_long(c, "waitlisted"), 0);
    assert_int_equal(h_json_long(c, "coaches"), N_COACHES);
    cJSON_Delete(c);

    /* the same roster again: everyone keeps their place, nothing new */
    h_http(&server, "POST", import_path, coordinator, "text/csv", csv, strlen(csv), &r);
    if (r.status != 200)
        fail_msg("POST %s again: %ld %s", import_path, r.status, r.body);
    cJSON *again = cJSON_Parse("{\"dry_run\": false, \"rows\": 17, \"people_created\": 0, "
                               "\"people_updated\": 0, \"enrolled\": 0, \"waitlisted\": 0, "
                               "\"unchanged\": 17, \"errors\": []}");
    if (!h_json_contains(r.json, again, where, sizeof where))
        fail_msg("POST %s again: %s; want %s (differs at %s)", import_path, r.body,
                 cJSON_PrintUnformatted(again), where);
    h_response_free(&r);
    cJSON_Delete(again);
    cJSON *enrolled = h_org_events(&db, org_slug, "member.enrolled");
    assert_int_equal(cJSON_GetArraySize(enrolled), N_LEARNERS + N_COACHES);
    cJSON_Delete(enrolled);

    /* ---- 4. six weekly sessions across the end of daylight-saving time ---- */
    const char *schedule_argv[] = {"session",          "schedule", cohort_id, "--first",
                                   "2026-10-20T17:00", "--count",  "6",       NULL};
    free(cli_ok(schedule_argv));
    static const char *const days[N_SESSIONS] = {"2026-10-20", "2026-10-27", "2026-11-03",
                                                 "2026-11-10", "2026-11-17", "2026-11-24"};
    char *sessions_path = h_strf("/v1/cohorts/%s/sessions", cohort_id);
    cJSON *sessions = get_json(sessions_path);
    items = h_json_at(sessions, "items");
    assert_int_equal(cJSON_GetArraySize(items), N_SESSIONS);
    assert_true(cJSON_IsNull(h_json_at(sessions, "next")));
    for (int w = 0; w < N_SESSIONS; w++) {
        const cJSON *s = cJSON_GetArrayItem(items, w);
        char *local = h_strf("%sT17:00", days[w]);
        /* EDT (UTC-4) until 2026-11-01, EST (UTC-5) after */
        char *utc = h_strf("%sT%s:00:00Z", days[w], w < 2 ? "21" : "22");
        const char *got_local = h_json_string(s, "local_start");
        const char *got_utc = h_json_string(s, "starts_at");
        if (!got_local || strcmp(got_local, local) != 0 || !got_utc || strcmp(got_utc, utc) != 0)
            fail_msg("session %d: local_start %s, starts_at %s; want %s and %s", w + 1,
                     got_local ? got_local : "?", got_utc ? got_utc : "?", local, utc);
        assert_int_equal(h_json_long(s, "week"), w + 1);
        assert_string_equal(h_json_string(s, "kind"), "weekly");
        assert_string_equal(h_json_string(s, "modality"), "hyflex");
        assert_int_equal(h_json_long(s, "duration_minutes"), 90);
        assert_string_equal(h_json_string(s, "timezone"), "America/New_York");
        assert_string_equal(h_json_string(s, "cohort"), cohort_id);
        assert_true(cJSON_IsNull(h_json_at(s, "learner")));
        snprintf(session_ids[w], sizeof session_ids[w], "%s", h_json_string(s, "id"));
        free(local);
        free(utc);
    }

    /* ---- 5. attendance ---- */
    /* weeks 1-3: mcred attendance record, everyone at once */
    for (int w = 0; w < 3; w++) {
        const char *argv[4 + N_LEARNERS] = {"attendance", "record", session_ids[w]};
        char *pairs[N_LEARNERS];
        for (int i = 0; i < N_LEARNERS; i++) {
            pairs[i] = h_strf("%s=%s", learners[i].email, mode_for(i, w));
            argv[3 + i] = pairs[i];
        }
        argv[3 + N_LEARNERS] = NULL;
        free(cli_ok(argv));
        for (int i = 0; i < N_LEARNERS; i++)
            free(pairs[i]);
    }
    /* weeks 4-6 over HTTP: the coordinator at once; each coach their own learners; the
     * coordinator in two halves (the second leaves the first as it was) */
    struct put puts[16];
    int nputs = 0;
    for (int w = 0; w < 3; w++)
        puts[nputs++] = (struct put){.week = w, .first = 0, .count = N_LEARNERS};
    int http_from = nputs;
    puts[nputs++] = (struct put){.week = 3, .first = 0, .count = N_LEARNERS};
    /* the fixture's first 8 learners are Grace's, the other 7 Peter's */
    char *coach_token[N_COACHES];
    int first_of[N_COACHES] = {0, 8}, count_of[N_COACHES] = {8, 7};
    for (int k = 0; k < N_COACHES; k++) {
        coach_token[k] = h_token_for(&server, admin, coaches[k].id);
        for (int i = first_of[k]; i < first_of[k] + count_of[k]; i++)
            assert_string_equal(learners[i].coach, coaches[k].email);
        puts[nputs++] =
            (struct put){.week = 4, .first = first_of[k], .count = count_of[k], .override = NULL};
    }
    puts[nputs++] = (struct put){.week = 5, .first = 0, .count = 8};
    puts[nputs++] = (struct put){.week = 5, .first = 8, .count = 7};
    for (int p = http_from; p < nputs; p++) {
        char *body = attendance_body(&puts[p]);
        char *att = h_strf("/v1/sessions/%s/attendance", session_ids[puts[p].week]);
        const char *token =
            puts[p].week == 4 ? coach_token[puts[p].first == 0 ? 0 : 1] : coordinator;
        h_call(&server, "PUT", att, token, body, 200, &r);
        /* 200 with the session's whole attendance so far */
        int want_items = puts[p].week == 5 && puts[p].first == 0   ? 8
                         : puts[p].week == 4 && puts[p].first == 0 ? 8
                                                                   : N_LEARNERS;
        if (cJSON_GetArraySize(h_json_at(r.json, "items")) != want_items)
            fail_msg("PUT %s: %d items, want %d: %.3000s", att,
                     cJSON_GetArraySize(h_json_at(r.json, "items")), want_items, r.body);
        h_response_free(&r);
        free(att);
        free(body);
    }
    /* re-record one: week 1, the first learner, now excused (was mode_for(0, 0)) */
    const char *first_mode = mode_for(0, 0);
    const char *new_mode = strcmp(first_mode, "excused") == 0 ? "online" : "excused";
    puts[nputs] = (struct put){.week = 0, .first = 0, .count = 1, .override = new_mode};
    {
        char *body = attendance_body(&puts[nputs]);
        char *att = h_strf("/v1/sessions/%s/attendance", session_ids[0]);
        h_call(&server, "PUT", att, coordinator, body, 200, &r);
        assert_int_equal(cJSON_GetArraySize(h_json_at(r.json, "items")), N_LEARNERS);
        h_response_free(&r);
        free(att);
        free(body);
    }
    nputs++;

    /* the re-recorded one: replaced, one row, audited twice (first with its old mode) */
    sql = h_strf("SELECT mode FROM mcred.attendance WHERE session_id = '%s' AND person_id = '%s'",
                 session_ids[0], learners[0].id);
    char *mode = h_db_query_super(&db, sql);
    assert_string_equal(mode, new_mode);
    free(mode);
    free(sql);
    sql = h_strf("SELECT count(*) FROM mcred.attendance WHERE session_id = '%s'", session_ids[0]);
    assert_int_equal(h_db_long_super(&db, sql), N_LEARNERS);
    free(sql);
    char *audited =
        h_strf("FROM mcred.audit WHERE (entity LIKE 'attendance%%' OR action LIKE 'attendance%%')"
               " AND concat(entity_id, ' ', before::text, ' ', after::text) LIKE '%%%s%%'"
               " AND (concat(entity_id, ' ', before::text, ' ', after::text) LIKE '%%%s%%'"
               "      OR concat(entity_id, ' ', before::text, ' ', after::text) LIKE '%%%s%%')",
               session_ids[0], learners[0].id, learners[0].email);
    sql = h_strf("SELECT count(*) %s", audited);
    long audits = h_db_long_super(&db, sql);
    if (audits != 2)
        fail_msg("attendance of %s in week 1: %ld audit rows, want 2 (recorded, re-recorded)",
                 learners[0].email, audits);
    free(sql);
    sql = h_strf("SELECT after::text %s ORDER BY id DESC LIMIT 1", audited);
    char *last_after = h_db_query_super(&db, sql);
    if (!last_after || !strstr(last_after, new_mode))
        fail_msg("the last audit row of the re-recorded attendance does not show %s: %s", new_mode,
                 last_after ? last_after : "NULL");
    free(last_after);
    free(sql);
    free(audited);

    /* ---- 6. what the API shows ---- */
    c = get_json(cohort_path);
    assert_int_equal(h_json_long(c, "learners"), N_LEARNERS);
    assert_int_equal(h_json_long(c, "waitlisted"), 0);
    assert_int_equal(h_json_long(c, "coaches"), N_COACHES);
    assert_int_equal(h_json_long(c, "capacity"), 18);
    assert_int_equal(h_json_long(c, "min_learners"), 12);
    cJSON_Delete(c);
    for (int w = 0; w < N_SESSIONS; w++)
        expect_attendance(w, w == 0 ? new_mode : NULL);
    /* every mode was used */
    static const char *const all_modes[] = {"in_person", "online", "asynchronous", "absent",
                                            "excused"};
    for (size_t m = 0; m < 5; m++) {
        sql = h_strf("SELECT count(*) FROM mcred.attendance a JOIN mcred.orgs o ON o.id = a.org_id"
                     " WHERE o.slug = 'first' AND a.mode = '%s'",
                     all_modes[m]);
        if (h_db_long_super(&db, sql) == 0)
            fail_msg("no attendance was recorded as %s", all_modes[m]);
        free(sql);
    }
    sql = h_strf("SELECT count(*) FROM mcred.attendance a JOIN mcred.orgs o ON o.id = a.org_id"
                 " WHERE o.slug = 'first'");
    assert_int_equal(h_db_long_super(&db, sql), MAX_RECORDS);
    free(sql);

    /* ---- and what the CLI shows ---- */
    const char *members_json_argv[] = {"--json", "member", "list", cohort_id, NULL};
    out = cli_ok(members_json_argv);
    printed = cJSON_Parse(out);
    if (!printed)
        fail_msg("mcred --json member list printed no JSON: %s", out);
    cJSON_Delete(printed);
    for (int i = 0; i < N_LEARNERS; i++)
        expect_in_output(out, learners[i].email, "mcred --json member list");
    for (int i = 0; i < N_COACHES; i++)
        expect_in_output(out, coaches[i].email, "mcred --json member list");
    free(out);
    const char *members_argv[] = {"member", "list", cohort_id, NULL};
    out = cli_ok(members_argv);
    for (int i = 0; i < N_LEARNERS; i++)
        expect_in_output(out, learners[i].email, "mcred member list");
    for (int i = 0; i < N_COACHES; i++)
        expect_in_output(out, coaches[i].email, "mcred member list");
    expect_in_output(out, "coach", "mcred member list");
    expect_in_output(out, "enrolled", "mcred member list");
    free(out);
    const char *sessions_json_argv[] = {"--json", "session", "list", cohort_id, NULL};
    out = cli_ok(sessions_json_argv);
    printed = cJSON_Parse(out);
    if (!printed)
        fail_msg("mcred --json session list printed no JSON: %s", out);
    cJSON_Delete(printed);
    for (int w = 0; w < N_SESSIONS; w++) {
        expect_in_output(out, session_ids[w], "mcred --json session list");
        char *utc = h_strf("%sT%s:00:00Z", days[w], w < 2 ? "21" : "22");
        expect_in_output(out, utc, "mcred --json session list");
        free(utc);
    }
    free(out);
    const char *sessions_argv[] = {"session", "list", cohort_id, NULL};
    out = cli_ok(sessions_argv);
    for (int w = 0; w < N_SESSIONS; w++)
        expect_in_output(out, days[w], "mcred session list");
    expect_in_output(out, "17:00", "mcred session list");
    free(out);
    const char *cohort_show_argv[] = {"cohort", "show", cohort_id, NULL};
    out = cli_ok(cohort_show_argv);
    expect_in_output(out, "First cohort", "mcred cohort show");
    expect_in_output(out, "America/New_York", "mcred cohort show");
    free(out);
    const char *cohort_list_argv[] = {"--json", "cohort", "list", NULL};
    out = cli_ok(cohort_list_argv);
    expect_in_output(out, cohort_id, "mcred --json cohort list");
    free(out);

    /* ---- the events ---- */
    enrolled = h_org_events(&db, org_slug, "member.enrolled");
    assert_int_equal(cJSON_GetArraySize(enrolled), N_LEARNERS + N_COACHES);
    for (int i = 0; i < N_LEARNERS + N_COACHES; i++) {
        const struct roster_person *rp = i < N_LEARNERS ? &learners[i] : &coaches[i - N_LEARNERS];
        const cJSON *found = NULL, *e;
        cJSON_ArrayForEach(e, enrolled)
        {
            const char *person = h_json_string(e, "person");
            if (person && strcmp(person, rp->id) == 0)
                found = e;
        }
        char *text = found ? cJSON_PrintUnformatted(found) : NULL;
        if (!found)
            fail_msg("no member.enrolled event for %s", rp->email);
        const struct roster_person *coach = rp->is_coach ? NULL : coach_by_email(rp->coach);
        const char *coach_id = h_json_string(found, "coach");
        bool ok = h_json_string(found, "cohort") &&
                  strcmp(h_json_string(found, "cohort"), cohort_id) == 0 &&
                  h_json_string(found, "email") &&
                  strcmp(h_json_string(found, "email"), rp->email) == 0 &&
                  h_json_string(found, "role") &&
                  strcmp(h_json_string(found, "role"), rp->is_coach ? "coach" : "learner") == 0 &&
                  h_json_string(found, "status") &&
                  strcmp(h_json_string(found, "status"), "enrolled") == 0 &&
                  (coach ? coach_id && strcmp(coach_id, coach->id) == 0
                         : cJSON_IsNull(h_json_at(found, "coach")));
        if (!ok)
            fail_msg("member.enrolled for %s: %s; want cohort %s, role %s, status enrolled, "
                     "coach %s",
                     rp->email, text, cohort_id, rp->is_coach ? "coach" : "learner",
                     coach ? coach->id : "null");
        free(text);
    }
    cJSON_Delete(enrolled);
    cJSON *waitlisted = h_org_events(&db, org_slug, "member.waitlisted");
    assert_int_equal(cJSON_GetArraySize(waitlisted), 0);
    cJSON_Delete(waitlisted);

    cJSON *scheduled = h_org_events(&db, org_slug, "session.scheduled");
    assert_int_equal(cJSON_GetArraySize(scheduled), N_SESSIONS);
    items = h_json_at(sessions, "items");
    for (int w = 0; w < N_SESSIONS; w++) {
        /* the event's data is the session as GET shows it */
        const cJSON *s = cJSON_GetArrayItem(items, w);
        const cJSON *found = NULL, *e;
        cJSON_ArrayForEach(e, scheduled)
        {
            const char *id = h_json_string(e, "id");
            if (id && strcmp(id, session_ids[w]) == 0)
                found = e;
        }
        if (!found)
            fail_msg("no session.scheduled event for session %s", session_ids[w]);
        if (!h_json_contains(found, s, where, sizeof where))
            fail_msg("session.scheduled for week %d: %s differs from GET's %s at %s", w + 1,
                     cJSON_PrintUnformatted(found), cJSON_PrintUnformatted(s), where);
    }
    cJSON_Delete(scheduled);

    cJSON *recorded = h_org_events(&db, org_slug, "attendance.recorded");
    if (cJSON_GetArraySize(recorded) != nputs)
        fail_msg("%d attendance.recorded events, want %d (one per PUT): %s",
                 cJSON_GetArraySize(recorded), nputs, cJSON_PrintUnformatted(recorded));
    for (int p = 0; p < nputs; p++)
        expect_attendance_event(cJSON_GetArrayItem(recorded, p), &puts[p]);
    cJSON_Delete(recorded);

    /* ---- the CLI's other member verbs, and its exit codes ---- */
    free(h_person(&server, coordinator, "third.coach@district.example", "Third Coach", NULL));
    const char *add_argv[] = {"member", "add",   cohort_id, "third.coach@district.example",
                              "--role", "coach", NULL};
    free(cli_ok(add_argv));
    members = get_json(members_path);
    char *members_text = cJSON_PrintUnformatted(members);
    expect_in_output(members_text, "third.coach@district.example", "GET members after member add");
    free(members_text);
    cJSON_Delete(members);
    c = get_json(cohort_path);
    assert_int_equal(h_json_long(c, "coaches"), N_COACHES + 1);
    assert_int_equal(h_json_long(c, "learners"), N_LEARNERS);
    cJSON_Delete(c);
    const char *withdraw_argv[] = {"member", "withdraw", cohort_id, "third.coach@district.example",
                                   NULL};
    free(cli_ok(withdraw_argv));
    c = get_json(cohort_path);
    assert_int_equal(h_json_long(c, "coaches"), N_COACHES);
    cJSON_Delete(c);
    cJSON *withdrawn = h_org_events(&db, org_slug, "member.withdrawn");
    assert_int_equal(cJSON_GetArraySize(withdrawn), 1);
    assert_string_equal(h_json_string(withdrawn, "[0].email"), "third.coach@district.example");
    assert_string_equal(h_json_string(withdrawn, "[0].status"), "withdrawn");
    cJSON_Delete(withdrawn);
    {
        /* enrolling someone enrolled: the server's 409, exit 1 */
        char *err = NULL;
        const char *again_argv[] = {"member", "add", cohort_id, learners[1].email, NULL};
        int st = h_cli(server.url, coordinator, again_argv, &out, &err);
        if (st != 1)
            fail_msg("mcred member add (already enrolled): exit %d, want 1\nstdout: %s\n"
                     "stderr: %s",
                     st, out, err);
        free(out);
        free(err);
        /* a cohort that does not exist: exit 3 */
        const char *missing_argv[] = {"session", "list", "00000000-0000-4000-8000-000000000000",
                                      NULL};
        st = h_cli(server.url, coordinator, missing_argv, &out, &err);
        if (st != 3)
            fail_msg("mcred session list (no such cohort): exit %d, want 3\nstdout: %s\n"
                     "stderr: %s",
                     st, out, err);
        free(out);
        free(err);
        /* a learner may not list the members: exit 4; but may list the sessions */
        char *learner_token = h_token_for(&server, admin, learners[2].id);
        st = h_cli(server.url, learner_token, members_argv, &out, &err);
        if (st != 4)
            fail_msg("mcred member list as a learner: exit %d, want 4\nstdout: %s\nstderr: %s", st,
                     out, err);
        free(out);
        free(err);
        st = h_cli(server.url, learner_token, sessions_argv, &out, &err);
        if (st != 0 || !strstr(out, days[5]))
            fail_msg("mcred session list as a learner: exit %d, want 0 and the sessions\n"
                     "stdout: %s\nstderr: %s",
                     st, out, err);
        free(out);
        free(err);
        free(learner_token);
    }

    for (int k = 0; k < N_COACHES; k++)
        free(coach_token[k]);
    cJSON_Delete(want_counts);
    cJSON_Delete(sessions);
    free(csv);
    free(import_path);
    free(dry_path);
    free(members_path);
    free(sessions_path);
    free(cohort_path);
    free(credential);
    free(cohort_id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_cohort),
    };
    return h_run_tests(tests, setup, teardown);
}
