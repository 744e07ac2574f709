"""`python -m shop serve` with several web processes (shop/processes.py): the figures administrators read
are the sum over the processes, and the loops beside the web server run in exactly one of them, again
after that one dies."""
import multiprocessing
import os
import signal
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
import redis
import requests

from shop.catalogue_cache import CacheFigures
from shop.config import Settings
from shop.db import PoolFigures
from shop.messaging.topology import Topology
from shop.processes import FiguresBoard
from shop.web.admin import RequestFigures
from support.door import SERVING, run_command
from support.polling import eventually
from support.servers.shop_processes import KeptLines, ShopProcess
from support.wires.broker import BrokerInspector
from tests.conftest import remove_topology

POSTGRES_PORT = 5432


def _pool(**counts) -> PoolFigures:
    base = {"size": 0, "open": 0, "in_use": 0, "peak_in_use": 0, "waits": 0, "total_wait_seconds": 0.0,
            "statements": 0}
    return PoolFigures(**{**base, **counts})


def test_the_board_sums_every_slot_and_a_slot_rewritten_counts_once():
    board = FiguresBoard(3)
    board.publish(0, _pool(size=20, waits=1, total_wait_seconds=0.5, statements=7), CacheFigures(1, 2, 0),
                  RequestFigures(in_flight=2))
    board.publish(2, _pool(size=20, statements=3), CacheFigures(4, 0, 1), RequestFigures(in_flight=3))
    board.publish(2, _pool(size=20, statements=5), CacheFigures(6, 0, 1), RequestFigures(in_flight=1))
    pool, cache, requests_now = board.total()
    assert pool == _pool(size=40, waits=1, total_wait_seconds=0.5, statements=12)
    assert cache == CacheFigures(7, 2, 1)
    assert requests_now == RequestFigures(in_flight=3)


def _publish_from_a_child(board: FiguresBoard) -> None:
    board.publish(1, _pool(size=20, waits=2), CacheFigures(5, 0, 0), RequestFigures(in_flight=1))


def test_a_forked_process_writes_where_the_parent_reads():
    board = FiguresBoard(2)  # made before the fork, as the master makes it before its workers
    child = multiprocessing.get_context("fork").Process(target=_publish_from_a_child, args=(board,))
    child.start()
    child.join(10)
    assert child.exitcode == 0
    board.publish(0, _pool(size=20), CacheFigures(1, 0, 0), RequestFigures(in_flight=0))
    pool, cache, requests_now = board.total()
    assert (pool.size, pool.waits, cache.hits, requests_now.in_flight) == (40, 2, 6, 1)


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _local_ports(pid: int, remote_port: int) -> set[int]:
    """The local ports of the process's established TCP connections to `remote_port`."""
    try:
        inodes = {os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1] for fd in os.listdir(f"/proc/{pid}/fd")}
    except OSError:
        return set()
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if int(fields[2].rsplit(":", 1)[1], 16) == remote_port and fields[3] == "01" and fields[9] in inodes:
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def _loop_sessions(database_url: str) -> set[int]:
    """The client ports of the database sessions the loops beside the web server hold (shop/bootstrap.py)."""
    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT client_port FROM pg_stat_activity WHERE datname = current_database()"
                    " AND application_name IN ('shop relay', 'shop expiry', 'shop documents')")
        ports = {port for (port,) in cur.fetchall()}
    conn.close()
    return ports


@pytest.fixture
def two_process_shop(servers, migrated_database):
    names = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ, "DATABASE_URL": migrated_database, "REDIS_URL": servers.redis_url,
        "RABBITMQ_URL": servers.rabbitmq_url, "SHOP_KEY_PREFIX": f"{names}:", "SHOP_AMQP_NAMESPACE": names,
        "SHOP_BCRYPT_ROUNDS": "4", "SHOP_PORT": "0", "SHOP_WEB_PROCESSES": "2", "SHOP_RELAY_IDLE_MS": "100",
        "PYTHONUNBUFFERED": "1",
    }
    admin = f"boss-{names}@example.com"
    created = run_command(env, ["create-admin", admin], {"SHOP_ADMIN_PASSWORD": "a long passphrase 1"})
    assert created.returncode == 0, created.stderr
    log = KeptLines()
    shop = ShopProcess("web", ["serve"], env, log, SERVING)
    try:
        url = shop.wait_for_address(30)
        yield shop.process.pid, url, log, admin, migrated_database
    finally:
        shop.stop(signal.SIGTERM)
        client = redis.Redis.from_url(servers.redis_url)
        for key in client.scan_iter(f"{names}:*"):
            client.delete(key)
        client.close()
        broker = BrokerInspector(servers.rabbitmq_url)
        remove_topology(broker, Topology(names, Settings().retry_delays_ms))
        broker.close()


def test_the_figures_are_the_sum_over_the_processes(two_process_shop):
    master, url, log, admin, _ = two_process_shop
    eventually(lambda: _assert_equal(len(_children(master)), 2), timeout=30, description="two web processes")
    signed_in = requests.post(f"{url}/api/auth/login", json={"email": admin,
                                                                "password": "a long passphrase 1"}, timeout=10)
    assert signed_in.status_code == 200, signed_in.text
    token = signed_in.json()["token"]

    def browse(_):
        with requests.Session() as own_connection:
            reply = own_connection.get(f"{url}/api/products", headers={"Authorization": f"Bearer {token}"},
                                       timeout=10)
            assert reply.status_code == 200, reply.text

    with ThreadPoolExecutor(40) as crowd:
        list(crowd.map(browse, range(200)))
    figures = requests.get(f"{url}/api/admin/figures", headers={"Authorization": f"Bearer {token}"},
                           timeout=10).json()
    cache = figures["catalogueCache"]
    assert cache["hits"] + cache["misses"] + cache["unavailable"] == 200, (figures, log.tail("web"))
    assert figures["database"]["size"] == 40, figures  # both processes' pools of 20: both answered
    assert figures["requests"] == {"inFlight": 1}, figures  # the crowd's are done: only the asking one


def test_the_loops_run_in_one_process_and_again_after_it_dies(two_process_shop):
    master, _, log, _, database_url = two_process_shop

    def one_process_runs_the_loops():
        children = _children(master)
        loops = _loop_sessions(database_url)
        holders = [pid for pid in children if _local_ports(pid, POSTGRES_PORT) & loops]
        assert len(children) == 2 and len(holders) == 1, (children, holders)
        return holders[0]

    first = eventually(one_process_runs_the_loops, timeout=30, description="the relay in one web process")
    os.kill(first, signal.SIGKILL)
    second = eventually(lambda: _assert_new(one_process_runs_the_loops(), first), timeout=30,
                        description="the relay again, in the process that replaced the killed one")
    assert second != first, log.tail("web")


def _assert_equal(seen, wanted):
    assert seen == wanted, f"{seen}, not {wanted}"


def _assert_new(pid, old):
    assert pid != old, f"still {old}"
    return pid


def test_sigterm_stops_the_master_and_every_worker(two_process_shop):
    master, _, log, _, _ = two_process_shop
    workers = eventually(lambda: _two(_children(master)), timeout=30, description="two web processes")
    os.kill(master, signal.SIGTERM)
    eventually(lambda: _assert_equal([pid for pid in [master, *workers] if _alive(pid)], []), timeout=15,
               description="the master and its workers to end")


def _two(children):
    assert len(children) == 2, children
    return children


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended, unreaped
    except OSError:
        return False
