/*
 * csv_table.h — reading a small CSV file of named columns, the kind a
 * coordinator exports from a spreadsheet to record attendance or scores.
 *
 * The header row names the columns (trimmed, any case, any order; other
 * columns are ignored).  Each data row that is not blank and has as many
 * fields as the header is handed to the caller with its cells trimmed and
 * bounded; the caller checks the values and records problems with
 * cli_csv_error().  Problems are collected with their row (the header is
 * row 1, as in the server's roster import) and column, so that a file can
 * be fixed in one go.  Quoting is RFC 4180 (libcsv, strict); a UTF-8
 * byte-order mark is skipped.
 */
#ifndef MCRED_CLI_CSV_TABLE_H
#define MCRED_CLI_CSV_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"

#define CLI_CSV_MAX_COLUMNS 8

struct cli_csv_column {
    const char *name;
    size_t max;    /* bytes a cell may hold; a longer one is marked too_long */
    bool required; /* the header must name it */
};

struct cli_csv_cell {
    const char *text; /* trimmed; "" for an optional column the file lacks */
    bool too_long;
};

/* Problems found, as [{"row", "column", "message"}] (row and column null when none). */
struct cli_csv_errors {
    cJSON *list;  /* at most `max` entries */
    size_t total; /* found, including those not kept */
    size_t max;
    bool nomem;
};

void cli_csv_error(struct cli_csv_errors *e, unsigned row, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A data row; return false only when out of memory. */
typedef bool cli_csv_row_fn(void *ctx, struct cli_csv_errors *errors, unsigned row,
                            const struct cli_csv_cell *cells);

struct cli_csv_spec {
    const struct cli_csv_column *columns;
    size_t ncolumns;   /* at most CLI_CSV_MAX_COLUMNS */
    size_t max_rows;   /* data rows; more is an error and reading stops */
    const char *needs; /* for the empty file's message: "email and mode" */
};

/*
 * Read `len` bytes.  MC_OK when the file was read, whatever its problems
 * (they are in *errors, whose list the caller made); MC_ERR_NOMEM otherwise.
 */
enum mc_err cli_csv_read(const char *data, size_t len, const struct cli_csv_spec *spec,
                         struct cli_csv_errors *errors, cli_csv_row_fn *fn, void *ctx)
    __attribute__((warn_unused_result));

/*
 * The index N of an item the server named in a refusal: "<prefix>[N]" or
 * "<prefix>[N].<field>", with N at most max.  False for any other field.
 */
bool cli_item_index(const char *field, const char *prefix, size_t max, size_t *out_index);

#endif
