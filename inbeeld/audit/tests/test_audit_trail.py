"""The audit trail records reads, changes, refusals and logins, and shows any tampering."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.audit.services import audit_chain_verify, audit_deletion_permitted, audit_record
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import TEST_PASSWORD, staff_user

pytestmark = pytest.mark.django_db


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_an_administrator_reading_an_account_is_recorded_with_purpose() -> None:
    beheerder = staff_user(role=Role.BEHEERDER, username="beheer.a")
    colleague = staff_user(
        role=Role.KETENPARTNER, organisation=beheerder.memberships.get().organisation
    )
    verified_client(beheerder).get(reverse("accounts:user_edit", kwargs={"user_id": colleague.pk}))
    read = entries(Action.READ)[-1]
    assert (read.actor, read.object_type, read.object_id) == (
        "beheer.a",
        "accounts.user",
        str(colleague.pk),
    )
    assert read.purpose == "account administration"
    assert read.organisations == beheerder.memberships.get().organisation.name


def test_a_change_records_which_fields_changed_but_not_their_values() -> None:
    beheerder = staff_user(role=Role.BEHEERDER)
    colleague = staff_user(
        role=Role.KETENPARTNER, organisation=beheerder.memberships.get().organisation
    )
    verified_client(beheerder).post(
        reverse("accounts:user_edit", kwargs={"user_id": colleague.pk}),
        {
            "username": colleague.username,
            "first_name": "Geheimenaam",
            "last_name": colleague.last_name,
            "email": "nieuw@example.org",
            "is_active": "on",
        },
    )
    update = entries(Action.UPDATE)[-1]
    assert set(update.detail["fields"]) == {"first_name", "email"}
    stored = str(update.detail)
    assert "Geheimenaam" not in stored and "nieuw@example.org" not in stored


def test_a_refused_record_is_recorded() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    response = verified_client(user).get(reverse("web:region_detail", kwargs={"code": "VR04"}))
    assert response.status_code == 404
    denied = entries(Action.DENIED)[-1]
    assert denied.actor == user.username
    assert denied.detail["path"] == "/regio/VR04/"


def test_logins_and_failed_logins_are_recorded() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR, username="inlogger")
    Client().post(reverse("accounts:login"), {"username": "inlogger", "password": "fout"})
    Client().post(reverse("accounts:login"), {"username": "inlogger", "password": TEST_PASSWORD})
    assert entries(Action.LOGIN_FAILED)[-1].actor == "inlogger"
    assert entries(Action.LOGIN_FAILED)[-1].actor_id is None
    assert entries(Action.LOGIN)[-1].actor_id == user.pk


def test_the_chain_is_intact_after_normal_use() -> None:
    for number in range(5):
        audit_record(actor=None, action=Action.READ, object_type="test", object_id=str(number))
    report = audit_chain_verify()
    assert report.intact
    assert report.entries == AuditEntry.objects.count()


def test_the_database_refuses_to_change_an_entry() -> None:
    entry = audit_record(actor=None, action=Action.READ, object_type="test", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="rewritten")


def drop_append_only_trigger() -> None:
    """What an attacker with database rights does first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_entry_append_only ON audit_auditentry")
        else:
            cursor.execute("DROP TRIGGER audit_entry_append_only")


def test_an_entry_edited_in_the_database_breaks_the_chain_there() -> None:
    recorded = [
        audit_record(actor=None, action=Action.READ, object_type="test", object_id=str(n))
        for n in range(4)
    ]
    drop_append_only_trigger()
    AuditEntry.objects.filter(pk=recorded[2].pk).update(object_id="something else")
    report = audit_chain_verify()
    assert not report.intact
    assert report.broken_entry is not None and report.broken_entry.pk == recorded[2].pk
    assert "edited" in report.reason


def test_a_removed_entry_breaks_the_chain_at_its_successor() -> None:
    recorded = [
        audit_record(actor=None, action=Action.READ, object_type="test", object_id=str(n))
        for n in range(4)
    ]
    with audit_deletion_permitted():
        AuditEntry.objects.filter(pk=recorded[1].pk).delete()
    report = audit_chain_verify()
    assert report.broken_entry is not None and report.broken_entry.pk == recorded[2].pk
    assert "removed" in report.reason
