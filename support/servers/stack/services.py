"""What a provisioned stack hands to the suite, and how it is put away again.

Kept apart from `support.servers.stack` itself so the three ways of providing servers (external, docker, local)
can share these types without importing each other.
"""
from __future__ import annotations

import atexit
import contextlib
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

# The setting that names each server, in the order messages list them.
URL_SETTINGS = ("DATABASE_URL", "REDIS_URL", "RABBITMQ_URL")
SERVICE_NAMES = {"DATABASE_URL": "PostgreSQL", "REDIS_URL": "Redis", "RABBITMQ_URL": "RabbitMQ"}
DEFAULT_URLS = {
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/shop_acceptance",
    "REDIS_URL": "redis://127.0.0.1:6379/11",
    "RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:5672/%2F",
}
DEFAULT_DATABASE_NAME = "shop_acceptance"
DEFAULT_REDIS_DB = 11


@dataclass(frozen=True)
class Services:
    database_url: str  # postgresql://user@host:port/<suite database name>
    redis_url: str  # redis://host:port/<db number>
    rabbitmq_url: str  # amqp://user:pass@host:port/%2F
    mode: str  # "external" | "docker" | "local"
    # S3-compatible storage, where the stack provides one (stack=docker: the compose file's `s3`).
    s3_url: str | None = None

    def describe(self) -> str:
        """One line per server, passwords masked: fit for the start of a run's log."""
        return "\n".join(
            f"{SERVICE_NAMES[setting]:<10} {masked(url)}"
            for setting, url in zip(URL_SETTINGS, (self.database_url, self.redis_url, self.rabbitmq_url), strict=True)
        ) + f"\n(stack={self.mode})"


class StackUnavailable(Exception):
    """The servers cannot be found or started; str(exc) says which, where, what was tried and how to fix it."""


class ProvisionedStack:
    """The servers of one run. For servers the suite started, `stop` puts them away, exactly once.

    `stop` is registered with atexit as soon as there is something to stop, so a run that ends by an
    exception, Ctrl-C or SIGTERM (which this class turns into KeyboardInterrupt when nobody else handles
    it) still leaves nothing behind. Only SIGKILL escapes; the local launcher reaps such orphans the
    next time it runs.
    """

    def __init__(self, services: Services, teardown: Callable[[], None] | None = None) -> None:
        self.services = services
        self._teardown = teardown
        self._lock = threading.Lock()
        self._stopped = teardown is None
        self._previous_sigterm = None
        if teardown is not None:
            atexit.register(self.stop)
            self._previous_sigterm = _make_sigterm_unwind()

    # Whether `restart_server` can stop and start one server mid-run (stack=docker can).
    can_restart_servers = False

    def restart_server(self, service: str, timeout: float) -> float:
        raise NotImplementedError(f"this stack cannot restart {service}")

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            # Marked first: if a teardown step raises, a second call (atexit) must not repeat the others.
            self._stopped = True
            try:
                with _interrupts_deferred():
                    self._teardown()
            finally:
                atexit.unregister(self.stop)
                _restore_sigterm(self._previous_sigterm)

    def __enter__(self) -> ProvisionedStack:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def requested_urls(env: Mapping[str, str]) -> dict[str, str]:
    """The URL of each server as configured, falling back to the standard local ports."""
    return {setting: env.get(setting) or DEFAULT_URLS[setting] for setting in URL_SETTINGS}


def suite_database_name(database_url: str) -> str:
    return unquote(urlsplit(database_url).path.lstrip("/")) or DEFAULT_DATABASE_NAME


def suite_redis_db(redis_url: str) -> int:
    path = urlsplit(redis_url).path.strip("/")
    return int(path) if path.isdigit() else DEFAULT_REDIS_DB


def masked(url: str) -> str:
    """The URL with its password replaced, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{hostinfo}"))


def host_and_port(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


# --- signals -------------------------------------------------------------------------------------
# Python handlers can only be changed from the main thread; elsewhere these helpers do nothing and
# atexit remains the safety net.


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _sigterm_as_interrupt(signum: int, frame: object) -> None:
    # A CI runner cancelling the job sends SIGTERM; unwinding like Ctrl-C lets behave finish its
    # report and lets every cleanup run, where the default action would kill us on the spot.
    raise KeyboardInterrupt(f"terminated by signal {signum}")


def _make_sigterm_unwind() -> object:
    if not _on_main_thread() or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return None  # someone already decided what SIGTERM does; respect it
    return signal.signal(signal.SIGTERM, _sigterm_as_interrupt)


def _restore_sigterm(previous: object) -> None:
    if previous is not None and _on_main_thread() and signal.getsignal(signal.SIGTERM) is _sigterm_as_interrupt:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM while servers are being stopped, then deliver them.

    A second Ctrl-C in the middle of a teardown would otherwise leave half-stopped servers behind.
    """
    if not _on_main_thread():
        yield
        return
    received: list[int] = []
    watched = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum)) for signum in watched}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:  # None: installed outside Python, nothing we can put back
                signal.signal(signum, handler)
        for signum in dict.fromkeys(received):
            signal.raise_signal(signum)
