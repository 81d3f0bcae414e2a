# shellcheck shell=bash
# scripts/lib.sh — helpers shared by scripts/up, scripts/down and scripts/test.
# Source it; it defines functions and MCRED_ROOT, and changes nothing else.

# The checkout's physical path: the /var/tmp fallback directory is named
# after a hash of it, so it must not depend on how the user got here.
MCRED_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

# Packages the build, the tests and `scripts/up` need on Debian 12
# (clang: scripts/test proves that both compilers build clean; jq: bench/run
# writes and checks its figures; nodejs, npm: the independent credential
# verifiers in tests/verifiers and the browser tests in tests/browser;
# chromium, fonts-liberation: the browser those tests drive, and fonts for
# it, which chromium only recommends; libclang-rt-14-dev: libFuzzer and the
# sanitizer runtimes for clang's fuzz build, which clang only recommends;
# valgrind, cppcheck, clang-tidy: scripts/analyze, which scripts/test runs).
MCRED_DEPS=(
  build-essential cmake pkg-config clang libclang-rt-14-dev
  libpq-dev libmicrohttpd-dev libcurl4-openssl-dev libcjson-dev
  libsodium-dev libcmocka-dev libcsv-dev libssl-dev
  postgresql curl ca-certificates jq
  nodejs npm chromium fonts-liberation
  valgrind cppcheck clang-tidy
)

# Packages that count as present when their command works, whatever dpkg
# says: a Node.js from elsewhere (e.g. NodeSource's `nodejs`, which bundles
# npm and conflicts with Debian's `npm` package) must not be replaced.
declare -gA MCRED_DEP_COMMANDS=([nodejs]=node [npm]=npm)

mcred_log() { printf 'mcred: %s\n' "$*" >&2; }
mcred_die() {
  mcred_log "error: $*"
  exit 1
}
mcred_section() { printf '==> %s\n' "$*" >&2; }

# Quote a string for a POSIX shell, so that generated env files can be
# sourced by sh as well as bash.
mcred_shquote() {
  local s=${1//\'/\'\\\'\'}
  printf "'%s'" "$s"
}

# Run a command as root: directly when we are root, else through sudo.
mcred_as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    mcred_die "need root (or sudo) to run: $*"
  fi
}

# Install whichever of MCRED_DEPS are missing, with one apt-get update.
mcred_install_deps() {
  command -v dpkg-query >/dev/null 2>&1 ||
    mcred_die "not a Debian system; install these yourself: ${MCRED_DEPS[*]}"
  local missing=() p
  for p in "${MCRED_DEPS[@]}"; do
    if [[ -n ${MCRED_DEP_COMMANDS[$p]:-} ]] &&
      command -v "${MCRED_DEP_COMMANDS[$p]}" >/dev/null 2>&1; then
      continue
    fi
    if [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) != "install ok installed" ]]; then
      missing+=("$p")
    fi
  done
  ((${#missing[@]} == 0)) && return 0
  mcred_log "installing missing packages: ${missing[*]}"
  mcred_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  mcred_as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# mcred_install_verifiers — `npm ci` the independent verifiers in
# tests/verifiers when node_modules is missing or older than
# package-lock.json. Runs as the invoking user (root is fine); installs
# Debian's nodejs and npm first through mcred_install_deps if node or npm
# is missing. node_modules is never committed (tests/verifiers/.gitignore).
mcred_install_verifiers() {
  local dir=$MCRED_ROOT/tests/verifiers
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    mcred_install_deps
  fi
  if [[ -d $dir/node_modules && ! $dir/package-lock.json -nt $dir/node_modules ]]; then
    return 0
  fi
  mcred_log "installing the verifiers' node packages (npm ci in tests/verifiers)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) ||
    mcred_die "npm ci failed in $dir"
  # npm ci leaves node_modules' mtime at its creation: mark it current.
  touch "$dir/node_modules"
}

# mcred_install_browser_tests — `npm ci` the browser tests in tests/browser
# (playwright-core and axe-core) when node_modules is missing or older than
# package-lock.json. No browser is downloaded: the tests drive Debian's
# chromium, which mcred_install_deps installs when /usr/bin/chromium is
# missing. node_modules is never committed (tests/browser/.gitignore).
mcred_install_browser_tests() {
  local dir=$MCRED_ROOT/tests/browser
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1 ||
    [[ ! -x /usr/bin/chromium ]]; then
    mcred_install_deps
  fi
  if [[ -d $dir/node_modules && ! $dir/package-lock.json -nt $dir/node_modules ]]; then
    return 0
  fi
  mcred_log "installing the browser tests' node packages (npm ci in tests/browser)"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) ||
    mcred_die "npm ci failed in $dir"
  # npm ci leaves node_modules' mtime at its creation: mark it current.
  touch "$dir/node_modules"
}

# mcred_build [DIR] [EXTRA CMAKE ARGS...] — configure and build DIR
# (relative to the checkout; default build/). Extra -D arguments come
# after the default build type, so they override it.
mcred_build() {
  local dir=${1:-build}
  if (($#)); then shift; fi
  [[ $dir == /* ]] || dir=$MCRED_ROOT/$dir
  cmake -S "$MCRED_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
  cmake --build "$dir" -j"$(nproc)"
}

# The directory holding initdb and pg_ctl: MCRED_PG_BINDIR if it is set,
# else the newest /usr/lib/postgresql/*/bin (Debian keeps the server
# binaries off PATH), else pg_config's, else PATH's.
mcred_pg_bindir() {
  if [[ -n ${MCRED_PG_BINDIR:-} && -x ${MCRED_PG_BINDIR}/initdb ]]; then
    printf '%s\n' "$MCRED_PG_BINDIR"
    return 0
  fi
  local newest d
  newest=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  if [[ -x $newest ]]; then
    printf '%s\n' "${newest%/initdb}"
    return 0
  fi
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir)
    if [[ -x $d/initdb ]]; then
      printf '%s\n' "$d"
      return 0
    fi
  fi
  if d=$(command -v initdb); then
    printf '%s\n' "${d%/initdb}"
    return 0
  fi
  mcred_die "initdb not found (is the postgresql package installed?)"
}

# Run a command as the user that owns our clusters. PostgreSQL refuses to
# run as root, so root hands over to `postgres`; from `/`, because the
# caller's directory may be one postgres cannot enter (e.g. under /root).
mcred_as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Make directory DIR (mode 700) owned by the cluster's user.
mcred_pg_mkdir() {
  # Parents get the default mode; only DIR itself is private.
  mkdir -p "$1"
  chmod 700 "$1"
  if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$1"; fi
}

# C.UTF-8 gives PostgreSQL proper Unicode case rules; fall back to the
# C locale where the libc lacks it.
mcred_pg_locale_args() {
  local all
  all=$(locale -a 2>/dev/null || true)
  if grep -qixE 'c\.utf-?8' <<<"$all"; then
    printf '%s\n' --locale=C.UTF-8
  else
    printf '%s\n' --no-locale
  fi
}

# mcred_pg_init DIR SOCKDIR PORT [--throwaway]
# Create a private cluster in DIR with superuser `postgres`, listening on
# 127.0.0.1:PORT and in SOCKDIR, trusting local and loopback connections
# only. --throwaway trades crash safety for speed (test clusters).
mcred_pg_init() {
  local dir=$1 sock=$2 port=$3 throwaway=${4:-} bindir out
  bindir=$(mcred_pg_bindir)
  # A socket path longer than sun_path (108 bytes) cannot be bound.
  ((${#sock} + 16 < 100)) || mcred_die "socket directory path too long: $sock"
  mcred_pg_mkdir "$dir"
  mcred_pg_mkdir "$sock"
  # initdb is chatty; show its output only when it fails.
  if ! out=$(mcred_as_pg "$bindir/initdb" -D "$dir" --auth=trust -U postgres \
    --encoding=UTF8 "$(mcred_pg_locale_args)" 2>&1); then
    printf '%s\n' "$out" >&2
    mcred_die "initdb failed for $dir"
  fi
  # Written through the shell as root would leave root-owned files that
  # postgres cannot rewrite; go through mcred_as_pg.
  mcred_as_pg tee "$dir/pg_hba.conf" >/dev/null <<'EOF'
# mcred private cluster: trust, but only the socket and loopback.
local all all              trust
host  all all 127.0.0.1/32 trust
host  all all ::1/128      trust
EOF
  {
    printf '\n# --- mcred (scripts/lib.sh) ---\n'
    printf "listen_addresses = '127.0.0.1'\n"
    printf 'port = %s\n' "$port"
    printf "unix_socket_directories = '%s'\n" "$sock"
    printf 'max_connections = 200\n'
    if [[ $throwaway == --throwaway ]]; then
      printf 'fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n'
    fi
  } | mcred_as_pg tee -a "$dir/postgresql.conf" >/dev/null
}

# The port a cluster is configured for (the last `port =` line wins).
mcred_pg_port() {
  mcred_as_pg sed -n 's/^[[:space:]]*port[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' \
    "$1/postgresql.conf" | tail -n 1
}

# mcred_pg_set_port DIR PORT — move a stopped cluster to another port.
mcred_pg_set_port() {
  printf 'port = %s\n' "$2" | mcred_as_pg tee -a "$1/postgresql.conf" >/dev/null
}

# True if the cluster in DIR has a running postmaster.
mcred_pg_running() {
  [[ -f $1/PG_VERSION ]] || return 1
  local bindir
  bindir=$(mcred_pg_bindir)
  mcred_as_pg "$bindir/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# mcred_pg_start DIR [LOGFILE] — start the cluster unless it runs already.
# The log defaults to DIR/postgres.log: a place postgres can always write.
mcred_pg_start() {
  local dir=$1 log=${2:-$1/postgres.log} bindir
  mcred_pg_running "$dir" && return 0
  bindir=$(mcred_pg_bindir)
  if ! mcred_as_pg "$bindir/pg_ctl" -D "$dir" -l "$log" -w -t 60 start >/dev/null; then
    mcred_as_pg tail -n 20 "$log" >&2 || true
    mcred_die "PostgreSQL failed to start (log: $log)"
  fi
}

# mcred_pg_stop DIR — fast shutdown; nothing to do if it is not running.
mcred_pg_stop() {
  local dir=$1 bindir
  mcred_pg_running "$dir" || return 0
  bindir=$(mcred_pg_bindir)
  mcred_as_pg "$bindir/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null
}

# mcred_pg_wait_ready SOCKDIR PORT [SECONDS] — wait until it accepts
# connections.
mcred_pg_wait_ready() {
  local sock=$1 port=$2 secs=${3:-30} bindir i
  bindir=$(mcred_pg_bindir)
  for ((i = 0; i < secs * 5; i++)); do
    "$bindir/pg_isready" -q -h "$sock" -p "$port" -t 1 && return 0
    sleep 0.2
  done
  mcred_die "PostgreSQL at $sock port $port not ready after ${secs}s"
}

# True if something accepts TCP connections on 127.0.0.1:PORT. Bash's
# /dev/tcp needs no ss, netstat or python.
mcred_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# mcred_free_port [START] — print the first port from START up that nothing
# listens on. Without START (or if it is empty), begin at a random port in 20000-29999: below
# Linux's ephemeral range, and unlikely to collide with a parallel run.
mcred_free_port() {
  local start=${1:-} p
  [[ -n $start ]] || start=$((20000 + RANDOM % 10000))
  for ((p = start; p < start + 500 && p <= 65535; p++)); do
    if ! mcred_port_busy "$p"; then
      printf '%s\n' "$p"
      return 0
    fi
  done
  mcred_die "no free TCP port on 127.0.0.1 from $start"
}

# mcred_psql SOCKDIR PORT [ARGS...] — psql as the cluster's superuser.
mcred_psql() {
  local sock=$1 port=$2 bindir
  shift 2
  bindir=$(mcred_pg_bindir)
  "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres "$@"
}

# mcred_pg_create_app_db SOCKDIR PORT — the database `mcred`, owned by the
# role `mcred_owner` (migrations run as it: MCRED_MIGRATE_DATABASE_URL), and
# the role `mcred` the server connects as (DATABASE_URL), which owns nothing:
# `mcred-server migrate` grants it what it needs. Neither may be a
# superuser, nor BYPASSRLS: either would skip the row-level security the
# server relies on. Idempotent; a database from before the two roles (owned
# by `mcred`) is handed to `mcred_owner`.
mcred_pg_create_app_db() {
  mcred_psql "$1" "$2" -d postgres <<'EOF'
SELECT 'CREATE ROLE mcred_owner LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mcred_owner') \gexec
ALTER ROLE mcred_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
SELECT 'CREATE ROLE mcred LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mcred') \gexec
ALTER ROLE mcred LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
SELECT 'CREATE DATABASE mcred OWNER mcred_owner'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'mcred') \gexec
EOF
  mcred_psql "$1" "$2" -d mcred -c 'REASSIGN OWNED BY mcred TO mcred_owner'
}

# mcred_pg_urls SOCKDIR PORT DBNAME — set DATABASE_URL (the server's role,
# `mcred`) and MCRED_MIGRATE_DATABASE_URL (the owner, `mcred_owner`) for the
# database that mcred_pg_create_app_db made. Neither is exported: hand the
# owner's only to the commands that migrate.
mcred_pg_urls() {
  DATABASE_URL="host=$1 port=$2 dbname=$3 user=mcred"
  MCRED_MIGRATE_DATABASE_URL="host=$1 port=$2 dbname=$3 user=mcred_owner"
}

# mcred_pg_base STATEDIR — print the directory that holds the `scripts/up`
# cluster (data/, sock/), creating it on first use. It is STATEDIR/pg when
# the postgres user can reach and write it there and the socket path stays
# short; otherwise /var/tmp/mcred-<hash of the checkout path>, with
# STATEDIR/pg a symlink to it.
mcred_pg_base() {
  local state=$1 link=$1/pg hash fallback target
  if [[ -L $link ]]; then
    target=$(readlink "$link")
    mcred_pg_checked_dir "$target"
    printf '%s\n' "$target"
    return 0
  fi
  if [[ -d $link ]]; then
    (cd "$link" && pwd -P)
    return 0
  fi
  # The socket will be STATEDIR + "/pg/sock/.s.PGSQL.NNNNN" (23 bytes);
  # keep it under 100.
  if ((${#state} + 23 < 100)); then
    mcred_pg_mkdir "$link"
    if [[ $EUID -ne 0 ]] || mcred_as_pg test -w "$link" -a -x "$link"; then
      printf '%s\n' "$link"
      return 0
    fi
    rmdir "$link"
  fi
  hash=$(printf '%s' "$MCRED_ROOT" | sha256sum | cut -c1-10)
  fallback=/var/tmp/mcred-$hash
  mcred_pg_checked_dir "$fallback"
  ln -s "$fallback" "$link"
  mcred_log "PostgreSQL cannot use $link; the cluster lives in $fallback"
  printf '%s\n' "$fallback"
}

# Create DIR for a cluster, or accept an existing one only if it is a real
# directory owned by the cluster's user: /var/tmp is world-writable, so
# someone else could have put something at that name first.
mcred_pg_checked_dir() {
  local dir=$1 want=postgres
  if [[ $EUID -ne 0 ]]; then want=$(id -un); fi
  if [[ ! -e $dir && ! -L $dir ]]; then
    # No -p: fail rather than follow something created in between.
    mkdir -m 700 "$dir"
    if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$dir"; fi
  elif [[ -L $dir || ! -d $dir || $(stat -c %U "$dir") != "$want" ]]; then
    mcred_die "$dir exists but is not a directory owned by $want; remove it"
  fi
}
