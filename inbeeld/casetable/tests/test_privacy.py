"""The case table takes part in the data-subject rights of the signal or case on its agenda:
erasing the signal or case empties what the table wrote about it (notes, the decision's
reason, the actions' texts), and its access export lists those texts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role, User
from inbeeld.cases.models import Case
from inbeeld.cases.privacy import CASES
from inbeeld.cases.services import CaseInput, PersonInput, case_open
from inbeeld.casetable.models import AgendaItem, Decision, Outcome
from inbeeld.casetable.services import (
    ActionInput,
    DecisionInput,
    action_add,
    agenda_build,
    decision_record,
    item_add_case,
    item_notes_save,
)
from inbeeld.casetable.tests.helpers import Table, table
from inbeeld.privacy.encryption import decrypt
from inbeeld.privacy.subject_rights import (
    access_export,
    access_request_record,
    record_erase,
    record_restrict,
)
from inbeeld.signals.privacy import SIGNALS
from inbeeld.tasks.models import Task
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db

NOTES, REASON, ACTION, DETAILS = (
    "Kanarie-notitie Jantje",
    "Kanarie-reden Jantje",
    "Kanarie-actie",
    "Kanarie-details Jantje",
)
CANARIES = (NOTES, REASON, ACTION, DETAILS)


def discussed(setup: Table, item: AgendaItem) -> None:
    """The chair types a canary into every text the table keeps about the item."""
    item_notes_save(by=setup.chair, item=item, notes=NOTES)
    decision_record(
        by=setup.chair,
        item=item,
        data=DecisionInput(outcome=Outcome.BACK_TO_REPORTER, reason=REASON),
    )
    action_add(
        by=setup.chair,
        item=item,
        data=ActionInput(
            title=ACTION,
            owner_organisation=setup.shelter,
            due=timezone.localdate(),
            details=DETAILS,
        ),
    )


def stored_texts(item: AgendaItem) -> str:
    """Every text of the item as the database holds it, decrypted from the raw rows."""
    texts: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM casetable_agendaitem WHERE id = %s", [item.pk])
        texts += [decrypt(value) for (value,) in cursor.fetchall() if value]
        cursor.execute("SELECT reason FROM casetable_decision WHERE item_id = %s", [item.pk])
        texts += [decrypt(value) for (value,) in cursor.fetchall() if value]
    for task in Task.objects.filter(subject_id=item.pk, source="casetable.action"):
        texts += [task.title, task.details]
    return "\n".join(texts)


def export_of(fg: User, ref: str) -> dict[str, Any]:
    request = access_request_record(by=fg, records=[ref], reason="Inzageverzoek")
    return access_export(user=fg, request=request, output="json")


def part(record: dict[str, Any]) -> list[dict[str, Any]]:
    return next(p["items"] for p in record["parts"] if p["name"] == "case_table")


def minutes_of(setup: Table) -> str:
    url = reverse("casetable:minutes", args=[setup.meeting.pk])
    return str(verified_client(setup.chair).get(url).content.decode())


def test_erasing_a_signal_empties_what_the_table_wrote_about_it(world: World) -> None:
    setup = table(world, on=timezone.localdate())
    agenda_build(by=setup.chair, meeting=setup.meeting)
    item = setup.meeting.items.get()
    discussed(setup, item)
    fg = world.user(Role.FG, "A")
    assert all(canary in stored_texts(item) for canary in CANARIES)
    assert NOTES in minutes_of(setup) and REASON in minutes_of(setup)

    # The access export lists the table's texts about the signal.
    exported = part(export_of(fg, f"signals.signal:{setup.signal.pk}")["signals"][0])
    assert len(exported) == 1
    assert all(canary in exported[0]["text"] for canary in CANARIES)
    page = verified_client(fg).get(
        reverse(
            "privacy:subject_export",
            args=[
                access_request_record(
                    by=fg, records=[f"signals.signal:{setup.signal.pk}"], reason="Inzage"
                ).pk
            ],
        )
    )
    assert NOTES in page.content.decode()

    record_restrict(by=fg, kind=SIGNALS, record=setup.signal, reason="Bezwaar")
    record_erase(by=fg, kind=SIGNALS, record=setup.signal, reason="Verzoek tot wissen")

    assert not any(canary in stored_texts(item) for canary in CANARIES)
    assert not any(canary in minutes_of(setup) for canary in CANARIES)
    # What the figures need stays: the item, its decision's outcome, the action's owner.
    assert Decision.objects.get(item=item).outcome == Outcome.BACK_TO_REPORTER
    assert Task.objects.get(subject_id=item.pk).owner_organisation == setup.shelter


def test_erasing_a_case_empties_what_the_table_wrote_about_it(world: World) -> None:
    setup = table(world, on=timezone.localdate())
    case = case_open(
        by=setup.chair,
        region=setup.meeting.region,
        data=CaseInput(person=PersonInput(name="Jantje Kanarie")),
    )
    item = item_add_case(by=setup.chair, meeting=setup.meeting, case=case)
    discussed(setup, item)
    fg = world.user(Role.FG, "A")

    exported = part(export_of(fg, f"cases.case:{case.pk}")["cases"][0])
    assert all(canary in exported[0]["text"] for canary in CANARIES)

    record_restrict(by=fg, kind=CASES, record=case, reason="Bezwaar")
    record_erase(by=fg, kind=CASES, record=Case.objects.get(pk=case.pk), reason="Verzoek")

    assert not any(canary in stored_texts(item) for canary in CANARIES)
    assert not any(canary in minutes_of(setup) for canary in CANARIES)
