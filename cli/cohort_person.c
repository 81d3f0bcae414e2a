/*
 * cohort_person.c — people named within a cohort; see cohort_person.h.
 *
 * The caller is asked about first: it is one small request that every
 * token may make, and a learner (who may not list the members) most
 * often names themself.  A cohort has at most a few hundred members, so
 * the members' list is one page of 500.
 */
#include <string.h>

#include "mcred/limits.h"

#include "cohort_input.h"
#include "cohort_person.h"
#include "coursework_input.h"
#include "http.h"
#include "pages.h"
#include "query.h"

#include "mcred/banned.h"

int cli_me(const struct cli_ctx *ctx, cJSON **out_person)
{
    struct cli_response resp;
    cJSON *me = NULL;
    cJSON *person;
    int code;

    cli_response_init(&resp);
    code = cli_http_request(ctx, "GET", "/v1/me", NULL, NULL, &resp);
    if (code == CLI_EXIT_OK)
        code = cli_response_json(ctx, &resp, &me);
    if (code == CLI_EXIT_OK) {
        person = cJSON_DetachItemFromObjectCaseSensitive(me, "person");
        if (cJSON_IsObject(person)) {
            *out_person = person;
        } else {
            cJSON_Delete(person);
            cli_error(ctx, "the server's answer to GET /v1/me has no person");
            code = CLI_EXIT_ERROR;
        }
    }
    cJSON_Delete(me);
    cli_response_release(&resp);
    return code;
}

/* Append person's "id" to out_id. */
static int id_take(const struct cli_ctx *ctx, const cJSON *person, struct mc_buf *out_id)
{
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(person, "id"));

    if (!id || !*id) {
        cli_error(ctx, "the server's answer has a person without an id");
        return CLI_EXIT_ERROR;
    }
    if (mc_buf_appends(out_id, id) != MC_OK) {
        cli_error(ctx, "out of memory");
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

int cli_cohort_person_id(const struct cli_ctx *ctx, const char *cohort, const char *who,
                         struct mc_buf *out_id)
{
    struct mc_buf path;
    cJSON *me = NULL, *list = NULL;
    const cJSON *item;
    int code;

    if (!strchr(who, '@')) {
        if (mc_buf_appends(out_id, who) == MC_OK)
            return CLI_EXIT_OK;
        cli_error(ctx, "the id %.64s… is too long", who);
        return CLI_EXIT_USAGE;
    }
    code = cli_me(ctx, &me);
    if (code != CLI_EXIT_OK)
        return code;
    if (cli_person_matches(me, who)) {
        code = id_take(ctx, me, out_id);
        cJSON_Delete(me);
        return code;
    }
    cJSON_Delete(me);
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/cohorts", cohort, "/members", &path);
    if (code == CLI_EXIT_OK && cli_query_add(&path, "limit", "500") != MC_OK) {
        cli_error(ctx, "out of memory");
        code = CLI_EXIT_ERROR;
    }
    if (code == CLI_EXIT_OK)
        code = cli_pages_get(ctx, path.data, true, &list);
    if (code != CLI_EXIT_OK)
        goto out;
    code = CLI_EXIT_NOT_FOUND;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(list, "items"))
    {
        const cJSON *person = cJSON_GetObjectItemCaseSensitive(item, "person");
        if (cli_person_matches(person, who)) {
            code = id_take(ctx, person, out_id);
            break;
        }
    }
    if (code == CLI_EXIT_NOT_FOUND)
        cli_error(ctx, "no member of the cohort has the e-mail %s", who);
out:
    cJSON_Delete(list);
    mc_buf_release(&path);
    return code;
}
