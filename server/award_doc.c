/*
 * award_doc.c — an award as an unsigned Open Badges 3.0 credential.
 *
 * The shape follows the OB 3.0 JSON Schema (tests validate every award
 * against it): `type` as an array on every typed object but the
 * IdentityObject, times with a zone, one alignment per standard, one
 * ResultDescription per indicator carrying the rubric's levels, and one
 * Result per indicator the learner was scored on.  The learner is named
 * only by a salted hash of their e-mail address.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "award_doc.h"
#include "mcred/buf.h"

#include "mcred/banned.h"

/* The OB 3.0 AchievementType vocabulary; anything else goes out as "ext:…". */
static const char *const achievement_types[] = {
    "Achievement",
    "ApprenticeshipCertificate",
    "Assessment",
    "Assignment",
    "AssociateDegree",
    "Award",
    "Badge",
    "BachelorDegree",
    "Certificate",
    "CertificateOfCompletion",
    "Certification",
    "CommunityService",
    "Competency",
    "Course",
    "CoCurricular",
    "Degree",
    "Diploma",
    "DoctoralDegree",
    "Fieldwork",
    "GeneralEducationDevelopment",
    "JourneymanCertificate",
    "LearningProgram",
    "License",
    "Membership",
    "ProfessionalDoctorate",
    "QualityAssuranceCredential",
    "MasterCertificate",
    "MasterDegree",
    "MicroCredential",
    "ResearchDoctorate",
    "SecondarySchoolDiploma",
    NULL,
};

static const char *str_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static bool add_str(cJSON *obj, const char *key, const char *value)
{
    return value && cJSON_AddStringToObject(obj, key, value) != NULL;
}

/* ["name"]: the type arrays the schema asks for. */
static bool add_type(cJSON *obj, const char *type)
{
    cJSON *a = cJSON_AddArrayToObject(obj, "type");
    cJSON *s = a ? cJSON_CreateString(type) : NULL;
    return s && cJSON_AddItemToArray(a, s);
}

/* Append `s` with every byte but the URI-unreserved ones percent-encoded. */
static enum mc_err append_fragment(struct mc_buf *b, const char *s)
{
    enum mc_err rc = MC_OK;
    for (const unsigned char *p = (const unsigned char *)s; *p && rc == MC_OK; p++) {
        if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~')
            rc = mc_buf_appendc(b, (char)*p);
        else
            rc = mc_buf_appendf(b, "%%%02X", *p);
    }
    return rc;
}

/* "{base}/achievements/{credential}" + "#" + kind + "-" + code (encoded). */
static enum mc_err achievement_url(struct mc_buf *b, const char *base, const char *credential,
                                   const char *kind, const char *code)
{
    mc_buf_reset(b);
    enum mc_err rc = mc_buf_appendf(b, "%s/achievements/%s", base, credential);
    if (rc == MC_OK && kind)
        rc = mc_buf_appendf(b, "#%s-", kind);
    if (rc == MC_OK && code)
        rc = append_fragment(b, code);
    return rc;
}

enum mc_err award_identity_hash(const char *email, const char *salt, char out[7 + 64 + 1],
                                struct mc_error *err)
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    size_t n = strlen(email);
    char *lower = malloc(n + 1);
    if (!lower)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)tolower((unsigned char)email[i]);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)lower, n);
    crypto_hash_sha256_update(&st, (const unsigned char *)salt, strlen(salt));
    crypto_hash_sha256_final(&st, digest);
    free(lower);
    memcpy(out, "sha256$", 7); /* NOLINT(bugprone-not-null-terminated-result): bin2hex ends it */
    sodium_bin2hex(out + 7, 64 + 1, digest, sizeof digest);
    return MC_OK;
}

static const char *rubric_label(const cJSON *rubric, long level)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, rubric)
    {
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(r, "level");
        if (cJSON_IsNumber(l) && (long)l->valuedouble == level)
            return str_of(r, "label");
    }
    return NULL;
}

enum mc_err award_criteria_narrative(const cJSON *credential, char **out, struct mc_error *err)
{
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(credential, "min_level");
    const cJSON *weekly = cJSON_GetObjectItemCaseSensitive(credential, "min_weekly_attendance");
    const cJSON *problem =
        cJSON_GetObjectItemCaseSensitive(credential, "problem_of_practice_required");
    if (!cJSON_IsNumber(min) || !cJSON_IsNumber(weekly))
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "the credential has no award rule");
    long level = (long)min->valuedouble, sessions = (long)weekly->valuedouble;
    const char *label = rubric_label(cJSON_GetObjectItemCaseSensitive(credential, "rubric"), level);
    char levels[256], attended[128];
    snprintf(levels, sizeof levels,
             "a coach has scored every indicator of every performance standard at level %ld%s%s%s "
             "or above on the credential's rubric",
             level, label ? " (" : "", label ? label : "", label ? ")" : "");
    snprintf(attended, sizeof attended, "the learner has attended at least %ld weekly session%s",
             sessions, sessions == 1 ? "" : "s");
    const char *clauses[3];
    size_t n = 0;
    clauses[n++] = levels;
    if (sessions > 0)
        clauses[n++] = attended;
    if (cJSON_IsTrue(problem))
        clauses[n++] = "their problem of practice has been approved";
    struct mc_buf b;
    mc_buf_init(&b, 4096);
    enum mc_err rc = mc_buf_appends(&b, "Awarded when ");
    for (size_t i = 0; i < n && rc == MC_OK; i++)
        rc = mc_buf_appendf(&b, "%s%s",
                            i == 0      ? ""
                            : i + 1 < n ? ", "
                            : n > 2     ? ", and "
                                        : " and ",
                            clauses[i]);
    if (rc == MC_OK)
        rc = mc_buf_appends(&b, ".");
    if (rc != MC_OK) {
        mc_buf_release(&b);
        return mc_error_set(err, rc, NULL, NULL);
    }
    *out = mc_buf_detach(&b, NULL);
    return *out ? MC_OK : mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
}

/* One Alignment per standard, pointing at it inside the achievement. */
static bool add_alignments(cJSON *achievement, const char *base, const cJSON *credential,
                           struct mc_buf *url)
{
    cJSON *list = cJSON_AddArrayToObject(achievement, "alignment");
    const cJSON *s;
    const char *id = str_of(credential, "id");
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(credential, "standards"))
    {
        const char *code = str_of(s, "code"), *title = str_of(s, "title");
        const char *description = str_of(s, "description");
        cJSON *a = list ? cJSON_CreateObject() : NULL; /* none without a list to take it */
        if (!a || !cJSON_AddItemToArray(list, a) || !code || !title)
            return false;
        if (achievement_url(url, base, id, "standard", code) != MC_OK)
            return false;
        if (!add_type(a, "Alignment") || !add_str(a, "targetName", title) ||
            !add_str(a, "targetUrl", url->data) || !add_str(a, "targetCode", code) ||
            (description && *description && !add_str(a, "targetDescription", description)))
            return false;
    }
    return list != NULL;
}

/* The rubric's levels as RubricCriterionLevels of one indicator. */
static bool add_levels(cJSON *rd, const char *rd_id, const cJSON *rubric)
{
    cJSON *list = cJSON_AddArrayToObject(rd, "rubricCriterionLevel");
    const cJSON *r;
    cJSON_ArrayForEach(r, rubric)
    {
        const cJSON *level = cJSON_GetObjectItemCaseSensitive(r, "level");
        const char *label = str_of(r, "label");
        char id[1200], number[24];
        cJSON *l = list ? cJSON_CreateObject() : NULL; /* none without a list to take it */
        if (!l || !cJSON_AddItemToArray(list, l) || !cJSON_IsNumber(level) || !label)
            return false;
        snprintf(id, sizeof id, "%s-level-%ld", rd_id, (long)level->valuedouble);
        snprintf(number, sizeof number, "%ld", (long)level->valuedouble);
        const char *description = str_of(r, "description");
        if (!add_str(l, "id", id) || !add_type(l, "RubricCriterionLevel") ||
            !add_str(l, "name", label) || !add_str(l, "level", number) ||
            (description && *description && !add_str(l, "description", description)))
            return false;
    }
    return list != NULL;
}

/* One ResultDescription per indicator, in the standards' order. */
static bool add_result_descriptions(cJSON *achievement, const char *base, const cJSON *credential,
                                    struct mc_buf *url)
{
    cJSON *list = cJSON_AddArrayToObject(achievement, "resultDescription");
    const cJSON *rubric = cJSON_GetObjectItemCaseSensitive(credential, "rubric");
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(credential, "min_level");
    const char *id = str_of(credential, "id");
    const cJSON *s, *i;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(credential, "standards"))
    {
        cJSON_ArrayForEach(i, cJSON_GetObjectItemCaseSensitive(s, "indicators"))
        {
            const char *code = str_of(i, "code"), *text = str_of(i, "text");
            cJSON *rd = list ? cJSON_CreateObject() : NULL; /* none without a list to take it */
            if (!rd || !cJSON_AddItemToArray(list, rd) || !code || !text)
                return false;
            if (achievement_url(url, base, id, "indicator", code) != MC_OK)
                return false;
            char required[1200];
            snprintf(required, sizeof required, "%s-level-%ld", url->data,
                     cJSON_IsNumber(min) ? (long)min->valuedouble : 0L);
            char name[1024];
            snprintf(name, sizeof name, "%s %s", code, text);
            if (!add_str(rd, "id", url->data) || !add_type(rd, "ResultDescription") ||
                !add_str(rd, "name", name) || !add_str(rd, "resultType", "RubricCriterion") ||
                !add_str(rd, "requiredLevel", required) || !add_levels(rd, url->data, rubric))
                return false;
        }
    }
    return list != NULL;
}

static const char *achievement_type(const char *given, char *buf, size_t size)
{
    for (size_t i = 0; achievement_types[i]; i++)
        if (strcmp(given, achievement_types[i]) == 0)
            return given;
    if (strncmp(given, "ext:", 4) == 0)
        return given;
    size_t n = (size_t)snprintf(buf, size, "ext:");
    for (const char *p = given; *p && n + 1 < size; p++)
        if (isalnum((unsigned char)*p) || *p == '.' || *p == '-' || *p == '_')
            buf[n++] = *p;
    buf[n] = '\0';
    return buf;
}

static enum mc_err achievement_fill(cJSON *a, const char *base, const cJSON *credential,
                                    struct mc_error *err)
{
    const char *id = str_of(credential, "id"), *title = str_of(credential, "title");
    const char *description = str_of(credential, "description");
    const char *type = str_of(credential, "achievement_type");
    if (!id || !title || !type)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "the credential is incomplete");
    char *narrative = NULL;
    enum mc_err rc = award_criteria_narrative(credential, &narrative, err);
    if (rc != MC_OK)
        return rc;
    struct mc_buf url;
    mc_buf_init(&url, 4096);
    char ext[80];
    cJSON *criteria = NULL;
    bool ok = achievement_url(&url, base, id, NULL, NULL) == MC_OK && add_str(a, "id", url.data) &&
              add_type(a, "Achievement") &&
              add_str(a, "achievementType", achievement_type(type, ext, sizeof ext)) &&
              add_str(a, "name", title) &&
              add_str(a, "description", *description ? description : title) &&
              (criteria = cJSON_AddObjectToObject(a, "criteria")) != NULL &&
              add_str(criteria, "narrative", narrative) &&
              add_alignments(a, base, credential, &url) &&
              add_result_descriptions(a, base, credential, &url);
    free(narrative);
    mc_buf_release(&url);
    return ok ? MC_OK : mc_error_set(err, MC_ERR_NOMEM, NULL, "could not build the achievement");
}

enum mc_err award_achievement_build(const char *base_url, const cJSON *credential, cJSON **out,
                                    struct mc_error *err)
{
    cJSON *a = cJSON_CreateObject();
    if (!a)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    enum mc_err rc = achievement_fill(a, base_url, credential, err);
    if (rc != MC_OK) {
        cJSON_Delete(a);
        return rc;
    }
    *out = a;
    return MC_OK;
}

/* The learner's Results: one per indicator scored, its level by id. */
static bool add_results(cJSON *subject, const char *base, const cJSON *credential,
                        const cJSON *levels)
{
    cJSON *list = cJSON_AddArrayToObject(subject, "result");
    const cJSON *rubric = cJSON_GetObjectItemCaseSensitive(credential, "rubric");
    const char *id = str_of(credential, "id");
    const cJSON *s, *i;
    struct mc_buf url;
    mc_buf_init(&url, 4096);
    bool ok = list != NULL;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(credential, "standards"))
    {
        cJSON_ArrayForEach(i, cJSON_GetObjectItemCaseSensitive(s, "indicators"))
        {
            const char *code = str_of(i, "code");
            const cJSON *level = code ? cJSON_GetObjectItemCaseSensitive(levels, code) : NULL;
            if (!ok || !level || !cJSON_IsNumber(level))
                continue;
            char achieved[1200];
            const char *label = rubric_label(rubric, (long)level->valuedouble);
            cJSON *r = cJSON_CreateObject();
            ok = r && cJSON_AddItemToArray(list, r) &&
                 achievement_url(&url, base, id, "indicator", code) == MC_OK;
            if (ok) {
                snprintf(achieved, sizeof achieved, "%s-level-%ld", url.data,
                         (long)level->valuedouble);
                ok = add_type(r, "Result") && add_str(r, "resultDescription", url.data) &&
                     add_str(r, "achievedLevel", achieved) &&
                     (!label || add_str(r, "value", label));
            }
        }
    }
    mc_buf_release(&url);
    return ok;
}

static bool add_identity(cJSON *subject, const char *email, const char *salt, struct mc_error *err)
{
    char hash[7 + 64 + 1];
    if (award_identity_hash(email, salt, hash, err) != MC_OK)
        return false;
    cJSON *list = cJSON_AddArrayToObject(subject, "identifier");
    cJSON *id = list ? cJSON_CreateObject() : NULL; /* made only when there is a list to take it */
    return list && id && cJSON_AddItemToArray(list, id) && add_str(id, "type", "IdentityObject") &&
           add_str(id, "identityHash", hash) && add_str(id, "identityType", "emailAddress") &&
           cJSON_AddBoolToObject(id, "hashed", 1) && add_str(id, "salt", salt);
}

static bool add_context(cJSON *doc)
{
    cJSON *ctx = cJSON_AddArrayToObject(doc, "@context");
    cJSON *local = cJSON_CreateObject();
    cJSON *vc2 = cJSON_CreateString(AWARD_CONTEXT_VC2),
          *ob3 = cJSON_CreateString(AWARD_CONTEXT_OB3);
    bool ok = ctx && local && vc2 && ob3;
    if (ok) {
        cJSON_AddItemToArray(ctx, vc2);
        cJSON_AddItemToArray(ctx, ob3);
        cJSON_AddItemToArray(ctx, local);
        /* the status method's type, which neither context defines */
        return add_str(local, AWARD_STATUS_TYPE, AWARD_STATUS_IRI);
    }
    cJSON_Delete(local);
    cJSON_Delete(vc2);
    cJSON_Delete(ob3);
    return false;
}

static enum mc_err document_fill(cJSON *doc, const struct award_doc_input *in, struct mc_error *err)
{
    const char *slug = str_of(in->org, "slug"), *org_name = str_of(in->org, "name");
    const char *email = str_of(in->learner, "email"), *learner_id = str_of(in->learner, "id");
    const char *title = str_of(in->credential, "title");
    if (!slug || !org_name || !email || !title)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "the award's material is incomplete");
    char url[1024];
    cJSON *types = NULL, *issuer = NULL, *subject = NULL, *achievement = NULL, *status = NULL;
    bool ok = add_context(doc);
    snprintf(url, sizeof url, "%s/credentials/%s", in->base_url, in->award_id);
    ok = ok && add_str(doc, "id", url) && (types = cJSON_AddArrayToObject(doc, "type")) != NULL;
    if (ok) {
        cJSON *vc = cJSON_CreateString("VerifiableCredential");
        cJSON *ob = cJSON_CreateString("OpenBadgeCredential");
        /* what the array took, the document frees; only the rest is ours to free */
        bool vc_in = vc && cJSON_AddItemToArray(types, vc);
        bool ob_in = vc_in && ob && cJSON_AddItemToArray(types, ob);
        if (!vc_in)
            cJSON_Delete(vc);
        if (!ob_in)
            cJSON_Delete(ob);
        ok = vc_in && ob_in;
    }
    snprintf(url, sizeof url, "%s/issuers/%s", in->base_url, slug);
    ok = ok && (issuer = cJSON_AddObjectToObject(doc, "issuer")) != NULL &&
         add_str(issuer, "id", url) && add_type(issuer, "Profile") &&
         add_str(issuer, "name", org_name) && add_str(doc, "validFrom", in->awarded_at) &&
         add_str(doc, "awardedDate", in->awarded_at) && add_str(doc, "name", title) &&
         (subject = cJSON_AddObjectToObject(doc, "credentialSubject")) != NULL;
    if (ok && learner_id) {
        /* a pseudonym, stable across the person's awards of this organisation: the JWT's sub */
        snprintf(url, sizeof url, "urn:uuid:%s", learner_id);
        ok = add_str(subject, "id", url);
    }
    ok = ok && add_type(subject, "AchievementSubject");
    if (ok && !add_identity(subject, email, in->salt, err))
        return err->code != MC_OK ? err->code : mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    ok = ok && (achievement = cJSON_AddObjectToObject(subject, "achievement")) != NULL;
    if (!ok)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    enum mc_err rc = achievement_fill(achievement, in->base_url, in->credential, err);
    if (rc != MC_OK)
        return rc;
    snprintf(url, sizeof url, "%s/issuers/%s/revocations", in->base_url, slug);
    ok = add_results(subject, in->base_url, in->credential,
                     cJSON_GetObjectItemCaseSensitive(in->learner, "levels")) &&
         (status = cJSON_AddObjectToObject(doc, "credentialStatus")) != NULL &&
         add_str(status, "id", url) && add_str(status, "type", AWARD_STATUS_TYPE);
    return ok ? MC_OK : mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
}

enum mc_err award_document_build(const struct award_doc_input *in, cJSON **out,
                                 struct mc_error *err)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    enum mc_err rc = document_fill(doc, in, err);
    if (rc != MC_OK) {
        cJSON_Delete(doc);
        return rc;
    }
    *out = doc;
    return MC_OK;
}
