"""In a real browser: the ketenregisseur closes a gap in the coverage of the region."""

from __future__ import annotations

from typing import Any

import pytest

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.regions.models import Municipality
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ketenregisseur_adds_a_contact_and_the_gap_closes(live_server: Any, page: Any) -> None:
    borsele = Municipality.objects.get(code="GM0654")
    OrganisationFactory.create(
        region=region("VR19"),
        name="Gemeente Borsele",
        type=OrganisationType.MUNICIPALITY,
        municipality=borsele,
    )
    log_in(page, live_server.url, staff_user(role=Role.KETENREGISSEUR, region_code="VR19"))
    page.get_by_role("link", name="Netwerk", exact=True).click()
    page.get_by_role("link", name="Dekking per gemeente").click()
    assert page.get_by_test_id("covered-count").inner_text() == "0"
    assert page.get_by_test_id("gap-count").inner_text() == "13"

    page.get_by_role("link", name="Contactpersoon voor Borsele toevoegen").click()
    assert page.get_by_label("Organisatie").input_value() != ""  # Gemeente Borsele, preselected
    assert page.get_by_label("Borsele").is_checked()
    page.get_by_label("Naam").fill("Contactpersoon Borsele (test)")
    page.get_by_label("Rol in het netwerk").select_option("aandachtsfunctionaris")
    page.get_by_label("Telefoon (werk)").fill("06 0000 0099")
    page.get_by_label("E-mail (werk)").fill("borsele@demo.example")
    page.get_by_role("button", name="Opslaan").click()
    assert "Contactpersoon opgeslagen." in page.get_by_role("status").inner_text()
    assert "Contactpersoon Borsele (test)" in page.get_by_test_id("contacts").inner_text()

    page.get_by_role("link", name="Netwerk", exact=True).click()
    page.get_by_role("link", name="Dekking per gemeente").click()
    assert page.get_by_test_id("covered-count").inner_text() == "1"
    assert page.get_by_test_id("gap-count").inner_text() == "12"
    row = page.get_by_test_id("coverage").get_by_role("row").filter(has_text="Borsele")
    assert "Contactpersoon Borsele (test)" in row.inner_text()
    assert "06 0000 0099" in row.inner_text()
