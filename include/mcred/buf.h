/*
 * buf.h — a growable, always NUL-terminated byte buffer with a ceiling
 * (after git's strbuf and curl's dynbuf).
 *
 * After mc_buf_init() the buffer is valid and empty: data is never NULL and
 * always ends in '\0', so it can be handed to C string functions at any
 * time.  Capacity doubles as it grows.  An append that would take the
 * length past `max` frees the contents and returns MC_ERR_TOO_LARGE; a
 * failed allocation frees them too and returns MC_ERR_NOMEM.  Either way
 * the buffer is empty and still valid afterwards.
 */
#ifndef MCRED_BUF_H
#define MCRED_BUF_H

#include <stddef.h>

#include "mcred/error.h"

struct mc_buf {
    char *data;
    size_t len;
    size_t cap; /* 0 while data points at the shared empty string */
    size_t max; /* the length may never exceed this */
};

void mc_buf_init(struct mc_buf *b, size_t max);
void mc_buf_release(struct mc_buf *b);
void mc_buf_reset(struct mc_buf *b); /* length 0, keeps the memory */

enum mc_err mc_buf_append(struct mc_buf *b, const void *data, size_t len)
    __attribute__((warn_unused_result));
enum mc_err mc_buf_appends(struct mc_buf *b, const char *s) __attribute__((warn_unused_result));
enum mc_err mc_buf_appendc(struct mc_buf *b, char c) __attribute__((warn_unused_result));
enum mc_err mc_buf_appendf(struct mc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), warn_unused_result));

/*
 * snprintf into a fixed array where a cut is meant (messages that echo
 * what a user typed): never a warning about truncation, and a cut falls
 * between UTF-8 characters, never inside one.
 */
void mc_format_cut(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Hand the contents to the caller (free() them) and leave the buffer
 * empty.  Returns NULL only if an empty buffer's copy cannot be allocated.
 */
char *mc_buf_detach(struct mc_buf *b, size_t *out_len);

#endif
