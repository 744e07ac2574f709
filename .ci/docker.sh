# Sourced by .ci/run: a Docker engine for `make images` and the container run (stack=docker shop=container).
#
# Installs the distribution's engine and Compose v1 when absent, starts `dockerd` when no engine answers,
# and stops that one dockerd again, by its pid, when the run ends however it ends. An engine that was
# already running is left alone.

CI_DOCKERD_PID=""

stop_own_dockerd() {
  if [ -n "$CI_DOCKERD_PID" ] && kill -0 "$CI_DOCKERD_PID" 2>/dev/null; then
    echo "ci: stopping the dockerd this run started (pid $CI_DOCKERD_PID)"
    kill -TERM "$CI_DOCKERD_PID"
    for _ in $(seq 1 30); do kill -0 "$CI_DOCKERD_PID" 2>/dev/null || break; sleep 1; done
  fi
}

ensure_docker_engine() {
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker-compose >/dev/null 2>&1 \
     || ! command -v debootstrap >/dev/null 2>&1; then
    echo "ci: installing docker.io, docker-compose and debootstrap"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      docker.io docker-compose debootstrap >/dev/null
  fi
  if timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    echo "ci: a Docker engine answers already; using it"
    return
  fi
  echo "ci: no Docker engine answers; starting dockerd"
  dockerd --host unix:///var/run/docker.sock >/tmp/ci-dockerd.log 2>&1 &
  CI_DOCKERD_PID=$!
  trap stop_own_dockerd EXIT
  for _ in $(seq 1 60); do
    timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1 && return
    kill -0 "$CI_DOCKERD_PID" 2>/dev/null || break
    sleep 1
  done
  echo "ci: dockerd did not answer; the last lines of its log:" >&2
  tail -20 /tmp/ci-dockerd.log >&2
  return 1
}
