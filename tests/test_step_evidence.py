"""Each step's order events, read by a query sent as the step ends and not waited for: the events are those
stored by the step's end, and they go on that step's page in the report, also when they are read later."""
from __future__ import annotations

import uuid

import psycopg2
import pytest

from support import reporting
from support.reports.step_evidence import StepEvidence
from support.wires.database import DatabaseInspector
from tests.behave_runs import allure_results, run_with_allure


class Page:
    def __init__(self):
        self.texts = []

    def attach_text(self, name, text):
        self.texts.append((name, text))


@pytest.fixture
def store_event(migrated_database):
    """Stores an order event as the shop's outbox does; returns its message id."""
    conn = psycopg2.connect(migrated_database)
    conn.autocommit = True

    def store(event_type: str) -> str:
        with conn.cursor() as cur:
            cur.execute("INSERT INTO outbox (type, payload) VALUES (%s, '{}') RETURNING message_id", (event_type,))
            return str(cur.fetchone()[0])

    with conn.cursor() as cur:
        cur.execute("DELETE FROM outbox")
    yield store
    with conn.cursor() as cur:
        cur.execute("DELETE FROM outbox")
    conn.close()


def test_each_step_gets_the_events_stored_by_its_end_and_none_of_the_next_steps(
        migrated_database, store_event, monkeypatch):
    pages = iter([Page(), Page(), Page()])
    monkeypatch.setattr(reporting, "step_page", lambda: next(pages))
    inspector = DatabaseInspector(migrated_database)
    evidence = StepEvidence([], [], inspector)
    try:
        evidence.mark()
        placed = store_event("order.placed")
        evidence.attach()  # the first step ends: its query is sent, its answer not waited for
        first = evidence._pending[1]
        assert first.texts == [], "the step's end does not wait for the answer"

        evidence.mark()  # the second step begins: the first step's answer is taken first
        assert first.texts == [("Order events", f"order.placed {placed} not yet published")]
        paid = store_event("order.paid")  # at once, before the first step's query could have run otherwise
        evidence.attach()
        second = evidence._pending[1]

        evidence.mark()
        evidence.attach()  # a third step that stored nothing
        third = evidence._pending[1]
        evidence.finish()  # the scenario's end
        assert first.texts == [("Order events", f"order.placed {placed} not yet published")]
        assert second.texts == [("Order events", f"order.paid {paid} not yet published")]
        assert third.texts == []
    finally:
        inspector.close()


def test_a_database_that_went_away_is_said_on_the_step_and_the_next_query_connects_afresh(
        migrated_database, store_event, monkeypatch):
    page = Page()
    monkeypatch.setattr(reporting, "step_page", lambda: page)
    inspector = DatabaseInspector(migrated_database)
    evidence = StepEvidence([], [], inspector)
    try:
        evidence.attach()
        with psycopg2.connect(migrated_database) as admin, admin.cursor() as cur:  # the server drops the session
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                        " AND datname = current_database() AND backend_type = 'client backend'"
                        " AND query LIKE 'SELECT id, type, message_id, published_at FROM outbox%%'")
        evidence.attach()
        evidence.attach()
        placed = store_event("order.placed")
        evidence.attach()
        evidence.finish()
        assert [name for name, _ in page.texts] == ["Order events", "Order events"], page.texts
        assert page.texts[0][1].startswith("(not read: the database did not answer:")
        assert page.texts[1][1] == f"order.placed {placed} not yet published"
    finally:
        inspector.close()


STEPS = '''
from behave import given, then
from support.reporting import step_page

@given("a step whose answer comes later")
def step_later(context):
    context.page = step_page()

@then("the answer goes on the page of the step before")
def step_answer(context):
    context.page.attach_text("Order events", "order.placed 1 published")
'''


def test_a_page_takes_an_attachment_after_its_step_ended_until_the_scenario_is_written(tmp_path):
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "steps" / "later.py").write_text(STEPS, encoding="utf-8")
    (tmp_path / "features" / "later.feature").write_text(
        "Feature: Later\n\n"
        "  Scenario: An answer read after its step\n"
        "    Given a step whose answer comes later\n"
        "    Then the answer goes on the page of the step before\n", encoding="utf-8")
    run = run_with_allure(tmp_path, "--no-junit", "features")
    assert run.returncode == 0, f"{run.stdout}{run.stderr}"
    [result] = allure_results(tmp_path)
    first, second = result["steps"]
    assert [a["name"] for a in first.get("attachments", [])] == ["Order events"]
    assert second.get("attachments", []) == []
    body = (tmp_path / "results" / first["attachments"][0]["source"]).read_text()
    assert body == "order.placed 1 published"
    assert uuid.UUID(first["attachments"][0]["source"].split("-attachment")[0])
