/*
 * config.h — where the tool finds its server and token.
 *
 * Precedence (DESIGN.md §7): the --url/--token flags, then the MCRED_URL /
 * MCRED_TOKEN environment variables, then the config file
 * $XDG_CONFIG_HOME/mcred/config (or ~/.config/mcred/config), then the
 * default URL.  The file is lines of `key = value` with the keys `url` and
 * `token`; blank lines and lines starting with '#' are skipped; a value may
 * be wrapped in one pair of double or single quotes.  Anything else, an
 * unknown key or a key given twice is an error with its line number.
 *
 * Parsing and precedence are pure functions (text and strings in, structs
 * out); only cli_config_load() touches the file system.
 */
#ifndef MCRED_CLI_CONFIG_H
#define MCRED_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "mcred/buf.h"
#include "mcred/error.h"
#include "mcred/limits.h"

/* A config file holds two keys and comments: 16 lines of the longest
 * allowed line is more than any real one. */
#define CLI_CONFIG_MAX_BYTES (16 * MC_CLI_MAX_CONFIG_LINE)

struct cli_config {
    char *url;   /* NULL when the file does not set it */
    char *token; /* NULL when the file does not set it */
};

void cli_config_init(struct cli_config *c);
void cli_config_release(struct cli_config *c);

/*
 * Parse a config file's text (len bytes).  On success *out (initialised,
 * empty) receives the values.  On failure *out is untouched, *out_line is
 * the 1-based line at fault (0 when it is the file as a whole) and err says
 * what is wrong, without the line number, e.g. `unknown key "colour"`.
 */
enum mc_err cli_config_parse(const char *text, size_t len, struct cli_config *out, size_t *out_line,
                             struct mc_error *err) __attribute__((warn_unused_result));

/*
 * The config file's path from the values of XDG_CONFIG_HOME and HOME
 * (either may be NULL): "$XDG_CONFIG_HOME/mcred/config" when that is an
 * absolute path (the XDG spec ignores relative ones), else
 * "$HOME/.config/mcred/config".  MC_ERR_NOT_FOUND when neither is usable.
 */
enum mc_err cli_config_path(const char *xdg_config_home, const char *home, struct mc_buf *out)
    __attribute__((warn_unused_result));

/*
 * Read and parse the file at `path`.  A file that does not exist is an
 * empty configuration.  Errors carry "PATH:LINE: what" in err's message.
 * *out_exposed is set when the file sets a token and other users may read
 * it (its mode allows group or other access).
 */
enum mc_err cli_config_load(const char *path, struct cli_config *out, bool *out_exposed,
                            struct mc_error *err) __attribute__((warn_unused_result));

/*
 * The text of a config file that sets `url` and `token`, after a comment
 * line (`comment`, may be NULL; newlines in it are replaced by spaces).
 * Returns MC_ERR_INVALID when url or token could not be read back (a
 * newline, a quote or a control character), MC_ERR_NOMEM.
 */
enum mc_err cli_config_format(const char *url, const char *token, const char *comment,
                              struct mc_buf *out) __attribute__((warn_unused_result));

/*
 * Write `text` to the config file at `path`, atomically: the directories
 * above it are made (mode 0700) when missing, the text goes to a new file
 * of mode 0600 beside it, is flushed to disk and renamed over `path`.  On
 * failure `path` is as it was and err says what failed, naming the path.
 */
enum mc_err cli_config_write(const char *path, const char *text, size_t len, struct mc_error *err)
    __attribute__((warn_unused_result));

/* The resolved settings; url is a copy without trailing slashes. */
struct cli_settings {
    char url[MC_MAX_URL + 1];
    const char *token; /* points into one of the sources; NULL when none */
};

/*
 * Apply the precedence to the sources (any may be NULL; an empty
 * environment variable counts as unset) and check the winners: the URL
 * must be http:// or https:// without spaces or control characters, the
 * token printable ASCII without spaces (it goes into a header).  Errors
 * are MC_ERR_INVALID and name the source, e.g. "MCRED_URL must start with
 * http:// or https://"; *out is then untouched.
 */
enum mc_err cli_settings_resolve(const char *flag_url, const char *flag_token, const char *env_url,
                                 const char *env_token, const struct cli_config *file,
                                 struct cli_settings *out, struct mc_error *err)
    __attribute__((warn_unused_result));

#endif
