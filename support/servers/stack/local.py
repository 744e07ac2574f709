"""Runs the suite's own PostgreSQL, Redis and RabbitMQ for one run, then removes every trace of them.

For machines with the servers installed but no Docker: nothing is shared with servers already running
there (own ports, own temporary directory, own epmd), and everything is gone after the run, even when
it fails or is interrupted. A run killed outright (SIGKILL) is cleaned up by the next one.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from support.polling import eventually, scaled
from support.servers.children import process_alive
from support.servers.stack import local_servers
from support.servers.stack.local_servers import Binaries, LocalServer
from support.servers.stack.probe import PROBES
from support.servers.stack.services import (
    ProvisionedStack,
    Services,
    StackUnavailable,
    suite_database_name,
    suite_redis_db,
)
from support.words import in_words

ROOT_PREFIX = "shop-suite-stack-"
# Every process we start carries this in its environment, naming the run's directory: it finds the
# stragglers that left their process group (epmd daemonises itself) and the orphans of killed runs.
MARKER = "SHOP_SUITE_STACK"
READY_WITHIN = {"DATABASE_URL": 30.0, "REDIS_URL": 10.0, "RABBITMQ_URL": 60.0}  # seconds, before the multiplier
STOP_WITHIN = 15.0


class ServerExited(RuntimeError):
    """Not an AssertionError on purpose: `eventually` must stop waiting for a server that has died."""


def missing_binaries() -> str | None:
    """Why the local route cannot be taken here, or None when it can."""
    missing = local_servers.find_binaries().missing()
    return f"not installed (or not found): {', '.join(missing)}" if missing else None


def provision(requested: Mapping[str, str], timeout_multiplier: float = 1.0) -> ProvisionedStack:
    binaries = local_servers.find_binaries()
    if binaries.missing():
        raise StackUnavailable(f"stack=local: these servers are {missing_binaries()}.\n"
                               "Install them, or use -D stack=docker or stack=external.")
    reap_orphans()
    launch = LocalLaunch(binaries, timeout_multiplier)
    # Registered before anything starts, so an interrupt during the launch still cleans up.
    stack = ProvisionedStack(launch.services(requested), teardown=launch.stop)
    try:
        launch.start(requested)
    except BaseException:
        stack.stop()
        raise
    return stack


class LocalLaunch:
    """The servers of one run, started together in one temporary directory."""

    def __init__(self, binaries: Binaries, timeout_multiplier: float = 1.0) -> None:
        self.binaries = binaries
        self.timeout_multiplier = timeout_multiplier
        self.root = Path(tempfile.mkdtemp(prefix=ROOT_PREFIX))
        self.root.chmod(0o711)  # PostgreSQL's user must reach its own subdirectory
        (self.root / "owner.pid").write_text(str(os.getpid()))
        self.ports = dict(zip(("postgres", "redis", "amqp", "dist", "epmd"), local_servers.free_ports(5), strict=True))
        self.servers: list[LocalServer] = []

    def services(self, requested: Mapping[str, str]) -> Services:
        return Services(
            database_url=f"postgresql://postgres@127.0.0.1:{self.ports['postgres']}/"
            f"{suite_database_name(requested['DATABASE_URL'])}",
            redis_url=f"redis://127.0.0.1:{self.ports['redis']}/{suite_redis_db(requested['REDIS_URL'])}",
            rabbitmq_url=f"amqp://guest:guest@127.0.0.1:{self.ports['amqp']}/%2F",
            mode="local",
        )

    def start(self, requested: Mapping[str, str]) -> None:
        env = {name: value for name, value in os.environ.items() if not name.startswith(("RABBITMQ_", "ERL_"))}
        env[MARKER] = str(self.root)
        # RabbitMQ first: it takes seconds to boot, and the other two start (and initdb runs) meanwhile.
        self._started(local_servers.start_rabbitmq(self.binaries, self.root, self.ports, env))
        self._started(local_servers.start_redis(
            self.binaries, self.root, self.ports["redis"], env, suite_redis_db(requested["REDIS_URL"])))
        self._started(local_servers.start_postgres(
            self.binaries, self.root, self.ports["postgres"], env, suite_database_name(requested["DATABASE_URL"])))
        # Quickest first, so a server that cannot start is reported without waiting for RabbitMQ's boot.
        for server in sorted(self.servers, key=lambda server: READY_WITHIN[server.setting]):
            self._wait_until_answering(server)

    def stop(self) -> None:
        """Stop every server (all at once, then wait for each), kill what is left, delete the directory."""
        bound = STOP_WITHIN * self.timeout_multiplier
        try:
            for server in self.servers:
                if server.process.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(server.process.pid, server.stop_signal)
            for server in self.servers:
                with contextlib.suppress(subprocess.TimeoutExpired):  # then killed with its whole group below
                    server.process.wait(bound)
            for server in self.servers:
                _kill_group_of(server.process.pid)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    server.process.wait(5)
            local_servers.kill_private_epmd(self.ports["epmd"])
            kill_marked_processes(self.root)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _started(self, server: LocalServer) -> None:
        self.servers.append(server)
        # For the reaper of a later run, should this one be killed before it can stop them.
        with open(self.root / "process-groups", "a") as groups:
            groups.write(f"{server.process.pid} {_start_time(server.process.pid)}\n")

    def _wait_until_answering(self, server: LocalServer) -> None:
        def answers() -> None:
            if server.process.poll() is not None:
                raise ServerExited(f"it exited with status {server.process.returncode}")
            PROBES[server.setting](server.url, 1.0)

        seconds = READY_WITHIN[server.setting] * self.timeout_multiplier
        try:
            # `eventually` applies the suite-wide multiplier itself; ours was applied already.
            eventually(answers, timeout=seconds / scaled(1.0), interval=0.1,
                       description=f"the local {server.name} on port {server.url.rsplit(':', 1)[1]}")
        except (ServerExited, AssertionError) as failure:
            raise StackUnavailable(f"stack=local: {server.name} did not start: {failure}\n"
                                   f"Last lines of its log:\n{server.log_tail()}") from None


def marked_processes(root: Path) -> list[int]:
    """Pids of live processes started for the run whose directory is `root` (Linux /proc; else none)."""
    needle = f"{MARKER}={root}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0") and int(entry.name) != os.getpid():
                found.append(int(entry.name))
        except OSError:
            continue  # exited meanwhile, or not ours to read
    return found


def kill_marked_processes(root: Path) -> None:
    for pid in marked_processes(root):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    eventually(lambda: _assert_none_left(root), timeout=5.0, interval=0.05,
               description=f"the processes of {root} to exit")


def reap_orphans() -> None:
    """Remove what runs killed before their teardown left behind: their processes and directories."""
    for root in Path(tempfile.gettempdir()).glob(ROOT_PREFIX + "*"):
        try:
            owner = int((root / "owner.pid").read_text())
        except (OSError, ValueError):
            continue  # being created right now, or not one of ours
        if process_alive(owner):
            continue  # another run, still going
        # Best effort: a leftover that outlives SIGKILL must not stop this run from starting.
        with contextlib.suppress(AssertionError):
            _reap(root)


def _reap(root: Path) -> None:
    # Redis and PostgreSQL rewrite their environment (as their process titles), so the marker
    # cannot find them: the launch noted each server's process group and when its leader started.
    for line in _read_lines(root / "process-groups"):
        pid, started = line.split()
        if _start_time(int(pid)) == started:  # not a recycled pid of some other process
            _kill_group_of(int(pid))
    kill_marked_processes(root)
    shutil.rmtree(root, ignore_errors=True)


def _assert_none_left(root: Path) -> None:
    left = marked_processes(root)
    assert not left, f"still running: processes {in_words(left)}"


def _start_time(pid: int) -> str | None:
    try:  # field 22 of stat, counted after the command name, which may itself contain spaces
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text().splitlines()
    except OSError:
        return []




def _kill_group_of(leader: int) -> None:
    # Each server leads its own process group (process_group=0), so this reaches its workers too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(leader, signal.SIGKILL)


