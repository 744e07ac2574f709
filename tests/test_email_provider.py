"""The shop's email adapter speaks SendGrid's mail/send and sorts failures into retry-later or never."""
import json

import pytest
import requests
import responses

from shop.providers.email import Email, EmailNotSent, EmailProvider

BASE = "https://api.sendgrid.test"
SEND = f"{BASE}/v3/mail/send"
EMAIL = Email(
    "ada@example.org", "Ada Lovelace", "New post created", "new-post", "Hello Ada", reference="post:1:new-post"
)


@pytest.fixture
def provider():
    return EmailProvider(BASE + "/", "SG.key", "shop@example.com", timeout=(1.5, 4))


@responses.activate
def test_a_send_is_a_sendgrid_request_with_bearer_key_and_timeouts(provider):
    responses.post(SEND, status=202, headers={"X-Message-Id": "msg-123"})
    assert provider.send(EMAIL) == "msg-123"
    call = responses.calls[0]
    assert call.request.headers["Authorization"] == "Bearer SG.key"
    assert call.request.req_kwargs["timeout"] == (1.5, 4)
    assert json.loads(call.request.body) == {
        "personalizations": [{"to": [{"email": "ada@example.org", "name": "Ada Lovelace"}]}],
        "from": {"email": "shop@example.com"},
        "subject": "New post created",
        "content": [{"type": "text/plain", "value": "Hello Ada"}],
        "categories": ["new-post"],
        "custom_args": {"reference": "post:1:new-post"},
    }


@pytest.mark.parametrize(
    ("status", "retryable"), [(400, False), (401, True), (429, True), (500, True), (503, True)]
)
@responses.activate
def test_a_refusal_says_whether_a_later_try_can_succeed(provider, status, retryable):
    responses.post(SEND, status=status, json={"errors": [{"message": "nope", "field": None, "help": None}]})
    with pytest.raises(EmailNotSent) as refused:
        provider.send(EMAIL)
    assert (refused.value.status, refused.value.retryable) == (status, retryable)
    assert f"answered {status}: nope" in refused.value.reason


@pytest.mark.parametrize(
    ("failure", "words"),
    [(requests.ConnectionError("refused"), "could not be reached"), (requests.ReadTimeout("slow"), "in time")],
)
@responses.activate
def test_an_unreachable_or_silent_provider_is_worth_another_try(provider, failure, words):
    responses.post(SEND, body=failure)
    with pytest.raises(EmailNotSent, match=words) as refused:
        provider.send(EMAIL)
    assert refused.value.retryable and refused.value.status is None
