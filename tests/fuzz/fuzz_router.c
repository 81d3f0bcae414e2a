/*
 * fuzz_router.c — the router's path matching over the real route table.
 *
 * The input is "METHOD path": the method up to the first space, the path
 * after it, as dispatch hands them to router_match() (libmicrohttpd has
 * already decoded %XX, so the path may hold any byte but NUL).  Besides
 * not crashing, a match must be true to its pattern: putting the
 * captured parameters back into the matched route's pattern gives the
 * path again, every parameter is a non-empty segment without '/', and
 * route_param() finds each by its name.  A 405's Allow list is not empty
 * and does not hold the method refused (it would have matched).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "router.h"
#include "routes.h"

#include "mcred/banned.h"

/* The matched pattern with its parameters put back: the path, if the match is right. */
static void check_rebuilt(const struct route *route, const struct route_params *params,
                          const char *path)
{
    char rebuilt[MC_MAX_URL + 1];
    size_t used = 0, next = 0;
    for (const char *p = route->path; *p;) {
        size_t n;
        if (*p == '{') {
            n = strcspn(p, "}") + 1;
            FUZZ_CHECK(next < params->count);
            const char *v = params->items[next].value;
            size_t vlen = strlen(v);
            FUZZ_CHECK(vlen > 0 && vlen < MC_MAX_PARAM_VALUE && !strchr(v, '/'));
            FUZZ_CHECK(strncmp(params->items[next].name, p + 1, n - 2) == 0 &&
                       params->items[next].name[n - 2] == '\0');
            FUZZ_CHECK(used + vlen <= MC_MAX_URL);
            memcpy(rebuilt + used, v, vlen);
            used += vlen;
            next++;
        } else {
            n = strcspn(p, "{");
            FUZZ_CHECK(used + n <= MC_MAX_URL);
            memcpy(rebuilt + used, p, n);
            used += n;
        }
        p += n;
    }
    rebuilt[used] = '\0';
    FUZZ_CHECK(next == params->count);
    FUZZ_CHECK(strcmp(rebuilt, path) == 0);
    for (size_t i = 0; i < params->count; i++)
        FUZZ_CHECK(route_param(params, params->items[i].name) != NULL);
}

/* Is method one of the ", "-separated items of allow? */
static bool allow_has(const char *allow, const char *method)
{
    size_t mlen = strlen(method);
    for (const char *p = allow; *p;) {
        size_t n = strcspn(p, ",");
        if (n == mlen && memcmp(p, method, n) == 0)
            return true;
        p += n;
        p += strspn(p, ", ");
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    if (!text)
        return 0;
    char *space = strchr(text, ' ');
    const char *method = space ? text : "GET";
    const char *path = space ? space + 1 : text;
    if (space)
        *space = '\0';
    const struct route *route = NULL;
    struct route_params params;
    char allow[64];
    enum mc_err rc = router_match(mcred_routes, method, path, &route, &params, allow, sizeof allow);
    switch (rc) {
    case MC_OK:
        FUZZ_CHECK(route && (strcmp(route->method, method) == 0 ||
                             (strcmp(method, "HEAD") == 0 && strcmp(route->method, "GET") == 0)));
        check_rebuilt(route, &params, path);
        (void)route_names_cohort(route);
        break;
    case MC_ERR_METHOD:
        FUZZ_CHECK(allow[0] != '\0');
        FUZZ_CHECK(!allow_has(allow, method));
        break;
    case MC_ERR_NOT_FOUND:
        break;
    case MC_ERR_URI_TOO_LONG:
        FUZZ_CHECK(strlen(path) > MC_MAX_URL);
        break;
    default:
        FUZZ_CHECK(!"router_match returned a code it does not document");
    }
    free(text);
    return 0;
}
