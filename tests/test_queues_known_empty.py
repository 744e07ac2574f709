"""When the reset may leave the queues alone: only after a scenario that passed its strict settle, which saw
them empty (or proved nothing could be on them). Anything less, and the next reset purges them."""
import pytest

from support.door import WorkerState, queue_names
from support.order_events.arrange import OrderEvents


class Shop:
    def start_worker(self):
        pass

    def worker_state(self):
        return WorkerState(consuming=True, busy=False)


class Broker:
    def __init__(self):
        self.taken, self.left = [], {}

    def depths(self, queues):
        return {queue: self.left.get(queue, 0) for queue in queues}


class Database:
    """No order event stored or processed unless `events` says so."""

    def __init__(self):
        self.events = 0

    def one(self, query, params=()):
        return {"n": self.events}


@pytest.fixture
def order_events():
    return OrderEvents(Shop(), Broker(), queue_names("test", "50"), link=None, db=Database())


def test_a_scenario_that_passed_its_strict_settle_leaves_the_queues_known_empty_once(order_events):
    assert not order_events.queues_known_empty(), "nothing is known before the first scenario"
    order_events.settle()
    order_events.forget_scenario(passed=True)
    assert order_events.queues_known_empty()
    assert not order_events.queues_known_empty(), "asked once: the next scenario runs from then on"


def test_a_settle_that_was_not_strict_says_nothing_about_the_queues(order_events):
    order_events.settle(strict=False)  # the teardown's, after a scenario that failed before its last step
    order_events.forget_scenario(passed=True)
    assert not order_events.queues_known_empty()


def test_a_scenario_that_failed_after_its_settle_leaves_its_queues_to_the_purge(order_events):
    order_events.settle()
    order_events.forget_scenario(passed=False)  # say, a fake's script left unused, found in the teardown
    assert not order_events.queues_known_empty()


def test_a_settle_that_found_something_left_says_nothing_about_the_queues(order_events):
    order_events._db.events = 1
    order_events.broker.left = {order_events.topology.parking_lot_queue: 1}
    order_events.drain_deadline = lambda: 0.05
    with pytest.raises(AssertionError, match="left behind"):
        order_events.settle()
    order_events.forget_scenario(passed=True)
    assert not order_events.queues_known_empty()
