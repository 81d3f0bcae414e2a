/*
 * table.c — aligned columns and CSV from rows of strings; see table.h.
 *
 * Layout happens in two passes.  The first measures every column (the
 * widest of its header and cells) and, when the total does not fit the
 * terminal, picks the largest cap L such that every column capped at L
 * (but never below its floor) fits; the columns wider than L are the ones
 * that shrink, so a long name gives way before a short id.  A column's
 * floor is the minimum width, or the width of its kept cells when all of
 * these fit together (table.h), so that ids and e-mail addresses stay
 * whole for copying while the other columns give way.  The second pass
 * writes the lines, cutting cells that are wider than their column with
 * "…".
 */
#include <stdint.h>
#include <stdlib.h>

#include "mcred/csv.h"

#include "table.h"
#include "text.h"

#include "mcred/banned.h"

#define ELLIPSIS "\xE2\x80\xA6" /* U+2026, one column wide */

static const char *table_cell(const struct cli_table *t, size_t row, size_t col)
{
    const char *s = t->cells[row * t->ncols + col];
    return s ? s : "";
}

static size_t capped_sum(const size_t *natural, const size_t *floor, size_t ncols, size_t cap)
{
    size_t sum = 0;
    for (size_t c = 0; c < ncols; c++) {
        size_t w = natural[c] < cap ? natural[c] : cap;
        sum += w > floor[c] ? w : floor[c];
    }
    return sum;
}

/*
 * Shrink the widest columns of `w` (natural widths on entry) so that their
 * sum is at most `avail`, none below its floor (at most its natural width),
 * if the floors allow.
 */
static void widths_fit(size_t *w, const size_t *floor, size_t ncols, size_t avail)
{
    size_t widest = 0;
    for (size_t c = 0; c < ncols; c++)
        widest = w[c] > widest ? w[c] : widest;
    if (capped_sum(w, floor, ncols, widest) <= avail)
        return;

    /* The largest cap that fits: capped_sum grows with the cap. */
    size_t lo = 0, hi = widest;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (capped_sum(w, floor, ncols, mid) <= avail)
            lo = mid;
        else
            hi = mid - 1;
    }
    size_t used = capped_sum(w, floor, ncols, lo);
    size_t spare = avail > used ? avail - used : 0;
    for (size_t c = 0; c < ncols; c++) {
        size_t natural = w[c];
        size_t capped = natural < lo ? natural : lo;
        w[c] = capped > floor[c] ? capped : floor[c];
        /* Cap lo + 1 did not fit, so fewer columns are cut than there is
         * room left over: give the rest out one column each, left first. */
        if (spare && w[c] < natural) {
            w[c]++;
            spare--;
        }
    }
}

/*
 * The floors of the columns whose natural widths are `w`: the width of
 * their kept cells (never below CLI_TABLE_MIN_COLUMN unless narrower) when
 * these fit `avail`, else just that minimum.
 */
static void widths_floors(const struct cli_table *t, const size_t *w, size_t avail, size_t *floor)
{
    size_t sum = 0;

    for (size_t c = 0; c < t->ncols; c++) {
        size_t kept = 0;
        if (t->keep && t->keep[c])
            kept = w[c];
        for (size_t r = 0; !kept && t->keep_rows && r < t->nrows; r++) {
            if (t->keep_rows[r]) {
                size_t cw = cli_text_width(table_cell(t, r, c));
                kept = cw > kept ? cw : kept;
            }
        }
        floor[c] = w[c] < CLI_TABLE_MIN_COLUMN ? w[c] : CLI_TABLE_MIN_COLUMN;
        floor[c] = kept > floor[c] ? kept : floor[c];
        sum += floor[c];
    }
    if (sum <= avail)
        return;
    /* Not even the kept cells fit: they give way like the rest. */
    for (size_t c = 0; c < t->ncols; c++)
        floor[c] = w[c] < CLI_TABLE_MIN_COLUMN ? w[c] : CLI_TABLE_MIN_COLUMN;
}

static enum mc_err append_spaces(struct mc_buf *out, size_t n)
{
    enum mc_err rc = MC_OK;
    for (size_t i = 0; rc == MC_OK && i < n; i++)
        rc = mc_buf_appendc(out, ' ');
    return rc;
}

static enum mc_err append_line(struct mc_buf *out, const struct cli_table *t, const size_t *w,
                               const char *const *cells)
{
    enum mc_err rc = MC_OK;
    size_t start = out->len;

    for (size_t c = 0; rc == MC_OK && c < t->ncols; c++) {
        const char *s = cells[c] ? cells[c] : "";
        size_t natural = cli_text_width(s);
        if (c > 0)
            rc = append_spaces(out, CLI_TABLE_GAP);
        if (rc != MC_OK)
            break;
        if (natural <= w[c]) {
            rc = cli_text_append_clean(out, s, SIZE_MAX);
            if (rc == MC_OK)
                rc = append_spaces(out, w[c] - natural);
        } else {
            rc = cli_text_append_clean(out, s, w[c] - 1);
            if (rc == MC_OK)
                rc = mc_buf_appends(out, ELLIPSIS);
        }
    }
    if (rc != MC_OK)
        return rc;
    /* Padding of the last columns, and blank last cells, leave spaces. */
    while (out->len > start && out->data[out->len - 1] == ' ')
        out->len--;
    if (out->cap)
        out->data[out->len] = '\0';
    return mc_buf_appendc(out, '\n');
}

enum mc_err cli_table_layout(const struct cli_table *t, size_t width, struct mc_buf *out)
{
    enum mc_err rc = MC_OK;
    const char **row = NULL;
    size_t *w = NULL;
    size_t *floor = NULL;

    if (t->ncols == 0)
        return MC_OK;
    w = calloc(t->ncols, sizeof(*w));
    floor = calloc(t->ncols, sizeof(*floor));
    row = calloc(t->ncols, sizeof(*row));
    if (!w || !floor || !row) {
        rc = MC_ERR_NOMEM;
        goto out;
    }

    for (size_t c = 0; c < t->ncols; c++) {
        if (t->headers && t->headers[c])
            w[c] = cli_text_width(t->headers[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = cli_text_width(table_cell(t, r, c));
            w[c] = cw > w[c] ? cw : w[c];
        }
    }
    if (width > 0) {
        size_t gaps = CLI_TABLE_GAP * (t->ncols - 1);
        size_t avail = width > gaps ? width - gaps : 0;
        widths_floors(t, w, avail, floor);
        widths_fit(w, floor, t->ncols, avail);
    }

    if (t->headers)
        rc = append_line(out, t, w, t->headers);
    for (size_t r = 0; rc == MC_OK && r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++)
            row[c] = table_cell(t, r, c);
        rc = append_line(out, t, w, row);
    }
out:
    free(row);
    free(floor);
    free(w);
    return rc;
}

enum mc_err cli_table_csv(const struct cli_table *t, struct mc_buf *out)
{
    enum mc_err rc = MC_OK;

    if (t->headers)
        rc = mc_csv_record(out, t->headers, t->ncols);
    for (size_t r = 0; rc == MC_OK && r < t->nrows; r++)
        rc = mc_csv_record(out, t->cells + r * t->ncols, t->ncols);
    return rc;
}
