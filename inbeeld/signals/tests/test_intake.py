"""The staff intake form: checklist per form, one transaction with attachments, downloads."""

from __future__ import annotations

import base64
import re
import secrets
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.regions.models import Municipality
from inbeeld.signals import attachments
from inbeeld.signals.indicators import load_catalogue, risk_score
from inbeeld.signals.models import IdentifierKind, Signal, SignalAttachment
from inbeeld.signals.tests.office_files import old_word_document, outlook_message, word_document
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db

# A real 1×1 PNG: the browser test uploads the same bytes.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
NOTE = b"Gesprek op 3 maart: haar paspoort is ingenomen door de werkgever.\n"


def attachment_on(signal: Signal) -> SignalAttachment:
    """A stored attachment on ``signal``, for rules that need one (the authorisation matrix)."""
    return attachments.attachments_store(
        signal=signal,
        files=[
            attachments.CheckedFile(name="notitie.txt", content_type="text/plain", content=NOTE)
        ],
        by=signal.created_by,  # type: ignore[arg-type]
    )[0]


def partner() -> User:
    organisation = OrganisationFactory.create(
        type=OrganisationType.POLICE, region=region("VR19"), name="Politie Zeeland-West-Brabant"
    )
    return staff_user(role=Role.KETENPARTNER, organisation=organisation)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def intake_post(user: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": user.memberships.get().organisation_id,
        "description": "Jonge vrouw bij de bushalte, wordt gebracht en gehaald door een man.",
        "municipality": Municipality.objects.get(code="GM0664").pk,  # Goes
        "place_text": "Stationsplein",
        "incident_date": "2026-11-02",
        "people_count": "1",
        "victim_name": "Anna de Vries",
        "victim_date_of_birth": "2010-04-01",
        "victim_age_band": "minor",
        "victim_gender": "female",
        "victim_nationality": "NL",
        "phone_numbers": "06 12345678\n+31 6 87654321",
        "exploitation_forms": ["sexual"],
        "indicators": ["SEX-FORCED", "GEN-ESCORTED"],
        "methods": ["MET-LOVERBOY"],
        "acute": "on",
        "form_token": secrets.token_urlsafe(24),
    }
    data.update(overrides)
    return data


def group_html(page: str, code: str) -> str:
    match = re.search(rf'data-testid="indicators-{code}">(.*?)</fieldset>', page, re.S)
    assert match, f"no checklist group {code}"
    return match.group(1)


def nothing_written() -> bool:
    return (
        not Signal.objects.exists()
        and not SignalAttachment.objects.exists()
        and not AuditEntry.objects.filter(action=Action.CREATE).exists()
    )


def test_the_checklist_shows_the_indicators_grouped_per_form_of_exploitation() -> None:
    page = verified_client(partner()).get(reverse("signals:create")).content.decode()
    catalogue = load_catalogue()
    labour, sexual = group_html(page, "labour"), group_html(page, "sexual")
    assert "Arbeidsuitbuiting" in labour
    assert 'value="LAB-LIVES-AT-WORK"' in labour
    assert 'value="SEX-FORCED"' in sexual
    assert 'value="SEX-FORCED"' not in labour
    # Signs of every form are listed once, in their own group, not five times.
    assert 'value="GEN-DOCS"' in group_html(page, "general")
    assert page.count('value="GEN-DOCS"') == 1
    for code in ("criminal", "organ_removal", "other"):
        assert catalogue.indicators_for(code)[-1].nl in page
    assert catalogue.method("MET-LOVERBOY").nl in page
    # The partner's only organisation is chosen already.
    assert re.search(r'<option value="\d+" selected>Politie Zeeland-West-Brabant', page)


def test_a_valid_submission_creates_the_signal_with_all_it_holds() -> None:
    user = partner()
    data = intake_post(user)
    data["attachments"] = [upload("foto.png", PNG), upload("verslag.pdf", PDF)]
    response = verified_client(user).post(reverse("signals:create"), data)
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("signals:detail", kwargs={"signal_id": signal.pk})
    assert signal.indicators == ["GEN-ESCORTED", "SEX-FORCED"]
    assert signal.methods == ["MET-LOVERBOY"]
    expected = risk_score(load_catalogue(), ["SEX-FORCED", "GEN-ESCORTED"], ["MET-LOVERBOY"])
    assert signal.risk_score == pytest.approx(expected.total) and signal.risk_score > 0
    assert (signal.acute, signal.victim_age_band, signal.victim_date_of_birth) == (
        True,
        "minor",
        "2010-04-01",
    )
    assert signal.source_organisation == user.memberships.get().organisation
    assert signal.created_by == user
    assert signal.identifiers.filter(kind=IdentifierKind.PHONE).count() == 2
    assert signal.identifiers.filter(kind=IdentifierKind.NAME).count() == 1
    stored = {a.file_name: (a.content_type, a.size) for a in signal.attachments.all()}
    assert stored == {
        "foto.png": ("image/png", len(PNG)),
        "verslag.pdf": ("application/pdf", len(PDF)),
    }
    assert (
        AuditEntry.objects.filter(
            action=Action.CREATE, object_type="signals.signalattachment"
        ).count()
        == 2
    )


def test_the_signal_page_lists_the_attachments_and_the_download_gives_the_file() -> None:
    user = partner()
    client = verified_client(user)
    data = intake_post(user, attachments=[upload('verslag "eerste" gesprek.txt', NOTE)])
    client.post(reverse("signals:create"), data)
    signal = Signal.objects.get()
    page = client.get(reverse("signals:detail", kwargs={"signal_id": signal.pk})).content.decode()
    attachment = signal.attachments.get()
    url = reverse(
        "signals:attachment", kwargs={"signal_id": signal.pk, "attachment_id": attachment.pk}
    )
    assert url in page
    assert "verslag &quot;eerste&quot; gesprek.txt" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == NOTE
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="verslag \\"eerste\\" gesprek.txt"'
    )
    read = AuditEntry.objects.filter(
        action=Action.READ, object_type="signals.signalattachment", object_id=str(attachment.pk)
    ).get()
    assert (read.purpose, read.actor) == ("attachment", user.username)


def test_a_file_name_outside_ascii_is_quoted_safely_in_the_download() -> None:
    user = partner()
    client = verified_client(user)
    client.post(
        reverse("signals:create"), intake_post(user, attachments=[upload("één;x.txt", NOTE)])
    )
    attachment = SignalAttachment.objects.get()
    response = client.get(
        reverse(
            "signals:attachment",
            kwargs={"signal_id": attachment.signal_id, "attachment_id": attachment.pk},
        )
    )
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%C3%A9%C3%A9n%3Bx.txt"


BAD_INPUT: dict[str, tuple[dict[str, Any], str, str]] = {
    "no description": ({"description": "  "}, "description", "Beschrijf wat er is opgevallen."),
    "unknown municipality": ({"municipality": "999999"}, "municipality", "Kies de gemeente."),
    "an incident in the future": (
        {"incident_date": "2030-01-01"},
        "incident_date",
        "De datum van het voorval ligt in de toekomst",
    ),
    "a birth in the future": (
        {"victim_date_of_birth": "2030-01-01"},
        "victim_date_of_birth",
        "De geboortedatum ligt in de toekomst",
    ),
    "an age that contradicts the date of birth": (
        {"victim_date_of_birth": "1990-01-01", "victim_age_band": "minor"},
        "victim_age_band",
        "past niet bij de geboortedatum",
    ),
    "a Word document with macros, named .docx": (
        {"attachments": [upload("verslag.docx", word_document(macros=True))]},
        "attachments",
        "macro",
    ),
    "a .docm": (
        {"attachments": [upload("verslag.docm", word_document(macros=True))]},
        "attachments",
        "macro",
    ),
    "a ZIP archive named .docx": (
        {"attachments": [upload("verslag.docx", word_document(parts={"a.txt": b"x"}))]},
        "attachments",
        "niet toegestaan",
    ),
    "a Word 97 file named .msg": (
        {"attachments": [upload("mail.msg", old_word_document())]},
        "attachments",
        "niet toegestaan",
    ),
    "a program renamed .pdf": (
        {"attachments": [upload("verslag.pdf", EXE)]},
        "attachments",
        "verslag.pdf",
    ),
    "text named .png": ({"attachments": [upload("foto.png", NOTE)]}, "attachments", "foto.png"),
    "a file over 5 MB": (
        {"attachments": [upload("groot.pdf", PDF + b"0" * attachments.MAX_BYTES)]},
        "attachments",
        "groot.pdf",
    ),
    "six files": (
        {"attachments": [upload(f"notitie{n}.txt", NOTE) for n in range(6)]},
        "attachments",
        "maximaal 5",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_names_the_field_keeps_what_was_typed_and_writes_nothing(case: str) -> None:
    overrides, field, message = BAD_INPUT[case]
    user = partner()
    data = intake_post(user, **overrides)
    response = verified_client(user).post(reverse("signals:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    error = re.search(rf'id="id_{field}_error">(.*?)</p>', page, re.S)
    assert error, f"no error on {field}"
    assert message in error.group(1)
    assert "Stationsplein" in page  # what was typed is still there
    assert re.search(r'value="SEX-FORCED"[^>]*checked', page)
    assert nothing_written()


def test_the_file_type_comes_from_the_content_not_the_name() -> None:
    assert attachments.detected_type(PNG) == "image/png"
    assert attachments.detected_type(PDF) == "application/pdf"
    assert attachments.detected_type(NOTE) == "text/plain"
    assert attachments.detected_type(EXE) is None
    assert attachments.detected_type(b"PK\x03\x04" + b"\x00" * 40) is None  # a broken zip
    assert attachments.detected_type(word_document()) == attachments.DOCX
    assert attachments.detected_type(outlook_message()) == attachments.MSG
    assert attachments.detected_type(old_word_document()) is None
    with pytest.raises(attachments.MacroError):
        attachments.detected_type(word_document(macros=True))


def test_word_documents_and_outlook_emails_are_accepted_as_partners_send_them() -> None:
    user = partner()
    files = [upload("verslag.docx", word_document()), upload("melding.msg", outlook_message())]
    response = verified_client(user).post(
        reverse("signals:create"), intake_post(user, attachments=files)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = {a.file_name: a.content_type for a in SignalAttachment.objects.all()}
    assert stored == {"verslag.docx": attachments.DOCX, "melding.msg": attachments.MSG}


def test_a_failure_while_storing_attachments_leaves_no_signal_behind() -> None:
    user = partner()
    data = intake_post(user, attachments=[upload("foto.png", PNG)])
    failing = mock.patch.object(attachments, "attachments_store", side_effect=RuntimeError("disk"))
    with failing, pytest.raises(RuntimeError):
        verified_client(user).post(reverse("signals:create"), data)
    assert nothing_written()


def test_the_same_form_sent_twice_makes_one_signal() -> None:
    user = partner()
    client = verified_client(user)
    token = secrets.token_urlsafe(24)
    first = client.post(
        reverse("signals:create"),
        intake_post(user, form_token=token, attachments=[upload("foto.png", PNG)]),
    )
    second = client.post(
        reverse("signals:create"),
        intake_post(user, form_token=token, attachments=[upload("foto.png", PNG)]),
    )
    assert first["Location"] == second["Location"]
    assert Signal.objects.count() == 1
    assert SignalAttachment.objects.count() == 1


def test_the_same_form_sent_again_with_changes_is_refused_and_keeps_what_was_typed() -> None:
    user = partner()
    client = verified_client(user)
    token = secrets.token_urlsafe(24)
    client.post(reverse("signals:create"), intake_post(user, form_token=token))
    changed = intake_post(user, form_token=token, description="Later gezien: ook een tweede man.")
    page = client.post(reverse("signals:create"), changed).content.decode()
    signal = Signal.objects.get()
    assert f"al opgeslagen als signaal {signal.receipt_code}" in page
    assert "Later gezien: ook een tweede man." in page  # in the form, nothing lost
    assert "tweede man" not in signal.description


def test_the_database_row_holds_neither_the_file_name_nor_the_content_in_plain_text() -> None:
    user = partner()
    data = intake_post(user, attachments=[upload("verhoor-mevrouw-k.txt", NOTE)])
    verified_client(user).post(reverse("signals:create"), data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_name, content FROM signals_signalattachment")
        file_name, content = cursor.fetchone()
    raw = file_name + content
    assert "verhoor" not in raw
    assert "paspoort" not in raw
    assert base64.b64encode(NOTE).decode()[:20] not in raw
    assert SignalAttachment.objects.get().file_name == "verhoor-mevrouw-k.txt"


def test_others_get_404_for_the_download_and_the_refusal_is_audited() -> None:
    user = partner()
    client = verified_client(user)
    client.post(reverse("signals:create"), intake_post(user, attachments=[upload("a.txt", NOTE)]))
    attachment = SignalAttachment.objects.get()
    url = reverse(
        "signals:attachment",
        kwargs={"signal_id": attachment.signal_id, "attachment_id": attachment.pk},
    )
    other_organisation = staff_user(role=Role.KETENPARTNER, region_code="VR19")
    other_region = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR04")
    for outsider in (other_organisation, other_region):
        response = verified_client(outsider).get(url)
        assert response.status_code == 404
        assert NOTE not in response.content
        denied = AuditEntry.objects.filter(action=Action.DENIED, actor=outsider.username).get()
        assert denied.detail["path"] == url
    assert not AuditEntry.objects.filter(
        action=Action.READ, object_type="signals.signalattachment"
    ).exists()
    # The region's coordinator may; the attachment cannot be fetched through another signal.
    coordinator = verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))
    assert coordinator.get(url).status_code == 200
    client.post(reverse("signals:create"), intake_post(user))
    other_signal = Signal.objects.exclude(pk=attachment.signal_id).get()
    crossed = reverse(
        "signals:attachment", kwargs={"signal_id": other_signal.pk, "attachment_id": attachment.pk}
    )
    assert client.get(crossed).status_code == 404


def test_the_checklist_follows_the_language(settings: Any) -> None:
    client = verified_client(partner())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("signals:create")).content.decode()
    assert load_catalogue().indicator("LAB-LIVES-AT-WORK").en in group_html(page, "labour")
    assert "Labour exploitation" in group_html(page, "labour")


def test_the_queue_and_the_menu_lead_to_the_form() -> None:
    page = verified_client(partner()).get(reverse("signals:queue")).content.decode()
    assert page.count(f'href="{reverse("signals:create")}"') == 2  # menu and queue
    assert "Nieuw signaal invoeren" in page
