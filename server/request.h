/*
 * request.h — one HTTP request as handlers see it.
 *
 * http.c allocates a struct request when a request arrives, appends the
 * body into it, and frees it when libmicrohttpd reports the request
 * complete.  dispatch.c routes it, authenticates it, parses its JSON and
 * opens its transaction before a handler runs; the handler reads
 * `params`, `json`, `auth` and `db`, and answers with request_reply() or
 * by returning an error code set with request_fail().
 */
#ifndef MCRED_SERVER_REQUEST_H
#define MCRED_SERVER_REQUEST_H

#include <stdbool.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "mcred/buf.h"
#include "mcred/error.h"
#include "mcred/form.h"
#include "router.h"

struct server;
struct MHD_Connection;

#define MC_UUID_LEN 36

/* Who the bearer token belongs to; filled by authentication. */
struct auth_info {
    char org_id[MC_UUID_LEN + 1];
    char org_slug[MC_MAX_SLUG + 1];
    char org_name[MC_MAX_NAME + 1];
    char person_id[MC_UUID_LEN + 1];
    char email[MC_MAX_EMAIL + 1];
    char name[MC_MAX_NAME + 1];
    char org_role[16];
    char token_id[MC_UUID_LEN + 1];
    unsigned roles; /* enum route_role bits of the organisation role */
};

struct request {
    struct server *server;
    struct MHD_Connection *connection;
    const char *method; /* owned by libmicrohttpd, valid until completion */
    char *path;         /* our copy of the URL path */
    char request_id[MC_MAX_REQUEST_ID + 1];
    struct timespec started;

    struct mc_buf body;
    bool body_too_large;

    const struct route *route; /* NULL when no route matched */
    struct route_params params;
    cJSON *json;         /* the parsed body of ROUTE_JSON_BODY routes */
    struct mc_form form; /* the fields of ROUTE_FORM_BODY routes */
    struct db_conn *db;  /* inside the request's transaction, for non-public routes */
    bool authenticated;
    struct auth_info auth;
    unsigned cohort_role; /* ROLE_LEARNER or ROLE_COACH when that let the caller in, else 0 */
    /* A cohort the path named by slug or name (route_names_cohort): dispatch put its id in
     * params; its name and the caller's role in it (ROLE_LEARNER, ROLE_COACH or 0) are here. */
    char cohort_typed[MC_MAX_PARAM_VALUE]; /* the slug or name as given; "" for a UUID */
    bool cohort_resolved;
    unsigned cohort_member_role;
    char cohort_name[4 * MC_MAX_NAME + 1];

    /* the answer */
    unsigned status;          /* 0 until decided */
    cJSON *reply;             /* JSON body, or NULL */
    struct mc_buf text;       /* non-JSON body (metrics), used when reply is NULL */
    const char *content_type; /* of `text` */
    struct mc_error err;
    cJSON *error_details;          /* with an error: the "errors" array beside it (row problems) */
    unsigned retry_after;          /* with 429: seconds, for Retry-After */
    char allow[64];                /* for 405 */
    char set_cookie[160];          /* a Set-Cookie header, or "" */
    char location[MC_MAX_URL + 1]; /* with 303: where to */
    bool page_error;               /* an error shown as the page in `text`, not as JSON */
    bool answered;                 /* a response has been queued */
};

/*
 * The statements of a route's one-round-trip path (route_oneshot_prepare),
 * sent after the authentication; their results are in res[] for the answer.
 */
struct oneshot {
    struct db_batch work[DB_ONESHOT_MAX];
    PGresult *res[DB_ONESHOT_MAX];
    size_t n;
    const char *params[DB_ONESHOT_MAX]; /* room for the statements' parameters */
    char *owned;                        /* a parameter's text the call allocated; freed after it */
    struct db_tx_start *auth;           /* the authentication it opened with (set for the answer) */
};

/*
 * A second round trip for a one-shot route whose answer needs work of its
 * own between two (an award: read, sign, write): the authentication again
 * and `work`, one transaction committed at its Sync.  MC_ERR_UNAUTHENTICATED
 * when the token stopped working meanwhile.
 */
enum mc_err oneshot_again(struct request *r, const struct oneshot *call, struct db_batch *work,
                          size_t n) __attribute__((warn_unused_result));

/* Add a statement to a one-shot call (false when it is full); its parameters must outlive it. */
bool oneshot_add(struct oneshot *call, struct db_stmt *stmt, int nparams,
                 const char *const *params);

/* Answer with `status` and the JSON `body` (ownership passes to r; NULL means no body). */
enum mc_err request_reply(struct request *r, unsigned status, cJSON *body);

/* Record an error for the answer and return its code (see mc_error_set). */
enum mc_err request_fail(struct request *r, enum mc_err code, const char *field, const char *fmt,
                         ...) __attribute__((format(printf, 4, 5)));

/*
 * Put the item a field belongs to in front of the recorded error's field:
 * "email" becomes "members[2].email" (or just the prefix when no field
 * was named).  An empty prefix changes nothing.
 */
void request_field_prefix(struct request *r, const char *prefix);

/* A path placeholder's value; the router guarantees routes' own names exist. */
const char *request_param(const struct request *r, const char *name);

/*
 * The cohort of a /v1/cohorts/{id}/… path as the caller named it, for
 * messages: its name when they gave a slug or name (dispatch resolved
 * it), else the id they sent.  request_param(r, "id") is always the id.
 */
const char *request_cohort_words(const struct request *r);

/* A request header, or NULL. */
const char *request_header(const struct request *r, const char *name);

/* A query-string argument, or NULL. */
const char *request_query(const struct request *r, const char *name);

/*
 * A query argument that must be one of `words` (NULL-terminated), e.g. a
 * list's ?status= filter: *out is the argument, or NULL when it is absent.
 * Anything else is 422 on the argument ("status must be planned, active
 * or closed") — an unknown word would otherwise filter out every row and
 * answer an empty list as if that were the truth.
 */
enum mc_err request_query_word(struct request *r, const char *name, const char *const *words,
                               const char **out) __attribute__((warn_unused_result));

/* A boolean query argument: true or 1, false or 0; absent is false; anything else 422. */
enum mc_err request_query_flag(struct request *r, const char *name, bool *out)
    __attribute__((warn_unused_result));

/* Forget any answer built so far (before a transaction is retried). */
void request_reset_answer(struct request *r);

#endif
