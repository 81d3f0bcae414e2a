/*
 * csv.h — writing RFC 4180 CSV (reading rosters uses libcsv).
 *
 * A field is quoted when it holds a comma, a quote, CR or LF, or starts or
 * ends with a space; quotes inside are doubled.  Records end in CRLF, as
 * the RFC says and spreadsheets expect.
 */
#ifndef MCRED_CSV_H
#define MCRED_CSV_H

#include <stddef.h>

#include "mcred/buf.h"

enum mc_err mc_csv_field(struct mc_buf *out, const char *field) __attribute__((warn_unused_result));

/* Append one record of n fields (NULL fields are written empty) and CRLF. */
enum mc_err mc_csv_record(struct mc_buf *out, const char *const *fields, size_t n)
    __attribute__((warn_unused_result));

#endif
