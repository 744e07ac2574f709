"""The S3-compatible storage the shop keeps its documents in: the one named by `s3_endpoint_url`, or
else moto's S3 server (support/servers/moto_s3.py), started here as a child process on a free loopback port
for the run.

A real server over HTTP either way, never an in-process patch: the shop (in this process or in its
own) reaches it through a cuttable relay, exactly as it would reach MinIO or AWS.
"""
from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from support import polling
from support.servers.children import die_with_parent
from support.wires.storage_inspector import StorageInspector

MOTO_START_SECONDS = 20


@dataclass(frozen=True)
class StorageAccess:
    """What a client needs to reach the storage: the shop gets these (with the relay's endpoint)."""

    endpoint_url: str
    bucket: str
    access_key: str
    secret_key: str
    region: str = "us-east-1"

    def describe(self) -> str:
        return f"{'Storage':<10} {self.endpoint_url} bucket {self.bucket}"


class MotoServer:
    """moto's S3 server (`moto[server]`, S3 only: support/servers/moto_s3.py) in a child process; its log is
    kept in a temporary file."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="shop-acceptance-moto-")
        self.log = Path(self._dir.name) / "moto.log"
        self.port = _free_port()
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "support.servers.moto_s3", "-H", "127.0.0.1", "-p", str(self.port)],
                cwd=Path(__file__).resolve().parents[2],  # where `support` is found, wherever the run began
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent,  # a run killed outright (SIGKILL, a closed pipe) leaves no server behind
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_until_up(self) -> None:
        def answering() -> None:
            if self._process.poll() is not None:
                raise RuntimeError(f"moto's server stopped at once (exit {self._process.returncode}):\n"
                                   f"{self.log.read_text(errors='replace')[-2000:]}")
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()

        polling.eventually(answering, timeout=MOTO_START_SECONDS, interval=0.1,
                           description=f"moto's S3 server on port {self.port}")

    def stop(self) -> None:
        """Killed outright (it keeps everything in memory, nothing to save; SIGTERM took it 0.17 s)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=5)
        self._dir.cleanup()


def bucket_for(namespace: str) -> str:
    """A bucket name of the run's own, from its namespace: S3's rules allow lowercase, digits and hyphens."""
    name = re.sub(r"[^a-z0-9-]+", "-", namespace.lower()).strip("-")[:50] or "shop-acceptance"
    return f"{name}-documents"


def launch_storage(endpoint_url: str, resources: contextlib.ExitStack) -> MotoServer | None:
    """moto's server, launched when no endpoint is given; it answers about half a second later
    (`MotoServer.wait_until_up`), time the run can spend preparing the rest."""
    if endpoint_url:
        return None
    moto = MotoServer()
    resources.callback(moto.stop)
    return moto


def storage_access(endpoint_url: str, bucket: str, access_key: str, secret_key: str,
                   resources: contextlib.ExitStack) -> tuple[StorageAccess, StorageInspector]:
    """The access to the storage at `endpoint_url` and the suite's inspector of it (nothing asked of it yet)."""
    access = StorageAccess(endpoint_url, bucket, access_key, secret_key)
    inspector = StorageInspector(access.endpoint_url, access.bucket, access.access_key, access.secret_key,
                                 access.region)
    resources.callback(inspector.close)
    return access, inspector


def start_storage(endpoint_url: str, bucket: str, access_key: str, secret_key: str,
                  resources: contextlib.ExitStack) -> tuple[StorageAccess, StorageInspector]:
    """The storage for this run (moto's server, started, when no endpoint is given), its bucket ready and empty."""
    moto = launch_storage(endpoint_url, resources)
    access, inspector = storage_access(moto.url if moto else endpoint_url, bucket, access_key, secret_key, resources)
    if moto is not None:
        moto.wait_until_up()
    inspector.prepare_bucket()
    return access, inspector


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]
