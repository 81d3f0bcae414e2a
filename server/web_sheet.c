/*
 * web_sheet.c — a learner's scoring sheet: GET and POST
 * /app/cohorts/{id}/learners/{person}/sheet.
 *
 * The page is read in one statement (mcred.web_sheet, migration 0025):
 * every indicator of every standard of the cohort's credential with the
 * rubric's levels and their descriptors, the current level and its
 * history, and the evidence linked to it.  Who sees it follows the scores
 * API; the form is there only for whom may score (an admin, a
 * coordinator, the learner's coach) in an open cohort.
 *
 * The form records every indicator that has a level chosen, in one
 * request, through the API's own write (mcred.scores_post, as POST
 * /v1/cohorts/{id}/scores with a list): the same rules, the same
 * score.recorded events and audit rows.  A refusal that leaves nothing
 * written (a level out of the rubric, a closed cohort) shows the sheet
 * again with what was chosen and the problem beside its indicator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "assessment.h"
#include "learner_access.h"
#include "request.h"
#include "web.h"
#include "web_pages.h"

#include "mcred/banned.h"

#define SHEET_MAX_PROBLEMS 64
#define SHEET_CODE_MAX     16 /* an indicator's code, as the scores API takes it */

/* A problem of the posted sheet, beside its indicator ("" for the sheet's own). */
struct sheet_problem {
    char code[SHEET_CODE_MAX + 1];
    char message[MC_MAX_ERR_MESSAGE];
};

struct sheet_problems {
    struct sheet_problem items[SHEET_MAX_PROBLEMS];
    size_t count;
};

static void problem_note(struct sheet_problems *p, const char *code, const char *message)
{
    if (p->count == SHEET_MAX_PROBLEMS)
        return;
    struct sheet_problem *e = &p->items[p->count++];
    mc_format_cut(e->code, sizeof e->code, "%s", code ? code : "");
    mc_format_cut(e->message, sizeof e->message, "%s", message ? message : "");
}

/* ---- shared by the coaches' pages (web_pages.h) ---- */

enum mc_err web_learner_refused(struct request *r, const cJSON *doc)
{
    return learner_access_refused(r, web_str(doc, "outcome"), web_str(doc, "message"), NULL);
}

void web_text_lines(struct html *h, const char *text)
{
    /* textareas keep their lines; the page shows them as lines too */
    const char *line = text;
    for (const char *nl = strchr(line, '\n'); nl; nl = strchr(line, '\n')) {
        size_t len = (size_t)(nl - line);
        html_textn(h, line, len > 0 && line[len - 1] == '\r' ? len - 1 : len);
        html_raw(h, "<br>");
        line = nl + 1;
    }
    html_text(h, line);
}

void web_learner_path(struct html *h, const cJSON *doc, const char *suffix)
{
    html_raw(h, "/app/cohorts/");
    html_url_part(h, web_str(cJSON_GetObjectItemCaseSensitive(doc, "cohort"), "id"));
    html_raw(h, "/learners/");
    html_url_part(h, web_str(cJSON_GetObjectItemCaseSensitive(doc, "learner"), "id"));
    html_raw(h, suffix);
}

const char *web_person_words(const cJSON *person)
{
    const char *name = web_str(person, "name");
    return *name ? name : web_str(person, "email");
}

/* ---- the page ---- */

/* Only http(s) addresses become links; anything else is shown as text. */
static bool link_safe(const char *url)
{
    return strncasecmp(url, "https://", 8) == 0 || strncasecmp(url, "http://", 7) == 0;
}

static void evidence_item(struct html *h, const cJSON *e)
{
    const char *url = web_str(e, "url"), *text = web_str(e, "text");
    html_raw(h, "<li>");
    if (*url && link_safe(url)) {
        html_raw(h, "<a href=\"");
        html_text(h, url);
        html_raw(h, "\">");
        html_text(h, web_str(e, "title"));
        html_raw(h, "</a>");
    } else {
        html_text(h, web_str(e, "title"));
        if (*url) {
            html_raw(h, " (");
            html_text(h, url);
            html_raw(h, ")");
        }
    }
    if (*web_str(e, "indicator")) {
        html_raw(h, " <span class=\"muted\">for ");
        html_text(h, web_str(e, "indicator"));
        html_raw(h, "</span>");
    }
    html_raw(h, " <span class=\"muted\">added ");
    html_text(h, web_str(e, "submitted_at"));
    html_raw(h, "</span>");
    if (*text) {
        html_raw(h, "<br>");
        web_text_lines(h, text);
    }
    html_raw(h, "</li>");
}

static void sheet_evidence(struct html *h, const cJSON *list)
{
    html_raw(h, "<p><strong>Evidence</strong></p>");
    if (cJSON_GetArraySize(list) == 0) {
        html_raw(h, "<p class=\"muted\">No evidence linked to this indicator.</p>");
        return;
    }
    html_raw(h, "<ul>");
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        evidence_item(h, e);
    }
    html_raw(h, "</ul>");
}

/* The rubric's descriptor of a level, or "". */
static const char *level_label(const cJSON *rubric, long level)
{
    const cJSON *l;
    cJSON_ArrayForEach(l, rubric)
    {
        if (web_long(l, "level") == level)
            return web_str(l, "label");
    }
    return "";
}

static void current_level(struct html *h, const cJSON *sheet, const cJSON *history)
{
    const cJSON *now = cJSON_GetArrayItem(history, 0);
    if (!now) {
        html_raw(h, "<p>Current level: <strong>not scored yet</strong></p>");
        return;
    }
    long level = web_long(now, "level"), min = web_long(sheet, "min_level");
    html_rawf(h, "<p>Current level: <strong>%ld ", level);
    html_text(h, level_label(cJSON_GetObjectItemCaseSensitive(sheet, "rubric"), level));
    html_rawf(h, "</strong> — <span class=\"%s\">%s the threshold of %ld</span></p>",
              level >= min ? "met" : "missing", level >= min ? "meets" : "below", min);
}

static void history_table(struct html *h, const cJSON *sheet, const char *code,
                          const cJSON *history)
{
    if (cJSON_GetArraySize(history) == 0)
        return;
    const cJSON *rubric = cJSON_GetObjectItemCaseSensitive(sheet, "rubric");
    html_raw(h, "<div class=\"table-wrap\"><table><caption>History of ");
    html_text(h, code);
    html_raw(h, ", newest first</caption><thead><tr><th scope=\"col\">Level</th>"
                "<th scope=\"col\">Coach</th><th scope=\"col\">When</th>"
                "<th scope=\"col\">Feedback</th></tr></thead><tbody>");
    const cJSON *s;
    cJSON_ArrayForEach(s, history)
    {
        html_rawf(h, "<tr><td>%ld ", web_long(s, "level"));
        html_text(h, level_label(rubric, web_long(s, "level")));
        html_raw(h, "</td>");
        html_tag(h, "td", web_str(s, "coach"));
        html_tag(h, "td", web_str(s, "scored_at"));
        html_raw(h, "<td>");
        web_text_lines(h, web_str(s, "feedback"));
        html_raw(h, "</td></tr>");
    }
    html_raw(h, "</tbody></table></div>");
}

/* The problems noted for one indicator's code, each in words. */
static void problems_for(struct html *h, const struct sheet_problems *p, const char *code)
{
    for (size_t i = 0; p && i < p->count; i++) {
        if (strcmp(p->items[i].code, code) != 0)
            continue;
        html_raw(h, "<p class=\"error\">");
        html_text(h, p->items[i].message);
        html_raw(h, "</p>");
    }
}

/* One radio per level of the rubric, the one chosen before kept chosen. */
static void level_radios(struct request *r, struct html *h, const cJSON *rubric, size_t n,
                         const char *code)
{
    char name[SHEET_CODE_MAX + 8];
    snprintf(name, sizeof name, "level.%s", code);
    const char *chosen = web_form(r, name);
    const cJSON *l;
    cJSON_ArrayForEach(l, rubric)
    {
        long level = web_long(l, "level");
        char value[24];
        snprintf(value, sizeof value, "%ld", level);
        html_rawf(h, "<div><input type=\"radio\" id=\"l-%zu-%ld\" name=\"", n, level);
        html_text(h, name);
        html_rawf(h, "\" value=\"%ld\"%s> <label for=\"l-%zu-%ld\">%ld ", level,
                  chosen && strcmp(chosen, value) == 0 ? " checked" : "", n, level, level);
        html_text(h, web_str(l, "label"));
        html_raw(h, "</label></div>");
    }
}

static void feedback_field(struct request *r, struct html *h, size_t n, const char *code)
{
    char name[SHEET_CODE_MAX + 12];
    snprintf(name, sizeof name, "feedback.%s", code);
    html_rawf(h,
              "<div class=\"field\"><label for=\"f-%zu\">Feedback</label>"
              "<textarea id=\"f-%zu\" name=\"",
              n, n);
    html_text(h, name);
    html_rawf(h, "\" maxlength=\"%d\">", MC_MAX_FEEDBACK);
    html_text(h, web_form(r, name));
    html_raw(h, "</textarea></div>");
}

/* One indicator: a fieldset of the form, or a section of the page when there is no form. */
static void indicator_block(struct request *r, struct html *h, const cJSON *sheet,
                            const cJSON *standard, const cJSON *ind, size_t n, bool form,
                            const struct sheet_problems *problems)
{
    const char *code = web_str(ind, "code");
    const cJSON *history = cJSON_GetObjectItemCaseSensitive(ind, "history");
    html_raw(h, form ? "<fieldset><legend>" : "<h3>");
    html_raw(h, "Standard ");
    html_text(h, web_str(standard, "code"));
    html_raw(h, " (");
    html_text(h, web_str(standard, "title"));
    html_raw(h, ") — indicator ");
    html_text(h, code);
    html_raw(h, ": ");
    html_text(h, web_str(ind, "text"));
    html_raw(h, form ? "</legend>" : "</h3><div>");
    problems_for(h, problems, code);
    current_level(h, sheet, history);
    if (form) {
        level_radios(r, h, cJSON_GetObjectItemCaseSensitive(sheet, "rubric"), n, code);
        feedback_field(r, h, n, code);
    }
    history_table(h, sheet, code, history);
    sheet_evidence(h, cJSON_GetObjectItemCaseSensitive(ind, "evidence"));
    html_raw(h, form ? "</fieldset>" : "</div>");
}

static void standards_blocks(struct request *r, struct html *h, const cJSON *sheet, bool form,
                             const struct sheet_problems *problems)
{
    size_t n = 0;
    const cJSON *s, *ind;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(sheet, "standards"))
    {
        html_raw(h, "<h2>Standard ");
        html_text(h, web_str(s, "code"));
        html_raw(h, ": ");
        html_text(h, web_str(s, "title"));
        html_raw(h, "</h2>");
        cJSON_ArrayForEach(ind, cJSON_GetObjectItemCaseSensitive(s, "indicators"))
        {
            indicator_block(r, h, sheet, s, ind, n++, form, problems);
        }
    }
}

/* What the page says above the sheet: a notice after saving, or the problems of a refusal. */
static void sheet_messages(struct request *r, struct html *h, const struct sheet_problems *problems)
{
    const char *saved = request_query(r, "saved");
    char *end = NULL;
    long n = saved ? strtol(saved, &end, 10) : 0;
    if (!problems && saved && end && *end == '\0' && n > 0 && n <= 1000)
        html_rawf(h, "<p class=\"notice\" role=\"status\">Saved %ld score%s.</p>", n,
                  n == 1 ? "" : "s");
    if (!problems || problems->count == 0)
        return;
    html_raw(h, "<div class=\"error\" role=\"alert\"><p><strong>Nothing was saved.</strong> ");
    html_raw(h, problems->count == 1 ? "Correct this and save again:"
                                     : "Correct these and save again:");
    html_raw(h, "</p><ul>");
    for (size_t i = 0; i < problems->count; i++) {
        html_raw(h, "<li>");
        if (problems->items[i].code[0]) {
            html_raw(h, "Indicator ");
            html_text(h, problems->items[i].code);
            html_raw(h, ": ");
        }
        html_text(h, problems->items[i].message);
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul></div>");
}

static void other_evidence(struct html *h, const cJSON *sheet)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(sheet, "other_evidence");
    if (cJSON_GetArraySize(list) == 0)
        return;
    html_raw(h, "<h2>Other evidence</h2><p>Evidence linked to no indicator of this "
                "credential.</p><ul>");
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        evidence_item(h, e);
    }
    html_raw(h, "</ul>");
}

static void sheet_intro(struct html *h, const cJSON *sheet, bool form)
{
    const cJSON *cohort = cJSON_GetObjectItemCaseSensitive(sheet, "cohort");
    const cJSON *learner = cJSON_GetObjectItemCaseSensitive(sheet, "learner");
    html_raw(h, "<p>Cohort ");
    html_text(h, web_str(cohort, "name"));
    html_raw(h, " · learner ");
    html_text(h, web_str(learner, "email"));
    html_raw(h, " (");
    html_text(h, web_str(learner, "status"));
    html_raw(h, ") · <a href=\"");
    web_learner_path(h, sheet, "");
    html_raw(h, "\">Learner's progress</a> · <a href=\"");
    web_learner_path(h, sheet, "/problem");
    html_raw(h, "\">Problem of practice</a></p>");
    if (form)
        html_raw(h, "<p>Choose a level for each indicator you score now, with feedback; "
                    "indicators left without a level keep their current one. "
                    "<strong>Save scores</strong> records them all at once.</p>");
    else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sheet, "closed")))
        html_raw(h, "<p>The cohort is closed: its scores can no longer change.</p>");
    else
        html_raw(h, "<p>You can read this sheet; scores are recorded by the learner's coach "
                    "or a coordinator.</p>");
}

/* The whole page from mcred.web_sheet's document. */
static enum mc_err sheet_page(struct request *r, const cJSON *sheet,
                              const struct sheet_problems *problems, unsigned status)
{
    const cJSON *learner = cJSON_GetObjectItemCaseSensitive(sheet, "learner");
    bool form = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sheet, "writes"));
    char title[MC_MAX_NAME + 32];
    mc_format_cut(title, sizeof title, "Scoring sheet: %s", web_person_words(learner));
    struct html h;
    html_init(&h, WEB_PAGE_MAX);
    web_page_begin(r, &h, title);
    html_raw(&h, "<h1>Scoring sheet: ");
    html_text(&h, web_person_words(learner));
    html_raw(&h, "</h1>");
    sheet_intro(&h, sheet, form);
    sheet_messages(r, &h, problems);
    if (form) {
        html_raw(&h, "<form id=\"sheet\" method=\"post\" action=\"");
        web_learner_path(&h, sheet, "/sheet");
        html_raw(&h, "\">");
        web_csrf_field(r, &h);
    }
    standards_blocks(r, &h, sheet, form, problems);
    if (form)
        html_raw(&h, "<p><button type=\"submit\">Save scores</button></p></form>");
    other_evidence(&h, sheet);
    web_page_end(r, &h);
    return web_reply(r, &h, status);
}

DB_STMT(db_web_sheet, "SELECT mcred.web_sheet($1::uuid, $2::uuid)::text");

/* Read the sheet and show it (with the problems of a refused post, if any). */
static enum mc_err sheet_show(struct request *r, const struct sheet_problems *problems,
                              unsigned status)
{
    const char *params[] = {request_param(r, "id"), request_param(r, "person")};
    cJSON *sheet = NULL;
    enum mc_err rc = web_json_query(r, &db_web_sheet, 2, params, &sheet);
    if (rc != MC_OK)
        return rc;
    if (strcmp(web_str(sheet, "outcome"), "ok") != 0)
        rc = web_learner_refused(r, sheet);
    else
        rc = sheet_page(r, sheet, problems, status);
    cJSON_Delete(sheet);
    return rc;
}

enum mc_err web_sheet_show(struct request *r)
{
    return sheet_show(r, NULL, 200);
}

/* ---- recording ---- */

/* A chosen level as mcred.scores_post takes it: a number, or the rubric's words. */
static cJSON *level_value(const char *given)
{
    size_t digits = strspn(given, "0123456789");
    if (digits > 0 && digits <= 4 && given[digits] == '\0')
        return cJSON_CreateNumber((double)strtol(given, NULL, 10));
    return cJSON_CreateString(given);
}

/* One score of the sheet for the learner; false when memory ran out. */
static bool row_add(cJSON *rows, const char *learner, const char *code, const char *level,
                    const char *feedback)
{
    cJSON *row = cJSON_CreateObject();
    if (!cJSON_AddItemToArray(rows, row)) {
        cJSON_Delete(row);
        return false;
    }
    cJSON *value = level_value(level);
    if (!cJSON_AddItemToObject(row, "level", value)) {
        cJSON_Delete(value);
        return false;
    }
    return cJSON_AddStringToObject(row, "learner", learner) &&
           cJSON_AddStringToObject(row, "indicator", code) &&
           (!feedback || cJSON_AddStringToObject(row, "feedback", feedback));
}

/*
 * The posted sheet as the rows of mcred.scores_post: every indicator with
 * a level chosen, its feedback beside it.  What the form itself gets wrong
 * is noted in *problems; NULL when memory ran out.
 */
static cJSON *sheet_rows(struct request *r, struct sheet_problems *problems)
{
    const char *learner = request_param(r, "person");
    cJSON *rows = cJSON_CreateArray();
    for (size_t i = 0; rows && i < r->form.count; i++) {
        const char *name = r->form.fields[i].name, *value = r->form.fields[i].value;
        bool level = strncmp(name, "level.", 6) == 0;
        const char *code = name + (level ? 6 : 9);
        if (!level && (strncmp(name, "feedback.", 9) != 0 || !*value))
            continue;
        char key[SHEET_CODE_MAX + 12];
        if (strlen(code) > SHEET_CODE_MAX || !*code) {
            problem_note(problems, "", "the form names an indicator this sheet does not have");
            continue;
        }
        if (!level) {
            snprintf(key, sizeof key, "level.%s", code);
            if (!web_form(r, key) || !*web_form(r, key))
                problem_note(problems, code, "choose a level to record this feedback with");
            continue;
        }
        if (!*value)
            continue;
        snprintf(key, sizeof key, "feedback.%s", code);
        const char *feedback = web_form(r, key);
        if (feedback && strlen(feedback) > MC_MAX_FEEDBACK) {
            char message[96];
            snprintf(message, sizeof message, "feedback is longer than %d bytes", MC_MAX_FEEDBACK);
            problem_note(problems, code, message);
            continue;
        }
        if (!row_add(rows, learner, code, value, feedback)) {
            cJSON_Delete(rows);
            rows = NULL;
        }
    }
    if (rows && cJSON_GetArraySize(rows) == 0 && problems->count == 0)
        problem_note(problems, "", "choose a level for at least one indicator");
    return rows;
}

/* The problems mcred.scores_post found, each beside its row's indicator; true if one forbids. */
static bool problems_from_db(const cJSON *answer, const cJSON *rows,
                             struct sheet_problems *problems, struct request *r)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(answer, "problems"))
    {
        const cJSON *row = cJSON_GetArrayItem(rows, (int)web_long(e, "idx"));
        if (strcmp(web_str(e, "code"), "forbidden") == 0) {
            (void)request_fail(r, MC_ERR_FORBIDDEN, NULL, "%s", web_str(e, "message"));
            return true;
        }
        /* the learner is the page's own: a problem with them is the page's */
        bool about_row = strcmp(web_str(e, "field"), "learner") != 0;
        problem_note(problems, about_row ? web_str(row, "indicator") : "", web_str(e, "message"));
    }
    return false;
}

DB_STMT(db_web_scores_post, "SELECT mcred.scores_post($1, $2::jsonb, $3, true)::text");

/* Record the rows as POST /v1/cohorts/{id}/scores does, and answer the form. */
static enum mc_err sheet_record(struct request *r, const cJSON *rows,
                                struct sheet_problems *problems)
{
    char *text = cJSON_PrintUnformatted(rows);
    if (!text)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {request_param(r, "id"), text, r->request_id};
    cJSON *answer = NULL;
    enum mc_err rc = web_json_query(r, &db_web_scores_post, 3, params, &answer);
    free(text);
    if (rc != MC_OK)
        return rc;
    const char *outcome = web_str(answer, "outcome");
    if (strcmp(outcome, "created") == 0) {
        char to[MC_MAX_URL + 1];
        snprintf(to, sizeof to, "/app/cohorts/%s/learners/%s/sheet?saved=%d",
                 request_param(r, "id"), request_param(r, "person"),
                 cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(answer, "scores")));
        rc = web_redirect(r, to);
    } else if (strcmp(outcome, "closed") == 0) {
        problem_note(problems, "", "the cohort is closed: its scores can no longer change");
        rc = sheet_show(r, problems, 409);
    } else if (strcmp(outcome, "invalid") == 0) {
        rc = problems_from_db(answer, rows, problems, r) ? r->err.code
                                                         : sheet_show(r, problems, 422);
    } else if (strcmp(outcome, "forbidden") == 0) {
        char refusal[MC_MAX_ERR_MESSAGE];
        (void)route_refusal(r->route,
                            web_str(cJSON_GetObjectItemCaseSensitive(answer, "cohort"), "name"),
                            refusal, sizeof refusal);
        rc = request_fail(r, MC_ERR_FORBIDDEN, NULL, "%s", refusal);
    } else if (strcmp(outcome, "not_found") == 0) {
        rc = request_fail(r, MC_ERR_NOT_FOUND, NULL, "no such cohort");
    } else if (strcmp(outcome, "unauthenticated") == 0) {
        rc = request_fail(r, MC_ERR_UNAUTHENTICATED, NULL, "sign in first");
    } else {
        rc = request_fail(r, MC_ERR_INTERNAL, NULL, "scores were checked, not written");
    }
    cJSON_Delete(answer);
    return rc;
}

enum mc_err web_sheet_save(struct request *r)
{
    struct sheet_problems *problems = calloc(1, sizeof *problems);
    if (!problems)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    cJSON *rows = sheet_rows(r, problems);
    enum mc_err rc;
    if (!rows)
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    else if (problems->count > 0)
        rc = sheet_show(r, problems, 422); /* nothing sent: nothing written */
    else
        rc = sheet_record(r, rows, problems);
    cJSON_Delete(rows);
    free(problems);
    return rc;
}
