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
#include "reports.h"
#include "request.h"
#include "server.h"

#include "mcred/banned.h"

DB_STMT(db_report_cohort, "SELECT mcred.cohort_report($1::uuid, $2)::text AS report");
DB_STMT(db_report_org, "SELECT mcred.org_report($1)::text AS report");

/*
 * The report of cohort `id` (by `by`, suppressed), or a refusal recorded
 * on r: not found.
 */
enum mc_err reports_cohort_doc(struct request *r, const char *id, const char *by, cJSON **out)
{
    *out = NULL;
    const char *params[] = {id, by};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_report_cohort, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *text = PQntuples(res) == 1 ? db_get(res, 0, "report") : NULL;
    cJSON *report = text ? cJSON_Parse(text) : NULL;
    PQclear(res);
    if (!text)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found",
                            request_cohort_words(r));
    if (!report)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    if (by) {
        char scope[160];
        snprintf(scope, sizeof scope, "cohort %s", request_cohort_words(r));
        if ((rc = report_doc_suppress(r, report, by, scope)) != MC_OK) {
            cJSON_Delete(report);
            return rc;
        }
    }
    *out = report;
    return MC_OK;
}

enum mc_err reports_cohort(struct request *r)
{
    const char *by = NULL;
    cJSON *report = NULL;
    enum mc_err rc = report_doc_by(r, &by);
    if (rc == MC_OK)
        rc = reports_cohort_doc(r, request_param(r, "id"), by, &report);
    return rc == MC_OK ? report_doc_reply(r, report) : rc;
}

enum mc_err reports_org_doc(struct request *r, const char *by, cJSON **out)
{
    *out = NULL;
    const char *params[] = {by};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_report_org, 1, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *text = PQntuples(res) == 1 ? db_get(res, 0, "report") : NULL;
    cJSON *report = text ? cJSON_Parse(text) : NULL;
    PQclear(res);
    /* the function always answers one document: anything else is the server's fault */
    if (!text)
        return request_fail(r, MC_ERR_INTERNAL, NULL, NULL);
    if (!report)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    if (by && (rc = report_doc_suppress(r, report, by, "the organisation")) != MC_OK) {
        cJSON_Delete(report);
        return rc;
    }
    *out = report;
    return MC_OK;
}

enum mc_err reports_org(struct request *r)
{
    const char *by = NULL;
    cJSON *report = NULL;
    enum mc_err rc = report_doc_by(r, &by);
    if (rc == MC_OK)
        rc = reports_org_doc(r, by, &report);
    return rc == MC_OK ? report_doc_reply(r, report) : rc;
}
