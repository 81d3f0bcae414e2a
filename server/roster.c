/*
 * roster.c — see roster.h.
 *
 * libcsv does the RFC 4180 part (quotes, doubled quotes, line breaks in
 * fields, CR, LF or CRLF) in strict mode; its callbacks hand us one field
 * at a time and then the end of the record, and this file turns records
 * into checked rows.  A parse error stops the reading (the rest of the
 * file cannot be trusted), any other problem only marks its row.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "mcred/csv.h"
#include "mcred/json.h"
#include "mcred/textfile.h"
#include "mcred/validate.h"
#include "roster.h"

#include "mcred/banned.h"

struct column {
    char name[MC_MAX_ATTR_KEY + 1];
};

const struct roster_spec roster_people = {
    .role_valid = mc_org_role_valid,
    .role_values = "admin, coordinator, leader or none",
    .email_column = NULL,
};

struct reader {
    const struct roster_spec *spec;
    struct roster *out;
    unsigned record; /* records finished so far */
    char **fields;   /* of the record being read */
    size_t nfields;
    size_t cap_fields;
    bool field_too_long;
    bool too_many_fields;
    struct column *columns; /* from the header */
    size_t ncolumns;
    int col_email, col_name, col_role, col_ref;
    bool header_ok;
    bool full; /* MC_MAX_CSV_ROWS reached */
    bool nomem;
};

void roster_error(struct roster *r, unsigned row, const char *column, const char *fmt, ...)
{
    r->error_total++;
    if (r->nerrors >= MC_MAX_IMPORT_ERRORS)
        return;
    struct roster_error *e = &r->errors[r->nerrors++];
    e->row = row;
    e->seq = (unsigned)r->error_total;
    snprintf(e->column, sizeof e->column, "%s", column ? column : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

static void reader_clear_fields(struct reader *rd)
{
    for (size_t i = 0; i < rd->nfields; i++)
        free(rd->fields[i]);
    rd->nfields = 0;
    rd->field_too_long = false;
    rd->too_many_fields = false;
}

static void on_field(void *data, size_t len, void *arg)
{
    struct reader *rd = arg;
    const char *text = data;
    size_t guard = mc_csv_guard_prefix(text, len); /* as our own CSV exports wrote it */
    text += guard;
    len -= guard;
    if (rd->nomem || rd->full)
        return;
    if (len > MC_MAX_CSV_FIELD)
        rd->field_too_long = true;
    if (rd->nfields >= MC_MAX_CSV_COLUMNS) {
        rd->too_many_fields = true;
        return;
    }
    if (rd->nfields == rd->cap_fields) {
        size_t cap = rd->cap_fields ? 2 * rd->cap_fields : 16;
        char **grown = realloc(rd->fields, cap * sizeof *grown);
        if (!grown) {
            rd->nomem = true;
            return;
        }
        rd->fields = grown;
        rd->cap_fields = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        rd->nomem = true;
        return;
    }
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    rd->fields[rd->nfields++] = copy;
}

/* Trim spaces in place (libcsv trims unquoted fields; quoted ones keep theirs). */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static void lowercase_ascii(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* "School Name" → "school_name" */
static void normalise_header(const char *in, char out[MC_MAX_ATTR_KEY + 1], bool *too_long)
{
    char buf[MC_MAX_CSV_FIELD + 1];
    snprintf(buf, sizeof buf, "%s", in);
    char *s = trim(buf);
    lowercase_ascii(s);
    for (char *p = s; *p; p++)
        if (*p == ' ' || *p == '-')
            *p = '_';
    *too_long = strlen(s) > MC_MAX_ATTR_KEY;
    snprintf(out, MC_MAX_ATTR_KEY + 1, "%s", s);
}

static void read_header(struct reader *rd)
{
    struct roster *out = rd->out;
    rd->col_email = rd->col_name = rd->col_role = rd->col_ref = -1;
    rd->columns = calloc(rd->nfields ? rd->nfields : 1, sizeof *rd->columns);
    if (!rd->columns) {
        rd->nomem = true;
        return;
    }
    rd->ncolumns = rd->nfields;
    size_t attributes = 0;
    for (size_t i = 0; i < rd->nfields; i++) {
        bool too_long = false;
        char *name = rd->columns[i].name;
        normalise_header(rd->fields[i], name, &too_long);
        for (size_t j = 0; j < i; j++)
            if (strcmp(rd->columns[j].name, name) == 0)
                roster_error(out, 1, name, "column %s appears twice", name);
        if (strcmp(name, "email") == 0)
            rd->col_email = (int)i;
        else if (strcmp(name, "name") == 0)
            rd->col_name = (int)i;
        else if (strcmp(name, "role") == 0)
            rd->col_role = (int)i;
        else if (rd->spec->email_column && strcmp(name, rd->spec->email_column) == 0)
            rd->col_ref = (int)i;
        else if (too_long || !mc_attr_key_valid(name))
            roster_error(out, 1, name,
                         "column \"%s\" cannot be an attribute: use up to %d letters, digits "
                         "and _",
                         rd->fields[i], MC_MAX_ATTR_KEY);
        else
            attributes++;
    }
    if (rd->too_many_fields)
        roster_error(out, 1, NULL, "the header has more than %d columns", MC_MAX_CSV_COLUMNS);
    if (attributes > MC_MAX_ATTRIBUTES)
        roster_error(out, 1, NULL, "a roster has at most %d attribute columns", MC_MAX_ATTRIBUTES);
    if (rd->col_email < 0)
        roster_error(out, 1, "email", "the header has no email column");
    if (rd->col_name < 0)
        roster_error(out, 1, "name", "the header has no name column");
    rd->header_ok = out->error_total == 0;
}

static bool row_add(struct roster *out, struct roster_row *row)
{
    if (out->nrows % 256 == 0) {
        struct roster_row *grown = realloc(out->rows, (out->nrows + 256) * sizeof *grown);
        if (!grown)
            return false;
        out->rows = grown;
    }
    out->rows[out->nrows++] = *row;
    return true;
}

static void row_free(struct roster_row *row)
{
    free(row->email);
    free(row->email_key);
    free(row->name);
    free(row->role);
    free(row->email_ref);
    cJSON_Delete(row->attributes);
}

/* Check one text cell; false (with its error) when it is not usable text. */
static bool cell_text_ok(struct roster *out, unsigned row, const char *column, const char *s,
                         size_t max)
{
    size_t len = strlen(s);
    if (len > max) {
        roster_error(out, row, column, "%s is longer than %zu bytes", column, max);
        return false;
    }
    if (!mc_utf8_valid_text(s, len)) {
        roster_error(out, row, column, "%s is not UTF-8 text", column);
        return false;
    }
    return true;
}

static void read_attributes(struct reader *rd, unsigned row, struct roster_row *r)
{
    for (size_t i = 0; i < rd->nfields && !rd->nomem; i++) {
        if ((int)i == rd->col_email || (int)i == rd->col_name || (int)i == rd->col_role ||
            (int)i == rd->col_ref)
            continue;
        char *value = trim(rd->fields[i]);
        const char *key = rd->columns[i].name;
        if (!*value || !cell_text_ok(rd->out, row, key, value, MC_MAX_ATTR_VALUE))
            continue;
        if (!cJSON_AddStringToObject(r->attributes, key, value))
            rd->nomem = true;
    }
}

static void read_row(struct reader *rd, unsigned row)
{
    struct roster *out = rd->out;
    if (rd->nfields != rd->ncolumns) {
        roster_error(out, row, NULL, "row has %zu fields; the header has %zu", rd->nfields,
                     rd->ncolumns);
        return;
    }
    if (rd->field_too_long) {
        roster_error(out, row, NULL, "a field is longer than %d bytes", MC_MAX_CSV_FIELD);
        return;
    }
    char *email = trim(rd->fields[rd->col_email]);
    char *name = trim(rd->fields[rd->col_name]);
    char *role = rd->col_role >= 0 ? trim(rd->fields[rd->col_role]) : NULL;
    if (!mc_email_valid(email))
        roster_error(out, row, "email", "\"%s\" is not an e-mail address", email);
    if (!*name)
        roster_error(out, row, "name", "name is empty");
    else
        (void)cell_text_ok(out, row, "name", name, MC_MAX_NAME);
    if (role && *role) {
        lowercase_ascii(role);
        if (!rd->spec->role_valid(role))
            roster_error(out, row, "role", "role must be %s, not %s", rd->spec->role_values, role);
    }
    char *ref = rd->col_ref >= 0 ? trim(rd->fields[rd->col_ref]) : NULL;
    if (ref && *ref && !mc_email_valid(ref))
        roster_error(out, row, rd->spec->email_column, "\"%s\" is not an e-mail address", ref);
    struct roster_row r = {.row = row};
    r.email = strdup(email);
    r.email_key = strdup(email);
    r.name = strdup(name);
    r.role = role && *role ? strdup(role) : NULL;
    r.email_ref = ref && *ref ? strdup(ref) : NULL;
    r.attributes = cJSON_CreateObject();
    if (!r.email || !r.email_key || !r.name || (role && *role && !r.role) ||
        (ref && *ref && !r.email_ref) || !r.attributes) {
        row_free(&r);
        rd->nomem = true;
        return;
    }
    lowercase_ascii(r.email_key);
    if (r.email_ref)
        lowercase_ascii(r.email_ref);
    read_attributes(rd, row, &r);
    /* rows with errors are kept too, so that duplicates among them are found as well */
    if (rd->nomem || !row_add(out, &r)) {
        row_free(&r);
        rd->nomem = true;
    }
}

static void on_record(int terminator, void *arg)
{
    struct reader *rd = arg;
    if (rd->nomem || rd->full) {
        reader_clear_fields(rd);
        return;
    }
    unsigned row = ++rd->record;
    if (row == 1)
        read_header(rd);
    else if (row - 1 > MC_MAX_CSV_ROWS) {
        roster_error(rd->out, row, NULL, "a roster has at most %d rows", MC_MAX_CSV_ROWS);
        rd->full = true;
    } else if (rd->header_ok)
        read_row(rd, row);
    reader_clear_fields(rd);
}

static int row_cmp(const void *a, const void *b)
{
    const struct roster_row *x = a, *y = b;
    int c = strcmp(x->email_key, y->email_key);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static void find_duplicates(struct roster *out)
{
    if (out->nrows < 2)
        return;
    qsort(out->rows, out->nrows, sizeof *out->rows, row_cmp);
    for (size_t i = 1; i < out->nrows; i++) {
        size_t first = i - 1;
        while (first > 0 && strcmp(out->rows[first - 1].email_key, out->rows[i].email_key) == 0)
            first--;
        if (strcmp(out->rows[first].email_key, out->rows[i].email_key) == 0)
            roster_error(out, out->rows[i].row, "email", "%s appears again (first in row %u)",
                         out->rows[i].email, out->rows[first].row);
    }
}

static int error_cmp(const void *a, const void *b)
{
    const struct roster_error *x = a, *y = b;
    if (x->row != y->row)
        return (x->row > y->row) - (x->row < y->row);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

void roster_sort_errors(struct roster *r)
{
    if (r->nerrors > 1)
        qsort(r->errors, r->nerrors, sizeof *r->errors, error_cmp);
}

enum mc_err roster_parse(const char *data, size_t len, const struct roster_spec *spec,
                         struct roster *out)
{
    memset(out, 0, sizeof *out);
    out->errors = calloc(MC_MAX_IMPORT_ERRORS, sizeof *out->errors);
    if (!out->errors)
        return MC_ERR_NOMEM;
    struct reader rd = {.spec = spec, .out = out};
    struct csv_parser parser;
    struct mc_csv_check check;
    if (!mc_csv_check(data, len, "the file", &check)) {
        snprintf(out->file_problem, sizeof out->file_problem, "%s", check.message);
        roster_error(out, check.row ? check.row : 1, NULL, "%s", check.message);
        return MC_OK;
    }
    data += check.bom;
    len -= check.bom;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return MC_ERR_NOMEM;
    size_t used = csv_parse(&parser, data, len, on_field, on_record, &rd);
    bool parse_error = used != len && csv_error(&parser) == CSV_EPARSE;
    if (!parse_error && csv_fini(&parser, on_field, on_record, &rd) != 0)
        parse_error = csv_error(&parser) == CSV_EPARSE;
    if (used != len && csv_error(&parser) == CSV_ENOMEM)
        rd.nomem = true;
    if (parse_error)
        roster_error(out, rd.record + 1, NULL,
                     "could not read this row as CSV: a quote is not closed, or stray text "
                     "follows a closing quote");
    csv_free(&parser);
    reader_clear_fields(&rd);
    free(rd.fields);
    free(rd.columns);
    if (rd.nomem)
        return MC_ERR_NOMEM;
    if (rd.record == 0)
        roster_error(out, 1, NULL, "the roster is empty: it needs a header row");
    find_duplicates(out);
    roster_sort_errors(out);
    return MC_OK;
}

void roster_release(struct roster *r)
{
    for (size_t i = 0; i < r->nrows; i++)
        row_free(&r->rows[i]);
    free(r->rows);
    free(r->errors);
    memset(r, 0, sizeof *r);
}

static int row_key_cmp(const void *key, const void *elem)
{
    const struct roster_row *row = elem;
    return strcmp(key, row->email_key);
}

const struct roster_row *roster_find(const struct roster *r, const char *key)
{
    return r->nrows ? bsearch(key, r->rows, r->nrows, sizeof *r->rows, row_key_cmp) : NULL;
}

cJSON *roster_errors_json(const struct roster *r)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < r->nerrors; i++) {
        const struct roster_error *e = &r->errors[i];
        cJSON *o = cJSON_CreateObject();
        if (!cJSON_AddItemToArray(list, o) || !cJSON_AddNumberToObject(o, "row", e->row) ||
            !mc_json_add_string_or_null(o, "column", e->column[0] ? e->column : NULL) ||
            !cJSON_AddStringToObject(o, "message", e->message)) {
            cJSON_Delete(list);
            list = NULL;
        }
    }
    return list;
}
