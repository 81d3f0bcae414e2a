/*
 * fuzz.h — what every fuzz target in tests/fuzz/ shares.
 *
 * A target defines LLVMFuzzerTestOneInput(), libFuzzer's entry point.  The
 * same file builds two ways (tests/fuzz/CMakeLists.txt): with MCRED_FUZZ=ON
 * (clang) as fuzz_<name>, linked with libFuzzer, and in every test build as
 * replay_<name>, linked with replay.c, which runs the committed corpus and
 * the regressions once each — so an input that once crashed stays checked
 * by gcc and under the sanitizer build too.
 *
 * Besides not crashing, a target checks properties the code promises
 * (FUZZ_CHECK): a failed one aborts, which libFuzzer reports as a crash
 * and keeps as an artifact.
 */
#ifndef MCRED_TESTS_FUZZ_H
#define MCRED_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: property does not hold: %s\n", file, line, what);
    abort();
}

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_fail(#cond, __FILE__, __LINE__);                                                  \
    } while (0)

/*
 * The input as a C string (malloc'd; NULL when out of memory): the code
 * under test takes NUL-terminated text, as libmicrohttpd and libcurl hand
 * it over, so the text ends at the first NUL byte of the input.
 */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        if (size)
            memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

#endif
