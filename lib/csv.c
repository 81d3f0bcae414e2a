/*
 * csv.c — RFC 4180 output; see csv.h.
 */
#include <string.h>

#include "mcred/csv.h"

#include "mcred/banned.h"

static int csv_needs_quotes(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return 0;
    if (s[0] == ' ' || s[n - 1] == ' ')
        return 1;
    return strpbrk(s, ",\"\r\n") != NULL;
}

enum mc_err mc_csv_field(struct mc_buf *out, const char *field)
{
    if (!field)
        return MC_OK;
    if (!csv_needs_quotes(field))
        return mc_buf_appends(out, field);
    enum mc_err rc = mc_buf_appendc(out, '"');
    for (const char *p = field; rc == MC_OK && *p; p++) {
        if (*p == '"')
            rc = mc_buf_appendc(out, '"');
        if (rc == MC_OK)
            rc = mc_buf_appendc(out, *p);
    }
    if (rc == MC_OK)
        rc = mc_buf_appendc(out, '"');
    return rc;
}

enum mc_err mc_csv_record(struct mc_buf *out, const char *const *fields, size_t n)
{
    enum mc_err rc = MC_OK;
    for (size_t i = 0; rc == MC_OK && i < n; i++) {
        if (i > 0)
            rc = mc_buf_appendc(out, ',');
        if (rc == MC_OK)
            rc = mc_csv_field(out, fields[i]);
    }
    if (rc == MC_OK)
        rc = mc_buf_appends(out, "\r\n");
    return rc;
}
