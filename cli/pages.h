/*
 * pages.h — reading a paged list: one page, or all of them.
 *
 * List routes answer {"items": [...], "next": "<cursor>" | null}
 * (DESIGN.md §3).  A noun's `list` verb asks for one page, or with --all
 * follows the cursors and gets one merged list back, so that printing
 * (tables, CSV, --json) does not care how many requests it took.  The
 * whole is bounded: at most CLI_MAX_PAGES requests and MC_CLI_MAX_RESPONSE
 * bytes of answers together; past either the command fails rather than
 * print a list that is silently cut short.
 */
#ifndef MCRED_CLI_PAGES_H
#define MCRED_CLI_PAGES_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "cli.h"

/* Requests --all makes at most, following "next". */
#define CLI_MAX_PAGES 1000

/*
 * GET `path` (a list route with its query, if any) and check that the
 * answer is a list.  With `all`, follow "next" (appending after=<cursor>)
 * until it is null.  On success *out_list (free it with cJSON_Delete) is
 * {"items": [...], "next": ...}: the page as it came, or with `all` every
 * page's items in order and "next": null.  Otherwise the error is printed
 * and its exit code returned; *out_list is untouched.
 */
int cli_pages_get(const struct cli_ctx *ctx, const char *path, bool all, cJSON **out_list);

/*
 * --limit of a list verb: absent, or a number from 1 to MC_PAGE_MAX.
 * CLI_EXIT_OK, or a usage error of `verb` (printed; its exit code).
 */
int cli_pages_limit_check(const struct cli_ctx *ctx, const char *verb, const char *limit);

/* Prints a list {"items", "next"} in ctx's format; returns an exit code. */
typedef int (*cli_list_print_fn)(const struct cli_ctx *ctx, const cJSON *list);

/*
 * A list verb's work once its path is made: cli_pages_get, print, and,
 * without `all`, when more pages exist and ctx->err is a terminal,
 * "mcred: more <what> exist; use --all to list them all".
 */
int cli_pages_list(const struct cli_ctx *ctx, const char *path, bool all, cli_list_print_fn print,
                   const char *what);

#endif
