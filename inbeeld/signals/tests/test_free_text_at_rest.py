"""Free text typed on the signal pages is encrypted at rest and never reaches the audit trail.

A canary string is typed into every free-text field through the real pages; afterwards no
plain column of any table holds it, and the audit trail holds it nowhere (issue: note source,
share purpose and its copy in the audit entry, consent "how" were stored in plain text).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import OrganisationType, Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.privacy.consent import HOW_MAX_LENGTH, consent_record
from inbeeld.privacy.encryption import decrypt
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Consent, ConsentScope, Share, ShareKind
from inbeeld.privacy.sharing import AUDIT_PURPOSE, PURPOSE_MAX_LENGTH
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import NoteKind, Signal, SignalNote
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.signals.tests.helpers import version_of
from inbeeld.signals.tests.test_intake import intake_post
from inbeeld.signals.triage import NOTE_SOURCE_MAX_LENGTH, note_add, signal_assign
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import (
    OrganisationFactory,
    covenant_signed_by,
    region,
    staff_user,
)
from inbeeld.testing.migrations import migrate, migrated_back_to

CANARY = "KANARIE7Q"
BEFORE_ENCRYPTION = [
    ("signals", "0003_submission_digest"),
    ("privacy", "0003_shares_consent_subject_requests"),
]
AFTER_ENCRYPTION = [
    ("signals", "0005_encrypt_existing_note_sources"),
    ("privacy", "0005_encrypt_existing_share_purposes_and_consents"),
]


def canary(field: str) -> str:
    return f"{CANARY} {field}"


def rows_holding(text: str, tables: list[str] | None = None) -> list[str]:
    """Every table.column whose stored value holds ``text`` (a raw dump, no model decrypts)."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables or connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the schema
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    raw = bytes(value) if isinstance(value, bytes | memoryview) else None
                    stored = raw.decode("utf-8", "replace") if raw is not None else str(value)
                    if text.casefold() in stored.casefold():
                        found.append(f"{table}.{column}")
    return found


@pytest.mark.django_db
def test_text_typed_on_the_signal_pages_is_nowhere_in_plain_text() -> None:
    goes = Municipality.objects.get(code="GM0664")
    shelter = OrganisationFactory.create(type=OrganisationType.SHELTER, region=goes.region)
    partner = staff_user(role=Role.KETENPARTNER, organisation=shelter)
    police = OrganisationFactory.create(type=OrganisationType.POLICE, region=region("VR19"))
    officer = staff_user(role=Role.KETENPARTNER, organisation=police)
    covenant_signed_by(police)  # the assignment below is a share on the covenant basis
    coordinator = verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))

    typed = intake_post(
        partner,
        description=canary("description"),
        place_text=canary("place"),
        victim_name=canary("name"),
    )
    assert verified_client(partner).post(reverse("signals:create"), typed).status_code == 302
    signal = Signal.objects.get()
    steps: list[tuple[str, dict[str, Any]]] = [
        ("signals:note_add", {"kind": NoteKind.NOTE, "text": canary("note")}),
        (
            "signals:note_add",
            {
                "kind": NoteKind.ENRICHMENT,
                "text": canary("enrichment"),
                "source": canary("source"),
            },
        ),
        (
            "signals:assign",
            {
                "to_user": officer.pk,
                "legal_basis": LegalBasis.COVENANT,
                "purpose": canary("assignment purpose"),
            },
        ),
        (
            "signals:tip",
            {
                "to_organisation": police.pk,
                "text": canary("tip"),
                "legal_basis": LegalBasis.CRIMINAL_DATA,
                "purpose": canary("tip purpose"),
            },
        ),
        (
            "signals:consent_add",
            {
                "consent-scope": ConsentScope.POLICE,
                "consent-given_on": timezone.localdate().isoformat(),
                "consent-how": canary("consent how"),
            },
        ),
    ]
    for url, data in steps:
        seen = {"version": version_of(signal)}  # as the page opened before each step shows
        response = coordinator.post(reverse(url, kwargs={"signal_id": signal.pk}), data | seen)
        assert response.status_code == 302, (url, data)

    # Every step was written, and reads back as typed.
    notes = {note.kind: note for note in SignalNote.objects.all()}
    assert notes[NoteKind.ENRICHMENT].source == canary("source")
    purposes = {share.kind: share.purpose for share in Share.objects.all()}
    assert purposes == {
        ShareKind.ASSIGNMENT: canary("assignment purpose"),
        ShareKind.TIP: canary("tip purpose"),
    }
    assert Consent.objects.get().how == canary("consent how")
    page = coordinator.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    for field in ("source", "assignment purpose", "tip purpose", "consent how"):
        assert canary(field) in page

    assert AuditEntry.objects.filter(action=Action.SHARE).count() == 2
    assert rows_holding(CANARY, ["audit_auditentry"]) == []
    assert rows_holding(CANARY) == []


@pytest.mark.django_db
def test_the_audit_entry_of_a_share_names_the_share_not_its_typed_purpose() -> None:
    goes = Municipality.objects.get(code="GM0664")
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    police = OrganisationFactory.create(type=OrganisationType.POLICE, region=goes.region)
    officer = staff_user(role=Role.KETENPARTNER, organisation=police)
    covenant_signed_by(police)  # the assignment below is a share on the covenant basis
    signal = _signal(coordinator)
    share = signal_assign(
        by=coordinator,
        signal=signal,
        to_user=officer,
        legal_basis=LegalBasis.COVENANT,
        purpose="Gesprek met Anna over opvang",
        version=signal.version,
    )
    entry = AuditEntry.objects.get(action=Action.SHARE)
    assert entry.purpose == AUDIT_PURPOSE == "sharing"
    assert entry.detail == {
        "share": share.pk,
        "kind": ShareKind.ASSIGNMENT,
        "legal_basis": LegalBasis.COVENANT,
        "to_organisation": police.pk,
        "to_user": officer.pk,
    }
    assert rows_holding("Anna", ["audit_auditentry"]) == []


def _signal(by: User) -> Signal:
    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=Municipality.objects.get(code="GM0664"), description="Uitbuiting."
        ),
        by=by,
        organisation=by.memberships.get().organisation,
    )
    return signal


@pytest.mark.django_db
def test_too_long_free_text_is_refused_by_the_services_naming_the_field() -> None:
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    police = OrganisationFactory.create(type=OrganisationType.POLICE, region=region("VR19"))
    officer = staff_user(role=Role.KETENPARTNER, organisation=police)
    covenant_signed_by(police)  # the assignment below is a share on the covenant basis
    signal = _signal(coordinator)
    with pytest.raises(ValidationError) as refused:
        note_add(
            by=coordinator,
            signal=signal,
            kind=NoteKind.ENRICHMENT,
            text="Bekend.",
            source="x" * (NOTE_SOURCE_MAX_LENGTH + 1),
        )
    assert list(refused.value.message_dict) == ["source"]
    with pytest.raises(ValidationError) as refused:
        signal_assign(
            by=coordinator,
            signal=signal,
            to_user=officer,
            legal_basis=LegalBasis.COVENANT,
            purpose="x" * (PURPOSE_MAX_LENGTH + 1),
            version=version_of(signal),
        )
    assert list(refused.value.message_dict) == ["purpose"]
    with pytest.raises(ValidationError) as refused:
        consent_record(
            by=coordinator,
            target=signal,
            scope=ConsentScope.POLICE,
            given_on=timezone.localdate(),
            how="x" * (HOW_MAX_LENGTH + 1),
        )
    assert list(refused.value.message_dict) == ["how"]
    assert not (SignalNote.objects.exists() or Share.objects.exists() or Consent.objects.exists())


def _raw(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names
        return str(cursor.fetchone()[0])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migrations_encrypt_text_stored_before_and_decrypt_it_backwards() -> None:
    with migrated_back_to(BEFORE_ENCRYPTION) as old:
        user = old.get_model("accounts", "User").objects.create(username="oud")
        region_id = Municipality.objects.get(code="GM0664").region_id
        signal = old.get_model("signals", "Signal").objects.create(
            region_id=region_id, description="Oud", source="partner", receipt_code="MH-OLD2-0001"
        )
        old.get_model("signals", "SignalNote").objects.create(
            signal_id=signal.pk, kind="enrichment", text="Oud", source=canary("source"), author=user
        )
        signal_type = old.get_model("contenttypes", "ContentType").objects.get(
            pk=ContentType.objects.get_for_model(Signal).pk
        )
        common = {"content_type": signal_type, "object_id": signal.pk}
        old.get_model("privacy", "Share").objects.create(
            **common,
            region_id=region_id,
            kind="assignment",
            legal_basis="covenant",
            purpose=canary("purpose"),
            shared_by=user,
        )
        old.get_model("privacy", "Consent").objects.create(
            **common,
            scope="police",
            given_on=timezone.localdate(),
            how=canary("how"),
            recorded_by=user,
        )
        stored = [
            ("signals_signalnote", "source", canary("source")),
            ("privacy_share", "purpose", canary("purpose")),
            ("privacy_consent", "how", canary("how")),
        ]

        migrate(AFTER_ENCRYPTION)
        for table, column, text in stored:
            assert CANARY not in _raw(table, column)
            assert decrypt(_raw(table, column)) == text

        migrate(BEFORE_ENCRYPTION)
        for table, column, text in stored:
            assert _raw(table, column) == text
    assert SignalNote.objects.get().source == canary("source")
    assert (Share.objects.get().purpose, Consent.objects.get().how) == (
        canary("purpose"),
        canary("how"),
    )
