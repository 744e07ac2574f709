"""Runs features and scenarios in a shuffled order (setting `order=random`), to prove no scenario
depends on another. The shuffle follows the run's seed, so a failing order can be replayed."""
from __future__ import annotations

import random
from collections.abc import MutableSequence

ORDERS = ("defined", "random")


def shuffle(items: MutableSequence, seed: int, salt: str = "") -> None:
    """Shuffle in place, the same way for the same seed and salt (e.g. the feature's file name)."""
    random.Random(f"{seed}:{salt}").shuffle(items)


def shuffle_feature(feature, seed: int) -> None:
    """Shuffle a feature's scenarios, and the examples of each outline, in place."""
    shuffle(feature.run_items, seed, feature.filename)
    for item in feature.run_items:
        if hasattr(item, "scenarios") and isinstance(item.scenarios, list):
            shuffle(item.scenarios, seed, f"{feature.filename}:{item.line}")
