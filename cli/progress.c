/*
 * progress.c — the upload progress line; see progress.h.
 *
 * Rendering picks the longest of a few forms that fits the terminal (bar
 * and sizes, then percent and sizes, then percent alone) rather than
 * cutting one form short, so a narrow terminal still gets a line that
 * reads well.  Drawing remembers the last line and writes only changes:
 * libcurl calls back far more often than the percentage moves.
 */
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "progress.h"
#include "text.h"

#include "mcred/banned.h"

#define KIB 1024ULL

/* The unit a byte count is shown in: its divisor and name. */
static void unit_of(unsigned long long n, unsigned long long *out_div, const char **out_name)
{
    static const char *const names[] = {"B", "KiB", "MiB", "GiB"};
    unsigned long long div = 1;
    size_t i = 0;

    while (i + 1 < sizeof(names) / sizeof(names[0]) && n >= div * KIB) {
        div *= KIB;
        i++;
    }
    *out_div = div;
    *out_name = names[i];
}

/* n in the unit of divisor div: whole bytes, else one decimal, right-aligned in `width`. */
static enum mc_err amount_append(struct mc_buf *out, unsigned long long n, unsigned long long div,
                                 int width)
{
    if (div == 1)
        return mc_buf_appendf(out, "%*llu", width, n);
    return mc_buf_appendf(out, "%*.1f", width, (double)n / (double)div);
}

enum mc_err cli_progress_bytes(struct mc_buf *out, unsigned long long n)
{
    unsigned long long div;
    const char *unit;
    enum mc_err rc;

    unit_of(n, &div, &unit);
    rc = amount_append(out, n, div, 0);
    if (rc == MC_OK)
        rc = mc_buf_appendf(out, " %s", unit);
    return rc;
}

/* Append `s` when it fits in `avail` columns; true when it did. */
static bool append_if_fits(struct mc_buf *out, const char *s, size_t avail, enum mc_err *rc)
{
    if (avail && cli_text_width(s) > avail)
        return false;
    *rc = mc_buf_appends(out, s);
    return true;
}

/*
 * "1.3/2.6 MiB": both in the unit of the total, the part sent as wide as
 * the total, so that the line keeps its length as the count goes up.
 */
static enum mc_err sizes_append(struct mc_buf *out, unsigned long long sent,
                                unsigned long long total)
{
    struct mc_buf whole;
    unsigned long long div;
    const char *unit;
    enum mc_err rc;

    unit_of(total, &div, &unit);
    mc_buf_init(&whole, 64);
    rc = amount_append(&whole, total, div, 0);
    if (rc == MC_OK)
        rc = amount_append(out, sent, div, (int)whole.len);
    if (rc == MC_OK)
        rc = mc_buf_appendf(out, "/%s %s", whole.data, unit);
    mc_buf_release(&whole);
    return rc;
}

static enum mc_err render_waiting(struct mc_buf *out, unsigned long long total, size_t avail)
{
    struct mc_buf line;
    enum mc_err rc;

    mc_buf_init(&line, CLI_PROGRESS_MAX_LINE);
    rc = mc_buf_appends(&line, "uploaded ");
    if (rc == MC_OK)
        rc = cli_progress_bytes(&line, total);
    if (rc == MC_OK)
        rc = mc_buf_appends(&line, "; checking\xE2\x80\xA6");
    if (rc == MC_OK && !append_if_fits(out, line.data, avail, &rc))
        rc = cli_text_append_clean(out, "checking\xE2\x80\xA6", avail);
    mc_buf_release(&line);
    return rc;
}

static enum mc_err render_sending(struct mc_buf *out, unsigned long long sent,
                                  unsigned long long total, size_t avail)
{
    struct mc_buf tail, line;
    unsigned pct = (unsigned)((double)sent * 100.0 / (double)total);
    enum mc_err rc;

    mc_buf_init(&tail, CLI_PROGRESS_MAX_LINE);
    mc_buf_init(&line, CLI_PROGRESS_MAX_LINE);
    rc = mc_buf_appendf(&tail, " %3u%%  ", pct);
    if (rc == MC_OK)
        rc = sizes_append(&tail, sent, total);
    if (rc != MC_OK)
        goto out;

    /* "uploading [" + bar + "]" + tail */
    size_t fixed = strlen("uploading []") + tail.len;
    if (!avail || avail >= fixed + CLI_PROGRESS_MIN_BAR) {
        size_t bar = avail ? avail - fixed : CLI_PROGRESS_MAX_BAR;
        bar = bar > CLI_PROGRESS_MAX_BAR ? CLI_PROGRESS_MAX_BAR : bar;
        size_t filled = (size_t)((double)bar * (double)sent / (double)total);
        rc = mc_buf_appends(out, "uploading [");
        for (size_t i = 0; rc == MC_OK && i < bar; i++)
            rc = mc_buf_appendc(out, i < filled ? '#' : '.');
        if (rc == MC_OK)
            rc = mc_buf_appendc(out, ']');
        if (rc == MC_OK)
            rc = mc_buf_append(out, tail.data, tail.len);
        goto out;
    }
    rc = mc_buf_appendf(&line, "uploading %u%%  ", pct);
    if (rc == MC_OK)
        rc = sizes_append(&line, sent, total);
    if (rc != MC_OK || append_if_fits(out, line.data, avail, &rc))
        goto out;
    mc_buf_reset(&line);
    rc = mc_buf_appendf(&line, "uploading %u%%", pct);
    if (rc != MC_OK || append_if_fits(out, line.data, avail, &rc))
        goto out;
    mc_buf_reset(&line);
    rc = mc_buf_appendf(&line, "%u%%", pct);
    if (rc == MC_OK)
        rc = cli_text_append_clean(out, line.data, avail);
out:
    mc_buf_release(&tail);
    mc_buf_release(&line);
    return rc;
}

enum mc_err cli_progress_render(struct mc_buf *out, unsigned long long sent,
                                unsigned long long total, size_t width)
{
    /* One column is kept free: writing the last one makes some terminals wrap. */
    size_t avail = width == 0 ? 0 : width > 1 ? width - 1 : 1;
    enum mc_err rc = MC_OK;

    if (total == 0) {
        if (!append_if_fits(out, "uploading\xE2\x80\xA6", avail, &rc))
            rc = cli_text_append_clean(out, "uploading\xE2\x80\xA6", avail);
        return rc;
    }
    if (sent >= total)
        return render_waiting(out, total, avail);
    return render_sending(out, sent, total, avail);
}

static size_t stream_width(FILE *f)
{
    struct winsize ws;

    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

void cli_progress_start(struct cli_progress *p, FILE *f)
{
    int fd = f ? fileno(f) : -1;

    p->f = fd >= 0 && isatty(fd) ? f : NULL;
    p->width = p->f ? stream_width(f) : 0;
    p->shown = 0;
    p->last[0] = '\0';
}

/* Draw `line` unless it is already on screen. */
static void line_draw(struct cli_progress *p, const struct mc_buf *line)
{
    size_t w;

    if (strcmp(line->data, p->last) == 0)
        return;
    w = cli_text_width(line->data);
    /* Spaces over what is left of a longer line before it. */
    (void)fprintf(p->f, "\r%s%*s", line->data, p->shown > w ? (int)(p->shown - w) : 0, "");
    (void)fflush(p->f);
    memcpy(p->last, line->data, line->len + 1);
    p->shown = w > p->shown ? w : p->shown;
}

void cli_progress_update(void *arg, unsigned long long sent, unsigned long long total)
{
    struct cli_progress *p = arg;
    struct mc_buf line;

    if (!p->f)
        return;
    mc_buf_init(&line, CLI_PROGRESS_MAX_LINE - 1);
    if (cli_progress_render(&line, sent, total, p->width) == MC_OK)
        line_draw(p, &line);
    mc_buf_release(&line);
}

void cli_progress_note(struct cli_progress *p, const char *text)
{
    struct mc_buf line;
    size_t avail = p->width > 1 ? p->width - 1 : 1;

    if (!p->f)
        return;
    /* The longest line fits CLI_PROGRESS_MAX_LINE: at most 4 bytes a column. */
    avail = avail > (CLI_PROGRESS_MAX_LINE - 1) / 4 ? (CLI_PROGRESS_MAX_LINE - 1) / 4 : avail;
    mc_buf_init(&line, CLI_PROGRESS_MAX_LINE - 1);
    if (cli_text_append_clean(&line, text, avail) == MC_OK)
        line_draw(p, &line);
    mc_buf_release(&line);
}

void cli_progress_clear(struct cli_progress *p)
{
    if (!p->f || p->shown == 0)
        return;
    (void)fprintf(p->f, "\r%*s\r", (int)p->shown, "");
    (void)fflush(p->f);
    p->shown = 0;
    p->last[0] = '\0';
}
