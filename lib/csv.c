/*
 * csv.c — RFC 4180 output; see csv.h.
 */
#include <stdbool.h>
#include <string.h>

#include "mcred/csv.h"

#include "mcred/banned.h"

/* What a spreadsheet takes for the start of a formula (OWASP's CSV injection list). */
static bool formula_start(char c)
{
    return c != '\0' && strchr("=+-@\t\r", c) != NULL;
}

/* A plain decimal number, which a spreadsheet reads as a number, not a formula. */
static bool plain_number(const char *s)
{
    if (*s == '-')
        s++;
    size_t digits = strspn(s, "0123456789");
    if (digits == 0)
        return false;
    s += digits;
    if (*s == '.') {
        size_t fraction = strspn(s + 1, "0123456789");
        if (fraction == 0)
            return false;
        s += 1 + fraction;
    }
    return *s == '\0';
}

bool mc_csv_guarded(const char *s)
{
    if (formula_start(s[0]))
        return !plain_number(s);
    return s[0] == '\'' && (formula_start(s[1]) || s[1] == '\'');
}

size_t mc_csv_guard_prefix(const char *data, size_t len)
{
    return len >= 2 && data[0] == '\'' && (formula_start(data[1]) || data[1] == '\'') ? 1 : 0;
}

/*
 * Readers (libcsv, so ours too) trim spaces and tabs around an unquoted
 * field: quote a field that has them, or they are lost — and a formula
 * guard before a lone tab would come back as a bare apostrophe ("'\t"
 * read as "'"; found by tests/fuzz/fuzz_csv).  A leading tab is always
 * guarded, so the written field starts with the apostrophe there.
 */
static int csv_needs_quotes(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return 0;
    /* readers trim unquoted spaces and tabs; a leading tab is always guarded, so never first */
    if (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return 1;
    return strpbrk(s, ",\"\r\n") != NULL;
}

enum mc_err mc_csv_field(struct mc_buf *out, const char *field)
{
    if (!field)
        return MC_OK;
    bool guard = mc_csv_guarded(field);
    if (!csv_needs_quotes(field))
        return guard ? mc_buf_appendf(out, "'%s", field) : mc_buf_appends(out, field);
    enum mc_err rc = mc_buf_appendc(out, '"');
    if (rc == MC_OK && guard)
        rc = mc_buf_appendc(out, '\'');
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
