#!/bin/sh
# MinIO's `server DIR [--address :PORT]` becomes moto's S3 server on that port (9000 by default).
# moto keeps objects in memory: a restart of the container empties the storage, as tmpfs would.
set -eu
if [ "${1:-}" = server ]; then
  port=9000
  while [ $# -gt 0 ]; do
    case "$1" in
      --address) port=${2##*:}; shift 2 ;;
      --address=*) port=${1##*:}; shift ;;
      *) shift ;;
    esac
  done
  exec moto_server --host 0.0.0.0 --port "$port"
fi
exec "$@"
