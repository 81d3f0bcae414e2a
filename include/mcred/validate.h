/*
 * validate.h — checks of values that clients send, shared by the server
 * (which enforces them) and the CLI (which can warn before sending).
 */
#ifndef MCRED_VALIDATE_H
#define MCRED_VALIDATE_H

#include <stdbool.h>

/* A practical e-mail check: one '@', a non-empty local part without
 * spaces or control characters, a domain of dot-separated labels of
 * letters, digits and '-', at most MC_MAX_EMAIL bytes. */
bool mc_email_valid(const char *s);

/* An organisation or credential slug: [a-z0-9][a-z0-9-]*, at most MC_MAX_SLUG. */
bool mc_slug_valid(const char *s);

/* A person attribute's name: 1 to MC_MAX_ATTR_KEY of [a-z0-9_], and not
 * one of the names a roster uses for other things (email, name, role). */
bool mc_attr_key_valid(const char *s);

/* A person's organisation role: admin, coordinator, leader or none. */
bool mc_org_role_valid(const char *s);

/* A UUID in its 36-character text form. */
bool mc_uuid_valid(const char *s);

#endif
