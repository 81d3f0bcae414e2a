/*
 * test_secrets.c — no bearer token survives anywhere the server writes:
 * not in a pg_dump of the whole database, not in the server's log, not in
 * the audit trail, not in the token list.
 *
 * Several tokens are made (bootstrap, POST /v1/tokens with and without an
 * expiry, one for another person), each used once, one revoked and used
 * again (401), and an unknown token tried; then each token is looked for
 * whole, as its 43-character secret, as that secret in standard base64,
 * as the hex of its 32 random bytes, and as unkeyed SHA-256 and BLAKE2b
 * hashes (the database may keep only a keyed hash).
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

#define MAX_TOKENS 8

struct made {
    char *token;
    char *id;
    const char *name;
};

static struct made make_token(const char *admin, const char *body, const char *name)
{
    struct h_response r;
    h_post_json(&server, "/v1/tokens", admin, body, &r);
    if (r.status != 201 || !h_json_string(r.json, "token") || !h_json_string(r.json, "id"))
        fail_msg("POST /v1/tokens %s: %ld %s", body, r.status, r.body);
    assert_string_equal(h_json_string(r.json, "name"), name);
    struct made m = {strdup(h_json_string(r.json, "token")), strdup(h_json_string(r.json, "id")),
                     name};
    h_response_free(&r);
    return m;
}

static long get_me(const char *token)
{
    struct h_response r;
    h_http(&server, "GET", "/v1/me", token, NULL, NULL, 0, &r);
    long status = r.status;
    h_response_free(&r);
    return status;
}

/* The whole test database as SQL, read into memory. */
static char *dump_database(void)
{
    return h_db_dump(&db);
}

static void hex_of(const unsigned char *bin, size_t n, char *out, size_t out_len)
{
    sodium_bin2hex(out, out_len, bin, n);
}

/* Every form of a token that must not be found: its text, its secret, the secret's bytes. */
struct forms {
    char text[64];
    char secret[48];
    char secret_std[48]; /* standard base64 alphabet */
    char raw_hex[65];    /* the 32 random bytes */
    char sha256_hex[65];
    char blake2b_hex[65]; /* unkeyed */
};

static void forms_of(const char *token, struct forms *f)
{
    assert_int_equal(strlen(token), 47);
    assert_memory_equal(token, "mcr_", 4);
    snprintf(f->text, sizeof f->text, "%s", token);
    snprintf(f->secret, sizeof f->secret, "%s", token + 4);
    snprintf(f->secret_std, sizeof f->secret_std, "%s", token + 4);
    for (char *c = f->secret_std; *c; c++)
        *c = *c == '-' ? '+' : *c == '_' ? '/' : *c;
    unsigned char raw[32], h[32];
    size_t raw_len = 0;
    assert_int_equal(sodium_base642bin(raw, sizeof raw, f->secret, strlen(f->secret), NULL,
                                       &raw_len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    assert_int_equal(raw_len, 32);
    hex_of(raw, sizeof raw, f->raw_hex, sizeof f->raw_hex);
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    hex_of(h, sizeof h, f->sha256_hex, sizeof f->sha256_hex);
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    hex_of(h, sizeof h, f->blake2b_hex, sizeof f->blake2b_hex);
}

/* Count (and name) every form of every token found in text. */
static int look_for(const char *where, const char *text, const struct forms *forms, size_t n)
{
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        const struct {
            const char *what, *s;
        } checks[] = {
            {"token", forms[i].text},
            {"secret", forms[i].secret},
            {"secret in standard base64", forms[i].secret_std},
            {"secret's bytes in hex", forms[i].raw_hex},
            {"unkeyed SHA-256 of the token", forms[i].sha256_hex},
            {"unkeyed BLAKE2b of the token", forms[i].blake2b_hex},
        };
        for (size_t k = 0; k < sizeof checks / sizeof checks[0]; k++)
            if (strstr(text, checks[k].s)) {
                fprintf(stderr, "%s contains token %zu's %s (%s)\n", where, i, checks[k].what,
                        checks[k].s);
                found++;
            }
    }
    return found;
}

static void test_no_token_in_dump_log_or_audit(void **state)
{
    struct made made[MAX_TOKENS];
    size_t n = 0;
    made[n++] = (struct made){h_bootstrap(&server, "zeta", "admin@zeta.example"), NULL, NULL};
    const char *admin = made[0].token;

    made[n++] = make_token(admin, "{\"name\": \"laptop\"}", "laptop");
    made[n++] = make_token(
        admin, "{\"name\": \"ci runner\", \"expires_at\": \"2099-01-01T00:00:00Z\"}", "ci runner");
    made[n++] = make_token(admin, "{\"name\": \"to revoke\"}", "to revoke");
    char *pat = h_db_query_super(&db, "INSERT INTO mcred.people (org_id, email, name, org_role)"
                                      " SELECT id, 'pat@zeta.example', 'Pat', 'leader'"
                                      " FROM mcred.orgs WHERE slug = 'zeta' RETURNING id");
    char *body = h_strf("{\"name\": \"pat's phone\", \"person\": \"%s\"}", pat);
    made[n++] = make_token(admin, body, "pat's phone");
    free(body);

    /* each used once */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(get_me(made[i].token), 200);
    long used = h_db_long_super(&db, "SELECT count(*) FROM mcred.tokens"
                                     " WHERE last_used_at IS NOT NULL");
    assert_int_equal(used, (long)n);

    /* one revoked, then tried: refused */
    char *path = h_strf("/v1/tokens/%s", made[3].id);
    struct h_response r;
    h_http(&server, "DELETE", path, admin, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 204);
    h_response_free(&r);
    free(path);
    assert_int_equal(get_me(made[3].token), 401);

    /* a well-formed token the server never made: it must not be logged either */
    char unknown[48];
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    memcpy(unknown, "mcr_", 4);
    sodium_bin2base64(unknown + 4, sizeof unknown - 4, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    assert_int_equal(get_me(unknown), 401);

    struct forms forms[MAX_TOKENS + 1];
    for (size_t i = 0; i < n; i++)
        forms_of(made[i].token, &forms[i]);
    forms_of(unknown, &forms[n]);
    int found = 0;

    /* the token list shows the tokens, never a secret */
    h_http(&server, "GET", "/v1/tokens", admin, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    cJSON *items = cJSON_GetObjectItem(r.json, "items");
    assert_int_equal(cJSON_GetArraySize(items), (int)n);
    cJSON *item;
    cJSON_ArrayForEach(item, items)
    {
        assert_null(cJSON_GetObjectItem(item, "token"));
        assert_null(cJSON_GetObjectItem(item, "hash"));
    }
    found += look_for("GET /v1/tokens", r.body, forms, n);
    h_response_free(&r);

    /* the database, dumped whole */
    char *dump = dump_database();
    assert_non_null(strstr(dump, "CREATE TABLE mcred.tokens"));
    for (size_t i = 1; i < n; i++)
        if (!strstr(dump, made[i].name))
            fail_msg("the dump has no token named \"%s\": is it a real dump?", made[i].name);
    assert_non_null(strstr(dump, "admin@zeta.example"));
    found += look_for("pg_dump", dump, forms, n + 1);
    free(dump);

    /* the audit trail */
    char *audit = h_db_query_super(
        &db, "SELECT string_agg(coalesce(before::text, '') || coalesce(after::text, ''), '')"
             " FROM mcred.audit");
    assert_non_null(audit);
    assert_non_null(strstr(audit, "laptop")); /* the token's writes are there */
    found += look_for("mcred.audit", audit, forms, n + 1);
    free(audit);

    /* the server's log (the file h_server_stop removes) */
    char *log = h_file_read(server.log_path, NULL);
    assert_non_null(strstr(log, "/v1/me"));
    found += look_for("the server log", log, forms, n + 1);
    free(log);

    assert_int_equal(found, 0);
    for (size_t i = 0; i < n; i++) {
        free(made[i].token);
        free(made[i].id);
    }
    free(pat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_token_in_dump_log_or_audit),
    };
    return h_run_tests(tests, setup, teardown);
}
