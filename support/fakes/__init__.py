"""Fakes of the shop's third-party providers, and the one boundary all outgoing HTTP passes through.

`ProviderFakes` is what a scenario gets: one fake per provider (email, payments; listed in `_all()`)
behind a `ProviderBoundary` that is started before the scenario and stopped after it, so each
scenario begins with fakes that are up and have seen nothing.
"""
from __future__ import annotations

from support.fakes.boundary import ProviderBoundary
from support.fakes.email_provider import EmailProviderFake
from support.fakes.payment_provider import PaymentProviderFake


class ProviderFakes:
    def __init__(self, shop_url: str):
        self.email = EmailProviderFake()
        self.payments = PaymentProviderFake()
        # Only the shop under test is reached for real; its URL ends the prefix so no other port matches.
        # The Docker engine's API (the `docker` package speaks it over `requests` on a Unix socket) is
        # the suite's own lever for restarting servers, never a call of the shop's.
        self.boundary = ProviderBoundary(passthrough=[shop_url.rstrip("/") + "/", "http+docker://"],
                                         fakes=self._all())

    def _all(self) -> list:
        return [self.email, self.payments]

    def start(self) -> ProviderFakes:
        self.boundary.start()
        return self

    def stop(self) -> None:
        self.boundary.stop()

    def call_log(self) -> str:
        return self.boundary.call_log()

    def expect_no_unexpected_calls(self) -> None:
        self.boundary.expect_no_unexpected_calls()

    def expect_scripts_used(self) -> None:
        """Fail if a fake was told to misbehave a number of times the shop never gave it the chance to."""
        unused = [line for fake in self._all() for line in getattr(fake, "unused_script", list)()]
        if unused:
            raise AssertionError("the scenario set up provider troubles the shop never met:\n  " + "\n  ".join(unused))
