/*
 * vc_testutil.h — reading fixture files in the vc/ unit tests.
 */
#ifndef MCRED_VC_TESTUTIL_H
#define MCRED_VC_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

/* The whole file dir/name, NUL-terminated (free() it); NULL if unreadable. */
static inline char *vc_read_fixture(const char *dir, const char *name, size_t *out_len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
        if (len + 1 == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    if (out_len)
        *out_len = len;
    return buf;
}

static inline cJSON *vc_read_json(const char *dir, const char *name)
{
    char *text = vc_read_fixture(dir, name, NULL);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    return j;
}

#endif
