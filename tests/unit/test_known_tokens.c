/*
 * test_known_tokens.c — the secrets that authenticated lately: keys from
 * hash parameters, expiry after the last success, renewal, forgetting,
 * and a full table reusing its stalest slot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "known_tokens.h"

/* A key whose bytes are all `fill`, except the first two, which are `n` (to spread slots). */
static void key_of(unsigned n, unsigned char fill, unsigned char out[KNOWN_TOKEN_KEY_BYTES])
{
    memset(out, fill, KNOWN_TOKEN_KEY_BYTES);
    out[0] = (unsigned char)(n >> 8);
    out[1] = (unsigned char)n;
}

static void test_key_from_hash_param(void **state)
{
    (void)state;
    unsigned char key[KNOWN_TOKEN_KEY_BYTES];
    /* "\x" and 64 hex digits, as token_hash_param writes a 32-byte hash */
    char param[2 + 64 + 1] = "\\x";
    for (int i = 0; i < 32; i++)
        snprintf(param + 2 + 2 * i, 3, "%02x", i);
    assert_true(known_token_key(param, key));
    for (int i = 0; i < KNOWN_TOKEN_KEY_BYTES; i++)
        assert_int_equal(key[i], i);

    assert_false(known_token_key(NULL, key));
    assert_false(known_token_key("", key));
    assert_false(known_token_key("0001020304050607080910111213141516", key));  /* no \x */
    assert_false(known_token_key("\\x0001", key));                             /* too short */
    assert_false(known_token_key("\\xzz0102030405060708090a0b0c0d0e0f", key)); /* not hex */
}

static void test_expiry_and_renewal(void **state)
{
    (void)state;
    struct known_tokens *kt = known_tokens_create(64, 3600);
    assert_non_null(kt);
    unsigned char a[KNOWN_TOKEN_KEY_BYTES], b[KNOWN_TOKEN_KEY_BYTES];
    key_of(1, 0xAA, a);
    key_of(1, 0xBB, b); /* same first slot as a, another key */
    assert_false(known_tokens_has(kt, a, 0.0));
    known_tokens_add(kt, a, 100.0);
    assert_true(known_tokens_has(kt, a, 100.0));
    assert_false(known_tokens_has(kt, b, 100.0));
    assert_true(known_tokens_has(kt, a, 3699.0));
    assert_false(known_tokens_has(kt, a, 3700.0)); /* an hour after its last success */
    known_tokens_add(kt, a, 3000.0);               /* renewed before it expired */
    assert_true(known_tokens_has(kt, a, 6500.0));
    assert_false(known_tokens_has(kt, a, 6600.0));
    known_tokens_free(kt);
}

static void test_forget(void **state)
{
    (void)state;
    struct known_tokens *kt = known_tokens_create(64, 3600);
    assert_non_null(kt);
    unsigned char a[KNOWN_TOKEN_KEY_BYTES], b[KNOWN_TOKEN_KEY_BYTES];
    key_of(7, 0x11, a);
    key_of(7, 0x22, b);
    known_tokens_add(kt, a, 1.0);
    known_tokens_add(kt, b, 1.0);
    known_tokens_forget(kt, a);
    assert_false(known_tokens_has(kt, a, 2.0));
    assert_true(known_tokens_has(kt, b, 2.0)); /* its neighbour is kept */
    known_tokens_forget(kt, a);                /* twice is harmless */
    known_tokens_free(kt);
}

/* More keys than slots: the stalest is replaced, the newest are all there. */
static void test_full_table_reuses_the_stalest(void **state)
{
    (void)state;
    struct known_tokens *kt = known_tokens_create(4, 3600);
    assert_non_null(kt);
    unsigned char k[6][KNOWN_TOKEN_KEY_BYTES];
    for (unsigned i = 0; i < 6; i++) {
        key_of(i, 0x5A, k[i]);
        known_tokens_add(kt, k[i], 10.0 + i);
    }
    assert_false(known_tokens_has(kt, k[0], 20.0));
    assert_false(known_tokens_has(kt, k[1], 20.0));
    for (unsigned i = 2; i < 6; i++)
        assert_true(known_tokens_has(kt, k[i], 20.0));
    /* a key used again is renewed, so the next one replaces another */
    known_tokens_add(kt, k[2], 30.0);
    unsigned char fresh[KNOWN_TOKEN_KEY_BYTES];
    key_of(99, 0x5A, fresh);
    known_tokens_add(kt, fresh, 31.0);
    assert_true(known_tokens_has(kt, k[2], 32.0));
    assert_true(known_tokens_has(kt, fresh, 32.0));
    assert_false(known_tokens_has(kt, k[3], 32.0));
    known_tokens_free(kt);
}

static void test_create_refuses_no_slots(void **state)
{
    (void)state;
    assert_null(known_tokens_create(0, 60));
    known_tokens_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_from_hash_param),
        cmocka_unit_test(test_expiry_and_renewal),
        cmocka_unit_test(test_forget),
        cmocka_unit_test(test_full_table_reuses_the_stalest),
        cmocka_unit_test(test_create_refuses_no_slots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
