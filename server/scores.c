/*
 * scores.c — /v1/cohorts/{id}/scores: a coach scores learners on
 * indicators, one or many in one transaction; scores are append-only and
 * the newest is current (kept in score_current for status).
 *
 * A request is checked whole before anything is written, and every
 * problem of every item is reported (an "errors" list beside the error),
 * so that a file of scores is fixed in one go.  The server checks each
 * item's shape (keys, types, lengths); everything that needs the
 * database — who the caller and the learners are, whether the cohort is
 * closed, the indicator codes, the level by number or by the rubric's
 * label, the evidence — and every write, with the learners' eligibility,
 * is one SQL function, mcred.scores_post (migration 0015).  A request
 * whose shape is right and that carries no Idempotency-Key goes to the
 * database once: authentication, the function and COMMIT in one pipeline
 * (scores_oneshot); any other takes the ordinary path (scores_create) to
 * the same function.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "cohorts.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "members.h"
#include "paging.h"
#include "request.h"
#include "router.h"

#include "mcred/banned.h"

#define MC_MAX_SCORES 500

/* Every problem of a request, each with its item's index (-1: the request's own). */
struct score_problem {
    int idx;
    enum mc_err code;
    char field[48];
    char message[MC_MAX_ERR_MESSAGE];
};

struct score_problems {
    struct score_problem *items;
    size_t count, cap;
    bool nomem;
};

static void problem_add(struct score_problems *p, int idx, enum mc_err code, const char *field,
                        const char *message)
{
    if (p->count == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        struct score_problem *grown = realloc(p->items, cap * sizeof *grown);
        if (!grown) {
            p->nomem = true;
            return;
        }
        p->items = grown;
        p->cap = cap;
    }
    struct score_problem *e = &p->items[p->count++];
    e->idx = idx;
    e->code = code;
    mc_format_cut(e->field, sizeof e->field, "%s", field ? field : "");
    mc_format_cut(e->message, sizeof e->message, "%s", message);
}

/* The problem that `err` holds (a malformed value of item idx). */
static void problem_take(struct score_problems *p, int idx, struct mc_error *err)
{
    problem_add(p, idx, err->code, err->field, mc_error_message(err));
    mc_error_clear(err);
}

/*
 * Check one item's own shape (no database) and copy its well-formed values
 * into `row` for mcred.scores_post; a malformed value is left out of it.
 */
static void score_shape(const cJSON *obj, int idx, cJSON *row, struct score_problems *p)
{
    static const char *const keys[] = {"learner",  "indicator", "level",
                                       "feedback", "evidence",  NULL};
    static const struct {
        const char *key;
        bool required;
        size_t max;
    } strings[] = {
        {"learner", true, MC_MAX_EMAIL},
        {"indicator", true, 16},
        {"feedback", false, MC_MAX_FEEDBACK},
        {"evidence", false, 40},
    };
    struct mc_error err = {0};
    if (mc_json_only_keys(obj, keys, &err) != MC_OK) {
        problem_take(p, idx, &err);
        return;
    }
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        const char *v = NULL;
        if (mc_json_get_string(obj, strings[i].key, strings[i].required, strings[i].max, &v,
                               &err) != MC_OK)
            problem_take(p, idx, &err);
        else if (v && strcmp(strings[i].key, "evidence") == 0 && !mc_uuid_valid(v))
            problem_add(p, idx, MC_ERR_INVALID, "evidence", "evidence must be an evidence id");
        else if (v && !cJSON_AddStringToObject(row, strings[i].key, v))
            p->nomem = true;
    }
    const cJSON *level = cJSON_GetObjectItemCaseSensitive(obj, "level");
    if (level) {
        /* a copy the object could not take (no memory for its key) is still ours to free */
        cJSON *copy = cJSON_Duplicate(level, true);
        if (!copy || !cJSON_AddItemToObject(row, "level", copy)) {
            cJSON_Delete(copy);
            p->nomem = true;
        }
    }
}

/*
 * The body's items, shape-checked, as the JSON array mcred.scores_post
 * takes; *one when the body is a single score.  NULL when the body itself
 * is wrong (r->err says why) or memory ran out.
 */
static char *scores_rows(struct request *r, struct score_problems *p, bool *one, int *count)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r->json, "scores");
    *one = !list;
    int n = *one ? 1 : cJSON_GetArraySize(list);
    *count = n;
    if (!*one &&
        (!cJSON_IsArray(list) || n < 1 || n > MC_MAX_SCORES || cJSON_GetArraySize(r->json) != 1)) {
        (void)request_fail(r, MC_ERR_INVALID, "scores",
                           "scores must be a list of 1 to %d scores, and alone in the body",
                           MC_MAX_SCORES);
        return NULL;
    }
    cJSON *rows = cJSON_CreateArray();
    for (int i = 0; rows && i < n; i++) {
        cJSON *row = cJSON_CreateObject();
        if (!cJSON_AddItemToArray(rows, row)) {
            cJSON_Delete(row);
            p->nomem = true;
            break;
        }
        score_shape(*one ? r->json : cJSON_GetArrayItem(list, i), i, row, p);
    }
    char *text = rows && !p->nomem ? cJSON_PrintUnformatted(rows) : NULL;
    cJSON_Delete(rows);
    if (!text)
        (void)request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    return text;
}

/* The problems mcred.scores_post found, added after the server's own. */
static void problems_from_db(const cJSON *list, struct score_problems *p)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        const cJSON *idx = cJSON_GetObjectItemCaseSensitive(e, "idx");
        const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
        problem_add(p, cJSON_IsNumber(idx) ? (int)idx->valuedouble : 0,
                    code && strcmp(code, "forbidden") == 0 ? MC_ERR_FORBIDDEN : MC_ERR_INVALID,
                    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "field")),
                    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message")));
    }
}

/* An item's field as the client sees it: "scores[2].level", or "level" for a single score. */
static void problem_field(const struct score_problem *e, bool one, char *out, size_t size)
{
    if (one)
        snprintf(out, size, "%s", e->field);
    else
        mc_format_cut(out, size, "scores[%d]%s%s", e->idx, e->field[0] ? "." : "", e->field);
}

/*
 * Refuse the request with every problem, items in order and each item's
 * own checks before the database's: the one itself, or a count and the list.
 */
static enum mc_err problems_fail(struct request *r, struct score_problems *p, bool one)
{
    cJSON *list = cJSON_CreateArray();
    size_t forbidden = 0, shown = 0;
    const struct score_problem *first = NULL;
    int max_idx = 0;
    for (size_t i = 0; i < p->count; i++)
        max_idx = p->items[i].idx > max_idx ? p->items[i].idx : max_idx;
    for (int idx = 0; list && idx <= max_idx; idx++) {
        for (size_t i = 0; i < p->count; i++) {
            const struct score_problem *e = &p->items[i];
            if (e->idx != idx)
                continue;
            char field[64];
            problem_field(e, one, field, sizeof field);
            cJSON *o = cJSON_CreateObject();
            if (!cJSON_AddItemToArray(list, o) || !cJSON_AddStringToObject(o, "field", field) ||
                !cJSON_AddStringToObject(o, "message", e->message))
                p->nomem = true;
            first = first ? first : e;
            forbidden += e->code == MC_ERR_FORBIDDEN;
            shown++;
        }
    }
    if (!list || p->nomem || !first) {
        cJSON_Delete(list);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    cJSON_Delete(r->error_details);
    r->error_details = list;
    char field[64];
    problem_field(first, one, field, sizeof field);
    if (shown == 1)
        return request_fail(r, first->code, field[0] ? field : NULL, "%s", first->message);
    return request_fail(r, forbidden == shown ? MC_ERR_FORBIDDEN : MC_ERR_INVALID,
                        one ? field : "scores",
                        "%zu problems with these scores; nothing was written%s%s", shown,
                        one ? ": " : "", one ? first->message : "");
}

DB_STMT(db_scores_post, "SELECT mcred.scores_post($1, $2::jsonb, $3, $4::boolean)::text");

/* The request as the database answered it: the scores recorded, or why not. */
static enum mc_err scores_answer(struct request *r, const PGresult *res, struct score_problems *p,
                                 bool one)
{
    cJSON *answer = PQntuples(res) == 1 ? cJSON_Parse(PQgetvalue(res, 0, 0)) : NULL;
    if (!answer)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *outcome = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(answer, "outcome"));
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(answer, "cohort"), "name"));
    const char *typed = request_cohort_words(r);
    enum mc_err rc;
    if (!outcome) {
        rc = request_fail(r, MC_ERR_INTERNAL, NULL, "the database gave no answer");
    } else if (strcmp(outcome, "unauthenticated") == 0) {
        rc = request_fail(r, MC_ERR_UNAUTHENTICATED, NULL, "invalid, expired or revoked token");
    } else if (strcmp(outcome, "not_found") == 0) {
        rc = request_fail(r, MC_ERR_NOT_FOUND, NULL,
                          "no cohort is named %s (give its id, its slug or its exact name)", typed);
    } else if (strcmp(outcome, "ambiguous") == 0) {
        const cJSON *slugs = cJSON_GetObjectItemCaseSensitive(answer, "slugs"), *s;
        char list[256] = "";
        cJSON_ArrayForEach(s, slugs)
        {
            size_t used = strlen(list);
            mc_format_cut(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                          cJSON_GetStringValue(s) ? cJSON_GetStringValue(s) : "");
        }
        rc = request_fail(r, MC_ERR_CONFLICT, NULL,
                          "%d cohorts are named %s; name one by its slug: %s",
                          cJSON_GetArraySize(slugs), typed, list);
    } else if (strcmp(outcome, "forbidden") == 0) {
        char refusal[MC_MAX_ERR_MESSAGE];
        (void)route_refusal(r->route, name ? name : "", refusal, sizeof refusal);
        rc = request_fail(r, MC_ERR_FORBIDDEN, NULL, "%s", refusal);
    } else if (strcmp(outcome, "closed") == 0) {
        rc = request_fail(r, MC_ERR_CONFLICT, NULL, "cohort %s is closed", name ? name : typed);
    } else if (strcmp(outcome, "created") == 0 && p->count == 0) {
        cJSON *root = cJSON_CreateObject();
        cJSON *scores = cJSON_DetachItemFromObjectCaseSensitive(answer, "scores");
        if (!root || !scores || !cJSON_AddItemToObject(root, "scores", scores)) {
            cJSON_Delete(root);
            cJSON_Delete(scores);
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        } else {
            rc = request_reply(r, 201, root);
        }
    } else {
        problems_from_db(cJSON_GetObjectItemCaseSensitive(answer, "problems"), p);
        rc = p->count ? problems_fail(r, p, one)
                      : request_fail(r, MC_ERR_INTERNAL, NULL, "scores were checked, not written");
    }
    cJSON_Delete(answer);
    return rc;
}

enum mc_err scores_create(struct request *r)
{
    struct score_problems problems = {0};
    bool one;
    int n;
    char *rows = scores_rows(r, &problems, &one, &n);
    if (!rows) {
        free(problems.items);
        return r->err.code;
    }
    const char *params[] = {request_param(r, "id"), rows, r->request_id,
                            problems.count ? "false" : "true"};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_scores_post, 4, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc == MC_OK)
        rc = scores_answer(r, res, &problems, one);
    PQclear(res);
    free(rows);
    free(problems.items);
    return rc;
}

bool scores_oneshot_prepare(struct request *r, struct oneshot *call)
{
    struct score_problems problems = {0};
    bool one;
    int n;
    char *rows = scores_rows(r, &problems, &one, &n);
    bool taken = rows && problems.count == 0 && !problems.nomem;
    free(problems.items);
    request_reset_answer(r);
    if (!taken) {
        free(rows);
        return false;
    }
    call->owned = rows;
    call->params[0] = request_param(r, "id");
    call->params[1] = rows;
    call->params[2] = r->request_id;
    call->params[3] = "true";
    return oneshot_add(call, &db_scores_post, 4, call->params);
}

enum mc_err scores_oneshot_answer(struct request *r, const struct oneshot *call)
{
    const PGresult *res = call->res[0];
    struct score_problems problems = {0};
    bool one = !cJSON_GetObjectItemCaseSensitive(r->json, "scores");
    enum mc_err rc = scores_answer(r, res, &problems, one);
    free(problems.items);
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
    bool all = false;
    struct cohort_info cohort;
    struct page page;
    char learner[40] = "";
    enum mc_err rc = page_parse(r, &page);
    if (rc == MC_OK)
        rc = request_query_flag(r, "history", &all);
    if (rc == MC_OK)
        rc = cohort_lock(r, cohort_id, COHORT_READ, &cohort);
    if (rc == MC_OK && (learner_q || r->cohort_role == ROLE_LEARNER))
        rc = members_learner_for(r, cohort_id, learner_q, "learner", false, learner);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id,
                            cohort_id,
                            *learner ? learner : NULL,
                            page_after_param(&page),
                            r->cohort_role == ROLE_COACH ? r->auth.person_id : NULL,
                            page.limit_plus_one};
    return page_reply_query(r, &page, all ? &db_scores_history : &db_scores_current, 6, params);
}
