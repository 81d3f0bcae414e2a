/*
 * limits.h — every bound mcred enforces, in one place.
 *
 * A reader who wants to know how much of anything a client may send, or
 * how large any buffer may grow, finds it here.  Run-time settings that an
 * operator may change (MCRED_MAX_BODY …) have their defaults here too.
 */
#ifndef MCRED_LIMITS_H
#define MCRED_LIMITS_H

/* HTTP requests */
#define MC_MAX_BODY_DEFAULT        (1024 * 1024) /* MCRED_MAX_BODY default: 1 MiB */
#define MC_MAX_BODY_CEILING        (64 * 1024 * 1024)
#define MC_MAX_URL                 2048 /* longer request targets get 414 */
#define MC_MAX_PATH_PARAMS         4    /* {id} placeholders in one route */
#define MC_MAX_PATH_SEGMENTS       16   /* segments in a route pattern */
#define MC_MAX_REQUEST_ID          128  /* a longer X-Request-Id is replaced */
#define MC_REQUEST_TIMEOUT_DEFAULT 30   /* seconds of client idleness */
#define MC_MAX_CONNECTIONS_DEFAULT 2048 /* MCRED_MAX_CONNECTIONS default */
#define MC_MAX_CONNECTIONS_CEILING 65536
#define MC_CONNECTION_MEMORY       (64 * 1024) /* libmicrohttpd's buffer per connection */
#define MC_FD_RESERVE              128         /* descriptors kept for the pool, logs, webhooks */
#define MC_THREADS_MAX             256

/* Paging (DESIGN.md §3) */
#define MC_PAGE_DEFAULT 50
#define MC_PAGE_MAX     500

/* Strings stored from clients */
#define MC_MAX_SLUG       64
#define MC_MAX_NAME       200
#define MC_MAX_EMAIL      254
#define MC_MAX_TOKEN_NAME 100

/* People and their attributes */
#define MC_MAX_ATTRIBUTES 32  /* keys in one person's attributes */
#define MC_MAX_ATTR_KEY   64  /* bytes of an attribute name */
#define MC_MAX_ATTR_VALUE 200 /* bytes of an attribute value */

/* Roster imports (RFC 4180 CSV) */
#define MC_MAX_CSV_ROWS      10000 /* data rows in one import */
#define MC_MAX_CSV_COLUMNS   64
#define MC_MAX_CSV_FIELD     4096 /* bytes of one cell */
#define MC_MAX_IMPORT_ERRORS 1000 /* row errors reported in one answer */

/* JOSE: JWS compact serialisations and JWKs (jose/) */
#define MC_JOSE_MAX_COMPACT (1024 * 1024) /* bytes of one compact JWS, e.g. a VC-JWT */
#define MC_JOSE_MAX_HEADER  8192          /* bytes of a decoded JOSE header */
#define MC_JOSE_MAX_KID     2048          /* bytes of a kid (a URL) */

/* Failed authentication, per client address (MCRED_AUTH_FAIL_* defaults) */
#define MC_AUTH_FAIL_LIMIT_DEFAULT  20
#define MC_AUTH_FAIL_WINDOW_DEFAULT 60   /* seconds */
#define MC_AUTH_FAIL_ADDRESSES      4096 /* addresses remembered at once */
#define MC_KNOWN_TOKENS             4096 /* recently authenticated secrets remembered at once */
#define MC_KNOWN_TOKEN_SECONDS      3600 /* how long one is remembered after its last success */
#define MC_TRUSTED_PROXIES_MAX      64   /* entries in MCRED_TRUSTED_PROXIES */
#define MC_MAX_FORWARDED_FOR        2048 /* bytes of X-Forwarded-For read (all lines together) */

/* Errors */
#define MC_MAX_ERR_FIELD   128
#define MC_MAX_ERR_MESSAGE 512

/* Database */
#define MC_DB_POOL_MAX                   256
#define MC_DB_ACQUIRE_TIMEOUT_MS_DEFAULT 5000
#define MC_DB_TX_RETRIES                 3   /* on serialization failure or deadlock */
#define MC_MAX_STATEMENTS                256 /* distinct prepared statements in the server */
#define MC_MAX_MIGRATIONS                1000

/* Verifiable credentials (vc/): JSON-LD, RDFC-1.0, Data Integrity */
#define MC_JSONLD_MAX_DEPTH        64                 /* nesting of maps and arrays expanded */
#define MC_JSONLD_MAX_CONTEXTS     32                 /* remote contexts in one chain */
#define MC_JSONLD_MAX_MEMORY       (64 * 1024 * 1024) /* bytes of contexts and terms per call */
#define MC_JSONLD_MAX_TERMS        1024   /* terms in one active context (ours: about 100) */
#define MC_JSONLD_MAX_TERM_DEFS    200000 /* term definitions processed in one call */
#define MC_JSONLD_MAX_BNODE_LABELS 10000  /* distinct "_:…" labels in one document */
#define MC_RDF_MAX_QUADS           100000 /* quads in one dataset */
#define MC_RDFC_MAX_WORK           100000 /* Hash N-Degree Quads calls plus permutations tried */
#define MC_MULTIBASE_MAX_BYTES     1024   /* bytes decoded from or encoded to base58btc */

/* CLI */
#define MC_CLI_MAX_RESPONSE    (64 * 1024 * 1024)
#define MC_CLI_MAX_CONFIG_LINE 4096

#endif
