/*
 * status_view.c — cells and lines of credential status; see status_view.h.
 *
 * The answer is read defensively: a member that is missing or of another
 * type shows as "?" (or is left out) rather than failing the command, so
 * that a server one field ahead or behind still gives a readable grid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "status_view.h"
#include "text.h"

#include "mcred/banned.h"

/* A cell of the grid is short; a learner's lines as long as their answer. */
#define CELL_MAX  (64 * 1024)
#define LINES_MAX (4 * 1024 * 1024)

static const char check_mark[] = "\xE2\x9C\x93"; /* ✓ */

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static const char *string_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(member(obj, key));
}

/* The standards entry of `status` with this code, or NULL. */
static const cJSON *standard_find(const cJSON *status, const char *code)
{
    const cJSON *s;

    cJSON_ArrayForEach(s, member(status, "standards"))
    {
        const char *c = string_of(s, "code");
        if (c && strcmp(c, code) == 0)
            return s;
    }
    return NULL;
}

enum mc_err cli_status_standard_cell(const cJSON *status, const char *code, bool csv,
                                     struct mc_buf *out)
{
    const cJSON *standard = standard_find(status, code);
    const cJSON *ind;
    unsigned met = 0, total = 0;

    if (!standard)
        return mc_buf_appends(out, "?");
    if (cJSON_IsTrue(member(standard, "met")))
        return mc_buf_appends(out, csv ? "yes" : check_mark);
    if (csv)
        return mc_buf_appends(out, "no");
    cJSON_ArrayForEach(ind, member(status, "indicators"))
    {
        const char *s = string_of(ind, "standard");
        if (!s || strcmp(s, code) != 0)
            continue;
        total++;
        met += cJSON_IsTrue(member(ind, "met")) ? 1 : 0;
    }
    return mc_buf_appendf(out, "%u/%u", met, total);
}

/* Append a whole number of `obj`, or "?". */
static enum mc_err count_append(struct mc_buf *out, const cJSON *obj, const char *key)
{
    const cJSON *n = member(obj, key);

    if (!cJSON_IsNumber(n))
        return mc_buf_appends(out, "?");
    return mc_buf_appendf(out, "%.0f", n->valuedouble);
}

enum mc_err cli_status_attendance_cell(const cJSON *status, struct mc_buf *out)
{
    const cJSON *attendance = member(status, "attendance");
    enum mc_err rc = count_append(out, attendance, "attended");

    if (rc == MC_OK)
        rc = mc_buf_appendc(out, '/');
    if (rc == MC_OK)
        rc = count_append(out, attendance, "required");
    return rc;
}

void cli_status_grid_release(struct cli_status_grid *g)
{
    if (g->headers)
        for (size_t i = 0; i < g->ncols; i++)
            free(g->headers[i]);
    if (g->cells)
        for (size_t i = 0; i < g->nrows * g->ncols; i++)
            free(g->cells[i]);
    free(g->headers);
    free(g->keep);
    free(g->cells);
    memset(g, 0, sizeof(*g));
}

/* The standards' codes of every learner, in order of first appearance. */
static enum mc_err codes_collect(const cJSON *learners, const char **codes, size_t *out_n)
{
    const cJSON *learner, *s;
    size_t n = 0;

    cJSON_ArrayForEach(learner, learners){
        cJSON_ArrayForEach(s, member(learner, "standards")){const char *code = string_of(s, "code");
    bool seen = false;

    if (!code)
        continue;
    for (size_t i = 0; i < n && !seen; i++)
        seen = strcmp(codes[i], code) == 0;
    if (seen)
        continue;
    if (n >= CLI_STATUS_MAX_STANDARDS)
        return MC_ERR_INVALID;
    codes[n++] = code;
}
}
*out_n = n;
return MC_OK;
}

/* Take the buffer's text as a cell (or header) of the grid. */
static enum mc_err cell_take(struct mc_buf *b, char **slot)
{
    *slot = mc_buf_detach(b, NULL);
    return *slot ? MC_OK : MC_ERR_NOMEM;
}

static enum mc_err header_set(struct cli_status_grid *g, size_t c, const char *text)
{
    g->headers[c] = strdup(text);
    return g->headers[c] ? MC_OK : MC_ERR_NOMEM;
}

enum mc_err cli_status_grid_build(const cJSON *answer, bool csv, struct cli_status_grid *out)
{
    const cJSON *learners = member(answer, "learners");
    const char *codes[CLI_STATUS_MAX_STANDARDS];
    const cJSON *learner;
    struct mc_buf b;
    size_t ncodes = 0, r = 0;
    enum mc_err rc;

    memset(out, 0, sizeof(*out));
    if (!cJSON_IsArray(learners))
        return MC_ERR_INVALID;
    rc = codes_collect(learners, codes, &ncodes);
    if (rc != MC_OK)
        return rc;
    out->ncols = ncodes + 4;
    out->nrows = (size_t)cJSON_GetArraySize(learners);
    out->headers = calloc(out->ncols, sizeof(char *));
    out->keep = calloc(out->ncols, sizeof(bool));
    out->cells = calloc(out->nrows * out->ncols + 1, sizeof(char *));
    if (!out->headers || !out->keep || !out->cells)
        return MC_ERR_NOMEM;
    out->keep[0] = true; /* the e-mail, to copy */
    out->keep[1] = true; /* the status, what the grid is for */
    mc_buf_init(&b, CELL_MAX);
    rc = header_set(out, 0, csv ? "email" : "EMAIL");
    if (rc == MC_OK)
        rc = header_set(out, 1, csv ? "status" : "STATUS");
    for (size_t i = 0; rc == MC_OK && i < ncodes; i++) {
        rc = mc_buf_appendf(&b, csv ? "standard_%s" : "S%s", codes[i]);
        if (rc == MC_OK)
            rc = cell_take(&b, &out->headers[2 + i]);
    }
    if (rc == MC_OK)
        rc = header_set(out, ncodes + 2, csv ? "attendance" : "ATTENDANCE");
    if (rc == MC_OK)
        rc = header_set(out, ncodes + 3, csv ? "problem" : "PROBLEM");
    cJSON_ArrayForEach(learner, learners)
    {
        char **row = out->cells + r * out->ncols;
        const char *email = string_of(member(learner, "learner"), "email");
        const char *status = string_of(learner, "status");
        const char *problem = string_of(member(learner, "problem"), "status");

        if (rc != MC_OK)
            break;
        rc = mc_buf_appends(&b, email ? email : "");
        if (rc == MC_OK)
            rc = cell_take(&b, &row[0]);
        if (rc == MC_OK)
            rc = mc_buf_appends(&b, status ? status : "?");
        if (rc == MC_OK)
            rc = cell_take(&b, &row[1]);
        for (size_t i = 0; rc == MC_OK && i < ncodes; i++) {
            rc = cli_status_standard_cell(learner, codes[i], csv, &b);
            if (rc == MC_OK)
                rc = cell_take(&b, &row[2 + i]);
        }
        if (rc == MC_OK)
            rc = cli_status_attendance_cell(learner, &b);
        if (rc == MC_OK)
            rc = cell_take(&b, &row[ncodes + 2]);
        if (rc == MC_OK)
            rc = mc_buf_appends(&b, problem ? problem : "");
        if (rc == MC_OK)
            rc = cell_take(&b, &row[ncodes + 3]);
        r++;
    }
    mc_buf_release(&b);
    return rc;
}

enum mc_err cli_status_legend(const cJSON *answer, size_t width, struct mc_buf *out)
{
    const cJSON *learners = member(answer, "learners");
    const char *codes[CLI_STATUS_MAX_STANDARDS];
    struct mc_buf text;
    size_t n = 0;
    enum mc_err rc;

    if (!cJSON_IsArray(learners) || codes_collect(learners, codes, &n) != MC_OK || n == 0)
        return MC_OK;
    mc_buf_init(&text, CELL_MAX);
    rc = mc_buf_appends(&text, "Standards:");
    for (size_t i = 0; rc == MC_OK && i < n; i++) {
        const char *title = NULL;
        const cJSON *learner;

        cJSON_ArrayForEach(learner, learners)
        {
            const cJSON *s = standard_find(learner, codes[i]);
            if (!title && s)
                title = string_of(s, "title");
        }
        rc = mc_buf_appendf(&text, "%s S%s %s", i ? ";" : "", codes[i],
                            title && *title ? title : "(untitled)");
    }
    if (rc == MC_OK)
        rc = mc_buf_appendc(&text, '.');
    if (rc == MC_OK)
        rc = cli_text_wrap(out, text.data, width, 0);
    mc_buf_release(&text);
    return rc;
}

enum mc_err cli_status_person_lines(const cJSON *status, struct mc_buf *out)
{
    const cJSON *learner = member(status, "learner");
    const char *email = string_of(learner, "email");
    const char *name = string_of(learner, "name");
    const char *overall = string_of(status, "status");
    const cJSON *missing = member(status, "missing");
    const cJSON *item;
    enum mc_err rc;

    rc = cli_text_append_clean(out, email ? email : "?", SIZE_MAX);
    if (rc == MC_OK && name && *name) {
        rc = mc_buf_appends(out, " (");
        if (rc == MC_OK)
            rc = cli_text_append_clean(out, name, SIZE_MAX);
        if (rc == MC_OK)
            rc = mc_buf_appendc(out, ')');
    }
    if (rc == MC_OK)
        rc = mc_buf_appends(out, ": ");
    if (rc == MC_OK)
        rc = cli_text_append_clean(out, overall ? overall : "?", SIZE_MAX);
    if (rc == MC_OK)
        rc = mc_buf_appendc(out, '\n');
    if (rc != MC_OK)
        return rc;
    if (cJSON_GetArraySize(missing) == 0) {
        rc = mc_buf_appends(out, "Nothing is missing: ");
        if (rc == MC_OK)
            rc = cli_text_append_clean(out, overall ? overall : "?", SIZE_MAX);
        if (rc == MC_OK)
            rc = mc_buf_appends(out, ".\n");
        return rc;
    }
    rc = mc_buf_appends(out, "Missing:\n");
    cJSON_ArrayForEach(item, missing)
    {
        const char *text = cJSON_GetStringValue(item);

        if (rc == MC_OK)
            rc = mc_buf_appends(out, "  \xE2\x80\xA2 "); /* "  • " */
        if (rc == MC_OK)
            rc = cli_text_append_clean(out, text ? text : "?", SIZE_MAX);
        if (rc == MC_OK)
            rc = mc_buf_appendc(out, '\n');
    }
    return rc;
}

cJSON *cli_status_indicator_rows(const cJSON *status)
{
    cJSON *rows = cJSON_CreateArray();
    const cJSON *ind;
    struct mc_buf level;

    if (!rows)
        return NULL;
    mc_buf_init(&level, CELL_MAX);
    cJSON_ArrayForEach(ind, member(status, "indicators"))
    {
        const cJSON *n = member(ind, "level");
        const char *code = string_of(ind, "code");
        const char *label = string_of(ind, "label");
        cJSON *row = cJSON_CreateObject();
        enum mc_err rc = MC_OK;

        mc_buf_reset(&level);
        if (!cJSON_IsNumber(n))
            rc = mc_buf_appends(&level, "?");
        else if (n->valuedouble <= 0)
            rc = mc_buf_appends(&level, "-");
        else if (label && *label)
            rc = mc_buf_appendf(&level, "%.0f %s", n->valuedouble, label);
        else
            rc = mc_buf_appendf(&level, "%.0f", n->valuedouble);
        if (rc != MC_OK || !row || !cJSON_AddItemToArray(rows, row)) {
            cJSON_Delete(row);
            goto fail;
        }
        if (!cJSON_AddStringToObject(row, "code", code ? code : "?") ||
            !cJSON_AddStringToObject(row, "level", level.data) ||
            !cJSON_AddStringToObject(row, "met", cJSON_IsTrue(member(ind, "met")) ? "yes" : "no"))
            goto fail;
    }
    mc_buf_release(&level);
    return rows;
fail:
    mc_buf_release(&level);
    cJSON_Delete(rows);
    return NULL;
}
