"""The Allure labels and links of a scenario, worked out from where it lives and how it is tagged.

- epic: the feature's capability area, `@epic:<Area>` on the feature, else the feature file's folder
  under features/ (if any), else the file's name ("orders.feature" -> "Orders");
- feature: the feature's name; story: the `Rule:` the scenario sits in (if any);
- severity: `@blocker @critical @normal @minor @trivial` on the scenario, else on its rule or feature
  (a feature-wide default), else "normal";
- links: `@issue:<id>` and `@tms:<id>` through the `issue_pattern` and `tms_pattern` settings
  (`{}` stands for the id), `@link:<url>` as it is.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")
DEFAULT_SEVERITY = "normal"
LINK_KINDS = ("issue", "tms", "link")


@dataclass(frozen=True)
class LinkTag:
    kind: str
    name: str
    url: str


@dataclass(frozen=True)
class ScenarioMetadata:
    epic: str
    feature: str
    story: str | None
    severity: str
    links: list[LinkTag] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def epic_of(feature_file: str, feature_tags: Iterable[str]) -> str:
    for tag in feature_tags:
        if tag.startswith("epic:") and tag[5:].strip():
            return tag[5:].strip().replace("_", " ")
    path = PurePath(feature_file)
    parts = path.parts
    folder = parts[-2] if len(parts) >= 2 and parts[-2] != "features" else None
    return _title(folder or path.stem)


def severity_of(scenario_tags: Iterable[str], *outer_tags: Iterable[str]) -> str:
    """The scenario's own severity tag wins, then its rule's, then its feature's."""
    for tags in (scenario_tags, *outer_tags):
        found = [tag for tag in tags if tag in SEVERITIES]
        if found:
            return found[0]
    return DEFAULT_SEVERITY


def links_of(tags: Iterable[str], patterns: dict[str, str]) -> list[LinkTag]:
    links = []
    for tag in tags:
        kind, sep, value = tag.partition(":")
        if not sep or kind not in LINK_KINDS or not value:
            continue
        if kind == "link" or value.startswith(("http://", "https://")):
            url = value
        else:
            url = patterns.get(kind) and patterns[kind].replace("{}", value) or value
        name = value if kind == "link" else f"{kind} {value}"
        links.append(LinkTag(kind, name, url))
    return links


def describe(feature_file: str, feature_name: str, feature_tags: list[str], rule_name: str | None,
             rule_tags: list[str], scenario_tags: list[str], patterns: dict[str, str]) -> ScenarioMetadata:
    all_tags = [*feature_tags, *rule_tags, *scenario_tags]
    plain = [t for t in all_tags if t not in SEVERITIES and t.partition(":")[0] not in (*LINK_KINDS, "epic")]
    return ScenarioMetadata(
        epic=epic_of(feature_file, feature_tags),
        feature=feature_name,
        story=rule_name or None,
        severity=severity_of(scenario_tags, rule_tags, feature_tags),
        links=links_of(all_tags, patterns),
        tags=list(dict.fromkeys(plain)),
    )


def _title(name: str) -> str:
    words = name.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else name
