"""Asks PostgreSQL, Redis and RabbitMQ whether they answer, quickly and all at once.

A TCP connect alone is not enough (a port can be open with the wrong server, or a broker still
booting behind it), so each probe completes a real protocol exchange with short timeouts. The three
run on their own threads under one deadline: a probe that hangs on a silent host still lets the
decision finish in a few seconds.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from support.servers.stack import amqp_handshake
from support.servers.stack.services import SERVICE_NAMES, host_and_port, masked

PROBE_TIMEOUT = 2.0  # seconds; a loopback server answers in milliseconds, a remote one well within this


class NoAnswer(AssertionError):
    """The server did not complete the exchange. An AssertionError, so `eventually` retries it."""


@dataclass(frozen=True)
class ProbeResult:
    setting: str  # DATABASE_URL, REDIS_URL or RABBITMQ_URL
    url: str  # as configured; use `shown_url` in messages
    tried: str  # what the probe did, in words
    problem: str | None  # None when the server answered

    @property
    def service(self) -> str:
        return SERVICE_NAMES[self.setting]

    @property
    def shown_url(self) -> str:
        return masked(self.url)

    @property
    def answered(self) -> bool:
        return self.problem is None


def probe_postgres(url: str, timeout: float = PROBE_TIMEOUT) -> None:
    import psycopg2

    try:
        # The maintenance database always exists; the suite's own one may not have been created yet.
        # libpq rounds connect_timeout below 2 up to 2 seconds anyway.
        connection = psycopg2.connect(url, dbname="postgres", connect_timeout=max(2, round(timeout)))
    except psycopg2.Error as error:
        raise NoAnswer(_first_line(error)) from None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except psycopg2.Error as error:
        raise NoAnswer(_first_line(error)) from None
    finally:
        connection.close()


def probe_redis(url: str, timeout: float = PROBE_TIMEOUT) -> None:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # redis-py retries refused connections by default, which would multiply the timeout.
    client = redis.Redis.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )
    try:
        client.ping()  # connecting also SELECTs the URL's db number, so a bad number fails here
    except (redis.RedisError, OSError) as error:
        raise NoAnswer(_first_line(error)) from None
    finally:
        client.close()


def probe_rabbitmq(url: str, timeout: float = PROBE_TIMEOUT) -> None:
    try:
        amqp_handshake.open_and_close(url, timeout)
    except amqp_handshake.HandshakeRefused as refusal:
        raise NoAnswer(str(refusal)) from None
    except TimeoutError:
        raise NoAnswer(f"no answer within {timeout:g}s (something listens there, but not an AMQP broker?)") from None
    except OSError as error:
        raise NoAnswer(_first_line(error) or type(error).__name__) from None


PROBES: dict[str, Callable[[str, float], None]] = {
    "DATABASE_URL": probe_postgres,
    "REDIS_URL": probe_redis,
    "RABBITMQ_URL": probe_rabbitmq,
}


def what_is_tried(setting: str, url: str, timeout: float = PROBE_TIMEOUT) -> str:
    host, port = host_and_port(url, {"DATABASE_URL": 5432, "REDIS_URL": 6379, "RABBITMQ_URL": 5672}[setting])
    exchange = {
        "DATABASE_URL": 'log in to database "postgres" and run SELECT 1',
        "REDIS_URL": "send PING on the URL's db number",
        "RABBITMQ_URL": "AMQP 0-9-1 handshake, log in and open the URL's vhost",
    }[setting]
    return f"connect to {host}:{port}, {exchange} (timeout {timeout:g}s)"


def probe_services(urls: Mapping[str, str], timeout: float = PROBE_TIMEOUT) -> list[ProbeResult]:
    """Probe every server in `urls` (setting -> URL) concurrently; never takes much longer than `timeout`."""
    problems: dict[str, str | None] = {}

    def run(setting: str) -> None:
        try:
            PROBES[setting](urls[setting], timeout)
            problems[setting] = None
        except NoAnswer as no_answer:
            problems[setting] = str(no_answer) or "no answer"
        except Exception as error:  # a probe bug must still produce a readable verdict, not a hang
            problems[setting] = f"{type(error).__name__}: {_first_line(error)}"

    threads = {
        # Daemon threads: one stuck on a silent host must not keep the interpreter from exiting.
        setting: threading.Thread(target=run, args=(setting,), name=f"probe-{setting}", daemon=True)
        for setting in urls
    }
    for thread in threads.values():
        thread.start()
    # Grace beyond the socket timeouts for name resolution and the login round-trips.
    deadline = time.monotonic() + timeout + 1.5
    for thread in threads.values():
        thread.join(max(0.0, deadline - time.monotonic()))
    return [
        ProbeResult(
            setting=setting,
            url=urls[setting],
            tried=what_is_tried(setting, urls[setting], timeout),
            problem=problems.get(setting, f"no answer within {timeout + 1.5:g}s"),
        )
        for setting in urls
    ]


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0].strip() if text else type(error).__name__
