/*
 * test_webhooks.c — subscriptions: made, listed, paused, rotated,
 * removed; secrets shown once, kept only encrypted (a pg_dump holds none);
 * and URLs refused before any connection when they name the operator's
 * own network; the delivery routes' refusals.  Delivery itself is
 * test_webhook_delivery.c's.  Every URL here is a loopback or private
 * literal: no packet leaves this machine.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;

static long post(const struct h_server *s, const char *token, const char *path, const char *body,
                 cJSON **out)
{
    struct h_response r;
    h_post_json(s, path, token, body, &r);
    long st = r.status;
    if (out) {
        *out = r.json;
        r.json = NULL;
    }
    h_response_free(&r);
    return st;
}

static void test_subscriptions(void **state)
{
    struct h_server server;
    const char *env[] = {"MCRED_WEBHOOK_ALLOW_PRIVATE=1", "MCRED_WEBHOOK_ALLOW_HTTP=1", NULL};
    h_db_create(&cluster, &db);
    h_server_start(&db, env, &server);
    char *token = h_bootstrap(&server, "hooks", "admin@hooks.example");

    cJSON *made = NULL;
    assert_int_equal(post(&server, token, "/v1/webhooks",
                          "{\"url\": \"http://127.0.0.1:9/in\", \"events\": [\"score.recorded\","
                          " \"member.enrolled\"]}",
                          &made),
                     201);
    const char *secret = h_json_string(made, "secret");
    assert_non_null(secret);
    assert_memory_equal(secret, "whsec_", 6);
    char *first = strdup(secret);
    char *id = strdup(h_json_string(made, "id"));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(made, "active")));
    cJSON_Delete(made);

    /* never shown again */
    struct h_response r;
    char *path = h_strf("/v1/webhooks/%s", id);
    h_http(&server, "GET", path, token, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "whsec_"));
    assert_string_equal(h_json_string(r.json, "events[1]"), "member.enrolled");
    h_response_free(&r);
    h_http(&server, "GET", "/v1/webhooks", token, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "whsec_"));
    h_response_free(&r);

    /* pause, and a bad event type */
    h_send_json(&server, "PATCH", path, token, "{\"active\": false}", &r);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "active")));
    h_response_free(&r);
    h_send_json(&server, "PATCH", path, token, "{\"events\": [\"Score Recorded\"]}", &r);
    assert_int_equal(r.status, 422);
    assert_string_equal(h_json_string(r.json, "error.field"), "events[0]");
    h_response_free(&r);

    /* rotation: a new secret, the old one kept for a while */
    char *rotate = h_strf("/v1/webhooks/%s/rotate", id);
    assert_int_equal(post(&server, token, rotate, "{}", &made), 200);
    char *second = strdup(h_json_string(made, "secret"));
    assert_string_not_equal(first, second);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(made, "rotating")));
    cJSON_Delete(made);

    /* no secret, nor its key bytes, anywhere in the database or the log */
    char *dump = h_db_dump(&db);
    assert_non_null(strstr(dump, "CREATE TABLE mcred.webhooks"));
    const char *secrets[] = {first, second};
    for (int i = 0; i < 2; i++) {
        unsigned char key[64];
        size_t len = 0;
        char hex[129];
        assert_int_equal(sodium_base642bin(key, sizeof key, secrets[i] + 6, strlen(secrets[i] + 6),
                                           NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL),
                         0);
        sodium_bin2hex(hex, sizeof hex, key, len);
        assert_null(strstr(dump, secrets[i] + 6));
        assert_null(strstr(dump, hex));
    }
    free(dump);

    h_http(&server, "DELETE", path, token, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 204);
    h_response_free(&r);
    h_http(&server, "GET", path, token, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 404);
    h_response_free(&r);

    assert_int_equal(h_server_stop(&server), 0);
    free(first);
    free(second);
    free(id);
    free(path);
    free(rotate);
    free(token);
}

/* Without the operator's leave, private addresses are refused at once, and http too. */
static void test_private_addresses_refused(void **state)
{
    struct h_server server;
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    char *token = h_bootstrap(&server, "strict", "admin@strict.example");
    const char *refused[] = {
        "https://127.0.0.1/in",       "https://[::1]/in",          "https://10.1.2.3/in",
        "https://169.254.169.254/in", "https://localhost:8443/in", "http://127.0.0.1/in",
        "https://192.168.0.10/in",    "ftp://127.0.0.1/in",        NULL};
    for (const char **u = refused; *u; u++) {
        char *body = h_strf("{\"url\": \"%s\"}", *u);
        cJSON *j = NULL;
        long st = post(&server, token, "/v1/webhooks", body, &j);
        if (st != 422)
            fail_msg("%s: got %ld, want 422", *u, st);
        assert_string_equal(h_json_string(j, "error.field"), "url");
        cJSON_Delete(j);
        free(body);
    }
    char *n = h_db_query_super(&db, "SELECT count(*) FROM mcred.webhooks");
    assert_string_equal(n, "0");
    free(n);
    assert_int_equal(h_server_stop(&server), 0);
    free(token);
}

static long call(const struct h_server *s, const char *token, const char *method, const char *path,
                 cJSON **out)
{
    struct h_response r;
    h_http(s, method, path, token, NULL, NULL, 0, &r);
    long st = r.status;
    if (out) {
        *out = r.json;
        r.json = NULL;
    }
    h_response_free(&r);
    return st;
}

/* The delivery routes refuse what they cannot do, and change nothing when they do. */
static void test_delivery_routes_refuse(void **state)
{
    struct h_server server;
    /* no dispatcher: a test delivery stays pending */
    const char *env[] = {"MCRED_WEBHOOK_ALLOW_PRIVATE=1", "MCRED_WEBHOOK_ALLOW_HTTP=1",
                         "MCRED_DISPATCHER=0", NULL};
    h_db_create(&cluster, &db);
    h_server_start(&db, env, &server);
    char *token = h_bootstrap(&server, "nudge", "admin@nudge.example");
    cJSON *made = NULL;
    assert_int_equal(
        post(&server, token, "/v1/webhooks", "{\"url\": \"http://127.0.0.1:9/in\"}", &made), 201);
    char *id = strdup(h_json_string(made, "id"));
    cJSON_Delete(made);
    const char *nobody = "00000000-0000-4000-8000-000000000000";

    char *path = h_strf("/v1/webhooks/%s/deliveries", nobody);
    assert_int_equal(call(&server, token, "GET", path, NULL), 404);
    free(path);
    path = h_strf("/v1/webhooks/%s/test", nobody);
    assert_int_equal(call(&server, token, "POST", path, NULL), 404);
    free(path);
    path = h_strf("/v1/deliveries/%s", nobody);
    assert_int_equal(call(&server, token, "GET", path, NULL), 404);
    free(path);
    path = h_strf("/v1/deliveries/%s/retry", nobody);
    assert_int_equal(call(&server, token, "POST", path, NULL), 404);
    free(path);

    cJSON *j = NULL;
    path = h_strf("/v1/webhooks/%s/deliveries?event=no.such_event", id);
    assert_int_equal(call(&server, token, "GET", path, &j), 422);
    assert_string_equal(h_json_string(j, "error.field"), "event");
    cJSON_Delete(j);
    free(path);

    /* a pending delivery is not retried again */
    path = h_strf("/v1/webhooks/%s/test", id);
    assert_int_equal(call(&server, token, "POST", path, &j), 202);
    assert_string_equal(h_json_string(j, "status"), "pending");
    char *retry = h_strf("/v1/deliveries/%s/retry", h_json_string(j, "id"));
    cJSON_Delete(j);
    assert_int_equal(call(&server, token, "POST", retry, NULL), 409);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.audit"
                                          " WHERE action = 'delivery.retry'"),
                     0);
    free(retry);

    /* a paused subscription is not tested */
    char *one = h_strf("/v1/webhooks/%s", id);
    struct h_response r;
    h_send_json(&server, "PATCH", one, token, "{\"active\": false}", &r);
    assert_int_equal(r.status, 200);
    h_response_free(&r);
    assert_int_equal(call(&server, token, "POST", path, NULL), 409);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.deliveries"), 1);
    free(one);
    free(path);
    free(id);
    assert_int_equal(h_server_stop(&server), 0);
    free(token);
}

static int setup(void **state)
{
    h_cluster_get(&cluster);
    return 0;
}

static int teardown(void **state)
{
    h_cluster_release(&cluster);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subscriptions),
        cmocka_unit_test(test_private_addresses_refused),
        cmocka_unit_test(test_delivery_routes_refuse),
    };
    return h_run_tests(tests, setup, teardown);
}
