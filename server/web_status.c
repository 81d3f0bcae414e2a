/*
 * web_status.c — see web_status.h.
 */
#include <stdlib.h>
#include <string.h>

#include "web_pages.h"
#include "web_status.h"

#include "mcred/banned.h"

enum mc_err web_status_init(struct web_status *ws, const cJSON *doc)
{
    *ws = (struct web_status){0};
    status_rule_from_json(cJSON_GetObjectItemCaseSensitive(doc, "rubric"),
                          cJSON_GetObjectItemCaseSensitive(doc, "award_rule"), &ws->rule);
    const cJSON *standards = cJSON_GetObjectItemCaseSensitive(doc, "standards");
    const cJSON *indicators = cJSON_GetObjectItemCaseSensitive(doc, "indicators");
    ws->nstandards = (size_t)cJSON_GetArraySize(standards);
    ws->nindicators = (size_t)cJSON_GetArraySize(indicators);
    ws->standards = calloc(ws->nstandards + 1, sizeof *ws->standards);
    ws->indicators = calloc(ws->nindicators + 1, sizeof *ws->indicators);
    if (!ws->standards || !ws->indicators) {
        web_status_release(ws);
        return MC_ERR_NOMEM;
    }
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, standards)
    {
        ws->standards[i++] = (struct status_standard){.code = web_str(item, "code"),
                                                      .title = web_str(item, "title")};
    }
    i = 0;
    cJSON_ArrayForEach(item, indicators)
    {
        ws->indicators[i++] = (struct status_indicator){.code = web_str(item, "code"),
                                                        .standard = web_str(item, "standard")};
    }
    ws->held = (int)web_long(doc, "held");
    return MC_OK;
}

void web_status_release(struct web_status *ws)
{
    free(ws->standards);
    free(ws->indicators);
    *ws = (struct web_status){0};
}

cJSON *web_status_of(const struct web_status *ws, const cJSON *learner)
{
    struct status_indicator *inds = calloc(ws->nindicators + 1, sizeof *inds);
    if (!inds)
        return NULL;
    const cJSON *levels = cJSON_GetObjectItemCaseSensitive(learner, "levels");
    for (size_t i = 0; i < ws->nindicators; i++) {
        inds[i] = ws->indicators[i];
        inds[i].level = (int)web_long(levels, inds[i].code);
    }
    const char *award = web_str(learner, "award");
    struct status_input in = {.rule = &ws->rule,
                              .standards = ws->standards,
                              .nstandards = ws->nstandards,
                              .indicators = inds,
                              .nindicators = ws->nindicators,
                              .attended = (int)web_long(learner, "attended"),
                              .excused = (int)web_long(learner, "excused"),
                              .held = ws->held,
                              .problem = web_str(learner, "problem"),
                              .awarded = strcmp(award, "awarded") == 0,
                              .revoked = strcmp(award, "revoked") == 0};
    cJSON *status = status_json(&in);
    free(inds);
    return status;
}

const char *web_status_words(const char *status)
{
    static const struct {
        const char *name, *words;
    } words[] = {
        {"not_started", "not started"}, {"in_progress", "in progress"}, {"eligible", "eligible"},
        {"awarded", "awarded"},         {"revoked", "revoked"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(status, words[i].name) == 0)
            return words[i].words;
    return status;
}

const char *web_problem_words(const char *state)
{
    static const struct {
        const char *name, *words;
    } words[] = {
        {"none", "not written yet"},          {"draft", "draft"},       {"submitted", "submitted"},
        {"needs_revision", "needs revision"}, {"approved", "approved"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(state, words[i].name) == 0)
            return words[i].words;
    return state;
}
