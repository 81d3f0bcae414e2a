/*
 * handlers.h — the route handlers that have no header of their own
 * (resource files with their own database functions declare theirs, as
 * tokens.h does).  Each is reached only through the route table.
 */
#ifndef MCRED_SERVER_HANDLERS_H
#define MCRED_SERVER_HANDLERS_H

#include "mcred/error.h"

struct request;

/* health.c: GET /healthz, GET /readyz, GET /metrics (public) */
enum mc_err health_live(struct request *r);
enum mc_err health_ready(struct request *r);
enum mc_err health_metrics(struct request *r);

/* openapi.c: GET /openapi.json (public) */
enum mc_err openapi_show(struct request *r);

/* me.c: GET /v1/me */
enum mc_err me_show(struct request *r);

/* reports.c: GET /v1/reports/cohorts/{id} */
enum mc_err reports_cohort(struct request *r);

/* reports.c: GET /v1/reports/orgs/current */
enum mc_err reports_org(struct request *r);

#endif
