#!/usr/bin/env bash
# scripts/demo.sh — HOOK: demo data for `scripts/up`.
#
# scripts/up calls this once per new `demo` organisation, right after
# bootstrap, with a server running and this environment:
#   MCRED_URL, MCRED_TOKEN  the server and the demo admin's token
#   MCRED_CLI               the CLI binary (build/bin/mcred)
#   the working directory   the checkout's root
# If it fails, `up` stops, and the next `up` calls it again.
#
# For now it does nothing. Later issues load the seed credential
# (tests/fixtures/*.json, `mcred credential import`) and a demo cohort
# with people, sessions and scores here, through the CLI only — never
# through the database — so the demo exercises the same rules as users.
set -euo pipefail
exit 0
