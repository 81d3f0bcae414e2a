/*
 * test_journal.c — against the real database, with the server's own
 * database code: a write, its audit row and its outbox event commit
 * together or not at all; and row-level security hides every tenant row
 * from a connection that has not set its organisation, and one
 * organisation's rows from another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bootstrap.h"
#include "db.h"
#include "harness.h"
#include "journal.h"
#include "migrate.h"

static struct h_cluster cluster;
static struct h_db db;
static struct db_conn *conn;
static char org_a[64], org_b[64];

static void org_id_of(const char *slug, char out[64])
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id FROM mcred.orgs WHERE slug = '%s'", slug);
    char *id = h_db_query_super(&db, sql);
    snprintf(out, 64, "%s", id);
    free(id);
}

static int setup(void **state)
{
    struct mc_error err;
    unsigned applied = 0;
    long version = 0;
    unsigned char key[MC_TOKEN_KEY_BYTES];
    char token[MC_TOKEN_TEXT_LEN + 1];
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    struct db_conn *owner = NULL;
    if (db_connect(db.owner_conninfo, &owner, &err) != MC_OK ||
        migrate_apply(owner, MCRED_MIGRATIONS_DIR, H_APP_ROLE, &applied, &version, &err) != MC_OK)
        h_fail("%s %s", mc_error_message(&err), err.detail);
    db_conn_free(owner);
    if (db_connect(db.conninfo, &conn, &err) != MC_OK)
        h_fail("%s %s", mc_error_message(&err), err.detail);
    randombytes_buf(key, sizeof key);
    struct bootstrap_request a = {.slug = "org-a", .name = "A", .admin_email = "a@a.example"};
    struct bootstrap_request b = {.slug = "org-b", .name = "B", .admin_email = "b@b.example"};
    if (bootstrap_org(conn, key, &a, token, &err) != MC_OK ||
        bootstrap_org(conn, key, &b, token, &err) != MC_OK)
        h_fail("bootstrap: %s %s", mc_error_message(&err), err.detail);
    org_id_of("org-a", org_a);
    org_id_of("org-b", org_b);
    return 0;
}

static int teardown(void **state)
{
    db_conn_free(conn);
    h_cluster_release(&cluster);
    return 0;
}

struct write_case {
    const char *email;
    const char *event_type;
    bool fail_after; /* return an error after everything was written */
};

DB_STMT(test_insert_person,
        "INSERT INTO mcred.people (org_id, email, name) VALUES ($1::uuid, $2, 'T') RETURNING id");

/* A write as a handler does it: the change, then its journal. */
static enum mc_err write_person(struct db_conn *c, void *arg, struct mc_error *err)
{
    const struct write_case *wc = arg;
    const char *params[] = {org_a, wc->email};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(c, &test_insert_person, 2, params, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    cJSON *after = cJSON_CreateObject();
    cJSON_AddStringToObject(after, "email", wc->email);
    struct actor actor = {.label = "test", .request_id = "req-1"};
    char event_id[MC_EVENT_ID_MAX] = "";
    rc = journal_write(c, org_a, &actor, "person.create", "person", PQgetvalue(res, 0, 0), NULL,
                       after, wc->event_type, after, event_id, err);
    cJSON_Delete(after);
    PQclear(res);
    if (rc == MC_OK && wc->event_type)
        assert_memory_equal(event_id, "msg_", 4);
    if (rc == MC_OK && wc->fail_after)
        return mc_error_set(err, MC_ERR_CONFLICT, NULL, "changed my mind");
    return rc;
}

static long count_super(const char *sql_fmt, ...) __attribute__((format(printf, 1, 2)));
static long count_super(const char *sql_fmt, ...)
{
    char sql[512];
    va_list ap;
    va_start(ap, sql_fmt);
    vsnprintf(sql, sizeof sql, sql_fmt, ap);
    va_end(ap);
    char *v = h_db_query_super(&db, sql);
    long n = strtol(v, NULL, 10);
    free(v);
    return n;
}

static void expect_written(const char *email, long people, long audit, long events)
{
    assert_int_equal(count_super("SELECT count(*) FROM mcred.people WHERE email = '%s'", email),
                     people);
    assert_int_equal(
        count_super("SELECT count(*) FROM mcred.audit WHERE after->>'email' = '%s'", email), audit);
    assert_int_equal(
        count_super("SELECT count(*) FROM mcred.events WHERE payload->>'email' = '%s'", email),
        events);
}

static void test_write_commits_with_audit_and_event(void **state)
{
    struct mc_error err;
    struct write_case wc = {.email = "one@a.example", .event_type = "member.enrolled"};
    assert_int_equal(db_transaction(conn, org_a, false, write_person, &wc, &err), MC_OK);
    expect_written("one@a.example", 1, 1, 1);
    assert_int_equal(
        count_super("SELECT count(*) FROM mcred.audit WHERE request_id = '%s'", "req-1"), 1);
}

static void test_failed_handler_writes_nothing(void **state)
{
    struct mc_error err;
    struct write_case wc = {
        .email = "two@a.example", .event_type = "member.enrolled", .fail_after = true};
    assert_int_equal(db_transaction(conn, org_a, false, write_person, &wc, &err), MC_ERR_CONFLICT);
    expect_written("two@a.example", 0, 0, 0);
}

static void test_failed_event_undoes_the_change(void **state)
{
    struct mc_error err;
    /* an event type the outbox refuses: the person and audit row must go too */
    struct write_case wc = {.email = "three@a.example", .event_type = "Not A Type"};
    assert_int_not_equal(db_transaction(conn, org_a, false, write_person, &wc, &err), MC_OK);
    expect_written("three@a.example", 0, 0, 0);
}

DB_STMT(test_count_people, "SELECT count(*) FROM mcred.people");
DB_STMT(test_count_tokens, "SELECT count(*) FROM mcred.tokens");
DB_STMT(test_count_audit, "SELECT count(*) FROM mcred.audit");
DB_STMT(test_count_orgs, "SELECT count(*) FROM mcred.orgs");
DB_STMT(test_count_events, "SELECT count(*) FROM mcred.events");
DB_STMT(test_count_person_b, "SELECT count(*) FROM mcred.people WHERE org_id = $1::uuid");

static long count_app(struct db_stmt *stmt, const char *param)
{
    PGresult *res = NULL;
    struct mc_error err;
    const char *params[] = {param};
    assert_int_equal(db_exec(conn, stmt, param ? 1 : 0, params, PGRES_TUPLES_OK, &res, &err),
                     MC_OK);
    long n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return n;
}

struct rls_probe {
    long people, tokens, audit, orgs, events, people_b;
};

static enum mc_err probe(struct db_conn *c, void *arg, struct mc_error *err)
{
    struct rls_probe *p = arg;
    p->people = count_app(&test_count_people, NULL);
    p->tokens = count_app(&test_count_tokens, NULL);
    p->audit = count_app(&test_count_audit, NULL);
    p->orgs = count_app(&test_count_orgs, NULL);
    p->events = count_app(&test_count_events, NULL);
    p->people_b = count_app(&test_count_person_b, org_b);
    return MC_OK;
}

static void test_row_level_security(void **state)
{
    struct mc_error err;
    struct rls_probe none = {0}, a = {0};
    /* the rows exist ... */
    assert_true(count_super("SELECT count(*) FROM mcred.people%s", "") >= 2);
    /* ... but a connection without an organisation sees none of them */
    assert_int_equal(db_transaction(conn, NULL, false, probe, &none, &err), MC_OK);
    assert_int_equal(none.people, 0);
    assert_int_equal(none.tokens, 0);
    assert_int_equal(none.audit, 0);
    assert_int_equal(none.orgs, 0);
    assert_int_equal(none.events, 0);
    /* organisation A sees its own rows and nothing of B's, even when asking for them */
    assert_int_equal(db_transaction(conn, org_a, false, probe, &a, &err), MC_OK);
    assert_int_equal(a.orgs, 1);
    assert_true(a.people >= 1);
    assert_true(a.tokens >= 1);
    assert_true(a.audit >= 1);
    assert_int_equal(a.people_b, 0);
}

DB_STMT(test_insert_other_org,
        "INSERT INTO mcred.people (org_id, email, name) VALUES ($1::uuid, 'x@b.example', 'X')");

static enum mc_err write_into_b(struct db_conn *c, void *arg, struct mc_error *err)
{
    const char *params[] = {org_b};
    return db_exec(c, &test_insert_other_org, 1, params, PGRES_COMMAND_OK, NULL, err);
}

static void test_cannot_write_into_another_org(void **state)
{
    struct mc_error err;
    assert_int_not_equal(db_transaction(conn, org_a, false, write_into_b, NULL, &err), MC_OK);
    assert_int_equal(
        count_super("SELECT count(*) FROM mcred.people WHERE email = '%s'", "x@b.example"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_commits_with_audit_and_event),
        cmocka_unit_test(test_failed_handler_writes_nothing),
        cmocka_unit_test(test_failed_event_undoes_the_change),
        cmocka_unit_test(test_row_level_security),
        cmocka_unit_test(test_cannot_write_into_another_org),
    };
    return h_run_tests(tests, setup, teardown);
}
