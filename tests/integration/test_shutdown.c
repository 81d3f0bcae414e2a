/*
 * test_shutdown.c — SIGTERM while a request is in flight: the server
 * stops taking connections, finishes that request (its answer arrives
 * whole), and exits 0.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "harness.h"

static int connect_to(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void pause_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void test_sigterm_finishes_in_flight_request(void **state)
{
    struct h_cluster cluster;
    struct h_db db;
    struct h_server server;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    char *token = h_bootstrap(&server, "delta", "admin@delta.example");

    const char *body = "{\"name\": \"during shutdown\"}";
    size_t half = strlen(body) / 2;
    char head[512];
    int n = snprintf(head, sizeof head,
                     "POST /v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n",
                     token, strlen(body));
    int fd = connect_to(server.port);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, head, (size_t)n), n);
    assert_int_equal(write(fd, body, half), (ssize_t)half);
    pause_ms(200);

    kill(server.pid, SIGTERM);
    pause_ms(300);
    int st;
    assert_int_equal(waitpid(server.pid, &st, WNOHANG), 0); /* still finishing */
    /* no new connections once shutting down */
    int other = connect_to(server.port);
    if (other >= 0)
        close(other);
    assert_true(other < 0);

    assert_int_equal(write(fd, body + half, strlen(body) - half), (ssize_t)(strlen(body) - half));
    char answer[4096] = {0};
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fd, answer + got, sizeof answer - 1 - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    assert_true(got > 12);
    assert_memory_equal(answer, "HTTP/1.1 201", 12);
    assert_non_null(strstr(answer, "\"token\":\"mcr_"));

    assert_int_equal(h_server_stop(&server), 0);
    char *n_tokens =
        h_db_query_super(&db, "SELECT count(*) FROM mcred.tokens WHERE name = 'during shutdown'");
    assert_string_equal(n_tokens, "1");
    free(n_tokens);
    free(token);
    h_cluster_release(&cluster);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigterm_finishes_in_flight_request),
    };
    return h_run_tests(tests, NULL, NULL);
}
