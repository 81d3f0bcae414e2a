/*
 * main.c — the mcred tool's entry point and its table of commands.
 *
 * Every command and noun of the tool is one line here (git's git.c has
 * the same table); cli_main() in cli.c does the rest.  commands.h says how
 * to add one.  Keep the table in alphabetical order: `mcred --help` lists
 * it as it stands.
 */
#include <stdio.h>

#include "cli.h"
#include "commands.h"

#include "mcred/banned.h"

static const struct cli_command commands[] = {
    {
        .name = "attendance",
        .verbs = attendance_verbs,
        .flags = CLI_NEED_SERVER,
        .summary = "record and list who attended a session",
    },
    {
        .name = "award",
        .fn = cmd_award,
        .flags = CLI_NEED_SERVER,
        .summary = "award the credential as a signed Open Badge; list and show awards",
        .usage = cmd_award_usage,
    },
    {
        .name = "cohort",
        .verbs = cohort_verbs,
        .flags = CLI_NEED_SERVER,
        .summary = "create, list, show, update and close cohorts",
    },
    {
        .name = "credential",
        .verbs = credential_verbs,
        .flags = CLI_NEED_SERVER,
        .summary = "import, list, show and publish credential frameworks",
    },
    {
        .name = "evidence",
        .verbs = evidence_verbs,
        .flags = CLI_NEED_SERVER,
        .summary = "add and list learners' evidence",
    },
    {
        .name = "invite",
        .fn = cmd_invite,
        .flags = CLI_NEED_SERVER,
        .summary = "invite a cohort's coaches and learners; list and revoke invitations",
        .usage = cmd_invite_usage,
    },
    {
        .name = "login",
        .fn = cmd_login,
        .flags = CLI_NEED_SERVER,
        .summary = "sign in with an invitation code and keep the token in the config file",
        .usage = cmd_login_usage,
    },
    {
        .name = "member",
        .verbs = member_verbs,
        .flags = CLI_NEED_SERVER,
        .summary = "enrol, import, list and withdraw a cohort's members",
    },
    {
        .name = "people",
        .verbs = people_verbs,
        .flags = CLI_NEED_SERVER,
        .summary = "add, list, show, update and import people",
    },
    {
        .name = "ping",
        .fn = cmd_ping,
        .flags = CLI_NEED_SERVER,
        .summary = "check that the server is up and its database ready",
        .usage = cmd_ping_usage,
    },
    {
        .name = "problem",
        .verbs = problem_verbs,
        .flags = CLI_NEED_SERVER,
        .summary = "submit, show, review and list problems of practice",
    },
    {
        .name = "report",
        .fn = cmd_report,
        .flags = CLI_NEED_SERVER,
        .summary = "show a cohort's or the organisation's report, by an attribute if asked",
        .usage = cmd_report_usage,
    },
    {
        .name = "revoke",
        .fn = cmd_revoke,
        .flags = CLI_NEED_SERVER,
        .summary = "revoke an award, with a reason anyone checking it can read",
        .usage = cmd_revoke_usage,
    },
    {
        .name = "score",
        .fn = cmd_score,
        .flags = CLI_NEED_SERVER,
        .summary = "score a learner on an indicator; import and list scores",
        .usage = cmd_score_usage,
    },
    {
        .name = "session",
        .verbs = session_verbs,
        .flags = CLI_NEED_SERVER,
        .summary = "schedule and list a cohort's sessions",
    },
    {
        .name = "status",
        .fn = cmd_status,
        .flags = CLI_NEED_SERVER,
        .summary = "show who has earned the credential and what is missing",
        .usage = cmd_status_usage,
    },
    {
        .name = "token",
        .verbs = token_verbs,
        .flags = CLI_NEED_SERVER,
        .summary = "make, list and revoke API tokens",
    },
    {
        .name = "verify",
        .fn = cmd_verify,
        .flags = CLI_NEED_NETWORK,
        .summary = "check a signed credential (JSON or VC-JWT); needs no token",
        .usage = cmd_verify_usage,
    },
    {
        .name = "version",
        .fn = cmd_version,
        .summary = "print the version of this tool",
        .usage = cmd_version_usage,
    },
    {
        .name = "webhook",
        .verbs = webhook_verbs,
        .flags = CLI_NEED_SERVER,
        .summary = "subscribe URLs to events, manage them, test and retry deliveries",
    },
    {
        .name = "whoami",
        .fn = cmd_whoami,
        .flags = CLI_NEED_SERVER,
        .summary = "show the person and organisation of the token",
        .usage = cmd_whoami_usage,
    },
    {.name = NULL},
};

int main(int argc, char **argv)
{
    return cli_main(argc, argv, commands, stdout, stderr);
}
