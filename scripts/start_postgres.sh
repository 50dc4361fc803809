#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1 (port ${ZI_PG_PORT:-55432}, or the next free one) for the store tests.
# Prints its URL, then its data directory: `scripts/stop_postgres.sh DIR` stops it and removes the directory.
# Installs PostgreSQL from Debian's packages when the machine has none (CI on a fresh machine).
set -euo pipefail
port="${ZI_PG_PORT:-55432}"
# A port something already listens on (another run's server, say) is skipped.
while (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null; do
  port=$((port + 1))
done
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/postgres" ]; then
  echo "installing PostgreSQL from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
data=$(mktemp -d /tmp/zi-pg.XXXXXX)
runner=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$data"
  runner=(runuser -u postgres --)
fi
"${runner[@]}" "$pgbin/initdb" -D "$data" -A trust -U postgres >/dev/null
"${runner[@]}" "$pgbin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "$data"
