"""The suite's provider boundary and email fake: claimed calls are answered like SendGrid, the shop's
own URL passes through, and anything else is refused and reported, even when the caller swallows it."""
import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests

from shop.providers.email import Email, EmailNotSent, EmailProvider
from support.fakes import ProviderFakes
from support.fakes.boundary import ProviderRequest
from support.fakes.email_provider import EMAIL_API_BASE, EMAIL_API_KEY, EmailProviderFake

EMAIL = Email("ada@example.org", "Ada", "New post created", "new-post", "Your post is published.", "post:1:new-post")


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello from the shop")

    def log_message(self, *args):
        pass


@pytest.fixture
def shop_url():
    server = HTTPServer(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def fakes(shop_url):
    started = ProviderFakes(shop_url).start()
    yield started
    started.stop()


def _adapter(key=EMAIL_API_KEY, timeout=(1, 5)):
    return EmailProvider(EMAIL_API_BASE, key, "shop@example.com", timeout=timeout)


def test_the_fake_accepts_an_email_like_sendgrid_and_keeps_it(fakes):
    message_id = _adapter().send(EMAIL)
    [sent] = fakes.email.sent
    assert message_id == sent.message_id and len(message_id) > 10
    assert (sent.to, sent.subject, sent.template, sent.body, sent.reference) == (
        "ada@example.org", "New post created", "new-post", "Your post is published.", "post:1:new-post"
    )
    assert "202" in fakes.call_log() and "X-Message-Id" in fakes.call_log()


def test_a_wrong_key_gets_sendgrids_401(fakes):
    with pytest.raises(EmailNotSent, match="401: The provided authorization grant is invalid"):
        _adapter(key="SG.wrong").send(EMAIL)
    assert fakes.email.sent == []


def test_an_email_without_a_recipient_gets_sendgrids_400():
    fake = EmailProviderFake()
    status, _, body = fake._mail_send(_request({"from": {"email": "a@b.c"}, "subject": "s", "content": []}))
    assert status == 400 and '"field": "personalizations"' in body and '"field": "content"' in body


@pytest.mark.parametrize(
    ("trouble", "words"),
    [
        (lambda fake: fake.go_down(), "could not be reached"),
        (lambda fake: fake.fail_with(503), "answered 503"),
        (lambda fake: fake.answer_after(30), "did not answer in time"),
    ],
)
def test_the_fake_can_be_down_failing_or_too_slow_and_then_recover(fakes, trouble, words):
    trouble(fakes.email)
    with pytest.raises(EmailNotSent, match=words):
        _adapter().send(EMAIL)
    fakes.email.recover()
    _adapter().send(EMAIL)
    assert len(fakes.email.sent) == 1


def test_a_slow_answer_within_the_timeout_arrives(fakes):
    fakes.email.answer_after(0.05)
    _adapter(timeout=(1, 2)).send(EMAIL)
    assert len(fakes.email.sent) == 1


def test_the_shop_under_test_is_reached_for_real(fakes, shop_url):
    assert requests.get(f"{shop_url}/anything", timeout=5).text == "hello from the shop"
    fakes.expect_no_unexpected_calls()


def test_a_call_no_fake_claims_is_refused_and_reported_even_if_swallowed(fakes):
    with contextlib.suppress(requests.ConnectionError):  # as a shop's adapter might
        requests.post("https://api.stripe.test/v1/charges", data={"amount": 100}, timeout=5)
    with pytest.raises(AssertionError, match="POST https://api.stripe.test/v1/charges"):
        fakes.expect_no_unexpected_calls()
    fakes.expect_no_unexpected_calls()  # each call is reported once


def test_an_unknown_path_on_a_fakes_host_is_unexpected_too(fakes):
    with pytest.raises(requests.ConnectionError, match="no fake claims"):
        requests.get(f"{EMAIL_API_BASE}/v3/templates", timeout=5)
    with pytest.raises(AssertionError, match="GET https://api.email-provider.test/v3/templates"):
        fakes.expect_no_unexpected_calls()


def _request(payload):
    return ProviderRequest("POST", f"{EMAIL_API_BASE}/v3/mail/send", {"Authorization": f"Bearer {EMAIL_API_KEY}"},
                           json.dumps(payload), (1, 5))
