#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests and prints the lines that
# point them at it:   eval "$(.ci/postgres.sh)"
#
# Debian's server is installed when missing. The cluster lives under
# target/postgres (initialised once, reused by later runs), listens on
# loopback only, on the first free port from 54329, and trusts local
# connections: it holds nothing but test databases, which every test creates
# for itself. Everything but the export lines goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "postgres.sh: $*" >&2; }

bindir=""
for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && bindir="$d"
done
if [ -z "$bindir" ]; then
    log "installing Debian's PostgreSQL server"
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql) >&2
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/pg_ctl" ] && bindir="$d"
    done
fi
if [ -z "$bindir" ]; then
    log "no PostgreSQL server after installing it"
    exit 1
fi

root="$PWD/target/postgres"
data="$root/data"
mkdir -p "$root"

# PostgreSQL refuses to run as root: as root, run it as the postgres user
# (created by the Debian package) and give that user the cluster's folder.
as_pg=()
if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir "$root" --shell /usr/sbin/nologin postgres
    fi
    chown -R postgres "$root"
    # The folders above target/postgres must be enterable by that user.
    d="$root"
    while [ "$d" != "/" ]; do
        chmod o+x "$d" 2>/dev/null || true
        d="$(dirname "$d")"
    done
    as_pg=(runuser -u postgres --)
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ -f "$data/postmaster.pid" ] && "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    port="$(sed -n 4p "$data/postmaster.pid")"
    log "already running on port $port"
else
    if [ ! -f "$data/PG_VERSION" ]; then
        log "initialising a cluster in $data"
        "${as_pg[@]}" "$bindir/initdb" -D "$data" -U gleaner --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2
    fi
    port=54329
    while port_in_use "$port"; do
        port=$((port + 1))
    done
    # Many tests create their own database at once: allow enough connections,
    # and trade durability for speed (a test server loses nothing it needs).
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $root -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >&2
    log "started on 127.0.0.1:$port (log: $root/server.log)"
fi

# The role exists from initdb (-U gleaner); the database the URL names:
if ! "$bindir/psql" -h 127.0.0.1 -p "$port" -U gleaner -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'gleaner_test'" | grep -q 1; then
    "$bindir/psql" -h 127.0.0.1 -p "$port" -U gleaner -d postgres -qc "CREATE DATABASE gleaner_test" >&2
fi

echo "export GLEANER_TEST_POSTGRES=postgres://gleaner@127.0.0.1:$port/gleaner_test"
