/*
 * paging.h — ?limit= and ?after= for every list, and the answer
 * {"items": [...], "next": "<cursor>" | null} (DESIGN.md §3).
 *
 * A cursor is the sort key of the last item of a page, base64url-encoded
 * so that it is opaque to clients and safe in a URL.  Lists fetch one row
 * more than the limit to learn whether a next page exists.
 */
#ifndef MCRED_SERVER_PAGING_H
#define MCRED_SERVER_PAGING_H

#include <stdbool.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "mcred/error.h"

#define MC_MAX_CURSOR 512 /* bytes of a decoded cursor */

struct request;

struct page {
    long limit;                    /* MC_PAGE_DEFAULT unless ?limit= says otherwise */
    char after[MC_MAX_CURSOR + 1]; /* the decoded cursor; "" for the first page */
    char limit_plus_one[24];       /* the LIMIT parameter of the query, as text */
};

/* Read ?limit= (1..MC_PAGE_MAX) and ?after=; a bad one is MC_ERR_INVALID naming it. */
enum mc_err page_parse(struct request *r, struct page *out) __attribute__((warn_unused_result));

/* The decoded cursor as a query parameter: NULL on the first page. */
const char *page_after_param(const struct page *p);

/*
 * Answer 200 with {"items": items, "next": …}.  `items` (owned by this
 * call) may hold limit + 1 entries: then the extra one is dropped and
 * next encodes `last_key`, the sort key of the last item kept.
 */
enum mc_err page_reply(struct request *r, const struct page *p, cJSON *items, const char *last_key);

/* The JSON text in column "item" of a row, parsed; NULL when absent or out of memory. */
cJSON *page_item(const PGresult *res, int row);

struct db_stmt;

/*
 * Run a list statement and answer with its page: its rows hold each item
 * as JSON text in column "item" and the cursor key in "sort_key", and it
 * fetched limit + 1 of them.
 */
enum mc_err page_reply_query(struct request *r, const struct page *p, struct db_stmt *stmt,
                             int nparams, const char *const *params);

#endif
