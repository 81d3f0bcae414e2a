/*
 * test_cli_http.c — the HTTP layer against a one-shot stub server on
 * 127.0.0.1 (a forked child that records the request and sends a canned
 * answer), and against a closed loopback port.  No traffic leaves the
 * machine.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "mcred/version.h"

#include "cli.h"
#include "http.h"

#include "mcred/banned.h"

struct stub {
    pid_t pid;
    int port;
    int request_fd; /* what the stub received, once it is done */
    char url[64];
};

/* A loopback socket listening on a free port. */
static int listen_loopback(int *out_port)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 4), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *out_port = ntohs(a.sin_port);
    return fd;
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

/* In the child: read one request (headers and a Content-Length body). */
static size_t read_request(int c, char *buf, size_t cap)
{
    size_t n = 0;
    size_t want = 0;

    while (n < cap - 1) {
        ssize_t r = read(c, buf + n, cap - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        buf[n] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end && !want) {
            char *cl = strstr(buf, "Content-Length: ");
            want = (size_t)(end + 4 - buf) + (cl ? strtoul(cl + 16, NULL, 10) : 0);
        }
        if (want && n >= want)
            break;
    }
    buf[n] = '\0';
    return n;
}

/*
 * Serve one connection: record the request, answer with `head` and then
 * `body_repeat` copies of `chunk`.
 */
static void stub_start(struct stub *s, const char *head, const char *chunk, size_t body_repeat)
{
    int pipefd[2];
    int lfd = listen_loopback(&s->port);

    assert_int_equal(pipe(pipefd), 0);
    (void)snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", s->port);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        static char req[1 << 16];
        (void)signal(SIGPIPE, SIG_IGN); /* the client may hang up on a large answer */
        close(pipefd[0]);
        int c = accept(lfd, NULL, NULL);
        if (c < 0)
            _exit(1);
        size_t n = read_request(c, req, sizeof(req));
        write_all(pipefd[1], req, n);
        close(pipefd[1]);
        write_all(c, head, strlen(head));
        for (size_t i = 0; i < body_repeat; i++)
            write_all(c, chunk, strlen(chunk));
        (void)shutdown(c, SHUT_WR);
        /* Let the client read everything before the socket goes away. */
        char sink[256];
        while (read(c, sink, sizeof(sink)) > 0)
            ;
        close(c);
        _exit(0);
    }
    close(lfd);
    close(pipefd[1]);
    s->request_fd = pipefd[0];
}

/* The request the stub saw (free() it); waits for the stub to end. */
static char *stub_finish(struct stub *s)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    int status = 0;

    assert_non_null(buf);
    for (;;) {
        ssize_t r = read(s->request_fd, buf + n, cap - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    close(s->request_fd);
    (void)waitpid(s->pid, &status, 0);
    return buf;
}

struct capture {
    char *err_text;
    size_t err_len;
    struct cli_ctx ctx;
};

static void ctx_open(struct capture *c, const char *url, const char *token)
{
    memset(c, 0, sizeof(*c));
    c->ctx.url = url;
    c->ctx.token = token;
    c->ctx.out = stdout;
    c->ctx.err = open_memstream(&c->err_text, &c->err_len);
    assert_non_null(c->ctx.err);
}

static void ctx_close(struct capture *c)
{
    (void)fclose(c->ctx.err);
}

static const char ok_head[] = "HTTP/1.1 200 OK\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: 16\r\n"
                              "Connection: close\r\n\r\n";

static void test_closed_port(void **state)
{
    struct capture c;
    struct cli_response resp;
    struct mc_error err;
    struct cli_request req = {.method = "GET", .path = "/healthz"};
    char url[64], expected[128];
    int port;
    int fd = listen_loopback(&port);

    (void)state;
    close(fd); /* nothing listens there now */
    (void)snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    ctx_open(&c, url, NULL);
    cli_response_init(&resp);
    resp.status = 7;
    assert_int_equal(mc_buf_appends(&resp.body, "keep"), MC_OK);
    mc_error_clear(&err);

    assert_int_equal(cli_http_send(&c.ctx, &req, &resp, &err), MC_ERR_UNAVAILABLE);
    (void)snprintf(expected, sizeof(expected), "could not reach %s: ", url);
    assert_memory_equal(mc_error_message(&err), expected, strlen(expected));
    /* The output is untouched on failure. */
    assert_int_equal(resp.status, 7);
    assert_string_equal(resp.body.data, "keep");

    assert_int_equal(cli_http_request(&c.ctx, "GET", "/v1/me", NULL, NULL, &resp), CLI_EXIT_ERROR);
    ctx_close(&c);
    (void)snprintf(expected, sizeof(expected), "mcred: could not reach %s: ", url);
    assert_memory_equal(c.err_text, expected, strlen(expected));
    /* One line. */
    assert_ptr_equal(strchr(c.err_text, '\n'), c.err_text + c.err_len - 1);
    free(c.err_text);
    cli_response_release(&resp);
}

static void test_get_with_token(void **state)
{
    struct stub s;
    struct capture c;
    struct cli_response resp;

    (void)state;
    stub_start(&s, ok_head, "{\"status\":\"ok\"}\n", 1);
    ctx_open(&c, s.url, "tok_secret");
    cli_response_init(&resp);
    assert_int_equal(cli_http_request(&c.ctx, "GET", "/v1/me", NULL, NULL, &resp), CLI_EXIT_OK);
    char *req = stub_finish(&s);
    ctx_close(&c);

    assert_int_equal(resp.status, 200);
    assert_string_equal(resp.body.data, "{\"status\":\"ok\"}\n");
    assert_memory_equal(req, "GET /v1/me HTTP/1.1\r\n", 21);
    assert_non_null(strstr(req, "\r\nAuthorization: Bearer tok_secret\r\n"));
    assert_non_null(strstr(req, "\r\nAccept: application/json\r\n"));
    assert_non_null(strstr(req, "\r\nUser-Agent: mcred/" MC_VERSION "\r\n"));
    assert_null(strstr(req, "Content-Type"));
    assert_string_equal(c.err_text, "");
    free(req);
    free(c.err_text);
    cli_response_release(&resp);
}

static void test_post_without_token(void **state)
{
    struct stub s;
    struct capture c;
    struct cli_response resp;
    const char *body = "{\"name\":\"Cohort A\"}";

    (void)state;
    stub_start(&s,
               "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
               "Content-Length: 2\r\nConnection: close\r\n\r\n",
               "{}", 1);
    ctx_open(&c, s.url, NULL);
    cli_response_init(&resp);
    assert_int_equal(cli_http_request(&c.ctx, "POST", "/v1/cohorts", body, NULL, &resp),
                     CLI_EXIT_OK);
    char *req = stub_finish(&s);
    ctx_close(&c);

    assert_int_equal(resp.status, 201);
    assert_memory_equal(req, "POST /v1/cohorts HTTP/1.1\r\n", 27);
    assert_null(strstr(req, "Authorization"));
    assert_non_null(strstr(req, "\r\nContent-Type: application/json\r\n"));
    assert_non_null(strstr(req, "\r\nContent-Length: 19\r\n"));
    assert_null(strstr(req, "Expect:"));
    assert_string_equal(req + strlen(req) - strlen(body), body);
    free(req);
    free(c.err_text);
    cli_response_release(&resp);
}

static void test_custom_method_and_csv(void **state)
{
    struct stub s;
    struct capture c;
    struct cli_response resp;
    struct mc_error err;
    const char *csv = "email,name\r\nada@example.org,Ada\r\n";
    struct cli_request req = {.method = "PUT",
                              .path = "/v1/sessions/s_1/attendance",
                              .body = csv,
                              .body_len = strlen(csv),
                              .content_type = "text/csv",
                              .accept = "text/csv"};

    (void)state;
    stub_start(&s, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", "", 0);
    ctx_open(&c, s.url, "t");
    cli_response_init(&resp);
    assert_int_equal(cli_http_send(&c.ctx, &req, &resp, &err), MC_OK);
    char *seen = stub_finish(&s);
    ctx_close(&c);

    assert_int_equal(resp.status, 204);
    assert_int_equal(resp.body.len, 0);
    assert_memory_equal(seen, "PUT /v1/sessions/s_1/attendance HTTP/1.1\r\n", 42);
    assert_non_null(strstr(seen, "\r\nContent-Type: text/csv\r\n"));
    assert_non_null(strstr(seen, "\r\nAccept: text/csv\r\n"));
    assert_string_equal(seen + strlen(seen) - strlen(csv), csv);
    free(seen);
    free(c.err_text);
    cli_response_release(&resp);
}

static void test_error_answers(void **state)
{
    static const struct {
        const char *head;
        const char *body;
        int code;
        const char *line;
    } cases[] = {
        {"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 84\r\n"
         "Connection: close\r\n\r\n",
         "{\"error\": {\"code\": \"not_found\", \"message\": \"no such cohort\", \"field\": "
         "\"id\"}}"
         "        ",
         CLI_EXIT_NOT_FOUND, "mcred: no such cohort (field: id)\n"},
        {"HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 67\r\n"
         "Connection: close\r\n\r\n",
         "{\"error\": {\"code\": \"forbidden\", \"message\": \"coordinators only\"}}   ",
         CLI_EXIT_DENIED, "mcred: coordinators only\n"},
        {"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 13\r\n"
         "Connection: close\r\n\r\n",
         "<html></html>", CLI_EXIT_ERROR, "mcred: server answered 502\n"},
        /* Redirects are not followed: the token stays with this server. */
        {"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\n"
         "Connection: close\r\n\r\n",
         "", CLI_EXIT_ERROR, "mcred: server answered 302\n"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct stub s;
        struct capture c;
        struct cli_response resp;

        stub_start(&s, cases[i].head, cases[i].body, 1);
        ctx_open(&c, s.url, "t");
        cli_response_init(&resp);
        assert_int_equal(cli_http_request(&c.ctx, "GET", "/v1/cohorts/c_9", NULL, NULL, &resp),
                         cases[i].code);
        free(stub_finish(&s));
        ctx_close(&c);
        assert_string_equal(c.err_text, cases[i].line);
        free(c.err_text);
        cli_response_release(&resp);
    }
}

static void test_too_large(void **state)
{
    struct stub s;
    struct capture c;
    struct cli_response resp;
    struct mc_error err;
    struct cli_request req = {.method = "GET", .path = "/v1/people"};
    static char chunk[1024 * 1024 + 1];

    (void)state;
    /* Announced in Content-Length: refused before any byte of the body. */
    stub_start(&s, "HTTP/1.1 200 OK\r\nContent-Length: 70000000\r\nConnection: close\r\n\r\n", "",
               0);
    ctx_open(&c, s.url, NULL);
    cli_response_init(&resp);
    assert_int_equal(cli_http_send(&c.ctx, &req, &resp, &err), MC_ERR_TOO_LARGE);
    assert_non_null(strstr(mc_error_message(&err), "larger than 64 MiB"));
    free(stub_finish(&s));

    /* Not announced: cut off when the buffer reaches its ceiling. */
    memset(chunk, 'x', sizeof(chunk) - 1);
    stub_start(&s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", chunk,
               MC_CLI_MAX_RESPONSE / (1024 * 1024) + 1);
    assert_int_equal(cli_http_send(&c.ctx, &req, &resp, &err), MC_ERR_TOO_LARGE);
    free(stub_finish(&s));
    assert_int_equal(resp.status, 0);
    assert_int_equal(resp.body.len, 0);
    ctx_close(&c);
    free(c.err_text);
    cli_response_release(&resp);
}

static void test_bad_requests(void **state)
{
    struct capture c;
    struct cli_response resp;
    struct mc_error err;
    const struct cli_request bad[] = {
        {.method = "GET", .path = "v1/me"},
        {.method = "get", .path = "/v1/me"},
        {.method = NULL, .path = "/v1/me"},
        {.method = "GET", .path = "/v1/me", .accept = "text/csv\r\nX-Evil: 1"},
    };

    (void)state;
    ctx_open(&c, "http://127.0.0.1:1", NULL);
    cli_response_init(&resp);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(cli_http_send(&c.ctx, &bad[i], &resp, &err), MC_ERR_INVALID);

    char path[MC_MAX_URL + 2];
    memset(path, 'a', sizeof(path) - 1);
    path[0] = '/';
    path[sizeof(path) - 1] = '\0';
    const struct cli_request longreq = {.method = "GET", .path = path};
    assert_int_equal(cli_http_send(&c.ctx, &longreq, &resp, &err), MC_ERR_URI_TOO_LONG);
    ctx_close(&c);
    free(c.err_text);
    cli_response_release(&resp);
}

static int setup(void **state)
{
    (void)state;
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_port),        cmocka_unit_test(test_get_with_token),
        cmocka_unit_test(test_post_without_token), cmocka_unit_test(test_custom_method_and_csv),
        cmocka_unit_test(test_error_answers),      cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_bad_requests),
    };
    /* Keep proxies from the environment away from the loopback stub. */
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    unsetenv("all_proxy");
    unsetenv("ALL_PROXY");
    return cmocka_run_group_tests(tests, setup, teardown);
}
