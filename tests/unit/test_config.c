/*
 * test_config.c — server settings from the environment (server/config.h).
 *
 * config_load() reads through a lookup callback; here that is a fake
 * getenv over a small table, so each test states its whole environment.
 * Covers: the defaults (listen 127.0.0.1:8080, 1 MiB body, pool sized to
 * the threads, public URL derived from the listen address with 0.0.0.0
 * and [::] turned into loopback); values that are read; MCRED_PUBLIC_URL
 * losing its trailing slashes; every bad value refused with err.field
 * naming the variable; config_parse_listen's forms and port bounds; the
 * master key parsed from hex and wiped by config_release.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <sodium.h>

#include "config.h"
#include "mcred/limits.h"

#include "mcred/banned.h"

struct env_var {
    const char *name;
    const char *value;
};

/* The environment fake_getenv answers from; ended by a NULL name. */
static const struct env_var *fake_env;

static const char *fake_getenv(const char *name)
{
    for (const struct env_var *v = fake_env; v && v->name; v++)
        if (strcmp(v->name, name) == 0)
            return v->value;
    return NULL;
}

static enum mc_err load(const struct env_var *env, struct server_config *cfg, struct mc_error *err)
{
    fake_env = env;
    mc_error_clear(err);
    enum mc_err rc = config_load(cfg, fake_getenv, err);
    fake_env = NULL;
    return rc;
}

/* Load with one variable set and expect success. */
static void load_one(const char *name, const char *value, struct server_config *cfg)
{
    const struct env_var env[] = {{name, value}, {NULL, NULL}};
    struct mc_error err;
    enum mc_err rc = load(env, cfg, &err);
    if (rc != MC_OK)
        fail_msg("%s=%s refused: %s", name, value, err.message);
}

/* Load with one variable set and expect MC_ERR_INVALID naming it. */
static void refuse_one(const char *name, const char *value)
{
    const struct env_var env[] = {{name, value}, {NULL, NULL}};
    struct server_config cfg;
    struct mc_error err;
    enum mc_err rc = load(env, &cfg, &err);
    if (rc != MC_ERR_INVALID)
        fail_msg("%s=\"%s\" gave %s, expected invalid", name, value, mc_err_name(rc));
    assert_int_equal(err.code, MC_ERR_INVALID);
    if (strcmp(err.field, name) != 0)
        fail_msg("%s=\"%s\" refused naming \"%s\"", name, value, err.field);
    assert_true(strstr(err.message, name) != NULL);
}

static const char key_hex[] = "000102030405060708090a0b0c0d0e0f"
                              "101112131415161718191a1b1c1d1e1f";

static int group_setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static void test_defaults(void **state)
{
    (void)state;
    static const struct env_var empty[] = {{NULL, NULL}};
    struct server_config cfg;
    struct mc_error err;
    assert_int_equal(load(empty, &cfg, &err), MC_OK);
    assert_string_equal(cfg.listen_host, "127.0.0.1");
    assert_int_equal(cfg.listen_port, 8080);
    assert_int_equal(cfg.max_body, 1048576);
    assert_int_equal(cfg.max_body, MC_MAX_BODY_DEFAULT);
    assert_in_range(cfg.threads, 1, MC_THREADS_MAX);
    assert_int_equal(cfg.db_pool, cfg.threads);
    assert_int_equal(cfg.db_acquire_timeout_ms, 5000);
    assert_int_equal(cfg.request_timeout, 30);
    assert_int_equal(cfg.shutdown_grace, 10);
    assert_false(cfg.has_master_key);
    assert_string_equal(cfg.public_url, "http://127.0.0.1:8080");
    assert_null(cfg.migrations_dir);
    assert_non_null(cfg.database_url);
    assert_string_equal(cfg.database_url, "");
}

/* An empty value counts as unset, not as a bad value. */
static void test_empty_values_mean_default(void **state)
{
    (void)state;
    static const struct env_var env[] = {
        {"MCRED_LISTEN", ""},     {"MCRED_THREADS", ""},
        {"MCRED_MAX_BODY", ""},   {"MCRED_DB_POOL", ""},
        {"MCRED_MASTER_KEY", ""}, {"MCRED_PUBLIC_URL", ""},
        {"MCRED_MIGRATIONS", ""}, {NULL, NULL},
    };
    struct server_config cfg;
    struct mc_error err;
    assert_int_equal(load(env, &cfg, &err), MC_OK);
    assert_int_equal(cfg.listen_port, 8080);
    assert_int_equal(cfg.max_body, 1048576);
    assert_false(cfg.has_master_key);
    assert_string_equal(cfg.public_url, "http://127.0.0.1:8080");
    assert_null(cfg.migrations_dir);
}

static void test_values_are_read(void **state)
{
    (void)state;
    static const struct env_var env[] = {
        {"DATABASE_URL", "postgresql:///mcred"},
        {"MCRED_LISTEN", "10.0.0.5:9090"},
        {"MCRED_THREADS", "4"},
        {"MCRED_DB_POOL", "2"},
        {"MCRED_DB_ACQUIRE_TIMEOUT_MS", "250"},
        {"MCRED_MAX_BODY", "2048"},
        {"MCRED_REQUEST_TIMEOUT", "5"},
        {"MCRED_SHUTDOWN_GRACE", "0"},
        {"MCRED_MIGRATIONS", "/opt/mcred/migrations"},
        {NULL, NULL},
    };
    struct server_config cfg;
    struct mc_error err;
    assert_int_equal(load(env, &cfg, &err), MC_OK);
    assert_string_equal(cfg.database_url, "postgresql:///mcred");
    assert_string_equal(cfg.listen_host, "10.0.0.5");
    assert_int_equal(cfg.listen_port, 9090);
    assert_int_equal(cfg.threads, 4);
    assert_int_equal(cfg.db_pool, 2);
    assert_int_equal(cfg.db_acquire_timeout_ms, 250);
    assert_int_equal(cfg.max_body, 2048);
    assert_int_equal(cfg.request_timeout, 5);
    assert_int_equal(cfg.shutdown_grace, 0);
    assert_string_equal(cfg.migrations_dir, "/opt/mcred/migrations");
    assert_string_equal(cfg.public_url, "http://10.0.0.5:9090");
}

static void test_pool_follows_threads(void **state)
{
    (void)state;
    struct server_config cfg;
    load_one("MCRED_THREADS", "7", &cfg);
    assert_int_equal(cfg.threads, 7);
    assert_int_equal(cfg.db_pool, 7);
}

static void test_number_bounds_accepted(void **state)
{
    (void)state;
    struct server_config cfg;
    load_one("MCRED_THREADS", "1", &cfg);
    assert_int_equal(cfg.threads, 1);
    load_one("MCRED_THREADS", "256", &cfg);
    assert_int_equal(cfg.threads, MC_THREADS_MAX);
    load_one("MCRED_MAX_BODY", "1024", &cfg);
    assert_int_equal(cfg.max_body, 1024);
    load_one("MCRED_MAX_BODY", "67108864", &cfg);
    assert_int_equal(cfg.max_body, MC_MAX_BODY_CEILING);
    load_one("MCRED_DB_POOL", "256", &cfg);
    assert_int_equal(cfg.db_pool, MC_DB_POOL_MAX);
    load_one("MCRED_DB_ACQUIRE_TIMEOUT_MS", "600000", &cfg);
    assert_int_equal(cfg.db_acquire_timeout_ms, 600000);
    load_one("MCRED_THREADS", "0008", &cfg); /* leading zeros are still digits */
    assert_int_equal(cfg.threads, 8);
}

static void test_public_url_derived(void **state)
{
    (void)state;
    static const struct {
        const char *listen;
        const char *host;
        unsigned port;
        const char *url;
    } cases[] = {
        {"0.0.0.0:9000", "0.0.0.0", 9000, "http://127.0.0.1:9000"},
        {"[::]:8080", "::", 8080, "http://[::1]:8080"},
        {"[::1]:8081", "::1", 8081, "http://[::1]:8081"},
        {"[fe80::1]:80", "fe80::1", 80, "http://[fe80::1]:80"},
        {"192.168.1.10:443", "192.168.1.10", 443, "http://192.168.1.10:443"},
        {":9001", "127.0.0.1", 9001, "http://127.0.0.1:9001"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct server_config cfg;
        load_one("MCRED_LISTEN", cases[i].listen, &cfg);
        assert_string_equal(cfg.listen_host, cases[i].host);
        assert_int_equal(cfg.listen_port, cases[i].port);
        if (strcmp(cfg.public_url, cases[i].url) != 0)
            fail_msg("MCRED_LISTEN=%s gave public URL %s, expected %s", cases[i].listen,
                     cfg.public_url, cases[i].url);
    }
}

static void test_public_url_given(void **state)
{
    (void)state;
    static const struct {
        const char *given;
        const char *url;
    } cases[] = {
        {"https://creds.example.org", "https://creds.example.org"},
        {"https://creds.example.org/", "https://creds.example.org"},
        {"https://creds.example.org///", "https://creds.example.org"},
        {"http://example.org:8080/mcred/", "http://example.org:8080/mcred"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct env_var env[] = {
            {"MCRED_LISTEN", "0.0.0.0:1234"},
            {"MCRED_PUBLIC_URL", cases[i].given},
            {NULL, NULL},
        };
        struct server_config cfg;
        struct mc_error err;
        assert_int_equal(load(env, &cfg, &err), MC_OK);
        assert_string_equal(cfg.public_url, cases[i].url);
    }
}

static void test_bad_values_name_the_variable(void **state)
{
    (void)state;
    static const struct env_var bad[] = {
        {"MCRED_THREADS", "0"},
        {"MCRED_THREADS", "abc"},
        {"MCRED_THREADS", "-1"},
        {"MCRED_THREADS", "+4"},
        {"MCRED_THREADS", " 4"},
        {"MCRED_THREADS", "4 "},
        {"MCRED_THREADS", "4k"},
        {"MCRED_THREADS", "1e2"},
        {"MCRED_THREADS", "0x10"},
        {"MCRED_THREADS", "257"},
        {"MCRED_THREADS", "18446744073709551617"},
        {"MCRED_THREADS", "99999999999999999999"},
        {"MCRED_DB_POOL", "0"},
        {"MCRED_DB_POOL", "257"},
        {"MCRED_DB_ACQUIRE_TIMEOUT_MS", "0"},
        {"MCRED_DB_ACQUIRE_TIMEOUT_MS", "600001"},
        {"MCRED_MAX_BODY", "1023"},
        {"MCRED_MAX_BODY", "0"},
        {"MCRED_MAX_BODY", "67108865"},
        {"MCRED_MAX_BODY", "1M"},
        {"MCRED_REQUEST_TIMEOUT", "0"},
        {"MCRED_REQUEST_TIMEOUT", "3601"},
        {"MCRED_SHUTDOWN_GRACE", "3601"},
        {"MCRED_SHUTDOWN_GRACE", "-1"},
        {"MCRED_LISTEN", "127.0.0.1"},
        {"MCRED_LISTEN", "127.0.0.1:"},
        {"MCRED_LISTEN", "localhost"},
        {"MCRED_LISTEN", "::1"},
        {"MCRED_LISTEN", "::1:8080"},
        {"MCRED_LISTEN", "fe80::1:80"},
        {"MCRED_LISTEN", "[::1]"},
        {"MCRED_LISTEN", "[::1]8080"},
        {"MCRED_LISTEN", "[::1:8080"},
        {"MCRED_LISTEN", "127.0.0.1:65536"},
        {"MCRED_LISTEN", "127.0.0.1:http"},
        {"MCRED_LISTEN", "127.0.0.1:-1"},
        {"MCRED_LISTEN", "127.0.0.1: 80"},
        {"MCRED_MASTER_KEY", "00"},
        {"MCRED_MASTER_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1"},
        {"MCRED_MASTER_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0"},
        {"MCRED_MASTER_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g"},
        {"MCRED_MASTER_KEY", "g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"},
        {"MCRED_MASTER_KEY", "000102030405060708090a0b0c0d0e0f 01112131415161718191a1b1c1d1e1f"},
        {"MCRED_MASTER_KEY", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"},
        {"MCRED_PUBLIC_URL", "ftp://example.org"},
        {"MCRED_PUBLIC_URL", "example.org"},
        {"MCRED_PUBLIC_URL", "//example.org"},
        {"MCRED_PUBLIC_URL", "http:/example.org"},
        {"MCRED_PUBLIC_URL", " https://example.org"},
        {"MCRED_PUBLIC_URL", "http://"},
        {"MCRED_PUBLIC_URL", "https:///"},
        {"MCRED_LISTEN", "[]:8080"},
        {"MCRED_DISPATCHER", "yes"},
        {"MCRED_DISPATCHER", "2"},
        {"MCRED_DISPATCHER_SLOTS", "0"},
        {"MCRED_DISPATCHER_SLOTS", "1025"},
        {"MCRED_DISPATCHER_POLL_MS", "9"},
        {"MCRED_WEBHOOK_CONCURRENCY", "0"},
        {"MCRED_WEBHOOK_CONCURRENCY", "1025"},
        {"MCRED_WEBHOOK_TIMEOUT", "0"},
        {"MCRED_WEBHOOK_TIMEOUT", "301"},
        {"MCRED_WEBHOOK_CONNECT_TIMEOUT", "0"},
        {"MCRED_WEBHOOK_RETRY_SCHEDULE", "5,,300"},
        {"MCRED_WEBHOOK_RETRY_SCHEDULE", "0"},
        {"MCRED_WEBHOOK_RETRY_SCHEDULE", "5m"},
        {NULL, NULL},
    };
    for (size_t i = 0; bad[i].name; i++)
        refuse_one(bad[i].name, bad[i].value);
}

/* A stray comma in MCRED_TRUSTED_PROXIES is said in words in the one-line message that stops the
 * server, not as `not ""`; any other entry is quoted. */
static void test_trusted_proxies_message(void **state)
{
    (void)state;
    static const struct {
        const char *value, *words;
    } cases[] = {
        {"10.0.0.0/8,", "not an empty entry (a stray comma)"},
        {",,", "not an empty entry (a stray comma)"},
        {"10.0.0.0/8, proxy.example", "not \"proxy.example\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct env_var env[] = {{"MCRED_TRUSTED_PROXIES", cases[i].value}, {NULL, NULL}};
        struct server_config cfg;
        struct mc_error err;
        assert_int_equal(load(env, &cfg, &err), MC_ERR_INVALID);
        assert_string_equal(err.field, "MCRED_TRUSTED_PROXIES");
        if (!strstr(err.message, cases[i].words) || strstr(err.message, "not \"\"") ||
            strchr(err.message, '\n'))
            fail_msg("MCRED_TRUSTED_PROXIES=\"%s\": %s", cases[i].value, err.message);
        assert_non_null(strstr(err.message, "MCRED_TRUSTED_PROXIES must be"));
    }
}

static void test_dispatcher_settings(void **state)
{
    (void)state;
    static const struct env_var empty[] = {{NULL, NULL}};
    struct server_config cfg;
    struct mc_error err;
    assert_int_equal(load(empty, &cfg, &err), MC_OK);
    assert_true(cfg.dispatcher);
    assert_int_equal(cfg.dispatcher_slots, 256);
    assert_int_equal(cfg.dispatcher_poll_ms, 500);
    assert_int_equal(cfg.webhook_concurrency, 128);
    assert_int_equal(cfg.webhook_timeout, 10);
    assert_int_equal(cfg.webhook_connect_timeout, 5);
    assert_int_equal(cfg.retry_schedule.n, 7);
    assert_int_equal(cfg.retry_schedule.seconds[6], 36000);
    static const struct env_var env[] = {
        {"MCRED_DISPATCHER", "0"},
        {"MCRED_DISPATCHER_SLOTS", "8"},
        {"MCRED_WEBHOOK_CONCURRENCY", "2"},
        {"MCRED_WEBHOOK_TIMEOUT", "3"},
        {"MCRED_WEBHOOK_RETRY_SCHEDULE", "1,2"},
        {NULL, NULL},
    };
    assert_int_equal(load(env, &cfg, &err), MC_OK);
    assert_false(cfg.dispatcher);
    assert_int_equal(cfg.dispatcher_slots, 8);
    assert_int_equal(cfg.webhook_concurrency, 2);
    assert_int_equal(cfg.webhook_timeout, 3);
    assert_int_equal(cfg.retry_schedule.n, 2);
    assert_int_equal(cfg.retry_schedule.seconds[1], 2);
    load_one("MCRED_DISPATCHER", "1", &cfg);
    assert_true(cfg.dispatcher);
}

static void test_public_url_too_long(void **state)
{
    (void)state;
    char url[MC_MAX_PUBLIC_URL + 16];
    memcpy(url, "https://", 8);
    memset(url + 8, 'a', sizeof url - 9);
    url[sizeof url - 1] = '\0';
    refuse_one("MCRED_PUBLIC_URL", url);
    /* one byte under the array, it fits */
    url[MC_MAX_PUBLIC_URL - 1] = '\0';
    struct server_config cfg;
    load_one("MCRED_PUBLIC_URL", url, &cfg);
    assert_string_equal(cfg.public_url, url);
}

static void test_master_key(void **state)
{
    (void)state;
    struct server_config cfg;
    load_one("MCRED_MASTER_KEY", key_hex, &cfg);
    assert_true(cfg.has_master_key);
    for (unsigned i = 0; i < MC_MASTER_KEY_BYTES; i++)
        assert_int_equal(cfg.master_key[i], i);
    config_release(&cfg);
    assert_false(cfg.has_master_key);
    static const unsigned char zero[MC_MASTER_KEY_BYTES];
    assert_memory_equal(cfg.master_key, zero, sizeof zero);

    load_one("MCRED_MASTER_KEY", "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
             &cfg);
    assert_int_equal(cfg.master_key[31], 0x1f);
    config_release(&cfg);
}

static void test_parse_master_key(void **state)
{
    (void)state;
    unsigned char key[MC_MASTER_KEY_BYTES];
    assert_int_equal(config_parse_master_key(key_hex, key), MC_OK);
    assert_int_equal(key[0], 0x00);
    assert_int_equal(key[16], 0x10);
    assert_int_equal(key[31], 0x1f);
    assert_int_equal(config_parse_master_key("", key), MC_ERR_INVALID);
    assert_int_equal(config_parse_master_key("0g", key), MC_ERR_INVALID);
}

/* Expect config_parse_listen to give host and port. */
static void listen_is(const char *s, const char *host, unsigned port)
{
    char h[MC_MAX_HOST];
    unsigned short p = 1;
    enum mc_err rc = config_parse_listen(s, h, &p);
    if (rc != MC_OK)
        fail_msg("\"%s\" refused", s);
    assert_string_equal(h, host);
    assert_int_equal(p, port);
}

/* Expect a refusal, with host and port untouched. */
static void listen_refused(const char *s)
{
    char h[MC_MAX_HOST] = "untouched";
    unsigned short p = 4242;
    if (config_parse_listen(s, h, &p) != MC_ERR_INVALID)
        fail_msg("\"%s\" accepted", s);
    assert_string_equal(h, "untouched");
    assert_int_equal(p, 4242);
}

static void test_parse_listen(void **state)
{
    (void)state;
    listen_is("127.0.0.1:8080", "127.0.0.1", 8080);
    listen_is("example.internal:80", "example.internal", 80);
    listen_is("[::1]:8080", "::1", 8080);
    listen_is("[::]:0", "::", 0);
    listen_is("[::ffff:10.0.0.1]:443", "::ffff:10.0.0.1", 443);
    listen_is(":9000", "127.0.0.1", 9000);
    listen_is("0.0.0.0:0", "0.0.0.0", 0);
    listen_is("127.0.0.1:65535", "127.0.0.1", 65535);

    listen_refused("127.0.0.1:65536");
    listen_refused("127.0.0.1:99999999999999999999");
    listen_refused("127.0.0.1");
    listen_refused("127.0.0.1:");
    listen_refused(":");
    listen_refused("");
    listen_refused("::1");
    listen_refused("::1:8080");
    listen_refused("[::1]");
    listen_refused("[::1]:");
    listen_refused("[::1]8080");
    listen_refused("[::1:8080");
    listen_refused("host:8o");
}

static void test_parse_listen_host_length(void **state)
{
    (void)state;
    char s[MC_MAX_HOST + 16];
    memset(s, 'h', MC_MAX_HOST - 1);
    memcpy(s + MC_MAX_HOST - 1, ":80", 4);
    char h[MC_MAX_HOST];
    unsigned short p = 0;
    assert_int_equal(config_parse_listen(s, h, &p), MC_OK);
    assert_int_equal(strlen(h), MC_MAX_HOST - 1);
    assert_int_equal(p, 80);
    memset(s, 'h', MC_MAX_HOST);
    memcpy(s + MC_MAX_HOST, ":80", 4);
    listen_refused(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_empty_values_mean_default),
        cmocka_unit_test(test_values_are_read),
        cmocka_unit_test(test_pool_follows_threads),
        cmocka_unit_test(test_number_bounds_accepted),
        cmocka_unit_test(test_public_url_derived),
        cmocka_unit_test(test_public_url_given),
        cmocka_unit_test(test_bad_values_name_the_variable),
        cmocka_unit_test(test_trusted_proxies_message),
        cmocka_unit_test(test_dispatcher_settings),
        cmocka_unit_test(test_public_url_too_long),
        cmocka_unit_test(test_master_key),
        cmocka_unit_test(test_parse_master_key),
        cmocka_unit_test(test_parse_listen),
        cmocka_unit_test(test_parse_listen_host_length),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
