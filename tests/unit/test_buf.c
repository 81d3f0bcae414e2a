/*
 * test_buf.c — struct mc_buf (include/mcred/buf.h).
 *
 * Covers: a fresh buffer is a valid empty C string; appends keep the
 * contents NUL-terminated and the capacity doubling; the ceiling is
 * inclusive, an append past it (including a length that would overflow
 * size_t) empties the buffer and returns MC_ERR_TOO_LARGE while leaving it
 * usable; reset, release and detach, including detaching an empty buffer.
 * Run under the sanitizer build, the tests also check for leaks and
 * out-of-bounds writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mcred/buf.h"

#include "mcred/banned.h"

/* The buffer is a valid, empty C string of length 0. */
static void assert_empty(const struct mc_buf *b)
{
    assert_non_null(b->data);
    assert_int_equal(b->len, 0);
    assert_int_equal(b->data[0], '\0');
}

static void test_init_is_empty(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 100);
    assert_empty(&b);
    assert_int_equal(b.max, 100);
    assert_string_equal(b.data, "");
    mc_buf_release(&b);
    assert_empty(&b);
}

static void test_append_concatenates(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 1024);
    assert_int_equal(mc_buf_appends(&b, "hello"), MC_OK);
    assert_int_equal(mc_buf_appendc(&b, ' '), MC_OK);
    assert_int_equal(mc_buf_append(&b, "world!!!", 5), MC_OK);
    assert_string_equal(b.data, "hello world");
    assert_int_equal(b.len, 11);
    assert_int_equal(b.data[b.len], '\0');
    mc_buf_release(&b);
}

static void test_append_binary_keeps_nul_bytes(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 16);
    assert_int_equal(mc_buf_append(&b, "a\0b", 3), MC_OK);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b", 4); /* and the terminator after it */
    mc_buf_release(&b);
}

static void test_append_zero_bytes(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 16);
    assert_int_equal(mc_buf_append(&b, "", 0), MC_OK);
    assert_empty(&b);
    assert_int_equal(mc_buf_appends(&b, "xy"), MC_OK);
    assert_int_equal(mc_buf_append(&b, "zzz", 0), MC_OK);
    assert_string_equal(b.data, "xy");
    mc_buf_release(&b);
}

/* Capacity doubles: it is always enough, and never more than twice what is needed. */
static void test_growth_doubles(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 1u << 20);
    size_t previous_cap = 0;
    for (size_t i = 0; i < 10000; i++) {
        assert_int_equal(mc_buf_appendc(&b, (char)('a' + i % 26)), MC_OK);
        assert_true(b.cap >= b.len + 1);
        if (b.cap != previous_cap && previous_cap != 0)
            assert_int_equal(b.cap, previous_cap * 2);
        previous_cap = b.cap;
    }
    assert_int_equal(b.len, 10000);
    assert_int_equal(strlen(b.data), 10000);
    assert_true(b.cap < 2 * (b.len + 1));
    assert_int_equal(b.data[9999], (char)('a' + 9999 % 26));
    mc_buf_release(&b);
}

static void test_max_is_inclusive(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 8);
    assert_int_equal(mc_buf_appends(&b, "1234"), MC_OK);
    assert_int_equal(mc_buf_appends(&b, "5678"), MC_OK);
    assert_int_equal(b.len, 8);
    assert_string_equal(b.data, "12345678");
    mc_buf_release(&b);
}

static void test_past_max_empties_and_stays_valid(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 8);
    assert_int_equal(mc_buf_appends(&b, "12345678"), MC_OK);
    assert_int_equal(mc_buf_appendc(&b, '9'), MC_ERR_TOO_LARGE);
    assert_empty(&b);
    assert_int_equal(b.max, 8);
    /* still usable, with the same ceiling */
    assert_int_equal(mc_buf_appends(&b, "abc"), MC_OK);
    assert_string_equal(b.data, "abc");
    assert_int_equal(mc_buf_appends(&b, "defghi"), MC_ERR_TOO_LARGE);
    assert_empty(&b);
    mc_buf_release(&b);
}

static void test_single_append_over_max(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 4);
    assert_int_equal(mc_buf_appends(&b, "hello"), MC_ERR_TOO_LARGE);
    assert_empty(&b);
    mc_buf_release(&b);
}

static void test_zero_max_refuses_any_byte(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 0);
    assert_int_equal(mc_buf_appendc(&b, 'x'), MC_ERR_TOO_LARGE);
    assert_empty(&b);
    mc_buf_release(&b);
}

/* A length near SIZE_MAX must be refused, not wrap around. */
static void test_huge_length_does_not_overflow(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, SIZE_MAX - 1);
    assert_int_equal(mc_buf_appends(&b, "abc"), MC_OK);
    assert_int_equal(mc_buf_append(&b, "x", SIZE_MAX), MC_ERR_TOO_LARGE);
    assert_empty(&b);
    assert_int_equal(mc_buf_appends(&b, "abc"), MC_OK);
    assert_int_equal(mc_buf_append(&b, "x", SIZE_MAX - 2), MC_ERR_TOO_LARGE);
    assert_empty(&b);
    mc_buf_release(&b);
}

static void test_appendf(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 64);
    assert_int_equal(mc_buf_appends(&b, "n="), MC_OK);
    assert_int_equal(mc_buf_appendf(&b, "%d-%s-%05.1f", 42, "x", 2.5), MC_OK);
    assert_string_equal(b.data, "n=42-x-002.5");
    assert_int_equal(b.len, strlen("n=42-x-002.5"));
    mc_buf_release(&b);
}

static void test_appendf_respects_max(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 6);
    assert_int_equal(mc_buf_appendf(&b, "%s", "abc"), MC_OK);
    assert_int_equal(mc_buf_appendf(&b, "%d", 123), MC_OK); /* exactly 6 */
    assert_string_equal(b.data, "abc123");
    assert_int_equal(mc_buf_appendf(&b, "%c", 'z'), MC_ERR_TOO_LARGE);
    assert_empty(&b);
    assert_int_equal(mc_buf_appendf(&b, "%s", "1234567"), MC_ERR_TOO_LARGE);
    assert_empty(&b);
    mc_buf_release(&b);
}

/* Formatting past 64 bytes makes appendf grow the buffer itself. */
static void test_appendf_grows(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 4096);
    assert_int_equal(mc_buf_appendf(&b, "%0300d", 7), MC_OK);
    assert_int_equal(b.len, 300);
    assert_int_equal(b.data[0], '0');
    assert_int_equal(b.data[299], '7');
    assert_int_equal(b.data[300], '\0');
    mc_buf_release(&b);
}

static void test_reset_keeps_memory(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 1024);
    assert_int_equal(mc_buf_appends(&b, "some text"), MC_OK);
    char *data = b.data;
    size_t cap = b.cap;
    mc_buf_reset(&b);
    assert_empty(&b);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_int_equal(mc_buf_appends(&b, "new"), MC_OK);
    assert_string_equal(b.data, "new");
    mc_buf_release(&b);
}

static void test_reset_of_unallocated_buffer(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 16);
    mc_buf_reset(&b);
    assert_empty(&b);
    assert_int_equal(mc_buf_appends(&b, "ok"), MC_OK);
    assert_string_equal(b.data, "ok");
    mc_buf_release(&b);
}

static void test_release_then_reuse(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 32);
    assert_int_equal(mc_buf_appends(&b, "first"), MC_OK);
    mc_buf_release(&b);
    assert_empty(&b);
    assert_int_equal(b.max, 32);
    mc_buf_release(&b); /* twice is harmless */
    assert_int_equal(mc_buf_appends(&b, "second"), MC_OK);
    assert_string_equal(b.data, "second");
    mc_buf_release(&b);
}

static void test_detach_hands_over_contents(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 64);
    assert_int_equal(mc_buf_appends(&b, "payload"), MC_OK);
    size_t len = 0;
    char *s = mc_buf_detach(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "payload");
    assert_int_equal(len, 7);
    assert_empty(&b);
    assert_int_equal(b.max, 64);
    /* the buffer is independent of the detached string */
    assert_int_equal(mc_buf_appends(&b, "other"), MC_OK);
    assert_string_equal(s, "payload");
    assert_string_equal(b.data, "other");
    free(s);
    mc_buf_release(&b);
}

static void test_detach_empty_buffer(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 64);
    size_t len = 99;
    char *s = mc_buf_detach(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s); /* must be a real allocation, not the shared empty string */
    assert_empty(&b);
}

static void test_detach_without_length(void **state)
{
    (void)state;
    struct mc_buf b;
    mc_buf_init(&b, 64);
    assert_int_equal(mc_buf_appends(&b, "abc"), MC_OK);
    char *s = mc_buf_detach(&b, NULL);
    assert_non_null(s);
    assert_string_equal(s, "abc");
    free(s);
    assert_empty(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_is_empty),
        cmocka_unit_test(test_append_concatenates),
        cmocka_unit_test(test_append_binary_keeps_nul_bytes),
        cmocka_unit_test(test_append_zero_bytes),
        cmocka_unit_test(test_growth_doubles),
        cmocka_unit_test(test_max_is_inclusive),
        cmocka_unit_test(test_past_max_empties_and_stays_valid),
        cmocka_unit_test(test_single_append_over_max),
        cmocka_unit_test(test_zero_max_refuses_any_byte),
        cmocka_unit_test(test_huge_length_does_not_overflow),
        cmocka_unit_test(test_appendf),
        cmocka_unit_test(test_appendf_respects_max),
        cmocka_unit_test(test_appendf_grows),
        cmocka_unit_test(test_reset_keeps_memory),
        cmocka_unit_test(test_reset_of_unallocated_buffer),
        cmocka_unit_test(test_release_then_reuse),
        cmocka_unit_test(test_detach_hands_over_contents),
        cmocka_unit_test(test_detach_empty_buffer),
        cmocka_unit_test(test_detach_without_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
