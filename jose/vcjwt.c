/*
 * vcjwt.c — Open Badges 3.0 VC-JWTs (OB 3.0 §8.2 "JSON Web Token Proof
 * Format").
 *
 * The JWT payload is the credential itself with five JWT claims beside its
 * members, each derived from the credential (§8.2.4.1):
 *
 *   iss ← issuer (a string) or issuer.id     jti ← id
 *   sub ← credentialSubject.id, if any       nbf ← validFrom
 *   exp ← validUntil, if any
 *
 * Signing and verifying share one function that reads those values from a
 * credential, so the two directions cannot drift apart: the verifier reads
 * them from the payload (which is the credential) and demands that the
 * claims say the same.  The credential handed back is the payload without
 * its registered claims.
 *
 * sub when the subject has no id: OB 3.0 lists sub as required and equal
 * to credentialSubject.id, yet lets a subject go without an id (it is then
 * identified by "identifier"), and says nothing of that case.  RFC 7519
 * makes sub optional and implementations of the VC data model omit it, so
 * we do: sub is present exactly when credentialSubject.id is.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/timefmt.h"

#include "jose_internal.h"

#include "mcred/banned.h"

/* RFC 7519 §4.1: claim names that a credential must not carry itself. */
static const char *const registered_claims[] = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"};

#define N_REGISTERED (sizeof registered_claims / sizeof registered_claims[0])

/* Credential ids and URLs are short; this only stops absurd values. */
#define MAX_ID 4096

/* NumericDates we accept: within ±2^50 s, exact in a double, far past 9999. */
#define MAX_NUMERIC_DATE 1125899906842624.0

/* The claims a credential implies. */
struct vc_claims {
    const char *iss, *jti, *sub; /* sub NULL when the subject has no id */
    int64_t nbf, exp;
    bool has_exp;
};

/* A required, non-empty string member; `field` names it in errors. */
static enum mc_err string_member(const cJSON *obj, const char *key, const char *field,
                                 bool required, const char **out, struct mc_error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item && !required) {
        *out = NULL;
        return MC_OK;
    }
    if (!item || !cJSON_IsString(item) || !*item->valuestring || strlen(item->valuestring) > MAX_ID)
        return mc_error_set(err, MC_ERR_INVALID, field, "credential %s must be a non-empty string",
                            field);
    *out = item->valuestring;
    return MC_OK;
}

/* iss: issuer is a URI string, or a Profile object with an id. */
static enum mc_err issuer_id(const cJSON *credential, const char **out, struct mc_error *err)
{
    const cJSON *issuer = cJSON_GetObjectItemCaseSensitive(credential, "issuer");
    if (cJSON_IsString(issuer))
        return string_member(credential, "issuer", "issuer", true, out, err);
    if (cJSON_IsObject(issuer))
        return string_member(issuer, "id", "issuer.id", true, out, err);
    return mc_error_set(err, MC_ERR_INVALID, "issuer",
                        "credential issuer must be a string or an object with an id");
}

static enum mc_err subject_id(const cJSON *credential, const char **out, struct mc_error *err)
{
    const cJSON *subject = cJSON_GetObjectItemCaseSensitive(credential, "credentialSubject");
    if (!cJSON_IsObject(subject))
        return mc_error_set(err, MC_ERR_INVALID, "credentialSubject",
                            "credential credentialSubject must be an object");
    return string_member(subject, "id", "credentialSubject.id", false, out, err);
}

static enum mc_err date_member(const cJSON *credential, const char *key, bool required,
                               bool *out_present, int64_t *out, struct mc_error *err)
{
    const char *text = NULL;
    enum mc_err rc = string_member(credential, key, key, required, &text, err);
    if (rc != MC_OK)
        return rc;
    *out_present = text != NULL;
    if (text && mc_jose_datetime_parse(text, out, NULL) != MC_OK)
        return mc_error_set(err, MC_ERR_INVALID, key,
                            "credential %s is not a date-time with a time zone", key);
    return MC_OK;
}

static enum mc_err claims_from_credential(const cJSON *credential, struct vc_claims *out,
                                          struct mc_error *err)
{
    if (!cJSON_IsObject(credential))
        return mc_error_set(err, MC_ERR_INVALID, NULL, "credential must be a JSON object");
    bool has_nbf = false;
    enum mc_err rc = issuer_id(credential, &out->iss, err);
    if (rc == MC_OK)
        rc = string_member(credential, "id", "id", true, &out->jti, err);
    if (rc == MC_OK)
        rc = subject_id(credential, &out->sub, err);
    if (rc == MC_OK)
        rc = date_member(credential, "validFrom", true, &has_nbf, &out->nbf, err);
    if (rc == MC_OK)
        rc = date_member(credential, "validUntil", false, &out->has_exp, &out->exp, err);
    return rc;
}

/* ---- signing ---- */

static enum mc_err refuse_registered_members(const cJSON *credential, struct mc_error *err)
{
    for (size_t i = 0; i < N_REGISTERED; i++)
        if (cJSON_GetObjectItemCaseSensitive(credential, registered_claims[i]))
            return mc_error_set(err, MC_ERR_INVALID, registered_claims[i],
                                "credential must not have a member named \"%s\" (a JWT claim)",
                                registered_claims[i]);
    return MC_OK;
}

/* The payload: a copy of the credential with the claims added. */
static cJSON *build_payload(const cJSON *credential, const struct vc_claims *c)
{
    cJSON *payload = cJSON_Duplicate(credential, true);
    if (!payload)
        return NULL;
    bool ok = cJSON_AddStringToObject(payload, "iss", c->iss) &&
              cJSON_AddStringToObject(payload, "jti", c->jti) &&
              (!c->sub || cJSON_AddStringToObject(payload, "sub", c->sub)) &&
              cJSON_AddNumberToObject(payload, "nbf", (double)c->nbf) &&
              (!c->has_exp || cJSON_AddNumberToObject(payload, "exp", (double)c->exp));
    if (!ok) {
        cJSON_Delete(payload);
        return NULL;
    }
    return payload;
}

static cJSON *build_header(const char *kid)
{
    cJSON *header = cJSON_CreateObject();
    if (!header || !cJSON_AddStringToObject(header, "alg", "ES256") ||
        !cJSON_AddStringToObject(header, "kid", kid) ||
        !cJSON_AddStringToObject(header, "typ", "JWT")) {
        cJSON_Delete(header);
        return NULL;
    }
    return header;
}

enum mc_err mc_vcjwt_sign(const cJSON *credential, const struct mc_jose_key *key, const char *kid,
                          char **out_jwt, struct mc_error *err)
{
    if (!kid || !*kid || strlen(kid) > MC_JOSE_MAX_KID)
        return mc_error_set(err, MC_ERR_INVALID, "kid", "kid must be 1 to %d bytes",
                            MC_JOSE_MAX_KID);
    struct vc_claims claims = {0};
    enum mc_err rc = claims_from_credential(credential, &claims, err);
    if (rc == MC_OK)
        rc = refuse_registered_members(credential, err);
    if (rc != MC_OK)
        return rc;
    cJSON *header = build_header(kid);
    cJSON *payload = build_payload(credential, &claims);
    char *text = payload ? cJSON_PrintUnformatted(payload) : NULL;
    if (!header || !text)
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    else
        rc = mc_jws_sign_es256(header, text, strlen(text), key, out_jwt, err);
    free(text);
    cJSON_Delete(payload);
    cJSON_Delete(header);
    return rc;
}

/* ---- verifying ---- */

static enum mc_err check_typ(const cJSON *header, struct mc_error *err)
{
    const cJSON *typ = cJSON_GetObjectItemCaseSensitive(header, "typ");
    if (typ && !(cJSON_IsString(typ) && strcmp(typ->valuestring, "JWT") == 0))
        return mc_error_set(err, MC_ERR_INVALID, "typ", "JWT header typ must be \"JWT\"");
    return MC_OK;
}

/* A string claim that must equal `want`, or be absent when want is NULL. */
static enum mc_err check_string_claim(const cJSON *payload, const char *name, const char *want,
                                      const char *source, struct mc_error *err)
{
    const cJSON *claim = cJSON_GetObjectItemCaseSensitive(payload, name);
    if (!want && !claim)
        return MC_OK;
    if (!want)
        return mc_error_set(err, MC_ERR_INVALID, name,
                            "JWT has \"%s\" but the credential has no %s", name, source);
    if (!cJSON_IsString(claim))
        return mc_error_set(err, MC_ERR_INVALID, name, "JWT claim \"%s\" is missing", name);
    if (strcmp(claim->valuestring, want) != 0)
        return mc_error_set(err, MC_ERR_INVALID, name,
                            "JWT claim \"%s\" does not match the credential's %s", name, source);
    return MC_OK;
}

/* A NumericDate claim as whole seconds (a fraction rounds down). */
static enum mc_err date_claim(const cJSON *payload, const char *name, bool *out_present,
                              int64_t *out, struct mc_error *err)
{
    const cJSON *claim = cJSON_GetObjectItemCaseSensitive(payload, name);
    *out_present = claim != NULL;
    if (!claim)
        return MC_OK;
    if (!cJSON_IsNumber(claim) || !isfinite(claim->valuedouble) ||
        fabs(claim->valuedouble) > MAX_NUMERIC_DATE)
        return mc_error_set(err, MC_ERR_INVALID, name, "JWT claim \"%s\" is not a NumericDate",
                            name);
    *out = (int64_t)floor(claim->valuedouble);
    return MC_OK;
}

static enum mc_err check_nbf(const cJSON *payload, const struct vc_claims *c, time_t now,
                             struct mc_error *err)
{
    bool present = false;
    int64_t nbf = 0;
    enum mc_err rc = date_claim(payload, "nbf", &present, &nbf, err);
    if (rc != MC_OK)
        return rc;
    if (!present)
        return mc_error_set(err, MC_ERR_INVALID, "nbf", "JWT claim \"nbf\" is missing");
    if (nbf != c->nbf)
        return mc_error_set(err, MC_ERR_INVALID, "nbf",
                            "JWT claim \"nbf\" does not match the credential's validFrom");
    if ((int64_t)now < nbf)
        return mc_error_set(err, MC_ERR_INVALID, "nbf", "credential is not valid yet");
    return MC_OK;
}

/* exp must agree with validUntil; *out_set_until when validUntil comes from exp. */
static enum mc_err check_exp(const cJSON *payload, const struct vc_claims *c, time_t now,
                             bool *out_set_until, int64_t *out_exp, struct mc_error *err)
{
    bool present = false;
    int64_t exp = 0;
    enum mc_err rc = date_claim(payload, "exp", &present, &exp, err);
    if (rc != MC_OK)
        return rc;
    *out_set_until = present && !c->has_exp;
    *out_exp = exp;
    if (!present && c->has_exp)
        return mc_error_set(err, MC_ERR_INVALID, "exp",
                            "JWT claim \"exp\" is missing though the credential has validUntil");
    if (present && c->has_exp && exp != c->exp)
        return mc_error_set(err, MC_ERR_INVALID, "exp",
                            "JWT claim \"exp\" does not match the credential's validUntil");
    if (present && (int64_t)now >= exp)
        return mc_error_set(err, MC_ERR_INVALID, "exp", "credential has expired");
    return MC_OK;
}

/* The credential: the payload without its claims, validUntil from exp if needed. */
static enum mc_err to_credential(cJSON *payload, bool set_until, int64_t exp, struct mc_error *err)
{
    for (size_t i = 0; i < N_REGISTERED; i++)
        cJSON_DeleteItemFromObjectCaseSensitive(payload, registered_claims[i]);
    if (!set_until)
        return MC_OK;
    char text[MC_RFC3339_LEN];
    if (!mc_time_rfc3339((time_t)exp, text))
        return mc_error_set(err, MC_ERR_INVALID, "exp", "JWT claim \"exp\" is out of range");
    if (!cJSON_AddStringToObject(payload, "validUntil", text))
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    return MC_OK;
}

static enum mc_err check_claims(cJSON *payload, time_t now, struct mc_error *err)
{
    struct vc_claims c = {0};
    bool set_until = false;
    int64_t exp = 0;
    enum mc_err rc = claims_from_credential(payload, &c, err);
    if (rc == MC_OK)
        rc = check_string_claim(payload, "iss", c.iss, "issuer id", err);
    if (rc == MC_OK)
        rc = check_string_claim(payload, "jti", c.jti, "id", err);
    if (rc == MC_OK)
        rc = check_string_claim(payload, "sub", c.sub, "credentialSubject.id", err);
    if (rc == MC_OK)
        rc = check_nbf(payload, &c, now, err);
    if (rc == MC_OK)
        rc = check_exp(payload, &c, now, &set_until, &exp, err);
    if (rc == MC_OK)
        rc = to_credential(payload, set_until, exp, err);
    return rc;
}

enum mc_err mc_vcjwt_verify_at(const char *jwt, const struct mc_jose_key *key, time_t now,
                               cJSON **out_credential, struct mc_error *err)
{
    if (!jwt)
        return mc_error_set(err, MC_ERR_MALFORMED, NULL, "JWT is empty");
    cJSON *header = NULL, *payload = NULL;
    char *text = NULL;
    size_t text_len = 0;
    enum mc_err rc = mc_jws_verify_es256(jwt, strnlen(jwt, MC_JOSE_MAX_COMPACT + 1), key, &header,
                                         &text, &text_len, err);
    if (rc == MC_OK)
        rc = check_typ(header, err);
    if (rc == MC_OK)
        rc = mc_jose_parse_object(text, text_len, "JWT payload", "payload", &payload, err);
    if (rc == MC_OK)
        rc = check_claims(payload, now, err);
    if (rc == MC_OK) {
        *out_credential = payload;
        payload = NULL;
    }
    cJSON_Delete(payload);
    free(text);
    cJSON_Delete(header);
    return rc;
}

enum mc_err mc_vcjwt_verify(const char *jwt, const struct mc_jose_key *key, cJSON **out_credential,
                            struct mc_error *err)
{
    return mc_vcjwt_verify_at(jwt, key, time(NULL), out_credential, err);
}
