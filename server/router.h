/*
 * router.h — method + path pattern to handler, in one static table.
 *
 * A pattern is a path whose segments are literals or `{name}`
 * placeholders: "/v1/cohorts/{id}/members/{person}".  router_match() is
 * the only place that answers "no such path" (404), "path exists but not
 * with this method" (405, with the Allow list) and "target too long"
 * (414); handlers never do.  HEAD is served by the GET route.
 *
 * The table itself (routes.c) also carries who may call each route, so
 * authentication and the role check happen once, before any handler.
 */
#ifndef MCRED_SERVER_ROUTER_H
#define MCRED_SERVER_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "mcred/error.h"
#include "mcred/limits.h"

struct request;
struct oneshot;

typedef enum mc_err (*route_handler)(struct request *r);

/*
 * A route whose whole work is one statement — a SQL function that checks,
 * authorises and writes as the caller the same transaction authenticated
 * (mcred.current_person()) — may offer it: dispatch then sends BEGIN, the
 * authentication, the statement and COMMIT in one round trip.  `prepare`
 * builds the call from the request alone, before anyone is authenticated,
 * and declines (false, with no answer recorded) whenever the ordinary
 * path must run instead; `answer` answers from the statement's result.
 */
typedef bool (*route_oneshot_prepare)(struct request *r, struct oneshot *call);
typedef enum mc_err (*route_oneshot_answer)(struct request *r, const struct oneshot *call);

/* Who may call a route.  Organisation roles come from people.org_role. */
enum route_role {
    ROLE_ADMIN = 1u << 0,
    ROLE_COORDINATOR = 1u << 1,
    ROLE_LEADER = 1u << 2,
    ROLE_NONE = 1u << 3, /* a person with a token but no organisation role */
    /* cohort roles: enrolled members of the cohort (or session's cohort) the path names */
    ROLE_LEARNER = 1u << 4,
    ROLE_COACH = 1u << 5,
};
#define ROLE_ANY (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_LEADER | ROLE_NONE)

enum route_flag {
    ROUTE_PUBLIC = 1u << 0,       /* no token; the handler runs outside a transaction */
    ROUTE_JSON_BODY = 1u << 1,    /* body must be application/json and is parsed first */
    ROUTE_CSV_BODY = 1u << 2,     /* body must be text/csv; the handler reads r->body */
    ROUTE_SECRET_REPLY = 1u << 3, /* the answer holds a secret shown once: never kept */
    ROUTE_PERSON_EMAIL = 1u << 4, /* {person} may be an e-mail as well as an id */
    ROUTE_PAGE = 1u << 5,         /* an HTML page: session cookie, CSRF on forms, errors as pages */
    ROUTE_FORM_BODY = 1u << 6,    /* body must be an HTML form (x-www-form-urlencoded) */
};

/* What the {id} of a path is, for routes that cohort roles may call. */
enum route_scope {
    SCOPE_NONE = 0,
    SCOPE_COHORT,   /* {id} is a cohort */
    SCOPE_SESSION,  /* {id} is a session; its cohort decides */
    SCOPE_PROBLEM,  /* {id} is a problem of practice; its cohort decides */
    SCOPE_EVIDENCE, /* {id} is a piece of evidence; its cohort decides */
};

struct route {
    const char *method;
    const char *path;
    route_handler handler;
    unsigned roles; /* enum route_role bits (organisation and cohort roles); ignored for public */
    unsigned flags; /* enum route_flag bits */
    enum route_scope scope; /* where cohort roles in `roles` are looked up */
    /* What the route does, in a user's words ("record a score"): refusals say
     * "you may not <summary> …" and /openapi.json uses it as the operation's summary. */
    const char *summary;
    route_oneshot_prepare oneshot_prepare; /* optional; with oneshot_answer */
    route_oneshot_answer oneshot_answer;
};

#define MC_MAX_PARAM_NAME 32
/* a cohort may be named by its name: MC_MAX_NAME characters of up to 4 bytes */
#define MC_MAX_PARAM_VALUE (4 * MC_MAX_NAME + 1)

struct route_params {
    size_t count;
    struct {
        char name[MC_MAX_PARAM_NAME];
        char value[MC_MAX_PARAM_VALUE];
    } items[MC_MAX_PATH_PARAMS];
};

/*
 * Find the route for method and path in `table` (ended by a NULL method).
 * MC_OK: *out_route and *out_params are set.  MC_ERR_NOT_FOUND: no pattern
 * matches the path.  MC_ERR_METHOD: patterns match but not the method;
 * `allow` receives the methods that would, comma-separated.
 * MC_ERR_URI_TOO_LONG: the path is longer than MC_MAX_URL.
 */
enum mc_err router_match(const struct route *table, const char *method, const char *path,
                         const struct route **out_route, struct route_params *out_params,
                         char *allow, size_t allow_len);

/* The value of placeholder `name`, or NULL. */
const char *route_param(const struct route_params *params, const char *name);

/* Number of routes in a NULL-terminated table. */
size_t router_count(const struct route *table);

/*
 * Does the route's path start with /v1/cohorts/{id}?  Then its {id} may be
 * given as a cohort's UUID, slug or name, and dispatch resolves it first.
 */
bool route_names_cohort(const struct route *route);

/*
 * The refusal of `route` to a caller its roles do not allow, in the
 * caller's words: "you may not record a score in Spring 2027: only
 * coordinators and the cohort's coaches (for their own learners) may".
 * `cohort` is the name of the cohort the request is about, or NULL.
 * Returns false when out is too small (the text is then cut short).
 */
bool route_refusal(const struct route *route, const char *cohort, char *out, size_t len);

/* Check a table for malformed patterns (used by tests and at start-up). */
enum mc_err router_validate(const struct route *table, struct mc_error *err);

#endif
