/*
 * config.h — the server's settings, read once from the environment.
 *
 * Every setting is an environment variable with a documented default
 * (config_help() prints them for `mcred-server --help`).  Loading is a
 * pure function of a lookup callback, so tests can feed it any
 * environment.
 */
#ifndef MCRED_SERVER_CONFIG_H
#define MCRED_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "delivery_policy.h"
#include "mcred/error.h"
#include "trusted_proxies.h"

#define MC_MASTER_KEY_BYTES 32
#define MC_MAX_HOST         256
#define MC_MAX_PUBLIC_URL   512

struct server_config {
    char listen_host[MC_MAX_HOST];    /* numeric address, without brackets */
    unsigned short listen_port;       /* 0: any free port */
    const char *database_url;         /* libpq conninfo; points into the environment */
    const char *migrate_database_url; /* the owner's conninfo, or NULL; into the environment */
    unsigned threads;                 /* HTTP worker threads */
    unsigned db_pool;                 /* database connections */
    unsigned db_acquire_timeout_ms;
    size_t max_body;
    unsigned request_timeout;               /* seconds */
    unsigned max_connections;               /* open HTTP connections at once */
    unsigned shutdown_grace;                /* seconds to finish in-flight requests */
    unsigned auth_fail_limit;               /* failed authentications from one address … */
    unsigned auth_fail_window;              /* … within this many seconds, then 429 */
    struct trusted_proxies trusted_proxies; /* whose X-Forwarded-For is believed */
    bool webhook_allow_private;             /* MCRED_WEBHOOK_ALLOW_PRIVATE=1 */
    bool allow_privileged_db;               /* MCRED_ALLOW_PRIVILEGED_DB=1: development only */
    bool webhook_allow_http;                /* MCRED_WEBHOOK_ALLOW_HTTP=1 */
    bool dispatcher;                  /* MCRED_DISPATCHER: deliver webhooks from this process */
    unsigned dispatcher_slots;        /* deliveries in flight at once */
    unsigned dispatcher_poll_ms;      /* look for due retries at least this often */
    unsigned webhook_concurrency;     /* deliveries in flight to one subscription */
    unsigned webhook_timeout;         /* seconds for a whole attempt */
    unsigned webhook_connect_timeout; /* seconds to connect */
    unsigned min_group;               /* reports suppress groups smaller than this */
    unsigned session_hours;           /* a browser session lasts this long after sign-in */
    struct retry_schedule retry_schedule;
    bool has_master_key;
    unsigned char master_key[MC_MASTER_KEY_BYTES];
    char public_url[MC_MAX_PUBLIC_URL];
    const char *migrations_dir; /* NULL: next to the executable */
};

typedef const char *(*config_getenv_fn)(const char *name);

/* Fill cfg from the environment; on a bad value, an MC_ERR_INVALID naming the variable. */
enum mc_err config_load(struct server_config *cfg, config_getenv_fn getenv_fn, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Parse "host:port", "[v6]:port" or ":port" (host defaults to 127.0.0.1). */
enum mc_err config_parse_listen(const char *s, char host[MC_MAX_HOST], unsigned short *out_port)
    __attribute__((warn_unused_result));

/* Parse 64 hex characters into a key. */
enum mc_err config_parse_master_key(const char *hex, unsigned char key[MC_MASTER_KEY_BYTES])
    __attribute__((warn_unused_result));

/* Wipe secrets held by cfg. */
void config_release(struct server_config *cfg);

/* The list of variables with their defaults, for --help. */
void config_help(FILE *out);

#endif
