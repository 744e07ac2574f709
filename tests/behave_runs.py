"""Runs of a throwaway behave project through the suite's own Allure formatter, for the tests that read
the results a real run writes (no servers needed)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_with_allure(folder: Path, *args: str, python: tuple[str, ...] = ("-m", "behave"),
                    timeout: float = 120) -> subprocess.CompletedProcess:
    """behave in `folder` (`python` starts it: `-m behave`, or `-c` and a script), its Allure results in
    `folder/results`, nothing on the console but errors; `args` are behave's (the features among them)."""
    return subprocess.run(
        [sys.executable, *python, *args, "-f", "support.reports.formatter:ShopAllureFormatter", "-o", "results",
         "-f", "null"],
        cwd=folder, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=timeout, check=False)


def allure_results(folder: Path) -> list[dict]:
    """The scenario results the run wrote, in no particular order."""
    return [json.loads(path.read_text()) for path in (folder / "results").glob("*-result.json")]
