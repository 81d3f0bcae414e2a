/*
 * members.c — /v1/cohorts/{id}/members: enrol one or many, a roster
 * import, list, assign coaches, withdraw; and the waitlist.
 *
 * Every change takes the cohort's lock first (cohort_lock), so that the
 * count of enrolled learners against the capacity cannot race.  Learners
 * beyond the capacity are waitlisted in enrolment order; coaches do not
 * count.  A withdrawn member keeps their row, and enrolling them again
 * reuses it.
 *
 * Enrolling many (a list, a roster) takes a constant number of round
 * trips: every name is resolved in one statement (mcred.members_lookup),
 * the rules run here on what it found, in the order they always ran, and
 * the changes decided are written with their audit rows and events in
 * one more (mcred.members_write).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohorts.h"
#include "dispatcher.h"
#include "journal.h"
#include "mcred/json.h"
#include "mcred/validate.h"
#include "members.h"
#include "paging.h"
#include "people.h"
#include "request.h"
#include "roster.h"
#include "router.h"

#include "mcred/banned.h"

#define MC_MAX_ENROL 500 /* members in one request */

struct person_ref {
    char id[40];
    char email[MC_MAX_EMAIL + 1];
};

DB_STMT(db_member_person_by_id,
        "SELECT id, email FROM mcred.people WHERE org_id = $1::uuid AND id = $2::uuid");
DB_STMT(db_member_person_by_email,
        "SELECT id, email FROM mcred.people WHERE org_id = $1::uuid AND lower(email) = lower($2)");

/* A person of the organisation named by id or e-mail; *found false when none. */
static enum mc_err person_find(struct request *r, const char *who, struct person_ref *out,
                               bool *found)
{
    const char *params[] = {r->auth.org_id, who};
    PGresult *res = NULL;
    struct db_stmt *stmt =
        mc_uuid_valid(who) ? &db_member_person_by_id : &db_member_person_by_email;
    enum mc_err rc = db_exec(r->db, stmt, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    *found = PQntuples(res) == 1;
    if (*found) {
        snprintf(out->id, sizeof out->id, "%s", db_get(res, 0, "id"));
        snprintf(out->email, sizeof out->email, "%s", db_get(res, 0, "email"));
    }
    PQclear(res);
    return MC_OK;
}

DB_STMT(db_member_label, "SELECT mcred.person_label($1::uuid, $2::uuid)");

/* "Name (e-mail)" of a person of the organisation (an id), as messages name them. */
static void person_label(struct request *r, const char *person, char *out, size_t size)
{
    const char *params[] = {r->auth.org_id, person};
    PGresult *res = NULL;
    mc_format_cut(out, size, "%s", person);
    if (db_exec(r->db, &db_member_label, 2, params, PGRES_TUPLES_OK, &res, &r->err) == MC_OK &&
        PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
        mc_format_cut(out, size, "%s", PQgetvalue(res, 0, 0));
    else
        mc_error_clear(&r->err);
    PQclear(res);
}

void members_person_words(struct request *r, const char *who, char *out, size_t size)
{
    struct person_ref ref;
    bool found = false;
    mc_format_cut(out, size, "%s", who);
    if (mc_uuid_valid(who)) {
        person_label(r, who, out, size);
        return;
    }
    if (person_find(r, who, &ref, &found) != MC_OK)
        mc_error_clear(&r->err);
    else if (found)
        person_label(r, ref.id, out, size);
}

DB_STMT(db_member_get, "SELECT role, status FROM mcred.members WHERE org_id = $1::uuid"
                       " AND cohort_id = $2::uuid AND person_id = $3::uuid");

/* The member's role and status ("" when not a member). */
static enum mc_err member_state(struct request *r, const char *cohort, const char *person,
                                char role[16], char status[16])
{
    const char *params[] = {r->auth.org_id, cohort, person};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_member_get, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    snprintf(role, 16, "%s", PQntuples(res) == 1 ? db_get(res, 0, "role") : "");
    snprintf(status, 16, "%s", PQntuples(res) == 1 ? db_get(res, 0, "status") : "");
    PQclear(res);
    return MC_OK;
}

static bool active(const char *status)
{
    return strcmp(status, "enrolled") == 0 || strcmp(status, "waitlisted") == 0;
}

DB_STMT(db_member_event_data,
        "SELECT json_build_object('cohort', m.cohort_id, 'person', m.person_id, 'email', p.email,"
        " 'role', m.role, 'status', m.status, 'coach', m.coach_id)::text AS item"
        " FROM mcred.members m JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id"
        " WHERE m.org_id = $1::uuid AND m.cohort_id = $2::uuid AND m.person_id = $3::uuid");

/* Journal a membership change; event_type NULL for an audit row alone. */
static enum mc_err member_journal(struct request *r, const char *cohort, const char *person,
                                  const char *action, const char *event_type, cJSON *before)
{
    const char *params[] = {r->auth.org_id, cohort, person};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_member_event_data, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    cJSON *data = PQntuples(res) == 1 ? page_item(res, 0) : NULL;
    PQclear(res);
    if (!data)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    char entity_id[96];
    snprintf(entity_id, sizeof entity_id, "%s/%s", cohort, person);
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor, action, "member", entity_id, before, data,
                       event_type, data, NULL, &r->err);
    cJSON_Delete(data);
    return rc;
}

DB_STMT(db_member_learners,
        "SELECT count(*) FROM mcred.members WHERE org_id = $1::uuid"
        " AND cohort_id = $2::uuid AND role = 'learner' AND status = 'enrolled'");

static enum mc_err learners_enrolled(struct request *r, const char *cohort, long *out)
{
    const char *params[] = {r->auth.org_id, cohort};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_member_learners, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    *out = strtol(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return MC_OK;
}

/* The coach named by `who` must be an enrolled coach of the cohort. */
static enum mc_err coach_check(struct request *r, const char *cohort, const char *who,
                               const char *field, struct person_ref *out)
{
    bool found = false;
    char role[16], status[16];
    enum mc_err rc = person_find(r, who, out, &found);
    if (rc != MC_OK)
        return rc;
    if (!found)
        return request_fail(r, MC_ERR_INVALID, field, "no person %s in this organisation", who);
    rc = member_state(r, cohort, out->id, role, status);
    if (rc == MC_OK && (strcmp(role, "coach") != 0 || strcmp(status, "enrolled") != 0))
        rc = request_fail(r, MC_ERR_INVALID, field, "%s is not a coach of this cohort", who);
    return rc;
}

DB_STMT(db_member_item,
        "SELECT item::text AS item FROM mcred.member_items"
        " WHERE org_id = $1::uuid AND cohort_id = $2::uuid AND person_id = $3::uuid");

static enum mc_err member_item(struct request *r, const char *cohort, const char *person,
                               cJSON **out)
{
    const char *params[] = {r->auth.org_id, cohort, person};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_member_item, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool found = PQntuples(res) == 1;
    *out = found ? page_item(res, 0) : NULL;
    PQclear(res);
    if (!found) {
        char who[MEMBERS_WORDS_MAX], where[4 * MC_MAX_NAME + 1];
        person_label(r, person, who, sizeof who);
        cohort_words(r, cohort, where, sizeof where);
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "%s is not a member of cohort %s", who,
                            where);
    }
    return *out ? MC_OK : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

/* ---- many at once ---- */

/* A name resolved by members_lookup: the person, and their membership. */
struct member_ref {
    bool found;
    char id[40];
    char email[MC_MAX_EMAIL + 1];
    char role[16];   /* "" when not a member */
    char status[16]; /* "" when not a member */
};

DB_STMT(db_members_lookup, "SELECT idx, person_id, email, role, status"
                           " FROM mcred.members_lookup($1::uuid, $2::uuid, $3::jsonb)");

/* Resolve every name of `names` (a JSON array of ids or e-mails) at once: out[i] for name i. */
static enum mc_err members_lookup(struct request *r, const char *cohort, const cJSON *names,
                                  struct member_ref *out)
{
    int n = cJSON_GetArraySize(names);
    char *text = cJSON_PrintUnformatted(names);
    if (!text)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {r->auth.org_id, cohort, text};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_members_lookup, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    free(text);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != n) {
        PQclear(res);
        return request_fail(r, MC_ERR_INTERNAL, NULL, NULL);
    }
    for (int i = 0; i < n; i++) {
        const char *id = db_get(res, i, "person_id"), *email = db_get(res, i, "email");
        const char *role = db_get(res, i, "role"), *status = db_get(res, i, "status");
        out[i].found = id != NULL;
        snprintf(out[i].id, sizeof out[i].id, "%s", id ? id : "");
        snprintf(out[i].email, sizeof out[i].email, "%s", email ? email : "");
        snprintf(out[i].role, sizeof out[i].role, "%s", role ? role : "");
        snprintf(out[i].status, sizeof out[i].status, "%s", status ? status : "");
    }
    PQclear(res);
    return MC_OK;
}

/* Append a name to look up; "" stands in for a missing one, and finds no one. */
static bool names_add(cJSON *names, const char *name)
{
    return cJSON_AddItemToArray(names, cJSON_CreateString(name ? name : ""));
}

/*
 * The changes decided for a cohort, written at once by members_write:
 * learners are enrolled while the cohort has room (`learners` counts
 * them) and waitlisted after, in the order they are planned.
 */
struct member_plan {
    const struct cohort_info *cohort;
    long learners;
    cJSON *rows; /* [{"action", "person", "role", "status", "coach"}] */
};

static bool plan_row(struct member_plan *p, const char *action, const char *person,
                     const char *role, const char *status, const char *coach)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "action", action) ||
        !cJSON_AddStringToObject(o, "person", person) ||
        (role && !cJSON_AddStringToObject(o, "role", role)) ||
        (status && !cJSON_AddStringToObject(o, "status", status)) ||
        !(coach ? cJSON_AddStringToObject(o, "coach", coach) : cJSON_AddNullToObject(o, "coach")) ||
        !cJSON_AddItemToArray(p->rows, o)) {
        cJSON_Delete(o);
        return false;
    }
    return true;
}

/* Plan an enrolment (new, or again after a withdrawal); false when out of memory. */
static bool plan_enrol(struct member_plan *p, const char *person, const char *role,
                       const char *coach, bool *out_waitlisted)
{
    bool learner = strcmp(role, "learner") == 0;
    bool waitlisted = learner && p->learners >= p->cohort->capacity;
    if (!plan_row(p, "enrol", person, role, waitlisted ? "waitlisted" : "enrolled", coach))
        return false;
    if (learner && !waitlisted)
        p->learners++;
    *out_waitlisted = waitlisted;
    return true;
}

DB_STMT(db_members_write, "SELECT idx, person_id, status FROM mcred.members_write($1::uuid,"
                          " $2::uuid, $3::jsonb, $4::uuid, $5, $6)");

/* Write the plan; a row whose member turned out active already refuses the request. */
static enum mc_err plan_write(struct request *r, const struct member_plan *p)
{
    int n = cJSON_GetArraySize(p->rows);
    if (n == 0)
        return MC_OK;
    char *text = cJSON_PrintUnformatted(p->rows);
    if (!text)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    struct actor actor = journal_actor(r);
    const char *params[] = {r->auth.org_id,  p->cohort->id, text,
                            actor.person_id, actor.label,   actor.request_id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_members_write, 6, params, PGRES_TUPLES_OK, &res, &r->err);
    free(text);
    if (rc != MC_OK)
        return rc;
    bool written = PQntuples(res) == n;
    for (int i = 0; written && i < n; i++)
        written = db_get(res, i, "status") != NULL;
    PQclear(res);
    return written ? MC_OK
                   : request_fail(r, MC_ERR_CONFLICT, NULL, "already a member of this cohort");
}

DB_STMT(db_member_items,
        "SELECT i.item::text AS item FROM jsonb_array_elements_text($3::jsonb)"
        " WITH ORDINALITY AS x(person, n)"
        " LEFT JOIN mcred.member_items i ON i.org_id = $1::uuid AND i.cohort_id = $2::uuid"
        " AND i.person_id = x.person::uuid ORDER BY x.n");

/* The members named by `persons` (a JSON array of ids), as the API shows them, in order. */
static enum mc_err member_items(struct request *r, const char *cohort, const cJSON *persons,
                                cJSON *out)
{
    char *text = cJSON_PrintUnformatted(persons);
    if (!text)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    const char *params[] = {r->auth.org_id, cohort, text};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_member_items, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    free(text);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != cJSON_GetArraySize(persons))
        rc = request_fail(r, MC_ERR_INTERNAL, NULL, NULL);
    for (int i = 0; rc == MC_OK && i < PQntuples(res); i++) {
        if (PQgetisnull(res, i, 0)) {
            rc = request_fail(r, MC_ERR_INTERNAL, NULL, NULL);
            break;
        }
        cJSON *item = page_item(res, i);
        if (!item || !cJSON_AddItemToArray(out, item)) {
            cJSON_Delete(item);
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        }
    }
    PQclear(res);
    return rc;
}

DB_STMT(db_members_waiting,
        "SELECT coalesce(jsonb_agg(jsonb_build_object('action', 'promote', 'person', w.person_id)"
        " ORDER BY w.enrolled_at, w.person_id), '[]')::text"
        " FROM (SELECT m.person_id, m.enrolled_at FROM mcred.members m WHERE m.org_id = $1::uuid"
        " AND m.cohort_id = $2::uuid AND m.status = 'waitlisted'"
        " ORDER BY m.enrolled_at, m.person_id"
        " LIMIT greatest(0, (SELECT c.capacity FROM mcred.cohorts c"
        "                    WHERE c.org_id = $1::uuid AND c.id = $2::uuid)"
        "    - (SELECT count(*) FROM mcred.members e WHERE e.org_id = $1::uuid"
        "       AND e.cohort_id = $2::uuid AND e.role = 'learner' AND e.status = 'enrolled'))) w");

/* As many of the waitlist as there is room for, in its order, in two statements. */
enum mc_err members_promote(struct request *r, const char *cohort_id)
{
    const char *params[] = {r->auth.org_id, cohort_id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_members_waiting, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    struct cohort_info cohort = {.capacity = 0};
    snprintf(cohort.id, sizeof cohort.id, "%s", cohort_id);
    struct member_plan plan = {
        .cohort = &cohort, .rows = PQntuples(res) == 1 ? cJSON_Parse(PQgetvalue(res, 0, 0)) : NULL};
    PQclear(res);
    rc = plan.rows ? plan_write(r, &plan) : request_fail(r, MC_ERR_INTERNAL, NULL, NULL);
    cJSON_Delete(plan.rows);
    return rc;
}

/* ---- POST /v1/cohorts/{id}/members ---- */

struct enrol_item {
    const cJSON *json;
    char field[32];  /* "members[3]" */
    const char *key; /* "email" or "person": how the item names its person */
    const char *role;
    const char *coach;
    const struct member_ref *person; /* what its name found */
    const struct member_ref *coach_ref;
    bool waitlisted;
};

/* "members[2].email", or "email" when the body is a single member. */
static void item_field(char *out, size_t size, const char *item, const char *name)
{
    snprintf(out, size, "%s%s%s", item, *item ? "." : "", name);
}

/* The item's names as written, unchecked, for the one lookup: its person, its coach. */
static bool item_names(const cJSON *item, cJSON *persons, cJSON *coaches)
{
    const char *person = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "person"));
    const char *email = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "email"));
    const char *coach = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "coach"));
    return names_add(persons, person ? person : email) && names_add(coaches, coach);
}

static enum mc_err enrol_item_read(struct request *r, struct enrol_item *it)
{
    static const char *const keys[] = {"email", "person", "role", "coach", NULL};
    char field[64];
    const char *email = NULL, *person = NULL;
    enum mc_err rc = mc_json_only_keys(it->json, keys, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(it->json, "email", false, MC_MAX_EMAIL, &email, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(it->json, "person", false, 64, &person, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(it->json, "role", false, 16, &it->role, &r->err);
    if (rc == MC_OK)
        rc = mc_json_get_string(it->json, "coach", false, MC_MAX_EMAIL, &it->coach, &r->err);
    if (rc != MC_OK) {
        request_field_prefix(r, it->field);
        return rc;
    }
    if (!it->role)
        it->role = "learner";
    item_field(field, sizeof field, it->field, "role");
    if (strcmp(it->role, "learner") != 0 && strcmp(it->role, "coach") != 0)
        return request_fail(r, MC_ERR_INVALID, field, "role must be learner or coach");
    item_field(field, sizeof field, it->field, "coach");
    if (it->coach && strcmp(it->role, "coach") == 0)
        return request_fail(r, MC_ERR_INVALID, field, "a coach has no coach");
    it->key = person ? "person" : "email";
    item_field(field, sizeof field, it->field, it->key);
    if ((email == NULL) == (person == NULL))
        return request_fail(r, MC_ERR_INVALID, field, "give either email or person");
    if (!it->person->found)
        return request_fail(r, MC_ERR_INVALID, field, "no person %s in this organisation",
                            person ? person : email);
    return MC_OK;
}

static enum mc_err enrol_items_read(struct request *r, struct enrol_item *items, int n)
{
    for (int i = 0; i < n; i++) {
        enum mc_err rc = enrol_item_read(r, &items[i]);
        if (rc != MC_OK)
            return rc;
        for (int j = 0; j < i; j++)
            if (strcmp(items[j].person->id, items[i].person->id) == 0)
                return request_fail(r, MC_ERR_INVALID, items[i].field[0] ? items[i].field : NULL,
                                    "%s is named twice (also %s)", items[i].person->email,
                                    items[j].field);
        char field[64];
        item_field(field, sizeof field, items[i].field, items[i].key);
        if (active(items[i].person->status))
            return request_fail(r, MC_ERR_CONFLICT, field, "%s is already %s",
                                items[i].person->email, items[i].person->status);
    }
    return MC_OK;
}

/*
 * A learner's coach must be an enrolled coach of the cohort: one already,
 * or one that this request enrols (coaches are enrolled first).
 */
static enum mc_err item_coach_check(struct request *r, const struct enrol_item *items, int n,
                                    const struct enrol_item *it)
{
    char field[64];
    item_field(field, sizeof field, it->field, "coach");
    if (!it->coach_ref->found)
        return request_fail(r, MC_ERR_INVALID, field, "no person %s in this organisation",
                            it->coach);
    if (strcmp(it->coach_ref->role, "coach") == 0 && strcmp(it->coach_ref->status, "enrolled") == 0)
        return MC_OK;
    for (int j = 0; j < n; j++)
        if (strcmp(items[j].role, "coach") == 0 &&
            strcmp(items[j].person->id, it->coach_ref->id) == 0)
            return MC_OK;
    return request_fail(r, MC_ERR_INVALID, field, "%s is not a coach of this cohort", it->coach);
}

/* Plan the items of one role, in order. */
static enum mc_err enrol_role(struct request *r, struct member_plan *plan, struct enrol_item *items,
                              int n, const char *role)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(items[i].role, role) != 0)
            continue;
        enum mc_err rc = items[i].coach ? item_coach_check(r, items, n, &items[i]) : MC_OK;
        if (rc != MC_OK)
            return rc;
        if (!plan_enrol(plan, items[i].person->id, role,
                        items[i].coach ? items[i].coach_ref->id : NULL, &items[i].waitlisted))
            return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return MC_OK;
}

/* Look up every item's person and coach in one statement; refs holds 2n: persons, then coaches. */
static enum mc_err enrol_items_lookup(struct request *r, const char *cohort,
                                      struct enrol_item *items, int n, struct member_ref *refs)
{
    cJSON *persons = cJSON_CreateArray(), *coaches = cJSON_CreateArray();
    bool ok = persons && coaches;
    for (int i = 0; ok && i < n; i++)
        ok = item_names(items[i].json, persons, coaches);
    cJSON *coach = NULL;
    while (ok && (coach = cJSON_DetachItemFromArray(coaches, 0)))
        ok = cJSON_AddItemToArray(persons, coach);
    enum mc_err rc =
        ok ? members_lookup(r, cohort, persons, refs) : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    cJSON_Delete(persons);
    cJSON_Delete(coaches);
    for (int i = 0; rc == MC_OK && i < n; i++) {
        items[i].person = &refs[i];
        items[i].coach_ref = &refs[n + i];
    }
    return rc;
}

/* Check the items and plan their enrolment: coaches first, so that learners can name them. */
static enum mc_err enrol_items(struct request *r, struct member_plan *plan,
                               struct enrol_item *items, int n, cJSON *persons)
{
    struct member_ref *refs = calloc(2 * (size_t)n, sizeof *refs);
    if (!refs)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    enum mc_err rc = enrol_items_lookup(r, plan->cohort->id, items, n, refs);
    if (rc == MC_OK)
        rc = enrol_items_read(r, items, n);
    if (rc == MC_OK)
        rc = learners_enrolled(r, plan->cohort->id, &plan->learners);
    if (rc == MC_OK)
        rc = enrol_role(r, plan, items, n, "coach");
    if (rc == MC_OK)
        rc = enrol_role(r, plan, items, n, "learner");
    for (int i = 0; rc == MC_OK && i < n; i++)
        if (!names_add(persons, items[i].person->id))
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    free(refs);
    return rc;
}

enum mc_err members_add(struct request *r)
{
    struct cohort_info cohort;
    const char *cohort_id = request_param(r, "id");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r->json, "members");
    bool one = !list;
    int n = one ? 1 : cJSON_GetArraySize(list);
    enum mc_err rc = cohort_lock(r, cohort_id, COHORT_CHANGE, &cohort);
    if (rc != MC_OK)
        return rc;
    if (!one &&
        (!cJSON_IsArray(list) || n < 1 || n > MC_MAX_ENROL || cJSON_GetArraySize(r->json) != 1))
        return request_fail(r, MC_ERR_INVALID, "members",
                            "members must be a list of 1 to %d people, and alone in the body",
                            MC_MAX_ENROL);
    struct enrol_item *items = calloc((size_t)n, sizeof *items);
    struct member_plan plan = {.cohort = &cohort, .rows = cJSON_CreateArray()};
    cJSON *persons = cJSON_CreateArray(), *root = cJSON_CreateObject();
    cJSON *out = cJSON_AddArrayToObject(root, "members");
    if (!items || !plan.rows || !persons || !out) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        items[i].json = one ? r->json : cJSON_GetArrayItem(list, i);
        snprintf(items[i].field, sizeof items[i].field, "members[%d]", i);
        if (one)
            items[i].field[0] = '\0';
    }
    rc = enrol_items(r, &plan, items, n, persons);
    if (rc == MC_OK)
        rc = plan_write(r, &plan);
    if (rc == MC_OK)
        rc = member_items(r, cohort_id, persons, out);
    if (rc == MC_OK) {
        rc = request_reply(r, 201, root);
        root = NULL;
    }
out:
    free(items);
    cJSON_Delete(plan.rows);
    cJSON_Delete(persons);
    cJSON_Delete(root);
    return rc;
}

/* ---- GET, PATCH, DELETE ---- */

DB_STMT_REPLAN(db_members_list,
               "SELECT item::text AS item, sort_key FROM mcred.member_items"
               " WHERE org_id = $1::uuid AND cohort_id = $2::uuid"
               " AND ($3::text IS NULL OR sort_key > $3 COLLATE \"C\")"
               " AND ($4::text IS NULL OR status = $4) AND ($5::text IS NULL OR role = $5)"
               " ORDER BY sort_key LIMIT $6::integer");

enum mc_err members_list(struct request *r)
{
    struct page page;
    struct cohort_info cohort;
    const char *cohort_id = request_param(r, "id");
    enum mc_err rc = page_parse(r, &page);
    if (rc == MC_OK)
        rc = cohort_lock(r, cohort_id, COHORT_READ, &cohort);
    if (rc != MC_OK)
        return rc;
    static const char *const statuses[] = {"enrolled", "waitlisted", "withdrawn", "completed",
                                           NULL};
    static const char *const roles[] = {"learner", "coach", NULL};
    const char *status = NULL, *role = NULL;
    rc = request_query_word(r, "status", statuses, &status);
    if (rc == MC_OK)
        rc = request_query_word(r, "role", roles, &role);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id, cohort_id, page_after_param(&page),
                            status,         role,      page.limit_plus_one};
    return page_reply_query(r, &page, &db_members_list, 6, params);
}

DB_STMT(db_member_set_coach, "UPDATE mcred.members SET coach_id = $4::uuid, updated_at = now()"
                             " WHERE org_id = $1::uuid AND cohort_id = $2::uuid"
                             " AND person_id = $3::uuid");

static enum mc_err member_set_coach(struct request *r, const char *cohort, const char *person,
                                    const char *coach)
{
    const char *params[] = {r->auth.org_id, cohort, person, coach};
    return db_exec(r->db, &db_member_set_coach, 4, params, PGRES_COMMAND_OK, NULL, &r->err);
}

enum mc_err members_update(struct request *r)
{
    static const char *const keys[] = {"coach", NULL};
    struct cohort_info cohort;
    const char *cohort_id = request_param(r, "id"), *person = request_param(r, "person");
    const char *coach = NULL;
    char role[16], status[16];
    cJSON *before = NULL, *after = NULL;
    enum mc_err rc = cohort_lock(r, cohort_id, COHORT_CHANGE, &cohort);
    if (rc == MC_OK)
        rc = mc_json_only_keys(r->json, keys, &r->err);
    if (rc == MC_OK && !cJSON_HasObjectItem(r->json, "coach"))
        rc = request_fail(r, MC_ERR_INVALID, "coach", "nothing to change: give coach");
    if (rc == MC_OK)
        rc = mc_json_get_string(r->json, "coach", false, MC_MAX_EMAIL, &coach, &r->err);
    if (rc == MC_OK)
        rc = member_state(r, cohort_id, person, role, status);
    if (rc != MC_OK)
        return rc;
    if (!*role) {
        char who[MEMBERS_WORDS_MAX];
        person_label(r, person, who, sizeof who);
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "%s is not a member of cohort %s", who,
                            cohort.name);
    }
    if (strcmp(role, "learner") != 0)
        return request_fail(r, MC_ERR_INVALID, "coach", "only learners have coaches");
    struct person_ref ref = {.id = ""};
    if (coach)
        rc = coach_check(r, cohort_id, coach, "coach", &ref);
    if (rc == MC_OK)
        rc = member_item(r, cohort_id, person, &before);
    if (rc == MC_OK)
        rc = member_set_coach(r, cohort_id, person, coach ? ref.id : NULL);
    if (rc == MC_OK)
        rc = member_journal(r, cohort_id, person, "member.coach", NULL, before);
    if (rc == MC_OK)
        rc = member_item(r, cohort_id, person, &after);
    cJSON_Delete(before);
    return rc == MC_OK ? request_reply(r, 200, after) : rc;
}

DB_STMT(db_member_withdraw, "UPDATE mcred.members SET status = 'withdrawn', updated_at = now()"
                            " WHERE org_id = $1::uuid AND cohort_id = $2::uuid"
                            " AND person_id = $3::uuid");
DB_STMT(db_member_coached,
        "SELECT string_agg(mcred.person_label(org_id, person_id), ', '"
        "                  ORDER BY mcred.person_label(org_id, person_id)) AS learners,"
        " count(*) AS n FROM mcred.members WHERE org_id = $1::uuid AND cohort_id = $2::uuid"
        " AND coach_id = $3::uuid AND role = 'learner' AND status IN ('enrolled', 'waitlisted')");
/* One statement moves every active learner of the coach; the rows say who moved. */
DB_STMT(db_member_reassign,
        "WITH moved AS (UPDATE mcred.members m SET coach_id = $4::uuid, updated_at = now()"
        "  FROM mcred.people p WHERE m.org_id = $1::uuid AND m.cohort_id = $2::uuid"
        "  AND m.coach_id = $3::uuid AND m.role = 'learner'"
        "  AND m.status IN ('enrolled', 'waitlisted')"
        "  AND p.org_id = m.org_id AND p.id = m.person_id"
        "  RETURNING m.person_id AS id, p.email, p.name)"
        " SELECT id, email, name FROM moved ORDER BY lower(email)");

/* ?release=true|false */
static enum mc_err release_param(struct request *r, bool *out)
{
    const char *v = request_query(r, "release");
    *out = v && strcmp(v, "true") == 0;
    if (v && !*out && strcmp(v, "false") != 0)
        return request_fail(r, MC_ERR_INVALID, "release", "release must be true or false");
    return MC_OK;
}

/*
 * A coach with learners is withdrawn only when the caller says where the
 * learners go: to another enrolled coach (reassign_to) or to no coach
 * (release); each learner moved gets an audit row (member.coach) and the
 * moved learners are listed in the answer's "learners_moved".
 */
static enum mc_err coach_hand_over(struct request *r, const char *cohort, const char *coach,
                                   const char *label, const char *reassign_to, bool release,
                                   cJSON *moved)
{
    const char *params[] = {r->auth.org_id, cohort, coach};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_member_coached, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    long n = strtol(PQgetvalue(res, 0, 1), NULL, 10);
    if (n > 0 && !reassign_to && !release) {
        rc = request_fail(r, MC_ERR_CONFLICT, "reassign_to",
                          "%s still coaches %ld learner%s: %s; reassign them to another coach "
                          "of this cohort, or release them to have no coach",
                          label, n, n == 1 ? "" : "s", PQgetvalue(res, 0, 0));
        PQclear(res);
        return rc;
    }
    PQclear(res);
    struct person_ref to = {.id = ""};
    if (reassign_to) {
        rc = coach_check(r, cohort, reassign_to, "reassign_to", &to);
        if (rc != MC_OK)
            return rc;
        if (strcmp(to.id, coach) == 0)
            return request_fail(r, MC_ERR_INVALID, "reassign_to",
                                "%s is the coach being withdrawn; name another coach", reassign_to);
    }
    if (n == 0)
        return MC_OK;
    const char *up[] = {r->auth.org_id, cohort, coach, reassign_to ? to.id : NULL};
    rc = db_exec(r->db, &db_member_reassign, 4, up, PGRES_TUPLES_OK, &res, &r->err);
    for (int i = 0; rc == MC_OK && i < PQntuples(res); i++) {
        const char *person = db_get(res, i, "id");
        cJSON *before = cJSON_CreateObject(), *o = cJSON_CreateObject();
        if (!before || !cJSON_AddStringToObject(before, "coach", coach) ||
            !cJSON_AddItemToArray(moved, o) || !cJSON_AddStringToObject(o, "id", person) ||
            !cJSON_AddStringToObject(o, "email", db_get(res, i, "email")) ||
            !cJSON_AddStringToObject(o, "name", db_get(res, i, "name")))
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        if (rc == MC_OK)
            rc = member_journal(r, cohort, person, "member.coach", NULL, before);
        cJSON_Delete(before);
        if (!cJSON_IsArray(moved) || cJSON_GetArraySize(moved) <= i)
            cJSON_Delete(o);
    }
    PQclear(res);
    return rc;
}

enum mc_err members_withdraw(struct request *r)
{
    struct cohort_info cohort;
    const char *cohort_id = request_param(r, "id"), *person = request_param(r, "person");
    const char *reassign_to = request_query(r, "reassign_to");
    char role[16], status[16], label[MC_MAX_NAME + MC_MAX_EMAIL + 8];
    bool release = false;
    cJSON *after = NULL, *moved = cJSON_CreateArray();
    enum mc_err rc = moved ? release_param(r, &release) : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    if (rc == MC_OK && release && reassign_to)
        rc = request_fail(r, MC_ERR_INVALID, "release",
                          "give reassign_to or release=true, not both");
    if (rc == MC_OK)
        rc = cohort_lock(r, cohort_id, COHORT_CHANGE, &cohort);
    if (rc == MC_OK)
        rc = member_state(r, cohort_id, person, role, status);
    if (rc != MC_OK)
        goto out;
    person_label(r, person, label, sizeof label);
    if (!*role) {
        rc = request_fail(r, MC_ERR_NOT_FOUND, NULL, "%s is not a member of this cohort", label);
        goto out;
    }
    if (!active(status)) {
        rc = request_fail(r, MC_ERR_CONFLICT, NULL, "%s is already %s", label, status);
        goto out;
    }
    if (strcmp(role, "coach") == 0)
        rc = coach_hand_over(r, cohort_id, person, label, reassign_to, release, moved);
    else if (reassign_to || release)
        rc = request_fail(r, MC_ERR_INVALID, reassign_to ? "reassign_to" : "release",
                          "%s is a learner: only a coach's learners are reassigned or released",
                          label);
    const char *params[] = {r->auth.org_id, cohort_id, person};
    if (rc == MC_OK)
        rc = db_exec(r->db, &db_member_withdraw, 3, params, PGRES_COMMAND_OK, NULL, &r->err);
    if (rc == MC_OK)
        rc = member_journal(r, cohort_id, person, "member.withdraw", "member.withdrawn", NULL);
    if (rc == MC_OK && strcmp(role, "learner") == 0 && strcmp(status, "enrolled") == 0)
        rc = members_promote(r, cohort_id);
    if (rc == MC_OK)
        rc = member_item(r, cohort_id, person, &after);
    if (rc == MC_OK && strcmp(role, "coach") == 0) {
        bool added = cJSON_AddItemToObject(after, "learners_moved", moved);
        if (added)
            moved = NULL;
        if (!added || !(reassign_to ? cJSON_AddStringToObject(after, "learners_coach", reassign_to)
                                    : cJSON_AddNullToObject(after, "learners_coach"))) {
            cJSON_Delete(after);
            rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
            goto out;
        }
    }
    if (rc == MC_OK) {
        cJSON_Delete(moved);
        return request_reply(r, 200, after);
    }
out:
    cJSON_Delete(moved);
    return rc;
}

/* ---- POST /v1/cohorts/{id}/members/import ---- */

static bool cohort_role_valid(const char *role)
{
    return strcmp(role, "learner") == 0 || strcmp(role, "coach") == 0;
}

const struct roster_spec roster_members = {
    .role_valid = cohort_role_valid,
    .role_values = "learner or coach",
    .email_column = "coach",
};

struct member_counts {
    long enrolled, waitlisted, unchanged;
};

static const char *row_role(const struct roster_row *row)
{
    return row->role ? row->role : "learner";
}

/* Whether a row's coach must be looked for in the cohort: named, and not in the file. */
static bool coach_ref_outside(const struct roster *roster, const struct roster_row *row)
{
    return row->email_ref && strcmp(row_role(row), "coach") != 0 &&
           !roster_find(roster, row->email_ref);
}

/* Coaches named in the file must be coaches in it, or of the cohort already. */
static enum mc_err check_coach_refs(struct request *r, const char *cohort, struct roster *roster)
{
    cJSON *names = cJSON_CreateArray();
    for (size_t i = 0; names && i < roster->nrows; i++)
        if (coach_ref_outside(roster, &roster->rows[i]) &&
            !names_add(names, roster->rows[i].email_ref)) {
            cJSON_Delete(names);
            names = NULL;
        }
    if (!names)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    struct member_ref *refs = calloc((size_t)cJSON_GetArraySize(names) + 1, sizeof *refs);
    enum mc_err rc = !refs                           ? request_fail(r, MC_ERR_NOMEM, NULL, NULL)
                     : cJSON_GetArraySize(names) > 0 ? members_lookup(r, cohort, names, refs)
                                                     : MC_OK;
    cJSON_Delete(names);
    const struct member_ref *ref = refs;
    for (size_t i = 0; rc == MC_OK && ref && i < roster->nrows; i++) {
        const struct roster_row *row = &roster->rows[i];
        if (!row->email_ref)
            continue;
        if (strcmp(row_role(row), "coach") == 0) {
            roster_error(roster, row->row, "coach", "a coach has no coach");
            continue;
        }
        const struct roster_row *coach = roster_find(roster, row->email_ref);
        if (coach) {
            if (strcmp(row_role(coach), "coach") != 0)
                roster_error(roster, row->row, "coach", "%s is a learner in row %u, not a coach",
                             row->email_ref, coach->row);
            continue;
        }
        if (strcmp(ref->role, "coach") != 0 || strcmp(ref->status, "enrolled") != 0)
            roster_error(roster, row->row, "coach",
                         "%s is neither a coach in this file nor a coach of the cohort",
                         row->email_ref);
        ref++;
    }
    free(refs);
    return rc;
}

static int row_number_cmp(const void *a, const void *b)
{
    const struct roster_row *x = *(const struct roster_row *const *)a;
    const struct roster_row *y = *(const struct roster_row *const *)b;
    return (x->row > y->row) - (x->row < y->row);
}

/*
 * Plan one roster row, from what its e-mail and its coach's found (the
 * people exist by now, unless this is a dry run): an active member is
 * unchanged but for their coach, anyone else is enrolled.
 */
static enum mc_err import_row(struct request *r, struct member_plan *plan,
                              const struct roster_row *row, const struct member_ref *person,
                              const struct member_ref *coach, bool dry_run,
                              struct member_counts *counts)
{
    bool waitlisted = false;
    if (active(person->status)) {
        counts->unchanged++;
        if (dry_run || !row->email_ref || !coach->found || strcmp(person->role, "learner") != 0)
            return MC_OK;
        return plan_row(plan, "coach", person->id, NULL, NULL, coach->id)
                   ? MC_OK
                   : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    if (!dry_run && !person->found)
        return request_fail(r, MC_ERR_INTERNAL, NULL, "%s was not imported", row->email);
    /* a dry run plans with the people to be created too; it writes nothing */
    if (!plan_enrol(plan, dry_run ? "" : person->id, row_role(row), coach->found ? coach->id : NULL,
                    &waitlisted))
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    if (waitlisted)
        counts->waitlisted++;
    else
        counts->enrolled++;
    return MC_OK;
}

/* Every row's person and coach looked up at once, in the order of `order`: persons, then coaches.
 */
static enum mc_err import_lookup(struct request *r, const char *cohort,
                                 const struct roster_row **order, size_t n, struct member_ref *refs)
{
    cJSON *names = cJSON_CreateArray();
    for (size_t i = 0; names && i < 2 * n; i++)
        if (!names_add(names, i < n ? order[i]->email : order[i - n]->email_ref)) {
            cJSON_Delete(names);
            names = NULL;
        }
    if (!names)
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    enum mc_err rc = members_lookup(r, cohort, names, refs);
    cJSON_Delete(names);
    return rc;
}

/* Coaches first, then learners, each in the file's order (the waitlist's order). */
static enum mc_err import_enrol(struct request *r, const struct cohort_info *cohort,
                                struct roster *roster, bool dry_run, struct member_counts *counts)
{
    size_t n = roster->nrows;
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    const struct roster_row **order = calloc(n + 1, sizeof *order);
    struct member_ref *refs = calloc(2 * n + 1, sizeof *refs);
    struct member_plan plan = {.cohort = cohort, .rows = cJSON_CreateArray()};
    enum mc_err rc = MC_OK;
    if (!order || !refs || !plan.rows) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = &roster->rows[i];
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    qsort(order, n, sizeof *order, row_number_cmp);
    rc = n ? import_lookup(r, cohort->id, order, n, refs) : MC_OK;
    if (rc == MC_OK)
        rc = learners_enrolled(r, cohort->id, &plan.learners);
    static const char *const roles[] = {"coach", "learner"};
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = 0; rc == MC_OK && i < n; i++)
            if (strcmp(row_role(order[i]), roles[pass]) == 0)
                rc = import_row(r, &plan, order[i], &refs[i], &refs[n + i], dry_run, counts);
    if (rc == MC_OK && !dry_run)
        rc = plan_write(r, &plan);
out:
    free(order);
    free(refs);
    cJSON_Delete(plan.rows);
    return rc;
}

static enum mc_err reply_import(struct request *r, bool dry_run, size_t rows,
                                const struct people_import_counts *people,
                                const struct member_counts *members)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddBoolToObject(o, "dry_run", dry_run) ||
        !cJSON_AddNumberToObject(o, "rows", (double)rows) ||
        !cJSON_AddNumberToObject(o, "people_created", (double)people->created) ||
        !cJSON_AddNumberToObject(o, "people_updated", (double)people->updated) ||
        !cJSON_AddNumberToObject(o, "enrolled", (double)members->enrolled) ||
        !cJSON_AddNumberToObject(o, "waitlisted", (double)members->waitlisted) ||
        !cJSON_AddNumberToObject(o, "unchanged", (double)members->unchanged) ||
        !cJSON_AddArrayToObject(o, "errors")) {
        cJSON_Delete(o);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return request_reply(r, 200, o);
}

enum mc_err members_import(struct request *r)
{
    struct cohort_info cohort;
    struct roster roster;
    struct people_import_counts people = {0};
    struct member_counts members = {0};
    bool dry_run = false;
    enum mc_err rc = request_dry_run(r, &dry_run);
    if (rc == MC_OK)
        rc = cohort_lock(r, request_param(r, "id"), COHORT_CHANGE, &cohort);
    if (rc != MC_OK)
        return rc;
    rc = roster_parse(r->body.data, r->body.len, &roster_members, &roster);
    if (rc != MC_OK) {
        roster_release(&roster);
        return request_fail(r, rc, NULL, NULL);
    }
    /* coach problems are reported with the others, so one fix of the file is enough */
    rc = check_coach_refs(r, cohort.id, &roster);
    if (rc == MC_OK && !roster.error_total)
        rc = people_import_roster(r, &roster, false, dry_run, &people);
    if (rc == MC_OK && !roster.error_total)
        rc = import_enrol(r, &cohort, &roster, dry_run, &members);
    if (rc == MC_OK && roster.error_total)
        rc = people_import_fail(r, &roster);
    if (rc == MC_OK)
        rc = reply_import(r, dry_run, roster.nrows, &people, &members);
    roster_release(&roster);
    return rc;
}

/* ---- the learner a request acts on ---- */

DB_STMT(db_member_coaches,
        "SELECT $3::uuid IN (SELECT mcred.coached_by($1::uuid, $2::uuid, $4::uuid))");

enum mc_err members_coaches(struct request *r, const char *cohort, const char *learner, bool *out)
{
    const char *params[] = {r->auth.org_id, cohort, learner, r->auth.person_id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_member_coaches, 4, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    *out = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return MC_OK;
}

DB_STMT(
    db_member_not_yours,
    "SELECT mcred.person_label($1::uuid, $3::uuid) AS learner,"
    " (SELECT mcred.person_label(m.org_id, m.coach_id) FROM mcred.members m"
    "  WHERE m.org_id = $1::uuid AND m.cohort_id = $2::uuid AND m.person_id = $3::uuid) AS coach");

enum mc_err members_not_your_learner(struct request *r, const char *cohort, const char *learner,
                                     const char *field)
{
    const char *params[] = {r->auth.org_id, cohort, learner};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_member_not_yours, 3, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *who = db_get(res, 0, "learner"), *coach = db_get(res, 0, "coach");
    if (coach)
        rc = request_fail(r, MC_ERR_FORBIDDEN, field, "you do not coach %s; their coach is %s",
                          who ? who : "this learner", coach);
    else
        rc = request_fail(r, MC_ERR_FORBIDDEN, field,
                          "you do not coach %s; they have no coach, and a coordinator can "
                          "assign one",
                          who ? who : "this learner");
    PQclear(res);
    return rc;
}

enum mc_err members_learner_for(struct request *r, const char *cohort, const char *who,
                                const char *field, bool enrolled, char out_id[40])
{
    struct person_ref person = {.id = ""};
    bool found = false;
    char role[16], status[16];
    if (r->cohort_role == ROLE_LEARNER) {
        if (who) {
            enum mc_err rc = person_find(r, who, &person, &found);
            if (rc != MC_OK)
                return rc;
            if (!found || strcmp(person.id, r->auth.person_id) != 0)
                return request_fail(r, MC_ERR_FORBIDDEN, field,
                                    "a learner acts only on their own records");
        }
        snprintf(out_id, 40, "%s", r->auth.person_id);
        return MC_OK;
    }
    if (!who)
        return request_fail(r, MC_ERR_INVALID, field, "%s is required", field);
    enum mc_err rc = person_find(r, who, &person, &found);
    if (rc == MC_OK && !found)
        rc = request_fail(r, MC_ERR_INVALID, field, "no person %s in this organisation", who);
    if (rc == MC_OK)
        rc = member_state(r, cohort, person.id, role, status);
    if (rc != MC_OK)
        return rc;
    if (strcmp(role, "learner") != 0)
        return request_fail(r, MC_ERR_INVALID, field, "%s is not a learner of this cohort", who);
    if (enrolled && strcmp(status, "enrolled") != 0)
        return request_fail(r, MC_ERR_INVALID, field, "%s is %s, not enrolled", who, status);
    if (r->cohort_role == ROLE_COACH) {
        bool mine = false;
        rc = members_coaches(r, cohort, person.id, &mine);
        if (rc != MC_OK)
            return rc;
        if (!mine)
            return members_not_your_learner(r, cohort, person.id, field);
    }
    snprintf(out_id, 40, "%s", person.id);
    return MC_OK;
}
