"""In two real browsers: two zorgcoördinatoren edit one case at the same time, and neither
loses an update without seeing it (optimistic locking, cases/concurrency.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases.models import Case, CasePerson
from inbeeld.cases.services import case_open_from_signals
from inbeeld.signals.tests.test_triage import partner_signal
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second_page(browser: Any) -> Iterator[Any]:
    """A second browser with its own cookies: a colleague at another desk."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def test_the_second_coordinator_sees_the_first_ones_change_and_keeps_their_input(
    live_server: Any, page: Any, second_page: Any
) -> None:
    first = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    second = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    case = case_open_from_signals(by=first, signals=[partner_signal()])
    url = f"{live_server.url}/dossiers/{case.pk}/bewerken/"
    log_in(page, live_server.url, first)
    log_in(second_page, live_server.url, second)
    page.goto(url)
    second_page.goto(url)  # both see the case as it is now

    page.get_by_label("Naam", exact=True).fill("Eerste Versie")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Dossier opgeslagen.")).to_be_visible()

    second_page.get_by_label("Naam", exact=True).fill("Tweede Versie")
    second_page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(second_page.get_by_test_id("conflict")).to_contain_text(
        "Iemand anders heeft dit dossier intussen gewijzigd"
    )
    # Nothing was overwritten, and the second keeps what they typed to decide on.
    assert CasePerson.objects.get(case=case).name == "Eerste Versie"
    expect(second_page.get_by_label("Naam", exact=True)).to_have_value("Tweede Versie")
    changes = AuditEntry.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action=Action.UPDATE
    )
    assert [entry.actor for entry in changes] == [first.username]

    # Having seen the conflict, the second saves on purpose: now it is their change.
    second_page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(second_page.get_by_text("Dossier opgeslagen.")).to_be_visible()
    assert CasePerson.objects.get(case=case).name == "Tweede Versie"
    assert Case.objects.get(pk=case.pk).version == case.version + 2
