"""The one door into the shop under test: the only suite module that knows how the shop is built.

Everything else in the suite knows the shop as its operators and customers do: its commands
(`python -m shop serve | worker | send-emails | migrate`), its environment variables, its HTTP API, and
the wires it leaves effects on (its tables as its migrations define them, its Redis keys, its queues).
Here live the few things only the shop's own code can say: how to build it inside this process (the
fastest mode), its migrations, the names of its keys and queues, how a pass is signed and a password
kept, and the SQL that puts an order into a state the API cannot produce quickly.
"""
from __future__ import annotations

import contextlib
import logging
import math
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import psycopg2

from shop.auth import Tokens, password_matches
from shop.bootstrap import make_worker
from shop.catalogue_cache import generation_key, listing_pattern
from shop.config import Settings
from shop.messaging.topology import Topology
from shop.migrator import Migrator, discover
from shop.server import start
from shop.throttle import account_key, address_key

# How an operator runs each part of the shop (the `process` mode does the same).
SHOP_COMMAND = [sys.executable, "-m", "shop"]
SERVE, WORKER, SEND_EMAILS = ["serve"], ["worker"], ["send-emails"]
# What each command prints once it is ready; the URL it then serves is the rest of the line.
SERVING, WORKER_HEALTH = "shop serving on ", "worker health on "

# -- the shop's configuration, as an operator gives it -------------------------------------------


@dataclass(frozen=True)
class ShopConfig:
    """What the suite needs to configure a shop: its servers, names, secrets and providers."""

    database_url: str
    redis_url: str
    rabbitmq_url: str
    key_prefix: str
    amqp_namespace: str
    jwt_secret: str
    bcrypt_rounds: int
    retry_delays_ms: str
    max_delivery_attempts: int
    email_api_base: str
    email_api_key: str
    email_from: str
    payments_api_base: str
    payments_api_key: str
    # How long the shop waits for a provider's answer: short, so an outage costs a scenario seconds, not
    # minutes; scaled with the suite's timeout multiplier on slow machines.
    provider_patience_seconds: float = 2.0
    # How long the shop waits for a Redis answer before it counts its cache frozen (the breaker opens).
    cache_timeout_seconds: float = 0.25
    cache_retry_seconds: float = 5.0
    # Order documents' S3-compatible storage (support/servers/object_storage.py): endpoint_url, bucket,
    # region, access_key, secret_key.
    storage: Any = None
    document_link_ttl_seconds: int = 300
    # How many processes `serve` answers from (SHOP_WEB_PROCESSES; shop/processes.py when more than one).
    web_processes: int = 1


def environment(config: ShopConfig) -> dict[str, str]:
    """The shop's environment variables (see the README): the whole configuration of every mode."""
    return {
        "DATABASE_URL": config.database_url, "REDIS_URL": config.redis_url, "RABBITMQ_URL": config.rabbitmq_url,
        "SHOP_KEY_PREFIX": config.key_prefix, "SHOP_AMQP_NAMESPACE": config.amqp_namespace,
        "SHOP_JWT_SECRET": config.jwt_secret, "SHOP_BCRYPT_ROUNDS": str(config.bcrypt_rounds),
        "SHOP_RETRY_DELAYS_MS": config.retry_delays_ms,
        "SHOP_MAX_DELIVERY_ATTEMPTS": str(config.max_delivery_attempts),
        "SHOP_RELAY_IDLE_MS": "100",
        # A worker that lost the broker is back within a scenario's step, not a second later.
        "SHOP_WORKER_RECONNECT_MS": "50",
        # The suite stands where a load balancer would: the client address it reports is believed.
        "SHOP_TRUSTED_PROXY_HOPS": "1",
        "SHOP_CACHE_TIMEOUT_SECONDS": f"{config.cache_timeout_seconds:g}",
        "SHOP_CACHE_RETRY_SECONDS": f"{config.cache_retry_seconds:g}",
        "SHOP_WEB_PROCESSES": str(config.web_processes),
        "EMAIL_API_BASE": config.email_api_base, "EMAIL_API_KEY": config.email_api_key,
        "EMAIL_FROM": config.email_from,
        "EMAIL_READ_TIMEOUT_SECONDS": str(math.ceil(config.provider_patience_seconds)),
        "PAYMENTS_API_BASE": config.payments_api_base, "PAYMENTS_API_KEY": config.payments_api_key,
        # The real timeouts and backoff, only shorter.
        "PAYMENTS_READ_TIMEOUT_SECONDS": f"{config.provider_patience_seconds:g}",
        "PAYMENTS_RETRY_BACKOFF_SECONDS": "0.01",
        **_storage_environment(config),
        # Any free port, printed by the command (see SERVING, WORKER_HEALTH).
        "SHOP_HOST": "127.0.0.1", "SHOP_PORT": "0", "SHOP_WORKER_HEALTH_PORT": "0",
    }


def run_command(env: Mapping[str, str], args: list[str], extra_env: Mapping[str, str] | None = None,
                timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m shop ARGS` as an operator (or a scheduler) runs it, with the shop's environment."""
    return subprocess.run([*SHOP_COMMAND, *args], env={**os.environ, **env, **(extra_env or {})},
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False)


def _storage_environment(config: ShopConfig) -> dict[str, str]:
    storage = config.storage
    if storage is None:
        return {}
    # Order documents go to the run's storage (through its cuttable relay); kept ones are retried often.
    return {
        "S3_ENDPOINT_URL": storage.endpoint_url, "S3_BUCKET": storage.bucket, "AWS_DEFAULT_REGION": storage.region,
        "AWS_ACCESS_KEY_ID": storage.access_key, "AWS_SECRET_ACCESS_KEY": storage.secret_key,
        "SHOP_DOCUMENT_LINK_TTL_SECONDS": str(config.document_link_ttl_seconds), "SHOP_DOCUMENT_RETRY_MS": "100",
    }


# -- the shop inside this process ----------------------------------------------------------------


@dataclass(frozen=True)
class WorkerState:
    consuming: bool
    busy: bool


class InProcessShop:
    """The shop's web server (with its outbox relay) and its order-events worker, as threads of this process.

    The fastest mode; the same environment as the other modes. Its log lines are kept for the report.
    """

    mode = "inprocess"

    def __init__(self, env: Mapping[str, str]):
        self._env = dict(env)
        self._server = start(Settings.from_env(env), host="127.0.0.1", port=0)
        self._worker = make_worker(self._server.shop)
        self.log = _KeptLog()
        logging.getLogger("shop").addHandler(self.log)

    @property
    def url(self) -> str:
        return self._server.url

    def start_worker(self) -> None:
        if not self._worker.running:
            self._worker.start_in_background()

    def stop_worker(self) -> None:
        self._worker.stop()

    def kill_worker(self) -> None:
        """A thread cannot die abruptly: it stops, and its unacknowledged work goes back to the queue as its
        connection closes (the `process` mode kills the worker's process outright)."""
        self._worker.stop()

    def worker_state(self) -> WorkerState:
        return WorkerState(self._worker.consuming.is_set(), self._worker.busy)

    def send_emails(self) -> str:
        """What `python -m shop send-emails` prints: one run over the emails the provider has not accepted."""
        report = self._server.shop.email_outbox.deliver_pending()
        return f"sent {report.sent}, still pending {report.kept}, rejected by the provider {report.rejected}"

    def run_command(self, args: list[str], extra_env: Mapping[str, str] | None = None):
        return run_command(self._env, args, extra_env)

    def check_alive(self) -> None:
        pass  # threads of this process: if they die, so does the run

    def stop(self) -> None:
        logging.getLogger("shop").removeHandler(self.log)
        self._worker.stop()
        self._server.stop()


class _KeptLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


# -- the shop's schema ---------------------------------------------------------------------------


def migration_names() -> list[str]:
    return [m.name for m in discover()]


def migrate(database_url: str, *, all_but_latest: bool = False) -> list[str]:
    migrations = discover()
    return Migrator(database_url, migrations[:-1] if all_but_latest else migrations).up()


def roll_back(database_url: str, steps: int = 1) -> list[str]:
    return Migrator(database_url).down(steps)


# -- names the shop gives things on its wires ----------------------------------------------------


def failed_sign_in_key(key_prefix: str, email: str, address: str) -> str:
    return account_key(key_prefix, email, address)


def sign_ins_from_key(key_prefix: str, address: str) -> str:
    return address_key(key_prefix, address)


def catalogue_generation_key(key_prefix: str) -> str:
    return generation_key(key_prefix)


def catalogue_listing_pattern(key_prefix: str, generation: int | None = None) -> str:
    return listing_pattern(key_prefix, generation)


@dataclass(frozen=True)
class QueueNames:
    events_exchange: str
    work_exchange: str
    order_events_queue: str
    parking_lot_queue: str
    all: tuple[str, ...]
    # The retry delays, shortest first, and the retry queue of each (`retry_queue`).
    retry_delays_ms: tuple[int, ...] = ()

    def retry_queue(self, delay_ms: int) -> str:
        return f"{self.order_events_queue}.retry-{delay_ms}ms"

    @property
    def in_purge_order(self) -> tuple[str, ...]:
        """Every queue, the retry queues first: a retry queue hands a message whose delay is up to the
        order-events queue by itself, so it is emptied before that queue, not after, when a message could
        move in behind the purge."""
        ends = (self.order_events_queue, self.parking_lot_queue)
        return (*(queue for queue in self.all if queue not in ends), *ends)


def queue_names(amqp_namespace: str, retry_delays_ms: str) -> QueueNames:
    topology = Topology(amqp_namespace, tuple(int(ms) for ms in retry_delays_ms.split(",")))
    return QueueNames(topology.events_exchange, topology.work_exchange, topology.order_events_queue,
                      topology.parking_lot_queue, tuple(topology.queues()), topology.retry_delays_ms)


def declare_queues(channel, amqp_namespace: str, retry_delays_ms: str) -> None:
    """Declare the shop's exchanges and queues as the shop itself does."""
    Topology(amqp_namespace, tuple(int(ms) for ms in retry_delays_ms.split(","))).declare(channel)


# -- passes and passwords ------------------------------------------------------------------------

# Arrangements are made with the authority of the shop's operator: an administrator account that is in the
# users table only while she acts (the shop checks every pass against it), so it never shows in a
# listing or a count a scenario makes; her pass is signed with the shop's secret, as a sign-in would be.
OPERATOR_ID = uuid.UUID(int=0)


class OperatorAccount:
    def __init__(self, database_url: str, jwt_secret: str):
        self.token = Tokens(jwt_secret, 24 * 3600).issue(OPERATOR_ID, "admin")[0]
        self._database_url = database_url
        self._conn = psycopg2.connect(database_url, connect_timeout=5)
        self._conn.autocommit = True
        self._depth = 0

    def reconnect(self) -> None:
        """After the database server restarted under the suite (features/server_restarts.feature)."""
        self._conn.close()
        self._conn = psycopg2.connect(self._database_url, connect_timeout=5)
        self._conn.autocommit = True

    @contextlib.contextmanager
    def present(self) -> Iterator[str]:
        """The operator's account stored for the duration; her pass."""
        if self._depth == 0:
            with self._conn.cursor() as cur:
                cur.execute("INSERT INTO users (id, email, name, password_hash, role) VALUES (%s, %s, %s, '!', 'admin')"
                            " ON CONFLICT (id) DO NOTHING",
                            (str(OPERATOR_ID), "operator@shop-under-test.example", "The shop's operator"))
        self._depth += 1
        try:
            yield self.token
        finally:
            self._depth -= 1
            if self._depth == 0:
                with self._conn.cursor() as cur:
                    cur.execute("DELETE FROM users WHERE id = %s::uuid", (str(OPERATOR_ID),))

    def close(self) -> None:
        self._conn.close()


def password_kept_as(password: str, password_hash: str) -> bool:
    """Whether a stored hash is the shop's way of keeping this password."""
    return password_matches(password, password_hash)


# -- states the API cannot produce quickly, with the SQL of the shop's migrations ----------------


def mark_orders_paid(database_url: str, order_ids: list[str]) -> None:
    """Orders as the payment service leaves them once paid, without the event announcing it."""
    with psycopg2.connect(database_url, connect_timeout=5) as conn, conn.cursor() as cur:
        cur.execute("UPDATE orders SET status = 'paid', updated_at = now() WHERE id = ANY(%s::uuid[])",
                    (list(order_ids),))
        assert cur.rowcount == len(order_ids), f"expected to mark {len(order_ids)} orders paid, found {cur.rowcount}"
    conn.close()
