"""The provider fakes over real HTTP: the same fakes and switchboard as in process, and what the shop meets
on the wire for each trouble (an answer, a dropped connection, an answer held until it gives up)."""
import time

import pytest
import requests

from shop.providers.email import Email, EmailNotSent, EmailProvider
from shop.providers.payments import PaymentFailed, PaymentGateway
from support.fakes import HttpFront, ProviderFakes
from support.fakes.email_provider import EMAIL_API_KEY
from support.fakes.payment_provider import PAYMENTS_API_KEY
from support.polling import eventually


@pytest.fixture(scope="module")
def front():
    served = HttpFront()
    yield served
    served.close()


@pytest.fixture
def fakes(front):
    started = ProviderFakes(front).start()
    yield started
    started.stop()


def _email(front, read_timeout=1):
    return EmailProvider(front.email_base, EMAIL_API_KEY, "shop@example.com", timeout=(1, read_timeout))


def _gateway(front, read_timeout=0.5):
    return PaymentGateway(front.payments_base, PAYMENTS_API_KEY, timeout=(1, read_timeout), max_retries=2,
                          pause=lambda s: None)


def _charge(front, card, order_id):
    return _gateway(front).charge(amount=1000, currency="usd", source=card, description=f"order {order_id}",
                                  idempotency_key=f"key-{order_id}", metadata={"order_id": order_id})


def test_an_email_sent_over_http_is_kept_by_the_fake(front, fakes):
    _email(front).send(Email("ada@example.com", "Ada", "Hello", "greeting", "Hi Ada", "ref-1"))
    assert [e.subject for e in fakes.email.emails_to("ada@example.com")] == ["Hello"]
    assert "POST http://127.0.0.1" in fakes.call_log()


def test_a_call_no_fake_claims_is_refused_and_named(front, fakes):
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{front.base_url}/somewhere-else/v1/things", data="x", timeout=2)
    with pytest.raises(AssertionError, match="/somewhere-else/v1/things"):
        fakes.expect_no_unexpected_calls()


def test_a_provider_that_does_not_answer_is_waited_for_until_the_shop_gives_up(front, fakes):
    fakes.payments.time_out()
    started = time.monotonic()
    with pytest.raises(PaymentFailed):
        _charge(front, fakes.payments.issue_card("Ada"), "o-1")

    def three_tries_seen():
        waited = [request.timeout for request in fakes.payments.requests_for("o-1")]
        assert len(waited) == 3 and all(t[0] is None and 0.4 <= t[1] < 2 for t in waited), waited

    eventually(three_tries_seen, timeout=2, description="the fake to see the shop hang up the last try")
    assert time.monotonic() - started < 5


def test_a_slow_answer_beyond_the_read_timeout_is_a_timeout_for_the_shop(front, fakes):
    fakes.email.answer_after(30)
    started = time.monotonic()
    with pytest.raises(EmailNotSent):
        _email(front, read_timeout=1).send(Email("bob@example.com", "Bob", "Hello", "greeting", "Hi Bob", "ref-2"))
    assert time.monotonic() - started < 5, "the fake held its answer past the shop's patience"


def test_a_lost_answer_drops_the_connection_after_the_work(front, fakes):
    fakes.payments.lose_answers(times=1)
    card = fakes.payments.issue_card("Cy")
    charge = _charge(front, card, "o-2")
    assert charge is not None
    assert len(fakes.payments.charges_for(["o-2"])) == 1, "charged once although the first answer was lost"
