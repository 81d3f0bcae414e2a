/*
 * fault_inject.c — see fault_inject.h.  Compiled only with
 * MCRED_TEST_HOOKS.
 *
 * Two doors lead to the one countdown.  cJSON is a shared library, so
 * its allocations come through the hooks cJSON_InitHooks() installs.
 * Our own code — server/, lib/, jose/, vc/, linked statically into the
 * executable — is linked with `-Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc,--wrap=strdup` (server/CMakeLists.txt): the linker sends
 * each of those calls in our objects to __wrap_<name> here, which calls
 * the real one (__real_<name>, which is what ASan intercepts in a
 * sanitizer build) unless the countdown says fail.  --wrap rewrites only
 * the references of the objects being linked, so libpq, libcurl,
 * libmicrohttpd, libsodium and libcsv, all shared libraries, keep
 * allocating as they always do.
 *
 * The countdown is thread-local: libmicrohttpd answers a request from
 * its last callback to the queued answer on one thread without serving
 * another connection meanwhile, so the Nth allocation counted is this
 * request's, and the dispatcher's threads never count at all.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fault_inject.h"
#include "request.h"

#include "mcred/banned.h"

#define FAULT_ALLOC_HEADER "X-Mcred-Fault-Alloc"
#define FAULT_ALLOC_MAX    1000000

static atomic_bool enabled;
static _Thread_local long countdown; /* 0: disarmed */
static _Thread_local bool fired;

/* The linker's names (ld --wrap): declared here, for -Wmissing-prototypes, and nowhere else.
 * They are reserved identifiers because the linker chose them, not we. */
/* NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
/* NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

/* Is this the allocation that must fail?  Counts it when armed. */
static bool fail_now(void)
{
    if (countdown > 0 && --countdown == 0) {
        fired = true;
        errno = ENOMEM; /* as malloc does */
        return true;
    }
    return false;
}

void *__wrap_malloc(size_t size)
{
    return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

/* A failing realloc leaves the old block as it was, as realloc does. */
void *__wrap_realloc(void *p, size_t size)
{
    return fail_now() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
    return fail_now() ? NULL : __real_strdup(s);
}

bool fault_inject_init(bool on)
{
    atomic_store(&enabled, on);
    if (!on)
        return false;
    /* cJSON's own calls, which the linker cannot reach, through the same countdown */
    cJSON_Hooks hooks = {.malloc_fn = __wrap_malloc, .free_fn = free};
    cJSON_InitHooks(&hooks);
    return true;
}

void fault_inject_arm(const struct request *r)
{
    countdown = 0;
    fired = false;
    if (!atomic_load(&enabled))
        return;
    const char *v = request_header(r, FAULT_ALLOC_HEADER);
    char *end = NULL;
    long n = v ? strtol(v, &end, 10) : 0;
    if (v && end != v && *end == '\0' && n > 0 && n <= FAULT_ALLOC_MAX)
        countdown = n;
}

bool fault_inject_disarm(void)
{
    bool was = fired;
    countdown = 0;
    fired = false;
    return was;
}
