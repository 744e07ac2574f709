"""One run's containers from docker-compose.test.yml: created by the compose command line, watched with
the `docker` package, and removed, every container, network and volume, whatever ends the run.

Why two tools (README, "Docker"): the compose command line is what reads the compose file (variables,
profiles, dependencies, health checks), so the suite and a person at a terminal start exactly the same
containers; the engine's API then answers what a command line only prints for people (each health
check's output, exit codes, log tails) and restarts a server in a fraction of a second. Compose v2
(`docker compose`) is used where it is installed, else Debian's `docker-compose` 1.29.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from support.polling import eventually, scaled
from support.servers.children import process_alive

REPO = Path(__file__).resolve().parents[3]
COMPOSE_FILE = REPO / "docker-compose.test.yml"
HOST_SHOP_FILE = REPO / "docker-compose.host-shop.yml"
PROJECT_PREFIX = "shopacc"  # every project the suite creates is named shopacc-<pid>-<random>
PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
ENGINE_TIMEOUT = 30.0


class ComposeFailed(Exception):
    """A compose command or the engine refused; str() says what was asked and what came back."""


def compose_cli() -> list[str] | None:
    """`docker compose` (v2) if the plugin is there, else `docker-compose` (v1), else None."""
    if shutil.which("docker"):
        try:
            subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=10, check=True)
            return ["docker", "compose"]
        except (subprocess.SubprocessError, OSError):
            pass
    return ["docker-compose"] if shutil.which("docker-compose") else None


def new_project_name() -> str:
    return f"{PROJECT_PREFIX}-{os.getpid()}-{secrets.token_hex(3)}"


def owner_pid(project: str) -> int | None:
    parts = project.split("-")
    return int(parts[1]) if len(parts) == 3 and parts[0] == PROJECT_PREFIX and parts[1].isdigit() else None


@dataclass
class ComposeProject:
    """The containers of one run, by project name. `environment` feeds the compose file's variables."""

    client: object  # docker.DockerClient
    cli: list[str]
    environment: dict[str, str]
    name: str = field(default_factory=new_project_name)
    files: tuple[Path, ...] = (COMPOSE_FILE,)

    # --- through the compose command line -------------------------------------------------------
    def command(self, *arguments: str) -> list[str]:
        files = [part for path in self.files for part in ("-f", str(path))]
        return [*self.cli, *files, "-p", self.name, *arguments]

    def run(self, *arguments: str, timeout: float, purpose: str) -> str:
        env = {**os.environ, **self.environment}
        try:
            # Its own process group: a Ctrl-C in the terminal reaches the suite, not a half-done `down`.
            done = subprocess.run(self.command(*arguments), capture_output=True, text=True, timeout=timeout,
                                  env=env, cwd=REPO, check=True, process_group=0)
        except subprocess.CalledProcessError as failed:
            tail = "\n".join((failed.stderr or failed.stdout or "").strip().splitlines()[-12:])
            raise ComposeFailed(f"could not {purpose} (`{' '.join(failed.cmd)}` exited {failed.returncode}):\n"
                                f"{tail}") from None
        except subprocess.TimeoutExpired:
            raise ComposeFailed(f"could not {purpose} within {timeout:.0f}s") from None
        return done.stdout

    def resolved(self, profiles: Iterable[str] = ()) -> dict:
        """The compose file as compose reads it here: variables and .env applied."""
        options = [part for profile in profiles for part in ("--profile", profile)]
        return yaml.safe_load(self.run(*options, "config", timeout=60, purpose="read the compose file"))

    def up(self, services: Iterable[str], timeout: float) -> None:
        # --no-build: images are built (or found) before, with their own clear message when they cannot be.
        self.run("up", "-d", "--no-build", *services, timeout=timeout, purpose="create the containers")

    def down(self) -> None:
        """Removes every container (killed: test servers keep nothing worth a graceful stop), network and
        volume labelled with this project: what `down -v` removes, in a second instead of ten."""
        remove_project(self.client, self.name)

    # --- through the engine's API ---------------------------------------------------------------
    def containers(self, service: str | None = None) -> list:
        labels = [f"{PROJECT_LABEL}={self.name}"] + ([f"{SERVICE_LABEL}={service}"] if service else [])
        return self.client.containers.list(all=True, filters={"label": labels})

    def container(self, service: str):
        found = self.containers(service)
        if not found:
            raise ComposeFailed(f"no {service} container in project {self.name}")
        return found[0]

    def health(self, service: str) -> tuple[str, str]:
        """(state, detail): 'healthy', 'starting', 'unhealthy' or 'exited', and what explains it."""
        container = self.container(service)
        container.reload()
        state = container.attrs["State"]
        if state.get("Status") in ("exited", "dead"):
            return "exited", f"exited with code {state.get('ExitCode')}"
        health = state.get("Health")
        if health is None:
            return ("healthy" if state.get("Running") else "starting"), state.get("Status", "")
        checks = health.get("Log") or []
        last = checks[-1] if checks else {}
        output = " ".join(str(last.get("Output", "")).split())[:300]
        detail = f"health check exit {last.get('ExitCode')}: {output}" if last else "no health check has run yet"
        return health.get("Status", "starting"), detail

    def host_port(self, service: str, container_port: int) -> int:
        container = self.container(service)
        container.reload()
        bindings = (container.attrs["NetworkSettings"].get("Ports") or {}).get(f"{container_port}/tcp") or []
        if not bindings:
            raise ComposeFailed(f"{service} publishes no host port for {container_port}")
        return int(bindings[0]["HostPort"])

    def logs(self, service: str, lines: int = 20) -> str:
        try:
            text = self.container(service).logs(tail=lines).decode(errors="replace")
        except Exception as error:  # a container that vanished, an engine that went away
            return f"(could not read its log: {error})"
        return text.rstrip() or "(its log is empty)"

    def restart(self, service: str, timeout: float = 10) -> None:
        self.container(service).restart(timeout=int(timeout))

    def stop(self, service: str, timeout: float = 10) -> None:
        self.container(service).stop(timeout=int(timeout))

    def start(self, service: str) -> None:
        self.container(service).start()


def remove_project(client, project: str) -> None:
    """Every container (with its anonymous volumes), network and volume labelled with `project`."""
    from docker.errors import NotFound

    label = {"label": f"{PROJECT_LABEL}={project}"}
    # sparse: no inspection of each one, which fails for a container another run removed meanwhile.
    for container in client.containers.list(all=True, filters=label, sparse=True):
        with contextlib.suppress(NotFound):
            container.remove(force=True, v=True)
    for network in client.networks.list(filters=label):
        with contextlib.suppress(NotFound):
            network.remove()
    for volume in client.volumes.list(filters=label):
        with contextlib.suppress(NotFound):
            volume.remove(force=True)


def remove_abandoned_projects(client, alive=None) -> list[str]:
    """Projects of suite runs that died without cleaning up (SIGKILL, a lost machine): removed here."""
    alive = alive or process_alive
    projects = {(c.attrs.get("Labels") or {}).get(PROJECT_LABEL, "") for c in client.containers.list(
        all=True, filters={"label": PROJECT_LABEL}, sparse=True)}
    projects |= {n.attrs.get("Labels", {}).get(PROJECT_LABEL, "") for n in client.networks.list(filters={
        "label": PROJECT_LABEL})}
    abandoned = sorted(p for p in projects if (pid := owner_pid(p)) is not None and not alive(pid))
    for project in abandoned:
        remove_project(client, project)
    return abandoned




def wait_until_healthy(project: ComposeProject, services: Iterable[str], timeout: float) -> float:
    """Waits for every service's health check; returns the seconds it took. A container that stops
    ends the wait at once; one that stays unhealthy ends it at the deadline. Either way the message
    shows its health check's last output and the last lines of its log."""
    services = list(services)
    started = time.monotonic()

    def all_healthy() -> None:
        states = {service: project.health(service) for service in services}
        exited = [s for s, (state, _) in states.items() if state == "exited"]
        if exited:  # not a retried error: waiting longer cannot help
            raise ComposeFailed(f"{', '.join(exited)} stopped:\n" + _described(project, states, exited))
        waiting = [s for s, (state, _) in states.items() if state != "healthy"]
        if waiting:
            raise AssertionError(f"not healthy yet: {', '.join(waiting)}\n" + _described(project, states, waiting))

    try:
        eventually(all_healthy, timeout=unscaled(timeout), interval=0.25,
                   description=f"the health checks of {', '.join(services)}")
    except AssertionError as gave_up:
        raise ComposeFailed(f"did not become healthy within {timeout:.0f}s; {gave_up.__cause__}") from None
    return time.monotonic() - started


def _described(project: ComposeProject, states: Mapping[str, tuple[str, str]], services: list[str]) -> str:
    return "\n".join(f"--- {s}: {states[s][0]}, {states[s][1]}\n    last lines of its log:\n"
                     + _indent(project.logs(s, 12)) for s in services)


def unscaled(seconds: float) -> float:
    """`eventually` applies the suite-wide multiplier itself; deadlines here were scaled already."""
    return seconds / scaled(1.0)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def environment_for(images: Mapping[str, str], ports: Mapping[str, int], extra: Mapping[str, str] = ()) -> dict:
    """The compose file's variables for one run: image names, host ports, and anything else."""
    return {**images, **{name: str(port) for name, port in ports.items()}, **dict(extra)}
