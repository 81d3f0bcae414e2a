/*
 * webhook_url.c — see webhook_url.h.  libcurl's URL parser reads the URL
 * the way the dispatcher's libcurl will, so what is checked is what will
 * be connected to.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "webhook_url.h"

#include "mcred/banned.h"

static bool v4_private(uint32_t a)
{
    static const struct {
        uint32_t net, mask;
    } blocks[] = {
        {0x00000000u, 0xFF000000u}, /* 0/8: this network, unspecified */
        {0x0A000000u, 0xFF000000u}, /* 10/8 */
        {0x64400000u, 0xFFC00000u}, /* 100.64/10: shared (carrier NAT) */
        {0x7F000000u, 0xFF000000u}, /* 127/8: loopback */
        {0xA9FE0000u, 0xFFFF0000u}, /* 169.254/16: link-local */
        {0xAC100000u, 0xFFF00000u}, /* 172.16/12 */
        {0xC0000000u, 0xFFFFFF00u}, /* 192.0.0/24: protocol assignments */
        {0xC0A80000u, 0xFFFF0000u}, /* 192.168/16 */
        {0xC6120000u, 0xFFFE0000u}, /* 198.18/15: benchmarking */
        {0xE0000000u, 0xF0000000u}, /* 224/4: multicast */
        {0xF0000000u, 0xF0000000u}, /* 240/4: reserved, broadcast */
    };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if ((a & blocks[i].mask) == blocks[i].net)
            return true;
    return false;
}

bool webhook_address_private(const struct sockaddr *addr)
{
    if (addr->sa_family == AF_INET)
        return v4_private(ntohl(((const struct sockaddr_in *)addr)->sin_addr.s_addr));
    if (addr->sa_family != AF_INET6)
        return true; /* nothing else is a place to send to */
    const unsigned char *b = ((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr;
    static const unsigned char zero[16];
    if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1))
        return true; /* :: and ::1 */
    if ((b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) || b[0] == 0xFF)
        return true; /* fc00::/7, fe80::/10, ff00::/8 */
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, zero, 12) == 0) {
        uint32_t v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
        return v4_private(v4); /* ::ffff:a.b.c.d and the old ::a.b.c.d */
    }
    return false;
}

static enum mc_err refuse(struct mc_error *err, const char *why)
{
    return mc_error_set(err, MC_ERR_INVALID, "url", "%s", why);
}

/* The host's addresses must all lie outside private networks. */
static enum mc_err check_host(const char *host, struct mc_error *err)
{
    char bare[256];
    size_t n = strlen(host);
    if (n >= sizeof bare)
        return refuse(err, "the url's host is too long");
    /* [v6] as libcurl gives it */
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        memcpy(bare, host + 1, n - 2);
        bare[n - 2] = '\0';
    } else {
        memcpy(bare, host, n + 1);
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *list = NULL;
    if (getaddrinfo(bare, NULL, &hints, &list) != 0 || !list)
        return refuse(err, "the url's host does not resolve");
    enum mc_err rc = MC_OK;
    for (struct addrinfo *a = list; a && rc == MC_OK; a = a->ai_next)
        if (webhook_address_private(a->ai_addr))
            rc = refuse(err, "the url's host is a loopback, private, link-local, multicast or "
                             "reserved address; webhooks go to public addresses (an operator "
                             "may allow others with MCRED_WEBHOOK_ALLOW_PRIVATE=1)");
    freeaddrinfo(list);
    return rc;
}

enum mc_err webhook_url_check(const char *url, bool allow_http, bool allow_private,
                              struct mc_error *err)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    enum mc_err rc = MC_OK;
    if (!u)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
        rc = refuse(err, "url must be an absolute http(s) URL with a host");
    } else if (strcasecmp(scheme, "https") != 0 &&
               !(allow_http && strcasecmp(scheme, "http") == 0)) {
        rc = refuse(err, allow_http ? "url must be http:// or https://"
                                    : "url must be https:// (an operator may allow http:// "
                                      "with MCRED_WEBHOOK_ALLOW_HTTP=1)");
    } else if (!allow_private) {
        rc = check_host(host, err);
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}
