"""`shop=container`: the shop's `app` and `worker` services of docker-compose.test.yml, in the run's own
compose project, configured by environment variables only, as an operator would run them.

`ContainerShop` offers the operations every shop mode offers (its URL, its log, its worker stopped
politely or killed outright, operator commands, a death noticed mid-run), here on the two containers:
their logs are followed into the same kept lines as the `process` mode's, an operator command runs in
the `app` container (`docker exec`), and the worker's health answers on a port chosen for it.

They join the host's network (docker-compose.host-shop.yml) because the suite serves what the shop
must reach on the host's loopback: the fakes of its third-party providers and the cuttable links to
Redis and RabbitMQ. The shop's image is built from the Dockerfile at the start of the run (cached: a
second or two when nothing changed), so the containers always run the code being tested; the build's
image id, not a tag, is what the containers use, so two runs of different code never swap images.
"""
from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import requests

from support.door import SEND_EMAILS, WorkerState
from support.polling import eventually
from support.servers.shop_processes import READY_WITHIN, KeptLines, ShopUnavailable, emails_outcome, worker_health
from support.servers.stack import images
from support.servers.stack.compose import HOST_SHOP_FILE, ComposeFailed, ComposeProject, wait_until_healthy
from support.servers.stack.docker import free_port
from support.watchdog import made_progress

SHOP_SERVICES = ("app", "worker")
READY_TIMEOUT = 120.0  # seconds: migrations, then the web server's health check


class ShopContainersFailed(Exception):
    """The shop's containers could not be built or did not become ready; str() says why, with their logs."""


@dataclass
class ShopContainers:
    project: ComposeProject
    url: str
    env_file: Path
    started_in: float

    def logs(self, lines: int = 40) -> str:
        return "\n".join(f"--- {service}\n{self.project.logs(service, lines)}" for service in SHOP_SERVICES)

    def is_running(self, service: str) -> bool:
        return self.project.health(service)[0] not in ("exited",)

    def stop_worker(self) -> None:
        self.project.container("worker").stop(timeout=10)

    def start_worker(self) -> None:
        self.project.container("worker").start()

    def stop(self) -> None:
        """Removes the shop's containers (the servers stay, for the stack to remove)."""
        try:
            for service in SHOP_SERVICES:
                for container in self.project.containers(service):
                    container.remove(force=True)
        finally:
            self.env_file.unlink(missing_ok=True)


def start_shop_containers(project: ComposeProject, shop_environment: Mapping[str, str],
                          timeout_multiplier: float = 1.0) -> ShopContainers:
    """Builds the shop's image, starts `app` and `worker` with these settings, waits until the app is healthy."""
    started = time.perf_counter()
    python_image = project.environment.get("PYTHON_IMAGE") or _python_image(project)
    try:
        image_id = images.build_shop_image(project.client, python_image)
    except images.ImageBuildFailed as failed:
        raise ShopContainersFailed(f"the shop's image could not be built: {failed}") from None
    port = free_port()
    environment = {**shop_environment, "SHOP_HOST": "127.0.0.1", "SHOP_PORT": str(port)}
    env_file = _write_env_file(environment)
    project.environment.update({"SHOP_IMAGE": image_id, "SHOP_ENV_FILE": str(env_file)})
    if HOST_SHOP_FILE not in project.files:
        project.files = (*project.files, HOST_SHOP_FILE)
    containers = ShopContainers(project, f"http://127.0.0.1:{port}", env_file, 0.0)
    try:
        project.up(SHOP_SERVICES, READY_TIMEOUT * timeout_multiplier)
        wait_until_healthy(project, ["app"], READY_TIMEOUT * timeout_multiplier)
        if not containers.is_running("worker"):
            raise ComposeFailed(f"the worker stopped:\n{project.logs('worker', 20)}")
    except BaseException as failure:
        logs = containers.logs(20) if isinstance(failure, ComposeFailed) else ""
        containers.stop()
        if isinstance(failure, ComposeFailed):
            raise ShopContainersFailed(f"the shop's containers did not become ready: {failure}\n{logs}") from None
        raise
    containers.started_in = time.perf_counter() - started
    return containers


def _python_image(project: ComposeProject) -> str:
    """The image the compose file builds the shop on (PYTHON_IMAGE, from .env or its default)."""
    return project.resolved()["services"]["app"]["build"]["args"]["PYTHON_IMAGE"]


def _write_env_file(environment: Mapping[str, str]) -> Path:
    for name, value in environment.items():
        if "\n" in str(value):
            raise ShopContainersFailed(f"the shop setting {name} spans lines, which an env file cannot carry")
    with tempfile.NamedTemporaryFile("w", prefix="shop-env-", suffix=".env", delete=False) as handle:
        handle.write("".join(f"{name}={value}\n" for name, value in environment.items()))
    return Path(handle.name)


class _LogFollower:
    """Copies one container's log, line by line as it is written, into the shop's kept lines."""

    def __init__(self, container, who: str, log: KeptLines, since: float | None = None):
        self.ended = threading.Event()
        threading.Thread(target=self._read, args=(container, who, log, since), name=f"shop-{who}-log",
                         daemon=True).start()

    def _read(self, container, who: str, log: KeptLines, since: float | None) -> None:
        pending = b""
        try:
            for chunk in container.logs(stream=True, follow=True, since=since):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    log.add(who, line.decode(errors="replace"))
        except Exception:  # noqa: BLE001 - the container was removed or the engine went away: the log ends
            pass
        finally:
            if pending:
                log.add(who, pending.decode(errors="replace"))
            self.ended.set()


class ContainerShop:
    """`shop=container`: the compose file's `app` and `worker` containers, in the run's own project."""

    mode = "container"

    def __init__(self, stack, env: Mapping[str, str], timeout_multiplier: float = 1.0):
        project = getattr(stack, "project", None)
        if project is None:
            raise ShopUnavailable("shop=container runs the shop's containers in the run's compose project, so it "
                                  "needs stack=docker (or stack=auto finding a Docker engine); this run's stack is "
                                  f"{stack.services.mode}. Use -D stack=docker, or shop=process.")
        self._project = project
        self._within = READY_WITHIN * timeout_multiplier
        self.log = KeptLines()
        self._health = f"http://127.0.0.1:{free_port()}/health"
        self._prober = requests.Session()  # asks the worker's health endpoint over a kept connection
        self._stopping: set[str] = set()
        self._followers: dict[str, _LogFollower] = {}
        environment = {**env, "SHOP_WORKER_HEALTH_PORT": self._health.split(":")[-1].removesuffix("/health")}
        try:
            self._containers = start_shop_containers(project, environment, timeout_multiplier)
        except ShopContainersFailed as failed:
            raise ShopUnavailable(f"shop=container: {failed}\nTo fix: read those lines; `make images` builds the "
                                  f"images; raise timeout_multiplier on a slow machine.") from None
        self.url = self._containers.url
        self.started_in = self._containers.started_in
        try:
            for service in SHOP_SERVICES:
                self._follow(service)
            self._wait_consuming()
        except BaseException:
            self.stop()
            raise

    def _follow(self, service: str, since: float | None = None) -> None:
        self._followers[service] = _LogFollower(self._project.container(service), service, self.log, since)

    # -- the worker ---------------------------------------------------------------------------------
    def start_worker(self) -> None:
        worker = self._project.container("worker")
        worker.reload()
        if worker.status != "running":
            since = time.time()
            worker.start()
            self._stopping.discard("worker")
            self._follow("worker", since)
            made_progress()  # it started; on a busy machine, connecting and consuming may take a while more
        self._wait_consuming()

    def _wait_consuming(self) -> None:
        def consuming() -> None:
            self._check("worker", "ended while starting")
            assert self.worker_state().consuming, "the worker has no consumer on its queue yet"
        try:
            eventually(consuming, timeout=READY_WITHIN, description="the order-events worker container to consume")
        except AssertionError as error:
            raise ShopUnavailable(self._death_notice("worker", f"did not start consuming ({error})")) from None

    def stop_worker(self) -> None:
        """As an orchestrator stops it (`docker stop`): SIGTERM, the worker finishes what it holds and closes."""
        self._stopping.add("worker")
        self._project.container("worker").stop(timeout=10)

    def kill_worker(self) -> None:
        """The worker's container dies abruptly (`docker kill`, SIGKILL): its unacknowledged messages go back."""
        self._stopping.add("worker")
        self._project.container("worker").kill()

    def worker_state(self) -> WorkerState:
        if "worker" in self._stopping:
            return WorkerState(consuming=False, busy=False)
        return worker_health(self._health, self._prober)

    # -- operator commands, in the app container -------------------------------------------------------
    def run_command(self, args: list[str], extra_env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
        """`docker exec <app> python -m shop ARGS`: the container's own environment, plus extra_env."""
        command = ["python", "-m", "shop", *args]
        code, (out, err) = self._project.container("app").exec_run(command, environment=dict(extra_env or {}),
                                                                   demux=True)
        return subprocess.CompletedProcess(command, code, (out or b"").decode(errors="replace"),
                                           (err or b"").decode(errors="replace"))

    def send_emails(self) -> str:
        return emails_outcome(self.run_command(SEND_EMAILS))

    # -- life ---------------------------------------------------------------------------------------
    def check_alive(self) -> None:
        for service in SHOP_SERVICES:
            follower = self._followers.get(service)
            if follower is not None and follower.ended.is_set():  # its log ended: has it stopped?
                self._check(service, "died during the run")

    def _check(self, service: str, what: str) -> None:
        if service in self._stopping:
            return
        state, detail = self._project.health(service)
        if state == "exited":
            raise ShopUnavailable(self._death_notice(service, f"{what} ({detail})"))

    def _death_notice(self, service: str, what: str) -> str:
        command = " ".join(["python -m shop", *(["worker"] if service == "worker" else ["serve"])])
        return (f"The shop's {service} container ({command}) {what}. Its last lines:\n{self.log.tail(service)}\n"
                "To fix: read those lines (a setting the shop refuses, a server it cannot reach, a port in use); "
                "`docker logs` shows the rest while the run lasts; raise timeout_multiplier on a slow machine.")

    def stop(self) -> None:
        self._stopping.update(SHOP_SERVICES)
        if getattr(self, "_prober", None) is not None:
            self._prober.close()
        containers = getattr(self, "_containers", None)
        if containers is not None:
            containers.stop()
