/*
 * test_cli_award.c — `mcred award`, `mcred revoke` and `mcred verify`
 * without a server: the forms and arguments, award ids, the shape,
 * dates and revocation checks, what a file holds, which URLs may be
 * fetched, and the official eddsa-rdfc-2022 vector (and a VC-JWT made
 * here) verified through the real code path with --key, offline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mcred/jose.h"

#include "award_input.h"
#include "cli.h"
#include "commands.h"
#include "fetch.h"
#include "verify.h"

#include "mcred/banned.h"

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))

#define UUID "0d6f1a6e-8d1f-4c5e-9a0b-2f3c4d5e6f70"

/* ---- forms, ids, formats ---- */

static void test_form(void **state)
{
    (void)state;
    assert_int_equal(cli_award_form(ARGC("award", "c1", "ana@x"), ARGV("award", "c1", "ana@x")),
                     CLI_AWARD_GIVE);
    assert_int_equal(cli_award_form(ARGC("award", "list", "c1"), ARGV("award", "list", "c1")),
                     CLI_AWARD_LIST);
    assert_int_equal(cli_award_form(ARGC("award", "show", UUID), ARGV("award", "show", UUID)),
                     CLI_AWARD_SHOW);
    assert_int_equal(cli_award_form(ARGC("award", "c1", "list"), ARGV("award", "c1", "list")),
                     CLI_AWARD_GIVE);
    assert_int_equal(cli_award_form(1, ARGV("award")), CLI_AWARD_GIVE);
}

static void test_award_id(void **state)
{
    char id[CLI_AWARD_ID_LEN + 1];

    (void)state;
    assert_true(cli_award_id(UUID, id));
    assert_string_equal(id, UUID);
    assert_true(cli_award_id("http://127.0.0.1:8080/credentials/" UUID, id));
    assert_string_equal(id, UUID);
    assert_true(cli_award_id("https://b.example/credentials/" UUID "/", id));
    assert_true(cli_award_id("https://b.example/credentials/" UUID "?format=jwt#x", id));
    assert_string_equal(id, UUID);
    assert_true(cli_award_id("0D6F1A6E-8D1F-4C5E-9A0B-2F3C4D5E6F70", id));
    assert_string_equal(id, UUID);
    assert_false(cli_award_id("", id));
    assert_false(cli_award_id(NULL, id));
    assert_false(cli_award_id("https://b.example/credentials/", id));
    assert_false(cli_award_id("https://b.example/credentials/42", id));
    assert_false(cli_award_id("../../etc/passwd", id));
    assert_false(cli_award_id("0d6f1a6e-8d1f-4c5e-9a0b-2f3c4d5e6f7z", id));
    assert_false(cli_award_id(UUID "0", id));
}

static void test_format(void **state)
{
    enum cli_award_format f = CLI_AWARD_JWT;

    (void)state;
    assert_true(cli_award_format_parse(NULL, &f));
    assert_int_equal(f, CLI_AWARD_JSON);
    assert_true(cli_award_format_parse("jwt", &f));
    assert_int_equal(f, CLI_AWARD_JWT);
    assert_true(cli_award_format_parse("json", &f));
    assert_int_equal(f, CLI_AWARD_JSON);
    assert_false(cli_award_format_parse("JWT", &f));
    assert_false(cli_award_format_parse("", &f));
}

/* ---- arguments: every mistake is a usage error before anything is sent ---- */

struct result {
    int code;
    char *out, *err;
};

static struct result run(cli_fn *fn, int argc, char **argv)
{
    /* Nothing listens on port 1: a request that went out would fail with exit 1. */
    struct cli_ctx ctx = {.url = "http://127.0.0.1:1", .token = "t", .width = 80};
    struct result r;
    size_t olen = 0, elen = 0;

    ctx.out = open_memstream(&r.out, &olen);
    ctx.err = open_memstream(&r.err, &elen);
    assert_non_null(ctx.out);
    assert_non_null(ctx.err);
    r.code = fn(&ctx, argc, argv);
    assert_int_equal(fclose(ctx.out), 0);
    assert_int_equal(fclose(ctx.err), 0);
    return r;
}

#define RUN(fn, ...) run(fn, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void expect(struct result r, int code, const char *err_part)
{
    if (r.code != code || !strstr(r.err, err_part))
        fail_msg("exit %d, stderr '%s'; wanted exit %d and '%s'", r.code, r.err, code, err_part);
    assert_string_equal(r.out, "");
    free(r.out);
    free(r.err);
}

static void test_usage_errors(void **state)
{
    (void)state;
    expect(RUN(cmd_award, "award"), 2, "usage: mcred award COHORT PERSON");
    expect(RUN(cmd_award, "award", "c1"), 2, "missing argument PERSON (or --all-eligible)");
    expect(RUN(cmd_award, "award", "c1", "ana@x", "--all-eligible"), 2, "not both");
    expect(RUN(cmd_award, "award", "c1", "--all-eligible", "--out", "f"), 2, "for one learner");
    expect(RUN(cmd_award, "award", "c1", "ana@x", "--format", "xml", "--out", "f"), 2,
           "--format is json or jwt");
    expect(RUN(cmd_award, "award", "c1", "ana@x", "--format", "jwt"), 2, "give --out FILE");
    expect(RUN(cmd_award, "award", "c1", "ana@x", "bob@x"), 2, "unexpected argument 'bob@x'");
    expect(RUN(cmd_award, "award", "c1", "ana@x", "--nope"), 2, "unknown option '--nope'");
    expect(RUN(cmd_award, "award", "list"), 2, "give COHORT or --mine");
    expect(RUN(cmd_award, "award", "list", "c1", "--mine"), 2, "give COHORT or --mine");
    expect(RUN(cmd_award, "award", "list", "c1", "--out", "d"), 2, "--out DIR is for --mine");
    expect(RUN(cmd_award, "award", "show"), 2, "missing argument AWARD");
    expect(RUN(cmd_award, "award", "show", "42"), 2, "not an award id or credential URL");
    expect(RUN(cmd_award, "award", "show", UUID, "--format", "pdf"), 2, "json or jwt");
    expect(RUN(cmd_revoke, "revoke", UUID), 2, "--reason TEXT is required");
    expect(RUN(cmd_revoke, "revoke", UUID, "--reason", ""), 2, "--reason TEXT is required");
    expect(RUN(cmd_revoke, "revoke", "--reason", "x"), 2, "missing argument AWARD");
    expect(RUN(cmd_revoke, "revoke", "nope", "--reason", "x"), 2, "not an award id");
    expect(RUN(cmd_verify, "verify"), 2, "missing argument FILE");
    expect(RUN(cmd_verify, "verify", "a", "b"), 2, "unexpected argument 'b'");
    expect(RUN(cmd_verify, "verify", "/nonexistent/credential.json"), 2, "could not open");
}

static void test_reason_too_long(void **state)
{
    char *reason = malloc(CLI_AWARD_REASON_MAX + 2);

    (void)state;
    assert_non_null(reason);
    memset(reason, 'x', CLI_AWARD_REASON_MAX + 1);
    reason[CLI_AWARD_REASON_MAX + 1] = '\0';
    expect(RUN(cmd_revoke, "revoke", UUID, "--reason", reason), 2, "at most 1000 bytes");
    free(reason);
}

/* A request that goes out reaches nobody (port 1): exit 1, the URL named. */
static void test_network_error(void **state)
{
    struct result r;

    (void)state;
    r = RUN(cmd_revoke, "revoke", "http://127.0.0.1:1/credentials/" UUID, "--reason", "typo");
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.err, "127.0.0.1:1"));
    free(r.out);
    free(r.err);
}

/* ---- what a file holds ---- */

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(cli_vc_detect("{\"a\":1}", 7), CLI_VC_JSON);
    assert_int_equal(cli_vc_detect("\n  {}\n", 6), CLI_VC_JSON);
    assert_int_equal(cli_vc_detect("eyJh.eyJi.c2ln", 14), CLI_VC_JWT);
    assert_int_equal(cli_vc_detect("eyJh.eyJi.c2ln\n", 15), CLI_VC_JWT);
    assert_int_equal(cli_vc_detect("eyJh.eyJi.c2ln\r\n", 16), CLI_VC_JWT);
    assert_int_equal(cli_vc_detect("eyJh.eyJi.", 10), CLI_VC_UNKNOWN);
    assert_int_equal(cli_vc_detect("eyJh..c2ln", 10), CLI_VC_UNKNOWN);
    assert_int_equal(cli_vc_detect("eyJh.eyJi", 9), CLI_VC_UNKNOWN);
    assert_int_equal(cli_vc_detect("a.b.c.d", 7), CLI_VC_UNKNOWN);
    assert_int_equal(cli_vc_detect("eyJh.ey Ji.c2ln", 15), CLI_VC_UNKNOWN);
    assert_int_equal(cli_vc_detect("[1]", 3), CLI_VC_UNKNOWN);
    assert_int_equal(cli_vc_detect("   ", 3), CLI_VC_UNKNOWN);
    assert_int_equal(cli_vc_detect("", 0), CLI_VC_UNKNOWN);
}

/* ---- shape ---- */

static const char good_credential[] =
    "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\","
    " \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
    " \"id\": \"http://127.0.0.1:8080/credentials/" UUID "\","
    " \"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"],"
    " \"issuer\": {\"id\": \"http://127.0.0.1:8080/issuers/acme\", \"type\": [\"Profile\"]},"
    " \"validFrom\": \"2026-01-31T12:00:00Z\", \"name\": \"Equity and Excellence\","
    " \"credentialSubject\": {\"type\": [\"AchievementSubject\"], \"achievement\": {"
    "   \"id\": \"http://127.0.0.1:8080/achievements/c1\", \"type\": [\"Achievement\"],"
    "   \"name\": \"Equity and Excellence\", \"description\": \"d\","
    "   \"criteria\": {\"narrative\": \"n\"}}},"
    " \"credentialStatus\": {\"id\": \"http://127.0.0.1:8080/issuers/acme/revocations\","
    "   \"type\": \"1EdTechRevocationList\"},"
    " \"proof\": [{\"type\": \"DataIntegrityProof\"}]}";

/* The shape verdict of good_credential with `path` ("a.b") removed or, with value, replaced. */
static bool shape_with(const char *path, const char *value, bool need_proof, char *problems,
                       size_t size)
{
    cJSON *cred = cJSON_Parse(good_credential), *parent = cred;
    char key[64];
    const char *dot;
    struct mc_buf out;
    bool ok;

    assert_non_null(cred);
    while (path && (dot = strchr(path, '.'))) {
        (void)snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
        parent = cJSON_GetObjectItemCaseSensitive(parent, key);
        path = dot + 1;
    }
    if (path) {
        cJSON_DeleteItemFromObjectCaseSensitive(parent, path);
        if (value)
            assert_true(cJSON_AddItemToObject(parent, path, cJSON_Parse(value)));
    }
    mc_buf_init(&out, 4096);
    ok = cli_vc_shape(cred, need_proof, &out);
    (void)snprintf(problems, size, "%s", out.data);
    mc_buf_release(&out);
    cJSON_Delete(cred);
    return ok;
}

static void expect_shape(const char *path, const char *value, const char *problem)
{
    char problems[4096];

    if (shape_with(path, value, true, problems, sizeof problems) || !strstr(problems, problem))
        fail_msg("%s=%s: '%s', wanted '%s'", path, value ? value : "(removed)", problems, problem);
}

static void test_shape(void **state)
{
    char problems[4096];

    (void)state;
    assert_true(shape_with(NULL, NULL, true, problems, sizeof problems));
    assert_string_equal(problems, "");
    /* AchievementCredential is OB 3.0's other name; a JWT has no proof member. */
    assert_true(shape_with("type", "[\"VerifiableCredential\",\"AchievementCredential\"]", true,
                           problems, sizeof problems));
    assert_true(shape_with("issuer", "\"https://b.example/i\"", true, problems, sizeof problems));
    assert_true(shape_with("proof", NULL, false, problems, sizeof problems));

    expect_shape("@context", NULL, "@context must start with");
    expect_shape("@context", "[\"https://www.w3.org/2018/credentials/v1\"]",
                 "@context must start with");
    expect_shape("@context", "[\"https://www.w3.org/ns/credentials/v2\"]", "Open Badges 3.0");
    expect_shape("type", "[\"VerifiableCredential\"]", "lacks OpenBadgeCredential");
    expect_shape("type", "\"OpenBadgeCredential\"", "lacks VerifiableCredential");
    expect_shape("id", NULL, "no id");
    expect_shape("issuer", NULL, "no issuer id");
    expect_shape("issuer", "{\"name\": \"x\"}", "no issuer id");
    expect_shape("validFrom", NULL, "no validFrom");
    expect_shape("validFrom", "\"2026-01-31T12:00:00\"", "with a time zone");
    expect_shape("credentialSubject", NULL, "no credentialSubject");
    expect_shape("credentialSubject.achievement", NULL, "no achievement");
    expect_shape("credentialSubject.achievement.id", NULL, "achievement has no id");
    expect_shape("credentialSubject.achievement.type", NULL, "lacks Achievement");
    expect_shape("credentialSubject.achievement.name", NULL, "has no name");
    expect_shape("credentialSubject.achievement.description", NULL, "no description");
    expect_shape("credentialSubject.achievement.criteria", NULL, "no criteria");
    expect_shape("proof", NULL, "no proof");
    expect_shape("proof", "[]", "no proof");
    /* Every problem at once, not just the first. */
    assert_false(shape_with("credentialSubject", NULL, true, problems, sizeof problems));
    assert_false(shape_with("id", NULL, true, problems, sizeof problems));
}

/* ---- dates ---- */

static void test_dates(void **state)
{
    cJSON *cred = cJSON_Parse("{\"validFrom\": \"2026-01-31T12:00:00Z\","
                              " \"validUntil\": \"2027-01-31T12:00:00+01:00\"}");
    struct mc_buf msg;
    time_t from = 1769860800; /* 2026-01-31T12:00:00Z */

    (void)state;
    assert_non_null(cred);
    mc_buf_init(&msg, 1024);
    assert_true(cli_vc_dates(cred, from, &msg));
    assert_non_null(strstr(msg.data, "valid from 2026-01-31T12:00:00Z until 2027"));
    mc_buf_reset(&msg);
    assert_false(cli_vc_dates(cred, from - 1, &msg));
    assert_non_null(strstr(msg.data, "not valid before 2026-01-31T12:00:00Z"));
    mc_buf_reset(&msg);
    assert_false(cli_vc_dates(cred, 1801393200, &msg)); /* 2027-01-31T11:00:00Z, the end */
    assert_non_null(strstr(msg.data, "expired on 2027-01-31T12:00:00+01:00"));
    mc_buf_reset(&msg);
    assert_true(cli_vc_dates(cred, 1801393199, &msg));
    cJSON_DeleteItemFromObjectCaseSensitive(cred, "validUntil");
    mc_buf_reset(&msg);
    assert_true(cli_vc_dates(cred, 4000000000, &msg));
    assert_non_null(strstr(msg.data, "no end date"));
    assert_true(cJSON_AddStringToObject(cred, "validUntil", "soon"));
    mc_buf_reset(&msg);
    assert_false(cli_vc_dates(cred, from, &msg));
    mc_buf_release(&msg);
    cJSON_Delete(cred);
}

/* ---- revocation ---- */

#define LIST_ID "http://127.0.0.1:8080/issuers/acme/revocations"
#define ISSUER  "http://127.0.0.1:8080/issuers/acme"
#define CRED_ID "http://127.0.0.1:8080/credentials/" UUID

static enum cli_vc_revocation revocation(const char *list_text, char *msg, size_t size)
{
    cJSON *list = cJSON_Parse(list_text);
    struct mc_buf out;
    enum cli_vc_revocation v;

    assert_non_null(list);
    mc_buf_init(&out, 4096);
    v = cli_vc_revocation_check(list, LIST_ID, CRED_ID, ISSUER, &out);
    (void)snprintf(msg, size, "%s", out.data);
    mc_buf_release(&out);
    cJSON_Delete(list);
    return v;
}

static void test_revocation(void **state)
{
    char msg[4096];

    (void)state;
    assert_int_equal(revocation("{\"id\": \"" LIST_ID "\", \"type\": [\"1EdTechRevocationList\"],"
                                " \"issuer\": \"" ISSUER "\", \"revokedCredentials\": []}",
                                msg, sizeof msg),
                     CLI_VC_NOT_REVOKED);
    assert_int_equal(revocation("{\"id\": \"" LIST_ID "\", \"type\": [\"1EdTechRevocationList\"],"
                                " \"issuer\": {\"id\": \"" ISSUER "\"}, \"revokedCredentials\": ["
                                "  {\"id\": \"http://127.0.0.1:8080/credentials/other\"},"
                                "  {\"id\": \"" CRED_ID
                                "\", \"revocationReason\": \"awarded in error\","
                                "   \"revokedAt\": \"2026-02-01T09:00:00Z\"}]}",
                                msg, sizeof msg),
                     CLI_VC_REVOKED);
    assert_string_equal(msg, "revoked on 2026-02-01T09:00:00Z: awarded in error");
    /* Another credential's revocation is not this one's. */
    assert_int_equal(revocation("{\"type\": \"1EdTechRevocationList\", \"revokedCredentials\": ["
                                "  {\"id\": \"" CRED_ID "x\"}]}",
                                msg, sizeof msg),
                     CLI_VC_NOT_REVOKED);
    assert_int_equal(
        revocation("{\"type\": [\"StatusList2021\"], \"revokedCredentials\": []}", msg, sizeof msg),
        CLI_VC_LIST_INVALID);
    assert_int_equal(revocation("{\"type\": [\"1EdTechRevocationList\"]}", msg, sizeof msg),
                     CLI_VC_LIST_INVALID);
    assert_int_equal(
        revocation("{\"id\": \"https://evil.example/r\","
                   " \"type\": [\"1EdTechRevocationList\"], \"revokedCredentials\": []}",
                   msg, sizeof msg),
        CLI_VC_LIST_INVALID);
    assert_int_equal(
        revocation("{\"issuer\": \"https://evil.example/i\","
                   " \"type\": [\"1EdTechRevocationList\"], \"revokedCredentials\": []}",
                   msg, sizeof msg),
        CLI_VC_LIST_INVALID);
    assert_int_equal(revocation("[]", msg, sizeof msg), CLI_VC_LIST_INVALID);
}

/* ---- keys ---- */

#define VM565049                                                                                   \
    "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"

static enum mc_err multikey(const char *doc_text, const char *vm)
{
    unsigned char pk[MC_ED25519_PUBLICKEYBYTES];
    struct mc_error err;
    cJSON *doc = cJSON_Parse(doc_text);
    enum mc_err rc;

    assert_non_null(doc);
    mc_error_clear(&err);
    rc = cli_vc_multikey_find(doc, vm, pk, &err);
    cJSON_Delete(doc);
    return rc;
}

static void test_keys(void **state)
{
    const char *method = "{\"id\": \"" VM565049 "\", \"type\": \"Multikey\","
                         " \"publicKeyMultibase\":"
                         " \"z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi\"}";
    char doc[2048];

    (void)state;
    assert_true(cli_vc_key_of_issuer(VM565049, "https://example.edu/issuers/565049"));
    assert_true(
        cli_vc_key_of_issuer("https://e.example/issuers/a/keys/k1", "https://e.example/issuers/a"));
    assert_false(cli_vc_key_of_issuer(VM565049, "https://example.edu/issuers/56504"));
    assert_false(cli_vc_key_of_issuer("https://evil.example/k#z6Mk", "https://example.edu/i"));
    assert_false(cli_vc_key_of_issuer(VM565049, NULL));

    assert_int_equal(multikey(method, VM565049), MC_OK);
    assert_int_equal(multikey(method, VM565049 "x"), MC_ERR_INVALID);
    (void)snprintf(doc, sizeof doc,
                   "{\"id\": \"https://example.edu/issuers/565049\", \"verificationMethod\": [%s],"
                   " \"assertionMethod\": [\"" VM565049 "\"]}",
                   method);
    assert_int_equal(multikey(doc, VM565049), MC_OK);
    /* A relative id under the document's own. */
    assert_int_equal(
        multikey("{\"id\": \"https://example.edu/issuers/565049\", \"verificationMethod\": [{"
                 "\"id\": \"#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi\","
                 " \"publicKeyMultibase\": \"z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi\"}],"
                 " \"assertionMethod\": [\"#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi\"]}",
                 VM565049),
        MC_OK);
    /* A key the issuer does not use for assertions may not sign a credential. */
    (void)snprintf(doc, sizeof doc,
                   "{\"id\": \"https://example.edu/issuers/565049\", \"verificationMethod\": [%s],"
                   " \"authentication\": [\"" VM565049 "\"]}",
                   method);
    assert_int_equal(multikey(doc, VM565049), MC_ERR_INVALID);
    assert_int_equal(multikey("{\"verificationMethod\": [], \"assertionMethod\": []}", VM565049),
                     MC_ERR_NOT_FOUND);
    assert_int_equal(multikey("{\"kty\": \"EC\", \"crv\": \"P-256\"}", VM565049), MC_ERR_INVALID);
}

static void test_jwk_find(void **state)
{
    cJSON *doc = cJSON_Parse("{\"keys\": [{\"kty\": \"EC\", \"kid\": \"a\"},"
                             " {\"kty\": \"EC\", \"kid\": \"b\"}]}");
    const cJSON *jwk = NULL;
    struct mc_error err;

    (void)state;
    mc_error_clear(&err);
    assert_non_null(doc);
    assert_int_equal(cli_vc_jwk_find(doc, "b", &jwk, &err), MC_OK);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(jwk, "kid")), "b");
    assert_int_equal(cli_vc_jwk_find(doc, "c", &jwk, &err), MC_ERR_NOT_FOUND);
    assert_int_equal(
        cli_vc_jwk_find(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "keys"), 0), "z", &jwk, &err),
        MC_OK);
    cJSON_Delete(doc);
}

/* ---- what may be fetched ---- */

static void test_fetch_allowed(void **state)
{
    struct mc_error err;

    (void)state;
    mc_error_clear(&err);
    assert_int_equal(cli_fetch_allowed("https://example.edu/issuers/1", &err), MC_OK);
    assert_int_equal(cli_fetch_allowed("http://127.0.0.1:8080/issuers/a", &err), MC_OK);
    assert_int_equal(cli_fetch_allowed("http://127.3.2.1/x", &err), MC_OK);
    assert_int_equal(cli_fetch_allowed("http://localhost:8080/x", &err), MC_OK);
    assert_int_equal(cli_fetch_allowed("http://[::1]:8080/x", &err), MC_OK);
    assert_int_equal(cli_fetch_allowed("http://example.edu/issuers/1", &err), MC_ERR_INVALID);
    assert_non_null(strstr(mc_error_message(&err), "refusing plain http:// to example.edu"));
    assert_int_equal(cli_fetch_allowed("http://127.0.0.1.evil.example/x", &err), MC_ERR_INVALID);
    assert_int_equal(cli_fetch_allowed("http://10.0.0.1/x", &err), MC_ERR_INVALID);
    assert_int_equal(cli_fetch_allowed("http://user@example.edu/x", &err), MC_ERR_INVALID);
    assert_int_equal(cli_fetch_allowed("ftp://127.0.0.1/x", &err), MC_ERR_INVALID);
    assert_int_equal(cli_fetch_allowed("file:///etc/passwd", &err), MC_ERR_INVALID);
    assert_int_equal(cli_fetch_allowed("did:web:example.edu", &err), MC_ERR_INVALID);
    assert_int_equal(cli_fetch_allowed("", &err), MC_ERR_INVALID);
    assert_int_equal(cli_fetch_allowed(NULL, &err), MC_ERR_INVALID);

    assert_true(cli_fetch_host_loopback("127.0.0.1"));
    assert_true(cli_fetch_host_loopback("127.255.255.254"));
    assert_false(cli_fetch_host_loopback("128.0.0.1"));
    assert_false(cli_fetch_host_loopback("127.0.0.256"));
    assert_false(cli_fetch_host_loopback("127.0.0.1x"));
    assert_false(cli_fetch_host_loopback("127.1"));
    assert_false(cli_fetch_host_loopback("localhost.example"));
    assert_false(cli_fetch_host_loopback(NULL));
}

/* ---- the official vector, through the real code path, offline ---- */

static struct result verify(const char *file, const char *key, enum cli_format format)
{
    struct cli_ctx ctx = {.url = "http://127.0.0.1:1", .format = format, .width = 0};
    struct result r;
    size_t olen = 0, elen = 0;

    ctx.out = open_memstream(&r.out, &olen);
    ctx.err = open_memstream(&r.err, &elen);
    assert_non_null(ctx.out);
    assert_non_null(ctx.err);
    r.code = cli_verify_run(&ctx, file, key);
    assert_int_equal(fclose(ctx.out), 0);
    assert_int_equal(fclose(ctx.err), 0);
    return r;
}

static void result_free(struct result r)
{
    free(r.out);
    free(r.err);
}

/* Read the whole file into a malloc'd string. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return data;
}

static void spill(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_vector(void **state)
{
    struct result r;

    (void)state;
    r = verify(MCRED_VC_FIXTURES "/signed-credential.json",
               MCRED_VC_FIXTURES "/controller-565049.json", CLI_FORMAT_TABLE);
    if (r.code != 0)
        fail_msg("exit %d: %s%s", r.code, r.out, r.err);
    assert_non_null(strstr(r.out, "ok   shape: JSON credential, \"Teamwork Badge\""));
    assert_non_null(strstr(r.out, "ok   proof: signed by " VM565049 "\n"));
    assert_non_null(strstr(r.out, "ok   dates: valid from 2010-01-01T00:00:00Z"));
    assert_non_null(strstr(r.out, "ok   revocation: "));
    assert_null(strstr(r.out, "FAIL"));
    result_free(r);

    r = verify(MCRED_VC_FIXTURES "/signed-credential.json",
               MCRED_VC_FIXTURES "/controller-565049.json", CLI_FORMAT_JSON);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "\"verified\":true"));
    result_free(r);
}

/* One byte changed anywhere the proof covers, and the proof fails (exit 1). */
static void test_vector_tampered(void **state)
{
    char path[] = "/tmp/mcred-test-vc-XXXXXX";
    int fd = mkstemp(path);
    size_t len;
    char *data = slurp(MCRED_VC_FIXTURES "/signed-credential.json", &len);
    char *at = strstr(data, "Teamwork Badge");
    struct result r;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_non_null(at);
    at[strlen("Teamwork Badg")] = 'f';
    spill(path, data, len);
    r = verify(path, MCRED_VC_FIXTURES "/controller-565049.json", CLI_FORMAT_TABLE);
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "FAIL proof: "));
    result_free(r);
    /* The key of another method: refused before any signature is checked. */
    r = verify(MCRED_VC_FIXTURES "/signed-credential.json",
               MCRED_VC_FIXTURES "/signed-credential.json", CLI_FORMAT_TABLE);
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "FAIL proof: "));
    result_free(r);
    unlink(path);
    free(data);
}

/* A VC-JWT made here, verified with its JWK through --key, offline; tampered, it fails. */
static void test_jwt(void **state)
{
    char jwt_path[] = "/tmp/mcred-test-jwt-XXXXXX", key_path[] = "/tmp/mcred-test-jwk-XXXXXX";
    int fd1 = mkstemp(jwt_path), fd2 = mkstemp(key_path);
    size_t len;
    char *data = slurp(MCRED_VC_FIXTURES "/signed-credential.json", &len);
    cJSON *cred = cJSON_Parse(data), *jwk = NULL;
    struct mc_jose_key *key = NULL;
    struct mc_error err;
    char *jwt = NULL, *jwk_text, *dot;
    struct result r;

    (void)state;
    mc_error_clear(&err);
    assert_true(fd1 >= 0 && fd2 >= 0);
    close(fd1);
    close(fd2);
    assert_non_null(cred);
    cJSON_DeleteItemFromObjectCaseSensitive(cred, "proof");
    assert_int_equal(mc_jose_key_generate(&key, &err), MC_OK);
    assert_int_equal(
        mc_vcjwt_sign(cred, key, "https://example.edu/issuers/565049/keys/k1", &jwt, &err), MC_OK);
    assert_int_equal(
        mc_jose_jwk_public(key, "https://example.edu/issuers/565049/keys/k1", &jwk, &err), MC_OK);
    jwk_text = cJSON_PrintUnformatted(jwk);
    assert_non_null(jwk_text);
    spill(key_path, jwk_text, strlen(jwk_text));
    spill(jwt_path, jwt, strlen(jwt));
    {
        /* with the trailing newline a file usually has */
        FILE *f = fopen(jwt_path, "wb");
        assert_non_null(f);
        assert_true(fprintf(f, "%s\n", jwt) > 0);
        assert_int_equal(fclose(f), 0);
    }
    r = verify(jwt_path, key_path, CLI_FORMAT_TABLE);
    if (r.code != 0)
        fail_msg("exit %d: %s%s", r.code, r.out, r.err);
    assert_non_null(strstr(r.out, "ok   shape: VC-JWT, \"Teamwork Badge\""));
    assert_non_null(strstr(r.out, "ok   proof: VC-JWT signed by https://example.edu/issuers/"
                                  "565049/keys/k1 (ES256): \"Teamwork Badge\""));
    result_free(r);

    /* One character of the signature changed. */
    dot = strrchr(jwt, '.');
    assert_non_null(dot);
    dot[5] = dot[5] == 'A' ? 'B' : 'A';
    spill(jwt_path, jwt, strlen(jwt));
    r = verify(jwt_path, key_path, CLI_FORMAT_TABLE);
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "FAIL proof: "));
    result_free(r);

    unlink(jwt_path);
    unlink(key_path);
    free(jwk_text);
    free(jwt);
    cJSON_Delete(jwk);
    mc_jose_key_free(key);
    cJSON_Delete(cred);
    free(data);
}

static void test_not_a_credential(void **state)
{
    char path[] = "/tmp/mcred-test-vc-XXXXXX";
    int fd = mkstemp(path);
    struct result r;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    spill(path, "hello\n", 6);
    r = verify(path, NULL, CLI_FORMAT_TABLE);
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "FAIL shape: "));
    result_free(r);
    /* A key file that is not JSON cannot be used: exit 2. */
    r = verify(MCRED_VC_FIXTURES "/signed-credential.json", path, CLI_FORMAT_TABLE);
    assert_int_equal(r.code, 2);
    result_free(r);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form),
        cmocka_unit_test(test_award_id),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_reason_too_long),
        cmocka_unit_test(test_network_error),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_revocation),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_jwk_find),
        cmocka_unit_test(test_fetch_allowed),
        cmocka_unit_test(test_vector),
        cmocka_unit_test(test_vector_tampered),
        cmocka_unit_test(test_jwt),
        cmocka_unit_test(test_not_a_credential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
