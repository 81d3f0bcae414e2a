/*
 * test_webhook_sign.c — Standard Webhooks signing against the
 * specification's published test vector (shared/spec/vectors), and our
 * secrets' round trip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <sodium.h>

#include "webhook_sign.h"

/* From the Standard Webhooks libraries' tests ("sign function works"). */
static void test_published_vector(void **state)
{
    (void)state;
    unsigned char key[WEBHOOK_KEY_MAX];
    size_t len = 0;
    assert_true(webhook_secret_parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", key, &len));
    assert_int_equal(len, 24);
    char hex[64];
    sodium_bin2hex(hex, sizeof hex, key, len);
    assert_string_equal(hex, "31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0");
    const char *body = "{\"test\": 2432232314}";
    char sig[WEBHOOK_SIGNATURE_TEXT];
    assert_int_equal(
        webhook_sign(key, len, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, strlen(body), sig),
        MC_OK);
    assert_string_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    /* any change is a different signature */
    assert_int_equal(
        webhook_sign(key, len, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body, strlen(body), sig),
        MC_OK);
    assert_string_not_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

static void test_secret_round_trip(void **state)
{
    (void)state;
    unsigned char key[WEBHOOK_SECRET_BYTES], back[WEBHOOK_KEY_MAX];
    char text[WEBHOOK_SECRET_TEXT];
    size_t len = 0;
    randombytes_buf(key, sizeof key);
    webhook_secret_text(key, sizeof key, text);
    assert_memory_equal(text, "whsec_", 6);
    assert_int_equal(strlen(text), 6 + 44);
    assert_true(webhook_secret_parse(text, back, &len));
    assert_int_equal(len, sizeof key);
    assert_memory_equal(back, key, sizeof key);
    assert_false(webhook_secret_parse("whsk_AAAA", back, &len));
    assert_false(webhook_secret_parse("whsec_", back, &len));
    assert_false(webhook_secret_parse("whsec_!!!!", back, &len));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_vector),
        cmocka_unit_test(test_secret_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
