"""stack=docker against a real engine: bad input stops the run with one clear message and leaves nothing
running; a good start can restart a server where it was and removes everything it made.

The first two tests need no engine. The others need one and the images of `make images` (or the
official ones), and are skipped with the reason when either is missing.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from support.polling import eventually
from support.servers.stack import docker
from support.servers.stack.compose import PROJECT_LABEL, remove_abandoned_projects
from support.servers.stack.services import StackUnavailable, requested_urls

REPO = Path(__file__).resolve().parents[1]


def engine_or_skip():
    problem = docker.engine_problem()
    if problem is not None:
        pytest.skip(f"needs a Docker engine: {problem}")
    client = docker.connect()
    for name in ("shop-local/postgres:15", "shop-local/redis:7", "shop-local/rabbitmq:3", "shop-local/s3:moto",
                 "shop-local/python:3.11"):
        if not client.images.list(name=name):
            client.close()
            pytest.skip(f"needs the local images: run `make images` ({name} is missing)")
    return client


@pytest.fixture
def engine():
    client = engine_or_skip()
    yield client
    client.close()


@pytest.fixture
def local_images(monkeypatch):
    for variable, image in (("POSTGRES_IMAGE", "shop-local/postgres:15"), ("REDIS_IMAGE", "shop-local/redis:7"),
                            ("RABBITMQ_IMAGE", "shop-local/rabbitmq:3"), ("S3_IMAGE", "shop-local/s3:moto"),
                            ("PYTHON_IMAGE", "shop-local/python:3.11")):
        monkeypatch.setenv(variable, image)


def projects_of_this_process(client, pid: int | None = None) -> list[str]:
    prefix = f"shopacc-{pid or os.getpid()}-"
    labelled = client.containers.list(all=True, filters={"label": PROJECT_LABEL}, sparse=True)
    labelled += client.networks.list(filters={"label": PROJECT_LABEL})
    labels = [thing.attrs.get("Labels") or {} for thing in labelled]
    return sorted({label[PROJECT_LABEL] for label in labels if label[PROJECT_LABEL].startswith(prefix)})


def test_no_engine_is_said_at_once(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    started = time.monotonic()
    with pytest.raises(StackUnavailable) as raised:
        docker.provision(requested_urls({}))
    assert "no Docker engine: nothing at unix:///nonexistent/docker.sock" in str(raised.value)
    assert "-D stack=local" in str(raised.value)
    assert time.monotonic() - started < 2


def test_an_engine_that_does_not_answer_is_given_up_within_seconds(monkeypatch, tmp_path):
    path = tmp_path / "silent.sock"
    with socket.socket(socket.AF_UNIX) as silent:
        silent.bind(str(path))
        silent.listen(8)
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        started = time.monotonic()
        problem = docker.engine_problem()
    assert problem is not None and "did not answer within 3s" in problem, problem
    assert time.monotonic() - started < docker.ENGINE_PING_TIMEOUT + 3


def test_a_missing_image_that_cannot_be_pulled_names_it_and_how_to_build_it(engine, local_images, monkeypatch):
    monkeypatch.setenv("REDIS_IMAGE", "shop-local/absent:0")
    with pytest.raises(StackUnavailable) as raised:
        docker.start(requested_urls({}))
    message = str(raised.value)
    assert "redis: shop-local/absent:0 is not in the engine and could not be pulled" in message, message
    assert "make images" in message
    assert projects_of_this_process(engine) == []


def test_a_server_that_never_becomes_healthy_shows_its_health_check_and_log(engine, local_images, monkeypatch):
    # A Redis where RabbitMQ should be: the container runs, its health check can never pass.
    monkeypatch.setenv("RABBITMQ_IMAGE", "shop-local/redis:7")
    started = time.monotonic()
    with pytest.raises(StackUnavailable) as raised:
        docker.start(requested_urls({}), up_timeout=10, only=("rabbitmq",))
    message = str(raised.value)
    assert time.monotonic() - started < 60
    assert "did not become healthy within 10s" in message, message
    assert "--- rabbitmq: " in message and "rabbitmq-diagnostics" in message, "the health check's output is shown"
    assert "Ready to accept connections" in message, "the last lines of the container's log are shown"
    assert projects_of_this_process(engine) == []


def test_a_taken_port_is_named_with_the_setting_that_asked_for_it(engine, local_images, monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        monkeypatch.setenv("REDIS_PORT", str(port))
        with pytest.raises(StackUnavailable) as raised:
            docker.start(requested_urls({}), only=("redis",))
    message = str(raised.value)
    assert "a host port is already taken" in message and f"REDIS_PORT={port}" in message, message
    assert projects_of_this_process(engine) == []


def test_servers_start_restart_where_they_were_and_leave_nothing_behind(engine, local_images):
    with docker.start(requested_urls({"REDIS_URL": "redis://127.0.0.1:6379/4"}), only=("postgres", "redis")) as stack:
        services = stack.services
        assert services.mode == "docker" and services.redis_url.endswith("/4")
        assert all(f":{port}/" not in services.database_url + services.redis_url for port in docker.STANDARD_PORTS)
        project = stack.project.name
        before = stack.project.host_port("redis", 6379)
        stack.restart_server("redis", timeout=60)
        assert stack.project.host_port("redis", 6379) == before, "a restarted server comes back on its port"
        docker.PROBES["REDIS_URL"](services.redis_url, 5.0)
    assert projects_of_this_process(engine) == []
    assert engine.volumes.list(filters={"label": f"{PROJECT_LABEL}={project}"}) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_run_stopped_while_its_servers_start_removes_them(engine, local_images, signum):
    script = textwrap.dedent("""
        from support.servers.stack import docker
        from support.servers.stack.services import requested_urls
        print("starting", flush=True)
        docker.start(requested_urls({}), only=("postgres", "redis"))
        print("started", flush=True)
    """)
    run = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert run.stdout.readline().strip() == "starting", run.stderr.read()
        eventually(lambda: _assert(projects_of_this_process(engine, run.pid), "the run created no containers yet"),
                   timeout=30, interval=0.2, description="the run's containers to appear")
        run.send_signal(signum)
        run.wait(timeout=60)
    finally:
        run.kill()
        run.communicate()
    assert projects_of_this_process(engine, run.pid) == []


def _assert(condition, message: str) -> None:
    assert condition, message


def test_projects_of_runs_that_died_unannounced_are_removed_by_the_next_run(engine):
    dead = subprocess.Popen(["true"])
    dead.wait()
    name = f"shopacc-{dead.pid}-dead01"
    engine.containers.create("shop-local/redis:7", labels={PROJECT_LABEL: name})
    assert name in remove_abandoned_projects(engine)
    assert engine.containers.list(all=True, filters={"label": f"{PROJECT_LABEL}={name}"}) == []
