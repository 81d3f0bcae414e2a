/*
 * test_cli_webhook.c — what `mcred webhook` checks and shows without a
 * server: the event types of --events, subscriptions with their events
 * joined for a table, deliveries and their attempt logs made into table
 * rows, the usage errors the verbs give before sending anything, and that
 * every verb documents itself in the house style.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mcred/events.h"

#include "cli.h"
#include "commands.h"
#include "webhook_input.h"

#include "mcred/banned.h"

static bool valid(const char *s)
{
    return cli_webhook_event_valid(s, strlen(s));
}

static void test_event_valid(void **state)
{
    static const char *const good[] = {"*",
                                       "score.recorded",
                                       "member.enrolled",
                                       "webhook.test",
                                       "credential.eligible",
                                       "a.b",
                                       "a1_x.b2_y",
                                       NULL};
    static const char *const bad[] = {"",
                                      "**",
                                      "score",
                                      "score.",
                                      ".recorded",
                                      "score.recorded.now",
                                      "Score.recorded",
                                      "score.Recorded",
                                      "1score.recorded",
                                      "score._recorded",
                                      "score-x.recorded",
                                      "score.*",
                                      "*.recorded",
                                      "score recorded",
                                      "score.recorded ",
                                      "scöre.recorded",
                                      NULL};
    char longest[CLI_WEBHOOK_MAX_EVENT + 2];

    (void)state;
    for (size_t i = 0; good[i]; i++) {
        if (!valid(good[i]))
            fail_msg("'%s' should be an event type", good[i]);
    }
    for (size_t i = 0; bad[i]; i++) {
        if (valid(bad[i]))
            fail_msg("'%s' should not be an event type", bad[i]);
    }
    /* At most CLI_WEBHOOK_MAX_EVENT bytes. */
    memset(longest, 'a', sizeof(longest));
    longest[1] = '.';
    assert_true(cli_webhook_event_valid(longest, CLI_WEBHOOK_MAX_EVENT));
    assert_false(cli_webhook_event_valid(longest, CLI_WEBHOOK_MAX_EVENT + 1));
    /* Only the len bytes count: a prefix of a longer string. */
    assert_true(cli_webhook_event_valid("score.recorded,member.enrolled", 14));
}

/* Parse s; on success return the events as compact JSON (free it), else NULL with *out_err. */
static char *parse(const char *s, struct mc_error *out_err)
{
    cJSON *events = (cJSON *)(uintptr_t)1; /* untouched on failure */
    char *text;
    enum mc_err rc;

    mc_error_clear(out_err);
    rc = cli_webhook_events_parse(s, &events, out_err);
    if (rc != MC_OK) {
        assert_int_equal(rc, MC_ERR_INVALID);
        assert_int_equal(out_err->code, MC_ERR_INVALID);
        assert_string_equal(out_err->field, "events");
        assert_ptr_equal(events, (cJSON *)(uintptr_t)1);
        return NULL;
    }
    assert_true(cJSON_IsArray(events));
    text = cJSON_PrintUnformatted(events);
    assert_non_null(text);
    cJSON_Delete(events);
    return text;
}

static void test_events_parse(void **state)
{
    static const struct {
        const char *in, *out;
    } good[] = {
        {"*", "[\"*\"]"},
        {"score.recorded", "[\"score.recorded\"]"},
        {"score.recorded,member.enrolled", "[\"score.recorded\",\"member.enrolled\"]"},
        /* spaces around items are dropped; a repeated item counts once */
        {" score.recorded , member.enrolled\t", "[\"score.recorded\",\"member.enrolled\"]"},
        {"a.b,c.d,a.b", "[\"a.b\",\"c.d\"]"},
        {"*,*", "[\"*\"]"},
    };
    struct mc_error err;
    char *text;

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        text = parse(good[i].in, &err);
        if (!text)
            fail_msg("'%s': %s", good[i].in, mc_error_message(&err));
        assert_string_equal(text, good[i].out);
        cJSON_free(text);
    }
}

/* Parsing s fails with a message that contains `part`. */
static void refused(const char *s, const char *part)
{
    struct mc_error err;
    char *text = parse(s, &err);

    if (text)
        fail_msg("'%s' should be refused, gave %s", s, text);
    if (!strstr(mc_error_message(&err), part))
        fail_msg("'%s': message '%s' lacks '%s'", s, mc_error_message(&err), part);
    assert_non_null(strstr(mc_error_message(&err), "--events"));
}

static void test_events_refused(void **state)
{
    char many[CLI_WEBHOOK_MAX_EVENTS * 8 + 16];
    char expected[96];
    size_t len = 0;

    (void)state;
    refused("", "at least one");
    refused("  ", "at least one");
    refused(",", "empty item");
    refused("a.b,", "empty item");
    refused(",a.b", "empty item");
    refused("a.b,,c.d", "empty item");
    refused("a.b, ,c.d", "empty item");
    refused("score", "'score' is not an event type");
    refused("a.b,Score.Recorded", "'Score.Recorded' is not an event type");
    refused("score.recorded;member.enrolled", "'score.recorded;member.enrolled'");
    refused("*,score.recorded", "* means every event");
    refused("score.recorded,*", "* means every event");
    /* what is quoted is cleaned for the terminal and cut */
    refused("bad\x1b[31m.x", "'bad?[31m.x'");
    memset(many, 'x', 100);
    many[100] = '\0';
    memcpy(expected, "'", 1);
    memset(expected + 1, 'x', 64);
    (void)snprintf(expected + 65, sizeof(expected) - 65, "…' is not");
    refused(many, expected);
    /* CLI_WEBHOOK_MAX_EVENTS distinct items pass, one more does not */
    for (int i = 0; i < CLI_WEBHOOK_MAX_EVENTS; i++)
        len += (size_t)snprintf(many + len, sizeof(many) - len, "%sa.e%d", i ? "," : "", i);
    {
        struct mc_error err;
        char *text = parse(many, &err);

        assert_non_null(text);
        cJSON_free(text);
    }
    (void)snprintf(many + len, sizeof(many) - len, ",a.b");
    refused(many, "more than 32 event types");
}

static void test_view(void **state)
{
    cJSON *webhook = cJSON_Parse("{\"id\":\"w1\",\"url\":\"https://h.example/x\","
                                 "\"events\":[\"score.recorded\",\"member.enrolled\"],"
                                 "\"active\":true,\"rotating\":false}");
    cJSON *list = cJSON_Parse("[{\"id\":\"w1\",\"events\":[\"*\"]},{\"id\":\"w2\",\"events\":[]},"
                              "{\"id\":\"w3\",\"events\":[1,2]},{\"id\":\"w4\"}]");
    cJSON *view, *rows;
    char *text;

    (void)state;
    assert_non_null(webhook);
    assert_non_null(list);
    view = cli_webhook_view(webhook);
    assert_non_null(view);
    text = cJSON_PrintUnformatted(view);
    assert_string_equal(text, "{\"id\":\"w1\",\"url\":\"https://h.example/x\","
                              "\"events\":\"score.recorded,member.enrolled\","
                              "\"active\":true,\"rotating\":false}");
    cJSON_free(text);
    cJSON_Delete(view);
    /* the original is untouched */
    assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(webhook, "events")));
    /* rows: an empty list is empty; what is not a list of strings is left as it came */
    rows = cli_webhook_rows(list);
    assert_non_null(rows);
    text = cJSON_PrintUnformatted(rows);
    assert_string_equal(text, "[{\"id\":\"w1\",\"events\":\"*\"},{\"id\":\"w2\",\"events\":\"\"},"
                              "{\"id\":\"w3\",\"events\":[1,2]},{\"id\":\"w4\"}]");
    cJSON_free(text);
    cJSON_Delete(rows);
    /* no items: no rows */
    rows = cli_webhook_rows(NULL);
    assert_non_null(rows);
    assert_int_equal(cJSON_GetArraySize(rows), 0);
    cJSON_Delete(rows);
    cJSON_Delete(list);
    cJSON_Delete(webhook);
}

static void test_delivery_status(void **state)
{
    static const char *const bad[] = {"",  "Pending", "pending ", " pending",    "done", "retry",
                                      "*", "pend",    "pendingx", "failed,dead", NULL};

    (void)state;
    for (size_t i = 0; cli_delivery_statuses[i]; i++)
        assert_true(cli_delivery_status_valid(cli_delivery_statuses[i]));
    assert_true(cli_delivery_status_valid("pending"));
    assert_true(cli_delivery_status_valid("succeeded"));
    assert_true(cli_delivery_status_valid("failed"));
    assert_true(cli_delivery_status_valid("dead"));
    for (size_t i = 0; bad[i]; i++) {
        if (cli_delivery_status_valid(bad[i]))
            fail_msg("'%s' should not be a delivery status", bad[i]);
    }
    /* --event filters by one type: never * nor a list */
    assert_true(cli_delivery_event_valid("score.recorded"));
    assert_true(cli_delivery_event_valid("webhook.test"));
    assert_false(cli_delivery_event_valid("*"));
    assert_false(cli_delivery_event_valid(""));
    assert_false(cli_delivery_event_valid("score"));
    assert_false(cli_delivery_event_valid("score.recorded,member.enrolled"));
    assert_false(cli_delivery_event_valid("Score.Recorded"));
}

/* The compact JSON of `json` (free it), asserting it is not NULL. */
static char *compact(cJSON *json)
{
    char *text;

    assert_non_null(json);
    text = cJSON_PrintUnformatted(json);
    assert_non_null(text);
    return text;
}

static void test_delivery_rows(void **state)
{
    /* A page as the server sends it: pending with a next attempt, succeeded, dead with an
     * error, and one of a shape we do not know. */
    cJSON *list = cJSON_Parse(
        "{\"items\":["
        "{\"id\":\"d1\",\"webhook_id\":\"w1\",\"event_id\":\"msg_1\","
        "\"event_type\":\"score.recorded\",\"status\":\"pending\",\"attempts\":0,"
        "\"next_attempt_at\":\"2025-05-01T10:00:00Z\",\"last_attempt_at\":null,"
        "\"response_status\":null,\"latency_ms\":null,\"error\":null,"
        "\"created_at\":\"2025-05-01T10:00:00Z\",\"updated_at\":\"2025-05-01T10:00:00Z\"},"
        "{\"id\":\"d2\",\"event_type\":\"webhook.test\",\"status\":\"succeeded\",\"attempts\":1,"
        "\"next_attempt_at\":null,\"response_status\":204,\"latency_ms\":87,\"error\":null},"
        "{\"id\":\"d3\",\"event_type\":\"member.enrolled\",\"status\":\"dead\",\"attempts\":8,"
        "\"response_status\":500,\"latency_ms\":1200,\"error\":\"server answered 500\"},"
        "\"odd\"],\"next\":\"c2\"}");
    cJSON *rows;
    char *text;

    (void)state;
    assert_non_null(list);
    rows = cli_delivery_rows(cJSON_GetObjectItemCaseSensitive(list, "items"));
    text = compact(rows);
    assert_string_equal(
        text,
        "[{\"id\":\"d1\",\"webhook_id\":\"w1\",\"event_id\":\"msg_1\","
        "\"event_type\":\"score.recorded\",\"status\":\"pending\",\"attempts\":0,"
        "\"next_attempt_at\":\"2025-05-01T10:00:00Z\",\"last_attempt_at\":null,"
        "\"response_status\":null,\"latency_ms\":null,\"error\":null,"
        "\"created_at\":\"2025-05-01T10:00:00Z\",\"updated_at\":\"2025-05-01T10:00:00Z\"},"
        /* nothing more will be tried: NEXT is "-"; latency in ms */
        "{\"id\":\"d2\",\"event_type\":\"webhook.test\",\"status\":\"succeeded\",\"attempts\":1,"
        "\"next_attempt_at\":\"-\",\"response_status\":204,\"latency_ms\":\"87 ms\","
        "\"error\":null},"
        /* a missing next_attempt_at is "-" too */
        "{\"id\":\"d3\",\"event_type\":\"member.enrolled\",\"status\":\"dead\",\"attempts\":8,"
        "\"response_status\":500,\"latency_ms\":\"1200 ms\",\"error\":\"server answered 500\","
        "\"next_attempt_at\":\"-\"},"
        "\"odd\"]");
    cJSON_free(text);
    cJSON_Delete(rows);
    /* the answer is untouched */
    text = compact(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(list, "items"), 1));
    assert_non_null(strstr(text, "\"next_attempt_at\":null"));
    assert_non_null(strstr(text, "\"latency_ms\":87"));
    cJSON_free(text);
    /* no items: no rows */
    rows = cli_delivery_rows(NULL);
    assert_non_null(rows);
    assert_int_equal(cJSON_GetArraySize(rows), 0);
    cJSON_Delete(rows);
    cJSON_Delete(list);
}

static void test_delivery_view(void **state)
{
    cJSON *delivery = cJSON_Parse(
        "{\"id\":\"d3\",\"event_type\":\"member.enrolled\",\"status\":\"failed\",\"attempts\":2,"
        "\"next_attempt_at\":\"2025-05-01T10:05:00Z\",\"response_status\":null,"
        "\"latency_ms\":10000,\"error\":\"timed out\",\"log\":["
        "{\"attempt\":1,\"at\":\"2025-05-01T10:00:00Z\",\"response_status\":503,"
        "\"latency_ms\":40,\"error\":\"server answered 503\"},"
        "{\"attempt\":2,\"at\":\"2025-05-01T10:01:00Z\",\"response_status\":null,"
        "\"latency_ms\":10000,\"error\":\"timed out\"}]}");
    cJSON *odd = cJSON_Parse("{\"id\":\"d4\",\"latency_ms\":-1,\"log\":\"x\"}");
    cJSON *view, *log;
    char *text;

    (void)state;
    assert_non_null(delivery);
    assert_non_null(odd);
    /* the view: without the log, which is a table of its own */
    view = cli_delivery_view(delivery);
    text = compact(view);
    assert_string_equal(
        text, "{\"id\":\"d3\",\"event_type\":\"member.enrolled\",\"status\":\"failed\","
              "\"attempts\":2,\"next_attempt_at\":\"2025-05-01T10:05:00Z\","
              "\"response_status\":null,\"latency_ms\":\"10000 ms\",\"error\":\"timed out\"}");
    cJSON_free(text);
    cJSON_Delete(view);
    /* the log, oldest first, as it came but for the latency */
    log = cli_delivery_log_rows(delivery);
    text = compact(log);
    assert_string_equal(text, "[{\"attempt\":1,\"at\":\"2025-05-01T10:00:00Z\","
                              "\"response_status\":503,\"latency_ms\":\"40 ms\","
                              "\"error\":\"server answered 503\"},"
                              "{\"attempt\":2,\"at\":\"2025-05-01T10:01:00Z\","
                              "\"response_status\":null,\"latency_ms\":\"10000 ms\","
                              "\"error\":\"timed out\"}]");
    cJSON_free(text);
    cJSON_Delete(log);
    /* a log that is not a list, or none: no rows; an odd latency is left as it came */
    log = cli_delivery_log_rows(odd);
    assert_non_null(log);
    assert_int_equal(cJSON_GetArraySize(log), 0);
    cJSON_Delete(log);
    log = cli_delivery_log_rows(NULL);
    assert_non_null(log);
    assert_int_equal(cJSON_GetArraySize(log), 0);
    cJSON_Delete(log);
    view = cli_delivery_view(odd);
    text = compact(view);
    assert_string_equal(text, "{\"id\":\"d4\",\"latency_ms\":-1,\"next_attempt_at\":\"-\"}");
    cJSON_free(text);
    cJSON_Delete(view);
    cJSON_Delete(odd);
    cJSON_Delete(delivery);
}

/* cli_delivery_note() of `json` for `done`. */
static void note_is(const char *json, enum cli_delivery_done done, const char *expected)
{
    cJSON *delivery = cJSON_Parse(json);
    struct mc_buf line;

    assert_non_null(delivery);
    mc_buf_init(&line, 1024);
    assert_int_equal(cli_delivery_note(delivery, done, &line), MC_OK);
    assert_string_equal(line.data, expected);
    mc_buf_release(&line);
    cJSON_Delete(delivery);
}

static void test_delivery_note(void **state)
{
    (void)state;
    note_is("{\"id\":\"d1\",\"status\":\"pending\"}", CLI_DELIVERY_QUEUED,
            "test event queued as delivery d1");
    note_is("{\"id\":\"d1\",\"status\":\"pending\"}", CLI_DELIVERY_RETRIED,
            "delivery d1 will be retried now");
    /* no id: still a sentence */
    note_is("{\"status\":\"pending\"}", CLI_DELIVERY_QUEUED, "test event queued");
    note_is("{\"id\":7}", CLI_DELIVERY_RETRIED, "the delivery will be retried now");
    /* what the server sent is cleaned for the terminal, and not cut */
    note_is("{\"id\":\"d\\u001b[2J\\n1\"}", CLI_DELIVERY_RETRIED,
            "delivery d?[2J 1 will be retried now");
    note_is("{\"id\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}",
            CLI_DELIVERY_QUEUED,
            "test event queued as delivery "
            "0123456789012345678901234567890123456789012345678901234567890123456789");
}

/* What `mcred webhook ARGS…` prints and returns, with no server behind it. */
struct result {
    int code;
    char *out, *err;
};

static struct result run(int argc, char **argv)
{
    /* Nothing listens on port 1: a request that went out would fail with exit 1. */
    struct cli_ctx ctx = {.url = "http://127.0.0.1:1", .token = "t", .width = 80};
    struct result r;
    size_t olen = 0, elen = 0;

    ctx.out = open_memstream(&r.out, &olen);
    ctx.err = open_memstream(&r.err, &elen);
    assert_non_null(ctx.out);
    assert_non_null(ctx.err);
    r.code = cli_dispatch_verbs(&ctx, "webhook", webhook_verbs, argc, argv);
    assert_int_equal(fclose(ctx.out), 0);
    assert_int_equal(fclose(ctx.err), 0);
    return r;
}

#define ARGV(...) ((char *[]){"webhook", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"webhook", __VA_ARGS__}) / sizeof(char *)))
#define RUN(...)  run(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void expect(struct result r, int code, const char *err_part)
{
    if (r.code != code || !strstr(r.err, err_part))
        fail_msg("exit %d, stderr '%s'; wanted exit %d and '%s'", r.code, r.err, code, err_part);
    assert_string_equal(r.out, "");
    free(r.out);
    free(r.err);
}

static void test_usage_errors(void **state)
{
    struct result r;

    (void)state;
    expect(RUN("add", "https://h.example/x", "--events", "score"), CLI_EXIT_USAGE,
           "mcred: --events: 'score' is not an event type");
    expect(RUN("add", "https://h.example/x", "--events", "a.b,"), CLI_EXIT_USAGE,
           "see 'mcred webhook add --help'");
    expect(RUN("add"), CLI_EXIT_USAGE, "URL");
    expect(RUN("update", "w1"), CLI_EXIT_USAGE, "nothing to change; give --url or --events");
    expect(RUN("update", "w1", "--events", "*,a.b"), CLI_EXIT_USAGE,
           "see 'mcred webhook update --help'");
    expect(RUN("list", "--limit", "0"), CLI_EXIT_USAGE, "--limit must be a number from 1 to 500");
    expect(RUN("pause"), CLI_EXIT_USAGE, "ID");
    expect(RUN("resume", "w1", "w2"), CLI_EXIT_USAGE, "webhook resume");
    expect(RUN("remove", "--force", "w1"), CLI_EXIT_USAGE, "--force");
    expect(RUN("test"), CLI_EXIT_USAGE, "ID");
    expect(RUN("test", "w1", "--events", "a.b"), CLI_EXIT_USAGE, "--events");
    /* deliveries: --status, --event and --limit are checked before anything is sent */
    expect(RUN("deliveries", "w1", "--status", "done"), CLI_EXIT_USAGE,
           "mcred: --status must be pending, succeeded, failed or dead; "
           "see 'mcred webhook deliveries --help'");
    expect(RUN("deliveries", "w1", "--status=Pending"), CLI_EXIT_USAGE,
           "--status must be pending, succeeded, failed or dead");
    expect(RUN("deliveries", "w1", "--event", "*"), CLI_EXIT_USAGE,
           "--event must be one event type");
    expect(RUN("deliveries", "w1", "--event", "score.recorded,member.enrolled"), CLI_EXIT_USAGE,
           "--event must be one event type");
    expect(RUN("deliveries", "w1", "--limit", "501"), CLI_EXIT_USAGE,
           "--limit must be a number from 1 to 500");
    expect(RUN("deliveries", "--status", "failed"), CLI_EXIT_USAGE, "ID");
    expect(RUN("deliveries", "w1", "--status", "failed", "--status", "dead"), CLI_EXIT_USAGE,
           "--status");
    expect(RUN("delivery"), CLI_EXIT_USAGE, "DELIVERY_ID");
    expect(RUN("delivery", "d1", "d2"), CLI_EXIT_USAGE, "webhook delivery");
    expect(RUN("retry"), CLI_EXIT_USAGE, "DELIVERY_ID");
    expect(RUN("retry", "d1", "--all"), CLI_EXIT_USAGE, "--all");
    /* with good options, the request goes out (and finds nobody on port 1) */
    r = RUN("deliveries", "w1", "--status", "dead", "--event", "webhook.test", "--limit", "5",
            "--all");
    assert_int_equal(r.code, CLI_EXIT_ERROR);
    assert_non_null(strstr(r.err, "could not reach"));
    free(r.out);
    free(r.err);
    /* every verb has --help, on stdout */
    for (const struct cli_verb *v = webhook_verbs; v->name; v++) {
        r = RUN((char *)v->name, "--help");
        assert_int_equal(r.code, CLI_EXIT_OK);
        assert_string_equal(r.out, v->usage);
        free(r.out);
        free(r.err);
    }
}

/* Every verb: a summary, and a usage that starts "usage: mcred webhook VERB", ends in a
 * newline and fits 79 columns. */
static void test_verb_table(void **state)
{
    static const char *const verbs[] = {"add",    "list",       "show",     "pause",
                                        "resume", "update",     "rotate",   "remove",
                                        "test",   "deliveries", "delivery", "retry"};
    size_t n = 0;

    (void)state;
    for (const struct cli_verb *v = webhook_verbs; v->name; v++, n++) {
        char start[128];

        assert_true(n < sizeof(verbs) / sizeof(verbs[0]));
        assert_string_equal(v->name, verbs[n]);
        (void)snprintf(start, sizeof(start), "usage: mcred webhook %s", v->name);
        assert_non_null(v->fn);
        assert_non_null(v->summary);
        assert_non_null(v->usage);
        assert_int_equal(strncmp(v->usage, start, strlen(start)), 0);
        assert_int_equal(v->usage[strlen(v->usage) - 1], '\n');
        for (const char *line = v->usage; *line;) {
            const char *end = strchr(line, '\n');

            if (end - line > 79)
                fail_msg("mcred webhook %s: a usage line is too long: %.*s", v->name,
                         (int)(end - line), line);
            line = end + 1;
        }
    }
    assert_int_equal(n, sizeof(verbs) / sizeof(verbs[0]));
}

/* The help of every verb that takes event types lists every type of the one table. */
static void test_help_lists_event_types(void **state)
{
    static const char *const verbs[] = {"add", "update", "deliveries"};

    (void)state;
    assert_true(mc_event_type_count >= 13);
    for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
        const struct cli_verb *verb = webhook_verbs;
        while (verb->name && strcmp(verb->name, verbs[v]) != 0)
            verb++;
        assert_non_null(verb->name);
        assert_non_null(strstr(verb->usage, "\nEvent types:\n"));
        for (size_t i = 0; i < mc_event_type_count; i++) {
            char line[128];
            (void)snprintf(line, sizeof(line), "\n  %s: ", mc_event_types[i]);
            if (!strstr(verb->usage, line))
                fail_msg("'webhook %s --help' does not list %s", verbs[v], mc_event_types[i]);
            assert_true(valid(mc_event_types[i]));
            assert_true(mc_event_type_known(mc_event_types[i]));
        }
    }
    assert_false(mc_event_type_known("*"));
    assert_false(mc_event_type_known("score.recordedx"));
    assert_false(mc_event_type_known("score"));
    assert_false(mc_event_type_known(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_valid),
        cmocka_unit_test(test_events_parse),
        cmocka_unit_test(test_events_refused),
        cmocka_unit_test(test_view),
        cmocka_unit_test(test_delivery_status),
        cmocka_unit_test(test_delivery_rows),
        cmocka_unit_test(test_delivery_view),
        cmocka_unit_test(test_delivery_note),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_verb_table),
        cmocka_unit_test(test_help_lists_event_types),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
