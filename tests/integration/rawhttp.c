/*
 * rawhttp.c — see rawhttp.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "harness.h"
#include "rawhttp.h"

int raw_connect(unsigned port, unsigned timeout_s)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {.tv_sec = (time_t)timeout_s};
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    (void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

bool raw_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

void raw_read_response(int fd, struct h_response *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = 4096, len = 0;
    char *data = malloc(cap);
    if (!data)
        h_fail("out of memory");
    for (;;) {
        if (cap - len < 2048) {
            char *grown = cap < 64u * 1024 * 1024 ? realloc(data, cap * 2) : NULL;
            if (!grown)
                h_fail("answer too large or out of memory");
            data = grown;
            cap *= 2;
        }
        ssize_t n = recv(fd, data + len, cap - len - 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* EOF, reset or the timeout */
        len += (size_t)n;
    }
    data[len] = '\0';
    char *split = strstr(data, "\r\n\r\n");
    size_t head_len = split ? (size_t)(split - data) : len;
    out->headers = strndup(data, head_len);
    size_t body_at = split ? head_len + 4 : len;
    size_t body_len = len - body_at;
    out->body = malloc(body_len + 1);
    if (!out->headers || !out->body)
        h_fail("out of memory");
    memcpy(out->body, data + body_at, body_len);
    out->body[body_len] = '\0';
    free(data);
    int status = 0;
    if (sscanf(out->headers, "HTTP/1.%*d %d", &status) == 1)
        out->status = status;
    out->json = cJSON_ParseWithLength(out->body, body_len);
}

void raw_exchange(unsigned port, const char *head, const char *body, size_t body_len,
                  bool add_length, struct h_response *out)
{
    int fd = raw_connect(port, 30);
    if (fd < 0)
        h_fail("could not connect to port %u: %s", port, strerror(errno));
    char *full = add_length
                     ? h_strf("%sContent-Length: %zu\r\nConnection: close\r\n\r\n", head, body_len)
                     : h_strf("%sConnection: close\r\n\r\n", head);
    bool sent =
        raw_send_all(fd, full, strlen(full)) && (body_len == 0 || raw_send_all(fd, body, body_len));
    free(full);
    /* a server may answer (413) and close before it has read all of a body */
    (void)sent;
    raw_read_response(fd, out);
    close(fd);
}
