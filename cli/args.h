/*
 * args.h — a verb's options and positional arguments, parsed from a table.
 *
 * A verb describes its options once, as data, and names the positional
 * arguments it needs; one call walks argv and reports every mistake as a
 * usage error (exit 2) in the same words for every verb:
 *
 *   const char *role = NULL;
 *   struct cli_values attrs = {.n = 0};
 *   bool dry_run = false;
 *   const struct cli_option options[] = {
 *       {.name = "role", .value = &role},
 *       {.name = "attr", .values = &attrs},
 *       {.name = "dry-run", .flag = &dry_run},
 *       {.name = NULL},
 *   };
 *   static const char *const names[] = {"EMAIL", "NAME", NULL};
 *   const char *args[2];
 *   int code = cli_args_parse(ctx, "people add", argc, argv, options, names, args);
 *
 * The rules, as in GNU getopt_long without abbreviations:
 *  - options and positional arguments may come in any order
 *    (`mcred people add ana@x.example Ana --role leader`);
 *  - a value follows as `--role leader` or `--role=leader`; the word after
 *    `--role` is its value even when it starts with '-';
 *  - `--` ends the options: what follows is positional;
 *  - a lone `-` is positional (it usually means standard input);
 *  - anything else starting with '-' must be in the table;
 *  - an option with a value may be given once, unless it repeats (`values`);
 *  - there are exactly as many positional arguments as `names`.
 * `-h` and `--help` never reach a verb: cli_dispatch_verbs() answers them.
 */
#ifndef MCRED_CLI_ARGS_H
#define MCRED_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

/* How often one repeatable option may be given (a person has at most 32
 * attributes; twice that leaves room for --attr and --unset-attr). */
#define CLI_ARGS_MAX_REPEAT 64

/* The values of a repeatable option, in the order given; they point into argv. */
struct cli_values {
    size_t n;
    const char *v[CLI_ARGS_MAX_REPEAT];
};

/*
 * One option of a verb.  Exactly one of flag, value and values is set; the
 * storage it points at should start as false, NULL or {.n = 0}.
 */
struct cli_option {
    const char *name;          /* without the dashes: "role"; NULL ends a table */
    bool *flag;                /* takes no value; set to true when given */
    const char **value;        /* takes a value, at most once; points into argv */
    struct cli_values *values; /* takes a value, any number of times */
};

/*
 * Parse argv[1..argc-1] (argv[0] is the verb's name) against `options` and
 * the positional `names` (a NULL-terminated list; NULL for none).  On
 * success the options' storage is filled, out_args[i] is the i-th
 * positional argument (out_args has room for as many as `names` lists;
 * it may be NULL when there are none) and CLI_EXIT_OK is returned.
 * Otherwise one usage error naming `what` ("people add") is printed on
 * ctx->err and CLI_EXIT_USAGE returned; the storage may then be partly
 * filled, and out_args is untouched.
 */
int cli_args_parse(const struct cli_ctx *ctx, const char *what, int argc, char **argv,
                   const struct cli_option *options, const char *const *names,
                   const char **out_args);

/*
 * The positional arguments after the named ones, for a verb that takes a
 * list (`mcred member add COHORT PERSON...`).  The caller sets name, min,
 * max and v (room for max pointers); cli_args_parse_rest() fills v and n.
 */
struct cli_rest {
    const char *name; /* for messages: "PERSON" */
    size_t min, max;  /* how many may be given */
    const char **v;   /* they point into argv */
    size_t n;
};

/*
 * As cli_args_parse(), but the positional arguments after `names` go to
 * `rest`: fewer than rest->min is "missing argument NAME", more than
 * rest->max a usage error too.  On an error rest->v may be partly filled.
 */
int cli_args_parse_rest(const struct cli_ctx *ctx, const char *what, int argc, char **argv,
                        const struct cli_option *options, const char *const *names,
                        const char **out_args, struct cli_rest *rest);

/*
 * Split "KEY=VALUE" at its first '=': *out_key_len is the length of KEY and
 * *out_value points at VALUE (which may be empty).  False, with the outputs
 * untouched, when there is no '=' or KEY is empty.
 */
bool cli_pair_split(const char *s, size_t *out_key_len, const char **out_value);

/*
 * Parse a whole decimal number within [min, max]: no sign other than a
 * leading '-', no spaces, no trailing characters.  False, with *out
 * untouched, otherwise.
 */
bool cli_number_parse(const char *s, long min, long max, long *out);

#endif
