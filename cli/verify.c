/*
 * verify.c — the offline checks of `mcred verify`; see verify.h.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/jose.h"
#include "mcred/json.h"

#include "verify.h"

#include "mcred/banned.h"

static const char *str_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static bool nonempty(const char *s)
{
    return s && *s;
}

/* ---- what the file holds ---- */

static bool b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

enum cli_vc_kind cli_vc_detect(const char *data, size_t len)
{
    size_t start = 0, end = len, dots = 0, run = 0;

    while (start < end && isspace((unsigned char)data[start]))
        start++;
    while (end > start && isspace((unsigned char)data[end - 1]))
        end--;
    if (start == end)
        return CLI_VC_UNKNOWN;
    if (data[start] == '{')
        return CLI_VC_JSON;
    /* header.payload.signature, none of them empty */
    for (size_t i = start; i < end; i++) {
        if (data[i] == '.') {
            if (run == 0)
                return CLI_VC_UNKNOWN;
            dots++;
            run = 0;
        } else if (b64url_char(data[i])) {
            run++;
        } else {
            return CLI_VC_UNKNOWN;
        }
    }
    return dots == 2 && run > 0 ? CLI_VC_JWT : CLI_VC_UNKNOWN;
}

/* ---- shape ---- */

/* Does `value` (a string or an array of strings) hold `s`? */
static bool has_string(const cJSON *value, const char *s)
{
    const cJSON *v;
    /* the macro evaluates its array twice: test it once */
    const cJSON *items = cJSON_IsArray(value) ? value : NULL;

    if (cJSON_IsString(value))
        return strcmp(value->valuestring, s) == 0;
    cJSON_ArrayForEach(v, items)
    {
        if (cJSON_IsString(v) && strcmp(v->valuestring, s) == 0)
            return true;
    }
    return false;
}

/*
 * Append a message.  One that does not fit is cut short or lost: the
 * verdict never depends on it.
 */
static void note(struct mc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct mc_buf *b, const char *fmt, ...)
{
    char text[CLI_VC_MESSAGE_MAX];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (mc_buf_appends(b, text) != MC_OK)
        return;
}

static void problem(struct mc_buf *out, bool *ok, const char *what)
{
    /* A full buffer only loses the tail of the list; the verdict stands. */
    if (out->len)
        note(out, "; ");
    note(out, "%s", what);
    *ok = false;
}

static void shape_context(const cJSON *cred, struct mc_buf *out, bool *ok)
{
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(cred, "@context");
    const char *first = cJSON_GetStringValue(cJSON_GetArrayItem(ctx, 0));
    const char *second = cJSON_GetStringValue(cJSON_GetArrayItem(ctx, 1));

    if (!cJSON_IsArray(ctx) || !first || strcmp(first, CLI_VC_CONTEXT_V2) != 0)
        problem(out, ok, "@context must start with " CLI_VC_CONTEXT_V2);
    else if (!second || strncmp(second, CLI_VC_CONTEXT_OB3, strlen(CLI_VC_CONTEXT_OB3)) != 0)
        problem(out, ok, "@context's second entry must be an Open Badges 3.0 context");
}

static void shape_top(const cJSON *cred, struct mc_buf *out, bool *ok)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(cred, "type");
    const char *from = str_of(cred, "validFrom");
    struct mc_error err;
    int64_t t;

    if (!has_string(type, "VerifiableCredential"))
        problem(out, ok, "type lacks VerifiableCredential");
    if (!has_string(type, "OpenBadgeCredential") && !has_string(type, "AchievementCredential"))
        problem(out, ok, "type lacks OpenBadgeCredential (or AchievementCredential)");
    if (!nonempty(str_of(cred, "id")))
        problem(out, ok, "no id");
    if (!nonempty(cli_vc_issuer_id(cred)))
        problem(out, ok, "no issuer id");
    mc_error_clear(&err);
    if (!from)
        problem(out, ok, "no validFrom");
    else if (mc_jose_datetime_parse(from, &t, &err) != MC_OK)
        problem(out, ok, "validFrom is not a date-time with a time zone");
}

static void shape_subject(const cJSON *cred, struct mc_buf *out, bool *ok)
{
    const cJSON *subject = cJSON_GetObjectItemCaseSensitive(cred, "credentialSubject");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(subject, "achievement");

    if (!cJSON_IsObject(subject)) {
        problem(out, ok, "no credentialSubject");
        return;
    }
    if (!cJSON_IsObject(a)) {
        problem(out, ok, "credentialSubject has no achievement");
        return;
    }
    if (!nonempty(str_of(a, "id")))
        problem(out, ok, "the achievement has no id");
    if (!has_string(cJSON_GetObjectItemCaseSensitive(a, "type"), "Achievement"))
        problem(out, ok, "the achievement's type lacks Achievement");
    if (!nonempty(str_of(a, "name")))
        problem(out, ok, "the achievement has no name");
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(a, "description")))
        problem(out, ok, "the achievement has no description");
    if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(a, "criteria")))
        problem(out, ok, "the achievement has no criteria");
}

bool cli_vc_shape(const cJSON *cred, bool need_proof, struct mc_buf *problems)
{
    const cJSON *proof = cJSON_GetObjectItemCaseSensitive(cred, "proof");
    bool ok = true;

    if (!cJSON_IsObject(cred)) {
        problem(problems, &ok, "not a JSON object");
        return false;
    }
    shape_context(cred, problems, &ok);
    shape_top(cred, problems, &ok);
    shape_subject(cred, problems, &ok);
    if (need_proof && !cJSON_IsObject(proof) &&
        !(cJSON_IsArray(proof) && cJSON_GetArraySize(proof) > 0))
        problem(problems, &ok, "no proof");
    return ok;
}

const char *cli_vc_issuer_id(const cJSON *cred)
{
    const cJSON *issuer = cJSON_GetObjectItemCaseSensitive(cred, "issuer");

    if (cJSON_IsString(issuer))
        return issuer->valuestring;
    return str_of(issuer, "id");
}

const char *cli_vc_name(const cJSON *cred)
{
    const char *name = str_of(cred, "name");

    if (nonempty(name))
        return name;
    return str_of(cJSON_GetObjectItemCaseSensitive(
                      cJSON_GetObjectItemCaseSensitive(cred, "credentialSubject"), "achievement"),
                  "name");
}

/* ---- dates ---- */

bool cli_vc_dates(const cJSON *cred, time_t now, struct mc_buf *msg)
{
    const char *from = str_of(cred, "validFrom"), *until = str_of(cred, "validUntil");
    const cJSON *until_item = cJSON_GetObjectItemCaseSensitive(cred, "validUntil");
    struct mc_error err;
    int64_t t_from = 0, t_until = 0;

    mc_error_clear(&err);
    if (!from || mc_jose_datetime_parse(from, &t_from, &err) != MC_OK) {
        note(msg, "validFrom is missing or not a date-time with a time zone");
        return false;
    }
    if (until_item && (!until || mc_jose_datetime_parse(until, &t_until, &err) != MC_OK)) {
        note(msg, "validUntil is not a date-time with a time zone");
        return false;
    }
    if (t_from > (int64_t)now) {
        note(msg, "not valid before %s", from);
        return false;
    }
    if (until && t_until <= (int64_t)now) {
        note(msg, "expired on %s", until);
        return false;
    }
    note(msg, "valid from %s%s%s", from, until ? " until " : ", no end date", until ? until : "");
    return true;
}

/* ---- JWT ---- */

enum mc_err cli_vc_jwt_payload(const char *jwt, size_t len, cJSON **out, struct mc_error *err)
{
    const char *p = memchr(jwt, '.', len), *q;
    struct mc_buf bytes;
    cJSON *payload = NULL, *vc;
    enum mc_err rc;

    q = p ? memchr(p + 1, '.', len - (size_t)(p + 1 - jwt)) : NULL;
    if (!q)
        return mc_error_set(err, MC_ERR_INVALID, NULL, "not a compact JWS");
    mc_buf_init(&bytes, len);
    rc = mc_b64url_decode(p + 1, (size_t)(q - p - 1), &bytes, err);
    if (rc == MC_OK)
        rc = mc_json_parse(bytes.data, bytes.len, &payload, err);
    mc_buf_release(&bytes);
    if (rc != MC_OK)
        return rc;
    if (!cJSON_IsObject(payload)) {
        cJSON_Delete(payload);
        return mc_error_set(err, MC_ERR_INVALID, NULL, "the JWT's payload is not a JSON object");
    }
    /* VC-JWTs of the VC 1.1 era wrap the credential in "vc". */
    vc = cJSON_GetObjectItemCaseSensitive(payload, "vc");
    if (cJSON_IsObject(vc)) {
        vc = cJSON_DetachItemViaPointer(payload, vc);
        cJSON_Delete(payload);
        payload = vc;
    }
    *out = payload;
    return MC_OK;
}

/* ---- keys ---- */

enum mc_err cli_vc_controller_url(const char *vm, struct mc_buf *out)
{
    return mc_buf_append(out, vm, strcspn(vm, "#"));
}

bool cli_vc_key_of_issuer(const char *key_id, const char *issuer_id)
{
    size_t n = issuer_id ? strlen(issuer_id) : 0;

    if (!key_id || n == 0 || strncmp(key_id, issuer_id, n) != 0)
        return false;
    return key_id[n] == '\0' || key_id[n] == '#' || key_id[n] == '/';
}

/* Does `id` (absolute, or "#…" relative to base) name `target`? */
static bool id_names(const char *id, const char *base, const char *target)
{
    size_t n;

    if (!id || !target)
        return false;
    if (strcmp(id, target) == 0)
        return true;
    if (id[0] != '#' || !base)
        return false;
    n = strlen(base);
    return strncmp(target, base, n) == 0 && strcmp(target + n, id) == 0;
}

/* The entry of a controller document's `list` (methods, or ids/methods) that names target. */
static const cJSON *entry_naming(const cJSON *list, const char *base, const char *target)
{
    const cJSON *e;
    /* the macro evaluates its array twice: test it once */
    const cJSON *items = cJSON_IsArray(list) ? list : NULL;

    cJSON_ArrayForEach(e, items)
    {
        const char *id = cJSON_IsString(e) ? e->valuestring : str_of(e, "id");
        if (id_names(id, base, target))
            return e;
    }
    return NULL;
}

/* The method for `id` in a controller document, checked to be for assertions. */
static enum mc_err method_of_controller(const cJSON *doc, const char *id, const cJSON **out,
                                        struct mc_error *err)
{
    const char *base = str_of(doc, "id");
    const cJSON *m =
        entry_naming(cJSON_GetObjectItemCaseSensitive(doc, "verificationMethod"), base, id);

    if (!cJSON_IsObject(m))
        return mc_error_set(err, MC_ERR_NOT_FOUND, NULL,
                            "the controller document has no verification method %s", id);
    /* A key the issuer lists only for, say, authentication may not sign credentials. */
    if (!entry_naming(cJSON_GetObjectItemCaseSensitive(doc, "assertionMethod"), base, id))
        return mc_error_set(err, MC_ERR_INVALID, NULL,
                            "the controller document does not list %s as an assertionMethod", id);
    *out = m;
    return MC_OK;
}

enum mc_err cli_vc_multikey_find(const cJSON *doc, const char *vm,
                                 unsigned char out_pk[MC_ED25519_PUBLICKEYBYTES],
                                 struct mc_error *err)
{
    const cJSON *m = doc;
    const char *multibase;
    enum mc_err rc;

    if (!cJSON_IsObject(doc))
        return mc_error_set(err, MC_ERR_INVALID, NULL, "the key is not a JSON object");
    if (cJSON_GetObjectItemCaseSensitive(doc, "verificationMethod")) {
        rc = method_of_controller(doc, vm, &m, err);
        if (rc != MC_OK)
            return rc;
    } else if (str_of(doc, "id") && strcmp(str_of(doc, "id"), vm) != 0) {
        return mc_error_set(err, MC_ERR_INVALID, NULL, "the key is %s, but the proof names %s",
                            str_of(doc, "id"), vm);
    }
    multibase = str_of(m, "publicKeyMultibase");
    if (!multibase) {
        if (str_of(m, "kty") || cJSON_GetObjectItemCaseSensitive(m, "keys"))
            return mc_error_set(err, MC_ERR_INVALID, NULL,
                                "a JWK cannot check an eddsa-rdfc-2022 proof; give the issuer's "
                                "controller document or Multikey");
        return mc_error_set(err, MC_ERR_INVALID, NULL,
                            "verification method %s has no publicKeyMultibase", vm);
    }
    return mc_multikey_decode_ed25519(multibase, out_pk, err);
}

/* A JWK set's key for kid: the one with that kid, else its only key. */
static enum mc_err jwks_find(const cJSON *keys, const char *kid, const cJSON **out,
                             struct mc_error *err)
{
    const cJSON *k;
    /* the macro evaluates its array twice: test it once */
    const cJSON *items = cJSON_IsArray(keys) ? keys : NULL;

    cJSON_ArrayForEach(k, items)
    {
        const char *id = str_of(k, "kid");
        if (id && kid && strcmp(id, kid) == 0) {
            *out = k;
            return MC_OK;
        }
    }
    if (cJSON_GetArraySize(keys) == 1 && cJSON_IsObject(cJSON_GetArrayItem(keys, 0))) {
        *out = cJSON_GetArrayItem(keys, 0);
        return MC_OK;
    }
    return mc_error_set(err, MC_ERR_NOT_FOUND, NULL, "the JWK set has no key %s",
                        kid ? kid : "(the JWT names none)");
}

enum mc_err cli_vc_jwk_find(const cJSON *doc, const char *kid, const cJSON **out,
                            struct mc_error *err)
{
    const cJSON *m = doc, *jwk;
    enum mc_err rc;

    if (!cJSON_IsObject(doc))
        return mc_error_set(err, MC_ERR_INVALID, NULL, "the key is not a JSON object");
    if (cJSON_GetObjectItemCaseSensitive(doc, "keys"))
        return jwks_find(cJSON_GetObjectItemCaseSensitive(doc, "keys"), kid, out, err);
    if (str_of(doc, "kty")) {
        *out = doc;
        return MC_OK;
    }
    if (cJSON_GetObjectItemCaseSensitive(doc, "verificationMethod")) {
        if (!kid)
            return mc_error_set(err, MC_ERR_INVALID, NULL, "the JWT names no key (kid)");
        rc = method_of_controller(doc, kid, &m, err);
        if (rc != MC_OK)
            return rc;
    }
    jwk = cJSON_GetObjectItemCaseSensitive(m, "publicKeyJwk");
    if (!cJSON_IsObject(jwk))
        return mc_error_set(err, MC_ERR_INVALID, NULL,
                            "the key holds no JWK; a VC-JWT needs the issuer's ES256 JWK");
    *out = jwk;
    return MC_OK;
}

/* ---- revocation ---- */

enum cli_vc_revocation cli_vc_revocation_check(const cJSON *list, const char *status_id,
                                               const char *cred_id, const char *issuer_id,
                                               struct mc_buf *msg)
{
    const cJSON *revoked = cJSON_GetObjectItemCaseSensitive(list, "revokedCredentials"), *e;
    const char *list_id = str_of(list, "id"), *list_issuer = cli_vc_issuer_id(list);

    if (!cJSON_IsObject(list) ||
        !has_string(cJSON_GetObjectItemCaseSensitive(list, "type"), CLI_VC_STATUS_1EDTECH) ||
        !cJSON_IsArray(revoked)) {
        note(msg, "%s is not a " CLI_VC_STATUS_1EDTECH, status_id);
        return CLI_VC_LIST_INVALID;
    }
    /* A list of another issuer (or another list) says nothing of this credential. */
    if ((list_id && strcmp(list_id, status_id) != 0) ||
        (list_issuer && issuer_id && strcmp(list_issuer, issuer_id) != 0)) {
        note(msg, "%s is the list %s of %s, not this credential's", status_id,
             list_id ? list_id : "?", list_issuer ? list_issuer : "?");
        return CLI_VC_LIST_INVALID;
    }
    cJSON_ArrayForEach(e, revoked)
    {
        const char *id = cJSON_IsString(e) ? e->valuestring : str_of(e, "id");
        if (id && cred_id && strcmp(id, cred_id) == 0) {
            const char *at = str_of(e, "revokedAt"), *why = str_of(e, "revocationReason");
            note(msg, "revoked on %s: %s", at ? at : "an unknown date",
                 why && *why ? why : "no reason given");
            return CLI_VC_REVOKED;
        }
    }
    note(msg, "not revoked (%s lists %d)", status_id, cJSON_GetArraySize(revoked));
    return CLI_VC_NOT_REVOKED;
}
