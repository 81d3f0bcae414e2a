/*
 * credentials.h — credential frameworks: import (create or replace a
 * draft), list, show and publish.  A published version is frozen.
 */
#ifndef MCRED_SERVER_CREDENTIALS_H
#define MCRED_SERVER_CREDENTIALS_H

#include "mcred/error.h"

struct request;

enum mc_err credentials_import(struct request *r);
enum mc_err credentials_list(struct request *r);
enum mc_err credentials_show(struct request *r);
enum mc_err credentials_publish(struct request *r);
enum mc_err credentials_retire(struct request *r);

/*
 * Refuse a new cohort on the credential `id`, which is not published, in
 * the user's terms: a draft to publish first, or a retired version and
 * the published one to use instead (MC_ERR_INVALID on `field`).
 */
enum mc_err credentials_cohort_refusal(struct request *r, const char *id, const char *field)
    __attribute__((warn_unused_result));

#endif
