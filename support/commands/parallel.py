"""`make acceptance WORKERS=n`: the suite in n behave processes at once, sharing the scenarios out as they go.

Each worker is a plain behave run with `-D claims=<folder> -D worker_id=k`: every worker walks the same
scenarios (even-numbered ones from the last feature back) and runs those it is first to claim in the
shared folder (support/shards.py),
so a worker that got quick scenarios takes more; the worker id gives it a world of its own (database
`..._wk`, Redis keys `prefix.wk:`, broker names `namespace.wk`). All workers write into the one Allure
results folder (emptied once, here), each its JUnit files into a folder of its own (behave names them
by feature, and both workers run scenarios of most features; they are then moved into reports/junit as
`TESTS-<feature>.w<k>.xml`), and this command prints one summary for all of them.
Each worker writes its failed scenarios' locations to a rerun file of its own; this command merges them
into reports/rerun.txt for `make rerun` (and removes it when no worker failed a scenario).

Why not behavex: it runs behave once per feature or scenario, so every work item pays the suite's
start-up (servers, migrations, the shop) again; one long-lived behave per worker pays it once.
Usage: python -m support.commands.parallel --workers N [behave arguments ...]
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from support.reports import rerun

RESULTS = Path("reports/allure-results")
JUNIT = Path("reports/junit")
LOGS = rerun.WORKERS
CLAIMS = LOGS / "claims"
_COUNTS = re.compile(r"^(\d+) (feature|scenario|step)s? passed, (\d+) failed, (\d+) skipped(?:, (\d+) \w+)*", re.M)


@dataclass
class WorkerOutcome:
    worker: int
    status: int
    seconds: float
    log: str
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    failing: list[str] = field(default_factory=list)


def summarise(worker: int, status: int, seconds: float, log: str) -> WorkerOutcome:
    """Read behave's closing summary and its list of failing scenarios from a worker's output."""
    outcome = WorkerOutcome(worker, status, seconds, log)
    for match in _COUNTS.finditer(log):
        outcome.counts[match[2]] = (int(match[1]), int(match[3]), int(match[4]))
    if "Failing scenarios:" in log:
        block = log.split("Failing scenarios:", 1)[1].split("\n\n", 1)[0]
        outcome.failing = [line.strip() for line in block.splitlines() if line.strip()]
    return outcome


def merged_summary(outcomes: list[WorkerOutcome]) -> str:
    lines = []
    failing = [line for outcome in outcomes for line in outcome.failing]
    if failing:
        lines += ["Failing scenarios:", *(f"  {line}" for line in failing), ""]
    for kind in ("feature", "scenario", "step"):
        passed = sum(o.counts.get(kind, (0, 0, 0))[0] for o in outcomes)
        failed = sum(o.counts.get(kind, (0, 0, 0))[1] for o in outcomes)
        skipped = sum(o.counts.get(kind, (0, 0, 0))[2] for o in outcomes)
        if kind == "feature":  # each worker counts every feature, as skipped where it ran none of it
            lines.append(f"{passed} feature shares passed, {failed} failed, {skipped} skipped "
                         f"(a feature counts once per worker: skipped where that worker ran none of it)")
        else:
            lines.append(f"{passed} {kind}s passed, {failed} failed, {skipped} skipped")
    broken = [o for o in outcomes if o.status != 0 and not o.failing]
    for outcome in broken:
        tail = "\n    ".join(outcome.log.strip().splitlines()[-15:])
        lines.append(f"worker {outcome.worker} ended with exit code {outcome.status} and no failing scenario; "
                     f"the end of its output ({LOGS}/w{outcome.worker}.log):\n    {tail}")
    return "\n".join(lines)


def run(workers: int, behave_args: list[str]) -> tuple[int, list[WorkerOutcome], float]:
    for folder in (RESULTS, JUNIT, CLAIMS):
        shutil.rmtree(folder, ignore_errors=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    for stale in LOGS.glob(rerun.worker_file("*").name):  # a former run's, perhaps with more workers
        stale.unlink()
    args = list(behave_args)
    if not any(re.match(r"^(-D\s*)?seed=", a) for a in args):
        args += ["-D", f"seed={random.randrange(1, 1_000_000)}"]  # one seed, so the run can be replayed
    started = time.perf_counter()
    running = []
    for worker in range(1, workers + 1):
        command = [sys.executable, "-m", "behave", "-D", f"claims={CLAIMS}", "-D", f"worker_id={worker}",
                   "-D", "merge_results=true", "--junit-directory", str(JUNIT / f"w{worker}"), "--no-color", *args]
        log = (LOGS / f"w{worker}.log").open("w", encoding="utf-8")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        running.append((worker, process, log, time.perf_counter()))
    outcomes = []
    try:
        for worker, process, log, began in running:
            status = process.wait()
            log.close()
            text = (LOGS / f"w{worker}.log").read_text(encoding="utf-8", errors="replace")
            outcomes.append(summarise(worker, status, time.perf_counter() - began, text))
    finally:
        for _worker, process, _log, _began in running:
            if process.poll() is None:  # Ctrl-C or an error here: no worker outlives the command
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
    rerun.merge([rerun.worker_file(worker) for worker in range(1, workers + 1)])
    gather_junit(workers)
    status = 0 if all(o.status == 0 for o in outcomes) else 1
    return status, outcomes, time.perf_counter() - started


def gather_junit(workers: int, junit: Path = JUNIT) -> None:
    """Each worker's JUnit files into the one folder CI reads, named apart; a file of no test is left out."""
    for worker in range(1, workers + 1):
        own = junit / f"w{worker}"
        for report in sorted(own.glob("*.xml")):
            if re.search(r'<testsuite\b[^>]*\btests="0"', report.read_text(encoding="utf-8", errors="replace")):
                continue
            report.replace(junit / f"{report.stem}.w{worker}{report.suffix}")
        shutil.rmtree(own, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make acceptance WORKERS=n", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, required=True, help="how many behave processes (at least 1)")
    args, behave_args = parser.parse_known_args(argv)
    if args.workers < 1:
        parser.error(f"--workers must be at least 1; got {args.workers}")
    status, outcomes, seconds = run(args.workers, behave_args)
    for outcome in outcomes:
        scenarios = outcome.counts.get("scenario", (0, 0, 0))
        print(f"worker {outcome.worker}: {scenarios[0]} scenarios passed, {scenarios[1]} failed "
              f"in {outcome.seconds:.1f} s (log: {LOGS}/w{outcome.worker}.log)")
    print(merged_summary(outcomes))
    print(f"{args.workers} workers took {seconds:.1f} s wall time")
    return status


if __name__ == "__main__":
    sys.exit(main())
