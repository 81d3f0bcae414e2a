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
# follows the same rules as users. Later issues add the seed credential
# (tests/fixtures/equity-excellence.json), a cohort, sessions and scores.
set -euo pipefail

# The district's people: a coordinator, a leader, fifteen principals and
# assistant principals (the first cohort's learners) and two coaches.
"$MCRED_CLI" people import tests/fixtures/demo-roster.csv
