/*
 * config.c — environment variables to struct server_config.
 *
 * Numbers are parsed strictly (digits only, within bounds); anything else
 * is refused at start-up with the variable's name, so a typo cannot turn
 * into a silent default.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "config.h"
#include "mcred/limits.h"

#include "mcred/banned.h"

struct config_var {
    const char *name;
    const char *default_text;
    const char *help;
};

static const struct config_var config_vars[] = {
    {"DATABASE_URL", "(libpq defaults: PGHOST, PGDATABASE …)",
     "libpq connection string of the database, as the server's role (owns nothing)"},
    {"MCRED_MIGRATE_DATABASE_URL", "(none: DATABASE_URL's role must own the schema to migrate)",
     "libpq connection string as the schema's owner role: migrations run as it, then grant "
     "DATABASE_URL's role what the server needs"},
    {"MCRED_LISTEN", "127.0.0.1:8080", "address and port to listen on (port 0: any free port)"},
    {"MCRED_PUBLIC_URL", "http:// + MCRED_LISTEN", "base URL used in public documents and links"},
    {"MCRED_MASTER_KEY", "(required by serve and bootstrap)",
     "64 hex characters (mcred-server keygen); derives the token pepper and encryption keys"},
    {"MCRED_THREADS", "8 per core, at most 64", "HTTP worker threads"},
    {"MCRED_DB_POOL", "MCRED_THREADS", "database connections in the pool"},
    {"MCRED_DB_ACQUIRE_TIMEOUT_MS", "5000", "wait for a free connection before answering 503"},
    {"MCRED_MAX_BODY", "1048576", "largest request body in bytes (larger: 413)"},
    {"MCRED_REQUEST_TIMEOUT", "30", "seconds a client may stay idle mid-request"},
    {"MCRED_MAX_CONNECTIONS", "2048",
     "open HTTP connections at once (each may hold 64 KiB); more wait in the kernel's queue"},
    {"MCRED_SHUTDOWN_GRACE", "10", "seconds to finish in-flight requests on SIGTERM/SIGINT"},
    {"MCRED_AUTH_FAIL_LIMIT", "20", "requests with a bad token from one address before 429"},
    {"MCRED_AUTH_FAIL_WINDOW", "60", "seconds those failures are remembered"},
    {"MCRED_TRUSTED_PROXIES", "(none)",
     "comma-separated IP addresses or CIDR blocks of reverse proxies whose X-Forwarded-For "
     "names the client"},
    {"MCRED_WEBHOOK_ALLOW_PRIVATE", "0",
     "1: webhooks may go to loopback and private addresses (tests, private networks)"},
    {"MCRED_WEBHOOK_ALLOW_HTTP", "0", "1: webhook URLs may be http:// as well as https://"},
    {"MCRED_DISPATCHER", "1", "0: this process delivers no webhooks (others on the database do)"},
    {"MCRED_DISPATCHER_SLOTS", "256", "webhook deliveries in flight at once in this process"},
    {"MCRED_DISPATCHER_POLL_MS", "500",
     "look for due retries and other processes' events at least this often (ms)"},
    {"MCRED_WEBHOOK_CONCURRENCY", "128", "deliveries in flight to one subscription (per process)"},
    {"MCRED_WEBHOOK_TIMEOUT", "10", "seconds for a whole delivery attempt"},
    {"MCRED_WEBHOOK_CONNECT_TIMEOUT", "5", "seconds to connect to a receiver"},
    {"MCRED_WEBHOOK_RETRY_SCHEDULE", RETRY_SCHEDULE_DEFAULT,
     "seconds between attempts, comma-separated; dead after the last (short ones: tests only)"},
    {"MCRED_MIN_GROUP", "5",
     "reports suppress groups of fewer learners than this (and one more to hide them)"},
    {"MCRED_SESSION_HOURS", "12",
     "hours a browser sign-in lasts (the session cookie's lifetime; sign-out ends it sooner)"},
    {"MCRED_ALLOW_PRIVILEGED_DB", "0",
     "1: serve even when DATABASE_URL's role is a superuser or has BYPASSRLS (row-level "
     "security then keeps no organisation apart: a throwaway development database only)"},
    {"MCRED_MIGRATIONS",
     "<bin>/../"
     "share/mcred/migrations",
     "directory of NNNN_name.sql files"},
};

void config_help(FILE *out)
{
    for (size_t i = 0; i < sizeof config_vars / sizeof config_vars[0]; i++)
        fprintf(out, "  %-28s %s\n  %-28s   default: %s\n", config_vars[i].name,
                config_vars[i].help, "", config_vars[i].default_text);
}

/* Parse a decimal in [min, max]; only digits, no sign, no spaces. */
static enum mc_err parse_uint(const char *s, unsigned long long min, unsigned long long max,
                              unsigned long long *out)
{
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
        return MC_ERR_INVALID;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno || v < min || v > max)
        return MC_ERR_INVALID;
    *out = v;
    return MC_OK;
}

enum mc_err config_parse_listen(const char *s, char host[MC_MAX_HOST], unsigned short *out_port)
{
    const char *colon;
    const char *h = s;
    size_t hlen;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return MC_ERR_INVALID;
        h = s + 1;
        hlen = (size_t)(close - h);
        if (hlen == 0)
            return MC_ERR_INVALID;
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return MC_ERR_INVALID;
        hlen = (size_t)(colon - s);
        if (memchr(s, ':', hlen))
            return MC_ERR_INVALID; /* bare IPv6 needs brackets */
    }
    unsigned long long port;
    if (parse_uint(colon + 1, 0, 65535, &port) != MC_OK)
        return MC_ERR_INVALID;
    if (hlen == 0) {
        h = "127.0.0.1";
        hlen = strlen(h);
    }
    if (hlen >= MC_MAX_HOST)
        return MC_ERR_INVALID;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *out_port = (unsigned short)port;
    return MC_OK;
}

enum mc_err config_parse_master_key(const char *hex, unsigned char key[MC_MASTER_KEY_BYTES])
{
    size_t bin_len = 0;
    const char *end = NULL;
    if (strlen(hex) != 2 * MC_MASTER_KEY_BYTES)
        return MC_ERR_INVALID;
    if (sodium_hex2bin(key, MC_MASTER_KEY_BYTES, hex, strlen(hex), NULL, &bin_len, &end) != 0 ||
        bin_len != MC_MASTER_KEY_BYTES || *end != '\0') {
        sodium_memzero(key, MC_MASTER_KEY_BYTES);
        return MC_ERR_INVALID;
    }
    return MC_OK;
}

static enum mc_err config_uint(config_getenv_fn getenv_fn, const char *name, unsigned long long min,
                               unsigned long long max, unsigned long long *inout,
                               struct mc_error *err)
{
    const char *v = getenv_fn(name);
    if (!v || !*v)
        return MC_OK;
    if (parse_uint(v, min, max, inout) != MC_OK)
        return mc_error_set(err, MC_ERR_INVALID, name,
                            "%s must be a whole number between %llu and %llu", name, min, max);
    return MC_OK;
}

/*
 * A worker waits for the database through each request (its commit waits
 * for the WAL flush), so a core serves several: eight per core let
 * PostgreSQL share one flush among many commits (group commit) and keep
 * its cores busy while others wait.  At most DEFAULT_THREADS_MAX, as each
 * also holds a database connection.
 */
#define THREADS_PER_CORE    8
#define DEFAULT_THREADS_MAX 64

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > DEFAULT_THREADS_MAX / THREADS_PER_CORE ? DEFAULT_THREADS_MAX
                                                      : (unsigned)n * THREADS_PER_CORE;
}

static enum mc_err config_public_url(struct server_config *cfg, config_getenv_fn getenv_fn,
                                     struct mc_error *err)
{
    const char *v = getenv_fn("MCRED_PUBLIC_URL");
    if (v && *v) {
        size_t n = strlen(v);
        if (n >= sizeof cfg->public_url ||
            (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0))
            return mc_error_set(err, MC_ERR_INVALID, "MCRED_PUBLIC_URL",
                                "MCRED_PUBLIC_URL must be an http:// or https:// URL");
        /* no trailing slash, so that paths can be appended */
        while (n > 0 && v[n - 1] == '/')
            n--;
        size_t scheme = strncmp(v, "https://", 8) == 0 ? 8 : 7;
        if (n <= scheme || strchr(v + scheme, '/') == v + scheme)
            return mc_error_set(err, MC_ERR_INVALID, "MCRED_PUBLIC_URL",
                                "MCRED_PUBLIC_URL must name a host");
        snprintf(cfg->public_url, sizeof cfg->public_url, "%.*s", (int)n, v);
        return MC_OK;
    }
    const char *host = strcmp(cfg->listen_host, "0.0.0.0") == 0 ? "127.0.0.1"
                       : strcmp(cfg->listen_host, "::") == 0    ? "::1"
                                                                : cfg->listen_host;
    bool v6 = strchr(host, ':') != NULL;
    snprintf(cfg->public_url, sizeof cfg->public_url, "http://%s%s%s:%u", v6 ? "[" : "", host,
             v6 ? "]" : "", cfg->listen_port);
    return MC_OK;
}

static enum mc_err config_trusted_proxies(struct server_config *cfg, config_getenv_fn getenv_fn,
                                          struct mc_error *err)
{
    char bad[64]; /* words: the entry quoted, or "an empty entry (…)" */
    if (trusted_proxies_parse(getenv_fn("MCRED_TRUSTED_PROXIES"), &cfg->trusted_proxies, bad,
                              sizeof bad) != MC_OK)
        return mc_error_set(err, MC_ERR_INVALID, "MCRED_TRUSTED_PROXIES",
                            "MCRED_TRUSTED_PROXIES must be at most %d comma-separated IP "
                            "addresses or CIDR blocks (such as 10.0.0.0/8 or 2001:db8::/32), "
                            "not %s",
                            MC_TRUSTED_PROXIES_MAX, bad);
    return MC_OK;
}

enum mc_err config_load(struct server_config *cfg, config_getenv_fn getenv_fn, struct mc_error *err)
{
    memset(cfg, 0, sizeof *cfg);
    const char *listen = getenv_fn("MCRED_LISTEN");
    if (!listen || !*listen)
        listen = "127.0.0.1:8080";
    if (config_parse_listen(listen, cfg->listen_host, &cfg->listen_port) != MC_OK)
        return mc_error_set(err, MC_ERR_INVALID, "MCRED_LISTEN",
                            "MCRED_LISTEN must be HOST:PORT, [IPV6]:PORT or :PORT");

    const char *db = getenv_fn("DATABASE_URL");
    cfg->database_url = db ? db : "";
    const char *owner_db = getenv_fn("MCRED_MIGRATE_DATABASE_URL");
    cfg->migrate_database_url = owner_db && *owner_db ? owner_db : NULL;

    unsigned long long threads = default_threads();
    unsigned long long pool = 0, acquire = MC_DB_ACQUIRE_TIMEOUT_MS_DEFAULT;
    unsigned long long body = MC_MAX_BODY_DEFAULT, timeout = MC_REQUEST_TIMEOUT_DEFAULT;
    unsigned long long grace = 10, connections = MC_MAX_CONNECTIONS_DEFAULT;
    unsigned long long fail_limit = MC_AUTH_FAIL_LIMIT_DEFAULT;
    unsigned long long fail_window = MC_AUTH_FAIL_WINDOW_DEFAULT;
    unsigned long long slots = 256, poll_ms = 500, concurrency = 128;
    unsigned long long hook_timeout = 10, hook_connect = 5;
    unsigned long long min_group = 5, session_hours = 12;
    const struct {
        const char *name;
        unsigned long long min, max, *value;
    } numbers[] = {
        {"MCRED_THREADS", 1, MC_THREADS_MAX, &threads},
        {"MCRED_DB_POOL", 1, MC_DB_POOL_MAX, &pool},
        {"MCRED_DB_ACQUIRE_TIMEOUT_MS", 1, 600000, &acquire},
        {"MCRED_MAX_BODY", 1024, MC_MAX_BODY_CEILING, &body},
        {"MCRED_REQUEST_TIMEOUT", 1, 3600, &timeout},
        {"MCRED_MAX_CONNECTIONS", 16, MC_MAX_CONNECTIONS_CEILING, &connections},
        {"MCRED_SHUTDOWN_GRACE", 0, 3600, &grace},
        {"MCRED_AUTH_FAIL_LIMIT", 1, 100000, &fail_limit},
        {"MCRED_AUTH_FAIL_WINDOW", 1, 86400, &fail_window},
        {"MCRED_DISPATCHER_SLOTS", 1, 1024, &slots},
        {"MCRED_DISPATCHER_POLL_MS", 10, 60000, &poll_ms},
        {"MCRED_WEBHOOK_CONCURRENCY", 1, 1024, &concurrency},
        {"MCRED_WEBHOOK_TIMEOUT", 1, 300, &hook_timeout},
        {"MCRED_WEBHOOK_CONNECT_TIMEOUT", 1, 300, &hook_connect},
        {"MCRED_MIN_GROUP", 1, 1000, &min_group},
        {"MCRED_SESSION_HOURS", 1, 720, &session_hours},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        enum mc_err rc = config_uint(getenv_fn, numbers[i].name, numbers[i].min, numbers[i].max,
                                     numbers[i].value, err);
        if (rc != MC_OK)
            return rc;
    }
    cfg->threads = (unsigned)threads;
    cfg->db_pool = pool ? (unsigned)pool : cfg->threads;
    cfg->db_acquire_timeout_ms = (unsigned)acquire;
    cfg->max_body = (size_t)body;
    cfg->request_timeout = (unsigned)timeout;
    cfg->max_connections = (unsigned)connections;
    cfg->shutdown_grace = (unsigned)grace;
    cfg->auth_fail_limit = (unsigned)fail_limit;
    cfg->auth_fail_window = (unsigned)fail_window;
    cfg->dispatcher_slots = (unsigned)slots;
    cfg->dispatcher_poll_ms = (unsigned)poll_ms;
    cfg->webhook_concurrency = (unsigned)concurrency;
    cfg->webhook_timeout = (unsigned)hook_timeout;
    cfg->webhook_connect_timeout = (unsigned)hook_connect;
    cfg->min_group = (unsigned)min_group;
    cfg->session_hours = (unsigned)session_hours;

    const char *key = getenv_fn("MCRED_MASTER_KEY");
    if (key && *key) {
        if (config_parse_master_key(key, cfg->master_key) != MC_OK)
            return mc_error_set(err, MC_ERR_INVALID, "MCRED_MASTER_KEY",
                                "MCRED_MASTER_KEY must be 64 hex characters "
                                "(make one with mcred-server keygen)");
        cfg->has_master_key = true;
    }

    const struct {
        const char *name;
        bool fallback, *value;
    } flags[] = {
        {"MCRED_WEBHOOK_ALLOW_PRIVATE", false, &cfg->webhook_allow_private},
        {"MCRED_WEBHOOK_ALLOW_HTTP", false, &cfg->webhook_allow_http},
        {"MCRED_DISPATCHER", true, &cfg->dispatcher},
        {"MCRED_ALLOW_PRIVILEGED_DB", false, &cfg->allow_privileged_db},
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        const char *v = getenv_fn(flags[i].name);
        if (v && *v && strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
            return mc_error_set(err, MC_ERR_INVALID, flags[i].name, "%s must be 0 or 1",
                                flags[i].name);
        *flags[i].value = v && *v ? strcmp(v, "1") == 0 : flags[i].fallback;
    }

    enum mc_err rc = config_trusted_proxies(cfg, getenv_fn, err);
    if (rc != MC_OK)
        return rc;

    const char *schedule = getenv_fn("MCRED_WEBHOOK_RETRY_SCHEDULE");
    if (retry_schedule_parse(schedule && *schedule ? schedule : RETRY_SCHEDULE_DEFAULT,
                             &cfg->retry_schedule) != MC_OK)
        return mc_error_set(err, MC_ERR_INVALID, "MCRED_WEBHOOK_RETRY_SCHEDULE",
                            "MCRED_WEBHOOK_RETRY_SCHEDULE must be 1 to %d comma-separated whole "
                            "seconds, each 1 to %d",
                            RETRY_SCHEDULE_MAX, RETRY_DELAY_MAX_S);

    const char *mig = getenv_fn("MCRED_MIGRATIONS");
    cfg->migrations_dir = mig && *mig ? mig : NULL;
    return config_public_url(cfg, getenv_fn, err);
}

void config_release(struct server_config *cfg)
{
    sodium_memzero(cfg->master_key, sizeof cfg->master_key);
    cfg->has_master_key = false;
}
