/*
 * attendance_input.h — attendance as a coordinator types it: PERSON=MODE
 * arguments, or a CSV file with the columns email and mode.
 *
 * Both become the body of PUT /v1/sessions/{id}/attendance,
 * {"attendance": [{"email"|"person", "mode"}, …]}, and both are checked
 * here first, so that a misspelt mode or a broken row is reported (with
 * its row number, as a spreadsheet counts: the header is row 1) before
 * anything is sent.  Modes are forgiving about case and separators:
 * "In person", "in-person" and "IN_PERSON" are all in_person.
 *
 * The CSV is RFC 4180 (libcsv, strict): UTF-8 with or without a byte-order
 * mark, CRLF or LF, quoted fields.  The header names the columns in any
 * order and case; columns other than email and mode are ignored (a
 * sign-in sheet may carry names); rows whose cells are all empty are
 * skipped.
 */
#ifndef MCRED_CLI_ATTENDANCE_INPUT_H
#define MCRED_CLI_ATTENDANCE_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"

/* Records in one request (the server's bound). */
#define CLI_ATTENDANCE_MAX 1000
/* The longest mode, with its NUL. */
#define CLI_ATTENDANCE_MODE_SIZE 16
/* An attendance file is read whole; no more than this. */
#define CLI_ATTENDANCE_MAX_BYTES (4 * 1024 * 1024)
/* Row errors kept (and printed) from one file; more are counted. */
#define CLI_ATTENDANCE_MAX_ERRORS 100

/* The modes, for messages. */
#define CLI_ATTENDANCE_MODES "in_person, online, asynchronous, absent or excused"

/*
 * Turn the `len` bytes of `s` into a mode in `out`: trimmed, lowercased,
 * ' ' and '-' as '_'.  False when that is not one of CLI_ATTENDANCE_MODES.
 */
bool cli_attendance_mode(const char *s, size_t len, char out[CLI_ATTENDANCE_MODE_SIZE]);

/*
 * Split "PERSON=MODE" at its last '=' (an e-mail may hold '=', a mode
 * never does): *out_person_len is the length of PERSON and out_mode the
 * mode.  False, with the outputs untouched, when there is no '=', PERSON
 * is empty or MODE is not a mode.
 */
bool cli_attendance_pair(const char *arg, size_t *out_person_len,
                         char out_mode[CLI_ATTENDANCE_MODE_SIZE]);

/*
 * Append {"email"|"person": PERSON, "mode": MODE} to `records` (an
 * array), PERSON being the first person_len bytes of `person`.  False
 * when out of memory.
 */
bool cli_attendance_record_add(cJSON *records, const char *person, size_t person_len,
                               const char *mode);

/* An attendance CSV, read. */
struct cli_attendance_csv {
    cJSON *records; /* [{"email", "mode"}], in the file's order */
    unsigned *rows; /* rows[i]: the file's row of records' item i */
    size_t nrecords;
    cJSON *errors;      /* [{"row", "column", "message"}]: at most CLI_ATTENDANCE_MAX_ERRORS */
    size_t error_total; /* errors found, including those not kept */
};

/*
 * Read `len` bytes of CSV.  MC_OK when the file was read, whether or not
 * it had errors (then error_total > 0); MC_ERR_NOMEM otherwise.  Each
 * row's problem is an entry of errors: a missing email or mode column, a
 * row with another number of fields than the header, an address that is
 * not an e-mail, a mode that is not one, a person given twice, more than
 * CLI_ATTENDANCE_MAX rows, a file with no data rows, broken quoting.
 * Release *out with cli_attendance_csv_release() in every case.
 */
enum mc_err cli_attendance_csv_parse(const char *data, size_t len, struct cli_attendance_csv *out)
    __attribute__((warn_unused_result));

void cli_attendance_csv_release(struct cli_attendance_csv *c);

/*
 * The index N of a field the server named in a refusal, "attendance[N]"
 * or "attendance[N].mode".  False for any other field.
 */
bool cli_attendance_item_index(const char *field, size_t *out_index);

#endif
