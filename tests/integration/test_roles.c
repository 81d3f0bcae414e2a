/*
 * test_roles.c — the role matrix: every route of server/routes.c, called
 * by every kind of caller (no token, admin, coordinator, leader, none),
 * on an object of the caller's organisation and on one of another
 * organisation, against the roles docs/api.md gives each route.
 *
 * The matrix below is written from docs/api.md, not from routes.c; the
 * test fails when a route has no row or a row no route, so every route
 * added later must join the matrix.
 *
 * Cohort roles are a second axis: two more callers, `learner` and
 * `coach`, have the organisation role none and are enrolled (as a
 * learner assigned to that coach, and as the coach) in every cohort the
 * matrix makes, so for a route whose path names a cohort or a session
 * they are members of the object's cohort when it is of their own
 * organisation.  `none` is a person of the organisation with no
 * membership.  Expected answers:
 *   - public routes: the success status for everyone;
 *   - no token: 401;
 *   - a role the route does not allow: 403, even for another
 *     organisation's id (the role check comes before any lookup); a
 *     cohort role counts only in a cohort of which the caller is an
 *     enrolled member, so a learner or coach gets 403 on another
 *     organisation's cohort;
 *   - an allowed role: the success status with an object of its own
 *     organisation, 404 with another organisation's.
 * A refused request must write nothing: both organisations' rows (audit
 * and events included, and every table of later migrations: problems,
 * evidence, scores …) are compared before and after.
 * Every mismatch is printed on its own line; the test fails at the end.
 *
 * Also: what cohort roles allow beyond the matrix — a coach records only
 * their own learners' attendance (every learner's where none is
 * assigned), waitlisted and withdrawn members hold no cohort role, a
 * learner sees the weekly sessions and their own coaching sessions only,
 * and GET /v1/cohorts lists only the cohorts one is enrolled in.
 *
 * Also: the same over problems of practice, evidence, scores and status
 * (test_assessment_roles) — a coach acts on their own learners only (403
 * scoring, reviewing or adding evidence for another coach's learner or an
 * unassigned one; every learner where none is assigned), a learner's own
 * token never scores (403, themself included), a learner reads and writes
 * only their own problem, evidence, scores and status, and the lists show
 * each caller only what is theirs.
 *
 * Also: the escalation rule (only an admin may give or take the admin
 * and coordinator roles), through POST and PATCH /v1/people and through
 * the roster import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "routes.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

/*
 * The callers, in the order the matrix tries them.  The first N_ORG_CALLERS are people of each
 * organisation (struct org holds their tokens); the rest are columns of their own:
 *   - foreign-admin and foreign-coach: the second organisation's admin and coach (enrolled in
 *     that organisation's cohorts), on the first organisation's objects: 403 or 404, never its
 *     data; on routes that name no object they act in their own organisation, and nothing they
 *     get back may name a row of the first;
 *   - expired and revoked: an admin's token of the first organisation, past its expires_at
 *     (set as the superuser: the API takes only future times) or revoked through
 *     DELETE /v1/tokens/{id}: 401 on every route that needs a token (pages: they cannot sign
 *     in, so they are sent to /signin).
 */
enum caller {
    ANONYMOUS,
    ADMIN,
    COORDINATOR,
    LEADER,
    NONE,
    LEARNER,
    COACH,
    N_ORG_CALLERS,
    FOREIGN_ADMIN = N_ORG_CALLERS,
    FOREIGN_COACH,
    EXPIRED,
    REVOKED,
    N_CALLERS
};
static const char *const caller_names[N_CALLERS] = {
    "anonymous", "admin",         "coordinator",   "leader",  "none",   "learner",
    "coach",     "foreign-admin", "foreign-coach", "expired", "revoked"};
/* The org_role of each caller but the first (ROLE_* bits from router.h, as names only). */
static const unsigned caller_role[N_CALLERS] = {
    0, ROLE_ADMIN, ROLE_COORDINATOR, ROLE_LEADER, ROLE_NONE, ROLE_NONE, ROLE_NONE};
static const char *const caller_org_role[N_CALLERS] = {NULL,   "admin", "coordinator", "leader",
                                                       "none", "none",  "none"};
/* The cohort role each caller holds in the cohorts the matrix makes in its organisation. */
static const unsigned caller_cohort_role[N_CALLERS] = {0, 0, 0, 0, 0, ROLE_LEARNER, ROLE_COACH};

struct org {
    const char *slug;
    char *bootstrap_token; /* the bootstrap admin: makes the objects */
    char *person_id[N_ORG_CALLERS];
    char *token[N_ORG_CALLERS]; /* NULL for ANONYMOUS */
    char *credential;           /* a published credential, for cohorts */
    char *expired_token;        /* an admin's, expired */
    char *revoked_token;        /* an admin's, revoked */
};
static struct org own = {.slug = "own"}, other = {.slug = "other"};

/* What a request needs in its body. */
enum body {
    BODY_NONE,
    BODY_PERSON_NEW,     /* POST /v1/people */
    BODY_PERSON_PATCH,   /* PATCH /v1/people/{id} */
    BODY_ROSTER,         /* POST /v1/people/import, text/csv */
    BODY_TOKEN_NEW,      /* POST /v1/tokens */
    BODY_CREDENTIAL_NEW, /* POST /v1/credentials */
    BODY_COHORT_NEW,     /* POST /v1/cohorts */
    BODY_COHORT_PATCH,   /* PATCH /v1/cohorts/{id} */
    BODY_MEMBER_NEW,     /* POST /v1/cohorts/{id}/members: a new person of the caller's org */
    BODY_MEMBER_ROSTER,  /* POST /v1/cohorts/{id}/members/import, text/csv */
    BODY_MEMBER_PATCH,   /* PATCH /v1/cohorts/{id}/members/{person}: the coach caller as coach */
    BODY_SESSIONS_NEW,   /* POST /v1/cohorts/{id}/sessions: a weekly series of one */
    BODY_SESSION_PATCH,  /* PATCH /v1/sessions/{id}: a new title */
    BODY_SESSION_CANCEL, /* POST /v1/sessions/{id}/cancel: a reason */
    BODY_ATTENDANCE,     /* PUT /v1/sessions/{id}/attendance: the learner caller, online */
    BODY_PROBLEM_NEW,    /* POST /v1/cohorts/{id}/problems: for the learner caller, a draft */
    BODY_PROBLEM_PATCH,  /* PATCH /v1/problems/{id}: a new title */
    BODY_PROBLEM_REVIEW, /* POST /v1/problems/{id}/review: approved */
    BODY_EVIDENCE_NEW,   /* POST /v1/cohorts/{id}/evidence: the learner caller's, a URL */
    BODY_EVIDENCE_PATCH, /* PATCH /v1/evidence/{id}: a new title */
    BODY_SCORE_NEW,      /* POST /v1/cohorts/{id}/scores: the learner caller, 1.1 at 3 */
    BODY_WEBHOOK_NEW,    /* POST /v1/webhooks: a loopback URL (the server allows private) */
    BODY_WEBHOOK_PATCH,  /* PATCH /v1/webhooks/{id}: pause */
    BODY_INVITE_NEW,     /* POST /v1/cohorts/{id}/invitations: the learner caller */
    BODY_INVITE_ACCEPT,  /* POST /v1/invitations/accept: a new code for the learner caller */
    BODY_AWARD_ALL,      /* POST /v1/cohorts/{id}/awards: every eligible learner */
    BODY_REVOKE,         /* POST /v1/awards/{id}/revoke: a reason */
    BODY_SIGNIN,         /* POST /signin: the bootstrap admin's token, as a form */
    BODY_FORM,           /* a page's form with nothing but the caller's session's csrf */
    BODY_PROBLEM_FORM,   /* a problem-of-practice form (csrf, title, statement) */
    BODY_EVIDENCE_FORM,  /* an evidence form (csrf, title, a link) */
    BODY_SHEET_FORM,     /* the scoring sheet's form: csrf, 1.1 at 3 with feedback */
    BODY_REVIEW_FORM,    /* the review form: csrf, approved with feedback */
};

/* What the {id} (and {person}) of a path names; a fresh one is made for every case.  A cohort
 * is made with the learner and coach callers of its organisation enrolled in it. */
enum object {
    OBJ_NONE,
    OBJ_PERSON,
    OBJ_TOKEN,
    OBJ_CREDENTIAL,           /* a draft */
    OBJ_CREDENTIAL_PUBLISHED, /* a published credential of its own (not the org's) */
    OBJ_COHORT,
    OBJ_MEMBER,            /* {id} a cohort, {person} a learner of it (not a caller) */
    OBJ_SESSION,           /* a weekly session of a cohort */
    OBJ_ATTENDANCE,        /* {id} a weekly session, {person} the learner caller, recorded */
    OBJ_SESSION_CANCELLED, /* the same, cancelled */
    OBJ_PROBLEM_DRAFT,     /* the learner caller's problem of practice in a cohort, a draft */
    OBJ_PROBLEM_SUBMITTED, /* the same, submitted */
    OBJ_LEARNER_CALLER,    /* {id} a cohort, {person} the learner caller (enrolled in it) */
    OBJ_WEBHOOK,           /* a subscription of the organisation */
    OBJ_DELIVERY,          /* a dead delivery of a test event to a new subscription */
    OBJ_INVITATION,        /* a pending invitation of the learner caller to a new cohort */
    OBJ_EVIDENCE,          /* the learner caller's evidence in a cohort, cited by no score */
    OBJ_ELIGIBLE,          /* {id} a cohort, {person} the learner caller, eligible */
    OBJ_AWARD,             /* the learner caller's award in a cohort */
    OBJ_ISSUER,            /* {org} the organisation's slug */
    OBJ_ISSUER_KEY,        /* {org} its slug, {kid} its ES256 key (made by an award) */
};

/* Does the object's cohort decide cohort roles (a path naming a cohort or a session)? */
static bool in_a_cohort(enum object kind)
{
    return kind == OBJ_COHORT || kind == OBJ_MEMBER || kind == OBJ_SESSION ||
           kind == OBJ_ATTENDANCE || kind == OBJ_SESSION_CANCELLED || kind == OBJ_PROBLEM_DRAFT ||
           kind == OBJ_PROBLEM_SUBMITTED || kind == OBJ_LEARNER_CALLER || kind == OBJ_EVIDENCE ||
           kind == OBJ_ELIGIBLE || kind == OBJ_AWARD;
}

#define ANY_ROLE (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_LEADER | ROLE_NONE)
#define PEOPLE   (ROLE_ADMIN | ROLE_COORDINATOR)
#define MANAGE   (ROLE_ADMIN | ROLE_COORDINATOR)
#define READ     (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_LEADER)

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
    {"GET", "/openapi.json", true, 0, BODY_NONE, OBJ_NONE, 200},

    {"GET", "/v1/me", false, ANY_ROLE, BODY_NONE, OBJ_NONE, 200},

    {"POST", "/v1/people", false, PEOPLE, BODY_PERSON_NEW, OBJ_NONE, 201},
    {"GET", "/v1/people", false, PEOPLE, BODY_NONE, OBJ_NONE, 200},
    {"GET", "/v1/people/{id}", false, PEOPLE, BODY_NONE, OBJ_PERSON, 200},
    {"PATCH", "/v1/people/{id}", false, PEOPLE, BODY_PERSON_PATCH, OBJ_PERSON, 200},
    {"POST", "/v1/people/import", false, PEOPLE, BODY_ROSTER, OBJ_NONE, 200},

    {"GET", "/v1/tokens", false, ROLE_ADMIN, BODY_NONE, OBJ_NONE, 200},
    {"POST", "/v1/tokens", false, ROLE_ADMIN, BODY_TOKEN_NEW, OBJ_NONE, 201},
    {"DELETE", "/v1/tokens/{id}", false, ROLE_ADMIN, BODY_NONE, OBJ_TOKEN, 204},

    {"POST", "/v1/webhooks", false, MANAGE, BODY_WEBHOOK_NEW, OBJ_NONE, 201},
    {"GET", "/v1/webhooks", false, MANAGE, BODY_NONE, OBJ_NONE, 200},
    {"GET", "/v1/webhooks/{id}", false, MANAGE, BODY_NONE, OBJ_WEBHOOK, 200},
    {"PATCH", "/v1/webhooks/{id}", false, MANAGE, BODY_WEBHOOK_PATCH, OBJ_WEBHOOK, 200},
    {"POST", "/v1/webhooks/{id}/rotate", false, MANAGE, BODY_NONE, OBJ_WEBHOOK, 200},
    {"DELETE", "/v1/webhooks/{id}", false, MANAGE, BODY_NONE, OBJ_WEBHOOK, 204},
    {"POST", "/v1/webhooks/{id}/test", false, MANAGE, BODY_NONE, OBJ_WEBHOOK, 202},
    {"GET", "/v1/webhooks/{id}/deliveries", false, MANAGE, BODY_NONE, OBJ_WEBHOOK, 200},
    {"GET", "/v1/deliveries/{id}", false, MANAGE, BODY_NONE, OBJ_DELIVERY, 200},
    {"POST", "/v1/deliveries/{id}/retry", false, MANAGE, BODY_NONE, OBJ_DELIVERY, 200},

    {"POST", "/v1/credentials", false, MANAGE, BODY_CREDENTIAL_NEW, OBJ_NONE, 201},
    {"GET", "/v1/credentials", false, READ, BODY_NONE, OBJ_NONE, 200},
    {"GET", "/v1/credentials/{id}", false, READ, BODY_NONE, OBJ_CREDENTIAL, 200},
    {"POST", "/v1/credentials/{id}/publish", false, MANAGE, BODY_NONE, OBJ_CREDENTIAL, 200},
    {"POST", "/v1/credentials/{id}/retire", false, MANAGE, BODY_NONE, OBJ_CREDENTIAL_PUBLISHED,
     200},

    {"POST", "/v1/cohorts", false, MANAGE, BODY_COHORT_NEW, OBJ_NONE, 201},
    {"GET", "/v1/cohorts", false, ANY_ROLE, BODY_NONE, OBJ_NONE, 200},
    {"GET", "/v1/cohorts/{id}", false, READ | ROLE_COACH | ROLE_LEARNER, BODY_NONE, OBJ_COHORT,
     200},
    {"PATCH", "/v1/cohorts/{id}", false, MANAGE, BODY_COHORT_PATCH, OBJ_COHORT, 200},

    {"POST", "/v1/cohorts/{id}/members", false, MANAGE, BODY_MEMBER_NEW, OBJ_COHORT, 201},
    {"POST", "/v1/cohorts/{id}/members/import", false, MANAGE, BODY_MEMBER_ROSTER, OBJ_COHORT, 200},
    {"GET", "/v1/cohorts/{id}/members", false, READ | ROLE_COACH, BODY_NONE, OBJ_COHORT, 200},
    {"PATCH", "/v1/cohorts/{id}/members/{person}", false, MANAGE, BODY_MEMBER_PATCH, OBJ_MEMBER,
     200},
    {"DELETE", "/v1/cohorts/{id}/members/{person}", false, MANAGE, BODY_NONE, OBJ_MEMBER, 200},

    {"POST", "/v1/cohorts/{id}/invitations", false, MANAGE, BODY_INVITE_NEW, OBJ_COHORT, 201},
    {"GET", "/v1/cohorts/{id}/invitations", false, MANAGE, BODY_NONE, OBJ_COHORT, 200},
    {"DELETE", "/v1/invitations/{id}", false, MANAGE, BODY_NONE, OBJ_INVITATION, 200},
    /* public: whoever sends a good code gets its token, whatever else they send */
    {"POST", "/v1/invitations/accept", true, 0, BODY_INVITE_ACCEPT, OBJ_NONE, 201},

    {"POST", "/v1/cohorts/{id}/sessions", false, MANAGE, BODY_SESSIONS_NEW, OBJ_COHORT, 201},
    {"GET", "/v1/cohorts/{id}/sessions", false, READ | ROLE_COACH | ROLE_LEARNER, BODY_NONE,
     OBJ_COHORT, 200},

    {"PATCH", "/v1/sessions/{id}", false, MANAGE, BODY_SESSION_PATCH, OBJ_SESSION, 200},
    {"DELETE", "/v1/sessions/{id}", false, MANAGE, BODY_NONE, OBJ_SESSION, 204},
    {"POST", "/v1/sessions/{id}/cancel", false, MANAGE, BODY_SESSION_CANCEL, OBJ_SESSION, 200},
    {"POST", "/v1/sessions/{id}/restore", false, MANAGE, BODY_NONE, OBJ_SESSION_CANCELLED, 200},
    {"POST", "/v1/sessions/{id}/held", false, MANAGE, BODY_NONE, OBJ_SESSION, 200},
    {"PUT", "/v1/sessions/{id}/attendance", false, MANAGE | ROLE_COACH, BODY_ATTENDANCE,
     OBJ_SESSION, 200},
    {"GET", "/v1/sessions/{id}/attendance", false, READ | ROLE_COACH, BODY_NONE, OBJ_SESSION, 200},
    {"DELETE", "/v1/sessions/{id}/attendance/{person}", false, MANAGE | ROLE_COACH, BODY_NONE,
     OBJ_ATTENDANCE, 200},
    {"GET", "/v1/cohorts/{id}/members/{person}/attendance", false, READ | ROLE_COACH | ROLE_LEARNER,
     BODY_NONE, OBJ_LEARNER_CALLER, 200},

    /* the learner caller is assigned to the coach caller, so "own" and "their learners" hold
     * for every object and body below */
    {"POST", "/v1/cohorts/{id}/problems", false, MANAGE | ROLE_LEARNER | ROLE_COACH,
     BODY_PROBLEM_NEW, OBJ_COHORT, 201},
    {"GET", "/v1/cohorts/{id}/problems", false, READ | ROLE_COACH | ROLE_LEARNER, BODY_NONE,
     OBJ_COHORT, 200},
    {"GET", "/v1/problems/{id}", false, READ | ROLE_COACH | ROLE_LEARNER, BODY_NONE,
     OBJ_PROBLEM_SUBMITTED, 200},
    {"PATCH", "/v1/problems/{id}", false, MANAGE | ROLE_LEARNER, BODY_PROBLEM_PATCH,
     OBJ_PROBLEM_DRAFT, 200},
    {"POST", "/v1/problems/{id}/review", false, MANAGE | ROLE_COACH, BODY_PROBLEM_REVIEW,
     OBJ_PROBLEM_SUBMITTED, 200},

    {"POST", "/v1/cohorts/{id}/evidence", false, MANAGE | ROLE_LEARNER | ROLE_COACH,
     BODY_EVIDENCE_NEW, OBJ_COHORT, 201},
    {"GET", "/v1/cohorts/{id}/evidence", false, READ | ROLE_COACH | ROLE_LEARNER, BODY_NONE,
     OBJ_COHORT, 200},
    {"PATCH", "/v1/evidence/{id}", false, MANAGE | ROLE_LEARNER | ROLE_COACH, BODY_EVIDENCE_PATCH,
     OBJ_EVIDENCE, 200},
    {"DELETE", "/v1/evidence/{id}", false, MANAGE | ROLE_LEARNER | ROLE_COACH, BODY_NONE,
     OBJ_EVIDENCE, 200},

    /* never the learner: a learner's own token can never score */
    {"POST", "/v1/cohorts/{id}/scores", false, MANAGE | ROLE_COACH, BODY_SCORE_NEW, OBJ_COHORT,
     201},
    {"GET", "/v1/cohorts/{id}/scores", false, READ | ROLE_COACH | ROLE_LEARNER, BODY_NONE,
     OBJ_COHORT, 200},

    {"GET", "/v1/cohorts/{id}/status", false, READ | ROLE_COACH, BODY_NONE, OBJ_COHORT, 200},
    /* the cohort's report: never a coach or learner, even of the cohort */
    {"GET", "/v1/reports/cohorts/{id}", false, READ, BODY_NONE, OBJ_COHORT, 200},
    /* the organisation's report: the same roles as a cohort's */
    {"GET", "/v1/reports/orgs/current", false, READ, BODY_NONE, OBJ_NONE, 200},

    {"POST", "/v1/cohorts/{id}/members/{person}/award", false, MANAGE | ROLE_LEADER, BODY_NONE,
     OBJ_ELIGIBLE, 201},
    {"POST", "/v1/cohorts/{id}/awards", false, MANAGE | ROLE_LEADER, BODY_AWARD_ALL, OBJ_ELIGIBLE,
     200},
    {"GET", "/v1/cohorts/{id}/awards", false, READ, BODY_NONE, OBJ_ELIGIBLE, 200},
    /* a learner reads their own award (the object's learner is the learner caller) */
    {"GET", "/v1/awards/{id}", false, READ | ROLE_LEARNER, BODY_NONE, OBJ_AWARD, 200},
    {"POST", "/v1/awards/{id}/revoke", false, MANAGE | ROLE_LEADER, BODY_REVOKE, OBJ_AWARD, 200},
    {"GET", "/v1/me/awards", false, ANY_ROLE, BODY_NONE, OBJ_NONE, 200},

    /* public documents: anyone, whichever organisation they are of */
    {"GET", "/issuers/{org}", true, 0, BODY_NONE, OBJ_ISSUER, 200},
    {"GET", "/issuers/{org}/keys/{kid}", true, 0, BODY_NONE, OBJ_ISSUER_KEY, 200},
    {"GET", "/issuers/{org}/revocations", true, 0, BODY_NONE, OBJ_ISSUER, 200},
    {"GET", "/.well-known/jwks.json", true, 0, BODY_NONE, OBJ_NONE, 200},
    {"GET", "/achievements/{id}", true, 0, BODY_NONE, OBJ_CREDENTIAL_PUBLISHED, 200},
    {"GET", "/credentials/{id}", true, 0, BODY_NONE, OBJ_AWARD, 200},
    {"GET", "/v1/cohorts/{id}/members/{person}/status", false, READ | ROLE_COACH | ROLE_LEARNER,
     BODY_NONE, OBJ_LEARNER_CALLER, 200},

    /* pages: signed in with a session cookie; without one, sent to /signin (303) */
    {"GET", "/", true, 0, BODY_NONE, OBJ_NONE, 303},
    {"GET", "/signin", true, 0, BODY_NONE, OBJ_NONE, 200},
    {"POST", "/signin", true, 0, BODY_SIGNIN, OBJ_NONE, 303},
    {"POST", "/signout", false, ANY_ROLE, BODY_FORM, OBJ_NONE, 303},
    {"GET", "/app", false, ANY_ROLE, BODY_NONE, OBJ_NONE, 200},
    /* a learner's own page and its forms: the learner caller's own, in a cohort of theirs */
    {"GET", "/app/cohorts/{id}/me", false, ROLE_LEARNER, BODY_NONE, OBJ_COHORT, 200},
    {"POST", "/app/cohorts/{id}/me/problem", false, ROLE_LEARNER, BODY_PROBLEM_FORM, OBJ_COHORT,
     303},
    {"POST", "/app/problems/{id}", false, MANAGE | ROLE_LEARNER, BODY_PROBLEM_FORM,
     OBJ_PROBLEM_DRAFT, 303},
    {"POST", "/app/cohorts/{id}/me/evidence", false, ROLE_LEARNER, BODY_EVIDENCE_FORM, OBJ_COHORT,
     303},
    /* the coaches' pages: as the scores and problems API allow (the learner caller's own) */
    {"GET", "/app/cohorts/{id}/learners/{person}/sheet", false, READ | ROLE_COACH | ROLE_LEARNER,
     BODY_NONE, OBJ_LEARNER_CALLER, 200},
    {"POST", "/app/cohorts/{id}/learners/{person}/sheet", false, MANAGE | ROLE_COACH,
     BODY_SHEET_FORM, OBJ_LEARNER_CALLER, 303},
    {"GET", "/app/cohorts/{id}/learners/{person}/problem", false, READ | ROLE_COACH | ROLE_LEARNER,
     BODY_NONE, OBJ_LEARNER_CALLER, 200},
    {"POST", "/app/problems/{id}/review", false, MANAGE | ROLE_COACH, BODY_REVIEW_FORM,
     OBJ_PROBLEM_SUBMITTED, 303},
    /* a cohort's page and a learner's: the roles of the status routes they show */
    {"GET", "/app/cohorts/{id}", false, READ | ROLE_COACH, BODY_NONE, OBJ_COHORT, 200},
    {"GET", "/app/cohorts/{id}/learners/{person}", false, READ | ROLE_COACH | ROLE_LEARNER,
     BODY_NONE, OBJ_LEARNER_CALLER, 200},
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

/* A credential framework of one standard and one indicator, slug matrix-<n>. */
static char *framework_body(unsigned n)
{
    return h_strf(
        "{\"slug\": \"matrix-%u\", \"version\": 1, \"title\": \"Matrix %u\","
        " \"achievement_type\": \"MicroCredential\", \"award_rule\": {\"min_level\": 1,"
        " \"min_weekly_attendance\": 0, \"problem_of_practice_required\": false},"
        " \"standards\": [{\"code\": \"1\","
        " \"title\": \"One\", \"indicators\": [{\"code\": \"1.1\", \"text\": \"First\"}]}]}",
        n, n);
}

/* POST as the organisation's bootstrap admin, which must answer want; returns the answer's
 * JSON (the caller deletes it). */
static cJSON *admin_post(const struct org *o, const char *path, const char *body, long want)
{
    struct h_response r;
    h_send_json(&server, "POST", path, o->bootstrap_token, body, &r);
    if (r.status != want)
        fail_msg("POST %s %s in %s: %ld %s", path, body ? body : "", o->slug, r.status, r.body);
    cJSON *j = r.json;
    r.json = NULL;
    h_response_free(&r);
    return j;
}

/* o's expired and revoked admin tokens, each of which worked before it died. */
static void dead_tokens(struct org *o)
{
    char *expired_id = NULL, *revoked_id = NULL;
    o->expired_token = make_token(o, o->person_id[ADMIN], &expired_id);
    o->revoked_token = make_token(o, o->person_id[ADMIN], &revoked_id);
    struct h_response r;
    h_call(&server, "GET", "/v1/me", o->expired_token, NULL, 200, &r);
    h_response_free(&r);
    h_call(&server, "GET", "/v1/me", o->revoked_token, NULL, 200, &r);
    h_response_free(&r);
    const char *params[] = {expired_id};
    free(h_db_query_super_params(&db,
                                 "UPDATE mcred.tokens SET expires_at = now() - interval '1 minute'"
                                 " WHERE id = $1::uuid RETURNING id",
                                 1, params));
    char *path = h_strf("/v1/tokens/%s", revoked_id);
    h_call(&server, "DELETE", path, o->bootstrap_token, NULL, 204, &r);
    h_response_free(&r);
    /* nor can they open a page session */
    const char *dead[] = {o->expired_token, o->revoked_token};
    for (size_t i = 0; i < 2; i++) {
        char *form = h_strf("secret=%s", dead[i]);
        h_page(&server, "POST", "/signin", NULL, form, &r);
        char *cookie = h_response_header(&r, "Set-Cookie");
        bool session = cookie && strncmp(cookie, "mcred_session=mcs_", 18) == 0;
        if (r.status != 401 || session)
            h_fail("POST /signin with the %s token of %s: %ld%s", i ? "revoked" : "expired",
                   o->slug, r.status, session ? ", and a session" : "");
        free(cookie);
        free(form);
        h_response_free(&r);
    }
    free(path);
    free(expired_id);
    free(revoked_id);
}

static void org_setup(struct org *o)
{
    char *email = h_strf("admin@%s.example", o->slug);
    o->bootstrap_token = h_bootstrap(&server, o->slug, email);
    free(email);
    for (int c = ADMIN; c < N_ORG_CALLERS; c++) {
        email = h_strf("%s@%s.example", caller_names[c], o->slug);
        if (c == ADMIN) { /* the bootstrap admin has that address: a second admin */
            free(email);
            email = h_strf("admin2@%s.example", o->slug);
        }
        o->person_id[c] = make_person(o, email, caller_org_role[c]);
        o->token[c] = make_token(o, o->person_id[c], NULL);
        free(email);
    }
    char *body = framework_body(++serial);
    cJSON *j = admin_post(o, "/v1/credentials", body, 201);
    o->credential = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    char *path = h_strf("/v1/credentials/%s/publish", o->credential);
    cJSON_Delete(admin_post(o, path, NULL, 200));
    free(path);
    dead_tokens(o);
}

static void org_free(struct org *o)
{
    free(o->bootstrap_token);
    free(o->credential);
    free(o->expired_token);
    free(o->revoked_token);
    for (int c = 0; c < N_ORG_CALLERS; c++) {
        free(o->person_id[c]);
        free(o->token[c]);
    }
}

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    /* loopback webhook URLs, never delivered to: no dispatcher runs here; the expired and
     * revoked columns send hundreds of dead tokens from one address, which would otherwise be
     * throttled (test_auth_limit tests that) */
    const char *env[] = {"MCRED_WEBHOOK_ALLOW_PRIVATE=1", "MCRED_WEBHOOK_ALLOW_HTTP=1",
                         "MCRED_DISPATCHER=0", "MCRED_AUTH_FAIL_LIMIT=100000", NULL};
    h_server_start(&db, env, &server);
    h_http_keep_alive(true); /* thousands of requests, one after the other */
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

/* What a case's path names. */
struct made {
    char *id;     /* {id} */
    char *person; /* {person}, for OBJ_MEMBER */
};

static void object_free(struct made *obj)
{
    free(obj->id);
    free(obj->person);
}

/* path with {id} and {person} replaced by the object's (malloc'd). */
static char *fill_path(const char *pattern, const struct made *obj)
{
    char buf[512] = "";
    size_t len = 0;
    for (const char *p = pattern; *p;) {
        if (*p != '{') {
            buf[len++] = *p++;
            continue;
        }
        const char *close = strchr(p, '}');
        assert_non_null(close);
        const char *value =
            strncmp(p, "{person}", 8) == 0 || strncmp(p, "{kid}", 5) == 0 ? obj->person : obj->id;
        assert_non_null(value);
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", value);
        p = close + 1;
    }
    buf[len] = '\0';
    return strdup(buf);
}

/* A cohort of o's published credential with o's learner and coach callers enrolled, the learner
 * assigned to the coach; returns its id. */
static char *make_cohort(const struct org *o)
{
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Matrix %u\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-20\", \"timezone\": "
                        "\"America/New_York\"}",
                        o->credential, ++serial);
    cJSON *j = admin_post(o, "/v1/cohorts", body, 201);
    char *id = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    body = h_strf("{\"members\": [{\"email\": \"coach@%s.example\", \"role\": \"coach\"}, "
                  "{\"email\": \"learner@%s.example\", \"coach\": \"coach@%s.example\"}]}",
                  o->slug, o->slug, o->slug);
    char *path = h_strf("/v1/cohorts/%s/members", id);
    cJSON_Delete(admin_post(o, path, body, 201));
    free(path);
    free(body);
    return id;
}

/* A new cohort of o with the learner caller invited to it; returns the invitation's answer. */
static cJSON *make_invitation(const struct org *o)
{
    char *cohort = make_cohort(o);
    char *path = h_strf("/v1/cohorts/%s/invitations", cohort);
    char *body = h_strf("{\"people\": [\"learner@%s.example\"]}", o->slug);
    cJSON *j = admin_post(o, path, body, 201);
    if (!h_json_string(j, "items[0].id") || !h_json_string(j, "items[0].code"))
        fail_msg("POST %s: no items[0].id or code", path);
    free(body);
    free(path);
    free(cohort);
    return j;
}

/* A cohort in which the learner caller is eligible (the matrix credential asks one level). */
static char *make_eligible(const struct org *o)
{
    char *cohort = make_cohort(o);
    char *path = h_strf("/v1/cohorts/%s/scores", cohort);
    char *body = h_strf(
        "{\"learner\": \"learner@%s.example\", \"indicator\": \"1.1\", \"level\": 1}", o->slug);
    cJSON_Delete(admin_post(o, path, body, 201));
    free(body);
    free(path);
    return cohort;
}

/* The learner caller's award in a new cohort; its id. */
static char *make_award(const struct org *o)
{
    char *cohort = make_eligible(o);
    char *path = h_strf("/v1/cohorts/%s/members/%s/award", cohort, o->person_id[LEARNER]);
    cJSON *j = admin_post(o, path, NULL, 201);
    const char *url = h_json_string(j, "id"), *slash = url ? strrchr(url, '/') : NULL;
    if (!slash)
        fail_msg("POST %s: no credential id", path);
    char *id = strdup(slash + 1);
    cJSON_Delete(j);
    free(path);
    free(cohort);
    return id;
}

/* The thumbprint of o's ES256 key, from the public key set. */
static char *issuer_kid(const struct org *o)
{
    struct h_response r;
    h_http(&server, "GET", "/.well-known/jwks.json", NULL, NULL, NULL, 0, &r);
    char *want = h_strf("/issuers/%s/keys/", o->slug), *kid = NULL;
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(r.json, "keys"))
    {
        const char *url = h_json_string(k, "kid"), *at = url ? strstr(url, want) : NULL;
        if (at && !kid)
            kid = strdup(at + strlen(want));
    }
    if (!kid)
        fail_msg("no ES256 key of %s in /.well-known/jwks.json: %s", o->slug, r.body);
    h_response_free(&r);
    free(want);
    return kid;
}

static struct made make_object(enum object kind, const struct org *o)
{
    struct made obj = {0};
    switch (kind) {
    case OBJ_PERSON: {
        char *email = h_strf("object%u@%s.example", ++serial, o->slug);
        obj.id = make_person(o, email, "none");
        free(email);
        break;
    }
    case OBJ_TOKEN:
        free(make_token(o, NULL, &obj.id));
        break;
    case OBJ_CREDENTIAL: {
        char *body = framework_body(++serial);
        cJSON *j = admin_post(o, "/v1/credentials", body, 201);
        obj.id = strdup(h_json_string(j, "id"));
        cJSON_Delete(j);
        free(body);
        break;
    }
    case OBJ_CREDENTIAL_PUBLISHED: {
        char *body = framework_body(++serial);
        cJSON *j = admin_post(o, "/v1/credentials", body, 201);
        obj.id = strdup(h_json_string(j, "id"));
        char *path = h_strf("/v1/credentials/%s/publish", obj.id);
        cJSON_Delete(admin_post(o, path, NULL, 200));
        free(path);
        cJSON_Delete(j);
        free(body);
        break;
    }
    case OBJ_COHORT:
        obj.id = make_cohort(o);
        break;
    case OBJ_EVIDENCE: {
        char *cohort = make_cohort(o);
        char *path = h_strf("/v1/cohorts/%s/evidence", cohort);
        unsigned n = ++serial;
        char *body = h_strf("{\"learner\": \"learner@%s.example\", \"title\": \"Matrix evidence "
                            "%u\", \"url\": \"https://docs.example/m/%u\"}",
                            o->slug, n, n);
        cJSON *j = admin_post(o, path, body, 201);
        const char *id = h_json_string(j, "id");
        if (!id)
            fail_msg("POST %s: no id", path);
        obj.id = strdup(id);
        cJSON_Delete(j);
        free(body);
        free(path);
        free(cohort);
        break;
    }
    case OBJ_WEBHOOK: {
        cJSON *j = admin_post(o, "/v1/webhooks", "{\"url\": \"http://127.0.0.1:9/matrix\"}", 201);
        obj.id = strdup(h_json_string(j, "id"));
        cJSON_Delete(j);
        break;
    }
    case OBJ_DELIVERY: {
        cJSON *j = admin_post(o, "/v1/webhooks", "{\"url\": \"http://127.0.0.1:9/matrix\"}", 201);
        char *path = h_strf("/v1/webhooks/%s/test", h_json_string(j, "id"));
        cJSON *d = admin_post(o, path, NULL, 202);
        obj.id = strdup(h_json_string(d, "id"));
        /* as if the dispatcher had given up on it, so that it may be retried */
        const char *params[] = {obj.id};
        free(h_db_query_super_params(&db,
                                     "UPDATE mcred.deliveries SET status = 'dead',"
                                     " next_attempt_at = NULL WHERE id = $1::uuid RETURNING id",
                                     1, params));
        free(path);
        cJSON_Delete(d);
        cJSON_Delete(j);
        break;
    }
    case OBJ_MEMBER: {
        obj.id = make_cohort(o);
        char *email = h_strf("member%u@%s.example", ++serial, o->slug);
        obj.person = make_person(o, email, "none");
        char *body = h_strf("{\"members\": [{\"email\": \"%s\"}]}", email);
        char *path = h_strf("/v1/cohorts/%s/members", obj.id);
        cJSON_Delete(admin_post(o, path, body, 201));
        free(path);
        free(body);
        free(email);
        break;
    }
    case OBJ_SESSION:
    case OBJ_ATTENDANCE:
    case OBJ_SESSION_CANCELLED: {
        char *cohort = make_cohort(o);
        char *path = h_strf("/v1/cohorts/%s/sessions", cohort);
        cJSON *j = admin_post(o, path,
                              "{\"kind\": \"weekly\", \"local_start\": \"2026-09-08T17:00\"}", 201);
        const char *id = h_json_string(j, "items[0].id");
        if (!id)
            fail_msg("POST %s: no items[0].id", path);
        obj.id = strdup(id);
        cJSON_Delete(j);
        free(path);
        free(cohort);
        if (kind == OBJ_ATTENDANCE) {
            obj.person = strdup(o->person_id[LEARNER]);
            path = h_strf("/v1/sessions/%s/attendance", obj.id);
            char *body = h_strf("{\"attendance\": [{\"person\": \"%s\", \"mode\": \"online\"}]}",
                                obj.person);
            struct h_response r;
            h_send_json(&server, "PUT", path, o->bootstrap_token, body, &r);
            if (r.status != 200)
                fail_msg("PUT %s: %ld", path, r.status);
            h_response_free(&r);
            free(body);
            free(path);
        }
        if (kind == OBJ_SESSION_CANCELLED) {
            path = h_strf("/v1/sessions/%s/cancel", obj.id);
            cJSON_Delete(admin_post(o, path, "{}", 200));
            free(path);
        }
        break;
    }
    case OBJ_PROBLEM_DRAFT:
    case OBJ_PROBLEM_SUBMITTED: {
        char *cohort = make_cohort(o);
        char *path = h_strf("/v1/cohorts/%s/problems", cohort);
        char *body = h_strf("{\"learner\": \"learner@%s.example\", \"title\": \"Matrix problem "
                            "%u\", \"statement\": \"Attendance gaps.\", \"submit\": %s}",
                            o->slug, ++serial, kind == OBJ_PROBLEM_SUBMITTED ? "true" : "false");
        cJSON *j = admin_post(o, path, body, 201);
        const char *id = h_json_string(j, "id");
        if (!id)
            fail_msg("POST %s: no id", path);
        obj.id = strdup(id);
        cJSON_Delete(j);
        free(body);
        free(path);
        free(cohort);
        break;
    }
    case OBJ_INVITATION: {
        cJSON *j = make_invitation(o);
        obj.id = strdup(h_json_string(j, "items[0].id"));
        cJSON_Delete(j);
        break;
    }
    case OBJ_LEARNER_CALLER:
        obj.id = make_cohort(o);
        obj.person = strdup(o->person_id[LEARNER]);
        break;
    case OBJ_ELIGIBLE:
        obj.id = make_eligible(o);
        obj.person = strdup(o->person_id[LEARNER]);
        break;
    case OBJ_AWARD:
        obj.id = make_award(o);
        break;
    case OBJ_ISSUER:
        obj.id = strdup(o->slug);
        break;
    case OBJ_ISSUER_KEY:
        free(make_award(o));
        obj.id = strdup(o->slug);
        obj.person = issuer_kid(o);
        break;
    case OBJ_NONE:
        break;
    }
    return obj;
}

/* The row's body for a caller of caller_org (malloc'd, or NULL); *ct its Content-Type.  Bodies
 * that name a new person make that person first, so that the request itself is all that is
 * left to write. */
static char *make_body(const struct row *row, const struct org *caller_org, const char *csrf,
                       const char **ct)
{
    unsigned n = ++serial;
    const char *slug = caller_org->slug;
    *ct = "application/json";
    switch (row->body) {
    case BODY_NONE:
        *ct = NULL;
        return NULL;
    case BODY_SIGNIN:
        *ct = "application/x-www-form-urlencoded";
        return h_strf("secret=%s", caller_org->bootstrap_token);
    case BODY_FORM:
        *ct = "application/x-www-form-urlencoded";
        return h_strf("csrf=%s", csrf ? csrf : "");
    case BODY_PROBLEM_FORM:
        *ct = "application/x-www-form-urlencoded";
        return h_strf("csrf=%s&title=Problem+%u&statement=Chronic+absence+in+grade+6",
                      csrf ? csrf : "", n);
    case BODY_EVIDENCE_FORM:
        *ct = "application/x-www-form-urlencoded";
        return h_strf("csrf=%s&title=Evidence+%u&url=https%%3A%%2F%%2Fdocs.example%%2Fe%%2F%u",
                      csrf ? csrf : "", n, n);
    case BODY_SHEET_FORM:
        *ct = "application/x-www-form-urlencoded";
        return h_strf("csrf=%s&level.1.1=3&feedback.1.1=Matrix+%u", csrf ? csrf : "", n);
    case BODY_REVIEW_FORM:
        *ct = "application/x-www-form-urlencoded";
        return h_strf("csrf=%s&decision=approved&feedback=Clear+and+focused.", csrf ? csrf : "");
    case BODY_PERSON_NEW:
        return h_strf("{\"email\": \"new%u@%s.example\", \"name\": \"New %u\"}", n, slug, n);
    case BODY_PERSON_PATCH:
        return h_strf("{\"name\": \"Renamed %u\", \"attributes\": {\"school\": \"Lincoln\"}}", n);
    case BODY_ROSTER:
        *ct = "text/csv";
        return h_strf("email,name,school\r\nroster%u@%s.example,Roster %u,Lincoln\r\n", n, slug, n);
    case BODY_TOKEN_NEW:
        return h_strf("{\"name\": \"made in the matrix %u\"}", n);
    case BODY_WEBHOOK_NEW:
        return h_strf("{\"url\": \"http://127.0.0.1:9/matrix/%u\", \"events\": [\"*\"]}", n);
    case BODY_WEBHOOK_PATCH:
        return h_strf("{\"active\": false}");
    case BODY_AWARD_ALL:
        return h_strf("{\"all_eligible\": true}");
    case BODY_REVOKE:
        return h_strf("{\"reason\": \"issued in error (matrix %u)\"}", n);
    case BODY_CREDENTIAL_NEW:
        return framework_body(n);
    case BODY_COHORT_NEW:
        return h_strf("{\"credential\": \"%s\", \"name\": \"New cohort %u\", \"starts_on\": "
                      "\"2026-09-08\", \"ends_on\": \"2026-10-20\", \"timezone\": \"UTC\"}",
                      caller_org->credential, n);
    case BODY_COHORT_PATCH:
        return h_strf("{\"name\": \"Renamed cohort %u\"}", n);
    case BODY_MEMBER_NEW: {
        char *email = h_strf("enrol%u@%s.example", n, slug);
        free(make_person(caller_org, email, "none"));
        char *body = h_strf("{\"members\": [{\"email\": \"%s\"}]}", email);
        free(email);
        return body;
    }
    case BODY_MEMBER_ROSTER:
        *ct = "text/csv";
        return h_strf("email,name,school\r\nenrol%u@%s.example,Enrolled %u,Lincoln\r\n", n, slug,
                      n);
    case BODY_MEMBER_PATCH:
        return h_strf("{\"coach\": \"coach@%s.example\"}", slug);
    case BODY_SESSIONS_NEW:
        return strdup("{\"weekly\": {\"first\": \"2026-09-15T17:00\", \"count\": 1}}");
    case BODY_SESSION_PATCH:
        return h_strf("{\"title\": \"Session %u\"}", n);
    case BODY_SESSION_CANCEL:
        return strdup("{\"reason\": \"snow day\"}");
    case BODY_ATTENDANCE:
        return h_strf("{\"attendance\": [{\"email\": \"learner@%s.example\", \"mode\": "
                      "\"online\"}]}",
                      slug);
    case BODY_PROBLEM_NEW:
        return h_strf("{\"learner\": \"learner@%s.example\", \"title\": \"Problem %u\", "
                      "\"statement\": \"Chronic absence in grade 6.\"}",
                      slug, n);
    case BODY_PROBLEM_PATCH:
        return h_strf("{\"title\": \"Retitled %u\"}", n);
    case BODY_PROBLEM_REVIEW:
        return strdup("{\"decision\": \"approved\", \"feedback\": \"Clear and focused.\"}");
    case BODY_EVIDENCE_NEW:
        return h_strf("{\"learner\": \"learner@%s.example\", \"title\": \"Evidence %u\", "
                      "\"url\": \"https://docs.example/evidence/%u\"}",
                      slug, n, n);
    case BODY_INVITE_NEW:
        return h_strf("{\"people\": [\"learner@%s.example\"], \"expires_in_days\": 2}", slug);
    case BODY_INVITE_ACCEPT: {
        cJSON *j = make_invitation(caller_org);
        char *body = h_strf("{\"code\": \"%s\", \"token_name\": \"matrix %u\"}",
                            h_json_string(j, "items[0].code"), n);
        cJSON_Delete(j);
        return body;
    }
    case BODY_EVIDENCE_PATCH:
        return h_strf("{\"title\": \"Corrected %u\"}", n);
    case BODY_SCORE_NEW:
        return h_strf("{\"learner\": \"learner@%s.example\", \"indicator\": \"1.1\", "
                      "\"level\": 3, \"feedback\": \"Matrix %u\"}",
                      slug, n);
    }
    return NULL;
}

static bool row_is_page(const struct row *row)
{
    for (const struct route *rt = mcred_routes; rt->method; rt++)
        if (strcmp(rt->method, row->method) == 0 && strcmp(rt->path, row->path) == 0)
            return (rt->flags & ROUTE_PAGE) != 0;
    return false;
}

/* A page's refusal is a page that says why, or a visit sent to sign in; -status when not. */
static long page_answer(const struct row *row, const char *path, bool anonymous,
                        const struct h_response *r)
{
    long status = r->status;
    bool shaped = true;
    if (status == 303 && !row->public_route && anonymous) {
        char *to = h_response_header(r, "Location");
        shaped = to && strcmp(to, "/signin") == 0;
        free(to);
    } else if (status == 403 || status == 404) {
        shaped = r->body && strstr(r->body, "role=\"alert\"") && strstr(r->body, "<h1>");
    }
    if (!shaped) {
        fprintf(stderr, "%s %s: page answered %ld with %.300s\n", row->method, path, status,
                r->body);
        return -status;
    }
    return status;
}

/* Send the row's request (a page's with the session, if any); returns the status, and the
 * answer's body in *answer (malloc'd) when answer is not NULL. */
static long send_case(const struct row *row, const char *path, const char *token, const char *body,
                      const char *ct, const char *session, char **answer)
{
    struct h_response r;
    if (row_is_page(row)) {
        h_page(&server, row->method, path, session, body, &r);
        long status = page_answer(row, path, session == NULL, &r);
        if (answer)
            *answer = strdup(r.body);
        h_response_free(&r);
        return status;
    }
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
    if (answer)
        *answer = strdup(r.body);
    h_response_free(&r);
    return status;
}

/* Both organisations' rows, to prove that a refused request wrote nothing. */
static char *snapshot(void)
{
    char *a = h_org_snapshot_all(&db, own.slug), *b = h_org_snapshot_all(&db, other.slug);
    char *both = h_strf("%s || %s", a, b);
    free(a);
    free(b);
    return both;
}

/* The person behind a caller of the columns beyond N_ORG_CALLERS, whose roles it has. */
static enum caller base_caller(enum caller c)
{
    switch (c) {
    case FOREIGN_ADMIN:
    case EXPIRED:
    case REVOKED:
        return ADMIN;
    case FOREIGN_COACH:
        return COACH;
    default:
        return c;
    }
}

static bool is_foreign(enum caller c)
{
    return c == FOREIGN_ADMIN || c == FOREIGN_COACH;
}

/* The organisation a caller is of. */
static const struct org *caller_org(enum caller c)
{
    return is_foreign(c) ? &other : &own;
}

/* The caller's token (NULL for ANONYMOUS). */
static const char *caller_token(enum caller c)
{
    if (c == EXPIRED)
        return own.expired_token;
    if (c == REVOKED)
        return own.revoked_token;
    return caller_org(c)->token[base_caller(c)];
}

static long expected(const struct row *row, enum caller c, bool other_org_object)
{
    if (row->public_route)
        return row->success;
    if (c == ANONYMOUS || c == EXPIRED || c == REVOKED)
        return row_is_page(row) ? 303 : 401;
    c = base_caller(c);
    /* a cohort role counts in the cohorts the caller is a member of: those of its own org */
    bool by_cohort_role =
        (row->allowed & caller_cohort_role[c]) && in_a_cohort(row->object) && !other_org_object;
    if (!(row->allowed & caller_role[c]) && !by_cohort_role)
        return 403;
    return other_org_object ? 404 : row->success;
}

/* A new session for a token (malloc'd), and its csrf token from the home page. */
static char *page_session(const char *token, char **csrf)
{
    char *session = h_signin(&server, token);
    struct h_response home;
    h_page(&server, "GET", "/app", session, NULL, &home);
    *csrf = h_page_csrf(&home);
    if (home.status != 200 || !*csrf)
        fail_msg("GET /app after signing in answered %ld", home.status);
    h_response_free(&home);
    return session;
}

/*
 * The matrix is the slowest test of all (an object made and both
 * organisations compared for every case), so CTest runs it in shards, each
 * its own process with its own database: `test_roles matrix K N` tries
 * the rows i with i % N == K.
 */
static unsigned shard_index, shard_count = 1;

/* The ids of every row of the first organisation that a listing could show, and its e-mail
 * domain, separated by spaces (malloc'd). */
static char *own_markers(void)
{
    char *m = h_db_query_super(
        &db, "WITH o AS (SELECT id FROM mcred.orgs WHERE slug = 'own')"
             " SELECT concat_ws(' ', '@own.example', (SELECT id::text FROM o),"
             " (SELECT string_agg(u.id::text, ' ') FROM ("
             "  SELECT t.id FROM mcred.people t, o WHERE t.org_id = o.id"
             "  UNION ALL SELECT t.id FROM mcred.cohorts t, o WHERE t.org_id = o.id"
             "  UNION ALL SELECT t.id FROM mcred.credentials t, o WHERE t.org_id = o.id"
             "  UNION ALL SELECT t.id FROM mcred.webhooks t, o WHERE t.org_id = o.id"
             "  UNION ALL SELECT t.id FROM mcred.tokens t, o WHERE t.org_id = o.id"
             "  UNION ALL SELECT t.id FROM mcred.sessions t, o WHERE t.org_id = o.id) u))");
    if (!m)
        h_fail("no markers of organisation own");
    return m;
}

/* Does an answer to the second organisation name a row of the first?  Prints each one. */
static bool leaks_own(const char *answer, const char *what)
{
    char *markers = own_markers();
    bool leak = false;
    for (char *m = markers; *m;) {
        size_t n = strcspn(m, " ");
        char save = m[n];
        m[n] = '\0';
        if (n && strstr(answer, m)) {
            fprintf(stderr, "%s: the answer names %s of the first organisation\n", what, m);
            leak = true;
        }
        m[n] = save;
        m += n + (save != '\0');
    }
    free(markers);
    return leak;
}

/* Where a shard's time goes, printed at its end: the matrix is the slowest test, and these
 * figures are what its speed-ups were measured with (docs/testing.md). */
enum phase { PH_OBJECT, PH_SESSION, PH_SNAPSHOT, PH_REQUEST, PH_LEAKS, N_PHASES };
static const char *const phase_names[N_PHASES] = {"objects", "page sign-ins", "snapshots",
                                                  "requests", "leak checks"};
static double phase_seconds[N_PHASES];

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Charge the time since *mark to a phase and move the mark. */
static void charge(enum phase p, double *mark)
{
    double t = now_seconds();
    phase_seconds[p] += t - *mark;
    *mark = t;
}

/*
 * One cell of the matrix: a row, a caller, an object of own or other; returns the mismatches.
 * *obj is the row's object of that organisation, made here when it has none yet, and used
 * again by the next cell unless this one changed it: a refusal is proved to have written
 * nothing (the snapshots), and a GET changes nothing, so only a write that succeeded uses the
 * object up.  Making objects was most of a shard's time (an award is a cohort, a score and a
 * signature) when every cell made its own.
 */
static int matrix_case(const struct row *row, enum caller c, bool on_other, struct made *obj)
{
    bool has_object = strchr(row->path, '{') != NULL;
    const struct org *object_org = on_other ? &other : &own, *corg = caller_org(c);
    const char *token = caller_token(c);
    int mismatches = 0;
    double mark = now_seconds();
    if (has_object && !obj->id) {
        *obj = make_object(row->object, object_org);
        if (!obj->id)
            fail_msg("matrix row %s %s: no object maker", row->method, row->path);
    }
    charge(PH_OBJECT, &mark);
    char *path = has_object ? fill_path(row->path, obj) : strdup(row->path);
    /* a page's caller signs in first, with a session of its own for this case; a dead token
     * cannot (dead_tokens checks that), so it comes without one */
    char *session = NULL, *csrf = NULL;
    if (row_is_page(row) && !row->public_route && token && c != EXPIRED && c != REVOKED)
        session = page_session(token, &csrf);
    charge(PH_SESSION, &mark);
    const char *ct = NULL;
    char *body = make_body(row, corg, csrf, &ct);
    charge(PH_OBJECT, &mark);
    /* an object of the other organisation than the caller's */
    bool foreign_object = has_object && object_org != corg;
    long want = expected(row, c, foreign_object);
    char *before = want != row->success ? snapshot() : NULL;
    charge(PH_SNAPSHOT, &mark);
    char *answer = NULL;
    long got = send_case(row, path, token, body, ct, session, &answer);
    charge(PH_REQUEST, &mark);
    char *what = h_strf("%s %s as %s%s", row->method, row->path, caller_names[c],
                        has_object ? (on_other ? " on other org" : " on own org") : "");
    if (got != want) {
        mismatches++;
        fprintf(stderr, "%s: got %ld, want %ld%s%s\n", what, got < 0 ? -got : got, want,
                body ? " — body: " : "", body ? body : "");
    }
    /* what the second organisation gets back names nothing of the first */
    if (is_foreign(c) && !row->public_route && got > 0 && got < 400 && answer &&
        leaks_own(answer, what))
        mismatches++;
    charge(PH_LEAKS, &mark);
    if (before) {
        char *after = snapshot();
        if (strcmp(before, after) != 0) {
            mismatches++;
            fprintf(stderr, "%s: refused, but %s\n", what,
                    has_object ? "the object changed" : "something was written");
        }
        free(after);
    }
    charge(PH_SNAPSHOT, &mark);
    free(what);
    free(answer);
    free(session);
    free(csrf);
    free(before);
    free(body);
    free(path);
    if (got == row->success && strcmp(row->method, "GET") != 0) {
        object_free(obj);
        *obj = (struct made){0};
    }
    return mismatches;
}

static void test_matrix(void **state)
{
    int cases = 0, mismatches = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        if (i % shard_count != shard_index)
            continue;
        const struct row *row = &matrix[i];
        bool has_object = strchr(row->path, '{') != NULL;
        struct made objects[2] = {{0}, {0}}; /* the row's object of own and of other */
        for (int c = 0; c < N_CALLERS; c++) {
            /* the first organisation's callers on an object of each; the others on the first's */
            bool both = has_object && c < N_ORG_CALLERS;
            for (int on_other = 0; on_other <= (both ? 1 : 0); on_other++) {
                mismatches += matrix_case(row, (enum caller)c, on_other, &objects[on_other]);
                cases++;
            }
        }
        object_free(&objects[0]);
        object_free(&objects[1]);
    }
    fprintf(stderr, "role matrix: %d cases, %d mismatches\n", cases, mismatches);
    for (int p = 0; p < N_PHASES; p++)
        fprintf(stderr, "role matrix: %.1f s in %s\n", phase_seconds[p], phase_names[p]);
    assert_int_equal(mismatches, 0);
}

/* ---- cohort roles beyond the matrix ---- */

/* A person of own with a token; *email_out gets the e-mail (malloc'd). */
static char *member_person(const char *name, char **id_out, char **email_out)
{
    char *email = h_strf("%s%u@own.example", name, ++serial);
    *id_out = make_person(&own, email, "none");
    *email_out = email;
    return make_token(&own, *id_out, NULL);
}

static void expect_call(const char *method, const char *path, const char *token, const char *body,
                        long want, const char *who, int *failures)
{
    char *before = snapshot();
    struct h_response r;
    if (body)
        h_send_json(&server, method, path, token, body, &r);
    else
        h_http(&server, method, path, token, NULL, NULL, 0, &r);
    if (r.status != want) {
        fprintf(stderr, "%s %s as %s%s%s: got %ld, want %ld — %s\n", method, path, who,
                body ? ", body " : "", body ? body : "", r.status, want, r.body);
        (*failures)++;
    }
    h_response_free(&r);
    char *after = snapshot();
    if (want >= 400 && strcmp(before, after) != 0) {
        fprintf(stderr, "%s %s as %s: refused, but something was written\n", method, path, who);
        (*failures)++;
    }
    free(before);
    free(after);
}

/* The ids of a list answer's items, in order, comma-separated (malloc'd). */
static char *ids_of(const char *path, const char *token)
{
    struct h_response r;
    h_http(&server, "GET", path, token, NULL, NULL, 0, &r);
    if (r.status != 200)
        fail_msg("GET %s: %ld %s", path, r.status, r.body);
    char buf[4096] = "";
    size_t len = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(r.json, "items")) len +=
        (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", len ? "," : "",
                         h_json_string(item, "id"));
    h_response_free(&r);
    return strdup(buf);
}

static void expect_ids(const char *path, const char *token, const char *who, const char *want,
                       int *failures)
{
    char *got = ids_of(path, token);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "GET %s as %s: items %s, want %s\n", path, who, got, want);
        (*failures)++;
    }
    free(got);
}

static void test_cohort_roles(void **state)
{
    int failures = 0;
    /* cohort A: coaches ca1 (learner x) and ca2 (learner y); w enrolled without a coach
     * (moved up from the waitlist), u waitlisted, v withdrawn */
    char *ca1, *ca2, *x, *y, *w, *u, *v;
    char *ca1_email, *ca2_email, *x_email, *y_email, *w_email, *u_email, *v_email;
    char *ca1_token = member_person("ca1-", &ca1, &ca1_email);
    char *ca2_token = member_person("ca2-", &ca2, &ca2_email);
    char *x_token = member_person("x-", &x, &x_email);
    char *y_token = member_person("y-", &y, &y_email);
    char *w_token = member_person("w-", &w, &w_email);
    char *u_token = member_person("u-", &u, &u_email);
    char *v_token = member_person("v-", &v, &v_email);
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Cohort A\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-20\", \"timezone\": "
                        "\"America/New_York\", \"capacity\": 3, \"min_learners\": 1}",
                        own.credential);
    cJSON *j = admin_post(&own, "/v1/cohorts", body, 201);
    char *a = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    char *a_members = h_strf("/v1/cohorts/%s/members", a);
    body = h_strf("{\"members\": [{\"email\": \"%s\", \"role\": \"coach\"}, {\"email\": \"%s\", "
                  "\"role\": \"coach\"}, {\"email\": \"%s\", \"coach\": \"%s\"}, {\"email\": "
                  "\"%s\", \"coach\": \"%s\"}, {\"email\": \"%s\"}, {\"email\": \"%s\"}, "
                  "{\"email\": \"%s\"}]}",
                  ca1_email, ca2_email, x_email, ca1_email, y_email, ca2_email, v_email, w_email,
                  u_email);
    cJSON_Delete(admin_post(&own, a_members, body, 201));
    free(body);
    char *v_path = h_strf("/v1/cohorts/%s/members/%s", a, v);
    struct h_response r;
    h_call(&server, "DELETE", v_path, own.bootstrap_token, NULL, 200, &r);
    h_response_free(&r);

    /* a weekly session, and a coaching session each for x and y */
    char *a_sessions = h_strf("/v1/cohorts/%s/sessions", a);
    j = admin_post(&own, a_sessions,
                   "{\"kind\": \"weekly\", \"local_start\": \"2026-09-08T17:00\"}", 201);
    char *weekly = strdup(h_json_string(j, "items[0].id"));
    cJSON_Delete(j);
    body = h_strf("{\"kind\": \"coaching\", \"local_start\": \"2026-09-09T10:00\", \"learner\": "
                  "\"%s\"}",
                  x_email);
    j = admin_post(&own, a_sessions, body, 201);
    char *x_coaching = strdup(h_json_string(j, "items[0].id"));
    cJSON_Delete(j);
    free(body);
    body = h_strf("{\"kind\": \"coaching\", \"local_start\": \"2026-09-10T10:00\", \"learner\": "
                  "\"%s\"}",
                  y);
    j = admin_post(&own, a_sessions, body, 201);
    char *y_coaching = strdup(h_json_string(j, "items[0].id"));
    cJSON_Delete(j);
    free(body);

    /* a coach records their own learners, not another coach's, nor an unassigned one where
     * learners are assigned; all or nothing */
    char *attendance = h_strf("/v1/sessions/%s/attendance", weekly);
    char *put_x = h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"online\"}]}", x_email);
    char *put_y = h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"online\"}]}", y_email);
    char *put_w = h_strf("{\"attendance\": [{\"person\": \"%s\", \"mode\": \"online\"}]}", w);
    char *put_xy = h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"absent\"}, "
                          "{\"email\": \"%s\", \"mode\": \"absent\"}]}",
                          x_email, y_email);
    expect_call("PUT", attendance, ca1_token, put_x, 200, "coach of x", &failures);
    expect_call("PUT", attendance, ca1_token, put_y, 403, "coach of x, recording y", &failures);
    expect_call("PUT", attendance, ca1_token, put_w, 403, "coach of x, recording unassigned w",
                &failures);
    expect_call("PUT", attendance, ca1_token, put_xy, 403, "coach of x, recording x and y",
                &failures);
    expect_call("PUT", attendance, ca2_token, put_y, 200, "coach of y", &failures);
    expect_call("PUT", attendance, x_token, put_x, 403, "learner x, recording themselves",
                &failures);
    /* waitlisted and withdrawn members hold no cohort role */
    char *a_path = h_strf("/v1/cohorts/%s", a);
    expect_call("GET", a_path, x_token, NULL, 200, "enrolled learner", &failures);
    expect_call("GET", a_path, w_token, NULL, 200, "learner moved up from the waitlist", &failures);
    expect_call("GET", a_path, u_token, NULL, 403, "waitlisted learner", &failures);
    expect_call("GET", a_path, v_token, NULL, 403, "withdrawn learner", &failures);
    expect_call("GET", a_sessions, u_token, NULL, 403, "waitlisted learner", &failures);
    expect_call("GET", a_sessions, v_token, NULL, 403, "withdrawn learner", &failures);

    /* cohort B: coach cb, learners p and q, none assigned: cb records both */
    char *cb, *p, *q, *cb_email, *p_email, *q_email;
    char *cb_token = member_person("cb-", &cb, &cb_email);
    char *p_token = member_person("p-", &p, &p_email);
    char *q_token = member_person("q-", &q, &q_email);
    body = h_strf("{\"credential\": \"%s\", \"name\": \"Cohort B\", \"starts_on\": "
                  "\"2026-08-01\", \"ends_on\": \"2026-10-20\", \"timezone\": \"UTC\"}",
                  own.credential);
    j = admin_post(&own, "/v1/cohorts", body, 201);
    char *b = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    char *b_members = h_strf("/v1/cohorts/%s/members", b);
    body = h_strf("{\"members\": [{\"email\": \"%s\", \"role\": \"coach\"}, {\"email\": \"%s\"}, "
                  "{\"email\": \"%s\"}]}",
                  cb_email, p_email, q_email);
    cJSON_Delete(admin_post(&own, b_members, body, 201));
    free(body);
    char *b_sessions = h_strf("/v1/cohorts/%s/sessions", b);
    j = admin_post(&own, b_sessions,
                   "{\"weekly\": {\"first\": \"2026-09-01T09:00\", \"count\": 1}}", 201);
    char *b_attendance = h_strf("/v1/sessions/%s/attendance", h_json_string(j, "items[0].id"));
    cJSON_Delete(j);
    char *put_pq = h_strf("{\"attendance\": [{\"email\": \"%s\", \"mode\": \"in_person\"}, "
                          "{\"email\": \"%s\", \"mode\": \"asynchronous\"}]}",
                          p_email, q_email);
    expect_call("PUT", b_attendance, cb_token, put_pq, 200, "coach of a cohort with none assigned",
                &failures);
    /* a coach of one cohort is no one in another */
    expect_call("PUT", attendance, cb_token, put_x, 403, "coach of another cohort", &failures);
    expect_call("GET", a_members, cb_token, NULL, 403, "coach of another cohort", &failures);
    expect_call("GET", b_members, cb_token, NULL, 200, "coach", &failures);
    char *b_path = h_strf("/v1/cohorts/%s", b);
    expect_call("GET", b_path, x_token, NULL, 403, "learner of another cohort", &failures);

    /* a learner sees the weekly sessions and their own coaching sessions; a coach all */
    char *want = h_strf("%s,%s", weekly, x_coaching);
    expect_ids(a_sessions, x_token, "learner x", want, &failures);
    free(want);
    want = h_strf("%s,%s", weekly, y_coaching);
    expect_ids(a_sessions, y_token, "learner y", want, &failures);
    free(want);
    expect_ids(a_sessions, w_token, "learner w", weekly, &failures);
    want = h_strf("%s,%s,%s", weekly, x_coaching, y_coaching);
    expect_ids(a_sessions, ca1_token, "coach", want, &failures);
    expect_ids(a_sessions, own.token[COORDINATOR], "coordinator", want, &failures);
    free(want);

    /* GET /v1/cohorts: the cohorts one is enrolled in */
    expect_ids("/v1/cohorts", x_token, "learner x", a, &failures);
    expect_ids("/v1/cohorts", p_token, "learner p", b, &failures);
    expect_ids("/v1/cohorts", cb_token, "coach cb", b, &failures);
    expect_ids("/v1/cohorts", v_token, "withdrawn v", "", &failures);
    expect_ids("/v1/cohorts", u_token, "waitlisted u", "", &failures);
    expect_ids("/v1/cohorts", own.token[NONE], "none", "", &failures);

    char *all[] = {ca1,
                   ca2,
                   x,
                   y,
                   w,
                   u,
                   v,
                   ca1_email,
                   ca2_email,
                   x_email,
                   y_email,
                   w_email,
                   u_email,
                   v_email,
                   ca1_token,
                   ca2_token,
                   x_token,
                   y_token,
                   w_token,
                   u_token,
                   v_token,
                   a,
                   a_members,
                   v_path,
                   a_sessions,
                   weekly,
                   x_coaching,
                   y_coaching,
                   attendance,
                   put_x,
                   put_y,
                   put_w,
                   put_xy,
                   a_path,
                   cb,
                   p,
                   q,
                   cb_email,
                   p_email,
                   q_email,
                   cb_token,
                   p_token,
                   q_token,
                   b,
                   b_members,
                   b_sessions,
                   b_attendance,
                   put_pq,
                   b_path};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    assert_int_equal(failures, 0);
}

/* ---- cohort roles over problems, evidence, scores and status ---- */

/* POST that must answer want; returns the answer's id (malloc'd) when it has one. */
static char *post_expect(const char *path, const char *token, const char *body, long want,
                         const char *who, int *failures)
{
    char *before = snapshot();
    struct h_response r;
    h_post_json(&server, path, token, body, &r);
    if (r.status != want) {
        fprintf(stderr, "POST %s as %s, body %s: got %ld, want %ld — %s\n", path, who, body,
                r.status, want, r.body);
        (*failures)++;
    }
    char *after = snapshot();
    if (want >= 400 && strcmp(before, after) != 0) {
        fprintf(stderr, "POST %s as %s: refused, but something was written\n", path, who);
        (*failures)++;
    }
    const char *id = h_json_string(r.json, "id");
    if (!id)
        id = h_json_string(r.json, "scores[0].id");
    char *out = r.status == want && id ? strdup(id) : NULL;
    h_response_free(&r);
    free(before);
    free(after);
    return out;
}

/* The learner of a list item: {"learner": {"id": …}} or {"learner": "<id>"}. */
static const char *item_learner(const cJSON *item)
{
    const char *id = h_json_string(item, "learner.id");
    return id ? id : h_json_string(item, "learner");
}

/* A list answers 200 and its items are of exactly the learners `want` (ids, NULL-ended). */
static void expect_learners(const char *path, const char *token, const char *who,
                            const char *const *want, int *failures)
{
    struct h_response r;
    h_http(&server, "GET", path, token, NULL, NULL, 0, &r);
    if (r.status != 200) {
        fprintf(stderr, "GET %s as %s: got %ld, want 200 — %s\n", path, who, r.status, r.body);
        (*failures)++;
        h_response_free(&r);
        return;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(r.json, "items"))
    {
        const char *id = item_learner(item);
        bool wanted = false;
        for (const char *const *w = want; *w; w++)
            wanted |= id && strcmp(id, *w) == 0;
        if (!wanted) {
            char *text = cJSON_PrintUnformatted(item);
            fprintf(stderr, "GET %s as %s: an item of another learner: %s\n", path, who, text);
            free(text);
            (*failures)++;
        }
    }
    for (const char *const *w = want; *w; w++) {
        bool seen = false;
        cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(r.json, "items"))
        {
            const char *id = item_learner(item);
            seen |= id && strcmp(id, *w) == 0;
        }
        if (!seen) {
            fprintf(stderr, "GET %s as %s: no item of learner %s: %s\n", path, who, *w, r.body);
            (*failures)++;
        }
    }
    h_response_free(&r);
}

/*
 * "A coach acts on the learners assigned to them, or on every learner of a cohort where no
 * learner has a coach assigned; a learner on their own records", over the routes of problems,
 * evidence, scores and status; a learner's own token never scores.
 */
static void test_assessment_roles(void **state)
{
    int failures = 0;
    /* cohort A: coaches ca1 (learners x and v, v withdrawn) and ca2 (learner y); w unassigned */
    char *ca1, *ca2, *x, *y, *w, *v;
    char *ca1_email, *ca2_email, *x_email, *y_email, *w_email, *v_email;
    char *ca1_token = member_person("sa-ca1-", &ca1, &ca1_email);
    char *ca2_token = member_person("sa-ca2-", &ca2, &ca2_email);
    char *x_token = member_person("sa-x-", &x, &x_email);
    char *y_token = member_person("sa-y-", &y, &y_email);
    char *w_token = member_person("sa-w-", &w, &w_email);
    char *v_token = member_person("sa-v-", &v, &v_email);
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"Scored A\", \"starts_on\": "
                        "\"2026-09-08\", \"ends_on\": \"2026-10-20\", \"timezone\": \"UTC\"}",
                        own.credential);
    cJSON *j = admin_post(&own, "/v1/cohorts", body, 201);
    char *a = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    char *a_members = h_strf("/v1/cohorts/%s/members", a);
    body = h_strf("{\"members\": [{\"email\": \"%s\", \"role\": \"coach\"}, {\"email\": \"%s\", "
                  "\"role\": \"coach\"}, {\"email\": \"%s\", \"coach\": \"%s\"}, {\"email\": "
                  "\"%s\", \"coach\": \"%s\"}, {\"email\": \"%s\"}, {\"email\": \"%s\", "
                  "\"coach\": \"%s\"}]}",
                  ca1_email, ca2_email, x_email, ca1_email, y_email, ca2_email, w_email, v_email,
                  ca1_email);
    cJSON_Delete(admin_post(&own, a_members, body, 201));
    free(body);
    char *v_member = h_strf("/v1/cohorts/%s/members/%s", a, v);
    struct h_response r;
    h_call(&server, "DELETE", v_member, own.bootstrap_token, NULL, 200, &r);
    h_response_free(&r);

    /* ---- scores ---- */
    char *scores = h_strf("/v1/cohorts/%s/scores", a);
    char *score_x = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 3}", x_email);
    char *score_y = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 2}", y);
    char *score_w = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 4}", w_email);
    char *score_xy = h_strf("{\"scores\": [{\"learner\": \"%s\", \"indicator\": \"1.1\", "
                            "\"level\": 3}, {\"learner\": \"%s\", \"indicator\": \"1.1\", "
                            "\"level\": 3}]}",
                            x_email, y_email);
    free(post_expect(scores, ca1_token, score_y, 403, "coach of x, scoring y", &failures));
    free(post_expect(scores, ca1_token, score_w, 403, "coach of x, scoring unassigned w",
                     &failures));
    free(post_expect(scores, ca1_token, score_xy, 403, "coach of x, scoring x and y", &failures));
    free(post_expect(scores, x_token, score_x, 403, "learner x, scoring themself", &failures));
    free(post_expect(scores, x_token, score_y, 403, "learner x, scoring y", &failures));
    free(post_expect(scores, v_token, score_x, 403, "withdrawn learner v", &failures));
    free(post_expect(scores, ca1_token, score_x, 201, "coach of x, scoring x", &failures));
    free(post_expect(scores, ca2_token, score_y, 201, "coach of y, scoring y", &failures));
    free(post_expect(scores, own.token[COORDINATOR], score_w, 201, "coordinator, scoring w",
                     &failures));
    const char *want_x[] = {x, NULL}, *want_y[] = {y, NULL}, *want_xyw[] = {x, y, w, NULL};
    expect_learners(scores, x_token, "learner x", want_x, &failures);
    expect_learners(scores, ca1_token, "coach of x", want_x, &failures);
    expect_learners(scores, ca2_token, "coach of y", want_y, &failures);
    expect_learners(scores, own.token[COORDINATOR], "coordinator", want_xyw, &failures);
    expect_learners(scores, own.token[LEADER], "leader", want_xyw, &failures);
    {
        /* a learner asking for another's scores gets none of them (or 403) */
        char *path = h_strf("%s?learner=%s", scores, y);
        h_http(&server, "GET", path, x_token, NULL, NULL, 0, &r);
        if (r.status == 200) {
            const char *none[] = {NULL};
            expect_learners(path, x_token, "learner x, asking for y's", none, &failures);
        } else if (r.status != 403) {
            fprintf(stderr, "GET %s as learner x: got %ld, want 200 without y's or 403 — %s\n",
                    path, r.status, r.body);
            failures++;
        }
        h_response_free(&r);
        free(path);
    }

    /* ---- problems ---- */
    char *problems = h_strf("/v1/cohorts/%s/problems", a);
    char *problem_self =
        strdup("{\"title\": \"Chronic absence\", \"statement\": \"Grade 6 attendance is down.\", "
               "\"submit\": true}");
    char *problem_x = h_strf("{\"learner\": \"%s\", \"title\": \"For x\", \"statement\": \"S\", "
                             "\"submit\": true}",
                             x_email);
    char *problem_y = h_strf("{\"learner\": \"%s\", \"title\": \"For y\", \"statement\": \"S\", "
                             "\"submit\": true}",
                             y_email);
    free(post_expect(problems, y_token, problem_x, 403, "learner y, writing x's problem",
                     &failures));
    free(post_expect(problems, ca2_token, problem_x, 403, "coach of y, writing x's problem",
                     &failures));
    char *px = post_expect(problems, x_token, problem_self, 201, "learner x", &failures);
    char *py = post_expect(problems, ca2_token, problem_y, 201, "coach of y, writing y's problem",
                           &failures);
    if (!px || !py)
        fail_msg("no problems of practice to go on with");
    char *px_path = h_strf("/v1/problems/%s", px), *py_path = h_strf("/v1/problems/%s", py);
    char *px_review = h_strf("%s/review", px_path);
    expect_call("GET", px_path, x_token, NULL, 200, "learner x, their own", &failures);
    expect_call("GET", py_path, x_token, NULL, 403, "learner x, y's problem", &failures);
    expect_call("PATCH", py_path, x_token, "{\"title\": \"Mine now\"}", 403,
                "learner x, y's problem", &failures);
    expect_call("PATCH", px_path, ca1_token, "{\"title\": \"Coach's words\"}", 403,
                "coach of x (coaches review, not edit)", &failures);
    const char *approve = "{\"decision\": \"approved\", \"feedback\": \"Good.\"}";
    expect_call("POST", px_review, x_token, approve, 403, "learner x, reviewing their own",
                &failures);
    expect_call("POST", px_review, ca2_token, approve, 403, "coach of y, reviewing x's", &failures);
    expect_call("POST", px_review, ca1_token, approve, 200, "coach of x, reviewing x's", &failures);
    const char *want_xy[] = {x, y, NULL};
    expect_learners(problems, x_token, "learner x", want_x, &failures);
    expect_learners(problems, ca1_token, "coach of x", want_x, &failures);
    expect_learners(problems, ca2_token, "coach of y", want_y, &failures);
    expect_learners(problems, own.token[COORDINATOR], "coordinator", want_xy, &failures);

    /* ---- evidence ---- */
    char *evidence = h_strf("/v1/cohorts/%s/evidence", a);
    char *evidence_self = strdup("{\"title\": \"Agenda\", \"url\": \"https://docs.example/a\"}");
    char *evidence_x =
        h_strf("{\"learner\": \"%s\", \"title\": \"Notes\", \"text\": \"Observed.\"}", x_email);
    char *evidence_y =
        h_strf("{\"learner\": \"%s\", \"title\": \"Notes\", \"text\": \"Observed.\"}", y);
    free(post_expect(evidence, x_token, evidence_y, 403, "learner x, for y", &failures));
    free(post_expect(evidence, ca1_token, evidence_y, 403, "coach of x, for y", &failures));
    free(post_expect(evidence, x_token, evidence_self, 201, "learner x, their own", &failures));
    free(post_expect(evidence, ca1_token, evidence_x, 201, "coach of x, for x", &failures));
    free(post_expect(evidence, ca2_token, evidence_y, 201, "coach of y, for y", &failures));
    expect_learners(evidence, x_token, "learner x", want_x, &failures);
    expect_learners(evidence, ca2_token, "coach of y", want_y, &failures);
    expect_learners(evidence, own.token[COORDINATOR], "coordinator", want_xy, &failures);

    /* ---- status ---- */
    char *status = h_strf("/v1/cohorts/%s/status", a);
    char *x_status = h_strf("/v1/cohorts/%s/members/%s/status", a, x);
    char *y_status = h_strf("/v1/cohorts/%s/members/%s/status", a, y);
    char *v_status = h_strf("/v1/cohorts/%s/members/%s/status", a, v);
    expect_call("GET", x_status, x_token, NULL, 200, "learner x, their own", &failures);
    expect_call("GET", y_status, x_token, NULL, 403, "learner x, y's", &failures);
    expect_call("GET", status, x_token, NULL, 403, "learner x, the whole cohort", &failures);
    expect_call("GET", v_status, v_token, NULL, 403, "withdrawn learner v, their own", &failures);
    expect_call("GET", x_status, ca1_token, NULL, 200, "coach of x", &failures);
    expect_call("GET", status, ca1_token, NULL, 200, "coach of x, the whole cohort", &failures);

    /* ---- cohort B: no learner assigned, so its coach acts on every learner ---- */
    char *cb, *p, *q, *cb_email, *p_email, *q_email;
    char *cb_token = member_person("sb-cb-", &cb, &cb_email);
    char *p_token = member_person("sb-p-", &p, &p_email);
    char *q_token = member_person("sb-q-", &q, &q_email);
    body = h_strf("{\"credential\": \"%s\", \"name\": \"Scored B\", \"starts_on\": "
                  "\"2026-09-08\", \"ends_on\": \"2026-10-20\", \"timezone\": \"UTC\"}",
                  own.credential);
    j = admin_post(&own, "/v1/cohorts", body, 201);
    char *b = strdup(h_json_string(j, "id"));
    cJSON_Delete(j);
    free(body);
    char *b_members = h_strf("/v1/cohorts/%s/members", b);
    body = h_strf("{\"members\": [{\"email\": \"%s\", \"role\": \"coach\"}, {\"email\": \"%s\"}, "
                  "{\"email\": \"%s\"}]}",
                  cb_email, p_email, q_email);
    cJSON_Delete(admin_post(&own, b_members, body, 201));
    free(body);
    char *b_scores = h_strf("/v1/cohorts/%s/scores", b);
    char *score_p = h_strf("{\"learner\": \"%s\", \"indicator\": \"1.1\", \"level\": 3}", p_email);
    char *score_pq = h_strf("{\"scores\": [{\"learner\": \"%s\", \"indicator\": \"1.1\", "
                            "\"level\": 3}, {\"learner\": \"%s\", \"indicator\": \"1.1\", "
                            "\"level\": 2}]}",
                            p, q_email);
    free(post_expect(b_scores, cb_token, score_p, 201, "coach of a cohort with none assigned",
                     &failures));
    free(post_expect(b_scores, cb_token, score_pq, 201, "coach of a cohort with none assigned",
                     &failures));
    free(post_expect(b_scores, p_token, score_p, 403, "learner p, scoring themself", &failures));
    /* a coach of one cohort is no one in another */
    free(post_expect(scores, cb_token, score_x, 403, "coach of another cohort", &failures));
    expect_call("GET", status, cb_token, NULL, 403, "coach of another cohort", &failures);
    char *p_in_a = h_strf("/v1/cohorts/%s/members/%s/status", a, p);
    expect_call("GET", p_in_a, p_token, NULL, 403, "learner of another cohort", &failures);
    (void)q_token;

    char *all[] = {ca1,
                   ca2,
                   x,
                   y,
                   w,
                   v,
                   ca1_email,
                   ca2_email,
                   x_email,
                   y_email,
                   w_email,
                   v_email,
                   ca1_token,
                   ca2_token,
                   x_token,
                   y_token,
                   w_token,
                   v_token,
                   a,
                   a_members,
                   v_member,
                   scores,
                   score_x,
                   score_y,
                   score_w,
                   score_xy,
                   problems,
                   problem_self,
                   problem_x,
                   problem_y,
                   px,
                   py,
                   px_path,
                   py_path,
                   px_review,
                   evidence,
                   evidence_self,
                   evidence_x,
                   evidence_y,
                   status,
                   x_status,
                   y_status,
                   v_status,
                   cb,
                   p,
                   q,
                   cb_email,
                   p_email,
                   q_email,
                   cb_token,
                   p_token,
                   q_token,
                   b,
                   b_members,
                   b_scores,
                   score_p,
                   score_pq,
                   p_in_a};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    assert_int_equal(failures, 0);
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
    struct made victim_obj = make_object(OBJ_PERSON, &own);
    char *victim = victim_obj.id;
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

static void usage(void)
{
    fprintf(stderr, "usage: test_roles [matrix K N | others]\n");
    exit(2);
}

/* No argument: every test.  `matrix K N`: shard K of N of the matrix.  `others`: the rest. */
int main(int argc, char **argv)
{
    const struct CMUnitTest all[] = {
        cmocka_unit_test(test_every_route_has_a_row),
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_cohort_roles),
        cmocka_unit_test(test_assessment_roles),
        cmocka_unit_test(test_coordinator_cannot_escalate),
        cmocka_unit_test(test_coordinator_cannot_escalate_by_import),
    };
    const struct CMUnitTest matrix_only[] = {cmocka_unit_test(test_matrix)};
    const struct CMUnitTest others[] = {
        cmocka_unit_test(test_every_route_has_a_row),
        cmocka_unit_test(test_cohort_roles),
        cmocka_unit_test(test_assessment_roles),
        cmocka_unit_test(test_coordinator_cannot_escalate),
        cmocka_unit_test(test_coordinator_cannot_escalate_by_import),
    };
    if (argc == 1)
        return h_run_tests(all, setup, teardown);
    if (argc == 2 && strcmp(argv[1], "others") == 0)
        return h_run_tests(others, setup, teardown);
    if (argc != 4 || strcmp(argv[1], "matrix") != 0)
        usage();
    char *end1 = NULL, *end2 = NULL;
    unsigned long k = strtoul(argv[2], &end1, 10), n = strtoul(argv[3], &end2, 10);
    if (*end1 || *end2 || n == 0 || k >= n)
        usage();
    shard_index = (unsigned)k;
    shard_count = (unsigned)n;
    return h_run_tests(matrix_only, setup, teardown);
}
