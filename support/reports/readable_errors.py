"""Answers a product owner can act on when a scenario is mistyped: an undefined step gets the closest
sentences the suite understands, a wrong table heading gets the headings the table has and the one the
step asked for (with the nearest match)."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import behave.model

_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_QUOTED = re.compile(r'"[^"]*"')


def _shape(sentence: str) -> str:
    return _QUOTED.sub('"…"', _PLACEHOLDER.sub("…", sentence)).lower()


def closest_sentences(text: str, patterns: Iterable[str], n: int = 3) -> list[str]:
    shaped = _shape(text)
    scored = sorted(((difflib.SequenceMatcher(None, shaped, _shape(p)).ratio(), p) for p in set(patterns)),
                    reverse=True)
    return [pattern for score, pattern in scored[:n] if score >= 0.5]


def registered_sentences(registry=None) -> list[tuple[str, str]]:
    """(keyword, pattern) of every step the suite has loaded."""
    import behave.runner
    import behave.step_registry
    # behave may swap the module's registry for a fresh one after the runner took its own reference.
    candidates = [registry] if registry else [behave.runner.the_step_registry, behave.step_registry.registry]
    for candidate in candidates:
        found = [(keyword, matcher.pattern) for keyword, matchers in candidate.steps.items() for matcher in matchers]
        if found:
            return found
    return []


def undefined_step_message(keyword: str, text: str, sentences: list[tuple[str, str]]) -> str:
    close = closest_sentences(text, [pattern for _, pattern in sentences])
    if not close:
        return f'The suite does not understand "{keyword} {text}", and knows no sentence close to it ' \
               "(make docs lists every sentence it understands)."
    listing = "\n".join(f"  {pattern}" for pattern in close)
    return f'The suite does not understand "{keyword} {text}". The closest sentences it understands:\n{listing}'


class TableHeadingError(LookupError):
    def __str__(self) -> str:
        return self.args[0]


def missing_heading(name: str, headings: Iterable[str]) -> TableHeadingError:
    headings = list(headings)
    near = difflib.get_close_matches(name, headings, n=1, cutoff=0.5)
    hint = f' (is "{near[0]}" meant to be "{name}"?)' if near else ""
    return TableHeadingError(
        f'this step reads a column headed "{name}", which the table does not have{hint}; '
        f"the table's headings are: {' | '.join(headings)}")


class TableRow(dict):
    """A table row as a dict whose missing heading is reported like a mistyped table, not a KeyError."""
    def __init__(self, values: dict, headings: Iterable[str]):
        super().__init__(values)
        self.headings = list(headings)

    def __missing__(self, key):
        raise missing_heading(key, self.headings)


_original_getitem = behave.model.Row.__getitem__


def _row_getitem(row, name):
    if isinstance(name, str) and name not in row.headings:
        raise missing_heading(name, row.headings)
    return _original_getitem(row, name)


def install() -> None:
    """Rows of behave's tables answer a missing heading readably (steps that read `context.table`)."""
    behave.model.Row.__getitem__ = _row_getitem
