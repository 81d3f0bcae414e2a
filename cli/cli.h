/*
 * cli.h — what every part of the mcred tool shares: the run context, the
 * exit codes, the command and verb tables, and the driver that runs them.
 *
 * The tool is a table of commands (main.c).  A command is either a plain
 * one with a function (`mcred ping`) or a noun with a table of verbs
 * (`mcred cohort list`), declared in its own cli/cmd_<noun>.c.  Names,
 * one-line summaries and usage texts live in those tables, so that every
 * `--help` is printed from data and a new verb cannot go undocumented.
 *
 * Only cli/ prints.  Everything it prints goes through ctx->out (results)
 * and ctx->err (one-line errors, "mcred: …"), which main() points at stdout
 * and stderr and the unit tests at memory streams.
 */
#ifndef MCRED_CLI_H
#define MCRED_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mcred/error.h"

/* Exit codes of DESIGN.md §7; a command function returns one of these. */
enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1,     /* the server or the network failed, or anything else */
    CLI_EXIT_USAGE = 2,     /* bad flags, arguments or configuration */
    CLI_EXIT_NOT_FOUND = 3, /* 404 */
    CLI_EXIT_DENIED = 4,    /* 401 and 403 */
};

enum cli_format {
    CLI_FORMAT_TABLE = 0, /* aligned columns for people */
    CLI_FORMAT_JSON,      /* --json: the server's JSON as it came */
    CLI_FORMAT_CSV,       /* --csv: RFC 4180 with a header row */
};

#define CLI_DEFAULT_URL "http://127.0.0.1:8080"

struct cli_ctx {
    const char *url;   /* the server, without a trailing slash */
    const char *token; /* NULL when none is configured */
    enum cli_format format;
    size_t width; /* columns a table may use; 0 means no limit */
    FILE *out;    /* results */
    FILE *err;    /* errors and warnings */
};

/*
 * A command's or verb's function.  argv[0] is its own name (`ping`,
 * `list`), argv[1..argc-1] its arguments; `--help` has already been
 * handled.  Returns an enum cli_exit value.
 */
typedef int cli_fn(const struct cli_ctx *ctx, int argc, char **argv);

/*
 * One verb of a noun.  A noun's file declares a table of these, ending
 * with a { .name = NULL } entry, e.g.
 *
 *   const struct cli_verb cohort_verbs[] = {
 *       { .name = "list", .fn = cohort_list, .summary = "list the cohorts",
 *         .usage = "usage: mcred cohort list [--status STATUS]\n\n..." },
 *       { .name = NULL },
 *   };
 *
 * `usage` is printed as it is for `mcred cohort list --help`: start it with
 * "usage: mcred <noun> <verb> …" and end it with a newline.
 */
struct cli_verb {
    const char *name;
    cli_fn *fn;
    const char *summary; /* lowercase, no trailing period */
    const char *usage;
};

/* Flags of a command in the commands[] table. */
enum cli_command_flags {
    /* Resolve the server's URL and token (flags, environment, config file)
     * before running; a broken config file is then an error. */
    CLI_NEED_SERVER = 1 << 0,
    /* Initialise libcurl without reading any configuration: the command
     * fetches public URLs of its own (`mcred verify`). */
    CLI_NEED_NETWORK = 1 << 1,
};

/*
 * One entry of main.c's commands[] table, ending with { .name = NULL }.
 * Exactly one of `fn` (a plain command, with `usage`) and `verbs` (a noun;
 * its help is made from the verbs' summaries) is set.
 */
struct cli_command {
    const char *name;
    cli_fn *fn;
    const struct cli_verb *verbs;
    unsigned int flags;
    const char *summary;
    const char *usage;
};

/*
 * Run the tool: parse the global flags, find the command, resolve the
 * configuration when the command needs the server, and run it.  Returns
 * the process's exit code.  Reads the environment (MCRED_URL, MCRED_TOKEN,
 * XDG_CONFIG_HOME, HOME, COLUMNS) and the config file.
 */
int cli_main(int argc, char **argv, const struct cli_command *commands, FILE *out, FILE *err);

/* The global flags, as given before the command. */
struct cli_flags {
    const char *url;   /* --url; NULL when not given */
    const char *token; /* --token; NULL when not given */
    enum cli_format format;
    bool help;    /* -h, --help */
    bool version; /* --version */
};

/*
 * Parse the global flags that follow argv[0], up to the first argument that
 * is not one (the command) or after "--".  On success *out_next is that
 * argument's index (argc when there is none).  A usage error (unknown flag,
 * missing value, --json with --csv) is MC_ERR_INVALID with a message;
 * *out and *out_next are then untouched.
 */
enum mc_err cli_flags_parse(int argc, char **argv, struct cli_flags *out, int *out_next,
                            struct mc_error *err) __attribute__((warn_unused_result));

/*
 * Run a noun's verb: argv[0] is the noun, argv[1] the verb.  Handles
 * `mcred NOUN --help`, `mcred NOUN help [VERB]`, `mcred NOUN VERB --help`,
 * a missing verb (the noun's help on ctx->err, exit 2) and an unknown verb
 * or option (a one-line usage error, exit 2).
 */
int cli_dispatch_verbs(const struct cli_ctx *ctx, const char *noun, const struct cli_verb *verbs,
                       int argc, char **argv);

/*
 * True when argv[1..] asks for help: `-h` or `--help` anywhere before a
 * "--", or `help` as the first argument.
 */
bool cli_args_want_help(int argc, char **argv);

/*
 * For a command or verb that takes no arguments: CLI_EXIT_OK when there
 * are none, else a usage error naming the first one.  `what` is how the
 * command is spelled after "mcred", e.g. "ping" or "cohort list".
 */
int cli_args_none(const struct cli_ctx *ctx, const char *what, int argc, char **argv);

/*
 * A usage error about `opt`, an option `what` does not know.  When it is
 * one of the global flags, says that those go before the command.
 */
int cli_usage_unknown_option(const struct cli_ctx *ctx, const char *what, const char *opt);

/*
 * Print "mcred: <message>; see 'mcred <what> --help'" (what may be NULL for
 * plain "mcred --help") on ctx->err and return CLI_EXIT_USAGE.
 */
int cli_usage_error(const struct cli_ctx *ctx, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Print "mcred: <message>" on ctx->err. */
void cli_error(const struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print "mcred: warning: <message>" on ctx->err. */
void cli_warning(const struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
