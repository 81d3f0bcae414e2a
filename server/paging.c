/*
 * paging.c — see paging.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mcred/json.h"
#include "mcred/limits.h"
#include "paging.h"
#include "db.h"
#include "request.h"

#include "mcred/banned.h"

enum mc_err page_parse(struct request *r, struct page *out)
{
    const char *limit = request_query(r, "limit");
    const char *after = request_query(r, "after");
    out->limit = MC_PAGE_DEFAULT;
    out->after[0] = '\0';
    if (limit) {
        char *end = NULL;
        errno = 0;
        long v = strtol(limit, &end, 10);
        if (!*limit || *end || errno || v < 1 || v > MC_PAGE_MAX)
            return request_fail(r, MC_ERR_INVALID, "limit",
                                "limit must be a whole number from 1 to %d", MC_PAGE_MAX);
        out->limit = v;
    }
    if (after && *after) {
        size_t len = 0;
        if (sodium_base642bin((unsigned char *)out->after, MC_MAX_CURSOR, after, strlen(after),
                              NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
            !mc_utf8_valid_text(out->after, len)) {
            out->after[0] = '\0';
            return request_fail(r, MC_ERR_INVALID, "after",
                                "after is not a cursor this list gave out");
        }
        out->after[len] = '\0';
    }
    snprintf(out->limit_plus_one, sizeof out->limit_plus_one, "%ld", out->limit + 1);
    return MC_OK;
}

const char *page_after_param(const struct page *p)
{
    return p->after[0] ? p->after : NULL;
}

enum mc_err page_reply(struct request *r, const struct page *p, cJSON *items, const char *last_key)
{
    cJSON *root = cJSON_CreateObject();
    char next[sodium_base64_ENCODED_LEN(MC_MAX_CURSOR, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    bool more = cJSON_GetArraySize(items) > p->limit;
    if (more)
        cJSON_DeleteItemFromArray(items, (int)p->limit);
    if (more && last_key)
        sodium_bin2base64(next, sizeof next, (const unsigned char *)last_key,
                          strnlen(last_key, MC_MAX_CURSOR),
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (!root || !cJSON_AddItemToObject(root, "items", items)) {
        cJSON_Delete(root);
        cJSON_Delete(items);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    if (!mc_json_add_string_or_null(root, "next", more && last_key ? next : NULL)) {
        cJSON_Delete(root);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return request_reply(r, 200, root);
}

cJSON *page_item(const PGresult *res, int row)
{
    const char *text = db_get(res, row, "item");
    return text ? cJSON_Parse(text) : NULL;
}

/* page_reply over the rows of a list statement (see page_reply_query). */
static enum mc_err page_reply_rows(struct request *r, const struct page *p, const PGresult *res)
{
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; items && i < PQntuples(res); i++)
        if (!cJSON_AddItemToArray(items, page_item(res, i))) {
            cJSON_Delete(items);
            items = NULL;
        }
    if (!items)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    int n = PQntuples(res);
    const char *last = n > p->limit ? db_get(res, (int)p->limit - 1, "sort_key") : NULL;
    return page_reply(r, p, items, last);
}

enum mc_err page_reply_query(struct request *r, const struct page *p, struct db_stmt *stmt,
                             int nparams, const char *const *params)
{
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, stmt, nparams, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    rc = page_reply_rows(r, p, res);
    PQclear(res);
    return rc;
}
