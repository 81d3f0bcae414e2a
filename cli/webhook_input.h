/*
 * webhook_input.h — what `mcred webhook` checks and shows without a
 * server: the event types of --events, subscriptions made fit for a
 * table, and the deliveries of events to them (their statuses, and the
 * delivery and its attempt log as table rows).
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

#include "mcred/buf.h"
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

/*
 * Deliveries (GET /v1/webhooks/{id}/deliveries, /v1/deliveries/{id}): one
 * event sent to one subscription, with its status, attempts and, for
 * `webhook delivery`, its attempt log.  --status takes one of these words.
 */
#define CLI_DELIVERY_STATUSES "pending, succeeded, failed or dead"
extern const char *const cli_delivery_statuses[]; /* the words above; NULL ends it */

/* s is a delivery status: pending, succeeded, failed or dead. */
bool cli_delivery_status_valid(const char *s);

/* s is one event type to filter deliveries by: TYPE.ACTION, not `*`. */
bool cli_delivery_event_valid(const char *s);

/*
 * A copy of one delivery (an object of the API) for a table: without its
 * "log", with "next_attempt_at" "-" when it is null or missing (nothing
 * more will be tried) and a "latency_ms" number as "<n> ms".  What is not
 * the shape we know is left as it came.  NULL when out of memory.
 */
cJSON *cli_delivery_view(const cJSON *delivery);

/* cli_delivery_view() of every item of an array; NULL when out of memory. */
cJSON *cli_delivery_rows(const cJSON *items);

/*
 * The delivery's attempt log ("log", oldest first) as table rows, each
 * with a "latency_ms" number as "<n> ms"; an empty array when there is no
 * log.  NULL when out of memory.
 */
cJSON *cli_delivery_log_rows(const cJSON *delivery);

/* What cli_delivery_note() says a verb did to a delivery. */
enum cli_delivery_done {
    CLI_DELIVERY_QUEUED,  /* `webhook test`: a test event was queued */
    CLI_DELIVERY_RETRIED, /* `webhook retry`: the delivery is due again */
};

/*
 * Append the line a table shows after the delivery: "test event queued
 * as delivery <id>" or "delivery <id> will be retried now", the id (from
 * the server) cleaned for the terminal; without an id, "test event
 * queued" or "the delivery will be retried now".  No newline.
 */
enum mc_err cli_delivery_note(const cJSON *delivery, enum cli_delivery_done done,
                              struct mc_buf *out) __attribute__((warn_unused_result));

#endif
