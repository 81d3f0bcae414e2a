/*
 * harness.c — see harness.h.
 *
 * Commands that must run as the postgres user (initdb, pg_ctl refuse
 * root) go through runuser when we are root; the cluster then lives under
 * /tmp, which that user can reach.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "harness.h"

int h_run(const char *name, const struct CMUnitTest *tests, size_t n, CMFixtureFunction setup,
          CMFixtureFunction teardown)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || sodium_init() < 0)
        h_fail("could not initialise libcurl or libsodium");
    int failed = _cmocka_run_group_tests(name, tests, n, setup, teardown);
    curl_global_cleanup();
    return failed;
}

/*
 * What a failing test leaves running: servers it started and clusters it
 * made.  h_fail() stops them, so an aborted test does not leave a
 * PostgreSQL behind in /tmp.
 */
#define H_MAX_LIVE 16
static pid_t live_servers[H_MAX_LIVE];
static struct h_cluster *live_clusters[H_MAX_LIVE];
static pid_t live_owner; /* a forked child must not stop its parent's things */

static void live_add(void **slots, void *item)
{
    live_owner = getpid();
    for (int i = 0; i < H_MAX_LIVE; i++)
        if (!slots[i]) {
            slots[i] = item;
            return;
        }
}

static void live_remove(void **slots, void *item)
{
    for (int i = 0; i < H_MAX_LIVE; i++)
        if (slots[i] == item)
            slots[i] = NULL;
}

static void stop_everything(void)
{
    if (getpid() != live_owner)
        return;
    for (int i = 0; i < H_MAX_LIVE; i++)
        if (live_servers[i] > 0) {
            kill(live_servers[i], SIGKILL);
            (void)waitpid(live_servers[i], NULL, 0);
            live_servers[i] = 0;
        }
    for (int i = 0; i < H_MAX_LIVE; i++)
        if (live_clusters[i]) {
            struct h_cluster *c = live_clusters[i];
            live_clusters[i] = NULL;
            h_cluster_release(c);
        }
}

void h_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("harness: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    stop_everything();
    exit(1);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Run a shell command as the cluster owner; abort on failure. */
static void run_as_postgres(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void run_as_postgres(const char *fmt, ...)
{
    char cmd[4 * PATH_MAX], full[5 * PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (geteuid() == 0)
        snprintf(full, sizeof full, "runuser -u postgres -- sh -c '%s' >/dev/null", cmd);
    else
        snprintf(full, sizeof full, "sh -c '%s' >/dev/null", cmd);
    int st = system(full);
    if (st != 0)
        h_fail("command failed (%d): %s", st, full);
}

static void find_bindir(char out[PATH_MAX])
{
    const char *env = getenv("MCRED_PG_BINDIR");
    if (env && *env) {
        snprintf(out, PATH_MAX, "%s", env);
        return;
    }
    glob_t g;
    if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) != 0 || g.gl_pathc == 0)
        h_fail("no PostgreSQL server binaries found; set MCRED_PG_BINDIR");
    /* glob sorts; the last is the newest major version */
    snprintf(out, PATH_MAX, "%s", g.gl_pathv[g.gl_pathc - 1]);
    globfree(&g);
    *strrchr(out, '/') = '\0';
}

void h_cluster_create(struct h_cluster *out)
{
    memset(out, 0, sizeof *out);
    out->own = true;
    live_add((void **)live_clusters, out);
    find_bindir(out->bindir);
    snprintf(out->dir, sizeof out->dir, "/tmp/mcred-h.XXXXXX");
    if (!mkdtemp(out->dir))
        h_fail("mkdtemp: %s", strerror(errno));
    chmod(out->dir, 0755);
    snprintf(out->sockdir, sizeof out->sockdir, "%s/s", out->dir);
    if (mkdir(out->sockdir, 0755) != 0)
        h_fail("mkdir %s: %s", out->sockdir, strerror(errno));
    if (geteuid() == 0) {
        char cmd[2 * PATH_MAX];
        snprintf(cmd, sizeof cmd, "chown -R postgres: %s", out->dir);
        if (system(cmd) != 0)
            h_fail("could not chown %s to postgres", out->dir);
    }
    out->port = 5432; /* socket only: the port just names the socket file */
    snprintf(out->superuser, sizeof out->superuser, "postgres");
    run_as_postgres("%s/initdb -D %s/data -U postgres -A trust -E UTF8 --no-locale --no-sync",
                    out->bindir, out->dir);
    h_cluster_start(out);
}

void h_cluster_get(struct h_cluster *out)
{
    const char *host = getenv("MCRED_TEST_PGHOST");
    const char *port = getenv("MCRED_TEST_PGPORT");
    if (!host || !*host || !port || !*port) {
        h_cluster_create(out);
        return;
    }
    memset(out, 0, sizeof *out);
    const char *user = getenv("MCRED_TEST_PGUSER");
    snprintf(out->sockdir, sizeof out->sockdir, "%s", host);
    out->port = (unsigned)strtoul(port, NULL, 10);
    snprintf(out->superuser, sizeof out->superuser, "%s", user && *user ? user : "postgres");
    find_bindir(out->bindir);
}

void h_cluster_start(struct h_cluster *c)
{
    if (!c->own)
        h_fail("cannot start the shared cluster");
    run_as_postgres("%s/pg_ctl -D %s/data -l %s/log -w -t 30 -o \"-k %s -p %u -c "
                    "listen_addresses= -c fsync=off -c full_page_writes=off\" start",
                    c->bindir, c->dir, c->dir, c->sockdir, c->port);
}

static void super_close(void);

void h_cluster_stop(struct h_cluster *c)
{
    if (!c->own)
        h_fail("cannot stop the shared cluster");
    super_close();
    run_as_postgres("%s/pg_ctl -D %s/data -m fast -w -t 30 stop", c->bindir, c->dir);
}

void h_cluster_release(struct h_cluster *c)
{
    if (!c->own)
        return;
    live_remove((void **)live_clusters, c);
    super_close();
    char cmd[3 * PATH_MAX];
    if (geteuid() == 0)
        snprintf(cmd, sizeof cmd,
                 "runuser -u postgres -- %s/pg_ctl -D %s/data -m immediate -w stop "
                 ">/dev/null 2>&1; rm -rf %s",
                 c->bindir, c->dir, c->dir);
    else
        snprintf(cmd, sizeof cmd,
                 "%s/pg_ctl -D %s/data -m immediate -w stop >/dev/null 2>&1; rm -rf %s", c->bindir,
                 c->dir, c->dir);
    (void)!system(cmd);
}

static PGconn *connect_super(const struct h_cluster *c, const char *dbname)
{
    char conninfo[PATH_MAX + 128];
    snprintf(conninfo, sizeof conninfo, "host=%s port=%u dbname=%s user=%s", c->sockdir, c->port,
             dbname, c->superuser);
    PGconn *pg = PQconnectdb(conninfo);
    if (PQstatus(pg) != CONNECTION_OK)
        h_fail("could not connect as superuser: %s", PQerrorMessage(pg));
    return pg;
}

/* Run utility SQL that takes no parameters (DDL); identifiers are escaped by the caller. */
static void exec_ddl(PGconn *pg, const char *sql, const char *ok_sqlstate)
{
    PGresult *res = PQexec(pg, sql);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (PQresultStatus(res) != PGRES_COMMAND_OK &&
        !(ok_sqlstate && state && strstr(ok_sqlstate, state)))
        h_fail("%s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
}

void h_db_create(const struct h_cluster *c, struct h_db *out)
{
    unsigned char raw[6];
    char hex[13];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    memset(out, 0, sizeof *out);
    out->cluster = c;
    snprintf(out->name, sizeof out->name, "t_%s", hex);
    PGconn *pg = connect_super(c, "postgres");
    /* Neither role may be a superuser: superusers bypass row-level security, and the owner's
     * migrations must work without one.  Tests create them concurrently, so "already exists"
     * (42710, 23505) is fine. */
    exec_ddl(pg, "CREATE ROLE " H_APP_ROLE " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE",
             "42710 23505");
    exec_ddl(pg, "CREATE ROLE " H_OWNER_ROLE " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE",
             "42710 23505");
    char *ident = PQescapeIdentifier(pg, out->name, strlen(out->name));
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s OWNER " H_OWNER_ROLE, ident);
    PQfreemem(ident);
    exec_ddl(pg, sql, NULL);
    PQfinish(pg);
    snprintf(out->conninfo, sizeof out->conninfo, "host=%s port=%u dbname=%s user=" H_APP_ROLE,
             c->sockdir, c->port, out->name);
    snprintf(out->owner_conninfo, sizeof out->owner_conninfo,
             "host=%s port=%u dbname=%s user=" H_OWNER_ROLE, c->sockdir, c->port, out->name);
}

/*
 * The superuser's connection to one test database, kept open between queries.  A new
 * connection starts with cold catalog caches: parsing test_roles's snapshot query on one took
 * ~20 ms, and a shard of the role matrix spent 80 % of its time opening connections and
 * parsing.  A mutex guards it for tests that query from several threads; when it has broken (a
 * test stopped its cluster, or a backend was terminated) it is made again and the statement
 * sent once more, which is safe because a dead connection ran nothing.
 */
static pthread_mutex_t super_lock = PTHREAD_MUTEX_INITIALIZER;
static PGconn *super_pg;
static char super_key[2 * PATH_MAX];

/* simple: the simple query protocol (several statements allowed), else PQexecParams. */
static PGresult *super_exec(const struct h_db *db, bool simple, const char *sql, int nparams,
                            const char *const *params)
{
    char key[sizeof super_key];
    snprintf(key, sizeof key, "%s:%u:%s", db->cluster->sockdir, db->cluster->port, db->name);
    pthread_mutex_lock(&super_lock);
    PGresult *res = NULL;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (super_pg && (strcmp(super_key, key) != 0 || PQstatus(super_pg) != CONNECTION_OK)) {
            PQfinish(super_pg);
            super_pg = NULL;
        }
        if (!super_pg) {
            super_pg = connect_super(db->cluster, db->name);
            snprintf(super_key, sizeof super_key, "%s", key);
        }
        res = simple ? PQexec(super_pg, sql)
                     : PQexecParams(super_pg, sql, nparams, NULL, params, NULL, NULL, 0);
        if (PQstatus(super_pg) == CONNECTION_OK)
            break;
        PQclear(res);
        res = NULL;
    }
    pthread_mutex_unlock(&super_lock);
    if (!res)
        h_fail("%.2000s: the superuser's connection broke twice", sql);
    return res;
}

/* Close the kept connection (before a cluster stops or goes). */
static void super_close(void)
{
    pthread_mutex_lock(&super_lock);
    PQfinish(super_pg);
    super_pg = NULL;
    pthread_mutex_unlock(&super_lock);
}

char *h_db_query_super(const struct h_db *db, const char *sql)
{
    return h_db_query_super_params(db, sql, 0, NULL);
}

char *h_db_query_super_params(const struct h_db *db, const char *sql, int nparams,
                              const char *const *params)
{
    PGresult *res = super_exec(db, false, sql, nparams, params);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        h_fail("%s: %s", sql, PQresultErrorMessage(res));
    char *v;
    if (PQntuples(res) == 0)
        v = strdup("");
    else if (PQgetisnull(res, 0, 0))
        v = NULL;
    else
        v = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return v;
}

char *h_db_dump(const struct h_db *db)
{
    char bin[PATH_MAX + 16];
    snprintf(bin, sizeof bin, "%s/pg_dump", db->cluster->bindir);
    char *cmd = h_strf("'%s' --no-password -h '%s' -p %u -U '%s' -d '%s'", bin,
                       db->cluster->sockdir, db->cluster->port, db->cluster->superuser, db->name);
    FILE *p = popen(cmd, "r");
    if (!p)
        h_fail("popen %s failed", cmd);
    size_t cap = 1 << 16, len = 0, n;
    char *buf = malloc(cap);
    if (!buf)
        h_fail("out of memory");
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf)
                h_fail("out of memory");
        }
    }
    buf[len] = '\0';
    int st = pclose(p);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        h_fail("%s failed (%d)", cmd, st);
    free(cmd);
    return buf;
}

static unsigned free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        h_fail("could not find a free port: %s", strerror(errno));
    close(fd);
    return ntohs(a.sin_port);
}

static void set_server_env(const struct h_server *s)
{
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", s->port);
    setenv("DATABASE_URL", s->db->conninfo, 1);
    setenv("MCRED_MIGRATE_DATABASE_URL", s->db->owner_conninfo, 1);
    setenv("MCRED_LISTEN", listen, 1);
    setenv("MCRED_MASTER_KEY", s->master_key, 1);
    setenv("MCRED_THREADS", "4", 0);
}

/* fork + exec with stdout/stderr to files; returns the child's pid. */
static pid_t spawn(const char *const *argv, const char *const *extra_env, const struct h_server *s,
                   const char *out_path, const char *err_path)
{
    pid_t pid = fork();
    if (pid < 0)
        h_fail("fork: %s", strerror(errno));
    if (pid > 0)
        return pid;
    if (s)
        set_server_env(s);
    /* "NAME=" unsets NAME; anything else is set as given */
    for (const char *const *e = extra_env; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (eq && eq[1] == '\0') {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(eq - *e), *e);
            unsetenv(name);
        } else {
            putenv((char *)*e);
        }
    }
    int devnull = open("/dev/null", O_RDONLY);
    int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path ? err_path : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (devnull < 0 || out < 0 || err < 0)
        _exit(126);
    dup2(devnull, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(argv[0], (char *const *)argv);
    _exit(127);
}

static int wait_exit(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            h_fail("waitpid: %s", strerror(errno));
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        h_fail("out of memory");
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

static void temp_path(char out[PATH_MAX], const char *what)
{
    snprintf(out, PATH_MAX, "/tmp/mcred-%s.XXXXXX", what);
    int fd = mkstemp(out);
    if (fd < 0)
        h_fail("mkstemp: %s", strerror(errno));
    close(fd);
}

static void live_pid_add(pid_t pid)
{
    live_owner = getpid();
    for (int i = 0; i < H_MAX_LIVE; i++)
        if (!live_servers[i]) {
            live_servers[i] = pid;
            return;
        }
}

static void live_pid_remove(pid_t pid)
{
    for (int i = 0; i < H_MAX_LIVE; i++)
        if (live_servers[i] == pid)
            live_servers[i] = 0;
}

/* Start a server with this master key (hex), or a new random one when key is NULL, on this port
 * (0: a free one). */
static void server_start(const struct h_db *db, const char *const *extra_env, const char *key,
                         unsigned port, struct h_server *out)
{
    memset(out, 0, sizeof *out);
    out->db = db;
    out->port = port ? port : free_port();
    snprintf(out->url, sizeof out->url, "http://127.0.0.1:%u", out->port);
    if (key) {
        snprintf(out->master_key, sizeof out->master_key, "%s", key);
    } else {
        unsigned char raw[32];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(out->master_key, sizeof out->master_key, raw, sizeof raw);
    }
    temp_path(out->log_path, "server-log");
    const char *argv[] = {MCRED_SERVER_BIN, "serve", NULL};
    out->pid = spawn(argv, extra_env, out, NULL, out->log_path);
    live_pid_add(out->pid);
    for (int i = 0; i < 200; i++) {
        int st;
        if (waitpid(out->pid, &st, WNOHANG) == out->pid) {
            char *log = read_file(out->log_path);
            h_fail("mcred-server exited at start:\n%s", log);
        }
        struct h_response r;
        h_http(out, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
        long status = r.status;
        h_response_free(&r);
        if (status == 200)
            return;
        sleep_ms(50);
    }
    h_fail("mcred-server did not answer /healthz within 10 s (log: %s)", out->log_path);
}

void h_server_start(const struct h_db *db, const char *const *extra_env, struct h_server *out)
{
    server_start(db, extra_env, NULL, 0, out);
}

void h_server_start_like(const struct h_server *model, const char *const *extra_env,
                         struct h_server *out)
{
    server_start(model->db, extra_env, model->master_key, 0, out);
}

void h_server_restart(struct h_server *s, const char *const *extra_env)
{
    if (s->pid > 0)
        h_fail("h_server_restart: the server (pid %d) is still running", (int)s->pid);
    const struct h_db *db = s->db;
    unsigned port = s->port;
    char key[sizeof s->master_key];
    snprintf(key, sizeof key, "%s", s->master_key);
    server_start(db, extra_env, key, port, s);
}

void h_server_kill(struct h_server *s)
{
    if (s->pid <= 0)
        return;
    kill(s->pid, SIGKILL);
    (void)wait_exit(s->pid);
    live_pid_remove(s->pid);
    s->pid = 0;
    unlink(s->log_path);
}

int h_server_stop(struct h_server *s)
{
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    int status = wait_exit(s->pid);
    live_pid_remove(s->pid);
    s->pid = 0;
    char *log = read_file(s->log_path);
    /* sanitizer reports go to stderr: surface them, and fail on them */
    if (strstr(log, "ERROR: AddressSanitizer") || strstr(log, "runtime error:") ||
        strstr(log, "ERROR: LeakSanitizer")) {
        fprintf(stderr, "%s\n", log);
        h_fail("mcred-server reported a sanitizer error");
    }
    free(log);
    unlink(s->log_path);
    return status;
}

int h_server_command_env(const struct h_server *s, const char *const *argv,
                         const char *const *extra_env, char **out_stdout, char **out_stderr)
{
    const char *full[16] = {MCRED_SERVER_BIN};
    size_t n = 1;
    for (; argv[n - 1] && n < 15; n++)
        full[n] = argv[n - 1];
    full[n] = NULL;
    char out_path[PATH_MAX], err_path[PATH_MAX];
    temp_path(out_path, "cmd-out");
    temp_path(err_path, "cmd-err");
    int status = wait_exit(spawn(full, extra_env, s, out_path, err_path));
    char *err = read_file(err_path);
    if (strstr(err, "AddressSanitizer") || strstr(err, "runtime error:"))
        h_fail("mcred-server %s reported a sanitizer error:\n%s", argv[0], err);
    if (out_stderr)
        *out_stderr = err;
    else
        free(err);
    if (out_stdout)
        *out_stdout = read_file(out_path);
    unlink(out_path);
    unlink(err_path);
    return status;
}

int h_server_command(const struct h_server *s, const char *const *argv, char **out_stdout)
{
    return h_server_command_env(s, argv, NULL, out_stdout, NULL);
}

char *h_bootstrap(const struct h_server *s, const char *slug, const char *email)
{
    const char *argv[] = {"bootstrap",     "--org",         slug,  "--name",
                          "Test District", "--admin-email", email, NULL};
    char *out = NULL;
    int st = h_server_command(s, argv, &out);
    if (st != 0)
        h_fail("bootstrap %s failed with %d: %s", slug, st, out);
    /* the token is alone on the last line */
    size_t len = strlen(out);
    while (len > 0 && out[len - 1] == '\n')
        out[--len] = '\0';
    char *last = strrchr(out, '\n');
    char *token = strdup(last ? last + 1 : out);
    free(out);
    return token;
}

struct h_buf {
    char *data;
    size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
    struct h_buf *b = arg;
    size_t add = size * n;
    char *grown = realloc(b->data, b->len + add + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->len, p, add);
    b->len += add;
    grown[b->len] = '\0';
    b->data = grown;
    return add;
}

void h_http(const struct h_server *s, const char *method, const char *path, const char *token,
            const char *content_type, const char *body, size_t body_len, struct h_response *out)
{
    h_http_headers(s, method, path, token, content_type, body, body_len, NULL, out);
}

/* With h_http_keep_alive(true), each thread keeps one handle, and with it its connection. */
static bool keep_alive;
static _Thread_local CURL *kept_curl;

void h_http_keep_alive(bool on)
{
    keep_alive = on;
}

static CURL *http_handle(void)
{
    if (!keep_alive)
        return curl_easy_init();
    if (kept_curl)
        curl_easy_reset(kept_curl); /* options go; the connection cache stays */
    else
        kept_curl = curl_easy_init();
    return kept_curl;
}

void h_http_headers(const struct h_server *s, const char *method, const char *path,
                    const char *token, const char *content_type, const char *body, size_t body_len,
                    const char *const *extra, struct h_response *out)
{
    memset(out, 0, sizeof *out);
    CURL *curl = http_handle();
    if (!curl)
        h_fail("curl_easy_init failed");
    char url[2048 + 64], auth[256], ct[256];
    struct curl_slist *headers = NULL;
    struct h_buf bodybuf = {0}, headbuf = {0};
    snprintf(url, sizeof url, "%s%s", s->url, path);
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        headers = curl_slist_append(headers, auth);
    }
    if (content_type) {
        snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
        headers = curl_slist_append(headers, ct);
    }
    headers = curl_slist_append(headers, "Expect:");
    for (const char *const *h = extra; h && *h; h++)
        headers = curl_slist_append(headers, *h);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &bodybuf);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &headbuf);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    else
        out->status = 0; /* no answer (e.g. the server is not up yet) */
    curl_slist_free_all(headers);
    if (curl != kept_curl)
        curl_easy_cleanup(curl);
    if (rc != CURLE_OK) { /* what the failure was, for the test's message */
        free(bodybuf.data);
        bodybuf.data = h_strf("(no answer: %s)", curl_easy_strerror(rc));
    }
    out->body = bodybuf.data ? bodybuf.data : strdup("");
    out->headers = headbuf.data ? headbuf.data : strdup("");
    out->json = cJSON_Parse(out->body);
}

void h_response_free(struct h_response *r)
{
    free(r->body);
    free(r->headers);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

char *h_response_header(const struct h_response *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            return strndup(v, (size_t)(line + len - v));
        }
        line = end ? end + 2 : NULL;
    }
    return NULL;
}

int h_cli(const char *url, const char *token, const char *const *argv, char **out_stdout,
          char **out_stderr)
{
    static char home[PATH_MAX];
    if (!home[0]) {
        snprintf(home, sizeof home, "/tmp/mcred-home.XXXXXX");
        if (!mkdtemp(home))
            h_fail("mkdtemp: %s", strerror(errno));
    }
    char env_url[256], env_token[256], env_home[PATH_MAX + 8];
    /* NULL leaves the variable unset ("NAME=" unsets, see spawn) */
    snprintf(env_url, sizeof env_url, "MCRED_URL=%s", url ? url : "");
    snprintf(env_token, sizeof env_token, "MCRED_TOKEN=%s", token ? token : "");
    snprintf(env_home, sizeof env_home, "HOME=%s", home);
    /* a test may point XDG_CONFIG_HOME at a config file of its own */
    const char *xdg = getenv("XDG_CONFIG_HOME") ? "COLUMNS=200" : "XDG_CONFIG_HOME=";
    const char *env[] = {env_url, env_token, env_home, xdg, "COLUMNS=200", NULL};
    const char *full[32] = {MCRED_CLI_BIN};
    size_t n = 1;
    for (; argv[n - 1] && n < 31; n++)
        full[n] = argv[n - 1];
    full[n] = NULL;
    char out_path[PATH_MAX], err_path[PATH_MAX];
    temp_path(out_path, "cli-out");
    temp_path(err_path, "cli-err");
    int status = wait_exit(spawn(full, env, NULL, out_path, err_path));
    char *out = read_file(out_path), *err = read_file(err_path);
    unlink(out_path);
    unlink(err_path);
    if (strstr(err, "AddressSanitizer") || strstr(err, "runtime error:"))
        h_fail("mcred reported a sanitizer error:\n%s", err);
    if (out_stdout)
        *out_stdout = out;
    else
        free(out);
    if (out_stderr)
        *out_stderr = err;
    else
        free(err);
    return status;
}

const char *h_json_string(const cJSON *root, const char *path)
{
    const cJSON *node = h_json_at(root, path);
    return cJSON_IsString(node) ? node->valuestring : NULL;
}

void h_send_json(const struct h_server *s, const char *method, const char *path, const char *token,
                 const char *body, struct h_response *out)
{
    h_http(s, method, path, token, "application/json", body, body ? strlen(body) : 0, out);
}

void h_post_json(const struct h_server *s, const char *path, const char *token, const char *body,
                 struct h_response *out)
{
    h_send_json(s, "POST", path, token, body, out);
}

char *h_strf(const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *out = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!out)
        h_fail("out of memory");
    vsnprintf(out, (size_t)n + 1, fmt, again);
    va_end(again);
    return out;
}

char *h_file_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 4096, got = 0;
    char *buf = malloc(cap);
    if (!buf)
        h_fail("out of memory");
    if (f) {
        size_t n;
        while ((n = fread(buf + got, 1, cap - got - 1, f)) > 0) {
            got += n;
            if (cap - got < 2) {
                cap *= 2;
                char *grown = realloc(buf, cap);
                if (!grown)
                    h_fail("out of memory");
                buf = grown;
            }
        }
        fclose(f);
    }
    buf[got] = '\0';
    if (len)
        *len = got;
    return buf;
}

long h_db_long_super(const struct h_db *db, const char *sql)
{
    char *v = h_db_query_super(db, sql);
    char *end = NULL;
    long n = v ? strtol(v, &end, 10) : 0;
    if (!v || end == v || *end != '\0')
        h_fail("%s: not a number: %s", sql, v ? v : "NULL");
    free(v);
    return n;
}

const cJSON *h_json_at(const cJSON *root, const char *path)
{
    const cJSON *node = root;
    while (node && *path) {
        if (*path == '.') {
            path++;
            continue;
        }
        if (*path == '[') {
            char *end = NULL;
            long i = strtol(path + 1, &end, 10);
            if (!end || *end != ']' || i < 0)
                return NULL;
            node = cJSON_IsArray(node) ? cJSON_GetArrayItem(node, (int)i) : NULL;
            path = end + 1;
            continue;
        }
        size_t n = strcspn(path, ".[");
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        node = cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, key) : NULL;
        path += n;
    }
    return node;
}

long h_json_long(const cJSON *root, const char *path)
{
    const cJSON *v = h_json_at(root, path);
    if (!cJSON_IsNumber(v)) {
        char *text = root ? cJSON_PrintUnformatted(root) : NULL;
        fail_msg("no number at %s in %.2000s", path, text ? text : "(nothing)");
    }
    return (long)v->valuedouble;
}

void h_call(const struct h_server *s, const char *method, const char *path, const char *token,
            const char *body, long want, struct h_response *out)
{
    if (body)
        h_send_json(s, method, path, token, body, out);
    else
        h_http(s, method, path, token, NULL, NULL, 0, out);
    if (out->status != want)
        /* the answer first: cmocka cuts long messages */
        fail_msg("%s %s: got %ld, want %ld; answer: %.1000s%s%.1000s", method, path, out->status,
                 want, out->body, body ? "; sent: " : "", body ? body : "");
}

static bool contains_at(const cJSON *got, const cJSON *want, char *path, size_t cap)
{
    size_t len = strlen(path);
    if (cJSON_IsObject(want)) {
        if (!cJSON_IsObject(got))
            return false;
        const cJSON *w;
        cJSON_ArrayForEach(w, want)
        {
            snprintf(path + len, cap - len, "%s%s", len ? "." : "", w->string);
            if (!contains_at(cJSON_GetObjectItemCaseSensitive(got, w->string), w, path, cap))
                return false;
            path[len] = '\0';
        }
        return true;
    }
    if (cJSON_IsArray(want)) {
        if (!cJSON_IsArray(got) || cJSON_GetArraySize(got) != cJSON_GetArraySize(want))
            return false;
        for (int i = 0; i < cJSON_GetArraySize(want); i++) {
            snprintf(path + len, cap - len, "[%d]", i);
            if (!contains_at(cJSON_GetArrayItem(got, i), cJSON_GetArrayItem(want, i), path, cap))
                return false;
            path[len] = '\0';
        }
        return true;
    }
    if (cJSON_IsString(want))
        return cJSON_IsString(got) && strcmp(got->valuestring, want->valuestring) == 0;
    if (cJSON_IsNumber(want))
        return cJSON_IsNumber(got) && got->valuedouble == want->valuedouble;
    if (cJSON_IsBool(want))
        return cJSON_IsBool(got) && cJSON_IsTrue(got) == cJSON_IsTrue(want);
    if (cJSON_IsNull(want))
        return cJSON_IsNull(got);
    return false;
}

bool h_json_contains(const cJSON *got, const cJSON *want, char *where, size_t where_len)
{
    char path[1024] = "";
    bool same = contains_at(got, want, path, sizeof path);
    if (where && where_len)
        snprintf(where, where_len, "%s", same ? "" : (*path ? path : "(top)"));
    return same;
}

char *h_person(const struct h_server *s, const char *admin_token, const char *email,
               const char *name, const char *org_role)
{
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "email", email);
    cJSON_AddStringToObject(body, "name", name);
    if (org_role)
        cJSON_AddStringToObject(body, "org_role", org_role);
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    struct h_response r;
    h_call(s, "POST", "/v1/people", admin_token, text, 201, &r);
    const char *id = h_json_string(r.json, "id");
    if (!id)
        fail_msg("POST /v1/people %s: no id in %s", text, r.body);
    char *out = strdup(id);
    h_response_free(&r);
    free(text);
    return out;
}

char *h_token_for(const struct h_server *s, const char *admin_token, const char *person_id)
{
    static unsigned n;
    char *body = h_strf("{\"name\": \"test token %u\", \"person\": \"%s\"}", ++n, person_id);
    struct h_response r;
    h_call(s, "POST", "/v1/tokens", admin_token, body, 201, &r);
    const char *token = h_json_string(r.json, "token");
    if (!token)
        fail_msg("POST /v1/tokens: no token in %s", r.body);
    char *out = strdup(token);
    h_response_free(&r);
    free(body);
    return out;
}

/* The SQL of an organisation's snapshot: the tables h_org_snapshot knows, then `extra` (a
 * comma-separated list of other tables of schema mcred with an org_id column, or NULL), each as
 * a count and a hash of its rows.  (malloc'd) */
static char *snapshot_sql(const char *org_slug, const char *extra)
{
    /* table, what of a row counts, order; a token's last_used_at changes with every request */
    static const char *const tables[][3] = {
        {"people", "t::text", "t.id"},
        {"tokens", "(t.id, t.person_id, t.name, t.expires_at, t.revoked_at)::text", "t.id"},
        {"credentials", "t::text", "t.id"},
        {"standards", "t::text", "t.credential_id, t.code"},
        {"indicators", "t::text", "t.credential_id, t.code"},
        {"cohorts", "t::text", "t.id"},
        {"members", "t::text", "t.cohort_id, t.person_id"},
        {"sessions", "t::text", "t.id"},
        {"attendance", "t::text", "t.session_id, t.person_id"},
    };
    size_t cap = 8192 + (extra ? 256 * (strlen(extra) + 1) : 0);
    char *sql = malloc(cap);
    if (!sql)
        h_fail("out of memory");
    size_t len = (size_t)snprintf(
        sql, cap,
        "WITH o AS (SELECT id FROM mcred.orgs WHERE slug = '%s') SELECT concat_ws(' | ',"
        " 'audit ' || (SELECT count(*) FROM mcred.audit t, o WHERE t.org_id = o.id),"
        " 'events ' || (SELECT count(*) FROM mcred.events t, o WHERE t.org_id = o.id)",
        org_slug);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        len += (size_t)snprintf(sql + len, cap - len,
                                ", '%s ' || (SELECT count(*) || ' ' || coalesce(md5(string_agg("
                                "%s, ',' ORDER BY %s)), '-') FROM mcred.%s t, o"
                                " WHERE t.org_id = o.id)",
                                tables[i][0], tables[i][1], tables[i][2], tables[i][0]);
    for (const char *t = extra; t && *t;) {
        size_t n = strcspn(t, ",");
        len += (size_t)snprintf(sql + len, cap - len,
                                ", '%.*s ' || (SELECT count(*) || ' ' || coalesce(md5(string_agg("
                                "t::text, ',' ORDER BY t::text)), '-') FROM mcred.\"%.*s\" t, o"
                                " WHERE t.org_id = o.id)",
                                (int)n, t, (int)n, t);
        t += n + (t[n] == ',');
    }
    snprintf(sql + len, cap - len, ")");
    return sql;
}

char *h_org_snapshot(const struct h_db *db, const char *org_slug)
{
    char *sql = snapshot_sql(org_slug, NULL);
    char *v = h_db_query_super(db, sql);
    if (!v)
        h_fail("no snapshot of organisation %s", org_slug);
    free(sql);
    return v;
}

char *h_org_snapshot_all(const struct h_db *db, const char *org_slug)
{
    /* the other tables, looked up once per database (the schema does not change under a test) */
    static char tables_of[64];
    static char *tables;
    if (!tables || !*tables || strcmp(tables_of, db->name) != 0) {
        free(tables);
        tables = h_db_query_super(
            db, "SELECT coalesce(string_agg(t.table_name, ',' ORDER BY t.table_name), '')"
                " FROM information_schema.tables t"
                " WHERE t.table_schema = 'mcred' AND t.table_type = 'BASE TABLE'"
                " AND t.table_name NOT IN ('people', 'tokens', 'credentials', 'standards',"
                " 'indicators', 'cohorts', 'members', 'sessions', 'attendance', 'audit', 'events')"
                " AND EXISTS (SELECT 1 FROM information_schema.columns c"
                " WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name"
                " AND c.column_name = 'org_id')");
        snprintf(tables_of, sizeof tables_of, "%s", db->name);
    }
    char *sql = snapshot_sql(org_slug, tables);
    char *v = h_db_query_super(db, sql);
    if (!v)
        h_fail("no snapshot of organisation %s", org_slug);
    free(sql);
    return v;
}

void h_db_exec_super(const struct h_db *db, const char *sql)
{
    PGresult *res = super_exec(db, true, sql, 0, NULL);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        h_fail("%.2000s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
    /* what may follow a statement run here (ALTER DATABASE … SET, SET …) is a new session's
     * settings: the next query starts one */
    super_close();
}

cJSON *h_org_events(const struct h_db *db, const char *org_slug, const char *type)
{
    char *sql = h_strf("SELECT coalesce(json_agg(e.payload ORDER BY e.seq), '[]')::text"
                       " FROM mcred.events e JOIN mcred.orgs o ON o.id = e.org_id"
                       " WHERE o.slug = '%s' AND e.type = '%s'",
                       org_slug, type);
    char *text = h_db_query_super(db, sql);
    cJSON *list = text ? cJSON_Parse(text) : NULL;
    if (!list)
        h_fail("%s: %s", sql, text ? text : "NULL");
    free(text);
    free(sql);
    return list;
}

#ifdef MCRED_RECEIVER_BIN
void h_receiver_start(const char *const *options, struct h_receiver *out)
{
    memset(out, 0, sizeof *out);
    temp_path(out->secrets_path, "receiver-secrets");
    temp_path(out->log_path, "receiver-log");
    temp_path(out->out_path, "receiver-out");
    char err_path[PATH_MAX];
    temp_path(err_path, "receiver-err");
    const char *argv[24] = {MCRED_RECEIVER_BIN, "--secrets", out->secrets_path, "--log",
                            out->log_path};
    size_t n = 5;
    for (; options && options[n - 5] && n < 23; n++)
        argv[n] = options[n - 5];
    argv[n] = NULL;
    out->pid = spawn(argv, NULL, NULL, out->out_path, err_path);
    live_pid_add(out->pid);
    for (int i = 0; i < 200; i++) {
        char *text = read_file(out->out_path);
        unsigned port = 0;
        bool ready = sscanf(text, "port %u", &port) == 1 && port > 0;
        free(text);
        if (ready) {
            out->port = port;
            snprintf(out->url, sizeof out->url, "http://127.0.0.1:%u/hooks", port);
            unlink(err_path);
            return;
        }
        int st;
        if (waitpid(out->pid, &st, WNOHANG) == out->pid) {
            char *err = read_file(err_path);
            h_fail("mcred-test-receiver exited at start:\n%s", err);
        }
        sleep_ms(50);
    }
    h_fail("mcred-test-receiver did not print its port within 10 s");
}

void h_receiver_add_secret(const struct h_receiver *r, const char *secret)
{
    FILE *f = fopen(r->secrets_path, "a");
    if (!f || fprintf(f, "%s\n", secret) < 0 || fclose(f) != 0)
        h_fail("could not write %s", r->secrets_path);
}

int h_receiver_stop(struct h_receiver *r)
{
    if (r->pid <= 0)
        return -1;
    kill(r->pid, SIGTERM);
    int status = wait_exit(r->pid);
    live_pid_remove(r->pid);
    r->pid = 0;
    unlink(r->secrets_path);
    unlink(r->log_path);
    unlink(r->out_path);
    return status;
}

size_t h_receiver_log(const struct h_receiver *r, struct h_received **out)
{
    char *text = read_file(r->log_path);
    size_t cap = 64, n = 0;
    struct h_received *rows = malloc(cap * sizeof *rows);
    if (!rows)
        h_fail("out of memory");
    for (char *line = text, *next; *line; line = next) {
        next = strchr(line, '\n');
        if (!next) /* a line still being written */
            break;
        *next++ = '\0';
        if (n == cap) {
            cap *= 2;
            rows = realloc(rows, cap * sizeof *rows);
            if (!rows)
                h_fail("out of memory");
        }
        struct h_received *row = &rows[n];
        memset(row, 0, sizeof *row);
        if (sscanf(line, "%79[^\t]\t%d\t%d\t%63[^\t]\t%lld\t%d", row->id, &row->verified,
                   &row->status, row->type, &row->timestamp, &row->attempt) != 6)
            h_fail("receiver log line not understood: %s", line);
        n++;
    }
    free(text);
    *out = rows;
    return n;
}
#endif

void h_page(const struct h_server *s, const char *method, const char *path, const char *session,
            const char *form, struct h_response *out)
{
    char *cookie = session ? h_strf("Cookie: mcred_session=%s", session) : NULL;
    const char *headers[] = {cookie, NULL};
    h_http_headers(s, method, path, NULL, form ? "application/x-www-form-urlencoded" : NULL, form,
                   form ? strlen(form) : 0, cookie ? headers : NULL, out);
    free(cookie);
}

char *h_signin(const struct h_server *s, const char *secret)
{
    char *form = h_strf("secret=%s", secret);
    struct h_response r;
    h_page(s, "POST", "/signin", NULL, form, &r);
    free(form);
    char *set = h_response_header(&r, "Set-Cookie");
    if (!set || strncmp(set, "mcred_session=mcs_", strlen("mcred_session=mcs_")) != 0)
        h_fail("POST /signin answered %ld without a session cookie: %.300s", r.status, r.body);
    char *value =
        strndup(set + strlen("mcred_session="), strcspn(set, ";") - strlen("mcred_session="));
    free(set);
    h_response_free(&r);
    if (!value)
        h_fail("out of memory");
    return value;
}

char *h_page_csrf(const struct h_response *page)
{
    static const char marker[] = "name=\"csrf\" value=\"";
    const char *at = page->body ? strstr(page->body, marker) : NULL;
    if (!at)
        return NULL;
    at += strlen(marker);
    return strndup(at, strcspn(at, "\""));
}
