"""`make bench`: how long the reset between scenarios takes, and how long the whole suite takes.

Each measured reset follows a scenario-sized mess: a few users in the database, keys in Redis and a
message on the suite's queue, so the figure is for real work, not for emptying empty tables.
Usage: python -m support.commands.bench [--resets N] [--no-suite] [--pairs N] [-D name=value ...]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import pika
import redis

from support import builders
from support.commands import bench_scale
from support.people.arrange import store_user
from support.people.operator import Operator
from support.servers.suite import start_suite
from support.settings import SuiteSettings
from support.wires.api_client import ShopApi
from support.words import in_words


def _mess(runtime, api: ShopApi, settings: SuiteSettings, channel, client) -> None:
    for _ in range(3):
        store_user(api, Operator(api, runtime.operator), builders.person())
    client.set(f"{settings.key_prefix}bench:{time.monotonic_ns()}", "x")
    channel.basic_publish("", runtime.order_events.topology.order_events_queue, b'{"bench": true}')


def measure_resets(settings: SuiteSettings, count: int) -> list[float]:
    runtime = start_suite(settings)
    runtime.order_events.stop_worker()  # the queued mess is for the reset to remove, not for the worker
    services = runtime.stack.services
    broker = pika.BlockingConnection(pika.URLParameters(services.rabbitmq_url))
    channel = broker.channel()
    client = redis.Redis.from_url(services.redis_url)
    api = ShopApi(runtime.shop.url)
    timings = []
    try:
        for _ in range(count):
            _mess(runtime, api, settings, channel, client)
            started = time.perf_counter()
            runtime.world_reset.reset()
            timings.append((time.perf_counter() - started) * 1000)
        left = runtime.inspector.count("users"), runtime.cache.keys()
        assert left == (0, []), (f"the reset left data behind: {left[0]} user(s) and "
                                 f"{len(left[1])} cache key(s): {in_words(left[1][:10])}")
    finally:
        api.close()
        broker.close()
        client.close()
        runtime.close()
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--resets", type=int, default=300, help="how many resets to time (default 300)")
    parser.add_argument("--no-suite", action="store_true", help="skip timing the whole behave suite")
    parser.add_argument("--pairs", type=int, default=1,
                        help="alternate the one-worker and two-worker runs this many times and print the median "
                             "speed-up (default 1)")
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    if args.pairs < 1:
        parser.error(f"--pairs must be at least 1; got {args.pairs}")
    if args.resets < 200:
        parser.error("--resets must be at least 200 for the percentiles to mean something")
    userdata = dict(item.split("=", 1) for item in args.define if "=" in item)
    settings = SuiteSettings.from_sources(userdata)
    print(f"on {os.cpu_count()} cores")
    timings = measure_resets(settings, args.resets)
    print(
        f"reset between scenarios, {len(timings)} resets: p50 {percentile(timings, 0.5):.2f} ms, "
        f"p95 {percentile(timings, 0.95):.2f} ms, max {max(timings):.2f} ms, "
        f"mean {statistics.fmean(timings):.2f} ms"
    )
    print("\n".join(bench_scale.load(settings)))
    if not args.no_suite:
        lines, status = bench_scale.report([f"-D{d}" for d in args.define], pairs=args.pairs)
        print("\n".join(lines))
        return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
