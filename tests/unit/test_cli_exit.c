/*
 * test_cli_exit.c — from an HTTP answer to an exit code and one line on
 * stderr (DESIGN.md §7), and percent-encoding of path segments.
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
#include "http.h"

#include "mcred/banned.h"

static void test_exit_for_status(void **state)
{
    static const struct {
        long status;
        int code;
    } cases[] = {
        {200, CLI_EXIT_OK},     {201, CLI_EXIT_OK},     {204, CLI_EXIT_OK},
        {299, CLI_EXIT_OK},     {100, CLI_EXIT_ERROR},  {301, CLI_EXIT_ERROR},
        {302, CLI_EXIT_ERROR},  {304, CLI_EXIT_ERROR},  {400, CLI_EXIT_ERROR},
        {401, CLI_EXIT_DENIED}, {403, CLI_EXIT_DENIED}, {404, CLI_EXIT_NOT_FOUND},
        {405, CLI_EXIT_ERROR},  {409, CLI_EXIT_ERROR},  {413, CLI_EXIT_ERROR},
        {422, CLI_EXIT_ERROR},  {429, CLI_EXIT_ERROR},  {500, CLI_EXIT_ERROR},
        {503, CLI_EXIT_ERROR},  {0, CLI_EXIT_ERROR},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(cli_exit_for_status(cases[i].status), cases[i].code);
}

static void test_error_line(void **state)
{
    static const struct {
        long status;
        const char *body;
        int code;
        const char *line;
    } cases[] = {
        {422,
         "{\"error\": {\"code\": \"invalid\", \"message\": \"email is not an e-mail address\","
         " \"field\": \"email\"}}",
         CLI_EXIT_ERROR, "email is not an e-mail address (field: email)"},
        {404, "{\"error\": {\"code\": \"not_found\", \"message\": \"no cohort c_9\"}}",
         CLI_EXIT_NOT_FOUND, "no cohort c_9"},
        {401, "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"token expired\"}}",
         CLI_EXIT_DENIED, "token expired"},
        {403,
         "{\"error\": {\"code\": \"forbidden\", \"message\": \"coordinators only\","
         " \"field\": \"\"}}",
         CLI_EXIT_DENIED, "coordinators only"}, /* an empty field is no field */
        {409, "{\"error\": {\"code\": \"conflict\"}}", CLI_EXIT_ERROR, "conflict"},
        {503, "{\"error\": {\"code\": \"unavailable\", \"message\": \"database down\"}}\n",
         CLI_EXIT_ERROR, "database down"},
        /* Not the error shape, or not JSON: not mcred-server talking, exit 1, and what
         * could be read of the body (without HTML tags, on one line). */
        {404, "<html><body>Not Found</body></html>", CLI_EXIT_ERROR,
         "server answered 404: Not Found"},
        {403, "Forbidden", CLI_EXIT_ERROR, "server answered 403: Forbidden"},
        {502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>\r\n",
         CLI_EXIT_ERROR, "server answered 502: 502 Bad Gateway"},
        {500, "", CLI_EXIT_ERROR, "server answered 500"},
        {500, "<p>\n</p>", CLI_EXIT_ERROR, "server answered 500"},
        {502, "{\"message\": \"bad gateway\"}", CLI_EXIT_ERROR,
         "server answered 502: bad gateway (the answer was not valid JSON)"},
        {400, "{\"error\": \"bad\"}", CLI_EXIT_ERROR, "server answered 400: {\"error\": \"bad\"}"},
        {400, "[1, 2]", CLI_EXIT_ERROR, "server answered 400: [1, 2]"},
        {302, "", CLI_EXIT_ERROR, "server answered 302"},
        /* An error body that is not JSON (raw UTF-16 echoed): its message, cleaned,
         * and the exit code of its status. */
        {404, "{\"error\":{\"message\":\"no cohort \xC0\xAF\"}}", CLI_EXIT_NOT_FOUND,
         "server answered 404: no cohort ?? (the answer was not valid JSON)"},
        {400, "\x01\x02\xFF binary\x1b[2J", CLI_EXIT_ERROR, "server answered 400: ??? binary?[2J"},
        /* Escape sequences from the server do not reach the terminal. */
        {400, "{\"error\": {\"message\": \"bad\\u001b[2J\\nvalue\", \"field\": \"a\\u0007\"}}",
         CLI_EXIT_ERROR, "bad?[2J value (field: a?)"},
    };
    struct mc_buf line;

    (void)state;
    mc_buf_init(&line, CLI_HTTP_MAX_ERROR_LINE);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mc_buf_reset(&line);
        assert_int_equal(
            cli_http_error_line(cases[i].status, cases[i].body, strlen(cases[i].body), &line),
            cases[i].code);
        assert_string_equal(line.data, cases[i].line);
        assert_null(strchr(line.data, '\n'));
    }

    /* An error body that is not JSON (raw UTF-16 echoed, a NUL in it): its message,
     * cleaned, and the exit code of its status. */
    static const char raw[] = "{\"error\":{\"code\":\"invalid\",\"message\":\"column \\\"\xFF\xFE"
                              "e\x00m\\\" is bad\",\"field\":\"x\"}}";
    mc_buf_reset(&line);
    assert_int_equal(cli_http_error_line(422, raw, sizeof(raw) - 1, &line), CLI_EXIT_ERROR);
    assert_string_equal(
        line.data, "server answered 422: column \"??e?m\" is bad (the answer was not valid JSON)");

    /* 2xx is no error: nothing appended. */
    mc_buf_reset(&line);
    assert_int_equal(cli_http_error_line(200, "{}", 2, &line), CLI_EXIT_OK);
    assert_string_equal(line.data, "");
    mc_buf_release(&line);
}

static void test_error_line_capped(void **state)
{
    struct mc_buf body, line;

    (void)state;
    mc_buf_init(&body, 1 << 20);
    mc_buf_init(&line, CLI_HTTP_MAX_ERROR_LINE);
    assert_int_equal(mc_buf_appends(&body, "{\"error\": {\"message\": \""), MC_OK);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(mc_buf_appends(&body, "\xC3\xA9"), MC_OK);
    assert_int_equal(mc_buf_appends(&body, "\", \"field\": \"f\"}}"), MC_OK);
    assert_int_equal(cli_http_error_line(400, body.data, body.len, &line), CLI_EXIT_ERROR);
    assert_true(line.len <= CLI_HTTP_MAX_ERROR_LINE);
    assert_non_null(strstr(line.data, " (field: f)"));
    mc_buf_release(&line);
    mc_buf_release(&body);
}

/* cli_response_check() prints exactly one line, with "mcred: " in front. */
static void test_response_check_prints_one_line(void **state)
{
    static const struct {
        long status;
        const char *body;
        const char *token;
        int code;
        const char *printed;
    } cases[] = {
        {200, "{}", NULL, CLI_EXIT_OK, ""},
        {404,
         "{\"error\": {\"code\": \"not_found\", \"message\": \"no person p_9\", \"field\":"
         " \"person\"}}",
         "t", CLI_EXIT_NOT_FOUND, "mcred: no person p_9 (field: person)\n"},
        {401,
         "{\"error\": {\"code\": \"unauthenticated\", \"message\": \"authentication "
         "required\"}}",
         NULL, CLI_EXIT_DENIED,
         "mcred: authentication required; no token is set (see 'mcred --help')\n"},
        {401, "{\"error\": {\"code\": \"unauthenticated\", \"message\": \"token revoked\"}}", "t",
         CLI_EXIT_DENIED, "mcred: token revoked\n"},
        {500, "Internal Server Error\n", "t", CLI_EXIT_ERROR,
         "mcred: server answered 500: Internal Server Error\n"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *err_text = NULL;
        size_t err_len = 0;
        struct cli_ctx ctx = {.url = "http://127.0.0.1:9", .token = cases[i].token, .out = stdout};
        struct cli_response resp;

        ctx.err = open_memstream(&err_text, &err_len);
        assert_non_null(ctx.err);
        cli_response_init(&resp);
        resp.status = cases[i].status;
        assert_int_equal(mc_buf_appends(&resp.body, cases[i].body), MC_OK);
        assert_int_equal(cli_response_check(&ctx, &resp), cases[i].code);
        (void)fclose(ctx.err);
        assert_string_equal(err_text, cases[i].printed);
        free(err_text);
        cli_response_release(&resp);
    }
}

static void test_path_append(void **state)
{
    struct mc_buf b;

    (void)state;
    mc_buf_init(&b, 1024);
    assert_int_equal(mc_buf_appends(&b, "/v1/cohorts"), MC_OK);
    assert_int_equal(cli_path_append(&b, "c_1"), MC_OK);
    assert_int_equal(cli_path_append(&b, "a b/c?d#e%f"), MC_OK);
    assert_int_equal(cli_path_append(&b, "Zo\xC3\xAB.~_-"), MC_OK);
    assert_int_equal(cli_path_append(&b, ".."), MC_OK);
    assert_string_equal(b.data, "/v1/cohorts/c_1/a%20b%2Fc%3Fd%23e%25f/Zo%C3%AB.~_-/%2E%2E");
    assert_int_equal(cli_path_append(&b, ""), MC_ERR_INVALID);
    mc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_for_status),
        cmocka_unit_test(test_error_line),
        cmocka_unit_test(test_error_line_capped),
        cmocka_unit_test(test_response_check_prints_one_line),
        cmocka_unit_test(test_path_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
