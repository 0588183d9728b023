"""The case table's registration with privacy/ (registry.py): what happens to a meeting.

Retention (docs/privacy.md, "The case table"): a meeting with everything recorded at it
(agenda, notes, decisions, roles, attendance, occasional attendees and their statement,
minutes sent) is removed five years after it was planned, as a closed case is; a region may
set another period. An item goes earlier when its signal or case is removed (the database
cascades; its actions go with it through tasks/registry.py). The shares a decision made are
privacy/'s own records and follow privacy/'s rules.

Data-subject rights go through the signal or case an item is about (signals/sections.py and
cases/sections.py): their access export lists the table's items about them (meeting date,
notes, decisions with their reason and partners, actions), and erasing the signal or case
empties the items' notes, the decisions' reasons and the actions' texts ("[erased]"): the
notes and reasons may name the person, and an action's title is typed at the table too.
What stays: the meetings, which item was on which agenda, the outcome of each decision and
its partners, and each action's owner, due date and status (the table's figures need them).
The shares' content is emptied by privacy/ itself, as for every erased record.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.cases.sections import CasePrivacyPart, case_privacy_part_register
from inbeeld.casetable.models import AgendaItem, Decision, Meeting
from inbeeld.casetable.services import ACTION_SOURCE
from inbeeld.privacy.export import dated, when
from inbeeld.privacy.registry import PersonalDataKind, Related, registry
from inbeeld.privacy.retention import RetentionRule
from inbeeld.signals.sections import SignalPrivacyPart, signal_privacy_part_register
from inbeeld.tasks.models import Task
from inbeeld.tasks.privacy import task_details_erase

# Five years (docs/privacy.md): as long as a closed case, so that a revisited decision and
# the follow-up of a case can still be traced back to the table that decided it.
MEETING_DAYS = 1826
GO_WITH_MEETING = gettext_lazy("Removed with their meeting.")

RULES = (
    RetentionRule(
        "casetable_meeting",
        gettext_lazy("Meetings of the case table"),
        "casetable.Meeting",
        "created_at",
        "region",
        MEETING_DAYS,
    ),
)
RELATED = (
    Related(
        "casetable.AgendaItem",
        gettext_lazy("Agenda items of the case table, with their notes"),
        gettext_lazy(
            "Removed with their meeting, or earlier with their signal or case. When the signal "
            'or case is erased, their notes become "[erased]".'
        ),
    ),
    Related(
        "casetable.Decision",
        gettext_lazy("Decisions of the case table"),
        gettext_lazy(
            "Removed with their meeting. When the signal or case is erased, the reason "
            'becomes "[erased]".'
        ),
    ),
    Related(
        "casetable.DecisionRole",
        gettext_lazy("Partners' roles in a decision"),
        gettext_lazy("Removed with their decision; the share keeps privacy's own rules."),
    ),
    Related("casetable.Invitation", gettext_lazy("Invitations to a meeting"), GO_WITH_MEETING),
    Related("casetable.Attendance", gettext_lazy("Attendance at a meeting"), GO_WITH_MEETING),
    Related(
        "casetable.Guest",
        gettext_lazy("Occasional attendees and the confidentiality statement they accepted"),
        GO_WITH_MEETING,
    ),
    Related("casetable.MinutesSent", gettext_lazy("Minutes sent"), GO_WITH_MEETING),
)

MEETINGS = registry.register(
    PersonalDataKind(
        model=Meeting,
        label=gettext_lazy("Meetings of the case table"),
        about=gettext_lazy(
            "The regional case table: agenda, notes, decisions, actions and who was present."
        ),
        retention=RULES,
        related=RELATED,
    )
)


# --- data-subject rights: the table's items about a signal or a case ----------------------

ERASED = "[erased]"


def _actions(items: list[AgendaItem]) -> QuerySet[Task]:
    return Task.objects.filter(
        source=ACTION_SOURCE,
        subject_type=ContentType.objects.get_for_model(AgendaItem),
        subject_id__in=[item.pk for item in items],
    )


def _decision_text(decision: Decision) -> str:
    text = _("Decision of %(when)s: %(outcome)s") % {
        "when": when(decision.decided_at),
        "outcome": decision.get_outcome_display(),
    }
    roles = [f"{role.organisation} ({role.get_role_display()})" for role in decision.roles.all()]
    if roles:
        text += "; " + ", ".join(roles)
    if decision.reason:
        text += " — " + decision.reason
    if decision.superseded_at is not None:
        text += " " + _("(revised later)")
    return text


def _items_export(items: QuerySet[AgendaItem]) -> list[dict[str, Any]]:
    """The table's items about one signal or case: each with a ``text`` the export shows."""
    rows = list(items.select_related("meeting__region").order_by("meeting__date", "pk"))
    decisions = Decision.objects.filter(item__in=rows).prefetch_related("roles__organisation")
    by_item: dict[int, list[Decision]] = {}
    for decision in decisions.order_by("decided_at", "pk"):
        by_item.setdefault(decision.item_id, []).append(decision)
    actions: dict[int, list[Task]] = {}
    for task in _actions(rows).select_related("owner_organisation").order_by("due", "pk"):
        actions.setdefault(task.subject_id, []).append(task)
    exported = []
    for item in rows:
        lines = [
            _("On the agenda of the case table of %(when)s (%(region)s)")
            % {"when": when(item.meeting.date), "region": item.meeting.region.name}
        ]
        if item.notes:
            lines.append(_("Notes: %(notes)s") % {"notes": item.notes})
        lines += [_decision_text(decision) for decision in by_item.get(item.pk, [])]
        for task in actions.get(item.pk, []):
            line = _("Action: %(title)s (%(organisation)s, due %(due)s, %(status)s)") % {
                "title": task.title,
                "organisation": task.owner_organisation or "—",
                "due": when(task.due),
                "status": task.get_status_display().lower(),
            }
            lines.append(line + (f": {task.details}" if task.details else ""))
        exported.append(
            {
                **dated("meeting_date", item.meeting.date),
                "notes": item.notes,
                "decisions": [
                    {
                        "outcome": decision.outcome,
                        "reason": decision.reason,
                        **dated("decided_at", decision.decided_at),
                        **dated("superseded_at", decision.superseded_at),
                        "partners": [
                            {"organisation": str(role.organisation), "role": role.role}
                            for role in decision.roles.all()
                        ],
                    }
                    for decision in by_item.get(item.pk, [])
                ],
                "actions": [
                    {
                        "title": task.title,
                        "details": task.details,
                        "organisation": str(task.owner_organisation or ""),
                        **dated("due", task.due),
                        "status": task.status,
                    }
                    for task in actions.get(item.pk, [])
                ],
                "text": "\n".join(lines),
            }
        )
    return exported


def _items_erase(items: QuerySet[AgendaItem]) -> int:
    """Empty the texts the table wrote about an erased signal or case; how many rows."""
    rows = list(items)
    # Encrypted fields cannot be compared in the database: read which ones hold text.
    noted = [item for item in rows if item.notes]
    for item in noted:
        item.notes = ERASED
    AgendaItem.objects.bulk_update(noted, ["notes"])
    reasoned = [d for d in Decision.objects.filter(item__in=rows).only("id", "reason") if d.reason]
    for decision in reasoned:
        decision.reason = ERASED
    Decision.objects.bulk_update(reasoned, ["reason"])
    details = sum(task_details_erase(item) for item in rows)
    titles = _actions(rows).exclude(title=ERASED).update(title=ERASED)
    return len(noted) + len(reasoned) + details + titles


LABEL = gettext_lazy("Case table")
signal_privacy_part_register(
    SignalPrivacyPart(
        name="case_table",
        label=LABEL,
        export=lambda signal: _items_export(AgendaItem.objects.filter(signal=signal)),
        erase=lambda signal: _items_erase(AgendaItem.objects.filter(signal=signal)),
    )
)
case_privacy_part_register(
    CasePrivacyPart(
        name="case_table",
        label=LABEL,
        export=lambda case: _items_export(AgendaItem.objects.filter(case=case)),
        erase=lambda case: _items_erase(AgendaItem.objects.filter(case=case)),
    )
)
