"""Unpaid orders expire: a loop that, every `interval` seconds, expires the orders left unpaid for longer
than the shop's setting and so gives their stock back (the work itself: Payments.expire_unpaid)."""
from __future__ import annotations

import logging
import threading

from shop.payments import Payments

log = logging.getLogger(__name__)


class OrderExpiry:
    def __init__(self, payments: Payments, *, unpaid_for_seconds: float, interval_seconds: float):
        self._payments = payments
        self.unpaid_for = unpaid_for_seconds
        self.interval = interval_seconds
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        return self._payments.expire_unpaid(self.unpaid_for)

    def start_in_background(self) -> OrderExpiry:
        self._thread = threading.Thread(target=self._loop, name="order-expiry", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - a failed round is logged and the next one tries again
                log.exception("expiring unpaid orders failed; trying again in %ss", self.interval)
