"""How the suite chooses and reaches its servers, without starting any: the `auto` decision with the
probes faked, the clear failure of wrong URLs against closed or silent loopback ports (never any other
address).
The docker route, against a real engine, is tested in test_stack_docker.py."""
from __future__ import annotations

import socket
import time

import pytest

import support.servers.stack as stack
from support.servers.stack import docker, local
from support.servers.stack.probe import ProbeResult, probe_services, what_is_tried
from support.servers.stack.services import (
    DEFAULT_URLS,
    ProvisionedStack,
    Services,
    StackUnavailable,
    masked,
    requested_urls,
)

ALL = ("DATABASE_URL", "REDIS_URL", "RABBITMQ_URL")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def silent_port():
    """A loopback port that accepts connections and never says a word: the 'blackholed' server."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


def fake_probes(monkeypatch, unreachable=()):
    def probe(urls, timeout=2.0):
        return [ProbeResult(s, urls[s], what_is_tried(s, urls[s]), "connection refused" if s in unreachable else None)
                for s in urls]

    monkeypatch.setattr(stack, "probe_services", probe)


@pytest.fixture
def routes(monkeypatch):
    """Records which route `auto` took; by default the engine answers and the binaries are present."""
    taken = []

    def started(mode):
        def start(requested, timeout_multiplier=1.0):
            taken.append(mode)
            return ProvisionedStack(Services("postgresql://x/db", "redis://x/11", "amqp://x/%2F", mode))
        return start

    monkeypatch.setattr(docker, "engine_problem", lambda: None)
    monkeypatch.setattr(docker, "start", started("docker"))
    monkeypatch.setattr(local, "missing_binaries", lambda: None)
    monkeypatch.setattr(local, "provision", started("local"))
    return taken


def test_an_unknown_mode_is_refused_with_the_valid_ones():
    with pytest.raises(ValueError, match="auto, external, docker, local.*'kubernetes'"):
        stack.provision("kubernetes", {})


def test_auto_uses_the_configured_servers_when_all_three_answer(monkeypatch, routes):
    fake_probes(monkeypatch)
    provisioned = stack.provision("auto", {"DATABASE_URL": "postgresql://app@127.0.0.1:5432/mine"})
    assert provisioned.services.mode == "external"
    assert provisioned.services.database_url == "postgresql://app@127.0.0.1:5432/mine"
    assert routes == [], f"nothing should be started when the servers answer; started {routes}"


def test_auto_starts_docker_when_a_server_is_missing_and_an_engine_answers(monkeypatch, routes):
    fake_probes(monkeypatch, unreachable={"RABBITMQ_URL"})
    assert stack.provision("auto", {}).services.mode == "docker"
    assert routes == ["docker"]


def test_auto_runs_local_servers_when_there_is_no_engine(monkeypatch, routes):
    fake_probes(monkeypatch, unreachable={"DATABASE_URL"})
    monkeypatch.setattr(docker, "engine_problem", lambda: "no Docker engine answered")
    assert stack.provision("auto", {}).services.mode == "local"
    assert routes == ["local"]


def test_auto_falls_back_to_local_servers_when_docker_cannot_start_them(monkeypatch, routes):
    fake_probes(monkeypatch, unreachable=ALL)

    def failing_docker(requested, timeout_multiplier=1.0):
        raise StackUnavailable("pull access denied for postgres")

    monkeypatch.setattr(docker, "start", failing_docker)
    assert stack.provision("auto", {}).services.mode == "local"


def test_auto_with_nothing_available_stops_quickly_saying_what_was_tried_and_how_to_fix_it(monkeypatch, routes):
    # Real probes against closed loopback ports; only the engine and the binaries are faked.
    monkeypatch.setattr(docker, "engine_problem", lambda: "no Docker engine answered: connection refused")
    monkeypatch.setattr(local, "missing_binaries", lambda: "not installed (or not found): rabbitmq-server")
    env = {
        "DATABASE_URL": f"postgresql://shop:s3cret@127.0.0.1:{closed_port()}/shop_acceptance",
        "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/11",
        "RABBITMQ_URL": f"amqp://guest:guest@127.0.0.1:{closed_port()}/%2F",
    }
    started = time.monotonic()
    with pytest.raises(StackUnavailable) as raised:
        stack.provision("auto", env)
    elapsed = time.monotonic() - started
    message = str(raised.value)
    assert elapsed < 10, f"the decision took {elapsed:.1f}s"
    for name, setting in (("PostgreSQL", "DATABASE_URL"), ("Redis", "REDIS_URL"), ("RabbitMQ", "RABBITMQ_URL")):
        assert f"{name} at {masked(env[setting])}" in message, f"{name} and its URL missing from:\n{message}"
    assert "s3cret" not in message and "guest:guest" not in message, f"a password leaked:\n{message}"
    assert message.count("tried: connect to 127.0.0.1:") == 3, message
    assert "docker: no Docker engine answered" in message, message
    assert "rabbitmq-server" in message, message
    assert "How to fix" in message and "stack=local" in message and "stack=docker" in message, message
    assert routes == []


@pytest.mark.parametrize("port", [1, "closed"], ids=["port-1", "closed-port"])
def test_external_with_a_wrong_database_url_fails_clearly_within_seconds(port):
    port = closed_port() if port == "closed" else port
    url = f"postgresql://postgres:hunter2@127.0.0.1:{port}/shop_acceptance"
    started = time.monotonic()
    with pytest.raises(StackUnavailable) as raised:
        stack.provision("external", {"DATABASE_URL": url, "REDIS_URL": "redis://127.0.0.1:1/11",
                                     "RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:1/%2F"})
    assert time.monotonic() - started < 10
    message = str(raised.value)
    assert f"PostgreSQL at postgresql://postgres:***@127.0.0.1:{port}/shop_acceptance  (DATABASE_URL)" in message
    assert "hunter2" not in message
    assert "refused" in message.lower(), message


def test_servers_that_accept_but_never_answer_fail_within_seconds(silent_port):
    url = {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{silent_port}/shop_acceptance",
           "REDIS_URL": f"redis://127.0.0.1:{silent_port}/11",
           "RABBITMQ_URL": f"amqp://guest:guest@127.0.0.1:{silent_port}/%2F"}
    started = time.monotonic()
    results = probe_services(url)
    assert time.monotonic() - started < 6
    assert [r.setting for r in results if r.answered] == [], results


def test_urls_default_to_the_standard_local_ports_and_the_suites_own_database():
    assert requested_urls({}) == DEFAULT_URLS
    assert requested_urls({"REDIS_URL": ""})["REDIS_URL"] == "redis://127.0.0.1:6379/11"
    assert DEFAULT_URLS["DATABASE_URL"].endswith("/shop_acceptance")


def test_masking_hides_only_the_password():
    assert masked("amqp://guest:guest@127.0.0.1:5672/%2F") == "amqp://guest:***@127.0.0.1:5672/%2F"
    assert masked("postgresql://postgres@127.0.0.1:5432/db") == "postgresql://postgres@127.0.0.1:5432/db"
    assert masked("redis://:p%40ss@cache:6379/2") == "redis://:***@cache:6379/2"
