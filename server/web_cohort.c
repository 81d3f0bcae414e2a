/*
 * web_cohort.c — GET /app/cohorts/{id}[?by=ATTRIBUTE]: a cohort for the
 * people who lead it.
 *
 * The page shows what GET /v1/cohorts/{id}/status and GET
 * /v1/reports/cohorts/{id} show, to those the API shows them to:
 * leaders, coordinators and admins see every enrolled learner in the grid
 * (status, standards, attendance, problem of practice), the report's
 * charts and the disaggregation by a person attribute, with small groups
 * suppressed as the report suppresses them; a coach of the cohort sees
 * the grid of the learners they coach and no report (the API gives
 * coaches no report).  Learners are refused by the route's roles.
 *
 * Everything comes from one statement, mcred.web_cohort (migration
 * 0024): the learners' status inputs, decided here by status.c exactly
 * as the status API decides them, and the report as mcred.cohort_report
 * builds it, for everyone and, with ?by, by group.
 */
#include <stdio.h>
#include <string.h>

#include "report_doc.h"
#include "request.h"
#include "router.h"
#include "web.h"
#include "web_charts.h"
#include "web_pages.h"
#include "web_status.h"

#include "mcred/banned.h"

/*
 * Each table sits in a region that scrolls sideways on a narrow screen; the
 * region is focusable (tabindex 0) and named, so a keyboard can scroll it.
 */

DB_STMT(db_web_cohort, "SELECT mcred.web_cohort($1::uuid, $2, $3::uuid, $4::boolean)::text");

/* What the page is built from; the document owns every string the rest point into. */
struct cohort_page {
    cJSON *doc;
    const cJSON *status; /* mcred.web_status_inputs' document */
    const char *id, *name;
    const char *by;                    /* ?by, or NULL */
    bool coach;                        /* a coach's view: their learners, no report */
    char by_error[MC_MAX_ERR_MESSAGE]; /* why ?by could not be shown, or "" */
    struct web_status ws;
};

static void link_learner(struct html *h, const char *cohort, const cJSON *learner)
{
    html_raw(h, "<a href=\"/app/cohorts/");
    html_url_part(h, cohort);
    html_raw(h, "/learners/");
    html_url_part(h, web_str(learner, "id"));
    html_raw(h, "\">");
    html_text(h, web_str(learner, "name"));
    html_raw(h, "</a>");
}

/* A standard's cell: how many of its indicators are met, "Met" when all are. */
static void standard_cell(struct html *h, const cJSON *status, const char *standard)
{
    long met = 0, all = 0;
    const cJSON *ind;
    cJSON_ArrayForEach(ind, cJSON_GetObjectItemCaseSensitive(status, "indicators"))
    {
        if (strcmp(web_str(ind, "standard"), standard) != 0)
            continue;
        all++;
        met += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ind, "met"));
    }
    if (met == all)
        html_rawf(h, "<td><span class=\"met\">Met</span> (%ld of %ld)</td>", met, all);
    else
        html_rawf(h, "<td>%ld of %ld</td>", met, all);
}

static void grid_head(struct html *h, const struct cohort_page *p)
{
    html_raw(h, "<thead><tr><th scope=\"col\">Learner</th><th scope=\"col\">Status</th>");
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(p->status, "standards"))
    {
        html_raw(h, "<th scope=\"col\">Standard ");
        html_text(h, web_str(s, "code"));
        html_raw(h, "<span class=\"visually-hidden\">: ");
        html_text(h, web_str(s, "title"));
        html_raw(h, "</span></th>");
    }
    html_raw(h, "<th scope=\"col\">Attendance</th><th scope=\"col\">Problem of practice</th>"
                "</tr></thead>");
}

static void grid_row(struct html *h, const struct cohort_page *p, const cJSON *learner,
                     const cJSON *status)
{
    html_raw(h, "<tr><th scope=\"row\">");
    link_learner(h, p->id, learner);
    html_raw(h, "</th>");
    html_tag(h, "td", web_status_words(web_str(status, "status")));
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(p->status, "standards"))
    {
        standard_cell(h, status, web_str(s, "code"));
    }
    const cJSON *att = cJSON_GetObjectItemCaseSensitive(status, "attendance");
    html_rawf(h, "<td>%ld of %ld", web_long(att, "attended"), web_long(att, "required"));
    if (web_long(att, "excused") > 0)
        html_rawf(h, " (%ld excused)", web_long(att, "excused"));
    html_raw(h, "</td>");
    const cJSON *problem = cJSON_GetObjectItemCaseSensitive(status, "problem");
    html_tag(h, "td", web_problem_words(web_str(problem, "status")));
    html_raw(h, "</tr>");
}

/* The learners × standards grid; MC_ERR_NOMEM when a status could not be built. */
static enum mc_err grid(struct html *h, const struct cohort_page *p)
{
    const cJSON *learners = cJSON_GetObjectItemCaseSensitive(p->status, "learners");
    int columns = 4 + cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p->status, "standards"));
    html_raw(h, "<section aria-labelledby=\"learners-heading\"><h2 id=\"learners-heading\">");
    html_raw(h, p->coach ? "Your learners" : "Learners");
    html_raw(h,
             "</h2><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Learners "
             "and standards\"><table id=\"grid\"><caption>Learners and standards. "
             "Status is the credential's status; each standard shows how many of its "
             "indicators are at ");
    html_rawf(h,
              "level %d or above (Met when all are); attendance counts the weekly sessions "
              "attended of the %d required.",
              p->ws.rule.min_level, p->ws.rule.min_weekly_attendance);
    html_raw(h, "</caption>");
    grid_head(h, p);
    html_raw(h, "<tbody>");
    if (cJSON_GetArraySize(learners) == 0)
        html_rawf(h, "<tr><td colspan=\"%d\">%s</td></tr>", columns,
                  p->coach ? "None of the learners you coach is enrolled."
                           : "No learner is enrolled yet.");
    const cJSON *learner;
    cJSON_ArrayForEach(learner, learners)
    {
        cJSON *status = web_status_of(&p->ws, learner);
        if (!status)
            return MC_ERR_NOMEM;
        grid_row(h, p, learner, status);
        cJSON_Delete(status);
    }
    html_raw(h, "</tbody></table></div></section>");
    return MC_OK;
}

/* Counts by status, from the report's row for everyone. */
static void progress_line(struct html *h, const cJSON *report)
{
    const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(report, "learners"), 0);
    if (!row)
        return;
    html_rawf(h,
              "<p id=\"progress\">%ld learners: %ld not started, %ld in progress, %ld eligible, "
              "%ld awarded, %ld revoked.</p>",
              web_long(row, "total"), web_long(row, "not_started"), web_long(row, "in_progress"),
              web_long(row, "eligible"), web_long(row, "awarded"), web_long(row, "revoked"));
}

static void charts(struct html *h, const struct cohort_page *p, const cJSON *report)
{
    html_raw(h, "<section aria-labelledby=\"charts-heading\"><h2 id=\"charts-heading\">Charts"
                "</h2>");
    web_chart_standards(h, report, cJSON_GetObjectItemCaseSensitive(p->status, "standards"),
                        p->ws.rule.min_level);
    web_chart_attendance(h, report);
    html_raw(h, "</section>");
}

/* The plain GET form that picks the attribute to disaggregate by. */
static void selector(struct html *h, const struct cohort_page *p)
{
    html_raw(h, "<form id=\"disaggregate\" method=\"get\" action=\"/app/cohorts/");
    html_url_part(h, p->id);
    html_raw(h, "\"><div class=\"field\"><label for=\"by\">Disaggregate by</label>"
                "<select id=\"by\" name=\"by\"");
    if (p->by_error[0])
        html_raw(h, " aria-describedby=\"by-error\" aria-invalid=\"true\"");
    html_raw(h, "><option value=\"\">Everyone</option>");
    const cJSON *attr;
    cJSON_ArrayForEach(attr, cJSON_GetObjectItemCaseSensitive(p->doc, "attributes"))
    {
        const char *name = cJSON_GetStringValue(attr);
        if (!name)
            continue;
        html_raw(h, "<option value=\"");
        html_text(h, name);
        html_raw(h, p->by && strcmp(p->by, name) == 0 ? "\" selected>" : "\">");
        html_text(h, name);
        html_raw(h, "</option>");
    }
    html_raw(h, "</select></div>");
    if (p->by_error[0]) {
        html_raw(h, "<p class=\"error\" id=\"by-error\" role=\"alert\">");
        html_text(h, p->by_error);
        html_raw(h, "</p>");
    }
    html_raw(h, "<button type=\"submit\">Show</button></form>");
}

/* A group's name in a table: its value, or words for learners without the attribute. */
static void group_name(struct html *h, const cJSON *row)
{
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(row, "group");
    if (cJSON_IsString(g))
        html_text(h, g->valuestring);
    else
        html_raw(h, "<span class=\"muted\">Not given</span>");
}

static bool suppressed(const cJSON *row)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "suppressed"));
}

/* A count, or the word when the group is too small to show (never a 0 in its place). */
static void count_cell(struct html *h, const cJSON *row, const char *key)
{
    if (suppressed(row))
        html_raw(h, "<td class=\"n\">suppressed</td>");
    else
        html_rawf(h, "<td class=\"n\">%ld</td>", web_long(row, key));
}

static void by_group_status(struct html *h, const struct cohort_page *p, const cJSON *report)
{
    static const struct {
        const char *key, *words;
    } columns[] = {
        {"total", "Learners"},    {"not_started", "Not started"}, {"in_progress", "In progress"},
        {"eligible", "Eligible"}, {"awarded", "Awarded"},         {"revoked", "Revoked"},
    };
    html_raw(h, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Learners by "
                "status, by group\"><table id=\"by-group\"><caption>Learners by status, "
                "by ");
    html_text(h, p->by);
    html_raw(h, "</caption><thead><tr><th scope=\"col\">");
    html_text(h, p->by);
    html_raw(h, "</th>");
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
        html_rawf(h, "<th scope=\"col\" class=\"n\">%s</th>", columns[i].words);
    html_raw(h, "</tr></thead><tbody>");
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, "learners"))
    {
        html_raw(h, "<tr><th scope=\"row\">");
        group_name(h, row);
        html_raw(h, "</th>");
        for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
            count_cell(h, row, columns[i].key);
        html_raw(h, "</tr>");
    }
    html_raw(h, "</tbody></table></div>");
}

static bool same_group(const cJSON *a, const cJSON *b)
{
    const cJSON *ga = cJSON_GetObjectItemCaseSensitive(a, "group");
    const cJSON *gb = cJSON_GetObjectItemCaseSensitive(b, "group");
    if (cJSON_IsString(ga) && cJSON_IsString(gb))
        return strcmp(ga->valuestring, gb->valuestring) == 0;
    return !cJSON_IsString(ga) && !cJSON_IsString(gb);
}

/* One group's cell for a standard: "2 of 5 (40%)", or "suppressed". */
static void standard_group_cell(struct html *h, const cJSON *report, const cJSON *group,
                                const char *standard)
{
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, "standards"))
    {
        if (strcmp(web_str(row, "standard"), standard) != 0 || !same_group(row, group))
            continue;
        if (suppressed(row)) {
            html_raw(h, "<td class=\"n\">suppressed</td>");
            return;
        }
        long n = web_long(row, "learners"), at = web_long(row, "at_or_above");
        html_rawf(h, "<td class=\"n\">%ld of %ld (%ld%%)</td>", at, n, web_percent(at, n));
        return;
    }
    html_raw(h, "<td class=\"n\">suppressed</td>");
}

static void by_group_standards(struct html *h, const struct cohort_page *p, const cJSON *report)
{
    const cJSON *standards = cJSON_GetObjectItemCaseSensitive(p->status, "standards");
    html_raw(h,
             "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Learners "
             "meeting each standard, by group\"><table id=\"by-group-standards\"><caption>Learners "
             "meeting each standard, by ");
    html_text(h, p->by);
    html_raw(h, "</caption><thead><tr><th scope=\"col\">");
    html_text(h, p->by);
    html_raw(h, "</th>");
    const cJSON *s;
    cJSON_ArrayForEach(s, standards)
    {
        html_raw(h, "<th scope=\"col\" class=\"n\">Standard ");
        html_text(h, web_str(s, "code"));
        html_raw(h, "</th>");
    }
    html_raw(h, "</tr></thead><tbody>");
    const cJSON *group;
    cJSON_ArrayForEach(group, cJSON_GetObjectItemCaseSensitive(report, "learners"))
    {
        html_raw(h, "<tr><th scope=\"row\">");
        group_name(h, group);
        html_raw(h, "</th>");
        cJSON_ArrayForEach(s, standards)
        {
            standard_group_cell(h, report, group, web_str(s, "code"));
        }
        html_raw(h, "</tr>");
    }
    html_raw(h, "</tbody></table></div>");
}

static void disaggregation(struct html *h, const struct cohort_page *p)
{
    html_raw(h, "<section aria-labelledby=\"by-heading\"><h2 id=\"by-heading\">By group</h2>"
                "<p>Every figure by a person attribute of the learners. Groups too small to "
                "show without identifying someone are suppressed, and so is the next smallest "
                "where it would give them away.</p>");
    selector(h, p);
    const cJSON *report = cJSON_GetObjectItemCaseSensitive(p->doc, "report_by");
    if (p->by && !p->by_error[0] && cJSON_IsObject(report)) {
        by_group_status(h, p, report);
        by_group_standards(h, p, report);
    }
    html_raw(h, "</section>");
}

/*
 * Suppress the small groups of the report by ?by; an attribute no learner
 * has is said next to the selector (the page answers 422) rather than
 * replacing the page.
 */
static enum mc_err suppress_by(struct request *r, struct cohort_page *p)
{
    cJSON *report = cJSON_GetObjectItemCaseSensitive(p->doc, "report_by");
    if (!p->by || !cJSON_IsObject(report))
        return MC_OK;
    char scope[4 * MC_MAX_NAME + 16];
    snprintf(scope, sizeof scope, "cohort %s", p->name);
    enum mc_err rc = report_doc_suppress(r, report, p->by, scope);
    if (rc != MC_ERR_INVALID)
        return rc;
    snprintf(p->by_error, sizeof p->by_error, "%s", mc_error_message(&r->err));
    mc_error_clear(&r->err);
    return MC_OK;
}

static enum mc_err build(struct request *r, struct cohort_page *p, struct html *h)
{
    const cJSON *report = cJSON_GetObjectItemCaseSensitive(p->doc, "report");
    web_page_begin(r, h, p->name);
    html_raw(h, "<h1>");
    html_text(h, p->name);
    html_raw(h, "</h1>");
    if (p->coach)
        html_raw(h, "<p>You coach in this cohort: you see the learners you coach. The cohort's "
                    "report is for its leaders and coordinators.</p>");
    else
        progress_line(h, report);
    enum mc_err rc = grid(h, p);
    if (rc != MC_OK)
        return rc;
    if (!p->coach) {
        charts(h, p, report);
        disaggregation(h, p);
    }
    web_page_end(r, h);
    return MC_OK;
}

enum mc_err web_cohort(struct request *r)
{
    struct cohort_page p = {.id = request_param(r, "id"), .coach = r->cohort_role == ROLE_COACH};
    enum mc_err rc = p.coach ? MC_OK : report_doc_by(r, &p.by);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {p.id, p.by, p.coach ? r->auth.person_id : NULL,
                            p.coach ? "false" : "true"};
    rc = web_json_query(r, &db_web_cohort, 4, params, &p.doc);
    if (rc != MC_OK)
        return rc;
    if (!p.doc)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found", p.id);
    p.status = cJSON_GetObjectItemCaseSensitive(p.doc, "status");
    p.name = web_str(cJSON_GetObjectItemCaseSensitive(p.status, "cohort"), "name");
    rc = suppress_by(r, &p);
    if (rc == MC_OK && web_status_init(&p.ws, p.status) != MC_OK)
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    if (rc != MC_OK) {
        cJSON_Delete(p.doc);
        return rc;
    }
    struct html h;
    html_init(&h, WEB_PAGE_MAX);
    rc = build(r, &p, &h);
    web_status_release(&p.ws);
    cJSON_Delete(p.doc);
    if (rc != MC_OK) {
        html_release(&h);
        return request_fail(r, rc, NULL, NULL);
    }
    return web_reply(r, &h, p.by_error[0] ? 422 : 200);
}
