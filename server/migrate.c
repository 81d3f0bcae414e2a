/*
 * migrate.c — see migrate.h.
 *
 * Migration files are trusted SQL shipped with the server, run as they
 * are with PQexec (several statements each); no client value ever
 * reaches them.  Their bookkeeping goes through parameters like all
 * other SQL.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_role.h"
#include "log.h"
#include "mcred/buf.h"
#include "mcred/version.h"
#include "migrate.h"

#include "mcred/banned.h"

/* An arbitrary constant naming mcred's migration lock among advisory locks. */
#define MIGRATE_LOCK_KEY "7263726564" /* "mcred" */
#define MIGRATE_MAX_FILE (4 * 1024 * 1024)

struct migration {
    long version;
    char name[NAME_MAX + 1];
};

enum mc_err migrate_dir(const struct server_config *cfg, char out[PATH_MAX], struct mc_error *err)
{
    if (cfg->migrations_dir) {
        snprintf(out, PATH_MAX, "%s", cfg->migrations_dir);
        return MC_OK;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return mc_error_set(err, MC_ERR_INTERNAL, "MCRED_MIGRATIONS",
                            "could not find the server's own path; set MCRED_MIGRATIONS");
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    int len = snprintf(out, PATH_MAX, "%s/../%s", exe, MC_MIGRATIONS_SUBDIR);
    if (len < 0 || len >= PATH_MAX)
        return mc_error_set(err, MC_ERR_INTERNAL, "MCRED_MIGRATIONS", "migrations path too long");
    return MC_OK;
}

/* "0001_core.sql" → 1; -1 for names that are not migrations. */
static long migration_version(const char *name)
{
    size_t len = strlen(name);
    if (len < 10 || strspn(name, "0123456789") != 4 || name[4] != '_' ||
        strcmp(name + len - 4, ".sql") != 0)
        return -1;
    for (size_t i = 5; i < len - 4; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_", name[i]))
            return -1;
    return strtol(name, NULL, 10);
}

static int migration_cmp(const void *a, const void *b)
{
    const struct migration *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

/* The migrations in dir, sorted; two files with one version are an error. */
static enum mc_err migrate_list(const char *dir, struct migration **out, size_t *out_n,
                                struct mc_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return mc_error_set(err, MC_ERR_INTERNAL, "MCRED_MIGRATIONS",
                            "could not open migrations directory %s: %s", dir, strerror(errno));
    struct migration *list = NULL;
    size_t n = 0;
    enum mc_err rc = MC_OK;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        long v = migration_version(e->d_name);
        if (v < 0)
            continue;
        if (n >= MC_MAX_MIGRATIONS) {
            rc = mc_error_set(err, MC_ERR_INTERNAL, NULL, "too many migrations in %s", dir);
            break;
        }
        struct migration *grown = realloc(list, (n + 1) * sizeof *list);
        if (!grown) {
            rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
            break;
        }
        list = grown;
        list[n].version = v;
        snprintf(list[n].name, sizeof list[n].name, "%s", e->d_name);
        n++;
    }
    closedir(d);
    if (rc == MC_OK && n > 0) {
        qsort(list, n, sizeof *list, migration_cmp);
        for (size_t i = 1; i < n && rc == MC_OK; i++)
            if (list[i].version == list[i - 1].version)
                rc =
                    mc_error_set(err, MC_ERR_INTERNAL, NULL, "migrations %s and %s share a version",
                                 list[i - 1].name, list[i].name);
    }
    if (rc != MC_OK) {
        free(list);
        return rc;
    }
    *out = list;
    *out_n = n;
    return MC_OK;
}

enum mc_err migrate_latest(const char *dir, long *out_version, struct mc_error *err)
{
    struct migration *list = NULL;
    size_t n = 0;
    enum mc_err rc = migrate_list(dir, &list, &n, err);
    if (rc != MC_OK)
        return rc;
    *out_version = n ? list[n - 1].version : 0;
    free(list);
    return MC_OK;
}

static enum mc_err read_file(const char *path, struct mc_buf *out, struct mc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not open %s: %s", path,
                            strerror(errno));
    char chunk[8192];
    enum mc_err rc = MC_OK;
    for (;;) {
        size_t got = fread(chunk, 1, sizeof chunk, f);
        if (got == 0)
            break;
        rc = mc_buf_append(out, chunk, got);
        if (rc != MC_OK)
            break;
    }
    if (rc == MC_OK && ferror(f))
        rc = MC_ERR_INTERNAL;
    fclose(f);
    if (rc != MC_OK)
        return mc_error_set(err, rc, NULL, "could not read %s", path);
    return MC_OK;
}

DB_STMT(db_migrate_exists, "SELECT pg_catalog.to_regclass('mcred.schema_migrations') IS NOT NULL");
DB_STMT(db_migrate_current, "SELECT coalesce(max(version), 0) FROM mcred.schema_migrations");
DB_STMT(db_migrate_missing,
        "SELECT coalesce(pg_catalog.string_agg(v::text, ',' ORDER BY v), '')"
        " FROM pg_catalog.unnest($1::integer[]) v"
        " WHERE v < (SELECT coalesce(max(version), 0) FROM mcred.schema_migrations)"
        " AND NOT EXISTS (SELECT FROM mcred.schema_migrations m WHERE m.version = v)");
DB_STMT(db_migrate_record,
        "INSERT INTO mcred.schema_migrations (version, name) VALUES ($1::integer, $2)");

enum mc_err migrate_current(struct db_conn *c, long *out_version, struct mc_error *err)
{
    PGresult *res = NULL;
    enum mc_err rc = db_exec(c, &db_migrate_exists, 0, NULL, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    bool exists = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!exists) {
        *out_version = 0;
        return MC_OK;
    }
    rc = db_exec(c, &db_migrate_current, 0, NULL, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        return rc;
    *out_version = strtol(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return MC_OK;
}

static enum mc_err migrate_one(struct db_conn *c, const char *dir, const struct migration *m,
                               struct mc_error *err)
{
    char path[PATH_MAX];
    char version[24];
    struct mc_buf sql;
    mc_buf_init(&sql, MIGRATE_MAX_FILE);
    snprintf(path, sizeof path, "%s/%s", dir, m->name);
    snprintf(version, sizeof version, "%ld", m->version);
    enum mc_err rc = read_file(path, &sql, err);
    if (rc == MC_OK)
        rc = db_exec_simple(c, "BEGIN", err);
    if (rc == MC_OK) {
        rc = db_exec_simple(c, sql.data, err);
        if (rc != MC_OK) {
            char why[MC_MAX_ERR_MESSAGE];
            /* err may be NULL: then the code's own words */
            snprintf(why, sizeof why, "%s",
                     !err             ? mc_strerror(rc)
                     : err->detail[0] ? err->detail
                                      : mc_error_message(err));
            rc = mc_error_set(err, rc, NULL, "migration %s failed: %s", m->name, why);
        }
        const char *params[] = {version, m->name};
        if (rc == MC_OK)
            rc = db_exec(c, &db_migrate_record, 2, params, PGRES_COMMAND_OK, NULL, err);
        if (rc == MC_OK)
            rc = db_exec_simple(c, "COMMIT", err);
        else
            db_rollback(c);
    }
    mc_buf_release(&sql);
    return rc;
}

/*
 * A file older than the newest applied one, yet never applied (two branches
 * each added a migration, and the later number ran first), would be skipped
 * for good: refuse, naming it, rather than serve a schema without it.
 */
static enum mc_err refuse_skipped(struct db_conn *c, const struct migration *list, size_t n,
                                  struct mc_error *err)
{
    struct mc_buf versions;
    mc_buf_init(&versions, 16 * MC_MAX_MIGRATIONS + 2);
    enum mc_err rc = mc_buf_appendc(&versions, '{');
    for (size_t i = 0; rc == MC_OK && i < n; i++)
        rc = mc_buf_appendf(&versions, "%s%ld", i ? "," : "", list[i].version);
    if (rc == MC_OK)
        rc = mc_buf_appendc(&versions, '}');
    if (rc != MC_OK) {
        mc_buf_release(&versions);
        return mc_error_set(err, rc, NULL, NULL);
    }
    const char *params[] = {versions.data};
    PGresult *res = NULL;
    rc = db_exec(c, &db_migrate_missing, 1, params, PGRES_TUPLES_OK, &res, err);
    mc_buf_release(&versions);
    if (rc != MC_OK)
        return rc;
    const char *missing = PQgetvalue(res, 0, 0);
    if (*missing)
        rc = mc_error_set(err, MC_ERR_INTERNAL, NULL,
                          "migrations never applied although later ones were: %s; apply each "
                          "by hand (psql -f, as the schema's owner) and record it in "
                          "mcred.schema_migrations, or restore the database",
                          missing);
    PQclear(res);
    return rc;
}

static enum mc_err migrate_pending(struct db_conn *c, const char *dir, unsigned *out_applied,
                                   long *out_version, struct mc_error *err)
{
    struct migration *list = NULL;
    size_t n = 0;
    long current = 0;
    enum mc_err rc = migrate_list(dir, &list, &n, err);
    if (rc != MC_OK)
        return rc;
    rc = migrate_current(c, &current, err);
    if (rc == MC_OK)
        rc = refuse_skipped(c, list, n, err);
    *out_applied = 0;
    for (size_t i = 0; rc == MC_OK && i < n; i++) {
        if (list[i].version <= current)
            continue;
        rc = migrate_one(c, dir, &list[i], err);
        if (rc == MC_OK) {
            (*out_applied)++;
            current = list[i].version;
            log_message("info", "migration applied", "name", list[i].name, NULL);
        }
    }
    free(list);
    *out_version = current;
    return rc;
}

enum mc_err migrate_apply(struct db_conn *c, const char *dir, const char *grant_to,
                          unsigned *out_applied, long *out_version, struct mc_error *err)
{
    enum mc_err rc =
        db_exec_simple(c, "SELECT pg_catalog.pg_advisory_lock(" MIGRATE_LOCK_KEY ")", err);
    if (rc != MC_OK)
        return rc;
    rc = db_exec_simple(c,
                        "CREATE SCHEMA IF NOT EXISTS mcred;"
                        "CREATE TABLE IF NOT EXISTS mcred.schema_migrations ("
                        " version integer PRIMARY KEY,"
                        " name text NOT NULL,"
                        " applied_at timestamptz NOT NULL DEFAULT pg_catalog.now())",
                        err);
    if (rc == MC_OK)
        rc = migrate_pending(c, dir, out_applied, out_version, err);
    /* under the lock too: concurrent GRANTs on one object fail ("tuple concurrently updated") */
    if (rc == MC_OK && grant_to)
        rc = db_role_grant_server(c, grant_to, err);
    /* If unlocking fails the connection is gone, and the lock with its session. */
    struct mc_error ignored;
    if (db_exec_simple(c, "SELECT pg_catalog.pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", &ignored) !=
        MC_OK)
        c->broken = true;
    return rc;
}
