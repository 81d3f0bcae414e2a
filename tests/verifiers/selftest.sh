#!/usr/bin/env bash
# tests/verifiers/selftest.sh — proves that the independent verifiers
# accept what they must and refuse what they must, before mcred's C tests
# rely on them. Needs node and `npm ci` done in this directory.
# Exit 0 if every check passes; 77 (CTest's skip) if node_modules is absent.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
FIX=$HERE/../fixtures/vc
SCHEMA=$FIX/ob_v3p0_achievementcredential_schema.json
VECTOR=$FIX/signed-credential.json
ISSUER=https://example.edu/issuers/565049
CONTROLLER=$ISSUER=$FIX/controller-565049.json

if [[ ! -d $HERE/node_modules ]]; then
  echo "selftest: SKIP: $HERE/node_modules is absent (run npm ci there, or scripts/test)"
  exit 77
fi
command -v node >/dev/null || { echo "selftest: SKIP: no node"; exit 77; }

TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

passed=0 failed=0
# expect 0|1 NAME COMMAND... — run COMMAND, which must exit with that code.
expect() {
  local want=$1 name=$2 rc=0
  shift 2
  "$@" >"$TMP/out" 2>&1 || rc=$?
  if [[ $rc == "$want" ]]; then
    echo "ok   $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name (exit $rc, wanted $want):"
    sed 's/^/     /' "$TMP/out"
    failed=$((failed + 1))
  fi
}

cd "$HERE"
di() { node verify-di.mjs "$@"; }

# --- schema ---------------------------------------------------------------
# The official vector has `proof` as one object; the OB 3.0 schema wants an
# array, so the vector itself fails the schema (shown, not counted) while
# the same vector with `proof: [proof]` passes.
echo "note: the official vector against the schema (expected to fail on /proof):"
node validate-schema.mjs "$SCHEMA" "$VECTOR" 2>&1 | sed 's/^/     /' || true
node -e '
const fs = require("fs");
const c = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
c.proof = [c.proof];
fs.writeFileSync(process.argv[2], JSON.stringify(c, null, 2));
' "$VECTOR" "$TMP/vector-proof-array.json"
expect 0 "schema: vector with proof as an array is valid" \
  node validate-schema.mjs "$SCHEMA" "$TMP/vector-proof-array.json"
node -e '
const fs = require("fs");
const c = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
c.validFrom = "2010-01-01T00:00:00";
fs.writeFileSync(process.argv[2], JSON.stringify(c));
' "$TMP/vector-proof-array.json" "$TMP/no-zone.json"
expect 1 "schema: validFrom without a time zone is invalid" \
  node validate-schema.mjs "$SCHEMA" "$TMP/no-zone.json"

# --- Data Integrity: the official vector -----------------------------------
expect 0 "di: official vector verifies" \
  di "$VECTOR" --contexts "$FIX" --controller "$CONTROLLER"
expect 0 "di: official vector with proof as an array verifies" \
  di "$TMP/vector-proof-array.json" --contexts "$FIX" --controller "$CONTROLLER"
# One byte of `name` changed: "Teamwork Badge" -> "Teamwork Badgf".
sed 's/"Teamwork Badge"/"Teamwork Badgf"/' "$VECTOR" >"$TMP/tampered.json"
[[ $(cmp -l "$VECTOR" "$TMP/tampered.json" | wc -l) == 1 ]]
expect 1 "di: vector with one byte of name changed fails" \
  di "$TMP/tampered.json" --contexts "$FIX" --controller "$CONTROLLER"
expect 1 "di: no controller document (loader refuses the URL) fails" \
  di "$VECTOR" --contexts "$FIX"
# A controller document that does not list the key in assertionMethod.
node -e '
const fs = require("fs");
const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
d.assertionMethod = [];
fs.writeFileSync(process.argv[2], JSON.stringify(d));
' "$FIX/controller-565049.json" "$TMP/no-assertion.json"
expect 1 "di: key not in assertionMethod fails" \
  di "$VECTOR" --contexts "$FIX" --controller "$ISSUER=$TMP/no-assertion.json"

# --- Data Integrity: fetched from a loopback server -----------------------
# The helper serves TMP/www on a free port; the credential's issuer is
# that base, as mcred's credentials name MCRED_PUBLIC_URL.
mkdir -p "$TMP/www"
node selftest-helper.mjs serve "$TMP/www" >"$TMP/port" &
SERVER_PID=$!
for _ in $(seq 50); do [[ -s $TMP/port ]] && break; sleep 0.1; done
PORT=$(head -n 1 "$TMP/port")
BASE=http://127.0.0.1:$PORT
node selftest-helper.mjs di "$TMP/www" "$BASE" "$FIX" "$VECTOR" >"$TMP/di.out"
echo "note: $(cat "$TMP/di.out")"
expect 0 "di: fresh credential verifies, controller fetched from --fetch-base" \
  di "$TMP/www/signed.json" --contexts "$FIX" --fetch-base "$BASE"
expect 0 "di: proof as an array verifies" \
  di "$TMP/www/proof-array.json" --contexts "$FIX" --fetch-base "$BASE"
expect 0 "di: credentialStatus (1EdTechRevocationList) is skipped, not failed" \
  di "$TMP/www/status.json" --contexts "$FIX" --fetch-base "$BASE"
expect 1 "di: without --fetch-base the loader refuses to fetch" \
  di "$TMP/www/signed.json" --contexts "$FIX"
expect 1 "di: a URL outside --fetch-base's path is refused" \
  di "$TMP/www/signed.json" --contexts "$FIX" --fetch-base "$BASE/elsewhere"
expect 2 "di: a non-loopback --fetch-base is a usage error" \
  di "$TMP/www/signed.json" --contexts "$FIX" --fetch-base "http://example.com"

# --- VC-JWT ---------------------------------------------------------------
J=$TMP/jwt
node selftest-helper.mjs jwt "$J"
expect 0 "jwt: ES256 token verifies against a JWKS file" \
  node verify-jwt.mjs "$J/good.jwt" --jwks "$J/jwks.json"
expect 0 "jwt: ES256 token verifies against a single JWK file" \
  node verify-jwt.mjs "$J/good.jwt" --jwks "$J/jwk.json"
cp "$J/jwk.json" "$TMP/www/key.json"
expect 0 "jwt: ES256 token verifies against a JWK from a loopback URL" \
  node verify-jwt.mjs "$J/good.jwt" --jwks "$BASE/key.json"
expect 1 "jwt: tampered payload fails" \
  node verify-jwt.mjs "$J/tampered.jwt" --jwks "$J/jwks.json"
expect 1 "jwt: another key with the same kid fails" \
  node verify-jwt.mjs "$J/good.jwt" --jwks "$J/other-jwk.json"
expect 1 "jwt: typ other than JWT fails" \
  node verify-jwt.mjs "$J/typ.jwt" --jwks "$J/jwks.json"
expect 1 "jwt: alg HS256 fails" \
  node verify-jwt.mjs "$J/hs256.jwt" --jwks "$J/jwks.json"
expect 1 "jwt: nbf an hour ahead fails" \
  node verify-jwt.mjs "$J/future.jwt" --jwks "$J/jwks.json"
expect 2 "jwt: a non-loopback --jwks URL is a usage error" \
  node verify-jwt.mjs "$J/good.jwt" --jwks "https://example.com/key.json"

echo "selftest: $passed passed, $failed failed"
((failed == 0))
