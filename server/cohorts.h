/*
 * cohorts.h — cohorts of a published credential, and what other
 * resources of a cohort (members, sessions, attendance) need of it.
 */
#ifndef MCRED_SERVER_COHORTS_H
#define MCRED_SERVER_COHORTS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"
#include "mcred/limits.h"

struct request;

#define MC_MAX_TIMEZONE 64

struct cohort_info {
    char id[40];
    char name[4 * MC_MAX_NAME + 1]; /* as people know it (MC_MAX_NAME characters of UTF-8) */
    char status[16];                /* the effective status: mcred.cohort_status() */
    char timezone[MC_MAX_TIMEZONE + 1];
    long capacity;
};

/* How a request holds a cohort for the rest of its transaction. */
enum cohort_access {
    COHORT_READ = 0, /* no lock; a closed cohort is fine */
    /* the cohort itself, its roster or its sessions: alone — changes to one cohort go
     * one at a time (so the capacity holds) and wait for the records being written */
    COHORT_CHANGE = 1,
    /* records in it (attendance, evidence, problems of practice): shared with the other
     * writers of records, never waiting for them */
    COHORT_WRITE = 2,
};

/*
 * Find a cohort of the caller's organisation (404 if none), held as
 * `access` says; for a change or a record, refuse a closed cohort (409,
 * naming it), closed by hand or by its closes_on date.
 */
enum mc_err cohort_lock(struct request *r, const char *cohort_id, enum cohort_access access,
                        struct cohort_info *out) __attribute__((warn_unused_result));

/*
 * The cohort as people know it, for a refusal's message: its name (the
 * one dispatch resolved, else one query), or `cohort_id` itself when it
 * names no cohort of the organisation.  Not for success paths.
 */
void cohort_words(struct request *r, const char *cohort_id, char *out, size_t size);

/* The cohort as the API shows it. */
enum mc_err cohort_item(struct request *r, const char *cohort_id, cJSON **out)
    __attribute__((warn_unused_result));

/* "YYYY-MM-DD" naming a real day. */
bool cohort_date_valid(const char *s);

enum mc_err cohorts_create(struct request *r);
enum mc_err cohorts_list(struct request *r);
enum mc_err cohorts_show(struct request *r);
enum mc_err cohorts_update(struct request *r);

#endif
