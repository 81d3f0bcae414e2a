/*
 * web_pages.h — the handlers of the pages (routes with ROUTE_PAGE in
 * routes.c), by file.  docs/api.md "Pages" lists them.
 */
#ifndef MCRED_SERVER_WEB_PAGES_H
#define MCRED_SERVER_WEB_PAGES_H

#include <cjson/cJSON.h>

#include "db.h"
#include "mcred/error.h"
#include "mcred/html.h"

struct request;

/* web_signin.c: GET /, GET /signin, POST /signin (public) and POST /signout */
enum mc_err web_root(struct request *r);
enum mc_err web_signin_show(struct request *r);
enum mc_err web_signin(struct request *r);
enum mc_err web_signout(struct request *r);

/* web_home.c: GET /app */
enum mc_err web_home(struct request *r);

/* web_cohort.c: GET /app/cohorts/{id}[?by=ATTRIBUTE] (leaders, coordinators, admins; coaches) */
enum mc_err web_cohort(struct request *r);

/* web_learner.c: GET /app/cohorts/{id}/learners/{person} (as the member status route) */
enum mc_err web_cohort_learner(struct request *r);

/*
 * Shared by the pages: run a statement whose one row's first column is a
 * JSON document, and parse it (*out is NULL when the row's value is NULL;
 * cJSON_Delete it).
 */
enum mc_err web_json_query(struct request *r, struct db_stmt *stmt, int nparams,
                           const char *const *params, cJSON **out)
    __attribute__((warn_unused_result));

/* A string member of a JSON object, or "" (never NULL). */
const char *web_str(const cJSON *obj, const char *key);
/* A number member as a long, or 0. */
long web_long(const cJSON *obj, const char *key);

#endif
