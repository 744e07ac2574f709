"""`stack=docker`: the servers of docker-compose.test.yml in containers of this run's own, removed after it.

Each run is its own compose project (shopacc-<pid>-<random>) with its own host ports, so runs on one
engine never collide, and none takes the standard ports of servers already on the machine. The
ports are free loopback ports picked just before `up` and handed to the compose file's variables
(POSTGRES_PORT...), not left to the engine: the engine would give a restarted container a new host
port, and the restart scenarios need a server to come back where it was, as a real one does.
"""
from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from support.servers.stack.compose import (
    ENGINE_TIMEOUT,
    ComposeFailed,
    ComposeProject,
    compose_cli,
    remove_abandoned_projects,
    wait_until_healthy,
)
from support.servers.stack.probe import PROBES
from support.servers.stack.services import (
    ProvisionedStack,
    Services,
    StackUnavailable,
    suite_database_name,
    suite_redis_db,
)


@dataclass(frozen=True)
class Server:
    service: str  # in the compose file
    port: int  # inside the container
    port_variable: str  # the compose file's variable for its host port
    image_variable: str


SERVERS = (
    Server("postgres", 5432, "POSTGRES_PORT", "POSTGRES_IMAGE"),
    Server("redis", 6379, "REDIS_PORT", "REDIS_IMAGE"),
    Server("rabbitmq", 5672, "RABBITMQ_PORT", "RABBITMQ_IMAGE"),
    Server("s3", 9000, "S3_PORT", "S3_IMAGE"),
)
SERVICES = tuple(server.service for server in SERVERS)
STANDARD_PORTS = {5432, 6379, 5672, 9000}
S3_CREDENTIALS = ("shop-acceptance", "shop-acceptance-secret")  # MINIO_ROOT_* in the compose file
UP_TIMEOUT = 120.0  # seconds, for creating the containers and for their health checks each
ENGINE_PING_TIMEOUT = 3.0
PULL_TIMEOUT = 120.0
HOW_TO_FIX = "Start Docker (`dockerd &` as root), or use -D stack=local or stack=external."


def engine_problem() -> str | None:
    """Why the Docker route cannot be used here, or None when it can. Takes a few seconds at most."""
    try:
        connect(ENGINE_PING_TIMEOUT).close()
    except StackUnavailable as problem:
        return str(problem)
    if compose_cli() is None:
        return "neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)"
    return None


def connect(timeout: float = ENGINE_TIMEOUT):
    """A client of the engine that answered a ping, or StackUnavailable saying what is wrong."""
    import docker as docker_sdk

    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if host.startswith("unix://") and not os.path.exists(host.removeprefix("unix://")):
        raise StackUnavailable(f"no Docker engine: nothing at {host} (is dockerd installed and started?)")
    try:
        client = docker_sdk.from_env(timeout=timeout)
        client.ping()
    except Exception as error:  # the SDK raises DockerException, requests' errors or OSError alike
        raise StackUnavailable(f"the Docker engine at {host} did not answer within {timeout:.0f}s: "
                               f"{_first_line(error)}") from None
    client.api.timeout = ENGINE_TIMEOUT
    return client


def provision(requested: Mapping[str, str], timeout_multiplier: float = 1.0) -> DockerStack:
    problem = engine_problem()
    if problem is not None:
        raise StackUnavailable(f"stack=docker: {problem}.\n{HOW_TO_FIX}")
    return start(requested, timeout_multiplier)


class DockerStack(ProvisionedStack):
    """The servers of one run's compose project; the shop's containers may join it (shop=container)."""

    def __init__(self, services: Services, project: ComposeProject, teardown: Callable[[], None]) -> None:
        super().__init__(services, teardown)
        self.project = project

    can_restart_servers = True

    def restart_server(self, service: str, timeout: float) -> float:
        """Restarts one server's container (stop, then start: data kept) and waits until it is healthy again."""
        self.project.restart(service)
        return wait_until_healthy(self.project, [service], timeout)

    def stop_server(self, service: str) -> None:
        self.project.stop(service)

    def start_server(self, service: str, timeout: float) -> float:
        self.project.start(service)
        return wait_until_healthy(self.project, [service], timeout)


def start(requested: Mapping[str, str], timeout_multiplier: float = 1.0, *, up_timeout: float | None = None,
          environ: Mapping[str, str] | None = None, only: tuple[str, ...] = SERVICES) -> DockerStack:
    """Starts postgres, redis, rabbitmq and s3 (tests start `only` some), waits for their health checks,
    and hands back their URLs."""
    environ = os.environ if environ is None else environ
    up_timeout = (up_timeout or UP_TIMEOUT) * timeout_multiplier
    client = connect()
    cli = compose_cli()
    if cli is None:
        raise StackUnavailable("stack=docker: neither `docker compose` nor `docker-compose` is installed.")
    remove_abandoned_projects(client)
    chosen = {s.port_variable: environ.get(s.port_variable) or str(free_port()) for s in SERVERS}
    images = {s.image_variable: environ[s.image_variable] for s in SERVERS if environ.get(s.image_variable)}
    project = ComposeProject(client, cli, {**images, **chosen})

    def teardown() -> None:
        try:
            project.down()
        except Exception as failed:  # the engine's errors, or it went away
            raise StackUnavailable(f"stack=docker: {failed}") from None
        finally:
            client.close()

    # Registered before anything is created: an interrupt from here on still removes it all.
    stack = DockerStack(_services(requested, chosen), project, teardown)
    try:
        ensure_images(project, only, PULL_TIMEOUT * timeout_multiplier)
        project.up(only, up_timeout)
        wait_until_healthy(project, only, up_timeout)
        _check_ports(project, chosen, only)
        for service, setting, url in (("postgres", "DATABASE_URL", stack.services.database_url),
                                      ("redis", "REDIS_URL", stack.services.redis_url),
                                      ("rabbitmq", "RABBITMQ_URL", stack.services.rabbitmq_url)):
            if service in only:
                PROBES[setting](url, 5.0)
    except BaseException as failure:
        try:
            stack.stop()
        except StackUnavailable as also:
            failure.add_note(f"(and removing the containers failed too: {also})")
        if isinstance(failure, (ComposeFailed, AssertionError, StackUnavailable)):
            raise StackUnavailable(f"stack=docker: {_explained(failure, chosen, environ)}") from None
        raise
    return stack


def ensure_images(project: ComposeProject, services, pull_timeout: float, profiles=()) -> None:
    """Every image the services need is in the engine, pulled if need be; else one message naming them all."""
    import docker as docker_sdk

    definitions = project.resolved(profiles)["services"]
    missing = []
    for service in services:
        image = definitions[service]["image"]
        try:
            project.client.images.get(image)
            continue
        except docker_sdk.errors.ImageNotFound:
            pass
        try:
            project.client.api.timeout = pull_timeout
            project.client.images.pull(image)
        except Exception as error:  # registry unreachable, unknown image, timeout
            missing.append(f"{service}: {image} is not in the engine and could not be pulled ({_first_line(error)})")
        finally:
            project.client.api.timeout = ENGINE_TIMEOUT
    if missing:
        raise ComposeFailed("images are missing:\n  " + "\n  ".join(missing) + "\nRun `make images` to build local "
                            "stand-ins from Debian's packages, or set the *_IMAGE variable to an image you have.")


def free_port() -> int:
    """A loopback port nothing listens on now, never one of the standard ports of the shared servers."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in STANDARD_PORTS:
            return port


def _services(requested: Mapping[str, str], ports: Mapping[str, str]) -> Services:
    return Services(
        database_url=f"postgresql://postgres@127.0.0.1:{ports['POSTGRES_PORT']}/"
        f"{suite_database_name(requested['DATABASE_URL'])}",
        redis_url=f"redis://127.0.0.1:{ports['REDIS_PORT']}/{suite_redis_db(requested['REDIS_URL'])}",
        rabbitmq_url=f"amqp://guest:guest@127.0.0.1:{ports['RABBITMQ_PORT']}/%2F",
        mode="docker",
        s3_url=f"http://127.0.0.1:{ports['S3_PORT']}",
    )


def _check_ports(project: ComposeProject, chosen: Mapping[str, str], only: tuple[str, ...]) -> None:
    for server in (server for server in SERVERS if server.service in only):
        published = project.host_port(server.service, server.port)
        if str(published) != chosen[server.port_variable]:
            raise ComposeFailed(f"{server.service} was published on port {published}, "
                                f"not {chosen[server.port_variable]} as asked")


def _explained(failure: BaseException, chosen: Mapping[str, str], environ: Mapping[str, str]) -> str:
    text = str(failure)
    if "port is already allocated" in text or "address already in use" in text:
        given = [f"{name}={port}" for name, port in chosen.items() if environ.get(name)]
        hint = (f"you set {', '.join(given)}; choose free ports or unset them to let the suite pick"
                if given else "another program took a port between the suite choosing it and the engine binding "
                "it; run again")
        return f"a host port is already taken ({hint}).\n{text}"
    return text


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
