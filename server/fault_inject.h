/*
 * fault_inject.h — test hooks that make the server fail on purpose, so
 * that the fault tests (tests/faults/test_fault_alloc.c) can prove a
 * request that runs out of memory fails cleanly.
 *
 * Built only with the CMake option MCRED_TEST_HOOKS (ON by default when
 * the tests are built, OFF in the Docker image and any build with
 * -DMCRED_TESTS=OFF; docs/testing.md, "Fault tests"); without it every
 * function here is an empty inline and nothing of this is in the binary.
 * Even when built in, it does nothing unless the server starts with
 * MCRED_TEST_FAULTS=1.
 *
 * What it covers: every malloc, calloc, realloc and strdup that our own
 * code makes (server/, lib/, jose/, vc/: request contexts, mc_buf
 * buffers, copied strings, arrays; through the linker's --wrap, see
 * fault_inject.c) and every allocation cJSON makes (through its hooks),
 * on the thread answering the request, from routing to the queued
 * answer.  A request with the header `X-Mcred-Fault-Alloc: N` has the
 * Nth such allocation fail (once; later ones succeed).  Not covered:
 * libpq's, libcurl's, libmicrohttpd's, libsodium's and libcsv's own
 * allocations (shared libraries, which --wrap does not reach), and the
 * upload of the body before routing.
 */
#ifndef MCRED_SERVER_FAULT_INJECT_H
#define MCRED_SERVER_FAULT_INJECT_H

#include <stdbool.h>

struct request;

#ifdef MCRED_TEST_HOOKS
/* At start-up: install the hooks when `enabled` (MCRED_TEST_FAULTS=1); whether they are. */
bool fault_inject_init(bool enabled);
/* Before a request is handled on this thread: arm what its headers ask for. */
void fault_inject_arm(const struct request *r);
/* After its answer is queued: disarm; true when an armed failure fired. */
bool fault_inject_disarm(void);
#else
static inline bool fault_inject_init(bool enabled)
{
    (void)enabled;
    return false;
}
static inline void fault_inject_arm(const struct request *r)
{
    (void)r;
}
static inline bool fault_inject_disarm(void)
{
    return false;
}
#endif

#endif
