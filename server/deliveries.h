/*
 * deliveries.h — the routes that show and nudge webhook deliveries
 * (docs/api.md "Webhooks"); the dispatcher makes the attempts.
 */
#ifndef MCRED_SERVER_DELIVERIES_H
#define MCRED_SERVER_DELIVERIES_H

#include "mcred/error.h"

struct request;

enum mc_err deliveries_list(struct request *r);  /* GET /v1/webhooks/{id}/deliveries */
enum mc_err deliveries_show(struct request *r);  /* GET /v1/deliveries/{id} */
enum mc_err deliveries_retry(struct request *r); /* POST /v1/deliveries/{id}/retry */
enum mc_err webhooks_test(struct request *r);    /* POST /v1/webhooks/{id}/test */

#endif
