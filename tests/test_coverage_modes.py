"""`make coverage` measures the shop also where it runs as its own processes (`-D shop=process`).

The shop's web server and worker are children of the run; they are measured only through coverage's
subprocess patch (pyproject: `[tool.coverage.run] patch = ["subprocess"]`). One scenario with the shop as
its own processes, under `coverage run` with the project's coverage settings as `make coverage` runs it,
must cover `python -m shop serve` and `python -m shop worker` (shop/__main__.py's `_serve` and
`_worker`), which the in-process mode never runs. The run has its own folder, database, key prefix and
namespace, so it touches none of the project's reports and meets no other run.
"""
from __future__ import annotations

import inspect
import os
import subprocess
import sys
import uuid
from pathlib import Path

import coverage

import shop.__main__ as shop_main
from support.wires.database import create_scratch_database
from tests.conftest import remove_run_names

ROOT = Path(__file__).resolve().parent.parent
ONE_SCENARIO = f"{ROOT}/features/health.feature:11"  # the shop says it is ready: both processes start and answer
RETRY_DELAYS = (50, 100, 200)


def body_lines(function) -> set[int]:
    lines, first = inspect.getsourcelines(function)
    return {first + offset for offset, line in enumerate(lines) if offset and line.strip()
            and not line.strip().startswith(('"', "#"))}


def test_the_shop_as_its_own_processes_is_measured(servers, tmp_path):
    tag = uuid.uuid4().hex[:8]
    database = create_scratch_database(servers.database_url)
    env = {**os.environ, "DATABASE_URL": database, "REDIS_URL": servers.redis_url,
           "RABBITMQ_URL": servers.rabbitmq_url, "KEY_PREFIX": f"selftest-{tag}:", "AMQP_NAMESPACE": f"selftest-{tag}",
           "RETRY_DELAYS_MS": ",".join(map(str, RETRY_DELAYS))}
    data_file = tmp_path / ".coverage"
    try:
        run = subprocess.run(
            [sys.executable, "-m", "coverage", "run", f"--rcfile={ROOT / 'pyproject.toml'}", f"--data-file={data_file}",
             "-m", "behave", "-f", "null",
             "--no-capture", "-D", "stack=external", "-D", "shop=process", ONE_SCENARIO],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    finally:
        remove_run_names(servers, env, database, RETRY_DELAYS)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]

    measured = coverage.Coverage(data_file=str(data_file), config_file=str(ROOT / "pyproject.toml"))
    measured.combine([str(tmp_path)])
    covered = set(measured.get_data().lines(str(Path(shop_main.__file__).resolve())) or ())

    assert body_lines(shop_main._serve) & covered, "python -m shop serve (the web process) was not measured"
    assert body_lines(shop_main._worker) & covered, "python -m shop worker (the worker process) was not measured"
