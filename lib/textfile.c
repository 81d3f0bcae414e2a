/*
 * textfile.c — see textfile.h.
 *
 * The order of the checks makes one message per file: a known signature
 * (a workbook is a zip full of NUL bytes and invalid UTF-8, but the user
 * needs to hear only that it is a workbook), then UTF-16 (whose ASCII
 * letters alternate with NUL bytes), then other binary data, then the
 * encoding and the separator of text, which share one fix and so one
 * message.
 */
#include <stdio.h>
#include <string.h>

#include "mcred/textfile.h"

#include "mcred/banned.h"

/* Bytes looked at to tell text from binary or UTF-16. */
#define SAMPLE 4096
/* Bytes of a zip archive searched for the names of an Office document's parts. */
#define ZIP_SAMPLE (64 * 1024)
/* The subject as shown in messages. */
#define SUBJECT_MAX 96

static const char FIX[] = "save it as CSV UTF-8";
static const char FIX_COMMAS[] = "save it as CSV (comma-separated) UTF-8";

/* Length of the well-formed UTF-8 character at p (Unicode table 3-7), 0 when ill-formed. */
static size_t utf8_char(const unsigned char *p, size_t len)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;

    if (c < 0x80)
        return c ? 1 : 0;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0; /* overlong */
    else if (c == 0xED)
        hi = 0x9F; /* surrogates */
    else if (c == 0xF0)
        lo = 0x90; /* overlong */
    else if (c == 0xF4)
        hi = 0x8F; /* past U+10FFFF */
    if (len < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    return n;
}

bool mc_utf8_well_formed(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len;) {
        size_t n = utf8_char(p + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

/* Bytes that the sanitised copy of in[i..len) needs. */
static size_t sanitized_len(const unsigned char *p, size_t i, size_t len)
{
    size_t total = 0;

    while (i < len) {
        size_t n = utf8_char(p + i, len - i);
        total += n ? n : 3;
        i += n ? n : 1;
    }
    return total;
}

size_t mc_utf8_sanitize(const char *in, size_t len, char *out, size_t cap)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    static const char ellipsis[] = "\xE2\x80\xA6";
    const unsigned char *p = (const unsigned char *)in;
    size_t i = 0, w = 0;

    if (cap == 0)
        return 0;
    if (cap < 4) {
        out[0] = '\0';
        return 0;
    }
    while (i < len) {
        size_t n = utf8_char(p + i, len - i);
        size_t piece = n ? n : 3;
        if (w + piece > cap - 4 && w + sanitized_len(p, i, len) > cap - 1) {
            memcpy(out + w, ellipsis, 3);
            w += 3;
            break;
        }
        memcpy(out + w, n ? in + i : replacement, piece);
        w += piece;
        i += n ? n : 1;
    }
    out[w] = '\0';
    return w;
}

static bool starts_with(const unsigned char *d, size_t n, const char *magic, size_t m)
{
    return n >= m && memcmp(d, magic, m) == 0;
}

static bool contains(const unsigned char *d, size_t n, const char *needle)
{
    size_t m = strlen(needle);

    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (d[i] == (unsigned char)needle[0] && memcmp(d + i, needle, m) == 0)
            return true;
    return false;
}

/* What a file with a known signature is ("an Excel workbook (.xlsx)"), or NULL. */
static const char *signature(const unsigned char *d, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what;
    } known[] = {
        {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an Excel 97-2003 workbook (.xls)"},
        {"%PDF-", 5, "a PDF document"},
        {"\x1F\x8B", 2, "a gzip archive"},
        {"\x89PNG", 4, "a PNG image"},
        {"\xFF\xD8\xFF", 3, "a JPEG image"},
        {"GIF8", 4, "a GIF image"},
        {"{\\rtf", 5, "an RTF document"},
        {"7z\xBC\xAF\x27\x1C", 6, "a 7-Zip archive"},
    };

    if (starts_with(d, n, "PK\x03\x04", 4)) {
        size_t m = n < ZIP_SAMPLE ? n : ZIP_SAMPLE;
        if (contains(d, m, "xl/"))
            return "an Excel workbook (.xlsx)";
        if (contains(d, m, "opendocument.spreadsheet"))
            return "an OpenDocument spreadsheet (.ods)";
        if (contains(d, m, "word/"))
            return "a Word document (.docx)";
        return "a zip archive";
    }
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (starts_with(d, n, known[k].magic, known[k].len))
            return known[k].what;
    return NULL;
}

/* UTF-16 without a byte-order mark: ASCII letters alternate with NUL bytes. */
static bool looks_utf16(const unsigned char *d, size_t n)
{
    size_t m = (n < SAMPLE ? n : SAMPLE) & ~(size_t)1;
    size_t pairs = m / 2, even = 0, odd = 0;

    if (pairs < 2)
        return false;
    for (size_t i = 0; i < m; i += 2) {
        even += d[i] == 0;
        odd += d[i + 1] == 0;
    }
    return (odd * 2 >= pairs && even * 10 <= pairs) || (even * 2 >= pairs && odd * 10 <= pairs);
}

/* NUL anywhere, or control bytes that text does not hold in more than 1 of 32 bytes. */
static bool looks_binary(const unsigned char *d, size_t n)
{
    size_t m = n < SAMPLE ? n : SAMPLE, controls = 0;

    if (memchr(d, 0, n))
        return true;
    for (size_t i = 0; i < m; i++)
        controls += (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r' && d[i] != '\f') ||
                    d[i] == 0x7F;
    return controls * 32 > m;
}

/* The row (header = 1, counting records as RFC 4180 does) of the first byte that is not UTF-8; 0
 * when all is. */
static unsigned first_bad_row(const unsigned char *d, size_t n)
{
    unsigned row = 1;
    bool quoted = false;

    for (size_t i = 0; i < n;) {
        size_t k = utf8_char(d + i, n - i);
        if (k == 0)
            return row;
        if (d[i] == '"')
            quoted = !quoted;
        else if (!quoted && d[i] == '\n')
            row++;
        else if (!quoted && d[i] == '\r' && (i + 1 >= n || d[i + 1] != '\n'))
            row++;
        i += k;
    }
    return 0;
}

/* The header's separator when it is not a comma: "semicolons", "tabs" or NULL. */
static const char *other_separator(const unsigned char *d, size_t n)
{
    size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;

    for (size_t i = 0; i < n; i++) {
        if (d[i] == '"')
            quoted = !quoted;
        else if (!quoted && (d[i] == '\n' || d[i] == '\r'))
            break;
        else if (!quoted) {
            commas += d[i] == ',';
            semicolons += d[i] == ';';
            tabs += d[i] == '\t';
        }
    }
    if (commas > 0 || (semicolons == 0 && tabs == 0))
        return NULL;
    return semicolons >= tabs ? "semicolons" : "tabs";
}

bool mc_csv_check(const char *data, size_t len, const char *subject, struct mc_csv_check *out)
{
    const unsigned char *d = (const unsigned char *)data;
    char who[SUBJECT_MAX + 4];
    const char *what, *sep;

    memset(out, 0, sizeof *out);
    (void)mc_utf8_sanitize(subject ? subject : "the file", subject ? strlen(subject) : 8, who,
                           sizeof who);
    if (starts_with(d, len, "\xEF\xBB\xBF", 3))
        out->bom = 3;
    d += out->bom;
    len -= out->bom;
    if (len == 0)
        return true;
    if (out->bom == 0 &&
        (starts_with(d, len, "\xFF\xFE", 2) || starts_with(d, len, "\xFE\xFF", 2))) {
        out->problem = MC_FILE_UTF16;
        (void)snprintf(out->message, sizeof out->message, "%s is UTF-16 text; %s", who, FIX);
        return false;
    }
    what = signature(d, len);
    if (what) {
        out->problem = MC_FILE_BINARY;
        (void)snprintf(out->message, sizeof out->message, "%s is %s, not CSV; %s", who, what, FIX);
        return false;
    }
    if (looks_utf16(d, len)) {
        out->problem = MC_FILE_UTF16;
        (void)snprintf(out->message, sizeof out->message, "%s is UTF-16 text; %s", who, FIX);
        return false;
    }
    if (looks_binary(d, len)) {
        out->problem = MC_FILE_BINARY;
        (void)snprintf(out->message, sizeof out->message, "%s is binary data, not CSV text; %s",
                       who, FIX);
        return false;
    }
    out->row = first_bad_row(d, len);
    sep = other_separator(d, len);
    if (out->row && sep) {
        out->problem = MC_FILE_NOT_UTF8;
        (void)snprintf(out->message, sizeof out->message,
                       "%s is separated by %s and is not UTF-8 (row %u looks like "
                       "Latin-1/Windows text); %s",
                       who, sep, out->row, FIX_COMMAS);
    } else if (out->row) {
        out->problem = MC_FILE_NOT_UTF8;
        (void)snprintf(out->message, sizeof out->message,
                       "%s is not UTF-8 (row %u looks like Latin-1/Windows text); %s", who,
                       out->row, FIX);
    } else if (sep) {
        out->problem = MC_FILE_SEPARATOR;
        out->row = 1;
        (void)snprintf(out->message, sizeof out->message, "%s is separated by %s, not commas; %s",
                       who, sep, FIX_COMMAS);
    }
    return out->problem == MC_FILE_OK;
}
