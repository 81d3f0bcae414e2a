/*
 * events.c — the event types of events.h as an array.
 */
#include <string.h>

#include "mcred/events.h"

#include "mcred/banned.h"

#define MC_EVENT_NAME(type, what) type,

const char *const mc_event_types[] = {MC_EVENT_TYPES(MC_EVENT_NAME)};
const size_t mc_event_type_count = sizeof mc_event_types / sizeof mc_event_types[0];

bool mc_event_type_known(const char *type)
{
    for (size_t i = 0; type && i < mc_event_type_count; i++)
        if (strcmp(type, mc_event_types[i]) == 0)
            return true;
    return false;
}
