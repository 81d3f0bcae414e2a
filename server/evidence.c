/*
 * evidence.c — /v1/cohorts/{id}/evidence: what a learner gathered while
 * working on their problem of practice — a link or a text — optionally
 * tied to an indicator, so that coaches can rest scores on it.
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
    enum mc_err rc = cohort_lock(r, cohort_id, true, &cohort);
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
        return request_fail(r, MC_ERR_INVALID, "url", "give a url or a text");
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
        rc = cohort_lock(r, cohort_id, false, &cohort);
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
