/*
 * fuzz_csv.c — every CSV reader, and CSV written then read back.
 *
 * The input is a file as a coordinator would upload or hand to the CLI:
 *   - roster_parse() with the people import's spec (POST /v1/people/import)
 *     and the cohort members import's (POST /v1/cohorts/{id}/members/import):
 *     whatever the file, the errors kept stay within their cap, the rows are
 *     sorted by e-mail key and roster_find() finds each, and the errors
 *     become a JSON array of as many entries;
 *   - the CLI's readers of score and attendance files (cli_score_csv_parse,
 *     cli_attendance_csv_parse over cli/csv_table.c);
 *   - mc_csv_check(), which names a file that is not CSV UTF-8.
 * Then the input, split at the byte 0x1F into cells, is written as one
 * record by mc_csv_record() (the writer of every text/csv answer and of
 * `mcred --csv`, which neutralises formulas) under a header, and read back
 * by cli_csv_read(): each cell must come back as it was, but for the
 * spaces and tabs around it that every reader trims — "importable back".
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "attendance_input.h"
#include "csv_table.h"
#include "fuzz.h"
#include "mcred/buf.h"
#include "mcred/csv.h"
#include "mcred/textfile.h"
#include "members.h"
#include "roster.h"
#include "score_input.h"

#include "mcred/banned.h"

#define ROUND_TRIP_CELLS 4

static void check_roster(const char *data, size_t len, const struct roster_spec *spec)
{
    struct roster r;
    if (roster_parse(data, len, spec, &r) == MC_OK) {
        FUZZ_CHECK(r.nerrors <= MC_MAX_IMPORT_ERRORS && r.nerrors <= r.error_total);
        FUZZ_CHECK(r.nrows <= MC_MAX_CSV_ROWS);
        for (size_t i = 0; i < r.nrows; i++) {
            FUZZ_CHECK(r.rows[i].email && r.rows[i].email_key && r.rows[i].name);
            FUZZ_CHECK(i == 0 || strcmp(r.rows[i - 1].email_key, r.rows[i].email_key) <= 0);
            const struct roster_row *found = roster_find(&r, r.rows[i].email_key);
            FUZZ_CHECK(found && strcmp(found->email_key, r.rows[i].email_key) == 0);
        }
        for (size_t i = 1; i < r.nerrors; i++)
            FUZZ_CHECK(r.errors[i - 1].row <= r.errors[i].row);
        cJSON *errors = roster_errors_json(&r);
        if (errors)
            FUZZ_CHECK(cJSON_GetArraySize(errors) == (int)r.nerrors);
        cJSON_Delete(errors);
    }
    roster_release(&r);
}

static void check_cli_files(const char *data, size_t len)
{
    struct cli_score_csv scores;
    if (cli_score_csv_parse(data, len, &scores) == MC_OK)
        FUZZ_CHECK(cJSON_GetArraySize(scores.scores) == (int)scores.nscores);
    cli_score_csv_release(&scores);
    struct cli_attendance_csv attendance;
    if (cli_attendance_csv_parse(data, len, &attendance) == MC_OK)
        FUZZ_CHECK(cJSON_GetArraySize(attendance.records) == (int)attendance.nrecords);
    cli_attendance_csv_release(&attendance);
    struct mc_csv_check check;
    if (mc_csv_check(data, len, "the file", &check))
        FUZZ_CHECK(check.problem == MC_FILE_OK && check.bom <= len);
    else
        FUZZ_CHECK(check.problem != MC_FILE_OK && check.message[0]);
}

/* ---- written, then read back ---- */

struct round_trip {
    const char *sent[ROUND_TRIP_CELLS]; /* as written */
    size_t ncells;
    bool read; /* the data row came back */
};

/* s without the spaces and tabs around it, as (start, length). */
static const char *trimmed(const char *s, size_t *out_len)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *out_len = n;
    return s;
}

static bool on_row(void *ctx, struct cli_csv_errors *errors, unsigned row,
                   const struct cli_csv_cell *cells)
{
    struct round_trip *rt = ctx;
    (void)errors;
    FUZZ_CHECK(row == 2 && !rt->read);
    rt->read = true;
    for (size_t i = 0; i < rt->ncells; i++) {
        size_t n;
        const char *want = trimmed(rt->sent[i], &n);
        FUZZ_CHECK(!cells[i].too_long);
        FUZZ_CHECK(strlen(cells[i].text) == n && memcmp(cells[i].text, want, n) == 0);
    }
    return true;
}

/* Cut text at each 0x1F into at most ROUND_TRIP_CELLS cells (in place). */
static size_t split_cells(char *text, const char *cells[ROUND_TRIP_CELLS])
{
    size_t n = 0;
    cells[n++] = text;
    for (char *p = strchr(text, 0x1F); p && n < ROUND_TRIP_CELLS; p = strchr(p + 1, 0x1F)) {
        *p = '\0';
        cells[n++] = p + 1;
    }
    return n;
}

static void check_round_trip(const uint8_t *data, size_t size)
{
    static const char *const header[ROUND_TRIP_CELLS] = {"c0", "c1", "c2", "c3"};
    static const struct cli_csv_column columns[ROUND_TRIP_CELLS] = {
        {"c0", MC_MAX_CSV_FIELD, true},
        {"c1", MC_MAX_CSV_FIELD, false},
        {"c2", MC_MAX_CSV_FIELD, false},
        {"c3", MC_MAX_CSV_FIELD, false},
    };
    char *text = fuzz_cstring(data, size < MC_MAX_CSV_FIELD ? size : MC_MAX_CSV_FIELD);
    if (!text)
        return;
    struct round_trip rt = {0};
    rt.ncells = split_cells(text, rt.sent);
    struct cli_csv_spec spec = {
        .columns = columns, .ncolumns = rt.ncells, .max_rows = 1, .needs = "c0"};
    struct cli_csv_errors errors = {.list = cJSON_CreateArray(), .max = 10};
    struct mc_buf csv;
    mc_buf_init(&csv, 4 * (MC_MAX_CSV_FIELD + 16));
    bool blank = true;
    for (size_t i = 0; i < rt.ncells; i++)
        blank = blank && strspn(rt.sent[i], " \t") == strlen(rt.sent[i]);
    struct mc_csv_check check;
    /* cells that make the file not CSV UTF-8 text (binary bytes, Latin-1) are refused whole */
    if (errors.list && mc_csv_record(&csv, header, rt.ncells) == MC_OK &&
        mc_csv_record(&csv, rt.sent, rt.ncells) == MC_OK &&
        mc_csv_check(csv.data, csv.len, "the file", &check) &&
        cli_csv_read(csv.data, csv.len, &spec, &errors, on_row, &rt) == MC_OK) {
        /* a row of blank cells may be taken for a spreadsheet's empty line and skipped
         * (then the file has no rows: one error); any other row comes back */
        FUZZ_CHECK(rt.read || blank);
        FUZZ_CHECK(errors.total == (rt.read ? 0u : 1u));
    }
    mc_buf_release(&csv);
    cJSON_Delete(errors.list);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    check_roster(text, size, &roster_people);
    check_roster(text, size, &roster_members);
    check_cli_files(text, size);
    check_round_trip(data, size);
    return 0;
}
