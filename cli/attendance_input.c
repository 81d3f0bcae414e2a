/*
 * attendance_input.c — PERSON=MODE arguments and attendance CSV files;
 * see attendance_input.h.
 *
 * The file is read by csv_table.c; this file checks each row's e-mail and
 * mode and keeps the records.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mcred/limits.h"
#include "mcred/validate.h"

#include "attendance_input.h"
#include "csv_table.h"

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
    return cli_item_index(field, "attendance", CLI_ATTENDANCE_MAX, out_index);
}

/* ---- the CSV file ----------------------------------------------------- */

enum column { COL_EMAIL, COL_MODE, NCOLUMNS };

/* A cell kept whole up to this many bytes; longer ones are errors of their row. */
static const struct cli_csv_column columns[NCOLUMNS] = {
    {.name = "email", .max = MC_MAX_EMAIL + 1, .required = true},
    {.name = "mode", .max = MC_MAX_EMAIL + 1, .required = true},
};

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

static bool read_row(void *ctx, struct cli_csv_errors *e, unsigned row,
                     const struct cli_csv_cell *cells)
{
    struct cli_attendance_csv *out = ctx;
    const char *email = cells[COL_EMAIL].text, *mode_text = cells[COL_MODE].text;
    char mode[CLI_ATTENDANCE_MODE_SIZE];
    size_t errors = e->total;

    if (cells[COL_EMAIL].too_long)
        cli_csv_error(e, row, "email", "email is longer than %d bytes", MC_MAX_EMAIL);
    else if (!*email)
        cli_csv_error(e, row, "email", "email is empty");
    else if (!mc_email_valid(email))
        cli_csv_error(e, row, "email", "\"%s\" is not an e-mail address", email);
    if (!*mode_text)
        cli_csv_error(e, row, "mode", "mode is empty");
    else if (cells[COL_MODE].too_long || !cli_attendance_mode(mode_text, strlen(mode_text), mode))
        cli_csv_error(e, row, "mode", "\"%.32s\" is not a mode: use %s", mode_text,
                      CLI_ATTENDANCE_MODES);
    if (e->total != errors)
        return true;
    unsigned first = row_of_email(out, email);
    if (first) {
        cli_csv_error(e, row, "email", "%s appears again (first in row %u)", email, first);
        return true;
    }
    if (!cli_attendance_record_add(out->records, email, strlen(email), mode))
        return false;
    out->rows[out->nrecords++] = row;
    return true;
}

enum mc_err cli_attendance_csv_parse(const char *data, size_t len, struct cli_attendance_csv *out)
{
    static const struct cli_csv_spec spec = {.columns = columns,
                                             .ncolumns = NCOLUMNS,
                                             .max_rows = CLI_ATTENDANCE_MAX,
                                             .needs = "email and mode"};
    memset(out, 0, sizeof(*out));
    out->records = cJSON_CreateArray();
    out->errors = cJSON_CreateArray();
    out->rows = calloc(CLI_ATTENDANCE_MAX + 1, sizeof(*out->rows));
    if (!out->records || !out->errors || !out->rows)
        return MC_ERR_NOMEM;
    struct cli_csv_errors errors = {.list = out->errors, .max = CLI_ATTENDANCE_MAX_ERRORS};
    enum mc_err rc = cli_csv_read(data, len, &spec, &errors, read_row, out);
    out->error_total = errors.total;
    return rc;
}

void cli_attendance_csv_release(struct cli_attendance_csv *c)
{
    cJSON_Delete(c->records);
    cJSON_Delete(c->errors);
    free(c->rows);
    memset(c, 0, sizeof(*c));
}
