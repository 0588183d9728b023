"""Browser tests: logging in as a person does, and axe-core on every page state visited.

Every page a browser test opens is checked with axe-core (WCAG 2.2 level A and AA rules):
a serious or critical finding fails the test, naming the page, the rule and the elements.
``accessibility_checks()`` (used by the suite's ``browser`` fixture in conftest.py) does
this for every test, present and future, without the test asking: each time a page's main
frame has navigated (a link, a form sent, a redirect), the next thing the test does with
Playwright first waits for that page to load and checks it; closing the context checks the
last page. A state that a page reaches without navigating (a panel opened, an htmx swap)
is checked by calling ``assert_accessible(page)`` after it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from inbeeld.accounts.models import User
from inbeeld.testing.factories import TEST_PASSWORD, current_totp_code

AXE_VERSION = "4.14.1"
AXE_SOURCE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: the standard Dutch government sites are held
# to (EN 301 549 asks 2.1 AA; 2.2 adds a few criteria).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = ("serious", "critical")
# Findings in third-party code that InBeeld serves but does not write, by page path and
# rule, each with its reason. Any other finding on those pages still fails.
THIRD_PARTY_FINDINGS = {
    ("/api/docs/", "nested-interactive"): (
        "Swagger UI (drf-spectacular-sidecar) puts the link to an operation inside the "
        "button that opens it; only Swagger UI itself can change that. The page is a "
        "developer's view of /api/schema/, which holds the same content as plain JSON."
    ),
}

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      rule: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
}"""


def log_in_with_password(page: Any, base_url: str, username: str, password: str) -> None:
    """The first step only: user name and password."""
    page.goto(f"{base_url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Volgende").click()


def log_in(page: Any, base_url: str, user: User) -> None:
    """Password and the code from the user's authenticator, ending on the overview."""
    log_in_with_password(page, base_url, user.username, TEST_PASSWORD)
    page.get_by_label("Code").fill(current_totp_code(user))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base_url}/")


# --- accessibility ------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One serious or critical axe-core violation on a page."""

    url: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.url}: {self.rule} ({self.impact}) {self.help} at {', '.join(self.targets)}"


class AccessibilityError(AssertionError):
    def __init__(self, findings: list[Finding]) -> None:
        lines = "\n".join(f"  {finding}" for finding in findings)
        super().__init__(f"axe-core {AXE_VERSION} found serious or critical problems:\n{lines}")
        self.findings = findings


@functools.cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def axe_findings(page: Any) -> list[Finding]:
    """The serious and critical WCAG 2.2 A/AA violations on the page as it is now.

    axe-core is put into the page through the DevTools protocol, which the page's
    Content-Security-Policy does not govern, so the strict policy needs no exception.
    """
    page.wait_for_load_state("load")
    if page.evaluate("document.contentType") != "text/html":
        return []  # a file the browser shows itself (an image, a PDF): not a page of ours
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found = page.evaluate(_RUN_AXE, AXE_TAGS)
    path = urlsplit(page.url).path
    return [
        Finding(page.url, item["rule"], item["impact"], item["help"], tuple(item["targets"]))
        for item in found
        if (path, item["rule"]) not in THIRD_PARTY_FINDINGS
    ]


def assert_accessible(page: Any) -> None:
    """Fail unless axe-core finds no serious or critical problem on the page as it is now."""
    _watch.fresh.pop(id(page), None)  # checked now: no need to check it again before acting
    findings = axe_findings(page)
    if findings:
        raise AccessibilityError(findings)


@dataclass
class _Watch:
    """Pages whose main frame navigated since they were last checked."""

    fresh: dict[int, Any] = field(default_factory=dict)
    checking: bool = False

    def page_opened(self, page: Any) -> None:
        def navigated(frame: Any) -> None:
            if frame == page.main_frame:
                self.fresh[id(page)] = page  # only noted: a handler must not call Playwright

        page.on("framenavigated", navigated)

    def check_fresh(self) -> None:
        if self.checking or not self.fresh:
            return
        self.checking = True
        try:
            while self.fresh:
                _key, page = self.fresh.popitem()
                if not page.is_closed() and page.url.startswith(("http://", "https://")):
                    findings = axe_findings(page)
                    if findings:
                        raise AccessibilityError(findings)
        finally:
            self.checking = False


_watch = _Watch()


def check_visited_pages() -> None:
    """Check now every page that navigated since its last check (AccessibilityError)."""
    _watch.check_fresh()


class CheckedBrowser:
    """The session's browser; every context it makes has its pages checked (see above)."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        context.on("page", _watch.page_opened)
        return context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@contextmanager
def accessibility_checks() -> Iterator[None]:
    """Check fresh pages before each Playwright call of a test (and before closing).

    Playwright has no hook "before every action", and its event handlers cannot call it
    back, so the one door of its synchronous API (``SyncBase._sync``, which every call goes
    through) is wrapped for as long as this lasts. If a Playwright release renames it, this
    fails at once rather than checking nothing.
    """
    from playwright._impl import _sync_base

    original = getattr(_sync_base.SyncBase, "_sync", None)
    if original is None:
        raise RuntimeError("Playwright's SyncBase._sync is gone: update accessibility_checks()")

    def checked_sync(self: Any, coroutine: Any) -> Any:
        try:
            _watch.check_fresh()
        except BaseException:
            coroutine.close()  # created by the caller, never started: nothing to undo
            raise
        return original(self, coroutine)

    sync_base: Any = _sync_base.SyncBase  # patched on purpose: see the docstring
    sync_base._sync = checked_sync
    try:
        yield
    finally:
        sync_base._sync = original
        _watch.fresh.clear()
