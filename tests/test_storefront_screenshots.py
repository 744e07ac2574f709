"""The @ui scenarios' screenshots show each person's whole page, below the fold too, as PNG."""
from __future__ import annotations

import struct

import pytest

from support.settings import default_chromium
from support.storefront.browser import Browsers

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE, "not a PNG"
    return struct.unpack(">II", png[16:24])  # the IHDR chunk: width, height


@pytest.fixture
def session():
    browsers = Browsers(default_chromium())
    if browsers.unavailable:
        pytest.skip(browsers.unavailable)
    opened = browsers.new_session()
    yield opened
    opened.close()
    browsers.close()


def test_each_persons_whole_page_is_taken_below_the_fold(session):
    tall = "<body style='margin:0'><div style='height:2600px'>Alice's basket</div></body>"
    session.page_of("Alice").set_content(tall)
    session.page_of("Bob").set_content("<body style='margin:0'><p>Bob's orders</p></body>")
    shots = dict(session.screenshots())
    assert set(shots) == {"Alice", "Bob"}
    alice_width, alice_height = _size(shots["Alice"])
    bob_width, bob_height = _size(shots["Bob"])
    viewport = session.page_of("Bob").viewport_size
    assert alice_height == 2600, f"Alice's page is 2600 px tall; the screenshot {alice_height} px"
    assert (bob_width, bob_height) == (viewport["width"], viewport["height"])
    assert alice_width == viewport["width"]


def test_a_closed_window_has_no_screenshot(session):
    session.page_of("Alice").set_content("<p>Alice</p>")
    session.page_of("Bob").close()
    assert [who for who, _ in session.screenshots()] == ["Alice"]
