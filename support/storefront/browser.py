"""Headless Chromium for the @ui scenarios: the system's own browser, launched once per run, with a
fresh, empty profile (cookies and storage) for each person in each scenario.

Playwright drives it (pointed at the Debian `chromium` binary; Playwright's own browser downloads are
never used). Every page reports its console errors and uncaught script errors, which fail the step
during which they happened; a document the shop answered with an error status (a 404 page) is the
shop's answer, checked by the scenario in words, and not counted as a console error.
"""
from __future__ import annotations

import base64
import os
import shutil
from dataclasses import dataclass, field

from support import polling

# As root, on a machine with no network but loopback, Chromium needs exactly these to start quietly.
CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")


def unavailable_reason(executable: str) -> str | None:
    """Why the @ui scenarios cannot run here, or None when they can."""
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)) and not shutil.which(executable):
        return (f"no Chromium at {executable}: install Debian's package (apt-get install chromium) or point "
                f"the `chromium` setting at one (-D chromium=PATH)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (make venv installs requirements.txt)"
    return None


class Browsers:
    """The run's one Chromium, launched when the first @ui scenario needs it and closed after the run."""

    def __init__(self, executable: str):
        self.executable = executable
        self.unavailable = unavailable_reason(executable)
        self.skipped = 0  # @ui scenarios skipped for want of a browser
        self._playwright = None
        self._browser = None

    def new_session(self) -> BrowserSession:
        if self.unavailable:
            raise RuntimeError(self.unavailable)
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            # Playwright gives every launch a new temporary --user-data-dir, and every context below is
            # a fresh incognito profile inside it.
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable, headless=True, args=list(CHROMIUM_FLAGS))
        return BrowserSession(self._browser)

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._browser = self._playwright = None


@dataclass
class PersonPage:
    """One person's window on the shop: their own profile (cookies), their page, what went wrong in it."""

    who: str
    context: object
    page: object
    devtools: object  # the page's DevTools session: see whole_page
    errors: list[str] = field(default_factory=list)
    reported: int = 0
    failed_documents: set[str] = field(default_factory=set)

    def watch(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught script error: {error}"))
        self.page.on("response", self._response)

    def whole_page(self) -> bytes:
        """A PNG of the whole page, below the fold too. Through DevTools, as Playwright's own full-page
        screenshot does, but with Chromium's faster PNG encoder (`optimizeForSpeed`): the same pixels in a
        file about 1.4 times larger, in half the time (40 against 80 ms a page; 0.5 s a run)."""
        size = self.devtools.send("Page.getLayoutMetrics")["cssContentSize"]
        shot = self.devtools.send("Page.captureScreenshot", {
            "format": "png", "optimizeForSpeed": True, "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
        return base64.b64decode(shot["data"])

    def _response(self, response) -> None:
        if response.request.is_navigation_request() and response.status >= 400:
            self.failed_documents.add(response.url)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and where in self.failed_documents:
            return  # the page itself came with an error status: the shop's answer, not a broken page
        self.errors.append(f"console error: {message.text} (at {where or 'unknown place'})")


class BrowserSession:
    """The browser windows of one scenario, one per person, each with an empty profile at first."""

    def __init__(self, browser):
        self._browser = browser
        self._people: dict[str, PersonPage] = {}

    def page_of(self, who: str, address: str | None = None):
        """The person's page, opened the first time; `address` is where the shop's proxy says they are."""
        if who not in self._people:
            headers = {"X-Forwarded-For": address} if address else {}
            context = self._browser.new_context(locale="en-GB", timezone_id="UTC", extra_http_headers=headers)
            context.set_default_timeout(polling.scaled(10) * 1000)
            page = context.new_page()
            person = PersonPage(who, context, page, context.new_cdp_session(page))
            person.watch()
            self._people[who] = person
        return self._people[who].page

    def screenshots(self) -> list[tuple[str, bytes]]:
        """(whose, PNG) for every open window, as it looks now."""
        return [(who, person.whole_page()) for who, person in self._people.items() if not person.page.is_closed()]

    def expect_no_console_errors(self) -> None:
        """Fail when a page reported a console or script error since the last check (each reported once)."""
        new = []
        for who, person in self._people.items():
            new += [f"{who}'s page: {error}" for error in person.errors[person.reported:]]
            person.reported = len(person.errors)
        if new:
            raise AssertionError("the browser reported errors (expected none):\n  " + "\n  ".join(new))

    def close(self) -> None:
        for person in self._people.values():
            person.context.close()
        self._people.clear()
