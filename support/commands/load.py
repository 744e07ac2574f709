"""`make load`: a larger crowd than the @load scenario, driven by Locust, with the same figures.

Starts the suite's world as a run does (the servers, the shop in the mode the `shop` setting names),
stocks the catalogue and signs customers in through the shop's public API, then runs Locust headless
in its own process against the shop and prints requests per second, answer-time percentiles, errors
and the shop's database pool figures. Locust's master and workers spread the same locustfile over
several machines when one machine's load is not enough (see the README).
Usage: python -m support.commands.load [--customers N] [--seconds S] [--products P] [-D name=value ...]
"""
from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
from pathlib import Path

from support.catalogue.arrange import Catalogue
from support.load.check import pool_figures
from support.people.arrange import Cast
from support.people.operator import Operator
from support.servers.suite import scenario_api, start_suite
from support.settings import SuiteSettings

OUT = Path("reports/load")
LOCUSTFILE = Path(__file__).resolve().parents[1] / "load" / "locustfile.py"


def figures_from(stats_csv: Path) -> dict[str, str]:
    with stats_csv.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] == "Aggregated"]
    if not rows:
        raise RuntimeError(f"Locust wrote no aggregated figures to {stats_csv}")
    return rows[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make load", description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200, help="concurrent customers (default 200)")
    parser.add_argument("--seconds", type=int, default=20, help="how long they browse (default 20)")
    parser.add_argument("--products", type=int, default=20, help="products in the catalogue (default 20)")
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    settings = SuiteSettings.from_sources(dict(item.split("=", 1) for item in args.define if "=" in item))
    OUT.mkdir(parents=True, exist_ok=True)
    runtime = start_suite(settings)
    try:
        api = scenario_api(runtime)
        operator = Operator(api, runtime.operator)
        Catalogue(api, operator).stock_any(args.products)
        passes = OUT / "passes.txt"
        passes.write_text("\n".join(p.token for p in Cast(api, operator).enrol_buyers(args.customers)) + "\n")
        before = pool_figures(operator, api)
        command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
                   "-u", str(args.customers), "-r", str(args.customers), "-t", f"{args.seconds}s",
                   "--host", api.base_url, "--csv", str(OUT / "locust"), "--stop-timeout", "10"]
        env = {**os.environ, "LOAD_PASSES": str(passes), "LOAD_PRODUCTS": str(args.products)}
        status = subprocess.run(command, env=env, check=False, timeout=args.seconds + 120).returncode
        after = pool_figures(operator, api)
    finally:
        runtime.close()
    row = figures_from(OUT / "locust_stats.csv")
    print(f"\nload on {os.cpu_count()} cores, shop={settings.shop}: {args.customers} customers for {args.seconds} s")
    print(f"{row['Request Count']} requests, {row['Failure Count']} failed, {float(row['Requests/s']):.0f} per second; "
          f"answer times p50 {row['50%']} ms, p95 {row['95%']} ms, p99 {row['99%']} ms, "
          f"max {float(row['Max Response Time']):.0f} ms")
    print(f"database pool: {after.get('size')} connections, peak in use {after.get('peak_in_use')}, "
          f"{after.get('waits', 0) - before.get('waits', 0)} waits during the load")
    print(f"Locust's own figures: {OUT}/locust_stats.csv, locust_failures.csv")
    return status


if __name__ == "__main__":
    sys.exit(main())
