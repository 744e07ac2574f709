"""`make docs`: the living documentation, one HTML page a product owner can browse.

Every sentence the suite understands, grouped by capability (its step file), each with a one-line
description (the step's docstring), its parameters, an example from the features and how often the
features use it; then the features themselves with their scenarios and the latest results (from the
last run's Allure results). Generic: it reads whatever steps/ and features/ hold.
Usage: python -m support.reports.docs [--output FILE] [--results DIR]
"""
from __future__ import annotations

import argparse
import email.errors  # noqa: F401 - loaded before steps/ joins sys.path, where steps/email.py would shadow it
import email.parser  # noqa: F401
import html
import http.client  # noqa: F401
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import graphql  # noqa: F401 - likewise: steps/graphql.py would shadow the GraphQL library the shop imports

ROOT = Path(__file__).resolve().parents[2]
FIELD = re.compile(r"\{(\w*)(?::([^}]+))?\}")
# What each parameter type accepts, in words (types registered in support/step_types.py and behave's own).
TYPE_WORDS = {
    None: "any words", "d": "a whole number", "w": "a word", "f": "a number", "Person": "a person's first name",
    "Money": "an amount such as 45.00", "Quantity": "a whole number (zero and negative too)",
    "Ordinal": "a position such as 2nd", "Role": "customer or administrator", "Path": "a path without spaces",
    "Pronoun": "he or she", "Possessive": "his or her",
}


@dataclass
class Sentence:
    keyword: str
    pattern: str
    description: str
    location: str
    capability: str
    parameters: list[tuple[str, str]]
    matcher: object = None
    examples: list[str] = field(default_factory=list)


@dataclass
class ScenarioDoc:
    name: str
    steps: list[str]
    status: str


@dataclass
class FeatureDoc:
    name: str
    file: str
    description: list[str]
    scenarios: list[ScenarioDoc]


def load_sentences(steps_dir: Path):
    """The suite's step registry, loaded as behave loads it."""
    import behave.step_registry
    from behave.runner_util import load_step_modules

    from support.step_types import register_all

    register_all()
    load_step_modules([str(steps_dir)])
    # The registry the step decorators wrote to (behave may have swapped the module's for a fresh one).
    import behave.runner
    registry = max((behave.runner.the_step_registry, behave.step_registry.registry),
                   key=lambda r: sum(len(m) for m in r.steps.values()))
    sentences = []
    for keyword, matchers in registry.steps.items():
        for matcher in matchers:
            func = matcher.func
            doc = (func.__doc__ or "").strip().splitlines()
            sentences.append(Sentence(
                keyword=keyword.capitalize(), pattern=matcher.pattern,
                description=doc[0] if doc else _humanize(func.__name__),
                location=f"{_relative(func.__code__.co_filename)}:{func.__code__.co_firstlineno}",
                capability=_title(Path(func.__code__.co_filename).stem),
                parameters=[(name or "(unnamed)", TYPE_WORDS.get(kind or None, kind))
                            for name, kind in FIELD.findall(matcher.pattern)],
                matcher=matcher,
            ))
    return registry, sentences


def load_features(features_dir: Path, registry, sentences: list[Sentence], results: dict[str, str]) -> list[FeatureDoc]:
    from behave.parser import parse_file

    by_matcher = {id(s.matcher): s for s in sentences}
    features = []
    for path in sorted(features_dir.rglob("*.feature")):
        feature = parse_file(str(path))
        if feature is None:
            continue
        scenarios = []
        for scenario in feature.walk_scenarios(with_outlines=True):
            if type(scenario).__name__ == "Scenario" and getattr(scenario, "_row", None):
                continue  # an outline's generated example; the outline itself is shown once
            steps = list(feature.background.steps if feature.background else []) + list(scenario.steps)
            for step in steps:
                candidates = [*registry.steps.get(step.step_type, []), *registry.steps["step"]]
                matcher = next((m for m in candidates if m.match(step.name)), None)
                if matcher is not None and id(matcher) in by_matcher:
                    by_matcher[id(matcher)].examples.append(f"{step.keyword} {step.name}")
            scenarios.append(ScenarioDoc(scenario.name, [f"{s.keyword} {s.name}" for s in scenario.steps],
                                         results.get(f"{feature.name}: {scenario.name}", "not run")))
        features.append(FeatureDoc(feature.name, str(path.relative_to(features_dir.parent)), feature.description,
                                   scenarios))
    return features


def latest_results(results_dir: Path) -> dict[str, str]:
    """Status by "Feature: scenario" from the last run (outline rows: the worst of them)."""
    rank = {"passed": 0, "skipped": 1, "unknown": 2, "broken": 3, "failed": 4}
    statuses: dict[str, str] = {}
    for path in results_dir.glob("*-result.json") if results_dir.is_dir() else []:
        result = json.loads(path.read_text(encoding="utf-8"))
        key, status = result.get("fullName", ""), result.get("status", "unknown")
        if rank.get(status, 2) >= rank.get(statuses.get(key, "passed"), 0):
            statuses[key] = status
    return statuses


def render(sentences: list[Sentence], features: list[FeatureDoc]) -> str:
    groups: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        groups[sentence.capability].append(sentence)
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>The shop: what the suite "
             f"understands</title><style>{CSS}</style></head><body>",
             "<h1>The shop's living documentation</h1>",
             f"<p class='lead'>{len(sentences)} sentences the acceptance suite understands, in "
             f"{len(groups)} capabilities, and {len(features)} features with their latest results.</p>",
             "<input id='filter' type='search' placeholder='Filter sentences and scenarios…'>",
             "<nav><h2>Sentences</h2><ul>", *(f"<li><a href='#cap-{_slug(c)}'>{e(c)}</a> ({len(groups[c])})</li>"
                                              for c in sorted(groups)),
             "</ul><h2>Features</h2><ul>", *(f"<li><a href='#feat-{_slug(f.name)}'>{e(f.name)}</a></li>" for f in features),
             "</ul></nav><main><h2>Sentences by capability</h2>"]
    for capability in sorted(groups):
        parts.append(f"<section class='capability' id='cap-{_slug(capability)}'><h3>{e(capability)}</h3>")
        for s in sorted(groups[capability], key=lambda s: ("GivenWhenThenStep".find(s.keyword), s.pattern)):
            params = "".join(f"<li><code>{e(n)}</code>: {e(w)}</li>" for n, w in s.parameters) or "<li>none</li>"
            example = (f"<div class='example'>e.g. <q>{e(s.examples[0])}</q> (used {len(s.examples)} times)</div>"
                       if s.examples else "<div class='example unused'>not used by any feature yet</div>")
            parts.append(f"<article class='sentence' data-text='{e(s.pattern.lower())}'><div class='pattern'>"
                         f"<span class='kw'>{e(s.keyword)}</span> {_highlight(s.pattern)}</div>"
                         f"<div class='description'>{e(s.description)}</div><ul class='params'>{params}</ul>"
                         f"{example}<div class='where'>{e(s.location)}</div></article>")
        parts.append("</section>")
    parts.append("<h2>Features and their latest results</h2>")
    for feature in features:
        counts = defaultdict(int)
        for scenario in feature.scenarios:
            counts[scenario.status] += 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        parts.append(f"<section class='feature' id='feat-{_slug(feature.name)}'><h3>{e(feature.name)} "
                     f"<small>{e(feature.file)}: {summary}</small></h3>"
                     f"<p>{e(' '.join(feature.description))}</p>")
        for scenario in feature.scenarios:
            steps = "".join(f"<li>{e(step)}</li>" for step in scenario.steps)
            parts.append(f"<details class='scenario {scenario.status.replace(' ', '-')}' data-text='"
                         f"{e(scenario.name.lower())}'><summary><span class='status'>{e(scenario.status)}</span> "
                         f"{e(scenario.name)}</summary><ol>{steps}</ol></details>")
        parts.append("</section>")
    parts.append(f"</main><script>{SCRIPT}</script></body></html>")
    return "\n".join(parts)


def build(output: Path, results: Path, steps_dir: Path = ROOT / "steps", features_dir: Path = ROOT / "features"):
    registry, sentences = load_sentences(steps_dir)
    features = load_features(features_dir, registry, sentences, latest_results(results))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(sentences, features), encoding="utf-8")
    return sentences, features


def _relative(filename: str) -> str:
    path = Path(filename).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else filename


def _humanize(name: str) -> str:
    return name.removeprefix("step_").replace("_", " ").capitalize()


def _title(stem: str) -> str:
    return stem.replace("_", " ").capitalize()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _highlight(pattern: str) -> str:
    return FIELD.sub(lambda m: f"<span class='param'>{html.escape(m.group(0))}</span>", html.escape(pattern))


CSS = """body{font-family:system-ui,sans-serif;margin:0;display:grid;grid-template-columns:260px 1fr;color:#222}
h1,.lead,#filter{grid-column:1/3;margin:12px 24px}#filter{padding:8px;font-size:15px}
nav{padding:0 16px;font-size:14px;border-right:1px solid #ddd}nav ul{padding-left:18px}main{padding:0 24px}
.sentence{border:1px solid #e2e2e2;border-radius:6px;padding:8px 12px;margin:8px 0}
.pattern{font-family:monospace;font-size:15px}.kw{color:#6a1b9a;font-weight:bold}.param{color:#00695c;font-weight:bold}
.description{margin:4px 0}.params{margin:2px 0;font-size:13px;color:#555}.example{font-size:13px}
.unused{color:#b26a00}.where{font-size:11px;color:#999}.scenario{margin:4px 0}.status{font-size:12px;padding:1px 6px;
border-radius:8px;background:#eee}.passed .status{background:#c8e6c9}.failed .status,.broken .status{background:#ffcdd2}
small{font-weight:normal;color:#777}.hidden{display:none}"""
SCRIPT = """document.getElementById('filter').addEventListener('input',e=>{const q=e.target.value.toLowerCase();
document.querySelectorAll('[data-text]').forEach(el=>el.classList.toggle('hidden',!!q&&!el.dataset.text.includes(q)));});"""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make docs", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "reports" / "docs" / "index.html")
    parser.add_argument("--results", type=Path, default=ROOT / "reports" / "allure-results")
    args = parser.parse_args(argv)
    sentences, features = build(args.output, args.results)
    unused = sum(1 for s in sentences if not s.examples)
    print(f"Living documentation: {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
          f" ({len(sentences)} sentences, {unused} not used by any feature; {len(features)} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
