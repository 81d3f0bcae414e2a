/*
 * progress.h — a one-line progress bar on a terminal, for long uploads.
 *
 * The line is redrawn in place ("\r") while bytes go out and is erased
 * when the work is done, so that nothing of it stays in the terminal's
 * scrollback or reaches a file: cli_progress_start() enables it only when
 * the stream is a terminal.  What the line says is a pure function of
 * (sent, total, width), cli_progress_render(), unit-tested on its own:
 *
 *   uploading [##########..........]  50%  1.3/2.6 MiB
 *   uploaded 2.6 MiB; checking…
 */
#ifndef MCRED_CLI_PROGRESS_H
#define MCRED_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#include "mcred/buf.h"

/* The bar's inner width when the terminal has room for more. */
#define CLI_PROGRESS_MAX_BAR 40
/* Below this inner width the bar is left out. */
#define CLI_PROGRESS_MIN_BAR 10
/* The longest line rendered, in bytes. */
#define CLI_PROGRESS_MAX_LINE 256

/*
 * Append the line for `sent` of `total` bytes (total 0: not known yet),
 * at most width - 1 columns wide so that it never wraps (width 0: no
 * limit).  Without a newline or "\r".  Once everything is sent, says that
 * the answer is awaited.
 */
enum mc_err cli_progress_render(struct mc_buf *out, unsigned long long sent,
                                unsigned long long total, size_t width)
    __attribute__((warn_unused_result));

/* Append a byte count for people: "512 B", "1.5 KiB", "2.6 MiB", "1.0 GiB". */
enum mc_err cli_progress_bytes(struct mc_buf *out, unsigned long long n)
    __attribute__((warn_unused_result));

struct cli_progress {
    FILE *f;      /* NULL: disabled, every call does nothing */
    size_t width; /* the terminal's columns */
    size_t shown; /* columns of the line now on screen; 0 for none */
    char last[CLI_PROGRESS_MAX_LINE];
};

/* Enable the bar on `f` when it is a terminal; otherwise disable it. */
void cli_progress_start(struct cli_progress *p, FILE *f);

/* Redraw the line when it changed; a cli_progress_fn (http.h) with arg = p. */
void cli_progress_update(void *arg, unsigned long long sent, unsigned long long total);

/*
 * Show `text` as the line, cut to the terminal's width, until the next
 * update or cli_progress_clear(): for work whose progress cannot be
 * counted, like one small request ("scoring 45 indicators…").
 */
void cli_progress_note(struct cli_progress *p, const char *text);

/* Erase the line, leaving the cursor at the start of the empty line. */
void cli_progress_clear(struct cli_progress *p);

#endif
