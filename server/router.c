/*
 * router.c — matching request paths against the route table.
 *
 * Matching walks the pattern and the path one segment at a time, without
 * allocating: a literal segment must be equal, a `{name}` segment takes any
 * non-empty segment (up to MC_MAX_PARAM_VALUE - 1 bytes).  The table is
 * small (tens of routes), so a linear scan is both simplest and fast.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "router.h"

#include "mcred/banned.h"

/* Length of the segment starting at s (up to '/' or the end). */
static size_t segment_len(const char *s)
{
    return strcspn(s, "/");
}

/* "{name}": braces only at the ends, a name short enough to be matched. */
static bool is_placeholder(const char *seg, size_t len)
{
    return len >= 3 && len - 2 < MC_MAX_PARAM_NAME && seg[0] == '{' && seg[len - 1] == '}' &&
           !memchr(seg + 1, '{', len - 2) && !memchr(seg + 1, '}', len - 2);
}

/* Equal patterns up to the names of their placeholders ("/a/{id}" and "/a/{x}"). */
static bool same_shape(const char *a, const char *b)
{
    while (*a == '/' && *b == '/') {
        a++;
        b++;
        size_t alen = segment_len(a), blen = segment_len(b);
        bool ap = is_placeholder(a, alen), bp = is_placeholder(b, blen);
        if (ap != bp || (!ap && (alen != blen || memcmp(a, b, alen) != 0)))
            return false;
        a += alen;
        b += blen;
    }
    return *a == '\0' && *b == '\0';
}

/* Match one pattern; fill params on success. */
static bool pattern_match(const char *pattern, const char *path, struct route_params *params)
{
    params->count = 0;
    if (*pattern != '/' || *path != '/')
        return false;
    while (*pattern == '/' && *path == '/') {
        pattern++;
        path++;
        size_t plen = segment_len(pattern);
        size_t slen = segment_len(path);
        if (is_placeholder(pattern, plen)) {
            if (slen == 0 || slen >= MC_MAX_PARAM_VALUE || params->count >= MC_MAX_PATH_PARAMS)
                return false;
            size_t nlen = plen - 2;
            if (nlen >= MC_MAX_PARAM_NAME)
                return false;
            memcpy(params->items[params->count].name, pattern + 1, nlen);
            params->items[params->count].name[nlen] = '\0';
            memcpy(params->items[params->count].value, path, slen);
            params->items[params->count].value[slen] = '\0';
            params->count++;
        } else if (plen != slen || memcmp(pattern, path, plen) != 0) {
            return false;
        }
        pattern += plen;
        path += slen;
    }
    return *pattern == '\0' && *path == '\0';
}

static bool method_matches(const char *route_method, const char *method)
{
    if (strcmp(route_method, method) == 0)
        return true;
    return strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0;
}

/* Append a method to the ", "-separated Allow list unless it is there already. */
static void allow_add(char *allow, size_t allow_len, const char *method)
{
    size_t mlen = strlen(method);
    for (const char *p = allow; *p;) {
        size_t n = strcspn(p, ",");
        if (n == mlen && memcmp(p, method, mlen) == 0)
            return;
        p += n;
        p += strspn(p, ", ");
    }
    size_t used = strlen(allow);
    snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", method);
}

enum mc_err router_match(const struct route *table, const char *method, const char *path,
                         const struct route **out_route, struct route_params *out_params,
                         char *allow, size_t allow_len)
{
    if (allow_len)
        allow[0] = '\0';
    if (strlen(path) > MC_MAX_URL)
        return MC_ERR_URI_TOO_LONG;
    bool path_known = false;
    struct route_params params;
    for (const struct route *r = table; r->method; r++) {
        if (!pattern_match(r->path, path, &params))
            continue;
        path_known = true;
        if (method_matches(r->method, method)) {
            *out_route = r;
            *out_params = params;
            return MC_OK;
        }
    }
    if (!path_known)
        return MC_ERR_NOT_FOUND;
    for (const struct route *r = table; r->method; r++) {
        if (pattern_match(r->path, path, &params)) {
            allow_add(allow, allow_len, r->method);
            if (strcmp(r->method, "GET") == 0)
                allow_add(allow, allow_len, "HEAD");
        }
    }
    return MC_ERR_METHOD;
}

const char *route_param(const struct route_params *params, const char *name)
{
    for (size_t i = 0; i < params->count; i++)
        if (strcmp(params->items[i].name, name) == 0)
            return params->items[i].value;
    return NULL;
}

size_t router_count(const struct route *table)
{
    size_t n = 0;
    while (table[n].method)
        n++;
    return n;
}

enum mc_err router_validate(const struct route *table, struct mc_error *err)
{
    for (size_t i = 0; table[i].method; i++) {
        const struct route *r = &table[i];
        size_t params = 0, segments = 0;
        if (r->path[0] != '/' || !r->handler)
            return mc_error_set(err, MC_ERR_INTERNAL, r->path, "route %s %s is malformed",
                                r->method, r->path);
        for (const char *p = r->path; *p == '/'; p += segment_len(p)) {
            p++;
            size_t len = segment_len(p);
            segments++;
            if (len == 0 && p[0] != '\0')
                return mc_error_set(err, MC_ERR_INTERNAL, r->path, "route %s has an empty segment",
                                    r->path);
            if (is_placeholder(p, len))
                params++;
            else if (memchr(p, '{', len) || memchr(p, '}', len))
                return mc_error_set(err, MC_ERR_INTERNAL, r->path,
                                    "route %s has a malformed placeholder", r->path);
        }
        if (params > MC_MAX_PATH_PARAMS || segments > MC_MAX_PATH_SEGMENTS)
            return mc_error_set(err, MC_ERR_INTERNAL, r->path, "route %s is too long", r->path);
        for (size_t j = 0; j < i; j++)
            if (strcmp(table[j].method, r->method) == 0 && same_shape(table[j].path, r->path))
                return mc_error_set(err, MC_ERR_INTERNAL, r->path, "route %s %s appears twice",
                                    r->method, r->path);
    }
    return MC_OK;
}

static bool path_under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool route_names_cohort(const struct route *route)
{
    /* a cohort's report and its pages name the cohort as the cohort's own routes do */
    if (strcmp(route->path, "/v1/reports/cohorts/{id}") == 0)
        return true;
    return path_under(route->path, "/v1/cohorts/{id}") ||
           path_under(route->path, "/app/cohorts/{id}");
}

/* Those the route's roles name, in words: "coordinators and the cohort's coaches". */
static void who_may(const struct route *route, char *out, size_t len)
{
    bool writes = strcmp(route->method, "GET") != 0;
    const char *parts[3];
    size_t n = 0;
    char cohort_part[96];
    if (route->roles & ROLE_COORDINATOR)
        parts[n++] = "coordinators";
    else if (route->roles & ROLE_ADMIN)
        parts[n++] = "administrators";
    if (route->roles & ROLE_LEADER)
        parts[n++] = "leaders";
    unsigned cohort = route->roles & (ROLE_COACH | ROLE_LEARNER);
    if (cohort) {
        snprintf(cohort_part, sizeof cohort_part, "the cohort's %s%s%s%s",
                 (cohort & ROLE_COACH) ? "coaches" : "",
                 (cohort & ROLE_COACH) && writes ? " (for their own learners)" : "",
                 cohort == (ROLE_COACH | ROLE_LEARNER) ? " and " : "",
                 (cohort & ROLE_LEARNER) ? (writes ? "learners (for themselves)" : "learners")
                                         : "");
        parts[n++] = cohort_part;
    }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s",
                 i == 0       ? ""
                 : i + 1 == n ? " and "
                              : ", ",
                 parts[i]);
    }
}

bool route_refusal(const struct route *route, const char *cohort, char *out, size_t len)
{
    char who[192], where[4 * MC_MAX_NAME + 8] = "";
    const char *what = route->summary ? route->summary : "do that";
    int n;
    who_may(route, who, sizeof who);
    /* "change a cohort (Spring 2027)", but "record a score in Spring 2027" */
    if (cohort && *cohort)
        snprintf(where, sizeof where,
                 strcmp(route->path, "/v1/cohorts/{id}") == 0 ? " (%s)" : " in %s", cohort);
    if (route->roles & ROLE_NONE) /* anyone with a token may: only a cohort can refuse */
        n = snprintf(out, len, "you may not %s%s", what, where);
    else if (!who[0])
        n = snprintf(out, len, "nobody may %s%s", what, where);
    else
        n = snprintf(out, len, "you may not %s%s: only %s may", what, where, who);
    return n >= 0 && (size_t)n < len;
}
