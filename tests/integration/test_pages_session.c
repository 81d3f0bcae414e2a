/*
 * test_pages_session.c — signing in and out of the pages, against the
 * real server and PostgreSQL.
 *
 * Covers: the sign-in page and the headers every page carries (CSP with
 * frame-ancestors 'none', nosniff, no-store); a wrong key shown in words
 * (401) with no cookie; a token exchanged for a session cookie (HttpOnly,
 * SameSite=Strict, Path=/, Max-Age; Secure when MCRED_PUBLIC_URL is https)
 * stored only as a keyed hash (pg_dump) with its audit row; an invitation
 * exchanged for a session and a sign-in key shown once; a sign-in form
 * from another site refused; pages authenticate by the cookie only and
 * the API never by it; a sign-out without its CSRF token refused and
 * changing nothing, with it revoking the session; an expired session sent
 * back to /signin; a form that is not a form refused; a person's name
 * with <script> shown as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static const char *const org_slug = "pages";
static char *admin, *cohort;

static cJSON *call(const char *method, const char *path, const char *token, const char *body,
                   long want)
{
    struct h_response r;
    h_call(&server, method, path, token, body, want, &r);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    admin = h_bootstrap(&server, org_slug, "admin@pages.example");
    cJSON *j =
        call("POST", "/v1/credentials", admin,
             "{\"slug\": \"lead\", \"version\": 1, \"title\": \"Leading\","
             " \"achievement_type\": \"MicroCredential\", \"standards\": [{\"code\": \"1\","
             " \"title\": \"One\", \"indicators\": [{\"code\": \"1.1\", \"text\": \"First\"}]}]}",
             201);
    char *credential = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    char *path = h_strf("/v1/credentials/%s/publish", credential);
    cJSON_Delete(call("POST", path, admin, NULL, 200));
    free(path);
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Fall <b>Leaders</b>\", "
                        "\"starts_on\": \"2026-09-08\", \"ends_on\": \"2026-10-20\", "
                        "\"timezone\": \"UTC\", \"min_learners\": 1}",
                        credential);
    j = call("POST", "/v1/cohorts", admin, body, 201);
    cohort = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    free(credential);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    h_cluster_release(&cluster);
    free(admin);
    free(cohort);
    return st == 0 ? 0 : -1;
}

static void expect_header(const struct h_response *r, const char *name, const char *part)
{
    char *v = h_response_header(r, name);
    if (!v || !strstr(v, part))
        fail_msg("header %s is [%s], want it to contain [%s]", name, v ? v : "(none)", part);
    free(v);
}

static void test_signin_page(void **state)
{
    (void)state;
    struct h_response r;
    h_page(&server, "GET", "/signin", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    expect_header(&r, "Content-Type", "text/html; charset=utf-8");
    expect_header(&r, "Content-Security-Policy", "default-src 'none'");
    expect_header(&r, "Content-Security-Policy", "frame-ancestors 'none'");
    expect_header(&r, "X-Content-Type-Options", "nosniff");
    expect_header(&r, "Cache-Control", "no-store");
    assert_non_null(strstr(r.body, "<label for=\"secret\">Sign-in key or invitation code</label>"));
    assert_null(strstr(r.body, "<script"));
    h_response_free(&r);

    h_page(&server, "GET", "/", NULL, NULL, &r);
    assert_int_equal(r.status, 303);
    expect_header(&r, "Location", "/app");
    h_response_free(&r);
}

static void test_wrong_keys(void **state)
{
    (void)state;
    static const char *const forms[] = {
        "secret=",
        "secret=hello",
        "secret=mcr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        struct h_response r;
        h_page(&server, "POST", "/signin", NULL, forms[i], &r);
        assert_int_equal(r.status, 401);
        char *cookie = h_response_header(&r, "Set-Cookie");
        assert_null(cookie);
        assert_non_null(strstr(r.body, "role=\"alert\""));
        assert_null(h_response_header(&r, "WWW-Authenticate"));
        h_response_free(&r);
    }
    long sessions =
        h_db_long_super(&db, "SELECT count(*) FROM mcred.tokens WHERE kind = 'session'");
    assert_int_equal(sessions, 0);
}

static void test_session_cookie(void **state)
{
    (void)state;
    char *form = h_strf("secret=%s", admin);
    struct h_response r;
    h_page(&server, "POST", "/signin", NULL, form, &r);
    free(form);
    assert_int_equal(r.status, 303);
    expect_header(&r, "Location", "/app");
    expect_header(&r, "Set-Cookie", "mcred_session=mcs_");
    expect_header(&r, "Set-Cookie", "; HttpOnly");
    expect_header(&r, "Set-Cookie", "; SameSite=Strict");
    expect_header(&r, "Set-Cookie", "; Path=/");
    expect_header(&r, "Set-Cookie", "; Max-Age=43200");
    char *set = h_response_header(&r, "Set-Cookie");
    assert_null(strstr(set, "Secure"));
    free(set);
    h_response_free(&r);

    char *session = h_signin(&server, admin);
    h_page(&server, "GET", "/app", session, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Fall &lt;b&gt;Leaders&lt;/b&gt;"));
    assert_null(strstr(r.body, "<b>Leaders"));
    h_response_free(&r);

    /* kept only as a keyed hash, with its audit row */
    char *dump = h_db_dump(&db);
    assert_null(strstr(dump, session));
    assert_null(strstr(dump, session + 4));
    free(dump);
    assert_true(h_db_long_super(&db, "SELECT count(*) FROM mcred.audit"
                                     " WHERE action = 'session.open'") >= 2);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.tokens WHERE kind ="
                                          " 'session' AND expires_at > now() + interval '11 hours'"
                                          " AND expires_at <= now() + interval '12 hours'"),
                     2);

    /* pages take the cookie only; the API never does */
    h_http(&server, "GET", "/app", admin, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 303);
    expect_header(&r, "Location", "/signin");
    h_response_free(&r);
    char *cookie = h_strf("Cookie: mcred_session=%s", session);
    const char *headers[] = {cookie, NULL};
    h_http_headers(&server, "GET", "/v1/me", NULL, NULL, NULL, 0, headers, &r);
    assert_int_equal(r.status, 401);
    h_response_free(&r);
    free(cookie);
    free(session);
}

static void test_secure_over_tls(void **state)
{
    (void)state;
    const char *env[] = {"MCRED_PUBLIC_URL=https://mcred.pages.example", "MCRED_DISPATCHER=0",
                         NULL};
    struct h_server tls;
    h_server_start_like(&server, env, &tls);
    char *form = h_strf("secret=%s", admin);
    struct h_response r;
    h_page(&tls, "POST", "/signin", NULL, form, &r);
    free(form);
    assert_int_equal(r.status, 303);
    expect_header(&r, "Set-Cookie", "; Secure");
    h_response_free(&r);
    assert_int_equal(h_server_stop(&tls), 0);
}

static void test_other_site_refused(void **state)
{
    (void)state;
    long before = h_db_long_super(&db, "SELECT count(*) FROM mcred.tokens");
    char *form = h_strf("secret=%s", admin);
    const char *headers[] = {"Origin: http://evil.example", NULL};
    struct h_response r;
    h_http_headers(&server, "POST", "/signin", NULL, "application/x-www-form-urlencoded", form,
                   strlen(form), headers, &r);
    free(form);
    assert_int_equal(r.status, 403);
    assert_null(h_response_header(&r, "Set-Cookie"));
    assert_non_null(strstr(r.body, "another site"));
    h_response_free(&r);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.tokens"), before);
}

static void test_signout(void **state)
{
    (void)state;
    char *session = h_signin(&server, admin);
    struct h_response page;
    h_page(&server, "GET", "/app", session, NULL, &page);
    char *csrf = h_page_csrf(&page);
    assert_non_null(csrf);
    h_response_free(&page);

    /* without the csrf field, or with another session's: refused, nothing changes */
    char *other = h_signin(&server, admin);
    h_page(&server, "GET", "/app", other, NULL, &page);
    char *other_csrf = h_page_csrf(&page);
    h_response_free(&page);
    assert_string_not_equal(csrf, other_csrf);
    char *forged = h_strf("csrf=%s", other_csrf);
    const char *bad_forms[] = {"", "csrf=", forged};
    for (size_t i = 0; i < sizeof bad_forms / sizeof bad_forms[0]; i++) {
        char *before = h_org_snapshot_all(&db, org_slug);
        struct h_response r;
        h_page(&server, "POST", "/signout", session, bad_forms[i], &r);
        assert_int_equal(r.status, 403);
        assert_non_null(strstr(r.body, "nothing was saved"));
        h_response_free(&r);
        char *after = h_org_snapshot_all(&db, org_slug);
        assert_string_equal(before, after);
        free(before);
        free(after);
    }
    free(forged);

    /* a form must be a form */
    struct h_response r;
    char *body = h_strf("{\"csrf\": \"%s\"}", csrf);
    char *cookie = h_strf("Cookie: mcred_session=%s", session);
    const char *headers[] = {cookie, NULL};
    h_http_headers(&server, "POST", "/signout", NULL, "application/json", body, strlen(body),
                   headers, &r);
    assert_int_equal(r.status, 415);
    assert_non_null(strstr(r.body, "<h1>"));
    h_response_free(&r);
    free(body);
    free(cookie);

    char *form = h_strf("csrf=%s", csrf);
    h_page(&server, "POST", "/signout", session, form, &r);
    assert_int_equal(r.status, 303);
    expect_header(&r, "Location", "/signin?signed_out=1");
    expect_header(&r, "Set-Cookie", "mcred_session=;");
    expect_header(&r, "Set-Cookie", "Max-Age=0");
    h_response_free(&r);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.audit"
                                          " WHERE action = 'session.close'"),
                     1);

    /* the old cookie opens nothing; the other session still works */
    h_page(&server, "GET", "/app", session, NULL, &r);
    assert_int_equal(r.status, 303);
    expect_header(&r, "Location", "/signin");
    expect_header(&r, "Set-Cookie", "Max-Age=0");
    h_response_free(&r);
    h_page(&server, "GET", "/app", other, NULL, &r);
    assert_int_equal(r.status, 200);
    h_response_free(&r);
    h_page(&server, "GET", "/signin?signed_out=1", NULL, NULL, &r);
    assert_non_null(strstr(r.body, "You have signed out."));
    h_response_free(&r);
    free(form);
    free(csrf);
    free(other_csrf);
    free(other);
    free(session);
}

static void test_expired_session(void **state)
{
    (void)state;
    char *session = h_signin(&server, admin);
    h_db_exec_super(&db, "UPDATE mcred.tokens SET expires_at = now() - interval '1 second'"
                         " WHERE kind = 'session'");
    struct h_response r;
    h_page(&server, "GET", "/app", session, NULL, &r);
    assert_int_equal(r.status, 303);
    expect_header(&r, "Location", "/signin");
    h_response_free(&r);
    free(session);
}

static void test_invitation_signin(void **state)
{
    (void)state;
    free(h_person(&server, admin, "lena@pages.example", "Lena <script>alert(1)</script>", NULL));
    char *path = h_strf("/v1/cohorts/%s/members", cohort);
    cJSON_Delete(call("POST", path, admin,
                      "{\"members\": [{\"email\": \"lena@pages.example\", \"role\": \"learner\"}]}",
                      201));
    free(path);
    path = h_strf("/v1/cohorts/%s/invitations", cohort);
    cJSON *j = call("POST", path, admin, "{\"people\": [\"lena@pages.example\"]}", 201);
    free(path);
    char *code = strdup(h_json_string(j, "items[0].code"));
    cJSON_Delete(j);

    char *form = h_strf("secret=%s", code);
    struct h_response r;
    h_page(&server, "POST", "/signin", NULL, form, &r);
    assert_int_equal(r.status, 200);
    expect_header(&r, "Set-Cookie", "mcred_session=mcs_");
    const char *key = strstr(r.body, "id=\"sign-in-key\">");
    assert_non_null(key);
    key += strlen("id=\"sign-in-key\">");
    char *token = strndup(key, strcspn(key, "<"));
    h_response_free(&r);
    assert_int_equal(strncmp(token, "mcr_", 4), 0);

    /* the key shown signs in again; the person's name is text */
    char *session = h_signin(&server, token);
    h_page(&server, "GET", "/app", session, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Lena &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(r.body, "<script>"));
    h_response_free(&r);

    /* the code is spent: the invitation's own refusal, in words */
    h_page(&server, "POST", "/signin", NULL, form, &r);
    assert_int_equal(r.status, 401);
    assert_non_null(strstr(r.body, "already been used"));
    h_response_free(&r);
    free(form);
    free(session);
    free(token);
    free(code);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signin_page),        cmocka_unit_test(test_wrong_keys),
        cmocka_unit_test(test_session_cookie),     cmocka_unit_test(test_secure_over_tls),
        cmocka_unit_test(test_other_site_refused), cmocka_unit_test(test_signout),
        cmocka_unit_test(test_expired_session),    cmocka_unit_test(test_invitation_signin),
    };
    return h_run_tests(tests, setup, teardown);
}
