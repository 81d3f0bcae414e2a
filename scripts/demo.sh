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
# weekly HyFlex sessions and the attendance of the first three.  At the
# end the coordinator invites a coach, who signs in with the code (into a
# config under .mcred/, not anyone's home) and scores a learner of hers,
# and awards every eligible learner a signed Open Badges 3.0 credential.
# Last, it keeps a token for each kind of user to sign in to the pages.
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

# Six weeks of attendance: most in the room or online, some watching the
# recording, an excused absence here and there, and two learners who
# missed the last two weeks.
mapfile -t learners < <(cli --csv member list "$cohort" --role learner | csv_lines |
  tail -n +2 | cut -d, -f1)
mapfile -t sessions < <(cli --csv session list "$cohort" | csv_lines | tail -n +2 |
  awk -F, '{print $NF}')
modes=(in_person online in_person asynchronous in_person online in_person)
for week in "${!sessions[@]}"; do
  records=()
  for i in "${!learners[@]}"; do
    mode=${modes[$(((i + week) % ${#modes[@]}))]}
    if ((i % 5 == 0 && week >= 4)); then mode=absent; fi
    if ((i % 7 == 3 && week == 2)); then mode=excused; fi
    records+=("${learners[$i]}=$mode")
  done
  cli attendance record "${sessions[$week]}" "${records[@]}" >/dev/null
done

# Problems of practice: most approved, one sent back for revision, one
# waiting for review, and two learners who have not written theirs yet.
focus=("Chronic absence among multilingual learners" "Discipline referrals of Black boys"
  "Access to advanced coursework for low-income students" "Reading growth of students with IEPs")
for i in $(seq 0 12); do
  cli problem submit "$cohort" --learner "${learners[$i]}" \
    --title "${focus[$((i % 4))]}" \
    --statement "Our data show a persistent gap that our current practices do not close." \
    --student-focus "${focus[$((i % 4))]%% *}" --standards 1,4 >/dev/null
done
problem_of() {
  cli --csv problem list "$cohort" | csv_lines | tail -n +2 | grep "^$1," | awk -F, '{print $NF}'
}
for i in $(seq 0 10); do
  cli problem review "$(problem_of "${learners[$i]}")" --approve \
    --feedback "A clear, data-grounded problem with a testable theory of action." >/dev/null
done
cli problem review "$(problem_of "${learners[11]}")" --revise \
  --feedback "Name the student group and the data source you will track." >/dev/null

# Evidence and scores: the first eleven learners are scored on every
# indicator (two of them still Emerging on one), two more on the first
# two standards only, and the last two not at all.
cli evidence add "$cohort" --learner "${learners[1]}" --title "Equity audit of course enrolment" \
  --url "https://docs.example/equity-audit" --indicator 2.1 >/dev/null
cli evidence add "$cohort" --learner "${learners[2]}" --title "Faculty data dialogue notes" \
  --text "Three sessions examining discipline data by student group." --indicator 1.2 >/dev/null
scores=$(mktemp)
trap 'rm -f "$scores"' EXIT
indicators=(1.1 1.2 1.3 2.1 2.2 2.3 3.1 3.2 3.3 4.1 4.2 4.3)
{
  echo "email,indicator,level,feedback"
  for i in $(seq 0 12); do
    for code in "${indicators[@]}"; do
      ((i >= 11)) && [[ $code != [12].* ]] && continue
      level=$((3 + (i + ${#code}) % 2 * (i % 3 == 0)))
      ((i >= 9 && i <= 10)) && [[ $code == 2.2 ]] && level=2
      echo "${learners[$i]},$code,$level,Observed in the learner's school walk-through"
    done
  done
} >"$scores"
cli score import "$cohort" "$scores" >/dev/null
# Access without an admin: María López, the coordinator, invites Linda
# Moore, a coach of the cohort; Linda signs in with her code and records a
# score as herself.  (The admin gives María her token: coordinators get
# theirs from an admin.)
coordinator=$(cli --csv token create "demo coordinator" --person maria.lopez@demo.example |
  csv_lines | tail -n 1 | awk -F, '{print $NF}')
invitation=$(MCRED_TOKEN=$coordinator cli invite "$cohort" linda.moore@demo.example)
echo "$invitation"
code=$(grep -o 'mci_[A-Za-z0-9_-]\{43\}' <<<"$invitation" | head -n 1)
linda() { env -u MCRED_TOKEN XDG_CONFIG_HOME="$PWD/.mcred/linda" "$MCRED_CLI" "$@"; }
linda login --url "$MCRED_URL" --invite "$code" --name "demo" --force
linda score "$cohort" aisha.bello@demo.example 4.3 4 \
  --feedback "Led the monitoring cycle end to end." >/dev/null
echo "Linda signed in: env -u MCRED_TOKEN XDG_CONFIG_HOME=\$PWD/.mcred/linda build/bin/mcred whoami"
# The end of the term: every eligible learner gets the credential, signed.
MCRED_TOKEN=$coordinator cli award "$cohort" --all-eligible >/dev/null
award=$(cli --json award list "$cohort" | jq -r '[.items[] | select(.status == "awarded")][0].id // empty')
if [[ -n $award ]]; then
  echo "an award, signed: build/bin/mcred award show $award --out award.json && build/bin/mcred verify award.json"
  echo "its public page: $MCRED_URL/credentials/$award"
fi
# Tokens to sign in to the pages with, one per kind of user, kept in
# .mcred/signin/ (scripts/up's banner points there): James Carter, the
# district's leader; Linda Moore, a coach; and a learner who has not yet
# written a problem of practice.
signin_token() {
  (umask 077 && cli --json token create "demo: sign in to the pages" --person "$2" |
    jq -er .token >".mcred/signin/$1.token")
}
mkdir -p .mcred/signin
chmod 700 .mcred/signin
signin_token leader james.carter@demo.example
signin_token coach linda.moore@demo.example
signin_token learner "${learners[13]}"
echo "demo cohort $cohort: ${#learners[@]} learners, ${#sessions[@]} sessions"
