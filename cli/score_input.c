/*
 * score_input.c — the forms of `mcred score` and score files; see
 * score_input.h.
 *
 * The CSV reader works as attendance_input.c's: libcsv hands over one
 * field at a time, the cells of the columns that matter are kept in
 * fixed buffers (a longer cell is an error of its row, not a reason to
 * grow), and the row is checked when it ends.  Duplicates are found by
 * looking back over the items read so far: at most CLI_SCORE_MAX of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "mcred/limits.h"
#include "mcred/validate.h"

#include "coursework_input.h"
#include "score_input.h"

#include "mcred/banned.h"

enum cli_score_form cli_score_form(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "import") == 0)
        return CLI_SCORE_IMPORT;
    if (argc > 1 && strcmp(argv[1], "list") == 0)
        return CLI_SCORE_LIST;
    return CLI_SCORE_RECORD;
}

cJSON *cli_score_item(const char *who, const char *indicator, long level, const char *feedback,
                      const char *evidence)
{
    cJSON *item = cJSON_CreateObject();

    if (!item || !cJSON_AddStringToObject(item, "learner", who) ||
        !cJSON_AddStringToObject(item, "indicator", indicator) ||
        !cJSON_AddNumberToObject(item, "level", (double)level) ||
        (feedback && !cJSON_AddStringToObject(item, "feedback", feedback)) ||
        (evidence && !cJSON_AddStringToObject(item, "evidence", evidence))) {
        cJSON_Delete(item);
        return NULL;
    }
    return item;
}

bool cli_score_item_index(const char *field, size_t *out_index)
{
    static const char prefix[] = "scores[";
    const char *p;
    size_t n = 0;

    if (!field || strncmp(field, prefix, sizeof(prefix) - 1) != 0)
        return false;
    p = field + sizeof(prefix) - 1;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (n > CLI_SCORE_MAX)
            return false;
        n = n * 10 + (size_t)(*p - '0');
    }
    if (p[0] != ']' || (p[1] != '\0' && p[1] != '.'))
        return false;
    *out_index = n;
    return true;
}

/* ---- the CSV reader --------------------------------------------------- */

/* The columns read, in the order of struct reader's cells. */
enum column { COL_EMAIL, COL_INDICATOR, COL_LEVEL, COL_FEEDBACK, NCOLUMNS };

static const char *const column_names[NCOLUMNS] = {"email", "indicator", "level", "feedback"};

/* Each cell is kept whole up to its bound; a longer one is marked too long. */
#define EMAIL_CELL     MC_MAX_EMAIL
#define INDICATOR_CELL CLI_CODE_MAX
#define LEVEL_CELL     16
#define FEEDBACK_CELL  CLI_FEEDBACK_MAX

struct cell {
    char *text; /* room for max + 1 bytes */
    size_t max;
    size_t len;
    bool too_long;
};

struct reader {
    struct cli_score_csv *out;
    unsigned record;  /* records finished so far */
    size_t data_rows; /* rows after the header that are not blank */
    size_t nfields;   /* of the record being read */
    size_t ncolumns;  /* of the header */
    long col[NCOLUMNS];
    bool header_ok;
    bool nonempty; /* the record being read has a non-empty cell */
    bool full;     /* CLI_SCORE_MAX rows read */
    bool nomem;
    struct cell cell[NCOLUMNS];
    char email[EMAIL_CELL + 1];
    char indicator[INDICATOR_CELL + 1];
    char level[LEVEL_CELL + 1];
    char feedback[FEEDBACK_CELL + 1];
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static void row_error(struct reader *rd, unsigned row, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void row_error(struct reader *rd, unsigned row, const char *column, const char *fmt, ...)
{
    struct cli_score_csv *out = rd->out;
    char message[MC_MAX_ERR_MESSAGE];
    cJSON *entry;
    va_list ap;

    out->error_total++;
    if (cJSON_GetArraySize(out->errors) >= CLI_SCORE_MAX_ERRORS)
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

    if (rd->record == 0) {
        for (int c = 0; c < NCOLUMNS; c++) {
            if (!header_is(data, len, column_names[c]))
                continue;
            if (rd->col[c] >= 0)
                row_error(rd, 1, column_names[c], "column %s appears twice", column_names[c]);
            rd->col[c] = i;
        }
        return;
    }
    for (size_t k = 0; k < len && !rd->nonempty; k++)
        rd->nonempty = !is_space(((const char *)data)[k]);
    for (int c = 0; c < NCOLUMNS; c++)
        if (i == rd->col[c])
            cell_set(&rd->cell[c], data, len);
}

static void header_end(struct reader *rd)
{
    rd->ncolumns = rd->nfields;
    for (int c = 0; c < COL_FEEDBACK; c++)
        if (rd->col[c] < 0)
            row_error(rd, 1, column_names[c], "the header has no %s column", column_names[c]);
    rd->header_ok = rd->out->error_total == 0;
}

/* The row of the item for the same learner and indicator, or 0. */
static unsigned row_of_score(const struct cli_score_csv *out, const char *email,
                             const char *indicator, bool *out_learner_seen)
{
    size_t i = 0;
    const cJSON *item;

    *out_learner_seen = false;
    cJSON_ArrayForEach(item, out->scores)
    {
        const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "learner"));
        const char *code =
            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "indicator"));

        if (e && strcasecmp(e, email) == 0) {
            *out_learner_seen = true;
            if (code && strcmp(code, indicator) == 0)
                return out->rows[i];
        }
        i++;
    }
    return 0;
}

static void row_end(struct reader *rd, unsigned row)
{
    struct cli_score_csv *out = rd->out;
    const char *email, *indicator, *level_text, *feedback;
    size_t errors = out->error_total;
    bool learner_seen;
    unsigned first;
    long level = 0;
    cJSON *item;

    if (!rd->nonempty)
        return; /* a blank row of a spreadsheet */
    if (++rd->data_rows > CLI_SCORE_MAX) {
        row_error(rd, row, NULL, "a file has at most %d rows; split it", CLI_SCORE_MAX);
        rd->full = true;
        return;
    }
    if (rd->nfields != rd->ncolumns) {
        row_error(rd, row, NULL, "row has %zu field%s; the header has %zu", rd->nfields,
                  rd->nfields == 1 ? "" : "s", rd->ncolumns);
        return;
    }
    email = cell_trim(&rd->cell[COL_EMAIL]);
    indicator = cell_trim(&rd->cell[COL_INDICATOR]);
    level_text = cell_trim(&rd->cell[COL_LEVEL]);
    feedback = cell_trim(&rd->cell[COL_FEEDBACK]);
    if (rd->cell[COL_EMAIL].too_long)
        row_error(rd, row, "email", "email is longer than %d bytes", MC_MAX_EMAIL);
    else if (!*email)
        row_error(rd, row, "email", "email is empty");
    else if (!mc_email_valid(email))
        row_error(rd, row, "email", "\"%s\" is not an e-mail address", email);
    if (!*indicator)
        row_error(rd, row, "indicator", "indicator is empty");
    else if (rd->cell[COL_INDICATOR].too_long || !cli_code_valid(indicator))
        row_error(rd, row, "indicator", "\"%.32s\" is not an indicator code like 1.2", indicator);
    if (!*level_text)
        row_error(rd, row, "level", "level is empty");
    else if (rd->cell[COL_LEVEL].too_long || !cli_level_parse(level_text, &level))
        row_error(rd, row, "level", "\"%.16s\" is not a level: use a whole number from 1 to %d",
                  level_text, CLI_LEVEL_MAX);
    if (rd->cell[COL_FEEDBACK].too_long)
        row_error(rd, row, "feedback", "feedback is longer than %d bytes", CLI_FEEDBACK_MAX);
    if (out->error_total != errors)
        return;
    first = row_of_score(out, email, indicator, &learner_seen);
    if (first) {
        row_error(rd, row, "indicator", "%s is scored on %s again (first in row %u)", email,
                  indicator, first);
        return;
    }
    item = cli_score_item(email, indicator, level, *feedback ? feedback : NULL, NULL);
    if (!item || !cJSON_AddItemToArray(out->scores, item)) {
        cJSON_Delete(item);
        rd->nomem = true;
        return;
    }
    out->rows[out->nscores++] = row;
    if (!learner_seen)
        out->nlearners++;
}

static void cells_clear(struct reader *rd)
{
    for (int c = 0; c < NCOLUMNS; c++)
        cell_set(&rd->cell[c], "", 0);
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
    cells_clear(rd);
}

enum mc_err cli_score_csv_parse(const char *data, size_t len, struct cli_score_csv *out)
{
    struct reader *rd = calloc(1, sizeof(*rd));
    struct csv_parser parser;
    size_t used;
    bool parse_error, nomem;

    memset(out, 0, sizeof(*out));
    out->scores = cJSON_CreateArray();
    out->errors = cJSON_CreateArray();
    out->rows = calloc(CLI_SCORE_MAX + 1, sizeof(*out->rows));
    if (!rd || !out->scores || !out->errors || !out->rows) {
        free(rd);
        return MC_ERR_NOMEM;
    }
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        free(rd);
        return MC_ERR_NOMEM;
    }
    rd->out = out;
    for (int c = 0; c < NCOLUMNS; c++)
        rd->col[c] = -1;
    rd->cell[COL_EMAIL] = (struct cell){.text = rd->email, .max = EMAIL_CELL};
    rd->cell[COL_INDICATOR] = (struct cell){.text = rd->indicator, .max = INDICATOR_CELL};
    rd->cell[COL_LEVEL] = (struct cell){.text = rd->level, .max = LEVEL_CELL};
    rd->cell[COL_FEEDBACK] = (struct cell){.text = rd->feedback, .max = FEEDBACK_CELL};
    cells_clear(rd);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    used = csv_parse(&parser, data, len, on_field, on_record, rd);
    parse_error = used != len && csv_error(&parser) == CSV_EPARSE;
    if (used != len && csv_error(&parser) != CSV_EPARSE)
        rd->nomem = true;
    if (!parse_error && !rd->nomem && csv_fini(&parser, on_field, on_record, rd) != 0)
        parse_error = csv_error(&parser) == CSV_EPARSE;
    csv_free(&parser);
    if (parse_error)
        row_error(rd, rd->record + 1, NULL,
                  "could not read this row as CSV: a quote is not closed, or stray text follows "
                  "a closing quote");
    else if (rd->record == 0)
        row_error(rd, 0, NULL,
                  "the file is empty: it needs a header row with email, indicator and level");
    else if (rd->header_ok && out->error_total == 0 && out->nscores == 0)
        row_error(rd, 0, NULL, "the file has no rows after its header");
    nomem = rd->nomem;
    free(rd);
    return nomem ? MC_ERR_NOMEM : MC_OK;
}

void cli_score_csv_release(struct cli_score_csv *c)
{
    cJSON_Delete(c->scores);
    cJSON_Delete(c->errors);
    free(c->rows);
    memset(c, 0, sizeof(*c));
}
