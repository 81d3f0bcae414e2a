/*
 * test_credentials.c — credential frameworks over HTTP: POST, GET (list
 * and one), publish, against docs/api.md §Credentials.
 *
 *   - the seed tests/fixtures/equity-excellence.json imports (201) and
 *     reads back as imported, standards and indicators in their order;
 *   - importing the same slug and version again replaces the draft (200,
 *     same id, no leftover standards or indicators);
 *   - publish (200); after it, every change is 409 and changes nothing:
 *     the same slug and version imported again, publish again;
 *   - version 2 is a new credential (201, its own id, a draft);
 *   - each kind of mistake is 422 with `error.field` naming the field
 *     exactly, and nothing is written (rows counted as the superuser);
 *   - defaults (rubric, award rule) and a rubric given out of order.
 *
 * Every case runs in an organisation of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_cluster cluster;
static struct h_db db;
static struct h_server server;

static int setup(void **state)
{
    h_cluster_get(&cluster);
    h_db_create(&cluster, &db);
    h_server_start(&db, NULL, &server);
    return 0;
}

static int teardown(void **state)
{
    int st = h_server_stop(&server);
    h_cluster_release(&cluster);
    return st == 0 ? 0 : -1;
}

struct org {
    char slug[32];
    char *admin;       /* the bootstrap admin's token */
    char *coordinator; /* a coordinator's token: credentials are the coordinator's work */
};

static void new_org(struct org *o)
{
    static unsigned n;
    snprintf(o->slug, sizeof o->slug, "cred-%u", ++n);
    char *email = h_strf("admin@%s.example", o->slug);
    o->admin = h_bootstrap(&server, o->slug, email);
    free(email);
    struct h_response r;
    char *body = h_strf("{\"email\": \"coordinator@%s.example\", \"name\": \"Coordinator\","
                        " \"org_role\": \"coordinator\"}",
                        o->slug);
    h_call(&server, "POST", "/v1/people", o->admin, body, 201, &r);
    free(body);
    body = h_strf("{\"name\": \"credentials\", \"person\": \"%s\"}", h_json_string(r.json, "id"));
    h_response_free(&r);
    h_call(&server, "POST", "/v1/tokens", o->admin, body, 201, &r);
    o->coordinator = strdup(h_json_string(r.json, "token"));
    h_response_free(&r);
    free(body);
}

static void org_free(struct org *o)
{
    free(o->admin);
    free(o->coordinator);
}

static cJSON *seed(void)
{
    char *text = h_file_read(MCRED_FIXTURES_DIR "/equity-excellence.json", NULL);
    cJSON *j = cJSON_Parse(text);
    if (!j)
        fail_msg("could not read %s", MCRED_FIXTURES_DIR "/equity-excellence.json");
    free(text);
    return j;
}

static void import(const struct org *o, const cJSON *framework, struct h_response *r)
{
    char *body = cJSON_PrintUnformatted(framework);
    h_post_json(&server, "/v1/credentials", o->coordinator, body, r);
    free(body);
}

static void import_expect(const struct org *o, const cJSON *framework, long want,
                          struct h_response *r)
{
    import(o, framework, r);
    if (r->status != want)
        fail_msg("POST /v1/credentials (%s version %ld): got %ld, want %ld; answer: %.2000s",
                 h_json_string(framework, "slug"), h_json_long(framework, "version"), r->status,
                 want, r->body);
}

/* Everything of the organisation's credentials, as the superuser sees it. */
static char *snapshot(const struct org *o)
{
    char *sql =
        h_strf("WITH o AS (SELECT id FROM mcred.orgs WHERE slug = '%s')"
               " SELECT concat_ws(' / ',"
               "  (SELECT count(*) FROM mcred.credentials, o WHERE org_id = o.id),"
               "  (SELECT count(*) FROM mcred.standards, o WHERE org_id = o.id),"
               "  (SELECT count(*) FROM mcred.indicators, o WHERE org_id = o.id),"
               "  (SELECT count(*) FROM mcred.audit, o WHERE org_id = o.id),"
               "  (SELECT count(*) FROM mcred.events, o WHERE org_id = o.id),"
               "  (SELECT string_agg(md5(c::text), ',' ORDER BY c.id) FROM mcred.credentials c, o"
               "   WHERE c.org_id = o.id),"
               "  (SELECT string_agg(md5(s::text), ',' ORDER BY s.credential_id, s.code)"
               "   FROM mcred.standards s, o WHERE s.org_id = o.id),"
               "  (SELECT string_agg(md5(i::text), ',' ORDER BY i.credential_id, i.code)"
               "   FROM mcred.indicators i, o WHERE i.org_id = o.id))",
               o->slug);
    char *v = h_db_query_super(&db, sql);
    free(sql);
    return v;
}

/* The answer holds the framework as imported (the answer may add fields). */
static void expect_framework(const cJSON *answer, const cJSON *framework, const char *what)
{
    char where[256];
    if (!h_json_contains(answer, framework, where, sizeof where)) {
        char *text = cJSON_PrintUnformatted(answer);
        fail_msg("%s: differs from the imported framework at %s; answer: %.3000s", what, where,
                 text);
    }
}

/* Standard codes and indicator codes in the answer's order, "1:1.1,1.2 2:2.1" */
static char *outline(const cJSON *credential)
{
    char buf[2048] = "";
    size_t len = 0;
    const cJSON *st;
    cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(credential, "standards"))
    {
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s:", len ? " " : "",
                                h_json_string(st, "code"));
        const cJSON *ind;
        int i = 0;
        cJSON_ArrayForEach(ind, cJSON_GetObjectItemCaseSensitive(st, "indicators")) len +=
            (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i++ ? "," : "",
                             h_json_string(ind, "code"));
    }
    return strdup(buf);
}

static void expect_outline(const cJSON *credential, const char *want, const char *what)
{
    char *got = outline(credential);
    if (strcmp(got, want) != 0)
        fail_msg("%s: standards and indicators %s, want %s", what, got, want);
    free(got);
}

#define SEED_OUTLINE "1:1.1,1.2,1.3 2:2.1,2.2,2.3 3:3.1,3.2,3.3 4:4.1,4.2,4.3"

static void test_import_replace_publish(void **state)
{
    struct org o;
    new_org(&o);
    cJSON *fw = seed();
    struct h_response r;

    /* a new slug and version: 201, the framework back, a draft */
    import_expect(&o, fw, 201, &r);
    expect_framework(r.json, fw, "POST /v1/credentials");
    assert_string_equal(h_json_string(r.json, "status"), "draft");
    assert_true(cJSON_IsNull(h_json_at(r.json, "published_at")));
    assert_non_null(h_json_string(r.json, "created_at"));
    assert_non_null(h_json_string(r.json, "updated_at"));
    expect_outline(r.json, SEED_OUTLINE, "POST /v1/credentials");
    /* the seed gives no weekly_sessions: the default is 6 */
    assert_int_equal(h_json_long(r.json, "award_rule.weekly_sessions"), 6);
    char *id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);

    /* GET one: the whole framework, in order */
    char *path = h_strf("/v1/credentials/%s", id);
    h_call(&server, "GET", path, o.coordinator, NULL, 200, &r);
    expect_framework(r.json, fw, "GET /v1/credentials/{id}");
    assert_string_equal(h_json_string(r.json, "id"), id);
    assert_string_equal(h_json_string(r.json, "status"), "draft");
    expect_outline(r.json, SEED_OUTLINE, "GET /v1/credentials/{id}");
    h_response_free(&r);

    /* GET the list: one item with its counts */
    h_call(&server, "GET", "/v1/credentials", o.coordinator, NULL, 200, &r);
    assert_int_equal(cJSON_GetArraySize(h_json_at(r.json, "items")), 1);
    assert_true(cJSON_IsNull(h_json_at(r.json, "next")));
    assert_string_equal(h_json_string(h_json_at(r.json, "items[0]"), "id"), id);
    assert_string_equal(h_json_string(h_json_at(r.json, "items[0]"), "slug"), "equity-excellence");
    assert_int_equal(h_json_long(r.json, "items[0].version"), 1);
    assert_string_equal(h_json_string(h_json_at(r.json, "items[0]"), "title"),
                        "Equity and Excellence");
    assert_string_equal(h_json_string(h_json_at(r.json, "items[0]"), "achievement_type"),
                        "MicroCredential");
    assert_string_equal(h_json_string(h_json_at(r.json, "items[0]"), "status"), "draft");
    assert_int_equal(h_json_long(r.json, "items[0].standards"), 4);
    assert_int_equal(h_json_long(r.json, "items[0].indicators"), 12);
    assert_non_null(h_json_string(h_json_at(r.json, "items[0]"), "created_at"));
    assert_true(cJSON_IsNull(h_json_at(r.json, "items[0].published_at")));
    h_response_free(&r);

    /* the same slug and version while a draft: replaced (200, same id), nothing left over */
    cJSON *revised = seed();
    cJSON_ReplaceItemInObjectCaseSensitive(revised, "title",
                                           cJSON_CreateString("Equity and Excellence (revised)"));
    cJSON *ind4 = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(revised, "standards"), 3),
        "indicators");
    cJSON_DeleteItemFromArray(ind4, 2); /* 4.3 goes */
    cJSON *ind1 = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(revised, "standards"), 0),
        "indicators");
    cJSON_AddItemToArray(
        ind1, cJSON_Parse("{\"code\": \"1.4\", \"text\": \"Reports progress to the board.\"}"));
    import_expect(&o, revised, 200, &r);
    assert_string_equal(h_json_string(r.json, "id"), id);
    assert_string_equal(h_json_string(r.json, "status"), "draft");
    expect_framework(r.json, revised, "POST /v1/credentials (replacing the draft)");
    h_response_free(&r);
    h_call(&server, "GET", path, o.coordinator, NULL, 200, &r);
    expect_framework(r.json, revised, "GET /v1/credentials/{id} after the replacement");
    expect_outline(r.json, "1:1.1,1.2,1.3,1.4 2:2.1,2.2,2.3 3:3.1,3.2,3.3 4:4.1,4.2",
                   "GET after the replacement");
    h_response_free(&r);
    char *sql = h_strf("SELECT count(*) FROM mcred.credentials WHERE slug = 'equity-excellence'"
                       " AND org_id = (SELECT id FROM mcred.orgs WHERE slug = '%s')",
                       o.slug);
    assert_int_equal(h_db_long_super(&db, sql), 1);
    free(sql);
    sql = h_strf("SELECT count(*) FROM mcred.indicators WHERE credential_id = '%s'", id);
    assert_int_equal(h_db_long_super(&db, sql), 12);
    free(sql);

    /* back to the seed, then publish */
    import_expect(&o, fw, 200, &r);
    h_response_free(&r);
    char *publish = h_strf("/v1/credentials/%s/publish", id);
    h_call(&server, "POST", publish, o.coordinator, NULL, 200, &r);
    assert_string_equal(h_json_string(r.json, "status"), "published");
    assert_non_null(h_json_string(r.json, "published_at"));
    expect_framework(r.json, fw, "POST /v1/credentials/{id}/publish");
    h_response_free(&r);

    /* after publishing, every change is 409 and changes nothing */
    char *before = snapshot(&o);
    import_expect(&o, fw, 409, &r);
    assert_string_equal(h_json_string(r.json, "error.code"), "conflict");
    h_response_free(&r);
    import_expect(&o, revised, 409, &r);
    assert_string_equal(h_json_string(r.json, "error.code"), "conflict");
    h_response_free(&r);
    h_call(&server, "POST", publish, o.coordinator, NULL, 409, &r);
    assert_string_equal(h_json_string(r.json, "error.code"), "conflict");
    h_response_free(&r);
    char *after = snapshot(&o);
    if (strcmp(before, after) != 0)
        fail_msg("a refused change to a published credential wrote something:\n"
                 "before %s\nafter  %s",
                 before, after);
    free(before);
    free(after);
    h_call(&server, "GET", path, o.coordinator, NULL, 200, &r);
    expect_framework(r.json, fw, "GET after the refused changes");
    assert_string_equal(h_json_string(r.json, "status"), "published");
    h_response_free(&r);

    /* version 2: a new credential, a draft, beside the published version 1 */
    cJSON *v2 = seed();
    cJSON_ReplaceItemInObjectCaseSensitive(v2, "version", cJSON_CreateNumber(2));
    import_expect(&o, v2, 201, &r);
    assert_string_not_equal(h_json_string(r.json, "id"), id);
    assert_string_equal(h_json_string(r.json, "status"), "draft");
    assert_int_equal(h_json_long(r.json, "version"), 2);
    expect_framework(r.json, v2, "POST /v1/credentials (version 2)");
    char *id2 = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);

    h_call(&server, "GET", "/v1/credentials?slug=equity-excellence", o.coordinator, NULL, 200, &r);
    assert_int_equal(cJSON_GetArraySize(h_json_at(r.json, "items")), 2);
    assert_string_equal(h_json_string(h_json_at(r.json, "items[0]"), "id"), id);
    assert_string_equal(h_json_string(h_json_at(r.json, "items[0]"), "status"), "published");
    assert_non_null(h_json_string(h_json_at(r.json, "items[0]"), "published_at"));
    assert_string_equal(h_json_string(h_json_at(r.json, "items[1]"), "id"), id2);
    assert_string_equal(h_json_string(h_json_at(r.json, "items[1]"), "status"), "draft");
    h_response_free(&r);
    h_call(&server, "GET", "/v1/credentials?status=published", o.coordinator, NULL, 200, &r);
    assert_int_equal(cJSON_GetArraySize(h_json_at(r.json, "items")), 1);
    assert_string_equal(h_json_string(h_json_at(r.json, "items[0]"), "id"), id);
    h_response_free(&r);
    h_call(&server, "GET", "/v1/credentials?slug=no-such-thing", o.coordinator, NULL, 200, &r);
    assert_int_equal(cJSON_GetArraySize(h_json_at(r.json, "items")), 0);
    h_response_free(&r);

    /* every write was audited: create, replace twice, publish, create v2 */
    sql = h_strf("SELECT count(*) FROM mcred.audit WHERE entity_id IN ('%s', '%s')", id, id2);
    assert_int_equal(h_db_long_super(&db, sql), 5);
    free(sql);

    free(id);
    free(id2);
    free(path);
    free(publish);
    cJSON_Delete(fw);
    cJSON_Delete(revised);
    cJSON_Delete(v2);
    org_free(&o);
}

/* Replace (or, with value NULL, remove) the item at a path of the seed: "a.b[2].c". */
static void set_at(cJSON *root, const char *path, const char *value)
{
    const char *last = path + strlen(path);
    while (last > path && last[-1] != '.' && last[-1] != ']')
        last--;
    /* last points at the final key, or at the end for a final [n] */
    char parent_path[256];
    cJSON *parent;
    if (*last == '\0') { /* ends with [n] */
        const char *open = strrchr(path, '[');
        snprintf(parent_path, sizeof parent_path, "%.*s", (int)(open - path), path);
        parent = (cJSON *)h_json_at(root, parent_path);
        int index = atoi(open + 1);
        if (!cJSON_IsArray(parent))
            fail_msg("set_at %s: no array", path);
        if (value)
            cJSON_ReplaceItemInArray(parent, index, cJSON_Parse(value));
        else
            cJSON_DeleteItemFromArray(parent, index);
        return;
    }
    size_t plen = (size_t)(last - path);
    if (plen && path[plen - 1] == '.')
        plen--;
    snprintf(parent_path, sizeof parent_path, "%.*s", (int)plen, path);
    parent = plen ? (cJSON *)h_json_at(root, parent_path) : root;
    if (!cJSON_IsObject(parent))
        fail_msg("set_at %s: no object at %s", path, parent_path);
    cJSON_DeleteItemFromObjectCaseSensitive(parent, last);
    if (value) {
        cJSON *v = cJSON_Parse(value);
        if (!v)
            fail_msg("set_at %s: bad JSON %s", path, value);
        cJSON_AddItemToObject(parent, last, v);
    }
}

struct mistake {
    const char *what;
    const char *edits[3][2]; /* {path, value or NULL to remove} */
    const char *field;       /* the error's field, exactly */
};

static const struct mistake mistakes[] = {
    {"duplicate indicator code",
     {{"standards[1].indicators[2].code", "\"2.1\""}},
     "standards[1].indicators[2].code"},
    {"indicator code used by another standard's indicator",
     {{"standards[3].indicators[0].code", "\"1.2\""}},
     "standards[3].indicators[0].code"},
    {"duplicate standard code", {{"standards[2].code", "\"1\""}}, "standards[2].code"},
    {"no standards", {{"standards", "[]"}}, "standards"},
    {"standards missing", {{"standards", NULL}}, "standards"},
    {"a standard with no indicators",
     {{"standards[3].indicators", "[]"}},
     "standards[3].indicators"},
    {"a standard without its indicators list",
     {{"standards[0].indicators", NULL}},
     "standards[0].indicators"},
    {"non-contiguous rubric levels 1,2,4",
     {{"rubric", "[{\"level\": 1, \"label\": \"Not Evident\"}, {\"level\": 2, \"label\": "
                 "\"Emerging\"}, {\"level\": 4, \"label\": \"Exemplary\"}]"}},
     "rubric[2].level"},
    {"a rubric level twice",
     {{"rubric", "[{\"level\": 1, \"label\": \"A\"}, {\"level\": 2, \"label\": \"B\"}, "
                 "{\"level\": 2, \"label\": \"C\"}]"}},
     "rubric[2].level"},
    {"a rubric of one level", {{"rubric", "[{\"level\": 1, \"label\": \"Only\"}]"}}, "rubric"},
    {"min_level above the levels", {{"award_rule.min_level", "5"}}, "award_rule.min_level"},
    {"min_level 0", {{"award_rule.min_level", "0"}}, "award_rule.min_level"},
    {"min_level above a three-level rubric",
     {{"rubric", "[{\"level\": 1, \"label\": \"A\"}, {\"level\": 2, \"label\": \"B\"}, "
                 "{\"level\": 3, \"label\": \"C\"}]"},
      {"award_rule.min_level", "4"}},
     "award_rule.min_level"},
    {"min_weekly_attendance above the default 6 weekly sessions",
     {{"award_rule.min_weekly_attendance", "7"}},
     "award_rule.min_weekly_attendance"},
    {"min_weekly_attendance above weekly_sessions",
     {{"award_rule.weekly_sessions", "4"}, {"award_rule.min_weekly_attendance", "5"}},
     "award_rule.min_weekly_attendance"},
    {"problem_of_practice_required not a boolean",
     {{"award_rule.problem_of_practice_required", "\"yes\""}},
     "award_rule.problem_of_practice_required"},
    {"missing title", {{"title", NULL}}, "title"},
    {"empty title", {{"title", "\"\""}}, "title"},
    {"unknown field", {{"colour", "\"teal\""}}, "colour"},
    {"unknown field of an indicator",
     {{"standards[0].indicators[1].weight", "2"}},
     "standards[0].indicators[1].weight"},
    {"unknown field of the award rule", {{"award_rule.min_score", "3"}}, "award_rule.min_score"},
    {"indicator without text",
     {{"standards[2].indicators[1].text", NULL}},
     "standards[2].indicators[1].text"},
    {"standard without a title", {{"standards[1].title", NULL}}, "standards[1].title"},
    {"version 0", {{"version", "0"}}, "version"},
    {"version 1001", {{"version", "1001"}}, "version"},
    {"a slug with capitals and spaces", {{"slug", "\"Equity Excellence\""}}, "slug"},
    {"achievement_type with a space",
     {{"achievement_type", "\"Micro Credential\""}},
     "achievement_type"},
};

static void expect_refused(const struct org *o, const cJSON *framework, const char *what,
                           const char *field)
{
    char *before = snapshot(o);
    struct h_response r;
    import(o, framework, &r);
    const char *got_field = h_json_string(r.json, "error.field");
    const char *code = h_json_string(r.json, "error.code");
    if (r.status != 422 || !code || strcmp(code, "invalid") != 0 || !got_field ||
        strcmp(got_field, field) != 0)
        fail_msg("%s: got %ld %.1000s; want 422 invalid with field %s", what, r.status, r.body,
                 field);
    assert_non_null(h_json_string(r.json, "error.message"));
    h_response_free(&r);
    char *after = snapshot(o);
    if (strcmp(before, after) != 0)
        fail_msg("%s: refused, but something was written:\nbefore %s\nafter  %s", what, before,
                 after);
    free(before);
    free(after);
}

static void test_mistakes(void **state)
{
    struct org o;
    new_org(&o);
    /* a draft of the same slug and version exists: a refused import must not replace it */
    cJSON *fw = seed();
    struct h_response r;
    import_expect(&o, fw, 201, &r);
    h_response_free(&r);
    for (size_t i = 0; i < sizeof mistakes / sizeof mistakes[0]; i++) {
        const struct mistake *m = &mistakes[i];
        for (int version = 1; version <= 2; version++) { /* replacing a draft, and new */
            cJSON *bad = seed();
            if (version == 2 && strcmp(m->field, "version") != 0)
                set_at(bad, "version", "2");
            for (int e = 0; e < 3 && m->edits[e][0]; e++)
                set_at(bad, m->edits[e][0], m->edits[e][1]);
            char *what =
                h_strf("%s (%s)", m->what, version == 1 ? "over the draft" : "a new version");
            expect_refused(&o, bad, what, m->field);
            free(what);
            cJSON_Delete(bad);
        }
    }

    /* not JSON: 400; not a JSON object: 422 */
    char *before = snapshot(&o);
    h_http(&server, "POST", "/v1/credentials", o.coordinator, "application/json", "{\"slug\": ", 10,
           &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(h_json_string(r.json, "error.code"), "malformed");
    h_response_free(&r);
    h_call(&server, "POST", "/v1/credentials", o.coordinator, "[1, 2]", 422, &r);
    h_response_free(&r);
    /* the framework as CSV: 415 */
    h_http(&server, "POST", "/v1/credentials", o.coordinator, "text/csv", "slug\nx\n", 7, &r);
    assert_int_equal(r.status, 415);
    h_response_free(&r);
    char *after = snapshot(&o);
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* the draft is as it was imported */
    h_call(&server, "GET", "/v1/credentials", o.coordinator, NULL, 200, &r);
    assert_int_equal(cJSON_GetArraySize(h_json_at(r.json, "items")), 1);
    char *path = h_strf("/v1/credentials/%s", h_json_string(h_json_at(r.json, "items[0]"), "id"));
    h_response_free(&r);
    h_call(&server, "GET", path, o.coordinator, NULL, 200, &r);
    expect_framework(r.json, fw, "the draft after the refused imports");
    h_response_free(&r);
    free(path);
    cJSON_Delete(fw);
    org_free(&o);
}

/* Defaults, and a rubric in any order stored in level order. */
static void test_defaults_and_rubric_order(void **state)
{
    struct org o;
    new_org(&o);
    struct h_response r;
    cJSON *fw = seed();
    set_at(fw, "slug", "\"defaults\"");
    set_at(fw, "rubric", NULL);
    set_at(fw, "award_rule", NULL);
    import_expect(&o, fw, 201, &r);
    cJSON *want = cJSON_Parse(
        "{\"rubric\": [{\"level\": 1, \"label\": \"Not Evident\"}, {\"level\": 2, \"label\": "
        "\"Emerging\"}, {\"level\": 3, \"label\": \"Proficient\"}, {\"level\": 4, \"label\": "
        "\"Exemplary\"}], \"award_rule\": {\"min_level\": 3, \"min_weekly_attendance\": 5, "
        "\"weekly_sessions\": 6, \"problem_of_practice_required\": true}}");
    expect_framework(r.json, want, "defaults");
    h_response_free(&r);
    cJSON_Delete(want);
    cJSON_Delete(fw);

    fw = seed();
    set_at(fw, "slug", "\"five-levels\"");
    set_at(fw, "rubric",
           "[{\"level\": 3, \"label\": \"Meets\"}, {\"level\": 5, \"label\": \"Leads\"},"
           " {\"level\": 1, \"label\": \"Begins\"}, {\"level\": 4, \"label\": \"Exceeds\"},"
           " {\"level\": 2, \"label\": \"Approaches\"}]");
    set_at(fw, "award_rule",
           "{\"min_level\": 4, \"min_weekly_attendance\": 3, \"weekly_sessions\": 4,"
           " \"problem_of_practice_required\": false}");
    import_expect(&o, fw, 201, &r);
    want = cJSON_Parse("{\"rubric\": [{\"level\": 1, \"label\": \"Begins\"}, {\"level\": 2, "
                       "\"label\": \"Approaches\"}, {\"level\": 3, \"label\": \"Meets\"}, "
                       "{\"level\": 4, \"label\": \"Exceeds\"}, {\"level\": 5, \"label\": "
                       "\"Leads\"}], \"award_rule\": {\"min_level\": 4, "
                       "\"min_weekly_attendance\": 3, \"weekly_sessions\": 4, "
                       "\"problem_of_practice_required\": false}}");
    expect_framework(r.json, want, "a rubric out of order");
    char *path = h_strf("/v1/credentials/%s", h_json_string(r.json, "id"));
    h_response_free(&r);
    h_call(&server, "GET", path, o.coordinator, NULL, 200, &r);
    expect_framework(r.json, want, "GET a rubric given out of order");
    h_response_free(&r);
    free(path);
    cJSON_Delete(want);
    cJSON_Delete(fw);

    /* the list is by slug, then version */
    h_call(&server, "GET", "/v1/credentials", o.coordinator, NULL, 200, &r);
    assert_int_equal(cJSON_GetArraySize(h_json_at(r.json, "items")), 2);
    assert_string_equal(h_json_string(h_json_at(r.json, "items[0]"), "slug"), "defaults");
    assert_string_equal(h_json_string(h_json_at(r.json, "items[1]"), "slug"), "five-levels");
    h_response_free(&r);
    org_free(&o);
}

/* Another organisation's credential is not found; the same slug may be used there. */
static void test_organisations_apart(void **state)
{
    struct org a, b;
    new_org(&a);
    new_org(&b);
    cJSON *fw = seed();
    struct h_response r;
    import_expect(&a, fw, 201, &r);
    char *id = strdup(h_json_string(r.json, "id"));
    h_response_free(&r);
    char *path = h_strf("/v1/credentials/%s", id);
    h_call(&server, "GET", path, b.coordinator, NULL, 404, &r);
    h_response_free(&r);
    char *publish = h_strf("/v1/credentials/%s/publish", id);
    h_call(&server, "POST", publish, b.coordinator, NULL, 404, &r);
    h_response_free(&r);
    h_call(&server, "GET", "/v1/credentials", b.coordinator, NULL, 200, &r);
    assert_int_equal(cJSON_GetArraySize(h_json_at(r.json, "items")), 0);
    h_response_free(&r);
    import_expect(&b, fw, 201, &r); /* b's own, not a replacement of a's */
    assert_string_not_equal(h_json_string(r.json, "id"), id);
    h_response_free(&r);
    h_call(&server, "GET", path, a.coordinator, NULL, 200, &r);
    assert_string_equal(h_json_string(r.json, "status"), "draft");
    h_response_free(&r);
    /* an id that is not one: 404 */
    h_call(&server, "GET", "/v1/credentials/not-an-id", a.coordinator, NULL, 404, &r);
    h_response_free(&r);
    free(id);
    free(path);
    free(publish);
    cJSON_Delete(fw);
    org_free(&a);
    org_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_replace_publish),
        cmocka_unit_test(test_mistakes),
        cmocka_unit_test(test_defaults_and_rubric_order),
        cmocka_unit_test(test_organisations_apart),
    };
    return h_run_tests(tests, setup, teardown);
}
