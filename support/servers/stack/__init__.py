"""Finds or starts the PostgreSQL, Redis and RabbitMQ the suite runs against, as the `stack` setting says.

    external  use the servers at DATABASE_URL, REDIS_URL and RABBITMQ_URL
    docker    start the servers of docker-compose.test.yml, remove them after the run
    local     run private copies from the machine's binaries, remove them after the run
    auto      external if all three answer, else docker if an engine answers, else local if the
              binaries are installed, else stop within seconds saying what was tried and how to fix it

Whatever the route, the suite gets the same `Services` (four URLs and a mode) and one `stop()`.
"""
from __future__ import annotations

from collections.abc import Mapping

from support.servers.stack import docker, external, local
from support.servers.stack.probe import probe_services
from support.servers.stack.services import ProvisionedStack, Services, StackUnavailable, requested_urls

__all__ = ["MODES", "ProvisionedStack", "Services", "StackUnavailable", "provision"]

MODES = ("auto", "external", "docker", "local")


def provision(mode: str, env: Mapping[str, str], *, timeout_multiplier: float = 1.0) -> ProvisionedStack:
    """Servers that answer, by the route `mode` names. Raises StackUnavailable with the one clear message."""
    if mode not in MODES:
        raise ValueError(f"stack must be one of {', '.join(MODES)}; got {mode!r}")
    requested = requested_urls(env)
    if mode == "external":
        return external.provision(requested)
    if mode == "docker":
        return docker.provision(requested, timeout_multiplier)
    if mode == "local":
        return local.provision(requested, timeout_multiplier)
    return _first_route_that_works(requested, timeout_multiplier)


def _first_route_that_works(requested: Mapping[str, str], timeout_multiplier: float) -> ProvisionedStack:
    results = probe_services(requested)
    if all(result.answered for result in results):
        return ProvisionedStack(external.external_services(requested))
    tried = []
    problem = docker.engine_problem()
    if problem is None:
        try:
            return docker.start(requested, timeout_multiplier)
        except StackUnavailable as failure:
            tried.append(f"docker: {_indented(str(failure))}")
    else:
        tried.append(f"docker: {problem}")
    problem = local.missing_binaries()
    if problem is None:
        try:
            return local.provision(requested, timeout_multiplier)
        except StackUnavailable as failure:
            tried.append(f"local: {_indented(str(failure))}")
    else:
        tried.append(f"local (the machine's own servers): {problem}")
    raise StackUnavailable(external.unavailable_message("auto", results, tried))


def _indented(text: str) -> str:
    return text.replace("\n", "\n      ")
