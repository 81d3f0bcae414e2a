/*
 * test_cli_progress.c — the upload progress line as a function of
 * (sent, total, width): the bar, its fill, the sizes, the narrower forms
 * for narrow terminals, "checking…" at the end, and that no line is ever
 * wider than the terminal allows.  Also that the drawing side stays quiet
 * when its stream is not a terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "progress.h"
#include "text.h"

#include "mcred/banned.h"

#define MIB (1024ULL * 1024ULL)

static char *render(unsigned long long sent, unsigned long long total, size_t width)
{
    struct mc_buf b;
    char *s;

    mc_buf_init(&b, CLI_PROGRESS_MAX_LINE);
    assert_int_equal(cli_progress_render(&b, sent, total, width), MC_OK);
    s = mc_buf_detach(&b, NULL);
    assert_non_null(s);
    return s;
}

static void assert_render(unsigned long long sent, unsigned long long total, size_t width,
                          const char *expected)
{
    char *s = render(sent, total, width);
    assert_string_equal(s, expected);
    free(s);
}

static void test_bytes(void **state)
{
    static const struct {
        unsigned long long n;
        const char *text;
    } cases[] = {
        {0, "0 B"},
        {1023, "1023 B"},
        {1024, "1.0 KiB"},
        {1536, "1.5 KiB"},
        {MIB - 1, "1024.0 KiB"},
        {MIB, "1.0 MiB"},
        {(unsigned long long)(2.6 * MIB), "2.6 MiB"},
        {1024 * MIB, "1.0 GiB"},
        {5000 * 1024 * MIB, "5000.0 GiB"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct mc_buf b;
        mc_buf_init(&b, 64);
        assert_int_equal(cli_progress_bytes(&b, cases[i].n), MC_OK);
        assert_string_equal(b.data, cases[i].text);
        mc_buf_release(&b);
    }
}

static void test_bar(void **state)
{
    (void)state;
    /* 80 columns leave room for the widest bar. */
    assert_render(0, 2 * MIB, 80,
                  "uploading [........................................]   0%  0.0/2.0 MiB");
    assert_render(MIB, 2 * MIB, 80,
                  "uploading [####################....................]  50%  1.0/2.0 MiB");
    assert_render(2 * MIB - 1, 2 * MIB, 80,
                  "uploading [#######################################.]  99%  2.0/2.0 MiB");
    /* The part sent is as wide as the total, so the line keeps its length. */
    assert_render(64 * 1024, 1016 * 1024 + 100, 80,
                  "uploading [##......................................]   6%    64.0/1016.1 KiB");
    assert_render(7, 900, 80,
                  "uploading [........................................]   0%    7/900 B");
    /* No limit: the widest bar too. */
    assert_render(MIB, 4 * MIB, 0,
                  "uploading [##########..............................]  25%  1.0/4.0 MiB");
}

static void test_narrow(void **state)
{
    (void)state;
    /* 51 columns: the bar shrinks to fit 50 (one column is kept free). */
    assert_render(MIB, 2 * MIB, 51, "uploading [##########..........]  50%  1.0/2.0 MiB");
    /* Too narrow for a bar of 10: percent and sizes, then percent, then less. */
    assert_render(MIB, 2 * MIB, 38, "uploading 50%  1.0/2.0 MiB");
    assert_render(MIB, 2 * MIB, 20, "uploading 50%");
    assert_render(MIB, 2 * MIB, 10, "50%");
    assert_render(MIB, 2 * MIB, 3, "50");
    assert_render(MIB, 2 * MIB, 1, "5");
}

static void test_waiting_and_unknown(void **state)
{
    (void)state;
    assert_render(2 * MIB, 2 * MIB, 80, "uploaded 2.0 MiB; checking\xE2\x80\xA6");
    /* libcurl may count past the total it announced. */
    assert_render(3 * MIB, 2 * MIB, 80, "uploaded 2.0 MiB; checking\xE2\x80\xA6");
    assert_render(2 * MIB, 2 * MIB, 20, "checking\xE2\x80\xA6");
    assert_render(0, 0, 80, "uploading\xE2\x80\xA6");
    assert_render(12345, 0, 80, "uploading\xE2\x80\xA6");
    assert_render(0, 0, 5, "uplo");
}

static void test_never_too_wide(void **state)
{
    static const unsigned long long totals[] = {1, 999, 1024, 5 * MIB + 7, 3000 * MIB};

    (void)state;
    for (size_t t = 0; t < sizeof(totals) / sizeof(totals[0]); t++) {
        for (size_t width = 1; width <= 200; width++) {
            for (unsigned long long k = 0; k <= 10; k++) {
                char *s = render(totals[t] * k / 10, totals[t], width);
                assert_true(cli_text_width(s) <= (width > 1 ? width - 1 : 1));
                assert_true(cli_text_width(s) > 0);
                free(s);
            }
        }
    }
}

static void test_quiet_off_terminal(void **state)
{
    struct cli_progress p;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    (void)state;
    assert_non_null(f);
    cli_progress_start(&p, f);
    assert_null(p.f);
    cli_progress_update(&p, 10, 100);
    cli_progress_update(&p, 100, 100);
    cli_progress_clear(&p);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(len, 0);
    free(text);

    cli_progress_start(&p, NULL);
    assert_null(p.f);
    cli_progress_update(&p, 10, 100);
    cli_progress_clear(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes),          cmocka_unit_test(test_bar),
        cmocka_unit_test(test_narrow),         cmocka_unit_test(test_waiting_and_unknown),
        cmocka_unit_test(test_never_too_wide), cmocka_unit_test(test_quiet_off_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
