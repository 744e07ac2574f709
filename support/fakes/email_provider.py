"""A stateful fake of the shop's email provider (SendGrid's `POST /v3/mail/send`), for the boundary.

It keeps every email it accepted, answers as SendGrid does (202 with an X-Message-Id header; 400 and
401 with SendGrid's error bodies), and can be told to fail with a 5xx, to be down (connection
refused) or to answer slowly. A slow answer beyond the shop's read timeout is not waited out: the
fake raises the timeout the shop would have seen, so timeouts cost a scenario nothing.
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass

import requests

from support.fakes.boundary import Answer, ProviderRequest

EMAIL_API_BASE = "https://api.email-provider.test"
EMAIL_API_KEY = "SG.acceptance-suite.not-a-real-key"
EMAIL_SENDER = "shop@shop-under-test.example"

_HELP = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html"


@dataclass(frozen=True)
class SentEmail:
    message_id: str
    to: str
    sender: str
    subject: str
    template: str
    body: str
    reference: str

    def describe(self) -> str:
        return f"to {self.to}: {self.subject!r} ({self.template})"


def _errors(*problems: tuple[str | None, str]) -> str:
    return json.dumps({"errors": [{"message": m, "field": f, "help": _HELP if f else None} for f, m in problems]})


class EmailProviderFake:
    name = "email provider"

    def __init__(self, base_url: str = EMAIL_API_BASE, api_key: str = EMAIL_API_KEY):
        self.base_url = base_url
        self._api_key = api_key
        self._lock = threading.Lock()
        self.reset()

    def routes(self):
        return [("POST", f"{self.base_url}/v3/mail/send", self._mail_send)]

    def reset(self) -> None:
        with self._lock:
            self.sent: list[SentEmail] = []
            # When each send was asked for (time.monotonic()), accepted or not: retries' pauses are read here.
            self.asked_at: list[float] = []
            self._failure: int | None = None
            self._failures_left = 0  # with `_failure`: how many more sends fail; 0 means every one
            self._down = False
            self._delay = 0.0

    # -- how it behaves
    def go_down(self) -> None:
        self._down = True

    def fail_with(self, status: int = 500) -> None:
        self._failure, self._failures_left = status, 0

    def fail_next(self, count: int, status: int = 503) -> None:
        """The next `count` sends fail with `status`; the ones after succeed."""
        self._failure, self._failures_left = status, count

    def answer_after(self, seconds: float) -> None:
        self._delay = seconds

    def recover(self) -> None:
        self._down, self._failure, self._failures_left, self._delay = False, None, 0, 0.0

    # -- what it accepted
    def emails_to(self, address: str, subject: str | None = None) -> list[SentEmail]:
        with self._lock:
            return [e for e in self.sent if e.to.lower() == address.lower() and subject in (None, e.subject)]

    def describe(self) -> str:
        with self._lock:
            return "; ".join(e.describe() for e in self.sent) or "no email at all"

    def _counts_down_a_failure(self) -> bool:
        """Whether this send fails; a limited run of failures ends by itself."""
        with self._lock:
            if self._failures_left == 0:
                return True
            self._failures_left -= 1
            if self._failures_left == 0:
                self._failure = None
            return True

    def _mail_send(self, request: ProviderRequest) -> Answer:
        with self._lock:
            self.asked_at.append(time.monotonic())
        if self._down:
            raise requests.ConnectionError("the email provider is down (fake): connection refused")
        if self._delay and not request.answer_after(self._delay):
            raise requests.ReadTimeout(f"the email provider (fake) answers after {self._delay:g}s; "
                                       f"the shop stopped waiting before")
        failure = self._failure  # read first: counting down the last of a run of failures clears it
        if failure and self._counts_down_a_failure():
            return failure, {"Content-Type": "application/json"}, _errors((None, "Internal server error"))
        if request.headers.get("Authorization") != f"Bearer {self._api_key}":
            message = "The provided authorization grant is invalid, expired, or revoked"
            return 401, {"Content-Type": "application/json"}, _errors((None, message))
        payload = request.json()
        problems = _problems(payload)
        if problems:
            return 400, {"Content-Type": "application/json"}, _errors(*problems)
        message_id = secrets.token_urlsafe(16)
        emails = [
            SentEmail(
                message_id, recipient["email"], payload["from"]["email"], payload["subject"],
                (payload.get("categories") or [""])[0], payload["content"][0]["value"],
                (payload.get("custom_args") or {}).get("reference", ""),
            )
            for personalization in payload["personalizations"]
            for recipient in personalization["to"]
        ]
        with self._lock:
            self.sent.extend(emails)
        return 202, {"X-Message-Id": message_id}, ""


def _problems(payload) -> list[tuple[str, str]]:
    """What SendGrid would refuse with 400, for the fields the shop sends."""
    if not isinstance(payload, dict):
        return [("", "Bad Request: the request body is not JSON")]
    problems = []
    personalizations = payload.get("personalizations")
    if not personalizations or not all(p.get("to") and all("@" in t.get("email", "") for t in p["to"])
                                       for p in personalizations):
        problems.append(("personalizations", "The personalizations field is required and must have at least one "
                                             "personalization with a valid to address."))
    if not (payload.get("from") or {}).get("email"):
        problems.append(("from", "The from object must be provided for every email send."))
    if not payload.get("subject"):
        problems.append(("subject", "The subject is required."))
    content = payload.get("content")
    if not content or not all(c.get("type") and c.get("value") for c in content):
        problems.append(("content", "Unless a valid template_id is provided, the content parameter is required."))
    return problems
