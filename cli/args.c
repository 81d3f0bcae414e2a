/*
 * args.c — parsing a verb's options and arguments from its table; see args.h.
 *
 * One pass over argv: a word is either "--", an option (looked up in the
 * table, its value taken from "=value" or the next word), or positional.
 * Positional words are counted against the names the verb gave, so that a
 * missing or extra argument is reported by name before anything is sent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

#include "mcred/banned.h"

/* Longest option name shown in a message; more would be noise (or a secret). */
#define ARGS_MAX_SHOWN 64

/* The entry of `options` that `arg` ("--name" or "--name=value") names, or NULL. */
static const struct cli_option *option_find(const struct cli_option *options, const char *arg,
                                            const char **out_value)
{
    const char *name = arg + 2;
    size_t n = strcspn(name, "=");

    for (const struct cli_option *o = options; o && o->name; o++) {
        if (strlen(o->name) == n && memcmp(o->name, name, n) == 0) {
            *out_value = name[n] == '=' ? name + n + 1 : NULL;
            return o;
        }
    }
    return NULL;
}

static size_t names_count(const char *const *names)
{
    size_t n = 0;
    while (names && names[n])
        n++;
    return n;
}

/* cli_args_parse() and cli_args_parse_rest() (rest NULL: no list after the names). */
static int args_parse(const struct cli_ctx *ctx, const char *what, int argc, char **argv,
                      const struct cli_option *options, const char *const *names,
                      const char **out_args, struct cli_rest *rest)
{
    size_t want = names_count(names);
    size_t npos = 0;
    const char *pos[CLI_ARGS_MAX_REPEAT];
    bool only_positional = false;

    if (want > CLI_ARGS_MAX_REPEAT)
        want = CLI_ARGS_MAX_REPEAT; /* a table that large is a programming error */
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const struct cli_option *o;
        const char *value = NULL;
        int shown = (int)strcspn(arg, "=");

        shown = shown > ARGS_MAX_SHOWN ? ARGS_MAX_SHOWN : shown;
        if (!only_positional && strcmp(arg, "--") == 0) {
            only_positional = true;
            continue;
        }
        if (only_positional || arg[0] != '-' || arg[1] == '\0') {
            if (npos < want) {
                pos[npos++] = arg;
                continue;
            }
            if (!rest || rest->n >= rest->max) {
                if (rest && rest->max > 1)
                    return cli_usage_error(ctx, what, "at most %zu %s arguments", rest->max,
                                           rest->name);
                return cli_usage_error(ctx, what, "unexpected argument '%.*s'", ARGS_MAX_SHOWN,
                                       arg);
            }
            rest->v[rest->n++] = arg;
            continue;
        }
        o = arg[1] == '-' ? option_find(options, arg, &value) : NULL;
        if (!o)
            return cli_usage_unknown_option(ctx, what, arg);
        if (o->flag) {
            if (value)
                return cli_usage_error(ctx, what, "option '%.*s' takes no value", shown, arg);
            *o->flag = true;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc)
                return cli_usage_error(ctx, what, "option '%.*s' needs a value", shown, arg);
            value = argv[++i];
        }
        if (o->value) {
            if (*o->value)
                return cli_usage_error(ctx, what, "option '%.*s' given twice", shown, arg);
            *o->value = value;
        } else if (o->values) {
            if (o->values->n >= CLI_ARGS_MAX_REPEAT)
                return cli_usage_error(ctx, what, "option '%.*s' given more than %d times", shown,
                                       arg, CLI_ARGS_MAX_REPEAT);
            o->values->v[o->values->n++] = value;
        }
    }
    if (npos < want)
        return cli_usage_error(ctx, what, "missing argument %s", names[npos]);
    if (rest && rest->n < rest->min)
        return cli_usage_error(ctx, what, "missing argument %s", rest->name);
    for (size_t k = 0; k < npos; k++)
        out_args[k] = pos[k];
    return CLI_EXIT_OK;
}

int cli_args_parse(const struct cli_ctx *ctx, const char *what, int argc, char **argv,
                   const struct cli_option *options, const char *const *names,
                   const char **out_args)
{
    return args_parse(ctx, what, argc, argv, options, names, out_args, NULL);
}

int cli_args_parse_rest(const struct cli_ctx *ctx, const char *what, int argc, char **argv,
                        const struct cli_option *options, const char *const *names,
                        const char **out_args, struct cli_rest *rest)
{
    rest->n = 0;
    return args_parse(ctx, what, argc, argv, options, names, out_args, rest);
}

bool cli_pair_split(const char *s, size_t *out_key_len, const char **out_value)
{
    const char *eq = strchr(s, '=');

    if (!eq || eq == s)
        return false;
    *out_key_len = (size_t)(eq - s);
    *out_value = eq + 1;
    return true;
}

bool cli_number_parse(const char *s, long min, long max, long *out)
{
    char *end = NULL;
    long n;

    if (!s || !((s[0] >= '0' && s[0] <= '9') || (s[0] == '-' && s[1] >= '0' && s[1] <= '9')))
        return false;
    errno = 0;
    n = strtol(s, &end, 10);
    if (errno != 0 || !end || *end != '\0' || n < min || n > max)
        return false;
    *out = n;
    return true;
}
