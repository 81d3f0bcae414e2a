/*
 * report_input.c — see report_input.h.
 */
#include <stddef.h>

#include "query.h"
#include "report_input.h"

#include "mcred/banned.h"

const char *report_target_error(const char *cohort, bool org)
{
    if (cohort && org)
        return "give a cohort or --org, not both";
    if (!cohort && !org)
        return "give a cohort, or --org for the whole organisation";
    return NULL;
}

enum mc_err report_org_path(struct mc_buf *out, const char *by)
{
    enum mc_err rc = mc_buf_appends(out, REPORT_ORG_PATH);
    if (rc == MC_OK && by)
        rc = cli_query_add(out, "by", by);
    return rc;
}
