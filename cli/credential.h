/*
 * credential.h — credentials as the tool names and shows them.
 *
 * Commands that take a credential (`credential show`, `credential
 * publish`, `cohort create --credential`) accept its id or its slug, with
 * or without a version:
 *
 *   6f1c…-…            the id (a UUID)
 *   equity-excellence  the newest version of that framework (for a new
 *                      cohort: the newest published one)
 *   equity-excellence@2
 *
 * A slug is looked up with GET /v1/credentials?slug=, which lists every
 * version of it.  The server's credential (the whole framework) is shown
 * through the pure functions below, which flatten it into rows that
 * output.h prints as tables or CSV.
 */
#ifndef MCRED_CLI_CREDENTIAL_H
#define MCRED_CLI_CREDENTIAL_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"
#include "mcred/limits.h"

#include "cli.h"

/* The highest version of a framework (docs/api.md, "Credentials"). */
#define CLI_CREDENTIAL_MAX_VERSION 1000

enum cli_credential_ref_kind {
    CLI_CREDENTIAL_ID,           /* "6f1c…": an id, used as it is */
    CLI_CREDENTIAL_SLUG,         /* "equity-excellence": the newest version */
    CLI_CREDENTIAL_SLUG_VERSION, /* "equity-excellence@2" */
};

struct cli_credential_ref {
    enum cli_credential_ref_kind kind;
    const char *id; /* CLI_CREDENTIAL_ID: the argument itself */
    char slug[MC_MAX_SLUG + 1];
    long version; /* CLI_CREDENTIAL_SLUG_VERSION: 1 to CLI_CREDENTIAL_MAX_VERSION */
};

/*
 * Tell what `arg` names: SLUG@VERSION when it has an '@' (which must then
 * be a valid slug and a version from 1 to CLI_CREDENTIAL_MAX_VERSION),
 * else an id when it is a UUID, else a SLUG when it is a valid slug, else
 * an id (ids are opaque; the server answers 404 for a wrong one).  False,
 * with *out untouched, for a malformed SLUG@VERSION or an empty argument.
 */
bool cli_credential_ref_parse(const char *arg, struct cli_credential_ref *out);

/*
 * Among `items` (GET /v1/credentials' items, all of one slug), the one
 * that `ref` names: for SLUG@VERSION the item of that version, for a SLUG
 * the highest version — only among published ones when
 * `published_only`.  NULL when none fits.
 */
const cJSON *cli_credential_pick(const cJSON *items, const struct cli_credential_ref *ref,
                                 bool published_only);

/* How cli_credential_id() resolves a bare SLUG. */
enum cli_credential_flags {
    CLI_CREDENTIAL_NEED_VERSION = 1 << 0, /* a bare SLUG is a usage error */
    CLI_CREDENTIAL_PUBLISHED = 1 << 1,    /* a bare SLUG means its newest published version */
};

/*
 * Put the id of the credential `arg` names into *out_id: an id as it is,
 * a slug looked up (all its versions, following pages).  `what` ("cohort
 * create") names the command in usage errors.  "no credential
 * equity-excellence@3" and the like exit 3; other failures are printed
 * and their exit code returned.
 */
int cli_credential_id(const struct cli_ctx *ctx, const char *what, const char *arg,
                      unsigned int flags, struct mc_buf *out_id);

/*
 * The import's or publication's summary of a credential (an answer of
 * POST /v1/credentials or GET /v1/credentials/{id}):
 * {id, slug, version, title, status, standards: N, indicators: N,
 *  published_at, result} — counts from the framework's arrays; `result`
 * ("created", "replaced draft", "published") is left out when NULL.
 * NULL when out of memory.
 */
cJSON *cli_credential_summary(const cJSON *credential, const char *result);

/*
 * A credential for `mcred credential show`: the summary's fields plus
 * achievement_type, rubric ("1 Not Evident, 2 Emerging, …"), award_rule
 * ("every indicator at 3 (Proficient) or above; 5 of 6 weekly sessions;
 * problem of practice approved"), created_at, updated_at and description.
 * NULL when out of memory.
 */
cJSON *cli_credential_view(const cJSON *credential);

/*
 * The framework's standards as rows {code, title, indicators} where
 * indicators are the standard's indicator codes ("1.1, 1.2, 1.3").  NULL
 * when out of memory.
 */
cJSON *cli_credential_standards(const cJSON *credential);

/* Its indicators as rows {standard, indicator, text}, in order.  NULL when out of memory. */
cJSON *cli_credential_indicators(const cJSON *credential);

#endif
