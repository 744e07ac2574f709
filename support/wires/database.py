"""The suite's own databases (created on whatever server it was given) and a read-only inspector.

Scenarios verify effects where they land: the inspector reads the stored rows over its own
connection, in read-only transactions, so verification can never change what it verifies.
"""
from __future__ import annotations

import uuid
from typing import Any

import psycopg2
import psycopg2.extras
from psycopg2 import sql
from psycopg2.extensions import make_dsn, parse_dsn

psycopg2.extras.register_uuid()


def database_name(url: str) -> str:
    name = parse_dsn(url).get("dbname")
    if not name:
        raise ValueError(f"the database URL names no database: {url}")
    return name


def with_database(url: str, name: str) -> str:
    return make_dsn(url, dbname=name)


def _server(url: str):
    conn = psycopg2.connect(with_database(url, "postgres"), connect_timeout=5)
    conn.autocommit = True
    return conn


def ensure_database(url: str) -> bool:
    """Create the database the URL names if the server does not have it; True if it was created."""
    name = database_name(url)
    conn = _server(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone():
                return False
            try:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except psycopg2.errors.DuplicateDatabase:
                return False  # another worker created it between our look and our create
            return True
    finally:
        conn.close()


def create_scratch_database(url: str) -> str:
    """A new, empty database beside the suite's own; returns its URL."""
    name = f"{database_name(url)}_scratch_{uuid.uuid4().hex[:10]}"
    conn = _server(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
    return with_database(url, name)


def drop_database(url: str) -> None:
    conn = _server(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url))))
    finally:
        conn.close()


# The reset deletes every row between scenarios. A server that does not vacuum by itself (this project's CI
# machines run PostgreSQL with autovacuum off) keeps the dead rows, and every run's reset and queries grew
# slower than the last: the reset's p50 went from 4.4 to 6.5 ms over a day's dozen runs (19 MB of mostly
# dead rows, 39,000 of them in users alone). Past this many, the suite vacuums its own database at start.
DEAD_ROWS_WORTH_A_VACUUM = 20_000


def vacuum_if_bloated(url: str, bound: int = DEAD_ROWS_WORTH_A_VACUUM) -> int:
    """VACUUM (ANALYZE) the suite's database when its tables hold `bound` dead rows or more (about 0.4 s at
    40,000); returns how many dead rows there were."""
    conn = psycopg2.connect(url, connect_timeout=5)
    conn.autocommit = True  # VACUUM cannot run inside a transaction
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables")
            dead = int(cur.fetchone()[0])
            if dead >= bound:
                cur.execute("VACUUM (ANALYZE)")
        return dead
    finally:
        conn.close()


# The inspector's sessions refuse to write.
READ_ONLY = "-c default_transaction_read_only=on"


class DatabaseInspector:
    """Reads what the shop stored. Read-only by construction: its sessions refuse to write."""

    def __init__(self, url: str):
        self.url = url
        self._conn = self._connect()
        self._sender = None  # the connection `later` sends on, opened with its first query
        self._pending: PendingRows | None = None  # the query it sent last, until its answer is read

    def _connect(self):
        conn = psycopg2.connect(
            self.url, connect_timeout=5, options=READ_ONLY, cursor_factory=psycopg2.extras.RealDictCursor,
        )
        conn.autocommit = True
        return conn

    def reconnect(self) -> None:
        """After the database server restarted under the suite (features/server_restarts.feature)."""
        self._conn.close()  # psycopg2 closes a dead connection without complaint
        self._conn = self._connect()
        self._close_sender()

    def later(self, query: str, params: tuple | dict = ()) -> PendingRows:
        """Send a query and return at once; its rows are read when asked for (`PendingRows.rows`). The server
        runs it as soon as it arrives, so the caller need not wait for the round trip; a caller that must not
        see what it does next reads the rows before doing it (each step's evidence is read so, see
        support/reports/step_evidence.py). Over a connection of its own (psycopg2's asynchronous mode), one
        query at a time: sending the next reads the last one's answer."""
        if self._pending is not None:
            self._pending.read()
        if self._sender is None or self._sender.closed:
            sender = psycopg2.connect(self.url, connect_timeout=5, options=READ_ONLY, async_=1,
                                      cursor_factory=psycopg2.extras.RealDictCursor)
            try:
                psycopg2.extras.wait_select(sender)
            except psycopg2.Error:
                sender.close()  # a connection that never came up is not kept
                raise
            self._sender = sender
        cursor = self._sender.cursor()
        try:
            cursor.execute(query, params)
        except psycopg2.Error:
            self._close_sender()
            raise
        self._pending = PendingRows(cursor, on_error=self._close_sender)
        return self._pending

    def _close_sender(self) -> None:
        """Closes the connection `later` sends on; an answer it already has is read first (a server about to
        restart answered the query before it went)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.read()
        if self._sender is not None:
            self._sender.close()
            self._sender = None

    def rows(self, query: str, params: tuple | dict = ()) -> list[dict[str, Any]]:
        with self._conn.cursor() as cur:
            cur.execute(query, params)
            return [dict(row) for row in cur.fetchall()]

    def one(self, query: str, params: tuple | dict = ()) -> dict[str, Any] | None:
        found = self.rows(query, params)
        return found[0] if found else None

    def user_by_email(self, email: str) -> dict[str, Any] | None:
        return self.one("SELECT * FROM users WHERE lower(email) = lower(%s)", (email,))

    def user_by_id(self, user_id) -> dict[str, Any] | None:
        return self.one("SELECT * FROM users WHERE id = %s", (user_id,))

    def users(self) -> list[dict[str, Any]]:
        return self.rows("SELECT * FROM users ORDER BY created_at, id")

    def count(self, table: str) -> int:
        return self.one(sql.SQL("SELECT count(*) AS n FROM {}").format(sql.Identifier(table)))["n"]

    def migrations(self) -> list[dict[str, Any]]:
        return self.rows("SELECT name, applied_at, rolled_back_at FROM migrations ORDER BY id")

    def schema(self) -> dict[str, list[str]]:
        """Tables with their columns, and indexes, in the public schema (the ledger itself left out)."""
        columns = self.rows(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY table_name, ordinal_position"
        )
        indexes = self.rows(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " AND tablename <> 'migrations' ORDER BY indexname"
        )
        tables: dict[str, list[str]] = {}
        for col in columns:
            tables.setdefault(f"table {col['table_name']}", []).append(f"{col['column_name']} {col['data_type']}")
        tables.update({f"index {i['indexname']}": [i["indexdef"]] for i in indexes})
        return tables

    def close(self) -> None:
        self._conn.close()
        self._close_sender()


class PendingRows:
    """A query `DatabaseInspector.later` sent: its rows, waited for when asked (long answered, as a rule)."""

    def __init__(self, cursor, on_error):
        self._cursor, self._on_error = cursor, on_error
        self._rows: list[dict[str, Any]] | None = None
        self._error: psycopg2.Error | None = None

    def read(self) -> None:
        """Take the answer off the connection (once); what went wrong is kept for `rows`."""
        if self._cursor.closed:
            return
        try:
            psycopg2.extras.wait_select(self._cursor.connection)
            self._rows = [dict(row) for row in self._cursor.fetchall()]  # as `DatabaseInspector.rows` gives them
        except psycopg2.Error as error:
            self._error = error
        finally:
            self._cursor.close()

    def rows(self) -> list[dict[str, Any]]:
        self.read()
        if self._error is not None:
            self._on_error()  # a server that went away: the next query connects afresh
            raise self._error
        return self._rows
