"""The case table's services: meetings, the agenda, decisions, actions, follow-up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.audit.models import AuditEntry
from inbeeld.casetable.models import AgendaItem, Decision, Guest, Outcome
from inbeeld.casetable.services import (
    ACTION_SOURCE,
    ActionInput,
    DecisionInput,
    MeetingInput,
    action_add,
    agenda_build,
    decision_in_force,
    decision_record,
    guest_add,
    meeting_invite,
    meeting_plan,
)
from inbeeld.casetable.tests.helpers import partner_organisation, table
from inbeeld.privacy.models import Share, ShareKind
from inbeeld.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db


def _plan(world: Any, **changes: Any) -> Any:
    chair = world.user(Role.ZORGCOORDINATOR, "A")
    values: dict[str, Any] = {
        "date": timezone.localdate(),
        "chair": chair,
        "secretary": chair,
        "organisations": [],
    }
    values.update(changes)
    return meeting_plan(
        by=chair, region=world.organisation("A").region, data=MeetingInput(**values)
    )


def test_a_meeting_without_chair_or_secretary_is_refused_naming_the_field(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _plan(world, chair=None, secretary=None)
    assert set(refused.value.message_dict) == {"chair", "secretary"}
    assert "voorzitter" in refused.value.message_dict["chair"][0]


def test_a_non_signatory_is_not_invited_and_nothing_is_written(world: Any) -> None:
    signed, _worker = partner_organisation("A", "Opvang A", OrganisationType.SHELTER)
    unsigned, _other = partner_organisation("A", "School A", OrganisationType.SCHOOL)
    from inbeeld.testing.factories import covenant_signed_by

    covenant_signed_by(signed)
    with pytest.raises(ValidationError) as refused:
        _plan(world, organisations=[signed, unsigned])
    assert "School A heeft het geldende convenant" in refused.value.messages[0]
    from inbeeld.casetable.models import Meeting

    assert not Meeting.objects.exists()


def test_a_non_signatory_cannot_be_invited_later(world: Any) -> None:
    setup = table(world)
    school, _worker = partner_organisation("A", "School A", OrganisationType.SCHOOL)
    with pytest.raises(ValidationError) as refused:
        meeting_invite(by=setup.chair, meeting=setup.meeting, organisation=school)
    assert "organisation" in refused.value.message_dict


def test_a_guest_takes_part_only_after_accepting_the_statement(world: Any) -> None:
    setup = table(world)
    with pytest.raises(ValidationError) as refused:
        guest_add(
            by=setup.chair, meeting=setup.meeting, name="Gast", affiliation="", accepted=False
        )
    assert "accepted" in refused.value.message_dict
    guest = guest_add(
        by=setup.chair,
        meeting=setup.meeting,
        name="Gast Persoon",
        affiliation="Tolk",
        accepted=True,
    )
    assert "geheim" in guest.statement and guest.accepted_at is not None
    assert Guest.objects.get().name == "Gast Persoon"


def test_the_agenda_takes_marked_signals_by_urgency_and_is_built_once(world: Any) -> None:
    setup = table(world)
    assert agenda_build(by=setup.chair, meeting=setup.meeting) == 1
    assert agenda_build(by=setup.chair, meeting=setup.meeting) == 0
    assert AgendaItem.objects.get().signal_id == setup.signal.pk


def _decide(setup: Any, item: AgendaItem, **changes: Any) -> Decision:
    values: dict[str, Any] = {
        "outcome": Outcome.LEAD_PARTNER,
        "lead": setup.shelter,
        "shared": "Contactpersoon en situatie",
    }
    values.update(changes)
    return decision_record(by=setup.chair, item=item, data=DecisionInput(**values))


def test_a_decision_with_lead_partner_shares_on_the_covenant_basis(world: Any) -> None:
    setup = table(world)
    agenda_build(by=setup.chair, meeting=setup.meeting)
    item = AgendaItem.objects.get()
    decision = _decide(setup, item, supporting=[setup.inspectorate])
    roles = {role.organisation_id: role for role in decision.roles.all()}
    assert roles[setup.shelter.pk].role == "lead"
    share = roles[setup.shelter.pk].share
    assert share is not None
    assert share.kind == ShareKind.CASE_TABLE and share.legal_basis == "covenant"
    assert share.content == "Contactpersoon en situatie"


def test_a_decision_needs_its_lead_partner_or_its_reason(world: Any) -> None:
    setup = table(world)
    agenda_build(by=setup.chair, meeting=setup.meeting)
    item = AgendaItem.objects.get()
    with pytest.raises(ValidationError) as refused:
        _decide(setup, item, lead=None)
    assert "lead" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _decide(setup, item, outcome=Outcome.NO_FURTHER_ACTION, lead=None)
    assert "reason" in refused.value.message_dict
    assert not Decision.objects.exists() and not Share.objects.exists()


def test_a_lead_partner_that_did_not_sign_is_refused_with_the_reason(world: Any) -> None:
    setup = table(world)
    agenda_build(by=setup.chair, meeting=setup.meeting)
    police = world.partner("A")  # did not sign
    with pytest.raises(ValidationError) as refused:
        _decide(setup, AgendaItem.objects.get(), lead=police)
    assert "niet ondertekend" in refused.value.message_dict["lead"][0]
    assert not Share.objects.exists()


def test_revisiting_a_decision_keeps_the_old_one_and_ends_its_shares(world: Any) -> None:
    setup = table(world)
    agenda_build(by=setup.chair, meeting=setup.meeting)
    item = AgendaItem.objects.get()
    first = _decide(setup, item)
    second = _decide(setup, item, outcome=Outcome.NO_FURTHER_ACTION, lead=None, reason="Opgelost")
    first.refresh_from_db()
    assert first.superseded_at is not None and second.revises_id == first.pk
    assert decision_in_force(item) == second
    assert Share.objects.get().ended_at is not None


def test_an_action_without_owner_or_due_date_is_refused(world: Any) -> None:
    setup = table(world)
    agenda_build(by=setup.chair, meeting=setup.meeting)
    item = AgendaItem.objects.get()
    with pytest.raises(ValidationError) as refused:
        action_add(
            by=setup.chair,
            item=item,
            data=ActionInput(title="Huisbezoek", owner_organisation=None, due=None),
        )
    assert set(refused.value.message_dict) == {"owner_organisation", "due"}
    assert not Task.objects.exists()


def test_open_actions_bring_the_item_back_on_the_next_agenda(world: Any) -> None:
    setup = table(world, on=timezone.localdate() - timedelta(days=14))
    agenda_build(by=setup.chair, meeting=setup.meeting)
    item = AgendaItem.objects.get()
    _decide(setup, item)
    task = action_add(
        by=setup.chair,
        item=item,
        data=ActionInput(
            title="Huisbezoek",
            owner_organisation=setup.shelter,
            due=timezone.localdate() - timedelta(days=1),
        ),
    )
    assert task.source == ACTION_SOURCE and task.status == TaskStatus.OPEN
    following = meeting_plan(
        by=setup.chair,
        region=setup.meeting.region,
        data=MeetingInput(
            date=timezone.localdate(),
            chair=setup.chair,
            secretary=setup.chair,
            organisations=[setup.shelter],
        ),
    )
    assert agenda_build(by=setup.chair, meeting=following) == 1
    follow_up = following.items.get()
    assert follow_up.follow_up_of == item and follow_up.signal_id == setup.signal.pk
    # Done: the item does not come back on a third agenda.
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.DONE, done_at=timezone.now())
    third = meeting_plan(
        by=setup.chair,
        region=setup.meeting.region,
        data=MeetingInput(
            date=timezone.localdate() + timedelta(days=14),
            chair=setup.chair,
            secretary=setup.chair,
        ),
    )
    assert agenda_build(by=setup.chair, meeting=third) == 0


def test_changes_are_audited(world: Any) -> None:
    setup = table(world)
    assert AuditEntry.objects.filter(
        object_type="casetable.meeting", object_id=str(setup.meeting.pk), action="create"
    ).exists()
