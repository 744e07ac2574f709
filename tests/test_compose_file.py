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

from support.servers.stack import docker, images

REPO = Path(__file__).resolve().parents[1]
SERVERS = {"postgres": "pg_isready", "redis": "redis-cli", "rabbitmq": "rabbitmq-diagnostics", "s3": "mc"}


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
    assert set(docker.SERVICES) == set(SERVERS)
    for server in docker.SERVICES:
        assert server in compose["services"], f"docker.py starts {server}, which the file does not define"
        assert "profiles" not in compose["services"][server], f"{server} would not start without a profile"


@pytest.mark.parametrize("server", docker.SERVERS, ids=lambda server: server.service)
def test_each_server_has_a_health_check_and_publishes_its_port_on_loopback_only(compose, server):
    service = compose["services"][server.service]
    test = service["healthcheck"]["test"]
    assert test[0] in ("CMD", "CMD-SHELL") and SERVERS[server.service] in " ".join(test), f"{server}: {test}"
    # The host port is the run's own (the suite sets the variable), never a fixed or standard one.
    assert service["ports"] == [f"127.0.0.1:${{{server.port_variable}:-}}:{server.port}"], service["ports"]


@pytest.mark.parametrize("image", images.LOCAL_IMAGES, ids=lambda image: image.variable)
def test_images_are_the_official_ones_unless_a_variable_names_a_stand_in(compose, image):
    named = f"${{{image.variable}:-{image.official}}}"
    used = [service.get("image") for service in compose["services"].values()]
    used += [service.get("build", {}).get("args", {}).get("PYTHON_IMAGE") for service in compose["services"].values()]
    assert named in used, f"no service takes its image from {named}"


def test_every_long_running_service_has_a_health_check(compose):
    awaited = {name for service in compose["services"].values() for name in service.get("depends_on", {})}
    assert awaited == set(SERVERS) | {"app", "worker"}
    for name, service in compose["services"].items():
        # The worker has no port to ask; the suite knows it is ready when it consumes the order events.
        assert "healthcheck" in service or name == "worker", f"{name} has no health check"


def test_the_shop_runs_from_the_dockerfile_configured_by_environment_only(compose):
    app, worker = compose["services"]["app"], compose["services"]["worker"]
    assert app["build"]["dockerfile"] == "Dockerfile" and app["image"] == worker["image"]
    assert "migrate up" in " ".join(app["command"]) and "serve" in " ".join(app["command"])
    assert worker["command"] == ["python", "-m", "shop", "worker"]
    assert app["env_file"] == worker["env_file"] == "${SHOP_ENV_FILE:-containers/shop.env}"
    settings = dict(line.split("=", 1) for line in (REPO / "containers/shop.env").read_text().splitlines()
                    if line and not line.startswith("#"))
    assert settings["DATABASE_URL"].startswith("postgresql://postgres@postgres:5432/")
    host_shop = yaml.safe_load((REPO / "docker-compose.host-shop.yml").read_text())
    assert host_shop == {"services": {"app": {"network_mode": "host"}, "worker": {"network_mode": "host"}}}


def test_the_suite_service_runs_behave_against_the_compose_shop_only_when_asked(compose):
    suite = compose["services"].get("suite")
    assert suite is not None, "there is no `suite` service"
    assert suite["profiles"] == ["suite"], "the suite must not start with a plain `up` of the servers"
    assert suite["image"] == compose["services"]["app"]["image"]
    assert suite["depends_on"]["app"] == {"condition": "service_healthy"}
    environment = suite["environment"]
    assert environment["STACK"] == "external" and environment["SHOP"] == "url"
    assert "./reports:/suite/reports" in suite["volumes"]


def test_the_image_installs_the_requirements_and_runs_behave():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "\nARG PYTHON_IMAGE=python:3.11-slim\nFROM ${PYTHON_IMAGE}\n" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert 'CMD ["behave"]' in dockerfile
    ignored = (REPO / ".dockerignore").read_text().splitlines()
    local_state = {".venv", ".git", "reports", "node_modules", ".env"}
    assert local_state <= set(ignored), "the build context would carry local state"
