/*
 * error.c — names, messages and HTTP statuses of mcred's error codes.
 *
 * Each switch lists every code and has no default label: with -Wswitch
 * (part of -Wall) a code added to error.h but not mapped here is a build
 * error.
 */
#include <stdio.h>
#include <string.h>

#include "mcred/error.h"

#include "mcred/banned.h"

const char *mc_err_name(enum mc_err code)
{
    switch (code) {
    case MC_OK:
        return "ok";
    case MC_ERR_MALFORMED:
        return "malformed";
    case MC_ERR_UNAUTHENTICATED:
        return "unauthenticated";
    case MC_ERR_FORBIDDEN:
        return "forbidden";
    case MC_ERR_NOT_FOUND:
        return "not_found";
    case MC_ERR_METHOD:
        return "method_not_allowed";
    case MC_ERR_CONFLICT:
        return "conflict";
    case MC_ERR_TOO_LARGE:
        return "too_large";
    case MC_ERR_URI_TOO_LONG:
        return "uri_too_long";
    case MC_ERR_MEDIA_TYPE:
        return "unsupported_media_type";
    case MC_ERR_INVALID:
        return "invalid";
    case MC_ERR_RATE_LIMITED:
        return "rate_limited";
    case MC_ERR_INTERNAL:
        return "internal";
    case MC_ERR_NOMEM:
        return "out_of_memory";
    case MC_ERR_UNAVAILABLE:
        return "unavailable";
    case MC_ERR_TIMEOUT:
        return "timeout";
    }
    return "internal";
}

const char *mc_strerror(enum mc_err code)
{
    switch (code) {
    case MC_OK:
        return "success";
    case MC_ERR_MALFORMED:
        return "malformed request";
    case MC_ERR_UNAUTHENTICATED:
        return "authentication required";
    case MC_ERR_FORBIDDEN:
        return "permission denied";
    case MC_ERR_NOT_FOUND:
        return "not found";
    case MC_ERR_METHOD:
        return "method not allowed";
    case MC_ERR_CONFLICT:
        return "conflict";
    case MC_ERR_TOO_LARGE:
        return "request body too large";
    case MC_ERR_URI_TOO_LONG:
        return "request target too long";
    case MC_ERR_MEDIA_TYPE:
        return "unsupported media type";
    case MC_ERR_INVALID:
        return "invalid value";
    case MC_ERR_RATE_LIMITED:
        return "too many requests";
    case MC_ERR_INTERNAL:
        return "internal error";
    case MC_ERR_NOMEM:
        return "out of memory";
    case MC_ERR_UNAVAILABLE:
        return "database unavailable";
    case MC_ERR_TIMEOUT:
        return "timed out waiting for the database";
    }
    return "internal error";
}

unsigned int mc_http_status(enum mc_err code)
{
    switch (code) {
    case MC_OK:
        return 200;
    case MC_ERR_MALFORMED:
        return 400;
    case MC_ERR_UNAUTHENTICATED:
        return 401;
    case MC_ERR_FORBIDDEN:
        return 403;
    case MC_ERR_NOT_FOUND:
        return 404;
    case MC_ERR_METHOD:
        return 405;
    case MC_ERR_CONFLICT:
        return 409;
    case MC_ERR_TOO_LARGE:
        return 413;
    case MC_ERR_URI_TOO_LONG:
        return 414;
    case MC_ERR_MEDIA_TYPE:
        return 415;
    case MC_ERR_INVALID:
        return 422;
    case MC_ERR_RATE_LIMITED:
        return 429;
    case MC_ERR_INTERNAL:
        return 500;
    case MC_ERR_NOMEM:
        return 500;
    case MC_ERR_UNAVAILABLE:
        return 503;
    case MC_ERR_TIMEOUT:
        return 503;
    }
    return 500;
}

void mc_error_clear(struct mc_error *e)
{
    e->code = MC_OK;
    e->field[0] = '\0';
    e->message[0] = '\0';
    e->detail[0] = '\0';
}

enum mc_err mc_error_setv(struct mc_error *err, enum mc_err code, const char *field,
                          const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    if (fmt)
        vsnprintf(err->message, sizeof err->message, fmt, ap);
    else
        err->message[0] = '\0';
    err->detail[0] = '\0';
    return code;
}

void mc_error_detail(struct mc_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
}

enum mc_err mc_error_set(struct mc_error *err, enum mc_err code, const char *field, const char *fmt,
                         ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)mc_error_setv(err, code, field, fmt, ap);
    va_end(ap);
    return code;
}

const char *mc_error_message(const struct mc_error *err)
{
    return err->message[0] ? err->message : mc_strerror(err->code);
}
