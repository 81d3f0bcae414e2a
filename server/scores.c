/*
 * scores.c — /v1/cohorts/{id}/scores: a coach scores learners on
 * indicators, one or many in one transaction; scores are append-only and
 * the newest is current (kept in score_current for status).
 *
 * A request is checked whole before anything is written, and every
 * problem of every item is reported (an "errors" list beside the error),
 * so that a file of scores is fixed in one go.  Levels are given by
 * number or by the rubric's label ("Proficient", any case), and a level
 * outside the rubric is refused in the rubric's own terms.  The checks
 * that need the database (who the learners are, whether this coach may
 * score them, whether the evidence is theirs) are one statement for all
 * items, and the writes one more (mcred.scores_record, migration 0011),
 * so a bulk request costs the same round trips as a single score, plus
 * one status refresh per learner.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assessment.h"
#include "cohorts.h"
#include "dispatcher.h"
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
#define MC_MAX_LABEL    64

DB_STMT(db_score_framework,
        "SELECT cr.rubric::text AS rubric,"
        " (SELECT json_agg(i.code) FROM mcred.indicators i WHERE i.org_id = c.org_id"
        "  AND i.credential_id = c.credential_id)::text AS codes"
        " FROM mcred.cohorts c JOIN mcred.credentials cr"
        " ON cr.org_id = c.org_id AND cr.id = c.credential_id"
        " WHERE c.org_id = $1::uuid AND c.id = $2::uuid");

struct framework_codes {
    cJSON *rubric;                     /* [{"level": 1, "label": "Not Evident"}, …] */
    cJSON *codes;                      /* array of indicator codes */
    char range[4 * MC_MAX_LABEL + 64]; /* "1 (Not Evident) to 4 (Exemplary)" */
};

static long rubric_level(const cJSON *entry)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(entry, "level");
    return cJSON_IsNumber(l) ? (long)l->valuedouble : 0;
}

static const char *rubric_label(const cJSON *entry)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "label"));
    return s ? s : "";
}

static enum mc_err codes_load(struct request *r, const char *cohort, struct framework_codes *out)
{
    const char *params[] = {r->auth.org_id, cohort};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_score_framework, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *codes = db_get(res, 0, "codes");
    const char *rubric = db_get(res, 0, "rubric");
    out->codes = cJSON_Parse(codes ? codes : "[]");
    out->rubric = cJSON_Parse(rubric ? rubric : "[]");
    PQclear(res);
    if (!out->codes || !out->rubric)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    int n = cJSON_GetArraySize(out->rubric);
    const cJSON *first = cJSON_GetArrayItem(out->rubric, 0);
    const cJSON *last = cJSON_GetArrayItem(out->rubric, n - 1);
    snprintf(out->range, sizeof out->range, "%ld (%.*s) to %ld (%.*s)", rubric_level(first),
             MC_MAX_LABEL, rubric_label(first), rubric_level(last), MC_MAX_LABEL,
             rubric_label(last));
    return MC_OK;
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

/* A level given by number (or a text of digits) or by label, any case; 0 when none matches. */
static long level_resolve(const struct framework_codes *f, const cJSON *v)
{
    const cJSON *entry;
    long number = 0;
    bool by_number = true;
    if (cJSON_IsNumber(v)) {
        if (v->valuedouble < 1 || v->valuedouble > 1000 ||
            v->valuedouble != (double)(long)v->valuedouble)
            return 0;
        number = (long)v->valuedouble;
    } else if (cJSON_IsString(v) && v->valuestring[0] &&
               strspn(v->valuestring, "0123456789") == strlen(v->valuestring)) {
        if (strlen(v->valuestring) > 4)
            return 0;
        number = strtol(v->valuestring, NULL, 10);
    } else if (cJSON_IsString(v)) {
        by_number = false;
    } else {
        return 0;
    }
    cJSON_ArrayForEach(entry, f->rubric)
    {
        long level = rubric_level(entry);
        if (by_number ? level == number : strcasecmp(rubric_label(entry), v->valuestring) == 0)
            return level;
    }
    return 0;
}

/* Every problem of a request, each with its item's field. */
struct score_problems {
    cJSON *list; /* [{"field", "message"}] */
    int count, forbidden;
    bool nomem;
    struct mc_error first;
};

static void problem_add(struct score_problems *p, enum mc_err code, const char *field,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void problem_add(struct score_problems *p, enum mc_err code, const char *field,
                        const char *fmt, ...)
{
    struct mc_error e;
    va_list ap;
    va_start(ap, fmt);
    mc_error_setv(&e, code, field, fmt, ap);
    va_end(ap);
    if (p->count == 0)
        p->first = e;
    p->count++;
    if (code == MC_ERR_FORBIDDEN)
        p->forbidden++;
    cJSON *o = cJSON_CreateObject();
    if (!cJSON_AddItemToArray(p->list, o) || !cJSON_AddStringToObject(o, "field", e.field) ||
        !cJSON_AddStringToObject(o, "message", mc_error_message(&e)))
        p->nomem = true;
}

/* The problem that r->err holds (a malformed item), with the item's field. */
static void problem_take(struct request *r, struct score_problems *p, const char *item)
{
    request_field_prefix(r, item);
    problem_add(p, r->err.code, r->err.field, "%s", mc_error_message(&r->err));
    mc_error_clear(&r->err);
}

struct score_item {
    char field[24];
    char learner[40];
    const char *who;
    const char *indicator;
    long level;
    const char *feedback;
    const char *evidence;
};

static void item_field(char *out, size_t size, const struct score_item *s, const char *name)
{
    snprintf(out, size, "%s%s%s", s->field, *s->field ? "." : "", name);
}

/* Check an item's own values (no database): its keys, indicator and level. */
static void score_read(struct request *r, const struct framework_codes *f, const cJSON *obj,
                       struct score_item *s, struct score_problems *p)
{
    static const char *const keys[] = {"learner",  "indicator", "level",
                                       "feedback", "evidence",  NULL};
    char field[64];
    if (mc_json_only_keys(obj, keys, &r->err) != MC_OK) {
        problem_take(r, p, s->field);
        return;
    }
    if (mc_json_get_string(obj, "learner", true, MC_MAX_EMAIL, &s->who, &r->err) != MC_OK)
        problem_take(r, p, s->field);
    if (mc_json_get_string(obj, "indicator", true, 16, &s->indicator, &r->err) != MC_OK)
        problem_take(r, p, s->field);
    if (mc_json_get_string(obj, "feedback", false, MC_MAX_FEEDBACK, &s->feedback, &r->err) != MC_OK)
        problem_take(r, p, s->field);
    if (mc_json_get_string(obj, "evidence", false, 40, &s->evidence, &r->err) != MC_OK)
        problem_take(r, p, s->field);
    item_field(field, sizeof field, s, "indicator");
    if (s->indicator && !code_known(f, s->indicator))
        problem_add(p, MC_ERR_INVALID, field, "%s is not an indicator of this credential",
                    s->indicator);
    item_field(field, sizeof field, s, "level");
    const cJSON *level = cJSON_GetObjectItemCaseSensitive(obj, "level");
    if (!level)
        problem_add(p, MC_ERR_INVALID, field, "level is required: %s", f->range);
    else if (!(s->level = level_resolve(f, level)))
        problem_add(p, MC_ERR_INVALID, field, "level must be %s", f->range);
    item_field(field, sizeof field, s, "evidence");
    if (s->evidence && !mc_uuid_valid(s->evidence)) {
        problem_add(p, MC_ERR_INVALID, field, "evidence must be an evidence id");
        s->evidence = NULL;
    }
}

static char *items_json(const struct score_item *items, int n, bool checked)
{
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; list && i < n; i++) {
        const struct score_item *s = &items[i];
        char level[24];
        snprintf(level, sizeof level, "%ld", s->level);
        cJSON *o = cJSON_CreateObject();
        if (!cJSON_AddItemToArray(list, o) ||
            !mc_json_add_string_or_null(o, "learner", checked ? s->learner : s->who) ||
            !mc_json_add_string_or_null(o, "evidence", s->evidence) ||
            (checked && (!cJSON_AddStringToObject(o, "indicator", s->indicator) ||
                         !cJSON_AddNumberToObject(o, "level", (double)s->level) ||
                         !mc_json_add_string_or_null(o, "feedback", s->feedback)))) {
            cJSON_Delete(list);
            list = NULL;
        }
    }
    char *text = list ? cJSON_PrintUnformatted(list) : NULL;
    cJSON_Delete(list);
    return text;
}

DB_STMT(db_score_learners, "SELECT idx, person_id, label, role, status, mine, coach, evidence_ok"
                           " FROM mcred.score_learners($1::uuid, $2::uuid, $3::uuid, $4::jsonb)");

/* Who the items name, whether the caller may score them, and their evidence: one statement. */
static enum mc_err score_learners(struct request *r, const char *cohort, struct score_item *items,
                                  int n, struct score_problems *p)
{
    char *rows = items_json(items, n, false);
    if (!rows)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {r->auth.org_id, cohort,
                            r->cohort_role == ROLE_COACH ? r->auth.person_id : NULL, rows};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_score_learners, 4, params, PGRES_TUPLES_OK, &res, &r->err);
    free(rows);
    if (rc != MC_OK)
        return rc;
    for (int k = 0; k < PQntuples(res) && k < n; k++) {
        int i = (int)strtol(db_get(res, k, "idx"), NULL, 10);
        struct score_item *s = &items[i < 0 || i >= n ? 0 : i];
        const char *id = db_get(res, k, "person_id"), *label = db_get(res, k, "label");
        const char *role = db_get(res, k, "role"), *status = db_get(res, k, "status");
        const char *coach = db_get(res, k, "coach");
        char field[64];
        item_field(field, sizeof field, s, "learner");
        if (!s->who)
            continue;
        if (!id) {
            problem_add(p, MC_ERR_INVALID, field, "no person %s in this organisation", s->who);
            continue;
        }
        snprintf(s->learner, sizeof s->learner, "%s", id);
        if (!role || strcmp(role, "learner") != 0) {
            problem_add(p, MC_ERR_INVALID, field, "%s is not a learner of this cohort", label);
            continue;
        }
        if (strcmp(status, "enrolled") != 0) {
            problem_add(p, MC_ERR_INVALID, field, "%s is %s, not enrolled", label, status);
            continue;
        }
        if (strcmp(db_get(res, k, "mine"), "t") != 0) {
            if (coach)
                problem_add(p, MC_ERR_FORBIDDEN, field, "you do not coach %s; their coach is %s",
                            label, coach);
            else
                problem_add(p, MC_ERR_FORBIDDEN, field,
                            "you do not coach %s; they have no coach, and a coordinator can "
                            "assign one",
                            label);
            continue;
        }
        item_field(field, sizeof field, s, "evidence");
        if (strcmp(db_get(res, k, "evidence_ok"), "t") != 0)
            problem_add(p, MC_ERR_INVALID, field, "evidence %s is not %s's in this cohort",
                        s->evidence, label);
    }
    PQclear(res);
    return MC_OK;
}

/* Refuse the request with every problem: the one itself, or a count and the list. */
static enum mc_err problems_fail(struct request *r, struct score_problems *p, bool one)
{
    if (p->nomem)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    enum mc_err code = p->forbidden == p->count ? MC_ERR_FORBIDDEN : MC_ERR_INVALID;
    cJSON_Delete(r->error_details);
    r->error_details = p->list;
    p->list = NULL;
    if (p->count == 1)
        return request_fail(r, p->first.code, p->first.field[0] ? p->first.field : NULL, "%s",
                            mc_error_message(&p->first));
    return request_fail(r, code, one ? p->first.field : "scores",
                        "%d problems with these scores; nothing was written%s%s", p->count,
                        one ? ": " : "", one ? mc_error_message(&p->first) : "");
}

DB_STMT(db_scores_record,
        "SELECT s::text AS item FROM mcred.scores_record($1::uuid, $2::uuid, $3::uuid, $4, $5,"
        " $6, $7::jsonb) AS s");

/* Write every item (score, current level, audit row and event) in one statement. */
static enum mc_err scores_write(struct request *r, const char *cohort,
                                const struct score_item *items, int n, cJSON *out)
{
    char *rows = items_json(items, n, true);
    if (!rows)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {
        r->auth.org_id,     cohort, r->auth.person_id, r->auth.email, r->request_id,
        DISPATCHER_CHANNEL, rows};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_scores_record, 7, params, PGRES_TUPLES_OK, &res, &r->err);
    free(rows);
    for (int i = 0; rc == MC_OK && i < PQntuples(res); i++) {
        cJSON *item = page_item(res, i);
        if (!item || !cJSON_AddItemToArray(out, item)) {
            cJSON_Delete(item);
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        }
    }
    PQclear(res);
    return rc;
}

enum mc_err scores_create(struct request *r)
{
    const char *cohort_id = request_param(r, "id");
    struct cohort_info cohort;
    struct framework_codes f = {0};
    struct score_problems problems = {.list = cJSON_CreateArray()};
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r->json, "scores");
    bool one = !list;
    int n = one ? 1 : cJSON_GetArraySize(list);
    enum mc_err rc = cohort_lock(r, cohort_id, true, &cohort);
    if (rc == MC_OK)
        rc = codes_load(r, cohort_id, &f);
    struct score_item *items = NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *out = cJSON_AddArrayToObject(root, "scores");
    if (rc != MC_OK)
        goto out;
    if (!one &&
        (!cJSON_IsArray(list) || n < 1 || n > MC_MAX_SCORES || cJSON_GetArraySize(r->json) != 1)) {
        rc = request_fail(r, MC_ERR_INVALID, "scores",
                          "scores must be a list of 1 to %d scores, and alone in the body",
                          MC_MAX_SCORES);
        goto out;
    }
    items = calloc((size_t)n, sizeof *items);
    if (!items || !out || !problems.list) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        if (!one)
            snprintf(items[i].field, sizeof items[i].field, "scores[%d]", i);
        score_read(r, &f, one ? r->json : cJSON_GetArrayItem(list, i), &items[i], &problems);
    }
    rc = score_learners(r, cohort_id, items, n, &problems);
    if (rc == MC_OK && problems.count)
        rc = problems_fail(r, &problems, one);
    if (rc == MC_OK)
        rc = scores_write(r, cohort_id, items, n, out);
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
    cJSON_Delete(problems.list);
    cJSON_Delete(f.codes);
    cJSON_Delete(f.rubric);
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
