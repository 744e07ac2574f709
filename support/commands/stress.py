"""`make stress`: the whole suite N times in a shuffled order (a new seed each run), optionally beside busy
CPU loops, printing pass or fail per run and the scenarios that failed, with the seed to replay each.

A flaky scenario shows up here and not in one run. The CPU hogs are plain busy loops, one process each,
started here and ended here (also on Ctrl-C); each run is bounded by --run-timeout. A rare failure may
not come back when its seed is replayed, so a failed run's Allure results are kept (reports/stress/run-N)
and each failed scenario's message is printed under its name.
Usage: python -m support.commands.stress [--runs N] [--hogs K] [-D name=value ...] [feature paths]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

_LISTED = re.compile(r"^(Failing|Errored) scenarios:\n((?:  .*\n?)+)", re.MULTILINE)
RESULTS = Path("reports/allure-results")  # where every behave run writes its Allure results (pyproject.toml)
KEPT = Path("reports/stress")


def busy_loop() -> None:  # pragma: no cover - runs in a child process until terminated
    while True:
        pass


def failed_scenarios(output: str) -> list[str]:
    """The scenarios behave lists as failing or errored in its summary."""
    return [line.strip() for block in _LISTED.finditer(output) for line in block.group(2).splitlines() if line.strip()]


def failure_messages(results: Path) -> dict[str, str]:
    """Each failed or broken scenario's message (its first lines), by scenario name, from Allure results."""
    messages: dict[str, str] = {}
    for path in sorted(results.glob("*-result.json")):
        try:
            result = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if result.get("status") in ("failed", "broken"):
            message = ((result.get("statusDetails") or {}).get("message") or "").strip()
            messages[result.get("name", path.name)] = " | ".join(message.splitlines()[:3])[:400] or "(no message)"
    return messages


def keep_results(number: int, seed: int) -> Path | None:
    """A copy of the run's Allure results (the next run starts from empty ones); None if there are none."""
    if not RESULTS.is_dir():
        return None
    kept = KEPT / f"run-{number}-seed-{seed}"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(RESULTS, kept)
    return kept


def _text(captured: bytes | str | None) -> str:
    return captured.decode(errors="replace") if isinstance(captured, bytes) else (captured or "")


def run_once(number: int, runs: int, seed: int, options: list[str], paths: list[str], timeout: float) -> list[str]:
    """One shuffled run; the scenarios that failed (or why the run itself failed), empty when it passed."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "behave", "-f", "null", "-D", "order=random", "-D", f"seed={seed}",
               *options, *paths]
    try:
        run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
        output, code = run.stdout + run.stderr, run.returncode
    except subprocess.TimeoutExpired as expired:
        output, code = _text(expired.stdout) + _text(expired.stderr), None
    failed = failed_scenarios(output) if code else []
    if code is None:
        last = " | ".join(line for line in output.strip().splitlines()[-5:])
        failed = [f"the run did not finish within {timeout:.0f}s; its last lines: {last or '(none)'}", *failed]
    elif code and not failed:
        failed = ["the run failed without naming a scenario: " + output.strip()[-500:]]
    verdict = "passed" if not failed else "FAILED"
    print(f"run {number}/{runs}: {verdict} in {time.perf_counter() - started:.0f}s (seed {seed})", flush=True)
    messages = failure_messages(RESULTS) if failed else {}
    for scenario in failed:
        print(f"    {scenario}", flush=True)
        why = next((text for name, text in messages.items() if scenario.endswith(f"  {name}")), None)
        if why:
            print(f"        {why}", flush=True)
    kept = keep_results(number, seed) if failed else None
    if kept:
        print(f"    its Allure results: {kept} (make report RESULTS={kept})", flush=True)
    return failed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make stress", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="how many shuffled runs (default 20)")
    parser.add_argument("--hogs", type=int, default=0, help="busy CPU loops beside the runs (default 0)")
    parser.add_argument("--run-timeout", type=float, default=600, help="seconds one run may take (default 600)")
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting passed to every behave run")
    parser.add_argument("paths", nargs="*", help="feature files or folders (default: the suite's)")
    args = parser.parse_args(argv)
    options = [f"-D{define}" for define in args.define]
    shutil.rmtree(KEPT, ignore_errors=True)
    hogs = [multiprocessing.Process(target=busy_loop, daemon=True) for _ in range(args.hogs)]
    for hog in hogs:
        hog.start()
    print(f"make stress: {args.runs} shuffled runs beside {args.hogs} busy CPU loop(s)", flush=True)
    started = time.perf_counter()
    failures: dict[int, list[str]] = {}
    try:
        for number in range(1, args.runs + 1):
            failed = run_once(number, args.runs, random.randrange(1, 1_000_000), options, args.paths,
                              args.run_timeout)
            if failed:
                failures[number] = failed
    finally:
        for hog in hogs:
            hog.terminate()
            hog.join(timeout=5)
    passed = args.runs - len(failures)
    print(f"\n{passed} passed, {len(failures)} failed ({args.runs} shuffled runs beside {args.hogs} CPU hog(s), "
          f"{time.perf_counter() - started:.0f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
