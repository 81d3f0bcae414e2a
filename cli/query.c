/*
 * query.c — percent-encoding and query strings; see query.h.
 */
#include <string.h>

#include "query.h"

#include "mcred/banned.h"

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

enum mc_err cli_url_encode(struct mc_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    enum mc_err rc = MC_OK;

    for (size_t i = 0; rc == MC_OK && i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (unreserved(c)) {
            rc = mc_buf_appendc(out, (char)c);
        } else {
            const char enc[3] = {'%', hex[c >> 4], hex[c & 0x0F]};
            rc = mc_buf_append(out, enc, sizeof(enc));
        }
    }
    return rc;
}

enum mc_err cli_query_add_prefixed(struct mc_buf *url, const char *prefix, const char *key,
                                   size_t key_len, const char *value)
{
    size_t prefix_len = prefix ? strlen(prefix) : 0;
    enum mc_err rc;

    if (prefix_len + key_len == 0)
        return MC_ERR_INVALID;
    rc = mc_buf_appendc(url, memchr(url->data, '?', url->len) ? '&' : '?');
    if (rc == MC_OK)
        rc = cli_url_encode(url, prefix ? prefix : "", prefix_len);
    if (rc == MC_OK)
        rc = cli_url_encode(url, key, key_len);
    if (rc == MC_OK)
        rc = mc_buf_appendc(url, '=');
    if (rc == MC_OK)
        rc = cli_url_encode(url, value, strlen(value));
    return rc;
}

enum mc_err cli_query_add(struct mc_buf *url, const char *key, const char *value)
{
    return cli_query_add_prefixed(url, NULL, key, strlen(key), value);
}
