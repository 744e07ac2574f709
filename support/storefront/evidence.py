"""What an @ui scenario leaves in its report: screenshots of every person's page, and the browser's
console errors, which fail the step during which they appeared."""
from __future__ import annotations

import sys

from support import reporting
from support.storefront.browser import Browsers, BrowserSession

_announced: set[str] = set()


def after_step(session: BrowserSession, step, *, last: bool) -> None:
    """Fail the step on a console error; attach screenshots when the step failed or was the last one."""
    failed = step.status.name in ("failed", "error")
    try:
        session.expect_no_console_errors()
    except AssertionError:
        failed = True
        raise
    finally:
        if failed or last:
            for who, png in session.screenshots():
                reporting.attach_png(f"{who}'s browser after: {step.keyword} {step.name}", png)


def skip_reason(browsers: Browsers) -> str:
    """Why the @ui scenarios are skipped, printed once per run so nobody mistakes it for a pass."""
    reason = f"the storefront's @ui scenarios need a browser: {browsers.unavailable}"
    if reason not in _announced:
        _announced.add(reason)
        print(f"\nSKIPPED: {reason}\n", file=sys.stderr)
    return reason
