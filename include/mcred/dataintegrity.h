/*
 * dataintegrity.h — Data Integrity proofs, cryptosuite eddsa-rdfc-2022.
 *
 * W3C "Data Integrity EdDSA Cryptosuites v1.0" §3.3: the proof options
 * {type DataIntegrityProof, cryptosuite eddsa-rdfc-2022, created,
 * verificationMethod, proofPurpose assertionMethod} with the document's
 * @context are canonicalised (RDFC-1.0), and so is the document without
 * its proof; Ed25519 signs SHA-256(canonical proof options) ‖
 * SHA-256(canonical document); proofValue is "z" + base58btc(signature).
 *
 * mc_di_sign() attaches `proof` as an array of one proof object (Open
 * Badges 3.0's JSON Schema wants an array); mc_di_verify() accepts a
 * single object or an array holding exactly one proof.
 */
#ifndef MCRED_DATAINTEGRITY_H
#define MCRED_DATAINTEGRITY_H

#include <cjson/cJSON.h>

#include "mcred/error.h"
#include "mcred/multibase.h"

#define MC_DI_CRYPTOSUITE         "eddsa-rdfc-2022"
#define MC_ED25519_SECRETKEYBYTES 64 /* libsodium's: seed ‖ public key */
#define MC_DI_HASHBYTES           64 /* two SHA-256 digests */

/*
 * The data that is signed: SHA-256 of the canonical `proof_config` (which
 * carries the @context) followed by SHA-256 of the canonical `document`
 * (which must not carry a proof).
 */
enum mc_err mc_di_hash_data(const cJSON *document, const cJSON *proof_config,
                            unsigned char out[MC_DI_HASHBYTES], struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * Sign `credential` in place: add "proof": [ {…, "proofValue": "z…"} ].
 * `created_iso` is an XML Schema dateTime ("2026-01-31T12:00:00Z"); NULL
 * means now.  A credential that already has a proof is MC_ERR_CONFLICT;
 * one without @context is MC_ERR_INVALID.  On failure the credential is
 * unchanged.
 */
enum mc_err mc_di_sign(cJSON *credential, const unsigned char sk[MC_ED25519_SECRETKEYBYTES],
                       const char *verification_method, const char *created_iso,
                       struct mc_error *err) __attribute__((warn_unused_result));

/*
 * The verificationMethod of the credential's proof (pointing into
 * `credential`), so that a caller can find the key before verifying.
 */
enum mc_err mc_di_verification_method(const cJSON *credential, const char **out,
                                      struct mc_error *err) __attribute__((warn_unused_result));

/*
 * MC_OK only if the credential's one eddsa-rdfc-2022 proof, with purpose
 * assertionMethod, is a valid signature by `pk` over the credential as it
 * is.  A wrong signature is MC_ERR_UNAUTHENTICATED; a missing or
 * malformed proof MC_ERR_INVALID.
 */
enum mc_err mc_di_verify(const cJSON *credential, const unsigned char pk[MC_ED25519_PUBLICKEYBYTES],
                         struct mc_error *err) __attribute__((warn_unused_result));

#endif
