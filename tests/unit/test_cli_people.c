/*
 * test_cli_people.c — how `mcred people` words and lays out answers: the
 * roster import's summary and per-row error lines, and people as tables
 * and CSV with their attributes spread into columns (or summed up in one
 * when there are many), without a server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "person.h"
#include "roster_report.h"

#include "mcred/banned.h"

static cJSON *parse(const char *text)
{
    cJSON *v = cJSON_Parse(text);
    assert_non_null(v);
    return v;
}

static void assert_error_line(const char *entry, const char *expected)
{
    cJSON *e = parse(entry);
    struct mc_buf b;

    mc_buf_init(&b, CLI_ROSTER_MAX_LINE);
    assert_int_equal(cli_roster_error_line(e, &b), MC_OK);
    assert_string_equal(b.data, expected);
    mc_buf_release(&b);
    cJSON_Delete(e);
}

static void test_error_lines(void **state)
{
    (void)state;
    assert_error_line("{\"row\": 4, \"column\": \"email\", "
                      "\"message\": \"\\\"ana@\\\" is not an e-mail address\"}",
                      "row 4, email: \"ana@\" is not an e-mail address");
    assert_error_line("{\"row\": 9, \"column\": null, \"message\": \"unterminated quote\"}",
                      "row 9: unterminated quote");
    assert_error_line("{\"row\": 2, \"column\": \"\", \"message\": \"too many fields\"}",
                      "row 2: too many fields");
    assert_error_line("{\"column\": \"school\", \"message\": \"too long\"}", "school: too long");
    assert_error_line("{\"row\": 0, \"message\": \"the roster is empty\"}", "the roster is empty");
    assert_error_line("{\"row\": 12}", "row 12: (an error the server did not describe)");
    assert_error_line("\"just text\"", "(an error the server did not describe)");
    /* What the server says is cleaned for the terminal. */
    assert_error_line("{\"row\": 3, \"column\": \"na\\u001bme\", "
                      "\"message\": \"bad\\nvalue\\u001b[31m\"}",
                      "row 3, na?me: bad value?[31m");
}

static void assert_summary(const char *answer, const char *expected)
{
    cJSON *a = parse(answer);
    struct mc_buf b;

    mc_buf_init(&b, 256);
    assert_int_equal(cli_roster_summary(a, &b), MC_OK);
    assert_string_equal(b.data, expected);
    mc_buf_release(&b);
    cJSON_Delete(a);
}

static void test_summary(void **state)
{
    (void)state;
    assert_summary("{\"dry_run\": false, \"rows\": 3, \"created\": 2, \"updated\": 1, "
                   "\"unchanged\": 0, \"errors\": []}",
                   "imported 3 rows: 2 created, 1 updated, 0 unchanged");
    assert_summary("{\"dry_run\": true, \"rows\": 1, \"created\": 0, \"updated\": 0, "
                   "\"unchanged\": 1}",
                   "dry run: would import 1 row: 0 created, 0 updated, 1 unchanged");
    assert_summary("{\"rows\": 0}", "imported 0 rows: 0 created, 0 updated, 0 unchanged");
    assert_summary("{\"rows\": -4, \"created\": \"x\", \"updated\": 1e300}",
                   "imported 0 rows: 0 created, 0 updated, 0 unchanged");
}

struct capture {
    char *out_text, *err_text;
    size_t out_len, err_len;
    struct cli_ctx ctx;
};

static void capture_open(struct capture *c, enum cli_format format, size_t width)
{
    memset(c, 0, sizeof(*c));
    c->ctx.url = "http://127.0.0.1:1";
    c->ctx.format = format;
    c->ctx.width = width;
    c->ctx.out = open_memstream(&c->out_text, &c->out_len);
    c->ctx.err = open_memstream(&c->err_text, &c->err_len);
    assert_non_null(c->ctx.out);
    assert_non_null(c->ctx.err);
}

static void capture_close(struct capture *c)
{
    assert_int_equal(fclose(c->ctx.out), 0);
    assert_int_equal(fclose(c->ctx.err), 0);
}

static void capture_free(struct capture *c)
{
    free(c->out_text);
    free(c->err_text);
}

static const char people_page[] =
    "{\"items\": ["
    "{\"id\": \"p1\", \"email\": \"ana@lincoln.example\", \"name\": \"Ana Ruiz\", "
    "\"org_role\": \"none\", \"attributes\": {\"school\": \"Lincoln, Elementary\", "
    "\"position\": \"principal\"}},"
    "{\"id\": \"p2\", \"email\": \"bo@polk.example\", \"name\": \"Bo\", \"org_role\": \"leader\", "
    "\"attributes\": {\"region\": \"north\"}},"
    "{\"id\": \"p3\", \"email\": \"cy@x.example\", \"name\": \"Cy\", \"org_role\": \"none\", "
    "\"attributes\": {}}"
    "], \"next\": \"abc\"}";

static void test_people_table(void **state)
{
    cJSON *list = parse(people_page);
    struct capture c;

    (void)state;
    capture_open(&c, CLI_FORMAT_TABLE, 0);
    assert_int_equal(cli_people_print(&c.ctx, list), CLI_EXIT_OK);
    capture_close(&c);
    /* Attribute columns sorted by name, empty where a person has none. */
    assert_string_equal(
        c.out_text,
        "EMAIL                NAME      ROLE    POSITION   REGION  SCHOOL\n"
        "ana@lincoln.example  Ana Ruiz  none    principal          Lincoln, Elementary\n"
        "bo@polk.example      Bo        leader             north\n"
        "cy@x.example         Cy        none\n");
    assert_string_equal(c.err_text, "");
    capture_free(&c);
    cJSON_Delete(list);
}

static void test_people_csv_is_a_roster(void **state)
{
    cJSON *list = parse(people_page);
    struct capture c;

    (void)state;
    capture_open(&c, CLI_FORMAT_CSV, 0);
    assert_int_equal(cli_people_print(&c.ctx, list), CLI_EXIT_OK);
    capture_close(&c);
    assert_string_equal(c.out_text, "email,name,role,position,region,school\r\n"
                                    "ana@lincoln.example,Ana Ruiz,none,principal,,\"Lincoln, "
                                    "Elementary\"\r\n"
                                    "bo@polk.example,Bo,leader,,north,\r\n"
                                    "cy@x.example,Cy,none,,,\r\n");
    capture_free(&c);
    cJSON_Delete(list);
}

static void test_people_many_attributes(void **state)
{
    cJSON *list =
        parse("{\"items\": [{\"email\": \"a@x\", \"name\": \"A\", \"org_role\": \"none\", "
              "\"attributes\": {\"g\": \"7\", \"a\": \"1\", \"b\": \"2\", \"c\": \"3\", "
              "\"d\": \"4\", \"e\": \"5\", \"f\": \"6\", \"Bad Key\": \"x\"}}], "
              "\"next\": null}");
    struct capture c;

    (void)state;
    /* A table sums them up in one column ... */
    capture_open(&c, CLI_FORMAT_TABLE, 0);
    assert_int_equal(cli_people_print(&c.ctx, list), CLI_EXIT_OK);
    capture_close(&c);
    assert_string_equal(c.out_text, "EMAIL  NAME  ROLE  ATTRIBUTES\n"
                                    "a@x    A     none  a=1, b=2, c=3, d=4, e=5, f=6, g=7\n");
    capture_free(&c);

    /* ... CSV keeps a column each.  A name the server would not make is left out. */
    capture_open(&c, CLI_FORMAT_CSV, 0);
    assert_int_equal(cli_people_print(&c.ctx, list), CLI_EXIT_OK);
    capture_close(&c);
    assert_string_equal(c.out_text, "email,name,role,a,b,c,d,e,f,g\r\n"
                                    "a@x,A,none,1,2,3,4,5,6,7\r\n");
    capture_free(&c);
    cJSON_Delete(list);
}

static void test_people_json_and_errors(void **state)
{
    cJSON *list = parse(people_page);
    cJSON *bad = parse("{\"next\": null}");
    struct capture c;

    (void)state;
    capture_open(&c, CLI_FORMAT_JSON, 0);
    assert_int_equal(cli_people_print(&c.ctx, list), CLI_EXIT_OK);
    capture_close(&c);
    assert_memory_equal(c.out_text, "{\"items\":[{\"id\":\"p1\"", 20);
    assert_non_null(strstr(c.out_text, "\"next\":\"abc\"}\n"));
    capture_free(&c);

    capture_open(&c, CLI_FORMAT_TABLE, 0);
    assert_int_equal(cli_people_print(&c.ctx, bad), CLI_EXIT_ERROR);
    capture_close(&c);
    assert_string_equal(c.err_text, "mcred: the server's answer has no list of items\n");
    capture_free(&c);
    cJSON_Delete(bad);
    cJSON_Delete(list);
}

static void test_person_object(void **state)
{
    cJSON *p = parse("{\"id\": \"p1\", \"email\": \"ana@lincoln.example\", \"name\": \"Ana\", "
                     "\"org_role\": \"none\", \"attributes\": {\"school\": \"Lincoln\", "
                     "\"id\": \"A-7\"}, \"created_at\": \"2026-09-01T12:00:00Z\", "
                     "\"updated_at\": \"2026-09-02T12:00:00Z\"}");
    struct capture c;

    (void)state;
    /* An attribute may be called "id": it stays apart from the person's id. */
    capture_open(&c, CLI_FORMAT_TABLE, 0);
    assert_int_equal(cli_person_print(&c.ctx, p), CLI_EXIT_OK);
    capture_close(&c);
    assert_string_equal(c.out_text, "Id       p1\n"
                                    "Email    ana@lincoln.example\n"
                                    "Name     Ana\n"
                                    "Role     none\n"
                                    "id       A-7\n"
                                    "school   Lincoln\n"
                                    "Created  2026-09-01T12:00:00Z\n"
                                    "Updated  2026-09-02T12:00:00Z\n");
    capture_free(&c);

    capture_open(&c, CLI_FORMAT_CSV, 0);
    assert_int_equal(cli_person_print(&c.ctx, p), CLI_EXIT_OK);
    capture_close(&c);
    assert_string_equal(c.out_text,
                        "id,email,name,org_role,attributes.id,attributes.school,created_at,"
                        "updated_at\r\n"
                        "p1,ana@lincoln.example,Ana,none,A-7,Lincoln,2026-09-01T12:00:00Z,"
                        "2026-09-02T12:00:00Z\r\n");
    capture_free(&c);
    cJSON_Delete(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_lines),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_people_table),
        cmocka_unit_test(test_people_csv_is_a_roster),
        cmocka_unit_test(test_people_many_attributes),
        cmocka_unit_test(test_people_json_and_errors),
        cmocka_unit_test(test_person_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
