"""Payments left waiting at a slow provider, and what the rest of the shop does meanwhile.

Each payment runs on its own thread and client, and stays under way until the fake provider is told to
answer; meanwhile a scenario browses the catalogue and looks at the shop's database sessions (as
PostgreSQL itself reports them, so it holds whether the shop runs in this process or another one).
"""
from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field

from support import polling
from support.fakes.payment_provider import PaymentProviderFake
from support.wires.api_client import Reply, ShopApi
from support.wires.database import DatabaseInspector
from support.words import in_words, one_per_line

# The shop's own background work names its database sessions so (shop/bootstrap.py). Each opens short
# transactions of its own on a clock (the document uploader every 100 ms in the suite), which a busy
# machine can catch between a statement and its COMMIT: not a web request holding one across a call.
OTHER_SHOP_SESSIONS = ("shop relay", "shop worker", "shop documents", "shop expiry")
USUAL_SAMPLES = 5


@dataclass(frozen=True)
class Payer:
    name: str
    token: str
    order_id: str
    card: str


@dataclass
class PaymentsUnderWay:
    """Payments sent together and not yet answered; `finish` waits for their answers."""

    payers: list[Payer]
    replies: dict[str, Reply] = field(default_factory=dict)
    failures: list[BaseException] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)

    def finish(self) -> dict[str, Reply]:
        for thread in self._threads:
            thread.join(timeout=polling.scaled(30))
        missing = [p.name for p in self.payers if p.name not in self.replies]
        assert not missing and not self.failures, (
            f"expected every payer to get an answer; no answer for {in_words(missing)}, "
            f"errors:{one_per_line((f'{type(e).__name__}: {e}' for e in self.failures), most=3)}")
        return self.replies


def start_payments(api: ShopApi, payers: list[Payer], fake: PaymentProviderFake) -> PaymentsUnderWay:
    """Send every payment at once and return when each is waiting at the provider."""
    under_way = PaymentsUnderWay(payers)
    start = threading.Barrier(len(payers))

    def pay(payer: Payer) -> None:
        client = api.fork()
        try:
            start.wait(timeout=polling.scaled(30))
            under_way.replies[payer.name] = client.pay_order(payer.token, payer.order_id, payer.card)
        except BaseException as error:  # noqa: BLE001 - reported by finish()
            under_way.failures.append(error)
        finally:
            client.close()

    for payer in payers:
        thread = threading.Thread(target=pay, args=(payer,), name=f"payment-{payer.name}", daemon=True)
        under_way._threads.append(thread)
        thread.start()
    polling.eventually(lambda: _expect_waiting(fake, len(payers), under_way), timeout=10,
                       description=f"{len(payers)} payments waiting at the payment provider")
    return under_way


def _expect_waiting(fake: PaymentProviderFake, count: int, under_way: PaymentsUnderWay) -> None:
    assert not under_way.replies, (
        f"a payment was answered before the provider answered: "
        f"{in_words([f'{name}: {reply.describe()}' for name, reply in under_way.replies.items()])}")
    assert fake.answers_held == count, f"{fake.answers_held} of {count} payments are waiting at the provider"


@dataclass(frozen=True)
class CatalogueTiming:
    usual_seconds: list[float]
    during_seconds: float
    reply: Reply
    # How many payments were still waiting at the provider when the catalogue answered.
    payments_still_waiting: int

    def describe(self) -> str:
        usual = statistics.median(self.usual_seconds)
        return (f"catalogue answered in {self.during_seconds * 1000:.1f} ms while the payments waited; usually "
                f"{usual * 1000:.1f} ms (median of {len(self.usual_seconds)}: "
                f"{', '.join(f'{s * 1000:.1f}' for s in self.usual_seconds)} ms)")


def usual_catalogue_times(api: ShopApi, token: str) -> list[float]:
    """How long browsing the catalogue takes with nothing else going on (the first, cache-filling, aside)."""
    _browse(api, token)
    return [_browse(api, token)[0] for _ in range(USUAL_SAMPLES)]


def browse_while_waiting(api: ShopApi, token: str, usual: list[float], fake: PaymentProviderFake,
                         waiting: int) -> CatalogueTiming:
    """Browse once, timed, noting how many payments were still waiting when the answer came."""
    seconds, reply = _browse(api, token)
    return CatalogueTiming(usual, seconds, reply, fake.answers_held)


def expect_answered_first(timing: CatalogueTiming, waiting: int) -> None:
    assert timing.payments_still_waiting == waiting, (
        f"expected the catalogue to answer while all {waiting} payments still waited at the provider; "
        f"{timing.payments_still_waiting} were still waiting when it answered ({timing.describe()})")


def expect_each_paid(replies: dict[str, Reply], orders: dict[str, str], fake: PaymentProviderFake,
                     db: DatabaseInspector) -> None:
    """Each payer told their order is paid, the order stored as paid, and one charge for it at the provider."""
    for person, order_id in orders.items():
        reply = replies[person]
        stored = db.one("SELECT o.status, p.provider_charge_id FROM orders o LEFT JOIN payments p"
                        " ON p.order_id = o.id WHERE o.id = %s", (order_id,))
        charges = [c.id for c in fake.charges_for([order_id])]
        seen = (reply.status, stored["status"] in ("paid", "shipped"), charges == [stored["provider_charge_id"]])
        assert seen == (200, True, True), (
            f"expected {person} told the order is paid, the order paid and charged once; the shop answered "
            f"{reply.describe()}, stored {in_words(stored)}, the provider holds charges {in_words(charges)}")


def _browse(api: ShopApi, token: str) -> tuple[float, Reply]:
    started = time.perf_counter()
    reply = api.browse_products(token)
    elapsed = time.perf_counter() - started
    assert reply.status == 200, f"expected the catalogue, the shop answered {reply.describe()}"
    return elapsed, reply


def expect_no_transactions_held(db: DatabaseInspector) -> None:
    """No session holds a row lock on orders (FOR UPDATE, an update: a plain read does not count), and none
    of the shop's web sessions sits in an open transaction waiting for its client (the shop's worker and
    relay name their sessions, and are left aside)."""
    sessions = db.rows(
        "SELECT a.pid, a.application_name, a.state, now() - a.xact_start AS open_for,"
        " left(a.query, 120) AS last_statement FROM pg_stat_activity a"
        " WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND ("
        "  a.state LIKE 'idle in transaction%%' AND a.application_name NOT IN %s"
        "  OR EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
        "             WHERE l.pid = a.pid AND c.relname = 'orders' AND l.mode <> 'AccessShareLock'))",
        (OTHER_SHOP_SESSIONS,),
    )
    assert not sessions, (
        f"expected the shop to hold no database transaction and no lock on orders while the payments waited for "
        f"the provider; {len(sessions)} session(s) did:{one_per_line(sessions)}")
