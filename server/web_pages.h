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

/* web_sheet.c: GET and POST /app/cohorts/{id}/learners/{person}/sheet */
enum mc_err web_sheet_show(struct request *r);
enum mc_err web_sheet_save(struct request *r);

/* web_problem.c: GET /app/cohorts/{id}/learners/{person}/problem, POST /app/problems/{id}/review */
enum mc_err web_problem_show(struct request *r);
enum mc_err web_problem_review(struct request *r);

/*
 * Shared by the pages about one learner of a cohort (web_sheet.c).
 * web_learner_refused turns a page statement's refusal (its "outcome":
 * unauthenticated, forbidden, not_found, with its "message") into the
 * request's error.  web_learner_path writes the path of the learner's
 * page in the document's cohort (its "cohort" and "learner" ids) with
 * `suffix` ("/sheet").  web_text_lines writes text with its line breaks
 * kept.  web_person_words is a person's name, or their e-mail without one.
 */
enum mc_err web_learner_refused(struct request *r, const cJSON *doc);
void web_learner_path(struct html *h, const cJSON *doc, const char *suffix);
void web_text_lines(struct html *h, const char *text);
const char *web_person_words(const cJSON *person);

/*
 * web_mine.c: GET /app/cohorts/{id}/me (a learner's own page) and its forms,
 * POST /app/cohorts/{id}/me/problem, POST /app/problems/{id} and
 * POST /app/cohorts/{id}/me/evidence
 */
enum mc_err web_mine(struct request *r);
enum mc_err web_mine_problem_create(struct request *r);
enum mc_err web_mine_problem_update(struct request *r);
enum mc_err web_mine_evidence_create(struct request *r);
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
