/*
 * score_input.c — the forms of `mcred score` and score files; see
 * score_input.h.
 *
 * The file is read by csv_table.c; this file checks each row and keeps
 * the items.  Duplicates are found by looking back over the items read so
 * far: at most CLI_SCORE_MAX of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mcred/limits.h"
#include "mcred/validate.h"

#include "coursework_input.h"
#include "csv_table.h"
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

bool cli_score_level_valid(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > CLI_LEVEL_TEXT_MAX || s[0] == ' ' || s[n - 1] == ' ')
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < ' ' || *p == 0x7F)
            return false;
    return true;
}

cJSON *cli_score_item(const char *who, const char *indicator, const char *level,
                      const char *feedback, const char *evidence)
{
    cJSON *item = cJSON_CreateObject();
    size_t digits = strspn(level, "0123456789");
    /* a number goes as a number, a label ("Proficient") as text: the server knows the rubric */
    bool number = digits > 0 && digits <= 6 && level[digits] == '\0';

    if (!item || !cJSON_AddStringToObject(item, "learner", who) ||
        !cJSON_AddStringToObject(item, "indicator", indicator) ||
        !(number ? cJSON_AddNumberToObject(item, "level", (double)strtol(level, NULL, 10))
                 : cJSON_AddStringToObject(item, "level", level)) ||
        (feedback && !cJSON_AddStringToObject(item, "feedback", feedback)) ||
        (evidence && !cJSON_AddStringToObject(item, "evidence", evidence))) {
        cJSON_Delete(item);
        return NULL;
    }
    return item;
}

bool cli_score_item_index(const char *field, size_t *out_index)
{
    return cli_item_index(field, "scores", CLI_SCORE_MAX, out_index);
}

/* ---- the CSV file ----------------------------------------------------- */

enum column { COL_EMAIL, COL_INDICATOR, COL_LEVEL, COL_FEEDBACK, NCOLUMNS };

/* Each cell is kept whole up to its bound; a longer one is marked too long. */
static const struct cli_csv_column columns[NCOLUMNS] = {
    {.name = "email", .max = MC_MAX_EMAIL, .required = true},
    {.name = "indicator", .max = CLI_CODE_MAX, .required = true},
    {.name = "level", .max = CLI_LEVEL_TEXT_MAX, .required = true},
    {.name = "feedback", .max = CLI_FEEDBACK_MAX, .required = false},
};

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

static bool read_row(void *ctx, struct cli_csv_errors *e, unsigned row,
                     const struct cli_csv_cell *cells)
{
    struct cli_score_csv *out = ctx;
    const char *email = cells[COL_EMAIL].text, *indicator = cells[COL_INDICATOR].text;
    const char *level_text = cells[COL_LEVEL].text, *feedback = cells[COL_FEEDBACK].text;
    size_t errors = e->total;
    bool learner_seen;

    if (cells[COL_EMAIL].too_long)
        cli_csv_error(e, row, "email", "email is longer than %d bytes", MC_MAX_EMAIL);
    else if (!*email)
        cli_csv_error(e, row, "email", "email is empty");
    else if (!mc_email_valid(email))
        cli_csv_error(e, row, "email", "\"%s\" is not an e-mail address", email);
    if (!*indicator)
        cli_csv_error(e, row, "indicator", "indicator is empty");
    else if (cells[COL_INDICATOR].too_long || !cli_code_valid(indicator))
        cli_csv_error(e, row, "indicator", "\"%.32s\" is not an indicator code like 1.2",
                      indicator);
    if (!*level_text)
        cli_csv_error(e, row, "level", "level is empty");
    else if (cells[COL_LEVEL].too_long || !cli_score_level_valid(level_text))
        cli_csv_error(e, row, "level", "\"%.16s\" is not a level: %s", level_text, CLI_LEVEL_HINT);
    if (cells[COL_FEEDBACK].too_long)
        cli_csv_error(e, row, "feedback", "feedback is longer than %d bytes", CLI_FEEDBACK_MAX);
    if (e->total != errors)
        return true;
    unsigned first = row_of_score(out, email, indicator, &learner_seen);
    if (first) {
        cli_csv_error(e, row, "indicator", "%s is scored on %s again (first in row %u)", email,
                      indicator, first);
        return true;
    }
    cJSON *item = cli_score_item(email, indicator, level_text, *feedback ? feedback : NULL, NULL);
    if (!item || !cJSON_AddItemToArray(out->scores, item)) {
        cJSON_Delete(item);
        return false;
    }
    out->rows[out->nscores++] = row;
    if (!learner_seen)
        out->nlearners++;
    return true;
}

enum mc_err cli_score_csv_parse(const char *data, size_t len, struct cli_score_csv *out)
{
    static const struct cli_csv_spec spec = {.columns = columns,
                                             .ncolumns = NCOLUMNS,
                                             .max_rows = CLI_SCORE_MAX,
                                             .needs = "email, indicator and level"};
    memset(out, 0, sizeof(*out));
    out->scores = cJSON_CreateArray();
    out->errors = cJSON_CreateArray();
    out->rows = calloc(CLI_SCORE_MAX + 1, sizeof(*out->rows));
    if (!out->scores || !out->errors || !out->rows)
        return MC_ERR_NOMEM;
    struct cli_csv_errors errors = {.list = out->errors, .max = CLI_SCORE_MAX_ERRORS};
    enum mc_err rc = cli_csv_read(data, len, &spec, &errors, read_row, out);
    out->error_total = errors.total;
    return rc;
}

void cli_score_csv_release(struct cli_score_csv *c)
{
    cJSON_Delete(c->scores);
    cJSON_Delete(c->errors);
    free(c->rows);
    memset(c, 0, sizeof(*c));
}
