"""Data-subject rights for the FG: search, access export, erasure, restriction (AVG 15-18)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from inbeeld.accounts.demo import demo_create
from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.privacy.models import DataSubjectRequest, RequestKind
from inbeeld.signals.demo import DEMO_PERSON, DEMO_PHONE
from inbeeld.signals.models import (
    IdentifierKind,
    Signal,
    SignalAttachment,
    SignalIdentifier,
    SignalMerge,
    Status,
)
from inbeeld.signals.services import signal_status_change
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import staff_user

pytestmark = pytest.mark.django_db

ZEELAND, IJSSELLAND = "VR19", "VR04"


@pytest.fixture
def demo(db: Any) -> None:
    demo_create()


@pytest.fixture
def fg(demo: None) -> User:
    """An FG of Zeeland only: IJsselland's namesake must stay out of reach."""
    return staff_user(role=Role.FG, region_code=ZEELAND, username="fg.zeeland")


def demo_signals(code: str) -> list[Signal]:
    return [s for s in Signal.objects.filter(region__code=code) if "Demo" in s.description]


def person_signals(code: str) -> list[Signal]:
    found = [s for s in Signal.objects.filter(region__code=code).order_by("created_at")]
    return [
        s
        for s in found
        if s.victim_name.casefold().replace("é", "e").split() == ["demo", "persoon"]
    ]


def search(client: Any, **data: str) -> Any:
    return client.post(reverse("privacy:subject_search"), {"action": "search", **data})


def test_search_finds_both_spellings_in_own_regions_and_shows_no_content(fg: User) -> None:
    zeeland, ijsselland = person_signals(ZEELAND), person_signals(IJSSELLAND)
    assert len(zeeland) == 2 and len(ijsselland) == 1
    page = search(verified_client(fg), name="demo persoon").content.decode()
    for signal in zeeland:
        assert signal.receipt_code in page
    assert ijsselland[0].receipt_code not in page
    assert "verzonnen" not in page  # no description, only codes, dates and status
    reads = AuditEntry.objects.filter(action=Action.READ, purpose="data-subject request")
    # The hits are one list read, naming each signal found.
    named = {ref.object_id for entry in reads for ref in entry.refs.all()}
    assert named == {str(s.pk) for s in zeeland}
    assert "Demo" not in json.dumps([e.detail for e in reads])


def test_date_of_birth_narrows_and_phone_finds(demo: None) -> None:
    fg = User.objects.get(username="fg")  # the demo FG holds both regions
    client = verified_client(fg)
    namesake = person_signals(IJSSELLAND)[0]
    assert namesake.receipt_code in search(client, name=DEMO_PERSON).content.decode()
    narrowed = search(client, name=DEMO_PERSON, date_of_birth="2000-01-01").content.decode()
    assert namesake.receipt_code not in narrowed
    assert all(s.receipt_code in narrowed for s in person_signals(ZEELAND))
    assert "niet vastgelegd" in narrowed  # the meldpunt signal has no date of birth
    by_phone = search(client, phone="+31 6 00000001").content.decode()
    with_phone = [s for s in person_signals(ZEELAND) if s.phone_numbers == DEMO_PHONE]
    assert len(with_phone) == 1 and with_phone[0].receipt_code in by_phone


def test_search_needs_a_name_or_phone(fg: User) -> None:
    response = search(verified_client(fg), name="", phone="")
    assert "Vul een naam of een telefoonnummer in." in response.content.decode()
    assert not AuditEntry.objects.filter(purpose="data-subject request").exists()


def make_export(client: Any, signals: list[Signal], reason: str = "Brief van betrokkene") -> Any:
    data = {
        "action": "access",
        "name": DEMO_PERSON,
        "records": [f"signals.signal:{s.pk}" for s in signals],
        "reason": reason,
    }
    return client.post(reverse("privacy:subject_search"), data)


def test_access_export_holds_everything_in_html_and_json(fg: User) -> None:
    goes, meldpunt = person_signals(ZEELAND)
    SignalAttachment.objects.create(
        signal=goes,
        file_name="verslag-demo.pdf",
        content_type="application/pdf",
        size=1234,
        content="ZGVtbw==",
    )
    SignalMerge.objects.create(kept=goes, merged=meldpunt, reason="zelfde persoon", merged_by=fg)
    goes.victim_nationality_text = "Oud-Roemeens (demo)"
    goes.save(update_fields=["victim_nationality_text"])
    client = verified_client(fg)
    response = make_export(client, [goes, meldpunt])
    assert response.status_code == 302
    request = DataSubjectRequest.objects.get(kind=RequestKind.ACCESS)
    assert request.reason == "Brief van betrokkene"
    assert request.records == sorted(f"signals.signal:{s.pk}" for s in (goes, meldpunt))

    html = client.get(response["Location"]).content.decode()
    expected = [
        "Roemenië",  # a field value: nationality by its Dutch name
        "Oud-Roemeens (demo)",  # nationality as first written, before it was a code
        "werkt lange dagen in een kas",  # the description, decrypted
        "het busje is wit",  # the reporter's addition
        "gesprek gepland met de persoon",  # the note
        "Zorgcoördinatie mensenhandel Zeeland",  # the note's author organisation
        "Politie Zeeland-West-Brabant",  # the share's recipient
        "Onderzoek naar arbeidsuitbuiting (demo)",  # the share's purpose
        "Het regionale convenant",  # the share's legal basis (Dutch label)
        "Mondeling, in het gesprek (demo)",  # the consent
        "verslag-demo.pdf",  # the attachment
        "zelfde persoon",  # the merge
        "Gemeente Goes",  # an audit entry: who entered the signal
        "Aandachtsfunctionaris",  # ... and their role
    ]
    for text in expected:
        assert text in html, text
    assert "Opslaan als PDF" in html
    assert person_signals(IJSSELLAND)[0].receipt_code not in html

    download = client.get(reverse("privacy:subject_export_json", args=[request.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    data = json.loads(download.content)
    assert data["format"] == "inbeeld-access-export/1"
    by_code = {s["receipt_code"]: s for s in data["signals"]}
    first = by_code[goes.receipt_code]
    fields = {f["name"]: f for f in first["fields"]}
    assert (fields["victim_nationality"]["value"], fields["victim_nationality"]["text"]) == (
        "RO",
        "Roemenië",
    )
    assert fields["victim_nationality_text"]["value"] == "Oud-Roemeens (demo)"
    assert fields["victim_name"]["value"] == DEMO_PERSON
    assert "gesprek gepland" in first["notes"][0]["text"]
    assert first["shares"][0]["legal_basis"] == "covenant"
    assert first["consents"][0]["how"] == "Mondeling, in het gesprek (demo)"
    assert first["attachments"][0]["file_name"] == "verslag-demo.pdf"
    assert first["merges"][0]["reason"] == "zelfde persoon"
    assert first["identifier_hashes"] == {"name": 1, "phone": 1}
    assert any(e["by_organisation"] == "Gemeente Goes" for e in first["audit_trail"])
    assert by_code[meldpunt.receipt_code]["additions"][0]["text"].endswith("het busje is wit.")
    exports = AuditEntry.objects.filter(action=Action.EXPORT, object_type="signals.signal")
    assert sorted(e.detail["format"] for e in exports) == ["html", "html", "json", "json"]


def test_another_regions_signal_cannot_be_exported(fg: User) -> None:
    namesake = person_signals(IJSSELLAND)[0]
    client = verified_client(fg)
    response = make_export(client, [namesake])
    assert response.status_code == 200  # not offered: not one of the hits
    assert not DataSubjectRequest.objects.exists()
    other = DataSubjectRequest.objects.create(
        kind=RequestKind.ACCESS,
        reason="x",
        records=[f"signals.signal:{namesake.pk}"],
        handled_by=User.objects.get(username="fg"),
    )
    assert client.get(reverse("privacy:subject_export", args=[other.pk])).status_code == 404


def test_access_needs_a_reason(fg: User) -> None:
    response = make_export(verified_client(fg), person_signals(ZEELAND), reason="")
    assert response.status_code == 200
    assert not DataSubjectRequest.objects.exists()


def raw_row(signal: Signal) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT victim_name, victim_date_of_birth, phone_numbers, reporter_contact, "
            "description, place_text, victim_nationality, victim_nationality_text "
            "FROM signals_signal WHERE id = %s",
            [signal.pk],
        )
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


def erase(client: Any, signal: Signal, reason: str = "Verzoek tot wissen gegrond") -> Any:
    url = reverse("privacy:subject_record", args=["signalen", signal.pk])
    data = {"action": "erase", "erase-reason": reason, "erase-confirm": "on"}
    return client.post(url, data)


def test_erasure_empties_identifying_data_and_keeps_statistics(fg: User) -> None:
    goes = person_signals(ZEELAND)[0]
    SignalAttachment.objects.create(
        signal=goes, file_name="a.pdf", content_type="application/pdf", size=1, content="YQ=="
    )
    goes.victim_nationality_text = "Oud-Roemeens (demo)"
    goes.save(update_fields=["victim_nationality_text"])
    before = raw_row(goes)
    assert goes.submission_digest  # a keyed digest of the submission, names included
    assert erase(verified_client(fg), goes).status_code == 302
    after = raw_row(goes)
    for old in before:
        if old:
            assert old not in after  # the old ciphertext is gone from the row
    goes.refresh_from_db()
    assert (goes.victim_name, goes.phone_numbers, goes.reporter_contact) == ("", "", "")
    assert goes.submission_digest == ""
    assert (goes.victim_nationality, goes.victim_nationality_text) == ("", "")
    assert goes.description == "[erased]" and goes.erased_at is not None
    assert goes.region.code == ZEELAND and goes.indicators and goes.risk_score > 0
    assert goes.victim_age_band == "24-49" and goes.municipality is not None
    assert not SignalIdentifier.objects.filter(signal=goes).exists()
    assert not goes.attachments.exists()
    assert all(n.text == "[erased]" for n in goes.notes.all())
    request = DataSubjectRequest.objects.get(kind=RequestKind.ERASURE)
    assert request.reason == "Verzoek tot wissen gegrond"
    entry = AuditEntry.objects.get(action=Action.DELETE, object_id=str(goes.pk))
    assert "Demo" not in json.dumps(entry.detail) and "Verzoek" not in json.dumps(entry.detail)
    # Erased once is erased: a second time is refused with the reason shown.
    page = erase(verified_client(fg), goes).content.decode()
    assert "al gewist" in page


def test_erasure_is_refused_at_the_case_table_until_restricted(fg: User) -> None:
    goes = person_signals(ZEELAND)[0]
    coordinator = User.objects.get(username="zorgcoordinator.zeeland")
    signal_status_change(
        by=coordinator, signal=goes, status=Status.CASE_TABLE, version=goes.version
    )
    client = verified_client(fg)
    page = client.get(
        reverse("privacy:subject_record", args=["signalen", goes.pk])
    ).content.decode()
    assert "aan de overlegtafel" in page and "Beperk eerst de verwerking" in page
    refused = erase(client, goes)
    assert refused.status_code == 200 and "Beperk eerst" in refused.content.decode()
    goes.refresh_from_db()
    assert goes.victim_name == DEMO_PERSON and goes.erased_at is None
    assert SignalIdentifier.objects.filter(signal=goes, kind=IdentifierKind.NAME).exists()
    assert not DataSubjectRequest.objects.exists()
    url = reverse("privacy:subject_record", args=["signalen", goes.pk])
    client.post(url, {"action": "restrict", "restrict-reason": "Bezwaar ingediend"})
    assert erase(client, goes).status_code == 302


def test_restriction_hides_the_signal_until_lifted(fg: User) -> None:
    goes = person_signals(ZEELAND)[0]
    coordinator = verified_client(User.objects.get(username="zorgcoordinator.zeeland"))
    detail = reverse("signals:detail", args=[goes.pk])
    assert coordinator.get(detail).status_code == 200
    assert goes.receipt_code in coordinator.get(reverse("signals:queue")).content.decode()
    client = verified_client(fg)
    url = reverse("privacy:subject_record", args=["signalen", goes.pk])
    no_reason = client.post(url, {"action": "restrict", "restrict-reason": ""})
    assert no_reason.status_code == 200 and 'id="id_restrict-reason_error"' in (
        no_reason.content.decode()
    )
    assert (
        client.post(url, {"action": "restrict", "restrict-reason": "Juistheid betwist"}).status_code
        == 302
    )
    goes.refresh_from_db()
    assert goes.restricted and goes.restriction_reason == "Juistheid betwist"
    assert coordinator.get(detail).status_code == 404
    assert goes.receipt_code not in coordinator.get(reverse("signals:queue")).content.decode()
    assert client.get(url).status_code == 200  # the FG still reaches it
    assert (
        client.post(url, {"action": "lift", "restrict-reason": "Juistheid bevestigd"}).status_code
        == 302
    )
    assert coordinator.get(detail).status_code == 200
    kinds = DataSubjectRequest.objects.order_by("handled_at").values_list("kind", "reason")
    assert list(kinds) == [
        (RequestKind.RESTRICTION, "Juistheid betwist"),
        (RequestKind.LIFT_RESTRICTION, "Juistheid bevestigd"),
    ]


def test_only_kinds_that_answer_requests_have_a_record_page(fg: User) -> None:
    goes = person_signals(ZEELAND)[0]
    client = verified_client(fg)
    page = client.get(reverse("privacy:subject_record", args=["signalen", goes.pk]))
    assert page.status_code == 200 and goes.receipt_code in page.content.decode()
    # The audit trail is a registered kind, but not one the FG opens per person here.
    for slug in ("audittrail", "auditentry", "onbekend"):
        url = reverse("privacy:subject_record", args=[slug, goes.pk])
        assert client.get(url).status_code == 404
