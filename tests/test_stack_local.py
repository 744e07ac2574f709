"""The local route for real: private PostgreSQL, Redis and RabbitMQ from this machine's binaries answer
real clients, share nothing with servers already on the standard ports, and leave no process and no
directory behind — after a normal stop, a failed launch, Ctrl-C, SIGTERM, and (via the next run's
reaper) SIGKILL. Each launch takes a few seconds, RabbitMQ's boot being most of it."""
from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pika
import psycopg2
import pytest
import redis

from support.polling import eventually
from support.servers.stack import StackUnavailable, local, local_servers, provision
from support.servers.stack.probe import probe_services
from support.servers.stack.services import DEFAULT_URLS

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(local_servers.find_binaries().missing() != [] or not Path("/proc").is_dir(),
                                reason="needs postgres, redis-server and rabbitmq-server installed, and Linux /proc")


def stack_roots() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(local.ROOT_PREFIX + "*"))


def new_roots_of(owner: int, before: set[Path]) -> set[Path]:
    """Stack directories made since `before` by the run `owner`; other runs may launch stacks meanwhile."""
    mine = set()
    for root in stack_roots() - before:
        with contextlib.suppress(OSError):
            if (root / "owner.pid").read_text().strip() == str(owner):
                mine.add(root)
    return mine


def process_identities(root: Path, ports: list[int]) -> set[tuple[int, str]]:
    """(pid, start time) of every process of the stack: found by marker, by command line (the temporary
    directory or a port), then widened to their whole process groups. Start times rule out recycled pids."""
    table = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            table[int(entry.name)] = (int(stat[2]), stat[19], stat[0], (entry / "cmdline").read_bytes())
        except (OSError, IndexError):
            continue
    needles = [str(root).encode()] + [f":{port}".encode() for port in ports]
    seeds = set(local.marked_processes(root)) | {
        pid for pid, (_, _, _, cmdline) in table.items() if any(needle in cmdline for needle in needles)}
    seeds.discard(os.getpid())
    groups = {table[pid][0] for pid in seeds if pid in table}
    return {(pid, start) for pid, (pgid, start, state, _) in table.items()
            if (pid in seeds or pgid in groups) and state != "Z" and pid != os.getpid()}


def still_running(identities: set[tuple[int, str]]) -> set[tuple[int, str]]:
    return {(pid, start) for pid, start in identities
            if Path(f"/proc/{pid}/stat").exists() and _start_time(pid) == start and _state(pid) != "Z"}


def _stat(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return ["X"] * 20


def _start_time(pid: int) -> str:
    return _stat(pid)[19]


def _state(pid: int) -> str:
    return _stat(pid)[0]


def ports_of(services) -> list[int]:
    return [int(url.rsplit(":", 1)[1].split("/")[0]) for url in
            (services.database_url, services.redis_url, services.rabbitmq_url)]


def assert_all_gone(identities, root: Path, ports: list[int]) -> None:
    eventually(lambda: _assert_no_survivors(identities), timeout=10, description="the stack's processes to exit")
    assert not root.exists(), f"temporary directory {root} is still there: {list(root.iterdir())}"
    for port in ports:
        with socket.socket() as client:
            assert client.connect_ex(("127.0.0.1", port)) != 0, f"something still listens on port {port}"


def _assert_no_survivors(identities) -> None:
    survivors = still_running(identities)
    assert not survivors, f"still running after stop: {survivors}"


def test_local_servers_answer_real_clients_and_leave_nothing_behind():
    machine_servers_before = {r.setting for r in probe_services(DEFAULT_URLS) if r.answered}
    roots_before = stack_roots()
    stack = provision("local", {"DATABASE_URL": "postgresql://app@db/orders_suite", "REDIS_URL": "redis://r/7"})
    services = stack.services
    try:
        (root,) = new_roots_of(os.getpid(), roots_before)
        ports = ports_of(services)
        assert services.mode == "local"
        assert not {5432, 6379, 5672} & set(ports), f"a standard port was used: {ports}"
        assert services.database_url.endswith("/orders_suite") and services.redis_url.endswith("/7")

        db = psycopg2.connect(services.database_url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5)
        with db.cursor() as cursor:
            cursor.execute("SHOW fsync")
            assert cursor.fetchone() == ("off",), "the throwaway server should not sync to disk"
        db.close()
        cache = redis.Redis.from_url(services.redis_url, socket_timeout=5)
        cache.set("shop-acceptance:probe", "1")
        assert cache.get("shop-acceptance:probe") == b"1"
        cache.close()
        broker = pika.BlockingConnection(pika.URLParameters(services.rabbitmq_url))
        channel = broker.channel()
        channel.queue_declare("shop-acceptance.probe", exclusive=True)
        channel.basic_publish("", "shop-acceptance.probe", b"hello")
        assert eventually(lambda: _one_message(channel), timeout=5, description="the message back") == b"hello"
        broker.close()

        identities = process_identities(root, ports)
        assert len(identities) >= 3, f"expected at least the three servers, found {identities}"
    finally:
        stack.stop()
    stack.stop()  # idempotent
    assert_all_gone(identities, root, ports)
    # The machine's own servers on the standard ports were not disturbed.
    machine_servers_after = {r.setting for r in probe_services(DEFAULT_URLS) if r.answered}
    assert machine_servers_after == machine_servers_before


def _one_message(channel) -> bytes:
    _method, _properties, body = channel.basic_get("shop-acceptance.probe", auto_ack=True)
    assert body is not None, "no message yet"
    return body


def test_a_server_that_cannot_start_is_reported_with_its_log_and_nothing_is_left(monkeypatch):
    real_free_ports = local_servers.free_ports
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]

        def ports_with_redis_taken(count):
            ports = real_free_ports(count)
            ports[1] = taken  # the order of LocalLaunch.ports: postgres, redis, amqp, dist, epmd
            return ports

        monkeypatch.setattr(local_servers, "free_ports", ports_with_redis_taken)
        roots_before = stack_roots()
        with pytest.raises(StackUnavailable) as raised:
            provision("local", {})
    message = str(raised.value)
    assert "Redis did not start" in message and "redis.log" in message, message
    assert "Address already in use" in message, message
    assert not new_roots_of(os.getpid(), roots_before), "the failed launch left its temporary directory"


SUITE_RUN = """
import json, sys, threading
sys.path.insert(0, {repo!r})
from support.servers.stack import provision
stack = provision("local", {{}})
print(json.dumps(stack.services.__dict__), flush=True)
threading.Event().wait()  # like a long run, until a signal arrives
"""


def start_suite_run(request) -> tuple[subprocess.Popen, dict, Path]:
    roots_before = stack_roots()
    # Its own session: a signal to its group is what a Ctrl-C in its terminal would send.
    run = subprocess.Popen([sys.executable, "-c", SUITE_RUN.format(repo=str(REPO))], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, start_new_session=True)
    request.addfinalizer(lambda: _end(run))
    with selectors.DefaultSelector() as ready:
        ready.register(run.stdout, selectors.EVENT_READ)
        if not ready.select(timeout=90):
            run.kill()
            pytest.fail("the run did not report its servers within 90s")
    line = run.stdout.readline()
    if not line:
        pytest.fail(f"the run failed to start its servers:\n{run.stderr.read()}")
    (root,) = new_roots_of(run.pid, roots_before)
    return run, json.loads(line), root


def _end(run: subprocess.Popen) -> None:
    """Whatever the test's outcome, its run does not outlive it (SIGTERM lets the run put its servers away)."""
    if run.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGTERM)
        try:
            run.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait(10)
            local.reap_orphans()
    for stream in (run.stdout, run.stderr):
        stream.close()


@pytest.mark.parametrize("interrupt", ["ctrl-c", "sigterm"])
def test_an_interrupted_run_stops_its_servers(interrupt, request):
    run, services, root = start_suite_run(request)
    ports = [int(url.rsplit(":", 1)[1].split("/")[0]) for key, url in services.items() if key.endswith("_url") and url]
    identities = process_identities(root, ports)
    if interrupt == "ctrl-c":
        os.killpg(run.pid, signal.SIGINT)  # the terminal signals the whole foreground group
    else:
        run.send_signal(signal.SIGTERM)
    run.wait(60)
    assert_all_gone(identities, root, ports)


def test_the_next_run_reaps_what_a_killed_run_left_behind(request):
    run, services, root = start_suite_run(request)
    ports = [int(url.rsplit(":", 1)[1].split("/")[0]) for key, url in services.items() if key.endswith("_url") and url]
    identities = process_identities(root, ports)
    run.kill()
    run.wait(10)
    assert root.exists() and still_running(identities), "SIGKILL cannot clean up; the orphans should be there"
    local.reap_orphans()
    assert_all_gone(identities, root, ports)
