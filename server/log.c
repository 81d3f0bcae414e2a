/*
 * log.c — JSON log lines; see log.h.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "mcred/timefmt.h"
#include "request.h"

#include "mcred/banned.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* Write one line; a log line that cannot be built is dropped, never half-written. */
static void log_emit(cJSON *line)
{
    char *text = cJSON_PrintUnformatted(line);
    if (!text)
        return;
    pthread_mutex_lock(&log_lock);
    fputs(text, stderr);
    fputc('\n', stderr);
    fflush(stderr);
    pthread_mutex_unlock(&log_lock);
    free(text);
}

static cJSON *log_line(const char *level, const char *msg)
{
    struct timespec now;
    char ts[MC_RFC3339_LEN];
    clock_gettime(CLOCK_REALTIME, &now);
    cJSON *line = cJSON_CreateObject();
    if (!line)
        return NULL;
    if (!mc_time_rfc3339_ms(&now, ts) || !cJSON_AddStringToObject(line, "time", ts) ||
        !cJSON_AddStringToObject(line, "level", level) ||
        !cJSON_AddStringToObject(line, "msg", msg)) {
        cJSON_Delete(line);
        return NULL;
    }
    return line;
}

void log_request(const struct request *r, double seconds)
{
    unsigned status = r->status;
    cJSON *line = log_line(status >= 500 ? "error" : "info", "request");
    if (!line)
        return;
    bool ok = cJSON_AddStringToObject(line, "request_id", r->request_id) &&
              cJSON_AddStringToObject(line, "method", r->method ? r->method : "") &&
              cJSON_AddStringToObject(line, "route", r->route ? r->route->path : "") &&
              cJSON_AddStringToObject(line, "path", r->path ? r->path : "") &&
              cJSON_AddNumberToObject(line, "status", status) &&
              cJSON_AddNumberToObject(line, "duration_ms", seconds * 1000.0);
    if (ok && r->authenticated)
        ok = cJSON_AddStringToObject(line, "org", r->auth.org_slug) &&
             cJSON_AddStringToObject(line, "person", r->auth.person_id);
    if (ok && r->err.code != MC_OK)
        ok = cJSON_AddStringToObject(line, "error", mc_err_name(r->err.code)) &&
             cJSON_AddStringToObject(line, "message", mc_error_message(&r->err)) &&
             (!r->err.detail[0] || cJSON_AddStringToObject(line, "detail", r->err.detail));
    if (ok)
        log_emit(line);
    cJSON_Delete(line);
}

void log_message(const char *level, const char *msg, ...)
{
    cJSON *line = log_line(level, msg);
    if (!line)
        return;
    va_list ap;
    va_start(ap, msg);
    bool ok = true;
    for (const char *key = va_arg(ap, const char *); key && ok; key = va_arg(ap, const char *)) {
        const char *value = va_arg(ap, const char *);
        ok = cJSON_AddStringToObject(line, key, value ? value : "") != NULL;
    }
    va_end(ap);
    if (ok)
        log_emit(line);
    cJSON_Delete(line);
}
