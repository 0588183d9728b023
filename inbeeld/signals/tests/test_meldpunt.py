"""The public meldpunt: anonymous reports, receipts, follow-up, abuse protection."""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from inbeeld.audit.models import AuditEntry
from inbeeld.signals.models import ReporterAddition, Signal, Source, Status
from inbeeld.signals.tests.helpers import public_post, started

pytestmark = pytest.mark.django_db

MELDPUNT = reverse("signals:meldpunt")
STATUS = reverse("signals:public_status")
VISITOR_ADDRESS = "203.0.113.77"


def send(client: Client, **overrides: object) -> object:
    return client.post(MELDPUNT, public_post(**overrides), REMOTE_ADDR=VISITOR_ADDRESS)


def test_the_form_opens_without_an_account_and_names_112_first() -> None:
    page = Client().get(MELDPUNT).content.decode()
    main = page.split('id="content"')[1]
    assert "112" in main.split("<form")[0]  # the emergency number before the form
    assert 'name="website"' in page  # the honeypot, hidden by a CSS class


def test_a_report_is_received_with_a_receipt_and_nothing_about_the_device() -> None:
    response = send(Client())
    page = response.content.decode()  # type: ignore[attr-defined]
    signal = Signal.objects.get()
    assert signal.receipt_code in page
    assert signal.source == Source.PUBLIC and signal.anonymous
    assert signal.region.code == "VR19"  # Goes lies in Zeeland
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM signals_signal")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert VISITOR_ADDRESS not in row
    assert "busje" not in row  # the narrative is encrypted at rest


def receipt_of(page: str) -> tuple[str, str]:
    code = page.split('data-testid="receipt-code">')[1].split("<")[0]
    secret = page.split('data-testid="receipt-secret">')[1].split("<")[0]
    return code, secret


def test_a_double_click_makes_one_signal_and_shows_the_same_receipt() -> None:
    data = public_post()
    first = Client().post(MELDPUNT, data).content.decode()
    second = Client().post(MELDPUNT, data).content.decode()
    assert Signal.objects.count() == 1
    assert receipt_of(first) == receipt_of(second)
    assert receipt_of(first)[0] == Signal.objects.get().receipt_code
    # The receipt says beforehand that sending again shows it again, and the repeat says so.
    assert "ziet u dezelfde code en geheime code" in first
    assert 'data-testid="receipt-repeat"' not in first
    assert "al verstuurd met dit formulier" in second
    assert not ReporterAddition.objects.exists()


def test_a_repeat_with_other_text_is_added_to_the_first_report_once() -> None:
    data = public_post()
    first = Client().post(MELDPUNT, data).content.decode()
    changed = {**data, "description": "Het busje is wit, met een Pools kenteken.", "place_text": ""}
    second = Client().post(MELDPUNT, changed).content.decode()
    again = Client().post(MELDPUNT, changed).content.decode()  # the same changed repeat twice

    signal = Signal.objects.get()
    assert receipt_of(first) == receipt_of(second) == receipt_of(again)
    assert "toegevoegd" in second and "al verstuurd met dit formulier" in second
    assert "busje" in signal.description and "Pools" not in signal.description  # first kept
    addition = ReporterAddition.objects.get(signal=signal)  # one addition, not two
    assert addition.text.splitlines() == [
        "Aangepast bij opnieuw versturen van het formulier:",
        "Wat opviel: Het busje is wit, met een Pools kenteken.",
        "Plaats, in woorden: —",
    ]
    assert AuditEntry.objects.filter(
        actor="reporter", object_id=str(signal.pk), detail__addition=addition.pk
    ).exists()


def test_the_changes_are_written_in_the_reporters_language() -> None:
    data = public_post()
    Client().post(MELDPUNT, data)
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.post(MELDPUNT, {**data, "people_count": "3"}).content.decode()
    assert "What you changed has been added" in page
    assert ReporterAddition.objects.get().text.splitlines() == [
        "Changed when the form was sent again:",
        "Number of people: 3",
    ]


def rendered_form() -> dict[str, str]:
    """The hidden form token and start time of a meldpunt form opened half a minute ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 30):
        page = Client().get(MELDPUNT).content.decode()
    values = {}
    for name in ("form_token", "started"):
        match = re.search(rf'name="{name}" value="([^"]+)"', page)
        assert match is not None
        values[name] = match.group(1)
    return values


def test_a_start_time_from_another_form_is_refused() -> None:
    first, second = rendered_form(), rendered_form()
    replayed = send(Client(), form_token=second["form_token"], started=first["started"])
    assert "Dit formulier kon niet worden verstuurd." in replayed.content.decode()  # type: ignore[attr-defined]
    assert not Signal.objects.exists()
    untouched = send(Client(), **second)
    assert 'data-testid="receipt-code"' in untouched.content.decode()  # type: ignore[attr-defined]
    assert Signal.objects.count() == 1


def test_missing_fields_are_named_and_what_was_typed_is_kept() -> None:
    response = send(Client(), description="", municipality="")
    page = response.content.decode()  # type: ignore[attr-defined]
    assert 'id="id_description_error"' in page
    assert 'id="id_municipality_error"' in page
    assert "Voorbeeldstraat" in page
    assert not Signal.objects.exists()


def test_a_form_sent_within_seconds_is_refused_and_kept() -> None:
    # The clock stands still at the moment of sending: on a busy machine the request itself
    # may take longer than the minimum, and the form would then count as filled in slowly.
    sent_at = time.time()
    opened = started("abc", seconds_ago=0.5)
    with mock.patch("django.core.signing.time.time", return_value=sent_at):
        response = send(Client(), form_token="abc", started=opened)
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "snel" in page
    assert "busje" in page
    assert not Signal.objects.exists()


def test_a_filled_honeypot_stores_nothing() -> None:
    send(Client(), website="http://spam.example")
    assert not Signal.objects.exists()


def test_too_many_reports_from_one_connection_are_refused() -> None:
    client = Client()
    for _ in range(10):
        send(client)
    assert send(client).status_code == 429  # type: ignore[attr-defined]
    assert Signal.objects.count() == 10


def test_the_reporter_sees_the_status_and_adds_information_anonymously() -> None:
    receipt = send(Client()).content.decode()  # type: ignore[attr-defined]
    signal = Signal.objects.get()
    _code, secret = receipt_of(receipt)
    lookup = Client().post(STATUS, {"code": signal.receipt_code, "secret": secret})
    assert "Ontvangen" in lookup.content.decode()
    Client().post(
        STATUS, {"code": signal.receipt_code, "secret": secret, "text": "Het busje is wit."}
    )
    assert ReporterAddition.objects.get(signal=signal).text == "Het busje is wit."
    signal.status = Status.IN_PROGRESS
    signal.save()
    again = Client().post(STATUS, {"code": signal.receipt_code, "secret": secret})
    assert "In behandeling" in again.content.decode()


def test_a_wrong_secret_shows_nothing() -> None:
    send(Client())
    signal = Signal.objects.get()
    response = Client().post(STATUS, {"code": signal.receipt_code, "secret": "AAAA-AAAA-AAAA"})
    page = response.content.decode()
    assert "We kunnen geen melding vinden" in page
    assert 'data-testid="public-status"' not in page
