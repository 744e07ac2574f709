"""Wires the shop's adapters and services together, once, from its settings."""
from __future__ import annotations

from dataclasses import dataclass

import pika
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from shop.auth import Tokens
from shop.cache_guard import GuardedRedis
from shop.catalogue_cache import CatalogueCache
from shop.config import Settings
from shop.db import Database
from shop.documents import Documents, DocumentUploader
from shop.email_outbox import EmailOutbox
from shop.expiry import OrderExpiry
from shop.fulfilment import order_event_handlers
from shop.health import Readiness, readiness
from shop.messaging.relay import OutboxRelay
from shop.messaging.topology import Topology
from shop.messaging.worker import OrderEventsWorker
from shop.orders import Orders
from shop.payments import Payments
from shop.posts import Posts
from shop.products import Products
from shop.providers.email import EmailProvider
from shop.providers.payments import PaymentGateway
from shop.providers.storage import DocumentStorage
from shop.throttle import SignInThrottle
from shop.users import Users

# How the web requests' database sessions are named in PostgreSQL (pg_stat_activity.application_name).
WEB_SESSIONS = "shop web"


@dataclass
class Shop:
    settings: Settings
    db: Database
    redis: redis.Redis
    tokens: Tokens
    users: Users
    topology: Topology
    catalogue_cache: CatalogueCache
    products: Products
    orders: Orders
    email_outbox: EmailOutbox
    posts: Posts
    payments: Payments
    documents: Documents

    def health(self) -> Readiness:
        """Whether each dependency answers right now (see shop/health.py)."""
        return readiness(self.db, self.redis, self.settings.rabbitmq_url)

    def close(self) -> None:
        self.db.close()
        self.users.close()
        self.redis.close()
        self.documents.storage.close()


def bootstrap(settings: Settings) -> Shop:
    db = Database(settings.database_url, size=settings.db_pool_size, name=WEB_SESSIONS,
                  wait_seconds=settings.db_pool_wait_seconds)
    cache = redis.Redis.from_url(
        settings.redis_url, socket_timeout=settings.cache_timeout_seconds,
        socket_connect_timeout=settings.cache_timeout_seconds, health_check_interval=30,
        # One immediate retry replaces a pooled connection that died with a Redis restart; redis-py's
        # default (10 retries with backoff) would make every request wait seconds while Redis is away.
        # A timeout is not retried: the breaker (shop/cache_guard.py) deals with a cache that stopped answering.
        retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
    )
    guarded = GuardedRedis(cache, retry_seconds=settings.cache_retry_seconds)
    tokens = Tokens(settings.jwt_secret, settings.token_ttl_seconds)
    throttle = SignInThrottle(
        guarded, settings.key_prefix, limit=settings.max_failed_sign_ins,
        address_limit=settings.max_failed_sign_ins_per_address, window_seconds=settings.sign_in_lockout_seconds,
    )
    passes_db = Database(settings.database_url, size=5, name="shop passes", wait_seconds=settings.db_pool_wait_seconds)
    users = Users(db, tokens, throttle, settings.bcrypt_rounds, passes_db=passes_db)
    topology = Topology(settings.amqp_namespace, settings.retry_delays_ms)
    catalogue_cache = CatalogueCache(guarded, settings.key_prefix, settings.catalogue_ttl_seconds)
    products = Products(db, catalogue_cache)
    orders = Orders(db, catalogue_cache)
    email_provider = EmailProvider(
        settings.email_api_base, settings.email_api_key, settings.email_from,
        timeout=(3.05, settings.email_read_timeout_seconds),
    )
    email_outbox = EmailOutbox(db, email_provider)
    posts = Posts(db, email_outbox)
    payment_gateway = PaymentGateway(
        settings.payments_api_base, settings.payments_api_key,
        timeout=(settings.payments_connect_timeout_seconds, settings.payments_read_timeout_seconds),
        max_retries=settings.payments_max_retries, backoff_seconds=settings.payments_retry_backoff_seconds,
    )
    storage = DocumentStorage(
        settings.s3_bucket, endpoint_url=settings.s3_endpoint_url, region=settings.s3_region,
        access_key_id=settings.s3_access_key_id, secret_access_key=settings.s3_secret_access_key,
    )
    documents = Documents(db, storage, settings.jwt_secret, settings.document_link_ttl_seconds)
    payments = Payments(db, payment_gateway, email_outbox, catalogue_cache, settings.payments_currency, documents)
    return Shop(
        settings, db, cache, tokens, users, topology, catalogue_cache, products, orders,
        email_outbox=email_outbox, posts=posts, payments=payments, documents=documents,
    )


def make_relay(shop: Shop) -> OutboxRelay:
    """The outbox relay, with its own small pool so its work never mixes with the web requests' figures."""
    settings = shop.settings
    return OutboxRelay(
        Database(settings.database_url, size=2, name="shop relay"), settings.rabbitmq_url, shop.topology,
        idle_wait=settings.relay_idle_ms / 1000,
    )


def make_worker(shop: Shop) -> OrderEventsWorker:
    """The order-events worker, with its own pool and its own email outbox over that pool."""
    settings = shop.settings
    db = Database(settings.database_url, size=2, name="shop worker")
    handlers = order_event_handlers(EmailOutbox(db, shop.email_outbox.provider))
    return OrderEventsWorker(
        db, settings.rabbitmq_url, shop.topology, handlers,
        prefetch=settings.worker_prefetch, max_attempts=settings.max_delivery_attempts,
        reconnect_wait=settings.worker_reconnect_ms / 1000,
    )


def make_document_uploader(shop: Shop) -> DocumentUploader:
    """Retries the documents storage has not taken yet, with its own small pool (as the relay has), named so
    pg_stat_activity tells its sessions from the web requests'."""
    settings = shop.settings
    documents = Documents(Database(settings.database_url, size=2, name="shop documents"), shop.documents.storage,
                          settings.jwt_secret, settings.document_link_ttl_seconds)
    return DocumentUploader(documents, settings.document_retry_ms / 1000)


def declare_topology(shop: Shop) -> None:
    """Declare the shop's exchanges and queues on its broker (idempotent)."""
    connection = pika.BlockingConnection(pika.URLParameters(shop.settings.rabbitmq_url))
    try:
        shop.topology.declare(connection.channel())
    finally:
        connection.close()


def make_order_expiry(shop: Shop) -> OrderExpiry:
    """The sweep that expires unpaid orders, over a small pool of its own, so its work never mixes with the
    web requests' figures (a request's statement count is read from the web pool's)."""
    settings = shop.settings
    payments = Payments(Database(settings.database_url, size=2, name="shop expiry"), shop.payments._gateway,
                        shop.email_outbox, shop.catalogue_cache, settings.payments_currency, shop.documents)
    return OrderExpiry(payments, unpaid_for_seconds=settings.unpaid_order_ttl_seconds,
                       interval_seconds=settings.expiry_interval_seconds)
