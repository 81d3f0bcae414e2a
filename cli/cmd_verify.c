/*
 * cmd_verify.c — `mcred verify FILE [--key FILE]`: check an award as any
 * verifier would, with no token and no configuration: its shape, its
 * proof (the embedded eddsa-rdfc-2022 proof of a JSON credential, or the
 * ES256 signature of a VC-JWT), its dates and its revocation status.
 *
 * Every check is run and printed, so that one failure does not hide
 * another; the keys and the revocation list are fetched from the URLs the
 * credential names (fetch.h says which may be fetched), or the key comes
 * from --key.  The checks themselves are in verify.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mcred/dataintegrity.h"
#include "mcred/jose.h"
#include "mcred/json.h"

#include "args.h"
#include "commands.h"
#include "fetch.h"
#include "output.h"
#include "text.h"
#include "upload.h"
#include "verify.h"

#include "mcred/banned.h"

/* A credential or key file is read whole; no more than this. */
#define VERIFY_FILE_MAX   (4 * 1024 * 1024)
#define VERIFY_MAX_CHECKS 8

const char cmd_verify_usage[] =
    "usage: mcred verify FILE [--key FILE]\n"
    "\n"
    "Check a signed award, as any Open Badges 3.0 verifier would: FILE is the\n"
    "credential as JSON (with its embedded proof) or as a VC-JWT ('mcred award\n"
    "show AWARD --format jwt'), '-' for standard input.  Needs no token and no\n"
    "configuration.  Each check is printed on its own line, 'ok   CHECK: …' or\n"
    "'FAIL CHECK: …':\n"
    "\n"
    "  shape       the Open Badges 3.0 essentials: @context, type, id, issuer,\n"
    "              validFrom, credentialSubject.achievement (id, type, name,\n"
    "              description, criteria) and, for JSON, a proof\n"
    "  proof       JSON: the eddsa-rdfc-2022 proof verifies with the key its\n"
    "              verificationMethod names, fetched from the issuer's controller\n"
    "              document (which must list it as an assertionMethod);\n"
    "              VC-JWT: the ES256 signature verifies with the JWK at the\n"
    "              header's kid, and the JWT's claims match the credential\n"
    "  dates       validFrom is not in the future; validUntil, if any, not past\n"
    "  revocation  the credentialStatus list (1EdTechRevocationList) does not\n"
    "              list the credential; other status types cannot be checked\n"
    "\n"
    "  --key FILE  take the key from FILE instead of fetching it: the issuer's\n"
    "              controller document, one verification method (Multikey), a\n"
    "              JWK or a JWK set\n"
    "\n"
    "Only https:// URLs are fetched, and http:// to this machine (127.0.0.1,\n"
    "::1, localhost); 10 seconds and 1 MiB at most each.  --json prints\n"
    "{\"verified\", \"checks\": [{\"check\", \"ok\", \"message\"}]}, --csv the checks.\n"
    "\n"
    "Exit status: 0 when every check passes, 1 when one fails, 2 when FILE or\n"
    "the key cannot be read.\n";

struct check {
    const char *name;
    bool ok;
    char message[CLI_VC_MESSAGE_MAX];
};

struct verify_run {
    const struct cli_ctx *ctx;
    const cJSON *key; /* --key's document, or NULL: fetch */
    struct check checks[VERIFY_MAX_CHECKS];
    size_t n;
};

static void check_add(struct verify_run *run, const char *name, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void check_add(struct verify_run *run, const char *name, bool ok, const char *fmt, ...)
{
    struct check *c;
    va_list ap;

    if (run->n >= VERIFY_MAX_CHECKS)
        return;
    c = &run->checks[run->n++];
    c->name = name;
    c->ok = ok;
    va_start(ap, fmt);
    (void)vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
}

/* ---- the checks ---- */

static void shape_check(struct verify_run *run, const cJSON *cred, bool need_proof,
                        const char *form)
{
    struct mc_buf problems;
    const char *name = cli_vc_name(cred);

    mc_buf_init(&problems, CLI_VC_MESSAGE_MAX);
    if (cli_vc_shape(cred, need_proof, &problems))
        check_add(run, "shape", true, "%s, \"%s\", issued by %s", form, name ? name : "",
                  cli_vc_issuer_id(cred));
    else
        check_add(run, "shape", false, "%s", problems.len ? problems.data : "out of memory");
    mc_buf_release(&problems);
}

/* The document at `url`, or run->key; *owned is what to cJSON_Delete. */
static bool key_doc(struct verify_run *run, const char *url, const cJSON **out, cJSON **owned,
                    struct mc_error *err)
{
    *owned = NULL;
    if (run->key) {
        *out = run->key;
        return true;
    }
    if (cli_fetch_json(url, owned, err) != MC_OK)
        return false;
    *out = *owned;
    return true;
}

static void proof_json(struct verify_run *run, const cJSON *cred)
{
    const char *vm = NULL, *issuer = cli_vc_issuer_id(cred), *doc_id;
    unsigned char pk[MC_ED25519_PUBLICKEYBYTES];
    struct mc_error err;
    struct mc_buf url;
    const cJSON *doc = NULL;
    cJSON *owned = NULL;

    mc_error_clear(&err);
    mc_buf_init(&url, CLI_FETCH_MAX_URL + 1);
    if (mc_di_verification_method(cred, &vm, &err) != MC_OK) {
        check_add(run, "proof", false, "%s", mc_error_message(&err));
        goto out;
    }
    /* Anyone can sign; the proof counts only when the issuer's own key made it. */
    if (!cli_vc_key_of_issuer(vm, issuer)) {
        check_add(run, "proof", false, "the key %s is not the issuer's (%s)", vm,
                  issuer ? issuer : "no issuer");
        goto out;
    }
    if (cli_vc_controller_url(vm, &url) != MC_OK) {
        check_add(run, "proof", false, "the verification method's URL is too long");
        goto out;
    }
    if (!key_doc(run, url.data, &doc, &owned, &err)) {
        check_add(run, "proof", false, "%s", mc_error_message(&err));
        goto out;
    }
    doc_id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "id"));
    if (!run->key && cJSON_GetObjectItemCaseSensitive(doc, "verificationMethod") &&
        (!doc_id || strcmp(doc_id, url.data) != 0)) {
        check_add(run, "proof", false, "%s is the controller document of %s", url.data,
                  doc_id ? doc_id : "nobody");
        goto out;
    }
    if (cli_vc_multikey_find(doc, vm, pk, &err) != MC_OK || mc_di_verify(cred, pk, &err) != MC_OK) {
        check_add(run, "proof", false, "%s", mc_error_message(&err));
        goto out;
    }
    check_add(run, "proof", true, "signed by %s", vm);
out:
    cJSON_Delete(owned);
    mc_buf_release(&url);
}

/* The JWT's kid (pointing into *header; cJSON_Delete it), or NULL with a failed check. */
static const char *jwt_kid(struct verify_run *run, const char *jwt, const cJSON *payload,
                           cJSON **header)
{
    struct mc_error err;
    const char *kid, *issuer = cli_vc_issuer_id(payload);

    mc_error_clear(&err);
    *header = NULL;
    if (mc_jws_peek_header(jwt, strlen(jwt), header, &err) != MC_OK) {
        check_add(run, "proof", false, "%s", mc_error_message(&err));
        return NULL;
    }
    kid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(*header, "kid"));
    if (run->key)
        return kid ? kid : "";
    if (!kid) {
        check_add(run, "proof", false, "the JWT names no key (kid); give one with --key");
        return NULL;
    }
    if (!cli_vc_key_of_issuer(kid, issuer)) {
        check_add(run, "proof", false, "the key %s is not the issuer's (%s)", kid,
                  issuer ? issuer : "no issuer");
        return NULL;
    }
    return kid;
}

/* Verify the VC-JWT; *verified is the credential it carries when it verifies. */
static void proof_jwt(struct verify_run *run, const char *jwt, const cJSON *payload,
                      cJSON **verified)
{
    struct mc_error err;
    struct mc_jose_key *key = NULL;
    const cJSON *doc = NULL, *jwk = NULL;
    cJSON *header = NULL, *owned = NULL;
    const char *kid = jwt_kid(run, jwt, payload, &header), *name;

    mc_error_clear(&err);
    if (!kid)
        goto out;
    if (!key_doc(run, kid, &doc, &owned, &err) ||
        cli_vc_jwk_find(doc, *kid ? kid : NULL, &jwk, &err) != MC_OK ||
        mc_jose_jwk_parse_public(jwk, &key, &err) != MC_OK ||
        mc_vcjwt_verify(jwt, key, verified, &err) != MC_OK) {
        check_add(run, "proof", false, "%s", mc_error_message(&err));
        goto out;
    }
    name = cli_vc_name(*verified);
    check_add(run, "proof", true, "VC-JWT signed by %s (ES256): \"%s\"", *kid ? kid : "the key",
              name ? name : "");
out:
    mc_jose_key_free(key);
    cJSON_Delete(owned);
    cJSON_Delete(header);
}

static void dates_check(struct verify_run *run, const cJSON *cred)
{
    struct mc_buf msg;
    bool ok;

    mc_buf_init(&msg, CLI_VC_MESSAGE_MAX);
    ok = cli_vc_dates(cred, time(NULL), &msg);
    check_add(run, "dates", ok, "%s", msg.data);
    mc_buf_release(&msg);
}

/* One credentialStatus entry. */
static void status_check(struct verify_run *run, const cJSON *cred, const cJSON *status)
{
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(status, "type"));
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(status, "id"));
    const char *cred_id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cred, "id"));
    struct mc_error err;
    struct mc_buf msg;
    cJSON *list = NULL;

    mc_error_clear(&err);
    if (!type || strcmp(type, CLI_VC_STATUS_1EDTECH) != 0) {
        check_add(run, "revocation", false, "cannot check a status of type %s",
                  type ? type : "(none)");
        return;
    }
    if (cli_fetch_json(id, &list, &err) != MC_OK) {
        check_add(run, "revocation", false, "%s", mc_error_message(&err));
        return;
    }
    mc_buf_init(&msg, CLI_VC_MESSAGE_MAX);
    /* decided first: msg.data is read only once the check has written it */
    bool standing = cli_vc_revocation_check(list, id, cred_id, cli_vc_issuer_id(cred), &msg) ==
                    CLI_VC_NOT_REVOKED;
    check_add(run, "revocation", standing, "%s", msg.data);
    mc_buf_release(&msg);
    cJSON_Delete(list);
}

static void revocation_check(struct verify_run *run, const cJSON *cred)
{
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(cred, "credentialStatus"), *s;

    if (!status) {
        check_add(run, "revocation", true, "no credentialStatus: nothing to check");
        return;
    }
    if (cJSON_IsObject(status)) {
        status_check(run, cred, status);
        return;
    }
    if (!cJSON_IsArray(status) || cJSON_GetArraySize(status) == 0) {
        check_add(run, "revocation", false, "credentialStatus is neither an object nor a list");
        return;
    }
    cJSON_ArrayForEach(s, status)
    {
        status_check(run, cred, s);
    }
}

/* ---- the two forms ---- */

static void verify_json(struct verify_run *run, const char *text, size_t len)
{
    struct mc_error err;
    cJSON *cred = NULL;

    mc_error_clear(&err);
    if (mc_json_parse(text, len, &cred, &err) != MC_OK) {
        check_add(run, "shape", false, "not JSON: %s", mc_error_message(&err));
        return;
    }
    shape_check(run, cred, true, "JSON credential");
    if (cJSON_IsObject(cred)) {
        proof_json(run, cred);
        dates_check(run, cred);
        revocation_check(run, cred);
    }
    cJSON_Delete(cred);
}

static void verify_jwt(struct verify_run *run, char *text, size_t len)
{
    struct mc_error err;
    cJSON *payload = NULL, *verified = NULL;
    size_t start = 0;

    /* The JWT alone, without the white space around it (a file ends in a newline). */
    while (start < len && strchr(" \t\r\n", text[start]))
        start++;
    while (len > start && strchr(" \t\r\n", text[len - 1]))
        text[--len] = '\0';
    text += start;
    len -= start;
    mc_error_clear(&err);
    if (cli_vc_jwt_payload(text, len, &payload, &err) != MC_OK) {
        check_add(run, "shape", false, "the JWT's payload: %s", mc_error_message(&err));
        return;
    }
    shape_check(run, payload, false, "VC-JWT");
    proof_jwt(run, text, payload, &verified);
    /* The dates and the status of what was signed, when the signature holds. */
    dates_check(run, verified ? verified : payload);
    revocation_check(run, verified ? verified : payload);
    cJSON_Delete(verified);
    cJSON_Delete(payload);
}

/* ---- output ---- */

static int checks_print_lines(const struct verify_run *run)
{
    struct mc_buf line;
    int code = CLI_EXIT_OK;

    mc_buf_init(&line, 4 * CLI_VC_MESSAGE_MAX + 64);
    for (size_t i = 0; i < run->n; i++) {
        const struct check *c = &run->checks[i];
        mc_buf_reset(&line);
        /* The message quotes the file and the network: clean it for the terminal. */
        if (mc_buf_appendf(&line, "%-4s %s: ", c->ok ? "ok" : "FAIL", c->name) != MC_OK ||
            cli_text_append_clean(&line, c->message, CLI_VC_MESSAGE_MAX) != MC_OK ||
            mc_buf_appendc(&line, '\n') != MC_OK) {
            cli_error(run->ctx, "out of memory");
            code = CLI_EXIT_ERROR;
            break;
        }
        (void)fputs(line.data, run->ctx->out);
    }
    mc_buf_release(&line);
    return code;
}

static const struct cli_column check_columns[] = {
    {.key = "check", .header = "CHECK"},
    {.key = "ok", .header = "OK"},
    {.key = "message", .header = "MESSAGE"},
    {.key = NULL},
};

static int checks_print_data(const struct verify_run *run, bool verified)
{
    cJSON *answer = cJSON_CreateObject(), *list = NULL;
    int code = CLI_EXIT_OK;
    bool ok = answer && cJSON_AddBoolToObject(answer, "verified", verified) &&
              (list = cJSON_AddArrayToObject(answer, "checks")) != NULL;

    for (size_t i = 0; ok && i < run->n; i++) {
        cJSON *c = cJSON_CreateObject();
        if (c && !cJSON_AddItemToArray(list, c)) {
            cJSON_Delete(c);
            c = NULL;
        }
        ok = c && cJSON_AddStringToObject(c, "check", run->checks[i].name) &&
             cJSON_AddBoolToObject(c, "ok", run->checks[i].ok) &&
             cJSON_AddStringToObject(c, "message", run->checks[i].message);
    }
    if (!ok) {
        cli_error(run->ctx, "out of memory");
        code = CLI_EXIT_ERROR;
    } else if (run->ctx->format == CLI_FORMAT_JSON) {
        code = cli_print_object(run->ctx, answer, check_columns);
    } else {
        code = cli_print_items(run->ctx, list, check_columns);
    }
    cJSON_Delete(answer);
    return code;
}

/* ---- the command ---- */

/* Read --key's file as JSON into *out; a usage-level failure (exit 2) otherwise. */
static int key_read(const struct cli_ctx *ctx, const char *name, cJSON **out)
{
    struct mc_buf file;
    struct mc_error err;
    int code;

    mc_buf_init(&file, VERIFY_FILE_MAX);
    mc_error_clear(&err);
    code = cli_file_read(ctx, name, &file);
    if (code == CLI_EXIT_OK && mc_json_parse(file.data, file.len, out, &err) != MC_OK) {
        cli_error(ctx, "the key %s is not JSON: %s", name, mc_error_message(&err));
        code = CLI_EXIT_ERROR;
    }
    mc_buf_release(&file);
    return code == CLI_EXIT_OK ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int cli_verify_run(const struct cli_ctx *ctx, const char *file, const char *key_file)
{
    struct verify_run run = {.ctx = ctx};
    struct mc_buf text;
    cJSON *key = NULL;
    bool verified = true;
    int code;

    mc_buf_init(&text, VERIFY_FILE_MAX);
    code = cli_file_read(ctx, file, &text);
    if (code != CLI_EXIT_OK) {
        code = CLI_EXIT_USAGE;
        goto out;
    }
    if (key_file && (code = key_read(ctx, key_file, &key)) != CLI_EXIT_OK)
        goto out;
    run.key = key;
    switch (cli_vc_detect(text.data, text.len)) {
    case CLI_VC_JSON:
        verify_json(&run, text.data, text.len);
        break;
    case CLI_VC_JWT:
        verify_jwt(&run, text.data, text.len);
        break;
    case CLI_VC_UNKNOWN:
        check_add(&run, "shape", false, "%s is neither a JSON credential nor a VC-JWT",
                  strcmp(file, "-") == 0 ? "standard input" : file);
        break;
    }
    for (size_t i = 0; i < run.n; i++)
        verified = verified && run.checks[i].ok;
    code = ctx->format == CLI_FORMAT_TABLE ? checks_print_lines(&run)
                                           : checks_print_data(&run, verified);
    if (code == CLI_EXIT_OK && !verified)
        code = CLI_EXIT_ERROR;
out:
    cJSON_Delete(key);
    mc_buf_release(&text);
    return code;
}

int cmd_verify(const struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const names[] = {"FILE", NULL};
    const char *key_file = NULL;
    const struct cli_option options[] = {
        {.name = "key", .value = &key_file},
        {.name = NULL},
    };
    const char *args[1];
    int code = cli_args_parse(ctx, "verify", argc, argv, options, names, args);

    if (code != CLI_EXIT_OK)
        return code;
    return cli_verify_run(ctx, args[0], key_file);
}
