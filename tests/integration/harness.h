/*
 * harness.h — real parts for integration tests: a throwaway PostgreSQL
 * cluster, a fresh database per test, the real mcred-server on a free
 * loopback port, HTTP over libcurl, and the real mcred CLI.
 *
 * The cluster is the one `scripts/test` started (MCRED_TEST_PGHOST,
 * MCRED_TEST_PGPORT, MCRED_TEST_PGUSER), or, when those are not set or a
 * test must stop and start its database, one the harness makes itself
 * with initdb (as the postgres user when run as root) under /tmp.
 * Every failure aborts the test with a message: these helpers return
 * only on success.
 */
#ifndef MCRED_TEST_HARNESS_H
#define MCRED_TEST_HARNESS_H

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

struct h_cluster {
    bool own; /* made by the harness, to be removed by it */
    char dir[PATH_MAX];
    char sockdir[PATH_MAX];
    unsigned port;
    char superuser[64];
    char bindir[PATH_MAX];
};

/* The roles of every test database: the server's, which owns nothing, and the schema's owner. */
#define H_APP_ROLE   "mcred_test"
#define H_OWNER_ROLE "mcred_test_owner"

struct h_db {
    const struct h_cluster *cluster;
    char name[64];
    char conninfo[PATH_MAX + 128];       /* as the application role (DATABASE_URL) */
    char owner_conninfo[PATH_MAX + 128]; /* as the owner (MCRED_MIGRATE_DATABASE_URL) */
};

struct h_server {
    pid_t pid;
    unsigned port;
    char url[64];
    char master_key[65];
    char log_path[PATH_MAX];
    const struct h_db *db;
};

struct h_response {
    long status;
    char *body;
    cJSON *json;   /* parsed body when it is JSON, else NULL */
    char *headers; /* raw response headers */
};

/* The shared cluster when the environment names one, else a new one of our own. */
void h_cluster_get(struct h_cluster *out);
/* Always a new cluster of our own (for tests that stop the database). */
void h_cluster_create(struct h_cluster *out);
void h_cluster_stop(struct h_cluster *c);
void h_cluster_start(struct h_cluster *c);
/* Remove an own cluster (no-op for the shared one). */
void h_cluster_release(struct h_cluster *c);

/* A new database, empty (no migrations), owned by H_OWNER_ROLE; the server connects as
 * H_APP_ROLE and migrates as the owner, both non-superusers. */
void h_db_create(const struct h_cluster *c, struct h_db *out);
/* Run SQL as the superuser in the test database and return the first column of the first row
 * (malloc'd; "" when no rows, NULL for SQL NULL). */
char *h_db_query_super(const struct h_db *db, const char *sql);
/* The same with values for $1, $2 … (text; NULL for SQL NULL). */
char *h_db_query_super_params(const struct h_db *db, const char *sql, int nparams,
                              const char *const *params);

/* pg_dump of the test database (as the superuser), read into memory (malloc'd). */
char *h_db_dump(const struct h_db *db);

/* Start `mcred-server serve` on a free port; extra_env is NULL or "NAME=value" strings ending in
 * NULL. */
void h_server_start(const struct h_db *db, const char *const *extra_env, struct h_server *out);
/* Another server on model's database with model's master key (a second process, or a restart). */
void h_server_start_like(const struct h_server *model, const char *const *extra_env,
                         struct h_server *out);
/* Start a stopped or killed server again: the same port, database and master key (the URL its
 * clients hold stays valid). */
void h_server_restart(struct h_server *s, const char *const *extra_env);
/* SIGTERM and wait; returns the exit status (or 128+signal). */
int h_server_stop(struct h_server *s);
/* SIGKILL: the process dies at once, mid-work. */
void h_server_kill(struct h_server *s);

/*
 * mcred-test-receiver (webhook_receiver.c): a Standard Webhooks receiver on
 * a free loopback port that verifies each delivery with the secrets in its
 * secrets file and logs one line per request.
 */
struct h_receiver {
    pid_t pid;
    unsigned port;
    char url[96]; /* http://127.0.0.1:<port>/hooks */
    char secrets_path[PATH_MAX];
    char log_path[PATH_MAX];
    char out_path[PATH_MAX];
};

/* One request the receiver got. */
struct h_received {
    char id[80];   /* webhook-id */
    int verified;  /* 1 when the signature, timestamp and body checked out */
    int status;    /* what it answered */
    char type[64]; /* the body's "type" */
    long long timestamp;
    int attempt; /* how many requests with this webhook-id it had seen, this one included */
};

/* Start one; options are extra arguments ("--fail-first", "2", …), NULL-terminated, or NULL. */
void h_receiver_start(const char *const *options, struct h_receiver *out);
/* Let it accept signatures made with this "whsec_…" secret. */
void h_receiver_add_secret(const struct h_receiver *r, const char *secret);
int h_receiver_stop(struct h_receiver *r);
/* What it has logged so far (malloc'd array; returns the count). */
size_t h_receiver_log(const struct h_receiver *r, struct h_received **out);

/* Run `mcred-server bootstrap` for an org; returns the token (malloc'd). */
char *h_bootstrap(const struct h_server *s, const char *slug, const char *email);

/* Run an mcred-server subcommand with the server's environment; returns the exit status. */
int h_server_command(const struct h_server *s, const char *const *argv, char **out_stdout);
/* The same with extra environment ("NAME=value"; "NAME=" unsets) and stderr (malloc'd). */
int h_server_command_env(const struct h_server *s, const char *const *argv,
                         const char *const *extra_env, char **out_stdout, char **out_stderr);

/* One HTTP request.  token, content_type and body may be NULL. */
void h_http(const struct h_server *s, const char *method, const char *path, const char *token,
            const char *content_type, const char *body, size_t body_len, struct h_response *out);
/* The same with extra request headers ("Name: value", NULL-terminated). */
void h_http_headers(const struct h_server *s, const char *method, const char *path,
                    const char *token, const char *content_type, const char *body, size_t body_len,
                    const char *const *headers, struct h_response *out);
/* Keep each thread's connection open between requests (HTTP keep-alive), off by default: a
 * test that counts connections or restarts its server wants each request on its own. */
void h_http_keep_alive(bool on);
void h_response_free(struct h_response *r);
/* A response header's value (malloc'd) or NULL. */
char *h_response_header(const struct h_response *r, const char *name);

/* Run the mcred CLI with argv (not including "mcred"), MCRED_URL/TOKEN from the arguments
 * (either may be NULL), HOME set to an empty directory.  Returns the exit status. */
int h_cli(const char *url, const char *token, const char *const *argv, char **out_stdout,
          char **out_stderr);

/* A request with a JSON body (Content-Type: application/json); body may be NULL. */
void h_send_json(const struct h_server *s, const char *method, const char *path, const char *token,
                 const char *body, struct h_response *out);
/* POST with a JSON body. */
void h_post_json(const struct h_server *s, const char *path, const char *token, const char *body,
                 struct h_response *out);

/* printf into a new string (malloc'd), e.g. a path with an id in it. */
char *h_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A whole file (malloc'd, NUL-terminated; "" when it cannot be read); *len may be NULL. */
char *h_file_read(const char *path, size_t *len);
/* h_db_query_super's first value as a number (an aborting failure if it is not one). */
long h_db_long_super(const struct h_db *db, const char *sql);

/* The string at a path of a JSON value ("person.email", "items[0].id"; see h_json_at), or
 * NULL. */
const char *h_json_string(const cJSON *root, const char *path);

/* The item at a path of a JSON value, or NULL: dotted keys and [n] indexes, e.g.
 * "items[0].person.email" or "[2].code". */
const cJSON *h_json_at(const cJSON *root, const char *path);
/* The number at such a path as a long; fails the test when there is none. */
long h_json_long(const cJSON *root, const char *path);

/* Does `got` hold everything `want` does: every key of an object (recursively), arrays of the
 * same length item by item, equal scalars?  On a difference, `where` gets its path. */
bool h_json_contains(const cJSON *got, const cJSON *want, char *where, size_t where_len);

/* A request with a JSON body (none when body is NULL) that must answer `want`: otherwise the
 * test fails with the method, path, status and body. */
void h_call(const struct h_server *s, const char *method, const char *path, const char *token,
            const char *body, long want, struct h_response *out);

/* A person of the token's organisation (POST /v1/people, which must answer 201); returns the
 * id (malloc'd).  org_role may be NULL (none). */
char *h_person(const struct h_server *s, const char *admin_token, const char *email,
               const char *name, const char *org_role);
/* A token for a person (POST /v1/tokens with an admin's token); returns the secret (malloc'd). */
char *h_token_for(const struct h_server *s, const char *admin_token, const char *person_id);

/* An organisation's rows (people, tokens, audit, events, credentials and their parts, cohorts,
 * members, sessions, attendance) summed up in a string, as the superuser sees them: equal strings
 * before and after a request mean it wrote nothing.  (malloc'd) */
char *h_org_snapshot(const struct h_db *db, const char *org_slug);
/* h_org_snapshot, and besides every other table of schema mcred with an org_id column (those of
 * later migrations: problems, evidence, scores …), each as a count and a hash of its rows.
 * (malloc'd) */
char *h_org_snapshot_all(const struct h_db *db, const char *org_slug);
/* Run SQL (any statement, or several separated by ';') as the superuser in the test database;
 * aborts on an error. */
void h_db_exec_super(const struct h_db *db, const char *sql);
/* The payloads of an organisation's outbox events of one type, oldest first: a JSON array. */
cJSON *h_org_events(const struct h_db *db, const char *org_slug, const char *type);

/*
 * Pages (server/web*.c).  h_signin posts `secret` (a token or an invitation code) to
 * POST /signin, which must answer with a session cookie; it returns the cookie's value
 * (malloc'd).  h_page sends a request with that session (NULL: none) and, with `form`
 * (NULL: no body), an HTML form body (application/x-www-form-urlencoded, encoded by the
 * caller).  h_page_csrf scrapes the csrf field of a page's first form (malloc'd, NULL when
 * the page has none).
 */
char *h_signin(const struct h_server *s, const char *secret);
void h_page(const struct h_server *s, const char *method, const char *path, const char *session,
            const char *form, struct h_response *out);
char *h_page_csrf(const struct h_response *page);

/* The main() of an integration test: set up libcurl and libsodium, run the group, clean up. */
#define h_run_tests(tests, setup, teardown)                                                        \
    h_run(#tests, tests, sizeof(tests) / sizeof((tests)[0]), setup, teardown)
int h_run(const char *name, const struct CMUnitTest *tests, size_t n, CMFixtureFunction setup,
          CMFixtureFunction teardown);

/* Print to stderr and abort the test. */
void h_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * What a webhook receiver got (harness_tally.c), counted by webhook-id: the
 * first 2xx answer to an id is its delivery, every further 2xx answer to
 * the same id a duplicate (the dispatcher sent again what had arrived).
 */
struct h_tally {
    size_t lines;      /* requests logged */
    size_t delivered;  /* distinct ids answered 2xx */
    size_t duplicates; /* 2xx answers beyond the first per id */
    size_t unverified; /* lines whose signature, timestamp or body did not check out */
    size_t failed;     /* lines answered otherwise (a reset logs status 0) */
};
struct h_tally h_receiver_tally(const struct h_receiver *rx);
/* Wait at most `seconds` for `n` distinct deliveries and return the tally then; fails the test
 * when they do not all arrive in time. */
struct h_tally h_receiver_wait_delivered(const struct h_receiver *rx, size_t n, int seconds);
/* The receiver's log sorted by webhook-id (malloc'd; returns the count). */
size_t h_receiver_log_sorted(const struct h_receiver *rx, struct h_received **out);
/* Did the receiver answer 2xx to webhook-id `id`?  rows: h_receiver_log_sorted's. */
bool h_received_delivered(const struct h_received *rows, size_t n, const char *id);

/*
 * A cohort world (harness_cohort.c): an organisation, its coordinator and a
 * published credential of two indicators, in which tests make cohorts of
 * coaches and learners to write scores into, all over the API as a
 * coordinator would.
 *
 * The credential: standard A, indicators A.1 and A.2, rubric levels
 * 1 Beginning, 2 Developing, 3 Accomplished, award rule min_level 2 with no
 * attendance and no problem of practice required.
 */
#define H_COHORT_MAX_COACHES  8
#define H_COHORT_MAX_LEARNERS 18 /* a cohort's largest default capacity */

struct h_cohort_world {
    const struct h_server *server;
    const char *slug; /* the organisation's (not copied) */
    char *admin;      /* tokens (admin@<slug>.example, coordinator@<slug>.example) */
    char *coordinator;
    char *credential; /* id of the published credential */
};

/* learner i is coached by coach i % coaches; e-mails coach<k>.<cohort slug>@<org slug>.example and
 * learner<i>.<cohort slug>@<org slug>.example */
struct h_cohort {
    char *id, *slug, *scores_path; /* scores_path: /v1/cohorts/<id>/scores */
    int coaches, learners;
    char *coach_email[H_COHORT_MAX_COACHES], *coach_token[H_COHORT_MAX_COACHES];
    char *learner_email[H_COHORT_MAX_LEARNERS], *learner_id[H_COHORT_MAX_LEARNERS];
};

/* Bootstrap the organisation `slug` (which must outlive the world) on the server, make its
 * coordinator and publish the credential. */
void h_cohort_world_make(const struct h_server *server, const char *slug,
                         struct h_cohort_world *out);
void h_cohort_world_free(struct h_cohort_world *w);
/* A cohort `name` of the world's credential (capacity 20) with `coaches` coaches and `learners`
 * learners (1 … H_COHORT_MAX_*), each a new person of the organisation, enrolled in one request. */
void h_cohort_make(const struct h_cohort_world *w, const char *name, int coaches, int learners,
                   struct h_cohort *out);
void h_cohort_free(struct h_cohort *c);
/* The world's credential as its own: published under `slug` by `token` (a coordinator's) in the
 * token's organisation; returns its id (malloc'd). */
char *h_credential_two_indicators(const struct h_server *s, const char *token, const char *slug);

#endif
