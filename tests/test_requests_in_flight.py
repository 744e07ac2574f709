"""The shop counts the requests it is answering (GET /api/admin/figures), and after a failed scenario the
suite waits for the ones it left running, so their late writes land before the next reset, not after it."""
import threading
import uuid
from wsgiref.simple_server import WSGIRequestHandler

import pytest
import redis
import requests
from werkzeug.serving import make_server

from shop.catalogue_cache import listing_pattern
from shop.web.admin import RequestsInFlight
from support.people.arrange import Cast
from support.people.operator import Operator
from support.polling import eventually
from support.servers.suite import scenario_api, start_suite
from support.settings import SuiteSettings
from support.wires.refusals import TableLock
from tests.conftest import remove_run_names


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def test_a_request_counts_from_its_arrival_until_its_answer_is_made_even_when_it_fails():
    let_go = threading.Event()
    changes = []

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/fails":
            raise RuntimeError("a view that fails")
        let_go.wait(10)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"done"]

    counted = RequestsInFlight(app, on_change=lambda: changes.append(counted.figures().in_flight))
    server = make_server("127.0.0.1", 0, counted, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.port}"
    try:
        slow = threading.Thread(target=lambda: requests.get(f"{url}/slow", timeout=10))
        slow.start()
        eventually(lambda: _assert_equal(counted.figures().in_flight, 1), timeout=5, description="the slow request")
        assert requests.get(f"{url}/fails", timeout=10).status_code == 500
        assert counted.figures().in_flight == 1, "a request that failed is still counted"
        let_go.set()
        slow.join(10)
        assert counted.figures().in_flight == 0
        assert changes == [1, 2, 1, 0], changes  # told as each count changed
    finally:
        let_go.set()
        server.shutdown()


def _assert_equal(seen, wanted):
    assert seen == wanted, f"{seen}, not {wanted}"


@pytest.fixture
def suite_runtime(servers):
    tag = uuid.uuid4().hex[:8]
    database_url = f"postgresql://postgres@127.0.0.1:5432/inflight_{tag}"
    names = {"KEY_PREFIX": f"inflight-{tag}:", "AMQP_NAMESPACE": f"inflight-{tag}"}
    settings = SuiteSettings.from_sources({
        "stack": "external", "database_url": database_url, "redis_url": servers.redis_url,
        "rabbitmq_url": servers.rabbitmq_url, "key_prefix": names["KEY_PREFIX"],
        "amqp_namespace": names["AMQP_NAMESPACE"]}, environ={})
    runtime = start_suite(settings)
    try:
        yield runtime, settings
    finally:
        runtime.close()
        remove_run_names(servers, names, database_url, tuple(int(ms) for ms in settings.retry_delays_ms.split(",")))


def test_the_operator_waits_for_a_request_left_hanging_until_its_late_write_has_landed(suite_runtime):
    runtime, settings = suite_runtime
    runtime.world_reset.reset()
    api = scenario_api(runtime)
    operator = Operator(api, runtime.operator)
    [customer] = Cast(api, operator).enrol_buyers(1)
    cache = redis.Redis.from_url(settings.redis_url)
    lock = TableLock(settings.database_url, "products")  # a maintenance job: the listing below waits for it
    try:
        listing = threading.Thread(target=lambda: requests.get(
            f"{runtime.shop.url}/api/products", headers={"Authorization": f"Bearer {customer.token}"}, timeout=30))
        listing.start()
        eventually(lambda: _assert_equal(operator.figures().requests_in_flight, 1), timeout=10,
                   description="the listing to be in flight")

        said = operator.await_requests_left_in_flight(0.3)
        assert said.startswith("The next reset did not wait for them") and "1 request(s) still in flight" in said, said

        threading.Timer(0.2, lock.release).start()
        said = operator.await_requests_left_in_flight(10)
        assert said.startswith("None"), said
        # What the request wrote last, its listing in the cache, is there by the time the wait is over.
        assert list(cache.scan_iter(match=listing_pattern(settings.key_prefix))), "the wait ended before the write"
        listing.join(10)
    finally:
        lock.release()
        cache.close()
