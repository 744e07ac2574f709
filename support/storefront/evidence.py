"""What an @ui scenario leaves in its report: screenshots of every person's page, and the browser's
console errors, which fail the step during which they appeared."""
from __future__ import annotations

import sys

from support import reporting
from support.storefront.browser import Browsers, BrowserSession


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


def announce_unavailable(browsers: Browsers) -> None:
    if browsers.unavailable:
        print(f"The @ui scenarios will be skipped: {browsers.unavailable}", file=sys.stderr)


def skip(browsers: Browsers) -> str:
    """Count an @ui scenario skipped for want of a browser; the reason, for behave."""
    browsers.skipped += 1
    return f"the storefront's @ui scenarios need a browser: {browsers.unavailable}"


def report_skipped(browsers: Browsers) -> None:
    """After the run, beside behave's summary, so nobody mistakes skipped scenarios for passed ones."""
    if browsers.skipped:
        print(f"\nSKIPPED {browsers.skipped} @ui scenario(s): no browser for the storefront: {browsers.unavailable}",
              file=sys.stderr)
