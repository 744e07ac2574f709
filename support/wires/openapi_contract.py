"""Checks every answer the suite receives against the shop's own OpenAPI document.

An undocumented status, or a body that does not fit the documented schema, is a contract break:
the check records it and the scenario fails at its end, naming the operation and the difference.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker


def _template_pattern(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)) + "$")


@dataclass
class ContractCheck:
    document: dict[str, Any]
    breaks: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._paths = [(_template_pattern(t), t, ops) for t, ops in self.document["paths"].items()]

    def check(self, method: str, path: str, status: int, body: Any) -> None:
        """Record every way this answer breaks the contract, and raise AssertionError if it does."""
        found = len(self.breaks)
        self._check(method, path, status, body)
        if len(self.breaks) > found:
            broken = "\n  ".join(self.breaks[found:])
            raise AssertionError(f"the shop's answer breaks its OpenAPI contract:\n  {broken}")

    def _check(self, method: str, path: str, status: int, body: Any) -> None:
        operation, template = self._operation(method, path.split("?")[0])
        where = f"{method} {template or path}"
        if operation is None and template is not None and status == 405:
            return  # a method the path does not have, refused as HTTP says: nothing to document
        if operation is None:
            self.breaks.append(f"{where}: not in the OpenAPI document")
            return
        response = operation["responses"].get(str(status))
        if response is None:
            self.breaks.append(f"{where}: answered {status}, which is not documented")
            return
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return
        validator = Draft202012Validator(
            {**schema, "components": self.document["components"]}, format_checker=FormatChecker()
        )
        for error in validator.iter_errors(body):
            location = "$" + "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in error.absolute_path)
            self.breaks.append(f"{where} {status}: {location}: {error.message}")

    def _operation(self, method: str, path: str):
        for pattern, template, operations in self._paths:
            if pattern.match(path):
                return operations.get(method.lower()), template
        return None, None
