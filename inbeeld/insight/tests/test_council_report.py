"""The council report and the figures API: one release decides what both show, no released
count is small, a hidden count is not in the PDF's text, only the dashboard's roles in their
own region get either, each is audited once, and the report reads in Dutch by default."""

from __future__ import annotations

import io
import itertools
import re
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from inbeeld.accounts.models import Role
from inbeeld.accounts.tokens import api_token_create
from inbeeld.audit.models import AuditEntry, Purpose
from inbeeld.cases.models import Case
from inbeeld.insight.council_report import council_report_pdf
from inbeeld.insight.release import (
    Release,
    ReleasedTable,
    as_json,
    released_counts,
    released_figures,
    report_years,
)
from inbeeld.insight.tests.test_dashboard import a_case, a_signal, municipalities, zeeland
from inbeeld.signals.models import Signal
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db

API = reverse("v1:figures")
PAGE = reverse("insight:council_report")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def all_tables(release: Release) -> list[ReleasedTable]:
    tables = [table for source in release.sources for table in source.tables]
    figures = release.case_table
    return [*tables, figures.items, figures.decisions, figures.lead_partners]


# --- suppression ---------------------------------------------------------------------------

SIGNAL = st.fixed_dictionaries(
    {
        "victim_gender": st.sampled_from(["", "female", "male"]),
        "victim_age_band": st.sampled_from(["", "minor", "24-49"]),
        "exploitation_forms": st.lists(
            st.sampled_from(["sexual", "labour", "criminal"]), unique=True, max_size=2
        ),
        "year": st.sampled_from([2023, 2024]),
        "place": st.sampled_from([0, 1, 2, None]),
    }
)
CASE = st.fixed_dictionaries(
    {
        "trafficking_status": st.sampled_from(["possible", "presumed", "actual"]),
        "year": st.sampled_from([2023, 2024]),
        "place": st.sampled_from([0, 1, None]),
    }
)


@settings(
    max_examples=8,
    deadline=None,
    # The world only gives the owner of the cases; each example starts from no records.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    signals=st.lists(SIGNAL, max_size=30),
    cases=st.lists(CASE, max_size=12),
    limit=st.sampled_from([3, 5, 10]),
)
def test_no_released_count_in_the_report_or_the_api_is_small(
    world: World, signals: list[dict[str, Any]], cases: list[dict[str, Any]], limit: int
) -> None:
    place = zeeland()
    Signal.objects.all().delete()
    Case.objects.all().delete()
    towns = municipalities(place, 3)
    owner = world.user(Role.ZORGCOORDINATOR)
    for spec in signals:
        spec = dict(spec)
        index = spec.pop("place")
        a_signal(
            place,
            year=spec.pop("year"),
            municipality=towns[index] if index is not None else None,
            **spec,
        )
    for spec in cases:
        spec = dict(spec)
        index = spec.pop("place")
        a_case(
            place,
            owner,
            year=spec.pop("year"),
            municipality=towns[index] if index is not None else None,
            **spec,
        )
    with override_settings(SMALL_CELL_THRESHOLD=limit):
        for year in (year for year in (2023, 2024) if year in report_years(place)):
            release = released_figures(place, year)
            for count in released_counts(release):
                assert count is None or count == 0 or count >= limit
            # Nothing hidden can be worked out as a shown total minus the shown rest.
            for table in all_tables(release):
                hidden = [row for row in table.rows if row.count is None]
                if table.total is not None and not table.multi:
                    assert len(hidden) != 1, table.key
            # The API's answer is this release, cell for cell.
            api = as_json(release)
            api_counts = _json_counts(api)
            assert all(c is None or c == 0 or c >= limit for c in api_counts)


def _json_counts(node: Any) -> list[int | None]:
    found: list[int | None] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"count", "total", "meetings", "previous_year"}:
                found.append(value)
            elif isinstance(value, dict | list):
                found += _json_counts(value)
    elif isinstance(node, list):
        for value in node:
            found += _json_counts(value)
    return found


def _seven_women_three_men() -> None:
    place = zeeland()
    for gender, count in (("female", 7), ("male", 3)):
        for _n in range(count):
            a_signal(place, year=2024, victim_gender=gender)
    for _n in range(12):
        a_signal(place, year=2023)


def test_a_suppressed_cell_is_not_in_the_text_of_the_rendered_report(world: World) -> None:
    _seven_women_three_men()
    release = released_figures(zeeland(), 2024)
    gender = next(
        table
        for source in release.sources
        if source.key == "signals"
        for table in source.tables
        if table.dimension == "gender"
    )
    shown = {row.code: row.count for row in gender.rows}
    # 3 men are hidden, and the 7 women too: otherwise 10 - 7 would give the 3.
    assert shown["male"] is None and shown["female"] is None and gender.total == 10
    text = pdf_text(council_report_pdf(release, language="nl"))
    assert "Signalen naar geslacht" in text
    assert re.search(r"Vrouw\s+minder dan 5", text)
    assert re.search(r"Man\s+minder dan 5", text)
    assert not re.search(r"Vrouw\s+7\b", text)
    assert not re.search(r"Man\s+3\b", text)


def test_the_api_answers_exactly_what_the_report_shows(world: World) -> None:
    _seven_women_three_men()
    administrator = world.user(Role.BESTUURDER, "A")
    token = api_token_create(user=administrator)
    response = _get(token, region="VR19", year="2024")
    assert response.status_code == 200
    assert response.json() == _plain(as_json(released_figures(zeeland(), 2024)))
    signals = response.json()["sources"][0]
    gender = next(t for t in signals["tables"] if t["dimension"] == "gender")
    assert {row["code"]: row["count"] for row in gender["rows"]}["male"] is None
    entries = AuditEntry.objects.filter(purpose=Purpose.FIGURES_EXPORT)
    assert entries.count() == 1
    assert entries.get().actor == administrator.username


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    # Through JSON, as the client receives it (tuples become lists).
    import json

    return dict(json.loads(json.dumps(data)))


def _get(token: str, **query: str) -> Any:
    from django.test import Client

    return Client().get(API, query, headers={"Authorization": f"Token {token}"})


def test_the_api_refuses_another_region_unknown_parameters_and_other_roles(world: World) -> None:
    a_signal(zeeland(), year=2024)
    token = api_token_create(user=world.user(Role.KETENREGISSEUR, "A"))
    assert _get(token, region="VR04", year="2024").status_code == 404
    assert _get(token, region="VR99", year="2024").status_code == 404
    unknown = _get(token, region="VR19", year="2024", municipality="GM0664")
    assert unknown.status_code == 400
    assert set(unknown.json()) == {"municipality"}
    missing = _get(token, region="VR19")
    assert missing.status_code == 400 and set(missing.json()) == {"year"}
    assert set(_get(token, region="VR19", year="20x4").json()) == {"year"}
    assert set(_get(token, region="VR19", year="1990").json()) == {"year"}
    assert _get(token, region="VR19", year="2024").status_code == 200
    for role in (Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.ONDERZOEKER):
        other = api_token_create(user=world.user(role, "A"))
        assert _get(other, region="VR19", year="2024").status_code == 404, role


def test_the_schema_describes_the_figures_endpoint(world: World) -> None:
    client = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/figures/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"region", "year"}
    assert {"200", "400", "401", "404"} <= set(operation["responses"])
    # The schema names the keys the answer has, at each level.
    for _n in range(6):
        a_signal(zeeland(), year=2024)
    token = api_token_create(user=world.user(Role.KETENREGISSEUR, "A"))
    answer = _get(token, region="VR19", year="2024").json()
    components = schema["components"]["schemas"]

    def properties(name: str) -> set[str]:
        return set(components[name]["properties"])

    assert set(answer) == properties("Figures")
    assert set(answer["expected"]) == properties("Expected")
    assert set(answer["expected"]["unseen"][0]) == properties("Unseen")
    assert set(answer["sources"][0]) == properties("Source")
    assert set(answer["sources"][0]["tables"][0]) == properties("Table")
    assert set(answer["case_table"]) == properties("CaseTable")
    assert set(answer["maps"][0]["municipalities"][0]) == properties("Area")


# --- the page and its download -------------------------------------------------------------


def test_the_download_is_the_pdf_audited_once_for_the_dashboards_roles(world: World) -> None:
    _seven_women_three_men()
    for role in (Role.KETENREGISSEUR, Role.BESTUURDER):
        client = verified_client(world.user(role, "A"))
        page = client.get(PAGE)
        assert page.status_code == 200
        assert "Raadsrapportage" in page.content.decode()
        response = client.get(PAGE, {"region": "VR19", "year": "2024", "lang": "nl"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "raadsrapportage-VR19-2024-nl.pdf" in response["Content-Disposition"]
    entries = AuditEntry.objects.filter(purpose=Purpose.FIGURES_EXPORT)
    assert entries.count() == 2
    assert {entry.object_id for entry in entries} == {"VR19-2024"}
    other = verified_client(world.user(Role.KETENREGISSEUR, "B"))
    assert other.get(PAGE, {"region": "VR19", "year": "2024"}).status_code == 404
    zorg = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    assert zorg.get(PAGE, {"region": "VR19", "year": "2024"}).status_code == 404
    assert AuditEntry.objects.filter(purpose=Purpose.FIGURES_EXPORT).count() == 2


def test_a_year_outside_the_records_is_refused_on_the_form(world: World) -> None:
    a_signal(zeeland(), year=2024)
    client = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    response = client.get(PAGE, {"region": "VR19", "year": "1990"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'data-testid="error-summary"' in response.content.decode()


def test_the_dashboard_offers_the_report(world: World) -> None:
    client = verified_client(world.user(Role.BESTUURDER, "A"))
    page = client.get(reverse("insight:dashboard")).content.decode()
    assert f'href="{PAGE}?region=VR19"' in page


# --- language ------------------------------------------------------------------------------


def test_the_report_is_dutch_by_default_and_english_when_asked(world: World) -> None:
    a_signal(zeeland(), year=2024)
    release = released_figures(zeeland(), 2024)
    dutch = pdf_text(council_report_pdf(release))
    assert "Wat deze cijfers niet kunnen zeggen" in dutch
    assert "Kerncijfers" in dutch
    assert "What these figures cannot say" not in dutch
    english = pdf_text(council_report_pdf(release, language="en"))
    assert "What these figures cannot say" in english
    assert "Key figures" in english


def test_the_case_tables_counts_are_suppressed_too(world: World) -> None:
    from datetime import date

    from inbeeld.casetable.models import Meeting

    chair = world.user(Role.ZORGCOORDINATOR, "A")

    def meetings(count: int, year: int) -> None:
        for month in range(1, count + 1):
            Meeting.objects.create(
                region=zeeland(),
                date=date(year, month, 10),
                chair=chair,
                secretary=chair,
                created_by=chair,
            )

    a_signal(zeeland(), year=2023)
    meetings(3, 2023)
    meetings(6, 2024)
    assert released_figures(zeeland(), 2023).case_table.meetings is None
    assert released_figures(zeeland(), 2024).case_table.meetings == 6
    for year in (2023, 2024):
        figures = released_figures(zeeland(), year).case_table
        for table in (figures.items, figures.decisions, figures.lead_partners):
            assert all(row.count in (None, 0) or row.count >= 5 for row in table.rows)


def test_every_released_table_of_two_years_of_data_is_whole(world: World) -> None:
    place = zeeland()
    towns = municipalities(place, 2)
    for town, year, gender in itertools.product(towns, (2023, 2024), ("female", "male")):
        for _n in range(6):
            a_signal(place, year=year, municipality=town, victim_gender=gender)
    release = released_figures(place, 2024)
    signals = release.sources[0]
    assert signals.total == 24 and signals.previous == 24
    assert [(p.year, p.count) for p in signals.trend] == [(2023, 24), (2024, 24)]
    assert {area.code: area.count for area in release.maps[0].areas if area.count}.keys() == {
        town.code for town in towns
    }
