#!/bin/sh
# Runs the server as the rabbitmq user in the foreground, as the official image does. Debian's own
# wrapper goes through `su`, which would keep `docker stop`'s SIGTERM from reaching the server.
set -eu
if [ "${1:-}" = rabbitmq-server ]; then
  mkdir -p /var/lib/rabbitmq /var/log/rabbitmq
  chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
  cd /var/lib/rabbitmq
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups env HOME=/var/lib/rabbitmq \
    /usr/lib/rabbitmq/bin/rabbitmq-server
fi
exec "$@"
