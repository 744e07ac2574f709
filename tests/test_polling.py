"""The polling helper returns as soon as the check passes and explains itself when it gives up."""
import pytest

from support.polling import eventually, scaled, set_timeout_multiplier


def test_returns_the_first_passing_result():
    calls = []

    def check():
        calls.append(1)
        assert len(calls) >= 3, f"only {len(calls)} calls"
        return "done"

    assert eventually(check, timeout=2, interval=0.001, description="three calls") == "done"
    assert len(calls) == 3


def test_the_first_retries_come_soon_and_then_at_the_interval(monkeypatch):
    import support.polling as polling

    waits = []
    monkeypatch.setattr(polling.time, "sleep", waits.append)
    calls = []

    def check():
        calls.append(1)
        assert len(calls) > 7, "not yet"

    eventually(check, timeout=60, interval=0.01, description="the eighth call")
    assert waits == [0.001, 0.002, 0.004, 0.008, 0.01, 0.01, 0.01]


def test_gives_up_with_the_last_mismatch():
    def check():
        raise AssertionError("stock of Kettle: expected 8, found 9")

    with pytest.raises(AssertionError, match=r"gave up waiting for stock to settle.*found 9"):
        eventually(check, timeout=0.05, interval=0.01, description="stock to settle")


def test_other_errors_are_not_retried():
    with pytest.raises(KeyError):
        eventually(lambda: {}["missing"], timeout=1, description="a bug")


def test_the_multiplier_scales_every_deadline():
    set_timeout_multiplier(3)
    try:
        assert scaled(2) == 6
    finally:
        set_timeout_multiplier(1)
    with pytest.raises(ValueError):
        set_timeout_multiplier(0)
