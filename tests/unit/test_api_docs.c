/*
 * test_api_docs.c — docs/api.md and the route table agree: every route in
 * server/routes.c has a "### `METHOD PATH`" section, and every such
 * section names a route that exists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routes.h"

static char *read_doc(void)
{
    FILE *f = fopen(MCRED_API_DOC, "rb");
    if (!f)
        fail_msg("cannot open %s", MCRED_API_DOC);
    static char text[256 * 1024];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

static void test_every_route_documented(void **state)
{
    (void)state;
    const char *doc = read_doc();
    for (const struct route *r = mcred_routes; r->method; r++) {
        char heading[256];
        snprintf(heading, sizeof heading, "### `%s %s`", r->method, r->path);
        if (!strstr(doc, heading))
            fail_msg("docs/api.md has no section \"%s\"", heading);
    }
}

static void test_every_documented_route_exists(void **state)
{
    (void)state;
    const char *doc = read_doc();
    for (const char *p = strstr(doc, "\n### `"); p; p = strstr(p + 1, "\n### `")) {
        char method[16], path[256];
        if (sscanf(p, "\n### `%15s %255[^`]`", method, path) != 2)
            fail_msg("malformed route heading near \"%.40s\"", p + 1);
        const struct route *r = mcred_routes;
        while (r->method && !(strcmp(r->method, method) == 0 && strcmp(r->path, path) == 0))
            r++;
        if (!r->method)
            fail_msg("docs/api.md documents %s %s, which no route serves", method, path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_documented),
        cmocka_unit_test(test_every_documented_route_exists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
