/*
 * known_tokens.c — see known_tokens.h.
 *
 * An open-addressed table: a key may live in PROBES consecutive slots
 * from the one its first bytes name (the key is a keyed hash, so its bytes
 * are already uniform).  An expired entry is a free slot.  One mutex
 * guards the table; it is taken once per authenticated request, for a
 * few comparisons, which is nothing next to the database round trip.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "known_tokens.h"

#include "mcred/banned.h"

#define PROBES 8

struct entry {
    bool used;
    unsigned char key[KNOWN_TOKEN_KEY_BYTES];
    double seen; /* the last successful authentication */
};

struct known_tokens {
    pthread_mutex_t lock;
    size_t slots;
    double ttl;
    struct entry *entries;
};

struct known_tokens *known_tokens_create(size_t slots, unsigned ttl_seconds)
{
    if (slots == 0)
        return NULL;
    struct known_tokens *kt = calloc(1, sizeof *kt);
    if (!kt)
        return NULL;
    kt->slots = slots;
    kt->ttl = ttl_seconds;
    kt->entries = calloc(slots, sizeof *kt->entries);
    if (!kt->entries || pthread_mutex_init(&kt->lock, NULL) != 0) {
        free(kt->entries);
        free(kt);
        return NULL;
    }
    return kt;
}

void known_tokens_free(struct known_tokens *kt)
{
    if (!kt)
        return;
    pthread_mutex_destroy(&kt->lock);
    sodium_memzero(kt->entries, kt->slots * sizeof *kt->entries);
    free(kt->entries);
    free(kt);
}

bool known_token_key(const char *hash_param, unsigned char out[KNOWN_TOKEN_KEY_BYTES])
{
    size_t len = 0;
    if (!hash_param || strncmp(hash_param, "\\x", 2) != 0 ||
        strlen(hash_param + 2) < 2 * KNOWN_TOKEN_KEY_BYTES)
        return false;
    return sodium_hex2bin(out, KNOWN_TOKEN_KEY_BYTES, hash_param + 2, 2 * KNOWN_TOKEN_KEY_BYTES,
                          NULL, &len, NULL) == 0 &&
           len == KNOWN_TOKEN_KEY_BYTES;
}

static bool alive(const struct known_tokens *kt, const struct entry *e, double now)
{
    return e->used && now - e->seen < kt->ttl;
}

static size_t first_slot(const struct known_tokens *kt, const unsigned char key[])
{
    size_t h = 0;
    for (size_t i = 0; i < sizeof h; i++)
        h = (h << 8) | key[i];
    return h % kt->slots;
}

/* The live entry holding key, or NULL. */
static struct entry *find(struct known_tokens *kt, const unsigned char key[], double now)
{
    size_t start = first_slot(kt, key), probes = kt->slots < PROBES ? kt->slots : PROBES;
    for (size_t i = 0; i < probes; i++) {
        struct entry *e = &kt->entries[(start + i) % kt->slots];
        if (alive(kt, e, now) && memcmp(e->key, key, KNOWN_TOKEN_KEY_BYTES) == 0)
            return e;
    }
    return NULL;
}

/* Where a new key goes: a free or expired slot among its probes, else the stalest. */
static struct entry *slot_for(struct known_tokens *kt, const unsigned char key[], double now)
{
    size_t start = first_slot(kt, key), probes = kt->slots < PROBES ? kt->slots : PROBES;
    struct entry *stalest = NULL;
    for (size_t i = 0; i < probes; i++) {
        struct entry *e = &kt->entries[(start + i) % kt->slots];
        if (!alive(kt, e, now))
            return e;
        if (!stalest || e->seen < stalest->seen)
            stalest = e;
    }
    return stalest;
}

bool known_tokens_has(struct known_tokens *kt, const unsigned char key[KNOWN_TOKEN_KEY_BYTES],
                      double now)
{
    pthread_mutex_lock(&kt->lock);
    bool found = find(kt, key, now) != NULL;
    pthread_mutex_unlock(&kt->lock);
    return found;
}

void known_tokens_add(struct known_tokens *kt, const unsigned char key[KNOWN_TOKEN_KEY_BYTES],
                      double now)
{
    pthread_mutex_lock(&kt->lock);
    struct entry *e = find(kt, key, now);
    if (!e) {
        e = slot_for(kt, key, now);
        e->used = true;
        memcpy(e->key, key, KNOWN_TOKEN_KEY_BYTES);
    }
    e->seen = now;
    pthread_mutex_unlock(&kt->lock);
}

void known_tokens_forget(struct known_tokens *kt, const unsigned char key[KNOWN_TOKEN_KEY_BYTES])
{
    pthread_mutex_lock(&kt->lock);
    size_t start = first_slot(kt, key), probes = kt->slots < PROBES ? kt->slots : PROBES;
    for (size_t i = 0; i < probes; i++) {
        struct entry *e = &kt->entries[(start + i) % kt->slots];
        if (e->used && memcmp(e->key, key, KNOWN_TOKEN_KEY_BYTES) == 0)
            memset(e, 0, sizeof *e);
    }
    pthread_mutex_unlock(&kt->lock);
}
