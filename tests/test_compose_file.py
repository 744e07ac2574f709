"""docker-compose.test.yml is a valid Compose file and the definition the docker route expects.

No Docker engine is needed: the file is validated against the Compose Specification's JSON schema,
vendored in tests/compose-spec.json from compose-spec/compose-spec, schema/compose-spec.json at commit
00655e2222608fa6eaecdf12ac5195889ca2244a (the repository's `main` when copied; 74,133 bytes).
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from support.servers.stack import docker

REPO = Path(__file__).resolve().parents[1]
SERVERS = {"postgres": "pg_isready", "redis": "redis-cli", "rabbitmq": "rabbitmq-diagnostics"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.test.yml").read_text())


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads((REPO / "tests" / "compose-spec.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_the_file_follows_the_compose_specification(compose, validator):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == [], "docker-compose.test.yml breaks the Compose specification:\n" + "\n".join(errors)


def test_the_schema_check_would_catch_a_mistake(compose, validator):
    broken = copy.deepcopy(compose)
    broken["services"]["redis"]["healthcheck"]["test_command"] = ["CMD", "redis-cli", "ping"]
    assert not validator.is_valid(broken), "the vendored schema accepted an unknown healthcheck key"


def test_the_docker_route_starts_exactly_the_servers_defined_here(compose):
    assert set(docker.SERVERS) == set(SERVERS)
    for server in docker.SERVERS:
        assert server in compose["services"], f"docker.py starts {server}, which the file does not define"
        assert "profiles" not in compose["services"][server], f"{server} would not start without a profile"


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_each_server_has_a_health_check_and_publishes_its_port_on_loopback_only(compose, server):
    service = compose["services"][server]
    test = service["healthcheck"]["test"]
    assert test[0] in ("CMD", "CMD-SHELL") and SERVERS[server] in " ".join(test), f"{server}: health check {test}"
    published = {f"127.0.0.1:{docker.PUBLISHED_PORTS[server]}:{port}" for port in (5432, 6379, 5672)}
    assert published & set(service["ports"]), f"{server}: {service['ports']} is not what docker.py connects to"


def test_every_service_has_a_health_check(compose):
    awaited = {name for service in compose["services"].values() for name in service.get("depends_on", {})}
    assert awaited == set(SERVERS)
    for name, service in compose["services"].items():
        assert "healthcheck" in service, f"{name} has no health check"


def test_the_suite_service_runs_behave_against_the_compose_servers_only_when_asked(compose):
    suite = compose["services"].get("suite")
    assert suite is not None, "there is no `suite` service"
    assert suite["profiles"] == ["suite"], "the suite must not start with a plain `up` of the servers"
    assert suite["build"] == {"context": ".", "dockerfile": "Dockerfile"}
    assert suite["depends_on"] == {server: {"condition": "service_healthy"} for server in SERVERS}
    environment = suite["environment"]
    assert environment["STACK"] == "external"
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert "@rabbitmq:5672/" in environment["RABBITMQ_URL"]
    assert "./reports:/suite/reports" in suite["volumes"]


def test_the_image_installs_the_requirements_and_runs_behave():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "\nFROM python:3.11-slim\n" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert 'CMD ["behave"]' in dockerfile
    ignored = (REPO / ".dockerignore").read_text().splitlines()
    assert {".venv", ".git", "reports", "node_modules"} <= set(ignored), "the build context would carry local state"
