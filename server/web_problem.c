/*
 * web_problem.c — a learner's problem of practice as their coach reviews
 * it: GET /app/cohorts/{id}/learners/{person}/problem and POST
 * /app/problems/{id}/review.
 *
 * The page is read in one statement (mcred.web_problem, migration 0025):
 * every field of the current version, its state, the reviewer's feedback
 * and every version kept.  Who sees it follows the problems API; the
 * review form is there only for whom may review (an admin, a
 * coordinator, the learner's coach) while the problem is submitted.
 *
 * The review goes through the API's own steps (problems_review_check,
 * then problems_review_write: the same rules, the problem.reviewed event
 * and the audit row).  A refusal of the check writes nothing and shows
 * the page again with the problem in words beside the form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "request.h"
#include "web.h"
#include "web_pages.h"

#include "mcred/banned.h"

/* A problem's state in words; the API's value stays beside it for whom knows it. */
static const char *state_words(const char *status)
{
    if (strcmp(status, "draft") == 0)
        return "Draft (not submitted yet)";
    if (strcmp(status, "submitted") == 0)
        return "Submitted, waiting for review";
    if (strcmp(status, "approved") == 0)
        return "Approved";
    if (strcmp(status, "needs_revision") == 0)
        return "Needs revision";
    return status;
}

static void field_row(struct html *h, const char *label, const char *text)
{
    html_raw(h, "<dt>");
    html_text(h, label);
    html_raw(h, "</dt><dd>");
    if (*text)
        web_text_lines(h, text);
    else
        html_raw(h, "<span class=\"muted\">(empty)</span>");
    html_raw(h, "</dd>");
}

static void problem_fields(struct html *h, const cJSON *problem)
{
    html_raw(h, "<dl>");
    field_row(h, "Title", web_str(problem, "title"));
    field_row(h, "Statement", web_str(problem, "statement"));
    field_row(h, "Student focus", web_str(problem, "student_focus"));
    field_row(h, "Data sources", web_str(problem, "data_sources"));
    field_row(h, "Root cause", web_str(problem, "root_cause"));
    field_row(h, "Strategy", web_str(problem, "strategy"));
    html_raw(h, "<dt>Standards addressed</dt><dd>");
    const cJSON *s;
    int n = 0;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(problem, "standards"))
    {
        html_raw(h, n++ ? ", " : "");
        html_text(h, cJSON_GetStringValue(s));
    }
    if (n == 0)
        html_raw(h, "<span class=\"muted\">(none named)</span>");
    html_raw(h, "</dd></dl>");
}

static void reviewer_feedback(struct html *h, const cJSON *problem)
{
    html_raw(h, "<h2>Reviewer's feedback</h2>");
    if (!*web_str(problem, "reviewed_by")) {
        html_raw(h, "<p>Not reviewed yet.</p>");
        return;
    }
    html_raw(h, "<p>Reviewed by ");
    html_text(h, web_str(problem, "reviewed_by"));
    html_raw(h, " at ");
    html_text(h, web_str(problem, "reviewed_at"));
    html_raw(h, ".</p><blockquote>");
    if (*web_str(problem, "feedback"))
        web_text_lines(h, web_str(problem, "feedback"));
    else
        html_raw(h, "<span class=\"muted\">(no feedback written)</span>");
    html_raw(h, "</blockquote>");
}

static void versions_table(struct html *h, const cJSON *problem)
{
    html_raw(h, "<h2>Versions</h2><div class=\"table-wrap\"><table><caption>Every version of "
                "the problem of practice, newest first</caption><thead><tr>"
                "<th scope=\"col\" class=\"n\">Version</th><th scope=\"col\">State</th>"
                "<th scope=\"col\">Title</th><th scope=\"col\">By</th>"
                "<th scope=\"col\">When</th><th scope=\"col\">Feedback</th></tr></thead><tbody>");
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(problem, "versions"))
    {
        html_rawf(h, "<tr><td class=\"n\">%ld</td>", web_long(v, "version"));
        html_tag(h, "td", state_words(web_str(v, "status")));
        html_tag(h, "td", web_str(v, "title"));
        html_tag(h, "td", web_str(v, "by"));
        html_tag(h, "td", web_str(v, "at"));
        html_raw(h, "<td>");
        web_text_lines(h, web_str(v, "feedback"));
        html_raw(h, "</td></tr>");
    }
    html_raw(h, "</tbody></table></div>");
}

static void decision_option(struct html *h, const char *value, const char *words,
                            const char *chosen)
{
    html_rawf(h, "<option value=\"%s\"%s>%s</option>", value,
              chosen && strcmp(chosen, value) == 0 ? " selected" : "", words);
}

/* The review form, with what was sent before kept when it comes back refused. */
static void review_form(struct request *r, struct html *h, const cJSON *problem, const char *error)
{
    html_raw(h, "<h2 id=\"review-heading\">Review</h2>");
    if (error) { /* beside the form it is about */
        html_raw(h, "<p class=\"error\" role=\"alert\">Nothing was recorded: ");
        html_text(h, error);
        html_raw(h, "</p>");
    }
    html_raw(h, "<form id=\"review\" method=\"post\" aria-labelledby=\"review-heading\" "
                "action=\"/app/problems/");
    html_url_part(h, web_str(problem, "id"));
    html_raw(h, "/review\">");
    web_csrf_field(r, h);
    const char *chosen = web_form(r, "decision");
    html_raw(h, "<div class=\"field\"><label for=\"decision\">Decision</label>"
                "<select id=\"decision\" name=\"decision\">");
    decision_option(h, "", "Choose a decision", chosen);
    decision_option(h, "approved", "Approve", chosen);
    decision_option(h, "needs_revision", "Needs revision", chosen);
    html_rawf(h, "</select></div><div class=\"field\"><label for=\"review-feedback\">Feedback"
                 "</label><textarea id=\"review-feedback\" name=\"feedback\" maxlength=\"4000\">");
    html_text(h, web_form(r, "feedback"));
    html_raw(h, "</textarea></div><p><button type=\"submit\">Record review</button></p></form>");
}

/* What the page says after a review was recorded (fixed words, never the query's text). */
static void review_notice(struct request *r, struct html *h)
{
    const char *done = request_query(r, "reviewed");
    if (!done)
        return;
    if (strcmp(done, "approved") == 0)
        html_raw(h, "<p class=\"notice\" role=\"status\">Review recorded: approved.</p>");
    else if (strcmp(done, "needs_revision") == 0)
        html_raw(h, "<p class=\"notice\" role=\"status\">Review recorded: needs revision.</p>");
}

static enum mc_err problem_page(struct request *r, const cJSON *doc, const char *error,
                                unsigned status)
{
    const cJSON *learner = cJSON_GetObjectItemCaseSensitive(doc, "learner");
    const cJSON *problem = cJSON_GetObjectItemCaseSensitive(doc, "problem");
    char title[MC_MAX_NAME + 32];
    mc_format_cut(title, sizeof title, "Problem of practice: %s", web_person_words(learner));
    struct html h;
    html_init(&h, WEB_PAGE_MAX);
    web_page_begin(r, &h, title);
    html_raw(&h, "<h1>Problem of practice: ");
    html_text(&h, web_person_words(learner));
    html_raw(&h, "</h1><p>Cohort ");
    html_text(&h, web_str(cJSON_GetObjectItemCaseSensitive(doc, "cohort"), "name"));
    html_raw(&h, " · <a href=\"");
    web_learner_path(&h, doc, "");
    html_raw(&h, "\">Learner's progress</a> · <a href=\"");
    web_learner_path(&h, doc, "/sheet");
    html_raw(&h, "\">Scoring sheet</a></p>");
    review_notice(r, &h);
    bool reviews = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "reviews"));
    if (error && !reviews) { /* no form to show it beside (a cohort closed meanwhile) */
        html_raw(&h, "<p class=\"error\" role=\"alert\">Nothing was recorded: ");
        html_text(&h, error);
        html_raw(&h, "</p>");
    }
    if (!cJSON_IsObject(problem)) {
        html_raw(&h, "<p id=\"problem-state\">");
        html_text(&h, web_person_words(learner));
        html_raw(&h, " has not started a problem of practice yet.</p>");
    } else {
        const char *state = web_str(problem, "status");
        html_raw(&h, "<p id=\"problem-state\">State: <strong>");
        html_text(&h, state_words(state));
        html_raw(&h, "</strong> <span class=\"muted\">(");
        html_text(&h, state);
        html_rawf(&h, ", version %ld, last changed ", web_long(problem, "version"));
        html_text(&h, web_str(problem, "updated_at"));
        html_raw(&h, ")</span></p><h2>The problem</h2>");
        problem_fields(&h, problem);
        reviewer_feedback(&h, problem);
        if (reviews)
            review_form(r, &h, problem, error);
        else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "reviewer")))
            html_raw(&h, "<p>Only a submitted problem of practice is reviewed; this one will "
                         "come back for review when the learner submits it.</p>");
        versions_table(&h, problem);
    }
    web_page_end(r, &h);
    return web_reply(r, &h, status);
}

DB_STMT(db_web_problem, "SELECT mcred.web_problem($1::uuid, $2::uuid)::text");

/* Read the page of a cohort's learner and show it, with a refused review's problem if any. */
static enum mc_err problem_show(struct request *r, const char *cohort, const char *learner,
                                const char *error, unsigned status)
{
    const char *params[] = {cohort, learner};
    cJSON *doc = NULL;
    enum mc_err rc = web_json_query(r, &db_web_problem, 2, params, &doc);
    if (rc != MC_OK)
        return rc;
    if (strcmp(web_str(doc, "outcome"), "ok") != 0)
        rc = web_learner_refused(r, doc);
    else
        rc = problem_page(r, doc, error, status);
    cJSON_Delete(doc);
    return rc;
}

enum mc_err web_problem_show(struct request *r)
{
    return problem_show(r, request_param(r, "id"), request_param(r, "person"), NULL, 200);
}

enum mc_err web_problem_review(struct request *r)
{
    const char *id = request_param(r, "id");
    const char *decision = web_form(r, "decision"), *feedback = web_form(r, "feedback");
    struct problem_ref target = {.cohort_id = ""};
    enum mc_err rc = problems_review_check(r, id, decision, feedback, &target);
    if ((rc == MC_ERR_INVALID || rc == MC_ERR_CONFLICT) && target.cohort_id[0]) {
        /* refused by a rule before anything was written: the page again, with why */
        char error[MC_MAX_ERR_MESSAGE];
        mc_format_cut(error, sizeof error, "%s",
                      decision && *decision ? mc_error_message(&r->err) : "choose a decision");
        unsigned status = mc_http_status(rc);
        mc_error_clear(&r->err);
        return problem_show(r, target.cohort_id, target.learner_id, error, status);
    }
    cJSON *item = NULL;
    if (rc == MC_OK)
        rc = problems_review_write(r, id, decision, feedback ? feedback : "", &item);
    cJSON_Delete(item);
    if (rc != MC_OK)
        return rc;
    char to[MC_MAX_URL + 1];
    snprintf(to, sizeof to, "/app/cohorts/%s/learners/%s/problem?reviewed=%s", target.cohort_id,
             target.learner_id, decision);
    return web_redirect(r, to);
}
