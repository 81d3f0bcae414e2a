/*
 * signing_keys.h — an organisation's signing keys: an Ed25519 key for the
 * Data Integrity proofs (eddsa-rdfc-2022) and a P-256 key for VC-JWTs
 * (ES256).
 *
 * Private halves are kept in the database only sealed (crypto_secretbox)
 * under a key derived from MCRED_MASTER_KEY (KDF subkey 3, context
 * "mcredsig"): a dump holds no private key in clear.  They are opened for
 * one signing and wiped after.  The public halves, and how documents name
 * them (the Ed25519 Multikey, the P-256 key's RFC 7638 thumbprint), are
 * in clear, for the public issuer profile and JWKS.
 */
#ifndef MCRED_SERVER_SIGNING_KEYS_H
#define MCRED_SERVER_SIGNING_KEYS_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "mcred/dataintegrity.h"
#include "db.h"
#include "mcred/error.h"
#include "mcred/jose.h"
#include "mcred/multibase.h"

/* An organisation's keys in force, opened for signing. */
struct org_keys {
    unsigned char ed_sk[MC_ED25519_SECRETKEYBYTES];
    unsigned char ed_pk[MC_ED25519_PUBLICKEYBYTES];
    char ed_multikey[MC_MULTIKEY_ED25519_MAX];
    struct mc_jose_key *es;
    char es_kid[MC_JOSE_THUMBPRINT_LEN + 1];
};

/*
 * A new key pair of each algorithm, as mcred.signing_keys_rotate takes
 * them: [{"algorithm", "key_id", "public_key" (hex), "secret_box" (hex)}].
 */
enum mc_err signing_keys_generate(const unsigned char *master_key, cJSON **out,
                                  struct mc_error *err) __attribute__((warn_unused_result));

/*
 * Open the keys listed as mcred.award_material lists them (both
 * algorithms must be there); MC_ERR_INTERNAL when a box does not open
 * under this master key.  org_keys_wipe() after, on success or not.
 */
enum mc_err signing_keys_open(const unsigned char *master_key, const cJSON *keys,
                              struct org_keys *out, struct mc_error *err)
    __attribute__((warn_unused_result));

void org_keys_wipe(struct org_keys *k);

/*
 * The statement that stores keys as generated (params: the keys' JSON, the
 * actor), retiring those in force: for a pipeline, or db_exec.  Its column
 * "stored" is false when no organisation is set.
 */
struct db_batch signing_keys_store(const char *const params[2], PGresult **out);

/* Rotate the organisation's keys inside the caller's transaction; *out as generated. */
enum mc_err signing_keys_rotate(struct db_conn *db, const unsigned char *master_key,
                                const char *actor, cJSON **out, struct mc_error *err)
    __attribute__((warn_unused_result));

/* The public JWK of a P-256 public key given as x ‖ y in hex, with its kid URL. */
enum mc_err signing_keys_jwk(const char *public_hex, const char *kid_url, cJSON **out,
                             struct mc_error *err) __attribute__((warn_unused_result));

#endif
