/*
 * web_mine.c — a learner's own page, GET /app/cohorts/{id}/me, and its
 * forms: submitting the problem of practice (POST /app/cohorts/{id}/me/problem
 * the first time, POST /app/problems/{id} to revise it) and adding
 * evidence (POST /app/cohorts/{id}/me/evidence).
 *
 * The page is read in one statement (mcred.web_mine, migration 0026) and
 * the status decided by status.c from the same inputs the API's status
 * reads, so the page and GET /v1/cohorts/{id}/members/{person}/status
 * agree.  A form is turned into the JSON body of its API call and handed
 * to that call's own handler (problems_create, problems_update,
 * evidence_create): the same rules, events and audit rows.  The write
 * runs under a savepoint; when the handler refuses it (an invalid value,
 * a conflict) the savepoint is rolled back, so nothing is written, and
 * the page is shown again with the refusal in words beside the form and
 * the values as they were typed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "assessment.h"
#include "request.h"
#include "status.h"
#include "web.h"
#include "web_pages.h"
#include "web_status.h"

#include "mcred/banned.h"

/* A form's field: its name (the API's key), its label, and a hint shown under it (or NULL). */
struct mine_field {
    const char *name;
    const char *label;
    bool textarea;
    const char *hint;
};

static const struct mine_field problem_fields[] = {
    {"title", "Title", false, NULL},
    {"statement", "Statement", true, NULL},
    {"student_focus", "Student focus", true, NULL},
    {"data_sources", "Data sources", true, NULL},
    {"root_cause", "Root cause", true, NULL},
    {"strategy", "Strategy", true, NULL},
};
#define N_PROBLEM_FIELDS (sizeof problem_fields / sizeof problem_fields[0])

static const struct mine_field evidence_fields[] = {
    {"title", "Title", false, NULL},
    {"url", "Link", false,
     "A link (http:// or https://) to the document, or leave it empty and describe the "
     "evidence in the notes."},
    {"text", "Notes", true, NULL},
    {"indicator", "Indicator", false, NULL},
};
#define N_EVIDENCE_FIELDS (sizeof evidence_fields / sizeof evidence_fields[0])

/* A write the API's handler refused: which form, the field at fault, and why. */
struct mine_refusal {
    const char *form; /* "problem" or "evidence"; NULL when nothing was refused */
    enum mc_err code;
    char field[MC_MAX_ERR_FIELD];
    char message[MC_MAX_ERR_MESSAGE];
};

/* Text that starts a sentence: its first letter in capitals (messages are written lowercase). */
static void html_sentence(struct html *h, const char *text)
{
    if (text[0] >= 'a' && text[0] <= 'z') {
        html_rawf(h, "%c", text[0] - 'a' + 'A');
        text++;
    }
    html_text(h, text);
}

/* "3 (Proficient)": a level with the rubric's label for it, when it has one. */
static void html_level(struct html *h, const struct status_rule *rule, long level)
{
    html_rawf(h, "%ld", level);
    if (level >= 1 && level <= rule->nlevels && rule->labels[level - 1] &&
        *rule->labels[level - 1]) {
        html_raw(h, " (");
        html_text(h, rule->labels[level - 1]);
        html_raw(h, ")");
    }
}

/* ---- the sections of the page ---- */

static void status_section(struct html *h, const cJSON *status)
{
    const cJSON *att = cJSON_GetObjectItemCaseSensitive(status, "attendance");
    const char *value = web_str(status, "status");
    html_raw(h, "<section aria-labelledby=\"status-heading\"><h2 id=\"status-heading\">Your "
                "status</h2><p id=\"status\">Your status: <strong>");
    html_text(h, web_status_words(value));
    html_raw(h, "</strong> <span class=\"muted\">(");
    html_text(h, value);
    html_rawf(h,
              ")</span></p><p>Weekly sessions attended: %ld of the %ld required (%ld held so "
              "far, %ld excused).</p></section>",
              web_long(att, "attended"), web_long(att, "required"), web_long(att, "held"),
              web_long(att, "excused"));
}

/* Open the list at its first item, so that nothing met shows no empty list. */
static void met_item(struct html *h, int *n, const char *li)
{
    html_raw(h, (*n)++ == 0 ? "<ul>" : "");
    html_raw(h, li);
}

static void met_section(struct html *h, const cJSON *status, const struct status_rule *rule)
{
    html_raw(h, "<section id=\"met\" aria-labelledby=\"met-heading\"><h2 id=\"met-heading\">"
                "What you have met</h2>");
    int n = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(status, "standards"))
    {
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "met")))
            continue;
        met_item(h, &n, "<li class=\"met\">Standard ");
        html_text(h, web_str(item, "code"));
        html_raw(h, ": ");
        html_text(h, web_str(item, "title"));
        html_raw(h, "</li>");
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(status, "indicators"))
    {
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "met")))
            continue;
        met_item(h, &n, "<li>Indicator ");
        html_text(h, web_str(item, "code"));
        html_raw(h, " at level ");
        html_level(h, rule, web_long(item, "level"));
        html_raw(h, "</li>");
    }
    const cJSON *att = cJSON_GetObjectItemCaseSensitive(status, "attendance");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(att, "met")))
        met_item(h, &n, "<li>Attendance of weekly sessions</li>");
    const cJSON *problem = cJSON_GetObjectItemCaseSensitive(status, "problem");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(problem, "required")) &&
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(problem, "met")))
        met_item(h, &n, "<li>Problem of practice approved</li>");
    html_raw(h, n ? "</ul></section>"
                  : "<p>Nothing yet: what you meet will appear here.</p></section>");
}

static void missing_section(struct html *h, const cJSON *status)
{
    const cJSON *missing = cJSON_GetObjectItemCaseSensitive(status, "missing");
    html_raw(h, "<section id=\"missing\" aria-labelledby=\"missing-heading\">"
                "<h2 id=\"missing-heading\">What is still missing</h2>");
    if (cJSON_GetArraySize(missing) == 0) {
        html_raw(h, "<p>Nothing: you meet every requirement of the credential.</p></section>");
        return;
    }
    html_raw(h, "<ul>");
    const cJSON *item;
    cJSON_ArrayForEach(item, missing)
    {
        html_raw(h, "<li>");
        html_sentence(h, cJSON_GetStringValue(item) ? cJSON_GetStringValue(item) : "");
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul></section>");
}

/* One score: "3 (Proficient), 2026-09-20T…, by Coach: feedback". */
static void score_line(struct html *h, const cJSON *score, const struct status_rule *rule)
{
    html_raw(h, "Level ");
    html_level(h, rule, web_long(score, "level"));
    html_raw(h, " <span class=\"muted\">(");
    html_text(h, web_str(score, "scored_at"));
    if (*web_str(score, "coach")) {
        html_raw(h, ", by ");
        html_text(h, web_str(score, "coach"));
    }
    html_raw(h, ")</span>");
    if (*web_str(score, "feedback")) {
        html_raw(h, ": ");
        html_text(h, web_str(score, "feedback"));
    }
}

/* The row of one indicator: its current score and feedback, then the earlier ones. */
static void score_row(struct html *h, const cJSON *indicator, const cJSON *scores,
                      const struct status_rule *rule)
{
    const char *code = web_str(indicator, "code");
    html_raw(h, "<tr><th scope=\"row\">");
    html_text(h, code);
    html_raw(h, " ");
    html_text(h, web_str(indicator, "text"));
    html_raw(h, "</th>");
    int n = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, scores)
    {
        if (strcmp(web_str(s, "indicator"), code) != 0)
            continue;
        if (n == 0) {
            html_raw(h, "<td>");
            html_level(h, rule, web_long(s, "level"));
            html_raw(h, "</td><td>");
            html_text(h, web_str(s, "feedback"));
            html_raw(h, "</td><td>");
        } else {
            html_raw(h, n == 1 ? "<ul><li>" : "<li>");
            score_line(h, s, rule);
            html_raw(h, "</li>");
        }
        n++;
    }
    if (n == 0)
        html_raw(h, "<td>Not scored yet</td><td></td><td>None</td></tr>");
    else
        html_raw(h, n == 1 ? "None</td></tr>" : "</ul></td></tr>");
}

static void scores_section(struct html *h, const cJSON *doc, const struct status_rule *rule)
{
    const cJSON *scores = cJSON_GetObjectItemCaseSensitive(doc, "scores");
    html_raw(h, "<section id=\"scores\" aria-labelledby=\"scores-heading\">"
                "<h2 id=\"scores-heading\">Your scores and feedback</h2>");
    if (cJSON_GetArraySize(scores) == 0)
        html_raw(h, "<p>No scores yet: your coach scores each indicator on the rubric.</p>");
    html_raw(h, "<div class=\"table-wrap\"><table><caption>Current level and feedback by "
                "indicator, with earlier scores</caption><thead><tr>"
                "<th scope=\"col\">Indicator</th><th scope=\"col\">Current level</th>"
                "<th scope=\"col\">Feedback</th><th scope=\"col\">Earlier scores</th>"
                "</tr></thead><tbody>");
    const cJSON *indicator;
    cJSON_ArrayForEach(indicator, cJSON_GetObjectItemCaseSensitive(doc, "indicators"))
    {
        score_row(h, indicator, scores, rule);
    }
    html_raw(h, "</tbody></table></div></section>");
}

/* The refusal's message beside its form, when it is this form's. */
static void refusal_note(struct html *h, const char *form, const struct mine_refusal *refused)
{
    if (!refused->form || strcmp(refused->form, form) != 0)
        return;
    html_rawf(h, "<p class=\"error\" role=\"alert\" id=\"%s-error\">", form);
    html_sentence(h, refused->message);
    html_raw(h, " Nothing was saved.</p>");
}

/* A control's description: the refusal when it names this field (marked invalid), its hint. */
static void described_attrs(struct html *h, const char *form, const struct mine_field *f,
                            const struct mine_refusal *refused)
{
    bool invalid =
        refused->form && strcmp(refused->form, form) == 0 && strcmp(refused->field, f->name) == 0;
    if (invalid)
        html_raw(h, " aria-invalid=\"true\"");
    if (!invalid && !f->hint)
        return;
    html_raw(h, " aria-describedby=\"");
    if (invalid)
        html_rawf(h, "%s-error%s", form, f->hint ? " " : "");
    if (f->hint)
        html_rawf(h, "%s-%s-hint", form, f->name);
    html_raw(h, "\"");
}

/* A labelled text control of `form`, holding `value`, with its hint under it. */
static void form_control(struct html *h, const char *form, const struct mine_field *f,
                         const char *value, const char *extra, const struct mine_refusal *refused)
{
    html_rawf(h, "<div class=\"field\"><label for=\"%s-%s\">%s</label>", form, f->name, f->label);
    if (f->textarea) {
        html_rawf(h, "<textarea id=\"%s-%s\" name=\"%s\"%s", form, f->name, f->name, extra);
        described_attrs(h, form, f, refused);
        html_raw(h, ">");
        html_text(h, value);
        html_raw(h, "</textarea>");
    } else {
        html_rawf(h, "<input id=\"%s-%s\" name=\"%s\"%s", form, f->name, f->name, extra);
        described_attrs(h, form, f, refused);
        html_raw(h, " value=\"");
        html_text(h, value);
        html_raw(h, "\">");
    }
    if (f->hint) {
        html_rawf(h, "<p id=\"%s-%s-hint\" class=\"muted\">", form, f->name);
        html_text(h, f->hint);
        html_raw(h, "</p>");
    }
    html_raw(h, "</div>");
}

/* A field's value to show: as typed when this form was refused, else as stored. */
static const char *shown_value(struct request *r, const char *form, const char *name,
                               const cJSON *stored, const struct mine_refusal *refused)
{
    if (refused->form && strcmp(refused->form, form) == 0) {
        const char *typed = web_form(r, name);
        return typed ? typed : "";
    }
    return stored ? web_str(stored, name) : "";
}

static void problem_form(struct request *r, struct html *h, const char *cohort,
                         const cJSON *problem, const struct mine_refusal *refused)
{
    html_raw(h, "<form id=\"problem\" method=\"post\" action=\"");
    if (problem) {
        html_raw(h, "/app/problems/");
        html_url_part(h, web_str(problem, "id"));
    } else {
        html_raw(h, "/app/cohorts/");
        html_url_part(h, cohort);
        html_raw(h, "/me/problem");
    }
    html_raw(h, "\">");
    web_csrf_field(r, h);
    refusal_note(h, "problem", refused);
    for (size_t i = 0; i < N_PROBLEM_FIELDS; i++) {
        const struct mine_field *f = &problem_fields[i];
        form_control(h, "problem", f, shown_value(r, "problem", f->name, problem, refused),
                     i == 0 ? " type=\"text\" required maxlength=\"200\" size=\"50\""
                            : " rows=\"4\"",
                     refused);
    }
    html_raw(h, "<button type=\"submit\">Submit problem of practice</button></form>");
}

/* The problem as submitted, to read while it is with the reviewer or approved. */
static void problem_text(struct html *h, const cJSON *problem)
{
    html_raw(h, "<dl>");
    for (size_t i = 0; i < N_PROBLEM_FIELDS; i++) {
        html_rawf(h, "<dt>%s</dt><dd>", problem_fields[i].label);
        html_text(h, web_str(problem, problem_fields[i].name));
        html_raw(h, "</dd>");
    }
    html_raw(h, "</dl>");
}

static void problem_section(struct request *r, struct html *h, const cJSON *doc,
                            const struct mine_refusal *refused)
{
    const cJSON *problem = cJSON_GetObjectItemCaseSensitive(doc, "problem");
    if (!cJSON_IsObject(problem))
        problem = NULL;
    const char *state = problem ? web_str(problem, "status") : "none";
    html_raw(h, "<section id=\"problem-of-practice\" aria-labelledby=\"problem-heading\">"
                "<h2 id=\"problem-heading\">Your problem of practice</h2>"
                "<p id=\"problem-state\">State: <strong>");
    html_text(h, web_problem_words(state));
    html_raw(h, "</strong></p>");
    if (problem && *web_str(problem, "feedback")) {
        html_raw(h, "<h3>Reviewer's feedback</h3><blockquote id=\"problem-feedback\"><p>");
        html_text(h, web_str(problem, "feedback"));
        html_raw(h, "</p></blockquote>");
        if (*web_str(problem, "reviewer")) {
            html_raw(h, "<p class=\"muted\">From ");
            html_text(h, web_str(problem, "reviewer"));
            html_raw(h, ", ");
            html_text(h, web_str(problem, "reviewed_at"));
            html_raw(h, "</p>");
        }
    }
    bool open = strcmp(state, "none") == 0 || strcmp(state, "draft") == 0 ||
                strcmp(state, "needs_revision") == 0;
    if (open) {
        html_raw(h, strcmp(state, "needs_revision") == 0 ? "<h3>Revise and submit it again</h3>"
                                                         : "<h3>Write and submit it</h3>");
        problem_form(r, h, web_str(cJSON_GetObjectItemCaseSensitive(doc, "cohort"), "id"), problem,
                     refused);
    } else {
        /* a refused form (it was submitted meanwhile) says so even where no form is shown */
        refusal_note(h, "problem", refused);
        html_raw(h, strcmp(state, "approved") == 0
                        ? "<p>It is approved.</p>"
                        : "<p>It is with your coach for review; you can revise it if they ask "
                          "for changes.</p>");
        problem_text(h, problem);
    }
    html_raw(h, "</section>");
}

static void evidence_table(struct html *h, const cJSON *evidence)
{
    if (cJSON_GetArraySize(evidence) == 0) {
        html_raw(h, "<p>You have added no evidence yet.</p>");
        return;
    }
    html_raw(h, "<div class=\"table-wrap\"><table><caption>Evidence you have added</caption>"
                "<thead><tr><th scope=\"col\">Title</th><th scope=\"col\">Indicator</th>"
                "<th scope=\"col\">Notes</th><th scope=\"col\">Added</th></tr></thead><tbody>");
    const cJSON *e;
    cJSON_ArrayForEach(e, evidence)
    {
        html_raw(h, "<tr><th scope=\"row\">");
        /* the API accepts only http:// and https:// addresses */
        if (*web_str(e, "url")) {
            html_raw(h, "<a rel=\"noopener noreferrer\" href=\"");
            html_text(h, web_str(e, "url"));
            html_raw(h, "\">");
            html_text(h, web_str(e, "title"));
            html_raw(h, "</a>");
        } else {
            html_text(h, web_str(e, "title"));
        }
        html_raw(h, "</th>");
        html_tag(h, "td", *web_str(e, "indicator") ? web_str(e, "indicator") : "None");
        html_tag(h, "td", web_str(e, "text"));
        html_tag(h, "td", web_str(e, "submitted_at"));
        html_raw(h, "</tr>");
    }
    html_raw(h, "</tbody></table></div>");
}

/* The indicator select: none, or one of the credential's indicators. */
static void indicator_select(struct request *r, struct html *h, const cJSON *doc,
                             const struct mine_refusal *refused)
{
    const char *chosen = shown_value(r, "evidence", "indicator", NULL, refused);
    html_raw(h, "<div class=\"field\"><label for=\"evidence-indicator\">Indicator</label>"
                "<select id=\"evidence-indicator\" name=\"indicator\"");
    described_attrs(h, "evidence", &evidence_fields[3], refused);
    html_raw(h, "><option value=\"\">None in particular</option>");
    const cJSON *i;
    cJSON_ArrayForEach(i, cJSON_GetObjectItemCaseSensitive(doc, "indicators"))
    {
        html_raw(h, "<option value=\"");
        html_text(h, web_str(i, "code"));
        html_raw(h, strcmp(chosen, web_str(i, "code")) == 0 ? "\" selected>" : "\">");
        html_text(h, web_str(i, "code"));
        html_raw(h, " ");
        html_text(h, web_str(i, "text"));
        html_raw(h, "</option>");
    }
    html_raw(h, "</select></div>");
}

static void evidence_section(struct request *r, struct html *h, const cJSON *doc,
                             const struct mine_refusal *refused)
{
    html_raw(h, "<section id=\"your-evidence\" aria-labelledby=\"evidence-heading\">"
                "<h2 id=\"evidence-heading\">Your evidence</h2>");
    evidence_table(h, cJSON_GetObjectItemCaseSensitive(doc, "evidence"));
    html_raw(h,
             "<h3>Add evidence</h3><form id=\"evidence\" method=\"post\" action=\"/app/cohorts/");
    html_url_part(h, web_str(cJSON_GetObjectItemCaseSensitive(doc, "cohort"), "id"));
    html_raw(h, "/me/evidence\">");
    web_csrf_field(r, h);
    refusal_note(h, "evidence", refused);
    form_control(h, "evidence", &evidence_fields[0],
                 shown_value(r, "evidence", "title", NULL, refused),
                 " type=\"text\" required maxlength=\"200\" size=\"50\"", refused);
    form_control(h, "evidence", &evidence_fields[1],
                 shown_value(r, "evidence", "url", NULL, refused), " type=\"url\" size=\"50\"",
                 refused);
    form_control(h, "evidence", &evidence_fields[2],
                 shown_value(r, "evidence", "text", NULL, refused), " rows=\"3\"", refused);
    indicator_select(r, h, doc, refused);
    html_raw(h, "<button type=\"submit\">Add evidence</button></form></section>");
}

/* A notice after a form succeeded (?done=…): fixed words, never the query's text. */
static void done_notice(struct request *r, struct html *h)
{
    const char *done = request_query(r, "done");
    const char *words = !done                           ? NULL
                        : strcmp(done, "problem") == 0  ? "Your problem of practice was "
                                                          "submitted for review."
                        : strcmp(done, "evidence") == 0 ? "Your evidence was added."
                                                        : NULL;
    if (!words)
        return;
    html_raw(h, "<p class=\"notice\" role=\"status\">");
    html_text(h, words);
    html_raw(h, "</p>");
}

DB_STMT(db_web_mine, "SELECT mcred.web_mine($1::uuid, $2::uuid)::text");

/*
 * The learner's page of the cohort `cohort` (or of the problem `problem`'s
 * cohort), answered with `status`; `refused` puts a refusal beside its form.
 */
static enum mc_err mine_page(struct request *r, const char *cohort, const char *problem,
                             const struct mine_refusal *refused, unsigned status)
{
    const char *params[] = {cohort, problem};
    cJSON *doc = NULL;
    enum mc_err rc = web_json_query(r, &db_web_mine, 2, params, &doc);
    if (rc != MC_OK)
        return rc;
    if (!doc)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found",
                            cohort ? cohort : "of this problem of practice");
    struct web_status ws;
    cJSON *st = NULL;
    if (web_status_init(&ws, doc) == MC_OK) {
        st = web_status_of(
            &ws, cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "learners"), 0));
        if (!st)
            web_status_release(&ws);
    }
    if (!st) {
        cJSON_Delete(doc);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    const char *cohort_name = web_str(cJSON_GetObjectItemCaseSensitive(doc, "cohort"), "name");
    char title[4 * MC_MAX_NAME + 32];
    mc_format_cut(title, sizeof title, "Your progress in %s", cohort_name);
    struct html h;
    html_init(&h, WEB_PAGE_MAX);
    web_page_begin(r, &h, title);
    html_raw(&h, "<h1>Your progress in ");
    html_text(&h, cohort_name);
    html_raw(&h, "</h1>");
    done_notice(r, &h);
    status_section(&h, st);
    met_section(&h, st, &ws.rule);
    missing_section(&h, st);
    scores_section(&h, doc, &ws.rule);
    problem_section(r, &h, doc, refused);
    evidence_section(r, &h, doc, refused);
    web_page_end(r, &h);
    cJSON_Delete(st);
    web_status_release(&ws);
    cJSON_Delete(doc);
    return web_reply(r, &h, status);
}

enum mc_err web_mine(struct request *r)
{
    struct mine_refusal none = {0};
    return mine_page(r, request_param(r, "id"), NULL, &none, 200);
}

/* ---- the forms: the API's own handlers, under a savepoint ---- */

/*
 * The form's fields as the JSON body of the API call.  A field the form
 * does not carry is left out (a revision keeps it as it was).  An empty
 * field is sent as "" with `keep_empty` (the problem's texts, which may
 * be cleared), else left out (evidence's optional link, notes and
 * indicator).  The title is always sent, so that a missing one is
 * refused in words like an empty one.
 */
static cJSON *form_body(struct request *r, const struct mine_field *fields, size_t n,
                        bool keep_empty)
{
    cJSON *body = cJSON_CreateObject();
    for (size_t i = 0; body && i < n; i++) {
        bool title = strcmp(fields[i].name, "title") == 0;
        const char *value = web_form(r, fields[i].name);
        if (!value && title)
            value = "";
        if (!value || (!*value && !keep_empty && !title))
            continue;
        if (!cJSON_AddStringToObject(body, fields[i].name, value)) {
            cJSON_Delete(body);
            return NULL;
        }
    }
    return body;
}

DB_STMT(db_web_form_savepoint, "SAVEPOINT web_form");
DB_STMT(db_web_form_undo, "ROLLBACK TO SAVEPOINT web_form");

/* A refusal the form can be shown again with; anything else fails the request. */
static bool refusal_shown_on_form(const struct request *r, enum mc_err rc)
{
    /* a serialization failure or deadlock must reach the transaction, which retries */
    bool retry = strcmp(r->db->sqlstate, "40001") == 0 || strcmp(r->db->sqlstate, "40P01") == 0;
    return !retry && (rc == MC_ERR_INVALID || rc == MC_ERR_CONFLICT);
}

/* "student_focus is longer than …" as the form says it: "Student focus is longer than …". */
static void refusal_words(const struct request *r, const struct mine_field *fields, size_t n,
                          struct mine_refusal *out)
{
    const char *message = mc_error_message(&r->err);
    const char *field = r->err.field;
    mc_format_cut(out->field, sizeof out->field, "%s", field);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(fields[i].name);
        if (*field && strcmp(field, fields[i].name) == 0 &&
            strncmp(message, fields[i].name, len) == 0 && message[len] == ' ') {
            mc_format_cut(out->message, sizeof out->message, "%s%s", fields[i].label,
                          message + len);
            return;
        }
    }
    mc_format_cut(out->message, sizeof out->message, "%s", message);
}

/*
 * Run the API's handler `write` with `body` (taken) as its JSON body.
 * Written: MC_OK, the handler's JSON answer in *out_item (cJSON_Delete
 * it).  Refused by a rule: the savepoint rolled back (nothing written),
 * MC_OK with out->form set and *out_item NULL.  Anything else: its error.
 */
static enum mc_err write_as_api(struct request *r, cJSON *body, route_handler write,
                                const char *form, const struct mine_field *fields, size_t n,
                                struct mine_refusal *out, cJSON **out_item)
{
    *out_item = NULL;
    if (!body)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    cJSON_Delete(r->json);
    r->json = body;
    enum mc_err rc =
        db_exec(r->db, &db_web_form_savepoint, 0, NULL, PGRES_COMMAND_OK, NULL, &r->err);
    if (rc != MC_OK)
        return rc;
    rc = write(r);
    if (rc == MC_OK) {
        *out_item = r->reply;
        r->reply = NULL;
        request_reset_answer(r);
        return MC_OK;
    }
    if (!refusal_shown_on_form(r, rc))
        return rc;
    out->form = form;
    out->code = rc;
    refusal_words(r, fields, n, out);
    request_reset_answer(r);
    return db_exec(r->db, &db_web_form_undo, 0, NULL, PGRES_COMMAND_OK, NULL, &r->err);
}

/* After a learner's form: back to their page, saying what happened. */
static enum mc_err back_to_mine(struct request *r, const cJSON *item, const char *done)
{
    char path[MC_MAX_URL + 1];
    mc_format_cut(path, sizeof path, "/app/cohorts/%s/me?done=%s", web_str(item, "cohort"), done);
    return web_redirect(r, path);
}

/* The answer to a learner's form: the redirect, or the page again with the refusal. */
static enum mc_err form_answer(struct request *r, enum mc_err rc, cJSON *item,
                               const struct mine_refusal *refused, const char *cohort,
                               const char *problem, const char *done)
{
    if (rc == MC_OK && item)
        rc = back_to_mine(r, item, done);
    else if (rc == MC_OK)
        rc = mine_page(r, cohort, problem, refused, mc_http_status(refused->code));
    cJSON_Delete(item);
    return rc;
}

enum mc_err web_mine_problem_create(struct request *r)
{
    struct mine_refusal refused = {0};
    cJSON *body = form_body(r, problem_fields, N_PROBLEM_FIELDS, true);
    if (body && !cJSON_AddTrueToObject(body, "submit")) {
        cJSON_Delete(body);
        body = NULL;
    }
    cJSON *item = NULL;
    enum mc_err rc = write_as_api(r, body, problems_create, "problem", problem_fields,
                                  N_PROBLEM_FIELDS, &refused, &item);
    return form_answer(r, rc, item, &refused, request_param(r, "id"), NULL, "problem");
}

enum mc_err web_mine_problem_update(struct request *r)
{
    struct mine_refusal refused = {0};
    cJSON *body = form_body(r, problem_fields, N_PROBLEM_FIELDS, true);
    if (body && !cJSON_AddStringToObject(body, "status", "submitted")) {
        cJSON_Delete(body);
        body = NULL;
    }
    cJSON *item = NULL;
    enum mc_err rc = write_as_api(r, body, problems_update, "problem", problem_fields,
                                  N_PROBLEM_FIELDS, &refused, &item);
    if (r->cohort_role == ROLE_LEARNER)
        return form_answer(r, rc, item, &refused, NULL, request_param(r, "id"), "problem");
    /* a coordinator revising for a learner: their page of the learner, or the refusal */
    if (rc == MC_OK && !item)
        rc = request_fail(r, refused.code, refused.field, "%s", refused.message);
    if (rc == MC_OK) {
        char path[MC_MAX_URL + 1];
        mc_format_cut(path, sizeof path, "/app/cohorts/%s/learners/%s", web_str(item, "cohort"),
                      web_str(cJSON_GetObjectItemCaseSensitive(item, "learner"), "id"));
        rc = web_redirect(r, path);
    }
    cJSON_Delete(item);
    return rc;
}

enum mc_err web_mine_evidence_create(struct request *r)
{
    struct mine_refusal refused = {0};
    cJSON *item = NULL;
    enum mc_err rc =
        write_as_api(r, form_body(r, evidence_fields, N_EVIDENCE_FIELDS, false), evidence_create,
                     "evidence", evidence_fields, N_EVIDENCE_FIELDS, &refused, &item);
    return form_answer(r, rc, item, &refused, request_param(r, "id"), NULL, "evidence");
}
