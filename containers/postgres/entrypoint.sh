#!/bin/sh
# Makes the cluster on first start (as the official image does), then runs the command as `postgres`.
set -eu
if [ "${1:-}" = postgres ]; then
  mkdir -p "$PGDATA" /run/postgresql
  chown -R postgres:postgres "$PGDATA" /run/postgresql
  chmod 700 "$PGDATA"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    method=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
    setpriv --reuid=postgres --regid=postgres --init-groups \
      initdb --username=postgres --auth-local=trust --auth-host="$method" --encoding=UTF8 --no-sync >/dev/null
    echo "host all all all $method" >> "$PGDATA/pg_hba.conf"
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.auto.conf"
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
fi
exec "$@"
