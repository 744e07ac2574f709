"""The crowd counts every answer and tells a wrong or failed one from a right one, over real HTTP."""
import json
import threading

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from support.load.crowd import browse_together


@pytest.fixture
def catalogue_server():
    """Answers /api/products with one product; a pass named 'wrong' gets another, 'broken' gets a 500."""
    seen = []

    @Request.application
    def app(request):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        seen.append((token, request.path))
        if token == "broken":
            return Response("no", status=500)
        name = "Pear" if token == "wrong" else "Apple"
        return Response(json.dumps({"data": [{"name": name}]}), content_type="application/json")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()
    thread.join()


def apple_only(body):
    return None if [item["name"] for item in body["data"]] == ["Apple"] else "not the apple"


def test_every_answer_is_counted_and_checked(catalogue_server):
    url, seen = catalogue_server
    figures = browse_together(url, ["a", "b", "wrong", "broken"], 3, apple_only)
    assert figures.customers == 4 and figures.requests == 12 and len(figures.latencies_ms) == 12
    assert sorted(figures.errors) == ["answered 500"] * 3 + ["not the apple"] * 3
    assert sorted(seen) == sorted((token, "/api/products") for token in ["a", "b", "wrong", "broken"] for _ in range(3))
    assert figures.seconds > 0


def test_a_path_prefix_is_kept(catalogue_server):
    url, seen = catalogue_server
    browse_together(url + "/shop/", ["a"], 1, lambda body: None)
    assert seen == [("a", "/shop/api/products")]


def test_a_shop_that_does_not_answer_is_an_error_per_request():
    server = make_server("127.0.0.1", 0, lambda environ, start: [])
    port = server.server_port
    server.server_close()  # nothing listens there any more
    figures = browse_together(f"http://127.0.0.1:{port}", ["a", "b"], 2, lambda body: None, timeout=5)
    assert figures.requests == 4 and len(figures.errors) == 4
    assert all(error.startswith("no usable answer (") for error in figures.errors), figures.errors
