/*
 * reports.c — GET /v1/reports/cohorts/{id}: a cohort's report, built
 * whole by mcred.cohort_report (sql/migrations/0021_reports.sql) in one
 * statement, so that it costs one round trip whatever the cohort's size.
 */
#include <stddef.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "db.h"
#include "handlers.h"
#include "request.h"

#include "mcred/banned.h"

DB_STMT(db_report_cohort, "SELECT mcred.cohort_report($1::uuid, $2)::text AS report");

enum mc_err reports_cohort(struct request *r)
{
    const char *by = request_query(r, "by");
    if (by && !by[0])
        by = NULL;
    const char *params[] = {request_param(r, "id"), by};
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
    return request_reply(r, 200, report);
}
