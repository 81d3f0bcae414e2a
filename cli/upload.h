/*
 * upload.h — files the tool sends to the server: read whole, sent with a
 * progress line on a terminal, and their answers judged.
 *
 * `mcred credential import`, `mcred member import` and `mcred attendance
 * import` read a file (or standard input for "-") before they send
 * anything, so that a file that cannot be read fails before a request is
 * made.  An import that the server refuses row by row answers 422 with an
 * "errors" array (docs/api.md, "POST /v1/people/import"); those rows are
 * printed one per line on stderr in roster_report.h's words:
 *
 *   row 4, email: "ana@" is not an e-mail address
 *   mcred: roster has 1 error; nothing was written
 */
#ifndef MCRED_CLI_UPLOAD_H
#define MCRED_CLI_UPLOAD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"

#include "cli.h"
#include "http.h"

/* Bytes read from a file at a time. */
#define CLI_UPLOAD_CHUNK (64 * 1024)

/*
 * Read the file `name` whole into `out` ("-" reads standard input).  The
 * buffer's own maximum (mc_buf_init) bounds the file: a larger one is
 * "<name> is larger than N MiB".  Errors are printed and their exit code
 * returned (CLI_EXIT_ERROR).
 */
int cli_file_read(const struct cli_ctx *ctx, const char *name, struct mc_buf *out);

/*
 * cli_file_read() for a file that must be CSV UTF-8: a file that is not
 * (UTF-16, Latin-1, semicolons or tabs, a workbook or other binary data;
 * mcred/textfile.h) is refused before anything is sent, with one line that
 * names the cause and the fix:
 *
 *   mcred: roster.csv is UTF-16 text; save it as CSV UTF-8 (nothing was sent)
 *
 * (with --json, the {"error", "errors"} shape of cli_file_errors_print()).
 */
int cli_csv_file_read(const struct cli_ctx *ctx, const char *name, struct mc_buf *out);

/*
 * Send `len` bytes of `body` (of `content_type`) with `method` to `path`,
 * showing the upload's progress on ctx->err when it is a terminal.
 * CLI_EXIT_OK when an answer arrived, whatever its status (judge it with
 * cli_import_check()); otherwise the error is printed and CLI_EXIT_ERROR
 * returned.
 */
int cli_upload(const struct cli_ctx *ctx, const char *method, const char *path,
               const char *content_type, const char *body, size_t len, struct cli_response *out);

/*
 * Judge the answer to an upload: CLI_EXIT_OK for 2xx.  A 422 with an
 * "errors" array prints a line per row on ctx->err (with --json, the
 * answer itself on ctx->out instead) and then the server's message, and
 * returns CLI_EXIT_ERROR.  Any other answer as cli_response_check(), with
 * a hint about MCRED_MAX_BODY after a 413.
 */
int cli_import_check(const struct cli_ctx *ctx, const struct cli_response *resp);

/*
 * Report the errors of a file that was checked here before sending
 * (`errors`: its first entries {"row", "column", "message"}; `total`: how
 * many were found): a line per entry on ctx->err in roster_report.h's
 * words — with --json, {"error": {…}, "errors": […]} on ctx->out instead,
 * the shape of the server's refused imports — and then "mcred: NAME has
 * N errors; nothing was sent".  `name` is the file as the user named it.
 * Returns CLI_EXIT_ERROR.
 */
int cli_file_errors_print(const struct cli_ctx *ctx, const char *name, const cJSON *errors,
                          size_t total);

#endif
