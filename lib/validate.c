/*
 * validate.c — see validate.h.
 */
#include <string.h>

#include "mcred/limits.h"
#include "mcred/validate.h"

#include "mcred/banned.h"

static bool is_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum(char c)
{
    return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static bool domain_valid(const char *d)
{
    size_t labels = 0;
    while (*d) {
        size_t n = strcspn(d, ".");
        if (n == 0 || n > 63 || d[0] == '-' || d[n - 1] == '-')
            return false;
        for (size_t i = 0; i < n; i++)
            if (!is_alnum(d[i]) && d[i] != '-' && !((unsigned char)d[i] & 0x80))
                return false;
        labels++;
        d += n;
        if (*d == '.') {
            d++;
            if (!*d)
                return false;
        }
    }
    return labels >= 2;
}

bool mc_email_valid(const char *s)
{
    size_t len = strlen(s);
    const char *at = strchr(s, '@');
    if (len < 3 || len > MC_MAX_EMAIL || !at || at == s || strchr(at + 1, '@'))
        return false;
    for (const char *p = s; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c == 0x7F || strchr("\"(),:;<>[\\]", c))
            return false;
    }
    if (s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
        return false;
    return domain_valid(at + 1);
}

bool mc_slug_valid(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > MC_MAX_SLUG || !is_lower_alnum(s[0]))
        return false;
    for (size_t i = 1; i < len; i++)
        if (!is_lower_alnum(s[i]) && s[i] != '-')
            return false;
    return true;
}

bool mc_uuid_valid(const char *s)
{
    static const char pattern[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (strlen(s) != sizeof pattern - 1)
        return false;
    for (size_t i = 0; pattern[i]; i++) {
        if (pattern[i] == '-' ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
            return false;
    }
    return true;
}

bool mc_attr_key_valid(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > MC_MAX_ATTR_KEY ||
        strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
        return false;
    return strcmp(s, "email") != 0 && strcmp(s, "name") != 0 && strcmp(s, "role") != 0;
}

bool mc_org_role_valid(const char *s)
{
    return strcmp(s, "admin") == 0 || strcmp(s, "coordinator") == 0 || strcmp(s, "leader") == 0 ||
           strcmp(s, "none") == 0;
}
