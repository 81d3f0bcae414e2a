/*
 * status_db.c — see status_db.h.
 *
 * Eight queries answer a whole cohort, however many scores its history
 * holds: the rule, the standards, the indicators, the learners, their
 * current levels (score_current: one row per learner and indicator, kept
 * with every score, so the score history is never read), their weekly
 * attendance, the weekly sessions held, and their problems.  Each reads
 * through an index led by (org_id, cohort_id).  The same code answers one
 * learner with the learner added to each filter.  The queries are marked
 * for tests/integration/test_status_plan.c, which checks their plans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohorts.h"
#include "journal.h"
#include "learner_access.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "paging.h"
#include "request.h"
#include "router.h"
#include "status.h"
#include "status_db.h"
#include "members.h"

#include "mcred/banned.h"

/* status-query:rule:begin */
DB_STMT(db_status_rule, "SELECT cr.id, cr.slug, cr.version, cr.title, cr.rubric::text AS rubric,"
                        " cr.award_rule::text AS award_rule"
                        " FROM mcred.cohorts c JOIN mcred.credentials cr"
                        " ON cr.org_id = c.org_id AND cr.id = c.credential_id"
                        " WHERE c.org_id = mcred.current_org() AND c.id = $1::uuid");
/* status-query:rule:end */
/* status-query:standards:begin */
DB_STMT(db_status_standards,
        "SELECT s.code, s.title FROM mcred.cohorts c JOIN mcred.standards s"
        " ON s.org_id = c.org_id AND s.credential_id = c.credential_id"
        " WHERE c.org_id = mcred.current_org() AND c.id = $1::uuid ORDER BY s.position");
/* status-query:standards:end */
/* status-query:indicators:begin */
DB_STMT(
    db_status_indicators,
    "SELECT i.code, i.standard_code FROM mcred.cohorts c JOIN mcred.standards s"
    " ON s.org_id = c.org_id AND s.credential_id = c.credential_id"
    " JOIN mcred.indicators i ON i.org_id = s.org_id AND i.credential_id = s.credential_id"
    " AND i.standard_code = s.code"
    " WHERE c.org_id = mcred.current_org() AND c.id = $1::uuid ORDER BY s.position, i.position");
/* status-query:indicators:end */
/* status-query:learners:begin */
DB_STMT(db_status_learners,
        "SELECT m.person_id, p.email, p.name, m.eligible,"
        " (SELECT a.status FROM mcred.awards a WHERE a.org_id = m.org_id"
        "    AND a.cohort_id = m.cohort_id AND a.learner_id = m.person_id"
        "  ORDER BY a.status = 'awarded' DESC, a.awarded_at DESC LIMIT 1) AS award"
        " FROM mcred.members m"
        " JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id"
        " WHERE m.org_id = mcred.current_org() AND m.cohort_id = $1::uuid AND m.role = 'learner'"
        " AND (($2::uuid IS NULL AND m.status = 'enrolled') OR m.person_id = $2::uuid)"
        " ORDER BY lower(p.email)");
/* status-query:learners:end */
/* status-query:levels:begin */
DB_STMT(db_status_levels, "SELECT learner_id, indicator, level FROM mcred.score_current"
                          " WHERE org_id = mcred.current_org() AND cohort_id = $1::uuid"
                          " AND ($2::uuid IS NULL OR learner_id = $2::uuid)");
/* status-query:levels:end */
/* status-query:attendance:begin */
DB_STMT(db_status_attendance,
        "SELECT a.person_id,"
        " count(*) FILTER (WHERE a.mode IN ('in_person', 'online', 'asynchronous'))"
        "   AS attended,"
        " count(*) FILTER (WHERE a.mode = 'excused') AS excused"
        " FROM mcred.sessions s JOIN mcred.attendance a"
        " ON a.org_id = s.org_id AND a.session_id = s.id"
        " WHERE s.org_id = mcred.current_org() AND s.cohort_id = $1::uuid AND s.kind = 'weekly'"
        " AND s.cancelled_at IS NULL"
        " AND ($2::uuid IS NULL OR a.person_id = $2::uuid)"
        " GROUP BY a.person_id");
/* status-query:attendance:end */
/* status-query:held:begin */
DB_STMT(db_status_held, "SELECT count(*) FROM mcred.sessions WHERE org_id = mcred.current_org() "
                        "AND cohort_id = $1::uuid"
                        " AND kind = 'weekly' AND cancelled_at IS NULL"
                        " AND (starts_at <= now() OR held_at IS NOT NULL)");
/* status-query:held:end */
/* status-query:problems:begin */
DB_STMT(db_status_problems, "SELECT learner_id, status FROM mcred.problems"
                            " WHERE org_id = mcred.current_org() AND cohort_id = $1::uuid"
                            " AND ($2::uuid IS NULL OR learner_id = $2::uuid)");
/* status-query:problems:end */

#define STATUS_QUERIES 8

struct status_ctx {
    PGresult *rule, *standards, *indicators, *learners, *levels, *attendance, *held, *problems;
    bool borrowed; /* the results belong to a one-shot call, which clears them */
    cJSON *rubric, *award_rule;
    struct status_rule r;
    struct status_standard *stds;
    struct status_indicator *inds; /* the template; levels filled per learner */
};

static void ctx_release(struct status_ctx *c)
{
    PGresult *all[] = {c->rule,   c->standards,  c->indicators, c->learners,
                       c->levels, c->attendance, c->held,       c->problems};
    for (size_t i = 0; !c->borrowed && i < sizeof all / sizeof all[0]; i++)
        PQclear(all[i]);
    cJSON_Delete(c->rubric);
    cJSON_Delete(c->award_rule);
    free(c->stds);
    free(c->inds);
    memset(c, 0, sizeof *c);
}

/* The rule from the credential's rubric and award rule. */
static bool ctx_rule(struct status_ctx *c)
{
    c->rubric = cJSON_Parse(db_get(c->rule, 0, "rubric"));
    c->award_rule = cJSON_Parse(db_get(c->rule, 0, "award_rule"));
    if (!c->rubric || !c->award_rule)
        return false;
    status_rule_from_json(c->rubric, c->award_rule, &c->r);
    return true;
}

static bool ctx_framework(struct status_ctx *c)
{
    int ns = PQntuples(c->standards), ni = PQntuples(c->indicators);
    c->stds = calloc((size_t)ns + 1, sizeof *c->stds);
    c->inds = calloc((size_t)ni + 1, sizeof *c->inds);
    if (!c->stds || !c->inds)
        return false;
    for (int i = 0; i < ns; i++)
        c->stds[i] = (struct status_standard){.code = db_get(c->standards, i, "code"),
                                              .title = db_get(c->standards, i, "title")};
    for (int i = 0; i < ni; i++)
        c->inds[i] =
            (struct status_indicator){.code = db_get(c->indicators, i, "code"),
                                      .standard = db_get(c->indicators, i, "standard_code")};
    return true;
}

/* The eight status queries of a cohort, or of one learner of it when `learner` is not NULL. */
static void ctx_queries(struct status_ctx *c, const char *const *params, struct db_batch *out)
{
    struct db_batch queries[STATUS_QUERIES] = {
        {&db_status_rule, 1, params, PGRES_TUPLES_OK, &c->rule},
        {&db_status_standards, 1, params, PGRES_TUPLES_OK, &c->standards},
        {&db_status_indicators, 1, params, PGRES_TUPLES_OK, &c->indicators},
        {&db_status_learners, 2, params, PGRES_TUPLES_OK, &c->learners},
        {&db_status_levels, 2, params, PGRES_TUPLES_OK, &c->levels},
        {&db_status_attendance, 2, params, PGRES_TUPLES_OK, &c->attendance},
        {&db_status_held, 1, params, PGRES_TUPLES_OK, &c->held},
        {&db_status_problems, 2, params, PGRES_TUPLES_OK, &c->problems},
    };
    memcpy(out, queries, sizeof queries);
}

/* Once the queries have answered: 404 for a cohort that is not there, else the rule. */
static enum mc_err ctx_ready(struct request *r, const char *cohort, struct status_ctx *c)
{
    if (PQntuples(c->rule) != 1) {
        ctx_release(c);
        char where[4 * MC_MAX_NAME + 1];
        cohort_words(r, cohort, where, sizeof where);
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found", where);
    }
    if (!ctx_rule(c) || !ctx_framework(c)) {
        ctx_release(c);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return MC_OK;
}

static enum mc_err ctx_load(struct request *r, const char *cohort, const char *learner,
                            struct status_ctx *c)
{
    const char *params[] = {cohort, learner};
    struct db_batch queries[STATUS_QUERIES];
    memset(c, 0, sizeof *c);
    ctx_queries(c, params, queries);
    /* eight independent reads, sent together: one round trip */
    enum mc_err rc = db_exec_batch(r->db, queries, STATUS_QUERIES, &r->err);
    if (rc != MC_OK) {
        ctx_release(c);
        return rc;
    }
    return ctx_ready(r, cohort, c);
}

/* The status input of learner row i (its indicators array is `inds`, owned by the caller). */
static void ctx_input(const struct status_ctx *c, int i, struct status_indicator *inds,
                      struct status_input *in)
{
    const char *person = db_get(c->learners, i, "person_id");
    size_t ni = (size_t)PQntuples(c->indicators);
    /* c->inds is set once ctx_load returned MC_OK; the analyzer cannot see that
     * request_fail() returns its (non-MC_OK) code */
    memcpy(inds, c->inds, ni * sizeof *inds); /* NOLINT(clang-analyzer-core.NonNullParamChecker) */
    /* column numbers once, not per row: a cohort's levels are learners times indicators */
    int lv_learner = PQfnumber(c->levels, "learner_id"),
        lv_indicator = PQfnumber(c->levels, "indicator"), lv_level = PQfnumber(c->levels, "level");
    for (int k = 0; k < PQntuples(c->levels); k++) {
        if (strcmp(PQgetvalue(c->levels, k, lv_learner), person) != 0)
            continue;
        const char *code = PQgetvalue(c->levels, k, lv_indicator);
        for (size_t j = 0; j < ni; j++)
            if (strcmp(inds[j].code, code) == 0)
                inds[j].level = (int)strtol(PQgetvalue(c->levels, k, lv_level), NULL, 10);
    }
    *in = (struct status_input){.rule = &c->r,
                                .standards = c->stds,
                                .nstandards = (size_t)PQntuples(c->standards),
                                .indicators = inds,
                                .nindicators = ni,
                                .held = (int)strtol(PQgetvalue(c->held, 0, 0), NULL, 10),
                                .problem = "none"};
    const char *award = db_get(c->learners, i, "award");
    in->awarded = award && strcmp(award, "awarded") == 0;
    in->revoked = award && strcmp(award, "revoked") == 0;
    for (int k = 0; k < PQntuples(c->attendance); k++)
        if (strcmp(db_get(c->attendance, k, "person_id"), person) == 0) {
            in->attended = (int)strtol(db_get(c->attendance, k, "attended"), NULL, 10);
            in->excused = (int)strtol(db_get(c->attendance, k, "excused"), NULL, 10);
        }
    for (int k = 0; k < PQntuples(c->problems); k++)
        if (strcmp(db_get(c->problems, k, "learner_id"), person) == 0)
            in->problem = db_get(c->problems, k, "status");
}

/* Learner row i's status as the API shows it. */
static cJSON *learner_json(const struct status_ctx *c, int i)
{
    size_t ni = (size_t)PQntuples(c->indicators);
    struct status_indicator *inds = calloc(ni + 1, sizeof *inds);
    if (!inds)
        return NULL;
    struct status_input in;
    ctx_input(c, i, inds, &in);
    cJSON *status = status_json(&in);
    free(inds);
    cJSON *learner = cJSON_CreateObject();
    if (!status || !learner ||
        !cJSON_AddStringToObject(learner, "id", db_get(c->learners, i, "person_id")) ||
        !cJSON_AddStringToObject(learner, "email", db_get(c->learners, i, "email")) ||
        !cJSON_AddStringToObject(learner, "name", db_get(c->learners, i, "name"))) {
        cJSON_Delete(status);
        cJSON_Delete(learner);
        return NULL;
    }
    /* the learner first, for people reading the JSON */
    cJSON *out = cJSON_CreateObject();
    if (!out) {
        cJSON_Delete(status);
        cJSON_Delete(learner);
        return NULL;
    }
    cJSON_AddItemToObject(out, "learner", learner);
    cJSON *item = status->child;
    while (item) {
        cJSON *next = item->next;
        cJSON_AddItemToObject(out, item->string, cJSON_DetachItemViaPointer(status, item));
        item = next;
    }
    cJSON_Delete(status);
    return out;
}

void status_learners_init(struct status_learners *set)
{
    *set = (struct status_learners){0};
    mc_buf_init(&set->ids, (size_t)1 << 20); /* 28,000 learners */
}

void status_learners_add(struct status_learners *set, const char *learner_id)
{
    if (mc_buf_appends(&set->ids, set->count ? "," : "{") != MC_OK ||
        mc_buf_appends(&set->ids, learner_id) != MC_OK)
        set->nomem = true;
    set->count++;
}

void status_learners_release(struct status_learners *set)
{
    mc_buf_release(&set->ids);
    set->count = 0;
}

DB_STMT(db_status_refresh, "SELECT mcred.learners_refresh($1::uuid, $2::uuid, $3::uuid[],"
                           " $4::uuid, $5, $6)");

enum mc_err status_refresh(struct request *r, const char *cohort_id, struct status_learners *set)
{
    if (set->count == 0)
        return MC_OK;
    if (set->nomem || mc_buf_appendc(&set->ids, '}') != MC_OK)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    struct actor actor = journal_actor(r);
    const char *params[] = {r->auth.org_id,  cohort_id,   set->ids.data,
                            actor.person_id, actor.label, actor.request_id};
    return db_exec(r->db, &db_status_refresh, 6, params, PGRES_TUPLES_OK, NULL, &r->err);
}

enum mc_err status_refresh_one(struct request *r, const char *cohort_id, const char *learner_id)
{
    struct status_learners set;
    status_learners_init(&set);
    status_learners_add(&set, learner_id);
    enum mc_err rc = status_refresh(r, cohort_id, &set);
    status_learners_release(&set);
    return rc;
}

static cJSON *credential_json(const struct status_ctx *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "id", db_get(c->rule, 0, "id")) ||
        !cJSON_AddStringToObject(o, "slug", db_get(c->rule, 0, "slug")) ||
        !cJSON_AddNumberToObject(o, "version", strtod(db_get(c->rule, 0, "version"), NULL)) ||
        !cJSON_AddStringToObject(o, "title", db_get(c->rule, 0, "title"))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* status-query:coached:begin */
/* in FROM, where PostgreSQL inlines the SQL function rather than plan its body each call */
DB_STMT(db_status_coached, "SELECT person_id FROM mcred.coached_by(mcred.current_org(), $1::uuid,"
                           " mcred.current_person()) AS person_id");
/* status-query:coached:end */

/* The cohort's name and the caller's role in it, for the one-shot path's authorisation. */
DB_STMT(db_status_caller,
        "SELECT c.name, (SELECT m.role FROM mcred.members m WHERE m.org_id = c.org_id"
        " AND m.cohort_id = c.id AND m.person_id = mcred.current_person()"
        " AND m.status = 'enrolled') AS role"
        " FROM mcred.cohorts c WHERE c.org_id = mcred.current_org() AND c.id = $1::uuid");

static bool row_listed(const PGresult *res, const char *id)
{
    for (int i = 0; i < PQntuples(res); i++)
        if (strcmp(PQgetvalue(res, i, 0), id) == 0)
            return true;
    return false;
}

/* The cohort's status; a coach's answer lists the learners `coached` holds, others all. */
static enum mc_err cohort_reply(struct request *r, const char *cohort, struct status_ctx *c,
                                const PGresult *coached)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *learners = cJSON_AddArrayToObject(root, "learners");
    bool ok = learners && cJSON_AddStringToObject(root, "cohort", cohort) &&
              cJSON_AddItemToObject(root, "credential", credential_json(c));
    for (int i = 0; ok && i < PQntuples(c->learners); i++) {
        if (coached && !row_listed(coached, db_get(c->learners, i, "person_id")))
            continue;
        ok = cJSON_AddItemToArray(learners, learner_json(c, i));
    }
    ctx_release(c);
    if (!ok) {
        cJSON_Delete(root);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return request_reply(r, 200, root);
}

enum mc_err status_cohort(struct request *r)
{
    const char *cohort = request_param(r, "id");
    struct status_ctx c;
    enum mc_err rc = ctx_load(r, cohort, NULL, &c);
    if (rc != MC_OK)
        return rc;
    /* a coach sees the learners they coach: one more query, not one per learner */
    PGresult *coached = NULL;
    if (r->cohort_role == ROLE_COACH) {
        const char *params[] = {cohort};
        rc = db_exec(r->db, &db_status_coached, 1, params, PGRES_TUPLES_OK, &coached, &r->err);
    }
    if (rc != MC_OK) {
        ctx_release(&c);
        return rc;
    }
    rc = cohort_reply(r, cohort, &c, coached);
    PQclear(coached);
    return rc;
}

/* The one-shot call's statements, in this order. */
enum { SHOT_CALLER, SHOT_QUERIES, SHOT_COACHED = SHOT_QUERIES + STATUS_QUERIES, SHOT_COUNT };

bool status_oneshot_prepare(struct request *r, struct oneshot *call)
{
    /* a cohort named by slug or name is found on the ordinary path */
    if (!mc_uuid_valid(request_param(r, "id")))
        return false;
    call->params[0] = request_param(r, "id");
    call->params[1] = NULL;
    struct status_ctx unused;
    struct db_batch queries[STATUS_QUERIES];
    ctx_queries(&unused, call->params, queries);
    bool ok = oneshot_add(call, &db_status_caller, 1, call->params);
    for (size_t i = 0; ok && i < STATUS_QUERIES; i++)
        ok = oneshot_add(call, queries[i].stmt, queries[i].nparams, call->params);
    return ok && oneshot_add(call, &db_status_coached, 1, call->params);
}

/* The route's authorisation, from the caller's role in the cohort (SHOT_CALLER). */
static enum mc_err oneshot_authorise(struct request *r, const PGresult *caller)
{
    const char *name = PQntuples(caller) == 1 ? PQgetvalue(caller, 0, 0) : "";
    mc_format_cut(r->cohort_name, sizeof r->cohort_name, "%s", name);
    r->cohort_resolved = PQntuples(caller) == 1;
    r->cohort_role = 0;
    if (r->route->roles & r->auth.roles)
        return MC_OK;
    const char *role =
        PQntuples(caller) == 1 && !PQgetisnull(caller, 0, 1) ? PQgetvalue(caller, 0, 1) : "";
    unsigned bit = strcmp(role, "coach") == 0     ? ROLE_COACH
                   : strcmp(role, "learner") == 0 ? ROLE_LEARNER
                                                  : 0;
    if (bit & r->route->roles) {
        r->cohort_role = bit;
        return MC_OK;
    }
    char refusal[MC_MAX_ERR_MESSAGE];
    (void)route_refusal(r->route, name, refusal, sizeof refusal);
    return request_fail(r, MC_ERR_FORBIDDEN, NULL, "%s", refusal);
}

enum mc_err status_oneshot_answer(struct request *r, const struct oneshot *call)
{
    if (call->n != SHOT_COUNT)
        return request_fail(r, MC_ERR_INTERNAL, NULL, "a status call of %zu statements", call->n);
    enum mc_err rc = oneshot_authorise(r, call->res[SHOT_CALLER]);
    if (rc != MC_OK)
        return rc;
    const char *cohort = request_param(r, "id");
    struct status_ctx c = {.borrowed = true};
    PGresult **mine[STATUS_QUERIES] = {&c.rule,   &c.standards,  &c.indicators, &c.learners,
                                       &c.levels, &c.attendance, &c.held,       &c.problems};
    for (size_t i = 0; i < STATUS_QUERIES; i++)
        *mine[i] = call->res[SHOT_QUERIES + i];
    if (PQntuples(c.rule) != 1) /* the cohort is not there: no name to give but its id */
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "cohort %s not found", cohort);
    rc = ctx_ready(r, cohort, &c);
    if (rc != MC_OK)
        return rc;
    return cohort_reply(r, cohort, &c,
                        r->cohort_role == ROLE_COACH ? call->res[SHOT_COACHED] : NULL);
}

/* 404 for a person the path names who is no learner of the cohort, in names and e-mails. */
static enum mc_err not_a_learner(struct request *r, const char *cohort, const char *person)
{
    char who[MEMBERS_WORDS_MAX], where[4 * MC_MAX_NAME + 1];
    members_person_words(r, person, who, sizeof who);
    cohort_words(r, cohort, where, sizeof where);
    return request_fail(r, MC_ERR_NOT_FOUND, NULL, "%s is not a learner of cohort %s", who, where);
}

enum mc_err status_member(struct request *r)
{
    const char *cohort = request_param(r, "id");
    const char *person = request_param(r, "person");
    char learner[40];
    /* who may see whom is mcred.learner_access's rule; one statement, then the status */
    enum mc_err rc = learner_access_check(r, cohort, person, "person", learner);
    if (rc != MC_OK)
        return rc;
    struct status_ctx c;
    rc = ctx_load(r, cohort, learner, &c);
    if (rc != MC_OK)
        return rc;
    cJSON *out = PQntuples(c.learners) == 1 ? learner_json(&c, 0) : NULL;
    bool found = PQntuples(c.learners) == 1;
    ctx_release(&c);
    if (!found)
        return not_a_learner(r, cohort, person);
    return out ? request_reply(r, 200, out) : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}
