"""The report's transcript of an exchange with the shop shows a huge body's beginning and its size, not all of it."""
import threading

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from support.wires.api_client import BODY_SHOWN, ShopApi


@pytest.fixture
def echo_url():
    @Request.application
    def app(request):
        return Response(request.get_data(), status=200 if request.content_length < 1000 else 413,
                        content_type="text/plain")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_a_huge_body_is_shown_by_its_beginning_and_its_size(echo_url):
    api = ShopApi(echo_url)
    api.send("POST", "/echo", raw="x" * (3 * BODY_SHOWN), content_type="text/plain")
    api.send("POST", "/echo", raw="small body", content_type="text/plain")
    huge, small = (exchange.as_text() for exchange in api.exchanges)
    assert f"{'x' * BODY_SHOWN}\n... ({3 * BODY_SHOWN:,} characters in all; the first {BODY_SHOWN:,} are shown)" in huge
    assert "x" * (BODY_SHOWN + 1) not in huge and "<- 413" in huge and len(huge) < 3 * BODY_SHOWN
    assert small.count("small body") == 2 and "characters in all" not in small
