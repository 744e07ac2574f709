"""The shop's payment adapter speaks Stripe's charges and refunds, retries what may pass on another try
(always with the same idempotency key), gives up after a bounded number of tries, and never retries
an answer that is final: a declined card, or a request the provider refuses."""
from urllib.parse import parse_qsl

import pytest
import requests
import responses

from shop.config import ConfigError, Settings
from shop.providers.payments import CardDeclined, PaymentFailed, PaymentGateway

BASE = "https://api.stripe.test"
CHARGES = f"{BASE}/v1/charges"
REFUNDS = f"{BASE}/v1/refunds"
CHARGE = {"id": "ch_1", "object": "charge", "amount": 4500, "currency": "usd", "status": "succeeded"}
DECLINE = {"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                     "message": "Your card has insufficient funds."}}


@pytest.fixture
def pauses():
    return []


@pytest.fixture
def gateway(pauses):
    return PaymentGateway(BASE + "/", "sk_test_key", timeout=(1.5, 4), max_retries=2, backoff_seconds=0.25,
                          pause=pauses.append)


def _charge(gateway, key="order-7-payment-1"):
    return gateway.charge(amount=4500, currency="usd", source="tok_visa", description="Order 7",
                          idempotency_key=key, metadata={"order_id": "7"})


def _keys():
    return [call.request.headers["Idempotency-Key"] for call in responses.calls]


@responses.activate
def test_a_charge_is_a_form_encoded_stripe_request_with_key_idempotency_key_and_timeouts(gateway):
    responses.post(CHARGES, json=CHARGE)
    charge = _charge(gateway)
    assert (charge.id, charge.amount, charge.currency) == ("ch_1", 4500, "usd")
    request = responses.calls[0].request
    assert request.headers["Authorization"] == "Bearer sk_test_key"
    assert request.headers["Idempotency-Key"] == "order-7-payment-1"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.req_kwargs["timeout"] == (1.5, 4)
    assert dict(parse_qsl(request.body)) == {
        "amount": "4500", "currency": "usd", "source": "tok_visa", "description": "Order 7", "metadata[order_id]": "7",
    }


@responses.activate
def test_server_errors_are_tried_again_with_the_same_key_and_a_growing_pause(gateway, pauses):
    responses.post(CHARGES, status=500, json={"error": {"type": "api_error", "message": "boom"}})
    responses.post(CHARGES, status=503, body="unavailable")
    responses.post(CHARGES, json=CHARGE)
    assert _charge(gateway).id == "ch_1"
    assert _keys() == ["order-7-payment-1"] * 3
    assert pauses == [0.25, 0.5]


@pytest.mark.parametrize(
    "failure", [requests.ConnectionError("refused"), requests.ConnectTimeout("slow"), requests.ReadTimeout("slow")]
)
@responses.activate
def test_connection_errors_and_timeouts_are_tried_a_bounded_number_of_times(gateway, failure):
    responses.post(CHARGES, body=failure)
    with pytest.raises(PaymentFailed, match="on each of 3 tries") as failed:
        _charge(gateway)
    assert failed.value.tries == 3 and len(responses.calls) == 3
    assert _keys() == ["order-7-payment-1"] * 3
    assert all(call.request.req_kwargs["timeout"] == (1.5, 4) for call in responses.calls)


@responses.activate
def test_a_timeout_is_named_with_the_timeouts_that_passed(gateway):
    responses.post(CHARGES, body=requests.ReadTimeout("slow"))
    with pytest.raises(PaymentFailed, match=r"did not answer in time \(connect 1.5s, read 4s\)"):
        _charge(gateway)


@responses.activate
def test_a_declined_card_is_final_and_says_why(gateway):
    responses.post(CHARGES, status=402, json=DECLINE)
    with pytest.raises(CardDeclined) as declined:
        _charge(gateway)
    assert (declined.value.code, declined.value.message) == ("insufficient_funds", "Your card has insufficient funds.")
    assert len(responses.calls) == 1


@pytest.mark.parametrize("status", [400, 401, 404])
@responses.activate
def test_a_refused_request_is_not_tried_again(gateway, status):
    responses.post(CHARGES, status=status, json={"error": {"type": "invalid_request_error", "message": "nope"}})
    with pytest.raises(PaymentFailed, match=f"refused /v1/charges with {status}: nope") as failed:
        _charge(gateway)
    assert failed.value.status == status and len(responses.calls) == 1


@responses.activate
def test_no_retries_means_one_try(pauses):
    gateway = PaymentGateway(BASE, "sk", max_retries=0, pause=pauses.append)
    responses.post(CHARGES, status=500)
    with pytest.raises(PaymentFailed, match="on each of 1 tries"):
        _charge(gateway)
    assert len(responses.calls) == 1 and pauses == []


@responses.activate
def test_an_answer_without_the_charge_is_a_failure_not_a_crash(gateway):
    responses.post(CHARGES, json={"object": "charge"})
    with pytest.raises(PaymentFailed, match="lacks what the shop needs"):
        _charge(gateway)


@responses.activate
def test_a_refund_names_the_charge_and_is_retried_with_its_own_key(gateway):
    responses.post(REFUNDS, status=502)
    responses.post(REFUNDS, json={"id": "re_1", "object": "refund", "amount": 4500, "charge": "ch_1"})
    refund = gateway.refund(charge_id="ch_1", idempotency_key="order-7-refund")
    assert (refund.id, refund.charge_id, refund.amount) == ("re_1", "ch_1", 4500)
    assert _keys() == ["order-7-refund"] * 2
    assert dict(parse_qsl(responses.calls[1].request.body)) == {"charge": "ch_1"}


def test_payment_settings_come_from_the_environment():
    settings = Settings.from_env({
        "PAYMENTS_API_BASE": "https://pay.example", "PAYMENTS_API_KEY": "sk_live_x", "PAYMENTS_CURRENCY": "EUR",
        "PAYMENTS_CONNECT_TIMEOUT_SECONDS": "2", "PAYMENTS_READ_TIMEOUT_SECONDS": "7.5", "PAYMENTS_MAX_RETRIES": "4",
        "PAYMENTS_RETRY_BACKOFF_SECONDS": "0",
    })
    assert (settings.payments_api_base, settings.payments_api_key, settings.payments_currency) == (
        "https://pay.example", "sk_live_x", "eur")
    assert (settings.payments_connect_timeout_seconds, settings.payments_read_timeout_seconds) == (2.0, 7.5)
    assert (settings.payments_max_retries, settings.payments_retry_backoff_seconds) == (4, 0.0)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PAYMENTS_READ_TIMEOUT_SECONDS": "soon"}, "must be a number of seconds"),
        ({"PAYMENTS_CONNECT_TIMEOUT_SECONDS": "0"}, "must be at least 0.1 seconds"),
        ({"PAYMENTS_READ_TIMEOUT_SECONDS": "nan"}, "must be at least 0.1 seconds"),
        ({"PAYMENTS_MAX_RETRIES": "-1"}, "must be at least 0"),
        ({"PAYMENTS_CURRENCY": "dollars"}, "three-letter ISO currency code"),
    ],
)
def test_unusable_payment_settings_are_named(env, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)
