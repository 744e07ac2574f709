"""Starts and stops everything a run needs: the servers, the suite's database, the shop, the inspectors."""
from __future__ import annotations

import contextlib
import dataclasses
import time
from dataclasses import dataclass

from shop.bootstrap import make_worker
from shop.server import ShopServer
from shop.web.openapi import DOCUMENT
from support import builders, polling
from support.catalogue.arrange import Catalogue
from support.order_events.arrange import OrderEvents
from support.people.arrange import Cast
from support.servers.object_storage import StorageAccess, bucket_for, start_storage
from support.servers.shop_runner import migrate, shop_settings, start_shop
from support.servers.stack import ProvisionedStack, provision
from support.settings import SuiteSettings
from support.wires.api_client import ShopApi
from support.wires.broker import BrokerInspector
from support.wires.cache_inspector import CacheInspector
from support.wires.database import DatabaseInspector, ensure_database
from support.wires.openapi_contract import ContractCheck
from support.wires.refusals import DatabaseRefusals
from support.wires.relay import TcpRelay
from support.wires.reset import WorldReset
from support.wires.storage_inspector import StorageInspector


@dataclass
class SuiteRuntime:
    stack: ProvisionedStack
    shop: ShopServer
    inspector: DatabaseInspector
    cache: CacheInspector
    world_reset: WorldReset
    started_in: float
    _resources: contextlib.ExitStack
    # The shop reaches Redis through this relay, so a scenario can take Redis away from the shop alone.
    cache_link: TcpRelay | None = None
    # Makes the database refuse a statement (a trigger), to force a failure late in a transaction.
    refusals: DatabaseRefusals | None = None
    # The shop's worker and its link to RabbitMQ (also cuttable), and the suite's view of the queues.
    order_events: OrderEvents | None = None
    # The run's object storage (moto's server unless s3_endpoint_url names one), the suite's view of its
    # bucket, and the shop's cuttable link to it.
    storage: StorageInspector | None = None
    storage_link: TcpRelay | None = None
    storage_access: StorageAccess | None = None

    def close(self) -> None:
        self._resources.close()


def start_suite(settings: SuiteSettings) -> SuiteRuntime:
    started = time.perf_counter()
    polling.set_timeout_multiplier(settings.timeout_multiplier)
    builders.seed(settings.seed)
    with contextlib.ExitStack() as resources:
        stack = provision(settings.stack, settings.provisioning_env(), timeout_multiplier=settings.timeout_multiplier)
        resources.callback(stack.stop)
        services = stack.services
        ensure_database(services.database_url)
        migrate(services.database_url)
        refusals = DatabaseRefusals(services.database_url)
        resources.callback(refusals.close)
        refusals.remove_all()  # an interrupted run may have left one installed
        cache_link = TcpRelay.for_redis(services.redis_url)
        resources.callback(cache_link.close)
        broker_link = TcpRelay.for_url(services.rabbitmq_url, 5672)
        resources.callback(broker_link.close)
        storage, storage_inspector = start_storage(
            settings.s3_endpoint_url, settings.s3_bucket or bucket_for(settings.amqp_namespace),
            settings.s3_access_key, settings.s3_secret_key, resources)
        storage_link = TcpRelay.for_url(storage.endpoint_url, 80)
        resources.callback(storage_link.close)
        shop_services = dataclasses.replace(
            services, redis_url=cache_link.url_instead_of(services.redis_url),
            rabbitmq_url=broker_link.url_instead_of(services.rabbitmq_url),
        )
        shop_storage = dataclasses.replace(storage, endpoint_url=storage_link.url_instead_of(storage.endpoint_url))
        shop = start_shop(shop_settings(settings, shop_services, shop_storage))
        resources.callback(shop.stop)
        worker = make_worker(shop.shop)
        resources.callback(worker.stop)
        inspector = DatabaseInspector(services.database_url)
        resources.callback(inspector.close)
        cache = CacheInspector(services.redis_url, settings.key_prefix)
        resources.callback(cache.close)
        world_reset = WorldReset(
            services.database_url, services.redis_url, settings.key_prefix, services.rabbitmq_url,
            shop.shop.topology.queues(), storage=storage_inspector,
        )
        resources.callback(world_reset.close)
        broker = BrokerInspector(services.rabbitmq_url)
        resources.callback(broker.close)
        order_events = OrderEvents(worker, broker, shop.shop.topology, broker_link, inspector)
        world_reset.reset()  # what an earlier, interrupted run left must not reach this run's worker
        order_events.start_worker()
        return SuiteRuntime(
            stack, shop, inspector, cache, world_reset, time.perf_counter() - started, resources.pop_all(),
            cache_link=cache_link, order_events=order_events, storage=storage_inspector, storage_link=storage_link,
            storage_access=storage, refusals=refusals,
        )


def scenario_api(shop: ShopServer) -> ShopApi:
    return ShopApi(shop.url, ContractCheck(DOCUMENT))


def scenario_cast(shop: ShopServer, api: ShopApi) -> Cast:
    return Cast(shop.shop.users, api)


def scenario_catalogue(shop: ShopServer) -> Catalogue:
    return Catalogue(shop.shop.products, shop.shop.orders)


def banner(settings: SuiteSettings, runtime: SuiteRuntime) -> str:
    return (
        f"{runtime.stack.services.describe()}\n{runtime.storage_access.describe()}\n"
        f"shop under test at {runtime.shop.url}; "
        f"ready in {runtime.started_in:.1f}s; {settings.order} order; data seed {settings.seed} "
        f"(replay with -D seed={settings.seed})"
    )
