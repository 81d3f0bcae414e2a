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

enum mc_err request_query_word(struct request *r, const char *name, const char *const *words,
                               const char **out)
{
    const char *v = request_query(r, name);
    *out = NULL;
    if (!v)
        return MC_OK;
    char list[256] = "";
    size_t n = 0;
    for (const char *const *w = words; *w; w++) {
        if (strcmp(v, *w) == 0) {
            *out = v;
            return MC_OK;
        }
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", n == 0 ? "" : w[1] ? ", " : " or ", *w);
        n++;
    }
    return request_fail(r, MC_ERR_INVALID, name, "%s must be %s", name, list);
}

enum mc_err request_query_flag(struct request *r, const char *name, bool *out)
{
    static const char *const words[] = {"true", "1", "false", "0", NULL};
    const char *v = NULL;
    *out = false;
    enum mc_err rc = request_query_word(r, name, words, &v);
    if (rc == MC_OK && v)
        *out = strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
    return rc;
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
