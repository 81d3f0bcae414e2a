/*
 * form.c — see form.h.
 */
#include <stdlib.h>
#include <string.h>

#include "mcred/form.h"
#include "mcred/textfile.h"

#include "mcred/banned.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Decode in[0..len) into out (which has room for len + 1 bytes); returns
 * the decoded length.  A '%' not followed by two hex digits stays as it
 * is, as browsers' own parsers do.
 */
static size_t decode(const char *in, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (in[i] == '+') {
            out[n++] = ' ';
        } else if (in[i] == '%' && i + 2 < len && hex_value(in[i + 1]) >= 0 &&
                   hex_value(in[i + 2]) >= 0) {
            out[n++] = (char)(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
            i += 2;
        } else {
            out[n++] = in[i];
        }
    }
    out[n] = '\0';
    return n;
}

/* UTF-8 text with no control characters but tab, CR and LF. */
static int field_text_ok(const char *s, size_t len)
{
    if (!mc_utf8_well_formed(s, len))
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
            return 0;
    }
    return 1;
}

enum mc_err mc_form_parse(const char *body, size_t len, struct mc_form *out, struct mc_error *err)
{
    memset(out, 0, sizeof *out);
    out->storage = malloc(len + 2 * (len / 2 + 1) + 1);
    if (!out->storage)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    char *w = out->storage;
    size_t at = 0;
    while (at < len) {
        size_t end = at;
        while (end < len && body[end] != '&')
            end++;
        if (end > at) {
            if (out->count == MC_FORM_MAX_FIELDS)
                return mc_error_set(err, MC_ERR_INVALID, NULL, "the form has more than %d fields",
                                    MC_FORM_MAX_FIELDS);
            size_t eq = at;
            while (eq < end && body[eq] != '=')
                eq++;
            struct mc_form_field *f = &out->fields[out->count++];
            size_t nlen = decode(body + at, eq - at, w);
            f->name = w;
            if (!field_text_ok(w, nlen))
                return mc_error_set(err, MC_ERR_INVALID, NULL,
                                    "a field name of the form is not UTF-8 text");
            w += nlen + 1;
            size_t vlen = eq < end ? decode(body + eq + 1, end - eq - 1, w) : (*w = '\0', 0);
            f->value = w;
            if (!field_text_ok(w, vlen))
                return mc_error_set(err, MC_ERR_INVALID, f->name,
                                    "the form's field %s is not UTF-8 text", f->name);
            w += vlen + 1;
        }
        at = end + 1;
    }
    return MC_OK;
}

void mc_form_release(struct mc_form *form)
{
    free(form->storage);
    form->storage = NULL;
    form->count = 0;
}

const char *mc_form_get(const struct mc_form *form, const char *name)
{
    for (size_t i = 0; i < form->count; i++)
        if (strcmp(form->fields[i].name, name) == 0)
            return form->fields[i].value;
    return NULL;
}
