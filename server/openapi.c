/*
 * openapi.c — GET /openapi.json: the route table as an OpenAPI 3.0
 * document, so that clients and tools can discover every route, its path
 * parameters, what it does (the route's summary, in a user's words) and
 * whether it needs a token.  Generated from mcred_routes,
 * so it cannot fall out of step with what the server answers; the prose
 * reference stays docs/api.md.
 */
#include <string.h>

#include "handlers.h"
#include "mcred/version.h"
#include "request.h"
#include "server.h"

#include "mcred/banned.h"

/* "GET" → "get" */
static void lower_method(const char *m, char out[8])
{
    size_t i = 0;
    for (; i < 7 && m[i]; i++)
        out[i] = (char)(m[i] >= 'A' && m[i] <= 'Z' ? m[i] - 'A' + 'a' : m[i]);
    out[i] = '\0';
}

/* The {name} parameters of a route's path; a cohort's {id} says it may be a slug or name. */
static cJSON *path_parameters(const struct route *rt)
{
    const char *path = rt->path;
    bool cohort = route_names_cohort(rt);
    cJSON *list = cJSON_CreateArray();
    for (const char *p = strchr(path, '{'); list && p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        if (!end)
            break;
        char name[64];
        size_t n =
            (size_t)(end - p - 1) < sizeof name - 1 ? (size_t)(end - p - 1) : sizeof name - 1;
        memcpy(name, p + 1, n);
        name[n] = '\0';
        cJSON *param = cJSON_CreateObject();
        cJSON *schema = cJSON_CreateObject();
        if (!cJSON_AddItemToArray(list, param) || !cJSON_AddStringToObject(param, "name", name) ||
            !cJSON_AddStringToObject(param, "in", "path") ||
            !cJSON_AddBoolToObject(param, "required", true) ||
            !cJSON_AddItemToObject(param, "schema", schema) ||
            !cJSON_AddStringToObject(schema, "type", "string") ||
            (cohort && strcmp(name, "id") == 0 &&
             !cJSON_AddStringToObject(param, "description",
                                      "the cohort's id, its slug or its exact name (any case)"))) {
            cJSON_Delete(schema);
            cJSON_Delete(list);
            return NULL;
        }
    }
    return list;
}

static cJSON *operation(const struct route *rt)
{
    cJSON *op = cJSON_CreateObject();
    cJSON *params = path_parameters(rt);
    if (!op || !params || !cJSON_AddItemToObject(op, "parameters", params)) {
        cJSON_Delete(op);
        cJSON_Delete(params);
        return NULL;
    }
    if (rt->summary && !cJSON_AddStringToObject(op, "summary", rt->summary)) {
        cJSON_Delete(op);
        return NULL;
    }
    cJSON *responses = cJSON_AddObjectToObject(op, "responses");
    cJSON *answer = responses ? cJSON_AddObjectToObject(responses, "default") : NULL;
    bool fine = answer && cJSON_AddStringToObject(answer, "description", "see docs/api.md");
    if (fine && (rt->flags & ROUTE_PUBLIC))
        fine = cJSON_AddArrayToObject(op, "security") != NULL; /* no token */
    if (fine && (rt->flags & (ROUTE_JSON_BODY | ROUTE_CSV_BODY))) {
        cJSON *body = cJSON_AddObjectToObject(op, "requestBody");
        cJSON *content = body ? cJSON_AddObjectToObject(body, "content") : NULL;
        fine = content && cJSON_AddBoolToObject(body, "required", true) &&
               cJSON_AddObjectToObject(content, (rt->flags & ROUTE_CSV_BODY) ? "text/csv"
                                                                             : "application/json");
    }
    if (!fine) {
        cJSON_Delete(op);
        return NULL;
    }
    return op;
}

static cJSON *openapi_document(const struct route *routes)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *info = cJSON_AddObjectToObject(doc, "info");
    cJSON *paths = cJSON_AddObjectToObject(doc, "paths");
    cJSON *components = cJSON_AddObjectToObject(doc, "components");
    cJSON *schemes = cJSON_AddObjectToObject(components, "securitySchemes");
    cJSON *bearer = cJSON_AddObjectToObject(schemes, "bearer");
    cJSON *security = cJSON_AddArrayToObject(doc, "security");
    cJSON *requirement = cJSON_CreateObject();
    bool ok = paths && cJSON_AddStringToObject(doc, "openapi", "3.0.3") && info &&
              cJSON_AddStringToObject(info, "title", "mcred") &&
              cJSON_AddStringToObject(info, "version", MC_VERSION) && bearer &&
              cJSON_AddStringToObject(bearer, "type", "http") &&
              cJSON_AddStringToObject(bearer, "scheme", "bearer") && security &&
              cJSON_AddItemToArray(security, requirement) &&
              cJSON_AddArrayToObject(requirement, "bearer");
    for (const struct route *rt = routes; ok && rt->method; rt++) {
        cJSON *item = cJSON_GetObjectItemCaseSensitive(paths, rt->path);
        if (!item)
            item = cJSON_AddObjectToObject(paths, rt->path);
        char method[8];
        lower_method(rt->method, method);
        cJSON *op = item ? operation(rt) : NULL;
        ok = op && cJSON_AddItemToObject(item, method, op);
    }
    if (!ok) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

enum mc_err openapi_show(struct request *r)
{
    cJSON *doc = openapi_document(r->server->routes);
    return doc ? request_reply(r, 200, doc) : request_fail(r, MC_ERR_NOMEM, NULL, NULL);
}
