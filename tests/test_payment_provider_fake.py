"""The fake payment provider answers the shop's adapter like Stripe: charges, declines, refunds,
Idempotency-Key replays, and the troubles it is told to cause, each counted and reported if unused."""
import pytest

from shop.providers.payments import CardDeclined, PaymentFailed, PaymentGateway
from support.fakes import ProviderFakes
from support.fakes.payment_provider import PAYMENTS_API_BASE, PAYMENTS_API_KEY

SHOP_URL = "http://127.0.0.1:9/"  # never called: only the providers are


@pytest.fixture
def fakes():
    started = ProviderFakes(SHOP_URL).start()
    yield started
    started.stop()


def _gateway(key=PAYMENTS_API_KEY, read_timeout=5.0):
    return PaymentGateway(PAYMENTS_API_BASE, key, timeout=(1, read_timeout), max_retries=2, pause=lambda s: None)


def _charge(card, key="order-1-payment-1", amount=4500, gateway=None):
    return (gateway or _gateway()).charge(amount=amount, currency="usd", source=card, description="Order 1",
                                          idempotency_key=key, metadata={"order_id": "1"})


def test_a_charge_is_kept_and_the_same_key_gets_the_same_charge(fakes):
    card = fakes.payments.issue_card("Alice")
    first, again = _charge(card), _charge(card)
    assert first == again
    [kept] = fakes.payments.charges_for(["1"])
    assert (kept.id, kept.amount, kept.source, kept.status) == (first.id, 4500, card, "succeeded")
    assert "Idempotent-Replayed: true" in fakes.call_log()


def test_a_key_reused_with_other_parameters_is_refused_like_stripe(fakes):
    card = fakes.payments.issue_card("Alice")
    _charge(card)
    with pytest.raises(PaymentFailed, match="400: Keys for idempotent requests can only be used with the same"):
        _charge(card, amount=100)


def test_a_declined_card_gets_a_402_card_error_and_a_failed_charge(fakes):
    card = fakes.payments.issue_card("Alice")
    fakes.payments.decline("expired_card", card=card)
    with pytest.raises(CardDeclined) as declined:
        _charge(card)
    assert (declined.value.code, declined.value.message) == ("expired_card", "Your card has expired.")
    assert fakes.payments.charges_for(["1"]) == [] and len(fakes.payments.charges_for(["1"], "failed")) == 1
    assert _charge(fakes.payments.issue_card("Alice"), key="order-1-payment-2").amount == 4500


def test_a_wrong_key_and_a_charge_below_the_minimum_are_refused(fakes):
    with pytest.raises(PaymentFailed, match="401: Invalid API Key"):
        _charge("tok_x", gateway=_gateway(key="sk_wrong"))
    with pytest.raises(PaymentFailed, match="400: Amount must be at least"):
        _charge("tok_x", amount=20)


def test_failures_a_number_of_times_then_success_and_unused_troubles_are_reported(fakes):
    fakes.payments.fail_with(503, times=2)
    assert _charge("tok_x").amount == 4500
    assert [r.outcome for r in fakes.payments.requests_for("1")] == ["503", "503", "200"]
    fakes.payments.fail_with(500, times=5)
    with pytest.raises(PaymentFailed):
        _charge("tok_y", key="other")
    with pytest.raises(AssertionError, match="told to answer 500 2 more time"):
        fakes.expect_scripts_used()


def test_a_lost_answer_is_a_timeout_after_the_charge_and_the_retry_finds_it(fakes):
    fakes.payments.lose_answers(times=1)
    charge = _charge("tok_x")
    assert [c.id for c in fakes.payments.charges_for(["1"])] == [charge.id]
    assert [r.outcome.split(":")[0] for r in fakes.payments.requests_for("1")] == ["LostAnswer", "200"]


def test_an_answer_slower_than_the_shop_waits_is_a_timeout_raised_at_once(fakes):
    fakes.payments.answer_after(60)
    with pytest.raises(PaymentFailed, match="did not answer in time"):
        _charge("tok_x", gateway=_gateway(read_timeout=0.5))
    # Slow is not idle: the provider did charge, once, whatever the shop saw.
    assert len(fakes.payments.charges_for(["1"])) == 1


def test_a_refund_is_kept_once_and_a_second_one_is_refused(fakes):
    charge = _charge("tok_x")
    refund = _gateway().refund(charge_id=charge.id, idempotency_key="order-1-refund")
    assert refund.amount == 4500 and [r.id for r in fakes.payments.refunds_of(charge.id)] == [refund.id]
    with pytest.raises(PaymentFailed, match="has already been refunded"):
        _gateway().refund(charge_id=charge.id, idempotency_key="another-key")
