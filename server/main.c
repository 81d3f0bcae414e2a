/*
 * main.c — mcred-server's subcommands: serve, migrate, bootstrap, keygen.
 *
 * Each subcommand is one function in the commands[] table; settings come
 * from the environment (config.c), arguments only name what to do.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "bootstrap.h"
#include "config.h"
#include "db.h"
#include "dispatcher.h"
#include "fault_inject.h"
#include "http.h"
#include "log.h"
#include "mcred/limits.h"
#include "mcred/version.h"
#include "metrics.h"
#include "db_role.h"
#include "migrate.h"
#include "routes.h"
#include "server.h"
#include "signing_keys.h"
#include "web.h"

#include "mcred/banned.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv, struct server_config *cfg);
    const char *summary;
};

static int cmd_serve(int argc, char **argv, struct server_config *cfg);
static int cmd_migrate(int argc, char **argv, struct server_config *cfg);
static int cmd_bootstrap(int argc, char **argv, struct server_config *cfg);
static int cmd_keygen(int argc, char **argv, struct server_config *cfg);

static const struct command commands[] = {
    {"serve", cmd_serve,
     "apply pending migrations when it may (see migrate), then answer HTTP until SIGTERM/SIGINT"},
    {"migrate", cmd_migrate,
     "apply pending migrations as the schema's owner (MCRED_MIGRATE_DATABASE_URL; else "
     "DATABASE_URL, if its role owns the schema), grant DATABASE_URL's role what the server "
     "needs, and exit (safe to run concurrently)"},
    {"bootstrap", cmd_bootstrap,
     "--org SLUG --name NAME --admin-email EMAIL [--admin-name NAME]: create an organisation "
     "and its first admin; prints the admin's token alone on the last line"},
    {"keygen", cmd_keygen,
     "print a new random MCRED_MASTER_KEY; with --org SLUG, make or rotate the organisation's "
     "signing keys"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: mcred-server <command> [options]\n\ncommands:\n");
    for (const struct command *c = commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "  %-10s %s\n\nenvironment:\n", "version", "print the version");
    config_help(out);
}

static int fail(const struct mc_error *err)
{
    if (err->detail[0])
        fprintf(stderr, "mcred-server: %s: %s\n", mc_error_message(err), err->detail);
    else if (err->field[0] && strncmp(err->field, "MCRED_", 6) != 0 &&
             strcmp(err->field, "DATABASE_URL") != 0)
        fprintf(stderr, "mcred-server: %s (--%s)\n", mc_error_message(err), err->field);
    else
        fprintf(stderr, "mcred-server: %s\n", mc_error_message(err));
    return 1;
}

static const char *env_lookup(const char *name)
{
    return getenv(name);
}

/*
 * Refuse to serve through a role that row-level security does not bind,
 * unless the operator said this is a throwaway development database; then
 * say so loudly, here and on /readyz.
 */
static enum mc_err check_serving_role(const struct db_role *role, const struct server_config *cfg,
                                      struct mc_error *err)
{
    if (!role->privileged)
        return MC_OK;
    if (!cfg->allow_privileged_db)
        return mc_error_set(err, MC_ERR_INVALID, "DATABASE_URL",
                            "DATABASE_URL connects as %s, so row-level security would not keep "
                            "organisations apart; connect as a role without SUPERUSER and "
                            "BYPASSRLS (README: Configuration), or set "
                            "MCRED_ALLOW_PRIVILEGED_DB=1 for a throwaway development database",
                            role->privileged_why);
    log_message("warn", "DATABASE UNSAFE: row-level security keeps no organisation apart", "reason",
                role->privileged_why, "override", "MCRED_ALLOW_PRIVILEGED_DB=1", NULL);
    return MC_OK;
}

/* A single-role installation still serves, but is told what its role could do. */
static void warn_owning_role(const struct db_role *role)
{
    log_message("warn",
                "the server's database role owns what it serves: it could alter or drop tables "
                "and turn row-level security off",
                "reason", role->owns_why, "advice",
                "migrate as a separate owner role with MCRED_MIGRATE_DATABASE_URL "
                "(docs/operations.md, The database roles)",
                NULL);
}

/* Migrate as the schema's owner, then grant the server's role (unless it is the owner). */
static enum mc_err migrate_as_owner(const struct server_config *cfg, const char *dir,
                                    const struct db_role *server_role, unsigned *applied,
                                    long *version, struct mc_error *err)
{
    struct db_conn *owner = NULL;
    struct db_role owner_role;
    enum mc_err rc = db_connect(cfg->migrate_database_url, &owner, err);
    if (rc != MC_OK) {
        if (err)
            snprintf(err->message, sizeof err->message,
                     "could not connect as the schema's owner (MCRED_MIGRATE_DATABASE_URL)");
        return rc;
    }
    rc = db_role_describe(owner, &owner_role, err);
    if (rc == MC_OK) {
        bool same = strcmp(owner_role.name, server_role->name) == 0;
        rc = migrate_apply(owner, dir, same ? NULL : server_role->name, applied, version, err);
    }
    db_conn_free(owner);
    return rc;
}

/* A role that owns nothing may not migrate: it serves only a schema that is current. */
static enum mc_err check_schema_current(struct db_conn *c, const char *dir,
                                        const struct db_role *role, long *version,
                                        struct mc_error *err)
{
    long latest = 0;
    if (role->schema_exists && !role->schema_granted)
        return mc_error_set(err, MC_ERR_INVALID, "MCRED_MIGRATE_DATABASE_URL",
                            "DATABASE_URL's role \"%s\" has not been granted schema mcred; run "
                            "mcred-server migrate with MCRED_MIGRATE_DATABASE_URL (the schema's "
                            "owner) and DATABASE_URL set, which grants it",
                            role->name);
    enum mc_err rc = migrate_latest(dir, &latest, err);
    if (rc == MC_OK)
        rc = migrate_current(c, version, err);
    if (rc == MC_OK && *version < latest)
        rc = mc_error_set(err, MC_ERR_INVALID, "MCRED_MIGRATE_DATABASE_URL",
                          "the database schema is at migration %ld of %ld, and DATABASE_URL's "
                          "role \"%s\" may not apply the rest (it owns nothing, as it should); "
                          "run mcred-server migrate with MCRED_MIGRATE_DATABASE_URL naming the "
                          "schema's owner role",
                          *version, latest, role->name);
    return rc;
}

/*
 * Bring the schema to the version of the migration files.  With
 * MCRED_MIGRATE_DATABASE_URL the owner migrates and grants DATABASE_URL's
 * role what it needs; without it, DATABASE_URL's role migrates only what
 * it owns or may create (a single-role installation), and otherwise checks
 * that nothing is pending.  When serving, an unfit role is refused before
 * anything changes.
 */
static enum mc_err prepare_schema(const struct server_config *cfg, bool serving, unsigned *applied,
                                  long *version, struct mc_error *err)
{
    char dir[PATH_MAX];
    struct db_conn *c = NULL;
    struct db_role role;
    *applied = 0;
    enum mc_err rc = migrate_dir(cfg, dir, err);
    if (rc == MC_OK)
        rc = db_connect(cfg->database_url, &c, err);
    if (rc == MC_OK)
        rc = db_role_describe(c, &role, err);
    if (rc == MC_OK && serving)
        rc = check_serving_role(&role, cfg, err);
    if (rc != MC_OK) {
        db_conn_free(c);
        return rc;
    }
    if (cfg->migrate_database_url) {
        rc = migrate_as_owner(cfg, dir, &role, applied, version, err);
    } else if (role.owns || role.privileged || (!role.schema_exists && role.can_create_schema)) {
        rc = migrate_apply(c, dir, NULL, applied, version, err);
    } else {
        rc = check_schema_current(c, dir, &role, version, err);
    }
    if (rc == MC_OK && serving && role.owns)
        warn_owning_role(&role);
    db_conn_free(c);
    return rc;
}

static int cmd_migrate(int argc, char **argv, struct server_config *cfg)
{
    struct mc_error err;
    unsigned applied = 0;
    long version = 0;
    mc_error_clear(&err);
    if (argc > 1) {
        fprintf(stderr, "mcred-server: migrate takes no arguments\n");
        return 2;
    }
    if (prepare_schema(cfg, false, &applied, &version, &err) != MC_OK)
        return fail(&err);
    printf("migrations: %u applied, schema at version %ld\n", applied, version);
    return 0;
}

static enum mc_err require_master_key(const struct server_config *cfg, unsigned char *token_key,
                                      struct mc_error *err)
{
    if (!cfg->has_master_key)
        return mc_error_set(err, MC_ERR_INVALID, "MCRED_MASTER_KEY",
                            "MCRED_MASTER_KEY is not set (make one with mcred-server keygen)");
    if (token_key_derive(cfg->master_key, token_key) != MC_OK)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not derive the token key");
    return MC_OK;
}

static int print_master_key(void)
{
    unsigned char key[MC_MASTER_KEY_BYTES];
    char hex[2 * MC_MASTER_KEY_BYTES + 1];
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    printf("%s\n", hex);
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    return 0;
}

DB_STMT(db_keygen_org, "SELECT o.id FROM mcred.orgs o WHERE o.slug = $1");
DB_STMT(db_keygen_public, "SELECT pg_catalog.set_config('mcred.public', $1, true)");

struct keygen_ctx {
    const unsigned char *master_key;
    const char *slug;
    cJSON *keys;
};

/* In one transaction: find the organisation (a public read), then rotate its keys as it. */
static enum mc_err keygen_tx(struct db_conn *c, void *arg, struct mc_error *err)
{
    struct keygen_ctx *k = arg;
    const char *on[] = {"on"}, *off[] = {""}, *slug[] = {k->slug};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(c, &db_keygen_public, 1, on, PGRES_TUPLES_OK, NULL, err);
    if (rc == MC_OK)
        rc = db_exec(c, &db_keygen_org, 1, slug, PGRES_TUPLES_OK, &res, err);
    if (rc == MC_OK && PQntuples(res) != 1)
        rc = mc_error_set(err, MC_ERR_NOT_FOUND, "org", "no organisation %s", k->slug);
    if (rc == MC_OK)
        rc = db_exec(c, &db_keygen_public, 1, off, PGRES_TUPLES_OK, NULL, err);
    if (rc == MC_OK)
        rc = db_set_org(c, PQgetvalue(res, 0, 0), err);
    PQclear(res);
    cJSON_Delete(k->keys);
    k->keys = NULL;
    if (rc == MC_OK)
        rc = signing_keys_rotate(c, k->master_key, "mcred-server keygen", &k->keys, err);
    return rc;
}

/* New signing keys for an organisation; the ones in force are retired, and stay published. */
static int rotate_org_keys(const char *slug, struct server_config *cfg)
{
    struct mc_error err;
    unsigned char token_key[MC_TOKEN_KEY_BYTES];
    struct db_conn *c = NULL;
    struct keygen_ctx k = {.master_key = cfg->master_key, .slug = slug};
    unsigned applied = 0;
    long version = 0;
    mc_error_clear(&err);
    enum mc_err rc = require_master_key(cfg, token_key, &err);
    sodium_memzero(token_key, sizeof token_key);
    if (rc == MC_OK)
        rc = prepare_schema(cfg, false, &applied, &version, &err);
    if (rc == MC_OK)
        rc = db_connect(cfg->database_url, &c, &err);
    if (rc == MC_OK)
        rc = db_transaction(c, NULL, false, keygen_tx, &k, &err);
    db_conn_free(c);
    if (rc != MC_OK) {
        cJSON_Delete(k.keys);
        return fail(&err);
    }
    const cJSON *key;
    printf("new signing keys of %s (the previous ones stay published, so what they signed still "
           "verifies):\n",
           slug);
    cJSON_ArrayForEach(key, k.keys)
    {
        const char *algorithm = cJSON_GetStringValue(cJSON_GetObjectItem(key, "algorithm"));
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(key, "key_id"));
        printf("  %-8s %s\n", algorithm ? algorithm : "?", id ? id : "?");
    }
    cJSON_Delete(k.keys);
    return 0;
}

static int cmd_keygen(int argc, char **argv, struct server_config *cfg)
{
    static const struct option opts[] = {
        {"org", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *slug = NULL;
    for (;;) {
        int ch = getopt_long(argc, argv, "", opts, NULL);
        if (ch == -1)
            break;
        switch (ch) {
        case 'o':
            slug = optarg;
            break;
        case 'h':
            printf("usage: mcred-server keygen             print a new random MCRED_MASTER_KEY\n"
                   "       mcred-server keygen --org SLUG  make (or rotate) the organisation's "
                   "signing keys:\n"
                   "                                       Ed25519 (eddsa-rdfc-2022 proofs) and "
                   "P-256 (VC-JWTs),\n"
                   "                                       sealed under MCRED_MASTER_KEY; needs "
                   "DATABASE_URL\n");
            return 0;
        default:
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "mcred-server: keygen takes no arguments but --org SLUG\n");
        return 2;
    }
    return slug ? rotate_org_keys(slug, cfg) : print_master_key();
}

static int cmd_bootstrap(int argc, char **argv, struct server_config *cfg)
{
    static const struct option opts[] = {
        {"org", required_argument, NULL, 'o'},
        {"name", required_argument, NULL, 'n'},
        {"admin-email", required_argument, NULL, 'e'},
        {"admin-name", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct bootstrap_request req = {0};
    for (;;) {
        int ch = getopt_long(argc, argv, "", opts, NULL);
        if (ch == -1)
            break;
        switch (ch) {
        case 'o':
            req.slug = optarg;
            break;
        case 'n':
            req.name = optarg;
            break;
        case 'e':
            req.admin_email = optarg;
            break;
        case 'a':
            req.admin_name = optarg;
            break;
        case 'h':
            printf("usage: mcred-server bootstrap --org SLUG --name NAME --admin-email EMAIL "
                   "[--admin-name NAME]\n");
            return 0;
        default:
            return 2;
        }
    }
    if (optind != argc || !req.slug || !req.name || !req.admin_email) {
        fprintf(stderr, "mcred-server: bootstrap needs --org, --name and --admin-email\n");
        return 2;
    }
    struct mc_error err;
    unsigned char token_key[MC_TOKEN_KEY_BYTES];
    char token[MC_TOKEN_TEXT_LEN + 1];
    struct db_conn *c = NULL;
    unsigned applied = 0;
    long version = 0;
    mc_error_clear(&err);
    enum mc_err rc = require_master_key(cfg, token_key, &err);
    if (rc == MC_OK)
        rc = prepare_schema(cfg, false, &applied, &version, &err);
    if (rc == MC_OK)
        rc = db_connect(cfg->database_url, &c, &err);
    if (rc == MC_OK)
        rc = bootstrap_org(c, token_key, &req, token, &err);
    db_conn_free(c);
    sodium_memzero(token_key, sizeof token_key);
    if (rc != MC_OK)
        return fail(&err);
    printf("organisation %s (%s) created with admin %s\n", req.slug, req.name, req.admin_email);
    printf("the admin's bearer token follows; it is shown only this once:\n%s\n", token);
    sodium_memzero(token, sizeof token);
    return 0;
}

/* Block the stop signals in every thread, so that only sigwait() sees them. */
static void block_stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int cmd_serve(int argc, char **argv, struct server_config *cfg)
{
    struct server s = {.cfg = *cfg, .routes = mcred_routes};
    struct http_daemon *daemon = NULL;
    struct dispatcher *dispatcher = NULL;
    struct mc_error err;
    char dir[PATH_MAX];
    unsigned applied = 0;
    long version = 0;
    sigset_t stop;
    int status = 1;
    mc_error_clear(&err);
    block_stop_signals(&stop);

    enum mc_err rc = require_master_key(cfg, s.token_key, &err);
    if (rc == MC_OK && webhook_key_derive(cfg->master_key, s.webhook_key) != MC_OK)
        rc = mc_error_set(&err, MC_ERR_INTERNAL, NULL, "could not derive the webhook key");
    if (rc == MC_OK && web_csrf_key_derive(cfg->master_key, s.csrf_key) != MC_OK)
        rc = mc_error_set(&err, MC_ERR_INTERNAL, NULL, "could not derive the form key");
    if (rc == MC_OK)
        rc = router_validate(s.routes, &err);
    if (rc == MC_OK)
        rc = migrate_dir(cfg, dir, &err);
    if (rc == MC_OK)
        rc = migrate_latest(dir, &s.migrations_expected, &err);
    if (rc == MC_OK)
        rc = prepare_schema(cfg, true, &applied, &version, &err);
    if (rc != MC_OK)
        goto out;
    s.pool = db_pool_create(cfg->database_url, cfg->db_pool, cfg->db_acquire_timeout_ms);
    s.metrics = metrics_create(s.routes);
    s.auth_failures = ratelimit_create(cfg->auth_fail_limit, cfg->auth_fail_window);
    s.known_tokens = known_tokens_create(MC_KNOWN_TOKENS, MC_KNOWN_TOKEN_SECONDS);
    if (!s.pool || !s.metrics || !s.auth_failures || !s.known_tokens) {
        rc = mc_error_set(&err, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
#ifdef MCRED_TEST_HOOKS
    /* test builds only (fault_inject.h): requests may then ask to fail; said loudly.  Without
     * the hooks not even the variable's name is in the binary. */
    const char *faults = env_lookup("MCRED_TEST_FAULTS");
    if (fault_inject_init(faults && strcmp(faults, "1") == 0))
        log_message("warn", "test hooks active: requests may fail on purpose", "setting",
                    "MCRED_TEST_FAULTS=1", NULL);
#endif
    /* the dispatcher first: the first request's write nudges it (s.dispatcher) */
    if (cfg->dispatcher)
        rc = dispatcher_start(&s, &dispatcher, &err);
    s.dispatcher = dispatcher;
    if (rc == MC_OK)
        rc = http_start(&s, &daemon, &err);
    if (rc != MC_OK) {
        dispatcher_stop(dispatcher, 0);
        goto out;
    }

    char port[8], threads[8];
    snprintf(port, sizeof port, "%u", http_port(daemon));
    snprintf(threads, sizeof threads, "%u", cfg->threads);
    log_message("info", "listening", "host", cfg->listen_host, "port", port, "threads", threads,
                "public_url", cfg->public_url, "version", MC_VERSION, "dispatcher",
                dispatcher ? "on" : "off", NULL);
    int sig = 0;
    sigwait(&stop, &sig);
    log_message("info", "shutting down", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT", NULL);
    http_stop(daemon, cfg->shutdown_grace);
    dispatcher_stop(dispatcher, cfg->shutdown_grace);
    log_message("info", "stopped", NULL);
    status = 0;
out:
    if (rc != MC_OK)
        status = fail(&err);
    db_pool_free(s.pool);
    metrics_free(s.metrics);
    ratelimit_free(s.auth_failures);
    known_tokens_free(s.known_tokens);
    sodium_memzero(s.token_key, sizeof s.token_key);
    sodium_memzero(s.webhook_key, sizeof s.webhook_key);
    sodium_memzero(s.csrf_key, sizeof s.csrf_key);
    config_release(&s.cfg);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("mcred-server %s\n", MC_VERSION);
        return 0;
    }
    const struct command *cmd = commands;
    while (cmd->name && strcmp(cmd->name, argv[1]) != 0)
        cmd++;
    if (!cmd->name) {
        fprintf(stderr, "mcred-server: unknown command \"%s\" (see mcred-server --help)\n",
                argv[1]);
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "mcred-server: could not initialise libsodium\n");
        return 1;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "mcred-server: could not initialise libcurl\n");
        return 1;
    }
    struct server_config cfg;
    struct mc_error err;
    mc_error_clear(&err);
    int status = 1;
    if (config_load(&cfg, env_lookup, &err) != MC_OK)
        status = fail(&err);
    else
        status = cmd->run(argc - 1, argv + 1, &cfg);
    config_release(&cfg);
    curl_global_cleanup();
    return status;
}
