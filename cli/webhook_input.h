/*
 * webhook_input.h — what `mcred webhook` checks and shows without a
 * server: the event types of --events, and subscriptions made fit for a
 * table.
 *
 * `--events score.recorded,member.enrolled` becomes the request's
 * "events": ["score.recorded", "member.enrolled"].  Each item is `*` (every
 * event, alone) or TYPE.ACTION in lowercase (DESIGN.md §4's names:
 * [a-z][a-z0-9_]* on each side of one dot), so that a typo is a usage error
 * before anything is sent; whether the server knows the type is the
 * server's to say.  Tables show a subscription's events joined the same way,
 * "score.recorded,member.enrolled", ready to paste back into --events.
 */
#ifndef MCRED_CLI_WEBHOOK_INPUT_H
#define MCRED_CLI_WEBHOOK_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"

/* Event types in one --events (DESIGN.md §4 names 13). */
#define CLI_WEBHOOK_MAX_EVENTS 32
/* Bytes of one event type. */
#define CLI_WEBHOOK_MAX_EVENT 64

/* The len bytes at s are `*` or TYPE.ACTION, at most CLI_WEBHOOK_MAX_EVENT bytes. */
bool cli_webhook_event_valid(const char *s, size_t len);

/*
 * Parse the value of --events, a comma-separated list ("a.b,c.d"; spaces
 * around an item are ignored and a repeated item counts once), into a JSON
 * array of strings in the order given.  An empty list or item, an item
 * that is neither `*` nor TYPE.ACTION, `*` with other items, or more than
 * CLI_WEBHOOK_MAX_EVENTS items is MC_ERR_INVALID with a message that names
 * --events; out of memory is MC_ERR_NOMEM.  *out_events (free it with
 * cJSON_Delete) is set on success only.
 */
enum mc_err cli_webhook_events_parse(const char *s, cJSON **out_events, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * A copy of one subscription (an object of the API) for a table or CSV:
 * as it is, but with "events", when it is an array of strings, joined
 * with ',' into one string.  NULL when out of memory.
 */
cJSON *cli_webhook_view(const cJSON *webhook);

/* cli_webhook_view() of every item of an array; NULL when out of memory. */
cJSON *cli_webhook_rows(const cJSON *items);

#endif
