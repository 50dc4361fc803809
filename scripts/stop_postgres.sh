#!/usr/bin/env bash
# Stop a server started by scripts/start_postgres.sh and remove its data directory (the second line it printed).
set -euo pipefail
data="$1"
[ -d "$data" ] || exit 0
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
runner=()
[ "$(id -u)" = "0" ] && runner=(runuser -u postgres --)
"${runner[@]}" "$pgbin/pg_ctl" -D "$data" stop -m fast >/dev/null 2>&1 || true
rm -rf "$data"
