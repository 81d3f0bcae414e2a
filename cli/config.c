/*
 * config.c — the config file and the precedence of URL and token sources;
 * see config.h.
 *
 * The file is read whole (it is tiny and capped) and parsed line by line
 * into a local struct that replaces *out only when every line was good, so
 * a half-parsed file never leaks a value into a request.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mcred/json.h"

#include "cli.h"
#include "config.h"

#include "mcred/banned.h"

void cli_config_init(struct cli_config *c)
{
    c->url = NULL;
    c->token = NULL;
}

void cli_config_release(struct cli_config *c)
{
    free(c->url);
    free(c->token);
    cli_config_init(c);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static char *dup_range(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Parse one line that is neither blank nor a comment into cfg. */
static enum mc_err config_line(const char *line, size_t n, size_t lineno, struct cli_config *cfg,
                               size_t *lines, struct mc_error *err)
{
    const char *eq = memchr(line, '=', n);
    if (!eq)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "expected \"key = value\"");

    size_t klen = (size_t)(eq - line);
    while (klen > 0 && is_blank(line[klen - 1]))
        klen--;
    if (klen == 0)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "expected \"key = value\"");

    const char *v = eq + 1;
    size_t vlen = n - (size_t)(v - line);
    while (vlen > 0 && is_blank(v[0])) {
        v++;
        vlen--;
    }
    while (vlen > 0 && is_blank(v[vlen - 1]))
        vlen--;
    if (vlen >= 2 && (v[0] == '"' || v[0] == '\'') && v[vlen - 1] == v[0]) {
        v++;
        vlen -= 2;
    }

    static const char *const keys[] = {"url", "token"};
    char **slots[] = {&cfg->url, &cfg->token};
    size_t k = 0;
    while (k < 2 && !(strlen(keys[k]) == klen && memcmp(keys[k], line, klen) == 0))
        k++;
    if (k == 2)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "unknown key \"%.*s\"",
                            (int)(klen < 64 ? klen : 64), line);
    if (*slots[k])
        return mc_error_set(err, MC_ERR_INVALID, keys[k], "%s is set twice (first on line %zu)",
                            keys[k], lines[k]);
    if (vlen == 0)
        return mc_error_set(err, MC_ERR_INVALID, keys[k], "%s has no value", keys[k]);
    *slots[k] = dup_range(v, vlen);
    if (!*slots[k])
        return mc_error_set(err, MC_ERR_NOMEM, NULL, "out of memory");
    lines[k] = lineno;
    return MC_OK;
}

enum mc_err cli_config_parse(const char *text, size_t len, struct cli_config *out, size_t *out_line,
                             struct mc_error *err)
{
    struct cli_config cfg;
    size_t lines[2] = {0, 0}; /* where url and token were set */
    size_t lineno = 0;
    size_t pos = 0;
    enum mc_err rc = MC_OK;

    cli_config_init(&cfg);
    if (len > CLI_CONFIG_MAX_BYTES) {
        rc = mc_error_set(err, MC_ERR_INVALID, NULL, "file is larger than %d bytes",
                          CLI_CONFIG_MAX_BYTES);
        goto out;
    }
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;

        pos += n + (nl ? 1 : 0);
        lineno++;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (n > MC_CLI_MAX_CONFIG_LINE) {
            rc = mc_error_set(err, MC_ERR_INVALID, NULL, "line is longer than %d bytes",
                              MC_CLI_MAX_CONFIG_LINE);
            goto out;
        }
        /* Also refuses NUL and control characters other than tab and CR. */
        if (!mc_utf8_valid_text(line, n)) {
            rc = mc_error_set(err, MC_ERR_INVALID, NULL, "line is not valid UTF-8 text");
            goto out;
        }
        size_t i = 0;
        while (i < n && is_blank(line[i]))
            i++;
        if (i == n || line[i] == '#')
            continue;
        rc = config_line(line + i, n - i, lineno, &cfg, lines, err);
        if (rc != MC_OK)
            goto out;
    }
    cli_config_release(out);
    *out = cfg;
    cli_config_init(&cfg);
    lineno = 0;
out:
    cli_config_release(&cfg);
    if (rc != MC_OK)
        *out_line = lineno;
    return rc;
}

enum mc_err cli_config_path(const char *xdg_config_home, const char *home, struct mc_buf *out)
{
    if (xdg_config_home && xdg_config_home[0] == '/')
        return mc_buf_appendf(out, "%s/mcred/config", xdg_config_home);
    if (home && home[0])
        return mc_buf_appendf(out, "%s/.config/mcred/config", home);
    return MC_ERR_NOT_FOUND;
}

enum mc_err cli_config_load(const char *path, struct cli_config *out, bool *out_exposed,
                            struct mc_error *err)
{
    struct mc_buf text;
    struct cli_config cfg;
    struct stat st = {0};
    size_t line = 0;
    enum mc_err rc = MC_OK;
    int fd;

    mc_buf_init(&text, CLI_CONFIG_MAX_BYTES);
    cli_config_init(&cfg);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            goto done; /* no file: nothing configured */
        rc =
            mc_error_set(err, MC_ERR_INVALID, NULL, "could not open %s: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fd, &st) != 0) {
        rc =
            mc_error_set(err, MC_ERR_INVALID, NULL, "could not read %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = mc_error_set(err, MC_ERR_INVALID, NULL, "%s is not a regular file", path);
        goto out;
    }
    for (;;) {
        char chunk[4096];
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = mc_error_set(err, MC_ERR_INVALID, NULL, "could not read %s: %s", path,
                              strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        rc = mc_buf_append(&text, chunk, (size_t)n);
        if (rc == MC_ERR_TOO_LARGE) {
            rc = mc_error_set(err, MC_ERR_INVALID, NULL, "%s is larger than %d bytes", path,
                              CLI_CONFIG_MAX_BYTES);
            goto out;
        }
        if (rc != MC_OK) {
            rc = mc_error_set(err, rc, NULL, "out of memory");
            goto out;
        }
    }
    rc = cli_config_parse(text.data, text.len, &cfg, &line, err);
    if (rc != MC_OK) {
        /* Put "PATH:LINE: " in front of the parser's message. */
        struct mc_error detail = *err;
        if (line > 0)
            mc_error_set(err, rc, detail.field, "%s:%zu: %s", path, line,
                         mc_error_message(&detail));
        else
            mc_error_set(err, rc, detail.field, "%s: %s", path, mc_error_message(&detail));
        goto out;
    }
done:
    *out_exposed = cfg.token && fd >= 0 && (st.st_mode & (S_IRWXG | S_IRWXO));
    cli_config_release(out);
    *out = cfg;
    cli_config_init(&cfg);
out:
    if (fd >= 0)
        (void)close(fd);
    cli_config_release(&cfg);
    mc_buf_release(&text);
    return rc;
}

/* A value that parses back as itself: printable, no quotes, no blanks at its ends. */
static bool config_value_ok(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n > MC_CLI_MAX_CONFIG_LINE - 16 || is_blank(v[0]) || is_blank(v[n - 1]))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c < 0x20 || c == 0x7F || c == '"' || c == '\'')
            return false;
    }
    return true;
}

enum mc_err cli_config_format(const char *url, const char *token, const char *comment,
                              struct mc_buf *out)
{
    if (!config_value_ok(url) || !config_value_ok(token))
        return MC_ERR_INVALID;
    enum mc_err rc = MC_OK;
    if (comment) {
        rc = mc_buf_append(out, "# ", 2);
        for (const char *c = comment; rc == MC_OK && *c; c++)
            rc = mc_buf_append(out, (*c == '\n' || *c == '\r') ? " " : c, 1);
        if (rc == MC_OK)
            rc = mc_buf_append(out, "\n", 1);
    }
    if (rc == MC_OK)
        rc = mc_buf_appendf(out, "url = %s\ntoken = %s\n", url, token);
    return rc;
}

/* mkdir -p of the directories above `path`, each new one mode 0700. */
static enum mc_err config_dirs(const char *path, struct mc_error *err)
{
    char dir[MC_MAX_URL + 1024];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "%s: path is too long", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return MC_OK;
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        bool end = *p == '\0';
        if (*p == '/' || end) {
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST)
                return mc_error_set(err, MC_ERR_INVALID, NULL, "could not create %s: %s", dir,
                                    strerror(errno));
            if (end)
                break;
            *p = '/';
        }
    }
    return MC_OK;
}

enum mc_err cli_config_write(const char *path, const char *text, size_t len, struct mc_error *err)
{
    char tmp[MC_MAX_URL + 1024];
    enum mc_err rc = config_dirs(path, err);
    if (rc != MC_OK)
        return rc;
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "%s: path is too long", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "could not create a file beside %s: %s",
                            path, strerror(errno));
    const char *what = "write";
    size_t done = 0;
    bool ok = fchmod(fd, 0600) == 0;
    while (ok && done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += ok ? (size_t)n : 0;
    }
    if (ok && fsync(fd) != 0) {
        ok = false;
        what = "flush";
    }
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        what = "replace";
        saved = errno;
    }
    if (!ok) {
        (void)unlink(tmp);
        return mc_error_set(err, MC_ERR_INVALID, NULL, "could not %s %s: %s", what, path,
                            strerror(saved ? saved : EIO));
    }
    return MC_OK;
}

struct source {
    const char *value;
    const char *name; /* for messages */
};

/* The first source with a non-empty value, or NULL. */
static const struct source *source_first(const struct source *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i].value && s[i].value[0])
            return &s[i];
    return NULL;
}

static enum mc_err url_check(const struct source *src, struct cli_settings *out,
                             struct mc_error *err)
{
    const char *u = src->value;
    size_t len = strlen(u);
    size_t scheme;

    if (strncasecmp(u, "http://", 7) == 0)
        scheme = 7;
    else if (strncasecmp(u, "https://", 8) == 0)
        scheme = 8;
    else
        return mc_error_set(err, MC_ERR_INVALID, "url", "%s must start with http:// or https://",
                            src->name);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)u[i];
        if (c <= 0x20 || c == 0x7F)
            return mc_error_set(err, MC_ERR_INVALID, "url",
                                "%s contains spaces or control characters", src->name);
        if (c == '?' || c == '#')
            return mc_error_set(err, MC_ERR_INVALID, "url", "%s must not have a query or fragment",
                                src->name);
    }
    while (len > scheme && u[len - 1] == '/')
        len--;
    if (len == scheme || u[scheme] == '/')
        return mc_error_set(err, MC_ERR_INVALID, "url", "%s has no host", src->name);
    if (len > MC_MAX_URL)
        return mc_error_set(err, MC_ERR_INVALID, "url", "%s is longer than %d bytes", src->name,
                            MC_MAX_URL);
    memcpy(out->url, u, len);
    out->url[len] = '\0';
    return MC_OK;
}

static enum mc_err token_check(const struct source *src, struct mc_error *err)
{
    const char *t = src->value;
    size_t len = strlen(t);

    if (len > MC_CLI_MAX_CONFIG_LINE)
        return mc_error_set(err, MC_ERR_INVALID, "token", "%s is longer than %d bytes", src->name,
                            MC_CLI_MAX_CONFIG_LINE);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c <= 0x20 || c >= 0x7F)
            return mc_error_set(err, MC_ERR_INVALID, "token",
                                "%s may hold only printable ASCII without spaces", src->name);
    }
    return MC_OK;
}

enum mc_err cli_settings_resolve(const char *flag_url, const char *flag_token, const char *env_url,
                                 const char *env_token, const struct cli_config *file,
                                 struct cli_settings *out, struct mc_error *err)
{
    const struct source urls[] = {
        {flag_url, "--url"},
        {env_url, "MCRED_URL"},
        {file ? file->url : NULL, "url in the config file"},
        {CLI_DEFAULT_URL, "the default URL"},
    };
    const struct source tokens[] = {
        {flag_token, "--token"},
        {env_token, "MCRED_TOKEN"},
        {file ? file->token : NULL, "token in the config file"},
    };
    struct cli_settings s;
    enum mc_err rc;

    rc = url_check(source_first(urls, 4), &s, err);
    if (rc != MC_OK)
        return rc;
    const struct source *token = source_first(tokens, 3);
    s.token = NULL;
    if (token) {
        rc = token_check(token, err);
        if (rc != MC_OK)
            return rc;
        s.token = token->value;
    }
    *out = s;
    return MC_OK;
}
