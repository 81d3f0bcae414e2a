/*
 * roster_report.c — import summaries and per-row errors; see roster_report.h.
 */
#include <stdbool.h>

#include "mcred/limits.h"

#include "roster_report.h"
#include "text.h"

#include "mcred/banned.h"

/* A count from the answer: a non-negative whole number, else 0. */
static long long count_of(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || v->valuedouble > 1e15)
        return 0;
    return (long long)v->valuedouble;
}

enum mc_err cli_roster_error_line(const cJSON *entry, struct mc_buf *out)
{
    const cJSON *row = cJSON_GetObjectItemCaseSensitive(entry, "row");
    const cJSON *column = cJSON_GetObjectItemCaseSensitive(entry, "column");
    if (!column) /* a JSON document's problems name their JSON path instead */
        column = cJSON_GetObjectItemCaseSensitive(entry, "field");
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(entry, "message");
    bool has_row = cJSON_IsNumber(row) && row->valuedouble >= 1 && row->valuedouble <= 1e15;
    bool has_column = cJSON_IsString(column) && column->valuestring && column->valuestring[0];
    enum mc_err rc = MC_OK;

    if (has_row)
        rc = mc_buf_appendf(out, "row %lld", (long long)row->valuedouble);
    if (rc == MC_OK && has_row && has_column)
        rc = mc_buf_appends(out, ", ");
    if (rc == MC_OK && has_column)
        rc = cli_text_append_clean(out, column->valuestring, MC_MAX_ERR_FIELD);
    if (rc == MC_OK && (has_row || has_column))
        rc = mc_buf_appends(out, ": ");
    if (rc != MC_OK)
        return rc;
    if (cJSON_IsString(message) && message->valuestring && message->valuestring[0])
        return cli_text_append_clean(out, message->valuestring, MC_MAX_ERR_MESSAGE);
    return mc_buf_appends(out, "(an error the server did not describe)");
}

enum mc_err cli_roster_summary(const cJSON *result, struct mc_buf *out)
{
    bool dry_run = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result, "dry_run"));
    long long rows = count_of(result, "rows");

    return mc_buf_appendf(out, "%s %lld row%s: %lld created, %lld updated, %lld unchanged",
                          dry_run ? "dry run: would import" : "imported", rows,
                          rows == 1 ? "" : "s", count_of(result, "created"),
                          count_of(result, "updated"), count_of(result, "unchanged"));
}

enum mc_err cli_roster_member_summary(const cJSON *result, struct mc_buf *out)
{
    bool dry_run = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result, "dry_run"));
    long long rows = count_of(result, "rows");
    long long created = count_of(result, "people_created");

    return mc_buf_appendf(out,
                          "%s %lld row%s: %lld %s created, %lld updated; %lld enrolled, "
                          "%lld waitlisted, %lld already in the cohort",
                          dry_run ? "dry run: would import" : "imported", rows,
                          rows == 1 ? "" : "s", created, created == 1 ? "person" : "people",
                          count_of(result, "people_updated"), count_of(result, "enrolled"),
                          count_of(result, "waitlisted"), count_of(result, "unchanged"));
}
