/*
 * http.c — the tool's HTTP client on libcurl's easy interface; see http.h.
 *
 * One easy handle per request: the CLI makes a handful of requests per
 * run, so connection reuse would buy little and a fresh handle keeps no
 * state (a token, a cookie) from one request to the next.  The answer is
 * collected into a local buffer with a ceiling and handed to the caller
 * only when the exchange completed, so a caller never sees half a body.
 */
#include <string.h>

#include <curl/curl.h>

#include "mcred/json.h"
#include "mcred/limits.h"
#include "mcred/version.h"

#include "http.h"
#include "text.h"

#include "mcred/banned.h"

/* An Authorization line: the token is capped at MC_CLI_MAX_CONFIG_LINE. */
#define HEADER_MAX (MC_CLI_MAX_CONFIG_LINE + 64)

void cli_response_init(struct cli_response *r)
{
    r->status = 0;
    mc_buf_init(&r->body, MC_CLI_MAX_RESPONSE);
}

void cli_response_release(struct cli_response *r)
{
    mc_buf_release(&r->body);
    r->status = 0;
}

/* Where libcurl writes the body; rc says why the transfer was cut short. */
struct sink {
    struct mc_buf *buf;
    enum mc_err rc;
};

static size_t http_write(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct sink *s = userdata;
    size_t n = size * nmemb; /* size is always 1 */
    enum mc_err rc = mc_buf_append(s->buf, data, n);
    if (rc != MC_OK) {
        s->rc = rc;
        return 0; /* anything but n makes libcurl stop with CURLE_WRITE_ERROR */
    }
    return n;
}

/* libcurl's progress callback, handed on as upload progress. */
static int http_xferinfo(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                         curl_off_t ulnow)
{
    const struct cli_request *req = userdata;

    (void)dltotal;
    (void)dlnow;
    req->progress(req->progress_arg, ulnow > 0 ? (unsigned long long)ulnow : 0,
                  ultotal > 0 ? (unsigned long long)ultotal : 0);
    return 0; /* go on */
}

static int method_valid(const char *m)
{
    if (!m || !*m || strlen(m) > 16)
        return 0;
    for (const char *p = m; *p; p++)
        if (*p < 'A' || *p > 'Z')
            return 0;
    return 1;
}

static int header_value_valid(const char *v)
{
    return !v || !strpbrk(v, "\r\n");
}

static int header_add(struct curl_slist **list, const char *line)
{
    struct curl_slist *n = curl_slist_append(*list, line);
    if (!n)
        return 0;
    *list = n;
    return 1;
}

static enum mc_err headers_build(const struct cli_ctx *ctx, const struct cli_request *req,
                                 struct curl_slist **out, struct mc_error *err)
{
    struct curl_slist *list = NULL;
    struct mc_buf line;
    enum mc_err rc = MC_OK;

    mc_buf_init(&line, HEADER_MAX);
    rc = mc_buf_appendf(&line, "Accept: %s", req->accept ? req->accept : "application/json");
    if (rc == MC_OK && !header_add(&list, line.data))
        rc = MC_ERR_NOMEM;
    if (rc == MC_OK && req->body) {
        mc_buf_reset(&line);
        rc = mc_buf_appendf(&line, "Content-Type: %s",
                            req->content_type ? req->content_type : "application/json");
        if (rc == MC_OK && !header_add(&list, line.data))
            rc = MC_ERR_NOMEM;
    }
    if (rc == MC_OK && ctx->token) {
        mc_buf_reset(&line);
        rc = mc_buf_appendf(&line, "Authorization: Bearer %s", ctx->token);
        if (rc == MC_OK && !header_add(&list, line.data))
            rc = MC_ERR_NOMEM;
    }
    /* No "Expect: 100-continue" round trip before a large upload. */
    if (rc == MC_OK && !header_add(&list, "Expect:"))
        rc = MC_ERR_NOMEM;

    /* The line held the token: do not leave it in freed memory. */
    if (line.cap)
        memset(line.data, 0, line.cap);
    mc_buf_release(&line);
    if (rc != MC_OK) {
        curl_slist_free_all(list);
        return mc_error_set(err, rc, NULL, "could not build the request headers: %s",
                            mc_strerror(rc));
    }
    *out = list;
    return MC_OK;
}

/* Set the options that depend on the method and body. */
static CURLcode method_set(CURL *h, const struct cli_request *req)
{
    CURLcode cc = CURLE_OK;
    int has_body = req->body != NULL;

    if (strcmp(req->method, "GET") == 0 && !has_body)
        return curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    if (strcmp(req->method, "HEAD") == 0 && !has_body)
        return curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    if (strcmp(req->method, "POST") == 0) {
        cc = curl_easy_setopt(h, CURLOPT_POST, 1L);
        has_body = 1; /* a POST without a body sends an empty one */
    } else {
        cc = curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
    }
    if (cc == CURLE_OK && has_body)
        cc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                              (curl_off_t)(req->body ? req->body_len : 0));
    if (cc == CURLE_OK && has_body)
        cc = curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
    return cc;
}

enum mc_err cli_http_send(const struct cli_ctx *ctx, const struct cli_request *req,
                          struct cli_response *out, struct mc_error *err)
{
    CURL *h = NULL;
    struct curl_slist *headers = NULL;
    struct mc_buf url, body;
    struct sink sink = {.buf = &body, .rc = MC_OK};
    char errbuf[CURL_ERROR_SIZE];
    CURLcode cc = CURLE_OK;
    long status = 0;
    enum mc_err rc = MC_OK;

    mc_buf_init(&url, MC_MAX_URL);
    mc_buf_init(&body, MC_CLI_MAX_RESPONSE);
    errbuf[0] = '\0';

    if (!method_valid(req->method) || !req->path || req->path[0] != '/' ||
        !header_value_valid(req->content_type) || !header_value_valid(req->accept)) {
        rc = mc_error_set(err, MC_ERR_INVALID, NULL, "invalid request to %s",
                          req->path ? req->path : "(no path)");
        goto out;
    }
    rc = mc_buf_appends(&url, ctx->url);
    if (rc == MC_OK)
        rc = mc_buf_appends(&url, req->path);
    if (rc == MC_ERR_TOO_LARGE) {
        rc = mc_error_set(err, MC_ERR_URI_TOO_LONG, NULL, "request URL is longer than %d bytes",
                          MC_MAX_URL);
        goto out;
    }
    if (rc != MC_OK) {
        rc = mc_error_set(err, rc, NULL, "out of memory");
        goto out;
    }
    rc = headers_build(ctx, req, &headers, err);
    if (rc != MC_OK)
        goto out;
    h = curl_easy_init();
    if (!h) {
        rc = mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not start a libcurl transfer");
        goto out;
    }

    cc = curl_easy_setopt(h, CURLOPT_URL, url.data);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CLI_HTTP_CONNECT_TIMEOUT);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_TIMEOUT, CLI_HTTP_TIMEOUT);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)MC_CLI_MAX_RESPONSE);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_USERAGENT, "mcred/" MC_VERSION);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_write);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    if (cc == CURLE_OK)
        cc = method_set(h, req);
    if (cc == CURLE_OK && req->progress)
        cc = curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, http_xferinfo);
    if (cc == CURLE_OK && req->progress)
        cc = curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)req);
    if (cc == CURLE_OK && req->progress)
        cc = curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    if (cc != CURLE_OK) {
        rc = mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not set up the request: %s",
                          curl_easy_strerror(cc));
        goto out;
    }

    cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        size_t n = strlen(errbuf);
        while (n > 0 && (errbuf[n - 1] == '\n' || errbuf[n - 1] == '\r'))
            errbuf[--n] = '\0';
        if (sink.rc == MC_ERR_TOO_LARGE || cc == CURLE_FILESIZE_EXCEEDED)
            rc = mc_error_set(err, MC_ERR_TOO_LARGE, NULL,
                              "the answer from %s is larger than %d MiB", ctx->url,
                              MC_CLI_MAX_RESPONSE / (1024 * 1024));
        else if (sink.rc != MC_OK)
            rc = mc_error_set(err, sink.rc, NULL, "out of memory");
        else
            rc = mc_error_set(err, MC_ERR_UNAVAILABLE, NULL, "could not reach %s: %s", ctx->url,
                              n ? errbuf : curl_easy_strerror(cc));
        goto out;
    }
    cc = curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK || status < 100 || status > 999) {
        rc = mc_error_set(err, MC_ERR_INTERNAL, NULL, "%s sent no HTTP status", ctx->url);
        goto out;
    }

    mc_buf_release(&out->body);
    out->body = body;
    out->status = status;
    mc_buf_init(&body, MC_CLI_MAX_RESPONSE);
out:
    curl_easy_cleanup(h);
    curl_slist_free_all(headers);
    mc_buf_release(&body);
    mc_buf_release(&url);
    return rc;
}

int cli_response_check(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    struct mc_buf line;
    int code;

    mc_buf_init(&line, CLI_HTTP_MAX_ERROR_LINE);
    code = cli_http_error_line(resp->status, resp->body.data, resp->body.len, &line);
    if (code == CLI_EXIT_OK)
        goto out;
    if (line.len == 0)
        cli_error(ctx, "server answered %ld", resp->status);
    else if (resp->status == 401 && !ctx->token)
        cli_error(ctx, "%s; no token is set (see 'mcred --help')", line.data);
    else
        cli_error(ctx, "%s", line.data);
out:
    mc_buf_release(&line);
    return code;
}

int cli_http_request(const struct cli_ctx *ctx, const char *method, const char *path,
                     const char *body, const char *content_type, struct cli_response *out)
{
    const struct cli_request req = {
        .method = method,
        .path = path,
        .body = body,
        .body_len = body ? strlen(body) : 0,
        .content_type = content_type,
    };
    struct mc_error err;

    mc_error_clear(&err);
    if (cli_http_send(ctx, &req, out, &err) != MC_OK) {
        cli_error(ctx, "%s", mc_error_message(&err));
        return CLI_EXIT_ERROR;
    }
    return cli_response_check(ctx, out);
}

int cli_response_json(const struct cli_ctx *ctx, const struct cli_response *resp, cJSON **out)
{
    struct mc_error err;
    cJSON *root = NULL;

    mc_error_clear(&err);
    if (mc_json_parse(resp->body.data, resp->body.len, &root, &err) != MC_OK) {
        cli_error(ctx, "server answered %ld with a body that is not JSON", resp->status);
        return CLI_EXIT_ERROR;
    }
    *out = root;
    return CLI_EXIT_OK;
}

int cli_exit_for_status(long status)
{
    if (status >= 200 && status <= 299)
        return CLI_EXIT_OK;
    if (status == 401 || status == 403)
        return CLI_EXIT_DENIED;
    if (status == 404)
        return CLI_EXIT_NOT_FOUND;
    return CLI_EXIT_ERROR;
}

/* A member that is a non-empty string, or NULL. */
static const char *string_member(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(item) || !item->valuestring || !item->valuestring[0])
        return NULL;
    return item->valuestring;
}

/* Bytes of an unreadable answer shown, and of the text looked at. */
#define UNREADABLE_SHOWN     160
#define UNREADABLE_LOOKED_AT 4096

/*
 * The text of the string that follows `"message"` in a body that is not
 * valid JSON (an error body of an older server that echoed raw bytes), in
 * `text` (cap bytes); false when there is none.
 */
static bool loose_message(const char *body, size_t len, char *text, size_t cap)
{
    static const char key[] = "\"message\"";
    size_t k = sizeof(key) - 1, i = 0, w = 0;

    for (; i + k <= len && memcmp(body + i, key, k) != 0; i++)
        ;
    if (i + k > len)
        return false;
    for (i += k; i < len && (body[i] == ' ' || body[i] == ':'); i++)
        ;
    if (i >= len || body[i] != '"')
        return false;
    for (i++; i < len && body[i] != '"' && w + 1 < cap; i++) {
        if (body[i] == '\\' && i + 1 < len) {
            i++;
            text[w++] = (char)(body[i] == 'n' || body[i] == 't' || body[i] == 'r' ? ' ' : body[i]);
        } else {
            text[w++] = (char)(body[i] ? body[i] : '?');
        }
    }
    text[w] = '\0';
    return w > 0;
}

/*
 * What could be read of a body that is not mcred's error shape: the
 * message of an error body that is not valid JSON (then it is mcred-server
 * talking: *code follows the status), or the body's text without HTML tags,
 * bounded and cleaned: "server answered 502: Bad Gateway".
 */
static enum mc_err unreadable_body_append(struct mc_buf *out, const char *body, size_t len,
                                          int *code, long status)
{
    char text[UNREADABLE_LOOKED_AT + 1];
    size_t n = len < UNREADABLE_LOOKED_AT ? len : UNREADABLE_LOOKED_AT, w = 0;
    bool in_tag = false, space = true;
    const char *suffix = "";
    enum mc_err rc;

    if (loose_message(body, n, text, sizeof(text))) {
        *code = cli_exit_for_status(status);
        suffix = " (the answer was not valid JSON)";
    } else {
        for (size_t i = 0; i < n; i++) {
            char c = body[i];
            if (c == '<')
                in_tag = true;
            else if (c == '>' && in_tag)
                in_tag = false;
            else if (!in_tag && !(space && (c == ' ' || c == '\t' || c == '\r' || c == '\n'))) {
                space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
                text[w++] = (char)(space ? ' ' : (c ? c : '?'));
            }
        }
        while (w > 0 && text[w - 1] == ' ')
            w--;
        text[w] = '\0';
        if (w == 0)
            return MC_OK;
    }
    rc = mc_buf_appends(out, ": ");
    if (rc == MC_OK)
        rc = cli_text_append_clean(out, text, UNREADABLE_SHOWN);
    if (rc == MC_OK)
        rc = mc_buf_appends(out, suffix);
    return rc;
}

int cli_http_error_line(long status, const char *body, size_t len, struct mc_buf *out)
{
    cJSON *root = NULL;
    const char *message = NULL, *field = NULL;
    struct mc_error perr;
    int code = cli_exit_for_status(status);
    enum mc_err rc = MC_OK;

    if (code == CLI_EXIT_OK)
        return code;
    mc_error_clear(&perr);
    if (body && len > 0 && mc_json_parse(body, len, &root, &perr) == MC_OK) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
        message = string_member(e, "message");
        if (!message)
            message = string_member(e, "code");
        field = string_member(e, "field");
    }
    if (!message) {
        code = CLI_EXIT_ERROR;
        rc = mc_buf_appendf(out, "server answered %ld", status);
        if (rc == MC_OK && body && len > 0)
            rc = unreadable_body_append(out, body, len, &code, status);
        goto out;
    }
    rc = cli_text_append_clean(out, message, MC_MAX_ERR_MESSAGE);
    if (rc == MC_OK && field) {
        rc = mc_buf_appends(out, " (field: ");
        if (rc == MC_OK)
            rc = cli_text_append_clean(out, field, MC_MAX_ERR_FIELD);
        if (rc == MC_OK)
            rc = mc_buf_appendc(out, ')');
    }
out:
    if (rc != MC_OK)
        mc_buf_release(out); /* the caller falls back to a line of its own */
    cJSON_Delete(root);
    return code;
}

enum mc_err cli_path_append(struct mc_buf *path, const char *segment)
{
    static const char hex[] = "0123456789ABCDEF";
    /* "." and ".." would be removed by URL normalisation, not sent. */
    int only_dots = strspn(segment, ".") == strlen(segment);
    enum mc_err rc;

    if (!segment[0])
        return MC_ERR_INVALID;
    rc = mc_buf_appendc(path, '/');
    for (const unsigned char *p = (const unsigned char *)segment; rc == MC_OK && *p; p++) {
        unsigned char c = *p;
        int unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~' ||
                         (c == '.' && !only_dots);
        if (unreserved) {
            rc = mc_buf_appendc(path, (char)c);
        } else {
            const char enc[3] = {'%', hex[c >> 4], hex[c & 0x0F]};
            rc = mc_buf_append(path, enc, sizeof(enc));
        }
    }
    return rc;
}
