#!/usr/bin/env bash
# scripts/demo.sh — demo data for `scripts/up`, loaded through the CLI.
#
# scripts/up calls this once per new `demo` organisation, right after
# bootstrap, with a server running and this environment:
#   MCRED_URL, MCRED_TOKEN  the server and the demo admin's token
#   MCRED_CLI               the CLI binary (build/bin/mcred)
#   the working directory   the checkout's root
# If it fails, `up` stops, and the next `up` calls it again.
#
# Everything goes through the CLI — never the database — so the demo
# follows the same rules as users: the district's people, the seed
# credential, and its first cohort with fifteen learners, two coaches, six
# weekly HyFlex sessions and the attendance of the first three.
set -euo pipefail

cli() { "$MCRED_CLI" "$@"; }
# --csv answers are RFC 4180: CRLF line ends.  An id is the first column
# of the last line (ids never hold commas).
csv_lines() { tr -d '\r'; }
id_of() { csv_lines | tail -n 1 | cut -d, -f1; }

cli people import tests/fixtures/demo-roster.csv

credential=$(cli --csv credential import tests/fixtures/equity-excellence.json | id_of)
cli credential publish "$credential" >/dev/null
cohort=$(cli --csv cohort create --credential "$credential" \
  --name "Equity and Excellence, Fall 2026" --starts 2026-09-08 --ends 2026-10-13 \
  --timezone America/New_York | id_of)
cli member import "$cohort" tests/fixtures/demo-cohort.csv
cli session schedule "$cohort" --first 2026-09-08T17:00 --count 6 --modality hyflex >/dev/null
cli cohort update "$cohort" --status active >/dev/null

# Attendance of weeks 1 to 3: most in the room or online, a few watching
# the recording, one excused and one absent each week.
mapfile -t learners < <(cli --csv member list "$cohort" --role learner | csv_lines |
  tail -n +2 | cut -d, -f1)
mapfile -t sessions < <(cli --csv session list "$cohort" | csv_lines | tail -n +2 |
  awk -F, '{print $NF}')
modes=(in_person in_person online in_person online asynchronous in_person online
  in_person excused in_person online absent in_person online)
for week in 0 1 2; do
  records=()
  for i in "${!learners[@]}"; do
    records+=("${learners[$i]}=${modes[$(((i + week * 4) % ${#modes[@]}))]}")
  done
  cli attendance record "${sessions[$week]}" "${records[@]}" >/dev/null
done
echo "demo cohort $cohort: ${#learners[@]} learners, ${#sessions[@]} sessions"
