"""A stateful fake of the shop's card-payment provider (Stripe's charges and refunds), for the boundary.

It issues card tokens (as the provider's payment form does), keeps every charge and refund, and
answers like Stripe: form-encoded requests with a bearer secret key; 200 with the object; 402 with a
card_error for a declined card; 400/401 with invalid_request_error bodies. It honours Idempotency-Key
as Stripe does: a key whose request was carried out (charged or declined) gets the very same answer
again, and reusing a key with other parameters is refused.

It also answers Stripe's charge search for the one query the shop makes (the charges of an attempt,
by the idempotency key the shop puts in their metadata).

It can be told to decline cards, fail with 5xx (N times or until it recovers), not answer at all (the
shop sees its read timeout), lose its answers after doing the work, answer slowly, hold every charge
until the scenario releases them, or be down. A
delay beyond the shop's read timeout is not waited out: the work is done and the timeout raised at
once, as the shop would have seen it. Scripted troubles the shop never met are reported at the end.
"""
from __future__ import annotations

import json
import re
import secrets
import threading
from urllib.parse import parse_qsl, urlsplit

import requests

from support.fakes.boundary import Answer, LostAnswer, ProviderRequest
from support.fakes.payment_records import FakeCharge, FakeRefund, PaymentRequest, Script, State

PAYMENTS_API_BASE = "https://api.payment-provider.test"
PAYMENTS_API_KEY = "sk_test_acceptance_suite_not_a_real_key"

# Decline code -> (Stripe's error code, the message Stripe gives the customer).
DECLINES = {
    "insufficient_funds": ("card_declined", "Your card has insufficient funds."),
    "generic_decline": ("card_declined", "Your card was declined."),
    "lost_card": ("card_declined", "Your card was declined."),
    "stolen_card": ("card_declined", "Your card was declined."),
    "expired_card": ("expired_card", "Your card has expired."),
    "incorrect_cvc": ("incorrect_cvc", "Your card's security code is incorrect."),
}
MINIMUM_CHARGE = 50  # cents: Stripe's minimum for usd
_JSON = {"Content-Type": "application/json"}


class PaymentProviderFake:
    name = "payment provider"

    def __init__(self, base_url: str = PAYMENTS_API_BASE, api_key: str = PAYMENTS_API_KEY):
        self.base_url = base_url
        self._api_key = api_key
        self._lock = threading.Lock()
        self.reset()

    def routes(self):
        return [("POST", f"{self.base_url}/v1/charges", self._charges),
                ("POST", f"{self.base_url}/v1/refunds", self._refunds),
                ("GET", f"{self.base_url}/v1/charges/search", self._search)]

    def reset(self) -> None:
        with self._lock:
            self._s = State()
        self._held = threading.Condition(self._lock)

    # -- cards, as the provider's payment form tokenises them -------------------------------------
    def issue_card(self, holder: str) -> str:
        token = "tok_" + secrets.token_hex(12)
        with self._lock:
            self._s.cards.setdefault(holder, []).append(token)
        return token

    def card_of(self, holder: str) -> str:
        """The holder's current card (a first one is issued when they have none)."""
        with self._lock:
            cards = self._s.cards.get(holder)
        return cards[-1] if cards else self.issue_card(holder)

    # -- how it behaves ---------------------------------------------------------------------------
    def decline(self, code: str, card: str | None = None) -> None:
        """Decline `card` (every card when None) with this decline code."""
        if code not in DECLINES:
            raise KeyError(f"the fake knows no decline code {code!r}; it knows {', '.join(DECLINES)}")
        with self._lock:
            self._s.declines[card] = code

    def fail_with(self, status: int = 500, times: int | None = None) -> None:
        with self._lock:
            self._s.troubles["fail"] = Script(f"answer {status}", times)
            self._s.failure_status = status

    def time_out(self, times: int | None = None) -> None:
        """Do nothing and never answer: the shop's read timeout passes."""
        with self._lock:
            self._s.troubles["time out"] = Script("not answer", times)

    def lose_answers(self, times: int | None = None) -> None:
        """Do the work, then lose the answer on its way back: the shop sees a timeout."""
        with self._lock:
            self._s.troubles["lose answer"] = Script("lose its answer after doing the work", times)

    def answer_after(self, seconds: float) -> None:
        self._s.delay = seconds

    def hold_answers(self) -> None:
        """Keep every charge waiting, work not yet done, until `release_answers` (a provider at its slowest,
        within the shop's patience): the scenario decides when it answers, no clock does."""
        with self._lock:
            self._s.holding = True

    def release_answers(self) -> None:
        with self._held:
            self._s.holding = False
            self._held.notify_all()

    @property
    def answers_held(self) -> int:
        with self._lock:
            return self._s.held

    def go_down(self) -> None:
        self._s.down = True

    def recover(self) -> None:
        with self._held:
            self._s.down, self._s.delay, self._s.declines, self._s.troubles = False, 0.0, {}, {}
            self._s.holding = False
            self._held.notify_all()

    # -- what it saw and did ----------------------------------------------------------------------
    def requests_for(self, order_id: str, kind: str = "charge") -> list[PaymentRequest]:
        """The shop's calls about the order: charges by their metadata, refunds by the order's charges,
        searches by the attempt (whose key names the order)."""
        with self._lock:
            charges = {c.id for c in self._s.charges if c.metadata.get("order_id") == order_id}
            return [r for r in self._s.requests if r.kind == kind and (
                r.order_id == order_id if kind == "charge" else r.params.get("charge") in charges
                if kind == "refund" else order_id in r.params.get("query", ""))]

    def charges_for(self, order_ids: list[str], status: str = "succeeded") -> list[FakeCharge]:
        with self._lock:
            return [c for c in self._s.charges if c.metadata.get("order_id") in order_ids and c.status == status]

    def refunds_of(self, charge_id: str) -> list[FakeRefund]:
        with self._lock:
            return [r for r in self._s.refunds if r.charge_id == charge_id]

    def cards_of(self, holder: str) -> list[str]:
        with self._lock:
            return list(self._s.cards.get(holder, []))

    @property
    def most_in_flight(self) -> int:
        return self._s.most_in_flight

    def describe(self) -> str:
        with self._lock:
            charges = [f"{c.id} {c.status} {c.amount} {c.currency} order {c.metadata.get('order_id')}"
                       f"{' refunded' if c.amount_refunded else ''}" for c in self._s.charges]
        return "; ".join(charges) or "no charge at all"

    def unused_script(self) -> list[str]:
        """Troubles it was told to cause a number of times that the shop never ran into."""
        with self._lock:
            return [f"the payment provider was told to {s.what} {s.left} more time(s)"
                    for s in self._s.troubles.values() if s.left]

    # -- the API ----------------------------------------------------------------------------------
    def _charges(self, request: ProviderRequest) -> Answer:
        return self._serve("charge", request, self._charge)

    def _refunds(self, request: ProviderRequest) -> Answer:
        return self._serve("refund", request, self._refund)

    def _search(self, request: ProviderRequest) -> Answer:
        return self._serve("search", request, self._find)

    def _serve(self, kind: str, request: ProviderRequest, act) -> Answer:
        """Answer the call, and keep it (even a refused connection: the shop did try)."""
        params = dict(parse_qsl(request.body)) if _is_form(request) else {}
        if request.method == "GET":
            params = dict(parse_qsl(urlsplit(request.url).query))
        key = _header(request, "Idempotency-Key") or ""
        with self._lock:
            self._s.in_flight += 1
            self._s.most_in_flight = max(self._s.most_in_flight, self._s.in_flight)
        try:
            answer, outcome = self._answer(kind, request, params, key, act)
        except requests.RequestException as error:
            answer, outcome = error, f"{type(error).__name__}: {error}"
        finally:
            with self._lock:
                self._s.in_flight -= 1
                self._s.requests.append(PaymentRequest(kind, params, key, request.seen_timeout, outcome))
        if isinstance(answer, Exception):
            raise answer
        return answer

    def _answer(self, kind: str, request: ProviderRequest, params: dict, key: str, act) -> tuple[Answer, str]:
        read_timeout = request.read_timeout
        if self._s.down:
            raise requests.ConnectionError("the payment provider is down (fake): connection refused")
        with self._lock:
            troubles = self._s.troubles
            timing_out = "time out" in troubles and troubles["time out"].use()
            if not timing_out and "fail" in troubles and troubles["fail"].use():
                status = self._s.failure_status
                return (status, _JSON, _error("api_error", "An unknown error occurred on our servers.")), str(status)
            lose = not timing_out and "lose answer" in troubles and troubles["lose answer"].use()
        if timing_out:
            request.withhold()
            raise requests.ReadTimeout(f"the payment provider (fake) does not answer; the shop waited "
                                       f"{request.seen_timeout}")
        if kind == "charge":
            self._wait_while_held(read_timeout)
        delay = self._s.delay
        in_time = request.answer_after(delay) if delay else True
        answer = self._carry_out(kind, request, params, key, act)
        if lose or not in_time:
            raise LostAnswer(f"the payment provider (fake) did the work ({answer[0]}) but its answer "
                                       f"did not arrive within the shop's {read_timeout or 'read timeout'}s")
        return answer, str(answer[0])

    def _wait_while_held(self, read_timeout: float | None) -> None:
        with self._held:
            if not self._s.holding:
                return
            self._s.held += 1
            try:
                # Bounded by the shop's own patience: a scenario that forgets to release fails, not hangs.
                if not self._held.wait_for(lambda: not self._s.holding, timeout=read_timeout or 10):
                    raise requests.ReadTimeout("the payment provider (fake) held its answer past the shop's "
                                               f"{read_timeout}s read timeout: the scenario never released it")
            finally:
                self._s.held -= 1

    def _carry_out(self, kind: str, request: ProviderRequest, params: dict, key: str, act) -> Answer:
        if _header(request, "Authorization") != f"Bearer {self._api_key}":
            return 401, _JSON, _error("invalid_request_error", "Invalid API Key provided: sk_****")
        with self._lock:
            if key and key in self._s.remembered:
                first_kind, first_params, (status, headers, body) = self._s.remembered[key]
                if (first_kind, first_params) != (kind, params):
                    return 400, _JSON, _error("idempotency_error", (
                        "Keys for idempotent requests can only be used with the same parameters they were first "
                        f"used with. Try using a key other than '{key}' if you meant to execute a different request."))
                return status, {**headers, "Idempotent-Replayed": "true"}, body
            status, headers, body = act(params, key)
            # Stripe keeps the outcome of a request it carried out (not of one it refused as invalid).
            if key and status in (200, 402):
                self._s.remembered[key] = (kind, params, (status, headers, body))
        return status, headers, body

    def _charge(self, params: dict, key: str) -> Answer:
        problem = _missing(params, "amount", "currency", "source")
        if problem:
            return problem
        if not params["amount"].isdigit() or int(params["amount"]) < MINIMUM_CHARGE:
            return 400, _JSON, _error("invalid_request_error", "Amount must be at least $0.50 usd",
                                      code="amount_too_small", param="amount")
        metadata = {k[len("metadata["):-1]: v for k, v in params.items() if k.startswith("metadata[")}
        code = self._s.declines.get(params["source"]) or self._s.declines.get(None)
        charge = FakeCharge(
            "ch_" + secrets.token_hex(12), int(params["amount"]), params["currency"].lower(), params["source"],
            params.get("description", ""), metadata, key, "failed" if code else "succeeded", code,
        )
        self._s.charges.append(charge)
        if code:
            error_code, message = DECLINES[code]
            return 402, _JSON, _error("card_error", message, code=error_code, decline_code=code, charge=charge.id)
        return 200, {**_JSON, "Request-Id": "req_" + secrets.token_hex(7)}, json.dumps(charge.as_json())

    def _find(self, params: dict, key: str) -> Answer:
        """Stripe's charge search, for the one query the shop makes: metadata['attempt']:'<key>'."""
        match = re.fullmatch(r"metadata\['attempt'\]:'([^']*)'", params.get("query", ""))
        if match is None:
            return 400, _JSON, _error("invalid_request_error", f"Unsupported search query: {params.get('query')!r}",
                                      param="query")
        found = [c.as_json() for c in self._s.charges if c.metadata.get("attempt") == match.group(1)]
        body = {"object": "search_result", "url": "/v1/charges/search", "has_more": False, "data": found}
        return 200, _JSON, json.dumps(body)

    def _refund(self, params: dict, key: str) -> Answer:
        problem = _missing(params, "charge")
        if problem:
            return problem
        charge = next((c for c in self._s.charges if c.id == params["charge"] and c.status == "succeeded"), None)
        if charge is None:
            return 400, _JSON, _error("invalid_request_error", f"No such charge: '{params['charge']}'",
                                      code="resource_missing", param="charge")
        if charge.amount_refunded >= charge.amount:
            return 400, _JSON, _error("invalid_request_error", f"Charge {charge.id} has already been refunded.",
                                      code="charge_already_refunded")
        refund = FakeRefund("re_" + secrets.token_hex(12), charge.id, charge.amount - charge.amount_refunded,
                            charge.currency, key)
        charge.amount_refunded = charge.amount
        self._s.refunds.append(refund)
        body = {"id": refund.id, "object": "refund", "amount": refund.amount, "charge": charge.id,
                "currency": charge.currency, "status": "succeeded"}
        return 200, _JSON, json.dumps(body)


def _is_form(request: ProviderRequest) -> bool:
    return (_header(request, "Content-Type") or "").startswith("application/x-www-form-urlencoded")


def _header(request: ProviderRequest, name: str) -> str | None:
    return next((value for key, value in request.headers.items() if key.lower() == name.lower()), None)


def _missing(params: dict, *names: str) -> Answer | None:
    for name in names:
        if not params.get(name):
            return 400, _JSON, _error("invalid_request_error", f"Missing required param: {name}.",
                                      code="parameter_missing", param=name)
    return None


def _error(kind: str, message: str, **details: str) -> str:
    return json.dumps({"error": {"type": kind, "message": message, **details}})
