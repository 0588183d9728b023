"""Writing care plans: a domain's situation, goals and review date; actions and their status.

One transaction per change. Bad input raises ValidationError naming the field before
anything is written. Every change claims the version the person saw (concurrency.py), leaves
a CarePlanVersion naming what changed, and one audit entry on the plan with the changed
fields as keyed digests only. Every dated thing is a task of the one task engine
(tasks/services.py): an open action with a due date (source ``careplan.action``, owned by the
action's organisation and person) and a domain's review date (``case.review``, owned by the
case owner); moving the date moves the task, completing or cancelling the action closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, changed_fields
from inbeeld.careplans.concurrency import careplan_claim
from inbeeld.careplans.models import (
    ActionStatus,
    CarePlan,
    CarePlanAction,
    CarePlanDomain,
    CarePlanVersion,
    LifeDomain,
)
from inbeeld.cases.models import Case
from inbeeld.cases.participants import participant_organisation_ids
from inbeeld.cases.roles import CASE_ROLES
from inbeeld.lib.versioning import version_bump
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.services import task_complete, task_sync_for, tasks_for_subject

ACTION_SOURCE = "careplan.action"
REVIEW_SOURCE = "case.review"
TEXT_MAX = 10000
DESCRIPTION_MAX = 2000
# A date further ahead is a typing error (2205 for 2025), not a plan.
FURTHEST_AHEAD = timedelta(days=5 * 366)
Errors = dict[str, list[str]]
# Task titles, translated when the task is made (careplans/services.py: _title).
ACTION_TITLE = gettext_noop("Care plan %(reference)s: action for %(domain)s")
REVIEW_TITLE = gettext_noop("Care plan %(reference)s: review %(domain)s")


@dataclass(frozen=True)
class DomainInput:
    situation: str = ""
    goals: str = ""
    review_date: date | None = None


@dataclass(frozen=True)
class ActionInput:
    domain: str
    description: str
    owner_organisation: Organisation | None
    owner: User | None = None
    due: date | None = None
    status: str = ActionStatus.OPEN


def careplan_of(case: Case) -> CarePlan | None:
    return CarePlan.objects.filter(case=case).first()


def action_organisations(case: Case) -> list[int]:
    """The organisations an action may be given to: the case owner's and those taking part."""
    return [case.owner_organisation_id, *sorted(participant_organisation_ids(case))]


# --- validation ---------------------------------------------------------------------------


def _date_errors(name: str, day: date | None) -> Errors:
    if day is not None and day > timezone.localdate() + FURTHEST_AHEAD:
        return {name: [_("This date lies more than five years ahead. Check the year.")]}
    if day is not None and day.year < 2000:
        return {name: [_("This date lies before 2000. Check the year.")]}
    return {}


def _domain_errors(domain: str, data: DomainInput) -> Errors:
    errors: Errors = {}
    if domain not in LifeDomain.values:
        errors["domain"] = [_("Choose the life domain from the list.")]
    for name in ("situation", "goals"):
        if len(getattr(data, name)) > TEXT_MAX:
            errors[name] = [_("Write at most %(max)s characters.") % {"max": TEXT_MAX}]
    errors.update(_date_errors("review_date", data.review_date))
    return errors


def _action_errors(case: Case, data: ActionInput) -> Errors:
    errors: Errors = {}
    if data.domain not in LifeDomain.values:
        errors["domain"] = [_("Choose the life domain from the list.")]
    if not data.description.strip():
        errors["description"] = [_("Describe the action.")]
    elif len(data.description) > DESCRIPTION_MAX:
        errors["description"] = [_("Write at most %(max)s characters.") % {"max": DESCRIPTION_MAX}]
    organisation = data.owner_organisation
    if organisation is None or organisation.pk not in action_organisations(case):
        errors["owner_organisation"] = [
            _("Choose the case owner or an organisation taking part in the case.")
        ]
    elif (
        data.owner is not None
        and not Membership.objects.filter(
            user=data.owner, organisation=organisation, role__in=CASE_ROLES
        ).exists()
    ):
        errors["owner"] = [_("Choose a person who works for the chosen organisation.")]
    if data.status not in ActionStatus.values:
        errors["status"] = [_("Choose open, done or cancelled.")]
    errors.update(_date_errors("due", data.due))
    return errors


def _checked_action(case: Case, data: ActionInput) -> Organisation:
    """The action's organisation, once the input and the case allow the change."""
    errors = _action_errors(case, data)
    if errors or data.owner_organisation is None:
        raise ValidationError(errors)
    _writable(case)
    return data.owner_organisation


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _writable(case: Case) -> None:
    if not case.is_open:
        raise ValidationError({"case": [_("The case is closed: reopen it to change its plan.")]})


# --- the plan, its version and its audit entry ----------------------------------------------


def _plan_for_change(case: Case, seen_version: int) -> CarePlan:
    """The case's plan, made by its first change, claimed at the version the person saw."""
    # The case's row is the lock that keeps two first changes from making two plans.
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
    plan, _made = CarePlan.objects.get_or_create(case=case)
    careplan_claim(plan, seen_version=seen_version)
    return plan


def _version_record(
    *, by: User, plan: CarePlan, changes: list[dict[str, Any]], digests: dict[str, Any]
) -> CarePlanVersion:
    version = CarePlanVersion.objects.create(
        plan=plan, number=plan.version - 1, by=by, changes=changes
    )
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=plan,
        purpose=Purpose.CASE_WORK,
        detail={"version": version.number, "changes": changes, "fields": digests},
    )
    return version


def _title(text: str, case: Case, domain: str) -> str:
    # Titles show in "Mijn taken" and the overdue flag: the case's reference and the domain,
    # never the action's text or the person's name. Written in the product's language.
    with translation.override("nl"):
        return _(text) % {
            "reference": case.reference,
            "domain": str(LifeDomain(domain).label).lower(),
        }


# --- tasks ---------------------------------------------------------------------------------


def _open_synced(subject: Any, source: str) -> Task | None:
    return (
        tasks_for_subject(subject)
        .filter(source=source, synced=True, status=TaskStatus.OPEN)
        .first()
    )


def _review_task_sync(*, by: User | None, case: Case, row: CarePlanDomain) -> None:
    due = row.review_date if case.is_open else None
    task_sync_for(
        subject=row,
        source=REVIEW_SOURCE,
        due=due,
        owner=case.owner,
        owner_organisation=case.owner_organisation,
        title=_title(REVIEW_TITLE, case, row.domain),
        by=by,
    )


def _action_task_sync(*, by: User | None, case: Case, action: CarePlanAction) -> None:
    if action.status == ActionStatus.DONE:
        task = _open_synced(action, ACTION_SOURCE)
        if task is not None and by is not None:
            task_complete(task=task, by=by)
        return
    due = action.due if action.is_open and case.is_open else None
    task_sync_for(
        subject=action,
        source=ACTION_SOURCE,
        due=due,
        owner=action.owner,
        owner_organisation=action.owner_organisation,
        title=_title(ACTION_TITLE, case, action.domain),
        by=by,
    )


def _cancelled_last(subject: Any, source: str) -> bool:
    """Whether the subject's latest task of ``source`` was cancelled (by the case's closing),
    rather than done: reopening brings back only what closing took away."""
    last = tasks_for_subject(subject).filter(source=source, synced=True).order_by("-pk").first()
    return last is not None and last.status == TaskStatus.CANCELLED


def careplan_tasks_follow_case(case: Case, by: User | None = None) -> None:
    """A closed case's plan asks for no more work (its open tasks are cancelled); when the
    case is reopened, the tasks its closing cancelled come back."""
    plan = careplan_of(case)
    if plan is None:
        return
    with transaction.atomic():
        for row in plan.domains.filter(review_date__isnull=False):
            if not case.is_open or _cancelled_last(row, REVIEW_SOURCE):
                _review_task_sync(by=by, case=case, row=row)
        for action in plan.actions.filter(status=ActionStatus.OPEN, due__isnull=False):
            if not case.is_open or _cancelled_last(action, ACTION_SOURCE):
                _action_task_sync(by=by, case=case, action=action)


# --- the changes -----------------------------------------------------------------------------


DOMAIN_FIELDS = ("situation", "goals", "review_date")


@transaction.atomic
def domain_update(
    *, by: User, case: Case, domain: str, version: int, data: DomainInput
) -> CarePlanVersion | None:
    """Change a domain's situation, goals and review date; None when nothing changed."""
    _raise(_domain_errors(domain, data))
    _writable(case)
    plan = _plan_for_change(case, version)
    row, _made = CarePlanDomain.objects.get_or_create(plan=plan, domain=domain)
    before = {name: getattr(row, name) for name in DOMAIN_FIELDS}
    row.situation, row.goals = data.situation.strip(), data.goals.strip()
    row.review_date = data.review_date
    after = {name: getattr(row, name) for name in DOMAIN_FIELDS}
    changed = [name for name in DOMAIN_FIELDS if before[name] != after[name]]
    if not changed:
        # Nothing to record: the claim's count (and a plan made for it) is rolled back.
        transaction.set_rollback(True)
        return None
    row.save()
    if "review_date" in changed:
        # Only a new date moves the task: a review marked done stays done when the text changes.
        _review_task_sync(by=by, case=case, row=row)
    return _version_record(
        by=by,
        plan=plan,
        changes=[{"domain": domain, "field": name} for name in changed],
        digests=changed_fields(before, after, changed),
    )


ACTION_FIELDS = ("domain", "description", "owner_organisation", "owner", "due", "status")
# What the action's task is made of (its title names the domain).
TASK_FIELDS = {"domain", "owner_organisation", "owner", "due", "status"}


def _action_values(action: CarePlanAction) -> dict[str, Any]:
    return {
        "domain": action.domain,
        "description": action.description,
        "owner_organisation": action.owner_organisation_id,
        "owner": action.owner_id,
        "due": action.due,
        "status": action.status,
    }


def _action_changes(
    action: CarePlanAction, changed: list[str], *, added: bool = False
) -> list[dict[str, Any]]:
    if added:
        return [{"action": action.pk, "domain": action.domain, "field": "added"}]
    changes = []
    for name in changed:
        change: dict[str, Any] = {"action": action.pk, "domain": action.domain, "field": name}
        if name == "status":
            change["value"] = action.status  # a code, no personal data: the timeline's entry
        changes.append(change)
    return changes


@transaction.atomic
def action_add(*, by: User, case: Case, version: int, data: ActionInput) -> CarePlanAction:
    organisation = _checked_action(case, data)
    plan = _plan_for_change(case, version)
    action = CarePlanAction.objects.create(
        plan=plan,
        domain=data.domain,
        description=data.description.strip(),
        owner_organisation=organisation,
        owner=data.owner,
        due=data.due,
        status=data.status,
    )
    _action_task_sync(by=by, case=case, action=action)
    after = _action_values(action)
    _version_record(
        by=by,
        plan=plan,
        changes=_action_changes(action, [], added=True),
        digests=changed_fields({}, after, ACTION_FIELDS),
    )
    return action


@transaction.atomic
def action_update(
    *, by: User, case: Case, action: CarePlanAction, version: int, data: ActionInput
) -> CarePlanVersion | None:
    """Change an action (its status too); None when nothing changed."""
    organisation = _checked_action(case, data)
    if action.plan.case_id != case.pk:
        raise ValidationError({"action": [_("This action belongs to another case.")]})
    plan = _plan_for_change(case, version)
    action = CarePlanAction.objects.select_for_update().get(pk=action.pk)
    before = _action_values(action)
    action.domain, action.description = data.domain, data.description.strip()
    action.owner_organisation, action.owner = organisation, data.owner
    action.due, action.status = data.due, data.status
    after = _action_values(action)
    changed = [name for name in ACTION_FIELDS if before[name] != after[name]]
    if not changed:
        transaction.set_rollback(True)
        return None
    action.save()
    if set(changed) & TASK_FIELDS:
        _action_task_sync(by=by, case=case, action=action)
    return _version_record(
        by=by,
        plan=plan,
        changes=_action_changes(action, changed),
        digests=changed_fields(before, after, changed),
    )


def action_done_by_task(task: Task) -> None:
    """The action's own task was marked done in the task engine (by its organisation, say):
    the action is done, recorded as a version of the plan by who marked it.

    Counted without a claim (it overwrites nothing a coordinator wrote); a coordinator who
    had the plan open then gets the conflict message and sees the action done.
    """
    if task.done_by is None or task.subject_type_id != _action_type_id():
        return
    with transaction.atomic():
        action = (
            CarePlanAction.objects.select_for_update()
            .select_related("plan")
            .filter(pk=task.subject_id, status=ActionStatus.OPEN)
            .first()
        )
        if action is None:  # done through the plan already, which completed the task
            return
        action.status = ActionStatus.DONE
        action.save(update_fields=["status"])
        plan = action.plan
        version_bump(plan)
        _version_record(
            by=task.done_by,
            plan=plan,
            changes=_action_changes(action, ["status"]),
            digests=changed_fields(
                {"status": ActionStatus.OPEN}, {"status": ActionStatus.DONE}, ["status"]
            ),
        )


def _action_type_id() -> int:
    return int(ContentType.objects.get_for_model(CarePlanAction).pk)


def action_status_set(
    *, by: User, case: Case, action: CarePlanAction, version: int, status: str
) -> CarePlanVersion | None:
    """Mark an action done or cancelled (or open again): the plan page's buttons."""
    return action_update(
        by=by,
        case=case,
        action=action,
        version=version,
        data=ActionInput(
            domain=action.domain,
            description=action.description,
            owner_organisation=action.owner_organisation,
            owner=action.owner,
            due=action.due,
            status=status,
        ),
    )
