"""Splits the scenarios into n shares of about equal duration, the same way on every machine.

`-D shard=k/n` keeps the k-th share (for a CI matrix over machines); `make acceptance WORKERS=n`
gives each of its n local workers one share. Durations come from the timing file that
`make timings` records from a whole run (support/shard_timings.json, committed); a scenario the
file does not know yet counts as the median of those it knows.
"""
from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping
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


def keep_share(features: list, share: int, shards: int, timings: Mapping[str, float]) -> int:
    """Remove, in place, every feature and scenario outside share `share` of `shards`; returns how many stay."""
    every = [(feature, scenario) for feature in features for scenario in _scenarios(feature)]
    split = assign((scenario_key(f.filename, s.name) for f, s in every), timings, shards)
    for feature in features:
        _keep(feature, lambda s, f=feature: split[scenario_key(f.filename, s.name)] == share)
    features[:] = [feature for feature in features if feature.run_items]
    return sum(1 for feature in features for _ in _scenarios(feature))


def apply_share(features: list, shard: tuple[int, int] | None, timings_path: Path = TIMINGS) -> str | None:
    """Keep only this run's share when `shard=k/n` is set; returns the line to print, or None."""
    if shard is None:
        return None
    share, shards = shard
    before = sum(1 for feature in features for _ in _scenarios(feature))
    kept = keep_share(features, share, shards, load_timings(timings_path))
    return f"shard {share}/{shards}: {kept} of {before} scenarios (balanced by {timings_path.name})"


class ScenarioTimings:
    """Each scenario's duration in this run, written where `record_timings` says (`make timings`)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def record(self, scenario) -> None:
        self.seconds[scenario_key(scenario.filename, scenario.name)] = round(scenario.duration, 3)

    def write(self, path: str) -> None:
        Path(path).write_text(json.dumps(dict(sorted(self.seconds.items())), indent=1) + "\n", encoding="utf-8")
