/*
 * test_term_sessions.c — a coordinator's term, issue 11's findings on
 * sessions and the cohort's lifecycle, driven through the real mcred CLI
 * (and the API where the CLI has no say) against the real server:
 *
 *   - the same weekly series scheduled twice is refused (409), naming the
 *     clashing sessions on the cohort's clock, and nothing is written;
 *   - a series outside the cohort's dates is refused (422) unless --force;
 *   - a session can be moved (duplicate and outside checks as scheduling),
 *     cancelled (kept, listed as cancelled, no attendance), restored,
 *     marked held, and deleted while no attendance hangs on it (409
 *     saying to cancel otherwise); deleting the last week and scheduling
 *     one more gives that week again; each write audited with its event;
 *   - credential status counts only sessions held and not cancelled;
 *   - a time zone change on a cohort with sessions is refused until
 *     --keep-local-times or --keep-instants says what to do, and each does
 *     what it says; narrowed dates that leave sessions outside are refused
 *     unless --force;
 *   - a cohort is planned before its start and active from it, by its
 *     dates; closed by hand (mcred cohort close) or by closes_on, and then
 *     refuses writes; reopened, and given back to the dates.
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
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
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
    char *coordinator;
    char *credential;
};

static void new_org(struct org *o)
{
    static unsigned n;
    snprintf(o->slug, sizeof o->slug, "term-%u", ++n);
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
    free(seed);
}

static void org_free(struct org *o)
{
    free(o->admin);
    free(o->coordinator);
    free(o->credential);
}

/* A cohort of the seed in America/Chicago with these dates; its id. */
static char *cohort(const struct org *o, const char *starts, const char *ends)
{
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Spring %s\", \"starts_on\": \"%s\","
                        " \"ends_on\": \"%s\", \"timezone\": \"America/Chicago\"}",
                        o->credential, starts, starts, ends);
    struct h_response r;
    h_call(&server, "POST", "/v1/cohorts", o->coordinator, body, 201, &r);
    char *id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    free(body);
    return id;
}

/* mcred as the coordinator: exit status, stdout and stderr (each malloc'd). */
static int cli(const struct org *o, const char *const *argv, char **out, char **err)
{
    return h_cli(server.url, o->coordinator, argv, out, err);
}

static char *cli_ok(const struct org *o, const char *const *argv)
{
    char *out = NULL, *err = NULL;
    int st = cli(o, argv, &out, &err);
    if (st != 0)
        fail_msg("mcred %s %s: exit %d\nstdout: %s\nstderr: %s", argv[0], argv[1], st, out, err);
    free(err);
    return out;
}

/* The CLI refuses with `want_exit`, writing nothing, and its stderr holds `want_text`. */
static void cli_refused(const struct org *o, const char *const *argv, int want_exit,
                        const char *want_text)
{
    char *before = h_org_snapshot_all(&db, o->slug);
    char *out = NULL, *err = NULL;
    int st = cli(o, argv, &out, &err);
    if (st != want_exit)
        fail_msg("mcred %s %s: exit %d, want %d\nstdout: %s\nstderr: %s", argv[0], argv[1], st,
                 want_exit, out, err);
    if (want_text && !strstr(err, want_text))
        fail_msg("mcred %s %s: stderr lacks \"%s\": %s", argv[0], argv[1], want_text, err);
    char *after = h_org_snapshot_all(&db, o->slug);
    if (strcmp(before, after) != 0)
        fail_msg("mcred %s %s was refused but wrote something", argv[0], argv[1]);
    free(before);
    free(after);
    free(out);
    free(err);
}

static cJSON *get_json(const struct org *o, const char *path)
{
    struct h_response r;
    h_call(&server, "GET", path, o->coordinator, NULL, 200, &r);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

static cJSON *sessions_of(const struct org *o, const char *cohort_id)
{
    char *path = h_strf("/v1/cohorts/%s/sessions", cohort_id);
    cJSON *j = get_json(o, path);
    free(path);
    return j;
}

/* "week:local_start:status, …" of a cohort's sessions, in start order. */
static char *outline(const struct org *o, const char *cohort_id)
{
    cJSON *list = sessions_of(o, cohort_id);
    char buf[4096] = "";
    size_t len = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(list, "items"))
    {
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%ld:%s:%s", len ? ", " : "",
                                h_json_long(s, "week"), h_json_string(s, "local_start"),
                                h_json_string(s, "status"));
    }
    cJSON_Delete(list);
    return strdup(buf);
}

static void expect_outline(const struct org *o, const char *cohort_id, const char *want)
{
    char *got = outline(o, cohort_id);
    if (strcmp(got, want) != 0)
        fail_msg("sessions of %s:\n got  %s\n want %s", cohort_id, got, want);
    free(got);
}

/* The id of the session at index i of the cohort's list (malloc'd). */
static char *session_at(const struct org *o, const char *cohort_id, int i)
{
    cJSON *list = sessions_of(o, cohort_id);
    char *p = h_strf("items[%d].id", i);
    const char *id = h_json_string(list, p);
    if (!id)
        fail_msg("no session %d in cohort %s", i, cohort_id);
    char *out = strdup(id);
    free(p);
    cJSON_Delete(list);
    return out;
}

/* Findings 1-3: scheduling twice, outside the dates, corrections, status counts. */
static void test_schedule_and_correct(void **state)
{
    (void)state;
    struct org o;
    new_org(&o);
    /* a cohort whose first sessions are past, so that they count as held */
    char *c = cohort(&o, "2026-10-01", "2026-12-31");
    const char *schedule[] = {"session",          "schedule", c,   "--first",
                              "2026-10-06T17:00", "--count",  "6", NULL};
    free(cli_ok(&o, schedule));
    expect_outline(&o, c,
                   "1:2026-10-06T17:00:held, 2:2026-10-13T17:00:held, 3:2026-10-20T17:00:held, "
                   "4:2026-10-27T17:00:held, 5:2026-11-03T17:00:held, 6:2026-11-10T17:00:held");

    /* the same series again: refused, naming the clashing sessions, nothing written */
    cli_refused(&o, schedule, 1, "Week 1 on 2026-10-06 17:00");
    /* a single session on week 3's time too */
    const char *dup_one[] = {"session", "add", c, "--at", "2026-10-20T17:00", NULL};
    cli_refused(&o, dup_one, 1, "Week 3 on 2026-10-20 17:00 is already scheduled");
    /* a series starting months after the cohort's end */
    const char *late[] = {"session",          "schedule", c,   "--first",
                          "2027-04-06T17:00", "--count",  "2", NULL};
    cli_refused(&o, late, 1, "outside the cohort's dates, 2026-10-01 to 2026-12-31");
    cli_refused(&o, late, 1, "add --force if that is meant");
    /* one make-up session after the end, forced */
    const char *makeup[] = {"session", "add", c, "--at", "2027-01-05T17:00", "--force", NULL};
    free(cli_ok(&o, makeup));
    /* duplicates are never forced */
    const char *dup_forced[] = {"session", "add", c, "--at", "2027-01-05T17:00", "--force", NULL};
    cli_refused(&o, dup_forced, 1, "Week 7 on 2027-01-05 17:00 is already scheduled");

    /* status: a learner with attendance at 5 sessions, two of them then cancelled */
    struct h_response r;
    char *ana_email = h_strf("ana@%s.example", o.slug);
    char *ana = h_person(&server, o.admin, ana_email, "Ana", NULL);
    char *body = h_strf("{\"members\": [{\"email\": \"%s\"}]}", ana_email);
    char *members = h_strf("/v1/cohorts/%s/members", c);
    h_call(&server, "POST", members, o.coordinator, body, 201, &r);
    h_response_free(&r);
    free(body);
    char *ids[7];
    for (int i = 0; i < 7; i++)
        ids[i] = session_at(&o, c, i);
    body = h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"online\"}]}", ana_email);
    for (int i = 0; i < 5; i++) {
        char *att = h_strf("/v1/sessions/%s/attendance", ids[i]);
        h_send_json(&server, "PUT", att, o.coordinator, body, &r);
        if (r.status != 200)
            fail_msg("PUT %s: %ld %s", att, r.status, r.body);
        h_response_free(&r);
        free(att);
    }
    char *status_path = h_strf("/v1/cohorts/%s/members/%s/status", c, ana);
    cJSON *st = get_json(&o, status_path);
    assert_int_equal(h_json_long(st, "attendance.held"), 6);
    assert_int_equal(h_json_long(st, "attendance.attended"), 5);
    cJSON_Delete(st);

    /* cancel week 2 (with attendance) and week 6: kept, listed as cancelled, not counted */
    const char *cancel2[] = {"session", "cancel", ids[1], "--reason", "snow day", NULL};
    char *out = cli_ok(&o, cancel2);
    if (!strstr(out, "cancelled") || !strstr(out, "snow day"))
        fail_msg("mcred session cancel: %s", out);
    free(out);
    const char *cancel6[] = {"session", "cancel", ids[5], NULL};
    free(cli_ok(&o, cancel6));
    cli_refused(&o, cancel6, 1, "Week 6 on 2026-11-10 17:00 is already cancelled");
    expect_outline(&o, c,
                   "1:2026-10-06T17:00:held, 2:2026-10-13T17:00:cancelled, "
                   "3:2026-10-20T17:00:held, 4:2026-10-27T17:00:held, "
                   "5:2026-11-03T17:00:held, 6:2026-11-10T17:00:cancelled, "
                   "7:2027-01-05T17:00:scheduled");
    st = get_json(&o, status_path);
    assert_int_equal(h_json_long(st, "attendance.held"), 4);
    assert_int_equal(h_json_long(st, "attendance.attended"), 4);
    cJSON_Delete(st);
    /* a cancelled session takes no attendance */
    char *att2 = h_strf("/v1/sessions/%s/attendance", ids[1]);
    char *before = h_org_snapshot_all(&db, o.slug);
    h_send_json(&server, "PUT", att2, o.coordinator, body, &r);
    if (r.status < 400)
        fail_msg("PUT %s on a cancelled session: %ld %s", att2, r.status, r.body);
    h_response_free(&r);
    char *after = h_org_snapshot_all(&db, o.slug);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* a cancelled session is listed by the CLI with its status */
    const char *list[] = {"session", "list", c, NULL};
    out = cli_ok(&o, list);
    if (!strstr(out, "STATUS") || !strstr(out, "cancelled"))
        fail_msg("mcred session list shows no status: %s", out);
    free(out);
    /* restoring week 6 counts it again */
    const char *restore6[] = {"session", "restore", ids[5], NULL};
    free(cli_ok(&o, restore6));
    st = get_json(&o, status_path);
    assert_int_equal(h_json_long(st, "attendance.held"), 5);
    cJSON_Delete(st);

    /* move: onto another session refused; outside the dates refused, then forced */
    const char *onto[] = {"session", "move", ids[3], "--at", "2026-10-20T17:00", NULL};
    cli_refused(&o, onto, 1, "Week 3 on 2026-10-20 17:00 is already scheduled");
    const char *far[] = {"session", "move", ids[6], "--at", "2027-02-02T16:00", NULL};
    cli_refused(&o, far, 1, "outside the cohort's dates");
    const char *moved[] = {"session",    "move", ids[6],    "--at",    "2026-12-15T16:00",
                           "--duration", "60",   "--title", "Make-up", NULL};
    out = cli_ok(&o, moved);
    if (!strstr(out, "2026-12-15T16:00") || !strstr(out, "Make-up"))
        fail_msg("mcred session move: %s", out);
    free(out);
    const char *moving_cancelled[] = {"session", "move", ids[1], "--at", "2026-10-14T17:00", NULL};
    cli_refused(&o, moving_cancelled, 1, "restore it");
    /* held by hand: a future session may take attendance */
    const char *held[] = {"session", "held", ids[6], NULL};
    out = cli_ok(&o, held);
    if (!strstr(out, "held"))
        fail_msg("mcred session held: %s", out);
    free(out);

    /* delete: refused with attendance (say cancel), allowed without */
    const char *del1[] = {"session", "delete", ids[0], NULL};
    cli_refused(&o, del1, 1, "cancel it instead");
    const char *del7[] = {"session", "delete", ids[6], NULL};
    out = cli_ok(&o, del7);
    if (!strstr(out, "deleted session"))
        fail_msg("mcred session delete: %s", out);
    free(out);
    char *gone = h_strf("SELECT count(*) FROM mcred.sessions WHERE id = '%s'", ids[6]);
    assert_int_equal(h_db_long_super(&db, gone), 0);
    free(gone);
    /* one more session: week 7 again */
    const char *again[] = {"session", "add", c, "--at", "2026-12-22T17:00", NULL};
    free(cli_ok(&o, again));
    cJSON *l = sessions_of(&o, c);
    assert_int_equal(h_json_long(l, "items[6].week"), 7);
    assert_string_equal(h_json_string(l, "items[6].title"), "Week 7");
    cJSON_Delete(l);

    /* every correction audited with before and after, and its events */
    char *sql = h_strf("SELECT count(*) FROM mcred.audit a JOIN mcred.orgs g ON g.id = a.org_id"
                       " WHERE g.slug = '%s' AND a.action IN ('session.update', 'session.cancel',"
                       " 'session.restore', 'session.held', 'session.delete')"
                       " AND a.before IS NOT NULL",
                       o.slug);
    assert_int_equal(h_db_long_super(&db, sql), 6);
    free(sql);
    cJSON *ev = h_org_events(&db, o.slug, "session.cancelled");
    assert_int_equal(cJSON_GetArraySize(ev), 2);
    assert_string_equal(h_json_string(ev, "[0].cancel_reason"), "snow day");
    cJSON_Delete(ev);
    ev = h_org_events(&db, o.slug, "session.deleted");
    assert_int_equal(cJSON_GetArraySize(ev), 1);
    assert_string_equal(h_json_string(ev, "[0].id"), ids[6]);
    cJSON_Delete(ev);
    ev = h_org_events(&db, o.slug, "session.updated");
    assert_int_equal(cJSON_GetArraySize(ev), 3); /* move, restore, held */
    cJSON_Delete(ev);

    /* an unknown session is 404, exit 3 */
    const char *unknown[] = {"session", "cancel", "00000000-0000-0000-0000-000000000000", NULL};
    cli_refused(&o, unknown, 3, NULL);

    for (int i = 0; i < 7; i++)
        free(ids[i]);
    free(att2);
    free(status_path);
    free(members);
    free(body);
    free(ana_email);
    free(ana);
    free(c);
    org_free(&o);
}

/* Finding 4: time zone and dates of a cohort with sessions. */
static void test_timezone_and_dates(void **state)
{
    (void)state;
    struct org o;
    new_org(&o);
    char *c = cohort(&o, "2027-02-01", "2027-03-31");
    const char *schedule[] = {"session",          "schedule", c,   "--first",
                              "2027-02-02T17:00", "--count",  "6", NULL};
    free(cli_ok(&o, schedule));

    const char *tz[] = {"cohort", "update", c, "--timezone", "America/New_York", NULL};
    cli_refused(&o, tz, 1,
                "the 6 sessions would stay at the same instants and show at 18:00 instead of "
                "17:00 in America/New_York");
    cli_refused(&o, tz, 1, "add --keep-local-times");
    const char *both[] = {"cohort",
                          "update",
                          c,
                          "--timezone",
                          "America/New_York",
                          "--keep-instants",
                          "--keep-local-times",
                          NULL};
    cli_refused(&o, both, 2, NULL);

    /* keep the instants: 17:00 Chicago shows as 18:00 New York */
    const char *keep_instants[] = {"cohort",           "update",          c,   "--timezone",
                                   "America/New_York", "--keep-instants", NULL};
    free(cli_ok(&o, keep_instants));
    cJSON *l = sessions_of(&o, c);
    assert_string_equal(h_json_string(l, "items[0].local_start"), "2027-02-02T18:00");
    assert_string_equal(h_json_string(l, "items[0].starts_at"), "2027-02-02T23:00:00Z");
    cJSON_Delete(l);
    /* back to Chicago keeping local times: 18:00 stays 18:00, the instants move an hour */
    const char *keep_local[] = {
        "cohort", "update", c, "--timezone", "America/Chicago", "--keep-local-times", NULL};
    free(cli_ok(&o, keep_local));
    l = sessions_of(&o, c);
    assert_string_equal(h_json_string(l, "items[0].local_start"), "2027-02-02T18:00");
    assert_string_equal(h_json_string(l, "items[0].starts_at"), "2027-02-03T00:00:00Z");
    /* across the clock change (2027-03-14), local time is kept too */
    assert_string_equal(h_json_string(l, "items[5].local_start"), "2027-03-09T18:00");
    assert_string_equal(h_json_string(l, "items[5].timezone"), "America/Chicago");
    cJSON_Delete(l);
    /* each change of time zone told subscribers about every session it changed */
    cJSON *ev = h_org_events(&db, o.slug, "session.updated");
    assert_int_equal(cJSON_GetArraySize(ev), 12);
    assert_string_equal(h_json_string(ev, "[11].timezone"), "America/Chicago");
    cJSON_Delete(ev);

    /* narrowing the dates so that weeks 5 and 6 fall outside */
    const char *narrow[] = {"cohort", "update", c, "--ends", "2027-02-28", NULL};
    cli_refused(&o, narrow, 1, "Week 5 on 2027-03-02 18:00 and Week 6 on 2027-03-09 18:00");
    cli_refused(&o, narrow, 1, "add --force to change the dates anyway");
    const char *narrow_forced[] = {"cohort", "update", c, "--ends", "2027-02-28", "--force", NULL};
    free(cli_ok(&o, narrow_forced));
    char *cpath = h_strf("/v1/cohorts/%s", c);
    cJSON *co = get_json(&o, cpath);
    free(cpath);
    assert_string_equal(h_json_string(co, "ends_on"), "2027-02-28");
    cJSON_Delete(co);
    free(c);
    org_free(&o);
}

/* Finding 5: planned -> active by dates; closed by hand or by closes_on. */
static void test_status_by_dates_and_hand(void **state)
{
    (void)state;
    struct org o;
    new_org(&o);
    char *future = cohort(&o, "2030-01-07", "2030-02-28");
    char *past = cohort(&o, "2026-01-05", "2026-02-27");
    char *fpath = h_strf("/v1/cohorts/%s", future), *ppath = h_strf("/v1/cohorts/%s", past);
    cJSON *j = get_json(&o, fpath);
    assert_string_equal(h_json_string(j, "status"), "planned");
    assert_string_equal(h_json_string(j, "status_source"), "dates");
    cJSON_Delete(j);
    /* its sessions all past: active, not planned */
    j = get_json(&o, ppath);
    assert_string_equal(h_json_string(j, "status"), "active");
    assert_string_equal(h_json_string(j, "status_source"), "dates");
    cJSON_Delete(j);
    /* the list filters by the status now */
    j = get_json(&o, "/v1/cohorts?status=planned");
    assert_int_equal(cJSON_GetArraySize(h_json_at(j, "items")), 1);
    assert_string_equal(h_json_string(j, "items[0].id"), future);
    cJSON_Delete(j);

    /* closed by hand: refuses writes, says so by name */
    const char *close[] = {"cohort", "close", past, NULL};
    char *out = cli_ok(&o, close);
    if (!strstr(out, "closed") || !strstr(out, "hand"))
        fail_msg("mcred cohort close: %s", out);
    free(out);
    const char *add[] = {"session", "add", past, "--at", "2026-02-03T17:00", NULL};
    cli_refused(&o, add, 1, "cohort Spring 2026-01-05 is closed");
    const char *rename[] = {"cohort", "update", past, "--name", "Renamed", NULL};
    cli_refused(&o, rename, 1, "is closed");
    /* reopened by giving it back to the dates */
    const char *autos[] = {"cohort", "update", past, "--status", "auto", NULL};
    free(cli_ok(&o, autos));
    j = get_json(&o, ppath);
    assert_string_equal(h_json_string(j, "status"), "active");
    assert_string_equal(h_json_string(j, "status_source"), "dates");
    cJSON_Delete(j);

    /* closes_on reached: closed by its dates, and cohort_lock refuses */
    const char *closes[] = {"cohort", "update", past, "--closes-on", "2026-03-15", NULL};
    free(cli_ok(&o, closes));
    j = get_json(&o, ppath);
    assert_string_equal(h_json_string(j, "status"), "closed");
    assert_string_equal(h_json_string(j, "status_source"), "dates");
    assert_string_equal(h_json_string(j, "closes_on"), "2026-03-15");
    cJSON_Delete(j);
    cli_refused(&o, add, 1, "is closed");
    /* a future closes_on does not close the planned cohort */
    const char *fcloses[] = {"cohort", "update", future, "--closes-on", "2030-03-31", NULL};
    free(cli_ok(&o, fcloses));
    j = get_json(&o, fpath);
    assert_string_equal(h_json_string(j, "status"), "planned");
    cJSON_Delete(j);
    /* clearing closes_on reopens it */
    const char *clear[] = {"cohort", "update", past, "--closes-on", "none", NULL};
    free(cli_ok(&o, clear));
    j = get_json(&o, ppath);
    assert_string_equal(h_json_string(j, "status"), "active");
    cJSON_Delete(j);
    /* by hand never backwards */
    const char *back[] = {"cohort", "update", past, "--status", "planned", NULL};
    cli_refused(&o, back, 1, "cannot become planned");
    const char *bad[] = {"cohort", "update", past, "--status", "paused", NULL};
    cli_refused(&o, bad, 2, "--status");

    free(fpath);
    free(ppath);
    free(future);
    free(past);
    org_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_and_correct),
        cmocka_unit_test(test_timezone_and_dates),
        cmocka_unit_test(test_status_by_dates_and_hand),
    };
    return h_run_tests(tests, setup, teardown);
}
