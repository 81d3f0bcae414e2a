/*
 * test_cli_webhook.c — what `mcred webhook` checks and shows without a
 * server: the event types of --events, subscriptions with their events
 * joined for a table, the usage errors the verbs give before sending
 * anything, and that every verb documents itself in the house style.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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
    /* the later verbs are not there yet */
    expect(RUN("test", "w1"), CLI_EXIT_USAGE, "test");
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
    static const char *const verbs[] = {"add",    "list",   "show",   "pause",
                                        "resume", "update", "rotate", "remove"};
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_valid),    cmocka_unit_test(test_events_parse),
        cmocka_unit_test(test_events_refused), cmocka_unit_test(test_view),
        cmocka_unit_test(test_usage_errors),   cmocka_unit_test(test_verb_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
