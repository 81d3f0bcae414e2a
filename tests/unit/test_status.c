/*
 * test_status.c — a learner's credential status from the credential's own
 * rule, without a database: each requirement (indicator levels, standards,
 * attendance, problem of practice) at and around its threshold, custom
 * rubrics, the not_started / in_progress edge, awarded and revoked
 * precedence, the exact JSON, and out-of-memory at every allocation.
 *
 * Every test starts from the same learner, who meets the default rule
 * exactly (every indicator at 3, 5 of 6 sessions attended, problem
 * approved), and changes one thing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

#define STD1_TITLE "Identifying and Mitigating Inequities"
#define STD2_TITLE "Engagement and Access"
#define STD3_TITLE "Culturally-Relevant Practices"

struct fixture {
    struct status_rule rule;
    struct status_standard standards[3];
    struct status_indicator indicators[5];
    struct status_input in;
};

/* The default rule (DESIGN.md §2) and a learner who meets it exactly. */
static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    f->rule = (struct status_rule){
        .nlevels = 4,
        .labels = {"Not Evident", "Emerging", "Proficient", "Exemplary"},
        .min_level = 3,
        .min_weekly_attendance = 5,
        .weekly_sessions = 6,
        .problem_required = true,
    };
    f->standards[0] = (struct status_standard){"1", STD1_TITLE};
    f->standards[1] = (struct status_standard){"2", STD2_TITLE};
    f->standards[2] = (struct status_standard){"3", STD3_TITLE};
    f->indicators[0] = (struct status_indicator){"1.1", "1", 3};
    f->indicators[1] = (struct status_indicator){"1.2", "1", 3};
    f->indicators[2] = (struct status_indicator){"2.1", "2", 3};
    f->indicators[3] = (struct status_indicator){"2.2", "2", 3};
    f->indicators[4] = (struct status_indicator){"3.1", "3", 3};
    f->in = (struct status_input){
        .rule = &f->rule,
        .standards = f->standards,
        .nstandards = 3,
        .indicators = f->indicators,
        .nindicators = 5,
        .attended = 5,
        .excused = 0,
        .held = 6,
        .problem = "approved",
    };
}

/* A learner who has done nothing yet. */
static void fixture_blank(struct fixture *f)
{
    fixture_init(f);
    for (size_t i = 0; i < 5; i++)
        f->indicators[i].level = 0;
    f->in.attended = 0;
    f->in.held = 2;
    f->in.problem = "none";
}

static cJSON *json_of(const struct fixture *f)
{
    cJSON *j = status_json(&f->in);
    assert_non_null(j);
    return j;
}

static cJSON *member(const cJSON *obj, const char *key)
{
    cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!m)
        fail_msg("no member \"%s\"", key);
    return m;
}

/* The element of `array` (an array member of root) whose "code" is `code`. */
static cJSON *by_code(const cJSON *root, const char *array, const char *code)
{
    cJSON *item;
    cJSON_ArrayForEach(item, member(root, array))
    {
        if (strcmp(member(item, "code")->valuestring, code) == 0)
            return item;
    }
    fail_msg("no %s with code %s", array, code);
    return NULL;
}

static bool met_flag(const cJSON *obj)
{
    const cJSON *met = member(obj, "met");
    if (!cJSON_IsBool(met))
        fail_msg("\"met\" is not a boolean");
    return cJSON_IsTrue(met);
}

/* The "missing" list is exactly `expected` (NULL-terminated), in order. */
static void expect_missing(const struct fixture *f, const char *const *expected)
{
    cJSON *j = json_of(f);
    const cJSON *missing = member(j, "missing");
    assert_true(cJSON_IsArray(missing));
    size_t n = 0;
    while (expected[n])
        n++;
    int got = cJSON_GetArraySize(missing);
    for (int i = 0; i < got || (size_t)i < n; i++) {
        const cJSON *item = cJSON_GetArrayItem(missing, i);
        const char *have = item && cJSON_IsString(item) ? item->valuestring : "(nothing)";
        const char *want = (size_t)i < n ? expected[i] : "(nothing)";
        if (strcmp(have, want) != 0)
            fail_msg("missing[%d] is \"%s\"; wanted \"%s\"", i, have, want);
    }
    cJSON_Delete(j);
}

static void expect_status(const struct fixture *f, enum status_overall want)
{
    enum status_overall got = status_decide(&f->in);
    if (got != want)
        fail_msg("status %s, wanted %s", status_name(got), status_name(want));
    cJSON *j = json_of(f);
    assert_string_equal(member(j, "status")->valuestring, status_name(want));
    cJSON_Delete(j);
}

static const char *const NONE[] = {NULL};

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(status_name(STATUS_NOT_STARTED), "not_started");
    assert_string_equal(status_name(STATUS_IN_PROGRESS), "in_progress");
    assert_string_equal(status_name(STATUS_ELIGIBLE), "eligible");
    assert_string_equal(status_name(STATUS_AWARDED), "awarded");
    assert_string_equal(status_name(STATUS_REVOKED), "revoked");
}

static void test_everything_met_is_eligible(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    expect_status(&f, STATUS_ELIGIBLE);
    expect_missing(&f, NONE);
    cJSON *j = json_of(&f);
    const cJSON *item;
    cJSON_ArrayForEach(item, member(j, "indicators")) assert_true(met_flag(item));
    cJSON_ArrayForEach(item, member(j, "standards")) assert_true(met_flag(item));
    assert_true(met_flag(member(j, "attendance")));
    assert_true(met_flag(member(j, "problem")));
    cJSON_Delete(j);
}

static void test_one_indicator_below(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.indicators[3].level = 2; /* 2.2 */
    expect_status(&f, STATUS_IN_PROGRESS);

    cJSON *j = json_of(&f);
    for (size_t i = 0; i < 5; i++) {
        const cJSON *ind = by_code(j, "indicators", f.indicators[i].code);
        assert_int_equal(member(ind, "level")->valueint, f.indicators[i].level);
        assert_int_equal(met_flag(ind), i != 3);
    }
    assert_true(met_flag(by_code(j, "standards", "1")));
    assert_false(met_flag(by_code(j, "standards", "2")));
    assert_true(met_flag(by_code(j, "standards", "3")));
    assert_true(met_flag(member(j, "attendance")));
    assert_true(met_flag(member(j, "problem")));
    cJSON_Delete(j);

    static const char *const want[] = {
        "indicator 2.2 is at level 2 (Emerging); it needs 3 (Proficient)",
        "standard 2 (" STD2_TITLE ") is not met", NULL};
    expect_missing(&f, want);
}

static void test_unscored_indicator(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.indicators[4].level = 0; /* 3.1 */
    expect_status(&f, STATUS_IN_PROGRESS);
    static const char *const want[] = {"indicator 3.1 is not scored yet; it needs 3 (Proficient)",
                                       "standard 3 (" STD3_TITLE ") is not met", NULL};
    expect_missing(&f, want);
}

/* The input is the current level, so a later lower score unmeets it and a
 * later higher one meets it again. */
static void test_rescored_indicator(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.indicators[0].level = 4;
    expect_status(&f, STATUS_ELIGIBLE);

    f.indicators[0].level = 2; /* 4 → 2 */
    expect_status(&f, STATUS_IN_PROGRESS);
    cJSON *j = json_of(&f);
    assert_false(met_flag(by_code(j, "indicators", "1.1")));
    assert_false(met_flag(by_code(j, "standards", "1")));
    cJSON_Delete(j);
    static const char *const want[] = {
        "indicator 1.1 is at level 2 (Emerging); it needs 3 (Proficient)",
        "standard 1 (" STD1_TITLE ") is not met", NULL};
    expect_missing(&f, want);

    f.indicators[0].level = 3; /* 2 → 3 */
    expect_status(&f, STATUS_ELIGIBLE);
    j = json_of(&f);
    assert_true(met_flag(by_code(j, "indicators", "1.1")));
    assert_true(met_flag(by_code(j, "standards", "1")));
    cJSON_Delete(j);
    expect_missing(&f, NONE);
}

static void test_several_below_in_order(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.indicators[0].level = 1;
    f.indicators[1].level = 2;
    f.indicators[4].level = 0;
    static const char *const want[] = {
        "indicator 1.1 is at level 1 (Not Evident); it needs 3 (Proficient)",
        "indicator 1.2 is at level 2 (Emerging); it needs 3 (Proficient)",
        "indicator 3.1 is not scored yet; it needs 3 (Proficient)",
        "standard 1 (" STD1_TITLE ") is not met",
        "standard 3 (" STD3_TITLE ") is not met",
        NULL};
    expect_missing(&f, want);
    cJSON *j = json_of(&f);
    assert_true(met_flag(by_code(j, "standards", "2")));
    cJSON_Delete(j);
}

static void test_attendance_threshold(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);

    f.in.attended = 6;
    expect_status(&f, STATUS_ELIGIBLE);

    f.in.attended = 5; /* exactly the minimum */
    expect_status(&f, STATUS_ELIGIBLE);
    expect_missing(&f, NONE);

    f.in.attended = 4; /* one short */
    expect_status(&f, STATUS_IN_PROGRESS);
    cJSON *j = json_of(&f);
    const cJSON *att = member(j, "attendance");
    assert_false(met_flag(att));
    assert_int_equal(member(att, "attended")->valueint, 4);
    assert_int_equal(member(att, "required")->valueint, 5);
    cJSON_ArrayForEach(att, member(j, "standards")) assert_true(met_flag(att));
    cJSON_Delete(j);
    static const char *const want[] = {"attendance: 4 of the 5 weekly sessions required", NULL};
    expect_missing(&f, want);
}

static void test_attendance_singular(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.rule.min_weekly_attendance = 1;
    f.in.attended = 0;
    f.in.excused = 1;
    expect_status(&f, STATUS_IN_PROGRESS);
    static const char *const want[] = {"attendance: 0 of the 1 weekly session required", NULL};
    expect_missing(&f, want);
}

static void test_excused_not_counted(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.in.attended = 4;
    f.in.excused = 1;
    expect_status(&f, STATUS_IN_PROGRESS);
    cJSON *j = json_of(&f);
    const cJSON *att = member(j, "attendance");
    assert_false(met_flag(att));
    assert_int_equal(member(att, "excused")->valueint, 1);
    cJSON_Delete(j);
    static const char *const want[] = {"attendance: 4 of the 5 weekly sessions required", NULL};
    expect_missing(&f, want);

    /* Even many excused sessions do not make up for one attended. */
    f.in.excused = 6;
    expect_status(&f, STATUS_IN_PROGRESS);
}

static void test_problem_required(void **state)
{
    (void)state;
    static const struct {
        const char *problem, *shown, *message;
    } cases[] = {
        {"none", "none", "problem of practice: not written yet"},
        {NULL, "none", "problem of practice: not written yet"},
        {"draft", "draft", "problem of practice: draft, not yet submitted"},
        {"submitted", "submitted", "problem of practice: submitted, not yet approved"},
        {"needs_revision", "needs_revision", "problem of practice: needs revision"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fixture f;
        fixture_init(&f);
        f.in.problem = cases[i].problem;
        expect_status(&f, STATUS_IN_PROGRESS);
        cJSON *j = json_of(&f);
        const cJSON *p = member(j, "problem");
        assert_string_equal(member(p, "status")->valuestring, cases[i].shown);
        assert_true(cJSON_IsTrue(member(p, "required")));
        assert_false(met_flag(p));
        cJSON_Delete(j);
        const char *const want[] = {cases[i].message, NULL};
        expect_missing(&f, want);
    }

    struct fixture f;
    fixture_init(&f);
    f.in.problem = "approved";
    expect_status(&f, STATUS_ELIGIBLE);
    cJSON *j = json_of(&f);
    assert_true(met_flag(member(j, "problem")));
    cJSON_Delete(j);
}

static void test_problem_not_required(void **state)
{
    (void)state;
    static const char *const states[] = {"none", "draft", "submitted", "needs_revision", NULL};
    for (size_t i = 0; states[i]; i++) {
        struct fixture f;
        fixture_init(&f);
        f.rule.problem_required = false;
        f.in.problem = states[i];
        expect_status(&f, STATUS_ELIGIBLE);
        expect_missing(&f, NONE);
        cJSON *j = json_of(&f);
        const cJSON *p = member(j, "problem");
        assert_string_equal(member(p, "status")->valuestring, states[i]);
        assert_true(cJSON_IsFalse(member(p, "required")));
        assert_true(met_flag(p));
        cJSON_Delete(j);
    }
}

static void test_three_level_rubric(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.rule = (struct status_rule){
        .nlevels = 3,
        .labels = {"No", "Partly", "Yes"},
        .min_level = 2,
        .min_weekly_attendance = 3,
        .weekly_sessions = 4,
        .problem_required = false,
    };
    f.in.attended = 3;
    f.in.problem = "none";
    for (size_t i = 0; i < 5; i++)
        f.indicators[i].level = 2;
    expect_status(&f, STATUS_ELIGIBLE);
    expect_missing(&f, NONE);

    f.indicators[1].level = 1;
    f.indicators[2].level = 0;
    f.indicators[4].level = 3;
    f.in.attended = 2;
    expect_status(&f, STATUS_IN_PROGRESS);
    static const char *const want[] = {"indicator 1.2 is at level 1 (No); it needs 2 (Partly)",
                                       "indicator 2.1 is not scored yet; it needs 2 (Partly)",
                                       "standard 1 (" STD1_TITLE ") is not met",
                                       "standard 2 (" STD2_TITLE ") is not met",
                                       "attendance: 2 of the 3 weekly sessions required",
                                       NULL};
    expect_missing(&f, want);
}

static void test_five_level_rubric(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    /* Labels for the lower levels only: the rest show just the number. */
    f.rule = (struct status_rule){
        .nlevels = 5,
        .labels = {"Beginning", "", "Developing"},
        .min_level = 4,
        .min_weekly_attendance = 5,
        .weekly_sessions = 6,
        .problem_required = true,
    };
    for (size_t i = 0; i < 5; i++)
        f.indicators[i].level = 4;
    expect_status(&f, STATUS_ELIGIBLE);

    f.indicators[0].level = 5;
    expect_status(&f, STATUS_ELIGIBLE);

    f.indicators[0].level = 3; /* the default threshold no longer suffices */
    f.indicators[2].level = 2; /* an empty label counts as none */
    f.indicators[4].level = 0;
    expect_status(&f, STATUS_IN_PROGRESS);
    static const char *const want[] = {"indicator 1.1 is at level 3 (Developing); it needs 4",
                                       "indicator 2.1 is at level 2; it needs 4",
                                       "indicator 3.1 is not scored yet; it needs 4",
                                       "standard 1 (" STD1_TITLE ") is not met",
                                       "standard 2 (" STD2_TITLE ") is not met",
                                       "standard 3 (" STD3_TITLE ") is not met",
                                       NULL};
    expect_missing(&f, want);
}

static void test_level_without_label(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    /* A threshold above the rubric's levels has no label to show; a level
     * above the threshold is met however high it is. */
    f.rule.min_level = 5;
    f.rule.labels[4] = "Beyond"; /* past nlevels: not part of the rubric */
    f.indicators[0].level = 7;
    f.standards[1].title = NULL;
    static const char *const want[] = {"indicator 1.2 is at level 3 (Proficient); it needs 5",
                                       "indicator 2.1 is at level 3 (Proficient); it needs 5",
                                       "indicator 2.2 is at level 3 (Proficient); it needs 5",
                                       "indicator 3.1 is at level 3 (Proficient); it needs 5",
                                       "standard 1 (" STD1_TITLE ") is not met",
                                       "standard 2 is not met",
                                       "standard 3 (" STD3_TITLE ") is not met",
                                       NULL};
    expect_missing(&f, want);

    /* Levels past STATUS_MAX_LEVELS must not index past labels[], even
     * when nlevels (bad data) claims that many. */
    fixture_init(&f);
    f.rule.nlevels = STATUS_MAX_LEVELS + 2;
    f.in.nindicators = 1;
    f.in.nstandards = 1;
    f.rule.min_level = STATUS_MAX_LEVELS + 2;
    f.indicators[0].level = STATUS_MAX_LEVELS + 1;
    static const char *const want_high[] = {"indicator 1.1 is at level 11; it needs 12",
                                            "standard 1 (" STD1_TITLE ") is not met", NULL};
    expect_missing(&f, want_high);
}

static void test_not_started_and_in_progress(void **state)
{
    (void)state;
    struct fixture f;

    fixture_blank(&f);
    expect_status(&f, STATUS_NOT_STARTED);
    f.in.problem = NULL; /* no problem row at all */
    expect_status(&f, STATUS_NOT_STARTED);

    fixture_blank(&f);
    f.in.excused = 1; /* one excused absence alone */
    expect_status(&f, STATUS_IN_PROGRESS);

    fixture_blank(&f);
    f.in.attended = 1;
    expect_status(&f, STATUS_IN_PROGRESS);

    fixture_blank(&f);
    f.indicators[4].level = 1; /* the lowest level is still a score */
    expect_status(&f, STATUS_IN_PROGRESS);

    fixture_blank(&f);
    f.in.problem = "draft";
    expect_status(&f, STATUS_IN_PROGRESS);

    /* A rule that asks for nothing is met before anything is done. */
    fixture_blank(&f);
    f.rule.min_level = 0;
    f.rule.min_weekly_attendance = 0;
    f.rule.problem_required = false;
    expect_status(&f, STATUS_ELIGIBLE);
    expect_missing(&f, NONE);
}

static void test_not_started_lists_everything(void **state)
{
    (void)state;
    struct fixture f;
    fixture_blank(&f);
    f.in.nindicators = 3; /* 1.1, 1.2, 2.1 */
    f.in.nstandards = 2;
    static const char *const want[] = {"indicator 1.1 is not scored yet; it needs 3 (Proficient)",
                                       "indicator 1.2 is not scored yet; it needs 3 (Proficient)",
                                       "indicator 2.1 is not scored yet; it needs 3 (Proficient)",
                                       "standard 1 (" STD1_TITLE ") is not met",
                                       "standard 2 (" STD2_TITLE ") is not met",
                                       "attendance: 0 of the 5 weekly sessions required",
                                       "problem of practice: not written yet",
                                       NULL};
    expect_missing(&f, want);
}

static void test_awarded_and_revoked_precedence(void **state)
{
    (void)state;
    struct fixture f;

    fixture_init(&f);
    f.in.awarded = true;
    expect_status(&f, STATUS_AWARDED);
    f.in.revoked = true;
    expect_status(&f, STATUS_REVOKED);

    /* Awarded stays awarded when a later score drops below the threshold;
     * what is missing still shows. */
    fixture_init(&f);
    f.in.awarded = true;
    f.indicators[1].level = 2;
    expect_status(&f, STATUS_AWARDED);
    static const char *const want[] = {
        "indicator 1.2 is at level 2 (Emerging); it needs 3 (Proficient)",
        "standard 1 (" STD1_TITLE ") is not met", NULL};
    expect_missing(&f, want);

    /* Revoked wins over eligible, even without awarded. */
    fixture_init(&f);
    f.in.revoked = true;
    expect_status(&f, STATUS_REVOKED);

    /* Neither is affected by not_started. */
    fixture_blank(&f);
    f.in.awarded = true;
    expect_status(&f, STATUS_AWARDED);
    fixture_blank(&f);
    f.in.revoked = true;
    expect_status(&f, STATUS_REVOKED);
}

static void expect_json(const struct fixture *f, const char *want)
{
    cJSON *j = json_of(f);
    char *text = cJSON_PrintUnformatted(j);
    assert_non_null(text);
    assert_string_equal(text, want);
    cJSON_free(text);
    cJSON_Delete(j);
}

static void test_exact_json_in_progress(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.in.nindicators = 3;
    f.in.nstandards = 2;
    f.indicators[1].level = 2;
    f.indicators[2].level = 0;
    f.in.attended = 4;
    f.in.excused = 1;
    f.in.held = 5;
    f.in.problem = "submitted";
    expect_json(&f, "{\"status\":\"in_progress\","
                    "\"indicators\":["
                    "{\"code\":\"1.1\",\"standard\":\"1\",\"level\":3,\"met\":true},"
                    "{\"code\":\"1.2\",\"standard\":\"1\",\"level\":2,\"met\":false},"
                    "{\"code\":\"2.1\",\"standard\":\"2\",\"level\":0,\"met\":false}],"
                    "\"standards\":["
                    "{\"code\":\"1\",\"title\":\"" STD1_TITLE "\",\"met\":false},"
                    "{\"code\":\"2\",\"title\":\"" STD2_TITLE "\",\"met\":false}],"
                    "\"attendance\":{\"attended\":4,\"excused\":1,\"held\":5,\"required\":5,"
                    "\"met\":false},"
                    "\"problem\":{\"status\":\"submitted\",\"required\":true,\"met\":false},"
                    "\"missing\":["
                    "\"indicator 1.2 is at level 2 (Emerging); it needs 3 (Proficient)\","
                    "\"indicator 2.1 is not scored yet; it needs 3 (Proficient)\","
                    "\"standard 1 (" STD1_TITLE ") is not met\","
                    "\"standard 2 (" STD2_TITLE ") is not met\","
                    "\"attendance: 4 of the 5 weekly sessions required\","
                    "\"problem of practice: submitted, not yet approved\"]}");
}

static void test_exact_json_eligible(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.in.nindicators = 2;
    f.in.nstandards = 1;
    f.indicators[1].level = 4;
    f.in.excused = 1;
    f.rule.problem_required = false;
    f.in.problem = "draft";
    expect_json(&f, "{\"status\":\"eligible\","
                    "\"indicators\":["
                    "{\"code\":\"1.1\",\"standard\":\"1\",\"level\":3,\"met\":true},"
                    "{\"code\":\"1.2\",\"standard\":\"1\",\"level\":4,\"met\":true}],"
                    "\"standards\":[{\"code\":\"1\",\"title\":\"" STD1_TITLE "\",\"met\":true}],"
                    "\"attendance\":{\"attended\":5,\"excused\":1,\"held\":6,\"required\":5,"
                    "\"met\":true},"
                    "\"problem\":{\"status\":\"draft\",\"required\":false,\"met\":true},"
                    "\"missing\":[]}");
}

/* Titles longer than any fixed buffer come through whole. */
static void test_long_title(void **state)
{
    (void)state;
    static char title[5001];
    memset(title, 'x', sizeof title - 1);
    struct fixture f;
    fixture_init(&f);
    f.standards[0].title = title;
    f.indicators[0].level = 1;
    cJSON *j = json_of(&f);
    const cJSON *second = cJSON_GetArrayItem(member(j, "missing"), 1);
    assert_non_null(second);
    assert_int_equal(strlen(second->valuestring), strlen("standard 1 () is not met") + 5000);
    assert_memory_equal(second->valuestring, "standard 1 (xxx", 15);
    cJSON_Delete(j);
}

/* Allocation failure: every allocation status_json makes goes through
 * cJSON's hooks; make the n-th fail for every n until one run succeeds. */
static long alloc_budget; /* allocations left before one fails; < 0: unlimited */
static long alloc_live;   /* allocated and not yet freed */

static void *failing_malloc(size_t size)
{
    if (alloc_budget == 0)
        return NULL;
    if (alloc_budget > 0)
        alloc_budget--;
    void *p = malloc(size);
    if (p)
        alloc_live++;
    return p;
}

static void counting_free(void *p)
{
    if (p)
        alloc_live--;
    free(p);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    struct fixture f;
    fixture_blank(&f); /* the longest answer: everything missing */
    f.in.excused = 1;
    cJSON_Hooks hooks = {.malloc_fn = failing_malloc, .free_fn = counting_free};
    cJSON_InitHooks(&hooks);
    long failures = 0;
    cJSON *j = NULL;
    for (long n = 0; n < 10000; n++) {
        alloc_budget = n;
        alloc_live = 0;
        j = status_json(&f.in);
        if (j)
            break;
        failures++;
        if (alloc_live != 0) {
            cJSON_InitHooks(NULL);
            fail_msg("allocation %ld failed: %ld allocations leaked", n, alloc_live);
        }
    }
    alloc_budget = -1;
    assert_non_null(j);
    /* Enough allocations to have reached the missing messages. */
    assert_true(failures > 50);
    assert_int_equal(cJSON_GetArraySize(member(j, "missing")), 10);
    cJSON_Delete(j);
    assert_int_equal(alloc_live, 0);
    cJSON_InitHooks(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_everything_met_is_eligible),
        cmocka_unit_test(test_one_indicator_below),
        cmocka_unit_test(test_unscored_indicator),
        cmocka_unit_test(test_rescored_indicator),
        cmocka_unit_test(test_several_below_in_order),
        cmocka_unit_test(test_attendance_threshold),
        cmocka_unit_test(test_attendance_singular),
        cmocka_unit_test(test_excused_not_counted),
        cmocka_unit_test(test_problem_required),
        cmocka_unit_test(test_problem_not_required),
        cmocka_unit_test(test_three_level_rubric),
        cmocka_unit_test(test_five_level_rubric),
        cmocka_unit_test(test_level_without_label),
        cmocka_unit_test(test_not_started_and_in_progress),
        cmocka_unit_test(test_not_started_lists_everything),
        cmocka_unit_test(test_awarded_and_revoked_precedence),
        cmocka_unit_test(test_exact_json_in_progress),
        cmocka_unit_test(test_exact_json_eligible),
        cmocka_unit_test(test_long_title),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
