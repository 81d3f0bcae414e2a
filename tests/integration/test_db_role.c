/*
 * test_db_role.c — mcred-server refuses to serve through a database role
 * that row-level security does not bind (a superuser, or a role with
 * BYPASSRLS), saying why in one line and changing nothing; with the
 * development override it serves, logs loudly, and /readyz says so.
 *
 * The server's role owns nothing: migrations run as a separate owner
 * (MCRED_MIGRATE_DATABASE_URL), which grants the server's role only what
 * it needs.  That role cannot alter, drop or truncate a table, turn
 * row-level security off, rewrite a function, or write the migration
 * record; without the owner it serves only a current, granted schema; a
 * single-role installation still serves, with a warning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

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

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = calloc(1, 1 << 20);
    assert_non_null(text);
    size_t n = fread(text, 1, (1 << 20) - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* DATABASE_URL for the test database as `user`. */
static void url_as(const struct h_db *d, const char *user, char *out, size_t len)
{
    snprintf(out, len, "DATABASE_URL=host=%s port=%u dbname=%s user=%s", d->cluster->sockdir,
             d->cluster->port, d->name, user);
}

/* serve as `user`: refused at once, one line naming the problem and the way out. */
static void expect_refused(const char *user, const char *why)
{
    char url[PATH_MAX + 256];
    url_as(&db, user, url, sizeof url);
    const char *env[] = {url, "MCRED_LISTEN=127.0.0.1:0", "MCRED_ALLOW_PRIVILEGED_DB=", NULL};
    const char *argv[] = {"serve", NULL};
    char *out = NULL, *err = NULL;
    char *before = h_db_query_super(&db, "SELECT count(*) FROM mcred.schema_migrations");
    assert_int_equal(h_server_command_env(&server, argv, env, &out, &err), 1);
    assert_non_null(strstr(err, "mcred-server: DATABASE_URL connects as role"));
    assert_non_null(strstr(err, why));
    assert_non_null(strstr(err, "MCRED_ALLOW_PRIVILEGED_DB=1"));
    assert_non_null(strchr(err, '\n'));
    assert_string_equal(strchr(err, '\n') + 1, ""); /* one line */
    char *after = h_db_query_super(&db, "SELECT count(*) FROM mcred.schema_migrations");
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(out);
    free(err);
}

static void test_superuser_refused(void **state)
{
    (void)state;
    expect_refused(cluster.superuser, "is a superuser");
}

static void test_bypassrls_refused(void **state)
{
    (void)state;
    unsigned char raw[4];
    char hex[9], sql[256], role[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(role, sizeof role, "bypass_%s", hex);
    snprintf(sql, sizeof sql, "CREATE ROLE %s LOGIN NOSUPERUSER BYPASSRLS", role);
    h_db_exec_super(&db, sql);
    expect_refused(role, "has BYPASSRLS");
    snprintf(sql, sizeof sql, "DROP ROLE %s", role);
    h_db_exec_super(&db, sql);
}

/*
 * A server on a new database, connected as `user` with `extra` in its environment: it serves,
 * /readyz says 200 with "database_role": kind and a warning holding `warning`, and its log
 * holds `logged`.
 */
static void expect_warned(const char *user, const char *extra, const char *kind,
                          const char *warning, const char *logged)
{
    struct h_db other;
    struct h_server warned;
    char url[PATH_MAX + 256];
    h_db_create(&cluster, &other);
    url_as(&other, user, url, sizeof url);
    const char *env[] = {url, extra, NULL};
    h_server_start(&other, env, &warned);
    struct h_response r;
    h_http(&warned, "GET", "/readyz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(h_json_string(r.json, "database_role"), kind);
    assert_non_null(strstr(h_json_string(r.json, "warning"), warning));
    h_response_free(&r);
    char *log = slurp(warned.log_path);
    assert_non_null(strstr(log, logged));
    free(log);
    assert_int_equal(h_server_stop(&warned), 0);
}

/* The override serves, warns in the log, and /readyz reports the unsafe role. */
static void test_override_reported(void **state)
{
    (void)state;
    expect_warned(cluster.superuser, "MCRED_ALLOW_PRIVILEGED_DB=1", "unsafe", "is a superuser",
                  "DATABASE UNSAFE");
    /* the ordinary server's role is safe: /readyz says nothing of it */
    struct h_response r;
    h_http(&server, "GET", "/readyz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_null(h_json_at(r.json, "database_role"));
    h_response_free(&r);
}

/* What the server's role owns in its database, as the superuser sees it: "" when nothing. */
static void test_server_role_owns_nothing(void **state)
{
    (void)state;
    const char *role[] = {H_APP_ROLE};
    char *owned = h_db_query_super_params(
        &db,
        "WITH me AS (SELECT oid FROM pg_roles WHERE pg_has_role($1, oid, 'MEMBER')),"
        /* a connection's own temporary tables (and their types) are its, and go with it */
        " kept AS (SELECT oid FROM pg_namespace WHERE nspname !~ '^pg_(toast_)?temp_')"
        " SELECT string_agg(what, ', ') FROM ("
        "  SELECT 'database ' || datname AS what FROM pg_database"
        "   WHERE datname = current_database() AND datdba IN (SELECT oid FROM me)"
        "  UNION ALL SELECT 'schema ' || nspname FROM pg_namespace"
        "   WHERE nspowner IN (SELECT oid FROM me)"
        "  UNION ALL SELECT 'relation ' || relname FROM pg_class"
        "   WHERE relowner IN (SELECT oid FROM me) AND relnamespace IN (SELECT oid FROM kept)"
        "  UNION ALL SELECT 'function ' || proname FROM pg_proc"
        "   WHERE proowner IN (SELECT oid FROM me) AND pronamespace IN (SELECT oid FROM kept)"
        "  UNION ALL SELECT 'type ' || typname FROM pg_type"
        "   WHERE typowner IN (SELECT oid FROM me) AND typnamespace IN (SELECT oid FROM kept)) o",
        1, role);
    if (owned)
        fail_msg("the server's role owns %s", owned);
    /* and the owner does own the schema and its tables */
    const char *owner[] = {H_OWNER_ROLE};
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM pg_class c"
                                          " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                          " WHERE n.nspname = 'mcred' AND c.relkind = 'r'"
                                          " AND pg_get_userbyid(c.relowner) <> '" H_OWNER_ROLE "'"),
                     0);
    char *schema_owner = h_db_query_super_params(
        &db, "SELECT pg_get_userbyid(nspowner) = $1 FROM pg_namespace WHERE nspname = 'mcred'", 1,
        owner);
    assert_string_equal(schema_owner, "t");
    free(schema_owner);
}

/* One statement as the server's role: its SQLSTATE ("" on success). */
static void as_server(PGconn *pg, const char *sql, const char *want_state)
{
    PGresult *res = PQexec(pg, sql);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (strcmp(want_state, ok ? "" : state ? state : "?") != 0)
        fail_msg("%s: wanted %s, got %s (%s)", sql, *want_state ? want_state : "success",
                 ok      ? "success"
                 : state ? state
                         : "?",
                 PQresultErrorMessage(res));
    PQclear(res);
}

/* What an owner could do and the server's role cannot: each refused for want of privilege. */
static void test_server_role_cannot_alter(void **state)
{
    (void)state;
    char *before = h_db_query_super(&db, "SELECT count(*) FROM mcred.schema_migrations");
    PGconn *pg = PQconnectdb(db.conninfo);
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    static const char *const refused[] = {
        "ALTER TABLE mcred.people ADD COLUMN stolen text",
        "ALTER TABLE mcred.people DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE mcred.scores NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY tenant ON mcred.people",
        "DROP TABLE mcred.scores",
        "TRUNCATE mcred.events",
        "TRUNCATE mcred.audit",
        "DELETE FROM mcred.audit",
        "UPDATE mcred.audit SET action = action",
        "DELETE FROM mcred.schema_migrations",
        "INSERT INTO mcred.schema_migrations (version, name) VALUES (9999, 'x')",
        "CREATE TABLE mcred.stolen (x int)",
        "CREATE OR REPLACE FUNCTION mcred.current_org() RETURNS uuid LANGUAGE sql"
        " AS 'SELECT NULL::uuid'",
        "ALTER FUNCTION mcred.current_org() OWNER TO " H_APP_ROLE,
        "DROP SCHEMA mcred CASCADE",
        "SELECT mcred.grant_server_role('" H_APP_ROLE "')",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        as_server(pg, refused[i], "42501");
    char rename[128];
    snprintf(rename, sizeof rename, "ALTER DATABASE %s RENAME TO stolen", db.name);
    as_server(pg, rename, "42501");
    /* what it needs it has: the schema's version, and fresh statistics after an import */
    as_server(pg, "SELECT max(version) FROM mcred.schema_migrations", "");
    as_server(pg, "SELECT mcred.analyze_people()", "");
    PQfinish(pg);
    char *after = h_db_query_super(&db, "SELECT count(*) FROM mcred.schema_migrations");
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* `serve` with this environment must exit 1 with one line holding `words`. */
static void expect_serve_refused(const struct h_db *d, const char *const *env, const char *words)
{
    struct h_server carrier = {.db = d};
    snprintf(carrier.master_key, sizeof carrier.master_key, "%s", server.master_key);
    const char *argv[] = {"serve", NULL};
    char *out = NULL, *err = NULL;
    assert_int_equal(h_server_command_env(&carrier, argv, env, &out, &err), 1);
    if (!strstr(err, words))
        fail_msg("wanted \"%s\" in: %s", words, err);
    assert_non_null(strchr(err, '\n'));
    assert_string_equal(strchr(err, '\n') + 1, ""); /* one line */
    free(out);
    free(err);
}

/*
 * Without the owner, the server's role serves only a schema that is current and granted, and
 * says what to run otherwise; the owner's `migrate` grants it, and from then on it serves.
 */
static void test_server_role_needs_the_owner(void **state)
{
    (void)state;
    struct h_db fresh;
    h_db_create(&cluster, &fresh);
    const char *no_owner[] = {"MCRED_MIGRATE_DATABASE_URL=", NULL};
    /* nothing migrated: the server's role may not create the schema */
    expect_serve_refused(&fresh, no_owner, "is at migration 0 of ");
    expect_serve_refused(&fresh, no_owner, "MCRED_MIGRATE_DATABASE_URL");
    assert_int_equal(h_db_long_super(&fresh, "SELECT count(*) FROM pg_namespace"
                                             " WHERE nspname = 'mcred'"),
                     0);

    /* the owner migrated as if alone (DATABASE_URL its own): nothing was granted */
    char owner_url[PATH_MAX + 256];
    snprintf(owner_url, sizeof owner_url, "DATABASE_URL=%s", fresh.owner_conninfo);
    const char *single[] = {owner_url, "MCRED_MIGRATE_DATABASE_URL=", NULL};
    struct h_server carrier = {.db = &fresh};
    snprintf(carrier.master_key, sizeof carrier.master_key, "%s", server.master_key);
    const char *migrate[] = {"migrate", NULL};
    char *out = NULL, *err = NULL;
    assert_int_equal(h_server_command_env(&carrier, migrate, single, &out, &err), 0);
    free(out);
    free(err);
    expect_serve_refused(&fresh, no_owner, "has not been granted schema mcred");

    /* migrate with both: the owner grants the server's role, which then serves alone */
    assert_int_equal(h_server_command_env(&carrier, migrate, NULL, &out, &err), 0);
    assert_non_null(strstr(out, "0 applied"));
    free(out);
    free(err);
    struct h_server alone;
    h_server_start(&fresh, no_owner, &alone);
    struct h_response r;
    h_http(&alone, "GET", "/readyz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_null(h_json_at(r.json, "database_role"));
    h_response_free(&r);
    assert_int_equal(h_server_stop(&alone), 0);

    /* a newer file than the schema: refused, and the words say what to run */
    h_db_exec_super(&fresh, "DELETE FROM mcred.schema_migrations WHERE version ="
                            " (SELECT max(version) FROM mcred.schema_migrations)");
    expect_serve_refused(&fresh, no_owner, "may not apply the rest");
}

/* A single-role installation (the role owns what it serves) serves, and warns. */
static void test_single_role_warns(void **state)
{
    (void)state;
    expect_warned(H_OWNER_ROLE, "MCRED_MIGRATE_DATABASE_URL=", "owner",
                  "role \"" H_OWNER_ROLE "\" owns the database",
                  "owns what it serves: it could alter or drop tables and turn row-level "
                  "security off\",\"reason\":\"role \\\"" H_OWNER_ROLE "\\\" owns the database");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_superuser_refused),
        cmocka_unit_test(test_bypassrls_refused),
        cmocka_unit_test(test_override_reported),
        cmocka_unit_test(test_server_role_owns_nothing),
        cmocka_unit_test(test_server_role_cannot_alter),
        cmocka_unit_test(test_server_role_needs_the_owner),
        cmocka_unit_test(test_single_role_warns),
    };
    return h_run_tests(tests, setup, teardown);
}
