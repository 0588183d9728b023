"""Likely duplicates: ranked by their evidence (name, phone, description, place, form, time);
merged, shown, undone."""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Organisation, Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.regions.models import Municipality
from inbeeld.signals import duplicates
from inbeeld.signals.duplicates import (
    CLOSE_IN_TIME,
    IDENTIFIER_CANDIDATES,
    NEAR_IN_TIME,
    OTHER_FORM,
    PLACE_CANDIDATES,
    SAME_FORM,
    SAME_NAME,
    SAME_PHONE,
    SAME_PLACE_TEXT,
    SIMILAR_DESCRIPTION,
    duplicate_proposals,
    signal_merge,
    signal_merge_undo,
)
from inbeeld.signals.models import NoteKind, Signal, SignalMerge, SignalNote
from inbeeld.signals.services import SignalInput, reporter_addition_add, signal_create_partner
from inbeeld.signals.tests.helpers import version_of
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import MembershipFactory, OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db

GOES, BORSELE, ZWOLLE = "GM0664", "GM0654", "GM0193"
# Far apart in time, so that only the evidence a test is about can make a proposal.
LONG_AGO, RECENTLY = date(2025, 1, 10), date(2025, 9, 20)


def reporter_in(code: str = GOES) -> tuple[User, Organisation]:
    organisation = OrganisationFactory.create(region=Municipality.objects.get(code=code).region)
    return staff_user(role=Role.KETENPARTNER, organisation=organisation), organisation


def new_signal(code: str = GOES, *, reporter: tuple[User, Organisation] | None = None,
               **fields: Any) -> Signal:  # fmt: skip
    user, organisation = reporter or reporter_in(code)
    # Unless a test is about the description, every signal's is its own (random words).
    own = " ".join(secrets.token_hex(4) for _word in range(3))
    data = SignalInput(
        municipality=Municipality.objects.get(code=code),
        description=fields.pop("description", own),
        **fields,
    )
    signal, _new = signal_create_partner(data=data, by=user, organisation=organisation)
    return signal


def coordinator(code: str = "VR19") -> User:
    return staff_user(role=Role.ZORGCOORDINATOR, region_code=code)


def merge(by: User, kept: Signal, merged: Signal, reason: str = "") -> SignalMerge:
    """Merge as from a page opened just now."""
    return signal_merge(
        by=by,
        kept=kept,
        merged=merged,
        kept_version=version_of(kept),
        merged_version=version_of(merged),
        reason=reason,
    )


def undo(by: User, merge: SignalMerge) -> SignalMerge:
    """Undo from the kept signal's page, opened just now."""
    return signal_merge_undo(by=by, merge=merge, signal=merge.kept, version=version_of(merge.kept))


def kinds_by_code(signal: Signal, user: User) -> dict[str, list[str]]:
    proposals = duplicate_proposals(signal=signal, user=user)
    return {proposal.signal.receipt_code: proposal.kinds for proposal in proposals}


def test_the_same_name_is_proposed_whatever_its_case_or_accents() -> None:
    earlier = new_signal(GOES, victim_name="José Pérez", incident_date=LONG_AGO)
    new_signal(GOES, victim_name="Jan Jansen", incident_date=LONG_AGO)
    later = new_signal(BORSELE, victim_name="  jose PEREZ ", incident_date=RECENTLY)
    assert kinds_by_code(later, coordinator()) == {earlier.receipt_code: [SAME_NAME]}


def test_a_shared_phone_number_is_proposed_in_national_or_international_form() -> None:
    earlier = new_signal(GOES, phone_numbers="06-12345678", incident_date=LONG_AGO)
    new_signal(GOES, phone_numbers="06-87654321", incident_date=LONG_AGO)
    later = new_signal(
        BORSELE, phone_numbers="0113 123456\n+31 6 1234 5678", incident_date=RECENTLY
    )
    assert kinds_by_code(later, coordinator()) == {earlier.receipt_code: [SAME_PHONE]}


GREENHOUSE = "Zes mannen werken dag en nacht in de kas aan de Havenweg en slapen in de loods."


def test_the_same_municipality_within_a_fortnight_alone_is_no_proposal() -> None:
    # The walkthrough's noise: every signal of the municipality in the window was proposed.
    for days in (0, 3, 14):
        new_signal(
            GOES, incident_date=RECENTLY - timedelta(days=days), exploitation_forms=["labour"]
        )
    signal = new_signal(GOES, incident_date=RECENTLY, exploitation_forms=["labour"])
    assert duplicate_proposals(signal=signal, user=coordinator()) == []


def test_much_the_same_description_nearby_is_proposed_with_how_far_apart_in_time() -> None:
    near = new_signal(GOES, description=GREENHOUSE, incident_date=RECENTLY - timedelta(days=14))
    new_signal(
        GOES, description=GREENHOUSE, incident_date=RECENTLY - timedelta(days=15)
    )  # too long before
    new_signal(BORSELE, description=GREENHOUSE, incident_date=RECENTLY)  # elsewhere
    signal = new_signal(GOES, description=GREENHOUSE.upper(), incident_date=RECENTLY)
    proposals = duplicate_proposals(signal=signal, user=coordinator())
    assert [p.signal for p in proposals] == [near]
    assert proposals[0].kinds == [SIMILAR_DESCRIPTION, NEAR_IN_TIME]
    assert proposals[0].reasons == [
        "Grotendeels dezelfde beschrijving (100% van de woorden gedeeld)",
        "Zelfde gemeente, 14 dagen uit elkaar",
    ]


def test_identical_text_ranks_above_another_form_of_exploitation() -> None:
    other_form = new_signal(
        GOES, description="Een jonge vrouw wordt elke avond opgehaald bij het station.",
        place_text="Stationsplein", exploitation_forms=["sexual"], incident_date=RECENTLY,
    )  # fmt: skip
    same_text = new_signal(
        GOES, description=GREENHOUSE, exploitation_forms=["labour"], incident_date=RECENTLY
    )
    signal = new_signal(
        GOES, description=GREENHOUSE, place_text="Stationsplein", exploitation_forms=["labour"],
        incident_date=RECENTLY - timedelta(days=1),
    )  # fmt: skip
    proposals = duplicate_proposals(signal=signal, user=coordinator())
    assert [p.signal for p in proposals] == [same_text, other_form]
    assert proposals[0].kinds == [SIMILAR_DESCRIPTION, CLOSE_IN_TIME, SAME_FORM]
    # The same place in words and time make the other one worth a look, its form counts against.
    assert proposals[1].kinds == [SAME_PLACE_TEXT, CLOSE_IN_TIME, OTHER_FORM]
    assert proposals[0].strength > proposals[1].strength
    assert "Andere vorm van uitbuiting" in proposals[1].reasons
    assert "Andere vorm" not in proposals[1].merge_reason


def test_without_an_incident_date_the_day_it_was_received_counts() -> None:
    undated = new_signal(GOES, description=GREENHOUSE)
    Signal.objects.filter(pk=undated.pk).update(
        created_at=datetime(2025, 9, 25, 10, 0, tzinfo=timezone.get_current_timezone())
    )
    signal = new_signal(GOES, description=GREENHOUSE, incident_date=RECENTLY)
    user = coordinator()
    assert kinds_by_code(signal, user) == {
        undated.receipt_code: [SIMILAR_DESCRIPTION, NEAR_IN_TIME]
    }
    undated.refresh_from_db()
    assert kinds_by_code(undated, user) == {
        signal.receipt_code: [SIMILAR_DESCRIPTION, NEAR_IN_TIME]
    }


def test_erased_descriptions_are_not_alike() -> None:
    erased = new_signal(GOES, description="[erased]", incident_date=RECENTLY)
    Signal.objects.filter(pk=erased.pk).update(erased_at=timezone.now())
    signal = new_signal(GOES, description="[erased]", incident_date=RECENTLY)
    Signal.objects.filter(pk=signal.pk).update(erased_at=timezone.now())
    signal.refresh_from_db()
    assert duplicate_proposals(signal=signal, user=coordinator()) == []


def test_only_the_newest_candidates_are_weighed_so_few_texts_are_decrypted() -> None:
    for _n in range(5):
        new_signal(GOES, description=GREENHOUSE, incident_date=RECENTLY)
    signal = new_signal(GOES, description=GREENHOUSE, incident_date=RECENTLY)
    weigh = mock.patch.object(duplicates, "_evidence", wraps=duplicates._evidence)
    with mock.patch.object(duplicates, "PLACE_CANDIDATES", 3), weigh as weighed:
        assert len(duplicate_proposals(signal=signal, user=coordinator())) == 3
    assert weighed.call_count == 3
    assert IDENTIFIER_CANDIDATES + PLACE_CANDIDATES == 100  # the most a page decrypts


def test_a_proposal_gives_every_reason_and_names_and_numbers_rank_first() -> None:
    by_text = new_signal(GOES, description=GREENHOUSE, incident_date=RECENTLY)
    by_everything = new_signal(
        GOES, victim_name="Ana Lima", phone_numbers="0612345678", incident_date=RECENTLY
    )
    signal = new_signal(
        GOES, victim_name="ana lima", phone_numbers="+31612345678", incident_date=RECENTLY,
        description=GREENHOUSE,
    )  # fmt: skip
    proposals = duplicate_proposals(signal=signal, user=coordinator())
    assert [p.signal for p in proposals] == [by_everything, by_text]
    assert proposals[0].kinds == [SAME_NAME, SAME_PHONE, CLOSE_IN_TIME]
    assert proposals[0].reasons[0] == "Zelfde naam van het mogelijke slachtoffer"


def test_nothing_is_proposed_across_regions_or_beyond_what_the_user_may_see() -> None:
    new_signal(ZWOLLE, victim_name="José Pérez")
    own_reporter = reporter_in(GOES)
    other_reporter = new_signal(GOES, victim_name="José Pérez")
    restricted = new_signal(GOES, victim_name="José Pérez")
    Signal.objects.filter(pk=restricted.pk).update(restricted=True)
    signal = new_signal(GOES, reporter=own_reporter, victim_name="José Pérez")
    both_regions = coordinator("VR19")
    MembershipFactory.create(
        user=both_regions,
        organisation=OrganisationFactory.create(region=region("VR04")),
        role=Role.ZORGCOORDINATOR,
    )
    assert list(kinds_by_code(signal, both_regions)) == [other_reporter.receipt_code]
    # The reporting partner sees only its own organisation's signals: nothing to propose.
    assert duplicate_proposals(signal=signal, user=own_reporter[0]) == []


def test_merged_signals_are_not_proposed_again() -> None:
    kept = new_signal(GOES, victim_name="José Pérez", incident_date=LONG_AGO)
    merged = new_signal(GOES, victim_name="José Pérez", incident_date=LONG_AGO)
    user = coordinator()
    merge(user, kept, merged)
    signal = new_signal(GOES, victim_name="Jose Perez", incident_date=LONG_AGO)
    assert [p.signal for p in duplicate_proposals(signal=signal, user=user)] == [kept]
    merged.refresh_from_db()
    assert duplicate_proposals(signal=merged, user=user) == []


def test_merging_hides_the_merged_signal_and_shows_both_histories_until_undone() -> None:
    kept = new_signal(GOES, victim_name="José Pérez", description="Werkt in een nagelstudio.")
    merged = new_signal(GOES, victim_name="jose perez", description="Slaapt in de studio.")
    reporter_addition_add(signal=merged, text="Ze heeft geen paspoort meer.")
    user = coordinator()
    SignalNote.objects.create(
        signal=merged, kind=NoteKind.NOTE, text="Politie kent het adres.", author=user
    )
    client = verified_client(user)
    kept_url = reverse("signals:detail", kwargs={"signal_id": kept.pk})
    merged_url = reverse("signals:detail", kwargs={"signal_id": merged.pk})
    assert merged.receipt_code in client.get(kept_url).content.decode()  # proposed

    response = client.post(
        reverse("signals:merge", kwargs={"signal_id": kept.pk}),
        {
            "other": merged.pk,
            "reason": "Zelfde studio",
            "version": version_of(kept),
            "other_version": version_of(merged),
        },
        follow=True,
    )
    page = response.content.decode()
    assert f"Signaal {merged.receipt_code} is in dit signaal samengevoegd." in page
    for text in ("Slaapt in de studio.", "Ze heeft geen paspoort meer.", "Politie kent het adres."):
        assert text in page
    queue = client.get(reverse("signals:queue")).content.decode()
    assert kept.receipt_code in queue
    assert merged.receipt_code not in queue
    merged_page = client.get(merged_url).content.decode()
    assert f"Dit signaal is samengevoegd in {kept.receipt_code}." in merged_page

    merge_record = SignalMerge.objects.get()
    client.post(
        reverse("signals:merge_undo", kwargs={"signal_id": merged.pk, "merge_id": merge_record.pk}),
        {"version": version_of(merged)},
    )
    merged.refresh_from_db()
    merge_record.refresh_from_db()
    assert merged.merged_into is None
    assert (merge_record.undone_by, merge_record.undone_at is not None) == (user, True)
    assert merged.receipt_code in client.get(reverse("signals:queue")).content.decode()
    assert "Slaapt in de studio." not in client.get(kept_url).content.decode()


def test_a_merge_and_its_undo_are_audited_on_both_signals_without_personal_data() -> None:
    kept = new_signal(GOES, victim_name="José Pérez")
    merged = new_signal(GOES, victim_name="José Pérez")
    user = coordinator()
    merge_record = merge(user, kept, merged, reason="Zelfde naam")
    undo(user, merge_record)
    entries = AuditEntry.objects.filter(action=Action.UPDATE, purpose="triage", actor=user.username)
    steps = sorted((e.object_id, e.detail["step"]) for e in entries)
    assert steps == sorted(
        (str(s.pk), step) for s in (kept, merged) for step in ("merged", "merge undone")
    )
    trail = json.dumps([e.detail for e in entries])
    assert "Pérez" not in trail
    assert "Zelfde naam" not in trail


def merge_refused(*, by: User, kept: Signal, merged: Signal) -> dict[str, list[str]]:
    """The field errors of a refused merge, after checking that nothing was written."""
    merges, updates = SignalMerge.objects.count(), AuditEntry.objects.filter(action="update")
    before = updates.count()
    with pytest.raises(ValidationError) as refused:
        merge(by, kept, merged)
    assert SignalMerge.objects.count() == merges
    assert updates.count() == before
    merged.refresh_from_db()
    return refused.value.message_dict


def test_bad_merges_name_the_field_and_write_nothing() -> None:
    user = coordinator()
    MembershipFactory.create(
        user=user,
        organisation=OrganisationFactory.create(region=region("VR04")),
        role=Role.ZORGCOORDINATOR,
    )
    kept, other, zwolle = new_signal(GOES), new_signal(GOES), new_signal(ZWOLLE)
    assert merge_refused(by=user, kept=kept, merged=kept) == {
        "other": ["Een signaal kan niet in zichzelf worden samengevoegd."]
    }
    assert merge_refused(by=user, kept=kept, merged=zwolle) == {
        "other": ["Alleen signalen uit dezelfde regio kunnen worden samengevoegd."]
    }
    merge(user, kept, other)
    third = new_signal(GOES)
    assert "other" in merge_refused(by=user, kept=third, merged=other)
    assert "kept" in merge_refused(by=user, kept=other, merged=third)
    assert "other" in merge_refused(by=user, kept=third, merged=kept)  # no chains
    other.refresh_from_db()
    assert other.merged_into == kept
    outsider = staff_user(role=Role.KETENPARTNER, region_code="VR19")
    assert "other" in merge_refused(by=outsider, kept=third, merged=new_signal(GOES))


def test_a_signal_of_another_region_cannot_be_merged_in_through_the_page() -> None:
    kept, zwolle = new_signal(GOES), new_signal(ZWOLLE)
    client = verified_client(coordinator())
    response = client.post(
        reverse("signals:merge", kwargs={"signal_id": kept.pk}),
        {"other": zwolle.pk, "version": version_of(kept), "other_version": version_of(zwolle)},
        follow=True,
    )
    page = response.content.decode()
    assert "Signaal om in dit signaal samen te voegen: Kies een signaal uit uw regio" in page
    assert not SignalMerge.objects.exists()
    zwolle.refresh_from_db()
    assert zwolle.merged_into is None


def test_an_undone_merge_cannot_be_undone_twice() -> None:
    user = coordinator()
    merge_record = merge(user, new_signal(GOES), new_signal(GOES))
    undo(user, merge_record)
    with pytest.raises(ValidationError) as refused:
        undo(user, merge_record)
    assert list(refused.value.message_dict) == ["merge"]


def test_the_reporting_partner_sees_merged_history_only_of_its_own_signals() -> None:
    reporter = reporter_in(GOES)
    kept = new_signal(GOES, reporter=reporter, description="Eigen melding.")
    own = new_signal(GOES, reporter=reporter, description="Tweede eigen melding.")
    foreign = new_signal(GOES, description="Melding van een ander.")
    user = coordinator()
    merge(user, kept, own)
    merge(user, kept, foreign)
    page = (
        verified_client(reporter[0])
        .get(reverse("signals:detail", kwargs={"signal_id": kept.pk}))
        .content.decode()
    )
    assert "Tweede eigen melding." in page
    assert "Melding van een ander." not in page
    assert "ongedaan maken" not in page  # no undo for who may not triage
