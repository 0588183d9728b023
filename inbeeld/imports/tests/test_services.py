"""Importing through the services: all or nothing, a dry run that writes nothing, the same
file or row twice creating nothing again, the registration's legal-basis rules per line,
another region's cases refused, and an audit entry without content."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.http import Http404
from django.utils import translation

from inbeeld.accounts.models import Role
from inbeeld.audit.models import AuditEntry
from inbeeld.cases.tests.helpers import world_case
from inbeeld.imports.models import ImportedRegistration, ImportOutcome, ImportRun
from inbeeld.imports.services import import_file
from inbeeld.imports.tests.helpers import (
    REGISTRATION_HEADER,
    csv_bytes,
    registration_row,
    signal_row,
)
from inbeeld.imports.tests.xlsx import xlsx_bytes
from inbeeld.registration.models import Registration
from inbeeld.signals.models import Signal, Source
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def run_import(world: World, data: bytes, *, dry_run: bool = False, name: str = "l.csv"):  # type: ignore[no-untyped-def]
    return import_file(
        by=world.reporter("A"),
        organisation=world.partner("A"),
        kind="signals",
        data=data,
        filename=name,
        dry_run=dry_run,
    )


def imported(world: World) -> int:
    return Signal.objects.filter(source_organisation=world.partner("A")).count()


def test_a_list_of_signals_is_imported_as_the_partners_signals(world: World) -> None:
    before = imported(world)
    report = run_import(world, csv_bytes([signal_row(1), signal_row(2, victim_name="Test Één")]))
    assert (report.outcome, report.rows, report.created, report.issues) == ("imported", 2, 2, [])
    signals = Signal.objects.filter(idempotency_key__contains=":import:").order_by("pk")
    assert imported(world) == before + 2
    first = signals[0]
    assert first.source == Source.PARTNER and first.created_by == world.reporter("A")
    assert first.region.code == "VR19" and first.incident_date == date(2026, 10, 1)
    assert first.exploitation_forms == ["labour"] and first.people_count == 2
    assert signals[1].victim_name == "Test Één" and signals[1].identifiers.count() == 1
    # One audit entry for the region names every signal; one for the run, without content.
    created = AuditEntry.objects.filter(action="create", object_type="signals.signal").last()
    assert created is not None and set(created.detail["records"]) == {str(s.pk) for s in signals}
    run_entry = AuditEntry.objects.filter(object_type="imports.importrun").last()
    assert run_entry is not None and run_entry.detail["created"] == 2
    assert "Test" not in str(run_entry.detail)


def test_a_dry_run_reports_what_would_be_created_and_creates_nothing(world: World) -> None:
    before = imported(world)
    report = run_import(world, csv_bytes([signal_row(1), signal_row(2)]), dry_run=True)
    assert (report.outcome, report.created, report.issues) == ("checked", 2, [])
    assert imported(world) == before
    assert report.run is not None and report.run.outcome == ImportOutcome.CHECKED


def test_one_bad_row_imports_nothing_and_every_bad_row_is_listed(world: World) -> None:
    before = imported(world)
    rows = [
        signal_row(1),
        signal_row(2, incident_date="01-01-2099"),
        signal_row(3),
        signal_row(4, municipality="GM9999", victim_nationality="XX"),
        signal_row(1),
    ]
    report = run_import(world, csv_bytes(rows))
    assert report.outcome == "refused" and report.created == 0
    assert [str(issue) for issue in report.issues] == [
        "line 5, column municipality: Unknown code “GM9999”: see the list of codes in the "
        "documentation.",
        "line 5, column victim_nationality: Unknown code “XX”: see the list of codes in the "
        "documentation.",
    ]
    # The cells were right, so the service's own rules run: every row they refuse is listed.
    rows[3] = signal_row(4)
    report = run_import(world, csv_bytes(rows))
    assert [str(issue) for issue in report.issues] == [
        "line 3, column incident_date: The date of the incident lies in the future. Give a "
        "date up to today.",
        "line 6, column reference: The reference appears twice in the file (also on row 1).",
    ]
    assert imported(world) == before
    assert report.run is not None and report.run.errors == 2 and report.run.created == 0


def test_the_same_file_twice_creates_nothing_the_second_time(world: World) -> None:
    data = csv_bytes([signal_row(1), signal_row(2)])
    assert run_import(world, data).created == 2
    count = imported(world)
    again = run_import(world, data)
    assert again.outcome == "already" and again.created == 0 and again.earlier is not None
    assert imported(world) == count


def test_a_new_file_with_rows_imported_before_creates_only_the_new_rows(world: World) -> None:
    assert run_import(world, csv_bytes([signal_row(1), signal_row(2)])).created == 2
    count = imported(world)
    report = run_import(world, csv_bytes([signal_row(1), signal_row(2), signal_row(3)]))
    assert (report.outcome, report.created, report.existing) == ("imported", 1, 2)
    assert imported(world) == count + 1
    # The same reference with other content is refused: an import changes nothing.
    changed = run_import(world, csv_bytes([signal_row(1, acute="ja"), signal_row(4)]))
    assert changed.outcome == "refused"
    [issue] = changed.issues
    assert (issue.line, issue.column) == (2, "reference")
    assert "imported before as signal MH-" in str(issue)
    assert imported(world) == count + 1


def test_an_excel_workbook_is_imported(world: World) -> None:
    data = xlsx_bytes(
        [
            ["reference", "municipality", "description", "incident_date", "people_count"],
            ["X-1", 664, "Voorbeeld uit Excel.", date(2026, 9, 30), 4],
        ]
    )
    report = run_import(world, data, name="lijst.xlsx")
    assert report.outcome == "imported", [str(i) for i in report.issues]
    signal = Signal.objects.get(idempotency_key__endswith=":import:X-1")
    assert (
        signal.municipality is not None
        and signal.municipality.code == "GM0664"
        and signal.people_count == 4
    )


def test_only_an_organisation_the_user_enters_signals_for(world: World) -> None:
    data = csv_bytes([signal_row(1)])
    for user, organisation in [
        (world.reporter("A"), world.partner("B")),  # another region's organisation
        (world.user(Role.ONDERZOEKER, "A"), world.organisation("A")),  # no intake role
    ]:
        with pytest.raises(Http404):
            import_file(
                by=user,
                organisation=organisation,
                kind="signals",
                data=data,
                filename="l.csv",
                dry_run=True,
            )
    assert not ImportRun.objects.exists()


def registrations(world: World, rows: list[list[str]], *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    return import_file(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        organisation=world.organisation("A"),
        kind="registrations",
        data=csv_bytes(rows, header=REGISTRATION_HEADER),
        filename="r.csv",
        dry_run=dry_run,
    )


def test_registrations_are_imported_with_their_legal_basis_rules(world: World) -> None:
    case = world_case(world, "A")
    other_region = world_case(world, "B")
    rows = [
        registration_row("R-1", case.reference, reporter_type="fairwork"),
        registration_row(
            "R-2",
            case.reference,
            legal_basis="consent",
            minority="minor",
            age="15",
            consent_signed_by="person",
            consent_date="01-11-2026",
        ),
        registration_row("R-3", other_region.reference),
        registration_row("R-4", "DS-NONE-XXXX", legal_basis=""),
    ]
    report = registrations(world, rows)
    assert [str(issue) for issue in report.issues] == [
        "line 2, column legal_basis: Only the police, KMar and the NLA are obliged to report. "
        "For another reporter the person's written consent is the legal basis.",
        "line 3, column case: The case appears twice in the file (also on line 2).",
        "line 4, column case: No case with this reference that you may change (a case of a "
        "region you coordinate).",
        "line 5, column case: No case with this reference that you may change (a case of a "
        "region you coordinate).",
    ]
    assert not Registration.objects.exists()
    minors = registrations(
        world,
        [
            registration_row(
                "R-2",
                case.reference,
                legal_basis="consent",
                minority="minor",
                age="15",
                consent_signed_by="person",
                consent_date="01-11-2026",
            )
        ],
    )
    assert [str(issue) for issue in minors.issues] == [
        "line 2, column consent_signed_by: For a minor under 16 the parents or the guardian "
        "sign the consent, not the minor."
    ]
    good = [registration_row("R-1", case.reference)]
    assert registrations(world, good, dry_run=True).created == 1
    assert not Registration.objects.exists()
    report = registrations(world, good)
    assert (report.outcome, report.created) == ("imported", 1)
    registration = Registration.objects.get(case=case)
    assert registration.legal_basis == "obligation" and registration.is_draft
    assert ImportedRegistration.objects.get().registration == registration
    # The same row in another file: nothing again.
    again = registrations(world, [*good])
    assert again.outcome == "already"
    other_file = registrations(world, [registration_row("R-1", case.reference.lower())])
    assert (other_file.outcome, other_file.created, other_file.existing) == ("imported", 0, 1)
    assert Registration.objects.count() == 1
