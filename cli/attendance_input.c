/*
 * attendance_input.c — PERSON=MODE arguments and attendance CSV files;
 * see attendance_input.h.
 *
 * libcsv hands over one field at a time and then the end of the record.
 * Only two columns matter, so the reader keeps the email and mode cells of
 * the record being read in fixed buffers (a longer cell is an error of
 * its row, not a reason to grow) and checks the row when it ends.  Row
 * numbers count records as the server's roster import does: the header is
 * row 1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "mcred/limits.h"
#include "mcred/validate.h"

#include "attendance_input.h"

#include "mcred/banned.h"

static const char *const modes[] = {"in_person", "online",  "asynchronous",
                                    "absent",    "excused", NULL};

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

bool cli_attendance_mode(const char *s, size_t len, char out[CLI_ATTENDANCE_MODE_SIZE])
{
    char word[CLI_ATTENDANCE_MODE_SIZE];

    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_space(s[len - 1]))
        len--;
    if (len == 0 || len >= sizeof(word))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        else if (c == ' ' || c == '-')
            c = '_';
        word[i] = c;
    }
    word[len] = '\0';
    for (const char *const *m = modes; *m; m++) {
        if (strcmp(word, *m) == 0) {
            memcpy(out, word, len + 1);
            return true;
        }
    }
    return false;
}

bool cli_attendance_pair(const char *arg, size_t *out_person_len,
                         char out_mode[CLI_ATTENDANCE_MODE_SIZE])
{
    const char *eq = strrchr(arg, '=');
    char mode[CLI_ATTENDANCE_MODE_SIZE];

    if (!eq || eq == arg || !cli_attendance_mode(eq + 1, strlen(eq + 1), mode))
        return false;
    *out_person_len = (size_t)(eq - arg);
    memcpy(out_mode, mode, sizeof(mode));
    return true;
}

bool cli_attendance_record_add(cJSON *records, const char *person, size_t person_len,
                               const char *mode)
{
    char *who = strndup(person, person_len);
    cJSON *item = cJSON_CreateObject();
    bool ok = who && item && cJSON_AddItemToArray(records, item);

    if (!ok)
        cJSON_Delete(item);
    ok = ok && cJSON_AddStringToObject(item, strchr(who, '@') ? "email" : "person", who) &&
         cJSON_AddStringToObject(item, "mode", mode);
    free(who);
    return ok;
}

bool cli_attendance_item_index(const char *field, size_t *out_index)
{
    static const char prefix[] = "attendance[";
    const char *p;
    size_t n = 0;

    if (!field || strncmp(field, prefix, sizeof(prefix) - 1) != 0)
        return false;
    p = field + sizeof(prefix) - 1;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (n > CLI_ATTENDANCE_MAX)
            return false;
        n = n * 10 + (size_t)(*p - '0');
    }
    if (p[0] != ']' || (p[1] != '\0' && p[1] != '.'))
        return false;
    *out_index = n;
    return true;
}

/* ---- the CSV reader --------------------------------------------------- */

/* A cell kept whole up to this many bytes; longer ones are errors of their row. */
#define CELL_MAX (MC_MAX_EMAIL + 1)

struct cell {
    char text[CELL_MAX + 1];
    size_t len;
    bool too_long;
};

struct reader {
    struct cli_attendance_csv *out;
    unsigned record;  /* records finished so far */
    size_t data_rows; /* rows after the header that are not blank */
    size_t nfields;   /* of the record being read */
    size_t ncolumns;  /* of the header */
    long col_email, col_mode;
    bool header_ok;
    bool nonempty; /* the record being read has a non-empty cell */
    bool full;     /* CLI_ATTENDANCE_MAX rows read */
    bool nomem;
    struct cell email, mode;
};

static void row_error(struct reader *rd, unsigned row, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void row_error(struct reader *rd, unsigned row, const char *column, const char *fmt, ...)
{
    struct cli_attendance_csv *out = rd->out;
    char message[MC_MAX_ERR_MESSAGE];
    cJSON *entry;
    va_list ap;

    out->error_total++;
    if (cJSON_GetArraySize(out->errors) >= CLI_ATTENDANCE_MAX_ERRORS)
        return;
    va_start(ap, fmt);
    (void)vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    entry = cJSON_CreateObject();
    if (!entry || !cJSON_AddItemToArray(out->errors, entry)) {
        cJSON_Delete(entry);
        rd->nomem = true;
        return;
    }
    if (!(row ? cJSON_AddNumberToObject(entry, "row", row) : cJSON_AddNullToObject(entry, "row")) ||
        !(column ? cJSON_AddStringToObject(entry, "column", column)
                 : cJSON_AddNullToObject(entry, "column")) ||
        !cJSON_AddStringToObject(entry, "message", message))
        rd->nomem = true;
}

static void cell_set(struct cell *c, const char *data, size_t len)
{
    c->too_long = len > CELL_MAX;
    c->len = c->too_long ? CELL_MAX : len;
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

/* A header cell names `name` (trimmed, in any case). */
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

    if (rd->record == 0) {
        if (header_is(data, len, "email")) {
            if (rd->col_email >= 0)
                row_error(rd, 1, "email", "column email appears twice");
            rd->col_email = i;
        } else if (header_is(data, len, "mode")) {
            if (rd->col_mode >= 0)
                row_error(rd, 1, "mode", "column mode appears twice");
            rd->col_mode = i;
        }
        return;
    }
    for (size_t k = 0; k < len && !rd->nonempty; k++)
        rd->nonempty = !is_space(((const char *)data)[k]);
    if (i == rd->col_email)
        cell_set(&rd->email, data, len);
    else if (i == rd->col_mode)
        cell_set(&rd->mode, data, len);
}

static void header_end(struct reader *rd)
{
    rd->ncolumns = rd->nfields;
    if (rd->col_email < 0)
        row_error(rd, 1, "email", "the header has no email column");
    if (rd->col_mode < 0)
        row_error(rd, 1, "mode", "the header has no mode column");
    rd->header_ok = rd->out->error_total == 0;
}

/* The row of the record whose e-mail is `email`, or 0. */
static unsigned row_of_email(const struct cli_attendance_csv *out, const char *email)
{
    size_t i = 0;
    const cJSON *record;

    cJSON_ArrayForEach(record, out->records)
    {
        const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(record, "email"));
        if (e && strcasecmp(e, email) == 0)
            return out->rows[i];
        i++;
    }
    return 0;
}

static void row_end(struct reader *rd, unsigned row)
{
    struct cli_attendance_csv *out = rd->out;
    char mode[CLI_ATTENDANCE_MODE_SIZE];
    const char *email;
    const char *mode_text;
    unsigned first;
    size_t errors = out->error_total;

    if (!rd->nonempty)
        return; /* a blank row of a spreadsheet */
    if (++rd->data_rows > CLI_ATTENDANCE_MAX) {
        row_error(rd, row, NULL, "a file has at most %d rows; split it", CLI_ATTENDANCE_MAX);
        rd->full = true;
        return;
    }
    if (rd->nfields != rd->ncolumns) {
        row_error(rd, row, NULL, "row has %zu field%s; the header has %zu", rd->nfields,
                  rd->nfields == 1 ? "" : "s", rd->ncolumns);
        return;
    }
    email = cell_trim(&rd->email);
    mode_text = cell_trim(&rd->mode);
    if (rd->email.too_long)
        row_error(rd, row, "email", "email is longer than %d bytes", MC_MAX_EMAIL);
    else if (!*email)
        row_error(rd, row, "email", "email is empty");
    else if (!mc_email_valid(email))
        row_error(rd, row, "email", "\"%s\" is not an e-mail address", email);
    if (!*mode_text)
        row_error(rd, row, "mode", "mode is empty");
    else if (rd->mode.too_long || !cli_attendance_mode(mode_text, strlen(mode_text), mode))
        row_error(rd, row, "mode", "\"%.32s\" is not a mode: use %s", mode_text,
                  CLI_ATTENDANCE_MODES);
    if (out->error_total != errors)
        return;
    first = row_of_email(out, email);
    if (first) {
        row_error(rd, row, "email", "%s appears again (first in row %u)", email, first);
        return;
    }
    if (!cli_attendance_record_add(out->records, email, strlen(email), mode)) {
        rd->nomem = true;
        return;
    }
    out->rows[out->nrecords++] = row;
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
    cell_set(&rd->email, "", 0);
    cell_set(&rd->mode, "", 0);
}

enum mc_err cli_attendance_csv_parse(const char *data, size_t len, struct cli_attendance_csv *out)
{
    struct reader rd = {.out = out, .col_email = -1, .col_mode = -1};
    struct csv_parser parser;
    size_t used;
    bool parse_error;

    memset(out, 0, sizeof(*out));
    out->records = cJSON_CreateArray();
    out->errors = cJSON_CreateArray();
    out->rows = calloc(CLI_ATTENDANCE_MAX + 1, sizeof(*out->rows));
    if (!out->records || !out->errors || !out->rows)
        return MC_ERR_NOMEM;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return MC_ERR_NOMEM;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    used = csv_parse(&parser, data, len, on_field, on_record, &rd);
    parse_error = used != len && csv_error(&parser) == CSV_EPARSE;
    if (used != len && csv_error(&parser) != CSV_EPARSE)
        rd.nomem = true;
    if (!parse_error && !rd.nomem && csv_fini(&parser, on_field, on_record, &rd) != 0)
        parse_error = csv_error(&parser) == CSV_EPARSE;
    csv_free(&parser);
    if (parse_error)
        row_error(&rd, rd.record + 1, NULL,
                  "could not read this row as CSV: a quote is not closed, or stray text follows "
                  "a closing quote");
    else if (rd.record == 0)
        row_error(&rd, 0, NULL, "the file is empty: it needs a header row with email and mode");
    else if (rd.header_ok && out->error_total == 0 && out->nrecords == 0)
        row_error(&rd, 0, NULL, "the file has no rows after its header");
    return rd.nomem ? MC_ERR_NOMEM : MC_OK;
}

void cli_attendance_csv_release(struct cli_attendance_csv *c)
{
    cJSON_Delete(c->records);
    cJSON_Delete(c->errors);
    free(c->rows);
    memset(c, 0, sizeof(*c));
}
