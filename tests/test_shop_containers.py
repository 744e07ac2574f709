"""shop=container's building block against a real engine: the compose file's `app` and `worker` run the
code of this checkout (image built at start, cached), apply the migrations, serve, consume the order
events, and are removed with the run. Skipped without an engine or the images of `make images`."""
from __future__ import annotations

import requests

from support.polling import eventually
from support.servers.shop_containers import start_shop_containers
from support.servers.stack import docker
from support.servers.stack.services import requested_urls
from support.wires.broker import BrokerInspector
from support.wires.database import DatabaseInspector, ensure_database
from tests.test_stack_docker import engine, local_images, projects_of_this_process  # noqa: F401 - fixtures

NAMESPACE = "shop-container-test"


def test_the_shops_containers_migrate_serve_and_consume_then_go_with_the_run(engine, local_images):  # noqa: F811
    with docker.start(requested_urls({}), only=("postgres", "redis", "rabbitmq")) as stack:
        services = stack.services
        ensure_database(services.database_url)
        settings = {"DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url,
                    "RABBITMQ_URL": services.rabbitmq_url, "SHOP_AMQP_NAMESPACE": NAMESPACE,
                    "SHOP_KEY_PREFIX": f"{NAMESPACE}:", "SHOP_BCRYPT_ROUNDS": "4"}
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
