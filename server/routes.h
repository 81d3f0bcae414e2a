/*
 * routes.h — the one table of every route the server answers.
 */
#ifndef MCRED_SERVER_ROUTES_H
#define MCRED_SERVER_ROUTES_H

#include "router.h"

/* Ends with an entry whose method is NULL. */
extern const struct route mcred_routes[];

#endif
