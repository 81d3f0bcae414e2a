/*
 * known_tokens.h — the secrets (API tokens, session cookies) that
 * authenticated recently, so that an address slowed for its bad tokens
 * (ratelimit.h) still gets its good ones served.
 *
 * Behind a proxy or a school's NAT, many people share one address: one
 * of them guessing tokens must not lock the others out.  A request from a
 * slowed address whose secret is in this set is authenticated as usual
 * (the database still decides: a revoked token fails, and is forgotten
 * here); any other secret from it is answered 429 without a look.
 *
 * An entry is the first KNOWN_TOKEN_KEY_BYTES of the secret's keyed hash
 * (tokens.h) — never the secret — and when it was last seen to
 * authenticate.  It is forgotten `ttl` seconds after that.  The table has
 * a fixed number of slots; when the slots a key may use are taken, the
 * stalest of them is reused.  The state is per process and lost on
 * restart, which only means a good token waits like any other once.
 */
#ifndef MCRED_SERVER_KNOWN_TOKENS_H
#define MCRED_SERVER_KNOWN_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

/* 128 bits: two different secrets sharing a key is not a practical event */
#define KNOWN_TOKEN_KEY_BYTES 16

struct known_tokens;

/* A set of at most `slots` keys, each remembered `ttl_seconds`; NULL when out of memory. */
struct known_tokens *known_tokens_create(size_t slots, unsigned ttl_seconds);
void known_tokens_free(struct known_tokens *kt);

/*
 * The key of a secret from its keyed hash as a bytea parameter ("\x" +
 * hex, as auth_start_init and token_hash_param write it).  False when
 * hash_param is not of that form.
 */
bool known_token_key(const char *hash_param, unsigned char out[KNOWN_TOKEN_KEY_BYTES])
    __attribute__((warn_unused_result));

/* Whether key authenticated within the last ttl seconds.  `now` is monotonic seconds. */
bool known_tokens_has(struct known_tokens *kt, const unsigned char key[KNOWN_TOKEN_KEY_BYTES],
                      double now);

/* Remember that key authenticated at `now` (again: its time is renewed). */
void known_tokens_add(struct known_tokens *kt, const unsigned char key[KNOWN_TOKEN_KEY_BYTES],
                      double now);

/* Forget key: its secret was refused (revoked, expired). */
void known_tokens_forget(struct known_tokens *kt, const unsigned char key[KNOWN_TOKEN_KEY_BYTES]);

#endif
