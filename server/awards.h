/*
 * awards.h — awards as signed Open Badges 3.0 credentials (awards.c) and
 * the public documents that let anyone check them (public_docs.c).
 */
#ifndef MCRED_SERVER_AWARDS_H
#define MCRED_SERVER_AWARDS_H

#include <stdbool.h>

#include "mcred/error.h"

struct oneshot;
struct request;

enum mc_err awards_create(struct request *r);
bool awards_oneshot_prepare(struct request *r, struct oneshot *call);
enum mc_err awards_oneshot_answer(struct request *r, const struct oneshot *call);
enum mc_err awards_create_all(struct request *r);
enum mc_err awards_list(struct request *r);
enum mc_err awards_show(struct request *r);
enum mc_err awards_revoke(struct request *r);
enum mc_err awards_mine(struct request *r);

enum mc_err public_issuer(struct request *r);
enum mc_err public_issuer_key(struct request *r);
enum mc_err public_jwks(struct request *r);
enum mc_err public_revocations(struct request *r);
enum mc_err public_achievement(struct request *r);
enum mc_err public_credential(struct request *r);

#endif
