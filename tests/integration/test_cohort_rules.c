/*
 * test_cohort_rules.c — the rules of cohorts, members, sessions and
 * attendance over HTTP, against docs/api.md:
 *
 *   - capacity and waitlist: capacity 3 and five learners enrolled give
 *     three enrolled and two waitlisted (positions 1 and 2, events
 *     member.waitlisted); withdrawing an enrolled learner moves the first
 *     of the waitlist up (member.withdrawn + member.enrolled) and the
 *     other to position 1; raising the capacity moves up; lowering it
 *     below the learners enrolled is 409; coaches do not count; a
 *     withdrawn learner enrolled again goes to the end of the waitlist;
 *   - duplicate enrolment (already enrolled, already waitlisted) is 409
 *     naming the item, and writes nothing; an unknown person is 422;
 *   - a closed cohort refuses every write with 409;
 *   - attendance for someone who is not an enrolled member (a person of
 *     the organisation outside the cohort, a withdrawn member, a
 *     waitlisted one) is 422 naming the item, and writes nothing;
 *   - a cohort on a draft credential (422, field credential), an invalid
 *     time zone (422, field timezone), a local time skipped by the clock
 *     change (2027-03-14T02:30 in America/New_York, 422), a coach who is
 *     not a coach of the cohort (422).
 *
 * "Writes nothing" is checked with h_org_snapshot: every row of the
 * organisation, audit and events included, as the superuser sees them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

struct org {
    char slug[32];
    char *admin;
    char *coordinator;
    char *credential; /* the seed, published */
    char *draft;      /* the seed's version 2, a draft */
};

static void new_org(struct org *o)
{
    static unsigned n;
    snprintf(o->slug, sizeof o->slug, "rules-%u", ++n);
    char *email = h_strf("admin@%s.example", o->slug);
    o->admin = h_bootstrap(&server, o->slug, email);
    free(email);
    email = h_strf("coordinator@%s.example", o->slug);
    char *coord = h_person(&server, o->admin, email, "Coordinator", "coordinator");
    o->coordinator = h_token_for(&server, o->admin, coord);
    free(coord);
    free(email);

    char *seed = h_file_read(MCRED_FIXTURES_DIR "/equity-excellence.json", NULL);
    struct h_response r;
    h_call(&server, "POST", "/v1/credentials", o->coordinator, seed, 201, &r);
    o->credential = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    char *path = h_strf("/v1/credentials/%s/publish", o->credential);
    h_call(&server, "POST", path, o->coordinator, NULL, 200, &r);
    h_response_free(&r);
    free(path);
    cJSON *v2 = cJSON_Parse(seed);
    cJSON_ReplaceItemInObjectCaseSensitive(v2, "version", cJSON_CreateNumber(2));
    char *text = cJSON_PrintUnformatted(v2);
    h_call(&server, "POST", "/v1/credentials", o->coordinator, text, 201, &r);
    o->draft = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    free(text);
    cJSON_Delete(v2);
    free(seed);
}

static void org_free(struct org *o)
{
    free(o->admin);
    free(o->coordinator);
    free(o->credential);
    free(o->draft);
}

/* name@<org>.example, made a person of the organisation (role none); returns the id. */
static char *person(const struct org *o, const char *name)
{
    char *email = h_strf("%s@%s.example", name, o->slug);
    char *id = h_person(&server, o->admin, email, name, NULL);
    free(email);
    return id;
}

static char *email_of(const struct org *o, const char *name)
{
    return h_strf("%s@%s.example", name, o->slug);
}

/* A cohort of the published seed in America/New_York; `extra` adds fields (", \"capacity\": 3"). */
static char *cohort(const struct org *o, const char *extra)
{
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Fall 2026\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-20\", \"timezone\": "
                        "\"America/New_York\"%s}",
                        o->credential, extra ? extra : "");
    struct h_response r;
    h_call(&server, "POST", "/v1/cohorts", o->coordinator, body, 201, &r);
    char *id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    free(body);
    return id;
}

static cJSON *get_json(const char *path, const char *token)
{
    struct h_response r;
    h_call(&server, "GET", path, token, NULL, 200, &r);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

static cJSON *cohort_get(const struct org *o, const char *cohort_id)
{
    char *path = h_strf("/v1/cohorts/%s", cohort_id);
    cJSON *j = get_json(path, o->coordinator);
    free(path);
    return j;
}

static cJSON *members_get(const struct org *o, const char *cohort_id)
{
    char *path = h_strf("/v1/cohorts/%s/members", cohort_id);
    cJSON *j = get_json(path, o->coordinator);
    free(path);
    return j;
}

/* The e-mails of a members list in its order, with status and waitlist position:
 * "a@x enrolled, b@x waitlisted#1". */
static char *members_outline(const cJSON *list)
{
    char buf[4096] = "";
    size_t len = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(list, "items"))
    {
        const cJSON *pos = cJSON_GetObjectItemCaseSensitive(m, "waitlist_position");
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s %s %s", len ? ", " : "",
                                h_json_string(m, "person.email"), h_json_string(m, "role"),
                                h_json_string(m, "status"));
        if (cJSON_IsNumber(pos))
            len += (size_t)snprintf(buf + len, sizeof buf - len, "#%d", pos->valueint);
        else if (!cJSON_IsNull(pos))
            len += (size_t)snprintf(buf + len, sizeof buf - len, "#?");
    }
    return strdup(buf);
}

static void expect_members(const struct org *o, const char *cohort_id, const char *want)
{
    cJSON *list = members_get(o, cohort_id);
    char *got = members_outline(list);
    if (strcmp(got, want) != 0)
        fail_msg("GET /v1/cohorts/%s/members:\n got  %s\n want %s", cohort_id, got, want);
    free(got);
    cJSON_Delete(list);
}

static void expect_counts(const struct org *o, const char *cohort_id, long learners,
                          long waitlisted, long coaches, long capacity)
{
    cJSON *c = cohort_get(o, cohort_id);
    if (h_json_long(c, "learners") != learners || h_json_long(c, "waitlisted") != waitlisted ||
        h_json_long(c, "coaches") != coaches || h_json_long(c, "capacity") != capacity) {
        char *text = cJSON_PrintUnformatted(c);
        fail_msg("GET /v1/cohorts/%s: %s; want learners %ld, waitlisted %ld, coaches %ld, "
                 "capacity %ld",
                 cohort_id, text, learners, waitlisted, coaches, capacity);
    }
    cJSON_Delete(c);
}

/* A member.* event's data, per docs/api.md §Events. */
static void expect_member_event(const cJSON *data, const char *cohort_id, const char *person_id,
                                const char *email, const char *role, const char *status,
                                const char *coach_id)
{
    char *text = cJSON_PrintUnformatted(data);
    const char *coach = h_json_string(data, "coach");
    const cJSON *coach_item = h_json_at(data, "coach");
    bool ok =
        data && h_json_string(data, "cohort") &&
        strcmp(h_json_string(data, "cohort"), cohort_id) == 0 && h_json_string(data, "person") &&
        strcmp(h_json_string(data, "person"), person_id) == 0 && h_json_string(data, "email") &&
        strcasecmp(h_json_string(data, "email"), email) == 0 && h_json_string(data, "role") &&
        strcmp(h_json_string(data, "role"), role) == 0 && h_json_string(data, "status") &&
        strcmp(h_json_string(data, "status"), status) == 0 &&
        (coach_id ? coach && strcmp(coach, coach_id) == 0 : cJSON_IsNull(coach_item));
    if (!ok)
        fail_msg("event data %s; want cohort %s, person %s, email %s, role %s, status %s, coach %s",
                 text ? text : "(none)", cohort_id, person_id, email, role, status,
                 coach_id ? coach_id : "null");
    free(text);
}

static int events_count(const struct org *o, const char *type)
{
    cJSON *list = h_org_events(&db, o->slug, type);
    int n = cJSON_GetArraySize(list);
    cJSON_Delete(list);
    return n;
}

/* The last event of a type (a copy). */
static cJSON *last_event(const struct org *o, const char *type)
{
    cJSON *list = h_org_events(&db, o->slug, type);
    int n = cJSON_GetArraySize(list);
    if (n == 0)
        fail_msg("no %s event", type);
    cJSON *e = cJSON_Duplicate(cJSON_GetArrayItem(list, n - 1), 1);
    cJSON_Delete(list);
    return e;
}

/* Does an error's field name `want`?  Exactly; but where `want` is an item of a list
 * ("attendance[1]", an item "naming the item" in docs/api.md), one of the item's fields too. */
static bool field_names(const char *got, const char *want)
{
    if (!got)
        return false;
    size_t n = strlen(want);
    if (want[n - 1] == ']')
        return strncmp(got, want, n) == 0 && (got[n] == '\0' || got[n] == '.');
    return strcmp(got, want) == 0;
}

/* A request that must be refused with `status`, `field` (see field_names; any when NULL), and
 * write nothing. */
static void expect_refusal(const struct org *o, const char *method, const char *path,
                           const char *body, long status, const char *field)
{
    char *before = h_org_snapshot(&db, o->slug);
    struct h_response r;
    h_call(&server, method, path, o->coordinator, body, status, &r);
    const char *code = h_json_string(r.json, "error.code");
    const char *want_code = status == 409 ? "conflict" : status == 422 ? "invalid" : NULL;
    if (want_code && (!code || strcmp(code, want_code) != 0))
        fail_msg("%s %s %s: error.code %s, want %s; answer %s", method, path, body ? body : "",
                 code ? code : "(none)", want_code, r.body);
    const char *got_field = h_json_string(r.json, "error.field");
    if (field && !field_names(got_field, field))
        fail_msg("%s %s %s: error.field %s, want %s; answer %s", method, path, body ? body : "",
                 got_field ? got_field : "(none)", field, r.body);
    h_response_free(&r);
    char *after = h_org_snapshot(&db, o->slug);
    if (strcmp(before, after) != 0)
        fail_msg("%s %s %s: refused with %ld, but something was written:\n before %s\n after  %s",
                 method, path, body ? body : "", status, before, after);
    free(before);
    free(after);
}

/* ---- capacity and waitlist ---- */

static void test_capacity_and_waitlist(void **state)
{
    struct org o;
    new_org(&o);
    const char *names[] = {"l1", "l2", "l3", "l4", "l5"};
    char *ids[5], *emails[5];
    for (int i = 0; i < 5; i++) {
        ids[i] = person(&o, names[i]);
        emails[i] = email_of(&o, names[i]);
    }
    char *c = cohort(&o, ", \"capacity\": 3, \"min_learners\": 2");
    char *members = h_strf("/v1/cohorts/%s/members", c);

    /* five learners in one request: three enrolled, two waitlisted in order */
    char *body = h_strf("{\"members\": [{\"email\": \"%s\"}, {\"email\": \"%s\"}, {\"email\": "
                        "\"%s\"}, {\"email\": \"%s\"}, {\"person\": \"%s\"}]}",
                        emails[0], emails[1], emails[2], emails[3], ids[4]);
    struct h_response r;
    h_call(&server, "POST", members, o.coordinator, body, 201, &r);
    free(body);
    const cJSON *list = h_json_at(r.json, "members");
    assert_int_equal(cJSON_GetArraySize(list), 5);
    for (int i = 0; i < 5; i++) {
        const cJSON *m = cJSON_GetArrayItem(list, i);
        assert_string_equal(h_json_string(m, "person.id"), ids[i]);
        assert_string_equal(h_json_string(m, "role"), "learner");
        assert_string_equal(h_json_string(m, "status"), i < 3 ? "enrolled" : "waitlisted");
        const cJSON *pos = h_json_at(m, "waitlist_position");
        if (i < 3)
            assert_true(cJSON_IsNull(pos));
        else
            assert_int_equal(h_json_long(m, "waitlist_position"), i - 2);
        assert_true(cJSON_IsNull(h_json_at(m, "coach")));
    }
    h_response_free(&r);
    char *want = h_strf("%s learner enrolled, %s learner enrolled, %s learner enrolled, "
                        "%s learner waitlisted#1, %s learner waitlisted#2",
                        emails[0], emails[1], emails[2], emails[3], emails[4]);
    expect_members(&o, c, want);
    free(want);
    expect_counts(&o, c, 3, 2, 0, 3);

    cJSON *enrolled = h_org_events(&db, o.slug, "member.enrolled");
    cJSON *waitlisted = h_org_events(&db, o.slug, "member.waitlisted");
    assert_int_equal(cJSON_GetArraySize(enrolled), 3);
    assert_int_equal(cJSON_GetArraySize(waitlisted), 2);
    for (int i = 0; i < 3; i++)
        expect_member_event(cJSON_GetArrayItem(enrolled, i), c, ids[i], emails[i], "learner",
                            "enrolled", NULL);
    for (int i = 0; i < 2; i++)
        expect_member_event(cJSON_GetArrayItem(waitlisted, i), c, ids[3 + i], emails[3 + i],
                            "learner", "waitlisted", NULL);
    cJSON_Delete(enrolled);
    cJSON_Delete(waitlisted);

    /* duplicates: already enrolled, already waitlisted (by e-mail in another case, and by id);
     * the new person beside them is not enrolled either */
    char *newcomer = person(&o, "l6");
    char *newcomer_email = email_of(&o, "l6");
    char *upper = strdup(emails[1]); /* the same e-mail in another case */
    for (char *p = upper; *p && *p != '@'; p++)
        *p = (char)toupper((unsigned char)*p);
    body =
        h_strf("{\"members\": [{\"email\": \"%s\"}, {\"email\": \"%s\"}]}", newcomer_email, upper);
    expect_refusal(&o, "POST", members, body, 409, "members[1].email");
    free(body);
    body = h_strf("{\"members\": [{\"email\": \"%s\"}, {\"email\": \"%s\"}]}", newcomer_email,
                  emails[3]);
    expect_refusal(&o, "POST", members, body, 409, "members[1].email");
    free(body);
    body = h_strf("{\"members\": [{\"person\": \"%s\"}]}", ids[0]);
    expect_refusal(&o, "POST", members, body, 409, "members[0].person");
    free(body);
    body = h_strf("{\"members\": [{\"person\": \"%s\"}, {\"person\": \"%s\"}]}", ids[4], ids[4]);
    expect_refusal(&o, "POST", members, body, 409, NULL);
    free(body);
    /* one object as the whole body */
    body = h_strf("{\"email\": \"%s\"}", emails[2]);
    expect_refusal(&o, "POST", members, body, 409, NULL);
    free(body);
    /* an unknown person: 422 naming the item */
    body = h_strf("{\"members\": [{\"email\": \"%s\"}, {\"email\": \"nobody@%s.example\"}]}",
                  newcomer_email, o.slug);
    expect_refusal(&o, "POST", members, body, 422, "members[1].email");
    free(body);
    body = h_strf("{\"members\": [{\"email\": \"%s\", \"role\": \"principal\"}]}", newcomer_email);
    expect_refusal(&o, "POST", members, body, 422, "members[0].role");
    free(body);

    /* withdraw an enrolled learner: the first of the waitlist moves up, the other to 1 */
    char *l2 = h_strf("/v1/cohorts/%s/members/%s", c, ids[1]);
    h_call(&server, "DELETE", l2, o.coordinator, NULL, 200, &r);
    assert_string_equal(h_json_string(r.json, "status"), "withdrawn");
    assert_string_equal(h_json_string(r.json, "person.id"), ids[1]);
    h_response_free(&r);
    want = h_strf("%s learner enrolled, %s learner enrolled, %s learner enrolled, "
                  "%s learner waitlisted#1, %s learner withdrawn",
                  emails[0], emails[2], emails[3], emails[4], emails[1]);
    expect_members(&o, c, want);
    free(want);
    expect_counts(&o, c, 3, 1, 0, 3);
    assert_int_equal(events_count(&o, "member.withdrawn"), 1);
    cJSON *e = last_event(&o, "member.withdrawn");
    expect_member_event(e, c, ids[1], emails[1], "learner", "withdrawn", NULL);
    cJSON_Delete(e);
    assert_int_equal(events_count(&o, "member.enrolled"), 4);
    e = last_event(&o, "member.enrolled");
    expect_member_event(e, c, ids[3], emails[3], "learner", "enrolled", NULL);
    cJSON_Delete(e);
    assert_int_equal(events_count(&o, "member.waitlisted"), 2);

    /* withdrawing again: 409; someone who is not a member: 404 */
    expect_refusal(&o, "DELETE", l2, NULL, 409, NULL);
    char *not_member = h_strf("/v1/cohorts/%s/members/%s", c, newcomer);
    h_call(&server, "DELETE", not_member, o.coordinator, NULL, 404, &r);
    h_response_free(&r);

    /* raising the capacity moves the waitlist up */
    char *cohort_path = h_strf("/v1/cohorts/%s", c);
    h_call(&server, "PATCH", cohort_path, o.coordinator, "{\"capacity\": 4}", 200, &r);
    assert_int_equal(h_json_long(r.json, "capacity"), 4);
    h_response_free(&r);
    want = h_strf("%s learner enrolled, %s learner enrolled, %s learner enrolled, "
                  "%s learner enrolled, %s learner withdrawn",
                  emails[0], emails[2], emails[3], emails[4], emails[1]);
    expect_members(&o, c, want);
    free(want);
    expect_counts(&o, c, 4, 0, 0, 4);
    assert_int_equal(events_count(&o, "member.enrolled"), 5);
    e = last_event(&o, "member.enrolled");
    expect_member_event(e, c, ids[4], emails[4], "learner", "enrolled", NULL);
    cJSON_Delete(e);

    /* lowering it below the learners enrolled: 409, nothing changes */
    expect_refusal(&o, "PATCH", cohort_path, "{\"capacity\": 3}", 409, NULL);
    expect_counts(&o, c, 4, 0, 0, 4);

    /* coaches do not count against the capacity */
    char *coach = person(&o, "coach1");
    char *coach_email = email_of(&o, "coach1");
    body = h_strf("{\"email\": \"%s\", \"role\": \"coach\"}", coach_email);
    h_call(&server, "POST", members, o.coordinator, body, 201, &r);
    free(body);
    assert_string_equal(h_json_string(h_json_at(r.json, "members[0]"), "status"), "enrolled");
    assert_string_equal(h_json_string(h_json_at(r.json, "members[0]"), "role"), "coach");
    h_response_free(&r);
    expect_counts(&o, c, 4, 0, 1, 4);
    e = last_event(&o, "member.enrolled");
    expect_member_event(e, c, coach, coach_email, "coach", "enrolled", NULL);
    cJSON_Delete(e);

    /* the withdrawn learner enrolled again: anew, at the end of the waitlist */
    body = h_strf("{\"members\": [{\"email\": \"%s\"}, {\"email\": \"%s\"}]}", newcomer_email,
                  emails[1]);
    h_call(&server, "POST", members, o.coordinator, body, 201, &r);
    free(body);
    assert_string_equal(h_json_string(h_json_at(r.json, "members[0]"), "status"), "waitlisted");
    assert_int_equal(h_json_long(r.json, "members[0].waitlist_position"), 1);
    assert_string_equal(h_json_string(h_json_at(r.json, "members[1]"), "status"), "waitlisted");
    assert_int_equal(h_json_long(r.json, "members[1].waitlist_position"), 2);
    h_response_free(&r);
    want =
        h_strf("%s learner enrolled, %s learner enrolled, %s learner enrolled, "
               "%s learner enrolled, %s learner waitlisted#1, %s learner waitlisted#2, "
               "%s coach enrolled",
               emails[0], emails[2], emails[3], emails[4], newcomer_email, emails[1], coach_email);
    expect_members(&o, c, want);
    free(want);
    expect_counts(&o, c, 4, 2, 1, 4);
    assert_int_equal(events_count(&o, "member.waitlisted"), 4);
    e = last_event(&o, "member.waitlisted");
    expect_member_event(e, c, ids[1], emails[1], "learner", "waitlisted", NULL);
    cJSON_Delete(e);

    /* a closed cohort refuses every write */
    char *sessions = h_strf("/v1/cohorts/%s/sessions", c);
    h_call(&server, "POST", sessions, o.coordinator,
           "{\"kind\": \"weekly\", \"local_start\": \"2026-09-08T17:00\"}", 201, &r);
    char *attendance = h_strf("/v1/sessions/%s/attendance", h_json_string(r.json, "items[0].id"));
    h_response_free(&r);
    h_call(&server, "PATCH", cohort_path, o.coordinator, "{\"status\": \"closed\"}", 200, &r);
    assert_string_equal(h_json_string(r.json, "status"), "closed");
    h_response_free(&r);
    char *another = person(&o, "late");
    char *another_email = email_of(&o, "late");
    body = h_strf("{\"members\": [{\"email\": \"%s\"}]}", another_email);
    expect_refusal(&o, "POST", members, body, 409, NULL);
    free(body);
    body = h_strf("email,name\n%s,Late\n", another_email);
    {
        char *before = h_org_snapshot(&db, o.slug);
        char *import = h_strf("/v1/cohorts/%s/members/import", c);
        h_http(&server, "POST", import, o.coordinator, "text/csv", body, strlen(body), &r);
        if (r.status != 409)
            fail_msg("POST %s on a closed cohort: got %ld, want 409: %s", import, r.status, r.body);
        h_response_free(&r);
        char *after = h_org_snapshot(&db, o.slug);
        assert_string_equal(before, after);
        free(before);
        free(after);
        free(import);
    }
    free(body);
    char *l1 = h_strf("/v1/cohorts/%s/members/%s", c, ids[0]);
    expect_refusal(&o, "DELETE", l1, NULL, 409, NULL);
    body = h_strf("{\"coach\": \"%s\"}", coach_email);
    expect_refusal(&o, "PATCH", l1, body, 409, NULL);
    free(body);
    expect_refusal(&o, "PATCH", cohort_path, "{\"name\": \"Renamed\"}", 409, NULL);
    expect_refusal(&o, "PATCH", cohort_path, "{\"capacity\": 10}", 409, NULL);
    /* reopening it by hand is allowed (test_term_sessions); going back to planned is not */
    expect_refusal(&o, "PATCH", cohort_path, "{\"status\": \"planned\"}", 409, NULL);
    expect_refusal(&o, "POST", sessions,
                   "{\"weekly\": {\"first\": \"2026-09-15T17:00\", "
                   "\"count\": 2}}",
                   409, NULL);
    body = h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"online\"}]}", emails[0]);
    expect_refusal(&o, "PUT", attendance, body, 409, NULL);
    free(body);
    /* reading still works */
    expect_counts(&o, c, 4, 2, 1, 4);

    for (int i = 0; i < 5; i++) {
        free(ids[i]);
        free(emails[i]);
    }
    free(upper);
    free(newcomer);
    free(newcomer_email);
    free(coach);
    free(coach_email);
    free(another);
    free(another_email);
    free(c);
    free(members);
    free(l1);
    free(l2);
    free(not_member);
    free(cohort_path);
    free(sessions);
    free(attendance);
    org_free(&o);
}

/* Status moves forward only: planned -> active -> closed, or planned -> closed; the list of
 * cohorts is newest start first, filtered by status, paged. */
static void test_status_forward_only(void **state)
{
    struct org o;
    new_org(&o);
    char *c = cohort(&o, NULL);
    char *path = h_strf("/v1/cohorts/%s", c);
    struct h_response r;
    cJSON *j = cohort_get(&o, c);
    /* 2026-09-08 has passed: active by its dates (test_term_sessions covers planned) */
    assert_string_equal(h_json_string(j, "status"), "active");
    assert_string_equal(h_json_string(j, "status_source"), "dates");
    assert_int_equal(h_json_long(j, "capacity"), 18);
    assert_int_equal(h_json_long(j, "min_learners"), 12);
    assert_string_equal(h_json_string(j, "timezone"), "America/New_York");
    assert_string_equal(h_json_string(j, "starts_on"), "2026-09-08");
    assert_string_equal(h_json_string(j, "ends_on"), "2026-10-20");
    assert_string_equal(h_json_string(j, "credential.id"), o.credential);
    assert_string_equal(h_json_string(j, "credential.slug"), "equity-excellence");
    assert_int_equal(h_json_long(j, "credential.version"), 1);
    assert_string_equal(h_json_string(j, "credential.title"), "Equity and Excellence");
    cJSON_Delete(j);
    h_call(&server, "PATCH", path, o.coordinator, "{\"status\": \"active\"}", 200, &r);
    assert_string_equal(h_json_string(r.json, "status"), "active");
    assert_string_equal(h_json_string(r.json, "status_source"), "hand");
    h_response_free(&r);
    char *before = h_org_snapshot(&db, o.slug);
    h_send_json(&server, "PATCH", path, o.coordinator, "{\"status\": \"planned\"}", &r);
    if (r.status != 409 && r.status != 422)
        fail_msg("PATCH %s active -> planned: got %ld, want 409 or 422: %s", path, r.status,
                 r.body);
    h_response_free(&r);
    char *after = h_org_snapshot(&db, o.slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    h_call(&server, "PATCH", path, o.coordinator, "{\"status\": \"closed\"}", 200, &r);
    h_response_free(&r);

    /* the list: newest start first, ?status=, paged */
    char *later = h_strf("{\"credential\": \"%s\", \"name\": \"Winter\", \"starts_on\": "
                         "\"2027-01-10\", \"ends_on\": \"2027-02-20\", \"timezone\": \"UTC\"}",
                         o.credential);
    h_call(&server, "POST", "/v1/cohorts", o.coordinator, later, 201, &r);
    char *c2 = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    char *earlier = h_strf("{\"credential\": \"%s\", \"name\": \"Spring\", \"starts_on\": "
                           "\"2026-01-05\", \"ends_on\": \"2026-02-20\", \"timezone\": "
                           "\"UTC\"}",
                           o.credential);
    h_call(&server, "POST", "/v1/cohorts", o.coordinator, earlier, 201, &r);
    char *c3 = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    j = get_json("/v1/cohorts", o.coordinator);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 3);
    assert_string_equal(h_json_string(j, "items[0].id"), c2);
    assert_string_equal(h_json_string(j, "items[1].id"), c);
    assert_string_equal(h_json_string(j, "items[2].id"), c3);
    cJSON_Delete(j);
    j = get_json("/v1/cohorts?status=closed", o.coordinator);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 1);
    assert_string_equal(h_json_string(j, "items[0].id"), c);
    cJSON_Delete(j);
    j = get_json("/v1/cohorts?limit=2", o.coordinator);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 2);
    const char *next = h_json_string(j, "next");
    assert_non_null(next);
    char *page2 = h_strf("/v1/cohorts?limit=2&after=%s", next);
    cJSON_Delete(j);
    j = get_json(page2, o.coordinator);
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 1);
    assert_string_equal(h_json_string(j, "items[0].id"), c3);
    assert_true(cJSON_IsNull(h_json_at(j, "next")));
    cJSON_Delete(j);
    free(page2);
    free(later);
    free(earlier);
    free(c2);
    free(c3);
    free(path);
    free(c);
    org_free(&o);
}

/* ---- attendance only for enrolled members ---- */

static void test_attendance_for_members_only(void **state)
{
    struct org o, elsewhere;
    new_org(&o);
    new_org(&elsewhere);
    const char *names[] = {"ana", "bo", "cy", "dee", "outsider"};
    char *ids[5], *emails[5];
    for (int i = 0; i < 5; i++) {
        ids[i] = person(&o, names[i]);
        emails[i] = email_of(&o, names[i]);
    }
    char *stranger = person(&elsewhere, "ana"); /* ana@<elsewhere>.example */
    char *stranger_email = email_of(&elsewhere, "ana");
    /* capacity 2: ana and bo enrolled, cy withdrawn below, dee waitlisted */
    char *c = cohort(&o, ", \"capacity\": 2, \"min_learners\": 1");
    char *members = h_strf("/v1/cohorts/%s/members", c);
    char *body = h_strf("{\"members\": [{\"email\": \"%s\"}, {\"email\": \"%s\"}, {\"email\": "
                        "\"%s\"}, {\"email\": \"%s\"}]}",
                        emails[0], emails[1], emails[2], emails[3]);
    struct h_response r;
    h_call(&server, "POST", members, o.coordinator, body, 201, &r);
    h_response_free(&r);
    free(body);
    /* withdraw bo: cy moves up; then withdraw cy: dee moves up; enrol bo again: waitlisted */
    char *bo = h_strf("/v1/cohorts/%s/members/%s", c, ids[1]);
    h_call(&server, "DELETE", bo, o.coordinator, NULL, 200, &r);
    h_response_free(&r);
    /* now: ana, cy enrolled; dee waitlisted #1; bo withdrawn */
    char *want = h_strf("%s learner enrolled, %s learner enrolled, %s learner waitlisted#1, "
                        "%s learner withdrawn",
                        emails[0], emails[2], emails[3], emails[1]);
    expect_members(&o, c, want);
    free(want);

    char *sessions = h_strf("/v1/cohorts/%s/sessions", c);
    h_call(&server, "POST", sessions, o.coordinator,
           "{\"weekly\": {\"first\": \"2026-09-08T17:00\", \"count\": 1}}", 201, &r);
    const char *session_id = h_json_string(r.json, "items[0].id");
    assert_non_null(session_id);
    char *attendance = h_strf("/v1/sessions/%s/attendance", session_id);
    h_response_free(&r);

    struct {
        const char *what;
        char *body;
        const char *field;
    } refused[] = {
        {"a person of the organisation outside the cohort",
         h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"online\"}, {\"email\": "
                "\"%s\", \"mode\": \"online\"}]}",
                emails[0], emails[4]),
         "attendance[1]"},
        {"the same, by id",
         h_strf("{\"attendance\": [{\"person\": \"%s\", \"mode\": \"absent\"}]}", ids[4]),
         "attendance[0]"},
        {"a withdrawn member",
         h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"in_person\"}, {\"person\": "
                "\"%s\", \"mode\": \"absent\"}]}",
                emails[2], ids[1]),
         "attendance[1]"},
        {"a waitlisted member",
         h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"online\"}]}", emails[3]),
         "attendance[0]"},
        {"a person of another organisation",
         h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"online\"}]}", stranger_email),
         "attendance[0]"},
        {"another organisation's person id",
         h_strf("{\"attendance\": [{\"person\": \"%s\", \"mode\": \"online\"}]}", stranger),
         "attendance[0]"},
        {"no one at all",
         h_strf("{\"attendance\": [{\"email\": \"ghost@%s.example\", \"mode\": \"online\"}]}",
                o.slug),
         "attendance[0]"},
        {"a mode that is not one",
         h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"late\"}]}", emails[0]),
         "attendance[0].mode"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        expect_refusal(&o, "PUT", attendance, refused[i].body, 422, refused[i].field);
        free(refused[i].body);
    }
    assert_int_equal(events_count(&o, "attendance.recorded"), 0);

    /* the enrolled members can be recorded */
    body = h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"online\"}, {\"person\": "
                  "\"%s\", \"mode\": \"excused\"}]}",
                  emails[0], ids[2]);
    h_call(&server, "PUT", attendance, o.coordinator, body, 200, &r);
    assert_int_equal(cJSON_GetArraySize(h_json_at(r.json, "items")), 2);
    h_response_free(&r);
    free(body);
    assert_int_equal(events_count(&o, "attendance.recorded"), 1);

    for (int i = 0; i < 5; i++) {
        free(ids[i]);
        free(emails[i]);
    }
    free(stranger);
    free(stranger_email);
    free(c);
    free(members);
    free(bo);
    free(sessions);
    free(attendance);
    org_free(&o);
    org_free(&elsewhere);
}

/* ---- what a cohort, a session and a coach must be ---- */

static void test_cohort_and_session_checks(void **state)
{
    struct org o;
    new_org(&o);
    struct h_response r;
    char *body;
    struct {
        const char *what;
        const char *fields; /* after "credential" */
        const char *field;
    } bad_cohorts[] = {
        {"invalid time zone", "\"timezone\": \"America/Atlantis\"", "timezone"},
        {"time zone not a name", "\"timezone\": \"+05:00 or so\"", "timezone"},
        {"ends before it starts", "\"starts_on\": \"2026-10-20\", \"ends_on\": \"2026-09-08\"",
         "ends_on"},
        {"not a date", "\"starts_on\": \"2026-02-30\"", "starts_on"},
        {"capacity above 500", "\"capacity\": 501", "capacity"},
        {"min_learners 0", "\"min_learners\": 0", "min_learners"},
        {"no name", "\"name\": \"\"", "name"},
        {"an unknown field", "\"colour\": \"teal\"", "colour"},
    };
    for (size_t i = 0; i < sizeof bad_cohorts / sizeof bad_cohorts[0]; i++) {
        cJSON *j = cJSON_Parse("{\"name\": \"Fall 2026\", \"starts_on\": \"2026-09-08\", "
                               "\"ends_on\": \"2026-10-20\", \"timezone\": \"America/New_York\"}");
        cJSON_AddStringToObject(j, "credential", o.credential);
        char *extra = h_strf("{%s}", bad_cohorts[i].fields);
        cJSON *e = cJSON_Parse(extra);
        const cJSON *item;
        cJSON_ArrayForEach(item, e)
        {
            cJSON_DeleteItemFromObjectCaseSensitive(j, item->string);
            cJSON_AddItemToObject(j, item->string, cJSON_Duplicate(item, 1));
        }
        body = cJSON_PrintUnformatted(j);
        expect_refusal(&o, "POST", "/v1/cohorts", body, 422, bad_cohorts[i].field);
        free(body);
        free(extra);
        cJSON_Delete(e);
        cJSON_Delete(j);
    }

    /* the credential must be published: a draft, no such id, an id that is not one */
    const char *credentials[] = {o.draft, "00000000-0000-4000-8000-000000000000", "draft"};
    for (size_t i = 0; i < 3; i++) {
        body = h_strf("{\"credential\": \"%s\", \"name\": \"Fall\", \"starts_on\": "
                      "\"2026-09-08\", \"ends_on\": \"2026-10-20\", \"timezone\": \"UTC\"}",
                      credentials[i]);
        expect_refusal(&o, "POST", "/v1/cohorts", body, 422, "credential");
        free(body);
    }

    /* PATCH checks the same */
    char *c = cohort(&o, NULL);
    char *path = h_strf("/v1/cohorts/%s", c);
    expect_refusal(&o, "PATCH", path, "{\"timezone\": \"Mars/Olympus_Mons\"}", 422, "timezone");
    expect_refusal(&o, "PATCH", path, "{\"ends_on\": \"2026-09-01\"}", 422, "ends_on");
    h_call(&server, "PATCH", path, o.coordinator, "{\"timezone\": \"Europe/Dublin\"}", 200, &r);
    assert_string_equal(h_json_string(r.json, "timezone"), "Europe/Dublin");
    h_response_free(&r);
    h_call(&server, "PATCH", path, o.coordinator, "{\"timezone\": \"America/New_York\"}", 200, &r);
    h_response_free(&r);

    /* a local time skipped by the clock change (2027-03-14 02:00 -> 03:00 in New York) */
    char *sessions = h_strf("/v1/cohorts/%s/sessions", c);
    expect_refusal(&o, "POST", sessions,
                   "{\"kind\": \"weekly\", \"local_start\": \"2027-03-14T02:30\"}", 422,
                   "local_start");
    expect_refusal(&o, "POST", sessions,
                   "{\"weekly\": {\"first\": \"2027-03-14T02:30\", \"count\": 6}}", 422,
                   "weekly.first");
    /* the third week of a series falls into the gap: the whole series is refused */
    expect_refusal(&o, "POST", sessions,
                   "{\"weekly\": {\"first\": \"2027-02-28T02:30\", \"count\": 3}}", 422, NULL);
    /* other session mistakes */
    expect_refusal(&o, "POST", sessions,
                   "{\"weekly\": {\"first\": \"2026-09-08T17:00\", \"count\": 53}}", 422,
                   "weekly.count");
    expect_refusal(&o, "POST", sessions,
                   "{\"weekly\": {\"first\": \"2026-09-08T17:00\", \"count\": 0}}", 422,
                   "weekly.count");
    expect_refusal(&o, "POST", sessions,
                   "{\"weekly\": {\"first\": \"2026-09-08T17:00\", \"count\": 2, "
                   "\"modality\": \"carrier pigeon\"}}",
                   422, "weekly.modality");
    expect_refusal(&o, "POST", sessions,
                   "{\"weekly\": {\"first\": \"2026-09-08T17:00\", \"count\": 2, "
                   "\"duration_minutes\": 4}}",
                   422, "weekly.duration_minutes");
    expect_refusal(&o, "POST", sessions,
                   "{\"kind\": \"weekly\", \"local_start\": \"2026-09-08T17:00\", "
                   "\"duration_minutes\": 601}",
                   422, "duration_minutes");
    expect_refusal(&o, "POST", sessions,
                   "{\"kind\": \"seminar\", \"local_start\": \"2026-09-08T17:00\"}", 422, "kind");
    expect_refusal(&o, "POST", sessions,
                   "{\"kind\": \"weekly\", \"local_start\": \"2026-09-08 5pm\"}", 422,
                   "local_start");
    /* the time just after the gap exists (after the cohort's end: forced) */
    h_call(&server, "POST", sessions, o.coordinator,
           "{\"kind\": \"weekly\", \"local_start\": \"2027-03-14T03:30\", \"force\": true}", 201,
           &r);
    assert_string_equal(h_json_string(r.json, "items[0].starts_at"), "2027-03-14T07:30:00Z");
    assert_string_equal(h_json_string(r.json, "items[0].local_start"), "2027-03-14T03:30");
    h_response_free(&r);

    /* coaches: only a coach of the cohort may be a learner's coach */
    char *ana = person(&o, "ana"), *bo = person(&o, "bo"), *coach = person(&o, "coach");
    char *loner = person(&o, "loner"), *cy = person(&o, "cy");
    char *ana_email = email_of(&o, "ana"), *bo_email = email_of(&o, "bo");
    char *coach_email = email_of(&o, "coach"), *loner_email = email_of(&o, "loner");
    char *cy_email = email_of(&o, "cy");
    char *members = h_strf("/v1/cohorts/%s/members", c);
    body = h_strf("{\"members\": [{\"email\": \"%s\", \"role\": \"coach\"}, {\"email\": \"%s\", "
                  "\"coach\": \"%s\"}, {\"email\": \"%s\"}]}",
                  coach_email, ana_email, coach_email, bo_email);
    h_call(&server, "POST", members, o.coordinator, body, 201, &r);
    assert_string_equal(h_json_string(h_json_at(r.json, "members[1]"), "coach.id"), coach);
    assert_string_equal(h_json_string(h_json_at(r.json, "members[1]"), "coach.email"), coach_email);
    assert_true(cJSON_IsNull(h_json_at(r.json, "members[2].coach")));
    h_response_free(&r);
    free(body);
    cJSON *e = last_event(&o, "member.enrolled");
    expect_member_event(e, c, bo, bo_email, "learner", "enrolled", NULL);
    cJSON_Delete(e);
    cJSON *enrolled = h_org_events(&db, o.slug, "member.enrolled");
    expect_member_event(cJSON_GetArrayItem(enrolled, 1), c, ana, ana_email, "learner", "enrolled",
                        coach);
    cJSON_Delete(enrolled);

    char *bo_path = h_strf("/v1/cohorts/%s/members/%s", c, bo);
    /* a learner as a coach; a person outside the cohort as a coach */
    body = h_strf("{\"coach\": \"%s\"}", ana_email);
    expect_refusal(&o, "PATCH", bo_path, body, 422, "coach");
    free(body);
    body = h_strf("{\"coach\": \"%s\"}", loner);
    expect_refusal(&o, "PATCH", bo_path, body, 422, "coach");
    free(body);
    body = h_strf("{\"members\": [{\"email\": \"%s\", \"coach\": \"%s\"}]}", cy_email, ana_email);
    expect_refusal(&o, "POST", members, body, 422, "members[0].coach");
    free(body);
    body = h_strf("{\"members\": [{\"email\": \"%s\", \"coach\": \"%s\"}]}", cy_email, loner_email);
    expect_refusal(&o, "POST", members, body, 422, "members[0].coach");
    free(body);
    /* a coach in the roster import must be a coach too */
    {
        char *csv = h_strf("email,name,role,coach\n%s,Cy,learner,%s\n", cy_email, bo_email);
        char *import = h_strf("/v1/cohorts/%s/members/import", c);
        char *before = h_org_snapshot(&db, o.slug);
        h_http(&server, "POST", import, o.coordinator, "text/csv", csv, strlen(csv), &r);
        bool names_coach = false;
        const cJSON *err;
        cJSON_ArrayForEach(err, h_json_at(r.json, "errors"))
        {
            const char *col = h_json_string(err, "column");
            names_coach |= col && strcmp(col, "coach") == 0 && h_json_long(err, "row") == 2;
        }
        if (r.status != 422 || !names_coach)
            fail_msg("POST %s, a learner as coach: got %ld %s; want 422 with row 2, column coach",
                     import, r.status, r.body);
        h_response_free(&r);
        char *after = h_org_snapshot(&db, o.slug);
        assert_string_equal(before, after);
        free(before);
        free(after);
        free(import);
        free(csv);
    }

    /* a coaching session is for a learner of the cohort; a weekly one for no one */
    body = h_strf("{\"kind\": \"coaching\", \"local_start\": \"2026-09-09T10:00\", "
                  "\"learner\": \"%s\"}",
                  coach_email);
    expect_refusal(&o, "POST", sessions, body, 422, "learner");
    free(body);
    body = h_strf("{\"kind\": \"coaching\", \"local_start\": \"2026-09-09T10:00\", "
                  "\"learner\": \"%s\"}",
                  loner_email);
    expect_refusal(&o, "POST", sessions, body, 422, "learner");
    free(body);
    body = h_strf("{\"kind\": \"weekly\", \"local_start\": \"2026-09-09T10:00\", "
                  "\"learner\": \"%s\"}",
                  ana_email);
    expect_refusal(&o, "POST", sessions, body, 422, "learner");
    free(body);
    body = h_strf("{\"kind\": \"coaching\", \"local_start\": \"2026-09-09T10:00\", "
                  "\"learner\": \"%s\", \"modality\": \"online\", \"duration_minutes\": 45}",
                  ana);
    h_call(&server, "POST", sessions, o.coordinator, body, 201, &r);
    free(body);
    assert_string_equal(h_json_string(r.json, "items[0].kind"), "coaching");
    assert_string_equal(h_json_string(r.json, "items[0].modality"), "online");
    assert_int_equal(h_json_long(r.json, "items[0].duration_minutes"), 45);
    assert_true(cJSON_IsNull(h_json_at(r.json, "items[0].week")) ||
                cJSON_IsNumber(h_json_at(r.json, "items[0].week")));
    {
        char *learner_text = cJSON_PrintUnformatted(h_json_at(r.json, "items[0].learner"));
        if (!learner_text || !strstr(learner_text, ana))
            fail_msg("a coaching session's learner is %s, want %s", learner_text, ana);
        free(learner_text);
    }
    h_response_free(&r);

    /* assigning and removing a coach */
    body = h_strf("{\"coach\": \"%s\"}", coach_email);
    h_call(&server, "PATCH", bo_path, o.coordinator, body, 200, &r);
    assert_string_equal(h_json_string(r.json, "coach.id"), coach);
    h_response_free(&r);
    free(body);
    h_call(&server, "PATCH", bo_path, o.coordinator, "{\"coach\": null}", 200, &r);
    assert_true(cJSON_IsNull(h_json_at(r.json, "coach")));
    h_response_free(&r);

    free(ana);
    free(bo);
    free(coach);
    free(loner);
    free(cy);
    free(ana_email);
    free(bo_email);
    free(coach_email);
    free(loner_email);
    free(cy_email);
    free(members);
    free(bo_path);
    free(sessions);
    free(path);
    free(c);
    org_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capacity_and_waitlist),
        cmocka_unit_test(test_status_forward_only),
        cmocka_unit_test(test_attendance_for_members_only),
        cmocka_unit_test(test_cohort_and_session_checks),
    };
    return h_run_tests(tests, setup, teardown);
}
