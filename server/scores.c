/*
 * scores.c — /v1/cohorts/{id}/scores: a coach scores learners on
 * indicators, one or many in one transaction; scores are append-only and
 * the newest is current (kept in score_current for status).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "cohorts.h"
#include "journal.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "members.h"
#include "paging.h"
#include "request.h"
#include "router.h"
#include "status_db.h"

#include "mcred/banned.h"

#define MC_MAX_SCORES   500
#define MC_MAX_FEEDBACK 4000

DB_STMT(db_score_framework,
        "SELECT jsonb_array_length(cr.rubric) AS levels,"
        " (SELECT json_agg(i.code) FROM mcred.indicators i WHERE i.org_id = c.org_id"
        "  AND i.credential_id = c.credential_id)::text AS codes"
        " FROM mcred.cohorts c JOIN mcred.credentials cr"
        " ON cr.org_id = c.org_id AND cr.id = c.credential_id"
        " WHERE c.org_id = $1::uuid AND c.id = $2::uuid");

struct framework_codes {
    long levels;
    cJSON *codes; /* array of indicator codes */
};

static enum mc_err codes_load(struct request *r, const char *cohort, struct framework_codes *out)
{
    const char *params[] = {r->auth.org_id, cohort};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_score_framework, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    out->levels = strtol(db_get(res, 0, "levels"), NULL, 10);
    const char *codes = db_get(res, 0, "codes");
    out->codes = cJSON_Parse(codes ? codes : "[]");
    PQclear(res);
    return out->codes ? MC_OK : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

static bool code_known(const struct framework_codes *f, const char *code)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, f->codes)
    {
        if (cJSON_IsString(c) && strcmp(c->valuestring, code) == 0)
            return true;
    }
    return false;
}

struct score_item {
    char field[24];
    char learner[40];
    const char *indicator;
    long long level;
    const char *feedback;
    const char *evidence;
};

DB_STMT(db_score_evidence, "SELECT 1 FROM mcred.evidence WHERE org_id = $1::uuid AND id = $2::uuid"
                           " AND cohort_id = $3::uuid AND learner_id = $4::uuid");

static enum mc_err score_read(struct request *r, const char *cohort,
                              const struct framework_codes *f, const cJSON *obj,
                              struct score_item *s)
{
    static const char *const keys[] = {"learner",  "indicator", "level",
                                       "feedback", "evidence",  NULL};
    const char *learner = NULL;
    char field[64];
    s->level = 0;
    enum mc_err rc = mc_json_only_keys(obj, keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(obj, "learner", true, MC_MAX_EMAIL, &learner, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(obj, "indicator", true, 16, &s->indicator, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_int(obj, "level", true, 1, f->levels, &s->level, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(obj, "feedback", false, MC_MAX_FEEDBACK, &s->feedback, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(obj, "evidence", false, 40, &s->evidence, &r->err);
    if (rc != MC_OK) {
        request_field_prefix(r, s->field);
        return rc;
    }
    snprintf(field, sizeof field, "%s%slearner", s->field, *s->field ? "." : "");
    rc = members_learner_for(r, cohort, learner, field, true, s->learner);
    if (rc != MC_OK)
        return rc;
    snprintf(field, sizeof field, "%s%sindicator", s->field, *s->field ? "." : "");
    if (!code_known(f, s->indicator))
        return request_fail(r, MC_ERR_INVALID, field, "%s is not an indicator of this credential",
                            s->indicator);
    if (!s->evidence)
        return MC_OK;
    snprintf(field, sizeof field, "%s%sevidence", s->field, *s->field ? "." : "");
    if (!mc_uuid_valid(s->evidence))
        return request_fail(r, MC_ERR_INVALID, field, "evidence must be an evidence id");
    const char *params[] = {r->auth.org_id, s->evidence, cohort, s->learner};
    PGresult *res = NULL;
    rc = db_exec(r->db, &db_score_evidence, 4, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool found = PQntuples(res) == 1;
    PQclear(res);
    return found ? MC_OK
                 : request_fail(r, MC_ERR_INVALID, field,
                                "evidence %s is not this learner's in this cohort", s->evidence);
}

/* Append the score and make it current, in one statement. */
DB_STMT(
    db_score_insert,
    "WITH s AS ("
    "  INSERT INTO mcred.scores (org_id, cohort_id, learner_id, indicator, level, feedback,"
    "                            evidence_id, coach_id)"
    "  VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::integer, coalesce($6, ''), $7::uuid,"
    "          $8::uuid)"
    "  RETURNING id, org_id, cohort_id, learner_id, indicator, level)"
    " INSERT INTO mcred.score_current (org_id, cohort_id, learner_id, indicator, score_id, level)"
    " SELECT org_id, cohort_id, learner_id, indicator, id, level FROM s"
    " ON CONFLICT (org_id, cohort_id, learner_id, indicator)"
    " DO UPDATE SET score_id = EXCLUDED.score_id, level = EXCLUDED.level"
    " RETURNING score_id");
DB_STMT(db_score_item, "SELECT item::text AS item FROM mcred.score_items"
                       " WHERE org_id = $1::uuid AND id = $2::uuid");

static enum mc_err score_write(struct request *r, const char *cohort, const struct score_item *s,
                               cJSON *out)
{
    char level[24];
    snprintf(level, sizeof level, "%lld", s->level);
    const char *params[] = {r->auth.org_id, cohort,      s->learner,  s->indicator,
                            level,          s->feedback, s->evidence, r->auth.person_id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_score_insert, 8, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    char id[40];
    snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    const char *item_params[] = {r->auth.org_id, id};
    rc = db_exec(r->db, &db_score_item, 2, item_params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    cJSON *item = page_item(res, 0);
    PQclear(res);
    cJSON *data = cJSON_CreateObject();
    if (!item || !data || !cJSON_AddStringToObject(data, "cohort", cohort) ||
        !cJSON_AddStringToObject(data, "score", id) ||
        !cJSON_AddStringToObject(data, "learner", s->learner) ||
        !cJSON_AddStringToObject(data, "indicator", s->indicator) ||
        !cJSON_AddNumberToObject(data, "level", (double)s->level) ||
        !cJSON_AddStringToObject(data, "coach", r->auth.person_id)) {
        cJSON_Delete(item);
        cJSON_Delete(data);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor, "score.record", "score", id, NULL, item,
                       "score.recorded", data, NULL, &r->err);
    cJSON_Delete(data);
    if (rc == MC_OK && !cJSON_AddItemToArray(out, item))
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    else if (rc != MC_OK)
        cJSON_Delete(item);
    return rc;
}

enum mc_err scores_create(struct request *r)
{
    const char *cohort_id = request_param(r, "id");
    struct cohort_info cohort;
    struct framework_codes f = {0};
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r->json, "scores");
    bool one = !list;
    int n = one ? 1 : cJSON_GetArraySize(list);
    enum mc_err rc = cohort_lock(r, cohort_id, true, &cohort);
    if (rc == MC_OK)
        rc = codes_load(r, cohort_id, &f);
    if (rc != MC_OK)
        return rc;
    struct score_item *items = NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *out = cJSON_AddArrayToObject(root, "scores");
    if (!one &&
        (!cJSON_IsArray(list) || n < 1 || n > MC_MAX_SCORES || cJSON_GetArraySize(r->json) != 1)) {
        rc = request_fail(r, MC_ERR_INVALID, "scores",
                          "scores must be a list of 1 to %d scores, and alone in the body",
                          MC_MAX_SCORES);
        goto out;
    }
    items = calloc((size_t)n, sizeof *items);
    if (!items || !out) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    for (int i = 0; rc == MC_OK && i < n; i++) {
        if (!one)
            snprintf(items[i].field, sizeof items[i].field, "scores[%d]", i);
        rc = score_read(r, cohort_id, &f, one ? r->json : cJSON_GetArrayItem(list, i), &items[i]);
    }
    for (int i = 0; rc == MC_OK && i < n; i++)
        rc = score_write(r, cohort_id, &items[i], out);
    /* each learner's status once, after all their scores */
    for (int i = 0; rc == MC_OK && i < n; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(items[j].learner, items[i].learner) == 0;
        if (!seen)
            rc = status_refresh(r, cohort_id, items[i].learner);
    }
    if (rc == MC_OK) {
        rc = request_reply(r, 201, root);
        root = NULL;
    }
out:
    free(items);
    cJSON_Delete(root);
    cJSON_Delete(f.codes);
    return rc;
}

/* Who a coach scores: their learners, or all where no learner has a coach. */
#define SCORES_COACH_FILTER                                                                        \
    " AND ($5::uuid IS NULL OR s.learner_id IN (SELECT mcred.coached_by($1::uuid, $2::uuid,"       \
    " $5::uuid)))"

/* Current scores by learner and indicator; the history newest first. */
DB_STMT_REPLAN(
    db_scores_current,
    "SELECT s.item::text AS item,"
    " (lower(s.item->'learner'->>'email') || ' ' || s.indicator) COLLATE \"C\" AS sort_key"
    " FROM mcred.score_items s JOIN mcred.score_current c"
    " ON c.org_id = s.org_id AND c.score_id = s.id"
    " WHERE s.org_id = $1::uuid AND s.cohort_id = $2::uuid"
    " AND ($3::uuid IS NULL OR s.learner_id = $3::uuid)"
    " AND ($4::text IS NULL OR (lower(s.item->'learner'->>'email') || ' ' || s.indicator)"
    "      COLLATE \"C\" > $4)" SCORES_COACH_FILTER " ORDER BY sort_key LIMIT $6::integer");
DB_STMT_REPLAN(db_scores_history,
               "SELECT s.item::text AS item, lpad(s.seq::text, 20, '0') AS sort_key"
               " FROM mcred.score_items s WHERE s.org_id = $1::uuid AND s.cohort_id = $2::uuid"
               " AND ($3::uuid IS NULL OR s.learner_id = $3::uuid)"
               " AND ($4::text IS NULL OR lpad(s.seq::text, 20, '0') < $4)" SCORES_COACH_FILTER
               " ORDER BY s.seq DESC LIMIT $6::integer");

enum mc_err scores_list(struct request *r)
{
    const char *cohort_id = request_param(r, "id");
    const char *learner_q = request_query(r, "learner");
    const char *history = request_query(r, "history");
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
    bool all = history && (strcmp(history, "true") == 0 || strcmp(history, "1") == 0);
    const char *params[] = {r->auth.org_id,
                            cohort_id,
                            *learner ? learner : NULL,
                            page_after_param(&page),
                            r->cohort_role == ROLE_COACH ? r->auth.person_id : NULL,
                            page.limit_plus_one};
    return page_reply_query(r, &page, all ? &db_scores_history : &db_scores_current, 6, params);
}
