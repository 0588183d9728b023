"""Optimistic locking: a change made on an older view of a signal never overwrites another.

The second of two people who saw the same version gets ConcurrentChangeError, nothing of
theirs is written (and nothing audited), and their page comes back with the current state
and their own input still filled in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.audit.services import audit_record
from inbeeld.privacy import subject_rights
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Share
from inbeeld.privacy.registry import registry
from inbeeld.signals import duplicates, services, triage
from inbeeld.signals.concurrency import CONCURRENT_CHANGE, ConcurrentChangeError
from inbeeld.signals.models import NoteKind, Signal, SignalMerge, Status
from inbeeld.signals.tests.helpers import version_of
from inbeeld.signals.tests.test_triage import partner_signal
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import (
    OrganisationFactory,
    covenant_signed_by,
    region,
    staff_user,
)

CONFLICT_NL = "Iemand anders heeft dit signaal intussen gewijzigd"


def coordinator() -> User:
    return staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")


def officer() -> User:
    police = OrganisationFactory.create(type=OrganisationType.POLICE, region=region("VR19"))
    covenant_signed_by(police)  # assignments here are shares on the covenant basis
    return staff_user(role=Role.KETENPARTNER, organisation=police)


def updates_of(signal: Signal) -> int:
    """Audited changes of the signal (shares are audited as shares, merges as updates)."""
    return AuditEntry.objects.filter(
        object_type="signals.signal",
        object_id=str(signal.pk),
        action__in=[Action.UPDATE, Action.SHARE],
    ).count()


def assign(by: User, signal: Signal, to_user: User, version: int) -> Share:
    return triage.signal_assign(
        by=by,
        signal=signal,
        to_user=to_user,
        legal_basis=LegalBasis.COVENANT,
        purpose="begeleiding",
        version=version,
    )


# --- the services -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_status_change_on_an_older_version_is_refused_and_writes_nothing() -> None:
    signal, first, second = partner_signal(), coordinator(), coordinator()
    assert signal.version == 1
    stale = Signal.objects.get(pk=signal.pk)  # the second person's page, opened at version 1
    services.signal_status_change(by=first, signal=signal, status=Status.IN_PROGRESS, version=1)
    with pytest.raises(ConcurrentChangeError) as refused:
        services.signal_status_change(
            by=second, signal=stale, status=Status.CLOSED, outcome="geen_mensenhandel", version=1
        )
    assert refused.value.code == CONCURRENT_CHANGE
    signal.refresh_from_db()
    assert (signal.status, signal.outcome, signal.version) == (Status.IN_PROGRESS, "", 2)
    entries = AuditEntry.objects.filter(object_id=str(signal.pk), action=Action.UPDATE)
    assert [entry.actor for entry in entries] == [first.username]


def _stale_assign(signal: Signal, by: User) -> Callable[[], Any]:
    return lambda: assign(by, signal, officer(), version=1)


def _stale_unassign(signal: Signal, by: User) -> Callable[[], Any]:
    share = assign(by, signal, officer(), version=signal.version)
    return lambda: triage.signal_unassign(by=by, signal=signal, share=share, version=1)


def _stale_merge(signal: Signal, by: User) -> Callable[[], Any]:
    other = partner_signal()
    return lambda: duplicates.signal_merge(
        by=by, kept=signal, merged=other, kept_version=1, merged_version=1
    )


def _stale_undo(signal: Signal, by: User) -> Callable[[], Any]:
    other = partner_signal()
    merge = duplicates.signal_merge(
        by=by, kept=signal, merged=other, kept_version=1, merged_version=1
    )
    return lambda: duplicates.signal_merge_undo(by=by, merge=merge, signal=signal, version=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stale_step",
    [_stale_assign, _stale_unassign, _stale_merge, _stale_undo],
    ids=["assign", "unassign", "merge", "undo merge"],
)
def test_every_change_of_a_signal_on_an_older_version_is_refused(
    stale_step: Callable[[Signal, User], Callable[[], Any]],
) -> None:
    signal, boss = partner_signal(), coordinator()
    step = stale_step(signal, boss)  # may itself change the signal, as a colleague would
    services.signal_status_change(
        by=boss, signal=signal, status=Status.IN_PROGRESS, version=version_of(signal)
    )
    before = (
        version_of(signal),
        updates_of(signal),
        list(Share.objects.values_list("pk", "ended_at")),
        list(SignalMerge.objects.values_list("pk", "undone_at")),
    )
    with pytest.raises(ConcurrentChangeError):
        step()
    after = (
        version_of(signal),
        updates_of(signal),
        list(Share.objects.values_list("pk", "ended_at")),
        list(SignalMerge.objects.values_list("pk", "undone_at")),
    )
    assert after == before


@pytest.mark.django_db
def test_notes_and_additions_are_never_refused_but_count_as_changes() -> None:
    signal, boss = partner_signal(), coordinator()
    seen = signal.version
    triage.note_add(by=boss, signal=signal, kind=NoteKind.NOTE, text="Gebeld met de opvang.")
    services.reporter_addition_add(signal=signal, text="Er is nu ook een kind.")
    assert version_of(signal) == seen + 2
    with pytest.raises(ConcurrentChangeError):  # decided on the page from before the addition
        services.signal_status_change(
            by=boss, signal=signal, status=Status.CLOSED, outcome="geen_mensenhandel", version=seen
        )
    assert Signal.objects.get(pk=signal.pk).status == Status.NEW


@pytest.mark.django_db
def test_the_fgs_restriction_makes_an_open_page_out_of_date() -> None:
    signal, boss = partner_signal(), coordinator()
    fg = staff_user(role=Role.FG, region_code="VR19")
    seen = signal.version
    kind = registry.kind("signals.signal")
    assert kind is not None
    subject_rights.record_restrict(by=fg, kind=kind, record=signal, reason="Verzoek van betrokkene")
    subject_rights.record_restriction_lift(
        by=fg, kind=kind, record=signal, reason="Bezwaar afgehandeld"
    )
    with pytest.raises(ConcurrentChangeError):
        services.signal_status_change(
            by=boss, signal=signal, status=Status.IN_PROGRESS, version=seen
        )
    assert version_of(signal) == seen + 2


# --- the pages ----------------------------------------------------------------------------


def detail(signal: Signal) -> str:
    return reverse("signals:detail", kwargs={"signal_id": signal.pk})


@pytest.mark.django_db
def test_the_second_status_change_shows_the_current_state_and_keeps_the_choice() -> None:
    signal = partner_signal()
    first, second = verified_client(coordinator()), verified_client(coordinator())
    shown = second.get(detail(signal)).context["form"]["version"].value()
    first.post(detail(signal), {"status": Status.IN_PROGRESS, "version": shown})

    response = second.post(detail(signal), {"status": Status.CASE_TABLE, "version": shown})
    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT_NL in page
    assert 'data-testid="status">In behandeling<' in page  # the first one's change
    form = response.context["form"]
    assert form["status"].value() == Status.CASE_TABLE  # the second one's choice, kept
    assert form["version"].value() == str(version_of(signal))
    assert Signal.objects.get(pk=signal.pk).status == Status.IN_PROGRESS

    again = second.post(detail(signal), form.data)  # saved again after seeing the change
    assert again.status_code == 302
    assert Signal.objects.get(pk=signal.pk).status == Status.CASE_TABLE


@pytest.mark.django_db
def test_a_form_without_the_version_saves_nothing_and_says_why() -> None:
    signal = partner_signal()
    response = verified_client(coordinator()).post(detail(signal), {"status": Status.CLOSED})
    assert "Deze pagina was onvolledig of verouderd" in response.content.decode()
    assert Signal.objects.get(pk=signal.pk).status == Status.NEW


@pytest.mark.django_db
def test_a_refused_assignment_keeps_what_was_typed_on_the_signal_page() -> None:
    signal, boss, person = partner_signal(), coordinator(), officer()
    stale = version_of(signal)
    triage.note_add(by=boss, signal=signal, kind=NoteKind.NOTE, text="Nieuw gegeven.")
    response = verified_client(boss).post(
        reverse("signals:assign", kwargs={"signal_id": signal.pk}),
        {
            "to_user": person.pk,
            "legal_basis": LegalBasis.COVENANT,
            "purpose": "Begeleiding bij aangifte",
            "version": stale,
        },
    )
    page = response.content.decode()
    assert CONFLICT_NL in page and "Nieuw gegeven." in page
    assert 'value="Begeleiding bij aangifte"' in page
    assert "<details open>" in page
    assert not Share.objects.exists()


@pytest.mark.django_db
def test_a_refused_merge_keeps_the_reason_typed() -> None:
    kept, other, boss = partner_signal(), partner_signal(), coordinator()
    seen = {"version": version_of(kept), "other_version": version_of(other)}
    services.signal_status_change(by=boss, signal=other, status=Status.IN_PROGRESS, version=1)
    response = verified_client(boss).post(
        reverse("signals:merge", kwargs={"signal_id": kept.pk}),
        {"other": other.pk, "reason": "Zelfde kas, zelfde busje"} | seen,
    )
    page = response.content.decode()
    assert CONFLICT_NL in page
    assert 'value="Zelfde kas, zelfde busje"' in page
    assert not SignalMerge.objects.exists()


# --- two transactions at once on PostgreSQL ------------------------------------------------


def _wait_for_a_blocked_update(deadline_seconds: float = 30) -> None:
    """Until a transaction waits for a row lock (the second UPDATE behind the first)."""
    deadline = time.monotonic() + deadline_seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second transaction never waited for the first")


@pytest.mark.django_db(transaction=True)
def test_two_transactions_changing_one_signal_at_once_exactly_one_wins() -> None:
    if connection.vendor != "postgresql":
        # SQLite's test database is one shared in-memory file that threads lock per table;
        # the IMMEDIATE transactions of a real SQLite file serialise writers instead.
        pytest.skip("row locks between concurrent transactions: PostgreSQL only")
    signal, first, second = partner_signal(), coordinator(), coordinator()
    first_claimed, first_may_commit = threading.Event(), threading.Event()
    results: dict[str, str] = {}

    def audit_then_hold(**kwargs: Any) -> Any:
        entry = audit_record(**kwargs)
        if threading.current_thread().name == "first":  # claimed, not yet committed
            first_claimed.set()
            first_may_commit.wait(timeout=30)
        return entry

    def change(by: User, status: str) -> None:
        try:
            seen = Signal.objects.get(pk=signal.pk)  # both read version 1
            services.signal_status_change(by=by, signal=seen, status=status, version=1)
            results[threading.current_thread().name] = "saved"
        except ConcurrentChangeError:
            results[threading.current_thread().name] = "refused"
        finally:
            connection.close()

    with mock.patch("inbeeld.signals.services.audit_record", audit_then_hold):
        one = threading.Thread(target=change, args=(first, Status.IN_PROGRESS), name="first")
        two = threading.Thread(target=change, args=(second, Status.CASE_TABLE), name="second")
        one.start()
        assert first_claimed.wait(timeout=30)
        two.start()
        try:
            _wait_for_a_blocked_update()
        finally:
            first_may_commit.set()
            one.join(timeout=30)
            two.join(timeout=30)

    assert results == {"first": "saved", "second": "refused"}
    signal.refresh_from_db()
    assert (signal.status, signal.version) == (Status.IN_PROGRESS, 2)
    entries = AuditEntry.objects.filter(object_id=str(signal.pk), action=Action.UPDATE)
    assert [entry.actor for entry in entries] == [first.username]
