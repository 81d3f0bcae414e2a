/*
 * csv_table.c — see csv_table.h.
 *
 * libcsv hands over one field at a time and then the end of the record.
 * The reader keeps only the cells of the named columns, each in a buffer
 * of its column's bound (a longer cell is an error of its row, not a
 * reason to grow), and hands the row over when it ends.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "csv_table.h"
#include "mcred/csv.h"
#include "mcred/limits.h"
#include "mcred/textfile.h"

#include "mcred/banned.h"

struct cell {
    char *text; /* room for max + 1 bytes */
    size_t max;
    size_t len;
    bool too_long;
};

struct reader {
    const struct cli_csv_spec *spec;
    struct cli_csv_errors *errors;
    cli_csv_row_fn *fn;
    void *ctx;
    unsigned record;  /* records finished so far */
    size_t data_rows; /* rows after the header that are not blank */
    size_t nfields;   /* of the record being read */
    size_t ncolumns;  /* of the header */
    long col[CLI_CSV_MAX_COLUMNS];
    struct cell cell[CLI_CSV_MAX_COLUMNS];
    bool header_ok;
    bool nonempty; /* the record being read has a non-empty cell */
    bool full;     /* max_rows read */
    bool nomem;
};

void cli_csv_error(struct cli_csv_errors *e, unsigned row, const char *column, const char *fmt, ...)
{
    char message[MC_MAX_ERR_MESSAGE];
    va_list ap;

    e->total++;
    if ((size_t)cJSON_GetArraySize(e->list) >= e->max)
        return;
    va_start(ap, fmt);
    (void)vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    cJSON *entry = cJSON_CreateObject();
    if (!entry || !cJSON_AddItemToArray(e->list, entry)) {
        cJSON_Delete(entry);
        e->nomem = true;
        return;
    }
    if (!(row ? cJSON_AddNumberToObject(entry, "row", row) : cJSON_AddNullToObject(entry, "row")) ||
        !(column ? cJSON_AddStringToObject(entry, "column", column)
                 : cJSON_AddNullToObject(entry, "column")) ||
        !cJSON_AddStringToObject(entry, "message", message))
        e->nomem = true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static void cell_set(struct cell *c, const char *data, size_t len)
{
    size_t guard = mc_csv_guard_prefix(data, len); /* as `mcred --csv` wrote it */
    data += guard;
    len -= guard;
    c->too_long = len > c->max;
    c->len = c->too_long ? c->max : len;
    if (c->len)
        memcpy(c->text, data, c->len);
    c->text[c->len] = '\0';
}

/* The cell's text without the spaces around it (libcsv keeps those of quoted fields). */
static char *cell_trim(struct cell *c)
{
    char *s = c->text;

    while (is_space(*s))
        s++;
    for (size_t n = strlen(s); n > 0 && is_space(s[n - 1]); n--)
        s[n - 1] = '\0';
    return s;
}

/* Does a header cell name `name` (trimmed, in any case)? */
static bool header_is(const char *data, size_t len, const char *name)
{
    size_t n = strlen(name);

    while (len > 0 && is_space(*data)) {
        data++;
        len--;
    }
    while (len > 0 && is_space(data[len - 1]))
        len--;
    return len == n && strncasecmp(data, name, n) == 0;
}

static void on_field(void *data, size_t len, void *arg)
{
    struct reader *rd = arg;
    long i = (long)rd->nfields++;
    const struct cli_csv_spec *spec = rd->spec;

    if (rd->record == 0) {
        for (size_t c = 0; c < spec->ncolumns; c++) {
            if (!header_is(data, len, spec->columns[c].name))
                continue;
            if (rd->col[c] >= 0)
                cli_csv_error(rd->errors, 1, spec->columns[c].name, "column %s appears twice",
                              spec->columns[c].name);
            rd->col[c] = i;
        }
        return;
    }
    for (size_t k = 0; k < len && !rd->nonempty; k++)
        rd->nonempty = !is_space(((const char *)data)[k]);
    for (size_t c = 0; c < spec->ncolumns; c++)
        if (i == rd->col[c])
            cell_set(&rd->cell[c], data, len);
}

static void header_end(struct reader *rd)
{
    rd->ncolumns = rd->nfields;
    for (size_t c = 0; c < rd->spec->ncolumns; c++)
        if (rd->spec->columns[c].required && rd->col[c] < 0)
            cli_csv_error(rd->errors, 1, rd->spec->columns[c].name, "the header has no %s column",
                          rd->spec->columns[c].name);
    rd->header_ok = rd->errors->total == 0;
}

static void row_end(struct reader *rd, unsigned row)
{
    struct cli_csv_cell cells[CLI_CSV_MAX_COLUMNS];

    if (!rd->nonempty)
        return; /* a blank row of a spreadsheet */
    if (++rd->data_rows > rd->spec->max_rows) {
        cli_csv_error(rd->errors, row, NULL, "a file has at most %zu rows; split it",
                      rd->spec->max_rows);
        rd->full = true;
        return;
    }
    if (rd->nfields != rd->ncolumns) {
        cli_csv_error(rd->errors, row, NULL, "row has %zu field%s; the header has %zu", rd->nfields,
                      rd->nfields == 1 ? "" : "s", rd->ncolumns);
        return;
    }
    for (size_t c = 0; c < rd->spec->ncolumns; c++)
        cells[c] = (struct cli_csv_cell){.text = cell_trim(&rd->cell[c]),
                                         .too_long = rd->cell[c].too_long};
    if (!rd->fn(rd->ctx, rd->errors, row, cells))
        rd->nomem = true;
}

static void on_record(int terminator, void *arg)
{
    struct reader *rd = arg;
    unsigned row = ++rd->record;

    (void)terminator;
    if (!rd->nomem && !rd->full) {
        if (row == 1)
            header_end(rd);
        else if (rd->header_ok)
            row_end(rd, row);
    }
    rd->nfields = 0;
    rd->nonempty = false;
    for (size_t c = 0; c < rd->spec->ncolumns; c++)
        cell_set(&rd->cell[c], "", 0);
}

static void reader_release(struct reader *rd)
{
    for (size_t c = 0; c < CLI_CSV_MAX_COLUMNS; c++)
        free(rd->cell[c].text);
    free(rd);
}

enum mc_err cli_csv_read(const char *data, size_t len, const struct cli_csv_spec *spec,
                         struct cli_csv_errors *errors, cli_csv_row_fn *fn, void *ctx)
{
    struct reader *rd = calloc(1, sizeof(*rd));
    struct csv_parser parser;

    if (!rd || spec->ncolumns > CLI_CSV_MAX_COLUMNS) {
        free(rd);
        return MC_ERR_NOMEM;
    }
    *rd = (struct reader){.spec = spec, .errors = errors, .fn = fn, .ctx = ctx};
    for (size_t c = 0; c < spec->ncolumns; c++) {
        rd->col[c] = -1;
        rd->cell[c] =
            (struct cell){.text = malloc(spec->columns[c].max + 1), .max = spec->columns[c].max};
        if (!rd->cell[c].text) {
            reader_release(rd);
            return MC_ERR_NOMEM;
        }
        cell_set(&rd->cell[c], "", 0);
    }
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        reader_release(rd);
        return MC_ERR_NOMEM;
    }
    struct mc_csv_check check;
    if (!mc_csv_check(data, len, "the file", &check)) {
        /* one message with the cause and the fix; the rest cannot be read as CSV */
        csv_free(&parser);
        cli_csv_error(errors, check.row, NULL, "%s", check.message);
        bool nomem = errors->nomem;
        reader_release(rd);
        return nomem ? MC_ERR_NOMEM : MC_OK;
    }
    data += check.bom;
    len -= check.bom;
    size_t used = csv_parse(&parser, data, len, on_field, on_record, rd);
    bool parse_error = used != len && csv_error(&parser) == CSV_EPARSE;
    if (used != len && csv_error(&parser) != CSV_EPARSE)
        rd->nomem = true;
    if (!parse_error && !rd->nomem && csv_fini(&parser, on_field, on_record, rd) != 0)
        parse_error = csv_error(&parser) == CSV_EPARSE;
    csv_free(&parser);
    if (parse_error)
        cli_csv_error(errors, rd->record + 1, NULL,
                      "could not read this row as CSV: a quote is not closed, or stray text "
                      "follows a closing quote");
    else if (rd->record == 0)
        cli_csv_error(errors, 0, NULL, "the file is empty: it needs a header row with %s",
                      spec->needs);
    else if (rd->header_ok && errors->total == 0 && rd->data_rows == 0)
        cli_csv_error(errors, 0, NULL, "the file has no rows after its header");
    bool nomem = rd->nomem || errors->nomem;
    reader_release(rd);
    return nomem ? MC_ERR_NOMEM : MC_OK;
}

bool cli_item_index(const char *field, const char *prefix, size_t max, size_t *out_index)
{
    size_t plen = strlen(prefix), n = 0;

    if (!field || strncmp(field, prefix, plen) != 0 || field[plen] != '[')
        return false;
    const char *p = field + plen + 1;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (n > max)
            return false;
        n = n * 10 + (size_t)(*p - '0');
    }
    if (p[0] != ']' || (p[1] != '\0' && p[1] != '.'))
        return false;
    *out_index = n;
    return true;
}
