/*
 * cohort_person.c — people named within a cohort; see cohort_person.h.
 *
 * The caller is asked about first: it is one small request that every
 * token may make, and a learner (who may not list the members) most
 * often names themself.  A cohort has at most a few hundred members, so
 * the members' list is one page of 500.
 */
#include <stdio.h>
#include <stdlib.h>
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

int cli_my_id(const struct cli_ctx *ctx, struct mc_buf *out_id)
{
    cJSON *me = NULL;
    int code = cli_me(ctx, &me);

    if (code == CLI_EXIT_OK)
        code = id_take(ctx, me, out_id);
    cJSON_Delete(me);
    return code;
}

/*
 * GET path (the cohort's members) with errors held back: on success
 * *out_list is the list; a refusal (CLI_EXIT_DENIED) prints nothing, for
 * the caller to say what was refused; any other failure is printed.
 */
static int members_get(const struct cli_ctx *ctx, const char *path, cJSON **out_list)
{
    char *held = NULL;
    size_t held_len = 0;
    FILE *err = open_memstream(&held, &held_len);
    struct cli_ctx quiet = *ctx;
    int code;

    if (!err) {
        cli_error(ctx, "out of memory");
        return CLI_EXIT_ERROR;
    }
    quiet.err = err;
    code = cli_pages_get(&quiet, path, true, out_list);
    if (fclose(err) != 0) {
        free(held);
        cli_error(ctx, "out of memory");
        return code == CLI_EXIT_OK ? CLI_EXIT_ERROR : code;
    }
    if (code != CLI_EXIT_DENIED && held_len)
        fputs(held, ctx->err);
    free(held);
    return code;
}

int cli_cohort_person_id_for(const struct cli_ctx *ctx, const char *cohort, const char *who,
                             const char *what, struct mc_buf *out_id)
{
    struct mc_buf path;
    cJSON *me = NULL, *list = NULL;
    const cJSON *item;
    char mine[MC_MAX_EMAIL + 1] = "";
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
    snprintf(mine, sizeof mine, "%s",
             cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(me, "email"))
                 ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(me, "email"))
                 : "");
    cJSON_Delete(me);
    mc_buf_init(&path, MC_MAX_URL);
    code = cli_resource_path(ctx, "/v1/cohorts", cohort, "/members", &path);
    if (code == CLI_EXIT_OK && cli_query_add(&path, "limit", "500") != MC_OK) {
        cli_error(ctx, "out of memory");
        code = CLI_EXIT_ERROR;
    }
    if (code == CLI_EXIT_OK)
        code = members_get(ctx, path.data, &list);
    if (code == CLI_EXIT_DENIED)
        cli_error(ctx,
                  "you may not %s %s in %s: you are %s, and only coordinators, leaders and "
                  "the cohort's coaches may name its other members",
                  what ? what : "name", who, cohort,
                  mine[0] ? mine : "signed in without an e-mail");
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
        cli_error(ctx, "no member of %s has the e-mail %s", cohort, who);
out:
    cJSON_Delete(list);
    mc_buf_release(&path);
    return code;
}

int cli_cohort_person_id(const struct cli_ctx *ctx, const char *cohort, const char *who,
                         struct mc_buf *out_id)
{
    return cli_cohort_person_id_for(ctx, cohort, who, NULL, out_id);
}
