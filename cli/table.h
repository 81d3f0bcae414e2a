/*
 * table.h — laying rows of text out as aligned columns, or as CSV.
 *
 * Pure functions: rows in, text out into an mc_buf.  Printing, terminal
 * width and JSON are output.c's business; this file only arranges strings,
 * so every rule about widths is unit-tested without a terminal.
 */
#ifndef MCRED_CLI_TABLE_H
#define MCRED_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "mcred/buf.h"

/* Columns of a table may not shrink below this many (unless narrower). */
#define CLI_TABLE_MIN_COLUMN 5
/* Spaces between two columns. */
#define CLI_TABLE_GAP 2

struct cli_table {
    size_t ncols;
    const char *const *headers; /* ncols headers, or NULL for no header row */
    const bool *keep;           /* ncols flags, or NULL: columns to keep whole */
    size_t nrows;
    const char *const *cells; /* nrows * ncols, row after row; NULL is empty */
    const bool *keep_rows;    /* nrows flags, or NULL: rows to keep whole */
};

/*
 * Append the table as aligned lines, each ending in '\n' and without
 * trailing spaces: the header row first (when there is one), columns
 * separated by CLI_TABLE_GAP spaces.  Widths count code points.  When the
 * natural width exceeds `width` (0: no limit), the widest columns shrink
 * first, none below CLI_TABLE_MIN_COLUMN, and cells that no longer fit are
 * cut with "…".  Text is cleaned for the terminal (text.h).
 *
 * Kept cells (every cell of a kept column, header included, and every cell
 * of a kept row) are for copying, so they are not cut while the other
 * columns can give way instead: their columns shrink no narrower than the
 * kept cells.  Only when the table cannot fit even with every other column
 * at its minimum are kept cells shrunk and cut like the rest, so that the
 * lines still fit `width` (as long as CLI_TABLE_MIN_COLUMN per column does).
 */
enum mc_err cli_table_layout(const struct cli_table *t, size_t width, struct mc_buf *out)
    __attribute__((warn_unused_result));

/*
 * Append the table as RFC 4180 CSV (mc_csv_record): the header row (when
 * there is one), then the rows, cells as they are.
 */
enum mc_err cli_table_csv(const struct cli_table *t, struct mc_buf *out)
    __attribute__((warn_unused_result));

#endif
