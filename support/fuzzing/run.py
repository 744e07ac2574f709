"""Runs schemathesis, as a library, against the API the shop serves: its OpenAPI document and its GraphQL endpoint.

For every operation, Hypothesis generates `cases` requests that fit the description (positive) and
`cases` that break it on purpose (negative), sent once with each pass given. Every answer goes through
schemathesis' own checks: no server error, a documented status and content type, a body that fits
the schema. A failing case is kept with the curl line that replays it, and the run carries on, so one
run reports every operation's problems, not only the first. Each answer restarts the step's watchdog
clock (support/watchdog.py): the bound is on a request left unanswered, not on the whole run.
"""
from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from support.watchdog import StepTimeout, made_progress

OPENAPI_CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
    response_headers_conformance,
]
TIMEOUT = 10
# The findings kept per operation and pass: enough to see the pattern, few enough to read.
KEPT_PER_OPERATION = 5


@dataclass(frozen=True)
class Finding:
    operation: str
    who: str
    problem: str
    curl: str

    def describe(self) -> str:
        return f"{self.operation} as {self.who}: {self.problem}\n    {self.curl}"


@dataclass
class FuzzReport:
    what: str
    cases: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    @property
    def per_second(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        fewest = min(self.cases.values(), default=0)
        return (f"{self.what}: {self.total} cases over {len(self.cases)} operations (at least {fewest} each) in "
                f"{self.seconds:.1f} s, {self.per_second:.0f} cases per second; {len(self.findings)} findings")

    def describe(self) -> str:
        per_operation = "\n".join(f"  {n:5d}  {operation}" for operation, n in sorted(self.cases.items()))
        found = "\n\n".join(f.describe() for f in self.findings) or "none"
        return f"{self.summary()}\n\nCases per operation:\n{per_operation}\n\nFindings:\n{found}\n"


def fuzz_openapi(base_url: str, passes: dict[str, str], cases: int, seed: int) -> FuzzReport:
    """Every operation of the OpenAPI document the shop serves, fuzzed with each pass (holder -> token)."""
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")
    return _fuzz("REST API", schema, base_url, passes, cases, seed, OPENAPI_CHECKS, _no_extra_problem)


def fuzz_graphql(base_url: str, passes: dict[str, str], introspecting_pass: str, cases: int, seed: int) -> FuzzReport:
    """Every query and mutation of the GraphQL schema the shop serves (read by introspection, as an administrator)."""
    schema = schemathesis.graphql.from_url(
        f"{base_url}/graphql", headers={"Authorization": f"Bearer {introspecting_pass}"}, timeout=TIMEOUT
    )
    # schemathesis' own GraphQL check counts any error as the server's, a NOT_FOUND for a made-up id included;
    # the shop's contract is narrower: documented statuses, and no field failing with a server error.
    return _fuzz("GraphQL API", schema, base_url, passes, cases, seed, [], _graphql_problem)


def _no_extra_problem(response) -> str | None:
    return None


GRAPHQL_STATUSES = (200, 400, 401)


def _graphql_problem(response) -> str | None:
    """A server error, an undocumented status, or a field that failed with a server error inside a 200."""
    if response.status_code not in GRAPHQL_STATUSES:
        return f"answered {response.status_code}, documented are {GRAPHQL_STATUSES}: {response.text[:300]}"
    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        return f"the answer is not a JSON object: {response.text[:300]}"
    failed = [e.get("message") for e in errors if (e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"]
    return f"a field failed with a server error: {failed}" if failed else None


def _fuzz(what: str, schema, base_url: str, passes: dict[str, str], cases: int, seed: int, checks: list,
          extra: Callable) -> FuzzReport:
    report = FuzzReport(what)
    started = time.perf_counter()
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                # One strategy for every pass: building it (hypothesis-jsonschema) costs more than the cases.
                strategy = operation.as_strategy(generation_mode=mode)
                for who, token in passes.items():
                    sent = _run_operation(operation, strategy, f"{who} ({mode.value})", session, base_url, token,
                                          cases, seed, checks, extra, report)
                    report.cases[operation.label] = report.cases.get(operation.label, 0) + sent
    report.seconds = time.perf_counter() - started
    return report


def _run_operation(operation, strategy, who, session, base_url, token, cases, seed, checks, extra, report) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    sent = 0
    kept = 0

    @hypothesis.seed(seed)
    @hypothesis.settings(max_examples=cases, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                         suppress_health_check=list(HealthCheck), print_blob=False)
    @hypothesis.given(case=strategy)
    def send(case):
        nonlocal sent, kept
        sent += 1
        problem = None
        try:
            response = case.call(base_url=base_url, session=session, headers=headers, timeout=TIMEOUT)
            # An answer is progress: the step's bound (step_timeout) is on a request left unanswered, not on
            # the whole run, whose length grows with fuzz_cases and with how busy the machine is.
            made_progress()
            if checks:
                case.validate_response(response, checks=checks, headers=headers)
            problem = extra(response)
        except StepTimeout:
            raise  # the step made no progress for step_timeout: the suite's failure, not a finding about the shop
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - every failure is a finding to report
            problem = _first_lines(failure)
        if problem and kept < KEPT_PER_OPERATION:
            kept += 1
            report.findings.append(Finding(operation.label, who, problem, _curl(case, headers)))

    # Unsatisfiable: nothing to generate in this mode (e.g. no parameters to break): no cases, nothing wrong.
    with contextlib.suppress(Unsatisfiable):
        send()
    return sent


def _first_lines(failure: BaseException) -> str:
    lines = [line for line in str(failure).splitlines() if line.strip()]
    return " | ".join(lines[:8])[:600]


def _curl(case, headers: dict[str, str]) -> str:
    try:
        return case.as_curl_command(headers={"Authorization": "Bearer <the pass>"})
    except Exception as error:  # noqa: BLE001 - a case that cannot be written as curl is still a finding
        return f"(no curl line: {error})"
