/*
 * test_roles.c — the role matrix: every route of server/routes.c, called
 * by every kind of caller (no token, admin, coordinator, leader, none),
 * on an object of the caller's organisation and on one of another
 * organisation, against the roles docs/api.md gives each route.
 *
 * The matrix below is written from docs/api.md, not from routes.c; the
 * test fails when a route has no row or a row no route, so every route
 * added later must join the matrix.  Expected answers:
 *   - public routes: the success status for everyone;
 *   - no token: 401;
 *   - a role the route does not allow: 403, even for another
 *     organisation's id (the role check comes before any lookup);
 *   - an allowed role: the success status with an object of its own
 *     organisation, 404 with another organisation's.
 * Every mismatch is printed on its own line; the test fails at the end.
 *
 * Also: the escalation rule (only an admin may give or take the admin
 * and coordinator roles), through POST and PATCH /v1/people and through
 * the roster import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "routes.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

/* The callers, in the order the matrix tries them. */
enum caller { ANONYMOUS, ADMIN, COORDINATOR, LEADER, NONE, N_CALLERS };
static const char *const caller_names[N_CALLERS] = {"anonymous", "admin", "coordinator", "leader",
                                                    "none"};
/* The org_role of each caller but the first (ROLE_* bits from router.h, as names only). */
static const unsigned caller_role[N_CALLERS] = {0, ROLE_ADMIN, ROLE_COORDINATOR, ROLE_LEADER,
                                                ROLE_NONE};

struct org {
    const char *slug;
    char *bootstrap_token; /* the bootstrap admin: makes the objects */
    char *person_id[N_CALLERS];
    char *token[N_CALLERS]; /* NULL for ANONYMOUS */
};
static struct org own = {.slug = "own"}, other = {.slug = "other"};

/* What a request needs in its body. */
enum body {
    BODY_NONE,
    BODY_PERSON_NEW,   /* POST /v1/people */
    BODY_PERSON_PATCH, /* PATCH /v1/people/{id} */
    BODY_ROSTER,       /* POST /v1/people/import, text/csv */
    BODY_TOKEN_NEW,    /* POST /v1/tokens */
};

/* What the {id} of a path names; a fresh one is made for every case. */
enum object { OBJ_NONE, OBJ_PERSON, OBJ_TOKEN };

#define ANY_ROLE (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_LEADER | ROLE_NONE)
#define PEOPLE   (ROLE_ADMIN | ROLE_COORDINATOR)

struct row {
    const char *method;
    const char *path; /* exactly as in the route table */
    bool public_route;
    unsigned allowed; /* ROLE_* bits, from docs/api.md */
    enum body body;
    enum object object;
    long success;
};

/* docs/api.md, route by route. */
static const struct row matrix[] = {
    {"GET", "/healthz", true, 0, BODY_NONE, OBJ_NONE, 200},
    {"GET", "/readyz", true, 0, BODY_NONE, OBJ_NONE, 200},
    {"GET", "/metrics", true, 0, BODY_NONE, OBJ_NONE, 200},

    {"GET", "/v1/me", false, ANY_ROLE, BODY_NONE, OBJ_NONE, 200},

    {"POST", "/v1/people", false, PEOPLE, BODY_PERSON_NEW, OBJ_NONE, 201},
    {"GET", "/v1/people", false, PEOPLE, BODY_NONE, OBJ_NONE, 200},
    {"GET", "/v1/people/{id}", false, PEOPLE, BODY_NONE, OBJ_PERSON, 200},
    {"PATCH", "/v1/people/{id}", false, PEOPLE, BODY_PERSON_PATCH, OBJ_PERSON, 200},
    {"POST", "/v1/people/import", false, PEOPLE, BODY_ROSTER, OBJ_NONE, 200},

    {"GET", "/v1/tokens", false, ROLE_ADMIN, BODY_NONE, OBJ_NONE, 200},
    {"POST", "/v1/tokens", false, ROLE_ADMIN, BODY_TOKEN_NEW, OBJ_NONE, 201},
    {"DELETE", "/v1/tokens/{id}", false, ROLE_ADMIN, BODY_NONE, OBJ_TOKEN, 204},
};
#define N_ROWS (sizeof matrix / sizeof matrix[0])

static unsigned serial; /* makes e-mails and names unique */

/* A person in org, made by its bootstrap admin; returns the id. */
static char *make_person(const struct org *o, const char *email, const char *role)
{
    char *body =
        h_strf("{\"email\": \"%s\", \"name\": \"%s\", \"org_role\": \"%s\"}", email, role, role);
    struct h_response r;
    h_post_json(&server, "/v1/people", o->bootstrap_token, body, &r);
    if (r.status != 201 || !h_json_string(r.json, "id"))
        fail_msg("POST /v1/people %s in %s: %ld %s", body, o->slug, r.status, r.body);
    char *id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    free(body);
    return id;
}

/* A token for a person of org, made by its bootstrap admin; *id_out (may be NULL) gets its id. */
static char *make_token(const struct org *o, const char *person_id, char **id_out)
{
    char *body = person_id
                     ? h_strf("{\"name\": \"matrix %u\", \"person\": \"%s\"}", ++serial, person_id)
                     : h_strf("{\"name\": \"matrix %u\"}", ++serial);
    struct h_response r;
    h_post_json(&server, "/v1/tokens", o->bootstrap_token, body, &r);
    if (r.status != 201 || !h_json_string(r.json, "token") || !h_json_string(r.json, "id"))
        fail_msg("POST /v1/tokens %s in %s: %ld %s", body, o->slug, r.status, r.body);
    char *token = strdup(h_json_string(r.json, "token"));
    if (id_out)
        *id_out = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    free(body);
    return token;
}

static void org_setup(struct org *o)
{
    char *email = h_strf("admin@%s.example", o->slug);
    o->bootstrap_token = h_bootstrap(&server, o->slug, email);
    free(email);
    for (int c = ADMIN; c < N_CALLERS; c++) {
        email = h_strf("%s@%s.example", caller_names[c], o->slug);
        if (c == ADMIN) { /* the bootstrap admin has that address: a second admin */
            free(email);
            email = h_strf("admin2@%s.example", o->slug);
        }
        o->person_id[c] = make_person(o, email, caller_names[c]);
        o->token[c] = make_token(o, o->person_id[c], NULL);
        free(email);
    }
}

static void org_free(struct org *o)
{
    free(o->bootstrap_token);
    for (int c = 0; c < N_CALLERS; c++) {
        free(o->person_id[c]);
        free(o->token[c]);
    }
}

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    org_setup(&own);
    org_setup(&other);
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    org_free(&own);
    org_free(&other);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

/* ---- the matrix and the route table agree ---- */

static bool row_has_route(const struct row *row)
{
    for (const struct route *rt = mcred_routes; rt->method; rt++)
        if (strcmp(rt->method, row->method) == 0 && strcmp(rt->path, row->path) == 0)
            return true;
    return false;
}

static const struct row *route_row(const struct route *rt)
{
    for (size_t i = 0; i < N_ROWS; i++)
        if (strcmp(rt->method, matrix[i].method) == 0 && strcmp(rt->path, matrix[i].path) == 0)
            return &matrix[i];
    return NULL;
}

static void test_every_route_has_a_row(void **state)
{
    int missing = 0;
    for (const struct route *rt = mcred_routes; rt->method; rt++) {
        const struct row *row = route_row(rt);
        if (!row) {
            fprintf(stderr, "route %s %s has no row in the role matrix (test_roles.c)\n",
                    rt->method, rt->path);
            missing++;
        } else if (row->public_route != ((rt->flags & ROUTE_PUBLIC) != 0)) {
            fprintf(stderr, "route %s %s: routes.c says %s, the matrix says %s\n", rt->method,
                    rt->path, rt->flags & ROUTE_PUBLIC ? "public" : "authenticated",
                    row->public_route ? "public" : "authenticated");
            missing++;
        }
    }
    for (size_t i = 0; i < N_ROWS; i++)
        if (!row_has_route(&matrix[i])) {
            fprintf(stderr, "matrix row %s %s has no route in server/routes.c\n", matrix[i].method,
                    matrix[i].path);
            missing++;
        }
    assert_int_equal(missing, 0);
}

/* ---- the matrix over HTTP ---- */

/* path with its one {placeholder} replaced by id (malloc'd). */
static char *fill_path(const char *pattern, const char *id)
{
    const char *open = strchr(pattern, '{');
    if (!open)
        return strdup(pattern);
    const char *close = strchr(open, '}');
    assert_non_null(close);
    assert_null(strchr(close, '{')); /* one placeholder per path, for now */
    return h_strf("%.*s%s%s", (int)(open - pattern), pattern, id, close + 1);
}

static char *make_object(enum object kind, const struct org *o)
{
    switch (kind) {
    case OBJ_PERSON: {
        char *email = h_strf("object%u@%s.example", ++serial, o->slug);
        char *id = make_person(o, email, "none");
        free(email);
        return id;
    }
    case OBJ_TOKEN: {
        char *id = NULL;
        free(make_token(o, NULL, &id));
        return id;
    }
    case OBJ_NONE:
        break;
    }
    return NULL;
}

/* Send the row's request; returns the status. */
static long send_case(const struct row *row, const char *path, const char *token,
                      const struct org *caller_org, char **body_out)
{
    char *body = NULL;
    const char *ct = NULL;
    unsigned n = ++serial;
    switch (row->body) {
    case BODY_NONE:
        break;
    case BODY_PERSON_NEW:
        body = h_strf("{\"email\": \"new%u@%s.example\", \"name\": \"New %u\"}", n,
                      caller_org->slug, n);
        ct = "application/json";
        break;
    case BODY_PERSON_PATCH:
        body = h_strf("{\"name\": \"Renamed %u\", \"attributes\": {\"school\": \"Lincoln\"}}", n);
        ct = "application/json";
        break;
    case BODY_ROSTER:
        body = h_strf("email,name,school\r\nroster%u@%s.example,Roster %u,Lincoln\r\n", n,
                      caller_org->slug, n);
        ct = "text/csv";
        break;
    case BODY_TOKEN_NEW:
        body = h_strf("{\"name\": \"made in the matrix %u\"}", n);
        ct = "application/json";
        break;
    }
    struct h_response r;
    h_http(&server, row->method, path, token, ct, body, body ? strlen(body) : 0, &r);
    long status = r.status;
    /* a refusal must be in the error shape, with the code that goes with its status */
    const char *code = h_json_string(r.json, "error.code");
    const char *want_code = status == 401   ? "unauthenticated"
                            : status == 403 ? "forbidden"
                            : status == 404 ? "not_found"
                                            : NULL;
    if (want_code && (!code || strcmp(code, want_code) != 0)) {
        fprintf(stderr, "%s %s: status %ld with body %s (want error.code %s)\n", row->method, path,
                status, r.body, want_code);
        status = -status; /* a mismatch whatever was expected */
    }
    h_response_free(&r);
    *body_out = body;
    return status;
}

/* After a refusal: is the object as it was made? */
static bool object_untouched(enum object kind, const char *id)
{
    char *sql = kind == OBJ_PERSON
                    ? h_strf("SELECT name = 'none' AND org_role = 'none' AND attributes = '{}'"
                             " FROM mcred.people WHERE id = '%s'",
                             id)
                    : h_strf("SELECT revoked_at IS NULL FROM mcred.tokens WHERE id = '%s'", id);
    char *v = h_db_query_super(&db, sql);
    bool same = v && strcmp(v, "t") == 0;
    free(v);
    free(sql);
    return same;
}

static long expected(const struct row *row, enum caller c, bool other_org_object)
{
    if (row->public_route)
        return row->success;
    if (c == ANONYMOUS)
        return 401;
    if (!(row->allowed & caller_role[c]))
        return 403;
    return other_org_object ? 404 : row->success;
}

static void test_matrix(void **state)
{
    int cases = 0, mismatches = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        const struct row *row = &matrix[i];
        bool has_object = strchr(row->path, '{') != NULL;
        for (int c = 0; c < N_CALLERS; c++) {
            for (int on_other = 0; on_other <= (has_object ? 1 : 0); on_other++) {
                const struct org *object_org = on_other ? &other : &own;
                char *id = has_object ? make_object(row->object, object_org) : NULL;
                if (has_object && !id)
                    fail_msg("matrix row %s %s: no object maker", row->method, row->path);
                char *path = fill_path(row->path, id);
                char *body = NULL;
                long got = send_case(row, path, own.token[c], &own, &body);
                long want = expected(row, (enum caller)c, on_other);
                cases++;
                if (got != want) {
                    mismatches++;
                    fprintf(stderr, "%s %s as %s%s: got %ld, want %ld%s%s\n", row->method,
                            row->path, caller_names[c],
                            has_object ? (on_other ? " on other org" : " on own org") : "",
                            got < 0 ? -got : got, want, body ? " — body: " : "", body ? body : "");
                }
                if (id && want != row->success && !object_untouched(row->object, id)) {
                    mismatches++;
                    fprintf(stderr, "%s %s as %s%s: refused, but the object changed\n", row->method,
                            row->path, caller_names[c], on_other ? " on other org" : " on own org");
                }
                free(body);
                free(path);
                free(id);
            }
        }
    }
    fprintf(stderr, "role matrix: %d cases, %d mismatches\n", cases, mismatches);
    assert_int_equal(mismatches, 0);
}

/* ---- escalation: only an admin gives or takes admin and coordinator ---- */

static void expect_refused(const char *method, const char *path, const char *token,
                           const char *body, int *failures)
{
    struct h_response r;
    h_send_json(&server, method, path, token, body, &r);
    const char *field = h_json_string(r.json, "error.field");
    const char *code = h_json_string(r.json, "error.code");
    if (r.status != 403 || !field || strcmp(field, "org_role") != 0 || !code ||
        strcmp(code, "forbidden") != 0) {
        fprintf(stderr,
                "%s %s as coordinator, body %s: got %ld %s, want 403 forbidden with field "
                "org_role\n",
                method, path, body, r.status, r.body);
        (*failures)++;
    }
    h_response_free(&r);
}

static void expect_status(const char *method, const char *path, const char *token, const char *body,
                          long want, int *failures)
{
    struct h_response r;
    h_send_json(&server, method, path, token, body, &r);
    if (r.status != want) {
        fprintf(stderr, "%s %s, body %s: got %ld %s, want %ld\n", method, path, body, r.status,
                r.body, want);
        (*failures)++;
    }
    h_response_free(&r);
}

static char *role_of(const char *person_id)
{
    char *sql = h_strf("SELECT org_role FROM mcred.people WHERE id = '%s'", person_id);
    char *role = h_db_query_super(&db, sql);
    free(sql);
    return role;
}

static void test_coordinator_cannot_escalate(void **state)
{
    const char *coord = own.token[COORDINATOR];
    int failures = 0;
    long people_before = h_db_long_super(&db, "SELECT count(*) FROM mcred.people");

    /* giving admin or coordinator to someone new */
    expect_refused("POST", "/v1/people", coord,
                   "{\"email\": \"esc1@own.example\", \"name\": \"E\", \"org_role\": \"admin\"}",
                   &failures);
    expect_refused(
        "POST", "/v1/people", coord,
        "{\"email\": \"esc2@own.example\", \"name\": \"E\", \"org_role\": \"coordinator\"}",
        &failures);
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM mcred.people"), people_before);

    /* giving it to someone who exists */
    char *victim = make_object(OBJ_PERSON, &own);
    char *path = h_strf("/v1/people/%s", victim);
    expect_refused("PATCH", path, coord, "{\"org_role\": \"admin\"}", &failures);
    expect_refused("PATCH", path, coord, "{\"org_role\": \"coordinator\"}", &failures);
    /* the coordinator giving it to themselves */
    char *self = h_strf("/v1/people/%s", own.person_id[COORDINATOR]);
    expect_refused("PATCH", self, coord, "{\"org_role\": \"admin\"}", &failures);

    /* taking it away */
    char *admin_path = h_strf("/v1/people/%s", own.person_id[ADMIN]);
    expect_refused("PATCH", admin_path, coord, "{\"org_role\": \"none\"}", &failures);
    char *email = h_strf("coord%u@own.example", ++serial);
    char *other_coord = make_person(&own, email, "coordinator");
    char *other_coord_path = h_strf("/v1/people/%s", other_coord);
    expect_refused("PATCH", other_coord_path, coord, "{\"org_role\": \"leader\"}", &failures);

    /* nor change anything else of an admin or a coordinator ("cannot make or change") */
    struct h_response r;
    h_send_json(&server, "PATCH", admin_path, coord, "{\"name\": \"Renamed by a coordinator\"}",
                &r);
    if (r.status != 403) {
        fprintf(stderr, "PATCH %s as coordinator, renaming an admin: got %ld %s, want 403\n",
                admin_path, r.status, r.body);
        failures++;
    }
    h_response_free(&r);
    char *sql = h_strf("SELECT name FROM mcred.people WHERE id = '%s'", own.person_id[ADMIN]);
    char *name = h_db_query_super(&db, sql);
    assert_string_equal(name, "admin");
    free(name);
    free(sql);

    /* nothing changed */
    char *role = role_of(victim);
    assert_string_equal(role, "none");
    free(role);
    role = role_of(own.person_id[COORDINATOR]);
    assert_string_equal(role, "coordinator");
    free(role);
    role = role_of(own.person_id[ADMIN]);
    assert_string_equal(role, "admin");
    free(role);
    role = role_of(other_coord);
    assert_string_equal(role, "coordinator");
    free(role);

    /* what a coordinator may do: leader and none */
    expect_status("PATCH", path, coord, "{\"org_role\": \"leader\"}", 200, &failures);
    expect_status("PATCH", path, coord, "{\"org_role\": \"none\"}", 200, &failures);
    expect_status("POST", "/v1/people", coord,
                  "{\"email\": \"lead9@own.example\", \"name\": \"L\", \"org_role\": \"leader\"}",
                  201, &failures);

    /* and what an admin may */
    expect_status("PATCH", path, own.token[ADMIN], "{\"org_role\": \"coordinator\"}", 200,
                  &failures);
    expect_status("PATCH", path, own.token[ADMIN], "{\"org_role\": \"admin\"}", 200, &failures);
    expect_status(
        "POST", "/v1/people", own.token[ADMIN],
        "{\"email\": \"coord9@own.example\", \"name\": \"C\", \"org_role\": \"coordinator\"}", 201,
        &failures);
    role = role_of(victim);
    assert_string_equal(role, "admin");
    free(role);

    free(path);
    free(self);
    free(admin_path);
    free(email);
    free(other_coord);
    free(other_coord_path);
    free(victim);
    assert_int_equal(failures, 0);
}

/* The roster import must not be a way round the rule. */
static void test_coordinator_cannot_escalate_by_import(void **state)
{
    const char *coord = own.token[COORDINATOR];
    int failures = 0;
    const char *rosters[] = {
        /* a new admin */
        "email,name,role\nimport-admin@own.example,Imp,admin\n",
        /* a new coordinator */
        "email,name,role\nimport-coord@own.example,Imp,coordinator\n",
        /* the coordinator making themselves admin */
        "email,name,role\ncoordinator@own.example,coordinator,admin\n",
        /* taking admin away from an admin */
        "email,name,role\nadmin2@own.example,admin,none\n",
    };
    for (size_t i = 0; i < sizeof rosters / sizeof rosters[0]; i++) {
        long people = h_db_long_super(&db, "SELECT count(*) FROM mcred.people");
        long audit = h_db_long_super(&db, "SELECT count(*) FROM mcred.audit");
        struct h_response r;
        h_http(&server, "POST", "/v1/people/import", coord, "text/csv", rosters[i],
               strlen(rosters[i]), &r);
        /* docs/api.md: 403 for giving or taking those roles; the import may instead report it
         * as the row's error (422).  Either way, nothing is written. */
        bool names_role = false;
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r.json, "errors"))
        {
            const char *column = h_json_string(e, "column");
            names_role |= column && strcmp(column, "role") == 0;
        }
        if (r.status != 403 && !(r.status == 422 && names_role)) {
            fprintf(stderr,
                    "POST /v1/people/import as coordinator, roster %s: got %ld %s, want "
                    "403 (or 422 naming the role column)\n",
                    rosters[i], r.status, r.body);
            failures++;
        }
        h_response_free(&r);
        if (h_db_long_super(&db, "SELECT count(*) FROM mcred.people") != people ||
            h_db_long_super(&db, "SELECT count(*) FROM mcred.audit") != audit) {
            fprintf(stderr, "POST /v1/people/import as coordinator, roster %s: wrote something\n",
                    rosters[i]);
            failures++;
        }
    }
    char *role = role_of(own.person_id[COORDINATOR]);
    assert_string_equal(role, "coordinator");
    free(role);
    role = role_of(own.person_id[ADMIN]);
    assert_string_equal(role, "admin");
    free(role);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_has_a_row),
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_coordinator_cannot_escalate),
        cmocka_unit_test(test_coordinator_cannot_escalate_by_import),
    };
    return h_run_tests(tests, setup, teardown);
}
