/*
 * roster.h — a roster spreadsheet (RFC 4180 CSV) read and checked, before
 * anything touches the database.
 *
 * The first record is the header: `email` and `name` are required,
 * `role` is optional, every other column is a person attribute (header
 * names are lowercased, spaces and '-' become '_').  Every row is checked
 * — field count, e-mail, name, role, attribute values, the same e-mail
 * twice — and every problem is recorded with its row (numbered as in a
 * spreadsheet: the header is row 1) and column, so that a coordinator can
 * fix the file in one go.  A file that is not CSV UTF-8 at all (UTF-16,
 * Latin-1, semicolons, a workbook: mcred/textfile.h) is one problem, named
 * with its cause and fix, and is not read further.  Parsing is pure: no
 * I/O, no database.
 */
#ifndef MCRED_SERVER_ROSTER_H
#define MCRED_SERVER_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"
#include "mcred/limits.h"

/* What a roster's `role` column means, and its one other known column. */
struct roster_spec {
    bool (*role_valid)(const char *role); /* given the lowercased cell */
    const char *role_values;              /* for messages: "learner or coach" */
    const char *email_column;             /* another column of e-mails (e.g. "coach"), or NULL */
};

/* People imports: `role` is an organisation role. */
extern const struct roster_spec roster_people;

struct roster_row {
    unsigned row;    /* spreadsheet row number */
    char *email;     /* trimmed, as written */
    char *email_key; /* lowercased, for matching */
    char *name;
    char *role;        /* lowercased; NULL when the cell is empty or there is no role column */
    char *email_ref;   /* the spec's e-mail column, lowercased; NULL when empty or absent */
    cJSON *attributes; /* the row's non-empty attribute cells */
};

struct roster_error {
    unsigned row;
    unsigned seq;                     /* order of finding, to keep one row's problems in order */
    char column[MC_MAX_ATTR_KEY + 1]; /* "" when the whole row is at fault */
    char message[256];
};

struct roster {
    struct roster_row *rows; /* sorted by email_key once parsing ends */
    size_t nrows;
    struct roster_error *errors; /* sorted by row once parsing ends */
    size_t nerrors;              /* stored, at most MC_MAX_IMPORT_ERRORS */
    size_t error_total;          /* found, including those not stored */
    char file_problem[256];      /* "" or why the file is not CSV UTF-8 at all (mc_csv_check) */
};

/*
 * Parse and check `len` bytes of CSV.  MC_OK means the roster was read;
 * its problems, if any, are in out->errors.  MC_ERR_NOMEM otherwise.
 * Release with roster_release() in every case.
 */
enum mc_err roster_parse(const char *data, size_t len, const struct roster_spec *spec,
                         struct roster *out) __attribute__((warn_unused_result));

void roster_release(struct roster *r);

/* Record a problem (also used by the import for checks that need the database). */
void roster_error(struct roster *r, unsigned row, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sort the errors by row (stable for one row's several problems). */
void roster_sort_errors(struct roster *r);

/* The row whose email_key is `key`, or NULL. */
const struct roster_row *roster_find(const struct roster *r, const char *key);

/* The errors as a JSON array of {"row", "column", "message"}; NULL when out of memory. */
cJSON *roster_errors_json(const struct roster *r);

#endif
