"""In a real browser (Dutch, 360 px wide): one full cycle of the case table. The chair builds
the agenda, records the decision with a lead partner and an action, opens the minutes, plans
the next meeting and finds the open action back on its agenda as a follow-up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.casetable.models import Decision, Meeting
from inbeeld.casetable.tests.helpers import table
from inbeeld.tasks.models import Task
from inbeeld.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_full_meeting_cycle(live_server: Any, page: Any, world: Any) -> None:
    setup = table(world, on=timezone.localdate())
    log_in(page, live_server.url, setup.chair)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/overlegtafel/")
    expect(page.get_by_test_id("upcoming-meetings")).to_contain_text("Zeeland")
    page.get_by_test_id("upcoming-meetings").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Overlegtafel")

    page.get_by_test_id("agenda-build").click()
    expect(page.get_by_text("Punten toegevoegd aan de agenda: 1.")).to_be_visible()
    expect(page.get_by_test_id("agenda-item")).to_have_count(1)

    page.get_by_text("Besluit vastleggen", exact=True).first.click()
    page.get_by_label("Besluit", exact=True).select_option(value="lead_partner")
    page.get_by_label("Regiehoudende partner (beste kaarten)").select_option(label="Inspectie A")
    page.get_by_label("Wat de overlegtafel met deze partners deelt").fill("Adres van de werkplek")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Besluit vastgelegd.")).to_be_visible()
    expect(page.get_by_test_id("item-decision")).to_contain_text("Inspectie A")

    page.get_by_text("Actie toevoegen", exact=True).first.click()
    page.get_by_label("Actie", exact=True).fill("Controle op de werkplek")
    page.get_by_label("Eigenaar (organisatie)").select_option(label="Inspectie A")
    page.get_by_label("Uiterste datum").fill(
        (timezone.localdate() + timedelta(days=10)).isoformat()
    )
    page.get_by_role("button", name="Actie toevoegen").click()
    expect(page.get_by_text("Actie toegevoegd.")).to_be_visible()
    expect(page.get_by_test_id("item-actions")).to_contain_text("Controle op de werkplek")

    page.get_by_role("link", name="Verslag (volledige versie)").click()
    expect(page.get_by_test_id("minutes")).to_contain_text("Adres van de werkplek")
    expect(page.get_by_test_id("minutes")).to_contain_text("Controle op de werkplek")

    page.goto(f"{live_server.url}/overlegtafel/vergaderingen/nieuw/")
    page.get_by_label("Datum").fill((timezone.localdate() + timedelta(days=28)).isoformat())
    page.get_by_label("Notulist").select_option(value=str(setup.chair.pk))
    page.get_by_label("Inspectie A").check()
    page.get_by_role("button", name="Overleg plannen").click()
    expect(page.get_by_text("Het overleg is gepland.")).to_be_visible()
    page.get_by_test_id("agenda-build").click()
    expect(page.get_by_test_id("agenda-item")).to_contain_text("vervolg van een eerder overleg")
    expect(page.get_by_test_id("item-actions")).to_contain_text("Controle op de werkplek")

    assert Meeting.objects.count() == 2
    assert Decision.objects.get().roles.get().organisation == setup.inspectorate
    assert Task.objects.get().owner_organisation == setup.inspectorate
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
