/*
 * journal.h — what every write leaves behind, in the write's transaction:
 * an audit row (who, what, on which entity, before and after) and, when
 * other systems should hear of it, an outbox event (`events` row with a
 * msg_ id, a type and a payload) for the webhook dispatcher.
 *
 * Both are written by one statement, so a write costs one extra round
 * trip for its journal, and either everything commits or nothing does.
 * Never put a secret (a token, a webhook secret) in `before`, `after` or
 * an event's data.
 */
#ifndef MCRED_SERVER_JOURNAL_H
#define MCRED_SERVER_JOURNAL_H

#include <cjson/cJSON.h>

#include "db.h"
#include "mcred/error.h"

#define MC_EVENT_ID_MAX 72

struct request;

struct actor {
    const char *person_id;  /* NULL for the server itself */
    const char *label;      /* the person's e-mail, or what acted ("bootstrap") */
    const char *request_id; /* may be NULL */
};

/* The actor of an authenticated request. */
struct actor journal_actor(const struct request *r);

/*
 * Record a write: its audit row and, when event_type is not NULL, its
 * event with event_data as payload (out_event_id, if not NULL, receives
 * the event's id).  before/after may be NULL.
 */
enum mc_err journal_write(struct db_conn *c, const char *org_id, const struct actor *actor,
                          const char *action, const char *entity, const char *entity_id,
                          const cJSON *before, const cJSON *after, const char *event_type,
                          const cJSON *event_data, char out_event_id[MC_EVENT_ID_MAX],
                          struct mc_error *err) __attribute__((warn_unused_result));

#endif
