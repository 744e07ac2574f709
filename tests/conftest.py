"""Fixtures shared by tests that need the real servers: a migrated scratch database and a private
broker namespace, both removed afterwards. Skipped, saying why, when the servers do not answer."""
import textwrap
import uuid

import pytest

from shop.messaging.topology import Topology
from support.door import migrate
from support.servers.stack import StackUnavailable, provision
from support.settings import SuiteSettings
from support.wires.broker import BrokerInspector
from support.wires.database import create_scratch_database, drop_database
from support.wires.reset import WorldReset


@pytest.fixture(scope="session")
def servers():
    settings = SuiteSettings.from_sources({"stack": "external"})
    try:
        return provision("external", settings.provisioning_env()).services
    except StackUnavailable as error:
        pytest.skip(str(error))


@pytest.fixture(scope="module")
def migrated_database(servers):
    url = create_scratch_database(servers.database_url)
    migrate(url)
    yield url
    drop_database(url)


@pytest.fixture
def private_topology(servers):
    """A namespace of the test's own on the shared broker, and an inspector; everything deleted after."""
    topology = Topology(f"test-{uuid.uuid4().hex[:8]}", retry_delays_ms=(20, 40))
    broker = BrokerInspector(servers.rabbitmq_url)
    yield topology, broker
    remove_topology(broker, topology)
    broker.close()


def remove_topology(broker: BrokerInspector, topology: Topology) -> None:
    """A namespace's queues and exchanges, deleted from the shared broker."""
    for queue in topology.queues():
        broker.delete_queue(queue)
    for exchange in (topology.events_exchange, topology.work_exchange):
        broker.delete_exchange(exchange)


def remove_run_names(servers, env: dict, database_url: str, retry_delays: tuple[int, ...]) -> None:
    """Everything a suite run on its own names left on the shared servers: its queues and exchanges, its
    Redis keys, its scratch database."""
    broker = BrokerInspector(servers.rabbitmq_url)
    remove_topology(broker, Topology(env["AMQP_NAMESPACE"], retry_delays))
    broker.close()
    WorldReset(database_url, servers.redis_url, env["KEY_PREFIX"], servers.rabbitmq_url, []).reset()
    drop_database(database_url)


def write_project(folder, files: dict[str, str], monkeypatch) -> None:
    """A tiny behave project of a test's own (its files by path, dedented), made the working folder."""
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    monkeypatch.chdir(folder)
