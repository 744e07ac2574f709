"""The verdict on a fuzzing run: every generated request answered within the published contract."""
from __future__ import annotations

from typing import TYPE_CHECKING

from support.words import in_words

if TYPE_CHECKING:  # the fuzzer itself (hypothesis, schemathesis) loads only where a run fuzzes
    from support.fuzzing.run import FuzzReport


def expect_no_findings(report: FuzzReport) -> None:
    idle = sorted(operation for operation, n in report.cases.items() if n == 0)
    assert report.cases and not idle, (
        f"expected the fuzzer to try every operation; {report.summary()}; untried: {in_words(idle)}")
    assert not report.findings, (
        f"expected every generated request to be answered without a server error, with a documented status and a "
        f"body that fits the description; found {len(report.findings)} problems:\n\n"
        + "\n\n".join(f.describe() for f in report.findings[:10])
    )
