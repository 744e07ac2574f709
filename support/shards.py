"""Shares the scenarios out: over machines in n shares of about equal duration, the same way on every
machine; over the workers of one machine as they go.

`-D shard=k/n` keeps the k-th share (for a CI matrix over machines). Durations come from the timing file
that `make timings` records from a whole run (support/shard_timings.json, committed); a scenario the
file does not know yet counts as the median of those it knows.

`make acceptance WORKERS=n` gives its workers one folder to claim scenarios in (`-D claims=...`): every
worker walks the same scenarios (even-numbered workers from the last feature back, see `walk_order`) and
runs each one it is first to claim. Fixed shares
balanced by recorded durations came out 4 s apart in a 45 s two-worker run (31.7 s and 27.4 s of steps):
a scenario takes longer beside another worker than alone, and not by the same factor for all of them.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

TIMINGS = Path(__file__).with_name("shard_timings.json")


def scenario_key(feature_filename: str, scenario_name: str) -> str:
    """A scenario's name in the timing file: stable across line moves, unique within a feature."""
    return f"{Path(feature_filename).as_posix()} :: {scenario_name.strip()}"


def load_timings(path: Path = TIMINGS) -> dict[str, float]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"the timing file {path} is not valid JSON ({error}); run 'make timings' again") from None
    return {str(key): float(value) for key, value in data.items()}


def assign(keys: Iterable[str], timings: Mapping[str, float], shards: int) -> dict[str, int]:
    """Each scenario's share (1..shards): longest first, each to the share with the least time so far.

    Deterministic: ties go by name and then to the lowest share number, so every machine of a CI
    matrix computes the same split without talking to the others.
    """
    keys = sorted(set(keys))
    known = [timings[key] for key in keys if key in timings]
    default = statistics.median(known) if known else 1.0
    loads = [0.0] * shards
    share = {}
    for key in sorted(keys, key=lambda k: (-timings.get(k, default), k)):
        lightest = min(range(shards), key=lambda i: (loads[i], i))
        loads[lightest] += timings.get(key, default)
        share[key] = lightest + 1
    return share


def _scenarios(container) -> Iterable:
    """The runnable scenarios of a feature or rule (an outline's examples each count as one)."""
    for item in container.run_items:
        if hasattr(item, "run_items"):  # a Rule
            yield from _scenarios(item)
        elif hasattr(item, "scenarios") and isinstance(item.scenarios, list):  # a ScenarioOutline
            yield from item.scenarios
        else:
            yield item


def _keep(container, wanted) -> None:
    kept = []
    for item in container.run_items:
        if hasattr(item, "run_items"):
            _keep(item, wanted)
            if item.run_items:
                kept.append(item)
        elif hasattr(item, "scenarios") and isinstance(item.scenarios, list):
            item.scenarios[:] = [s for s in item.scenarios if wanted(s)]
            if item.scenarios:
                kept.append(item)
        elif wanted(item):
            kept.append(item)
    container.run_items[:] = kept
    container.scenarios[:] = [item for item in container.scenarios if any(item is k for k in kept)]


def keep_share(features: list, share: int, shards: int, timings: Mapping[str, float],
               skipped: Callable[[object], bool] = lambda scenario: False) -> int:
    """Remove, in place, every feature and scenario outside share `share` of `shards`; returns how many stay.

    A scenario this run will skip (`skipped`: the @load scenario with the shop in-process, say) weighs
    nothing in the balance: the file's duration is for the runs that do run it."""
    every = [(feature, scenario) for feature in features for scenario in _scenarios(feature)]
    timings = dict(timings)
    for feature, scenario in every:
        if skipped(scenario):
            timings[scenario_key(feature.filename, scenario.name)] = 0.0
    split = assign((scenario_key(f.filename, s.name) for f, s in every), timings, shards)
    for feature in features:
        _keep(feature, lambda s, f=feature: split[scenario_key(f.filename, s.name)] == share)
    features[:] = [feature for feature in features if feature.run_items]
    return sum(1 for feature in features for _ in _scenarios(feature))


def apply_share(features: list, shard: tuple[int, int] | None, timings_path: Path = TIMINGS,
                skipped: Callable[[object], bool] = lambda scenario: False) -> str | None:
    """Keep only this run's share when `shard=k/n` is set; returns the line to print, or None."""
    if shard is None:
        return None
    share, shards = shard
    before = sum(1 for feature in features for _ in _scenarios(feature))
    kept = keep_share(features, share, shards, load_timings(timings_path), skipped)
    return f"shard {share}/{shards}: {kept} of {before} scenarios (balanced by {timings_path.name})"


def walk_order(features: list, worker_id: str) -> None:
    """Even-numbered workers walk the features from the last one back (in place). Walking the same way, two
    workers ran the same feature at the same time: the storefront's scenarios beside each other (two
    browsers and all their work on two cores, 48 % slower than alone), the waiting ones beside each other.
    Walking towards each other they run different features, and meet in the middle."""
    if worker_id.isdigit() and int(worker_id) % 2 == 0:
        features.reverse()


class Claims:
    """Scenarios claimed in a folder the workers share: a claim is a file created only if it is not there
    (O_EXCL, atomic on a local file system), so exactly one worker runs each scenario."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._mine: set[int] = set()

    def take(self, key: str) -> bool:
        name = hashlib.sha256(key.encode()).hexdigest()[:32]
        try:
            claim = os.open(self.folder / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        os.write(claim, key.encode())
        os.close(claim)
        return True

    def wrap(self, feature) -> None:
        """Before the feature runs: each scenario runs only once this worker has claimed it. Two scenarios
        of one name (which behave allows) are claimed apart, by their place among their namesakes."""
        seen: Counter[str] = Counter()
        for scenario in feature.walk_scenarios():
            key = scenario_key(feature.filename, scenario.name)
            seen[key] += 1
            scenario.run = functools.partial(self._run, scenario, scenario.run, f"{key} #{seen[key]}")

    def _run(self, scenario, run, key: str, *args, **kwargs) -> bool:
        if not self.take(key):
            return False  # another worker has it: nothing runs, nothing is reported here
        self._mine.add(id(scenario))
        return run(*args, **kwargs)

    def drop_others(self, feature) -> None:
        """After the feature ran: only this worker's scenarios stay, for the summary and the JUnit file."""
        _keep(feature, lambda scenario: id(scenario) in self._mine)


class ScenarioTimings:
    """Each scenario's duration in this run, written where `record_timings` says (`make timings`).

    A scenario this run skipped (the @load scenario in-process, @ui without a browser) keeps the duration
    the file already had for it: a 0 would put it, and its real cost in the runs that do run it, anywhere."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.skipped: set[str] = set()

    def record(self, scenario) -> None:
        key = scenario_key(scenario.filename, scenario.name)
        if scenario.status.name == "skipped":
            self.skipped.add(key)
        else:
            self.seconds[key] = round(scenario.duration, 3)

    def write(self, path: str) -> None:
        earlier = load_timings(Path(path))
        kept = {key: earlier[key] for key in self.skipped if key in earlier and key not in self.seconds}
        merged = {**self.seconds, **kept}
        Path(path).write_text(json.dumps(dict(sorted(merged.items())), indent=1) + "\n", encoding="utf-8")
