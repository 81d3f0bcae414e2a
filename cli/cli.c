/*
 * cli.c — the driver of the mcred tool: global flags, finding a command in
 * main.c's table, help, configuration, and running a noun's verbs.
 *
 * cli_main() reads the global flags (only before the command, as in git),
 * finds the command and, for commands that talk to the server, resolves
 * the URL and token (config.c) — but not when help is asked for, so that
 * `mcred ping --help` works with a broken config file.  Nouns hand their
 * verb table to cli_dispatch_verbs(), which treats verbs the way
 * cli_main() treats commands.  All help text is printed from the tables.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "mcred/version.h"

#include "cli.h"
#include "config.h"
#include "output.h"

#include "mcred/banned.h"

/* Longest path of a config file we accept: PATH_MAX on Linux. */
#define CONFIG_PATH_MAX 4096

static char help_word[] = "help";

static const char help_tail[] =
    "\n"
    "Global options (before the command):\n"
    "  --url URL      the server (default " CLI_DEFAULT_URL ")\n"
    "  --token TOKEN  the API token; prefer MCRED_TOKEN or the config file,\n"
    "                 as other users can see a command line\n"
    "  --json         print the server's JSON answer as it came\n"
    "  --csv          print CSV (RFC 4180) with a header row; text a spreadsheet\n"
    "                 would run as a formula (=, +, -, @ first) gets a leading '\n"
    "  -h, --help     show this help; 'mcred <command> --help' shows a command's\n"
    "  --version      print mcred's version\n"
    "\n"
    "Environment:\n"
    "  MCRED_URL, MCRED_TOKEN  the server and token when no flag gives them\n"
    "  COLUMNS                 the width of tables when output is not a terminal\n"
    "                          (unset: tables into a pipe or file are not cut)\n"
    "\n"
    "Configuration file:\n"
    "  $XDG_CONFIG_HOME/mcred/config, else ~/.config/mcred/config: lines of\n"
    "  \"key = value\" with the keys url and token, and '#' comments.  Flags\n"
    "  come first, then the environment, then the file.  Keep it private\n"
    "  (chmod 600): it holds your token.\n"
    "\n"
    "Exit status: 0 success, 1 error from the server or the network, 2 usage\n"
    "error, 3 not found, 4 permission denied.\n";

static void message_print(const struct cli_ctx *ctx, const char *prefix, const char *fmt,
                          va_list ap) __attribute__((format(printf, 3, 0)));

static void message_print(const struct cli_ctx *ctx, const char *prefix, const char *fmt,
                          va_list ap)
{
    (void)fputs("mcred: ", ctx->err);
    (void)fputs(prefix, ctx->err);
    (void)vfprintf(ctx->err, fmt, ap);
    (void)fputc('\n', ctx->err);
}

void cli_error(const struct cli_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message_print(ctx, "", fmt, ap);
    va_end(ap);
}

void cli_warning(const struct cli_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message_print(ctx, "warning: ", fmt, ap);
    va_end(ap);
}

int cli_usage_error(const struct cli_ctx *ctx, const char *what, const char *fmt, ...)
{
    va_list ap;
    (void)fputs("mcred: ", ctx->err);
    va_start(ap, fmt);
    (void)vfprintf(ctx->err, fmt, ap);
    va_end(ap);
    (void)fprintf(ctx->err, "; see 'mcred%s%s --help'\n", what ? " " : "", what ? what : "");
    return CLI_EXIT_USAGE;
}

static int is_help_flag(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

bool cli_args_want_help(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "help") == 0)
        return true;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (is_help_flag(argv[i]))
            return true;
    return false;
}

/* The global flags that take a value, and the ones that do not. */
static const char *const global_value_flags[] = {"--url", "--token", NULL};
static const char *const global_plain_flags[] = {"--json", "--csv", "--version", NULL};

/* Does `arg` name the option `name`, as "--name" or "--name=value"? */
static bool option_match(const char *arg, const char *name, const char **out_value)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return false;
    if (arg[n] == '\0') {
        *out_value = NULL;
        return true;
    }
    if (arg[n] == '=') {
        *out_value = arg + n + 1;
        return true;
    }
    return false;
}

/* Length of an option's name, without "=value" (which may be a secret). */
static int option_name_len(const char *opt)
{
    size_t n = strcspn(opt, "=");
    return n > 64 ? 64 : (int)n;
}

enum mc_err cli_flags_parse(int argc, char **argv, struct cli_flags *out, int *out_next,
                            struct mc_error *err)
{
    struct cli_flags f = {.format = CLI_FORMAT_TABLE};
    bool json = false, csv = false;
    int i;

    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        const char **slot = NULL;

        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (arg[0] != '-' || arg[1] == '\0')
            break; /* the command */
        if (is_help_flag(arg)) {
            f.help = true;
        } else if (strcmp(arg, "--version") == 0) {
            f.version = true;
        } else if (strcmp(arg, "--json") == 0) {
            json = true;
        } else if (strcmp(arg, "--csv") == 0) {
            csv = true;
        } else if (option_match(arg, "--url", &value)) {
            slot = &f.url;
        } else if (option_match(arg, "--token", &value)) {
            slot = &f.token;
        } else {
            return mc_error_set(err, MC_ERR_INVALID, NULL, "unknown option '%.*s'",
                                option_name_len(arg), arg);
        }
        if (!slot)
            continue;
        if (!value && i + 1 < argc)
            value = argv[++i];
        if (!value || !value[0])
            return mc_error_set(err, MC_ERR_INVALID, NULL, "%.*s needs a value",
                                option_name_len(arg), arg);
        *slot = value;
    }
    if (json && csv)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "--json and --csv cannot be used together");
    f.format = json ? CLI_FORMAT_JSON : csv ? CLI_FORMAT_CSV : CLI_FORMAT_TABLE;
    *out = f;
    *out_next = i;
    return MC_OK;
}

int cli_usage_unknown_option(const struct cli_ctx *ctx, const char *what, const char *opt)
{
    int n = option_name_len(opt);
    const char *ignored;

    for (const char *const *g = global_value_flags; *g; g++)
        if (option_match(opt, *g, &ignored))
            return cli_usage_error(ctx, NULL, "global option '%.*s' must come before the command",
                                   n, opt);
    for (const char *const *g = global_plain_flags; *g; g++)
        if (strcmp(opt, *g) == 0)
            return cli_usage_error(ctx, NULL, "global option '%s' must come before the command",
                                   opt);
    return cli_usage_error(ctx, what, "unknown option '%.*s' for 'mcred %s'", n, opt, what);
}

int cli_args_none(const struct cli_ctx *ctx, const char *what, int argc, char **argv)
{
    if (argc <= 1)
        return CLI_EXIT_OK;
    if (argv[1][0] == '-' && argv[1][1] != '\0')
        return cli_usage_unknown_option(ctx, what, argv[1]);
    return cli_usage_error(ctx, what, "'mcred %s' takes no arguments", what);
}

/* Said once for every verb whose usage names a COHORT, so that none forgets it. */
static const char cohort_note[] =
    "\n"
    "COHORT is the cohort's id, its slug (spring-2027) or its name (\"Spring 2027\",\n"
    "any case; quote names with spaces); `mcred cohort list` shows them.\n";

static int usage_print(const struct cli_ctx *ctx, const char *usage)
{
    (void)fputs(usage ? usage : "", ctx->out);
    if (usage && strstr(usage, "COHORT"))
        (void)fputs(cohort_note, ctx->out);
    return CLI_EXIT_OK;
}

static const struct cli_verb *verb_find(const struct cli_verb *verbs, const char *name)
{
    for (const struct cli_verb *v = verbs; v->name; v++)
        if (strcmp(v->name, name) == 0)
            return v;
    return NULL;
}

static void noun_help(FILE *f, const char *noun, const struct cli_verb *verbs)
{
    int width = 0;

    for (const struct cli_verb *v = verbs; v->name; v++)
        width = (int)strlen(v->name) > width ? (int)strlen(v->name) : width;
    (void)fprintf(f, "usage: mcred %s <verb> [args]\n\nVerbs:\n", noun);
    for (const struct cli_verb *v = verbs; v->name; v++)
        (void)fprintf(f, "  %-*s  %s\n", width, v->name, v->summary ? v->summary : "");
    (void)fprintf(f, "\nRun 'mcred %s <verb> --help' for a verb's arguments.\n", noun);
}

int cli_dispatch_verbs(const struct cli_ctx *ctx, const char *noun, const struct cli_verb *verbs,
                       int argc, char **argv)
{
    const struct cli_verb *v;
    const char *name;

    if (argc < 2) {
        noun_help(ctx->err, noun, verbs);
        return CLI_EXIT_USAGE;
    }
    name = argv[1];
    if (strcmp(name, "help") == 0 && argc > 2) {
        v = verb_find(verbs, argv[2]);
        if (!v)
            return cli_usage_error(ctx, noun, "'%s' is not a verb of 'mcred %s'", argv[2], noun);
        return usage_print(ctx, v->usage);
    }
    if (strcmp(name, "help") == 0 || is_help_flag(name)) {
        noun_help(ctx->out, noun, verbs);
        return CLI_EXIT_OK;
    }
    if (name[0] == '-')
        return cli_usage_unknown_option(ctx, noun, name);
    v = verb_find(verbs, name);
    if (!v)
        return cli_usage_error(ctx, noun, "'%s' is not a verb of 'mcred %s'", name, noun);
    if (cli_args_want_help(argc - 1, argv + 1))
        return usage_print(ctx, v->usage);
    return v->fn(ctx, argc - 1, argv + 1);
}

static void main_help(FILE *f, const struct cli_command *commands)
{
    int width = 0;

    for (const struct cli_command *c = commands; c->name; c++)
        width = (int)strlen(c->name) > width ? (int)strlen(c->name) : width;
    (void)fputs("usage: mcred [--url URL] [--token TOKEN] [--json | --csv] <command> [args]\n"
                "\n"
                "Commands:\n",
                f);
    for (const struct cli_command *c = commands; c->name; c++)
        (void)fprintf(f, "  %-*s  %s\n", width, c->name, c->summary ? c->summary : "");
    (void)fputs(help_tail, f);
}

static const struct cli_command *command_find(const struct cli_command *commands, const char *name)
{
    for (const struct cli_command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* `mcred help [COMMAND [VERB]]`: argv[0] is "help". */
static int help_command(const struct cli_ctx *ctx, const struct cli_command *commands, int argc,
                        char **argv)
{
    const struct cli_command *cmd;

    if (argc < 2) {
        main_help(ctx->out, commands);
        return CLI_EXIT_OK;
    }
    cmd = command_find(commands, argv[1]);
    if (!cmd)
        return cli_usage_error(ctx, NULL, "'%s' is not a mcred command", argv[1]);
    if (cmd->verbs) {
        char *sub[] = {argv[1], help_word, argc > 2 ? argv[2] : NULL, NULL};
        return cli_dispatch_verbs(ctx, cmd->name, cmd->verbs, argc > 2 ? 3 : 2, sub);
    }
    return usage_print(ctx, cmd->usage);
}

/* Would running the command only print help (so it needs no configuration)? */
static bool command_wants_help(const struct cli_command *cmd, int argc, char **argv)
{
    return (cmd->verbs && argc < 2) || cli_args_want_help(argc, argv);
}

/* Resolve URL and token from flags, environment and config file into *out. */
static int settings_load(const struct cli_ctx *ctx, const struct cli_flags *flags,
                         struct cli_config *file, struct cli_settings *out)
{
    struct mc_buf path;
    struct mc_error err;
    bool exposed = false;
    enum mc_err rc;
    int code = CLI_EXIT_OK;

    mc_buf_init(&path, CONFIG_PATH_MAX);
    mc_error_clear(&err);
    rc = cli_config_path(getenv("XDG_CONFIG_HOME"), getenv("HOME"), &path);
    if (rc == MC_OK) {
        rc = cli_config_load(path.data, file, &exposed, &err);
        if (rc != MC_OK) {
            cli_error(ctx, "%s", mc_error_message(&err));
            code = rc == MC_ERR_INVALID ? CLI_EXIT_USAGE : CLI_EXIT_ERROR;
            goto out;
        }
        if (exposed)
            cli_warning(ctx, "%s holds a token and other users may read it; run chmod 600 %s",
                        path.data, path.data);
    } else if (rc != MC_ERR_NOT_FOUND) {
        cli_error(ctx, "the config file's path is longer than %d bytes", CONFIG_PATH_MAX);
        code = CLI_EXIT_USAGE;
        goto out;
    }
    rc = cli_settings_resolve(flags->url, flags->token, getenv("MCRED_URL"), getenv("MCRED_TOKEN"),
                              file, out, &err);
    if (rc != MC_OK) {
        cli_error(ctx, "%s", mc_error_message(&err));
        code = CLI_EXIT_USAGE;
    }
out:
    mc_buf_release(&path);
    return code;
}

int cli_main(int argc, char **argv, const struct cli_command *commands, FILE *out, FILE *err)
{
    struct cli_ctx ctx = {
        .url = CLI_DEFAULT_URL,
        .token = NULL,
        .format = CLI_FORMAT_TABLE,
        .width = 0,
        .out = out,
        .err = err,
    };
    struct cli_flags flags = {0};
    struct cli_config file;
    struct cli_settings settings;
    struct mc_error e;
    const struct cli_command *cmd;
    bool curl_ready = false;
    int next = 0;
    int code;

    cli_config_init(&file);
    mc_error_clear(&e);
    if (cli_flags_parse(argc, argv, &flags, &next, &e) != MC_OK) {
        code = cli_usage_error(&ctx, NULL, "%s", mc_error_message(&e));
        goto out;
    }
    ctx.format = flags.format;
    if (flags.help) {
        main_help(out, commands);
        code = CLI_EXIT_OK;
        goto out;
    }
    if (flags.version) {
        /* The same as `mcred version`, so that --json applies to both. */
        static char version_word[] = "version";
        char *vargv[] = {version_word, NULL};
        cmd = command_find(commands, version_word);
        if (cmd && cmd->fn) {
            code = cmd->fn(&ctx, 1, vargv);
        } else {
            (void)fprintf(out, "mcred %s\n", MC_VERSION);
            code = CLI_EXIT_OK;
        }
        goto out;
    }
    if (next >= argc) {
        main_help(err, commands);
        code = CLI_EXIT_USAGE;
        goto out;
    }

    int cargc = argc - next;
    char **cargv = argv + next;
    if (strcmp(cargv[0], "help") == 0) {
        code = help_command(&ctx, commands, cargc, cargv);
        goto out;
    }
    cmd = command_find(commands, cargv[0]);
    if (!cmd) {
        code = cli_usage_error(&ctx, NULL, "'%s' is not a mcred command", cargv[0]);
        goto out;
    }
    if ((cmd->flags & CLI_NEED_SERVER) && !command_wants_help(cmd, cargc, cargv)) {
        code = settings_load(&ctx, &flags, &file, &settings);
        if (code != CLI_EXIT_OK)
            goto out;
        ctx.url = settings.url;
        ctx.token = settings.token;
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            cli_error(&ctx, "could not initialise libcurl");
            code = CLI_EXIT_ERROR;
            goto out;
        }
        curl_ready = true;
    }
    if ((cmd->flags & CLI_NEED_NETWORK) && !curl_ready && !command_wants_help(cmd, cargc, cargv)) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            cli_error(&ctx, "could not initialise libcurl");
            code = CLI_EXIT_ERROR;
            goto out;
        }
        curl_ready = true;
    }
    if (ctx.format == CLI_FORMAT_TABLE)
        ctx.width = cli_terminal_width();

    if (cmd->verbs)
        code = cli_dispatch_verbs(&ctx, cmd->name, cmd->verbs, cargc, cargv);
    else if (cli_args_want_help(cargc, cargv))
        code = usage_print(&ctx, cmd->usage);
    else
        code = cmd->fn(&ctx, cargc, cargv);
out:
    if (curl_ready)
        curl_global_cleanup();
    cli_config_release(&file);
    /* A full disk or closed pipe must not look like success. */
    if (fflush(out) != 0 || ferror(out)) {
        if (code == CLI_EXIT_OK)
            cli_error(&ctx, "could not write output");
        code = code == CLI_EXIT_OK ? CLI_EXIT_ERROR : code;
    }
    return code;
}
