/*
 * reports.c — GET /v1/reports/cohorts/{id}: a cohort's report, built
 * whole by mcred.cohort_report (sql/migrations/0021_reports.sql) in one
 * statement, so that it costs one round trip whatever the cohort's size.
 *
 * GET /v1/reports/orgs/current: the same over every cohort of the
 * caller's organisation, by mcred.org_report (0023_org_report.sql), also
 * one round trip whatever the organisation's size.
 *
 * With ?by=ATTRIBUTE every table has a row per group; report_doc.c
 * suppresses the groups too small to show and writes CSV.
 */
#include <stdio.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "db.h"
#include "handlers.h"
#include "report_doc.h"
#include "request.h"
#include "server.h"

#include "mcred/banned.h"

DB_STMT(db_report_cohort, "SELECT mcred.cohort_report($1::uuid, $2)::text AS report");
DB_STMT(db_report_org, "SELECT mcred.org_report($1)::text AS report");

/*
 * Run a report's statement and parse its one document into *out; *out
 * stays NULL when the statement found nothing to report on.
 */
static enum mc_err report_query(struct request *r, struct db_stmt *stmt, int nparams,
                                const char *const *params, cJSON **out)
{
    PGresult *res = NULL;
    *out = NULL;
    enum mc_err rc = db_exec(r->db, stmt, nparams, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *text = PQntuples(res) == 1 ? db_get(res, 0, "report") : NULL;
    *out = text ? cJSON_Parse(text) : NULL;
    PQclear(res);
    return text && !*out ? request_fail(r, MC_ERR_NOMEM, NULL, NULL) : MC_OK;
}

/* Suppress by `by` when given, then answer with the report (which this takes). */
static enum mc_err report_answer(struct request *r, cJSON *report, const char *by,
                                 const char *scope)
{
    enum mc_err rc = by ? report_doc_suppress(r, report, by, scope) : MC_OK;
    if (rc != MC_OK) {
        cJSON_Delete(report);
        return rc;
    }
    return report_doc_reply(r, report);
}

enum mc_err reports_cohort(struct request *r)
{
    const char *by = NULL;
    cJSON *report = NULL;
    const char *params[] = {request_param(r, "id"), NULL};
    enum mc_err rc = report_doc_by(r, &by);
    params[1] = by;
    if (rc == MC_OK)
        rc = report_query(r, &db_report_cohort, 2, params, &report);
    if (rc != MC_OK)
        return rc;
    if (!report)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found",
                            request_cohort_words(r));
    char scope[160];
    snprintf(scope, sizeof scope, "cohort %s", request_cohort_words(r));
    return report_answer(r, report, by, scope);
}

enum mc_err reports_org(struct request *r)
{
    const char *by = NULL;
    cJSON *report = NULL;
    enum mc_err rc = report_doc_by(r, &by);
    if (rc == MC_OK)
        rc = report_query(r, &db_report_org, 1, &by, &report);
    if (rc != MC_OK)
        return rc;
    /* the function always answers one document: anything else is the server's fault */
    if (!report)
        return request_fail(r, MC_ERR_INTERNAL, NULL, NULL);
    return report_answer(r, report, by, "the organisation");
}
