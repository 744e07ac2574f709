"""The shop's settings, read from environment variables with defaults that work on a developer machine."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass


class ConfigError(ValueError):
    """A setting has a value the shop cannot use."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str = "postgresql://postgres@127.0.0.1:5432/shop"
    redis_url: str = "redis://127.0.0.1:6379/0"
    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/%2F"
    # Every Redis key and every exchange/queue name starts with these, so the shop can share servers.
    key_prefix: str = "shop:"
    amqp_namespace: str = "shop"
    jwt_secret: str = "development-only-signing-secret-change-me"
    # Signs the storefront's session cookie (the customer's pass and basket); keep it apart from jwt_secret.
    session_secret: str = "development-only-session-secret-change-me"
    token_ttl_seconds: int = 3600
    # bcrypt's cost; 12 in production. Test runs lower it: the hash is just as real, only cheaper.
    bcrypt_rounds: int = 12
    db_pool_size: int = 20
    # How long a request may wait for a free database connection before it is answered 503 (busy).
    db_pool_wait_seconds: float = 5.0
    max_failed_sign_ins: int = 5  # per account and client address
    max_failed_sign_ins_per_address: int = 20  # per client address, on any accounts
    # How many proxies in front of the shop append to X-Forwarded-For; the client's address is taken from
    # the one the nearest trusted proxy added. 0: the connection's own address (no header is believed).
    trusted_proxy_hops: int = 0
    sign_in_lockout_seconds: int = 900
    # How long a catalogue listing may be served from Redis; any product change forgets it sooner.
    catalogue_ttl_seconds: int = 300
    # Orders left unpaid this long expire and give their stock back; the web server looks every interval.
    unpaid_order_ttl_seconds: float = 1800.0
    expiry_interval_seconds: float = 60.0
    # Redis answers in well under a millisecond; a command waiting longer than this counts as a frozen
    # cache, which opens the breaker: Redis is then left alone for `cache_retry_seconds` (shop/cache_guard.py).
    # Keep it well above the slowest answer a healthy Redis gives on a busy host, or a busy host alone
    # opens the breaker (and every request goes to the database until Redis is tried again).
    cache_timeout_seconds: float = 0.25
    cache_retry_seconds: float = 5.0
    # The email provider (SendGrid-compatible). Without a real key, emails wait in the outbox.
    email_api_base: str = "https://api.sendgrid.com"
    email_api_key: str = ""
    email_from: str = "shop@example.com"
    email_read_timeout_seconds: int = 10
    # The card-payment provider (Stripe-compatible). Every call has connect and read timeouts; a call
    # that fails to connect, times out or gets a 5xx is tried again, up to `payments_max_retries` more
    # times, waiting `payments_retry_backoff_seconds` (doubling) between tries.
    payments_api_base: str = "https://api.stripe.com"
    payments_api_key: str = ""
    payments_currency: str = "usd"
    payments_connect_timeout_seconds: float = 3.05
    payments_read_timeout_seconds: float = 10.0
    payments_max_retries: int = 2
    payments_retry_backoff_seconds: float = 0.5
    # Order events: the delay before each retry (the last repeats), attempts before the parking lot,
    # how many unacknowledged messages the worker holds, how often the relay looks without a nudge, and
    # how long the worker waits before connecting again after it lost the broker.
    retry_delays_ms: tuple[int, ...] = (1000, 5000, 30000)
    max_delivery_attempts: int = 5
    worker_prefetch: int = 10
    relay_idle_ms: int = 1000
    worker_reconnect_ms: int = 1000
    # Where the worker answers "am I consuming, am I busy" over HTTP (GET /health): -1 off, 0 any free port.
    worker_health_port: int = -1
    # A request body larger than this is refused (413) before any of it is read.
    max_request_bytes: int = 1_048_576
    # Order documents (receipts) in S3-compatible storage (shop/documents.py). No endpoint means AWS
    # itself; no keys means boto3's own search (instance role, ~/.aws). Links to a document expire
    # after `document_link_ttl_seconds`; a document storage did not take is tried again every
    # `document_retry_ms`.
    s3_endpoint_url: str = ""
    s3_bucket: str = "shop-documents"
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    document_link_ttl_seconds: int = 300
    document_retry_ms: int = 5000
    host: str = "127.0.0.1"
    port: int = 8000
    # How many processes `serve` answers from: 1 is one threaded process; more use every core (about one
    # per core), gunicorn's master and workers (shop/processes.py).
    web_processes: int = 1

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        d = cls()
        rounds = _int(env, "SHOP_BCRYPT_ROUNDS", d.bcrypt_rounds, minimum=4)
        if rounds > 31:
            raise ConfigError(f"SHOP_BCRYPT_ROUNDS must be between 4 and 31, got {rounds}")
        return cls(
            database_url=env.get("DATABASE_URL", d.database_url),
            redis_url=env.get("REDIS_URL", d.redis_url),
            rabbitmq_url=env.get("RABBITMQ_URL", d.rabbitmq_url),
            key_prefix=env.get("SHOP_KEY_PREFIX", d.key_prefix),
            amqp_namespace=env.get("SHOP_AMQP_NAMESPACE", d.amqp_namespace),
            jwt_secret=env.get("SHOP_JWT_SECRET", d.jwt_secret),
            session_secret=env.get("SHOP_SESSION_SECRET", d.session_secret),
            token_ttl_seconds=_int(env, "SHOP_TOKEN_TTL_SECONDS", d.token_ttl_seconds, minimum=1),
            bcrypt_rounds=rounds,
            db_pool_size=_int(env, "SHOP_DB_POOL_SIZE", d.db_pool_size, minimum=1),
            db_pool_wait_seconds=_seconds(env, "SHOP_DB_POOL_WAIT_SECONDS", d.db_pool_wait_seconds, minimum=0.01),
            max_failed_sign_ins=_int(env, "SHOP_MAX_FAILED_SIGN_INS", d.max_failed_sign_ins, minimum=1),
            max_failed_sign_ins_per_address=_int(
                env, "SHOP_MAX_FAILED_SIGN_INS_PER_ADDRESS", d.max_failed_sign_ins_per_address, minimum=1),
            trusted_proxy_hops=_int(env, "SHOP_TRUSTED_PROXY_HOPS", d.trusted_proxy_hops),
            sign_in_lockout_seconds=_int(env, "SHOP_SIGN_IN_LOCKOUT_SECONDS", d.sign_in_lockout_seconds, 1),
            catalogue_ttl_seconds=_int(env, "SHOP_CATALOGUE_TTL_SECONDS", d.catalogue_ttl_seconds, minimum=1),
            unpaid_order_ttl_seconds=_seconds(
                env, "SHOP_UNPAID_ORDER_TTL_SECONDS", d.unpaid_order_ttl_seconds, minimum=1),
            expiry_interval_seconds=_seconds(
                env, "SHOP_EXPIRY_INTERVAL_SECONDS", d.expiry_interval_seconds, minimum=0.1),
            cache_timeout_seconds=_seconds(env, "SHOP_CACHE_TIMEOUT_SECONDS", d.cache_timeout_seconds, minimum=0.01),
            cache_retry_seconds=_seconds(env, "SHOP_CACHE_RETRY_SECONDS", d.cache_retry_seconds, minimum=0.1),
            email_api_base=env.get("EMAIL_API_BASE", d.email_api_base),
            email_api_key=env.get("EMAIL_API_KEY", d.email_api_key),
            email_from=env.get("EMAIL_FROM", d.email_from),
            email_read_timeout_seconds=_int(env, "EMAIL_READ_TIMEOUT_SECONDS", d.email_read_timeout_seconds, 1),
            payments_api_base=env.get("PAYMENTS_API_BASE", d.payments_api_base),
            payments_api_key=env.get("PAYMENTS_API_KEY", d.payments_api_key),
            payments_currency=_currency(env, "PAYMENTS_CURRENCY", d.payments_currency),
            payments_connect_timeout_seconds=_seconds(
                env, "PAYMENTS_CONNECT_TIMEOUT_SECONDS", d.payments_connect_timeout_seconds, minimum=0.1),
            payments_read_timeout_seconds=_seconds(
                env, "PAYMENTS_READ_TIMEOUT_SECONDS", d.payments_read_timeout_seconds, minimum=0.1),
            payments_max_retries=_int(env, "PAYMENTS_MAX_RETRIES", d.payments_max_retries),
            payments_retry_backoff_seconds=_seconds(
                env, "PAYMENTS_RETRY_BACKOFF_SECONDS", d.payments_retry_backoff_seconds),
            retry_delays_ms=_delays(env, "SHOP_RETRY_DELAYS_MS", d.retry_delays_ms),
            max_delivery_attempts=_int(env, "SHOP_MAX_DELIVERY_ATTEMPTS", d.max_delivery_attempts, minimum=1),
            worker_prefetch=_int(env, "SHOP_WORKER_PREFETCH", d.worker_prefetch, minimum=1),
            relay_idle_ms=_int(env, "SHOP_RELAY_IDLE_MS", d.relay_idle_ms, minimum=10),
            worker_reconnect_ms=_int(env, "SHOP_WORKER_RECONNECT_MS", d.worker_reconnect_ms, minimum=10),
            worker_health_port=_int(env, "SHOP_WORKER_HEALTH_PORT", d.worker_health_port),
            max_request_bytes=_int(env, "SHOP_MAX_REQUEST_BYTES", d.max_request_bytes, minimum=1024),
            s3_endpoint_url=env.get("S3_ENDPOINT_URL", d.s3_endpoint_url),
            s3_bucket=_bucket(env, "S3_BUCKET", d.s3_bucket),
            s3_region=env.get("AWS_DEFAULT_REGION") or env.get("AWS_REGION") or d.s3_region,
            s3_access_key_id=env.get("AWS_ACCESS_KEY_ID", d.s3_access_key_id),
            s3_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY", d.s3_secret_access_key),
            document_link_ttl_seconds=_int(
                env, "SHOP_DOCUMENT_LINK_TTL_SECONDS", d.document_link_ttl_seconds, minimum=1),
            document_retry_ms=_int(env, "SHOP_DOCUMENT_RETRY_MS", d.document_retry_ms, minimum=10),
            host=env.get("SHOP_HOST", d.host),
            port=_int(env, "SHOP_PORT", d.port),
            web_processes=_int(env, "SHOP_WEB_PROCESSES", d.web_processes, minimum=1),
        )


def _seconds(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not value >= minimum:  # also refuses nan
        raise ConfigError(f"{name} must be at least {minimum:g} seconds, got {raw!r}")
    return value


def _currency(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name) or default
    if len(value) != 3 or not value.isascii() or not value.isalpha():
        raise ConfigError(f"{name} must be a three-letter ISO currency code such as usd, got {value!r}")
    return value.lower()


def _bucket(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name) or default
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", value):
        raise ConfigError(f"{name} must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens; "
                          f"got {value!r}")
    return value


def _delays(env: Mapping[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    raw = env.get(name)
    if not raw:
        return default
    try:
        delays = tuple(int(part) for part in raw.split(","))
    except ValueError:
        raise ConfigError(f"{name} must be comma-separated milliseconds, e.g. 1000,5000,30000; got {raw!r}") from None
    if not delays or min(delays) < 1:
        raise ConfigError(f"{name} must list at least one delay, each at least 1 ms; got {raw!r}")
    return delays
