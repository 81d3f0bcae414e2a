/*
 * credentials.c — /v1/credentials.
 *
 * A framework is checked whole (framework.c) before anything is written.
 * Its standards and indicators are rows of their own, so that scores can
 * name indicators by code; the API shows the framework back in the
 * import's shape, built by one query (json_build_object keeps the order
 * of keys, jsonb would not).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credentials.h"
#include "framework.h"
#include "journal.h"
#include "mcred/json.h"
#include "paging.h"
#include "request.h"

#include "mcred/banned.h"

DB_STMT(db_credential_json,
        "SELECT json_build_object("
        " 'id', c.id, 'slug', c.slug, 'version', c.version, 'title', c.title,"
        " 'description', c.description, 'achievement_type', c.achievement_type,"
        " 'status', c.status, 'rubric', c.rubric, 'award_rule', c.award_rule,"
        " 'standards', coalesce((SELECT json_agg(json_build_object("
        "     'code', s.code, 'title', s.title, 'description', s.description,"
        "     'indicators', (SELECT json_agg(json_build_object('code', i.code, 'text', i.text)"
        "                                    ORDER BY i.position)"
        "                    FROM mcred.indicators i WHERE i.org_id = s.org_id"
        "                    AND i.credential_id = s.credential_id AND i.standard_code = s.code))"
        "     ORDER BY s.position)"
        "   FROM mcred.standards s WHERE s.org_id = c.org_id AND s.credential_id = c.id), '[]'),"
        " 'created_at', mcred.rfc3339(c.created_at), 'updated_at', mcred.rfc3339(c.updated_at),"
        " 'published_at', mcred.rfc3339(c.published_at))::text"
        " FROM mcred.credentials c WHERE c.org_id = $1::uuid AND c.id = $2::uuid");

/* The credential as the API shows it, or NULL (with r->err) when absent. */
static enum mc_err credential_load(struct request *r, const char *id, cJSON **out)
{
    const char *params[] = {r->auth.org_id, id};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_credential_json, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return request_fail(r, MC_ERR_NOT_FOUND, NULL, "credential %s not found", id);
    }
    *out = cJSON_Parse(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *out ? MC_OK : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}

DB_STMT(db_credential_find, "SELECT id, status FROM mcred.credentials"
                            " WHERE org_id = $1::uuid AND slug = $2 AND version = $3::integer"
                            " FOR UPDATE");
DB_STMT(db_credential_insert,
        "INSERT INTO mcred.credentials (org_id, slug, version, title, description,"
        " achievement_type, rubric, award_rule)"
        " VALUES ($1::uuid, $2, $3::integer, $4, $5, $6, $7::jsonb, $8::jsonb) RETURNING id");
DB_STMT(db_credential_replace,
        "UPDATE mcred.credentials SET title = $3, description = $4, achievement_type = $5,"
        " rubric = $6::jsonb, award_rule = $7::jsonb, updated_at = now()"
        " WHERE org_id = $1::uuid AND id = $2::uuid");
DB_STMT(db_credential_clear,
        "DELETE FROM mcred.standards WHERE org_id = $1::uuid AND credential_id = $2::uuid");
DB_STMT(db_credential_parts,
        "WITH st AS ("
        "  INSERT INTO mcred.standards (org_id, credential_id, code, position, title, description)"
        "  SELECT $1::uuid, $2::uuid, code, position, title, description"
        "  FROM jsonb_to_recordset($3::jsonb)"
        "    AS t(code text, position integer, title text, description text)"
        "  RETURNING code)"
        " INSERT INTO mcred.indicators (org_id, credential_id, code, standard_code, position, text)"
        " SELECT $1::uuid, $2::uuid, i.code, i.standard_code, i.position, i.text"
        " FROM jsonb_to_recordset($4::jsonb)"
        "   AS i(code text, standard_code text, position integer, text text)"
        " JOIN st ON st.code = i.standard_code");

/* The framework's texts for the statements above, built once. */
struct framework_text {
    char version[16];
    char *rubric, *award_rule, *standards, *indicators;
};

static void framework_text_release(struct framework_text *t)
{
    free(t->rubric);
    free(t->award_rule);
    free(t->standards);
    free(t->indicators);
}

static bool framework_text_init(const struct framework *fw, struct framework_text *t)
{
    cJSON *parts[] = {framework_rubric_json(fw), framework_award_rule_json(fw),
                      framework_standards_json(fw), framework_indicators_json(fw)};
    char **texts[] = {&t->rubric, &t->award_rule, &t->standards, &t->indicators};
    bool ok = true;
    snprintf(t->version, sizeof t->version, "%ld", fw->version);
    for (size_t i = 0; i < 4; i++) {
        *texts[i] = parts[i] ? cJSON_PrintUnformatted(parts[i]) : NULL;
        ok = ok && *texts[i];
        cJSON_Delete(parts[i]);
    }
    return ok;
}

/* Create, or replace the draft of the same slug and version; *out_id, *out_created. */
static enum mc_err credential_store(struct request *r, const struct framework *fw,
                                    const struct framework_text *t, char out_id[64],
                                    bool *out_created)
{
    const char *find[] = {r->auth.org_id, fw->slug, t->version};
    PGresult *res = NULL;
    enum mc_err rc = db_exec(r->db, &db_credential_find, 3, find, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    const char *description = fw->description ? fw->description : "";
    if (PQntuples(res) == 1) {
        snprintf(out_id, 64, "%s", db_get(res, 0, "id"));
        char status[16];
        snprintf(status, sizeof status, "%s", db_get(res, 0, "status"));
        PQclear(res);
        if (strcmp(status, "draft") != 0)
            return request_fail(r, MC_ERR_CONFLICT, "version",
                                "%s version %ld is %s and cannot change; import it as a "
                                "new version",
                                fw->slug, fw->version, status);
        const char *upd[] = {r->auth.org_id,       out_id,    fw->title,    description,
                             fw->achievement_type, t->rubric, t->award_rule};
        const char *clear[] = {r->auth.org_id, out_id};
        rc = db_exec(r->db, &db_credential_replace, 7, upd, PGRES_COMMAND_OK, NULL, &r->err);
        if (rc == MC_OK)
            rc = db_exec(r->db, &db_credential_clear, 2, clear, PGRES_COMMAND_OK, NULL, &r->err);
        *out_created = false;
    } else {
        PQclear(res);
        const char *ins[] = {r->auth.org_id,       fw->slug,  t->version,   fw->title, description,
                             fw->achievement_type, t->rubric, t->award_rule};
        rc = db_exec(r->db, &db_credential_insert, 8, ins, PGRES_TUPLES_OK, &res, &r->err);
        if (rc != MC_OK)
            return rc;
        snprintf(out_id, 64, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        *out_created = true;
    }
    const char *parts[] = {r->auth.org_id, out_id, t->standards, t->indicators};
    if (rc == MC_OK)
        rc = db_exec(r->db, &db_credential_parts, 4, parts, PGRES_COMMAND_OK, NULL, &r->err);
    return rc;
}

enum mc_err credentials_import(struct request *r)
{
    struct framework fw;
    struct framework_text text = {0};
    cJSON *after = NULL;
    char id[64];
    bool created = false;
    cJSON *problems = NULL;
    enum mc_err rc = framework_check(r->json, &fw, &r->err, &problems);
    if (rc == MC_ERR_INVALID && problems) {
        /* every problem of the document at once, as the roster imports do */
        size_t n = (size_t)cJSON_GetArraySize(problems);
        cJSON_Delete(r->error_details);
        r->error_details = problems;
        if (n > 1)
            rc = request_fail(r, MC_ERR_INVALID, NULL,
                              "the credential has %zu problems; nothing was written", n);
    }
    if (rc != MC_OK)
        return rc;
    if (!framework_text_init(&fw, &text)) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    rc = credential_store(r, &fw, &text, id, &created);
    if (rc == MC_OK)
        rc = credential_load(r, id, &after);
    if (rc != MC_OK)
        goto out;
    struct actor actor = journal_actor(r);
    rc = journal_write(r->db, r->auth.org_id, &actor,
                       created ? "credential.create" : "credential.replace", "credential", id, NULL,
                       after, NULL, NULL, NULL, &r->err);
    if (rc == MC_OK) {
        rc = request_reply(r, created ? 201 : 200, after);
        after = NULL;
    }
out:
    cJSON_Delete(after);
    framework_text_release(&text);
    framework_release(&fw);
    return rc;
}

enum mc_err credentials_show(struct request *r)
{
    cJSON *c = NULL;
    enum mc_err rc = credential_load(r, request_param(r, "id"), &c);
    return rc == MC_OK ? request_reply(r, 200, c) : rc;
}

DB_STMT(
    db_credential_publish,
    "UPDATE mcred.credentials SET status = 'published', published_at = now(), updated_at = now()"
    " WHERE org_id = $1::uuid AND id = $2::uuid AND status = 'draft' RETURNING id");
DB_STMT(db_credential_exists,
        "SELECT status FROM mcred.credentials WHERE org_id = $1::uuid AND id = $2::uuid");

enum mc_err credentials_publish(struct request *r)
{
    const char *id = request_param(r, "id");
    const char *params[] = {r->auth.org_id, id};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_credential_publish, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool published = PQntuples(res) == 1;
    PQclear(res);
    if (!published) {
        rc = db_exec(r->db, &db_credential_exists, 2, params, PGRES_TUPLES_OK, &res, &r->err);
        if (rc != MC_OK)
            return rc;
        bool exists = PQntuples(res) == 1;
        char status[16] = "";
        if (exists)
            snprintf(status, sizeof status, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        if (!exists)
            return request_fail(r, MC_ERR_NOT_FOUND, NULL, "credential %s not found", id);
        return request_fail(r, MC_ERR_CONFLICT, NULL, "credential %s is %s, not a draft", id,
                            status);
    }
    cJSON *after = NULL;
    rc = credential_load(r, id, &after);
    if (rc != MC_OK)
        return rc;
    struct actor actor = journal_actor(r);
    cJSON *change = cJSON_CreateObject();
    if (!change || !cJSON_AddStringToObject(change, "status", "published")) {
        cJSON_Delete(change);
        cJSON_Delete(after);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    rc = journal_write(r->db, r->auth.org_id, &actor, "credential.publish", "credential", id, NULL,
                       change, NULL, NULL, NULL, &r->err);
    cJSON_Delete(change);
    if (rc != MC_OK) {
        cJSON_Delete(after);
        return rc;
    }
    return request_reply(r, 200, after);
}

DB_STMT_REPLAN(db_credentials_list,
               "SELECT json_build_object('id', c.id, 'slug', c.slug, 'version', c.version,"
               " 'title', c.title, 'achievement_type', c.achievement_type, 'status', c.status,"
               " 'standards', (SELECT count(*) FROM mcred.standards s"
               "               WHERE s.org_id = c.org_id AND s.credential_id = c.id),"
               " 'indicators', (SELECT count(*) FROM mcred.indicators i"
               "                WHERE i.org_id = c.org_id AND i.credential_id = c.id),"
               " 'created_at', mcred.rfc3339(c.created_at),"
               " 'published_at', mcred.rfc3339(c.published_at))::text AS item,"
               " c.slug || ' ' || lpad(c.version::text, 4, '0') AS sort_key"
               " FROM mcred.credentials c WHERE c.org_id = $1::uuid"
               " AND ($2::text IS NULL OR c.slug || ' ' || lpad(c.version::text, 4, '0') > $2)"
               " AND ($3::text IS NULL OR c.slug = $3) AND ($4::text IS NULL OR c.status = $4)"
               " ORDER BY c.slug, c.version LIMIT $5::integer");

enum mc_err credentials_list(struct request *r)
{
    struct page page;
    enum mc_err rc = page_parse(r, &page);
    if (rc != MC_OK)
        return rc;
    static const char *const statuses[] = {"draft", "published", "retired", NULL};
    const char *status = NULL;
    rc = request_query_word(r, "status", statuses, &status);
    if (rc != MC_OK)
        return rc;
    const char *params[] = {r->auth.org_id, page_after_param(&page), request_query(r, "slug"),
                            status, page.limit_plus_one};
    return page_reply_query(r, &page, &db_credentials_list, 5, params);
}

/* ---- POST /v1/credentials/{id}/retire ---- */

DB_STMT(db_credential_retire,
        "UPDATE mcred.credentials SET status = 'retired', retired_at = now(), updated_at = now()"
        " WHERE org_id = $1::uuid AND id = $2::uuid AND status = 'published' RETURNING id");
DB_STMT(db_credential_state,
        "SELECT c.slug, c.version, c.status,"
        " (SELECT max(o.version) FROM mcred.credentials o WHERE o.org_id = c.org_id"
        "  AND o.slug = c.slug AND o.status = 'published') AS published"
        " FROM mcred.credentials c WHERE c.org_id = $1::uuid AND c.id = $2::uuid");

/*
 * Why the credential `id` cannot be retired (or, for_cohort, carry a new
 * cohort), in the user's terms: its slug and version, never its id.
 */
static enum mc_err credential_state_fail(struct request *r, const char *id, enum mc_err code,
                                         const char *field, bool for_cohort)
{
    const char *params[] = {r->auth.org_id, id};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_credential_state, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return for_cohort ? request_fail(r, MC_ERR_INVALID, field,
                                         "no credential %s in this organisation", id)
                          : request_fail(r, MC_ERR_NOT_FOUND, NULL, "credential %s not found", id);
    }
    const char *slug = db_get(res, 0, "slug"), *version = db_get(res, 0, "version");
    const char *status = db_get(res, 0, "status"), *published = db_get(res, 0, "published");
    if (!for_cohort && strcmp(status, "retired") == 0)
        rc = request_fail(r, code, field, "%s version %s is already retired", slug, version);
    else if (!for_cohort)
        rc = request_fail(r, code, field,
                          "%s version %s is a draft: nothing rests on it, so it is not retired; "
                          "import it again to change it",
                          slug, version);
    else if (strcmp(status, "draft") == 0)
        rc = request_fail(r, code, field,
                          "%s version %s is a draft: publish it before creating a cohort on it",
                          slug, version);
    else if (published)
        rc = request_fail(r, code, field,
                          "%s version %s is retired: new cohorts use a published version "
                          "(version %s is)",
                          slug, version, published);
    else
        rc = request_fail(r, code, field,
                          "%s version %s is retired, and no version of %s is published: new "
                          "cohorts need a published credential",
                          slug, version, slug);
    PQclear(res);
    return rc;
}

enum mc_err credentials_cohort_refusal(struct request *r, const char *id, const char *field)
{
    return credential_state_fail(r, id, MC_ERR_INVALID, field, true);
}

enum mc_err credentials_retire(struct request *r)
{
    const char *id = request_param(r, "id");
    const char *params[] = {r->auth.org_id, id};
    PGresult *res = NULL;
    enum mc_err rc =
        db_exec(r->db, &db_credential_retire, 2, params, PGRES_TUPLES_OK, &res, &r->err);
    if (rc != MC_OK)
        return rc;
    bool retired = PQntuples(res) == 1;
    PQclear(res);
    if (!retired)
        return credential_state_fail(r, id, MC_ERR_CONFLICT, NULL, false);
    cJSON *after = NULL, *before = cJSON_CreateObject(), *change = cJSON_CreateObject();
    if (!before || !change || !cJSON_AddStringToObject(before, "status", "published") ||
        !cJSON_AddStringToObject(change, "status", "retired")) {
        rc = request_fail(r, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    rc = credential_load(r, id, &after);
    struct actor actor = journal_actor(r);
    if (rc == MC_OK)
        rc = journal_write(r->db, r->auth.org_id, &actor, "credential.retire", "credential", id,
                           before, change, NULL, NULL, NULL, &r->err);
    if (rc == MC_OK) {
        rc = request_reply(r, 200, after);
        after = NULL;
    }
out:
    cJSON_Delete(after);
    cJSON_Delete(before);
    cJSON_Delete(change);
    return rc;
}
