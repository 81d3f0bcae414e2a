/*
 * test_tokens.c — the form and keyed hash of bearer tokens (server/tokens.h).
 *
 * Covers: token_generate gives "mcr_" + 43 URL-safe base64 characters that
 * token_well_formed accepts, and a different token each time;
 * token_well_formed refuses another prefix, another length and characters
 * outside the URL-safe alphabet ('+', '/', '=' …); token_key_derive and
 * token_hash are deterministic, depend on every input, and match known
 * answers computed independently (Python's hashlib.blake2b with the salt
 * and personalisation libsodium's crypto_kdf uses) — so that a change that
 * would invalidate every stored token hash fails here first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <sodium.h>

#include "invitations.h"
#include "tokens.h"

#include "mcred/banned.h"

static int group_setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

/* The master key 00 01 02 … 1f. */
static void fill_master_key(unsigned char key[32])
{
    for (unsigned i = 0; i < 32; i++)
        key[i] = (unsigned char)i;
}

static void hex_to_bin(const char *hex, unsigned char *out, size_t n)
{
    size_t len = 0;
    assert_int_equal(sodium_hex2bin(out, n, hex, strlen(hex), NULL, &len, NULL), 0);
    assert_int_equal(len, n);
}

static const char url_safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void test_generate_form(void **state)
{
    (void)state;
    char token[MC_TOKEN_TEXT_LEN + 1];
    memset(token, 'Z', sizeof token);
    token_generate(token);
    assert_int_equal(strlen(token), 47);
    assert_int_equal(MC_TOKEN_TEXT_LEN, 47);
    assert_memory_equal(token, "mcr_", 4);
    assert_int_equal(strspn(token + 4, url_safe), 43);
    assert_true(token_well_formed(token));
}

static void test_generate_differs(void **state)
{
    (void)state;
    enum { N = 32 };
    char tokens[N][MC_TOKEN_TEXT_LEN + 1];
    for (size_t i = 0; i < N; i++) {
        token_generate(tokens[i]);
        assert_true(token_well_formed(tokens[i]));
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(tokens[i], tokens[j]);
    }
}

static void test_well_formed_refuses(void **state)
{
    (void)state;
    char t[MC_TOKEN_TEXT_LEN + 8];
    memcpy(t, "mcr_", 4);
    memset(t + 4, 'A', 43);
    t[47] = '\0';
    assert_true(token_well_formed(t));

    /* characters outside the URL-safe alphabet, first, middle or last */
    static const char bad_chars[] = "+/= .~!\"%\t\x80\xff";
    static const size_t positions[] = {4, 25, 46};
    for (size_t i = 0; bad_chars[i]; i++) {
        for (size_t k = 0; k < sizeof positions / sizeof positions[0]; k++) {
            char c = t[positions[k]];
            t[positions[k]] = bad_chars[i];
            if (token_well_formed(t))
                fail_msg("accepted byte 0x%02x at %zu", (unsigned char)bad_chars[i], positions[k]);
            t[positions[k]] = c;
        }
    }
    /* '-' and '_' are part of the alphabet */
    t[10] = '-';
    t[11] = '_';
    assert_true(token_well_formed(t));

    /* length */
    t[46] = '\0';
    assert_false(token_well_formed(t));
    t[46] = 'A';
    t[47] = 'A';
    t[48] = '\0';
    assert_false(token_well_formed(t));
    t[47] = '\0';
    assert_true(token_well_formed(t));

    /* prefix */
    static const char *const prefixes[] = {"mcx_", "MCR_", "mcr-", "xcr_", "mcr:"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        memcpy(t, prefixes[i], 4);
        if (token_well_formed(t))
            fail_msg("accepted prefix %s", prefixes[i]);
    }
    memcpy(t, "mcr_", 4);
    assert_true(token_well_formed(t));

    assert_false(token_well_formed(""));
    assert_false(token_well_formed("mcr_"));
    assert_false(token_well_formed("Bearer mcr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
}

static void test_key_derive(void **state)
{
    (void)state;
    unsigned char master[32], other[32];
    unsigned char k1[MC_TOKEN_KEY_BYTES], k2[MC_TOKEN_KEY_BYTES], k3[MC_TOKEN_KEY_BYTES];
    fill_master_key(master);
    memcpy(other, master, sizeof other);
    other[31] ^= 1;
    assert_int_equal(token_key_derive(master, k1), MC_OK);
    assert_int_equal(token_key_derive(master, k2), MC_OK);
    assert_int_equal(token_key_derive(other, k3), MC_OK);
    assert_memory_equal(k1, k2, sizeof k1);
    assert_memory_not_equal(k1, k3, sizeof k1);
    assert_memory_not_equal(k1, master, sizeof k1);

    /* BLAKE2b-256, key = master, salt = LE64(1) || 0^8, personal = "mcredtok" || 0^8 */
    unsigned char expected[MC_TOKEN_KEY_BYTES];
    hex_to_bin("efc8b7bd72a6c07537ada2c2823e62a589be417307cc1465c9e5abdfd9cd9cc2", expected,
               sizeof expected);
    assert_memory_equal(k1, expected, sizeof k1);
}

static void test_hash(void **state)
{
    (void)state;
    unsigned char master[32], key[MC_TOKEN_KEY_BYTES], key2[MC_TOKEN_KEY_BYTES];
    fill_master_key(master);
    assert_int_equal(token_key_derive(master, key), MC_OK);
    memcpy(key2, key, sizeof key2);
    key2[0] ^= 0x80;

    char token[MC_TOKEN_TEXT_LEN + 1];
    memcpy(token, "mcr_", 4);
    memset(token + 4, 'A', 43);
    token[47] = '\0';
    char token2[MC_TOKEN_TEXT_LEN + 1];
    memcpy(token2, token, sizeof token2);
    token2[46] = 'B';

    unsigned char h1[MC_TOKEN_HASH_BYTES], h2[MC_TOKEN_HASH_BYTES];
    unsigned char h3[MC_TOKEN_HASH_BYTES], h4[MC_TOKEN_HASH_BYTES];
    assert_int_equal(token_hash(key, token, h1), MC_OK);
    assert_int_equal(token_hash(key, token, h2), MC_OK);
    assert_int_equal(token_hash(key2, token, h3), MC_OK);
    assert_int_equal(token_hash(key, token2, h4), MC_OK);
    assert_memory_equal(h1, h2, sizeof h1);
    assert_memory_not_equal(h1, h3, sizeof h1);
    assert_memory_not_equal(h1, h4, sizeof h1);

    /* keyed BLAKE2b-256 of the token text, with the key derived above */
    unsigned char expected[MC_TOKEN_HASH_BYTES];
    hex_to_bin("35397022fddaefdf1da92c7109a321b3d2e4acb2bf96ac1ecc91f3150e5431a7", expected,
               sizeof expected);
    assert_memory_equal(h1, expected, sizeof h1);
}

/* A generated token hashes the same way twice, and differently from another. */
static void test_hash_of_generated_tokens(void **state)
{
    (void)state;
    unsigned char master[32], key[MC_TOKEN_KEY_BYTES];
    fill_master_key(master);
    assert_int_equal(token_key_derive(master, key), MC_OK);
    char a[MC_TOKEN_TEXT_LEN + 1], b[MC_TOKEN_TEXT_LEN + 1];
    token_generate(a);
    token_generate(b);
    unsigned char ha[MC_TOKEN_HASH_BYTES], ha2[MC_TOKEN_HASH_BYTES], hb[MC_TOKEN_HASH_BYTES];
    assert_int_equal(token_hash(key, a, ha), MC_OK);
    assert_int_equal(token_hash(key, a, ha2), MC_OK);
    assert_int_equal(token_hash(key, b, hb), MC_OK);
    assert_memory_equal(ha, ha2, sizeof ha);
    assert_memory_not_equal(ha, hb, sizeof ha);
    sodium_memzero(a, sizeof a);
    sodium_memzero(b, sizeof b);
}

/* Invitation codes: their own prefix, never taken for a token nor a token for one. */
static void test_invitation_codes(void **state)
{
    (void)state;
    char a[MC_INVITE_TEXT_LEN + 1], b[MC_INVITE_TEXT_LEN + 1];
    invitation_code_generate(a);
    invitation_code_generate(b);
    assert_int_equal(strlen(a), 47);
    assert_memory_equal(a, "mci_", 4);
    assert_true(invitation_code_well_formed(a));
    assert_string_not_equal(a, b);
    assert_false(token_well_formed(a));
    char t[MC_TOKEN_TEXT_LEN + 1];
    token_generate(t);
    assert_false(invitation_code_well_formed(t));
    char bad[MC_INVITE_TEXT_LEN + 1];
    memcpy(bad, a, sizeof bad);
    bad[10] = '+';
    assert_false(invitation_code_well_formed(bad));
    bad[10] = a[10];
    bad[46] = '\0';
    assert_false(invitation_code_well_formed(bad));
    assert_false(invitation_code_well_formed(""));
    assert_false(invitation_code_well_formed("mci_"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_form),
        cmocka_unit_test(test_generate_differs),
        cmocka_unit_test(test_well_formed_refuses),
        cmocka_unit_test(test_key_derive),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_hash_of_generated_tokens),
        cmocka_unit_test(test_invitation_codes),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
