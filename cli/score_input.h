/*
 * score_input.h — scores as a coach types them: the arguments of
 * `mcred score`, which has two forms, and a CSV file of scores.
 *
 * `mcred score COHORT PERSON INDICATOR LEVEL` records one score, while
 * `mcred score import COHORT FILE.csv` and `mcred score list COHORT` are
 * verbs: cli_score_form() tells them apart by the first argument, so a
 * cohort can never be called "import" or "list" (ids never are).
 *
 * A score file is RFC 4180 CSV (libcsv, strict; UTF-8 with or without a
 * byte-order mark, CRLF or LF) with a header naming the columns email,
 * indicator and level, and optionally feedback, in any order and case;
 * other columns are ignored and blank rows skipped.  Every row is checked
 * here, with its row number as a spreadsheet counts (the header is row 1),
 * so that a broken file is reported whole before anything is sent; the
 * rows then become the body of ONE POST /v1/cohorts/{id}/scores,
 * {"scores": [{"learner", "indicator", "level", "feedback"?}, …]}, which
 * the server applies all or nothing.
 */
#ifndef MCRED_CLI_SCORE_INPUT_H
#define MCRED_CLI_SCORE_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"

/* Scores in one request (the server's bound), so rows in one file. */
#define CLI_SCORE_MAX 500
/* A score file is read whole; no more than this. */
#define CLI_SCORE_MAX_BYTES (4 * 1024 * 1024)
/* Row errors kept (and printed) from one file; more are counted. */
#define CLI_SCORE_MAX_ERRORS 100
/* Bytes of a score's feedback. */
#define CLI_FEEDBACK_MAX 4000

/* What `mcred score ARGS…` asks for. */
enum cli_score_form {
    CLI_SCORE_RECORD, /* mcred score COHORT PERSON INDICATOR LEVEL */
    CLI_SCORE_IMPORT, /* mcred score import COHORT FILE.csv */
    CLI_SCORE_LIST,   /* mcred score list COHORT */
};

/* The form argv (argv[0] is "score") asks for: by argv[1] alone. */
enum cli_score_form cli_score_form(int argc, char **argv);

/* A level's text at most: a rubric label ("Proficient") or a number. */
#define CLI_LEVEL_TEXT_MAX 64
#define CLI_LEVEL_HINT     "give the rubric level's number or label, like 3 or Proficient"

/*
 * A level as given: a number or a rubric label, 1 to CLI_LEVEL_TEXT_MAX
 * bytes without control characters or spaces around.  Whether the rubric
 * has it is for the server, which knows the rubric.
 */
bool cli_score_level_valid(const char *s);

/*
 * One score as a request item: {"learner": who, "indicator", "level",
 * "feedback"?, "evidence"?} (feedback and evidence left out when NULL);
 * a level of digits goes as a number, any other as its label.  NULL when
 * out of memory.
 */
cJSON *cli_score_item(const char *who, const char *indicator, const char *level,
                      const char *feedback, const char *evidence);

/* A score file, read. */
struct cli_score_csv {
    cJSON *scores;  /* request items, in the file's order */
    unsigned *rows; /* rows[i]: the file's row of scores' item i */
    size_t nscores;
    size_t nlearners;   /* different e-mails among them */
    cJSON *errors;      /* [{"row", "column", "message"}]: at most CLI_SCORE_MAX_ERRORS */
    size_t error_total; /* errors found, including those not kept */
};

/*
 * Read `len` bytes of CSV.  MC_OK when the file was read, whether or not
 * it had errors (then error_total > 0); MC_ERR_NOMEM otherwise.  Each
 * problem is an entry of errors: a missing email, indicator or level
 * column (or one named twice), a row with another number of fields than
 * the header, an address that is not an e-mail, an indicator that is not
 * a code, a level that is empty or not a level's text, feedback longer than
 * CLI_FEEDBACK_MAX, the same learner and indicator twice, more than
 * CLI_SCORE_MAX rows, a file with no data rows, broken quoting.  Release
 * *out with cli_score_csv_release() in every case.
 */
enum mc_err cli_score_csv_parse(const char *data, size_t len, struct cli_score_csv *out)
    __attribute__((warn_unused_result));

void cli_score_csv_release(struct cli_score_csv *c);

/*
 * The index N of an item the server named in a refusal: "scores[N]" or
 * "scores[N].<field>".  False for any other field.
 */
bool cli_score_item_index(const char *field, size_t *out_index);

#endif
