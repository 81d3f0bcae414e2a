/*
 * jcs.c — the JSON Canonicalization Scheme (RFC 8785), for @json literals.
 *
 * JSON-LD turns a JSON literal into RDF as its JCS text: members sorted by
 * their names' UTF-16 code units, no white space, strings escaped as
 * ECMAScript's JSON.stringify does and numbers written as ECMAScript's
 * Number.prototype.toString (the shortest text that reads back the same).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vc_internal.h"

#include "mcred/banned.h"

/* Next code point of UTF-8 text (cJSON has checked nothing; be lenient). */
static uint32_t utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (extra)
        c &= 0x3fu >> extra;
    s++;
    for (int i = 0; i < extra && (*s & 0xc0) == 0x80; i++)
        c = (c << 6) | (*s++ & 0x3f);
    *p = s;
    return c;
}

/* Compare member names by UTF-16 code units, as RFC 8785 §3.2.3 asks. */
static int utf16_cmp(const char *a, const char *b)
{
    const unsigned char *pa = (const unsigned char *)a, *pb = (const unsigned char *)b;
    uint16_t ua[2], ub[2];
    int na = 0, nb = 0, ia = 0, ib = 0;
    for (;;) {
        if (ia == na) {
            if (!*pa) {
                na = 0;
            } else {
                uint32_t c = utf8_next(&pa);
                if (c >= 0x10000) {
                    c -= 0x10000;
                    ua[0] = (uint16_t)(0xd800 + (c >> 10));
                    ua[1] = (uint16_t)(0xdc00 + (c & 0x3ff));
                    na = 2;
                } else {
                    ua[0] = (uint16_t)c;
                    na = 1;
                }
            }
            ia = 0;
        }
        if (ib == nb) {
            if (!*pb) {
                nb = 0;
            } else {
                uint32_t c = utf8_next(&pb);
                if (c >= 0x10000) {
                    c -= 0x10000;
                    ub[0] = (uint16_t)(0xd800 + (c >> 10));
                    ub[1] = (uint16_t)(0xdc00 + (c & 0x3ff));
                    nb = 2;
                } else {
                    ub[0] = (uint16_t)c;
                    nb = 1;
                }
            }
            ib = 0;
        }
        if (na == 0 || nb == 0)
            return (na != 0) - (nb != 0);
        if (ua[ia] != ub[ib])
            return ua[ia] < ub[ib] ? -1 : 1;
        ia++;
        ib++;
    }
}

static enum mc_err jcs_string(const char *s, struct mc_buf *out)
{
    enum mc_err rc = mc_buf_appendc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; rc == MC_OK && *p; p++) {
        switch (*p) {
        case '"':
            rc = mc_buf_appends(out, "\\\"");
            break;
        case '\\':
            rc = mc_buf_appends(out, "\\\\");
            break;
        case '\b':
            rc = mc_buf_appends(out, "\\b");
            break;
        case '\f':
            rc = mc_buf_appends(out, "\\f");
            break;
        case '\n':
            rc = mc_buf_appends(out, "\\n");
            break;
        case '\r':
            rc = mc_buf_appends(out, "\\r");
            break;
        case '\t':
            rc = mc_buf_appends(out, "\\t");
            break;
        default:
            if (*p < 0x20)
                rc = mc_buf_appendf(out, "\\u%04x", *p);
            else
                rc = mc_buf_appendc(out, (char)*p);
        }
    }
    return rc == MC_OK ? mc_buf_appendc(out, '"') : rc;
}

/* ECMAScript Number::toString for a finite double. */
static enum mc_err jcs_number(double d, struct mc_buf *out)
{
    if (d == 0.0)
        return mc_buf_appendc(out, '0');
    char tmp[40];
    int prec;
    for (prec = 1; prec <= 17; prec++) { /* the fewest digits that read back exactly */
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, fabs(d));
        if (strtod(tmp, NULL) == fabs(d))
            break;
    }
    /* tmp is "D.DDDe±XX": digits without the point, and the exponent */
    char digits[24];
    size_t k = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[k++] = *p;
    digits[k] = '\0';
    while (k > 1 && digits[k - 1] == '0')
        digits[--k] = '\0';
    long n = strtol(p + 1, NULL, 10) + 1; /* value = 0.digits × 10^n */
    enum mc_err rc = d < 0 ? mc_buf_appendc(out, '-') : MC_OK;
    if (rc != MC_OK)
        return rc;
    if ((long)k <= n && n <= 21) {
        rc = mc_buf_appends(out, digits);
        for (long i = (long)k; rc == MC_OK && i < n; i++)
            rc = mc_buf_appendc(out, '0');
    } else if (0 < n && n <= 21) {
        rc = mc_buf_appendf(out, "%.*s.%s", (int)n, digits, digits + n);
    } else if (-6 < n && n <= 0) {
        rc = mc_buf_appends(out, "0.");
        for (long i = 0; rc == MC_OK && i < -n; i++)
            rc = mc_buf_appendc(out, '0');
        if (rc == MC_OK)
            rc = mc_buf_appends(out, digits);
    } else {
        long e = n - 1;
        if (k == 1)
            rc = mc_buf_appendf(out, "%se%c%ld", digits, e < 0 ? '-' : '+', labs(e));
        else
            rc = mc_buf_appendf(out, "%c.%se%c%ld", digits[0], digits + 1, e < 0 ? '-' : '+',
                                labs(e));
    }
    return rc;
}

static int cmp_members(const void *a, const void *b)
{
    return utf16_cmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

static enum mc_err jcs_object(const cJSON *item, struct mc_buf *out)
{
    size_t n = (size_t)cJSON_GetArraySize(item);
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    const cJSON **members = calloc(n ? n : 1, sizeof *members);
    if (!members)
        return MC_ERR_NOMEM;
    size_t i = 0;
    for (const cJSON *c = item->child; c; c = c->next)
        members[i++] = c;
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    qsort(members, n, sizeof *members, cmp_members);
    enum mc_err rc = mc_buf_appendc(out, '{');
    for (i = 0; rc == MC_OK && i < n; i++) {
        if (i)
            rc = mc_buf_appendc(out, ',');
        if (rc == MC_OK)
            rc = jcs_string(members[i]->string, out);
        if (rc == MC_OK)
            rc = mc_buf_appendc(out, ':');
        if (rc == MC_OK)
            rc = jcs_serialize(members[i], out);
    }
    free(members);
    return rc == MC_OK ? mc_buf_appendc(out, '}') : rc;
}

enum mc_err jcs_serialize(const cJSON *item, struct mc_buf *out)
{
    if (cJSON_IsNull(item))
        return mc_buf_appends(out, "null");
    if (cJSON_IsTrue(item))
        return mc_buf_appends(out, "true");
    if (cJSON_IsFalse(item))
        return mc_buf_appends(out, "false");
    if (cJSON_IsNumber(item))
        return jcs_number(item->valuedouble, out);
    if (cJSON_IsString(item))
        return jcs_string(item->valuestring, out);
    if (cJSON_IsObject(item))
        return jcs_object(item, out);
    if (cJSON_IsArray(item)) {
        enum mc_err rc = mc_buf_appendc(out, '[');
        for (const cJSON *c = item->child; rc == MC_OK && c; c = c->next) {
            if (c != item->child)
                rc = mc_buf_appendc(out, ',');
            if (rc == MC_OK)
                rc = jcs_serialize(c, out);
        }
        return rc == MC_OK ? mc_buf_appendc(out, ']') : rc;
    }
    return MC_ERR_INVALID;
}
