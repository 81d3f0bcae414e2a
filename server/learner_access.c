/*
 * learner_access.c — the server's side of "who may see a learner".
 *
 * Admins, coordinators and leaders see any learner of their organisation's
 * cohorts; an enrolled coach the learners they coach; an enrolled learner
 * only themself; another organisation's cohort is "not found" as a missing
 * one is.  That rule is decided by mcred.learner_access (migration 0028)
 * and nowhere else: the pages about one learner (web_learner.c,
 * web_sheet.c, web_problem.c) read its answer inside their own statement,
 * and GET /v1/cohorts/{id}/members/{person}/status asks it here instead of
 * the lookups it made before.  This file maps the answer, never decides.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "learner_access.h"
#include "request.h"

#include "mcred/banned.h"

enum mc_err learner_access_refused(struct request *r, const char *outcome, const char *message,
                                   const char *field)
{
    if (strcmp(outcome, "unauthenticated") == 0)
        return request_fail(r, MC_ERR_UNAUTHENTICATED, NULL, "sign in first");
    if (strcmp(outcome, "forbidden") == 0)
        return request_fail(r, MC_ERR_FORBIDDEN, field, "%s", message);
    if (strcmp(outcome, "not_found") == 0)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "%s", message);
    return request_fail(r, MC_ERR_INTERNAL, NULL, "the access rule gave no answer");
}

DB_STMT(db_learner_access, "SELECT a ->> 'outcome' AS outcome, a ->> 'message' AS message,"
                           " a #>> '{learner,id}' AS learner"
                           " FROM mcred.learner_access($1::uuid, $2) a");

enum mc_err learner_access_check(struct request *r, const char *cohort, const char *who,
                                 const char *field, char out_id[40])
{
    const char *params[] = {cohort, who};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_learner_access, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *outcome = PQntuples(res) == 1 ? db_get(res, 0, "outcome") : NULL;
    const char *learner = PQntuples(res) == 1 ? db_get(res, 0, "learner") : NULL;
    if (outcome && strcmp(outcome, "ok") == 0 && learner)
        snprintf(out_id, 40, "%s", learner);
    else {
        const char *message = PQntuples(res) == 1 ? db_get(res, 0, "message") : NULL;
        rc = learner_access_refused(r, outcome ? outcome : "", message ? message : "", field);
    }
    PQclear(res);
    return rc;
}
