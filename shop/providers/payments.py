"""The shop's card-payment adapter: charges and refunds through a Stripe-compatible API.

It speaks the wire (form-encoded parameters, a bearer secret key, an `Idempotency-Key`) and makes
one call dependable: connect and read timeouts, and a bounded retry on connection errors, timeouts
and 5xx answers, always with the same idempotency key, so a try whose answer was lost is answered
by the provider with the charge it already made instead of a second one. What a payment means for
an order is the business of shop/payments.py.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

log = logging.getLogger(__name__)

# (connect, read) seconds: a provider that does not answer must not hold a customer's request for long.
DEFAULT_TIMEOUT = (3.05, 10.0)


@dataclass(frozen=True)
class Charge:
    id: str
    amount: int  # in the currency's smallest unit (cents)
    currency: str


@dataclass(frozen=True)
class Refund:
    id: str
    charge_id: str
    amount: int


class PaymentError(Exception):
    """The provider did not do what was asked. `reason` says why, for logs and the payment's record."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class CardDeclined(PaymentError):
    """The provider answered definitively: this card is not charged (402). `code` is e.g. insufficient_funds."""

    def __init__(self, code: str, message: str):
        super().__init__(f"card declined ({code}): {message}")
        self.code = code
        self.message = message


class PaymentFailed(PaymentError):
    """No definitive answer (unreachable, timed out, 5xx after every try) or a request the provider
    refused (4xx): nothing is known to be charged, and trying again later with the same key is safe."""

    def __init__(self, reason: str, *, tries: int, status: int | None = None):
        super().__init__(reason)
        self.tries = tries
        self.status = status

    @property
    def outcome_unknown(self) -> bool:
        """No answer the shop can rely on came back: the provider may or may not have done the work."""
        return self.status is None or not 400 <= self.status < 500 or self.status == 409


def _wait(seconds: float) -> None:
    # Backoff between tries: a short, bounded pause in the shop's request thread (the suite's rule
    # against sleeping is about waiting on the shop; this is the shop's own, deliberate backoff).
    time.sleep(seconds)


class PaymentGateway:
    def __init__(
        self, base_url: str, api_key: str, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_retries: int = 2, backoff_seconds: float = 0.5, session: requests.Session | None = None,
        pause: Callable[[float], None] = _wait,
    ):
        self._base = base_url.rstrip("/")
        self._api_key = api_key
        self._timeout = timeout
        self._tries = 1 + max_retries
        self._backoff = backoff_seconds
        self._session = session or requests.Session()
        self._pause = pause

    def longest_call_seconds(self) -> float:
        """The longest one call can take, every try timing out and every backoff waited."""
        connect, read = self._timeout
        return self._tries * (connect + read) + sum(self._backoff * 2 ** n for n in range(self._tries - 1))

    def charge(
        self, *, amount: int, currency: str, source: str, description: str, idempotency_key: str,
        metadata: dict[str, str] | None = None,
    ) -> Charge:
        """Charge the card (`source`, a token from the payment form); CardDeclined or PaymentFailed if not."""
        form = {"amount": str(amount), "currency": currency, "source": source, "description": description}
        form.update({f"metadata[{name}]": value for name, value in (metadata or {}).items()})
        body = self._post("/v1/charges", form, idempotency_key)
        return _read(body, lambda: Charge(body["id"], int(body["amount"]), body["currency"]))

    def refund(self, *, charge_id: str, idempotency_key: str) -> Refund:
        """Refund a charge in full; PaymentFailed if the provider did not confirm it."""
        body = self._post("/v1/refunds", {"charge": charge_id}, idempotency_key)
        return _read(body, lambda: Refund(body["id"], body["charge"], int(body["amount"])))

    def find_charge(self, *, attempt_key: str) -> Charge | None:
        """The successful charge the provider made for an attempt (by the idempotency key the shop put in
        its metadata), or None when it holds none; PaymentFailed when it cannot tell.

        Stripe's search is eventually consistent: a charge made in the last moments may not be found
        yet. That is why a payment after "none found" re-uses the attempt's key (a late charge is then
        replayed, not repeated); a cancellation trusts the search, as the provider's own record."""
        query = f"metadata['attempt']:'{attempt_key}'"
        body = self._send("GET", "/v1/charges/search", {"query": query}, None)
        charges = _read(body, lambda: [Charge(c["id"], int(c["amount"]), c["currency"])
                                       for c in body["data"] if c["status"] == "succeeded"])
        return charges[0] if charges else None

    def _post(self, path: str, form: dict[str, str], idempotency_key: str) -> dict[str, Any]:
        return self._send("POST", path, form, idempotency_key)

    def _send(self, method: str, path: str, params: dict[str, str], idempotency_key: str | None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self._api_key}"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        where = "data" if method == "POST" else "params"
        problem = ""
        for attempt in range(1, self._tries + 1):
            if attempt > 1:
                self._pause(self._backoff * 2 ** (attempt - 2))
            try:
                response = self._session.request(method, self._base + path, headers=headers, timeout=self._timeout,
                                                 **{where: params})
            except requests.Timeout:
                connect, read = self._timeout
                problem = f"did not answer in time (connect {connect:g}s, read {read:g}s)"
            except requests.RequestException as error:
                problem = f"could not be reached ({type(error).__name__})"
            else:
                if response.status_code < 500:
                    return self._answer(response, path, attempt)
                problem = f"answered {response.status_code}: {_provider_message(response)}"
            log.warning("payment provider %s, try %d of %d (%s): %s", path, attempt, self._tries,
                        idempotency_key or params, problem)
        raise PaymentFailed(f"the payment provider {problem}, on each of {self._tries} tries", tries=self._tries)

    @staticmethod
    def _answer(response: requests.Response, path: str, tries: int) -> dict[str, Any]:
        if response.status_code == 200:
            try:
                return response.json()
            except ValueError:
                raise PaymentFailed(f"the payment provider answered {path} with a body that is not JSON",
                                    tries=tries, status=200) from None
        error = _error_of(response)
        if response.status_code == 402:
            code = error.get("decline_code") or error.get("code") or "card_declined"
            raise CardDeclined(code, error.get("message") or "Your card was declined.")
        # Anything else (a bad key, a parameter the provider refuses) will not pass by trying again.
        reason = f"the payment provider refused {path} with {response.status_code}: {_provider_message(response)}"
        raise PaymentFailed(reason, tries=tries, status=response.status_code)

    def close(self) -> None:
        self._session.close()


def _read(body: Any, build: Callable[[], Any]) -> Any:
    try:
        return build()
    except (KeyError, TypeError, ValueError):
        raise PaymentFailed(f"the payment provider's answer lacks what the shop needs: {str(body)[:200]}",
                            tries=1, status=200) from None


def _error_of(response: requests.Response) -> dict[str, Any]:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def _provider_message(response: requests.Response) -> str:
    return str(_error_of(response).get("message") or response.text[:200] or response.reason)
