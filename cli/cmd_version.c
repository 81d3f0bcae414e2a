/*
 * cmd_version.c — `mcred version`: the tool's own version, without asking
 * the server (`mcred ping` shows the server's).
 */
#include "mcred/version.h"

#include "commands.h"
#include "output.h"

#include "mcred/banned.h"

const char cmd_version_usage[] = "usage: mcred version\n"
                                 "\n"
                                 "Print the version of this mcred tool.  With --json or --csv,\n"
                                 "print it as a record with the field \"version\".\n";

static const struct cli_column version_fields[] = {
    {.key = "version", .header = "Version"},
    {.key = NULL},
};

int cmd_version(const struct cli_ctx *ctx, int argc, char **argv)
{
    cJSON *obj = NULL;
    int code = cli_args_none(ctx, "version", argc, argv);

    if (code != CLI_EXIT_OK)
        return code;
    if (ctx->format == CLI_FORMAT_TABLE) {
        (void)fprintf(ctx->out, "mcred %s\n", MC_VERSION);
        return CLI_EXIT_OK;
    }
    obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddStringToObject(obj, "version", MC_VERSION)) {
        cli_error(ctx, "out of memory");
        code = CLI_EXIT_ERROR;
        goto out;
    }
    code = cli_print_object(ctx, obj, version_fields);
out:
    cJSON_Delete(obj);
    return code;
}
