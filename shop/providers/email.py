"""The shop's email adapter: one email to a SendGrid-compatible API (`POST /v3/mail/send`).

It only sends, and says how a send failed; what to do about a failure (keep the email, retry it,
never send it twice) is the outbox's business (shop/email_outbox.py), so every kind of email shares it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import requests

log = logging.getLogger(__name__)

# (connect, read) seconds: a provider that does not answer must not hold a shop request for long.
DEFAULT_TIMEOUT = (3.05, 10.0)


@dataclass(frozen=True)
class Email:
    to_address: str
    to_name: str
    subject: str
    template: str  # names the kind of email, e.g. "new-post"; sent as the SendGrid category
    text: str
    # Ours, not the provider's: ties a sent email to what caused it, e.g. "post:<id>:new-post".
    reference: str = ""


class EmailNotSent(Exception):
    """The provider did not accept the email. `retryable`: trying again later may succeed."""

    def __init__(self, reason: str, *, retryable: bool, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.status = status


class EmailProvider:
    def __init__(
        self, base_url: str, api_key: str, sender: str, *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT, session: requests.Session | None = None,
    ):
        self._url = base_url.rstrip("/") + "/v3/mail/send"
        self._api_key = api_key
        self._sender = sender
        self._timeout = timeout
        self._session = session or requests.Session()

    def payload(self, email: Email) -> dict:
        body = {
            "personalizations": [{"to": [{"email": email.to_address, "name": email.to_name}]}],
            "from": {"email": self._sender},
            "subject": email.subject,
            "content": [{"type": "text/plain", "value": email.text}],
            "categories": [email.template],
        }
        if email.reference:
            body["custom_args"] = {"reference": email.reference}
        return body

    def send(self, email: Email) -> str:
        """Hand the email to the provider; its message id, or EmailNotSent saying why not."""
        try:
            response = self._session.post(
                self._url, json=self.payload(email), timeout=self._timeout,
                headers={"Authorization": f"Bearer {self._api_key}"},
            )
        except requests.Timeout:
            connect, read = self._timeout
            reason = f"the email provider did not answer in time (connect {connect:g}s, read {read:g}s)"
            raise EmailNotSent(reason, retryable=True) from None
        except requests.RequestException as error:
            reason = f"the email provider could not be reached ({type(error).__name__})"
            raise EmailNotSent(reason, retryable=True) from None
        if response.status_code in (200, 202):
            return response.headers.get("X-Message-Id", "")
        reason = f"the email provider answered {response.status_code}: {_provider_message(response)}"
        # 400 means this email itself is wrong: sending it again cannot help. Anything else (a bad key,
        # a rate limit, an outage) may pass once someone or something fixes it.
        raise EmailNotSent(reason, retryable=response.status_code != 400, status=response.status_code)

    def close(self) -> None:
        self._session.close()


def _provider_message(response: requests.Response) -> str:
    try:
        errors = response.json().get("errors") or []
        return "; ".join(str(e.get("message")) for e in errors) or response.text[:200]
    except (ValueError, AttributeError):
        return response.text[:200]
