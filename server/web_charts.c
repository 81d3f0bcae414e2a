/*
 * web_charts.c — see web_charts.h.
 *
 * The drawings are in the SVG's own units (a viewBox 520 wide) and scale
 * with the page; every number in them comes from the report as it is,
 * and the table under each chart prints the same numbers.  Text drawn in
 * the SVG is escaped like any other.
 */
#include <string.h>

#include "web_charts.h"
#include "web_pages.h"

#include "mcred/banned.h"

/*
 * Each table sits in a region that scrolls sideways on a narrow screen; the
 * region is focusable (tabindex 0) and named, so a keyboard can scroll it.
 */

#define CHART_WIDTH 360
/* 14px text stays about 12px on a phone; on a projector the chart grows no wider than this */
#define CHART_STYLE "max-width:36rem"

long web_percent(long part, long whole)
{
    return whole > 0 ? (200 * part + whole) / (2 * whole) : 0;
}

/* The rows of a report's table that describe everyone (group null). */
static bool everyone(const cJSON *row)
{
    return !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(row, "group"));
}

static const char *standard_title(const cJSON *standards, const char *code)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, standards)
    {
        if (strcmp(web_str(s, "code"), code) == 0)
            return web_str(s, "title");
    }
    return "";
}

/* ---- share of learners meeting each standard ---- */

#define BAR_WIDTH 300
#define BAR_ROW   48

static void standards_desc(struct html *h, const cJSON *report)
{
    const char *gap = "";
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, "standards"))
    {
        if (!everyone(row))
            continue;
        long n = web_long(row, "learners"), at = web_long(row, "at_or_above");
        html_rawf(h, "%sStandard ", gap);
        html_text(h, web_str(row, "standard"));
        html_rawf(h, ": %ld%% (%ld of %ld learners).", web_percent(at, n), at, n);
        gap = " ";
    }
}

static void standards_bars(struct html *h, const cJSON *report)
{
    int i = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, "standards"))
    {
        if (!everyone(row))
            continue;
        long n = web_long(row, "learners"), at = web_long(row, "at_or_above");
        long pct = web_percent(at, n);
        /* the standard's name above its bar, so that a long code has the whole width */
        int y = 6 + i++ * BAR_ROW;
        html_rawf(h, "<text x=\"0\" y=\"%d\">Standard ", y + 14);
        html_text(h, web_str(row, "standard"));
        html_rawf(h,
                  "</text><rect x=\"1\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"#ffffff\" "
                  "stroke=\"#5c5c5c\"/><rect x=\"1\" y=\"%d\" width=\"%ld\" height=\"20\" "
                  "fill=\"#1d3557\"/><text x=\"%d\" y=\"%d\">%ld%%</text>",
                  y + 20, BAR_WIDTH, y + 20, BAR_WIDTH * pct / 100, BAR_WIDTH + 8, y + 35, pct);
    }
}

static int standards_rows(const cJSON *report)
{
    int n = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, "standards"))
    {
        n += everyone(row);
    }
    return n;
}

static void standards_table(struct html *h, const cJSON *report, const cJSON *standards)
{
    html_raw(h, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Learners "
                "meeting each standard\"><table><caption>Learners meeting each standard"
                "</caption><thead><tr><th scope=\"col\">Standard</th>"
                "<th scope=\"col\" class=\"n\">Meeting it</th>"
                "<th scope=\"col\" class=\"n\">Learners</th>"
                "<th scope=\"col\" class=\"n\">Share</th></tr></thead><tbody>");
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, "standards"))
    {
        if (!everyone(row))
            continue;
        long n = web_long(row, "learners"), at = web_long(row, "at_or_above");
        html_raw(h, "<tr><th scope=\"row\">");
        html_text(h, web_str(row, "standard"));
        html_raw(h, " ");
        html_text(h, standard_title(standards, web_str(row, "standard")));
        html_rawf(h,
                  "</th><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
                  "<td class=\"n\">%ld%%</td></tr>",
                  at, n, web_percent(at, n));
    }
    html_raw(h, "</tbody></table></div>");
}

void web_chart_standards(struct html *h, const cJSON *report, const cJSON *standards, int min_level)
{
    int rows = standards_rows(report);
    html_raw(h, "<figure id=\"chart-standards\"><figcaption>Share of learners meeting each "
                "standard");
    html_rawf(h, " (every one of its indicators at level %d or above)", min_level);
    html_raw(h, "; the table below the chart gives the same figures.</figcaption>");
    html_rawf(h,
              "<svg role=\"img\" aria-labelledby=\"chart-standards-title chart-standards-desc\" "
              "style=\"%s\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
              "preserveAspectRatio=\"xMinYMin meet\">"
              "<title id=\"chart-standards-title\">Share of learners meeting each standard"
              "</title><desc id=\"chart-standards-desc\">",
              CHART_STYLE, CHART_WIDTH, 10 + (rows ? rows : 1) * BAR_ROW);
    if (rows == 0)
        html_raw(h, "The credential has no standards.");
    standards_desc(h, report);
    html_raw(h, "</desc>");
    standards_bars(h, report);
    html_raw(h, "</svg>");
    standards_table(h, report, standards);
    html_raw(h, "</figure>");
}

/* ---- weekly attendance by mode ---- */

#define PLOT_LEFT   30
#define PLOT_TOP    16
#define PLOT_HEIGHT 180
#define PLOT_WIDTH  (CHART_WIDTH - PLOT_LEFT - 8)
#define LEGEND_Y    (PLOT_TOP + PLOT_HEIGHT + 48)

/* The modes stacked, bottom first, each with the fill that tells it apart without colour. */
static const struct {
    const char *key, *words, *fill;
} modes[] = {
    {"in_person", "In person", "#1d3557"},
    {"online", "Online", "url(#att-online)"},
    {"asynchronous", "Asynchronous", "url(#att-async)"},
};
#define N_MODES (sizeof modes / sizeof modes[0])

/* Stripes for online, dots for asynchronous: told apart in grey and in print. */
static const char attendance_patterns[] =
    "<defs><pattern id=\"att-online\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
    "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#ffffff\"/>"
    "<rect width=\"4\" height=\"8\" fill=\"#0b4f9c\"/></pattern>"
    "<pattern id=\"att-async\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">"
    "<rect width=\"8\" height=\"8\" fill=\"#ffffff\"/>"
    "<circle cx=\"4\" cy=\"4\" r=\"2.2\" fill=\"#1e6b32\"/></pattern></defs>";

static int attendance_rows(const cJSON *report, long *max_learners)
{
    int n = 0;
    *max_learners = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, "attendance"))
    {
        if (!everyone(row))
            continue;
        n++;
        if (web_long(row, "learners") > *max_learners)
            *max_learners = web_long(row, "learners");
    }
    return n;
}

/* "Week 2" or, for a session without a week, its date. */
static void week_words(struct html *h, const cJSON *row)
{
    const cJSON *week = cJSON_GetObjectItemCaseSensitive(row, "week");
    if (cJSON_IsNumber(week))
        html_rawf(h, "Week %ld", (long)week->valuedouble);
    else
        html_textn(h, web_str(row, "starts_at"), strnlen(web_str(row, "starts_at"), 10));
}

static void attendance_desc(struct html *h, const cJSON *report)
{
    const char *gap = "";
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, "attendance"))
    {
        if (!everyone(row))
            continue;
        html_raw(h, gap);
        week_words(h, row);
        gap = " ";
        html_rawf(h, ": %ld in person, %ld online, %ld asynchronous, of %ld learners.",
                  web_long(row, "in_person"), web_long(row, "online"),
                  web_long(row, "asynchronous"), web_long(row, "learners"));
    }
}

static void attendance_axis(struct html *h, long max)
{
    html_rawf(h,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1b1b1b\"/>"
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1b1b1b\"/>"
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>"
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%ld</text>",
              PLOT_LEFT, PLOT_TOP, PLOT_LEFT, PLOT_TOP + PLOT_HEIGHT, PLOT_LEFT,
              PLOT_TOP + PLOT_HEIGHT, PLOT_LEFT + PLOT_WIDTH, PLOT_TOP + PLOT_HEIGHT, PLOT_LEFT - 6,
              PLOT_TOP + PLOT_HEIGHT, PLOT_LEFT - 6, PLOT_TOP + 12, max);
}

static void attendance_columns(struct html *h, const cJSON *report, int n, long max)
{
    int slot = PLOT_WIDTH / (n ? n : 1);
    int width = slot * 3 / 5 > 56 ? 56 : slot * 3 / 5;
    int i = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, "attendance"))
    {
        if (!everyone(row))
            continue;
        int x = PLOT_LEFT + i++ * slot + (slot - width) / 2;
        long base = 0, total = 0;
        for (size_t m = 0; m < N_MODES; m++) {
            long count = web_long(row, modes[m].key);
            long y0 = PLOT_HEIGHT * base / max, y1 = PLOT_HEIGHT * (base + count) / max;
            if (count > 0)
                html_rawf(h,
                          "<rect x=\"%d\" y=\"%ld\" width=\"%d\" height=\"%ld\" fill=\"%s\" "
                          "stroke=\"#1b1b1b\"/>",
                          x, PLOT_TOP + PLOT_HEIGHT - y1, width, y1 - y0, modes[m].fill);
            base += count;
            total += count;
        }
        html_rawf(h, "<text x=\"%d\" y=\"%ld\" text-anchor=\"middle\">%ld</text>", x + width / 2,
                  PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * total / max - 4, total);
        html_rawf(h, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x + width / 2,
                  PLOT_TOP + PLOT_HEIGHT + 20);
        /* more columns than "Week 6" fits under: the number alone (the table has the rest) */
        const cJSON *week = cJSON_GetObjectItemCaseSensitive(row, "week");
        if (n > 6 && cJSON_IsNumber(week))
            html_rawf(h, "%ld", (long)week->valuedouble);
        else
            week_words(h, row);
        html_raw(h, "</text>");
    }
}

static void attendance_legend(struct html *h)
{
    for (size_t m = 0; m < N_MODES; m++) {
        int x = (int)m * 115;
        html_rawf(h,
                  "<rect x=\"%d\" y=\"%d\" width=\"18\" height=\"18\" fill=\"%s\" "
                  "stroke=\"#1b1b1b\"/><text x=\"%d\" y=\"%d\">%s</text>",
                  x, LEGEND_Y - 14, modes[m].fill, x + 24, LEGEND_Y, modes[m].words);
    }
}

static void attendance_table(struct html *h, const cJSON *report)
{
    html_raw(h, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Weekly "
                "attendance by mode\"><table><caption>Weekly attendance by mode</caption>"
                "<thead><tr><th scope=\"col\">Session</th><th scope=\"col\">Date</th>"
                "<th scope=\"col\" class=\"n\">In person</th>"
                "<th scope=\"col\" class=\"n\">Online</th>"
                "<th scope=\"col\" class=\"n\">Asynchronous</th>"
                "<th scope=\"col\" class=\"n\">Excused</th>"
                "<th scope=\"col\" class=\"n\">Absent or not recorded</th>"
                "<th scope=\"col\" class=\"n\">Learners</th></tr></thead><tbody>");
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(report, "attendance"))
    {
        if (!everyone(row))
            continue;
        html_raw(h, "<tr><th scope=\"row\">");
        week_words(h, row);
        html_raw(h, "</th><td>");
        html_textn(h, web_str(row, "starts_at"), strnlen(web_str(row, "starts_at"), 10));
        html_rawf(h,
                  "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
                  "<td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td></tr>",
                  web_long(row, "in_person"), web_long(row, "online"),
                  web_long(row, "asynchronous"), web_long(row, "excused"), web_long(row, "absent"),
                  web_long(row, "learners"));
    }
    html_raw(h, "</tbody></table></div>");
}

void web_chart_attendance(struct html *h, const cJSON *report)
{
    long max = 0;
    int n = attendance_rows(report, &max);
    if (max < 1)
        max = 1;
    html_raw(h, "<figure id=\"chart-attendance\"><figcaption>Attendance of each weekly session "
                "by mode, stacked: in person (solid), online (stripes), asynchronous (dots), "
                "out of the cohort's learners; the table below the chart gives the same "
                "figures.</figcaption>");
    html_rawf(h,
              "<svg role=\"img\" aria-labelledby=\"chart-attendance-title "
              "chart-attendance-desc\" style=\"%s\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
              "preserveAspectRatio=\"xMinYMin meet\"><title id=\"chart-attendance-title\">"
              "Attendance per week by mode</title><desc id=\"chart-attendance-desc\">",
              CHART_STYLE, CHART_WIDTH, LEGEND_Y + 10);
    if (n == 0)
        html_raw(h, "No weekly sessions are scheduled yet.");
    attendance_desc(h, report);
    html_raw(h, "</desc>");
    html_raw(h, attendance_patterns);
    attendance_axis(h, max);
    attendance_columns(h, report, n, max);
    attendance_legend(h);
    html_raw(h, "</svg>");
    if (n == 0)
        html_raw(h, "<p>No weekly sessions are scheduled yet.</p>");
    else
        attendance_table(h, report);
    html_raw(h, "</figure>");
}
