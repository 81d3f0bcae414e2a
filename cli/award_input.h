/*
 * award_input.h — awards as the tool's user names them: the forms of
 * `mcred award`, an award given as its id or as its credential's URL, and
 * the formats an award can be fetched in.
 *
 * `mcred award COHORT PERSON` and `mcred award COHORT --all-eligible` award;
 * `mcred award list …` and `mcred award show …` are verbs.  As with
 * `mcred score`, the first argument tells them apart, so a cohort cannot
 * be called "list" or "show" on this command line (ids never are).
 *
 * A signed credential's id is "{base}/credentials/{award id}", so a user
 * holding only the credential (a file, a link in an e-mail) can still
 * revoke or show it: the award id is the URL's last path segment.
 */
#ifndef MCRED_CLI_AWARD_INPUT_H
#define MCRED_CLI_AWARD_INPUT_H

#include <stdbool.h>
#include <stddef.h>

/* An award id is a UUID: 36 characters. */
#define CLI_AWARD_ID_LEN 36
/* Bytes of a revocation's reason (the server's bound). */
#define CLI_AWARD_REASON_MAX 1000

enum cli_award_form {
    CLI_AWARD_GIVE, /* mcred award COHORT PERSON | COHORT --all-eligible */
    CLI_AWARD_LIST, /* mcred award list COHORT | --mine */
    CLI_AWARD_SHOW, /* mcred award show AWARD */
};

/* The form argv (argv[0] is "award") asks for: by argv[1] alone. */
enum cli_award_form cli_award_form(int argc, char **argv);

/* How an award is fetched or written: the signed JSON or the VC-JWT. */
enum cli_award_format {
    CLI_AWARD_JSON,
    CLI_AWARD_JWT,
};

/* "json" or "jwt" (NULL means json); false for anything else. */
bool cli_award_format_parse(const char *s, enum cli_award_format *out);

/*
 * The award id in `arg`: an id as it is, or the last path segment of a
 * credential URL ("https://h/credentials/<id>", a query, fragment or
 * trailing '/' ignored).  True, with out holding the id in lowercase,
 * only when that is a UUID; `out` has room for CLI_AWARD_ID_LEN + 1.
 */
bool cli_award_id(const char *arg, char out[CLI_AWARD_ID_LEN + 1]);

#endif
