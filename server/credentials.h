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

#endif
