"""Applies and rolls back the shop's schema migrations, recording each in the `migrations` table.

A migration is a SQL file in `shop/migrations/` named `NNNN_what_it_does.sql` with a `-- migrate:up`
part and a `-- migrate:down` part. Each application is one row (name, applied_at, rolled_back_at);
a migration is in force when its newest row has no rolled_back_at. Every step runs in one transaction
under an advisory lock, so two migrators never interleave.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg2

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^\d{4}_[a-z0-9_]+\.sql$")
_LOCK_ID = 0x5E0B_0001  # arbitrary, stable: identifies "the shop's migrator" among advisory locks

_LEDGER = """
CREATE TABLE IF NOT EXISTS migrations (
    id             serial PRIMARY KEY,
    name           text NOT NULL,
    applied_at     timestamptz NOT NULL DEFAULT now(),
    rolled_back_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS migrations_in_force ON migrations (name) WHERE rolled_back_at IS NULL;
"""


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Migration:
    name: str
    up: str
    down: str


@dataclass(frozen=True)
class MigrationStatus:
    name: str
    applied_at: datetime | None
    rolled_back_at: datetime | None

    @property
    def state(self) -> str:
        if self.applied_at is None:
            return "pending"
        return "rolled back" if self.rolled_back_at else "applied"


def parse_migration(path: Path) -> Migration:
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^-- migrate:(up|down)\s*$", text, flags=re.MULTILINE)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    if set(sections) != {"up", "down"} or parts[1::2] != ["up", "down"]:
        raise MigrationError(f"{path.name}: needs a '-- migrate:up' part followed by a '-- migrate:down' part")
    if not sections["up"].strip() or not sections["down"].strip():
        raise MigrationError(f"{path.name}: the up and down parts must both contain SQL")
    return Migration(path.stem, sections["up"].strip(), sections["down"].strip())


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    paths = sorted(p for p in directory.iterdir() if p.suffix == ".sql")
    for p in paths:
        if not _NAME.match(p.name):
            raise MigrationError(f"{p.name}: migration files are named NNNN_what_it_does.sql")
    return [parse_migration(p) for p in paths]


class Migrator:
    def __init__(self, database_url: str, migrations: list[Migration] | None = None):
        self.database_url = database_url
        self.migrations = discover() if migrations is None else migrations

    def _connect(self):
        conn = psycopg2.connect(self.database_url, connect_timeout=5)
        with conn, conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", (_LOCK_ID,))
            cur.execute(_LEDGER)
        return conn

    def _in_force(self, cur) -> list[str]:
        cur.execute("SELECT name FROM migrations WHERE rolled_back_at IS NULL ORDER BY name")
        return [row[0] for row in cur.fetchall()]

    def up(self) -> list[str]:
        """Apply every pending migration in name order; return the names applied."""
        conn = self._connect()
        applied = []
        try:
            for migration in self.migrations:
                with conn, conn.cursor() as cur:
                    if migration.name in self._in_force(cur):
                        continue
                    self._run(cur, migration, migration.up, "applying")
                    cur.execute("INSERT INTO migrations (name) VALUES (%s)", (migration.name,))
                applied.append(migration.name)
        finally:
            conn.close()
        return applied

    def down(self, steps: int = 1) -> list[str]:
        """Roll back the newest `steps` migrations in force; return the names rolled back."""
        if steps < 1:
            raise MigrationError(f"steps must be at least 1, got {steps}")
        known = {m.name: m for m in self.migrations}
        conn = self._connect()
        rolled_back = []
        try:
            for _ in range(steps):
                with conn, conn.cursor() as cur:
                    in_force = self._in_force(cur)
                    if not in_force:
                        break
                    name = in_force[-1]
                    if name not in known:
                        raise MigrationError(f"{name} is applied but its file is missing; cannot roll it back")
                    self._run(cur, known[name], known[name].down, "rolling back")
                    cur.execute(
                        "UPDATE migrations SET rolled_back_at = now() WHERE name = %s AND rolled_back_at IS NULL",
                        (name,),
                    )
                rolled_back.append(name)
        finally:
            conn.close()
        return rolled_back

    def status(self) -> list[MigrationStatus]:
        conn = self._connect()
        try:
            with conn, conn.cursor() as cur:
                cur.execute(
                    "SELECT DISTINCT ON (name) name, applied_at, rolled_back_at FROM migrations"
                    " ORDER BY name, applied_at DESC, id DESC"
                )
                latest = {row[0]: row for row in cur.fetchall()}
        finally:
            conn.close()
        return [
            MigrationStatus(m.name, *(latest[m.name][1:] if m.name in latest else (None, None)))
            for m in self.migrations
        ]

    @staticmethod
    def _run(cur, migration: Migration, sql: str, doing: str) -> None:
        try:
            cur.execute(sql)
        except psycopg2.Error as error:
            raise MigrationError(f"{doing} {migration.name} failed: {error}".strip()) from error
