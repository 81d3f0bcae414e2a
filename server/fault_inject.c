/*
 * fault_inject.c — see fault_inject.h.  Compiled only with
 * MCRED_TEST_HOOKS.
 *
 * The countdown is thread-local: libmicrohttpd answers a request from
 * its last callback to the queued answer on one thread without serving
 * another connection meanwhile, so the Nth allocation counted is this
 * request's, and the dispatcher's threads never count at all.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "fault_inject.h"
#include "request.h"

#include "mcred/banned.h"

#define FAULT_ALLOC_HEADER "X-Mcred-Fault-Alloc"
#define FAULT_ALLOC_MAX    1000000

static atomic_bool enabled;
static _Thread_local long countdown; /* 0: disarmed */
static _Thread_local bool fired;

static void *fault_malloc(size_t size)
{
    if (countdown > 0 && --countdown == 0) {
        fired = true;
        errno = ENOMEM; /* as malloc does */
        return NULL;
    }
    return malloc(size);
}

bool fault_inject_init(bool on)
{
    atomic_store(&enabled, on);
    if (!on)
        return false;
    cJSON_Hooks hooks = {.malloc_fn = fault_malloc, .free_fn = free};
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
