"""shop=container against a real engine: the compose file's `app` and `worker` run the code of this
checkout (image built at start, cached), apply the migrations, serve, consume the order events, and are
removed with the run; the suite stops and kills the worker's container, runs operator commands in the
app's, and notices a container that dies. Skipped without an engine or the images of `make images`."""
from __future__ import annotations

import pytest
import requests

from support.polling import eventually
from support.servers.shop_containers import ContainerShop, start_shop_containers
from support.servers.shop_processes import ShopUnavailable
from support.servers.stack import docker
from support.servers.stack.services import requested_urls
from support.wires.broker import BrokerInspector
from support.wires.database import DatabaseInspector, ensure_database
from tests.test_stack_docker import engine, local_images, projects_of_this_process  # noqa: F401 - fixtures

NAMESPACE = "shop-container-test"


def test_the_shops_containers_migrate_serve_and_consume_then_go_with_the_run(engine, local_images):  # noqa: F811
    with docker.start(requested_urls({}), only=("postgres", "redis", "rabbitmq")) as stack:
        services = stack.services
        settings = _shop_settings(services, NAMESPACE)
        shop = start_shop_containers(stack.project, settings)
        try:
            health = requests.get(f"{shop.url}/api/health", timeout=5)
            assert health.status_code == 200, f"the shop in its container answered {health.status_code} {health.text}"
            inspector = DatabaseInspector(services.database_url)
            applied = [row["name"] for row in inspector.migrations()]
            inspector.close()
            assert applied, "the app container applied no migration at start"
            broker = BrokerInspector(services.rabbitmq_url)
            try:
                def consuming() -> None:
                    assert broker.consumers(f"{NAMESPACE}.order-events") == 1, "the worker does not consume yet"
                eventually(consuming, timeout=30, interval=0.5, description="the worker container to consume")
            finally:
                broker.close()
        finally:
            shop.stop()
        assert stack.project.containers("app") == [] and stack.project.containers("worker") == []
    assert projects_of_this_process(engine) == []


def test_the_container_shop_stops_kills_and_restarts_its_worker_runs_commands_and_notices_a_death(
        engine, local_images):  # noqa: F811
    with docker.start(requested_urls({}), only=("postgres", "redis", "rabbitmq")) as stack:
        settings = _shop_settings(stack.services, "shop-container-life")
        shop = ContainerShop(stack, settings)
        try:
            assert shop.worker_state().consuming, "the worker's health port answers: it consumes"
            assert any(line.startswith("[worker] order-events worker consuming") for line in shop.log.lines), \
                "the containers' logs are followed into the shop's kept lines"
            done = shop.run_command(["send-emails"])
            assert (done.returncode, done.stdout.strip()) == (0, "sent 0, still pending 0, rejected by the provider 0")
            shop.stop_worker()  # SIGTERM: the worker, its container's first process, stops politely at once
            worker = stack.project.container("worker")
            worker.reload()
            assert worker.attrs["State"]["ExitCode"] == 0, "a polite stop ends the worker with exit code 0"
            shop.check_alive()  # a worker the suite stopped is no death
            shop.start_worker()
            assert shop.worker_state().consuming
            shop.kill_worker()
            worker.reload()
            assert worker.attrs["State"]["ExitCode"] == 137, "killed outright: SIGKILL"
            shop.start_worker()
            stack.project.container("app").kill()  # behind the suite's back
            eventually(lambda: _raises_death(shop), timeout=10, interval=0.2,
                       description="the run to notice the app container's death")
        finally:
            shop.stop()
        assert stack.project.containers("app") == [] and stack.project.containers("worker") == []
    assert projects_of_this_process(engine) == []


def _shop_settings(services, namespace: str) -> dict[str, str]:
    """The shop's environment against the stack's servers, in a database of its own, names of its own."""
    ensure_database(services.database_url)
    return {"DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url,
            "RABBITMQ_URL": services.rabbitmq_url, "SHOP_AMQP_NAMESPACE": namespace,
            "SHOP_KEY_PREFIX": f"{namespace}:", "SHOP_BCRYPT_ROUNDS": "4"}


def _raises_death(shop: ContainerShop) -> None:
    """Passes once check_alive reports the app container's death; AssertionError ("not yet") before."""
    try:
        shop.check_alive()
    except ShopUnavailable as died:
        message = str(died)
    else:
        raise AssertionError("the app container's death is not noticed yet")
    assert "The shop's app container (python -m shop serve) died during the run (exited with code 137)" in message
    assert "[app] " in message and shop.log.tail("app") in message, "its last lines are shown"


def test_shop_container_needs_the_docker_stack():
    from support.servers.stack.services import ProvisionedStack, Services

    external = ProvisionedStack(Services("postgresql://x/y", "redis://x/0", "amqp://x", mode="external"), lambda: None)
    with pytest.raises(ShopUnavailable, match="shop=container .* needs stack=docker"):
        ContainerShop(external, {})
