/*
 * form.h — an HTML form's answer (application/x-www-form-urlencoded, as
 * the WHATWG URL standard defines it) as name/value pairs.
 *
 * Names and values are percent-decoded ('+' is a space) into one copy the
 * form owns; each must be UTF-8 text without NUL or other control
 * characters than tab, CR and LF (textareas send CRLF).  A name may
 * repeat; mc_form_get gives its first value.
 */
#ifndef MCRED_FORM_H
#define MCRED_FORM_H

#include <stddef.h>

#include "mcred/error.h"

#define MC_FORM_MAX_FIELDS 512

struct mc_form_field {
    const char *name;
    const char *value;
};

struct mc_form {
    char *storage; /* the decoded text every field points into */
    size_t count;
    struct mc_form_field fields[MC_FORM_MAX_FIELDS];
};

/* Parse `len` bytes of `body` into *out (mc_form_release it, also after an error). */
enum mc_err mc_form_parse(const char *body, size_t len, struct mc_form *out, struct mc_error *err)
    __attribute__((warn_unused_result));

void mc_form_release(struct mc_form *form);

/* The first value of `name`, or NULL. */
const char *mc_form_get(const struct mc_form *form, const char *name);

#endif
