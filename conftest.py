"""Fixtures for the whole suite: personas, a verified client and a real browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make
# next to it are still synchronous, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("INBEELD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# CI runs the whole suite on SQLite (the README's command) and then, with
# INBEELD_SECOND_DATABASE=1, again on PostgreSQL: only what can come out differently there.
SECOND_DATABASE = os.environ.get("INBEELD_SECOND_DATABASE") == "1"
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


def _differs_between_databases(item: pytest.Item) -> bool:
    """Whether a test's outcome can depend on the database engine.

    A test that touches no database cannot. Browser tests and the CLI's subprocess tests
    drive pages and commands whose database work the service and view tests already run
    on both engines; they run once, unless marked ``both_databases`` (backup, key rotation,
    the shared rate limit: there the engine is the subject).
    """
    if item.get_closest_marker("both_databases"):
        return True
    if item.get_closest_marker("browser") or "tests/cli/" in item.nodeid:
        return False
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(fixtures & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not SECOND_DATABASE:
        return
    kept = [item for item in items if _differs_between_databases(item)]
    left_out = [item for item in items if not _differs_between_databases(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(autouse=True)
def fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Argon2 is slow on purpose; tests that are not about hashing need not pay for it.

    Only database tests hash passwords; the framework-free packages' tests run without
    Django at all (`-p no:django`), so the settings fixture is asked for only here.
    """
    if request.node.get_closest_marker("django_db") is None:
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def audit_checkpoint_file(request: pytest.FixtureRequest) -> None:
    """Checkpoints go to the test's own folder, never to the real data folder."""
    if request.node.get_closest_marker("django_db") is None:
        return
    settings = request.getfixturevalue("settings")
    tmp_path = request.getfixturevalue("tmp_path")
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture(scope="session", autouse=True)
def audit_flush_permitted(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let the flush that ends a transactional test empty the audit trail, and nothing else.

    The database refuses DELETE and TRUNCATE on the audit trail (audit migration 0003). A
    transactional test (browser tests, ``django_db(transaction=True)``) ends with Django's
    flush, which deletes every row; only that flush runs inside
    `audit_deletion_permitted()`, so a deletion during the test is still refused.
    """
    if not request.config.pluginmanager.has_plugin("django"):
        yield  # the framework-free packages' tests run without Django (`-p no:django`)
        return
    from django.test import TransactionTestCase

    from inbeeld.audit.services import audit_deletion_permitted

    flush = TransactionTestCase._fixture_teardown

    def permitted_flush(self: TransactionTestCase) -> None:
        with audit_deletion_permitted():
            flush(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", permitted_flush)
        yield


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium; every page a test opens in it is checked with axe-core
    (inbeeld/testing/browser.py): a serious or critical finding fails the test."""
    from playwright.sync_api import sync_playwright

    from inbeeld.testing.browser import CheckedBrowser, accessibility_checks

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian's chromium is needed at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright, accessibility_checks():
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield CheckedBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    from inbeeld.testing.browser import check_visited_pages

    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    try:
        check_visited_pages()  # the page the test ended on
    finally:
        context.close()
    # A script error or a CSP violation means a person would see a broken page: fail loudly.
    assert not errors, f"browser errors: {errors}"


@pytest.fixture(autouse=True)
def reference_data(request: pytest.FixtureRequest) -> None:
    """Regions and municipalities present for every database test.

    The data migration loads them, but a transactional test (browser tests) empties the
    database when it ends; under pytest-xdist later tests in that worker would miss them.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False) or bool(marker.args and marker.args[0])
    request.getfixturevalue("transactional_db" if transactional else "db")
    from inbeeld.regions.models import Municipality, Region
    from inbeeld.regions.reference import load_municipalities

    if not Municipality.objects.exists():
        load_municipalities(Region, Municipality)


@pytest.fixture
def world(db: Any) -> Any:
    """The shared personas (inbeeld/testing/world.py): a person per role in regions A and B."""
    from inbeeld.testing.world import World

    return World()
