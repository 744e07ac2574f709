"""The suite vacuums its own database at start once the reset has left enough dead rows: a server with
autovacuum off (this project's CI machines) would otherwise make every run slower than the last."""
import psycopg2
import pytest

from support.polling import eventually
from support.wires.database import create_scratch_database, drop_database, vacuum_if_bloated


@pytest.fixture
def scratch(servers):
    url = create_scratch_database(servers.database_url)
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE things (id int) WITH (autovacuum_enabled = false)")
        cur.execute("INSERT INTO things SELECT generate_series(1, 500)")
        cur.execute("DELETE FROM things")
    yield url, conn
    conn.close()
    drop_database(url)


def _dead_rows(conn) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")
        cur.execute("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'things'")
        return cur.fetchone()[0]


def test_dead_rows_past_the_bound_are_vacuumed(scratch):
    url, conn = scratch
    eventually(lambda: _at_least(_dead_rows(conn), 500), timeout=10, description="the deletes in the statistics")
    assert vacuum_if_bloated(url, bound=400) >= 500
    eventually(lambda: _at_most(_dead_rows(conn), 0), timeout=10, description="the vacuum in the statistics")


def test_fewer_dead_rows_are_left_alone(scratch):
    url, conn = scratch
    eventually(lambda: _at_least(_dead_rows(conn), 500), timeout=10, description="the deletes in the statistics")
    assert vacuum_if_bloated(url, bound=10_000) >= 500
    assert _dead_rows(conn) >= 500


def _at_least(seen, wanted):
    assert seen >= wanted, f"{seen} dead rows, not yet {wanted}"


def _at_most(seen, wanted):
    assert seen <= wanted, f"still {seen} dead rows"
