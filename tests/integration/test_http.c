/*
 * test_http.c — the server core over real HTTP: health and readiness,
 * the router's 404/405, authentication (401), roles (403), other
 * organisations' ids (404), the body limit (413), content type (415),
 * malformed JSON (400), request ids, tokens made and revoked, the audit
 * trail of those writes, metrics and the request log.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;
static char *admin_token;

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin_token = h_bootstrap(&server, "alpha", "admin@alpha.example");
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    free(admin_token);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* Assert the error shape and return the code. */
static const char *error_code(const struct h_response *r)
{
    assert_non_null(r->json);
    assert_non_null(h_json_string(r->json, "error.message"));
    const char *code = h_json_string(r->json, "error.code");
    assert_non_null(code);
    return code;
}

static void expect(const char *method, const char *path, const char *token, long status,
                   const char *code)
{
    struct h_response r;
    h_http(&server, method, path, token, NULL, NULL, 0, &r);
    if (r.status != status)
        fprintf(stderr, "%s %s: %ld %s\n", method, path, r.status, r.body);
    assert_int_equal(r.status, status);
    if (code)
        assert_string_equal(error_code(&r), code);
    h_response_free(&r);
}

static void post_json(const char *path, const char *token, const char *body, struct h_response *out)
{
    h_http(&server, "POST", path, token, "application/json", body, strlen(body), out);
}

static void test_health_and_ready(void **state)
{
    struct h_response r;
    h_http(&server, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(h_json_string(r.json, "status"), "ok");
    char *ct = h_response_header(&r, "Content-Type");
    assert_string_equal(ct, "application/json");
    free(ct);
    h_response_free(&r);

    h_http(&server, "GET", "/readyz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(h_json_string(r.json, "status"), "ready");
    assert_true(cJSON_GetObjectItem(r.json, "migrations")->valueint >= 1);
    h_response_free(&r);
}

/* /openapi.json lists every route of the table, with no token needed. */
static void test_openapi(void **state)
{
    struct h_response r;
    h_http(&server, "GET", "/openapi.json", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(h_json_string(r.json, "openapi"), "3.0.3");
    const cJSON *paths = cJSON_GetObjectItem(r.json, "paths");
    const cJSON *op = cJSON_GetObjectItem(cJSON_GetObjectItem(paths, "/v1/tokens/{id}"), "delete");
    assert_non_null(op);
    const cJSON *param = cJSON_GetArrayItem(cJSON_GetObjectItem(op, "parameters"), 0);
    assert_string_equal(h_json_string(param, "name"), "id");
    assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(paths, "/healthz"), "get"));
    /* public routes say so; the rest need the bearer token */
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItem(
            cJSON_GetObjectItem(cJSON_GetObjectItem(paths, "/healthz"), "get"), "security")),
        0);
    assert_null(cJSON_GetObjectItem(op, "security"));
    h_response_free(&r);
}

static void test_router_answers_404_and_405(void **state)
{
    expect("GET", "/nope", NULL, 404, "not_found");
    expect("GET", "/v1/nope", admin_token, 404, "not_found");
    expect("GET", "/healthz/", NULL, 404, "not_found");

    struct h_response r;
    h_http(&server, "POST", "/healthz", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 405);
    assert_string_equal(error_code(&r), "method_not_allowed");
    char *allow = h_response_header(&r, "Allow");
    assert_non_null(allow);
    assert_string_equal(allow, "GET, HEAD");
    free(allow);
    h_response_free(&r);

    h_http(&server, "PUT", "/v1/tokens", admin_token, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 405);
    allow = h_response_header(&r, "Allow");
    assert_string_equal(allow, "POST, GET, HEAD");
    free(allow);
    h_response_free(&r);

    /* a path id that cannot be an id is "not found", not a database error */
    expect("DELETE", "/v1/tokens/not-a-uuid", admin_token, 404, "not_found");
    expect("HEAD", "/healthz", NULL, 200, NULL);
}

static void test_authentication(void **state)
{
    expect("GET", "/v1/me", NULL, 401, "unauthenticated");
    expect("GET", "/v1/me", "mcr_short", 401, "unauthenticated");
    /* well-formed but unknown */
    expect("GET", "/v1/me", "mcr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 401,
           "unauthenticated");

    struct h_response r;
    h_http(&server, "GET", "/v1/me", NULL, NULL, NULL, 0, &r);
    char *www = h_response_header(&r, "WWW-Authenticate");
    assert_string_equal(www, "Bearer");
    free(www);
    h_response_free(&r);

    h_http(&server, "GET", "/v1/me", admin_token, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(h_json_string(r.json, "person.email"), "admin@alpha.example");
    assert_string_equal(h_json_string(r.json, "person.org_role"), "admin");
    assert_string_equal(h_json_string(r.json, "org.slug"), "alpha");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "roles"), 0)->valuestring,
                        "admin");
    h_response_free(&r);
}

static void test_request_id(void **state)
{
    struct h_response r;
    h_http(&server, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
    char *id = h_response_header(&r, "X-Request-Id");
    assert_non_null(id);
    assert_int_equal(strlen(id), 32);
    free(id);
    h_response_free(&r);

    CURL *curl = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "X-Request-Id: trace-42.abc");
    char url[128];
    snprintf(url, sizeof url, "%s/healthz", server.url);
    FILE *sink = fopen("/dev/null", "w");
    FILE *headers = tmpfile();
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, headers);
    assert_int_equal(curl_easy_perform(curl), CURLE_OK);
    rewind(headers);
    char line[512];
    int found = 0;
    while (fgets(line, sizeof line, headers))
        found |= strncasecmp(line, "X-Request-Id: trace-42.abc", 26) == 0;
    assert_true(found);
    fclose(headers);
    fclose(sink);
    curl_slist_free_all(h);
    curl_easy_cleanup(curl);
}

static void test_json_body_errors(void **state)
{
    struct h_response r;
    post_json("/v1/tokens", admin_token, "{\"name\": ", &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(error_code(&r), "malformed");
    h_response_free(&r);

    post_json("/v1/tokens", admin_token, "{\"name\": \"x\"} trailing", &r);
    assert_int_equal(r.status, 400);
    h_response_free(&r);

    h_http(&server, "POST", "/v1/tokens", admin_token, "text/plain", "{\"name\":\"x\"}", 12, &r);
    assert_int_equal(r.status, 415);
    assert_string_equal(error_code(&r), "unsupported_media_type");
    h_response_free(&r);

    post_json("/v1/tokens", admin_token, "{\"name\": \"x\", \"colour\": \"red\"}", &r);
    assert_int_equal(r.status, 422);
    assert_string_equal(h_json_string(r.json, "error.field"), "colour");
    h_response_free(&r);

    post_json("/v1/tokens", admin_token, "{}", &r);
    assert_int_equal(r.status, 422);
    assert_string_equal(h_json_string(r.json, "error.field"), "name");
    h_response_free(&r);

    post_json("/v1/tokens", admin_token,
              "{\"name\": \"old\", \"expires_at\": \"2001-01-01T00:00:00Z\"}", &r);
    assert_int_equal(r.status, 422);
    assert_string_equal(h_json_string(r.json, "error.field"), "expires_at");
    h_response_free(&r);

    post_json("/v1/tokens", admin_token, "{\"name\": \"bad\", \"expires_at\": \"soon\"}", &r);
    assert_int_equal(r.status, 422);
    assert_string_equal(h_json_string(r.json, "error.field"), "expires_at");
    h_response_free(&r);

    /* none of the refused requests wrote a token */
    char *n = h_db_query_super(&db, "SELECT count(*) FROM mcred.tokens");
    assert_string_equal(n, "1");
    free(n);
}

static void test_body_limit(void **state)
{
    size_t len = 1024 * 1024 + 1;
    char *big = malloc(len);
    assert_non_null(big);
    memset(big, ' ', len);
    struct h_response r;
    h_http(&server, "POST", "/v1/tokens", admin_token, "application/json", big, len, &r);
    assert_int_equal(r.status, 413);
    assert_string_equal(error_code(&r), "too_large");
    h_response_free(&r);
    free(big);
}

/* A chunked upload has no Content-Length: the limit must hold while it arrives. */
static void test_body_limit_chunked(void **state)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    char head[512];
    int n = snprintf(head, sizeof head,
                     "POST /v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                     admin_token);
    assert_int_equal(write(fd, head, (size_t)n), n);
    static char chunk[64 * 1024 + 16];
    int clen = snprintf(chunk, sizeof chunk, "%x\r\n", 64 * 1024);
    memset(chunk + clen, ' ', 64 * 1024);
    memcpy(chunk + clen + 64 * 1024, "\r\n", 2);
    size_t chunk_total = (size_t)clen + 64 * 1024 + 2;
    for (int i = 0; i < 20; i++) /* 1.25 MiB in all */
        if (write(fd, chunk, chunk_total) != (ssize_t)chunk_total)
            break;
    if (write(fd, "0\r\n\r\n", 5) != 5) {
        /* the server may close early; the answer is what matters */
    }
    char answer[256] = {0};
    ssize_t got = read(fd, answer, sizeof answer - 1);
    close(fd);
    assert_true(got > 12);
    assert_memory_equal(answer, "HTTP/1.1 413", 12);
}

/* Make a person without an organisation role, and a token for them, through the API. */
static char *token_for_new_person(const char *email)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO mcred.people (org_id, email, name, org_role)"
             " SELECT id, '%s', 'Pat', 'none' FROM mcred.orgs WHERE slug = 'alpha'"
             " RETURNING id",
             email);
    char *person = h_db_query_super(&db, sql);
    char body[256];
    snprintf(body, sizeof body, "{\"name\": \"pat\", \"person\": \"%s\"}", person);
    struct h_response r;
    post_json("/v1/tokens", admin_token, body, &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(h_json_string(r.json, "person"), person);
    char *token = strdup(h_json_string(r.json, "token"));
    h_response_free(&r);
    free(person);
    return token;
}

static void test_tokens_and_roles(void **state)
{
    struct h_response r;
    post_json("/v1/tokens", admin_token,
              "{\"name\": \"laptop\", \"expires_at\": \"2099-01-01T00:00:00Z\"}", &r);
    assert_int_equal(r.status, 201);
    const char *token = h_json_string(r.json, "token");
    assert_non_null(token);
    assert_int_equal(strlen(token), 47);
    assert_memory_equal(token, "mcr_", 4);
    assert_string_equal(h_json_string(r.json, "expires_at"), "2099-01-01T00:00:00Z");
    char *laptop = strdup(token);
    char *laptop_id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);

    expect("GET", "/v1/me", laptop, 200, NULL);

    /* the secret is nowhere in the database: not in tokens, not in the audit trail */
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM mcred.audit WHERE action = 'token.create'"
             " AND after::text LIKE '%%%s%%'",
             laptop + 4);
    char *n = h_db_query_super(&db, sql);
    assert_string_equal(n, "0");
    free(n);
    n = h_db_query_super(&db, "SELECT count(*) FROM mcred.audit WHERE action = 'token.create'");
    assert_true(strtol(n, NULL, 10) >= 2); /* bootstrap's and this one */
    free(n);

    /* a person without a role may read /v1/me but not make tokens */
    char *pat = token_for_new_person("pat@alpha.example");
    expect("GET", "/v1/me", pat, 200, NULL);
    post_json("/v1/tokens", pat, "{\"name\": \"mine\"}", &r);
    assert_int_equal(r.status, 403);
    assert_string_equal(error_code(&r), "forbidden");
    h_response_free(&r);

    /* revoke: 204, then the token is refused at once; revoking again changes nothing */
    char path[128];
    snprintf(path, sizeof path, "/v1/tokens/%s", laptop_id);
    expect("DELETE", path, pat, 403, "forbidden");
    expect("DELETE", path, admin_token, 204, NULL);
    expect("GET", "/v1/me", laptop, 401, "unauthenticated");
    expect("DELETE", path, admin_token, 204, NULL);
    n = h_db_query_super(&db, "SELECT count(*) FROM mcred.audit WHERE action = 'token.revoke'");
    assert_string_equal(n, "1");
    free(n);
    expect("DELETE", "/v1/tokens/00000000-0000-4000-8000-000000000000", admin_token, 404,
           "not_found");

    /* another organisation's admin cannot see alpha's tokens: 404, not 403 */
    char *beta = h_bootstrap(&server, "beta", "admin@beta.example");
    post_json("/v1/tokens", admin_token, "{\"name\": \"ci\"}", &r);
    assert_int_equal(r.status, 201);
    snprintf(path, sizeof path, "/v1/tokens/%s", h_json_string(r.json, "id"));
    h_response_free(&r);
    expect("DELETE", path, beta, 404, "not_found");
    expect("DELETE", path, admin_token, 204, NULL);

    /* an expired token is refused */
    snprintf(sql, sizeof sql,
             "UPDATE mcred.tokens SET expires_at = now() - interval '1 second'"
             " WHERE name = 'pat' RETURNING 'x'");
    free(h_db_query_super(&db, sql));
    expect("GET", "/v1/me", pat, 401, "unauthenticated");

    free(beta);
    free(pat);
    free(laptop);
    free(laptop_id);
}

static void test_metrics(void **state)
{
    expect("GET", "/v1/me", admin_token, 200, NULL);
    struct h_response r;
    h_http(&server, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(
        r.body, "mcred_http_requests_total{route=\"/v1/me\",method=\"GET\",status=\"200\"}"));
    assert_non_null(strstr(r.body, "mcred_http_request_duration_seconds_bucket{route=\"/v1/me\""));
    assert_non_null(strstr(r.body, "mcred_db_pool_size 4"));
    assert_non_null(strstr(r.body, "mcred_db_pool_in_use "));
    assert_non_null(strstr(r.body, "mcred_outbox_backlog 0"));
    assert_non_null(strstr(r.body, "mcred_db_up 1"));
    char *ct = h_response_header(&r, "Content-Type");
    assert_non_null(strstr(ct, "text/plain"));
    free(ct);
    h_response_free(&r);
}

static void test_request_log(void **state)
{
    expect("GET", "/v1/me", admin_token, 200, NULL);
    FILE *f = fopen(server.log_path, "r");
    assert_non_null(f);
    char line[4096];
    int seen = 0;
    while (fgets(line, sizeof line, f)) {
        cJSON *j = cJSON_Parse(line);
        assert_non_null(j); /* every line is JSON */
        const char *route = h_json_string(j, "route");
        if (route && strcmp(route, "/v1/me") == 0 &&
            cJSON_GetObjectItem(j, "status")->valueint == 200) {
            assert_non_null(h_json_string(j, "request_id"));
            assert_non_null(h_json_string(j, "time"));
            assert_string_equal(h_json_string(j, "method"), "GET");
            assert_string_equal(h_json_string(j, "org"), "alpha");
            assert_non_null(cJSON_GetObjectItem(j, "duration_ms"));
            seen++;
        }
        /* no token ever reaches the log */
        assert_null(strstr(line, admin_token));
        cJSON_Delete(j);
    }
    fclose(f);
    assert_true(seen >= 1);
}

static void post_keyed(const char *key, const char *body, struct h_response *out)
{
    char header[300];
    snprintf(header, sizeof header, "%s", key);
    const char *headers[] = {header, NULL};
    h_http_headers(&server, "POST", "/v1/tokens", admin_token, "application/json", body,
                   strlen(body), headers, out);
}

/* A retried POST with the same Idempotency-Key writes nothing new; a token is never kept. */
static void test_idempotency(void **state)
{
    char *before = h_db_query_super(&db, "SELECT count(*) FROM mcred.tokens");
    struct h_response a, b, c;
    post_keyed("Idempotency-Key: retry-7f3a", "{\"name\": \"once\"}", &a);
    assert_int_equal(a.status, 201);
    /* the secret was shown once: the retry is refused, and makes no second token */
    post_keyed("Idempotency-Key: retry-7f3a", "{\"name\": \"once\"}", &b);
    assert_int_equal(b.status, 409);
    assert_string_equal(h_json_string(b.json, "error.field"), "Idempotency-Key");
    char *after = h_db_query_super(&db, "SELECT count(*) FROM mcred.tokens");
    assert_int_equal(strtol(after, NULL, 10), strtol(before, NULL, 10) + 1);
    char *kept =
        h_db_query_super(&db, "SELECT coalesce(string_agg(body, ' '), '') FROM mcred.idempotency");
    assert_null(strstr(kept, h_json_string(a.json, "token") + 4));
    /* the key with another request is refused */
    post_keyed("Idempotency-Key: retry-7f3a", "{\"name\": \"twice\"}", &c);
    assert_int_equal(c.status, 422);
    assert_string_equal(h_json_string(c.json, "error.field"), "Idempotency-Key");
    h_response_free(&c);
    /* another key is another request */
    post_keyed("Idempotency-Key: retry-8b1c", "{\"name\": \"once\"}", &c);
    assert_int_equal(c.status, 201);
    assert_string_not_equal(h_json_string(c.json, "id"), h_json_string(a.json, "id"));
    h_response_free(&a);
    h_response_free(&b);
    h_response_free(&c);
    free(before);
    free(after);
    free(kept);
}

/* An ordinary POST is answered again, the same, and written once. */
static void test_idempotency_replay(void **state)
{
    const char *key[] = {"Idempotency-Key: person-ana-1", NULL};
    const char *body = "{\"email\": \"ana.keyed@alpha.example\", \"name\": \"Ana\"}";
    struct h_response a, b;
    h_http_headers(&server, "POST", "/v1/people", admin_token, "application/json", body,
                   strlen(body), key, &a);
    h_http_headers(&server, "POST", "/v1/people", admin_token, "application/json", body,
                   strlen(body), key, &b);
    assert_int_equal(a.status, 201);
    assert_int_equal(b.status, 201);
    assert_string_equal(a.body, b.body);
    char *n = h_db_query_super(
        &db, "SELECT count(*) FROM mcred.people WHERE email = 'ana.keyed@alpha.example'");
    assert_string_equal(n, "1");
    free(n);
    h_response_free(&a);
    h_response_free(&b);
}

/*
 * The key binds the whole request, query string included: a real import
 * sent with the key of an earlier dry run is refused, not answered with
 * the dry run's counts, and the import sent with its own key writes.
 */
static void test_idempotency_binds_query(void **state)
{
    const char *key[] = {"Idempotency-Key: import-dry-then-real", NULL};
    const char *csv = "email,name\r\nquery.keyed@alpha.example,Query Keyed\r\n";
    const char *count =
        "SELECT count(*) FROM mcred.people WHERE email = 'query.keyed@alpha.example'";
    struct h_response dry, real, again;
    h_http_headers(&server, "POST", "/v1/people/import?dry_run=true", admin_token, "text/csv", csv,
                   strlen(csv), key, &dry);
    assert_int_equal(dry.status, 200);
    h_http_headers(&server, "POST", "/v1/people/import", admin_token, "text/csv", csv, strlen(csv),
                   key, &real);
    assert_int_equal(real.status, 422);
    assert_string_equal(h_json_string(real.json, "error.field"), "Idempotency-Key");
    char *n = h_db_query_super(&db, count);
    assert_string_equal(n, "0");
    free(n);
    const char *other[] = {"Idempotency-Key: import-real", NULL};
    h_http_headers(&server, "POST", "/v1/people/import", admin_token, "text/csv", csv, strlen(csv),
                   other, &again);
    assert_true(again.status == 200 || again.status == 201);
    n = h_db_query_super(&db, count);
    assert_string_equal(n, "1");
    free(n);
    h_response_free(&dry);
    h_response_free(&real);
    h_response_free(&again);
}

/* A second bootstrap of a slug fails and writes nothing; another slug is another district. */
static void test_bootstrap_twice(void **state)
{
    char *orgs = h_db_query_super(&db, "SELECT count(*) FROM mcred.orgs");
    char *people = h_db_query_super(&db, "SELECT count(*) FROM mcred.people");
    const char *argv[] = {"bootstrap", "--org",         "alpha",           "--name",
                          "Again",     "--admin-email", "x@alpha.example", NULL};
    char *out = NULL;
    assert_int_equal(h_server_command(&server, argv, &out), 1);
    free(out);
    char *orgs_after = h_db_query_super(&db, "SELECT count(*) FROM mcred.orgs");
    char *people_after = h_db_query_super(&db, "SELECT count(*) FROM mcred.people");
    assert_string_equal(orgs, orgs_after);
    assert_string_equal(people, people_after);
    const char *bad[] = {"bootstrap", "--org",         "Not A Slug",  "--name",
                         "X",         "--admin-email", "x@y.example", NULL};
    assert_int_equal(h_server_command(&server, bad, NULL), 1);
    free(orgs);
    free(people);
    free(orgs_after);
    free(people_after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_and_ready),
        cmocka_unit_test(test_openapi),
        cmocka_unit_test(test_router_answers_404_and_405),
        cmocka_unit_test(test_authentication),
        cmocka_unit_test(test_request_id),
        cmocka_unit_test(test_json_body_errors),
        cmocka_unit_test(test_body_limit),
        cmocka_unit_test(test_body_limit_chunked),
        cmocka_unit_test(test_tokens_and_roles),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_request_log),
        cmocka_unit_test(test_bootstrap_twice),
        cmocka_unit_test(test_idempotency),
        cmocka_unit_test(test_idempotency_replay),
        cmocka_unit_test(test_idempotency_binds_query),
    };
    return h_run_tests(tests, setup, teardown);
}
