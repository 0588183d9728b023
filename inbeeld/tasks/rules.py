"""Who may see and change a task (django-rules). Read with tasks/registry.py.

A task is seen by its owner, by the people of its owner organisation, and by whoever may
see its subject (the subject's own app decides, through its registered ``visible``). The
same people may mark it done, reopen or cancel it: a task is work on a record they share.
"""

from __future__ import annotations

from typing import Any

from rules.predicates import Predicate

from inbeeld.accounts.models import Membership, Role, User
from inbeeld.accounts.predicates import holds_role, permission
from inbeeld.tasks.registry import subject_kind


def _staff(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


def _owns(user: Any, task: Any) -> bool:
    staff = _staff(user)
    return staff is not None and getattr(task, "owner_id", None) == staff.pk


def _in_owner_organisation(user: Any, task: Any) -> bool:
    staff = _staff(user)
    organisation_id = getattr(task, "owner_organisation_id", None)
    return (
        staff is not None
        and organisation_id is not None
        and Membership.objects.filter(user=staff, organisation_id=organisation_id).exists()
    )


def _sees_subject(user: Any, task: Any) -> bool:
    staff = _staff(user)
    subject = getattr(task, "subject", None)
    if staff is None or subject is None:
        return False
    return subject_kind(subject).visible(staff, subject)


def _may_add_to(user: Any, subject: Any) -> bool:
    staff = _staff(user)
    if staff is None or subject is None:
        return False
    try:
        kind = subject_kind(subject)
    except LookupError:
        return False
    return kind.may_add(staff, subject)


owns_task = Predicate(_owns, name="owns_task")
in_owner_organisation = Predicate(_in_owner_organisation, name="in_owner_organisation")
sees_subject = Predicate(_sees_subject, name="sees_subject")
may_add_to_subject = Predicate(_may_add_to, name="may_add_to_subject")

# "Mijn taken" and the API's list: anyone with a role (each sees only their own tasks).
permission("tasks.view_tasks", holds_role(*Role.values))
permission("tasks.view_task", owns_task | in_owner_organisation | sees_subject)
permission("tasks.change_task", owns_task | in_owner_organisation | sees_subject)
# Give a record (a subject) a task: its app decides (signals: the region's coordinators).
permission("tasks.add_task", may_add_to_subject)
# The page that adds a task to a record (whether to this record: tasks.add_task above).
permission("tasks.add_tasks", holds_role(*Role.values))
