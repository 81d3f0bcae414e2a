/*
 * test_cli_config.c — the config file parser, the config path, global
 * flags, and the precedence flags > environment > file > default, both as
 * pure functions and through cli_main() with a real file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "config.h"

#include "mcred/banned.h"

static enum mc_err parse(const char *text, struct cli_config *cfg, size_t *line,
                         struct mc_error *err)
{
    mc_error_clear(err);
    return cli_config_parse(text, strlen(text), cfg, line, err);
}

static void test_parse_good(void **state)
{
    struct cli_config cfg;
    struct mc_error err;
    size_t line = 99;

    (void)state;
    cli_config_init(&cfg);
    assert_int_equal(parse("# mcred settings\r\n"
                           "\n"
                           "   \t\n"
                           "  url   =   https://mcred.example.org/  \r\n"
                           "\t# a comment\n"
                           "token=\"tok_abc=\"",
                           &cfg, &line, &err),
                     MC_OK);
    assert_string_equal(cfg.url, "https://mcred.example.org/");
    assert_string_equal(cfg.token, "tok_abc=");
    cli_config_release(&cfg);

    assert_int_equal(parse("token = 'x'\n", &cfg, &line, &err), MC_OK);
    assert_null(cfg.url);
    assert_string_equal(cfg.token, "x");
    cli_config_release(&cfg);

    assert_int_equal(parse("", &cfg, &line, &err), MC_OK);
    assert_null(cfg.url);
    assert_null(cfg.token);
    cli_config_release(&cfg);
}

/* Each bad file: the message, and the line it names. */
static void test_parse_errors(void **state)
{
    static const struct {
        const char *text;
        size_t line;
        const char *message;
    } cases[] = {
        {"url = http://a\n\ncolour = blue\n", 3, "unknown key \"colour\""},
        {"# c\nurl http://a\n", 2, "expected \"key = value\""},
        {" = value\n", 1, "expected \"key = value\""},
        {"url = http://a\nurl = http://b\n", 2, "url is set twice (first on line 1)"},
        {"token =   \n", 1, "token has no value"},
        {"URL = http://a\n", 1, "unknown key \"URL\""},
        {"token = a\x01b\n", 1, "line is not valid UTF-8 text"},
        {"url = http://a\ntoken = \xC3\x28\n", 2, "line is not valid UTF-8 text"},
    };
    struct cli_config cfg;
    struct mc_error err;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t line = 99;
        cli_config_init(&cfg);
        cfg.url = strdup("untouched");
        assert_int_equal(parse(cases[i].text, &cfg, &line, &err), MC_ERR_INVALID);
        assert_int_equal(line, cases[i].line);
        assert_string_equal(mc_error_message(&err), cases[i].message);
        assert_string_equal(cfg.url, "untouched"); /* out untouched on failure */
        cli_config_release(&cfg);
    }
}

static void test_parse_limits(void **state)
{
    struct cli_config cfg;
    struct mc_error err;
    size_t line = 0;
    size_t n = MC_CLI_MAX_CONFIG_LINE + 10;
    char *text = malloc(n + 32);

    (void)state;
    assert_non_null(text);
    memcpy(text, "url = http://a\n# ", 17);
    memset(text + 17, 'x', n);
    text[17 + n] = '\0';
    cli_config_init(&cfg);
    assert_int_equal(parse(text, &cfg, &line, &err), MC_ERR_INVALID);
    assert_int_equal(line, 2);
    assert_non_null(strstr(mc_error_message(&err), "longer than"));

    /* A NUL byte in the middle of the file. */
    assert_int_equal(cli_config_parse("url = a\0b\n", 10, &cfg, &line, &err), MC_ERR_INVALID);
    assert_int_equal(line, 1);

    /* The whole file too large: line 0. */
    free(text);
    text = calloc(CLI_CONFIG_MAX_BYTES + 1, 1);
    assert_non_null(text);
    memset(text, '\n', CLI_CONFIG_MAX_BYTES + 1);
    assert_int_equal(cli_config_parse(text, CLI_CONFIG_MAX_BYTES + 1, &cfg, &line, &err),
                     MC_ERR_INVALID);
    assert_int_equal(line, 0);
    free(text);
    cli_config_release(&cfg);
}

static void test_config_path(void **state)
{
    struct mc_buf b;

    (void)state;
    mc_buf_init(&b, 4096);
    assert_int_equal(cli_config_path("/x/cfg", "/home/u", &b), MC_OK);
    assert_string_equal(b.data, "/x/cfg/mcred/config");
    mc_buf_reset(&b);
    /* A relative XDG_CONFIG_HOME is ignored, as the XDG spec says. */
    assert_int_equal(cli_config_path("rel", "/home/u", &b), MC_OK);
    assert_string_equal(b.data, "/home/u/.config/mcred/config");
    mc_buf_reset(&b);
    assert_int_equal(cli_config_path("", "/home/u", &b), MC_OK);
    assert_string_equal(b.data, "/home/u/.config/mcred/config");
    mc_buf_reset(&b);
    assert_int_equal(cli_config_path(NULL, NULL, &b), MC_ERR_NOT_FOUND);
    assert_int_equal(cli_config_path(NULL, "", &b), MC_ERR_NOT_FOUND);
    mc_buf_release(&b);
}

static void test_resolve_precedence(void **state)
{
    struct cli_config file = {.url = (char *)"http://file:1", .token = (char *)"file-token"};
    struct cli_settings s;
    struct mc_error err;

    (void)state;
    /* Flags beat everything. */
    assert_int_equal(cli_settings_resolve("http://flag:1/", "flag-token", "http://env:1",
                                          "env-token", &file, &s, &err),
                     MC_OK);
    assert_string_equal(s.url, "http://flag:1");
    assert_string_equal(s.token, "flag-token");
    /* Then the environment. */
    assert_int_equal(cli_settings_resolve(NULL, NULL, "http://env:1", "env-token", &file, &s, &err),
                     MC_OK);
    assert_string_equal(s.url, "http://env:1");
    assert_string_equal(s.token, "env-token");
    /* Empty environment variables count as unset; then the file. */
    assert_int_equal(cli_settings_resolve(NULL, NULL, "", "", &file, &s, &err), MC_OK);
    assert_string_equal(s.url, "http://file:1");
    assert_string_equal(s.token, "file-token");
    /* Each setting on its own: a flag URL with the file's token. */
    assert_int_equal(cli_settings_resolve("https://flag", NULL, NULL, NULL, &file, &s, &err),
                     MC_OK);
    assert_string_equal(s.url, "https://flag");
    assert_string_equal(s.token, "file-token");
    /* Nothing: the default URL and no token. */
    assert_int_equal(cli_settings_resolve(NULL, NULL, NULL, NULL, NULL, &s, &err), MC_OK);
    assert_string_equal(s.url, CLI_DEFAULT_URL);
    assert_null(s.token);
    /* Trailing slashes go. */
    assert_int_equal(
        cli_settings_resolve("HTTP://h:8080/base///", NULL, NULL, NULL, NULL, &s, &err), MC_OK);
    assert_string_equal(s.url, "HTTP://h:8080/base");
}

static void test_resolve_errors(void **state)
{
    static const struct {
        const char *flag_url, *flag_token, *env_url, *env_token;
        const char *message;
    } cases[] = {
        {"ftp://x", NULL, NULL, NULL, "--url must start with http:// or https://"},
        {NULL, NULL, "127.0.0.1:8080", NULL, "MCRED_URL must start with http:// or https://"},
        {"http://a b", NULL, NULL, NULL, "--url contains spaces or control characters"},
        {"http://a/?x=1", NULL, NULL, NULL, "--url must not have a query or fragment"},
        {"http://", NULL, NULL, NULL, "--url has no host"},
        {"http:///x", NULL, NULL, NULL, "--url has no host"},
        {NULL, "a b", NULL, NULL, "--token may hold only printable ASCII without spaces"},
        {NULL, NULL, NULL, "tok\r\nX-Evil: 1",
         "MCRED_TOKEN may hold only printable ASCII without spaces"},
    };
    struct cli_settings s;
    struct mc_error err;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mc_error_clear(&err);
        assert_int_equal(cli_settings_resolve(cases[i].flag_url, cases[i].flag_token,
                                              cases[i].env_url, cases[i].env_token, NULL, &s, &err),
                         MC_ERR_INVALID);
        assert_string_equal(mc_error_message(&err), cases[i].message);
    }
    struct cli_config file = {.url = (char *)"localhost", .token = NULL};
    assert_int_equal(cli_settings_resolve(NULL, NULL, NULL, NULL, &file, &s, &err), MC_ERR_INVALID);
    assert_string_equal(mc_error_message(&err),
                        "url in the config file must start with http:// or https://");
}

static void test_flags_parse(void **state)
{
    struct cli_flags f;
    struct mc_error err;
    int next = -1;

    (void)state;
    {
        char *argv[] = {"mcred",  "--url=http://a", "--token", "t",
                        "--json", "whoami",         "--csv",   NULL};
        assert_int_equal(cli_flags_parse(7, argv, &f, &next, &err), MC_OK);
        assert_int_equal(next, 5); /* flags after the command are the command's */
        assert_string_equal(f.url, "http://a");
        assert_string_equal(f.token, "t");
        assert_int_equal(f.format, CLI_FORMAT_JSON);
        assert_false(f.help);
    }
    {
        char *argv[] = {"mcred", "--csv", "--url", "http://b", "-h", NULL};
        assert_int_equal(cli_flags_parse(5, argv, &f, &next, &err), MC_OK);
        assert_int_equal(next, 5);
        assert_int_equal(f.format, CLI_FORMAT_CSV);
        assert_string_equal(f.url, "http://b");
        assert_true(f.help);
    }
    {
        char *argv[] = {"mcred", "--", "--json", NULL};
        assert_int_equal(cli_flags_parse(3, argv, &f, &next, &err), MC_OK);
        assert_int_equal(next, 2);
        assert_int_equal(f.format, CLI_FORMAT_TABLE);
    }
    static const struct {
        int argc;
        char *argv[4];
        const char *message;
    } bad[] = {
        {3, {"mcred", "--json", "--csv"}, "--json and --csv cannot be used together"},
        {2, {"mcred", "--url"}, "--url needs a value"},
        {2, {"mcred", "--token="}, "--token needs a value"},
        {3, {"mcred", "--colour", "ping"}, "unknown option '--colour'"},
        /* The value of a misspelt flag may be a secret: it is not echoed. */
        {2, {"mcred", "--tokn=sekret"}, "unknown option '--tokn'"},
        {2, {"mcred", "-x"}, "unknown option '-x'"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        next = -1;
        mc_error_clear(&err);
        assert_int_equal(cli_flags_parse(bad[i].argc, (char **)bad[i].argv, &f, &next, &err),
                         MC_ERR_INVALID);
        assert_string_equal(mc_error_message(&err), bad[i].message);
        assert_int_equal(next, -1);
    }
}

/* ---- cli_main with a real file and environment ---- */

static char tmpdir[] = "/tmp/test_cli_config.XXXXXX";
static char seen_url[256];
static char seen_token[256];

static int record_ctx(const struct cli_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    (void)snprintf(seen_url, sizeof(seen_url), "%s", ctx->url);
    (void)snprintf(seen_token, sizeof(seen_token), "%s", ctx->token ? ctx->token : "(none)");
    return CLI_EXIT_OK;
}

/* What `mcred login` writes reads back as itself; the file is made atomically, 0600. */
static void test_format_and_write(void **state)
{
    struct mc_buf text;
    struct cli_config cfg;
    struct mc_error err;
    size_t line = 0;
    const char *token = "mcr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    (void)state;
    mc_buf_init(&text, CLI_CONFIG_MAX_BYTES);
    assert_int_equal(
        cli_config_format("http://127.0.0.1:8080", token, "for ana\nsecond line", &text), MC_OK);
    assert_string_equal(text.data, "# for ana second line\nurl = http://127.0.0.1:8080\n"
                                   "token = mcr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
    cli_config_init(&cfg);
    assert_int_equal(parse(text.data, &cfg, &line, &err), MC_OK);
    assert_string_equal(cfg.url, "http://127.0.0.1:8080");
    assert_string_equal(cfg.token, token);
    cli_config_release(&cfg);
    mc_buf_reset(&text);
    /* values that would not read back as themselves */
    assert_int_equal(cli_config_format("http://x\n", token, NULL, &text), MC_ERR_INVALID);
    assert_int_equal(cli_config_format("http://x", "a\"b", NULL, &text), MC_ERR_INVALID);
    assert_int_equal(cli_config_format("http://x", " ab", NULL, &text), MC_ERR_INVALID);
    assert_int_equal(cli_config_format("", token, NULL, &text), MC_ERR_INVALID);
    mc_buf_release(&text);

    /* new directories (0700) and a new file (0600) */
    char dir[] = "/tmp/mcred-config-write.XXXXXX";
    char path[320], parent[256];
    struct stat st;
    assert_non_null(mkdtemp(dir));
    (void)snprintf(parent, sizeof parent, "%s/a/mcred", dir);
    (void)snprintf(path, sizeof path, "%s/config", parent);
    mc_error_clear(&err);
    assert_int_equal(cli_config_write(path, "url = http://x\n", 15, &err), MC_OK);
    assert_int_equal(stat(parent, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 15);
    /* an existing, readable file is replaced by a private one */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(cli_config_write(path, "url = http://y\n", 15, &err), MC_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    FILE *f = fopen(path, "r");
    char got[64] = "";
    assert_non_null(f);
    assert_non_null(fgets(got, sizeof got, f));
    (void)fclose(f);
    assert_string_equal(got, "url = http://y\n");
    /* nothing left beside it */
    char cmd[512];
    (void)snprintf(cmd, sizeof cmd, "test \"$(ls -A %s)\" = config", parent);
    assert_int_equal(system(cmd), 0);
    /* a path that cannot be made: an error naming it, nothing written */
    char blocked[400];
    (void)snprintf(blocked, sizeof blocked, "%s/config/mcred/config", parent);
    assert_int_equal(cli_config_write(blocked, "x", 1, &err), MC_ERR_INVALID);
    assert_non_null(strstr(mc_error_message(&err), parent));
    (void)snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static const struct cli_command test_commands[] = {
    {.name = "show", .fn = record_ctx, .flags = CLI_NEED_SERVER, .summary = "s", .usage = "u\n"},
    {.name = NULL},
};

static void config_write(const char *text, mode_t mode)
{
    char path[512];
    FILE *f;

    (void)snprintf(path, sizeof(path), "%s/mcred", tmpdir);
    (void)mkdir(path, 0700);
    (void)snprintf(path, sizeof(path), "%s/mcred/config", tmpdir);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static int run(int argc, char **argv, char **err_text)
{
    size_t out_len = 0, err_len = 0;
    char *out_text = NULL;
    FILE *out = open_memstream(&out_text, &out_len);
    FILE *err = open_memstream(err_text, &err_len);
    int code;

    assert_non_null(out);
    assert_non_null(err);
    seen_url[0] = seen_token[0] = '\0';
    code = cli_main(argc, argv, test_commands, out, err);
    (void)fclose(out);
    (void)fclose(err);
    free(out_text);
    return code;
}

static int setup_env(void **state)
{
    (void)state;
    if (!mkdtemp(tmpdir))
        return -1;
    setenv("XDG_CONFIG_HOME", tmpdir, 1);
    unsetenv("MCRED_URL");
    unsetenv("MCRED_TOKEN");
    return 0;
}

static int teardown_env(void **state)
{
    char path[512];

    (void)state;
    (void)snprintf(path, sizeof(path), "%s/mcred/config", tmpdir);
    (void)unlink(path);
    (void)snprintf(path, sizeof(path), "%s/mcred", tmpdir);
    (void)rmdir(path);
    (void)rmdir(tmpdir);
    return 0;
}

static void test_main_precedence(void **state)
{
    char *err = NULL;

    (void)state;
    config_write("url = http://file:1\ntoken = file-token\n", 0600);
    {
        char *argv[] = {"mcred", "show", NULL};
        assert_int_equal(run(2, argv, &err), CLI_EXIT_OK);
        assert_string_equal(err, "");
        assert_string_equal(seen_url, "http://file:1");
        assert_string_equal(seen_token, "file-token");
        free(err);
    }
    setenv("MCRED_URL", "http://env:1", 1);
    setenv("MCRED_TOKEN", "env-token", 1);
    {
        char *argv[] = {"mcred", "show", NULL};
        assert_int_equal(run(2, argv, &err), CLI_EXIT_OK);
        assert_string_equal(seen_url, "http://env:1");
        assert_string_equal(seen_token, "env-token");
        free(err);
    }
    {
        char *argv[] = {"mcred", "--url", "http://flag:1", "--token=flag-token", "show", NULL};
        assert_int_equal(run(5, argv, &err), CLI_EXIT_OK);
        assert_string_equal(seen_url, "http://flag:1");
        assert_string_equal(seen_token, "flag-token");
        free(err);
    }
    unsetenv("MCRED_URL");
    unsetenv("MCRED_TOKEN");

    /* A token in a file that others may read: a warning, but it runs. */
    config_write("token = file-token\n", 0644);
    {
        char *argv[] = {"mcred", "show", NULL};
        assert_int_equal(run(2, argv, &err), CLI_EXIT_OK);
        assert_string_equal(seen_url, CLI_DEFAULT_URL);
        assert_non_null(strstr(err, "mcred: warning: "));
        assert_non_null(strstr(err, "chmod 600"));
        free(err);
    }
}

static void test_main_bad_config(void **state)
{
    char *err = NULL;
    char expected[512];

    (void)state;
    config_write("url = http://file:1\ncolour = blue\n", 0600);
    {
        char *argv[] = {"mcred", "show", NULL};
        assert_int_equal(run(2, argv, &err), CLI_EXIT_USAGE);
        (void)snprintf(expected, sizeof(expected),
                       "mcred: %s/mcred/config:2: unknown key \"colour\"\n", tmpdir);
        assert_string_equal(err, expected);
        assert_string_equal(seen_url, ""); /* the command did not run */
        free(err);
    }
    /* Help needs no configuration. */
    {
        char *argv[] = {"mcred", "show", "--help", NULL};
        assert_int_equal(run(3, argv, &err), CLI_EXIT_OK);
        assert_string_equal(err, "");
        free(err);
    }
    /* A bad URL from the environment is a usage error too. */
    config_write("# empty\n", 0600);
    setenv("MCRED_URL", "localhost:8080", 1);
    {
        char *argv[] = {"mcred", "show", NULL};
        assert_int_equal(run(2, argv, &err), CLI_EXIT_USAGE);
        assert_string_equal(err, "mcred: MCRED_URL must start with http:// or https://\n");
        free(err);
    }
    unsetenv("MCRED_URL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),         cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_limits),       cmocka_unit_test(test_config_path),
        cmocka_unit_test(test_resolve_precedence), cmocka_unit_test(test_resolve_errors),
        cmocka_unit_test(test_flags_parse),        cmocka_unit_test(test_main_precedence),
        cmocka_unit_test(test_main_bad_config),    cmocka_unit_test(test_format_and_write),
    };
    return cmocka_run_group_tests(tests, setup_env, teardown_env);
}
