/*
 * cmd_whoami.c — `mcred whoami`: who the configured token belongs to.
 *
 * The first thing to run after setting up a token: it shows the person,
 * their organisation and their roles, and a 401 here means the token is
 * wrong, expired or revoked.
 */
#include "commands.h"
#include "http.h"
#include "output.h"

#include "mcred/banned.h"

const char cmd_whoami_usage[] = "usage: mcred whoami\n"
                                "\n"
                                "Show the person and organisation that the token belongs to\n"
                                "(GET /v1/me), and their roles.\n";

static const struct cli_column whoami_fields[] = {
    {.key = "person.name", .header = "Name"},
    {.key = "person.email", .header = "Email", .keep = true},
    {.key = "person.id", .header = "Person id", .keep = true},
    {.key = "person.org_role", .header = "Org role"},
    {.key = "org.name", .header = "Organisation"},
    {.key = "org.slug", .header = "Org slug"},
    {.key = "org.id", .header = "Org id", .keep = true},
    {.key = "roles", .header = "Roles"},
    {.key = NULL},
};

int cmd_whoami(const struct cli_ctx *ctx, int argc, char **argv)
{
    struct cli_response resp;
    int code = cli_args_none(ctx, "whoami", argc, argv);

    if (code != CLI_EXIT_OK)
        return code;
    cli_response_init(&resp);
    code = cli_http_request(ctx, "GET", "/v1/me", NULL, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_print_object(ctx, &resp, whoami_fields);
    cli_response_release(&resp);
    return code;
}
