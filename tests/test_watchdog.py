"""The suite's guard against hangs and systemic breaks: the alarm, what it reports, and failure streaks."""
import time

import pytest

from support.polling import eventually
from support.watchdog import FailureStreak, StepTimeout, Watchdog, cause_of, made_progress, waiting_for


def test_a_step_past_its_time_is_interrupted_naming_what_it_did_and_waited_for():
    dog = Watchdog(0.2, dump_threads=lambda: "--- thread shop-worker")
    dog.arm("the step 'When Alice browses'")
    started = time.monotonic()
    with pytest.raises(StepTimeout) as raised:
        eventually(lambda: (_ for _ in ()).throw(AssertionError("not yet")), timeout=5,
                   description="the listing to appear")
    dog.disarm()
    message = str(raised.value)
    assert time.monotonic() - started < 2, "eventually retried past the alarm instead of being interrupted"
    assert "the step 'When Alice browses'" in message and "the listing to appear" in message
    assert "--- thread shop-worker" in message


def test_a_step_that_keeps_making_progress_outlasts_its_bound_and_is_interrupted_once_it_stops():
    dog = Watchdog(0.3, dump_threads=lambda: "")
    dog.arm("the step 'When a fuzzer sends generated requests'")
    started = time.monotonic()

    def advancing() -> None:
        made_progress()  # a request answered
        assert time.monotonic() - started > 1.0, "still sending"

    try:
        eventually(advancing, timeout=5, interval=0.05, description="three bounds' worth of answered requests")
        stopped = time.monotonic()
        with pytest.raises(StepTimeout, match="no progress within 0.3s"):
            eventually(lambda: (_ for _ in ()).throw(AssertionError("no answer")), timeout=5,
                       description="an answer that never comes")
        assert time.monotonic() - stopped < 2, "the bound did not hold once progress stopped"
    finally:
        dog.disarm()
    made_progress()  # nothing armed: nothing happens


def test_a_disarmed_watchdog_stays_quiet():
    dog = Watchdog(0.1)
    dog.arm("a quick step")
    dog.disarm()
    with waiting_for("nothing in particular"):
        eventually(lambda: None, timeout=0.3, description="at once")


def test_the_same_cause_with_other_numbers_ids_and_sightings_counts_as_the_same():
    one = cause_of("AssertionError: gave up waiting for the queues to drain after 3.8s (60 attempts); "
                   "last seen: 2 unpublished, worker idle")
    two = cause_of("AssertionError: gave up waiting for the queues to drain after 4.1s (72 attempts); "
                   "last seen: 4 unpublished, worker busy")
    assert one == two
    assert cause_of("AssertionError: expected Mug in the catalogue") != one


def test_a_streak_of_the_same_cause_stops_the_run_and_a_pass_or_another_cause_starts_over():
    streak = FailureStreak(3)
    assert streak.record(True, "AssertionError: order 1 not found") is None
    assert streak.record(True, "AssertionError: order 2 not found") is None
    assert streak.record(False) is None
    assert streak.record(True, "AssertionError: order 3 not found") is None
    assert streak.record(True, "AssertionError: the stock is wrong") is None
    assert streak.record(True, "AssertionError: the stock is wrong") is None
    stop = streak.record(True, "AssertionError: the stock is wrong")
    assert stop and "3 scenarios in a row" in stop and "the stock is wrong" in stop


def test_a_streak_limit_of_zero_never_stops_the_run():
    streak = FailureStreak(0)
    assert all(streak.record(True, "AssertionError: broken") is None for _ in range(50))
