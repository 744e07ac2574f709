"""The shop under test as an operator runs it: its web server and its worker as child processes of the
run (`shop=process`), or a shop somebody already started (`shop=url`).

Children are configured by environment variables only, on free loopback ports they print once ready,
and are stopped after the run also when it fails or is interrupted (Ctrl-C, SIGTERM); they die with the
run even when it is killed outright (the kernel's parent-death signal). Their log lines are kept, so a
failing scenario carries the lines of its own time, and a child dying mid-run stops the run with one
message: which process, its exit code, its last lines and how to fix it.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Mapping

import requests

from support.door import SEND_EMAILS, SERVE, SERVING, SHOP_COMMAND, WORKER, WORKER_HEALTH, WorkerState, run_command
from support.polling import eventually
from support.servers.children import die_with_parent
from support.servers.stack.services import _make_sigterm_unwind, _restore_sigterm
from support.watchdog import made_progress

READY_WITHIN = 30.0  # seconds, before the timeout multiplier
STOP_WITHIN = 10.0
TAIL = 25


class ShopUnavailable(Exception):
    """The shop did not start, is not there, or died; str(exc) says which process, why and how to fix it."""


class KeptLines:
    """Every line the shop's processes wrote, in order, each marked with the process that wrote it."""

    def __init__(self):
        self.lines: list[str] = []
        self._lock = threading.Lock()

    def add(self, who: str, line: str) -> None:
        with self._lock:
            self.lines.append(f"[{who}] {line}")

    def tail(self, who: str, count: int = TAIL) -> str:
        with self._lock:
            mine = [line for line in self.lines if line.startswith(f"[{who}] ")]
        return "\n".join(mine[-count:]) or "(it wrote nothing)"


class ShopProcess:
    """One command of the shop, run as a child: its output kept, and the address it says it serves."""

    def __init__(self, name: str, args: list[str], env: Mapping[str, str], log: KeptLines, ready_line: str):
        self.name, self._log, self._ready_line = name, log, ready_line
        self.address: str | None = None
        self._ready = threading.Event()
        self.process = subprocess.Popen(
            [*SHOP_COMMAND, *args], env=dict(env), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, bufsize=1, preexec_fn=die_with_parent,
        )
        self.stopping = False
        self._output_ended = False
        threading.Thread(target=self._read, name=f"shop-{name}-log", daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self._log.add(self.name, line)
            if self.address is None and line.startswith(self._ready_line):
                self.address = line.removeprefix(self._ready_line).strip()
                self._ready.set()
        self._output_ended = True
        self._ready.set()  # the output ended: the process is gone; whoever waits should look

    def wait_for_address(self, within: float) -> str:
        self._ready.wait(within)
        if self.address is None and self._output_ended:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(STOP_WITHIN)  # its output has ended: its exit code is a moment away
        if self.address is None:
            running = self.process.poll() is None
            raise ShopUnavailable(self.death_notice("did not say it was ready" if running else "ended while starting",
                                                    within if running else None))
        return self.address

    def died(self) -> bool:
        return not self.stopping and self.process.poll() is not None

    def death_notice(self, what: str, within: float | None = None) -> str:
        code = self.process.poll()
        waited = f" within {within:.0f}s" if within is not None else ""
        return (
            f"The shop's {self.name} process ({' '.join(['python -m shop', *self._args_shown()])}) {what}{waited}"
            f"{'' if code is None else f'; exit code {code}'}. Its last lines:\n{self._log.tail(self.name)}\n"
            "To fix: read those lines (a setting the shop refuses, a server it cannot reach, a port in use); run "
            "the same command by hand with the environment the README shows; raise timeout_multiplier on a "
            "slow machine."
        )

    def _args_shown(self) -> list[str]:
        return self.process.args[len(SHOP_COMMAND):]

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        self.stopping = True
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(STOP_WITHIN)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_WITHIN)
        return self.process.returncode


class ShopProcesses:
    """`python -m shop serve` and `python -m shop worker` as children of the run."""

    mode = "process"

    def __init__(self, env: Mapping[str, str], timeout_multiplier: float = 1.0):
        self._env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self._within = READY_WITHIN * timeout_multiplier
        self.log = KeptLines()
        self._worker: ShopProcess | None = None
        self._health: str | None = None
        self._prober = requests.Session()  # asks the worker's health endpoint (see worker_health)
        self._stopped = False
        atexit.register(self.stop)
        self._previous_sigterm = _make_sigterm_unwind()
        self._web = ShopProcess("web", SERVE, self._env, self.log, SERVING)
        try:
            self.url = self._web.wait_for_address(self._within)
            try:
                eventually(self._healthy, timeout=READY_WITHIN, description="the shop to report itself healthy")
            except AssertionError as error:
                raise ShopUnavailable(self._web.death_notice(f"did not become healthy ({error})")) from None
            self.start_worker()
        except BaseException:
            self.stop()
            raise

    def _healthy(self) -> None:
        if self._web.died():
            raise ShopUnavailable(self._web.death_notice("ended while starting"))
        reply = requests.get(f"{self.url}/api/health", timeout=2)
        assert reply.status_code == 200, f"the shop says it is not healthy: {reply.status_code} {reply.text[:300]}"

    # -- the worker ---------------------------------------------------------------------------------
    def start_worker(self) -> None:
        if self._worker is not None and self._worker.process.poll() is None:
            return
        self._worker = ShopProcess("worker", WORKER, self._env, self.log, WORKER_HEALTH)
        self._health = self._worker.wait_for_address(self._within)
        made_progress()  # it started; on a busy machine, connecting and consuming may take a while more
        try:
            eventually(self._consuming, timeout=READY_WITHIN, description="the order-events worker to consume")
        except AssertionError as error:
            raise ShopUnavailable(self._worker.death_notice(f"did not start consuming ({error})")) from None

    def _consuming(self) -> None:
        if self._worker.died():
            raise ShopUnavailable(self._worker.death_notice("ended while starting"))
        assert self.worker_state().consuming, "the worker has no consumer on its queue yet"

    def stop_worker(self) -> None:
        """As an orchestrator stops it: SIGTERM, the worker finishes what it holds and closes."""
        if self._worker is not None:
            self._worker.stop(signal.SIGTERM)

    def kill_worker(self) -> None:
        """The worker dies abruptly (SIGKILL): no goodbye, its unacknowledged messages go back to the queue."""
        if self._worker is not None:
            self._worker.stop(signal.SIGKILL)

    def worker_state(self) -> WorkerState:
        if self._worker is None or self._worker.process.poll() is not None:
            return WorkerState(consuming=False, busy=False)
        return worker_health(self._health, self._prober)

    # -- operator commands ---------------------------------------------------------------------------
    def send_emails(self) -> str:
        return run_send_emails(self._env, self._within)

    def run_command(self, args: list[str], extra_env: Mapping[str, str] | None = None):
        return run_command(self._env, args, extra_env)

    # -- life ---------------------------------------------------------------------------------------
    def check_alive(self) -> None:
        for process in (self._web, self._worker):
            if process is not None and process.died():
                raise ShopUnavailable(process.death_notice("died during the run"))

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for process in (self._worker, getattr(self, "_web", None)):
            if process is not None:
                process.stop()
        self._prober.close()
        atexit.unregister(self.stop)
        _restore_sigterm(self._previous_sigterm)


def worker_health(url: str, session: requests.Session | None = None) -> WorkerState:
    """What the worker's health endpoint (`python -m shop worker` prints it) says; not consuming if it is silent.
    With a `session`, over its kept connection: the endpoint keeps it open, and the drain check asks two or
    three times a scenario (0.64 ms a question over a kept connection, 1.17 ms over a new one each time)."""
    try:
        state = (session or requests).get(url, timeout=2).json()
    except (requests.RequestException, ValueError):
        return WorkerState(consuming=False, busy=False)
    return WorkerState(bool(state.get("consuming")), bool(state.get("busy")))


def run_send_emails(env: Mapping[str, str], within: float) -> str:
    """`python -m shop send-emails`, as an operator (or a scheduler) runs it; what it printed."""
    return emails_outcome(run_command(env, SEND_EMAILS, timeout=within))


def emails_outcome(done: subprocess.CompletedProcess) -> str:
    """The last line `python -m shop send-emails` printed; AssertionError if it failed."""
    if done.returncode not in (0, 1):  # 1: some emails are still pending, which is an answer, not a failure
        raise AssertionError(f"python -m shop send-emails failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


class RunningShop:
    """A shop somebody else started (`shop=url`): the suite starts nothing of it and stops nothing of it."""

    mode = "url"

    def __init__(self, url: str, env: Mapping[str, str], timeout_multiplier: float = 1.0):
        self.url = url.rstrip("/")
        self._env = dict(env)
        self._within = READY_WITHIN * timeout_multiplier
        self.log = KeptLines()
        try:
            eventually(self._healthy, timeout=5, description=f"the shop at {self.url} to answer")
        except AssertionError as error:
            raise ShopUnavailable(
                f"No healthy shop answers at SHOP_URL {self.url}: {error}\nTo fix: start the shop as the README "
                f"shows (python -m shop serve, with the environment of `python -m support.commands.shop_env`), "
                f"or point shop_url (-D shop_url=... or SHOP_URL) at where it runs."
            ) from None

    def _healthy(self) -> None:
        try:
            reply = requests.get(f"{self.url}/api/health", timeout=2)
        except requests.RequestException as error:
            raise AssertionError(f"{type(error).__name__}: {error}") from None
        assert reply.status_code == 200, f"it answers {reply.status_code} {reply.text[:300]}"

    def _cannot(self, what: str):
        raise AssertionError(f"shop=url: the suite does not run this shop's worker, so it cannot {what}; "
                             f"scenarios that need it are tagged @needs.worker_control and skipped in this mode")

    def start_worker(self) -> None:
        pass  # it runs wherever its operator started it

    def stop_worker(self) -> None:
        self._cannot("stop the worker")

    def kill_worker(self) -> None:
        self._cannot("kill the worker")

    def worker_state(self) -> WorkerState | None:
        return None  # unknown here: the broker's consumer count tells whether it consumes

    def send_emails(self) -> str:
        return run_send_emails(self._env, self._within)

    def run_command(self, args: list[str], extra_env: Mapping[str, str] | None = None):
        return run_command(self._env, args, extra_env)

    def check_alive(self) -> None:
        pass

    def stop(self) -> None:
        pass
