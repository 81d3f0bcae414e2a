/*
 * ratelimit.c — see ratelimit.h.
 *
 * An open-addressed table keyed by the address bytes (IPv4 or IPv6, port
 * ignored), each entry with a ring of its last `limit` failure times.
 * One mutex guards it: it is touched only on failures and, for the check,
 * once per authenticated request, which is cheap next to a database trip.
 */
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/limits.h"
#include "ratelimit.h"

#include "mcred/banned.h"

#define ADDR_BYTES 16

struct entry {
    bool used;
    unsigned char addr[ADDR_BYTES];
    unsigned count; /* failures recorded, at most limit */
    unsigned head;  /* next slot of the ring */
    double last;    /* newest failure */
    double *times;  /* ring of `limit` failure times */
};

struct ratelimit {
    pthread_mutex_t lock;
    unsigned limit;
    double window;
    struct entry *entries;
    double *times;
};

struct ratelimit *ratelimit_create(unsigned limit, unsigned window_seconds)
{
    struct ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    rl->limit = limit ? limit : 1;
    rl->window = window_seconds;
    rl->entries = calloc(MC_AUTH_FAIL_ADDRESSES, sizeof *rl->entries);
    rl->times = calloc((size_t)MC_AUTH_FAIL_ADDRESSES * rl->limit, sizeof *rl->times);
    if (!rl->entries || !rl->times || pthread_mutex_init(&rl->lock, NULL) != 0) {
        free(rl->entries);
        free(rl->times);
        free(rl);
        return NULL;
    }
    for (size_t i = 0; i < MC_AUTH_FAIL_ADDRESSES; i++)
        rl->entries[i].times = rl->times + i * rl->limit;
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl->entries);
    free(rl->times);
    free(rl);
}

/* The address as 16 bytes (IPv4 mapped into IPv6); false for other families. */
static bool addr_key(const struct sockaddr *addr, unsigned char out[ADDR_BYTES])
{
    memset(out, 0, ADDR_BYTES);
    if (addr && addr->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)addr;
        out[10] = out[11] = 0xFF;
        memcpy(out + 12, &v4->sin_addr, 4);
        return true;
    }
    if (addr && addr->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)addr)->sin6_addr, ADDR_BYTES);
        return true;
    }
    return false;
}

static size_t addr_hash(const unsigned char key[ADDR_BYTES])
{
    size_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < ADDR_BYTES; i++)
        h = (h ^ key[i]) * 1099511628211ULL;
    return h;
}

/* Probe a few slots: the address's own, a free one, or (with `make`) the stalest. */
#define PROBES 8
static struct entry *lookup(struct ratelimit *rl, const unsigned char key[ADDR_BYTES], bool make)
{
    size_t start = addr_hash(key) % MC_AUTH_FAIL_ADDRESSES;
    struct entry *free_slot = NULL, *stalest = NULL;
    for (size_t i = 0; i < PROBES; i++) {
        struct entry *e = &rl->entries[(start + i) % MC_AUTH_FAIL_ADDRESSES];
        if (e->used && memcmp(e->addr, key, ADDR_BYTES) == 0)
            return e;
        if (!e->used && !free_slot)
            free_slot = e;
        if (e->used && (!stalest || e->last < stalest->last))
            stalest = e;
    }
    if (!make)
        return NULL;
    struct entry *e = free_slot ? free_slot : stalest;
    double *times = e->times;
    memset(e, 0, sizeof *e);
    e->times = times;
    e->used = true;
    memcpy(e->addr, key, ADDR_BYTES);
    return e;
}

unsigned ratelimit_wait(struct ratelimit *rl, const struct sockaddr *addr, double now)
{
    unsigned char key[ADDR_BYTES];
    if (!addr_key(addr, key))
        return 0;
    unsigned wait = 0;
    pthread_mutex_lock(&rl->lock);
    struct entry *e = lookup(rl, key, false);
    if (e && e->count >= rl->limit) {
        double oldest = e->times[e->head]; /* the ring is full: head is the oldest */
        double until = oldest + rl->window;
        if (until > now)
            wait = (unsigned)ceil(until - now);
    }
    pthread_mutex_unlock(&rl->lock);
    return wait;
}

void ratelimit_fail(struct ratelimit *rl, const struct sockaddr *addr, double now)
{
    unsigned char key[ADDR_BYTES];
    if (!addr_key(addr, key))
        return;
    pthread_mutex_lock(&rl->lock);
    struct entry *e = lookup(rl, key, true);
    e->times[e->head] = now;
    e->head = (e->head + 1) % rl->limit;
    if (e->count < rl->limit)
        e->count++;
    e->last = now;
    pthread_mutex_unlock(&rl->lock);
}
