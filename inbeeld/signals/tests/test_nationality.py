"""Nationality is an ISO 3166-1 alpha-2 code everywhere: forms, API, exports, old signals."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from inbeeld.accounts.models import OrganisationType, Role, User
from inbeeld.accounts.tokens import api_token_create
from inbeeld.casetable.pending import pseudonym_of
from inbeeld.privacy.encryption import decrypt
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import Signal, Status
from inbeeld.signals.nationality import nationality_choices, nationality_read
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.signals.tests.helpers import public_post
from inbeeld.signals.tests.test_intake import intake_post
from inbeeld.signals.triage import tip_draft
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user
from inbeeld.testing.migrations import migrate, migrated_back_to

MIGRATION = importlib.import_module("inbeeld.signals.migrations.0007_nationality_to_codes")
BEFORE_CODES = [("signals", "0006_nationality_as_first_written")]
API_BODY = {
    "description": "Man slaapt in de werkplaats van een garage.",
    "municipality": "GM0664",
    "victim": {"nationality": "NG"},
}

# Old free text, as people typed it, and what it means.
EXAMPLES = [
    ("Nederlandse", "NL"),
    ("nederlands", "NL"),
    ("Dutch", "NL"),
    ("Roemeens", "RO"),
    ("ROEMEENSE", "RO"),
    ("Romanian", "RO"),
    ("Bulgaarse", "BG"),
    ("Pools", "PL"),
    ("Polish", "PL"),
    ("Hongaars", "HU"),
    ("Nigeriaanse", "NG"),
    ("nigerian", "NG"),
    ("Eritrese", "ER"),
    ("Eritrean", "ER"),
    ("Oekraïens", "UA"),
    ("Oekraiense", "UA"),
    ("Ukrainian", "UA"),
    ("Marokkaans", "MA"),
    ("Turks", "TR"),
    ("Chinees", "CN"),
    ("Chinese", "CN"),
    ("Vietnamees", "VN"),
    ("Braziliaans", "BR"),
    ("Syrisch", "SY"),
    ("Surinaamse", "SR"),
    ("Filipijns", "PH"),
    ("Filipino", "PH"),
    ("Indiaas", "IN"),
    ("Slowaaks", "SK"),
    ("Litouws", "LT"),
    ("Lets", "LV"),
    ("Moldavisch", "MD"),
    ("Moldovan", "MD"),
    ("Albanees", "AL"),
    ("Sierra Leoons", "SL"),
    ("Sierra-Leoonse", "SL"),
    ("Ghanees", "GH"),
    ("Ghanaian", "GH"),
    ("Guinees", "GN"),
    ("Oegandees", "UG"),
    ("Ugandan", "UG"),
    ("Thais", "TH"),
    ("Thai", "TH"),
    ("Nigeria", "NG"),  # a country's English or Dutch name
    ("Roemenië", "RO"),
    ("roemenie", "RO"),
    ("Turkije", "TR"),
    ("Vietnam", "VN"),
    ("IJsland", "IS"),
    ("Côte d'Ivoire", "CI"),
    ("ng", "NG"),  # a code typed as a code
    (" RO ", "RO"),
    ("Roemeense nationaliteit", "RO"),
    ("Pools.", "PL"),
]
# Text that names no single country: the code stays blank and the text is kept.
UNMAPPED = ["Narnia", "Roemeens/Bulgaars", "vermoedelijk Oost-Europees", "Congo", "NA", "Arabisch"]
# Text that says nothing: blank, and nothing worth keeping.
SAYS_NOTHING = ["", "  ", "onbekend", "Onbekend.", "?", "-", "unknown", "n.v.t."]


@pytest.mark.parametrize(("text", "code"), EXAMPLES)
def test_old_text_naming_one_country_becomes_its_code(text: str, code: str) -> None:
    assert nationality_read(text) == (code, "")
    assert MIGRATION.read(text) == (code, "")  # the migration's frozen copy reads it alike


@pytest.mark.parametrize("text", UNMAPPED)
def test_old_text_naming_no_single_country_is_kept(text: str) -> None:
    assert nationality_read(text) == ("", text.strip())
    assert MIGRATION.read(text) == ("", text.strip())


@pytest.mark.parametrize("text", SAYS_NOTHING)
def test_old_text_that_says_nothing_leaves_nothing(text: str) -> None:
    assert nationality_read(text) == ("", "")
    assert MIGRATION.read(text) == ("", "")


# --- the migration on rows stored before codes -------------------------------------------


def _old_signal(apps: Any, nationality: str, receipt: str) -> int:
    model = apps.get_model("signals", "Signal")
    municipality = apps.get_model("regions", "Municipality").objects.get(code="GM0664")
    signal = model.objects.create(
        region_id=municipality.region_id,
        municipality_id=municipality.pk,
        description="Oud signaal",
        victim_nationality=nationality,
        source="partner",
        receipt_code=receipt,
    )
    return int(signal.pk)


def _raw(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT victim_nationality, victim_nationality_text FROM signals_signal WHERE id = %s",
            [pk],
        )
        row = cursor.fetchone()
    return row[0], row[1]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_stored_text_into_codes_and_back() -> None:
    with migrated_back_to(BEFORE_CODES) as old_apps:
        romanian = _old_signal(old_apps, "Roemeense", "MH-OLD1-0001")
        narnia = _old_signal(old_apps, "Narnia (volgens buren)", "MH-OLD1-0002")
        unknown = _old_signal(old_apps, "onbekend", "MH-OLD1-0003")
        empty = _old_signal(old_apps, "", "MH-OLD1-0004")

        migrate([("signals", "0008_nationality_code_field")])
        assert _raw(romanian) == ("RO", "")
        code, kept = _raw(narnia)
        assert code == "" and "Narnia" not in kept  # kept, but encrypted
        assert decrypt(kept) == "Narnia (volgens buren)"
        assert _raw(unknown) == ("", "")
        assert _raw(empty) == ("", "")

        migrate(BEFORE_CODES)  # backwards: the text returns to the free-text column
        assert _raw(narnia) == ("Narnia (volgens buren)", "")
        assert _raw(romanian) == ("RO", "")
    signal = Signal.objects.get(pk=narnia)  # forwards once more, through the model
    assert (signal.victim_nationality, signal.victim_nationality_text) == (
        "",
        "Narnia (volgens buren)",
    )


# --- the API -----------------------------------------------------------------------------


def _token() -> str:
    police = OrganisationFactory.create(type=OrganisationType.POLICE, region=region("VR19"))
    return api_token_create(user=staff_user(role=Role.KETENPARTNER, organisation=police))


def _api_post(body: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Token {_token()}"}
    return Client().post("/api/v1/signals/", body, content_type="application/json", headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["NG", "ng"])
def test_the_api_stores_an_iso_code(sent: str) -> None:
    response = _api_post({**API_BODY, "victim": {"nationality": sent}})
    assert response.status_code == 201
    signal = Signal.objects.get(pk=response.json()["id"])
    assert signal.victim_nationality == "NG"
    assert _raw(signal.pk) == ("NG", "")


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["Narnia", "Nigeria", "NGA", "566", "XX", "Nigeriaans"])
def test_the_api_refuses_anything_but_a_code_naming_victim_nationality(sent: str) -> None:
    response = _api_post({**API_BODY, "victim": {"nationality": sent}})
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["victim"] and list(errors["victim"]) == ["nationality"]
    assert "ISO 3166-1" in errors["victim"]["nationality"][0]
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_the_api_schema_lists_the_codes() -> None:
    schema = Client().get(reverse("schema"), HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    nationality = components["Victim"]["properties"]["nationality"]
    refs = {part.get("$ref", "").rsplit("/", 1)[-1] for part in nationality["oneOf"]}
    assert refs == {"NationalityEnum", "BlankEnum"}
    codes = components["NationalityEnum"]["enum"]
    assert {"NG", "NL", "RO"} <= set(codes) and len(codes) == 249
    assert all(len(code) == 2 and code.isupper() for code in codes)


# --- the meldpunt and the staff intake form -----------------------------------------------


@pytest.mark.django_db
def test_the_meldpunt_stores_the_chosen_code() -> None:
    response = Client().post(reverse("signals:meldpunt"), public_post(victim_nationality="NG"))
    assert response.status_code == 200
    assert Signal.objects.get().victim_nationality == "NG"


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["Nigeriaans", "ng", "XX"])
def test_the_meldpunt_refuses_a_value_not_in_the_list(sent: str) -> None:
    response = Client().post(reverse("signals:meldpunt"), public_post(victim_nationality=sent))
    assert "victim_nationality" in response.context["form"].errors
    assert not Signal.objects.exists()


def _intake_partner() -> User:
    goes = Municipality.objects.get(code="GM0664")
    organisation = OrganisationFactory.create(type=OrganisationType.SHELTER, region=goes.region)
    return staff_user(role=Role.KETENPARTNER, organisation=organisation)


@pytest.mark.django_db
def test_the_intake_form_stores_the_chosen_code() -> None:
    user = _intake_partner()
    response = verified_client(user).post(
        reverse("signals:create"), intake_post(user, victim_nationality="RO")
    )
    assert response.status_code == 302
    assert Signal.objects.get().victim_nationality == "RO"


@pytest.mark.django_db
def test_the_intake_form_refuses_free_text_posted_by_hand() -> None:
    user = _intake_partner()
    response = verified_client(user).post(
        reverse("signals:create"), intake_post(user, victim_nationality="Roemeens")
    )
    assert response.status_code == 200
    assert "victim_nationality" in response.context["form"].errors
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_code_that_is_not_iso() -> None:
    user = _intake_partner()
    with pytest.raises(ValidationError) as refused:
        signal_create_partner(
            data=SignalInput(
                municipality=Municipality.objects.get(code="GM0664"),
                description="Iets gezien.",
                victim_nationality="Narnia",
            ),
            by=user,
            organisation=user.memberships.get().organisation,
        )
    assert "victim_nationality" in refused.value.message_dict
    assert not Signal.objects.exists()


def _select(page: str) -> str:
    start = page.index('name="victim_nationality"')
    return page[start : page.index("</select>", start)]


@pytest.mark.django_db
def test_a_dutch_page_offers_dutch_names_in_dutch_order() -> None:
    select = _select(Client().get(reverse("signals:meldpunt")).content.decode())
    assert '<option value="" selected>Onbekend</option>' in select
    assert '<option value="NL">Nederland</option>' in select
    assert '<option value="NG">Nigeria</option>' in select
    assert '<option value="DE">Duitsland</option>' in select
    # Accents and case do not count: Ierland, IJsland, India (a Dutch reader's order).
    assert select.index(">Ierland<") < select.index(">IJsland<") < select.index(">India<")
    assert select.index(">Oeganda<") < select.index(">Oekraïne<")


@pytest.mark.django_db
def test_an_english_page_offers_english_names() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    select = _select(client.get(reverse("signals:meldpunt")).content.decode())
    assert '<option value="" selected>Unknown</option>' in select
    assert '<option value="NL">Netherlands</option>' in select
    assert '<option value="DE">Germany</option>' in select
    assert "Nederland" not in select


def test_the_choices_follow_the_active_language() -> None:
    with translation.override("nl"):
        dutch = dict(nationality_choices())
    with translation.override("en"):
        english = dict(nationality_choices())
    assert (dutch["NG"], dutch["NL"], english["NL"]) == ("Nigeria", "Nederland", "Netherlands")
    assert set(dutch) == set(english) and len(dutch) == 250  # "unknown" and 249 countries


# --- where a signal's nationality is shown ------------------------------------------------


def _signal(nationality: str = "NG", first_written: str = "") -> Signal:
    user = _intake_partner()
    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=Municipality.objects.get(code="GM0664"),
            description="Vrouw werkt in een nagelsalon zonder loon.",
            victim_nationality=nationality,
        ),
        by=user,
        organisation=user.memberships.get().organisation,
    )
    if first_written:
        signal.victim_nationality_text = first_written
        signal.save(update_fields=["victim_nationality_text"])
    return signal


def _coordinator() -> User:
    return staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")


@pytest.mark.django_db
def test_staff_see_the_country_and_what_was_first_written() -> None:
    signal = _signal("", first_written="Narnia (volgens buren)")
    client = verified_client(_coordinator())
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "oorspronkelijk geschreven als “Narnia (volgens buren)”" in page
    coded = _signal("NG")
    page = client.get(reverse("signals:detail", args=[coded.pk])).content.decode()
    assert '<span data-testid="nationality">Nigeria</span>' in page
    assert "oorspronkelijk geschreven" not in page


@pytest.mark.django_db
def test_the_tip_draft_names_the_country_with_its_code_not_the_old_text() -> None:
    with translation.override("nl"):
        draft = tip_draft(_signal("NG", first_written="Nigeriaans, zegt de buurman"))
    assert "Nationaliteit: Nigeria (NG)" in draft
    assert "buurman" not in draft
    with translation.override("nl"):
        assert "Nationaliteit: -" in tip_draft(_signal(""))


@pytest.mark.django_db
def test_the_case_table_shows_the_country_but_never_the_old_text() -> None:
    signal = _signal("NG", first_written="Nigeriaans, zegt de buurman")
    Signal.objects.filter(pk=signal.pk).update(status=Status.CASE_TABLE)
    police = OrganisationFactory.create(type=OrganisationType.POLICE, region=region("VR19"))
    officer = staff_user(role=Role.KETENPARTNER, organisation=police)
    page = verified_client(officer).get(reverse("casetable:index")).content.decode()
    assert pseudonym_of(signal) in page and "Nigeria" in page
    assert "buurman" not in page
