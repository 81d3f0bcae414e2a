/*
 * test_import.c — the roster import, POST /v1/people/import (text/csv),
 * over HTTP and through `mcred people import`.
 *
 * Every case runs in an organisation of its own and counts the people
 * (and the audit rows about people) before and after, as the superuser,
 * so that "nothing was written" is proven, not assumed:
 *   - 10,000 generated rows (attributes school/position/region, quoted
 *     fields with commas and doubled quotes) all created; the same file
 *     again changes nothing and duplicates no one; 10,001 rows refused;
 *   - an existing person (same e-mail, other case) updated, not doubled;
 *     empty cells keep the role and attributes; another organisation's
 *     person of the same e-mail is not touched;
 *   - a bad e-mail, a duplicate e-mail in the file (other case), a missing
 *     `name` column, ragged rows, an unterminated quote: 422 with each
 *     row's error, and nothing written;
 *   - a byte-order mark, CRLF line ends, non-ASCII names, line breaks in
 *     quoted fields;
 *   - ?dry_run=true: the counts, nothing written;
 *   - a Content-Type other than text/csv: 415;
 *   - the CLI: success line, errors and exit 1, --dry-run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

struct org {
    char slug[32];
    char *token; /* its admin's */
};

static struct org new_org(void)
{
    static unsigned n;
    struct org o;
    snprintf(o.slug, sizeof o.slug, "import-%u", ++n);
    char *email = h_strf("admin@%s.example", o.slug);
    o.token = h_bootstrap(&server, o.slug, email);
    free(email);
    return o;
}

static long people_in(const struct org *o)
{
    char *sql = h_strf("SELECT count(*) FROM mcred.people p JOIN mcred.orgs o ON o.id = p.org_id"
                       " WHERE o.slug = '%s'",
                       o->slug);
    long n = h_db_long_super(&db, sql);
    free(sql);
    return n;
}

static long person_audit_in(const struct org *o)
{
    char *sql = h_strf("SELECT count(*) FROM mcred.audit a JOIN mcred.orgs o ON o.id = a.org_id"
                       " WHERE o.slug = '%s' AND a.entity = 'person'",
                       o->slug);
    long n = h_db_long_super(&db, sql);
    free(sql);
    return n;
}

static void import_as(const char *token, const char *content_type, const char *csv, size_t len,
                      bool dry_run, struct h_response *r)
{
    h_http(&server, "POST", dry_run ? "/v1/people/import?dry_run=true" : "/v1/people/import", token,
           content_type, csv, len, r);
}

static void import(const struct org *o, const char *csv, bool dry_run, struct h_response *r)
{
    import_as(o->token, "text/csv", csv, strlen(csv), dry_run, r);
}

static void expect_status(const struct h_response *r, long want)
{
    if (r->status != want)
        fprintf(stderr, "POST /v1/people/import: got %ld, want %ld; body: %.2000s\n", r->status,
                want, r->body);
    assert_int_equal(r->status, want);
}

static long num(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    if (!cJSON_IsNumber(v))
        fail_msg("answer has no number \"%s\"", key);
    return (long)v->valuedouble;
}

/* 200 with these counts and no errors. */
static void expect_counts(const struct h_response *r, bool dry_run, long rows, long created,
                          long updated, long unchanged)
{
    expect_status(r, 200);
    assert_non_null(r->json);
    const cJSON *dr = cJSON_GetObjectItemCaseSensitive(r->json, "dry_run");
    assert_true(cJSON_IsBool(dr));
    assert_int_equal(cJSON_IsTrue(dr), dry_run);
    if (num(r->json, "rows") != rows || num(r->json, "created") != created ||
        num(r->json, "updated") != updated || num(r->json, "unchanged") != unchanged)
        fail_msg("import answered %s; want rows %ld, created %ld, updated %ld, unchanged %ld",
                 r->body, rows, created, updated, unchanged);
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(r->json, "errors");
    assert_true(cJSON_IsArray(errors));
    assert_int_equal(cJSON_GetArraySize(errors), 0);
}

static int error_count(const struct h_response *r)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r->json, "errors"));
}

/* 422 in the error shape, with an `errors` list. */
static void expect_invalid(const struct h_response *r)
{
    expect_status(r, 422);
    assert_non_null(r->json);
    const char *code = h_json_string(r->json, "error.code");
    assert_non_null(code);
    assert_string_equal(code, "invalid");
    assert_non_null(h_json_string(r->json, "error.message"));
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(r->json, "errors");
    if (!cJSON_IsArray(errors) || cJSON_GetArraySize(errors) == 0)
        fail_msg("422 without an \"errors\" list: %s", r->body);
    const cJSON *e;
    cJSON_ArrayForEach(e, errors)
    {
        assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(e, "row")));
        assert_non_null(h_json_string(e, "message"));
    }
}

/* The errors entry for row (and column, when not NULL), or NULL. */
static const cJSON *row_error(const struct h_response *r, long row, const char *column)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r->json, "errors"))
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "row");
        const char *col = h_json_string(e, "column");
        if (cJSON_IsNumber(n) && (long)n->valuedouble == row &&
            (!column || (col && strcmp(col, column) == 0)))
            return e;
    }
    return NULL;
}

static void expect_row_error(const struct h_response *r, long row, const char *column)
{
    if (!row_error(r, row, column))
        fail_msg("no error for row %ld%s%s in %s", row, column ? ", column " : "",
                 column ? column : "", r->body);
}

/* The person of an e-mail, through GET /v1/people?email= (a copy, or NULL). */
static cJSON *person(const char *token, const char *email)
{
    CURL *curl = curl_easy_init();
    char *escaped = curl_easy_escape(curl, email, 0);
    char *path = h_strf("/v1/people?email=%s", escaped);
    curl_free(escaped);
    curl_easy_cleanup(curl);
    struct h_response r;
    h_http(&server, "GET", path, token, NULL, NULL, 0, &r);
    if (r.status != 200)
        fail_msg("GET %s: %ld %s", path, r.status, r.body);
    cJSON *items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
    assert_true(cJSON_IsArray(items));
    assert_true(cJSON_GetArraySize(items) <= 1);
    cJSON *p = cJSON_GetArraySize(items) ? cJSON_Duplicate(cJSON_GetArrayItem(items, 0), 1) : NULL;
    h_response_free(&r);
    free(path);
    return p;
}

static void expect_person(const char *token, const char *email, const char *name, const char *role)
{
    cJSON *p = person(token, email);
    if (!p)
        fail_msg("no person %s", email);
    assert_string_equal(h_json_string(p, "name"), name);
    if (role)
        assert_string_equal(h_json_string(p, "org_role"), role);
    cJSON_Delete(p);
}

static void expect_attribute(const char *token, const char *email, const char *key,
                             const char *value)
{
    cJSON *p = person(token, email);
    if (!p)
        fail_msg("no person %s", email);
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(p, "attributes");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);
    if (!value)
        assert_null(v);
    else if (!cJSON_IsString(v) || strcmp(v->valuestring, value) != 0)
        fail_msg("%s: attributes.%s is %s, want \"%s\"", email, key,
                 cJSON_IsString(v) ? v->valuestring : "absent", value);
    cJSON_Delete(p);
}

/* POST /v1/people as the org's admin; returns the id. */
static char *add_person(const struct org *o, const char *body)
{
    struct h_response r;
    h_post_json(&server, "/v1/people", o->token, body, &r);
    if (r.status != 201)
        fail_msg("POST /v1/people %s: %ld %s", body, r.status, r.body);
    char *id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    return id;
}

/* A refused roster: 422, and nothing written in the organisation. */
static void import_refused(const struct org *o, const char *csv, struct h_response *r)
{
    long people = people_in(o), audit = person_audit_in(o);
    import(o, csv, false, r);
    expect_invalid(r);
    assert_int_equal(people_in(o), people);
    assert_int_equal(person_audit_in(o), audit);
}

/* ---- 10,000 rows ---- */

static const char *const schools[] = {"\"Lincoln Elementary, North Campus\"", "Washington Middle",
                                      "\"Roosevelt High, \"\"The Annex\"\"\"", "Jefferson K-8"};
static const char *const positions[] = {"teacher", "principal", "assistant principal", "coach",
                                        "counselor"};
static const char *const regions[] = {"north", "south", "east", "west", "\"central, downtown\""};

static char *roster(int rows, size_t *len)
{
    size_t cap = 128 + (size_t)rows * 128;
    char *csv = malloc(cap);
    assert_non_null(csv);
    size_t n = (size_t)snprintf(csv, cap, "email,name,school,position,region\n");
    for (int i = 0; i < rows; i++) {
        /* every seventh name is "Last, First" and must be quoted */
        if (i % 7 == 0)
            n += (size_t)snprintf(csv + n, cap - n, "person%05d@roster.example,\"Ruiz, Ana %05d\"",
                                  i, i);
        else
            n += (size_t)snprintf(csv + n, cap - n, "Person%05d@Roster.example,Person %05d", i, i);
        n += (size_t)snprintf(csv + n, cap - n, ",%s,%s,%s\n", schools[i % 4], positions[i % 5],
                              regions[i % 5]);
    }
    *len = n;
    return csv;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_ten_thousand_rows(void **state)
{
    struct org o = new_org();
    struct h_response r;
    size_t len;

    /* one row too many: refused, nothing written */
    char *too_many = roster(10001, &len);
    import_as(o.token, "text/csv", too_many, len, false, &r);
    expect_invalid(&r);
    h_response_free(&r);
    free(too_many);
    assert_int_equal(people_in(&o), 1);

    char *csv = roster(10000, &len);
    assert_true(len < 1024 * 1024); /* fits the default MCRED_MAX_BODY */
    double t0 = now_s();
    import_as(o.token, "text/csv", csv, len, false, &r);
    double took = now_s() - t0;
    fprintf(stderr, "10,000-row import (%zu bytes): %.2f s\n", len, took);
    expect_counts(&r, false, 10000, 10000, 0, 0);
    h_response_free(&r);
    assert_int_equal(people_in(&o), 10001);
    assert_int_equal(person_audit_in(&o), 1 + 10000); /* bootstrap's admin, then one a person */

    /* the quoted fields came through whole */
    expect_person(o.token, "person00007@roster.example", "Ruiz, Ana 00007", "none");
    expect_attribute(o.token, "person00007@roster.example", "region", "east");
    expect_person(o.token, "person00001@roster.example", "Person 00001", "none");
    expect_attribute(o.token, "person00001@roster.example", "school", "Washington Middle");
    expect_attribute(o.token, "person00002@roster.example", "school",
                     "Roosevelt High, \"The Annex\"");
    expect_attribute(o.token, "person00004@roster.example", "region", "central, downtown");
    expect_attribute(o.token, "person00004@roster.example", "school",
                     "Lincoln Elementary, North Campus");
    expect_attribute(o.token, "person00002@roster.example", "position", "assistant principal");
    char *sql = h_strf("SELECT count(*) FROM mcred.people p JOIN mcred.orgs o ON o.id = p.org_id"
                       " WHERE o.slug = '%s' AND p.attributes->>'school' ="
                       " 'Lincoln Elementary, North Campus'"
                       " AND p.attributes->>'region' IS NOT NULL"
                       " AND p.attributes->>'position' IS NOT NULL",
                       o.slug);
    assert_int_equal(h_db_long_super(&db, sql), 2500);
    free(sql);

    /* the same file again: no one new, no one doubled, nothing written */
    import_as(o.token, "text/csv", csv, len, false, &r);
    expect_counts(&r, false, 10000, 0, 0, 10000);
    h_response_free(&r);
    assert_int_equal(people_in(&o), 10001);
    assert_int_equal(person_audit_in(&o), 1 + 10000);
    free(csv);
    free(o.token);
}

/* ---- updates ---- */

static void test_existing_person_is_updated(void **state)
{
    struct org o = new_org(), elsewhere = new_org();
    free(add_person(&o, "{\"email\": \"Ana.Ruiz@Lincoln.example\", \"name\": \"Ana\","
                        " \"org_role\": \"leader\","
                        " \"attributes\": {\"school\": \"Lincoln\", \"position\": \"teacher\"}}"));
    free(add_person(&elsewhere, "{\"email\": \"bo@lincoln.example\", \"name\": \"Bo Elsewhere\"}"));
    long audit = person_audit_in(&o);

    /* headers in any case, spaces become _; empty cells keep what is there */
    const char *csv = "Email,Name,Role,School,Position,Home Region\n"
                      "ana.ruiz@LINCOLN.EXAMPLE,Ana Ruiz,,,principal,north\n"
                      "bo@lincoln.example,Bo,none,Lincoln,teacher,south\n";
    struct h_response r;
    import(&o, csv, false, &r);
    expect_counts(&r, false, 2, 1, 1, 0);
    h_response_free(&r);
    assert_int_equal(people_in(&o), 3);
    assert_int_equal(person_audit_in(&o), audit + 2);

    expect_person(o.token, "ana.ruiz@lincoln.example", "Ana Ruiz", "leader");
    expect_attribute(o.token, "ana.ruiz@lincoln.example", "school", "Lincoln");
    expect_attribute(o.token, "ana.ruiz@lincoln.example", "position", "principal");
    expect_attribute(o.token, "ana.ruiz@lincoln.example", "home_region", "north");
    expect_person(o.token, "bo@lincoln.example", "Bo", "none");

    /* the other organisation's Bo is untouched */
    assert_int_equal(people_in(&elsewhere), 2);
    expect_person(elsewhere.token, "bo@lincoln.example", "Bo Elsewhere", "none");
    expect_attribute(elsewhere.token, "bo@lincoln.example", "school", NULL);

    /* a role given in the file is applied */
    import(&o, "email,name,role\nANA.RUIZ@lincoln.example,Ana Ruiz,none\n", false, &r);
    expect_counts(&r, false, 1, 0, 1, 0);
    h_response_free(&r);
    expect_person(o.token, "ana.ruiz@lincoln.example", "Ana Ruiz", "none");
    assert_int_equal(people_in(&o), 3);
    free(o.token);
    free(elsewhere.token);
}

/* ---- refusals: 422, the row's error, nothing written ---- */

static void test_bad_email(void **state)
{
    struct org o = new_org();
    struct h_response r;
    import_refused(&o,
                   "email,name\n"
                   "ana@lincoln.example,Ana\n"
                   "ana@,Bad\n"
                   "bo@lincoln.example,Bo\n",
                   &r);
    expect_row_error(&r, 3, "email");
    assert_int_equal(error_count(&r), 1);
    h_response_free(&r);
    assert_int_equal(people_in(&o), 1);
    free(o.token);
}

static void test_duplicate_email_in_file(void **state)
{
    struct org o = new_org();
    struct h_response r;
    import_refused(&o,
                   "email,name\n"
                   "Dup@Lincoln.example,First\n"
                   "other@lincoln.example,Other\n"
                   "dup@LINCOLN.example,Second\n",
                   &r);
    const cJSON *e = row_error(&r, 4, "email");
    if (!e)
        fail_msg("no error for row 4, email: %s", r.body);
    /* names both rows: the error is on row 4 and its message names row 2 */
    const char *message = h_json_string(e, "message");
    if (!strstr(message, "row 2"))
        fail_msg("the duplicate's message does not name row 2: %s", message);
    assert_null(row_error(&r, 3, NULL));
    h_response_free(&r);
    assert_int_equal(people_in(&o), 1);
    free(o.token);
}

static void test_missing_name_column(void **state)
{
    struct org o = new_org();
    struct h_response r;
    import_refused(&o, "email,school\nana@lincoln.example,Lincoln\n", &r);
    expect_row_error(&r, 1, "name");
    h_response_free(&r);

    import_refused(&o, "name,school\nAna,Lincoln\n", &r);
    expect_row_error(&r, 1, "email");
    h_response_free(&r);
    assert_int_equal(people_in(&o), 1);
    free(o.token);
}

static void test_ragged_rows(void **state)
{
    struct org o = new_org();
    struct h_response r;
    import_refused(&o,
                   "email,name,school\n"
                   "ana@lincoln.example,Ana,Lincoln\n"
                   "bo@lincoln.example,Bo,Lincoln,extra\n"
                   "cy@lincoln.example,Cy\n"
                   "di@lincoln.example,Di,Lincoln\n",
                   &r);
    expect_row_error(&r, 3, NULL);
    expect_row_error(&r, 4, NULL);
    assert_null(row_error(&r, 2, NULL));
    assert_null(row_error(&r, 5, NULL));
    assert_int_equal(error_count(&r), 2);
    assert_string_equal(h_json_string(r.json, "error.message"),
                        "roster has 2 errors; nothing was written");
    h_response_free(&r);
    assert_int_equal(people_in(&o), 1);
    free(o.token);
}

static void test_unterminated_quote(void **state)
{
    struct org o = new_org();
    struct h_response r;
    import_refused(&o,
                   "email,name\n"
                   "ana@lincoln.example,Ana\n"
                   "bo@lincoln.example,\"Bo, unclosed\n"
                   "cy@lincoln.example,Cy\n",
                   &r);
    expect_row_error(&r, 3, NULL);
    h_response_free(&r);
    assert_int_equal(people_in(&o), 1);
    free(o.token);
}

/* ---- what a roster may look like ---- */

static void test_bom_crlf_and_unicode(void **state)
{
    struct org o = new_org();
    struct h_response r;

    /* a byte-order mark: the first header is still `email` */
    import(&o,
           "\xEF\xBB\xBF"
           "email,name\nbom@x.example,Bom\n",
           false, &r);
    expect_counts(&r, false, 1, 1, 0, 0);
    h_response_free(&r);
    expect_person(o.token, "bom@x.example", "Bom", "none");

    /* CRLF line ends, with the mark too; the last line without one */
    import(&o,
           "\xEF\xBB\xBF"
           "email,name,school\r\ncrlf@x.example,Crlf,Lincoln\r\ncrlf2@x.example,Crlf Two,Lincoln",
           false, &r);
    expect_counts(&r, false, 2, 2, 0, 0);
    h_response_free(&r);
    expect_person(o.token, "crlf@x.example", "Crlf", "none");
    expect_attribute(o.token, "crlf@x.example", "school", "Lincoln");
    expect_attribute(o.token, "crlf2@x.example", "school", "Lincoln");

    /* non-ASCII, doubled quotes, a line break inside a quoted field */
    import(&o,
           "email,name,school\r\n"
           "rene@x.example,Ren\xC3\xA9 Ni\xC3\xB1o,\"\xE5\x8C\x97\xE4\xBA\xAC\"\r\n"
           "wang@x.example,\xE7\x8E\x8B\xE5\xB0\x8F\xE6\x98\x8E,Escuela\r\n"
           "aj@x.example,\"Ana \"\"AJ\"\" Ruiz\",\"Lincoln\r\nAnnex\"\r\n",
           false, &r);
    expect_counts(&r, false, 3, 3, 0, 0);
    h_response_free(&r);
    expect_person(o.token, "rene@x.example", "Ren\xC3\xA9 Ni\xC3\xB1o", "none");
    expect_attribute(o.token, "rene@x.example", "school", "\xE5\x8C\x97\xE4\xBA\xAC");
    expect_person(o.token, "wang@x.example", "\xE7\x8E\x8B\xE5\xB0\x8F\xE6\x98\x8E", "none");
    expect_person(o.token, "aj@x.example", "Ana \"AJ\" Ruiz", "none");
    cJSON *p = person(o.token, "aj@x.example");
    const char *school = h_json_string(p, "attributes.school");
    /* a quoted line break is data; RFC 4180 keeps it as written */
    if (!school || (strcmp(school, "Lincoln\r\nAnnex") != 0 && strcmp(school, "Lincoln\nAnnex")))
        fail_msg("aj@x.example: school is %s, want \"Lincoln\\r\\nAnnex\"", school);
    cJSON_Delete(p);
    assert_int_equal(people_in(&o), 1 + 6);
    free(o.token);
}

static void test_dry_run(void **state)
{
    struct org o = new_org();
    free(add_person(&o, "{\"email\": \"ana@lincoln.example\", \"name\": \"Ana\"}"));
    long people = people_in(&o), audit = person_audit_in(&o);
    const char *csv = "email,name,school\n"
                      "ANA@lincoln.example,Ana Ruiz,Lincoln\n"
                      "bo@lincoln.example,Bo,Lincoln\n"
                      "cy@lincoln.example,Cy,Lincoln\n";
    struct h_response r;
    import(&o, csv, true, &r);
    expect_counts(&r, true, 3, 2, 1, 0);
    h_response_free(&r);
    assert_int_equal(people_in(&o), people);
    assert_int_equal(person_audit_in(&o), audit);
    expect_person(o.token, "ana@lincoln.example", "Ana", "none");
    expect_attribute(o.token, "ana@lincoln.example", "school", NULL);

    /* a dry run of a bad roster reports its errors */
    import(&o, "email,name\nana@,Bad\n", true, &r);
    expect_invalid(&r);
    expect_row_error(&r, 2, "email");
    h_response_free(&r);

    /* and the real run makes what the dry run said */
    import(&o, csv, false, &r);
    expect_counts(&r, false, 3, 2, 1, 0);
    h_response_free(&r);
    assert_int_equal(people_in(&o), people + 2);
    free(o.token);
}

static void test_content_type(void **state)
{
    struct org o = new_org();
    const char *csv = "email,name\nana@lincoln.example,Ana\n";
    const char *refused[] = {"application/json", "text/plain", "application/x-www-form-urlencoded",
                             NULL};
    struct h_response r;
    for (const char **ct = refused; *ct; ct++) {
        import_as(o.token, *ct, csv, strlen(csv), false, &r);
        if (r.status != 415)
            fail_msg("Content-Type %s: got %ld, want 415: %s", *ct, r.status, r.body);
        assert_string_equal(h_json_string(r.json, "error.code"), "unsupported_media_type");
        h_response_free(&r);
    }
    assert_int_equal(people_in(&o), 1);

    /* parameters are allowed */
    import_as(o.token, "text/csv; charset=utf-8", csv, strlen(csv), false, &r);
    expect_counts(&r, false, 1, 1, 0, 0);
    h_response_free(&r);
    free(o.token);
}

/* ---- the CLI ---- */

static char *write_temp(const char *content)
{
    char *path = strdup("/tmp/mcred-roster.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(content);
    assert_int_equal(write(fd, content, len), (ssize_t)len);
    close(fd);
    return path;
}

static void test_cli_import(void **state)
{
    struct org o = new_org();
    free(add_person(&o, "{\"email\": \"ana@lincoln.example\", \"name\": \"Ana\"}"));
    char *out = NULL, *err = NULL;

    /* --dry-run: counts, nothing written */
    char *good = write_temp("email,name,school\n"
                            "Ana@Lincoln.example,Ana Ruiz,Lincoln\n"
                            "bo@lincoln.example,Bo,Lincoln\n"
                            "cy@lincoln.example,Cy,\"Lincoln, North\"\n");
    const char *dry[] = {"people", "import", "--dry-run", good, NULL};
    int st = h_cli(server.url, o.token, dry, &out, &err);
    if (st != 0)
        fail_msg("mcred people import --dry-run: exit %d\nstdout: %s\nstderr: %s", st, out, err);
    free(out);
    free(err);
    assert_int_equal(people_in(&o), 2);

    const char *real[] = {"people", "import", good, NULL};
    st = h_cli(server.url, o.token, real, &out, &err);
    if (st != 0 || !strstr(out, "imported 3 rows: 2 created, 1 updated, 0 unchanged"))
        fail_msg("mcred people import: exit %d\nstdout: %s\nstderr: %s", st, out, err);
    free(out);
    free(err);
    assert_int_equal(people_in(&o), 4);
    expect_person(o.token, "ana@lincoln.example", "Ana Ruiz", "none");
    expect_attribute(o.token, "cy@lincoln.example", "school", "Lincoln, North");

    /* a roster with errors: each on its own line, exit 1, nothing written */
    char *bad = write_temp("email,name\n"
                           "dee@lincoln.example,Dee\n"
                           "ana@,Bad\n"
                           "DEE@lincoln.example,Dee Again\n");
    long audit = person_audit_in(&o);
    const char *refused[] = {"people", "import", bad, NULL};
    st = h_cli(server.url, o.token, refused, &out, &err);
    if (st != 1 || !strstr(err, "row 3, email: ") || !strstr(err, "row 4, email: ") ||
        !strstr(err, "mcred: roster has 2 errors; nothing was written"))
        fail_msg("mcred people import (bad roster): exit %d, want 1 and each row's error\n"
                 "stdout: %s\nstderr: %s",
                 st, out, err);
    free(out);
    free(err);
    assert_int_equal(people_in(&o), 4);
    assert_int_equal(person_audit_in(&o), audit);

    unlink(good);
    unlink(bad);
    free(good);
    free(bad);
    free(o.token);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ten_thousand_rows),
        cmocka_unit_test(test_existing_person_is_updated),
        cmocka_unit_test(test_bad_email),
        cmocka_unit_test(test_duplicate_email_in_file),
        cmocka_unit_test(test_missing_name_column),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_bom_crlf_and_unicode),
        cmocka_unit_test(test_dry_run),
        cmocka_unit_test(test_content_type),
        cmocka_unit_test(test_cli_import),
    };
    return h_run_tests(tests, setup, teardown);
}
