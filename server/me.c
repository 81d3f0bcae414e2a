/*
 * me.c — GET /v1/me: the token's person, organisation and roles, all of
 * which authentication has already read.
 */
#include "handlers.h"
#include "request.h"

#include "mcred/banned.h"

enum mc_err me_show(struct request *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *person = cJSON_AddObjectToObject(root, "person");
    cJSON *org = cJSON_AddObjectToObject(root, "org");
    cJSON *roles = cJSON_AddArrayToObject(root, "roles");
    if (!person || !org || !roles ||
        !cJSON_AddItemToArray(roles, cJSON_CreateString(r->auth.org_role)) ||
        !cJSON_AddStringToObject(person, "id", r->auth.person_id) ||
        !cJSON_AddStringToObject(person, "email", r->auth.email) ||
        !cJSON_AddStringToObject(person, "name", r->auth.name) ||
        !cJSON_AddStringToObject(person, "org_role", r->auth.org_role) ||
        !cJSON_AddStringToObject(org, "id", r->auth.org_id) ||
        !cJSON_AddStringToObject(org, "slug", r->auth.org_slug) ||
        !cJSON_AddStringToObject(org, "name", r->auth.org_name) ||
        !cJSON_AddStringToObject(root, "token_id", r->auth.token_id)) {
        cJSON_Delete(root);
        return request_fail(r, MC_ERR_NOMEM, NULL, NULL);
    }
    return request_reply(r, 200, root);
}
