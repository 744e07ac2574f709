"""The cache's circuit breaker and the sign-in throttle's fallback, without a Redis server."""
import threading

import pytest
import redis

from shop.cache_guard import CacheUnavailable, GuardedRedis
from shop.throttle import SignInThrottle
from support.polling import eventually


class StubRedis:
    """Answers each command by raising `error` (or returning None), counting the commands it got."""

    def __init__(self, error: Exception | None = None):
        self.error = error
        self.commands = 0

    def get(self, key):
        self.commands += 1
        if self.error:
            raise self.error

    mget = delete = get

    def pipeline(self):
        self.get(None)  # as a pipeline's execute would: the same error


def test_a_timeout_opens_the_breaker_and_later_commands_cost_nothing():
    stub = StubRedis(redis.TimeoutError("Timeout reading from socket"))
    guarded = GuardedRedis(stub, retry_seconds=60)
    with pytest.raises(redis.RedisError):
        guarded.get("k")
    for _ in range(10):
        with pytest.raises(CacheUnavailable):
            guarded.get("k")
    assert (stub.commands, guarded.is_open) == (1, True)


def test_a_refused_connection_fails_fast_and_does_not_open_the_breaker():
    stub = StubRedis(redis.ConnectionError("Connection refused"))
    guarded = GuardedRedis(stub, retry_seconds=60)
    for _ in range(3):
        with pytest.raises(redis.ConnectionError):
            guarded.get("k")
    assert (stub.commands, guarded.is_open) == (3, False)


def test_without_redis_failed_sign_ins_are_limited_in_process_per_account_and_address():
    guarded = GuardedRedis(StubRedis(redis.ConnectionError("Connection refused")), retry_seconds=60)
    throttle = SignInThrottle(guarded, "t:", limit=3, address_limit=10, window_seconds=60)
    for _ in range(3):
        throttle.record_failure("alice@example.com", "203.0.113.9")
    assert throttle.is_locked("alice@example.com", "203.0.113.9")
    assert not throttle.is_locked("alice@example.com", "198.51.100.7"), "the owner elsewhere is not locked out"
    for n in range(7):
        throttle.record_failure(f"someone{n}@example.com", "203.0.113.9")
    assert throttle.is_locked("bob@example.com", "203.0.113.9"), "ten failures lock the address out of every account"


def test_commands_from_several_threads_run_at_the_same_time():
    """The breaker does not queue the request threads' commands behind one another: two commands, each
    waiting for the other to start, both finish (one at a time, the first would wait for ever)."""
    both_running = threading.Barrier(2, timeout=10)
    guarded = GuardedRedis(StubRedis(), retry_seconds=60)
    outcomes: list[object] = []

    def command():
        try:
            outcomes.append(guarded.run(lambda client: both_running.wait()))
        except threading.BrokenBarrierError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=command) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [0, 1], f"the commands did not run side by side: {outcomes}"


def test_after_its_wait_the_breaker_lets_a_command_through_and_closes_when_it_answers():
    stub = StubRedis(redis.TimeoutError("Timeout reading from socket"))
    guarded = GuardedRedis(stub, retry_seconds=0.2)
    with pytest.raises(redis.TimeoutError):
        guarded.get("k")
    with pytest.raises(CacheUnavailable):
        guarded.get("k")
    assert stub.commands == 1, "while the breaker is open, Redis is not asked"
    stub.error = None  # Redis answers again: once the breaker's wait is over, a command goes through

    def closed_again():
        try:
            guarded.get("k")
        except CacheUnavailable:
            raise AssertionError("the breaker is still refusing commands") from None
        assert not guarded.is_open, "a command went through but the breaker did not close"

    eventually(closed_again, timeout=10, interval=0.05, description="the breaker to try Redis again and close")
    assert stub.commands == 2
