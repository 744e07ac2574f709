"""The suite's settings: `-D name=value` on the behave command line, else the NAME environment variable.

Every setting has a default that works on a developer machine with the standard local services.
"""
from __future__ import annotations

import os
import random
from collections.abc import Mapping
from dataclasses import dataclass, fields

STACK_MODES = ("auto", "external", "docker", "local")
SHOP_MODES = ("inprocess", "process", "url")


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class SuiteSettings:
    stack: str = "auto"
    # How the shop under test runs: in this process, as its own processes, or already running at shop_url.
    shop: str = "inprocess"
    shop_url: str = ""
    # The loopback port of the provider fakes over HTTP (process and url modes); 0: any free port. A shop
    # started by hand (url mode) must have been given this port in EMAIL_API_BASE and PAYMENTS_API_BASE.
    fakes_port: int = 0
    database_url: str = "postgresql://postgres@127.0.0.1:5432/shop_acceptance"
    redis_url: str = "redis://127.0.0.1:6379/11"
    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/%2F"
    # Multiplies every wait of the suite; raise it on a slow machine (e.g. -D timeout_multiplier=3).
    timeout_multiplier: float = 1.0
    # Names of the suite's Redis keys and broker objects, so it can share servers with other work.
    key_prefix: str = "shop-acceptance:"
    amqp_namespace: str = "shop-acceptance"
    # Seeds the data builders; printed at the start so a run's data can be reproduced.
    seed: int = 0
    # "defined" runs in file order; "random" shuffles features and scenarios (by `seed`).
    order: str = "defined"
    # Order events in the shop under test: short retry delays so retried messages come back quickly.
    retry_delays_ms: str = "50,100,200"
    max_delivery_attempts: int = 4
    # bcrypt's cost in the shop under test: real hashes, cheaper than production's 12.
    bcrypt_rounds: int = 4
    jwt_secret: str = "acceptance-suite-signing-secret-not-for-production"

    @classmethod
    def from_sources(cls, userdata: Mapping[str, str], environ: Mapping[str, str] | None = None) -> SuiteSettings:
        environ = os.environ if environ is None else environ
        values = {}
        for field in fields(cls):
            raw = userdata.get(field.name, environ.get(field.name.upper()))
            if raw is None or raw == "":
                continue
            values[field.name] = _convert(field.name, raw, field.type)
        if "seed" not in values:
            values["seed"] = random.randrange(1, 1_000_000)
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.stack not in STACK_MODES:
            raise SettingsError(f"stack must be one of {', '.join(STACK_MODES)}; got {self.stack!r}")
        if self.shop not in SHOP_MODES:
            raise SettingsError(f"shop must be one of {', '.join(SHOP_MODES)}; got {self.shop!r}")
        if self.shop == "url" and not self.shop_url:
            raise SettingsError("shop=url needs the shop's address in shop_url (-D shop_url=... or SHOP_URL), "
                                "e.g. http://127.0.0.1:8000; the README shows how to start the shop by hand")
        if self.shop == "url" and not self.fakes_port:
            raise SettingsError("shop=url needs fakes_port (-D fakes_port=... or FAKES_PORT): the port that shop's "
                                "EMAIL_API_BASE and PAYMENTS_API_BASE point at, where the suite serves its fakes")
        if self.order not in ("defined", "random"):
            raise SettingsError(f"order must be defined or random; got {self.order!r}")
        if self.timeout_multiplier <= 0:
            raise SettingsError(f"timeout_multiplier must be positive; got {self.timeout_multiplier}")
        if not 4 <= self.bcrypt_rounds <= 31:
            raise SettingsError(f"bcrypt_rounds must be between 4 and 31; got {self.bcrypt_rounds}")

    def provisioning_env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url, "RABBITMQ_URL": self.rabbitmq_url}


def _convert(name: str, raw: str, kind) -> object:
    kind = {"int": int, "float": float, "str": str}.get(kind if isinstance(kind, str) else kind.__name__, str)
    try:
        return kind(raw)
    except ValueError:
        raise SettingsError(f"setting {name} must be a {kind.__name__}; got {raw!r}") from None
