/*
 * test_cli_table.c — table layout (alignment, UTF-8 widths, shrinking to
 * the terminal with "…"), CSV output, and the JSON-to-cells printers in
 * every format.
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
#include "output.h"
#include "table.h"
#include "text.h"

#include "mcred/banned.h"

static char *layout(const struct cli_table *t, size_t width)
{
    struct mc_buf b;
    mc_buf_init(&b, 1 << 20);
    assert_int_equal(cli_table_layout(t, width, &b), MC_OK);
    char *s = mc_buf_detach(&b, NULL);
    assert_non_null(s);
    return s;
}

/* Every line of `text` is at most `width` columns wide, with no trailing space. */
static void assert_lines_fit(const char *text, size_t width)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        size_t n = (size_t)(nl - p);
        char *line = strndup(p, n);
        assert_non_null(line);
        assert_true(cli_text_width(line) <= width);
        assert_true(n == 0 || line[n - 1] != ' ');
        free(line);
        p = nl + 1;
    }
}

static void test_text_width(void **state)
{
    (void)state;
    assert_int_equal(cli_text_width(""), 0);
    assert_int_equal(cli_text_width("abc"), 3);
    assert_int_equal(cli_text_width("Zo\xC3\xAB"), 3);         /* Zoë */
    assert_int_equal(cli_text_width("\xE2\x80\xA6"), 1);       /* … */
    assert_int_equal(cli_text_width("\xF0\x9F\x8E\x93 x"), 3); /* 🎓 x */
    assert_int_equal(cli_text_width("a\xFF"
                                    "b"),
                     3);                             /* invalid byte: 1 */
    assert_int_equal(cli_text_width("\xE2\x80"), 2); /* cut sequence */
}

static void test_text_clean(void **state)
{
    struct mc_buf b;

    (void)state;
    mc_buf_init(&b, 1024);
    assert_int_equal(cli_text_append_clean(&b,
                                           "a\tb\nc\r\x1b[31md\x7f\xC2\x9B"
                                           "e\xFF",
                                           SIZE_MAX),
                     MC_OK);
    assert_string_equal(b.data, "a b c ?[31md??e?");
    mc_buf_reset(&b);
    /* A cap counts characters and never splits one. */
    assert_int_equal(cli_text_append_clean(&b, "Zo\xC3\xAB!", 3), MC_OK);
    assert_string_equal(b.data, "Zo\xC3\xAB");
    mc_buf_release(&b);
}

static void test_layout_aligned(void **state)
{
    const char *headers[] = {"ID", "NAME", "ROLE"};
    const char *cells[] = {
        "p_1",   "Ada Lovelace", "admin", /* */
        "p_100", "Bob",          NULL,    /* NULL is empty */
    };
    const struct cli_table t = {.ncols = 3, .headers = headers, .nrows = 2, .cells = cells};
    char *s;

    (void)state;
    s = layout(&t, 80);
    assert_string_equal(s, "ID     NAME          ROLE\n"
                           "p_1    Ada Lovelace  admin\n"
                           "p_100  Bob\n"); /* no trailing spaces */
    free(s);

    /* Width 0: no limit at all. */
    s = layout(&t, 0);
    assert_string_equal(s, "ID     NAME          ROLE\n"
                           "p_1    Ada Lovelace  admin\n"
                           "p_100  Bob\n");
    free(s);
}

static void test_layout_utf8(void **state)
{
    const char *headers[] = {"NAME", "SCHOOL"};
    const char *cells[] = {
        "Zo\xC3\xAB",
        "\u00C9cole Jean-Jaur\u00E8s", /* Zoë, École Jean-Jaurès */
        "Bob",
        "Lincoln", /* */
        "\xE7\x8E\x8B\xE8\x8A\xB3",
        "x", /* 王芳 */
    };
    const struct cli_table t = {.ncols = 2, .headers = headers, .nrows = 3, .cells = cells};
    char *s;

    (void)state;
    s = layout(&t, 80);
    assert_string_equal(s, "NAME  SCHOOL\n"
                           "Zo\xC3\xAB   \u00C9cole Jean-Jaur\u00E8s\n"
                           "Bob   Lincoln\n"
                           "\xE7\x8E\x8B\xE8\x8A\xB3    x\n");
    free(s);
}

static void test_layout_shrinks_widest(void **state)
{
    const char *headers[] = {"ID", "EMAIL", "NAME"};
    const char *cells[] = {
        "p_1",
        "ada.lovelace@analytical-engine.example.org",
        "Ada Lovelace",
        "p_2",
        "bob@example.org",
        "Bob",
    };
    const struct cli_table t = {.ncols = 3, .headers = headers, .nrows = 2, .cells = cells};
    char *s;

    (void)state;
    /* Natural width: 3 + 2 + 42 + 2 + 12 = 61; at 40 only EMAIL gives way. */
    s = layout(&t, 40);
    /* avail 36 = 3 + 21 + 12: EMAIL gets 21 columns, 20 characters and "…". */
    assert_string_equal(s, "ID   EMAIL                  NAME\n"
                           "p_1  ada.lovelace@analyti\xE2\x80\xA6  Ada Lovelace\n"
                           "p_2  bob@example.org        Bob\n");
    assert_lines_fit(s, 40);
    free(s);

    /* Narrower (avail 21 = 3 + 9 + 9): both wide columns shrink to the same
     * cap, the id stays whole. */
    s = layout(&t, 25);
    assert_lines_fit(s, 25);
    assert_string_equal(s, "ID   EMAIL      NAME\n"
                           "p_1  ada.love\xE2\x80\xA6  Ada Love\xE2\x80\xA6\n"
                           "p_2  bob@exam\xE2\x80\xA6  Bob\n");
    free(s);
}

static void test_layout_cuts_utf8_and_floor(void **state)
{
    const char *headers[] = {"N", "TEXT"};
    const char *cells[] = {"1", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"};
    const struct cli_table t = {.ncols = 2, .headers = headers, .nrows = 1, .cells = cells};
    char *s;

    (void)state;
    s = layout(&t, 8); /* 1 + 2 + 5 */
    assert_string_equal(s, "N  TEXT\n"
                           "1  \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\xA6\n");
    free(s);
    /* Too narrow for the floors: columns keep their minimum and overflow. */
    s = layout(&t, 3);
    assert_string_equal(s, "N  TEXT\n"
                           "1  \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\xA6\n");
    free(s);
}

static void test_layout_keeps_kept_columns(void **state)
{
    const char *headers[] = {"ID", "EMAIL", "NAME"};
    const bool keep[] = {false, true, false};
    const char *cells[] = {
        "p_1",
        "ada.lovelace@analytical-engine.example.org",
        "Ada Lovelace",
        "p_2",
        "bob@example.org",
        "Bob",
    };
    const struct cli_table t = {
        .ncols = 3, .headers = headers, .keep = keep, .nrows = 2, .cells = cells};
    char *s;

    (void)state;
    /* avail 56 = 3 + 42 + 11: NAME gives way although EMAIL is the widest. */
    s = layout(&t, 60);
    assert_string_equal(s,
                        "ID   EMAIL                                       NAME\n"
                        "p_1  ada.lovelace@analytical-engine.example.org  Ada Lovela\xE2\x80\xA6\n"
                        "p_2  bob@example.org                             Bob\n");
    assert_lines_fit(s, 60);
    free(s);

    /* avail 50 = 3 + 42 + 5: NAME at its minimum, EMAIL still whole. */
    s = layout(&t, 54);
    assert_string_equal(s, "ID   EMAIL                                       NAME\n"
                           "p_1  ada.lovelace@analytical-engine.example.org  Ada \xE2\x80\xA6\n"
                           "p_2  bob@example.org                             Bob\n");
    assert_lines_fit(s, 54);
    free(s);

    /* A kept id stays whole while a wide kept-less column shrinks. */
    const bool keep_id[] = {true, false, false};
    const struct cli_table t_id = {
        .ncols = 3, .headers = headers, .keep = keep_id, .nrows = 2, .cells = cells};
    s = layout(&t_id, 25);
    assert_lines_fit(s, 25);
    assert_non_null(strstr(s, "p_1  "));
    assert_non_null(strstr(s, "p_2  "));
    free(s);
}

static void test_layout_kept_too_wide(void **state)
{
    const char *headers[] = {"ID", "EMAIL", "NAME"};
    const bool keep[] = {false, true, false};
    const char *cells[] = {
        "p_1",
        "ada.lovelace@analytical-engine.example.org",
        "Ada Lovelace",
        "p_2",
        "bob@example.org",
        "Bob",
    };
    const struct cli_table t = {
        .ncols = 3, .headers = headers, .keep = keep, .nrows = 2, .cells = cells};
    const struct cli_table plain = {.ncols = 3, .headers = headers, .nrows = 2, .cells = cells};
    char *s, *p;

    (void)state;
    /* EMAIL whole and NAME at 5 need 54 columns: everything shrinks as if
     * nothing were kept, and the lines fit. */
    for (size_t width = 20; width < 54; width++) {
        s = layout(&t, width);
        p = layout(&plain, width);
        assert_lines_fit(s, width);
        assert_string_equal(s, p);
        free(p);
        free(s);
    }
    s = layout(&t, 25);
    assert_string_equal(s, "ID   EMAIL      NAME\n"
                           "p_1  ada.love\xE2\x80\xA6  Ada Love\xE2\x80\xA6\n"
                           "p_2  bob@exam\xE2\x80\xA6  Bob\n");
    free(s);
}

static void test_layout_kept_rows(void **state)
{
    /* A field/value table: the Email row stays whole, Note gives way. */
    const char *cells[] = {
        "Email",        "ada.lovelace@analytical-engine.example.org", /* */
        "Organisation", "Analytical Engine Society of London",        /* */
        "Note",         "first programmer, and a very long note about her",
    };
    const bool keep_rows[] = {true, false, false};
    const struct cli_table t = {.ncols = 2, .nrows = 3, .cells = cells, .keep_rows = keep_rows};
    char *s;

    (void)state;
    /* avail 48 = 6 + 42: the labels give way too. */
    s = layout(&t, 50);
    assert_lines_fit(s, 50);
    assert_string_equal(s, "Email   ada.lovelace@analytical-engine.example.org\n"
                           "Organ\xE2\x80\xA6  Analytical Engine Society of London\n"
                           "Note    first programmer, and a very long note ab\xE2\x80\xA6\n");
    free(s);
}

static void test_layout_no_header_and_cleaning(void **state)
{
    const char *cells[] = {"Name", "Zo\xC3\xAB \x1b[31mRed", "Feedback", "line one\nline two"};
    const struct cli_table t = {.ncols = 2, .headers = NULL, .nrows = 2, .cells = cells};
    char *s;

    (void)state;
    s = layout(&t, 80);
    assert_string_equal(s, "Name      Zo\xC3\xAB ?[31mRed\n"
                           "Feedback  line one line two\n");
    free(s);
}

static void test_csv(void **state)
{
    const char *headers[] = {"id", "name", "note"};
    const char *cells[] = {
        "p_1",         "Lovelace, Ada",
        "said \"hi\"", /* */
        "p_2",         "Bob",
        "two\nlines", /* */
        "p_3",         NULL,
        " padded", /* */
    };
    const struct cli_table t = {.ncols = 3, .headers = headers, .nrows = 3, .cells = cells};
    struct mc_buf b;

    (void)state;
    mc_buf_init(&b, 4096);
    assert_int_equal(cli_table_csv(&t, &b), MC_OK);
    assert_string_equal(b.data, "id,name,note\r\n"
                                "p_1,\"Lovelace, Ada\",\"said \"\"hi\"\"\"\r\n"
                                "p_2,Bob,\"two\nlines\"\r\n"
                                "p_3,,\" padded\"\r\n");
    mc_buf_release(&b);
}

/* ---- printing JSON through a context ---- */

struct capture {
    char *out_text, *err_text;
    size_t out_len, err_len;
    struct cli_ctx ctx;
};

static void capture_open(struct capture *c, enum cli_format format, size_t width)
{
    memset(c, 0, sizeof(*c));
    c->ctx.url = "http://127.0.0.1:9";
    c->ctx.format = format;
    c->ctx.width = width;
    c->ctx.out = open_memstream(&c->out_text, &c->out_len);
    c->ctx.err = open_memstream(&c->err_text, &c->err_len);
    assert_non_null(c->ctx.out);
    assert_non_null(c->ctx.err);
}

static void capture_close(struct capture *c)
{
    (void)fclose(c->ctx.out);
    (void)fclose(c->ctx.err);
}

static void capture_free(struct capture *c)
{
    free(c->out_text);
    free(c->err_text);
}

static const char people_json[] =
    "{\"items\": ["
    "{\"id\": \"p_1\", \"name\": \"Lovelace, Ada\", \"level\": 3, \"active\": true,"
    " \"roles\": [\"coach\", \"learner\"], \"person\": {\"email\": \"ada@example.org\"}},"
    "{\"id\": \"p_2\", \"name\": \"Bob \\\"B\\\"\", \"level\": 2.5, \"active\": false,"
    " \"roles\": [], \"note\": null}"
    "], \"next\": null}";

static const struct cli_column people_columns[] = {
    {.key = "id", .header = "ID"},
    {.key = "name", .header = "NAME"},
    {.key = "person.email", .header = "EMAIL"},
    {.key = "level", .header = "LEVEL"},
    {.key = "active", .header = "ACTIVE"},
    {.key = "roles", .header = "ROLES"},
    {.key = NULL},
};

static void response_from(struct cli_response *r, const char *body)
{
    cli_response_init(r);
    r->status = 200;
    assert_int_equal(mc_buf_appends(&r->body, body), MC_OK);
}

static void test_print_items_formats(void **state)
{
    struct cli_response resp;
    struct capture c;

    (void)state;
    response_from(&resp, people_json);

    capture_open(&c, CLI_FORMAT_TABLE, 80);
    assert_int_equal(cli_response_print_items(&c.ctx, &resp, people_columns), CLI_EXIT_OK);
    capture_close(&c);
    assert_string_equal(c.out_text,
                        "ID   NAME           EMAIL            LEVEL  ACTIVE  ROLES\n"
                        "p_1  Lovelace, Ada  ada@example.org  3      true    coach, learner\n"
                        "p_2  Bob \"B\"                         2.5    false\n");
    assert_string_equal(c.err_text, "");
    capture_free(&c);

    capture_open(&c, CLI_FORMAT_CSV, 80);
    assert_int_equal(cli_response_print_items(&c.ctx, &resp, people_columns), CLI_EXIT_OK);
    capture_close(&c);
    assert_string_equal(c.out_text,
                        "id,name,person.email,level,active,roles\r\n"
                        "p_1,\"Lovelace, Ada\",ada@example.org,3,true,\"coach, learner\"\r\n"
                        "p_2,\"Bob \"\"B\"\"\",,2.5,false,\r\n");
    capture_free(&c);

    /* --json: the body exactly as it came, and a newline. */
    capture_open(&c, CLI_FORMAT_JSON, 80);
    assert_int_equal(cli_response_print_items(&c.ctx, &resp, people_columns), CLI_EXIT_OK);
    capture_close(&c);
    assert_int_equal(c.out_len, strlen(people_json) + 1);
    assert_memory_equal(c.out_text, people_json, strlen(people_json));
    assert_int_equal(c.out_text[c.out_len - 1], '\n');
    capture_free(&c);

    cli_response_release(&resp);
}

static void test_print_items_narrow(void **state)
{
    struct cli_response resp;
    struct capture c;

    (void)state;
    response_from(&resp, people_json);
    capture_open(&c, CLI_FORMAT_TABLE, 40);
    assert_int_equal(cli_response_print_items(&c.ctx, &resp, people_columns), CLI_EXIT_OK);
    capture_close(&c);
    assert_lines_fit(c.out_text, 40);
    assert_non_null(strstr(c.out_text, "\xE2\x80\xA6"));
    assert_non_null(strstr(c.out_text, "p_1  ")); /* short columns stay whole */
    capture_free(&c);
    cli_response_release(&resp);
}

static void test_print_items_bad_answers(void **state)
{
    struct cli_response resp;
    struct capture c;

    (void)state;
    response_from(&resp, "{\"item\": []}");
    capture_open(&c, CLI_FORMAT_TABLE, 80);
    assert_int_equal(cli_response_print_items(&c.ctx, &resp, people_columns), CLI_EXIT_ERROR);
    capture_close(&c);
    assert_string_equal(c.out_text, "");
    assert_string_equal(c.err_text, "mcred: the server's answer has no list of items\n");
    capture_free(&c);
    cli_response_release(&resp);

    response_from(&resp, "<html>");
    capture_open(&c, CLI_FORMAT_CSV, 80);
    assert_int_equal(cli_response_print_items(&c.ctx, &resp, people_columns), CLI_EXIT_ERROR);
    capture_close(&c);
    assert_string_equal(c.err_text, "mcred: server answered 200 with a body that is not JSON\n");
    capture_free(&c);
    cli_response_release(&resp);

    /* An empty list: just the header. */
    response_from(&resp, "{\"items\": [], \"next\": null}");
    capture_open(&c, CLI_FORMAT_TABLE, 80);
    assert_int_equal(cli_response_print_items(&c.ctx, &resp, people_columns), CLI_EXIT_OK);
    capture_close(&c);
    assert_string_equal(c.out_text, "ID  NAME  EMAIL  LEVEL  ACTIVE  ROLES\n");
    capture_free(&c);
    cli_response_release(&resp);
}

static const char me_json[] =
    "{\"person\": {\"id\": \"p_1\", \"email\": \"zo\\u00eb@example.org\", \"name\": \"Zo\\u00eb\","
    " \"org_role\": \"admin\"}, \"org\": {\"id\": \"o_1\", \"slug\": \"springfield\","
    " \"name\": \"Springfield District\"}, \"roles\": [\"admin\"]}";

static const struct cli_column me_fields[] = {
    {.key = "person.name", .header = "Name"},       {.key = "person.email", .header = "Email"},
    {.key = "org.name", .header = "Organisation"},  {.key = "roles", .header = "Roles"},
    {.key = "person.missing", .header = "Missing"}, {.key = NULL},
};

static void test_print_object(void **state)
{
    struct cli_response resp;
    struct capture c;

    (void)state;
    response_from(&resp, me_json);

    capture_open(&c, CLI_FORMAT_TABLE, 80);
    assert_int_equal(cli_response_print_object(&c.ctx, &resp, me_fields), CLI_EXIT_OK);
    capture_close(&c);
    assert_string_equal(c.out_text, "Name          Zo\xC3\xAB\n"
                                    "Email         zo\xC3\xAB@example.org\n"
                                    "Organisation  Springfield District\n"
                                    "Roles         admin\n"
                                    "Missing\n");
    capture_free(&c);

    capture_open(&c, CLI_FORMAT_CSV, 80);
    assert_int_equal(cli_response_print_object(&c.ctx, &resp, me_fields), CLI_EXIT_OK);
    capture_close(&c);
    assert_string_equal(c.out_text,
                        "person.name,person.email,org.name,roles,person.missing\r\n"
                        "Zo\xC3\xAB,zo\xC3\xAB@example.org,Springfield District,admin,\r\n");
    capture_free(&c);

    capture_open(&c, CLI_FORMAT_JSON, 80);
    assert_int_equal(cli_response_print_object(&c.ctx, &resp, me_fields), CLI_EXIT_OK);
    capture_close(&c);
    assert_int_equal(c.out_len, strlen(me_json) + 1);
    capture_free(&c);

    cli_response_release(&resp);
}

static void test_print_kept(void **state)
{
    static const struct cli_column kept_columns[] = {
        {.key = "id", .header = "ID", .keep = true},
        {.key = "name", .header = "NAME"},
        {.key = "person.email", .header = "EMAIL", .keep = true},
        {.key = "roles", .header = "ROLES"},
        {.key = NULL},
    };
    static const struct cli_column kept_fields[] = {
        {.key = "org.name", .header = "Organisation"},
        {.key = "person.email", .header = "Email", .keep = true},
        {.key = NULL},
    };
    struct cli_response resp;
    struct capture c;

    (void)state;
    response_from(&resp, people_json);
    capture_open(&c, CLI_FORMAT_TABLE, 34);
    assert_int_equal(cli_response_print_items(&c.ctx, &resp, kept_columns), CLI_EXIT_OK);
    capture_close(&c);
    assert_lines_fit(c.out_text, 34);
    assert_non_null(strstr(c.out_text, "p_1  "));
    assert_non_null(strstr(c.out_text, "  ada@example.org  ")); /* whole */
    capture_free(&c);
    cli_response_release(&resp);

    /* One object: the kept field's row stays whole, the labels give way. */
    response_from(&resp, me_json);
    capture_open(&c, CLI_FORMAT_TABLE, 24);
    assert_int_equal(cli_response_print_object(&c.ctx, &resp, kept_fields), CLI_EXIT_OK);
    capture_close(&c);
    assert_lines_fit(c.out_text, 24);
    assert_string_equal(c.out_text, "Organi\xE2\x80\xA6  Springfield Di\xE2\x80\xA6\n"
                                    "Email    zo\xC3\xAB@example.org\n");
    capture_free(&c);
    cli_response_release(&resp);
}

static void test_json_path_and_cells(void **state)
{
    cJSON *root = cJSON_Parse("{\"a\": {\"b\": {\"c\": 7}}, \"a.b\": 1, \"n\": null, \"f\": 0.5,"
                              " \"big\": 12345678901, \"o\": {\"x\": [1, {\"y\": 2}]},"
                              " \"list\": [\"x\", 2, true, null]}");
    struct mc_buf b;

    (void)state;
    assert_non_null(root);
    mc_buf_init(&b, 4096);
    assert_int_equal(cJSON_GetNumberValue(cli_json_path(root, "a.b.c")), 7);
    assert_null(cli_json_path(root, "a.x"));
    assert_null(cli_json_path(root, "a.b.c.d"));
    assert_null(cli_json_path(root, "a."));
    assert_null(cli_json_path(root, ""));

    static const struct {
        const char *path, *text;
    } cells[] = {
        {"a.b.c", "7"},           {"n", ""},       {"f", "0.5"},
        {"big", "12345678901"},   {"missing", ""}, {"o", "{\"x\":[1,{\"y\":2}]}"},
        {"list", "x, 2, true, "},
    };
    for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
        mc_buf_reset(&b);
        assert_int_equal(cli_json_cell(cli_json_path(root, cells[i].path), &b), MC_OK);
        assert_string_equal(b.data, cells[i].text);
    }
    mc_buf_release(&b);
    cJSON_Delete(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_width),
        cmocka_unit_test(test_text_clean),
        cmocka_unit_test(test_layout_aligned),
        cmocka_unit_test(test_layout_utf8),
        cmocka_unit_test(test_layout_shrinks_widest),
        cmocka_unit_test(test_layout_cuts_utf8_and_floor),
        cmocka_unit_test(test_layout_keeps_kept_columns),
        cmocka_unit_test(test_layout_kept_too_wide),
        cmocka_unit_test(test_layout_kept_rows),
        cmocka_unit_test(test_layout_no_header_and_cleaning),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_print_items_formats),
        cmocka_unit_test(test_print_items_narrow),
        cmocka_unit_test(test_print_items_bad_answers),
        cmocka_unit_test(test_print_object),
        cmocka_unit_test(test_print_kept),
        cmocka_unit_test(test_json_path_and_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
