/*
 * test_cli_status.c — `mcred status` without a server: a standard's cell
 * (✓, met/total, yes/no), attendance, the cohort grid and its CSV, the
 * legend, one learner's lines and indicator rows, and answers that are
 * missing members.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "status_view.h"
#include "table.h"
#include "text.h"

#include "mcred/banned.h"

/* Two learners of a credential with two standards (1: 1.1, 1.2, 1.3; 2: 2.1). */
static const char cohort_answer[] =
    "{\"cohort\": \"c1\", \"credential\": {\"id\": \"k1\"}, \"learners\": ["
    " {\"learner\": {\"id\": \"p1\", \"email\": \"ana.long-address@lincoln.example\","
    "   \"name\": \"Ana\"},"
    "  \"status\": \"in_progress\","
    "  \"indicators\": [{\"code\": \"1.1\", \"standard\": \"1\", \"level\": 3, \"met\": true},"
    "                  {\"code\": \"1.2\", \"standard\": \"1\", \"level\": 2, \"met\": false},"
    "                  {\"code\": \"1.3\", \"standard\": \"1\", \"level\": 0, \"met\": false},"
    "                  {\"code\": \"2.1\", \"standard\": \"2\", \"level\": 4, \"met\": true}],"
    "  \"standards\": [{\"code\": \"1\", \"title\": \"Identifying Inequities\", \"met\": false},"
    "                 {\"code\": \"2\", \"title\": \"Engagement and Access\", \"met\": true}],"
    "  \"attendance\": {\"attended\": 4, \"excused\": 1, \"held\": 5, \"required\": 5,"
    "                  \"met\": false},"
    "  \"problem\": {\"status\": \"needs_revision\", \"required\": true, \"met\": false},"
    "  \"missing\": [\"indicator 1.2 is at level 2 (Emerging); it needs 3 (Proficient)\","
    "              \"attendance: 4 of the 5 weekly sessions required\"]},"
    " {\"learner\": {\"id\": \"p2\", \"email\": \"bo@x.example\", \"name\": \"Bo\"},"
    "  \"status\": \"eligible\","
    "  \"indicators\": [{\"code\": \"1.1\", \"standard\": \"1\", \"level\": 3, \"met\": true},"
    "                  {\"code\": \"1.2\", \"standard\": \"1\", \"level\": 3, \"met\": true},"
    "                  {\"code\": \"1.3\", \"standard\": \"1\", \"level\": 4, \"met\": true},"
    "                  {\"code\": \"2.1\", \"standard\": \"2\", \"level\": 3, \"met\": true}],"
    "  \"standards\": [{\"code\": \"1\", \"title\": \"Identifying Inequities\", \"met\": true},"
    "                 {\"code\": \"2\", \"title\": \"Engagement and Access\", \"met\": true}],"
    "  \"attendance\": {\"attended\": 6, \"excused\": 0, \"held\": 6, \"required\": 5,"
    "                  \"met\": true},"
    "  \"problem\": {\"status\": \"approved\", \"required\": true, \"met\": true},"
    "  \"missing\": []}]}";

static cJSON *parse(const char *text)
{
    cJSON *j = cJSON_Parse(text);

    assert_non_null(j);
    return j;
}

static void expect_cell(const cJSON *status, const char *code, bool csv, const char *want)
{
    struct mc_buf b;

    mc_buf_init(&b, 1024);
    assert_int_equal(cli_status_standard_cell(status, code, csv, &b), MC_OK);
    assert_string_equal(b.data, want);
    mc_buf_release(&b);
}

static void test_cells(void **state)
{
    cJSON *answer = parse(cohort_answer);
    const cJSON *ana = cJSON_GetArrayItem(cJSON_GetObjectItem(answer, "learners"), 0);
    const cJSON *bo = cJSON_GetArrayItem(cJSON_GetObjectItem(answer, "learners"), 1);
    struct mc_buf b;

    (void)state;
    expect_cell(ana, "1", false, "1/3");
    expect_cell(ana, "2", false, "\xE2\x9C\x93");
    expect_cell(ana, "1", true, "no");
    expect_cell(ana, "2", true, "yes");
    expect_cell(bo, "1", false, "\xE2\x9C\x93");
    /* A standard the learner's status does not list */
    expect_cell(ana, "9", false, "?");
    expect_cell(ana, "9", true, "?");

    mc_buf_init(&b, 1024);
    assert_int_equal(cli_status_attendance_cell(ana, &b), MC_OK);
    assert_string_equal(b.data, "4/5");
    mc_buf_reset(&b);
    assert_int_equal(cli_status_attendance_cell(bo, &b), MC_OK);
    assert_string_equal(b.data, "6/5");
    mc_buf_release(&b);
    cJSON_Delete(answer);

    /* Not met, and no indicators listed: 0/0; attendance missing: ?/? */
    answer = parse("{\"standards\": [{\"code\": \"A\", \"met\": false}]}");
    expect_cell(answer, "A", false, "0/0");
    mc_buf_init(&b, 1024);
    assert_int_equal(cli_status_attendance_cell(answer, &b), MC_OK);
    assert_string_equal(b.data, "?/?");
    mc_buf_release(&b);
    cJSON_Delete(answer);
}

/* The grid laid out as a table (width 0: no limit) or as CSV. */
static char *grid_text(const char *answer_text, bool csv, size_t width)
{
    cJSON *answer = parse(answer_text);
    struct cli_status_grid g;
    struct mc_buf out;

    assert_int_equal(cli_status_grid_build(answer, csv, &g), MC_OK);
    const struct cli_table t = {
        .ncols = g.ncols,
        .headers = (const char *const *)g.headers,
        .keep = g.keep,
        .nrows = g.nrows,
        .cells = (const char *const *)g.cells,
    };
    mc_buf_init(&out, 1024 * 1024);
    assert_int_equal(csv ? cli_table_csv(&t, &out) : cli_table_layout(&t, width, &out), MC_OK);
    cli_status_grid_release(&g);
    cJSON_Delete(answer);
    return mc_buf_detach(&out, NULL);
}

static void test_grid(void **state)
{
    char *text;

    (void)state;
    text = grid_text(cohort_answer, false, 0);
    assert_string_equal(
        text, "EMAIL                             STATUS       S1   S2  ATTENDANCE  PROBLEM\n"
              "ana.long-address@lincoln.example  in_progress  1/3  \xE2\x9C\x93   4/5         "
              "needs_revision\n"
              "bo@x.example                      eligible     \xE2\x9C\x93    \xE2\x9C\x93   6/5  "
              "       approved\n");
    free(text);

    /* Narrow: e-mail and status stay whole, the others give way. */
    text = grid_text(cohort_answer, false, 70);
    assert_non_null(strstr(text, "ana.long-address@lincoln.example  in_progress  "));
    assert_non_null(strstr(text, "bo@x.example                      eligible     "));
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        char *one = strndup(line, (size_t)(nl - line));
        if (cli_text_width(one) > 70)
            fail_msg("wider than 70 columns: %s", one);
        free(one);
        line = nl + 1;
    }
    free(text);

    text = grid_text(cohort_answer, true, 0);
    assert_string_equal(text, "email,status,standard_1,standard_2,attendance,problem\r\n"
                              "ana.long-address@lincoln.example,in_progress,no,yes,4/5,"
                              "needs_revision\r\n"
                              "bo@x.example,eligible,yes,yes,6/5,approved\r\n");
    free(text);

    /* An empty cohort: the header only, with no standard columns. */
    text = grid_text("{\"learners\": []}", false, 0);
    assert_string_equal(text, "EMAIL  STATUS  ATTENDANCE  PROBLEM\n");
    free(text);

    /* A learner with members missing still has a row. */
    text = grid_text("{\"learners\": [{\"status\": \"not_started\"}]}", true, 0);
    assert_string_equal(text, "email,status,attendance,problem\r\n,not_started,?/?,\r\n");
    free(text);
}

static void test_grid_invalid(void **state)
{
    struct cli_status_grid g;
    struct mc_buf many;
    cJSON *answer;

    (void)state;
    answer = parse("{\"items\": []}");
    assert_int_equal(cli_status_grid_build(answer, false, &g), MC_ERR_INVALID);
    cli_status_grid_release(&g);
    cJSON_Delete(answer);

    /* More standards than a credential has */
    mc_buf_init(&many, 1024 * 1024);
    assert_int_equal(mc_buf_appends(&many, "{\"learners\": [{\"standards\": ["), MC_OK);
    for (int i = 0; i <= CLI_STATUS_MAX_STANDARDS; i++)
        assert_int_equal(
            mc_buf_appendf(&many, "%s{\"code\": \"%d\", \"met\": true}", i ? "," : "", i), MC_OK);
    assert_int_equal(mc_buf_appends(&many, "]}]}"), MC_OK);
    answer = parse(many.data);
    assert_int_equal(cli_status_grid_build(answer, false, &g), MC_ERR_INVALID);
    cli_status_grid_release(&g);
    cJSON_Delete(answer);
    mc_buf_release(&many);
}

static void test_legend(void **state)
{
    cJSON *answer = parse(cohort_answer);
    struct mc_buf b;

    (void)state;
    mc_buf_init(&b, 4096);
    assert_int_equal(cli_status_legend(answer, 0, &b), MC_OK);
    assert_string_equal(b.data,
                        "Standards: S1 Identifying Inequities; S2 Engagement and Access.\n");
    mc_buf_reset(&b);
    assert_int_equal(cli_status_legend(answer, 40, &b), MC_OK);
    assert_string_equal(b.data, "Standards: S1 Identifying Inequities; S2\n"
                                "Engagement and Access.\n");
    cJSON_Delete(answer);
    mc_buf_reset(&b);
    answer = parse("{\"learners\": []}");
    assert_int_equal(cli_status_legend(answer, 0, &b), MC_OK);
    assert_string_equal(b.data, "");
    mc_buf_release(&b);
    cJSON_Delete(answer);
}

static void test_person(void **state)
{
    cJSON *answer = parse(cohort_answer);
    cJSON *ana = cJSON_GetArrayItem(cJSON_GetObjectItem(answer, "learners"), 0);
    cJSON *bo = cJSON_GetArrayItem(cJSON_GetObjectItem(answer, "learners"), 1);
    struct mc_buf b;
    cJSON *rows;
    char *text;

    (void)state;
    mc_buf_init(&b, 4096);
    assert_int_equal(cli_status_person_lines(ana, &b), MC_OK);
    assert_string_equal(
        b.data, "ana.long-address@lincoln.example (Ana): in_progress\n"
                "Missing:\n"
                "  \xE2\x80\xA2 indicator 1.2 is at level 2 (Emerging); it needs 3 (Proficient)\n"
                "  \xE2\x80\xA2 attendance: 4 of the 5 weekly sessions required\n");
    mc_buf_reset(&b);
    assert_int_equal(cli_status_person_lines(bo, &b), MC_OK);
    assert_string_equal(b.data, "bo@x.example (Bo): eligible\n"
                                "Nothing is missing: eligible.\n");

    /* Text from the server cannot move the cursor. */
    mc_buf_reset(&b);
    cJSON *odd = parse("{\"learner\": {\"email\": \"a@x.example\", \"name\": \"\"},"
                       " \"status\": \"in_progress\", \"missing\": [\"x\\u001b[2Jy\\nz\"]}");
    assert_int_equal(cli_status_person_lines(odd, &b), MC_OK);
    assert_string_equal(b.data, "a@x.example: in_progress\n"
                                "Missing:\n"
                                "  \xE2\x80\xA2 x?[2Jy z\n");
    cJSON_Delete(odd);
    mc_buf_release(&b);

    rows = cli_status_indicator_rows(ana);
    assert_non_null(rows);
    text = cJSON_PrintUnformatted(rows);
    assert_string_equal(text, "[{\"code\":\"1.1\",\"level\":\"3\",\"met\":\"yes\"},"
                              "{\"code\":\"1.2\",\"level\":\"2\",\"met\":\"no\"},"
                              "{\"code\":\"1.3\",\"level\":\"-\",\"met\":\"no\"},"
                              "{\"code\":\"2.1\",\"level\":\"4\",\"met\":\"yes\"}]");
    free(text);
    cJSON_Delete(rows);

    /* With the rubric's labels, when the server sends them */
    cJSON *labelled = parse("{\"indicators\": [{\"code\": \"1.1\", \"level\": 2, \"label\": "
                            "\"Emerging\", \"met\": false}, {\"code\": \"1.2\"}]}");
    rows = cli_status_indicator_rows(labelled);
    text = cJSON_PrintUnformatted(rows);
    assert_string_equal(text, "[{\"code\":\"1.1\",\"level\":\"2 Emerging\",\"met\":\"no\"},"
                              "{\"code\":\"1.2\",\"level\":\"?\",\"met\":\"no\"}]");
    free(text);
    cJSON_Delete(rows);
    cJSON_Delete(labelled);
    cJSON_Delete(answer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_grid_invalid), cmocka_unit_test(test_legend),
        cmocka_unit_test(test_person),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
