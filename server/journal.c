/*
 * journal.c — the audit row and outbox event of a write; see journal.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "journal.h"
#include "request.h"

#include "mcred/banned.h"

struct actor journal_actor(const struct request *r)
{
    struct actor a = {
        .person_id = r->authenticated ? r->auth.person_id : NULL,
        .label = r->authenticated ? r->auth.email : "anonymous",
        .request_id = r->request_id,
    };
    return a;
}

/*
 * The audit insert runs as a CTE, so that audit and event are one round
 * trip.  The request path wakes this process's dispatcher once the write
 * commits (dispatcher_nudge in dispatch.c).
 */
DB_STMT(db_journal_write,
        "WITH audit AS ("
        "  INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id,"
        "                           before, after, request_id)"
        "  VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)"
        "  RETURNING id),"
        " event AS ("
        "  INSERT INTO mcred.events (org_id, type, payload)"
        "  SELECT $1::uuid, $10::text, $11::jsonb FROM audit WHERE $10::text IS NOT NULL"
        "  RETURNING id)"
        " SELECT id FROM event");

enum mc_err journal_write(struct db_conn *c, const char *org_id, const struct actor *actor,
                          const char *action, const char *entity, const char *entity_id,
                          const cJSON *before, const cJSON *after, const char *event_type,
                          const cJSON *event_data, char out_event_id[MC_EVENT_ID_MAX],
                          struct mc_error *err)
{
    char *before_text = before ? cJSON_PrintUnformatted(before) : NULL;
    char *after_text = after ? cJSON_PrintUnformatted(after) : NULL;
    char *data_text = event_type ? cJSON_PrintUnformatted(event_data) : NULL;
    PGresult *res = NULL;
    enum mc_err rc;
    if ((before && !before_text) || (after && !after_text) || (event_type && !data_text)) {
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    const char *params[] = {
        org_id,      actor->person_id, actor->label,      action,     entity,   entity_id,
        before_text, after_text,       actor->request_id, event_type, data_text};
    rc = db_exec(c, &db_journal_write, 11, params, PGRES_TUPLES_OK, &res, err);
    if (rc != MC_OK)
        goto out;
    if (event_type && PQntuples(res) != 1) {
        rc = mc_error_set(err, MC_ERR_INTERNAL, NULL, "event was not recorded");
        goto out;
    }
    if (event_type && out_event_id)
        snprintf(out_event_id, MC_EVENT_ID_MAX, "%s", PQgetvalue(res, 0, 0));
out:
    PQclear(res);
    free(before_text);
    free(after_text);
    free(data_text);
    return rc;
}
