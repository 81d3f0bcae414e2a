/*
 * fuzz_webhook_url.c — where a webhook may be sent.
 *
 * The first byte chooses whether http:// is allowed (bit 0); the rest is
 * a subscription URL for webhook_url_check(), always with allow_private,
 * so that the check stops at the URL's form and scheme: a fuzzer must
 * never resolve names or send traffic.  This file defines getaddrinfo()
 * itself — the executable's definition takes the place of the C library's
 * for libcurl too — and aborts if anything calls it, so a path that would
 * reach DNS is a finding, not a lookup.
 *
 * The same bytes, read as an address, go to webhook_address_private():
 * any family but IPv4 and IPv6 is refused, an IPv4-mapped address always
 * is, and an IPv4 address carried in NAT64 (64:ff9b::/96) or 6to4
 * (2002::/16) form is judged as the IPv4 address itself.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "fuzz.h"
#include "webhook_url.h"

#include "mcred/banned.h"

/* Nothing in a fuzz run may resolve a name (see above). */
int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res)
{
    (void)service;
    (void)hints;
    (void)res;
    fprintf(stderr, "getaddrinfo(\"%s\") called during fuzzing\n", node ? node : "(null)");
    abort();
}

/* An accepted URL has a host and an allowed scheme, as libcurl reads it again. */
static void check_accepted(const char *url, bool allow_http)
{
    CURLU *u = curl_url();
    if (!u)
        return;
    char *scheme = NULL, *host = NULL;
    FUZZ_CHECK(curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK);
    FUZZ_CHECK(curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK);
    FUZZ_CHECK(curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host);
    FUZZ_CHECK(strcasecmp(scheme, "https") == 0 || (allow_http && strcasecmp(scheme, "http") == 0));
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
}

static void check_url(const uint8_t *data, size_t size, bool allow_http)
{
    char *url = fuzz_cstring(data, size);
    if (!url)
        return;
    struct mc_error err = {0};
    enum mc_err rc = webhook_url_check(url, allow_http, true, &err);
    if (rc == MC_OK)
        check_accepted(url, allow_http);
    else
        FUZZ_CHECK((rc == MC_ERR_INVALID && strcmp(err.field, "url") == 0) || rc == MC_ERR_NOMEM);
    free(url);
}

static bool v6_private(const unsigned char addr[16])
{
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
    memcpy(sa.sin6_addr.s6_addr, addr, 16);
    return webhook_address_private((const struct sockaddr *)&sa);
}

/* The IPv4 address in the input's first four bytes, bare and in IPv6 forms. */
static void check_embedded_v4(const unsigned char v4[4])
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    memcpy(&sa.sin_addr.s_addr, v4, 4);
    bool bare = webhook_address_private((const struct sockaddr *)&sa);
    unsigned char nat64[16] = {0, 0x64, 0xFF, 0x9B}, sixto4[16] = {0x20, 0x02};
    unsigned char mapped[16] = {[10] = 0xFF, [11] = 0xFF};
    memcpy(nat64 + 12, v4, 4);
    memcpy(sixto4 + 2, v4, 4);
    memcpy(mapped + 12, v4, 4);
    FUZZ_CHECK(v6_private(nat64) == bare);
    FUZZ_CHECK(v6_private(sixto4) == bare);
    FUZZ_CHECK(v6_private(mapped));
}

static void check_address(const uint8_t *data, size_t size)
{
    unsigned char bytes[16] = {0};
    memcpy(bytes, data, size < sizeof bytes ? size : sizeof bytes);
    check_embedded_v4(bytes);
    (void)v6_private(bytes);
    struct sockaddr_storage other = {.ss_family = AF_UNIX};
    FUZZ_CHECK(webhook_address_private((const struct sockaddr *)&other));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    check_url(data + 1, size - 1, data[0] & 1);
    check_address(data + 1, size - 1);
    return 0;
}
