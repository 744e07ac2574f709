"""How far a rush of requests overlapped is worked out from when each was sent and answered."""
from support.rush import Attempt, RushOutcome
from support.wires.api_client import Reply


def attempt(sent: float, answered: float, status: int = 201) -> Attempt:
    return Attempt("buyer", Reply(status, {}, "{}"), sent, answered)


def test_requests_one_after_another_never_overlap():
    assert RushOutcome([attempt(0, 1), attempt(1, 2), attempt(2, 3)]).most_in_flight() == 1


def test_requests_all_sent_before_any_answer_all_overlap():
    assert RushOutcome([attempt(0, 5), attempt(1, 6), attempt(2, 4)]).most_in_flight() == 3


def test_accepted_and_refused_are_told_apart_by_status():
    outcome = RushOutcome([attempt(0, 1, 201), attempt(0, 1, 200), attempt(0, 1, 409)])
    assert (len(outcome.accepted), len(outcome.refused)) == (2, 1)
