"""In two real browsers: two coordinators change one signal's status at the same time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.signals.models import Signal, Status
from inbeeld.signals.tests.test_triage import partner_signal
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second_page(browser: Any) -> Iterator[Any]:
    """A second browser with its own cookies: another person at another desk."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()
    assert not errors, f"browser errors: {errors}"


def test_the_second_coordinator_sees_the_first_ones_change_and_keeps_their_choice(
    live_server: Any, page: Any, second_page: Any
) -> None:
    signal = partner_signal()
    first = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    second = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    url = f"{live_server.url}/signalen/{signal.pk}/"
    log_in(page, live_server.url, first)
    log_in(second_page, live_server.url, second)
    page.goto(url)
    second_page.goto(url)  # both see the signal as new

    page.get_by_label("Status").select_option(label="In behandeling")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Status opgeslagen.")).to_be_visible()

    second_page.get_by_label("Status").select_option(label="Aan de overlegtafel")
    second_page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(second_page.get_by_test_id("conflict")).to_contain_text(
        "Iemand anders heeft dit signaal intussen gewijzigd"
    )
    expect(second_page.get_by_test_id("status")).to_have_text("In behandeling")
    expect(second_page.get_by_label("Status")).to_have_value(Status.CASE_TABLE)
    assert Signal.objects.get(pk=signal.pk).status == Status.IN_PROGRESS  # nothing overwritten
    changes = AuditEntry.objects.filter(object_id=str(signal.pk), action=Action.UPDATE)
    assert [entry.actor for entry in changes] == [first.username]

    # Having seen the first one's change, the second saves their choice on purpose.
    second_page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(second_page.get_by_text("Status opgeslagen.")).to_be_visible()
    expect(second_page.get_by_test_id("status")).to_have_text("Aan de overlegtafel")
    assert Signal.objects.get(pk=signal.pk).status == Status.CASE_TABLE
