"""What the walkthrough of issue #19 found reading wrong to a Dutch professional, each pinned.

Every test here failed on the code before the fix it names (see the report of that change).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import OrganisationType, Role, User
from inbeeld.accounts.tokens import api_token_create
from inbeeld.lib.forms import REQUIRED_MESSAGE
from inbeeld.privacy.subject_rights import access_request_record
from inbeeld.regions.models import Municipality
from inbeeld.signals.forms import NoteForm
from inbeeld.signals.models import AgeBand, Signal, Status
from inbeeld.signals.services import SignalInput, signal_create_partner, signal_status_change
from inbeeld.signals.tests.helpers import public_post
from inbeeld.signals.triage import tip_draft
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db


def goes() -> Municipality:
    return Municipality.objects.get(code="GM0664")


def police_partner() -> User:
    found = User.objects.filter(username="agent.jansen").first()
    if found is not None:
        return found
    police = OrganisationFactory.create(
        type=OrganisationType.POLICE, region=region("VR19"), name="Politie Zeeland-West-Brabant"
    )
    partner = staff_user(role=Role.KETENPARTNER, organisation=police, username="agent.jansen")
    partner.first_name, partner.last_name, partner.email = "Sanne", "Jansen", "s.jansen@example.nl"
    partner.save()
    return partner


def partner_signal(**fields: Any) -> Signal:
    partner = police_partner()
    data = {"municipality": goes(), "description": "Meisje wordt 's nachts afgezet.", **fields}
    signal, _new = signal_create_partner(
        data=SignalInput(**data), by=partner, organisation=partner.memberships.get().organisation
    )
    return signal


def coordinator() -> Any:
    return verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))


def detail(signal: Signal) -> str:
    return reverse("signals:detail", kwargs={"signal_id": signal.pk})


# --- 1. the tip -----------------------------------------------------------------------------


def test_the_tip_is_dutch_and_lists_each_indicator_on_its_own_line() -> None:
    signal = partner_signal(
        place_text="Havenweg",
        incident_date=date(2026, 11, 2),
        indicators=["LAB-LIVES-AT-WORK", "LAB-WAGES-WITHHELD"],
        methods=["MET-DOCUMENTS"],
        people_count=2,
        victim_gender="female",
        victim_nationality="RO",
    )
    draft = tip_draft(signal)
    for label in ("Plaats:", "Werkwijzen:", "Aantal personen:", "Leeftijd:", "Geslacht:"):
        assert label in draft
    for english in ("Place:", "Methods:", "Number of people:", "Age:", "Gender:", "Nationality:"):
        assert english not in draft
    assert "Datum van het voorval: 2 november 2026" in draft
    # Each indicator is a line of its own: their texts end in a full stop, so a comma
    # between them read "…vast., Kan…".
    indicator_lines = [line for line in draft.splitlines() if line.startswith("- ")]
    assert len(indicator_lines) == 3  # two indicators, one method
    assert "., " not in draft


# --- 2. purposes in the data-subject export ------------------------------------------------


def test_the_data_subject_export_names_each_purpose_in_dutch() -> None:
    signal = partner_signal(victim_name="Testpersoon Fictief")
    coordinator().get(detail(signal))  # a read for triage
    fg = staff_user(role=Role.FG, region_code="VR19")
    request = access_request_record(by=fg, records=[f"signals.signal:{signal.pk}"], reason="Brief")
    client = verified_client(fg)
    page = client.get(reverse("privacy:subject_export", args=[request.pk])).content.decode()
    trail = re.search(r'data-testid="export-audit">(.*?)</table>', page, re.S)
    assert trail
    assert "Beoordeling van een signaal" in trail.group(1)
    assert "Ontvangst van een signaal" in trail.group(1)
    for code in ("signal intake", "triage<", "case table (pseudonymised)"):
        assert code not in trail.group(1)
    response = client.get(reverse("privacy:subject_export_json", args=[request.pk]))
    entries = json.loads(response.content)["signals"][0]["audit_trail"]
    read = next(entry for entry in entries if entry["purpose"] == "triage")
    assert read["purpose_text"] == "Beoordeling van een signaal"  # the code stays for machines


# --- 3. age band from the date of birth; minors unmistakable -------------------------------


def test_a_date_of_birth_sets_the_age_band_at_the_incident() -> None:
    sixteen = partner_signal(victim_date_of_birth=date(2010, 4, 1), incident_date=date(2026, 11, 2))
    assert sixteen.victim_age_band == AgeBand.MINOR
    # Without an incident date, the age today: 18 since yesterday is no longer a minor.
    today = timezone.localdate()
    adult = partner_signal(victim_date_of_birth=today.replace(year=today.year - 18) - timedelta(1))
    assert adult.victim_age_band == AgeBand.YOUNG_ADULT


def test_an_age_band_that_contradicts_the_date_of_birth_is_refused_naming_both() -> None:
    with pytest.raises(Exception) as refused:
        partner_signal(
            victim_date_of_birth=date(1990, 1, 1),
            incident_date=date(2026, 11, 2),
            victim_age_band=AgeBand.MINOR,
        )
    errors = refused.value.message_dict  # type: ignore[attr-defined]
    assert list(errors) == ["victim_age_band"]
    assert "geboortedatum" in errors["victim_age_band"][0]
    assert "36" in errors["victim_age_band"][0]
    assert not Signal.objects.exists()


def test_a_minor_is_marked_in_words_on_queue_signal_tip_and_case_table() -> None:
    signal = partner_signal(victim_date_of_birth=date(2010, 4, 1), incident_date=date(2026, 11, 2))
    client = coordinator()
    marker = 'data-testid="minor">Minderjarig<'
    assert marker in client.get(reverse("signals:queue")).content.decode()
    page = client.get(detail(signal)).content.decode()
    assert marker in page
    assert "Jonger dan 18 (minderjarig)" in page
    assert "Onbekend" not in re.search(r'data-testid="age">(.*?)</span>', page).group(1)  # type: ignore[union-attr]
    assert "leeftijd" not in page.split('data-testid="completeness"')[1].split("</dd>")[0]
    assert tip_draft(signal).startswith("MINDERJARIG")
    staff = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    signal_status_change(by=staff, signal=signal, status=Status.CASE_TABLE, version=signal.version)
    outsider = OrganisationFactory.create(type=OrganisationType.SHELTER, region=region("VR19"))
    table = verified_client(staff_user(role=Role.KETENPARTNER, organisation=outsider))
    assert marker in table.get(reverse("casetable:index")).content.decode()


def test_the_api_sets_the_age_band_and_refuses_a_contradiction_naming_the_field() -> None:
    partner = police_partner()
    headers = {"Authorization": f"Token {api_token_create(user=partner)}"}
    body: dict[str, Any] = {
        "description": "Jongen verkoopt drugs voor een oudere man.",
        "municipality": "GM0664",
        "incident_date": "2026-11-02",
        "victim": {"date_of_birth": "2010-04-01"},
    }
    from django.test import Client

    api = Client()
    created = api.post("/api/v1/signals/", body, content_type="application/json", headers=headers)
    assert created.status_code == 201
    assert Signal.objects.get().victim_age_band == AgeBand.MINOR
    body["victim"]["age_band"] = "50+"
    refused = api.post("/api/v1/signals/", body, content_type="application/json", headers=headers)
    assert refused.status_code == 400
    assert list(refused.json()) == ["victim"] and list(refused.json()["victim"]) == ["age_band"]


# --- 4. who reported a partner's signal ----------------------------------------------------


def test_a_partner_signal_names_who_entered_it_and_for_which_organisation() -> None:
    signal = partner_signal()
    page = coordinator().get(detail(signal)).content.decode()
    reporter = re.search(r'data-testid="reporter">(.*?)</dd>', page, re.S)
    assert reporter
    assert "Sanne Jansen" in reporter.group(1)
    assert "Politie Zeeland-West-Brabant" in reporter.group(1)
    assert 'href="mailto:s.jansen@example.nl"' in reporter.group(1)
    assert "anoniem" not in reporter.group(1)


# --- 7. details of wording and notation ----------------------------------------------------


def test_missing_fields_are_a_list_so_a_name_with_a_comma_stays_one_item() -> None:
    page = coordinator().get(detail(partner_signal())).content.decode()
    missing = re.search(r'data-testid="missing">(.*?)</ul>', page, re.S)
    assert missing
    items = re.findall(r"<li>(.*?)</li>", missing.group(1))
    assert "plaats, in woorden" in items


def test_dates_are_short_dutch_dates_with_a_full_stop() -> None:
    signal = partner_signal()
    Signal.objects.filter(pk=signal.pk).update(
        created_at=datetime(2026, 11, 30, 9, 5, tzinfo=timezone.get_current_timezone())
    )
    queue = coordinator().get(reverse("signals:queue")).content.decode()
    assert "30 nov. 2026 09:05" in queue
    assert "30 Nov 2026" not in queue


def test_scores_have_a_decimal_comma_in_the_data_subject_export_too() -> None:
    signal = partner_signal(indicators=["LAB-LIVES-AT-WORK", "LAB-WAGES-WITHHELD"])
    assert signal.risk_score == 5.0
    fg = staff_user(role=Role.FG, region_code="VR19")
    request = access_request_record(by=fg, records=[f"signals.signal:{signal.pk}"], reason="Brief")
    page = verified_client(fg).get(reverse("privacy:subject_export", args=[request.pk]))
    assert re.search(r"Risicoscore</th><td>5,0</td>", page.content.decode())


def test_tick_boxes_stand_beside_their_label_and_labels_have_no_colon() -> None:
    page = coordinator().get(reverse("signals:queue")).content.decode()
    assert re.search(
        r'<div class="check"><input type="checkbox" name="acute" id="id_acute">\s*'
        r'<label for="id_acute">Alleen acuut</label></div>',
        page,
    )
    form = verified_client(police_partner()).get(reverse("signals:create")).content.decode()
    assert "(niet verplicht)</label>" in form
    assert "(niet verplicht):" not in form
    assert ":</label>" not in form


def test_the_language_button_names_the_language_it_switches_to_in_that_language() -> None:
    page = coordinator().get(reverse("signals:queue")).content.decode()
    assert re.search(r'value="en" lang="en"[^>]*>English</button>', page)
    assert 'value="nl"' not in page  # the page is Dutch already
    assert "Wissel" not in page


def test_an_empty_meldpunt_says_what_to_fill_in_not_djangos_stock_sentence() -> None:
    from django.test import Client

    response = Client().post(
        reverse("signals:meldpunt"), public_post(description="", municipality="")
    )
    page = response.content.decode()
    assert "Beschrijf wat u is opgevallen." in page
    assert "Kies de gemeente." in page
    assert "Dit veld is vereist." not in page
    # Fields without a sentence of their own get InBeeld's words for Django's stock one.
    assert str(REQUIRED_MESSAGE) == "Vul dit veld in."
    assert NoteForm({}).errors["text"] == ["Vul dit veld in."]


# --- 10. no incidents in the future ---------------------------------------------------------


def test_the_meldpunt_refuses_an_incident_in_the_future_naming_the_field() -> None:
    from django.test import Client

    response = Client().post(reverse("signals:meldpunt"), public_post(incident_date="2030-06-01"))
    page = response.content.decode()
    error = re.search(r'id="id_incident_date_error">(.*?)</p>', page, re.S)
    assert error and "De datum van het voorval ligt in de toekomst" in error.group(1)
    assert not Signal.objects.exists()


def test_the_api_refuses_an_incident_in_the_future_naming_the_field() -> None:
    from django.test import Client

    partner = police_partner()
    response = Client().post(
        "/api/v1/signals/",
        {"description": "Iets gezien.", "municipality": "GM0664", "incident_date": "2030-06-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {api_token_create(user=partner)}",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["incident_date"]
    assert not Signal.objects.exists()


# --- 12. the assign list --------------------------------------------------------------------


def test_the_assign_list_names_each_persons_organisation() -> None:
    signal = partner_signal()
    page = coordinator().get(detail(signal)).content.decode()
    options = re.search(r'<select name="to_user"[^>]*>(.*?)</select>', page, re.S)
    assert options
    assert "Sanne Jansen (Politie Zeeland-West-Brabant)" in options.group(1)


# --- 8. merged signals in the FG's search ---------------------------------------------------


def test_the_fg_search_marks_a_merged_signal_and_lists_the_one_holding_its_history() -> None:
    from inbeeld.signals.duplicates import signal_merge

    merged = partner_signal(
        victim_name="Testpersoon Fictief", victim_date_of_birth=date(1990, 1, 1)
    )
    kept = partner_signal(victim_name="Andere Naam", victim_date_of_birth=date(1985, 5, 5))
    staff = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    signal_merge(
        by=staff, kept=kept, merged=merged, kept_version=kept.version, merged_version=merged.version
    )
    fg = verified_client(staff_user(role=Role.FG, region_code="VR19"))
    page = fg.post(
        reverse("privacy:subject_search"),
        {"action": "search", "name": "testpersoon fictief", "date_of_birth": "1990-01-01"},
    ).content.decode()
    hits = re.search(r'data-testid="subject-hits">(.*?)</table>', page, re.S)
    assert hits
    rows = re.findall(r"<tr>(.*?)</tr>", hits.group(1), re.S)
    merged_row = next(row for row in rows if merged.receipt_code in row.split("</td>")[0])
    kept_row = next(row for row in rows if kept.receipt_code in row.split("</td>")[0])
    assert f"samengevoegd in {kept.receipt_code}" in merged_row
    # Found through the merge, and listed although its own date of birth differs.
    assert "bevat de geschiedenis van een gevonden gegeven" in kept_row
