"""Starts the suite's servers with `docker compose` from docker-compose.test.yml, and removes them after.

That file is the one definition of the containers: people run it by hand and the suite runs it here,
so both always get the same images, health checks and published ports. Host ports are deliberately
non-standard (55432, 56379, 55672) so they never collide with servers already on the machine.
"""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from support.polling import eventually, scaled
from support.servers.stack.probe import PROBES
from support.servers.stack.services import (
    ProvisionedStack,
    Services,
    StackUnavailable,
    suite_database_name,
    suite_redis_db,
)

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.test.yml"
# One fixed project name: a run killed before its teardown leaves containers that the next `up`
# simply reuses, instead of a second set fighting over the same host ports.
PROJECT = "shop-suite-stack"
SERVERS = ("postgres", "redis", "rabbitmq")  # compose service names; `suite` itself is never started here
PUBLISHED_PORTS = {"postgres": 55432, "redis": 56379, "rabbitmq": 55672}
UP_TIMEOUT = 180.0  # seconds; the first run pulls three images
DOWN_TIMEOUT = 60.0
ENGINE_PING_TIMEOUT = 2.0

Runner = Callable[..., subprocess.CompletedProcess]


def compose_command(*arguments: str) -> list[str]:
    return ["docker", "compose", "-f", str(COMPOSE_FILE), "-p", PROJECT, *arguments]


def up_command(wait_timeout: float) -> list[str]:
    return compose_command("up", "-d", "--wait", "--wait-timeout", str(int(wait_timeout)), *SERVERS)


def down_command() -> list[str]:
    # -v: the anonymous volumes go too, so the next run cannot see this run's data.
    return compose_command("down", "-v", "--remove-orphans", "--timeout", "10")


def published_services(requested: Mapping[str, str]) -> Services:
    """URLs of the compose servers, keeping the database name and Redis db number the suite asked for."""
    return Services(
        database_url=f"postgresql://postgres@127.0.0.1:{PUBLISHED_PORTS['postgres']}/"
        f"{suite_database_name(requested['DATABASE_URL'])}",
        redis_url=f"redis://127.0.0.1:{PUBLISHED_PORTS['redis']}/{suite_redis_db(requested['REDIS_URL'])}",
        rabbitmq_url=f"amqp://guest:guest@127.0.0.1:{PUBLISHED_PORTS['rabbitmq']}/%2F",
        mode="docker",
    )


def engine_problem(run: Runner = subprocess.run) -> str | None:
    """Why `docker compose` cannot be used here, or None when it can. Takes a few seconds at most."""
    if shutil.which("docker") is None:
        return "the docker command is not installed"
    try:
        import docker as docker_sdk

        client = docker_sdk.from_env(timeout=ENGINE_PING_TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # the SDK raises DockerException, requests errors or OSError alike
        return f"no Docker engine answered: {_first_line(error)}"
    try:
        run(["docker", "compose", "version"], capture_output=True, text=True, timeout=5, check=True)
    except (subprocess.SubprocessError, OSError) as error:
        return f"the docker compose plugin is missing or broken: {_first_line(error)}"
    return None


def provision(
    requested: Mapping[str, str], timeout_multiplier: float = 1.0, run: Runner = subprocess.run
) -> ProvisionedStack:
    problem = engine_problem(run)
    if problem is not None:
        raise StackUnavailable(f"stack=docker: {problem}.\nStart Docker, or use -D stack=local or stack=external.")
    return start(requested, timeout_multiplier, run)


def start(
    requested: Mapping[str, str], timeout_multiplier: float = 1.0, run: Runner = subprocess.run
) -> ProvisionedStack:
    services = published_services(requested)
    up_timeout = UP_TIMEOUT * timeout_multiplier
    # Registered before `up`, so an interrupt while images are pulled still removes the containers.
    stack = ProvisionedStack(services, teardown=_teardown(run, timeout_multiplier))
    try:
        _run_or_explain(run, up_command(up_timeout), up_timeout + 30, "start the servers")
        # Healthy containers should answer at once; this guards against a port published elsewhere.
        for setting, url in (("DATABASE_URL", services.database_url), ("REDIS_URL", services.redis_url),
                             ("RABBITMQ_URL", services.rabbitmq_url)):
            eventually(lambda probe=PROBES[setting], url=url: probe(url, 2.0),
                       timeout=_unscaled(30 * timeout_multiplier), interval=0.25,
                       description=f"{setting} of the compose servers at {url}")
    except BaseException as failure:
        # An interrupt must not wait for the logs; a failure is unreadable without them.
        explained = isinstance(failure, (StackUnavailable, AssertionError))
        logs = _logs(run) if explained else ""
        try:
            stack.stop()
        except StackUnavailable as also:
            logs += f"\n(and removing the containers failed too: {also})"
        if explained:
            raise StackUnavailable(f"stack=docker: {failure}\n\nLast lines of the containers' logs:\n{logs}") from None
        raise
    return stack


def _teardown(run: Runner, timeout_multiplier: float) -> Callable[[], None]:
    def stop() -> None:
        _run_or_explain(run, down_command(), DOWN_TIMEOUT * timeout_multiplier, "remove the servers")

    return stop


def _run_or_explain(run: Runner, command: list[str], timeout: float, purpose: str) -> None:
    try:
        # Its own process group: a Ctrl-C in the terminal reaches us, not a half-done `down`.
        run(command, capture_output=True, text=True, timeout=timeout, check=True, process_group=0)
    except subprocess.CalledProcessError as failed:
        tail = "\n".join((failed.stderr or failed.stdout or "").strip().splitlines()[-15:])
        shown = " ".join(command)
        raise StackUnavailable(f"`{shown}` could not {purpose} (exit {failed.returncode}):\n{tail}") from None
    except subprocess.TimeoutExpired:
        raise StackUnavailable(f"`{' '.join(command)}` did not {purpose} within {timeout:.0f}s") from None


def _logs(run: Runner) -> str:
    try:
        done = run(compose_command("logs", "--no-color", "--tail", "20", *SERVERS),
                   capture_output=True, text=True, timeout=20)
        return (done.stdout or "") + (done.stderr or "") or "(no logs)"
    except (subprocess.SubprocessError, OSError) as error:
        return f"(could not read the logs: {error})"


def _unscaled(seconds: float) -> float:
    # `eventually` applies the suite-wide multiplier itself; ours was applied already.
    return seconds / scaled(1.0)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
