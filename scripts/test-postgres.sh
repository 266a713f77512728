#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 with trust auth:
#   scripts/test-postgres.sh start   → prints "<url> <folder>" (export the url as UIG_TEST_DATABASE_URL)
#   scripts/test-postgres.sh stop <folder>
# Debian's postgresql package puts initdb and pg_ctl in /usr/lib/postgresql/<version>/bin.
# initdb refuses to run as root: then the cluster runs as the package's `postgres` user.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bin" ]]; then
  echo 'PostgreSQL is not installed (apt-get install postgresql).' >&2
  exit 1
fi
as=()
if [[ "$(id -u)" == 0 ]]; then as=(setpriv --reuid=postgres --regid=postgres --clear-groups); fi
case "${1:-}" in
  start)
    folder=$(mktemp -d "${TMPDIR:-/tmp}/uig-postgres-XXXXXX")
    [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$folder"
    port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    "${as[@]}" "$bin/initdb" -D "$folder/data" -U postgres --auth=trust -E UTF8 --no-sync >"$folder/initdb.log"
    # -F: no fsync (a throwaway cluster); -k: its socket in its own folder, not /var/run.
    "${as[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w \
      -o "-h 127.0.0.1 -p $port -k $folder -F -c max_connections=300" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres $folder"
    ;;
  stop)
    folder=${2:?usage: test-postgres.sh stop <folder>}
    "${as[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$folder"
    ;;
  *)
    echo 'usage: test-postgres.sh start | stop <folder>' >&2
    exit 2
    ;;
esac
