/*
 * webhook_receiver.c — mcred-test-receiver, a real webhook receiver for
 * integration tests.
 *
 * A test starts it on loopback, reads "port N" from its stdout, points a
 * webhook subscription at it and lets the mcred-server dispatcher deliver.
 * Every request is checked as a Standard Webhooks receiver would check it
 * (https://www.standardwebhooks.com): webhook-id, a fresh webhook-timestamp,
 * a JSON event body, and a "v1,<base64>" HMAC-SHA256 signature over
 * "<id>.<timestamp>.<body>" under one of the secrets in the --secrets file.
 * One line per request goes to the --log file, written before the answer
 * is sent, so a test that saw the server record a 2xx finds the line.
 *
 * The verification here is written from the specification with libsodium
 * alone and shares no code with server/ or lib/: a signing bug in the
 * server must not be mirrored by the same bug in the check.
 *
 * Knobs for failure tests: --fail-first N answers 500 to the first N
 * attempts of each webhook-id, --status CODE answers CODE instead of 200,
 * --hang-seconds S waits S seconds before answering (a receiver that hangs),
 * --delay-ms M waits M milliseconds (a slow one, to stretch a burst),
 * --reset resets the connection (TCP RST, no answer) instead of answering,
 * and --trouble-seconds W applies all of these only to requests that
 * arrive within W seconds of start, so that a receiver recovers on its
 * own (fault tests).  --port P listens on P instead of a free port, so a
 * receiver stopped for a while comes back at the same URL.
 *
 * Two options left out of the usage exist only to check the published
 * Standard Webhooks test vector by hand: --no-time-check skips the ±300 s
 * timestamp window (the vector is from 2021) and --no-event-check accepts
 * any JSON object as the body (the vector's body is {"test": 2432232314},
 * not an event with type, timestamp and data).
 *
 * Log line (tab-separated):
 *   <webhook-id>  <verified 0|1>  <status>  <type or ->  <webhook-timestamp>  <attempt>
 * Missing values are "-"; control characters become '?'; the attempt is 0
 * when the id is missing or invalid.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <sodium.h>

#define RX_MAX_BODY         (1024 * 1024) /* past this, 413 */
#define RX_MAX_ID           255           /* webhook-id length */
#define RX_MAX_TIMESTAMP    20            /* digits in webhook-timestamp */
#define RX_TOLERANCE        300           /* seconds either side of now */
#define RX_MAX_SECRETS_FILE (64 * 1024)
#define RX_MAX_KEY          256           /* decoded secret bytes */
#define RX_MAX_SIGNATURES   16            /* v1 entries in webhook-signature */
#define RX_MAX_IDS          (1024 * 1024) /* distinct webhook-ids remembered */
#define RX_MAX_TYPE         255           /* event type as logged */
#define RX_MAX_HANG         3600
#define RX_MAX_CONNECTIONS  256
#define RX_STEP_MS          100

/* 413 under its newer name, which libmicrohttpd before 0.9.74 lacks */
#define RX_HTTP_CONTENT_TOO_LARGE 413

#define SECRET_PREFIX "whsec_"
#define SIG_PREFIX    "v1,"

static atomic_bool stopping;

struct options {
    const char *secrets_path;
    const char *log_path;
    unsigned long fail_first;
    unsigned status; /* 0: answer 200 */
    unsigned hang_seconds;
    unsigned delay_ms;
    bool reset;
    unsigned trouble_seconds; /* 0: the knobs above apply for ever */
    unsigned port;            /* 0: any free port */
    bool time_check;
    bool event_check;
};

/* Attempts per webhook-id: open addressing, doubled at half full. */
struct attempt_slot {
    char *id;
    unsigned long count;
};

struct attempts {
    pthread_mutex_t lock;
    struct attempt_slot *slots;
    size_t cap; /* a power of two */
    size_t used;
};

struct receiver {
    struct options opt;
    struct timespec started; /* CLOCK_MONOTONIC */
    int log_fd;
    pthread_mutex_t log_lock;
    struct attempts attempts;
};

/* One request, from libmicrohttpd's first callback to its completion callback. */
struct upload {
    char *buf; /* NUL-terminated */
    size_t len;
    size_t cap;
    bool too_big;
};

/* ---- small helpers ---- */

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Parse a whole decimal number in [min, max]. */
static bool parse_ulong(const char *s, unsigned long min, unsigned long max,
                        unsigned long *out_value)
{
    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out_value = v;
    return true;
}

/* Copy a header value or JSON string for the log: bounded, no tabs or newlines, "-" when absent. */
static void log_field(char *out, size_t out_size, const char *value, size_t max)
{
    if (!value || !*value) {
        snprintf(out, out_size, "-");
        return;
    }
    size_t n = 0;
    for (; value[n] && n < max && n + 1 < out_size; n++) {
        unsigned char c = (unsigned char)value[n];
        out[n] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    out[n] = '\0';
}

/* ---- attempts per webhook-id ---- */

static uint64_t hash_id(const char *s)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static int attempts_init(struct attempts *a)
{
    memset(a, 0, sizeof *a);
    a->cap = 1024;
    a->slots = calloc(a->cap, sizeof *a->slots);
    if (!a->slots)
        return -1;
    if (pthread_mutex_init(&a->lock, NULL) != 0) {
        free(a->slots);
        a->slots = NULL;
        return -1;
    }
    return 0;
}

static void attempts_release(struct attempts *a)
{
    if (!a->slots)
        return;
    for (size_t i = 0; i < a->cap; i++)
        free(a->slots[i].id);
    free(a->slots);
    a->slots = NULL;
    (void)pthread_mutex_destroy(&a->lock);
}

static struct attempt_slot *slot_find(struct attempt_slot *slots, size_t cap, const char *id)
{
    size_t i = (size_t)hash_id(id) & (cap - 1);
    while (slots[i].id && strcmp(slots[i].id, id) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int attempts_grow(struct attempts *a)
{
    size_t cap = a->cap * 2;
    struct attempt_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < a->cap; i++)
        if (a->slots[i].id)
            *slot_find(slots, cap, a->slots[i].id) = a->slots[i];
    free(a->slots);
    a->slots = slots;
    a->cap = cap;
    return 0;
}

/* Count one more attempt for id; the attempt's number, or 0 when it cannot be counted. */
static unsigned long attempts_add(struct attempts *a, const char *id)
{
    unsigned long n = 0;
    if (pthread_mutex_lock(&a->lock) != 0)
        return 0;
    struct attempt_slot *s = slot_find(a->slots, a->cap, id);
    if (!s->id) {
        if (a->used >= RX_MAX_IDS)
            goto out;
        if ((a->used + 1) * 2 > a->cap) {
            if (attempts_grow(a) != 0)
                goto out;
            s = slot_find(a->slots, a->cap, id);
        }
        s->id = strdup(id);
        if (!s->id)
            goto out;
        s->count = 0;
        a->used++;
    }
    n = ++s->count;
out:
    (void)pthread_mutex_unlock(&a->lock);
    return n;
}

/* ---- verification ---- */

/* Read the secrets file into buf (NUL-terminated); -1 when it cannot be read or is too large. */
static int secrets_read(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    int rc = -1;
    for (;;) {
        if (len + 1 >= size)
            goto out; /* larger than we accept */
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto out;
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    rc = 0;
out:
    (void)close(fd);
    return rc;
}

/* Decode the v1 entries of a webhook-signature header; the number found, or -1 when malformed. */
static int signatures_parse(const char *header,
                            unsigned char out_macs[RX_MAX_SIGNATURES][crypto_auth_hmacsha256_BYTES])
{
    int n = 0;
    const char *p = header;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > strlen(SIG_PREFIX) && strncmp(p, SIG_PREFIX, strlen(SIG_PREFIX)) == 0) {
            if (n >= RX_MAX_SIGNATURES)
                return -1;
            size_t mac_len = 0;
            const char *b64 = p + strlen(SIG_PREFIX);
            if (sodium_base642bin(out_macs[n], crypto_auth_hmacsha256_BYTES, b64,
                                  len - strlen(SIG_PREFIX), NULL, &mac_len, NULL,
                                  sodium_base64_VARIANT_ORIGINAL) != 0 ||
                mac_len != crypto_auth_hmacsha256_BYTES)
                return -1;
            n++;
        }
        p += len;
    }
    return n;
}

static void hmac_message(const unsigned char *key, size_t key_len, const char *id,
                         const char *timestamp, const struct upload *body,
                         unsigned char out_mac[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;
    (void)crypto_auth_hmacsha256_init(&st, key, key_len);
    (void)crypto_auth_hmacsha256_update(&st, (const unsigned char *)id, strlen(id));
    (void)crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    (void)crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp, strlen(timestamp));
    (void)crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    (void)crypto_auth_hmacsha256_update(&st, (const unsigned char *)body->buf, body->len);
    (void)crypto_auth_hmacsha256_final(&st, out_mac);
    sodium_memzero(&st, sizeof st);
}

/*
 * Whether one secret line of the file signed a message whose v1 MACs are
 * macs[0..n): 1 when it did, 0 when not, -1 when the line is no secret.
 */
static int secret_line_check(const char *line, size_t len, const char *id, const char *timestamp,
                             const struct upload *body,
                             unsigned char macs[][crypto_auth_hmacsha256_BYTES], int n)
{
    unsigned char key[RX_MAX_KEY];
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    size_t key_len = 0;
    size_t prefix = strlen(SECRET_PREFIX);
    if (len <= prefix || strncmp(line, SECRET_PREFIX, prefix) != 0 ||
        sodium_base642bin(key, sizeof key, line + prefix, len - prefix, NULL, &key_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        key_len == 0) {
        sodium_memzero(key, sizeof key);
        return -1;
    }
    hmac_message(key, key_len, id, timestamp, body, mac);
    int found = 0;
    for (int i = 0; i < n; i++)
        if (sodium_memcmp(mac, macs[i], sizeof mac) == 0)
            found = 1;
    sodium_memzero(key, sizeof key);
    sodium_memzero(mac, sizeof mac);
    return found;
}

/*
 * Whether one of the secrets in the file signed this message: NULL when one
 * did, else why not.  The file is read anew each time: a test writes it
 * after the receiver has started, and may rotate it.
 */
static const char *signature_check(const char *secrets_path, const char *id, const char *timestamp,
                                   const char *header, const struct upload *body)
{
    unsigned char macs[RX_MAX_SIGNATURES][crypto_auth_hmacsha256_BYTES];
    int n = signatures_parse(header, macs);
    if (n < 0)
        return "webhook-signature is malformed";
    if (n == 0)
        return "webhook-signature has no v1 entry";

    char *file = malloc(RX_MAX_SECRETS_FILE);
    if (!file)
        return "out of memory";
    const char *why = "no secret in the secrets file matches";
    if (secrets_read(secrets_path, file, RX_MAX_SECRETS_FILE) != 0) {
        why = "could not read the secrets file";
        goto out;
    }
    char *line = file;
    while (line) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line += strspn(line, " \t");
        size_t len = strlen(line);
        while (len > 0 && strchr(" \t\r", line[len - 1]))
            len--;
        if (len > 0) {
            int r = secret_line_check(line, len, id, timestamp, body, macs, n);
            if (r < 0) {
                why = "the secrets file holds a line that is not whsec_<base64>";
                break;
            }
            if (r > 0) {
                why = NULL;
                break;
            }
        }
        line = next;
    }
out:
    sodium_memzero(file, RX_MAX_SECRETS_FILE);
    free(file);
    return why;
}

/* The event body: a JSON object with string "type", string "timestamp" and object "data". */
static const char *body_check(const struct upload *body, bool event_check, char *out_type,
                              size_t type_size)
{
    if (memchr(body->buf, '\0', body->len))
        return "body holds a NUL byte";
    /* len + 1 takes in the terminating NUL, so trailing garbage is refused */
    cJSON *json = cJSON_ParseWithLengthOpts(body->buf, body->len + 1, NULL, true);
    if (!json)
        return "body is not JSON";
    const char *why = NULL;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(json, "type");
    if (cJSON_IsString(type) && type->valuestring)
        log_field(out_type, type_size, type->valuestring, RX_MAX_TYPE);
    if (!cJSON_IsObject(json))
        why = "body is not a JSON object";
    else if (!event_check)
        why = NULL;
    else if (!cJSON_IsString(type) || !type->valuestring)
        why = "body has no string \"type\"";
    else if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(json, "timestamp")))
        why = "body has no string \"timestamp\"";
    else if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(json, "data")))
        why = "body has no object \"data\"";
    cJSON_Delete(json);
    return why;
}

static bool id_valid(const char *id)
{
    return id && *id && strlen(id) <= RX_MAX_ID;
}

static const char *timestamp_check(const char *ts, bool time_check)
{
    if (!ts || !*ts)
        return "webhook-timestamp is missing";
    size_t len = strlen(ts);
    if (len > RX_MAX_TIMESTAMP || strspn(ts, "0123456789") != len)
        return "webhook-timestamp is not a number of seconds";
    if (!time_check)
        return NULL;
    unsigned long long v = strtoull(ts, NULL, 10);
    time_t now = time(NULL);
    if (now == (time_t)-1)
        return "could not read the clock";
    unsigned long long n = (unsigned long long)now;
    unsigned long long diff = v > n ? v - n : n - v;
    if (diff > RX_TOLERANCE)
        return "webhook-timestamp is more than 300 s away from now";
    return NULL;
}

/* NULL when the request is a correctly signed Standard Webhooks delivery, else why not. */
static const char *request_check(const struct receiver *rx, struct MHD_Connection *conn,
                                 const struct upload *body, char *out_type, size_t type_size)
{
    const char *id = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "webhook-id");
    const char *ts = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "webhook-timestamp");
    const char *sig = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "webhook-signature");
    const char *ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "content-type");
    const char *agent = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "user-agent");
    /* the body is checked first so that the type is logged whatever else is wrong */
    const char *why = body_check(body, rx->opt.event_check, out_type, type_size);
    if (why)
        return why;
    if (!id_valid(id))
        return "webhook-id is missing or longer than 255 characters";
    why = timestamp_check(ts, rx->opt.time_check);
    if (why)
        return why;
    if (!ctype || strncasecmp(ctype, "application/json", strlen("application/json")) != 0)
        return "content-type is not application/json";
    if (!agent || !strstr(agent, "mcred"))
        return "user-agent does not name mcred";
    if (!sig || !*sig)
        return "webhook-signature is missing";
    return signature_check(rx->opt.secrets_path, id, ts, sig, body);
}

/* ---- the log ---- */

static void log_request(struct receiver *rx, struct MHD_Connection *conn, bool verified,
                        unsigned status, const char *type, unsigned long attempt)
{
    char id[RX_MAX_ID + 1], ts[RX_MAX_TIMESTAMP + 1], line[2 * RX_MAX_ID + 128];
    log_field(id, sizeof id, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "webhook-id"),
              RX_MAX_ID);
    log_field(ts, sizeof ts,
              MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "webhook-timestamp"),
              RX_MAX_TIMESTAMP);
    int n = snprintf(line, sizeof line, "%s\t%d\t%u\t%s\t%s\t%lu\n", id, verified ? 1 : 0, status,
                     type, ts, attempt);
    if (n < 0 || (size_t)n >= sizeof line) {
        fprintf(stderr, "mcred-test-receiver: log line too long\n");
        return;
    }
    if (pthread_mutex_lock(&rx->log_lock) != 0) {
        fprintf(stderr, "mcred-test-receiver: could not lock the log\n");
        return;
    }
    ssize_t w;
    do
        w = write(rx->log_fd, line, (size_t)n);
    while (w < 0 && errno == EINTR);
    (void)pthread_mutex_unlock(&rx->log_lock);
    if (w != (ssize_t)n)
        fprintf(stderr, "mcred-test-receiver: could not write to the log: %s\n",
                w < 0 ? strerror(errno) : "short write");
}

/* ---- HTTP ---- */

static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status, const char *text)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain") != MHD_YES) {
        MHD_destroy_response(resp);
        return MHD_NO;
    }
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED &&
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "POST") != MHD_YES) {
        MHD_destroy_response(resp);
        return MHD_NO;
    }
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* The attempt number of this request's webhook-id, counted now; 0 when it has none. */
static unsigned long attempt_count(struct receiver *rx, struct MHD_Connection *conn)
{
    const char *id = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "webhook-id");
    return id_valid(id) ? attempts_add(&rx->attempts, id) : 0;
}

/* Refuse a request early (wrong method, body too large): counted and logged, never verified. */
static enum MHD_Result refuse(struct receiver *rx, struct MHD_Connection *conn, unsigned status,
                              const char *text)
{
    unsigned long attempt = attempt_count(rx, conn);
    log_request(rx, conn, false, status, "-", attempt);
    return answer(conn, status, text);
}

static void hang(long ms)
{
    for (long waited = 0; waited < ms && !atomic_load(&stopping); waited += RX_STEP_MS)
        sleep_ms(ms - waited < RX_STEP_MS ? ms - waited : RX_STEP_MS);
}

/* Do the failure knobs apply to a request arriving now? */
static bool in_trouble(const struct receiver *rx)
{
    if (rx->opt.trouble_seconds == 0)
        return true;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec - rx->started.tv_sec < (time_t)rx->opt.trouble_seconds;
}

/* Drop the connection with a TCP RST: linger 0, then libmicrohttpd closes it on MHD_NO. */
static enum MHD_Result reset_connection(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info) {
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        (void)setsockopt(info->connect_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    return MHD_NO;
}

static enum MHD_Result deliver(struct receiver *rx, struct MHD_Connection *conn,
                               const struct upload *body)
{
    char type[RX_MAX_TYPE + 1] = "-";
    const char *why = request_check(rx, conn, body, type, sizeof type);
    unsigned long attempt = attempt_count(rx, conn);
    bool trouble = in_trouble(rx);
    if (trouble && rx->opt.reset) {
        log_request(rx, conn, why == NULL, 0, type, attempt);
        return reset_connection(conn);
    }
    if (trouble && (rx->opt.hang_seconds > 0 || rx->opt.delay_ms > 0))
        hang((long)rx->opt.hang_seconds * 1000 + rx->opt.delay_ms);

    unsigned status;
    const char *text;
    if (why) {
        const char *id = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "webhook-id");
        char shown[RX_MAX_ID + 1];
        log_field(shown, sizeof shown, id, RX_MAX_ID);
        fprintf(stderr, "mcred-test-receiver: %s not verified: %s\n", shown, why);
        status = MHD_HTTP_UNAUTHORIZED;
        text = "not verified";
    } else if (attempt == 0) {
        status = MHD_HTTP_SERVICE_UNAVAILABLE; /* too many ids to count, or out of memory */
        text = "could not count the attempt";
    } else if (trouble && attempt <= rx->opt.fail_first) {
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        text = "failing on purpose";
    } else if (trouble && rx->opt.status != 0) {
        status = rx->opt.status;
        text = "status on purpose";
    } else {
        status = MHD_HTTP_OK;
        text = "ok";
    }
    log_request(rx, conn, why == NULL, status, type, attempt);
    return answer(conn, status, text);
}

/* Append a chunk of the body; past RX_MAX_BODY, the rest is dropped and the request refused. */
static void upload_append(struct upload *u, const char *data, size_t size)
{
    if (u->too_big)
        return;
    if (size > RX_MAX_BODY - u->len) {
        u->too_big = true;
        return;
    }
    if (u->len + size + 1 > u->cap) {
        size_t cap = u->cap;
        while (u->len + size + 1 > cap)
            cap *= 2;
        if (cap > RX_MAX_BODY + 1)
            cap = RX_MAX_BODY + 1;
        char *buf = realloc(u->buf, cap);
        if (!buf) {
            u->too_big = true; /* answered 413 as well: nothing better to say */
            return;
        }
        u->buf = buf;
        u->cap = cap;
    }
    memcpy(u->buf + u->len, data, size);
    u->len += size;
    u->buf[u->len] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    struct receiver *rx = cls;
    (void)url;
    (void)version;
    struct upload *u = *req_cls;
    if (!u) {
        if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
            return refuse(rx, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only POST");
        const char *clen =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        unsigned long declared = 0;
        if (clen && parse_ulong(clen, 0, ULONG_MAX, &declared) && declared > RX_MAX_BODY)
            return refuse(rx, conn, RX_HTTP_CONTENT_TOO_LARGE, "body too large");
        u = calloc(1, sizeof *u);
        if (!u)
            return MHD_NO;
        u->cap = 4096;
        u->buf = malloc(u->cap);
        if (!u->buf) {
            free(u);
            return MHD_NO;
        }
        u->buf[0] = '\0';
        *req_cls = u;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        upload_append(u, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (u->too_big)
        return refuse(rx, conn, RX_HTTP_CONTENT_TOO_LARGE, "body too large");
    return deliver(rx, conn, u);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct upload *u = *req_cls;
    if (!u)
        return;
    free(u->buf);
    free(u);
    *req_cls = NULL;
}

/* ---- main ---- */

static void usage(void)
{
    fprintf(stderr, "usage: mcred-test-receiver --secrets FILE --log FILE [--fail-first N] "
                    "[--status CODE] [--hang-seconds S] [--delay-ms M] [--reset]\n"
                    "       [--trouble-seconds W] [--port P]\n");
    exit(2);
}

static void options_parse(int argc, char **argv, struct options *out)
{
    memset(out, 0, sizeof *out);
    out->time_check = true;
    out->event_check = true;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        unsigned long v = 0;
        if (strcmp(arg, "--no-time-check") == 0) {
            out->time_check = false;
            continue;
        }
        if (strcmp(arg, "--no-event-check") == 0) {
            out->event_check = false;
            continue;
        }
        if (strcmp(arg, "--reset") == 0) {
            out->reset = true;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        const char *val = argv[++i];
        if (strcmp(arg, "--secrets") == 0)
            out->secrets_path = val;
        else if (strcmp(arg, "--log") == 0)
            out->log_path = val;
        else if (strcmp(arg, "--fail-first") == 0 && parse_ulong(val, 0, ULONG_MAX, &v))
            out->fail_first = v;
        else if (strcmp(arg, "--status") == 0 && parse_ulong(val, 200, 599, &v))
            out->status = (unsigned)v;
        else if (strcmp(arg, "--hang-seconds") == 0 && parse_ulong(val, 0, RX_MAX_HANG, &v))
            out->hang_seconds = (unsigned)v;
        else if (strcmp(arg, "--delay-ms") == 0 && parse_ulong(val, 0, RX_MAX_HANG, &v))
            out->delay_ms = (unsigned)v;
        else if (strcmp(arg, "--trouble-seconds") == 0 && parse_ulong(val, 1, RX_MAX_HANG, &v))
            out->trouble_seconds = (unsigned)v;
        else if (strcmp(arg, "--port") == 0 && parse_ulong(val, 1, 65535, &v))
            out->port = (unsigned)v;
        else
            usage();
    }
    if (!out->secrets_path || !out->log_path)
        usage();
}

int main(int argc, char **argv)
{
    static struct receiver rx;
    options_parse(argc, argv, &rx.opt);
    if (sodium_init() < 0) {
        fprintf(stderr, "mcred-test-receiver: could not initialise libsodium\n");
        return 1;
    }

    /* SIGTERM and SIGINT are taken by sigwait below; every thread inherits the mask */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, &stop_signals, NULL) != 0 ||
        signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        fprintf(stderr, "mcred-test-receiver: could not set up signals\n");
        return 1;
    }

    rx.log_fd = open(rx.opt.log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (rx.log_fd < 0) {
        fprintf(stderr, "mcred-test-receiver: could not open log \"%s\": %s\n", rx.opt.log_path,
                strerror(errno));
        return 1;
    }
    if (pthread_mutex_init(&rx.log_lock, NULL) != 0 || attempts_init(&rx.attempts) != 0) {
        fprintf(stderr, "mcred-test-receiver: could not initialise\n");
        return 1;
    }

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)rx.opt.port);
    clock_gettime(CLOCK_MONOTONIC, &rx.started);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0,
        NULL, NULL, on_request, &rx, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)RX_MAX_CONNECTIONS, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "mcred-test-receiver: could not start listening on 127.0.0.1\n");
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (!info || info->port == 0) {
        fprintf(stderr, "mcred-test-receiver: could not learn the port\n");
        MHD_stop_daemon(d);
        return 1;
    }
    if (printf("port %u\n", (unsigned)info->port) < 0 || fflush(stdout) != 0) {
        MHD_stop_daemon(d);
        return 1;
    }

    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0)
        ;
    atomic_store(&stopping, true);
    MHD_stop_daemon(d);

    attempts_release(&rx.attempts);
    (void)pthread_mutex_destroy(&rx.log_lock);
    (void)close(rx.log_fd);
    return 0;
}
