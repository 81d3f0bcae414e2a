/*
 * uuid.h — random (version 4) UUIDs made in the server, for rows whose id
 * must be known before they are written (an organisation at bootstrap, an
 * award whose id is signed into its credential).
 */
#ifndef MCRED_SERVER_UUID_H
#define MCRED_SERVER_UUID_H

#include "request.h"

/* A version 4 UUID in text form, from libsodium's generator. */
void uuid_v4(char out[MC_UUID_LEN + 1]);

#endif
