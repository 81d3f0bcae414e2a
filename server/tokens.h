/*
 * tokens.h — bearer tokens: their form, their keyed hash, and their rows.
 *
 * A token is 32 random bytes written as "mcr_" + URL-safe base64 without
 * padding (47 characters).  It is shown once, when made; the database
 * keeps only BLAKE2b(token) keyed with a pepper derived from
 * MCRED_MASTER_KEY, so a copy of the database alone cannot be used to
 * sign in, and a lookup by hash is an equality on a unique index (the
 * comparison that matters happens on a hash of a secret the attacker
 * does not know; the lookup itself is not a timing oracle for the token).
 */
#ifndef MCRED_SERVER_TOKENS_H
#define MCRED_SERVER_TOKENS_H

#include <stdbool.h>

#include "db.h"
#include "mcred/error.h"

#define MC_TOKEN_PREFIX     "mcr_"
#define MC_TOKEN_RAW_BYTES  32
#define MC_TOKEN_TEXT_LEN   47 /* "mcr_" + 43 base64url characters */
#define MC_TOKEN_HASH_BYTES 32
#define MC_TOKEN_KEY_BYTES  32

struct request;

/* The token pepper, derived from the master key (libsodium KDF, subkey 1). */
enum mc_err token_key_derive(const unsigned char *master_key, unsigned char key[MC_TOKEN_KEY_BYTES])
    __attribute__((warn_unused_result));

/*
 * A secret the server hands out once (an API token, an invitation code):
 * a 4-character prefix naming its kind, then MC_TOKEN_RAW_BYTES random
 * bytes in URL-safe base64 without padding.  secret_generate writes a new
 * one, NUL-terminated (sodium_memzero() it when done); secret_well_formed
 * says whether s has that form with that prefix.
 */
void secret_generate(const char *prefix, char out[MC_TOKEN_TEXT_LEN + 1]);
bool secret_well_formed(const char *s, const char *prefix);

/* A new random token, NUL-terminated.  sodium_memzero() it when done. */
void token_generate(char out[MC_TOKEN_TEXT_LEN + 1]);

/* True when s has the form of a token (prefix, length, alphabet). */
bool token_well_formed(const char *s);

/* The keyed hash stored in tokens.hash. */
enum mc_err token_hash(const unsigned char key[MC_TOKEN_KEY_BYTES], const char *token,
                       unsigned char out[MC_TOKEN_HASH_BYTES]) __attribute__((warn_unused_result));

/* The keyed hash of a secret as a bytea parameter: "\x" + hex, or bare hex when `bare`. */
#define MC_TOKEN_HASH_PARAM_LEN (2 + 2 * MC_TOKEN_HASH_BYTES + 1)
enum mc_err token_hash_param(const unsigned char key[MC_TOKEN_KEY_BYTES], const char *secret,
                             bool bare, char out[MC_TOKEN_HASH_PARAM_LEN])
    __attribute__((warn_unused_result));

/*
 * Insert a token row for a person of the current organisation and return
 * its id and created_at in *out (PQclear it).  expires_at may be NULL.
 */
enum mc_err db_token_insert(struct db_conn *c, const char *org_id, const char *person_id,
                            const char *name, const char *expires_at,
                            const unsigned char hash[MC_TOKEN_HASH_BYTES], PGresult **out,
                            struct mc_error *err) __attribute__((warn_unused_result));

/* POST /v1/tokens, GET /v1/tokens and DELETE /v1/tokens/{id} */
enum mc_err tokens_create(struct request *r);
enum mc_err tokens_list(struct request *r);
enum mc_err tokens_revoke(struct request *r);

#endif
