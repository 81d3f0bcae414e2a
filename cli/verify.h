/*
 * verify.h — the checks of `mcred verify` that need no network: what a
 * file holds, the shape of an Open Badges 3.0 credential, its dates, the
 * key a controller document or JWK set gives for a proof, and whether a
 * 1EdTechRevocationList lists the credential.  cmd_verify.c fetches what
 * these judge.
 *
 * Everything judged here came from a file or a URL that anyone may have
 * written: nothing is trusted before the proof check passes, and messages
 * quote it only after cleaning (the caller prints through text.h).
 */
#ifndef MCRED_CLI_VERIFY_H
#define MCRED_CLI_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"
#include "mcred/error.h"
#include "mcred/multibase.h"

#define CLI_VC_CONTEXT_V2     "https://www.w3.org/ns/credentials/v2"
#define CLI_VC_CONTEXT_OB3    "https://purl.imsglobal.org/spec/ob/v3p0/context"
#define CLI_VC_STATUS_1EDTECH "1EdTechRevocationList"
/* The longest message of one check. */
#define CLI_VC_MESSAGE_MAX 1024

enum cli_vc_kind {
    CLI_VC_UNKNOWN = 0,
    CLI_VC_JSON, /* a JSON object: a credential with an embedded proof */
    CLI_VC_JWT,  /* three base64url parts joined by dots: a VC-JWT */
};

/* What `len` bytes of a file hold, by their form alone; white space around is ignored. */
enum cli_vc_kind cli_vc_detect(const char *data, size_t len);

/*
 * The Open Badges 3.0 essentials: @context [VC 2.0, an OB 3.0 context, …],
 * type with VerifiableCredential and OpenBadgeCredential or
 * AchievementCredential, id, issuer (a string or an object with an id),
 * validFrom with a time zone, credentialSubject.achievement with id, type,
 * name, description and criteria, and (need_proof) a proof.  True when
 * all are there; otherwise false, with what is wrong appended to
 * `problems`, "; " between.
 */
bool cli_vc_shape(const cJSON *cred, bool need_proof, struct mc_buf *problems);

/* The issuer's id (issuer itself when a string), or NULL. */
const char *cli_vc_issuer_id(const cJSON *cred);

/* What to call the credential: its name, else its achievement's; NULL when neither. */
const char *cli_vc_name(const cJSON *cred);

/*
 * validFrom not after `now` and validUntil, when there is one, after it.
 * The verdict, with a message ("valid from …" or why not) in `msg`.
 */
bool cli_vc_dates(const cJSON *cred, time_t now, struct mc_buf *msg);

/*
 * The credential a VC-JWT carries, decoded but NOT verified (for the shape
 * check, and to print what failed to verify): the payload's "vc" when it
 * has one, else the payload.  Free *out with cJSON_Delete().
 */
enum mc_err cli_vc_jwt_payload(const char *jwt, size_t len, cJSON **out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Append the part of `vm` before its '#' (the controller document's URL) to out. */
enum mc_err cli_vc_controller_url(const char *vm, struct mc_buf *out)
    __attribute__((warn_unused_result));

/*
 * Is the key `key_id` (a verification method or a JWT's kid) the issuer's:
 * issuer_id followed by '#', '/' or nothing?
 */
bool cli_vc_key_of_issuer(const char *key_id, const char *issuer_id);

/*
 * The Ed25519 key of verification method `vm` in `doc`: a controller
 * document (its verificationMethod with that id — absolute or "#…" under
 * the document's id —, which its assertionMethod must list), or a single
 * verification method object (whose id, when it has one, must be vm).
 * MC_ERR_NOT_FOUND or MC_ERR_INVALID with a message otherwise.
 */
enum mc_err cli_vc_multikey_find(const cJSON *doc, const char *vm,
                                 unsigned char out_pk[MC_ED25519_PUBLICKEYBYTES],
                                 struct mc_error *err) __attribute__((warn_unused_result));

/*
 * The JWK for `kid` in `doc`: a JWK itself, a JWK set ({"keys": […]}: the
 * one with that kid, or its only key), a controller document (the
 * verification method with id kid and its publicKeyJwk) or one such
 * method.  *out points into doc.
 */
enum mc_err cli_vc_jwk_find(const cJSON *doc, const char *kid, const cJSON **out,
                            struct mc_error *err) __attribute__((warn_unused_result));

enum cli_vc_revocation {
    CLI_VC_NOT_REVOKED,
    CLI_VC_REVOKED,      /* msg: "revoked on <date>: <reason>" */
    CLI_VC_LIST_INVALID, /* msg: why the list cannot be used */
};

/*
 * Judge a 1EdTechRevocationList fetched from `status_id` for credential
 * `cred_id` of issuer `issuer_id`: it must be of that type, have that id
 * and that issuer (when it names them), and a revokedCredentials array.
 */
enum cli_vc_revocation cli_vc_revocation_check(const cJSON *list, const char *status_id,
                                               const char *cred_id, const char *issuer_id,
                                               struct mc_buf *msg);

#endif
