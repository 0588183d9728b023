"""The work queue: its columns, sorting, filters and saved filters; its CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import Signal, Status
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import MUNICIPALITY_CODES, World

pytestmark = pytest.mark.django_db


def reported(world: World, letter: str = "A", **fields: Any) -> Signal:
    """A signal in region ``letter`` reported by the world's partner there."""
    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=Municipality.objects.get(code=MUNICIPALITY_CODES[letter]),
            description="Uitbuiting in een kas.",
            **fields,
        ),
        by=world.reporter(letter),
        organisation=world.partner(letter),
    )
    return signal


def codes_in(client: Any, **query: str) -> list[str]:
    response = client.get(reverse("signals:queue"), query)
    return [signal.receipt_code for signal in response.context["page"]]


def test_each_row_shows_assignee_with_organisation_days_open_completeness_and_minor(
    world: World,
) -> None:
    signal = reported(world, exploitation_forms=["labour"], victim_age_band="minor", people_count=2)
    handler = world.user(Role.KETENPARTNER)
    handler.first_name, handler.last_name = "Anna", "de Vries"
    handler.save()
    signal.assigned_to.add(handler)
    page = verified_client(world.user(Role.ZORGCOORDINATOR)).get(reverse("signals:queue"))
    html = page.content.decode()
    assert "Anna de Vries (Zorgorganisatie A)" in html
    assert "Arbeidsuitbuiting" in html
    assert "Minderjarig" in html
    row = page.context["rows"][0]
    assert (row.days_open, row.completeness.filled, row.completeness.total) == (0, 4, 8)
    for label in ("Dagen open", "Volledigheid", "Risicoscore", "Toegewezen aan"):
        assert label in html


def test_sorting_on_a_column_and_reversing_it(world: World) -> None:
    sparse = reported(world)
    full = reported(
        world,
        exploitation_forms=["sexual"],
        people_count=1,
        victim_age_band="minor",
        victim_gender="female",
        place_text="Bij het station",
    )
    client = verified_client(world.user(Role.ZORGCOORDINATOR))
    assert codes_in(client, sort="completeness") == [sparse.receipt_code, full.receipt_code]
    assert codes_in(client, sort="-completeness") == [full.receipt_code, sparse.receipt_code]
    assert codes_in(client, sort="-minor") == [full.receipt_code, sparse.receipt_code]
    # Longest open first.
    assert codes_in(client, sort="-days") == [sparse.receipt_code, full.receipt_code]
    full.assigned_to.add(world.user(Role.KETENPARTNER))
    # Unassigned signals come last whichever way the assignees are sorted.
    assert codes_in(client, sort="assignee") == [full.receipt_code, sparse.receipt_code]
    assert codes_in(client, sort="-assignee") == [full.receipt_code, sparse.receipt_code]
    both = sorted([sparse.receipt_code, full.receipt_code])
    for key in ("form", "municipality", "risk", "status", "code", "received"):
        assert sorted(codes_in(client, sort=key)) == both
        assert sorted(codes_in(client, sort=f"-{key}")) == both
    # The header of the sorted column says so to a screen reader, and links to the reverse.
    html = client.get(reverse("signals:queue"), {"sort": "risk"}).content.decode()
    assert 'aria-sort="ascending"' in html
    assert "sort=-risk" in html


def test_filters_by_status_form_assignee_minor_and_acute(world: World) -> None:
    labour = reported(world, exploitation_forms=["labour"], acute=True)
    sexual = reported(world, exploitation_forms=["sexual"], victim_age_band="minor")
    organ = reported(world, exploitation_forms=["organ_removal"])
    Signal.objects.filter(pk=organ.pk).update(status=Status.TRANSFERRED)
    colleague = world.user(Role.KETENPARTNER)
    sexual.assigned_to.add(colleague)
    client = verified_client(world.user(Role.ZORGCOORDINATOR))
    assert codes_in(client, form="labour") == [labour.receipt_code]
    assert codes_in(client, form="sexual") == [sexual.receipt_code]
    assert codes_in(client, assignee=str(colleague.pk)) == [sexual.receipt_code]
    assert codes_in(client, minor="on") == [sexual.receipt_code]
    assert codes_in(client, acute="on") == [labour.receipt_code]
    assert codes_in(client, status=Status.TRANSFERRED) == [organ.receipt_code]
    assert codes_in(client, form="nonsense") == codes_in(client)


def test_the_assignee_filter_offers_the_regions_signal_handlers_and_no_one_else(
    world: World,
) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    colleague = world.user(Role.KETENPARTNER)
    left = world.user(Role.AANDACHTSFUNCTIONARIS)
    left.is_active = False
    left.save()
    elsewhere = world.user(Role.ZORGCOORDINATOR, "B")
    not_a_handler = world.user(Role.BESTUURDER)
    response = verified_client(coordinator).get(reverse("signals:queue"))
    offered = set(response.context["form"].fields["assignee"].queryset)
    assert {coordinator, colleague} <= offered
    assert not offered & {left, elsewhere, not_a_handler}


def test_the_saved_filters_are_named_links_that_filter(world: World) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    mine = reported(world)
    mine.assigned_to.add(coordinator)
    waiting = reported(world)
    Signal.objects.filter(pk=waiting.pk).update(status=Status.TRANSFERRED)
    client = verified_client(coordinator)
    html = client.get(reverse("signals:queue")).content.decode()
    for label in ("Mijn signalen", "Acuut", "Wacht op partner", "Minderjarig"):
        assert f">{label}</a>" in html
    assert codes_in(client, mine="on") == [mine.receipt_code]
    assert codes_in(client, status=Status.TRANSFERRED) == [waiting.receipt_code]
    current = client.get(reverse("signals:queue"), {"mine": "on"}).content.decode()
    assert 'aria-current="page">Mijn signalen' in current


def test_a_queue_page_is_one_audited_read_naming_its_signals(world: World) -> None:
    first, second = reported(world), reported(world)
    coordinator = world.user(Role.ZORGCOORDINATOR)
    verified_client(coordinator).get(reverse("signals:queue"))
    entry = AuditEntry.objects.get(action=Action.READ, actor=coordinator.username)
    assert entry.purpose == "signal queue"
    assert sorted(entry.detail["records"]) == sorted([str(first.pk), str(second.pk)])


def test_the_queue_takes_the_same_number_of_queries_for_many_rows(world: World) -> None:
    """No query per row: a page of 30 signals costs what a page of 3 costs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coordinator = world.user(Role.ZORGCOORDINATOR)
    helpers = [world.user(Role.KETENPARTNER), world.user(Role.AANDACHTSFUNCTIONARIS)]
    client = verified_client(coordinator)

    def queries_for_a_page_of(rows: int) -> int:
        while Signal.objects.count() < rows:
            signal = reported(world, exploitation_forms=["labour"])
            signal.assigned_to.add(helpers[signal.pk % 2])
        client.get(reverse("signals:queue"), {"sort": "assignee"})  # warm caches and session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("signals:queue"), {"sort": "assignee"})
        assert len(response.context["page"]) == rows
        return len(queries)

    few = queries_for_a_page_of(3)
    many = queries_for_a_page_of(30)
    assert many == few, f"{many - few} more queries for 27 more rows"


# --- the export ------------------------------------------------------------------------------


def export_rows(client: Any, **query: str) -> list[list[str]]:
    response = client.get(reverse("signals:queue_export"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_coordinator_exports_the_filtered_queue_with_dutch_headers(world: World) -> None:
    acute = reported(world, acute=True, exploitation_forms=["labour"])
    reported(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR))
    rows = export_rows(client, acute="on")
    assert rows[0][:3] == ["Code", "Ontvangen", "Dagen open"]
    assert "Toegewezen aan" in rows[0]
    assert [row[0] for row in rows[1:]] == [acute.receipt_code]
    # Only the page's columns: nothing of the description or an identity.
    assert "Uitbuiting in een kas." not in str(rows)


def test_the_download_link_carries_the_current_filters(world: World) -> None:
    page = verified_client(world.user(Role.ZORGCOORDINATOR)).get(
        reverse("signals:queue"), {"acute": "on", "sort": "risk", "page": "2"}
    )
    html = page.content.decode()
    assert f'{reverse("signals:queue_export")}?acute=on&amp;sort=risk"' in html


def test_an_export_is_audited_once_naming_its_signals(world: World) -> None:
    first, second = reported(world), reported(world)
    coordinator = world.user(Role.ZORGCOORDINATOR)
    export_rows(verified_client(coordinator), status=Status.NEW)
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert (entry.actor, entry.purpose) == (coordinator.username, "export of the signal queue")
    assert sorted(entry.detail["records"]) == sorted([str(first.pk), str(second.pk)])
    assert entry.detail["filter"] == {"status": Status.NEW, "sort": "urgency"}


def test_a_cell_starting_like_a_formula_is_neutralised(world: World) -> None:
    signal = reported(world)
    person = world.user(Role.KETENPARTNER)
    person.first_name, person.last_name = "=HYPERLINK(1)", ""
    person.save()
    signal.assigned_to.add(person)
    rows = export_rows(verified_client(world.user(Role.ZORGCOORDINATOR)))
    assert rows[1][7].startswith("'=HYPERLINK")


@pytest.mark.parametrize(
    "role", [Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS, Role.FG, Role.BEHEERDER]
)
def test_only_the_coordinator_may_export(world: World, role: str) -> None:
    response = verified_client(world.user(role)).get(reverse("signals:queue_export"))
    assert response.status_code == 404
    assert "Download" not in verified_client(world.user(role)).get("/").content.decode()


def test_two_regions_export_only_the_coordinated_region(world: World) -> None:
    account: User = world.two_regions
    in_a = reported(world, "A")
    # In region B the account is a chain partner whose organisation reported this one: the
    # queue shows it there, but the coordinator's export is of region A only.
    signal_b, _new = signal_create_partner(
        data=SignalInput(
            municipality=Municipality.objects.get(code=MUNICIPALITY_CODES["B"]),
            description="In B.",
        ),
        by=account,
        organisation=world.organisation("B"),
    )
    elsewhere = reported(world, "B")
    client = verified_client(account)
    assert signal_b.receipt_code in codes_in(client)
    exported = [row[0] for row in export_rows(client)[1:]]
    assert exported == [in_a.receipt_code]
    assert elsewhere.receipt_code not in exported
    # Filters cannot widen it: region B's municipality gives nothing.
    b_place = Municipality.objects.get(code=MUNICIPALITY_CODES["B"])
    assert export_rows(client, municipality=str(b_place.pk))[1:] == []
