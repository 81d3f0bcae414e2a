/*
 * test_term_files.c — files and bodies whatever they hold (issue 11): the
 * real CLI and raw HTTP against the real server.
 *
 *   1. The files a coordinator really has — UTF-16 LE with a byte-order
 *      mark, UTF-16 BE without one, Latin-1, semicolon- and tab-separated,
 *      an .xlsx workbook — given to `mcred people import`, `mcred member
 *      import`, `mcred attendance import` and `mcred score import`: one
 *      line that names the cause and the fix, exit 1, nothing sent,
 *      nothing written.  The same files POSTed to the two CSV routes: 422
 *      with a JSON body saying the same, nothing written.  A file with a
 *      UTF-8 byte-order mark is accepted.
 *   2. Hostile bytes (invalid UTF-8, NUL, overlong forms, encoded
 *      surrogates, UTF-16) in path segments, query strings, JSON member
 *      names and values, CSV headers and cells: every error body is valid
 *      UTF-8 JSON of the error shape, and the CLI prints its message.
 *   3. A credential with five problems: `mcred credential import` prints
 *      a line for each (its JSON path) and POST /v1/credentials answers
 *      all of them in "errors", nothing written.
 *   4. `mcred webhook add --help` lists the event types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define SEED MCRED_FIXTURES_DIR "/equity-excellence.json"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;
static const char *const org_slug = "files";
static char *admin, *coordinator, *credential, *cohort;

/* ---- helpers ---- */

static cJSON *call(const char *method, const char *path, const char *tok, const char *body,
                   long want)
{
    struct h_response r;
    h_call(&server, method, path, tok, body, want, &r);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

static char *snapshot(void)
{
    return h_org_snapshot_all(&db, org_slug);
}

struct file {
    char *data;
    size_t len;
};

static struct file file_of(const char *text)
{
    struct file f = {.data = strdup(text), .len = strlen(text)};
    assert_non_null(f.data);
    return f;
}

/* text (ASCII) as UTF-16: LE or BE, with or without a byte-order mark */
static struct file utf16(const char *text, bool le, bool bom)
{
    size_t n = strlen(text);
    struct file f = {.data = malloc(2 * n + 2)};
    assert_non_null(f.data);
    if (bom) {
        f.data[f.len++] = le ? '\xFF' : '\xFE';
        f.data[f.len++] = le ? '\xFE' : '\xFF';
    }
    for (size_t i = 0; i < n; i++) {
        f.data[f.len++] = le ? text[i] : '\0';
        f.data[f.len++] = le ? '\0' : text[i];
    }
    return f;
}

/* text with every ',' replaced by c */
static struct file separated(const char *text, char c)
{
    struct file f = file_of(text);
    for (size_t i = 0; i < f.len; i++)
        if (f.data[i] == ',')
            f.data[i] = c;
    return f;
}

static char *write_temp(const struct file *f, const char *suffix)
{
    char *path = h_strf("/tmp/mcred-files.XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    assert_int_equal(write(fd, f->data, f->len), (ssize_t)f->len);
    close(fd);
    return path;
}

static void expect_in(const char *text, const char *want, const char *what)
{
    if (!text || !strstr(text, want))
        fail_msg("%s does not say \"%s\":\n%s", what, want, text ? text : "(nothing)");
}

static void expect_not_in(const char *text, const char *unwanted, const char *what)
{
    if (text && strstr(text, unwanted))
        fail_msg("%s says \"%s\":\n%s", what, unwanted, text);
}

/* Is s well-formed UTF-8 with no NUL (it is a C string)? */
static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80                    ? 1
                   : (*p >= 0xC2 && *p <= 0xDF) ? 2
                   : (*p >= 0xE0 && *p <= 0xEF) ? 3
                   : (*p >= 0xF0 && *p <= 0xF4) ? 4
                                                : 0;
        if (n == 0)
            return false;
        unsigned char lo = 0x80, hi = 0xBF;
        if (*p == 0xE0)
            lo = 0xA0;
        if (*p == 0xED)
            hi = 0x9F;
        if (*p == 0xF0)
            lo = 0x90;
        if (*p == 0xF4)
            hi = 0x8F;
        if (n > 1 && (p[1] < lo || p[1] > hi))
            return false;
        for (size_t k = 2; k < n; k++)
            if ((p[k] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

/* An error answer: valid UTF-8, JSON of the error shape, with the status wanted (0: any 4xx). */
static void expect_error_body(const struct h_response *r, long want, const char *what)
{
    if ((want && r->status != want) || (!want && (r->status < 400 || r->status > 499)))
        fail_msg("%s: got %ld, want %ld: %.600s", what, r->status, want, r->body);
    if (!utf8_ok(r->body))
        fail_msg("%s: the error body is not UTF-8: %.600s", what, r->body);
    if (!r->json || !h_json_string(r->json, "error.code") ||
        !h_json_string(r->json, "error.message"))
        fail_msg("%s: the error body is not of the error shape: %.600s", what, r->body);
}

/* ---- setup ---- */

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    const char *env[] = {"MCRED_WEBHOOK_ALLOW_PRIVATE=1", "MCRED_WEBHOOK_ALLOW_HTTP=1", NULL};
    h_server_start(&db, env, &server);
    admin = h_bootstrap(&server, org_slug, "admin@files.example");
    char *id = h_person(&server, admin, "maria.lopez@files.example", "María López", "coordinator");
    coordinator = h_token_for(&server, admin, id);
    free(id);
    char *seed = h_file_read(SEED, NULL);
    cJSON *j = call("POST", "/v1/credentials", coordinator, seed, 201);
    credential = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(seed);
    char *path = h_strf("/v1/credentials/%s/publish", credential);
    cJSON_Delete(call("POST", path, coordinator, NULL, 200));
    free(path);
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Files\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-13\", \"timezone\": "
                        "\"America/Chicago\", \"capacity\": 20, \"min_learners\": 1}",
                        credential);
    j = call("POST", "/v1/cohorts", coordinator, body, 201);
    cohort = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    free(admin);
    free(coordinator);
    free(credential);
    free(cohort);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* ---- 1. files that are not CSV UTF-8 ---- */

struct import {
    const char *name;
    const char *csv;     /* a good file's text (ASCII, two data rows) */
    const char *verb[3]; /* noun, verb, and the argument before FILE (or NULL) */
    const char *route;   /* the server's CSV route, or NULL (the CLI sends JSON) */
};

struct bad_file {
    const char *name;
    const char *suffix;
    struct file (*make)(const char *csv);
    const char *cause;
    const char *fix;
};

static struct file make_utf16le_bom(const char *csv)
{
    return utf16(csv, true, true);
}
static struct file make_utf16be(const char *csv)
{
    return utf16(csv, false, false);
}
static struct file make_latin1(const char *csv)
{
    /* the second row's last cell gets an e-acute in Latin-1: row 3 */
    struct file f = file_of(csv);
    char *third = strchr(strchr(f.data, '\n') + 1, '\n') + 1;
    char *end = strchr(third, '\n');
    size_t at = (size_t)(end - f.data);
    char *grown = malloc(f.len + 2);
    assert_non_null(grown);
    memcpy(grown, f.data, at);
    grown[at] = '\xE9';
    memcpy(grown + at + 1, f.data + at, f.len - at + 1);
    free(f.data);
    f.data = grown;
    f.len++;
    return f;
}
static struct file make_semicolons(const char *csv)
{
    return separated(csv, ';');
}
static struct file make_tabs(const char *csv)
{
    return separated(csv, '\t');
}
static struct file make_xlsx(const char *csv)
{
    static const char xlsx[] = "PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0\x62\xEE\x9D\x68\x5E\x01\0\0"
                               "[Content_Types].xml\xAD\x92\xCB\x4E\xC3\x30\x10\x45\xF7\x48"
                               "PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0xl/workbook.xml\0\xFF\xFE";
    (void)csv;
    struct file f = {.data = malloc(sizeof xlsx), .len = sizeof xlsx - 1};
    assert_non_null(f.data);
    memcpy(f.data, xlsx, sizeof xlsx);
    return f;
}

static const struct bad_file bad_files[] = {
    {"UTF-16 LE with a BOM", ".csv", make_utf16le_bom, "is UTF-16 text", "save it as CSV UTF-8"},
    {"UTF-16 BE", ".csv", make_utf16be, "is UTF-16 text", "save it as CSV UTF-8"},
    {"Latin-1", ".csv", make_latin1, "is not UTF-8 (row 3 looks like Latin-1/Windows text)",
     "save it as CSV UTF-8"},
    {"semicolons", ".csv", make_semicolons, "is separated by semicolons",
     "save it as CSV (comma-separated) UTF-8"},
    {"tabs", ".txt", make_tabs, "is separated by tabs", "save it as CSV (comma-separated) UTF-8"},
    {"xlsx", ".xlsx", make_xlsx, "is an Excel workbook (.xlsx), not CSV", "save it as CSV UTF-8"},
};

static void check_cli_refuses(const struct import *im, const struct bad_file *bf)
{
    struct file f = bf->make(im->csv);
    char *path = write_temp(&f, bf->suffix);
    const char *argv[6] = {im->verb[0], im->verb[1]};
    int argc = 2;
    if (im->verb[2])
        argv[argc++] = im->verb[2];
    argv[argc++] = path;
    argv[argc] = NULL;
    char *before = snapshot();
    char *out = NULL, *err = NULL;
    int st = h_cli(server.url, coordinator, argv, &out, &err);
    char *what = h_strf("mcred %s %s with a %s file", im->verb[0], im->verb[1], bf->name);
    if (st != 1)
        fail_msg("%s: exit %d, want 1\nstdout: %s\nstderr: %s", what, st, out, err);
    expect_in(err, path, what);
    expect_in(err, bf->cause, what);
    expect_in(err, bf->fix, what);
    expect_in(err, "nothing was sent", what);
    /* one message, never two contradictory ones */
    if (strchr(err, '\n') != err + strlen(err) - 1)
        fail_msg("%s: more than one line:\n%s", what, err);
    if (bf->make == make_xlsx) {
        expect_not_in(err, "UTF-16", what);
        expect_not_in(err, "Latin-1", what);
    }
    if (out && *out)
        fail_msg("%s: printed on stdout: %s", what, out);
    char *after = snapshot();
    if (strcmp(before, after) != 0)
        fail_msg("%s: something was written", what);
    /* --json: the shape of a refused import, for scripts */
    const char *jargv[8] = {"--json"};
    for (int i = 0; argv[i]; i++)
        jargv[i + 1] = argv[i];
    free(out);
    free(err);
    out = err = NULL;
    st = h_cli(server.url, coordinator, jargv, &out, &err);
    cJSON *j = cJSON_Parse(out);
    if (st != 1 || !j || !h_json_string(j, "errors[0].message") ||
        !strstr(h_json_string(j, "errors[0].message"), bf->cause))
        fail_msg("%s --json: exit %d\nstdout: %s\nstderr: %s", what, st, out, err);
    cJSON_Delete(j);
    free(before);
    free(after);
    free(out);
    free(err);
    free(what);
    unlink(path);
    free(path);
    free(f.data);
}

static void check_server_refuses(const struct import *im, const struct bad_file *bf)
{
    struct file f = bf->make(im->csv);
    char *before = snapshot();
    struct h_response r;
    h_http(&server, "POST", im->route, coordinator, "text/csv", f.data, f.len, &r);
    char *what = h_strf("POST %s with a %s file", im->route, bf->name);
    expect_error_body(&r, 422, what);
    const char *message = h_json_string(r.json, "error.message");
    expect_in(message, "the file ", what);
    expect_in(message, bf->cause, what);
    expect_in(message, bf->fix, what);
    expect_in(message, "nothing was written", what);
    if (cJSON_GetArraySize(h_json_at(r.json, "errors")) != 1)
        fail_msg("%s: want one problem in errors: %s", what, r.body);
    expect_in(h_json_string(r.json, "errors[0].message"), bf->cause, what);
    long row = h_json_long(r.json, "errors[0].row");
    if (row != (bf->make == make_latin1 ? 3 : 1))
        fail_msg("%s: the problem is on row %ld: %s", what, row, r.body);
    char *after = snapshot();
    if (strcmp(before, after) != 0)
        fail_msg("%s: something was written", what);
    h_response_free(&r);
    free(before);
    free(after);
    free(what);
    free(f.data);
}

static void test_files_not_csv_utf8(void **state)
{
    (void)state;
    char *members_import = h_strf("/v1/cohorts/%s/members/import", cohort);
    const char *session = "00000000-0000-4000-8000-000000000001";
    const struct import imports[] = {
        {"people",
         "email,name,role\nana@files.example,Ana Ruiz,none\nbo@files.example,Bo Li,none\n",
         {"people", "import", NULL},
         "/v1/people/import"},
        {"members",
         "email,name,role\ncy@files.example,Cy Ode,learner\ndee@files.example,Dee Fox,learner\n",
         {"member", "import", cohort},
         members_import},
        {"attendance",
         "email,mode\ncy@files.example,in_person\ndee@files.example,online\n",
         {"attendance", "import", session},
         NULL},
        {"scores",
         "email,indicator,level\ncy@files.example,1.1,3\ndee@files.example,1.2,2\n",
         {"score", "import", cohort},
         NULL},
    };
    for (size_t i = 0; i < sizeof imports / sizeof imports[0]; i++)
        for (size_t k = 0; k < sizeof bad_files / sizeof bad_files[0]; k++) {
            check_cli_refuses(&imports[i], &bad_files[k]);
            if (imports[i].route)
                check_server_refuses(&imports[i], &bad_files[k]);
        }

    /* a UTF-8 byte-order mark is accepted silently, by the CLI and the server */
    struct file f = file_of("\xEF\xBB\xBF"
                            "email,name\nbom@files.example,B\xC3\xB6m\n");
    char *path = write_temp(&f, ".csv");
    const char *argv[] = {"people", "import", path, NULL};
    char *out = NULL, *err = NULL;
    int st = h_cli(server.url, coordinator, argv, &out, &err);
    if (st != 0)
        fail_msg("a file with a UTF-8 BOM: exit %d\n%s%s", st, out, err);
    expect_in(out, "1 created", "people import with a BOM");
    free(out);
    free(err);
    unlink(path);
    free(path);
    free(f.data);
    free(members_import);
}

/* ---- 2. hostile bytes wherever input is echoed ---- */

static const char *const hostile[] = {
    "\xFF\xFE",         /* a UTF-16 BOM */
    "\xC0\xAF",         /* overlong "/" */
    "\xED\xA0\x80",     /* U+D800 encoded */
    "\xF4\x90\x80\x80", /* past U+10FFFF */
    "\xE2\x82",         /* truncated */
    "\x80\xBF",         /* stray continuation bytes */
    "e\x00m\x00",       /* UTF-16 text (with NUL) */
};

static char *percent(const char *bytes, size_t n)
{
    char *out = malloc(3 * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        snprintf(out + 3 * i, 4, "%%%02X", (unsigned char)bytes[i]);
    out[3 * n] = '\0';
    return out;
}

/* prefix, n raw bytes, suffix (NUL bytes kept) into buf; returns the length */
static size_t splice(char *buf, size_t cap, const char *prefix, const char *bytes, size_t n,
                     const char *suffix)
{
    size_t a = strlen(prefix), c = strlen(suffix);
    assert_true(a + n + c < cap);
    memcpy(buf, prefix, a);
    memcpy(buf + a, bytes, n);
    memcpy(buf + a + n, suffix, c + 1);
    return a + n + c;
}

static size_t hostile_len(size_t i)
{
    return i == 6 ? 4 : strlen(hostile[i]);
}

static void test_error_bodies_are_utf8_json(void **state)
{
    (void)state;
    char *before = snapshot();
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        size_t n = hostile_len(i);
        char *esc = percent(hostile[i], n);
        struct h_response r;

        /* path segments */
        char *path = h_strf("/v1/cohorts/%s", esc);
        h_http(&server, "GET", path, coordinator, NULL, NULL, 0, &r);
        expect_error_body(&r, 0, path);
        h_response_free(&r);
        free(path);
        path = h_strf("/v1/people/x%sy/tokens", esc);
        h_http(&server, "GET", path, coordinator, NULL, NULL, 0, &r);
        expect_error_body(&r, 0, path);
        h_response_free(&r);
        free(path);

        /* query strings */
        path = h_strf("/v1/people?limit=%s", esc);
        h_http(&server, "GET", path, coordinator, NULL, NULL, 0, &r);
        expect_error_body(&r, 0, path);
        h_response_free(&r);
        free(path);
        path = h_strf("/v1/people?limit=5%s", esc);
        h_http(&server, "GET", path, coordinator, NULL, NULL, 0, &r);
        expect_error_body(&r, 0, path);
        h_response_free(&r);
        free(path);

        /* JSON member names and values (raw bytes inside the strings) */
        char body[256];
        size_t len = splice(body, sizeof body, "{\"email\": \"a", hostile[i], n,
                            "@x.example\", \"name\": \"N\"}");
        h_http(&server, "POST", "/v1/people", coordinator, "application/json", body, len, &r);
        expect_error_body(&r, 0, "POST /v1/people with a hostile e-mail");
        h_response_free(&r);
        len = splice(body, sizeof body, "{\"email\": \"z@x.example\", \"name\": \"N\", \"k",
                     hostile[i], n, "\": 1}");
        h_http(&server, "POST", "/v1/people", coordinator, "application/json", body, len, &r);
        expect_error_body(&r, 0, "POST /v1/people with a hostile member name");
        h_response_free(&r);

        /* CSV headers and cells */
        len = splice(body, sizeof body, "email,name,k", hostile[i], n, "\nq@x.example,Q,1\n");
        h_http(&server, "POST", "/v1/people/import", coordinator, "text/csv", body, len, &r);
        expect_error_body(&r, 422, "a CSV header with hostile bytes");
        h_response_free(&r);
        len = splice(body, sizeof body, "email,name\nq", hostile[i], n, "@x.example,Q\n");
        h_http(&server, "POST", "/v1/people/import", coordinator, "text/csv", body, len, &r);
        expect_error_body(&r, 422, "a CSV cell with hostile bytes");
        h_response_free(&r);
        free(esc);
    }

    /* a long echo is bounded */
    char *longer = malloc(20001);
    assert_non_null(longer);
    memset(longer, 'x', 20000);
    longer[20000] = '\0';
    char *body = h_strf("{\"email\": \"%s\xFF\", \"name\": \"N\"}", longer);
    struct h_response r;
    h_http(&server, "POST", "/v1/people", coordinator, "application/json", body, strlen(body), &r);
    expect_error_body(&r, 0, "a long hostile e-mail");
    if (strlen(h_json_string(r.json, "error.message")) > 1024)
        fail_msg("an echo of 20000 bytes is not bounded: %zu bytes",
                 strlen(h_json_string(r.json, "error.message")));
    h_response_free(&r);
    free(body);
    free(longer);

    /* the CLI prints the message (not "server answered 422") */
    const char *argv[] = {"people", "add", "a\xFF\xFE@x.example", "N", NULL};
    char *out = NULL, *err = NULL;
    int st = h_cli(server.url, coordinator, argv, &out, &err);
    if (st == 0 || !err || strstr(err, "server answered") || !strstr(err, "mcred: "))
        fail_msg("mcred person add with hostile bytes: exit %d\n%s%s", st, out, err);
    free(out);
    free(err);

    char *after = snapshot();
    if (strcmp(before, after) != 0)
        fail_msg("hostile requests wrote something");
    free(before);
    free(after);
}

/* ---- 3. a credential's every problem ---- */

static void test_credential_every_problem(void **state)
{
    (void)state;
    char *seed = h_file_read(SEED, NULL);
    cJSON *doc = cJSON_Parse(seed);
    free(seed);
    assert_non_null(doc);
    cJSON_ReplaceItemInObject(doc, "slug", cJSON_CreateString("Equity Excellence"));
    cJSON_AddStringToObject(doc, "colour", "blue");
    cJSON *standards = cJSON_GetObjectItem(doc, "standards");
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(standards, 0), "title", cJSON_CreateNumber(1));
    cJSON *ind =
        cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(standards, 1), "indicators"), 0);
    cJSON_ReplaceItemInObject(ind, "code", cJSON_CreateString("1.1"));
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(doc, "award_rule"), "min_level",
                              cJSON_CreateNumber(9));
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    static const char *const fields[] = {"colour", "slug", "award_rule.min_level",
                                         "standards[0].title", "standards[1].indicators[0].code"};

    char *before = snapshot();
    struct h_response r;
    h_http(&server, "POST", "/v1/credentials", coordinator, "application/json", text, strlen(text),
           &r);
    expect_error_body(&r, 422, "POST /v1/credentials with five problems");
    expect_in(h_json_string(r.json, "error.message"), "5 problems", "POST /v1/credentials");
    const cJSON *errors = h_json_at(r.json, "errors");
    if (cJSON_GetArraySize(errors) != 5)
        fail_msg("want 5 problems: %s", r.body);
    for (int i = 0; i < 5; i++) {
        const char *field = h_json_string(cJSON_GetArrayItem(errors, i), "field");
        if (!field || strcmp(field, fields[i]) != 0)
            fail_msg("problem %d is on %s, want %s: %s", i, field ? field : "?", fields[i], r.body);
    }
    h_response_free(&r);

    struct file f = file_of(text);
    char *path = write_temp(&f, ".json");
    const char *argv[] = {"credential", "import", path, NULL};
    char *out = NULL, *err = NULL;
    int st = h_cli(server.url, coordinator, argv, &out, &err);
    if (st != 1)
        fail_msg("mcred credential import with five problems: exit %d\n%s%s", st, out, err);
    for (int i = 0; i < 5; i++) {
        char *line = h_strf("%s: ", fields[i]);
        expect_in(err, line, "mcred credential import");
        free(line);
    }
    expect_in(err, "the credential has 5 problems; nothing was written", "mcred credential import");
    char *after = snapshot();
    if (strcmp(before, after) != 0)
        fail_msg("a refused credential wrote something");
    free(out);
    free(err);
    free(before);
    free(after);
    unlink(path);
    free(path);
    free(f.data);
    free(text);
}

/* ---- 4. the event types in --help ---- */

static void test_webhook_help_lists_events(void **state)
{
    (void)state;
    static const char *const verbs[][3] = {{"webhook", "add", "--help"},
                                           {"webhook", "update", "--help"}};
    for (size_t v = 0; v < 2; v++) {
        const char *argv[] = {verbs[v][0], verbs[v][1], verbs[v][2], NULL};
        char *out = NULL, *err = NULL;
        int st = h_cli(server.url, coordinator, argv, &out, &err);
        assert_int_equal(st, 0);
        expect_in(out, "Event types:", "webhook --help");
        expect_in(out, "  score.recorded: ", "webhook --help");
        expect_in(out, "  member.enrolled: ", "webhook --help");
        expect_in(out, "  credential.eligible: ", "webhook --help");
        free(out);
        free(err);
    }
    /* what the help lists, the server accepts */
    cJSON *j = call("POST", "/v1/webhooks", admin,
                    "{\"url\": \"http://127.0.0.1:9/x\", \"events\": [\"credential.revoked\", "
                    "\"problem.reviewed\"]}",
                    201);
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_not_csv_utf8),
        cmocka_unit_test(test_error_bodies_are_utf8_json),
        cmocka_unit_test(test_credential_every_problem),
        cmocka_unit_test(test_webhook_help_lists_events),
    };
    return h_run_tests(tests, setup, teardown);
}
