/*
 * credential_page.c — /credentials/{id} for a person: what the credential
 * says (the achievement, the issuer, when, the results by indicator) and
 * whether it stands (its proof checked here against the issuer's key,
 * and whether the issuer revoked it).  One self-contained page: styles
 * inline, no scripts, nothing fetched; everything shown is escaped.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "request.h"
#include "mcred/buf.h"
#include "mcred/dataintegrity.h"

#include "mcred/banned.h"

enum mc_err credential_page(struct request *r, const cJSON *award);

static const char *str_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* Append text with the five HTML specials escaped. */
static enum mc_err put_text(struct mc_buf *b, const char *s)
{
    enum mc_err rc = MC_OK;
    for (; s && *s && rc == MC_OK; s++) {
        switch (*s) {
        case '&':
            rc = mc_buf_appends(b, "&amp;");
            break;
        case '<':
            rc = mc_buf_appends(b, "&lt;");
            break;
        case '>':
            rc = mc_buf_appends(b, "&gt;");
            break;
        case '"':
            rc = mc_buf_appends(b, "&quot;");
            break;
        case '\'':
            rc = mc_buf_appends(b, "&#39;");
            break;
        default:
            rc = mc_buf_appendc(b, *s);
        }
    }
    return rc;
}

/* "<tag>text</tag>" with the text escaped. */
static enum mc_err put_element(struct mc_buf *b, const char *tag, const char *text)
{
    enum mc_err rc = mc_buf_appendf(b, "<%s>", tag);
    if (rc == MC_OK)
        rc = put_text(b, text);
    if (rc == MC_OK)
        rc = mc_buf_appendf(b, "</%s>\n", tag);
    return rc;
}

/* Does the stored proof verify under the issuer's key that it names? */
static bool proof_holds(const cJSON *doc, const cJSON *keys)
{
    const char *vm = NULL;
    struct mc_error err;
    mc_error_clear(&err);
    if (mc_di_verification_method(doc, &vm, &err) != MC_OK || !vm)
        return false;
    const char *hash = strrchr(vm, '#');
    const cJSON *k;
    cJSON_ArrayForEach(k, keys)
    {
        const char *key_id = str_of(k, "key_id"), *hex = str_of(k, "public_key");
        unsigned char pk[MC_ED25519_PUBLICKEYBYTES];
        size_t n = 0;
        if (!hash || !key_id || !hex || strcmp(hash + 1, key_id) != 0)
            continue;
        if (sodium_hex2bin(pk, sizeof pk, hex, strlen(hex), NULL, &n, NULL) != 0 || n != sizeof pk)
            return false;
        return mc_di_verify(doc, pk, &err) == MC_OK;
    }
    return false;
}

static const char page_style[] =
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1b1b1b;background:#fff}"
    "h1{font-size:1.6rem;margin-bottom:.2rem}.verdict{padding:.8rem 1rem;border-radius:.4rem;"
    "font-weight:600;margin:1rem 0}.ok{background:#e3f4e6;border:2px solid #1e6b30}"
    ".bad{background:#fbe4e4;border:2px solid #9b1c1c}table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}"
    "dt{font-weight:600}dd{margin:0 0 .6rem 0}";

static enum mc_err put_verdict(struct mc_buf *b, const cJSON *award, bool holds)
{
    const char *status = str_of(award, "status");
    bool revoked = status && strcmp(status, "revoked") == 0;
    enum mc_err rc;
    if (!holds) {
        rc = mc_buf_appends(b, "<p class=\"verdict bad\" role=\"status\">Not valid: this "
                               "credential's signature does not verify against its issuer's "
                               "key.</p>\n");
    } else if (revoked) {
        rc =
            mc_buf_appends(b, "<p class=\"verdict bad\" role=\"status\">Revoked by the issuer on ");
        if (rc == MC_OK)
            rc = put_text(b, str_of(award, "revoked_at"));
        if (rc == MC_OK)
            rc = mc_buf_appends(b, ". Reason: ");
        if (rc == MC_OK)
            rc = put_text(b, str_of(award, "revocation_reason"));
        if (rc == MC_OK)
            rc = mc_buf_appends(b, "</p>\n");
    } else {
        rc = mc_buf_appends(b, "<p class=\"verdict ok\" role=\"status\">Valid: signed by its "
                               "issuer, and not revoked.</p>\n");
    }
    return rc;
}

/* The results, by indicator, with the level's name. */
static enum mc_err put_results(struct mc_buf *b, const cJSON *subject)
{
    const cJSON *achievement = cJSON_GetObjectItemCaseSensitive(subject, "achievement");
    const cJSON *descriptions = cJSON_GetObjectItemCaseSensitive(achievement, "resultDescription");
    enum mc_err rc = mc_buf_appends(b, "<h2>Results</h2>\n<table>\n<thead><tr><th scope=\"col\">"
                                       "Indicator</th><th scope=\"col\">Level achieved</th></tr>"
                                       "</thead>\n<tbody>\n");
    const cJSON *res, *d;
    cJSON_ArrayForEach(res, cJSON_GetObjectItemCaseSensitive(subject, "result"))
    {
        const char *rd = str_of(res, "resultDescription"), *name = rd;
        cJSON_ArrayForEach(d, descriptions)
        {
            if (rd && str_of(d, "id") && strcmp(str_of(d, "id"), rd) == 0)
                name = str_of(d, "name");
        }
        if (rc == MC_OK)
            rc = mc_buf_appends(b, "<tr><td>");
        if (rc == MC_OK)
            rc = put_text(b, name);
        if (rc == MC_OK)
            rc = mc_buf_appends(b, "</td><td>");
        if (rc == MC_OK)
            rc = put_text(b, str_of(res, "value"));
        if (rc == MC_OK)
            rc = mc_buf_appends(b, "</td></tr>\n");
    }
    return rc == MC_OK ? mc_buf_appends(b, "</tbody>\n</table>\n") : rc;
}

static enum mc_err put_page(struct mc_buf *b, const cJSON *award, const cJSON *doc, bool holds)
{
    const cJSON *subject = cJSON_GetObjectItemCaseSensitive(doc, "credentialSubject");
    const cJSON *achievement = cJSON_GetObjectItemCaseSensitive(subject, "achievement");
    const cJSON *issuer = cJSON_GetObjectItemCaseSensitive(doc, "issuer");
    const cJSON *criteria = cJSON_GetObjectItemCaseSensitive(achievement, "criteria");
    enum mc_err rc = mc_buf_appends(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                                       "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                                       "content=\"width=device-width, initial-scale=1\">\n<title>");
    if (rc == MC_OK)
        rc = put_text(b, str_of(achievement, "name"));
    if (rc == MC_OK)
        rc = mc_buf_appendf(b,
                            " — credential</title>\n<style>%s</style>\n</head>\n<body>\n"
                            "<main>\n",
                            page_style);
    if (rc == MC_OK)
        rc = put_element(b, "h1", str_of(achievement, "name"));
    if (rc == MC_OK)
        rc = put_verdict(b, award, holds);
    if (rc == MC_OK)
        rc = mc_buf_appends(b, "<dl>\n<dt>Issued by</dt>\n");
    if (rc == MC_OK)
        rc = put_element(b, "dd", str_of(issuer, "name"));
    if (rc == MC_OK)
        rc = mc_buf_appends(b, "<dt>Awarded</dt>\n");
    if (rc == MC_OK)
        rc = put_element(b, "dd", str_of(doc, "awardedDate"));
    if (rc == MC_OK)
        rc = mc_buf_appends(b, "<dt>What it recognises</dt>\n");
    if (rc == MC_OK)
        rc = put_element(b, "dd", str_of(achievement, "description"));
    if (rc == MC_OK)
        rc = mc_buf_appends(b, "<dt>How it is earned</dt>\n");
    if (rc == MC_OK)
        rc = put_element(b, "dd", str_of(criteria, "narrative"));
    if (rc == MC_OK)
        rc = mc_buf_appends(b, "</dl>\n");
    if (rc == MC_OK)
        rc = put_results(b, subject);
    if (rc == MC_OK)
        rc = mc_buf_appends(b, "<p>The holder is named in the credential only by a salted hash "
                               "of their e-mail address. To check it yourself, fetch this "
                               "address as JSON (<code>Accept: application/json</code>) and "
                               "verify its <code>eddsa-rdfc-2022</code> proof.</p>\n"
                               "</main>\n</body>\n</html>\n");
    return rc;
}

enum mc_err credential_page(struct request *r, const cJSON *award)
{
    const char *text = str_of(award, "document");
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    if (!doc)
        return request_fail(r, MC_ERR_INTERNAL, NULL, "a stored award is not JSON");
    bool holds = proof_holds(doc, cJSON_GetObjectItemCaseSensitive(award, "keys"));
    mc_buf_reset(&r->text);
    enum mc_err rc = put_page(&r->text, award, doc, holds);
    cJSON_Delete(doc);
    if (rc != MC_OK)
        return request_fail(r, rc, NULL, NULL);
    r->content_type = "text/html; charset=utf-8";
    r->status = 200;
    return MC_OK;
}
