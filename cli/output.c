/*
 * output.c — answers shown in the format the user chose; see output.h.
 *
 * JSON values become strings (cells) here, and table.c arranges them.  The
 * whole rendering is built in one buffer with a ceiling and written with
 * one fwrite, so that an out-of-memory half way through prints an error
 * instead of half a table.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mcred/limits.h"

#include "output.h"
#include "table.h"

#include "mcred/banned.h"

/* A rendered table or CSV may be as large as the answer it came from. */
#define OUTPUT_MAX MC_CLI_MAX_RESPONSE

const cJSON *cli_json_path(const cJSON *obj, const char *path)
{
    const cJSON *cur = obj;
    const char *p = path;

    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        const cJSON *child;
        const cJSON *found = NULL;

        if (!cJSON_IsObject(cur))
            return NULL;
        cJSON_ArrayForEach(child, cur)
        {
            if (child->string && strlen(child->string) == n && memcmp(child->string, p, n) == 0) {
                found = child;
                break;
            }
        }
        if (!found || !dot)
            return found;
        cur = found;
        p = dot + 1;
    }
}

static int is_scalar(const cJSON *v)
{
    return cJSON_IsString(v) || cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsNull(v);
}

static enum mc_err scalar_append(const cJSON *v, struct mc_buf *out)
{
    if (cJSON_IsNull(v))
        return MC_OK;
    if (cJSON_IsString(v))
        return mc_buf_appends(out, v->valuestring ? v->valuestring : "");
    /* Numbers (and anything else) in cJSON's own spelling, as sent. */
    char *text = cJSON_PrintUnformatted(v);
    if (!text)
        return MC_ERR_NOMEM;
    enum mc_err rc = mc_buf_appends(out, text);
    free(text);
    return rc;
}

enum mc_err cli_json_cell(const cJSON *value, struct mc_buf *out)
{
    const cJSON *item;
    enum mc_err rc = MC_OK;
    int all_scalars = 1;
    int first = 1;

    if (!value)
        return MC_OK;
    if (!cJSON_IsArray(value))
        return scalar_append(value, out);
    cJSON_ArrayForEach(item, value)
    {
        all_scalars = all_scalars && is_scalar(item);
    }
    if (!all_scalars)
        return scalar_append(value, out);
    cJSON_ArrayForEach(item, value)
    {
        if (!first)
            rc = mc_buf_appends(out, ", ");
        if (rc == MC_OK)
            rc = scalar_append(item, out);
        if (rc != MC_OK)
            return rc;
        first = 0;
    }
    return rc;
}

/* Cells of a table being built; every cell is owned (free()d) here. */
struct grid {
    size_t nrows, ncols;
    char **cells;
    const char **headers;
    bool *keep;      /* ncols flags */
    bool *keep_rows; /* nrows flags */
};

static void grid_release(struct grid *g)
{
    if (g->cells)
        for (size_t i = 0; i < g->nrows * g->ncols; i++)
            free(g->cells[i]);
    free(g->cells);
    free(g->headers);
    free(g->keep);
    free(g->keep_rows);
    g->cells = NULL;
    g->headers = NULL;
    g->keep = NULL;
    g->keep_rows = NULL;
}

static enum mc_err grid_alloc(struct grid *g, size_t nrows, size_t ncols)
{
    g->nrows = nrows;
    g->ncols = ncols;
    g->cells = NULL;
    g->headers = NULL;
    g->keep = NULL;
    g->keep_rows = NULL;
    if (ncols && nrows > SIZE_MAX / sizeof(char *) / ncols)
        return MC_ERR_TOO_LARGE;
    /* One more than needed, so that an empty table still has memory. */
    g->cells = calloc(nrows * ncols + 1, sizeof(char *));
    g->headers = calloc(ncols + 1, sizeof(char *));
    g->keep = calloc(ncols + 1, sizeof(bool));
    g->keep_rows = calloc(nrows + 1, sizeof(bool));
    return g->cells && g->headers && g->keep && g->keep_rows ? MC_OK : MC_ERR_NOMEM;
}

/* Put the text of `value` into the cell at index i. */
static enum mc_err grid_set(struct grid *g, size_t i, const cJSON *value)
{
    struct mc_buf b;
    enum mc_err rc;

    mc_buf_init(&b, OUTPUT_MAX);
    rc = cli_json_cell(value, &b);
    if (rc != MC_OK)
        return rc;
    g->cells[i] = mc_buf_detach(&b, NULL);
    return g->cells[i] ? MC_OK : MC_ERR_NOMEM;
}

static size_t columns_count(const struct cli_column *columns)
{
    size_t n = 0;
    while (columns[n].key)
        n++;
    return n;
}

static int output_write(const struct cli_ctx *ctx, const char *data, size_t len)
{
    if (len > 0 && fwrite(data, 1, len, ctx->out) != len) {
        cli_error(ctx, "could not write output: %s", strerror(errno));
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

/* Report a failure to build output; returns the exit code. */
static int output_failed(const struct cli_ctx *ctx, enum mc_err rc)
{
    if (rc == MC_ERR_TOO_LARGE)
        cli_error(ctx, "the output would be larger than %d MiB; use --json",
                  OUTPUT_MAX / (1024 * 1024));
    else
        cli_error(ctx, "could not format the output: %s", mc_strerror(rc));
    return CLI_EXIT_ERROR;
}

static int json_print(const struct cli_ctx *ctx, const cJSON *value)
{
    char *text = cJSON_PrintUnformatted(value);
    int code;

    if (!text)
        return output_failed(ctx, MC_ERR_NOMEM);
    code = output_write(ctx, text, strlen(text));
    if (code == CLI_EXIT_OK)
        code = output_write(ctx, "\n", 1);
    free(text);
    return code;
}

static int table_print(const struct cli_ctx *ctx, const struct cli_table *t)
{
    struct mc_buf out;
    enum mc_err rc;
    int code;

    mc_buf_init(&out, OUTPUT_MAX);
    if (ctx->format == CLI_FORMAT_CSV)
        rc = cli_table_csv(t, &out);
    else
        rc = cli_table_layout(t, ctx->width, &out);
    code = rc == MC_OK ? output_write(ctx, out.data, out.len) : output_failed(ctx, rc);
    mc_buf_release(&out);
    return code;
}

int cli_print_items(const struct cli_ctx *ctx, const cJSON *items, const struct cli_column *columns)
{
    struct grid g = {0};
    const cJSON *item;
    size_t ncols = columns_count(columns);
    size_t r = 0;
    enum mc_err rc;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return json_print(ctx, items);
    if (!cJSON_IsArray(items)) {
        cli_error(ctx, "the server's answer has no list of items");
        return CLI_EXIT_ERROR;
    }
    rc = grid_alloc(&g, (size_t)cJSON_GetArraySize(items), ncols);
    for (size_t c = 0; rc == MC_OK && c < ncols; c++) {
        g.headers[c] = ctx->format == CLI_FORMAT_CSV ? columns[c].key : columns[c].header;
        g.keep[c] = columns[c].keep;
    }
    cJSON_ArrayForEach(item, items)
    {
        for (size_t c = 0; rc == MC_OK && c < ncols; c++)
            rc = grid_set(&g, r * ncols + c, cli_json_path(item, columns[c].key));
        r++;
    }
    if (rc != MC_OK) {
        code = output_failed(ctx, rc);
        goto out;
    }
    const struct cli_table t = {
        .ncols = ncols,
        .headers = g.headers,
        .keep = g.keep,
        .nrows = g.nrows,
        .cells = (const char *const *)g.cells,
    };
    code = table_print(ctx, &t);
out:
    grid_release(&g);
    return code;
}

int cli_print_object(const struct cli_ctx *ctx, const cJSON *obj, const struct cli_column *fields)
{
    struct grid g = {0};
    size_t n = columns_count(fields);
    enum mc_err rc;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return json_print(ctx, obj);
    if (!cJSON_IsObject(obj)) {
        cli_error(ctx, "the server's answer is not an object");
        return CLI_EXIT_ERROR;
    }
    if (ctx->format == CLI_FORMAT_CSV) {
        /* One record, the same shape as a list of one item. */
        rc = grid_alloc(&g, 1, n);
        for (size_t c = 0; rc == MC_OK && c < n; c++) {
            g.headers[c] = fields[c].key;
            rc = grid_set(&g, c, cli_json_path(obj, fields[c].key));
        }
    } else {
        /* Field/value rows; the labels are copied so that the grid owns every cell. */
        rc = grid_alloc(&g, n, 2);
        for (size_t r = 0; rc == MC_OK && r < n; r++) {
            g.keep_rows[r] = fields[r].keep;
            g.cells[2 * r] = strdup(fields[r].header ? fields[r].header : fields[r].key);
            rc = g.cells[2 * r] ? grid_set(&g, 2 * r + 1, cli_json_path(obj, fields[r].key))
                                : MC_ERR_NOMEM;
        }
    }
    if (rc != MC_OK) {
        code = output_failed(ctx, rc);
        goto out;
    }
    const struct cli_table t = {
        .ncols = g.ncols,
        .headers = ctx->format == CLI_FORMAT_CSV ? g.headers : NULL,
        .nrows = g.nrows,
        .cells = (const char *const *)g.cells,
        .keep_rows = g.keep_rows,
    };
    code = table_print(ctx, &t);
out:
    grid_release(&g);
    return code;
}

int cli_response_print_json(const struct cli_ctx *ctx, const struct cli_response *resp)
{
    int code = output_write(ctx, resp->body.data, resp->body.len);
    if (code == CLI_EXIT_OK && (resp->body.len == 0 || resp->body.data[resp->body.len - 1] != '\n'))
        code = output_write(ctx, "\n", 1);
    return code;
}

int cli_response_print_items(const struct cli_ctx *ctx, const struct cli_response *resp,
                             const struct cli_column *columns)
{
    cJSON *root = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &root);
    if (code == CLI_EXIT_OK)
        code = cli_print_items(ctx, cJSON_GetObjectItemCaseSensitive(root, "items"), columns);
    cJSON_Delete(root);
    return code;
}

int cli_response_print_object(const struct cli_ctx *ctx, const struct cli_response *resp,
                              const struct cli_column *fields)
{
    cJSON *root = NULL;
    int code;

    if (ctx->format == CLI_FORMAT_JSON)
        return cli_response_print_json(ctx, resp);
    code = cli_response_json(ctx, resp, &root);
    if (code == CLI_EXIT_OK)
        code = cli_print_object(ctx, root, fields);
    cJSON_Delete(root);
    return code;
}

size_t cli_terminal_width(void)
{
    struct winsize ws;
    const char *columns;

    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    columns = getenv("COLUMNS");
    if (columns && *columns) {
        char *end = NULL;
        errno = 0;
        long n = strtol(columns, &end, 10);
        if (errno == 0 && end && *end == '\0' && n > 0 && n <= 10000)
            return (size_t)n;
    }
    /* Into a pipe or a file, cut nothing: the reader is a program or a pager. */
    return CLI_WIDTH_UNLIMITED;
}
