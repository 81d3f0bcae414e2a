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

/*
 * The tables of each kind of report, in the order the answer (and the
 * CSV) has them, with their CSV columns; "levels" tables add a column per
 * rubric level.  A report with a "cohorts" table is the organisation's
 * (mcred.org_report), else a cohort's (mcred.cohort_report): the document
 * says which, so that callers (the handlers, the pages) need not.
 */
struct report_table {
    const char *name;
    const char *const *columns;
    size_t ncolumns;
    bool levels;
};

#define COLUMNS(a) (a), sizeof(a) / sizeof((a)[0])

static const char *const learners_cols[] = {"group",    "total",   "not_started", "in_progress",
                                            "eligible", "awarded", "revoked",     "suppressed"};
static const char *const problems_cols[] = {"group",          "none",     "draft",     "submitted",
                                            "needs_revision", "approved", "suppressed"};
static const char *const time_cols[] = {"group", "learners", "median_days", "max_days",
                                        "suppressed"};

static const char *const cohort_standards[] = {"standard", "group", "learners", "at_or_above",
                                               "suppressed"};
static const char *const cohort_indicators[] = {
    "indicator", "standard", "group", "learners", "at_or_above", "not_scored", "suppressed"};
static const char *const cohort_attendance[] = {
    "session", "week",         "starts_at", "group",  "learners",  "in_person",
    "online",  "asynchronous", "excused",   "absent", "suppressed"};

static const struct report_table cohort_tables[] = {
    {"learners", COLUMNS(learners_cols), false},
    {"standards", COLUMNS(cohort_standards), false},
    {"indicators", COLUMNS(cohort_indicators), true},
    {"attendance", COLUMNS(cohort_attendance), false},
    {"problems", COLUMNS(problems_cols), false},
    {"time_to_eligibility", COLUMNS(time_cols), false},
};

static const char *const org_cohorts[] = {"id",       "name",    "status",      "starts_on",
                                          "group",    "total",   "not_started", "in_progress",
                                          "eligible", "awarded", "revoked",     "suppressed"};
static const char *const org_standards[] = {"credential", "version",     "standard",  "group",
                                            "learners",   "at_or_above", "suppressed"};
static const char *const org_indicators[] = {"credential",  "version",    "indicator",
                                             "standard",    "group",      "learners",
                                             "at_or_above", "not_scored", "suppressed"};
static const char *const org_attendance[] = {"week",      "group",     "sessions",     "learners",
                                             "in_person", "online",    "asynchronous", "excused",
                                             "absent",    "suppressed"};

static const struct report_table org_tables[] = {
    {"cohorts", COLUMNS(org_cohorts), false},
    {"learners", COLUMNS(learners_cols), false},
    {"standards", COLUMNS(org_standards), false},
    {"indicators", COLUMNS(org_indicators), true},
    {"attendance", COLUMNS(org_attendance), false},
    {"problems", COLUMNS(problems_cols), false},
    {"time_to_eligibility", COLUMNS(time_cols), false},
};

static bool is_org_report(const cJSON *report)
{
    return cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(report, "cohorts"));
}

static const struct report_table *report_tables_of(const cJSON *report, size_t *n)
{
    if (is_org_report(report)) {
        *n = sizeof org_tables / sizeof org_tables[0];
        return org_tables;
    }
    *n = sizeof cohort_tables / sizeof cohort_tables[0];
    return cohort_tables;
}

/* What names a row rather than counts: kept when the row is suppressed. */
static bool names_row(const char *key)
{
    static const char *const keys[] = {"group", "standard",  "indicator",  "session",
                                       "week",  "starts_at", "credential", "version",
                                       "id",    "name",      "status",     "starts_on"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

static bool same_group(const cJSON *a, const cJSON *b)
{
    if (a && b && cJSON_IsString(a) && cJSON_IsString(b))
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

static long row_total(const cJSON *row)
{
    const cJSON *total = cJSON_GetObjectItemCaseSensitive(row, "total");
    return cJSON_IsNumber(total) ? (long)total->valuedouble : 0;
}

/* The groups of a disaggregated report: the "learners" table's rows, in its order. */
struct groups {
    int n;
    const cJSON **names;
    long *sizes;
    bool *hidden;
};

static void groups_release(struct groups *g)
{
    free(g->names);
    free(g->sizes);
    free(g->hidden);
}

static enum mc_err groups_read(const cJSON *report, struct groups *out, bool *named)
{
    const cJSON *learners = cJSON_GetObjectItemCaseSensitive(report, "learners");
    out->n = cJSON_GetArraySize(learners);
    /* names holds pointers: sizeof *names is a pointer's size, as meant */
    out->names =
        calloc((size_t)out->n + 1, sizeof *out->names); /* NOLINT(bugprone-sizeof-expression) */
    out->sizes = calloc((size_t)out->n + 1, sizeof *out->sizes);
    out->hidden = calloc((size_t)out->n + 1, sizeof *out->hidden);
    if (!out->names || !out->sizes || !out->hidden)
        return MC_ERR_NOMEM;
    *named = false;
    int i = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, learners)
    {
        out->names[i] = cJSON_GetObjectItemCaseSensitive(row, "group");
        *named = *named || cJSON_IsString(out->names[i]);
        out->sizes[i++] = row_total(row);
    }
    return MC_OK;
}

/* The index of group `name` among the groups, or -1. */
static int group_index(const struct groups *g, const cJSON *name)
{
    for (int k = 0; k < g->n; k++)
        if (same_group(name, g->names[k]))
            return k;
    return -1;
}

/* Suppress the rows of every group table (all but "cohorts") whose group is hidden. */
static enum mc_err suppress_group_rows(cJSON *report, const struct groups *g)
{
    size_t ntables = 0;
    const struct report_table *tables = report_tables_of(report, &ntables);
    for (size_t t = 0; t < ntables; t++) {
        if (strcmp(tables[t].name, "cohorts") == 0)
            continue;
        cJSON *row;
        cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, tables[t].name))
        {
            int k = group_index(g, cJSON_GetObjectItemCaseSensitive(row, "group"));
            if (k >= 0 && g->hidden[k] && !suppress_row(row))
                return MC_ERR_NOMEM;
        }
    }
    return MC_OK;
}

/*
 * The organisation's report: groups and the "cohorts" table's cells
 * (cohort × group) suppressed together, as report_suppress_org explains.
 */
static enum mc_err suppress_org(cJSON *report, struct groups *g, long min_group)
{
    cJSON *cohorts = cJSON_GetObjectItemCaseSensitive(report, "cohorts");
    size_t n = (size_t)cJSON_GetArraySize(cohorts);
    size_t *cell_cohort = calloc(n + 1, sizeof *cell_cohort);
    size_t *cell_group = calloc(n + 1, sizeof *cell_group);
    long *cell_sizes = calloc(n + 1, sizeof *cell_sizes);
    bool *cell_hidden = calloc(n + 1, sizeof *cell_hidden);
    enum mc_err rc = MC_ERR_NOMEM;
    if (!cell_cohort || !cell_group || !cell_sizes || !cell_hidden)
        goto out;
    size_t c = 0, cohort = 0;
    const cJSON *row, *prev_id = NULL;
    cJSON_ArrayForEach(row, cohorts)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(row, "id");
        /* a new id starts the next cohort (ids are text, compared as groups are) */
        if (prev_id && !same_group(id, prev_id))
            cohort++;
        prev_id = id;
        int k = group_index(g, cJSON_GetObjectItemCaseSensitive(row, "group"));
        cell_cohort[c] = cohort;
        /* a cohort without learners has one row, of no group: size 0, nothing to hide */
        cell_group[c] = k >= 0 ? (size_t)k : (size_t)g->n;
        cell_sizes[c++] = row_total(row);
    }
    (void)report_suppress_org(g->sizes, (size_t)g->n, cell_cohort, cell_group, cell_sizes, n,
                              min_group, g->hidden, cell_hidden);
    rc = MC_OK;
    c = 0;
    cJSON *cell;
    cJSON_ArrayForEach(cell, cohorts)
    {
        if (cell_hidden[c++] && !suppress_row(cell)) {
            rc = MC_ERR_NOMEM;
            break;
        }
    }
out:
    free(cell_cohort);
    free(cell_group);
    free(cell_sizes);
    free(cell_hidden);
    return rc;
}

enum mc_err report_doc_suppress(struct request *r, cJSON *report, const char *by, const char *scope)
{
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(report, "learners")) == 0)
        return MC_OK;
    struct groups g = {0};
    bool named = false;
    enum mc_err rc = groups_read(report, &g, &named);
    if (rc == MC_OK && !named) {
        rc = request_fail(r, MC_ERR_INVALID, "by", "no learner of %s has the attribute %s", scope,
                          by);
        goto done;
    }
    long min_group = (long)r->server->cfg.min_group;
    if (rc == MC_OK && is_org_report(report))
        rc = suppress_org(report, &g, min_group);
    else if (rc == MC_OK)
        (void)report_suppress(g.sizes, (size_t)g.n, min_group, g.hidden);
    /* the "learners" rows are marked with the others: suppressing them drops sizes, not names */
    if (rc == MC_OK)
        rc = suppress_group_rows(report, &g);
    if (rc != MC_OK)
        rc = request_fail(r, rc, NULL, NULL);
done:
    groups_release(&g);
    return rc;
}

/* ---- CSV ---- */

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
static enum mc_err csv_table(struct mc_buf *out, const cJSON *report,
                             const struct report_table *table)
{
    size_t nbase = table->ncolumns;
    const char *const *base = table->columns;
    const cJSON *levels =
        table->levels ? cJSON_GetObjectItemCaseSensitive(report, "rubric_levels") : NULL;
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
    const char *title[] = {table->name};
    enum mc_err rc = mc_csv_record(out, title, 1);
    if (rc == MC_OK)
        rc = mc_csv_record(out, fields, n);
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, table->name))
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
    size_t ntables = 0;
    const struct report_table *tables = report_tables_of(report, &ntables);
    enum mc_err rc = MC_OK;
    for (size_t t = 0; rc == MC_OK && t < ntables; t++)
        rc = csv_table(&r->text, report, &tables[t]);
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
