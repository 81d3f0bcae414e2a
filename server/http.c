/*
 * http.c — libmicrohttpd glue; see http.h.
 *
 * Life of a request (after GNU Taler's exchange): the first call of the
 * access handler allocates a struct request and refuses a declared
 * Content-Length over the limit at once (413); later calls append the
 * body, stopping at the limit; the last call (no more upload data)
 * dispatches and queues the answer.  The completion callback logs the
 * request, counts it in the metrics and frees it, whatever happened.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "dispatch.h"
#include "fault_inject.h"
#include "http.h"
#include "log.h"
#include "mcred/json.h"
#include "request.h"
#include "server.h"

#include "mcred/banned.h"

struct http_daemon {
    struct MHD_Daemon *mhd;
    struct server *server;
};

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Honour a client's X-Request-Id when it is short and plain, else make one. */
static void request_id_init(struct request *r)
{
    const char *given = MHD_lookup_connection_value(r->connection, MHD_HEADER_KIND, "X-Request-Id");
    if (given && *given && strlen(given) <= MC_MAX_REQUEST_ID &&
        strspn(given, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:") ==
            strlen(given)) {
        snprintf(r->request_id, sizeof r->request_id, "%s", given);
        return;
    }
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(r->request_id, sizeof r->request_id, raw, sizeof raw);
}

static struct request *request_new(struct server *s, struct MHD_Connection *connection,
                                   const char *url, const char *method)
{
    struct request *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->path = strdup(url);
    if (!r->path) {
        free(r);
        return NULL;
    }
    r->server = s;
    r->connection = connection;
    r->method = method;
    clock_gettime(CLOCK_MONOTONIC, &r->started);
    mc_buf_init(&r->body, s->cfg.max_body);
    mc_buf_init(&r->text, MC_MAX_BODY_CEILING);
    mc_error_clear(&r->err);
    request_id_init(r);
    return r;
}

static void request_free(struct request *r)
{
    if (!r)
        return;
    free(r->path);
    mc_buf_release(&r->body);
    mc_buf_release(&r->text);
    cJSON_Delete(r->json);
    mc_form_release(&r->form);
    cJSON_Delete(r->reply);
    cJSON_Delete(r->error_details);
    free(r);
}

/* The error body with the "errors" array added beside "error"; NULL when out of memory. */
static char *with_error_details(char *error_text, const cJSON *details)
{
    cJSON *root = cJSON_Parse(error_text);
    cJSON *copy = cJSON_Duplicate(details, true);
    free(error_text);
    char *text = NULL;
    /* rows and cells echo what clients sent: make them UTF-8 as mc_json_error_body() does */
    if (root && copy && mc_json_sanitize(copy, MC_MAX_ERR_MESSAGE) &&
        cJSON_AddItemToObject(root, "errors", copy)) {
        copy = NULL;
        text = cJSON_PrintUnformatted(root);
    }
    cJSON_Delete(copy);
    cJSON_Delete(root);
    return text;
}

/* The error body when there is no memory to make one (answer_body gave none). */
#define NOMEM_BODY "{\"error\": {\"code\": \"out_of_memory\", \"message\": \"out of memory\"}}"

/* The body text of the answer (malloc'd), its length and content type. */
static char *answer_body(struct request *r, size_t *out_len, const char **out_type)
{
    char *text = NULL;
    *out_type = "application/json";
    if (r->err.code != MC_OK && !r->page_error) {
        enum mc_err code = r->err.code;
        /* Internal failures say nothing of the inside; r->err.detail is for the log. */
        bool hide = code == MC_ERR_INTERNAL || code == MC_ERR_NOMEM;
        text = mc_json_error_body(code, hide ? mc_strerror(code) : mc_error_message(&r->err),
                                  r->err.field);
        if (text && r->error_details)
            text = with_error_details(text, r->error_details);
    } else if (r->reply) {
        text = mc_json_print(r->reply);
    } else if (r->text.len) {
        *out_type = r->content_type ? r->content_type : "text/plain; charset=utf-8";
        text = mc_buf_detach(&r->text, NULL);
    } else {
        *out_type = NULL;
        text = NULL;
    }
    *out_len = text ? strlen(text) : 0;
    return text;
}

/*
 * No memory for the body an answer needs: it is 500 out_of_memory (NOMEM_BODY), whatever it
 * was going to be.  Not an empty 201 for a reply that could not be printed — the client would
 * read "created" and find nothing to read — nor a 422's status over another error's body.
 * What the request had already committed stays committed (an Idempotency-Key tells a retry).
 */
static void body_lost(struct request *r, const char **out_type)
{
    char was[MC_MAX_ERR_MESSAGE];
    snprintf(was, sizeof was, "no memory for the body of the answer (%s: %s)",
             r->err.code == MC_OK ? "ok" : mc_err_name(r->err.code),
             r->err.code == MC_OK ? "a reply" : mc_error_message(&r->err));
    (void)mc_error_set(&r->err, MC_ERR_NOMEM, NULL, NULL);
    mc_error_detail(&r->err, "%s", was);
    r->status = mc_http_status(MC_ERR_NOMEM);
    *out_type = "application/json";
}

static enum MHD_Result queue_answer(struct request *r)
{
    size_t len = 0;
    const char *type = NULL;
    if (r->status == 0)
        r->status = mc_http_status(r->err.code);
    char *text = answer_body(r, &len, &type);
    bool fault_fired = fault_inject_disarm();
    if (!text && (r->reply || (r->err.code != MC_OK && !r->page_error)))
        body_lost(r, &type);
    struct MHD_Response *resp;
    if (text)
        resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    else if (r->err.code != MC_OK && !r->page_error)
        /* no memory for the body: the error shape all the same, from static storage */
        resp = MHD_create_response_from_buffer(strlen(NOMEM_BODY), (void *)NOMEM_BODY,
                                               MHD_RESPMEM_PERSISTENT);
    else
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    bool ok = MHD_add_response_header(resp, "X-Request-Id", r->request_id) == MHD_YES &&
              MHD_add_response_header(resp, "Cache-Control", "no-store") == MHD_YES;
    if (ok && type)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type) == MHD_YES;
    if (ok)
        ok = MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES;
    if (ok && type && strncmp(type, "text/html", 9) == 0)
        /* pages carry their styles inline and load nothing, run nothing, frame in nothing */
        ok = MHD_add_response_header(resp, "Content-Security-Policy",
                                     "default-src 'none'; style-src 'unsafe-inline'; "
                                     "img-src data:; form-action 'self'; base-uri 'none'; "
                                     "frame-ancestors 'none'") == MHD_YES;
    if (ok && r->set_cookie[0])
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie) == MHD_YES;
    if (ok && r->status == 303 && r->location[0])
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location) == MHD_YES;
    if (ok && r->status == 405)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow) == MHD_YES;
    char retry[16];
    snprintf(retry, sizeof retry, "%u", r->retry_after);
    if (ok && r->status == 429 && r->retry_after)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, retry) == MHD_YES;
    if (ok && r->status == 401 && !(r->route && (r->route->flags & ROUTE_PAGE)))
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer") == MHD_YES;
    if (ok && fault_fired) /* test builds only (fault_inject.h): the test learns it hit */
        ok = MHD_add_response_header(resp, "X-Mcred-Fault-Fired", "alloc") == MHD_YES;
    enum MHD_Result ret = ok ? MHD_queue_response(r->connection, r->status, resp) : MHD_NO;
    MHD_destroy_response(resp);
    r->answered = true;
    return ret;
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    (void)value;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
        (*(unsigned *)cls)++;
    return MHD_YES;
}

/*
 * Two Content-Length headers: libmicrohttpd reads the body by the first,
 * a proxy in front may have framed it by the other — the request
 * smuggling RFC 9112 §6.3 tells a server to refuse.
 */
static bool length_ambiguous(struct request *r)
{
    unsigned n = 0;
    (void)MHD_get_connection_values(r->connection, MHD_HEADER_KIND, &count_header, &n);
    return n > 1;
}

static bool declared_too_large(struct request *r)
{
    const char *cl =
        MHD_lookup_connection_value(r->connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!cl)
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    return errno != 0 || *end != '\0' || n > r->server->cfg.max_body;
}

static void fail_too_large(struct request *r)
{
    (void)request_fail(r, MC_ERR_TOO_LARGE, NULL, "request body is larger than %zu bytes",
                       r->server->cfg.max_body);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    struct server *s = cls;
    struct request *r = *req_cls;
    if (!r) {
        r = request_new(s, connection, url, method);
        if (!r)
            return MHD_NO;
        *req_cls = r;
        atomic_fetch_add(&s->in_flight, 1);
        if (length_ambiguous(r)) {
            r->body_too_large = true; /* read nothing more of it */
            (void)request_fail(r, MC_ERR_MALFORMED, "Content-Length",
                               "the request has more than one Content-Length");
            return queue_answer(r);
        }
        if (declared_too_large(r)) {
            r->body_too_large = true;
            fail_too_large(r);
            return queue_answer(r);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->body_too_large && mc_buf_append(&r->body, upload_data, *upload_data_size) != MC_OK)
            r->body_too_large = true;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->answered)
        return MHD_YES;
    fault_inject_arm(r); /* disarmed in queue_answer, on this thread, before any other request */
    if (r->body_too_large)
        fail_too_large(r);
    else
        dispatch_request(r);
    return queue_answer(r);
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct server *s = cls;
    struct request *r = *req_cls;
    if (!r)
        return;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !r->answered)
        r->status = 499; /* the client went away before an answer: nginx's convention */
    double seconds = seconds_since(&r->started);
    log_request(r, seconds);
    metrics_observe(s->metrics, r->route, r->status, seconds);
    request_free(r);
    *req_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_message("warn", "http", "detail", msg, NULL);
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/*
 * Percent-decoding of the path and the query arguments, as libmicrohttpd's
 * own but for "%00", which stays as it is: decoded, the NUL would end the
 * C string there, and "/v1/webhooks/<id>%00/test" would reach the router
 * as "/v1/webhooks/<id>" — another route, with the same body.  Kept, the
 * "%" makes the segment no id of anything (404), and a query value no
 * word of any list (422).
 */
static size_t unescape_keeping_nul(void *cls, struct MHD_Connection *connection, char *s)
{
    (void)cls;
    (void)connection;
    char *out = s;
    for (const char *in = s; *in;) {
        int hi = in[0] == '%' ? hex_value(in[1]) : -1;
        int lo = hi >= 0 ? hex_value(in[2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            *out++ = (char)(hi * 16 + lo);
            in += 3;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

/* Fill a socket address from the configured numeric host and port. */
static enum mc_err listen_address(const struct server_config *cfg, struct sockaddr_storage *out,
                                  bool *out_v6, struct mc_error *err)
{
    memset(out, 0, sizeof *out);
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, cfg->listen_host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(cfg->listen_port);
        *out_v6 = false;
        return MC_OK;
    }
    if (inet_pton(AF_INET6, cfg->listen_host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(cfg->listen_port);
        *out_v6 = true;
        return MC_OK;
    }
    return mc_error_set(err, MC_ERR_INVALID, "MCRED_LISTEN",
                        "MCRED_LISTEN host must be a numeric IPv4 or IPv6 address, not %s",
                        cfg->listen_host);
}

/*
 * Room for the connections: the soft limit on open descriptors raised to
 * the hard one (1024 by default is too few for MCRED_MAX_CONNECTIONS), and
 * the connection limit cut to what fits beside MC_FD_RESERVE others — so
 * that a flood of connections waits in the kernel's queue instead of
 * failing accept() and everything else that needs a descriptor.
 */
static unsigned connection_limit(const struct server_config *cfg)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return cfg->max_connections;
    rlim_t want = (rlim_t)cfg->max_connections + MC_FD_RESERVE + cfg->db_pool;
    if (rl.rlim_cur < want) {
        struct rlimit raised = rl;
        raised.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            rl = raised;
    }
    rlim_t room = rl.rlim_cur > (rlim_t)MC_FD_RESERVE + cfg->db_pool + 16
                      ? rl.rlim_cur - MC_FD_RESERVE - cfg->db_pool
                      : 16;
    return room < cfg->max_connections ? (unsigned)room : cfg->max_connections;
}

enum mc_err http_start(struct server *s, struct http_daemon **out, struct mc_error *err)
{
    struct sockaddr_storage addr;
    bool v6 = false;
    enum mc_err rc = listen_address(&s->cfg, &addr, &v6, err);
    if (rc != MC_OK)
        return rc;
    struct http_daemon *d = calloc(1, sizeof *d);
    if (!d)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    d->server = s;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG |
                     MHD_USE_ITC | (v6 ? MHD_USE_IPv6 : 0);
    /* libmicrohttpd wants a pool of at least two threads; one means its own thread. */
    unsigned pool = s->cfg.threads > 1 ? s->cfg.threads : 0;
    unsigned connections = connection_limit(&s->cfg);
    if (connections < s->cfg.max_connections) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "open files limit allows %u connections, not MCRED_MAX_CONNECTIONS=%u",
                 connections, s->cfg.max_connections);
        log_message("warn", "http", "detail", msg, NULL);
    }
    d->mhd = MHD_start_daemon(
        /* the logger first, so that it hears about the options after it */
        flags, s->cfg.listen_port, NULL, NULL, &on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
        &on_mhd_error, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, pool, MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.request_timeout,
        MHD_OPTION_NOTIFY_COMPLETED, &on_completed, s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)MC_CONNECTION_MEMORY, MHD_OPTION_CONNECTION_LIMIT, connections,
        MHD_OPTION_UNESCAPE_CALLBACK, &unescape_keeping_nul, NULL, MHD_OPTION_END);
    if (!d->mhd) {
        free(d);
        return mc_error_set(err, MC_ERR_UNAVAILABLE, "MCRED_LISTEN",
                            "could not listen on %s port %u: %s", s->cfg.listen_host,
                            s->cfg.listen_port, strerror(errno));
    }
    *out = d;
    return MC_OK;
}

unsigned short http_port(const struct http_daemon *d)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d->mhd, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

void http_stop(struct http_daemon *d, unsigned grace_seconds)
{
    if (!d)
        return;
    MHD_socket fd = MHD_quiesce_daemon(d->mhd);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (atomic_load(&d->server->in_flight) > 0 && seconds_since(&start) < grace_seconds) {
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    MHD_stop_daemon(d->mhd);
    free(d);
}
