"""In a real browser (Dutch, 360 px wide): the ketenregisseur plans a training (refused
first without a target group, named on its field), registers a participant, takes the
attendance of the day with two members of the public, and sees the reach of the region
change. The public agenda shows the training without any name. Every page visited is
checked by axe-core (testing/browser.py); the last states explicitly too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Organisation, OrganisationType, Role
from inbeeld.network.models import Participant
from inbeeld.regions.models import Municipality
from inbeeld.testing.browser import assert_accessible, log_in
from inbeeld.testing.factories import region, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_register_attend_and_see_the_reach_change(live_server: Any, page: Any) -> None:
    goes = Municipality.objects.get(code="GM0664")
    municipality = Organisation.objects.create(
        name="Gemeente Goes", type=OrganisationType.MUNICIPALITY, region=region("VR19"),
        municipality=goes,
    )  # fmt: skip
    keeper = staff_user(role=Role.KETENREGISSEUR, region_code="VR19", username="regie.zeeland")
    log_in(page, live_server.url, keeper)
    page.set_viewport_size({"width": 360, "height": 800})

    page.get_by_role("link", name="Bereik").first.click()
    page.get_by_role("main").get_by_role("link", name="Zeeland").click()
    row = page.get_by_test_id("reach-municipalities").locator("tr", has_text="Goes")
    expect(row).to_contain_text("niet bereikt")

    page.get_by_role("link", name="Partneragenda").first.click()
    page.get_by_role("link", name="Nieuwe activiteit").click()
    page.get_by_label("Soort activiteit").select_option(label="Training")
    page.get_by_label("Titel").fill("Training signalen herkennen")
    page.get_by_label("Datum").fill(timezone.localdate().isoformat())
    page.get_by_label("Begintijd").fill("09:30")
    page.get_by_label("Gemeente", exact=True).select_option(label="Goes")
    page.get_by_label("Organisator").select_option(label="Gemeente Goes")
    page.get_by_label("Capaciteit").fill("12")
    page.get_by_label("Openbaar (op de openbare agenda en in de agendafeed)").check()
    page.get_by_label("Met bewijs van deelname").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#id_target_groups_error")).to_contain_text(
        "Kies ten minste één doelgroep."
    )
    page.get_by_label("Gemeentemedewerkers").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Activiteit opgeslagen.")).to_be_visible()

    page.get_by_role("link", name="Deelnemer aanmelden").click()
    page.get_by_label("Naam", exact=True).fill("Petra Proef")
    page.get_by_label("Organisatie", exact=True).select_option(label="Gemeente Goes")
    page.get_by_label("Beroepsgroep").select_option(label="Gemeentemedewerkers")
    page.get_by_role("button", name="Registreren", exact=True).click()
    expect(page.get_by_text("Deelnemer aangemeld.")).to_be_visible()
    expect(page.get_by_test_id("participants")).to_contain_text("Petra Proef")

    page.get_by_role("link", name="Aanwezigheid bijhouden").click()
    page.get_by_label("Petra Proef (Gemeente Goes)").check()
    page.get_by_label("Aanwezigen uit het publiek").fill("2")
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_text("Aanwezigheid opgeslagen: 1 professionals aanwezig.")).to_be_visible()
    expect(page.get_by_test_id("attended")).to_contain_text("1 professionals, 2")
    assert Participant.objects.get().attended is True
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)

    page.get_by_role("link", name="Bereik").first.click()
    page.get_by_role("main").get_by_role("link", name="Zeeland").click()
    row = page.get_by_test_id("reach-municipalities").locator("tr", has_text="Goes")
    expect(row).not_to_contain_text("niet bereikt")
    expect(row.locator("td").first).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)

    page.goto(f"{live_server.url}/agenda/")
    expect(page.get_by_test_id("public-agenda")).to_contain_text("Training signalen herkennen")
    expect(page.get_by_test_id("public-agenda")).not_to_contain_text("Petra")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    assert municipality.activities_organised.count() == 1
    assert timezone.now() - timedelta(days=1) < municipality.activities_organised.get().starts_at


def test_the_knowledge_page_and_signal_cards_are_accessible(live_server: Any, page: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/kennis/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mensenhandel herkennen en melden")
    expect(page.get_by_test_id("routes")).to_contain_text("0800-7000")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    page.get_by_role("link", name="De signalenkaarten afdrukken").click()
    expect(page.get_by_role("heading", name="Arbeidsuitbuiting")).to_be_visible()
    assert_accessible(page)
