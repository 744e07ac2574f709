"""Running the shop's own housekeeping command that expires unpaid orders, with a setting of the
scenario's choosing (`python -m shop expire-orders`, a process of its own, as an operator's cron would)."""
from __future__ import annotations

from collections.abc import Callable

from support.polling import eventually


def expire_unpaid_orders(shop, unpaid_for_seconds: float, until: Callable[[], None]) -> str:
    """Run the command (with the shop under test's own environment), again and again, until `until` stops
    failing (the orders had to grow old enough first); what the last run printed."""
    printed: list[str] = []

    def run_and_check() -> None:
        done = shop.run_command(["expire-orders"], {"SHOP_UNPAID_ORDER_TTL_SECONDS": str(unpaid_for_seconds)})
        printed.append(done.stdout.strip())
        assert done.returncode == 0, (
            f"the shop's expire-orders command failed ({done.returncode}): {done.stderr[-800:]}")
        until()

    eventually(run_and_check, timeout=30, interval=0.2,
               description=f"unpaid orders to expire after {unpaid_for_seconds:g}s")
    return printed[-1]
