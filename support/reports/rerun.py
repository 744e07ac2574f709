"""The rerun file (`make rerun`): behave's rerun formatter, with one file per parallel worker.

A plain run writes the failed scenarios' locations to the configured file (reports/rerun.txt) and
removes it when nothing failed, as behave's formatter does. A worker of `make acceptance WORKERS=n`
(`-D worker_id=k`) writes its own file instead (reports/workers/wk.rerun.txt): the workers end at
different moments, and in one shared file the last one would overwrite, or remove, the others' failures.
The parallel command merges the workers' files into reports/rerun.txt (see `merge`).
"""
from __future__ import annotations

from pathlib import Path

from behave.formatter.base import StreamOpener
from behave.formatter.rerun import RerunFormatter

RERUN = Path("reports/rerun.txt")
WORKERS = Path("reports/workers")


def worker_file(worker: int | str) -> Path:
    return WORKERS / f"w{worker}.rerun.txt"


def locations(path: Path) -> list[str]:
    """The scenario locations a rerun file lists (comments and blank lines left out); none if no file."""
    if not path.is_file():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def merge(parts: list[Path], into: Path = RERUN) -> list[str]:
    """Write the locations of all `parts` into `into`, once each in order; remove `into` if there are none."""
    found = list(dict.fromkeys(location for part in parts for location in locations(part)))
    if not found:
        into.unlink(missing_ok=True)
        return []
    into.parent.mkdir(parents=True, exist_ok=True)
    into.write_text(f"# -- RERUN: {len(found)} failing scenarios during last test run "
                    f"({len(parts)} workers).\n" + "".join(f"{location}\n" for location in found) + "\n",
                    encoding="utf-8")
    return found


class ShopRerunFormatter(RerunFormatter):
    name = "shop-rerun"
    description = "behave's rerun file, one per parallel worker (see support/reports/rerun.py)"

    def __init__(self, stream_opener, config):
        worker = config.userdata.get("worker_id", "")
        if worker:
            path = worker_file(worker)
            path.parent.mkdir(parents=True, exist_ok=True)
            stream_opener = StreamOpener(str(path))
        super().__init__(stream_opener, config)
