"""`make watch`: reruns the affected feature whenever a feature, step or shop file changes.

- a feature file: that feature;
- a step file: every feature that uses one of its sentences;
- a file of shop/ or support/: the features whose steps use a module of that name (shop/payments.py
  -> the steps importing support/payments/...), else every feature.
Runs until Ctrl-C. Usage: python -m support.commands.watch [-D name=value ...]
"""
from __future__ import annotations

import argparse
import queue
import re
import subprocess
import sys
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

ROOT = Path(__file__).resolve().parents[2]
WATCHED = ("features", "steps", "shop", "support")
QUIET_SECONDS = 0.3  # editors write a file in several events; wait for them to settle before running


def affected_features(changed: Path, root: Path = ROOT) -> list[str]:
    rel = changed.resolve().relative_to(root)
    features = sorted(str(p.relative_to(root)) for p in (root / "features").rglob("*.feature"))
    if rel.suffix == ".feature":
        return [str(rel)]
    if rel.parts[0] == "steps":
        return _features_using_step_file(root, rel) or features
    name = rel.stem if rel.stem != "__init__" else rel.parent.name
    steps = [p for p in (root / "steps").glob("*.py")
             if re.search(rf"\b{re.escape(name)}\b", p.read_text(encoding="utf-8"))]
    found = sorted({f for step_file in steps for f in _features_using_step_file(root, step_file.relative_to(root))})
    return found or features


def _features_using_step_file(root: Path, step_file: Path) -> list[str]:
    patterns = [re.sub(r"\{[^}]*\}", "(.+)", m) for m in re.findall(
        r'@(?:given|when|then|step)\((?:u?["\'])(.*)["\']\)', (root / step_file).read_text(encoding="utf-8"))]
    matchers = [re.compile(r"^\s*(?:Given|When|Then|And|But|\*)\s+" + _escape_keep_groups(p) + r"\s*$", re.M)
                for p in patterns]
    return sorted(str(p.relative_to(root)) for p in (root / "features").rglob("*.feature")
                  if any(m.search(p.read_text(encoding="utf-8")) for m in matchers))


def _escape_keep_groups(pattern: str) -> str:
    return re.escape(pattern).replace(re.escape("(.+)"), "(.+)")


class _Changes(FileSystemEventHandler):
    def __init__(self, changes: queue.Queue):
        self.changes = changes

    def on_any_event(self, event):
        path = Path(getattr(event, "dest_path", "") or event.src_path)
        if not event.is_directory and path.suffix in (".py", ".feature") and "__pycache__" not in path.parts:
            self.changes.put(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make watch", description=__doc__.splitlines()[0])
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    changes: queue.Queue = queue.Queue()
    observer = Observer()
    for folder in WATCHED:
        observer.schedule(_Changes(changes), str(ROOT / folder), recursive=True)
    observer.start()
    print(f"Watching {', '.join(WATCHED)}; Ctrl-C to stop.", flush=True)
    try:
        while True:
            changed = {changes.get()}
            while True:  # gather the burst of events one save makes
                try:
                    changed.add(changes.get(timeout=QUIET_SECONDS))
                except queue.Empty:
                    break
            targets = sorted({f for path in changed if path.exists() for f in affected_features(path)})
            if not targets:
                continue
            names = ", ".join(sorted(str(p.relative_to(ROOT)) for p in changed if p.exists()))
            print(f"\n{names} changed: running {' '.join(targets)}", flush=True)
            subprocess.run([sys.executable, "-m", "behave", *(f"-D{d}" for d in args.define), *targets],
                           cwd=ROOT, check=False)
    except KeyboardInterrupt:
        return 0
    finally:
        observer.stop()
        observer.join()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
