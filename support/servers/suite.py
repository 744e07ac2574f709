"""Starts and stops everything a run needs: the servers, the suite's database, the provider fakes, the
shop under test (in this process, as its own processes, or one already running), the inspectors."""
from __future__ import annotations

import contextlib
import dataclasses
import time
from dataclasses import dataclass
from typing import Any

import requests

from support import builders, door, polling
from support.fakes import HttpFront, InProcessFront, in_process_front
from support.fakes.email_provider import EMAIL_API_BASE, EMAIL_API_KEY, EMAIL_SENDER
from support.fakes.payment_provider import PAYMENTS_API_BASE, PAYMENTS_API_KEY
from support.order_events.arrange import OrderEvents
from support.servers.object_storage import StorageAccess, bucket_for, launch_storage, storage_access
from support.servers.restarts import ServerRestarts
from support.servers.shop_containers import ContainerShop
from support.servers.shop_processes import RunningShop, ShopProcesses, ShopUnavailable
from support.servers.stack import ProvisionedStack, provision
from support.servers.stack.docker import S3_CREDENTIALS
from support.settings import SuiteSettings
from support.wires.api_client import ShopApi
from support.wires.broker import BrokerInspector
from support.wires.cache_inspector import CacheInspector
from support.wires.database import DatabaseInspector, ensure_database, vacuum_if_bloated
from support.wires.database_outage import DatabaseOutage
from support.wires.openapi_contract import ContractCheck
from support.wires.refusals import DatabaseRefusals
from support.wires.relay import TcpRelay
from support.wires.reset import WorldReset
from support.wires.storage_inspector import StorageInspector


@dataclass
class SuiteRuntime:
    stack: ProvisionedStack
    # The shop under test: door.InProcessShop, ShopProcesses, ContainerShop or RunningShop (same operations).
    shop: Any
    fakes_front: InProcessFront | HttpFront
    inspector: DatabaseInspector
    cache: CacheInspector
    world_reset: WorldReset
    order_events: OrderEvents
    # The shop's OpenAPI document, as it serves it (GET /api/openapi.json).
    openapi: dict
    # The shop's operator: the administrator arrangements are made as (stored only while she acts).
    operator: door.OperatorAccount
    started_in: float
    _resources: contextlib.ExitStack
    # The shop reaches Redis through this relay, so a scenario can take Redis away from the shop alone
    # (None with shop=url: that shop reaches its servers by itself).
    cache_link: TcpRelay | None = None
    # Makes the database refuse a statement (a trigger), to force a failure late in a transaction.
    refusals: DatabaseRefusals | None = None
    # The run's object storage (moto's server unless s3_endpoint_url names one), the suite's view of its
    # bucket, and the shop's cuttable link to it.
    storage: StorageInspector | None = None
    storage_link: TcpRelay | None = None
    storage_access: StorageAccess | None = None
    # Restarts one of the run's servers mid-scenario, where the stack can (stack=docker).
    restarts: ServerRestarts | None = None

    def close(self) -> None:
        self._resources.close()


def start_suite(settings: SuiteSettings) -> SuiteRuntime:
    started = time.perf_counter()
    polling.set_timeout_multiplier(settings.timeout_multiplier)
    builders.seed(settings.seed)
    with contextlib.ExitStack() as resources:
        # moto's server (when no storage is named) answers about half a second after it is launched: launched
        # first, awaited last, the run prepares everything else meanwhile.
        moto = launch_storage(settings.s3_endpoint_url, resources)
        stack = provision(settings.stack, settings.provisioning_env(), timeout_multiplier=settings.timeout_multiplier)
        resources.callback(stack.stop)
        services = stack.services
        ensure_database(services.database_url)
        DatabaseOutage(services.database_url).end()  # an interrupted run may have left its database closed
        door.migrate(services.database_url)
        vacuum_if_bloated(services.database_url)  # a server that does not vacuum by itself (see there)
        refusals = DatabaseRefusals(services.database_url)
        resources.callback(refusals.close)
        refusals.remove_all()  # an interrupted run may have left one installed
        s3_endpoint, s3_keys = settings.s3_endpoint_url, (settings.s3_access_key, settings.s3_secret_key)
        if not s3_endpoint and services.s3_url:  # stack=docker: the compose file's `s3` service
            s3_endpoint, s3_keys = services.s3_url, S3_CREDENTIALS
        if s3_endpoint and moto is not None:
            moto.stop()  # the stack brought a storage of its own
            moto = None
        storage, storage_inspector = storage_access(
            moto.url if moto else s3_endpoint, settings.s3_bucket or bucket_for(settings.amqp_namespace), *s3_keys,
            resources)
        cache_link = broker_link = storage_link = None
        shop_services, shop_storage = services, storage
        if settings.shop != "url":
            storage_link = TcpRelay.for_url(storage.endpoint_url, 80)
            resources.callback(storage_link.close)
            storage_inspector.watch(storage_link)
            shop_storage = dataclasses.replace(storage, endpoint_url=storage_link.url_instead_of(storage.endpoint_url))
            cache_link = TcpRelay.for_redis(services.redis_url)
            resources.callback(cache_link.close)
            broker_link = TcpRelay.for_url(services.rabbitmq_url, 5672)
            resources.callback(broker_link.close)
            shop_services = ShopServices(cache_link.url_instead_of(services.redis_url),
                                     broker_link.url_instead_of(services.rabbitmq_url), services)
        front = HttpFront(settings.fakes_port) if settings.shop != "inprocess" else None
        if front is not None:
            resources.callback(front.close)
        env = door.environment(shop_config(settings, shop_services, front, shop_storage))
        shop = _start_shop(settings, env, stack)
        resources.callback(shop.stop)
        if front is None:
            front = in_process_front(shop.url)
            resources.callback(front.close)
        inspector = DatabaseInspector(services.database_url)
        resources.callback(inspector.close)
        cache = CacheInspector(services.redis_url, settings.key_prefix)
        resources.callback(cache.close)
        queues = door.queue_names(settings.amqp_namespace, settings.retry_delays_ms)
        world_reset = WorldReset(services.database_url, services.redis_url, settings.key_prefix,
                                 services.rabbitmq_url, list(queues.in_purge_order), storage=storage_inspector)
        resources.callback(world_reset.close)
        broker = BrokerInspector(services.rabbitmq_url)
        resources.callback(broker.close)
        order_events = OrderEvents(shop, broker, queues, broker_link, inspector)
        operator = door.OperatorAccount(services.database_url, settings.jwt_secret)
        resources.callback(operator.close)
        if moto is not None:
            moto.wait_until_up()
        storage_inspector.prepare_bucket()
        world_reset.reset()  # what an earlier, interrupted run left must not reach this run's worker
        order_events.start_worker()
        return SuiteRuntime(
            stack, shop, front, inspector, cache, world_reset, order_events, _served_openapi(shop.url),
            operator, time.perf_counter() - started, resources.pop_all(),
            cache_link=cache_link, storage=storage_inspector, storage_link=storage_link, storage_access=storage,
            refusals=refusals,
            restarts=ServerRestarts(stack, [inspector, world_reset, broker, operator, refusals],
                                    settings.timeout_multiplier),
        )


@dataclass(frozen=True)
class ShopServices:
    """The servers as the shop is to reach them (through the relays), beside the ones the suite reads."""

    redis_url: str
    rabbitmq_url: str
    real: Any

    @property
    def database_url(self) -> str:
        return self.real.database_url


def shop_config(settings: SuiteSettings, services, front, storage: StorageAccess | None = None) -> door.ShopConfig:
    return door.ShopConfig(
        database_url=services.database_url, redis_url=services.redis_url, rabbitmq_url=services.rabbitmq_url,
        key_prefix=settings.key_prefix, amqp_namespace=settings.amqp_namespace, jwt_secret=settings.jwt_secret,
        bcrypt_rounds=settings.bcrypt_rounds, retry_delays_ms=settings.retry_delays_ms,
        max_delivery_attempts=settings.max_delivery_attempts,
        email_api_base=front.email_base if front else EMAIL_API_BASE, email_api_key=EMAIL_API_KEY,
        email_from=EMAIL_SENDER,
        payments_api_base=front.payments_base if front else PAYMENTS_API_BASE, payments_api_key=PAYMENTS_API_KEY,
        provider_patience_seconds=2.0 * settings.timeout_multiplier, cache_retry_seconds=settings.cache_retry_seconds,
        cache_timeout_seconds=settings.cache_timeout_seconds * settings.timeout_multiplier,
        storage=storage, document_link_ttl_seconds=settings.document_link_ttl_seconds,
        web_processes=settings.shop_processes,
    )


def _start_shop(settings: SuiteSettings, env: dict[str, str], stack: ProvisionedStack):
    if settings.shop == "container":
        return ContainerShop(stack, env, settings.timeout_multiplier)
    if settings.shop == "process":
        return ShopProcesses(env, settings.timeout_multiplier)
    if settings.shop == "url":
        return RunningShop(settings.shop_url, env, settings.timeout_multiplier)
    return door.InProcessShop(env)


def _served_openapi(url: str) -> dict:
    try:
        reply = requests.get(f"{url}/api/openapi.json", timeout=10)
        reply.raise_for_status()
        return reply.json()
    except (requests.RequestException, ValueError) as error:
        raise ShopUnavailable(f"The shop at {url} does not serve its OpenAPI document (/api/openapi.json): "
                              f"{error}") from None


def scenario_api(runtime: SuiteRuntime) -> ShopApi:
    return ShopApi(runtime.shop.url, ContractCheck(runtime.openapi))


def banner(settings: SuiteSettings, runtime: SuiteRuntime) -> str:
    return (
        f"{runtime.stack.services.describe()}\n{runtime.storage_access.describe()}\n"
        f"shop under test ({settings.shop}) at {runtime.shop.url}; "
        f"ready in {runtime.started_in:.1f}s; {settings.order} order; data seed {settings.seed} "
        f"(replay with -D seed={settings.seed})"
    )
