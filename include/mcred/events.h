/*
 * events.h — the event types a webhook may subscribe to: one table, used
 * by the server (which refuses any other type in a subscription or a
 * delivery filter) and by the CLI (whose `webhook add --help` and `webhook
 * update --help` list them).
 *
 * Adding an event type is one line here: X(type, what happened), in the
 * order the help lists them.  docs/api.md's Events table describes each
 * event's data.
 */
#ifndef MCRED_EVENTS_H
#define MCRED_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#define MC_EVENT_TYPES(X)                                                                          \
    X("member.enrolled", "a person joined a cohort")                                               \
    X("member.waitlisted", "a person was put on a cohort's waiting list")                          \
    X("member.withdrawn", "a person left a cohort")                                                \
    X("session.scheduled", "a session was scheduled")                                              \
    X("session.updated", "a session was moved or changed")                                         \
    X("session.cancelled", "a session was cancelled")                                              \
    X("session.deleted", "a session was deleted")                                                  \
    X("attendance.recorded", "attendance at a session was recorded")                               \
    X("attendance.removed", "an attendance record was removed")                                    \
    X("problem.submitted", "a problem of practice was submitted")                                  \
    X("problem.reviewed", "a problem of practice was reviewed")                                    \
    X("evidence.submitted", "evidence was submitted")                                              \
    X("evidence.updated", "evidence was corrected")                                                \
    X("evidence.removed", "evidence was removed")                                                  \
    X("score.recorded", "a score was recorded")                                                    \
    X("credential.eligible", "a learner met a credential's requirements")                          \
    X("credential.awarded", "a credential was awarded")                                            \
    X("credential.revoked", "an award was revoked")                                                \
    X("webhook.test", "a test event (mcred webhook test)")

/* For help texts: one line a type, "  member.enrolled: a person joined a cohort\n". */
#define MC_EVENT_HELP_LINE(type, what) "  " type ": " what "\n"
#define MC_EVENT_HELP                  MC_EVENT_TYPES(MC_EVENT_HELP_LINE)

/* The types, in the table's order. */
extern const char *const mc_event_types[];
extern const size_t mc_event_type_count;

/* Is `type` one of the table's event types (exactly, "*" is not)? */
bool mc_event_type_known(const char *type);

#endif
