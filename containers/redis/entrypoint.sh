#!/bin/sh
# Like the official image: no config file, so listen on every address without protected mode (the
# container's network is the protection), and run as the redis user.
set -eu
if [ "${1:-}" = redis-server ]; then
  shift
  cd /var/lib/redis
  exec setpriv --reuid=redis --regid=redis --init-groups redis-server --protected-mode no "$@"
fi
exec "$@"
