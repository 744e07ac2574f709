"""Runs the shop under test in this process, on a free loopback port, against the suite's services."""
from __future__ import annotations

from shop.config import Settings
from shop.migrator import Migrator
from shop.server import ShopServer, start
from support.fakes.email_provider import EMAIL_API_BASE, EMAIL_API_KEY, EMAIL_SENDER
from support.fakes.payment_provider import PAYMENTS_API_BASE, PAYMENTS_API_KEY
from support.servers.object_storage import StorageAccess
from support.servers.stack import Services
from support.settings import SuiteSettings


def shop_settings(suite: SuiteSettings, services: Services, storage: StorageAccess) -> Settings:
    return Settings(
        database_url=services.database_url,
        redis_url=services.redis_url,
        rabbitmq_url=services.rabbitmq_url,
        key_prefix=suite.key_prefix,
        amqp_namespace=suite.amqp_namespace,
        jwt_secret=suite.jwt_secret,
        bcrypt_rounds=suite.bcrypt_rounds,
        retry_delays_ms=tuple(int(ms) for ms in suite.retry_delays_ms.split(",")),
        max_delivery_attempts=suite.max_delivery_attempts,
        relay_idle_ms=100,
        # The suite stands where a load balancer would: the client address it reports is believed.
        trusted_proxy_hops=1,
        cache_retry_seconds=suite.cache_retry_seconds,
        # The shop's providers are the suite's fakes (support/fakes), reached through the boundary.
        email_api_base=EMAIL_API_BASE,
        email_api_key=EMAIL_API_KEY,
        email_from=EMAIL_SENDER,
        payments_api_base=PAYMENTS_API_BASE,
        payments_api_key=PAYMENTS_API_KEY,
        # The real backoff between tries, only shorter: an outage scenario costs milliseconds, not seconds.
        payments_retry_backoff_seconds=0.01,
        # Order documents go to the run's storage (through its cuttable relay); kept ones are retried often.
        s3_endpoint_url=storage.endpoint_url,
        s3_bucket=storage.bucket,
        s3_region=storage.region,
        s3_access_key_id=storage.access_key,
        s3_secret_access_key=storage.secret_key,
        document_link_ttl_seconds=suite.document_link_ttl_seconds,
        document_retry_ms=100,
    )


def migrate(database_url: str) -> list[str]:
    return Migrator(database_url).up()


def start_shop(settings: Settings) -> ShopServer:
    return start(settings, host="127.0.0.1", port=0)
