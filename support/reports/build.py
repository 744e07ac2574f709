"""`make report`: turn the last run's Allure results into the report, always at the same paths.

Allure 3 flattens or nests its output depending on what the output folder already holds, so the report
folder is emptied first; history lives apart (reports/history) and survives. Two reports come out of
one generation (allurerc.mjs): the full one to serve, and a single file that opens from disk.
Usage: python -m support.reports.build [--results DIR] [--output DIR] [--history FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLURE = ROOT / "node_modules" / ".bin" / "allure"
CONFIG = ROOT / "allurerc.mjs"


class ReportError(RuntimeError):
    pass


@dataclass(frozen=True)
class BuiltReport:
    folder: Path
    single_file: Path  # opens from disk
    served: Path  # the full report: `allure open` this folder
    counts: dict[str, int]


def build(results: Path, output: Path, history: Path, name: str | None = None) -> BuiltReport:
    if not any(results.glob("*-result.json")):
        raise ReportError(f"No results in {results}: run the suite first (make acceptance).")
    if not ALLURE.exists():
        raise ReportError(f"The Allure 3 CLI is not installed at {ALLURE}: run 'npm ci' (make report does).")
    shutil.rmtree(output, ignore_errors=True)
    history.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ALLURE_REPORT_DIR": str(output), "ALLURE_HISTORY_FILE": str(history)}
    if name:
        env["ALLURE_REPORT_NAME"] = name
    run = subprocess.run([str(ALLURE), "generate", str(results), "--config", str(CONFIG), "-o", str(output)],
                         env=env, capture_output=True, text=True, timeout=300, check=False)
    report = BuiltReport(output, output / "single-file" / "index.html", output / "awesome", {})
    if run.returncode != 0 or not report.single_file.exists() or not (report.served / "index.html").exists():
        raise ReportError(f"allure generate failed (exit {run.returncode}):\n{run.stdout[-3000:]}{run.stderr[-3000:]}")
    summary = json.loads((report.served / "summary.json").read_text(encoding="utf-8"))
    return BuiltReport(report.folder, report.single_file, report.served, dict(summary.get("stats", {})))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make report", description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=ROOT / "reports" / "allure-results")
    parser.add_argument("--output", type=Path, default=ROOT / "reports" / "allure-report")
    parser.add_argument("--history", type=Path, default=ROOT / "reports" / "history" / "allure-history.jsonl")
    args = parser.parse_args(argv)
    try:
        report = build(args.results, args.output, args.history)
    except ReportError as error:
        print(error, file=sys.stderr)
        return 1
    counts = ", ".join(f"{n} {status}" for status, n in report.counts.items())
    print(f"Report ({counts}):\n"
          f"  open   {os.path.relpath(report.single_file)}   (one file; opens from disk; CI keeps it)\n"
          f"  serve  make report-open   (the same report, served from {os.path.relpath(report.served)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
