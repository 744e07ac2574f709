"""What the fake payment provider keeps: charges, refunds, every request the shop made, the troubles
it was told to cause, and the answers it remembers by idempotency key (support/fakes/payment_provider.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from support.fakes.boundary import Answer


@dataclass
class FakeCharge:
    id: str
    amount: int
    currency: str
    source: str
    description: str
    metadata: dict[str, str]
    idempotency_key: str
    status: str  # succeeded | failed (declined)
    decline_code: str | None = None
    amount_refunded: int = 0

    def as_json(self) -> dict:
        return {
            "id": self.id, "object": "charge", "amount": self.amount, "amount_refunded": self.amount_refunded,
            "currency": self.currency, "captured": self.status == "succeeded", "paid": self.status == "succeeded",
            "refunded": self.amount_refunded == self.amount, "status": self.status, "description": self.description,
            "metadata": self.metadata, "failure_code": self.decline_code,
            "source": {"id": "card_" + self.source.removeprefix("tok_"), "object": "card", "last4": "4242"},
        }


@dataclass(frozen=True)
class FakeRefund:
    id: str
    charge_id: str
    amount: int
    currency: str
    idempotency_key: str


@dataclass(frozen=True)
class PaymentRequest:
    """One call the shop made, whatever became of it."""

    kind: str  # charge | refund | search
    params: dict[str, str]
    idempotency_key: str
    timeout: object
    outcome: str = ""

    @property
    def order_id(self) -> str | None:
        return self.params.get("metadata[order_id]")


@dataclass
class Script:
    """A trouble the fake was told to cause: `left` more times, or every time when None."""

    what: str
    left: int | None = None

    def use(self) -> bool:
        if self.left is None:
            return True
        if self.left <= 0:
            return False
        self.left -= 1
        return True


@dataclass
class State:
    cards: dict[str, list[str]] = field(default_factory=dict)
    charges: list[FakeCharge] = field(default_factory=list)
    refunds: list[FakeRefund] = field(default_factory=list)
    requests: list[PaymentRequest] = field(default_factory=list)
    declines: dict[str | None, str] = field(default_factory=dict)  # card (None: every card) -> decline code
    troubles: dict[str, Script] = field(default_factory=dict)
    remembered: dict[str, tuple[str, dict, Answer]] = field(default_factory=dict)  # key -> (kind, params, answer)
    failure_status: int = 500
    down: bool = False
    delay: float = 0.0
    in_flight: int = 0
    most_in_flight: int = 0
    holding: bool = False  # charges wait until released
    held: int = 0  # charges waiting right now
