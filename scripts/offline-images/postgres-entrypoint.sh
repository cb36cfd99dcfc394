#!/bin/sh
# Entry point of the offline PostgreSQL image: the official image's contract that @testcontainers/postgresql
# relies on — POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB create the role and database on first start —
# then the server in the foreground as the postgres user.
set -eu
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | head -n 1)
PGDATA=${PGDATA:-/var/lib/postgresql/data}
USER_NAME=${POSTGRES_USER:-postgres}
DB_NAME=${POSTGRES_DB:-$USER_NAME}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" /run/postgresql
  chown postgres:postgres "$PGDATA" /run/postgresql
  printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}" > /tmp/pwfile
  chown postgres /tmp/pwfile
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U "$USER_NAME" --pwfile=/tmp/pwfile -A scram-sha-256 >/dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  if [ "$DB_NAME" != "postgres" ]; then
    runuser -u postgres -- "$PGBIN/postgres" --single -D "$PGDATA" postgres <<SQL >/dev/null
CREATE DATABASE "$DB_NAME" OWNER "$USER_NAME";
SQL
  fi
fi
mkdir -p /run/postgresql && chown postgres:postgres /run/postgresql
exec runuser -u postgres -- "$PGBIN/postgres" -D "$PGDATA" "$@"
