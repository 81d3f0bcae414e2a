/*
 * problems.c — problems of practice: one per learner per cohort, written
 * by the learner (or for them), submitted, reviewed by a coach or
 * coordinator, revised and submitted again.  Every change is a new
 * version in problem_versions; the row in problems is the current one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "cohorts.h"
#include "journal.h"
#include "learner_access.h"
#include "mcred/json.h"
#include "members.h"
#include "paging.h"
#include "request.h"
#include "router.h"
#include "status_db.h"

#include "mcred/banned.h"

#define MC_MAX_PROBLEM_TEXT 4000

static const char *const text_fields[] = {"statement",  "student_focus", "data_sources",
                                          "root_cause", "strategy",      NULL};

struct problem_input {
    const char *title;
    const char *texts[5];
    char *standards; /* JSON array text, or NULL */
    bool submit;
};

DB_STMT(db_problem_standard_codes,
        "SELECT coalesce(json_agg(s.code), '[]')::text FROM mcred.cohorts c JOIN mcred.standards s"
        " ON s.org_id = c.org_id AND s.credential_id = c.credential_id"
        " WHERE c.org_id = $1::uuid AND c.id = $2::uuid");

/* `standards`: a list of the credential's standard codes. */
static enum mc_err read_standards(struct request *r, const char *cohort, struct problem_input *in)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r->json, "standards");
    if (!list || cJSON_IsNull(list))
        return MC_OK;
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > 50)
        return request_fail(r, MC_ERR_INVALID, "standards", "standards must be a list of codes");
    const char *params[] = {r->auth.org_id, cohort};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_problem_standard_codes, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    cJSON *known = cJSON_Parse(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (!known)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    int i = 0;
    const cJSON *code;
    cJSON_ArrayForEach(code, list)
    {
        bool ok = false;
        const cJSON *k;
        cJSON_ArrayForEach(k, known)
        {
            ok = ok || (cJSON_IsString(code) && strcmp(k->valuestring, code->valuestring) == 0);
        }
        if (!ok) {
            cJSON_Delete(known);
            char field[32];
            snprintf(field, sizeof field, "standards[%d]", i);
            return request_fail(r, MC_ERR_INVALID, field,
                                "not a standard of this cohort's credential");
        }
        i++;
    }
    cJSON_Delete(known);
    in->standards = cJSON_PrintUnformatted(list);
    return in->standards ? MC_OK : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

static enum mc_err read_input(struct request *r, const char *cohort, bool create,
                              struct problem_input *in)
{
    static const char *const create_keys[] = {
        "learner",    "title",    "statement", "student_focus", "data_sources",
        "root_cause", "strategy", "standards", "submit",        NULL};
    static const char *const update_keys[] = {"title",        "statement",  "student_focus",
                                              "data_sources", "root_cause", "strategy",
                                              "standards",    "status",     NULL};
    enum mc_err rc = mc_json_only_keys(r->json, create ? create_keys : update_keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "title", create, MC_MAX_NAME, &in->title, &r->err);
    if (rc == MC_OK && in->title && !*in->title)
        rc = request_fail(r, MC_ERR_INVALID, "title", "title must not be empty");
    for (int i = 0; rc == MC_OK && text_fields[i]; i++)
        rc = mc_json_get_string(r->json, text_fields[i], false, MC_MAX_PROBLEM_TEXT, &in->texts[i],
                                &r->err);
    if (rc != MC_OK)
        return rc;
    if (create) {
        const cJSON *submit = cJSON_GetObjectItemCaseSensitive(r->json, "submit");
        if (submit && !cJSON_IsBool(submit))
            return request_fail(r, MC_ERR_INVALID, "submit", "submit must be true or false");
        in->submit = cJSON_IsTrue(submit);
    } else {
        const char *status = NULL;
        rc = mc_json_get_string(r->json, "status", false, 16, &status, &r->err);
        if (rc != MC_OK)
            return rc;
        if (status && strcmp(status, "submitted") != 0)
            return request_fail(
                r, MC_ERR_INVALID, "status",
                "status can only be set to submitted here; reviews decide the rest");
        in->submit = status != NULL;
    }
    return read_standards(r, cohort, in);
}

DB_STMT(db_problem_item, "SELECT item::text AS item, learner_id, cohort_id, status, version"
                         " FROM mcred.problem_items WHERE org_id = $1::uuid AND id = $2::uuid");

/* The same, with whether the caller may see its learner (mcred.learner_access, migration 0028). */
DB_STMT(db_problem_item_access,
        "SELECT i.item::text AS item, i.learner_id, i.cohort_id, i.status, i.version,"
        " acc.doc ->> 'outcome' AS access, acc.doc ->> 'message' AS refusal"
        " FROM mcred.problem_items i"
        " CROSS JOIN LATERAL mcred.learner_access(i.cohort_id, i.learner_id::text) AS acc(doc)"
        " WHERE i.org_id = $1::uuid AND i.id = $2::uuid");

/* The problem's item (and its learner, cohort, status, version), read by `stmt`. */
static enum mc_err problem_read(struct request *r, struct db_stmt *stmt, const char *id,
                                PGresult **out)
{
    const char *params[] = {r->auth.org_id, id};
    enum mc_err rc = db_exec(r->db, stmt, 2, params, PGRES_TUPLES_OK, out, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(*out) != 1) {
        PQclear(*out);
        *out = NULL;
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "problem of practice %s not found", id);
    }
    return MC_OK;
}

static enum mc_err problem_get(struct request *r, const char *id, PGresult **out)
{
    return problem_read(r, &db_problem_item, id, out);
}

DB_STMT(
    db_problem_version,
    "INSERT INTO mcred.problem_versions (org_id, problem_id, version, status, feedback, content,"
    " actor_id)"
    " SELECT org_id, id, version, status, feedback,"
    " jsonb_build_object('title', title, 'statement', statement, 'student_focus', student_focus,"
    "   'data_sources', data_sources, 'root_cause', root_cause, 'strategy', strategy,"
    "   'standards', standards), $3::uuid"
    " FROM mcred.problems WHERE org_id = $1::uuid AND id = $2::uuid");

/* Keep the version, journal it, emit `event` if any; *out_item is the problem as it is now. */
static enum mc_err problem_record(struct request *r, const char *id, const char *action,
                                  const char *event, cJSON **out_item)
{
    const char *vparams[] = {r->auth.org_id, id, r->auth.person_id};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_problem_version, 3, vparams, PGRES_COMMAND_OK, NULL, &r->err);
    if (rc == MC_OK)
        rc = problem_get(r, id, &res);
    if (rc != MC_OK)
        return rc;
    cJSON *item = page_item(res, 0);
    cJSON *data = cJSON_CreateObject();
    /* a copy the object could not take (no memory for its key) is still ours to free */
    cJSON *feedback = item ? cJSON_Duplicate(cJSON_GetObjectItem(item, "feedback"), true) : NULL;
    bool ok = item && data && feedback &&
              cJSON_AddStringToObject(data, "cohort", db_get(res, 0, "cohort_id")) &&
              cJSON_AddStringToObject(data, "problem", id) &&
              cJSON_AddStringToObject(data, "learner", db_get(res, 0, "learner_id")) &&
              cJSON_AddNumberToObject(data, "version", strtod(db_get(res, 0, "version"), NULL)) &&
              cJSON_AddStringToObject(data, "status", db_get(res, 0, "status")) &&
              cJSON_AddItemToObject(data, "feedback", feedback);
    if (!ok && !cJSON_GetObjectItem(data, "feedback"))
        cJSON_Delete(feedback);
    char cohort[40], learner[40];
    snprintf(cohort, sizeof cohort, "%s", db_get(res, 0, "cohort_id"));
    snprintf(learner, sizeof learner, "%s", db_get(res, 0, "learner_id"));
    PQclear(res);
    if (!ok) {
        cJSON_Delete(item);
        cJSON_Delete(data);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor, action, "problem", id, NULL, item, event,
                       data, NULL, &r->err);
    cJSON_Delete(data);
    if (rc == MC_OK)
        rc = status_refresh_one(r, cohort, learner);
    if (rc != MC_OK) {
        cJSON_Delete(item);
        return rc;
    }
    *out_item = item;
    return MC_OK;
}

/* problem_record, and answer with the problem. */
static enum mc_err problem_done(struct request *r, unsigned status, const char *id,
                                const char *action, const char *event)
{
    cJSON *item = NULL;
    enum mc_err rc = problem_record(r, id, action, event, &item);
    if (rc != MC_OK)
        return rc;
    return request_reply(r, status, item);
}

DB_STMT(
    db_problem_insert,
    "INSERT INTO mcred.problems (org_id, cohort_id, learner_id, title, statement, student_focus,"
    " data_sources, root_cause, strategy, standards, status)"
    " VALUES ($1::uuid, $2::uuid, $3::uuid, $4, coalesce($5, ''), coalesce($6, ''),"
    " coalesce($7, ''), coalesce($8, ''), coalesce($9, ''),"
    " coalesce(ARRAY(SELECT jsonb_array_elements_text($10::jsonb)), '{}'), $11)"
    " RETURNING id");

enum mc_err problems_create(struct request *r)
{
    const char *cohort_id = request_param(r, "id");
    struct cohort_info cohort;
    struct problem_input in = {0};
    const char *who = NULL;
    char learner[40];
    enum mc_err rc = cohort_lock(r, cohort_id, COHORT_WRITE, &cohort);
    if (rc == MC_OK)
        rc = read_input(r, cohort_id, true, &in);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "learner", false, MC_MAX_EMAIL, &who, &r->err);
    if (rc == MC_OK)
        rc = members_learner_for(r, cohort_id, who, "learner", true, learner);
    PGresult *res = NULL;
    if (rc == MC_OK) {
        const char *params[] = {r->auth.org_id,
                                cohort_id,
                                learner,
                                in.title,
                                in.texts[0],
                                in.texts[1],
                                in.texts[2],
                                in.texts[3],
                                in.texts[4],
                                in.standards,
                                in.submit ? "submitted" : "draft"};
        rc = db_exec(r->db, &db_problem_insert, 11, params, PGRES_TUPLES_OK, &res, &r->err);
        if (rc == MC_ERR_CONFLICT)
            rc = request_fail(r, rc, "learner",
                              "this learner has a problem of practice in this cohort already; "
                              "edit it instead");
    }
    free(in.standards);
    if (rc != MC_OK)
        return rc;
    char id[40];
    snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return problem_done(r, 201, id, "problem.create", in.submit ? "problem.submitted" : NULL);
}

/*
 * The problem, if the caller may see its learner: a learner only their
 * own, a coach only their learners' — mcred.learner_access's decision,
 * read in the same statement; here only its answer is mapped (a learner's
 * refusal keeps this route's words).
 */
static enum mc_err problem_get_checked(struct request *r, const char *id, PGresult **out)
{
    enum mc_err rc = problem_read(r, &db_problem_item_access, id, out);
    if (rc != MC_OK)
        return rc;
    const char *outcome = db_get(*out, 0, "access"), *refusal = db_get(*out, 0, "refusal");
    if (outcome && strcmp(outcome, "ok") == 0)
        return MC_OK;
    if (outcome && strcmp(outcome, "forbidden") == 0 && r->cohort_role == ROLE_LEARNER)
        rc = request_fail(r, MC_ERR_FORBIDDEN, NULL,
                          "a learner sees only their own problem of practice");
    else
        rc = learner_access_refused(r, outcome ? outcome : "", refusal ? refusal : "", NULL);
    PQclear(*out);
    *out = NULL;
    return rc;
}

DB_STMT(db_problem_history,
        "SELECT coalesce(json_agg(json_build_object('version', v.version, 'status', v.status,"
        " 'feedback', v.feedback,"
        " 'by', (SELECT json_build_object('id', p.id, 'email', p.email, 'name', p.name)"
        "        FROM mcred.people p WHERE p.org_id = v.org_id AND p.id = v.actor_id),"
        " 'at', mcred.rfc3339(v.at), 'content', v.content)"
        " ORDER BY v.version), '[]')::text"
        " FROM mcred.problem_versions v WHERE v.org_id = $1::uuid AND v.problem_id = $2::uuid");

enum mc_err problems_show(struct request *r)
{
    const char *id = request_param(r, "id");
    bool history = false;
    PGresult *res = NULL;
    enum mc_err rc = request_query_flag(r, "history", &history);
    if (rc == MC_OK)
        rc = problem_get_checked(r, id, &res);
    cJSON *item = rc == MC_OK ? page_item(res, 0) : NULL;
    PQclear(res);
    if (rc != MC_OK)
        return rc;
    if (!item)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    if (history) {
        const char *params[] = {r->auth.org_id, id};
        rc = db_exec(r->db, &db_problem_history, 2, params, PGRES_TUPLES_OK, &res, &r->err);
        if (rc == MC_OK) {
            cJSON *versions = cJSON_Parse(PQgetvalue(res, 0, 0));
            PQclear(res);
            if (!versions || !cJSON_AddItemToObject(item, "history", versions)) {
                cJSON_Delete(versions);
                rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
            }
        }
    }
    if (rc != MC_OK) {
        cJSON_Delete(item);
        return rc;
    }
    return request_reply(r, 200, item);
}

DB_STMT(db_problem_update,
        "UPDATE mcred.problems SET title = coalesce($3, title),"
        " statement = coalesce($4, statement), student_focus = coalesce($5, student_focus),"
        " data_sources = coalesce($6, data_sources), root_cause = coalesce($7, root_cause),"
        " strategy = coalesce($8, strategy),"
        " standards = CASE WHEN $9::jsonb IS NULL THEN standards"
        "             ELSE ARRAY(SELECT jsonb_array_elements_text($9::jsonb)) END,"
        " status = CASE WHEN $10::boolean THEN 'submitted' ELSE status END,"
        " version = version + 1, updated_at = now()"
        " WHERE org_id = $1::uuid AND id = $2::uuid");

enum mc_err problems_update(struct request *r)
{
    const char *id = request_param(r, "id");
    struct problem_input in = {0};
    struct cohort_info cohort;
    PGresult *res = NULL;
    enum mc_err rc = problem_get_checked(r, id, &res);
    if (rc != MC_OK) {
        PQclear(res);
        return rc;
    }
    char cohort_id[40], status[16];
    snprintf(cohort_id, sizeof cohort_id, "%s", db_get(res, 0, "cohort_id"));
    snprintf(status, sizeof status, "%s", db_get(res, 0, "status"));
    PQclear(res);
    rc = cohort_lock(r, cohort_id, COHORT_WRITE, &cohort);
    if (rc == MC_OK && strcmp(status, "draft") != 0 && strcmp(status, "needs_revision") != 0)
        rc = request_fail(r, MC_ERR_CONFLICT, NULL,
                          "the problem of practice is %s: it can change only as a draft or when "
                          "it needs revision",
                          status);
    if (rc == MC_OK)
        rc = read_input(r, cohort_id, false, &in);
    if (rc == MC_OK) {
        const char *params[] = {
            r->auth.org_id, id,          in.title,    in.texts[0],  in.texts[1],
            in.texts[2],    in.texts[3], in.texts[4], in.standards, in.submit ? "true" : "false"};
        rc = db_exec(r->db, &db_problem_update, 10, params, PGRES_COMMAND_OK, NULL, &r->err);
    }
    free(in.standards);
    if (rc != MC_OK)
        return rc;
    return problem_done(r, 200, id, in.submit ? "problem.submit" : "problem.edit",
                        in.submit ? "problem.submitted" : NULL);
}

DB_STMT(db_problem_review,
        "UPDATE mcred.problems SET status = $3, feedback = coalesce($4, ''),"
        " reviewed_by = $5::uuid, reviewed_at = now(), version = version + 1, updated_at = now()"
        " WHERE org_id = $1::uuid AND id = $2::uuid");

/* The problem a review is of, if the caller may review it: its cohort, learner and state. */
static enum mc_err review_target(struct request *r, const char *id, struct problem_ref *out)
{
    struct cohort_info cohort;
    PGresult *res = NULL;
    enum mc_err rc = problem_get_checked(r, id, &res);
    if (rc == MC_OK) {
        snprintf(out->cohort_id, sizeof out->cohort_id, "%s", db_get(res, 0, "cohort_id"));
        snprintf(out->learner_id, sizeof out->learner_id, "%s", db_get(res, 0, "learner_id"));
        snprintf(out->status, sizeof out->status, "%s", db_get(res, 0, "status"));
    }
    PQclear(res);
    if (rc == MC_OK)
        rc = cohort_lock(r, out->cohort_id, COHORT_WRITE, &cohort);
    return rc;
}

/* The review's own rules: a decision of the two, and only of a submitted problem. */
static enum mc_err review_rules(struct request *r, const struct problem_ref *target,
                                const char *decision)
{
    if (!decision || (strcmp(decision, "approved") != 0 && strcmp(decision, "needs_revision") != 0))
        return request_fail(r, MC_ERR_INVALID, "decision",
                            "decision must be approved or needs_revision");
    if (strcmp(target->status, "submitted") != 0)
        return request_fail(r, MC_ERR_CONFLICT, NULL,
                            "the problem of practice is %s; only a submitted one is reviewed",
                            target->status);
    return MC_OK;
}

enum mc_err problems_review_check(struct request *r, const char *id, const char *decision,
                                  const char *feedback, struct problem_ref *out)
{
    enum mc_err rc = review_target(r, id, out);
    if (rc == MC_OK && feedback && strlen(feedback) > MC_MAX_PROBLEM_TEXT)
        rc = request_fail(r, MC_ERR_INVALID, "feedback", "feedback is longer than %d bytes",
                          MC_MAX_PROBLEM_TEXT);
    if (rc == MC_OK)
        rc = review_rules(r, out, decision);
    return rc;
}

enum mc_err problems_review_write(struct request *r, const char *id, const char *decision,
                                  const char *feedback, cJSON **out_item)
{
    const char *params[] = {r->auth.org_id, id, decision, feedback, r->auth.person_id};
    enum mc_err rc = db_exec(r->db, &db_problem_review, 5, params, PGRES_COMMAND_OK, NULL, &r->err);
    if (rc != MC_OK)
        return rc;
    return problem_record(r, id, "problem.review", "problem.reviewed", out_item);
}

enum mc_err problems_review(struct request *r)
{
    static const char *const keys[] = {"decision", "feedback", NULL};
    const char *id = request_param(r, "id");
    const char *decision = NULL, *feedback = NULL;
    struct problem_ref target;
    enum mc_err rc = review_target(r, id, &target);
    if (rc == MC_OK)
        rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "decision", true, 16, &decision, &r->err);
    if (rc == MC_OK)
        rc =
            mc_json_get_string(r->json, "feedback", false, MC_MAX_PROBLEM_TEXT, &feedback, &r->err);
    if (rc == MC_OK)
        rc = review_rules(r, &target, decision);
    cJSON *item = NULL;
    if (rc == MC_OK)
        rc = problems_review_write(r, id, decision, feedback, &item);
    if (rc != MC_OK)
        return rc;
    return request_reply(r, 200, item);
}

DB_STMT_REPLAN(
    db_problems_list,
    "SELECT item::text AS item, sort_key FROM mcred.problem_items p"
    " WHERE org_id = $1::uuid AND cohort_id = $2::uuid"
    " AND ($3::text IS NULL OR sort_key > $3 COLLATE \"C\")"
    " AND ($4::text IS NULL OR status = $4)"
    " AND ($5::uuid IS NULL OR learner_id = $5::uuid)"
    " AND ($6::uuid IS NULL OR learner_id IN (SELECT mcred.coached_by($1::uuid, $2::uuid,"
    " $6::uuid)))"
    " ORDER BY sort_key LIMIT $7::integer");

enum mc_err problems_list(struct request *r)
{
    const char *cohort_id = request_param(r, "id");
    const char *learner_q = request_query(r, "learner");
    struct cohort_info cohort;
    struct page page;
    char learner[40] = "";
    static const char *const statuses[] = {"draft", "submitted", "approved", "needs_revision",
                                           NULL};
    const char *status = NULL;
    enum mc_err rc = page_parse(r, &page);
    if (rc == MC_OK)
        rc = request_query_word(r, "status", statuses, &status);
    if (rc == MC_OK)
        rc = cohort_lock(r, cohort_id, COHORT_READ, &cohort);
    if (rc == MC_OK && (learner_q || r->cohort_role == ROLE_LEARNER))
        rc = members_learner_for(r, cohort_id, learner_q, "learner", false, learner);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id,
                            cohort_id,
                            page_after_param(&page),
                            status,
                            *learner ? learner : NULL,
                            r->cohort_role == ROLE_COACH ? r->auth.person_id : NULL,
                            page.limit_plus_one};
    return page_reply_query(r, &page, &db_problems_list, 7, params);
}
