/*
 * routes.c — every route, who may call it, and what it needs.
 *
 * This table is the API: dispatch.c authenticates and checks `roles`
 * before any handler runs (a route whose roles are 0 is refused to all),
 * docs/api.md documents each entry, and the tests walk it.  To add a
 * route: add its line here, its handler in the resource's file, its
 * section in docs/api.md, and its row in the role matrix test.
 */
#include "cohorts.h"
#include "credentials.h"
#include "handlers.h"
#include "members.h"
#include "people.h"
#include "sessions.h"
#include "routes.h"
#include "tokens.h"

#include "mcred/banned.h"

/* Admins may do whatever coordinators may. */
#define ROLE_PEOPLE (ROLE_COORDINATOR | ROLE_ADMIN)
#define ROLE_MANAGE (ROLE_COORDINATOR | ROLE_ADMIN)
#define ROLE_READ   (ROLE_COORDINATOR | ROLE_ADMIN | ROLE_LEADER)

const struct route mcred_routes[] = {
    {.method = "GET", .path = "/healthz", .handler = health_live, .flags = ROUTE_PUBLIC},
    {.method = "GET", .path = "/readyz", .handler = health_ready, .flags = ROUTE_PUBLIC},
    {.method = "GET", .path = "/metrics", .handler = health_metrics, .flags = ROUTE_PUBLIC},

    {.method = "GET", .path = "/v1/me", .handler = me_show, .roles = ROLE_ANY},

    {.method = "POST",
     .path = "/v1/people",
     .handler = people_create,
     .roles = ROLE_PEOPLE,
     .flags = ROUTE_JSON_BODY},
    {.method = "GET", .path = "/v1/people", .handler = people_list, .roles = ROLE_PEOPLE},
    {.method = "POST",
     .path = "/v1/people/import",
     .handler = people_import,
     .roles = ROLE_PEOPLE,
     .flags = ROUTE_CSV_BODY},
    {.method = "GET", .path = "/v1/people/{id}", .handler = people_show, .roles = ROLE_PEOPLE},
    {.method = "PATCH",
     .path = "/v1/people/{id}",
     .handler = people_update,
     .roles = ROLE_PEOPLE,
     .flags = ROUTE_JSON_BODY},

    {.method = "POST",
     .path = "/v1/tokens",
     .handler = tokens_create,
     .roles = ROLE_ADMIN,
     .flags = ROUTE_JSON_BODY},
    {.method = "GET", .path = "/v1/tokens", .handler = tokens_list, .roles = ROLE_ADMIN},
    {.method = "DELETE", .path = "/v1/tokens/{id}", .handler = tokens_revoke, .roles = ROLE_ADMIN},

    {.method = "POST",
     .path = "/v1/credentials",
     .handler = credentials_import,
     .roles = ROLE_MANAGE,
     .flags = ROUTE_JSON_BODY},
    {.method = "GET", .path = "/v1/credentials", .handler = credentials_list, .roles = ROLE_READ},
    {.method = "GET",
     .path = "/v1/credentials/{id}",
     .handler = credentials_show,
     .roles = ROLE_READ},
    {.method = "POST",
     .path = "/v1/credentials/{id}/publish",
     .handler = credentials_publish,
     .roles = ROLE_MANAGE},

    {.method = "POST",
     .path = "/v1/cohorts",
     .handler = cohorts_create,
     .roles = ROLE_MANAGE,
     .flags = ROUTE_JSON_BODY},
    {.method = "GET", .path = "/v1/cohorts", .handler = cohorts_list, .roles = ROLE_ANY},
    {.method = "GET",
     .path = "/v1/cohorts/{id}",
     .handler = cohorts_show,
     .roles = ROLE_READ | ROLE_COACH | ROLE_LEARNER,
     .scope = SCOPE_COHORT},
    {.method = "PATCH",
     .path = "/v1/cohorts/{id}",
     .handler = cohorts_update,
     .roles = ROLE_MANAGE,
     .flags = ROUTE_JSON_BODY},

    {.method = "POST",
     .path = "/v1/cohorts/{id}/members",
     .handler = members_add,
     .roles = ROLE_MANAGE,
     .flags = ROUTE_JSON_BODY},
    {.method = "POST",
     .path = "/v1/cohorts/{id}/members/import",
     .handler = members_import,
     .roles = ROLE_MANAGE,
     .flags = ROUTE_CSV_BODY},
    {.method = "GET",
     .path = "/v1/cohorts/{id}/members",
     .handler = members_list,
     .roles = ROLE_READ | ROLE_COACH,
     .scope = SCOPE_COHORT},
    {.method = "PATCH",
     .path = "/v1/cohorts/{id}/members/{person}",
     .handler = members_update,
     .roles = ROLE_MANAGE,
     .flags = ROUTE_JSON_BODY},
    {.method = "DELETE",
     .path = "/v1/cohorts/{id}/members/{person}",
     .handler = members_withdraw,
     .roles = ROLE_MANAGE},

    {.method = "POST",
     .path = "/v1/cohorts/{id}/sessions",
     .handler = sessions_create,
     .roles = ROLE_MANAGE,
     .flags = ROUTE_JSON_BODY},
    {.method = "GET",
     .path = "/v1/cohorts/{id}/sessions",
     .handler = sessions_list,
     .roles = ROLE_READ | ROLE_COACH | ROLE_LEARNER,
     .scope = SCOPE_COHORT},
    {.method = "PUT",
     .path = "/v1/sessions/{id}/attendance",
     .handler = attendance_record,
     .roles = ROLE_MANAGE | ROLE_COACH,
     .flags = ROUTE_JSON_BODY,
     .scope = SCOPE_SESSION},
    {.method = "GET",
     .path = "/v1/sessions/{id}/attendance",
     .handler = attendance_list,
     .roles = ROLE_READ | ROLE_COACH,
     .scope = SCOPE_SESSION},

    {.method = NULL},
};
