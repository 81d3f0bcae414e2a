/*
 * pages.c — one page or all pages of a list; see pages.h.
 *
 * With --all the first page's object becomes the result and every later
 * page's items are moved into its "items" (cJSON appends in constant
 * time), so a long list is never copied.  The cursor is copied out of
 * each page before that page is freed.
 */
#include <string.h>
#include <unistd.h>

#include "mcred/limits.h"

#include "args.h"
#include "http.h"
#include "pages.h"
#include "query.h"

#include "mcred/banned.h"

/* The page's "next" cursor, NULL when it is null or missing; false when the
 * answer is not a list at all. */
static bool page_check(const cJSON *page, const char **out_next)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(page, "items");
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(page, "next");

    if (!cJSON_IsObject(page) || !cJSON_IsArray(items))
        return false;
    if (next && !cJSON_IsNull(next) && !(cJSON_IsString(next) && next->valuestring))
        return false;
    *out_next = next && cJSON_IsString(next) && next->valuestring[0] ? next->valuestring : NULL;
    return true;
}

/* Move every item of `from`'s "items" to the end of `to`'s. */
static void items_move(cJSON *to, cJSON *from)
{
    cJSON *dst = cJSON_GetObjectItemCaseSensitive(to, "items");
    cJSON *src = cJSON_GetObjectItemCaseSensitive(from, "items");

    for (cJSON *it = cJSON_DetachItemFromArray(src, 0); it; it = cJSON_DetachItemFromArray(src, 0))
        (void)cJSON_AddItemToArray(dst, it);
}

/* Set the merged list's "next" to null: it holds every page. */
static bool next_clear(cJSON *list)
{
    cJSON *null = cJSON_CreateNull();

    if (!null)
        return false;
    if (cJSON_GetObjectItemCaseSensitive(list, "next"))
        return cJSON_ReplaceItemInObjectCaseSensitive(list, "next", null);
    return cJSON_AddItemToObject(list, "next", null);
}

int cli_pages_get(const struct cli_ctx *ctx, const char *path, bool all, cJSON **out_list)
{
    struct mc_buf url, cursor;
    struct cli_response resp;
    cJSON *merged = NULL;
    cJSON *page = NULL;
    size_t bytes = 0;
    int code = CLI_EXIT_OK;

    mc_buf_init(&url, MC_MAX_URL);
    mc_buf_init(&cursor, MC_MAX_URL);
    cli_response_init(&resp);
    for (int pages = 0;; pages++) {
        const char *next = NULL;
        enum mc_err rc;

        if (pages >= CLI_MAX_PAGES) {
            cli_error(ctx,
                      "the list has more than %d pages; narrow it with filters or a larger --limit",
                      CLI_MAX_PAGES);
            code = CLI_EXIT_ERROR;
            goto out;
        }
        mc_buf_reset(&url);
        rc = mc_buf_appends(&url, path);
        if (rc == MC_OK && cursor.len)
            rc = cli_query_add(&url, "after", cursor.data);
        if (rc != MC_OK) {
            cli_error(ctx, "the request would be longer than %d bytes", MC_MAX_URL);
            code = CLI_EXIT_ERROR;
            goto out;
        }
        code = cli_http_request(ctx, "GET", url.data, NULL, NULL, &resp);
        if (code != CLI_EXIT_OK)
            goto out;
        bytes += resp.body.len;
        if (bytes > MC_CLI_MAX_RESPONSE) {
            cli_error(ctx, "the list is larger than %d MiB; narrow it with filters",
                      MC_CLI_MAX_RESPONSE / (1024 * 1024));
            code = CLI_EXIT_ERROR;
            goto out;
        }
        code = cli_response_json(ctx, &resp, &page);
        if (code != CLI_EXIT_OK)
            goto out;
        if (!page_check(page, &next)) {
            cli_error(ctx, "the server's answer is not a list");
            code = CLI_EXIT_ERROR;
            goto out;
        }
        if (!all) {
            *out_list = page;
            page = NULL;
            goto out;
        }
        mc_buf_reset(&cursor);
        if (next && mc_buf_appends(&cursor, next) != MC_OK) {
            cli_error(ctx, "the server's cursor is longer than %d bytes", MC_MAX_URL);
            code = CLI_EXIT_ERROR;
            goto out;
        }
        if (!merged) {
            merged = page;
        } else {
            items_move(merged, page);
            cJSON_Delete(page);
        }
        page = NULL;
        if (!next)
            break;
    }
    if (!next_clear(merged)) {
        cli_error(ctx, "out of memory");
        code = CLI_EXIT_ERROR;
        goto out;
    }
    *out_list = merged;
    merged = NULL;
out:
    cJSON_Delete(page);
    cJSON_Delete(merged);
    cli_response_release(&resp);
    mc_buf_release(&cursor);
    mc_buf_release(&url);
    return code;
}

static void pages_hint(const struct cli_ctx *ctx, const cJSON *list, const char *what)
{
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(list, "next");
    int fd = fileno(ctx->err);

    if (!cJSON_IsString(next) || fd < 0 || !isatty(fd))
        return;
    (void)fprintf(ctx->err, "mcred: more %s exist; use --all to list them all\n", what);
}

int cli_pages_limit_check(const struct cli_ctx *ctx, const char *verb, const char *limit)
{
    long n;

    if (limit && !cli_number_parse(limit, 1, MC_PAGE_MAX, &n))
        return cli_usage_error(ctx, verb, "--limit must be a number from 1 to %d", MC_PAGE_MAX);
    return CLI_EXIT_OK;
}

int cli_pages_list(const struct cli_ctx *ctx, const char *path, bool all, cli_list_print_fn print,
                   const char *what)
{
    cJSON *list = NULL;
    int code = cli_pages_get(ctx, path, all, &list);

    if (code == CLI_EXIT_OK)
        code = print(ctx, list);
    if (code == CLI_EXIT_OK && !all)
        pages_hint(ctx, list, what);
    cJSON_Delete(list);
    return code;
}
