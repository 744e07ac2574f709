"""The shop as its own processes: a shop that cannot start, or is not where SHOP_URL says, stops the run
with one message (which process, its exit code, its last lines, how to fix), never a hang."""
import os
import signal
import time

import pytest

from support.servers.shop_processes import RunningShop, ShopProcess, ShopProcesses, ShopUnavailable


def test_a_shop_that_cannot_start_says_which_process_how_it_ended_and_its_last_lines():
    env = {"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/x", "SHOP_BCRYPT_ROUNDS": "not-a-number",
           "SHOP_PORT": "0"}
    started = time.monotonic()
    with pytest.raises(ShopUnavailable) as refused:
        ShopProcesses(env)
    message = str(refused.value)
    assert "The shop's web process (python -m shop serve) ended while starting" in message
    assert "exit code 2" in message and "SHOP_BCRYPT_ROUNDS" in message and "To fix:" in message
    assert time.monotonic() - started < 20


def test_nothing_at_the_shop_url_is_said_at_once():
    with pytest.raises(ShopUnavailable, match="No healthy shop answers at SHOP_URL http://127.0.0.1:9"):
        RunningShop("http://127.0.0.1:9", {})


def test_a_process_that_dies_is_noticed_with_its_exit_code():
    from support.servers.shop_processes import KeptLines

    log = KeptLines()
    child = ShopProcess("worker", ["--help"], {**os.environ, "PYTHONUNBUFFERED": "1"}, log, "never printed")
    child.process.wait(10)
    assert child.died()
    assert "exit code 0" in child.death_notice("died during the run") and "show this help message" in log.tail("worker")


def test_a_stopped_process_is_not_a_death():
    from support.servers.shop_processes import KeptLines

    child = ShopProcess("web", ["--help"], dict(os.environ), KeptLines(), "never printed")
    child.stop(signal.SIGTERM)
    assert not child.died()
