/*
 * sessions.h — a cohort's weekly and coaching sessions, and attendance.
 */
#ifndef MCRED_SERVER_SESSIONS_H
#define MCRED_SERVER_SESSIONS_H

#include <stdbool.h>

#include "mcred/error.h"

struct request;

/* "YYYY-MM-DDTHH:MM" (seconds ":SS" allowed) naming a real day and time of day. */
bool session_local_time_valid(const char *s);

enum mc_err sessions_create(struct request *r);
enum mc_err sessions_list(struct request *r);
/* Corrections of one session (/v1/sessions/{id}): mcred.session_correct. */
enum mc_err sessions_update(struct request *r);
enum mc_err sessions_cancel(struct request *r);
enum mc_err sessions_restore(struct request *r);
enum mc_err sessions_held(struct request *r);
enum mc_err sessions_delete(struct request *r);

/* attendance.c */
enum mc_err attendance_record(struct request *r);
enum mc_err attendance_list(struct request *r);
enum mc_err attendance_remove(struct request *r);
enum mc_err attendance_member(struct request *r);

#endif
