/*
 * csv.h — writing RFC 4180 CSV (reading rosters uses libcsv).
 *
 * A field is quoted when it holds a comma, a quote, CR or LF, starts or
 * ends with a space, or ends with a tab (readers trim those); quotes inside
 * are doubled.  Records end in CRLF, as the RFC says and spreadsheets
 * expect.
 *
 * A field that a spreadsheet would run as a formula — one starting with
 * =, +, -, @, a tab or a carriage return, plain numbers apart — is written
 * with a leading apostrophe, so that it shows as text (OWASP's rule for
 * CSV injection).  To keep the file importable back unchanged, a field
 * that itself starts with an apostrophe followed by one of those (or by
 * another apostrophe) gets one too, and readers drop exactly one
 * (mc_csv_guard_prefix): what was written is what is read.
 */
#ifndef MCRED_CSV_H
#define MCRED_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "mcred/buf.h"

enum mc_err mc_csv_field(struct mc_buf *out, const char *field) __attribute__((warn_unused_result));

/* Whether mc_csv_field writes this field with a leading apostrophe. */
bool mc_csv_guarded(const char *field);

/*
 * How many leading bytes of a field read from CSV (data, len: not
 * NUL-terminated) are the apostrophe mc_csv_field added: 1 or 0.
 */
size_t mc_csv_guard_prefix(const char *data, size_t len);

/* Append one record of n fields (NULL fields are written empty) and CRLF. */
enum mc_err mc_csv_record(struct mc_buf *out, const char *const *fields, size_t n)
    __attribute__((warn_unused_result));

#endif
