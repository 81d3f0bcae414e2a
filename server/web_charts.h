/*
 * web_charts.h — the charts of a cohort's page, drawn from its report
 * (mcred.cohort_report, without ?by) as inline SVG: no script, no request
 * elsewhere, scaled to the width of a phone or a projector (a viewBox and
 * width 100%).  Each is a <figure> with an SVG of role img that has a
 * <title> and a <desc>, a caption, and a table of the same figures beneath
 * it, so that nothing is told by the picture alone; series differ by
 * pattern and are named in a legend, not by colour only.
 */
#ifndef MCRED_SERVER_WEB_CHARTS_H
#define MCRED_SERVER_WEB_CHARTS_H

#include <cjson/cJSON.h>

#include "mcred/html.h"

/* A share as a whole percentage, rounded half up; 0 of 0 is 0. */
long web_percent(long part, long whole);

/*
 * <figure id="chart-standards">: the share of learners meeting each
 * standard (every indicator at the rule's level or above), one horizontal
 * bar per standard with its percentage printed.  `standards` gives their
 * titles ([{"code", "title"}]); `min_level` is said in the caption.
 */
void web_chart_standards(struct html *h, const cJSON *report, const cJSON *standards,
                         int min_level);

/*
 * <figure id="chart-attendance">: each weekly session's attendance by
 * mode (in person, online, asynchronous), stacked, out of the learners.
 */
void web_chart_attendance(struct html *h, const cJSON *report);

#endif
