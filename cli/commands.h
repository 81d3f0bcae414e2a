/*
 * commands.h — the commands and nouns that main.c's table lists.
 *
 * To add a noun (git's builtin.h has the same checklist):
 *
 *  1. Write cli/cmd_<noun>.c with one static function per verb, each with
 *     the cli_fn signature (cli.h), and a table
 *     `const struct cli_verb <noun>_verbs[]` naming them with a one-line
 *     summary and a usage text, ending with { .name = NULL }.
 *  2. Declare the table here.
 *  3. Add { .name = "<noun>", .verbs = <noun>_verbs, .flags =
 *     CLI_NEED_SERVER, .summary = … } to commands[] in main.c, in
 *     alphabetical order.
 *  4. Add the file to mcred_cli_core in cli/CMakeLists.txt.
 *  5. Requests go through cli_http_request() (http.h), answers through
 *     cli_response_print_items() / cli_response_print_object() (output.h);
 *     parse options and arguments from a table with cli_args_parse()
 *     (args.h), or cli_args_none() for a verb that takes none; report
 *     other mistakes with cli_usage_error().  List verbs check --limit
 *     with cli_pages_limit_check() and fetch and print through
 *     cli_pages_list() (pages.h), which follows --all; people are named
 *     by id or e-mail through cli_person_id() (person.h), or within a
 *     cohort through cli_cohort_person_id_for() (cohort_person.h),
 *     credentials by id or SLUG[@VERSION] through cli_credential_id()
 *     (credential.h); a COHORT (id, slug or name) goes into the path as
 *     typed, through cli_resource_path(), and the server resolves it.  A verb
 *     that takes a list of arguments (PERSON...) parses them with
 *     cli_args_parse_rest(); one that sends a file reads and uploads it
 *     through upload.h.
 *
 * A command without verbs (ping) exports its function and usage text
 * instead.
 */
#ifndef MCRED_CLI_COMMANDS_H
#define MCRED_CLI_COMMANDS_H

#include "cli.h"

extern const struct cli_verb attendance_verbs[];
extern const struct cli_verb cohort_verbs[];
extern const struct cli_verb credential_verbs[];
extern const struct cli_verb evidence_verbs[];
extern const struct cli_verb member_verbs[];
extern const struct cli_verb people_verbs[];
extern const struct cli_verb problem_verbs[];
extern const struct cli_verb session_verbs[];
extern const struct cli_verb token_verbs[];
extern const struct cli_verb webhook_verbs[];

/* `mcred award` awards without a verb (one learner or --all-eligible), and has the verbs list and
 * show; `mcred revoke AWARD --reason TEXT` revokes one. */
int cmd_award(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_award_usage[];
int cmd_revoke(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_revoke_usage[];

int cmd_ping(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_ping_usage[];

/* `mcred invite` invites people without a verb, and has the verbs list and revoke. */
int cmd_invite(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_invite_usage[];

/* `mcred login --invite CODE` exchanges an invitation for a token and writes the config file. */
int cmd_login(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_login_usage[];

/* `mcred score` records one score without a verb, and has the verbs import and list. */
int cmd_score(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_score_usage[];

/* `mcred report COHORT|--org [--by ATTR] [--csv]`: a cohort's or the organisation's report. */
int cmd_report(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_report_usage[];

int cmd_status(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_status_usage[];

/* `mcred verify FILE [--key FILE]` checks a credential; it needs the network but no server. */
int cmd_verify(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_verify_usage[];
/* cmd_verify() after its arguments: verify `file` ("-": standard input), with the key in
 * `key_file` or NULL to fetch it.  For the unit tests, which verify fixtures offline. */
int cli_verify_run(const struct cli_ctx *ctx, const char *file, const char *key_file);

int cmd_version(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_version_usage[];

int cmd_whoami(const struct cli_ctx *ctx, int argc, char **argv);
extern const char cmd_whoami_usage[];

#endif
