/*
 * trusted_proxies.c — see trusted_proxies.h.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "trusted_proxies.h"

#include "mcred/banned.h"

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

bool net_addr_parse(const char *s, size_t len, struct net_addr *out)
{
    char text[INET6_ADDRSTRLEN];
    if (len == 0 || len >= sizeof text || memchr(s, '\0', len))
        return false;
    memcpy(text, s, len);
    text[len] = '\0';
    unsigned char v4[4];
    /* glibc's inet_pton takes exactly a.b.c.d in decimal (no octal, no short forms) */
    if (inet_pton(AF_INET, text, v4) == 1) {
        memcpy(out->b, v4_mapped, sizeof v4_mapped);
        memcpy(out->b + 12, v4, 4);
        return true;
    }
    return inet_pton(AF_INET6, text, out->b) == 1;
}

bool net_addr_from_sockaddr(const struct sockaddr *sa, struct net_addr *out)
{
    if (sa && sa->sa_family == AF_INET) {
        memcpy(out->b, v4_mapped, sizeof v4_mapped);
        memcpy(out->b + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return true;
    }
    if (sa && sa->sa_family == AF_INET6) {
        memcpy(out->b, &((const struct sockaddr_in6 *)sa)->sin6_addr, sizeof out->b);
        return true;
    }
    return false;
}

void net_addr_to_sockaddr(const struct net_addr *a, struct sockaddr_storage *out)
{
    memset(out, 0, sizeof *out);
    if (memcmp(a->b, v4_mapped, sizeof v4_mapped) == 0) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)out;
        v4->sin_family = AF_INET;
        memcpy(&v4->sin_addr, a->b + 12, 4);
        return;
    }
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    v6->sin6_family = AF_INET6;
    memcpy(&v6->sin6_addr, a->b, sizeof a->b);
}

static bool in_block(const struct net_block *blk, const struct net_addr *a)
{
    unsigned whole = blk->bits / 8, rest = blk->bits % 8;
    if (memcmp(blk->addr.b, a->b, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char)(0xFF << (8 - rest));
    return (blk->addr.b[whole] & mask) == (a->b[whole] & mask);
}

/* Whether no bit of a beyond the first `bits` is set. */
static bool host_bits_clear(const struct net_addr *a, unsigned bits)
{
    for (unsigned i = bits; i < 128; i++)
        if (a->b[i / 8] & (0x80 >> (i % 8)))
            return false;
    return true;
}

/* A prefix length: 1 to 3 decimal digits, at most max. */
static bool parse_bits(const char *s, size_t len, unsigned max, unsigned *out)
{
    if (len == 0 || len > 3 || strspn(s, "0123456789") < len)
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < len; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    if (v > max)
        return false;
    *out = v;
    return true;
}

/* One entry, spaces already trimmed: an address, or an address "/" prefix length. */
static bool parse_block(const char *s, size_t len, struct net_block *out)
{
    const char *slash = memchr(s, '/', len);
    size_t addr_len = slash ? (size_t)(slash - s) : len;
    if (!net_addr_parse(s, addr_len, &out->addr))
        return false;
    bool v4 = memchr(s, ':', addr_len) == NULL;
    if (!slash) {
        out->bits = 128;
        return true;
    }
    unsigned bits;
    if (!parse_bits(slash + 1, len - addr_len - 1, v4 ? 32 : 128, &bits))
        return false;
    out->bits = v4 ? 96 + bits : bits;
    return host_bits_clear(&out->addr, out->bits);
}

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* What was refused, for "…, not <words>": an operator who wrote "10.0.0.0/8," sees why (an
 * empty pair of quotes says nothing to them); any other entry quoted, the quotes kept when it is
 * cut to fit. */
static void refused_words(const char *entry, size_t entry_len, char *bad, size_t bad_len)
{
    if (entry_len == 0) {
        snprintf(bad, bad_len, "an empty entry (a stray comma)");
        return;
    }
    size_t room = bad_len > 3 ? bad_len - 3 : 0;
    snprintf(bad, bad_len, "\"%.*s\"", (int)(entry_len < room ? entry_len : room), entry);
}

enum mc_err trusted_proxies_parse(const char *list, struct trusted_proxies *out, char *bad,
                                  size_t bad_len)
{
    struct trusted_proxies tp = {.count = 0};
    if (!list || !*list) {
        *out = tp;
        return MC_OK;
    }
    const char *at = list;
    for (;;) {
        size_t len = strcspn(at, ",");
        const char *entry = at;
        size_t entry_len = len;
        trim(&entry, &entry_len);
        if (tp.count == MC_TRUSTED_PROXIES_MAX ||
            !parse_block(entry, entry_len, &tp.blocks[tp.count])) {
            refused_words(entry, entry_len, bad, bad_len);
            return MC_ERR_INVALID;
        }
        tp.count++;
        if (at[len] == '\0')
            break;
        at += len + 1;
    }
    *out = tp;
    return MC_OK;
}

bool trusted_proxies_contains(const struct trusted_proxies *tp, const struct net_addr *a)
{
    for (size_t i = 0; i < tp->count; i++)
        if (in_block(&tp->blocks[i], a))
            return true;
    return false;
}

void trusted_proxies_client(const struct trusted_proxies *tp, const struct net_addr *peer,
                            const char *forwarded_for, struct net_addr *out)
{
    *out = *peer;
    if (!forwarded_for || !trusted_proxies_contains(tp, peer))
        return;
    const char *end = forwarded_for + strlen(forwarded_for);
    struct net_addr hop = *peer;
    while (end > forwarded_for) {
        const char *start = end;
        while (start > forwarded_for && start[-1] != ',')
            start--;
        const char *entry = start;
        size_t len = (size_t)(end - start);
        trim(&entry, &len);
        if (!net_addr_parse(entry, len, &hop)) {
            *out = *peer; /* a proxy of ours wrote what we cannot read: trust nothing in it */
            return;
        }
        if (!trusted_proxies_contains(tp, &hop))
            break;
        if (start == forwarded_for)
            break;
        end = start - 1;
    }
    *out = hop;
}
