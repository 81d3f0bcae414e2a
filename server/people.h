/*
 * people.h — the people of an organisation: their rows, their JSON, the
 * checks on what clients send, and the /v1/people routes.
 */
#ifndef MCRED_SERVER_PEOPLE_H
#define MCRED_SERVER_PEOPLE_H

#include <stdbool.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "mcred/error.h"

struct request;

/* The columns every person query returns, in this form. */
#define PERSON_COLUMNS                                                                             \
    "id, email, name, org_role, attributes, mcred.rfc3339(created_at) AS created_at,"              \
    " mcred.rfc3339(updated_at) AS updated_at"

/* A person row as the API shows it; NULL when out of memory. */
cJSON *person_json(const PGresult *res, int row);

/*
 * Check an attributes object: at most MC_MAX_ATTRIBUTES members, names
 * mc_attr_key_valid, values strings of at most MC_MAX_ATTR_VALUE bytes of
 * text — or null where `allow_null` (a merge patch's removal).
 */
enum mc_err people_check_attributes(const cJSON *attrs, bool allow_null, struct mc_error *err)
    __attribute__((warn_unused_result));

/* Only admins give or take the roles admin and coordinator. */
bool people_role_needs_admin(const char *org_role);

enum mc_err people_create(struct request *r);
enum mc_err people_list(struct request *r);
enum mc_err people_show(struct request *r);
enum mc_err people_update(struct request *r);

/* people_import.c: POST /v1/people/import */
enum mc_err people_import(struct request *r);

struct roster;

struct people_import_counts {
    long created, updated, unchanged;
};

/*
 * Bring a checked roster's people into the organisation: create the new,
 * update the known (their organisation role too when org_roles), each with
 * its audit row.  Problems that need the database (who may change whom)
 * become roster errors, and then nothing is written; a dry run writes
 * nothing either.  Call inside the request's transaction.
 */
enum mc_err people_import_roster(struct request *r, struct roster *roster, bool org_roles,
                                 bool dry_run, struct people_import_counts *counts)
    __attribute__((warn_unused_result));

/* Answer 422 with every problem of the roster, by row. */
enum mc_err people_import_fail(struct request *r, struct roster *roster);

/* ?dry_run=true|false (absent: false). */
enum mc_err request_dry_run(struct request *r, bool *out) __attribute__((warn_unused_result));

#endif
