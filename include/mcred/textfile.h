/*
 * textfile.h — what an imported file really holds, and UTF-8 made safe to
 * echo.  Shared by the server (which refuses the file) and the CLI (which
 * refuses it before sending), so that both say the same thing.
 *
 * mc_csv_check() looks at a file that should be CSV UTF-8 and, when it is
 * not, says the likely cause and the fix in one message:
 *
 *   - an Excel workbook, a PDF, a zip, an image or other binary data
 *     (file signatures, NUL or control bytes) — one message, never two;
 *   - UTF-16 text (LE or BE, with or without a byte-order mark);
 *   - text that is not UTF-8 (Latin-1 / Windows-1252), naming the first
 *     row that is not;
 *   - a header separated by semicolons or tabs instead of commas (and,
 *     with the encoding, both in one message: the fix is the same).
 *
 * A UTF-8 byte-order mark is accepted silently: `bom` says how many bytes
 * to skip.  The check is pure: no I/O, no allocation.
 */
#ifndef MCRED_TEXTFILE_H
#define MCRED_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>

enum mc_file_problem {
    MC_FILE_OK = 0,
    MC_FILE_BINARY,    /* a workbook, a PDF, an archive, … */
    MC_FILE_UTF16,     /* UTF-16 (or UTF-32) text */
    MC_FILE_NOT_UTF8,  /* 8-bit text that is not UTF-8 */
    MC_FILE_SEPARATOR, /* text, but separated by ';' or tabs */
};

struct mc_csv_check {
    enum mc_file_problem problem;
    size_t bom;        /* bytes of a UTF-8 byte-order mark at the start */
    unsigned row;      /* the row at fault (the header is row 1); 0 for the whole file */
    char message[256]; /* "<subject> is UTF-16 text; save it as CSV UTF-8" */
};

/*
 * Check `len` bytes that should be CSV UTF-8.  `subject` names the file in
 * the message ("roster.csv", "the file").  True when the file may be read
 * as CSV (after skipping out->bom bytes); false with out->message set.
 */
bool mc_csv_check(const char *data, size_t len, const char *subject, struct mc_csv_check *out);

/*
 * Copy `len` bytes of `in` to `out` (room for `cap` bytes, cap >= 4) as
 * valid UTF-8: every byte that does not begin a well-formed sequence
 * (stray continuation bytes, overlong forms, surrogates, code points past
 * U+10FFFF, truncated sequences) becomes U+FFFD, NUL included.  Only whole
 * characters are copied; when `in` does not fit, the copy ends with "…".
 * Returns the length written (out is always NUL-terminated).
 */
size_t mc_utf8_sanitize(const char *in, size_t len, char *out, size_t cap);

/* Is `s` (len bytes) well-formed UTF-8 (controls allowed, NUL not)? */
bool mc_utf8_well_formed(const char *s, size_t len);

#endif
