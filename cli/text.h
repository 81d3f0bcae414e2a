/*
 * text.h — making text from a server fit for a terminal line.
 *
 * Whatever the server sends (names, feedback, error messages) may hold line
 * breaks, invalid UTF-8 or escape sequences that would move the cursor or
 * recolour the terminal.  Tables and error lines show text through these
 * functions, which replace such bytes one for one, so that the width of
 * the shown text is the width of the original.  Widths count Unicode code
 * points, not bytes: "Zoë" is three columns wide.
 */
#ifndef MCRED_CLI_TEXT_H
#define MCRED_CLI_TEXT_H

#include <stddef.h>

#include "mcred/buf.h"

/* Columns that s takes: its code points, each invalid byte counted as one. */
size_t cli_text_width(const char *s);

/*
 * Append at most `max_width` columns of s (SIZE_MAX for all of it) to out,
 * cleaned for one terminal line: tab, CR and LF become a space; other
 * control characters (C0, DEL, C1) and each byte of invalid UTF-8 become
 * '?'.  Never splits a character.
 */
enum mc_err cli_text_append_clean(struct mc_buf *out, const char *s, size_t max_width)
    __attribute__((warn_unused_result));

/*
 * Append s as paragraphs for a terminal.  Each of its lines (split at LF;
 * a CR before it is dropped) is cleaned as by cli_text_append_clean() and
 * wrapped at spaces into lines of at most `width` columns (0: no
 * wrapping), runs of spaces becoming one; each line written starts with
 * `indent` spaces and ends in '\n'.  An empty line stays empty (no
 * spaces), and a word wider than the room is written whole on a line of
 * its own rather than cut.
 */
enum mc_err cli_text_wrap(struct mc_buf *out, const char *s, size_t width, size_t indent)
    __attribute__((warn_unused_result));

#endif
