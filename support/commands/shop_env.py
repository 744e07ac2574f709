"""Prints the environment a shop started by hand needs for `behave -D shop=url` (README: "A shop you
started yourself"): the suite's servers and names, and the provider fakes' address on `fakes_port`.

Usage: eval "$(python -m support.commands.shop_env -D fakes_port=8099)"
"""
from __future__ import annotations

import argparse
import shlex
import sys

from support import door
from support.servers.object_storage import StorageAccess, bucket_for
from support.servers.suite import shop_config
from support.settings import SettingsError, SuiteSettings


class _FakesAddress:
    """Where the suite will serve its fakes (support/fakes/http_front.py), without starting them now."""

    def __init__(self, port: int):
        base = f"http://127.0.0.1:{port}"
        self.email_base, self.payments_base = f"{base}/email-provider", f"{base}/payment-provider"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m support.commands.shop_env", description=__doc__.splitlines()[0])
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    userdata = {"shop": "url", "shop_url": "http://127.0.0.1:8000", **dict(d.split("=", 1) for d in args.define)}
    try:
        settings = SuiteSettings.from_sources(userdata)
    except SettingsError as error:
        parser.error(str(error))
    if not settings.s3_endpoint_url:
        parser.error("with shop=url the shop and the suite share one object storage: give its address, "
                     "e.g. -D s3_endpoint_url=http://127.0.0.1:9000 (start one with: python -m moto.server -p 9000)")
    storage = StorageAccess(settings.s3_endpoint_url, settings.s3_bucket or bucket_for(settings.amqp_namespace),
                            settings.s3_access_key, settings.s3_secret_key)
    env = door.environment(shop_config(settings, settings, _FakesAddress(settings.fakes_port), storage))
    env["SHOP_PORT"] = settings.shop_url.rsplit(":", 1)[-1].split("/")[0]
    env.pop("SHOP_WORKER_HEALTH_PORT")
    print("\n".join(f"export {name}={shlex.quote(value)}" for name, value in env.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
