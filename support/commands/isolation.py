"""`make isolation`: runs every scenario alone, one behave process each, and lists any that fail.

A scenario that passes in the full run but fails alone depends on another; this finds it.
Usage: python -m support.commands.isolation [-D name=value ...] [feature files or folders] (default: features/)
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from behave.parser import parse_file

RESULTS = "reports/allure-results"


def scenario_locations(paths: list[str]) -> list[str]:
    files = []
    for path in paths or ["features"]:
        p = Path(path)
        files += sorted(p.rglob("*.feature")) if p.is_dir() else [p]
    locations = []
    for file in files:
        for scenario in parse_file(str(file)).walk_scenarios():
            locations.append(f"{file}:{scenario.line}")
    return locations


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make isolation", description=__doc__.splitlines()[0])
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting passed to every behave run")
    parser.add_argument("paths", nargs="*", help="feature files or folders (default: features/)")
    args = parser.parse_args(argv)
    options = [f"-D{define}" for define in args.define]
    locations = scenario_locations(args.paths)
    failed = []
    started = time.perf_counter()
    # One set of results for the whole isolation run: emptied once here, then each run adds its scenario.
    if os.environ.get("MERGE_RESULTS", "").lower() not in ("1", "true", "yes", "on"):
        shutil.rmtree(RESULTS, ignore_errors=True)
    env = {**os.environ, "MERGE_RESULTS": "true"}
    for location in locations:
        run = subprocess.run(
            [sys.executable, "-m", "behave", "--format", "null", "--no-summary", *options, location],
            capture_output=True, text=True, check=False, env=env,
        )
        print(f"{'ok  ' if run.returncode == 0 else 'FAIL'} {location}", flush=True)
        if run.returncode != 0:
            failed.append((location, run.stdout[-2000:] + run.stderr[-2000:]))
    print(f"\n{len(locations) - len(failed)} passed, {len(failed)} failed "
          f"(each scenario alone, {time.perf_counter() - started:.0f}s)")
    for location, output in failed:
        print(f"\n--- {location}\n{output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
