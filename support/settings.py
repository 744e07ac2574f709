"""The suite's settings: `-D name=value` on the behave command line, else the NAME environment variable.

Every setting has a default that works on a developer machine with the standard local services.
"""
from __future__ import annotations

import os
import random
from collections.abc import Mapping
from dataclasses import dataclass, fields

STACK_MODES = ("auto", "external", "docker", "local")


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class SuiteSettings:
    stack: str = "auto"
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
    # No hang, ever: a step, or a scenario's setup or teardown, that takes longer fails (scaled by
    # timeout_multiplier) naming what it waited for, with the shop's threads; the run goes on.
    step_timeout: float = 30.0
    # Stop the run once this many scenarios in a row failed for the same cause (0: never). Unset, it is
    # 5 when the CI environment variable is true, else 0.
    stop_after_same_failures: int = -1

    @classmethod
    def from_sources(cls, userdata: Mapping[str, str], environ: Mapping[str, str] | None = None) -> SuiteSettings:
        environ = os.environ if environ is None else environ
        values = {}
        for field in fields(cls):
            raw = userdata.get(field.name, environ.get(field.name.upper()))
            if raw is None or raw == "":
                continue
            values[field.name] = _convert(field.name, raw, field.type)
        if values.get("stop_after_same_failures", -1) < 0:
            values["stop_after_same_failures"] = 5 if environ.get("CI", "").lower() in ("true", "1") else 0
        if "seed" not in values:
            values["seed"] = random.randrange(1, 1_000_000)
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.stack not in STACK_MODES:
            raise SettingsError(f"stack must be one of {', '.join(STACK_MODES)}; got {self.stack!r}")
        if self.order not in ("defined", "random"):
            raise SettingsError(f"order must be defined or random; got {self.order!r}")
        if self.timeout_multiplier <= 0:
            raise SettingsError(f"timeout_multiplier must be positive; got {self.timeout_multiplier}")
        if self.step_timeout <= 0:
            raise SettingsError(f"step_timeout must be a positive number of seconds; got {self.step_timeout}")
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
