"""What each person sees of a meeting's agenda: one source for the page, the minutes and the API.

Those who run the meeting (the region's zorgcoördinator, the secretary) see every item whole:
a link to the signal or case, the notes, the decision and every action. An invited partner
sees each item pseudonymised (privacy/pseudonymise.py: a list of fields that may be shown);
once the decision in force gives its organisation a role, it also sees its role, what the
table shares with it (the share's content) on its legal basis, the outcome, and its own
actions. Never the notes, never another partner's share. Every item shown is an audited read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.cases.models import Case, CasePerson
from inbeeld.casetable.access import may_run, table_organisation_ids
from inbeeld.casetable.models import AgendaItem, Decision, DecisionRole, Meeting
from inbeeld.casetable.pending import SHOWN_TO_PARTNERS, pseudonym_of
from inbeeld.casetable.services import actions_of, decision_in_force
from inbeeld.casetable.task_subjects import role_organisation_ids
from inbeeld.privacy.encryption import blind_index
from inbeeld.privacy.pseudonymise import PseudonymisedItem, pseudonymised
from inbeeld.tasks.models import Task
from inbeeld.tasks.services import is_overdue

# Of a case, partners see the same kinds of field as of a signal: categories, no identity.
CASE_SHOWN = ("municipality", "exploitation_form_labels", "created_at")
CASE_PERSON_SHOWN = ("age_band", "gender", "is_minor")


@dataclass
class ShownItem:
    item: AgendaItem
    kind: str  # "signal" or "case"
    pseudonymised: PseudonymisedItem
    full: bool  # the viewer runs the meeting
    follow_up: bool
    decision: Decision | None = None
    roles: list[DecisionRole] = field(default_factory=list)  # the roles the viewer may see
    actions: list[Task] = field(default_factory=list)
    url: str = ""
    overdue_ids: set[int] = field(default_factory=set)

    @property
    def pseudonym(self) -> str:
        return self.pseudonymised.pseudonym

    @property
    def fields(self) -> dict[str, Any]:
        return self.pseudonymised.fields

    @property
    def lead(self) -> DecisionRole | None:
        return next((role for role in self.roles if role.role == "lead"), None)


def case_pseudonym(case: Case) -> str:
    return "T-" + blind_index(f"case:{case.pk}", purpose="case-table")[:8].upper()


def _pseudonymised(item: AgendaItem) -> PseudonymisedItem:
    if item.signal is not None:
        return pseudonymised(
            item.signal, pseudonym=pseudonym_of(item.signal), shown=SHOWN_TO_PARTNERS
        )
    case = item.case
    if case is None:
        raise ValueError(f"agenda item {item.pk} has neither a signal nor a case")
    shown = pseudonymised(case, pseudonym=case_pseudonym(case), shown=CASE_SHOWN)
    person = CasePerson.objects.filter(case=case).first()
    if person is not None:
        of_person = pseudonymised(person, pseudonym="", shown=CASE_PERSON_SHOWN).fields
        shown.fields.update(
            victim_age_band=of_person["age_band"],
            victim_gender=of_person["gender"],
            victim_is_minor=of_person["is_minor"],
        )
    return shown


def _url(item: AgendaItem) -> str:
    if item.signal_id is not None:
        return reverse("signals:detail", args=[item.signal_id])
    return reverse("cases:detail", args=[item.case_id])


def shown_item(user: User, item: AgendaItem, *, full: bool, organisations: set[int]) -> ShownItem:
    """One item as ``user`` may see it (``organisations``: the user's table organisations)."""
    shown = ShownItem(
        item=item,
        kind="signal" if item.signal_id else "case",
        pseudonymised=_pseudonymised(item),
        full=full,
        follow_up=item.follow_up_of_id is not None,
    )
    mine = organisations & role_organisation_ids(item)
    if not full and not mine:
        return shown
    decision = decision_in_force(item)
    roles = list(decision.roles.select_related("organisation", "share")) if decision else []
    shown.decision = decision
    shown.roles = roles if full else [role for role in roles if role.organisation_id in mine]
    actions = actions_of(item)
    shown.actions = (
        actions if full else [task for task in actions if task.owner_organisation_id in mine]
    )
    today = timezone.localdate()
    shown.overdue_ids = {task.pk for task in shown.actions if is_overdue(task, today)}
    if full:
        shown.url = _url(item)
    return shown


def agenda_for(
    user: User,
    meeting: Meeting,
    *,
    purpose: Purpose | None = None,
    pseudonymised_only: bool = False,
) -> list[ShownItem]:
    """The meeting's items as ``user`` may see them (``pseudonymised_only``: as an invited
    partner sees them, for the API); the subjects shown are one audited read."""
    full = may_run(user, meeting) and not pseudonymised_only
    organisations = table_organisation_ids(user)
    items = list(
        meeting.items.select_related(
            "meeting__region", "signal__municipality", "case__municipality", "follow_up_of"
        )
    )
    shown = [shown_item(user, item, full=full, organisations=organisations) for item in items]
    if items:
        read_purpose = purpose or (Purpose.CASE_TABLE_MEETING if full else Purpose.CASE_TABLE)
        audit_record_reads(
            actor=user, records=[item.item.subject for item in shown], purpose=read_purpose
        )
    return shown
