"""The shop's PostgreSQL adapter: a bounded, blocking connection pool and transactions.

psycopg2's own pools raise when exhausted; under concurrent buyers we want callers to queue for a
connection instead, for a bounded time (then ShopBusy, a 503 with Retry-After, rather than a request
that hangs), and we want figures (in use, peak, waits, statements) for load reports.

It also speaks for the database in the shop's terms: text PostgreSQL cannot hold (a NUL character)
is the caller's invalid input, and a database that cannot be reached is DatabaseUnavailable (503).
"""
from __future__ import annotations

import select
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg2
import psycopg2.extras
from psycopg2.extensions import connection as Connection
from psycopg2.extensions import cursor as Cursor

from shop.errors import InvalidInput, ShopBusy, Unavailable

psycopg2.extras.register_uuid()

BUSY = "The shop is busy; try again in a moment"
NUL_REFUSED = "Text cannot contain the NUL character"
# How long a client is asked to wait before trying again while the database cannot be reached.
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailable(Unavailable):
    """503: the database cannot be reached (refused, gone away mid-request); nothing was changed."""

    retry_after_seconds = RETRY_AFTER_SECONDS

    def __init__(self):
        super().__init__("The shop is briefly unavailable; try again in a few seconds")


@dataclass(frozen=True)
class PoolFigures:
    size: int
    open: int
    in_use: int
    peak_in_use: int
    waits: int
    total_wait_seconds: float
    statements: int


class CountingCursor(psycopg2.extras.RealDictCursor):
    """Counts statements so tests can prove a request issues a bounded number of queries."""

    def execute(self, query, vars=None):  # noqa: A002 - psycopg2's own parameter name
        self.connection.statements += 1
        try:
            return super().execute(query, vars)
        except ValueError as error:
            # psycopg2 refuses, before sending, a parameter PostgreSQL's text type cannot hold.
            if "NUL (0x00)" in str(error):
                raise InvalidInput(NUL_REFUSED) from None
            raise


class CountingConnection(psycopg2.extensions.connection):
    statements = 0


def _ended_by_server(conn: Connection) -> bool:
    """An idle connection has nothing to read; anything readable is the server saying goodbye (or gone)."""
    try:
        return bool(select.select([conn], [], [], 0)[0])
    except (OSError, ValueError):
        return True


class Database:
    def __init__(self, url: str, *, size: int = 20, connect_timeout: int = 5, name: str = "shop",
                 wait_seconds: float | None = None):
        self.url = url
        self.size = size
        # How long a caller may wait for a free connection before ShopBusy (None: as long as it takes).
        self.wait_seconds = wait_seconds
        self._connect_timeout = connect_timeout
        # PostgreSQL's application_name: pg_stat_activity tells the web requests' sessions from the worker's.
        self.name = name
        self._idle: list[Connection] = []
        self._open = 0
        self._in_use = 0
        self._peak = 0
        self._waits = 0
        self._wait_seconds = 0.0
        self._statements = 0
        self._lock = threading.Lock()
        self._available = threading.Semaphore(size)

    def _connect(self) -> Connection:
        conn = psycopg2.connect(
            self.url, connect_timeout=self._connect_timeout, connection_factory=CountingConnection,
            application_name=self.name,
        )
        conn.cursor_factory = CountingCursor
        return conn

    def _idle_connection(self) -> Connection | None:
        """An idle connection the server has not dropped meanwhile, or None.

        A server that restarts tells its idle clients so (or closes their sockets): the socket then has
        something to read while nothing was asked. Checking costs one `select` and no statement, and
        spares the first requests after a database restart a 503 from a connection that died idle.
        """
        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None or not _dropped_by_server(conn):
                return conn
            conn.close()
            with self._lock:
                self._open -= 1

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection for the block's exclusive use; waits (and counts the wait) when all are busy."""
        self._acquire_slot()
        conn, before = None, 0
        try:
            conn = self._idle_connection()
            with self._lock:
                self._in_use += 1
                self._peak = max(self._peak, self._in_use)
            if conn is not None and not conn.closed and _ended_by_server(conn):
                conn.close()  # the database restarted or ended it while it idled: a new one, not a failed request
            if conn is not None and conn.closed:
                with self._lock:
                    self._open -= 1
                conn = None
            if conn is None:
                conn = self._connect()
                with self._lock:
                    self._open += 1
            before = conn.statements
            yield conn
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
            if conn is not None and not conn.closed:
                conn.rollback()
                raise
            # Not connected (refused, or the connection died under us): the database is away, not the request wrong.
            raise DatabaseUnavailable() from error
        except BaseException:
            if conn is not None and not conn.closed:
                conn.rollback()
            raise
        finally:
            with self._lock:
                self._in_use -= 1
                if conn is not None:
                    self._statements += conn.statements - before
                    if conn.closed:
                        self._open -= 1
                    else:
                        self._idle.append(conn)
            self._available.release()

    def _acquire_slot(self) -> None:
        if self._available.acquire(blocking=False):
            return
        started = time.perf_counter()
        acquired = self._available.acquire(timeout=self.wait_seconds)
        with self._lock:
            self._waits += 1
            self._wait_seconds += time.perf_counter() - started
        if not acquired:
            raise ShopBusy(BUSY)

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """One database transaction: committed if the block finishes, rolled back if it raises."""
        with self.connection() as conn, conn.cursor() as cur:
            try:
                yield cur
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def figures(self) -> PoolFigures:
        with self._lock:
            return PoolFigures(
                self.size, self._open, self._in_use, self._peak, self._waits, self._wait_seconds,
                self._statements,
            )

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            self._open -= len(idle)
        for conn in idle:
            conn.close()


def _dropped_by_server(conn: Connection) -> bool:
    if conn.closed:
        return True
    try:
        readable, _, _ = select.select([conn], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)
