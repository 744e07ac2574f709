"""The suite's settings: `-D name=value` on the behave command line, else the NAME environment variable.

Every setting has a default that works on a developer machine with the standard local services.
"""
from __future__ import annotations

import os
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from urllib.parse import urlsplit, urlunsplit

STACK_MODES = ("auto", "external", "docker", "local")
SHOP_MODES = ("inprocess", "process", "container", "url")
# One name segment and one colon: the reset deletes `prefix*`, so a prefix may not contain another
# run's prefix ("a:" would wipe "a:w1:"); workers derive "name.w1:", which "name:*" never matches.
_KEY_PREFIX = re.compile(r"^[A-Za-z0-9_.-]+:$")
_SHARD = re.compile(r"^(\d+)/(\d+)$")


class SettingsError(ValueError):
    pass


# The browser the @ui scenarios drive, lightest first: Debian's `chromium-headless-shell` (the old headless
# shell, the one Playwright itself drives by default for headless runs) takes about a third of the CPU of
# the full `chromium` in its new headless mode, which runs the whole browser without a screen.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")


def default_chromium(candidates: tuple[str, ...] = CHROMIUM_CANDIDATES) -> str:
    """The first candidate that is installed, else the last (whose absence the @ui skip reason names)."""
    return next((path for path in candidates if os.access(path, os.X_OK)), candidates[-1])


@dataclass(frozen=True)
class SuiteSettings:
    stack: str = "auto"
    # How the shop under test runs: in this process, as its own processes, as the compose file's `app` and
    # `worker` containers (with stack=docker), or already running at shop_url.
    shop: str = "inprocess"
    shop_url: str = ""
    # How many processes the shop's web server answers from when the suite starts it (process and container
    # modes; SHOP_WEB_PROCESSES): 1, one threaded process, is what the scenarios are written against;
    # more is how a machine with several cores deploys it (make bench's load runs one per core).
    shop_processes: int = 1
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
    # How long the shop under test waits for a Redis answer before it counts its cache frozen and opens the
    # breaker (scaled by timeout_multiplier; production: 0.25). Its Redis link is a relay in the suite's
    # process (in-process, so is the shop): on a busy machine a healthy answer took over half a second, and a
    # breaker opened by a busy machine sends every listing to the database for cache_retry_seconds.
    cache_timeout_seconds: float = 2.0
    # How long the shop under test leaves a cache that timed out alone before trying it again.
    cache_retry_seconds: float = 3.0
    jwt_secret: str = "acceptance-suite-signing-secret-not-for-production"
    # No hang, ever: a step, or a scenario's setup or teardown, that takes longer fails (scaled by
    # timeout_multiplier) naming what it waited for, with the shop's threads; the run goes on.
    step_timeout: float = 30.0
    # Stop the run once this many scenarios in a row failed for the same cause (0: never). Unset, it is
    # 5 when the CI environment variable is true, else 0.
    stop_after_same_failures: int = -1
    # Generated requests per operation, pass and kind (fitting the description, breaking it) in the
    # @fuzz scenarios: small in `make test`, large in `make fuzz` (features/fuzzing.feature).
    fuzz_cases: int = 2
    # The Chromium the @ui scenarios drive: Debian's `chromium-headless-shell` when installed, else its
    # `chromium` (see CHROMIUM_CANDIDATES); without either they are skipped, saying why.
    chromium: str = field(default_factory=default_chromium)
    # A failed scenario runs again this many times (from an empty world); one that then passes is
    # reported flaky, never plain green (support/reports/outcomes.py). 0 locally; .ci/run sets 1.
    retries: int = 0
    # Object storage for order documents: empty starts moto's S3 server for the run; else an S3-compatible
    # endpoint (MinIO, say) and its keys (MinIO's defaults here). The bucket defaults to one named after
    # amqp_namespace, so runs sharing a storage server keep apart.
    s3_endpoint_url: str = ""
    s3_bucket: str = ""
    s3_access_key: str = "minioadmin"
    s3_secret_key: str = "minioadmin"
    # How long the shop's links to a document work: short, so a scenario can see one expire.
    document_link_ttl_seconds: int = 2
    # Parallel runs: this process's worker number (set by `make acceptance WORKERS=n` or behavex);
    # each worker gets its own database, Redis keys and broker names derived from it.
    worker_id: str = ""
    # Shards across machines: "k/n" runs the k-th of n shares of the scenarios, balanced by the
    # durations recorded in support/shard_timings.json (`make timings` refreshes them).
    shard: str = ""
    # Workers on one machine: a folder the workers of one run share; each scenario runs in the first
    # worker that reaches it and claims it there (`make acceptance WORKERS=n` sets it).
    claims: str = ""
    # The @load scenario's budget: 95 % of the catalogue answers within this many milliseconds
    # (multiplied by timeout_multiplier, like every wait of the suite).
    load_p95_ms: float = 2500.0
    # Where to write each scenario's duration after the run (`make timings` writes the shard file).
    record_timings: str = ""

    @classmethod
    def from_sources(cls, userdata: Mapping[str, str], environ: Mapping[str, str] | None = None) -> SuiteSettings:
        environ = os.environ if environ is None else environ
        values = {}
        for setting in fields(cls):
            raw = userdata.get(setting.name, environ.get(setting.name.upper()))
            if raw is None or raw == "":
                continue
            values[setting.name] = _convert(setting.name, raw, setting.type)
        if values.get("stop_after_same_failures", -1) < 0:
            values["stop_after_same_failures"] = 5 if environ.get("CI", "").lower() in ("true", "1") else 0
        if "seed" not in values:
            values["seed"] = random.randrange(1, 1_000_000)
        settings = cls(**values)
        settings.validate()
        return settings.for_worker()

    def for_worker(self) -> SuiteSettings:
        """The names of this worker's own world: `shop_acceptance_w1`, `shop-acceptance.w1:`, ...

        Derived names cannot nest: the key prefix gains a segment before its colon, not after it.
        """
        if not self.worker_id:
            return self
        suffix = f"w{self.worker_id}"
        url = urlsplit(self.database_url)
        database_url = urlunsplit(url._replace(path=f"{url.path.rstrip('/')}_{suffix}"))
        return replace(
            self, database_url=database_url, key_prefix=f"{self.key_prefix[:-1]}.{suffix}:",
            amqp_namespace=f"{self.amqp_namespace}.{suffix}", worker_id="",
            s3_bucket=f"{self.s3_bucket}-{suffix}" if self.s3_bucket else "",  # else named after the namespace
        )

    @property
    def shard_share(self) -> tuple[int, int] | None:
        """(k, n) for `shard=k/n`, else None."""
        match = _SHARD.match(self.shard)
        return (int(match[1]), int(match[2])) if match else None

    def validate(self) -> None:
        if self.stack not in STACK_MODES:
            raise SettingsError(f"stack must be one of {', '.join(STACK_MODES)}; got {self.stack!r}")
        if self.shop not in SHOP_MODES:
            raise SettingsError(f"shop must be one of {', '.join(SHOP_MODES)}; got {self.shop!r}")
        if self.shop == "container" and self.stack not in ("docker", "auto"):
            raise SettingsError(f"shop=container runs the shop's containers beside the servers' in the run's compose "
                                f"project, so it needs stack=docker; got stack={self.stack}")
        if self.shop == "url" and not self.shop_url:
            raise SettingsError("shop=url needs the shop's address in shop_url (-D shop_url=... or SHOP_URL), "
                                "e.g. http://127.0.0.1:8000; the README shows how to start the shop by hand")
        if self.shop == "url" and not self.fakes_port:
            raise SettingsError("shop=url needs fakes_port (-D fakes_port=... or FAKES_PORT): the port that shop's "
                                "EMAIL_API_BASE and PAYMENTS_API_BASE point at, where the suite serves its fakes")
        if self.shop_processes < 1:
            raise SettingsError(f"shop_processes must be at least 1; got {self.shop_processes}")
        if self.shop_processes > 1 and self.shop not in ("process", "container"):
            raise SettingsError(f"shop_processes={self.shop_processes} needs a shop the suite starts as its own "
                                f"processes (shop=process or shop=container); shop={self.shop} "
                                + ("runs in the suite's own process" if self.shop == "inprocess"
                                   else "was started by someone else, with SHOP_WEB_PROCESSES of their choosing"))
        if self.fuzz_cases < 1:
            raise SettingsError(f"fuzz_cases must be at least 1; got {self.fuzz_cases}")
        if self.order not in ("defined", "random"):
            raise SettingsError(f"order must be defined or random; got {self.order!r}")
        if self.timeout_multiplier <= 0:
            raise SettingsError(f"timeout_multiplier must be positive; got {self.timeout_multiplier}")
        if self.step_timeout <= 0:
            raise SettingsError(f"step_timeout must be a positive number of seconds; got {self.step_timeout}")
        if not 0 <= self.retries <= 3:
            raise SettingsError(f"retries must be between 0 and 3; got {self.retries}")
        if not 4 <= self.bcrypt_rounds <= 31:
            raise SettingsError(f"bcrypt_rounds must be between 4 and 31; got {self.bcrypt_rounds}")
        if self.document_link_ttl_seconds < 1:
            raise SettingsError(f"document_link_ttl_seconds must be at least 1; got {self.document_link_ttl_seconds}")
        if not _KEY_PREFIX.match(self.key_prefix):
            raise SettingsError(
                f"key_prefix must be one name and a colon, like shop-acceptance: (letters, digits, . _ -), "
                f"so no run's keys can fall under another's prefix; got {self.key_prefix!r}"
            )
        if self.worker_id and not self.worker_id.isdigit():
            raise SettingsError(f"worker_id must be a whole number; got {self.worker_id!r}")
        if self.shard and self.claims:
            raise SettingsError("shard and claims both share out the scenarios; set one: shard=k/n for machines "
                                "that cannot see each other, claims=<folder> for workers that share a folder")
        if self.shard:
            share = _SHARD.match(self.shard)
            if not share or not 1 <= int(share[1]) <= int(share[2]):
                raise SettingsError(f"shard must be k/n with 1 <= k <= n, like 2/4; got {self.shard!r}")

    def provisioning_env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url, "RABBITMQ_URL": self.rabbitmq_url}


def _convert(name: str, raw: str, kind) -> object:
    kind = {"int": int, "float": float, "str": str}.get(kind if isinstance(kind, str) else kind.__name__, str)
    try:
        return kind(raw)
    except ValueError:
        raise SettingsError(f"setting {name} must be a {kind.__name__}; got {raw!r}") from None
