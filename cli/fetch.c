/*
 * fetch.c — GET of public documents by absolute URL; see fetch.h.
 *
 * Not cli_http_send(): that one talks to the configured server with the
 * user's token, while these URLs are named by a document from anywhere
 * and must never see the token.  One easy handle per document.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "mcred/json.h"
#include "mcred/version.h"

#include "fetch.h"

#include "mcred/banned.h"

/* Shown of a refused URL at most, so a hostile one cannot flood the terminal. */
#define URL_SHOWN 200

bool cli_fetch_host_loopback(const char *host)
{
    unsigned a, b, c, d;
    char tail;

    if (!host)
        return false;
    if (strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0)
        return true;
    /* 127.0.0.0/8 in dotted quad only: other spellings ("127.1",
     * "0x7f.1") are not worth the doubt they would bring. */
    /* NOLINTNEXTLINE(cert-err34-c): the count and the %c tail catch what strtoul would */
    if (sscanf(host, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) != 4)
        return false;
    if (strspn(host, "0123456789.") != strlen(host))
        return false;
    return a == 127 && b < 256 && c < 256 && d < 256;
}

/* The scheme and host of `url` (free them with curl_free), through libcurl's own parser. */
static enum mc_err url_parts(const char *url, char **scheme, char **host, struct mc_error *err)
{
    CURLU *u = curl_url();
    CURLUcode uc;

    *scheme = *host = NULL;
    if (!u)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, "out of memory");
    uc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (uc == CURLUE_OK)
        uc = curl_url_get(u, CURLUPART_SCHEME, scheme, 0);
    if (uc == CURLUE_OK)
        uc = curl_url_get(u, CURLUPART_HOST, host, 0);
    curl_url_cleanup(u);
    if (uc != CURLUE_OK) {
        curl_free(*scheme);
        curl_free(*host);
        *scheme = *host = NULL;
        return mc_error_set(err, MC_ERR_INVALID, NULL, "'%.*s' is not a URL", URL_SHOWN, url);
    }
    return MC_OK;
}

enum mc_err cli_fetch_allowed(const char *url, struct mc_error *err)
{
    char *scheme = NULL, *host = NULL;
    enum mc_err rc;

    if (!url || !*url)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "no URL to fetch");
    if (strlen(url) > CLI_FETCH_MAX_URL)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "a URL longer than %d bytes",
                            CLI_FETCH_MAX_URL);
    /* Only absolute http(s) URLs; libcurl would guess a scheme otherwise. */
    if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        return mc_error_set(err, MC_ERR_INVALID, NULL,
                            "refusing to fetch '%.*s': only https:// URLs are fetched", URL_SHOWN,
                            url);
    rc = url_parts(url, &scheme, &host, err);
    if (rc != MC_OK)
        return rc;
    if (!scheme || (strcmp(scheme, "https") != 0 && !cli_fetch_host_loopback(host)))
        rc = mc_error_set(err, MC_ERR_INVALID, NULL,
                          "refusing plain http:// to %.*s: only https:// is fetched, or http:// "
                          "to this machine (127.0.0.1, ::1, localhost)",
                          URL_SHOWN, host);
    curl_free(scheme);
    curl_free(host);
    return rc;
}

struct sink {
    struct mc_buf *buf;
    enum mc_err rc;
};

static size_t fetch_write(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct sink *s = userdata;
    size_t n = size * nmemb;
    enum mc_err rc = mc_buf_append(s->buf, data, n);

    if (rc != MC_OK) {
        s->rc = rc;
        return 0; /* stops the transfer */
    }
    return n;
}

/* The options every fetch has; `loopback`: the URL names this machine. */
static CURLcode fetch_setup(CURL *h, const char *url, struct curl_slist *headers, struct sink *sink,
                            char *errbuf)
{
    CURLcode cc = curl_easy_setopt(h, CURLOPT_URL, url);

    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
#else
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)CURLPROTO_HTTPS);
#endif
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_MAXREDIRS, CLI_FETCH_REDIRECTS);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_TIMEOUT, CLI_FETCH_TIMEOUT);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)CLI_FETCH_MAX);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_USERAGENT, "mcred/" MC_VERSION);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_write);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(h, CURLOPT_WRITEDATA, sink);
    return cc;
}

/* GET url into body; *status is the final answer's. */
static enum mc_err fetch_body(const char *url, struct mc_buf *body, long *status,
                              struct mc_error *err)
{
    struct curl_slist *headers = NULL, *next;
    struct sink sink = {.buf = body, .rc = MC_OK};
    char errbuf[CURL_ERROR_SIZE];
    CURL *h = NULL;
    CURLcode cc;
    enum mc_err rc = MC_OK;

    errbuf[0] = '\0';
    next = curl_slist_append(NULL, "Accept: application/json");
    if (!next)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, "out of memory");
    headers = next;
    h = curl_easy_init();
    if (!h) {
        curl_slist_free_all(headers);
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not start a libcurl transfer");
    }
    cc = fetch_setup(h, url, headers, &sink, errbuf);
    /* A test server on this machine must be reached directly, whatever
     * http_proxy says: traffic to loopback never leaves it. */
    if (cc == CURLE_OK && strncmp(url, "http://", 7) == 0)
        cc = curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
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
            rc = mc_error_set(err, MC_ERR_TOO_LARGE, NULL, "%.*s: the answer is larger than %d KiB",
                              URL_SHOWN, url, CLI_FETCH_MAX / 1024);
        else if (sink.rc != MC_OK)
            rc = mc_error_set(err, sink.rc, NULL, "out of memory");
        else
            rc = mc_error_set(err, MC_ERR_UNAVAILABLE, NULL, "could not fetch %.*s: %s", URL_SHOWN,
                              url, n ? errbuf : curl_easy_strerror(cc));
        goto out;
    }
    cc = curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    if (cc != CURLE_OK)
        rc = mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not read the answer's status: %s",
                          curl_easy_strerror(cc));
out:
    curl_easy_cleanup(h);
    curl_slist_free_all(headers);
    return rc;
}

enum mc_err cli_fetch_json(const char *url, cJSON **out, struct mc_error *err)
{
    struct mc_buf body;
    struct mc_error perr;
    cJSON *doc = NULL;
    long status = 0;
    enum mc_err rc = cli_fetch_allowed(url, err);

    if (rc != MC_OK)
        return rc;
    mc_buf_init(&body, CLI_FETCH_MAX);
    mc_error_clear(&perr);
    rc = fetch_body(url, &body, &status, err);
    if (rc == MC_OK && status != 200)
        rc = mc_error_set(err, status == 404 ? MC_ERR_NOT_FOUND : MC_ERR_UNAVAILABLE, NULL,
                          "%.*s answered %ld", URL_SHOWN, url, status);
    if (rc == MC_OK &&
        (mc_json_parse(body.data, body.len, &doc, &perr) != MC_OK || !cJSON_IsObject(doc))) {
        cJSON_Delete(doc);
        doc = NULL;
        rc = mc_error_set(err, MC_ERR_INVALID, NULL, "%.*s did not answer a JSON object", URL_SHOWN,
                          url);
    }
    mc_buf_release(&body);
    if (rc == MC_OK)
        *out = doc;
    return rc;
}
