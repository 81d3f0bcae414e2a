/*
 * test_cli_report.c — what `mcred report` asks for: exactly one of a
 * cohort and --org, and the organisation's path with ?by encoded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report_input.h"

#include "mcred/banned.h"

static void test_target(void **state)
{
    (void)state;
    assert_null(report_target_error("Spring 2027", false));
    assert_null(report_target_error(NULL, true));
    assert_string_equal(report_target_error("Spring 2027", true),
                        "give a cohort or --org, not both");
    assert_string_equal(report_target_error(NULL, false),
                        "give a cohort, or --org for the whole organisation");
}

static void test_org_path(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 256);
    assert_int_equal(report_org_path(&b, NULL), MC_OK);
    assert_string_equal(b.data, "/v1/reports/orgs/current");
    mc_buf_reset(&b);
    assert_int_equal(report_org_path(&b, "school & co=1"), MC_OK);
    assert_string_equal(b.data, "/v1/reports/orgs/current?by=school%20%26%20co%3D1");
    mc_buf_release(&b);

    /* too long for the buffer: refused, not cut */
    mc_buf_init(&b, 32);
    assert_int_not_equal(report_org_path(&b, "a-rather-long-attribute-name"), MC_OK);
    mc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target),
        cmocka_unit_test(test_org_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
