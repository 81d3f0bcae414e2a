/*
 * test_router.c — route matching and table checks (server/router.h).
 *
 * Covers: router_match on literal paths, `{name}` placeholders and their
 * values (route_param), HEAD served by GET routes; 404 for unknown paths,
 * a trailing slash, an empty segment where a placeholder is, a parameter
 * of MC_MAX_PARAM_VALUE bytes or more; 405 with the Allow list ("GET,
 * HEAD, POST": comma and space, HEAD added after GET, no repeats, cut
 * short but terminated when the caller's buffer is small); 414 past
 * MC_MAX_URL; outputs untouched on failure; router_count; router_validate
 * refusing duplicates, malformed placeholders, empty segments, relative
 * paths, missing handlers and too many segments or placeholders; and the
 * real table mcred_routes passing router_validate with every route
 * reachable through router_match.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "router.h"
#include "routes.h"

#include "mcred/banned.h"

static enum mc_err h(struct request *r)
{
    (void)r;
    return MC_OK;
}

enum {
    R_ROOT,
    R_HEALTH,
    R_COHORTS_GET,
    R_COHORTS_POST,
    R_COHORT_GET,
    R_COHORT_DELETE,
    R_MEMBER_GET,
    R_MEMBER_PUT,
    R_COHORTS_EXPORT,
    R_TOKENS_POST,
    R_COUNT,
};

static const struct route table[] = {
    [R_ROOT] = {.method = "GET", .path = "/", .handler = h},
    [R_HEALTH] = {.method = "GET", .path = "/healthz", .handler = h},
    [R_COHORTS_GET] = {.method = "GET", .path = "/v1/cohorts", .handler = h},
    [R_COHORTS_POST] = {.method = "POST", .path = "/v1/cohorts", .handler = h},
    [R_COHORT_GET] = {.method = "GET", .path = "/v1/cohorts/{id}", .handler = h},
    [R_COHORT_DELETE] = {.method = "DELETE", .path = "/v1/cohorts/{id}", .handler = h},
    [R_MEMBER_GET] = {.method = "GET", .path = "/v1/cohorts/{id}/members/{person}", .handler = h},
    [R_MEMBER_PUT] = {.method = "PUT", .path = "/v1/cohorts/{id}/members/{person}", .handler = h},
    [R_COHORTS_EXPORT] = {.method = "POST", .path = "/v1/cohorts/export", .handler = h},
    [R_TOKENS_POST] = {.method = "POST", .path = "/v1/tokens", .handler = h},
    [R_COUNT] = {.method = NULL},
};

/* Match and expect MC_OK on table[index]; returns the params. */
static struct route_params match_ok(const char *method, const char *path, size_t index)
{
    const struct route *route = NULL;
    struct route_params params;
    memset(&params, 0xAA, sizeof params);
    char allow[64] = "junk";
    enum mc_err rc = router_match(table, method, path, &route, &params, allow, sizeof allow);
    if (rc != MC_OK)
        fail_msg("%s %s: %s, expected a match", method, path, mc_err_name(rc));
    if (route != &table[index])
        fail_msg("%s %s matched route %td, expected %zu", method, path, route - table, index);
    return params;
}

/* Match and expect `expected`; outputs must be left alone; returns nothing. */
static void match_fails(const char *method, const char *path, enum mc_err expected,
                        const char *expected_allow)
{
    const struct route *sentinel_route = &table[R_COUNT];
    const struct route *route = sentinel_route;
    struct route_params params = {.count = 3};
    char allow[64] = "junk";
    enum mc_err rc = router_match(table, method, path, &route, &params, allow, sizeof allow);
    if (rc != expected)
        fail_msg("%s %s: %s, expected %s", method, path, mc_err_name(rc), mc_err_name(expected));
    assert_ptr_equal(route, sentinel_route);
    assert_int_equal(params.count, 3);
    if (expected_allow && strcmp(allow, expected_allow) != 0)
        fail_msg("%s %s: Allow \"%s\", expected \"%s\"", method, path, allow, expected_allow);
}

static void test_literal_paths(void **state)
{
    (void)state;
    struct route_params p = match_ok("GET", "/healthz", R_HEALTH);
    assert_int_equal(p.count, 0);
    p = match_ok("GET", "/", R_ROOT);
    assert_int_equal(p.count, 0);
    match_ok("GET", "/v1/cohorts", R_COHORTS_GET);
    match_ok("POST", "/v1/cohorts", R_COHORTS_POST);
    match_ok("POST", "/v1/tokens", R_TOKENS_POST);
}

static void test_placeholders(void **state)
{
    (void)state;
    struct route_params p = match_ok("GET", "/v1/cohorts/c-123", R_COHORT_GET);
    assert_int_equal(p.count, 1);
    assert_string_equal(route_param(&p, "id"), "c-123");
    assert_null(route_param(&p, "person"));
    assert_null(route_param(&p, "i"));

    p = match_ok("DELETE", "/v1/cohorts/42", R_COHORT_DELETE);
    assert_string_equal(route_param(&p, "id"), "42");

    p = match_ok("PUT", "/v1/cohorts/c1/members/p2", R_MEMBER_PUT);
    assert_int_equal(p.count, 2);
    assert_string_equal(route_param(&p, "id"), "c1");
    assert_string_equal(route_param(&p, "person"), "p2");

    /* the value is taken as it comes, percent-escapes and all */
    p = match_ok("GET", "/v1/cohorts/a%2Fb", R_COHORT_GET);
    assert_string_equal(route_param(&p, "id"), "a%2Fb");
}

/* A literal route after a placeholder route with the same shape. */
static void test_literal_and_placeholder_overlap(void **state)
{
    (void)state;
    struct route_params p = match_ok("GET", "/v1/cohorts/export", R_COHORT_GET);
    assert_string_equal(route_param(&p, "id"), "export");
    p = match_ok("POST", "/v1/cohorts/export", R_COHORTS_EXPORT);
    assert_int_equal(p.count, 0);
    match_fails("PUT", "/v1/cohorts/export", MC_ERR_METHOD, "GET, HEAD, DELETE, POST");
}

static void test_head_served_by_get(void **state)
{
    (void)state;
    match_ok("HEAD", "/healthz", R_HEALTH);
    struct route_params p = match_ok("HEAD", "/v1/cohorts/c9", R_COHORT_GET);
    assert_string_equal(route_param(&p, "id"), "c9");
    /* but not by other methods */
    match_fails("HEAD", "/v1/tokens", MC_ERR_METHOD, "POST");
}

static void test_not_found(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/nope",
        "/v1",
        "/v1/",
        "/healthz/", /* a trailing slash is another path */
        "/v1/cohorts/",
        "/v1/cohorts//members/p", /* an empty segment is not a value */
        "/v1/cohorts/c1/members/",
        "/v1/cohorts/c1/members",
        "/v1/cohorts/c1/members/p/extra",
        "/v1/cohorts/a/b",
        "//healthz",
        "/HEALTHZ",
        "/healthzz",
        "/health",
        "healthz",
        "",
        NULL,
    };
    for (size_t i = 0; paths[i]; i++) {
        match_fails("GET", paths[i], MC_ERR_NOT_FOUND, "");
        match_fails("DELETE", paths[i], MC_ERR_NOT_FOUND, "");
    }
}

static void test_method_not_allowed(void **state)
{
    (void)state;
    match_fails("POST", "/healthz", MC_ERR_METHOD, "GET, HEAD");
    match_fails("DELETE", "/v1/cohorts", MC_ERR_METHOD, "GET, HEAD, POST");
    match_fails("PATCH", "/v1/cohorts/c1", MC_ERR_METHOD, "GET, HEAD, DELETE");
    match_fails("POST", "/v1/cohorts/c1/members/p1", MC_ERR_METHOD, "GET, HEAD, PUT");
    match_fails("GET", "/v1/tokens", MC_ERR_METHOD, "POST");
    /* methods are case-sensitive */
    match_fails("get", "/healthz", MC_ERR_METHOD, "GET, HEAD");
}

/* An explicit HEAD route and the HEAD implied by GET appear once. */
static void test_allow_has_no_repeats(void **state)
{
    (void)state;
    static const struct route t[] = {
        {.method = "GET", .path = "/x", .handler = h},
        {.method = "HEAD", .path = "/x", .handler = h},
        {.method = "GET", .path = "/{id}", .handler = h},
        {.method = "POST", .path = "/{id}", .handler = h},
        {.method = NULL},
    };
    const struct route *route = NULL;
    struct route_params params;
    char allow[64];
    assert_int_equal(router_match(t, "PUT", "/x", &route, &params, allow, sizeof allow),
                     MC_ERR_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST");
    /* the explicit HEAD route is used for HEAD when it comes first */
    static const struct route t2[] = {
        {.method = "HEAD", .path = "/y", .handler = h},
        {.method = "GET", .path = "/y", .handler = h},
        {.method = NULL},
    };
    assert_int_equal(router_match(t2, "HEAD", "/y", &route, &params, allow, sizeof allow), MC_OK);
    assert_ptr_equal(route, &t2[0]);
}

/* A small Allow buffer is cut short but stays a terminated string. */
static void test_allow_small_buffer(void **state)
{
    (void)state;
    const struct route *route = NULL;
    struct route_params params;
    char allow[16];
    memset(allow, 'Z', sizeof allow);
    assert_int_equal(router_match(table, "PUT", "/v1/cohorts/export", &route, &params, allow, 8),
                     MC_ERR_METHOD);
    assert_true(strlen(allow) < 8);
    assert_memory_equal(allow, "GET, ", 5);
    for (size_t i = 8; i < sizeof allow; i++)
        assert_int_equal(allow[i], 'Z');
}

static void test_uri_too_long(void **state)
{
    (void)state;
    static char path[MC_MAX_URL + 2];
    path[0] = '/';
    memset(path + 1, 'a', MC_MAX_URL);
    path[MC_MAX_URL + 1] = '\0';
    match_fails("GET", path, MC_ERR_URI_TOO_LONG, "");
    path[MC_MAX_URL] = '\0'; /* exactly MC_MAX_URL bytes: routed, just unknown */
    match_fails("GET", path, MC_ERR_NOT_FOUND, "");
}

static void test_param_length_limit(void **state)
{
    (void)state;
    char path[64 + MC_MAX_PARAM_VALUE];
    const char *prefix = "/v1/cohorts/";
    size_t plen = strlen(prefix);
    memcpy(path, prefix, plen);
    memset(path + plen, 'v', MC_MAX_PARAM_VALUE - 1);
    path[plen + MC_MAX_PARAM_VALUE - 1] = '\0';
    struct route_params p = match_ok("GET", path, R_COHORT_GET);
    assert_int_equal(strlen(route_param(&p, "id")), MC_MAX_PARAM_VALUE - 1);
    assert_memory_equal(route_param(&p, "id"), path + plen, MC_MAX_PARAM_VALUE - 1);

    path[plen + MC_MAX_PARAM_VALUE - 1] = 'v';
    path[plen + MC_MAX_PARAM_VALUE] = '\0';
    match_fails("GET", path, MC_ERR_NOT_FOUND, "");
}

static void test_router_count(void **state)
{
    (void)state;
    static const struct route empty[] = {{.method = NULL}};
    assert_int_equal(router_count(table), R_COUNT);
    assert_int_equal(router_count(empty), 0);
}

static void test_validate_accepts_good_tables(void **state)
{
    (void)state;
    static const struct route good[] = {
        {.method = "GET", .path = "/", .handler = h},
        {.method = "GET", .path = "/a/{w}/{x}/{y}/{z}", .handler = h},
        {.method = "GET", .path = "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16", .handler = h},
        {.method = "POST", .path = "/a/{w}/{x}/{y}/{z}", .handler = h},
        {.method = NULL},
    };
    struct mc_error err;
    mc_error_clear(&err);
    assert_int_equal(router_validate(table, &err), MC_OK);
    assert_int_equal(router_validate(good, &err), MC_OK);
    assert_int_equal(err.code, MC_OK);
}

/* router_validate must refuse a two-route table whose second route is `bad`. */
static void validate_refuses(struct route bad, const char *needle)
{
    const struct route t[] = {
        {.method = "GET", .path = "/ok/{id}", .handler = h},
        bad,
        {.method = NULL},
    };
    struct mc_error err;
    mc_error_clear(&err);
    enum mc_err rc = router_validate(t, &err);
    if (rc != MC_ERR_INTERNAL)
        fail_msg("route %s %s: %s, expected a refusal", bad.method, bad.path, mc_err_name(rc));
    assert_int_equal(err.code, MC_ERR_INTERNAL);
    assert_string_equal(err.field, bad.path);
    if (!strstr(err.message, needle))
        fail_msg("route %s: message \"%s\" lacks \"%s\"", bad.path, err.message, needle);
}

static void test_validate_refuses_bad_routes(void **state)
{
    (void)state;
    validate_refuses((struct route){.method = "GET", .path = "/ok/{id}", .handler = h},
                     "appears twice");
    validate_refuses((struct route){.method = "GET", .path = "/a/{id", .handler = h},
                     "malformed placeholder");
    validate_refuses((struct route){.method = "GET", .path = "/a/id}", .handler = h},
                     "malformed placeholder");
    validate_refuses((struct route){.method = "GET", .path = "/a/{}", .handler = h},
                     "malformed placeholder");
    validate_refuses((struct route){.method = "GET", .path = "/a/x{id}", .handler = h},
                     "malformed placeholder");
    validate_refuses((struct route){.method = "GET", .path = "/a/{id}x", .handler = h},
                     "malformed placeholder");
    validate_refuses((struct route){.method = "GET", .path = "/a//b", .handler = h},
                     "empty segment");
    validate_refuses((struct route){.method = "GET", .path = "a/b", .handler = h}, "malformed");
    validate_refuses((struct route){.method = "GET", .path = "", .handler = h}, "malformed");
    validate_refuses((struct route){.method = "GET", .path = "/a", .handler = NULL}, "malformed");
    validate_refuses(
        (struct route){.method = "GET", .path = "/a/{v}/{w}/{x}/{y}/{z}", .handler = h},
        "too long");
    validate_refuses((struct route){.method = "GET",
                                    .path = "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17",
                                    .handler = h},
                     "too long");
    validate_refuses((struct route){.method = "GET", .path = "/a/{a{b}", .handler = h},
                     "malformed placeholder");
    validate_refuses((struct route){.method = "GET", .path = "/a/{a}b}", .handler = h},
                     "malformed placeholder");
    /* a name router_match could never fill: the route would be unreachable */
    validate_refuses((struct route){.method = "GET",
                                    .path = "/a/{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}",
                                    .handler = h},
                     "malformed placeholder");
    /* the same pattern under another placeholder name is the same route */
    validate_refuses((struct route){.method = "GET", .path = "/ok/{other}", .handler = h},
                     "appears twice");
}

/* The server's own table is valid and every route in it can be reached. */
static void test_real_routes(void **state)
{
    (void)state;
    struct mc_error err;
    mc_error_clear(&err);
    if (router_validate(mcred_routes, &err) != MC_OK)
        fail_msg("mcred_routes: %s (%s)", err.message, err.field);
    size_t n = router_count(mcred_routes);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const struct route *r = &mcred_routes[i];
        assert_non_null(r->handler);
        /* a concrete path: every placeholder replaced by a value */
        char path[MC_MAX_URL + 1] = "";
        size_t used = 0;
        for (const char *p = r->path; *p;) {
            size_t len = strcspn(p, "/");
            if (len == 0) {
                path[used++] = *p++;
                continue;
            }
            const char *piece = p[0] == '{' ? "00000000-0000-0000-0000-000000000001" : NULL;
            int w = piece ? snprintf(path + used, sizeof path - used, "%s", piece)
                          : snprintf(path + used, sizeof path - used, "%.*s", (int)len, p);
            assert_true(w > 0 && (size_t)w < sizeof path - used);
            used += (size_t)w;
            p += len;
        }
        path[used] = '\0';
        const struct route *found = NULL;
        struct route_params params;
        char allow[64];
        enum mc_err rc =
            router_match(mcred_routes, r->method, path, &found, &params, allow, sizeof allow);
        if (rc != MC_OK || found != r)
            fail_msg("route %s %s is not reached by %s %s (%s)", r->method, r->path, r->method,
                     path, mc_err_name(rc));
        /* the placeholder names are what handlers ask for */
        for (const char *p = strchr(r->path, '{'); p; p = strchr(p + 1, '{')) {
            char name[MC_MAX_PARAM_NAME];
            size_t len = strcspn(p + 1, "}");
            assert_true(len < sizeof name);
            memcpy(name, p + 1, len);
            name[len] = '\0';
            assert_non_null(route_param(&params, name));
        }
    }
}

/* Every route says what it does in a user's words: refusals and /openapi.json use it. */
static void test_every_route_has_a_summary(void **state)
{
    (void)state;
    for (size_t i = 0; mcred_routes[i].method; i++) {
        const struct route *r = &mcred_routes[i];
        if (!r->summary || !*r->summary)
            fail_msg("route %s %s has no summary", r->method, r->path);
        /* a phrase for "you may not <summary>": no route, no placeholder, lower case */
        if (strchr(r->summary, '/') || strchr(r->summary, '{') ||
            !(r->summary[0] >= 'a' && r->summary[0] <= 'z'))
            fail_msg("route %s %s: summary \"%s\" is not a phrase in a user's words", r->method,
                     r->path, r->summary);
    }
}

static const struct route *route_of(const char *method, const char *path)
{
    for (size_t i = 0; mcred_routes[i].method; i++)
        if (strcmp(mcred_routes[i].method, method) == 0 && strcmp(mcred_routes[i].path, path) == 0)
            return &mcred_routes[i];
    fail_msg("no route %s %s", method, path);
    return NULL;
}

static void test_refusals_in_words(void **state)
{
    (void)state;
    char out[512];
    assert_true(
        route_refusal(route_of("POST", "/v1/cohorts/{id}/scores"), "Spring 2027", out, sizeof out));
    assert_string_equal(out, "you may not record a score in Spring 2027: only coordinators and "
                             "the cohort's coaches (for their own learners) may");
    assert_true(
        route_refusal(route_of("GET", "/v1/cohorts/{id}/members"), "Spring 2027", out, sizeof out));
    assert_string_equal(out, "you may not see a cohort's members in Spring 2027: only "
                             "coordinators, leaders and the cohort's coaches may");
    assert_true(
        route_refusal(route_of("POST", "/v1/cohorts/{id}/evidence"), NULL, out, sizeof out));
    assert_string_equal(out, "you may not add evidence: only coordinators and the cohort's coaches "
                             "(for their own learners) and learners (for themselves) may");
    assert_true(route_refusal(route_of("POST", "/v1/tokens"), NULL, out, sizeof out));
    assert_string_equal(out, "you may not create an access token: only administrators may");
    assert_true(
        route_refusal(route_of("PUT", "/v1/sessions/{id}/attendance"), "", out, sizeof out));
    assert_string_equal(out, "you may not record attendance: only coordinators and the cohort's "
                             "coaches (for their own learners) may");
    assert_true(
        route_refusal(route_of("PATCH", "/v1/cohorts/{id}"), "Spring 2027", out, sizeof out));
    assert_string_equal(out, "you may not change a cohort (Spring 2027): only coordinators may");
    struct route nobody = {.method = "GET", .path = "/x", .summary = "look"};
    assert_true(route_refusal(&nobody, "C", out, sizeof out));
    assert_string_equal(out, "nobody may look in C");
    /* too small: cut, and said so */
    assert_false(route_refusal(route_of("POST", "/v1/tokens"), NULL, out, 10));
    assert_int_equal(strlen(out), 9);
}

static void test_routes_naming_cohorts(void **state)
{
    (void)state;
    assert_true(route_names_cohort(route_of("GET", "/v1/cohorts/{id}")));
    assert_true(route_names_cohort(route_of("POST", "/v1/cohorts/{id}/scores")));
    assert_true(route_names_cohort(route_of("GET", "/v1/cohorts/{id}/members/{person}/status")));
    assert_false(route_names_cohort(route_of("GET", "/v1/cohorts")));
    assert_false(route_names_cohort(route_of("GET", "/v1/sessions/{id}/attendance")));
    struct route longer = {.method = "GET", .path = "/v1/cohorts/{idx}"};
    assert_false(route_names_cohort(&longer));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_paths),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_literal_and_placeholder_overlap),
        cmocka_unit_test(test_head_served_by_get),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_method_not_allowed),
        cmocka_unit_test(test_allow_has_no_repeats),
        cmocka_unit_test(test_allow_small_buffer),
        cmocka_unit_test(test_uri_too_long),
        cmocka_unit_test(test_param_length_limit),
        cmocka_unit_test(test_router_count),
        cmocka_unit_test(test_validate_accepts_good_tables),
        cmocka_unit_test(test_validate_refuses_bad_routes),
        cmocka_unit_test(test_real_routes),
        cmocka_unit_test(test_every_route_has_a_summary),
        cmocka_unit_test(test_refusals_in_words),
        cmocka_unit_test(test_routes_naming_cohorts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
