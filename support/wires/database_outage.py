"""Takes the run's database away from the shop alone, as an outage would, and gives it back.

The database stops accepting connections and the shop's own sessions (named `shop ...` in
pg_stat_activity) are ended; the suite's sessions stay, so it can still check what is stored. Done in
PostgreSQL itself, so it works however the shop runs (in this process or in its own), and touches no
other database on a shared server.
"""
from __future__ import annotations

import psycopg2
from psycopg2 import sql

from support.wires.database import database_name, with_database

_END_SHOP_SESSIONS = (
    "SELECT count(pg_terminate_backend(pid)) AS ended FROM pg_stat_activity"
    " WHERE datname = %s AND application_name LIKE 'shop%%' AND pid <> pg_backend_pid()"
)


class DatabaseOutage:
    def __init__(self, database_url: str):
        self._url = database_url
        self._name = database_name(database_url)

    def begin(self) -> int:
        """From now on the shop cannot reach its database; returns how many of its sessions were ended."""
        self._allow_connections(False)
        conn = self._server()
        try:
            with conn.cursor() as cur:
                cur.execute(_END_SHOP_SESSIONS, (self._name,))
                return cur.fetchone()[0]
        finally:
            conn.close()

    def end(self) -> None:
        self._allow_connections(True)

    def _server(self):
        conn = psycopg2.connect(with_database(self._url, "postgres"), connect_timeout=5)
        conn.autocommit = True
        return conn

    def _allow_connections(self, allowed: bool) -> None:
        conn = self._server()
        try:
            with conn.cursor() as cur:
                cur.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
                    sql.Identifier(self._name), sql.Literal(allowed)))
        finally:
            conn.close()
