"""Fakes of the shop's third-party providers, in front of which the shop's outgoing calls arrive.

`ProviderFakes` is what a scenario gets: one fake per provider (email, payments; listed in `_all()`)
and the switchboard that routes to them, attached to the run's front for the scenario and detached
after it, so each scenario begins with fakes that are up and have seen nothing. The front is
`InProcessFront` (on `responses`) for a shop in this process, `HttpFront` for one in other processes.
"""
from __future__ import annotations

from support.fakes.boundary import InProcessFront, Switchboard
from support.fakes.email_provider import EMAIL_API_BASE, EmailProviderFake
from support.fakes.http_front import HttpFront
from support.fakes.payment_provider import PAYMENTS_API_BASE, PaymentProviderFake

Front = InProcessFront | HttpFront


def in_process_front(shop_url: str) -> InProcessFront:
    """The front for a shop in this process: only the shop itself is reached for real (its URL ends the
    prefix, so no other port matches). The Docker engine's API, which the `docker` package speaks over
    `requests` on a Unix socket, is the suite's own lever for restarting servers, never a call of the shop's."""
    return InProcessFront([shop_url.rstrip("/") + "/", "http+docker://"], EMAIL_API_BASE, PAYMENTS_API_BASE)


class ProviderFakes:
    def __init__(self, front: Front | str):
        self._front = in_process_front(front) if isinstance(front, str) else front
        self.email = EmailProviderFake(self._front.email_base)
        self.payments = PaymentProviderFake(self._front.payments_base)
        self.switchboard = Switchboard(self._all())

    def _all(self) -> list:
        return [self.email, self.payments]

    def start(self) -> ProviderFakes:
        self._front.attach(self.switchboard)
        return self

    def stop(self) -> None:
        self._front.detach()

    def call_log(self) -> str:
        return self.switchboard.call_log()

    def expect_no_unexpected_calls(self) -> None:
        self.switchboard.expect_no_unexpected_calls()

    def expect_scripts_used(self) -> None:
        """Fail if a fake was told to misbehave a number of times the shop never gave it the chance to."""
        unused = [line for fake in self._all() for line in getattr(fake, "unused_script", list)()]
        if unused:
            raise AssertionError("the scenario set up provider troubles the shop never met:\n  " + "\n  ".join(unused))
