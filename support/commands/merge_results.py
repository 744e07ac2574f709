"""`make merge-results FROM='shard-1 shard-2 ...'`: the Allure results of several shards, as one run's.

Each shard (a machine of a CI matrix) uploads its `reports/allure-results`; the merge job downloads
them into folders and copies every result into one folder, which `make report` turns into one report.
Allure names each result, container and attachment by a fresh UUID, so nothing collides; the run
facts (environment.properties, executor.json, categories.json) are the same kind of file in every
shard, and the merge keeps one of each, taking the last shard's.
Usage: python -m support.commands.merge_results --into reports/allure-results DIR [DIR ...]
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

RUN_FACTS = {"environment.properties", "executor.json", "categories.json"}


def merge(sources: list[Path], into: Path) -> dict[str, int]:
    """Copy every shard's results into `into`; returns how many results each shard gave."""
    missing = [str(source) for source in sources if not source.is_dir()]
    if missing:
        raise FileNotFoundError(f"no Allure results folder at {', '.join(missing)}")
    into.mkdir(parents=True, exist_ok=True)
    already = [path for path in into.iterdir() if path.is_file() and path.name not in RUN_FACTS]
    if already:  # a run on this machine wrote there: refused rather than mixed in, or deleted
        results = sum(path.name.endswith("-result.json") for path in already)
        raise FileExistsError(
            f"{into} already holds {len(already)} files ({results} scenario results), from a run on this "
            f"machine perhaps; the merge starts from an empty folder: move them elsewhere (or remove them), "
            f"then merge again")
    counts: dict[str, int] = {}
    came_from: dict[str, Path] = {}
    for source in sources:
        counts[str(source)] = 0
        for path in sorted(source.iterdir()):
            if not path.is_file():
                continue
            if path.name in came_from and path.name not in RUN_FACTS:
                raise FileExistsError(f"{path.name} is in the results of both {came_from[path.name]} and {source}: "
                                      "was one shard's folder downloaded twice?")
            came_from[path.name] = source
            shutil.copyfile(path, into / path.name)
            counts[str(source)] += path.name.endswith("-result.json")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make merge-results", description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, default=Path("reports/allure-results"))
    parser.add_argument("sources", type=Path, nargs="+", help="each shard's downloaded allure-results folder")
    args = parser.parse_args(argv)
    try:
        counts = merge(args.sources, args.into)
    except (FileNotFoundError, FileExistsError) as error:
        print(f"merge-results: {error}", file=sys.stderr)
        return 2
    for source, count in counts.items():
        print(f"{source}: {count} scenario results")
    print(f"merged into {args.into}: {sum(counts.values())} scenario results; 'make report' turns them into one report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
