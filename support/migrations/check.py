"""Drives the shop's migrations (through the door) on a scratch database; the schema at each moment."""
from __future__ import annotations

from support.door import migrate, migration_names, roll_back
from support.wires.database import DatabaseInspector
from support.words import in_words


def apply(url: str) -> list[str]:
    return migrate(url)


__all__ = ["apply", "migration_names", "roll_back"]


def schema_of(url: str) -> dict[str, list[str]]:
    inspector = DatabaseInspector(url)
    try:
        return inspector.schema()
    finally:
        inspector.close()


def ledger_of(url: str) -> list[dict]:
    inspector = DatabaseInspector(url)
    try:
        return inspector.migrations()
    finally:
        inspector.close()


def migrate_fully_with_snapshots(url: str) -> dict[str, dict]:
    """Apply all but the latest migration, then the latest; the schema after each, by moment."""
    migrate(url, all_but_latest=True)
    before_latest = schema_of(url)
    migrate(url)
    return {"before the latest migration": before_latest, "with every migration applied": schema_of(url)}


def expect_in_force_in_order(url: str) -> None:
    in_force = [row["name"] for row in ledger_of(url) if row["rolled_back_at"] is None]
    expected = migration_names()
    assert sorted(in_force) == expected and len(set(in_force)) == len(in_force), (
        f"expected every migration applied once: {in_words(expected)}; "
        f"the ledger has in force: {in_words(in_force)}"
    )
    applied = [row for row in ledger_of(url) if row["rolled_back_at"] is None]
    times = [row["applied_at"] for row in sorted(applied, key=lambda r: r["name"])]
    assert times == sorted(times), f"expected migrations applied in name order, applied at: {in_words(times)}"


def expect_latest_state(url: str, name: str, state: str) -> None:
    rows = [row for row in ledger_of(url) if row["name"] == name]
    assert rows, f"expected {name} in the migrations ledger, it is not there"
    latest = rows[-1]
    seen = "rolled back" if latest["rolled_back_at"] else "applied"
    assert seen == state, (
        f"expected {name} to be recorded as {state}, it is recorded as {seen}: {in_words(latest)}")


def expect_schema(url: str, expected: dict[str, list[str]], moment: str) -> None:
    seen = schema_of(url)
    missing = sorted(set(expected) - set(seen))
    extra = sorted(set(seen) - set(expected))
    changed = sorted(k for k in set(seen) & set(expected) if seen[k] != expected[k])
    assert seen == expected, (
        f"expected the schema as it was {moment}; missing {in_words(missing)}, "
        f"unexpected {in_words(extra)}, changed {in_words(changed)}"
    )


def expect_table(url: str, table: str) -> None:
    tables = sorted(k.removeprefix("table ") for k in schema_of(url) if k.startswith("table "))
    assert table in tables, f"expected a {table} table, the database has {in_words(tables)}"


def expect_nothing_applied(applied: list[str], url: str) -> None:
    assert applied == [], f"expected no migration to be applied again, applied {in_words(applied)}"
    rows = ledger_of(url)
    assert len(rows) == len(migration_names()), f"expected one ledger row per migration, found {len(rows)}"
