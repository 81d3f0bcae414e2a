/*
 * server.h — the state one mcred-server process shares between its
 * threads: configuration, the database pool, metrics and the route table.
 * Everything here is set up before the first request and read-only after,
 * except the pool, metrics and the dispatcher, which synchronise themselves.
 */
#ifndef MCRED_SERVER_SERVER_H
#define MCRED_SERVER_SERVER_H

#include <stdatomic.h>

#include "config.h"
#include "db.h"
#include "known_tokens.h"
#include "metrics.h"
#include "ratelimit.h"
#include "router.h"
#include "tokens.h"
#include "webhooks.h"

struct dispatcher;

struct server {
    struct server_config cfg;
    struct db_pool *pool;
    struct metrics *metrics;
    struct ratelimit *auth_failures;
    struct known_tokens *known_tokens; /* secrets that authenticated lately */
    const struct route *routes;
    struct dispatcher *dispatcher; /* NULL when this process delivers no webhooks */
    long migrations_expected;      /* highest version among the migration files */
    unsigned char token_key[MC_TOKEN_KEY_BYTES];
    unsigned char webhook_key[WEBHOOK_BOX_KEY_BYTES];
    unsigned char csrf_key[32]; /* web.c: WEB_CSRF_KEY_BYTES */
    atomic_uint in_flight;      /* requests begun and not yet completed */
};

#endif
