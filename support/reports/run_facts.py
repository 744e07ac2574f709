"""What a run was: the environment and executor shown on the Allure report's overview.

Written into every results directory of this process (environment.properties, executor.json), which
Allure 3 reads beside the results. Server versions are asked of the servers themselves.
"""
from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pika
import psycopg2
import redis


def server_versions(database_url: str, redis_url: str, rabbitmq_url: str) -> dict[str, str]:
    versions = {}
    try:
        with psycopg2.connect(database_url, connect_timeout=3) as db, db.cursor() as cur:
            cur.execute("SHOW server_version")
            versions["PostgreSQL"] = cur.fetchone()[0]
        db.close()
    except psycopg2.Error as error:
        versions["PostgreSQL"] = f"unknown ({type(error).__name__})"
    try:
        client = redis.Redis.from_url(redis_url, socket_timeout=3)
        versions["Redis"] = client.info("server")["redis_version"]
        client.close()
    except redis.RedisError as error:
        versions["Redis"] = f"unknown ({type(error).__name__})"
    try:
        params = pika.URLParameters(rabbitmq_url)
        params.socket_timeout = params.blocked_connection_timeout = 3
        connection = pika.BlockingConnection(params)
        version = connection._impl.server_properties.get("version", "?")
        versions["RabbitMQ"] = version.decode() if isinstance(version, bytes) else str(version)
        connection.close()
    except Exception as error:  # noqa: BLE001 - any failure only makes the version unknown
        versions["RabbitMQ"] = f"unknown ({type(error).__name__})"
    return versions


def git_commit(cwd: str | Path = ".") -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=cwd, capture_output=True, text=True,
                             timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return f"{out}{' (with uncommitted changes)' if dirty else ''}"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def environment(facts: dict[str, str]) -> dict[str, str]:
    return {
        **facts,
        "git commit": git_commit(),
        "Python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
    }


def executor() -> dict[str, object]:
    """CI when the CI variable says so (with its build name and URL when the CI system gives them)."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        return {
            "name": os.environ.get("CI_NAME", "CI"), "type": "ci",
            "buildName": os.environ.get("CI_BUILD_NAME", f"commit {git_commit()}"),
            "buildUrl": os.environ.get("CI_BUILD_URL", ""), "reportName": "Shop acceptance suite",
        }
    return {"name": f"{os.environ.get('USER', 'someone')} on {socket.gethostname()}", "type": "local",
            "buildName": f"local run at commit {git_commit()}", "reportName": "Shop acceptance suite"}


def write(results_dirs: Iterable[Path], env: dict[str, str], who: dict[str, object]) -> None:
    for folder in results_dirs:
        folder.mkdir(parents=True, exist_ok=True)
        lines = [f"{_key(key)}={_value(value)}" for key, value in env.items()]
        (folder / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "executor.json").write_text(json.dumps(who, indent=1), encoding="utf-8")


def _key(text: str) -> str:
    return _value(text).replace(" ", "\\ ").replace(":", "\\:").replace("=", "\\=")


def _value(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("\n", " ")
