"""`make bench`'s figures for scale: time outside the steps, 2 workers against 1, shard balance.

Every figure comes from whole behave processes timed from outside, back to back on this machine, so
the ratios compare like with like; nothing here asserts a time (the targets are in the README).
"""
from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from support.commands import hook_times

_TOOK = re.compile(r"^Took (?:(\d+)min )?([\d.]+)s", re.M)
_SCENARIOS = re.compile(r"^(\d+) scenarios? passed, (\d+) failed", re.M)
_FAILING = re.compile(r"^Failing scenarios:\n((?:[ \t]+\S.*\n?)+)", re.M)


def _cpu_times() -> tuple[float, float] | None:
    """(busy, all) jiffies of the whole machine so far, from /proc/stat (Linux); None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            fields = [float(x) for x in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


# The shared servers' processes by their command name, for where the run's CPU time went.
SERVERS = {"postgres": "PostgreSQL", "beam.smp": "RabbitMQ", "erl_child_setup": "RabbitMQ", "epmd": "RabbitMQ",
           "redis-server": "Redis"}


def _server_cpu() -> dict[str, float]:
    """CPU seconds each shared server has used so far: all its processes, with the children they reaped
    (a PostgreSQL connection's backend is counted by the postmaster once it ended). Empty without /proc."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    used: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        name, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
        if name in SERVERS:  # fields 14-17 of proc(5): utime stime cutime cstime, from `state` (field 3) on
            used[SERVERS[name]] = used.get(SERVERS[name], 0.0) + sum(int(x) for x in rest[11:15]) / tick
    return used


def _own_cpu() -> float:
    """CPU seconds of this process's ended children: the run's behave processes and all they started."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


@dataclass
class SuiteTiming:
    label: str
    wall: float
    in_steps: float
    passed: int
    failed: int
    status: int
    # Cores kept busy on average during the run, by everything on the machine (the suite, the shop, its
    # servers): how much room a second worker has. None where /proc/stat is not there.
    cores_busy: float | None = None
    # Where the time outside the steps went (support/commands/hook_times.py), when the run was timed so.
    breakdown: str = ""
    # CPU seconds the run used, by who used them: the run's own processes (behave, the shop, the fakes'
    # servers) and each shared server; what a second worker competes for.
    cpu: dict[str, float] = field(default_factory=dict)
    # A run that failed: its failing scenarios (behave's list), else the end of what it printed.
    problem: list[str] = field(default_factory=list)

    @property
    def outside_steps(self) -> float:
        """The share of the wall time spent outside the steps (start-up, hooks, fixtures, reports)."""
        return max(0.0, 1 - self.in_steps / self.wall) if self.wall else 0.0

    def line(self) -> str:
        verdict = "passed" if self.status == 0 else "FAILED"
        steps = f", {self.in_steps:.1f} s in steps ({self.outside_steps:.0%} outside them)" if self.in_steps else ""
        cores = f", {self.cores_busy:.2f} of {os.cpu_count()} cores busy" if self.cores_busy is not None else ""
        return (f"{self.label}: {self.wall:.1f} s wall{steps}{cores}, {self.passed} scenarios passed, "
                f"{self.failed} failed ({verdict})")

    def lines(self) -> list[str]:
        """Its line, and under a run that failed what failed: a figure from a failed run is no figure."""
        return [self.line(), *(f"  {problem}" for problem in self.problem)]

    def cpu_line(self) -> str:
        """Where the run's CPU time went, largest first: `CPU 61.0 s: the run's processes 40.1 s, ...`."""
        shares = sorted(((s, who) for who, s in self.cpu.items() if s >= 0.05), reverse=True)
        return f"CPU {sum(self.cpu.values()):.1f} s: " + ", ".join(f"{who} {s:.1f} s" for s, who in shares)


def _run(label: str, command: list[str]) -> SuiteTiming:
    servers_before, own_before = _server_cpu(), _own_cpu()
    cpu_before, began = _cpu_times(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall, cpu_after = time.perf_counter() - began, _cpu_times()
    used = {"the run's processes": _own_cpu() - own_before}
    used.update({who: max(0.0, s - servers_before.get(who, 0.0)) for who, s in _server_cpu().items()})
    cores = None
    if cpu_before and cpu_after and cpu_after[1] > cpu_before[1]:
        share = (cpu_after[0] - cpu_before[0]) / (cpu_after[1] - cpu_before[1])
        cores = share * (os.cpu_count() or 1)
    output = done.stdout + done.stderr
    in_steps = sum(int(m[1] or 0) * 60 + float(m[2]) for m in _TOOK.finditer(output))
    counts = [(int(m[1]), int(m[2])) for m in _SCENARIOS.finditer(output)]
    passed, failed = sum(c[0] for c in counts), sum(c[1] for c in counts)
    heading = output.find(hook_times.HEADING)
    breakdown = output[heading:].strip() if heading >= 0 else ""
    problem = []
    if done.returncode != 0:
        failing = [f"failing: {line.strip()}" for m in _FAILING.finditer(output) for line in m[1].splitlines()]
        problem = failing or [f"exit {done.returncode}; it printed last:",
                              *(f"  {line}" for line in output.strip().splitlines()[-8:])]
    return SuiteTiming(label, wall, in_steps, passed, failed, done.returncode, cores, breakdown, used, problem)


def behave(label: str, args: list[str], *, breakdown: bool = False) -> SuiteTiming:
    """One behave process; with `breakdown`, through hook_times, which says where the time outside the
    steps went (its wrappers cost microseconds a call)."""
    runner = "support.commands.hook_times" if breakdown else "behave"
    return _run(label, [sys.executable, "-m", runner, "--format", "null", *args])


def workers(count: int, args: list[str]) -> SuiteTiming:
    """The parallel runner prints one merged summary; its step time is the sum over the workers."""
    return _run(f"{count} workers", [sys.executable, "-m", "support.commands.parallel", "--workers", str(count),
                                     "--format", "null", *args])


def report(args: list[str], shards: int = 2, pairs: int = 1) -> tuple[list[str], int]:
    """Lines for `make bench`, and an exit status (non-zero if any run failed). With `pairs` > 1 the one-worker
    and two-worker runs alternate that many times and the speed-up is each pair's and their median: on a
    machine whose runs spread by a few seconds, one pair alone says little about a ratio near its target."""
    one = behave("1 worker", args, breakdown=True)
    two = workers(2, args)
    runs, ratios = [one, two], [one.wall / two.wall]
    for _ in range(pairs - 1):
        again_one, again_two = behave("1 worker", args), workers(2, args)
        runs += [again_one, again_two]
        ratios.append(again_one.wall / again_two.wall)
    pieces = [behave(f"shard {k}/{shards}", [*args, "-D", f"shard={k}/{shards}"]) for k in range(1, shards + 1)]
    walls = [piece.wall for piece in pieces]
    lines = [
        *one.lines(),
        f"time outside the steps: {one.outside_steps:.0%} of the wall time (target: at most 10 %)",
        *(f"  {line}" for line in one.breakdown.splitlines()),
        f"  {one.cpu_line()}",
        *two.lines(),
        f"  {two.cpu_line()}",
    ]
    if pairs == 1:
        lines.append(f"2 workers against 1: {ratios[0]:.2f}x faster (target: at least 1.6x)")
    else:
        each = ", ".join(f"{a.wall:.1f}/{b.wall:.1f} s {ratio:.2f}x"
                         for a, b, ratio in zip(runs[::2], runs[1::2], ratios, strict=True))
        lines.append(f"2 workers against 1 over {pairs} pairs of runs: {each}")
        lines += [f"  in a later pair, {line}" if line == run.line() else f"  {line}"
                  for run in runs[2:] if run.status != 0 for line in run.lines()]
        lines.append(f"2 workers against 1: median {statistics.median(ratios):.2f}x faster, "
                     f"{min(ratios):.2f}-{max(ratios):.2f}x (target: at least 1.6x)")
    lines += [
        *(line for piece in pieces for line in piece.lines()),
        f"{shards} shards, each run alone: {min(walls):.1f}-{max(walls):.1f} s, the slowest "
        f"{(max(walls) - min(walls)) / max(walls):.0%} above the fastest's share (target: within 10 %)",
    ]
    status = max(t.status != 0 for t in (*runs, *pieces))
    return lines, int(status)


def load(settings) -> list[str]:
    """The @load scenario's crowd (100 customers, 10 listings each) against the shop as its own processes,
    so the crowd and the shop do not share one interpreter, and with a web process per core, as a machine
    with several cores deploys it (SHOP_WEB_PROCESSES); the figures the load target is about."""
    import dataclasses

    from support.catalogue.arrange import Catalogue
    from support.load.check import pool_figures, whole_catalogue
    from support.load.crowd import browse_together
    from support.people.arrange import Cast
    from support.people.operator import Operator
    from support.servers.suite import scenario_api, start_suite

    processes = os.cpu_count() or 1
    runtime = start_suite(dataclasses.replace(settings, shop="process", shop_processes=processes))
    try:
        api = scenario_api(runtime)
        operator = Operator(api, runtime.operator)
        catalogue = Catalogue(api, operator)
        catalogue.stock_any(20)
        crowd = [p.token for p in Cast(api, operator).enrol_buyers(100)]
        before = pool_figures(operator, api)
        figures = browse_together(api.base_url, crowd, 10, whole_catalogue(catalogue.names()))
        after = pool_figures(operator, api)
    finally:
        runtime.close()
    waits = after.get("waits", 0) - before.get("waits", 0)
    return [
        f"load: {figures.describe()}",
        f"load: {figures.requests} catalogue requests from {figures.customers} concurrent clients to the shop's "
        f"{processes} web process{'es' if processes > 1 else ''} took "
        f"{figures.seconds:.2f} s (target: at most 2.5 s, no errors, no pool waits); pool peak in use "
        f"{after.get('peak_in_use')} of {after.get('size')}, {waits} waits",
    ]
