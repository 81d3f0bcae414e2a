/*
 * webhooks.h — subscriptions to an organisation's events: their URLs,
 * event filters, and secrets (shown once, kept encrypted).  Delivery is
 * the dispatcher's (dispatcher.c); this is what it delivers to.
 */
#ifndef MCRED_SERVER_WEBHOOKS_H
#define MCRED_SERVER_WEBHOOKS_H

#include <stdbool.h>

#include <sodium.h>

#include "mcred/error.h"
#include "webhook_sign.h"

struct request;

#define WEBHOOK_BOX_KEY_BYTES crypto_secretbox_KEYBYTES

/* The key that encrypts webhook secrets, derived from the master key (KDF subkey 2). */
enum mc_err webhook_key_derive(const unsigned char *master_key,
                               unsigned char key[WEBHOOK_BOX_KEY_BYTES])
    __attribute__((warn_unused_result));

/*
 * The secret kept in a subscription's box (bytea as PostgreSQL prints it,
 * "\x…"); MC_ERR_INTERNAL when the box does not open under this key
 * (another master key, or damage).  Wipe `key` after use.
 */
enum mc_err webhook_secret_open(const unsigned char box_key[WEBHOOK_BOX_KEY_BYTES],
                                const char *box_text, unsigned char key[WEBHOOK_SECRET_BYTES])
    __attribute__((warn_unused_result));

/* One of the event types of DESIGN.md §4 (docs/api.md, Events). */
bool webhook_event_known(const char *type);

enum mc_err webhooks_create(struct request *r);
enum mc_err webhooks_list(struct request *r);
enum mc_err webhooks_show(struct request *r);
enum mc_err webhooks_update(struct request *r);
enum mc_err webhooks_rotate(struct request *r);
enum mc_err webhooks_remove(struct request *r);

#endif
