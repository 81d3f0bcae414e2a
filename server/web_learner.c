/*
 * web_learner.c — GET /app/cohorts/{id}/learners/{person}: one learner of
 * a cohort, for the people who lead, coordinate or coach it.
 *
 * It shows what GET /v1/cohorts/{id}/members/{person}/status shows (the
 * status and what is still missing, decided by status.c from the same
 * inputs), with the score history, the weekly sessions attended and the
 * problem of practice, to whom that route shows it: leaders, coordinators
 * and admins any learner of the cohort; a coach of the cohort the learners
 * they coach (another's is refused in the API's words); a learner only
 * themself.  Coaches, coordinators and admins, who may score and review,
 * get links to the scoring sheet and the problem-of-practice review.
 * Who may see whom is mcred.learner_access's decision (migration 0028),
 * the one rule that the sheet and the problem page follow too.
 *
 * One statement, mcred.web_cohort_learner (migrations 0024, 0028).
 */
#include <stdio.h>
#include <string.h>

#include "request.h"
#include "router.h"
#include "web.h"
#include "web_pages.h"
#include "web_status.h"

#include "mcred/banned.h"

/*
 * Each table sits in a region that scrolls sideways on a narrow screen; the
 * region is focusable (tabindex 0) and named, so a keyboard can scroll it.
 */

DB_STMT(db_web_cohort_learner, "SELECT mcred.web_cohort_learner($1::uuid, $2::uuid)::text");

struct learner_page {
    cJSON *doc;
    const char *cohort, *cohort_name;
    const cJSON *learner; /* the learner's status inputs */
    cJSON *status;        /* status_json's answer for them */
    bool scores;          /* may the caller score and review (the access answer's "scorer") */
};

static void cohort_path(struct html *h, const struct learner_page *p, const char *tail)
{
    html_raw(h, "/app/cohorts/");
    html_url_part(h, p->cohort);
    if (tail) {
        html_raw(h, "/learners/");
        html_url_part(h, web_str(p->learner, "id"));
        html_raw(h, tail);
    }
}

static void heading(struct html *h, const struct learner_page *p)
{
    html_raw(h, "<h1>");
    html_text(h, web_str(p->learner, "name"));
    html_raw(h, "</h1><p>");
    html_text(h, web_str(p->learner, "email"));
    html_raw(h, " · learner in <a href=\"");
    cohort_path(h, p, NULL);
    html_raw(h, "\">");
    html_text(h, p->cohort_name);
    html_raw(h, "</a>");
    const char *membership = web_str(p->learner, "membership");
    if (strcmp(membership, "enrolled") != 0) {
        html_raw(h, " (");
        html_text(h, membership);
        html_raw(h, ")");
    }
    html_raw(h, "</p>");
    const char *status = web_str(p->status, "status");
    html_raw(h, "<p id=\"status\">Status: <strong>");
    html_text(h, web_status_words(status));
    html_raw(h, "</strong> <span class=\"muted\">(");
    html_text(h, status);
    html_raw(h, ")</span></p>");
    if (p->scores) {
        html_raw(h, "<ul><li><a href=\"");
        cohort_path(h, p, "/sheet");
        html_raw(h, "\">Scoring sheet</a></li><li><a href=\"");
        cohort_path(h, p, "/problem");
        html_raw(h, "\">Problem-of-practice review</a></li></ul>");
    }
}

static void missing(struct html *h, const struct learner_page *p)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(p->status, "missing");
    html_raw(h, "<section id=\"missing\" aria-labelledby=\"missing-heading\">"
                "<h2 id=\"missing-heading\">What is still missing</h2>");
    if (cJSON_GetArraySize(items) == 0)
        html_raw(h, "<p>Nothing: every requirement of the credential is met.</p>");
    else {
        html_raw(h, "<ul>");
        const cJSON *item;
        cJSON_ArrayForEach(item, items)
        {
            html_tag(h, "li", cJSON_GetStringValue(item));
        }
        html_raw(h, "</ul>");
    }
    html_raw(h, "</section>");
}

/* The rubric's label of a level, or "" (the number is shown anyway). */
static const char *level_label(const cJSON *doc, long level)
{
    const cJSON *l;
    cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(doc, "rubric"))
    {
        if (web_long(l, "level") == level)
            return web_str(l, "label");
    }
    return "";
}

static void level_text(struct html *h, const cJSON *doc, long level)
{
    if (level <= 0) {
        html_raw(h, "not scored");
        return;
    }
    html_rawf(h, "%ld", level);
    const char *label = level_label(doc, level);
    if (label[0]) {
        html_raw(h, " ");
        html_text(h, label);
    }
}

static const char *indicator_text(const cJSON *doc, const char *code)
{
    const cJSON *i;
    cJSON_ArrayForEach(i, cJSON_GetObjectItemCaseSensitive(doc, "indicators"))
    {
        if (strcmp(web_str(i, "code"), code) == 0)
            return web_str(i, "text");
    }
    return "";
}

static void indicators(struct html *h, const struct learner_page *p, const cJSON *inputs)
{
    html_raw(h, "<section id=\"indicators\" aria-labelledby=\"indicators-heading\">"
                "<h2 id=\"indicators-heading\">Indicators</h2><div class=\"table-wrap\" "
                "tabindex=\"0\" role=\"region\" aria-label=\"Table of current levels\"><table>"
                "<caption>Each indicator's current level</caption><thead><tr>"
                "<th scope=\"col\">Indicator</th><th scope=\"col\">Current level</th>"
                "<th scope=\"col\">Met</th></tr></thead><tbody>");
    const cJSON *ind;
    cJSON_ArrayForEach(ind, cJSON_GetObjectItemCaseSensitive(p->status, "indicators"))
    {
        html_raw(h, "<tr><th scope=\"row\">");
        html_text(h, web_str(ind, "code"));
        html_raw(h, " ");
        html_text(h, indicator_text(inputs, web_str(ind, "code")));
        html_raw(h, "</th><td>");
        level_text(h, inputs, web_long(ind, "level"));
        html_raw(h, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ind, "met"))
                        ? "</td><td><span class=\"met\">met</span></td></tr>"
                        : "</td><td>not yet</td></tr>");
    }
    html_raw(h, "</tbody></table></div></section>");
}

static void mode_words(struct html *h, const char *mode)
{
    static const struct {
        const char *mode, *words;
    } words[] = {
        {"in_person", "in person"}, {"online", "online"},   {"asynchronous", "asynchronous"},
        {"absent", "absent"},       {"excused", "excused"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(mode, words[i].mode) == 0) {
            html_raw(h, words[i].words);
            return;
        }
    html_raw(h, "<span class=\"muted\">not recorded</span>");
}

static void attendance(struct html *h, const struct learner_page *p)
{
    const cJSON *att = cJSON_GetObjectItemCaseSensitive(p->status, "attendance");
    const cJSON *sessions = cJSON_GetObjectItemCaseSensitive(p->doc, "sessions");
    html_raw(h, "<section id=\"attendance\" aria-labelledby=\"attendance-heading\">"
                "<h2 id=\"attendance-heading\">Attendance</h2>");
    html_rawf(h,
              "<p>%ld of the %ld weekly sessions required attended so far (%ld excused; %ld "
              "held).</p>",
              web_long(att, "attended"), web_long(att, "required"), web_long(att, "excused"),
              web_long(att, "held"));
    if (cJSON_GetArraySize(sessions) > 0) {
        html_raw(h, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Weekly "
                    "sessions\"><table><caption>Weekly sessions</caption><thead>"
                    "<tr><th scope=\"col\">Session</th><th scope=\"col\">Date</th>"
                    "<th scope=\"col\">Attended</th></tr></thead><tbody>");
        const cJSON *s;
        cJSON_ArrayForEach(s, sessions)
        {
            const cJSON *week = cJSON_GetObjectItemCaseSensitive(s, "week");
            if (cJSON_IsNumber(week))
                html_rawf(h, "<tr><th scope=\"row\">Week %ld</th>", (long)week->valuedouble);
            else
                html_raw(h, "<tr><th scope=\"row\">Weekly session</th>");
            html_tag(h, "td", web_str(s, "date"));
            html_raw(h, "<td>");
            mode_words(h, web_str(s, "mode"));
            html_raw(h, "</td></tr>");
        }
        html_raw(h, "</tbody></table></div>");
    }
    html_raw(h, "</section>");
}

static void problem(struct html *h, const struct learner_page *p)
{
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(p->doc, "problem");
    const cJSON *required = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(p->status, "problem"), "required");
    html_raw(h, "<section id=\"problem\" aria-labelledby=\"problem-heading\">"
                "<h2 id=\"problem-heading\">Problem of practice</h2>");
    if (!cJSON_IsObject(pr)) {
        html_raw(h, "<p>State: <strong>not written yet</strong>");
        html_raw(h, cJSON_IsFalse(required) ? " (the credential does not require one)." : ".");
        html_raw(h, "</p></section>");
        return;
    }
    html_raw(h, "<p>State: <strong>");
    html_text(h, web_problem_words(web_str(pr, "status")));
    html_rawf(h, "</strong> (version %ld)</p><p>Title: ", web_long(pr, "version"));
    html_text(h, web_str(pr, "title"));
    html_raw(h, "</p>");
    if (web_str(pr, "feedback")[0]) {
        html_raw(h, "<p>Reviewer's feedback: ");
        html_text(h, web_str(pr, "feedback"));
        html_raw(h, "</p>");
    }
    html_raw(h, "</section>");
}

static void history(struct html *h, const struct learner_page *p, const cJSON *inputs)
{
    const cJSON *scores = cJSON_GetObjectItemCaseSensitive(p->doc, "history");
    html_raw(h, "<section id=\"history\" aria-labelledby=\"history-heading\">"
                "<h2 id=\"history-heading\">Score history</h2>");
    if (cJSON_GetArraySize(scores) == 0) {
        html_raw(h, "<p>No score has been recorded yet.</p></section>");
        return;
    }
    html_raw(h, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table of "
                "scores\"><table><caption>Every score recorded, newest first"
                "</caption><thead><tr><th scope=\"col\">When (UTC)</th>"
                "<th scope=\"col\">Indicator</th><th scope=\"col\">Level</th>"
                "<th scope=\"col\">Coach</th><th scope=\"col\">Feedback</th></tr></thead><tbody>");
    const cJSON *s;
    cJSON_ArrayForEach(s, scores)
    {
        html_raw(h, "<tr>");
        html_tag(h, "td", web_str(s, "scored_at"));
        html_raw(h, "<th scope=\"row\">");
        html_text(h, web_str(s, "indicator"));
        html_raw(h, "</th><td>");
        level_text(h, inputs, web_long(s, "level"));
        html_raw(h, "</td>");
        html_tag(h, "td", web_str(s, "coach"));
        html_tag(h, "td", web_str(s, "feedback"));
        html_raw(h, "</tr>");
    }
    html_raw(h, "</tbody></table></div></section>");
}

static void build(struct request *r, const struct learner_page *p, struct html *h)
{
    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(p->doc, "status");
    web_page_begin(r, h, web_str(p->learner, "name"));
    heading(h, p);
    missing(h, p);
    indicators(h, p, inputs);
    attendance(h, p);
    problem(h, p);
    history(h, p, inputs);
    web_page_end(r, h);
}

/*
 * Read the page, and with it whether the caller may see this learner:
 * mcred.learner_access (migration 0028) decides, in the page's own
 * statement; a refusal is only mapped to its status and words here.
 */
static enum mc_err load(struct request *r, struct learner_page *p, const char *person)
{
    const char *params[] = {p->cohort, person};
    enum mc_err rc = web_json_query(r, &db_web_cohort_learner, 2, params, &p->doc);
    if (rc != MC_OK)
        return rc;
    if (strcmp(web_str(p->doc, "outcome"), "ok") != 0)
        return web_learner_refused(r, p->doc);
    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(p->doc, "status");
    p->cohort_name = web_str(cJSON_GetObjectItemCaseSensitive(inputs, "cohort"), "name");
    p->learner = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(inputs, "learners"), 0);
    p->scores = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p->doc, "scorer"));
    if (!p->learner) /* the access answer found them: the inputs must list them */
        return request_fail(r, MC_ERR_INTERNAL, NULL, "the page's statement lost the learner");
    return MC_OK;
}

enum mc_err web_cohort_learner(struct request *r)
{
    struct learner_page p = {.cohort = request_param(r, "id")};
    enum mc_err rc = load(r, &p, request_param(r, "person"));
    if (rc != MC_OK) {
        cJSON_Delete(p.doc);
        return rc;
    }
    struct web_status ws;
    if (web_status_init(&ws, cJSON_GetObjectItemCaseSensitive(p.doc, "status")) != MC_OK) {
        cJSON_Delete(p.doc);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    p.status = web_status_of(&ws, p.learner);
    web_status_release(&ws);
    if (!p.status) {
        cJSON_Delete(p.doc);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    struct html h;
    html_init(&h, WEB_PAGE_MAX);
    build(r, &p, &h);
    cJSON_Delete(p.status);
    cJSON_Delete(p.doc);
    return web_reply(r, &h, 200);
}
