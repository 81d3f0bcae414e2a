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

/*
 * IPv4: IANA's IPv4 Special-Purpose Address Registry, every block that is
 * not globally reachable, and multicast (a webhook goes to one host).
 * Blocks the registry marks globally reachable (AS112 192.31.196/24 and
 * 192.175.48/24, AMT 192.52.193/24, and 192.0.0.9 and .10 inside the
 * protocol-assignments block) are allowed.
 */
static bool v4_private(uint32_t a)
{
    static const struct {
        uint32_t net, mask;
    } blocks[] = {
        {0x00000000u, 0xFF000000u}, /* 0/8: this network */
        {0x0A000000u, 0xFF000000u}, /* 10/8: private */
        {0x64400000u, 0xFFC00000u}, /* 100.64/10: shared (carrier-grade NAT) */
        {0x7F000000u, 0xFF000000u}, /* 127/8: loopback */
        {0xA9FE0000u, 0xFFFF0000u}, /* 169.254/16: link-local */
        {0xAC100000u, 0xFFF00000u}, /* 172.16/12: private */
        {0xC0000000u, 0xFFFFFF00u}, /* 192.0.0/24: protocol assignments (but .9, .10) */
        {0xC0000200u, 0xFFFFFF00u}, /* 192.0.2/24: documentation (TEST-NET-1) */
        {0xC0586300u, 0xFFFFFF00u}, /* 192.88.99/24: 6to4 relay anycast, deprecated */
        {0xC0A80000u, 0xFFFF0000u}, /* 192.168/16: private */
        {0xC6120000u, 0xFFFE0000u}, /* 198.18/15: benchmarking */
        {0xC6336400u, 0xFFFFFF00u}, /* 198.51.100/24: documentation (TEST-NET-2) */
        {0xCB007100u, 0xFFFFFF00u}, /* 203.0.113/24: documentation (TEST-NET-3) */
        {0xE0000000u, 0xF0000000u}, /* 224/4: multicast */
        {0xF0000000u, 0xF0000000u}, /* 240/4: reserved; 255.255.255.255 broadcast */
    };
    if (a == 0xC0000009u || a == 0xC000000Au)
        return false; /* 192.0.0.9 PCP anycast, 192.0.0.10 TURN anycast: global */
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if ((a & blocks[i].mask) == blocks[i].net)
            return true;
    return false;
}

/* Does the address begin with the `bits` leading bits of `prefix`? */
static bool v6_in(const unsigned char *b, const unsigned char *prefix, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(b, prefix, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char)(0xFFu << (8 - rest));
    return (b[whole] & mask) == (prefix[whole] & mask);
}

static uint32_t v4_at(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/*
 * 2001::/23, IETF protocol assignments: not globally reachable but for
 * the entries IANA's IPv6 Special-Purpose Address Registry marks so.
 */
static bool v6_ietf_global(const unsigned char *b)
{
    static const struct {
        unsigned char prefix[16];
        unsigned bits;
    } global[] = {
        {{0x20, 0x01, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01}, 128}, /* PCP anycast */
        {{0x20, 0x01, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02}, 128}, /* TURN anycast */
        {{0x20, 0x01, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03}, 128}, /* DNS-SD SRP */
        {{0x20, 0x01, 0, 0x03}, 32},                                         /* AMT */
        {{0x20, 0x01, 0, 0x04, 0x01, 0x12}, 48},                             /* AS112-v6 */
        {{0x20, 0x01, 0, 0x20}, 28},                                         /* ORCHIDv2 */
        {{0x20, 0x01, 0, 0x30}, 28},                                         /* drone remote ID */
    };
    for (size_t i = 0; i < sizeof global / sizeof global[0]; i++)
        if (v6_in(b, global[i].prefix, global[i].bits))
            return true;
    return false;
}

/*
 * IPv6: only global unicast (2000::/3) outside the registry's blocks that
 * are not globally reachable; and where an IPv4 address travels inside
 * (NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32), that address
 * must be one a webhook may reach, since the packets end up there.
 */
static bool v6_private(const unsigned char *b)
{
    static const unsigned char nat64[16] = {0, 0x64, 0xFF, 0x9B};
    static const unsigned char sixto4[16] = {0x20, 0x02};
    static const unsigned char ietf[16] = {0x20, 0x01}; /* 2001::/23, and Teredo 2001::/32 */
    static const unsigned char doc[16] = {0x20, 0x01, 0x0D, 0xB8};
    static const unsigned char doc2[16] = {0x3F, 0xFF};
    static const unsigned char unicast[16] = {0x20};
    if (v6_in(b, nat64, 96))
        return v4_private(v4_at(b + 12));
    if (!v6_in(b, unicast, 3))
        return true; /* loopback, mapped, ULA, link- and site-local, multicast, 100::/64, … */
    if (v6_in(b, sixto4, 16))
        return v4_private(v4_at(b + 2));
    if (v6_in(b, ietf, 32)) {
        /* the server's address, then the client's, stored inverted */
        return v4_private(v4_at(b + 4)) || v4_private(~v4_at(b + 12));
    }
    if (v6_in(b, ietf, 23))
        return !v6_ietf_global(b);
    return v6_in(b, doc, 32) || v6_in(b, doc2, 20); /* documentation */
}

bool webhook_address_private(const struct sockaddr *addr)
{
    if (addr->sa_family == AF_INET)
        return v4_private(ntohl(((const struct sockaddr_in *)addr)->sin_addr.s_addr));
    if (addr->sa_family != AF_INET6)
        return true; /* nothing else is a place to send to */
    return v6_private(((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr);
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
            rc = refuse(err, "the url's host is not a globally reachable address (it is "
                             "loopback, private, link-local, multicast, reserved, for "
                             "documentation, or carries such an address); webhooks go to public "
                             "addresses (an operator may allow others with "
                             "MCRED_WEBHOOK_ALLOW_PRIVATE=1)");
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
