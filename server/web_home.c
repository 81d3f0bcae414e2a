/*
 * web_home.c — GET /app: where a signed-in person starts.  What it shows
 * follows what they are: the organisation's cohorts with their progress
 * for coordinators, admins and leaders; the learners they coach; the
 * cohorts they learn in.  One statement (mcred.web_home).
 */
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "request.h"
#include "web.h"
#include "web_pages.h"

#include "mcred/banned.h"

enum mc_err web_json_query(struct request *r, struct db_stmt *stmt, int nparams,
                           const char *const *params, cJSON **out)
{
    *out = NULL;
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, stmt, nparams, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
        *out = cJSON_Parse(PQgetvalue(res, 0, 0));
        if (!*out)
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    PQclear(res);
    return rc;
}

const char *web_str(const cJSON *obj, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
    return s ? s : "";
}

long web_long(const cJSON *obj, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(n) ? (long)n->valuedouble : 0;
}

static void cohort_link(struct html *h, const char *id, const char *suffix, const char *text)
{
    html_raw(h, "<a href=\"/app/cohorts/");
    html_url_part(h, id);
    html_raw(h, suffix);
    html_raw(h, "\">");
    html_text(h, text);
    html_raw(h, "</a>");
}

static void cohorts_section(struct html *h, const cJSON *cohorts)
{
    html_raw(h, "<h2 id=\"cohorts\">Cohorts</h2>");
    if (cJSON_GetArraySize(cohorts) == 0) {
        html_raw(h, "<p>The organisation has no cohorts yet.</p>");
        return;
    }
    html_raw(h, "<div class=\"table-wrap\"><table aria-labelledby=\"cohorts\"><thead><tr>"
                "<th scope=\"col\">Cohort</th><th scope=\"col\">State</th>"
                "<th scope=\"col\">Dates</th><th scope=\"col\" class=\"n\">Learners</th>"
                "<th scope=\"col\" class=\"n\">Eligible</th>"
                "<th scope=\"col\" class=\"n\">Awarded</th></tr></thead><tbody>");
    const cJSON *c;
    cJSON_ArrayForEach(c, cohorts)
    {
        html_raw(h, "<tr><th scope=\"row\">");
        cohort_link(h, web_str(c, "id"), "", web_str(c, "name"));
        html_raw(h, "</th>");
        html_tag(h, "td", web_str(c, "status"));
        html_raw(h, "<td>");
        html_text(h, web_str(c, "starts_on"));
        html_raw(h, " to ");
        html_text(h, web_str(c, "ends_on"));
        html_rawf(h,
                  "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
                  "</tr>",
                  web_long(c, "learners"), web_long(c, "eligible"), web_long(c, "awarded"));
    }
    html_raw(h, "</tbody></table></div>");
}

static void coaching_section(struct html *h, const cJSON *rows)
{
    html_raw(h, "<h2 id=\"coaching\">Your learners</h2><div class=\"table-wrap\">"
                "<table aria-labelledby=\"coaching\"><thead><tr><th scope=\"col\">Learner</th>"
                "<th scope=\"col\">Cohort</th><th scope=\"col\">Scoring sheet</th>"
                "<th scope=\"col\">Problem of practice</th></tr></thead><tbody>");
    const cJSON *row;
    cJSON_ArrayForEach(row, rows)
    {
        char sheet[256], problem[256];
        snprintf(sheet, sizeof sheet, "/learners/%s/sheet", web_str(row, "learner_id"));
        snprintf(problem, sizeof problem, "/learners/%s/problem", web_str(row, "learner_id"));
        html_raw(h, "<tr><th scope=\"row\">");
        html_text(h, web_str(row, "learner_name"));
        html_raw(h, "</th>");
        html_tag(h, "td", web_str(row, "cohort_name"));
        html_raw(h, "<td>");
        cohort_link(h, web_str(row, "cohort_id"), sheet, "Score");
        html_raw(h, "<span class=\"visually-hidden\"> ");
        html_text(h, web_str(row, "learner_name"));
        html_raw(h, "</span></td><td>");
        cohort_link(h, web_str(row, "cohort_id"), problem, "Review");
        html_raw(h, "<span class=\"visually-hidden\"> ");
        html_text(h, web_str(row, "learner_name"));
        html_raw(h, "</span></td></tr>");
    }
    html_raw(h, "</tbody></table></div>");
}

static void learning_section(struct html *h, const cJSON *rows)
{
    html_raw(h, "<h2>Your credentials</h2><ul>");
    const cJSON *row;
    cJSON_ArrayForEach(row, rows)
    {
        html_raw(h, "<li>");
        cohort_link(h, web_str(row, "cohort_id"), "/me", web_str(row, "cohort_name"));
        html_raw(h, ": your status, your scores and your problem of practice</li>");
    }
    html_raw(h, "</ul>");
}

DB_STMT(db_web_home, "SELECT mcred.web_home($1)::text");

enum mc_err web_home(struct request *r)
{
    const char *params[] = {r->auth.org_role};
    cJSON *home = NULL;
    enum mc_err rc = web_json_query(r, &db_web_home, 1, params, &home);
    if (rc != MC_OK)
        return rc;
    const cJSON *cohorts = cJSON_GetObjectItemCaseSensitive(home, "cohorts");
    const cJSON *coaching = cJSON_GetObjectItemCaseSensitive(home, "coaching");
    const cJSON *learning = cJSON_GetObjectItemCaseSensitive(home, "learning");
    bool reads = strcmp(r->auth.org_role, "none") != 0;
    struct html h;
    html_init(&h, WEB_PAGE_MAX);
    web_page_begin(r, &h, "Home");
    html_raw(&h, "<h1>Hello, ");
    html_text(&h, r->auth.name);
    html_raw(&h, "</h1>");
    if (reads)
        cohorts_section(&h, cohorts);
    if (cJSON_GetArraySize(coaching) > 0)
        coaching_section(&h, coaching);
    if (cJSON_GetArraySize(learning) > 0)
        learning_section(&h, learning);
    if (!reads && cJSON_GetArraySize(coaching) == 0 && cJSON_GetArraySize(learning) == 0)
        html_raw(&h, "<p>You are not enrolled in any cohort yet. Your coordinator enrols you; "
                     "your cohorts will appear here.</p>");
    web_page_end(r, &h);
    cJSON_Delete(home);
    return web_reply(r, &h, 200);
}
