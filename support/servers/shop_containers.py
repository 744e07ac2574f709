"""`shop=container`: the shop's `app` and `worker` services of docker-compose.test.yml, in the run's own
compose project, configured by environment variables only, as an operator would run them.

They join the host's network (docker-compose.host-shop.yml) because the suite serves what the shop
must reach on the host's loopback: the fakes of its third-party providers and the cuttable links to
Redis and RabbitMQ. The shop's image is built from the Dockerfile at the start of the run (cached: a
second or two when nothing changed), so the containers always run the code being tested; the build's
image id, not a tag, is what the containers use, so two runs of different code never swap images.
"""
from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from support.servers.stack import images
from support.servers.stack.compose import HOST_SHOP_FILE, ComposeFailed, ComposeProject, wait_until_healthy
from support.servers.stack.docker import free_port

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
