"""Retention of closed signals: removed with everything hanging on them, audited, reported."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Consent, RetentionPolicy, Share, ShareKind
from inbeeld.privacy.retention import retention_run
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import (
    NoteKind,
    Outcome,
    ReporterAddition,
    Signal,
    SignalAttachment,
    SignalIdentifier,
    SignalMerge,
    SignalNote,
    Status,
)
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db

MONTH = 30.5  # days
GOES, ZWOLLE = "GM0664", "GM0193"  # Zeeland (VR19), IJsselland (VR04)


def signal(
    *, days_ago: float, outcome: str = Outcome.NO_TRAFFICKING, municipality: str = GOES
) -> Signal:
    """A partner's signal with a victim's name and number, closed ``days_ago`` (or open)."""
    place = Municipality.objects.get(code=municipality)
    user = staff_user(
        role=Role.ZORGCOORDINATOR, organisation=OrganisationFactory.create(region=place.region)
    )
    created, _new = signal_create_partner(
        data=SignalInput(
            municipality=place,
            description="Geheime beschrijving van de situatie.",
            victim_name="Anna de Vries",
            phone_numbers="0612345678",
        ),
        by=user,
        organisation=user.memberships.get().organisation,
    )
    moment = timezone.now() - timedelta(days=days_ago)
    if outcome:
        Signal.objects.filter(pk=created.pk).update(
            status=Status.CLOSED, outcome=outcome, closed_at=moment
        )
    else:
        Signal.objects.filter(pk=created.pk).update(created_at=moment)
    return created


def with_everything(item: Signal) -> User:
    """Notes, an attachment, an addition, a share and a consent on ``item``."""
    user = item.created_by
    assert user is not None
    ReporterAddition.objects.create(signal=item, text="Nog iets gezien.")
    SignalNote.objects.create(signal=item, kind=NoteKind.NOTE, text="Gebeld.", author=user)
    SignalAttachment.objects.create(
        signal=item, file_name="foto.jpg", content_type="image/jpeg", size=3, content="YWJj"
    )
    Share.objects.create(
        target=item,
        region=item.region,
        kind=ShareKind.ASSIGNMENT,
        to_user=user,
        legal_basis=LegalBasis.values[0],
        purpose="Behandeling",
        shared_by=user,
    )
    Consent.objects.create(
        target=item, scope="police", given_on=date(2025, 1, 2), how="Mondeling", recorded_by=user
    )
    return user


def merge(kept: Signal, merged: Signal) -> SignalMerge:
    Signal.objects.filter(pk=merged.pk).update(merged_into=kept)
    assert kept.created_by is not None
    return SignalMerge.objects.create(kept=kept, merged=merged, merged_by=kept.created_by)


def rows_about(item: Signal) -> int:
    return sum(
        model.objects.filter(signal=item).count()
        for model in (ReporterAddition, SignalNote, SignalAttachment, SignalIdentifier)
    ) + sum(model.objects.filter(object_id=item.pk).count() for model in (Share, Consent))


def test_a_signal_closed_as_no_trafficking_goes_after_six_months_with_all_it_holds() -> None:
    old, recent = signal(days_ago=7 * MONTH), signal(days_ago=5 * MONTH)
    with_everything(old)
    with_everything(recent)
    assert rows_about(old) >= 6  # two identifier hashes as well
    kept_rows = rows_about(recent)
    run = retention_run()
    assert not Signal.objects.filter(pk=old.pk).exists()
    assert rows_about(old) == 0
    assert Signal.objects.filter(pk=recent.pk).exists()
    assert rows_about(recent) == kept_rows
    assert run.removed["signal_no_trafficking"] == 1
    assert run.removed["signal_closed_other"] == 0


def test_open_signals_and_presumed_victims_stay() -> None:
    open_old = signal(days_ago=730, outcome="")
    victim = signal(days_ago=730, outcome=Outcome.PRESUMED_VICTIM)
    retention_run()
    assert Signal.objects.filter(pk__in=[open_old.pk, victim.pk]).count() == 2


def test_other_problems_are_kept_two_years() -> None:
    older, younger = (
        signal(days_ago=25 * MONTH, outcome=Outcome.OTHER_PROBLEMS),
        signal(days_ago=7 * MONTH, outcome=Outcome.OTHER_PROBLEMS),
    )
    run = retention_run()
    assert not Signal.objects.filter(pk=older.pk).exists()
    assert Signal.objects.filter(pk=younger.pk).exists()
    assert run.removed["signal_closed_other"] == 1


def test_a_restricted_signal_is_kept_until_the_restriction_is_lifted() -> None:
    old = signal(days_ago=7 * MONTH)
    Signal.objects.filter(pk=old.pk).update(restricted=True)
    retention_run()
    assert Signal.objects.filter(pk=old.pk).exists()


def test_a_region_sets_its_own_period_for_signals() -> None:
    RetentionPolicy.objects.create(
        kind="signal_no_trafficking", region=region("VR19"), keep_days=30
    )
    zeeland = signal(days_ago=2 * MONTH)
    ijsselland = signal(days_ago=2 * MONTH, municipality=ZWOLLE)
    retention_run()
    assert not Signal.objects.filter(pk=zeeland.pk).exists()
    assert Signal.objects.filter(pk=ijsselland.pk).exists()


def test_the_removal_is_audited_with_counts_but_without_content() -> None:
    old = signal(days_ago=7 * MONTH)
    with_everything(old)
    retention_run()
    entry = AuditEntry.objects.get(
        action=Action.DELETE, object_type="signals.signal", object_id=str(old.pk)
    )
    assert (entry.purpose, entry.region, entry.actor) == ("retention", "VR19", "retention")
    assert entry.detail["rule"] == "signal_no_trafficking"
    assert entry.detail["kept_days"] == 183
    assert entry.detail["removed_with"]["signals.signalnote"] == 1
    assert entry.detail["removed_with"]["privacy.consent"] == 1
    assert entry.detail["removed_with"]["privacy.share"] == 1
    for secret in ("Geheime", "Anna", "0612345678", "Gebeld", "foto", "Mondeling"):
        assert secret not in str(entry.detail)


def test_merges_of_a_removed_signal_go_and_the_other_side_is_decided() -> None:
    due, kept_other = signal(days_ago=7 * MONTH), signal(days_ago=1)
    open_one = signal(days_ago=10, outcome="")
    merge(kept_other, due)  # the due signal was merged into one that is not due
    merge(due, open_one)  # and an open signal was merged into the due one
    run = retention_run()
    assert not SignalMerge.objects.exists()
    # The signal it was merged into is not due and stays; the one merged into it goes with it.
    assert Signal.objects.filter(pk=kept_other.pk).exists()
    assert not Signal.objects.filter(pk__in=[due.pk, open_one.pk]).exists()
    assert run.removed["signal_no_trafficking"] == 2
    entry = AuditEntry.objects.get(action=Action.DELETE, object_id=str(open_one.pk))
    assert entry.detail["merged_into"] == due.pk


def test_a_dry_run_counts_but_removes_nothing() -> None:
    old = signal(days_ago=7 * MONTH)
    with_everything(old)
    run = retention_run(dry_run=True)
    assert run.removed["signal_no_trafficking"] == 1
    assert Signal.objects.filter(pk=old.pk).exists()
    assert rows_about(old) >= 6
    assert not AuditEntry.objects.filter(action=Action.DELETE).exists()


def test_the_fg_sees_the_signal_rules_and_what_was_removed() -> None:
    signal(days_ago=7 * MONTH)
    retention_run()
    page = (
        verified_client(staff_user(role=Role.FG, region_code="VR19"))
        .get(reverse("privacy:retention"))
        .content.decode()
    )
    assert "Signalen afgesloten als geen mensenhandel" in page
    assert "183 dagen" in page
    assert "signal_no_trafficking: 1" in page
