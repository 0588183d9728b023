"""Retention removes what is due, per region's own period, audited, and reports to the FG."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.insight.models import EncodedList
from inbeeld.privacy.models import RetentionPolicy, RetentionRun
from inbeeld.privacy.registry import registry
from inbeeld.privacy.retention import retention_run
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db


def encoded_list(code: str, days_old: int, uploader: User | None = None) -> EncodedList:
    organisation = OrganisationFactory.create(region=region(code))
    uploader = uploader or staff_user(role=Role.KETENPARTNER, organisation=organisation)
    item = EncodedList.objects.create(
        region=organisation.region,
        organisation=organisation,
        year=2024,
        list_name=f"lijst-{organisation.pk}",
        content="versleuteld",
        record_count=1,
        schema_id="s",
        key_fingerprint="f",
        uploaded_by=uploader,
    )
    # auto_now sets the date on save; an update puts it in the past as time would.
    EncodedList.objects.filter(pk=item.pk).update(
        uploaded_at=timezone.now() - timedelta(days=days_old)
    )
    return item


def test_records_past_their_period_are_removed_and_newer_ones_kept() -> None:
    old, recent = encoded_list("VR19", 800), encoded_list("VR19", 100)
    run = retention_run()
    assert not EncodedList.objects.filter(pk=old.pk).exists()
    assert EncodedList.objects.filter(pk=recent.pk).exists()
    assert run.removed["encoded_list"] == 1


def test_a_region_sets_its_own_period() -> None:
    RetentionPolicy.objects.create(kind="encoded_list", region=region("VR19"), keep_days=30)
    zeeland, ijsselland = encoded_list("VR19", 100), encoded_list("VR04", 100)
    retention_run()
    assert not EncodedList.objects.filter(pk=zeeland.pk).exists()
    assert EncodedList.objects.filter(pk=ijsselland.pk).exists()


def test_each_removal_is_audited_without_its_content() -> None:
    old = encoded_list("VR19", 800)
    retention_run()
    entry = AuditEntry.objects.get(action=Action.DELETE, object_id=str(old.pk))
    assert (entry.object_type, entry.purpose, entry.region) == (
        "insight.encodedlist",
        "retention",
        "VR19",
    )
    assert entry.detail == {"rule": "encoded_list", "kept_days": 730}
    assert "versleuteld" not in str(entry.detail)


def test_a_dry_run_counts_but_removes_nothing() -> None:
    old = encoded_list("VR19", 800)
    run = retention_run(dry_run=True)
    assert run.removed["encoded_list"] == 1
    assert EncodedList.objects.filter(pk=old.pk).exists()


def test_the_nightly_schedule_runs_retention_through_the_task_queue() -> None:
    from django_q.models import Schedule
    from django_q.tasks import async_task

    schedule = Schedule.objects.get(name="inbeeld retention")
    assert schedule.schedule_type == Schedule.DAILY
    old = encoded_list("VR19", 800)
    async_task(schedule.func, sync=True)  # what the worker does when the schedule fires
    assert not EncodedList.objects.filter(pk=old.pk).exists()
    assert RetentionRun.objects.exists()


def test_the_fg_sees_the_periods_sets_one_and_reads_the_report() -> None:
    fg = staff_user(role=Role.FG, region_code="VR19")
    encoded_list("VR19", 800)
    retention_run()
    client = verified_client(fg)
    page = client.get(reverse("privacy:retention")).content.decode()
    assert "730 dagen" in page
    assert "encoded_list: 1" in page
    response = client.post(
        reverse("privacy:retention"), {"region": "VR19", "kind": "encoded_list", "keep_days": 365}
    )
    assert response.status_code == 302
    assert RetentionPolicy.objects.get(region=region("VR19")).keep_days == 365
    assert AuditEntry.objects.filter(purpose="retention policy").exists()


def test_the_fg_cannot_set_a_period_for_another_region() -> None:
    client = verified_client(staff_user(role=Role.FG, region_code="VR19"))
    response = client.post(
        reverse("privacy:retention"), {"region": "VR04", "kind": "encoded_list", "keep_days": 1}
    )
    assert 'id="id_region_error"' in response.content.decode()
    assert not RetentionPolicy.objects.exists()


def test_the_fg_sees_every_kind_of_record_and_what_happens_to_it() -> None:
    """Walkthrough item 13: the page showed no rule for signals closed as presumed victim,
    open signals, attachments or the audit trail, and two confusing rows for failed logins."""
    client = verified_client(staff_user(role=Role.FG, region_code="VR19"))
    page = client.get(reverse("privacy:retention")).content.decode()
    assert page.count('data-testid="retention-kind"') == len(registry.kinds())
    with translation.override("nl"):
        for kind in registry.kinds():
            said = [
                kind.label,
                *(r.label for r in kind.retention),
                *(k.statement for k in kind.kept),
            ]
            said += [text for r in kind.related for text in (r.label, r.statement)]
            for text in said:
                assert escape(str(text)) in page, (kind.key, str(text))
    expected = [
        "Signalen afgesloten als vermoedelijk slachtoffer",
        "Bewaard tot de bewaarregels voor casussen er zijn",
        "Open signalen",
        "Bijlagen",
        "Verwijderd met hun signaal",
        "Audittrail",
        "een bewaartermijn voor de trail zelf is nog niet vastgesteld",
        "Mislukte inlogpogingen die meetellen voor een blokkade",
        "Logboek van elke mislukte inlogpoging",
        "30 dagen",
        "90 dagen",
    ]
    for text in expected:
        assert text in page, text
    # The old, confusing pair of rows is gone.
    assert "Mislukte inlogpogingen (gebruikersnaam, IP-adres)" not in page
