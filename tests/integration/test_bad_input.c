/*
 * test_bad_input.c — every route that takes input, sent bad input.
 *
 * For each route of server/routes.c that takes a body, a path id or a
 * query parameter, the table below holds one valid request (a body
 * template, a path filled with real objects, the query parameters the
 * handler reads).  Mutators derive the bad requests from it: malformed
 * JSON, the wrong root, wrong types, missing and extra fields, over-long
 * strings, huge and odd numbers (1e400, 2^63, -0, NaN), invalid UTF-8,
 * NUL (escaped and raw), SQL-injection text in fields that name things,
 * junk and traversal in path ids, junk in query parameters, the wrong
 * Content-Type and a declared body over the limit.  Each must answer the
 * 4xx docs/api.md gives (400 malformed, 404, 413, 414, 415, 422 invalid)
 * in the error shape of DESIGN.md §3 — a page's form an HTML page that
 * says why — and change nothing: a checksum of every table of schema
 * mcred is compared before and after each route's cases.
 *
 * SQL-injection text in a free-text field (a name, a title, feedback) is
 * valid text, not bad input: test_sql_text_is_data stores such values and
 * reads them back unchanged, with every table still there.
 *
 * The table must cover the route table: a route added to routes.c without
 * a row here (or a row without a route) fails test_every_route_has_a_row,
 * the way the role matrix does (test_roles.c).  Routes that take no input
 * (GET /healthz) have a row with nothing to mutate.
 *
 * Requests go over raw sockets (rawhttp.h), so that a path keeps its
 * "/../" and a body its NUL bytes exactly as sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rawhttp.h"
#include "routes.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

/* ---- the objects every case names ---- */

enum var {
    V_ORG,            /* the organisation's slug */
    V_CRED,           /* a published credential */
    V_DRAFT,          /* a draft credential */
    V_COHORT,         /* a cohort with the learner and the coach enrolled */
    V_SESSION,        /* a weekly session of it */
    V_PROBLEM,        /* the learner's problem of practice, a draft */
    V_EVIDENCE,       /* the learner's evidence */
    V_WEBHOOK,        /* a subscription */
    V_DELIVERY,       /* a dead delivery of a test event */
    V_AWARD,          /* the learner's award in a second cohort */
    V_AWARD_COHORT,   /* that cohort */
    V_TOKEN,          /* a token of the admin's */
    V_PERSON,         /* a person with no role, in no cohort */
    V_PERSON_EMAIL,   /* their e-mail */
    V_LEARNER,        /* the learner's id */
    V_LEARNER_EMAIL,  /* the learner's e-mail */
    V_COACH_EMAIL,    /* the coach's e-mail */
    V_INVITATION,     /* a pending invitation */
    V_CODE,           /* the code of another pending invitation */
    V_KID,            /* the organisation's ES256 key id */
    V_LEARNER2_EMAIL, /* a second learner of the cohort, with no problem of practice */
    V_CITED,          /* the learner's evidence that the scores row cites (never removed) */
    V_SECRET,         /* the learner's API token, to sign in with */
    V_N,              /* a number unique to the request */
    N_VARS
};
static const char *const var_names[N_VARS] = {
    "@ORG@",           "@CRED@",         "@DRAFT@",
    "@COHORT@",        "@SESSION@",      "@PROBLEM@",
    "@EVIDENCE@",      "@WEBHOOK@",      "@DELIVERY@",
    "@AWARD@",         "@AWARD_COHORT@", "@TOKEN@",
    "@PERSON@",        "@PERSON_EMAIL@", "@LEARNER@",
    "@LEARNER_EMAIL@", "@COACH_EMAIL@",  "@INVITATION@",
    "@CODE@",          "@KID@",          "@LEARNER2_EMAIL@",
    "@CITED@",         "@SECRET@",       "@N@"};
static char *vars[N_VARS];
static unsigned serial;

static char *admin_token, *learner_token;
static char *admin_session, *admin_csrf, *learner_session, *learner_csrf;

/* A template with every @VAR@ replaced (malloc'd). */
static char *fill(const char *tmpl)
{
    char n[16];
    snprintf(n, sizeof n, "%u", ++serial);
    vars[V_N] = n;
    size_t cap = strlen(tmpl) + 1, len = 0;
    for (const char *p = tmpl; *p; p++)
        if (*p == '@')
            cap += 128;
    char *out = malloc(cap);
    assert_non_null(out);
    for (const char *p = tmpl; *p;) {
        size_t i = 0;
        for (; *p == '@' && i < N_VARS; i++)
            if (strncmp(p, var_names[i], strlen(var_names[i])) == 0)
                break;
        if (*p == '@' && i < N_VARS) {
            assert_non_null(vars[i]);
            len += (size_t)snprintf(out + len, cap - len, "%s", vars[i]);
            p += strlen(var_names[i]);
        } else {
            out[len++] = *p++;
        }
    }
    out[len] = '\0';
    vars[V_N] = NULL;
    return out;
}

/* ---- the table ---- */

enum body { B_NONE, B_JSON, B_CSV, B_FORM };
enum caller { AS_ADMIN, AS_LEARNER, AS_NOBODY };

/*
 * Query parameter classes: L a page size, C a cursor, E one of a fixed set of words, B a
 * boolean, T free text (a search or a name: any text is a question with an answer, so 200
 * is fine as long as nothing breaks).
 */
struct row {
    const char *method;
    const char *pattern; /* exactly as in the route table */
    const char *path;    /* the valid path, a template */
    enum body body;
    const char *valid;    /* the valid body, a template (NULL: none) */
    const char *required; /* top-level fields whose absence is 422, comma-separated */
    const char *query;    /* "name:class" pairs, comma-separated */
    enum caller as;
    long success; /* the valid request's status (test_valid_requests_accepted) */
};

#define PAGED "limit:L,after:C"

/*
 * The valid requests are sent once each, after every bad one, in table order
 * (test_valid_requests_accepted): a row whose valid request uses an object up or changes its
 * state comes after every row that needs it as it was.  A page form's success is its 303.
 */
static const struct row table[] = {
    {"GET", "/healthz", "/healthz", B_NONE, NULL, NULL, NULL, AS_NOBODY, 200},
    {"GET", "/readyz", "/readyz", B_NONE, NULL, NULL, NULL, AS_NOBODY, 200},
    {"GET", "/metrics", "/metrics", B_NONE, NULL, NULL, NULL, AS_NOBODY, 200},
    {"GET", "/openapi.json", "/openapi.json", B_NONE, NULL, NULL, NULL, AS_NOBODY, 200},
    {"GET", "/v1/me", "/v1/me", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},

    {"POST", "/v1/people", "/v1/people", B_JSON,
     "{\"email\": \"new@N@@bad.example\", \"name\": \"New @N@\", \"org_role\": \"none\","
     " \"attributes\": {\"school\": \"Lincoln\"}}",
     "email,name", NULL, AS_ADMIN, 201},
    {"GET", "/v1/people", "/v1/people", B_NONE, NULL, NULL, PAGED ",role:E,q:T,email:T", AS_ADMIN,
     200},
    {"POST", "/v1/people/import", "/v1/people/import", B_CSV,
     "email,name,school\r\nroster@N@@bad.example,Roster @N@,Lincoln\r\n", NULL, "dry_run:B",
     AS_ADMIN, 200},
    {"GET", "/v1/people/{id}", "/v1/people/@PERSON@", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    {"PATCH", "/v1/people/{id}", "/v1/people/@PERSON@", B_JSON,
     "{\"name\": \"Renamed @N@\", \"attributes\": {\"school\": \"Lincoln\"}}", NULL, NULL, AS_ADMIN,
     200},

    {"POST", "/v1/tokens", "/v1/tokens", B_JSON, "{\"name\": \"bad input @N@\"}", "name", NULL,
     AS_ADMIN, 201},
    {"GET", "/v1/tokens", "/v1/tokens", B_NONE, NULL, NULL, PAGED ",person:T", AS_ADMIN, 200},
    {"DELETE", "/v1/tokens/{id}", "/v1/tokens/@TOKEN@", B_NONE, NULL, NULL, NULL, AS_ADMIN, 204},

    {"POST", "/v1/credentials", "/v1/credentials", B_JSON,
     "{\"slug\": \"bad-@N@\", \"version\": 1, \"title\": \"Bad @N@\","
     " \"achievement_type\": \"MicroCredential\", \"award_rule\": {\"min_level\": 1,"
     " \"min_weekly_attendance\": 0, \"problem_of_practice_required\": false},"
     " \"standards\": [{\"code\": \"1\", \"title\": \"One\","
     " \"indicators\": [{\"code\": \"1.1\", \"text\": \"First\"}]}]}",
     "slug,title,standards", NULL, AS_ADMIN, 201},
    {"GET", "/v1/credentials", "/v1/credentials", B_NONE, NULL, NULL, PAGED ",slug:T,status:E",
     AS_ADMIN, 200},
    {"GET", "/v1/credentials/{id}", "/v1/credentials/@CRED@", B_NONE, NULL, NULL, NULL, AS_ADMIN,
     200},
    {"POST", "/v1/credentials/{id}/publish", "/v1/credentials/@DRAFT@/publish", B_NONE, NULL, NULL,
     NULL, AS_ADMIN, 200},
    {"POST", "/v1/credentials/{id}/retire", "/v1/credentials/@DRAFT@/retire", B_NONE, NULL, NULL,
     NULL, AS_ADMIN, 200},

    {"POST", "/v1/cohorts", "/v1/cohorts", B_JSON,
     "{\"credential\": \"@CRED@\", \"name\": \"New cohort @N@\", \"starts_on\": \"2026-09-08\","
     " \"ends_on\": \"2026-10-20\", \"timezone\": \"UTC\"}",
     "credential,name,starts_on,ends_on,timezone", NULL, AS_ADMIN, 201},
    {"GET", "/v1/cohorts", "/v1/cohorts", B_NONE, NULL, NULL, PAGED ",status:E", AS_ADMIN, 200},
    {"GET", "/v1/cohorts/{id}", "/v1/cohorts/@COHORT@", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    {"PATCH", "/v1/cohorts/{id}", "/v1/cohorts/@COHORT@", B_JSON,
     "{\"name\": \"Renamed cohort @N@\"}", NULL, NULL, AS_ADMIN, 200},

    {"POST", "/v1/cohorts/{id}/members", "/v1/cohorts/@COHORT@/members", B_JSON,
     "{\"members\": [{\"email\": \"@PERSON_EMAIL@\", \"role\": \"learner\"}]}", "members", NULL,
     AS_ADMIN, 201},
    {"POST", "/v1/cohorts/{id}/members/import", "/v1/cohorts/@COHORT@/members/import", B_CSV,
     "email,name,school\r\nenrol@N@@bad.example,Enrolled @N@,Lincoln\r\n", NULL, "dry_run:B",
     AS_ADMIN, 200},
    {"GET", "/v1/cohorts/{id}/members", "/v1/cohorts/@COHORT@/members", B_NONE, NULL, NULL,
     PAGED ",status:E,role:E", AS_ADMIN, 200},
    {"PATCH", "/v1/cohorts/{id}/members/{person}", "/v1/cohorts/@COHORT@/members/@LEARNER@", B_JSON,
     "{\"coach\": \"@COACH_EMAIL@\"}", NULL, NULL, AS_ADMIN, 200},
    {"DELETE", "/v1/cohorts/{id}/members/{person}", "/v1/cohorts/@COHORT@/members/@PERSON@", B_NONE,
     NULL, NULL, "release:B,reassign_to:T", AS_ADMIN, 200},

    {"POST", "/v1/cohorts/{id}/members/{person}/award",
     "/v1/cohorts/@AWARD_COHORT@/members/@LEARNER@/award", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    {"POST", "/v1/cohorts/{id}/awards", "/v1/cohorts/@AWARD_COHORT@/awards", B_JSON,
     "{\"all_eligible\": true}", NULL, NULL, AS_ADMIN, 200},
    {"GET", "/v1/cohorts/{id}/awards", "/v1/cohorts/@AWARD_COHORT@/awards", B_NONE, NULL, NULL,
     NULL, AS_ADMIN, 200},
    {"GET", "/v1/awards/{id}", "/v1/awards/@AWARD@", B_NONE, NULL, NULL, "format:E", AS_ADMIN, 200},
    {"POST", "/v1/awards/{id}/revoke", "/v1/awards/@AWARD@/revoke", B_JSON,
     "{\"reason\": \"issued in error @N@\"}", "reason", NULL, AS_ADMIN, 200},
    {"GET", "/v1/me/awards", "/v1/me/awards", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},

    {"GET", "/issuers/{org}", "/issuers/@ORG@", B_NONE, NULL, NULL, NULL, AS_NOBODY, 200},
    {"GET", "/issuers/{org}/keys/{kid}", "/issuers/@ORG@/keys/@KID@", B_NONE, NULL, NULL, NULL,
     AS_NOBODY, 200},
    {"GET", "/issuers/{org}/revocations", "/issuers/@ORG@/revocations", B_NONE, NULL, NULL, NULL,
     AS_NOBODY, 200},
    {"GET", "/.well-known/jwks.json", "/.well-known/jwks.json", B_NONE, NULL, NULL, NULL, AS_NOBODY,
     200},
    {"GET", "/achievements/{id}", "/achievements/@CRED@", B_NONE, NULL, NULL, NULL, AS_NOBODY, 200},
    {"GET", "/credentials/{id}", "/credentials/@AWARD@", B_NONE, NULL, NULL, "format:E", AS_NOBODY,
     200},

    {"POST", "/v1/cohorts/{id}/invitations", "/v1/cohorts/@COHORT@/invitations", B_JSON,
     "{\"people\": [\"@LEARNER_EMAIL@\"], \"expires_in_days\": 2}", "people", NULL, AS_ADMIN, 201},
    {"GET", "/v1/cohorts/{id}/invitations", "/v1/cohorts/@COHORT@/invitations", B_NONE, NULL, NULL,
     PAGED ",state:E", AS_ADMIN, 200},
    {"DELETE", "/v1/invitations/{id}", "/v1/invitations/@INVITATION@", B_NONE, NULL, NULL, NULL,
     AS_ADMIN, 200},
    {"POST", "/v1/invitations/accept", "/v1/invitations/accept", B_JSON,
     "{\"code\": \"@CODE@\", \"token_name\": \"accepted @N@\"}", "code", NULL, AS_NOBODY, 201},

    {"POST", "/v1/cohorts/{id}/sessions", "/v1/cohorts/@COHORT@/sessions", B_JSON,
     "{\"weekly\": {\"first\": \"2026-09-15T17:00\", \"count\": 1}}", NULL, NULL, AS_ADMIN, 201},
    {"GET", "/v1/cohorts/{id}/sessions", "/v1/cohorts/@COHORT@/sessions", B_NONE, NULL, NULL, PAGED,
     AS_ADMIN, 200},
    {"PATCH", "/v1/sessions/{id}", "/v1/sessions/@SESSION@", B_JSON, "{\"title\": \"Session @N@\"}",
     NULL, NULL, AS_ADMIN, 200},
    {"POST", "/v1/sessions/{id}/cancel", "/v1/sessions/@SESSION@/cancel", B_JSON,
     "{\"reason\": \"snow day @N@\"}", NULL, NULL, AS_ADMIN, 200},
    {"POST", "/v1/sessions/{id}/restore", "/v1/sessions/@SESSION@/restore", B_NONE, NULL, NULL,
     NULL, AS_ADMIN, 200},
    {"POST", "/v1/sessions/{id}/held", "/v1/sessions/@SESSION@/held", B_NONE, NULL, NULL, NULL,
     AS_ADMIN, 200},
    {"PUT", "/v1/sessions/{id}/attendance", "/v1/sessions/@SESSION@/attendance", B_JSON,
     "{\"attendance\": [{\"email\": \"@LEARNER_EMAIL@\", \"mode\": \"online\"}]}", "attendance",
     NULL, AS_ADMIN, 200},
    {"GET", "/v1/sessions/{id}/attendance", "/v1/sessions/@SESSION@/attendance", B_NONE, NULL, NULL,
     PAGED, AS_ADMIN, 200},
    {"DELETE", "/v1/sessions/{id}/attendance/{person}",
     "/v1/sessions/@SESSION@/attendance/@LEARNER@", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    {"GET", "/v1/cohorts/{id}/members/{person}/attendance",
     "/v1/cohorts/@COHORT@/members/@LEARNER@/attendance", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    /* once its attendance record is removed, nothing hangs on the session */
    {"DELETE", "/v1/sessions/{id}", "/v1/sessions/@SESSION@", B_NONE, NULL, NULL, NULL, AS_ADMIN,
     204},

    {"POST", "/v1/cohorts/{id}/problems", "/v1/cohorts/@COHORT@/problems", B_JSON,
     "{\"learner\": \"@LEARNER2_EMAIL@\", \"title\": \"Problem @N@\","
     " \"statement\": \"Chronic absence in grade 6.\", \"student_focus\": \"grade 6\","
     " \"standards\": [\"1\"], \"submit\": false}",
     "learner,title", NULL, AS_ADMIN, 201},
    {"GET", "/v1/cohorts/{id}/problems", "/v1/cohorts/@COHORT@/problems", B_NONE, NULL, NULL,
     PAGED ",learner:T,status:E", AS_ADMIN, 200},
    {"GET", "/v1/problems/{id}", "/v1/problems/@PROBLEM@", B_NONE, NULL, NULL, "history:B",
     AS_ADMIN, 200},
    {"PATCH", "/v1/problems/{id}", "/v1/problems/@PROBLEM@", B_JSON,
     "{\"title\": \"Retitled @N@\", \"status\": \"submitted\"}", NULL, NULL, AS_ADMIN, 200},
    {"POST", "/v1/problems/{id}/review", "/v1/problems/@PROBLEM@/review", B_JSON,
     "{\"decision\": \"needs_revision\", \"feedback\": \"Name the data.\"}", "decision", NULL,
     AS_ADMIN, 200},

    {"POST", "/v1/cohorts/{id}/evidence", "/v1/cohorts/@COHORT@/evidence", B_JSON,
     "{\"learner\": \"@LEARNER_EMAIL@\", \"indicator\": \"1.1\", \"title\": \"Evidence @N@\","
     " \"url\": \"https://docs.example/evidence/@N@\"}",
     "learner,title", NULL, AS_ADMIN, 201},
    {"GET", "/v1/cohorts/{id}/evidence", "/v1/cohorts/@COHORT@/evidence", B_NONE, NULL, NULL,
     PAGED ",learner:T,indicator:T", AS_ADMIN, 200},
    {"PATCH", "/v1/evidence/{id}", "/v1/evidence/@EVIDENCE@", B_JSON,
     "{\"title\": \"Corrected @N@\"}", NULL, NULL, AS_ADMIN, 200},
    {"DELETE", "/v1/evidence/{id}", "/v1/evidence/@EVIDENCE@", B_NONE, NULL, NULL, NULL, AS_ADMIN,
     200},

    {"POST", "/v1/cohorts/{id}/scores", "/v1/cohorts/@COHORT@/scores", B_JSON,
     "{\"learner\": \"@LEARNER_EMAIL@\", \"indicator\": \"1.1\", \"level\": 3,"
     " \"feedback\": \"Scored @N@\", \"evidence\": \"@CITED@\"}",
     "learner,indicator,level", NULL, AS_ADMIN, 201},
    {"GET", "/v1/cohorts/{id}/scores", "/v1/cohorts/@COHORT@/scores", B_NONE, NULL, NULL,
     PAGED ",learner:T,history:B", AS_ADMIN, 200},

    {"GET", "/v1/cohorts/{id}/status", "/v1/cohorts/@COHORT@/status", B_NONE, NULL, NULL, NULL,
     AS_ADMIN, 200},
    {"GET", "/v1/cohorts/{id}/members/{person}/status",
     "/v1/cohorts/@COHORT@/members/@LEARNER@/status", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},

    {"GET", "/v1/reports/cohorts/{id}", "/v1/reports/cohorts/@COHORT@", B_NONE, NULL, NULL, "by:T",
     AS_ADMIN, 200},
    {"GET", "/v1/reports/orgs/current", "/v1/reports/orgs/current", B_NONE, NULL, NULL, "by:T",
     AS_ADMIN, 200},

    {"POST", "/v1/webhooks", "/v1/webhooks", B_JSON,
     "{\"url\": \"http://127.0.0.1:9/bad/@N@\", \"events\": [\"score.recorded\"]}", "url", NULL,
     AS_ADMIN, 201},
    {"GET", "/v1/webhooks", "/v1/webhooks", B_NONE, NULL, NULL, PAGED, AS_ADMIN, 200},
    {"GET", "/v1/webhooks/{id}", "/v1/webhooks/@WEBHOOK@", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    /* before the PATCH below pauses the subscription (a paused one is 409) */
    {"POST", "/v1/webhooks/{id}/test", "/v1/webhooks/@WEBHOOK@/test", B_NONE, NULL, NULL, NULL,
     AS_ADMIN, 202},
    {"PATCH", "/v1/webhooks/{id}", "/v1/webhooks/@WEBHOOK@", B_JSON,
     "{\"active\": false, \"events\": [\"*\"]}", NULL, NULL, AS_ADMIN, 200},
    {"POST", "/v1/webhooks/{id}/rotate", "/v1/webhooks/@WEBHOOK@/rotate", B_NONE, NULL, NULL, NULL,
     AS_ADMIN, 200},
    {"GET", "/v1/webhooks/{id}/deliveries", "/v1/webhooks/@WEBHOOK@/deliveries", B_NONE, NULL, NULL,
     PAGED ",status:E,event:T", AS_ADMIN, 200},
    {"GET", "/v1/deliveries/{id}", "/v1/deliveries/@DELIVERY@", B_NONE, NULL, NULL, NULL, AS_ADMIN,
     200},
    {"POST", "/v1/deliveries/{id}/retry", "/v1/deliveries/@DELIVERY@/retry", B_NONE, NULL, NULL,
     NULL, AS_ADMIN, 200},
    {"DELETE", "/v1/webhooks/{id}", "/v1/webhooks/@WEBHOOK@", B_NONE, NULL, NULL, NULL, AS_ADMIN,
     204},

    {"GET", "/", "/", B_NONE, NULL, NULL, NULL, AS_NOBODY, 303},
    {"GET", "/signin", "/signin", B_NONE, NULL, NULL, NULL, AS_NOBODY, 200},
    {"POST", "/signin", "/signin", B_FORM, "secret=@SECRET@", "secret", NULL, AS_NOBODY, 303},
    {"GET", "/app", "/app", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    {"GET", "/app/cohorts/{id}/me", "/app/cohorts/@COHORT@/me", B_NONE, NULL, NULL, NULL,
     AS_LEARNER, 200},
    /* the award cohort: the learner has a problem of practice in the other already */
    {"POST", "/app/cohorts/{id}/me/problem", "/app/cohorts/@AWARD_COHORT@/me/problem", B_FORM,
     "csrf=@CSRF@&title=Problem+@N@&statement=Chronic+absence+in+grade+6", "title", NULL,
     AS_LEARNER, 303},
    {"POST", "/app/problems/{id}", "/app/problems/@PROBLEM@", B_FORM,
     "csrf=@CSRF@&title=Problem+@N@&statement=Chronic+absence+in+grade+6", "title", NULL,
     AS_LEARNER, 303},
    {"POST", "/app/cohorts/{id}/me/evidence", "/app/cohorts/@COHORT@/me/evidence", B_FORM,
     "csrf=@CSRF@&title=Evidence+@N@&url=https%3A%2F%2Fdocs.example%2Fe%2F@N@", "title", NULL,
     AS_LEARNER, 303},
    {"GET", "/app/cohorts/{id}/learners/{person}/sheet",
     "/app/cohorts/@COHORT@/learners/@LEARNER@/sheet", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    {"POST", "/app/cohorts/{id}/learners/{person}/sheet",
     "/app/cohorts/@COHORT@/learners/@LEARNER@/sheet", B_FORM,
     "csrf=@CSRF@&level.1.1=3&feedback.1.1=Sheet+@N@", NULL, NULL, AS_ADMIN, 303},
    {"GET", "/app/cohorts/{id}/learners/{person}/problem",
     "/app/cohorts/@COHORT@/learners/@LEARNER@/problem", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    {"POST", "/app/problems/{id}/review", "/app/problems/@PROBLEM@/review", B_FORM,
     "csrf=@CSRF@&decision=approved&feedback=Clear+and+focused.", "decision", NULL, AS_ADMIN, 303},
    {"GET", "/app/cohorts/{id}", "/app/cohorts/@COHORT@", B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    {"GET", "/app/cohorts/{id}/learners/{person}", "/app/cohorts/@COHORT@/learners/@LEARNER@",
     B_NONE, NULL, NULL, NULL, AS_ADMIN, 200},
    /* last: it ends the admin's page session */
    {"POST", "/signout", "/signout", B_FORM, "csrf=@CSRF@", NULL, NULL, AS_ADMIN, 303},
};
#define N_ROWS (sizeof table / sizeof table[0])

/* Free-text fields: any text is a valid value there, SQL-injection text included. */
static bool free_text(const char *field)
{
    static const char *const names[] = {"name",     "title",         "statement",    "feedback",
                                        "reason",   "description",   "text",         "token_name",
                                        "school",   "student_focus", "data_sources", "root_cause",
                                        "strategy", "secret"};
    const char *leaf = strrchr(field, '.');
    leaf = leaf ? leaf + 1 : field;
    /* "attributes.school", "standards[0].title", and a form's "feedback.1.1" */
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strncmp(leaf, names[i], strlen(names[i])) == 0 ||
            strncmp(field, names[i], strlen(names[i])) == 0)
            return true;
    return false;
}

/* ---- the route table and this table agree ---- */

static const struct route *route_of(const struct row *row)
{
    for (const struct route *rt = mcred_routes; rt->method; rt++)
        if (strcmp(rt->method, row->method) == 0 && strcmp(rt->path, row->pattern) == 0)
            return rt;
    return NULL;
}

static bool route_has_row(const struct route *rt)
{
    for (size_t i = 0; i < N_ROWS; i++)
        if (strcmp(rt->method, table[i].method) == 0 && strcmp(rt->path, table[i].pattern) == 0)
            return true;
    return false;
}

/* The body kind a route's flags ask for. */
static enum body route_body(const struct route *rt)
{
    return rt->flags & ROUTE_JSON_BODY   ? B_JSON
           : rt->flags & ROUTE_CSV_BODY  ? B_CSV
           : rt->flags & ROUTE_FORM_BODY ? B_FORM
                                         : B_NONE;
}

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    int problems = 0;
    for (const struct route *rt = mcred_routes; rt->method; rt++)
        if (!route_has_row(rt)) {
            fprintf(stderr, "route %s %s has no row in test_bad_input.c\n", rt->method, rt->path);
            problems++;
        }
    for (size_t i = 0; i < N_ROWS; i++) {
        const struct route *rt = route_of(&table[i]);
        if (!rt) {
            fprintf(stderr, "row %s %s has no route in server/routes.c\n", table[i].method,
                    table[i].pattern);
            problems++;
        } else if (route_body(rt) != table[i].body) {
            fprintf(stderr, "row %s %s: the body kind differs from the route's flags\n",
                    table[i].method, table[i].pattern);
            problems++;
        }
    }
    assert_int_equal(problems, 0);
}

/* ---- sending, and judging an answer ---- */

static bool is_page(const struct row *row)
{
    const struct route *rt = route_of(row);
    return rt && (rt->flags & ROUTE_PAGE);
}

static const char *session_of(const struct row *row)
{
    return row->as == AS_LEARNER ? learner_session : row->as == AS_ADMIN ? admin_session : NULL;
}

/*
 * Send method path (raw bytes) with body; content_type NULL sends none.  Extra header lines
 * (each ending in \r\n) may be given; declared_length > 0 declares that length instead.
 */
static void send_raw(const struct row *row, const char *path, const char *content_type,
                     const char *body, size_t body_len, const char *extra, struct h_response *out)
{
    char *auth = NULL;
    if (is_page(row)) {
        const char *session = session_of(row);
        auth = session ? h_strf("Cookie: mcred_session=%s\r\n", session) : strdup("");
    } else {
        const char *token = row->as == AS_ADMIN     ? admin_token
                            : row->as == AS_LEARNER ? learner_token
                                                    : NULL;
        auth = token ? h_strf("Authorization: Bearer %s\r\n", token) : strdup("");
    }
    char *ct = content_type ? h_strf("Content-Type: %s\r\n", content_type) : strdup("");
    char *head = h_strf("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%s", row->method, path, auth, ct,
                        extra ? extra : "");
    raw_exchange(server.port, head, body, body_len, body != NULL, out);
    free(head);
    free(ct);
    free(auth);
}

/* The error code DESIGN.md §3 gives a status. */
static const char *code_of(long status)
{
    switch (status) {
    case 400:
        return "malformed";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 409:
        return "conflict";
    case 413:
        return "too_large";
    case 414:
        return "uri_too_long";
    case 415:
        return "unsupported_media_type";
    case 422:
        return "invalid";
    default:
        return NULL;
    }
}

static int cases, mismatches;

/* Is status one of the allowed (a 0-ended list)? */
static bool allowed(long status, const long *want)
{
    for (; *want; want++)
        if (status == *want)
            return true;
    return false;
}

static void print_want(const long *want)
{
    for (; *want; want++)
        fprintf(stderr, "%ld%s", *want, want[1] ? "/" : "");
}

/*
 * Judge one answer: the status is one of `want`; an API answer is the error shape with the
 * status's code and a message; a page's answer is an HTML page with an alert.
 */
static void judge(const struct row *row, const char *what, const struct h_response *r,
                  const long *want)
{
    cases++;
    bool ok = allowed(r->status, want);
    const char *why = ok ? NULL : "status";
    if (ok && r->status >= 400) {
        /* a page's refusal is a page; the router's own (404, 405, 414: no route is known
         * yet) is the API's error shape */
        bool page_shaped = is_page(row) && strstr(r->body, "role=\"alert\"");
        if (!page_shaped) {
            const char *code = h_json_string(r->json, "error.code");
            const char *message = h_json_string(r->json, "error.message");
            const char *want_code = code_of(r->status);
            if (!code || !message || !want_code || strcmp(code, want_code) != 0)
                ok = false, why = "not the error shape with the status's code";
        }
    }
    if (!ok) {
        mismatches++;
        fprintf(stderr, "%s %s, %s: got %ld, want ", row->method, row->pattern, what, r->status);
        print_want(want);
        fprintf(stderr, " (%s): %.300s\n", why, r->body);
    }
}

static const long W_400[] = {400, 0};
static const long W_404[] = {404, 0};
static const long W_403_404[] = {403, 404, 0}; /* a cohort role is checked before the lookup */
static const long W_413[] = {413, 0};
static const long W_414[] = {414, 0};
static const long W_415[] = {415, 0};
static const long W_422[] = {422, 0};
static const long W_400_422[] = {400, 422, 0};
static const long W_PATH[] = {404, 405, 0};       /* a path that may now name another route */
static const long W_NAMED[] = {404, 409, 422, 0}; /* a reference to nothing */
static const long W_TEXT_QUERY[] = {200, 404, 422, 0};

/* A page's form fails as a page; the API's checks answer 400 or 422 with the shape. */
static const long *form_want(const long *want)
{
    (void)want;
    /* 401: a sign-in form whose secret is no secret */
    static const long page_refusals[] = {400, 401, 403, 404, 409, 413, 415, 422, 0};
    return page_refusals;
}

/* ---- the database checksum ---- */

/*
 * Every table of schema mcred as "name:md5" over its rows in a fixed order, comma-separated.  Left
 * out, because a refused request rightly changes it: tokens.last_used_at — authentication, which
 * comes before any refusal of the input, records a token's (or a page session's) use at most once a
 * minute.  Every other column of every table counts, tokens' revoked_at and expires_at too.
 */
static char *checksum(void)
{
    return h_db_query_super(
        &db, "SELECT string_agg(t.relname || ':' || (xpath('/row/h/text()', query_to_xml("
             "  format('SELECT md5(coalesce(string_agg((to_jsonb(x) - ''last_used_at'')::text,"
             "  ''|'' ORDER BY (to_jsonb(x) - ''last_used_at'')::text), '''')) AS h"
             "  FROM mcred.%I x', t.relname), false, true, '')))[1]::text, ',' ORDER BY t.relname)"
             " FROM (SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
             "  WHERE n.nspname = 'mcred' AND c.relkind IN ('r', 'p')) t");
}

/* The names of the tables whose hashes differ between two checksums, to stderr. */
static void print_changed_tables(const char *before, const char *after)
{
    char *b = strdup(before), *save = NULL;
    for (char *t = strtok_r(b, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        size_t n = strlen(t);
        const char *at = strstr(after, t);
        if (!at || (at != after && at[-1] != ',') || (at[n] != ',' && at[n] != '\0'))
            fprintf(stderr, " %.*s", (int)strcspn(t, ":"), t);
    }
    fputc('\n', stderr);
    free(b);
}

/* ---- mutators ---- */

/* A path with the placeholder at segment `seg` (0-based, of the pattern) replaced by junk. */
static char *path_with(const char *valid, int seg, const char *junk)
{
    size_t cap = strlen(valid) + strlen(junk) + 2, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    int at = -1;
    for (const char *p = valid; *p;) {
        if (*p == '/') {
            at++;
            out[len++] = *p++;
            if (at == seg) {
                len += (size_t)snprintf(out + len, cap - len, "%s", junk);
                p += strcspn(p, "/?");
            }
            continue;
        }
        out[len++] = *p++;
    }
    out[len] = '\0';
    return out;
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* The row's valid body (malloc'd, or NULL) and its Content-Type: a request whose only fault
 * is the one under test. */
static char *valid_body(const struct row *row, const char **ct)
{
    *ct = row->body == B_JSON   ? "application/json"
          : row->body == B_CSV  ? "text/csv"
          : row->body == B_FORM ? "application/x-www-form-urlencoded"
                                : NULL;
    if (!row->valid)
        return NULL;
    char *tmpl = fill(row->valid);
    char *at = strstr(tmpl, "@CSRF@");
    if (!at)
        return tmpl;
    const char *csrf = row->as == AS_LEARNER ? learner_csrf : admin_csrf;
    char *body = h_strf("%.*s%s%s", (int)(at - tmpl), tmpl, csrf ? csrf : "", at + 6);
    free(tmpl);
    return body;
}

/* Send path with the row's valid body, if it has one. */
static void send_path(const struct row *row, const char *path, struct h_response *out)
{
    const char *ct = NULL;
    char *body = valid_body(row, &ct);
    send_raw(row, path, ct, body, body ? strlen(body) : 0, NULL, out);
    free(body);
}

/* Junk for path ids: traversal, NUL, odd bytes, injection text, lengths. */
static void path_cases(const struct row *row)
{
    if (!strchr(row->pattern, '{'))
        return;
    char *valid = fill(row->path);
    char *long_id = repeat('a', 300), *very_long = repeat('b', 3000);
    static const char *const junk[] = {
        "..",
        "%2e%2e",
        "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "%00",
        "x%00y",
        "not-a-uuid",
        "00000000-0000-0000-0000-000000000000",
        "%27%3B%20DROP%20TABLE%20mcred.people%3B%20--",
        "%27%20OR%201%3D1%20--",
        "%C3%28",
        "%FF%FE",
        "%ED%A0%80",
        "0e8a4a4e-9a8f-4b1c-8e0a-2b8d1e4c5f6a%00", /* a real id's shape, then NUL */
        "-1",
        "1e400",
    };
    int seg = -1;
    for (const char *p = row->pattern; *p; p++) {
        if (*p != '/')
            continue;
        seg++;
        if (p[1] != '{')
            continue;
        for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
            char *path = path_with(valid, seg, junk[i]);
            struct h_response r;
            send_path(row, path, &r);
            char *what = h_strf("path %s", path);
            judge(row, what, &r, row->as == AS_LEARNER ? W_403_404 : W_404);
            free(what);
            h_response_free(&r);
            free(path);
        }
        /* a raw traversal changes the segments: another route, or none */
        char *path = path_with(valid, seg, "../../v1/people");
        struct h_response r;
        send_path(row, path, &r);
        judge(row, "path with ../", &r, W_PATH);
        h_response_free(&r);
        free(path);
        path = path_with(valid, seg, long_id);
        send_path(row, path, &r);
        judge(row, "a 300-byte id", &r, row->as == AS_LEARNER ? W_403_404 : W_404);
        h_response_free(&r);
        free(path);
        path = path_with(valid, seg, very_long);
        send_path(row, path, &r);
        judge(row, "a 3000-byte id", &r, W_414);
        h_response_free(&r);
        free(path);
    }
    free(long_id);
    free(very_long);
    free(valid);
}

/* Junk for each query parameter the handler reads. */
static void query_cases(const struct row *row)
{
    if (!row->query)
        return;
    char *valid = fill(row->path);
    char *list = strdup(row->query);
    char *long_value = repeat('q', 1000);
    char *save = NULL;
    for (char *item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(item, ':');
        assert_non_null(colon);
        *colon = '\0';
        char cls = colon[1];
        static const char *const junk[] = {"abc",
                                           "-1",
                                           "0",
                                           "501",
                                           "1e400",
                                           "9223372036854775808",
                                           "%00",
                                           "x%00y",
                                           "%FF",
                                           "%C3%28",
                                           "%27%20OR%201%3D1%20--",
                                           "maybe"};
        for (size_t i = 0; i < sizeof junk / sizeof junk[0] + 1; i++) {
            const char *value = i < sizeof junk / sizeof junk[0] ? junk[i] : long_value;
            if (cls == 'B' && strcmp(value, "0") == 0)
                continue; /* false */
            /* a cursor, a page size, a word from a list, a boolean: all refused; text is asked */
            const long *want = cls == 'T' ? W_TEXT_QUERY : W_422;
            if (cls == 'T' && (strstr(value, "%FF") || strstr(value, "%C3")))
                want = W_NAMED; /* not text at all ("%00" stays text: the server keeps it) */
            char *path = h_strf("%s?%s=%s", valid, item, value);
            struct h_response r;
            send_path(row, path, &r);
            char *what = h_strf("query %s=%.40s", item, value);
            judge(row, what, &r, want);
            if (r.status == 200 && !is_page(row) && !r.json) {
                mismatches++;
                fprintf(stderr, "%s %s, %s: 200 without JSON\n", row->method, row->pattern, what);
            }
            free(what);
            h_response_free(&r);
            free(path);
        }
    }
    free(long_value);
    free(list);
    free(valid);
}

/* Send a JSON (or other) body and judge it. */
static void body_case(const struct row *row, const char *what, const char *content_type,
                      const char *body, size_t len, const long *want)
{
    char *path = fill(row->path);
    struct h_response r;
    send_raw(row, path, content_type, body, len, NULL, &r);
    judge(row, what, &r, is_page(row) ? form_want(want) : want);
    h_response_free(&r);
    free(path);
}

static void json_case(const struct row *row, const char *what, const cJSON *root, const long *want)
{
    char *text = cJSON_PrintUnformatted(root);
    assert_non_null(text);
    /* \x01 marks a raw NUL byte (cJSON's raw values end at the first NUL) */
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\x01')
            text[i] = '\0';
    body_case(row, what, "application/json", text, len, want);
    free(text);
}

/* Values that replace a leaf or container, with the status each gets. */
struct value_mutation {
    const char *name;
    const char *raw; /* JSON text, printed as is */
    const long *want;
    unsigned applies; /* bit per cJSON type of the original */
};

#define T_STR  (1u << 0)
#define T_NUM  (1u << 1)
#define T_BOOL (1u << 2)
#define T_ARR  (1u << 3)
#define T_OBJ  (1u << 4)
#define T_ANY  (T_STR | T_NUM | T_BOOL | T_ARR | T_OBJ)

static unsigned type_bit(const cJSON *item)
{
    return cJSON_IsString(item)   ? T_STR
           : cJSON_IsNumber(item) ? T_NUM
           : cJSON_IsBool(item)   ? T_BOOL
           : cJSON_IsArray(item)  ? T_ARR
           : cJSON_IsObject(item) ? T_OBJ
                                  : 0;
}

static char *over_long_string;

static const struct value_mutation value_mutations[] = {
    /* wrong types */
    {"a number", "12345", W_422, T_STR | T_BOOL | T_ARR | T_OBJ},
    {"a string", "\"3\"", W_422, T_NUM | T_BOOL | T_ARR | T_OBJ},
    {"a boolean", "true", W_422, T_STR | T_NUM | T_ARR | T_OBJ},
    {"an array", "[]", W_422, T_STR | T_NUM | T_BOOL | T_OBJ},
    {"an object", "{}", W_422, T_STR | T_NUM | T_BOOL | T_ARR},
    {"an array of junk", "[{\"x\": 1}, 2]", W_422, T_ARR},
    {"an object of junk", "{\"x\": [1]}", W_422, T_OBJ},
    /* numbers */
    {"1e400", "1e400", W_422, T_NUM},
    {"-1e400", "-1e400", W_422, T_NUM},
    {"2^63", "9223372036854775808", W_422, T_NUM},
    {"-2^63-1", "-9223372036854775809", W_422, T_NUM},
    {"2^31", "2147483648", W_422, T_NUM},
    {"1.5", "1.5", W_422, T_NUM},
    {"-1", "-1", W_422, T_NUM},
    {"NaN", "NaN", W_400, T_NUM},
    {"Infinity", "Infinity", W_400, T_NUM},
    {"-Infinity", "-Infinity", W_400, T_NUM},
    {"0x10", "0x10", W_400, T_NUM},
    /* bytes that are not text */
    {"invalid UTF-8", "\"a\xC3\x28z\"", W_400, T_STR},
    {"a lone continuation byte", "\"\x80\"", W_400, T_STR},
    {"an encoded surrogate", "\"\xED\xA0\x80\"", W_400, T_STR},
    {"an overlong encoding", "\"\xC0\xAF\"", W_400, T_STR},
    {"\\u0000", "\"a\\u0000b\"", W_400, T_STR},
    {"a raw NUL", "\"a\x01z\"", W_400, T_STR},
    {"a lone \\ud800", "\"\\ud800\"", W_400_422, T_STR},
    {"a control character", "\"a\x1f z\"", W_400, T_STR},
};

static const struct value_mutation sql_mutations[] = {
    {"SQL: drop table", "\"'; DROP TABLE mcred.people; --\"", W_NAMED, T_STR},
    {"SQL: or 1=1", "\"' OR 1=1 --\"", W_NAMED, T_STR},
    {"SQL: union", "\"x' UNION SELECT token_hash FROM mcred.tokens --\"", W_NAMED, T_STR},
};

/* The item at `path` of a copy: walk by index, the way paths were collected. */
struct leaf {
    char name[128];
    int index[8]; /* child index at each depth */
    int depth;
};

static cJSON *item_at(cJSON *root, const struct leaf *l)
{
    cJSON *at = root;
    for (int d = 0; d < l->depth && at; d++)
        at = cJSON_GetArrayItem(at, l->index[d]);
    return at;
}

static void collect(const cJSON *node, struct leaf *cur, struct leaf *out, int *n, int max)
{
    int i = 0;
    const cJSON *child;
    cJSON_ArrayForEach(child, node)
    {
        if (*n >= max || cur->depth >= 8)
            return;
        struct leaf next = *cur;
        next.index[next.depth++] = i;
        size_t used = strlen(next.name);
        if (cJSON_IsArray(node))
            snprintf(next.name + used, sizeof next.name - used, "[%d]", i);
        else
            snprintf(next.name + used, sizeof next.name - used, "%s%s", used ? "." : "",
                     child->string);
        out[(*n)++] = next;
        collect(child, &next, out, n, max);
        i++;
    }
}

/* Replace the item at l in a copy of base with raw JSON text, and send it. */
static void replace_case(const struct row *row, const cJSON *base, const struct leaf *l,
                         const struct value_mutation *m)
{
    cJSON *copy = cJSON_Duplicate(base, true);
    cJSON *old = item_at(copy, l);
    assert_non_null(old);
    cJSON *raw = cJSON_CreateRaw(m->raw);
    assert_non_null(raw);
    struct leaf parent = *l;
    parent.depth--;
    assert_true(cJSON_ReplaceItemViaPointer(item_at(copy, &parent), old, raw));
    char *what = h_strf("%s as %s", l->name, m->name);
    json_case(row, what, copy, m->want);
    free(what);
    cJSON_Delete(copy);
}

static void json_cases(const struct row *row)
{
    char *valid = fill(row->valid);
    cJSON *base = cJSON_Parse(valid);
    if (!base)
        fail_msg("row %s %s: the valid body is not JSON: %s", row->method, row->pattern, valid);
    /* the whole body */
    static const char *const malformed[] = {
        "",
        "{",
        "{\"a\":",
        "[1,2",
        "{'a': 1}",
        "nul",
        "{}x",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{\"a\":.5}",
        "{\"a\":\"\\x41\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":-}",
        "{\"a\":1e}",
        "{\"a\":tru}",
        "{\"a\":\"x}",
        "\"",
    };
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        char *what = h_strf("body %s", malformed[i]);
        body_case(row, what, "application/json", malformed[i], strlen(malformed[i]), W_400);
        free(what);
    }
    char *with_nul = h_strf("%s ", valid);
    with_nul[strlen(valid)] = '\0';
    body_case(row, "the body and a raw NUL", "application/json", with_nul, strlen(valid) + 1,
              W_400);
    free(with_nul);
    char deep[4003];
    memset(deep, '[', 2000);
    memset(deep + 2000, ']', 2000);
    deep[4000] = '\0';
    body_case(row, "2000 nested arrays", "application/json", deep, 4000, W_400_422);
    static const char *const roots[] = {"[]", "\"x\"", "42", "null", "true", "[{}]"};
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        char *what = h_strf("root %s", roots[i]);
        body_case(row, what, "application/json", roots[i], strlen(roots[i]), W_422);
        free(what);
    }
    body_case(row, "Content-Type text/plain", "text/plain", valid, strlen(valid), W_415);
    body_case(row, "no Content-Type", NULL, valid, strlen(valid), W_415);
    body_case(row, "Content-Type application/jsonx", "application/jsonx", valid, strlen(valid),
              W_415);
    /* declared too large: answered before the body is read */
    {
        char *path = fill(row->path);
        struct h_response r;
        send_raw(row, path, "application/json", NULL, 0, "Content-Length: 2097152\r\n", &r);
        judge(row, "Content-Length 2 MiB", &r, W_413);
        h_response_free(&r);
        free(path);
    }
    /* an unknown field at the top and inside each object */
    {
        cJSON *copy = cJSON_Duplicate(base, true);
        cJSON_AddNumberToObject(copy, "unexpected_field", 1);
        json_case(row, "an extra field", copy, W_422);
        cJSON_Delete(copy);
    }
    /* each required field missing */
    if (row->required) {
        char *list = strdup(row->required), *save = NULL;
        for (char *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
            cJSON *copy = cJSON_Duplicate(base, true);
            cJSON_DeleteItemFromObjectCaseSensitive(copy, f);
            char *what = h_strf("without %s", f);
            json_case(row, what, copy, W_422);
            free(what);
            cJSON_Delete(copy);
        }
        free(list);
        cJSON *empty = cJSON_CreateObject();
        json_case(row, "{}", empty, W_422);
        cJSON_Delete(empty);
    }
    /* every field, at every depth */
    struct leaf leaves[64], root = {.depth = 0};
    int n = 0;
    collect(base, &root, leaves, &n, 64);
    for (int i = 0; i < n; i++) {
        cJSON *copy = cJSON_Duplicate(base, true);
        cJSON *item = item_at(copy, &leaves[i]);
        unsigned t = type_bit(item);
        cJSON_Delete(copy);
        for (size_t k = 0; k < sizeof value_mutations / sizeof value_mutations[0]; k++)
            if (value_mutations[k].applies & t)
                replace_case(row, base, &leaves[i], &value_mutations[k]);
        if (t == T_STR) {
            struct value_mutation too_long = {"200000 bytes", over_long_string, W_422, T_STR};
            replace_case(row, base, &leaves[i], &too_long);
            if (!free_text(leaves[i].name))
                for (size_t k = 0; k < sizeof sql_mutations / sizeof sql_mutations[0]; k++)
                    replace_case(row, base, &leaves[i], &sql_mutations[k]);
        }
        if (t == T_OBJ) {
            cJSON *c2 = cJSON_Duplicate(base, true);
            cJSON_AddNumberToObject(item_at(c2, &leaves[i]), "unexpected_field", 1);
            char *what = h_strf("an extra field in %s", leaves[i].name);
            json_case(row, what, c2, W_422);
            free(what);
            cJSON_Delete(c2);
        }
    }
    cJSON_Delete(base);
    free(valid);
}

static void csv_cases(const struct row *row)
{
    static const struct {
        const char *what, *body;
    } bad[] = {
        {"an empty file", ""},
        {"no email column", "name,school\r\nNobody,Lincoln\r\n"},
        {"invalid UTF-8", "email,name\r\nx@bad.example,Ren\xC3\x28\r\n"},
        {"a raw NUL", "email,name\r\nx@bad.example,Re\x01n\r\n"},
        {"an open quote", "email,name\r\n\"x@bad.example,Ren\r\n"},
        {"SQL in an e-mail", "email,name\r\n'; DROP TABLE mcred.people; --,Ren\r\n"},
        {"SQL as an e-mail", "email,name\r\n' OR 1=1 --,Ren\r\n"},
        {"an e-mail that is not one", "email,name\r\nnot-an-email,Ren\r\n"},
        {"UTF-16", "\xFF\xFE"
                   "e\0m\0a\0i\0l\0\r\0\n\0"},
        {"semicolons", "email;name\r\nx@bad.example;Ren\r\n"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = strlen(bad[i].body);
        if (strcmp(bad[i].what, "UTF-16") == 0)
            len = 2 + 14;
        char *body = malloc(len + 1);
        assert_non_null(body);
        memcpy(body, bad[i].body, len + 1);
        for (size_t k = 0; k < len; k++)
            if (body[k] == '\x01')
                body[k] = '\0';
        body_case(row, bad[i].what, "text/csv", body, len, W_400_422);
        free(body);
    }
    /* a cell over the limit */
    char *cell = repeat('n', 5000);
    char *big = h_strf("email,name\r\nx@bad.example,%s\r\n", cell);
    body_case(row, "a 5000-byte cell", "text/csv", big, strlen(big), W_400_422);
    free(big);
    free(cell);
    char *valid = fill(row->valid);
    body_case(row, "Content-Type application/json", "application/json", valid, strlen(valid),
              W_415);
    body_case(row, "no Content-Type", NULL, valid, strlen(valid), W_415);
    free(valid);
}

/* A form with field=value replaced (value already encoded), or removed (value NULL). */
static char *form_with(const char *form, const char *field, const char *value)
{
    char *out = strdup("");
    char *copy = strdup(form), *save = NULL;
    for (char *pair = strtok_r(copy, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
        size_t n = strcspn(pair, "=");
        bool match = strlen(field) == n && strncmp(pair, field, n) == 0;
        if (match && !value)
            continue;
        char *next = match ? h_strf("%s%s%s=%s", out, *out ? "&" : "", field, value)
                           : h_strf("%s%s%s", out, *out ? "&" : "", pair);
        free(out);
        out = next;
    }
    free(copy);
    return out;
}

static void form_cases(const struct row *row)
{
    const char *csrf = row->as == AS_LEARNER ? learner_csrf : admin_csrf;
    char *tmpl = fill(row->valid);
    /* @CSRF@ is the session's token */
    char *at = strstr(tmpl, "@CSRF@");
    char *valid =
        at ? h_strf("%.*s%s%s", (int)(at - tmpl), tmpl, csrf ? csrf : "", at + 6) : strdup(tmpl);
    free(tmpl);
    char *very_long = repeat('z', 100000);
    /* not "%G1" or "a%": the urlencoded parser keeps a bad escape as text, as browsers do */
    static const char *const junk[] = {"%FF",       "a%C3%28z",
                                       "%ED%A0%80", "%00",
                                       "a%00b",     "%27%3B%20DROP%20TABLE%20mcred.people%3B%20--"};
    char *copy = strdup(valid), *save = NULL;
    for (char *pair = strtok_r(copy, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
        char field[64];
        snprintf(field, sizeof field, "%.*s", (int)strcspn(pair, "="), pair);
        if (strcmp(field, "csrf") == 0)
            continue;
        for (size_t i = 0; i < sizeof junk / sizeof junk[0] + 2; i++) {
            const char *value = i < sizeof junk / sizeof junk[0]    ? junk[i]
                                : i == sizeof junk / sizeof junk[0] ? very_long
                                                                    : NULL;
            if (value && strstr(value, "DROP") && free_text(field))
                continue;
            if (!value && (!row->required || !strstr(row->required, field)))
                continue;
            char *form = form_with(valid, field, value);
            char *what = h_strf("form %s=%.20s", field, value ? value : "(missing)");
            body_case(row, what, "application/x-www-form-urlencoded", form, strlen(form), W_422);
            free(what);
            free(form);
        }
    }
    free(copy);
    /* a raw NUL byte in the body (an unknown field is no fault: a form may carry a button's) */
    size_t len = strlen(valid);
    char *raw_nul = h_strf("%s&x=a b", valid);
    raw_nul[len + 4] = '\0';
    body_case(row, "a raw NUL", "application/x-www-form-urlencoded", raw_nul, len + 6, W_422);
    free(raw_nul);
    body_case(row, "Content-Type application/json", "application/json", "{}", 2, W_415);
    free(very_long);
    free(valid);
}

/* ---- the test ---- */

static void row_cases(const struct row *row)
{
    path_cases(row);
    query_cases(row);
    if (row->body == B_JSON)
        json_cases(row);
    else if (row->body == B_CSV)
        csv_cases(row);
    else if (row->body == B_FORM)
        form_cases(row);
}

/* SQL-injection text in free-text fields is stored and read back as text; no table is lost. */
static void test_sql_text_is_data(void **state)
{
    (void)state;
    static const char *const texts[] = {"'; DROP TABLE mcred.people; --", "' OR 1=1 --",
                                        "Robert'); DELETE FROM mcred.tokens;--"};
    long tables = h_db_long_super(&db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'mcred'");
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        cJSON *body = cJSON_CreateObject();
        char *email = h_strf("sql%zu@bad.example", i);
        assert_non_null(cJSON_AddStringToObject(body, "email", email));
        assert_non_null(cJSON_AddStringToObject(body, "name", texts[i]));
        char *text = cJSON_PrintUnformatted(body);
        struct h_response r;
        h_call(&server, "POST", "/v1/people", admin_token, text, 201, &r);
        char *path = h_strf("/v1/people/%s", h_json_string(r.json, "id"));
        h_response_free(&r);
        h_call(&server, "GET", path, admin_token, NULL, 200, &r);
        assert_string_equal(h_json_string(r.json, "name"), texts[i]);
        h_response_free(&r);
        free(path);
        free(text);
        free(email);
        cJSON_Delete(body);
    }
    assert_int_equal(
        h_db_long_super(&db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'mcred'"), tables);
    assert_true(h_db_long_super(&db, "SELECT count(*) FROM mcred.tokens") > 0);
}

/*
 * Row-level security, checked over every table at once, with the fixture of every route in
 * place: each table of schema mcred but schema_migrations has RLS enabled and forced, and the
 * server's own role, connected with no organisation set, sees no row of any of them (issue 15).
 * Table names come from the catalog and are quoted by format('%I') in the database.
 */
static void test_no_organisation_sees_no_rows(void **state)
{
    (void)state;
    assert_int_equal(h_db_long_super(&db, "SELECT count(*) FROM pg_class c"
                                          " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                          " WHERE n.nspname = 'mcred' AND c.relkind IN ('r', 'p')"
                                          " AND c.relname <> 'schema_migrations'"
                                          " AND NOT (c.relrowsecurity AND c.relforcerowsecurity)"),
                     0);
    static const char count_rows[] =
        "SELECT c.relname, (xpath('/row/n/text()', query_to_xml(format("
        "'SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'mcred' AND c.relkind IN ('r', 'p')"
        " AND c.relname <> 'schema_migrations' ORDER BY 1";
    /* the rows are there: as the superuser most tables hold some */
    long filled = h_db_long_super(&db, "SELECT count(*) FROM (SELECT (xpath('/row/n/text()',"
                                       " query_to_xml(format('SELECT count(*) AS n FROM %I.%I',"
                                       " n.nspname, c.relname), false, true, '')))[1]::text::int"
                                       " AS rows FROM pg_class c JOIN pg_namespace n"
                                       " ON n.oid = c.relnamespace WHERE n.nspname = 'mcred'"
                                       " AND c.relkind IN ('r', 'p')) t WHERE rows > 0");
    assert_true(filled >= 15);
    PGconn *app = PQconnectdb(db.conninfo);
    assert_int_equal(PQstatus(app), CONNECTION_OK);
    PGresult *res = PQexecParams(app, count_rows, 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        h_fail("counting rows as the server's role: %s", PQerrorMessage(app));
    assert_true(PQntuples(res) >= 20);
    for (int i = 0; i < PQntuples(res); i++)
        if (strcmp(PQgetvalue(res, i, 1), "0") != 0)
            h_fail("with no organisation set, the server's role sees %s rows of mcred.%s",
                   PQgetvalue(res, i, 1), PQgetvalue(res, i, 0));
    PQclear(res);
    PQfinish(app);
}

static void test_bad_input(void **state)
{
    (void)state;
    char *xs = repeat('x', 200000);
    over_long_string = h_strf("\"%s\"", xs);
    free(xs);
    for (size_t i = 0; i < N_ROWS; i++) {
        const struct row *row = &table[i];
        char *before = checksum();
        int mismatches_before = mismatches;
        row_cases(row);
        char *after = checksum();
        if (strcmp(before, after) != 0) {
            mismatches++;
            fprintf(stderr, "%s %s: refused requests changed the database:", row->method,
                    row->pattern);
            print_changed_tables(before, after);
        }
        if (mismatches != mismatches_before)
            fprintf(stderr, "-- %s %s: %d mismatches\n", row->method, row->pattern,
                    mismatches - mismatches_before);
        free(before);
        free(after);
    }
    fprintf(stderr, "bad input: %d cases over %zu routes, %d mismatches\n", cases, N_ROWS,
            mismatches);
    free(over_long_string);
    assert_int_equal(mismatches, 0);
}

/*
 * The other half of test_bad_input: each row's valid request, unmutated, is accepted with the
 * status docs/api.md gives it — else every mutation of an invalid template would be refused
 * for the template's fault, not its own.  Sent after every bad request, in table order (see the
 * table).  A JSON answer is JSON; a page's success is its redirect.
 */
static void test_valid_requests_accepted(void **state)
{
    (void)state;
    int refused = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        const struct row *row = &table[i];
        char *path = fill(row->path);
        struct h_response r;
        send_path(row, path, &r);
        bool json_expected = !is_page(row) && r.status != 204 && r.status != 303 &&
                             strncmp(row->pattern, "/metrics", 8) != 0;
        if (r.status != row->success || (json_expected && !r.json)) {
            refused++;
            fprintf(stderr, "%s %s (%s): the valid request got %ld, want %ld: %.300s\n",
                    row->method, row->pattern, path, r.status, row->success, r.body);
        }
        h_response_free(&r);
        free(path);
    }
    fprintf(stderr, "valid requests: %zu sent, %d not accepted\n", N_ROWS, refused);
    assert_int_equal(refused, 0);
}

/* ---- setup ---- */

static cJSON *post(const char *path, const char *body, long want)
{
    struct h_response r;
    h_call(&server, "POST", path, admin_token, body, want, &r);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

static char *post_id(const char *path, const char *body, long want, const char *at)
{
    cJSON *j = post(path, body, want);
    const char *id = h_json_string(j, at);
    if (!id)
        fail_msg("POST %s: no %s", path, at);
    char *copy = strdup(id);
    cJSON_Delete(j);
    return copy;
}

static char *cohort_with_members(void)
{
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Cohort %u\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-20\", \"timezone\": \"UTC\"}",
                        vars[V_CRED], ++serial);
    char *id = post_id("/v1/cohorts", body, 201, "id");
    free(body);
    char *path = h_strf("/v1/cohorts/%s/members", id);
    cJSON_Delete(post(path,
                      "{\"members\": [{\"email\": \"coach@bad.example\", \"role\": \"coach\"},"
                      " {\"email\": \"learner@bad.example\", \"coach\": \"coach@bad.example\"}]}",
                      201));
    free(path);
    return id;
}

static int setup(void **state)
{
    (void)state;
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    /* POST /signin's cases send made-up secrets: failures that test_auth_limit tests, not
     * this test, so the limit is out of the way */
    const char *env[] = {"MCRED_WEBHOOK_ALLOW_PRIVATE=1", "MCRED_WEBHOOK_ALLOW_HTTP=1",
                         "MCRED_DISPATCHER=0", "MCRED_AUTH_FAIL_LIMIT=100000", NULL};
    h_server_start(&db, env, &server);
    vars[V_ORG] = strdup("bad");
    admin_token = h_bootstrap(&server, "bad", "admin@bad.example");
    vars[V_PERSON] = h_person(&server, admin_token, "person@bad.example", "Pat Person", NULL);
    vars[V_PERSON_EMAIL] = strdup("person@bad.example");
    vars[V_LEARNER] = h_person(&server, admin_token, "learner@bad.example", "Lee Learner", NULL);
    vars[V_LEARNER_EMAIL] = strdup("learner@bad.example");
    free(h_person(&server, admin_token, "coach@bad.example", "Cam Coach", NULL));
    vars[V_COACH_EMAIL] = strdup("coach@bad.example");
    learner_token = h_token_for(&server, admin_token, vars[V_LEARNER]);
    vars[V_SECRET] = strdup(learner_token);
    vars[V_TOKEN] = post_id("/v1/tokens", "{\"name\": \"to revoke\"}", 201, "id");
    static const char framework[] =
        "{\"slug\": \"%s\", \"version\": 1, \"title\": \"Bad input\","
        " \"achievement_type\": \"MicroCredential\", \"award_rule\": {\"min_level\": 1,"
        " \"min_weekly_attendance\": 0, \"problem_of_practice_required\": false},"
        " \"standards\": [{\"code\": \"1\", \"title\": \"One\","
        " \"indicators\": [{\"code\": \"1.1\", \"text\": \"First\"}]}]}";
    char *body = h_strf(framework, "published");
    vars[V_CRED] = post_id("/v1/credentials", body, 201, "id");
    free(body);
    char *path = h_strf("/v1/credentials/%s/publish", vars[V_CRED]);
    cJSON_Delete(post(path, NULL, 200));
    free(path);
    body = h_strf(framework, "draft");
    vars[V_DRAFT] = post_id("/v1/credentials", body, 201, "id");
    free(body);
    vars[V_COHORT] = cohort_with_members();
    free(h_person(&server, admin_token, "learner2@bad.example", "Lou Learner", NULL));
    vars[V_LEARNER2_EMAIL] = strdup("learner2@bad.example");
    path = h_strf("/v1/cohorts/%s/members", vars[V_COHORT]);
    cJSON_Delete(post(path,
                      "{\"members\": [{\"email\": \"learner2@bad.example\","
                      " \"coach\": \"coach@bad.example\"}]}",
                      201));
    free(path);
    path = h_strf("/v1/cohorts/%s/sessions", vars[V_COHORT]);
    vars[V_SESSION] = post_id(path, "{\"kind\": \"weekly\", \"local_start\": \"2026-09-08T17:00\"}",
                              201, "items[0].id");
    free(path);
    path = h_strf("/v1/cohorts/%s/problems", vars[V_COHORT]);
    vars[V_PROBLEM] = post_id(path,
                              "{\"learner\": \"learner@bad.example\", \"title\": \"A problem\","
                              " \"statement\": \"Attendance gaps.\"}",
                              201, "id");
    free(path);
    path = h_strf("/v1/cohorts/%s/evidence", vars[V_COHORT]);
    vars[V_EVIDENCE] = post_id(path,
                               "{\"learner\": \"learner@bad.example\", \"indicator\": \"1.1\","
                               " \"title\": \"Evidence\", \"url\": \"https://docs.example/e\"}",
                               201, "id");
    vars[V_CITED] = post_id(path,
                            "{\"learner\": \"learner@bad.example\", \"indicator\": \"1.1\","
                            " \"title\": \"Cited\", \"url\": \"https://docs.example/c\"}",
                            201, "id");
    free(path);
    vars[V_WEBHOOK] = post_id("/v1/webhooks", "{\"url\": \"http://127.0.0.1:9/bad\"}", 201, "id");
    path = h_strf("/v1/webhooks/%s/test", vars[V_WEBHOOK]);
    vars[V_DELIVERY] = post_id(path, NULL, 202, "id");
    free(path);
    const char *params[] = {vars[V_DELIVERY]};
    free(h_db_query_super_params(&db,
                                 "UPDATE mcred.deliveries SET status = 'dead',"
                                 " next_attempt_at = NULL WHERE id = $1::uuid RETURNING id",
                                 1, params));
    /* an award: the learner scored at the credential's one level in a second cohort */
    vars[V_AWARD_COHORT] = cohort_with_members();
    path = h_strf("/v1/cohorts/%s/scores", vars[V_AWARD_COHORT]);
    cJSON_Delete(post(
        path, "{\"learner\": \"learner@bad.example\", \"indicator\": \"1.1\", \"level\": 1}", 201));
    free(path);
    path = h_strf("/v1/cohorts/%s/members/%s/award", vars[V_AWARD_COHORT], vars[V_LEARNER]);
    char *url = post_id(path, NULL, 201, "id");
    vars[V_AWARD] = strdup(strrchr(url, '/') + 1);
    free(url);
    free(path);
    /* the ES256 key id, from the key set */
    struct h_response r;
    h_http(&server, "GET", "/.well-known/jwks.json", NULL, NULL, NULL, 0, &r);
    const char *kid = h_json_string(r.json, "keys[0].kid");
    const char *slash = kid ? strrchr(kid, '/') : NULL;
    if (!slash)
        fail_msg("no key in /.well-known/jwks.json: %s", r.body);
    vars[V_KID] = strdup(slash + 1);
    h_response_free(&r);
    /* two invitations: the learner's to revoke, the coach's to accept */
    path = h_strf("/v1/cohorts/%s/invitations", vars[V_COHORT]);
    cJSON *j = post(path, "{\"people\": [\"learner@bad.example\"]}", 201);
    vars[V_INVITATION] = strdup(h_json_string(j, "items[0].id"));
    cJSON_Delete(j);
    j = post(path, "{\"people\": [\"coach@bad.example\"]}", 201);
    vars[V_CODE] = strdup(h_json_string(j, "items[0].code"));
    cJSON_Delete(j);
    free(path);
    /* pages: a session and its form token for the admin and the learner */
    admin_session = h_signin(&server, admin_token);
    h_page(&server, "GET", "/app", admin_session, NULL, &r);
    admin_csrf = h_page_csrf(&r);
    h_response_free(&r);
    learner_session = h_signin(&server, learner_token);
    h_page(&server, "GET", "/app", learner_session, NULL, &r);
    learner_csrf = h_page_csrf(&r);
    h_response_free(&r);
    if (!admin_csrf || !learner_csrf)
        fail_msg("no csrf token on /app");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int st = h_server_stop(&server);
    for (int i = 0; i < N_VARS; i++)
        free(vars[i]);
    free(admin_token);
    free(learner_token);
    free(admin_session);
    free(admin_csrf);
    free(learner_session);
    free(learner_csrf);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_has_a_row),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_sql_text_is_data),
        cmocka_unit_test(test_no_organisation_sees_no_rows),
        /* last: its valid requests use up objects the others name */
        cmocka_unit_test(test_valid_requests_accepted),
    };
    return h_run_tests(tests, setup, teardown);
}
