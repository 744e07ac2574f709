"""Running the shop's own housekeeping command that expires unpaid orders, with a setting of the
scenario's choosing (`python -m shop expire-orders`, a process of its own, as an operator's cron would)."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

from shop.config import Settings
from support.polling import eventually


def expire_unpaid_orders(settings: Settings, unpaid_for_seconds: float, until: Callable[[], None]) -> str:
    """Run the command, again and again, until `until` stops failing (the orders had to grow old enough
    first); what the last run printed."""
    env = {
        **os.environ, "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url,
        "RABBITMQ_URL": settings.rabbitmq_url, "SHOP_KEY_PREFIX": settings.key_prefix,
        "SHOP_AMQP_NAMESPACE": settings.amqp_namespace, "PAYMENTS_API_BASE": settings.payments_api_base,
        "PAYMENTS_API_KEY": settings.payments_api_key, "SHOP_UNPAID_ORDER_TTL_SECONDS": str(unpaid_for_seconds),
        "SHOP_BCRYPT_ROUNDS": "4",
    }
    printed: list[str] = []

    def run_and_check() -> None:
        done = subprocess.run([sys.executable, "-m", "shop", "expire-orders"], env=env, capture_output=True,
                              text=True, timeout=60)
        printed.append(done.stdout.strip())
        assert done.returncode == 0, (
            f"the shop's expire-orders command failed ({done.returncode}): {done.stderr[-800:]}")
        until()

    eventually(run_and_check, timeout=30, interval=0.2,
               description=f"unpaid orders to expire after {unpaid_for_seconds:g}s")
    return printed[-1]
