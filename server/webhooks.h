/*
 * webhooks.h — subscriptions to an organisation's events: their URLs,
 * event filters, and secrets (shown once, kept encrypted).  Delivery is
 * the dispatcher's (a later step); this is what it delivers to.
 */
#ifndef MCRED_SERVER_WEBHOOKS_H
#define MCRED_SERVER_WEBHOOKS_H

#include <sodium.h>

#include "mcred/error.h"

struct request;

#define WEBHOOK_BOX_KEY_BYTES crypto_secretbox_KEYBYTES

/* The key that encrypts webhook secrets, derived from the master key (KDF subkey 2). */
enum mc_err webhook_key_derive(const unsigned char *master_key,
                               unsigned char key[WEBHOOK_BOX_KEY_BYTES])
    __attribute__((warn_unused_result));

enum mc_err webhooks_create(struct request *r);
enum mc_err webhooks_list(struct request *r);
enum mc_err webhooks_show(struct request *r);
enum mc_err webhooks_update(struct request *r);
enum mc_err webhooks_rotate(struct request *r);
enum mc_err webhooks_remove(struct request *r);

#endif
