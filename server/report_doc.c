/*
 * report_doc.c — what every report shares once its SQL function has built
 * it: reading ?by, suppressing the groups too small to show
 * (report_suppress.c, MCRED_MIN_GROUP) so that they keep only what names
 * the row and say "suppressed": true instead of their figures, and
 * answering with JSON or, for Accept: text/csv, the same tables as CSV
 * (RFC 4180).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "report_doc.h"
#include "report_suppress.h"
#include "request.h"
#include "server.h"
#include "mcred/csv.h"
#include "mcred/json.h"
#include "mcred/limits.h"

#include "mcred/banned.h"

enum mc_err report_doc_by(struct request *r, const char **by)
{
    *by = request_query(r, "by");
    if (*by && !(*by)[0])
        *by = NULL;
    if (*by && (strlen(*by) > MC_MAX_ATTR_KEY || !mc_utf8_valid_text(*by, strlen(*by))))
        return request_fail(r, MC_ERR_INVALID, "by",
                            "by names a person attribute: at most %d bytes of text",
                            MC_MAX_ATTR_KEY);
    return MC_OK;
}

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

enum mc_err report_doc_suppress(struct request *r, cJSON *report, const char *by, const char *scope)
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
        rc = request_fail(r, MC_ERR_INVALID, "by", "no learner of %s has the attribute %s", scope,
                          by);
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

/* ---- CSV ---- */

/* The columns of each table, in report_tables' order; indicators add one per level. */
static const char *const *table_columns(size_t t, size_t *n)
{
    static const char *const learners[] = {"group",    "total",   "not_started", "in_progress",
                                           "eligible", "awarded", "revoked",     "suppressed"};
    static const char *const standards[] = {"standard", "group", "learners", "at_or_above",
                                            "suppressed"};
    static const char *const indicators[] = {"indicator",   "standard",   "group",     "learners",
                                             "at_or_above", "not_scored", "suppressed"};
    static const char *const attendance[] = {"session",  "week",      "starts_at", "group",
                                             "learners", "in_person", "online",    "asynchronous",
                                             "excused",  "absent",    "suppressed"};
    static const char *const problems[] = {"group",          "none",     "draft",     "submitted",
                                           "needs_revision", "approved", "suppressed"};
    static const char *const time[] = {"group", "learners", "median_days", "max_days",
                                       "suppressed"};
    static const struct {
        const char *const *columns;
        size_t n;
    } all[] = {
        {learners, sizeof learners / sizeof learners[0]},
        {standards, sizeof standards / sizeof standards[0]},
        {indicators, sizeof indicators / sizeof indicators[0]},
        {attendance, sizeof attendance / sizeof attendance[0]},
        {problems, sizeof problems / sizeof problems[0]},
        {time, sizeof time / sizeof time[0]},
    };
    *n = all[t].n;
    return all[t].columns;
}

/*
 * A JSON value as a CSV cell: text as is (mc_csv_field keeps what a
 * spreadsheet would take for a formula as text: an attribute's value is
 * anyone's input), numbers without needless decimals, null empty.
 */
static void cell_text(const cJSON *v, char *out, size_t len)
{
    out[0] = '\0';
    if (cJSON_IsString(v))
        snprintf(out, len, "%s", v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(out, len, "%.10g", v->valuedouble);
    else if (cJSON_IsTrue(v))
        snprintf(out, len, "true");
    else if (cJSON_IsFalse(v))
        snprintf(out, len, "false");
}

/* The count of `level` in an indicator row's "levels", or NULL. */
static const cJSON *level_count(const cJSON *row, const cJSON *level)
{
    const cJSON *l;
    cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(row, "levels"))
    {
        const cJSON *at = cJSON_GetObjectItemCaseSensitive(l, "level");
        if (cJSON_IsNumber(at) && cJSON_IsNumber(level) && at->valuedouble == level->valuedouble)
            return cJSON_GetObjectItemCaseSensitive(l, "count");
    }
    return NULL;
}

#define CSV_MAX_COLUMNS 32
#define CSV_CELL        512

/* One table: a record naming it, its header, its rows; a blank line after. */
static enum mc_err csv_table(struct mc_buf *out, const cJSON *report, size_t t)
{
    size_t nbase = 0;
    const char *const *base = table_columns(t, &nbase);
    const cJSON *levels = t == 2 ? cJSON_GetObjectItemCaseSensitive(report, "rubric_levels") : NULL;
    size_t nlevels = (size_t)cJSON_GetArraySize(levels);
    if (nbase + nlevels > CSV_MAX_COLUMNS)
        return MC_ERR_INTERNAL;
    size_t n = nbase + nlevels;
    char cells[CSV_MAX_COLUMNS][CSV_CELL];
    const char *fields[CSV_MAX_COLUMNS];
    for (size_t i = 0; i < n; i++) {
        if (i < nbase)
            snprintf(cells[i], CSV_CELL, "%s", base[i]);
        else {
            char level[64];
            cell_text(cJSON_GetArrayItem(levels, (int)(i - nbase)), level, sizeof level);
            snprintf(cells[i], CSV_CELL, "level_%s", level);
        }
        fields[i] = cells[i];
    }
    const char *title[] = {report_tables[t]};
    enum mc_err rc = mc_csv_record(out, title, 1);
    if (rc == MC_OK)
        rc = mc_csv_record(out, fields, n);
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, report_tables[t]))
    {
        if (rc != MC_OK)
            break;
        for (size_t i = 0; i < n; i++) {
            const cJSON *v = i < nbase
                                 ? cJSON_GetObjectItemCaseSensitive(row, base[i])
                                 : level_count(row, cJSON_GetArrayItem(levels, (int)(i - nbase)));
            cell_text(v, cells[i], CSV_CELL);
        }
        rc = mc_csv_record(out, fields, n);
    }
    if (rc == MC_OK)
        rc = mc_buf_appends(out, "\r\n");
    return rc;
}

bool report_doc_wants_csv(const struct request *r)
{
    const char *accept = request_header(r, "Accept");
    for (const char *p = accept; p && *p; p++)
        if (strncasecmp(p, "text/csv", 8) == 0)
            return true;
    return false;
}

static enum mc_err reply_csv(struct request *r, const cJSON *report)
{
    mc_buf_reset(&r->text);
    enum mc_err rc = MC_OK;
    for (size_t t = 0; rc == MC_OK && t < sizeof report_tables / sizeof report_tables[0]; t++)
        rc = csv_table(&r->text, report, t);
    if (rc != MC_OK)
        return request_fail(r, rc, NULL, NULL);
    r->content_type = "text/csv; charset=utf-8";
    r->status = 200;
    return MC_OK;
}

enum mc_err report_doc_reply(struct request *r, cJSON *report)
{
    if (!report_doc_wants_csv(r))
        return request_reply(r, 200, report);
    enum mc_err rc = reply_csv(r, report);
    cJSON_Delete(report);
    return rc;
}
