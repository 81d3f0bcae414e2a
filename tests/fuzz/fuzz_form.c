/*
 * fuzz_form.c — the bodies of the pages' forms (ROUTE_FORM_BODY), as
 * dispatch parses them with mc_form_parse() before any page handler and
 * before the CSRF check reads the csrf field.
 *
 * A form that parses holds at most MC_FORM_MAX_FIELDS fields of UTF-8 text
 * without NUL, mc_form_get() gives each name's first value, and the fields
 * percent-encoded again, as a browser would send them, parse to the same
 * fields.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mcred/buf.h"
#include "mcred/form.h"
#include "mcred/textfile.h"

#include "mcred/banned.h"

/* application/x-www-form-urlencoded, every byte but [A-Za-z0-9] as %XX. */
static bool encode(struct mc_buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool plain =
            (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
        char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
        if ((plain ? mc_buf_appendc(out, (char)*p) : mc_buf_append(out, esc, 3)) != MC_OK)
            return false;
    }
    return true;
}

static void check_encoded_again(const struct mc_form *form)
{
    struct mc_buf body;
    mc_buf_init(&body, 16 * 1024 * 1024);
    bool ok = true;
    for (size_t i = 0; ok && i < form->count; i++)
        ok = (i == 0 || mc_buf_appendc(&body, '&') == MC_OK) &&
             encode(&body, form->fields[i].name) && mc_buf_appendc(&body, '=') == MC_OK &&
             encode(&body, form->fields[i].value);
    struct mc_form again = {0};
    struct mc_error err = {0};
    if (ok && mc_form_parse(body.data, body.len, &again, &err) == MC_OK) {
        /* an empty field ("" named, "" valued) is "=", which parses as one field too */
        FUZZ_CHECK(again.count == form->count);
        for (size_t i = 0; i < form->count; i++)
            FUZZ_CHECK(strcmp(again.fields[i].name, form->fields[i].name) == 0 &&
                       strcmp(again.fields[i].value, form->fields[i].value) == 0);
    } else if (ok) {
        FUZZ_CHECK(!"a form encoded again does not parse");
    }
    mc_form_release(&again);
    mc_buf_release(&body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mc_form form;
    struct mc_error err = {0};
    if (mc_form_parse((const char *)data, size, &form, &err) == MC_OK) {
        FUZZ_CHECK(form.count <= MC_FORM_MAX_FIELDS);
        for (size_t i = 0; i < form.count; i++) {
            const char *name = form.fields[i].name, *value = form.fields[i].value;
            FUZZ_CHECK(mc_utf8_well_formed(name, strlen(name)) &&
                       mc_utf8_well_formed(value, strlen(value)));
            size_t k = 0;
            while (strcmp(form.fields[k].name, name) != 0)
                k++;
            FUZZ_CHECK(mc_form_get(&form, name) == form.fields[k].value);
        }
        check_encoded_again(&form);
    }
    mc_form_release(&form);
    return 0;
}
