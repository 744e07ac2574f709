"""The suite's own reliability, tested by running it: a step that hangs fails within its bounded time and
the run goes on; a run killed mid-scenario with messages in flight leaves nothing that fails the next run.

Each test runs behave on its own names (a scratch database, a Redis key prefix, a broker namespace) so it
never meets the run that called it; everything is removed afterwards.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest

from shop.messaging.topology import Topology
from support.polling import eventually
from support.wires.broker import BrokerInspector
from support.wires.database import DatabaseInspector, create_scratch_database
from tests.conftest import remove_run_names

ROOT = Path(__file__).resolve().parent.parent
BEHAVE = [sys.executable, "-m", "behave", "--no-capture", "-f", "plain", "-D", "stack=external"]
# The suite's delays, and a last tier long enough that a retried message left in it comes back while the
# next run is under way. With 4 attempts no scenario's own retries reach that tier (three retries use the
# first three), so the next run's scenarios that exhaust their retries wait milliseconds, not 6 s each.
RETRY_DELAYS = "50,100,200,6000"
MAX_DELIVERY_ATTEMPTS = "4"


@pytest.fixture
def own_names(servers):
    """Environment naming a database, key prefix and namespace of this test's own."""
    tag = uuid.uuid4().hex[:8]
    url = create_scratch_database(servers.database_url)
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": servers.redis_url, "RABBITMQ_URL": servers.rabbitmq_url,
           "KEY_PREFIX": f"selftest-{tag}:", "AMQP_NAMESPACE": f"selftest-{tag}", "RETRY_DELAYS_MS": RETRY_DELAYS,
           "MAX_DELIVERY_ATTEMPTS": MAX_DELIVERY_ATTEMPTS}
    yield env
    remove_run_names(servers, env, url, tuple(int(ms) for ms in RETRY_DELAYS.split(",")))


def run_behave(env: dict, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([*BEHAVE, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_a_step_that_stops_making_progress_fails_in_bounded_time_and_the_run_goes_on(own_names):
    started = time.monotonic()
    run = run_behave(own_names, "-D", "step_timeout=2", "tests/acceptance/hang.feature")
    output = run.stdout + run.stderr
    assert run.returncode != 0, f"expected the run to fail (one scenario hangs); it passed:\n{output[-3000:]}"
    assert "no progress within 2.0s" in output and "the step 'When Alice browses the catalogue'" in output, (
        f"expected the hanging step named with its bound:\n{output[-3000:]}")
    assert "it was waiting for: the shop's answer to GET /api/products" in output, (
        f"expected what the step waited for:\n{output[-3000:]}")
    assert "--- thread" in output and "_load_listing" in output, (
        f"expected the shop's threads, one of them stuck reading the catalogue:\n{output[-3000:]}")
    assert "1 scenario passed, 0 failed, 1 error" in output, f"expected the next scenario to run and pass:\n{output}"
    assert time.monotonic() - started < 60, "the hanging run took a minute: the step bound did not hold"


def test_a_run_killed_with_messages_in_flight_leaves_nothing_that_fails_the_next_run(own_names, servers, tmp_path):
    env = own_names
    topology = Topology(env["AMQP_NAMESPACE"], tuple(int(ms) for ms in RETRY_DELAYS.split(",")))
    with open(tmp_path / "killed-run.log", "w") as out:
        killed = subprocess.Popen([*BEHAVE, "tests/acceptance/interrupted.feature"], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    db = DatabaseInspector(env["DATABASE_URL"])
    broker = BrokerInspector(servers.rabbitmq_url)
    try:
        def in_flight() -> None:
            assert killed.poll() is None, "the run ended before it could be killed"
            try:
                handled = db.one("SELECT count(*) AS n FROM processed_messages")["n"]
            except psycopg2.Error as error:  # not migrated yet
                raise AssertionError(str(error).strip()) from None
            waiting = broker.depth(topology.order_events_queue)
            assert handled >= 2 and waiting >= 5, f"{handled} events handled, {waiting} waiting"

        eventually(in_flight, timeout=60, interval=0.1, description="the run's order events to be in flight")
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(timeout=10)
        # What a run killed at another moment leaves too: an event stored but not yet published, and a
        # retried message in the last delay tier, which only comes back once the next run is under way.
        order = str(uuid.uuid4())
        with psycopg2.connect(env["DATABASE_URL"]) as conn, conn.cursor() as cur:
            cur.execute("INSERT INTO outbox (type, payload) VALUES ('order.paid', %s)",
                        (json.dumps({"orderId": order, "status": "paid"}),))
        conn.close()
        broker.publish("", topology.retry_queue(6000), json.dumps(
            {"id": str(uuid.uuid4()), "type": "order.paid", "data": {"orderId": order}}).encode(),
            message_id=str(uuid.uuid4()), message_type="order.paid")
        left = sum(broker.depths(topology.queues()).values())
        assert left >= 5, f"expected the killed run to leave messages in its queues; found {left}"
    finally:
        if killed.poll() is None:
            os.killpg(killed.pid, signal.SIGKILL)
        db.close()
        broker.close()

    next_run = run_behave(env, "features/messaging.feature")
    output = next_run.stdout + next_run.stderr
    assert next_run.returncode == 0, f"expected the next run on the same names to pass; it failed:\n{output[-5000:]}"
