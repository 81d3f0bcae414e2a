/*
 * arena.c — a bump allocator with a ceiling, for the many small objects of
 * one JSON-LD or canonicalisation call (see vc_internal.h).
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vc_internal.h"

#include "mcred/banned.h"

#define ARENA_CHUNK (64 * 1024)

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a, size_t max)
{
    a->head = NULL;
    a->total = 0;
    a->max = max;
}

void arena_release(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    if (n > SIZE_MAX / 2)
        return NULL;
    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    struct arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        if (size > a->max || a->total > a->max - size)
            return NULL;
        c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->used = 0;
        c->size = size;
        c->next = a->head;
        a->head = c;
        a->total += size;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_concat(struct arena *a, const char *s1, const char *s2)
{
    size_t n1 = strlen(s1), n2 = strlen(s2);
    char *p = arena_alloc(a, n1 + n2 + 1);
    if (!p)
        return NULL;
    /* the next memcpy ends it: n2 + 1 copies s2's NUL */
    memcpy(p, s1, n1); /* NOLINT(bugprone-not-null-terminated-result) */
    memcpy(p + n1, s2, n2 + 1);
    return p;
}
