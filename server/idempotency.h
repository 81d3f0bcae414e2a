/*
 * idempotency.h — the Idempotency-Key header of POSTs (DESIGN.md §3): a
 * retried request with the same key gets the first answer again and
 * writes nothing new.
 *
 * Only successful answers are kept (a failed request wrote nothing, so it
 * may simply run again), for 24 hours, per person.  The same key with a
 * different request (method, path or body) is refused: 422.  An answer
 * that holds a secret (a new token) is never kept: a retry of it is 409.
 */
#ifndef MCRED_SERVER_IDEMPOTENCY_H
#define MCRED_SERVER_IDEMPOTENCY_H

#include <stdbool.h>

#include "mcred/error.h"

struct request;

#define MC_MAX_IDEMPOTENCY_KEY 255

/*
 * Before the handler: if the request carries a key already answered, put
 * that answer in r and set *out_replayed.  MC_ERR_INVALID for a malformed
 * key or one used for another request.
 */
enum mc_err idempotency_check(struct request *r, bool *out_replayed)
    __attribute__((warn_unused_result));

/* After a successful handler: keep the answer under the request's key, if any. */
enum mc_err idempotency_store(struct request *r) __attribute__((warn_unused_result));

#endif
