/*
 * evidence.c — /v1/cohorts/{id}/evidence: what a learner gathered while
 * working on their problem of practice — a link or a text — optionally
 * tied to an indicator, so that coaches can rest scores on it.
 *
 * Evidence can be corrected (PATCH /v1/evidence/{id}) and removed
 * (DELETE) by the learner it belongs to, their coach or a coordinator;
 * the audit trail keeps each version (before and after).  Evidence that
 * a score cites is never removed: scores are append-only, and the
 * history must still show what a level rested on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assessment.h"
#include "cohorts.h"
#include "journal.h"
#include "mcred/json.h"
#include "members.h"
#include "paging.h"
#include "request.h"
#include "router.h"

#include "mcred/banned.h"

#define MC_MAX_URL_LEN       2000
#define MC_MAX_EVIDENCE_TEXT 10000

/* An absolute http or https URL with a host, and no spaces or control characters. */
static bool url_valid(const char *u)
{
    size_t skip = strncasecmp(u, "https://", 8) == 0  ? 8
                  : strncasecmp(u, "http://", 7) == 0 ? 7
                                                      : 0;
    if (!skip || !u[skip] || u[skip] == '/' || u[skip] == ':')
        return false;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= ' ' || *p == 0x7F)
            return false;
    return true;
}

DB_STMT(db_evidence_indicator,
        "SELECT 1 FROM mcred.cohorts c JOIN mcred.indicators i ON i.org_id = c.org_id"
        " AND i.credential_id = c.credential_id"
        " WHERE c.org_id = $1::uuid AND c.id = $2::uuid AND i.code = $3");
DB_STMT(db_evidence_insert,
        "INSERT INTO mcred.evidence (org_id, cohort_id, learner_id, indicator, title, url, body,"
        " submitted_by) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8::uuid)"
        " RETURNING id");
DB_STMT(db_evidence_item, "SELECT item::text AS item FROM mcred.evidence_items"
                          " WHERE org_id = $1::uuid AND id = $2::uuid");

static enum mc_err check_indicator(struct request *r, const char *cohort, const char *code)
{
    const char *params[] = {r->auth.org_id, cohort, code};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_evidence_indicator, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool found = PQntuples(res) == 1;
    PQclear(res);
    return found ? MC_OK
                 : request_fail(r, MC_ERR_INVALID, "indicator",
                                "%s is not an indicator of this cohort's credential", code);
}

enum mc_err evidence_create(struct request *r)
{
    static const char *const keys[] = {"learner", "title", "url", "text", "indicator", NULL};
    const char *cohort_id = request_param(r, "id");
    const char *who = NULL, *title = NULL, *url = NULL, *text = NULL, *indicator = NULL;
    struct cohort_info cohort;
    char learner[40];
    enum mc_err rc = cohort_lock(r, cohort_id, COHORT_WRITE, &cohort);
    if (rc == MC_OK)
        rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "learner", false, MC_MAX_EMAIL, &who, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "title", true, MC_MAX_NAME, &title, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "url", false, MC_MAX_URL_LEN, &url, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "text", false, MC_MAX_EVIDENCE_TEXT, &text, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "indicator", false, 16, &indicator, &r->err);
    if (rc != MC_OK)
        return rc;
    if (!url && !(text && *text))
        return request_fail(r, MC_ERR_INVALID, "url",
                            "give a link to the evidence (url) or write it out (text)");
    if (url && !url_valid(url))
        return request_fail(r, MC_ERR_INVALID, "url", "url must be an http:// or https:// address");
    rc = members_learner_for(r, cohort_id, who, "learner", true, learner);
    if (rc == MC_OK && indicator)
        rc = check_indicator(r, cohort_id, indicator);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id, cohort_id, learner, indicator,
                            title,          url,       text,    r->auth.person_id};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_evidence_insert, 8, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    char id[40];
    snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    const char *iparams[] = {r->auth.org_id, id};
    rc = db_exec(r->db, &db_evidence_item, 2, iparams, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    cJSON *item = page_item(res, 0);
    PQclear(res);
    cJSON *data = cJSON_CreateObject();
    if (!item || !data || !cJSON_AddStringToObject(data, "cohort", cohort_id) ||
        !cJSON_AddStringToObject(data, "evidence", id) ||
        !cJSON_AddStringToObject(data, "learner", learner) ||
        !mc_json_add_string_or_null(data, "indicator", indicator) ||
        !cJSON_AddStringToObject(data, "title", title)) {
        cJSON_Delete(item);
        cJSON_Delete(data);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor, "evidence.submit", "evidence", id, NULL, item,
                       "evidence.submitted", data, NULL, &r->err);
    cJSON_Delete(data);
    if (rc != MC_OK) {
        cJSON_Delete(item);
        return rc;
    }
    return request_reply(r, 201, item);
}

DB_STMT_REPLAN(
    db_evidence_list,
    "SELECT item::text AS item, sort_key FROM mcred.evidence_items"
    " WHERE org_id = $1::uuid AND cohort_id = $2::uuid"
    " AND ($3::text IS NULL OR sort_key < $3 COLLATE \"C\")"
    " AND ($4::uuid IS NULL OR learner_id = $4::uuid) AND ($5::text IS NULL OR indicator = $5)"
    " AND ($6::uuid IS NULL OR learner_id IN (SELECT mcred.coached_by($1::uuid, $2::uuid,"
    " $6::uuid)))"
    " ORDER BY sort_key DESC LIMIT $7::integer");

enum mc_err evidence_list(struct request *r)
{
    const char *cohort_id = request_param(r, "id");
    const char *learner_q = request_query(r, "learner");
    struct cohort_info cohort;
    struct page page;
    char learner[40] = "";
    enum mc_err rc = page_parse(r, &page);
    if (rc == MC_OK)
        rc = cohort_lock(r, cohort_id, COHORT_READ, &cohort);
    if (rc == MC_OK && (learner_q || r->cohort_role == ROLE_LEARNER))
        rc = members_learner_for(r, cohort_id, learner_q, "learner", false, learner);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id,
                            cohort_id,
                            page_after_param(&page),
                            *learner ? learner : NULL,
                            request_query(r, "indicator"),
                            r->cohort_role == ROLE_COACH ? r->auth.person_id : NULL,
                            page.limit_plus_one};
    return page_reply_query(r, &page, &db_evidence_list, 7, params);
}

/* ---- PATCH and DELETE /v1/evidence/{id} ---- */

/* The evidence as it is, locked for the change, and how many scores cite it. */
DB_STMT(db_evidence_current,
        "SELECT e.cohort_id, e.learner_id, e.title, e.url, e.body, e.indicator,"
        " i.item::text AS item,"
        " (SELECT count(*) FROM mcred.scores s"
        "  WHERE s.org_id = e.org_id AND s.evidence_id = e.id) AS cited,"
        " (SELECT string_agg(DISTINCT s.indicator, ', ') FROM mcred.scores s"
        "  WHERE s.org_id = e.org_id AND s.evidence_id = e.id) AS cited_on"
        " FROM mcred.evidence e JOIN mcred.evidence_items i ON i.org_id = e.org_id AND i.id = e.id"
        " WHERE e.org_id = $1::uuid AND e.id = $2::uuid FOR UPDATE OF e");

struct evidence_row {
    PGresult *res;
    const char *cohort, *learner, *title, *url, *text, *indicator;
    cJSON *item; /* as the API shows it */
    long cited;
};

static void evidence_row_release(struct evidence_row *e)
{
    PQclear(e->res);
    cJSON_Delete(e->item);
}

/*
 * Load the evidence and check that the caller may change it: the learner
 * whose it is, their coach, or a coordinator.
 */
static enum mc_err evidence_load(struct request *r, const char *id, struct evidence_row *e)
{
    const char *params[] = {r->auth.org_id, id};
    char learner[40];
    memset(e, 0, sizeof *e);
    enum mc_err rc =
        db_exec(r->db, &db_evidence_current, 2, params, PGRES_TUPLES_OK, &e->res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(e->res) != 1)
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "no evidence %s", id);
    e->cohort = db_get(e->res, 0, "cohort_id");
    e->learner = db_get(e->res, 0, "learner_id");
    e->title = db_get(e->res, 0, "title");
    e->url = db_get(e->res, 0, "url");
    e->text = db_get(e->res, 0, "body");
    e->indicator = db_get(e->res, 0, "indicator");
    e->cited = strtol(db_get(e->res, 0, "cited"), NULL, 10);
    e->item = page_item(e->res, 0);
    if (!e->item)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    /* a learner's own, a coach's learner's, or any learner's for a coordinator */
    return members_learner_for(r, e->cohort, e->learner, NULL, false, learner);
}

static enum mc_err evidence_journal(struct request *r, const char *id, const struct evidence_row *e,
                                    const char *action, const char *event_type, cJSON *after,
                                    const char *title, const char *indicator)
{
    cJSON *data = cJSON_CreateObject();
    if (!data || !cJSON_AddStringToObject(data, "cohort", e->cohort) ||
        !cJSON_AddStringToObject(data, "evidence", id) ||
        !cJSON_AddStringToObject(data, "learner", e->learner) ||
        !mc_json_add_string_or_null(data, "indicator", indicator) ||
        !cJSON_AddStringToObject(data, "title", title)) {
        cJSON_Delete(data);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    struct actor actor = journal_actor(r);
    enum mc_err rc = journal_write(r->db, r->auth.org_id, &actor, action, "evidence", id, e->item,
                                   after, event_type, data, NULL, &r->err);
    cJSON_Delete(data);
    return rc;
}

DB_STMT(db_evidence_update,
        "UPDATE mcred.evidence SET title = $3, url = $4, body = $5, indicator = $6,"
        " updated_at = now() WHERE org_id = $1::uuid AND id = $2::uuid");

enum mc_err evidence_update(struct request *r)
{
    static const char *const keys[] = {"title", "url", "text", "indicator", NULL};
    const char *id = request_param(r, "id");
    const char *title = NULL, *url = NULL, *text = NULL, *indicator = NULL;
    struct evidence_row e;
    cJSON *after = NULL;
    enum mc_err rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc == MC_OK && cJSON_GetArraySize(r->json) == 0)
        rc = request_fail(r, MC_ERR_INVALID, NULL,
                          "nothing to change: give title, url, text or indicator");
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "title", false, MC_MAX_NAME, &title, &r->err);
    if (rc == MC_OK && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r->json, "title")))
        rc = request_fail(r, MC_ERR_INVALID, "title", "title cannot be removed, only changed");
    if (rc == MC_OK && title && !*title)
        rc = request_fail(r, MC_ERR_INVALID, "title", "title cannot be empty");
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "url", false, MC_MAX_URL_LEN, &url, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "text", false, MC_MAX_EVIDENCE_TEXT, &text, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "indicator", false, 16, &indicator, &r->err);
    if (rc == MC_OK && url && !url_valid(url))
        rc = request_fail(r, MC_ERR_INVALID, "url", "url must be an http:// or https:// address");
    if (rc != MC_OK)
        return rc;
    rc = evidence_load(r, id, &e);
    if (rc != MC_OK)
        goto out;
    /* what the request leaves out stays; null removes url, text or indicator */
    if (!title)
        title = e.title;
    if (!url && !cJSON_HasObjectItem(r->json, "url"))
        url = e.url;
    if (!text && !cJSON_HasObjectItem(r->json, "text"))
        text = e.text;
    if (text && !*text)
        text = NULL;
    if (!indicator && !cJSON_HasObjectItem(r->json, "indicator"))
        indicator = e.indicator;
    else if (indicator)
        rc = check_indicator(r, e.cohort, indicator);
    if (rc == MC_OK && !url && !text)
        rc = request_fail(r, MC_ERR_INVALID, cJSON_HasObjectItem(r->json, "url") ? "url" : "text",
                          "evidence needs a link (url) or a written text (text); this change would "
                          "leave neither");
    const char *params[] = {r->auth.org_id, id, title, url, text, indicator};
    if (rc == MC_OK)
        rc = db_exec(r->db, &db_evidence_update, 6, params, PGRES_COMMAND_OK, NULL, &r->err);
    const char *iparams[] = {r->auth.org_id, id};
    PGresult *res = NULL;
    if (rc == MC_OK)
        rc = db_exec(r->db, &db_evidence_item, 2, iparams, PGRES_TUPLES_OK, &res, &r->err);
    if (rc == MC_OK && !(after = page_item(res, 0)))
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    PQclear(res);
    if (rc == MC_OK)
        rc = evidence_journal(r, id, &e, "evidence.update", "evidence.updated", after, title,
                              indicator);
    if (rc == MC_OK) {
        rc = request_reply(r, 200, after);
        after = NULL;
    }
out:
    cJSON_Delete(after);
    evidence_row_release(&e);
    return rc;
}

DB_STMT(db_evidence_delete, "DELETE FROM mcred.evidence WHERE org_id = $1::uuid AND id = $2::uuid");

enum mc_err evidence_remove(struct request *r)
{
    const char *id = request_param(r, "id");
    struct evidence_row e;
    enum mc_err rc = evidence_load(r, id, &e);
    if (rc == MC_OK && e.cited > 0)
        rc = request_fail(r, MC_ERR_CONFLICT, NULL,
                          "evidence \"%s\" cannot be removed: %ld score%s on %s cite%s it; "
                          "correct it instead",
                          e.title, e.cited, e.cited == 1 ? "" : "s", db_get(e.res, 0, "cited_on"),
                          e.cited == 1 ? "s" : "");
    const char *params[] = {r->auth.org_id, id};
    if (rc == MC_OK)
        rc = db_exec(r->db, &db_evidence_delete, 2, params, PGRES_COMMAND_OK, NULL, &r->err);
    if (rc == MC_OK)
        rc = evidence_journal(r, id, &e, "evidence.remove", "evidence.removed", NULL, e.title,
                              e.indicator);
    if (rc == MC_OK) {
        rc = request_reply(r, 200, e.item);
        e.item = NULL;
    }
    evidence_row_release(&e);
    return rc;
}
