"""After the database server restarted under the suite (server_restarts.feature, stack=docker), every
connection the suite keeps for the run works again: the restart's reconnect reaches each of them, and a
connection that never came up is not kept."""
import psycopg2
import pytest

from support.wires.database import DatabaseInspector
from support.wires.refusals import DatabaseRefusals


def _drop_sessions(url: str) -> None:
    """What a server restart does to the suite's sessions on the database: ends them under it."""
    with psycopg2.connect(url) as admin, admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                    " AND datname = current_database() AND backend_type = 'client backend'")
    admin.close()


def test_the_refusals_work_again_once_reconnected_after_a_restart(migrated_database):
    refusals = DatabaseRefusals(migrated_database)
    try:
        refusals.refuse("the lines of the next order")
        _drop_sessions(migrated_database)
        with pytest.raises(psycopg2.OperationalError):
            refusals.remove_all()  # its kept connection died with the server's sessions
        _drop_sessions(migrated_database)
        refusals.reconnect()
        assert refusals.remove_all() == ["suite_refuses_order_lines"]
    finally:
        refusals.close()


def test_a_query_sent_while_the_server_is_away_fails_each_time_and_the_next_one_connects_afresh(migrated_database):
    inspector = DatabaseInspector(migrated_database)
    try:
        inspector.url = "postgresql://postgres@127.0.0.1:1/nowhere"  # the server away: nothing listens
        for _ in range(2):
            with pytest.raises(psycopg2.OperationalError, match="refused"):
                inspector.later("SELECT 1 AS n")
        inspector.url = migrated_database
        assert inspector.later("SELECT 1 AS n").rows() == [{"n": 1}]
    finally:
        inspector.close()
