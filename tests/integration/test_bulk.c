/*
 * test_bulk.c — bulk writes (issue 12): a roster into a cohort and an
 * enrolment of many, each in a constant number of round trips, with the
 * answers, rules and journal of the row-by-row code they replaced.
 *
 * Round trips are counted as test_status_plan counts them: the test
 * database logs every statement it is sent (log_statement = all, in a
 * cluster of our own), and a request's statements lie between two marks.
 * A roster, a list of members, a people import and an attendance sheet
 * each take as many statements for a few rows as for hundreds.  Besides,
 * the set-based writes must leave exactly the rows, audit rows and events
 * that one change per row left:
 *   - a roster of 2,000 rows (coaches in the middle of the file, learners
 *     naming them, e-mails in mixed case) into a cohort of capacity 500:
 *     people created, coaches enrolled, 500 learners enrolled and the rest
 *     waitlisted in the file's order, each learner with their coach, one
 *     audit row per member and one event each (member.enrolled or
 *     member.waitlisted, with the single change's payload);
 *   - the same roster again: nothing enrolled, the coaches set again
 *     (audit member.coach), no event;
 *   - a dry run: the counts, nothing written;
 *   - a roster with bad rows among 2,000: 422 naming each row, nothing
 *     written;
 *   - POST /v1/cohorts/{id}/members with 500 members, coaches named by
 *     learners of the same request: each answered in order; an unknown
 *     person at members[321] refuses the whole request with that field,
 *     and a member enrolled already with 409.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static int setup(void **state)
{
    (void)state;
    /* a cluster of our own, so that its statement log can be read */
    h_cluster_create(&cluster);
    h_db_create(&cluster, &db);
    char *sql = h_strf("ALTER DATABASE %s SET log_statement = 'all'", db.name);
    h_db_exec_super(&db, sql);
    free(sql);
    /* no dispatcher: its own statements would land in the log between the marks */
    const char *env[] = {"MCRED_DISPATCHER=0", NULL};
    h_server_start(&db, env, &server);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

struct org {
    char slug[32];
    char *admin;
    char *credential;
};

static void new_org(struct org *o)
{
    static unsigned n;
    snprintf(o->slug, sizeof o->slug, "bulk-%u", ++n);
    char *email = h_strf("admin@%s.example", o->slug);
    o->admin = h_bootstrap(&server, o->slug, email);
    free(email);
    char *seed = h_file_read(MCRED_FIXTURES_DIR "/equity-excellence.json", NULL);
    struct h_response r;
    h_call(&server, "POST", "/v1/credentials", o->admin, seed, 201, &r);
    o->credential = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    char *path = h_strf("/v1/credentials/%s/publish", o->credential);
    h_call(&server, "POST", path, o->admin, NULL, 200, &r);
    h_response_free(&r);
    free(path);
    free(seed);
}

static void org_free(struct org *o)
{
    free(o->admin);
    free(o->credential);
}

/* A cohort of capacity 500, the most a cohort may have. */
static char *cohort(const struct org *o)
{
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Bulk\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-20\", \"timezone\": "
                        "\"America/New_York\", \"capacity\": 500}",
                        o->credential);
    struct h_response r;
    h_call(&server, "POST", "/v1/cohorts", o->admin, body, 201, &r);
    char *id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    free(body);
    return id;
}

static long audit_rows(const struct org *o, const char *action)
{
    char *sql = h_strf("SELECT count(*) FROM mcred.audit a JOIN mcred.orgs o ON o.id = a.org_id"
                       " WHERE o.slug = '%s' AND a.action = '%s'",
                       o->slug, action);
    long n = h_db_long_super(&db, sql);
    free(sql);
    return n;
}

static long events(const struct org *o, const char *type)
{
    cJSON *e = h_org_events(&db, o->slug, type);
    long n = cJSON_GetArraySize(e);
    cJSON_Delete(e);
    return n;
}

#define ROSTER_ROWS    2000
#define ROSTER_COACHES 10

/* Row i of the roster (0-based, after the header): every 200th a coach, the others learners
 * naming coach (i / 200) — some coaches come later in the file than their learners. */
static bool is_coach(int i)
{
    return i % (ROSTER_ROWS / ROSTER_COACHES) == 100;
}

static char *roster(const struct org *o, int bad_from)
{
    size_t cap = (size_t)ROSTER_ROWS * 96 + 64, len = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    len += (size_t)snprintf(csv, cap, "email,name,role,coach,school\n");
    for (int i = 0; i < ROSTER_ROWS; i++) {
        int coach = i / (ROSTER_ROWS / ROSTER_COACHES) * (ROSTER_ROWS / ROSTER_COACHES) + 100;
        const char *who = i % 3 == 0 ? "P" : "p"; /* mixed case, as rosters come */
        if (is_coach(i))
            len += (size_t)snprintf(csv + len, cap - len, "%s%d@%s.example,Person %d,coach,,S%d\n",
                                    who, i, o->slug, i, i % 7);
        else if (bad_from >= 0 && i == bad_from)
            len += (size_t)snprintf(csv + len, cap - len, "not-an-email,Person %d,learner,,S\n", i);
        else if (bad_from >= 0 && i == bad_from + 1) /* a learner as coach */
            len += (size_t)snprintf(csv + len, cap - len,
                                    "p%d@%s.example,Person %d,learner,p%d@%s.example,S\n", i,
                                    o->slug, i, i - 2, o->slug);
        else if (bad_from >= 0 && i == bad_from + 2) /* a coach in neither file nor cohort */
            len += (size_t)snprintf(csv + len, cap - len,
                                    "p%d@%s.example,Person %d,learner,nobody@%s.example,S\n", i,
                                    o->slug, i, o->slug);
        else
            len += (size_t)snprintf(csv + len, cap - len,
                                    "%s%d@%s.example,Person %d,,p%d@%s.example,S%d\n", who, i,
                                    o->slug, i, coach, o->slug, i % 7);
        assert_true(len < cap);
    }
    return csv;
}

static void import(const struct org *o, const char *cohort_id, const char *csv, bool dry_run,
                   long want, struct h_response *r)
{
    char *path =
        h_strf("/v1/cohorts/%s/members/import%s", cohort_id, dry_run ? "?dry_run=true" : "");
    h_http(&server, "POST", path, o->admin, "text/csv", csv, strlen(csv), r);
    if (r->status != want)
        fail_msg("POST %s: got %ld, want %ld: %.2000s", path, r->status, want, r->body);
    free(path);
}

static void expect_import(const struct h_response *r, bool dry_run, long created, long enrolled,
                          long waitlisted, long unchanged)
{
    assert_true(cJSON_IsBool(h_json_at(r->json, "dry_run")) &&
                cJSON_IsTrue(h_json_at(r->json, "dry_run")) == dry_run);
    assert_int_equal(h_json_long(r->json, "rows"), ROSTER_ROWS);
    assert_int_equal(h_json_long(r->json, "people_created"), created);
    assert_int_equal(h_json_long(r->json, "enrolled"), enrolled);
    assert_int_equal(h_json_long(r->json, "waitlisted"), waitlisted);
    assert_int_equal(h_json_long(r->json, "unchanged"), unchanged);
    assert_int_equal(cJSON_GetArraySize(h_json_at(r->json, "errors")), 0);
}

static void test_roster(void **state)
{
    (void)state;
    struct org o;
    new_org(&o);
    char *c = cohort(&o);
    char *csv = roster(&o, -1);
    long learners = ROSTER_ROWS - ROSTER_COACHES;
    struct h_response r;

    /* a dry run counts and writes nothing */
    char *before = h_org_snapshot(&db, o.slug);
    import(&o, c, csv, true, 200, &r);
    expect_import(&r, true, ROSTER_ROWS, ROSTER_COACHES + 500, learners - 500, 0);
    h_response_free(&r);
    char *after = h_org_snapshot(&db, o.slug);
    assert_string_equal(before, after);
    free(before);
    free(after);

    import(&o, c, csv, false, 200, &r);
    expect_import(&r, false, ROSTER_ROWS, ROSTER_COACHES + 500, learners - 500, 0);
    h_response_free(&r);

    char *members_of = h_strf("SELECT count(*) FROM mcred.members m JOIN mcred.orgs o"
                              " ON o.id = m.org_id WHERE o.slug = '%s' AND m.cohort_id = '%s'",
                              o.slug, c);
    char *sql = h_strf("%s AND m.role = 'learner' AND m.status = 'enrolled'", members_of);
    assert_int_equal(h_db_long_super(&db, sql), 500);
    free(sql);
    sql = h_strf("%s AND m.role = 'coach' AND m.status = 'enrolled'", members_of);
    assert_int_equal(h_db_long_super(&db, sql), ROSTER_COACHES);
    free(sql);
    /* every learner has the coach the file names */
    sql = h_strf("%s AND m.role = 'learner' AND (SELECT lower(p.email) FROM mcred.people p"
                 " WHERE p.org_id = m.org_id AND p.id = m.coach_id) = 'p' ||"
                 " (substring((SELECT p.email FROM mcred.people p WHERE p.org_id = m.org_id"
                 " AND p.id = m.person_id) from '^[pP]([0-9]+)@')::integer / 200 * 200 + 100)"
                 " || '@%s.example'",
                 members_of, o.slug);
    assert_int_equal(h_db_long_super(&db, sql), learners);
    free(sql);
    free(members_of);
    /* the first 500 learners of the file are enrolled; the waitlist keeps the file's order */
    sql = h_strf("SELECT count(*) FROM (SELECT m.status, row_number() OVER (ORDER BY m.enrolled_at,"
                 " m.person_id) AS by_time, row_number() OVER (ORDER BY substring(p.email from"
                 " '^[pP]([0-9]+)@')::integer) AS by_file FROM mcred.members m"
                 " JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id"
                 " JOIN mcred.orgs o ON o.id = m.org_id WHERE o.slug = '%s' AND m.cohort_id = '%s'"
                 " AND m.role = 'learner') x"
                 " WHERE x.by_time = x.by_file AND (x.status = 'enrolled') = (x.by_file <= 500)",
                 o.slug, c);
    assert_int_equal(h_db_long_super(&db, sql), learners);
    free(sql);
    assert_int_equal(audit_rows(&o, "person.create"), ROSTER_ROWS + 1); /* and the admin */
    assert_int_equal(audit_rows(&o, "member.enrol"), ROSTER_ROWS);
    assert_int_equal(audit_rows(&o, "member.coach"), 0);
    assert_int_equal(events(&o, "member.enrolled"), ROSTER_COACHES + 500);
    assert_int_equal(events(&o, "member.waitlisted"), learners - 500);
    /* an event as a single enrolment writes it, in the file's order */
    cJSON *e = h_org_events(&db, o.slug, "member.waitlisted");
    const cJSON *first = cJSON_GetArrayItem(e, 0);
    assert_string_equal(h_json_string(first, "cohort"), c);
    assert_string_equal(h_json_string(first, "role"), "learner");
    assert_string_equal(h_json_string(first, "status"), "waitlisted");
    assert_non_null(h_json_string(first, "person"));
    assert_non_null(h_json_string(first, "coach"));
    char *email = h_strf("p%d@%s.example", 500 + 3, o.slug); /* 500 learners, 3 coaches before */
    assert_string_equal(h_json_string(first, "email"), email);
    free(email);
    cJSON_Delete(e);

    /* again: everyone is a member already; the coaches are set again, nothing else */
    import(&o, c, csv, false, 200, &r);
    assert_int_equal(h_json_long(r.json, "people_created"), 0);
    assert_int_equal(h_json_long(r.json, "people_updated"), 0);
    assert_int_equal(h_json_long(r.json, "enrolled"), 0);
    assert_int_equal(h_json_long(r.json, "waitlisted"), 0);
    assert_int_equal(h_json_long(r.json, "unchanged"), ROSTER_ROWS);
    h_response_free(&r);
    assert_int_equal(audit_rows(&o, "member.enrol"), ROSTER_ROWS);
    assert_int_equal(audit_rows(&o, "member.coach"), learners);
    assert_int_equal(events(&o, "member.enrolled"), ROSTER_COACHES + 500);
    assert_int_equal(events(&o, "member.waitlisted"), learners - 500);

    free(csv);
    free(c);
    org_free(&o);
}

static void test_roster_bad_rows(void **state)
{
    (void)state;
    struct org o;
    new_org(&o);
    char *c = cohort(&o);
    char *csv = roster(&o, 1510);
    char *before = h_org_snapshot(&db, o.slug);
    struct h_response r;
    import(&o, c, csv, false, 422, &r);
    const cJSON *errors = h_json_at(r.json, "errors");
    int rows[3] = {0}, n = 0;
    const cJSON *err;
    cJSON_ArrayForEach(err, errors)
    {
        if (n < 3)
            rows[n] = (int)h_json_long(err, "row");
        n++;
    }
    if (n != 3 || rows[0] != 1512 || rows[1] != 1513 || rows[2] != 1514)
        fail_msg("want errors on rows 1512, 1513 and 1514: %.2000s", r.body);
    h_response_free(&r);
    char *after = h_org_snapshot(&db, o.slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(csv);
    free(c);
    org_free(&o);
}

#define ENROL_MANY 500

static void test_enrol_many(void **state)
{
    (void)state;
    struct org o;
    new_org(&o);
    char *c = cohort(&o);
    /* the people first, in one import */
    size_t cap = ENROL_MANY * 64 + 32, len = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    len += (size_t)snprintf(csv, cap, "email,name\n");
    for (int i = 0; i < ENROL_MANY + 1; i++)
        len += (size_t)snprintf(csv + len, cap - len, "m%d@%s.example,M %d\n", i, o.slug, i);
    assert_true(len < cap);
    struct h_response r;
    h_http(&server, "POST", "/v1/people/import", o.admin, "text/csv", csv, len, &r);
    assert_int_equal(r.status, 200);
    h_response_free(&r);
    free(csv);

    /* members[i]: every 50th (i % 50 == 49) a coach, the others learners of the next coach */
    cap = ENROL_MANY * 128 + 32;
    char *body = malloc(cap);
    assert_non_null(body);
    char *path = h_strf("/v1/cohorts/%s/members", c);
    for (int bad = 1; bad >= 0; bad--) {
        len = (size_t)snprintf(body, cap, "{\"members\": [");
        for (int i = 0; i < ENROL_MANY; i++) {
            const char *sep = i ? ", " : "";
            int who = bad && i == 321 ? ENROL_MANY + 7 : i; /* m507: no such person */
            if (i % 50 == 49)
                len += (size_t)snprintf(body + len, cap - len,
                                        "%s{\"email\": \"M%d@%s.example\", \"role\": \"coach\"}",
                                        sep, who, o.slug);
            else
                len += (size_t)snprintf(body + len, cap - len,
                                        "%s{\"email\": \"m%d@%s.example\", \"coach\": "
                                        "\"m%d@%s.example\"}",
                                        sep, who, o.slug, i / 50 * 50 + 49, o.slug);
            assert_true(len < cap);
        }
        len += (size_t)snprintf(body + len, cap - len, "]}");
        if (bad) {
            char *before = h_org_snapshot(&db, o.slug);
            h_send_json(&server, "POST", path, o.admin, body, &r);
            assert_int_equal(r.status, 422);
            assert_string_equal(h_json_string(r.json, "error.field"), "members[321].email");
            h_response_free(&r);
            char *after = h_org_snapshot(&db, o.slug);
            assert_string_equal(before, after);
            free(before);
            free(after);
        }
    }
    h_call(&server, "POST", path, o.admin, body, 201, &r);
    const cJSON *members = h_json_at(r.json, "members");
    assert_int_equal(cJSON_GetArraySize(members), ENROL_MANY);
    long learners = 0;
    for (int i = 0; i < ENROL_MANY; i++) {
        const cJSON *m = cJSON_GetArrayItem(members, i);
        char *email = h_strf("m%d@%s.example", i, o.slug);
        const char *got = h_json_string(m, "person.email");
        if (!got || strcmp(got, email) != 0)
            fail_msg("members[%d] is %s, want %s", i, got ? got : "(none)", email);
        free(email);
        bool coach = i % 50 == 49;
        assert_string_equal(h_json_string(m, "role"), coach ? "coach" : "learner");
        assert_string_equal(h_json_string(m, "status"), "enrolled");
        learners += !coach;
    }
    h_response_free(&r);
    assert_int_equal(audit_rows(&o, "member.enrol"), ENROL_MANY);
    assert_int_equal(events(&o, "member.enrolled"), ENROL_MANY);
    assert_int_equal(events(&o, "member.waitlisted"), 0);
    assert_int_equal(learners, ENROL_MANY - ENROL_MANY / 50);

    /* one more learner is enrolled (coaches take no place); one enrolled already is refused */
    len = (size_t)snprintf(body, cap, "{\"members\": [{\"email\": \"m%d@%s.example\"}]}",
                           ENROL_MANY, o.slug);
    h_call(&server, "POST", path, o.admin, body, 201, &r);
    assert_string_equal(h_json_string(r.json, "members[0].status"), "enrolled");
    h_response_free(&r);
    snprintf(body, cap, "{\"members\": [{\"email\": \"m3@%s.example\"}]}", o.slug);
    h_send_json(&server, "POST", path, o.admin, body, &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(h_json_string(r.json, "error.field"), "members[0].email");
    h_response_free(&r);

    free(body);
    free(path);
    free(c);
    org_free(&o);
}

/* ---- a constant number of statements ---- */

static unsigned marks;

/* The statements the database was sent for one request, which must answer `want`. */
static int statements_of(const char *method, const char *path, const char *token,
                         const char *content_type, const char *body, long want)
{
    char *begin = h_strf("SELECT 'bulk-count-%u'", ++marks);
    char *end = h_strf("SELECT 'bulk-count-%u'", ++marks);
    h_db_exec_super(&db, begin);
    struct h_response r;
    h_http(&server, method, path, token, content_type, body, strlen(body), &r);
    if (r.status != want)
        fail_msg("%s %s: got %ld, want %ld: %.2000s", method, path, r.status, want, r.body);
    h_response_free(&r);
    h_db_exec_super(&db, end);
    char *log_path = h_strf("%s/log", cluster.dir);
    char *log = h_file_read(log_path, NULL);
    char *from = strstr(log, begin), *to = from ? strstr(from, end) : NULL;
    if (!from || !to)
        fail_msg("the statement log %s does not show the marks %s and %s", log_path, begin, end);
    int n = 0;
    for (const char *p = strchr(from, '\n'); p && p < to; p = strchr(p + 1, '\n')) {
        const char *eol = strchr(p + 1, '\n');
        if (!eol || eol > to)
            break;
        char *line = strndup(p + 1, (size_t)(eol - p - 1));
        assert_non_null(line);
        if (strstr(line, "LOG:  statement: ") || strstr(line, "LOG:  execute "))
            n++;
        free(line);
    }
    free(log);
    free(log_path);
    free(begin);
    free(end);
    return n;
}

/* A roster of n rows, e-mails <tag><i>@<org>: every tenth row a coach, the others naming one. */
static char *small_roster(const struct org *o, const char *tag, int n)
{
    size_t cap = (size_t)n * 96 + 64, len = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    len += (size_t)snprintf(csv, cap, "email,name,role,coach\n");
    for (int i = 0; i < n; i++) {
        if (i % 10 == 0)
            len += (size_t)snprintf(csv + len, cap - len, "%s%d@%s.example,%s %d,coach,\n", tag, i,
                                    o->slug, tag, i);
        else
            len += (size_t)snprintf(csv + len, cap - len,
                                    "%s%d@%s.example,%s %d,learner,%s%d@%s.example\n", tag, i,
                                    o->slug, tag, i, tag, i / 10 * 10, o->slug);
        assert_true(len < cap);
    }
    return csv;
}

/* The statements of a roster import of n new people into a new cohort; *out_cohort its id. */
static int roster_statements(const struct org *o, const char *tag, int n, char **out_cohort)
{
    char *c = cohort(o);
    char *csv = small_roster(o, tag, n);
    char *path = h_strf("/v1/cohorts/%s/members/import", c);
    int got = statements_of("POST", path, o->admin, "text/csv", csv, 200);
    free(path);
    free(csv);
    *out_cohort = c;
    return got;
}

/* The statements of enrolling the n people of a roster (tag, as small_roster) in a new cohort. */
static int members_statements(const struct org *o, const char *tag, int n)
{
    char *c = cohort(o);
    size_t cap = (size_t)n * 128 + 32, len = 0;
    char *body = malloc(cap);
    assert_non_null(body);
    len += (size_t)snprintf(body, cap, "{\"members\": [");
    for (int i = 0; i < n; i++) {
        len += (size_t)snprintf(body + len, cap - len, "%s{\"email\": \"%s%d@%s.example\"}",
                                i ? ", " : "", tag, i, o->slug);
        assert_true(len < cap);
    }
    snprintf(body + len, cap - len, "]}");
    char *path = h_strf("/v1/cohorts/%s/members", c);
    int got = statements_of("POST", path, o->admin, "application/json", body, 201);
    free(path);
    free(body);
    free(c);
    return got;
}

/* The statements of a people import of n new people. */
static int people_statements(const struct org *o, const char *tag, int n)
{
    char *csv = small_roster(o, tag, n);
    char *cut = strstr(csv, ",role,coach\n");
    assert_non_null(cut);
    /* the same rows, without role and coach: an organisation role is another thing */
    char *plain = malloc(strlen(csv) + 1);
    assert_non_null(plain);
    size_t len = (size_t)snprintf(plain, strlen(csv) + 1, "email,name\n");
    for (char *line = strchr(csv, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        char *second = strchr(strchr(line, ',') + 1, ',');
        len += (size_t)snprintf(plain + len, strlen(csv) + 1 - len, "%.*s\n", (int)(second - line),
                                line);
    }
    int got = statements_of("POST", "/v1/people/import", o->admin, "text/csv", plain, 200);
    free(plain);
    free(csv);
    return got;
}

/* The statements of an attendance sheet for every enrolled learner of a cohort. */
static int attendance_statements(const struct org *o, const char *cohort_id)
{
    char *path = h_strf("/v1/cohorts/%s/sessions", cohort_id);
    struct h_response r;
    h_call(&server, "POST", path, o->admin,
           "{\"kind\": \"weekly\", \"local_start\": \"2026-09-08T17:00\"}", 201, &r);
    char *sheet = h_strf("/v1/sessions/%s/attendance", h_json_string(r.json, "items[0].id"));
    h_response_free(&r);
    free(path);
    char *sql = h_strf("SELECT json_build_object('attendance', json_agg(json_build_object("
                       "'person', person_id, 'mode', 'online')))::text FROM mcred.members"
                       " WHERE cohort_id = '%s' AND role = 'learner' AND status = 'enrolled'",
                       cohort_id);
    char *body = h_db_query_super(&db, sql);
    int got = statements_of("PUT", sheet, o->admin, "application/json", body, 200);
    free(body);
    free(sql);
    free(sheet);
    return got;
}

static int min2(int a, int b)
{
    return a < b ? a : b;
}

/* Two sizes, each twice (a connection's first request may set itself up): the fewest of each. */
static void expect_constant(const char *what, int few_a, int few_b, int many_a, int many_b)
{
    int few = min2(few_a, few_b), many = min2(many_a, many_b);
    fprintf(stderr, "%s: %d statements for a few rows, %d for hundreds\n", what, few, many);
    if (few != many || few == 0)
        fail_msg("%s: %d statements for a few rows, %d for hundreds", what, few, many);
}

static void test_round_trips(void **state)
{
    (void)state;
    struct org o;
    new_org(&o);
    char *c[4];
    int roster[4];
    static const char *const tags[] = {"ra", "rb", "rc", "rd"};
    static const int sizes[] = {10, 400, 10, 400};
    for (int i = 0; i < 4; i++)
        roster[i] = roster_statements(&o, tags[i], sizes[i], &c[i]);
    expect_constant("POST /v1/cohorts/{id}/members/import", roster[0], roster[2], roster[1],
                    roster[3]);
    expect_constant("POST /v1/cohorts/{id}/members", members_statements(&o, "ra", 3),
                    members_statements(&o, "rc", 3), members_statements(&o, "rb", 300),
                    members_statements(&o, "rd", 300));
    expect_constant("POST /v1/people/import", people_statements(&o, "pa", 10),
                    people_statements(&o, "pc", 10), people_statements(&o, "pb", 900),
                    people_statements(&o, "pd", 900));
    expect_constant("PUT /v1/sessions/{id}/attendance", attendance_statements(&o, c[0]),
                    attendance_statements(&o, c[2]), attendance_statements(&o, c[1]),
                    attendance_statements(&o, c[3]));
    for (int i = 0; i < 4; i++)
        free(c[i]);
    org_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roster),
        cmocka_unit_test(test_roster_bad_rows),
        cmocka_unit_test(test_enrol_many),
        cmocka_unit_test(test_round_trips),
    };
    return h_run_tests(tests, setup, teardown);
}
