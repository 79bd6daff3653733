#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster: initdb in a temporary directory as the
# postgres user, listening on a free loopback port only, trust authentication for loopback,
# removed when the command ends (however it ends). The command finds the cluster in
# BOXOFFICE_TEST_POSTGRES (a postgresql:// URL of the maintenance database `postgres`).
#
#   Tests/postgres/with-cluster.sh swift test
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL's server is not installed (make bootstrap-postgres installs it)" >&2; exit 1; }

runas=()
if [ "$(id -u)" = 0 ]; then runas=(runuser -u postgres --); fi  # initdb refuses to run as root
user=$(if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi)

dir=$(mktemp -d /tmp/boxoffice-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

stop() {
    "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM  # a run stopped by a signal removes its cluster too

"${runas[@]}" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
# Loopback only, sockets in the cluster's own directory; fsync stays on (the tests count on durability).
"${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }

export BOXOFFICE_TEST_POSTGRES="postgresql://$user@127.0.0.1:$port/postgres"
echo "throwaway PostgreSQL at $BOXOFFICE_TEST_POSTGRES ($dir)"
"$@"
