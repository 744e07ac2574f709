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
    # Object storage for order documents: empty starts moto's S3 server for the run; else an S3-compatible
    # endpoint (MinIO, say) and its keys (MinIO's defaults here). The bucket defaults to one named after
    # amqp_namespace, so runs sharing a storage server keep apart.
    s3_endpoint_url: str = ""
    s3_bucket: str = ""
    s3_access_key: str = "minioadmin"
    s3_secret_key: str = "minioadmin"
    # How long the shop's links to a document work: short, so a scenario can see one expire.
    document_link_ttl_seconds: int = 2

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
        if self.order not in ("defined", "random"):
            raise SettingsError(f"order must be defined or random; got {self.order!r}")
        if self.timeout_multiplier <= 0:
            raise SettingsError(f"timeout_multiplier must be positive; got {self.timeout_multiplier}")
        if not 4 <= self.bcrypt_rounds <= 31:
            raise SettingsError(f"bcrypt_rounds must be between 4 and 31; got {self.bcrypt_rounds}")
        if self.document_link_ttl_seconds < 1:
            raise SettingsError(f"document_link_ttl_seconds must be at least 1; got {self.document_link_ttl_seconds}")

    def provisioning_env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url, "RABBITMQ_URL": self.rabbitmq_url}


def _convert(name: str, raw: str, kind) -> object:
    kind = {"int": int, "float": float, "str": str}.get(kind if isinstance(kind, str) else kind.__name__, str)
    try:
        return kind(raw)
    except ValueError:
        raise SettingsError(f"setting {name} must be a {kind.__name__}; got {raw!r}") from None
