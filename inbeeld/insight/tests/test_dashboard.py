"""The dashboards (/inzicht/): the figures equal the rows, small counts are hidden and cannot
be worked out from a total, only the region's programme lead and administrator see them,
each CSV download is audited once and safe to open, and the expected number is the
hand-computed one."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.accounts.models import OrganisationType, Role, User
from inbeeld.audit.models import AuditEntry, Purpose
from inbeeld.cases.models import Case, CaseEvent, CasePerson
from inbeeld.insight import dashboard as dashboard_module
from inbeeld.insight import reference
from inbeeld.insight.dashboard import Dashboard, Selection, figure_source, suppress
from inbeeld.insight.expected import chance_interval, expected_count, expected_for
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.models import Signal, Source
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import MembershipFactory, OrganisationFactory, region, staff_user
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db

SHARED = Path("/work/shared/data")
URL = reverse("insight:dashboard")
_codes = itertools.count(1)


def at_year(year: int) -> datetime:
    return datetime.combine(date(year, 6, 15), time(12), tzinfo=timezone.get_current_timezone())


def a_signal(place: Region, year: int = 2024, **fields: Any) -> Signal:
    signal = Signal.objects.create(
        region=place,
        description="Testsignaal.",
        source=fields.pop("source", Source.PARTNER),
        receipt_code=f"T{next(_codes):09d}",
        **fields,
    )
    Signal.objects.filter(pk=signal.pk).update(created_at=at_year(year))
    return signal


def a_case(place: Region, owner: User, year: int = 2024, **fields: Any) -> Case:
    person = fields.pop("person", {})
    events = fields.pop("events", [])
    case = Case.objects.create(
        region=place,
        reference=f"C{next(_codes):09d}",
        owner=owner,
        owner_organisation=owner.memberships.get().organisation,
        **fields,
    )
    CasePerson.objects.create(case=case, **person)
    for event in events:
        CaseEvent.objects.create(case=case, **event)
    Case.objects.filter(pk=case.pk).update(created_at=at_year(year))
    return case


def zeeland() -> Region:
    return region("VR19")


def municipalities(place: Region, count: int) -> list[Municipality]:
    return list(place.municipalities.order_by("code")[:count])


# --- the reference data ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [reference.REGISTERED_VICTIMS, reference.DARK_NUMBER_ESTIMATES, reference.POLICE_REGISTRATIONS],
)
def test_the_national_series_are_copies_of_the_shared_files(path: Path) -> None:
    original = SHARED / path.name
    if not original.exists():
        pytest.skip("the shared data folder is not here")
    assert path.read_bytes() == original.read_bytes()


def test_the_series_are_read_with_their_sources() -> None:
    registered = {row.year: row for row in reference.registered_victims()}
    assert registered[2015].count == 1321
    assert "Monitor" in registered[2015].source
    assert all(row.low <= row.point <= row.high for row in reference.dark_number_estimates())
    assert all(row.source and row.source != "same" for row in reference.police_registrations())


# --- the expected number -------------------------------------------------------------------


def test_the_expected_number_is_the_national_count_by_the_population_share() -> None:
    # Seed 004's method, by hand: 1,321 national victims in 2015 over about 196,000 of
    # 16.9 million inhabitants gives about 15 (not the 20 to 25 quoted).
    assert round(expected_count(1321, 196_000, 16_900_000)) == 15
    assert round(expected_count(1321, 196_000, 16_900_000), 2) == 15.32

    almere = Municipality.objects.get(code="GM0034")
    everyone = sum(Municipality.objects.values_list("population", flat=True))
    expected = expected_for(almere.region, almere, year=2015)
    assert expected.national.count == 1321
    assert expected.population == almere.population
    assert expected.national_population == everyone
    assert expected.expected == pytest.approx(1321 * almere.population / everyone)
    assert expected.interval[0] < expected.expected < expected.interval[1]
    # The unseen number: the share of each published estimate, low to high.
    for unseen in expected.unseen:
        assert unseen.total_low <= unseen.total_point <= unseen.total_high
        assert unseen.total_point == pytest.approx(unseen.estimate.point * expected.share)
        assert unseen.unseen_point == pytest.approx(
            unseen.total_point - unseen.registered_then * expected.share
        )


def test_a_year_without_a_national_figure_takes_the_latest_before_it() -> None:
    expected = expected_for(zeeland(), year=2017)
    assert expected.national.year == 2015


def test_the_chance_interval_is_an_interval() -> None:
    low, high = chance_interval(16.4)
    assert low < 16.4 < high
    assert (low, high) == (9, 25)


# --- the figures equal the rows ------------------------------------------------------------

SIGNAL = st.fixed_dictionaries(
    {
        "victim_gender": st.sampled_from(["", "female", "male"]),
        "victim_age_band": st.sampled_from(["", "minor", "24-49"]),
        "exploitation_forms": st.lists(
            st.sampled_from(["sexual", "labour", "criminal"]), unique=True, max_size=2
        ),
        "victim_nationality": st.sampled_from(["", "NL", "RO", "NG"]),
        "year": st.sampled_from([2023, 2024]),
        "place": st.sampled_from([0, 1, None]),
    }
)


@override_settings(SMALL_CELL_THRESHOLD=1)  # nothing hidden: the counts themselves
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(SIGNAL, max_size=12))
def test_every_signal_table_adds_up_to_the_rows(specs: list[dict[str, Any]]) -> None:
    place = zeeland()
    Signal.objects.all().delete()
    towns = municipalities(place, 2)
    for spec in specs:
        spec = dict(spec)
        index = spec.pop("place")
        a_signal(
            place,
            year=spec.pop("year"),
            municipality=towns[index] if index is not None else None,
            **spec,
        )
    a_signal(region("VR04"))  # another region: never counted
    signals = figure_source("signals")
    assert signals is not None
    figures = Dashboard(Selection(region=place))
    assert figures.total(signals) == len(specs)

    def shown(dimension: str) -> dict[str, int | None]:
        return {row.code: row.count for row in figures.table(signals, dimension).rows}

    def expected(key: Any) -> dict[str, int]:
        found: dict[str, int] = {}
        for spec in specs:
            for code in key(spec):
                found[code] = found.get(code, 0) + 1
        return found

    def nonzero(counts: dict[str, int | None]) -> dict[str, int | None]:
        return {code: count for code, count in counts.items() if count}

    assert nonzero(shown("gender")) == expected(lambda s: [s["victim_gender"]])
    assert nonzero(shown("age_band")) == expected(lambda s: [s["victim_age_band"]])
    assert nonzero(shown("nationality")) == expected(lambda s: [s["victim_nationality"]])
    assert nonzero(shown("year")) == expected(lambda s: [str(s["year"])])
    assert nonzero(shown("form")) == expected(lambda s: s["exploitation_forms"] or [""])
    assert nonzero(shown("municipality")) == expected(
        lambda s: [towns[s["place"]].code if s["place"] is not None else ""]
    )
    for town in towns:
        local = Dashboard(Selection(region=place, municipality=town, year=2024))
        assert local.total(signals) == sum(
            1
            for s in specs
            if s["place"] is not None and towns[s["place"]] == town and s["year"] == 2024
        )


@override_settings(SMALL_CELL_THRESHOLD=1)
def test_cases_count_domestic_and_cross_border_from_the_events(world: World) -> None:
    place = zeeland()
    owner = world.user(Role.ZORGCOORDINATOR)
    town = municipalities(place, 1)[0]
    a_case(place, owner, events=[{"kind": "exploitation", "country": "RO"}])
    a_case(place, owner, events=[{"kind": "recruitment", "municipality": town}])
    a_case(place, owner, events=[{"kind": "transit", "country": "DE"}])  # transit alone: unknown
    a_case(place, owner, events=[{"kind": "exploitation", "country": "NL"}])
    a_case(place, owner, person={"nationalities": ["RO", "BG"]}, sectors=["agriculture"])
    a_case(place, owner, restricted=True)  # restricted: not processed, so not counted
    cases = figure_source("cases")
    assert cases is not None
    figures = Dashboard(Selection(region=place))
    border = {row.code: row.count for row in figures.table(cases, "border").rows}
    assert border == {"domestic": 2, "cross_border": 1, "": 2}
    nationality = {row.code: row.count for row in figures.table(cases, "nationality").rows}
    assert nationality == {"RO": 1, "BG": 1, "": 4}
    sector = {row.code: row.count for row in figures.table(cases, "sector").rows if row.count}
    assert sector == {"agriculture": 1, "": 4}


# --- suppression ---------------------------------------------------------------------------


@given(
    counts=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 40), min_size=1),
    limit=st.integers(2, 10),
)
def test_no_hidden_cell_can_be_worked_out_from_the_total(
    counts: dict[str, int], limit: int
) -> None:
    with override_settings(SMALL_CELL_THRESHOLD=limit):
        total = sum(counts.values())
        shown = suppress(counts, total)
    assert all(count is None or count == 0 or count >= limit for count in shown.values())
    hidden = [code for code, count in shown.items() if count is None]
    # Hidden: every small cell; and never exactly one hidden non-zero cell beside a shown
    # total (it would be the total minus the rest).
    assert all(code in hidden for code, count in counts.items() if 0 < count < limit)
    total_shown = not (0 < total < limit)
    assert not (total_shown and len(hidden) == 1)
    assert all(counts[code] > 0 for code in hidden)


def test_a_municipality_hidden_in_its_regions_table_is_withheld_on_its_own_page() -> None:
    place = zeeland()
    small, middle, large = municipalities(place, 3)
    for town, count in ((small, 3), (middle, 7), (large, 10)):
        for _n in range(count):
            a_signal(place, municipality=town)
    signals = figure_source("signals")
    assert signals is not None
    region_figures = Dashboard(Selection(region=place))
    by_place = {row.code: row.count for row in region_figures.table(signals, "municipality").rows}
    assert by_place[small.code] is None  # 3: fewer than 5
    assert by_place[middle.code] is None  # 7, hidden too: else 20 - 10 - 7 gives the 3
    assert by_place[large.code] == 10
    assert region_figures.total(signals) == 20
    middle_page = Dashboard(Selection(region=place, municipality=middle))
    assert middle_page.withheld(signals)
    assert middle_page.total(signals) is None
    assert middle_page.table(signals, "gender").rows == []
    assert Dashboard(Selection(region=place, municipality=large)).total(signals) == 10


def test_the_quarters_of_a_hidden_year_are_hidden() -> None:
    place = zeeland()
    for year, count in ((2022, 3), (2023, 8), (2024, 12)):
        for _n in range(count):
            a_signal(place, year=year)
    signals = figure_source("signals")
    assert signals is not None
    figures = Dashboard(Selection(region=place))
    years = {row.code: row.count for row in figures.table(signals, "year").rows}
    assert years == {"2022": None, "2023": None, "2024": 12}
    quarters = {row.code: row.count for row in figures.table(signals, "quarter").rows}
    assert quarters == {"2022-Q2": None, "2023-Q2": None, "2024-Q2": 12}


# --- who sees it ---------------------------------------------------------------------------


def administrator_of_two_regions() -> User:
    account = staff_user(
        role=Role.BESTUURDER, organisation=OrganisationFactory.create(region=region("VR19"))
    )
    MembershipFactory.create(
        user=account,
        organisation=OrganisationFactory.create(region=region("VR04")),
        role=Role.BESTUURDER,
    )
    return account


def status(user: User | None, **query: str) -> int:
    client = verified_client(user) if user is not None else Client()
    return client.get(URL, query).status_code


def test_the_programme_lead_and_administrator_see_only_their_own_regions(world: World) -> None:
    lead_a = world.user(Role.KETENREGISSEUR, "A")
    assert status(lead_a) == 200
    assert status(lead_a, region="VR19") == 200
    assert status(world.user(Role.KETENREGISSEUR, "B"), region="VR19") == 404
    assert status(world.user(Role.BESTUURDER, "A")) == 200
    both = administrator_of_two_regions()
    assert status(both, region="VR19") == 200
    assert status(both, region="VR04") == 200
    assert status(both, region="VR01") == 404
    for role in (Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS):
        assert status(world.user(role, "A"), region="VR19") == 404, role
    assert status(world.reporter("A")) == 404
    assert status(world.two_regions, region="VR19") == 404
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/inloggen/")


def test_a_municipality_of_another_region_is_refused_on_the_form(world: World) -> None:
    lead = world.user(Role.KETENREGISSEUR, "A")
    response = verified_client(lead).get(URL, {"region": "VR19", "municipality": "GM0193"})
    assert response.status_code == 200
    assert response.context["form"].errors["municipality"]
    assert response.context["selection"].municipality is None


def test_a_council_administrator_of_a_municipality_starts_on_that_municipality() -> None:
    goes = Municipality.objects.get(code="GM0664")
    council = OrganisationFactory.create(
        region=goes.region, type=OrganisationType.MUNICIPALITY, municipality=goes
    )
    administrator = staff_user(role=Role.BESTUURDER, organisation=council)
    response = verified_client(administrator).get(URL)
    assert response.context["selection"].municipality == goes


def test_the_page_shows_hidden_counts_as_fewer_than_the_threshold(world: World) -> None:
    place = zeeland()
    for _n in range(3):
        a_signal(place, victim_gender="female")
    for _n in range(9):
        a_signal(place, victim_gender="male")
    response = verified_client(world.user(Role.BESTUURDER, "A")).get(URL)
    text = response.content.decode()
    assert "fewer than 5" in text or "minder dan 5" in text
    table = response.context["sections"][0].tables
    gender = next(shown for shown in table if shown.table.dimension.key == "gender").table
    assert {row.code: row.count for row in gender.rows if row.count != 0} == {
        "female": None,
        "male": None,
    }
    assert gender.total == 12


# --- the CSV download ----------------------------------------------------------------------


def test_a_csv_download_is_audited_once_and_shows_what_the_page_shows(world: World) -> None:
    place = zeeland()
    for _n in range(6):
        a_signal(place, victim_gender="female")
    a_signal(place, victim_gender="male")
    lead = world.user(Role.KETENREGISSEUR, "A")
    client = verified_client(lead)
    before = AuditEntry.objects.count()
    response = client.get(
        reverse("insight:dashboard_csv", args=["signals", "gender"]), {"region": "VR19"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    entries = AuditEntry.objects.filter(purpose=Purpose.FIGURES_EXPORT)
    assert entries.count() == 1
    assert AuditEntry.objects.count() == before + 1
    entry = entries.get()
    assert (entry.object_id, entry.region, entry.actor_id) == ("signals-gender", "VR19", lead.pk)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows for cell in row]
    assert "1" not in cells  # the one man: hidden
    assert "6" not in cells  # and the women, else 7 - 6 gives him away
    assert "7" in cells  # the total


def test_a_csv_cell_that_looks_like_a_formula_is_written_as_text(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _n in range(6):
        a_signal(zeeland(), victim_gender="female")
    monkeypatch.setattr(
        dashboard_module, "row_label", lambda *args: '=HYPERLINK("http://x.invalid")'
    )
    response = verified_client(world.user(Role.KETENREGISSEUR, "A")).get(
        reverse("insight:dashboard_csv", args=["signals", "gender"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    labels = [row[0] for row in rows[2:-1]]
    assert labels and all(label.startswith("'=") for label in labels)


def test_a_csv_of_another_region_or_an_unknown_table_is_refused(world: World) -> None:
    lead_b = world.user(Role.KETENREGISSEUR, "B")
    client = verified_client(lead_b)
    url = reverse("insight:dashboard_csv", args=["signals", "gender"])
    assert client.get(url, {"region": "VR19"}).status_code == 404
    assert (
        client.get(reverse("insight:dashboard_csv", args=["signals", "sector"])).status_code == 404
    )
    assert (
        client.get(reverse("insight:dashboard_csv", args=["nothing", "gender"])).status_code == 404
    )
    assert not AuditEntry.objects.filter(purpose=Purpose.FIGURES_EXPORT).exists()
    zorg = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    assert zorg.get(url).status_code == 404


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(SIGNAL, max_size=30))
def test_no_table_of_any_selection_shows_a_small_count_or_a_lone_hidden_one(
    specs: list[dict[str, Any]],
) -> None:
    place = zeeland()
    Signal.objects.all().delete()
    towns = municipalities(place, 2)
    for spec in specs:
        spec = dict(spec)
        index = spec.pop("place")
        a_signal(
            place,
            year=spec.pop("year"),
            municipality=towns[index] if index is not None else None,
            **spec,
        )
    signals = figure_source("signals")
    assert signals is not None
    limit = 5
    for town, year, form in itertools.product([None, *towns], [None, 2024], [None, "sexual"]):
        figures = Dashboard(Selection(region=place, municipality=town, year=year, form=form))
        for table in figures.tables(signals):
            counts = [row.count for row in table.rows]
            assert all(count is None or count == 0 or count >= limit for count in counts)
            assert table.total is None or table.total == 0 or table.total >= limit
            hidden = [count for count in counts if count is None]
            if table.total is not None and not table.dimension.multi:
                assert len(hidden) != 1, table.key


def test_the_map_colours_rates_and_hatches_hidden_municipalities(world: World) -> None:
    place = zeeland()
    small, middle, large = municipalities(place, 3)
    for town, count in ((small, 3), (middle, 7), (large, 10)):
        for _n in range(count):
            a_signal(place, municipality=town)
    response = verified_client(world.user(Role.KETENREGISSEUR, "A")).get(URL)
    shown = next(item for item in response.context["maps"] if item.source.key == "signals")
    by_code = {area.code: area for area in shown.areas}
    assert by_code[small.code].rate is None and by_code[small.code].shade is None
    assert by_code[middle.code].rate is None  # hidden as the complement: no rate either
    assert by_code[large.code].rate == pytest.approx(10 * 100_000 / large.population)
    assert len(by_code) == place.municipalities.count()
    svg = str(shown.svg)
    assert svg.count("<path") == place.municipalities.count()
    assert svg.count('fill="url(#hidden-hatch)"') == 3  # two municipalities and the legend
    assert "style" not in svg
    # A municipality's page has no map.
    local = verified_client(world.user(Role.KETENREGISSEUR, "A")).get(
        URL, {"region": "VR19", "municipality": large.code}
    )
    assert local.context["maps"] == []


def test_the_count_column_is_called_aantal_in_dutch_not_nummer(world: World) -> None:
    # "Number" alone is a telephone number on the knowledge page; the figures' column counts.
    a_signal(zeeland(), victim_gender="female")
    client = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    client.cookies["django_language"] = "nl"
    with translation.override("nl"):
        page = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        download = client.get(
            reverse("insight:dashboard_csv", args=["signals", "gender"]),
            {"region": "VR19"},
            HTTP_ACCEPT_LANGUAGE="nl",
        ).content.decode()
    assert '<th scope="col" class="num">Aantal</th>' in page
    assert ">Nummer<" not in page
    assert list(csv.reader(io.StringIO(download)))[1][1] == "Aantal"  # under the title
