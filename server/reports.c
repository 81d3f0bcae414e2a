/*
 * reports.c — GET /v1/reports/cohorts/{id}: a cohort's report, built
 * whole by mcred.cohort_report (sql/migrations/0021_reports.sql) in one
 * statement, so that it costs one round trip whatever the cohort's size.
 *
 * With ?by=ATTRIBUTE every table has a row per group; groups too small to
 * show (report_suppress.c, MCRED_MIN_GROUP) keep only what names the row
 * and say "suppressed": true instead of their figures.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "db.h"
#include "handlers.h"
#include "report_suppress.h"
#include "request.h"
#include "server.h"
#include "mcred/json.h"

#include "mcred/banned.h"

DB_STMT(db_report_cohort, "SELECT mcred.cohort_report($1::uuid, $2)::text AS report");

/* The tables of a report, in the order the answer (and the CSV) has them. */
static const char *const report_tables[] = {
    "learners", "standards", "indicators", "attendance", "problems", "time_to_eligibility",
};

/* What names a row rather than counts: kept when the row is suppressed. */
static bool names_row(const char *key)
{
    static const char *const keys[] = {"group",   "standard", "indicator",
                                       "session", "week",     "starts_at"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

static bool same_group(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsString(a) && cJSON_IsString(b))
        return strcmp(a->valuestring, b->valuestring) == 0;
    return !cJSON_IsString(a) && !cJSON_IsString(b);
}

/* Keep what names the row, drop its figures, say so. */
static bool suppress_row(cJSON *row)
{
    cJSON *item = row->child;
    while (item) {
        cJSON *next = item->next;
        if (!item->string || !names_row(item->string))
            cJSON_Delete(cJSON_DetachItemViaPointer(row, item));
        item = next;
    }
    return cJSON_AddTrueToObject(row, "suppressed") != NULL;
}

/*
 * Suppress the small groups of a report by `by`, in every table; the
 * groups and their sizes are those of the "learners" table.
 */
static enum mc_err suppress(struct request *r, cJSON *report, const char *by)
{
    const cJSON *learners = cJSON_GetObjectItemCaseSensitive(report, "learners");
    int n = cJSON_GetArraySize(learners);
    if (n == 0)
        return MC_OK;
    long *sizes = calloc((size_t)n, sizeof *sizes);
    bool *hidden = calloc((size_t)n, sizeof *hidden);
    const cJSON **groups = calloc((size_t)n, sizeof *groups);
    if (!sizes || !hidden || !groups) {
        free(sizes);
        free(hidden);
        free(groups);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    bool named = false;
    int i = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, learners)
    {
        groups[i] = cJSON_GetObjectItemCaseSensitive(row, "group");
        named = named || cJSON_IsString(groups[i]);
        const cJSON *total = cJSON_GetObjectItemCaseSensitive(row, "total");
        sizes[i++] = cJSON_IsNumber(total) ? (long)total->valuedouble : 0;
    }
    enum mc_err rc = MC_OK;
    if (!named) {
        rc = request_fail(r, MC_ERR_INVALID, "by", "no learner of cohort %s has the attribute %s",
                          request_cohort_words(r), by);
        goto done;
    }
    report_suppress(sizes, (size_t)n, (long)r->server->cfg.min_group, hidden);
    /* mark rows first: suppressing the learners table drops the groups' sizes, not their names */
    for (size_t t = 0; t < sizeof report_tables / sizeof report_tables[0]; t++) {
        cJSON *row_item;
        cJSON_ArrayForEach(row_item, cJSON_GetObjectItemCaseSensitive(report, report_tables[t]))
        {
            const cJSON *g = cJSON_GetObjectItemCaseSensitive(row_item, "group");
            bool hide = false;
            for (int k = 0; k < n && !hide; k++)
                hide = hidden[k] && same_group(g, groups[k]);
            if (hide && !suppress_row(row_item)) {
                rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
                goto done;
            }
        }
    }
done:
    free(sizes);
    free(hidden);
    free(groups);
    return rc;
}

enum mc_err reports_cohort(struct request *r)
{
    const char *by = request_query(r, "by");
    if (by && !by[0])
        by = NULL;
    if (by && (strlen(by) > 100 || !mc_utf8_valid_text(by, strlen(by))))
        return request_fail(r, MC_ERR_INVALID, "by",
                            "by names a person attribute: at most 100 characters of text");
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
    if (by && (rc = suppress(r, report, by)) != MC_OK) {
        cJSON_Delete(report);
        return rc;
    }
    return request_reply(r, 200, report);
}
