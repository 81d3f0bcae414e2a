/*
 * request.c — the helpers handlers use to read a request and answer it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <microhttpd.h>

#include "request.h"

#include "mcred/banned.h"

enum mc_err request_reply(struct request *r, unsigned status, cJSON *body)
{
    cJSON_Delete(r->reply);
    r->reply = body;
    r->status = status;
    return MC_OK;
}

enum mc_err request_fail(struct request *r, enum mc_err code, const char *field, const char *fmt,
                         ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)mc_error_setv(&r->err, code, field, fmt, ap);
    va_end(ap);
    return code;
}

void request_field_prefix(struct request *r, const char *prefix)
{
    if (!*prefix)
        return;
    char field[MC_MAX_ERR_FIELD];
    int n =
        snprintf(field, sizeof field, "%s%s%s", prefix, r->err.field[0] ? "." : "", r->err.field);
    if (n > 0 && (size_t)n < sizeof field)
        memcpy(r->err.field, field, (size_t)n + 1);
}

const char *request_param(const struct request *r, const char *name)
{
    return route_param(&r->params, name);
}

const char *request_cohort_words(const struct request *r)
{
    return r->cohort_resolved && r->cohort_name[0] ? r->cohort_name : request_param(r, "id");
}

const char *request_header(const struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->connection, MHD_HEADER_KIND, name);
}

const char *request_query(const struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->connection, MHD_GET_ARGUMENT_KIND, name);
}

void request_reset_answer(struct request *r)
{
    cJSON_Delete(r->reply);
    r->reply = NULL;
    cJSON_Delete(r->error_details);
    r->error_details = NULL;
    mc_buf_reset(&r->text);
    r->content_type = NULL;
    r->status = 0;
    mc_error_clear(&r->err);
}

bool oneshot_add(struct oneshot *call, struct db_stmt *stmt, int nparams, const char *const *params)
{
    if (call->n == DB_ONESHOT_MAX)
        return false;
    call->work[call->n] =
        (struct db_batch){stmt, nparams, params, PGRES_TUPLES_OK, &call->res[call->n]};
    call->n++;
    return true;
}
