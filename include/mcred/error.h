/*
 * error.h — the one numbered list of everything that can go wrong in mcred.
 *
 * Server and CLI share these codes.  Each code has a stable name (the
 * "code" field of the JSON error shape, DESIGN.md §3), a default message
 * and an HTTP status; the mapping lives in lib/error.c as switches without
 * a default label, so a new code that nobody mapped does not compile.
 * Codes are never renumbered: append new ones at the end.
 */
#ifndef MCRED_ERROR_H
#define MCRED_ERROR_H

#include <stdarg.h>

#include "mcred/limits.h"

enum mc_err {
    MC_OK = 0,
    MC_ERR_MALFORMED = 1,       /* 400: the request cannot be parsed */
    MC_ERR_UNAUTHENTICATED = 2, /* 401: no, bad, expired or revoked token */
    MC_ERR_FORBIDDEN = 3,       /* 403: known person without the right */
    MC_ERR_NOT_FOUND = 4,       /* 404 */
    MC_ERR_METHOD = 5,          /* 405: path exists, method does not */
    MC_ERR_CONFLICT = 6,        /* 409 */
    MC_ERR_TOO_LARGE = 7,       /* 413: body over the limit */
    MC_ERR_URI_TOO_LONG = 8,    /* 414 */
    MC_ERR_MEDIA_TYPE = 9,      /* 415 */
    MC_ERR_INVALID = 10,        /* 422: well-formed, but invalid values */
    MC_ERR_RATE_LIMITED = 11,   /* 429 */
    MC_ERR_INTERNAL = 12,       /* 500 */
    MC_ERR_NOMEM = 13,          /* 500: an allocation failed */
    MC_ERR_UNAVAILABLE = 14,    /* 503: the database cannot be reached */
    MC_ERR_TIMEOUT = 15,        /* 503: a pool or lock wait ran out */
};

/* The error's stable machine name, e.g. "not_found". */
const char *mc_err_name(enum mc_err code);

/* A short lowercase default message, e.g. "not found". */
const char *mc_strerror(enum mc_err code);

/* The HTTP status a code is answered with. */
unsigned int mc_http_status(enum mc_err code);

/*
 * A code with the field it concerns and a message for people.  Filled by
 * the function that failed; the caller passes it up or turns it into an
 * answer.  Fixed-size so that recording an error cannot itself fail.
 */
struct mc_error {
    enum mc_err code;
    char field[MC_MAX_ERR_FIELD];     /* "" when no single field is at fault */
    char message[MC_MAX_ERR_MESSAGE]; /* "" means use mc_strerror(code) */
    char detail[MC_MAX_ERR_MESSAGE];  /* for operators' logs only, never for clients */
};

void mc_error_clear(struct mc_error *e);

/*
 * Record an error and return its code, so that a failing branch is one
 * line: `return mc_error_set(err, MC_ERR_INVALID, "email", "...");`.
 * field and fmt may be NULL.  err may be NULL (the code is still returned).
 */
enum mc_err mc_error_set(struct mc_error *err, enum mc_err code, const char *field, const char *fmt,
                         ...) __attribute__((format(printf, 4, 5)));

enum mc_err mc_error_setv(struct mc_error *err, enum mc_err code, const char *field,
                          const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

/* Add an operator-facing detail (e.g. PostgreSQL's own message) to a recorded error. */
void mc_error_detail(struct mc_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The message to show: err->message, or the code's default. */
const char *mc_error_message(const struct mc_error *err);

#endif
