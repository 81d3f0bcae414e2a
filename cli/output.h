/*
 * output.h — showing the server's answers as tables, CSV or JSON.
 *
 * A noun names the columns it wants and hands over the answer; the format
 * the user chose (--json, --csv, or a table on the terminal) is decided
 * here, once:
 *
 *   static const struct cli_column cohort_columns[] = {
 *       { .key = "id", .header = "ID" },
 *       { .key = "name", .header = "NAME" },
 *       { .key = "credential.title", .header = "CREDENTIAL" },
 *       { .key = NULL },
 *   };
 *   rc = cli_http_request(ctx, "GET", "/v1/cohorts", NULL, NULL, &resp);
 *   if (rc == CLI_EXIT_OK)
 *       rc = cli_response_print_items(ctx, &resp, cohort_columns);
 *
 * A key is a member name or a dotted path into nested objects
 * ("person.email").  Values are shown as: strings as they are; numbers and
 * booleans in JSON spelling; null or missing as empty; an array of scalars
 * joined with ", "; anything else as compact JSON.
 *
 * --json prints the server's body as it came (plus a newline); --csv
 * prints a header row of the keys (stable names for scripts and for
 * importing back) and one record per item — a single object is one
 * record; a table has a header row of the headers for a list, and
 * field/value rows (no header) for a single object.
 *
 * A column marked .keep holds values to copy into the next command (ids,
 * e-mail addresses): when a table is too wide for the terminal, the other
 * columns shrink first, and its values are cut only when the table cannot
 * fit otherwise (table.h).  For a single object, the rows of kept fields
 * are kept.
 */
#ifndef MCRED_CLI_OUTPUT_H
#define MCRED_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"

#include "cli.h"
#include "http.h"

struct cli_column {
    const char *key;    /* member name or dotted path; NULL ends a list */
    const char *header; /* shown in tables */
    bool keep;          /* a table cuts its values last (ids, e-mail addresses) */
};

/*
 * Print `items` (a JSON array of objects) in ctx->format, one row per item
 * (--json: the array as compact JSON).  Returns an exit code; errors are
 * printed.
 */
int cli_print_items(const struct cli_ctx *ctx, const cJSON *items,
                    const struct cli_column *columns);

/* Print one object: field/value rows, one CSV record, or compact JSON. */
int cli_print_object(const struct cli_ctx *ctx, const cJSON *obj, const struct cli_column *fields);

/*
 * Print a list answer {"items": [...], ...}: with --json the body as it
 * came, else its "items" as cli_print_items().
 */
int cli_response_print_items(const struct cli_ctx *ctx, const struct cli_response *resp,
                             const struct cli_column *columns);

/* Print an object answer: with --json the body as it came, else as cli_print_object(). */
int cli_response_print_object(const struct cli_ctx *ctx, const struct cli_response *resp,
                              const struct cli_column *fields);

/* Print the body as it came, with a newline after it unless it has one. */
int cli_response_print_json(const struct cli_ctx *ctx, const struct cli_response *resp);

/* The member that a dotted path names, or NULL. */
const cJSON *cli_json_path(const cJSON *obj, const char *path);

/* Append the text of a value for a cell (see above); NULL appends nothing. */
enum mc_err cli_json_cell(const cJSON *value, struct mc_buf *out)
    __attribute__((warn_unused_result));

/* A width no table reaches: nothing is cut. */
#define CLI_WIDTH_UNLIMITED ((size_t)100000)

/*
 * Columns a table may use on stdout: the terminal's width when stdout is a
 * terminal, else $COLUMNS when it is a positive number, else unlimited
 * (output into a pipe or a file is never cut).
 */
size_t cli_terminal_width(void);

#endif
