"""Makes the shop's database refuse one kind of statement, to force a failure late in a transaction.

A trigger installed through SQL refuses the statement in the database itself, so it works however the
shop runs (in this process or as a child process) and whatever connection the shop uses. Every
trigger the suite installs is named `suite_refuses_*`, so one left by an interrupted run is found and
removed when the next run starts (see `remove_all`).
"""
from __future__ import annotations

import psycopg2
from psycopg2 import sql

_FUNCTION = """
CREATE OR REPLACE FUNCTION suite_refuses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'refused by the acceptance suite: % on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
END $$
"""

# What a scenario can have refused: the trigger's name, the table, the statement, and which rows (on NEW).
REFUSABLE = {
    "the lines of the next order": ("suite_refuses_order_lines", "order_lines", "INSERT", None),
    "the announcement that an order was placed": ("suite_refuses_placed_event", "outbox", "INSERT",
                                                  "NEW.type = 'order.placed'"),
    "the announcement that an order was cancelled": ("suite_refuses_cancelled_event", "outbox", "INSERT",
                                                     "NEW.type = 'order.cancelled'"),
    "to mark an order cancelled": ("suite_refuses_cancelled_status", "orders", "UPDATE",
                                   "NEW.status = 'cancelled'"),
}


class DatabaseRefusals:
    """Over one connection kept for the run, so a crowded server cannot refuse the suite mid-scenario."""

    def __init__(self, database_url: str):
        self._url = database_url
        self._conn = None

    def refuse(self, what: str) -> str:
        """From now on the database refuses `what` (one of REFUSABLE); returns the trigger's name."""
        if what not in REFUSABLE:
            raise KeyError(f"the suite cannot make the database refuse {what!r}; it can refuse: {', '.join(REFUSABLE)}")
        name, table, event, condition = REFUSABLE[what]
        when = sql.SQL(" WHEN ({})").format(sql.SQL(condition)) if condition else sql.SQL("")
        self._run(
            sql.SQL(_FUNCTION),
            sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(sql.Identifier(name), sql.Identifier(table)),
            sql.SQL("CREATE TRIGGER {} BEFORE {} ON {} FOR EACH ROW{} EXECUTE FUNCTION suite_refuses()").format(
                sql.Identifier(name), sql.SQL(event), sql.Identifier(table), when),
        )
        return name

    def remove_all(self) -> list[str]:
        """Remove every trigger the suite installed (this run's, or an interrupted run's); their names."""
        with self._connection().cursor() as cur:
            cur.execute("SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                        " WHERE t.tgname LIKE 'suite\\_refuses\\_%'")
            found = cur.fetchall()
            for name, table in found:
                cur.execute(sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(
                    sql.Identifier(name), sql.Identifier(table)))
        return [name for name, _ in found]

    def reconnect(self) -> None:
        """After the database server restarted under the suite: the kept connection is dead, though it does not
        know yet; the next statement opens a fresh one."""
        self.close()
        self._conn = None

    def close(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.close()

    def _run(self, *statements) -> None:
        with self._connection().cursor() as cur:
            for statement in statements:
                cur.execute(statement)

    def _connection(self):
        if self._conn is None or self._conn.closed:
            self._conn = psycopg2.connect(self._url, connect_timeout=5)
            self._conn.autocommit = True
        return self._conn


class TableLock:
    """A maintenance job holding a table locked in an open transaction: the shop's statements on it wait.
    `release()` ends the job; the lock also goes when the connection does (an interrupted run)."""

    def __init__(self, database_url: str, table: str):
        self._conn = psycopg2.connect(database_url, connect_timeout=5)
        with self._conn.cursor() as cur:
            cur.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.Identifier(table)))

    def release(self) -> None:
        if not self._conn.closed:
            self._conn.rollback()
            self._conn.close()
