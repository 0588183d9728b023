"""The import pages: check → the dry run's report → confirm with the same file; every error
shown; anonymous visitors and other regions' people refused; the file is not kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from inbeeld.accounts.models import Role
from inbeeld.imports.models import ImportRun
from inbeeld.imports.tests.helpers import csv_bytes, signal_row
from inbeeld.signals.models import Signal
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    with translation.override("nl"):
        yield


def upload(data: bytes, name: str = "lijst.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def imported() -> int:
    return Signal.objects.filter(idempotency_key__contains=":import:").count()


def test_check_then_confirm_with_the_same_file(world: World) -> None:
    client = verified_client(world.reporter("A"))
    url = reverse("imports:signals")
    data = csv_bytes([signal_row(1), signal_row(2)])
    organisation = world.partner("A").pk
    page = client.post(url, {"organisation": organisation, "file": upload(data)})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="import-created">2<' in text and 'data-testid="import-confirm"' in text
    assert imported() == 0
    run = ImportRun.objects.get()
    assert run.dry_run and run.outcome == "checked"
    # Another file is not what was checked: refused, nothing imported.
    other = csv_bytes([signal_row(3)])
    page = client.post(
        url, {"organisation": organisation, "checked": run.pk, "file": upload(other)}
    )
    assert "Dit is niet het bestand dat is gecontroleerd" in page.content.decode()
    assert imported() == 0
    page = client.post(url, {"organisation": organisation, "checked": run.pk, "file": upload(data)})
    assert 'data-testid="import-created">2<' in page.content.decode()
    assert imported() == 2


def test_every_error_is_shown_in_dutch_with_its_line_and_column(world: World) -> None:
    client = verified_client(world.reporter("A"))
    data = csv_bytes([signal_row(1, people_count="0"), signal_row(2, acute="misschien")])
    page = client.post(
        reverse("imports:signals"), {"organisation": world.partner("A").pk, "file": upload(data)}
    )
    text = page.content.decode()
    assert "regel 2, kolom people_count: Geef een getal van 1 tot en met 500." in text
    assert "regel 3, kolom acute: Schrijf ja of nee." in text
    assert 'data-testid="import-confirm"' not in text
    assert imported() == 0


def test_anonymous_visitors_are_sent_to_the_login(client: Client) -> None:
    for name in ["imports:index", "imports:signals", "imports:registrations_template"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_another_regions_organisation_and_checked_run_are_404(world: World) -> None:
    # The dry run of region B's partner.
    data = csv_bytes([signal_row(1, municipality="GM0193")])
    client_b = verified_client(world.reporter("B"))
    client_b.post(
        reverse("imports:signals"), {"organisation": world.partner("B").pk, "file": upload(data)}
    )
    run_b = ImportRun.objects.get()
    client = verified_client(world.reporter("A"))
    url = reverse("imports:signals")
    # Another region's organisation is not on offer: the form refuses it, nothing is done.
    page = client.post(url, {"organisation": world.partner("B").pk, "file": upload(data)})
    assert page.status_code == 200 and ImportRun.objects.count() == 1
    # Another user's checked run: 404.
    page = client.post(
        url, {"organisation": world.partner("A").pk, "checked": run_b.pk, "file": upload(data)}
    )
    assert page.status_code == 404
    assert imported() == 0


def test_registrations_are_the_coordinators_and_the_template_downloads(world: World) -> None:
    partner = verified_client(world.reporter("A"))
    assert partner.get(reverse("imports:registrations")).status_code == 404
    coordinator = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    assert coordinator.get(reverse("imports:registrations")).status_code == 200
    template = coordinator.get(reverse("imports:registrations_template"))
    assert template.status_code == 200
    text = template.content.decode("utf-8-sig")
    assert text.startswith("reference;case;registration_date;")


def test_an_excel_workbook_is_checked_through_the_page(world: World) -> None:
    from datetime import date

    from inbeeld.imports.tests.xlsx import xlsx_bytes

    data = xlsx_bytes(
        [
            ["Reference", "Municipality", "Description", "Incident date"],
            ["X-1", "GM0664", "Voorbeeld uit Excel.", date(2026, 9, 30)],
        ]
    )
    client = verified_client(world.reporter("A"))
    page = client.post(
        reverse("imports:signals"),
        {"organisation": world.partner("A").pk, "file": upload(data, "lijst.xlsx")},
    )
    text = page.content.decode()
    assert 'data-testid="import-created">1<' in text and 'data-testid="import-confirm"' in text
    assert imported() == 0
