/*
 * award_doc.h — an award as an Open Badges 3.0 OpenBadgeCredential (VC
 * 2.0 data model), before it is signed: a pure function of what
 * mcred.award_material read, so that it can be tested without a database.
 *
 * Every URL in it starts with the public base URL (MCRED_PUBLIC_URL):
 *   {base}/credentials/{award}          the credential's id, and its public page
 *   {base}/issuers/{org slug}           the issuer Profile and controller document
 *   {base}/issuers/{org slug}/revocations   the 1EdTechRevocationList
 *   {base}/achievements/{credential}    the Achievement; its standards and
 *                                       indicators are fragments of it
 */
#ifndef MCRED_SERVER_AWARD_DOC_H
#define MCRED_SERVER_AWARD_DOC_H

#include <cjson/cJSON.h>

#include "mcred/error.h"

#define AWARD_SALT_HEX 32 /* characters of an identity salt: 16 random bytes */

/* The JSON-LD context of every award (and of the proof over it). */
#define AWARD_CONTEXT_VC2 "https://www.w3.org/ns/credentials/v2"
#define AWARD_CONTEXT_OB3 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#define AWARD_STATUS_TYPE "1EdTechRevocationList"
#define AWARD_STATUS_IRI  "https://purl.imsglobal.org/spec/vcrl/v1p0/#1EdTechRevocationList"

struct award_doc_input {
    const char *base_url;    /* MCRED_PUBLIC_URL, without a trailing slash */
    const char *award_id;    /* a UUID */
    const char *awarded_at;  /* RFC 3339 with a time zone */
    const char *salt;        /* AWARD_SALT_HEX hex characters */
    const cJSON *org;        /* {"slug", "name"} */
    const cJSON *credential; /* mcred.credential_document */
    const cJSON *learner;    /* {"id", "email", "levels": {indicator: level}} */
};

/* The unsigned credential (cJSON_Delete it), or an error naming what was missing. */
enum mc_err award_document_build(const struct award_doc_input *in, cJSON **out,
                                 struct mc_error *err) __attribute__((warn_unused_result));

/* The Achievement alone, as {base}/achievements/{credential} serves it. */
enum mc_err award_achievement_build(const char *base_url, const cJSON *credential, cJSON **out,
                                    struct mc_error *err) __attribute__((warn_unused_result));

/* "sha256$" + hex SHA-256 of the lowercased e-mail followed by the salt (OB 3.0 IdentityHash). */
enum mc_err award_identity_hash(const char *email, const char *salt, char out[7 + 64 + 1],
                                struct mc_error *err) __attribute__((warn_unused_result));

/* The award rule in words, for criteria.narrative. */
enum mc_err award_criteria_narrative(const cJSON *credential, char **out, struct mc_error *err)
    __attribute__((warn_unused_result));

#endif
